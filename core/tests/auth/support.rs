//! Fixtures shared by the auth tests: app clients, SRP ephemerals, scripted server replies, the
//! public reference vectors, and helpers that drive a flow and read back what it wrote.

use std::sync::OnceLock;

use cognito_core::Error;
use cognito_core::auth::{Answer, ClientConfig, SignIn, Step};
use cognito_core::capacity::Capacities;
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Operation, Request, ServiceError};
use serde_json::{Value, json};

pub(crate) const NOW: UnixTime = UnixTime::from_secs(1_767_600_547);
pub(crate) const POOL: &str = "us-east-1_TestPool1";
pub(crate) const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
pub(crate) const SECRET: &str = "s3cr3t";
/// `USER_ID_FOR_SRP` (and the challenges' `USERNAME`) of the scripted replies.
pub(crate) const USER: &str = "7759a453-7646-45bd-921e-1345803f1f6c";

/// The public app client.
pub(crate) fn config() -> &'static ClientConfig {
    static CONFIG: OnceLock<ClientConfig> = OnceLock::new();
    CONFIG.get_or_init(|| ClientConfig::new(POOL, CLIENT).unwrap())
}

/// The same app client with a secret.
pub(crate) fn secret_config() -> &'static ClientConfig {
    static CONFIG: OnceLock<ClientConfig> = OnceLock::new();
    CONFIG.get_or_init(|| config().clone().with_client_secret(SECRET).unwrap())
}

/// A deterministic SRP ephemeral key pair.
pub(crate) fn eph(seed: u8) -> SrpEphemeral {
    SrpEphemeral::from_secret_bytes(&[seed; 128]).unwrap()
}

/// `PASSWORD_VERIFIER` parameters (short, valid values; not a reference vector).
pub(crate) fn verifier_params() -> Value {
    json!({
        "SALT": "3bd20719046072d4019deda9dfd762fa",
        "SRP_B": "dac9c848e29fd963bf31a847c39d634c1da1f1f18054713f2919d4468b77",
        "SECRET_BLOCK": "ecPPwllx3mUvko+bow2UTWd7bAFiTRKC",
        "USER_ID_FOR_SRP": USER,
        "USERNAME": USER,
    })
}

/// A challenge reply.
pub(crate) fn challenge(name: &str, session: Option<&str>, params: Value) -> Value {
    let mut v = json!({"ChallengeName": name, "ChallengeParameters": params});
    if let Some(s) = session {
        v["Session"] = json!(s);
    }
    v
}

/// A signed-in reply.
pub(crate) fn tokens() -> Value {
    json!({"AuthenticationResult": {"AccessToken": "a.b.c", "IdToken": "i.d.t", "RefreshToken": "r", "ExpiresIn": 3600, "TokenType": "Bearer"}})
}

/// A request body as JSON.
pub(crate) fn body_json(request: &Request<'_>) -> Value {
    serde_json::from_slice(request.body).expect("a request body is JSON")
}

/// Writes the pending automatic request and returns (operation, JSON).
pub(crate) fn write<L: Capacities>(flow: &mut SignIn<L>) -> (Operation, Value) {
    let mut buf = vec![0u8; 16 * 1024];
    let r = flow.write_request(&mut buf).unwrap();
    (r.operation, body_json(&r))
}

/// Answers the waiting challenge and returns (operation, JSON).
pub(crate) fn answer<L: Capacities>(flow: &mut SignIn<L>, a: &Answer<'_>) -> (Operation, Value) {
    let mut buf = vec![0u8; 16 * 1024];
    let r = flow.answer(a, &mut buf).unwrap();
    (r.operation, body_json(&r))
}

/// Feeds a 200 reply and returns a short description of the step.
pub(crate) fn feed<L: Capacities>(flow: &mut SignIn<L>, reply: &Value) -> Result<String, Error> {
    let body = serde_json::to_vec(reply).unwrap();
    flow.handle_response(&HttpResponse::new(200, &body), NOW)
        .map(|step| match step {
            Step::SendRequest => "send".to_owned(),
            Step::Challenge(c) => format!("challenge {}", c.name()),
            Step::TotpSecret(s) => format!("totp {s}"),
            Step::AnswerRefused(e) => format!("refused {}", e.name()),
            Step::DeviceForgotten => "device forgotten".to_owned(),
            Step::Authenticated(t) => format!("tokens {}", t.access_token),
            other => format!("{other:?}"),
        })
}

/// The `400` reply with Cognito's error `name`.
pub(crate) fn error_body(name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"__type": name, "message": "m"})).unwrap()
}

/// Feeds Cognito's error `name`, which the flow must report as an error.
pub(crate) fn feed_error<L: Capacities>(flow: &mut SignIn<L>, name: &str) -> Error {
    flow.handle_response(&HttpResponse::new(400, &error_body(name)), NOW)
        .unwrap_err()
}

/// Feeds Cognito's error `name`, which must refuse the answer and leave the challenge waiting.
pub(crate) fn feed_refused<L: Capacities>(flow: &mut SignIn<L>, name: &str) -> ServiceError {
    let refused = match flow.handle_response(&HttpResponse::new(400, &error_body(name)), NOW) {
        Ok(Step::AnswerRefused(e)) => e,
        other => panic!("{name}: expected AnswerRefused, got {other:?}"),
    };
    assert_eq!(refused.name(), name);
    assert_eq!(refused.status(), 400);
    assert!(flow.awaits_answer(), "{name}: the challenge waits again");
    assert!(!flow.is_finished());
    refused
}

/// The public reference vectors (`tests/vectors/srp-public.json`).
pub(crate) fn vectors() -> &'static Value {
    static FILE: OnceLock<Value> = OnceLock::new();
    FILE.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/vectors/srp-public.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap()
    })
}

/// The sign-in case `id` of the reference vectors.
pub(crate) fn srp_case(id: &str) -> &'static Value {
    vectors()["srp_cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no case {id}"))
}

/// A string member of a vector case.
pub(crate) fn text<'v>(case: &'v Value, key: &str) -> &'v str {
    case[key]
        .as_str()
        .unwrap_or_else(|| panic!("{} has no string {key}", case["id"]))
}

/// The SRP ephemeral of a vector case (`small_a_hex`, left-padded to 128 bytes).
pub(crate) fn case_ephemeral(case: &Value) -> SrpEphemeral {
    let hex = text(case, "small_a_hex");
    let hex = if hex.len() % 2 == 1 {
        format!("0{hex}")
    } else {
        hex.to_owned()
    };
    let raw = hex_bytes(&hex);
    let mut a = [0u8; 128];
    a[128 - raw.len()..].copy_from_slice(&raw);
    SrpEphemeral::from_secret_bytes(&a).unwrap()
}

/// Bytes from (even-length) hex.
pub(crate) fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// The `PASSWORD_VERIFIER` reply of a vector case, with `secret_block` as its `SECRET_BLOCK`.
pub(crate) fn case_verifier(case: &Value, secret_block: &str) -> Value {
    let user_id = text(case, "user_id_for_srp");
    challenge(
        "PASSWORD_VERIFIER",
        None,
        json!({
            "SALT": text(case, "salt_hex"),
            "SRP_B": text(case, "srp_b_hex"),
            "SECRET_BLOCK": secret_block,
            "USER_ID_FOR_SRP": user_id,
            "USERNAME": user_id,
        }),
    )
}
