//! Drives every `auth::SignIn` flow with fuzzed server replies and fuzz-chosen answers.
//!
//! Input: a method byte (low 3 bits: `srp`, `password`, `custom`, `custom_with_srp`,
//! `choice(None)`, `choice(Password)`, `choice(PasswordSrp)`, `after_sign_up`; bit 3: app client
//! secret; bit 4: remembered device), then up to 8 steps separated by `0xFF`, each a status
//! selector byte (low 3 bits: 200, 200, 200, 200, 400, 500, 429, 302), an answer selector byte
//! (used when a challenge waits for the caller) and the reply body.
//!
//! Properties: nothing panics; after `SendRequest`/`DeviceForgotten` a request can be written;
//! after `Challenge`/`TotpSecret` only `answer` is accepted; an answer the caller's input does not
//! fit, or the pool refuses (`AnswerRefused`, only ever right after an answer), leaves the
//! challenge waiting; every request body (written or answered) is one valid JSON object;
//! `InitiateAuth` may be resent after any failure only for the methods that just start SRP or a
//! choice, every other request only if unreceived; a challenge's kind decodes (its lists can be
//! walked); a signed-in flow keeps no Session.
//!
//! The SRP methods cost one constant-time `g^a` per run (~10 ms); the others are cheap, so most
//! executions explore the challenge/answer state machine.

use cognito_core::auth::{
    Answer, ClientConfig, DeviceCredentials, FirstFactor, MfaType, SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Operation, Request, Resend, parse_object};
use cognito_core::{Error, Misuse};

use crate::challenge_walk::walk;
use crate::{auth_ref, reply_ref};

const POOL_ID: &str = "us-east-1_TestPool1";
const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const USERNAME: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
const NOW: UnixTime = UnixTime::from_millis(1_767_600_547_123);
const STATUS: [u16; 8] = [200, 200, 200, 200, 400, 500, 429, 302];
const DEVICE_KEY: &str = "us-east-1_827b3399-6f2c-4c54-a2b2-5c3e7d3a1f00";
const DEVICE_GROUP_KEY: &str = "-4Ik6cT5i";
const DEVICE_PASSWORD: &str = "ZGV2aWNlLXBhc3N3b3JkLWZvci1mdXp6aW5nLW9ubHk=";
const ATTRIBUTES: &[(&str, &str)] = &[("name", "Al \"ice\""), ("email", "a@example.com")];
const RAW: &[(&str, &str)] = &[("ANSWER", "x"), ("USERNAME", "dup\u{1}")];

fn ephemeral(tweak: u8) -> SrpEphemeral {
    let mut a = [0x5au8; 128];
    a[0] ^= tweak;
    SrpEphemeral::from_secret_bytes(&a).unwrap()
}

fn answer_for(selector: u8) -> Answer<'static> {
    match selector % 20 {
        0 => Answer::Code("123456"),
        1 => Answer::Code(""),
        2 => Answer::MfaType(MfaType::Sms),
        3 => Answer::MfaType(MfaType::SoftwareToken),
        4 => Answer::MfaType(MfaType::Email),
        5 => Answer::SetUpTotp,
        6 => Answer::VerifyTotp {
            code: "654321",
            friendly_name: Some("phone\n"),
        },
        7 => Answer::VerifyTotp {
            code: "654321",
            friendly_name: None,
        },
        8 => Answer::SetUpEmail("a@example.com"),
        9 => Answer::NewPassword {
            password: "N3w-Passw0rd",
            attributes: ATTRIBUTES,
        },
        10 => Answer::NewPassword {
            password: "",
            attributes: &[],
        },
        11 => Answer::Custom("42"),
        12 => Answer::FirstFactor(FirstFactor::Password),
        13 => Answer::FirstFactor(FirstFactor::PasswordSrp),
        14 => Answer::FirstFactor(FirstFactor::EmailOtp),
        15 => Answer::FirstFactor(FirstFactor::SmsOtp),
        16 => Answer::FirstFactor(FirstFactor::WebAuthn),
        17 => Answer::WebAuthnCredential("{\"id\":\"x\"}"),
        18 => Answer::Raw(RAW),
        _ => Answer::Raw(&[]),
    }
}

