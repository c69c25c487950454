//! The transport under faults, against a scripted loopback server in front of the emulator's
//! pool. What may be sent again is the core's decision ([`cognito_core::wire::Resend`]); these
//! tests check the adapter follows it over real HTTP:
//!
//! * requests that are harmless twice (SRP `InitiateAuth`, reads) are sent again after a reply
//!   cut in the headers or the body, a 503 (bounded by the policy) or a timeout;
//! * everything else — a challenge answer, `USER_PASSWORD_AUTH`, `SignUp`, `ForgotPassword`,
//!   `ConfirmForgotPassword` — is sent exactly once after any of those and ends in
//!   [`Error::OutcomeUnknown`], and is sent again only when the pool throttled it or the
//!   connection was never made;
//! * a reply that is not JSON is a protocol error, not retried.
//!
//! Async and blocking clients.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use cognito_core::ProtocolError;
use cognito_std::{Client, Config, Error, Options, Session, SignInRequest, blocking};
use cognito_tests::fixtures::{
    Act, ScriptedServer, bounded, pool_with_client, refused_url, unix_now,
};
use cognito_tests::pool::{DeviceTracking, UserOptions, UserPool};

use crate::support::quick_retries;

const POOL_ID: &str = "us-east-1_FaultPool";
const CLIENT_ID: &str = "faultclient000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";

fn user_pool(seed: u64) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, DeviceTracking::Off);
    let email = UserOptions {
        email: Some("alice@example.com".to_owned()),
        email_verified: true,
        ..UserOptions::default()
    };
    pool.add_user_with("alice", PASSWORD, email);
    // The scripted server sends no `Date`: the client's SRP timestamp is the local clock.
    pool.set_time(unix_now());
    pool
}

fn config(url: &str) -> Config {
    Config::new(POOL_ID, CLIENT_ID).with_endpoint(url)
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
    Client::with_options(config(server.url()), quick_retries(attempts)).unwrap()
}

/// A blocking client of `server` that makes `attempts` attempts.
fn blocking_client_for(server: &ScriptedServer, attempts: u32) -> blocking::Client {
    blocking::Client::with_options(config(server.url()), quick_retries(attempts)).unwrap()
}

/// Alice signs in with SRP.
async fn sign_in(client: &Client) -> Session {
    client
        .sign_in_srp("alice", PASSWORD)
        .await
        .unwrap()
        .into_session()
        .unwrap()
}

fn is_timeout(err: &Error) -> bool {
    match err {
        Error::Transport(e) => e.is_timeout(),
        Error::OutcomeUnknown { cause, .. } => is_timeout(cause),
        _ => false,
    }
}

/// `err` says the outcome of `operation` is unknown.
fn assert_outcome_unknown(err: &Error, operation: &str) {
    assert!(
        matches!(err, Error::OutcomeUnknown { operation: op, .. } if *op == operation),
        "expected the outcome of {operation} to be unknown, got {err:?}"
    );
}

/// The faults after which a request may have reached the pool, and whether the pool then
/// acted on it.
const AFTER_POSSIBLE_RECEIPT: [(Act, bool); 3] = [
    (Act::CutHead, true),
    (Act::CutBody, true),
    (Act::Unavailable, false),
];

#[tokio::test]
async fn an_srp_sign_in_whose_reply_is_cut_in_the_headers_is_sent_again() {
    bounded(async {
        let server = serve(user_pool(1), first(Act::CutHead));
        let client = client_for(&server, 3);
        let session = sign_in(&client).await;
        assert_eq!(session.username, "alice");
        assert_eq!(
            server.seen(),
            ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
        );
    })
    .await
    .unwrap();
}

