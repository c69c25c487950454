//! USER_SRP_AUTH sign-ins against the emulator, driven by the tiny num-bigint client of
//! `cognito_tests::fixtures::raw_client`.

use base64ct::{Base64, Encoding};
use cognito_tests::fixtures::raw_client::srp_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{DEFAULT_SECRET_BLOCK_BYTES, TOKEN_LIFETIME_SECS, UserPool, jwt_payload};
use cognito_tests::{srp, timestamp};
use serde_json::{Value, json};

/// 2026-01-05T08:09:07Z, a Monday with a single-digit day.
const JAN_5_2026: u64 = 1_767_600_547;

#[test]
fn plain_client_signs_in_with_username() {
    let (mut pool, sub) = pool_with_alice(1, None);
    let mut client = RawClient::new(CLIENT_ID, None, 1);

    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    // The challenge names the sub, not the alias the user typed.
    let mut keys: Vec<&str> = params
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "SALT",
            "SECRET_BLOCK",
            "SRP_B",
            "USERNAME",
            "USER_ID_FOR_SRP"
        ]
    );
    assert_eq!(params["USERNAME"], sub.as_str());
    assert_eq!(params["USER_ID_FOR_SRP"], sub.as_str());
    assert_ne!(sub, "alice");
    // SALT and SRP_B are the integers' plain lowercase hex; the SECRET_BLOCK has the default
    // size, 1,280 bytes (1,708 base64 characters, as large as Cognito's).
    let salt = pool.user_salt("alice").unwrap();
    assert_eq!(params["SALT"], srp::plain_hex(&salt).as_str());
    let b_hex = str_of(&params["SRP_B"]);
    assert_eq!(b_hex, b_hex.to_lowercase());
    assert_eq!(srp::plain_hex(&srp::parse_hex(b_hex).unwrap()), b_hex);
    assert_eq!(
        Base64::decode_vec(str_of(&params["SECRET_BLOCK"]))
            .unwrap()
            .len(),
        DEFAULT_SECRET_BLOCK_BYTES
    );
    assert_eq!(str_of(&params["SECRET_BLOCK"]).len(), 1708);

    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
    assert_eq!(reply["ChallengeParameters"], json!({}));
    let result = &reply["AuthenticationResult"];
    assert_eq!(result["ExpiresIn"], TOKEN_LIFETIME_SECS);
    assert_eq!(result["TokenType"], "Bearer");
    assert!(result.get("NewDeviceMetadata").is_none());
    let refresh = str_of(&result["RefreshToken"]);
    assert!((1600..=1800).contains(&refresh.len()), "{}", refresh.len());

    let claims = pool
        .verify_access_token(str_of(&result["AccessToken"]))
        .unwrap();
    assert_eq!(claims.sub, sub);
    assert_eq!(claims.username, "alice");
    assert_eq!(claims.client_id, CLIENT_ID);
    assert_eq!(claims.token_use, "access");
    assert_eq!(claims.exp, pool.now() + TOKEN_LIFETIME_SECS);
    assert_eq!(claims.device_key, None);
    let id = jwt_payload(str_of(&result["IdToken"])).unwrap();
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["cognito:username"], "alice");
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["sub"], sub.as_str());
    assert_eq!(id["origin_jti"], claims.origin_jti.as_str());
    // The id token is not an access token.
    assert!(
        pool.verify_access_token(str_of(&result["IdToken"]))
            .is_none()
    );

    assert_eq!(
        pool.operations(),
        ["InitiateAuth", "RespondToAuthChallenge"]
    );
    let sent = &pool.requests()[1].body;
    assert_eq!(sent["ChallengeResponses"]["USERNAME"], sub.as_str());
}

#[test]
fn signs_in_by_sub_too() {
    let (mut pool, sub) = pool_with_alice(2, None);
    let mut client = RawClient::new(CLIENT_ID, None, 2);
    let reply = client.sign_in(&mut pool, &sub, "Passw0rd!", None).unwrap();
    let claims = pool
        .verify_access_token(str_of(&reply["AuthenticationResult"]["AccessToken"]))
        .unwrap();
    assert_eq!(claims.username, "alice");
}

