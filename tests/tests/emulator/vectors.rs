//! The reference `srp` module (the emulator's server side) against the vectors captured from the
//! real amazon-cognito-identity-js client (`shared/vectors/srp-public.json`).

use base64ct::{Base64, Encoding};
use cognito_tests::pool::secret_hash;
use cognito_tests::{srp, timestamp};
use num_bigint::BigUint;
use proptest::prelude::*;
use serde_json::Value;

fn vectors() -> Option<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/vectors/srp-public.json"
    );
    match std::fs::read_to_string(path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("vectors are JSON")),
        Err(error) => {
            eprintln!("note: {path} not readable ({error}); skipping vector tests");
            None
        }
    }
}

fn text<'a>(case: &'a Value, name: &str) -> &'a str {
    case[name]
        .as_str()
        .unwrap_or_else(|| panic!("{}: field {name} missing", case["id"]))
}

fn int(case: &Value, name: &str) -> BigUint {
    srp::parse_hex(text(case, name)).unwrap_or_else(|| panic!("{}: {name} not hex", case["id"]))
}

/// Every SRP exchange in the file: the top-level cases plus the device case's second sign-in and
/// its device SRP.
fn srp_cases(v: &Value) -> Vec<&Value> {
    let mut out = Vec::new();
    for case in v["srp_cases"].as_array().unwrap() {
        out.push(case);
        if let Some(device) = case.get("device") {
            out.push(&device["second_sign_in"]);
            out.push(&device["device_srp"]);
        }
    }
    out
}

#[test]
fn constants() {
    assert_eq!(srp::n().bits(), 3072);
    assert_eq!(srp::to_java_bytes(srp::n()).len(), 385);
    assert_eq!(srp::to_java_bytes(srp::g()), [2]);
    assert_eq!(srp::to_java_bytes(&BigUint::default()), [0]);
    assert_eq!(srp::pad_hex(&BigUint::from(0x80u32)), "0080");
    assert_eq!(srp::pad_hex(&BigUint::from(0x7fu32)), "7f");
    assert_eq!(srp::pad_hex(&BigUint::from(0x100u32)), "0100");
    let Some(v) = vectors() else { return };
    let constants = &v["constants"];
    assert_eq!(srp::plain_hex(srp::n()), text(constants, "N_hex"));
    assert_eq!(constants["g"], 2);
    assert_eq!(srp::pad_hex(srp::k()), text(constants, "k_padhex"));
}

#[test]
fn srp_cases_reproduce_client_and_server_values() {
    let Some(v) = vectors() else { return };
    let cases = srp_cases(&v);
    assert!(cases.len() >= 10);
    for case in cases {
        let id = text(case, "id");
        let pool = text(case, "pool_name");
        let user_id = text(case, "user_id_for_srp");
        let salt = int(case, "salt_hex");
        let im = &case["intermediate"];

        // Server side: the stored verifier, then B from b.
        let verifier = srp::verifier(&salt, pool, user_id, text(case, "verifier_password"));
        assert_eq!(verifier, int(case, "verifier_hex"), "{id}: verifier");
        let b = int(case, "small_b_hex");
        let b_pub = srp::server_b(&verifier, &b);
        assert_eq!(b_pub, int(case, "srp_b_hex"), "{id}: B");

        // Client side: A, u, x, S, key, signature.
        let a = int(case, "small_a_hex");
        let a_pub = srp::client_a(&a);
        assert_eq!(a_pub, int(case, "large_a_hex"), "{id}: A");
        assert_eq!(srp::pad_hex(srp::k()), text(im, "k_padhex"), "{id}: k");
        let u = srp::compute_u(&a_pub, &b_pub);
        assert_eq!(srp::pad_hex(&u), text(im, "u_padhex"), "{id}: u");
        let x = srp::compute_x(&salt, pool, user_id, text(case, "password"));
        assert_eq!(x, int(im, "x_hex"), "{id}: x");
        let s = srp::client_s(&a, &b_pub, &x, &u);
        assert_eq!(srp::pad_hex(&s), text(im, "s_padhex"), "{id}: S");
        let key = srp::hkdf_key(&u, &s);
        assert_eq!(srp::hex(&key), text(im, "hkdf_key_hex"), "{id}: key");
        let block = Base64::decode_vec(text(case, "secret_block_b64")).unwrap();
        let stamp = text(case, "timestamp");
        let signature = srp::signature(&key, pool, user_id, &block, stamp);
        assert_eq!(signature, text(case, "signature_b64"), "{id}: signature");

        // The server accepts the signature exactly when the vector says so.
        let expect_verify = case["expect_verify"].as_bool().unwrap();
        let server_key = srp::server_key(&verifier, &b, &a_pub, &b_pub);
        let expected = srp::signature(&server_key, pool, user_id, &block, stamp);
        assert_eq!(
            srp::signatures_match(&expected, text(case, "signature_b64")),
            expect_verify,
            "{id}: server verification"
        );
        assert_eq!(
            srp::server_s(&a_pub, &verifier, &u, &b) == s,
            expect_verify,
            "{id}: server S"
        );

        // The timestamp is the vector's clock in Cognito's format.
        let now = case["now_epoch_ms"].as_u64().unwrap() / 1000;
        assert_eq!(timestamp::format(now), stamp, "{id}: timestamp");
        assert_eq!(timestamp::parse(stamp), Ok(now), "{id}: timestamp parse");

        check_wire(case, &a_pub, &signature);
    }
}

