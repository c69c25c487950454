//! MFA after the password: SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP, SELECT_MFA_TYPE, MFA_SETUP
//! (software token and email), remembered devices skipping MFA, Session rotation and expiry, wrong
//! and expired codes, and the access-token forms of AssociateSoftwareToken / VerifySoftwareToken
//! / SetUserMFAPreference.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    AppClientOptions, ClientSettings, CodePurpose, DeliveryMedium, DeviceTracking,
    MAX_FAILED_ATTEMPTS, MfaConfiguration, MfaFactor, MfaMode, SESSION_LIFETIME_SECS,
    UserMfaSettings, UserOptions, UserPool,
};
use cognito_tests::totp;
use serde_json::json;

const PHONE: &str = "+15555550100";
const EMAIL: &str = "alice@example.com";

fn optional() -> MfaConfiguration {
    MfaConfiguration {
        mode: MfaMode::Optional,
        email: true,
        ..MfaConfiguration::default()
    }
}

/// A pool (optional MFA, SMS/TOTP/email allowed) with alice set up by `options`.
fn mfa_pool(seed: u64, secret: Option<&str>, options: UserOptions) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    pool.set_mfa_configuration(optional());
    let sub = pool.add_user_with("alice", PASSWORD, options);
    (pool, sub)
}

fn sms_user() -> UserOptions {
    UserOptions {
        phone_number: Some(PHONE.to_owned()),
        sms_mfa: true,
        ..UserOptions::default()
    }
}

#[test]
fn sms_mfa_after_srp_with_a_wrong_code_first() {
    for secret in [None, Some(SECRET)] {
        let (mut pool, sub) = mfa_pool(1, secret, sms_user());
        let mut client = RawClient::new(CLIENT_ID, secret, 1);
        let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
        let (params, session) = expect_challenge(&reply, "SMS_MFA");
        assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "SMS");
        assert_eq!(params["CODE_DELIVERY_DESTINATION"], "+*******0100");
        assert_eq!(params["USERNAME"], sub.as_str());
        assert_eq!(params["USER_ID_FOR_SRP"], sub.as_str());

        // The pool "sent" the code by SMS.
        let sent = pool.sent_messages().last().unwrap().clone();
        assert_eq!(sent.medium, DeliveryMedium::Sms);
        assert_eq!(sent.destination, PHONE);
        assert_eq!(sent.purpose, CodePurpose::Mfa);
        assert_eq!(sent.username, "alice");
        assert_eq!(sent.code.len(), 6);
        assert!(sent.code.bytes().all(|b| b.is_ascii_digit()));
        let code = pool.last_code_sent(PHONE).unwrap();
        assert_eq!(pool.last_code_sent("alice").unwrap(), code);
        assert_eq!(pool.last_code_sent(&sub).unwrap(), code);

        // A wrong code keeps the Session.
        let wrong = if code == "000000" { "000001" } else { "000000" };
        let reply = client.respond(
            &mut pool,
            "SMS_MFA",
            &sub,
            json!({ "SMS_MFA_CODE": wrong }),
            Some(&session),
        );
        assert_eq!(
            expect_error(&reply, "CodeMismatchException"),
            "Invalid code or auth state for the user."
        );
        // The right code on the same Session.
        let result = client.respond(
            &mut pool,
            "SMS_MFA",
            &sub,
            json!({ "SMS_MFA_CODE": code }),
            Some(&session),
        );
        expect_tokens(&result);
        assert_eq!(
            pool.operations(),
            [
                "InitiateAuth",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge",
                "RespondToAuthChallenge"
            ]
        );
        // The Session is gone after use.
        let reply = client.respond(
            &mut pool,
            "SMS_MFA",
            &sub,
            json!({ "SMS_MFA_CODE": code }),
            Some(&session),
        );
        assert_eq!(
            expect_error(&reply, "NotAuthorizedException"),
            "Invalid session for the user."
        );
    }
}

#[test]
fn mfa_answer_must_name_the_sub_and_hash_it() {
    let (mut pool, sub) = mfa_pool(2, Some(SECRET), sms_user());
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 2);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    // USERNAME = the typed name: refused, and the sign-in is over.
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        "alice",
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    expect_error(&reply, "NotAuthorizedException");

    // SECRET_HASH over the typed name with USERNAME = sub.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    let reply = client.respond_raw(
        &mut pool,
        "SMS_MFA",
        json!({ "USERNAME": sub, "SMS_MFA_CODE": code, "SECRET_HASH": client.secret_hash("alice") }),
        Some(&session),
    );
    assert!(expect_error(&reply, "NotAuthorizedException").contains("secret hash"));
}

