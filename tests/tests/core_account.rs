//! Transcripts of the account operations: `cognito-core`'s request builders and reply parsers
//! against the in-memory emulator — sign-up → confirm → sign-in, sign-in straight after sign-up,
//! forgotten password, password change, attributes and their verification, sign-out, revoke,
//! devices, deletion.

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_core::Error;
use cognito_core::account::{
    ChangePassword, CodeDeliveryReply, ConfirmForgotPassword, ConfirmSignUp, ConfirmSignUpReply,
    DeleteUser, ForgotPassword, GetDevice, GetDeviceReply, GetUser,
    GetUserAttributeVerificationCode, GetUserReply, GlobalSignOut, ListDevices, ListDevicesReply,
    RevokeToken, SignUp, SignUpReply, UpdateUserAttributes, UpdateUserAttributesReply,
    VerifyUserAttribute,
};
use cognito_core::auth::{
    ClientConfig, DeviceCredentials, NewDeviceMetadata, Refresh, Request, SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::wire::{CONTENT_TYPE, ErrorKind, HttpResponse};
use cognito_tests::pool::{AppClientOptions, DeviceTracking, UserPool};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const POOL_ID: &str = "eu-west-1_AccountPool";
const CLIENT_ID: &str = "accountclient000000000000";
const SECRET: &str = "accountsecret00000000000000000000000000000000000000";
const EMAIL: &str = "alice@example.com";

/// Sends a request; returns the reply parts.
fn send(pool: &mut UserPool, request: Request<'_>) -> (u16, Option<String>, Vec<u8>) {
    let reply = pool.handle(request.operation.target(), CONTENT_TYPE, request.body);
    (reply.status, reply.error_type, reply.body)
}

/// Sends a request and hands the reply to `read`.
fn call<T>(
    pool: &mut UserPool,
    request: Result<Request<'_>, Error>,
    read: impl FnOnce(&HttpResponse<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    let (status, error_type, body) = send(pool, request?);
    read(&HttpResponse::new(status, &body).with_error_type(error_type.as_deref()))
}

fn kind<T: core::fmt::Debug>(result: Result<T, Error>) -> ErrorKind {
    match result {
        Err(Error::Service(e)) => e.kind(),
        other => panic!("expected a Cognito error, got {other:?}"),
    }
}

#[derive(Debug)]
struct Tokens {
    access: String,
    refresh: String,
    new_device: Option<(String, String)>,
}

fn sign_in(pool: &mut UserPool, mut flow: SignIn<'_>) -> Result<Tokens, Error> {
    let mut buf = vec![0u8; 16384];
    loop {
        let request = flow.write_request(&mut buf)?;
        let (status, error_type, body) = send(pool, request);
        let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        match flow.handle_response(&response, UnixTime::from_secs(pool.now()))? {
            Step::SendRequest => {}
            Step::Authenticated(t) => {
                return Ok(Tokens {
                    access: t.access_token.to_owned(),
                    refresh: t.refresh_token.unwrap_or_default().to_owned(),
                    new_device: t
                        .new_device
                        .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
                });
            }
            other => panic!("unexpected {other:?}"),
        }
    }
}

fn srp(
    pool: &mut UserPool,
    config: &ClientConfig<'_>,
    user: &str,
    password: &str,
    rng: &mut ChaCha20Rng,
) -> Result<Tokens, Error> {
    sign_in(
        pool,
        SignIn::srp(config, user, password, SrpEphemeral::generate(rng).unwrap())?,
    )
}

fn setup(seed: u64, secret: bool) -> (UserPool, ChaCha20Rng) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: secret.then(|| SECRET.to_owned()),
            device_tracking: DeviceTracking::Always,
        },
    );
    (pool, ChaCha20Rng::seed_from_u64(seed))
}

fn config(secret: bool) -> ClientConfig<'static> {
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    if secret {
        config.with_client_secret(SECRET)
    } else {
        config
    }
}

