//! Every sign-in flow and challenge answer, driven with scripted server replies: the exact
//! requests written, the steps handed over, and the misbehaving-server cases (wrong flow, missing
//! Session, loops, out-of-order device steps, a forgotten device).

use cognito_core::auth::{
    Answer, ChallengeKind, ChallengeName, DeviceCredentials, FirstFactor, MfaType, SignIn, Step,
};
use cognito_core::capacity::DefaultLimits;
use cognito_core::wire::{ErrorKind, HttpResponse, Operation};
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

use crate::support::*;

#[test]
fn user_password_auth_then_sms_mfa() {
    let mut flow: SignIn = SignIn::password(secret_config(), "alice", "pw\"1").unwrap();
    let (op, init) = write(&mut flow);
    assert_eq!(op, Operation::InitiateAuth);
    assert_eq!(init["AuthFlow"], "USER_PASSWORD_AUTH");
    assert_eq!(init["AuthParameters"]["USERNAME"], "alice");
    assert_eq!(init["AuthParameters"]["PASSWORD"], "pw\"1");
    assert!(init["AuthParameters"]["SECRET_HASH"].is_string());
    assert!(init["AuthParameters"].get("SRP_A").is_none());

    let sms = challenge(
        "SMS_MFA",
        Some("s1"),
        json!({"CODE_DELIVERY_DESTINATION": "+***1234", "USER_ID_FOR_SRP": USER}),
    );
    assert_eq!(feed(&mut flow, &sms).unwrap(), "challenge SMS_MFA");
    assert!(flow.awaits_answer());
    assert_eq!(
        flow.write_request(&mut [0u8; 64]).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    // An answer that does not fit is refused and the challenge stays.
    let mut buf = [0u8; 1024];
    assert_eq!(
        flow.answer(&Answer::Custom("x"), &mut buf).unwrap_err(),
        Error::Misuse(Misuse::Invalid("answer"))
    );
    assert_eq!(
        flow.answer(&Answer::Code(""), &mut buf).unwrap_err(),
        Error::Misuse(Misuse::Empty("code"))
    );

    let (op, respond) = answer(&mut flow, &Answer::Code("123456"));
    assert_eq!(op, Operation::RespondToAuthChallenge);
    assert_eq!(respond["ChallengeName"], "SMS_MFA");
    assert_eq!(respond["Session"], "s1");
    assert_eq!(respond["ChallengeResponses"]["SMS_MFA_CODE"], "123456");
    assert_eq!(
        respond["ChallengeResponses"]["USERNAME"], USER,
        "the SRP identity, not the alias"
    );
    assert_eq!(
        respond["ChallengeResponses"]["SECRET_HASH"],
        cognito_core::SecretHash::new(SECRET, USER, CLIENT).as_str()
    );

    // A wrong code hands the challenge back (a step, not an error); the newest Session is kept.
    let refused = feed_refused(&mut flow, "CodeMismatchException");
    assert_eq!(refused.kind(), ErrorKind::CodeMismatch);
    assert_eq!(refused.message(), "m");
    assert_eq!(flow.waiting_challenge(), Some(ChallengeName::SmsMfa));
    assert_eq!(flow.session(), "s1");
    let (_, again) = answer(&mut flow, &Answer::Code("654321"));
    assert_eq!(again["Session"], "s1");
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");
    assert!(flow.is_finished());
    assert_eq!(flow.session(), "", "the Session is wiped once signed in");
}

#[test]
fn refusals_hand_the_challenge_back_other_errors_do_not() {
    let sms = challenge("SMS_MFA", Some("s1"), json!({}));
    let new_password = challenge("NEW_PASSWORD_REQUIRED", Some("np"), json!({}));
    let answered = |reply: &serde_json::Value| {
        let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
        write(&mut flow);
        feed(&mut flow, reply).unwrap();
        let answer_to = if reply["ChallengeName"] == "SMS_MFA" {
            Answer::Code("123456")
        } else {
            Answer::NewPassword {
                password: "N3w!",
                attributes: &[],
            }
        };
        answer(&mut flow, &answer_to);
        flow
    };
    // Everything that refuses an answer only: the challenge waits for another.
    for (reply, name, kind) in [
        (&sms, "CodeMismatchException", ErrorKind::CodeMismatch),
        (
            &new_password,
            "InvalidPasswordException",
            ErrorKind::InvalidPassword,
        ),
        (
            &new_password,
            "PasswordHistoryPolicyViolationException",
            ErrorKind::PasswordHistoryPolicyViolation,
        ),
        (
            &new_password,
            "InvalidParameterException",
            ErrorKind::InvalidParameter,
        ),
    ] {
        let mut flow = answered(reply);
        assert_eq!(feed_refused(&mut flow, name).kind(), kind);
        assert!(flow.pending_operation().is_none());
    }
    // Throttled: an error, and the same challenge can be answered again.
    let mut flow = answered(&sms);
    match feed_error(&mut flow, "TooManyRequestsException") {
        Error::Service(e) => assert_eq!(e.kind(), ErrorKind::TooManyRequests),
        other => panic!("{other:?}"),
    }
    assert!(flow.awaits_answer());
    let (_, again) = answer(&mut flow, &Answer::Code("123456"));
    assert_eq!(again["Session"], "s1");
    // An expired code or session ends the sign-in.
    for name in ["ExpiredCodeException", "NotAuthorizedException"] {
        let mut flow = answered(&sms);
        assert!(matches!(feed_error(&mut flow, name), Error::Service(_)));
        assert!(flow.is_finished() && !flow.awaits_answer(), "{name}");
    }
    // A refusal of something that was not an answer is an ordinary error.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    match feed_error(&mut flow, "InvalidParameterException") {
        Error::Service(e) => assert!(e.refuses_answer()),
        other => panic!("{other:?}"),
    }
    assert!(flow.is_finished());
}

