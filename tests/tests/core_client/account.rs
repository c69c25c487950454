//! Transcripts of the account operations: `cognito-core`'s calls against the in-memory emulator,
//! through the pair's loop — sign-up → confirm → sign-in, sign-in straight after sign-up,
//! forgotten password, password change, attributes and their verification, sign-out, revoke,
//! devices, deletion.

use cognito_core::account::{
    AssociateSoftwareToken, ChangePassword, ConfirmForgotPassword, ConfirmSignUp, DeleteUser,
    ForgetDevice, ForgotPassword, GetDevice, GetUser, GetUserAttributeVerificationCode,
    GlobalSignOut, ListDevices, MfaSetting, RevokeToken, SetUserMfaPreference, SignUp,
    TokenOrSession, UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_core::auth::{
    Answer, ChallengeKind, ClientConfig, CodeKind, DeviceCredentials, Refresh, SignIn, Step,
};
use cognito_core::wire::ErrorKind;
use cognito_tests::fixtures::driver::{DriveError, Pair, Tokens};
use cognito_tests::pool::{AppClientOptions, DeviceTracking, UserPool};
use rand_chacha::ChaCha20Rng;

use crate::support::{confirm_offered_device, eph, kind, rng};

const POOL_ID: &str = "eu-west-1_AccountPool";
const CLIENT_ID: &str = "accountclient000000000000";
const SECRET: &str = "accountsecret00000000000000000000000000000000000000";
const EMAIL: &str = "alice@example.com";

/// An SRP sign-in with no challenge, through the pair.
fn srp(
    pair: &mut Pair,
    config: &ClientConfig,
    user: &str,
    password: &str,
    rng: &mut ChaCha20Rng,
) -> Result<Tokens, DriveError> {
    let mut flow: SignIn = SignIn::srp(config, user, password, eph(rng))?;
    pair.sign_in(&mut flow, |_, _| None).map(|s| s.tokens)
}

fn setup(seed: u64, secret: bool) -> (Pair, ChaCha20Rng) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: secret.then(|| SECRET.to_owned()),
            device_tracking: DeviceTracking::Always,
        },
    );
    (Pair::new(pool), rng(seed))
}

fn config(secret: bool) -> ClientConfig {
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    if secret {
        config.with_client_secret(SECRET).unwrap()
    } else {
        config
    }
}

#[test]
fn sign_up_confirm_then_sign_in_both_ways() {
    for secret in [false, true] {
        let (mut pair, mut rng) = setup(1, secret);
        let config = config(secret);
        let attributes = [("email", EMAIL), ("name", "Alice \"Al\"")];
        let sign_up = SignUp {
            username: "alice",
            password: Some("Passw0rd!"),
            user_attributes: &attributes,
            ..SignUp::default()
        };
        let (sub, sign_up_session) = pair
            .call(&config, sign_up, |s| {
                assert!(!s.user_confirmed);
                let delivery = s.code_delivery_details.unwrap();
                assert_eq!(delivery.delivery_medium, Some("EMAIL"));
                (s.user_sub.to_owned(), s.session.map(str::to_owned))
            })
            .unwrap();
        assert_eq!(pair.pool.user_sub("alice").unwrap(), sub);
        // Signing in before confirming fails.
        assert_eq!(
            kind(srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng)),
            ErrorKind::UserNotConfirmed
        );
        // Again: UsernameExistsException.
        assert_eq!(
            kind(pair.call(&config, sign_up, |_| ())),
            ErrorKind::UsernameExists
        );

        let code = pair.pool.last_code_sent(EMAIL).unwrap();
        let wrong = ConfirmSignUp {
            username: "alice",
            confirmation_code: "000000x",
            ..ConfirmSignUp::default()
        };
        assert_eq!(
            kind(pair.call(&config, wrong, |_| ())),
            ErrorKind::CodeMismatch
        );
        let confirm = ConfirmSignUp {
            username: "alice",
            confirmation_code: &code,
            session: sign_up_session.as_deref(),
            ..ConfirmSignUp::default()
        };
        let session = pair
            .call(&config, confirm, |c| c.session.map(str::to_owned))
            .unwrap()
            .expect("ConfirmSignUp returns a Session");

        // Straight in with the ConfirmSignUp Session (USER_AUTH, no password).
        let tokens = pair
            .sign_in(
                &mut SignIn::after_sign_up(&config, "alice", &session, None).unwrap(),
                |_, _| None,
            )
            .unwrap()
            .tokens;
        assert!(
            pair.pool
                .verify_access_token(&tokens.access_token)
                .is_some()
        );
        // And with the password, by SRP.
        srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();

        let get_user = GetUser {
            access_token: &tokens.access_token,
        };
        pair.call(&config, get_user, |u| {
            assert!(u.username.eq_str("alice"));
            let name = u.user_attributes.value_of("name").unwrap();
            assert!(name.eq_str("Alice \"Al\""));
            assert!(u.user_attributes.value_of("sub").is_some());
        })
        .unwrap();
    }
}