#[test]
fn salt_with_top_bit_set_and_with_leading_zero_nibble() {
    // Find seeds whose salt has its top bit set (bytes() prepends 00) and whose salt hex is short.
    let mut top_bit = None;
    let mut short_hex = None;
    for seed in 0..64 {
        let (pool, _) = pool_with_alice(seed, None);
        let salt = pool.user_salt("alice").unwrap();
        let hex = srp::plain_hex(&salt);
        if hex.len() == 32 && hex.as_bytes()[0] >= b'8' && top_bit.is_none() {
            top_bit = Some(seed);
        }
        if hex.len() < 32 && short_hex.is_none() {
            short_hex = Some(seed);
        }
    }
    let top_bit = top_bit.expect("some seed gives a salt with the top bit set");
    let (pool, _) = pool_with_alice(top_bit, None);
    assert_eq!(
        srp::to_java_bytes(&pool.user_salt("alice").unwrap()).len(),
        17
    );

    for seed in [Some(top_bit), short_hex].into_iter().flatten() {
        let (mut pool, _) = pool_with_alice(seed, None);
        let mut client = RawClient::new(CLIENT_ID, None, seed);
        let reply = client
            .sign_in(&mut pool, "alice", "Passw0rd!", None)
            .unwrap();
        assert!(reply["AuthenticationResult"]["AccessToken"].is_string());
    }
}

#[test]
fn client_with_secret() {
    let (mut pool, sub) = pool_with_alice(3, Some(SECRET));
    let mut client = RawClient::new(CLIENT_ID, Some(SECRET), 3);

    // Happy path: SECRET_HASH over "alice" in InitiateAuth, over the sub afterwards.
    let reply = client
        .sign_in(&mut pool, "alice", "Passw0rd!", None)
        .unwrap();
    assert!(reply["AuthenticationResult"]["AccessToken"].is_string());
    let sent = &pool.requests()[0].body["AuthParameters"];
    assert_eq!(sent["SECRET_HASH"], secret_of("alice").as_str());
    let sent = &pool.requests()[1].body["ChallengeResponses"];
    assert_eq!(sent["SECRET_HASH"], secret_of(&sub).as_str());

    // Missing and wrong SECRET_HASH in InitiateAuth.
    let eph = client.ephemeral();
    let mut body = client.srp_initiate_body("alice", &eph, None);
    body["AuthParameters"]
        .as_object_mut()
        .unwrap()
        .remove("SECRET_HASH");
    let message = expect_error(&pool.call("InitiateAuth", &body), "NotAuthorizedException");
    assert!(
        message.contains("SECRET_HASH was not received"),
        "{message}"
    );
    body["AuthParameters"]["SECRET_HASH"] = json!(secret_of("bob"));
    let message = expect_error(&pool.call("InitiateAuth", &body), "NotAuthorizedException");
    assert_eq!(
        message,
        format!("Unable to verify secret hash for client {CLIENT_ID}")
    );

    // SECRET_HASH over the alias (not the challenge USERNAME) in RespondToAuthChallenge.
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let stamp = timestamp::format(pool.now());
    let mut body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    body["ChallengeResponses"]["SECRET_HASH"] = json!(secret_of("alice"));
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert!(
        message.contains("Unable to verify secret hash"),
        "{message}"
    );

    // A client without the secret cannot even start.
    let mut no_secret = RawClient::new(CLIENT_ID, None, 3);
    let eph = no_secret.ephemeral();
    let body = no_secret.srp_initiate_body("alice", &eph, None);
    expect_error(&pool.call("InitiateAuth", &body), "NotAuthorizedException");
}

fn secret_of(username: &str) -> String {
    cognito_tests::pool::secret_hash(SECRET, username, CLIENT_ID)
}

#[test]
fn wrong_password_is_rejected() {
    let (mut pool, _) = pool_with_alice(4, None);
    let mut client = RawClient::new(CLIENT_ID, None, 4);
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "passw0rd!", &stamp, None)
        .unwrap();
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Incorrect username or password.");
}

