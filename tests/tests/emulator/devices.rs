//! Device tracking against the emulator: NewDeviceMetadata → ConfirmDevice → DEVICE_SRP_AUTH →
//! DEVICE_PASSWORD_VERIFIER, forgotten devices, expired Sessions, access-token checks.

use base64ct::{Base64, Encoding};
use cognito_tests::fixtures::raw_client::srp_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{AppClientOptions, DeviceTracking, SESSION_LIFETIME_SECS, UserPool};
use cognito_tests::{srp, timestamp};
use serde_json::{Value, json};

fn pool_with_tracking(
    seed: u64,
    tracking: DeviceTracking,
    secret: Option<&str>,
) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: tracking,
        },
    );
    let sub = pool.add_user("grace", "Dev1ce-Passw0rd");
    (pool, sub)
}

/// First sign-in and ConfirmDevice; returns the device credentials and the first reply.
fn sign_in_and_confirm(
    pool: &mut UserPool,
    client: &mut RawClient,
    expect_confirmation: bool,
) -> (DeviceCreds, Value) {
    let first = client
        .sign_in(pool, "grace", "Dev1ce-Passw0rd", None)
        .unwrap();
    let result = &first["AuthenticationResult"];
    let metadata = &result["NewDeviceMetadata"];
    let key = str_of(&metadata["DeviceKey"]);
    let group = str_of(&metadata["DeviceGroupKey"]);
    // "<region>_<uuid>" and "-<9 chars>".
    let (region, uuid) = key.split_once('_').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(uuid.len(), 36);
    assert_eq!(uuid.matches('-').count(), 4);
    assert_eq!(group.len(), 10);
    assert!(group.starts_with('-'));
    assert!(!pool.device_info(key).unwrap().confirmed);

    let access = str_of(&result["AccessToken"]).to_owned();
    let (creds, body) = client.new_device(metadata, &access, DEVICE_NAME).unwrap();
    let reply = expect_ok(&pool.call("ConfirmDevice", &body));
    assert_eq!(
        reply,
        json!({ "UserConfirmationNecessary": expect_confirmation })
    );
    let info = pool.device_info(&creds.key).unwrap();
    assert!(info.confirmed);
    assert_eq!(info.name.as_deref(), Some("emulator-test"));
    (creds, first)
}

