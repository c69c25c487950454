//! Every sign-in flow and every account operation of `cognito-core`, against the emulator with
//! no adapter, through the one loop of `cognito_tests::fixtures::driver::Pair`: one user's life
//! from sign-up to deletion, with a real assertion on every result. At the end every operation
//! of `cognito_core::wire::Operation::ALL` must have gone through that loop.

use cognito_core::account::{
    AssociateSoftwareToken, ChangePassword, CompleteWebAuthnRegistration, ConfirmForgotPassword,
    ConfirmSignUp, DeleteUser, DeleteUserAttributes, DeleteWebAuthnCredential, DeliveryMedium,
    FeedbackValue, ForgetDevice, ForgotPassword, GetDevice, GetUser,
    GetUserAttributeVerificationCode, GetUserAuthFactors, ListDevices, ListWebAuthnCredentials,
    MfaOptionSetting, MfaSetting, ResendConfirmationCode, RevokeToken, SetUserMfaPreference,
    SetUserSettings, SignUp, StartWebAuthnRegistration, TokenOrSession, UpdateAuthEventFeedback,
    UpdateDeviceStatus, UpdateUserAttributes, VerifySoftwareToken, VerifyUserAttribute,
};
use cognito_core::auth::{
    ChallengeKind, ClientConfig, CodeKind, DeviceCredentials, DeviceRegistration, DeviceStep,
    FirstFactor, NewDeviceMetadata, Refresh, RefreshOperation, SignIn,
};
use cognito_core::wire::{ErrorKind, Operation};
use cognito_tests::fixtures::driver::{DriveError, Pair, Prompt, SignedIn, Tokens, UserAnswer};
use cognito_tests::pool::{
    AppClientOptions, CustomAuthScript, CustomRound, DeviceTracking, FirstAuthFactor,
    MfaConfiguration, MfaFactor, MfaMode, Passkey, UserPool, UserStatus,
};
use rand_chacha::ChaCha20Rng;
use serde_json::Value;

use crate::support::{
    confirm_offered_device, delivery_medium, eph, kind, rng, sign_in_with_passkey,
};

const POOL_ID: &str = "eu-west-1_EveryExchange";
/// An app client with a secret that always remembers devices.
const TRACKED: &str = "trackedclient0000000000000";
const SECRET: &str = "trackedsecret000000000000000000000000000000000000000";
/// A public app client whose users opt in to remembering devices.
const OPT_IN: &str = "optinclient000000000000000";
const USER: &str = "carol";
const PASSWORD: &str = "Passw0rd-Carol!";
const RESET_PASSWORD: &str = "Reset-Passw0rd!";
const NEW_PASSWORD: &str = "Chang3d-Passw0rd!";
const EMAIL: &str = "carol@example.com";
const PHONE: &str = "+15555550142";
const NEW_PHONE: &str = "+15555550199";

/// The pair, the two app clients, and the randomness of the device.
struct World {
    pair: Pair,
    tracked: ClientConfig,
    opt_in: ClientConfig,
    rng: ChaCha20Rng,
}

impl World {
    fn new() -> Self {
        let mut pool = UserPool::new(POOL_ID, 21);
        pool.add_client_with(
            TRACKED,
            AppClientOptions {
                secret: Some(SECRET.into()),
                device_tracking: DeviceTracking::Always,
            },
        );
        pool.add_client_with(
            OPT_IN,
            AppClientOptions {
                secret: None,
                device_tracking: DeviceTracking::UserOptIn,
            },
        );
        pool.set_mfa_configuration(MfaConfiguration {
            mode: MfaMode::Optional,
            sms: true,
            software_token: true,
            email: false,
        });
        pool.set_allowed_first_auth_factors(&[
            FirstAuthFactor::EmailOtp,
            FirstAuthFactor::SmsOtp,
            FirstAuthFactor::WebAuthn,
        ]);
        World {
            pair: Pair::new(pool),
            tracked: ClientConfig::new(POOL_ID, TRACKED)
                .unwrap()
                .with_client_secret(SECRET)
                .unwrap(),
            opt_in: ClientConfig::new(POOL_ID, OPT_IN).unwrap(),
            rng: rng(21),
        }
    }

