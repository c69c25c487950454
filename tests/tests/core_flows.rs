//! Transcripts of every sign-in flow and challenge: `cognito-core`'s `SignIn` (the client) against
//! the in-memory emulator (an independent server that sends codes, checks TOTP, rotates and
//! expires Sessions). Each test asserts the sequence of operations and challenges.

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_core::Error;
use cognito_core::auth::{
    Answer, ClientConfig, ConfirmDevice, FirstFactor, MfaType, Refresh, RefreshOperation,
    RememberedDevice, SignIn, Step,
};
use cognito_core::srp::{DeviceVerifier, SrpEphemeral};
use cognito_core::time::UnixTime;
use cognito_core::token::{TokenSet, decode_claims};
use cognito_core::wire::{CONTENT_TYPE, ErrorKind, HttpResponse};
use cognito_tests::pool::{
    AppClientOptions, ClientSettings, CustomAuthScript, CustomRound, DeviceTracking,
    FirstAuthFactor, MfaConfiguration, MfaMode, Passkey, UserOptions, UserPool, UserStatus,
};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

const POOL_ID: &str = "us-east-1_FlowPool";
const CLIENT_ID: &str = "flowclient0id0000000000000";
const SECRET: &str = "flowsecret0000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PHONE: &str = "+15555550100";
const EMAIL: &str = "alice@example.com";

/// A challenge as the test's "user" sees it.
#[derive(Debug, Clone)]
struct Seen {
    name: String,
    params: Value,
    available: Vec<String>,
}

/// What the user does about a challenge (owned, so the closure can build it).
enum Do {
    Code(String),
    Mfa(MfaType),
    SetUpTotp,
    SetUpEmail(String),
    NewPassword(String, Vec<(String, String)>),
    Custom(String),
    Factor(FirstFactor),
    WebAuthn(String),
}

/// The end of a transcript.
#[derive(Debug)]
struct Outcome {
    access_token: String,
    refresh_token: Option<String>,
    new_device: Option<(String, String)>,
    /// Challenge names in order, with `TOTP_SECRET` for the secret hand-over.
    challenges: Vec<String>,
}

fn exchange(pool: &mut UserPool, operation: &str, body: &[u8]) -> (u16, Option<String>, Vec<u8>) {
    let reply = pool.handle(
        &format!("AWSCognitoIdentityProviderService.{operation}"),
        CONTENT_TYPE,
        body,
    );
    (reply.status, reply.error_type, reply.body)
}

