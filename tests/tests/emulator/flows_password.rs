//! USER_PASSWORD_AUTH, NEW_PASSWORD_REQUIRED (temporary passwords, required attributes, the
//! password policy), unconfirmed users, sign-in aliases and per-client auth flows.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    AppClientOptions, AuthFlow, ClientSettings, DeviceTracking, MAX_FAILED_ATTEMPTS,
    MfaConfiguration, MfaMode, PasswordPolicy, SignInAliases, TEMPORARY_PASSWORD_VALIDITY_SECS,
    UserOptions, UserPool, UserStatus,
};
use serde_json::{Value, json};

#[test]
fn user_password_auth_signs_in_in_one_step() {
    for secret in [None, Some(SECRET)] {
        let (mut pool, sub) = pool(1, secret);
        let client = RawClient::new(CLIENT_ID, secret, 1);
        let reply = client.password_auth(&mut pool, "alice", PASSWORD);
        let result = expect_tokens(&reply);
        assert_eq!(expect_ok(&reply)["ChallengeParameters"], json!({}));
        let claims = pool
            .verify_access_token(str_of(&result["AccessToken"]))
            .unwrap();
        assert_eq!(claims.sub, sub);
        assert_eq!(pool.operations(), ["InitiateAuth"]);
        // SECRET_HASH at InitiateAuth is over the name typed.
        if secret.is_some() {
            let reply = client.initiate_raw(
                &mut pool,
                "USER_PASSWORD_AUTH",
                json!({ "USERNAME": "alice", "PASSWORD": PASSWORD, "SECRET_HASH": client.secret_hash(&sub) }),
            );
            expect_error(&reply, "NotAuthorizedException");
        }
    }
}

#[test]
fn user_password_auth_failures() {
    let (mut pool, _) = pool(2, None);
    let client = RawClient::new(CLIENT_ID, None, 2);
    let reply = client.password_auth(&mut pool, "alice", "Passw0rd?");
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Incorrect username or password."
    );
    let reply = client.password_auth(&mut pool, "nobody", PASSWORD);
    expect_error(&reply, "UserNotFoundException");
    let reply = client.initiate(&mut pool, "USER_PASSWORD_AUTH", "alice", json!({}));
    assert_eq!(
        expect_error(&reply, "InvalidParameterException"),
        "Missing required parameter PASSWORD"
    );
    let reply = client.initiate(
        &mut pool,
        "ADMIN_USER_PASSWORD_AUTH",
        "alice",
        json!({ "PASSWORD": PASSWORD }),
    );
    expect_error(&reply, "InvalidParameterException");
}

#[test]
fn flows_the_client_does_not_allow_are_refused() {
    let (mut pool, _) = pool(3, None);
    assert!(pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            auth_flows: vec![AuthFlow::UserSrp, AuthFlow::RefreshToken],
            ..ClientSettings::default()
        }
    ));
    assert!(!pool.set_client_settings("nope", ClientSettings::default()));
    let mut client = RawClient::new(CLIENT_ID, None, 3);
    for flow in ["USER_PASSWORD_AUTH", "CUSTOM_AUTH", "USER_AUTH"] {
        let reply = client.initiate(&mut pool, flow, "alice", json!({ "PASSWORD": PASSWORD }));
        assert_eq!(
            expect_error(&reply, "InvalidParameterException"),
            format!("{flow} flow not enabled for this client")
        );
    }
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_tokens(&reply);
}

#[test]
fn user_password_auth_with_a_device_key_goes_through_device_srp() {
    let mut pool = UserPool::new(POOL_ID, 4);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: Some(SECRET.to_owned()),
            device_tracking: DeviceTracking::Always,
        },
    );
    let sub = pool.add_user("alice", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 4);
    let reply = client.password_auth(&mut pool, "alice", PASSWORD);
    let result = expect_tokens(&reply);
    let access = str_of(&result["AccessToken"]).to_owned();
    let (creds, _) = client
        .confirm_device(
            &mut pool,
            &result["NewDeviceMetadata"],
            &access,
            DEVICE_NAME,
        )
        .unwrap();

    let reply = client.initiate(
        &mut pool,
        "USER_PASSWORD_AUTH",
        "alice",
        json!({ "PASSWORD": PASSWORD, "DEVICE_KEY": creds.key }),
    );
    // The client never saw USER_ID_FOR_SRP, so DEVICE_SRP_AUTH names it.
    let (params, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
    assert_eq!(params, json!({ "USERNAME": sub, "USER_ID_FOR_SRP": sub }));
    let result = expect_tokens(
        &client
            .device_srp(&mut pool, &sub, &creds, &session)
            .unwrap(),
    );
    assert!(result.get("NewDeviceMetadata").is_none());

    // An unknown device key: ResourceNotFoundException at once.
    let reply = client.initiate(
        &mut pool,
        "USER_PASSWORD_AUTH",
        "alice",
        json!({ "PASSWORD": PASSWORD, "DEVICE_KEY": "eu-west-1_unknown" }),
    );
    expect_error(&reply, "ResourceNotFoundException");
}

