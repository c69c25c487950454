//! No cleartext and no surprises on the wire, over real HTTP on loopback:
//!
//! * endpoints: `https://`, or `http://` only to a loopback host unless the caller opts in; no
//!   other scheme, no credentials in the URL — refused before anything is sent, with typed
//!   errors naming the URL;
//! * redirects are never followed: a 3xx goes to the core, which refuses it, and the server the
//!   `Location` names is never contacted;
//! * reply bodies are limited ([`Options::max_reply_bytes`]) as they arrive: announced too
//!   long, longer than announced by nothing (connection-delimited), or endless (chunked);
//! * any reply the server writes (status, headers, framing, body) gives the typed result the
//!   core gives for the same bytes (property test).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_core::ProtocolError;
use cognito_core::account::GetUser;
use cognito_core::wire::HttpResponse;
use cognito_core::{Call, Error as CoreError};
use cognito_std::{
    Client, Config, DEFAULT_MAX_REPLY_BYTES, EndpointProblem, EndpointSecurity, Error, Options,
    blocking,
};
use cognito_tests::fixtures::bounded;
use cognito_tests::fixtures::canned::{self, CannedServer};
use proptest::prelude::*;

use crate::support::quick_retries;

const POOL_ID: &str = "us-east-1_WirePool";
const CLIENT_ID: &str = "wireclient0000000000000000";
const JSON: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");
/// A `GetUser` reply.
const USER: &[u8] = br#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"s"}]}"#;

fn config(url: &str) -> Config {
    Config::new(POOL_ID, CLIENT_ID).with_endpoint(url)
}

/// `USER` padded with JSON whitespace to `len` bytes.
fn user_reply_of_len(len: usize) -> Vec<u8> {
    let mut body = USER.to_vec();
    body.resize(len, b' ');
    body
}

fn endpoint_problem(result: cognito_std::Result<Client>) -> (String, EndpointProblem) {
    match result {
        Err(Error::Endpoint { url, problem }) => (url, problem),
        other => panic!("expected an endpoint error, got {other:?}"),
    }
}

#[test]
fn cleartext_only_to_loopback_unless_opted_in_and_no_other_scheme() {
    let https = Client::new(Config::new(POOL_ID, CLIENT_ID)).unwrap();
    assert_eq!(https.endpoint_security(), EndpointSecurity::Https);
    for url in [
        "http://127.0.0.1:9229/",
        "http://127.8.9.10/",
        "http://[::1]:9229/",
        "http://localhost:9229/",
    ] {
        let client = Client::new(config(url)).unwrap();
        assert_eq!(
            client.endpoint_security(),
            EndpointSecurity::LoopbackCleartext,
            "{url}"
        );
    }

    // Cleartext to anything else: refused, naming the URL; with the opt-in, allowed and said.
    for url in [
        "http://192.0.2.1:9229/",
        "http://cognito-idp.us-east-1.amazonaws.com/",
        "http://0.0.0.0:9229/",
    ] {
        let (named, problem) = endpoint_problem(Client::new(config(url)));
        assert_eq!(named, url);
        assert_eq!(problem, EndpointProblem::CleartextToRemoteHost);
        let text = Client::new(config(url)).unwrap_err().to_string();
        assert!(text.contains(url) && text.contains("cleartext"), "{text}");
        let blocking_err = blocking::Client::new(config(url)).unwrap_err();
        assert!(
            matches!(blocking_err, Error::Endpoint { .. }),
            "{blocking_err:?}"
        );

        let opted_in = Options {
            danger_allow_cleartext_http: true,
            ..Options::default()
        };
        let client = Client::with_options(config(url), opted_in).unwrap();
        assert_eq!(
            client.endpoint_security(),
            EndpointSecurity::RemoteCleartext
        );
        assert!(client.endpoint_security().is_cleartext());
    }

    // No opt-in makes another scheme or credentials acceptable.
    let anything = Options {
        danger_allow_cleartext_http: true,
        ..Options::default()
    };
    for (url, expected) in [
        (
            "ftp://127.0.0.1/",
            EndpointProblem::Scheme("ftp".to_owned()),
        ),
        (
            "wss://example.com/",
            EndpointProblem::Scheme("wss".to_owned()),
        ),
        (
            "https://me:secret@example.com/",
            EndpointProblem::Credentials,
        ),
    ] {
        let (named, problem) =
            endpoint_problem(Client::with_options(config(url), anything.clone()));
        assert_eq!(problem, expected, "{url}");
        assert!(!named.contains("secret"), "{named}");
    }
    assert!(matches!(
        endpoint_problem(Client::new(config("127.0.0.1:9229"))).1,
        EndpointProblem::Scheme(_) | EndpointProblem::NotUrl(_)
    ));
}

