//! Which requests of the flows may be resent after a failure that may have reached the pool
//! (`Request::resend`): an `InitiateAuth` that only starts SRP or offers a choice, and a refresh,
//! after any failure; everything that may count a password, send a code, run a Lambda trigger or
//! spend a single-use Session, only when it provably never arrived.

use cognito_core::Call;
use cognito_core::account::GetUser;
use cognito_core::auth::{
    Answer, DeviceCredentials, DeviceRegistration, FirstFactor, MfaType, Refresh, RefreshOperation,
    SignIn,
};
use cognito_core::exchange::{Flow, Once};
use cognito_core::srp::DeviceVerifier;
use cognito_core::wire::{HttpResponse, Operation, Resend};
use serde_json::json;

use crate::support::*;

/// Writes the flow's next request: (operation, resend).
fn written<F: Flow>(flow: &mut F) -> (Operation, Resend) {
    let mut buf = vec![0u8; 16 * 1024];
    let request = flow.write_request(&mut buf).unwrap();
    (request.operation, request.resend)
}

/// Answers the waiting challenge: (operation, resend).
fn answered(flow: &mut SignIn, answer: &Answer<'_>) -> (Operation, Resend) {
    let mut buf = vec![0u8; 16 * 1024];
    let request = flow.answer(answer, &mut buf).unwrap();
    (request.operation, request.resend)
}

#[test]
fn initiate_auth_is_resent_after_any_failure_only_when_it_just_starts_srp_or_a_choice() {
    use Resend::{AfterAnyFailure, OnlyIfUnreceived};
    let device = DeviceCredentials::new("us-east-1_dev", "-grp", "pw").unwrap();
    let flows: Vec<(&str, SignIn, Resend)> = vec![
        (
            "srp",
            SignIn::srp(config(), "alice", "pw", eph(1)).unwrap(),
            AfterAnyFailure,
        ),
        (
            "srp with a device",
            SignIn::srp(config(), "alice", "pw", eph(1))
                .unwrap()
                .with_device(&device, eph(2)),
            AfterAnyFailure,
        ),
        (
            "custom_with_srp",
            SignIn::custom_with_srp(config(), "alice", "pw", eph(1)).unwrap(),
            AfterAnyFailure,
        ),
        (
            "choice(None)",
            SignIn::choice(config(), "alice", None, Some("pw"), Some(eph(1))).unwrap(),
            AfterAnyFailure,
        ),
        (
            "choice(PasswordSrp)",
            SignIn::choice(
                config(),
                "alice",
                Some(FirstFactor::PasswordSrp),
                Some("pw"),
                Some(eph(1)),
            )
            .unwrap(),
            AfterAnyFailure,
        ),
        (
            "password",
            SignIn::password(config(), "alice", "pw").unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "custom",
            SignIn::custom(config(), "alice").unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "choice(Password)",
            SignIn::choice(
                config(),
                "alice",
                Some(FirstFactor::Password),
                Some("pw"),
                None,
            )
            .unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "choice(EmailOtp)",
            SignIn::choice(config(), "alice", Some(FirstFactor::EmailOtp), None, None).unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "choice(SmsOtp)",
            SignIn::choice(config(), "alice", Some(FirstFactor::SmsOtp), None, None).unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "choice(WebAuthn)",
            SignIn::choice(config(), "alice", Some(FirstFactor::WebAuthn), None, None).unwrap(),
            OnlyIfUnreceived,
        ),
        (
            "after_sign_up",
            SignIn::after_sign_up(config(), "alice", "sign-up-session", None).unwrap(),
            OnlyIfUnreceived,
        ),
    ];
    for (name, mut flow, expected) in flows {
        assert_eq!(
            written(&mut flow),
            (Operation::InitiateAuth, expected),
            "{name}"
        );
        // Written again after throttling, it resends the same way.
        let throttled = error_body("TooManyRequestsException");
        assert!(
            flow.handle_response(&HttpResponse::new(400, &throttled), NOW)
                .is_err()
        );
        assert_eq!(
            written(&mut flow),
            (Operation::InitiateAuth, expected),
            "{name}, again"
        );
    }
}

