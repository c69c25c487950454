//! The transport under faults, against a scripted loopback server in front of the emulator's
//! pool: replies cut in the headers or in the body (safe operations retried on a new
//! connection, a challenge answer not resent: `OutcomeUnknown`), 503s (retried, bounded), a
//! server that never answers (timeout), and a reply that is not JSON (protocol error, not
//! retried). Async and blocking clients.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::future::Future;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cognito_core::ProtocolError;
use cognito_core::wire::CONTENT_TYPE;
use cognito_std::{Client, Config, Error, Options, RetryPolicy, SignInRequest, blocking};
use cognito_tests::pool::UserPool;

const POOL_ID: &str = "us-east-1_FaultPool";
const CLIENT_ID: &str = "faultclient000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// What the server does with one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Act {
    /// The pool handles it; the whole reply is sent.
    Pass,
    /// The pool handles it; the reply is cut inside its headers and the connection closed.
    CutHead,
    /// The pool handles it; the reply is cut inside its body and the connection closed.
    CutBody,
    /// `503 Service Unavailable` with a plain-text body (a load balancer's), pool untouched.
    Unavailable,
    /// `200` with an HTML body, pool untouched.
    NotJson,
    /// The request is read and never answered.
    Hang,
}

/// A scripted server: its URL, the operations it received (in order) and the pool behind it.
struct Server {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    pool: Arc<Mutex<UserPool>>,
}

impl Server {
    fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }

    fn count(&self, operation: &str) -> usize {
        self.seen().iter().filter(|o| *o == operation).count()
    }

    /// The operations the pool itself handled.
    fn handled(&self) -> Vec<String> {
        self.pool
            .lock()
            .unwrap()
            .operations()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn user_pool(seed: u64) -> UserPool {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.add_user("alice", PASSWORD);
    // The scripted server sends no `Date`: the client's SRP timestamp is the local clock.
    pool.set_time(unix_now());
    pool
}

fn config(url: &str) -> Config {
    Config::new(POOL_ID, CLIENT_ID).with_endpoint(url)
}

/// Fast retries: `attempts` in all.
fn options(attempts: u32) -> Options {
    Options {
        retry: RetryPolicy {
            max_attempts: attempts,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_elapsed: Duration::from_secs(10),
        },
        ..Options::default()
    }
}

/// Every async test is bounded in time.
async fn bounded<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(60), f)
        .await
        .expect("test timed out")
}

/// Reads one request; its operation (without the target prefix) and body.
fn read_request(stream: &TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let (mut target, mut len) = (String::new(), 0usize);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((name, value)) = l.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "x-amz-target" => target = value.trim().to_owned(),
                "content-length" => len = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; len];
    reader.read_exact(&mut body).ok()?;
    Some((target, body))
}

fn head(status: u16, content_type: &str, error_type: Option<&str>, len: usize) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n"
    );
    if let Some(t) = error_type {
        head.push_str(&format!("x-amzn-ErrorType: {t}\r\n"));
    }
    head.push_str("\r\n");
    head
}

/// A loopback HTTP/1.1 server (one request per connection) doing what `script` says with
/// request `n` (from 0, all operations) of operation `operation`.
fn serve(pool: UserPool, script: impl Fn(usize, &str) -> Act + Send + 'static) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let pool = Arc::new(Mutex::new(pool));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (pool2, seen2) = (pool.clone(), seen.clone());
    std::thread::spawn(move || {
        let mut hung = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let Some((target, body)) = read_request(&stream) else {
                continue;
            };
            let operation = target
                .strip_prefix(TARGET_PREFIX)
                .unwrap_or(&target)
                .to_owned();
            let n = {
                let mut seen = seen2.lock().unwrap();
                seen.push(operation.clone());
                seen.len() - 1
            };
            let act = script(n, &operation);
            let (status, content_type, error_type, reply) = match act {
                Act::Hang => {
                    hung.push(stream);
                    continue;
                }
                Act::Unavailable => (503, "text/plain", None, b"Service Unavailable".to_vec()),
                Act::NotJson => (
                    200,
                    "text/html",
                    None,
                    b"<html><body>Welcome to the captive portal</body></html>".to_vec(),
                ),
                Act::Pass | Act::CutHead | Act::CutBody => {
                    let r = pool2.lock().unwrap().handle(&target, CONTENT_TYPE, &body);
                    (r.status, CONTENT_TYPE, r.error_type, r.body)
                }
            };
            let head = head(status, content_type, error_type.as_deref(), reply.len());
            let _ = match act {
                Act::CutHead => stream.write_all(&head.as_bytes()[..head.len() / 2]),
                Act::CutBody => stream
                    .write_all(head.as_bytes())
                    .and_then(|()| stream.write_all(&reply[..reply.len() / 2])),
                _ => stream
                    .write_all(head.as_bytes())
                    .and_then(|()| stream.write_all(&reply)),
            };
            let _ = stream.flush();
            let _ = stream.shutdown(Shutdown::Both);
        }
    });
    Server { url, seen, pool }
}