#[test]
fn every_mfa_answer_is_written_with_its_key() {
    for (name, a, key, value) in [
        (
            "SOFTWARE_TOKEN_MFA",
            Answer::Code("111111"),
            "SOFTWARE_TOKEN_MFA_CODE",
            "111111",
        ),
        (
            "EMAIL_OTP",
            Answer::Code("222222"),
            "EMAIL_OTP_CODE",
            "222222",
        ),
        (
            "SELECT_MFA_TYPE",
            Answer::MfaType(MfaType::SoftwareToken),
            "ANSWER",
            "SOFTWARE_TOKEN_MFA",
        ),
        (
            "SELECT_MFA_TYPE",
            Answer::MfaType(MfaType::Email),
            "ANSWER",
            "EMAIL_OTP",
        ),
        (
            "MFA_SETUP",
            Answer::SetUpEmail("a@example.com"),
            "EMAIL",
            "a@example.com",
        ),
        (
            "SOMETHING_NEW",
            Answer::Raw(&[("NEW_THING_CODE", "42")]),
            "NEW_THING_CODE",
            "42",
        ),
    ] {
        let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
        write(&mut flow);
        feed(&mut flow, &challenge(name, Some("sess"), json!({}))).unwrap();
        let (_, respond) = answer(&mut flow, &a);
        assert_eq!(respond["ChallengeName"], name);
        assert_eq!(respond["ChallengeResponses"][key], value, "{name}");
        assert_eq!(respond["ChallengeResponses"]["USERNAME"], "alice");
        assert_eq!(respond["Session"], "sess");
    }
}

#[test]
fn new_password_required_with_attributes() {
    let mut flow: SignIn = SignIn::srp(config(), "alice", "temp", eph(1)).unwrap();
    write(&mut flow);
    feed(
        &mut flow,
        &challenge("PASSWORD_VERIFIER", None, verifier_params()),
    )
    .unwrap();
    write(&mut flow);
    let params = json!({"requiredAttributes": "[\"userAttributes.name\"]", "userAttributes": "{}", "USER_ID_FOR_SRP": USER});
    assert_eq!(
        feed(
            &mut flow,
            &challenge("NEW_PASSWORD_REQUIRED", Some("np"), params)
        )
        .unwrap(),
        "challenge NEW_PASSWORD_REQUIRED"
    );
    let attrs = [("name", "Alice \"A\""), ("custom:team", "blue")];
    let (_, respond) = answer(
        &mut flow,
        &Answer::NewPassword {
            password: "N3w!",
            attributes: &attrs,
        },
    );
    let r = &respond["ChallengeResponses"];
    assert_eq!(r["NEW_PASSWORD"], "N3w!");
    assert_eq!(r["userAttributes.name"], "Alice \"A\"");
    assert_eq!(r["userAttributes.custom:team"], "blue");
    assert_eq!(r["USERNAME"], USER);
}