fn temp_user_pool(seed: u64) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, Some(SECRET));
    pool.set_required_attributes(&["email", "name"]);
    let sub = pool.add_user_with(
        "newbie",
        "Temp-0rary",
        UserOptions {
            email: Some("newbie@example.com".to_owned()),
            email_verified: true,
            status: UserStatus::ForceChangePassword,
            ..UserOptions::default()
        },
    );
    (pool, sub)
}

fn parse_json_string(value: &Value) -> Value {
    serde_json::from_str(str_of(value)).unwrap()
}

#[test]
fn new_password_required_with_required_attributes_and_policy() {
    let (mut pool, sub) = temp_user_pool(5);
    assert_eq!(
        pool.user_status("newbie"),
        Some(UserStatus::ForceChangePassword)
    );
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 5);
    let reply = client.password_auth(&mut pool, "newbie", "Temp-0rary");
    let (params, session) = expect_challenge(&reply, "NEW_PASSWORD_REQUIRED");
    assert_eq!(params["USER_ID_FOR_SRP"], sub.as_str());
    assert_eq!(
        parse_json_string(&params["userAttributes"]),
        json!({ "email": "newbie@example.com", "email_verified": "true" })
    );
    assert_eq!(
        string_list(&params["requiredAttributes"]).unwrap(),
        ["userAttributes.name"]
    );

    // Missing the required attribute: retryable.
    let reply = client.respond(
        &mut pool,
        "NEW_PASSWORD_REQUIRED",
        &sub,
        json!({ "NEW_PASSWORD": "N3w-Password" }),
        Some(&session),
    );
    assert_eq!(
        expect_error(&reply, "InvalidParameterException"),
        "Invalid attributes given, name is missing"
    );
    // A weak password: retryable too (this is the second of MAX_FAILED_ATTEMPTS - 1 retries).
    let reply = client.respond(
        &mut pool,
        "NEW_PASSWORD_REQUIRED",
        &sub,
        json!({ "NEW_PASSWORD": "Sh0rt!", "userAttributes.name": "New Bie" }),
        Some(&session),
    );
    assert_eq!(
        expect_error(&reply, "InvalidPasswordException"),
        "Password does not conform to policy: Password not long enough"
    );
    let reply = client.respond(
        &mut pool,
        "NEW_PASSWORD_REQUIRED",
        &sub,
        json!({
            "NEW_PASSWORD": "N3w-Password",
            "userAttributes.name": "New Bie",
            "userAttributes.custom:team": "blue",
        }),
        Some(&session),
    );
    expect_tokens(&reply);
    assert_eq!(pool.user_status("newbie"), Some(UserStatus::Confirmed));
    let attributes = pool.user_attributes("newbie").unwrap();
    assert_eq!(attributes["name"], "New Bie");
    assert_eq!(attributes["custom:team"], "blue");
    assert_eq!(attributes["sub"], sub);

    // The new password works, by SRP too; the temporary one no longer does.
    let mut client = client;
    let (reply, _) = client
        .srp(&mut pool, "newbie", "N3w-Password", None)
        .unwrap();
    expect_tokens(&reply);
    let reply = client.password_auth(&mut pool, "newbie", "Temp-0rary");
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn password_policy_wording() {
    let policy = PasswordPolicy::default();
    for (weak, why) in [
        ("Sh0rt!", "Password not long enough"),
        ("nouppercase1!", "Password must have uppercase characters"),
        ("NOLOWERCASE1!", "Password must have lowercase characters"),
        ("NoNumbers!!", "Password must have numeric characters"),
        ("NoSymbols123", "Password must have symbol characters"),
    ] {
        assert_eq!(
            policy.check(weak),
            Err(format!("Password does not conform to policy: {why}"))
        );
    }
    assert_eq!(policy.check("Good pass 1"), Ok(()));
}

