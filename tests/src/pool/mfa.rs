//! Multi-factor authentication: the pool's MFA configuration, users' MFA settings, the challenges
//! after a password (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP), the code
//! answers (also for USER_AUTH's one-time passwords), and `SetUserMFAPreference`.
//!
//! Which challenge follows a password ([`UserPool::mfa_need`]):
//! - pool MFA [`MfaMode::Off`]: none;
//! - the user's *usable* factors are the enabled ones the pool allows and that can be delivered
//!   (SMS needs `phone_number`, email needs `email`, TOTP a verified software token);
//! - one usable factor → its challenge; several → the preferred one, else SELECT_MFA_TYPE with
//!   `MFAS_CAN_CHOOSE` (a JSON array string, e.g. `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`);
//! - none, pool [`MfaMode::On`]: SMS_MFA if the pool allows SMS and the user has a phone number
//!   (as Cognito does for required MFA), else MFA_SETUP with `MFAS_CAN_SETUP` listing the factors
//!   the pool allows; none, [`MfaMode::Optional`]: no MFA.
//!
//! SMS_MFA and EMAIL_OTP send a code ([`super::outbox`]) and name its destination masked in
//! `CODE_DELIVERY_DELIVERY_MEDIUM` / `CODE_DELIVERY_DESTINATION`; SOFTWARE_TOKEN_MFA checks RFC 6238
//! against the emulator clock ([`crate::totp`]). A wrong code answers CodeMismatchException and
//! keeps the Session (up to [`super::MAX_FAILED_ATTEMPTS`]); an expired one ExpiredCodeException.
//! SELECT_MFA_TYPE is answered with `ANSWER` = `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`
//! (`EMAIL_MFA` is accepted as a synonym, as in AWS's documentation).
//!
//! MFA_SETUP is completed either with a software token — AssociateSoftwareToken(Session) →
//! VerifySoftwareToken(Session, UserCode) → RespondToAuthChallenge MFA_SETUP with the Session
//! VerifySoftwareToken returned, which enables TOTP (preferred unless the user has a preference) —
//! or, when the pool allows email MFA, by answering MFA_SETUP with `EMAIL` = an address (what
//! Amplify sends): the address becomes the user's `email`, a code goes there, and the reply is an
//! EMAIL_OTP challenge whose correct answer verifies the address and enables email MFA. Answering
//! MFA_SETUP before either is InvalidParameterException (and ends the sign-in).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::UserPool;
use super::auth::{challenge_reply, user_parameters};
use super::clients::AppClient;
use super::outbox::{CodePurpose, DeliveryMedium, IssuedCode, mask};
use super::sessions::{FirstFactor, Progress, SetupStage, Step, Taken, wrong_step};
use super::users::{User, UserMfaSettings};
use super::wire::{Object, Outcome, ServiceError, opt_bool, opt_object, opt_str, req_param};
use crate::{srp, totp};

/// An MFA factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MfaFactor {
    /// A code by text message (`SMS_MFA`).
    Sms,
    /// A TOTP authenticator (`SOFTWARE_TOKEN_MFA`).
    SoftwareToken,
    /// A code by email (`EMAIL_OTP`).
    Email,
}

impl MfaFactor {
    /// All factors, in the order challenges list them.
    pub const ALL: [Self; 3] = [Self::Sms, Self::SoftwareToken, Self::Email];

    /// The challenge name: `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`.
    pub fn challenge_name(self) -> &'static str {
        match self {
            Self::Sms => "SMS_MFA",
            Self::SoftwareToken => "SOFTWARE_TOKEN_MFA",
            Self::Email => "EMAIL_OTP",
        }
    }

    fn from_answer(answer: &str) -> Option<Self> {
        match answer {
            "SMS_MFA" => Some(Self::Sms),
            "SOFTWARE_TOKEN_MFA" => Some(Self::SoftwareToken),
            "EMAIL_OTP" | "EMAIL_MFA" => Some(Self::Email),
            _ => None,
        }
    }
}

/// The pool's `MfaConfiguration`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MfaMode {
    /// `OFF`: no MFA.
    #[default]
    Off,
    /// `OPTIONAL`: MFA for users who enabled a factor.
    Optional,
    /// `ON`: every sign-in with a password needs MFA; users without a factor must set one up.
    On,
}

