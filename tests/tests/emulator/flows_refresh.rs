//! Refreshing: REFRESH_TOKEN_AUTH / REFRESH_TOKEN and GetTokensFromRefreshToken — SECRET_HASH over
//! the real username (not an alias), DEVICE_KEY for device-bound tokens, rotation and its grace
//! period, expiry, other clients' tokens.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    AppClientOptions, ClientSettings, DeviceTracking, Reply, SignInAliases, TOKEN_LIFETIME_SECS,
    UserOptions, UserPool, jwt_payload,
};
use serde_json::{Value, json};

/// Signs alice in with USER_PASSWORD_AUTH; returns the AuthenticationResult.
fn sign_in(pool: &mut UserPool, client: &RawClient, name: &str) -> Value {
    expect_tokens(&client.password_auth(pool, name, PASSWORD))
}

fn refresh(pool: &mut UserPool, client: &RawClient, params: Value) -> Reply {
    client.initiate_raw(pool, "REFRESH_TOKEN_AUTH", params)
}

fn get_tokens(pool: &mut UserPool, body: Value) -> Reply {
    pool.call("GetTokensFromRefreshToken", &body)
}

#[test]
fn refresh_token_auth_issues_new_access_and_id_tokens() {
    let (mut pool, sub) = pool(1, None);
    let client = RawClient::new(CLIENT_ID, None, 1);
    let first = sign_in(&mut pool, &client, "alice");
    let token = str_of(&first["RefreshToken"]).to_owned();
    let original = pool
        .verify_access_token(str_of(&first["AccessToken"]))
        .unwrap();
    pool.advance(600);
    for flow in ["REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"] {
        let reply = client.initiate_raw(&mut pool, flow, json!({ "REFRESH_TOKEN": token }));
        let body = expect_ok(&reply);
        assert_eq!(body["ChallengeParameters"], json!({}));
        let result = expect_tokens(&reply);
        assert!(result.get("RefreshToken").is_none());
        assert!(result.get("NewDeviceMetadata").is_none());
        assert_eq!(result["ExpiresIn"], TOKEN_LIFETIME_SECS);
        let claims = pool
            .verify_access_token(str_of(&result["AccessToken"]))
            .unwrap();
        assert_eq!(claims.sub, sub);
        assert_eq!(claims.iat, pool.now());
        assert_eq!(claims.auth_time, original.auth_time);
        assert_eq!(claims.origin_jti, original.origin_jti);
        assert_ne!(claims.jti, original.jti);
        let id = jwt_payload(str_of(&result["IdToken"])).unwrap();
        assert_eq!(id["origin_jti"], original.origin_jti.as_str());
    }
    // Garbage and missing tokens.
    let reply = refresh(&mut pool, &client, json!({ "REFRESH_TOKEN": "abc" }));
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid Refresh Token"
    );
    let reply = refresh(&mut pool, &client, json!({}));
    expect_error(&reply, "InvalidParameterException");
    // An access token is not a refresh token.
    let reply = refresh(
        &mut pool,
        &client,
        json!({ "REFRESH_TOKEN": first["AccessToken"] }),
    );
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn secret_hash_on_refresh_is_over_the_real_username_not_the_alias() {
    let mut pool = UserPool::new(POOL_ID, 2);
    pool.add_client(CLIENT_ID, Some(SECRET));
    pool.set_sign_in_aliases(SignInAliases {
        email: true,
        phone_number: false,
    });
    let sub = pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some("alice@example.com".to_owned()),
            email_verified: true,
            ..UserOptions::default()
        },
    );
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 2);
    let first = sign_in(&mut pool, &client, "alice@example.com");
    let token = first["RefreshToken"].clone();

    let reply = refresh(
        &mut pool,
        &client,
        json!({ "REFRESH_TOKEN": token, "SECRET_HASH": client.secret_hash("alice@example.com") }),
    );
    assert!(expect_error(&reply, "NotAuthorizedException").contains("secret hash"));
    let reply = refresh(&mut pool, &client, json!({ "REFRESH_TOKEN": token }));
    assert!(expect_error(&reply, "NotAuthorizedException").contains("SECRET_HASH"));
    for name in [sub.as_str(), "alice"] {
        let reply = refresh(
            &mut pool,
            &client,
            json!({ "REFRESH_TOKEN": token, "SECRET_HASH": client.secret_hash(name) }),
        );
        expect_tokens(&reply);
    }
}

