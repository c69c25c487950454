//! Every sign-in flow as one sans-IO state machine: `USER_SRP_AUTH`, `USER_PASSWORD_AUTH`,
//! `CUSTOM_AUTH` (plain or SRP first) and `USER_AUTH` (choice-based), with device SRP for a
//! remembered device and every challenge answerable by the caller.

mod advance;
mod method;
mod state;
mod write;

use core::fmt;

use zeroize::Zeroize;

use self::method::Method;
use self::state::{Answered, Auto, State};
use super::answer::{Answer, FirstFactor};
use super::challenge::{Challenge, ChallengeName};
use super::config::ClientConfig;
use super::device_credentials::DeviceCredentials;
use super::result::AuthenticationResult;
use crate::capacity::{Capacities, DefaultLimits, Text, keep, keep_string_map};
use crate::error::{Error, Misuse};
use crate::exchange::Flow;
use crate::redact::hide;
use crate::srp::{PasswordClaim, SrpEphemeral};
use crate::time::UnixTime;
use crate::wire::{HttpResponse, Operation, Request, ServiceError};

/// Longest challenge name kept while the caller answers (the longest known is 24 characters;
/// unknown names are kept verbatim).
pub const MAX_CHALLENGE_NAME_LEN: usize = 64;
/// Most challenges one sign-in accepts before it decides the server is looping.
pub const MAX_CHALLENGE_ROUNDS: u8 = 16;

