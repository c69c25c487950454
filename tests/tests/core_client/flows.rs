//! Transcripts of every sign-in flow and challenge: `cognito-core`'s `SignIn` (the client) against
//! the in-memory emulator (an independent server that sends codes, checks TOTP, rotates and
//! expires Sessions). Each test asserts the sequence of operations and challenges.

use cognito_core::account::{DeliveryMedium, UpdateDeviceStatus};
use cognito_core::auth::{
    ChallengeKind, ClientConfig, CodeKind, DeviceCredentials, FirstFactor, MfaType, Refresh,
    RefreshOperation, SignIn, Step,
};
use cognito_core::time::UnixTime;
use cognito_core::token::{TokenSet, decode_claims};
use cognito_core::wire::ErrorKind;
use cognito_tests::fixtures::driver::{Pair, Prompt, Tokens, UserAnswer};
use cognito_tests::fixtures::wrong_code;
use cognito_tests::pool::{
    AppClientOptions, ClientSettings, CustomAuthScript, CustomRound, DeviceTracking,
    FirstAuthFactor, MfaConfiguration, MfaMode, Passkey, UserOptions, UserPool, UserStatus,
};
use rand_chacha::ChaCha20Rng;

use crate::support::{confirm_offered_device, eph, kind, rng, sign_in_with_passkey};

const POOL_ID: &str = "us-east-1_FlowPool";
const CLIENT_ID: &str = "flowclient0id0000000000000";
const SECRET: &str = "flowsecret0000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PHONE: &str = "+15555550100";
const EMAIL: &str = "alice@example.com";

fn pair_with(seed: u64, mfa: MfaConfiguration, user: UserOptions) -> Pair {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.set_mfa_configuration(mfa);
    pool.add_user_with("alice", PASSWORD, user);
    Pair::new(pool)
}

/// A user with a phone number and SMS MFA.
fn sms_user() -> UserOptions {
    UserOptions {
        phone_number: Some(PHONE.into()),
        sms_mfa: true,
        ..UserOptions::default()
    }
}

fn mfa(mode: MfaMode) -> MfaConfiguration {
    MfaConfiguration {
        mode,
        sms: true,
        software_token: true,
        email: true,
    }
}

fn config() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

/// The challenge a prompt hands over (fails the test on anything else).
fn challenge<'r>(prompt: Prompt<'r>) -> cognito_core::auth::Challenge<'r> {
    match prompt {
        Prompt::Challenge(c) => c,
        other => panic!("expected a challenge, got {other:?}"),
    }
}

/// The code an `MfaCode` challenge of `kind` asks for: the one the pool sent to `destination`.
fn sent_code(pool: &UserPool, prompt: Prompt<'_>, kind: CodeKind, destination: &str) -> UserAnswer {
    match challenge(prompt).kind() {
        ChallengeKind::MfaCode { kind: asked, .. } => assert_eq!(asked, kind),
        other => panic!("{other:?}"),
    }
    UserAnswer::Code(pool.last_code_sent(destination).unwrap())
}

/// The TOTP code of `secret` on the pool's clock, by the core's own RFC 6238 generator.
fn totp(pool: &UserPool, secret: &str) -> String {
    cognito_core::totp::code(secret, UnixTime::from_secs(pool.now()))
        .unwrap()
        .to_string()
}

