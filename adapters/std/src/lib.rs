//! std adapter for `cognito-core`: drives the sans-IO flows over HTTP (reqwest + tokio), keeps
//! sessions, and retries what may pass.
//!
//! * [`Client`] (async) and [`blocking::Client`]: sign-in flows as [`PendingSignIn`] handles whose
//!   [`SignInStep`]s the caller answers with [`SignInAnswer`]s (no callbacks), token refresh
//!   (`REFRESH_TOKEN_AUTH`, or `GetTokensFromRefreshToken` with refresh-token rotation:
//!   [`Options::refresh_operation`]), device confirmation, and every user-side account operation
//!   (attributes, passwords, MFA, devices, passkeys, sign-out, auth-event feedback) with owned
//!   results.
//! * [`Session`]: tokens, expiry on the local clock, clock drift, the remembered [`Device`], the
//!   real username; persisted by a [`SessionStore`] such as [`FileStore`].
//! * Retries ([`RetryPolicy`]): exponential backoff with full jitter for Cognito's retryable
//!   errors, 5xx replies and transport errors, bounded in count and time. An answer to a
//!   challenge (`RespondToAuthChallenge`) whose reply was lost after sending is never resent:
//!   [`Error::OutcomeUnknown`]. Every request has a timeout ([`Options`]).
//! * Time: the SRP `TIMESTAMP` uses the system clock corrected by the replies' `Date` header.
//! * `tracing` spans per operation (`cognito_request`, `cognito_sign_in`, `cognito_refresh`,
//!   `cognito_call`); passwords, codes, tokens and device passwords are never logged.
//! * Secrets in memory: request and reply bodies (passwords, codes, refresh tokens, SRP proofs,
//!   device verifiers) live in buffers zeroized on drop; the one copy per attempt handed to
//!   reqwest is freed by reqwest.
//!
//! ```no_run
//! # async fn demo() -> Result<(), cognito_std::Error> {
//! use cognito_std::{Client, Config, FileStore, SessionStore, SignInAnswer, SignInStep};
//!
//! let client = Client::new(Config::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado"))?;
//! let mut pending = client.sign_in_srp("alice", "correct horse").await?;
//! while let SignInStep::MfaCode { destination, .. } = pending.step() {
//!     println!("code sent to {destination:?}");
//!     pending.answer(SignInAnswer::code("123456")).await?;
//! }
//! let mut session = pending.into_session().map_err(|_| cognito_std::Error::SignInFinished)?;
//! let store = FileStore::new("session.json");
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
mod config;
mod error;
mod persist;
mod session;
mod sign_in;
mod transport;

pub use account::{
    AuthFactors, CodeDelivery, DeviceInfo, DevicePage, MfaPreference, SignUpResult, User,
    WebAuthnCredential, WebAuthnCredentialPage,
};
pub use client::{Client, ValidTokens};
pub use config::{Config, Options, RetryPolicy};
pub use error::{Error, Result};
pub use persist::StoreLock;
pub use session::{Device, FileStore, MemoryStore, Session, SessionStore};
pub use sign_in::{CodeKind, PendingSignIn, SignInAnswer, SignInRequest, SignInStep};

pub use cognito_core as core;
pub use cognito_core::account::{DeliveryMedium, MfaOptionSetting, MfaSetting};
pub use cognito_core::auth::{FirstFactor, MfaType, RefreshOperation};