/// The pool's MFA configuration: the mode and the factors it allows. `Default`: off, with SMS and
/// TOTP allowed and email not (email MFA needs extra set-up in real pools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MfaConfiguration {
    /// Off, optional or required.
    pub mode: MfaMode,
    /// SMS MFA allowed.
    pub sms: bool,
    /// Software-token (TOTP) MFA allowed.
    pub software_token: bool,
    /// Email MFA allowed.
    pub email: bool,
}

impl Default for MfaConfiguration {
    fn default() -> Self {
        Self {
            mode: MfaMode::Off,
            sms: true,
            software_token: true,
            email: false,
        }
    }
}

impl MfaConfiguration {
    fn allows(&self, factor: MfaFactor) -> bool {
        match factor {
            MfaFactor::Sms => self.sms,
            MfaFactor::SoftwareToken => self.software_token,
            MfaFactor::Email => self.email,
        }
    }
}

/// What MFA a sign-in needs after the password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MfaNeed {
    None,
    Challenge(MfaFactor),
    Select(Vec<MfaFactor>),
    Setup(Vec<MfaFactor>),
}

/// Size in bytes of a software-token secret (base32: 32 characters).
const TOTP_SECRET_BYTES: usize = 20;

impl UserPool {
    /// Sets the pool's MFA configuration.
    pub fn set_mfa_configuration(&mut self, configuration: MfaConfiguration) {
        self.mfa_config = configuration;
    }

    /// The pool's MFA configuration.
    pub fn mfa_configuration(&self) -> MfaConfiguration {
        self.mfa_config
    }

    /// Gives a user (by username or sub) a verified software token, enables TOTP MFA and returns
    /// the base32 secret (what an authenticator app would hold); `None` for an unknown user.
    pub fn enable_totp(&mut self, username_or_sub: &str) -> Option<String> {
        let secret = totp::base32_encode(&self.rng.bytes(TOTP_SECRET_BYTES));
        let user = self.users.find_mut(username_or_sub)?;
        user.totp_secret = Some(secret.clone());
        user.mfa.software_token = true;
        Some(secret)
    }

    /// A user's verified software-token secret (base32), if any.
    pub fn totp_secret(&self, username_or_sub: &str) -> Option<String> {
        self.users.find(username_or_sub)?.totp_secret.clone()
    }

    /// A user's MFA settings.
    pub fn user_mfa(&self, username_or_sub: &str) -> Option<UserMfaSettings> {
        self.users.find(username_or_sub).map(|user| user.mfa)
    }

    /// Sets a user's MFA settings as an administrator would. Returns `false` (and changes
    /// nothing) for an unknown user, for `software_token` without a verified software token, or
    /// for a preferred factor that is not enabled.
    pub fn set_user_mfa(&mut self, username_or_sub: &str, settings: UserMfaSettings) -> bool {
        let Some(user) = self.users.find_mut(username_or_sub) else {
            return false;
        };
        if settings.software_token && user.totp_secret.is_none() {
            return false;
        }
        if settings
            .preferred
            .is_some_and(|factor| !enabled(&settings, factor))
        {
            return false;
        }
        user.mfa = settings;
        true
    }

    /// The MFA a password sign-in of `sub` needs (see the module documentation).
    pub(super) fn mfa_need(&self, sub: &str) -> MfaNeed {
        let config = self.mfa_config;
        let Some(user) = self.users.by_sub(sub) else {
            return MfaNeed::None;
        };
        if config.mode == MfaMode::Off {
            return MfaNeed::None;
        }
        let usable: Vec<MfaFactor> = MfaFactor::ALL
            .into_iter()
            .filter(|&factor| {
                config.allows(factor) && enabled(&user.mfa, factor) && deliverable(user, factor)
            })
            .collect();
        match usable.as_slice() {
            [] if config.mode == MfaMode::On => {
                if config.sms && user.attribute("phone_number").is_some() {
                    MfaNeed::Challenge(MfaFactor::Sms)
                } else {
                    MfaNeed::Setup(
                        MfaFactor::ALL
                            .into_iter()
                            .filter(|&factor| config.allows(factor))
                            .collect(),
                    )
                }
            }
            [] => MfaNeed::None,
            [only] => MfaNeed::Challenge(*only),
            several => match user.mfa.preferred.filter(|p| several.contains(p)) {
                Some(preferred) => MfaNeed::Challenge(preferred),
                None => MfaNeed::Select(several.to_vec()),
            },
        }
    }

