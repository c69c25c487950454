//! Sign-in paths answered through `PendingSignIn` over real HTTP against the emulator (MFA_SETUP
//! with an authenticator app or email, NEW_PASSWORD_REQUIRED, custom challenges, USER_AUTH
//! choices, SMS MFA, SELECT_MFA_TYPE, wrong codes answered again), refresh-token rotation with
//! `GetTokensFromRefreshToken`, and one test per account operation added for the CLI
//! (attributes, devices, auth factors, legacy MFA settings, passkeys, auth-event feedback).

use cognito_std::{
    Client, CodeKind, Config, DeliveryMedium, Error, FirstFactor, MfaOptionSetting, MfaType,
    Options, PendingSignIn, RefreshOperation, SignInAnswer, SignInRequest, SignInStep,
};
use cognito_tests::fixtures::{
    bounded, last_code, last_request, operations, pool_with_client, totp_now, unix_now, with_pool,
    wrong_code,
};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{
    ClientSettings, CustomAuthScript, CustomRound, DeviceTracking, FirstAuthFactor,
    MfaConfiguration, MfaFactor, MfaMode, Passkey, SignInAliases, UserMfaSettings, UserOptions,
    UserPool, UserStatus,
};

const POOL_ID: &str = "us-east-1_FlowPool";
const CLIENT_ID: &str = "flowclient0000000000000000";
const SECRET: &str = "flowsecret00000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const NEW_PASSWORD: &str = "N3w-Battery-Staple!";
const PHONE: &str = "+15555550123";
const EMAIL: &str = "alice@example.com";

fn config(server: &EmulatorServer, secret: Option<&str>) -> Config {
    let config = Config::new(POOL_ID, CLIENT_ID).with_endpoint(server.url());
    match secret {
        Some(s) => config.with_client_secret(s),
        None => config,
    }
}

/// Serves `pool` on loopback (until the server is dropped); an async client of it, with `secret`.
fn serve(pool: UserPool, secret: Option<&str>) -> (EmulatorServer, Client) {
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    let client = Client::new(config(&server, secret)).unwrap();
    (server, client)
}

/// A pool with one public app client (or one with `secret`).
fn new_pool(seed: u64, secret: Option<&str>, tracking: DeviceTracking) -> UserPool {
    pool_with_client(POOL_ID, CLIENT_ID, seed, secret, tracking)
}

fn mfa(mode: MfaMode, sms: bool, software_token: bool, email: bool) -> MfaConfiguration {
    MfaConfiguration {
        mode,
        sms,
        software_token,
        email,
    }
}

fn done(pending: PendingSignIn) -> cognito_std::Session {
    match pending.into_session() {
        Ok(session) => session,
        Err(pending) => panic!("not signed in: {:?}", pending.step()),
    }
}

/// Answers `pending` with `answer`, which finishes the sign-in.
async fn answer_done(pending: &mut PendingSignIn, answer: SignInAnswer) {
    let step = pending.answer(answer).await.unwrap();
    assert!(matches!(step, SignInStep::Done(_)), "{step:?}");
}

/// Answers `pending` with a code that is not `code`: CodeMismatchException.
async fn answer_wrong_code(pending: &mut PendingSignIn, code: &str) {
    let err = pending
        .answer(SignInAnswer::code(wrong_code(code)))
        .await
        .unwrap_err();
    assert_eq!(err.service().unwrap().name(), "CodeMismatchException");
    assert!(err.is_answer_refused(), "{err:?}");
}

/// `step` asks for a code of kind `expected`.
fn assert_asks_code(step: &SignInStep, expected: CodeKind) {
    assert!(
        matches!(step, SignInStep::MfaCode { kind, .. } if *kind == expected),
        "{step:?}"
    );
}

