//! What the flows keep between steps, in fixed-capacity storage (`cognito_core::capacity`): the
//! defaults hold what Cognito sends, a value from the pool longer than a capacity is a protocol
//! error, a caller input longer than its capacity is misuse, and smaller capacities make smaller
//! flows.

use base64ct::{Base64, Encoding};
use cognito_core::auth::{
    ClientConfig, DeviceCredentials, DeviceRegistration, FirstFactor, MAX_DEVICE_NAME_LEN, Refresh,
    SignIn,
};
use cognito_core::capacity::{DefaultLimits, Limits, MAX_DEVICE_KEY_LEN};
use cognito_core::srp::DeviceVerifier;
use cognito_core::{Error, Misuse, ProtocolError};
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;

use crate::support::*;

/// Small capacities: Session 128, SECRET_BLOCK 64, user names 40, password 32, client metadata
/// 64, tokens 256 (the user id of the scripted replies is 36 characters).
type Small = Limits<128, 64, 40, 32, 64, 256>;

/// What firmware might choose (the example of the `capacity` module docs).
type Firmware = Limits<2048, 2048, 64, 64, 0, 2048>;

/// `PASSWORD_CLAIM_SIGNATURE` over `secret_block` for a vector case, from the HKDF key the
/// reference client derived (`intermediate.hkdf_key_hex`), computed independently of the crate.
fn expected_signature(case: &serde_json::Value, secret_block: &[u8]) -> String {
    let key = hex_bytes(case["intermediate"]["hkdf_key_hex"].as_str().unwrap());
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(text(case, "pool_name").as_bytes());
    mac.update(text(case, "user_id_for_srp").as_bytes());
    mac.update(secret_block);
    mac.update(text(case, "timestamp").as_bytes());
    Base64::encode_string(&mac.finalize().into_bytes())
}

/// Signs in with the vector case `pub-01-basic`, its `SECRET_BLOCK` replaced by `secret_block`,
/// and returns the `ChallengeResponses` of the answer.
fn answer_with_secret_block(secret_block_b64: &str) -> serde_json::Value {
    let case = srp_case("pub-01-basic");
    let config = ClientConfig::new(text(case, "pool_id"), text(case, "client_id")).unwrap();
    let mut flow: SignIn = SignIn::srp(
        &config,
        text(case, "username"),
        text(case, "password"),
        case_ephemeral(case),
    )
    .unwrap();
    write(&mut flow);
    let reply = serde_json::to_vec(&case_verifier(case, secret_block_b64)).unwrap();
    let now = cognito_core::time::UnixTime::from_millis(case["now_epoch_ms"].as_u64().unwrap());
    flow.handle_response(&cognito_core::wire::HttpResponse::new(200, &reply), now)
        .unwrap();
    write(&mut flow).1["ChallengeResponses"].clone()
}

#[test]
fn the_default_sign_in_accepts_a_2_kib_secret_block() {
    let case = srp_case("pub-01-basic");
    // The oracle agrees with the vector on the vector's own SECRET_BLOCK.
    let block = Base64::decode_vec(text(case, "secret_block_b64")).unwrap();
    assert_eq!(
        expected_signature(case, &block),
        text(case, "signature_b64")
    );
    let responses = answer_with_secret_block(text(case, "secret_block_b64"));
    assert_eq!(
        responses["PASSWORD_CLAIM_SIGNATURE"],
        text(case, "signature_b64")
    );

    // 2 KiB, more than Cognito has been seen to send (1,724 base64 characters).
    let block: Vec<u8> = (0..2048u32).map(|i| (i * 7 + 3) as u8).collect();
    let block_b64 = Base64::encode_string(&block);
    assert_eq!(block_b64.len(), 2732);
    let responses = answer_with_secret_block(&block_b64);
    assert_eq!(responses["PASSWORD_CLAIM_SECRET_BLOCK"], block_b64);
    assert_eq!(responses["TIMESTAMP"], text(case, "timestamp"));
    assert_eq!(
        responses["PASSWORD_CLAIM_SIGNATURE"],
        expected_signature(case, &block)
    );
}

