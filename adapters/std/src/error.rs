//! The adapter's error: the core's errors plus transport, storage and token problems.

use core::time::Duration;
use std::path::PathBuf;

use cognito_core::wire::ServiceError;

use crate::session::Session;

/// Everything that can go wrong in the std adapter.
#[derive(Debug, thiserror::Error)]
#[allow(clippy::large_enum_variant)] // like the core's error: no heap for the common case
#[non_exhaustive]
pub enum Error {
    /// The core said no: Cognito's error ([`cognito_core::Error::Service`]), a malformed reply,
    /// or a misuse.
    #[error(transparent)]
    Core(#[from] cognito_core::Error),
    /// The request could not be sent or its reply not received (after the retries).
    #[error("transport: {0}")]
    Transport(#[source] reqwest::Error),
    /// A request that must not be sent twice (it changes state, sends a message or spends a
    /// sign-in's session: see [`cognito_core::wire::Resend`]) may have reached the pool, but no
    /// usable reply came back (a timeout, a cut connection, a 5xx). The pool may or may not have
    /// acted on it, so it was not sent again: check (for example, sign in again, or look at the
    /// account) before repeating it.
    #[error("outcome of {operation} unknown: {cause}")]
    OutcomeUnknown {
        /// The operation whose outcome is unknown.
        operation: &'static str,
        /// What happened: the transport error, or the pool's error reply.
        #[source]
        cause: Box<Error>,
    },
    /// The pool refused the answer to a sign-in challenge and waits for another to the same
    /// step (a wrong code, a new password the policy refuses, …): answer
    /// [`crate::PendingSignIn::step`] again.
    #[error("answer refused: {0}")]
    AnswerRefused(ServiceError),
    /// A token in a reply or a session could not be read.
    #[error("token: {0}")]
    Token(cognito_core::token::TokenError),
    /// Reading or writing a session file failed.
    #[error("session store: {0}")]
    Io(#[from] std::io::Error),
    /// A session file could not be parsed or written.
    #[error("session encoding: {0}")]
    Json(#[from] serde_json::Error),
    /// The configuration is invalid (pool id or client id).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The endpoint URL is refused before anything is sent: not a URL, a scheme other than
    /// `https://` (or `http://`), credentials in the URL, or cleartext `http://` to a host that
    /// is not loopback without [`crate::Options::danger_allow_cleartext_http`].
    #[error("endpoint {url} refused: {problem}")]
    Endpoint {
        /// The endpoint as configured (without a password it may carry).
        url: String,
        /// Why it is refused.
        problem: EndpointProblem,
    },
    /// A reply was larger than [`crate::Options::max_reply_bytes`]: refused as announced
    /// (`Content-Length`) or as soon as the bytes received passed the limit, never read whole.
    /// For sending again it counts as no usable reply: a read is sent again, a request that must
    /// not be sent twice ends in [`Error::OutcomeUnknown`].
    #[error("{}", too_large(*limit, *announced))]
    ReplyTooLarge {
        /// The limit, in bytes.
        limit: usize,
        /// The length the reply announced (`Content-Length`), when that is how it was caught;
        /// `None` when its bytes passed the limit while they arrived.
        announced: Option<u64>,
    },
    /// The sign-in already finished (or failed); start a new one.
    #[error("the sign-in is finished")]
    SignInFinished,
    /// The session has no refresh token.
    #[error("the session has no refresh token")]
    NoRefreshToken,
    /// A pool-domain (OAuth 2.0) operation on a client configured without a pool domain
    /// ([`crate::Config::with_domain`]).
    #[error("no pool domain is configured (hosted UI and /oauth2 endpoints need one)")]
    NoDomain,
    /// The session holds no confirmed device ([`crate::Client::remember_device`]).
    #[error("the session has no confirmed device")]
    NoDevice,
    /// AWS credentials asked of a client configured without an identity pool
    /// ([`crate::Config::with_identity_pool`]).
    #[error("no identity pool is configured (AWS credentials need one)")]
    NoIdentityPool,
    /// The session has no ID token, which an identity pool needs as the user's login (a
    /// hosted-UI sign-in without the `openid` scope).
    #[error("the session has no ID token (an identity pool needs one)")]
    NoIdToken,
    /// No session is stored ([`crate::Client::load_valid_session`]).
    #[error("no session is stored")]
    NoSession,
    /// A session file could not be read as a session. It is left as it is (nothing in this
    /// crate overwrites or removes it): move it away or sign in again and save over it.
    #[error("session file {} is corrupt: {reason}", path.display())]
    CorruptSession {
        /// The file.
        path: std::path::PathBuf,
        /// What is wrong, with the line and column (the file's content is never quoted).
        reason: String,
    },
    /// The session store's lock did not come free in time: another process (or task) holds
    /// it, perhaps stuck. Nothing was loaded, refreshed or saved. See
    /// [`crate::SessionStore::lock_timeout`] ([`crate::FileStore::with_lock_timeout`]).
    #[error(
        "gave up after {timeout:?} waiting for the session store's lock{}: another process \
         holds it",
        lock_file.as_ref().map(|p| format!(" {}", p.display())).unwrap_or_default()
    )]
    LockTimeout {
        /// The file holding the lock ([`crate::FileStore::lock_path`]), when the store has one.
        lock_file: Option<PathBuf>,
        /// How long it waited.
        timeout: Duration,
    },
    /// The session was refreshed but saving it failed: `session` holds the new tokens (with
    /// refresh-token rotation, the only copy of the new refresh token; the stored one may no
    /// longer work). Use it, and save it again (or sign in again later).
    #[error("the session was refreshed but not saved: {cause}")]
    RefreshedNotSaved {
        /// The refreshed session.
        session: Box<Session>,
        /// Why saving failed.
        #[source]
        cause: Box<Error>,
    },
    /// A session file that its group or others may access (Unix): refused, since it holds
    /// the refresh token. Make it private with `chmod 600`.
    #[error(
        "session file {} may be accessed by other users (mode {mode:03o}): run chmod 600 on it",
        path.display()
    )]
    InsecureSession {
        /// The file.
        path: std::path::PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// A [`crate::TokenVerifier`] refused the token: the reason, typed (expired, wrong issuer,
    /// bad signature, …). The token's presenter is at fault, not the pool.
    #[error("token refused: {0}")]
    TokenRefused(cognito_core::token::VerifyError),
    /// A [`crate::TokenVerifier`] could not get the pool's key set (so no token could be
    /// checked): the URL it fetched and why.
    #[error("key set {url}: {problem}")]
    Jwks {
        /// The key set's URL.
        url: String,
        /// What went wrong.
        #[source]
        problem: JwksProblem,
    },
}

impl Error {
    /// Cognito's error, when Cognito said no.
    #[must_use]
    pub fn service(&self) -> Option<&ServiceError> {
        match self {
            Error::Core(cognito_core::Error::Service(e)) | Error::AnswerRefused(e) => Some(e),
            _ => None,
        }
    }

