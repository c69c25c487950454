//! Sign-in Sessions: the opaque `Session` strings that link the steps of one sign-in.
//!
//! Every challenge reply carries a fresh Session (random base64, 920 characters) that names one
//! [`Step`] — the answer it waits for — plus the sign-in's [`Progress`]. A Session is single-use:
//! answering it removes it, and the next challenge gets a new one, so a client that resends an
//! older Session gets NotAuthorizedException "Invalid session for the user.". Sessions expire
//! after the app client's `auth_session_validity_secs` ("Invalid session for the user, session is
//! expired.") and belong to the app client that started the sign-in.
//!
//! Retryable failures keep the Session: a wrong code (CodeMismatchException /
//! EnableSoftwareTokenMFAException) or a rejected new password (InvalidPasswordException, a
//! missing required attribute) leaves the same Session usable, until [`MAX_FAILED_ATTEMPTS`]
//! failures end the sign-in with NotAuthorizedException. Every other failure consumes it.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use super::UserPool;
use super::auth::SESSION_LIFETIME_SECS;
use super::choice::FirstFactorChallenge;
use super::mfa::MfaFactor;
use super::outbox::{DeliveryMedium, IssuedCode};
use super::srp_auth::SrpExchange;
use super::wire::ServiceError;

/// Failed answers (wrong codes, rejected new passwords) that end a sign-in: the first
/// `MAX_FAILED_ATTEMPTS - 1` keep the Session for a retry, the last one ends the sign-in with
/// NotAuthorizedException.
pub const MAX_FAILED_ATTEMPTS: u32 = 3;
/// Size of the randomness behind a Session string (base64: 920 characters).
const SESSION_BYTES: usize = 690;

/// The `InitiateAuth` flow a sign-in started with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flow {
    UserSrp,
    UserPassword,
    Custom,
    UserAuth,
}

/// What the user proved first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstFactor {
    /// Nothing yet (plain CUSTOM_AUTH, or before the first answer).
    None,
    /// The password, by SRP or in plain text: MFA follows when configured.
    Password,
    /// A one-time code or a passkey (choice-based sign-in): no MFA after it.
    Passwordless,
}

/// What a sign-in has achieved so far; carried from step to step.
#[derive(Debug, Clone)]
pub(crate) struct Progress {
    pub(crate) flow: Flow,
    pub(crate) first_factor: FirstFactor,
    /// The client has seen USER_ID_FOR_SRP in a PASSWORD_VERIFIER challenge.
    pub(crate) srp_username_known: bool,
    /// `DEVICE_KEY` sent at InitiateAuth or with the first-factor answer.
    pub(crate) device_key: Option<String>,
    /// The device passed DEVICE_PASSWORD_VERIFIER.
    pub(crate) device_verified: bool,
    /// CUSTOM_AUTH: rounds answered correctly so far.
    pub(crate) custom_round: usize,
    /// CUSTOM_AUTH: wrong answers so far.
    pub(crate) wrong_answers: u32,
    /// An MFA factor was proven (or set up).
    pub(crate) mfa_done: bool,
}

impl Progress {
    pub(crate) fn new(flow: Flow, device_key: Option<String>) -> Self {
        Self {
            flow,
            first_factor: FirstFactor::None,
            srp_username_known: false,
            device_key,
            device_verified: false,
            custom_round: 0,
            wrong_answers: 0,
            mfa_done: false,
        }
    }
}

/// Where MFA_SETUP with a software token stands.
#[derive(Debug, Clone)]
pub(crate) enum SetupStage {
    /// The MFA_SETUP challenge was issued.
    Started,
    /// AssociateSoftwareToken handed out `secret`.
    Associated { secret: String },
    /// VerifySoftwareToken accepted a code for `secret`.
    Verified { secret: String },
}

