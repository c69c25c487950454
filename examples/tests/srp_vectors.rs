//! Every case of the reference vectors (captured from amazon-cognito-identity-js) reproduces byte
//! for byte through the public API: A, the intermediates, TIMESTAMP, PASSWORD_CLAIM_SIGNATURE,
//! the device verifier and salt, SECRET_HASH, and the request JSON.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use cognito_core::srp::{ServerChallenge, SrpIdentity, hazmat};
use cognito_examples::vectors::{
    Computed, SrpCase, VectorFile, ephemeral_from_hex, pad_hex_of, run_all,
};
use serde_json::Value;

/// The vector file: `$COGNITO_SRP_VECTORS`, else `shared/` beside the checkout, else the copy in
/// `tests/vectors/`.
fn vector_path() -> PathBuf {
    if let Some(p) = std::env::var_os("COGNITO_SRP_VECTORS") {
        return PathBuf::from(p);
    }
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let shared = root.join("../shared/vectors/srp-public.json");
    if shared.exists() {
        shared
    } else {
        root.join("tests/vectors/srp-public.json")
    }
}

fn load() -> (Value, VectorFile) {
    let text = std::fs::read_to_string(vector_path()).expect("vector file");
    (
        serde_json::from_str(&text).unwrap(),
        serde_json::from_str(&text).unwrap(),
    )
}

fn computed_by_id(file: &VectorFile) -> std::collections::HashMap<String, Computed> {
    run_all(file)
        .into_iter()
        .map(|(id, r)| {
            let c = r.unwrap_or_else(|e| panic!("{id}: {e}"));
            (id, c)
        })
        .collect()
}

/// All SRP cases, nested ones included, as (raw JSON, parsed inputs).
fn srp_cases(raw: &Value) -> Vec<Value> {
    let mut out = Vec::new();
    for case in raw["srp_cases"].as_array().unwrap() {
        out.push(case.clone());
        if let Some(device) = case.get("device") {
            out.push(device["second_sign_in"].clone());
            out.push(device["device_srp"].clone());
        }
    }
    out
}

#[test]
fn every_case_has_a_line_and_all_lines_match() {
    let (raw, file) = load();
    let computed = computed_by_id(&file);
    let mut checked = 0;
    for case in srp_cases(&raw) {
        let id = case["id"].as_str().unwrap();
        let line = &computed[id].line;
        assert_eq!(line["large_a_hex"], case["large_a_hex"], "{id}: A");
        assert_eq!(line["timestamp"], case["timestamp"], "{id}: TIMESTAMP");
        assert_eq!(
            line["signature_b64"], case["signature_b64"],
            "{id}: signature"
        );
        checked += 1;
    }
    let mut verifier_cases: Vec<Value> = raw["device_verifier_cases"].as_array().unwrap().clone();
    for case in raw["srp_cases"].as_array().unwrap() {
        if let Some(device) = case.get("device") {
            verifier_cases.push(device["confirm_device"].clone());
        }
    }
    for case in verifier_cases {
        let id = case["id"].as_str().unwrap();
        let line = &computed[id].line;
        assert_eq!(line["salt_b64"], case["salt_b64"], "{id}: salt");
        assert_eq!(
            line["password_verifier_b64"], case["password_verifier_b64"],
            "{id}: verifier"
        );
        checked += 1;
    }
    for case in raw["secret_hash_cases"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        assert_eq!(
            computed[id].line["secret_hash"], case["secret_hash"],
            "{id}: SECRET_HASH"
        );
        checked += 1;
    }
    assert_eq!(checked, computed.len(), "every computed line was checked");
    assert!(
        checked >= 13,
        "the vector file has at least the 13 published cases"
    );
}

