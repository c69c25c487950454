//! Self-service accounts without a token: SignUp → ConfirmSignUp (code from the outbox) → sign-in,
//! the ConfirmSignUp Session that signs in through USER_AUTH, ResendConfirmationCode, and
//! ForgotPassword → ConfirmForgotPassword.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    CodePurpose, DeliveryMedium, PASSWORD_RESET_CODE_LIFETIME_SECS, PasswordPolicy,
    SIGN_UP_CODE_LIFETIME_SECS, SignInAliases, UserOptions, UserPool, UserStatus,
};
use serde_json::json;

const EMAIL: &str = "carol@example.org";
const PHONE: &str = "+15555550123";

fn empty_pool(seed: u64, secret: Option<&str>) -> UserPool {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    pool
}

#[test]
fn sign_up_confirm_then_srp_sign_in() {
    let mut pool = empty_pool(1, Some(SECRET));
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 1);

    let reply = client.sign_up(
        &mut pool,
        "carol",
        PASSWORD,
        &[("email", EMAIL), ("name", "Carol")],
    );
    let body = expect_ok(&reply);
    let sub = str_of(&body["UserSub"]).to_owned();
    assert_eq!(body["UserConfirmed"], false);
    assert_eq!(
        body["CodeDeliveryDetails"],
        json!({ "Destination": "c***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" })
    );
    assert!(str_of(&body["Session"]).len() > 20);
    assert_eq!(pool.user_status("carol"), Some(UserStatus::Unconfirmed));
    assert_eq!(pool.user_sub("carol").as_deref(), Some(sub.as_str()));
    let attributes = pool.user_attributes("carol").unwrap();
    assert_eq!(attributes["email_verified"], "false");
    assert_eq!(attributes["name"], "Carol");

    let message = pool.sent_messages().last().unwrap().clone();
    assert_eq!(message.purpose, CodePurpose::SignUp);
    assert_eq!(message.medium, DeliveryMedium::Email);
    assert_eq!(message.destination, EMAIL);

    // The password is right, but the account is not confirmed yet.
    let (reply, _) = client.srp(&mut pool, "carol", PASSWORD, None).unwrap();
    expect_error(&reply, "UserNotConfirmedException");

    let wrong = if message.code == "000000" {
        "111111"
    } else {
        "000000"
    };
    let reply = client.confirm_sign_up(&mut pool, "carol", wrong, None);
    expect_error(&reply, "CodeMismatchException");
    assert_eq!(pool.user_status("carol"), Some(UserStatus::Unconfirmed));

    let code = pool.last_code_sent(EMAIL).unwrap();
    let body = expect_ok(&client.confirm_sign_up(&mut pool, "carol", &code, None));
    assert!(body["Session"].is_string());
    assert_eq!(pool.user_status("carol"), Some(UserStatus::Confirmed));
    assert_eq!(
        pool.user_attributes("carol").unwrap()["email_verified"],
        "true"
    );

    // Confirming twice is refused.
    let reply = client.confirm_sign_up(&mut pool, "carol", &code, None);
    let message = expect_error(&reply, "NotAuthorizedException");
    assert!(message.contains("CONFIRMED"), "{message}");

    let tokens = client.srp_tokens(&mut pool, "carol", PASSWORD).unwrap();
    let claims = pool.verify_access_token(&access(&tokens).unwrap()).unwrap();
    assert_eq!(claims.sub, sub);
    assert_eq!(claims.username, "carol");
}

