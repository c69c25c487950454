//! Token refresh: both operations' requests, SECRET_HASH / ClientSecret, DEVICE_KEY, rotation.

use cognito_core::auth::{ClientConfig, Refresh, RefreshOperation};
use cognito_core::capacity::DefaultLimits;
use cognito_core::wire::{HttpResponse, Operation};
use cognito_core::{Error, Misuse, ProtocolError, SecretHash};
use serde_json::{Value, json};

use crate::support::NOW;

fn write(refresh: &mut Refresh) -> (Operation, Value) {
    let mut buf = [0u8; 4096];
    let r = refresh.write_request(&mut buf).unwrap();
    (r.operation, serde_json::from_slice(r.body).unwrap())
}

#[test]
fn refresh_token_auth_with_secret_hash_over_the_real_username_and_device_key() {
    let config = ClientConfig::new("us-east-1_P", "client1")
        .unwrap()
        .with_client_secret("sec")
        .unwrap();
    let mut no_name: Refresh = Refresh::new(&config, "rt").unwrap();
    assert_eq!(
        no_name.write_request(&mut [0u8; 1024]).unwrap_err(),
        Error::Misuse(Misuse::Empty("username"))
    );

    let mut refresh: Refresh = Refresh::new(&config, "rt")
        .unwrap()
        .with_username("sub-123")
        .unwrap()
        .with_device_key("us-east-1_dev")
        .unwrap();
    let (op, body) = write(&mut refresh);
    assert_eq!(op, Operation::InitiateAuth);
    assert_eq!(
        body,
        json!({"AuthFlow": "REFRESH_TOKEN_AUTH", "ClientId": "client1", "AuthParameters": {
            "REFRESH_TOKEN": "rt",
            "SECRET_HASH": SecretHash::new("sec", "sub-123", "client1").as_str(),
            "DEVICE_KEY": "us-east-1_dev",
        }})
    );
    let reply = br#"{"AuthenticationResult":{"AccessToken":"a.b.c","IdToken":"i.d.t","ExpiresIn":3600,"TokenType":"Bearer"},"ChallengeParameters":{}}"#;
    let tokens = refresh
        .handle_response(&HttpResponse::new(200, reply), NOW)
        .unwrap();
    assert_eq!(tokens.access_token, "a.b.c");
    assert_eq!(tokens.refresh_token, None, "keep the old refresh token");
    assert_eq!(
        refresh.write_request(&mut [0u8; 1024]).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
}

#[test]
fn get_tokens_from_refresh_token_sends_the_client_secret_and_may_rotate() {
    let config = ClientConfig::new("us-east-1_P", "client1")
        .unwrap()
        .with_client_secret("sec")
        .unwrap();
    let mut refresh: Refresh = Refresh::new(&config, "rt")
        .unwrap()
        .using(RefreshOperation::GetTokensFromRefreshToken)
        .with_device_key("us-east-1_dev")
        .unwrap()
        .with_client_metadata(&[("k", "v")])
        .unwrap();
    let (op, body) = write(&mut refresh);
    assert_eq!(op, Operation::GetTokensFromRefreshToken);
    assert_eq!(
        body,
        json!({"RefreshToken": "rt", "ClientId": "client1", "ClientSecret": "sec", "DeviceKey": "us-east-1_dev", "ClientMetadata": {"k": "v"}})
    );
    let reply = br#"{"AuthenticationResult":{"AccessToken":"a.b.c","RefreshToken":"rt2","ExpiresIn":3600,"TokenType":"Bearer"}}"#;
    assert_eq!(
        refresh
            .handle_response(&HttpResponse::new(200, reply), NOW)
            .unwrap()
            .refresh_token,
        Some("rt2")
    );

    let public = ClientConfig::new("us-east-1_P", "client1").unwrap();
    let mut refresh: Refresh = Refresh::new(&public, "rt")
        .unwrap()
        .using(RefreshOperation::GetTokensFromRefreshToken);
    assert_eq!(
        write(&mut refresh).1,
        json!({"RefreshToken": "rt", "ClientId": "client1"})
    );
}

#[test]
fn errors() {
    let config = ClientConfig::new("us-east-1_P", "client1").unwrap();
    assert_eq!(
        Refresh::<DefaultLimits>::new(&config, "").unwrap_err(),
        Error::Misuse(Misuse::Empty("refresh_token"))
    );
    let mut refresh: Refresh = Refresh::new(&config, "rt").unwrap();
    assert_eq!(
        refresh
            .handle_response(&HttpResponse::new(200, b"{}"), NOW)
            .unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    write(&mut refresh);
    // Throttled: send again.
    let throttled = br#"{"__type":"TooManyRequestsException","message":"slow down"}"#;
    assert!(matches!(
        refresh.handle_response(&HttpResponse::new(400, throttled), NOW),
        Err(Error::Service(_))
    ));
    write(&mut refresh);
    let invalid = br#"{"__type":"NotAuthorizedException","message":"Invalid Refresh Token"}"#;
    match refresh.handle_response(&HttpResponse::new(400, invalid), NOW) {
        Err(Error::Service(e)) => assert_eq!(e.message(), "Invalid Refresh Token"),
        other => panic!("{other:?}"),
    }
    let mut refresh: Refresh = Refresh::new(&config, "rt").unwrap();
    write(&mut refresh);
    let challenge = br#"{"ChallengeName":"SMS_MFA","Session":"s"}"#;
    assert_eq!(
        refresh
            .handle_response(&HttpResponse::new(200, challenge), NOW)
            .unwrap_err(),
        Error::Protocol(ProtocolError::UnexpectedChallenge)
    );
}
