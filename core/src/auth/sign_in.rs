//! Every sign-in flow as one sans-IO state machine: `USER_SRP_AUTH`, `USER_PASSWORD_AUTH`,
//! `CUSTOM_AUTH` (plain or SRP first) and `USER_AUTH` (choice-based), with device SRP for a
//! remembered device and every challenge answerable by the caller.

use core::fmt;

use super::answer::{Answer, FirstFactor};
use super::challenge::{Challenge, ChallengeName, ChallengeParameters};
use super::config::ClientConfig;
use super::device::RememberedDevice;
use super::reply::AuthReply;
use super::request::Request;
use super::result::AuthenticationResult;
use crate::error::{Error, Misuse, ProtocolError};
use crate::srp::{PasswordClaim, ServerChallenge, SrpEphemeral, SrpIdentity, password_claim};
use crate::time::UnixTime;
use crate::wire::{ErrorKind, HttpResponse, JsonWriter, Operation, encode_json, read_response};

/// Longest `Session` kept between steps (Cognito's API model allows 20–4096 characters).
pub const MAX_SESSION_LEN: usize = 4096;
/// Longest `SECRET_BLOCK` kept between steps (base64 text; Cognito's are about 1 KiB).
pub const MAX_SECRET_BLOCK_LEN: usize = 2048;
/// Longest challenge `USERNAME` / `USER_ID_FOR_SRP` (128 characters of up to 4 UTF-8 bytes).
pub const MAX_USERNAME_LEN: usize = 512;
/// Longest challenge name kept while the caller answers (for names this version does not know).
pub const MAX_CHALLENGE_NAME_LEN: usize = 64;
/// Most challenges one sign-in accepts before it decides the server is looping.
pub const MAX_CHALLENGE_ROUNDS: u8 = 16;