#[test]
fn too_many_wrong_codes_end_the_sign_in() {
    let (mut pool, sub) = mfa_pool(3, None, sms_user());
    let mut client = RawClient::new(CLIENT_ID, None, 3);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    let wrong = if code == "123456" { "654321" } else { "123456" };
    for attempt in 1..=MAX_FAILED_ATTEMPTS {
        let reply = client.respond(
            &mut pool,
            "SMS_MFA",
            &sub,
            json!({ "SMS_MFA_CODE": wrong }),
            Some(&session),
        );
        if attempt < MAX_FAILED_ATTEMPTS {
            expect_error(&reply, "CodeMismatchException");
        } else {
            expect_error(&reply, "NotAuthorizedException");
        }
    }
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn expired_session_and_expired_code() {
    // Default 3-minute Session: it expires with the code.
    let (mut pool, sub) = mfa_pool(4, None, sms_user());
    let mut client = RawClient::new(CLIENT_ID, None, 4);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    pool.advance(SESSION_LIFETIME_SECS + 1);
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    assert_eq!(
        expect_error(&reply, "NotAuthorizedException"),
        "Invalid session for the user, session is expired."
    );

    // A 10-minute Session outlives the 3-minute code.
    assert!(pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            auth_session_validity_secs: 600,
            ..ClientSettings::default()
        }
    ));
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    pool.advance(cognito_tests::pool::CODE_LIFETIME_SECS + 1);
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    expect_error(&reply, "ExpiredCodeException");
}

#[test]
fn software_token_mfa_checks_rfc_6238_with_one_step_of_drift() {
    let (mut pool, sub) = mfa_pool(5, None, UserOptions::default());
    let secret = pool.enable_totp("alice").unwrap();
    assert_eq!(secret.len(), 32);
    assert_eq!(pool.totp_secret("alice").unwrap(), secret);
    let mut client = RawClient::new(CLIENT_ID, None, 5);
    for (offset, ok) in [
        (0i64, true),
        (-30, true),
        (30, true),
        (-60, false),
        (90, false),
    ] {
        let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
        let (params, session) = expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");
        assert_eq!(params["USERNAME"], sub.as_str());
        assert!(params.get("CODE_DELIVERY_DESTINATION").is_none());
        let at = pool.now().saturating_add_signed(offset);
        let code = totp::code_at(&secret, at).unwrap();
        let reply = client.respond(
            &mut pool,
            "SOFTWARE_TOKEN_MFA",
            &sub,
            json!({ "SOFTWARE_TOKEN_MFA_CODE": code }),
            Some(&session),
        );
        if ok {
            expect_tokens(&reply);
        } else if code != totp::code_at(&secret, pool.now()).unwrap() {
            expect_error(&reply, "CodeMismatchException");
        }
    }
    // No SMS or email was sent for TOTP.
    assert!(pool.sent_messages().is_empty());
}

#[test]
fn email_otp_as_mfa() {
    let options = UserOptions {
        email: Some(EMAIL.to_owned()),
        email_mfa: true,
        ..UserOptions::default()
    };
    let (mut pool, sub) = mfa_pool(6, None, options);
    let mut client = RawClient::new(CLIENT_ID, None, 6);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (params, session) = expect_challenge(&reply, "EMAIL_OTP");
    assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], "EMAIL");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "a***@e***");
    let sent = pool.sent_messages().last().unwrap();
    assert_eq!(sent.medium, DeliveryMedium::Email);
    assert_eq!(sent.destination, EMAIL);
    let code = pool.last_code_sent(EMAIL).unwrap();
    // Answering as SMS_MFA with the EMAIL_OTP Session: wrong challenge, Session consumed.
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    expect_error(&reply, "NotAuthorizedException");

    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "EMAIL_OTP");
    let code = pool.last_code_sent(EMAIL).unwrap();
    let reply = client.respond(
        &mut pool,
        "EMAIL_OTP",
        &sub,
        json!({ "EMAIL_OTP_CODE": code }),
        Some(&session),
    );
    expect_tokens(&reply);
}