/// The answer a Session waits for.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    DeviceSrpAuth {
        device_key: String,
    },
    DevicePasswordVerifier {
        device_key: String,
        exchange: SrpExchange,
    },
    NewPasswordRequired {
        /// Required attributes the user lacked (names without the `userAttributes.` prefix).
        required: Vec<String>,
    },
    /// SMS_MFA, SOFTWARE_TOKEN_MFA or EMAIL_OTP after the password; `code` is `None` for TOTP.
    MfaCode {
        factor: MfaFactor,
        code: Option<IssuedCode>,
    },
    SelectMfaType {
        choices: Vec<MfaFactor>,
    },
    MfaSetup {
        stage: SetupStage,
    },
    /// EMAIL_OTP confirming the address given to MFA_SETUP.
    EmailMfaSetup {
        email: String,
        code: IssuedCode,
    },
    CustomChallenge {
        round: usize,
    },
    SelectChallenge {
        available: Vec<FirstFactorChallenge>,
    },
    /// SMS_OTP / EMAIL_OTP as the first factor of choice-based sign-in.
    SignInOtp {
        medium: DeliveryMedium,
        code: IssuedCode,
    },
    WebAuthn {
        challenge: String,
    },
    /// `SignUp`'s Session, waiting for `ConfirmSignUp`.
    SignUp,
    /// `ConfirmSignUp`'s Session, waiting for `InitiateAuth` `USER_AUTH`.
    SignUpConfirmed,
}

/// A sign-in Session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub(crate) client_id: String,
    pub(crate) sub: String,
    pub(crate) expires_at: u64,
    pub(crate) step: Step,
    pub(crate) progress: Progress,
    /// Retryable failures so far.
    pub(crate) failures: u32,
}

/// A Session removed from the table, with its token (to put it back after a retryable failure).
#[derive(Debug)]
pub(crate) struct Taken {
    pub(crate) token: String,
    pub(crate) session: Session,
}

impl UserPool {
    /// The Session lifetime of app client `client_id`.
    pub(super) fn session_validity(&self, client_id: &str) -> u64 {
        self.clients
            .get(client_id)
            .map_or(SESSION_LIFETIME_SECS, |client| {
                client.settings.auth_session_validity_secs
            })
    }

    /// Opens a fresh Session for `sub` at `step` and returns its token.
    pub(super) fn open_session(
        &mut self,
        client_id: &str,
        sub: &str,
        step: Step,
        progress: Progress,
    ) -> String {
        let token = self.rng.base64(SESSION_BYTES);
        let expires_at = self.now + self.session_validity(client_id);
        self.sessions.insert(
            token.clone(),
            Session {
                client_id: client_id.to_owned(),
                sub: sub.to_owned(),
                expires_at,
                step,
                progress,
                failures: 0,
            },
        );
        token
    }

    /// Removes and returns the Session, checking that it exists, belongs to `client_id` (when
    /// given: AssociateSoftwareToken and VerifySoftwareToken carry no ClientId) and has not
    /// expired.
    pub(super) fn take_session(
        &mut self,
        client_id: Option<&str>,
        session: Option<&str>,
    ) -> Result<Taken, ServiceError> {
        let token = session
            .ok_or_else(|| ServiceError::invalid_parameter("Missing required parameter Session"))?;
        let state = self
            .sessions
            .remove(token)
            .filter(|state| client_id.is_none_or(|id| state.client_id == id))
            .ok_or_else(invalid_session)?;
        if self.now > state.expires_at {
            return Err(session_expired());
        }
        Ok(Taken {
            token: token.to_owned(),
            session: state,
        })
    }

    /// After a retryable failure: counts it and puts the Session back, or ends the sign-in when
    /// it was the [`MAX_FAILED_ATTEMPTS`]th. Returns the error to answer with.
    pub(super) fn retry_later(&mut self, mut taken: Taken, error: ServiceError) -> ServiceError {
        taken.session.failures += 1;
        if taken.session.failures >= MAX_FAILED_ATTEMPTS {
            return ServiceError::not_authorized(
                "Invalid session for the user, too many failed attempts.",
            );
        }
        self.sessions.insert(taken.token, taken.session);
        error
    }
}

pub(crate) fn invalid_session() -> ServiceError {
    ServiceError::not_authorized("Invalid session for the user.")
}

pub(crate) fn session_expired() -> ServiceError {
    ServiceError::not_authorized("Invalid session for the user, session is expired.")
}

pub(crate) fn wrong_step() -> ServiceError {
    ServiceError::not_authorized(
        "Invalid session for the user: the Session was issued for another challenge.",
    )
}
