//! Property tests of the transport's reply path ([`read_reply`], [`Transport::note_date`]):
//! whatever status, headers, body, chunking and announced length a reply has, reading it never
//! panics, never keeps more than the limit, and shows the core exactly what arrived, so that the
//! typed result is the one the core gives for the same bytes.

#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use core::convert::Infallible;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::collections::VecDeque;

use bytes::Bytes;
use cognito_core::Call;
use cognito_core::account::GetUser;
use cognito_core::wire::{Attempt, HttpResponse, Resend, read_response};
use http_body::{Frame, SizeHint};
use proptest::prelude::*;

use super::*;
use crate::config::DEFAULT_MAX_REPLY_BYTES;
use crate::exchange::OwnedCall;

/// A body that arrives in the given chunks, announcing its length (as `Content-Length` does)
/// or not (as a chunked or connection-delimited body).
struct Chunks {
    chunks: VecDeque<Bytes>,
    announced: Option<u64>,
}

impl http_body::Body for Chunks {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<core::result::Result<Frame<Bytes>, Infallible>>> {
        Poll::Ready(
            self.get_mut()
                .chunks
                .pop_front()
                .map(|c| Ok(Frame::data(c))),
        )
    }

    fn is_end_stream(&self) -> bool {
        self.chunks.is_empty()
    }

    fn size_hint(&self) -> SizeHint {
        self.announced
            .map_or_else(SizeHint::default, SizeHint::with_exact)
    }
}

/// The header names the reply path looks at, in several spellings, and others.
const NAMES: [&str; 6] = [
    "x-amzn-errortype",
    "X-Amzn-ErrorType",
    "X-AMZN-ERRORTYPE",
    "date",
    "content-type",
    "x-amzn-requestid",
];

/// A header value: any bytes a header may carry (visible ASCII, tab, and obs-text 0x80–0xFF,
/// which is not text).
fn header_value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![4 => 0x20u8..0x7f, 1 => Just(b'\t'), 1 => 0x80u8..=0xff],
        0..48,
    )
}

/// Bodies: arbitrary bytes, text, and JSON shaped like Cognito's replies and errors.
fn body() -> impl Strategy<Value = Vec<u8>> {
    let name = "[A-Za-z#:. ]{0,40}";
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..600),
        "[ -~]{0,200}".prop_map(String::into_bytes),
        (name, "[ -~]{0,60}").prop_map(|(t, m)| {
            serde_json::json!({ "__type": t, "message": m })
                .to_string()
                .into_bytes()
        }),
        (name, "[ -~]{0,60}").prop_map(|(t, m)| {
            serde_json::json!({ "code": t, "Message": m })
                .to_string()
                .into_bytes()
        }),
        "[a-zA-Z0-9@._-]{0,40}".prop_map(|u| {
            serde_json::json!({ "Username": u, "UserAttributes": [{"Name": "sub", "Value": u}] })
                .to_string()
                .into_bytes()
        }),
        Just(b"{}".to_vec()),
        Just(b" \r\n".to_vec()),
    ]
}

/// Where to cut a body into chunks (indexes into it, in any order).
fn cuts() -> impl Strategy<Value = Vec<prop::sample::Index>> {
    prop::collection::vec(any::<prop::sample::Index>(), 0..6)
}

/// `body` cut at `cuts`.
fn chunked(body: &[u8], cuts: &[prop::sample::Index]) -> VecDeque<Bytes> {
    let mut at: Vec<usize> = cuts.iter().map(|i| i.index(body.len() + 1)).collect();
    at.push(0);
    at.push(body.len());
    at.sort_unstable();
    at.windows(2)
        .map(|w| Bytes::copy_from_slice(&body[w[0]..w[1]]))
        .collect()
}

/// What `HeaderValue::to_str` accepts, written out: visible ASCII and tab.
fn as_text(value: &[u8]) -> Option<String> {
    value
        .iter()
        .all(|&b| b == b'\t' || (0x20..0x7f).contains(&b))
        .then(|| String::from_utf8(value.to_vec()).unwrap())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
}

