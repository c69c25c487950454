//! No `Debug` (or `Display`) output of the core's public types shows a secret, and the secrets
//! the core hands out or keeps are zeroized.
//!
//! [`debug_hides_every_secret`] formats every type of `cognito_tests::secrets::CORE.checked`
//! (the core's list of public types holding a password, token, code, `Session`, TOTP secret,
//! client secret or SRP value), each filled with marker secrets, and fails when a marker comes
//! out in any form ([`Checker`]) or when a listed type was not formatted.
//! [`every_type_that_may_hold_a_secret_is_listed`] keeps that list complete: a scan of
//! `core/src` flags every public type with a field named like a secret, or holding a flagged
//! type, and each must be listed. A new secret-bearing type therefore fails the test until it
//! is listed in `CORE` and formatted here.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, ChangePassword,
    CompleteWebAuthnRegistration, ConfirmDevice, ConfirmForgotPassword, ConfirmSignUp,
    ConfirmSignUpReply, DeleteUser, DeleteUserAttributes, DeleteWebAuthnCredential, DeliveryMedium,
    FeedbackValue, ForgetDevice, ForgotPassword, GetDevice, GetUser,
    GetUserAttributeVerificationCode, GetUserAuthFactors, GlobalSignOut, ListDevices,
    ListWebAuthnCredentials, MfaOptionSetting, MfaSetting, ResendConfirmationCode, RevokeToken,
    SetUserMfaPreference, SetUserSettings, SignUp, SignUpReply, StartWebAuthnRegistration,
    TokenOrSession, UpdateAuthEventFeedback, UpdateDeviceStatus, UpdateUserAttributes,
    VerifySoftwareToken, VerifySoftwareTokenReply, VerifyUserAttribute,
};
use cognito_core::auth::{
    Answer, AuthReply, AuthenticationResult, ClientConfig, DeviceCredentials, DeviceRegistration,
    MfaType, NewDeviceMetadata, Refresh, SignIn, Step,
};
use cognito_core::exchange::{Call, Flow, Once};
use cognito_core::identity::{GetCredentialsForIdentity, GetId, GetOpenIdToken, Login};
use cognito_core::oauth::{
    AuthorizeOptions, ClientToken, CodeVerifier, Grant, HostedSignIn, OAuthClient, PoolDomain,
    Revoke, Scopes, TokenRequest, UserInfo, read_redirect,
};
use cognito_core::srp::{
    DeviceVerifier, JavaBytes, ServerChallenge, SrpEphemeral, SrpIdentity, hazmat, password_claim,
};
use cognito_core::time::UnixTime;
use cognito_core::token::{Jwt, TokenSet};
use cognito_core::totp::Totp;
use cognito_core::wire::{Attempt, HttpResponse, ServiceError};
use cognito_core::{Error, SecretHash};
use cognito_tests::secrets::{CORE, Checker, assert_inventory, workspace_root};
use cognito_tests::totp::base32_encode;
use zeroize::Zeroize;

const POOL: &str = "us-east-1_TestPool1";
const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const NOW: UnixTime = UnixTime::from_secs(1_767_600_547);

const PASSWORD: &str = "MARKER-PASSWORD-1";
const NEW_PASSWORD: &str = "MARKER-PASSWORD-2";
const CODE: &str = "MARKER-CODE-1";
const ACCESS: &str = "MARKER-ACCESS-TOKEN-1";
const ID: &str = "MARKER-ID-TOKEN-1";
const REFRESH: &str = "MARKER-REFRESH-TOKEN-1";
const SESSION: &str = "MARKER-SESSION-1";
const SESSION_2: &str = "MARKER-SESSION-2";
const TOTP_SECRET: &str = "MARKER-TOTP-SECRET-1";
const CLIENT_SECRET: &str = "MARKER-CLIENT-SECRET-1";
const DEVICE_PASSWORD: &str = "MARKER-DEVICE-PASSWORD-1";
const ANSWER: &str = "MARKER-ANSWER-1";
const METADATA: &str = "MARKER-METADATA-1";
const VALIDATION: &str = "MARKER-VALIDATION-1";
const FEEDBACK: &str = "MARKER-FEEDBACK-TOKEN-1";
const CREDENTIAL: &str = r#"{"id":"MARKER-CREDENTIAL-1"}"#;
const CREDENTIAL_MARKER: &str = "MARKER-CREDENTIAL-1";
/// base64 of `MARKER-SECRET-BLOCK-1`.
const SECRET_BLOCK: &str = "TUFSS0VSLVNFQ1JFVC1CTE9DSy0x";
const JWT: &str = "MARKER-JWT-HEADER.MARKER-JWT-PAYLOAD.MARKER-JWT-SIGNATURE";
/// A PKCE verifier (43 to 128 unreserved characters).
const VERIFIER: &str = "MARKER-CODE-VERIFIER-1-long-enough-for-pkce-rules";

