//! The pool domain's OAuth 2.0 endpoints: hosted-UI sign-in ([`HostedUiSignIn`]), refresh and
//! revocation through `/oauth2/*`, userInfo, the logout URL, and client-credentials tokens
//! cached per scope set.
//!
//! Every request is written by the core ([`cognito_core::oauth`]) and every reply read by it:
//! this module sends the core's method, path, headers and body to the configured pool domain
//! ([`crate::Config::domain`]) along the transport's one retry path, and keeps owned results.

use core::fmt;
use std::sync::Arc;

use cognito_core::Error as CoreError;
pub use cognito_core::oauth::redirect_state;
use cognito_core::oauth::{
    AuthorizeOptions, Grant, HostedPhase, HostedSignIn, Logout, MAX_SAVED_HOSTED_SIGN_IN_LEN,
    OAuthClient, OAuthRequest, PoolDomain, Revoke, Scopes, TokenRequest,
    UserInfo as UserInfoRequest, read_token_reply,
};
use cognito_core::wire::{HttpResponse, JsonValue};
use rand::rngs::OsRng;
use tracing::Instrument;
use zeroize::Zeroizing;

use crate::client_token::{CachedToken, M2mToken, StoredClientToken, canonical_scopes};
use crate::error::{Error, Result};
use crate::exchange::Inner;
use crate::session::Session;
use crate::transport::{OwnedOAuthRequest, Reply, local_now};

/// The size OAuth requests and URLs are first written into (grown once when one needs more).
const OAUTH_BUFFER: usize = 4096;
/// The first scratch buffer for the ID token's claims (the nonce check).
const CLAIMS_SCRATCH: usize = 4096;

/// Runs `write` (a core OAuth writer) into a zeroized buffer, growing it once to the size a
/// [`cognito_core::BufferTooSmall`] asks for, and keeps an owned copy of the request.
pub(crate) fn write_oauth_request(
    mut write: impl FnMut(&mut [u8]) -> core::result::Result<OAuthRequest<'_>, CoreError>,
) -> Result<OwnedOAuthRequest> {
    let mut buf = Zeroizing::new(vec![0u8; OAUTH_BUFFER]);
    match write(buf.as_mut_slice()) {
        Ok(request) => Ok(OwnedOAuthRequest::copy_of(&request)),
        Err(CoreError::BufferTooSmall(b)) => {
            buf = Zeroizing::new(vec![0u8; b.required]);
            let request = write(buf.as_mut_slice())?;
            Ok(OwnedOAuthRequest::copy_of(&request))
        }
        Err(e) => Err(e.into()),
    }
}

/// Runs `write` (a core URL writer), growing its buffer once like [`write_oauth_request`].
fn write_url(
    mut write: impl FnMut(&mut [u8]) -> core::result::Result<&str, CoreError>,
) -> Result<String> {
    let mut buf = vec![0u8; OAUTH_BUFFER];
    match write(buf.as_mut_slice()) {
        Ok(url) => Ok(url.to_owned()),
        Err(CoreError::BufferTooSmall(b)) => {
            buf = vec![0u8; b.required];
            Ok(write(buf.as_mut_slice())?.to_owned())
        }
        Err(e) => Err(e.into()),
    }
}

/// The core's view of a pool-domain reply.
fn view(reply: &Reply) -> HttpResponse<'_> {
    HttpResponse::new(reply.status, &reply.body)
}

impl Inner {
    /// The configured pool domain.
    pub(crate) fn pool_domain(&self) -> Result<&PoolDomain> {
        self.domain.as_ref().ok_or(Error::NoDomain)
    }

    /// The app client as the pool domain knows it (Basic credentials when it has a secret).
    pub(crate) fn oauth_client(&self) -> OAuthClient<'_> {
        OAuthClient {
            client_id: &self.config.client_id,
            client_secret: self.config.client_secret.as_deref(),
        }
    }

    /// Sends a request to the pool domain (again only where the core allows it).
    pub(crate) async fn send_oauth(&self, request: &OwnedOAuthRequest) -> Result<Reply> {
        self.pool_domain()?;
        self.transport.send(request).await
    }
}

