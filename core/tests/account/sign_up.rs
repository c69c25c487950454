//! `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`: request bodies, replies, errors, misuse.

use cognito_core::Call;
use cognito_core::account::{
    CodeDeliveryReply, ConfirmSignUp, ConfirmSignUpReply, ResendConfirmationCode, SignUp,
    SignUpReply,
};
use cognito_core::wire::Operation;
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

use crate::support::*;

fn full_sign_up() -> SignUp<'static> {
    SignUp {
        username: "alice",
        password: Some("correct horse \"battery\""),
        user_attributes: &[("email", "alice@example.com"), ("custom:tier", "gold")],
        validation_data: &[("invite", "XYZ")],
        client_metadata: &[("source", "kiosk")],
    }
}

#[test]
fn sign_up_request_public_client() {
    let mut buf = [0u8; 1024];
    let request = full_sign_up().write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::SignUp);
    assert_eq!(
        json(&request),
        json!({
            "ClientId": CLIENT,
            "Username": "alice",
            "Password": "correct horse \"battery\"",
            "UserAttributes": [
                {"Name": "email", "Value": "alice@example.com"},
                {"Name": "custom:tier", "Value": "gold"}
            ],
            "ValidationData": [{"Name": "invite", "Value": "XYZ"}],
            "ClientMetadata": {"source": "kiosk"}
        })
    );
}

#[test]
fn sign_up_request_with_secret_and_minimal() {
    let mut buf = [0u8; 1024];
    let sign_up = SignUp {
        username: "bob",
        ..SignUp::default()
    };
    let request = sign_up.write_request(&confidential(), &mut buf).unwrap();
    assert_eq!(
        json(&request),
        json!({"ClientId": CLIENT, "SecretHash": secret_hash("bob"), "Username": "bob"})
    );
}