const MARKERS: &[&str] = &[
    PASSWORD,
    NEW_PASSWORD,
    CODE,
    ACCESS,
    ID,
    REFRESH,
    SESSION,
    SESSION_2,
    TOTP_SECRET,
    CLIENT_SECRET,
    DEVICE_PASSWORD,
    ANSWER,
    METADATA,
    VALIDATION,
    FEEDBACK,
    CREDENTIAL_MARKER,
    SECRET_BLOCK,
    "MARKER-SECRET-BLOCK-1",
    "MARKER-JWT-HEADER",
    "MARKER-JWT-PAYLOAD",
    "MARKER-JWT-SIGNATURE",
    VERIFIER,
];

const METADATA_MAP: &[(&str, &str)] = &[("tier", METADATA)];
const VALIDATION_MAP: &[(&str, &str)] = &[("invite", VALIDATION)];
const ATTRIBUTES: &[(&str, &str)] = &[("email", "alice@example.com")];

fn config() -> ClientConfig {
    ClientConfig::new(POOL, CLIENT)
        .unwrap()
        .with_client_secret(CLIENT_SECRET)
        .unwrap()
}

/// An ephemeral whose secret a is recognisable bytes.
fn ephemeral() -> (SrpEphemeral, [u8; 128]) {
    let mut a = [0u8; 128];
    for (i, b) in a.iter_mut().enumerate() {
        *b = (i as u8).wrapping_mul(37).wrapping_add(11);
    }
    (SrpEphemeral::from_secret_bytes(&a).unwrap(), a)
}

fn device() -> DeviceCredentials {
    DeviceCredentials::new("us-east-1_dev", "-grp", DEVICE_PASSWORD).unwrap()
}

fn verifier() -> DeviceVerifier {
    DeviceVerifier::from_random("-grp", "us-east-1_dev", &[0x5a; 40], &[0x3c; 16])
}

fn tokens() -> AuthenticationResult<'static> {
    AuthenticationResult {
        access_token: ACCESS,
        id_token: Some(ID),
        refresh_token: Some(REFRESH),
        expires_in: 3600,
        token_type: "Bearer",
        new_device: Some(NewDeviceMetadata {
            device_key: "us-east-1_dev",
            device_group_key: "-grp",
        }),
    }
}

/// A `PASSWORD_VERIFIER` challenge with a Session and a SECRET_BLOCK, and another
/// parameter named like a secret.
fn verifier_reply() -> String {
    format!(
        r#"{{"ChallengeName":"PASSWORD_VERIFIER","Session":"{SESSION}","ChallengeParameters":{{"SRP_B":"deadbeef","SALT":"3bd2","SECRET_BLOCK":"{SECRET_BLOCK}","USER_ID_FOR_SRP":"alice","USERNAME":"alice"}}}}"#
    )
}

fn custom_reply() -> String {
    format!(
        r#"{{"ChallengeName":"CUSTOM_CHALLENGE","Session":"{SESSION_2}","ChallengeParameters":{{"USERNAME":"alice","question":"colour?","EXPECTED_ANSWER":"{ANSWER}"}}}}"#
    )
}

fn tokens_reply() -> String {
    format!(
        r#"{{"AuthenticationResult":{{"AccessToken":"{ACCESS}","IdToken":"{ID}","RefreshToken":"{REFRESH}","ExpiresIn":3600,"TokenType":"Bearer"}}}}"#
    )
}

#[test]
fn every_type_that_may_hold_a_secret_is_listed() {
    assert_inventory(&workspace_root(env!("CARGO_MANIFEST_DIR")), &CORE);
}

