//! `SetUserMFAPreference`, `SetUserSettings`, `AssociateSoftwareToken`, `VerifySoftwareToken`.

use crate::support::*;
use cognito_core::Call;
use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, DeliveryMedium, MfaOptionSetting,
    MfaSetting, SetUserMfaPreference, SetUserSettings, TokenOrSession, VerifySoftwareToken,
    VerifySoftwareTokenReply,
};
use cognito_core::wire::Operation;
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

const SESSION: &str = "AYABeAkq2Hy0e7Xs-session-of-mfa-setup";

fn preference() -> SetUserMfaPreference<'static> {
    SetUserMfaPreference {
        access_token: TOKEN,
        sms: Some(MfaSetting {
            enabled: true,
            preferred: false,
        }),
        software_token: Some(MfaSetting {
            enabled: true,
            preferred: true,
        }),
        email: Some(MfaSetting {
            enabled: false,
            preferred: false,
        }),
        web_authn_enabled: Some(true),
    }
}

#[test]
fn set_user_mfa_preference() {
    let mut buf = [0u8; 512];
    let request = preference().write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::SetUserMFAPreference);
    assert_eq!(
        json(&request),
        json!({
            "SMSMfaSettings": {"Enabled": true, "PreferredMfa": false},
            "SoftwareTokenMfaSettings": {"Enabled": true, "PreferredMfa": true},
            "EmailMfaSettings": {"Enabled": false, "PreferredMfa": false},
            "WebAuthnMfaSettings": {"Enabled": true},
            "AccessToken": TOKEN
        })
    );
    let only_token = SetUserMfaPreference {
        access_token: TOKEN,
        ..SetUserMfaPreference::default()
    };
    assert_eq!(
        json(&only_token.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN})
    );
    SetUserMfaPreference::read_reply(&ok("{}")).unwrap();
    check_errors(
        SET_USERMFA_PREFERENCE_ERRORS,
        SetUserMfaPreference::read_reply,
    );
    assert_misuse(
        SetUserMfaPreference {
            access_token: "",
            ..preference()
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| {
        preference()
            .write_request(&public(), buf)
            .map(|r| r.body.len())
    });
}

#[test]
fn set_user_settings() {
    let mut buf = [0u8; 512];
    let options = [MfaOptionSetting {
        delivery_medium: DeliveryMedium::Sms,
        attribute_name: "phone_number",
    }];
    let settings = SetUserSettings {
        access_token: TOKEN,
        mfa_options: &options,
    };
    let request = settings.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::SetUserSettings);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "MFAOptions": [{"DeliveryMedium": "SMS", "AttributeName": "phone_number"}]})
    );
    let none = SetUserSettings {
        access_token: TOKEN,
        mfa_options: &[],
    };
    assert_eq!(
        json(&none.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN, "MFAOptions": []})
    );
    assert_eq!(DeliveryMedium::Email.as_str(), "EMAIL");
    SetUserSettings::read_reply(&ok("{}")).unwrap();
    check_errors(SET_USER_SETTINGS_ERRORS, SetUserSettings::read_reply);
    let bad = [MfaOptionSetting {
        delivery_medium: DeliveryMedium::Email,
        attribute_name: "",
    }];
    assert_misuse(
        SetUserSettings {
            access_token: TOKEN,
            mfa_options: &bad,
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("attribute_name"),
    );
    check_buffer_too_small(|buf| settings.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn associate_software_token() {
    let mut buf = [0u8; 512];
    let with_token = AssociateSoftwareToken {
        auth: TokenOrSession::AccessToken(TOKEN),
    };
    let request = with_token.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::AssociateSoftwareToken);
    assert_eq!(json(&request), json!({"AccessToken": TOKEN}));
    let with_session = AssociateSoftwareToken {
        auth: TokenOrSession::Session(SESSION),
    };
    assert_eq!(
        json(&with_session.write_request(&public(), &mut buf).unwrap()),
        json!({"Session": SESSION})
    );

    let reply = AssociateSoftwareTokenReply::read(&ok(
        r#"{"SecretCode":"JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP","Session":"AYABeNewSessionAfterAssociate"}"#,
    ))
    .unwrap();
    assert_eq!(reply.secret_code, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    assert_eq!(reply.session, Some("AYABeNewSessionAfterAssociate"));
    assert!(
        !format!("{reply:?}").contains("JBSWY3DP"),
        "Debug leaks the secret"
    );
    assert_eq!(
        AssociateSoftwareTokenReply::read(&ok("{}")).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("SecretCode"))
    );
    check_errors(ASSOCIATE_SOFTWARE_TOKEN_ERRORS, |r| {
        AssociateSoftwareTokenReply::read(r).map(drop)
    });
    assert_misuse(
        AssociateSoftwareToken {
            auth: TokenOrSession::AccessToken(""),
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    assert_misuse(
        AssociateSoftwareToken {
            auth: TokenOrSession::Session(""),
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("session"),
    );
    check_buffer_too_small(|buf| {
        with_session
            .write_request(&public(), buf)
            .map(|r| r.body.len())
    });
}

#[test]
fn verify_software_token() {
    let mut buf = [0u8; 512];
    let verify = VerifySoftwareToken {
        auth: TokenOrSession::Session(SESSION),
        user_code: "012345",
        friendly_device_name: Some("Alice's phone"),
    };
    let request = verify.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::VerifySoftwareToken);
    assert_eq!(
        json(&request),
        json!({"Session": SESSION, "UserCode": "012345", "FriendlyDeviceName": "Alice's phone"})
    );
    let by_token = VerifySoftwareToken {
        auth: TokenOrSession::AccessToken(TOKEN),
        friendly_device_name: None,
        ..verify
    };
    assert_eq!(
        json(&by_token.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN, "UserCode": "012345"})
    );
    let reply = VerifySoftwareTokenReply::read(&ok(
        r#"{"Status":"SUCCESS","Session":"AYABeSessionForRespondToAuth"}"#,
    ))
    .unwrap();
    assert!(reply.is_success());
    assert_eq!(reply.status, Some("SUCCESS"));
    assert_eq!(reply.session, Some("AYABeSessionForRespondToAuth"));
    assert!(
        !VerifySoftwareTokenReply::read(&ok(r#"{"Status":"ERROR"}"#))
            .unwrap()
            .is_success()
    );
    check_errors(VERIFY_SOFTWARE_TOKEN_ERRORS, |r| {
        VerifySoftwareTokenReply::read(r).map(drop)
    });
    check_buffer_too_small(|buf| verify.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn verify_software_token_code_is_six_digits() {
    let mut buf = [0u8; 512];
    let base = VerifySoftwareToken {
        auth: TokenOrSession::AccessToken(TOKEN),
        ..VerifySoftwareToken::default()
    };
    assert_misuse(
        base.write_request(&public(), &mut buf),
        Misuse::Empty("user_code"),
    );
    for code in ["12345", "1234567", "12345a", "１２３４５６", " 12345"] {
        assert_misuse(
            VerifySoftwareToken {
                user_code: code,
                ..base
            }
            .write_request(&public(), &mut buf),
            Misuse::Invalid("user_code (six digits)"),
        );
    }
    VerifySoftwareToken {
        user_code: "000000",
        ..base
    }
    .write_request(&public(), &mut buf)
    .unwrap();
}
