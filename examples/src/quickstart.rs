//! The quick start: a user's whole life with the std client ([`cognito_std::Client`], async,
//! over HTTP) against the emulated user pool served on a free loopback port — no AWS account.
//!
//! Sign-up → confirmation with the code from the emulator's outbox → SRP sign-in → TOTP
//! enrolment → MFA sign-in remembering the device → device SRP sign-in (no MFA) → refresh after
//! the emulator's clock moved an hour → attribute update and verification → global sign-out, after
//! which the old tokens are rejected.
//!
//! [`run`] prints every step to the writer it is given. Secrets never appear in full: passwords
//! not at all, tokens and the authenticator secret as short prefixes.

use std::error::Error as StdError;
use std::io::Write;

use cognito_std::core::time::UnixTime;
use cognito_std::core::totp;
use cognito_std::{
    Client, CodeKind, Config, Error, MfaPreference, MfaSetting, PendingSignIn, Session,
    SignInAnswer, SignInRequest, SignInStep,
};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{AppClientOptions, DeviceTracking, MfaConfiguration, MfaMode, UserPool};

/// The emulated pool's id (its region prefix is only a name here).
pub const POOL_ID: &str = "eu-west-1_Quickstart";
/// The app client's id.
pub const CLIENT_ID: &str = "4quickstart0client0id0000";
/// The user's name.
pub const USERNAME: &str = "alice";
/// The user's password (never printed).
pub const PASSWORD: &str = "Quick-start-2026!";
/// The email address the user signs up with.
pub const EMAIL: &str = "alice@example.com";
/// The email address the user moves to in the attribute step.
pub const NEW_EMAIL: &str = "alice@example.org";

/// The errors of the walk: the client's, writing the output, or an outcome the walk did not
/// expect.
pub type WalkError = Box<dyn StdError + Send + Sync>;

/// What the walk observed, for tests and for the closing summary.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Every request the emulator received, in order: the operation, followed by the challenge
    /// name for `RespondToAuthChallenge` and by the flow for `InitiateAuth`.
    pub operations: Vec<String>,
    /// Whether the sign-in after TOTP enrolment was asked for an MFA code.
    pub mfa_asked_with_password: bool,
    /// Whether the sign-in with the remembered device was asked for an MFA code.
    pub mfa_asked_with_device: bool,
    /// Whether the refresh produced a different access token.
    pub refreshed: bool,
    /// Whether the email change was verified (`email_verified` = `true` afterwards).
    pub email_verified: bool,
    /// Cognito's errors for the old access token and refresh token after the global sign-out.
    pub rejected_after_sign_out: Vec<String>,
}

/// Starts the emulated pool (one app client with user-opt-in device tracking, optional MFA with
/// authenticator apps) on `127.0.0.1:0`.
pub fn start_emulator() -> std::io::Result<EmulatorServer> {
    let mut pool = UserPool::new(POOL_ID, 2026);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: None,
            device_tracking: DeviceTracking::UserOptIn,
        },
    );
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: false,
        software_token: true,
        email: false,
    });
    EmulatorServer::start(pool, "127.0.0.1:0")
}

/// Runs the whole walk against a freshly started emulator, printing to `out`. Must run inside a
/// tokio runtime with time enabled.
pub async fn run(out: &mut dyn Write) -> Result<Outcome, WalkError> {
    let server = start_emulator()?;
    let outcome = walk(&server, out).await;
    server.shutdown();
    outcome
}

/// The first characters of a secret value, for display.
#[must_use]
pub fn prefix(secret: &str) -> String {
    let head: String = secret.chars().take(10).collect();
    format!("{head}… ({} chars)", secret.chars().count())
}

/// The newest code the emulator "sent" to `destination` (its outbox stands for the user's
/// mailbox).
fn code_sent_to(server: &EmulatorServer, destination: &str) -> Result<String, WalkError> {
    let pool = server.pool();
    let pool = pool.lock().map_err(|_| "the emulator's lock is poisoned")?;
    pool.last_code_sent(destination)
        .ok_or_else(|| format!("no code was sent to {destination}").into())
}

