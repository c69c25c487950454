//! Every public operation of `blocking::Client` once, over real HTTP against the emulator, with
//! an app client that has a secret and tracks devices when the user opts in: sign-up and its
//! confirmation, sign-in (SRP, plain password, TOTP MFA), the user and its attributes, TOTP
//! setup and MFA preferences, auth factors and legacy MFA settings, devices, refresh, passwords,
//! passkeys, auth-event feedback, and the ways a session ends.

use cognito_std::{
    CodeKind, Config, Error, MfaPreference, MfaSetting, Session, SignInAnswer, SignInRequest,
    SignInStep, blocking,
};
use cognito_tests::fixtures::{last_code, last_request, pool_with_client, totp_now, with_pool};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{DeviceTracking, FirstAuthFactor, MfaConfiguration, MfaMode, Passkey};

const POOL_ID: &str = "eu-west-1_BlockPool";
const CLIENT_ID: &str = "blockclient000000000000000";
const SECRET: &str = "blocksecret0000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PASSWORD_2: &str = "Sec0nd-Password!";
const PASSWORD_3: &str = "Th1rd-Password!";
const EMAIL: &str = "bob@example.com";
const EMAIL_2: &str = "robert@example.org";

/// Signs bob in with SRP, answering the TOTP challenge.
fn sign_in_with_totp(
    client: &blocking::Client,
    server: &EmulatorServer,
    password: &str,
    secret: &str,
) -> Session {
    let mut pending = client.sign_in_srp("bob", password).unwrap();
    assert!(
        matches!(
            pending.step(),
            SignInStep::MfaCode {
                kind: CodeKind::SoftwareTokenMfa,
                ..
            }
        ),
        "{:?}",
        pending.step()
    );
    assert!(!pending.is_finished());
    assert!(pending.session().is_none());
    let step = pending
        .answer(SignInAnswer::code(totp_now(server, secret).unwrap()))
        .unwrap();
    assert!(matches!(step, SignInStep::Done(_)), "{step:?}");
    assert!(pending.is_finished());
    assert!(pending.session().is_some());
    pending.into_session().unwrap()
}

