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
use std::time::{Duration, Instant};

use cognito_core::ProtocolError;
use cognito_std::{Client, Config, Error, Options, RetryPolicy, Session, SignInRequest, blocking};
use cognito_tests::fixtures::{Act, ScriptedServer, pool_with_client, unix_now};
use cognito_tests::pool::{DeviceTracking, UserPool};

const POOL_ID: &str = "us-east-1_FaultPool";
const CLIENT_ID: &str = "faultclient000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";

fn user_pool(seed: u64) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, DeviceTracking::Off);
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

/// A scripted server in front of `pool`, doing what `script` says with request `n` (from 0,
/// all operations) of operation `operation`.
fn serve(pool: UserPool, script: impl Fn(usize, &str) -> Act + Send + 'static) -> ScriptedServer {
    ScriptedServer::start(pool, script).unwrap()
}

/// A script: `act` on the first request, the rest pass.
fn first(act: Act) -> impl Fn(usize, &str) -> Act + Send + 'static {
    move |n, _| if n == 0 { act } else { Act::Pass }
}

/// A script: `act` on every challenge answer (`RespondToAuthChallenge`), the rest pass.
fn on_answers(act: Act) -> impl Fn(usize, &str) -> Act + Send + 'static {
    move |_, operation| {
        if operation == "RespondToAuthChallenge" {
            act
        } else {
            Act::Pass
        }
    }
}

/// An async client of `server` that makes `attempts` attempts.
fn client_for(server: &ScriptedServer, attempts: u32) -> Client {
    Client::with_options(config(server.url()), options(attempts)).unwrap()
}

/// A blocking client of `server` that makes `attempts` attempts.
fn blocking_client_for(server: &ScriptedServer, attempts: u32) -> blocking::Client {
    blocking::Client::with_options(config(server.url()), options(attempts)).unwrap()
}

/// Alice signs in with her password (USER_PASSWORD_AUTH).
async fn sign_in(client: &Client) -> Session {
    client
        .sign_in_password("alice", PASSWORD)
        .await
        .unwrap()
        .into_session()
        .unwrap()
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
        let server = serve(user_pool(1), first(Act::CutHead));
        let client = client_for(&server, 3);
        let session = sign_in(&client).await;
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
        let client = client_for(&server, 3);
        let session = sign_in(&client).await;
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
            let server = serve(user_pool(seed), on_answers(cut));
            let client = client_for(&server, 4);
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
        let server = serve(user_pool(5), first(Act::Unavailable));
        let client = client_for(&server, 4);
        let session = sign_in(&client).await;
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
            let client = client_for(&server, attempts);
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
        let server = serve(user_pool(7), on_answers(Act::Unavailable));
        let client = client_for(&server, 4);
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
            config(server.url()),
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
        let client = client_for(&server, 4);
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
    let server = serve(user_pool(10), first(Act::CutBody));
    let client = blocking_client_for(&server, 3);
    let session = client
        .sign_in(SignInRequest::password("alice", PASSWORD))
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(session.username, "alice");
    assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);

    // Cut reply to a challenge answer: not resent.
    let server = serve(user_pool(11), on_answers(Act::CutHead));
    let client = blocking_client_for(&server, 3);
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(server.seen(), ["InitiateAuth", "RespondToAuthChallenge"]);

    // 503 forever: bounded attempts.
    let server = serve(user_pool(12), |_, _| Act::Unavailable);
    let client = blocking_client_for(&server, 3);
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert_eq!(err.service().map(|e| e.status()), Some(503), "{err:?}");
    assert_eq!(server.count("InitiateAuth"), 3);

    // Never answered: a timeout.
    let server = serve(user_pool(13), |_, _| Act::Hang);
    let client = blocking::Client::with_options(
        config(server.url()),
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
    let client = blocking_client_for(&server, 3);
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
