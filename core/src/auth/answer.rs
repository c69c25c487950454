//! What the caller answers to a challenge the flow hands over, and the first factors and MFA
//! types those answers name.

use core::fmt;

use crate::redact::{hide, names};

/// A first factor of choice-based sign-in (`USER_AUTH`): `PREFERRED_CHALLENGE`, or the `ANSWER` to
/// `SELECT_CHALLENGE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FirstFactor {
    /// The password, sent as is (`PASSWORD`).
    Password,
    /// The password, proven with SRP (`PASSWORD_SRP`).
    PasswordSrp,
    /// A one-time code sent by email (`EMAIL_OTP`).
    EmailOtp,
    /// A one-time code sent by SMS (`SMS_OTP`).
    SmsOtp,
    /// A passkey (`WEB_AUTHN`).
    WebAuthn,
}

impl FirstFactor {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            FirstFactor::Password => "PASSWORD",
            FirstFactor::PasswordSrp => "PASSWORD_SRP",
            FirstFactor::EmailOtp => "EMAIL_OTP",
            FirstFactor::SmsOtp => "SMS_OTP",
            FirstFactor::WebAuthn => "WEB_AUTHN",
        }
    }

    /// Parses a wire name (as listed in `AvailableChallenges`).
    pub fn parse(name: &str) -> Option<Self> {
        [
            Self::Password,
            Self::PasswordSrp,
            Self::EmailOtp,
            Self::SmsOtp,
            Self::WebAuthn,
        ]
        .into_iter()
        .find(|f| f.as_str() == name)
    }
}

impl fmt::Display for FirstFactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An MFA type, as chosen in `SELECT_MFA_TYPE` (`MFAS_CAN_CHOOSE` lists the offered ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MfaType {
    /// A code sent by SMS (`SMS_MFA`).
    Sms,
    /// A code from an authenticator app (`SOFTWARE_TOKEN_MFA`).
    SoftwareToken,
    /// A code sent by email (`EMAIL_OTP`).
    Email,
}

impl MfaType {
    /// The wire name.
    pub const fn as_str(self) -> &'static str {
        match self {
            MfaType::Sms => "SMS_MFA",
            MfaType::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            MfaType::Email => "EMAIL_OTP",
        }
    }

    /// Parses a wire name (as listed in `MFAS_CAN_CHOOSE` and `MFAS_CAN_SETUP`).
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Sms, Self::SoftwareToken, Self::Email]
            .into_iter()
            .find(|m| m.as_str() == name)
    }
}

impl fmt::Display for MfaType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The caller's answer to a [`super::Challenge`], given to [`super::SignIn::answer`].
///
/// Which answers fit which challenge:
///
/// | challenge | answers |
/// |---|---|
/// | `SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`, `SMS_OTP` | [`Answer::Code`] |
/// | `SELECT_MFA_TYPE` | [`Answer::MfaType`] |
/// | `MFA_SETUP` | [`Answer::SetUpTotp`], then [`Answer::VerifyTotp`]; or [`Answer::SetUpEmail`] |
/// | `NEW_PASSWORD_REQUIRED` | [`Answer::NewPassword`] |
/// | `CUSTOM_CHALLENGE` | [`Answer::Custom`] |
/// | `SELECT_CHALLENGE` | [`Answer::FirstFactor`] |
/// | `WEB_AUTHN` | [`Answer::WebAuthnCredential`] |
/// | any, including names this version does not know | [`Answer::Raw`] |
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum Answer<'x> {
    /// The code of an MFA or one-time-password challenge.
    Code(&'x str),
    /// The MFA type chosen for `SELECT_MFA_TYPE`.
    MfaType(MfaType),
    /// Start setting up an authenticator app (`AssociateSoftwareToken` with the Session); the
    /// flow then yields [`super::Step::TotpSecret`].
    SetUpTotp,
    /// The first code of the authenticator app being set up (`VerifySoftwareToken`), and an
    /// optional name for it; the flow then completes `MFA_SETUP` by itself.
    VerifyTotp {
        /// The six-digit code.
        code: &'x str,
        /// `FriendlyDeviceName`.
        friendly_name: Option<&'x str>,
    },
    /// Set up email MFA with this address (`MFA_SETUP` answered with `EMAIL`).
    SetUpEmail(&'x str),
    /// A new password for `NEW_PASSWORD_REQUIRED`, and the attributes the pool requires
    /// (`userAttributes.<name>`; names without the `userAttributes.` prefix).
    NewPassword {
        /// `NEW_PASSWORD`.
        password: &'x str,
        /// Required (or writable) attributes, e.g. `[("name", "Alice")]`.
        attributes: &'x [(&'x str, &'x str)],
    },
    /// The `ANSWER` to a `CUSTOM_CHALLENGE`.
    Custom(&'x str),
    /// The first factor chosen for `SELECT_CHALLENGE` (the flow adds the password or `SRP_A`).
    FirstFactor(FirstFactor),
    /// The passkey credential (`PublicKeyCredential` JSON from the authenticator) for `WEB_AUTHN`.
    WebAuthnCredential(&'x str),
    /// Challenge responses written as given (the flow adds `USERNAME` and `SECRET_HASH`).
    Raw(&'x [(&'x str, &'x str)]),
}

impl fmt::Debug for Answer<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Codes, passwords, answers, credentials and the email address are not shown.
        match self {
            Answer::Code(code) => f.debug_tuple("Code").field(&hide(code)).finish(),
            Answer::MfaType(t) => f.debug_tuple("MfaType").field(t).finish(),
            Answer::SetUpTotp => f.write_str("SetUpTotp"),
            Answer::VerifyTotp {
                code,
                friendly_name,
            } => f
                .debug_struct("VerifyTotp")
                .field("code", &hide(code))
                .field("friendly_name", friendly_name)
                .finish(),
            Answer::SetUpEmail(email) => f.debug_tuple("SetUpEmail").field(&hide(email)).finish(),
            Answer::NewPassword {
                password,
                attributes,
            } => f
                .debug_struct("NewPassword")
                .field("password", &hide(password))
                .field("attributes", attributes)
                .finish(),
            Answer::Custom(answer) => f.debug_tuple("Custom").field(&hide(answer)).finish(),
            Answer::FirstFactor(x) => f.debug_tuple("FirstFactor").field(x).finish(),
            Answer::WebAuthnCredential(credential) => f
                .debug_tuple("WebAuthnCredential")
                .field(&hide(credential))
                .finish(),
            Answer::Raw(responses) => f.debug_tuple("Raw").field(&names(responses)).finish(),
        }
    }
}