#[test]
fn sign_up_confirm_then_sign_in_both_ways() {
    for secret in [false, true] {
        let (mut pool, mut rng) = setup(1, secret);
        let config = config(secret);
        let mut buf = [0u8; 4096];
        let attributes = [("email", EMAIL), ("name", "Alice \"Al\"")];
        let sign_up = SignUp {
            username: "alice",
            password: Some("Passw0rd!"),
            user_attributes: &attributes,
            ..SignUp::default()
        };
        let reply = call(&mut pool, sign_up.write_request(&config, &mut buf), |r| {
            SignUpReply::read(r).map(|s| {
                assert!(!s.user_confirmed);
                let delivery = s.code_delivery_details.unwrap();
                assert_eq!(delivery.delivery_medium, Some("EMAIL"));
                (s.user_sub.to_owned(), s.session.map(str::to_owned))
            })
        })
        .unwrap();
        assert_eq!(pool.user_sub("alice").unwrap(), reply.0);
        // Signing in before confirming fails.
        assert_eq!(
            kind(srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng)),
            ErrorKind::UserNotConfirmed
        );
        // Again: UsernameExistsException.
        assert_eq!(
            kind(call(
                &mut pool,
                sign_up.write_request(&config, &mut buf),
                |r| SignUpReply::read(r).map(|_| ())
            )),
            ErrorKind::UsernameExists
        );

        let code = pool.last_code_sent(EMAIL).unwrap();
        let wrong = ConfirmSignUp {
            username: "alice",
            confirmation_code: "000000x",
            ..ConfirmSignUp::default()
        };
        assert_eq!(
            kind(call(
                &mut pool,
                wrong.write_request(&config, &mut buf),
                |r| ConfirmSignUpReply::read(r).map(|_| ())
            )),
            ErrorKind::CodeMismatch
        );
        let confirm = ConfirmSignUp {
            username: "alice",
            confirmation_code: &code,
            session: reply.1.as_deref(),
            ..ConfirmSignUp::default()
        };
        let session = call(&mut pool, confirm.write_request(&config, &mut buf), |r| {
            ConfirmSignUpReply::read(r).map(|c| c.session.map(str::to_owned))
        })
        .unwrap()
        .expect("ConfirmSignUp returns a Session");

        // Straight in with the ConfirmSignUp Session (USER_AUTH, no password).
        let tokens = sign_in(
            &mut pool,
            SignIn::after_sign_up(&config, "alice", &session, None).unwrap(),
        )
        .unwrap();
        assert!(pool.verify_access_token(&tokens.access).is_some());
        // And with the password, by SRP.
        srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();

        let user = call(
            &mut pool,
            GetUser {
                access_token: &tokens.access,
            }
            .write_request(&mut buf),
            |r| {
                GetUserReply::read(r).map(|u| {
                    assert!(u.username.eq_str("alice"));
                    let name = u.user_attributes.value_of("name").unwrap();
                    assert!(name.eq_str("Alice \"Al\""));
                    assert!(u.user_attributes.value_of("sub").is_some());
                })
            },
        );
        user.unwrap();
    }
}

#[test]
fn forgotten_password_and_password_change() {
    let (mut pool, mut rng) = setup(2, true);
    pool.add_user_with(
        "alice",
        "Passw0rd!",
        cognito_tests::pool::UserOptions {
            email: Some(EMAIL.into()),
            email_verified: true,
            ..Default::default()
        },
    );
    let config = config(true);
    let mut buf = [0u8; 4096];
    let delivery = call(
        &mut pool,
        ForgotPassword {
            username: "alice",
            ..ForgotPassword::default()
        }
        .write_request(&config, &mut buf),
        |r| {
            CodeDeliveryReply::read(r).map(|d| {
                d.code_delivery_details
                    .unwrap()
                    .attribute_name
                    .map(|a| a.raw().to_owned())
            })
        },
    )
    .unwrap();
    assert_eq!(delivery.as_deref(), Some("email"));
    let code = pool.last_code_sent(EMAIL).unwrap();
    let reset = ConfirmForgotPassword {
        username: "alice",
        confirmation_code: &code,
        password: "Reset-Passw0rd!",
        ..ConfirmForgotPassword::default()
    };
    call(
        &mut pool,
        reset.write_request(&config, &mut buf),
        ConfirmForgotPassword::read_reply,
    )
    .unwrap();
    assert_eq!(
        kind(srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng)),
        ErrorKind::NotAuthorized
    );
    let tokens = srp(&mut pool, &config, "alice", "Reset-Passw0rd!", &mut rng).unwrap();

    let change = ChangePassword {
        access_token: &tokens.access,
        previous_password: Some("Reset-Passw0rd!"),
        proposed_password: "Chang3d-Passw0rd!",
    };
    call(
        &mut pool,
        change.write_request(&mut buf),
        ChangePassword::read_reply,
    )
    .unwrap();
    assert_eq!(
        kind(srp(
            &mut pool,
            &config,
            "alice",
            "Reset-Passw0rd!",
            &mut rng
        )),
        ErrorKind::NotAuthorized
    );
    srp(&mut pool, &config, "alice", "Chang3d-Passw0rd!", &mut rng).unwrap();
}

