//! std adapter for `cognito-core`: drives the core's flows and calls over HTTP (reqwest +
//! tokio), and keeps sessions.
//!
//! The adapter moves bytes and nothing else: the core writes each request, says whether it may
//! be sent again after a failure, and reads each reply; which challenge means what and what
//! comes next are the core's decisions, so this adapter and the embedded one cannot disagree.
//!
//! * [`Client`] (async) and [`blocking::Client`]: one call path for every account operation
//!   ([`Client::send`], and a typed method for each — `get_user`, `forgot_password`, … — defined
//!   once for both clients); sign-in flows as [`PendingSignIn`] values whose [`SignInStep`]s the
//!   caller answers with [`SignInAnswer`]s (no callbacks, no background task); token refresh
//!   (`REFRESH_TOKEN_AUTH`, or `GetTokensFromRefreshToken` with refresh-token rotation:
//!   [`Options::refresh_operation`]); device registration after a sign-in.
//! * [`Session`]: tokens, expiry on the local clock, clock drift, the remembered [`Device`], the
//!   real username and the other names the user signs in with (so a remembered device is found
//!   whichever name is typed), and the devices of other users of the same store; persisted by a
//!   [`SessionStore`] such as [`FileStore`].
//! * The pool domain's OAuth 2.0 endpoints ([`Config::with_domain`]): hosted-UI sign-in as a
//!   [`HostedUiSignIn`] the caller drives (authorize URL out, redirect in, a [`Session`] like
//!   any other: refreshed through `/oauth2/token`, [`SessionOrigin`]); refresh and revocation
//!   through the domain, userInfo, the logout URL; client-credentials tokens ([`M2mToken`])
//!   cached per scope set, one request for concurrent callers, kept between runs in a
//!   [`ClientTokenFile`]. OAuth errors come back typed ([`Error::oauth`]).
//! * AWS credentials from an identity pool ([`Config::with_identity_pool`]):
//!   [`Client::fetch_auth_session`] returns valid tokens and valid [`AwsCredentials`] like
//!   Amplify's `fetchAuthSession` (the identity id and the credentials kept in the
//!   [`Session`]); [`Client::guest_credentials`] for guests ([`GuestIdentity`],
//!   [`IdentityClient`] without a user pool).
//! * Sending again ([`RetryPolicy`]): exponential backoff with full jitter, bounded in count and
//!   time, only where the core allows it ([`cognito_core::wire::Resend`]): reads and SRP or
//!   refresh `InitiateAuth` after any transient failure, everything else only when it never
//!   reached the pool or the pool throttled it. Otherwise the caller gets
//!   [`Error::OutcomeUnknown`]. Every request has a timeout ([`Options`]).
//! * On the wire: `https://` endpoints, or `http://` to a loopback host (an emulator) — any
//!   other cleartext endpoint only with [`Options::danger_allow_cleartext_http`], and no
//!   other scheme ([`Error::Endpoint`]); redirects never followed (a 3xx reply is the core's to
//!   refuse); reply bodies limited to [`Options::max_reply_bytes`] while they arrive
//!   ([`Error::ReplyTooLarge`]).
//! * Time: the SRP `TIMESTAMP` uses the system clock corrected by the replies' `Date` header.
//! * `tracing` spans per operation (`cognito_request`, `cognito_sign_in`, `cognito_refresh`,
//!   `cognito_call`); passwords, codes, tokens and device passwords are never logged.
//! * Secrets in memory: request and reply bodies (passwords, codes, refresh tokens, SRP proofs,
//!   device verifiers) live in buffers zeroized on drop; the one copy per attempt handed to
//!   reqwest is freed by reqwest. Sessions, valid tokens, answers, the client secret, TOTP
//!   secrets and sign-up `Session`s are zeroized on drop, tokens replaced by a refresh in place,
//!   and a session is written to its file from a buffer that zeroizes what it outgrows. `Debug`
//!   shows none of them (`<redacted>`).
//!
//! ```no_run
//! # async fn demo() -> Result<(), cognito_std::Error> {
//! use cognito_std::{Client, Config, FileStore, SessionStore, SignInAnswer, SignInRequest, SignInStep};
//!
//! let client = Client::new(Config::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado"))?;
//! let store = FileStore::new("session.json");
//! // The device this user remembered last time, whatever name they type now.
//! let request = SignInRequest::srp("alice@example.com", "correct horse")
//!     .remembering(store.load()?.as_ref());
//! let mut pending = client.sign_in(request).await?;
//! while let SignInStep::MfaCode { destination, .. } = pending.step() {
//!     println!("code sent to {destination:?}");
//!     match pending.answer(SignInAnswer::code("123456")).await {
//!         Err(e) if e.is_answer_refused() => println!("wrong code, try again"),
//!         other => { other?; }
//!     }
//! }
//! let mut session = pending.into_session().map_err(|_| cognito_std::Error::SignInFinished)?;
//! store.save(&session)?;
//! let tokens = client.get_valid_tokens(&mut session).await?;
//! # let _ = tokens; Ok(()) }
//! ```
#![forbid(unsafe_code)]
// The adapter is std-only; the workspace's no_std hygiene lints do not apply.
#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

mod account;
pub mod blocking;
mod client;
mod client_token;
mod config;
mod credentials;
mod endpoint;
mod error;
mod exchange;
mod identity;
mod identity_session;
mod oauth;
mod persist;
mod redact;
mod session;
mod sign_in;
mod store_lock;
mod transport;
mod verified_claims;
mod verifier;
mod zeroizing;

pub use account::{
    AuthFactors, CodeDelivery, DeviceInfo, DevicePage, MfaPreference, SignUpResult, User,
    WebAuthnCredential, WebAuthnCredentialPage,
};
pub use client::{Client, ValidTokens};
pub use client_token::{ClientTokenFile, M2mToken, StoredClientToken};
pub use config::{Config, DEFAULT_MAX_REPLY_BYTES, Options, RetryPolicy};
pub use credentials::AwsCredentials;
pub use endpoint::EndpointSecurity;
pub use error::{EndpointProblem, Error, JwksProblem, Result};
pub use exchange::OwnedCall;
pub use identity::{GuestIdentity, IdentityClient, IdentityCredentials, PoolIdentity};
pub use identity_session::{AuthSession, FetchOptions, GuestIdentityFile};
pub use oauth::{HostedUiOptions, HostedUiSignIn, UserInfo, redirect_state};
pub use session::{
    Device, FileStore, MemoryStore, RememberedUser, Session, SessionOrigin, SessionStore,
};
pub use sign_in::{CodeKind, PendingSignIn, SignInAnswer, SignInRequest, SignInStep};
pub use store_lock::{DEFAULT_LOCK_TIMEOUT, StoreLock};
pub use verified_claims::VerifiedClaims;
pub use verifier::{
    DEFAULT_REFETCH_INTERVAL, DEFAULT_RETRY_AFTER_FAILURE, TokenVerifier, TokenVerifierBuilder,
};

pub use cognito_core as core;
pub use cognito_core::account::{DeliveryMedium, MfaOptionSetting, MfaSetting};
pub use cognito_core::auth::{FirstFactor, MfaType, RefreshOperation};
