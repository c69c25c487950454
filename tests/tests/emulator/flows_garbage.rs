//! No input makes the emulator panic: random and hostile bodies for every operation, flow and
//! challenge it implements, with and without live Sessions and tokens behind them. Every reply
//! must be a JSON object with status 200 or 400.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    CONTENT_TYPE, CustomAuthScript, CustomRound, FirstAuthFactor, MfaConfiguration, MfaMode,
    Passkey, Reply, TARGET_PREFIX, UserOptions, UserPool, UserStatus,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{Map, Value, json};

const OPERATIONS: [&str; 9] = [
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "SetUserMFAPreference",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "ForgetDevice",
];
const FLOWS: [&str; 8] = [
    "USER_SRP_AUTH",
    "USER_PASSWORD_AUTH",
    "CUSTOM_AUTH",
    "USER_AUTH",
    "REFRESH_TOKEN_AUTH",
    "REFRESH_TOKEN",
    "ADMIN_NO_SRP_AUTH",
    "",
];
const CHALLENGES: [&str; 18] = [
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "DEVICE_PASSWORD_VERIFIER",
    "NEW_PASSWORD_REQUIRED",
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "PASSWORD",
    "PASSWORD_SRP",
    "WEB_AUTHN",
    "ADMIN_NO_SRP_AUTH",
    "EMAIL_MFA",
    "\u{0}",
];
const PARAMETER_NAMES: [&str; 30] = [
    "USERNAME",
    "PASSWORD",
    "SRP_A",
    "SECRET_HASH",
    "DEVICE_KEY",
    "REFRESH_TOKEN",
    "CHALLENGE_NAME",
    "PREFERRED_CHALLENGE",
    "ANSWER",
    "SMS_MFA_CODE",
    "SOFTWARE_TOKEN_MFA_CODE",
    "EMAIL_OTP_CODE",
    "SMS_OTP_CODE",
    "NEW_PASSWORD",
    "userAttributes.name",
    "userAttributes.email_verified",
    "userAttributes.",
    "EMAIL",
    "CREDENTIAL",
    "PASSWORD_CLAIM_SECRET_BLOCK",
    "PASSWORD_CLAIM_SIGNATURE",
    "TIMESTAMP",
    "SMSMfaSettings",
    "SoftwareTokenMfaSettings",
    "EmailMfaSettings",
    "Enabled",
    "PreferredMfa",
    "UserCode",
    "FriendlyDeviceName",
    "DeviceKey",
];

