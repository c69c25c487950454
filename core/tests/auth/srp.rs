//! The SRP sign-in state machine against malicious, broken and out-of-order input: every case is a
//! typed error (or a challenge handed over), never a panic.

use cognito_core::auth::{ChallengeName, ClientConfig, DeviceCredentials, SignIn, Step};
use cognito_core::capacity::DefaultLimits;
use cognito_core::wire::{ErrorKind, HttpResponse, Operation};
use cognito_core::{Error, Misuse, ProtocolError};
use proptest::prelude::*;
use serde_json::{Value, json};

use crate::support::*;

const N_HEX: &str = "ffffffffffffffffc90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b139b22514a08798e3404ddef9519b3cd3a431b302b0a6df25f14374fe1356d6d51c245e485b576625e7ec6f44c42e9a637ed6b0bff5cb6f406b7edee386bfb5a899fa5ae9f24117c4b1fe649286651ece45b3dc2007cb8a163bf0598da48361c55d39a69163fa8fd24cf5f83655d23dca3ad961c62f356208552bb9ed529077096966d670c354e4abc9804f1746c08ca18217c32905e462e36ce3be39e772c180e86039b2783a2ec07a28fb5c55df06f4c52c9de2bcbf6955817183995497cea956ae515d2261898fa051015728e5a8aaac42dad33170d04507a33a85521abdf1cba64ecfb850458dbef0a8aea71575d060c7db3970f85a6e1e4c7abf5ae8cdb0933d71e8c94e04a25619dcee3d2261ad2ee6bf12ffa06d98a0864d87602733ec86a64521f2b18177b200cbbe117577a615d6c770988c0bad946e208e24fa074e5ab3143db5bfce0fd108e4b82d120a93ad2caffffffffffffffff";

/// An SRP sign-in that has sent `InitiateAuth`.
fn started(config: &ClientConfig) -> SignIn {
    let mut flow: SignIn = SignIn::srp(config, "alice", "Passw0rd!", eph(7)).unwrap();
    let mut buf = [0u8; 4096];
    flow.write_request(&mut buf).unwrap();
    flow
}

/// A challenge reply without a Session, as bytes.
fn challenge_body(name: &str, params: Value) -> Vec<u8> {
    serde_json::to_vec(&challenge(name, None, params)).unwrap()
}

fn handle(flow: &mut SignIn, status: u16, body: &[u8]) -> Result<String, Error> {
    flow.handle_response(&HttpResponse::new(status, body), NOW)
        .map(|step| format!("{step:?}"))
}

