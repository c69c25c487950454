//! SECRET_BLOCKs as large as Cognito's, larger, and larger than a flow keeps: the emulator's
//! size is a pool setting (`UserPool::set_secret_block_len`, by default 1,280 bytes = 1,708
//! base64 characters, within the 900–1,724 Cognito was seen to send), and the core's `SignIn`
//! keeps it in a capacity its `Limits` choose (4,096 by default).

use cognito_core::auth::{ClientConfig, SignIn};
use cognito_core::capacity::{Capacities, Limits};
use cognito_core::{Error, ProtocolError};
use cognito_tests::fixtures::driver::{DriveError, Pair, SignedIn};
use cognito_tests::pool::{AppClientOptions, DEFAULT_SECRET_BLOCK_BYTES, DeviceTracking, UserPool};

use crate::support::{confirm_offered_device, eph, rng};

const POOL_ID: &str = "ap-southeast-2_BlockPool";
const CLIENT_ID: &str = "blockclient000000000000000";
const PASSWORD: &str = "Passw0rd!";

fn pair(seed: u64) -> Pair {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: None,
            device_tracking: DeviceTracking::Always,
        },
    );
    pool.add_user("erin", PASSWORD);
    Pair::new(pool)
}

fn config() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

/// The lengths of the `PASSWORD_CLAIM_SECRET_BLOCK`s the pool received, in order.
fn claimed_block_lens(pool: &UserPool) -> Vec<usize> {
    pool.requests()
        .iter()
        .filter_map(|r| r.body["ChallengeResponses"]["PASSWORD_CLAIM_SECRET_BLOCK"].as_str())
        .map(str::len)
        .collect()
}

#[test]
fn the_default_secret_block_is_as_large_as_cognitos() {
    let mut pair = pair(1);
    assert_eq!(pair.pool.secret_block_len(), DEFAULT_SECRET_BLOCK_BYTES);
    let mut flow: SignIn = SignIn::srp(&config(), "erin", PASSWORD, eph(&mut rng(1))).unwrap();
    pair.sign_in(&mut flow, |_, _| None).unwrap();
    assert_eq!(claimed_block_lens(&pair.pool), [1708]);
}

#[test]
fn a_2_kib_secret_block_signs_in_with_the_default_capacities() {
    let mut pair = pair(2);
    pair.pool.set_secret_block_len(2048);
    let config = config();
    let mut rng = rng(2);
    let mut flow: SignIn = SignIn::srp(&config, "erin", PASSWORD, eph(&mut rng)).unwrap();
    let signed = pair.sign_in(&mut flow, |_, _| None).unwrap();
    assert!(
        pair.pool
            .verify_access_token(&signed.tokens.access_token)
            .is_some()
    );

    // The device proof too (DEVICE_PASSWORD_VERIFIER has a SECRET_BLOCK of the same size).
    let (device, _) = confirm_offered_device(&mut pair, &config, &signed.tokens, None, &mut rng);
    let mut flow: SignIn = SignIn::srp(&config, "erin", PASSWORD, eph(&mut rng))
        .unwrap()
        .with_device(&device, eph(&mut rng));
    pair.sign_in(&mut flow, |_, _| None).unwrap();
    assert_eq!(
        pair.transcript()[3..],
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );
    // 2,048 bytes are 2,732 base64 characters.
    assert_eq!(claimed_block_lens(&pair.pool), [2732, 2732, 2732]);
}

/// A flow whose SECRET_BLOCK capacity is `N` bytes (other capacities as the defaults).
type SecretBlockOf<const N: usize> = Limits<8192, N, 768, 1536, 2048, 8192>;

/// Signs in with a flow of capacities `L` while the pool issues SECRET_BLOCKs of `block_bytes`;
/// returns the outcome and the transcript.
fn sign_in_keeping<L: Capacities>(
    block_bytes: usize,
) -> (Result<SignedIn, DriveError>, Vec<String>) {
    let mut pair = pair(3);
    pair.pool.set_secret_block_len(block_bytes);
    let ephemeral = eph(&mut rng(3));
    let mut flow = SignIn::<L>::srp(&config(), "erin", PASSWORD, ephemeral).unwrap();
    let result = pair.sign_in_limited(&mut flow, |_, _| None);
    (result, pair.transcript())
}

#[test]
fn a_secret_block_longer_than_the_flow_keeps_is_refused() {
    let too_long = |max| {
        Err(DriveError::Core(Error::Protocol(
            ProtocolError::FieldTooLong {
                field: "SECRET_BLOCK",
                max,
            },
        )))
    };
    // A realistic SECRET_BLOCK (1,708 characters) into 1 KiB; a 2 KiB one (2,732) into 2 KiB.
    let (result, transcript) = sign_in_keeping::<SecretBlockOf<1024>>(DEFAULT_SECRET_BLOCK_BYTES);
    assert_eq!(result, too_long(1024));
    // The claim was never sent.
    assert_eq!(transcript, ["InitiateAuth"]);
    let (result, transcript) = sign_in_keeping::<SecretBlockOf<2048>>(2048);
    assert_eq!(result, too_long(2048));
    assert_eq!(transcript, ["InitiateAuth"]);
    // Just large enough is enough.
    let (result, _) = sign_in_keeping::<SecretBlockOf<2732>>(2048);
    assert!(result.is_ok(), "{result:?}");
}