/// A random JSON value: mostly strings (some meaningful), sometimes other types, nested a little.
fn value(rng: &mut ChaCha20Rng, pool_strings: &[String], depth: u32) -> Value {
    match rng.gen_range(0..12) {
        0 => Value::Null,
        1 => json!(rng.r#gen::<bool>()),
        2 => json!(rng.r#gen::<i64>()),
        3 => json!(rng.r#gen::<f64>()),
        4 if depth < 2 => Value::Array(
            (0..rng.gen_range(0..3))
                .map(|_| value(rng, pool_strings, depth + 1))
                .collect(),
        ),
        5 if depth < 2 => object(rng, pool_strings, depth + 1),
        6 => json!("x".repeat(rng.gen_range(0..5000))),
        7 => {
            let n = rng.gen_range(0..20);
            Value::String(
                (0..n)
                    .map(|_| char::from_u32(rng.gen_range(0..0x11_0000)).unwrap_or('\u{fffd}'))
                    .collect(),
            )
        }
        8 => json!(
            [
                "{",
                "}",
                "[]",
                "null",
                "{\"challenge\":1}",
                "-1",
                "00",
                "ff",
                "=="
            ][rng.gen_range(0..9)]
        ),
        _ if !pool_strings.is_empty() => {
            Value::String(pool_strings[rng.gen_range(0..pool_strings.len())].clone())
        }
        _ => json!(""),
    }
}

fn object(rng: &mut ChaCha20Rng, pool_strings: &[String], depth: u32) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.gen_range(0..8) {
        let name = PARAMETER_NAMES[rng.gen_range(0..PARAMETER_NAMES.len())];
        map.insert(name.to_owned(), value(rng, pool_strings, depth));
    }
    Value::Object(map)
}

/// A body for `operation`: the right member names with random values, sometimes a valid value.
fn body(rng: &mut ChaCha20Rng, operation: &str, strings: &[String]) -> Value {
    let mut map = Map::new();
    let maybe =
        |map: &mut Map<String, Value>, name: &str, good: Value, rng: &mut ChaCha20Rng| match rng
            .gen_range(0..4)
        {
            0 => {}
            1 => {
                map.insert(name.to_owned(), value(rng, strings, 0));
            }
            _ => {
                map.insert(name.to_owned(), good);
            }
        };
    match operation {
        "InitiateAuth" => {
            let flow = FLOWS[rng.gen_range(0..FLOWS.len())];
            maybe(&mut map, "AuthFlow", json!(flow), rng);
            maybe(&mut map, "ClientId", json!(CLIENT_ID), rng);
            let params = string_params(rng, strings);
            maybe(&mut map, "AuthParameters", params, rng);
            maybe(&mut map, "ClientMetadata", json!({"a": "b"}), rng);
        }
        "RespondToAuthChallenge" => {
            let challenge = CHALLENGES[rng.gen_range(0..CHALLENGES.len())];
            maybe(&mut map, "ChallengeName", json!(challenge), rng);
            maybe(&mut map, "ClientId", json!(CLIENT_ID), rng);
            let params = string_params(rng, strings);
            maybe(&mut map, "ChallengeResponses", params, rng);
            let session = pick(rng, strings);
            maybe(&mut map, "Session", session, rng);
        }
        "GetTokensFromRefreshToken" => {
            let token = pick(rng, strings);
            maybe(&mut map, "RefreshToken", token, rng);
            maybe(&mut map, "ClientId", json!(CLIENT_ID), rng);
            maybe(&mut map, "ClientSecret", json!(SECRET), rng);
            let key = pick(rng, strings);
            maybe(&mut map, "DeviceKey", key, rng);
        }
        _ => {
            for name in [
                "AccessToken",
                "Session",
                "UserCode",
                "FriendlyDeviceName",
                "DeviceKey",
                "DeviceRememberedStatus",
                "DeviceSecretVerifierConfig",
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "EmailMfaSettings",
            ] {
                let good = match name {
                    "UserCode" => json!("123456"),
                    "DeviceRememberedStatus" => json!("remembered"),
                    "DeviceSecretVerifierConfig" => {
                        json!({"Salt": "AA==", "PasswordVerifier": "Ag=="})
                    }
                    n if n.ends_with("Settings") => json!({"Enabled": true, "PreferredMfa": true}),
                    _ => pick(rng, strings),
                };
                maybe(&mut map, name, good, rng);
            }
        }
    }
    Value::Object(map)
}

/// A map of string parameters (what AuthParameters / ChallengeResponses should be), with values
/// drawn from real tokens, sessions and codes half of the time.
fn string_params(rng: &mut ChaCha20Rng, strings: &[String]) -> Value {
    let mut map = Map::new();
    for _ in 0..rng.gen_range(0..10) {
        let name = PARAMETER_NAMES[rng.gen_range(0..PARAMETER_NAMES.len())];
        let value = match pick(rng, strings) {
            Value::String(s) => s,
            other => other.to_string(),
        };
        map.insert(name.to_owned(), json!(value));
    }
    Value::Object(map)
}

fn pick(rng: &mut ChaCha20Rng, strings: &[String]) -> Value {
    if !strings.is_empty() && rng.gen_range(0..3) > 0 {
        json!(strings[rng.gen_range(0..strings.len())])
    } else {
        value(rng, &[], 1)
    }
}

fn check(reply: &Reply) {
    assert!(
        reply.status == 200 || reply.status == 400,
        "status {}",
        reply.status
    );
    assert!(
        reply.json().is_object(),
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
}

/// A pool with every feature switched on, users in every state, and live Sessions, codes and
/// tokens whose strings the fuzzer reuses.
fn busy_pool(seed: u64) -> (UserPool, Vec<String>) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: true,
        software_token: true,
        email: true,
    });
    pool.set_allowed_first_auth_factors(&[
        FirstAuthFactor::EmailOtp,
        FirstAuthFactor::SmsOtp,
        FirstAuthFactor::WebAuthn,
    ]);
    pool.set_required_attributes(&["name"]);
    pool.set_custom_auth(Some(CustomAuthScript {
        rounds: vec![CustomRound::new(&[("q", "?")], "42")],
        ..CustomAuthScript::default()
    }));
    let sub = pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some("alice@example.com".to_owned()),
            email_verified: true,
            phone_number: Some("+15555550100".to_owned()),
            phone_number_verified: true,
            sms_mfa: true,
            ..UserOptions::default()
        },
    );
    pool.add_user_with(
        "temp",
        PASSWORD,
        UserOptions {
            status: UserStatus::ForceChangePassword,
            ..UserOptions::default()
        },
    );
    pool.add_passkey("alice");
    let mut strings = vec![
        "alice".to_owned(),
        "temp".to_owned(),
        sub.clone(),
        PASSWORD.to_owned(),
        "SRP_A".to_owned(),
        "EMAIL_OTP".to_owned(),
        "WEB_AUTHN".to_owned(),
        "PASSWORD".to_owned(),
        "SMS_MFA".to_owned(),
        "a@b.c".to_owned(),
        "02".to_owned(),
    ];
    let client = RawClient::new(CLIENT_ID, None, seed);
    // Sessions of several kinds, and tokens.
    let remember = |reply: &Reply, strings: &mut Vec<String>| {
        let body = reply.json();
        for key in ["Session"] {
            if let Some(s) = body[key].as_str() {
                strings.push(s.to_owned());
            }
        }
        for key in ["AccessToken", "RefreshToken", "IdToken"] {
            if let Some(s) = body["AuthenticationResult"][key].as_str() {
                strings.push(s.to_owned());
            }
        }
    };
    let replies = [
        client.password_auth(&mut pool, "alice", PASSWORD),
        client.password_auth(&mut pool, "temp", PASSWORD),
        client.initiate(&mut pool, "USER_AUTH", "alice", json!({})),
        client.initiate(
            &mut pool,
            "USER_AUTH",
            "alice",
            json!({ "PREFERRED_CHALLENGE": "WEB_AUTHN" }),
        ),
        client.initiate(
            &mut pool,
            "USER_AUTH",
            "alice",
            json!({ "PREFERRED_CHALLENGE": "EMAIL_OTP" }),
        ),
        client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({})),
        client.initiate(
            &mut pool,
            "USER_AUTH",
            "alice",
            json!({ "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD }),
        ),
    ];
    for reply in &replies {
        remember(reply, &mut strings);
    }
    if let Some(code) = pool.last_code_sent("alice") {
        strings.push(code);
    }
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: true,
        email: true,
    });
    let reply = client.password_auth(&mut pool, "alice", PASSWORD);
    remember(&reply, &mut strings);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        ..MfaConfiguration::default()
    });
    (pool, strings)
}