    /// Issues the challenge for `need`; `None` when no MFA is needed.
    pub(super) fn issue_mfa(
        &mut self,
        client: &AppClient,
        sub: &str,
        need: MfaNeed,
        progress: Progress,
    ) -> Option<Outcome> {
        match need {
            MfaNeed::None => None,
            MfaNeed::Challenge(factor) => {
                Some(self.issue_mfa_challenge(&client.id, sub, factor, progress))
            }
            MfaNeed::Select(choices) => {
                let mut parameters = user_parameters(sub);
                parameters.insert("MFAS_CAN_CHOOSE".to_owned(), factor_list(&choices));
                let session =
                    self.open_session(&client.id, sub, Step::SelectMfaType { choices }, progress);
                Some(Ok(challenge_reply("SELECT_MFA_TYPE", parameters, session)))
            }
            MfaNeed::Setup(factors) => {
                let mut parameters = user_parameters(sub);
                parameters.insert("MFAS_CAN_SETUP".to_owned(), factor_list(&factors));
                let step = Step::MfaSetup {
                    stage: SetupStage::Started,
                };
                let session = self.open_session(&client.id, sub, step, progress);
                Some(Ok(challenge_reply("MFA_SETUP", parameters, session)))
            }
        }
    }

    /// SMS_MFA / EMAIL_OTP (a code is sent) or SOFTWARE_TOKEN_MFA.
    fn issue_mfa_challenge(
        &mut self,
        client_id: &str,
        sub: &str,
        factor: MfaFactor,
        progress: Progress,
    ) -> Outcome {
        let user = self
            .users
            .by_sub(sub)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        let mut parameters = user_parameters(sub);
        let medium = match factor {
            MfaFactor::Sms => Some(DeliveryMedium::Sms),
            MfaFactor::Email => Some(DeliveryMedium::Email),
            MfaFactor::SoftwareToken => None,
        };
        let code = match medium {
            Some(medium) => {
                let destination = destination(&user, medium).ok_or_else(|| {
                    ServiceError::invalid_parameter("The user has no address to send the code to.")
                })?;
                parameters.insert(
                    "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
                    Value::String(medium.as_str().to_owned()),
                );
                parameters.insert(
                    "CODE_DELIVERY_DESTINATION".to_owned(),
                    Value::String(mask(medium, &destination)),
                );
                Some(self.send_code(&user, medium, &destination, CodePurpose::Mfa))
            }
            None => None,
        };
        let session = self.open_session(client_id, sub, Step::MfaCode { factor, code }, progress);
        Ok(challenge_reply(
            factor.challenge_name(),
            parameters,
            session,
        ))
    }

    /// Answers SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP (MFA, email MFA set-up, or a USER_AUTH
    /// one-time password) and SMS_OTP.
    pub(super) fn answer_code(
        &mut self,
        client: &AppClient,
        challenge: &str,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let taken = self.take_session(Some(&client.id), session)?;
        let key = match (challenge, &taken.session.step) {
            (
                "SMS_MFA",
                Step::MfaCode {
                    factor: MfaFactor::Sms,
                    ..
                },
            ) => "SMS_MFA_CODE",
            (
                "SOFTWARE_TOKEN_MFA",
                Step::MfaCode {
                    factor: MfaFactor::SoftwareToken,
                    ..
                },
            ) => "SOFTWARE_TOKEN_MFA_CODE",
            (
                "EMAIL_OTP",
                Step::MfaCode {
                    factor: MfaFactor::Email,
                    ..
                },
            )
            | ("EMAIL_OTP", Step::EmailMfaSetup { .. })
            | (
                "EMAIL_OTP",
                Step::SignInOtp {
                    medium: DeliveryMedium::Email,
                    ..
                },
            ) => "EMAIL_OTP_CODE",
            (
                "SMS_OTP",
                Step::SignInOtp {
                    medium: DeliveryMedium::Sms,
                    ..
                },
            ) => "SMS_OTP_CODE",
            _ => return Err(wrong_step()),
        };
        let sub = taken.session.sub.clone();
        self.check_answer_user(client, responses, &sub)?;
        let code = req_param(responses, key)?;
        let verdict = match &taken.session.step {
            Step::MfaCode {
                code: Some(issued), ..
            }
            | Step::EmailMfaSetup { code: issued, .. }
            | Step::SignInOtp { code: issued, .. } => check_issued(issued, code, self.now),
            _ => {
                let secret = self
                    .users
                    .by_sub(&sub)
                    .and_then(|user| user.totp_secret.clone())
                    .unwrap_or_default();
                if totp::verify(&secret, code, self.now) {
                    CodeVerdict::Ok
                } else {
                    CodeVerdict::Mismatch
                }
            }
        };
        match verdict {
            CodeVerdict::Ok => {}
            CodeVerdict::Expired => return Err(ServiceError::expired_code()),
            CodeVerdict::Mismatch => {
                return Err(self.retry_later(taken, ServiceError::code_mismatch()));
            }
        }
        let Taken { session: state, .. } = taken;
        let mut progress = state.progress;
        match state.step {
            Step::EmailMfaSetup { email, .. } => {
                if let Some(user) = self.users.by_sub_mut(&sub) {
                    user.set_attribute("email", &email);
                    user.attributes
                        .insert("email_verified".to_owned(), "true".to_owned());
                    user.mfa.email = true;
                    user.mfa.preferred = user.mfa.preferred.or(Some(MfaFactor::Email));
                }
                progress.mfa_done = true;
            }
            Step::SignInOtp { .. } => progress.first_factor = FirstFactor::Passwordless,
            _ => progress.mfa_done = true,
        }
        self.next_step(client, &sub, progress)
    }