#[test]
fn srp_then_sms_mfa_with_a_wrong_code_first() {
    let mut pair = pair_with(1, mfa(MfaMode::Optional), sms_user());
    let config = config();
    let mut rng = rng(1);
    let mut flow: SignIn = alice_srp(&config, None, &mut rng);
    let outcome = pair
        .sign_in(&mut flow, |pool, prompt| {
            let code = pool.last_code_sent(PHONE).unwrap();
            match prompt {
                Prompt::Challenge(c) => {
                    assert_eq!(c.name().as_str(), "SMS_MFA");
                    match c.kind() {
                        ChallengeKind::MfaCode {
                            kind: CodeKind::SmsMfa,
                            destination,
                            medium,
                        } => {
                            assert!(destination.unwrap().raw().ends_with("0100"));
                            assert_eq!(medium, Some(DeliveryMedium::Sms));
                        }
                        other => panic!("{other:?}"),
                    }
                    Some(UserAnswer::Code(wrong_code(&code).to_owned()))
                }
                // The wrong code is refused, and the same challenge waits for another answer.
                Prompt::Refused { challenge, error } => {
                    assert_eq!(challenge, "SMS_MFA");
                    assert_eq!(error.kind(), ErrorKind::CodeMismatch);
                    assert!(error.refuses_answer());
                    Some(UserAnswer::Code(code))
                }
                other => panic!("{other:?}"),
            }
        })
        .unwrap();
    assert_eq!(outcome.steps, ["SMS_MFA", "REFUSED CodeMismatchException"]);
    assert_eq!(
        pair.transcript(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge SMS_MFA",
            "RespondToAuthChallenge SMS_MFA",
        ]
    );
    // Both answers carried the same (newest) Session.
    let answers: Vec<_> = pair.pool.requests()[2..]
        .iter()
        .map(|r| r.body["Session"].clone())
        .collect();
    assert_eq!(answers[0], answers[1]);
}

#[test]
fn password_auth_then_software_token_mfa_from_the_core_totp() {
    let mut pair = pair_with(2, mfa(MfaMode::Optional), UserOptions::default());
    let secret = pair.pool.enable_totp("alice").unwrap();
    let config = config();
    let outcome = pair
        .sign_in(
            &mut SignIn::password(&config, "alice", PASSWORD).unwrap(),
            |pool, prompt| {
                let c = challenge(prompt);
                assert_eq!(c.name().as_str(), "SOFTWARE_TOKEN_MFA");
                assert!(matches!(
                    c.kind(),
                    ChallengeKind::MfaCode {
                        kind: CodeKind::SoftwareTokenMfa,
                        ..
                    }
                ));
                Some(UserAnswer::Code(totp(pool, &secret)))
            },
        )
        .unwrap();
    assert_eq!(outcome.steps, ["SOFTWARE_TOKEN_MFA"]);
    assert_eq!(
        pair.transcript(),
        ["InitiateAuth", "RespondToAuthChallenge SOFTWARE_TOKEN_MFA"]
    );
    assert_eq!(
        pair.pool.requests()[0].body["AuthFlow"],
        "USER_PASSWORD_AUTH"
    );
    assert_eq!(
        pair.sent()[0].auth_flow.as_deref(),
        Some("USER_PASSWORD_AUTH")
    );
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
    let mut pair = pair_with(3, mfa(MfaMode::Optional), user);
    let config = config();
    let mut rng = rng(3);
    let outcome = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), |pool, prompt| {
            let c = challenge(prompt);
            match c.kind() {
                ChallengeKind::SelectMfaType(can_choose) => {
                    assert!(can_choose.contains(MfaType::Email), "{can_choose:?}");
                    assert!(can_choose.names().contains("EMAIL_OTP"));
                    Some(UserAnswer::MfaType(MfaType::Email))
                }
                ChallengeKind::MfaCode {
                    kind: CodeKind::EmailOtp,
                    ..
                } => Some(UserAnswer::Code(pool.last_code_sent(EMAIL).unwrap())),
                other => panic!("{other:?}"),
            }
        })
        .unwrap();
    assert_eq!(outcome.steps, ["SELECT_MFA_TYPE", "EMAIL_OTP"]);
}

/// Sets up an authenticator app during sign-in (`MFA_SETUP`): the device enrols itself with the
/// core's own RFC 6238 generator.
fn set_up_totp(pool: &mut UserPool, prompt: Prompt<'_>) -> Option<UserAnswer> {
    match prompt {
        Prompt::Challenge(c) => {
            assert_eq!(c.name().as_str(), "MFA_SETUP");
            match c.kind() {
                ChallengeKind::MfaSetup(can_set_up) => {
                    assert!(can_set_up.contains(MfaType::SoftwareToken));
                }
                other => panic!("{other:?}"),
            }
            Some(UserAnswer::SetUpTotp)
        }
        Prompt::TotpSecret(secret) => Some(UserAnswer::VerifyTotp {
            code: totp(pool, secret),
            friendly_name: Some("core-totp".into()),
        }),
        other => panic!("{other:?}"),
    }
}