#[test]
fn too_many_rejected_new_passwords_end_the_sign_in() {
    let (mut pool, sub) = temp_user_pool(11);
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 11);
    let reply = client.password_auth(&mut pool, "newbie", "Temp-0rary");
    let (_, session) = expect_challenge(&reply, "NEW_PASSWORD_REQUIRED");
    let weak = json!({ "NEW_PASSWORD": "weak", "userAttributes.name": "N" });
    for _ in 1..MAX_FAILED_ATTEMPTS {
        let reply = client.respond(
            &mut pool,
            "NEW_PASSWORD_REQUIRED",
            &sub,
            weak.clone(),
            Some(&session),
        );
        expect_error(&reply, "InvalidPasswordException");
    }
    let reply = client.respond(
        &mut pool,
        "NEW_PASSWORD_REQUIRED",
        &sub,
        weak,
        Some(&session),
    );
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn new_password_required_rejects_unauthorized_and_unknown_attributes() {
    for (name, value, error) in [
        ("email_verified", "true", "NotAuthorizedException"),
        ("sub", "x", "NotAuthorizedException"),
        ("favourite_colour", "red", "InvalidParameterException"),
        ("email", "other@example.com", "InvalidParameterException"),
    ] {
        let (mut pool, sub) = temp_user_pool(6);
        let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 6);
        let (reply, _) = client.srp(&mut pool, "newbie", "Temp-0rary", None).unwrap();
        let (_, session) = expect_challenge(&reply, "NEW_PASSWORD_REQUIRED");
        let mut responses = json!({ "NEW_PASSWORD": "N3w-Password", "userAttributes.name": "N" });
        responses[format!("userAttributes.{name}")] = json!(value);
        let reply = client.respond(
            &mut pool,
            "NEW_PASSWORD_REQUIRED",
            &sub,
            responses,
            Some(&session),
        );
        let message = expect_error(&reply, error);
        if name == "email" {
            assert_eq!(message, "Cannot modify an already provided email");
        }
        // Not retryable: the Session is gone.
        let reply = client.respond(
            &mut pool,
            "NEW_PASSWORD_REQUIRED",
            &sub,
            json!({ "NEW_PASSWORD": "N3w-Password", "userAttributes.name": "N" }),
            Some(&session),
        );
        expect_error(&reply, "NotAuthorizedException");
    }
}

#[test]
fn temporary_password_expires() {
    let (mut pool, _) = temp_user_pool(7);
    pool.advance(TEMPORARY_PASSWORD_VALIDITY_SECS + 1);
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 7);
    let reply = client.password_auth(&mut pool, "newbie", "Temp-0rary");
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Temporary password has expired and must be reset by an administrator."
    );
}

#[test]
fn new_password_then_required_mfa_set_up() {
    let (mut pool, sub) = temp_user_pool(8);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        ..MfaConfiguration::default()
    });
    pool.set_password_policy(PasswordPolicy {
        min_length: 6,
        require_symbols: false,
        ..PasswordPolicy::default()
    });
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 8);
    let reply = client.password_auth(&mut pool, "newbie", "Temp-0rary");
    let (_, session) = expect_challenge(&reply, "NEW_PASSWORD_REQUIRED");
    let reply = client.respond(
        &mut pool,
        "NEW_PASSWORD_REQUIRED",
        &sub,
        json!({ "NEW_PASSWORD": "Simple1x", "userAttributes.name": "N" }),
        Some(&session),
    );
    let (params, next) = expect_challenge(&reply, "MFA_SETUP");
    assert_ne!(next, session);
    assert_eq!(
        string_list(&params["MFAS_CAN_SETUP"]).unwrap(),
        ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    );
}

#[test]
fn unconfirmed_users_get_user_not_confirmed_after_a_correct_password() {
    let mut pool = UserPool::new(POOL_ID, 9);
    pool.add_client(CLIENT_ID, None);
    pool.add_user_with(
        "pending",
        PASSWORD,
        UserOptions {
            status: UserStatus::Unconfirmed,
            ..UserOptions::default()
        },
    );
    let mut client = RawClient::new(CLIENT_ID, None, 9);
    let reply = client.password_auth(&mut pool, "pending", "wrong");
    expect_error(&reply, "NotAuthorizedException");
    let reply = client.password_auth(&mut pool, "pending", PASSWORD);
    assert_eq!(
        expect_error(&reply, "UserNotConfirmedException"),
        "User is not confirmed."
    );
    let (reply, _) = client.srp(&mut pool, "pending", PASSWORD, None).unwrap();
    expect_error(&reply, "UserNotConfirmedException");
}

#[test]
fn verified_aliases_sign_in_when_enabled() {
    let mut pool = UserPool::new(POOL_ID, 10);
    pool.add_client(CLIENT_ID, Some(SECRET));
    let sub = pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some("alice@example.com".to_owned()),
            email_verified: true,
            phone_number: Some("+15555550100".to_owned()),
            phone_number_verified: false,
            ..UserOptions::default()
        },
    );
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 10);
    let reply = client.password_auth(&mut pool, "alice@example.com", PASSWORD);
    expect_error(&reply, "UserNotFoundException");
    pool.set_sign_in_aliases(SignInAliases {
        email: true,
        phone_number: true,
    });
    let reply = client.password_auth(&mut pool, "alice@example.com", PASSWORD);
    expect_tokens(&reply);
    // SRP by alias: the challenge names the sub, and the answer must hash the sub.
    let (reply, srp_sub) = client
        .srp(&mut pool, "alice@example.com", PASSWORD, None)
        .unwrap();
    assert_eq!(srp_sub, sub);
    expect_tokens(&reply);
    // An unverified phone number is no alias.
    let reply = client.password_auth(&mut pool, "+15555550100", PASSWORD);
    expect_error(&reply, "UserNotFoundException");
}