#[test]
fn totp_setup_during_sign_in() {
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    let setup = challenge(
        "MFA_SETUP",
        Some("s1"),
        json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
    );
    feed(&mut flow, &setup).unwrap();
    // Verifying before the secret was shown does not fit.
    let mut buf = [0u8; 1024];
    let verify = Answer::VerifyTotp {
        code: "123456",
        friendly_name: Some("phone"),
    };
    assert_eq!(
        flow.answer(&verify, &mut buf).unwrap_err(),
        Error::Misuse(Misuse::Invalid("answer"))
    );

    let (op, assoc) = answer(&mut flow, &Answer::SetUpTotp);
    assert_eq!(op, Operation::AssociateSoftwareToken);
    assert_eq!(assoc, json!({"Session": "s1"}));
    assert_eq!(
        feed(
            &mut flow,
            &json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s2"})
        )
        .unwrap(),
        "totp JBSWY3DPEHPK3PXP"
    );

    let (op, verify_req) = answer(&mut flow, &verify);
    assert_eq!(op, Operation::VerifySoftwareToken);
    assert_eq!(
        verify_req,
        json!({"UserCode": "123456", "FriendlyDeviceName": "phone", "Session": "s2"})
    );
    // A wrong first code: the pool refuses it (as CodeMismatch or EnableSoftwareTokenMFA), and
    // the app is verified with another, in the same Session.
    let refused = feed_refused(&mut flow, "CodeMismatchException");
    assert_eq!(refused.kind(), ErrorKind::CodeMismatch);
    assert_eq!(flow.waiting_challenge(), Some(ChallengeName::MfaSetup));
    let (op, _) = answer(
        &mut flow,
        &Answer::VerifyTotp {
            code: "000000",
            friendly_name: None,
        },
    );
    assert_eq!(op, Operation::VerifySoftwareToken);
    let refused = feed_refused(&mut flow, "EnableSoftwareTokenMFAException");
    assert_eq!(refused.kind(), ErrorKind::EnableSoftwareTokenMFA);
    let (_, verify_req) = answer(
        &mut flow,
        &Answer::VerifyTotp {
            code: "654321",
            friendly_name: None,
        },
    );
    assert_eq!(verify_req, json!({"UserCode": "654321", "Session": "s2"}));
    assert_eq!(
        feed(&mut flow, &json!({"Status": "SUCCESS", "Session": "s3"})).unwrap(),
        "send"
    );

    let (op, done) = write(&mut flow);
    assert_eq!(op, Operation::RespondToAuthChallenge);
    assert_eq!(done["ChallengeName"], "MFA_SETUP");
    assert_eq!(done["Session"], "s3");
    assert_eq!(done["ChallengeResponses"], json!({"USERNAME": "alice"}));
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");

    // VerifySoftwareToken answering ERROR is refused.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    feed(&mut flow, &setup).unwrap();
    answer(&mut flow, &Answer::SetUpTotp);
    feed(
        &mut flow,
        &json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s2"}),
    )
    .unwrap();
    answer(&mut flow, &verify);
    assert_eq!(
        feed(&mut flow, &json!({"Status": "ERROR"})).unwrap_err(),
        Error::Protocol(ProtocolError::InvalidField("Status"))
    );
}

