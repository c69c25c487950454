//! The emulator's wire layer: headers, JSON, error shapes, recording.

use cognito_tests::pool::{CONTENT_TYPE, Recorded, TARGET_PREFIX, UserPool};
use serde_json::{Value, json};

const TARGET: &str = "AWSCognitoIdentityProviderService.InitiateAuth";

fn pool() -> UserPool {
    let mut pool = UserPool::new("eu-west-1_AbC", 1);
    pool.add_client("client", None);
    pool
}

#[test]
fn pool_id_parts() {
    let pool = pool();
    assert_eq!(pool.pool_id(), "eu-west-1_AbC");
    assert_eq!(pool.region(), "eu-west-1");
    assert_eq!(pool.pool_name(), "AbC");
    assert_eq!(TARGET_PREFIX, "AWSCognitoIdentityProviderService.");
    assert_eq!(CONTENT_TYPE, "application/x-amz-json-1.1");
}

#[test]
fn service_error_shape() {
    let mut pool = pool();
    let body = json!({"AuthFlow": "USER_SRP_AUTH", "ClientId": "nope", "AuthParameters": {}});
    let reply = pool.handle(TARGET, CONTENT_TYPE, body.to_string().as_bytes());
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.error_type.as_deref(),
        Some("ResourceNotFoundException:")
    );
    assert_eq!(
        reply.json(),
        json!({"__type": "ResourceNotFoundException", "message": "User pool client nope does not exist."})
    );
}

#[test]
fn protocol_errors() {
    let mut pool = pool();
    // Wrong Content-Type.
    let reply = pool.handle(TARGET, "application/json", b"{}");
    assert_eq!(reply.error_name(), Some("UnknownOperationException"));
    // Missing prefix, unknown operation.
    let reply = pool.handle("InitiateAuth", CONTENT_TYPE, b"{}");
    assert_eq!(reply.error_name(), Some("UnknownOperationException"));
    let reply = pool.handle(
        "AWSCognitoIdentityProviderService.Frobnicate",
        CONTENT_TYPE,
        b"{}",
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.error_name(), Some("UnknownOperationException"));
    // Protocol errors carry a namespaced __type and a capitalised Message.
    let body = reply.json();
    assert_eq!(
        body["__type"],
        "com.amazon.coral.service#UnknownOperationException"
    );
    assert!(body["Message"].is_string());
    // Bad JSON, non-object JSON, empty body.
    for bad in [&b"{"[..], b"[1]", b"", b"null"] {
        let reply = pool.handle(TARGET, CONTENT_TYPE, bad);
        assert_eq!(
            reply.error_name(),
            Some("SerializationException"),
            "{bad:?}"
        );
        assert!(reply.message().is_some());
    }
    // Wrong member types.
    let reply = pool.handle(TARGET, CONTENT_TYPE, br#"{"ClientId": 1}"#);
    assert_eq!(reply.error_name(), Some("SerializationException"));
    let reply = pool.handle(
        TARGET,
        CONTENT_TYPE,
        br#"{"ClientId":"client","AuthFlow":"USER_SRP_AUTH","AuthParameters":[]}"#,
    );
    assert_eq!(reply.error_name(), Some("SerializationException"));
}

#[test]
fn every_request_is_recorded() {
    let mut pool = pool();
    pool.handle(TARGET, "text/plain", b"{\"a\":1}");
    pool.handle("Bogus", CONTENT_TYPE, b"not json");
    pool.call(
        "ForgetDevice",
        &json!({"AccessToken": "x", "DeviceKey": "y"}),
    );
    assert_eq!(
        pool.requests(),
        [
            Recorded {
                operation: "InitiateAuth".to_owned(),
                content_type: "text/plain".to_owned(),
                body: json!({"a": 1}),
            },
            Recorded {
                operation: "Bogus".to_owned(),
                content_type: CONTENT_TYPE.to_owned(),
                body: Value::Null,
            },
            Recorded {
                operation: "ForgetDevice".to_owned(),
                content_type: CONTENT_TYPE.to_owned(),
                body: json!({"AccessToken": "x", "DeviceKey": "y"}),
            },
        ]
    );
    assert_eq!(pool.operations(), ["InitiateAuth", "Bogus", "ForgetDevice"]);
}

#[test]
fn access_token_operations_need_a_token() {
    let mut pool = pool();
    for op in ["ConfirmDevice", "UpdateDeviceStatus", "ForgetDevice"] {
        let reply = pool.call(op, &json!({"DeviceKey": "k"}));
        assert_eq!(
            reply.error_name(),
            Some("InvalidParameterException"),
            "{op}"
        );
        let reply = pool.call(op, &json!({"AccessToken": "a.b.c", "DeviceKey": "k"}));
        assert_eq!(reply.error_name(), Some("NotAuthorizedException"), "{op}");
        assert_eq!(reply.message().as_deref(), Some("Invalid Access Token"));
    }
}

#[test]
fn clock_is_the_emulators_own() {
    let mut pool = pool();
    assert_eq!(pool.now(), cognito_tests::pool::DEFAULT_TIME);
    pool.set_time(1_000);
    pool.advance(5);
    assert_eq!(pool.now(), 1_005);
}
