//! One Cognito request over reqwest: headers, timeouts, sending again where the core allows it
//! (with backoff), and the clock corrected by the replies' `Date` header.
//!
//! Two kinds of request take the same path ([`Outgoing`]): the JSON API's POSTs to the endpoint
//! ([`OwnedRequest`]), and the pool domain's `/oauth2/*` requests ([`OwnedOAuthRequest`]), each
//! with the method, headers and body the core wrote.
//!
//! Nothing surprising goes on the wire: requests go to the endpoint or the pool domain alone
//! (`https://`, or `http://` to loopback unless the caller opted in: [`crate::endpoint`]), without
//! a proxy from the environment when in cleartext; redirects are never followed (a 3xx is a
//! reply, which the core refuses); a reply body is read up to [`Options::max_reply_bytes`],
//! counted as it arrives.

use core::sync::atomic::{AtomicI64, Ordering};
use core::time::Duration;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use cognito_core::http_date::parse_http_date;
use cognito_core::oauth::{
    OAuthEndpoint, OAuthRequest, PoolDomain, Revoke, UserInfo, read_token_reply,
};
use cognito_core::time::UnixTime;
use cognito_core::wire::{
    Attempt, CONTENT_TYPE, HttpResponse, Operation, Resend, Verdict, read_response,
};
use rand::Rng;
use tracing::Instrument;
use zeroize::Zeroizing;

use crate::config::{Options, RetryPolicy};
use crate::endpoint::{self, EndpointSecurity};
use crate::error::{Error, Result};

/// A reply as received: status, `x-amzn-ErrorType` and body (zeroized when dropped: it may
/// carry tokens).
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) error_type: Option<String>,
    pub(crate) body: Zeroizing<Vec<u8>>,
}

impl Reply {
    /// The core's view of the reply.
    pub(crate) fn as_http(&self) -> HttpResponse<'_> {
        HttpResponse::new(self.status, &self.body).with_error_type(self.error_type.as_deref())
    }
}

/// A request written by the core, owned (its body zeroized when dropped: it may carry a
/// password, a code or a token).
#[derive(Debug)]
pub(crate) struct OwnedRequest {
    pub(crate) operation: Operation,
    pub(crate) body: Zeroizing<Vec<u8>>,
    pub(crate) resend: Resend,
}

/// A request to the pool domain written by the core, owned: the endpoint (method and path),
/// the `Authorization` value and the form body, both zeroized when dropped (client secret,
/// code, verifier, tokens).
pub(crate) struct OwnedOAuthRequest {
    pub(crate) endpoint: OAuthEndpoint,
    pub(crate) authorization: Option<Zeroizing<String>>,
    pub(crate) body: Zeroizing<Vec<u8>>,
    pub(crate) resend: Resend,
}

impl OwnedOAuthRequest {
    /// An owned copy of `request`.
    pub(crate) fn copy_of(request: &OAuthRequest<'_>) -> Self {
        Self {
            endpoint: request.endpoint,
            authorization: request
                .authorization
                .map(|value| Zeroizing::new(value.to_owned())),
            body: Zeroizing::new(request.body.to_vec()),
            resend: request.resend,
        }
    }

    /// The `Content-Type` the core gives the request (none for a GET).
    fn content_type(&self) -> Option<&'static str> {
        OAuthRequest {
            endpoint: self.endpoint,
            authorization: None,
            body: &[],
            resend: self.resend,
        }
        .content_type()
    }
}

impl core::fmt::Debug for OwnedOAuthRequest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("OwnedOAuthRequest")
            .field("endpoint", &self.endpoint)
            .field(
                "authorization_len",
                &self.authorization.as_ref().map(|a| a.len()),
            )
            .field("body_len", &self.body.len())
            .field("resend", &self.resend)
            .finish()
    }
}

/// What the retry loop ([`Transport::send_retrying`]) sends: a request built afresh for each
/// attempt, the core's rule for sending it again, and the core's reading of a reply whose
/// outcome stays unknown.
pub(crate) trait Outgoing: Sync {
    /// The operation's name, for logs and [`Error::OutcomeUnknown`].
    fn name(&self) -> &'static str;
    /// When the request may be sent again.
    fn resend(&self) -> Resend;
    /// The request of one attempt.
    fn build(&self, transport: &Transport) -> Result<reqwest::RequestBuilder>;
    /// The core's view of a reply (the JSON APIs': the reply as it came).
    fn view<'r>(&self, reply: &'r Reply) -> HttpResponse<'r> {
        reply.as_http()
    }
    /// What the core makes of a reply that leaves the outcome unknown (an error, normally); the
    /// JSON APIs' reader unless overridden.
    fn read(&self, reply: &HttpResponse<'_>) -> core::result::Result<(), cognito_core::Error> {
        read_response(reply).map(|_| ())
    }
}