#[test]
fn forgotten_password_and_password_change() {
    let (mut pair, mut rng) = setup(2, true);
    pair.pool.add_user_with(
        "alice",
        "Passw0rd!",
        cognito_tests::pool::UserOptions {
            email: Some(EMAIL.into()),
            email_verified: true,
            ..Default::default()
        },
    );
    let config = config(true);
    let forgot = ForgotPassword {
        username: "alice",
        ..ForgotPassword::default()
    };
    let delivery = pair
        .call(&config, forgot, |d| {
            d.code_delivery_details
                .unwrap()
                .attribute_name
                .map(|a| a.raw().to_owned())
        })
        .unwrap();
    assert_eq!(delivery.as_deref(), Some("email"));
    let code = pair.pool.last_code_sent(EMAIL).unwrap();
    let reset = ConfirmForgotPassword {
        username: "alice",
        confirmation_code: &code,
        password: "Reset-Passw0rd!",
        ..ConfirmForgotPassword::default()
    };
    pair.call(&config, reset, |()| ()).unwrap();
    assert_eq!(
        kind(srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng)),
        ErrorKind::NotAuthorized
    );
    let tokens = srp(&mut pair, &config, "alice", "Reset-Passw0rd!", &mut rng).unwrap();

    let change = ChangePassword {
        access_token: &tokens.access_token,
        previous_password: Some("Reset-Passw0rd!"),
        proposed_password: "Chang3d-Passw0rd!",
    };
    pair.call(&config, change, |()| ()).unwrap();
    assert_eq!(
        kind(srp(
            &mut pair,
            &config,
            "alice",
            "Reset-Passw0rd!",
            &mut rng
        )),
        ErrorKind::NotAuthorized
    );
    srp(&mut pair, &config, "alice", "Chang3d-Passw0rd!", &mut rng).unwrap();
}

#[test]
fn attributes_update_and_verification() {
    let (mut pair, mut rng) = setup(3, false);
    pair.pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let tokens = srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let access_token = tokens.access_token.as_str();
    let update = UpdateUserAttributes {
        access_token,
        user_attributes: &[("email", EMAIL), ("nickname", "al")],
        ..UpdateUserAttributes::default()
    };
    let sent = pair
        .call(&config, update, |u| u.code_delivery_details_list.len())
        .unwrap();
    assert_eq!(sent, 1, "a code goes to the new email");
    // Ask for another code, then verify with it.
    let resend = GetUserAttributeVerificationCode {
        access_token,
        attribute_name: "email",
        ..GetUserAttributeVerificationCode::default()
    };
    pair.call(&config, resend, |_| ()).unwrap();
    let code = pair.pool.last_code_sent(EMAIL).unwrap();
    let verify = VerifyUserAttribute {
        access_token,
        attribute_name: "email",
        code: &code,
    };
    pair.call(&config, verify, |()| ()).unwrap();
    assert_eq!(
        pair.pool.user_attributes("alice").unwrap()["email_verified"],
        "true"
    );
}

/// `ConfirmDevice` for the device a sign-in offered, named `name`; returns what the device
/// persists.
fn confirm_device(
    pair: &mut Pair,
    config: &ClientConfig,
    tokens: &Tokens,
    name: &str,
    rng: &mut ChaCha20Rng,
) -> DeviceCredentials {
    let (device, opt_in) = confirm_offered_device(pair, config, tokens, Some(name), rng);
    assert!(!opt_in, "Always tracking needs no opt-in");
    device
}

/// The keys of one page of `ListDevices`, and the token of the next.
fn list_devices(
    pair: &mut Pair,
    config: &ClientConfig,
    page: ListDevices<'_>,
) -> (Vec<String>, Option<String>) {
    pair.call(config, page, |l| {
        let keys = l.devices.iter().map(|d| d.device_key.to_owned()).collect();
        (keys, l.pagination_token.map(str::to_owned))
    })
    .unwrap()
}