/// The operations the emulator received, as in [`Outcome::operations`].
fn operations(server: &EmulatorServer) -> Result<Vec<String>, WalkError> {
    let pool = server.pool();
    let pool = pool.lock().map_err(|_| "the emulator's lock is poisoned")?;
    Ok(pool
        .requests()
        .iter()
        .map(|r| {
            let detail = r
                .body
                .get("ChallengeName")
                .or_else(|| r.body.get("AuthFlow"))
                .and_then(|v| v.as_str());
            match detail {
                Some(d) => format!("{} {d}", r.operation),
                None => r.operation.clone(),
            }
        })
        .collect())
}

/// The current authenticator code for `secret` on the emulator's clock.
fn totp_code(server: &EmulatorServer, secret: &str) -> Result<String, WalkError> {
    let code = totp::code(secret, UnixTime::from_secs(server.now()))?;
    Ok(code.as_str().to_owned())
}

/// The name of the service error a rejected call got; an error if it was not rejected by the
/// service.
fn rejection<T>(result: Result<T, Error>) -> Result<String, WalkError> {
    match result {
        Ok(_) => Err("the call was expected to be rejected, and succeeded".into()),
        Err(e) => match e.service() {
            Some(service) => Ok(format!("{}: {}", service.name(), service.message())),
            None => Err(e.into()),
        },
    }
}

/// Answers MFA codes with the authenticator until the sign-in finishes; returns the session and
/// whether a code was asked.
async fn finish_sign_in(
    server: &EmulatorServer,
    mut pending: PendingSignIn,
    totp_secret: Option<&str>,
    out: &mut dyn Write,
) -> Result<(Session, bool), WalkError> {
    let mut asked = false;
    loop {
        match pending.step() {
            SignInStep::Done(_) => break,
            SignInStep::MfaCode {
                kind: CodeKind::SoftwareTokenMfa,
                ..
            } => {
                let secret = totp_secret.ok_or("MFA asked before the authenticator was set up")?;
                asked = true;
                // A TOTP code is good once per 30-second step: real Cognito refuses a code used
                // before. Move the emulator's clock to the next step instead of waiting.
                let now = server.advance(30);
                let code = totp_code(server, secret)?;
                writeln!(
                    out,
                    "   ← challenge SOFTWARE_TOKEN_MFA: the pool asks for the authenticator's code"
                )?;
                writeln!(
                    out,
                    "   → RespondToAuthChallenge with the code for t={now} (emulator clock moved 30 s to a fresh step)"
                )?;
                pending.answer(SignInAnswer::code(code)).await?;
            }
            other => return Err(format!("unexpected sign-in step {other:?}").into()),
        }
    }
    let session = pending
        .into_session()
        .map_err(|_| "the sign-in finished without a session")?;
    Ok((session, asked))
}

fn show_session(out: &mut dyn Write, session: &Session) -> Result<(), WalkError> {
    writeln!(
        out,
        "   ← signed in as {:?}: access token {}, refresh token {}",
        session.username,
        prefix(&session.access_token),
        session
            .refresh_token
            .as_deref()
            .map_or_else(|| "none".to_owned(), prefix),
    )?;
    match &session.device {
        Some(device) => writeln!(out, "   ← device key {}", device.key)?,
        None => writeln!(out, "   ← no device")?,
    }
    Ok(())
}

