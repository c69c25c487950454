//! `USER_SRP_AUTH` sign-in as a sans-IO state machine, with device SRP for remembered devices.

use core::fmt;

use super::challenge::{Challenge, ChallengeName, ChallengeParameters};
use super::config::ClientConfig;
use super::device::RememberedDevice;
use super::reply::AuthReply;
use super::request::Request;
use super::result::AuthenticationResult;
use crate::error::{Error, Misuse, ProtocolError};
use crate::srp::{PasswordClaim, ServerChallenge, SrpEphemeral, SrpIdentity, password_claim};
use crate::time::UnixTime;
use crate::wire::{HttpResponse, JsonWriter, Operation, encode_json};

/// Longest `Session` kept between steps (Cognito's API model allows 20–2048 characters).
pub const MAX_SESSION_LEN: usize = 2048;
/// Longest `SECRET_BLOCK` kept between steps (base64 text; Cognito's are about 1 KiB).
pub const MAX_SECRET_BLOCK_LEN: usize = 2048;
/// Longest challenge `USERNAME` / `USER_ID_FOR_SRP` (128 characters of up to 4 UTF-8 bytes).
pub const MAX_USERNAME_LEN: usize = 512;

/// What happened after a response was handled.
#[derive(Debug)]
#[non_exhaustive]
pub enum Step<'r> {
    /// The flow has its next request ready: call [`SrpSignIn::write_request`] and send it.
    SendRequest,
    /// The server asks for a step this flow does not answer by itself (MFA, new password, …).
    /// The challenge, its parameters and the newest `Session` are handed over as received.
    Challenge(Challenge<'r>),
    /// Signed in.
    Authenticated(AuthenticationResult<'r>),
}

/// Where the flow is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    /// `InitiateAuth` is to be sent (or was sent, see `sent`).
    Initiate,
    /// `RespondToAuthChallenge(PASSWORD_VERIFIER)` is to be sent.
    PasswordVerifier,
    /// `RespondToAuthChallenge(DEVICE_SRP_AUTH)` is to be sent.
    DeviceSrpAuth,
    /// `RespondToAuthChallenge(DEVICE_PASSWORD_VERIFIER)` is to be sent.
    DevicePasswordVerifier,
    /// A challenge was handed to the caller; this flow has nothing more to send.
    HandedOver,
    /// Signed in.
    Done,
    /// A fatal error ended the flow.
    Failed,
}

/// A `USER_SRP_AUTH` sign-in.
///
/// The run loop: [`write_request`](Self::write_request) into a buffer, send it, hand the reply to
/// [`handle_response`](Self::handle_response) with the current time, and repeat while it says
/// [`Step::SendRequest`]. The flow never performs I/O, reads a clock or draws randomness:
/// the ephemeral keys (`a`) come in at construction, the time with each response. The same
/// inputs always produce the same bytes.
///
/// Strings passed in are borrowed for the flow's lifetime; state kept between steps (the
/// challenge's `USERNAME`, `SECRET_BLOCK`, `Session`) lives in fixed-capacity storage inside the
/// flow ([`MAX_USERNAME_LEN`], [`MAX_SECRET_BLOCK_LEN`], [`MAX_SESSION_LEN`]).
///
/// ```
/// use cognito_core::auth::{ClientConfig, SrpSignIn, Step};
/// use cognito_core::srp::SrpEphemeral;
/// use cognito_core::wire::Operation;
///
/// let config = ClientConfig::new("us-east-1_TestPool1", "3n4b5urk1ft4fl3mg5e62d9ado")?;
/// let ephemeral = SrpEphemeral::from_secret_bytes(&[42; 128])?; // use SrpEphemeral::generate(rng)
/// let mut sign_in = SrpSignIn::new(&config, "alice", "Passw0rd!", ephemeral)?;
///
/// let mut buf = [0u8; 4096];
/// let request = sign_in.write_request(&mut buf)?;
/// assert_eq!(request.operation, Operation::InitiateAuth);
/// // send request.body with X-Amz-Target: request.operation.target(), then:
/// // match sign_in.handle_response(&HttpResponse::new(status, &body), now)? { ... }
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct SrpSignIn<'a> {
    config: &'a ClientConfig<'a>,
    username: &'a str,
    password: &'a str,
    ephemeral: SrpEphemeral,
    device: Option<(&'a RememberedDevice<'a>, SrpEphemeral)>,
    client_metadata: &'a [(&'a str, &'a str)],
    phase: Phase,
    sent: bool,
    /// `USERNAME` for challenge answers (from the challenge; the typed name before that).
    challenge_username: heapless::String<MAX_USERNAME_LEN>,
    secret_block: heapless::String<MAX_SECRET_BLOCK_LEN>,
    session: heapless::String<MAX_SESSION_LEN>,
    claim: Option<PasswordClaim>,
}