#[test]
fn intermediates_match() {
    let (raw, _) = load();
    for case in srp_cases(&raw) {
        let id = case["id"].as_str().unwrap();
        let parsed: SrpCase = serde_json::from_value(case.clone()).unwrap();
        let ephemeral = ephemeral_from_hex(&parsed.small_a_hex).unwrap();
        let identity = SrpIdentity {
            realm: &parsed.pool_name,
            user_id: &parsed.user_id_for_srp,
            password: &parsed.password,
        };
        let challenge = ServerChallenge {
            srp_b_hex: &parsed.srp_b_hex,
            salt_hex: &parsed.salt_hex,
            secret_block_b64: &parsed.secret_block_b64,
        };
        let got = hazmat::intermediates(&ephemeral, &identity, &challenge).unwrap();
        let want = &case["intermediate"];
        let pad = |h: &Value| pad_hex_of(h.as_str().unwrap()).unwrap();
        assert_eq!(got.x.pad_hex().to_string(), pad(&want["x_hex"]), "{id}: x");
        assert_eq!(
            got.k.pad_hex().to_string(),
            want["k_padhex"].as_str().unwrap(),
            "{id}: k"
        );
        assert_eq!(
            got.u.pad_hex().to_string(),
            want["u_padhex"].as_str().unwrap(),
            "{id}: u"
        );
        assert_eq!(
            got.s.pad_hex().to_string(),
            want["s_padhex"].as_str().unwrap(),
            "{id}: S"
        );
        assert_eq!(
            hex::encode(got.hkdf_key),
            want["hkdf_key_hex"].as_str().unwrap(),
            "{id}: key"
        );
    }
}

/// The JavaScript client always sends `"ClientMetadata": {}`; the core omits an empty map
/// (the API treats both the same).
fn without_empty_client_metadata(mut v: Value) -> Value {
    if let Some(obj) = v.as_object_mut()
        && obj
            .get("ClientMetadata")
            .is_some_and(|m| m.as_object().is_some_and(|m| m.is_empty()))
    {
        obj.remove("ClientMetadata");
    }
    v
}

#[test]
fn request_json_matches_the_reference_client() {
    let (raw, file) = load();
    let computed = computed_by_id(&file);
    let mut compared = 0;
    for case in srp_cases(&raw) {
        let id = case["id"].as_str().unwrap();
        let Some(wire) = case.get("wire").and_then(Value::as_object) else {
            continue;
        };
        for (name, expected) in wire {
            let expected: Value = serde_json::from_str(expected.as_str().unwrap()).unwrap();
            let expected = without_empty_client_metadata(expected);
            let (_, mut ours) = computed[id]
                .wire
                .iter()
                .find(|(n, _)| n == name)
                .unwrap_or_else(|| panic!("{id}: no {name} written"))
                .clone();
            // A deliberate difference: with a remembered device the core sends DEVICE_KEY at
            // InitiateAuth too (the JavaScript client only sends it in the verifier answer, so the
            // pool cannot skip MFA for the device).
            if let Some(device_key) = case.get("device_key_sent").and_then(Value::as_str)
                && name == "initiate_auth"
            {
                let params = ours["AuthParameters"].as_object_mut().unwrap();
                assert_eq!(params.remove("DEVICE_KEY").unwrap(), device_key, "{id}");
            }
            assert_eq!(ours, expected, "{id}: {name}");
            compared += 1;
        }
    }
    assert_eq!(compared, 2 * 8 + 2 + 2, "all wire bodies were compared");
}

#[test]
fn confirm_device_request_matches_the_reference_client() {
    use cognito_core::Call;
    use cognito_core::account::ConfirmDevice;
    use cognito_core::auth::ClientConfig;
    use cognito_core::srp::DeviceVerifier;
    let (raw, _) = load();
    let mut compared = 0;
    for case in raw["srp_cases"].as_array().unwrap() {
        let Some(confirm) = case.get("device").map(|d| &d["confirm_device"]) else {
            continue;
        };
        let expected: Value =
            serde_json::from_str(confirm["wire_confirm_device"].as_str().unwrap()).unwrap();
        let bytes = |k: &str| hex::decode(confirm[k].as_str().unwrap()).unwrap();
        let verifier = DeviceVerifier::from_random(
            confirm["device_group_key"].as_str().unwrap(),
            confirm["device_key"].as_str().unwrap(),
            &bytes("random_password_bytes_hex").try_into().unwrap(),
            &bytes("salt_random_hex").try_into().unwrap(),
        );
        assert_eq!(
            verifier.device_password(),
            confirm["random_password"].as_str().unwrap()
        );
        // The access token is the server's input to this request.
        let request = ConfirmDevice {
            access_token: expected["AccessToken"].as_str().unwrap(),
            device_key: confirm["device_key"].as_str().unwrap(),
            verifier: &verifier,
            device_name: confirm["device_name"].as_str(),
        };
        let config = ClientConfig::new(
            case["pool_id"].as_str().unwrap(),
            case["client_id"].as_str().unwrap(),
        )
        .unwrap();
        let mut buf = [0u8; 2048];
        let ours: Value =
            serde_json::from_slice(request.write_request(&config, &mut buf).unwrap().body).unwrap();
        assert_eq!(ours, expected);
        compared += 1;
    }
    assert!(compared >= 1);
}

