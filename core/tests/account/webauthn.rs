//! Passkey registration, listing and deletion.

use crate::support::*;
use cognito_core::Call;
use cognito_core::account::{
    CompleteWebAuthnRegistration, DeleteWebAuthnCredential, ListWebAuthnCredentials,
    ListWebAuthnCredentialsReply, StartWebAuthnRegistration, StartWebAuthnRegistrationReply,
};
use cognito_core::wire::Operation;
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

#[test]
fn start_registration() {
    let mut buf = [0u8; 128];
    let start = StartWebAuthnRegistration {
        access_token: TOKEN,
    };
    let request = start.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::StartWebAuthnRegistration);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    let options = json!({
        "challenge": "Y2hhbGxlbmdl",
        "rp": {"id": "auth.example.com", "name": "Example"},
        "user": {"id": "dXNlcg", "name": "alice", "displayName": "Alice \u{2603}"},
        "pubKeyCredParams": [{"type": "public-key", "alg": -7}, {"type": "public-key", "alg": -257}],
        "timeout": 60000,
        "excludeCredentials": [],
        "authenticatorSelection": {"residentKey": "required", "userVerification": "required"}
    });
    let body = json!({"CredentialCreationOptions": options}).to_string();
    let reply = StartWebAuthnRegistrationReply::read(&ok(&body)).unwrap();
    let raw = reply.credential_creation_options.raw();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(raw).unwrap(),
        options
    );
    assert_eq!(
        StartWebAuthnRegistrationReply::read(&ok("{}")).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("CredentialCreationOptions"))
    );
    check_errors(START_WEB_AUTHN_REGISTRATION_ERRORS, |r| {
        StartWebAuthnRegistrationReply::read(r).map(drop)
    });
    assert_misuse(
        StartWebAuthnRegistration::default().write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| start.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn complete_registration() {
    let mut buf = [0u8; 1024];
    let credential = r#" {"id":"AbC_dEf","rawId":"AbC_dEf","type":"public-key",
        "response":{"clientDataJSON":"eyJ0eXBlIjoid2ViYXV0aG4uY3JlYXRlIn0","attestationObject":"o2NmbXRkbm9uZQ","transports":["internal","hybrid"]},
        "authenticatorAttachment":"platform","clientExtensionResults":{}} "#;
    let complete = CompleteWebAuthnRegistration {
        access_token: TOKEN,
        credential,
    };
    let request = complete.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::CompleteWebAuthnRegistration);
    let credential_json: serde_json::Value = serde_json::from_str(credential).unwrap();
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "Credential": credential_json})
    );
    CompleteWebAuthnRegistration::read_reply(&ok("{}")).unwrap();
    check_errors(
        COMPLETE_WEB_AUTHN_REGISTRATION_ERRORS,
        CompleteWebAuthnRegistration::read_reply,
    );
    for bad in ["", "[]", "\"x\"", "{", "{} {}", "{\"a\":1,}", "null"] {
        assert_misuse(
            CompleteWebAuthnRegistration {
                credential: bad,
                ..complete
            }
            .write_request(&public(), &mut buf),
            Misuse::Invalid("credential (not a JSON object)"),
        );
    }
    assert_misuse(
        CompleteWebAuthnRegistration {
            access_token: "",
            ..complete
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| complete.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn list_credentials() {
    let mut buf = [0u8; 256];
    let list = ListWebAuthnCredentials {
        access_token: TOKEN,
        next_token: Some("bmV4dA=="),
        max_results: Some(20),
    };
    let request = list.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ListWebAuthnCredentials);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "NextToken": "bmV4dA==", "MaxResults": 20})
    );
    let first = ListWebAuthnCredentials {
        access_token: TOKEN,
        ..ListWebAuthnCredentials::default()
    };
    assert_eq!(
        json(&first.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN})
    );
    assert_misuse(
        ListWebAuthnCredentials {
            max_results: Some(21),
            ..list
        }
        .write_request(&public(), &mut buf),
        Misuse::Invalid("max_results (at most 20)"),
    );
    assert_misuse(
        ListWebAuthnCredentials {
            next_token: Some(""),
            ..list
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("next_token"),
    );
    check_buffer_too_small(|buf| list.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn list_credentials_reply() {
    let body = r#"{
        "Credentials": [
            {"CredentialId": "AbC_dEf", "FriendlyCredentialName": "Alice\u2019s MacBook",
             "RelyingPartyId": "auth.example.com", "AuthenticatorAttachment": "platform",
             "AuthenticatorTransports": ["internal", "hybrid"], "CreatedAt": 1.7301234565E9},
            {"CredentialId": "ZyX", "FriendlyCredentialName": "YubiKey",
             "RelyingPartyId": "auth.example.com",
             "AuthenticatorTransports": ["usb", "nfc"], "CreatedAt": 1730000000}
        ],
        "NextToken": "bmV4dC1wYWdl"
    }"#;
    let page = ListWebAuthnCredentialsReply::read(&ok(body)).unwrap();
    assert_eq!(page.next_token, Some("bmV4dC1wYWdl"));
    let creds: Vec<_> = page.credentials.iter().collect();
    assert_eq!(creds.len(), 2);
    assert_eq!(creds[0].credential_id, "AbC_dEf");
    assert!(creds[0].friendly_credential_name.eq_str("Alice’s MacBook"));
    assert_eq!(creds[0].relying_party_id, "auth.example.com");
    assert_eq!(creds[0].authenticator_attachment, Some("platform"));
    assert_eq!(
        creds[0].authenticator_transports.iter().collect::<Vec<_>>(),
        ["internal", "hybrid"]
    );
    assert_eq!(creds[0].created_at, 1_730_123_456.5);
    assert_eq!(creds[1].authenticator_attachment, None);
    assert_eq!(creds[1].created_at, 1_730_000_000.0);

    let empty = ListWebAuthnCredentialsReply::read(&ok(r#"{"Credentials":[]}"#)).unwrap();
    assert!(empty.credentials.is_empty());
    assert_eq!(empty.next_token, None);
    assert_eq!(
        ListWebAuthnCredentialsReply::read(&ok(
            r#"{"Credentials":[{"CredentialId":"a","FriendlyCredentialName":"b","RelyingPartyId":"c","AuthenticatorTransports":[]}]}"#
        ))
        .unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("CreatedAt"))
    );
    check_errors(LIST_WEB_AUTHN_CREDENTIALS_ERRORS, |r| {
        ListWebAuthnCredentialsReply::read(r).map(drop)
    });
}

#[test]
fn delete_credential() {
    let mut buf = [0u8; 256];
    let delete = DeleteWebAuthnCredential {
        access_token: TOKEN,
        credential_id: "AbC_dEf",
    };
    let request = delete.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::DeleteWebAuthnCredential);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "CredentialId": "AbC_dEf"})
    );
    DeleteWebAuthnCredential::read_reply(&ok("{}")).unwrap();
    check_errors(
        DELETE_WEB_AUTHN_CREDENTIAL_ERRORS,
        DeleteWebAuthnCredential::read_reply,
    );
    assert_misuse(
        DeleteWebAuthnCredential {
            access_token: "",
            ..delete
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| delete.write_request(&public(), buf).map(|r| r.body.len()));
}
