//! Whole sign-ins: `cognito-core`'s `SignIn` (the client) against the in-memory emulator (an
//! independent num-bigint SRP server that stores only verifiers, picks b, and checks signatures).
//! Plain, with an app-client secret, and with a remembered device (device SRP), plus the failures
//! a real pool produces.

use cognito_core::account::ForgetDevice;
use cognito_core::auth::{ClientConfig, DeviceCredentials, SignIn};
use cognito_core::wire::ErrorKind;
use cognito_tests::fixtures::driver::{DriveError, Pair, SignedIn};
use cognito_tests::pool::{AppClientOptions, DeviceTracking, UserPool};
use rand_chacha::ChaCha20Rng;

use crate::support::{confirm_offered_device, eph, kind, rng};

const POOL_ID: &str = "us-east-1_TestPool1";
const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const SECRET: &str = "1l2n0cs1q0elpb8qg9nnvbvqhdkbdu5uaanlbq1qgk3hpbtbgq0r";

/// Runs the flow to its end through the pair's loop, with the flow's clock `clock_skew` seconds
/// off the pool's; no challenge is expected.
fn run(pair: &mut Pair, mut flow: SignIn, clock_skew: i64) -> Result<SignedIn, DriveError> {
    pair.clock_skew = clock_skew;
    let signed = pair.sign_in(&mut flow, |_, _| None);
    pair.clock_skew = 0;
    let signed = signed?;
    let tokens = &signed.tokens;
    assert_eq!(tokens.token_type, "Bearer");
    assert_eq!(tokens.expires_in, 3600);
    assert!(tokens.id_token.is_some() && tokens.refresh_token.is_some());
    // The flow wiped its Session once signed in.
    assert_eq!(flow.session(), "");
    assert!(flow.is_finished());
    Ok(signed)
}

fn pair(seed: u64, options: AppClientOptions) -> (Pair, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(CLIENT_ID, options);
    let sub = pool.add_user("alice", "Passw0rd!");
    (Pair::new(pool), sub)
}

fn public() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

#[test]
fn plain_sign_in_by_username_and_by_sub() {
    for seed in 0..6 {
        let (mut pair, sub) = pair(seed, AppClientOptions::default());
        let config = public();
        let mut rng = rng(seed);
        for name in ["alice", sub.as_str()] {
            let flow = SignIn::srp(&config, name, "Passw0rd!", eph(&mut rng)).unwrap();
            let signed = run(&mut pair, flow, 0).unwrap();
            let claims = pair
                .pool
                .verify_access_token(&signed.tokens.access_token)
                .unwrap();
            assert_eq!(claims.sub, sub);
            assert_eq!(claims.client_id, CLIENT_ID);
            assert!(signed.tokens.new_device.is_none());
            assert!(signed.steps.is_empty());
        }
        assert_eq!(
            pair.pool.operations(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "InitiateAuth",
                "RespondToAuthChallenge"
            ]
        );
        assert_eq!(
            pair.transcript(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER"
            ]
        );
        // The answer names the SRP identity (the sub), not the alias that was typed.
        let answer = &pair.pool.requests()[1].body;
        assert_eq!(answer["ChallengeName"], "PASSWORD_VERIFIER");
        assert_eq!(answer["ChallengeResponses"]["USERNAME"], sub.as_str());
    }
}

