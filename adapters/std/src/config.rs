//! What a client talks to, and how patiently.

use core::time::Duration;

use cognito_core::auth::{ClientConfig, RefreshOperation};
use cognito_core::oauth::PoolDomain;
use cognito_core::wire::Endpoint;

use zeroize::Zeroize;

use crate::endpoint;
use crate::error::Result;
use crate::redact::hide_opt;

/// The app client and where its user pool is served. The client secret is zeroized on drop and
/// shown by `Debug` as `<redacted>`.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Config {
    /// The user-pool id, e.g. `eu-west-1_AbCdEf123` (its prefix is the region).
    pub pool_id: String,
    /// The app-client id.
    pub client_id: String,
    /// The app-client secret, when the client has one (requests then carry `SECRET_HASH`).
    pub client_secret: Option<String>,
    /// Another endpoint URL (an emulator such as `http://127.0.0.1:9229/`, a proxy, FIPS);
    /// by default `https://cognito-idp.{region}.amazonaws.com/`. `https://`, or `http://` to a
    /// loopback host; `http://` to another host only with
    /// [`Options::danger_allow_cleartext_http`].
    pub endpoint: Option<String>,
    /// The pool domain for the hosted UI and the `/oauth2/*` endpoints
    /// (`https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or an emulator's
    /// `http://127.0.0.1:<port>`): a scheme and a host, no path. Needed by
    /// [`crate::Client::hosted_sign_in`], [`crate::Client::client_credentials_token`] and the
    /// other pool-domain methods; the same rules as [`Self::endpoint`] apply to `http://`.
    #[serde(default)]
    pub domain: Option<String>,
    /// The identity pool that trades the user's ID token for AWS credentials
    /// ([`crate::Client::fetch_auth_session`]), e.g. `eu-west-1:0c1b…` (its prefix is the
    /// region).
    #[serde(default)]
    pub identity_pool_id: Option<String>,
    /// Another identity-pool endpoint URL (an emulator, moto); by default
    /// `https://cognito-identity.{region}.amazonaws.com/` of the identity pool's region. The
    /// same rules as [`Self::endpoint`] apply to `http://`.
    #[serde(default)]
    pub identity_endpoint: Option<String>,
}

impl Config {
    /// A public app client of `pool_id` at the AWS endpoint of the pool's region.
    pub fn new(pool_id: impl Into<String>, client_id: impl Into<String>) -> Self {
        Self {
            pool_id: pool_id.into(),
            client_id: client_id.into(),
            client_secret: None,
            endpoint: None,
            domain: None,
            identity_pool_id: None,
            identity_endpoint: None,
        }
    }

    /// With an identity pool (see [`Self::identity_pool_id`]); checked when a client is made.
    #[must_use]
    pub fn with_identity_pool(mut self, identity_pool_id: impl Into<String>) -> Self {
        self.identity_pool_id = Some(identity_pool_id.into());
        self
    }

    /// With another identity-pool endpoint (see [`Self::identity_endpoint`]).
    #[must_use]
    pub fn with_identity_endpoint(mut self, url: impl Into<String>) -> Self {
        self.identity_endpoint = Some(url.into());
        self
    }

    /// With an app-client secret (a secret given before is zeroized).
    #[must_use]
    pub fn with_client_secret(mut self, secret: impl Into<String>) -> Self {
        self.client_secret.zeroize();
        self.client_secret = Some(secret.into());
        self
    }

    /// With another endpoint URL: `https://`, or `http://` to a loopback host (127.0.0.0/8,
    /// `::1`, `localhost`: an emulator); `http://` to another host only with
    /// [`Options::danger_allow_cleartext_http`].
    #[must_use]
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// With the pool domain (see [`Self::domain`]); checked when a client is made
    /// ([`Self::pool_domain`]).
    #[must_use]
    pub fn with_domain(mut self, url: impl Into<String>) -> Self {
        self.domain = Some(url.into());
        self
    }

    /// The pool domain parsed by the core ([`PoolDomain::parse`]), `None` when none is
    /// configured; [`crate::Error::Core`] with [`cognito_core::Misuse`] when it is not a scheme
    /// and a host.
    pub fn pool_domain(&self) -> Result<Option<PoolDomain>> {
        Ok(self.domain.as_deref().map(PoolDomain::parse).transpose()?)
    }

    /// The core's copy of this configuration.
    pub fn core(&self) -> Result<ClientConfig> {
        let config = ClientConfig::new(&self.pool_id, &self.client_id)?;
        Ok(match &self.client_secret {
            Some(secret) => config.with_client_secret(secret)?,
            None => config,
        })
    }

    /// The URL requests are POSTed to: [`Self::endpoint`], or the AWS endpoint of the pool's
    /// region. Refused ([`crate::Error::Endpoint`]) when it is not a URL, its scheme is not `https` or
    /// `http`, or it carries a user name or password. A client also refuses `http://` to a host
    /// that is not loopback, unless [`Options::danger_allow_cleartext_http`] is set.
    pub fn endpoint_url(&self) -> Result<reqwest::Url> {
        match &self.endpoint {
            Some(url) => endpoint::parse(url),
            None => endpoint::parse(&format!(
                "https://{}/",
                Endpoint::for_pool_id(&self.pool_id)?.host()
            )),
        }
    }
}