/// Optional parameters of a hosted-UI sign-in's authorize URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HostedUiOptions {
    /// `identity_provider`: go straight to this provider (`COGNITO`, `Google`, a SAML or OIDC
    /// provider's name) instead of the hosted UI's choice.
    pub identity_provider: Option<String>,
    /// `idp_identifier`: a provider chosen by one of its identifiers (an email domain, say).
    pub idp_identifier: Option<String>,
    /// `lang`: the hosted UI's language (managed login only).
    pub lang: Option<String>,
}

/// A sign-in through the pool's hosted UI, from [`Client::hosted_sign_in`](crate::Client::hosted_sign_in):
/// authorization code with PKCE, `state` and `nonce`, all decided by the core's
/// [`HostedSignIn`].
///
/// 1. Send the user's browser to [`authorize_url`](Self::authorize_url).
/// 2. When the browser comes back to the redirect URI, hand the URL (or its path and query) to
///    [`finish`](Self::finish): the state is checked, the code traded for tokens at
///    `/oauth2/token`, the ID token's nonce checked, and a [`Session`] returned
///    ([`crate::SessionOrigin::HostedUi`]) that refreshes, calls the user-pool API (with the
///    `aws.cognito.signin.user.admin` scope) and is stored like any other.
///
/// A redirect that this sign-in did not cause (another `state`, none) is refused and the
/// sign-in keeps waiting: [`is_awaiting_redirect`](Self::is_awaiting_redirect) stays true and
/// `finish` may be called again with the right one. An error the redirect carries
/// (`access_denied`, …) ends it ([`Error::oauth`]).
///
/// The verifier, the code and the client secret are zeroized on drop; `Debug` shows none of
/// them, nor the authorize URL (its state and nonce).
pub struct HostedUiSignIn {
    inner: Arc<Inner>,
    domain: PoolDomain,
    flow: Box<HostedSignIn>,
    authorize_url: String,
    previous: Option<Box<Session>>,
}

impl fmt::Debug for HostedUiSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostedUiSignIn")
            .field("domain", &self.domain)
            .field("flow", &self.flow)
            .field("authorize_url", &"<redacted>")
            .finish_non_exhaustive()
    }
}

impl HostedUiSignIn {
    /// The URL to open in the user's browser.
    #[must_use]
    pub fn authorize_url(&self) -> &str {
        &self.authorize_url
    }