#[tokio::test]
async fn redirects_are_replies_the_core_refuses_and_never_followed() {
    bounded(async {
        for status in [301, 302, 303, 307, 308] {
            let elsewhere = CannedServer::fixed(canned::response(200, &[JSON], USER)).unwrap();
            let location = format!("{}redirected", elsewhere.url());
            let redirecting = CannedServer::fixed(canned::response(
                status,
                &[("Location", &location), JSON],
                b"",
            ))
            .unwrap();
            let client = Client::with_options(config(redirecting.url()), quick_retries(3)).unwrap();

            // A read (sent again after any failure), a write and a sign-in flow alike.
            let read = client.get_user("access-token").await.unwrap_err();
            let write = client.forgot_password("alice").await.unwrap_err();
            let sign_in = client.sign_in_srp("alice", "password").await.unwrap_err();
            for err in [read, write, sign_in] {
                assert!(
                    matches!(
                        err,
                        Error::Core(CoreError::Protocol(ProtocolError::UnexpectedStatus(s)))
                            if s == status
                    ),
                    "{status}: {err:?}"
                );
            }
            // Each request once (a redirect is no transient failure), and nothing elsewhere.
            assert_eq!(redirecting.hits(), 3, "{status}");
            assert_eq!(elsewhere.hits(), 0, "{status}: the redirect was followed");
        }

        // The blocking client too.
        let elsewhere = CannedServer::fixed(canned::response(200, &[JSON], USER)).unwrap();
        let redirecting =
            CannedServer::fixed(canned::response(307, &[("Location", elsewhere.url())], b""))
                .unwrap();
        let url = redirecting.url().to_owned();
        let err = tokio::task::spawn_blocking(move || {
            blocking::Client::new(config(&url))
                .unwrap()
                .get_user("access-token")
                .unwrap_err()
        })
        .await
        .unwrap();
        assert!(
            matches!(
                err,
                Error::Core(CoreError::Protocol(ProtocolError::UnexpectedStatus(307)))
            ),
            "{err:?}"
        );
        assert_eq!(elsewhere.hits(), 0);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_reply_announced_too_long_is_refused_unread() {
    bounded(async {
        let len = DEFAULT_MAX_REPLY_BYTES + 1;
        let server =
            CannedServer::fixed(canned::response(200, &[JSON], &user_reply_of_len(len))).unwrap();
        // A read is sent again (no usable reply came), within the policy.
        let client = Client::with_options(config(server.url()), quick_retries(2)).unwrap();
        let err = client.get_user("access-token").await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::ReplyTooLarge { limit: DEFAULT_MAX_REPLY_BYTES, announced: Some(l) }
                    if l == len as u64
            ),
            "{err:?}"
        );
        assert_eq!(server.hits(), 2);
        let text = err.to_string();
        assert!(text.contains(&len.to_string()), "{text}");

        // A request that must not be sent twice: once, outcome unknown.
        let err = client.forgot_password("alice").await.unwrap_err();
        match err {
            Error::OutcomeUnknown { operation, cause } => {
                assert_eq!(operation, "ForgotPassword");
                assert!(matches!(*cause, Error::ReplyTooLarge { .. }), "{cause:?}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(server.hits(), 3);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_limit_holds_with_and_without_a_length() {
    bounded(async {
        let limit = 1_000;
        let small = Options {
            max_reply_bytes: limit,
            ..quick_retries(1)
        };
        for len in [limit, limit + 1] {
            let body = user_reply_of_len(len);
            let with_length = CannedServer::fixed(canned::response(200, &[JSON], &body)).unwrap();
            // No length: the body lasts until the connection closes.
            let mut delimited = canned::head(200, &[JSON]);
            delimited.extend_from_slice(&body);
            let by_close = CannedServer::fixed(delimited).unwrap();

            for (server, announced) in [(&with_length, Some(len as u64)), (&by_close, None)] {
                let client = Client::with_options(config(server.url()), small.clone()).unwrap();
                let got = client.get_user("access-token").await;
                if len <= limit {
                    assert_eq!(got.unwrap().username, "alice");
                } else {
                    let err = got.unwrap_err();
                    assert!(
                        matches!(err, Error::ReplyTooLarge { limit: l, announced: a }
                            if l == limit && a == announced),
                        "{len}, {announced:?}: {err:?}"
                    );
                }
            }
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn an_endless_body_is_cut_at_the_limit() {
    bounded(async {
        let server = CannedServer::start(|_, out| canned::write_endless_chunked(out)).unwrap();
        let client = Client::with_options(config(server.url()), quick_retries(1)).unwrap();
        let started = Instant::now();
        let err = client.get_user("access-token").await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::ReplyTooLarge {
                    limit: DEFAULT_MAX_REPLY_BYTES,
                    announced: None
                }
            ),
            "{err:?}"
        );
        // Well before the request timeout (15 s) a client buffering everything would wait for.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
    })
    .await
    .unwrap();
}

/// How a generated reply's body is framed on the wire.
#[derive(Clone, Copy, Debug)]
enum Framing {
    Length,
    Chunked(usize),
    UntilClose,
}

/// A reply as bytes on the wire.
fn wire_reply(status: u16, error_type: Option<&str>, body: &[u8], framing: Framing) -> Vec<u8> {
    let mut headers = vec![JSON];
    if let Some(error_type) = error_type {
        headers.push(("x-amzn-ErrorType", error_type));
    }
    match framing {
        Framing::Length => canned::response(status, &headers, body),
        Framing::UntilClose => {
            let mut bytes = canned::head(status, &headers);
            bytes.extend_from_slice(body);
            bytes
        }
        Framing::Chunked(size) => {
            headers.push(("Transfer-Encoding", "chunked"));
            let mut bytes = canned::head(status, &headers);
            for chunk in body.chunks(size.max(1)) {
                bytes.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                bytes.extend_from_slice(chunk);
                bytes.extend_from_slice(b"\r\n");
            }
            bytes.extend_from_slice(b"0\r\n\r\n");
            bytes
        }
    }
}

fn framing() -> impl Strategy<Value = Framing> {
    prop_oneof![
        Just(Framing::Length),
        (1usize..64).prop_map(Framing::Chunked),
        Just(Framing::UntilClose),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        Just(USER.to_vec()),
        Just(
            br#"{"__type":"NotAuthorizedException","message":"Access Token has expired"}"#.to_vec()
        ),
        Just(br#"{"__type":"UserNotFoundException"}"#.to_vec()),
        Just(br#"{"Username": 7}"#.to_vec()),
        Just(b"".to_vec()),
    ]
}

proptest! {
    // Each case is a connection to a loopback server: a few dozen are plenty.
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn any_reply_on_the_wire_reads_as_the_core_reads_its_bytes(
        // Not 204 or 304: their replies have no body, whatever follows the head.
        status in prop_oneof![200u16..=299, 300u16..=399, 400u16..=599, Just(429u16)]
            .prop_filter("a reply with a body", |s| !matches!(s, 204 | 304)),
        error_type in prop::option::of("[A-Za-z#:.]{1,30}"),
        body in body(),
        framing in framing(),
    ) {
        let bytes = wire_reply(status, error_type.as_deref(), &body, framing);
        let reply = Arc::new(Mutex::new(bytes));
        let served = Arc::clone(&reply);
        let server = CannedServer::start(move |_, out| {
            let bytes = served.lock().unwrap().clone();
            out.write_all(&bytes)
        }).unwrap();
        let url = server.url().to_owned();
        let got = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(async {
                let client = Client::with_options(config(&url), quick_retries(1)).unwrap();
                client.get_user("access-token").await
            });

        let same = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        let expected = GetUser::read_reply(&same).map(|r| r.username.to_string());
        match (got, expected) {
            (Ok(user), Ok(username)) => prop_assert_eq!(user.username, username),
            (Err(Error::Core(got)), Err(expected)) => prop_assert_eq!(got, expected),
            (got, expected) => prop_assert!(false, "{got:?} vs the core's {expected:?}"),
        }
        prop_assert_eq!(server.hits(), 1);
    }
}