#[test]
fn confirm_sign_up_session_signs_in_through_user_auth() {
    let mut pool = empty_pool(2, Some(SECRET));
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 2);
    let body = expect_ok(&client.sign_up(&mut pool, "dave", PASSWORD, &[("phone_number", PHONE)]));
    assert_eq!(body["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    assert_eq!(body["CodeDeliveryDetails"]["Destination"], "+*******0123");
    let sign_up_session = str_of(&body["Session"]).to_owned();
    let code = pool.last_code_sent(PHONE).unwrap();

    // The sign-up Session is not a sign-in Session.
    let reply = client.initiate_raw(
        &mut pool,
        "USER_AUTH",
        json!({ "USERNAME": "dave", "SECRET_HASH": client.secret_hash("dave") }),
    );
    expect_challenge(&reply, "SELECT_CHALLENGE");
    let mut body = json!({
        "AuthFlow": "USER_AUTH",
        "ClientId": CLIENT_ID,
        "AuthParameters": { "USERNAME": "dave", "SECRET_HASH": client.secret_hash("dave") },
        "Session": sign_up_session,
    });
    expect_error(&pool.call("InitiateAuth", &body), "NotAuthorizedException");

    // A fresh sign-up Session is needed again: the one above was consumed. Resend does not give
    // one, so confirm without it.
    let body_confirm = expect_ok(&client.confirm_sign_up(&mut pool, "dave", &code, None));
    let session = str_of(&body_confirm["Session"]).to_owned();
    assert_eq!(
        pool.user_attributes("dave").unwrap()["phone_number_verified"],
        "true"
    );

    body["Session"] = json!(session);
    let reply = pool.call("InitiateAuth", &body);
    let result = expect_tokens(&reply);
    assert_eq!(
        pool.verify_access_token(&access(&result).unwrap())
            .unwrap()
            .username,
        "dave"
    );

    // Single use.
    expect_error(&pool.call("InitiateAuth", &body), "NotAuthorizedException");
}

#[test]
fn confirm_sign_up_checks_its_session() {
    let mut pool = empty_pool(3, None);
    let client = RawClient::new(CLIENT_ID, None, 3);
    let erin = expect_ok(&client.sign_up(
        &mut pool,
        "erin",
        PASSWORD,
        &[("email", "erin@example.org")],
    ));
    let frank = expect_ok(&client.sign_up(
        &mut pool,
        "frank",
        PASSWORD,
        &[("email", "frank@example.org")],
    ));
    let erin_code = pool.last_code_sent("erin@example.org").unwrap();

    // Frank's Session cannot confirm Erin.
    let reply = client.confirm_sign_up(&mut pool, "erin", &erin_code, frank["Session"].as_str());
    expect_error(&reply, "NotAuthorizedException");

    // A wrong code keeps Erin's Session for a retry.
    let session = str_of(&erin["Session"]);
    let wrong = if erin_code == "123456" {
        "654321"
    } else {
        "123456"
    };
    let reply = client.confirm_sign_up(&mut pool, "erin", wrong, Some(session));
    expect_error(&reply, "CodeMismatchException");
    let reply = client.confirm_sign_up(&mut pool, "erin", &erin_code, Some(session));
    expect_ok(&reply);
}

#[test]
fn sign_up_is_validated() {
    let mut pool = empty_pool(4, Some(SECRET));
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 4);
    pool.add_user("taken", PASSWORD);

    let reply = client.sign_up(&mut pool, "taken", PASSWORD, &[]);
    assert_eq!(
        expect_error(&reply, "UsernameExistsException"),
        "User already exists"
    );

    let reply = client.sign_up(&mut pool, "gina", "short", &[]);
    let message = expect_error(&reply, "InvalidPasswordException");
    assert!(
        message.starts_with("Password does not conform to policy"),
        "{message}"
    );
    pool.set_password_policy(PasswordPolicy {
        min_length: 6,
        require_uppercase: false,
        require_lowercase: false,
        require_numbers: false,
        require_symbols: false,
    });
    expect_ok(&client.sign_up(&mut pool, "gina", "simple", &[]));
    pool.set_password_policy(PasswordPolicy::default());

    let reply = client.sign_up(&mut pool, "hal", PASSWORD, &[("email_verified", "true")]);
    expect_error(&reply, "NotAuthorizedException");
    let reply = client.sign_up(&mut pool, "hal", PASSWORD, &[("email", "not-an-address")]);
    expect_error(&reply, "InvalidParameterException");
    let reply = client.sign_up(&mut pool, "hal", PASSWORD, &[("phone_number", "555-0100")]);
    expect_error(&reply, "InvalidParameterException");
    let reply = client.sign_up(&mut pool, "hal", PASSWORD, &[("shoe_size", "44")]);
    expect_error(&reply, "InvalidParameterException");
    let reply = client.sign_up(&mut pool, "with space", PASSWORD, &[]);
    expect_error(&reply, "InvalidParameterException");

    pool.set_required_attributes(&["name"]);
    let reply = client.sign_up(&mut pool, "hal", PASSWORD, &[("email", EMAIL)]);
    let message = expect_error(&reply, "InvalidParameterException");
    assert!(message.contains("name"), "{message}");
    expect_ok(&client.sign_up(&mut pool, "hal", PASSWORD, &[("name", "Hal")]));

    // SecretHash is required and must be over the username.
    let body = json!({ "ClientId": CLIENT_ID, "Username": "ivy", "Password": PASSWORD, "UserAttributes": [{ "Name": "name", "Value": "Ivy" }] });
    expect_error(&pool.call("SignUp", &body), "NotAuthorizedException");
    let mut body = body;
    body["SecretHash"] = json!(client.secret_hash("someone-else"));
    expect_error(&pool.call("SignUp", &body), "NotAuthorizedException");
    assert!(pool.user_status("ivy").is_none());
}