    /// The redirect URI the browser comes back to.
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        self.flow.redirect_uri()
    }

    /// Whether the sign-in still waits for the browser's redirect (true until a redirect with
    /// this sign-in's state arrives).
    #[must_use]
    pub fn is_awaiting_redirect(&self) -> bool {
        self.flow.phase() == HostedPhase::AwaitingRedirect
    }

    /// This sign-in's `state` (in the authorize URL, and back in the redirect): the key to keep
    /// a [`save`](Self::save)d sign-in under; [`redirect_state`] reads it from a redirect.
    #[must_use]
    pub fn state(&self) -> &str {
        self.flow.state()
    }

    /// This sign-in as one line of text, for a server whose callback may reach another
    /// instance (or the same one after a restart): [`crate::Client::resume_hosted_sign_in`]
    /// goes on from it. Only while awaiting the redirect.
    ///
    /// It holds the PKCE verifier and the nonce (not the client secret, nor what
    /// [`remembering`](Self::remembering) was given): keep it where only the server reads it
    /// (its session store, or a cookie it encrypts and authenticates), under
    /// [`state`](Self::state), and delete it once the redirect is handled. See
    /// [`HostedSignIn::save`].
    pub fn save(&self) -> Result<Zeroizing<String>> {
        let mut buf = Zeroizing::new(vec![0u8; MAX_SAVED_HOSTED_SIGN_IN_LEN]);
        Ok(Zeroizing::new(self.flow.save(&mut buf)?.to_owned()))
    }

    /// Keeps what `previous` (the session stored before) remembers in the session this sign-in
    /// makes: the remembered device of the same user, and those of the other users of the
    /// store (see [`Session::other_users`]).
    #[must_use]
    pub fn remembering(mut self, previous: Option<&Session>) -> Self {
        self.previous = previous.map(|s| Box::new(s.clone()));
        self
    }

    /// Takes the URL the browser came back to (whole, or its path and query) without sending
    /// anything: the state is checked and the code kept. See [`Self::finish`].
    pub fn accept_redirect(&mut self, redirect_url: &str) -> Result<()> {
        Ok(self.flow.accept_redirect(redirect_url)?)
    }

    /// Takes the redirect ([`Self::accept_redirect`]) and trades its code for tokens
    /// ([`Self::exchange_code`]).
    pub async fn finish(&mut self, redirect_url: &str) -> Result<Session> {
        self.accept_redirect(redirect_url)?;
        self.exchange_code().await
    }

    /// Trades the accepted redirect's code for tokens at `/oauth2/token` and returns the
    /// session. The code is single use: a request that may have reached the domain is not sent
    /// again ([`Error::OutcomeUnknown`]).
    pub async fn exchange_code(&mut self) -> Result<Session> {
        let span = tracing::info_span!("cognito_hosted_sign_in", domain = %self.domain);
        async {
            let request = write_oauth_request(|b| self.flow.write_token_request(b))?;
            let reply = self.inner.send_oauth(&request).await?;
            let received_at = local_now();
            let response = view(&reply);
            let mut scratch = Zeroizing::new(vec![0u8; CLAIMS_SCRATCH]);
            let tokens = match self.flow.handle_token_reply(&response, &mut scratch) {
                Err(CoreError::BufferTooSmall(b)) => {
                    scratch = Zeroizing::new(vec![0u8; b.required]);
                    self.flow.handle_token_reply(&response, &mut scratch)?
                }
                other => other?,
            };
            let mut session = Session::from_oauth_tokens(&tokens, &self.domain, received_at)?;
            if let Some(previous) = &self.previous {
                session.device = previous.device_for(&session.username).cloned();
                session.carry_over(previous);
            }
            tracing::info!("signed in through the hosted UI");
            Ok(session)
        }
        .instrument(span)
        .await
    }
}

/// What the pool domain's userInfo endpoint says about the signed-in user
/// ([`Client::user_info`](crate::Client::user_info)).
#[derive(Clone, Debug, PartialEq)]
pub struct UserInfo {
    /// `sub`.
    pub sub: String,
    /// `username`, when present.
    pub username: Option<String>,
    /// `email`, when the token's scopes allow it.
    pub email: Option<String>,
    /// `email_verified` (Cognito sends `"true"`/`"false"`).
    pub email_verified: Option<bool>,
    /// Every claim of the reply, as JSON values, in the reply's order of names.
    pub claims: serde_json::Map<String, serde_json::Value>,
}

/// A value the core read, as a `serde_json` value (numbers kept as their text says).
fn json_value(value: JsonValue<'_>) -> serde_json::Value {
    use serde_json::Value;
    match value {
        JsonValue::Null => Value::Null,
        JsonValue::Bool(b) => Value::Bool(b),
        JsonValue::Number(text) => text
            .parse::<serde_json::Number>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::Number),
        JsonValue::String(s) => Value::String(s.to_string()),
        JsonValue::Array(items) => Value::Array(items.iter().map(json_value).collect()),
        JsonValue::Object(object) => Value::Object(
            object
                .iter()
                .map(|(name, value)| (name.to_string(), json_value(value)))
                .collect(),
        ),
    }
}

impl crate::Client {
    /// The pool domain ([`crate::Config::domain`]), when one is configured.
    #[must_use]
    pub fn pool_domain(&self) -> Option<&PoolDomain> {
        self.inner.domain.as_ref()
    }

    /// How requests reach the pool domain, when one is configured (see
    /// [`Self::endpoint_security`]).
    #[must_use]
    pub fn domain_security(&self) -> Option<crate::EndpointSecurity> {
        self.inner.transport.domain_security()
    }

