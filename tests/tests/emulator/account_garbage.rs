//! No input makes the account operations panic: random and hostile members for every one of
//! them, with live tokens, Sessions, codes and devices behind them. Every reply must be a JSON
//! object with status 200 or 400.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    AppClientOptions, CONTENT_TYPE, DeviceTracking, FirstAuthFactor, Reply, TARGET_PREFIX, UserPool,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{Map, Value, json};

/// Each operation with the members it reads.
const OPERATIONS: [(&str, &[&str]); 24] = [
    (
        "SignUp",
        &[
            "ClientId",
            "SecretHash",
            "Username",
            "Password",
            "UserAttributes",
            "ValidationData",
            "ClientMetadata",
        ],
    ),
    (
        "ConfirmSignUp",
        &[
            "ClientId",
            "SecretHash",
            "Username",
            "ConfirmationCode",
            "ForceAliasCreation",
            "Session",
            "ClientMetadata",
        ],
    ),
    (
        "ResendConfirmationCode",
        &["ClientId", "SecretHash", "Username", "ClientMetadata"],
    ),
    (
        "ForgotPassword",
        &["ClientId", "SecretHash", "Username", "ClientMetadata"],
    ),
    (
        "ConfirmForgotPassword",
        &[
            "ClientId",
            "SecretHash",
            "Username",
            "ConfirmationCode",
            "Password",
            "ClientMetadata",
        ],
    ),
    ("GetUser", &["AccessToken"]),
    ("GetUserAuthFactors", &["AccessToken"]),
    (
        "UpdateUserAttributes",
        &["AccessToken", "UserAttributes", "ClientMetadata"],
    ),
    (
        "DeleteUserAttributes",
        &["AccessToken", "UserAttributeNames"],
    ),
    (
        "GetUserAttributeVerificationCode",
        &["AccessToken", "AttributeName", "ClientMetadata"],
    ),
    (
        "VerifyUserAttribute",
        &["AccessToken", "AttributeName", "Code"],
    ),
    (
        "ChangePassword",
        &["AccessToken", "PreviousPassword", "ProposedPassword"],
    ),
    ("GlobalSignOut", &["AccessToken"]),
    ("DeleteUser", &["AccessToken"]),
    ("SetUserSettings", &["AccessToken", "MFAOptions"]),
    ("GetDevice", &["AccessToken", "DeviceKey"]),
    ("ListDevices", &["AccessToken", "Limit", "PaginationToken"]),
    (
        "UpdateAuthEventFeedback",
        &[
            "UserPoolId",
            "Username",
            "EventId",
            "FeedbackToken",
            "FeedbackValue",
        ],
    ),
    ("StartWebAuthnRegistration", &["AccessToken"]),
    (
        "CompleteWebAuthnRegistration",
        &["AccessToken", "Credential"],
    ),
    (
        "ListWebAuthnCredentials",
        &["AccessToken", "NextToken", "MaxResults"],
    ),
    ("DeleteWebAuthnCredential", &["AccessToken", "CredentialId"]),
    ("RevokeToken", &["Token", "ClientId", "ClientSecret"]),
    (
        "InitiateAuth",
        &["AuthFlow", "ClientId", "AuthParameters", "Session"],
    ),
];

/// Live material the garbage is mixed with.
struct Live {
    strings: Vec<String>,
}