/// A device-tracking pool; alice's first sign-in returned `NewDeviceMetadata`, which the client
/// confirmed. Returns the pool, client, that first result and the device.
fn tracked(seed: u64, secret: Option<&str>) -> (UserPool, RawClient, String, Value, DeviceCreds) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: DeviceTracking::Always,
        },
    );
    let sub = pool.add_user("alice", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, secret, seed);
    let first = sign_in(&mut pool, &client, "alice");
    let access = str_of(&first["AccessToken"]).to_owned();
    let (creds, _) = client
        .confirm_device(&mut pool, &first["NewDeviceMetadata"], &access, DEVICE_NAME)
        .unwrap();
    (pool, client, sub, first, creds)
}

#[test]
fn refresh_of_a_device_bound_token_needs_the_device_key() {
    for secret in [None, Some(SECRET)] {
        let (mut pool, mut client, sub, first, creds) = tracked(3, secret);
        let token = first["RefreshToken"].clone();
        let hash = client.secret_hash(&sub);
        let with = |key: Option<&str>| {
            let mut params = json!({ "REFRESH_TOKEN": token });
            if let Some(hash) = &hash {
                params["SECRET_HASH"] = json!(hash);
            }
            if let Some(key) = key {
                params["DEVICE_KEY"] = json!(key);
            }
            params
        };
        for key in [None, Some("eu-west-1_00000000-0000-4000-8000-000000000000")] {
            let reply = refresh(&mut pool, &client, with(key));
            assert_eq!(
                expect_error(&reply, "NotAuthorizedException"),
                "Invalid Refresh Token"
            );
        }
        let result = expect_tokens(&refresh(&mut pool, &client, with(Some(&creds.key))));
        let claims = pool
            .verify_access_token(str_of(&result["AccessToken"]))
            .unwrap();
        assert_eq!(claims.device_key.as_deref(), Some(creds.key.as_str()));

        // GetTokensFromRefreshToken: DeviceKey the same way.
        let mut body = json!({ "RefreshToken": token, "ClientId": CLIENT_ID });
        if let Some(secret) = secret {
            body["ClientSecret"] = json!(secret);
        }
        expect_error(
            &get_tokens(&mut pool, body.clone()),
            "NotAuthorizedException",
        );
        body["DeviceKey"] = json!(creds.key);
        expect_tokens(&get_tokens(&mut pool, body.clone()));

        // A device sign-in's token is bound to that device.
        let (reply, _) = client
            .srp(&mut pool, "alice", PASSWORD, Some(&creds.key))
            .unwrap();
        let (_, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
        let result = expect_tokens(
            &client
                .device_srp(&mut pool, &sub, &creds, &session)
                .unwrap(),
        );
        let device_token = result["RefreshToken"].clone();
        let mut params = json!({ "REFRESH_TOKEN": device_token });
        if let Some(hash) = &hash {
            params["SECRET_HASH"] = json!(hash);
        }
        expect_error(
            &refresh(&mut pool, &client, params.clone()),
            "NotAuthorizedException",
        );
        params["DEVICE_KEY"] = json!(creds.key);
        expect_tokens(&refresh(&mut pool, &client, params.clone()));

        // Forgetting the device invalidates both.
        let access = str_of(&result["AccessToken"]).to_owned();
        expect_ok(&pool.call(
            "ForgetDevice",
            &json!({ "AccessToken": access, "DeviceKey": creds.key }),
        ));
        expect_error(
            &refresh(&mut pool, &client, params),
            "NotAuthorizedException",
        );
        expect_error(&get_tokens(&mut pool, body), "NotAuthorizedException");
    }
}

#[test]
fn unbound_tokens_ignore_a_device_key() {
    let (mut pool, _) = pool(4, None);
    let client = RawClient::new(CLIENT_ID, None, 4);
    let first = sign_in(&mut pool, &client, "alice");
    let reply = refresh(
        &mut pool,
        &client,
        json!({ "REFRESH_TOKEN": first["RefreshToken"], "DEVICE_KEY": "eu-west-1_whatever" }),
    );
    let result = expect_tokens(&reply);
    let claims = pool
        .verify_access_token(str_of(&result["AccessToken"]))
        .unwrap();
    assert_eq!(claims.device_key, None);
}

#[test]
fn get_tokens_without_rotation_keeps_the_old_token() {
    let (mut pool, _) = pool(5, Some(SECRET));
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 5);
    let first = sign_in(&mut pool, &client, "alice");
    let token = first["RefreshToken"].clone();
    let body = json!({ "RefreshToken": token, "ClientId": CLIENT_ID, "ClientSecret": SECRET, "ClientMetadata": {"k": "v"} });
    for _ in 0..3 {
        let reply = get_tokens(&mut pool, body.clone());
        let result = expect_tokens(&reply);
        assert!(result.get("RefreshToken").is_none());
        assert!(expect_ok(&reply).get("ChallengeParameters").is_none());
    }
    // RawClient secret checks.
    let mut wrong = body.clone();
    wrong["ClientSecret"] = json!("not-the-secret");
    expect_error(&get_tokens(&mut pool, wrong), "NotAuthorizedException");
    let mut missing = body.clone();
    missing.as_object_mut().unwrap().remove("ClientSecret");
    expect_error(&get_tokens(&mut pool, missing), "NotAuthorizedException");
    // Another client's token.
    pool.add_client("otherclient", None);
    let reply = get_tokens(
        &mut pool,
        json!({ "RefreshToken": token, "ClientId": "otherclient" }),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid Refresh Token"
    );
    let reply = get_tokens(
        &mut pool,
        json!({ "RefreshToken": token, "ClientId": "no-such-client" }),
    );
    expect_error(&reply, "ResourceNotFoundException");
}