/// What happened after a response was handled.
// `AnswerRefused` keeps the pool's message inline (no heap), like `Error` does.
// `Debug` hides the TOTP secret (and, through `Challenge` and `AuthenticationResult`, the
// Session and the tokens).
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Step<'r> {
    /// The flow has its next request ready: call [`SignIn::write_request`] and send it.
    SendRequest,
    /// The server asks for something only the caller can give (an MFA code, a new password, a
    /// custom answer, a choice): [`Challenge::kind`] says what. Answer it with
    /// [`SignIn::answer`].
    Challenge(Challenge<'r>),
    /// `AssociateSoftwareToken` returned the secret of the authenticator app being set up
    /// (base32; show it or its `otpauth://` URI). Answer with [`Answer::VerifyTotp`].
    TotpSecret(&'r str),
    /// The pool refused the caller's answer and waits for another to the same challenge: a
    /// wrong code, or a new password or attribute it does not accept (see
    /// [`ServiceError::refuses_answer`]). Answer again with [`SignIn::answer`].
    AnswerRefused(ServiceError),
    /// The server no longer knows the remembered device. The flow dropped its device key and will
    /// start over without it: forget the device in storage, then call
    /// [`SignIn::write_request`] and send it.
    DeviceForgotten,
    /// Signed in.
    Authenticated(AuthenticationResult<'r>),
}

/// A sign-in, from `InitiateAuth` to the tokens.
///
/// The run loop: [`write_request`](Self::write_request) into a buffer, send it, hand the reply to
/// [`handle_response`](Self::handle_response) with the current time, and act on the [`Step`]:
/// send again, [`answer`](Self::answer) a challenge (which writes the next request), or take the
/// tokens. The flow never performs I/O, reads a clock or draws randomness: SRP ephemeral keys come
/// in at construction, the time with each response; the same inputs always produce the same bytes.
///
/// The flow owns copies of its inputs (the app client, user name, password, device, client
/// metadata) and of what it keeps between steps (the challenge's `USERNAME`, the `SECRET_BLOCK`,
/// the newest `Session`), in fixed-capacity storage whose sizes `L` chooses
/// ([`crate::capacity`]); secrets are wiped when it drops. So it can live in a struct across
/// awaits, with no borrow.
///
/// ```
/// use cognito_core::auth::{ClientConfig, SignIn, Step};
/// use cognito_core::srp::SrpEphemeral;
/// use cognito_core::wire::{Operation, Resend};
///
/// let config = ClientConfig::new("us-east-1_TestPool1", "3n4b5urk1ft4fl3mg5e62d9ado")?;
/// let ephemeral = SrpEphemeral::from_secret_bytes(&[42; 128])?; // use SrpEphemeral::generate(rng)
/// let mut sign_in: SignIn = SignIn::srp(&config, "alice", "Passw0rd!", ephemeral)?;
///
/// let mut buf = [0u8; 4096];
/// let request = sign_in.write_request(&mut buf)?;
/// assert_eq!(request.operation, Operation::InitiateAuth);
/// assert_eq!(request.resend, Resend::AfterAnyFailure); // it only starts SRP
/// // send request.body with X-Amz-Target: request.operation.target(), then:
/// // match sign_in.handle_response(&HttpResponse::new(status, &body), now)? { ... }
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct SignIn<L: Capacities = DefaultLimits> {
    config: ClientConfig,
    method: Method,
    username: L::Username,
    /// Empty when the flow has no password.
    password: L::Password,
    /// `ClientMetadata` as its JSON object, empty when there is none.
    client_metadata: L::ClientMetadata,
    ephemeral: Option<SrpEphemeral>,
    device: Option<(DeviceCredentials, SrpEphemeral)>,
    state: State,
    rounds: u8,
    device_srp_started: bool,
    /// `USERNAME` for challenge answers (from the challenge; the typed name before that).
    challenge_username: L::Username,
    /// The name of the challenge with the caller.
    challenge_name: heapless::String<MAX_CHALLENGE_NAME_LEN>,
    secret_block: L::SecretBlock,
    /// The newest `Session` (at first, for `after_sign_up`, the one of `ConfirmSignUp`).
    session: L::Session,
    claim: Option<PasswordClaim>,
}

impl<L: Capacities> SignIn<L> {
    /// `USER_SRP_AUTH`: the password is proven with SRP and never sent.
    ///
    /// `ephemeral` holds the secret `a` and the precomputed `A`; make it with
    /// [`SrpEphemeral::generate`] (a fresh one for every sign-in).
    pub fn srp(
        config: &ClientConfig,
        username: &str,
        password: &str,
        ephemeral: SrpEphemeral,
    ) -> Result<Self, Error> {
        non_empty(password, "password")?;
        Self::start(
            config,
            username,
            Method::UserSrp,
            Some(password),
            Some(ephemeral),
        )
    }

    /// `USER_PASSWORD_AUTH`: the password is sent (over TLS) to Cognito.
    pub fn password(config: &ClientConfig, username: &str, password: &str) -> Result<Self, Error> {
        non_empty(password, "password")?;
        Self::start(config, username, Method::UserPassword, Some(password), None)
    }

    /// `CUSTOM_AUTH` without a password: the pool's Lambda triggers issue `CUSTOM_CHALLENGE`s.
    pub fn custom(config: &ClientConfig, username: &str) -> Result<Self, Error> {
        Self::start(config, username, Method::Custom { srp: false }, None, None)
    }

    /// `CUSTOM_AUTH` that proves the password with SRP first (`CHALLENGE_NAME=SRP_A`), then
    /// continues with the pool's custom challenges.
    pub fn custom_with_srp(
        config: &ClientConfig,
        username: &str,
        password: &str,
        ephemeral: SrpEphemeral,
    ) -> Result<Self, Error> {
        non_empty(password, "password")?;
        let method = Method::Custom { srp: true };
        Self::start(config, username, method, Some(password), Some(ephemeral))
    }

    /// `USER_AUTH` (choice-based sign-in). With `preferred`, the server starts with that first
    /// factor if it can; without it, it answers `SELECT_CHALLENGE` listing what is available.
    /// `password` and `ephemeral` are needed only for [`FirstFactor::Password`] /
    /// [`FirstFactor::PasswordSrp`] (the ephemeral only for `PasswordSrp`).
    pub fn choice(
        config: &ClientConfig,
        username: &str,
        preferred: Option<FirstFactor>,
        password: Option<&str>,
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
            after_sign_up: false,
        };
        Self::start(config, username, method, password, ephemeral)
    }

    /// `USER_AUTH` right after sign-up: `ConfirmSignUp` returned a `Session` that lets the user
    /// sign in without a password. `preferred` is usually `None`.
    pub fn after_sign_up(
        config: &ClientConfig,
        username: &str,
        confirm_sign_up_session: &str,
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
            after_sign_up: true,
        };
        let mut flow = Self::start(config, username, method, None, None)?;
        keep(&mut flow.session, confirm_sign_up_session, "session")?;
        Ok(flow)
    }

    fn start(
        config: &ClientConfig,
        username: &str,
        method: Method,
        password: Option<&str>,
        ephemeral: Option<SrpEphemeral>,
    ) -> Result<Self, Error> {
        non_empty(username, "username")?;
        let mut flow = Self {
            config: config.clone(),
            method,
            username: L::Username::default(),
            password: L::Password::default(),
            client_metadata: L::ClientMetadata::default(),
            ephemeral,
            device: None,
            state: State::auto(Auto::Initiate),
            rounds: 0,
            device_srp_started: false,
            challenge_username: L::Username::default(),
            challenge_name: heapless::String::new(),
            secret_block: L::SecretBlock::default(),
            session: L::Session::default(),
            claim: None,
        };
        keep(&mut flow.username, username, "username")?;
        keep(&mut flow.challenge_username, username, "username")?;
        keep(&mut flow.password, password.unwrap_or(""), "password")?;
        Ok(flow)
    }

    /// Signs in as a remembered device: sends `DEVICE_KEY` and answers device SRP with
    /// `device_ephemeral` (a second, independent ephemeral key pair).
    #[must_use]
    pub fn with_device(
        mut self,
        device: &DeviceCredentials,
        device_ephemeral: SrpEphemeral,
    ) -> Self {
        self.device = Some((device.clone(), device_ephemeral));
        self
    }

    /// Sends `ClientMetadata` (passed to the pool's Lambda triggers) with every request.
    /// [`Misuse::TooLong`] when its JSON does not fit the flow's capacity.
    pub fn with_client_metadata(mut self, metadata: &[(&str, &str)]) -> Result<Self, Misuse> {
        if metadata.is_empty() {
            self.client_metadata.zeroize();
        } else {
            keep_string_map(&mut self.client_metadata, metadata, "client_metadata")?;
        }
        Ok(self)
    }

    /// The operation [`write_request`](Self::write_request) would write, if any.
    pub fn pending_operation(&self) -> Option<Operation> {
        match self.state {
            State::Auto {
                next: Auto::Initiate,
                ..
            } => Some(Operation::InitiateAuth),
            State::Auto { .. } => Some(Operation::RespondToAuthChallenge),
            _ => None,
        }
    }

    /// The newest `Session` the server sent (empty before the first one).
    pub fn session(&self) -> &str {
        &self.session
    }

    /// The name of the challenge waiting for [`answer`](Self::answer), if one is.
    pub fn waiting_challenge(&self) -> Option<ChallengeName<'_>> {
        self.awaits_answer()
            .then(|| ChallengeName::parse(&self.challenge_name))
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

    /// The user name as typed.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// Writes the next automatic request into `buf`.
    ///
    /// May be called again to rewrite the same request (to resend it).
    /// [`Error::BufferTooSmall`] leaves `buf` untouched and the flow unchanged;
    /// [`Misuse::OutOfOrder`] means there is nothing to send (answer the challenge instead).
    pub fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        let State::Auto { next, .. } = self.state else {
            return Err(Misuse::OutOfOrder.into());
        };
        let request = self.write_auto(next, buf)?;
        self.state = State::Auto { next, sent: true };
        Ok(request)
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
        let answered = self.check_answer(name, answer, totp_secret_shown)?;
        let request = self.write_answer_request(answered, answer, buf)?;
        self.state = State::Answered(answered);
        Ok(request)
    }

    /// Handles the reply to the request last written or answered, at time `now` (used for the
    /// SRP `TIMESTAMP`; it must be within a few minutes of the server's clock).
    ///
    /// * A refused answer ([`ServiceError::refuses_answer`]) gives [`Step::AnswerRefused`] and
    ///   hands the challenge back for another answer, as Cognito keeps the session for it.
    /// * A Cognito error worth retrying ([`ServiceError::is_retryable`]) leaves the flow where
    ///   it was, so the same request can be written (or the same challenge answered) again.
    /// * Any other error ends the flow.
    pub fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        let before = self.state;
        let sent = match before {
            State::Auto { sent, .. } => sent,
            State::Answered(_) => true,
            State::WithCaller { .. } | State::Done | State::Failed => false,
        };
        if !sent {
            return Err(Misuse::OutOfOrder.into());
        }
        match self.advance(response, now) {
            Ok(step) => Ok(step),
            Err(Error::Service(e)) => {
                let answered = match before {
                    State::Answered(a) => Some(a),
                    _ => None,
                };
                let back_to_caller = |a| State::WithCaller {
                    totp_secret_shown: a == Answered::VerifySoftwareToken,
                };
                match answered {
                    Some(a) if e.refuses_answer() => {
                        self.state = back_to_caller(a);
                        return Ok(Step::AnswerRefused(e));
                    }
                    Some(a) if e.is_retryable() => self.state = back_to_caller(a),
                    None if e.is_retryable() => self.state = before,
                    _ => self.state = State::Failed,
                }
                Err(Error::Service(e))
            }
            Err(e) => {
                self.state = State::Failed;
                Err(e)
            }
        }
    }
}