#[test]
fn mfa_setup_with_totp_during_sign_in_then_totp_next_time() {
    let mut pair = pair_with(
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
    let outcome = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), set_up_totp)
        .unwrap();
    assert_eq!(outcome.steps, ["MFA_SETUP", "TOTP_SECRET"]);
    assert_eq!(
        pair.transcript(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "AssociateSoftwareToken",
            "VerifySoftwareToken",
            "RespondToAuthChallenge MFA_SETUP",
        ]
    );
    // Each step carried the Session the previous reply gave.
    let sessions: Vec<_> = pair.pool.requests()[2..]
        .iter()
        .map(|r| r.body["Session"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sessions.len(), 3);
    assert!(sessions[0] != sessions[1] && sessions[1] != sessions[2]);
    assert_eq!(
        pair.pool.requests()[3].body["FriendlyDeviceName"],
        "core-totp"
    );

    let secret = pair.pool.totp_secret("alice").unwrap();
    let outcome = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), |pool, prompt| {
            assert_eq!(challenge(prompt).name().as_str(), "SOFTWARE_TOKEN_MFA");
            Some(UserAnswer::Code(totp(pool, &secret)))
        })
        .unwrap();
    assert_eq!(outcome.steps, ["SOFTWARE_TOKEN_MFA"]);
}

#[test]
fn mfa_setup_with_email() {
    let mode = MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: false,
        email: true,
    };
    let mut pair = pair_with(5, mode, UserOptions::default());
    let config = config();
    let outcome = pair
        .sign_in(
            &mut SignIn::password(&config, "alice", PASSWORD).unwrap(),
            |pool, prompt| {
                let c = challenge(prompt);
                match (c.name().as_str(), c.kind()) {
                    ("MFA_SETUP", ChallengeKind::MfaSetup(can_set_up)) => {
                        assert!(can_set_up.contains(MfaType::Email));
                        Some(UserAnswer::SetUpEmail(EMAIL.into()))
                    }
                    ("EMAIL_OTP", _) => Some(UserAnswer::Code(pool.last_code_sent(EMAIL).unwrap())),
                    other => panic!("{other:?}"),
                }
            },
        )
        .unwrap();
    assert_eq!(outcome.steps, ["MFA_SETUP", "EMAIL_OTP"]);
    assert!(pair.pool.user_mfa("alice").unwrap().email);
}

#[test]
fn new_password_required_with_a_required_attribute() {
    let user = UserOptions {
        status: UserStatus::ForceChangePassword,
        ..UserOptions::default()
    };
    let mut pair = pair_with(6, mfa(MfaMode::Off), user);
    pair.pool.set_required_attributes(&["name"]);
    let config = config();
    let mut rng = rng(6);
    let outcome = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), |_, prompt| {
            let c = challenge(prompt);
            assert_eq!(c.name().as_str(), "NEW_PASSWORD_REQUIRED");
            assert!(
                c.parameters()
                    .get("requiredAttributes")
                    .unwrap()
                    .raw()
                    .contains("userAttributes.name")
            );
            match c.kind() {
                ChallengeKind::NewPasswordRequired {
                    required_attributes,
                } => {
                    assert_eq!(required_attributes.len(), 1);
                    assert!(required_attributes.iter().all(|n| n.eq_str("name")));
                }
                other => panic!("{other:?}"),
            }
            Some(UserAnswer::NewPassword {
                password: "N3w-Passw0rd!".into(),
                attributes: vec![("name".into(), "Alice \"Al\" Smith".into())],
            })
        })
        .unwrap();
    assert_eq!(outcome.steps, ["NEW_PASSWORD_REQUIRED"]);
    assert_eq!(pair.pool.user_status("alice"), Some(UserStatus::Confirmed));
    assert_eq!(
        pair.pool.user_attributes("alice").unwrap()["name"],
        "Alice \"Al\" Smith"
    );
    // The new password works.
    let outcome = pair
        .sign_in(
            &mut SignIn::srp(&config, "alice", "N3w-Passw0rd!", eph(&mut rng)).unwrap(),
            |_, _| None,
        )
        .unwrap();
    assert!(outcome.steps.is_empty());
}