#[test]
fn random_bodies_never_panic() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x6a7ba6e);
    for round in 0..6 {
        let (mut pool, mut strings) = busy_pool(round);
        for _ in 0..400 {
            let operation = OPERATIONS[rng.gen_range(0..OPERATIONS.len())];
            let body = body(&mut rng, operation, &strings);
            let reply = pool.call(operation, &body);
            check(&reply);

            // Feed new Sessions and tokens back in.
            let json = reply.json();
            if let Some(s) = json["Session"].as_str() {
                strings.push(s.to_owned());
            }
            if let Some(s) = json["AuthenticationResult"]["AccessToken"].as_str() {
                strings.push(s.to_owned());
            }
            if rng.gen_range(0..50) == 0 {
                pool.advance(rng.gen_range(0..400));
            }
        }
    }
}

#[test]
fn hostile_values_for_every_flow_and_challenge() {
    let (mut pool, strings) = busy_pool(99);
    let hostile = [
        json!(null),
        json!(1),
        json!([]),
        json!({}),
        json!(""),
        json!("\u{0}"),
        json!("-1"),
        json!("x".repeat(200_000)),
    ];
    for flow in FLOWS {
        for bad in &hostile {
            for member in ["AuthParameters", "ClientMetadata", "AuthFlow", "ClientId"] {
                let mut body = json!({ "AuthFlow": flow, "ClientId": CLIENT_ID, "AuthParameters": {"USERNAME": "alice"} });
                body[member] = bad.clone();
                check(&pool.call("InitiateAuth", &body));
            }
            for name in PARAMETER_NAMES {
                let mut params = json!({ "USERNAME": "alice" });
                params[name] = bad.clone();
                let body =
                    json!({ "AuthFlow": flow, "ClientId": CLIENT_ID, "AuthParameters": params });
                check(&pool.call("InitiateAuth", &body));
            }
        }
    }
    for challenge in CHALLENGES {
        for session in strings
            .iter()
            .map(|s| json!(s))
            .chain(hostile.iter().cloned())
        {
            for bad in &hostile {
                let body = json!({
                    "ChallengeName": challenge,
                    "ClientId": CLIENT_ID,
                    "ChallengeResponses": { "USERNAME": bad.as_str().unwrap_or("alice"), "ANSWER": bad.as_str().unwrap_or("x") },
                    "Session": session,
                });
                check(&pool.call("RespondToAuthChallenge", &body));
            }
        }
    }
    for operation in OPERATIONS {
        for bad in &hostile {
            for member in [
                "AccessToken",
                "Session",
                "UserCode",
                "RefreshToken",
                "ClientId",
                "ClientSecret",
                "DeviceKey",
                "SMSMfaSettings",
                "SoftwareTokenMfaSettings",
                "EmailMfaSettings",
            ] {
                let mut body = json!({ "ClientId": CLIENT_ID, "UserCode": "123456" });
                body[member] = bad.clone();
                check(&pool.call(operation, &body));
            }
        }
        // Not JSON, not an object.
        for raw in [&b""[..], b"{", b"[]", b"\"s\"", b"\xff\xfe"] {
            let reply = pool.handle(&format!("{TARGET_PREFIX}{operation}"), CONTENT_TYPE, raw);
            assert_eq!(reply.status, 400);
        }
    }
}