fn is_timeout(err: &Error) -> bool {
    match err {
        Error::Transport(e) => e.is_timeout(),
        _ => false,
    }
}

#[tokio::test]
async fn a_sign_in_whose_reply_is_cut_in_the_headers_is_retried() {
    bounded(async {
        let server = serve(
            user_pool(1),
            |n, _| if n == 0 { Act::CutHead } else { Act::Pass },
        );
        let client = Client::with_options(config(&server.url), options(3)).unwrap();
        let session = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap()
            .into_session()
            .unwrap();
        assert_eq!(session.username, "alice");
        assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);
    })
    .await;
}

#[tokio::test]
async fn get_user_whose_reply_is_cut_in_the_body_is_retried() {
    bounded(async {
        let server = serve(user_pool(2), |n, op| {
            if op == "GetUser" && n == 1 {
                Act::CutBody
            } else {
                Act::Pass
            }
        });
        let client = Client::with_options(config(&server.url), options(3)).unwrap();
        let session = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap()
            .into_session()
            .unwrap();
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, "alice");
        assert_eq!(server.seen(), ["InitiateAuth", "GetUser", "GetUser"]);
        assert_eq!(server.count("GetUser"), 2);
    })
    .await;
}

#[tokio::test]
async fn a_challenge_answer_whose_reply_is_cut_is_not_resent() {
    bounded(async {
        for (seed, cut) in [(3, Act::CutHead), (4, Act::CutBody)] {
            let server = serve(user_pool(seed), move |_, op| {
                if op == "RespondToAuthChallenge" {
                    cut
                } else {
                    Act::Pass
                }
            });
            let client = Client::with_options(config(&server.url), options(4)).unwrap();
            let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
            assert!(
                matches!(
                    err,
                    Error::OutcomeUnknown {
                        operation: "RespondToAuthChallenge",
                        ..
                    }
                ),
                "{cut:?}: {err:?}"
            );
            assert_eq!(
                server.seen(),
                ["InitiateAuth", "RespondToAuthChallenge"],
                "{cut:?}"
            );
            // The server did act on the answer: only its reply was lost.
            assert_eq!(
                server.handled(),
                ["InitiateAuth", "RespondToAuthChallenge"],
                "{cut:?}"
            );
        }
    })
    .await;
}

#[tokio::test]
async fn a_503_then_a_200_succeeds_after_two_requests() {
    bounded(async {
        let server = serve(user_pool(5), |n, _| {
            if n == 0 { Act::Unavailable } else { Act::Pass }
        });
        let client = Client::with_options(config(&server.url), options(4)).unwrap();
        let session = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap()
            .into_session()
            .unwrap();
        assert_eq!(session.username, "alice");
        assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);
        assert_eq!(server.handled(), ["InitiateAuth"]);
    })
    .await;
}

