//! Whether a request may be sent again after a failure: a property of each request, decided
//! here once so that every adapter retries the same way.
//!
//! A request that may have reached the pool is resent only when doing it twice is harmless:
//! reads, and `InitiateAuth` that only starts an SRP challenge or mints tokens from a refresh
//! token ([`Resend::AfterAnyFailure`]). Everything that changes state, sends a message, runs a
//! Lambda trigger, counts a failed password or spends a single-use session
//! ([`Resend::OnlyIfUnreceived`]) is resent only when it provably never reached the pool (the
//! connection was never made) or the pool said it did not act on it (`TooManyRequestsException`,
//! HTTP 429); any other failure ends in [`Verdict::OutcomeUnknown`]. Resending such a request could
//! send a second SMS, or report "code expired" for a password reset that succeeded.
//!
//! An adapter asks [`Resend::verdict`] after every attempt, and bounds the resends by its own
//! budget (attempts, time, backoff): when the budget is spent on a [`Verdict::Resend`], it hands
//! the last reply to the flow (which reports the pool's error) or reports its transport error.
//!
//! ```
//! use cognito_core::wire::{Attempt, HttpResponse, Resend, Verdict};
//! let throttled = HttpResponse::new(400, br#"{"__type":"TooManyRequestsException"}"#);
//! let internal = HttpResponse::new(500, br#"{"__type":"InternalErrorException"}"#);
//! assert_eq!(Resend::OnlyIfUnreceived.verdict(&Attempt::Replied(&throttled)), Verdict::Resend);
//! assert_eq!(Resend::OnlyIfUnreceived.verdict(&Attempt::Replied(&internal)), Verdict::OutcomeUnknown);
//! assert_eq!(Resend::AfterAnyFailure.verdict(&Attempt::Replied(&internal)), Verdict::Resend);
//! assert_eq!(Resend::OnlyIfUnreceived.verdict(&Attempt::NoReply), Verdict::OutcomeUnknown);
//! assert_eq!(Resend::OnlyIfUnreceived.verdict(&Attempt::NotSent), Verdict::Resend);
//! ```

use super::response::{HttpResponse, read_response};
use super::service_error::ErrorKind;
use crate::error::Error;

/// When a request may be sent again after a failure that may have reached the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resend {
    /// After any transient failure (a timeout, a cut reply, a 5xx): sending it twice is
    /// harmless (a read, or an `InitiateAuth` that only starts SRP or refreshes tokens).
    AfterAnyFailure,
    /// Only when it provably never reached the pool (the connection was never made) or the pool
    /// said it did not act on it (throttled); otherwise the outcome is unknown.
    OnlyIfUnreceived,
}

/// What became of one attempt to send a request.
#[derive(Clone, Copy, Debug)]
pub enum Attempt<'a> {
    /// The request never left: resolving the host, connecting or the TLS handshake failed before
    /// any byte of the request was written.
    NotSent,
    /// The request may have reached the pool, but no whole reply came back (a timeout, a
    /// connection closed or reset, a truncated reply).
    NoReply,
    /// A whole reply came back.
    Replied(&'a HttpResponse<'a>),
}

/// What to do after an [`Attempt`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Hand the reply to the flow or call that wrote the request (success or a final error).
    Deliver,
    /// Send the same request again, after a backoff, if the adapter's retry budget allows.
    Resend,
    /// The request may or may not have taken effect and must not be sent again: report that the
    /// outcome is unknown (a sign-in must start over; check an account change before redoing it).
    OutcomeUnknown,
}

impl Resend {
    /// What to do after `attempt` of a request that resends like this.
    #[must_use]
    pub fn verdict(self, attempt: &Attempt<'_>) -> Verdict {
        match attempt {
            Attempt::NotSent => Verdict::Resend,
            Attempt::NoReply => self.after_possible_receipt(),
            Attempt::Replied(reply) => match reply_failure(reply) {
                ReplyFailure::None => Verdict::Deliver,
                ReplyFailure::Throttled => Verdict::Resend,
                ReplyFailure::Transient => self.after_possible_receipt(),
            },
        }
    }

    fn after_possible_receipt(self) -> Verdict {
        match self {
            Resend::AfterAnyFailure => Verdict::Resend,
            Resend::OnlyIfUnreceived => Verdict::OutcomeUnknown,
        }
    }
}

/// How a whole reply failed, as far as resending goes.
enum ReplyFailure {
    /// A success, or an error that sending again will not change.
    None,
    /// The pool did not act on the request: `TooManyRequestsException` or HTTP 429.
    Throttled,
    /// The pool may have acted: an internal error or another 5xx.
    Transient,
}

fn reply_failure(reply: &HttpResponse<'_>) -> ReplyFailure {
    match read_response(reply) {
        Err(Error::Service(e)) if e.kind() == ErrorKind::TooManyRequests || e.status() == 429 => {
            ReplyFailure::Throttled
        }
        Err(Error::Service(e)) if e.is_retryable() => ReplyFailure::Transient,
        // A 5xx whose body the reader refuses (a proxy's HTML page) is transient too.
        Err(_) if reply.status >= 500 => ReplyFailure::Transient,
        _ => ReplyFailure::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Resend; 2] = [Resend::AfterAnyFailure, Resend::OnlyIfUnreceived];

    fn verdicts(reply: &HttpResponse<'_>) -> [Verdict; 2] {
        ALL.map(|r| r.verdict(&Attempt::Replied(reply)))
    }

    #[test]
    fn successes_and_final_errors_are_delivered() {
        for reply in [
            HttpResponse::new(200, b"{}"),
            HttpResponse::new(200, b""),
            HttpResponse::new(400, br#"{"__type":"CodeMismatchException"}"#),
            HttpResponse::new(400, b"not json"),
            HttpResponse::new(302, b""),
        ] {
            assert_eq!(verdicts(&reply), [Verdict::Deliver; 2], "{reply:?}");
        }
    }

    #[test]
    fn throttling_is_resent_by_everyone() {
        for reply in [
            HttpResponse::new(400, br#"{"__type":"TooManyRequestsException"}"#),
            HttpResponse::new(400, b"").with_error_type("TooManyRequestsException:"),
            HttpResponse::new(429, b"Slow down"),
        ] {
            assert_eq!(verdicts(&reply), [Verdict::Resend; 2], "{reply:?}");
        }
    }

    #[test]
    fn server_failures_are_resent_only_where_harmless() {
        for reply in [
            HttpResponse::new(500, br#"{"__type":"InternalErrorException"}"#),
            HttpResponse::new(503, b"<html>Service Unavailable</html>"),
            HttpResponse::new(502, b""),
        ] {
            assert_eq!(
                verdicts(&reply),
                [Verdict::Resend, Verdict::OutcomeUnknown],
                "{reply:?}"
            );
        }
        assert_eq!(
            ALL.map(|r| r.verdict(&Attempt::NoReply)),
            [Verdict::Resend, Verdict::OutcomeUnknown]
        );
        assert_eq!(
            ALL.map(|r| r.verdict(&Attempt::NotSent)),
            [Verdict::Resend; 2]
        );
    }
}