impl<L: Capacities> Flow for SignIn<L> {
    type Step<'r> = Step<'r>;

    fn has_request(&self) -> bool {
        matches!(self.state, State::Auto { .. })
    }

    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        SignIn::write_request(self, buf)
    }

    fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        SignIn::handle_response(self, response, now)
    }
}

impl<L: Capacities> Drop for SignIn<L> {
    fn drop(&mut self) {
        self.username.zeroize();
        self.challenge_username.zeroize();
        self.password.zeroize();
        self.session.zeroize();
        self.secret_block.zeroize();
        self.client_metadata.zeroize();
    }
}

impl<L: Capacities> fmt::Debug for SignIn<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SignIn")
            .field("config", &self.config)
            .field("username", &&*self.username)
            .field("flow", &self.method.auth_flow())
            .field("state", &self.state)
            .field("device", &self.device.as_ref().map(|(d, _)| d))
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Step<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Step::SendRequest => f.write_str("SendRequest"),
            Step::Challenge(challenge) => f.debug_tuple("Challenge").field(challenge).finish(),
            Step::TotpSecret(secret) => f.debug_tuple("TotpSecret").field(&hide(secret)).finish(),
            Step::AnswerRefused(e) => f.debug_tuple("AnswerRefused").field(e).finish(),
            Step::DeviceForgotten => f.write_str("DeviceForgotten"),
            Step::Authenticated(result) => f.debug_tuple("Authenticated").field(result).finish(),
        }
    }
}

fn non_empty(value: &str, field: &'static str) -> Result<(), Misuse> {
    if value.is_empty() {
        Err(Misuse::Empty(field))
    } else {
        Ok(())
    }
}

/// The password of the flow, if it has one.
fn password_of<T: Text>(slot: &T) -> Option<&str> {
    (!slot.is_empty()).then_some(&**slot)
}