fn protocol(e: Result<String, Error>) -> ProtocolError {
    match e {
        Err(Error::Protocol(p)) => p,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

fn with_param(key: &str, value: Value) -> Vec<u8> {
    let mut params = verifier_params();
    params[key] = value;
    challenge_body("PASSWORD_VERIFIER", params)
}

#[test]
fn b_zero_n_and_2n_are_rejected() {
    let n = num_bigint::BigUint::parse_bytes(N_HEX.as_bytes(), 16).unwrap();
    for b in [
        "0".to_owned(),
        "000".to_owned(),
        N_HEX.to_owned(),
        (&n * 2u8).to_str_radix(16),
    ] {
        let mut flow = started(config());
        let result = handle(&mut flow, 200, &with_param("SRP_B", json!(b)));
        assert_eq!(
            protocol(result),
            ProtocolError::UnsafeSrpValue("SRP_B"),
            "B = {b}"
        );
        assert!(flow.is_finished(), "a fatal error ends the flow");
    }
}

#[test]
fn malformed_server_values() {
    let cases: Vec<(&str, Value, ProtocolError)> = vec![
        ("SALT", json!("-1f"), ProtocolError::NegativeNumber("SALT")),
        ("SALT", json!("zz"), ProtocolError::InvalidField("SALT")),
        ("SALT", json!(""), ProtocolError::InvalidField("SALT")),
        ("SALT", json!(12), ProtocolError::InvalidField("SALT")),
        (
            "SRP_B",
            json!("-dac9"),
            ProtocolError::NegativeNumber("SRP_B"),
        ),
        (
            "SRP_B",
            json!("0xdac9"),
            ProtocolError::InvalidField("SRP_B"),
        ),
        (
            "SRP_B",
            json!("f".repeat(5000)),
            ProtocolError::FieldTooLong {
                field: "SRP_B",
                max: 0,
            },
        ),
        (
            "SECRET_BLOCK",
            json!("ecPPwllx3m"),
            ProtocolError::InvalidField("SECRET_BLOCK"),
        ),
        (
            "SECRET_BLOCK",
            json!("ecPP*llx"),
            ProtocolError::InvalidField("SECRET_BLOCK"),
        ),
        (
            "SECRET_BLOCK",
            json!(""),
            ProtocolError::InvalidField("SECRET_BLOCK"),
        ),
        (
            "SECRET_BLOCK",
            // Past the default capacity (4,096; see `capacity` for smaller ones).
            json!("QQ".repeat(2500)),
            ProtocolError::FieldTooLong {
                field: "SECRET_BLOCK",
                max: 4096,
            },
        ),
        (
            "USERNAME",
            json!("u".repeat(769)),
            ProtocolError::FieldTooLong {
                field: "USERNAME",
                max: 768,
            },
        ),
        (
            "USER_ID_FOR_SRP",
            json!("esc\\u0061ped"),
            ProtocolError::InvalidField("USER_ID_FOR_SRP"),
        ),
    ];
    for (key, value, expected) in cases {
        let mut flow = started(config());
        let body = with_param(key, value.clone());
        let got = protocol(handle(&mut flow, 200, &body));
        match expected {
            ProtocolError::FieldTooLong { field, max: 0 } => {
                assert!(
                    matches!(got, ProtocolError::FieldTooLong { field: f, .. } if f == field),
                    "{key}={value}: {got:?}"
                );
            }
            _ => assert_eq!(got, expected, "{key}={value}"),
        }
    }
}

#[test]
fn missing_parameters() {
    for key in ["SALT", "SRP_B", "SECRET_BLOCK", "USER_ID_FOR_SRP"] {
        let mut params = verifier_params();
        params.as_object_mut().unwrap().remove(key);
        let mut flow = started(config());
        let result = handle(&mut flow, 200, &challenge_body("PASSWORD_VERIFIER", params));
        assert_eq!(protocol(result), ProtocolError::MissingField(key));
    }
    let mut flow = started(config());
    let body = serde_json::to_vec(&json!({"ChallengeName": "PASSWORD_VERIFIER"})).unwrap();
    assert_eq!(
        protocol(handle(&mut flow, 200, &body)),
        ProtocolError::MissingField("USER_ID_FOR_SRP")
    );
}

#[test]
fn broken_bodies() {
    let valid = challenge_body("PASSWORD_VERIFIER", verifier_params());
    for cut in [1, 10, valid.len() / 2, valid.len() - 1] {
        let mut flow = started(config());
        assert_eq!(
            protocol(handle(&mut flow, 200, &valid[..cut])),
            ProtocolError::MalformedJson,
            "cut {cut}"
        );
    }
    for body in [
        &b"<html>502 Bad Gateway</html>"[..],
        b"null",
        b"[]",
        b"\"x\"",
        b"{\"a\":1}{}",
        b"\xff\xfe",
    ] {
        let mut flow = started(config());
        let err = handle(&mut flow, 200, body).unwrap_err();
        assert!(matches!(err, Error::Protocol(_)), "{body:?}: {err:?}");
    }
    let mut flow = started(config());
    assert_eq!(
        protocol(handle(&mut flow, 200, b"{}")),
        ProtocolError::EmptyAuthResult
    );
    let mut flow = started(config());
    assert_eq!(
        protocol(handle(&mut flow, 302, b"")),
        ProtocolError::UnexpectedStatus(302)
    );
}

#[test]
fn service_errors_are_typed_with_their_message() {
    let body =
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#;
    for status in [200, 400] {
        let mut flow = started(config());
        match handle(&mut flow, status, body) {
            Err(Error::Service(e)) => {
                assert_eq!(e.kind(), ErrorKind::NotAuthorized);
                assert_eq!(e.message(), "Incorrect username or password.");
            }
            other => panic!("{status}: {other:?}"),
        }
        assert!(flow.is_finished());
    }
    let mut flow = started(config());
    let response = HttpResponse::new(400, br#"{"message":"odd"}"#)
        .with_error_type("SomethingNewException:http://x");
    match flow.handle_response(&response, NOW) {
        Err(Error::Service(e)) => {
            assert_eq!(e.kind(), ErrorKind::Unknown);
            assert_eq!(e.name(), "SomethingNewException");
            assert_eq!(e.message(), "odd");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn throttling_keeps_the_flow_for_a_retry() {
    let mut flow = started(config());
    let body = br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
    assert!(matches!(
        handle(&mut flow, 400, body),
        Err(Error::Service(_))
    ));
    assert_eq!(flow.pending_operation(), Some(Operation::InitiateAuth));
    let mut buf = [0u8; 4096];
    assert_eq!(
        flow.write_request(&mut buf).unwrap().operation,
        Operation::InitiateAuth
    );
    assert_eq!(
        handle(
            &mut flow,
            200,
            &challenge_body("PASSWORD_VERIFIER", verifier_params())
        )
        .unwrap(),
        "SendRequest"
    );
}

#[test]
fn challenges_out_of_place() {
    // Unknown challenge, tokens, or device steps before the password was proven.
    for body in [
        challenge_body("SOMETHING_NEW", json!({})),
        challenge_body("SMS_MFA", json!({})),
        challenge_body("DEVICE_PASSWORD_VERIFIER", verifier_params()),
        challenge_body("DEVICE_SRP_AUTH", json!({})),
        serde_json::to_vec(&json!({"AuthenticationResult": {"AccessToken": "a.b.c"}})).unwrap(),
    ] {
        let mut flow = started(config());
        assert_eq!(
            protocol(handle(&mut flow, 200, &body)),
            ProtocolError::UnexpectedChallenge
        );
    }
    // A repeated PASSWORD_VERIFIER (a loop), and device SRP when no device is remembered.
    for second in [
        "PASSWORD_VERIFIER",
        "DEVICE_SRP_AUTH",
        "DEVICE_PASSWORD_VERIFIER",
    ] {
        let mut flow = started(config());
        handle(
            &mut flow,
            200,
            &challenge_body("PASSWORD_VERIFIER", verifier_params()),
        )
        .unwrap();
        let mut buf = [0u8; 4096];
        flow.write_request(&mut buf).unwrap();
        assert_eq!(
            protocol(handle(
                &mut flow,
                200,
                &challenge_body(second, verifier_params())
            )),
            ProtocolError::UnexpectedChallenge,
            "{second}"
        );
    }
}

#[test]
fn other_challenges_are_handed_over_with_session_and_parameters() {
    let mut flow = started(config());
    handle(
        &mut flow,
        200,
        &challenge_body("PASSWORD_VERIFIER", verifier_params()),
    )
    .unwrap();
    let mut buf = [0u8; 4096];
    flow.write_request(&mut buf).unwrap();
    for (name, expected) in [
        ("SMS_MFA", ChallengeName::SmsMfa),
        (
            "BRAND_NEW_CHALLENGE",
            ChallengeName::Other("BRAND_NEW_CHALLENGE"),
        ),
    ] {
        let mut flow = started(config());
        handle(
            &mut flow,
            200,
            &challenge_body("PASSWORD_VERIFIER", verifier_params()),
        )
        .unwrap();
        flow.write_request(&mut buf).unwrap();
        let body = serde_json::to_vec(&json!({
            "ChallengeName": name,
            "Session": "session-after-password",
            "ChallengeParameters": {"CODE_DELIVERY_DESTINATION": "+*******1234", "X": "y\"z"},
        }))
        .unwrap();
        match flow
            .handle_response(&HttpResponse::new(200, &body), NOW)
            .unwrap()
        {
            Step::Challenge(c) => {
                assert_eq!(c.name(), expected);
                assert_eq!(c.session(), Some("session-after-password"));
                assert!(
                    c.parameters()
                        .get("CODE_DELIVERY_DESTINATION")
                        .unwrap()
                        .eq_str("+*******1234")
                );
                assert!(c.parameters().get("X").unwrap().eq_str("y\"z"));
                assert_eq!(c.parameters().iter().count(), 2);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(flow.session(), "session-after-password");
        assert!(flow.awaits_answer() && !flow.is_finished());
    }
}

#[test]
fn out_of_order_calls_are_misuse() {
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(1)).unwrap();
    let body = challenge_body("PASSWORD_VERIFIER", verifier_params());
    assert_eq!(
        handle(&mut flow, 200, &body).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    assert_eq!(
        SignIn::<DefaultLimits>::srp(config(), "", "pw", eph(1)).unwrap_err(),
        Error::Misuse(Misuse::Empty("username"))
    );
    assert_eq!(
        SignIn::<DefaultLimits>::srp(config(), "bob", "", eph(1)).unwrap_err(),
        Error::Misuse(Misuse::Empty("password"))
    );
    let mut flow = started(config());
    let _ = handle(&mut flow, 200, b"garbage");
    let mut buf = [0u8; 4096];
    assert_eq!(
        flow.write_request(&mut buf).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    assert_eq!(
        handle(&mut flow, 200, &body).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
}

#[test]
fn small_buffers_are_untouched_and_report_the_size() {
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(1)).unwrap();
    let mut small = [0xAAu8; 100];
    let required = match flow.write_request(&mut small) {
        Err(Error::BufferTooSmall(e)) => e.required,
        other => panic!("{other:?}"),
    };
    assert!(small.iter().all(|&b| b == 0xAA));
    let mut exact = vec![0u8; required];
    assert_eq!(flow.write_request(&mut exact).unwrap().body.len(), required);
}

#[test]
fn same_inputs_same_bytes_and_secret_hash_and_device_key_are_sent() {
    let device = DeviceCredentials::new("us-east-1_dev", "-grp", "pw").unwrap();
    let run = || {
        let mut flow: SignIn = SignIn::srp(secret_config(), "alice", "pw", eph(9))
            .unwrap()
            .with_device(&device, eph(10))
            .with_client_metadata(&[("k", "v\"")])
            .unwrap();
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        out.push(flow.write_request(&mut buf).unwrap().body.to_vec());
        handle(
            &mut flow,
            200,
            &challenge_body("PASSWORD_VERIFIER", verifier_params()),
        )
        .unwrap();
        out.push(flow.write_request(&mut buf).unwrap().body.to_vec());
        out
    };
    let first = run();
    assert_eq!(first, run());
    let initiate: Value = serde_json::from_slice(&first[0]).unwrap();
    assert_eq!(initiate["AuthParameters"]["DEVICE_KEY"], "us-east-1_dev");
    assert_eq!(
        initiate["AuthParameters"]["SECRET_HASH"],
        cognito_core::SecretHash::new(SECRET, "alice", CLIENT).as_str()
    );
    assert_eq!(initiate["ClientMetadata"]["k"], "v\"");
    let answer: Value = serde_json::from_slice(&first[1]).unwrap();
    let user = USER;
    assert_eq!(answer["ChallengeResponses"]["USERNAME"], user);
    assert_eq!(answer["ChallengeResponses"]["DEVICE_KEY"], "us-east-1_dev");
    assert_eq!(
        answer["ChallengeResponses"]["SECRET_HASH"],
        cognito_core::SecretHash::new(SECRET, user, CLIENT).as_str(),
        "SECRET_HASH is over the challenge's USERNAME, not the alias"
    );
    assert!(
        answer.get("Session").is_none(),
        "no Session was sent, none is echoed"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_replies_never_panic(status in 0u16..700, body in proptest::collection::vec(any::<u8>(), 0..300)) {
        let mut flow = started(config());
        let _ = handle(&mut flow, status, &body);
    }

    #[test]
    fn arbitrary_parameters_never_panic(
        salt in "[-0-9a-fA-Fx ]{0,40}",
        b in "[-0-9a-f]{0,40}",
        block in "[A-Za-z0-9+/=]{0,40}",
        user in "\\PC{0,20}",
    ) {
        let mut flow = started(config());
        let body = challenge_body("PASSWORD_VERIFIER", json!({
            "SALT": salt, "SRP_B": b, "SECRET_BLOCK": block, "USER_ID_FOR_SRP": user,
        }));
        let _ = handle(&mut flow, 200, &body);
    }
}