#[test]
fn custom_auth_plain_and_with_srp_first() {
    let mut flow: SignIn = SignIn::custom(config(), "alice").unwrap();
    let (_, init) = write(&mut flow);
    assert_eq!(init["AuthFlow"], "CUSTOM_AUTH");
    assert_eq!(init["AuthParameters"], json!({"USERNAME": "alice"}));
    for round in 1..=3 {
        let c = challenge(
            "CUSTOM_CHALLENGE",
            Some(&format!("c{round}")),
            json!({"question": format!("q{round}"), "USERNAME": "alice"}),
        );
        assert_eq!(feed(&mut flow, &c).unwrap(), "challenge CUSTOM_CHALLENGE");
        let (_, respond) = answer(&mut flow, &Answer::Custom("42"));
        assert_eq!(respond["ChallengeResponses"]["ANSWER"], "42");
        assert_eq!(respond["Session"], format!("c{round}"));
    }
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");

    let mut flow: SignIn = SignIn::custom_with_srp(config(), "alice", "pw", eph(2)).unwrap();
    let (_, init) = write(&mut flow);
    assert_eq!(init["AuthParameters"]["CHALLENGE_NAME"], "SRP_A");
    assert!(init["AuthParameters"]["SRP_A"].is_string());
    assert_eq!(
        feed(
            &mut flow,
            &challenge("PASSWORD_VERIFIER", Some("v"), verifier_params())
        )
        .unwrap(),
        "send"
    );
    let (_, claim) = write(&mut flow);
    assert_eq!(claim["ChallengeName"], "PASSWORD_VERIFIER");
    assert_eq!(claim["Session"], "v");
    assert_eq!(
        feed(
            &mut flow,
            &challenge("CUSTOM_CHALLENGE", Some("c"), json!({}))
        )
        .unwrap(),
        "challenge CUSTOM_CHALLENGE"
    );
}