#[test]
fn sign_up_reply_every_member() {
    let body = r#"{"UserConfirmed":false,"CodeDeliveryDetails":{"Destination":"a***@e\u002a**","DeliveryMedium":"EMAIL","AttributeName":"email"},"UserSub":"5f2c6a4e-0b1d-4c3e-9f8a-7b6c5d4e3f2a","Session":"AYABeJ0ZSessionSessionSession"}"#;
    let reply = SignUpReply::read(&ok(body)).unwrap();
    assert_eq!(reply.user_sub, "5f2c6a4e-0b1d-4c3e-9f8a-7b6c5d4e3f2a");
    assert!(!reply.user_confirmed);
    assert_eq!(reply.session, Some("AYABeJ0ZSessionSessionSession"));
    let details = reply.code_delivery_details.unwrap();
    assert!(details.destination.unwrap().eq_str("a***@e***"));
    assert_eq!(details.delivery_medium, Some("EMAIL"));
    assert!(details.attribute_name.unwrap().eq_str("email"));

    let minimal = SignUpReply::read(&ok(r#"{"UserConfirmed":true,"UserSub":"s"}"#)).unwrap();
    assert!(minimal.user_confirmed);
    assert!(minimal.code_delivery_details.is_none());
    assert!(minimal.session.is_none());
}

#[test]
fn sign_up_reply_missing_members() {
    assert_eq!(
        SignUpReply::read(&ok(r#"{"UserConfirmed":true}"#)).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("UserSub"))
    );
    assert_eq!(
        SignUpReply::read(&ok(r#"{"UserSub":"s"}"#)).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("UserConfirmed"))
    );
    assert_eq!(
        SignUpReply::read(&ok(
            r#"{"UserSub":"s","UserConfirmed":true,"CodeDeliveryDetails":[]}"#
        ))
        .unwrap_err(),
        Error::Protocol(ProtocolError::NotAnObject("CodeDeliveryDetails"))
    );
}

#[test]
fn sign_up_errors() {
    check_errors(SIGN_UP_ERRORS, |r| SignUpReply::read(r).map(drop));
}

#[test]
fn sign_up_misuse() {
    let mut buf = [0u8; 1024];
    let config = public();
    let with = |s: SignUp<'_>, buf: &mut [u8]| s.write_request(&config, buf).map(|r| r.body.len());
    assert_misuse(
        with(
            SignUp {
                username: "",
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::Empty("username"),
    );
    let long_name = "n".repeat(129);
    assert_misuse(
        with(
            SignUp {
                username: &long_name,
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::TooLong {
            field: "username",
            max: 128,
        },
    );
    // 128 characters of 2 bytes each are fine: the limit counts characters.
    let wide_name = "é".repeat(128);
    with(
        SignUp {
            username: &wide_name,
            ..full_sign_up()
        },
        &mut buf,
    )
    .unwrap();
    assert_misuse(
        with(
            SignUp {
                password: Some(""),
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::Empty("password"),
    );
    let long_password = "p".repeat(257);
    assert_misuse(
        with(
            SignUp {
                password: Some(&long_password),
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::TooLong {
            field: "password",
            max: 256,
        },
    );
    assert_misuse(
        with(
            SignUp {
                user_attributes: &[("", "x")],
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::Empty("attribute_name"),
    );
    let long_attr = format!("custom:{}", "a".repeat(26));
    assert_misuse(
        with(
            SignUp {
                validation_data: &[(&long_attr, "x")],
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::TooLong {
            field: "attribute_name",
            max: 32,
        },
    );
    let ok_attr = format!("custom:{}", "a".repeat(25));
    with(
        SignUp {
            user_attributes: &[(&ok_attr, "")],
            ..full_sign_up()
        },
        &mut buf,
    )
    .unwrap();
    let long_value = "v".repeat(2049);
    assert_misuse(
        with(
            SignUp {
                user_attributes: &[("name", &long_value)],
                ..full_sign_up()
            },
            &mut buf,
        ),
        Misuse::TooLong {
            field: "attribute_value",
            max: 2048,
        },
    );
}

#[test]
fn sign_up_buffer_too_small() {
    check_buffer_too_small(|buf| {
        full_sign_up()
            .write_request(&confidential(), buf)
            .map(|r| r.body.len())
    });
}

fn full_confirm() -> ConfirmSignUp<'static> {
    ConfirmSignUp {
        username: "alice",
        confirmation_code: "123456",
        force_alias_creation: true,
        client_metadata: &[("k", "v")],
        session: Some("AYABeJ0ZSessionSessionSession"),
    }
}

#[test]
fn confirm_sign_up_request() {
    let mut buf = [0u8; 1024];
    let request = full_confirm()
        .write_request(&confidential(), &mut buf)
        .unwrap();
    assert_eq!(request.operation, Operation::ConfirmSignUp);
    assert_eq!(
        json(&request),
        json!({
            "ClientId": CLIENT,
            "SecretHash": secret_hash("alice"),
            "Username": "alice",
            "ConfirmationCode": "123456",
            "ForceAliasCreation": true,
            "ClientMetadata": {"k": "v"},
            "Session": "AYABeJ0ZSessionSessionSession"
        })
    );
    let plain = ConfirmSignUp {
        force_alias_creation: false,
        client_metadata: &[],
        session: None,
        ..full_confirm()
    };
    let request = plain.write_request(&public(), &mut buf).unwrap();
    assert_eq!(
        json(&request),
        json!({"ClientId": CLIENT, "Username": "alice", "ConfirmationCode": "123456"})
    );
}

#[test]
fn confirm_sign_up_codes_are_not_restricted_to_digits() {
    // The API model only requires a non-empty code without a length above 2048.
    let mut buf = [0u8; 4096];
    for code in ["ABC-def", "12 34", "😀"] {
        let confirm = ConfirmSignUp {
            confirmation_code: code,
            ..full_confirm()
        };
        confirm.write_request(&public(), &mut buf).unwrap();
    }
    let long = "1".repeat(2049);
    assert_misuse(
        ConfirmSignUp {
            confirmation_code: &long,
            ..full_confirm()
        }
        .write_request(&public(), &mut buf),
        Misuse::TooLong {
            field: "confirmation_code",
            max: 2048,
        },
    );
    assert_misuse(
        ConfirmSignUp {
            confirmation_code: "",
            ..full_confirm()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("confirmation_code"),
    );
    assert_misuse(
        ConfirmSignUp {
            username: "",
            ..full_confirm()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("username"),
    );
    assert_misuse(
        ConfirmSignUp {
            session: Some(""),
            ..full_confirm()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("session"),
    );
}

#[test]
fn confirm_sign_up_reply() {
    let reply =
        ConfirmSignUpReply::read(&ok(r#"{"Session":"AYABeNextSessionForUserAuth"}"#)).unwrap();
    assert_eq!(reply.session, Some("AYABeNextSessionForUserAuth"));
    assert!(
        ConfirmSignUpReply::read(&ok("{}"))
            .unwrap()
            .session
            .is_none()
    );
    assert!(ConfirmSignUpReply::read(&ok("")).unwrap().session.is_none());
    check_errors(CONFIRM_SIGN_UP_ERRORS, |r| {
        ConfirmSignUpReply::read(r).map(drop)
    });
}

#[test]
fn confirm_sign_up_buffer_too_small() {
    check_buffer_too_small(|buf| {
        full_confirm()
            .write_request(&confidential(), buf)
            .map(|r| r.body.len())
    });
}

#[test]
fn resend_confirmation_code() {
    let mut buf = [0u8; 512];
    let resend = ResendConfirmationCode {
        username: "alice",
        client_metadata: &[("a", "b")],
    };
    let request = resend.write_request(&confidential(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ResendConfirmationCode);
    assert_eq!(
        json(&request),
        json!({"ClientId": CLIENT, "SecretHash": secret_hash("alice"), "Username": "alice", "ClientMetadata": {"a": "b"}})
    );
    let reply = CodeDeliveryReply::read(&ok(
        r#"{"CodeDeliveryDetails":{"Destination":"+*******0199","DeliveryMedium":"SMS","AttributeName":"phone_number"}}"#,
    ))
    .unwrap();
    let details = reply.code_delivery_details.unwrap();
    assert_eq!(
        details.destination.unwrap().as_plain(),
        Some("+*******0199")
    );
    assert_eq!(details.delivery_medium, Some("SMS"));
    assert_eq!(
        details.attribute_name.unwrap().as_plain(),
        Some("phone_number")
    );
    check_errors(RESEND_CONFIRMATION_CODE_ERRORS, |r| {
        CodeDeliveryReply::read(r).map(drop)
    });
    assert_misuse(
        ResendConfirmationCode {
            username: "",
            client_metadata: &[],
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("username"),
    );
    check_buffer_too_small(|buf| {
        resend
            .write_request(&confidential(), buf)
            .map(|r| r.body.len())
    });
}
