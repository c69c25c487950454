//! Interop with moto's Cognito user-pool server (`moto[server]`, a server no one here wrote).
//!
//! The tests find the server through `COGNITO_MOTO_URL` (e.g. `http://127.0.0.1:5000/`); when it
//! is unset they say they were skipped and pass, unless `COGNITO_REQUIRE_MOTO=1` (CI sets it).
//! `scripts/moto.sh` starts moto and runs them.
//!
//! Each test creates its own user pool and app client through moto's admin API (raw JSON POSTs),
//! then drives `cognito_std::Client` with the pool id moto returned and moto's URL as endpoint.
//!
//! Where moto (5.2.5) and Cognito differ, the tests follow moto and say so:
//! * moto's SRP is not SRP (`SRP_B` and `SALT` are random hex, `SECRET_BLOCK` is a UUID rather
//!   than base64, and any `PASSWORD_VERIFIER` is accepted), so sign-ins use `USER_PASSWORD_AUTH`;
//!   `USER_SRP_AUTH` only checks that the client refuses moto's `SECRET_BLOCK` cleanly;
//! * `ConfirmSignUp` accepts any code (moto sends no codes);
//! * `ForgotPassword` sends no message: the code comes back in moto's own
//!   `x-moto-forgot-password-confirmation-code` reply header, and a wrong code of that form is
//!   `ExpiredCodeException` where Cognito says `CodeMismatchException`;
//! * unsigned requests (Cognito's user operations carry no SigV4 signature) are routed to moto's
//!   `us-east-1` backend; most user operations then search every region, but `GlobalSignOut`
//!   does not, so it only works for pools in `us-east-1` (real Cognito picks the region from the
//!   endpoint);
//! * `UpdateUserAttributes` returns `{}` (no `CodeDeliveryDetailsList`, no code for a changed
//!   email);
//! * without an `AccountRecoverySetting` moto recovers by phone even for users without a phone
//!   number, so the pools here set email recovery (as pools created in the console do);
//! * moto signs every pool's tokens with one fixed RSA key (`kid` `dummy`, from its sources), so
//!   only `iss` tells two moto pools' tokens apart (Cognito keys each pool separately).
//!
//! The identity-pool test creates its identity pool through moto's `cognito-identity` service
//! on the same server (`AWSCognitoIdentityService.CreateIdentityPool`), then runs
//! `fetch_auth_session` (`GetId`, `GetCredentialsForIdentity`) and guest credentials with moto's
//! URL as the identity endpoint. moto's credentials last 90 seconds (Cognito's an hour), within the
//! 15-minute renewal margin, so each call there asks for new ones; moto checks no login.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::sync::atomic::{AtomicU32, Ordering};

use cognito_std::{Client, Config, Error, FetchOptions, GuestIdentity, Session};
use cognito_tests::fixtures::bounded;
use serde_json::{Value, json};

const PASSWORD: &str = "Moto-Passw0rd!";
const NEW_PASSWORD: &str = "Moto-Changed-2!";
const RESET_PASSWORD: &str = "Moto-Reset-3!";
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// moto's URL, or `None` (test skipped) when unset and not required.
fn moto_url(test: &str) -> Option<String> {
    match std::env::var("COGNITO_MOTO_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url.trim().to_owned()),
        _ => {
            if std::env::var("COGNITO_REQUIRE_MOTO").is_ok_and(|v| v == "1") {
                panic!("{test}: COGNITO_REQUIRE_MOTO=1 but COGNITO_MOTO_URL is not set");
            }
            eprintln!("{test}: skipped (COGNITO_MOTO_URL is not set; see scripts/moto.sh)");
            None
        }
    }
}

/// A name no other test (or earlier run against the same moto) uses.
fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "{prefix}{}x{nanos}x{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// One raw JSON call to moto; `region` picks moto's backend through a SigV4-shaped
/// `Authorization` credential scope (moto reads the scope, not the signature). Returns the
/// status, the headers and the JSON body.
async fn raw(
    url: &str,
    region: Option<&str>,
    operation: &str,
    body: &Value,
) -> (u16, reqwest::header::HeaderMap, Value) {
    let http = reqwest::Client::new();
    let mut request = http
        .post(url)
        .header("X-Amz-Target", format!("{TARGET_PREFIX}{operation}"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .body(body.to_string());
    if let Some(region) = region {
        request = request.header(
            "Authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/{region}/cognito-idp/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
            ),
        );
    }
    let reply = request.send().await.unwrap();
    let status = reply.status().as_u16();
    let headers = reply.headers().clone();
    let text = reply.text().await.unwrap();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, headers, json)
}

