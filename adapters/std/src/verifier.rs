//! Verifying a pool's tokens on a server: the pool's key set fetched once and kept, fetched
//! again (rate-limited) when a token names a key it does not hold, and not fetched for a while
//! after a fetch failed; the checks are the core's ([`cognito_core::token::verify`]).

use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use cognito_core::token::{
    Expectations, ExpectedUse, IssuerFormat, Jwks, VerifyError, jwks_path_of_pool, which_issuer,
};
use tokio::sync::Mutex;

use crate::config::Options;
use crate::endpoint;
use crate::error::{Error, JwksProblem, Result};
use crate::transport::{http_client, local_now, read_reply};
use crate::verified_claims::VerifiedClaims;

/// The least time between two fetches of the key set caused by unknown `kid`s, by default.
pub const DEFAULT_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// How long no fetch is tried after a fetch of the key set failed, by default.
pub const DEFAULT_RETRY_AFTER_FAILURE: Duration = Duration::from_secs(10);

/// Verifies the access or ID tokens of one user pool, as an API behind Cognito does:
/// RS256 signature against the pool's JWKS, `iss`, `token_use`, app client, `exp` / `iat`
/// with a leeway, and optionally a scope or a group.
///
/// Tokens of the pool in either [`IssuerFormat`] are accepted (`https://cognito-idp.…` and,
/// for pools switched to the updated issuer, `https://issuer-cognito-idp.…`), each verified
/// against the key set its issuer serves at `<issuer>/.well-known/jwks.json` (with
/// [`with_endpoint`](TokenVerifierBuilder::with_endpoint), both from that endpoint). Key sets
/// are fetched over the same transport rules as a [`crate::Client`] (timeouts, the reply
/// size limit, `http://` only to loopback), and kept. A token whose `kid` the kept set lacks
/// makes the verifier fetch it again (the pool rotated its keys), such re-fetches at most once
/// per [`with_refetch_interval`](TokenVerifierBuilder::with_refetch_interval): tokens naming
/// keys that do not exist cannot make it hammer the pool. Callers verifying at the same time
/// wait for one fetch. A failed fetch keeps nothing, and for
/// [`with_retry_after_failure`](TokenVerifierBuilder::with_retry_after_failure) after it no
/// fetch is tried: verifications needing one fail at once with [`JwksProblem::RecentFailure`],
/// so a pool (or network) that is down is not sent one request per token. Cheap to clone
/// (clones share the key set).
///
/// ```no_run
/// # async fn run(token: &str) -> cognito_std::Result<()> {
/// use cognito_std::TokenVerifier;
/// use cognito_std::core::token::ExpectedUse;
/// let verifier = TokenVerifier::builder("eu-west-1_AbCdEf123")
///     .with_client_id("3n4b5urk1ft4fl3mg5e62d9ado")
///     .with_token_use(ExpectedUse::Access)
///     .with_scope("orders/read")
///     .build()?;
/// let claims = verifier.verify(token).await?;
/// println!("{} may read orders", claims.sub().unwrap_or_default());
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct TokenVerifier {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// The first issuer accepted, with its key set; `more` has the others (each with its own).
    first: KeySource,
    more: Vec<KeySource>,
    client_ids: Option<Vec<String>>,
    token_use: ExpectedUse,
    leeway: Duration,
    scope: Option<String>,
    group: Option<String>,
    refetch_interval: Duration,
    retry_after_failure: Duration,
    max_reply_bytes: usize,
}

/// An issuer accepted and where its key set comes from.
#[derive(Debug)]
struct KeySource {
    issuer: String,
    jwks_url: reqwest::Url,
    http: reqwest::Client,
    keys: Mutex<KeyCache>,
}

/// The kept key set: its bytes, which fetch it came from, when the last fetch for an unknown
/// `kid` was, and when the last fetch failed (if the newest failed).
#[derive(Debug, Default)]
struct KeyCache {
    jwks: Option<Arc<[u8]>>,
    generation: u64,
    refetched_at: Option<Instant>,
    failed_at: Option<Instant>,
    fetches: u64,
}

