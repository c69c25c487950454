//! The signed-in user's account with an access token: GetUser, GetUserAuthFactors,
//! ChangePassword, attribute updates and verification, SetUserSettings, GlobalSignOut,
//! RevokeToken, DeleteUser, and UpdateAuthEventFeedback.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    ATTRIBUTE_CODE_LIFETIME_SECS, AppClientOptions, ClientSettings, CodePurpose, FirstAuthFactor,
    MfaFactor, TOKEN_LIFETIME_SECS, UserMfaSettings, UserOptions, UserPool,
};
use serde_json::json;

const EMAIL: &str = "olga@example.com";
const PHONE: &str = "+15555550188";

/// A pool with olga (verified email, phone), signed in once; returns the sign-in result.
fn olga(seed: u64, secret: Option<&str>) -> (UserPool, RawClient, String, serde_json::Value) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    let sub = pool.add_user_with(
        "olga",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.to_owned()),
            email_verified: true,
            phone_number: Some(PHONE.to_owned()),
            phone_number_verified: false,
            attributes: vec![("given_name".to_owned(), "Olga".to_owned())],
            ..UserOptions::default()
        },
    );
    let mut client = RawClient::new(CLIENT_ID, secret, seed);
    let tokens = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    (pool, client, sub, tokens)
}

#[test]
fn get_user_lists_attributes_and_mfa() {
    let (mut pool, _, sub, tokens) = olga(1, None);
    let token = access(&tokens).unwrap();
    let body = expect_ok(&with_token(&mut pool, "GetUser", &token, json!({})));
    assert_eq!(body["Username"], "olga");
    assert_eq!(
        attributes_of(&body).unwrap(),
        [
            ("sub".to_owned(), sub.clone()),
            ("email".to_owned(), EMAIL.to_owned()),
            ("email_verified".to_owned(), "true".to_owned()),
            ("given_name".to_owned(), "Olga".to_owned()),
            ("phone_number".to_owned(), PHONE.to_owned()),
            ("phone_number_verified".to_owned(), "false".to_owned()),
        ]
    );
    assert!(body.get("MFAOptions").is_none());
    assert!(body.get("UserMFASettingList").is_none());
    assert!(body.get("PreferredMfaSetting").is_none());

    pool.set_user_mfa(
        "olga",
        UserMfaSettings {
            sms: true,
            email: true,
            preferred: Some(MfaFactor::Email),
            ..UserMfaSettings::default()
        },
    );
    let body = expect_ok(&with_token(&mut pool, "GetUser", &token, json!({})));
    assert_eq!(
        body["MFAOptions"],
        json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }])
    );
    assert_eq!(body["UserMFASettingList"], json!(["SMS_MFA", "EMAIL_OTP"]));
    assert_eq!(body["PreferredMfaSetting"], "EMAIL_OTP");

    let body = expect_ok(&with_token(
        &mut pool,
        "GetUserAuthFactors",
        &token,
        json!({}),
    ));
    assert_eq!(body["Username"], "olga");
    assert_eq!(body["ConfiguredUserAuthFactors"], json!(["PASSWORD"]));
    assert_eq!(body["UserMFASettingList"], json!(["SMS_MFA", "EMAIL_OTP"]));
    pool.set_allowed_first_auth_factors(&[
        FirstAuthFactor::EmailOtp,
        FirstAuthFactor::SmsOtp,
        FirstAuthFactor::WebAuthn,
    ]);
    pool.add_passkey("olga").unwrap();
    let body = expect_ok(&with_token(
        &mut pool,
        "GetUserAuthFactors",
        &token,
        json!({}),
    ));
    // The phone number is not verified: no SMS_OTP.
    assert_eq!(
        body["ConfiguredUserAuthFactors"],
        json!(["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"])
    );
}

