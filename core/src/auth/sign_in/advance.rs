//! Reading a sign-in's replies: which challenge comes next, what the flow answers by itself
//! (SRP, device SRP, finishing MFA setup) and what it hands to the caller.

use zeroize::Zeroize;

use super::method::{Method, is_srp_step};
use super::state::{Answered, Auto, Expect, State};
use super::{MAX_CHALLENGE_ROUNDS, SignIn, Step, password_of};
use crate::auth::challenge::{Challenge, ChallengeName, ChallengeParameters};
use crate::auth::reply::AuthReply;
use crate::capacity::{Capacities, keep, keep_from_peer};
use crate::error::{Error, ProtocolError};
use crate::srp::{PasswordClaim, ServerChallenge, SrpIdentity, password_claim};
use crate::time::UnixTime;
use crate::wire::{ErrorKind, HttpResponse, read_response};

impl<L: Capacities> SignIn<L> {
    pub(super) fn advance<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        match self.state {
            State::Answered(Answered::AssociateSoftwareToken) => {
                let obj = read_response(response)?;
                let secret = obj.require_str("SecretCode")?;
                let secret = secret
                    .as_plain()
                    .ok_or(ProtocolError::InvalidField("SecretCode"))?;
                // AssociateSoftwareToken with a Session answers a new Session.
                let session = obj.get_str("Session")?.and_then(|s| s.as_plain());
                self.store_session(session.ok_or(ProtocolError::MissingField("Session"))?)?;
                self.state = State::WithCaller {
                    totp_secret_shown: true,
                };
                Ok(Step::TotpSecret(secret))
            }
            State::Answered(Answered::VerifySoftwareToken) => {
                let obj = read_response(response)?;
                let status = obj.get_str("Status")?;
                if !status.is_some_and(|s| s.eq_str("SUCCESS")) {
                    return Err(ProtocolError::InvalidField("Status").into());
                }
                let session = obj.get_str("Session")?.and_then(|s| s.as_plain());
                self.store_session(session.ok_or(ProtocolError::MissingField("Session"))?)?;
                self.state = State::auto(Auto::MfaSetupComplete);
                Ok(Step::SendRequest)
            }
            _ => self.advance_auth(response, now),
        }
    }

    /// What the last request makes the server say next, as far as SRP is concerned.
    fn expects(&self) -> Expect {
        match self.state {
            State::Auto {
                next: Auto::Initiate,
                ..
            } if self.method.initiates_with_srp() => Expect::PasswordVerifier,
            State::Answered(Answered::Challenge { srp_a: true }) => Expect::PasswordVerifier,
            State::Auto {
                next: Auto::DeviceSrpAuth,
                ..
            } => Expect::DevicePasswordVerifier,
            _ => Expect::Anything,
        }
    }

    /// Whether the request last sent carried `DEVICE_KEY`.
    fn sent_device_key(&self) -> bool {
        self.device.is_some()
            && matches!(
                self.state,
                State::Auto {
                    next: Auto::Initiate
                        | Auto::PasswordVerifier
                        | Auto::DeviceSrpAuth
                        | Auto::DevicePasswordVerifier,
                    ..
                }
            )
    }

    fn advance_auth<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        let expects = self.expects();
        let reply = match AuthReply::read(response) {
            Err(Error::Service(e))
                if e.kind() == ErrorKind::ResourceNotFound && self.sent_device_key() =>
            {
                return self.forget_device();
            }
            other => other?,
        };
        let challenge = match reply {
            AuthReply::Authenticated(result) => {
                if expects != Expect::Anything {
                    return Err(ProtocolError::UnexpectedChallenge.into());
                }
                self.finish();
                return Ok(Step::Authenticated(result));
            }
            AuthReply::Challenge(challenge) => challenge,
        };
        self.rounds = self.rounds.saturating_add(1);
        if self.rounds > MAX_CHALLENGE_ROUNDS {
            return Err(ProtocolError::TooManyChallenges.into());
        }
        let name = challenge.name();
        match (expects, name) {
            (Expect::PasswordVerifier, ChallengeName::PasswordVerifier) => {
                self.store_optional_session(challenge.session())?;
                self.accept_password_verifier(&challenge.parameters(), now)?;
                self.state = State::auto(Auto::PasswordVerifier);
                Ok(Step::SendRequest)
            }
            (Expect::Anything, ChallengeName::DeviceSrpAuth)
                if self.device.is_some() && !self.device_srp_started =>
            {
                self.store_optional_session(challenge.session())?;
                self.device_srp_started = true;
                self.update_username(&challenge.parameters())?;
                self.state = State::auto(Auto::DeviceSrpAuth);
                Ok(Step::SendRequest)
            }
            (Expect::DevicePasswordVerifier, ChallengeName::DevicePasswordVerifier) => {
                self.store_optional_session(challenge.session())?;
                self.accept_device_password_verifier(&challenge.parameters(), now)?;
                self.state = State::auto(Auto::DevicePasswordVerifier);
                Ok(Step::SendRequest)
            }
            (Expect::Anything, _) if !is_srp_step(name) && self.method.allows(name) => {
                self.hand_over(challenge)
            }
            // USER_AUTH whose preferred PASSWORD_SRP is not available: the server lets the user
            // choose instead.
            (Expect::PasswordVerifier, ChallengeName::SelectChallenge)
                if matches!(self.method, Method::Choice { .. })
                    && matches!(
                        self.state,
                        State::Auto {
                            next: Auto::Initiate,
                            ..
                        }
                    ) =>
            {
                self.hand_over(challenge)
            }
            // A loop, a skipped or out-of-order step, device SRP without a device, or a challenge
            // that belongs to another flow.
            _ => Err(ProtocolError::UnexpectedChallenge.into()),
        }
    }

    /// Hands a challenge to the caller, keeping what its answer needs.
    fn hand_over<'r>(&mut self, challenge: Challenge<'r>) -> Result<Step<'r>, Error> {
        // Challenges answered by the caller always come with a Session.
        let session = challenge
            .session()
            .ok_or(ProtocolError::MissingField("Session"))?;
        self.store_session(session)?;
        self.update_username(&challenge.parameters())?;
        keep_from_peer(
            &mut self.challenge_name,
            challenge.name().as_str(),
            "ChallengeName",
        )?;
        self.claim = None;
        self.secret_block.zeroize();
        self.state = State::WithCaller {
            totp_secret_shown: false,
        };
        Ok(Step::Challenge(challenge))
    }

    /// The server forgot the device: drop it and start over once, with a fresh SRP secret.
    fn forget_device<'r>(&mut self) -> Result<Step<'r>, Error> {
        self.device = None;
        if let Some(ephemeral) = &self.ephemeral {
            self.ephemeral = Some(ephemeral.derive_retry()?);
        }
        self.session.zeroize();
        self.secret_block.zeroize();
        self.claim = None;
        self.rounds = 0;
        self.device_srp_started = false;
        keep(&mut self.challenge_username, &self.username, "username")?;
        self.state = State::auto(Auto::Initiate);
        Ok(Step::DeviceForgotten)
    }

    fn finish(&mut self) {
        self.state = State::Done;
        self.claim = None;
        self.secret_block.zeroize();
        self.session.zeroize();
    }

    fn store_session(&mut self, session: &str) -> Result<(), ProtocolError> {
        keep_from_peer(&mut self.session, session, "Session")
    }

    /// SRP steps may come without a Session (`PASSWORD_VERIFIER` does); then none is echoed.
    fn store_optional_session(&mut self, session: Option<&str>) -> Result<(), ProtocolError> {
        match session {
            Some(s) => self.store_session(s),
            None => {
                self.session.zeroize();
                Ok(())
            }
        }
    }

    /// Answers use the challenge's `USERNAME` (else `USER_ID_FOR_SRP`), never the typed alias.
    fn update_username(&mut self, params: &ChallengeParameters<'_>) -> Result<(), ProtocolError> {
        for key in ["USERNAME", "USER_ID_FOR_SRP"] {
            if params.get(key).is_some() {
                let value = params.require_plain(key)?;
                return keep_from_peer(&mut self.challenge_username, value, "USERNAME");
            }
        }
        Ok(())
    }

    fn accept_password_verifier(
        &mut self,
        params: &ChallengeParameters<'_>,
        now: UnixTime,
    ) -> Result<(), Error> {
        let user_id_for_srp = params.require_plain("USER_ID_FOR_SRP")?;
        let username = match params.get("USERNAME") {
            Some(_) => params.require_plain("USERNAME")?,
            None => user_id_for_srp,
        };
        let challenge = server_challenge(params)?;
        let password = password_of(&self.password).ok_or(ProtocolError::UnexpectedChallenge)?;
        let ephemeral = self
            .ephemeral
            .as_ref()
            .ok_or(ProtocolError::UnexpectedChallenge)?;
        let identity = SrpIdentity {
            realm: self.config.pool_name(),
            user_id: user_id_for_srp,
            password,
        };
        let claim = password_claim(ephemeral, &identity, &challenge, now)?;
        self.remember_claim(username, challenge.secret_block_b64, claim)
    }

    fn accept_device_password_verifier(
        &mut self,
        params: &ChallengeParameters<'_>,
        now: UnixTime,
    ) -> Result<(), Error> {
        let (device, device_ephemeral) = self
            .device
            .as_ref()
            .ok_or(ProtocolError::UnexpectedChallenge)?;
        let username = params.require_plain("USERNAME")?;
        let challenge = server_challenge(params)?;
        let identity = SrpIdentity {
            realm: device.device_group_key(),
            user_id: device.device_key(),
            password: device.device_password(),
        };
        let claim = password_claim(device_ephemeral, &identity, &challenge, now)?;
        self.remember_claim(username, challenge.secret_block_b64, claim)
    }

    fn remember_claim(
        &mut self,
        username: &str,
        secret_block: &str,
        claim: PasswordClaim,
    ) -> Result<(), Error> {
        keep_from_peer(&mut self.challenge_username, username, "USERNAME")?;
        keep_from_peer(&mut self.secret_block, secret_block, "SECRET_BLOCK")?;
        self.claim = Some(claim);
        Ok(())
    }
}

fn server_challenge<'p>(
    params: &ChallengeParameters<'p>,
) -> Result<ServerChallenge<'p>, ProtocolError> {
    Ok(ServerChallenge {
        srp_b_hex: params.require_plain("SRP_B")?,
        salt_hex: params.require_plain("SALT")?,
        secret_block_b64: params.require_plain("SECRET_BLOCK")?,
    })
}
