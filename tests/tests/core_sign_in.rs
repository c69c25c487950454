//! Whole sign-ins: `cognito-core`'s `SignIn` (the client) against the in-memory emulator (an
//! independent num-bigint SRP server that stores only verifiers, picks b, and checks signatures).
//! Plain, with an app-client secret, and with a remembered device (device SRP), plus the failures
//! a real pool produces.

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_core::Error;
use cognito_core::auth::{ClientConfig, ConfirmDevice, RememberedDevice, SignIn, Step};
use cognito_core::srp::{DeviceVerifier, SrpEphemeral};
use cognito_core::time::UnixTime;
use cognito_core::wire::{CONTENT_TYPE, ErrorKind, HttpResponse};
use cognito_tests::pool::{AppClientOptions, DeviceTracking, UserPool};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::json;

const POOL_ID: &str = "us-east-1_TestPool1";
const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const SECRET: &str = "1l2n0cs1q0elpb8qg9nnvbvqhdkbdu5uaanlbq1qgk3hpbtbgq0r";

/// What a finished sign-in left the test to look at.
#[derive(Debug)]
struct Signed {
    access_token: String,
    new_device: Option<(String, String)>,
    /// The flow said `Step::DeviceForgotten` on the way.
    device_forgotten: bool,
}

/// Sends a core request to the emulator and hands the reply back as an [`HttpResponse`] input.
fn exchange(pool: &mut UserPool, operation: &str, body: &[u8]) -> (u16, Option<String>, Vec<u8>) {
    let reply = pool.handle(
        &format!("AWSCognitoIdentityProviderService.{operation}"),
        CONTENT_TYPE,
        body,
    );
    (reply.status, reply.error_type, reply.body)
}

/// Runs the flow to its end, the way an adapter's run loop does: write, send, handle, repeat.
fn run(pool: &mut UserPool, mut flow: SignIn<'_>, clock_skew: i64) -> Result<Signed, Error> {
    let mut buf = vec![0u8; 8192];
    let mut device_forgotten = false;
    for _ in 0..8 {
        let request = flow.write_request(&mut buf)?;
        let (status, error_type, body) = exchange(pool, request.operation.name(), request.body);
        let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        let now = UnixTime::from_secs(pool.now().saturating_add_signed(clock_skew));
        match flow.handle_response(&response, now)? {
            Step::SendRequest => continue,
            Step::Authenticated(result) => {
                assert_eq!(result.token_type, "Bearer");
                assert_eq!(result.expires_in, 3600);
                assert!(result.id_token.is_some() && result.refresh_token.is_some());
                return Ok(Signed {
                    access_token: result.access_token.to_owned(),
                    new_device: result
                        .new_device
                        .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
                    device_forgotten,
                });
            }
            Step::DeviceForgotten => {
                device_forgotten = true;
                continue;
            }
            other => panic!("unexpected step {other:?}"),
        }
    }
    panic!("the flow did not finish in 8 round trips")
}

fn eph(rng: &mut ChaCha20Rng) -> SrpEphemeral {
    SrpEphemeral::generate(rng).unwrap()
}

fn pool(seed: u64, options: AppClientOptions) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(CLIENT_ID, options);
    let sub = pool.add_user("alice", "Passw0rd!");
    (pool, sub)
}

fn service_kind(result: Result<Signed, Error>) -> ErrorKind {
    match result {
        Err(Error::Service(e)) => e.kind(),
        other => panic!("expected a Cognito error, got {other:?}"),
    }
}

#[test]
fn plain_sign_in_by_username_and_by_sub() {
    for seed in 0..6 {
        let (mut pool, sub) = pool(seed, AppClientOptions::default());
        let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for name in ["alice", sub.as_str()] {
            let flow = SignIn::srp(&config, name, "Passw0rd!", eph(&mut rng)).unwrap();
            let signed = run(&mut pool, flow, 0).unwrap();
            let claims = pool.verify_access_token(&signed.access_token).unwrap();
            assert_eq!(claims.sub, sub);
            assert_eq!(claims.client_id, CLIENT_ID);
            assert!(signed.new_device.is_none());
        }
        assert_eq!(
            pool.operations(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "InitiateAuth",
                "RespondToAuthChallenge"
            ]
        );
        // The answer names the SRP identity (the sub), not the alias that was typed.
        let answer = &pool.requests()[1].body;
        assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
        assert_eq!(answer["ChallengeResponses"]["USERNAME"], sub.as_str());
    }
}