#[test]
fn wrong_password_unknown_user_and_skewed_clock_are_rejected() {
    let (mut pair, _) = pair(1, AppClientOptions::default());
    let config = public();
    let mut rng = rng(1);
    let flow = SignIn::srp(&config, "alice", "passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::NotAuthorized);
    let flow = SignIn::srp(&config, "mallory", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::UserNotFound);
    // The SRP TIMESTAMP must be near the server's clock.
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(kind(run(&mut pair, flow, 3600)), ErrorKind::NotAuthorized);
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert!(
        run(&mut pair, flow, 120).is_ok(),
        "a couple of minutes of skew is tolerated"
    );
}

#[test]
fn client_secret_hashes_the_typed_name_then_the_challenge_username() {
    let options = AppClientOptions {
        secret: Some(SECRET.into()),
        ..AppClientOptions::default()
    };
    let (mut pair, sub) = pair(2, options);
    let config = public().with_client_secret(SECRET).unwrap();
    let mut rng = rng(2);
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    run(&mut pair, flow, 0).unwrap();
    let requests = pair.pool.requests();
    assert_eq!(
        requests[0].body["AuthParameters"]["SECRET_HASH"],
        cognito_tests::pool::secret_hash(SECRET, "alice", CLIENT_ID)
    );
    assert_eq!(
        requests[1].body["ChallengeResponses"]["SECRET_HASH"],
        cognito_tests::pool::secret_hash(SECRET, &sub, CLIENT_ID)
    );
    // Without the secret the pool refuses.
    let flow = SignIn::srp(&public(), "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::NotAuthorized);
    // A wrong secret too.
    let wrong = public().with_client_secret("nope").unwrap();
    let flow = SignIn::srp(&wrong, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::NotAuthorized);
}

/// First sign-in offers a device; confirm it (`ConfirmDevice` through the pair); return what the
/// device persists.
fn remember_device(
    pair: &mut Pair,
    config: &ClientConfig,
    rng: &mut ChaCha20Rng,
) -> DeviceCredentials {
    let flow = SignIn::srp(config, "alice", "Passw0rd!", eph(rng)).unwrap();
    let signed = run(pair, flow, 0).unwrap();
    let (device, opt_in) =
        confirm_offered_device(pair, config, &signed.tokens, Some("thermostat"), rng);
    assert!(!opt_in, "Always tracking needs no opt-in");
    device
}

#[test]
fn remembered_device_signs_in_with_device_srp() {
    for secret in [None, Some(SECRET)] {
        let options = AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: DeviceTracking::Always,
        };
        let (mut pair, sub) = pair(3, options);
        let config = match secret {
            Some(s) => public().with_client_secret(s).unwrap(),
            None => public(),
        };
        let mut rng = rng(3);
        let device = remember_device(&mut pair, &config, &mut rng);
        let device_key = device.device_key().to_owned();
        assert!(pair.pool.device_info(&device_key).unwrap().confirmed);

        let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
            .unwrap()
            .with_device(&device, eph(&mut rng));
        let signed = run(&mut pair, flow, 0).unwrap();
        assert!(signed.tokens.new_device.is_none());
        let claims = pair
            .pool
            .verify_access_token(&signed.tokens.access_token)
            .unwrap();
        assert_eq!(claims.device_key.as_deref(), Some(device_key.as_str()));

        let requests = &pair.pool.requests()[3..];
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
        let wrong =
            DeviceCredentials::new(&device_key, device.device_group_key(), "not-it").unwrap();
        let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
            .unwrap()
            .with_device(&wrong, eph(&mut rng));
        assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::NotAuthorized);
    }
}

#[test]
fn forgotten_device_is_dropped_and_the_sign_in_starts_over() {
    let options = AppClientOptions {
        device_tracking: DeviceTracking::Always,
        ..AppClientOptions::default()
    };
    let (mut pair, _) = pair(4, options);
    let config = public();
    let mut rng = rng(4);
    let device = remember_device(&mut pair, &config, &mut rng);
    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    let signed = run(&mut pair, flow, 0).unwrap();
    let forget = ForgetDevice {
        access_token: &signed.tokens.access_token,
        device_key: device.device_key(),
    };
    pair.call(&config, forget, |()| ()).unwrap();
    assert!(pair.pool.device_info(device.device_key()).is_none());

    let flow = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
        .unwrap()
        .with_device(&device, eph(&mut rng));
    let signed = run(&mut pair, flow, 0).unwrap();
    assert_eq!(
        signed.steps,
        ["DEVICE_FORGOTTEN"],
        "the caller learns the device was forgotten"
    );
    // The restart went without DEVICE_KEY, and the pool offers a new device.
    let last_initiate = pair
        .pool
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
    assert!(signed.tokens.new_device.is_some());
}

#[test]
fn random_users_and_passwords() {
    use rand::Rng;
    let mut rng = rng(5);
    let mut pool = UserPool::new(POOL_ID, 5);
    pool.add_client(CLIENT_ID, None);
    let mut pair = Pair::new(pool);
    let config = public();
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
        pair.pool.add_user(&name, &password);
        let flow = SignIn::srp(&config, &name, &password, eph(&mut rng)).unwrap();
        run(&mut pair, flow, 0).unwrap_or_else(|e| panic!("{name} / {password:?}: {e}"));
        let wrong = format!("{password}!");
        let flow = SignIn::srp(&config, &name, &wrong, eph(&mut rng)).unwrap();
        assert_eq!(kind(run(&mut pair, flow, 0)), ErrorKind::NotAuthorized);
    }
}