/// `USER_PASSWORD_AUTH` may count a failed password: sent once, whatever fails.
#[tokio::test]
async fn a_password_sign_in_is_sent_once_whatever_fails() {
    bounded(async {
        for (seed, (fault, acted)) in (20..).zip(AFTER_POSSIBLE_RECEIPT) {
            let server = serve(user_pool(seed), first(fault));
            let client = client_for(&server, 4);
            let err = client
                .sign_in_password("alice", PASSWORD)
                .await
                .unwrap_err();
            assert_outcome_unknown(&err, "InitiateAuth");
            assert_eq!(server.seen(), ["InitiateAuth"], "{fault:?}");
            assert_eq!(server.handled().len(), usize::from(acted), "{fault:?}");
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn get_user_whose_reply_is_cut_in_the_body_is_retried() {
    bounded(async {
        let server = serve(user_pool(2), |n, op| {
            if op == "GetUser" && n == 2 {
                Act::CutBody
            } else {
                Act::Pass
            }
        });
        let client = client_for(&server, 3);
        let session = sign_in(&client).await;
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, "alice");
        assert_eq!(
            server.seen(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "GetUser",
                "GetUser"
            ]
        );
        assert_eq!(server.count("GetUser"), 2);
    })
    .await
    .unwrap();
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
    .await
    .unwrap();
}

#[tokio::test]
async fn a_503_then_a_200_succeeds_after_two_requests() {
    bounded(async {
        let server = serve(user_pool(5), first(Act::Unavailable));
        let client = client_for(&server, 4);
        let session = sign_in(&client).await;
        assert_eq!(session.username, "alice");
        assert_eq!(
            server.seen(),
            ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
        );
        assert_eq!(server.handled(), ["InitiateAuth", "RespondToAuthChallenge"]);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_503_forever_gives_up_after_the_policys_attempts() {
    bounded(async {
        for attempts in [1, 3] {
            let server = serve(user_pool(6), |_, _| Act::Unavailable);
            let client = client_for(&server, attempts);
            let started = Instant::now();
            let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
            let service = err.service().unwrap_or_else(|| panic!("{err:?}"));
            assert_eq!(service.status(), 503, "{err:?}");
            assert_eq!(server.count("InitiateAuth"), attempts as usize);
            assert!(server.handled().is_empty());
            assert!(started.elapsed() < Duration::from_secs(10));
        }
    })
    .await
    .unwrap();
}

/// A 5xx from a proxy in front of Cognito does not say whether Cognito saw the answer: a
/// challenge answer (an MFA code is single-use) must not be resent.
#[tokio::test]
async fn a_503_to_a_challenge_answer_is_not_resent() {
    bounded(async {
        let server = serve(user_pool(7), on_answers(Act::Unavailable));
        let client = client_for(&server, 4);
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert_outcome_unknown(&err, "RespondToAuthChallenge");
        assert_eq!(server.count("RespondToAuthChallenge"), 1, "{err:?}");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    bounded(async {
        let server = serve(user_pool(8), |_, _| Act::Hang);
        let client = Client::with_options(
            config(server.url()),
            Options {
                request_timeout: Duration::from_millis(300),
                ..quick_retries(2)
            },
        )
        .unwrap();
        let started = Instant::now();
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert!(is_timeout(&err), "{err:?}");
        // Two attempts of 300 ms and a short backoff; generously bounded.
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{:?}",
            started.elapsed()
        );
        assert_eq!(server.seen(), ["InitiateAuth", "InitiateAuth"]);

        // A password sign-in that times out may have counted: its outcome is unknown.
        let server = serve(user_pool(18), |_, _| Act::Hang);
        let client = Client::with_options(
            config(server.url()),
            Options {
                request_timeout: Duration::from_millis(300),
                ..quick_retries(2)
            },
        )
        .unwrap();
        let err = client
            .sign_in_password("alice", PASSWORD)
            .await
            .unwrap_err();
        assert_outcome_unknown(&err, "InitiateAuth");
        assert!(is_timeout(&err), "{err:?}");
        assert_eq!(server.seen(), ["InitiateAuth"]);
    })
    .await
    .unwrap();
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
    .await
    .unwrap();
}

/// `SignUp`, `ForgotPassword` and `ConfirmForgotPassword` change state or send a message: after
/// a cut reply or a 503 each is sent exactly once and its outcome is unknown (the pool did act
/// on a cut one: the user exists, the code was sent, the password was reset). Throttled, each is
/// sent again; and a connection that was never made is tried again too.
#[tokio::test]
async fn sign_up_and_password_resets_are_sent_exactly_once() {
    bounded(async {
        let operations = ["SignUp", "ForgotPassword", "ConfirmForgotPassword"];
        for (n, operation) in operations.into_iter().enumerate() {
            for (seed, (fault, acted)) in (30 + 10 * n as u64..).zip(AFTER_POSSIBLE_RECEIPT) {
                let server = serve(user_pool(seed), move |_, op| {
                    if op == operation { fault } else { Act::Pass }
                });
                let client = client_for(&server, 4);
                let err = account_call(&client, &server, operation).await.unwrap_err();
                assert_outcome_unknown(&err, operation);
                assert_eq!(server.count(operation), 1, "{operation} {fault:?}");
                let handled = server.handled().iter().filter(|o| *o == operation).count();
                assert_eq!(handled, usize::from(acted), "{operation} {fault:?}");
            }
            // Throttled once: the pool did not act, so the request is sent again.
            let throttled = AtomicBool::new(false);
            let server = serve(user_pool(60 + n as u64), move |_, op| {
                if op == operation && !throttled.swap(true, Ordering::SeqCst) {
                    Act::Throttle
                } else {
                    Act::Pass
                }
            });
            let client = client_for(&server, 4);
            account_call(&client, &server, operation).await.unwrap();
            assert!(
                server.count(operation) >= 2,
                "{operation}: {:?}",
                server.seen()
            );
        }
        // Never connected: sent again, then the transport's error (not "outcome unknown").
        let client =
            Client::with_options(config(&refused_url().unwrap()), quick_retries(2)).unwrap();
        let err = client.sign_up("carol", PASSWORD, &[]).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    })
    .await
    .unwrap();
}

/// Runs `operation` for a new user "bob" (SignUp) or for alice (the password resets; the reset
/// code is asked for first, without faults, when the operation is ConfirmForgotPassword).
async fn account_call(
    client: &Client,
    server: &ScriptedServer,
    operation: &str,
) -> Result<(), Error> {
    match operation {
        "SignUp" => client.sign_up("bob", PASSWORD, &[]).await.map(drop),
        "ForgotPassword" => client.forgot_password("alice").await.map(drop),
        _ => {
            client.forgot_password("alice").await.unwrap();
            let code = server
                .with_pool(|pool| pool.last_code_sent("alice"))
                .expect("a reset code was sent");
            client
                .confirm_forgot_password("alice", &code, "N3w-Passw0rd!")
                .await
        }
    }
}

#[test]
fn blocking_client_under_faults() {
    // Cut reply to a request that is harmless twice: sent again.
    let server = serve(user_pool(10), first(Act::CutBody));
    let client = blocking_client_for(&server, 3);
    let session = client
        .sign_in(SignInRequest::srp("alice", PASSWORD))
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(session.username, "alice");
    assert_eq!(
        server.seen(),
        ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
    );

    // Cut reply to a sign-up: sent once, outcome unknown.
    let server = serve(user_pool(15), first(Act::CutBody));
    let client = blocking_client_for(&server, 3);
    let err = client.sign_up("bob", PASSWORD, &[]).unwrap_err();
    assert_outcome_unknown(&err, "SignUp");
    assert_eq!(server.seen(), ["SignUp"]);

    // Cut reply to a challenge answer: not resent.
    let server = serve(user_pool(11), on_answers(Act::CutHead));
    let client = blocking_client_for(&server, 3);
    let err = client.sign_in_srp("alice", PASSWORD).unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(server.seen(), ["InitiateAuth", "RespondToAuthChallenge"]);

    // 503 forever to a request that is harmless twice: bounded attempts.
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
            ..quick_retries(1)
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