    /// Starts a hosted-UI sign-in that comes back to `redirect_uri` (one of the app client's
    /// callback URLs, e.g. `http://127.0.0.1:8400/callback`) with `scopes` (space-separated;
    /// `openid` for an ID token, `aws.cognito.signin.user.admin` for tokens the user-pool API
    /// accepts). Nothing is sent yet.
    ///
    /// [`Error::NoDomain`] without a pool domain; the core's [`cognito_core::Misuse`] for an
    /// invalid redirect URI, scope or option.
    pub fn hosted_sign_in(
        &self,
        redirect_uri: &str,
        scopes: &str,
        options: &HostedUiOptions,
    ) -> Result<HostedUiSignIn> {
        let domain = self.inner.pool_domain()?.clone();
        let flow = HostedSignIn::new(
            self.inner.oauth_client(),
            redirect_uri,
            Scopes::new(scopes),
            &mut OsRng,
        )?;
        let core_options = AuthorizeOptions {
            identity_provider: options.identity_provider.as_deref(),
            idp_identifier: options.idp_identifier.as_deref(),
            nonce: None,
            lang: options.lang.as_deref(),
        };
        self.hosted_ui_sign_in(domain, flow, core_options)
    }

    /// Goes on with a hosted-UI sign-in [`HostedUiSignIn::save`] wrote, in this process: it
    /// awaits the redirect again; [`HostedUiSignIn::finish`] takes it. The app client must be
    /// this client's (the client secret comes from this client's configuration).
    ///
    /// Its [`authorize_url`](HostedUiSignIn::authorize_url) is written without the
    /// [`HostedUiOptions`] the sign-in started with (the browser already has that URL).
    ///
    /// ```no_run
    /// # async fn callback(client: &cognito_std::Client, kept: &std::collections::HashMap<String, String>) -> cognito_std::Result<()> {
    /// // The callback handler of a web server, given the URL the browser came back to:
    /// let url = "/callback?code=…&state=…";
    /// let state = cognito_std::redirect_state(url).ok_or(cognito_std::Error::Config("no state".into()))?;
    /// let saved = &kept[state.as_str()]; // what the sign-in's start kept under sign_in.state()
    /// let session = client.resume_hosted_sign_in(saved)?.finish(url).await?;
    /// # let _ = session; Ok(()) }
    /// ```
    ///
    /// [`Error::NoDomain`] without a pool domain; the core's [`cognito_core::Misuse`] for text
    /// `save` did not write or another app client's sign-in.
    pub fn resume_hosted_sign_in(&self, saved: &str) -> Result<HostedUiSignIn> {
        let domain = self.inner.pool_domain()?.clone();
        let flow = HostedSignIn::restore(self.inner.oauth_client(), saved)?;
        self.hosted_ui_sign_in(domain, flow, AuthorizeOptions::default())
    }

    /// A [`HostedUiSignIn`] around `flow`, its authorize URL written with `options`.
    fn hosted_ui_sign_in(
        &self,
        domain: PoolDomain,
        flow: HostedSignIn,
        options: AuthorizeOptions<'_>,
    ) -> Result<HostedUiSignIn> {
        let authorize_url = write_url(|b| flow.authorize_url(&domain, options, b))?;
        Ok(HostedUiSignIn {
            inner: Arc::clone(&self.inner),
            domain,
            flow: Box::new(flow),
            authorize_url,
            previous: None,
        })
    }

