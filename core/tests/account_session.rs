//! `GlobalSignOut`, `RevokeToken`, `UpdateAuthEventFeedback`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

#[path = "account_support.rs"]
mod support;

use cognito_core::Misuse;
use cognito_core::account::{FeedbackValue, GlobalSignOut, RevokeToken, UpdateAuthEventFeedback};
use cognito_core::auth::ClientConfig;
use cognito_core::wire::Operation;
use serde_json::json;
use support::*;

const TOKEN: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";
const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";

#[test]
fn global_sign_out() {
    let mut buf = [0u8; 128];
    let request = GlobalSignOut {
        access_token: TOKEN,
    }
    .write_request(&mut buf)
    .unwrap();
    assert_eq!(request.operation, Operation::GlobalSignOut);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    GlobalSignOut::read_reply(&ok("{}")).unwrap();
    check_errors(GLOBAL_SIGN_OUT_ERRORS, GlobalSignOut::read_reply);
    assert_misuse(
        GlobalSignOut::default().write_request(&mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        GlobalSignOut {
            access_token: TOKEN,
        }
        .write_request(buf)
        .map(|r| r.body.len())
    });
}

#[test]
fn revoke_token() {
    let mut buf = [0u8; 256];
    let public = ClientConfig::new("eu-west-1_AbC", CLIENT).unwrap();
    let confidential = public.with_client_secret("1example23456789secret0abcdef");
    let revoke = RevokeToken {
        token: "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIn0.refresh",
    };
    let request = revoke.write_request(&public, &mut buf).unwrap();
    assert_eq!(request.operation, Operation::RevokeToken);
    assert_eq!(
        json(&request),
        json!({"Token": revoke.token, "ClientId": CLIENT})
    );
    assert_eq!(
        json(&revoke.write_request(&confidential, &mut buf).unwrap()),
        json!({"Token": revoke.token, "ClientId": CLIENT, "ClientSecret": "1example23456789secret0abcdef"})
    );
    RevokeToken::read_reply(&ok("{}")).unwrap();
    check_errors(REVOKE_TOKEN_ERRORS, RevokeToken::read_reply);
    assert_misuse(
        RevokeToken::default().write_request(&public, &mut buf),
        Misuse::Empty("token"),
    );
    check_buffer_too_small(|buf| {
        revoke
            .write_request(&confidential, buf)
            .map(|r| r.body.len())
    });
}

#[test]
fn update_auth_event_feedback() {
    let mut buf = [0u8; 512];
    let feedback = UpdateAuthEventFeedback {
        user_pool_id: "eu-west-1_AbC",
        username: "alice",
        event_id: "c2a7e1f0-1111-2222-3333-444455556666",
        feedback_token: "AYADeFeedbackToken123=",
        feedback_value: FeedbackValue::Invalid,
    };
    let request = feedback.write_request(&mut buf).unwrap();
    assert_eq!(request.operation, Operation::UpdateAuthEventFeedback);
    assert_eq!(
        json(&request),
        json!({
            "UserPoolId": "eu-west-1_AbC",
            "Username": "alice",
            "EventId": "c2a7e1f0-1111-2222-3333-444455556666",
            "FeedbackToken": "AYADeFeedbackToken123=",
            "FeedbackValue": "Invalid"
        })
    );
    assert_eq!(FeedbackValue::Valid.as_str(), "Valid");
    UpdateAuthEventFeedback::read_reply(&ok("{}")).unwrap();
    check_errors(
        UPDATE_AUTH_EVENT_FEEDBACK_ERRORS,
        UpdateAuthEventFeedback::read_reply,
    );
    assert_misuse(
        UpdateAuthEventFeedback {
            username: "",
            ..feedback
        }
        .write_request(&mut buf),
        Misuse::Empty("username"),
    );
    assert_misuse(
        UpdateAuthEventFeedback {
            feedback_token: "",
            ..feedback
        }
        .write_request(&mut buf),
        Misuse::Empty("feedback_token"),
    );
    let long = "e".repeat(51);
    assert_misuse(
        UpdateAuthEventFeedback {
            event_id: &long,
            ..feedback
        }
        .write_request(&mut buf),
        Misuse::TooLong {
            field: "event_id",
            max: 50,
        },
    );
    assert_misuse(
        UpdateAuthEventFeedback {
            user_pool_id: "",
            ..feedback
        }
        .write_request(&mut buf),
        Misuse::Empty("user_pool_id"),
    );
    check_buffer_too_small(|buf| feedback.write_request(buf).map(|r| r.body.len()));
}