#[test]
fn a_user_without_email_or_phone_gets_no_code() {
    let mut pool = empty_pool(5, None);
    let client = RawClient::new(CLIENT_ID, None, 5);
    let body = expect_ok(&client.sign_up(&mut pool, "jack", PASSWORD, &[]));
    assert!(body.get("CodeDeliveryDetails").is_none(), "{body}");
    assert!(pool.sent_messages().is_empty());
    let reply = client.call_named(&mut pool, "ResendConfirmationCode", "jack", json!({}));
    expect_error(&reply, "InvalidParameterException");
    let reply = client.confirm_sign_up(&mut pool, "jack", "123456", None);
    expect_error(&reply, "CodeMismatchException");
}

#[test]
fn codes_expire_and_resend_replaces_them() {
    let mut pool = empty_pool(6, Some(SECRET));
    let client = RawClient::new(CLIENT_ID, Some(SECRET), 6);
    expect_ok(&client.sign_up(&mut pool, "kim", PASSWORD, &[("email", EMAIL)]));
    let first = pool.last_code_sent("kim").unwrap();
    pool.advance(SIGN_UP_CODE_LIFETIME_SECS + 1);
    let reply = client.confirm_sign_up(&mut pool, "kim", &first, None);
    expect_error(&reply, "ExpiredCodeException");

    let reply = client.call_named(
        &mut pool,
        "ResendConfirmationCode",
        "kim",
        json!({ "ClientMetadata": {} }),
    );
    let body = expect_ok(&reply);
    assert_eq!(body["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let second = pool.last_code_sent("kim").unwrap();
    assert_eq!(pool.sent_messages().len(), 2);
    if first != second {
        expect_error(
            &client.confirm_sign_up(&mut pool, "kim", &first, None),
            "CodeMismatchException",
        );
    }
    expect_ok(&client.confirm_sign_up(&mut pool, "kim", &second, None));

    let reply = client.call_named(&mut pool, "ResendConfirmationCode", "kim", json!({}));
    expect_error(&reply, "InvalidParameterException");
    let reply = client.call_named(&mut pool, "ResendConfirmationCode", "nobody", json!({}));
    expect_error(&reply, "UserNotFoundException");
}

#[test]
fn confirm_sign_up_and_aliases() {
    let mut pool = empty_pool(7, None);
    pool.set_sign_in_aliases(SignInAliases {
        email: true,
        phone_number: false,
    });
    let client = RawClient::new(CLIENT_ID, None, 7);
    pool.add_user_with(
        "owner",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.to_owned()),
            email_verified: true,
            ..UserOptions::default()
        },
    );
    expect_ok(&client.sign_up(&mut pool, "newcomer", PASSWORD, &[("email", EMAIL)]));
    let code = pool.last_code_sent("newcomer").unwrap();
    expect_error(
        &client.confirm_sign_up(&mut pool, "newcomer", &code, None),
        "AliasExistsException",
    );
    assert_eq!(pool.user_status("newcomer"), Some(UserStatus::Unconfirmed));

    let mut body = client.named_body(
        "newcomer",
        json!({ "ConfirmationCode": code, "ForceAliasCreation": true }),
    );
    expect_ok(&pool.call("ConfirmSignUp", &body));
    assert_eq!(
        pool.user_attributes("owner").unwrap()["email_verified"],
        "false"
    );
    assert_eq!(
        pool.user_attributes("newcomer").unwrap()["email_verified"],
        "true"
    );
    // The alias now names the newcomer.
    let mut client = client;
    let (reply, sub) = client.srp(&mut pool, EMAIL, PASSWORD, None).unwrap();
    expect_tokens(&reply);
    assert_eq!(pool.user_sub("newcomer").unwrap(), sub);
    body["ForceAliasCreation"] = json!("yes");
    expect_error(&pool.call("ConfirmSignUp", &body), "SerializationException");
}