#[test]
fn attributes_update_and_verification() {
    let (mut pool, mut rng) = setup(3, false);
    pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let tokens = srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let mut buf = [0u8; 4096];
    let update = UpdateUserAttributes {
        access_token: &tokens.access,
        user_attributes: &[("email", EMAIL), ("nickname", "al")],
        ..UpdateUserAttributes::default()
    };
    let sent = call(&mut pool, update.write_request(&mut buf), |r| {
        UpdateUserAttributesReply::read(r).map(|u| u.code_delivery_details_list.len())
    })
    .unwrap();
    assert_eq!(sent, 1, "a code goes to the new email");
    // Ask for another code, then verify with it.
    let resend = GetUserAttributeVerificationCode {
        access_token: &tokens.access,
        attribute_name: "email",
        ..GetUserAttributeVerificationCode::default()
    };
    call(&mut pool, resend.write_request(&mut buf), |r| {
        CodeDeliveryReply::read(r).map(|_| ())
    })
    .unwrap();
    let code = pool.last_code_sent(EMAIL).unwrap();
    let verify = VerifyUserAttribute {
        access_token: &tokens.access,
        attribute_name: "email",
        code: &code,
    };
    call(
        &mut pool,
        verify.write_request(&mut buf),
        VerifyUserAttribute::read_reply,
    )
    .unwrap();
    assert_eq!(
        pool.user_attributes("alice").unwrap()["email_verified"],
        "true"
    );
}

#[test]
fn sign_out_revoke_devices_and_deletion() {
    let (mut pool, mut rng) = setup(4, true);
    pool.add_user("alice", "Passw0rd!");
    let config = config(true);
    let mut buf = vec![0u8; 8192];

    // A device, so there is something to list.
    let first = srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let (key, group) = first.new_device.clone().unwrap();
    let (device, verifier) = DeviceCredentials::generate(
        &NewDeviceMetadata {
            device_key: &key,
            device_group_key: &group,
        },
        &mut rng,
    )
    .unwrap();
    call(
        &mut pool,
        device.write_confirm_device(&first.access, &verifier, Some("kitchen"), &mut buf),
        cognito_core::auth::ConfirmDevice::read_reply,
    )
    .unwrap();
    let listed = call(
        &mut pool,
        ListDevices {
            access_token: &first.access,
            limit: Some(10),
            pagination_token: None,
        }
        .write_request(&mut buf),
        |r| {
            ListDevicesReply::read(r).map(|l| {
                l.devices
                    .iter()
                    .map(|d| d.device_key.to_owned())
                    .collect::<Vec<_>>()
            })
        },
    )
    .unwrap();
    assert_eq!(listed, core::slice::from_ref(&key));
    let name = call(
        &mut pool,
        GetDevice {
            access_token: &first.access,
            device_key: &key,
        }
        .write_request(&mut buf),
        |r| GetDeviceReply::read(r).map(|d| d.device.device_name().map(|n| n.raw().to_owned())),
    )
    .unwrap();
    assert_eq!(name.as_deref(), Some("kitchen"));

    // Revoke the refresh token: refreshing fails afterwards.
    let username = pool.user_sub("alice").unwrap();
    let refresh_once = |pool: &mut UserPool, token: &str| {
        let mut refresh = Refresh::new(&config, token)
            .unwrap()
            .with_username(&username)
            .with_device_key(&key);
        let mut buf = [0u8; 4096];
        call(pool, refresh.write_request(&mut buf), |r| {
            refresh.handle_response(r).map(|_| ())
        })
    };
    refresh_once(&mut pool, &first.refresh).unwrap();
    call(
        &mut pool,
        RevokeToken {
            token: &first.refresh,
        }
        .write_request(&config, &mut buf),
        RevokeToken::read_reply,
    )
    .unwrap();
    assert_eq!(
        kind(refresh_once(&mut pool, &first.refresh)),
        ErrorKind::NotAuthorized
    );

    // Global sign-out: the access token stops working.
    let remembered = device.as_remembered();
    let second = sign_in(
        &mut pool,
        SignIn::srp(
            &config,
            "alice",
            "Passw0rd!",
            SrpEphemeral::generate(&mut rng).unwrap(),
        )
        .unwrap()
        .with_device(&remembered, SrpEphemeral::generate(&mut rng).unwrap()),
    )
    .unwrap();
    call(
        &mut pool,
        GlobalSignOut {
            access_token: &second.access,
        }
        .write_request(&mut buf),
        GlobalSignOut::read_reply,
    )
    .unwrap();
    assert_eq!(
        kind(call(
            &mut pool,
            GetUser {
                access_token: &second.access
            }
            .write_request(&mut buf),
            |r| GetUserReply::read(r).map(|_| ())
        )),
        ErrorKind::NotAuthorized
    );

    // Delete the user.
    let third = srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    call(
        &mut pool,
        DeleteUser {
            access_token: &third.access,
        }
        .write_request(&mut buf),
        DeleteUser::read_reply,
    )
    .unwrap();
    assert!(pool.user_sub("alice").is_none());
    assert_eq!(
        kind(srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng)),
        ErrorKind::UserNotFound
    );
    assert_eq!(
        pool.operations()
            .iter()
            .filter(|o| ["RevokeToken", "GlobalSignOut", "DeleteUser"].contains(o))
            .count(),
        3
    );
}

