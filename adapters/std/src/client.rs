//! The async client.

use std::sync::Arc;

use zeroize::Zeroizing;

use cognito_core::auth::{Refresh, Request};
use cognito_core::wire::{HttpResponse, Operation};

use crate::config::{Config, Options};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::sign_in::{PendingSignIn, SignInRequest};
use crate::transport::{Transport, local_now};

/// What a client shares with its sign-in tasks.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: Config,
    pub(crate) options: Options,
    pub(crate) transport: Transport,
}

/// An async Cognito user-pool client (tokio + reqwest). Cheap to clone; clones share the
/// connection pool and the measured clock offset.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// A valid access token (and the id token) from [`Client::get_valid_tokens`].
#[derive(Clone, PartialEq, Eq)]
pub struct ValidTokens {
    /// The access token.
    pub access_token: String,
    /// The id token.
    pub id_token: Option<String>,
}

impl core::fmt::Debug for ValidTokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ValidTokens").finish_non_exhaustive()
    }
}

impl Client {
    /// A client with default [`Options`].
    pub fn new(config: Config) -> Result<Self> {
        Self::with_options(config, Options::default())
    }

    /// A client with the given transport options.
    pub fn with_options(config: Config, options: Options) -> Result<Self> {
        config.core()?;
        let transport = Transport::new(config.endpoint_url()?, &options)?;
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                options,
                transport,
            }),
        })
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Server clock minus local clock in seconds, as the last reply's `Date` header showed
    /// (the SRP `TIMESTAMP` is corrected by it).
    #[must_use]
    pub fn server_clock_offset(&self) -> i64 {
        self.inner.transport.server_offset()
    }

    /// Starts a sign-in and returns it at its first step ([`crate::SignInStep::Done`] when no
    /// challenge was asked). Must run inside a tokio runtime: the flow runs as a task.
    pub async fn sign_in(&self, request: SignInRequest) -> Result<PendingSignIn> {
        PendingSignIn::start(self.inner.clone(), request).await
    }

    /// `USER_SRP_AUTH` sign-in.
    pub async fn sign_in_srp(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::srp(username, password)).await
    }

    /// `USER_PASSWORD_AUTH` sign-in.
    pub async fn sign_in_password(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::password(username, password))
            .await
    }

    /// New tokens for `session`, with the remembered device's key, by the operation
    /// [`Options::refresh_operation`] selects: `InitiateAuth REFRESH_TOKEN_AUTH` (the default;
    /// `SECRET_HASH` over the session's username) or `GetTokensFromRefreshToken` (`ClientSecret`;
    /// with refresh-token rotation the new refresh token replaces the spent one in the
    /// session). The refresh token is kept when none comes.
    pub async fn refresh(&self, session: &mut Session) -> Result<()> {
        let span = tracing::info_span!("cognito_refresh", username = %session.username);
        tracing::Instrument::instrument(self.refresh_inner(session), span).await
    }

    async fn refresh_inner(&self, session: &mut Session) -> Result<()> {
        let refresh_token =
            zeroize::Zeroizing::new(session.refresh_token.clone().ok_or(Error::NoRefreshToken)?);
        let username = session.username.clone();
        let device_key = session.device.as_ref().map(|d| d.key.clone());
        let config = self.inner.config.core()?;
        let mut flow = Refresh::new(&config, &refresh_token)?
            .with_username(&username)
            .using(self.inner.options.refresh_operation);
        if let Some(key) = &device_key {
            flow = flow.with_device_key(key);
        }
        let mut buf = Zeroizing::new(vec![0u8; 8192]);
        let (operation, body) = write_grow(&mut buf, |b| flow.write_request(b))?;
        let reply = self.inner.transport.send(operation, &body).await?;
        let result = flow.handle_response(&reply.as_http())?;
        session.update_from_refresh(&result, local_now());
        tracing::info!(
            operation = operation.name(),
            rotated = result.refresh_token.is_some(),
            "tokens refreshed"
        );
        Ok(())
    }

    /// The session's tokens, refreshed first when the access token expires within
    /// [`Options::refresh_margin`] (on the local clock, corrected by the drift measured when
    /// the tokens arrived).
    pub async fn get_valid_tokens(&self, session: &mut Session) -> Result<ValidTokens> {
        let margin = self.inner.options.refresh_margin.as_secs();
        if session.is_expired(local_now(), margin) {
            self.refresh(session).await?;
        }
        Ok(ValidTokens {
            access_token: session.access_token.clone(),
            id_token: session.id_token.clone(),
        })
    }

    /// Sends one account request and reads its reply. The request body (which may carry a
    /// password, a code or a token) is zeroized once sent.
    pub(crate) async fn call<T>(
        &self,
        write: impl FnMut(&mut [u8]) -> core::result::Result<Request<'_>, cognito_core::Error>,
        read: impl FnOnce(&HttpResponse<'_>) -> core::result::Result<T, cognito_core::Error>,
    ) -> Result<T> {
        let mut buf = Zeroizing::new(vec![0u8; 8192]);
        let (operation, body) = write_grow(&mut buf, write)?;
        let span = tracing::info_span!("cognito_call", operation = operation.name());
        let reply =
            tracing::Instrument::instrument(self.inner.transport.send(operation, &body), span)
                .await?;
        Ok(read(&reply.as_http())?)
    }
}

/// Runs `write` into `buf`, growing it once to the size a [`cognito_core::BufferTooSmall`]
/// asks for; returns the operation and an owned copy of the body. Both the buffer and the copy
/// are zeroized when dropped: bodies carry passwords, codes, tokens and SRP proofs.
pub(crate) fn write_grow(
    buf: &mut Zeroizing<Vec<u8>>,
    mut write: impl FnMut(&mut [u8]) -> core::result::Result<Request<'_>, cognito_core::Error>,
) -> Result<(Operation, Zeroizing<Vec<u8>>)> {
    let required = match write(buf.as_mut_slice()) {
        Ok(request) => return Ok((request.operation, Zeroizing::new(request.body.to_vec()))),
        Err(cognito_core::Error::BufferTooSmall(b)) => b.required,
        Err(e) => return Err(e.into()),
    };
    // A new buffer rather than `resize`: a reallocation would free the old allocation (which
    // may hold an earlier body of the same sign-in) without zeroizing it. The old buffer is
    // zeroized as it drops here.
    *buf = Zeroizing::new(vec![0u8; required]);
    let request = write(buf.as_mut_slice())?;
    Ok((request.operation, Zeroizing::new(request.body.to_vec())))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn write_grow_replaces_a_small_buffer_once() {
        let body = vec![b'x'; 10_000];
        let mut buf = Zeroizing::new(vec![0u8; 16]);
        let mut calls = 0;
        let (operation, written) = write_grow(&mut buf, |b| {
            calls += 1;
            let Some(target) = b.get_mut(..body.len()) else {
                return Err(cognito_core::Error::BufferTooSmall(
                    cognito_core::BufferTooSmall {
                        required: body.len(),
                    },
                ));
            };
            target.copy_from_slice(&body);
            Ok(Request {
                operation: Operation::GetUser,
                body: target,
            })
        })
        .unwrap();
        assert_eq!(calls, 2);
        assert_eq!(operation, Operation::GetUser);
        assert_eq!(*written, body);
        assert_eq!(buf.len(), body.len());
    }
}