    /// The transcript from attempt `from` on.
    fn since(&self, from: usize) -> Vec<String> {
        self.pair.transcript()[from..].to_vec()
    }

    /// An SRP sign-in through the `tracked` client (else the opt-in one), as the remembered
    /// `device` when given, answering what `decide` answers.
    fn srp(
        &mut self,
        tracked: bool,
        password: &str,
        device: Option<&DeviceCredentials>,
        decide: impl FnMut(&mut UserPool, Prompt<'_>) -> Option<UserAnswer>,
    ) -> Result<SignedIn, DriveError> {
        let config = if tracked { &self.tracked } else { &self.opt_in };
        let mut flow: SignIn = SignIn::srp(config, USER, password, eph(&mut self.rng)).unwrap();
        if let Some(device) = device {
            flow = flow.with_device(device, eph(&mut self.rng));
        }
        let signed = self.pair.sign_in(&mut flow, decide);
        if signed.is_ok() {
            assert_eq!(flow.session(), "", "a finished sign-in keeps no Session");
        }
        signed
    }

    /// Registers the device `tokens` offer (a `DeviceRegistration` flow) through the `tracked`
    /// client (else the opt-in one), choosing `remember` where the pool lets the user choose;
    /// returns every step of the registration and the credentials to persist.
    fn register(
        &mut self,
        tracked: bool,
        tokens: &Tokens,
        name: &str,
        remember: bool,
    ) -> (Vec<DeviceStep>, DeviceCredentials) {
        let config = if tracked { &self.tracked } else { &self.opt_in };
        let (key, group) = tokens.new_device.clone().expect("NewDeviceMetadata");
        let offer = NewDeviceMetadata {
            device_key: &key,
            device_group_key: &group,
        };
        let mut registration: DeviceRegistration =
            DeviceRegistration::new(config, &offer, &tokens.access_token, &mut self.rng)
                .unwrap()
                .with_device_name(name)
                .unwrap()
                .remember(remember);
        let mut steps = Vec::new();
        self.pair
            .drive(&mut registration, |step| steps.push(step))
            .unwrap();
        assert!(registration.is_finished());
        let device = registration.credentials().clone();
        assert_eq!(device.device_key(), key);
        let info = self.pair.pool.device_info(&key).unwrap();
        assert!(info.confirmed);
        assert_eq!(info.remembered, Some(remember));
        assert_eq!(info.name.as_deref(), Some(name));
        (steps, device)
    }

    fn sub(&self) -> String {
        self.pair.pool.user_sub(USER).unwrap()
    }
}

/// Answers nothing: the sign-in must need no answer.
fn nothing(_: &mut UserPool, prompt: Prompt<'_>) -> Option<UserAnswer> {
    panic!("unexpected {prompt:?}")
}

/// The TOTP code of the user's authenticator app now, by the core's RFC 6238 generator.
fn totp(pool: &UserPool) -> String {
    let secret = pool.totp_secret(USER).unwrap();
    let now = cognito_core::time::UnixTime::from_secs(pool.now());
    cognito_core::totp::code(&secret, now).unwrap().to_string()
}

#[test]
fn every_flow_and_operation_through_one_loop() {
    let mut world = World::new();
    registration(&mut world);
    let (device, signed_in) = sign_in_flows(&mut world);
    passkeys(&mut world, &signed_in);
    attributes(&mut world, &signed_in);
    mfa_settings(&mut world, &signed_in);
    passwords(&mut world, &device);
    devices(&mut world, &device);
    sessions_and_deletion(&mut world, &device);

    // Every operation went through the loop, and only the expected requests failed.
    for operation in Operation::ALL {
        assert!(world.pair.has_sent(*operation), "{operation} was not sent");
    }
    let failed: Vec<String> = world
        .pair
        .sent()
        .iter()
        .filter(|sent| sent.status != Some(200))
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        failed,
        [
            "RespondToAuthChallenge PASSWORD_VERIFIER", // the old password after the reset
            "RespondToAuthChallenge PASSWORD_VERIFIER", // the reset password after the change
            "InitiateAuth",                             // refreshing a revoked refresh token
            "GetUser",                                  // an access token after global sign-out
            "InitiateAuth",                             // a deleted user
        ]
    );
    // Nothing was resent: the emulator never failed.
    assert_eq!(world.pair.sent().len(), world.pair.pool.requests().len());
}

