//! `GetUser`, `GetUserAuthFactors`, attribute updates and verification, `DeleteUser`.

use crate::support::*;
use cognito_core::Call;
use cognito_core::account::{
    CodeDeliveryReply, DeleteUser, DeleteUserAttributes, GetUser, GetUserAttributeVerificationCode,
    GetUserAuthFactors, GetUserAuthFactorsReply, GetUserReply, UpdateUserAttributes,
    UpdateUserAttributesReply, VerifyUserAttribute,
};
use cognito_core::wire::Operation;
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

#[test]
fn get_user_request() {
    let mut buf = [0u8; 128];
    let request = GetUser {
        access_token: TOKEN,
    }
    .write_request(&public(), &mut buf)
    .unwrap();
    assert_eq!(request.operation, Operation::GetUser);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    assert_misuse(
        GetUser::default().write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        GetUser {
            access_token: TOKEN,
        }
        .write_request(&public(), buf)
        .map(|r| r.body.len())
    });
}

#[test]
fn get_user_reply_every_member() {
    let body = r#"{
        "Username": "al\u00efce",
        "UserAttributes": [
            {"Name": "sub", "Value": "5f2c6a4e-0b1d-4c3e-9f8a-7b6c5d4e3f2a"},
            {"Name": "email_verified", "Value": "true"},
            {"Name": "custom:bio", "Value": "line1\nline2 \"quoted\""},
            {"Name": "picture"}
        ],
        "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}],
        "PreferredMfaSetting": "SOFTWARE_TOKEN_MFA",
        "UserMFASettingList": ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    }"#;
    let user = GetUserReply::read(&ok(body)).unwrap();
    assert!(user.username.eq_str("alïce"));
    assert_eq!(user.user_attributes.len(), 4);
    let names: Vec<String> = user
        .user_attributes
        .iter()
        .map(|a| format!("{}", a.name))
        .collect();
    assert_eq!(names, ["sub", "email_verified", "custom:bio", "picture"]);
    assert!(
        user.user_attributes
            .value_of("custom:bio")
            .unwrap()
            .eq_str("line1\nline2 \"quoted\"")
    );
    assert!(
        user.user_attributes
            .value_of("email_verified")
            .unwrap()
            .eq_str("true")
    );
    assert!(user.user_attributes.value_of("picture").is_none());
    assert!(user.user_attributes.value_of("missing").is_none());
    let option = user.mfa_options.get(0).unwrap();
    assert_eq!(option.delivery_medium, Some("SMS"));
    assert!(option.attribute_name.unwrap().eq_str("phone_number"));
    assert_eq!(user.preferred_mfa_setting, Some("SOFTWARE_TOKEN_MFA"));
    assert_eq!(
        user.user_mfa_setting_list.iter().collect::<Vec<_>>(),
        ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]
    );
    // Optional members absent.
    let bare = GetUserReply::read(&ok(r#"{"Username":"bob","UserAttributes":[]}"#)).unwrap();
    assert!(bare.user_attributes.is_empty());
    assert!(bare.mfa_options.is_empty());
    assert!(bare.user_mfa_setting_list.is_empty());
    assert_eq!(bare.preferred_mfa_setting, None);
}

#[test]
fn get_user_reply_malformed() {
    let cases = [
        (
            r#"{"UserAttributes":[]}"#,
            ProtocolError::MissingField("Username"),
        ),
        (
            r#"{"Username":"u","UserAttributes":{}}"#,
            ProtocolError::InvalidField("UserAttributes"),
        ),
        (
            r#"{"Username":"u","UserAttributes":[1]}"#,
            ProtocolError::InvalidField("UserAttributes"),
        ),
        (
            r#"{"Username":"u","UserAttributes":[{"Value":"x"}]}"#,
            ProtocolError::MissingField("Name"),
        ),
        (
            r#"{"Username":"u","UserMFASettingList":[7]}"#,
            ProtocolError::InvalidField("UserMFASettingList"),
        ),
    ];
    for (body, expected) in cases {
        assert_eq!(
            GetUserReply::read(&ok(body)).unwrap_err(),
            Error::Protocol(expected),
            "{body}"
        );
    }
}

#[test]
fn get_user_errors() {
    check_errors(GET_USER_ERRORS, |r| GetUserReply::read(r).map(drop));
}

#[test]
fn get_user_auth_factors() {
    let mut buf = [0u8; 128];
    let request = GetUserAuthFactors {
        access_token: TOKEN,
    }
    .write_request(&public(), &mut buf)
    .unwrap();
    assert_eq!(request.operation, Operation::GetUserAuthFactors);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    let reply = GetUserAuthFactorsReply::read(&ok(
        r#"{"Username":"alice","PreferredMfaSetting":"EMAIL_OTP","UserMFASettingList":["EMAIL_OTP"],"ConfiguredUserAuthFactors":["PASSWORD","EMAIL_OTP","WEB_AUTHN"]}"#,
    ))
    .unwrap();
    assert!(reply.username.eq_str("alice"));
    assert_eq!(reply.preferred_mfa_setting, Some("EMAIL_OTP"));
    assert_eq!(
        reply.user_mfa_setting_list.iter().collect::<Vec<_>>(),
        ["EMAIL_OTP"]
    );
    assert_eq!(
        reply
            .configured_user_auth_factors
            .iter()
            .collect::<Vec<_>>(),
        ["PASSWORD", "EMAIL_OTP", "WEB_AUTHN"]
    );
    check_errors(GET_USER_AUTH_FACTORS_ERRORS, |r| {
        GetUserAuthFactorsReply::read(r).map(drop)
    });
    assert_misuse(
        GetUserAuthFactors::default().write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        GetUserAuthFactors {
            access_token: TOKEN,
        }
        .write_request(&public(), buf)
        .map(|r| r.body.len())
    });
}