/// Builds a [`TokenVerifier`] ([`TokenVerifier::builder`]).
#[derive(Clone, Debug)]
#[must_use]
pub struct TokenVerifierBuilder {
    pool_id: String,
    endpoint: Option<String>,
    issuer: Option<String>,
    client_ids: Option<Vec<String>>,
    token_use: ExpectedUse,
    leeway: Duration,
    scope: Option<String>,
    group: Option<String>,
    refetch_interval: Duration,
    retry_after_failure: Duration,
    options: Options,
}

impl TokenVerifier {
    /// A builder for the tokens of pool `pool_id`: either token use, any app client of the pool
    /// (set [`with_client_id`](TokenVerifierBuilder::with_client_id)!), no leeway.
    pub fn builder(pool_id: impl Into<String>) -> TokenVerifierBuilder {
        TokenVerifierBuilder {
            pool_id: pool_id.into(),
            endpoint: None,
            issuer: None,
            client_ids: None,
            token_use: ExpectedUse::Either,
            leeway: Duration::ZERO,
            scope: None,
            group: None,
            refetch_interval: DEFAULT_REFETCH_INTERVAL,
            retry_after_failure: DEFAULT_RETRY_AFTER_FAILURE,
            options: Options::default(),
        }
    }

    /// Verifies `token` and returns its claims. [`Error::TokenRefused`] says why a token is
    /// refused; [`Error::Jwks`] that the key set could not be fetched (nothing was decided).
    pub async fn verify(&self, token: &str) -> Result<VerifiedClaims> {
        let source = self.source_for(token);
        let (jwks, generation) = self.key_set(source, None).await?;
        match self.check(source, token, &jwks) {
            Err(Error::TokenRefused(VerifyError::UnknownKey)) => {
                let (jwks, _) = self.key_set(source, Some(generation)).await?;
                self.check(source, token, &jwks)
            }
            outcome => outcome,
        }
    }

    /// The issuers tokens may name, the default format first.
    pub fn issuers(&self) -> impl Iterator<Item = &str> {
        self.sources().map(|s| s.issuer.as_str())
    }

    /// The URLs the key sets are fetched from, in the order of [`issuers`](Self::issuers).
    pub fn jwks_urls(&self) -> impl Iterator<Item = &str> {
        self.sources().map(|s| s.jwks_url.as_str())
    }

    /// How many times key sets were fetched (successfully or not), all issuers together.
    pub async fn jwks_fetches(&self) -> u64 {
        let mut fetches = 0;
        for source in self.sources() {
            fetches += source.keys.lock().await.fetches;
        }
        fetches
    }

    /// The issuer `token` names (read unverified, only to pick the key set), or the first
    /// when it names none: the check then refuses it with the reason.
    fn source_for(&self, token: &str) -> &KeySource {
        let issuers: Vec<&str> = self.issuers().collect();
        // The payload decodes to fewer bytes than its base64url text.
        let mut buf = vec![0u8; token.len()];
        which_issuer(token, &issuers, &mut buf)
            .and_then(|index| self.sources().nth(index))
            .unwrap_or(&self.inner.first)
    }

    fn sources(&self) -> impl Iterator<Item = &KeySource> {
        core::iter::once(&self.inner.first).chain(&self.inner.more)
    }

    /// Verifies `token` against the key set `jwks` of `source` with this verifier's
    /// expectations, now.
    fn check(&self, source: &KeySource, token: &str, jwks: &[u8]) -> Result<VerifiedClaims> {
        let inner = &self.inner;
        let jwks = Jwks::parse(jwks).map_err(Error::TokenRefused)?;
        let client_ids: Vec<&str> = inner
            .client_ids
            .iter()
            .flatten()
            .map(String::as_str)
            .collect();
        let mut expect = Expectations::new(&source.issuer)
            .token_use(inner.token_use)
            .leeway_secs(inner.leeway.as_secs());
        if inner.client_ids.is_some() {
            expect = expect.client_ids(&client_ids);
        }
        if let Some(scope) = &inner.scope {
            expect = expect.scope(scope);
        }
        if let Some(group) = &inner.group {
            expect = expect.group(group);
        }
        // The payload decodes to fewer bytes than its base64url text.
        let mut buf = vec![0u8; token.len()];
        let claims = cognito_core::token::verify(token, &jwks, &expect, local_now(), &mut buf)
            .map_err(Error::TokenRefused)?;
        VerifiedClaims::from_json(claims.as_object().raw()).ok_or(Error::TokenRefused(
            VerifyError::Malformed(cognito_core::token::TokenError::InvalidJson),
        ))
    }

