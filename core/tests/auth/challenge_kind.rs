//! `Challenge::kind`: what a challenge asks the caller for, decoded from hand-written replies —
//! the lists Cognito sends as JSON inside a string, the ones it sends as arrays, escapes, and
//! malformed encodings (a protocol error naming the parameter).

use cognito_core::account::DeliveryMedium;
use cognito_core::auth::{
    AuthReply, Challenge, ChallengeKind, ChallengeName, CodeKind, FirstFactor, MfaType,
};
use cognito_core::wire::HttpResponse;
use cognito_core::{Error, ProtocolError};

/// The challenge of a hand-written reply body.
fn read(body: &str) -> Result<Challenge<'_>, Error> {
    match AuthReply::read(&HttpResponse::new(200, body.as_bytes()))? {
        AuthReply::Challenge(c) => Ok(c),
        AuthReply::Authenticated(r) => panic!("not a challenge: {r:?}"),
    }
}

/// The kind of the challenge of a hand-written reply body.
fn kind(body: &str) -> ChallengeKind<'_> {
    read(body).unwrap().kind()
}

/// The reply `{"ChallengeName": name, "Session": "s", "ChallengeParameters": {params}}`.
fn reply(name: &str, params: &str) -> String {
    format!(r#"{{"ChallengeName":"{name}","Session":"s","ChallengeParameters":{{{params}}}}}"#)
}

fn decoded(names: cognito_core::wire::StringList<'_>) -> Vec<String> {
    names.iter().map(|s| s.chars().collect()).collect()
}

#[test]
fn codes_say_which_code_and_where_it_went() {
    let body = reply(
        "SMS_MFA",
        r#""CODE_DELIVERY_DESTINATION":"+*******0100","CODE_DELIVERY_DELIVERY_MEDIUM":"SMS""#,
    );
    match kind(&body) {
        ChallengeKind::MfaCode {
            kind,
            destination,
            medium,
        } => {
            assert_eq!(kind, CodeKind::SmsMfa);
            assert_eq!(kind.challenge_name(), "SMS_MFA");
            assert!(destination.unwrap().eq_str("+*******0100"));
            assert_eq!(medium, Some(DeliveryMedium::Sms));
        }
        other => panic!("{other:?}"),
    }
    // An escaped destination is decoded; an email code.
    let body = reply(
        "EMAIL_OTP",
        r#""CODE_DELIVERY_DESTINATION":"a***@e\u002a**.c\/m","CODE_DELIVERY_DELIVERY_MEDIUM":"EMAIL""#,
    );
    match kind(&body) {
        ChallengeKind::MfaCode {
            kind: CodeKind::EmailOtp,
            destination: Some(destination),
            medium: Some(DeliveryMedium::Email),
        } => assert_eq!(destination.chars().collect::<String>(), "a***@e***.c/m"),
        other => panic!("{other:?}"),
    }
    // No delivery details (an authenticator app), or a medium this version does not know.
    for (name, params, expected) in [
        ("SOFTWARE_TOKEN_MFA", "", CodeKind::SoftwareTokenMfa),
        (
            "SMS_OTP",
            r#""CODE_DELIVERY_DELIVERY_MEDIUM":"CARRIER_PIGEON""#,
            CodeKind::SmsOtp,
        ),
    ] {
        let body = reply(name, params);
        match kind(&body) {
            ChallengeKind::MfaCode {
                kind,
                destination: None,
                medium: None,
            } => {
                assert_eq!(kind, expected);
                assert_eq!(kind.challenge_name(), name);
            }
            other => panic!("{name}: {other:?}"),
        }
    }
}

#[test]
fn mfa_type_lists_are_json_inside_a_string() {
    let body = reply(
        "SELECT_MFA_TYPE",
        r#""MFAS_CAN_CHOOSE":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\",\"EMAIL_OTP\"]""#,
    );
    let ChallengeKind::SelectMfaType(types) = kind(&body) else {
        panic!("{body}");
    };
    assert_eq!(
        types.iter().collect::<Vec<_>>(),
        [MfaType::Sms, MfaType::SoftwareToken, MfaType::Email]
    );
    assert!(types.contains(MfaType::Email));

    // Unknown names are skipped by the typed view but kept in `names()`; escapes at the outer
    // level (`\u0022` for a quote, `\/`) and white space inside the array are fine.
    let body = reply(
        "MFA_SETUP",
        r#""MFAS_CAN_SETUP":"[ \u0022PUSH_MFA\u0022 , \"SOFTWARE_TOKEN_MFA\",\"a\/b\" ]""#,
    );
    let ChallengeKind::MfaSetup(types) = kind(&body) else {
        panic!("{body}");
    };
    assert_eq!(types.iter().collect::<Vec<_>>(), [MfaType::SoftwareToken]);
    assert!(!types.contains(MfaType::Sms));
    assert_eq!(
        decoded(types.names()),
        ["PUSH_MFA", "SOFTWARE_TOKEN_MFA", "a/b"]
    );
    assert_eq!(types.names().len(), 3);
    assert!(types.names().contains("PUSH_MFA"));

    // An element escaped twice (once for the array, once for the string it is in) decodes.
    let body = reply(
        "SELECT_MFA_TYPE",
        r#""MFAS_CAN_CHOOSE":"[\"caf\\u00e9\",\"tab\\there\"]""#,
    );
    let ChallengeKind::SelectMfaType(types) = kind(&body) else {
        panic!("{body}");
    };
    assert_eq!(decoded(types.names()), ["café", "tab\there"]);
    assert_eq!(types.iter().count(), 0);

    // Absent lists are empty.
    for name in ["SELECT_MFA_TYPE", "MFA_SETUP"] {
        let body = reply(name, "");
        match kind(&body) {
            ChallengeKind::SelectMfaType(types) | ChallengeKind::MfaSetup(types) => {
                assert!(types.names().is_empty(), "{name}");
                assert_eq!(types.iter().count(), 0);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn escaped_known_names_are_typed() {
    // `SMS\u005fMFA` escaped once more inside the string: the decoded name is SMS_MFA.
    let body = reply(
        "SELECT_MFA_TYPE",
        r#""MFAS_CAN_CHOOSE":"[\"SMS\\u005fMFA\"]""#,
    );
    let ChallengeKind::SelectMfaType(types) = kind(&body) else {
        panic!("{body}");
    };
    assert_eq!(decoded(types.names()), ["SMS_MFA"]);
    assert_eq!(types.iter().collect::<Vec<_>>(), [MfaType::Sms]);
    let body = r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"s","AvailableChallenges":["EMAIL\u005fOTP"]}"#;
    let ChallengeKind::SelectChallenge(factors) = kind(body) else {
        panic!("{body}");
    };
    assert_eq!(factors.iter().collect::<Vec<_>>(), [FirstFactor::EmailOtp]);
}

#[test]
fn required_attributes_lose_their_prefix() {
    let body = reply(
        "NEW_PASSWORD_REQUIRED",
        r#""requiredAttributes":"[\"userAttributes.name\",\"userAttributes.custom:t\\u00e9am\",\"locale\"]","userAttributes":"{\"email\":\"a@example.com\"}""#,
    );
    let ChallengeKind::NewPasswordRequired {
        required_attributes,
    } = kind(&body)
    else {
        panic!("{body}");
    };
    assert_eq!(required_attributes.len(), 3);
    assert!(!required_attributes.is_empty());
    let names: Vec<String> = required_attributes
        .iter()
        .map(|s| s.chars().collect())
        .collect();
    assert_eq!(names, ["name", "custom:téam", "locale"]);

    let body = reply("NEW_PASSWORD_REQUIRED", r#""requiredAttributes":"[]""#);
    match kind(&body) {
        ChallengeKind::NewPasswordRequired {
            required_attributes,
        } => assert!(required_attributes.is_empty()),
        other => panic!("{other:?}"),
    }
    let body = reply("NEW_PASSWORD_REQUIRED", "");
    match kind(&body) {
        ChallengeKind::NewPasswordRequired {
            required_attributes,
        } => assert_eq!(required_attributes.len(), 0),
        other => panic!("{other:?}"),
    }
}

#[test]
fn first_factors_come_as_an_array_or_as_json_in_a_string() {
    let body = r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"s","ChallengeParameters":{},
        "AvailableChallenges":["PASSWORD","FACE_ID","PASSWORD_SRP","EMAIL_OTP","SMS_OTP","WEB_AUTHN"]}"#;
    let ChallengeKind::SelectChallenge(factors) = kind(body) else {
        panic!("{body}");
    };
    assert_eq!(
        factors.iter().collect::<Vec<_>>(),
        [
            FirstFactor::Password,
            FirstFactor::PasswordSrp,
            FirstFactor::EmailOtp,
            FirstFactor::SmsOtp,
            FirstFactor::WebAuthn
        ]
    );
    assert_eq!(factors.names().len(), 6);
    assert!(factors.names().contains("FACE_ID"));

    // Without the array, the parameter (JSON in a string); with both, the array wins.
    let body = reply(
        "SELECT_CHALLENGE",
        r#""AVAILABLE_CHALLENGES":"[\"EMAIL_OTP\",\"WEB_AUTHN\"]""#,
    );
    let ChallengeKind::SelectChallenge(factors) = kind(&body) else {
        panic!("{body}");
    };
    assert_eq!(
        factors.iter().collect::<Vec<_>>(),
        [FirstFactor::EmailOtp, FirstFactor::WebAuthn]
    );
    assert!(factors.contains(FirstFactor::WebAuthn));
    assert!(!factors.contains(FirstFactor::Password));
    let body = r#"{"ChallengeName":"SELECT_CHALLENGE","Session":"s","AvailableChallenges":["SMS_OTP"],
        "ChallengeParameters":{"AVAILABLE_CHALLENGES":"[\"EMAIL_OTP\"]"}}"#;
    let ChallengeKind::SelectChallenge(factors) = kind(body) else {
        panic!("{body}");
    };
    assert_eq!(factors.iter().collect::<Vec<_>>(), [FirstFactor::SmsOtp]);
    let body = reply("SELECT_CHALLENGE", "");
    let ChallengeKind::SelectChallenge(factors) = kind(&body) else {
        panic!("{body}");
    };
    assert!(factors.names().is_empty());
}

#[test]
fn web_authn_options_are_the_decoded_json() {
    let body = reply(
        "WEB_AUTHN",
        r#""CREDENTIAL_REQUEST_OPTIONS":"{\"challenge\":\"Y2hh\",\"rpId\":\"auth.example.com\",\"allowCredentials\":[],\"userVerification\":\"required\",\"note\":\"caf\\u00e9\"}""#,
    );
    let ChallengeKind::WebAuthn { options } = kind(&body) else {
        panic!("{body}");
    };
    let options: serde_json::Value =
        serde_json::from_str(&options.chars().collect::<String>()).unwrap();
    assert_eq!(
        options,
        serde_json::json!({"challenge": "Y2hh", "rpId": "auth.example.com", "allowCredentials": [],
            "userVerification": "required", "note": "café"})
    );
    assert_eq!(
        read(&reply("WEB_AUTHN", "")).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("CREDENTIAL_REQUEST_OPTIONS"))
    );
}

#[test]
fn custom_and_unknown_challenges_keep_their_parameters() {
    let body = reply(
        "CUSTOM_CHALLENGE",
        r#""question":"2 + 2 = ?","hint":"\u0034""#,
    );
    let ChallengeKind::Custom { parameters } = kind(&body) else {
        panic!("{body}");
    };
    assert!(parameters.get("question").unwrap().eq_str("2 + 2 = ?"));
    assert!(parameters.get("hint").unwrap().eq_str("4"));
    assert_eq!(parameters.iter().count(), 2);

    let body = reply("PASSKEY_OR_SOMETHING", r#""K":"v""#);
    let challenge = read(&body).unwrap();
    assert_eq!(
        challenge.name(),
        ChallengeName::Other("PASSKEY_OR_SOMETHING")
    );
    match challenge.kind() {
        ChallengeKind::Other { name, parameters } => {
            assert_eq!(name, "PASSKEY_OR_SOMETHING");
            assert!(parameters.get("K").unwrap().eq_str("v"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_lists_are_protocol_errors_naming_the_parameter() {
    let malformed = [
        r#""SMS_MFA""#,
        r#""""#,
        r##""[\"SMS_MFA\"""##,
        r#""[\"SMS_MFA\",]""#,
        r#""[\"SMS_MFA\" \"EMAIL_OTP\"]""#,
        r#""[1]""#,
        r#""[null]""#,
        r#""[[\"SMS_MFA\"]]""#,
        r#""{\"SMS_MFA\":1}""#,
        r#""[\"SMS_MFA\"] x""#,
        r#""[\"bad \\x escape\"]""#,
        r#""[\"unterminated]""#,
    ];
    for (name, parameter) in [
        ("SELECT_MFA_TYPE", "MFAS_CAN_CHOOSE"),
        ("MFA_SETUP", "MFAS_CAN_SETUP"),
        ("NEW_PASSWORD_REQUIRED", "requiredAttributes"),
        ("SELECT_CHALLENGE", "AVAILABLE_CHALLENGES"),
    ] {
        for value in malformed {
            let body = reply(name, &format!(r#""{parameter}":{value}"#));
            assert_eq!(
                read(&body).unwrap_err(),
                Error::Protocol(ProtocolError::InvalidField(parameter)),
                "{body}"
            );
        }
    }
    for array in [r#"["PASSWORD",1]"#, r#"[{"a":"b"}]"#, "[null]"] {
        let body = format!(
            r#"{{"ChallengeName":"SELECT_CHALLENGE","Session":"s","AvailableChallenges":{array}}}"#
        );
        assert_eq!(
            read(&body).unwrap_err(),
            Error::Protocol(ProtocolError::InvalidField("AvailableChallenges")),
            "{body}"
        );
    }
}
