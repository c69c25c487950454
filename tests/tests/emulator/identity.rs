//! Identity pools (`cognito-identity`): `GetId`, `GetCredentialsForIdentity` and
//! `GetOpenIdToken` against the in-memory pool, with hand-built JSON bodies — authenticated
//! and guest identities, the checks of `Logins`, each error, the request log, and the same
//! operations over HTTP and from the `cognito-emulator` binary.

use std::time::Duration;

use crate::binary::{Running, listening_url};
use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_tests::fixtures::loopback_http;
use cognito_tests::fixtures::raw_client::srp_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{
    CONTENT_TYPE, CREDENTIALS_LIFETIME_SECS, IDENTITY_TARGET_PREFIX, IdentityPoolOptions,
    OPENID_ISSUER, OPENID_TOKEN_LIFETIME_SECS, Reply, TOKEN_LIFETIME_SECS, UserPool, jwt_payload,
};
use serde_json::{Value, json};

use crate::jwks::verify_rs256;

const OTHER_CLIENT: &str = "otherclient0000000000000000";

/// One identity-pool call.
fn call(pool: &mut UserPool, operation: &str, body: &Value) -> Reply {
    pool.handle(
        &format!("{IDENTITY_TARGET_PREFIX}{operation}"),
        CONTENT_TYPE,
        body.to_string().as_bytes(),
    )
}

/// Alice's pool with an identity pool accepting `CLIENT_ID`'s ID tokens, and Alice's ID token.
fn setup(seed: u64, guests: bool) -> (UserPool, String, String) {
    let (mut pool, _) = pool_with_alice(seed, None);
    pool.add_client(OTHER_CLIENT, None);
    let identity_pool = pool.add_identity_pool(IdentityPoolOptions {
        allow_unauthenticated: guests,
        client_ids: vec![CLIENT_ID.to_owned()],
        ..IdentityPoolOptions::default()
    });
    let id_token = id_token(&mut pool, "alice", CLIENT_ID, seed);
    (pool, identity_pool, id_token)
}

fn id_token(pool: &mut UserPool, user: &str, client_id: &str, seed: u64) -> String {
    let mut client = RawClient::new(client_id, None, seed);
    let reply = client.sign_in(pool, user, "Passw0rd!", None).unwrap();
    str_of(&reply["AuthenticationResult"]["IdToken"]).to_owned()
}

fn logins_of(pool: &UserPool, token: &str) -> Value {
    json!({ pool.identity_provider_name(): token })
}

fn get_id(pool: &mut UserPool, identity_pool: &str, logins: Option<&Value>) -> Reply {
    let mut body = json!({ "IdentityPoolId": identity_pool });
    if let Some(logins) = logins {
        body["Logins"] = logins.clone();
    }
    call(pool, "GetId", &body)
}

fn identity_id(reply: &Reply) -> String {
    str_of(&expect_ok(reply)["IdentityId"]).to_owned()
}

#[test]
fn the_same_user_always_gets_the_same_identity() {
    let (mut pool, identity_pool, token) = setup(1, false);
    assert_eq!(
        pool.identity_provider_name(),
        format!("cognito-idp.us-east-1.amazonaws.com/{POOL_ID}")
    );
    assert!(identity_pool.starts_with("us-east-1:"));
    let logins = logins_of(&pool, &token);
    let first = identity_id(&get_id(&mut pool, &identity_pool, Some(&logins)));
    let (region, uuid) = first.split_once(':').unwrap();
    assert_eq!(region, "us-east-1");
    assert_eq!(uuid.len(), 36);
    // Another ID token of the same user (a new sign-in) names the same identity.
    let again = id_token(&mut pool, "alice", CLIENT_ID, 2);
    assert_ne!(again, token);
    let again = logins_of(&pool, &again);
    let second = identity_id(&get_id(&mut pool, &identity_pool, Some(&again)));
    assert_eq!(first, second);
    let info = pool.identity(&first).unwrap();
    assert_eq!(info.identity_pool_id, identity_pool);
    assert_eq!(info.sub, pool.user_sub("alice"));
    // Another user, another identity.
    pool.add_user("bob", "Passw0rd!");
    let bob = id_token(&mut pool, "bob", CLIENT_ID, 3);
    let bob = logins_of(&pool, &bob);
    let bobs = identity_id(&get_id(&mut pool, &identity_pool, Some(&bob)));
    assert_ne!(bobs, first);
    assert_eq!(pool.identities(&identity_pool).len(), 2);
    // Logged apart from the user-pool API.
    let operations: Vec<&str> = pool
        .identity_requests()
        .iter()
        .map(|r| r.operation.as_str())
        .collect();
    assert_eq!(operations, ["GetId", "GetId", "GetId"]);
    assert!(!pool.operations().contains(&"GetId"));
}