/// A JSON 1.1 `POST` of `body` with `X-Amz-Target: target` to the transport's endpoint (the
/// user-pool and identity-pool APIs).
pub(crate) fn post_json(
    transport: &Transport,
    target: &str,
    body: &[u8],
) -> reqwest::RequestBuilder {
    transport
        .http
        .post(transport.url.clone())
        .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
        .header("X-Amz-Target", target)
        // reqwest frees the body it is given; this one wipes itself first.
        .body(bytes::Bytes::from_owner(Zeroizing::new(body.to_vec())))
}

impl Outgoing for OwnedRequest {
    fn name(&self) -> &'static str {
        self.operation.name()
    }

    fn resend(&self) -> Resend {
        self.resend
    }

    fn build(&self, transport: &Transport) -> Result<reqwest::RequestBuilder> {
        Ok(post_json(transport, self.operation.target(), &self.body))
    }
}

impl Outgoing for OwnedOAuthRequest {
    fn name(&self) -> &'static str {
        self.endpoint.path()
    }

    fn resend(&self) -> Resend {
        self.resend
    }

    fn build(&self, transport: &Transport) -> Result<reqwest::RequestBuilder> {
        let domain = transport.domain.as_ref().ok_or(Error::NoDomain)?;
        let url = domain
            .url
            .join(self.endpoint.path())
            .map_err(|e| Error::Endpoint {
                url: domain.url.to_string(),
                problem: crate::EndpointProblem::NotUrl(e.to_string()),
            })?;
        let method = match self.endpoint.method() {
            "GET" => reqwest::Method::GET,
            _ => reqwest::Method::POST,
        };
        let mut builder = domain
            .http
            .request(method, url)
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(authorization) = &self.authorization {
            // Its own buffer, wiped when reqwest drops the header; marked sensitive.
            let bytes = bytes::Bytes::from_owner(Zeroizing::new(authorization.as_bytes().to_vec()));
            let mut value = reqwest::header::HeaderValue::from_maybe_shared(bytes)
                .map_err(|_| cognito_core::Misuse::Invalid("authorization"))?;
            value.set_sensitive(true);
            builder = builder.header(reqwest::header::AUTHORIZATION, value);
        }
        if let Some(content_type) = self.content_type() {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, content_type)
                .body(bytes::Bytes::from_owner(Zeroizing::new(self.body.to_vec())));
        }
        Ok(builder)
    }

    fn view<'r>(&self, reply: &'r Reply) -> HttpResponse<'r> {
        HttpResponse::new(reply.status, &reply.body)
    }

    fn read(&self, reply: &HttpResponse<'_>) -> core::result::Result<(), cognito_core::Error> {
        match self.endpoint {
            OAuthEndpoint::Token => read_token_reply(reply).map(|_| ()),
            OAuthEndpoint::Revoke => Revoke::read_reply(reply),
            OAuthEndpoint::UserInfo => UserInfo::read_reply(reply).map(|_| ()),
        }
    }
}

/// The pool domain's side of a transport: its own HTTP client (its security may differ from
/// the endpoint's) and its origin.
#[derive(Debug)]
struct DomainLink {
    http: reqwest::Client,
    /// `scheme://host/`.
    url: reqwest::Url,
    security: EndpointSecurity,
}

/// The HTTP side of a client.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    url: reqwest::Url,
    security: EndpointSecurity,
    /// The pool domain, when configured.
    domain: Option<DomainLink>,
    retry: RetryPolicy,
    /// [`Options::max_reply_bytes`].
    max_reply_bytes: usize,
    /// Server clock minus local clock, in seconds, from the newest `Date` header.
    server_offset: AtomicI64,
}

/// Seconds since the epoch on the local clock.
pub(crate) fn local_now() -> UnixTime {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    UnixTime::from_secs(secs)
}

impl Transport {
    /// A transport to `url`, refused ([`Error::Endpoint`]) when that is cleartext `http://` to
    /// a host that is not loopback and [`Options::danger_allow_cleartext_http`] is not set.
    pub(crate) fn new(url: reqwest::Url, options: &Options) -> Result<Self> {
        let (http, security) = http_client(&url, options)?;
        Ok(Self {
            http,
            url,
            security,
            domain: None,
            retry: options.retry,
            max_reply_bytes: options.max_reply_bytes,
            server_offset: AtomicI64::new(0),
        })
    }

    /// With the pool domain `domain`, under the same rules as the endpoint (refused when it is
    /// cleartext to a host that is not loopback without the opt-in).
    pub(crate) fn with_domain(mut self, domain: &PoolDomain, options: &Options) -> Result<Self> {
        let url = endpoint::parse(&format!("{domain}/"))?;
        let (http, security) = http_client(&url, options)?;
        self.domain = Some(DomainLink {
            http,
            url,
            security,
        });
        Ok(self)
    }