    /// `SELECT_MFA_TYPE {USERNAME, ANSWER, SECRET_HASH}`.
    pub(super) fn answer_select_mfa_type(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::SelectMfaType { choices } = &state.step else {
            return Err(wrong_step());
        };
        self.check_answer_user(client, responses, &state.sub)?;
        let answer = req_param(responses, "ANSWER")?;
        let factor = MfaFactor::from_answer(answer)
            .filter(|factor| choices.contains(factor))
            .ok_or_else(|| {
                ServiceError::invalid_parameter(format!(
                    "ANSWER '{answer}' is not one of MFAS_CAN_CHOOSE."
                ))
            })?;
        self.issue_mfa_challenge(&client.id, &state.sub, factor, state.progress)
    }

    /// `MFA_SETUP {USERNAME, SECRET_HASH}` with VerifySoftwareToken's Session, or
    /// `{USERNAME, EMAIL, SECRET_HASH}` with the challenge's Session.
    pub(super) fn answer_mfa_setup(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::MfaSetup { stage } = &state.step else {
            return Err(wrong_step());
        };
        let sub = state.sub.clone();
        self.check_answer_user(client, responses, &sub)?;
        let mut progress = state.progress.clone();
        if let SetupStage::Verified { secret } = stage {
            if let Some(user) = self.users.by_sub_mut(&sub) {
                user.totp_secret = Some(secret.clone());
                user.mfa.software_token = true;
                user.mfa.preferred = user.mfa.preferred.or(Some(MfaFactor::SoftwareToken));
            }
            progress.mfa_done = true;
            return self.next_step(client, &sub, progress);
        }
        let Some(email) = opt_str(responses, "EMAIL")? else {
            return Err(ServiceError::invalid_parameter(
                "No MFA factor was set up with this Session: call AssociateSoftwareToken and VerifySoftwareToken and answer with the Session VerifySoftwareToken returned, or answer with EMAIL.",
            ));
        };
        if !self.mfa_config.email {
            return Err(ServiceError::invalid_parameter(
                "Email MFA is not enabled for this user pool.",
            ));
        }
        if !is_email_address(email) {
            return Err(ServiceError::invalid_parameter(
                "Invalid email address format.",
            ));
        }
        let user = self
            .users
            .by_sub(&sub)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        let code = self.send_code(&user, DeliveryMedium::Email, email, CodePurpose::MfaSetup);
        let mut parameters = user_parameters(&sub);
        parameters.insert("CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(), json!("EMAIL"));
        parameters.insert(
            "CODE_DELIVERY_DESTINATION".to_owned(),
            Value::String(mask(DeliveryMedium::Email, email)),
        );
        let step = Step::EmailMfaSetup {
            email: email.to_owned(),
            code,
        };
        let session = self.open_session(&client.id, &sub, step, progress);
        Ok(challenge_reply("EMAIL_OTP", parameters, session))
    }

    /// `SetUserMFAPreference {AccessToken, SMSMfaSettings, SoftwareTokenMfaSettings,
    /// EmailMfaSettings}`, each `{Enabled, PreferredMfa}`; absent settings leave that factor as
    /// it is.
    pub(super) fn set_user_mfa_preference(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let mut changes = Vec::new();
        for (member, factor) in [
            ("SMSMfaSettings", MfaFactor::Sms),
            ("SoftwareTokenMfaSettings", MfaFactor::SoftwareToken),
            ("EmailMfaSettings", MfaFactor::Email),
        ] {
            if let Some(settings) = opt_object(request, member)? {
                let enabled = opt_bool(settings, "Enabled")?;
                let preferred = opt_bool(settings, "PreferredMfa")?;
                changes.push((factor, enabled, preferred));
            }
        }
        let config = self.mfa_config;
        let user = self
            .users
            .by_sub(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut mfa = user.mfa;
        for (factor, enabled_flag, preferred) in changes {
            let turn_on = enabled_flag == Some(true) || preferred == Some(true);
            if turn_on && !config.allows(factor) {
                return Err(ServiceError::invalid_parameter(format!(
                    "{} is not enabled for this user pool.",
                    factor.challenge_name()
                )));
            }
            if turn_on && !deliverable(user, factor) {
                return Err(ServiceError::invalid_parameter(match factor {
                    MfaFactor::SoftwareToken => {
                        "User has not verified software token mfa".to_owned()
                    }
                    _ => format!(
                        "User does not have delivery config set to turn on {}",
                        factor.challenge_name()
                    ),
                }));
            }
            if let Some(on) = enabled_flag {
                set_enabled(&mut mfa, factor, on);
            }
            match preferred {
                Some(true) => {
                    set_enabled(&mut mfa, factor, true);
                    mfa.preferred = Some(factor);
                }
                Some(false) if mfa.preferred == Some(factor) => mfa.preferred = None,
                _ => {}
            }
            if !enabled(&mfa, factor) && mfa.preferred == Some(factor) {
                mfa.preferred = None;
            }
        }
        if let Some(user) = self.users.by_sub_mut(&claims.sub) {
            user.mfa = mfa;
        }
        Ok(json!({}))
    }

    /// A fresh software-token secret (base32).
    pub(super) fn new_totp_secret(&mut self) -> String {
        totp::base32_encode(&self.rng.bytes(TOTP_SECRET_BYTES))
    }
}

/// The outcome of checking a sent code.
enum CodeVerdict {
    Ok,
    Mismatch,
    Expired,
}

fn check_issued(issued: &IssuedCode, code: &str, now: u64) -> CodeVerdict {
    if now > issued.expires_at {
        CodeVerdict::Expired
    } else if srp::signatures_match(&issued.code, code) {
        CodeVerdict::Ok
    } else {
        CodeVerdict::Mismatch
    }
}

fn enabled(settings: &UserMfaSettings, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::Sms => settings.sms,
        MfaFactor::SoftwareToken => settings.software_token,
        MfaFactor::Email => settings.email,
    }
}

fn set_enabled(settings: &mut UserMfaSettings, factor: MfaFactor, on: bool) {
    match factor {
        MfaFactor::Sms => settings.sms = on,
        MfaFactor::SoftwareToken => settings.software_token = on,
        MfaFactor::Email => settings.email = on,
    }
}

/// Whether the factor can reach the user (an address, a verified token).
fn deliverable(user: &User, factor: MfaFactor) -> bool {
    match factor {
        MfaFactor::Sms => user.attribute("phone_number").is_some(),
        MfaFactor::SoftwareToken => user.totp_secret.is_some(),
        MfaFactor::Email => user.attribute("email").is_some(),
    }
}

/// The user's `phone_number` / `email` for a medium.
pub(crate) fn destination(user: &User, medium: DeliveryMedium) -> Option<String> {
    let name = match medium {
        DeliveryMedium::Sms => "phone_number",
        DeliveryMedium::Email => "email",
    };
    user.attribute(name).map(ToOwned::to_owned)
}

/// `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` as a JSON string value.
fn factor_list(factors: &[MfaFactor]) -> Value {
    let names: Vec<Value> = factors
        .iter()
        .map(|factor| Value::String(factor.challenge_name().to_owned()))
        .collect();
    Value::String(Value::Array(names).to_string())
}

fn is_email_address(text: &str) -> bool {
    text.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty() && !domain.is_empty() && !text.chars().any(char::is_whitespace)
    })
}