/// Runs `flow` against `pool`; `decide` answers every challenge. Wrong codes are retried by
/// calling `decide` again.
fn drive(
    pool: &mut UserPool,
    mut flow: SignIn<'_>,
    mut decide: impl FnMut(&mut UserPool, &Seen) -> Do,
) -> Result<Outcome, Error> {
    let mut buf = vec![0u8; 16384];
    let mut challenges = Vec::new();
    let mut pending: Option<(String, Vec<u8>)> = None; // an answer to send
    for _ in 0..40 {
        let (operation, body) = match pending.take() {
            Some(p) => p,
            None => {
                let r = flow.write_request(&mut buf)?;
                (r.operation.name().to_owned(), r.body.to_vec())
            }
        };
        let (status, error_type, reply) = exchange(pool, &operation, &body);
        let response = HttpResponse::new(status, &reply).with_error_type(error_type.as_deref());
        let now = UnixTime::from_secs(pool.now());
        let step = match flow.handle_response(&response, now) {
            Err(Error::Service(e))
                if e.kind() == ErrorKind::CodeMismatch && flow.awaits_answer() =>
            {
                challenges.push("CODE_MISMATCH".to_owned());
                let seen = challenges_seen_again(&challenges);
                let answer = decide(pool, &seen);
                pending = Some(answer_request(&mut flow, &answer, &mut buf)?);
                continue;
            }
            other => other?,
        };
        match step {
            Step::SendRequest => {}
            Step::DeviceForgotten => challenges.push("DEVICE_FORGOTTEN".to_owned()),
            Step::Authenticated(t) => {
                return Ok(Outcome {
                    access_token: t.access_token.to_owned(),
                    refresh_token: t.refresh_token.map(str::to_owned),
                    new_device: t
                        .new_device
                        .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
                    challenges,
                });
            }
            Step::TotpSecret(secret) => {
                challenges.push("TOTP_SECRET".to_owned());
                // The device enrols itself: the core's own RFC 6238 generator makes the code.
                let code = cognito_core::totp::code(secret, now).unwrap();
                let answer = Answer::VerifyTotp {
                    code: &code,
                    friendly_name: Some("core-totp"),
                };
                let r = flow.answer(&answer, &mut buf)?;
                pending = Some((r.operation.name().to_owned(), r.body.to_vec()));
            }
            Step::Challenge(c) => {
                let params: Value = c
                    .parameters()
                    .as_object()
                    .map_or(Value::Null, |o| serde_json::from_str(o.raw()).unwrap());
                let available = c.available_challenges().map_or(Vec::new(), |a| {
                    a.iter()
                        .filter_map(|v| v.as_str())
                        .map(|s| s.raw().to_owned())
                        .collect()
                });
                let seen = Seen {
                    name: c.name().as_str().to_owned(),
                    params,
                    available,
                };
                challenges.push(seen.name.clone());
                let answer = decide(pool, &seen);
                pending = Some(answer_request(&mut flow, &answer, &mut buf)?);
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    panic!("no end after 40 round trips: {challenges:?}")
}

/// After a wrong code the same challenge is answered again.
fn challenges_seen_again(challenges: &[String]) -> Seen {
    let name = challenges
        .iter()
        .rev()
        .find(|c| *c != "CODE_MISMATCH")
        .cloned()
        .unwrap_or_default();
    Seen {
        name,
        params: Value::Null,
        available: Vec::new(),
    }
}

fn answer_request(
    flow: &mut SignIn<'_>,
    answer: &Do,
    buf: &mut [u8],
) -> Result<(String, Vec<u8>), Error> {
    let attributes: Vec<(&str, &str)>;
    let a = match answer {
        Do::Code(c) => Answer::Code(c),
        Do::Mfa(t) => Answer::MfaType(*t),
        Do::SetUpTotp => Answer::SetUpTotp,
        Do::SetUpEmail(e) => Answer::SetUpEmail(e),
        Do::NewPassword(p, attrs) => {
            attributes = attrs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            Answer::NewPassword {
                password: p,
                attributes: &attributes,
            }
        }
        Do::Custom(a) => Answer::Custom(a),
        Do::Factor(f) => Answer::FirstFactor(*f),
        Do::WebAuthn(c) => Answer::WebAuthnCredential(c),
    };
    let r = flow.answer(&a, buf)?;
    Ok((r.operation.name().to_owned(), r.body.to_vec()))
}

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn eph(rng: &mut ChaCha20Rng) -> SrpEphemeral {
    SrpEphemeral::generate(rng).unwrap()
}

fn pool_with(seed: u64, mfa: MfaConfiguration, user: UserOptions) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(mfa);
    let sub = pool.add_user_with("alice", PASSWORD, user);
    (pool, sub)
}

fn mfa(mode: MfaMode) -> MfaConfiguration {
    MfaConfiguration {
        mode,
        sms: true,
        software_token: true,
        email: true,
    }
}

fn config() -> ClientConfig<'static> {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

fn no_challenges(_: &mut UserPool, seen: &Seen) -> Do {
    panic!("unexpected challenge {seen:?}")
}

fn operations_and_challenges(pool: &UserPool) -> Vec<String> {
    pool.requests()
        .iter()
        .map(|r| match r.body["ChallengeName"].as_str() {
            Some(c) => format!("{} {c}", r.operation),
            None => r.operation.clone(),
        })
        .collect()
}

#[test]
fn srp_then_sms_mfa_with_a_wrong_code_first() {
    let user = UserOptions {
        phone_number: Some(PHONE.into()),
        sms_mfa: true,
        ..UserOptions::default()
    };
    let (mut pool, _) = pool_with(1, mfa(MfaMode::Optional), user);
    let config = config();
    let mut rng = rng(1);
    let mut wrong_sent = false;
    let outcome = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |pool, seen| {
            assert_eq!(seen.name, "SMS_MFA");
            let code = pool.last_code_sent(PHONE).unwrap();
            if wrong_sent {
                Do::Code(code)
            } else {
                wrong_sent = true;
                Do::Code(if code == "000000" {
                    "000001".into()
                } else {
                    "000000".into()
                })
            }
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["SMS_MFA", "CODE_MISMATCH"]);
    assert_eq!(
        operations_and_challenges(&pool),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge SMS_MFA",
            "RespondToAuthChallenge SMS_MFA",
        ]
    );
    // Both answers carried the same (newest) Session.
    let answers: Vec<_> = pool.requests()[2..]
        .iter()
        .map(|r| r.body["Session"].clone())
        .collect();
    assert_eq!(answers[0], answers[1]);
}

#[test]
fn password_auth_then_software_token_mfa_from_the_core_totp() {
    let (mut pool, _) = pool_with(2, mfa(MfaMode::Optional), UserOptions::default());
    let secret = pool.enable_totp("alice").unwrap();
    let config = config();
    let outcome = drive(
        &mut pool,
        SignIn::password(&config, "alice", PASSWORD).unwrap(),
        |pool, seen| {
            assert_eq!(seen.name, "SOFTWARE_TOKEN_MFA");
            Do::Code(
                cognito_core::totp::code(&secret, UnixTime::from_secs(pool.now()))
                    .unwrap()
                    .to_string(),
            )
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        operations_and_challenges(&pool),
        ["InitiateAuth", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA"]
    );
    assert_eq!(pool.requests()[0].body["AuthFlow"], "USER_PASSWORD_AUTH");
}

#[test]
fn select_mfa_type_then_email_otp() {
    let user = UserOptions {
        phone_number: Some(PHONE.into()),
        email: Some(EMAIL.into()),
        email_verified: true,
        sms_mfa: true,
        email_mfa: true,
        ..UserOptions::default()
    };
    let (mut pool, _) = pool_with(3, mfa(MfaMode::Optional), user);
    let config = config();
    let mut rng = rng(3);
    let outcome = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |pool, seen| match seen.name.as_str() {
            "SELECT_MFA_TYPE" => {
                let can_choose = seen.params["MFAS_CAN_CHOOSE"].as_str().unwrap();
                assert!(can_choose.contains("EMAIL_OTP"), "{can_choose}");
                Do::Mfa(MfaType::Email)
            }
            "EMAIL_OTP" => Do::Code(pool.last_code_sent(EMAIL).unwrap()),
            other => panic!("{other}"),
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["SELECT_MFA_TYPE", "EMAIL_OTP"]);
}

#[test]
fn mfa_setup_with_totp_during_sign_in_then_totp_next_time() {
    let (mut pool, _) = pool_with(
        4,
        MfaConfiguration {
            mode: MfaMode::On,
            sms: false,
            software_token: true,
            email: false,
        },
        UserOptions::default(),
    );
    let config = config();
    let mut rng = rng(4);
    let outcome = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |_, seen| {
            assert_eq!(seen.name, "MFA_SETUP");
            Do::SetUpTotp
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["MFA_SETUP", "TOTP_SECRET"]);
    assert_eq!(
        operations_and_challenges(&pool),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge MFA_SETUP",
        ]
    );
    // Each step carried the Session the previous reply gave.
    let sessions: Vec<_> = pool.requests()[2..]
        .iter()
        .map(|r| r.body["Session"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sessions.len(), 3);
    assert!(sessions[0] != sessions[1] && sessions[1] != sessions[2]);

    let secret = pool.totp_secret("alice").unwrap();
    let outcome = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |pool, seen| {
            assert_eq!(seen.name, "SOFTWARE_TOKEN_MFA");
            Do::Code(
                cognito_core::totp::code(&secret, UnixTime::from_secs(pool.now()))
                    .unwrap()
                    .to_string(),
            )
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["SOFTWARE_TOKEN_MFA"]);
}

#[test]
fn mfa_setup_with_email() {
    let mode = MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: false,
        email: true,
    };
    let (mut pool, _) = pool_with(5, mode, UserOptions::default());
    let config = config();
    let outcome = drive(
        &mut pool,
        SignIn::password(&config, "alice", PASSWORD).unwrap(),
        |pool, seen| match seen.name.as_str() {
            "MFA_SETUP" => Do::SetUpEmail(EMAIL.into()),
            "EMAIL_OTP" => Do::Code(pool.last_code_sent(EMAIL).unwrap()),
            other => panic!("{other}"),
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["MFA_SETUP", "EMAIL_OTP"]);
    assert!(pool.user_mfa("alice").unwrap().email);
}

#[test]
fn new_password_required_with_a_required_attribute() {
    let user = UserOptions {
        status: UserStatus::ForceChangePassword,
        ..UserOptions::default()
    };
    let (mut pool, _) = pool_with(6, mfa(MfaMode::Off), user);
    pool.set_required_attributes(&["name"]);
    let config = config();
    let mut rng = rng(6);
    let outcome = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |_, seen| {
            assert_eq!(seen.name, "NEW_PASSWORD_REQUIRED");
            assert!(
                seen.params["requiredAttributes"]
                    .as_str()
                    .unwrap()
                    .contains("userAttributes.name")
            );
            Do::NewPassword(
                "N3w-Passw0rd!".into(),
                vec![("name".into(), "Alice \"Al\" Smith".into())],
            )
        },
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["NEW_PASSWORD_REQUIRED"]);
    assert_eq!(pool.user_status("alice"), Some(UserStatus::Confirmed));
    assert_eq!(
        pool.user_attributes("alice").unwrap()["name"],
        "Alice \"Al\" Smith"
    );
    // The new password works.
    drive(
        &mut pool,
        SignIn::srp(&config, "alice", "N3w-Passw0rd!", eph(&mut rng)).unwrap(),
        no_challenges,
    )
    .unwrap();
}

#[test]
fn custom_auth_plain_and_with_srp_first() {
    let (mut pool, _) = pool_with(7, mfa(MfaMode::Off), UserOptions::default());
    pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: false,
        rounds: vec![
            CustomRound::new(&[("question", "2+2")], "4"),
            CustomRound::new(&[("question", "capital of France")], "Paris"),
        ],
        max_wrong_answers: 3,
    }));
    let config = config();
    let mut wrong_once = false;
    let outcome = drive(
        &mut pool,
        SignIn::custom(&config, "alice").unwrap(),
        |_, seen| {
            assert_eq!(seen.name, "CUSTOM_CHALLENGE");
            match seen.params["question"].as_str().unwrap() {
                "2+2" if !wrong_once => {
                    wrong_once = true;
                    Do::Custom("5".into())
                }
                "2+2" => Do::Custom("4".into()),
                _ => Do::Custom("Paris".into()),
            }
        },
    )
    .unwrap();
    // A wrong answer re-asks the same round with a fresh Session.
    assert_eq!(
        outcome.challenges,
        ["CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"]
    );

    pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: true,
        rounds: vec![CustomRound::new(&[("q", "x")], "y")],
        max_wrong_answers: 1,
    }));
    let mut rng = rng(7);
    let before = pool.requests().len();
    let outcome = drive(
        &mut pool,
        SignIn::custom_with_srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        |_, _| Do::Custom("y".into()),
    )
    .unwrap();
    assert_eq!(outcome.challenges, ["CUSTOM_CHALLENGE"]);
    let steps: Vec<_> = operations_and_challenges(&pool)[before..].to_vec();
    assert_eq!(
        steps,
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge CUSTOM_CHALLENGE"
        ]
    );
    assert_eq!(
        pool.requests()[before].body["AuthParameters"]["CHALLENGE_NAME"],
        "SRP_A"
    );
}