#[test]
fn credentials_are_well_formed_and_need_the_login_again() {
    let (mut pool, identity_pool, token) = setup(4, false);
    let logins = logins_of(&pool, &token);
    let id = identity_id(&get_id(&mut pool, &identity_pool, Some(&logins)));
    let reply = expect_ok(&call(
        &mut pool,
        "GetCredentialsForIdentity",
        &json!({ "IdentityId": id, "Logins": logins }),
    ));
    assert_eq!(reply["IdentityId"], id.as_str());
    let credentials = &reply["Credentials"];
    let key_id = str_of(&credentials["AccessKeyId"]);
    assert_eq!(key_id.len(), 20);
    assert!(key_id.starts_with("ASIA"));
    assert!(
        key_id[4..]
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    );
    assert_eq!(str_of(&credentials["SecretKey"]).len(), 40);
    assert!(str_of(&credentials["SessionToken"]).len() >= 400);
    assert_eq!(
        credentials["Expiration"].as_u64(),
        Some(pool.now() + CREDENTIALS_LIFETIME_SECS)
    );
    // Each call mints new credentials.
    let again = expect_ok(&call(
        &mut pool,
        "GetCredentialsForIdentity",
        &json!({ "IdentityId": id, "Logins": logins }),
    ));
    assert_ne!(
        again["Credentials"]["AccessKeyId"],
        credentials["AccessKeyId"]
    );

    // No logins, or another user's, for an authenticated identity.
    let message = expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": id }),
        ),
        "NotAuthorizedException",
    );
    assert!(message.starts_with("Logins don't match"), "{message}");
    pool.add_user("bob", "Passw0rd!");
    let bob = id_token(&mut pool, "bob", CLIENT_ID, 5);
    let bob = logins_of(&pool, &bob);
    expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": id, "Logins": bob }),
        ),
        "NotAuthorizedException",
    );
    expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": "us-east-1:00000000-0000-4000-8000-000000000000", "Logins": logins }),
        ),
        "ResourceNotFoundException",
    );
    expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": id, "Logins": logins, "CustomRoleArn": "arn:aws:iam::1:role/x" }),
        ),
        "InvalidParameterException",
    );
}

#[test]
fn logins_the_pool_does_not_accept_are_refused() {
    let (mut pool, identity_pool, token) = setup(6, false);
    let provider = pool.identity_provider_name();
    let refused = |pool: &mut UserPool, logins: Value| {
        expect_error(
            &get_id(pool, &identity_pool, Some(&logins)),
            "NotAuthorizedException",
        )
    };
    // Another provider.
    let message = refused(&mut pool, json!({ "accounts.google.com": token }));
    assert_eq!(
        message,
        "Token is not from a supported provider of this identity pool."
    );
    // An access token, an altered ID token, a token of a client the pool does not accept.
    let mut client = RawClient::new(CLIENT_ID, None, 7);
    let reply = client
        .sign_in(&mut pool, "alice", "Passw0rd!", None)
        .unwrap();
    let access = str_of(&reply["AuthenticationResult"]["AccessToken"]).to_owned();
    refused(&mut pool, json!({ &provider: access }));
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut claims = jwt_payload(&token).unwrap();
    claims["sub"] = json!("someone-else");
    parts[1] = Base64UrlUnpadded::encode_string(claims.to_string().as_bytes());
    refused(&mut pool, json!({ &provider: parts.join(".") }));
    let other = id_token(&mut pool, "alice", OTHER_CLIENT, 8);
    let message = refused(&mut pool, json!({ &provider: other }));
    assert_eq!(message, "Invalid login token. Incorrect token audience.");
    refused(&mut pool, json!({ &provider: "not.a.token" }));
    // An expired one.
    pool.advance(TOKEN_LIFETIME_SECS);
    let message = refused(&mut pool, json!({ &provider: token }));
    assert!(
        message.starts_with("Invalid login token. Token expired"),
        "{message}"
    );
    assert!(pool.identities(&identity_pool).is_empty());
}