#[test]
fn custom_auth_plain_and_with_srp_first() {
    let mut pair = pair_with(7, mfa(MfaMode::Off), UserOptions::default());
    pair.pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: false,
        rounds: vec![
            CustomRound::new(&[("question", "2+2")], "4"),
            CustomRound::new(&[("question", "capital of France")], "Paris"),
        ],
        max_wrong_answers: 3,
    }));
    let config = config();
    let mut wrong_once = false;
    let outcome = pair
        .sign_in(
            &mut SignIn::custom(&config, "alice").unwrap(),
            |_, prompt| {
                let c = challenge(prompt);
                assert_eq!(c.name().as_str(), "CUSTOM_CHALLENGE");
                let ChallengeKind::Custom { parameters } = c.kind() else {
                    panic!("{:?}", c.kind());
                };
                let answer = match parameters.get("question").unwrap().as_plain().unwrap() {
                    "2+2" if !wrong_once => {
                        wrong_once = true;
                        "5"
                    }
                    "2+2" => "4",
                    _ => "Paris",
                };
                Some(UserAnswer::Custom(answer.into()))
            },
        )
        .unwrap();
    // A wrong answer re-asks the same round with a fresh Session.
    assert_eq!(
        outcome.steps,
        ["CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE", "CUSTOM_CHALLENGE"]
    );

    pair.pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: true,
        rounds: vec![CustomRound::new(&[("q", "x")], "y")],
        max_wrong_answers: 1,
    }));
    let mut rng = rng(7);
    let before = pair.pool.requests().len();
    let sent_before = pair.sent().len();
    let outcome = pair
        .sign_in(
            &mut SignIn::custom_with_srp(&config, "alice", PASSWORD, eph(&mut rng)).unwrap(),
            |_, _| Some(UserAnswer::Custom("y".into())),
        )
        .unwrap();
    assert_eq!(outcome.steps, ["CUSTOM_CHALLENGE"]);
    assert_eq!(
        pair.transcript()[sent_before..],
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge CUSTOM_CHALLENGE"
        ]
    );
    assert_eq!(
        pair.pool.requests()[before].body["AuthParameters"]["CHALLENGE_NAME"],
        "SRP_A"
    );
}

fn choice_pair(seed: u64) -> (Pair, Passkey) {
    let user = UserOptions {
        email: Some(EMAIL.into()),
        email_verified: true,
        phone_number: Some(PHONE.into()),
        phone_number_verified: true,
        ..UserOptions::default()
    };
    let mut pair = pair_with(seed, mfa(MfaMode::Off), user);
    pair.pool.set_allowed_first_auth_factors(&[
        FirstAuthFactor::EmailOtp,
        FirstAuthFactor::SmsOtp,
        FirstAuthFactor::WebAuthn,
    ]);
    let passkey = pair.pool.add_passkey("alice").unwrap();
    (pair, passkey)
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
        let (mut pair, _) = choice_pair(8);
        let mut flow = SignIn::choice(
            &config,
            "alice",
            Some(preferred),
            Some(PASSWORD),
            Some(eph(&mut rng)),
        )
        .unwrap();
        let outcome = pair
            .sign_in(&mut flow, |pool, prompt| match preferred {
                FirstFactor::EmailOtp => Some(sent_code(pool, prompt, CodeKind::EmailOtp, EMAIL)),
                FirstFactor::SmsOtp => Some(sent_code(pool, prompt, CodeKind::SmsOtp, PHONE)),
                other => panic!("{other}: {prompt:?}"),
            })
            .unwrap();
        assert_eq!(outcome.steps, expected, "{preferred}");
        assert_eq!(
            pair.pool.requests()[0].body["AuthParameters"]["PREFERRED_CHALLENGE"],
            preferred.as_str()
        );
    }
    // No preference: SELECT_CHALLENGE lists the factors; a passkey answers WEB_AUTHN.
    let (mut pair, passkey) = choice_pair(9);
    let mut flow = SignIn::choice(&config, "alice", None, None, None).unwrap();
    let outcome = pair
        .sign_in(&mut flow, |_, prompt| {
            if let Prompt::Challenge(c) = &prompt
                && let ChallengeKind::SelectChallenge(factors) = c.kind()
            {
                let available: Vec<String> = c
                    .available_challenges()
                    .unwrap()
                    .iter()
                    .map(|v| v.as_str().unwrap().raw().to_owned())
                    .collect();
                for factor in [
                    FirstFactor::EmailOtp,
                    FirstFactor::SmsOtp,
                    FirstFactor::WebAuthn,
                ] {
                    assert!(
                        available.iter().any(|a| a == factor.as_str()),
                        "{factor} in {available:?}"
                    );
                    assert!(factors.contains(factor), "{factor}");
                }
            }
            sign_in_with_passkey(&passkey, prompt)
        })
        .unwrap();
    assert_eq!(outcome.steps, ["SELECT_CHALLENGE", "WEB_AUTHN"]);
    // SELECT_CHALLENGE answered with PASSWORD_SRP: SRP_A goes with the answer.
    let (mut pair, _) = choice_pair(10);
    let mut flow =
        SignIn::choice(&config, "alice", None, Some(PASSWORD), Some(eph(&mut rng))).unwrap();
    let outcome = pair
        .sign_in(&mut flow, |_, _| {
            Some(UserAnswer::FirstFactor(FirstFactor::PasswordSrp))
        })
        .unwrap();
    assert_eq!(outcome.steps, ["SELECT_CHALLENGE"]);
    assert_eq!(
        pair.transcript(),
        [
            "InitiateAuth",
            "RespondToAuthChallenge SELECT_CHALLENGE",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );
}