impl<'a> SrpSignIn<'a> {
    /// Starts a sign-in of `username` (as typed: a username or an alias) with `password`.
    ///
    /// `ephemeral` holds the secret `a` and the precomputed `A`; make it with
    /// [`SrpEphemeral::generate`] (a fresh one for every sign-in).
    pub fn new(
        config: &'a ClientConfig<'a>,
        username: &'a str,
        password: &'a str,
        ephemeral: SrpEphemeral,
    ) -> Result<Self, Error> {
        if username.is_empty() {
            return Err(Misuse::Empty("username").into());
        }
        if password.is_empty() {
            return Err(Misuse::Empty("password").into());
        }
        Ok(Self {
            config,
            username,
            password,
            ephemeral,
            device: None,
            client_metadata: &[],
            phase: Phase::Initiate,
            sent: false,
            challenge_username: copy_str(username, "username").map_err(Error::Misuse)?,
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
        match self.phase {
            Phase::Initiate => Some(Operation::InitiateAuth),
            Phase::PasswordVerifier | Phase::DeviceSrpAuth | Phase::DevicePasswordVerifier => {
                Some(Operation::RespondToAuthChallenge)
            }
            Phase::HandedOver | Phase::Done | Phase::Failed => None,
        }
    }

    /// The newest `Session` the server sent (empty before the first one).
    pub fn session(&self) -> &str {
        &self.session
    }

    /// Whether the flow finished (signed in, handed a challenge over, or failed).
    pub fn is_finished(&self) -> bool {
        self.pending_operation().is_none()
    }

    /// Writes the next request body into `buf`.
    ///
    /// May be called again to rewrite the same request (to retry after a transport error).
    /// [`Error::BufferTooSmall`] leaves `buf` untouched and the flow unchanged;
    /// [`Misuse::OutOfOrder`] means there is nothing to send.
    pub fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        let operation = self.pending_operation().ok_or(Misuse::OutOfOrder)?;
        let len = match self.phase {
            Phase::Initiate => encode_json(buf, |w| self.write_initiate_auth(w))?,
            Phase::PasswordVerifier => encode_json(buf, |w| self.write_password_verifier(w))?,
            Phase::DeviceSrpAuth => encode_json(buf, |w| self.write_device_srp_auth(w))?,
            Phase::DevicePasswordVerifier => {
                encode_json(buf, |w| self.write_device_password_verifier(w))?
            }
            Phase::HandedOver | Phase::Done | Phase::Failed => {
                return Err(Misuse::OutOfOrder.into());
            }
        };
        self.sent = true;
        let body = buf.get(..len).ok_or(Misuse::OutOfOrder)?;
        Ok(Request { operation, body })
    }

    /// Handles the reply to the request last written, at time `now` (used for the SRP `TIMESTAMP`;
    /// it must be within a few minutes of the server's clock).
    ///
    /// A Cognito error that is worth retrying ([`crate::wire::ErrorKind::is_retryable`]) leaves the
    /// flow where it was, so the same request can be written and sent again; any other error ends it.
    pub fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        if !self.sent || self.pending_operation().is_none() {
            return Err(Misuse::OutOfOrder.into());
        }
        match self.advance(response, now) {
            Ok(step) => Ok(step),
            Err(Error::Service(e)) if e.kind().is_retryable() => Err(Error::Service(e)),
            Err(e) => {
                self.phase = Phase::Failed;
                Err(e)
            }
        }
    }