    /// New tokens for `session` from the pool domain's `/oauth2/token` (`refresh_token`
    /// grant; the client secret as Basic credentials). Sent again after any transient failure,
    /// as the core allows. The refresh token is kept when none comes.
    ///
    /// [`Client::refresh`](crate::Client::refresh) takes this path by itself for hosted-UI
    /// sessions ([`crate::Options::refresh_hosted_ui_via_domain`]).
    pub async fn refresh_with_domain(&self, session: &mut Session) -> Result<()> {
        let span =
            tracing::info_span!("cognito_refresh", username = %session.username, via = "domain");
        async {
            self.inner.pool_domain()?;
            let refresh_token = session
                .refresh_token
                .as_deref()
                .ok_or(Error::NoRefreshToken)?;
            let client = self.inner.oauth_client();
            let request = write_oauth_request(|b| {
                TokenRequest {
                    client,
                    grant: Grant::RefreshToken { refresh_token },
                }
                .write(b)
            })?;
            let reply = self.inner.send_oauth(&request).await?;
            let received_at = local_now();
            let tokens = read_token_reply(&view(&reply))?;
            session.update_from_refresh(&tokens, received_at);
            tracing::info!("tokens refreshed through the pool domain");
            Ok(())
        }
        .instrument(span)
        .await
    }

    /// Revokes the session's refresh token at the pool domain (`POST /oauth2/revoke`), which
    /// also ends the access and ID tokens issued from it. Not sent again once it may have
    /// reached the domain ([`Error::OutcomeUnknown`]). The session itself is left as it is.
    pub async fn revoke_via_domain(&self, session: &Session) -> Result<()> {
        self.inner.pool_domain()?;
        let refresh_token = session
            .refresh_token
            .as_deref()
            .ok_or(Error::NoRefreshToken)?;
        let client = self.inner.oauth_client();
        let request = write_oauth_request(|b| {
            Revoke {
                client,
                refresh_token,
            }
            .write(b)
        })?;
        let reply = self.inner.send_oauth(&request).await?;
        Revoke::read_reply(&view(&reply))?;
        Ok(())
    }

    /// The user's claims from the pool domain's `GET /oauth2/userInfo`, with the session's
    /// access token (which needs the `openid` scope).
    pub async fn user_info(&self, session: &Session) -> Result<UserInfo> {
        self.inner.pool_domain()?;
        let access_token = session.access_token.as_str();
        let request = write_oauth_request(|b| UserInfoRequest { access_token }.write(b))?;
        let reply = self.inner.send_oauth(&request).await?;
        let claims = UserInfoRequest::read_reply(&view(&reply))?;
        let text = |r: core::result::Result<Option<cognito_core::wire::JsonStr<'_>>, _>| {
            r.map(|s| s.map(|s| s.to_string()))
                .map_err(|e: cognito_core::ProtocolError| Error::Core(e.into()))
        };
        Ok(UserInfo {
            sub: claims.sub().to_string(),
            username: text(claims.username())?,
            email: text(claims.email())?,
            email_verified: claims.email_verified().map_err(|e| Error::Core(e.into()))?,
            claims: claims
                .as_object()
                .iter()
                .map(|(name, value)| (name.to_string(), json_value(value)))
                .collect(),
        })
    }

    /// The hosted UI's `/logout` URL, which ends its session cookie and sends the browser to
    /// `logout_uri` (one of the app client's sign-out URLs). Tokens stay valid: revoke them
    /// too ([`Self::revoke_via_domain`], [`Self::global_sign_out`]).
    pub fn logout_url(&self, logout_uri: &str) -> Result<String> {
        let domain = self.inner.pool_domain()?;
        let client_id = self.inner.config.client_id.as_str();
        write_url(|b| {
            Logout {
                client_id,
                logout_uri,
            }
            .write_url(domain, b)
        })
    }

    /// An access token of the app client itself (client-credentials grant, machine to
    /// machine) for `scopes` (space-separated resource-server scopes, e.g.
    /// `my-api/read my-api/write`; empty: every scope the client may have). Needs the client
    /// secret.
    ///
    /// Tokens are cached in the client per scope set (order and repetition do not matter)
    /// until [`cognito_core::oauth::DEFAULT_RENEW_MARGIN_SECS`] before they expire, as the
    /// core's [`cognito_core::oauth::ClientToken`] decides. Concurrent callers for the same
    /// scope set wait for one request. Errors of the domain come back typed
    /// ([`Error::oauth`]: `invalid_scope`, `invalid_client`, …).
    pub async fn client_credentials_token(&self, scopes: &str) -> Result<M2mToken> {
        self.inner.pool_domain()?;
        let scopes = canonical_scopes(scopes);
        let slot = self.inner.client_tokens.slot(&scopes);
        let mut cached = slot.lock().await;
        let now = local_now();
        if let Some(token) = cached.as_ref().filter(|c| c.is_fresh(now)) {
            return Ok(token.output(&scopes, now));
        }
        let span = tracing::info_span!("cognito_client_credentials", scopes = %scopes);
        let fresh = async {
            let client = self.inner.oauth_client();
            let request = write_oauth_request(|b| {
                TokenRequest {
                    client,
                    grant: Grant::ClientCredentials {
                        scopes: Scopes::new(&scopes),
                    },
                }
                .write(b)
            })?;
            let reply = self.inner.send_oauth(&request).await?;
            let received_at = local_now();
            CachedToken::from_reply(&read_token_reply(&view(&reply))?, received_at)
        }
        .instrument(span)
        .await?;
        let token = fresh.output(&scopes, local_now());
        *cached = Some(fresh);
        Ok(token)
    }

    /// The cached client-credentials tokens that are still fresh, to store
    /// ([`crate::ClientTokenFile`]). A token being fetched right now is left out.
    #[must_use]
    pub fn client_tokens(&self) -> Vec<StoredClientToken> {
        self.inner.client_tokens.export(local_now())
    }

    /// Takes stored client-credentials tokens into the cache, those still fresh (by the core's
    /// rule) and not older than one cached already.
    pub fn restore_client_tokens(&self, tokens: &[StoredClientToken]) {
        self.inner.client_tokens.restore(tokens, local_now());
    }
}