#[test]
fn select_mfa_type_then_the_chosen_challenge() {
    let (mut pool, sub) = mfa_pool(7, None, sms_user());
    let secret = pool.enable_totp("alice").unwrap();
    let mut client = RawClient::new(CLIENT_ID, None, 7);

    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (params, select_session) = expect_challenge(&reply, "SELECT_MFA_TYPE");
    assert_eq!(
        string_list(&params["MFAS_CAN_CHOOSE"]).unwrap(),
        ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    );
    let messages_before = pool.sent_messages().len();
    let reply = client.respond(
        &mut pool,
        "SELECT_MFA_TYPE",
        &sub,
        json!({ "ANSWER": "SOFTWARE_TOKEN_MFA" }),
        Some(&select_session),
    );
    let (_, totp_session) = expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");
    assert_ne!(totp_session, select_session);
    assert_eq!(pool.sent_messages().len(), messages_before);
    // The SELECT_MFA_TYPE Session is spent: a client that keeps the old one fails.
    let code = totp::code_at(&secret, pool.now()).unwrap();
    let reply = client.respond(
        &mut pool,
        "SOFTWARE_TOKEN_MFA",
        &sub,
        json!({ "SOFTWARE_TOKEN_MFA_CODE": code }),
        Some(&select_session),
    );
    expect_error(&reply, "NotAuthorizedException");
    let reply = client.respond(
        &mut pool,
        "SOFTWARE_TOKEN_MFA",
        &sub,
        json!({ "SOFTWARE_TOKEN_MFA_CODE": code }),
        Some(&totp_session),
    );
    expect_tokens(&reply);

    // SMS chosen: the code is sent only now.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SELECT_MFA_TYPE");
    assert_eq!(pool.sent_messages().len(), messages_before);
    let reply = client.respond(
        &mut pool,
        "SELECT_MFA_TYPE",
        &sub,
        json!({ "ANSWER": "SMS_MFA" }),
        Some(&session),
    );
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    assert_eq!(pool.sent_messages().len(), messages_before + 1);
    let code = pool.last_code_sent(PHONE).unwrap();
    let reply = client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    );
    expect_tokens(&reply);

    // A choice not offered.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SELECT_MFA_TYPE");
    let reply = client.respond(
        &mut pool,
        "SELECT_MFA_TYPE",
        &sub,
        json!({ "ANSWER": "EMAIL_OTP" }),
        Some(&session),
    );
    expect_error(&reply, "InvalidParameterException");

    // With a preference there is no choice.
    assert!(pool.set_user_mfa(
        "alice",
        UserMfaSettings {
            sms: true,
            software_token: true,
            email: false,
            preferred: Some(MfaFactor::SoftwareToken),
        }
    ));
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");
}

#[test]
fn required_mfa_uses_the_phone_number_or_asks_for_set_up() {
    let mut pool = UserPool::new(POOL_ID, 8);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        ..MfaConfiguration::default()
    });
    pool.add_user_with(
        "phoney",
        PASSWORD,
        UserOptions {
            phone_number: Some(PHONE.to_owned()),
            ..UserOptions::default()
        },
    );
    pool.add_user("bare", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, 8);
    let (reply, _) = client.srp(&mut pool, "phoney", PASSWORD, None).unwrap();
    expect_challenge(&reply, "SMS_MFA");
    let (reply, _) = client.srp(&mut pool, "bare", PASSWORD, None).unwrap();
    let (params, _) = expect_challenge(&reply, "MFA_SETUP");
    assert_eq!(
        string_list(&params["MFAS_CAN_SETUP"]).unwrap(),
        ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    );

    // OFF: nobody gets MFA; OPTIONAL: only users who enabled a factor.
    for mode in [MfaMode::Off, MfaMode::Optional] {
        pool.set_mfa_configuration(MfaConfiguration {
            mode,
            ..MfaConfiguration::default()
        });
        for user in ["phoney", "bare"] {
            let (reply, _) = client.srp(&mut pool, user, PASSWORD, None).unwrap();
            expect_tokens(&reply);
        }
    }
}