/// Setup for the recorded transcripts: optional MFA (all factors), passwordless factors, a
/// custom script, alice (SMS MFA, passkey), a temporary-password user, and bare (no MFA).
fn transcript_pool(mode: MfaMode) -> (UserPool, Passkey) {
    let (mut pool, _) = busy_pool(7);
    pool.set_mfa_configuration(MfaConfiguration {
        mode,
        sms: mode != MfaMode::On,
        software_token: true,
        email: true,
    });
    pool.add_user("bare", PASSWORD);
    let passkey = pool.add_passkey("alice").unwrap();
    (pool, passkey)
}

/// Drives every flow once, correctly, and returns the requests sent.
fn record(mode: MfaMode) -> Vec<(String, Value)> {
    let (mut pool, passkey) = transcript_pool(mode);
    let skip = pool.requests().len();
    let client = RawClient::new(CLIENT_ID, None, 1);
    let user = |pool: &UserPool, name: &str| pool.user_attributes(name).unwrap()["sub"].clone();
    let alice = user(&pool, "alice");
    let temp = user(&pool, "temp");
    let bare = user(&pool, "bare");
    let session = |reply: &Reply| str_of(&reply.json()["Session"]).to_owned();
    if mode == MfaMode::On {
        // MFA_SETUP with a software token, then refresh and MFA preference calls.
        let reply = client.password_auth(&mut pool, "bare", PASSWORD);
        let body = expect_ok(&pool.call(
            "AssociateSoftwareToken",
            &json!({ "Session": session(&reply) }),
        ));
        let code = cognito_tests::totp::code_at(str_of(&body["SecretCode"]), pool.now()).unwrap();
        let body = expect_ok(&pool.call(
            "VerifySoftwareToken",
            &json!({ "Session": body["Session"], "UserCode": code }),
        ));
        let reply = client.respond(
            &mut pool,
            "MFA_SETUP",
            &bare,
            json!({}),
            Some(str_of(&body["Session"])),
        );
        let result = expect_tokens(&reply);
        pool.call(
            "GetTokensFromRefreshToken",
            &json!({ "RefreshToken": result["RefreshToken"], "ClientId": CLIENT_ID }),
        );
        client.initiate_raw(
            &mut pool,
            "REFRESH_TOKEN_AUTH",
            json!({ "REFRESH_TOKEN": result["RefreshToken"] }),
        );
        pool.call(
            "AssociateSoftwareToken",
            &json!({ "AccessToken": result["AccessToken"] }),
        );
        pool.call(
            "SetUserMFAPreference",
            &json!({ "AccessToken": result["AccessToken"], "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true } }),
        );
        // MFA_SETUP by email.
        let reply = client.password_auth(&mut pool, "temp", PASSWORD);
        let reply = client.respond(
            &mut pool,
            "NEW_PASSWORD_REQUIRED",
            &temp,
            json!({ "NEW_PASSWORD": "N3w-Passw0rd", "userAttributes.name": "T" }),
            Some(&session(&reply)),
        );
        let reply = client.respond(
            &mut pool,
            "MFA_SETUP",
            &temp,
            json!({ "EMAIL": "t@example.com" }),
            Some(&session(&reply)),
        );
        let code = pool.last_code_sent("t@example.com").unwrap();
        client.respond(
            &mut pool,
            "EMAIL_OTP",
            &temp,
            json!({ "EMAIL_OTP_CODE": code }),
            Some(&session(&reply)),
        );
    } else {
        let reply = client.password_auth(&mut pool, "alice", PASSWORD);
        let code = pool.last_code_sent("alice").unwrap();
        client.respond(
            &mut pool,
            "SMS_MFA",
            &alice,
            json!({ "SMS_MFA_CODE": code }),
            Some(&session(&reply)),
        );
        let reply = client.initiate(&mut pool, "USER_AUTH", "alice", json!({}));
        let reply = client.respond(
            &mut pool,
            "SELECT_CHALLENGE",
            &alice,
            json!({ "ANSWER": "EMAIL_OTP" }),
            Some(&session(&reply)),
        );
        let code = pool.last_code_sent("alice").unwrap();
        client.respond(
            &mut pool,
            "EMAIL_OTP",
            &alice,
            json!({ "EMAIL_OTP_CODE": code }),
            Some(&session(&reply)),
        );
        let reply = client.initiate(
            &mut pool,
            "USER_AUTH",
            "alice",
            json!({ "PREFERRED_CHALLENGE": "WEB_AUTHN" }),
        );
        let options =
            str_of(&reply.json()["ChallengeParameters"]["CREDENTIAL_REQUEST_OPTIONS"]).to_owned();
        client.respond(
            &mut pool,
            "WEB_AUTHN",
            &alice,
            json!({ "CREDENTIAL": passkey.assertion(&options).unwrap() }),
            Some(&session(&reply)),
        );
        let reply = client.initiate(&mut pool, "CUSTOM_AUTH", "alice", json!({}));
        client.respond(
            &mut pool,
            "CUSTOM_CHALLENGE",
            &alice,
            json!({ "ANSWER": "42" }),
            Some(&session(&reply)),
        );
        let reply = client.password_auth(&mut pool, "temp", PASSWORD);
        client.respond(
            &mut pool,
            "NEW_PASSWORD_REQUIRED",
            &temp,
            json!({ "NEW_PASSWORD": "N3w-Passw0rd", "userAttributes.name": "T" }),
            Some(&session(&reply)),
        );
        let reply = client.initiate(&mut pool, "USER_AUTH", "alice", json!({}));
        client.respond(
            &mut pool,
            "SELECT_CHALLENGE",
            &alice,
            json!({ "ANSWER": "SMS_OTP" }),
            Some(&session(&reply)),
        );
    }
    for request in &pool.requests()[skip..] {
        assert_ne!(request.body, Value::Null);
    }
    pool.requests()[skip..]
        .iter()
        .map(|request| (request.operation.clone(), request.body.clone()))
        .collect()
}

/// Changes one thing in a request body.
fn mutate(rng: &mut ChaCha20Rng, body: &mut Value, strings: &[String]) {
    let Some(map) = body.as_object_mut() else {
        return;
    };
    let keys: Vec<String> = map.keys().cloned().collect();
    if keys.is_empty() {
        return;
    }
    let key = keys[rng.gen_range(0..keys.len())].clone();
    let nested = map.get(&key).is_some_and(Value::is_object);
    match rng.gen_range(0..6) {
        0 => {
            map.remove(&key);
        }
        1 => {
            map.insert(key, value(rng, strings, 0));
        }
        2 if nested => {
            if let Some(inner) = map.get_mut(&key).and_then(Value::as_object_mut) {
                let inner_keys: Vec<String> = inner.keys().cloned().collect();
                if !inner_keys.is_empty() {
                    let victim = &inner_keys[rng.gen_range(0..inner_keys.len())];
                    inner.remove(victim);
                }
            }
        }
        3 if nested => {
            if let Some(inner) = map.get_mut(&key).and_then(Value::as_object_mut) {
                let name = PARAMETER_NAMES[rng.gen_range(0..PARAMETER_NAMES.len())];
                let replacement = match pick(rng, strings) {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                inner.insert(name.to_owned(), json!(replacement));
            }
        }
        4 => {
            map.insert(
                "ChallengeName".to_owned(),
                json!(CHALLENGES[rng.gen_range(0..CHALLENGES.len())]),
            );
        }
        _ => {
            let replacement = pick(rng, strings);
            map.insert(key, replacement);
        }
    }
}

#[test]
fn mutated_transcripts_never_panic() {
    let mut rng = ChaCha20Rng::seed_from_u64(0x7a5c);
    for mode in [MfaMode::Optional, MfaMode::On] {
        let transcript = record(mode);
        assert!(transcript.len() >= 8, "{}", transcript.len());
        let strings: Vec<String> = transcript
            .iter()
            .flat_map(|(_, body)| {
                let mut found = Vec::new();
                collect_strings(body, &mut found);
                found
            })
            .collect();
        for _ in 0..60 {
            let (mut pool, _) = transcript_pool(mode);
            let target = rng.gen_range(0..transcript.len());
            for (index, (operation, body)) in transcript.iter().enumerate() {
                let mut body = body.clone();
                if index == target || rng.gen_range(0..8) == 0 {
                    mutate(&mut rng, &mut body, &strings);
                }
                check(&pool.call(operation, &body));
            }
        }
        // Unmutated, the transcript replays to the same replies (the pool is deterministic).
        let replay = |pool: &mut UserPool| -> Vec<Value> {
            transcript
                .iter()
                .map(|(operation, body)| pool.call(operation, body).json())
                .collect()
        };
        let (mut first, _) = transcript_pool(mode);
        let (mut second, _) = transcript_pool(mode);
        let replies = replay(&mut first);
        assert_eq!(replies, replay(&mut second));
        assert!(
            replies.iter().all(|reply| reply.get("__type").is_none()),
            "{replies:?}"
        );
    }
}

fn collect_strings(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|item| collect_strings(item, out)),
        Value::Object(map) => map.values().for_each(|item| collect_strings(item, out)),
        _ => {}
    }
}