#[test]
fn sign_out_revoke_devices_and_deletion() {
    let (mut pair, mut rng) = setup(4, true);
    pair.pool.add_user("alice", "Passw0rd!");
    let config = config(true);

    // A device, so there is something to list.
    let first = srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let device = confirm_device(&mut pair, &config, &first, "kitchen", &mut rng);
    let key = device.device_key().to_owned();
    let list = ListDevices {
        access_token: &first.access_token,
        limit: Some(10),
        pagination_token: None,
    };
    let (listed, _) = list_devices(&mut pair, &config, list);
    assert_eq!(listed, core::slice::from_ref(&key));
    let get = GetDevice {
        access_token: &first.access_token,
        device_key: &key,
    };
    let name = pair
        .call(&config, get, |d| {
            d.device.device_name().map(|n| n.raw().to_owned())
        })
        .unwrap();
    assert_eq!(name.as_deref(), Some("kitchen"));

    // Revoke the refresh token: refreshing fails afterwards.
    let username = pair.pool.user_sub("alice").unwrap();
    let refresh_once = |pair: &mut Pair, token: &str| {
        let mut refresh: Refresh = Refresh::new(&config, token)
            .unwrap()
            .with_username(&username)
            .unwrap()
            .with_device_key(&key)
            .unwrap();
        pair.drive(&mut refresh, |_| ())
    };
    let refresh_token = first.refresh_token.as_deref().unwrap();
    refresh_once(&mut pair, refresh_token).unwrap();
    let revoke = RevokeToken {
        token: refresh_token,
    };
    pair.call(&config, revoke, |()| ()).unwrap();
    assert_eq!(
        kind(refresh_once(&mut pair, refresh_token)),
        ErrorKind::NotAuthorized
    );

    // Global sign-out: the access token stops working.
    let second = pair
        .sign_in(
            &mut SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
                .unwrap()
                .with_device(&device, eph(&mut rng)),
            |_, _| None,
        )
        .unwrap()
        .tokens;
    let sign_out = GlobalSignOut {
        access_token: &second.access_token,
    };
    pair.call(&config, sign_out, |()| ()).unwrap();
    let get_user = GetUser {
        access_token: &second.access_token,
    };
    assert_eq!(
        kind(pair.call(&config, get_user, |_| ())),
        ErrorKind::NotAuthorized
    );

    // Delete the user.
    let third = srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let delete = DeleteUser {
        access_token: &third.access_token,
    };
    pair.call(&config, delete, |()| ()).unwrap();
    assert!(pair.pool.user_sub("alice").is_none());
    assert_eq!(
        kind(srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng)),
        ErrorKind::UserNotFound
    );
    assert_eq!(
        pair.pool
            .operations()
            .iter()
            .filter(|o| ["RevokeToken", "GlobalSignOut", "DeleteUser"].contains(o))
            .count(),
        3
    );
}

#[test]
fn totp_association_preference_then_mfa_sign_in() {
    let (mut pair, mut rng) = setup(5, false);
    pair.pool
        .set_mfa_configuration(cognito_tests::pool::MfaConfiguration {
            mode: cognito_tests::pool::MfaMode::Optional,
            sms: false,
            software_token: true,
            email: false,
        });
    pair.pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let tokens = srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();
    let auth = TokenOrSession::AccessToken(&tokens.access_token);
    let secret = pair
        .call(&config, AssociateSoftwareToken { auth }, |a| {
            a.secret_code.to_owned()
        })
        .unwrap();
    let code = cognito_core::totp::code(&secret, pair.now()).unwrap();
    let verify = VerifySoftwareToken {
        auth,
        user_code: &code,
        friendly_device_name: Some("phone"),
    };
    assert!(pair.call(&config, verify, |v| v.is_success()).unwrap());
    let preference = SetUserMfaPreference {
        access_token: &tokens.access_token,
        software_token: Some(MfaSetting {
            enabled: true,
            preferred: true,
        }),
        ..SetUserMfaPreference::default()
    };
    pair.call(&config, preference, |()| ()).unwrap();

    // The next sign-in asks for the authenticator code; the core's TOTP answers it.
    let mut flow: SignIn = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng)).unwrap();
    let challenged = pair
        .drive(&mut flow, |step| match step {
            Step::SendRequest => false,
            Step::Challenge(c) => {
                assert_eq!(c.name().as_str(), "SOFTWARE_TOKEN_MFA");
                assert!(matches!(
                    c.kind(),
                    ChallengeKind::MfaCode {
                        kind: CodeKind::SoftwareTokenMfa,
                        ..
                    }
                ));
                true
            }
            other => panic!("{other:?}"),
        })
        .unwrap();
    assert!(challenged && flow.awaits_answer());
    let code = cognito_core::totp::code(&secret, pair.now()).unwrap();
    let signed_in = pair
        .answer(&mut flow, &Answer::Code(&code), |step| match step {
            Step::Authenticated(t) => t.access_token.to_owned(),
            other => panic!("{other:?}"),
        })
        .unwrap();
    assert!(pair.pool.verify_access_token(&signed_in).is_some());
}

#[test]
fn device_list_and_forget() {
    let (mut pair, mut rng) = setup(6, false);
    pair.pool.add_user("alice", "Passw0rd!");
    let config = config(false);
    let mut devices = Vec::new();
    for name in ["kitchen", "garage", "porch"] {
        let t = srp(&mut pair, &config, "alice", "Passw0rd!", &mut rng).unwrap();
        let device = confirm_device(&mut pair, &config, &t, name, &mut rng);
        devices.push((device, t.access_token));
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
        let (keys, next) = list_devices(&mut pair, &config, page);
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
    let forget = ForgetDevice {
        access_token: &access,
        device_key: forgotten.device_key(),
    };
    pair.call(&config, forget, |()| ()).unwrap();
    let all = ListDevices {
        access_token: &access,
        limit: None,
        pagination_token: None,
    };
    let (remaining, _) = list_devices(&mut pair, &config, all);
    assert_eq!(remaining.len(), 2);
    let mut flow: SignIn = SignIn::srp(&config, "alice", "Passw0rd!", eph(&mut rng))
        .unwrap()
        .with_device(forgotten, eph(&mut rng));
    let signed = pair.sign_in(&mut flow, |_, _| None).unwrap();
    assert_eq!(signed.steps, ["DEVICE_FORGOTTEN"]);
    assert!(!flow.uses_device());
}