#[test]
fn access_tokens_are_checked() {
    let (mut pool, _, _, tokens) = olga(2, None);
    let token = access(&tokens).unwrap();
    let reply = with_token(&mut pool, "GetUser", "not.a.token", json!({}));
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid Access Token"
    );
    // The id token is no access token.
    let reply = with_token(&mut pool, "GetUser", str_of(&tokens["IdToken"]), json!({}));
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid Access Token"
    );
    let reply = pool.call("GetUser", &json!({}));
    expect_error(&reply, "InvalidParameterException");
    pool.advance(TOKEN_LIFETIME_SECS);
    let reply = with_token(&mut pool, "GetUser", &token, json!({}));
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Access Token has expired"
    );
}

#[test]
fn change_password_then_old_fails_and_new_works() {
    let (mut pool, mut client, _, tokens) = olga(3, Some(SECRET));
    let token = access(&tokens).unwrap();
    let salt = pool.user_salt("olga").unwrap();
    let change = |previous: &str, proposed: &str| json!({ "PreviousPassword": previous, "ProposedPassword": proposed });

    let reply = with_token(
        &mut pool,
        "ChangePassword",
        &token,
        change("wrong", NEW_PASSWORD),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Incorrect username or password."
    );
    let reply = with_token(
        &mut pool,
        "ChangePassword",
        &token,
        change(PASSWORD, "weak"),
    );
    expect_error(&reply, "InvalidPasswordException");
    assert_eq!(pool.user_salt("olga").unwrap(), salt);

    let reply = with_token(
        &mut pool,
        "ChangePassword",
        &token,
        change(PASSWORD, NEW_PASSWORD),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    assert_ne!(pool.user_salt("olga").unwrap(), salt);

    let (reply, _) = client.srp(&mut pool, "olga", PASSWORD, None).unwrap();
    expect_error(&reply, "NotAuthorizedException");
    expect_error(
        &client.password_auth(&mut pool, "olga", PASSWORD),
        "NotAuthorizedException",
    );
    client.srp_tokens(&mut pool, "olga", NEW_PASSWORD).unwrap();
    expect_tokens(&client.password_auth(&mut pool, "olga", NEW_PASSWORD));
    // The token used for the change keeps working.
    expect_ok(&with_token(&mut pool, "GetUser", &token, json!({})));
}

#[test]
fn attribute_update_and_verification() {
    let (mut pool, _, _, tokens) = olga(4, None);
    let token = access(&tokens).unwrap();
    let new_email = "olga.new@example.net";

    let reply = with_token(
        &mut pool,
        "UpdateUserAttributes",
        &token,
        json!({ "UserAttributes": [
            { "Name": "email", "Value": new_email },
            { "Name": "family_name", "Value": "Ivanova" },
        ]}),
    );
    let body = expect_ok(&reply);
    assert_eq!(
        body["CodeDeliveryDetailsList"],
        json!([{ "Destination": "o***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" }])
    );
    let message = pool.sent_messages().last().unwrap().clone();
    assert_eq!(message.purpose, CodePurpose::AttributeVerification);
    assert_eq!(message.destination, new_email);
    let user = expect_ok(&with_token(&mut pool, "GetUser", &token, json!({})));
    assert_eq!(attribute(&user, "email"), Some(new_email));
    assert_eq!(attribute(&user, "email_verified"), Some("false"));
    assert_eq!(attribute(&user, "family_name"), Some("Ivanova"));

    let verify = |code: &str| json!({ "AttributeName": "email", "Code": code });
    let wrong = if message.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    let reply = with_token(&mut pool, "VerifyUserAttribute", &token, verify(wrong));
    expect_error(&reply, "CodeMismatchException");
    let reply = with_token(
        &mut pool,
        "VerifyUserAttribute",
        &token,
        verify(&message.code),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    assert_eq!(
        pool.user_attributes("olga").unwrap()["email_verified"],
        "true"
    );
    // Used up.
    let reply = with_token(
        &mut pool,
        "VerifyUserAttribute",
        &token,
        verify(&message.code),
    );
    expect_error(&reply, "CodeMismatchException");

    // The phone number, on request; the code expires.
    let reply = with_token(
        &mut pool,
        "GetUserAttributeVerificationCode",
        &token,
        json!({ "AttributeName": "phone_number" }),
    );
    let body = expect_ok(&reply);
    assert_eq!(body["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    let code = pool.last_code_sent(PHONE).unwrap();
    pool.advance(ATTRIBUTE_CODE_LIFETIME_SECS + 1);
    let fresh = client_sign_in(&mut pool);
    let reply = with_token(
        &mut pool,
        "VerifyUserAttribute",
        &fresh,
        json!({ "AttributeName": "phone_number", "Code": code }),
    );
    expect_error(&reply, "ExpiredCodeException");
    expect_ok(&with_token(
        &mut pool,
        "GetUserAttributeVerificationCode",
        &fresh,
        json!({ "AttributeName": "phone_number" }),
    ));
    let code = pool.last_code_sent(PHONE).unwrap();
    // A code for a value that changed since verifies nothing.
    expect_ok(&with_token(
        &mut pool,
        "UpdateUserAttributes",
        &fresh,
        json!({ "UserAttributes": [{ "Name": "phone_number", "Value": "+15555550199" }] }),
    ));
    let reply = with_token(
        &mut pool,
        "VerifyUserAttribute",
        &fresh,
        json!({ "AttributeName": "phone_number", "Code": code }),
    );
    expect_error(&reply, "CodeMismatchException");
    let code = pool.last_code_sent("+15555550199").unwrap();
    expect_ok(&with_token(
        &mut pool,
        "VerifyUserAttribute",
        &fresh,
        json!({ "AttributeName": "phone_number", "Code": code }),
    ));
    assert_eq!(
        pool.user_attributes("olga").unwrap()["phone_number_verified"],
        "true"
    );

    // Unwritable and unknown attributes.
    for (name, error) in [
        ("email_verified", "NotAuthorizedException"),
        ("sub", "NotAuthorizedException"),
        ("favourite_colour", "InvalidParameterException"),
    ] {
        let reply = with_token(
            &mut pool,
            "UpdateUserAttributes",
            &fresh,
            json!({ "UserAttributes": [{ "Name": name, "Value": "x" }] }),
        );
        expect_error(&reply, error);
    }
    let reply = with_token(
        &mut pool,
        "GetUserAttributeVerificationCode",
        &fresh,
        json!({ "AttributeName": "given_name" }),
    );
    expect_error(&reply, "InvalidParameterException");

    // Deleting attributes.
    let reply = with_token(
        &mut pool,
        "DeleteUserAttributes",
        &fresh,
        json!({ "UserAttributeNames": ["given_name", "phone_number"] }),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    let attributes = pool.user_attributes("olga").unwrap();
    assert!(!attributes.contains_key("given_name"));
    assert!(!attributes.contains_key("phone_number"));
    assert!(!attributes.contains_key("phone_number_verified"));
    pool.set_required_attributes(&["email"]);
    let reply = with_token(
        &mut pool,
        "DeleteUserAttributes",
        &fresh,
        json!({ "UserAttributeNames": ["email"] }),
    );
    expect_error(&reply, "InvalidParameterException");
    let reply = with_token(
        &mut pool,
        "DeleteUserAttributes",
        &fresh,
        json!({ "UserAttributeNames": ["sub"] }),
    );
    expect_error(&reply, "NotAuthorizedException");
}

/// A fresh access token for olga (password unchanged).
fn client_sign_in(pool: &mut UserPool) -> String {
    let mut client = RawClient::new(CLIENT_ID, None, 99);
    access(&client.srp_tokens(pool, "olga", PASSWORD).unwrap()).unwrap()
}

#[test]
fn set_user_settings_switches_sms_mfa() {
    let (mut pool, _, _, tokens) = olga(5, None);
    let token = access(&tokens).unwrap();
    let sms =
        json!({ "MFAOptions": [{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }] });
    assert_eq!(
        expect_ok(&with_token(&mut pool, "SetUserSettings", &token, sms)),
        json!({})
    );
    assert!(pool.user_mfa("olga").unwrap().sms);
    let reply = with_token(
        &mut pool,
        "SetUserSettings",
        &token,
        json!({ "MFAOptions": [{ "DeliveryMedium": "EMAIL", "AttributeName": "email" }] }),
    );
    expect_error(&reply, "InvalidParameterException");
    let reply = with_token(
        &mut pool,
        "SetUserSettings",
        &token,
        json!({ "MFAOptions": [{ "DeliveryMedium": "PIGEON" }] }),
    );
    expect_error(&reply, "InvalidParameterException");
    expect_error(
        &with_token(&mut pool, "SetUserSettings", &token, json!({})),
        "InvalidParameterException",
    );
    expect_ok(&with_token(
        &mut pool,
        "SetUserSettings",
        &token,
        json!({ "MFAOptions": [] }),
    ));
    assert!(!pool.user_mfa("olga").unwrap().sms);
}

#[test]
fn global_sign_out_invalidates_every_token() {
    let (mut pool, mut client, _, first) = olga(6, Some(SECRET));
    let second = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    let first_access = access(&first).unwrap();
    let first_refresh = str_of(&first["RefreshToken"]).to_owned();
    let second_refresh = str_of(&second["RefreshToken"]).to_owned();
    expect_tokens(&client.initiate_raw(
        &mut pool,
        "REFRESH_TOKEN_AUTH",
        json!({ "REFRESH_TOKEN": first_refresh, "SECRET_HASH": client.secret_hash("olga") }),
    ));

    let reply = with_token(
        &mut pool,
        "GlobalSignOut",
        &access(&second).unwrap(),
        json!({}),
    );
    assert_eq!(expect_ok(&reply), json!({}));

    for token in [first_access, access(&second).unwrap()] {
        let reply = with_token(&mut pool, "GetUser", &token, json!({}));
        assert_eq!(
            expect_error(&reply, "NotAuthorizedException"),
            "Access Token has been revoked"
        );
        assert!(pool.verify_access_token(&token).is_none());
    }
    for refresh in [&first_refresh, &second_refresh] {
        let reply = client.refresh(&mut pool, refresh);
        assert_eq!(
            expect_error(&reply, "NotAuthorizedException"),
            "Refresh Token has been revoked"
        );
    }
    // Signing in again works.
    let third = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    expect_ok(&with_token(
        &mut pool,
        "GetUser",
        &access(&third).unwrap(),
        json!({}),
    ));
    expect_ok(&client.refresh(&mut pool, str_of(&third["RefreshToken"])));
}

#[test]
fn revoke_token_ends_one_sign_in() {
    let (mut pool, mut client, _, first) = olga(7, Some(SECRET));
    let second = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    let refresh = str_of(&first["RefreshToken"]).to_owned();
    let refreshed = expect_ok(&client.refresh(&mut pool, &refresh))["AuthenticationResult"].clone();

    // Wrong kinds of input.
    expect_error(
        &client.revoke(&mut pool, &access(&first).unwrap()),
        "UnsupportedTokenTypeException",
    );
    expect_error(
        &client.revoke(&mut pool, "has spaces"),
        "InvalidParameterException",
    );
    let no_secret = RawClient::new(CLIENT_ID, None, 7);
    expect_error(
        &no_secret.revoke(&mut pool, &refresh),
        "UnauthorizedException",
    );
    pool.add_client("otherclient", None);
    let reply = pool.call(
        "RevokeToken",
        &json!({ "Token": refresh, "ClientId": "otherclient" }),
    );
    expect_error(&reply, "UnauthorizedException");

    assert_eq!(expect_ok(&client.revoke(&mut pool, &refresh)), json!({}));
    for token in [access(&first).unwrap(), access(&refreshed).unwrap()] {
        let reply = with_token(&mut pool, "GetUser", &token, json!({}));
        assert_eq!(
            expect_error(&reply, "NotAuthorizedException"),
            "Access Token has been revoked"
        );
    }
    let reply = client.refresh(&mut pool, &refresh);
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Refresh Token has been revoked"
    );
    // The other sign-in is untouched; revoking again (or an unknown token) is not an error.
    expect_ok(&with_token(
        &mut pool,
        "GetUser",
        &access(&second).unwrap(),
        json!({}),
    ));
    expect_ok(&client.refresh(&mut pool, str_of(&second["RefreshToken"])));
    expect_ok(&client.revoke(&mut pool, &refresh));
    expect_ok(&client.revoke(&mut pool, "bm90LWEtcmVmcmVzaC10b2tlbg"));
}

#[test]
fn revoke_token_covers_rotated_refresh_tokens() {
    let mut pool = UserPool::new(POOL_ID, 8);
    pool.add_client(CLIENT_ID, None);
    pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            ..ClientSettings::default()
        },
    );
    pool.add_user("olga", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, 8);
    let tokens = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    let rotated = expect_ok(&client.refresh(&mut pool, str_of(&tokens["RefreshToken"])));
    let new_refresh = str_of(&rotated["AuthenticationResult"]["RefreshToken"]).to_owned();
    expect_ok(&client.revoke(&mut pool, str_of(&tokens["RefreshToken"])));
    expect_error(
        &client.refresh(&mut pool, &new_refresh),
        "NotAuthorizedException",
    );
}

#[test]
fn delete_user_removes_the_account() {
    let mut pool = UserPool::new(POOL_ID, 9);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            device_tracking: cognito_tests::pool::DeviceTracking::Always,
            ..AppClientOptions::default()
        },
    );
    let sub = pool.add_user("olga", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, 9);
    let tokens = client.srp_tokens(&mut pool, "olga", PASSWORD).unwrap();
    let token = access(&tokens).unwrap();
    client
        .confirm_device(&mut pool, &tokens["NewDeviceMetadata"], &token, DEVICE_NAME)
        .unwrap();
    assert_eq!(pool.devices_of(&sub).len(), 1);

    assert_eq!(
        expect_ok(&with_token(&mut pool, "DeleteUser", &token, json!({}))),
        json!({})
    );
    assert!(pool.user_status("olga").is_none());
    assert!(pool.devices_of(&sub).is_empty());
    let reply = with_token(&mut pool, "GetUser", &token, json!({}));
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Access Token has been revoked"
    );
    expect_error(
        &client.refresh(&mut pool, str_of(&tokens["RefreshToken"])),
        "NotAuthorizedException",
    );
    expect_error(
        &client.password_auth(&mut pool, "olga", PASSWORD),
        "UserNotFoundException",
    );

    // The username is free again, with a new sub.
    let body = expect_ok(&client.sign_up(&mut pool, "olga", PASSWORD, &[("email", EMAIL)]));
    assert_ne!(str_of(&body["UserSub"]), sub);
}

#[test]
fn auth_event_feedback_is_recorded() {
    let (mut pool, _, sub, _) = olga(10, None);
    let body = |value: &str| json!({ "UserPoolId": POOL_ID, "Username": "olga", "EventId": "event-1", "FeedbackToken": "token-1", "FeedbackValue": value });
    assert_eq!(
        expect_ok(&pool.call("UpdateAuthEventFeedback", &body("Invalid"))),
        json!({})
    );
    let recorded = pool.auth_event_feedback();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].sub, sub);
    assert_eq!(recorded[0].event_id, "event-1");
    assert!(!recorded[0].valid);
    expect_error(
        &pool.call("UpdateAuthEventFeedback", &body("Maybe")),
        "InvalidParameterException",
    );
    let mut other_pool = body("Valid");
    other_pool["UserPoolId"] = json!("us-east-1_Other");
    expect_error(
        &pool.call("UpdateAuthEventFeedback", &other_pool),
        "ResourceNotFoundException",
    );
    let mut stranger = body("Valid");
    stranger["Username"] = json!("nobody");
    expect_error(
        &pool.call("UpdateAuthEventFeedback", &stranger),
        "UserNotFoundException",
    );
    assert_eq!(pool.auth_event_feedback().len(), 1);
}