/// The device case as one story: the first sign-in is offered a device (`NewDeviceMetadata`), the
/// client registers it (`DeviceRegistration`: the verifier and `ConfirmDevice`), persists the
/// credentials, and the second sign-in proves the device with device SRP — every request byte
/// for byte as the reference client.
#[test]
fn device_case_end_to_end() {
    use cognito_core::Flow;
    use cognito_core::auth::{
        ClientConfig, DeviceCredentials, DeviceRegistration, DeviceStep, SignIn, Step,
    };
    use cognito_core::srp::DeviceVerifier;
    use cognito_core::time::UnixTime;
    use cognito_core::wire::HttpResponse;
    use serde_json::json;

    let (raw, _) = load();
    let case = raw["srp_cases"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c.get("device").is_some())
        .unwrap();
    let device = &case["device"];
    let confirm = &device["confirm_device"];
    let s = |v: &Value| v.as_str().unwrap().to_owned();
    let wire = |v: &Value, k: &str| {
        without_empty_client_metadata(serde_json::from_str(v["wire"][k].as_str().unwrap()).unwrap())
    };
    let config_owned = (s(&case["pool_id"]), s(&case["client_id"]));
    let config = ClientConfig::new(&config_owned.0, &config_owned.1).unwrap();
    let mut buf = vec![0u8; 8192];
    let body =
        |r: cognito_core::wire::Request<'_>| -> Value { serde_json::from_slice(r.body).unwrap() };
    let feed = |flow: &mut SignIn, reply: Value, now: u64| -> String {
        let bytes = serde_json::to_vec(&reply).unwrap();
        match flow
            .handle_response(&HttpResponse::new(200, &bytes), UnixTime::from_millis(now))
            .unwrap()
        {
            Step::SendRequest => "send".into(),
            Step::Authenticated(t) => format!(
                "{:?}",
                t.new_device
                    .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned()))
            ),
            other => panic!("{other:?}"),
        }
    };
    let verifier_reply = |c: &Value, session: Option<&str>, name: &str, with_id: bool| {
        let mut params = json!({"SALT": c["salt_hex"], "SRP_B": c["srp_b_hex"], "SECRET_BLOCK": c["secret_block_b64"], "USERNAME": case["user_id_for_srp"]});
        if with_id {
            params["USER_ID_FOR_SRP"] = case["user_id_for_srp"].clone();
        }
        let mut v = json!({"ChallengeName": name, "ChallengeParameters": params});
        if let Some(session) = session {
            v["Session"] = json!(session);
        }
        v
    };
    let now = |c: &Value| c["now_epoch_ms"].as_u64().unwrap();

    // 1. First sign-in; the tokens come with NewDeviceMetadata.
    let (user, password) = (s(&case["username"]), s(&case["password"]));
    let mut flow: SignIn = SignIn::srp(
        &config,
        &user,
        &password,
        ephemeral_from_hex(case["small_a_hex"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    assert_eq!(
        body(flow.write_request(&mut buf).unwrap()),
        wire(case, "initiate_auth")
    );
    assert_eq!(
        feed(
            &mut flow,
            verifier_reply(case, None, "PASSWORD_VERIFIER", true),
            now(case)
        ),
        "send"
    );
    assert_eq!(
        body(flow.write_request(&mut buf).unwrap()),
        wire(case, "respond_to_auth_challenge")
    );
    let wire_confirm: Value =
        serde_json::from_str(confirm["wire_confirm_device"].as_str().unwrap()).unwrap();
    let tokens = json!({"AuthenticationResult": {"AccessToken": wire_confirm["AccessToken"], "ExpiresIn": 3600, "TokenType": "Bearer",
        "NewDeviceMetadata": {"DeviceKey": confirm["device_key"], "DeviceGroupKey": confirm["device_group_key"]}}});
    let offered = feed(&mut flow, tokens, now(case));
    assert_eq!(
        offered,
        format!(
            "{:?}",
            Some((s(&confirm["device_key"]), s(&confirm["device_group_key"])))
        )
    );

    // 2. Registering the device: the verifier and ConfirmDevice, from the case's random bytes.
    let bytes = |k: &str| hex::decode(confirm[k].as_str().unwrap()).unwrap();
    let verifier = DeviceVerifier::from_random(
        confirm["device_group_key"].as_str().unwrap(),
        confirm["device_key"].as_str().unwrap(),
        &bytes("random_password_bytes_hex").try_into().unwrap(),
        &bytes("salt_random_hex").try_into().unwrap(),
    );
    let device_creds = DeviceCredentials::new(
        confirm["device_key"].as_str().unwrap(),
        confirm["device_group_key"].as_str().unwrap(),
        verifier.device_password(),
    )
    .unwrap();
    let mut registration: DeviceRegistration = DeviceRegistration::with_verifier(
        &config,
        wire_confirm["AccessToken"].as_str().unwrap(),
        device_creds,
        verifier,
    )
    .unwrap()
    .with_device_name(confirm["device_name"].as_str().unwrap())
    .unwrap();
    assert_eq!(
        body(registration.write_request(&mut buf).unwrap()),
        wire_confirm
    );
    let step = registration
        .handle_response(
            &HttpResponse::new(200, br#"{"UserConfirmationNecessary":false}"#),
            UnixTime::from_millis(now(case)),
        )
        .unwrap();
    assert_eq!(step, DeviceStep::Registered { remembered: true });
    // What the client persists.
    let device_creds = registration.credentials().clone();

    // 3. Later: user SRP with DEVICE_KEY, then device SRP.
    let second = &device["second_sign_in"];
    let dsrp = &device["device_srp"];
    let mut flow: SignIn = SignIn::srp(
        &config,
        &user,
        &password,
        ephemeral_from_hex(second["small_a_hex"].as_str().unwrap()).unwrap(),
    )
    .unwrap()
    .with_device(
        &device_creds,
        ephemeral_from_hex(dsrp["small_a_hex"].as_str().unwrap()).unwrap(),
    );
    let mut initiate = body(flow.write_request(&mut buf).unwrap());
    // The deliberate difference: DEVICE_KEY at InitiateAuth as well.
    assert_eq!(
        initiate["AuthParameters"]
            .as_object_mut()
            .unwrap()
            .remove("DEVICE_KEY")
            .unwrap(),
        second["device_key_sent"]
    );
    assert_eq!(initiate, wire(second, "initiate_auth"));
    assert_eq!(
        feed(
            &mut flow,
            verifier_reply(second, None, "PASSWORD_VERIFIER", true),
            now(second)
        ),
        "send"
    );
    assert_eq!(
        body(flow.write_request(&mut buf).unwrap()),
        wire(second, "respond_to_auth_challenge")
    );
    let session1 = dsrp["session"].as_str().unwrap();
    assert_eq!(
        feed(
            &mut flow,
            json!({"ChallengeName": "DEVICE_SRP_AUTH", "Session": session1, "ChallengeParameters": {}}),
            now(dsrp)
        ),
        "send"
    );
    assert_eq!(
        body(flow.write_request(&mut buf).unwrap()),
        wire(dsrp, "device_srp_auth")
    );
    let session2 = wire(dsrp, "device_password_verifier")["Session"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        feed(
            &mut flow,
            verifier_reply(dsrp, Some(&session2), "DEVICE_PASSWORD_VERIFIER", false),
            now(dsrp)
        ),
        "send"
    );
    assert_eq!(
        body(flow.write_request(&mut buf).unwrap()),
        wire(dsrp, "device_password_verifier")
    );
}