#[test]
fn guests_get_a_new_identity_each_time_when_allowed() {
    let (mut pool, identity_pool, token) = setup(9, true);
    let first = identity_id(&get_id(&mut pool, &identity_pool, None));
    let second = identity_id(&get_id(&mut pool, &identity_pool, Some(&json!({}))));
    assert_ne!(first, second);
    assert_eq!(pool.identity(&first).unwrap().sub, None);
    let reply = expect_ok(&call(
        &mut pool,
        "GetCredentialsForIdentity",
        &json!({ "IdentityId": first }),
    ));
    assert!(str_of(&reply["Credentials"]["AccessKeyId"]).starts_with("ASIA"));
    // A guest identity given Alice's login becomes hers.
    let logins = logins_of(&pool, &token);
    expect_ok(&call(
        &mut pool,
        "GetCredentialsForIdentity",
        &json!({ "IdentityId": first, "Logins": logins }),
    ));
    assert_eq!(pool.identity(&first).unwrap().sub, pool.user_sub("alice"));
    assert_eq!(
        identity_id(&get_id(&mut pool, &identity_pool, Some(&logins))),
        first
    );
    // ... and the other guest identity cannot take her login too.
    expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": second, "Logins": logins }),
        ),
        "NotAuthorizedException",
    );
    // Guests switched off: no new guest, no credentials for the existing one.
    assert!(pool.set_allow_unauthenticated(&identity_pool, false));
    let message = expect_error(
        &get_id(&mut pool, &identity_pool, None),
        "NotAuthorizedException",
    );
    assert_eq!(
        message,
        "Unauthenticated access is not supported for this identity pool."
    );
    expect_error(
        &call(
            &mut pool,
            "GetCredentialsForIdentity",
            &json!({ "IdentityId": second }),
        ),
        "NotAuthorizedException",
    );
}

#[test]
fn guests_are_refused_unless_allowed() {
    let (mut pool, identity_pool, _) = setup(10, false);
    expect_error(
        &get_id(&mut pool, &identity_pool, None),
        "NotAuthorizedException",
    );
    assert!(pool.identities(&identity_pool).is_empty());
}

#[test]
fn open_id_tokens_are_signed_for_the_identity() {
    let (mut pool, identity_pool, token) = setup(11, true);
    let logins = logins_of(&pool, &token);
    let id = identity_id(&get_id(&mut pool, &identity_pool, Some(&logins)));
    let reply = expect_ok(&call(
        &mut pool,
        "GetOpenIdToken",
        &json!({ "IdentityId": id, "Logins": logins }),
    ));
    assert_eq!(reply["IdentityId"], id.as_str());
    let claims = verify_rs256(&pool.jwks_json(), str_of(&reply["Token"])).unwrap();
    assert_eq!(claims["iss"], OPENID_ISSUER);
    assert_eq!(claims["aud"], identity_pool.as_str());
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(
        claims["amr"],
        json!(["authenticated", pool.identity_provider_name()])
    );
    assert_eq!(
        claims["exp"].as_u64(),
        Some(pool.now() + OPENID_TOKEN_LIFETIME_SECS)
    );
    expect_error(
        &call(&mut pool, "GetOpenIdToken", &json!({ "IdentityId": id })),
        "NotAuthorizedException",
    );
    let guest = identity_id(&get_id(&mut pool, &identity_pool, None));
    let reply = expect_ok(&call(
        &mut pool,
        "GetOpenIdToken",
        &json!({ "IdentityId": guest }),
    ));
    let claims = verify_rs256(&pool.jwks_json(), str_of(&reply["Token"])).unwrap();
    assert_eq!(claims["amr"], json!(["unauthenticated"]));
}

