//! Sign-in flows as sans-IO state machines, and the types they hand to the caller.
//!
//! * [`ClientConfig`]: pool id, app-client id and optional secret.
//! * [`SrpSignIn`]: `USER_SRP_AUTH`, with device SRP for a [`RememberedDevice`].
//! * [`ConfirmDevice`]: registering a device's verifier after a sign-in offered `NewDeviceMetadata`.
//! * [`AuthReply`], [`Challenge`], [`AuthenticationResult`]: what the server answers.

mod challenge;
mod config;
mod confirm_device;
mod device;
mod reply;
mod request;
mod result;
mod srp_sign_in;

pub use challenge::{Challenge, ChallengeName, ChallengeParameters};
pub use config::ClientConfig;
pub use confirm_device::ConfirmDevice;
pub use device::RememberedDevice;
pub use reply::AuthReply;
pub use request::Request;
pub use result::{AuthenticationResult, NewDeviceMetadata};
pub use srp_sign_in::{MAX_SECRET_BLOCK_LEN, MAX_SESSION_LEN, MAX_USERNAME_LEN, SrpSignIn, Step};