#[test]
fn rotation_returns_a_new_token_and_retires_the_old_one() {
    let (mut pool, _) = pool(6, None);
    assert!(pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            ..ClientSettings::default()
        }
    ));
    let client = RawClient::new(CLIENT_ID, None, 6);
    let first = sign_in(&mut pool, &client, "alice");
    let old = first["RefreshToken"].clone();

    // REFRESH_TOKEN_AUTH is refused with rotation on.
    let reply = refresh(&mut pool, &client, json!({ "REFRESH_TOKEN": old }));
    expect_error(&reply, "InvalidParameterException");

    let reply = get_tokens(
        &mut pool,
        json!({ "RefreshToken": old, "ClientId": CLIENT_ID }),
    );
    let result = expect_tokens(&reply);
    let new = result["RefreshToken"].clone();
    assert!(new.is_string());
    assert_ne!(new, old);
    let reply = get_tokens(
        &mut pool,
        json!({ "RefreshToken": old, "ClientId": CLIENT_ID }),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid Refresh Token"
    );
    // The new one works (and rotates again).
    let reply = get_tokens(
        &mut pool,
        json!({ "RefreshToken": new, "ClientId": CLIENT_ID }),
    );
    let newer = expect_tokens(&reply)["RefreshToken"].clone();
    assert_ne!(newer, new);
}

#[test]
fn rotation_grace_period() {
    let (mut pool, _) = pool(7, None);
    pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            rotation_grace_period_secs: 30,
            ..ClientSettings::default()
        },
    );
    let client = RawClient::new(CLIENT_ID, None, 7);
    let first = sign_in(&mut pool, &client, "alice");
    let old = first["RefreshToken"].clone();
    let body = json!({ "RefreshToken": old, "ClientId": CLIENT_ID });
    expect_tokens(&get_tokens(&mut pool, body.clone()));
    pool.advance(29);
    // A retry within the grace period works, and does not extend it.
    expect_tokens(&get_tokens(&mut pool, body.clone()));
    pool.advance(1);
    expect_error(&get_tokens(&mut pool, body), "NotAuthorizedException");
}

#[test]
fn refresh_tokens_expire() {
    let (mut pool, _) = pool(8, None);
    pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_validity_secs: 3600,
            ..ClientSettings::default()
        },
    );
    let client = RawClient::new(CLIENT_ID, None, 8);
    let first = sign_in(&mut pool, &client, "alice");
    pool.advance(3599);
    expect_tokens(&refresh(
        &mut pool,
        &client,
        json!({ "REFRESH_TOKEN": first["RefreshToken"] }),
    ));
    pool.advance(1);
    let reply = refresh(
        &mut pool,
        &client,
        json!({ "REFRESH_TOKEN": first["RefreshToken"] }),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Refresh Token has expired"
    );
}