/// An admin call that must succeed.
async fn admin(url: &str, region: &str, operation: &str, body: Value) -> Value {
    let (status, _, reply) = raw(url, Some(region), operation, &body).await;
    assert_eq!(status, 200, "{operation}: {reply}");
    reply
}

/// A new user pool in `region` with an app client allowing `USER_PASSWORD_AUTH` and refresh;
/// returns the client configuration (pool id as moto returned it, endpoint = moto).
async fn pool_and_client(url: &str, region: &str, with_secret: bool) -> Config {
    let pool = admin(
        url,
        region,
        "CreateUserPool",
        json!({
            "PoolName": unique("cognito-rs-"),
            "Policies": {"PasswordPolicy": {
                "MinimumLength": 8, "RequireUppercase": true, "RequireLowercase": true,
                "RequireNumbers": true, "RequireSymbols": true
            }},
            "AutoVerifiedAttributes": ["email"],
            // As pools created in the console: recovery by email. (Without it moto picks
            // "verified_phone_number" even for users without a phone number.)
            "AccountRecoverySetting": {"RecoveryMechanisms": [
                {"Name": "verified_email", "Priority": 1}
            ]},
        }),
    )
    .await;
    let pool_id = pool["UserPool"]["Id"].as_str().unwrap().to_owned();
    assert!(
        pool_id.starts_with(&format!("{region}_")),
        "pool id {pool_id} is not in {region}"
    );
    let client = admin(
        url,
        region,
        "CreateUserPoolClient",
        json!({
            "UserPoolId": pool_id,
            "ClientName": "cognito-rs-interop",
            "GenerateSecret": with_secret,
            "ExplicitAuthFlows": [
                "ALLOW_USER_PASSWORD_AUTH",
                "ALLOW_USER_SRP_AUTH",
                "ALLOW_REFRESH_TOKEN_AUTH"
            ],
        }),
    )
    .await;
    let client = &client["UserPoolClient"];
    let config =
        Config::new(&pool_id, client["ClientId"].as_str().unwrap()).with_endpoint(url.to_owned());
    if with_secret {
        config.with_client_secret(client["ClientSecret"].as_str().unwrap())
    } else {
        config
    }
}

fn service_name<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    let err = result.expect_err("the call was expected to fail");
    err.service()
        .unwrap_or_else(|| panic!("not a service error: {err:?}"))
        .name()
        .to_owned()
}

async fn sign_in(client: &Client, username: &str, password: &str) -> Session {
    client
        .sign_in_password(username, password)
        .await
        .unwrap()
        .into_session()
        .unwrap_or_else(|p| panic!("a challenge: {:?}", p.step()))
}