#[test]
fn choice_based_sign_in() {
    // Preferred PASSWORD_SRP: SRP_A at InitiateAuth, then PASSWORD_VERIFIER.
    let mut flow: SignIn = SignIn::choice(
        config(),
        "alice",
        Some(FirstFactor::PasswordSrp),
        Some("pw"),
        Some(eph(3)),
    )
    .unwrap();
    let (_, init) = write(&mut flow);
    assert_eq!(init["AuthFlow"], "USER_AUTH");
    assert_eq!(
        init["AuthParameters"]["PREFERRED_CHALLENGE"],
        "PASSWORD_SRP"
    );
    assert!(init["AuthParameters"]["SRP_A"].is_string());
    assert_eq!(
        feed(
            &mut flow,
            &challenge("PASSWORD_VERIFIER", None, verifier_params())
        )
        .unwrap(),
        "send"
    );

    // Preferred PASSWORD: the password at InitiateAuth.
    let mut flow: SignIn = SignIn::choice(
        config(),
        "alice",
        Some(FirstFactor::Password),
        Some("pw"),
        None,
    )
    .unwrap();
    let (_, init) = write(&mut flow);
    assert_eq!(init["AuthParameters"]["PASSWORD"], "pw");
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");

    // No preference: SELECT_CHALLENGE, answered with each factor.
    for (factor, extra) in [
        (FirstFactor::Password, Some("PASSWORD")),
        (FirstFactor::PasswordSrp, Some("SRP_A")),
        (FirstFactor::EmailOtp, None),
        (FirstFactor::SmsOtp, None),
        (FirstFactor::WebAuthn, None),
    ] {
        let mut flow: SignIn =
            SignIn::choice(config(), "alice", None, Some("pw"), Some(eph(4))).unwrap();
        let (_, init) = write(&mut flow);
        assert!(init["AuthParameters"].get("PREFERRED_CHALLENGE").is_none());
        let select = json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "sel", "ChallengeParameters": {},
            "AvailableChallenges": ["PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"]});
        let body = serde_json::to_vec(&select).unwrap();
        match flow
            .handle_response(&HttpResponse::new(200, &body), NOW)
            .unwrap()
        {
            Step::Challenge(c) => {
                let offered: Vec<_> = c
                    .available_challenges()
                    .unwrap()
                    .iter()
                    .filter_map(|v| v.as_str())
                    .filter_map(|s| FirstFactor::parse(s.raw()))
                    .collect();
                assert_eq!(offered.len(), 5);
                match c.kind() {
                    ChallengeKind::SelectChallenge(factors) => {
                        assert_eq!(factors.iter().collect::<Vec<_>>(), offered);
                        assert!(factors.contains(factor));
                    }
                    other => panic!("{other:?}"),
                }
            }
            other => panic!("{other:?}"),
        }
        let (_, respond) = answer(&mut flow, &Answer::FirstFactor(factor));
        assert_eq!(respond["ChallengeName"], "SELECT_CHALLENGE");
        assert_eq!(respond["ChallengeResponses"]["ANSWER"], factor.as_str());
        if let Some(key) = extra {
            assert!(
                respond["ChallengeResponses"][key].is_string(),
                "{factor}: {key}"
            );
        }
        let next = match factor {
            FirstFactor::PasswordSrp => feed(
                &mut flow,
                &challenge("PASSWORD_VERIFIER", Some("pv"), verifier_params()),
            )
            .unwrap(),
            FirstFactor::EmailOtp => {
                feed(&mut flow, &challenge("EMAIL_OTP", Some("e"), json!({}))).unwrap()
            }
            FirstFactor::SmsOtp => {
                feed(&mut flow, &challenge("SMS_OTP", Some("s"), json!({}))).unwrap()
            }
            FirstFactor::WebAuthn => feed(
                &mut flow,
                &challenge(
                    "WEB_AUTHN",
                    Some("w"),
                    json!({"CREDENTIAL_REQUEST_OPTIONS": "{\"challenge\":\"x\"}"}),
                ),
            )
            .unwrap(),
            _ => feed(&mut flow, &tokens()).unwrap(),
        };
        match factor {
            FirstFactor::PasswordSrp => assert_eq!(next, "send"),
            FirstFactor::EmailOtp => {
                let (_, r) = answer(&mut flow, &Answer::Code("1"));
                assert_eq!(r["ChallengeResponses"]["EMAIL_OTP_CODE"], "1");
            }
            FirstFactor::SmsOtp => {
                let (_, r) = answer(&mut flow, &Answer::Code("2"));
                assert_eq!(r["ChallengeResponses"]["SMS_OTP_CODE"], "2");
            }
            FirstFactor::WebAuthn => {
                let (_, r) = answer(&mut flow, &Answer::WebAuthnCredential("{\"id\":\"cred\"}"));
                assert_eq!(r["ChallengeResponses"]["CREDENTIAL"], "{\"id\":\"cred\"}");
            }
            _ => assert_eq!(next, "tokens a.b.c"),
        }
    }

    // Right after sign-up: the ConfirmSignUp Session starts USER_AUTH without a password.
    let mut flow: SignIn =
        SignIn::after_sign_up(config(), "alice", "signup-session", None).unwrap();
    let (_, init) = write(&mut flow);
    assert_eq!(init["Session"], "signup-session");
    assert_eq!(init["AuthFlow"], "USER_AUTH");
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");

    // Misuse: a password factor without a password.
    assert_eq!(
        SignIn::<DefaultLimits>::choice(config(), "a", Some(FirstFactor::Password), None, None)
            .unwrap_err(),
        Error::Misuse(Misuse::Empty("password"))
    );
    assert_eq!(
        SignIn::<DefaultLimits>::choice(
            config(),
            "a",
            Some(FirstFactor::PasswordSrp),
            Some("p"),
            None
        )
        .unwrap_err(),
        Error::Misuse(Misuse::Empty("ephemeral"))
    );
}

#[test]
fn challenges_of_another_flow_are_refused() {
    for (name, make) in [
        ("CUSTOM_CHALLENGE", 0),
        ("SELECT_CHALLENGE", 0),
        ("SMS_OTP", 0),
        ("WEB_AUTHN", 1),
        ("SELECT_CHALLENGE", 1),
    ] {
        let mut flow: SignIn = if make == 0 {
            SignIn::password(config(), "alice", "pw").unwrap()
        } else {
            SignIn::custom(config(), "alice").unwrap()
        };
        write(&mut flow);
        // Well-formed parameters (a malformed WEB_AUTHN is refused before the flow looks at it).
        let params = json!({"CREDENTIAL_REQUEST_OPTIONS": "{\"challenge\":\"x\"}"});
        assert_eq!(
            feed(&mut flow, &challenge(name, Some("s"), params)).unwrap_err(),
            Error::Protocol(ProtocolError::UnexpectedChallenge),
            "{name}"
        );
    }
}

