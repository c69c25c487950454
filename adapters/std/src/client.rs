//! The async client: one call path for every one-shot operation ([`Client::send`]); sign-in,
//! refresh and device registration run the flow loop of [`crate::exchange`].

use std::sync::Arc;

use tracing::Instrument;
use zeroize::Zeroize;

use cognito_core::auth::Refresh;

use crate::config::{Config, Options};
use crate::endpoint::EndpointSecurity;
use crate::error::{Error, Result};
use crate::exchange::{Inner, OwnedCall, write_request};
use crate::redact::{hide, hide_opt};
use crate::session::Session;
use crate::sign_in::{PendingSignIn, SignInRequest};
use crate::transport::{Transport, local_now};

/// An async Cognito user-pool client (tokio + reqwest). Cheap to clone; clones share the
/// connection pool and the measured clock offset.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

/// A valid access token (and the id token) from [`Client::get_valid_tokens`]. Zeroized on drop;
/// `Debug` shows the tokens as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct ValidTokens {
    /// The access token.
    pub access_token: String,
    /// The id token.
    pub id_token: Option<String>,
}

impl core::fmt::Debug for ValidTokens {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ValidTokens")
            .field("access_token", &hide(&self.access_token))
            .field("id_token", &hide_opt(self.id_token.as_deref()))
            .finish()
    }
}

/// Wipes both tokens (the id token becomes `None`).
impl Zeroize for ValidTokens {
    fn zeroize(&mut self) {
        self.access_token.zeroize();
        self.id_token.zeroize();
    }
}

impl Drop for ValidTokens {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for ValidTokens {}

impl Client {
    /// A client with default [`Options`].
    pub fn new(config: Config) -> Result<Self> {
        Self::with_options(config, Options::default())
    }

    /// A client with the given transport options.
    ///
    /// Refuses ([`Error::Endpoint`]) an endpoint that is not `https://`, except `http://` to a
    /// loopback host (127.0.0.0/8, `::1`, `localhost`) or, with
    /// [`Options::danger_allow_cleartext_http`], to any host; the same for the pool domain
    /// ([`Config::domain`]), which must also be a scheme and a host only
    /// ([`cognito_core::oauth::PoolDomain::parse`]).
    pub fn with_options(config: Config, options: Options) -> Result<Self> {
        let core = config.core()?;
        let domain = config.pool_domain()?;
        let mut transport = Transport::new(config.endpoint_url()?, &options)?;
        if let Some(domain) = &domain {
            transport = transport.with_domain(domain, &options)?;
        }
        let identity = match &config.identity_pool_id {
            Some(id) => Some(crate::identity::IdentityClient::new(
                id,
                config.identity_endpoint.as_deref(),
                &options,
            )?),
            None => None,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                core,
                options,
                transport,
                domain,
                client_tokens: crate::client_token::ClientTokenCache::default(),
                identity,
            }),
        })
    }

    /// The configuration.
    #[must_use]
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// How requests reach the endpoint: over TLS, or in cleartext to a loopback host or (with
    /// [`Options::danger_allow_cleartext_http`]) to another one — warn your user then.
    #[must_use]
    pub fn endpoint_security(&self) -> EndpointSecurity {
        self.inner.transport.security()
    }

    /// Server clock minus local clock in seconds, as the last reply's `Date` header showed
    /// (the SRP `TIMESTAMP` is corrected by it).
    #[must_use]
    pub fn server_clock_offset(&self) -> i64 {
        self.inner.transport.server_offset()
    }

    /// Starts a sign-in and returns it at its first step ([`crate::SignInStep::Done`] when no
    /// challenge was asked).
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

    /// Sends one operation and reads its reply: the single path every account method takes.
    /// The request body (which may carry a password, a code or a token) is zeroized once sent;
    /// it is sent again only where the core allows ([`cognito_core::wire::Resend`]).
    ///
    /// ```no_run
    /// # async fn demo(client: cognito_std::Client, token: &str) -> cognito_std::Result<()> {
    /// use cognito_std::core::account::GetUser;
    /// let user = client.send(&GetUser { access_token: token }).await?;
    /// println!("{}", user.username);
    /// # Ok(()) }
    /// ```
    pub async fn send<C: OwnedCall + Sync>(&self, call: &C) -> Result<C::Output> {
        self.inner.send(call).await
    }

    /// New tokens for `session`. A session from the hosted UI ([`crate::SessionOrigin::HostedUi`])
    /// is refreshed through the pool domain ([`Self::refresh_with_domain`]) unless
    /// [`Options::refresh_hosted_ui_via_domain`] is off. Any other, with the remembered
    /// device's key, by the operation [`Options::refresh_operation`] selects: `InitiateAuth REFRESH_TOKEN_AUTH` (the default;
    /// `SECRET_HASH` over the session's username) or `GetTokensFromRefreshToken` (`ClientSecret`;
    /// with refresh-token rotation the new refresh token replaces the spent one in the
    /// session). The refresh token is kept when none comes.
    pub async fn refresh(&self, session: &mut Session) -> Result<()> {
        let span = tracing::info_span!("cognito_refresh", username = %session.username);
        self.refresh_inner(session).instrument(span).await
    }

    async fn refresh_inner(&self, session: &mut Session) -> Result<()> {
        if self.inner.options.refresh_hosted_ui_via_domain && !session.origin.is_user_pool() {
            return self.refresh_with_domain(session).await;
        }
        let refresh_token = session
            .refresh_token
            .as_deref()
            .ok_or(Error::NoRefreshToken)?;
        let mut flow: Refresh = Refresh::new(&self.inner.core, refresh_token)?
            .with_username(&session.username)?
            .using(self.inner.options.refresh_operation);
        if let Some(device) = &session.device {
            flow = flow.with_device_key(&device.key)?;
        }
        let request = write_request(|b| flow.write_request(b))?;
        let operation = request.operation;
        let rotated = self
            .inner
            .run_flow(&mut flow, request, |result| {
                session.update_from_refresh(&result, local_now());
                Ok(result.refresh_token.is_some())
            })
            .await?;
        tracing::info!(operation = operation.name(), rotated, "tokens refreshed");
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
}