fn choice_pool(seed: u64) -> (UserPool, String, Passkey) {
    let user = UserOptions {
        email: Some(EMAIL.into()),
        email_verified: true,
        phone_number: Some(PHONE.into()),
        phone_number_verified: true,
        ..UserOptions::default()
    };
    let (mut pool, sub) = pool_with(seed, mfa(MfaMode::Off), user);
    pool.set_allowed_first_auth_factors(&[
        FirstAuthFactor::EmailOtp,
        FirstAuthFactor::SmsOtp,
        FirstAuthFactor::WebAuthn,
    ]);
    let passkey = pool.add_passkey("alice").unwrap();
    (pool, sub, passkey)
}

#[test]
fn choice_based_sign_in_with_each_first_factor() {
    let config = config();
    let mut rng = rng(8);
    // Preferred factors.
    for (preferred, expected) in [
        (FirstFactor::Password, vec![]),
        (FirstFactor::PasswordSrp, vec![]),
        (FirstFactor::EmailOtp, vec!["EMAIL_OTP"]),
        (FirstFactor::SmsOtp, vec!["SMS_OTP"]),
    ] {
        let (mut pool, _, _) = choice_pool(8);
        let flow = SignIn::choice(
            &config,
            "alice",
            Some(preferred),
            Some(PASSWORD),
            Some(eph(&mut rng)),
        )
        .unwrap();
        let outcome = drive(&mut pool, flow, |pool, seen| match seen.name.as_str() {
            "EMAIL_OTP" => Do::Code(pool.last_code_sent(EMAIL).unwrap()),
            "SMS_OTP" => Do::Code(pool.last_code_sent(PHONE).unwrap()),
            other => panic!("{other}"),
        })
        .unwrap();
        assert_eq!(outcome.challenges, expected, "{preferred}");
        assert_eq!(
            pool.requests()[0].body["AuthParameters"]["PREFERRED_CHALLENGE"],
            preferred.as_str()
        );
    }
    // No preference: SELECT_CHALLENGE lists the factors; a passkey answers WEB_AUTHN.
    let (mut pool, _, passkey) = choice_pool(9);
    let flow = SignIn::choice(&config, "alice", None, None, None).unwrap();
    let outcome = drive(&mut pool, flow, |_, seen| match seen.name.as_str() {
        "SELECT_CHALLENGE" => {
            for factor in ["EMAIL_OTP", "SMS_OTP", "WEB_AUTHN"] {
                assert!(
                    seen.available.iter().any(|a| a == factor),
                    "{factor} in {:?}",
                    seen.available
                );
            }
            Do::Factor(FirstFactor::WebAuthn)
        }
        "WEB_AUTHN" => Do::WebAuthn(
            passkey
                .assertion(seen.params["CREDENTIAL_REQUEST_OPTIONS"].as_str().unwrap())
                .unwrap(),
        ),
        other => panic!("{other}"),
    })
    .unwrap();
    assert_eq!(outcome.challenges, ["SELECT_CHALLENGE", "WEB_AUTHN"]);
    // SELECT_CHALLENGE answered with PASSWORD_SRP: SRP_A goes with the answer.
    let (mut pool, _, _) = choice_pool(10);
    let flow = SignIn::choice(&config, "alice", None, Some(PASSWORD), Some(eph(&mut rng))).unwrap();
    let outcome = drive(&mut pool, flow, |_, _| Do::Factor(FirstFactor::PasswordSrp)).unwrap();
    assert_eq!(outcome.challenges, ["SELECT_CHALLENGE"]);
    assert_eq!(
        operations_and_challenges(&pool),
        [
            "InitiateAuth",
            "RespondToAuthChallenge SELECT_CHALLENGE",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );
}

#[test]
fn remembered_device_skips_mfa_and_refresh_needs_its_key() {
    let user = UserOptions {
        phone_number: Some(PHONE.into()),
        sms_mfa: true,
        ..UserOptions::default()
    };
    let mut pool = UserPool::new(POOL_ID, 11);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: Some(SECRET.into()),
            device_tracking: DeviceTracking::Always,
        },
    );
    pool.set_mfa_configuration(mfa(MfaMode::On));
    pool.add_user_with("alice", PASSWORD, user);
    let config = config().with_client_secret(SECRET);
    let mut rng = rng(11);
    let sms = |pool: &mut UserPool, seen: &Seen| {
        assert_eq!(seen.name, "SMS_MFA");
        Do::Code(pool.last_code_sent(PHONE).unwrap())
    };
    let first = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        sms,
    )
    .unwrap();
    assert_eq!(first.challenges, ["SMS_MFA"]);
    let (device_key, group_key) = first.new_device.unwrap();
    let verifier = DeviceVerifier::generate(&group_key, &device_key, &mut rng);
    let confirm = ConfirmDevice {
        access_token: &first.access_token,
        device_key: &device_key,
        verifier: &verifier,
        device_name: None,
    };
    let mut buf = [0u8; 4096];
    let request = confirm.write_request(&mut buf).unwrap();
    let (status, _, body) = exchange(&mut pool, request.operation.name(), request.body);
    assert!(!ConfirmDevice::read_reply(&HttpResponse::new(status, &body)).unwrap());

    // The remembered device proves itself and MFA is skipped.
    let device = RememberedDevice {
        device_key: &device_key,
        device_group_key: &group_key,
        device_password: verifier.device_password(),
    };
    let start = pool.requests().len();
    let second = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng))
            .unwrap()
            .with_device(&device, eph(&mut rng)),
        no_challenges,
    )
    .unwrap();
    assert!(second.challenges.is_empty());
    assert_eq!(
        operations_and_challenges(&pool)[start..],
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );

    // Refresh: SECRET_HASH over the real username, which only the token knows.
    let mut claims_buf = [0u8; 2048];
    let claims = decode_claims(&second.access_token, &mut claims_buf).unwrap();
    let username = claims
        .username()
        .unwrap()
        .unwrap()
        .as_plain()
        .unwrap()
        .to_owned();
    assert_eq!(
        claims.device_key().unwrap().unwrap().as_plain(),
        Some(device_key.as_str())
    );
    let refresh_token = second.refresh_token.clone().unwrap();
    let refresh = |pool: &mut UserPool, device_key: Option<&str>| {
        let mut refresh = Refresh::new(&config, &refresh_token)
            .unwrap()
            .with_username(&username);
        if let Some(key) = device_key {
            refresh = refresh.with_device_key(key);
        }
        let mut buf = [0u8; 4096];
        let request = refresh.write_request(&mut buf).unwrap();
        let (status, error_type, body) = exchange(pool, request.operation.name(), request.body);
        let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        refresh.handle_response(&response).map(|t| {
            (
                t.access_token.to_owned(),
                t.refresh_token.map(str::to_owned),
            )
        })
    };
    let (access, rotated) = refresh(&mut pool, Some(&device_key)).unwrap();
    assert!(pool.verify_access_token(&access).is_some());
    assert_eq!(rotated, None);
    match refresh(&mut pool, None) {
        Err(Error::Service(e)) => assert_eq!(e.message(), "Invalid Refresh Token"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn refresh_token_rotation_and_the_token_set() {
    let mut pool = UserPool::new(POOL_ID, 12);
    pool.add_client(CLIENT_ID, None);
    pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            ..ClientSettings::default()
        },
    );
    pool.add_user("alice", PASSWORD);
    let config = config();
    let mut rng = rng(12);
    let mut buf = vec![0u8; 16384];
    let mut flow = SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap();
    let mut tokens = loop {
        let request = flow.write_request(&mut buf).unwrap();
        let (status, error_type, body) =
            exchange(&mut pool, request.operation.name(), request.body);
        let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        if let Step::Authenticated(result) = flow
            .handle_response(&response, UnixTime::from_secs(pool.now()))
            .unwrap()
        {
            break TokenSet::<4096, 4096, 2048>::from_auth_result(
                &result,
                UnixTime::from_secs(pool.now()),
            )
            .unwrap();
        }
    };
    assert!(!tokens.needs_refresh(UnixTime::from_secs(pool.now()), 300));
    pool.advance(3500);
    assert!(tokens.needs_refresh(UnixTime::from_secs(pool.now()), 300));

    let old_refresh = tokens.refresh_token().unwrap().to_owned();
    let mut refresh = Refresh::new(&config, &old_refresh)
        .unwrap()
        .using(RefreshOperation::GetTokensFromRefreshToken);
    let request = refresh.write_request(&mut buf).unwrap();
    let (status, _, body) = exchange(&mut pool, request.operation.name(), request.body);
    let result = refresh
        .handle_response(&HttpResponse::new(status, &body))
        .unwrap();
    assert!(
        result.refresh_token.is_some(),
        "rotation returns a new refresh token"
    );
    tokens
        .update_from_refresh(&result, UnixTime::from_secs(pool.now()))
        .unwrap();
    assert_ne!(tokens.refresh_token().unwrap(), old_refresh);
    assert!(!tokens.needs_refresh(UnixTime::from_secs(pool.now()), 300));
    assert!(pool.verify_access_token(tokens.access_token()).is_some());
}