    /// The pool domain's OAuth error (`invalid_grant`, `invalid_scope`, `access_denied`, …),
    /// when the domain (or the redirect of a hosted-UI sign-in) said no; also when it is the
    /// cause of an [`Error::OutcomeUnknown`].
    #[must_use]
    pub fn oauth(&self) -> Option<&cognito_core::oauth::OAuthError> {
        match self {
            Error::Core(cognito_core::Error::OAuth(e)) => Some(e),
            Error::OutcomeUnknown { cause, .. } => cause.oauth(),
            _ => None,
        }
    }

    /// The refreshed session of an [`Error::RefreshedNotSaved`]: new tokens that could not be
    /// saved.
    #[must_use]
    pub fn refreshed_session(&self) -> Option<&Session> {
        match self {
            Error::RefreshedNotSaved { session, .. } => Some(session),
            _ => None,
        }
    }

    /// Whether the pool refused a sign-in answer and waits for another ([`Error::AnswerRefused`]).
    #[must_use]
    pub fn is_answer_refused(&self) -> bool {
        matches!(self, Error::AnswerRefused(_))
    }

    /// Whether Cognito refused the access token as expired: refresh and call again
    /// ([`ServiceError::access_token_expired`]).
    #[must_use]
    pub fn access_token_expired(&self) -> bool {
        self.service()
            .is_some_and(ServiceError::access_token_expired)
    }
}

impl Error {
    /// The reason a [`crate::TokenVerifier`] refused a token ([`Error::TokenRefused`]).
    #[must_use]
    pub fn token_refused(&self) -> Option<cognito_core::token::VerifyError> {
        match self {
            Error::TokenRefused(e) => Some(*e),
            _ => None,
        }
    }
}

impl From<cognito_core::Misuse> for Error {
    fn from(e: cognito_core::Misuse) -> Self {
        Error::Core(e.into())
    }
}

impl From<cognito_core::token::TokenError> for Error {
    fn from(e: cognito_core::token::TokenError) -> Self {
        Error::Token(e)
    }
}

/// Why an endpoint URL is refused ([`Error::Endpoint`]).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointProblem {
    /// It is not a URL.
    #[error("not a URL: {0}")]
    NotUrl(String),
    /// Its scheme is neither `https` nor `http`.
    #[error("scheme {0}: only https:// is allowed (and http:// to a loopback host)")]
    Scheme(String),
    /// It carries a user name or password (they would be sent to the pool as HTTP Basic
    /// credentials).
    #[error("a user name or password in the URL")]
    Credentials,
    /// `http://` to a host that is not loopback (127.0.0.0/8, `::1`, `localhost`): passwords'
    /// proofs, codes and tokens would cross the network in cleartext. Allowed only with
    /// [`crate::Options::danger_allow_cleartext_http`].
    #[error(
        "http:// would send tokens in cleartext to a host that is not loopback (127.0.0.0/8, \
         ::1, localhost): use https://, or opt in to cleartext explicitly"
    )]
    CleartextToRemoteHost,
}

/// Why a key set could not be used ([`Error::Jwks`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JwksProblem {
    /// No reply: connection, TLS, timeout.
    #[error("transport: {0}")]
    Transport(#[source] reqwest::Error),
    /// A reply whose status is not 200.
    #[error("HTTP status {0}")]
    Status(u16),
    /// A reply larger than [`crate::Options::max_reply_bytes`].
    #[error("reply larger than {0} bytes")]
    TooLarge(usize),
    /// A body that is not a key set.
    #[error("{0}")]
    Invalid(cognito_core::token::VerifyError),
    /// Not fetched: the last fetch failed less than the verifier's back-off ago
    /// ([`crate::TokenVerifierBuilder::with_retry_after_failure`]).
    #[error("the last fetch failed; the next one in {retry_in:?}")]
    RecentFailure {
        /// When the next fetch will be tried.
        retry_in: core::time::Duration,
    },
}

fn too_large(limit: usize, announced: Option<u64>) -> String {
    match announced {
        Some(len) => format!("reply of {len} bytes refused: the limit is {limit} bytes"),
        None => format!("reply refused: longer than the limit of {limit} bytes"),
    }
}

/// `Result` with the adapter's [`Error`].
pub type Result<T, E = Error> = core::result::Result<T, E>;