#[test]
fn totp_association_preference_then_mfa_sign_in() {
    use cognito_core::account::{
        AssociateSoftwareToken, AssociateSoftwareTokenReply, MfaSetting, SetUserMfaPreference,
        TokenOrSession, VerifySoftwareToken, VerifySoftwareTokenReply,
    };
    use cognito_core::auth::Answer;
    let (mut pool, mut rng) = setup(5, false);
    pool.set_mfa_configuration(cognito_tests::pool::MfaConfiguration {
        mode: cognito_tests::pool::MfaMode::Optional,
        sms: false,
        software_token: true,
        email: false,
    });
    pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let tokens = srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let mut buf = [0u8; 4096];
    let auth = TokenOrSession::AccessToken(&tokens.access);
    let secret = call(
        &mut pool,
        AssociateSoftwareToken { auth }.write_request(&mut buf),
        |r| AssociateSoftwareTokenReply::read(r).map(|a| a.secret_code.to_owned()),
    )
    .unwrap();
    let code = cognito_core::totp::code(&secret, UnixTime::from_secs(pool.now())).unwrap();
    let verify = VerifySoftwareToken {
        auth,
        user_code: &code,
        friendly_device_name: Some("phone"),
    };
    assert!(
        call(&mut pool, verify.write_request(&mut buf), |r| {
            VerifySoftwareTokenReply::read(r).map(|v| v.is_success())
        })
        .unwrap()
    );
    let preference = SetUserMfaPreference {
        access_token: &tokens.access,
        software_token: Some(MfaSetting {
            enabled: true,
            preferred: true,
        }),
        ..SetUserMfaPreference::default()
    };
    call(
        &mut pool,
        preference.write_request(&mut buf),
        SetUserMfaPreference::read_reply,
    )
    .unwrap();

    // The next sign-in asks for the authenticator code; the core's TOTP answers it.
    let mut flow = SignIn::srp(
        &config,
        "alice",
        "Passw0rd!",
        SrpEphemeral::generate(&mut rng).unwrap(),
    )
    .unwrap();
    let mut big = vec![0u8; 16384];
    let mut answered = false;
    let mut pending: Option<(String, Vec<u8>)> = None;
    let signed_in = loop {
        let (target, body) = match pending.take() {
            Some(p) => p,
            None => {
                let r = flow.write_request(&mut big).unwrap();
                (r.operation.target().to_owned(), r.body.to_vec())
            }
        };
        let reply = pool.handle(&target, CONTENT_TYPE, &body);
        let response = HttpResponse::new(reply.status, &reply.body);
        match flow
            .handle_response(&response, UnixTime::from_secs(pool.now()))
            .unwrap()
        {
            Step::SendRequest => {}
            Step::Challenge(c) => {
                assert_eq!(c.name().as_str(), "SOFTWARE_TOKEN_MFA");
                let code =
                    cognito_core::totp::code(&secret, UnixTime::from_secs(pool.now())).unwrap();
                let r = flow.answer(&Answer::Code(&code), &mut big).unwrap();
                pending = Some((r.operation.target().to_owned(), r.body.to_vec()));
                answered = true;
            }
            Step::Authenticated(t) => break t.access_token.to_owned(),
            other => panic!("{other:?}"),
        }
    };
    assert!(answered && pool.verify_access_token(&signed_in).is_some());
}

