//! A blocking client: the async [`crate::Client`] on a private current-thread tokio runtime.
//! Its account methods are defined once with the async ones (in `account.rs`), and run them on
//! that runtime.
//!
//! Do not call it from inside an async runtime (tokio refuses to block a runtime's thread);
//! use the async client there.

use core::future::Future;
use std::sync::Arc;

use tokio::runtime::Runtime;

use crate::client::ValidTokens;
use crate::config::{Config, Options};
use crate::error::{Error, Result};
use crate::exchange::OwnedCall;
use crate::session::Session;
use crate::sign_in::{SignInAnswer, SignInRequest, SignInStep};

pub use crate::identity_session::BlockingIdentityClient as IdentityClient;
pub use crate::verifier::BlockingTokenVerifier as TokenVerifier;

/// A blocking Cognito user-pool client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    runtime: Arc<Runtime>,
    inner: crate::Client,
}

/// A blocking [`crate::PendingSignIn`].
#[derive(Debug)]
pub struct PendingSignIn {
    runtime: Arc<Runtime>,
    inner: crate::PendingSignIn,
}

impl PendingSignIn {
    /// What the server wants now.
    #[must_use]
    pub fn step(&self) -> &SignInStep {
        self.inner.step()
    }

    /// See [`crate::PendingSignIn::is_finished`].
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    /// The session, once signed in.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.inner.session()
    }

    /// The session, once signed in; otherwise the pending sign-in back.
    pub fn into_session(self) -> core::result::Result<Session, Self> {
        let runtime = self.runtime;
        self.inner
            .into_session()
            .map_err(|inner| PendingSignIn { runtime, inner })
    }

    /// Answers the current step and returns the next one.
    pub fn answer(&mut self, answer: SignInAnswer) -> Result<&SignInStep> {
        self.runtime.block_on(self.inner.answer(answer))
    }
}

/// A blocking [`crate::HostedUiSignIn`], from [`Client::hosted_sign_in`].
#[derive(Debug)]
pub struct HostedUiSignIn {
    runtime: Arc<Runtime>,
    inner: crate::HostedUiSignIn,
}

impl HostedUiSignIn {
    pub(crate) fn new(runtime: Arc<Runtime>, inner: crate::HostedUiSignIn) -> Self {
        Self { runtime, inner }
    }

    /// See [`crate::HostedUiSignIn::authorize_url`].
    #[must_use]
    pub fn authorize_url(&self) -> &str {
        self.inner.authorize_url()
    }

    /// See [`crate::HostedUiSignIn::redirect_uri`].
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        self.inner.redirect_uri()
    }

    /// See [`crate::HostedUiSignIn::is_awaiting_redirect`].
    #[must_use]
    pub fn is_awaiting_redirect(&self) -> bool {
        self.inner.is_awaiting_redirect()
    }

    /// See [`crate::HostedUiSignIn::state`].
    #[must_use]
    pub fn state(&self) -> &str {
        self.inner.state()
    }

    /// See [`crate::HostedUiSignIn::save`].
    pub fn save(&self) -> Result<zeroize::Zeroizing<String>> {
        self.inner.save()
    }

    /// See [`crate::HostedUiSignIn::remembering`].
    #[must_use]
    pub fn remembering(self, previous: Option<&Session>) -> Self {
        Self {
            runtime: self.runtime,
            inner: self.inner.remembering(previous),
        }
    }

    /// See [`crate::HostedUiSignIn::accept_redirect`].
    pub fn accept_redirect(&mut self, redirect_url: &str) -> Result<()> {
        self.inner.accept_redirect(redirect_url)
    }

    /// See [`crate::HostedUiSignIn::finish`].
    pub fn finish(&mut self, redirect_url: &str) -> Result<Session> {
        self.runtime.block_on(self.inner.finish(redirect_url))
    }

    /// See [`crate::HostedUiSignIn::exchange_code`].
    pub fn exchange_code(&mut self) -> Result<Session> {
        self.runtime.block_on(self.inner.exchange_code())
    }
}

impl Client {
    /// A client with default [`Options`].
    pub fn new(config: Config) -> Result<Self> {
        Self::with_options(config, Options::default())
    }

    /// A client with the given transport options.
    pub fn with_options(config: Config, options: Options) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Io)?;
        // reqwest's client registers with the runtime it is built in.
        let inner = {
            let _guard = runtime.enter();
            crate::Client::with_options(config, options)?
        };
        Ok(Self {
            runtime: Arc::new(runtime),
            inner,
        })
    }

    /// The async client this one wraps.
    #[must_use]
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// This client's runtime.
    pub(crate) fn runtime(&self) -> Arc<Runtime> {
        Arc::clone(&self.runtime)
    }

    /// Runs `future` on this client's runtime.
    pub(crate) fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.runtime.block_on(future)
    }

    /// Sends one operation and reads its reply (see [`crate::Client::send`]).
    pub fn send<C: OwnedCall + Sync>(&self, call: &C) -> Result<C::Output> {
        self.block_on(self.inner.send(call))
    }

    /// Starts a sign-in (see [`crate::Client::sign_in`]).
    pub fn sign_in(&self, request: SignInRequest) -> Result<PendingSignIn> {
        let inner = self.block_on(self.inner.sign_in(request))?;
        Ok(PendingSignIn {
            runtime: self.runtime.clone(),
            inner,
        })
    }

    /// `USER_SRP_AUTH` sign-in.
    pub fn sign_in_srp(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::srp(username, password))
    }

    /// `USER_PASSWORD_AUTH` sign-in.
    pub fn sign_in_password(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::password(username, password))
    }

    /// See [`crate::Client::refresh`].
    pub fn refresh(&self, session: &mut Session) -> Result<()> {
        self.block_on(self.inner.refresh(session))
    }

    /// See [`crate::Client::get_valid_tokens`].
    pub fn get_valid_tokens(&self, session: &mut Session) -> Result<ValidTokens> {
        self.block_on(self.inner.get_valid_tokens(session))
    }

    /// See [`crate::Client::remember_device`].
    pub fn remember_device(&self, session: &mut Session) -> Result<()> {
        self.block_on(self.inner.remember_device(session))
    }
}
