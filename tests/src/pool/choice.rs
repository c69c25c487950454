//! `USER_AUTH`: choice-based sign-in (`PREFERRED_CHALLENGE`, or SELECT_CHALLENGE).
//!
//! The first factors a user can choose (`AvailableChallenges`, in this order) are `PASSWORD` and
//! `PASSWORD_SRP` (always), then — only when the pool allows them
//! ([`UserPool::set_allowed_first_auth_factors`]; default: password only) and the pool does not
//! require MFA — `EMAIL_OTP` (verified `email`), `SMS_OTP` (verified `phone_number`) and
//! `WEB_AUTHN` (a registered passkey).
//!
//! - `AuthParameters {USERNAME, SECRET_HASH, DEVICE_KEY, PREFERRED_CHALLENGE}`: with an available
//!   `PREFERRED_CHALLENGE` that factor starts at once (`PASSWORD` needs `PASSWORD` and may finish
//!   with tokens, `PASSWORD_SRP` needs `SRP_A` and answers PASSWORD_VERIFIER with a Session);
//!   with an unavailable one, or none, the reply is SELECT_CHALLENGE with `AvailableChallenges`
//!   and a Session. An unknown `PREFERRED_CHALLENGE` is InvalidParameterException.
//! - SELECT_CHALLENGE is answered with `ANSWER` plus what that factor needs (`PASSWORD`, `SRP_A`);
//!   `ChallengeName: PASSWORD` / `PASSWORD_SRP` with the SELECT_CHALLENGE Session is accepted as
//!   the same answer. An answer outside `AvailableChallenges` is InvalidParameterException.
//! - `EMAIL_OTP` / `SMS_OTP` send a code and reply with that challenge (answered with
//!   `EMAIL_OTP_CODE` / `SMS_OTP_CODE`); `WEB_AUTHN` replies with `CREDENTIAL_REQUEST_OPTIONS`
//!   and is answered with `CREDENTIAL` (see [`super::webauthn`]). A `CREDENTIAL` sent along with
//!   `ANSWER: WEB_AUTHN` is ignored: the challenge must come first.
//! - A top-level `Session` from `ConfirmSignUp` signs the just-confirmed user in at once
//!   ([`super::signup`]); any other Session is NotAuthorizedException.
//! - After a password factor, MFA applies as for any password sign-in; passwordless factors skip
//!   it.

use alloc::borrow::ToOwned;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::UserPool;
use super::auth::{challenge_reply, user_parameters};
use super::clients::AppClient;
use super::mfa::{MfaMode, destination};
use super::outbox::{CodePurpose, DeliveryMedium, mask};
use super::sessions::{FirstFactor, Flow, Progress, Step, wrong_step};
use super::users::User;
use super::webauthn::{self, Passkey};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param};

/// A first factor the pool may allow for choice-based sign-in (its `AllowedFirstAuthFactors`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FirstAuthFactor {
    /// The password (`PASSWORD` and `PASSWORD_SRP`); always allowed.
    Password,
    /// A code by email (`EMAIL_OTP`).
    EmailOtp,
    /// A code by SMS (`SMS_OTP`).
    SmsOtp,
    /// A passkey (`WEB_AUTHN`).
    WebAuthn,
}

/// A challenge name a user can choose in SELECT_CHALLENGE.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FirstFactorChallenge {
    Password,
    PasswordSrp,
    EmailOtp,
    SmsOtp,
    WebAuthn,
}

impl FirstFactorChallenge {
    fn name(self) -> &'static str {
        match self {
            Self::Password => "PASSWORD",
            Self::PasswordSrp => "PASSWORD_SRP",
            Self::EmailOtp => "EMAIL_OTP",
            Self::SmsOtp => "SMS_OTP",
            Self::WebAuthn => "WEB_AUTHN",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        [
            Self::Password,
            Self::PasswordSrp,
            Self::EmailOtp,
            Self::SmsOtp,
            Self::WebAuthn,
        ]
        .into_iter()
        .find(|challenge| challenge.name() == name)
    }
}

/// Size in bytes of a WebAuthn challenge.
const WEBAUTHN_CHALLENGE_BYTES: usize = 32;