#[test]
fn missing_session_and_loops() {
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    assert_eq!(
        feed(&mut flow, &challenge("SMS_MFA", None, json!({}))).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("Session"))
    );

    // A server that keeps asking stops after MAX_CHALLENGE_ROUNDS.
    let mut flow: SignIn = SignIn::custom(config(), "alice").unwrap();
    write(&mut flow);
    let mut rounds = 0;
    let err = loop {
        match feed(
            &mut flow,
            &challenge("CUSTOM_CHALLENGE", Some("s"), json!({})),
        ) {
            Ok(_) => {
                rounds += 1;
                answer(&mut flow, &Answer::Custom("again"));
            }
            Err(e) => break e,
        }
        assert!(rounds <= 100, "no bound");
    };
    assert_eq!(err, Error::Protocol(ProtocolError::TooManyChallenges));
    assert_eq!(
        rounds,
        usize::from(cognito_core::auth::MAX_CHALLENGE_ROUNDS)
    );
}

#[test]
fn device_srp_order_is_enforced() {
    let device = DeviceCredentials::new("us-east-1_d", "-g", "dp").unwrap();
    // DEVICE_PASSWORD_VERIFIER before DEVICE_SRP_AUTH.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw")
        .unwrap()
        .with_device(&device, eph(5));
    write(&mut flow);
    assert_eq!(
        feed(
            &mut flow,
            &challenge("DEVICE_PASSWORD_VERIFIER", Some("s"), verifier_params())
        )
        .unwrap_err(),
        Error::Protocol(ProtocolError::UnexpectedChallenge)
    );
    // DEVICE_SRP_AUTH twice.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw")
        .unwrap()
        .with_device(&device, eph(5));
    write(&mut flow);
    assert_eq!(
        feed(
            &mut flow,
            &challenge("DEVICE_SRP_AUTH", Some("d1"), json!({}))
        )
        .unwrap(),
        "send"
    );
    let (_, dsa) = write(&mut flow);
    assert_eq!(dsa["ChallengeName"], "DEVICE_SRP_AUTH");
    assert_eq!(dsa["ChallengeResponses"]["DEVICE_KEY"], "us-east-1_d");
    assert_eq!(dsa["Session"], "d1");
    assert_eq!(
        feed(
            &mut flow,
            &challenge("DEVICE_SRP_AUTH", Some("d2"), json!({}))
        )
        .unwrap_err(),
        Error::Protocol(ProtocolError::UnexpectedChallenge)
    );
    // USER_PASSWORD_AUTH with a device: DEVICE_KEY at InitiateAuth, device SRP straight after.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw")
        .unwrap()
        .with_device(&device, eph(5));
    let (_, init) = write(&mut flow);
    assert_eq!(init["AuthParameters"]["DEVICE_KEY"], "us-east-1_d");
    feed(
        &mut flow,
        &challenge("DEVICE_SRP_AUTH", Some("d1"), json!({})),
    )
    .unwrap();
    write(&mut flow);
    let mut params = verifier_params();
    params.as_object_mut().unwrap().remove("USER_ID_FOR_SRP");
    assert_eq!(
        feed(
            &mut flow,
            &challenge("DEVICE_PASSWORD_VERIFIER", Some("d2"), params)
        )
        .unwrap(),
        "send"
    );
    let (_, dpv) = write(&mut flow);
    assert_eq!(dpv["ChallengeName"], "DEVICE_PASSWORD_VERIFIER");
    assert_eq!(dpv["Session"], "d2");
    assert!(dpv["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
    assert_eq!(feed(&mut flow, &tokens()).unwrap(), "tokens a.b.c");
}

#[test]
fn forgotten_device_restarts_once_without_it() {
    let device = DeviceCredentials::new("us-east-1_gone", "-g", "dp").unwrap();
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(6))
        .unwrap()
        .with_device(&device, eph(7));
    let (_, first) = write(&mut flow);
    assert_eq!(first["AuthParameters"]["DEVICE_KEY"], "us-east-1_gone");
    let body = br#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#;
    match flow
        .handle_response(&HttpResponse::new(400, body), NOW)
        .unwrap()
    {
        Step::DeviceForgotten => {}
        other => panic!("{other:?}"),
    }
    assert!(!flow.uses_device());
    let (op, second) = write(&mut flow);
    assert_eq!(op, Operation::InitiateAuth);
    assert!(second["AuthParameters"].get("DEVICE_KEY").is_none());
    assert_ne!(
        second["AuthParameters"]["SRP_A"], first["AuthParameters"]["SRP_A"],
        "a fresh SRP secret"
    );
    // A second ResourceNotFound is an ordinary error now.
    let err = flow
        .handle_response(&HttpResponse::new(400, body), NOW)
        .unwrap_err();
    assert!(matches!(err, Error::Service(_)));
    assert!(flow.is_finished());

    // Forgotten at the device step too (after PASSWORD_VERIFIER).
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(6))
        .unwrap()
        .with_device(&device, eph(7));
    write(&mut flow);
    feed(
        &mut flow,
        &challenge("PASSWORD_VERIFIER", None, verifier_params()),
    )
    .unwrap();
    write(&mut flow);
    assert_eq!(
        flow.handle_response(&HttpResponse::new(400, body), NOW)
            .map(|s| format!("{s:?}"))
            .unwrap(),
        "DeviceForgotten"
    );
    let (_, again) = write(&mut flow);
    assert_eq!(again["AuthFlow"], "USER_SRP_AUTH");
}