fn update() -> UpdateUserAttributes<'static> {
    UpdateUserAttributes {
        access_token: TOKEN,
        user_attributes: &[
            ("email", "new@example.com"),
            ("custom:nick", "Ali \"the\" Cat"),
        ],
        client_metadata: &[("flow", "settings")],
    }
}

#[test]
fn update_user_attributes() {
    let mut buf = [0u8; 512];
    let request = update().write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::UpdateUserAttributes);
    assert_eq!(
        json(&request),
        json!({
            "UserAttributes": [
                {"Name": "email", "Value": "new@example.com"},
                {"Name": "custom:nick", "Value": "Ali \"the\" Cat"}
            ],
            "AccessToken": TOKEN,
            "ClientMetadata": {"flow": "settings"}
        })
    );
    let reply = UpdateUserAttributesReply::read(&ok(
        r#"{"CodeDeliveryDetailsList":[{"Destination":"n***@e***","DeliveryMedium":"EMAIL","AttributeName":"email"},{"Destination":"+*******0100","DeliveryMedium":"SMS","AttributeName":"phone_number"}]}"#,
    ))
    .unwrap();
    let list: Vec<_> = reply.code_delivery_details_list.iter().collect();
    assert_eq!(list.len(), 2);
    assert!(list[0].destination.unwrap().eq_str("n***@e***"));
    assert_eq!(list[1].delivery_medium, Some("SMS"));
    assert!(list[1].attribute_name.unwrap().eq_str("phone_number"));
    assert!(
        UpdateUserAttributesReply::read(&ok("{}"))
            .unwrap()
            .code_delivery_details_list
            .is_empty()
    );
    check_errors(UPDATE_USER_ATTRIBUTES_ERRORS, |r| {
        UpdateUserAttributesReply::read(r).map(drop)
    });
    assert_misuse(
        UpdateUserAttributes {
            access_token: "",
            ..update()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    assert_misuse(
        UpdateUserAttributes {
            user_attributes: &[("", "v")],
            ..update()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("attribute_name"),
    );
    check_buffer_too_small(|buf| update().write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn delete_user_attributes() {
    let mut buf = [0u8; 512];
    let delete = DeleteUserAttributes {
        access_token: TOKEN,
        user_attribute_names: &["custom:nick", "locale"],
    };
    let request = delete.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::DeleteUserAttributes);
    assert_eq!(
        json(&request),
        json!({"UserAttributeNames": ["custom:nick", "locale"], "AccessToken": TOKEN})
    );
    DeleteUserAttributes::read_reply(&ok("{}")).unwrap();
    check_errors(
        DELETE_USER_ATTRIBUTES_ERRORS,
        DeleteUserAttributes::read_reply,
    );
    let long = "a".repeat(33);
    assert_misuse(
        DeleteUserAttributes {
            user_attribute_names: &[&long],
            ..delete
        }
        .write_request(&public(), &mut buf),
        Misuse::TooLong {
            field: "attribute_name",
            max: 32,
        },
    );
    assert_misuse(
        DeleteUserAttributes {
            access_token: "",
            ..delete
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| delete.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn get_user_attribute_verification_code() {
    let mut buf = [0u8; 512];
    let get = GetUserAttributeVerificationCode {
        access_token: TOKEN,
        attribute_name: "phone_number",
        client_metadata: &[("x", "y")],
    };
    let request = get.write_request(&public(), &mut buf).unwrap();
    assert_eq!(
        request.operation,
        Operation::GetUserAttributeVerificationCode
    );
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "AttributeName": "phone_number", "ClientMetadata": {"x": "y"}})
    );
    let reply = CodeDeliveryReply::read(&ok(
        r#"{"CodeDeliveryDetails":{"Destination":"+*******0100","DeliveryMedium":"SMS","AttributeName":"phone_number"}}"#,
    ))
    .unwrap();
    assert_eq!(
        reply.code_delivery_details.unwrap().delivery_medium,
        Some("SMS")
    );
    check_errors(GET_USER_ATTRIBUTE_VERIFICATION_CODE_ERRORS, |r| {
        CodeDeliveryReply::read(r).map(drop)
    });
    assert_misuse(
        GetUserAttributeVerificationCode {
            attribute_name: "",
            ..get
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("attribute_name"),
    );
    check_buffer_too_small(|buf| get.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn verify_user_attribute() {
    let mut buf = [0u8; 512];
    let verify = VerifyUserAttribute {
        access_token: TOKEN,
        attribute_name: "email",
        code: "918273",
    };
    let request = verify.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::VerifyUserAttribute);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "AttributeName": "email", "Code": "918273"})
    );
    VerifyUserAttribute::read_reply(&ok("{}")).unwrap();
    check_errors(
        VERIFY_USER_ATTRIBUTE_ERRORS,
        VerifyUserAttribute::read_reply,
    );
    assert_misuse(
        VerifyUserAttribute { code: "", ..verify }.write_request(&public(), &mut buf),
        Misuse::Empty("code"),
    );
    assert_misuse(
        VerifyUserAttribute {
            access_token: "",
            ..verify
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| verify.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn delete_user() {
    let mut buf = [0u8; 128];
    let request = DeleteUser {
        access_token: TOKEN,
    }
    .write_request(&public(), &mut buf)
    .unwrap();
    assert_eq!(request.operation, Operation::DeleteUser);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    DeleteUser::read_reply(&ok("")).unwrap();
    check_errors(DELETE_USER_ERRORS, DeleteUser::read_reply);
    assert_misuse(
        DeleteUser::default().write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        DeleteUser {
            access_token: TOKEN,
        }
        .write_request(&public(), buf)
        .map(|r| r.body.len())
    });
}
