//! Emits every request the core can write (a minimal and a maximal form of each), and runs the
//! core's reply parsers on replies generated from AWS's service model; `scripts/conformance.py`
//! checks both against botocore's `cognito-idp` model.
//!
//! ```text
//! cargo run -q -p cognito-examples --example conformance -- requests | python3 scripts/conformance.py requests
//! python3 scripts/conformance.py replies InitiateAuth ... | cargo run -q -p cognito-examples --example conformance -- replies
//! ```

// A check tool: a broken expectation is a failed check, reported by panicking with its context.
#![allow(
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used
)]

use std::io::BufRead;
use std::process::ExitCode;

use cognito_core::Call;
use cognito_core::account::{ConfirmDevice, UpdateDeviceStatus};
use cognito_core::auth::{
    Answer, AuthReply, ClientConfig, DeviceCredentials, FirstFactor, MfaType, Refresh,
    RefreshOperation, SignIn, Step,
};
use cognito_core::srp::{DeviceVerifier, SrpEphemeral};
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Request};
use serde_json::{Value, json};

const POOL: &str = "us-east-1_TestPool1";
const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const SECRET: &str = "1l2n0cs1q0elpb8qg9nnvbvqhdkbdu5uaanlbq1qgk3hpbtbgq0r";
const ACCESS: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
const SESSION: &str = "AYABeC0nSession0000000000000000000000";
const NOW: UnixTime = UnixTime::from_secs(1_767_600_547);

/// The operations whose replies the `replies` mode can parse.
const REPLY_OPERATIONS: &[&str] = &[
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "GetUser",
    "GetUserAuthFactors",
    "UpdateUserAttributes",
    "DeleteUserAttributes",
    "GetUserAttributeVerificationCode",
    "VerifyUserAttribute",
    "DeleteUser",
    "SetUserMFAPreference",
    "SetUserSettings",
    "GetDevice",
    "ListDevices",
    "ForgetDevice",
    "GlobalSignOut",
    "RevokeToken",
    "UpdateAuthEventFeedback",
    "StartWebAuthnRegistration",
    "CompleteWebAuthnRegistration",
    "ListWebAuthnCredentials",
    "DeleteWebAuthnCredential",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "ConfirmDevice",
    "UpdateDeviceStatus",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
];

fn main() -> ExitCode {
    match std::env::args().nth(1).as_deref() {
        Some("requests") => {
            for (case, request) in requests() {
                println!(
                    "{}",
                    json!({"case": case, "operation": request.0, "target": request.1, "body": request.2})
                );
            }
            ExitCode::SUCCESS
        }
        Some("replies") => replies(),
        Some("operations") => {
            println!("{}", REPLY_OPERATIONS.join(" "));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!("usage: conformance requests | replies < replies.jsonl | operations");
            ExitCode::from(2)
        }
    }
}

type Emitted = (String, String, Value);

fn emitted(request: Request<'_>) -> Emitted {
    (
        request.operation.name().to_owned(),
        request.operation.target().to_owned(),
        serde_json::from_slice(request.body).unwrap_or(Value::Null),
    )
}

fn eph(seed: u8) -> SrpEphemeral {
    match SrpEphemeral::from_secret_bytes(&[seed; 128]) {
        Ok(e) => e,
        Err(e) => panic!("ephemeral: {e}"),
    }
}

fn verifier_reply(with_session: bool) -> Value {
    let mut v = json!({"ChallengeName": "PASSWORD_VERIFIER", "ChallengeParameters": {
        "SALT": "3bd20719046072d4019deda9dfd762fa",
        "SRP_B": "dac9c848e29fd963bf31a847c39d634c1da1f1f18054713f2919d4468b77",
        "SECRET_BLOCK": "ecPPwllx3mUvko+bow2UTWd7bAFiTRKC",
        "USER_ID_FOR_SRP": "7759a453-7646-45bd-921e-1345803f1f6c",
        "USERNAME": "7759a453-7646-45bd-921e-1345803f1f6c"}});
    if with_session {
        v["Session"] = json!(SESSION);
    }
    v
}

fn challenge(name: &str, params: Value) -> Value {
    json!({"ChallengeName": name, "Session": SESSION, "ChallengeParameters": params})
}