fn setup(seed: u64) -> (UserPool, Live) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: Some(SECRET.to_owned()),
            device_tracking: DeviceTracking::Always,
        },
    );
    pool.set_allowed_first_auth_factors(&[FirstAuthFactor::WebAuthn, FirstAuthFactor::EmailOtp]);
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), seed);
    let mut strings = vec![
        CLIENT_ID.to_owned(),
        SECRET.to_owned(),
        POOL_ID.to_owned(),
        PASSWORD.to_owned(),
        NEW_PASSWORD.to_owned(),
        "rex".to_owned(),
        "email".to_owned(),
        "phone_number".to_owned(),
        "USER_AUTH".to_owned(),
        "Valid".to_owned(),
    ];
    let sign_up =
        expect_ok(&client.sign_up(&mut pool, "rex", PASSWORD, &[("email", "rex@example.com")]));
    strings.push(str_of(&sign_up["Session"]).to_owned());
    strings.push(pool.last_code_sent("rex").unwrap());
    strings.push(client.secret_hash("rex").unwrap());
    let code = pool.last_code_sent("rex").unwrap();
    let confirmed = expect_ok(&client.confirm_sign_up(&mut pool, "rex", &code, None));
    strings.push(str_of(&confirmed["Session"]).to_owned());
    let tokens = client.srp_tokens(&mut pool, "rex", PASSWORD).unwrap();
    let token = access(&tokens).unwrap();
    client
        .confirm_device(&mut pool, &tokens["NewDeviceMetadata"], &token, DEVICE_NAME)
        .unwrap();
    strings.push(str_of(&tokens["NewDeviceMetadata"]["DeviceKey"]).to_owned());
    strings.push(str_of(&tokens["RefreshToken"]).to_owned());
    strings.push(str_of(&tokens["IdToken"]).to_owned());
    strings.push(token.clone());
    expect_ok(&client.call_named(&mut pool, "ForgotPassword", "rex", json!({})));
    strings.push(pool.last_code_sent("rex").unwrap());
    let started = expect_ok(&with_token(
        &mut pool,
        "StartWebAuthnRegistration",
        &token,
        json!({}),
    ));
    strings.push(started["CredentialCreationOptions"].to_string());
    strings.push(pool.add_passkey("rex").unwrap().credential_id);
    (pool, Live { strings })
}

fn garbage(rng: &mut ChaCha20Rng, live: &Live, depth: u32) -> Value {
    let pick = rng.gen_range(0..16);
    match pick {
        0 => Value::Null,
        1 => json!(rng.r#gen::<bool>()),
        2 => json!(rng.gen_range(-5i64..100)),
        3 => json!(f64::MAX),
        4 => json!(u64::MAX),
        5 => json!(""),
        6 => json!("x".repeat(rng.gen_range(1..3000))),
        7 => json!("\u{0}\u{ffff}💥 \n"),
        8 if depth < 3 => {
            let len = rng.gen_range(0..4);
            Value::Array((0..len).map(|_| garbage(rng, live, depth + 1)).collect())
        }
        9 if depth < 3 => {
            let mut map = Map::new();
            for name in [
                "Name",
                "Value",
                "DeliveryMedium",
                "AttributeName",
                "id",
                "rawId",
                "type",
                "response",
                "USERNAME",
                "SECRET_HASH",
            ] {
                if rng.gen_bool(0.5) {
                    map.insert(name.to_owned(), garbage(rng, live, depth + 1));
                }
            }
            Value::Object(map)
        }
        10 => {
            json!([{ "Name": "email", "Value": "a@b" }, { "Name": "phone_number", "Value": "+1" }])
        }
        11 => json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]),
        _ => json!(live.strings[rng.gen_range(0..live.strings.len())]),
    }
}

fn check(reply: &Reply, what: &str) {
    assert!(
        reply.status == 200 || reply.status == 400,
        "{what}: status {}",
        reply.status
    );
    assert!(
        reply.json().is_object(),
        "{what}: {}",
        String::from_utf8_lossy(&reply.body)
    );
    if reply.status == 400 {
        assert!(reply.error_name().is_some(), "{what}");
    }
}

#[test]
fn random_members_never_panic() {
    // A fresh pool every few rounds: DeleteUser and GlobalSignOut soon end the live material.
    for seed in 0..12u64 {
        let (mut pool, live) = setup(seed);
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        for round in 0..25 {
            for (operation, members) in OPERATIONS {
                let mut body = Map::new();
                for member in members {
                    if rng.gen_bool(0.8) {
                        body.insert((*member).to_owned(), garbage(&mut rng, &live, 0));
                    }
                }
                let reply = pool.call(operation, &Value::Object(body.clone()));
                check(
                    &reply,
                    &format!("{operation} round {round}: {}", Value::Object(body)),
                );
            }
        }
    }
}

#[test]
fn non_object_bodies_never_panic() {
    let (mut pool, _) = setup(9);
    for (operation, _) in OPERATIONS {
        for body in [
            &b""[..],
            b"null",
            b"[]",
            b"\"x\"",
            b"{",
            b"{\"AccessToken\":",
            b"1e999999",
        ] {
            let reply = pool.handle(&format!("{TARGET_PREFIX}{operation}"), CONTENT_TYPE, body);
            check(&reply, operation);
            assert_eq!(reply.status, 400);
        }
    }
}