#[test]
fn signature_over_the_alias_or_with_the_wrong_pool_name_is_rejected() {
    let (mut pool, _) = pool_with_alice(5, None);
    let mut client = RawClient::new(CLIENT_ID, None, 5);

    // x and the signature over the typed username instead of USER_ID_FOR_SRP.
    let (eph, mut params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let stamp = timestamp::format(pool.now());
    let sub = params["USERNAME"].clone();
    params["USER_ID_FOR_SRP"] = json!("alice");
    let mut body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    body["ChallengeResponses"]["USERNAME"] = sub;
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Incorrect username or password.");

    // The whole pool id instead of the pool name.
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let body = client
        .password_verifier_body(pool.pool_id(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );

    // USERNAME = the alias in the answer.
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let mut body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    body["ChallengeResponses"]["USERNAME"] = json!("alice");
    expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
}

/// Answers a fresh PASSWORD_VERIFIER with a correct signature over `stamp`.
fn answer_with_timestamp(
    pool: &mut UserPool,
    client: &mut RawClient,
    stamp: &str,
) -> cognito_tests::pool::Reply {
    let (eph, params) = client.srp_initiate(pool, "alice", None).unwrap();
    let body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", stamp, None)
        .unwrap();
    pool.call("RespondToAuthChallenge", &body)
}

#[test]
fn timestamp_format_and_freshness_are_enforced() {
    let (mut pool, _) = pool_with_alice(6, None);
    pool.set_time(JAN_5_2026);
    let mut client = RawClient::new(CLIENT_ID, None, 6);

    assert_eq!(timestamp::format(JAN_5_2026), "Mon Jan 5 08:09:07 UTC 2026");
    for bad in [
        "Mon Jan 05 08:09:07 UTC 2026", // zero-padded day
        "Tue Jan 5 08:09:07 UTC 2026",  // wrong weekday
        "Mon Jan 5 8:09:07 UTC 2026",   // one-digit hour
        "Mon Jan 5 08:09:07 GMT 2026",  // another zone name
        "Mon, Jan 5 08:09:07 UTC 2026", // locale punctuation
        "Mon Jan 5 08:09:07 UTC 2026 ", // trailing space
    ] {
        let message = expect_error(
            &answer_with_timestamp(&mut pool, &mut client, bad),
            "NotAuthorizedException",
        );
        assert!(message.contains("TIMESTAMP"), "{bad}: {message}");
    }
    // Stale and future timestamps, well formed.
    for at in [JAN_5_2026 - 301, JAN_5_2026 + 301, JAN_5_2026 - 86_400] {
        let stamp = timestamp::format(at);
        let message = expect_error(
            &answer_with_timestamp(&mut pool, &mut client, &stamp),
            "NotAuthorizedException",
        );
        assert!(
            message.contains("seconds from the server's time"),
            "{stamp}: {message}"
        );
    }
    // Within the tolerance either way.
    for at in [JAN_5_2026 - 300, JAN_5_2026, JAN_5_2026 + 300] {
        let reply = answer_with_timestamp(&mut pool, &mut client, &timestamp::format(at));
        expect_ok(&reply);
    }
}

#[test]
fn secret_block_is_single_use() {
    let (mut pool, _) = pool_with_alice(7, None);
    let mut client = RawClient::new(CLIENT_ID, None, 7);
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    expect_ok(&pool.call("RespondToAuthChallenge", &body));
    // Replaying the same answer fails.
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &body),
        "NotAuthorizedException",
    );
    assert!(message.contains("SECRET_BLOCK"), "{message}");

    // A failed answer consumes the challenge too.
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    let wrong = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "nope", &stamp, None)
        .unwrap();
    expect_error(
        &pool.call("RespondToAuthChallenge", &wrong),
        "NotAuthorizedException",
    );
    let right = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    expect_error(
        &pool.call("RespondToAuthChallenge", &right),
        "NotAuthorizedException",
    );

    // A challenge answered after its 3 minutes is expired.
    let (eph, params) = client.srp_initiate(&mut pool, "alice", None).unwrap();
    pool.advance(181);
    let stamp = timestamp::format(pool.now());
    let late = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    let message = expect_error(
        &pool.call("RespondToAuthChallenge", &late),
        "NotAuthorizedException",
    );
    assert_eq!(message, "Invalid session for the user, session is expired.");
}

