//! No `Debug` (or `Display`) output of the std adapter's public types shows a secret, and the
//! secrets they hold are zeroized.
//!
//! [`debug_hides_every_secret`] formats every type of `cognito_tests::secrets::STD.checked` (the
//! adapter's list of public types holding a password, token, code, `Session`, TOTP secret,
//! client secret or device password) filled with marker secrets; a sign-in against the emulator
//! gives the pending sign-in and the TOTP secret of `MFA_SETUP`.
//! [`every_type_that_may_hold_a_secret_is_listed`] keeps the list complete (see
//! `cognito_tests::secrets`).

use std::collections::BTreeMap;

use cognito_std::{
    AuthSession, AwsCredentials, Client, Config, Device, Error, GuestIdentity, HostedUiOptions,
    IdentityCredentials, M2mToken, MemoryStore, PoolIdentity, RememberedUser, Session,
    SessionOrigin, SessionStore, SignInAnswer, SignInRequest, SignInStep, SignUpResult,
    StoredClientToken, ValidTokens, blocking,
};
use cognito_tests::fixtures::pool_with_client;
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{DeviceTracking, MfaConfiguration, MfaMode};
use cognito_tests::secrets::{Checker, STD, assert_inventory, workspace_root};
use zeroize::{Zeroize, Zeroizing};

const POOL_ID: &str = "us-east-1_SecretPool";
const CLIENT_ID: &str = "secretclient00000000000000";
const CLIENT_SECRET: &str = "MARKER-CLIENT-SECRET-1";
const PASSWORD: &str = "MARKER-PASSWORD-1";
const NEW_PASSWORD: &str = "MARKER-PASSWORD-2";
const CODE: &str = "MARKER-CODE-1";
const ACCESS: &str = "MARKER-ACCESS-TOKEN-1";
const ID: &str = "MARKER-ID-TOKEN-1";
const REFRESH: &str = "MARKER-REFRESH-TOKEN-1";
const SESSION: &str = "MARKER-SESSION-1";
const TOTP_SECRET: &str = "MARKER-TOTP-SECRET-1";
const DEVICE_PASSWORD: &str = "MARKER-DEVICE-PASSWORD-1";
const OTHER_DEVICE_PASSWORD: &str = "MARKER-DEVICE-PASSWORD-2";
const ANSWER: &str = "MARKER-ANSWER-1";
const METADATA: &str = "MARKER-METADATA-1";
const EMAIL: &str = "MARKER-EMAIL-1@example.com";
const CREDENTIAL: &str = r#"{"id":"MARKER-CREDENTIAL-1"}"#;
const SECRET_BLOCK: &str = "MARKER-SECRET-BLOCK-1";

const MARKERS: &[&str] = &[
    CLIENT_SECRET,
    PASSWORD,
    NEW_PASSWORD,
    CODE,
    ACCESS,
    ID,
    REFRESH,
    SESSION,
    TOTP_SECRET,
    DEVICE_PASSWORD,
    OTHER_DEVICE_PASSWORD,
    ANSWER,
    METADATA,
    EMAIL,
    "MARKER-CREDENTIAL-1",
    SECRET_BLOCK,
    AWS_SECRET_KEY,
    AWS_SESSION_TOKEN,
];

const AWS_SECRET_KEY: &str = "MARKER-AWS-SECRET-KEY-1";
const AWS_SESSION_TOKEN: &str = "MARKER-AWS-SESSION-TOKEN-1";

fn aws_credentials() -> AwsCredentials {
    AwsCredentials {
        access_key_id: "ASIAPUBLICKEYID".to_owned(),
        secret_key: AWS_SECRET_KEY.to_owned(),
        session_token: AWS_SESSION_TOKEN.to_owned(),
        expiration: std::time::UNIX_EPOCH + core::time::Duration::from_secs(7200),
        received_at: 3600,
        expires_at: 7200,
    }
}

fn config() -> Config {
    Config::new(POOL_ID, CLIENT_ID)
        .with_client_secret(CLIENT_SECRET)
        .with_endpoint("http://127.0.0.1:9/")
}

fn device(password: &str) -> Device {
    Device {
        key: "us-east-1_dev".to_owned(),
        group_key: "-grp".to_owned(),
        password: password.to_owned(),
    }
}

fn session() -> Session {
    Session {
        username: "alice".to_owned(),
        aliases: vec!["alice@example.com".to_owned()],
        access_token: ACCESS.to_owned(),
        id_token: Some(ID.to_owned()),
        refresh_token: Some(REFRESH.to_owned()),
        token_type: "Bearer".to_owned(),
        received_at: 0,
        expires_at: 3600,
        clock_drift_secs: 0,
        device: Some(device(DEVICE_PASSWORD)),
        other_users: vec![RememberedUser {
            username: "bob".to_owned(),
            aliases: Vec::new(),
            device: device(OTHER_DEVICE_PASSWORD),
        }],
        origin: SessionOrigin::UserPool,
        identities: Vec::new(),
    }
}