#[test]
fn mfa_setup_with_a_software_token() {
    let mut pool = UserPool::new(POOL_ID, 9);
    pool.add_client(CLIENT_ID, Some(SECRET));
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        ..MfaConfiguration::default()
    });
    let sub = pool.add_user("alice", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 9);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (params, setup_session) = expect_challenge(&reply, "MFA_SETUP");
    assert_eq!(
        string_list(&params["MFAS_CAN_SETUP"]).unwrap(),
        ["SOFTWARE_TOKEN_MFA"]
    );

    let reply = pool.call(
        "AssociateSoftwareToken",
        &json!({ "Session": setup_session }),
    );
    let body = expect_ok(&reply);
    let secret = str_of(&body["SecretCode"]).to_owned();
    let associate_session = str_of(&body["Session"]).to_owned();
    assert_ne!(associate_session, setup_session);
    assert!(totp::base32_decode(&secret).is_some());

    // The MFA_SETUP Session was consumed by AssociateSoftwareToken.
    let code = totp::code_at(&secret, pool.now()).unwrap();
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "Session": setup_session, "UserCode": code }),
    );
    expect_error(&reply, "NotAuthorizedException");
    // A wrong code keeps the Session.
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "Session": associate_session, "UserCode": wrong }),
    );
    assert_eq!(
        expect_error(&reply, "EnableSoftwareTokenMFAException"),
        "Code mismatch and fail enable Software Token MFA"
    );
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "Session": associate_session, "UserCode": code, "FriendlyDeviceName": "phone" }),
    );
    let body = expect_ok(&reply);
    assert_eq!(body["Status"], "SUCCESS");
    let verified_session = str_of(&body["Session"]).to_owned();
    assert_ne!(verified_session, associate_session);

    // MFA_SETUP with a stale Session fails; with VerifySoftwareToken's it signs in.
    let reply = client.respond(
        &mut pool,
        "MFA_SETUP",
        &sub,
        json!({}),
        Some(&associate_session),
    );
    expect_error(&reply, "NotAuthorizedException");
    let reply = client.respond(
        &mut pool,
        "MFA_SETUP",
        &sub,
        json!({}),
        Some(&verified_session),
    );
    expect_tokens(&reply);
    assert_eq!(
        pool.user_mfa("alice").unwrap(),
        UserMfaSettings {
            software_token: true,
            preferred: Some(MfaFactor::SoftwareToken),
            ..UserMfaSettings::default()
        }
    );
    assert_eq!(pool.totp_secret("alice").unwrap(), secret);
    assert_eq!(
        pool.operations(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "VerifySoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge",
            "RespondToAuthChallenge",
        ]
    );

    // The next sign-in asks for the token.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");
    let code = totp::code_at(&secret, pool.now()).unwrap();
    let reply = client.respond(
        &mut pool,
        "SOFTWARE_TOKEN_MFA",
        &sub,
        json!({ "SOFTWARE_TOKEN_MFA_CODE": code }),
        Some(&session),
    );
    expect_tokens(&reply);
}

#[test]
fn mfa_setup_answered_without_a_factor_is_refused() {
    let mut pool = UserPool::new(POOL_ID, 10);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        ..MfaConfiguration::default()
    });
    let sub = pool.add_user("alice", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, 10);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "MFA_SETUP");
    let reply = client.respond(&mut pool, "MFA_SETUP", &sub, json!({}), Some(&session));
    expect_error(&reply, "InvalidParameterException");
    // Email set-up when the pool does not allow email MFA.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "MFA_SETUP");
    let reply = client.respond(
        &mut pool,
        "MFA_SETUP",
        &sub,
        json!({ "EMAIL": EMAIL }),
        Some(&session),
    );
    expect_error(&reply, "InvalidParameterException");
    // VerifySoftwareToken straight on the MFA_SETUP Session (no AssociateSoftwareToken).
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "MFA_SETUP");
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "Session": session, "UserCode": "123456" }),
    );
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn mfa_setup_with_email() {
    let mut pool = UserPool::new(POOL_ID, 11);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: true,
        email: true,
    });
    let sub = pool.add_user("alice", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, 11);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (params, session) = expect_challenge(&reply, "MFA_SETUP");
    assert_eq!(
        string_list(&params["MFAS_CAN_SETUP"]).unwrap(),
        ["SOFTWARE_TOKEN_MFA", "EMAIL_OTP"]
    );
    let reply = client.respond(
        &mut pool,
        "MFA_SETUP",
        &sub,
        json!({ "EMAIL": "new@example.org" }),
        Some(&session),
    );
    let (params, email_session) = expect_challenge(&reply, "EMAIL_OTP");
    assert_eq!(params["CODE_DELIVERY_DESTINATION"], "n***@e***");
    let sent = pool.sent_messages().last().unwrap().clone();
    assert_eq!(sent.purpose, CodePurpose::MfaSetup);
    assert_eq!(sent.destination, "new@example.org");
    let reply = client.respond(
        &mut pool,
        "EMAIL_OTP",
        &sub,
        json!({ "EMAIL_OTP_CODE": sent.code }),
        Some(&email_session),
    );
    expect_tokens(&reply);
    let attributes = pool.user_attributes("alice").unwrap();
    assert_eq!(attributes["email"], "new@example.org");
    assert_eq!(attributes["email_verified"], "true");
    assert!(pool.user_mfa("alice").unwrap().email);

    // Next time: EMAIL_OTP as MFA.
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_challenge(&reply, "EMAIL_OTP");
    assert_eq!(
        pool.sent_messages().last().unwrap().purpose,
        CodePurpose::Mfa
    );
}