    fn advance<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Step<'r>, Error> {
        let reply = AuthReply::read(response)?;
        let challenge = match reply {
            AuthReply::Authenticated(result) => {
                // Tokens are only legitimate once a password (or device) claim was sent.
                if self.phase == Phase::Initiate || self.phase == Phase::DeviceSrpAuth {
                    return Err(ProtocolError::UnexpectedChallenge.into());
                }
                self.finish(Phase::Done);
                return Ok(Step::Authenticated(result));
            }
            AuthReply::Challenge(challenge) => challenge,
        };
        self.store_session(challenge.session())?;
        match (self.phase, challenge.name()) {
            (Phase::Initiate, ChallengeName::PasswordVerifier) => {
                self.accept_password_verifier(&challenge.parameters(), now)?;
                self.next(Phase::PasswordVerifier);
                Ok(Step::SendRequest)
            }
            (Phase::PasswordVerifier, ChallengeName::DeviceSrpAuth) if self.device.is_some() => {
                self.next(Phase::DeviceSrpAuth);
                Ok(Step::SendRequest)
            }
            (Phase::DeviceSrpAuth, ChallengeName::DevicePasswordVerifier) => {
                self.accept_device_password_verifier(&challenge.parameters(), now)?;
                self.next(Phase::DevicePasswordVerifier);
                Ok(Step::SendRequest)
            }
            // Steps that belong to SRP but not here: a loop, a skipped step, or device SRP
            // without a device.
            (
                _,
                ChallengeName::PasswordVerifier
                | ChallengeName::DeviceSrpAuth
                | ChallengeName::DevicePasswordVerifier,
            ) => Err(ProtocolError::UnexpectedChallenge.into()),
            // Before the password was proven, only PASSWORD_VERIFIER is legitimate.
            (Phase::Initiate | Phase::DeviceSrpAuth, _) => {
                Err(ProtocolError::UnexpectedChallenge.into())
            }
            (_, _) => {
                self.finish(Phase::HandedOver);
                Ok(Step::Challenge(challenge))
            }
        }
    }

    fn next(&mut self, phase: Phase) {
        self.phase = phase;
        self.sent = false;
    }

    fn finish(&mut self, phase: Phase) {
        self.next(phase);
        self.claim = None;
        self.secret_block.clear();
    }

    fn store_session(&mut self, session: Option<&str>) -> Result<(), ProtocolError> {
        match session {
            Some(s) => {
                self.session = copy_str(s, "Session").map_err(too_long_from_peer)?;
            }
            // A step without a Session keeps none: answering with a stale one is an error.
            None => self.session.clear(),
        }
        Ok(())
    }

    fn accept_password_verifier(
        &mut self,
        params: &ChallengeParameters<'_>,
        now: UnixTime,
    ) -> Result<(), Error> {
        let user_id_for_srp = params.require_plain("USER_ID_FOR_SRP")?;
        // The answer's USERNAME (and SECRET_HASH) use the challenge's USERNAME, falling back to
        // USER_ID_FOR_SRP, never the alias the user typed.
        let username = match params.get("USERNAME") {
            Some(_) => params.require_plain("USERNAME")?,
            None => user_id_for_srp,
        };
        let challenge = ServerChallenge {
            srp_b_hex: params.require_plain("SRP_B")?,
            salt_hex: params.require_plain("SALT")?,
            secret_block_b64: params.require_plain("SECRET_BLOCK")?,
        };
        let identity = SrpIdentity {
            realm: self.config.pool_name(),
            user_id: user_id_for_srp,
            password: self.password,
        };
        let claim = password_claim(&self.ephemeral, &identity, &challenge, now)?;
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
        let challenge = ServerChallenge {
            srp_b_hex: params.require_plain("SRP_B")?,
            salt_hex: params.require_plain("SALT")?,
            secret_block_b64: params.require_plain("SECRET_BLOCK")?,
        };
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

    fn write_initiate_auth(&self, w: &mut JsonWriter<'_>) {
        w.begin_object();
        w.field_str("AuthFlow", "USER_SRP_AUTH");
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("AuthParameters");
        w.field_str("USERNAME", self.username);
        w.key("SRP_A");
        w.string_raw_with(|sink| self.ephemeral.write_public_hex(|chunk| sink.put(chunk)));
        if let Some(hash) = self.config.secret_hash(self.username) {
            w.field_str("SECRET_HASH", hash.as_str());
        }
        w.field_opt_str("DEVICE_KEY", self.device_key());
        w.end_object();
        w.field_string_map("ClientMetadata", self.client_metadata);
        w.end_object();
    }

    fn write_password_verifier(&self, w: &mut JsonWriter<'_>) {
        self.write_claim_response(w, "PASSWORD_VERIFIER");
    }

    fn write_device_password_verifier(&self, w: &mut JsonWriter<'_>) {
        self.write_claim_response(w, "DEVICE_PASSWORD_VERIFIER");
    }

    fn write_claim_response(&self, w: &mut JsonWriter<'_>, challenge_name: &str) {
        let (timestamp, signature) = match &self.claim {
            Some(claim) => (claim.timestamp(), claim.signature()),
            None => ("", ""),
        };
        w.begin_object();
        w.field_str("ChallengeName", challenge_name);
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("ChallengeResponses");
        w.field_str("USERNAME", &self.challenge_username);
        w.field_str("PASSWORD_CLAIM_SECRET_BLOCK", &self.secret_block);
        w.field_str("TIMESTAMP", timestamp);
        w.field_str("PASSWORD_CLAIM_SIGNATURE", signature);
        w.field_opt_str("DEVICE_KEY", self.device_key());
        self.write_secret_hash(w);
        w.end_object();
        self.write_session_and_metadata(w);
        w.end_object();
    }

    fn write_device_srp_auth(&self, w: &mut JsonWriter<'_>) {
        w.begin_object();
        w.field_str("ChallengeName", "DEVICE_SRP_AUTH");
        w.field_str("ClientId", self.config.client_id());
        w.begin_object_field("ChallengeResponses");
        w.field_str("USERNAME", &self.challenge_username);
        w.field_opt_str("DEVICE_KEY", self.device_key());
        if let Some((_, device_ephemeral)) = &self.device {
            w.key("SRP_A");
            w.string_raw_with(|sink| device_ephemeral.write_public_hex(|chunk| sink.put(chunk)));
        }
        self.write_secret_hash(w);
        w.end_object();
        self.write_session_and_metadata(w);
        w.end_object();
    }

    fn write_secret_hash(&self, w: &mut JsonWriter<'_>) {
        if let Some(hash) = self.config.secret_hash(&self.challenge_username) {
            w.field_str("SECRET_HASH", hash.as_str());
        }
    }

    fn write_session_and_metadata(&self, w: &mut JsonWriter<'_>) {
        if !self.session.is_empty() {
            w.field_str("Session", &self.session);
        }
        w.field_string_map("ClientMetadata", self.client_metadata);
    }
}

impl fmt::Debug for SrpSignIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpSignIn")
            .field("config", self.config)
            .field("username", &self.username)
            .field("phase", &self.phase)
            .field("sent", &self.sent)
            .field("device", &self.device.as_ref().map(|(d, _)| d))
            .finish_non_exhaustive()
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