fn answers() -> Vec<SignInAnswer> {
    vec![
        SignInAnswer::code(CODE),
        SignInAnswer::VerifyTotp {
            code: CODE.to_owned(),
            friendly_name: Some("phone".to_owned()),
        },
        SignInAnswer::SetUpEmail(EMAIL.to_owned()),
        SignInAnswer::NewPassword {
            password: NEW_PASSWORD.to_owned(),
            attributes: vec![("name".to_owned(), "Alice".to_owned())],
        },
        SignInAnswer::Custom(ANSWER.to_owned()),
        SignInAnswer::WebAuthnCredential(CREDENTIAL.to_owned()),
        SignInAnswer::Raw(vec![("ANSWER".to_owned(), ANSWER.to_owned())]),
    ]
}

#[test]
fn every_type_that_may_hold_a_secret_is_listed() {
    assert_inventory(&workspace_root(env!("CARGO_MANIFEST_DIR")), &STD);
}

#[test]
fn debug_hides_every_secret() {
    let mut checker = Checker::new(MARKERS);

    checker.debug(&config());
    checker.debug(&Client::new(config()).unwrap());
    checker.debug(&blocking::Client::new(config()).unwrap());
    let session = session();
    checker
        .debug(&session)
        .debug(&device(DEVICE_PASSWORD))
        .debug(&session.other_users[0]);
    let store = MemoryStore::default();
    store.save(&session).unwrap();
    checker.debug(&store);
    checker.debug(&ValidTokens {
        access_token: ACCESS.to_owned(),
        id_token: Some(ID.to_owned()),
    });
    checker.debug(&M2mToken {
        access_token: ACCESS.to_owned(),
        token_type: "Bearer".to_owned(),
        expires_in: 3600,
        expires_at: 7200,
        scopes: "api/read".to_owned(),
    });
    checker.debug(&StoredClientToken {
        scopes: "api/read".to_owned(),
        access_token: ACCESS.to_owned(),
        token_type: "Bearer".to_owned(),
        received_at: 3600,
        expires_at: 7200,
    });
    // AWS credentials, alone and where they are kept.
    let identity = PoolIdentity {
        identity_pool_id: "us-east-1:pool".to_owned(),
        identity_id: "us-east-1:identity".to_owned(),
        credentials: Some(aws_credentials()),
    };
    let mut with_identity = session.clone();
    with_identity.identities.push(identity.clone());
    checker
        .debug(&aws_credentials())
        .debug(&identity)
        .debug(&GuestIdentity {
            identities: vec![identity],
        })
        .debug(&with_identity)
        .debug(&IdentityCredentials {
            identity_id: "us-east-1:identity".to_owned(),
            credentials: aws_credentials(),
        })
        .debug(&AuthSession {
            tokens: ValidTokens {
                access_token: ACCESS.to_owned(),
                id_token: Some(ID.to_owned()),
            },
            identity_id: "us-east-1:identity".to_owned(),
            credentials: aws_credentials(),
        });
    assert!(format!("{:?}", aws_credentials()).contains("ASIAPUBLICKEYID"));

    // A hosted-UI sign-in holds the client secret (and the PKCE verifier, state and nonce).
    let with_domain = config().with_domain("http://127.0.0.1:9");
    let hosted = Client::new(with_domain.clone())
        .unwrap()
        .hosted_sign_in(
            "http://127.0.0.1:8400/callback",
            "openid",
            &HostedUiOptions::default(),
        )
        .unwrap()
        .remembering(Some(&session));
    let state = hosted
        .authorize_url()
        .split('&')
        .find_map(|p| p.strip_prefix("state="))
        .unwrap()
        .to_owned();
    checker.debug(&hosted);
    let blocking_hosted = blocking::Client::new(with_domain)
        .unwrap()
        .hosted_sign_in(
            "http://127.0.0.1:8400/callback",
            "openid",
            &HostedUiOptions::default(),
        )
        .unwrap();
    checker.debug(&blocking_hosted);
    assert!(
        !format!("{hosted:?}").contains(&state),
        "the state stays hidden"
    );
    checker.debug(&SignUpResult {
        user_sub: "sub".to_owned(),
        user_confirmed: false,
        code_delivery: None,
        session: Some(Zeroizing::new(SESSION.to_owned())),
    });

    checker
        .debug(
            &SignInRequest::srp("alice", PASSWORD)
                .with_device(Some(device(DEVICE_PASSWORD)))
                .with_client_metadata(vec![("tier".to_owned(), METADATA.to_owned())]),
        )
        .debug(&SignInRequest::after_sign_up("alice", SESSION, None))
        .debug(&SignInRequest::choice(
            "alice",
            None,
            Some(PASSWORD.to_owned()),
        ));

    let parameters = BTreeMap::from([
        ("question".to_owned(), "colour?".to_owned()),
        ("EXPECTED_ANSWER".to_owned(), ANSWER.to_owned()),
        ("SECRET_BLOCK".to_owned(), SECRET_BLOCK.to_owned()),
    ]);
    for step in [
        SignInStep::TotpSetup {
            secret: Zeroizing::new(TOTP_SECRET.to_owned()),
        },
        SignInStep::CustomChallenge {
            parameters: parameters.clone(),
        },
        SignInStep::Other {
            name: "FUTURE_CHALLENGE".to_owned(),
            parameters,
        },
        SignInStep::Done(Box::new(session.clone())),
    ] {
        checker.debug(&step);
        if let SignInStep::CustomChallenge { .. } = step {
            assert!(
                format!("{step:?}").contains("colour?"),
                "public parameters stay"
            );
        }
    }
    for answer in answers() {
        checker.debug(&answer);
    }

    // A sign-in waiting at MFA_SETUP's TOTP secret, against the emulator.
    let mut pool = pool_with_client(
        POOL_ID,
        CLIENT_ID,
        7,
        Some(CLIENT_SECRET),
        DeviceTracking::Off,
    );
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: true,
        email: false,
    });
    pool.add_user("alice", PASSWORD);
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    let client = blocking::Client::new(config().with_endpoint(server.url())).unwrap();
    let mut pending = client
        .sign_in(SignInRequest::srp("alice", PASSWORD))
        .unwrap();
    checker.debug(&pending);
    let step = pending.answer(SignInAnswer::SetUpTotp).unwrap();
    let SignInStep::TotpSetup { secret } = step else {
        panic!("{step:?}")
    };
    let secret = secret.as_str().to_owned();
    let mut checker = checker.with_text("TOTP secret from the pool", &secret);
    checker.debug(&pending).debug(pending.step());

    // Errors name things; they never quote a value.
    let refused = Error::AnswerRefused(cognito_std::core::wire::ServiceError::new(
        "CodeMismatchException",
        "Invalid code received for user",
        400,
    ));
    checker.debug_opaque(&refused).display(&refused);

    checker.finish(&STD);
}