/// A scripted exchange with a flow: feed `reply`, expect the flow to go on.
fn feed(flow: &mut SignIn, reply: &Value) -> Result<(), String> {
    let bytes = serde_json::to_vec(reply).map_err(|e| e.to_string())?;
    match flow.handle_response(&HttpResponse::new(200, &bytes), NOW) {
        Ok(Step::SendRequest | Step::Challenge(_) | Step::TotpSecret(_)) => Ok(()),
        Ok(other) => Err(format!("{other:?}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Every flow's start, plain (minimal) or with a remembered device and client metadata (maximal).
fn flows(
    config: &ClientConfig,
    extras: Option<(&DeviceCredentials, &[(&str, &str)])>,
) -> Vec<(&'static str, SignIn)> {
    let starts: Vec<(&'static str, Result<SignIn, cognito_core::Error>)> = vec![
        (
            "USER_SRP_AUTH",
            SignIn::srp(config, "alice", "Passw0rd!", eph(1)),
        ),
        (
            "USER_PASSWORD_AUTH",
            SignIn::password(config, "alice", "Passw0rd!"),
        ),
        ("CUSTOM_AUTH", SignIn::custom(config, "alice")),
        (
            "CUSTOM_AUTH+SRP_A",
            SignIn::custom_with_srp(config, "alice", "Passw0rd!", eph(2)),
        ),
        (
            "USER_AUTH",
            SignIn::choice(config, "alice", None, Some("Passw0rd!"), Some(eph(3))),
        ),
        (
            "USER_AUTH PASSWORD",
            SignIn::choice(
                config,
                "alice",
                Some(FirstFactor::Password),
                Some("Passw0rd!"),
                None,
            ),
        ),
        (
            "USER_AUTH PASSWORD_SRP",
            SignIn::choice(
                config,
                "alice",
                Some(FirstFactor::PasswordSrp),
                Some("Passw0rd!"),
                Some(eph(4)),
            ),
        ),
        (
            "USER_AUTH EMAIL_OTP",
            SignIn::choice(config, "alice", Some(FirstFactor::EmailOtp), None, None),
        ),
        (
            "USER_AUTH SMS_OTP",
            SignIn::choice(config, "alice", Some(FirstFactor::SmsOtp), None, None),
        ),
        (
            "USER_AUTH WEB_AUTHN",
            SignIn::choice(config, "alice", Some(FirstFactor::WebAuthn), None, None),
        ),
        (
            "USER_AUTH after sign-up",
            SignIn::after_sign_up(config, "alice", SESSION, None),
        ),
    ];
    starts
        .into_iter()
        .map(|(name, flow)| {
            let flow = flow.unwrap_or_else(|e| panic!("{name}: {e}"));
            let flow = match extras {
                Some((device, metadata)) => flow
                    .with_device(device, eph(9))
                    .with_client_metadata(metadata)
                    .unwrap_or_else(|e| panic!("{name}: {e}")),
                None => flow,
            };
            (name, flow)
        })
        .collect()
}

/// The answers to caller-answered challenges, each with the challenge that asks for it.
fn answers() -> Vec<(&'static str, Answer<'static>)> {
    vec![
        ("SMS_MFA", Answer::Code("123456")),
        ("SOFTWARE_TOKEN_MFA", Answer::Code("123456")),
        ("EMAIL_OTP", Answer::Code("12345678")),
        ("SMS_OTP", Answer::Code("123456")),
        ("SELECT_MFA_TYPE", Answer::MfaType(MfaType::SoftwareToken)),
        ("MFA_SETUP", Answer::SetUpEmail("alice@example.com")),
        (
            "NEW_PASSWORD_REQUIRED",
            Answer::NewPassword {
                password: "N3w-Passw0rd!",
                attributes: &[("name", "Alice"), ("custom:team", "blue")],
            },
        ),
        ("CUSTOM_CHALLENGE", Answer::Custom("42")),
        (
            "SELECT_CHALLENGE",
            Answer::FirstFactor(FirstFactor::Password),
        ),
        (
            "SELECT_CHALLENGE",
            Answer::FirstFactor(FirstFactor::PasswordSrp),
        ),
        (
            "SELECT_CHALLENGE",
            Answer::FirstFactor(FirstFactor::EmailOtp),
        ),
        (
            "SELECT_CHALLENGE",
            Answer::FirstFactor(FirstFactor::WebAuthn),
        ),
        (
            "WEB_AUTHN",
            Answer::WebAuthnCredential("{\"id\":\"abc\",\"type\":\"public-key\"}"),
        ),
    ]
}

fn requests() -> Vec<(String, Emitted)> {
    let mut out = Vec::new();
    let mut account_out: Vec<(String, Emitted)> = Vec::new();
    let mut buf = vec![0u8; 16384];
    let public = ClientConfig::new(POOL, CLIENT).unwrap_or_else(|e| panic!("{e}"));
    let secret = public
        .clone()
        .with_client_secret(SECRET)
        .unwrap_or_else(|e| panic!("{e}"));
    let device = DeviceCredentials::new(
        "us-east-1_827b3399-3ca6-468f-8449-5403f58896ac",
        "-Yg7fPq2Xz",
        "IgcWqqJxJIJ8lWfRci6XsDoXPbEm4GyMEpONzcw6O5yrgjG2/Gx3fg==",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let metadata: [(&str, &str); 2] = [("source", "conformance"), ("k", "v")];
    let mut push = |case: String, request: Result<Request<'_>, cognito_core::Error>| match request {
        Ok(r) => out.push((case, emitted(r))),
        Err(e) => panic!("{case}: {e}"),
    };

    for (form, config, extras) in [
        ("minimal", &public, None),
        ("maximal", &secret, Some((&device, &metadata[..]))),
    ] {
        // InitiateAuth of every flow.
        for (name, mut flow) in flows(config, extras) {
            push(
                format!("InitiateAuth {name} {form}"),
                flow.write_request(&mut buf),
            );
        }
        // The SRP steps, automatic.
        let mut flow: SignIn =
            SignIn::srp(config, "alice", "Passw0rd!", eph(5)).unwrap_or_else(|e| panic!("{e}"));
        if let Some((device, metadata)) = extras {
            flow = flow
                .with_device(device, eph(6))
                .with_client_metadata(metadata)
                .unwrap_or_else(|e| panic!("{e}"));
        }
        let _ = flow.write_request(&mut buf);
        feed(&mut flow, &verifier_reply(false)).unwrap_or_else(|e| panic!("{e}"));
        push(
            format!("PASSWORD_VERIFIER {form}"),
            flow.write_request(&mut buf),
        );
        if extras.is_some() {
            feed(&mut flow, &challenge("DEVICE_SRP_AUTH", json!({})))
                .unwrap_or_else(|e| panic!("{e}"));
            push(
                format!("DEVICE_SRP_AUTH {form}"),
                flow.write_request(&mut buf),
            );
            let mut params = verifier_reply(true)["ChallengeParameters"].clone();
            if let Some(obj) = params.as_object_mut() {
                obj.remove("USER_ID_FOR_SRP");
            }
            feed(&mut flow, &challenge("DEVICE_PASSWORD_VERIFIER", params))
                .unwrap_or_else(|e| panic!("{e}"));
            push(
                format!("DEVICE_PASSWORD_VERIFIER {form}"),
                flow.write_request(&mut buf),
            );
        }
        // Every caller-answered challenge.
        for (name, answer) in answers() {
            let start = match name {
                "CUSTOM_CHALLENGE" => SignIn::custom(config, "alice"),
                "SELECT_CHALLENGE" | "WEB_AUTHN" | "SMS_OTP" => {
                    SignIn::choice(config, "alice", None, Some("Passw0rd!"), Some(eph(7)))
                }
                _ => SignIn::password(config, "alice", "Passw0rd!"),
            };
            let mut flow: SignIn = start.unwrap_or_else(|e| panic!("{e}"));
            if let Some((_, metadata)) = extras {
                flow = flow
                    .with_client_metadata(metadata)
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let _ = flow.write_request(&mut buf);
            let mut params = json!({"USERNAME": "7759a453-7646-45bd-921e-1345803f1f6c"});
            if name == "WEB_AUTHN" {
                // A passkey challenge always carries the options for the authenticator.
                params["CREDENTIAL_REQUEST_OPTIONS"] = json!("{\"challenge\":\"Y2hh\"}");
            }
            feed(&mut flow, &challenge(name, params)).unwrap_or_else(|e| panic!("{name}: {e}"));
            push(
                format!("{name} {answer:?} {form}"),
                flow.answer(&answer, &mut buf),
            );
        }
        // MFA_SETUP with an authenticator app: AssociateSoftwareToken, VerifySoftwareToken, MFA_SETUP.
        let mut flow: SignIn =
            SignIn::password(config, "alice", "Passw0rd!").unwrap_or_else(|e| panic!("{e}"));
        let _ = flow.write_request(&mut buf);
        feed(
            &mut flow,
            &challenge(
                "MFA_SETUP",
                json!({"MFAS_CAN_SETUP": "[\"SOFTWARE_TOKEN_MFA\"]"}),
            ),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        push(
            format!("AssociateSoftwareToken {form}"),
            flow.answer(&Answer::SetUpTotp, &mut buf),
        );
        feed(
            &mut flow,
            &json!({"SecretCode": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "Session": SESSION}),
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let friendly = if extras.is_some() {
            Some("phone")
        } else {
            None
        };
        push(
            format!("VerifySoftwareToken {form}"),
            flow.answer(
                &Answer::VerifyTotp {
                    code: "123456",
                    friendly_name: friendly,
                },
                &mut buf,
            ),
        );
        feed(&mut flow, &json!({"Status": "SUCCESS", "Session": SESSION}))
            .unwrap_or_else(|e| panic!("{e}"));
        push(
            format!("MFA_SETUP complete {form}"),
            flow.write_request(&mut buf),
        );

        // Refresh, both operations.
        let refresh_token =
            "eyJjdHkiOiJKV1QiLCJlbmMiOiJBMjU2R0NNIiwiYWxnIjoiUlNBLU9BRVAifQ.abc.def.ghi.jkl";
        for operation in [
            RefreshOperation::InitiateAuth,
            RefreshOperation::GetTokensFromRefreshToken,
        ] {
            let mut refresh: Refresh = Refresh::new(config, refresh_token)
                .unwrap_or_else(|e| panic!("{e}"))
                .using(operation)
                .with_username("7759a453-7646-45bd-921e-1345803f1f6c")
                .unwrap_or_else(|e| panic!("{e}"));
            if let Some((device, metadata)) = extras {
                refresh = refresh
                    .with_device_key(device.device_key())
                    .and_then(|r| r.with_client_metadata(metadata))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            push(
                format!("Refresh {operation:?} {form}"),
                refresh.write_request(&mut buf),
            );
        }
        // Devices.
        let verifier = DeviceVerifier::from_random(
            device.device_group_key(),
            device.device_key(),
            &[7; 40],
            &[8; 16],
        );
        let confirm = ConfirmDevice {
            access_token: ACCESS,
            device_key: device.device_key(),
            verifier: &verifier,
            device_name: extras.map(|_| "thermostat"),
        };
        push(
            format!("ConfirmDevice {form}"),
            confirm.write_request(config, &mut buf),
        );
        let update = UpdateDeviceStatus {
            access_token: ACCESS,
            device_key: device.device_key(),
            remembered: extras.is_some(),
        };
        push(
            format!("UpdateDeviceStatus {form}"),
            update.write_request(config, &mut buf),
        );
        for (name, result) in account_requests(config, extras.is_some(), &mut buf) {
            match result {
                Ok(emitted) => account_out.push((format!("{name} {form}"), emitted)),
                Err(e) => panic!("{name} {form}: {e}"),
            }
        }
    }
    out.extend(account_out);
    out
}

/// The account operations, minimal (`full == false`) and with every optional member.
#[allow(clippy::type_complexity)]
fn account_requests(
    config: &ClientConfig,
    full: bool,
    buf: &mut [u8],
) -> Vec<(&'static str, Result<Emitted, cognito_core::Error>)> {
    use cognito_core::account::*;
    let attrs: &[(&str, &str)] = if full {
        &[("email", "alice@example.com"), ("custom:team", "blue")]
    } else {
        &[]
    };
    let metadata: &[(&str, &str)] = if full {
        &[("source", "conformance")]
    } else {
        &[]
    };
    let session = if full { Some(SESSION) } else { None };
    let mfa = if full {
        Some(MfaSetting {
            enabled: true,
            preferred: true,
        })
    } else {
        None
    };
    let secondary = mfa.map(|m| MfaSetting {
        preferred: false,
        ..m
    });
    let device_key = "us-east-1_827b3399-3ca6-468f-8449-5403f58896ac";
    let mut out = Vec::new();
    let mut run = |name: &'static str, result: Result<Request<'_>, cognito_core::Error>| {
        out.push((name, result.map(emitted)));
    };
    run(
        "SignUp",
        SignUp {
            username: "alice",
            password: full.then_some("Passw0rd!"),
            user_attributes: attrs,
            validation_data: attrs,
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "ConfirmSignUp",
        ConfirmSignUp {
            username: "alice",
            confirmation_code: "123456",
            force_alias_creation: full,
            client_metadata: metadata,
            session,
        }
        .write_request(config, buf),
    );
    run(
        "ResendConfirmationCode",
        ResendConfirmationCode {
            username: "alice",
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "ForgotPassword",
        ForgotPassword {
            username: "alice",
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "ConfirmForgotPassword",
        ConfirmForgotPassword {
            username: "alice",
            confirmation_code: "123456",
            password: "N3w-Passw0rd!",
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "ChangePassword",
        ChangePassword {
            access_token: ACCESS,
            previous_password: full.then_some("Passw0rd!"),
            proposed_password: "N3w-Passw0rd!",
        }
        .write_request(config, buf),
    );
    run(
        "GetUser",
        GetUser {
            access_token: ACCESS,
        }
        .write_request(config, buf),
    );
    run(
        "GetUserAuthFactors",
        GetUserAuthFactors {
            access_token: ACCESS,
        }
        .write_request(config, buf),
    );
    let updates: &[(&str, &str)] = if full { attrs } else { &[("name", "Alice")] };
    run(
        "UpdateUserAttributes",
        UpdateUserAttributes {
            access_token: ACCESS,
            user_attributes: updates,
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "DeleteUserAttributes",
        DeleteUserAttributes {
            access_token: ACCESS,
            user_attribute_names: &["custom:team", "nickname"],
        }
        .write_request(config, buf),
    );
    run(
        "GetUserAttributeVerificationCode",
        GetUserAttributeVerificationCode {
            access_token: ACCESS,
            attribute_name: "email",
            client_metadata: metadata,
        }
        .write_request(config, buf),
    );
    run(
        "VerifyUserAttribute",
        VerifyUserAttribute {
            access_token: ACCESS,
            attribute_name: "email",
            code: "123456",
        }
        .write_request(config, buf),
    );
    run(
        "DeleteUser",
        DeleteUser {
            access_token: ACCESS,
        }
        .write_request(config, buf),
    );
    run(
        "SetUserMFAPreference",
        SetUserMfaPreference {
            access_token: ACCESS,
            sms: mfa,
            software_token: secondary,
            email: secondary,
            web_authn_enabled: full.then_some(true),
        }
        .write_request(config, buf),
    );
    let options: &[MfaOptionSetting<'_>] = if full {
        &[MfaOptionSetting {
            delivery_medium: DeliveryMedium::Sms,
            attribute_name: "phone_number",
        }]
    } else {
        &[]
    };
    run(
        "SetUserSettings",
        SetUserSettings {
            access_token: ACCESS,
            mfa_options: options,
        }
        .write_request(config, buf),
    );
    run(
        "AssociateSoftwareToken",
        AssociateSoftwareToken {
            auth: TokenOrSession::AccessToken(ACCESS),
        }
        .write_request(config, buf),
    );
    run(
        "VerifySoftwareToken",
        VerifySoftwareToken {
            auth: TokenOrSession::AccessToken(ACCESS),
            user_code: "123456",
            friendly_device_name: full.then_some("phone"),
        }
        .write_request(config, buf),
    );
    run(
        "GetDevice",
        GetDevice {
            access_token: ACCESS,
            device_key,
        }
        .write_request(config, buf),
    );
    run(
        "ListDevices",
        ListDevices {
            access_token: ACCESS,
            limit: full.then_some(10),
            pagination_token: full.then_some("next-page-token"),
        }
        .write_request(config, buf),
    );
    run(
        "ForgetDevice",
        ForgetDevice {
            access_token: ACCESS,
            device_key,
        }
        .write_request(config, buf),
    );
    run(
        "GlobalSignOut",
        GlobalSignOut {
            access_token: ACCESS,
        }
        .write_request(config, buf),
    );
    run(
        "RevokeToken",
        RevokeToken {
            token: "eyJjdHkiOiJKV1QifQ.abc.def.ghi.jkl",
        }
        .write_request(config, buf),
    );
    run(
        "UpdateAuthEventFeedback",
        UpdateAuthEventFeedback {
            username: "alice",
            event_id: "a1b2c3d4-event",
            feedback_token: "feedback-token-value",
            feedback_value: FeedbackValue::Valid,
        }
        .write_request(config, buf),
    );
    run(
        "StartWebAuthnRegistration",
        StartWebAuthnRegistration {
            access_token: ACCESS,
        }
        .write_request(config, buf),
    );
    run(
        "CompleteWebAuthnRegistration",
        CompleteWebAuthnRegistration {
            access_token: ACCESS,
            credential: "{\"id\":\"abc\",\"type\":\"public-key\"}",
        }
        .write_request(config, buf),
    );
    run(
        "ListWebAuthnCredentials",
        ListWebAuthnCredentials {
            access_token: ACCESS,
            next_token: full.then_some("next-token"),
            max_results: full.then_some(10),
        }
        .write_request(config, buf),
    );
    run(
        "DeleteWebAuthnCredential",
        DeleteWebAuthnCredential {
            access_token: ACCESS,
            credential_id: "abc",
        }
        .write_request(config, buf),
    );
    out
}

/// Parses each generated reply with the parser of its operation.
fn replies() -> ExitCode {
    let mut failures = 0;
    let mut parsed = 0;
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let Ok(entry) = serde_json::from_str::<Value>(&line) else {
            eprintln!("not JSON: {line}");
            failures += 1;
            continue;
        };
        let operation = entry["operation"].as_str().unwrap_or("").to_owned();
        let body = serde_json::to_vec(&entry["reply"]).unwrap_or_default();
        let response = HttpResponse::new(200, &body);
        let result = parse_reply(&operation, &response);
        parsed += 1;
        if let Err(e) = result {
            failures += 1;
            eprintln!("FAIL {operation}: {e}");
        }
    }
    println!("replies: {parsed} parsed, {failures} rejected");
    if failures == 0 && parsed > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn parse_reply(operation: &str, response: &HttpResponse<'_>) -> Result<(), String> {
    let config = ClientConfig::new(POOL, CLIENT).map_err(|e| e.to_string())?;
    match operation {
        "InitiateAuth" | "RespondToAuthChallenge" => match AuthReply::read(response)
            .map_err(|e| e.to_string())?
        {
            AuthReply::Authenticated(t) => {
                let device = t.new_device.ok_or("NewDeviceMetadata not read")?;
                if t.id_token.is_none() || t.refresh_token.is_none() || device.device_key.is_empty()
                {
                    return Err("a token member was not read".into());
                }
                Ok(())
            }
            AuthReply::Challenge(_) => Err("AuthenticationResult not read".into()),
        },
        "GetTokensFromRefreshToken" => {
            let mut refresh: Refresh = Refresh::new(&config, "rt")
                .map_err(|e| e.to_string())?
                .using(RefreshOperation::GetTokensFromRefreshToken);
            let mut buf = [0u8; 1024];
            refresh.write_request(&mut buf).map_err(|e| e.to_string())?;
            let t = refresh
                .handle_response(response, NOW)
                .map_err(|e| e.to_string())?;
            t.refresh_token
                .map(|_| ())
                .ok_or_else(|| "RefreshToken not read".into())
        }
        "ConfirmDevice" => ConfirmDevice::read_reply(response)
            .map(|_| ())
            .map_err(|e| e.to_string()),
        "UpdateDeviceStatus" => UpdateDeviceStatus::read_reply(response).map_err(|e| e.to_string()),
        "AssociateSoftwareToken" | "VerifySoftwareToken" => {
            // Through the sign-in flow's MFA_SETUP, which reads these replies.
            let mut flow: SignIn =
                SignIn::password(&config, "alice", "pw").map_err(|e| e.to_string())?;
            let mut buf = vec![0u8; 4096];
            flow.write_request(&mut buf).map_err(|e| e.to_string())?;
            feed(&mut flow, &challenge("MFA_SETUP", json!({})))?;
            flow.answer(&Answer::SetUpTotp, &mut buf)
                .map_err(|e| e.to_string())?;
            if operation == "AssociateSoftwareToken" {
                return match flow
                    .handle_response(response, NOW)
                    .map_err(|e| e.to_string())?
                {
                    Step::TotpSecret(_) => Ok(()),
                    other => Err(format!("{other:?}")),
                };
            }
            feed(
                &mut flow,
                &json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": SESSION}),
            )?;
            flow.answer(
                &Answer::VerifyTotp {
                    code: "123456",
                    friendly_name: None,
                },
                &mut buf,
            )
            .map_err(|e| e.to_string())?;
            match flow
                .handle_response(response, NOW)
                .map_err(|e| e.to_string())?
            {
                Step::SendRequest => Ok(()),
                other => Err(format!("{other:?}")),
            }
        }
        other => parse_account_reply(other, response),
    }
}

fn parse_account_reply(operation: &str, response: &HttpResponse<'_>) -> Result<(), String> {
    use cognito_core::account::*;
    let done = |r: Result<(), cognito_core::Error>| r.map_err(|e| e.to_string());
    match operation {
        "SignUp" => done(
            SignUpReply::read(response)
                .map(|r| assert_read(r.code_delivery_details.is_some() && r.session.is_some())),
        ),
        "ConfirmSignUp" => {
            done(ConfirmSignUpReply::read(response).map(|r| assert_read(r.session.is_some())))
        }
        "ResendConfirmationCode" | "ForgotPassword" | "GetUserAttributeVerificationCode" => done(
            CodeDeliveryReply::read(response)
                .map(|r| assert_read(r.code_delivery_details.is_some())),
        ),
        "GetUser" => done(GetUserReply::read(response).map(|r| {
            assert_read(
                r.user_attributes.len() == 2
                    && r.mfa_options.len() == 2
                    && r.user_mfa_setting_list.len() == 2
                    && r.preferred_mfa_setting.is_some(),
            )
        })),
        "GetUserAuthFactors" => done(
            GetUserAuthFactorsReply::read(response)
                .map(|r| assert_read(r.configured_user_auth_factors.len() == 2)),
        ),
        "UpdateUserAttributes" => done(
            UpdateUserAttributesReply::read(response)
                .map(|r| assert_read(r.code_delivery_details_list.len() == 2)),
        ),
        "GetDevice" => done(GetDeviceReply::read(response).map(|r| {
            assert_read(
                r.device.device_attributes.len() == 2 && r.device.last_authenticated_date.is_some(),
            )
        })),
        "ListDevices" => done(
            ListDevicesReply::read(response)
                .map(|r| assert_read(r.devices.len() == 2 && r.pagination_token.is_some())),
        ),
        "StartWebAuthnRegistration" => {
            done(StartWebAuthnRegistrationReply::read(response).map(|_| ()))
        }
        "ListWebAuthnCredentials" => done(
            ListWebAuthnCredentialsReply::read(response)
                .map(|r| assert_read(r.credentials.len() == 2 && r.next_token.is_some())),
        ),
        "ConfirmForgotPassword" => done(ConfirmForgotPassword::read_reply(response)),
        "ChangePassword" => done(ChangePassword::read_reply(response)),
        "DeleteUserAttributes" => done(DeleteUserAttributes::read_reply(response)),
        "VerifyUserAttribute" => done(VerifyUserAttribute::read_reply(response)),
        "DeleteUser" => done(DeleteUser::read_reply(response)),
        "SetUserMFAPreference" => done(SetUserMfaPreference::read_reply(response)),
        "SetUserSettings" => done(SetUserSettings::read_reply(response)),
        "ForgetDevice" => done(ForgetDevice::read_reply(response)),
        "GlobalSignOut" => done(GlobalSignOut::read_reply(response)),
        "RevokeToken" => done(RevokeToken::read_reply(response)),
        "UpdateAuthEventFeedback" => done(UpdateAuthEventFeedback::read_reply(response)),
        "CompleteWebAuthnRegistration" => done(CompleteWebAuthnRegistration::read_reply(response)),
        "DeleteWebAuthnCredential" => done(DeleteWebAuthnCredential::read_reply(response)),
        other => Err(format!("no parser for {other}")),
    }
}

/// A member the maximal reply has must have been read.
fn assert_read(read: bool) {
    assert!(read, "a member of the maximal reply was not read");
}