#[test]
fn malformed_requests_and_unknown_pools() {
    let (mut pool, identity_pool, _) = setup(12, true);
    expect_error(
        &get_id(
            &mut pool,
            "us-east-1:00000000-0000-4000-8000-000000000000",
            None,
        ),
        "ResourceNotFoundException",
    );
    for bad in ["", "nocolon", "us-east-1:", "US EAST:1", "us-east-1:xyz"] {
        expect_error(&get_id(&mut pool, bad, None), "InvalidParameterException");
    }
    expect_error(
        &call(&mut pool, "GetId", &json!({})),
        "InvalidParameterException",
    );
    expect_error(
        &call(&mut pool, "GetCredentialsForIdentity", &json!({})),
        "InvalidParameterException",
    );
    expect_error(
        &call(&mut pool, "GetOpenIdToken", &json!({ "IdentityId": "bad" })),
        "InvalidParameterException",
    );
    expect_error(
        &call(
            &mut pool,
            "GetId",
            &json!({ "IdentityPoolId": identity_pool, "Logins": [] }),
        ),
        "SerializationException",
    );
    expect_error(
        &call(
            &mut pool,
            "GetId",
            &json!({ "IdentityPoolId": identity_pool, "Logins": { "p": 1 } }),
        ),
        "SerializationException",
    );
    expect_error(
        &call(&mut pool, "GetId", &json!({ "IdentityPoolId": 7 })),
        "SerializationException",
    );
    let reply = pool.handle(
        &format!("{IDENTITY_TARGET_PREFIX}GetId"),
        CONTENT_TYPE,
        b"{",
    );
    expect_error(&reply, "SerializationException");
    expect_error(
        &call(&mut pool, "DeleteIdentities", &json!({})),
        "UnknownOperationException",
    );
    let reply = pool.handle(
        &format!("{IDENTITY_TARGET_PREFIX}GetId"),
        "application/json",
        b"{}",
    );
    expect_error(&reply, "UnknownOperationException");
    // Errors have the user-pool API's shape.
    let reply = get_id(&mut pool, "nocolon", None);
    assert_eq!(
        reply.error_type.as_deref(),
        Some("InvalidParameterException:")
    );
    let body = reply.json();
    assert_eq!(body["__type"], "InvalidParameterException");
    assert!(body["message"].is_string());
}

#[test]
fn identity_operations_over_http() {
    let (pool, identity_pool, token) = setup(13, false);
    let provider = pool.identity_provider_name();
    let server =
        EmulatorServer::start_with(pool, "127.0.0.1:0", EmulatorOptions::fixed_clock()).unwrap();
    let post = |operation: &str, body: &Value| {
        loopback_http::send(
            &server.url(),
            "POST",
            &[
                ("Content-Type", CONTENT_TYPE),
                (
                    "X-Amz-Target",
                    &format!("{IDENTITY_TARGET_PREFIX}{operation}"),
                ),
            ],
            body.to_string().as_bytes(),
        )
        .unwrap()
    };
    let logins = json!({ &provider: token });
    let reply = post(
        "GetId",
        &json!({ "IdentityPoolId": identity_pool, "Logins": logins }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let id = reply.json().unwrap()["IdentityId"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = post(
        "GetCredentialsForIdentity",
        &json!({ "IdentityId": id, "Logins": logins }),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some(CONTENT_TYPE));
    assert!(reply.header("x-amzn-requestid").is_some());
    let reply = post("GetId", &json!({ "IdentityPoolId": identity_pool }));
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.header("x-amzn-errortype"),
        Some("NotAuthorizedException:")
    );
    let operations: Vec<String> = server
        .pool()
        .lock()
        .unwrap()
        .identity_requests()
        .iter()
        .map(|r| r.operation.clone())
        .collect();
    assert_eq!(operations, ["GetId", "GetCredentialsForIdentity", "GetId"]);
}

#[test]
fn the_binary_creates_an_identity_pool() {
    let (_running, lines) = Running::start(
        &[
            "--pool-id",
            "eu-west-1_IdPool",
            "--client-id",
            "testclient",
            "--user",
            "alice:Passw0rd!",
            "--identity-pool",
            "--allow-guests",
            "--fixed-clock",
            "--quiet",
        ],
        2,
        Duration::from_secs(60),
    );
    let (first, second) = (&lines[0], &lines[1]);
    let url = listening_url(first).to_owned();
    let identity_pool = second.strip_prefix("identity pool ").unwrap().to_owned();
    assert!(identity_pool.starts_with("eu-west-1:"), "{identity_pool}");
    let reply = loopback_http::send(
        &url,
        "POST",
        &[
            ("Content-Type", CONTENT_TYPE),
            ("X-Amz-Target", "AWSCognitoIdentityService.GetId"),
        ],
        json!({ "IdentityPoolId": identity_pool })
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply.json().unwrap()["IdentityId"]
            .as_str()
            .unwrap()
            .starts_with("eu-west-1:")
    );
}