#[test]
fn every_answer_and_every_srp_step_is_resent_only_if_unreceived() {
    let only = |operation| (operation, Resend::OnlyIfUnreceived);
    let respond = only(Operation::RespondToAuthChallenge);

    // The caller's answers, each to its challenge.
    for (name, answer) in [
        ("SMS_MFA", Answer::Code("123456")),
        ("SOFTWARE_TOKEN_MFA", Answer::Code("123456")),
        ("EMAIL_OTP", Answer::Code("123456")),
        ("SELECT_MFA_TYPE", Answer::MfaType(MfaType::Sms)),
        ("MFA_SETUP", Answer::SetUpEmail("a@example.com")),
        (
            "NEW_PASSWORD_REQUIRED",
            Answer::NewPassword {
                password: "N3w!",
                attributes: &[],
            },
        ),
        ("SOMETHING_NEW", Answer::Raw(&[("K", "v")])),
    ] {
        let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
        written(&mut flow);
        feed(&mut flow, &challenge(name, Some("s"), json!({}))).unwrap();
        assert_eq!(answered(&mut flow, &answer), respond, "{name}");
    }
    let mut flow: SignIn = SignIn::custom(config(), "alice").unwrap();
    written(&mut flow);
    feed(
        &mut flow,
        &challenge("CUSTOM_CHALLENGE", Some("s"), json!({})),
    )
    .unwrap();
    assert_eq!(answered(&mut flow, &Answer::Custom("42")), respond);
    for answer in [
        Answer::FirstFactor(FirstFactor::Password),
        Answer::FirstFactor(FirstFactor::PasswordSrp),
        Answer::FirstFactor(FirstFactor::EmailOtp),
        Answer::FirstFactor(FirstFactor::SmsOtp),
        Answer::FirstFactor(FirstFactor::WebAuthn),
    ] {
        let mut flow: SignIn =
            SignIn::choice(config(), "alice", None, Some("pw"), Some(eph(1))).unwrap();
        written(&mut flow);
        feed(
            &mut flow,
            &challenge("SELECT_CHALLENGE", Some("s"), json!({})),
        )
        .unwrap();
        assert_eq!(answered(&mut flow, &answer), respond, "{answer:?}");
    }
    let mut flow: SignIn =
        SignIn::choice(config(), "alice", Some(FirstFactor::WebAuthn), None, None).unwrap();
    written(&mut flow);
    let options = json!({"CREDENTIAL_REQUEST_OPTIONS": "{}"});
    feed(&mut flow, &challenge("WEB_AUTHN", Some("s"), options)).unwrap();
    assert_eq!(
        answered(&mut flow, &Answer::WebAuthnCredential("{\"id\":\"c\"}")),
        respond
    );

    // Setting up an authenticator app: AssociateSoftwareToken, VerifySoftwareToken, and the
    // RespondToAuthChallenge the flow then writes by itself.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw").unwrap();
    written(&mut flow);
    feed(&mut flow, &challenge("MFA_SETUP", Some("s1"), json!({}))).unwrap();
    assert_eq!(
        answered(&mut flow, &Answer::SetUpTotp),
        only(Operation::AssociateSoftwareToken)
    );
    feed(
        &mut flow,
        &json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s2"}),
    )
    .unwrap();
    let verify = Answer::VerifyTotp {
        code: "123456",
        friendly_name: None,
    };
    assert_eq!(
        answered(&mut flow, &verify),
        only(Operation::VerifySoftwareToken)
    );
    feed(&mut flow, &json!({"Status": "SUCCESS", "Session": "s3"})).unwrap();
    assert_eq!(written(&mut flow), respond);

    // The SRP steps the flow answers by itself: PASSWORD_VERIFIER, DEVICE_SRP_AUTH,
    // DEVICE_PASSWORD_VERIFIER.
    let device = DeviceCredentials::new("us-east-1_dev", "-grp", "pw").unwrap();
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(1))
        .unwrap()
        .with_device(&device, eph(2));
    written(&mut flow);
    for (name, params) in [
        ("PASSWORD_VERIFIER", verifier_params()),
        ("DEVICE_SRP_AUTH", json!({})),
        ("DEVICE_PASSWORD_VERIFIER", verifier_params()),
    ] {
        assert_eq!(
            feed(&mut flow, &challenge(name, Some("s"), params)).unwrap(),
            "send"
        );
        assert_eq!(written(&mut flow), respond, "{name}");
    }
}

#[test]
fn a_refresh_is_resent_after_any_failure() {
    for operation in [
        RefreshOperation::InitiateAuth,
        RefreshOperation::GetTokensFromRefreshToken,
    ] {
        let mut refresh: Refresh = Refresh::new(config(), "rt").unwrap().using(operation);
        let (_, resend) = written(&mut refresh);
        assert_eq!(resend, Resend::AfterAnyFailure, "{operation:?}");
    }
}

#[test]
fn registering_a_device_is_resent_only_if_unreceived() {
    let verifier = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
    let device =
        DeviceCredentials::new("us-east-1_dev", "-grp", verifier.device_password()).unwrap();
    let mut flow: DeviceRegistration =
        DeviceRegistration::with_verifier(config(), "eyJ.a.b", device, verifier).unwrap();
    assert_eq!(
        written(&mut flow),
        (Operation::ConfirmDevice, Resend::OnlyIfUnreceived)
    );
    let necessary = br#"{"UserConfirmationNecessary":true}"#;
    flow.handle_response(&HttpResponse::new(200, necessary), NOW)
        .unwrap();
    assert_eq!(
        written(&mut flow),
        (Operation::UpdateDeviceStatus, Resend::OnlyIfUnreceived)
    );
}

#[test]
fn a_call_run_as_a_flow_resends_as_the_call_does() {
    let mut once = Once::new(
        config(),
        GetUser {
            access_token: "eyJ.a.b",
        },
    );
    assert_eq!(written(&mut once), (Operation::GetUser, GetUser::RESEND));
    assert_eq!(GetUser::RESEND, Resend::AfterAnyFailure);
}