    /// How requests reach the endpoint.
    pub(crate) fn security(&self) -> EndpointSecurity {
        self.security
    }

    /// How requests reach the pool domain, when one is configured.
    pub(crate) fn domain_security(&self) -> Option<EndpointSecurity> {
        self.domain.as_ref().map(|d| d.security)
    }

    /// The server's time as far as we know it: the local clock corrected by the offset the
    /// last `Date` header showed (for the SRP `TIMESTAMP`).
    pub(crate) fn server_now(&self) -> UnixTime {
        let local = local_now().as_secs();
        let offset = self.server_offset.load(Ordering::Relaxed);
        UnixTime::from_secs(if offset >= 0 {
            local.saturating_add(offset.unsigned_abs())
        } else {
            local.saturating_sub(offset.unsigned_abs())
        })
    }

    /// Server clock minus local clock, in seconds, as last measured.
    pub(crate) fn server_offset(&self) -> i64 {
        self.server_offset.load(Ordering::Relaxed)
    }

    fn note_date(&self, date: Option<&str>) {
        let Some(server) = date.and_then(|d| parse_http_date(d).ok()) else {
            return;
        };
        let local = local_now();
        let offset = -cognito_core::token::clock_drift(local, server);
        // `Date` has a resolution of one second and the reply took a while: ignore jitter.
        let previous = self.server_offset.load(Ordering::Relaxed);
        if offset.abs_diff(previous) > 2 {
            tracing::debug!(offset, "clock corrected by the server's Date header");
            self.server_offset.store(offset, Ordering::Relaxed);
        }
    }

    /// POSTs `request`, sending it again where the core's verdict on each attempt allows
    /// ([`Resend::verdict`]), within the retry policy's budget. A reply that outlasts the budget
    /// is returned, for the core to read.
    ///
    /// The body stays the caller's (a [`Zeroizing`] buffer along every path); each attempt hands
    /// reqwest one copy of it, which is wiped when reqwest drops it.
    pub(crate) async fn send<R: Outgoing>(&self, request: &R) -> Result<Reply> {
        let span = tracing::debug_span!("cognito_request", operation = request.name());
        self.send_retrying(request).instrument(span).await
    }

