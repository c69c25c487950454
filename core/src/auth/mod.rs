//! Sign-in flows as sans-IO state machines, and the types they hand to the caller.
//!
//! * [`ClientConfig`]: pool id, app-client id and optional secret.
//! * [`SignIn`]: every sign-in flow (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, `CUSTOM_AUTH`,
//!   `USER_AUTH`), device SRP for a [`RememberedDevice`], and [`Answer`]s to challenges.
//! * [`Refresh`]: new tokens from a refresh token (`REFRESH_TOKEN_AUTH` or
//!   `GetTokensFromRefreshToken` with rotation).
//! * [`DeviceCredentials`]: from `NewDeviceMetadata` to a device to persist, `ConfirmDevice` and
//!   `UpdateDeviceStatus`.
//! * [`ConfirmDevice`]: registering a device's verifier after a sign-in offered `NewDeviceMetadata`.
//! * [`AuthReply`], [`Challenge`], [`AuthenticationResult`]: what the server answers.

mod answer;
mod challenge;
mod config;
mod confirm_device;
mod device;
mod device_registration;
mod refresh;
mod reply;
mod request;
mod result;
mod sign_in;

pub use answer::{Answer, FirstFactor, MfaType};
pub use challenge::{Challenge, ChallengeName, ChallengeParameters};
pub use config::ClientConfig;
pub use confirm_device::ConfirmDevice;
pub use device::RememberedDevice;
pub use device_registration::{
    DeviceCredentials, MAX_DEVICE_KEY_LEN, read_update_device_status, write_update_device_status,
};
pub use refresh::{Refresh, RefreshOperation};
pub use reply::AuthReply;
pub use request::Request;
pub use result::{AuthenticationResult, NewDeviceMetadata};
pub use sign_in::{
    MAX_CHALLENGE_NAME_LEN, MAX_CHALLENGE_ROUNDS, MAX_SECRET_BLOCK_LEN, MAX_SESSION_LEN,
    MAX_USERNAME_LEN, SignIn, Step,
};