/// The harness.
pub fn sign_in(data: &[u8]) {
    let Some((&method, rest)) = data.split_first() else {
        return;
    };
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let config = if method & 8 != 0 {
        config.with_client_secret("client-secret").unwrap()
    } else {
        config
    };
    let flow = match method & 7 {
        0 => SignIn::srp(&config, USERNAME, PASSWORD, ephemeral(0)),
        1 => SignIn::password(&config, USERNAME, PASSWORD),
        2 => SignIn::custom(&config, USERNAME),
        3 => SignIn::custom_with_srp(&config, USERNAME, PASSWORD, ephemeral(0)),
        4 => SignIn::choice(&config, USERNAME, None, Some(PASSWORD), None),
        5 => SignIn::choice(
            &config,
            USERNAME,
            Some(FirstFactor::Password),
            Some(PASSWORD),
            None,
        ),
        6 => SignIn::choice(
            &config,
            USERNAME,
            Some(FirstFactor::PasswordSrp),
            Some(PASSWORD),
            Some(ephemeral(0)),
        ),
        _ => SignIn::after_sign_up(&config, USERNAME, "confirm-sign-up-session", None),
    };
    let mut flow: SignIn = flow.unwrap();
    if method & 16 != 0 {
        let device = DeviceCredentials::new(DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD).unwrap();
        flow = flow.with_device(&device, ephemeral(1));
    }
    // Only USER_SRP_AUTH, CUSTOM_AUTH with SRP first and USER_AUTH without a preference or with
    // PASSWORD_SRP merely start something when InitiateAuth is sent twice.
    let initiate_resend = match method & 7 {
        0 | 3 | 4 | 6 => Resend::AfterAnyFailure,
        _ => Resend::OnlyIfUnreceived,
    };
    let expected_resend = |operation| match operation {
        Operation::InitiateAuth => initiate_resend,
        _ => Resend::OnlyIfUnreceived,
    };

    let mut buf = vec![0u8; 16 * 1024];
    let request = flow.write_request(&mut buf).unwrap();
    assert_eq!(request.operation, Operation::InitiateAuth);
    check_request(&request, initiate_resend);

    for part in rest.split(|&b| b == 0xFF).take(8) {
        if flow.is_finished() {
            break;
        }
        let mut answered = false;
        let (status_sel, answer_sel, body) = match part {
            [s, a, body @ ..] => (*s, *a, body),
            [s] => (*s, 0, &[][..]),
            [] => (0, 0, &[][..]),
        };
        let status = STATUS[usize::from(status_sel & 7)];

        if flow.awaits_answer() {
            assert!(flow.pending_operation().is_none());
            assert!(matches!(
                flow.write_request(&mut buf),
                Err(Error::Misuse(Misuse::OutOfOrder))
            ));
            let answer = answer_for(answer_sel);
            match flow.answer(&answer, &mut buf) {
                Ok(request) => {
                    let _ = request.operation.target();
                    check_request(&request, Resend::OnlyIfUnreceived);
                    assert!(!flow.awaits_answer());
                    answered = true;
                }
                Err(e) => {
                    assert!(matches!(e, Error::Misuse(_)), "answer {answer:?}: {e:?}");
                    assert!(flow.awaits_answer(), "a refused answer ended the challenge");
                    continue;
                }
            }
        }

        let before = flow.pending_operation();
        match flow.handle_response(&HttpResponse::new(status, body), NOW) {
            Ok(Step::SendRequest) | Ok(Step::DeviceForgotten) => {
                assert!(!flow.is_finished() && !flow.awaits_answer());
                let operation = flow.pending_operation().unwrap();
                let request = flow.write_request(&mut buf).unwrap();
                assert_eq!(request.operation, operation);
                check_request(&request, expected_resend(operation));
            }
            Ok(Step::Challenge(challenge)) => {
                // The challenge handed over is the reply's, decoded as the reference decodes it.
                let reply = HttpResponse::new(status, body);
                reply_ref::check(
                    &Ok::<_, Error>(challenge),
                    &auth_ref::read(&reply),
                    auth_ref::challenge_view,
                );
                assert!(flow.awaits_answer());
                assert_eq!(flow.waiting_challenge(), Some(challenge.name()));
                walk(&challenge);
                let _ = format!("{challenge:?}");
            }
            Ok(Step::AnswerRefused(e)) => {
                assert!(answered, "a refusal without an answer: {e:?}");
                assert!(e.refuses_answer() && e.status() == status, "{e:?}");
                assert!(flow.awaits_answer() && !flow.is_finished());
            }
            Ok(Step::TotpSecret(secret)) => {
                assert!(flow.awaits_answer());
                let _ = secret.len();
            }
            Ok(Step::Authenticated(result)) => {
                assert!(flow.is_finished());
                assert!(flow.session().is_empty(), "the Session is wiped");
                assert!(!result.access_token.is_empty());
            }
            Ok(step) => {
                let _ = format!("{step:?}");
            }
            Err(e) => {
                let _ = format!("{e} {e:?}");
                if !flow.is_finished() && !flow.awaits_answer() {
                    // A retryable error on an automatic request: write it again.
                    assert!(matches!(e, Error::Service(_)), "flow kept after {e:?}");
                    assert_eq!(flow.pending_operation(), before);
                    if let Some(operation) = before {
                        let request = flow.write_request(&mut buf).unwrap();
                        check_request(&request, expected_resend(operation));
                    }
                }
            }
        }
        let _ = format!("{flow:?} {} {}", flow.session().len(), flow.uses_device());
    }
}

/// A request resends as expected, and its body is one valid JSON object, by the core's reader
/// and by serde_json.
fn check_request(request: &Request<'_>, resend: Resend) {
    assert_eq!(request.resend, resend, "{}", request.operation);
    parse_object(request.body).unwrap();
    let value: serde_json::Value = serde_json::from_slice(request.body).unwrap();
    assert!(value.is_object());
}