fn attrs(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[tokio::test]
async fn a_users_life_against_moto() {
    let Some(url) = moto_url("a_users_life_against_moto") else {
        return;
    };
    bounded(async {
        // us-east-1: moto's backend for unsigned requests, where GlobalSignOut works.
        let config = pool_and_client(&url, "us-east-1", false).await;
        let client = Client::new(config.clone()).unwrap();
        let username = unique("user");
        let email = format!("{username}@example.com");

        // Sign-up.
        let signed_up = client
            .sign_up(&username, PASSWORD, &attrs(&[("email", &email)]))
            .await
            .unwrap();
        assert!(!signed_up.user_confirmed);
        let delivery = signed_up
            .code_delivery
            .as_ref()
            .expect("CodeDeliveryDetails");
        assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
        assert!(!signed_up.user_sub.is_empty());
        assert_eq!(
            service_name(
                client
                    .sign_up(&username, PASSWORD, &attrs(&[("email", &email)]))
                    .await
            ),
            "UsernameExistsException"
        );
        // Not confirmed yet: no sign-in.
        assert_eq!(
            service_name(client.sign_in_password(&username, PASSWORD).await),
            "UserNotConfirmedException"
        );

        // Confirmation: moto accepts any code (it sends none).
        client.confirm_sign_up(&username, "123456").await.unwrap();

        // USER_PASSWORD_AUTH sign-in; a wrong password is NotAuthorized.
        assert_eq!(
            service_name(client.sign_in_password(&username, "Wrong-Passw0rd!").await),
            "NotAuthorizedException"
        );
        let mut session = sign_in(&client, &username, PASSWORD).await;
        assert_eq!(session.username, username);
        assert_eq!(session.token_type, "Bearer");
        assert!(session.id_token.is_some());
        let refresh_token = session.refresh_token.clone().expect("a refresh token");
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!((3_000..=3_700).contains(&session.expires_at.saturating_sub(now)));

        // Refresh: new access token, the refresh token kept (none comes back).
        let old_access = session.access_token.clone();
        client.refresh(&mut session).await.unwrap();
        assert_ne!(session.access_token, old_access);
        assert_eq!(
            session.refresh_token.as_deref(),
            Some(refresh_token.as_str())
        );

        // GetUser.
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, username);
        assert_eq!(user.attribute("email"), Some(email.as_str()));
        assert_eq!(user.attribute("sub"), Some(signed_up.user_sub.as_str()));

        // UpdateUserAttributes (moto returns `{}`: no CodeDeliveryDetailsList).
        let deliveries = client
            .update_user_attributes(&session.access_token, &attrs(&[("name", "Moto User")]))
            .await
            .unwrap();
        assert!(deliveries.is_empty());
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.attribute("name"), Some("Moto User"));

        // ChangePassword: a wrong previous password is refused; then the new one signs in.
        assert_eq!(
            service_name(
                client
                    .change_password(&session.access_token, "Wrong-Passw0rd!", NEW_PASSWORD)
                    .await
            ),
            "NotAuthorizedException"
        );
        client
            .change_password(&session.access_token, PASSWORD, NEW_PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            service_name(client.sign_in_password(&username, PASSWORD).await),
            "NotAuthorizedException"
        );
        sign_in(&client, &username, NEW_PASSWORD).await;

        // ForgotPassword through the client: where the code went.
        let delivery = client
            .forgot_password(&username)
            .await
            .unwrap()
            .expect("CodeDeliveryDetails");
        assert_eq!(delivery.delivery_medium.as_deref(), Some("EMAIL"));
        assert_eq!(delivery.attribute_name.as_deref(), Some("email"));
        // A wrong code of moto's form is refused (moto: ExpiredCodeException; Cognito would say
        // CodeMismatchException). moto's codes are 6 digits from 100000.
        assert_eq!(
            service_name(
                client
                    .confirm_forgot_password(
                        &username,
                        "moto-confirmation-code:000000",
                        RESET_PASSWORD
                    )
                    .await
            ),
            "ExpiredCodeException"
        );
        // moto hands the code out only in a reply header of its own, which the client does not
        // read: ask for a new one raw, then confirm through the client.
        let (status, headers, _) = raw(
            &url,
            None,
            "ForgotPassword",
            &json!({"ClientId": config.client_id, "Username": username}),
        )
        .await;
        assert_eq!(status, 200);
        let code = headers
            .get("x-moto-forgot-password-confirmation-code")
            .expect("moto's code header")
            .to_str()
            .unwrap()
            .to_owned();
        client
            .confirm_forgot_password(&username, &code, RESET_PASSWORD)
            .await
            .unwrap();
        assert_eq!(
            service_name(client.sign_in_password(&username, NEW_PASSWORD).await),
            "NotAuthorizedException"
        );
        let mut session = sign_in(&client, &username, RESET_PASSWORD).await;

        // Global sign-out: the access token and the refresh token are then rejected.
        client.global_sign_out(&session.access_token).await.unwrap();
        assert_eq!(
            service_name(client.get_user(&session.access_token).await),
            "NotAuthorizedException"
        );
        assert_eq!(
            service_name(client.refresh(&mut session).await),
            "NotAuthorizedException"
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn app_client_secret_and_another_region() {
    let Some(url) = moto_url("app_client_secret_and_another_region") else {
        return;
    };
    bounded(async {
        // A pool outside us-east-1 (created with a eu-west-1 credential scope) and an app client
        // with a secret: SECRET_HASH is sent on every call, and moto checks it on refresh.
        let config = pool_and_client(&url, "eu-west-1", true).await;
        assert!(config.pool_id.starts_with("eu-west-1_"));
        let client = Client::new(config.clone()).unwrap();
        let username = unique("secret");
        client
            .sign_up(&username, PASSWORD, &attrs(&[("email", "s@example.com")]))
            .await
            .unwrap();
        client.confirm_sign_up(&username, "000000").await.unwrap();
        let mut session = sign_in(&client, &username, PASSWORD).await;
        let old_access = session.access_token.clone();
        client.refresh(&mut session).await.unwrap();
        assert_ne!(session.access_token, old_access);
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, username);

        // USER_SRP_AUTH: moto answers PASSWORD_VERIFIER with random hex SRP_B and SALT and a
        // SECRET_BLOCK that is a UUID, where Cognito's is base64 (the client signs its decoded
        // bytes). The client must refuse that cleanly, as a protocol error naming the field,
        // before answering; should moto ever send base64 (it accepts any proof), it signs in.
        match client.sign_in_srp(&username, PASSWORD).await {
            Ok(pending) => {
                let srp = pending
                    .into_session()
                    .unwrap_or_else(|p| panic!("a challenge: {:?}", p.step()));
                assert_eq!(srp.username, username);
            }
            Err(err) => {
                assert!(
                    matches!(err, Error::Core(cognito_std::core::Error::Protocol(_)))
                        && format!("{err:?}").contains("SECRET_BLOCK"),
                    "{err:?}"
                );
            }
        }

        // A wrong secret: the refresh's SECRET_HASH no longer matches.
        let wrong = Client::new(config.with_client_secret("not-the-secret")).unwrap();
        assert_eq!(
            service_name(wrong.refresh(&mut session).await),
            "NotAuthorizedException"
        );
        // (No GlobalSignOut here: moto serves it only from its us-east-1 backend for unsigned
        // requests, see the module documentation.)
    })
    .await
    .unwrap();
}

/// One raw call to moto's identity-pool service (`AWSCognitoIdentityService.<operation>`),
/// routed to its `region` backend through a SigV4-shaped credential scope; must succeed.
async fn identity_admin(url: &str, region: &str, operation: &str, body: &Value) -> Value {
    let reply = reqwest::Client::new()
        .post(url)
        .header("X-Amz-Target", format!("AWSCognitoIdentityService.{operation}"))
        .header("Content-Type", "application/x-amz-json-1.1")
        .header(
            "Authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/{region}/cognito-identity/aws4_request, SignedHeaders=host;x-amz-date, Signature=0"
            ),
        )
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = reply.status().as_u16();
    let text = reply.text().await.unwrap();
    assert_eq!(status, 200, "{operation}: {text}");
    serde_json::from_str(&text).unwrap()
}

/// Whether `id` looks like an identity (pool) id of `region`: `<region>:<uuid>`.
fn is_identity_id(id: &str, region: &str) -> bool {
    let Some((prefix, uuid)) = id.split_once(':') else {
        return false;
    };
    let groups: Vec<&str> = uuid.split('-').collect();
    prefix == region
        && groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.bytes().all(|b| b.is_ascii_hexdigit()))
}