/// SignUp, ResendConfirmationCode, ConfirmSignUp, then `SignIn::after_sign_up`; and ConfirmDevice
/// as a call for the device that sign-in offers.
fn registration(world: &mut World) {
    let attributes = [("email", EMAIL), ("phone_number", PHONE), ("name", "Carol")];
    let sign_up = SignUp {
        username: USER,
        password: Some(PASSWORD),
        user_attributes: &attributes,
        ..SignUp::default()
    };
    let (sub, session) = world
        .pair
        .call(&world.tracked, sign_up, |reply| {
            assert!(!reply.user_confirmed);
            let delivery = reply.code_delivery_details.unwrap();
            assert_eq!(delivery.delivery_medium, Some("EMAIL"));
            assert!(delivery.attribute_name.unwrap().eq_str("email"));
            (reply.user_sub.to_owned(), reply.session.map(str::to_owned))
        })
        .unwrap();
    assert_eq!(world.sub(), sub);
    assert_eq!(
        world.pair.pool.user_status(USER),
        Some(UserStatus::Unconfirmed)
    );
    let sent = world.pair.pool.sent_messages().len();
    let resend = ResendConfirmationCode {
        username: USER,
        ..ResendConfirmationCode::default()
    };
    let medium = world
        .pair
        .call(&world.tracked, resend, delivery_medium)
        .unwrap();
    assert_eq!(medium.as_deref(), Some("EMAIL"));
    assert_eq!(world.pair.pool.sent_messages().len(), sent + 1);
    let code = world.pair.pool.last_code_sent(EMAIL).unwrap();
    let confirm = ConfirmSignUp {
        username: USER,
        confirmation_code: &code,
        session: session.as_deref(),
        ..ConfirmSignUp::default()
    };
    let session = world
        .pair
        .call(&world.tracked, confirm, |reply| {
            reply.session.map(str::to_owned)
        })
        .unwrap()
        .expect("ConfirmSignUp returns a Session");
    assert_eq!(
        world.pair.pool.user_status(USER),
        Some(UserStatus::Confirmed)
    );
    assert_eq!(
        world.pair.pool.user_attributes(USER).unwrap()["email_verified"],
        "true"
    );

    // Straight in with that Session: USER_AUTH, no password.
    let mut flow: SignIn = SignIn::after_sign_up(&world.tracked, USER, &session, None).unwrap();
    let signed = world.pair.sign_in(&mut flow, nothing).unwrap();
    assert!(signed.steps.is_empty());
    let last = world.pair.sent().last().unwrap();
    assert_eq!(last.auth_flow.as_deref(), Some("USER_AUTH"));
    let claims = world
        .pair
        .pool
        .verify_access_token(&signed.tokens.access_token)
        .unwrap();
    assert_eq!(
        (claims.sub.as_str(), claims.client_id.as_str()),
        (sub.as_str(), TRACKED)
    );

    // ConfirmDevice as a call of its own: this client remembers devices at once.
    let (device, opt_in) = confirm_offered_device(
        &mut world.pair,
        &world.tracked,
        &signed.tokens,
        Some("signup-phone"),
        &mut world.rng,
    );
    assert!(!opt_in);
    let info = world.pair.pool.device_info(device.device_key()).unwrap();
    assert!(info.confirmed && info.remembered == Some(true));
}