    /// The key set to verify with, and its generation. `stale`: the generation a token's `kid`
    /// was not found in; a newer one is returned as it is, the same one is fetched again unless
    /// the last such fetch is more recent than the refetch interval. No fetch within the
    /// back-off after a failed one.
    async fn key_set(&self, source: &KeySource, stale: Option<u64>) -> Result<(Arc<[u8]>, u64)> {
        let mut keys = source.keys.lock().await;
        if let Some(jwks) = &keys.jwks {
            let recent = keys
                .refetched_at
                .is_some_and(|at| at.elapsed() < self.inner.refetch_interval);
            let fresh_enough = match stale {
                None => true,
                Some(generation) => keys.generation != generation || recent,
            };
            if fresh_enough {
                return Ok((Arc::clone(jwks), keys.generation));
            }
        }
        if let Some(failed_at) = keys.failed_at {
            let since = failed_at.elapsed();
            if since < self.inner.retry_after_failure {
                return Err(Error::Jwks {
                    url: source.jwks_url.to_string(),
                    problem: JwksProblem::RecentFailure {
                        retry_in: self.inner.retry_after_failure - since,
                    },
                });
            }
        }
        keys.fetches += 1;
        if stale.is_some() {
            keys.refetched_at = Some(Instant::now());
        }
        let fetched = self.fetch(source).await;
        keys.failed_at = fetched.is_err().then(Instant::now);
        let jwks: Arc<[u8]> = fetched?.into();
        keys.jwks = Some(Arc::clone(&jwks));
        keys.generation += 1;
        Ok((jwks, keys.generation))
    }

    /// GETs the key set of `source`: a 200 whose body is a key set, within the reply size
    /// limit.
    async fn fetch(&self, source: &KeySource) -> Result<Vec<u8>> {
        let problem = |problem| Error::Jwks {
            url: source.jwks_url.to_string(),
            problem,
        };
        tracing::debug!(url = %source.jwks_url, "fetching the key set");
        let response = source
            .http
            .get(source.jwks_url.clone())
            .send()
            .await
            .map_err(|e| problem(JwksProblem::Transport(e)))?;
        let reply = read_reply(response, self.inner.max_reply_bytes)
            .await
            .map_err(|e| match e {
                Error::Transport(e) => problem(JwksProblem::Transport(e)),
                Error::ReplyTooLarge { limit, .. } => problem(JwksProblem::TooLarge(limit)),
                other => other,
            })?;
        if reply.status != 200 {
            return Err(problem(JwksProblem::Status(reply.status)));
        }
        Jwks::parse(&reply.body).map_err(|e| problem(JwksProblem::Invalid(e)))?;
        Ok(reply.body.to_vec())
    }
}

impl TokenVerifierBuilder {
    /// Fetches the key sets from this endpoint instead of the issuers' hosts
    /// (`https://cognito-idp.<region>.amazonaws.com`, `https://issuer-cognito-idp.…`):
    /// `<endpoint>/<poolId>/.well-known/jwks.json`. The issuers expected do not change (see
    /// [`with_issuer`](Self::with_issuer)).
    pub fn with_endpoint(mut self, url: impl Into<String>) -> Self {
        self.endpoint = Some(url.into());
        self
    }

    /// Expects this one issuer instead of the pool's two ([`IssuerFormat`]), its key set from
    /// the endpoint (for emulators that name themselves, such as moto).
    pub fn with_issuer(mut self, issuer: impl Into<String>) -> Self {
        self.issuer = Some(issuer.into());
        self
    }