/// What happened after a response was handled.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<'r> {
    /// The flow has its next request ready: call [`SignIn::write_request`] and send it.
    SendRequest,
    /// The server asks for something only the caller can give (an MFA code, a new password, a
    /// custom answer, a choice). Answer it with [`SignIn::answer`]. The challenge, its parameters
    /// and the newest `Session` are handed over as received.
    Challenge(Challenge<'r>),
    /// `AssociateSoftwareToken` returned the secret of the authenticator app being set up
    /// (base32; show it or its `otpauth://` URI). Answer with [`Answer::VerifyTotp`].
    TotpSecret(&'r str),
    /// The server no longer knows the remembered device. The flow dropped its device key and will
    /// start over without it: forget the device in storage, then call
    /// [`SignIn::write_request`] and send it.
    DeviceForgotten,
    /// Signed in.
    Authenticated(AuthenticationResult<'r>),
}

/// How the first factor is proven.
#[derive(Clone, Copy, Debug)]
enum Method<'a> {
    /// `USER_SRP_AUTH`.
    UserSrp { password: &'a str },
    /// `USER_PASSWORD_AUTH`.
    UserPassword { password: &'a str },
    /// `CUSTOM_AUTH`; with a password, SRP first (`CHALLENGE_NAME=SRP_A`).
    Custom { srp_password: Option<&'a str> },
    /// `USER_AUTH` (choice-based).
    Choice {
        preferred: Option<FirstFactor>,
        password: Option<&'a str>,
        session: Option<&'a str>,
    },
}

impl<'a> Method<'a> {
    fn auth_flow(&self) -> &'static str {
        match self {
            Method::UserSrp { .. } => "USER_SRP_AUTH",
            Method::UserPassword { .. } => "USER_PASSWORD_AUTH",
            Method::Custom { .. } => "CUSTOM_AUTH",
            Method::Choice { .. } => "USER_AUTH",
        }
    }

    /// The password, if the method has one.
    fn password(&self) -> Option<&'a str> {
        match *self {
            Method::UserSrp { password } | Method::UserPassword { password } => Some(password),
            Method::Custom { srp_password } => srp_password,
            Method::Choice { password, .. } => password,
        }
    }

    /// Whether `InitiateAuth` carries `SRP_A`.
    fn initiates_with_srp(&self) -> bool {
        match self {
            Method::UserSrp { .. }
            | Method::Custom {
                srp_password: Some(_),
            } => true,
            Method::Choice { preferred, .. } => *preferred == Some(FirstFactor::PasswordSrp),
            Method::UserPassword { .. } | Method::Custom { srp_password: None } => false,
        }
    }

    /// Whether a challenge the caller answers belongs to this flow.
    fn allows(&self, name: ChallengeName<'_>) -> bool {
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

/// A request the flow writes by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Auto {
    Initiate,
    PasswordVerifier,
    DeviceSrpAuth,
    DevicePasswordVerifier,
    /// `RespondToAuthChallenge(MFA_SETUP)` after `VerifySoftwareToken` succeeded.
    MfaSetupComplete,
}

/// The reply a caller's answer waits for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answered {
    /// `RespondToAuthChallenge`; `srp_a` when the answer carried `SRP_A` (`PASSWORD_SRP`).
    Challenge {
        srp_a: bool,
    },
    AssociateSoftwareToken,
    VerifySoftwareToken,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// An automatic request is ready (`sent` says whether it was written).
    Auto(Auto),
    /// A challenge is with the caller; `totp_secret_shown` after `AssociateSoftwareToken`.
    WithCaller {
        totp_secret_shown: bool,
    },
    /// The caller's answer was written; its reply is awaited.
    Answered(Answered),
    Done,
    Failed,
}

/// A sign-in, from `InitiateAuth` to the tokens.
///
/// The run loop: [`write_request`](Self::write_request) into a buffer, send it, hand the reply to
/// [`handle_response`](Self::handle_response) with the current time, and act on the [`Step`]:
/// send again, [`answer`](Self::answer) a challenge (which writes the next request), or take the
/// tokens. The flow never performs I/O, reads a clock or draws randomness: SRP ephemeral keys come
/// in at construction, the time with each response; the same inputs always produce the same bytes.
///
/// Strings passed in are borrowed for the flow's lifetime; state kept between steps (the
/// challenge's `USERNAME`, `SECRET_BLOCK`, the newest `Session`) lives in fixed-capacity storage
/// inside the flow ([`MAX_USERNAME_LEN`], [`MAX_SECRET_BLOCK_LEN`], [`MAX_SESSION_LEN`]).
///
/// ```
/// use cognito_core::auth::{ClientConfig, SignIn, Step};
/// use cognito_core::srp::SrpEphemeral;
/// use cognito_core::wire::Operation;
///
/// let config = ClientConfig::new("us-east-1_TestPool1", "3n4b5urk1ft4fl3mg5e62d9ado")?;
/// let ephemeral = SrpEphemeral::from_secret_bytes(&[42; 128])?; // use SrpEphemeral::generate(rng)
/// let mut sign_in = SignIn::srp(&config, "alice", "Passw0rd!", ephemeral)?;
///
/// let mut buf = [0u8; 4096];
/// let request = sign_in.write_request(&mut buf)?;
/// assert_eq!(request.operation, Operation::InitiateAuth);
/// // send request.body with X-Amz-Target: request.operation.target(), then:
/// // match sign_in.handle_response(&HttpResponse::new(status, &body), now)? { ... }
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct SignIn<'a> {
    config: &'a ClientConfig<'a>,
    username: &'a str,
    method: Method<'a>,
    ephemeral: Option<SrpEphemeral>,
    device: Option<(&'a RememberedDevice<'a>, SrpEphemeral)>,
    client_metadata: &'a [(&'a str, &'a str)],
    state: State,
    sent: bool,
    rounds: u8,
    device_srp_started: bool,
    /// `USERNAME` for challenge answers (from the challenge; the typed name before that).
    challenge_username: heapless::String<MAX_USERNAME_LEN>,
    /// The name of the challenge with the caller.
    challenge_name: heapless::String<MAX_CHALLENGE_NAME_LEN>,
    secret_block: heapless::String<MAX_SECRET_BLOCK_LEN>,
    session: heapless::String<MAX_SESSION_LEN>,
    claim: Option<PasswordClaim>,
}

impl<'a> SignIn<'a> {
    /// `USER_SRP_AUTH`: the password is proven with SRP and never sent.
    ///
    /// `ephemeral` holds the secret `a` and the precomputed `A`; make it with
    /// [`SrpEphemeral::generate`] (a fresh one for every sign-in).
    pub fn srp(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        password: &'a str,
        ephemeral: SrpEphemeral,
    ) -> Result<Self, Error> {
        non_empty(password, "password")?;
        Self::start(
            config,
            username,
            Method::UserSrp { password },
            Some(ephemeral),
        )
    }

    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS) to Cognito.
    pub fn password(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        password: &'a str,
    ) -> Result<Self, Error> {
        non_empty(password, "password")?;
        Self::start(config, username, Method::UserPassword { password }, None)
    }

    /// `CUSTOM_AUTH` without a password: the pool's Lambda triggers issue `CUSTOM_CHALLENGE`s.
    pub fn custom(config: &'a ClientConfig<'a>, username: &'a str) -> Result<Self, Error> {
        Self::start(
            config,
            username,
            Method::Custom { srp_password: None },
            None,
        )
    }

    /// `CUSTOM_AUTH` that proves the password with SRP first (`CHALLENGE_NAME=SRP_A`), then
    /// continues with the pool's custom challenges.
    pub fn custom_with_srp(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        password: &'a str,
        ephemeral: SrpEphemeral,
    ) -> Result<Self, Error> {
        non_empty(password, "password")?;
        let method = Method::Custom {
            srp_password: Some(password),
        };
        Self::start(config, username, method, Some(ephemeral))
    }

    /// `USER_AUTH` (choice-based sign-in). With `preferred`, the server starts with that first
    /// factor if it can; without it, it answers `SELECT_CHALLENGE` listing what is available.
    /// `password` and `ephemeral` are needed only for [`FirstFactor::Password`] /
    /// [`FirstFactor::PasswordSrp`] (the ephemeral only for `PasswordSrp`).
    pub fn choice(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        preferred: Option<FirstFactor>,
        password: Option<&'a str>,
        ephemeral: Option<SrpEphemeral>,
    ) -> Result<Self, Error> {
        let needs_password = matches!(
            preferred,
            Some(FirstFactor::Password | FirstFactor::PasswordSrp)
        );
        if needs_password {
            non_empty(password.unwrap_or(""), "password")?;
        }
        if preferred == Some(FirstFactor::PasswordSrp) && ephemeral.is_none() {
            return Err(Misuse::Empty("ephemeral").into());
        }
        let method = Method::Choice {
            preferred,
            password,
            session: None,
        };
        Self::start(config, username, method, ephemeral)
    }

    /// `USER_AUTH` right after sign-up: `ConfirmSignUp` returned a `Session` that lets the user
    /// sign in without a password. `preferred` is usually `None`.
    pub fn after_sign_up(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        confirm_sign_up_session: &'a str,
        preferred: Option<FirstFactor>,
    ) -> Result<Self, Error> {
        non_empty(confirm_sign_up_session, "session")?;
        if matches!(
            preferred,
            Some(FirstFactor::Password | FirstFactor::PasswordSrp)
        ) {
            return Err(Misuse::Empty("password").into());
        }
        let method = Method::Choice {
            preferred,
            password: None,
            session: Some(confirm_sign_up_session),
        };
        Self::start(config, username, method, None)
    }

    fn start(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        method: Method<'a>,
        ephemeral: Option<SrpEphemeral>,
    ) -> Result<Self, Error> {
        non_empty(username, "username")?;
        Ok(Self {
            config,
            username,
            method,
            ephemeral,
            device: None,
            client_metadata: &[],
            state: State::Auto(Auto::Initiate),
            sent: false,
            rounds: 0,
            device_srp_started: false,
            challenge_username: copy_str(username, "username").map_err(Error::Misuse)?,
            challenge_name: heapless::String::new(),
            secret_block: heapless::String::new(),
            session: heapless::String::new(),
            claim: None,
        })
    }

    /// Signs in as a remembered device: sends `DEVICE_KEY` and answers device SRP with
    /// `device_ephemeral` (a second, independent ephemeral key pair).
    #[must_use]
    pub fn with_device(
        mut self,
        device: &'a RememberedDevice<'a>,
        device_ephemeral: SrpEphemeral,
    ) -> Self {
        self.device = Some((device, device_ephemeral));
        self
    }

    /// Sends `ClientMetadata` (passed to the pool's Lambda triggers) with every request.
    #[must_use]
    pub fn with_client_metadata(mut self, metadata: &'a [(&'a str, &'a str)]) -> Self {
        self.client_metadata = metadata;
        self
    }

    /// The operation [`write_request`](Self::write_request) would write, if any.
    pub fn pending_operation(&self) -> Option<Operation> {
        match self.state {
            State::Auto(Auto::Initiate) => Some(Operation::InitiateAuth),
            State::Auto(_) => Some(Operation::RespondToAuthChallenge),
            _ => None,
        }
    }

    /// The newest `Session` the server sent (empty before the first one).
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Whether a challenge is waiting for [`answer`](Self::answer).
    pub fn awaits_answer(&self) -> bool {
        matches!(self.state, State::WithCaller { .. })
    }

    /// Whether the flow finished (signed in, or failed).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Done | State::Failed)
    }

    /// Whether the flow still uses a remembered device (false after [`Step::DeviceForgotten`]).
    pub fn uses_device(&self) -> bool {
        self.device.is_some()
    }

    /// Writes the next automatic request body into `buf`.
    ///
    /// May be called again to rewrite the same request (to retry after a transport error).
    /// [`Error::BufferTooSmall`] leaves `buf` untouched and the flow unchanged;
    /// [`Misuse::OutOfOrder`] means there is nothing to send (answer the challenge instead).
    pub fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        let State::Auto(auto) = self.state else {
            return Err(Misuse::OutOfOrder.into());
        };
        let operation = if auto == Auto::Initiate {
            Operation::InitiateAuth
        } else {
            Operation::RespondToAuthChallenge
        };
        let len = match auto {
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
        self.sent = true;
        Ok(Request {
            operation,
            body: buf.get(..len).unwrap_or(&[]),
        })
    }

    /// Answers the challenge last handed over, writing the request that carries the answer into
    /// `buf`. Send it and pass its reply to [`handle_response`](Self::handle_response).
    ///
    /// [`Misuse::OutOfOrder`] when no challenge is waiting; [`Misuse::Invalid`]`("answer")` when
    /// the answer does not fit the challenge (see [`Answer`]); [`Misuse::Empty`] for an empty code,
    /// password or answer. Errors leave the challenge waiting, so it can be answered again.
    pub fn answer<'b>(
        &mut self,
        answer: &Answer<'_>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        let State::WithCaller { totp_secret_shown } = self.state else {
            return Err(Misuse::OutOfOrder.into());
        };
        let name = ChallengeName::parse(&self.challenge_name);
        let (operation, answered) = self.check_answer(name, answer, totp_secret_shown)?;
        let len = match operation {
            Operation::AssociateSoftwareToken => encode_json(buf, |w| {
                w.begin_object();
                w.field_str("Session", &self.session);
                w.end_object();
            })?,
            Operation::VerifySoftwareToken => encode_json(buf, |w| {
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
            _ => encode_json(buf, |w| {
                self.write_respond(w, &self.challenge_name, |w| self.write_answer(w, answer));
            })?,
        };
        self.state = State::Answered(answered);
        self.sent = true;
        Ok(Request {
            operation,
            body: buf.get(..len).unwrap_or(&[]),
        })
    }

    /// Checks that `answer` fits challenge `name`; returns the operation it is sent with.
    fn check_answer(
        &self,
        name: ChallengeName<'_>,
        answer: &Answer<'_>,
        totp_secret_shown: bool,
    ) -> Result<(Operation, Answered), Error> {
        let respond = |srp_a| {
            Ok((
                Operation::RespondToAuthChallenge,
                Answered::Challenge { srp_a },
            ))
        };
        let mismatch = Err(Misuse::Invalid("answer").into());
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
            (ChallengeName::MfaSetup, Answer::SetUpTotp) => Ok((
                Operation::AssociateSoftwareToken,
                Answered::AssociateSoftwareToken,
            )),
            (ChallengeName::MfaSetup, Answer::VerifyTotp { code, .. }) if totp_secret_shown => {
                non_empty(code, "code")?;
                Ok((
                    Operation::VerifySoftwareToken,
                    Answered::VerifySoftwareToken,
                ))
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
                    non_empty(self.method.password().unwrap_or(""), "password")?;
                    respond(false)
                }
                FirstFactor::PasswordSrp => {
                    non_empty(self.method.password().unwrap_or(""), "password")?;
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
            _ => mismatch,
        }
    }

    /// Handles the reply to the request last written or answered, at time `now` (used for the
    /// SRP `TIMESTAMP`; it must be within a few minutes of the server's clock).
    ///
    /// A Cognito error worth retrying ([`ErrorKind::is_retryable`]) leaves the flow where it was,
    /// so the same request can be written (or the same challenge answered) again; a wrong code
    /// (`CodeMismatchException`, or `EnableSoftwareTokenMFAException` when verifying a new
    /// authenticator app) or a refused new password or attribute (`InvalidPasswordException`,
    /// `PasswordHistoryPolicyViolationException`, `InvalidParameterException`) hands the
    /// challenge back for another answer, as Cognito keeps the session for it; any other error
    /// ends the flow.
    pub fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        if !self.sent
            || matches!(
                self.state,
                State::WithCaller { .. } | State::Done | State::Failed
            )
        {
            return Err(Misuse::OutOfOrder.into());
        }
        let before = self.state;
        match self.advance(response, now) {
            Ok(step) => Ok(step),
            Err(Error::Service(e)) => {
                let answered = matches!(before, State::Answered(_));
                if e.is_retryable() || (answered && answer_refused(e.kind())) {
                    // The same request again (automatic), or the challenge back to the caller.
                    self.state = match before {
                        State::Answered(a) => State::WithCaller {
                            totp_secret_shown: a == Answered::VerifySoftwareToken,
                        },
                        other => other,
                    };
                } else {
                    self.state = State::Failed;
                }
                Err(Error::Service(e))
            }
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }

    fn advance<'r>(
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
                self.next(State::Auto(Auto::MfaSetupComplete));
                Ok(Step::SendRequest)
            }
            _ => self.advance_auth(response, now),
        }
    }

    /// What the last request makes the server say next, as far as SRP is concerned.
    fn expects(&self) -> Expect {
        match self.state {
            State::Auto(Auto::Initiate) if self.method.initiates_with_srp() => {
                Expect::PasswordVerifier
            }
            State::Answered(Answered::Challenge { srp_a: true }) => Expect::PasswordVerifier,
            State::Auto(Auto::DeviceSrpAuth) => Expect::DevicePasswordVerifier,
            _ => Expect::Anything,
        }
    }

    /// Whether the request last sent carried `DEVICE_KEY`.
    fn sent_device_key(&self) -> bool {
        self.device.is_some()
            && matches!(
                self.state,
                State::Auto(
                    Auto::Initiate
                        | Auto::PasswordVerifier
                        | Auto::DeviceSrpAuth
                        | Auto::DevicePasswordVerifier
                )
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
                self.next(State::Auto(Auto::PasswordVerifier));
                Ok(Step::SendRequest)
            }
            (Expect::Anything, ChallengeName::DeviceSrpAuth)
                if self.device.is_some() && !self.device_srp_started =>
            {
                self.store_optional_session(challenge.session())?;
                self.device_srp_started = true;
                self.update_username(&challenge.parameters())?;
                self.next(State::Auto(Auto::DeviceSrpAuth));
                Ok(Step::SendRequest)
            }
            (Expect::DevicePasswordVerifier, ChallengeName::DevicePasswordVerifier) => {
                self.store_optional_session(challenge.session())?;
                self.accept_device_password_verifier(&challenge.parameters(), now)?;
                self.next(State::Auto(Auto::DevicePasswordVerifier));
                Ok(Step::SendRequest)
            }
            (Expect::Anything, _) if !is_srp_step(name) && self.method.allows(name) => {
                self.hand_over(challenge)
            }
            // USER_AUTH whose preferred PASSWORD_SRP is not available: the server lets the user
            // choose instead.
            (Expect::PasswordVerifier, ChallengeName::SelectChallenge)
                if matches!(self.method, Method::Choice { .. })
                    && self.state == State::Auto(Auto::Initiate) =>
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
        self.challenge_name =
            copy_str(challenge.name().as_str(), "ChallengeName").map_err(too_long_from_peer)?;
        self.claim = None;
        self.secret_block.clear();
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
        self.session.clear();
        self.secret_block.clear();
        self.claim = None;
        self.rounds = 0;
        self.device_srp_started = false;
        self.challenge_username = copy_str(self.username, "username").map_err(Error::Misuse)?;
        self.next(State::Auto(Auto::Initiate));
        Ok(Step::DeviceForgotten)
    }

    fn next(&mut self, state: State) {
        self.state = state;
        self.sent = false;
    }

    fn finish(&mut self) {
        self.next(State::Done);
        self.claim = None;
        self.secret_block.clear();
    }

    fn store_session(&mut self, session: &str) -> Result<(), ProtocolError> {
        self.session = copy_str(session, "Session").map_err(too_long_from_peer)?;
        Ok(())
    }

    /// SRP steps may come without a Session (`PASSWORD_VERIFIER` does); then none is echoed.
    fn store_optional_session(&mut self, session: Option<&str>) -> Result<(), ProtocolError> {
        match session {
            Some(s) => self.store_session(s),
            None => {
                self.session.clear();
                Ok(())
            }
        }
    }

    /// Answers use the challenge's `USERNAME` (else `USER_ID_FOR_SRP`), never the typed alias.
    fn update_username(&mut self, params: &ChallengeParameters<'_>) -> Result<(), ProtocolError> {
        for key in ["USERNAME", "USER_ID_FOR_SRP"] {
            if params.get(key).is_some() {
                let value = params.require_plain(key)?;
                self.challenge_username =
                    copy_str(value, "USERNAME").map_err(too_long_from_peer)?;
                return Ok(());
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
        let password = self
            .method
            .password()
            .ok_or(ProtocolError::UnexpectedChallenge)?;
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
            realm: device.device_group_key,
            user_id: device.device_key,
            password: device.device_password,
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
        self.challenge_username = copy_str(username, "USERNAME").map_err(too_long_from_peer)?;
        self.secret_block = copy_str(secret_block, "SECRET_BLOCK").map_err(too_long_from_peer)?;
        self.claim = Some(claim);
        Ok(())
    }

    fn device_key(&self) -> Option<&'a str> {
        self.device.as_ref().map(|(d, _)| d.device_key)
    }

    fn write_srp_a(w: &mut JsonWriter<'_>, ephemeral: Option<&SrpEphemeral>) {
        if let Some(ephemeral) = ephemeral {
            w.key("SRP_A");
            w.string_raw_with(|sink| ephemeral.write_public_hex(|chunk| sink.put(chunk)));
        }
    }

    fn write_initiate_auth(&self, w: &mut JsonWriter<'_>) {
        w.begin_object();
        w.field_str("AuthFlow", self.method.auth_flow());
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("AuthParameters");
        w.field_str("USERNAME", self.username);
        match self.method {
            Method::UserSrp { .. } => Self::write_srp_a(w, self.ephemeral.as_ref()),
            Method::UserPassword { password } => w.field_str("PASSWORD", password),
            Method::Custom {
                srp_password: Some(_),
            } => {
                w.field_str("CHALLENGE_NAME", "SRP_A");
                Self::write_srp_a(w, self.ephemeral.as_ref());
            }
            Method::Custom { srp_password: None } => {}
            Method::Choice {
                preferred,
                password,
                ..
            } => {
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
        if let Some(hash) = self.config.secret_hash(self.username) {
            w.field_str("SECRET_HASH", hash.as_str());
        }
        w.field_opt_str("DEVICE_KEY", self.device_key());
        w.end_object();
        if let Method::Choice {
            session: Some(session),
            ..
        } = self.method
        {
            w.field_str("Session", session);
        }
        w.field_string_map("ClientMetadata", self.client_metadata);
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
        w.field_string_map("ClientMetadata", self.client_metadata);
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
                    FirstFactor::Password => w.field_opt_str("PASSWORD", self.method.password()),
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

/// What SRP expects after the last request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Expect {
    PasswordVerifier,
    DevicePasswordVerifier,
    Anything,
}

fn is_srp_step(name: ChallengeName<'_>) -> bool {
    matches!(
        name,
        ChallengeName::PasswordVerifier
            | ChallengeName::DeviceSrpAuth
            | ChallengeName::DevicePasswordVerifier
            | ChallengeName::AdminNoSrpAuth
    )
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

impl fmt::Debug for SignIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("config", self.config)
            .field("username", &self.username)
            .field("flow", &self.method.auth_flow())
            .field("state", &self.state)
            .field("sent", &self.sent)
            .field("device", &self.device.as_ref().map(|(d, _)| d))
            .finish_non_exhaustive()
    }
}

fn non_empty(value: &str, field: &'static str) -> Result<(), Misuse> {
    if value.is_empty() {
        Err(Misuse::Empty(field))
    } else {
        Ok(())
    }
}

/// Copies `s` into fixed-capacity storage.
fn copy_str<const N: usize>(s: &str, field: &'static str) -> Result<heapless::String<N>, Misuse> {
    heapless::String::try_from(s).map_err(|_| Misuse::TooLong { field, max: N })
}

/// A value from the peer that exceeds our storage is the peer's doing.
fn too_long_from_peer(e: Misuse) -> ProtocolError {
    match e {
        Misuse::TooLong { field, max } => ProtocolError::FieldTooLong { field, max },
        _ => ProtocolError::InvalidField("value"),
    }
}

/// Whether a Cognito error to the caller's answer refuses that answer only, leaving the session
/// waiting for another: a wrong code, or a new password or attribute the pool does not accept.
fn answer_refused(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::CodeMismatch
            | ErrorKind::EnableSoftwareTokenMFA
            | ErrorKind::InvalidPassword
            | ErrorKind::PasswordHistoryPolicyViolation
            | ErrorKind::InvalidParameter
    )
}
