//! Sign-in flows as sans-IO state machines, and the types they hand to the caller.
//!
//! * [`ClientConfig`]: pool id, app-client id and optional secret.
//! * [`SignIn`]: every sign-in flow (`USER_SRP_AUTH`, `USER_PASSWORD_AUTH`, `CUSTOM_AUTH`,
//!   `USER_AUTH`), device SRP for a remembered [`DeviceCredentials`], and [`Answer`]s to the
//!   challenges it hands over ([`Challenge`], typed by [`ChallengeKind`]).
//! * [`Refresh`]: new tokens from a refresh token (`REFRESH_TOKEN_AUTH` or
//!   `GetTokensFromRefreshToken` with rotation).
//! * [`DeviceRegistration`]: from `NewDeviceMetadata` to a remembered device (`ConfirmDevice`,
//!   then `UpdateDeviceStatus` when the user chooses) and the [`DeviceCredentials`] to persist.
//! * [`AuthReply`], [`AuthenticationResult`]: what the server answers.
//!
//! The three flows share one contract, [`crate::exchange::Flow`].

mod answer;
mod challenge;
mod challenge_kind;
mod config;
mod device_credentials;
mod device_registration;
mod refresh;
mod reply;
mod result;
mod sign_in;

pub use answer::{Answer, FirstFactor, MfaType};
pub use challenge::{Challenge, ChallengeName, ChallengeParameters};
pub use challenge_kind::{AttributeNames, ChallengeKind, CodeKind, FirstFactors, MfaTypes};
pub use config::{ClientConfig, MAX_CLIENT_ID_LEN, MAX_CLIENT_SECRET_LEN, MAX_POOL_ID_LEN};
pub use device_credentials::DeviceCredentials;
pub use device_registration::{DeviceRegistration, DeviceStep, MAX_DEVICE_NAME_LEN};
pub use refresh::{Refresh, RefreshOperation};
pub use reply::AuthReply;
pub use result::{AuthenticationResult, NewDeviceMetadata};
pub use sign_in::{MAX_CHALLENGE_NAME_LEN, MAX_CHALLENGE_ROUNDS, SignIn, Step};