#[tokio::test]
async fn a_503_forever_gives_up_after_the_policys_attempts() {
    bounded(async {
        for attempts in [1, 3] {
            let server = serve(user_pool(6), |_, _| Act::Unavailable);
            let client = Client::with_options(config(&server.url), options(attempts)).unwrap();
            let started = Instant::now();
            let err = client
                .sign_in_password("alice", PASSWORD)
                .await
                .unwrap_err();
            let service = err.service().unwrap_or_else(|| panic!("{err:?}"));
            assert_eq!(service.status(), 503, "{err:?}");
            assert_eq!(server.count("InitiateAuth"), attempts as usize);
            assert!(server.handled().is_empty());
            assert!(started.elapsed() < Duration::from_secs(10));
        }
    })
    .await;
}

/// A 5xx from a proxy in front of Cognito does not say whether Cognito saw the answer: a
/// challenge answer (an MFA code is single-use) must not be resent.
#[tokio::test]
async fn a_503_to_a_challenge_answer_is_not_resent() {
    bounded(async {
        let server = serve(user_pool(7), |_, op| {
            if op == "RespondToAuthChallenge" {
                Act::Unavailable
            } else {
                Act::Pass
            }
        });
        let client = Client::with_options(config(&server.url), options(4)).unwrap();
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert_eq!(server.count("RespondToAuthChallenge"), 1, "{err:?}");
    })
    .await;
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    bounded(async {
        let server = serve(user_pool(8), |_, _| Act::Hang);
        let client = Client::with_options(
            config(&server.url),
            Options {
                request_timeout: Duration::from_millis(300),
                ..options(2)
            },
        )
        .unwrap();
        let started = Instant::now();
        let err = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap_err();
        assert!(is_timeout(&err), "{err:?}");
        // Two attempts of 300 ms and a short backoff; generously bounded.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);
    })
    .await;
}

#[tokio::test]
async fn a_reply_that_is_not_json_is_a_protocol_error_not_retried() {
    bounded(async {
        let server = serve(user_pool(9), |_, _| Act::NotJson);
        let client = Client::with_options(config(&server.url), options(4)).unwrap();
        let err = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                Error::Core(cognito_core::Error::Protocol(ProtocolError::MalformedJson))
            ),
            "{err:?}"
        );
        assert_eq!(server.seen(), ["InitiateAuth"]);
    })
    .await;
}

#[test]
fn blocking_client_under_faults() {
    // Cut reply to a safe operation: retried.
    let server = serve(
        user_pool(10),
        |n, _| if n == 0 { Act::CutBody } else { Act::Pass },
    );
    let client = blocking::Client::with_options(config(&server.url), options(3)).unwrap();
    let session = client
        .sign_in(SignInRequest::password("alice", PASSWORD))
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(session.username, "alice");
    assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);

    // Cut reply to a challenge answer: not resent.
    let server = serve(user_pool(11), |_, op| {
        if op == "RespondToAuthChallenge" {
            Act::CutHead
        } else {
            Act::Pass
        }
    });
    let client = blocking::Client::with_options(config(&server.url), options(3)).unwrap();
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(server.seen(), ["InitiateAuth", "RespondToAuthChallenge"]);

    // 503 forever: bounded attempts.
    let server = serve(user_pool(12), |_, _| Act::Unavailable);
    let client = blocking::Client::with_options(config(&server.url), options(3)).unwrap();
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert_eq!(err.service().map(|e| e.status()), Some(503), "{err:?}");
    assert_eq!(server.count("InitiateAuth"), 3);

    // Never answered: a timeout.
    let server = serve(user_pool(13), |_, _| Act::Hang);
    let client = blocking::Client::with_options(
        config(&server.url),
        Options {
            request_timeout: Duration::from_millis(300),
            ..options(1)
        },
    )
    .unwrap();
    let started = Instant::now();
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert!(is_timeout(&err), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.seen(), ["InitiateAuth"]);

    // Not JSON: a protocol error, sent once.
    let server = serve(user_pool(14), |_, _| Act::NotJson);
    let client = blocking::Client::with_options(config(&server.url), options(3)).unwrap();
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Core(cognito_core::Error::Protocol(ProtocolError::MalformedJson))
        ),
        "{err:?}"
    );
    assert_eq!(server.seen(), ["InitiateAuth"]);
}