#[test]
fn device_list_and_forget() {
    use cognito_core::account::ForgetDevice;
    let (mut pool, mut rng) = setup(6, false);
    pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let mut buf = vec![0u8; 8192];
    let mut devices = Vec::new();
    for name in ["kitchen", "garage", "porch"] {
        let t = srp(&mut pool, &config, "alice", "Passw0rd!", &mut rng).unwrap();
        let (key, group) = t.new_device.unwrap();
        let (device, verifier) = DeviceCredentials::generate(
            &NewDeviceMetadata {
                device_key: &key,
                device_group_key: &group,
            },
            &mut rng,
        )
        .unwrap();
        call(
            &mut pool,
            device.write_confirm_device(&t.access, &verifier, Some(name), &mut buf),
            cognito_core::auth::ConfirmDevice::read_reply,
        )
        .unwrap();
        devices.push((device, t.access));
    }
    let access = devices[2].1.clone();
    // Two per page: the pagination token leads to the rest.
    let mut seen = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let page = ListDevices {
            access_token: &access,
            limit: Some(2),
            pagination_token: token.as_deref(),
        };
        let (keys, next) = call(&mut pool, page.write_request(&mut buf), |r| {
            ListDevicesReply::read(r).map(|l| {
                (
                    l.devices
                        .iter()
                        .map(|d| d.device_key.to_owned())
                        .collect::<Vec<_>>(),
                    l.pagination_token.map(str::to_owned),
                )
            })
        })
        .unwrap();
        seen.extend(keys);
        match next {
            Some(n) => token = Some(n),
            None => break,
        }
    }
    seen.sort();
    let mut expected: Vec<_> = devices
        .iter()
        .map(|(d, _)| d.device_key().to_owned())
        .collect();
    expected.sort();
    assert_eq!(seen, expected);

    // Forget one: it disappears, and signing in with it starts over without it.
    let forgotten = &devices[0].0;
    call(
        &mut pool,
        ForgetDevice {
            access_token: &access,
            device_key: forgotten.device_key(),
        }
        .write_request(&mut buf),
        ForgetDevice::read_reply,
    )
    .unwrap();
    let remaining = call(
        &mut pool,
        ListDevices {
            access_token: &access,
            limit: None,
            pagination_token: None,
        }
        .write_request(&mut buf),
        |r| ListDevicesReply::read(r).map(|l| l.devices.len()),
    )
    .unwrap();
    assert_eq!(remaining, 2);
    let remembered = forgotten.as_remembered();
    let mut flow = SignIn::srp(
        &config,
        "alice",
        "Passw0rd!",
        SrpEphemeral::generate(&mut rng).unwrap(),
    )
    .unwrap()
    .with_device(&remembered, SrpEphemeral::generate(&mut rng).unwrap());
    let mut forgotten_seen = false;
    loop {
        let request = flow.write_request(&mut buf).unwrap();
        let (status, error_type, body) = send(&mut pool, request);
        let response = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        match flow
            .handle_response(&response, UnixTime::from_secs(pool.now()))
            .unwrap()
        {
            Step::SendRequest => {}
            Step::DeviceForgotten => forgotten_seen = true,
            Step::Authenticated(_) => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(forgotten_seen);
}