/// A `Small` SRP sign-in that has sent `InitiateAuth`.
fn small_srp() -> SignIn<Small> {
    let mut flow: SignIn<Small> = SignIn::srp(config(), "alice", "pw", eph(1)).unwrap();
    write(&mut flow);
    flow
}

#[test]
fn values_from_the_pool_longer_than_the_capacity_are_protocol_errors() {
    let too_long = |field, max| Error::Protocol(ProtocolError::FieldTooLong { field, max });
    // In a PASSWORD_VERIFIER: the SECRET_BLOCK (64 base64 characters fit, 68 do not) and the
    // challenge's USERNAME (40 fit, 41 do not).
    for (key, fits, long, max) in [
        ("SECRET_BLOCK", "QUJD".repeat(16), "QUJD".repeat(17), 64),
        ("USERNAME", "u".repeat(40), "u".repeat(41), 40),
    ] {
        for (value, expected) in [
            (fits, Ok("send".to_owned())),
            (long, Err(too_long(key, max))),
        ] {
            let mut params = verifier_params();
            params[key] = json!(value);
            let mut flow = small_srp();
            let reply = challenge("PASSWORD_VERIFIER", None, params);
            assert_eq!(feed(&mut flow, &reply), expected, "{key}");
            assert_eq!(flow.is_finished(), expected.is_err());
        }
    }
    // In a challenge for the caller, the USERNAME (or USER_ID_FOR_SRP when there is none).
    for params in [
        json!({"USERNAME": "u".repeat(41)}),
        json!({"USER_ID_FOR_SRP": "u".repeat(41)}),
    ] {
        let mut flow: SignIn<Small> = SignIn::password(config(), "alice", "pw").unwrap();
        write(&mut flow);
        assert_eq!(
            feed(&mut flow, &challenge("SMS_MFA", Some("s"), params)).unwrap_err(),
            too_long("USERNAME", 40)
        );
        assert!(flow.is_finished());
    }

    // The Session, on an SRP step and on a challenge for the caller: 128 fit, 129 do not.
    let session = "s".repeat(128);
    let mut flow = small_srp();
    let reply = challenge("PASSWORD_VERIFIER", Some(&session), verifier_params());
    assert_eq!(feed(&mut flow, &reply).unwrap(), "send");
    assert_eq!(flow.session(), session);
    let session = "s".repeat(129);
    let mut flow = small_srp();
    let reply = challenge("PASSWORD_VERIFIER", Some(&session), verifier_params());
    assert_eq!(
        feed(&mut flow, &reply).unwrap_err(),
        too_long("Session", 128)
    );
    let mut flow: SignIn<Small> = SignIn::custom(config(), "alice").unwrap();
    write(&mut flow);
    let reply = challenge("CUSTOM_CHALLENGE", Some(&session), json!({}));
    assert_eq!(
        feed(&mut flow, &reply).unwrap_err(),
        too_long("Session", 128)
    );
    assert!(flow.is_finished());
}