#[test]
fn debug_hides_every_secret() {
    let config = config();
    let (eph, a) = ephemeral();
    let verifier = verifier();
    let mut checker = Checker::new(MARKERS)
        .with_bytes("a", &a)
        .with_text("device verifier", verifier.password_verifier_b64())
        .with_text("generated device password", verifier.device_password());

    // ---- account
    checker
        .debug(&SignUp {
            username: "alice",
            password: Some(PASSWORD),
            user_attributes: ATTRIBUTES,
            validation_data: VALIDATION_MAP,
            client_metadata: METADATA_MAP,
        })
        .debug(&SignUpReply {
            user_sub: "sub",
            user_confirmed: false,
            code_delivery_details: None,
            session: Some(SESSION),
        })
        .debug(&ConfirmSignUp {
            username: "alice",
            confirmation_code: CODE,
            force_alias_creation: false,
            client_metadata: METADATA_MAP,
            session: Some(SESSION),
        })
        .debug(&ConfirmSignUpReply {
            session: Some(SESSION),
        })
        .debug(&ResendConfirmationCode {
            username: "alice",
            client_metadata: METADATA_MAP,
        })
        .debug(&ForgotPassword {
            username: "alice",
            client_metadata: METADATA_MAP,
        })
        .debug(&ConfirmForgotPassword {
            username: "alice",
            confirmation_code: CODE,
            password: NEW_PASSWORD,
            client_metadata: METADATA_MAP,
        })
        .debug(&ChangePassword {
            access_token: ACCESS,
            previous_password: Some(PASSWORD),
            proposed_password: NEW_PASSWORD,
        })
        .debug(&GetUser {
            access_token: ACCESS,
        })
        .debug(&GetUserAuthFactors {
            access_token: ACCESS,
        })
        .debug(&UpdateUserAttributes {
            access_token: ACCESS,
            user_attributes: ATTRIBUTES,
            client_metadata: METADATA_MAP,
        })
        .debug(&DeleteUserAttributes {
            access_token: ACCESS,
            user_attribute_names: &["name"],
        })
        .debug(&GetUserAttributeVerificationCode {
            access_token: ACCESS,
            attribute_name: "email",
            client_metadata: METADATA_MAP,
        })
        .debug(&VerifyUserAttribute {
            access_token: ACCESS,
            attribute_name: "email",
            code: CODE,
        })
        .debug(&DeleteUser {
            access_token: ACCESS,
        })
        .debug(&SetUserMfaPreference {
            access_token: ACCESS,
            software_token: Some(MfaSetting {
                enabled: true,
                preferred: true,
            }),
            ..SetUserMfaPreference::default()
        })
        .debug(&SetUserSettings {
            access_token: ACCESS,
            mfa_options: &[MfaOptionSetting {
                delivery_medium: DeliveryMedium::Sms,
                attribute_name: "phone_number",
            }],
        })
        .debug(&TokenOrSession::AccessToken(ACCESS))
        .debug(&TokenOrSession::Session(SESSION))
        .debug(&AssociateSoftwareToken {
            auth: TokenOrSession::Session(SESSION),
        })
        .debug(&AssociateSoftwareTokenReply {
            secret_code: TOTP_SECRET,
            session: Some(SESSION_2),
        })
        .debug(&VerifySoftwareToken {
            auth: TokenOrSession::AccessToken(ACCESS),
            user_code: CODE,
            friendly_device_name: Some("phone"),
        })
        .debug(&VerifySoftwareTokenReply {
            status: Some("SUCCESS"),
            session: Some(SESSION),
        })
        .debug(&ConfirmDevice {
            access_token: ACCESS,
            device_key: "us-east-1_dev",
            verifier: &verifier,
            device_name: Some("thermostat"),
        })
        .debug(&GetDevice {
            access_token: ACCESS,
            device_key: "us-east-1_dev",
        })
        .debug(&ListDevices {
            access_token: ACCESS,
            limit: Some(10),
            pagination_token: Some("page-2"),
        })
        .debug(&ForgetDevice {
            access_token: ACCESS,
            device_key: "us-east-1_dev",
        })
        .debug(&UpdateDeviceStatus {
            access_token: ACCESS,
            device_key: "us-east-1_dev",
            remembered: true,
        })
        .debug(&GlobalSignOut {
            access_token: ACCESS,
        })
        .debug(&RevokeToken { token: REFRESH })
        .debug(&UpdateAuthEventFeedback {
            username: "alice",
            event_id: "event-1",
            feedback_token: FEEDBACK,
            feedback_value: FeedbackValue::Invalid,
        })
        .debug(&StartWebAuthnRegistration {
            access_token: ACCESS,
        })
        .debug(&CompleteWebAuthnRegistration {
            access_token: ACCESS,
            credential: CREDENTIAL,
        })
        .debug(&ListWebAuthnCredentials {
            access_token: ACCESS,
            next_token: Some("page-2"),
            max_results: Some(5),
        })
        .debug(&DeleteWebAuthnCredential {
            access_token: ACCESS,
            credential_id: "cred-1",
        });

    // ---- auth: the app client, the flows, the challenges and steps they hand over
    checker.debug(&config);
    let mut sign_in: SignIn = SignIn::srp(&config, "alice", PASSWORD, eph)
        .unwrap()
        .with_device(&device(), ephemeral().0)
        .with_client_metadata(METADATA_MAP)
        .unwrap();
    checker.debug(&sign_in);
    let mut buf = vec![0u8; 8192];
    sign_in.write_request(&mut buf).unwrap();
    let verifier_body = verifier_reply();
    let step = sign_in
        .handle_response(&HttpResponse::new(200, verifier_body.as_bytes()), NOW)
        .unwrap();
    assert!(matches!(step, Step::SendRequest));
    assert_eq!(sign_in.session(), SESSION);
    checker.debug(&sign_in);
    let request = sign_in.write_request(&mut buf).unwrap();
    checker.debug_opaque(&request);

    let custom_body = custom_reply();
    let custom = AuthReply::read(&HttpResponse::new(200, custom_body.as_bytes())).unwrap();
    let AuthReply::Challenge(challenge) = custom else {
        panic!("{custom:?}")
    };
    checker
        .debug(&custom)
        .debug(&challenge)
        .debug(&challenge.kind())
        .debug(&challenge.parameters())
        .debug(&Step::Challenge(challenge));
    // The public parameters stay visible.
    assert!(format!("{challenge:?}").contains("colour?"));
    let verifier_challenge =
        AuthReply::read(&HttpResponse::new(200, verifier_body.as_bytes())).unwrap();
    let AuthReply::Challenge(verifier_challenge) = verifier_challenge else {
        panic!()
    };
    checker
        .debug(&verifier_challenge)
        .debug(&verifier_challenge.kind())
        .debug(&verifier_challenge.parameters());
    assert!(format!("{:?}", verifier_challenge.parameters()).contains("deadbeef"));

    let tokens_body = tokens_reply();
    let signed_in = AuthReply::read(&HttpResponse::new(200, tokens_body.as_bytes())).unwrap();
    checker
        .debug(&signed_in)
        .debug(&tokens())
        .debug(&Step::Authenticated(tokens()))
        .debug(&Step::TotpSecret(TOTP_SECRET))
        .debug_opaque(&Step::<'static>::AnswerRefused(ServiceError::new(
            "CodeMismatchException",
            "Invalid code",
            400,
        )));

    for answer in [
        Answer::Code(CODE),
        Answer::VerifyTotp {
            code: CODE,
            friendly_name: Some("phone"),
        },
        Answer::SetUpEmail("MARKER-EMAIL-1@example.com"),
        Answer::NewPassword {
            password: NEW_PASSWORD,
            attributes: &[("name", "Alice")],
        },
        Answer::Custom(ANSWER),
        Answer::WebAuthnCredential(CREDENTIAL),
        Answer::Raw(&[("ANSWER", ANSWER)]),
    ] {
        checker.debug(&answer);
    }
    checker.debug_opaque(&Answer::MfaType(MfaType::SoftwareToken));

    let refresh: Refresh = Refresh::new(&config, REFRESH)
        .unwrap()
        .with_username("alice")
        .unwrap()
        .with_client_metadata(METADATA_MAP)
        .unwrap();
    checker.debug(&refresh).debug(&device());
    let registration: DeviceRegistration =
        DeviceRegistration::with_verifier(&config, ACCESS, device(), self::verifier()).unwrap();
    checker.debug(&registration);

    // ---- SRP
    let identity = SrpIdentity {
        realm: "TestPool1",
        user_id: "alice",
        password: PASSWORD,
    };
    let challenge = ServerChallenge {
        srp_b_hex: "deadbeef",
        salt_hex: "3bd2",
        secret_block_b64: SECRET_BLOCK,
    };
    let (eph, _) = ephemeral();
    let claim = password_claim(&eph, &identity, &challenge, NOW).unwrap();
    let intermediates = hazmat::intermediates(&eph, &identity, &challenge).unwrap();
    let mut checker = checker
        .with_bytes("signature", claim.signature().as_bytes())
        .with_bytes("x", intermediates.x.as_slice())
        .with_bytes("S", intermediates.s.as_slice())
        .with_bytes("HKDF key", &intermediates.hkdf_key);
    checker
        .debug(&eph)
        .debug(&identity)
        .debug(&challenge)
        .debug(&claim)
        .debug(&verifier)
        .debug(&intermediates)
        .debug_opaque(&intermediates.s)
        .debug_opaque(&intermediates.x)
        .debug_opaque(&intermediates.s.pad_hex());
    // k and u are public: still shown.
    assert!(format!("{intermediates:?}").contains(&intermediates.u.pad_hex().to_string()));

    // ---- the rest
    let hash = SecretHash::new(CLIENT_SECRET, "alice", CLIENT);
    let hash_text = hash.as_str().to_owned();
    let mut checker = checker.with_bytes("secret hash", hash_text.as_bytes());
    checker.debug(&hash);
    let set: TokenSet = TokenSet::from_auth_result(&tokens(), NOW).unwrap();
    checker.debug(&set);
    checker.debug_opaque(&Jwt::parse(JWT).unwrap());
    let totp_base32 = base32_encode(TOTP_SECRET.as_bytes());
    let mut checker = checker.with_bytes("TOTP secret (base32)", totp_base32.as_bytes());
    checker.debug(&Totp::from_base32(&totp_base32).unwrap());
    let response = HttpResponse::new(200, tokens_body.as_bytes()).with_error_type("x");
    checker
        .debug_opaque(&response)
        .debug_opaque(&Attempt::Replied(&response));
    let change = ChangePassword {
        access_token: ACCESS,
        previous_password: Some(PASSWORD),
        proposed_password: NEW_PASSWORD,
    };
    checker.debug_opaque(&change.write_request(&config, &mut buf).unwrap());
    let mut once = Once::new(&config, change);
    checker.debug(&once);
    once.write_request(&mut buf).unwrap();
    checker.debug(&once);

    // ---- oauth
    let client = OAuthClient::confidential(CLIENT, CLIENT_SECRET);
    checker.debug(&client);
    let code = read_redirect(&format!("/cb?code={CODE}&state=s"), "s").unwrap();
    checker.debug(&code);
    checker.debug(&CodeVerifier::from_text(VERIFIER).unwrap());
    let grants = [
        Grant::AuthorizationCode {
            code: CODE,
            redirect_uri: "http://127.0.0.1:8400/callback",
            code_verifier: VERIFIER,
        },
        Grant::RefreshToken {
            refresh_token: REFRESH,
        },
    ];
    for grant in grants {
        let request = TokenRequest { client, grant };
        checker.debug(&grant).debug(&request);
        checker.debug_opaque(&request.write(&mut buf).unwrap());
    }
    checker.debug(&Revoke {
        client,
        refresh_token: REFRESH,
    });
    checker.debug(&UserInfo {
        access_token: ACCESS,
    });
    let token: ClientToken = ClientToken::from_reply(&tokens(), NOW).unwrap();
    checker.debug(&token);
    let mut hosted = HostedSignIn::new(
        client,
        "http://127.0.0.1:8400/callback",
        Scopes::new("openid"),
        &mut rand::rngs::OsRng,
    )
    .unwrap();
    checker.debug(&hosted);
    let mut url = [0u8; 1024];
    let url = hosted
        .authorize_url(
            &PoolDomain::parse("https://auth.example.com").unwrap(),
            AuthorizeOptions::default(),
            &mut url,
        )
        .unwrap()
        .to_owned();
    let state = url
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    hosted
        .accept_redirect(&format!("/cb?code={CODE}&state={state}"))
        .unwrap();
    checker.debug(&hosted);

    // ---- identity pools
    let logins = [Login {
        provider: "cognito-idp.us-east-1.amazonaws.com/us-east-1_TestPool1",
        token: ID,
    }];
    let get_id = GetId {
        identity_pool_id: "us-east-1:pool",
        account_id: None,
        logins: &logins,
    };
    checker.debug(&logins[0]).debug(&get_id);
    checker.debug_opaque(&get_id.write(&mut buf).unwrap());
    let get_credentials = GetCredentialsForIdentity {
        identity_id: "us-east-1:identity",
        logins: &logins,
        custom_role_arn: None,
    };
    checker.debug(&get_credentials);
    checker.debug(&GetOpenIdToken {
        identity_id: "us-east-1:identity",
        logins: &logins,
    });
    let credentials = format!(
        r#"{{"IdentityId":"us-east-1:identity","Credentials":{{"AccessKeyId":"ASIAEXAMPLE","SecretKey":"{CLIENT_SECRET}","SessionToken":"{SESSION}","Expiration":1767600547}}}}"#
    );
    let reply =
        GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, credentials.as_bytes()))
            .unwrap();
    checker.debug(&reply).debug(&reply.credentials);
    let open_id = format!(r#"{{"IdentityId":"us-east-1:identity","Token":"{ID}"}}"#);
    checker
        .debug(&GetOpenIdToken::read_reply(&HttpResponse::new(200, open_id.as_bytes())).unwrap());

    // Errors carry names, never values.
    let err: Error = cognito_core::Misuse::Empty("password").into();
    checker.debug_opaque(&err).display(&err);
    let refused = cognito_core::oauth::read_token_reply(&HttpResponse::new(
        400,
        br#"{"error":"invalid_grant","error_description":"Invalid authorization code"}"#,
    ));
    let err = refused.unwrap_err();
    checker.debug_opaque(&err).display(&err);

    checker.finish(&CORE);
}

