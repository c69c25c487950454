//! `Resend::verdict` over every kind of attempt, for both `Resend` values: what is delivered to
//! the flow, what is sent again, and what ends in "outcome unknown".

use cognito_core::wire::{Attempt, HttpResponse, Resend, Verdict};

use Verdict::{Deliver, OutcomeUnknown, Resend as Again};

#[test]
fn verdicts_for_every_attempt() {
    let ok = HttpResponse::new(200, br#"{"UserSub":"s"}"#);
    let ok_empty = HttpResponse::new(200, b"");
    let code_mismatch = HttpResponse::new(
        400,
        br#"{"__type":"CodeMismatchException","message":"Invalid code"}"#,
    );
    let not_authorized = HttpResponse::new(400, br#"{"__type":"NotAuthorizedException"}"#);
    let throttled = HttpResponse::new(
        400,
        br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#,
    );
    let throttled_header =
        HttpResponse::new(400, b"").with_error_type("TooManyRequestsException:http://x");
    let status_429 = HttpResponse::new(429, b"Too Many Requests");
    let internal = HttpResponse::new(500, br#"{"__type":"InternalErrorException"}"#);
    let html_503 = HttpResponse::new(503, b"<html><body>Service Unavailable</body></html>");
    let redirect = HttpResponse::new(302, b"");
    // (attempt, verdict for AfterAnyFailure, verdict for OnlyIfUnreceived)
    let table = [
        (Attempt::NotSent, Again, Again),
        (Attempt::NoReply, Again, OutcomeUnknown),
        (Attempt::Replied(&ok), Deliver, Deliver),
        (Attempt::Replied(&ok_empty), Deliver, Deliver),
        (Attempt::Replied(&code_mismatch), Deliver, Deliver),
        (Attempt::Replied(&not_authorized), Deliver, Deliver),
        (Attempt::Replied(&throttled), Again, Again),
        (Attempt::Replied(&throttled_header), Again, Again),
        (Attempt::Replied(&status_429), Again, Again),
        (Attempt::Replied(&internal), Again, OutcomeUnknown),
        (Attempt::Replied(&html_503), Again, OutcomeUnknown),
        (Attempt::Replied(&redirect), Deliver, Deliver),
    ];
    for (attempt, after_any_failure, only_if_unreceived) in table {
        assert_eq!(
            Resend::AfterAnyFailure.verdict(&attempt),
            after_any_failure,
            "AfterAnyFailure, {attempt:?}"
        );
        assert_eq!(
            Resend::OnlyIfUnreceived.verdict(&attempt),
            only_if_unreceived,
            "OnlyIfUnreceived, {attempt:?}"
        );
    }
}

#[test]
fn only_failures_that_may_have_reached_the_pool_tell_the_two_apart() {
    // Resending is never less allowed for AfterAnyFailure than for OnlyIfUnreceived, and the two
    // differ exactly where the pool may have acted on the request.
    let internal = HttpResponse::new(500, br#"{"__type":"InternalErrorException"}"#);
    let throttled = HttpResponse::new(429, b"");
    let refused = HttpResponse::new(400, br#"{"__type":"InvalidParameterException"}"#);
    for (attempt, differ) in [
        (Attempt::NotSent, false),
        (Attempt::NoReply, true),
        (Attempt::Replied(&internal), true),
        (Attempt::Replied(&throttled), false),
        (Attempt::Replied(&refused), false),
    ] {
        let any = Resend::AfterAnyFailure.verdict(&attempt);
        let unreceived = Resend::OnlyIfUnreceived.verdict(&attempt);
        assert_eq!(any != unreceived, differ, "{attempt:?}");
        if differ {
            assert_eq!((any, unreceived), (Again, OutcomeUnknown), "{attempt:?}");
        }
    }
}