/// alice, with SMS MFA, in a pool (MFA `mode`) whose app client has `secret` and tracks devices
/// as `tracking` says.
fn device_pair(seed: u64, secret: Option<&str>, tracking: DeviceTracking, mode: MfaMode) -> Pair {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: tracking,
        },
    );
    pool.set_mfa_configuration(mfa(mode));
    pool.add_user_with("alice", PASSWORD, sms_user());
    Pair::new(pool)
}

/// alice's SRP sign-in, as the remembered `device` when given.
fn alice_srp(
    config: &ClientConfig,
    device: Option<&DeviceCredentials>,
    rng: &mut ChaCha20Rng,
) -> SignIn {
    let flow = SignIn::srp(config, "alice", PASSWORD, eph(rng)).unwrap();
    match device {
        Some(device) => flow.with_device(device, eph(rng)),
        None => flow,
    }
}

/// Answers `SMS_MFA` with the code the pool sent.
fn sms(pool: &mut UserPool, prompt: Prompt<'_>) -> Option<UserAnswer> {
    let c = challenge(prompt);
    assert_eq!(c.name().as_str(), "SMS_MFA");
    Some(UserAnswer::Code(pool.last_code_sent(PHONE).unwrap()))
}

#[test]
fn remembered_device_skips_mfa_and_refresh_needs_its_key() {
    let mut pair = device_pair(11, Some(SECRET), DeviceTracking::Always, MfaMode::On);
    let config = config().with_client_secret(SECRET).unwrap();
    let mut rng = rng(11);
    let first = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), sms)
        .unwrap();
    assert_eq!(first.steps, ["SMS_MFA"]);
    let (device, opt_in) =
        confirm_offered_device(&mut pair, &config, &first.tokens, None, &mut rng);
    assert!(!opt_in);
    let device_key = device.device_key().to_owned();

    // The remembered device proves itself and MFA is skipped.
    let start = pair.sent().len();
    let second = pair
        .sign_in(&mut alice_srp(&config, Some(&device), &mut rng), |_, _| {
            None
        })
        .unwrap();
    assert!(second.steps.is_empty());
    assert_eq!(
        pair.transcript()[start..],
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );

    // Refresh: SECRET_HASH over the real username, which only the token knows.
    let mut claims_buf = [0u8; 2048];
    let claims = decode_claims(&second.tokens.access_token, &mut claims_buf).unwrap();
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
    let refresh_token = second.tokens.refresh_token.clone().unwrap();
    let refresh = |pair: &mut Pair, device_key: Option<&str>| {
        let mut refresh: Refresh = Refresh::new(&config, &refresh_token)
            .unwrap()
            .with_username(&username)
            .unwrap();
        if let Some(key) = device_key {
            refresh = refresh.with_device_key(key).unwrap();
        }
        pair.drive(&mut refresh, |t| Tokens::from(&t))
    };
    let refreshed = refresh(&mut pair, Some(&device_key)).unwrap();
    assert!(
        pair.pool
            .verify_access_token(&refreshed.access_token)
            .is_some()
    );
    assert_eq!(refreshed.refresh_token, None);
    assert_eq!(
        pair.sent().last().unwrap().auth_flow.as_deref(),
        Some("REFRESH_TOKEN_AUTH")
    );
    match refresh(&mut pair, None) {
        Err(e) => assert_eq!(e.service().unwrap().message(), "Invalid Refresh Token"),
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
    let mut pair = Pair::new(pool);
    let config = config();
    let mut rng = rng(12);
    let mut flow: SignIn = alice_srp(&config, None, &mut rng);
    let now = pair.now();
    let mut tokens = pair
        .drive(&mut flow, |step| match step {
            Step::Authenticated(result) => {
                Some(TokenSet::<4096, 4096, 2048>::from_auth_result(&result, now).unwrap())
            }
            _ => None,
        })
        .unwrap()
        .unwrap();
    assert!(!tokens.needs_refresh(pair.now(), 300));
    pair.pool.advance(3500);
    assert!(tokens.needs_refresh(pair.now(), 300));

    let old_refresh = tokens.refresh_token().unwrap().to_owned();
    let mut refresh: Refresh = Refresh::new(&config, &old_refresh)
        .unwrap()
        .using(RefreshOperation::GetTokensFromRefreshToken);
    let now = pair.now();
    pair.drive(&mut refresh, |result| {
        assert!(
            result.refresh_token.is_some(),
            "rotation returns a new refresh token"
        );
        tokens.update_from_refresh(&result, now).unwrap();
    })
    .unwrap();
    assert_eq!(
        pair.transcript().last().unwrap(),
        "GetTokensFromRefreshToken"
    );
    assert_ne!(tokens.refresh_token().unwrap(), old_refresh);
    assert!(!tokens.needs_refresh(pair.now(), 300));
    assert!(
        pair.pool
            .verify_access_token(tokens.access_token())
            .is_some()
    );
}