/// The secret-bearing types zeroize on drop by calling `zeroize()`; what that wipes is checked
/// here. (That dropped or replaced allocations are zero cannot be observed without unsafe code:
/// the session's tokens replaced by a refresh are zeroized in place before the new ones are
/// written, and sessions are serialised through a writer that zeroizes every buffer it
/// outgrows; see `src/zeroizing.rs`.)
#[test]
fn zeroize_wipes_every_secret() {
    let mut session = session();
    session.zeroize();
    assert_eq!(session.access_token, "");
    assert_eq!(session.id_token, None);
    assert_eq!(session.refresh_token, None);
    assert_eq!(session.device.as_ref().unwrap().password, "");
    assert_eq!(session.other_users[0].device.password, "");
    assert_eq!(session.username, "alice", "not a secret");

    let mut with_credentials = self::session();
    with_credentials.identities.push(PoolIdentity {
        identity_pool_id: "us-east-1:pool".to_owned(),
        identity_id: "us-east-1:identity".to_owned(),
        credentials: Some(aws_credentials()),
    });
    with_credentials.zeroize();
    let wiped = with_credentials.identities[0].credentials.as_ref().unwrap();
    assert_eq!(wiped.secret_key, "");
    assert_eq!(wiped.session_token, "");
    assert_eq!(wiped.access_key_id, "ASIAPUBLICKEYID", "not a secret");

    let mut tokens = ValidTokens {
        access_token: ACCESS.to_owned(),
        id_token: Some(ID.to_owned()),
    };
    tokens.zeroize();
    assert_eq!(tokens.access_token, "");
    assert_eq!(tokens.id_token, None);

    let mut config = config();
    config.zeroize();
    assert_eq!(config.client_secret, None);
    // Replacing the secret zeroizes the old one first; the new one is kept.
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_client_secret("old")
        .with_client_secret(CLIENT_SECRET);
    assert_eq!(config.client_secret.as_deref(), Some(CLIENT_SECRET));

    for mut answer in answers() {
        answer.zeroize();
        let wiped = match &answer {
            SignInAnswer::Code(s)
            | SignInAnswer::Custom(s)
            | SignInAnswer::SetUpEmail(s)
            | SignInAnswer::WebAuthnCredential(s) => s.is_empty(),
            SignInAnswer::VerifyTotp {
                code,
                friendly_name,
            } => code.is_empty() && friendly_name.is_none(),
            SignInAnswer::NewPassword {
                password,
                attributes,
            } => password.is_empty() && attributes.is_empty(),
            SignInAnswer::Raw(responses) => responses.is_empty(),
            other => panic!("{other:?} holds no secret"),
        };
        assert!(wiped, "{answer:?}");
    }

    let mut m2m = M2mToken {
        access_token: ACCESS.to_owned(),
        token_type: "Bearer".to_owned(),
        expires_in: 1,
        expires_at: 2,
        scopes: String::new(),
    };
    m2m.zeroize();
    assert_eq!(m2m.access_token, "");
    let mut stored = StoredClientToken {
        scopes: String::new(),
        access_token: ACCESS.to_owned(),
        token_type: "Bearer".to_owned(),
        received_at: 1,
        expires_at: 2,
    };
    stored.zeroize();
    assert_eq!(stored.access_token, "");

    let mut device = device(DEVICE_PASSWORD);
    device.zeroize();
    assert_eq!(device.password, "");
    assert_eq!(device.key, "us-east-1_dev");
}