/// A pool with device tracking, optional MFA and alice with SMS MFA; returns the confirmed
/// device after a first sign-in (which needed MFA).
fn remembered_device_pool(
    seed: u64,
    tracking: DeviceTracking,
) -> (UserPool, RawClient, String, DeviceCreds) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: None,
            device_tracking: tracking,
        },
    );
    pool.set_mfa_configuration(optional());
    let sub = pool.add_user_with("alice", PASSWORD, sms_user());
    let mut client = RawClient::new(CLIENT_ID, None, seed);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    let result = expect_tokens(&client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    ));
    let access = str_of(&result["AccessToken"]).to_owned();
    let (creds, confirm) = client
        .confirm_device(
            &mut pool,
            &result["NewDeviceMetadata"],
            &access,
            DEVICE_NAME,
        )
        .unwrap();
    assert_eq!(
        confirm["UserConfirmationNecessary"],
        tracking == DeviceTracking::UserOptIn
    );
    (pool, client, sub, creds)
}

#[test]
fn remembered_device_skips_mfa() {
    let (mut pool, mut client, sub, creds) = remembered_device_pool(12, DeviceTracking::Always);
    let messages = pool.sent_messages().len();
    let (reply, _) = client
        .srp(&mut pool, "alice", PASSWORD, Some(&creds.key))
        .unwrap();
    let (params, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
    assert_eq!(params, json!({}));
    let result = expect_tokens(
        &client
            .device_srp(&mut pool, &sub, &creds, &session)
            .unwrap(),
    );
    assert!(result.get("NewDeviceMetadata").is_none());
    assert_eq!(pool.sent_messages().len(), messages, "no SMS sent");
    let claims = pool
        .verify_access_token(str_of(&result["AccessToken"]))
        .unwrap();
    assert_eq!(claims.device_key.as_deref(), Some(creds.key.as_str()));

    // Without DEVICE_KEY: MFA again (and a new device).
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_challenge(&reply, "SMS_MFA");
}

#[test]
fn user_opt_in_device_skips_mfa_only_once_remembered() {
    let (mut pool, mut client, sub, creds) = remembered_device_pool(13, DeviceTracking::UserOptIn);
    // Confirmed, not remembered: device SRP, then MFA all the same.
    let (reply, _) = client
        .srp(&mut pool, "alice", PASSWORD, Some(&creds.key))
        .unwrap();
    let (_, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
    let reply = client
        .device_srp(&mut pool, &sub, &creds, &session)
        .unwrap();
    let (_, session) = expect_challenge(&reply, "SMS_MFA");
    let code = pool.last_code_sent(PHONE).unwrap();
    let result = expect_tokens(&client.respond(
        &mut pool,
        "SMS_MFA",
        &sub,
        json!({ "SMS_MFA_CODE": code }),
        Some(&session),
    ));
    assert!(result.get("NewDeviceMetadata").is_none());
    let access = str_of(&result["AccessToken"]).to_owned();
    expect_ok(&pool.call(
        "UpdateDeviceStatus",
        &json!({ "AccessToken": access, "DeviceKey": creds.key, "DeviceRememberedStatus": "remembered" }),
    ));
    let (reply, _) = client
        .srp(&mut pool, "alice", PASSWORD, Some(&creds.key))
        .unwrap();
    let (_, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
    expect_tokens(
        &client
            .device_srp(&mut pool, &sub, &creds, &session)
            .unwrap(),
    );
}

#[test]
fn software_token_with_an_access_token_and_set_user_mfa_preference() {
    let (mut pool, sub) = mfa_pool(14, None, UserOptions::default());
    let mut client = RawClient::new(CLIENT_ID, None, 14);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    let access = str_of(&expect_tokens(&reply)["AccessToken"]).to_owned();

    let reply = pool.call("AssociateSoftwareToken", &json!({ "AccessToken": access }));
    let body = expect_ok(&reply);
    assert!(body.get("Session").is_none());
    let secret = str_of(&body["SecretCode"]).to_owned();
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "AccessToken": access, "UserCode": "12345" }),
    );
    expect_error(&reply, "InvalidParameterException");
    let code = totp::code_at(&secret, pool.now()).unwrap();
    let wrong = if code == "999999" { "888888" } else { "999999" };
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "AccessToken": access, "UserCode": wrong }),
    );
    expect_error(&reply, "EnableSoftwareTokenMFAException");
    let reply = pool.call(
        "VerifySoftwareToken",
        &json!({ "AccessToken": access, "UserCode": code }),
    );
    assert_eq!(expect_ok(&reply), json!({ "Status": "SUCCESS" }));
    // Verified, but not enabled: no MFA yet.
    assert!(!pool.user_mfa("alice").unwrap().software_token);
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_tokens(&reply);

    // SMS cannot be enabled without a phone number.
    let reply = pool.call(
        "SetUserMFAPreference",
        &json!({ "AccessToken": access, "SMSMfaSettings": { "Enabled": true } }),
    );
    expect_error(&reply, "InvalidParameterException");
    let reply = pool.call(
        "SetUserMFAPreference",
        &json!({
            "AccessToken": access,
            "SoftwareTokenMfaSettings": { "Enabled": true, "PreferredMfa": true },
        }),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    assert_eq!(
        pool.user_mfa(&sub).unwrap(),
        UserMfaSettings {
            software_token: true,
            preferred: Some(MfaFactor::SoftwareToken),
            ..UserMfaSettings::default()
        }
    );
    let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
    expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");

    // Both credentials, or neither.
    let reply = pool.call(
        "AssociateSoftwareToken",
        &json!({ "AccessToken": access, "Session": "x".repeat(40) }),
    );
    expect_error(&reply, "InvalidParameterException");
    let reply = pool.call("AssociateSoftwareToken", &json!({}));
    expect_error(&reply, "InvalidParameterException");
    let reply = pool.call(
        "AssociateSoftwareToken",
        &json!({ "AccessToken": "not.a.token" }),
    );
    expect_error(&reply, "NotAuthorizedException");
    let reply = pool.call(
        "SetUserMFAPreference",
        &json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": "yes" } }),
    );
    expect_error(&reply, "SerializationException");

    // Disabling clears the preference.
    let reply = pool.call(
        "SetUserMFAPreference",
        &json!({ "AccessToken": access, "SoftwareTokenMfaSettings": { "Enabled": false } }),
    );
    expect_ok(&reply);
    assert_eq!(pool.user_mfa(&sub).unwrap(), UserMfaSettings::default());
}

#[test]
fn mfa_transcript_is_deterministic() {
    fn run(seed: u64) -> Vec<serde_json::Value> {
        let (mut pool, sub) = mfa_pool(seed, Some(SECRET), sms_user());
        let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 1);
        let (reply, _) = client.srp(&mut pool, "alice", PASSWORD, None).unwrap();
        let first = expect_ok(&reply);
        let (_, session) = expect_challenge(&reply, "SMS_MFA");
        let code = pool.last_code_sent(PHONE).unwrap();
        let last = expect_ok(&client.respond(
            &mut pool,
            "SMS_MFA",
            &sub,
            json!({ "SMS_MFA_CODE": code }),
            Some(&session),
        ));
        vec![first, json!(code), last]
    }
    assert_eq!(run(40), run(40));
    assert_ne!(run(40), run(41));
}