/// Every sign-in flow, `DeviceRegistration` under both device-tracking settings, and `Refresh`
/// with both operations. Returns the remembered device and a device sign-in's tokens.
fn sign_in_flows(world: &mut World) -> (DeviceCredentials, Tokens) {
    // srp, with a device offer the always-tracking client registers without asking.
    let start = world.pair.sent().len();
    let signed = world.srp(true, PASSWORD, None, nothing).unwrap();
    let (steps, device) = world.register(true, &signed.tokens, "kitchen", true);
    assert_eq!(steps, [DeviceStep::Registered { remembered: true }]);
    assert_eq!(
        world.since(start),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "ConfirmDevice"
        ]
    );

    // Device SRP with the remembered device.
    let start = world.pair.sent().len();
    let device_signed = world.srp(true, PASSWORD, Some(&device), nothing).unwrap();
    assert!(device_signed.tokens.new_device.is_none());
    assert_eq!(
        world.since(start),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );
    let claims = world
        .pair
        .pool
        .verify_access_token(&device_signed.tokens.access_token)
        .unwrap();
    assert_eq!(claims.device_key.as_deref(), Some(device.device_key()));

    // password, through the client whose users opt in: once remembered, once not.
    for remember in [true, false] {
        let start = world.pair.sent().len();
        let mut flow: SignIn = SignIn::password(&world.opt_in, USER, PASSWORD).unwrap();
        let signed = world.pair.sign_in(&mut flow, nothing).unwrap();
        assert_eq!(
            world.pair.sent()[start].auth_flow.as_deref(),
            Some("USER_PASSWORD_AUTH")
        );
        let name = if remember { "porch" } else { "garage" };
        let (steps, _) = world.register(false, &signed.tokens, name, remember);
        assert_eq!(
            steps,
            [
                DeviceStep::SendRequest,
                DeviceStep::Registered {
                    remembered: remember
                }
            ]
        );
        assert_eq!(
            world.since(start),
            ["InitiateAuth", "ConfirmDevice", "UpdateDeviceStatus"]
        );
    }

    // custom, then custom_with_srp.
    world.pair.pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: false,
        rounds: vec![CustomRound::new(&[("color", "sky")], "blue")],
        max_wrong_answers: 1,
    }));
    let answer_custom = |_: &mut UserPool, prompt: Prompt<'_>| match prompt {
        Prompt::Challenge(c) => match c.kind() {
            ChallengeKind::Custom { parameters } => {
                assert!(parameters.get("color").unwrap().eq_str("sky"));
                Some(UserAnswer::Custom("blue".into()))
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    };
    let mut flow: SignIn = SignIn::custom(&world.tracked, USER).unwrap();
    let signed = world.pair.sign_in(&mut flow, answer_custom).unwrap();
    assert_eq!(signed.steps, ["CUSTOM_CHALLENGE"]);
    world.pair.pool.set_custom_auth(Some(CustomAuthScript {
        require_srp: true,
        rounds: vec![CustomRound::new(&[("color", "sky")], "blue")],
        max_wrong_answers: 1,
    }));
    let start = world.pair.sent().len();
    let mut flow: SignIn =
        SignIn::custom_with_srp(&world.tracked, USER, PASSWORD, eph(&mut world.rng)).unwrap();
    let signed = world.pair.sign_in(&mut flow, answer_custom).unwrap();
    assert_eq!(signed.steps, ["CUSTOM_CHALLENGE"]);
    assert_eq!(
        world.since(start),
        [
            "InitiateAuth",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge CUSTOM_CHALLENGE"
        ]
    );
    assert_eq!(
        world.pair.sent()[start].auth_flow.as_deref(),
        Some("CUSTOM_AUTH")
    );

    // choice, preferring a code by email (verified at sign-up).
    let mut flow: SignIn =
        SignIn::choice(&world.opt_in, USER, Some(FirstFactor::EmailOtp), None, None).unwrap();
    let signed = world
        .pair
        .sign_in(&mut flow, |pool, prompt| match prompt {
            Prompt::Challenge(c) => match c.kind() {
                ChallengeKind::MfaCode {
                    kind: CodeKind::EmailOtp,
                    medium,
                    ..
                } => {
                    assert_eq!(medium, Some(DeliveryMedium::Email));
                    Some(UserAnswer::Code(pool.last_code_sent(EMAIL).unwrap()))
                }
                other => panic!("{other:?}"),
            },
            other => panic!("{other:?}"),
        })
        .unwrap();
    assert_eq!(signed.steps, ["EMAIL_OTP"]);

    // Refresh the device sign-in's tokens, with REFRESH_TOKEN_AUTH (SECRET_HASH over the real
    // username, the device key) and with GetTokensFromRefreshToken (ClientSecret).
    let refresh_token = device_signed.tokens.refresh_token.clone().unwrap();
    for operation in [
        RefreshOperation::InitiateAuth,
        RefreshOperation::GetTokensFromRefreshToken,
    ] {
        let mut refresh: Refresh = Refresh::new(&world.tracked, &refresh_token)
            .unwrap()
            .with_username(&world.sub())
            .unwrap()
            .with_device_key(device.device_key())
            .unwrap()
            .using(operation);
        let tokens = world
            .pair
            .drive(&mut refresh, |t| Tokens::from(&t))
            .unwrap();
        assert_eq!(tokens.refresh_token, None, "no rotation on this client");
        let claims = world
            .pair
            .pool
            .verify_access_token(&tokens.access_token)
            .unwrap();
        assert_eq!(claims.device_key.as_deref(), Some(device.device_key()));
        let last = world.pair.sent().last().unwrap();
        match operation {
            RefreshOperation::InitiateAuth => {
                assert_eq!(last.auth_flow.as_deref(), Some("REFRESH_TOKEN_AUTH"));
            }
            _ => assert_eq!(last.operation, Operation::GetTokensFromRefreshToken),
        }
    }
    (device, device_signed.tokens)
}

