//! The std adapter against the HTTP emulator (loopback): SRP with a server clock hours ahead,
//! MFA answered through `PendingSignIn`, device confirmation then device SRP, refresh through
//! `get_valid_tokens`, throttled replies retried, the file store, and the blocking client.

use std::time::Duration;

use cognito_std::{
    Client, CodeKind, Config, Error, FileStore, Options, RetryPolicy, SessionStore, SignInAnswer,
    SignInRequest, SignInStep, blocking,
};
use cognito_tests::fixtures::{
    Act, ScriptedServer, bounded, last_code, last_request, operations, pool_with_client,
    refused_url, unix_now, with_pool, wrong_code,
};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{DeviceTracking, MfaConfiguration, MfaMode, UserOptions, UserPool};

use crate::support::quick_retries;

const POOL_ID: &str = "us-east-1_StdPool";
const CLIENT_ID: &str = "stdclient00000000000000000";
const SECRET: &str = "stdsecret000000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PHONE: &str = "+15555550123";

/// A pool with one app client and alice.
fn pool(seed: u64, secret: Option<&str>, tracking: DeviceTracking) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, secret, tracking);
    pool.add_user("alice", PASSWORD);
    pool
}

/// A pool whose public app client asks alice for SMS MFA.
fn sms_mfa_pool(seed: u64) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, DeviceTracking::Off);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: true,
        software_token: true,
        email: true,
    });
    pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            phone_number: Some(PHONE.into()),
            sms_mfa: true,
            ..UserOptions::default()
        },
    );
    pool
}

fn config(server_url: &str, secret: Option<&str>) -> Config {
    let config = Config::new(POOL_ID, CLIENT_ID).with_endpoint(server_url);
    match secret {
        Some(s) => config.with_client_secret(s),
        None => config,
    }
}