#[test]
fn device_sign_in_end_to_end() {
    for (seed, secret) in [(21, None), (22, Some(SECRET))] {
        let (mut pool, sub) = pool_with_tracking(seed, DeviceTracking::Always, secret);
        let mut client = RawClient::new(CLIENT_ID, secret, seed);
        let (creds, _) = sign_in_and_confirm(&mut pool, &mut client, false);
        assert_eq!(pool.device_info(&creds.key).unwrap().remembered, Some(true));

        // Second sign-in with the device, step by step.
        let (eph, params) = client
            .srp_initiate(&mut pool, "grace", Some(&creds.key))
            .unwrap();
        let stamp = timestamp::format(pool.now());
        let body = client
            .password_verifier_body(
                pool.pool_name(),
                &params,
                &eph,
                "Dev1ce-Passw0rd",
                &stamp,
                Some(&creds.key),
            )
            .unwrap();
        let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
        assert_eq!(reply["ChallengeName"], "DEVICE_SRP_AUTH");
        assert_eq!(reply["ChallengeParameters"], json!({}));
        let session = str_of(&reply["Session"]).to_owned();
        assert!(session.len() > 500);

        let (eph, body) = client.device_srp_auth_body(&sub, &creds, &session);
        let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
        assert_eq!(reply["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
        let params = reply["ChallengeParameters"].clone();
        let mut keys: Vec<&str> = params
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["SALT", "SECRET_BLOCK", "SRP_B", "USERNAME"]);
        assert_eq!(params["USERNAME"], sub.as_str());
        let session2 = str_of(&reply["Session"]).to_owned();
        assert_ne!(session, session2);

        let body = client
            .device_password_verifier_body(&creds, &params, &eph, &stamp, &session2)
            .unwrap();
        let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
        let result = &reply["AuthenticationResult"];
        assert!(result.get("NewDeviceMetadata").is_none(), "{reply}");
        let claims = pool
            .verify_access_token(str_of(&result["AccessToken"]))
            .unwrap();
        assert_eq!(claims.device_key.as_deref(), Some(creds.key.as_str()));
        assert_eq!(claims.sub, sub);

        assert_eq!(
            pool.operations(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "ConfirmDevice",
                "InitiateAuth",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
            ]
        );
        // The client sent DEVICE_KEY at InitiateAuth and in every answer.
        let requests = pool.requests();
        assert_eq!(
            requests[3].body["AuthParameters"]["DEVICE_KEY"],
            creds.key.as_str()
        );
        for request in &requests[4..] {
            assert_eq!(
                request.body["ChallengeResponses"]["DEVICE_KEY"],
                creds.key.as_str()
            );
        }
        if secret.is_some() {
            for request in &requests[4..] {
                assert_eq!(
                    request.body["ChallengeResponses"]["SECRET_HASH"],
                    cognito_tests::pool::secret_hash(SECRET, &sub, CLIENT_ID).as_str()
                );
            }
        }
    }
}

#[test]
fn device_key_only_at_initiate_auth_is_enough() {
    let (mut pool, _) = pool_with_tracking(23, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 23);
    let (creds, _) = sign_in_and_confirm(&mut pool, &mut client, false);
    let (eph, params) = client
        .srp_initiate(&mut pool, "grace", Some(&creds.key))
        .unwrap();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(
            pool.pool_name(),
            &params,
            &eph,
            "Dev1ce-Passw0rd",
            &stamp,
            None,
        )
        .unwrap();
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    assert_eq!(reply["ChallengeName"], "DEVICE_SRP_AUTH");
}

#[test]
fn user_opt_in_and_update_device_status() {
    let (mut pool, _) = pool_with_tracking(24, DeviceTracking::UserOptIn, None);
    let mut client = RawClient::new(CLIENT_ID, None, 24);
    let (creds, first) = sign_in_and_confirm(&mut pool, &mut client, true);
    assert_eq!(pool.device_info(&creds.key).unwrap().remembered, None);
    let access = str_of(&first["AuthenticationResult"]["AccessToken"]);

    let body = json!({ "AccessToken": access, "DeviceKey": creds.key, "DeviceRememberedStatus": "remembered" });
    assert_eq!(
        expect_ok(&pool.call("UpdateDeviceStatus", &body)),
        json!({})
    );
    assert_eq!(pool.device_info(&creds.key).unwrap().remembered, Some(true));
    let body = json!({ "AccessToken": access, "DeviceKey": creds.key, "DeviceRememberedStatus": "not_remembered" });
    expect_ok(&pool.call("UpdateDeviceStatus", &body));
    assert_eq!(
        pool.device_info(&creds.key).unwrap().remembered,
        Some(false)
    );
    let body = json!({ "AccessToken": access, "DeviceKey": creds.key, "DeviceRememberedStatus": "REMEMBERED" });
    expect_error(
        &pool.call("UpdateDeviceStatus", &body),
        "InvalidParameterException",
    );

    // Still a tracked device: a device sign-in works.
    let reply = client
        .sign_in(&mut pool, "grace", "Dev1ce-Passw0rd", Some(&creds))
        .unwrap();
    assert!(reply["AuthenticationResult"]["AccessToken"].is_string());
}

#[test]
fn no_device_metadata_without_tracking() {
    let (mut pool, _) = pool_with_tracking(25, DeviceTracking::Off, None);
    let mut client = RawClient::new(CLIENT_ID, None, 25);
    let reply = client
        .sign_in(&mut pool, "grace", "Dev1ce-Passw0rd", None)
        .unwrap();
    assert!(
        reply["AuthenticationResult"]
            .get("NewDeviceMetadata")
            .is_none()
    );
}

#[test]
fn forgotten_device_is_resource_not_found() {
    let (mut pool, sub) = pool_with_tracking(26, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 26);
    let (creds, first) = sign_in_and_confirm(&mut pool, &mut client, false);
    let access = str_of(&first["AuthenticationResult"]["AccessToken"]).to_owned();

    let body = json!({ "AccessToken": access, "DeviceKey": creds.key });
    assert_eq!(expect_ok(&pool.call("ForgetDevice", &body)), json!({}));
    assert!(pool.device_info(&creds.key).is_none());
    assert!(
        pool.devices_of(&sub)
            .iter()
            .all(|d| d.device_key != creds.key)
    );
    // Forgetting again, or touching it, is ResourceNotFoundException.
    expect_error(
        &pool.call("ForgetDevice", &body),
        "ResourceNotFoundException",
    );
    let status = json!({ "AccessToken": access, "DeviceKey": creds.key, "DeviceRememberedStatus": "remembered" });
    expect_error(
        &pool.call("UpdateDeviceStatus", &status),
        "ResourceNotFoundException",
    );

    // Signing in with the forgotten key: the password is right, the device is gone.
    let (eph, params) = client
        .srp_initiate(&mut pool, "grace", Some(&creds.key))
        .unwrap();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(
            pool.pool_name(),
            &params,
            &eph,
            "Dev1ce-Passw0rd",
            &stamp,
            Some(&creds.key),
        )
        .unwrap();
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "ResourceNotFoundException",
    );
    assert_eq!(message, "Device does not exist.");

    // Dropping the key and signing in again works and registers a new device.
    let reply = client
        .sign_in(&mut pool, "grace", "Dev1ce-Passw0rd", None)
        .unwrap();
    let new_key = str_of(&reply["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]);
    assert_ne!(new_key, creds.key);
}

#[test]
fn unknown_or_unconfirmed_device_key_is_resource_not_found() {
    let (mut pool, _) = pool_with_tracking(27, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 27);
    let first = client
        .sign_in(&mut pool, "grace", "Dev1ce-Passw0rd", None)
        .unwrap();
    let pending_key =
        str_of(&first["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]).to_owned();
    for key in [
        "us-east-1_00000000-0000-4000-8000-000000000000",
        pending_key.as_str(),
    ] {
        let (eph, params) = client.srp_initiate(&mut pool, "grace", Some(key)).unwrap();
        let stamp = timestamp::format(pool.now());
        let body = client
            .password_verifier_body(
                pool.pool_name(),
                &params,
                &eph,
                "Dev1ce-Passw0rd",
                &stamp,
                None,
            )
            .unwrap();
        expect_error(
            &pool.call("RespondToAuthChallenge", &body),
            "ResourceNotFoundException",
        );
    }
}

/// Signs in up to DEVICE_SRP_AUTH; returns (sub, Session).
fn up_to_device_srp_auth(
    pool: &mut UserPool,
    client: &mut RawClient,
    creds: &DeviceCreds,
) -> (String, String) {
    let (eph, params) = client
        .srp_initiate(pool, "grace", Some(&creds.key))
        .unwrap();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(
            pool.pool_name(),
            &params,
            &eph,
            "Dev1ce-Passw0rd",
            &stamp,
            Some(&creds.key),
        )
        .unwrap();
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    (
        str_of(&params["USERNAME"]).to_owned(),
        str_of(&reply["Session"]).to_owned(),
    )
}

#[test]
fn expired_or_reused_session_is_rejected() {
    let (mut pool, _) = pool_with_tracking(28, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 28);
    let (creds, _) = sign_in_and_confirm(&mut pool, &mut client, false);

    // Expired DEVICE_SRP_AUTH Session.
    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    pool.advance(SESSION_LIFETIME_SECS + 1);
    let (_, body) = client.device_srp_auth_body(&sub, &creds, &session);
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Invalid session for the user, session is expired.");

    // Just inside the lifetime works; the used Session cannot be used again.
    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    pool.advance(SESSION_LIFETIME_SECS);
    let (eph, body) = client.device_srp_auth_body(&sub, &creds, &session);
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );

    // Expired DEVICE_PASSWORD_VERIFIER Session.
    let params = &reply["ChallengeParameters"];
    let session2 = str_of(&reply["Session"]);
    pool.advance(SESSION_LIFETIME_SECS + 1);
    let stamp = timestamp::format(pool.now());
    let body = client
        .device_password_verifier_body(&creds, params, &eph, &stamp, session2)
        .unwrap();
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Invalid session for the user, session is expired.");

    // Missing, unknown and wrong-step Sessions.
    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    let (_, mut body) = client.device_srp_auth_body(&sub, &creds, &session);
    body.as_object_mut().unwrap().remove("Session");
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "InvalidParameterException",
    );
    body["Session"] = json!("bm90IGEgc2Vzc2lvbg==");
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    let stamp = timestamp::format(pool.now());
    let fake_params = json!({
        "SALT": "01", "SRP_B": "02", "SECRET_BLOCK": "AA==", "USERNAME": sub,
    });
    let eph = client.ephemeral();
    let body = client
        .device_password_verifier_body(&creds, &fake_params, &eph, &stamp, &session)
        .unwrap();
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
}

#[test]
fn wrong_device_password_or_device_key_is_rejected() {
    let (mut pool, _) = pool_with_tracking(29, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 29);
    let (creds, _) = sign_in_and_confirm(&mut pool, &mut client, false);

    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    let (eph, body) = client.device_srp_auth_body(&sub, &creds, &session);
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    let wrong = DeviceCreds {
        password: "wrong".to_owned(),
        ..creds.clone()
    };
    let stamp = timestamp::format(pool.now());
    let body = client
        .device_password_verifier_body(
            &wrong,
            &reply["ChallengeParameters"],
            &eph,
            &stamp,
            str_of(&reply["Session"]),
        )
        .unwrap();
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Incorrect username or password.");

    // Device SRP signed with the user pool's name instead of the DeviceGroupKey.
    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    let (eph, body) = client.device_srp_auth_body(&sub, &creds, &session);
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    let wrong = DeviceCreds {
        group_key: pool.pool_name().to_owned(),
        ..creds.clone()
    };
    let body = client
        .device_password_verifier_body(
            &wrong,
            &reply["ChallengeParameters"],
            &eph,
            &stamp,
            str_of(&reply["Session"]),
        )
        .unwrap();
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );

    // DEVICE_SRP_AUTH naming another device.
    let (sub, session) = up_to_device_srp_auth(&mut pool, &mut client, &creds);
    let other = DeviceCreds {
        key: "us-east-1_other".to_owned(),
        ..creds.clone()
    };
    let (_, body) = client.device_srp_auth_body(&sub, &other, &session);
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
}

#[test]
fn confirm_device_checks_token_device_and_encoding() {
    let (mut pool, _) = pool_with_tracking(30, DeviceTracking::Always, None);
    let mut client = RawClient::new(CLIENT_ID, None, 30);
    let first = client
        .sign_in(&mut pool, "grace", "Dev1ce-Passw0rd", None)
        .unwrap();
    let result = &first["AuthenticationResult"];
    let access = str_of(&result["AccessToken"]).to_owned();
    let (creds, body) = client
        .new_device(&result["NewDeviceMetadata"], &access, DEVICE_NAME)
        .unwrap();

    // Not an access token / forged.
    let mut bad = body.clone();
    bad["AccessToken"] = result["IdToken"].clone();
    let message = expect_error(&pool.call("ConfirmDevice", &bad), "NotAuthorizedException");
    assert_eq!(message, "Invalid Access Token");
    bad["AccessToken"] =
        json!("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2ln");
    expect_error(&pool.call("ConfirmDevice", &bad), "NotAuthorizedException");

    // Unknown device key.
    let mut bad = body.clone();
    bad["DeviceKey"] = json!("us-east-1_00000000-0000-4000-8000-000000000000");
    expect_error(
        &pool.call("ConfirmDevice", &bad),
        "ResourceNotFoundException",
    );

    // Raw salt bytes with the top bit set (no Java 00 prefix) read as negative.
    let mut bad = body.clone();
    bad["DeviceSecretVerifierConfig"]["Salt"] = json!("gAAAAAAAAAAAAAAAAAAAAA==");
    expect_error(
        &pool.call("ConfirmDevice", &bad),
        "InvalidParameterException",
    );
    // A verifier ≥ N.
    let mut bad = body.clone();
    let too_big = Base64::encode_string(&srp::to_java_bytes(srp::n()));
    bad["DeviceSecretVerifierConfig"]["PasswordVerifier"] = json!(too_big);
    expect_error(
        &pool.call("ConfirmDevice", &bad),
        "InvalidParameterException",
    );

    // Expired access token.
    pool.advance(3600);
    let message = expect_error(&pool.call("ConfirmDevice", &body), "NotAuthorizedException");
    assert_eq!(message, "Access Token has expired");
    assert!(!pool.device_info(&creds.key).unwrap().confirmed);

    // Another user's token cannot confirm grace's device.
    let mut pool2 = pool.clone();
    pool2.add_user("heidi", "Heidi-Passw0rd");
    let other = client
        .sign_in(&mut pool2, "heidi", "Heidi-Passw0rd", None)
        .unwrap();
    let mut bad = body.clone();
    bad["AccessToken"] = other["AuthenticationResult"]["AccessToken"].clone();
    expect_error(
        &pool2.call("ConfirmDevice", &bad),
        "ResourceNotFoundException",
    );
}
