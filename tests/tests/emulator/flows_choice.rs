//! USER_AUTH, choice-based sign-in: PREFERRED_CHALLENGE, SELECT_CHALLENGE and AvailableChallenges,
//! PASSWORD, PASSWORD_SRP, EMAIL_OTP, SMS_OTP and WEB_AUTHN (fake passkeys), and MFA after a
//! password factor only.

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    CodePurpose, FirstAuthFactor, MfaConfiguration, MfaMode, Passkey, RELYING_PARTY_ID,
    UserOptions, UserPool, webauthn_signature,
};
use serde_json::{Value, json};

const PHONE: &str = "+447700900123";
const EMAIL: &str = "bob@example.net";
const ALL: [FirstAuthFactor; 3] = [
    FirstAuthFactor::EmailOtp,
    FirstAuthFactor::SmsOtp,
    FirstAuthFactor::WebAuthn,
];

/// A pool allowing every first factor, with bob (verified email and phone, a passkey).
fn choice_pool(seed: u64, secret: Option<&str>) -> (UserPool, String, Passkey) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    pool.set_allowed_first_auth_factors(&ALL);
    let sub = pool.add_user_with(
        "bob",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.to_owned()),
            email_verified: true,
            phone_number: Some(PHONE.to_owned()),
            phone_number_verified: true,
            ..UserOptions::default()
        },
    );
    let passkey = pool.add_passkey("bob").unwrap();
    (pool, sub, passkey)
}

fn available(body: &Value) -> Vec<&str> {
    body["AvailableChallenges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn select_challenge_lists_what_the_user_and_pool_allow() {
    let (mut pool, sub, _) = choice_pool(1, None);
    let client = RawClient::new(CLIENT_ID, None, 1);
    let reply = client.initiate(&mut pool, "USER_AUTH", "bob", json!({}));
    let body = expect_ok(&reply);
    let (params, _) = expect_challenge(&reply, "SELECT_CHALLENGE");
    assert_eq!(params["USERNAME"], sub.as_str());
    assert_eq!(
        available(&body),
        [
            "PASSWORD",
            "PASSWORD_SRP",
            "EMAIL_OTP",
            "SMS_OTP",
            "WEB_AUTHN"
        ]
    );

    // The default pool allows only the password.
    pool.set_allowed_first_auth_factors(&[]);
    let body = expect_ok(&client.initiate(&mut pool, "USER_AUTH", "bob", json!({})));
    assert_eq!(available(&body), ["PASSWORD", "PASSWORD_SRP"]);

    // Unverified addresses and no passkey: password only.
    pool.set_allowed_first_auth_factors(&ALL);
    pool.add_user_with(
        "carol",
        PASSWORD,
        UserOptions {
            email: Some("carol@example.net".to_owned()),
            ..UserOptions::default()
        },
    );
    let body = expect_ok(&client.initiate(&mut pool, "USER_AUTH", "carol", json!({})));
    assert_eq!(available(&body), ["PASSWORD", "PASSWORD_SRP"]);
    // A preferred challenge the user cannot do falls back to SELECT_CHALLENGE.
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "carol",
        json!({ "PREFERRED_CHALLENGE": "EMAIL_OTP" }),
    );
    expect_challenge(&reply, "SELECT_CHALLENGE");
    assert!(pool.sent_messages().is_empty());
    // An unknown one is an error.
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "carol",
        json!({ "PREFERRED_CHALLENGE": "CARRIER_PIGEON" }),
    );
    expect_error(&reply, "InvalidParameterException");

    // Required MFA rules out passwordless factors.
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        ..MfaConfiguration::default()
    });
    let body = expect_ok(&client.initiate(&mut pool, "USER_AUTH", "bob", json!({})));
    assert_eq!(available(&body), ["PASSWORD", "PASSWORD_SRP"]);
}