#[tokio::test]
async fn srp_sign_in_with_the_server_clock_hours_ahead() {
    bounded(async {
        let server =
            EmulatorServer::start(pool(1, Some(SECRET), DeviceTracking::Off), "127.0.0.1:0")
                .unwrap();
        // The server's clock is two hours ahead: the SRP TIMESTAMP must follow its Date header.
        server.set_time(unix_now() + 7_200);
        let client = Client::new(config(&server.url(), Some(SECRET))).unwrap();
        let pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        let session = pending
            .into_session()
            .expect("signed in without challenges");
        assert_eq!(session.username, "alice");
        assert!(session.refresh_token.is_some());
        assert!(session.device.is_none());
        assert!((client.server_clock_offset() - 7_200).abs() <= 5);
        assert!((session.clock_drift_secs + 7_200).abs() <= 5, "{session:?}");
        // The local expiry is about an hour from now on the local clock.
        let left = session.expires_at.saturating_sub(unix_now());
        assert!((3_000..=3_700).contains(&left), "{left}");
        assert_eq!(
            operations(&server),
            ["InitiateAuth", "RespondToAuthChallenge PASSWORD_VERIFIER"]
        );

        // Account operations on the session.
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, "alice");
        assert!(user.attribute("sub").is_some());

        // A wrong password is Cognito's NotAuthorized, not retried.
        let err = client
            .sign_in_srp("alice", "wrong-Passw0rd")
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn sms_mfa_answered_through_the_pending_sign_in() {
    bounded(async {
        let server = EmulatorServer::start(sms_mfa_pool(2), "127.0.0.1:0").unwrap();
        let client = Client::new(config(&server.url(), None)).unwrap();
        let mut pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        let SignInStep::MfaCode {
            kind, destination, ..
        } = pending.step()
        else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(*kind, CodeKind::SmsMfa);
        assert!(destination.is_some());

        // A wrong code: the error comes back and the step stays.
        let code = last_code(&server, PHONE).unwrap();
        let err = pending
            .answer(SignInAnswer::code(wrong_code(&code)))
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "CodeMismatchException");
        assert!(err.is_answer_refused(), "{err:?}");
        assert!(matches!(pending.step(), SignInStep::MfaCode { .. }));

        let step = pending.answer(SignInAnswer::code(code)).await.unwrap();
        assert!(matches!(step, SignInStep::Done(_)), "{step:?}");
        // A finished sign-in takes no more answers.
        let again = pending.answer(SignInAnswer::code("123456")).await;
        assert!(matches!(again, Err(Error::SignInFinished)), "{again:?}");
        let session = pending.into_session().unwrap();
        assert_eq!(session.username, "alice");
        assert_eq!(
            operations(&server),
            [
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "RespondToAuthChallenge SMS_MFA",
                "RespondToAuthChallenge SMS_MFA",
            ]
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn device_confirmed_then_device_srp_and_refresh_with_the_device_key() {
    bounded(async {
        let server = EmulatorServer::start(
            pool(3, Some(SECRET), DeviceTracking::UserOptIn),
            "127.0.0.1:0",
        )
        .unwrap();
        let client = Client::new(config(&server.url(), Some(SECRET))).unwrap();
        let session = client
            .sign_in_srp("alice", PASSWORD)
            .await
            .unwrap()
            .into_session()
            .unwrap();
        let device = session.device.clone().expect("device confirmed");
        let info = with_pool(&server, |pool| pool.device_info(&device.key)).unwrap();
        assert!(info.confirmed);
        assert_eq!(info.remembered, Some(true));
        assert_eq!(info.name.as_deref(), Some("cognito-std"));
        assert_eq!(
            operations(&server)[2..],
            ["ConfirmDevice", "UpdateDeviceStatus"]
        );

        // Next time the device proves itself with device SRP.
        let mut session = client
            .sign_in(SignInRequest::srp("alice", PASSWORD).with_device(Some(device.clone())))
            .await
            .unwrap()
            .into_session()
            .unwrap();
        assert_eq!(session.device.as_ref().unwrap().key, device.key);
        let ops = operations(&server);
        assert_eq!(
            ops[4..],
            [
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "RespondToAuthChallenge DEVICE_SRP_AUTH",
                "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
            ]
        );

        // Tokens about to expire are refreshed with the device key and SECRET_HASH; the refresh
        // token is kept.
        let refresh_token = session.refresh_token.clone();
        let valid = client.get_valid_tokens(&mut session).await.unwrap();
        assert_eq!(valid.access_token, session.access_token);
        assert_eq!(
            operations(&server).len(),
            8,
            "valid tokens are not refreshed"
        );
        session.expires_at = unix_now();
        let valid = client.get_valid_tokens(&mut session).await.unwrap();
        assert_eq!(valid.access_token, session.access_token);
        assert_eq!(session.refresh_token, refresh_token);
        assert!(session.expires_at > unix_now() + 3_000);
        let last = last_request(&server).unwrap();
        assert_eq!(last.operation, "InitiateAuth");
        assert_eq!(last.body["AuthFlow"], "REFRESH_TOKEN_AUTH");
        assert_eq!(
            last.body["AuthParameters"]["DEVICE_KEY"],
            device.key.as_str()
        );
        assert!(last.body["AuthParameters"]["SECRET_HASH"].is_string());

        // The device is listed, then forgotten.
        let page = client
            .list_devices(&session.access_token, None, None)
            .await
            .unwrap();
        assert_eq!(page.devices.len(), 1);
        assert_eq!(page.devices[0].key, device.key);
        client
            .forget_device(&session.access_token, &device.key)
            .await
            .unwrap();
    })
    .await
    .unwrap();
}

/// A loopback server that answers the first `throttled` requests with
/// `TooManyRequestsException` and passes the rest to `pool`.
fn throttling_server(pool: UserPool, throttled: usize) -> ScriptedServer {
    ScriptedServer::start(pool, move |n, _| {
        if n < throttled {
            Act::Throttle
        } else {
            Act::Pass
        }
    })
    .unwrap()
}

#[tokio::test]
async fn throttled_replies_are_retried_within_bounds() {
    bounded(async {
        let mut pool = pool(4, None, DeviceTracking::Off);
        pool.set_time(unix_now());
        let server = throttling_server(pool, 2);
        let options = Options {
            retry: RetryPolicy {
                max_attempts: 3,
                base_delay: Duration::from_millis(10),
                max_delay: Duration::from_millis(50),
                max_elapsed: Duration::from_secs(10),
            },
            ..Options::default()
        };
        let client = Client::with_options(config(server.url(), None), options.clone()).unwrap();
        let session = client
            .sign_in_srp("alice", PASSWORD)
            .await
            .unwrap()
            .into_session()
            .unwrap();
        assert_eq!(session.username, "alice");
        // Two throttled InitiateAuths, then InitiateAuth and PASSWORD_VERIFIER.
        assert_eq!(server.seen().len(), 4);

        // More throttling than attempts: the service error comes through.
        let mut pool = self::pool(5, None, DeviceTracking::Off);
        pool.set_time(unix_now());
        let server = throttling_server(pool, 10);
        let client = Client::with_options(config(server.url(), None), options).unwrap();
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "TooManyRequestsException");
        assert_eq!(server.seen().len(), 3);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_lost_challenge_answer_is_not_resent() {
    bounded(async {
        let mut pool = pool(8, None, DeviceTracking::Off);
        pool.set_time(unix_now());
        // InitiateAuth is answered; the first RespondToAuthChallenge is read and never answered.
        let server = ScriptedServer::start(pool, |_, operation| {
            if operation == "RespondToAuthChallenge" {
                Act::Hang
            } else {
                Act::Pass
            }
        })
        .unwrap();
        let options = Options {
            request_timeout: Duration::from_millis(500),
            ..Options::default()
        };
        let client = Client::with_options(config(server.url(), None), options).unwrap();
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert!(
            matches!(
                err,
                Error::OutcomeUnknown {
                    operation: "RespondToAuthChallenge",
                    ..
                }
            ),
            "{err:?}"
        );
        // InitiateAuth once, the answer once: not resent.
        assert_eq!(server.seen().len(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn transport_errors_are_retried_for_other_operations() {
    bounded(async {
        // Nothing listens on this port (bound, then closed): connections are refused.
        let url = refused_url().unwrap();
        let client = Client::with_options(config(&url, None), quick_retries(3)).unwrap();
        let err = client.sign_in_srp("alice", PASSWORD).await.unwrap_err();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
    })
    .await
    .unwrap();
}

#[test]
fn file_store_round_trip_with_owner_only_permissions() {
    let server =
        EmulatorServer::start(pool(6, None, DeviceTracking::Always), "127.0.0.1:0").unwrap();
    let client = blocking::Client::new(config(&server.url(), None)).unwrap();
    let session = client
        .sign_in_srp("alice", PASSWORD)
        .unwrap()
        .into_session()
        .unwrap();
    assert!(session.device.is_some());

    let dir = tempfile::tempdir().unwrap();
    let store = FileStore::new(dir.path().join("session.json"));
    assert!(store.load().unwrap().is_none());
    store.save(&session).unwrap();
    store.save(&session).unwrap(); // replaces atomically
    assert_eq!(store.load().unwrap().unwrap(), session);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(store.path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // No temporary files left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    store.clear().unwrap();
    assert!(store.load().unwrap().is_none());
    // Debug output never shows tokens or the device password.
    let debug = format!("{session:?}");
    assert!(!debug.contains(&session.access_token));
    assert!(!debug.contains(&session.device.as_ref().unwrap().password));
}

#[test]
fn blocking_client_signs_in_answers_mfa_and_refreshes() {
    let server = EmulatorServer::start(sms_mfa_pool(7), "127.0.0.1:0").unwrap();
    let client = blocking::Client::new(config(&server.url(), None)).unwrap();
    let mut pending = client.sign_in_srp("alice", PASSWORD).unwrap();
    assert!(matches!(
        pending.step(),
        SignInStep::MfaCode {
            kind: CodeKind::SmsMfa,
            ..
        }
    ));
    let code = last_code(&server, PHONE).unwrap();
    pending.answer(SignInAnswer::code(code)).unwrap();
    let mut session = pending.into_session().unwrap();
    // Expired tokens are refreshed.
    session.expires_at = 0;
    let valid = client.get_valid_tokens(&mut session).unwrap();
    assert_eq!(valid.access_token, session.access_token);
    assert!(session.expires_at > unix_now());
    let user = client.get_user(&session.access_token).unwrap();
    assert_eq!(user.attribute("phone_number"), Some(PHONE));
    // After a global sign-out the refresh token is dead.
    client.global_sign_out(&session.access_token).unwrap();
    session.expires_at = 0;
    let err = client.get_valid_tokens(&mut session).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
}