impl crate::blocking::Client {
    /// See [`crate::Client::pool_domain`].
    #[must_use]
    pub fn pool_domain(&self) -> Option<&PoolDomain> {
        self.as_async().pool_domain()
    }

    /// See [`crate::Client::hosted_sign_in`].
    pub fn hosted_sign_in(
        &self,
        redirect_uri: &str,
        scopes: &str,
        options: &HostedUiOptions,
    ) -> Result<crate::blocking::HostedUiSignIn> {
        Ok(crate::blocking::HostedUiSignIn::new(
            self.runtime(),
            self.as_async()
                .hosted_sign_in(redirect_uri, scopes, options)?,
        ))
    }

    /// See [`crate::Client::resume_hosted_sign_in`].
    pub fn resume_hosted_sign_in(&self, saved: &str) -> Result<crate::blocking::HostedUiSignIn> {
        Ok(crate::blocking::HostedUiSignIn::new(
            self.runtime(),
            self.as_async().resume_hosted_sign_in(saved)?,
        ))
    }

    /// See [`crate::Client::refresh_with_domain`].
    pub fn refresh_with_domain(&self, session: &mut Session) -> Result<()> {
        self.block_on(self.as_async().refresh_with_domain(session))
    }

    /// See [`crate::Client::revoke_via_domain`].
    pub fn revoke_via_domain(&self, session: &Session) -> Result<()> {
        self.block_on(self.as_async().revoke_via_domain(session))
    }

    /// See [`crate::Client::user_info`].
    pub fn user_info(&self, session: &Session) -> Result<UserInfo> {
        self.block_on(self.as_async().user_info(session))
    }

    /// See [`crate::Client::logout_url`].
    pub fn logout_url(&self, logout_uri: &str) -> Result<String> {
        self.as_async().logout_url(logout_uri)
    }

    /// See [`crate::Client::client_credentials_token`].
    pub fn client_credentials_token(&self, scopes: &str) -> Result<M2mToken> {
        self.block_on(self.as_async().client_credentials_token(scopes))
    }

    /// See [`crate::Client::client_tokens`].
    #[must_use]
    pub fn client_tokens(&self) -> Vec<StoredClientToken> {
        self.as_async().client_tokens()
    }

    /// See [`crate::Client::restore_client_tokens`].
    pub fn restore_client_tokens(&self, tokens: &[StoredClientToken]) {
        self.as_async().restore_client_tokens(tokens);
    }
}