    async fn send_retrying<R: Outgoing>(&self, request: &R) -> Result<Reply> {
        let operation = request.name();
        let resend = request.resend();
        let started = Instant::now();
        let mut attempt: u32 = 1;
        loop {
            let outcome = self.send_once(request).await;
            let verdict = match &outcome {
                Ok(reply) => resend.verdict(&Attempt::Replied(&request.view(reply))),
                // A connection that was never made carried nothing; after that, the request
                // may have reached the pool (a reply refused as too large included).
                Err(Error::Transport(e)) if e.is_connect() => resend.verdict(&Attempt::NotSent),
                Err(_) => resend.verdict(&Attempt::NoReply),
            };
            let budget_left =
                attempt < self.retry.max_attempts && started.elapsed() < self.retry.max_elapsed;
            match (verdict, outcome) {
                (Verdict::Resend, outcome) if budget_left => {
                    let delay = backoff(&self.retry, attempt);
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    match &outcome {
                        Ok(reply) => tracing::info!(
                            operation,
                            status = reply.status,
                            error_type = reply.error_type.as_deref().unwrap_or(""),
                            attempt,
                            delay_ms,
                            "sending again"
                        ),
                        Err(e) => tracing::info!(
                            operation,
                            error = %e,
                            attempt,
                            delay_ms,
                            "sending again after a transport error"
                        ),
                    }
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                (Verdict::OutcomeUnknown, outcome) => {
                    tracing::warn!(operation, attempt, "outcome unknown");
                    let cause = match outcome {
                        Ok(reply) => match request.read(&request.view(&reply)) {
                            Err(e) => Error::Core(e),
                            Ok(()) => Error::Core(cognito_core::Error::Protocol(
                                cognito_core::ProtocolError::UnexpectedStatus(reply.status),
                            )),
                        },
                        Err(e) => e,
                    };
                    return Err(Error::OutcomeUnknown {
                        operation,
                        cause: Box::new(cause),
                    });
                }
                (_, Ok(reply)) => {
                    tracing::debug!(operation, status = reply.status, attempt, "reply");
                    return Ok(reply);
                }
                (_, Err(e)) => return Err(e),
            }
        }
    }

    /// One attempt: [`Error::Transport`] when no reply came, [`Error::ReplyTooLarge`] when
    /// the reply was refused.
    async fn send_once<R: Outgoing>(&self, request: &R) -> Result<Reply> {
        let response = request
            .build(self)?
            .send()
            .await
            .map_err(Error::Transport)?;
        self.note_date(header(&response, "date").as_deref());
        read_reply(response, self.max_reply_bytes).await
    }
}

/// An HTTP client for `url` (checked by [`endpoint::check`]) and how it reaches it: TLS only for
/// `https://`, no proxy from the environment for cleartext, redirects never followed.
pub(crate) fn http_client(
    url: &reqwest::Url,
    options: &Options,
) -> Result<(reqwest::Client, EndpointSecurity)> {
    let security = endpoint::check(url, options.danger_allow_cleartext_http)?;
    if security == EndpointSecurity::RemoteCleartext {
        tracing::warn!(endpoint = %url, "cleartext HTTP to a host that is not loopback");
    }
    let mut builder = reqwest::Client::builder()
        .timeout(options.request_timeout)
        .connect_timeout(options.connect_timeout)
        .user_agent(concat!("cognito-std/", env!("CARGO_PKG_VERSION")))
        // A 3xx is handed to the core as the reply it is (and refused there); following it
        // would send the request, proofs and tokens included, wherever `Location` says.
        .redirect(reqwest::redirect::Policy::none())
        .https_only(security == EndpointSecurity::Https);
    if security.is_cleartext() {
        // A proxy from the environment (`HTTP_PROXY`) would carry the cleartext elsewhere.
        builder = builder.no_proxy();
    }
    Ok((builder.build().map_err(Error::Transport)?, security))
}

/// The first `name` header of `response`, when it is text.
fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// What the core is shown of `response`: its status, its `x-amzn-ErrorType` (the first one,
/// when it is text) and its body, read up to `limit` bytes: a reply that announces more
/// (`Content-Length`) is refused before its body is read, one without a length as soon as the
/// bytes received pass the limit ([`Error::ReplyTooLarge`]); nothing more is buffered.
pub(crate) async fn read_reply(mut response: reqwest::Response, limit: usize) -> Result<Reply> {
    let status = response.status().as_u16();
    let error_type = header(&response, "x-amzn-errortype");
    let announced = response.content_length();
    if let Some(len) = announced.filter(|&len| u64::try_from(limit).is_ok_and(|l| len > l)) {
        return Err(Error::ReplyTooLarge {
            limit,
            announced: Some(len),
        });
    }
    // Sized for the announced length, so that the body is not moved as it arrives.
    let capacity = announced.map_or(0, |len| usize::try_from(len).unwrap_or(limit).min(limit));
    let mut body = Zeroizing::new(Vec::with_capacity(capacity));
    while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
        // reqwest's buffer, taken over without a copy when it is its only owner, wiped once
        // copied.
        let chunk = Zeroizing::new(Vec::from(chunk));
        if chunk.len() > limit.saturating_sub(body.len()) {
            return Err(Error::ReplyTooLarge {
                limit,
                announced: None,
            });
        }
        append(&mut body, &chunk, limit);
    }
    Ok(Reply {
        status,
        error_type,
        body,
    })
}

/// Appends `bytes` to `body`, moving it to a larger buffer when it is full (twice as large, or
/// `limit` if that is less, and never less than needed) and wiping the old one: a plain
/// reallocation would free it unwiped.
fn append(body: &mut Zeroizing<Vec<u8>>, bytes: &[u8], limit: usize) {
    let needed = body.len().saturating_add(bytes.len());
    if needed > body.capacity() {
        let capacity = body.capacity().saturating_mul(2).min(limit).max(needed);
        let mut grown = Zeroizing::new(Vec::with_capacity(capacity));
        grown.extend_from_slice(body);
        *body = grown;
    }
    body.extend_from_slice(bytes);
}

/// Full jitter: a random delay up to `min(max_delay, base_delay · 2^(attempt-1))`.
fn backoff(policy: &RetryPolicy, attempt: u32) -> Duration {
    let factor = 1u32
        .checked_shl(attempt.saturating_sub(1))
        .unwrap_or(u32::MAX);
    let bound = policy
        .base_delay
        .checked_mul(factor)
        .unwrap_or(policy.max_delay)
        .min(policy.max_delay);
    let bound_ms = u64::try_from(bound.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(rand::thread_rng().gen_range(0..=bound_ms))
}

mod identity;
pub(crate) use identity::OwnedIdentityRequest;

#[cfg(test)]
mod reply_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded() {
        let policy = RetryPolicy::default();
        for attempt in 1..40 {
            assert!(backoff(&policy, attempt) <= policy.max_delay);
        }
        assert!(backoff(&policy, 1) <= policy.base_delay);
    }
}