/// Start/CompleteWebAuthnRegistration, a passkey sign-in (`choice` without a preference),
/// ListWebAuthnCredentials and DeleteWebAuthnCredential.
fn passkeys(world: &mut World, tokens: &Tokens) {
    let access_token = tokens.access_token.as_str();
    let start = StartWebAuthnRegistration { access_token };
    let options: Value = world
        .pair
        .call(&world.tracked, start, |reply| {
            serde_json::from_str(reply.credential_creation_options.raw()).unwrap()
        })
        .unwrap();
    assert_eq!(options["rp"]["id"], "localhost");
    assert_eq!(options["user"]["name"], USER);
    let passkey = Passkey {
        credential_id: "Y2Fyb2wtcGFzc2tleS0wMQ".into(),
        secret: vec![7; 32],
    };
    let credential = passkey.registration(&options).unwrap().to_string();
    let complete = CompleteWebAuthnRegistration {
        access_token,
        credential: &credential,
    };
    world.pair.call(&world.tracked, complete, |()| ()).unwrap();
    let list = ListWebAuthnCredentials {
        access_token,
        ..ListWebAuthnCredentials::default()
    };
    let listed = world
        .pair
        .call(&world.tracked, list, |reply| {
            assert!(reply.next_token.is_none());
            reply
                .credentials
                .iter()
                .map(|c| {
                    assert_eq!(c.relying_party_id, "localhost");
                    c.credential_id.to_owned()
                })
                .collect::<Vec<_>>()
        })
        .unwrap();
    assert_eq!(listed, core::slice::from_ref(&passkey.credential_id));

    // The passkey signs in: SELECT_CHALLENGE offers it, WEB_AUTHN takes its assertion.
    let mut flow: SignIn = SignIn::choice(&world.opt_in, USER, None, None, None).unwrap();
    let signed = world
        .pair
        .sign_in(&mut flow, |_, prompt| {
            sign_in_with_passkey(&passkey, prompt)
        })
        .unwrap();
    assert_eq!(signed.steps, ["SELECT_CHALLENGE", "WEB_AUTHN"]);

    let delete = DeleteWebAuthnCredential {
        access_token,
        credential_id: &passkey.credential_id,
    };
    world.pair.call(&world.tracked, delete, |()| ()).unwrap();
    let count = world
        .pair
        .call(&world.tracked, list, |reply| reply.credentials.len())
        .unwrap();
    assert_eq!(count, 0);
}