impl UserPool {
    /// Sets the first factors choice-based sign-in allows (`Password` is always included).
    pub fn set_allowed_first_auth_factors(&mut self, factors: &[FirstAuthFactor]) {
        let mut allowed = factors.to_vec();
        allowed.push(FirstAuthFactor::Password);
        allowed.sort_unstable();
        allowed.dedup();
        self.first_auth_factors = allowed;
    }

    /// Registers a new passkey for a user (by username or sub) and returns it (its secret plays
    /// the authenticator in tests); `None` for an unknown user.
    pub fn add_passkey(&mut self, username_or_sub: &str) -> Option<Passkey> {
        let passkey = Passkey {
            credential_id: self.rng.base64url(16),
            secret: self.rng.bytes(32),
        };
        let now = self.now;
        let user = self.users.find_mut(username_or_sub)?;
        user.add_passkey(
            passkey.clone(),
            Some("platform".to_owned()),
            Vec::new(),
            now,
        );
        Some(passkey)
    }

    /// `ConfiguredUserAuthFactors` for `GetUserAuthFactors`: the available first factors, with
    /// `PASSWORD` standing for both password forms.
    pub(super) fn configured_auth_factors(&self, user: &User) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = Vec::new();
        for factor in self.available_first_factors(user) {
            let name = match factor {
                FirstFactorChallenge::PasswordSrp => "PASSWORD",
                other => other.name(),
            };
            if !names.contains(&name) {
                names.push(name);
            }
        }
        names
    }

    /// The first factors `user` can choose.
    fn available_first_factors(&self, user: &User) -> Vec<FirstFactorChallenge> {
        let mut available = alloc::vec![
            FirstFactorChallenge::Password,
            FirstFactorChallenge::PasswordSrp,
        ];
        if self.mfa_config.mode == MfaMode::On {
            return available;
        }
        let allowed = |factor| self.first_auth_factors.contains(&factor);
        if allowed(FirstAuthFactor::EmailOtp) && user.verified_attribute("email").is_some() {
            available.push(FirstFactorChallenge::EmailOtp);
        }
        if allowed(FirstAuthFactor::SmsOtp) && user.verified_attribute("phone_number").is_some() {
            available.push(FirstFactorChallenge::SmsOtp);
        }
        if allowed(FirstAuthFactor::WebAuthn) && !user.passkeys.is_empty() {
            available.push(FirstFactorChallenge::WebAuthn);
        }
        available
    }

    /// `USER_AUTH {USERNAME, SECRET_HASH, DEVICE_KEY, PREFERRED_CHALLENGE, PASSWORD, SRP_A}`; with
    /// the top-level `Session` of `ConfirmSignUp`, tokens at once (see [`super::signup`]).
    pub(super) fn start_user_auth(
        &mut self,
        client: &AppClient,
        params: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let username = req_param(params, "USERNAME")?;
        client.check_secret_hash(username, opt_str(params, "SECRET_HASH")?)?;
        let user = self.sign_in_user(username)?;
        let sub = user.sub.clone();
        if let Some(session) = session {
            return self.sign_in_after_sign_up(client, &sub, session);
        }
        let available = self.available_first_factors(user);
        let device_key = opt_str(params, "DEVICE_KEY")?.map(ToOwned::to_owned);
        let progress = Progress::new(Flow::UserAuth, device_key);
        if let Some(preferred) = opt_str(params, "PREFERRED_CHALLENGE")? {
            let challenge = FirstFactorChallenge::parse(preferred).ok_or_else(|| {
                ServiceError::invalid_parameter(alloc::format!(
                    "PREFERRED_CHALLENGE '{preferred}' is not one of PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP, WEB_AUTHN."
                ))
            })?;
            if available.contains(&challenge) {
                return self.start_first_factor(client, &sub, challenge, params, progress);
            }
        }
        let names: Vec<Value> = available
            .iter()
            .map(|challenge| Value::String(challenge.name().to_owned()))
            .collect();
        let session = self.open_session(
            &client.id,
            &sub,
            Step::SelectChallenge { available },
            progress,
        );
        let mut reply = challenge_reply("SELECT_CHALLENGE", user_parameters(&sub), session);
        if let Some(map) = reply.as_object_mut() {
            map.insert("AvailableChallenges".to_owned(), Value::Array(names));
        }
        Ok(reply)
    }

    /// `SELECT_CHALLENGE {USERNAME, ANSWER, SECRET_HASH, PASSWORD | SRP_A}` (or `PASSWORD` /
    /// `PASSWORD_SRP` named as the challenge).
    pub(super) fn answer_select_challenge(
        &mut self,
        client: &AppClient,
        challenge: &str,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::SelectChallenge { available } = &state.step else {
            return Err(wrong_step());
        };
        self.check_answer_user(client, responses, &state.sub)?;
        let answer = if challenge == "SELECT_CHALLENGE" {
            req_param(responses, "ANSWER")?
        } else {
            challenge
        };
        let chosen = FirstFactorChallenge::parse(answer)
            .filter(|chosen| available.contains(chosen))
            .ok_or_else(|| {
                ServiceError::invalid_parameter(alloc::format!(
                    "ANSWER '{answer}' is not one of the AvailableChallenges."
                ))
            })?;
        self.start_first_factor(client, &state.sub, chosen, responses, state.progress)
    }

    /// Starts the chosen first factor; `source` holds its parameters (`PASSWORD`, `SRP_A`).
    fn start_first_factor(
        &mut self,
        client: &AppClient,
        sub: &str,
        challenge: FirstFactorChallenge,
        source: &Object,
        mut progress: Progress,
    ) -> Outcome {
        let medium = match challenge {
            FirstFactorChallenge::Password => {
                let password = req_param(source, "PASSWORD")?;
                self.check_password(sub, password)?;
                progress.first_factor = FirstFactor::Password;
                return self.next_step(client, sub, progress);
            }
            FirstFactorChallenge::PasswordSrp => {
                let srp_a = req_param(source, "SRP_A")?;
                return self.start_srp(client, sub, srp_a, progress, true);
            }
            FirstFactorChallenge::WebAuthn => {
                let user = self
                    .users
                    .by_sub(sub)
                    .ok_or_else(ServiceError::user_not_found)?;
                let passkeys = user.passkeys.clone();
                let challenge = self.rng.base64url(WEBAUTHN_CHALLENGE_BYTES);
                let mut parameters = user_parameters(sub);
                parameters.insert(
                    "CREDENTIAL_REQUEST_OPTIONS".to_owned(),
                    Value::String(webauthn::request_options(&challenge, &passkeys)),
                );
                let session =
                    self.open_session(&client.id, sub, Step::WebAuthn { challenge }, progress);
                return Ok(challenge_reply("WEB_AUTHN", parameters, session));
            }
            FirstFactorChallenge::EmailOtp => DeliveryMedium::Email,
            FirstFactorChallenge::SmsOtp => DeliveryMedium::Sms,
        };
        let user = self
            .users
            .by_sub(sub)
            .cloned()
            .ok_or_else(ServiceError::user_not_found)?;
        let destination = destination(&user, medium).ok_or_else(|| {
            ServiceError::invalid_parameter("The user has no address to send the code to.")
        })?;
        let code = self.send_code(&user, medium, &destination, CodePurpose::SignIn);
        let mut parameters = user_parameters(sub);
        parameters.insert(
            "CODE_DELIVERY_DELIVERY_MEDIUM".to_owned(),
            json!(medium.as_str()),
        );
        parameters.insert(
            "CODE_DELIVERY_DESTINATION".to_owned(),
            Value::String(mask(medium, &destination)),
        );
        let session =
            self.open_session(&client.id, sub, Step::SignInOtp { medium, code }, progress);
        Ok(challenge_reply(challenge.name(), parameters, session))
    }

    /// `WEB_AUTHN {USERNAME, CREDENTIAL, SECRET_HASH}`.
    pub(super) fn answer_web_authn(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::WebAuthn { challenge } = &state.step else {
            return Err(wrong_step());
        };
        self.check_answer_user(client, responses, &state.sub)?;
        let credential = req_param(responses, "CREDENTIAL")?;
        let user = self
            .users
            .by_sub(&state.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        webauthn::verify_assertion(credential, challenge, &user.passkeys)?;
        let mut progress = state.progress.clone();
        progress.first_factor = FirstFactor::Passwordless;
        self.next_step(client, &state.sub, progress)
    }
}
