//! How a sign-in proves its first factor, and what that decides about its requests.

use super::super::answer::FirstFactor;
use super::super::challenge::ChallengeName;
use crate::wire::Resend;

/// How the first factor is proven. The password itself lives in the flow's password slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Method {
    /// `USER_SRP_AUTH`.
    UserSrp,
    /// `USER_PASSWORD_AUTH`.
    UserPassword,
    /// `CUSTOM_AUTH`; with `srp`, the password is proven first (`CHALLENGE_NAME=SRP_A`).
    Custom { srp: bool },
    /// `USER_AUTH` (choice-based); `after_sign_up` when `InitiateAuth` carries the `Session`
    /// `ConfirmSignUp` returned.
    Choice {
        preferred: Option<FirstFactor>,
        after_sign_up: bool,
    },
}

impl Method {
    /// `AuthFlow`.
    pub(super) fn auth_flow(self) -> &'static str {
        match self {
            Method::UserSrp => "USER_SRP_AUTH",
            Method::UserPassword => "USER_PASSWORD_AUTH",
            Method::Custom { .. } => "CUSTOM_AUTH",
            Method::Choice { .. } => "USER_AUTH",
        }
    }

    /// Whether `InitiateAuth` carries `SRP_A`.
    pub(super) fn initiates_with_srp(self) -> bool {
        match self {
            Method::UserSrp | Method::Custom { srp: true } => true,
            Method::Choice { preferred, .. } => preferred == Some(FirstFactor::PasswordSrp),
            Method::UserPassword | Method::Custom { srp: false } => false,
        }
    }

    /// Whether `InitiateAuth` may be resent after a failure that may have reached the pool: only
    /// when all it does is start SRP or offer a choice. A password sent as is may count as a
    /// failed attempt, a code may be sent twice, a Lambda trigger may run twice, and the
    /// `Session` of `ConfirmSignUp` is single-use.
    pub(super) fn initiate_resend(self) -> Resend {
        match self {
            Method::UserSrp | Method::Custom { srp: true } => Resend::AfterAnyFailure,
            Method::Choice {
                preferred: None | Some(FirstFactor::PasswordSrp),
                after_sign_up: false,
            } => Resend::AfterAnyFailure,
            _ => Resend::OnlyIfUnreceived,
        }
    }

    /// Whether a challenge the caller answers belongs to this flow.
    pub(super) fn allows(self, name: ChallengeName<'_>) -> bool {
        match name {
            ChallengeName::SmsMfa
            | ChallengeName::SoftwareTokenMfa
            | ChallengeName::EmailOtp
            | ChallengeName::SelectMfaType
            | ChallengeName::MfaSetup
            | ChallengeName::NewPasswordRequired
            | ChallengeName::Other(_) => true,
            ChallengeName::CustomChallenge => matches!(self, Method::Custom { .. }),
            ChallengeName::SelectChallenge
            | ChallengeName::SmsOtp
            | ChallengeName::WebAuthn
            | ChallengeName::Password
            | ChallengeName::PasswordSrp => matches!(self, Method::Choice { .. }),
            _ => false,
        }
    }
}

/// Whether `name` is a step SRP answers by itself (never the caller's).
pub(super) fn is_srp_step(name: ChallengeName<'_>) -> bool {
    matches!(
        name,
        ChallengeName::PasswordVerifier
            | ChallengeName::DeviceSrpAuth
            | ChallengeName::DevicePasswordVerifier
            | ChallengeName::AdminNoSrpAuth
    )
}