#[test]
fn an_expired_session_ends_the_sign_in() {
    let user = UserOptions {
        phone_number: Some(PHONE.into()),
        sms_mfa: true,
        ..UserOptions::default()
    };
    let (mut pool, _) = pool_with(13, mfa(MfaMode::Optional), user);
    let config = config();
    let result = drive(
        &mut pool,
        SignIn::password(&config, "alice", PASSWORD).unwrap(),
        |pool, _| {
            let code = pool.last_code_sent(PHONE).unwrap();
            pool.advance(cognito_tests::pool::SESSION_LIFETIME_SECS + 1);
            Do::Code(code)
        },
    );
    match result {
        Err(Error::Service(e)) => assert_eq!(e.kind(), ErrorKind::NotAuthorized, "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn user_opt_in_device_is_remembered_with_update_device_status() {
    use cognito_core::auth::{DeviceCredentials, NewDeviceMetadata, read_update_device_status};
    let user = UserOptions {
        phone_number: Some(PHONE.into()),
        sms_mfa: true,
        ..UserOptions::default()
    };
    let mut pool = UserPool::new(POOL_ID, 14);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: None,
            device_tracking: DeviceTracking::UserOptIn,
        },
    );
    pool.set_mfa_configuration(mfa(MfaMode::Optional));
    pool.add_user_with("alice", PASSWORD, user);
    let config = config();
    let mut rng = rng(14);
    let sms = |pool: &mut UserPool, seen: &Seen| {
        assert_eq!(seen.name, "SMS_MFA");
        Do::Code(pool.last_code_sent(PHONE).unwrap())
    };
    let first = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
        sms,
    )
    .unwrap();
    let (key, group) = first.new_device.unwrap();
    let offer = NewDeviceMetadata {
        device_key: &key,
        device_group_key: &group,
    };
    let (device, verifier) = DeviceCredentials::generate(&offer, &mut rng).unwrap();
    let mut buf = [0u8; 4096];
    let request = device
        .write_confirm_device(&first.access_token, &verifier, Some("sensor"), &mut buf)
        .unwrap();
    let (status, _, body) = exchange(&mut pool, request.operation.name(), request.body);
    assert!(
        ConfirmDevice::read_reply(&HttpResponse::new(status, &body)).unwrap(),
        "the user must opt in"
    );

    // Not yet remembered: device SRP runs, but MFA is still asked.
    let remembered = device.as_remembered();
    let second = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng))
            .unwrap()
            .with_device(&remembered, eph(&mut rng)),
        sms,
    )
    .unwrap();
    assert_eq!(second.challenges, ["SMS_MFA"]);

    let request = device
        .write_update_device_status(&second.access_token, true, &mut buf)
        .unwrap();
    assert_eq!(request.operation.name(), "UpdateDeviceStatus");
    let (status, error_type, body) = exchange(&mut pool, request.operation.name(), request.body);
    read_update_device_status(
        &HttpResponse::new(status, &body).with_error_type(error_type.as_deref()),
    )
    .unwrap();
    assert_eq!(pool.device_info(&key).unwrap().remembered, Some(true));

    // Persisted and restored, the remembered device now skips MFA.
    let restored = DeviceCredentials::new(
        device.device_key(),
        device.device_group_key(),
        device.device_password(),
    )
    .unwrap();
    let remembered = restored.as_remembered();
    let third = drive(
        &mut pool,
        SignIn::srp(&config, "alice", PASSWORD, eph(&mut rng))
            .unwrap()
            .with_device(&remembered, eph(&mut rng)),
        no_challenges,
    )
    .unwrap();
    assert!(third.challenges.is_empty());
}