#[test]
fn wrong_password_unknown_user_and_skewed_clock_are_rejected() {
    let (mut pool, _) = pool(1, AppClientOptions::default());
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let flow = SignIn::srp(&config, "alice", "passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(
        service_kind(run(&mut pool, flow, 0)),
        ErrorKind::NotAuthorized
    );
    let flow = SignIn::srp(&config, "mallory", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(
        service_kind(run(&mut pool, flow, 0)),
        ErrorKind::UserNotFound
    );
    // The SRP TIMESTAMP must be near the server's clock.
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(
        service_kind(run(&mut pool, flow, 3600)),
        ErrorKind::NotAuthorized
    );
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert!(
        run(&mut pool, flow, 120).is_ok(),
        "a couple of minutes of skew is tolerated"
    );
}

#[test]
fn client_secret_hashes_the_typed_name_then_the_challenge_username() {
    let options = AppClientOptions {
        secret: Some(SECRET.into()),
        ..AppClientOptions::default()
    };
    let (mut pool, sub) = pool(2, options);
    let config = ClientConfig::new(POOL_ID, CLIENT_ID)
        .unwrap()
        .with_client_secret(SECRET);
    let mut rng = ChaCha20Rng::seed_from_u64(2);
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    run(&mut pool, flow, 0).unwrap();
    let requests = pool.requests();
    assert_eq!(
        requests[0].body["AuthParameters"]["SECRET_HASH"],
        cognito_tests::pool::secret_hash(SECRET, "alice", CLIENT_ID)
    );
    assert_eq!(
        requests[1].body["ChallengeResponses"]["SECRET_HASH"],
        cognito_tests::pool::secret_hash(SECRET, &sub, CLIENT_ID)
    );
    // Without the secret the pool refuses.
    let public = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let flow = SignIn::srp(&public, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(
        service_kind(run(&mut pool, flow, 0)),
        ErrorKind::NotAuthorized
    );
    // A wrong secret too.
    let wrong = ClientConfig::new(POOL_ID, CLIENT_ID)
        .unwrap()
        .with_client_secret("nope");
    let flow = SignIn::srp(&wrong, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(
        service_kind(run(&mut pool, flow, 0)),
        ErrorKind::NotAuthorized
    );
}

/// First sign-in offers a device; confirm it; return what the device persists.
fn remember_device(
    pool: &mut UserPool,
    config: &ClientConfig<'_>,
    rng: &mut ChaCha20Rng,
) -> (String, String, DeviceVerifier) {
    let flow = SignIn::srp(config, "alice", "Passw0rd!", eph(rng)).unwrap();
    let signed = run(pool, flow, 0).unwrap();
    let (device_key, group_key) = signed.new_device.expect("NewDeviceMetadata");
    let verifier = DeviceVerifier::generate(&group_key, &device_key, rng);
    let confirm = ConfirmDevice {
        access_token: &signed.access_token,
        device_key: &device_key,
        verifier: &verifier,
        device_name: Some("thermostat"),
    };
    let mut buf = [0u8; 2048];
    let request = confirm.write_request(&mut buf).unwrap();
    let (status, error_type, body) = exchange(pool, request.operation.name(), request.body);
    let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
    assert!(
        !ConfirmDevice::read_reply(&response).unwrap(),
        "Always tracking needs no opt-in"
    );
    (device_key, group_key, verifier)
}

#[test]
fn remembered_device_signs_in_with_device_srp() {
    for secret in [None, Some(SECRET)] {
        let options = AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: DeviceTracking::Always,
        };
        let (mut pool, sub) = pool(3, options);
        let base = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
        let config = match secret {
            Some(s) => base.with_client_secret(s),
            None => base,
        };
        let mut rng = ChaCha20Rng::seed_from_u64(3);
        let (device_key, group_key, verifier) = remember_device(&mut pool, &config, &mut rng);
        assert!(pool.device_info(&device_key).unwrap().confirmed);

        let device = RememberedDevice {
            device_key: &device_key,
            device_group_key: &group_key,
            device_password: verifier.device_password(),
        };
        let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
            .unwrap()
            .with_device(&device, eph(&mut rng));
        let signed = run(&mut pool, flow, 0).unwrap();
        assert!(signed.new_device.is_none());
        let claims = pool.verify_access_token(&signed.access_token).unwrap();
        assert_eq!(claims.device_key.as_deref(), Some(device_key.as_str()));

        let requests = &pool.requests()[3..];
        let steps: Vec<_> = requests
            .iter()
            .map(|r| {
                (
                    r.operation.as_str(),
                    r.body["ChallengeName"].as_str().unwrap_or(""),
                )
            })
            .collect();
        assert_eq!(
            steps,
            [
                ("InitiateAuth", ""),
                ("RespondToAuthChallenge", "PASSWORD_VERIFIER"),
                ("RespondToAuthChallenge", "DEVICE_SRP_AUTH"),
                ("RespondToAuthChallenge", "DEVICE_PASSWORD_VERIFIER"),
            ]
        );
        assert_eq!(
            requests[0].body["AuthParameters"]["DEVICE_KEY"],
            device_key.as_str()
        );
        for r in &requests[1..] {
            assert_eq!(
                r.body["ChallengeResponses"]["DEVICE_KEY"],
                device_key.as_str()
            );
            assert_eq!(r.body["ChallengeResponses"]["USERNAME"], sub.as_str());
            match secret {
                Some(s) => assert_eq!(
                    r.body["ChallengeResponses"]["SECRET_HASH"],
                    cognito_tests::pool::secret_hash(s, &sub, CLIENT_ID)
                ),
                None => assert!(r.body["ChallengeResponses"].get("SECRET_HASH").is_none()),
            }
        }
        // Each device step answers with the newest Session.
        assert!(requests[2].body["Session"].is_string());
        assert_ne!(requests[2].body["Session"], requests[3].body["Session"]);

        // A wrong device password fails the device proof.
        let wrong = RememberedDevice {
            device_password: "not-it",
            ..device
        };
        let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
            .unwrap()
            .with_device(&wrong, eph(&mut rng));
        assert_eq!(
            service_kind(run(&mut pool, flow, 0)),
            ErrorKind::NotAuthorized
        );
    }
}

#[test]
fn forgotten_device_is_dropped_and_the_sign_in_starts_over() {
    let options = AppClientOptions {
        device_tracking: DeviceTracking::Always,
        ..AppClientOptions::default()
    };
    let (mut pool, _) = pool(4, options);
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(4);
    let (device_key, group_key, verifier) = remember_device(&mut pool, &config, &mut rng);
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    let signed = run(&mut pool, flow, 0).unwrap();
    let forget = pool.call(
        "ForgetDevice",
        &json!({"AccessToken": signed.access_token, "DeviceKey": device_key}),
    );
    assert!(forget.is_success());

    let device = RememberedDevice {
        device_key: &device_key,
        device_group_key: &group_key,
        device_password: verifier.device_password(),
    };
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
        .unwrap()
        .with_device(&device, eph(&mut rng));
    let signed = run(&mut pool, flow, 0).unwrap();
    assert!(
        signed.device_forgotten,
        "the caller learns the device was forgotten"
    );
    // The restart went without DEVICE_KEY, and the pool offers a new device.
    let last_initiate = pool
        .requests()
        .iter()
        .rev()
        .find(|r| r.operation == "InitiateAuth")
        .unwrap();
    assert!(
        last_initiate.body["AuthParameters"]
            .get("DEVICE_KEY")
            .is_none()
    );
    assert!(signed.new_device.is_some());
}

#[test]
fn random_users_and_passwords() {
    use rand::Rng;
    let mut rng = ChaCha20Rng::seed_from_u64(5);
    let mut pool = UserPool::new(POOL_ID, 5);
    pool.add_client(CLIENT_ID, None);
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    for i in 0..12 {
        let len = rng.gen_range(1..64);
        let password: String = (0..len)
            .map(|_| {
                char::from_u32(rng.gen_range(0x21..0x3000))
                    .filter(|c| !c.is_control())
                    .unwrap_or('x')
            })
            .collect();
        let name = format!("user{i}");
        pool.add_user(&name, &password);
        let flow = SignIn::srp(&config, &name, &password, eph(&mut rng)).unwrap();
        run(&mut pool, flow, 0).unwrap_or_else(|e| panic!("{name} / {password:?}: {e}"));
        let wrong = format!("{password}!");
        let flow = SignIn::srp(&config, &name, &wrong, eph(&mut rng)).unwrap();
        assert_eq!(
            service_kind(run(&mut pool, flow, 0)),
            ErrorKind::NotAuthorized
        );
    }
}