#[test]
fn preferred_password_and_password_srp() {
    for secret in [None, Some(SECRET)] {
        let (mut pool, sub, _) = choice_pool(2, secret);
        let mut client = RawClient::new(CLIENT_ID, secret, 2);
        let reply = client.initiate(
            &mut pool,
            "USER_AUTH",
            "bob",
            json!({ "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD }),
        );
        let result = expect_tokens(&reply);
        assert_eq!(
            pool.verify_access_token(str_of(&result["AccessToken"]))
                .unwrap()
                .sub,
            sub
        );
        let reply = client.initiate(
            &mut pool,
            "USER_AUTH",
            "bob",
            json!({ "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "nope" }),
        );
        expect_error(&reply, "NotAuthorizedException");
        let reply = client.initiate(
            &mut pool,
            "USER_AUTH",
            "bob",
            json!({ "PREFERRED_CHALLENGE": "PASSWORD" }),
        );
        expect_error(&reply, "InvalidParameterException");

        let eph = client.ephemeral();
        let reply = client.initiate(
            &mut pool,
            "USER_AUTH",
            "bob",
            json!({ "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": eph.hex() }),
        );
        let (params, session) = expect_challenge(&reply, "PASSWORD_VERIFIER");
        let answer = client
            .password_claim_now(&pool, &params, &eph, PASSWORD)
            .unwrap();
        let reply = client.respond_raw(&mut pool, "PASSWORD_VERIFIER", answer, Some(&session));
        expect_tokens(&reply);
    }
}

#[test]
fn select_challenge_answered_with_each_factor() {
    let (mut pool, sub, passkey) = choice_pool(3, Some(SECRET));
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 3);
    let start = |pool: &mut UserPool, client: &RawClient| {
        let reply = client.initiate(pool, "USER_AUTH", "bob", json!({}));
        expect_challenge(&reply, "SELECT_CHALLENGE").1
    };

    // PASSWORD in the SELECT_CHALLENGE answer.
    let session = start(&mut pool, &client);
    let reply = client.respond(
        &mut pool,
        "SELECT_CHALLENGE",
        &sub,
        json!({ "ANSWER": "PASSWORD", "PASSWORD": PASSWORD }),
        Some(&session),
    );
    expect_tokens(&reply);

    // PASSWORD named as the challenge.
    let session = start(&mut pool, &client);
    let reply = client.respond(
        &mut pool,
        "PASSWORD",
        &sub,
        json!({ "PASSWORD": PASSWORD }),
        Some(&session),
    );
    expect_tokens(&reply);

    // PASSWORD_SRP.
    let session = start(&mut pool, &client);
    let eph = client.ephemeral();
    let reply = client.respond(
        &mut pool,
        "SELECT_CHALLENGE",
        &sub,
        json!({ "ANSWER": "PASSWORD_SRP", "SRP_A": eph.hex() }),
        Some(&session),
    );
    let (params, verifier_session) = expect_challenge(&reply, "PASSWORD_VERIFIER");
    assert_ne!(verifier_session, session);
    let answer = client
        .password_claim_now(&pool, &params, &eph, PASSWORD)
        .unwrap();
    let reply = client.respond_raw(
        &mut pool,
        "PASSWORD_VERIFIER",
        answer,
        Some(&verifier_session),
    );
    expect_tokens(&reply);

    // EMAIL_OTP and SMS_OTP.
    for (answer, medium, code_key, destination, masked) in [
        ("EMAIL_OTP", "EMAIL", "EMAIL_OTP_CODE", EMAIL, "b***@e***"),
        ("SMS_OTP", "SMS", "SMS_OTP_CODE", PHONE, "+********0123"),
    ] {
        let session = start(&mut pool, &client);
        let reply = client.respond(
            &mut pool,
            "SELECT_CHALLENGE",
            &sub,
            json!({ "ANSWER": answer }),
            Some(&session),
        );
        let (params, otp_session) = expect_challenge(&reply, answer);
        assert_eq!(params["CODE_DELIVERY_DELIVERY_MEDIUM"], medium);
        assert_eq!(params["CODE_DELIVERY_DESTINATION"], masked);
        let sent = pool.sent_messages().last().unwrap().clone();
        assert_eq!(sent.destination, destination);
        assert_eq!(sent.purpose, CodePurpose::SignIn);
        // The stale SELECT_CHALLENGE Session does not take the code.
        let reply = client.respond(
            &mut pool,
            answer,
            &sub,
            json!({ code_key: sent.code }),
            Some(&session),
        );
        expect_error(&reply, "NotAuthorizedException");
        let reply = client.respond(
            &mut pool,
            answer,
            &sub,
            json!({ code_key: sent.code }),
            Some(&otp_session),
        );
        expect_tokens(&reply);
    }

    // WEB_AUTHN.
    let session = start(&mut pool, &client);
    let reply = client.respond(
        &mut pool,
        "SELECT_CHALLENGE",
        &sub,
        json!({ "ANSWER": "WEB_AUTHN" }),
        Some(&session),
    );
    let (params, webauthn_session) = expect_challenge(&reply, "WEB_AUTHN");
    let options_text = str_of(&params["CREDENTIAL_REQUEST_OPTIONS"]);
    let options: Value = serde_json::from_str(options_text).unwrap();
    assert_eq!(options["rpId"], RELYING_PARTY_ID);
    assert_eq!(
        options["allowCredentials"][0]["id"],
        passkey.credential_id.as_str()
    );
    assert_eq!(options["allowCredentials"][0]["type"], "public-key");
    let challenge = Base64UrlUnpadded::decode_vec(str_of(&options["challenge"])).unwrap();
    assert_eq!(challenge.len(), 32);
    let credential = passkey.assertion(options_text).unwrap();
    let reply = client.respond(
        &mut pool,
        "WEB_AUTHN",
        &sub,
        json!({ "CREDENTIAL": credential }),
        Some(&webauthn_session),
    );
    expect_tokens(&reply);

    // Not one of AvailableChallenges.
    pool.add_user("dave", PASSWORD);
    let reply = client.initiate(&mut pool, "USER_AUTH", "dave", json!({}));
    let (params, session) = expect_challenge(&reply, "SELECT_CHALLENGE");
    let dave = str_of(&params["USERNAME"]).to_owned();
    let reply = client.respond(
        &mut pool,
        "SELECT_CHALLENGE",
        &dave,
        json!({ "ANSWER": "EMAIL_OTP" }),
        Some(&session),
    );
    expect_error(&reply, "InvalidParameterException");
}

/// Builds a `CREDENTIAL` from `CREDENTIAL_REQUEST_OPTIONS`.
type MakeCredential<'a> = Box<dyn Fn(&str) -> String + 'a>;

/// Starts a WEB_AUTHN challenge for bob; returns (options JSON text, Session).
fn webauthn_challenge(pool: &mut UserPool, client: &RawClient) -> (String, String) {
    let reply = client.initiate(
        pool,
        "USER_AUTH",
        "bob",
        json!({ "PREFERRED_CHALLENGE": "WEB_AUTHN" }),
    );
    let (params, session) = expect_challenge(&reply, "WEB_AUTHN");
    (
        str_of(&params["CREDENTIAL_REQUEST_OPTIONS"]).to_owned(),
        session,
    )
}

#[test]
fn webauthn_assertions_are_checked() {
    let (mut pool, sub, passkey) = choice_pool(4, None);
    let client = RawClient::new(CLIENT_ID, None, 4);
    let options_of = |text: &str| -> Value { serde_json::from_str(text).unwrap() };

    let forged = Passkey {
        credential_id: passkey.credential_id.clone(),
        secret: vec![7; 32],
    };
    let stranger = Passkey {
        credential_id: "c3RyYW5nZXI".to_owned(),
        secret: passkey.secret.clone(),
    };
    let mut cases: Vec<(&str, MakeCredential<'_>)> = vec![
        (
            "wrong secret",
            Box::new(|o: &str| forged.assertion(o).unwrap()),
        ),
        (
            "unknown credential",
            Box::new(|o: &str| stranger.assertion(o).unwrap()),
        ),
        (
            "other challenge",
            Box::new(|_: &str| passkey.assertion_for("b3RoZXI", RELYING_PARTY_ID)),
        ),
        (
            "other relying party",
            Box::new(|o: &str| {
                let challenge = options_of(o)["challenge"].as_str().unwrap().to_owned();
                passkey.assertion_for(&challenge, "evil.example")
            }),
        ),
        ("not JSON", Box::new(|_: &str| "{".to_owned())),
    ];
    // A tampered signature over a valid assertion.
    cases.push((
        "tampered signature",
        Box::new(|o: &str| {
            let mut credential: Value =
                serde_json::from_str(&passkey.assertion(o).unwrap()).unwrap();
            let client_data = credential["response"]["clientDataJSON"]
                .as_str()
                .unwrap()
                .to_owned();
            let data = Base64UrlUnpadded::decode_vec(&client_data).unwrap();
            credential["response"]["signature"] = json!(webauthn_signature(
                &passkey.secret,
                b"not the authenticator data",
                &data
            ));
            credential.to_string()
        }),
    ));
    for (what, make) in &cases {
        let (options, session) = webauthn_challenge(&mut pool, &client);
        let reply = client.respond(
            &mut pool,
            "WEB_AUTHN",
            &sub,
            json!({ "CREDENTIAL": make(&options) }),
            Some(&session),
        );
        let message = expect_error(&reply, "NotAuthorizedException");
        assert!(message.contains("WebAuthn"), "{what}: {message}");
        // The Session is spent.
        let reply = client.respond(
            &mut pool,
            "WEB_AUTHN",
            &sub,
            json!({ "CREDENTIAL": passkey.assertion(&options).unwrap() }),
            Some(&session),
        );
        expect_error(&reply, "NotAuthorizedException");
    }
    let (options, session) = webauthn_challenge(&mut pool, &client);
    let reply = client.respond(&mut pool, "WEB_AUTHN", &sub, json!({}), Some(&session));
    expect_error(&reply, "InvalidParameterException");
    let reply = client.respond(
        &mut pool,
        "WEB_AUTHN",
        &sub,
        json!({ "CREDENTIAL": passkey.assertion(&options).unwrap() }),
        Some(&session),
    );
    expect_error(&reply, "NotAuthorizedException");
}

#[test]
fn otp_codes_wrong_and_right() {
    let (mut pool, sub, _) = choice_pool(5, None);
    let client = RawClient::new(CLIENT_ID, None, 5);
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "bob",
        json!({ "PREFERRED_CHALLENGE": "SMS_OTP" }),
    );
    let (_, session) = expect_challenge(&reply, "SMS_OTP");
    let code = pool.last_code_sent(PHONE).unwrap();
    let wrong = if code == "000000" { "000001" } else { "000000" };
    let reply = client.respond(
        &mut pool,
        "SMS_OTP",
        &sub,
        json!({ "SMS_OTP_CODE": wrong }),
        Some(&session),
    );
    expect_error(&reply, "CodeMismatchException");
    // The SMS_OTP code is not an EMAIL_OTP answer.
    let reply = client.respond(
        &mut pool,
        "SMS_OTP",
        &sub,
        json!({ "EMAIL_OTP_CODE": code }),
        Some(&session),
    );
    expect_error(&reply, "InvalidParameterException");
}

#[test]
fn mfa_follows_a_password_factor_but_not_a_passwordless_one() {
    let (mut pool, sub, _) = choice_pool(6, None);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        ..MfaConfiguration::default()
    });
    let secret = pool.enable_totp("bob").unwrap();
    let client = RawClient::new(CLIENT_ID, None, 6);
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "bob",
        json!({ "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": PASSWORD }),
    );
    let (_, session) = expect_challenge(&reply, "SOFTWARE_TOKEN_MFA");
    let code = cognito_tests::totp::code_at(&secret, pool.now()).unwrap();
    let reply = client.respond(
        &mut pool,
        "SOFTWARE_TOKEN_MFA",
        &sub,
        json!({ "SOFTWARE_TOKEN_MFA_CODE": code }),
        Some(&session),
    );
    expect_tokens(&reply);

    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "bob",
        json!({ "PREFERRED_CHALLENGE": "EMAIL_OTP" }),
    );
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