#[test]
fn every_blocking_operation_against_the_emulator() {
    let mut pool = pool_with_client(
        POOL_ID,
        CLIENT_ID,
        31,
        Some(SECRET),
        DeviceTracking::UserOptIn,
    );
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: true,
        software_token: true,
        email: false,
    });
    pool.set_allowed_first_auth_factors(&[FirstAuthFactor::WebAuthn]);
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_endpoint(server.url())
        .with_client_secret(SECRET);
    let client = blocking::Client::new(config).unwrap();
    assert_eq!(client.as_async().config().pool_id, POOL_ID);

    // ---- Sign-up, a new code, a wrong code, confirmation.
    let signed_up = client
        .sign_up(
            "bob",
            PASSWORD,
            &[
                ("email".to_owned(), EMAIL.to_owned()),
                ("name".to_owned(), "Bob".to_owned()),
            ],
        )
        .unwrap();
    assert!(!signed_up.user_confirmed);
    assert!(!signed_up.user_sub.is_empty());
    let delivery = signed_up.code_delivery.unwrap();
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    let first_code = last_code(&server, EMAIL).unwrap();
    let resent = client.resend_confirmation_code("bob").unwrap().unwrap();
    assert_eq!(resent.attribute_name.as_deref(), Some("email"));
    let code = last_code(&server, EMAIL).unwrap();
    if code != first_code {
        let err = client.confirm_sign_up("bob", &first_code).unwrap_err();
        assert_eq!(err.service().unwrap().name(), "CodeMismatchException");
        // Not an answer to a sign-in challenge: a plain Cognito error.
        assert!(!err.is_answer_refused(), "{err:?}");
    }
    let confirm_session = client.confirm_sign_up("bob", &code).unwrap();
    assert!(confirm_session.is_some());

    // ---- Sign-in (SRP), the device confirmed but not remembered.
    let pending = client
        .sign_in(SignInRequest::srp("bob", PASSWORD).remember_device(false))
        .unwrap();
    assert!(pending.is_finished());
    let mut session = pending.into_session().unwrap();
    assert_eq!(session.username, "bob");
    let device_key = session
        .device
        .as_ref()
        .expect("device confirmed")
        .key
        .clone();
    // Plain-password sign-in too.
    let other = client
        .sign_in_password("bob", PASSWORD)
        .unwrap()
        .into_session()
        .unwrap();
    assert_eq!(other.username, "bob");

    // ---- The user and its attributes.
    let token = session.access_token.clone();
    let user = client.get_user(&token).unwrap();
    assert_eq!(user.username, "bob");
    assert_eq!(user.attribute("email"), Some(EMAIL));
    assert_eq!(user.attribute("email_verified"), Some("true"));
    let deliveries = client
        .update_user_attributes(&token, &[("email".to_owned(), EMAIL_2.to_owned())])
        .unwrap();
    assert_eq!(deliveries.len(), 1);
    assert_eq!(deliveries[0].attribute_name.as_deref(), Some("email"));
    let err = client
        .verify_user_attribute(&token, "email", "000000")
        .unwrap_err();
    if last_code(&server, EMAIL_2).unwrap() != "000000" {
        assert_eq!(err.service().unwrap().name(), "CodeMismatchException");
        // Not an answer to a sign-in challenge: a plain Cognito error.
        assert!(!err.is_answer_refused(), "{err:?}");
    }
    let again = client
        .get_user_attribute_verification_code(&token, "email")
        .unwrap()
        .unwrap();
    assert_eq!(again.delivery_medium.as_deref(), Some("EMAIL"));
    client
        .verify_user_attribute(&token, "email", &last_code(&server, EMAIL_2).unwrap())
        .unwrap();
    let user = client.get_user(&token).unwrap();
    assert_eq!(user.attribute("email"), Some(EMAIL_2));
    assert_eq!(user.attribute("email_verified"), Some("true"));
    client.delete_user_attributes(&token, &["name"]).unwrap();
    assert_eq!(client.get_user(&token).unwrap().attribute("name"), None);

    // ---- TOTP: associate, verify, prefer; auth factors; legacy settings.
    let secret = client.associate_software_token(&token).unwrap();
    assert!(
        client
            .verify_software_token(&token, &totp_now(&server, &secret).unwrap(), Some("phone"))
            .unwrap()
    );
    client
        .set_mfa_preference(
            &token,
            MfaPreference {
                software_token: Some(MfaSetting {
                    enabled: true,
                    preferred: true,
                }),
                ..MfaPreference::default()
            },
        )
        .unwrap();
    let user = client.get_user(&token).unwrap();
    assert_eq!(user.preferred_mfa.as_deref(), Some("SOFTWARE_TOKEN_MFA"));
    let factors = client.get_user_auth_factors(&token).unwrap();
    assert_eq!(factors.username, "bob");
    assert_eq!(factors.mfa_settings, ["SOFTWARE_TOKEN_MFA"]);
    assert!(factors.configured_factors.iter().any(|f| f == "PASSWORD"));
    // No phone number: turning legacy SMS MFA off is all there is to do.
    client.set_user_settings(&token, &[]).unwrap();
    assert_eq!(last_request(&server).unwrap().operation, "SetUserSettings");

    // ---- Devices.
    let page = client.list_devices(&token, Some(10), None).unwrap();
    assert_eq!(page.devices.len(), 2, "one per sign-in");
    assert!(page.devices.iter().any(|d| d.key == device_key));
    let device = client.get_device(&token, &device_key).unwrap();
    assert_eq!(device.remembered_status(), Some("not_remembered"));
    client.remember_device(&mut session).unwrap();
    assert_eq!(
        client
            .get_device(&token, &device_key)
            .unwrap()
            .remembered_status(),
        Some("remembered")
    );
    client
        .update_device_status(&token, &device_key, false)
        .unwrap();
    assert_eq!(
        client
            .get_device(&token, &device_key)
            .unwrap()
            .remembered_status(),
        Some("not_remembered")
    );

    // ---- Refresh (with the device key the refresh token is bound to).
    let before = session.access_token.clone();
    client.refresh(&mut session).unwrap();
    assert_ne!(session.access_token, before);
    session.expires_at = 0;
    let valid = client.get_valid_tokens(&mut session).unwrap();
    assert_eq!(valid.access_token, session.access_token);
    assert!(valid.id_token.is_some());

    // The refresh token is bound to the device: forgetting the device ends it.
    client
        .forget_device(&session.access_token, &device_key)
        .unwrap();
    let err = client.get_device(&token, &device_key).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "ResourceNotFoundException");
    let err = client.refresh(&mut session).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");

    // ---- TOTP MFA now applies; passwords change.
    let session = sign_in_with_totp(&client, &server, PASSWORD, &secret);
    let token = session.access_token.clone();
    client
        .change_password(&token, PASSWORD, PASSWORD_2)
        .unwrap();
    let err = client
        .change_password(&token, PASSWORD, PASSWORD_2)
        .unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    let delivery = client.forgot_password("bob").unwrap().unwrap();
    assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
    client
        .confirm_forgot_password("bob", &last_code(&server, EMAIL_2).unwrap(), PASSWORD_3)
        .unwrap();
    let err = client.sign_in_srp("bob", PASSWORD_2).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    let session = sign_in_with_totp(&client, &server, PASSWORD_3, &secret);
    let token = session.access_token.clone();

    // ---- Passkeys.
    let options = client.start_web_authn_registration(&token).unwrap();
    let options: serde_json::Value = serde_json::from_str(&options).unwrap();
    let passkey = Passkey {
        credential_id: "Ym9icy1wYXNza2V5LTAwMQ".to_owned(),
        secret: vec![9u8; 32],
    };
    let credential = passkey.registration(&options).unwrap().to_string();
    client
        .complete_web_authn_registration(&token, &credential)
        .unwrap();
    let page = client
        .list_web_authn_credentials(&token, None, None)
        .unwrap();
    assert_eq!(page.credentials.len(), 1);
    assert_eq!(page.credentials[0].credential_id, passkey.credential_id);
    client
        .delete_web_authn_credential(&token, &passkey.credential_id)
        .unwrap();
    assert!(
        client
            .list_web_authn_credentials(&token, None, Some(5))
            .unwrap()
            .credentials
            .is_empty()
    );

    // ---- Auth-event feedback.
    client
        .update_auth_event_feedback("bob", "event-1", "token-1", false)
        .unwrap();
    assert_eq!(
        with_pool(&server, |pool| pool.auth_event_feedback().len()),
        1
    );

    // ---- Ending sessions: RevokeToken, GlobalSignOut, DeleteUser.
    let mut revoked = session;
    client
        .revoke_token(revoked.refresh_token.as_deref().unwrap())
        .unwrap();
    let err = client.refresh(&mut revoked).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");

    let mut session = sign_in_with_totp(&client, &server, PASSWORD_3, &secret);
    let survivor = sign_in_with_totp(&client, &server, PASSWORD_3, &secret);
    client.global_sign_out(&session.access_token).unwrap();
    let err = client.get_user(&survivor.access_token).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");
    session.expires_at = 0;
    let err = client.get_valid_tokens(&mut session).unwrap_err();
    assert_eq!(err.service().unwrap().name(), "NotAuthorizedException");

    let session = sign_in_with_totp(&client, &server, PASSWORD_3, &secret);
    client.delete_user(&session.access_token).unwrap();
    let err = client.sign_in_srp("bob", PASSWORD_3).unwrap_err();
    assert!(
        matches!(
            err.service().map(|e| e.name()),
            Some("UserNotFoundException" | "NotAuthorizedException")
        ),
        "{err:?}"
    );
    let mut gone = session;
    gone.device = None;
    assert!(matches!(
        client.remember_device(&mut gone),
        Err(Error::NoDevice)
    ));
}
