//! `CUSTOM_AUTH`: the define / create / verify auth-challenge Lambda triggers, emulated by a
//! per-pool [`CustomAuthScript`].
//!
//! - Without a script, CUSTOM_AUTH answers InvalidParameterException "Custom auth lambda trigger
//!   is not configured for the user pool.".
//! - `AuthParameters {USERNAME, SECRET_HASH}` starts the rounds at once, unless the script
//!   [requires SRP first](CustomAuthScript::require_srp) (then NotAuthorizedException, as when the
//!   define trigger fails the sign-in). `{USERNAME, CHALLENGE_NAME: "SRP_A", SRP_A, SECRET_HASH}`
//!   first answers PASSWORD_VERIFIER — with a Session the answer must carry — and the rounds
//!   follow a correct password claim. Any other `CHALLENGE_NAME` is InvalidParameterException.
//! - Each round is a CUSTOM_CHALLENGE whose `ChallengeParameters` are `USERNAME` (the sub) plus
//!   the round's parameters exactly as given (a round's own `USERNAME` is replaced: the answer
//!   must name the sub, so the challenge always tells it). The answer is
//!   `ChallengeResponses {USERNAME, ANSWER, SECRET_HASH}`; `ANSWER` must equal the round's answer
//!   exactly.
//! - A wrong answer counts against [`CustomAuthScript::max_wrong_answers`] (for the whole
//!   sign-in): below it, the same round is asked again with a fresh Session; reaching it ends the
//!   sign-in with NotAuthorizedException "Incorrect username or password.".
//! - After the last round, tokens. Custom sign-ins get no pool MFA and no device SRP (the script
//!   is the whole policy), but device tracking still hands out `NewDeviceMetadata`.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Map, Value};

use super::UserPool;
use super::auth::challenge_reply;
use super::clients::AppClient;
use super::sessions::{Flow, Progress, Step, wrong_step};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param};
use crate::srp;

/// One CUSTOM_CHALLENGE round: what the create trigger publishes and what the verify trigger
/// accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomRound {
    /// Public challenge parameters, passed through as given.
    pub parameters: Vec<(String, String)>,
    /// The expected `ANSWER`.
    pub answer: String,
}

impl CustomRound {
    /// A round from borrowed parameters.
    pub fn new(parameters: &[(&str, &str)], answer: &str) -> Self {
        Self {
            parameters: parameters
                .iter()
                .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                .collect(),
            answer: answer.to_owned(),
        }
    }
}

/// The pool's custom-auth triggers, as a script. `Default`: no SRP required, no rounds, three
/// wrong answers allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomAuthScript {
    /// Plain CUSTOM_AUTH is refused; the client must start with `CHALLENGE_NAME=SRP_A`.
    pub require_srp: bool,
    /// The CUSTOM_CHALLENGE rounds, in order (may be empty: tokens right after the first step).
    pub rounds: Vec<CustomRound>,
    /// Wrong answers that end the sign-in (counted over all rounds); at least 1.
    pub max_wrong_answers: u32,
}

impl Default for CustomAuthScript {
    fn default() -> Self {
        Self {
            require_srp: false,
            rounds: Vec::new(),
            max_wrong_answers: 3,
        }
    }
}

impl UserPool {
    /// Installs (or with `None` removes) the custom-auth script.
    pub fn set_custom_auth(&mut self, script: Option<CustomAuthScript>) {
        self.custom_auth = script;
    }

    /// `CUSTOM_AUTH {USERNAME, SECRET_HASH, CHALLENGE_NAME, SRP_A, DEVICE_KEY}`.
    pub(super) fn start_custom(&mut self, client: &AppClient, params: &Object) -> Outcome {
        let script = self.custom_auth.clone().ok_or_else(|| {
            ServiceError::invalid_parameter(
                "Custom auth lambda trigger is not configured for the user pool.",
            )
        })?;
        let username = req_param(params, "USERNAME")?;
        client.check_secret_hash(username, opt_str(params, "SECRET_HASH")?)?;
        let sub = self.sign_in_user(username)?.sub.clone();
        let progress = Progress::new(Flow::Custom, None);
        match opt_str(params, "CHALLENGE_NAME")? {
            Some("SRP_A") => {
                let srp_a = req_param(params, "SRP_A")?;
                self.start_srp(client, &sub, srp_a, progress, true)
            }
            Some(other) => Err(ServiceError::invalid_parameter(alloc::format!(
                "CHALLENGE_NAME '{other}' is not supported; only SRP_A."
            ))),
            None if script.require_srp => Err(ServiceError::incorrect_password()),
            None => self.next_step(client, &sub, progress),
        }
    }

    /// CUSTOM_CHALLENGE for the round `progress.custom_round`.
    pub(super) fn issue_custom_challenge(
        &mut self,
        client: &AppClient,
        sub: &str,
        progress: Progress,
    ) -> Outcome {
        let round = progress.custom_round;
        let script_round = self
            .custom_auth
            .as_ref()
            .and_then(|script| script.rounds.get(round))
            .cloned()
            .ok_or_else(ServiceError::incorrect_password)?;
        let mut parameters = Map::new();
        for (name, value) in script_round.parameters {
            parameters.insert(name, Value::String(value));
        }
        parameters.insert("USERNAME".to_owned(), Value::String(sub.to_owned()));
        let session = self.open_session(&client.id, sub, Step::CustomChallenge { round }, progress);
        Ok(challenge_reply("CUSTOM_CHALLENGE", parameters, session))
    }

    /// `CUSTOM_CHALLENGE {USERNAME, ANSWER, SECRET_HASH}`.
    pub(super) fn answer_custom(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::CustomChallenge { round } = state.step else {
            return Err(wrong_step());
        };
        self.check_answer_user(client, responses, &state.sub)?;
        let answer = req_param(responses, "ANSWER")?;
        let script = self
            .custom_auth
            .clone()
            .ok_or_else(ServiceError::incorrect_password)?;
        let expected = script
            .rounds
            .get(round)
            .ok_or_else(ServiceError::incorrect_password)?;
        let mut progress = state.progress;
        if srp::signatures_match(&expected.answer, answer) {
            progress.custom_round = round + 1;
        } else {
            progress.wrong_answers += 1;
            if progress.wrong_answers >= script.max_wrong_answers.max(1) {
                return Err(ServiceError::incorrect_password());
            }
        }
        self.next_step(client, &state.sub, progress)
    }
}
