//! `GlobalSignOut`, `RevokeToken`, `UpdateAuthEventFeedback`.

use crate::support::*;
use cognito_core::Call;
use cognito_core::Misuse;
use cognito_core::account::{FeedbackValue, GlobalSignOut, RevokeToken, UpdateAuthEventFeedback};
use cognito_core::auth::ClientConfig;
use cognito_core::wire::Operation;
use serde_json::json;

#[test]
fn global_sign_out() {
    let mut buf = [0u8; 128];
    let request = GlobalSignOut {
        access_token: TOKEN,
    }
    .write_request(&public(), &mut buf)
    .unwrap();
    assert_eq!(request.operation, Operation::GlobalSignOut);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    GlobalSignOut::read_reply(&ok("{}")).unwrap();
    check_errors(GLOBAL_SIGN_OUT_ERRORS, GlobalSignOut::read_reply);
    assert_misuse(
        GlobalSignOut::default().write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        GlobalSignOut {
            access_token: TOKEN,
        }
        .write_request(&public(), buf)
        .map(|r| r.body.len())
    });
}

#[test]
fn revoke_token() {
    let mut buf = [0u8; 256];
    let public = public();
    let confidential = confidential();
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
        json!({"Token": revoke.token, "ClientId": CLIENT, "ClientSecret": SECRET})
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
        username: "alice",
        event_id: "c2a7e1f0-1111-2222-3333-444455556666",
        feedback_token: "AYADeFeedbackToken123=",
        feedback_value: FeedbackValue::Invalid,
    };
    let request = feedback.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::UpdateAuthEventFeedback);
    assert_eq!(
        json(&request),
        json!({
            "UserPoolId": POOL,
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
        .write_request(&public(), &mut buf),
        Misuse::Empty("username"),
    );
    assert_misuse(
        UpdateAuthEventFeedback {
            feedback_token: "",
            ..feedback
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("feedback_token"),
    );
    let long = "e".repeat(51);
    assert_misuse(
        UpdateAuthEventFeedback {
            event_id: &long,
            ..feedback
        }
        .write_request(&public(), &mut buf),
        Misuse::TooLong {
            field: "event_id",
            max: 50,
        },
    );
    // `UserPoolId` is the app client's pool, which `ClientConfig` checked.
    let other_pool = ClientConfig::new("us-east-2_Other9", CLIENT).unwrap();
    assert_eq!(
        json(&feedback.write_request(&other_pool, &mut buf).unwrap())["UserPoolId"],
        "us-east-2_Other9"
    );
    assert_eq!(
        ClientConfig::new("", CLIENT).unwrap_err(),
        Misuse::InvalidPoolId
    );
    check_buffer_too_small(|buf| feedback.write_request(&public(), buf).map(|r| r.body.len()));
}
