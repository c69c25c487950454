//! The requests a sign-in writes: `InitiateAuth`, the SRP answers it gives by itself, and the
//! caller's answers (checked against the waiting challenge first).

use super::method::Method;
use super::state::{Answered, Auto};
use super::{SignIn, non_empty, password_of};
use crate::auth::answer::{Answer, FirstFactor};
use crate::auth::challenge::ChallengeName;
use crate::capacity::Capacities;
use crate::error::{Error, Misuse};
use crate::srp::SrpEphemeral;
use crate::wire::{JsonWriter, Operation, Request, Resend, encode_json};

impl<L: Capacities> SignIn<L> {
    /// Writes the automatic request `next` into `buf`.
    pub(super) fn write_auto<'b>(
        &self,
        next: Auto,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        let (operation, resend) = match next {
            Auto::Initiate => (Operation::InitiateAuth, self.method.initiate_resend()),
            _ => (Operation::RespondToAuthChallenge, Resend::OnlyIfUnreceived),
        };
        let len = match next {
            Auto::Initiate => encode_json(buf, |w| self.write_initiate_auth(w))?,
            Auto::PasswordVerifier => {
                encode_json(buf, |w| self.write_claim(w, "PASSWORD_VERIFIER"))?
            }
            Auto::DeviceSrpAuth => encode_json(buf, |w| self.write_device_srp_auth(w))?,
            Auto::DevicePasswordVerifier => {
                encode_json(buf, |w| self.write_claim(w, "DEVICE_PASSWORD_VERIFIER"))?
            }
            Auto::MfaSetupComplete => encode_json(buf, |w| {
                self.write_respond(w, "MFA_SETUP", |_| {});
            })?,
        };
        Ok(Request::new(
            operation,
            buf.get(..len).unwrap_or_default(),
            resend,
        ))
    }

    /// Writes the request that carries `answer` (already checked to be `answered`).
    pub(super) fn write_answer_request<'b>(
        &self,
        answered: Answered,
        answer: &Answer<'_>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        let (operation, len) = match answered {
            Answered::AssociateSoftwareToken => (
                Operation::AssociateSoftwareToken,
                encode_json(buf, |w| {
                    w.begin_object();
                    w.field_str("Session", &self.session);
                    w.end_object();
                })?,
            ),
            Answered::VerifySoftwareToken => (
                Operation::VerifySoftwareToken,
                encode_json(buf, |w| {
                    w.begin_object();
                    if let Answer::VerifyTotp {
                        code,
                        friendly_name,
                    } = answer
                    {
                        w.field_str("UserCode", code);
                        w.field_opt_str("FriendlyDeviceName", *friendly_name);
                    }
                    w.field_str("Session", &self.session);
                    w.end_object();
                })?,
            ),
            Answered::Challenge { .. } => (
                Operation::RespondToAuthChallenge,
                encode_json(buf, |w| {
                    self.write_respond(w, &self.challenge_name, |w| self.write_answer(w, answer));
                })?,
            ),
        };
        // Every answer spends the challenge's single-use Session.
        Ok(Request::new(
            operation,
            buf.get(..len).unwrap_or_default(),
            Resend::OnlyIfUnreceived,
        ))
    }

    /// Checks that `answer` fits challenge `name`; says what it is sent as.
    pub(super) fn check_answer(
        &self,
        name: ChallengeName<'_>,
        answer: &Answer<'_>,
        totp_secret_shown: bool,
    ) -> Result<Answered, Error> {
        let respond = |srp_a| Ok(Answered::Challenge { srp_a });
        let password = password_of(&self.password).unwrap_or("");
        match (name, answer) {
            (_, Answer::Raw(_)) => respond(false),
            (
                ChallengeName::SmsMfa
                | ChallengeName::SoftwareTokenMfa
                | ChallengeName::EmailOtp
                | ChallengeName::SmsOtp,
                Answer::Code(code),
            ) => {
                non_empty(code, "code")?;
                respond(false)
            }
            (ChallengeName::SelectMfaType, Answer::MfaType(_)) => respond(false),
            (ChallengeName::MfaSetup, Answer::SetUpTotp) => Ok(Answered::AssociateSoftwareToken),
            (ChallengeName::MfaSetup, Answer::VerifyTotp { code, .. }) if totp_secret_shown => {
                non_empty(code, "code")?;
                Ok(Answered::VerifySoftwareToken)
            }
            (ChallengeName::MfaSetup, Answer::SetUpEmail(email)) => {
                non_empty(email, "email")?;
                respond(false)
            }
            (ChallengeName::NewPasswordRequired, Answer::NewPassword { password, .. }) => {
                non_empty(password, "password")?;
                respond(false)
            }
            (ChallengeName::CustomChallenge, Answer::Custom(text)) => {
                non_empty(text, "answer")?;
                respond(false)
            }
            (ChallengeName::SelectChallenge, Answer::FirstFactor(factor)) => match factor {
                FirstFactor::Password => {
                    non_empty(password, "password")?;
                    respond(false)
                }
                FirstFactor::PasswordSrp => {
                    non_empty(password, "password")?;
                    if self.ephemeral.is_none() {
                        return Err(Misuse::Empty("ephemeral").into());
                    }
                    respond(true)
                }
                _ => respond(false),
            },
            (ChallengeName::WebAuthn, Answer::WebAuthnCredential(credential)) => {
                non_empty(credential, "credential")?;
                respond(false)
            }
            _ => Err(Misuse::Invalid("answer").into()),
        }
    }

    fn device_key(&self) -> Option<&str> {
        self.device.as_ref().map(|(d, _)| d.device_key())
    }

    fn write_srp_a(w: &mut JsonWriter<'_>, ephemeral: Option<&SrpEphemeral>) {
        if let Some(ephemeral) = ephemeral {
            w.key("SRP_A");
            w.string_raw_with(|sink| ephemeral.write_public_hex(|chunk| sink.put(chunk)));
        }
    }

    fn write_client_metadata(&self, w: &mut JsonWriter<'_>) {
        if !self.client_metadata.is_empty() {
            w.key("ClientMetadata");
            w.raw(&self.client_metadata);
        }
    }

    fn write_initiate_auth(&self, w: &mut JsonWriter<'_>) {
        let password = password_of(&self.password);
        w.begin_object();
        w.field_str("AuthFlow", self.method.auth_flow());
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("AuthParameters");
        w.field_str("USERNAME", &self.username);
        match self.method {
            Method::UserSrp => Self::write_srp_a(w, self.ephemeral.as_ref()),
            Method::UserPassword => w.field_opt_str("PASSWORD", password),
            Method::Custom { srp: true } => {
                w.field_str("CHALLENGE_NAME", "SRP_A");
                Self::write_srp_a(w, self.ephemeral.as_ref());
            }
            Method::Custom { srp: false } => {}
            Method::Choice { preferred, .. } => {
                if let Some(preferred) = preferred {
                    w.field_str("PREFERRED_CHALLENGE", preferred.as_str());
                }
                match preferred {
                    Some(FirstFactor::Password) => w.field_opt_str("PASSWORD", password),
                    Some(FirstFactor::PasswordSrp) => Self::write_srp_a(w, self.ephemeral.as_ref()),
                    _ => {}
                }
            }
        }
        if let Some(hash) = self.config.secret_hash(&self.username) {
            w.field_str("SECRET_HASH", hash.as_str());
        }
        w.field_opt_str("DEVICE_KEY", self.device_key());
        w.end_object();
        if let Method::Choice {
            after_sign_up: true,
            ..
        } = self.method
        {
            w.field_str("Session", &self.session);
        }
        self.write_client_metadata(w);
        w.end_object();
    }

    /// `{ChallengeName, ClientId, ChallengeResponses: {USERNAME, <responses>, SECRET_HASH}, Session, ClientMetadata}`.
    fn write_respond(
        &self,
        w: &mut JsonWriter<'_>,
        challenge_name: &str,
        responses: impl FnOnce(&mut JsonWriter<'_>),
    ) {
        w.begin_object();
        w.field_str("ChallengeName", challenge_name);
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("ChallengeResponses");
        w.field_str("USERNAME", &self.challenge_username);
        responses(w);
        if let Some(hash) = self.config.secret_hash(&self.challenge_username) {
            w.field_str("SECRET_HASH", hash.as_str());
        }
        w.end_object();
        if !self.session.is_empty() {
            w.field_str("Session", &self.session);
        }
        self.write_client_metadata(w);
        w.end_object();
    }

    fn write_claim(&self, w: &mut JsonWriter<'_>, challenge_name: &str) {
        let (timestamp, signature) = match &self.claim {
            Some(claim) => (claim.timestamp(), claim.signature()),
            None => ("", ""),
        };
        self.write_respond(w, challenge_name, |w| {
            w.field_str("PASSWORD_CLAIM_SECRET_BLOCK", &self.secret_block);
            w.field_str("TIMESTAMP", timestamp);
            w.field_str("PASSWORD_CLAIM_SIGNATURE", signature);
            w.field_opt_str("DEVICE_KEY", self.device_key());
        });
    }

    fn write_device_srp_auth(&self, w: &mut JsonWriter<'_>) {
        self.write_respond(w, "DEVICE_SRP_AUTH", |w| {
            w.field_opt_str("DEVICE_KEY", self.device_key());
            Self::write_srp_a(w, self.device.as_ref().map(|(_, e)| e));
        });
    }

    fn write_answer(&self, w: &mut JsonWriter<'_>, answer: &Answer<'_>) {
        let name = ChallengeName::parse(&self.challenge_name);
        match *answer {
            Answer::Code(code) => {
                let key = match name {
                    ChallengeName::SmsMfa => "SMS_MFA_CODE",
                    ChallengeName::SoftwareTokenMfa => "SOFTWARE_TOKEN_MFA_CODE",
                    ChallengeName::EmailOtp => "EMAIL_OTP_CODE",
                    _ => "SMS_OTP_CODE",
                };
                w.field_str(key, code);
            }
            Answer::MfaType(mfa) => w.field_str("ANSWER", mfa.as_str()),
            Answer::SetUpEmail(email) => w.field_str("EMAIL", email),
            Answer::NewPassword {
                password,
                attributes,
            } => {
                w.field_str("NEW_PASSWORD", password);
                for (attribute, value) in attributes {
                    w.key_parts(&["userAttributes.", attribute]);
                    w.string(value);
                }
            }
            Answer::Custom(text) => w.field_str("ANSWER", text),
            Answer::FirstFactor(factor) => {
                w.field_str("ANSWER", factor.as_str());
                match factor {
                    FirstFactor::Password => {
                        w.field_opt_str("PASSWORD", password_of(&self.password));
                    }
                    FirstFactor::PasswordSrp => Self::write_srp_a(w, self.ephemeral.as_ref()),
                    _ => {}
                }
            }
            Answer::WebAuthnCredential(credential) => w.field_str("CREDENTIAL", credential),
            Answer::Raw(pairs) => {
                for (key, value) in pairs {
                    w.field_str(key, value);
                }
            }
            Answer::SetUpTotp | Answer::VerifyTotp { .. } => {}
        }
    }
}