    /// Accepts tokens of this app client (repeat for several): `client_id` of access tokens,
    /// `aud` of ID tokens.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Self {
        self.client_ids
            .get_or_insert_with(Vec::new)
            .push(client_id.into());
        self
    }

    /// Accepts only access tokens, only ID tokens, or either.
    pub fn with_token_use(mut self, token_use: ExpectedUse) -> Self {
        self.token_use = token_use;
        self
    }

    /// Tolerates this much clock difference for `exp`, `iat` and `nbf` (whole seconds).
    pub fn with_leeway(mut self, leeway: Duration) -> Self {
        self.leeway = leeway;
        self
    }

    /// Requires this scope in access tokens.
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// Requires this group in `cognito:groups`.
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Fetches the key set again for an unknown `kid` at most once per `interval` (default
    /// [`DEFAULT_REFETCH_INTERVAL`]).
    pub fn with_refetch_interval(mut self, interval: Duration) -> Self {
        self.refetch_interval = interval;
        self
    }

    /// Tries no fetch of the key set for `backoff` after one failed (default
    /// [`DEFAULT_RETRY_AFTER_FAILURE`]; zero: every verification needing the key set fetches).
    pub fn with_retry_after_failure(mut self, backoff: Duration) -> Self {
        self.retry_after_failure = backoff;
        self
    }

    /// Transport options: timeouts, the reply size limit, cleartext to remote hosts (retries
    /// do not apply: a failed fetch fails the verification).
    pub fn with_options(mut self, options: Options) -> Self {
        self.options = options;
        self
    }

    /// The verifier. [`Error::Config`]-like misuse for an invalid pool id
    /// ([`Error::Core`]), [`Error::Endpoint`] for an endpoint refused.
    pub fn build(self) -> Result<TokenVerifier> {
        let path = jwks_path_of_pool(&self.pool_id)?;
        let endpoint = self
            .endpoint
            .as_deref()
            .map(|url| url.trim_end_matches('/'));
        // An issuer and its key set: from the endpoint when one is set, else from the host of
        // the issuer's format.
        let source = |issuer: String, format: IssuerFormat| -> Result<KeySource> {
            let base = match endpoint {
                Some(url) => url.to_owned(),
                None => format!("https://{}", format.host(&self.pool_id)?.host()),
            };
            let jwks_url = endpoint::parse(&format!("{base}{}", path.as_str()))?;
            let (http, _) = http_client(&jwks_url, &self.options)?;
            Ok(KeySource {
                issuer,
                jwks_url,
                http,
                keys: Mutex::new(KeyCache::default()),
            })
        };
        let of_pool = |format: IssuerFormat| -> Result<KeySource> {
            source(format.issuer(&self.pool_id)?.as_str().to_owned(), format)
        };
        let (first, more) = match &self.issuer {
            Some(issuer) => (source(issuer.clone(), IssuerFormat::Original)?, Vec::new()),
            // The default format first, then every other one.
            None => (
                of_pool(IssuerFormat::Original)?,
                IssuerFormat::ALL
                    .iter()
                    .filter(|&&format| format != IssuerFormat::Original)
                    .map(|&format| of_pool(format))
                    .collect::<Result<Vec<_>>>()?,
            ),
        };
        Ok(TokenVerifier {
            inner: Arc::new(Inner {
                first,
                more,
                client_ids: self.client_ids,
                token_use: self.token_use,
                leeway: self.leeway,
                scope: self.scope,
                group: self.group,
                refetch_interval: self.refetch_interval,
                retry_after_failure: self.retry_after_failure,
                max_reply_bytes: self.options.max_reply_bytes,
            }),
        })
    }
}

/// A blocking [`TokenVerifier`] (`cognito_std::blocking::TokenVerifier`): the async one on a
/// private current-thread runtime. Do not call it from inside an async runtime.
#[derive(Clone, Debug)]
pub struct BlockingTokenVerifier {
    runtime: Arc<tokio::runtime::Runtime>,
    inner: TokenVerifier,
}

impl BlockingTokenVerifier {
    /// A blocking verifier built by `builder`.
    pub fn new(builder: TokenVerifierBuilder) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Io)?;
        // reqwest's client registers with the runtime it is built in.
        let inner = {
            let _guard = runtime.enter();
            builder.build()?
        };
        Ok(Self {
            runtime: Arc::new(runtime),
            inner,
        })
    }

    /// Verifies `token`; see [`TokenVerifier::verify`].
    pub fn verify(&self, token: &str) -> Result<VerifiedClaims> {
        self.runtime.block_on(self.inner.verify(token))
    }

    /// The async verifier this one wraps.
    #[must_use]
    pub fn as_async(&self) -> &TokenVerifier {
        &self.inner
    }
}