#[test]
fn forgot_password_then_sign_in_with_the_new_password() {
    let mut pool = empty_pool(8, Some(SECRET));
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 8);
    pool.add_user_with(
        "lena",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.to_owned()),
            email_verified: true,
            phone_number: Some(PHONE.to_owned()),
            phone_number_verified: true,
            ..UserOptions::default()
        },
    );
    let old_salt = pool.user_salt("lena").unwrap();

    let reply = client.call_named(
        &mut pool,
        "ForgotPassword",
        "lena",
        json!({ "ClientMetadata": {} }),
    );
    let body = expect_ok(&reply);
    assert_eq!(
        body["CodeDeliveryDetails"],
        json!({ "Destination": "c***@e***", "DeliveryMedium": "EMAIL", "AttributeName": "email" })
    );
    let message = pool.sent_messages().last().unwrap().clone();
    assert_eq!(message.purpose, CodePurpose::PasswordReset);
    let code = message.code;

    let wrong = if code == "000000" { "111111" } else { "000000" };
    let confirm = |code: &str, password: &str| json!({ "ConfirmationCode": code, "Password": password, "ClientMetadata": {} });
    let reply = client.call_named(
        &mut pool,
        "ConfirmForgotPassword",
        "lena",
        confirm(wrong, NEW_PASSWORD),
    );
    expect_error(&reply, "CodeMismatchException");
    let reply = client.call_named(
        &mut pool,
        "ConfirmForgotPassword",
        "lena",
        confirm(&code, "weak"),
    );
    expect_error(&reply, "InvalidPasswordException");
    // Nothing changed so far.
    expect_tokens(&client.password_auth(&mut pool, "lena", PASSWORD));

    let reply = client.call_named(
        &mut pool,
        "ConfirmForgotPassword",
        "lena",
        confirm(&code, NEW_PASSWORD),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    assert_ne!(pool.user_salt("lena").unwrap(), old_salt);

    expect_error(
        &client.password_auth(&mut pool, "lena", PASSWORD),
        "NotAuthorizedException",
    );
    let (reply, _) = client.srp(&mut pool, "lena", PASSWORD, None).unwrap();
    expect_error(&reply, "NotAuthorizedException");
    client.srp_tokens(&mut pool, "lena", NEW_PASSWORD).unwrap();
    expect_tokens(&client.password_auth(&mut pool, "lena", NEW_PASSWORD));

    // The code was consumed.
    let reply = client.call_named(
        &mut pool,
        "ConfirmForgotPassword",
        "lena",
        confirm(&code, PASSWORD),
    );
    expect_error(&reply, "CodeMismatchException");

    // Codes expire.
    expect_ok(&client.call_named(&mut pool, "ForgotPassword", "lena", json!({})));
    let code = pool.last_code_sent("lena").unwrap();
    pool.advance(PASSWORD_RESET_CODE_LIFETIME_SECS + 1);
    let reply = client.call_named(
        &mut pool,
        "ConfirmForgotPassword",
        "lena",
        confirm(&code, PASSWORD),
    );
    expect_error(&reply, "ExpiredCodeException");
}

#[test]
fn forgot_password_needs_a_verified_contact() {
    let mut pool = empty_pool(9, None);
    let client = RawClient::new(CLIENT_ID, None, 9);
    pool.add_user_with(
        "mo",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.to_owned()),
            email_verified: false,
            ..UserOptions::default()
        },
    );
    let reply = client.call_named(&mut pool, "ForgotPassword", "mo", json!({}));
    expect_error(&reply, "InvalidParameterException");
    pool.add_user_with(
        "ned",
        PASSWORD,
        UserOptions {
            phone_number: Some(PHONE.to_owned()),
            phone_number_verified: true,
            ..UserOptions::default()
        },
    );
    let body = expect_ok(&client.call_named(&mut pool, "ForgotPassword", "ned", json!({})));
    assert_eq!(body["CodeDeliveryDetails"]["DeliveryMedium"], "SMS");
    assert_eq!(pool.sent_messages().last().unwrap().destination, PHONE);
    let reply = client.call_named(&mut pool, "ForgotPassword", "nobody", json!({}));
    expect_error(&reply, "UserNotFoundException");
}