#[test]
fn handed_over_challenge_exposes_name_parameters_and_session() {
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    let body = serde_json::to_vec(&challenge(
        "BRAND_NEW",
        Some("new-session"),
        json!({"K": "v\\w"}),
    ))
    .unwrap();
    match flow
        .handle_response(&HttpResponse::new(200, &body), NOW)
        .unwrap()
    {
        Step::Challenge(c) => {
            assert_eq!(c.name(), ChallengeName::Other("BRAND_NEW"));
            assert_eq!(c.session(), Some("new-session"));
            assert!(c.parameters().get("K").unwrap().eq_str("v\\w"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(flow.session(), "new-session");
}

#[test]
fn preferred_password_srp_unavailable_falls_back_to_selection() {
    let mut flow: SignIn = SignIn::choice(
        config(),
        "alice",
        Some(FirstFactor::PasswordSrp),
        Some("pw"),
        Some(eph(8)),
    )
    .unwrap();
    write(&mut flow);
    let select = json!({"ChallengeName": "SELECT_CHALLENGE", "Session": "sel", "AvailableChallenges": ["EMAIL_OTP"]});
    assert_eq!(
        feed(&mut flow, &select).unwrap(),
        "challenge SELECT_CHALLENGE"
    );
    let (_, r) = answer(&mut flow, &Answer::FirstFactor(FirstFactor::EmailOtp));
    assert_eq!(r["ChallengeResponses"]["ANSWER"], "EMAIL_OTP");
}

#[test]
fn a_buffer_too_small_for_an_answer_leaves_the_challenge_waiting() {
    // Nothing is written, and the same challenge can be answered into a larger buffer.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    write(&mut flow);
    feed(&mut flow, &challenge("SMS_MFA", Some("s1"), json!({}))).unwrap();
    let mut small = [0xAAu8; 16];
    assert!(matches!(
        flow.answer(&Answer::Code("123456"), &mut small),
        Err(Error::BufferTooSmall(_))
    ));
    assert!(small.iter().all(|&b| b == 0xAA));
    assert!(flow.awaits_answer());
    let (_, respond) = answer(&mut flow, &Answer::Code("123456"));
    assert_eq!(respond["Session"], "s1");
}
