//! Account operations outside sign-in: registration, passwords, the user's attributes, MFA
//! settings, devices, passkeys, sign-out and risk feedback.
//!
//! Each operation is a request struct with public fields implementing [`crate::Call`]:
//! [`Call::write_request`](crate::Call::write_request) writes its JSON body into a caller buffer
//! (untouched, with [`crate::Error::BufferTooSmall`], when too small) and says whether it may be
//! resent ([`crate::wire::Resend`]: only the reads may after any failure), and
//! [`Call::read_reply`](crate::Call::read_reply) reads the reply in place (a reply type such as
//! [`GetUserReply`] borrowing the body, or `()`). Cognito's errors become [`crate::Error::Service`],
//! exactly as for sign-in ([`crate::wire::read_response`]). Values Cognito's API model would
//! reject anyway (empty user names, codes or access tokens, over-long attribute names, a TOTP
//! code that is not six digits) are refused up front with [`crate::Misuse`]; nothing is stricter
//! than the model. `Debug` shows passwords, codes, tokens and `Session`s as `<redacted>`, and
//! `ClientMetadata` and `ValidationData` by their names only.
//!
//! * [`sign_up`] — [`SignUp`], [`ConfirmSignUp`], [`ResendConfirmationCode`].
//! * [`password`] — [`ForgotPassword`], [`ConfirmForgotPassword`], [`ChangePassword`].
//! * [`user`] — [`GetUser`], [`GetUserAuthFactors`], [`UpdateUserAttributes`],
//!   [`DeleteUserAttributes`], [`GetUserAttributeVerificationCode`], [`VerifyUserAttribute`],
//!   [`DeleteUser`].
//! * [`mfa`] — [`SetUserMfaPreference`], [`SetUserSettings`], [`AssociateSoftwareToken`],
//!   [`VerifySoftwareToken`].
//! * [`devices`] — [`ConfirmDevice`], [`GetDevice`], [`ListDevices`], [`ForgetDevice`],
//!   [`UpdateDeviceStatus`]; [`crate::auth::DeviceRegistration`] runs the first and the last in
//!   turn after a sign-in.
//! * [`session`] — [`GlobalSignOut`], [`RevokeToken`].
//! * [`feedback`] — [`UpdateAuthEventFeedback`].
//! * [`webauthn`] — [`StartWebAuthnRegistration`], [`CompleteWebAuthnRegistration`],
//!   [`ListWebAuthnCredentials`], [`DeleteWebAuthnCredential`].
//! * Shared reply parts: [`CodeDeliveryDetails`], [`Attribute`], [`List`].
//!
//! ```
//! use cognito_core::Call;
//! use cognito_core::account::{CodeDeliveryReply, ForgotPassword};
//! use cognito_core::auth::ClientConfig;
//! use cognito_core::wire::HttpResponse;
//! let config = ClientConfig::new("eu-west-1_AbC", "client")?;
//! let mut buf = [0u8; 256];
//! let request = ForgotPassword { username: "alice", ..ForgotPassword::default() }
//!     .write_request(&config, &mut buf)?;
//! assert_eq!(request.operation.name(), "ForgotPassword");
//! let body = br#"{"CodeDeliveryDetails":{"Destination":"a***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#;
//! let reply = CodeDeliveryReply::read(&HttpResponse::new(200, body))?;
//! assert_eq!(reply.code_delivery_details.unwrap().delivery_medium, Some("EMAIL"));
//! # Ok::<(), cognito_core::Error>(())
//! ```

mod attribute;
mod body;
mod delivery;
mod list;
mod validate;

pub mod devices;
pub mod feedback;
pub mod mfa;
pub mod password;
pub mod session;
pub mod sign_up;
pub mod user;
pub mod webauthn;

pub use attribute::Attribute;
pub use delivery::{CodeDeliveryDetails, CodeDeliveryReply};
pub use devices::{
    ConfirmDevice, ConfirmDeviceReply, Device, ForgetDevice, GetDevice, GetDeviceReply,
    ListDevices, ListDevicesReply, MAX_LIST_DEVICES_LIMIT, UpdateDeviceStatus,
};
pub use feedback::{FeedbackValue, UpdateAuthEventFeedback};
pub use list::{List, ListItem};
pub use mfa::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, DeliveryMedium, MfaOptionSetting,
    MfaSetting, SetUserMfaPreference, SetUserSettings, TokenOrSession, VerifySoftwareToken,
    VerifySoftwareTokenReply,
};
pub use password::{ChangePassword, ConfirmForgotPassword, ForgotPassword};
pub use session::{GlobalSignOut, RevokeToken};
pub use sign_up::{ConfirmSignUp, ConfirmSignUpReply, ResendConfirmationCode, SignUp, SignUpReply};
pub use user::{
    DeleteUser, DeleteUserAttributes, GetUser, GetUserAttributeVerificationCode,
    GetUserAuthFactors, GetUserAuthFactorsReply, GetUserReply, MfaOption, UpdateUserAttributes,
    UpdateUserAttributesReply, VerifyUserAttribute,
};
pub use webauthn::{
    CompleteWebAuthnRegistration, DeleteWebAuthnCredential, ListWebAuthnCredentials,
    ListWebAuthnCredentialsReply, MAX_WEBAUTHN_CREDENTIALS_RESULTS, StartWebAuthnRegistration,
    StartWebAuthnRegistrationReply, WebAuthnCredential,
};