/// The walk against a running emulator (see the [module documentation](self)).
pub async fn walk(server: &EmulatorServer, out: &mut dyn Write) -> Result<Outcome, WalkError> {
    let mut outcome = Outcome::default();
    let config = Config::new(POOL_ID, CLIENT_ID).with_endpoint(server.url());
    let client = Client::new(config)?;
    writeln!(
        out,
        "Emulated user pool {POOL_ID} listening on {} (app client {CLIENT_ID})",
        server.url()
    )?;

    writeln!(out, "\n1. Sign-up")?;
    writeln!(
        out,
        "   → SignUp {USERNAME:?} with email {EMAIL} (password not shown)"
    )?;
    let signed_up = client
        .sign_up(
            USERNAME,
            PASSWORD,
            &[("email".to_owned(), EMAIL.to_owned())],
        )
        .await?;
    let delivery = signed_up.code_delivery.unwrap_or_default();
    writeln!(
        out,
        "   ← user sub {}, confirmed: {}; code sent by {} to {}",
        signed_up.user_sub,
        signed_up.user_confirmed,
        delivery.delivery_medium.as_deref().unwrap_or("?"),
        delivery.destination.as_deref().unwrap_or("?"),
    )?;

    writeln!(out, "\n2. Confirmation")?;
    let code = code_sent_to(server, EMAIL)?;
    writeln!(
        out,
        "   (the emulator's outbox plays the mailbox: the email to {EMAIL} holds code {code})"
    )?;
    writeln!(out, "   → ConfirmSignUp {USERNAME:?} with code {code}")?;
    client.confirm_sign_up(USERNAME, &code).await?;
    writeln!(out, "   ← confirmed")?;

    writeln!(
        out,
        "\n3. SRP sign-in (USER_SRP_AUTH: the password never leaves the client)"
    )?;
    writeln!(
        out,
        "   → InitiateAuth with SRP_A, then PASSWORD_VERIFIER with the signature; the new device is confirmed but not remembered"
    )?;
    let pending = client
        .sign_in(SignInRequest::srp(USERNAME, PASSWORD).remember_device(false))
        .await?;
    let (session, _) = finish_sign_in(server, pending, None, out).await?;
    show_session(out, &session)?;

    writeln!(out, "\n4. TOTP enrolment")?;
    writeln!(out, "   → AssociateSoftwareToken")?;
    let secret = client
        .associate_software_token(&session.access_token)
        .await?;
    writeln!(
        out,
        "   ← authenticator secret {} (an authenticator app would scan it)",
        prefix(&secret)
    )?;
    let code = totp_code(server, &secret)?;
    writeln!(
        out,
        "   → VerifySoftwareToken with the code computed by cognito_std::core::totp"
    )?;
    let verified = client
        .verify_software_token(&session.access_token, &code, Some("quickstart phone"))
        .await?;
    writeln!(out, "   ← verified: {verified}")?;
    if !verified {
        return Err("the authenticator code was not accepted".into());
    }
    writeln!(out, "   → SetUserMFAPreference: TOTP enabled and preferred")?;
    client
        .set_mfa_preference(
            &session.access_token,
            MfaPreference {
                software_token: Some(MfaSetting {
                    enabled: true,
                    preferred: true,
                }),
                ..MfaPreference::default()
            },
        )
        .await?;
    let user = client.get_user(&session.access_token).await?;
    writeln!(
        out,
        "   ← GetUser: preferred MFA {}",
        user.preferred_mfa.as_deref().unwrap_or("none")
    )?;

    writeln!(
        out,
        "\n5. MFA sign-in, remembering this device (SignInRequest::remember_device(true))"
    )?;
    writeln!(out, "   → InitiateAuth USER_SRP_AUTH, PASSWORD_VERIFIER")?;
    let pending = client
        .sign_in(SignInRequest::srp(USERNAME, PASSWORD).remember_device(true))
        .await?;
    let (session, asked) = finish_sign_in(server, pending, Some(&secret), out).await?;
    outcome.mfa_asked_with_password = asked;
    show_session(out, &session)?;
    let device = session
        .device
        .clone()
        .ok_or("the pool did not track the device")?;
    writeln!(
        out,
        "   (ConfirmDevice registered the device's SRP verifier; UpdateDeviceStatus marked it remembered)"
    )?;

    writeln!(out, "\n6. Device SRP sign-in with the remembered device")?;
    writeln!(
        out,
        "   → InitiateAuth with DEVICE_KEY, PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER"
    )?;
    let pending = client
        .sign_in(SignInRequest::srp(USERNAME, PASSWORD).with_device(Some(device.clone())))
        .await?;
    let (mut session, asked) = finish_sign_in(server, pending, Some(&secret), out).await?;
    outcome.mfa_asked_with_device = asked;
    writeln!(
        out,
        "   ← {}",
        if asked {
            "the pool asked for MFA anyway"
        } else {
            "no MFA asked: the remembered device stands in for the second factor"
        }
    )?;
    show_session(out, &session)?;

    writeln!(out, "\n7. Refresh")?;
    let now = server.advance(3_600 + 60);
    writeln!(
        out,
        "   (the emulator's clock moves an hour ahead, to t={now}: the access token has expired there)"
    )?;
    let expired = rejection(client.get_user(&session.access_token).await)?;
    writeln!(out, "   → GetUser with the old access token ← {expired}")?;
    let old_access = session.access_token.clone();
    writeln!(
        out,
        "   → InitiateAuth REFRESH_TOKEN_AUTH with the refresh token and DEVICE_KEY (Client::refresh)"
    )?;
    client.refresh(&mut session).await?;
    outcome.refreshed = session.access_token != old_access;
    writeln!(
        out,
        "   ← new access token {}",
        prefix(&session.access_token)
    )?;
    let tokens = client.get_valid_tokens(&mut session).await?;
    let user = client.get_user(&tokens.access_token).await?;
    writeln!(
        out,
        "   → GetUser with the new token (from get_valid_tokens: still valid, no request) ← {:?}, email {}",
        user.username,
        user.attribute("email").unwrap_or("?")
    )?;

    writeln!(out, "\n8. Attribute update")?;
    writeln!(
        out,
        "   → UpdateUserAttributes email={NEW_EMAIL}, name=Alice Example"
    )?;
    let deliveries = client
        .update_user_attributes(
            &session.access_token,
            &[
                ("email".to_owned(), NEW_EMAIL.to_owned()),
                ("name".to_owned(), "Alice Example".to_owned()),
            ],
        )
        .await?;
    for d in &deliveries {
        writeln!(
            out,
            "   ← verification code for {} sent by {} to {}",
            d.attribute_name.as_deref().unwrap_or("?"),
            d.delivery_medium.as_deref().unwrap_or("?"),
            d.destination.as_deref().unwrap_or("?"),
        )?;
    }
    let code = code_sent_to(server, NEW_EMAIL)?;
    writeln!(out, "   → VerifyUserAttribute email with code {code}")?;
    client
        .verify_user_attribute(&session.access_token, "email", &code)
        .await?;
    let user = client.get_user(&session.access_token).await?;
    outcome.email_verified = user.attribute("email") == Some(NEW_EMAIL)
        && user.attribute("email_verified") == Some("true");
    writeln!(
        out,
        "   ← GetUser: email {} (verified: {}), name {}",
        user.attribute("email").unwrap_or("?"),
        user.attribute("email_verified").unwrap_or("?"),
        user.attribute("name").unwrap_or("?"),
    )?;

    writeln!(out, "\n9. Sign-out")?;
    writeln!(
        out,
        "   → GlobalSignOut: every token of the user, on every device, is revoked"
    )?;
    client.global_sign_out(&session.access_token).await?;
    writeln!(out, "   ← signed out")?;
    let after_access = rejection(client.get_user(&session.access_token).await)?;
    writeln!(
        out,
        "   → GetUser with the old access token ← {after_access}"
    )?;
    let after_refresh = rejection(client.refresh(&mut session).await)?;
    writeln!(
        out,
        "   → refresh with the old refresh token ← {after_refresh}"
    )?;
    outcome.rejected_after_sign_out = vec![after_access, after_refresh];

    outcome.operations = operations(server)?;
    writeln!(
        out,
        "\nDone: {} requests to the emulated pool.",
        outcome.operations.len()
    )?;
    Ok(outcome)
}