#[tokio::test]
async fn aws_credentials_from_an_identity_pool() {
    let Some(url) = moto_url("aws_credentials_from_an_identity_pool") else {
        return;
    };
    bounded(async {
        // us-east-1: moto serves the (unsigned) GetId and GetCredentialsForIdentity from there.
        let region = "us-east-1";
        let config = pool_and_client(&url, region, false).await;
        let pool = identity_admin(
            &url,
            region,
            "CreateIdentityPool",
            &json!({
                "IdentityPoolName": unique("cognito_rs_"),
                "AllowUnauthenticatedIdentities": true,
                "CognitoIdentityProviders": [{
                    "ProviderName": format!("cognito-idp.{region}.amazonaws.com/{}", config.pool_id),
                    "ClientId": config.client_id,
                    "ServerSideTokenCheck": false,
                }],
            }),
        )
        .await;
        let identity_pool_id = pool["IdentityPoolId"].as_str().unwrap().to_owned();
        assert!(is_identity_id(&identity_pool_id, region), "{identity_pool_id}");

        let client = Client::new(
            config
                .with_identity_pool(&identity_pool_id)
                .with_identity_endpoint(url.clone()),
        )
        .unwrap();
        let username = unique("identity");
        client
            .sign_up(&username, PASSWORD, &attrs(&[("email", "i@example.com")]))
            .await
            .unwrap();
        client.confirm_sign_up(&username, "123456").await.unwrap();
        let mut session = sign_in(&client, &username, PASSWORD).await;

        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert!(is_identity_id(&auth.identity_id, region), "{}", auth.identity_id);
        let c = &auth.credentials;
        for value in [&c.access_key_id, &c.secret_key, &c.session_token] {
            assert!(!value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic()));
        }
        let now = std::time::SystemTime::now();
        assert!(c.expiration > now, "{c:?}");
        assert_eq!(session.identities.len(), 1);
        assert_eq!(session.identities[0].identity_id, auth.identity_id);
        assert_eq!(session.identities[0].identity_pool_id, identity_pool_id);

        // Forced: the kept identity, new credentials (no second GetId, so the same id).
        let forced = client
            .fetch_auth_session(
                &mut session,
                FetchOptions {
                    force_refresh: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(forced.identity_id, auth.identity_id);

        // A guest of the same pool.
        let mut guest = GuestIdentity::default();
        let guest_credentials = client
            .guest_credentials(&mut guest, FetchOptions::default())
            .await
            .unwrap();
        assert!(is_identity_id(&guest_credentials.identity_id, region));
        assert_eq!(
            guest.identity_id(&identity_pool_id),
            Some(guest_credentials.identity_id.as_str())
        );
    })
    .await
    .unwrap();
}

/// moto signs its tokens RS256 with one fixed key (`kid` `dummy`) and serves it at
/// `/<poolId>/.well-known/jwks.json`; its `iss` is the regional Cognito URL, as Cognito's is.
/// The verifier fetches moto's key set (endpoint override) and accepts moto's ID and access
/// tokens for the app client, and refuses them for another client or the other token use.
#[tokio::test]
async fn verifying_motos_tokens_through_its_jwks() {
    let Some(url) = moto_url("verifying_motos_tokens_through_its_jwks") else {
        return;
    };
    bounded(async {
        use cognito_std::TokenVerifier;
        use cognito_std::core::token::{ExpectedUse, VerifyError};

        let config = pool_and_client(&url, "us-east-1", false).await;
        let client = Client::new(config.clone()).unwrap();
        let username = unique("verified");
        let email = format!("{username}@example.com");
        client
            .sign_up(&username, PASSWORD, &attrs(&[("email", &email)]))
            .await
            .unwrap();
        client.confirm_sign_up(&username, "123456").await.unwrap();
        let session = sign_in(&client, &username, PASSWORD).await;
        let id_token = session.id_token.clone().expect("an ID token");

        let verifier = |token_use| {
            TokenVerifier::builder(&config.pool_id)
                .with_endpoint(&url)
                .with_client_id(&config.client_id)
                .with_token_use(token_use)
                .with_leeway(std::time::Duration::from_secs(5))
                .build()
                .unwrap()
        };
        let access = verifier(ExpectedUse::Access);
        assert_eq!(
            access.issuers().collect::<Vec<_>>(),
            [
                format!(
                    "https://cognito-idp.us-east-1.amazonaws.com/{}",
                    config.pool_id
                ),
                format!(
                    "https://issuer-cognito-idp.us-east-1.amazonaws.com/{}",
                    config.pool_id
                )
            ]
        );
        let claims = access.verify(&session.access_token).await.unwrap();
        assert_eq!(claims.username(), Some(username.as_str()));
        assert_eq!(claims.client_id(), Some(config.client_id.as_str()));
        assert_eq!(claims.token_use(), Some("access"));
        let id = verifier(ExpectedUse::Id);
        let claims = id.verify(&id_token).await.unwrap();
        assert_eq!(claims.username(), Some(username.as_str()));
        assert_eq!(claims.client_id(), Some(config.client_id.as_str()));

        // The wrong use, another app client, a token of this pool altered.
        assert_eq!(
            access.verify(&id_token).await.unwrap_err().token_refused(),
            Some(VerifyError::WrongTokenUse)
        );
        let other_client = TokenVerifier::builder(&config.pool_id)
            .with_endpoint(&url)
            .with_client_id("another-client")
            .build()
            .unwrap();
        assert_eq!(
            other_client
                .verify(&session.access_token)
                .await
                .unwrap_err()
                .token_refused(),
            Some(VerifyError::WrongClient)
        );
        let (input, signature) = session.access_token.rsplit_once('.').unwrap();
        let altered = format!(
            "{input}.{}{}",
            if signature.starts_with('A') { "B" } else { "A" },
            &signature[1..]
        );
        assert_eq!(
            access.verify(&altered).await.unwrap_err().token_refused(),
            Some(VerifyError::BadSignature)
        );
        // Another pool's tokens (the same moto key, another issuer) are refused.
        let other_pool = pool_and_client(&url, "us-east-1", false).await;
        let elsewhere = TokenVerifier::builder(&other_pool.pool_id)
            .with_endpoint(&url)
            .build()
            .unwrap();
        assert_eq!(
            elsewhere
                .verify(&session.access_token)
                .await
                .unwrap_err()
                .token_refused(),
            Some(VerifyError::WrongIssuer)
        );
    })
    .await
    .unwrap();
}
