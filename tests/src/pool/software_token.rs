//! `AssociateSoftwareToken` and `VerifySoftwareToken`, with an access token or with a sign-in
//! Session (MFA_SETUP).
//!
//! - Exactly one of `AccessToken` and `Session` must be given (InvalidParameterException
//!   otherwise).
//! - With a Session: it must be an MFA_SETUP Session (or the one an earlier AssociateSoftwareToken
//!   returned); AssociateSoftwareToken answers `{SecretCode, Session}` with a new Session,
//!   VerifySoftwareToken needs that Session and answers `{Status: "SUCCESS", Session}` with the
//!   Session to answer MFA_SETUP with. Each call consumes the Session it was given.
//! - With an access token: AssociateSoftwareToken answers `{SecretCode}` and remembers the secret;
//!   VerifySoftwareToken marks it verified (`{Status: "SUCCESS"}`) but does not enable TOTP MFA —
//!   that is `SetUserMFAPreference`'s job, as in Cognito.
//! - `SecretCode` is base32 of 20 random bytes. A wrong `UserCode` answers
//!   EnableSoftwareTokenMFAException "Code mismatch and fail enable Software Token MFA" (a Session
//!   stays usable, up to [`super::MAX_FAILED_ATTEMPTS`]); a `UserCode` that is not 6 digits is
//!   InvalidParameterException.

use alloc::borrow::ToOwned;

use serde_json::json;

use super::UserPool;
use super::sessions::{SetupStage, Step, wrong_step};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_str};
use crate::totp;

/// Which credential a software-token call carries.
enum Caller<'a> {
    AccessToken,
    Session(&'a str),
}

fn caller(request: &Object) -> Result<Caller<'_>, ServiceError> {
    match (
        opt_str(request, "AccessToken")?,
        opt_str(request, "Session")?,
    ) {
        (Some(_), Some(_)) => Err(ServiceError::invalid_parameter(
            "Send an AccessToken or a Session, not both.",
        )),
        (Some(_), None) => Ok(Caller::AccessToken),
        (None, Some(session)) => Ok(Caller::Session(session)),
        (None, None) => Err(ServiceError::invalid_parameter(
            "An AccessToken or a Session is required.",
        )),
    }
}

impl UserPool {
    /// `AssociateSoftwareToken {AccessToken | Session}`.
    pub(super) fn associate_software_token(&mut self, request: &Object) -> Outcome {
        if !self.mfa_config.software_token {
            return Err(ServiceError::invalid_parameter(
                "Software token MFA is not enabled for this user pool.",
            ));
        }
        match caller(request)? {
            Caller::AccessToken => {
                let claims = self.authorize(request)?;
                let secret = self.new_totp_secret();
                let user = self
                    .users
                    .by_sub_mut(&claims.sub)
                    .ok_or_else(ServiceError::user_not_found)?;
                user.pending_totp_secret = Some(secret.clone());
                Ok(json!({ "SecretCode": secret }))
            }
            Caller::Session(session) => {
                let state = self.take_session(None, Some(session))?.session;
                let Step::MfaSetup {
                    stage: SetupStage::Started | SetupStage::Associated { .. },
                } = state.step
                else {
                    return Err(wrong_step());
                };
                let secret = self.new_totp_secret();
                let step = Step::MfaSetup {
                    stage: SetupStage::Associated {
                        secret: secret.clone(),
                    },
                };
                let session = self.open_session(&state.client_id, &state.sub, step, state.progress);
                Ok(json!({ "SecretCode": secret, "Session": session }))
            }
        }
    }

    /// `VerifySoftwareToken {AccessToken | Session, UserCode, FriendlyDeviceName}`.
    pub(super) fn verify_software_token(&mut self, request: &Object) -> Outcome {
        let caller = caller(request)?;
        let code = req_str(request, "UserCode")?;
        opt_str(request, "FriendlyDeviceName")?;
        if code.len() != totp::DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ServiceError::invalid_parameter(
                "1 validation error detected: Value at 'userCode' failed to satisfy constraint: Member must satisfy regular expression pattern: [0-9]{6}",
            ));
        }
        match caller {
            Caller::AccessToken => {
                let claims = self.authorize(request)?;
                let now = self.now;
                let user = self
                    .users
                    .by_sub_mut(&claims.sub)
                    .ok_or_else(ServiceError::user_not_found)?;
                let Some(secret) = user.pending_totp_secret.clone() else {
                    return Err(ServiceError::invalid_parameter(
                        "No software token is being associated: call AssociateSoftwareToken first.",
                    ));
                };
                if !totp::verify(&secret, code, now) {
                    return Err(ServiceError::enable_software_token_mfa());
                }
                user.totp_secret = Some(secret);
                user.pending_totp_secret = None;
                Ok(json!({ "Status": "SUCCESS" }))
            }
            Caller::Session(session) => {
                let taken = self.take_session(None, Some(session))?;
                let Step::MfaSetup {
                    stage: SetupStage::Associated { secret },
                } = &taken.session.step
                else {
                    return Err(wrong_step());
                };
                let secret = secret.clone();
                if !totp::verify(&secret, code, self.now) {
                    return Err(self.retry_later(taken, ServiceError::enable_software_token_mfa()));
                }
                let state = taken.session;
                let step = Step::MfaSetup {
                    stage: SetupStage::Verified { secret },
                };
                let session = self.open_session(&state.client_id, &state.sub, step, state.progress);
                Ok(json!({ "Status": "SUCCESS", "Session": session.to_owned() }))
            }
        }
    }
}