#[tokio::test]
async fn mfa_setup_with_an_authenticator_app_then_totp_mfa_with_a_wrong_code() {
    bounded(async {
        let mut pool = new_pool(11, Some(SECRET), DeviceTracking::Off);
        pool.set_mfa_configuration(mfa(MfaMode::On, false, true, false));
        pool.add_user("alice", PASSWORD);
        let (server, client) = serve(pool, Some(SECRET));

        let mut pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        let SignInStep::MfaSetup { available, offered } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(available, &[MfaType::SoftwareToken]);
        assert_eq!(offered, &["SOFTWARE_TOKEN_MFA"]);
        let step = pending.answer(SignInAnswer::SetUpTotp).await.unwrap();
        let SignInStep::TotpSetup { secret } = step else {
            panic!("{step:?}")
        };
        let secret = secret.clone();
        // The secret the emulator keeps is the one handed out.
        assert!(
            !format!("{step:?}").contains(secret.as_str()),
            "secret not in Debug"
        );

        // A wrong first code: EnableSoftwareTokenMFAException, and the same step waits for
        // another code (Cognito keeps the session).
        let code = totp_now(&server, &secret).unwrap();
        let err = pending
            .answer(SignInAnswer::VerifyTotp {
                code: wrong_code(&code).to_owned(),
                friendly_name: None,
            })
            .await
            .unwrap_err();
        assert_eq!(
            err.service().unwrap().name(),
            "EnableSoftwareTokenMFAException"
        );
        assert!(err.is_answer_refused(), "{err:?}");
        assert!(!pending.is_finished());
        assert!(matches!(pending.step(), SignInStep::TotpSetup { .. }));

        // The right code in the same sign-in.
        answer_done(
            &mut pending,
            SignInAnswer::VerifyTotp {
                code: totp_now(&server, &secret).unwrap(),
                friendly_name: Some("phone".to_owned()),
            },
        )
        .await;
        let session = done(pending);
        assert_eq!(
            operations(&server),
            [
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "AssociateSoftwareToken",
                "VerifySoftwareToken",
                "VerifySoftwareToken",
                "RespondToAuthChallenge MFA_SETUP",
            ]
        );
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.mfa_settings, ["SOFTWARE_TOKEN_MFA"]);

        // The next sign-in asks for a TOTP code; a wrong one is answered again.
        let mut pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        assert_asks_code(pending.step(), CodeKind::SoftwareTokenMfa);
        let code = totp_now(&server, &secret).unwrap();
        answer_wrong_code(&mut pending, &code).await;
        answer_done(
            &mut pending,
            SignInAnswer::code(totp_now(&server, &secret).unwrap()),
        )
        .await;
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn mfa_setup_with_email_then_the_code_sent_there() {
    bounded(async {
        let mut pool = new_pool(12, None, DeviceTracking::Off);
        pool.set_mfa_configuration(mfa(MfaMode::On, false, true, true));
        pool.add_user("alice", PASSWORD);
        let (server, client) = serve(pool, None);

        let mut pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        let SignInStep::MfaSetup { available, offered } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert!(available.contains(&MfaType::Email), "{available:?}");
        assert!(
            offered.iter().any(|a| a.starts_with("EMAIL")),
            "{offered:?}"
        );
        let step = pending
            .answer(SignInAnswer::SetUpEmail(EMAIL.to_owned()))
            .await
            .unwrap();
        assert_asks_code(step, CodeKind::EmailOtp);
        let code = last_code(&server, EMAIL).unwrap();
        answer_done(&mut pending, SignInAnswer::code(code)).await;
        let session = done(pending);
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.attribute("email"), Some(EMAIL));
        assert_eq!(user.attribute("email_verified"), Some("true"));
        assert!(
            user.mfa_settings.iter().any(|m| m == "EMAIL_OTP"),
            "{user:?}"
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn new_password_required_with_a_required_attribute() {
    bounded(async {
        let mut pool = new_pool(13, Some(SECRET), DeviceTracking::Off);
        // The temporary password is fresh (it expires 7 days after the user was created).
        pool.set_time(unix_now());
        pool.set_required_attributes(&["name"]);
        pool.add_user_with(
            "alice",
            "Temp-Passw0rd!",
            UserOptions {
                email: Some(EMAIL.into()),
                email_verified: true,
                status: UserStatus::ForceChangePassword,
                ..UserOptions::default()
            },
        );
        let (_server, client) = serve(pool, Some(SECRET));

        let mut pending = client.sign_in_srp("alice", "Temp-Passw0rd!").await.unwrap();
        let SignInStep::NewPasswordRequired {
            required_attributes,
        } = pending.step()
        else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(required_attributes, &["name"]);

        // Without the required attribute: InvalidParameterException, and the same step waits
        // for another answer (Cognito keeps the session).
        let err = pending
            .answer(SignInAnswer::NewPassword {
                password: NEW_PASSWORD.to_owned(),
                attributes: Vec::new(),
            })
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "InvalidParameterException");
        assert!(err.is_answer_refused(), "{err:?}");
        assert!(!pending.is_finished());
        assert!(matches!(
            pending.step(),
            SignInStep::NewPasswordRequired { .. }
        ));

        // A password the policy refuses: InvalidPasswordException, the step still waits.
        let err = pending
            .answer(SignInAnswer::NewPassword {
                password: "short".to_owned(),
                attributes: vec![("name".to_owned(), "Alice Liddell".to_owned())],
            })
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "InvalidPasswordException");
        assert!(err.is_answer_refused(), "{err:?}");
        assert!(!pending.is_finished());

        answer_done(
            &mut pending,
            SignInAnswer::NewPassword {
                password: NEW_PASSWORD.to_owned(),
                attributes: vec![("name".to_owned(), "Alice Liddell".to_owned())],
            },
        )
        .await;
        let session = done(pending);
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.attribute("name"), Some("Alice Liddell"));

        // The new password is the password now; the temporary one is not.
        done(client.sign_in_srp("alice", NEW_PASSWORD).await.unwrap());
        let err = client
            .sign_in_srp("alice", "Temp-Passw0rd!")
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn custom_challenges_with_a_wrong_answer_then_the_right_one() {
    bounded(async {
        let mut pool = new_pool(14, Some(SECRET), DeviceTracking::Off);
        pool.add_user("alice", PASSWORD);
        pool.set_custom_auth(Some(CustomAuthScript {
            require_srp: false,
            rounds: vec![
                CustomRound::new(&[("question", "2+2")], "4"),
                CustomRound::new(&[("question", "capital of France")], "Paris"),
            ],
            max_wrong_answers: 3,
        }));
        let (_server, client) = serve(pool, Some(SECRET));

        let mut pending = client
            .sign_in(SignInRequest::custom("alice"))
            .await
            .unwrap();
        let SignInStep::CustomChallenge { parameters } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(parameters["question"], "2+2");
        // A wrong answer: the same round again.
        let step = pending
            .answer(SignInAnswer::Custom("5".to_owned()))
            .await
            .unwrap();
        let SignInStep::CustomChallenge { parameters } = step else {
            panic!("{step:?}")
        };
        assert_eq!(parameters["question"], "2+2");
        let step = pending
            .answer(SignInAnswer::Custom("4".to_owned()))
            .await
            .unwrap();
        let SignInStep::CustomChallenge { parameters } = step else {
            panic!("{step:?}")
        };
        assert_eq!(parameters["question"], "capital of France");
        answer_done(&mut pending, SignInAnswer::Custom("Paris".to_owned())).await;
        assert_eq!(done(pending).username, "alice");

        // Too many wrong answers end the sign-in.
        let mut pending = client
            .sign_in(SignInRequest::custom("alice"))
            .await
            .unwrap();
        for _ in 0..2 {
            let step = pending
                .answer(SignInAnswer::Custom("5".to_owned()))
                .await
                .unwrap();
            assert!(matches!(step, SignInStep::CustomChallenge { .. }));
        }
        let err = pending
            .answer(SignInAnswer::Custom("5".to_owned()))
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
        let again = pending.answer(SignInAnswer::Custom("4".to_owned())).await;
        assert!(matches!(again, Err(Error::SignInFinished)), "{again:?}");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn custom_challenge_after_srp() {
    bounded(async {
        let mut pool = new_pool(15, None, DeviceTracking::Off);
        pool.add_user("alice", PASSWORD);
        pool.set_custom_auth(Some(CustomAuthScript {
            require_srp: true,
            rounds: vec![CustomRound::new(&[("hint", "colour")], "blue")],
            max_wrong_answers: 1,
        }));
        let (server, client) = serve(pool, None);

        // Plain CUSTOM_AUTH is refused by this script.
        let err = client
            .sign_in(SignInRequest::custom("alice"))
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");

        let mut pending = client
            .sign_in(SignInRequest::custom_with_srp("alice", PASSWORD))
            .await
            .unwrap();
        let SignInStep::CustomChallenge { parameters } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(parameters["hint"], "colour");
        answer_done(&mut pending, SignInAnswer::Custom("blue".to_owned())).await;
        let ops = operations(&server);
        assert_eq!(
            ops[1..],
            [
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "RespondToAuthChallenge CUSTOM_CHALLENGE",
            ]
        );
    })
    .await
    .unwrap();
}

fn choice_pool(seed: u64) -> UserPool {
    let mut pool = new_pool(seed, Some(SECRET), DeviceTracking::Off);
    pool.set_allowed_first_auth_factors(&[FirstAuthFactor::EmailOtp, FirstAuthFactor::WebAuthn]);
    pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some(EMAIL.into()),
            email_verified: true,
            ..UserOptions::default()
        },
    );
    pool
}

#[tokio::test]
async fn user_auth_select_challenge_then_password_srp() {
    bounded(async {
        let (server, client) = serve(choice_pool(16), Some(SECRET));

        let mut pending = client
            .sign_in(SignInRequest::choice(
                "alice",
                None,
                Some(PASSWORD.to_owned()),
            ))
            .await
            .unwrap();
        let SignInStep::SelectChallenge { available, offered } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert!(
            available.contains(&FirstFactor::PasswordSrp),
            "{available:?}"
        );
        assert!(available.contains(&FirstFactor::EmailOtp), "{available:?}");
        assert!(offered.iter().any(|a| a == "PASSWORD_SRP"), "{offered:?}");
        answer_done(
            &mut pending,
            SignInAnswer::FirstFactor(FirstFactor::PasswordSrp),
        )
        .await;
        assert_eq!(done(pending).username, "alice");
        let ops = operations(&server);
        assert_eq!(ops[0], "InitiateAuth");
        assert_eq!(ops[1], "RespondToAuthChallenge SELECT_CHALLENGE");
        assert_eq!(ops[2..], ["RespondToAuthChallenge PASSWORD_VERIFIER"]);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn user_auth_email_otp_first_factor_with_a_wrong_code_first() {
    bounded(async {
        let (server, client) = serve(choice_pool(17), Some(SECRET));

        let mut pending = client
            .sign_in(SignInRequest::choice(
                "alice",
                Some(FirstFactor::EmailOtp),
                None,
            ))
            .await
            .unwrap();
        let SignInStep::MfaCode {
            kind,
            destination,
            medium,
        } = pending.step()
        else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(*kind, CodeKind::EmailOtp);
        assert!(destination.is_some());
        assert_eq!(*medium, Some(DeliveryMedium::Email));
        let code = last_code(&server, EMAIL).unwrap();
        answer_wrong_code(&mut pending, &code).await;
        answer_done(&mut pending, SignInAnswer::code(code)).await;
        let ops = operations(&server);
        assert_eq!(
            ops,
            [
                "InitiateAuth",
                "RespondToAuthChallenge EMAIL_OTP",
                "RespondToAuthChallenge EMAIL_OTP",
            ]
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn select_mfa_type_then_sms_mfa() {
    bounded(async {
        let mut pool = new_pool(18, None, DeviceTracking::Off);
        pool.set_mfa_configuration(mfa(MfaMode::Optional, true, true, true));
        pool.add_user_with(
            "alice",
            PASSWORD,
            UserOptions {
                phone_number: Some(PHONE.into()),
                sms_mfa: true,
                ..UserOptions::default()
            },
        );
        let secret = pool.enable_totp("alice").unwrap();
        assert!(pool.set_user_mfa(
            "alice",
            UserMfaSettings {
                sms: true,
                software_token: true,
                email: false,
                preferred: None,
            }
        ));
        let (server, client) = serve(pool, None);

        let mut pending = client.sign_in_password("alice", PASSWORD).await.unwrap();
        let SignInStep::SelectMfaType { available, offered } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        assert_eq!(available, &[MfaType::Sms, MfaType::SoftwareToken]);
        assert_eq!(offered, &["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
        let step = pending
            .answer(SignInAnswer::MfaType(MfaType::Sms))
            .await
            .unwrap();
        assert_asks_code(step, CodeKind::SmsMfa);
        // An answer that does not fit the step is refused before sending; the step stays.
        let err = pending.answer(SignInAnswer::SetUpTotp).await.unwrap_err();
        assert!(
            matches!(err, Error::Core(cognito_core::Error::Misuse(_))),
            "{err:?}"
        );
        assert!(!pending.is_finished());
        assert!(matches!(pending.step(), SignInStep::MfaCode { .. }));
        // A wrong SMS code, then the right one.
        let code = last_code(&server, PHONE).unwrap();
        answer_wrong_code(&mut pending, &code).await;
        answer_done(&mut pending, SignInAnswer::code(code)).await;
        assert_eq!(
            operations(&server),
            [
                "InitiateAuth",
                "RespondToAuthChallenge SELECT_MFA_TYPE",
                "RespondToAuthChallenge SMS_MFA",
                "RespondToAuthChallenge SMS_MFA",
            ]
        );

        // Choosing the authenticator app instead.
        let mut pending = client.sign_in_password("alice", PASSWORD).await.unwrap();
        let step = pending
            .answer(SignInAnswer::MfaType(MfaType::SoftwareToken))
            .await
            .unwrap();
        assert_asks_code(step, CodeKind::SoftwareTokenMfa);
        answer_done(
            &mut pending,
            SignInAnswer::code(totp_now(&server, &secret).unwrap()),
        )
        .await;
    })
    .await
    .unwrap();
}

fn rotating_pool(seed: u64, grace_secs: u64) -> UserPool {
    let mut pool = new_pool(seed, Some(SECRET), DeviceTracking::Off);
    assert!(pool.set_client_settings(
        CLIENT_ID,
        ClientSettings {
            refresh_token_rotation: true,
            rotation_grace_period_secs: grace_secs,
            ..ClientSettings::default()
        },
    ));
    pool.add_user("alice", PASSWORD);
    pool
}

fn rotating_options() -> Options {
    Options {
        refresh_operation: RefreshOperation::GetTokensFromRefreshToken,
        ..Options::default()
    }
}

#[tokio::test]
async fn refresh_with_get_tokens_from_refresh_token_rotates_the_refresh_token() {
    bounded(async {
        let server = EmulatorServer::start(rotating_pool(19, 0), "127.0.0.1:0").unwrap();
        let client =
            Client::with_options(config(&server, Some(SECRET)), rotating_options()).unwrap();
        let mut session = done(client.sign_in_srp("alice", PASSWORD).await.unwrap());
        let first = session.clone();

        client.refresh(&mut session).await.unwrap();
        assert_ne!(session.refresh_token, first.refresh_token, "rotated");
        assert_ne!(session.access_token, first.access_token);
        let last = last_request(&server).unwrap();
        assert_eq!(last.operation, "GetTokensFromRefreshToken");
        assert_eq!(last.body["ClientSecret"], SECRET);
        assert_eq!(
            last.body["RefreshToken"].as_str(),
            first.refresh_token.as_deref()
        );
        client.get_user(&session.access_token).await.unwrap();

        // The rotated-out refresh token no longer works; the new one does.
        let mut stale = first.clone();
        let err = client.refresh(&mut stale).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
        assert_eq!(stale.refresh_token, first.refresh_token, "left as it was");
        let second = session.refresh_token.clone();
        session.expires_at = 0;
        client.get_valid_tokens(&mut session).await.unwrap();
        assert_ne!(session.refresh_token, second);

        // The default operation (REFRESH_TOKEN_AUTH) is refused by a rotating client.
        let plain = Client::new(config(&server, Some(SECRET))).unwrap();
        let err = plain.refresh(&mut session).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "InvalidParameterException");
        // Not an answer to a sign-in challenge: a plain Cognito error.
        assert!(!err.is_answer_refused(), "{err:?}");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn get_tokens_from_refresh_token_without_rotation_keeps_the_refresh_token() {
    bounded(async {
        let mut pool = new_pool(20, None, DeviceTracking::Always);
        pool.add_user("alice", PASSWORD);
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let client = Client::with_options(config(&server, None), rotating_options()).unwrap();
        let mut session = done(client.sign_in_srp("alice", PASSWORD).await.unwrap());
        let device = session.device.clone().expect("device confirmed");
        let refresh_token = session.refresh_token.clone();
        client.refresh(&mut session).await.unwrap();
        assert_eq!(session.refresh_token, refresh_token);
        let last = last_request(&server).unwrap();
        assert_eq!(last.operation, "GetTokensFromRefreshToken");
        assert_eq!(last.body["DeviceKey"], device.key.as_str());
        assert!(last.body.get("ClientSecret").is_none());
    })
    .await
    .unwrap();
}

// ---- The account operations added for the CLI, one test each. ----

async fn signed_in(server: &EmulatorServer) -> (Client, cognito_std::Session) {
    let client = Client::new(config(server, None)).unwrap();
    let session = done(client.sign_in_srp("alice", PASSWORD).await.unwrap());
    (client, session)
}

#[tokio::test]
async fn delete_user_attributes_removes_them() {
    bounded(async {
        let mut pool = new_pool(21, None, DeviceTracking::Off);
        pool.add_user_with(
            "alice",
            PASSWORD,
            UserOptions {
                attributes: vec![
                    ("name".into(), "Alice".into()),
                    ("custom:team".into(), "red".into()),
                ],
                ..UserOptions::default()
            },
        );
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let (client, session) = signed_in(&server).await;
        client
            .delete_user_attributes(&session.access_token, &["custom:team", "nickname"])
            .await
            .unwrap();
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.attribute("custom:team"), None);
        assert_eq!(user.attribute("name"), Some("Alice"));
        let err = client
            .delete_user_attributes("not-a-token", &["name"])
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn get_device_update_device_status_and_remember_device() {
    bounded(async {
        let mut pool = new_pool(22, None, DeviceTracking::UserOptIn);
        pool.add_user("alice", PASSWORD);
        let (server, client) = serve(pool, None);
        // Confirmed but not remembered.
        let mut session = done(
            client
                .sign_in(SignInRequest::srp("alice", PASSWORD).remember_device(false))
                .await
                .unwrap(),
        );
        let key = session.device.as_ref().expect("confirmed").key.clone();
        let device = client
            .get_device(&session.access_token, &key)
            .await
            .unwrap();
        assert_eq!(device.key, key);
        assert_eq!(device.name(), Some("cognito-std"));
        assert_eq!(device.status(), Some("valid"));
        assert_eq!(device.remembered_status(), Some("not_remembered"));
        assert!(device.create_date.is_some());

        // Remembered afterwards, from the session alone.
        client.remember_device(&mut session).await.unwrap();
        let device = client
            .get_device(&session.access_token, &key)
            .await
            .unwrap();
        assert_eq!(device.remembered_status(), Some("remembered"));
        let info = with_pool(&server, |pool| pool.device_info(&key)).unwrap();
        assert_eq!(info.remembered, Some(true));

        // And not remembered again.
        client
            .update_device_status(&session.access_token, &key, false)
            .await
            .unwrap();
        let device = client
            .get_device(&session.access_token, &key)
            .await
            .unwrap();
        assert_eq!(device.remembered_status(), Some("not_remembered"));

        // Unknown devices and sessions without a device.
        let err = client
            .get_device(
                &session.access_token,
                "us-east-1_00000000-0000-0000-0000-000000000000",
            )
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "ResourceNotFoundException");
        session.device = None;
        let err = client.remember_device(&mut session).await.unwrap_err();
        assert!(matches!(err, Error::NoDevice), "{err:?}");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn get_user_auth_factors_lists_mfa_and_first_factors() {
    bounded(async {
        let mut pool = choice_pool(23);
        pool.set_mfa_configuration(mfa(MfaMode::Optional, true, true, true));
        assert!(pool.set_user_mfa(
            "alice",
            UserMfaSettings {
                sms: false,
                software_token: false,
                email: true,
                preferred: Some(MfaFactor::Email),
            }
        ));
        let (server, client) = serve(pool, Some(SECRET));
        let mut pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        let code = last_code(&server, EMAIL).unwrap();
        pending.answer(SignInAnswer::code(code)).await.unwrap();
        let session = done(pending);
        let factors = client
            .get_user_auth_factors(&session.access_token)
            .await
            .unwrap();
        assert_eq!(factors.username, "alice");
        assert_eq!(factors.preferred_mfa.as_deref(), Some("EMAIL_OTP"));
        assert_eq!(factors.mfa_settings, ["EMAIL_OTP"]);
        assert!(factors.configured_factors.iter().any(|f| f == "PASSWORD"));
        assert!(factors.configured_factors.iter().any(|f| f == "EMAIL_OTP"));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn set_user_settings_switches_legacy_sms_mfa() {
    bounded(async {
        let mut pool = new_pool(24, None, DeviceTracking::Off);
        pool.set_mfa_configuration(mfa(MfaMode::Optional, true, false, false));
        pool.add_user_with(
            "alice",
            PASSWORD,
            UserOptions {
                phone_number: Some(PHONE.into()),
                phone_number_verified: true,
                ..UserOptions::default()
            },
        );
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let (client, session) = signed_in(&server).await;
        client
            .set_user_settings(
                &session.access_token,
                &[MfaOptionSetting {
                    delivery_medium: DeliveryMedium::Sms,
                    attribute_name: "phone_number",
                }],
            )
            .await
            .unwrap();
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.mfa_settings, ["SMS_MFA"]);
        // Now a sign-in asks for an SMS code.
        let pending = client.sign_in_srp("alice", PASSWORD).await.unwrap();
        assert_asks_code(pending.step(), CodeKind::SmsMfa);
        client
            .set_user_settings(&session.access_token, &[])
            .await
            .unwrap();
        let user = client.get_user(&session.access_token).await.unwrap();
        assert!(user.mfa_settings.is_empty(), "{user:?}");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn passkey_registered_listed_used_and_deleted() {
    bounded(async {
        let (_server, client) = serve(choice_pool(25), Some(SECRET));
        let session = done(client.sign_in_srp("alice", PASSWORD).await.unwrap());
        let token = session.access_token.as_str();

        let options = client.start_web_authn_registration(token).await.unwrap();
        let options: serde_json::Value = serde_json::from_str(&options).unwrap();
        assert_eq!(options["rp"]["id"], "localhost");
        // The emulator's fake authenticator.
        let passkey = Passkey {
            credential_id: "cGFzc2tleS1vZi1hbGljZQ".to_owned(),
            secret: vec![7u8; 32],
        };
        let credential = passkey.registration(&options).unwrap().to_string();
        client
            .complete_web_authn_registration(token, &credential)
            .await
            .unwrap();

        let page = client
            .list_web_authn_credentials(token, None, Some(10))
            .await
            .unwrap();
        assert_eq!(page.next_token, None);
        assert_eq!(page.credentials.len(), 1);
        let listed = &page.credentials[0];
        assert_eq!(listed.credential_id, passkey.credential_id);
        assert_eq!(listed.relying_party_id, "localhost");
        assert_eq!(listed.authenticator_attachment.as_deref(), Some("platform"));
        assert!(!listed.friendly_name.is_empty());
        assert!(listed.created_at > 0.0);

        // The passkey signs in (USER_AUTH WEB_AUTHN).
        let mut pending = client
            .sign_in(SignInRequest::choice(
                "alice",
                Some(FirstFactor::WebAuthn),
                None,
            ))
            .await
            .unwrap();
        let SignInStep::WebAuthn { options } = pending.step() else {
            panic!("{:?}", pending.step())
        };
        let assertion = passkey.assertion(options).unwrap();
        answer_done(&mut pending, SignInAnswer::WebAuthnCredential(assertion)).await;

        // Too many results per page are refused before sending.
        let err = client
            .list_web_authn_credentials(token, None, Some(300))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::Core(cognito_core::Error::Misuse(_))),
            "{err:?}"
        );

        client
            .delete_web_authn_credential(token, &passkey.credential_id)
            .await
            .unwrap();
        let page = client
            .list_web_authn_credentials(token, None, None)
            .await
            .unwrap();
        assert!(page.credentials.is_empty());
        let err = client
            .delete_web_authn_credential(token, &passkey.credential_id)
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "ResourceNotFoundException");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn update_auth_event_feedback_is_recorded() {
    bounded(async {
        let mut pool = new_pool(26, None, DeviceTracking::Off);
        pool.add_user("alice", PASSWORD);
        let (server, client) = serve(pool, None);
        client
            .update_auth_event_feedback("alice", "event-1", "feedback-token", true)
            .await
            .unwrap();
        client
            .update_auth_event_feedback("alice", "event-2", "feedback-token", false)
            .await
            .unwrap();
        let feedback = with_pool(&server, |pool| pool.auth_event_feedback().to_vec());
        assert_eq!(feedback.len(), 2);
        assert_eq!(feedback[0].event_id, "event-1");
        assert!(feedback[0].valid);
        assert_eq!(feedback[1].event_id, "event-2");
        assert!(!feedback[1].valid);
        let last = last_request(&server).unwrap();
        assert_eq!(last.body["UserPoolId"], POOL_ID);
        assert_eq!(last.body["FeedbackValue"], "Invalid");
        let err = client
            .update_auth_event_feedback("nobody", "event-3", "feedback-token", true)
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "UserNotFoundException");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn sign_up_with_a_resent_code_attribute_verification_revoke_and_delete_async() {
    bounded(async {
        let (server, client) = serve(new_pool(31, None, DeviceTracking::Off), None);

        // Sign-up, then a new code: the newest one confirms.
        let signed_up = client
            .sign_up("carol", PASSWORD, &[("email".to_owned(), EMAIL.to_owned())])
            .await
            .unwrap();
        assert!(!signed_up.user_confirmed);
        // The sign-up Session signs the user in: Debug leaves it out.
        let session = signed_up.session.as_deref().expect("a sign-up Session");
        assert!(!format!("{signed_up:?}").contains(session));
        let resent = client.resend_confirmation_code("carol").await.unwrap();
        let resent = resent.expect("a code delivery");
        assert_eq!(resent.delivery_medium.as_deref(), Some("EMAIL"));
        assert_eq!(resent.attribute_name.as_deref(), Some("email"));
        client
            .confirm_sign_up("carol", &last_code(&server, EMAIL).unwrap())
            .await
            .unwrap();
        let session = done(client.sign_in_srp("carol", PASSWORD).await.unwrap());

        // A code to verify the email again, and the verification.
        let delivery = client
            .get_user_attribute_verification_code(&session.access_token, "email")
            .await
            .unwrap()
            .expect("a code delivery");
        assert_eq!(delivery.attribute_name.as_deref(), Some("email"));
        let code = last_code(&server, EMAIL).unwrap();
        let err = client
            .verify_user_attribute(&session.access_token, "email", wrong_code(&code))
            .await
            .unwrap_err();
        assert_eq!(err.service().unwrap().name(), "CodeMismatchException");
        // Not an answer to a sign-in challenge: a plain Cognito error.
        assert!(!err.is_answer_refused(), "{err:?}");
        client
            .verify_user_attribute(&session.access_token, "email", &code)
            .await
            .unwrap();
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.attribute("email_verified"), Some("true"));

        // RevokeToken: the refresh token, and the access token issued with it, stop working.
        let mut revoked = session.clone();
        client
            .revoke_token(session.refresh_token.as_deref().unwrap())
            .await
            .unwrap();
        let err = client.refresh(&mut revoked).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
        let err = client.get_user(&session.access_token).await.unwrap_err();
        assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");

        // DeleteUser: the user is gone.
        let session = done(client.sign_in_srp("carol", PASSWORD).await.unwrap());
        client.delete_user(&session.access_token).await.unwrap();
        let err = client.sign_in_srp("carol", PASSWORD).await.unwrap_err();
        let name = err.service().unwrap().name();
        assert!(
            name == "UserNotFoundException" || name == "NotAuthorizedException",
            "{name}"
        );
        assert_eq!(
            operations(&server),
            [
                "SignUp",
                "ResendConfirmationCode",
                "ConfirmSignUp",
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "GetUserAttributeVerificationCode",
                "VerifyUserAttribute",
                "VerifyUserAttribute",
                "GetUser",
                "RevokeToken",
                "InitiateAuth",
                "GetUser",
                "InitiateAuth",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "DeleteUser",
                "InitiateAuth",
            ]
        );
    })
    .await
    .unwrap();
}

/// Whichever name a user types (the username, or an email alias in any case), the device that
/// user remembered is found and used; signing in as someone else keeps it in the session, and it
/// is used again when the first user comes back.
#[tokio::test]
async fn a_remembered_device_is_found_by_any_name_and_survives_another_user() {
    bounded(async {
        let mut pool = new_pool(40, None, DeviceTracking::Always);
        pool.set_sign_in_aliases(SignInAliases {
            email: true,
            phone_number: false,
        });
        let with_email = |email: &str| UserOptions {
            email: Some(email.to_owned()),
            email_verified: true,
            ..UserOptions::default()
        };
        pool.add_user_with("alice", PASSWORD, with_email(EMAIL));
        pool.add_user_with("bob", PASSWORD, with_email("bob@example.com"));
        let (server, client) = serve(pool, None);
        let device_srp = |ops: &[String]| {
            ops.iter()
                .any(|op| op == "RespondToAuthChallenge DEVICE_SRP_AUTH")
        };

        // By username: the pool offers a device, which is registered and kept.
        let first = done(client.sign_in_srp("alice", PASSWORD).await.unwrap());
        let alice_device = first.device.clone().expect("a device is confirmed");
        assert!(first.is_user("ALICE@example.com"), "{first:?}");

        // By email alias: the same user, so the same device (device SRP, no new device).
        let request = SignInRequest::srp(EMAIL, PASSWORD).remembering(Some(&first));
        assert_eq!(request.device(), Some(&alice_device));
        let before = operations(&server).len();
        let second = done(client.sign_in(request).await.unwrap());
        assert!(device_srp(&operations(&server)[before..]));
        assert_eq!(second.username, "alice");
        assert_eq!(second.device.as_ref(), Some(&alice_device));
        assert!(second.other_users.is_empty());

        // Bob signs in on the same store: alice's device is kept, under her names.
        let request = SignInRequest::srp("bob", PASSWORD).remembering(Some(&second));
        assert_eq!(request.device(), None);
        let bob = done(client.sign_in(request).await.unwrap());
        assert_eq!(bob.username, "bob");
        let bob_device = bob.device.clone().expect("bob's device is confirmed");
        assert_eq!(bob.other_users.len(), 1, "{bob:?}");
        assert_eq!(bob.device_for("alice@example.com"), Some(&alice_device));

        // Alice comes back by email: her device is found in bob's session and used, and bob's
        // is kept in turn.
        let request = SignInRequest::srp(EMAIL, PASSWORD).remembering(Some(&bob));
        assert_eq!(request.device(), Some(&alice_device));
        let before = operations(&server).len();
        let back = done(client.sign_in(request).await.unwrap());
        assert!(device_srp(&operations(&server)[before..]));
        assert_eq!(back.device.as_ref(), Some(&alice_device));
        assert_eq!(back.device_for("bob"), Some(&bob_device));
        assert_eq!(back.other_users.len(), 1, "{back:?}");
    })
    .await
    .unwrap();
}