#[test]
fn initiate_auth_errors() {
    let (mut pool, _) = pool_with_alice(8, None);
    let mut client = RawClient::new(CLIENT_ID, None, 8);
    let eph = client.ephemeral();

    let body = client.srp_initiate_body("mallory", &eph, None);
    expect_error(&pool.call("InitiateAuth", &body), "UserNotFoundException");

    let mut other = RawClient::new("no-such-client", None, 8);
    let other_eph = other.ephemeral();
    let body = other.srp_initiate_body("alice", &other_eph, None);
    let message = expect_error(
        &pool.call("InitiateAuth", &body),
        "ResourceNotFoundException",
    );
    assert_eq!(message, "User pool client no-such-client does not exist.");

    for bad_a in [
        "0".to_owned(),
        srp::plain_hex(srp::n()),
        srp::plain_hex(&(srp::n() * 2u32)),
        "-1".to_owned(),
        "xyz".to_owned(),
        String::new(),
    ] {
        let mut body = client.srp_initiate_body("alice", &eph, None);
        body["AuthParameters"]["SRP_A"] = json!(bad_a);
        expect_error(
            &pool.call("InitiateAuth", &body),
            "InvalidParameterException",
        );
    }

    let mut body = client.srp_initiate_body("alice", &eph, None);
    body["AuthParameters"]
        .as_object_mut()
        .unwrap()
        .remove("SRP_A");
    let message = expect_error(
        &pool.call("InitiateAuth", &body),
        "InvalidParameterException",
    );
    assert_eq!(message, "Missing required parameter SRP_A");

    let mut body = client.srp_initiate_body("alice", &eph, None);
    body["AuthFlow"] = json!("USER_PASSWORD_AUTH");
    expect_error(
        &pool.call("InitiateAuth", &body),
        "InvalidParameterException",
    );

    let mut body = client.srp_initiate_body("alice", &eph, None);
    body.as_object_mut().unwrap().remove("ClientId");
    expect_error(
        &pool.call("InitiateAuth", &body),
        "InvalidParameterException",
    );

    let mut body = client.srp_initiate_body("alice", &eph, None);
    body["AuthParameters"]["USERNAME"] = json!(42);
    expect_error(&pool.call("InitiateAuth", &body), "SerializationException");
}

#[test]
fn a_with_leading_zeros_and_odd_length_is_accepted() {
    let (mut pool, _) = pool_with_alice(9, None);
    let mut client = RawClient::new(CLIENT_ID, None, 9);
    let eph = client.ephemeral();
    let mut body = client.srp_initiate_body("alice", &eph, None);
    body["AuthParameters"]["SRP_A"] = json!(format!("000{}", srp::plain_hex(&eph.a_pub)));
    let params = expect_ok(&pool.call("InitiateAuth", &body))["ChallengeParameters"].clone();
    let stamp = timestamp::format(pool.now());
    let body = client
        .password_verifier_body(pool.pool_name(), &params, &eph, "Passw0rd!", &stamp, None)
        .unwrap();
    expect_ok(&pool.call("RespondToAuthChallenge", &body));
}

#[test]
fn expired_access_token_is_refused() {
    let (mut pool, _) = pool_with_alice(10, None);
    let mut client = RawClient::new(CLIENT_ID, None, 10);
    let reply = client
        .sign_in(&mut pool, "alice", "Passw0rd!", None)
        .unwrap();
    let token = str_of(&reply["AuthenticationResult"]["AccessToken"]).to_owned();
    assert!(pool.verify_access_token(&token).is_some());
    // Altering the payload breaks the signature.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1].push('A');
    assert!(pool.verify_access_token(&parts.join(".")).is_none());
    pool.advance(TOKEN_LIFETIME_SECS);
    assert!(pool.verify_access_token(&token).is_none());
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    fn run(seed: u64) -> (String, Vec<Value>) {
        let (mut pool, sub) = pool_with_alice(seed, None);
        let mut client = RawClient::new(CLIENT_ID, None, 11);
        let reply = client
            .sign_in(&mut pool, "alice", "Passw0rd!", None)
            .unwrap();
        (sub, vec![reply])
    }
    let (sub1, replies1) = run(11);
    let (sub2, replies2) = run(11);
    assert_eq!(sub1, sub2);
    assert_eq!(replies1, replies2);
    let (sub3, replies3) = run(12);
    assert_ne!(sub1, sub3);
    assert_ne!(replies1, replies3);
}