impl core::fmt::Debug for Config {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Config")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &hide_opt(self.client_secret.as_deref()))
            .field("endpoint", &self.endpoint)
            .field("domain", &self.domain)
            .field("identity_pool_id", &self.identity_pool_id)
            .field("identity_endpoint", &self.identity_endpoint)
            .finish()
    }
}

/// Wipes the client secret (and drops it).
impl Zeroize for Config {
    fn zeroize(&mut self) {
        self.client_secret.zeroize();
    }
}

/// The client secret is zeroized on drop.
impl Drop for Config {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Config {}

/// How often and how patiently a request is sent again, where the core allows it
/// ([`cognito_core::wire::Resend`]: reads and SRP/refresh `InitiateAuth` after any transient
/// failure; everything else only when it never reached the pool or the pool throttled it).
///
/// Exponential backoff with full jitter: before retry `n` (from 1) the client sleeps a random
/// time in `[0, min(max_delay, base_delay · 2^(n-1))]`. No retry starts once `max_elapsed` has
/// passed since the first attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The first backoff bound.
    pub base_delay: Duration,
    /// The largest backoff bound.
    pub max_delay: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_elapsed: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    #[must_use]
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }
}

/// Transport settings of a client.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Timeout of one request, from connecting to the end of the reply.
    pub request_timeout: Duration,
    /// Timeout of establishing a connection.
    pub connect_timeout: Duration,
    /// Retries.
    pub retry: RetryPolicy,
    /// Refresh tokens this long before they expire ([`crate::Client::get_valid_tokens`]).
    pub refresh_margin: Duration,
    /// The name given to devices this client confirms (`DeviceName` in `ConfirmDevice`).
    pub device_name: Option<String>,
    /// How [`crate::Client::refresh`] gets new tokens: [`RefreshOperation::InitiateAuth`]
    /// (`REFRESH_TOKEN_AUTH`, the default; never rotates the refresh token) or
    /// [`RefreshOperation::GetTokensFromRefreshToken`] (needed when the app client rotates
    /// refresh tokens: each refresh then returns a new refresh token, which replaces the spent
    /// one in the session — persist the session after refreshing).
    pub refresh_operation: RefreshOperation,
    /// Whether [`crate::Client::refresh`] (and so `get_valid_tokens` and `load_valid_session`)
    /// refreshes a session that came from the hosted UI ([`crate::SessionOrigin::HostedUi`])
    /// through the pool domain's `/oauth2/token` (the default, `true`; the client then needs
    /// [`Config::domain`]) rather than through the JSON API. Other sessions always take the
    /// JSON API ([`Self::refresh_operation`]).
    pub refresh_hosted_ui_via_domain: bool,
    /// The largest reply body read, in bytes (default 1 MiB; token-bearing replies are a few
    /// KiB). A reply that announces more (`Content-Length`) is refused before its body is read,
    /// one without a length as soon as its bytes pass the limit: [`crate::Error::ReplyTooLarge`].
    pub max_reply_bytes: usize,
    /// **Dangerous.** Allows an `http://` endpoint on a host that is not loopback: passwords
    /// (`USER_PASSWORD_AUTH`), SRP proofs, codes and every token then cross the network in
    /// cleartext, readable and changeable by anyone on the path. Off by default: `http://` is
    /// accepted only for loopback hosts (127.0.0.0/8, `::1`, `localhost`), for emulators on the
    /// same machine. Only for a test network you control; check
    /// [`crate::Client::endpoint_security`] and warn your user when you set it.
    pub danger_allow_cleartext_http: bool,
    /// Renew cached AWS credentials this long before they expire
    /// ([`crate::Client::fetch_auth_session`]; default 15 minutes: the AWS SDKs call a
    /// `credential_process` again when less than that is left, and refuse credentials that
    /// expire within 10 minutes).
    pub credentials_refresh_margin: Duration,
}

/// The default of [`Options::max_reply_bytes`]: 1 MiB.
pub const DEFAULT_MAX_REPLY_BYTES: usize = 1 << 20;

impl Default for Options {
    fn default() -> Self {
        Self {
            request_timeout: Duration::from_secs(15),
            connect_timeout: Duration::from_secs(5),
            retry: RetryPolicy::default(),
            refresh_margin: Duration::from_secs(120),
            device_name: Some("cognito-std".to_owned()),
            refresh_operation: RefreshOperation::InitiateAuth,
            refresh_hosted_ui_via_domain: true,
            max_reply_bytes: DEFAULT_MAX_REPLY_BYTES,
            danger_allow_cleartext_http: false,
            credentials_refresh_margin: Duration::from_secs(15 * 60),
        }
    }
}