/// The JSON the JS client sent carries the values computed above.
fn check_wire(case: &Value, a_pub: &BigUint, signature: &str) {
    let id = text(case, "id");
    let wire = &case["wire"];
    let parse = |name: &str| -> Value { serde_json::from_str(text(wire, name)).unwrap() };
    if wire.get("initiate_auth").is_some() {
        let initiate = parse("initiate_auth");
        assert_eq!(
            initiate["AuthParameters"]["SRP_A"],
            srp::plain_hex(a_pub).as_str(),
            "{id}"
        );
        assert_eq!(
            initiate["AuthParameters"]["USERNAME"], case["username"],
            "{id}"
        );
        let respond = parse("respond_to_auth_challenge");
        let responses = &respond["ChallengeResponses"];
        assert_eq!(responses["USERNAME"], case["user_id_for_srp"], "{id}");
        assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], signature, "{id}");
        assert_eq!(
            responses["PASSWORD_CLAIM_SECRET_BLOCK"], case["secret_block_b64"],
            "{id}"
        );
        assert_eq!(responses["TIMESTAMP"], case["timestamp"], "{id}");
    } else {
        let auth = parse("device_srp_auth");
        let responses = &auth["ChallengeResponses"];
        assert_eq!(responses["SRP_A"], srp::plain_hex(a_pub).as_str(), "{id}");
        assert_eq!(responses["DEVICE_KEY"], case["user_id_for_srp"], "{id}");
        let verify = parse("device_password_verifier");
        let responses = &verify["ChallengeResponses"];
        assert_eq!(responses["PASSWORD_CLAIM_SIGNATURE"], signature, "{id}");
        assert_eq!(responses["DEVICE_KEY"], case["user_id_for_srp"], "{id}");
        assert_eq!(responses["TIMESTAMP"], case["timestamp"], "{id}");
    }
}

/// Salt, device password and verifier from the random inputs of a ConfirmDevice.
fn check_device_verifier(case: &Value) -> (BigUint, BigUint) {
    let id = text(case, "id");
    let password = Base64::encode_string(&hex_bytes(text(case, "random_password_bytes_hex")));
    assert_eq!(password, text(case, "random_password"), "{id}: password");
    let salt = BigUint::from_bytes_be(&hex_bytes(text(case, "salt_random_hex")));
    assert_eq!(
        Base64::encode_string(&srp::to_java_bytes(&salt)),
        text(case, "salt_b64"),
        "{id}: salt"
    );
    let verifier = srp::verifier(
        &salt,
        text(case, "device_group_key"),
        text(case, "device_key"),
        &password,
    );
    assert_eq!(
        Base64::encode_string(&srp::to_java_bytes(&verifier)),
        text(case, "password_verifier_b64"),
        "{id}: verifier"
    );
    if let Some(pad) = case.get("salt_padhex") {
        assert_eq!(srp::pad_hex(&salt), pad.as_str().unwrap(), "{id}");
    }
    if let Some(pad) = case.get("verifier_padhex") {
        assert_eq!(srp::pad_hex(&verifier), pad.as_str().unwrap(), "{id}");
    }
    (salt, verifier)
}

fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

#[test]
fn device_verifiers_reproduce() {
    let Some(v) = vectors() else { return };
    let mut seen = 0;
    for case in v["device_verifier_cases"].as_array().unwrap() {
        check_device_verifier(case);
        seen += 1;
    }
    for case in v["srp_cases"].as_array().unwrap() {
        let Some(device) = case.get("device") else {
            continue;
        };
        let confirm = &device["confirm_device"];
        let (salt, verifier) = check_device_verifier(confirm);
        // The device SRP then runs against exactly that salt and verifier...
        let device_srp = &device["device_srp"];
        assert_eq!(salt, int(device_srp, "salt_hex"));
        assert_eq!(verifier, int(device_srp, "verifier_hex"));
        assert_eq!(device_srp["password"], confirm["random_password"]);
        assert_eq!(device_srp["pool_name"], confirm["device_group_key"]);
        // ...and the ConfirmDevice body carried them.
        let wire: Value = serde_json::from_str(text(confirm, "wire_confirm_device")).unwrap();
        let config = &wire["DeviceSecretVerifierConfig"];
        assert_eq!(config["Salt"], confirm["salt_b64"]);
        assert_eq!(config["PasswordVerifier"], confirm["password_verifier_b64"]);
        assert_eq!(wire["DeviceKey"], confirm["device_key"]);
        seen += 1;
    }
    assert!(seen >= 2);
}

#[test]
fn secret_hashes_reproduce() {
    let Some(v) = vectors() else { return };
    for case in v["secret_hash_cases"].as_array().unwrap() {
        assert_eq!(
            secret_hash(
                text(case, "client_secret"),
                text(case, "username"),
                text(case, "client_id")
            ),
            text(case, "secret_hash"),
            "{}",
            text(case, "id")
        );
    }
}

#[test]
fn parse_hex_is_lenient_only_where_needed() {
    assert_eq!(srp::parse_hex("0000ab"), Some(BigUint::from(0xabu32)));
    assert_eq!(srp::parse_hex("ABC"), Some(BigUint::from(0xabcu32)));
    for bad in ["", "-1", "+1", "1_0", " 1", "0x1", "g"] {
        assert_eq!(srp::parse_hex(bad), None, "{bad}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    /// Client and server agree on S (and so on the signature) for random a, b, salt, password,
    /// and a wrong password never verifies.
    #[test]
    fn client_and_server_agree(
        a in proptest::collection::vec(any::<u8>(), 128),
        b in proptest::collection::vec(any::<u8>(), 32),
        salt in proptest::collection::vec(any::<u8>(), 16),
        password in "\\PC{0,40}",
    ) {
        let (a, b, salt) = (
            BigUint::from_bytes_be(&a),
            BigUint::from_bytes_be(&b),
            BigUint::from_bytes_be(&salt),
        );
        let v = srp::verifier(&salt, "Pool", "user-id", &password);
        let a_pub = srp::client_a(&a);
        let b_pub = srp::server_b(&v, &b);
        let u = srp::compute_u(&a_pub, &b_pub);
        let x = srp::compute_x(&salt, "Pool", "user-id", &password);
        prop_assert_eq!(srp::client_s(&a, &b_pub, &x, &u), srp::server_s(&a_pub, &v, &u, &b));
        let wrong = srp::compute_x(&salt, "Pool", "user-id", &format!("{password}!"));
        prop_assert_ne!(srp::client_s(&a, &b_pub, &wrong, &u), srp::server_s(&a_pub, &v, &u, &b));
    }
}