/// GetUser, GetUserAuthFactors, UpdateUserAttributes, GetUserAttributeVerificationCode,
/// VerifyUserAttribute, DeleteUserAttributes.
fn attributes(world: &mut World, tokens: &Tokens) {
    let access_token = tokens.access_token.as_str();
    let config = world.tracked.clone();
    world
        .pair
        .call(&config, GetUser { access_token }, |user| {
            assert!(user.username.eq_str(USER));
            let attributes = user.user_attributes;
            assert!(attributes.value_of("email").unwrap().eq_str(EMAIL));
            assert!(attributes.value_of("name").unwrap().eq_str("Carol"));
            assert!(
                attributes
                    .value_of("email_verified")
                    .unwrap()
                    .eq_str("true")
            );
        })
        .unwrap();
    let factors = world
        .pair
        .call(&config, GetUserAuthFactors { access_token }, |reply| {
            assert!(reply.username.eq_str(USER));
            reply
                .configured_user_auth_factors
                .iter()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .unwrap();
    assert!(factors.contains(&"PASSWORD".to_owned()), "{factors:?}");
    assert!(factors.contains(&"EMAIL_OTP".to_owned()), "{factors:?}");

    let update = UpdateUserAttributes {
        access_token,
        user_attributes: &[("nickname", "caz"), ("phone_number", NEW_PHONE)],
        ..UpdateUserAttributes::default()
    };
    let mediums = world
        .pair
        .call(&config, update, |reply| {
            reply
                .code_delivery_details_list
                .iter()
                .map(|d| d.delivery_medium.map(str::to_owned))
                .collect::<Vec<_>>()
        })
        .unwrap();
    assert_eq!(
        mediums,
        [Some("SMS".to_owned())],
        "a code goes to the new phone"
    );
    let attributes = world.pair.pool.user_attributes(USER).unwrap();
    assert_eq!(attributes["nickname"], "caz");
    assert_eq!(attributes["phone_number"], NEW_PHONE);

    let resend = GetUserAttributeVerificationCode {
        access_token,
        attribute_name: "phone_number",
        ..GetUserAttributeVerificationCode::default()
    };
    let attribute = world
        .pair
        .call(&config, resend, |reply| {
            let details = reply.code_delivery_details.unwrap();
            assert_eq!(details.delivery_medium, Some("SMS"));
            details.attribute_name.unwrap().raw().to_owned()
        })
        .unwrap();
    assert_eq!(attribute, "phone_number");
    let code = world.pair.pool.last_code_sent(NEW_PHONE).unwrap();
    let verify = VerifyUserAttribute {
        access_token,
        attribute_name: "phone_number",
        code: &code,
    };
    world.pair.call(&config, verify, |()| ()).unwrap();
    assert_eq!(
        world.pair.pool.user_attributes(USER).unwrap()["phone_number_verified"],
        "true"
    );

    let delete = DeleteUserAttributes {
        access_token,
        user_attribute_names: &["nickname"],
    };
    world.pair.call(&config, delete, |()| ()).unwrap();
    assert!(
        !world
            .pair
            .pool
            .user_attributes(USER)
            .unwrap()
            .contains_key("nickname")
    );
}

/// SetUserSettings, AssociateSoftwareToken, VerifySoftwareToken, SetUserMfaPreference; then a
/// sign-in without a remembered device asks for the authenticator's code.
fn mfa_settings(world: &mut World, tokens: &Tokens) {
    let access_token = tokens.access_token.as_str();
    let config = world.tracked.clone();
    let legacy_sms = SetUserSettings {
        access_token,
        mfa_options: &[MfaOptionSetting {
            delivery_medium: DeliveryMedium::Sms,
            attribute_name: "phone_number",
        }],
    };
    world.pair.call(&config, legacy_sms, |()| ()).unwrap();
    assert!(world.pair.pool.user_mfa(USER).unwrap().sms);

    let auth = TokenOrSession::AccessToken(access_token);
    let secret = world
        .pair
        .call(&config, AssociateSoftwareToken { auth }, |reply| {
            assert!(reply.session.is_none());
            reply.secret_code.to_owned()
        })
        .unwrap();
    assert_eq!(world.pair.pool.totp_secret(USER), None, "not verified yet");
    let code = cognito_core::totp::code(&secret, world.pair.now()).unwrap();
    let verify = VerifySoftwareToken {
        auth,
        user_code: &code,
        friendly_device_name: Some("carol's phone"),
    };
    let verified = world
        .pair
        .call(&config, verify, |reply| reply.is_success())
        .unwrap();
    assert!(verified);
    assert_eq!(world.pair.pool.totp_secret(USER), Some(secret));

    let preference = SetUserMfaPreference {
        access_token,
        sms: Some(MfaSetting {
            enabled: false,
            preferred: false,
        }),
        software_token: Some(MfaSetting {
            enabled: true,
            preferred: true,
        }),
        ..SetUserMfaPreference::default()
    };
    world.pair.call(&config, preference, |()| ()).unwrap();
    let mfa = world.pair.pool.user_mfa(USER).unwrap();
    assert!(!mfa.sms && mfa.software_token);
    assert_eq!(mfa.preferred, Some(MfaFactor::SoftwareToken));

    let signed = world
        .srp(false, PASSWORD, None, |pool, prompt| match prompt {
            Prompt::Challenge(c) => {
                assert!(matches!(
                    c.kind(),
                    ChallengeKind::MfaCode {
                        kind: CodeKind::SoftwareTokenMfa,
                        ..
                    }
                ));
                Some(UserAnswer::Code(totp(pool)))
            }
            other => panic!("{other:?}"),
        })
        .unwrap();
    assert_eq!(signed.steps, ["SOFTWARE_TOKEN_MFA"]);
}

/// ForgotPassword, ConfirmForgotPassword, ChangePassword (signing in as the remembered device,
/// which skips MFA).
fn passwords(world: &mut World, device: &DeviceCredentials) {
    let config = world.tracked.clone();
    let forgot = ForgotPassword {
        username: USER,
        ..ForgotPassword::default()
    };
    let medium = world.pair.call(&config, forgot, delivery_medium).unwrap();
    assert_eq!(medium.as_deref(), Some("EMAIL"));
    let code = world.pair.pool.last_code_sent(EMAIL).unwrap();
    let reset = ConfirmForgotPassword {
        username: USER,
        confirmation_code: &code,
        password: RESET_PASSWORD,
        ..ConfirmForgotPassword::default()
    };
    world.pair.call(&config, reset, |()| ()).unwrap();
    assert_eq!(
        kind(world.srp(true, PASSWORD, Some(device), nothing)),
        ErrorKind::NotAuthorized
    );
    let signed = world
        .srp(true, RESET_PASSWORD, Some(device), nothing)
        .unwrap();

    let change = ChangePassword {
        access_token: &signed.tokens.access_token,
        previous_password: Some(RESET_PASSWORD),
        proposed_password: NEW_PASSWORD,
    };
    world.pair.call(&config, change, |()| ()).unwrap();
    assert_eq!(
        kind(world.srp(true, RESET_PASSWORD, Some(device), nothing)),
        ErrorKind::NotAuthorized
    );
    world
        .srp(true, NEW_PASSWORD, Some(device), nothing)
        .unwrap();
}

/// GetDevice, ListDevices, UpdateDeviceStatus (as a call), ForgetDevice.
fn devices(world: &mut World, device: &DeviceCredentials) {
    let signed = world
        .srp(true, NEW_PASSWORD, Some(device), nothing)
        .unwrap();
    let access_token = signed.tokens.access_token.as_str();
    let config = world.tracked.clone();
    let get = GetDevice {
        access_token,
        device_key: device.device_key(),
    };
    let name = world
        .pair
        .call(&config, get, |reply| {
            assert_eq!(reply.device.device_key, device.device_key());
            reply.device.device_name().map(|n| n.raw().to_owned())
        })
        .unwrap();
    assert_eq!(name.as_deref(), Some("kitchen"));

    let list = ListDevices {
        access_token,
        ..ListDevices::default()
    };
    let listed = world
        .pair
        .call(&config, list, |reply| {
            assert!(reply.pagination_token.is_none());
            reply
                .devices
                .iter()
                .map(|d| d.device_key.to_owned())
                .collect::<Vec<_>>()
        })
        .unwrap();
    let mut confirmed: Vec<String> = world
        .pair
        .pool
        .devices_of(&world.sub())
        .into_iter()
        .filter(|d| d.confirmed)
        .map(|d| d.device_key)
        .collect();
    confirmed.sort();
    assert_eq!(confirmed.len(), 4, "sign-up phone, kitchen, porch, garage");
    assert_eq!(listed, confirmed);

    let porch = world
        .pair
        .pool
        .devices_of(&world.sub())
        .into_iter()
        .find(|d| d.name.as_deref() == Some("porch"))
        .unwrap();
    assert_eq!(porch.remembered, Some(true));
    let update = UpdateDeviceStatus {
        access_token,
        device_key: &porch.device_key,
        remembered: false,
    };
    world.pair.call(&config, update, |()| ()).unwrap();
    let porch_now = world.pair.pool.device_info(&porch.device_key).unwrap();
    assert_eq!(porch_now.remembered, Some(false));

    let forget = ForgetDevice {
        access_token,
        device_key: &porch.device_key,
    };
    world.pair.call(&config, forget, |()| ()).unwrap();
    assert!(world.pair.pool.device_info(&porch.device_key).is_none());
    let count = world
        .pair
        .call(&config, list, |reply| reply.devices.len())
        .unwrap();
    assert_eq!(count, 3);
}

/// UpdateAuthEventFeedback, RevokeToken, GlobalSignOut, DeleteUser.
fn sessions_and_deletion(world: &mut World, device: &DeviceCredentials) {
    let config = world.tracked.clone();
    let feedback = UpdateAuthEventFeedback {
        username: USER,
        event_id: "event-0001",
        feedback_token: "feedback-token",
        feedback_value: FeedbackValue::Invalid,
    };
    world.pair.call(&config, feedback, |()| ()).unwrap();
    let recorded = world.pair.pool.auth_event_feedback();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].sub, world.sub());
    assert_eq!(recorded[0].event_id, "event-0001");
    assert!(!recorded[0].valid);

    let signed = world
        .srp(true, NEW_PASSWORD, Some(device), nothing)
        .unwrap();
    let refresh_token = signed.tokens.refresh_token.clone().unwrap();
    world
        .pair
        .call(
            &config,
            RevokeToken {
                token: &refresh_token,
            },
            |()| (),
        )
        .unwrap();
    let mut refresh: Refresh = Refresh::new(&config, &refresh_token)
        .unwrap()
        .with_username(&world.sub())
        .unwrap()
        .with_device_key(device.device_key())
        .unwrap();
    let refused = world.pair.drive(&mut refresh, |_| ()).unwrap_err();
    assert_eq!(refused.service_kind(), Some(ErrorKind::NotAuthorized));
    assert_eq!(
        refused.service().unwrap().message(),
        "Refresh Token has been revoked"
    );

    let signed = world
        .srp(true, NEW_PASSWORD, Some(device), nothing)
        .unwrap();
    let access_token = signed.tokens.access_token.as_str();
    world
        .pair
        .call(
            &config,
            cognito_core::account::GlobalSignOut { access_token },
            |()| (),
        )
        .unwrap();
    let after = world.pair.call(&config, GetUser { access_token }, |_| ());
    assert_eq!(kind(after), ErrorKind::NotAuthorized);

    let signed = world
        .srp(true, NEW_PASSWORD, Some(device), nothing)
        .unwrap();
    let delete = DeleteUser {
        access_token: &signed.tokens.access_token,
    };
    world.pair.call(&config, delete, |()| ()).unwrap();
    assert_eq!(world.pair.pool.user_sub(USER), None);
    assert_eq!(
        kind(world.srp(true, NEW_PASSWORD, None, nothing)),
        ErrorKind::UserNotFound
    );
}