#[test]
fn an_expired_session_ends_the_sign_in() {
    let mut pair = pair_with(13, mfa(MfaMode::Optional), sms_user());
    let config = config();
    let result = pair.sign_in(
        &mut SignIn::password(&config, "alice", PASSWORD).unwrap(),
        |pool, _| {
            let code = pool.last_code_sent(PHONE).unwrap();
            pool.advance(cognito_tests::pool::SESSION_LIFETIME_SECS + 1);
            Some(UserAnswer::Code(code))
        },
    );
    assert_eq!(kind(result), ErrorKind::NotAuthorized);
}

#[test]
fn user_opt_in_device_is_remembered_with_update_device_status() {
    let mut pair = device_pair(14, None, DeviceTracking::UserOptIn, MfaMode::Optional);
    let config = config();
    let mut rng = rng(14);
    let first = pair
        .sign_in(&mut alice_srp(&config, None, &mut rng), sms)
        .unwrap();
    let (device, opt_in) =
        confirm_offered_device(&mut pair, &config, &first.tokens, Some("sensor"), &mut rng);
    assert!(opt_in, "the user must opt in");
    let key = device.device_key().to_owned();

    // Not yet remembered: device SRP runs, but MFA is still asked.
    let second = pair
        .sign_in(&mut alice_srp(&config, Some(&device), &mut rng), sms)
        .unwrap();
    assert_eq!(second.steps, ["SMS_MFA"]);

    let update = UpdateDeviceStatus {
        access_token: &second.tokens.access_token,
        device_key: device.device_key(),
        remembered: true,
    };
    pair.call(&config, update, |()| ()).unwrap();
    assert_eq!(pair.transcript().last().unwrap(), "UpdateDeviceStatus");
    assert_eq!(pair.pool.device_info(&key).unwrap().remembered, Some(true));

    // Persisted and restored, the remembered device now skips MFA.
    let restored = DeviceCredentials::new(
        device.device_key(),
        device.device_group_key(),
        device.device_password(),
    )
    .unwrap();
    let third = pair
        .sign_in(
            &mut alice_srp(&config, Some(&restored), &mut rng),
            |_, _| None,
        )
        .unwrap();
    assert!(third.steps.is_empty());
}
