//! `ForgotPassword`, `ConfirmForgotPassword`, `ChangePassword`.

use crate::support::*;
use cognito_core::Call;
use cognito_core::Misuse;
use cognito_core::account::{
    ChangePassword, CodeDeliveryReply, ConfirmForgotPassword, ForgotPassword,
};
use cognito_core::wire::Operation;
use serde_json::json;

#[test]
fn forgot_password() {
    let mut buf = [0u8; 512];
    let forgot = ForgotPassword {
        username: "alice@example.com",
        client_metadata: &[("reason", "lost")],
    };
    let request = forgot.write_request(&confidential(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ForgotPassword);
    assert_eq!(
        json(&request),
        json!({
            "ClientId": CLIENT,
            "SecretHash": secret_hash("alice@example.com"),
            "Username": "alice@example.com",
            "ClientMetadata": {"reason": "lost"}
        })
    );
    let reply = CodeDeliveryReply::read(&ok(
        r#"{"CodeDeliveryDetails":{"Destination":"a***@e***.com","DeliveryMedium":"EMAIL","AttributeName":"email"}}"#,
    ))
    .unwrap();
    let details = reply.code_delivery_details.unwrap();
    assert!(details.destination.unwrap().eq_str("a***@e***.com"));
    assert_eq!(details.delivery_medium, Some("EMAIL"));
    assert!(details.attribute_name.unwrap().eq_str("email"));
    assert!(
        CodeDeliveryReply::read(&ok("{}"))
            .unwrap()
            .code_delivery_details
            .is_none()
    );
    check_errors(FORGOT_PASSWORD_ERRORS, |r| {
        CodeDeliveryReply::read(r).map(drop)
    });
    assert_misuse(
        ForgotPassword::default().write_request(&public(), &mut buf),
        Misuse::Empty("username"),
    );
    check_buffer_too_small(|buf| {
        forgot
            .write_request(&confidential(), buf)
            .map(|r| r.body.len())
    });
}

fn confirm() -> ConfirmForgotPassword<'static> {
    ConfirmForgotPassword {
        username: "alice",
        confirmation_code: "004217",
        password: "n3w pass\\word",
        client_metadata: &[("m", "1")],
    }
}

#[test]
fn confirm_forgot_password() {
    let mut buf = [0u8; 512];
    let request = confirm().write_request(&confidential(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ConfirmForgotPassword);
    assert_eq!(
        json(&request),
        json!({
            "ClientId": CLIENT,
            "SecretHash": secret_hash("alice"),
            "Username": "alice",
            "ConfirmationCode": "004217",
            "Password": "n3w pass\\word",
            "ClientMetadata": {"m": "1"}
        })
    );
    ConfirmForgotPassword::read_reply(&ok("{}")).unwrap();
    ConfirmForgotPassword::read_reply(&ok("")).unwrap();
    check_errors(
        CONFIRM_FORGOT_PASSWORD_ERRORS,
        ConfirmForgotPassword::read_reply,
    );
    check_buffer_too_small(|buf| {
        confirm()
            .write_request(&public(), buf)
            .map(|r| r.body.len())
    });
}

#[test]
fn confirm_forgot_password_misuse() {
    let mut buf = [0u8; 4096];
    let cfg = public();
    assert_misuse(
        ConfirmForgotPassword {
            username: "",
            ..confirm()
        }
        .write_request(&cfg, &mut buf),
        Misuse::Empty("username"),
    );
    assert_misuse(
        ConfirmForgotPassword {
            confirmation_code: "",
            ..confirm()
        }
        .write_request(&cfg, &mut buf),
        Misuse::Empty("confirmation_code"),
    );
    assert_misuse(
        ConfirmForgotPassword {
            password: "",
            ..confirm()
        }
        .write_request(&cfg, &mut buf),
        Misuse::Empty("password"),
    );
    let long = "x".repeat(257);
    assert_misuse(
        ConfirmForgotPassword {
            password: &long,
            ..confirm()
        }
        .write_request(&cfg, &mut buf),
        Misuse::TooLong {
            field: "password",
            max: 256,
        },
    );
    // Non-digit codes are the server's to judge (custom email senders).
    ConfirmForgotPassword {
        confirmation_code: "abc",
        ..confirm()
    }
    .write_request(&cfg, &mut buf)
    .unwrap();
}

#[test]
fn change_password() {
    let mut buf = [0u8; 512];
    let change = ChangePassword {
        access_token: "eyJraWQ.eyJzdWIi.c2ln",
        previous_password: Some("old"),
        proposed_password: "new-Pa55",
    };
    let request = change.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ChangePassword);
    assert_eq!(
        json(&request),
        json!({"PreviousPassword": "old", "ProposedPassword": "new-Pa55", "AccessToken": "eyJraWQ.eyJzdWIi.c2ln"})
    );
    let first = ChangePassword {
        previous_password: None,
        ..change
    };
    assert_eq!(
        json(&first.write_request(&public(), &mut buf).unwrap()),
        json!({"ProposedPassword": "new-Pa55", "AccessToken": "eyJraWQ.eyJzdWIi.c2ln"})
    );
    ChangePassword::read_reply(&ok("{}")).unwrap();
    check_errors(CHANGE_PASSWORD_ERRORS, ChangePassword::read_reply);
    assert_misuse(
        ChangePassword {
            access_token: "",
            ..change
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    assert_misuse(
        ChangePassword {
            proposed_password: "",
            ..change
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("proposed_password"),
    );
    assert_misuse(
        ChangePassword {
            previous_password: Some(""),
            ..change
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("previous_password"),
    );
    check_buffer_too_small(|buf| change.write_request(&public(), buf).map(|r| r.body.len()));
}