/// Zeroization that can be seen from outside: the types whose `Drop` calls `zeroize()`, checked
/// through `zeroize()`. Drop itself cannot be observed without unsafe code (reading freed
/// memory), and neither can the spare capacity of the fixed-capacity strings the flows keep
/// their `Session`, password and tokens in (`capacity::Text::replace` zeroizes all of it
/// before writing a new value; `SignIn`, `Refresh` and `DeviceRegistration` zeroize it on
/// drop). `PasswordClaim` and `DeviceVerifier` zeroize their signature and verifier on drop
/// and offer no `zeroize()`.
#[test]
fn srp_intermediates_and_java_bytes_are_zeroized() {
    let (eph, _) = ephemeral();
    let identity = SrpIdentity {
        realm: "TestPool1",
        user_id: "alice",
        password: PASSWORD,
    };
    let challenge = ServerChallenge {
        srp_b_hex: "deadbeef",
        salt_hex: "3bd2",
        secret_block_b64: SECRET_BLOCK,
    };
    let mut intermediates = hazmat::intermediates(&eph, &identity, &challenge).unwrap();
    assert!(intermediates.s.as_slice().len() > 300);
    assert_ne!(intermediates.hkdf_key, [0; 16]);
    intermediates.zeroize();
    for value in [
        &intermediates.x,
        &intermediates.k,
        &intermediates.u,
        &intermediates.s,
    ] {
        assert_eq!(value.as_slice(), [0], "zero, in bytes() form");
    }
    assert_eq!(intermediates.hkdf_key, [0; 16]);

    let mut bytes = JavaBytes::from_be_bytes(&[0x9c; 48]).unwrap();
    assert_eq!(bytes.as_slice().len(), 49);
    bytes.zeroize();
    assert_eq!(bytes.as_slice(), [0]);
}

#[test]
fn a_sign_in_keeps_only_the_newest_session_and_none_once_signed_in() {
    let config = config();
    let mut sign_in: SignIn = SignIn::password(&config, "alice", PASSWORD).unwrap();
    let mut buf = vec![0u8; 8192];
    sign_in.write_request(&mut buf).unwrap();
    let custom = custom_reply().replace("CUSTOM_CHALLENGE", "SMS_MFA");
    let step = sign_in
        .handle_response(&HttpResponse::new(200, custom.as_bytes()), NOW)
        .unwrap();
    assert!(matches!(step, Step::Challenge(_)), "{step:?}");
    assert_eq!(sign_in.session(), SESSION_2);
    sign_in.answer(&Answer::Code("123456"), &mut buf).unwrap();
    let tokens = tokens_reply();
    let step = sign_in
        .handle_response(&HttpResponse::new(200, tokens.as_bytes()), NOW)
        .unwrap();
    assert!(matches!(step, Step::Authenticated(_)));
    // The Session is wiped when the sign-in ends (and its storage on drop).
    assert_eq!(sign_in.session(), "");
}