/// A transport to a loopback endpoint nobody calls.
fn transport() -> Transport {
    let url = reqwest::Url::parse("http://127.0.0.1:9/").unwrap();
    Transport::new(url, &Options::default()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn replies_reach_the_core_as_they_arrived_or_are_refused_past_the_limit(
        status in 100u16..1000,
        headers in prop::collection::vec((0..NAMES.len(), header_value()), 0..6),
        body in body(),
        cuts in cuts(),
        announce in any::<bool>(),
        limit in prop_oneof![Just(DEFAULT_MAX_REPLY_BYTES), 0usize..700],
    ) {
        let len = body.len() as u64;
        let mut response = http::Response::builder().status(status);
        for (name, value) in &headers {
            response = response.header(
                NAMES[*name],
                http::HeaderValue::from_bytes(value).unwrap(),
            );
        }
        let response = response
            .body(reqwest::Body::wrap(Chunks {
                chunks: chunked(&body, &cuts),
                announced: announce.then_some(len),
            }))
            .unwrap();

        let read = runtime().block_on(read_reply(reqwest::Response::from(response), limit));

        if body.len() > limit {
            match read {
                Err(Error::ReplyTooLarge { limit: l, announced }) => {
                    prop_assert_eq!(l, limit);
                    prop_assert_eq!(announced, announce.then_some(len));
                }
                other => prop_assert!(false, "{} bytes over {limit}: {other:?}", body.len()),
            }
            return Ok(());
        }
        let reply = read.unwrap();
        // Exactly what arrived: the first x-amzn-ErrorType (when it is text), the body whole.
        let error_type = headers
            .iter()
            .find(|(name, _)| NAMES[*name].eq_ignore_ascii_case("x-amzn-errortype"))
            .and_then(|(_, value)| as_text(value));
        prop_assert_eq!(reply.status, status);
        prop_assert_eq!(&reply.error_type, &error_type);
        prop_assert_eq!(&reply.body[..], &body[..]);
        prop_assert!(reply.body.capacity() <= limit.max(body.len()));

        // So the core's verdicts and readings are those of the same bytes.
        let same = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        let shown = reply.as_http();
        prop_assert_eq!(
            read_response(&shown).map(|o| o.raw()),
            read_response(&same).map(|o| o.raw())
        );
        for resend in [Resend::AfterAnyFailure, Resend::OnlyIfUnreceived] {
            prop_assert_eq!(
                resend.verdict(&Attempt::Replied(&shown)),
                resend.verdict(&Attempt::Replied(&same))
            );
        }
        let typed = |r: &HttpResponse<'_>| {
            GetUser::read_reply(r).map(<GetUser<'_> as OwnedCall>::output)
        };
        prop_assert_eq!(typed(&shown), typed(&same));
    }

    #[test]
    fn any_date_header_is_survived(date in "\\PC{0,40}", valid in any::<bool>(), secs in any::<u32>()) {
        let transport = transport();
        let date = if valid {
            cognito_core::http_date::format_http_date(UnixTime::from_secs(u64::from(secs)))
                .map_or(date, |d| d.to_string())
        } else {
            date
        };
        transport.note_date(Some(&date));
        let _ = transport.server_now();
        let offset = transport.server_offset();
        if let Ok(server) = parse_http_date(&date) {
            let expected = -cognito_core::token::clock_drift(local_now(), server);
            // The clock may tick between the two readings.
            prop_assert!(offset == 0 || offset.abs_diff(expected) <= 2, "{offset} vs {expected}");
        } else {
            prop_assert_eq!(offset, 0);
        }
    }
}

#[test]
fn bodies_grow_without_passing_the_limit() {
    let limit = 100;
    let mut body = Zeroizing::new(Vec::new());
    for _ in 0..10 {
        append(&mut body, &[7u8; 10], limit);
        assert!(body.capacity() <= limit);
    }
    assert_eq!(body.len(), limit);
    assert!(body.iter().all(|&b| b == 7));
}