#[test]
fn caller_inputs_longer_than_the_capacity_are_misuse() {
    let too_long = |field, max| Misuse::TooLong { field, max };
    let name = "n".repeat(41);
    let password = "p".repeat(33);
    assert_eq!(
        SignIn::<Small>::srp(config(), &name, "pw", eph(1)).unwrap_err(),
        Error::Misuse(too_long("username", 40))
    );
    assert_eq!(
        SignIn::<Small>::password(config(), "alice", &password).unwrap_err(),
        Error::Misuse(too_long("password", 32))
    );
    assert_eq!(
        SignIn::<Small>::choice(
            config(),
            "alice",
            Some(FirstFactor::Password),
            Some(&password),
            None
        )
        .unwrap_err(),
        Error::Misuse(too_long("password", 32))
    );
    assert_eq!(
        SignIn::<Small>::after_sign_up(config(), "alice", &"s".repeat(129), None).unwrap_err(),
        Error::Misuse(too_long("session", 128))
    );
    // ClientMetadata is kept as the JSON it is sent as: `{"k":"…"}` is 8 bytes more.
    let flow = SignIn::<Small>::custom(config(), "alice").unwrap();
    let fits = "v".repeat(56);
    let flow = flow.with_client_metadata(&[("k", &fits)]).unwrap();
    let long = "v".repeat(57);
    assert_eq!(
        flow.with_client_metadata(&[("k", &long)]).unwrap_err(),
        too_long("client_metadata", 64)
    );
    // The defaults.
    assert_eq!(
        SignIn::<DefaultLimits>::password(config(), &"n".repeat(769), "pw").unwrap_err(),
        Error::Misuse(too_long("username", 768))
    );
    assert_eq!(
        SignIn::<DefaultLimits>::password(config(), "alice", &"p".repeat(1537)).unwrap_err(),
        Error::Misuse(too_long("password", 1536))
    );

    // Refresh: the token and user name by the flow's capacity, the device key by the protocol.
    assert_eq!(
        Refresh::<Small>::new(config(), &"t".repeat(257)).unwrap_err(),
        Error::Misuse(too_long("refresh_token", 256))
    );
    let refresh = Refresh::<Small>::new(config(), &"t".repeat(256)).unwrap();
    let refresh = refresh.with_username(&"n".repeat(40)).unwrap();
    assert_eq!(
        refresh.with_username(&name).unwrap_err(),
        too_long("username", 40)
    );
    let refresh = Refresh::<Small>::new(config(), "t").unwrap();
    assert_eq!(
        refresh
            .with_device_key(&"k".repeat(MAX_DEVICE_KEY_LEN + 1))
            .unwrap_err(),
        too_long("device_key", MAX_DEVICE_KEY_LEN)
    );

    // DeviceRegistration: the access token by the flow's capacity, the name by the protocol.
    let registration = |access_token: &str| {
        let verifier = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
        let device =
            DeviceCredentials::new("us-east-1_dev", "-grp", verifier.device_password()).unwrap();
        DeviceRegistration::<Small>::with_verifier(config(), access_token, device, verifier)
    };
    assert_eq!(
        registration(&"t".repeat(257)).unwrap_err(),
        Error::Misuse(too_long("access_token", 256))
    );
    let registration = registration(&"t".repeat(256)).unwrap();
    assert_eq!(
        registration
            .with_device_name(&"d".repeat(MAX_DEVICE_NAME_LEN + 1))
            .unwrap_err(),
        too_long("device_name", MAX_DEVICE_NAME_LEN)
    );
    assert_eq!(
        DeviceCredentials::new(&"k".repeat(MAX_DEVICE_KEY_LEN + 1), "-grp", "pw").unwrap_err(),
        too_long("device_key", MAX_DEVICE_KEY_LEN)
    );
}

#[test]
fn smaller_limits_make_smaller_flows() {
    let sizes = [
        ("SignIn", size_of::<SignIn>(), size_of::<SignIn<Small>>()),
        ("Refresh", size_of::<Refresh>(), size_of::<Refresh<Small>>()),
        (
            "DeviceRegistration",
            size_of::<DeviceRegistration>(),
            size_of::<DeviceRegistration<Small>>(),
        ),
    ];
    for (flow, default, small) in sizes {
        // Printed for the benchmark notes, not asserted.
        eprintln!("size_of::<{flow}>() = {default}, size_of::<{flow}<Small>>() = {small}");
        assert!(small < default, "{flow}");
    }
    // Firmware that picks its capacities gets a sign-in that fits a 16 KiB RAM budget.
    eprintln!(
        "size_of::<SignIn<Firmware>>() = {}",
        size_of::<SignIn<Firmware>>()
    );
    assert!(size_of::<SignIn<Firmware>>() < size_of::<SignIn>());
    assert!(
        size_of::<SignIn<Firmware>>() < 16 * 1024,
        "the flow fits the firmware RAM budget"
    );
}
