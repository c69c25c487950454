//! One Cognito request over reqwest: headers, timeouts, sending again where the core allows it
//! (with backoff), and the clock corrected by the replies' `Date` header.

use core::sync::atomic::{AtomicI64, Ordering};
use core::time::Duration;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use cognito_core::http_date::parse_http_date;
use cognito_core::time::UnixTime;
use cognito_core::wire::{
    Attempt, CONTENT_TYPE, HttpResponse, Operation, Resend, Verdict, read_response,
};
use rand::Rng;
use tracing::Instrument;
use zeroize::Zeroizing;

use crate::config::{Options, RetryPolicy};
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

/// The HTTP side of a client.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    url: reqwest::Url,
    retry: RetryPolicy,
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
    pub(crate) fn new(url: reqwest::Url, options: &Options) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(options.request_timeout)
            .connect_timeout(options.connect_timeout)
            .user_agent(concat!("cognito-std/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(Error::Transport)?;
        Ok(Self {
            http,
            url,
            retry: options.retry,
            server_offset: AtomicI64::new(0),
        })
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
    pub(crate) async fn send(&self, request: &OwnedRequest) -> Result<Reply> {
        let span = tracing::debug_span!("cognito_request", operation = request.operation.name());
        self.send_retrying(request).instrument(span).await
    }

    async fn send_retrying(&self, request: &OwnedRequest) -> Result<Reply> {
        let operation = request.operation;
        let started = Instant::now();
        let mut attempt: u32 = 1;
        loop {
            let outcome = self.send_once(operation, &request.body).await;
            let verdict = match &outcome {
                Ok(reply) => request.resend.verdict(&Attempt::Replied(&reply.as_http())),
                // A connection that was never made carried nothing; after that, the request
                // may have reached the pool.
                Err(e) if e.is_connect() => request.resend.verdict(&Attempt::NotSent),
                Err(_) => request.resend.verdict(&Attempt::NoReply),
            };
            let budget_left =
                attempt < self.retry.max_attempts && started.elapsed() < self.retry.max_elapsed;
            match (verdict, outcome) {
                (Verdict::Resend, outcome) if budget_left => {
                    let delay = backoff(&self.retry, attempt);
                    let delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX);
                    match &outcome {
                        Ok(reply) => tracing::info!(
                            operation = operation.name(),
                            status = reply.status,
                            error_type = reply.error_type.as_deref().unwrap_or(""),
                            attempt,
                            delay_ms,
                            "sending again"
                        ),
                        Err(e) => tracing::info!(
                            operation = operation.name(),
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
                    tracing::warn!(operation = operation.name(), attempt, "outcome unknown");
                    let cause = match outcome {
                        Ok(reply) => match read_response(&reply.as_http()) {
                            Err(e) => Error::Core(e),
                            Ok(_) => Error::Core(cognito_core::Error::Protocol(
                                cognito_core::ProtocolError::UnexpectedStatus(reply.status),
                            )),
                        },
                        Err(e) => Error::Transport(e),
                    };
                    return Err(Error::OutcomeUnknown {
                        operation: operation.name(),
                        cause: Box::new(cause),
                    });
                }
                (_, Ok(reply)) => {
                    tracing::debug!(
                        operation = operation.name(),
                        status = reply.status,
                        attempt,
                        "reply"
                    );
                    return Ok(reply);
                }
                (_, Err(e)) => return Err(Error::Transport(e)),
            }
        }
    }

    async fn send_once(
        &self,
        operation: Operation,
        body: &[u8],
    ) -> core::result::Result<Reply, reqwest::Error> {
        let response = self
            .http
            .post(self.url.clone())
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header("X-Amz-Target", operation.target())
            // reqwest frees the body it is given; this one wipes itself first.
            .body(bytes::Bytes::from_owner(Zeroizing::new(body.to_vec())))
            .send()
            .await?;
        let status = response.status().as_u16();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let error_type = header("x-amzn-errortype");
        let date = header("date");
        self.note_date(date.as_deref());
        // Reuses the received allocation when it can (no extra copy of the tokens).
        let body = Zeroizing::new(Vec::from(response.bytes().await?));
        Ok(Reply {
            status,
            error_type,
            body,
        })
    }
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
