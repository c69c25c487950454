//! `TokenVerifier`: tokens signed with test keys, the key set served by a canned loopback
//! server that counts its requests: valid tokens, each refusal typed, key rotation (one
//! re-fetch), no re-fetch storm, one fetch for concurrent callers, the cache, key-set failures.

use std::sync::OnceLock;
use std::time::Duration;

use cognito_core::token::{ExpectedUse, TokenError, VerifyError};
use cognito_std::{Error, JwksProblem, TokenVerifier, TokenVerifierBuilder, blocking};
use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::rs256::{TestSigner, jwks};
use cognito_tests::fixtures::{bounded, refused_url, unix_now};
use serde_json::{Value, json};

const POOL: &str = "eu-west-1_AbCdEf123";
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const UPDATED_ISSUER: &str =
    "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn pool_key() -> &'static TestSigner {
    static KEY: OnceLock<TestSigner> = OnceLock::new();
    KEY.get_or_init(|| TestSigner::generate(11, "key-1").unwrap())
}

fn next_key() -> &'static TestSigner {
    static KEY: OnceLock<TestSigner> = OnceLock::new();
    KEY.get_or_init(|| TestSigner::generate(12, "key-2").unwrap())
}

/// A server answering every request with `jwks`.
fn serving(jwks: &str) -> CannedServer {
    CannedServer::fixed(canned::response(200, &[JSON], jwks.as_bytes())).unwrap()
}

fn verifier(server: &CannedServer) -> TokenVerifierBuilder {
    TokenVerifier::builder(POOL)
        .with_endpoint(server.url())
        .with_client_id(CLIENT)
}

/// A verifier of `server`'s key set that tries no fetch for `back_off` after a failed one.
fn backing_off(server: &CannedServer, back_off: Duration) -> TokenVerifier {
    verifier(server)
        .with_retry_after_failure(back_off)
        .build()
        .unwrap()
}

fn access_claims() -> Value {
    let now = unix_now();
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": ["admin"],
        "iss": ISSUER,
        "client_id": CLIENT,
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin orders/read",
        "auth_time": now - 10,
        "exp": now + 3600,
        "iat": now - 10,
        "jti": "abcdefab-1234-5678-9abc-def012345678",
        "username": "alice"
    })
}

fn id_claims() -> Value {
    let now = unix_now();
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "iss": ISSUER,
        "cognito:username": "alice",
        "aud": CLIENT,
        "token_use": "id",
        "auth_time": now - 10,
        "exp": now + 3600,
        "iat": now - 10,
        "email": "alice@example.com"
    })
}

fn with(mut claims: Value, name: &str, value: Value) -> Value {
    claims[name] = value;
    claims
}

fn refusal(outcome: cognito_std::Result<cognito_std::VerifiedClaims>) -> VerifyError {
    match outcome {
        Err(Error::TokenRefused(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn valid_tokens_and_the_cache() {
    bounded(async {
        let server = serving(&jwks(&[pool_key()]));
        let verifier = verifier(&server).build().unwrap();
        assert_eq!(
            verifier.issuers().collect::<Vec<_>>(),
            [ISSUER, UPDATED_ISSUER]
        );
        // Both key sets from the endpoint.
        let url = format!("{}{POOL}/.well-known/jwks.json", server.url());
        assert_eq!(verifier.jwks_urls().collect::<Vec<_>>(), [&url, &url]);
        // One set of claims for the token and the comparison (a second call could fall in the
        // next second).
        let access = access_claims();
        let claims = verifier.verify(&pool_key().sign(&access)).await.unwrap();
        assert_eq!(claims.username(), Some("alice"));
        assert_eq!(claims.client_id(), Some(CLIENT));
        assert_eq!(claims.token_use(), Some("access"));
        assert_eq!(claims.groups(), ["admin"]);
        assert_eq!(
            claims.scopes(),
            ["aws.cognito.signin.user.admin", "orders/read"]
        );
        assert_eq!(claims.exp(), access["exp"].as_u64());
        let claims = verifier
            .verify(&pool_key().sign(&id_claims()))
            .await
            .unwrap();
        assert_eq!(claims.username(), Some("alice"));
        assert_eq!(claims.client_id(), Some(CLIENT));
        assert_eq!(claims.get("email"), Some(&json!("alice@example.com")));
        // One fetch for both, and none for a refusal that is not about the key.
        let _ = verifier
            .verify(&pool_key().sign(&with(access_claims(), "exp", json!(1))))
            .await;
        assert_eq!(server.hits(), 1);
        assert_eq!(verifier.jwks_fetches().await, 1);
        // Clones share the key set.
        let clone = verifier.clone();
        clone
            .verify(&pool_key().sign(&access_claims()))
            .await
            .unwrap();
        assert_eq!(server.hits(), 1);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn both_issuer_formats_each_with_its_own_key_set() {
    bounded(async {
        // Without an endpoint, each issuer's key set comes from its own host.
        let remote = TokenVerifier::builder(POOL).build().unwrap();
        assert_eq!(
            remote.jwks_urls().collect::<Vec<_>>(),
            [
                format!("{ISSUER}/.well-known/jwks.json"),
                format!("{UPDATED_ISSUER}/.well-known/jwks.json")
            ]
        );
        // A pool switched to the updated issuer: its new tokens and the older ones both verify,
        // each against the key set of the issuer it names (one fetch each, then kept).
        let server = serving(&jwks(&[pool_key()]));
        let both = verifier(&server).build().unwrap();
        let updated = with(access_claims(), "iss", json!(UPDATED_ISSUER));
        let claims = both.verify(&pool_key().sign(&updated)).await.unwrap();
        assert_eq!(claims.issuer(), Some(UPDATED_ISSUER));
        assert_eq!(both.jwks_fetches().await, 1);
        let claims = both
            .verify(&pool_key().sign(&access_claims()))
            .await
            .unwrap();
        assert_eq!(claims.issuer(), Some(ISSUER));
        assert_eq!(both.jwks_fetches().await, 2);
        both.verify(&pool_key().sign(&updated)).await.unwrap();
        assert_eq!(server.hits(), 2);
        // The updated host of another region, or of another pool, is another issuer.
        for iss in [
            "https://issuer-cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbCdEf123",
            "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other",
        ] {
            let token = pool_key().sign(&with(access_claims(), "iss", json!(iss)));
            assert!(matches!(
                both.verify(&token).await,
                Err(Error::TokenRefused(VerifyError::WrongIssuer))
            ));
        }
        // One issuer named explicitly replaces both.
        let moto_like = verifier(&server)
            .with_issuer("http://localhost:5000/eu-west-1_AbCdEf123")
            .build()
            .unwrap();
        assert_eq!(
            moto_like.issuers().collect::<Vec<_>>(),
            ["http://localhost:5000/eu-west-1_AbCdEf123"]
        );
        assert!(matches!(
            moto_like.verify(&pool_key().sign(&updated)).await,
            Err(Error::TokenRefused(VerifyError::WrongIssuer))
        ));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn every_refusal_is_typed() {
    bounded(async {
        let server = serving(&jwks(&[pool_key()]));
        let verifier = verifier(&server)
            .with_token_use(ExpectedUse::Access)
            .with_leeway(Duration::from_secs(5))
            .build()
            .unwrap();
        let sign = |claims: Value| pool_key().sign(&claims);
        let now = unix_now();
        let cases: Vec<(String, VerifyError)> = vec![
            (
                sign(with(access_claims(), "exp", json!(now - 60))),
                VerifyError::Expired,
            ),
            (
                sign(with(access_claims(), "iat", json!(now + 600))),
                VerifyError::IssuedInFuture,
            ),
            (
                sign(with(
                    access_claims(),
                    "iss",
                    json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"),
                )),
                VerifyError::WrongIssuer,
            ),
            (
                sign(with(access_claims(), "client_id", json!("other"))),
                VerifyError::WrongClient,
            ),
            (sign(id_claims()), VerifyError::WrongTokenUse),
            (
                next_key().renamed("key-1").sign(&access_claims()),
                VerifyError::BadSignature,
            ),
            (
                format!(
                    "eyJhbGciOiJub25lIiwia2lkIjoia2V5LTEifQ.{}.",
                    sign(access_claims()).split('.').nth(1).unwrap()
                ),
                VerifyError::UnsupportedAlgorithm,
            ),
            (
                "not.a-token".to_owned(),
                VerifyError::Malformed(TokenError::Malformed),
            ),
        ];
        for (token, expected) in cases {
            assert_eq!(refusal(verifier.verify(&token).await), expected, "{token}");
        }
        let scoped = self::verifier(&server)
            .with_scope("orders/write")
            .build()
            .unwrap();
        assert_eq!(
            refusal(scoped.verify(&sign(access_claims())).await),
            VerifyError::MissingScope
        );
        let grouped = self::verifier(&server).with_group("ops").build().unwrap();
        assert_eq!(
            refusal(grouped.verify(&sign(access_claims())).await),
            VerifyError::MissingGroup
        );
        let error = verifier.verify(&sign(id_claims())).await.unwrap_err();
        assert_eq!(error.token_refused(), Some(VerifyError::WrongTokenUse));
        assert_eq!(error.to_string(), "token refused: wrong token use");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn an_unknown_kid_fetches_the_key_set_once_more() {
    bounded(async {
        // The pool rotates its keys after the first fetch.
        let before = jwks(&[pool_key()]);
        let after = jwks(&[pool_key(), next_key()]);
        let server = CannedServer::start(move |n, out| {
            let body = if n == 0 { &before } else { &after };
            out.write_all(&canned::response(200, &[JSON], body.as_bytes()))
        })
        .unwrap();
        let verifier = verifier(&server).build().unwrap();
        verifier
            .verify(&pool_key().sign(&access_claims()))
            .await
            .unwrap();
        assert_eq!(server.hits(), 1);
        // Signed with the new key: unknown, fetched again, accepted.
        let claims = verifier
            .verify(&next_key().sign(&access_claims()))
            .await
            .unwrap();
        assert_eq!(claims.sub(), Some("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"));
        assert_eq!(server.hits(), 2);
        // Both keys now known: no more fetches.
        verifier
            .verify(&next_key().sign(&access_claims()))
            .await
            .unwrap();
        verifier
            .verify(&pool_key().sign(&access_claims()))
            .await
            .unwrap();
        assert_eq!(server.hits(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn unknown_kids_cause_no_fetch_storm() {
    bounded(async {
        let server = serving(&jwks(&[pool_key()]));
        let verifier = verifier(&server)
            .with_refetch_interval(Duration::from_millis(400))
            .build()
            .unwrap();
        let stranger = pool_key().renamed("nobody").sign(&access_claims());
        for _ in 0..20 {
            assert_eq!(
                refusal(verifier.verify(&stranger).await),
                VerifyError::UnknownKey
            );
        }
        // The first fetch, then one more for the unknown kid: the others are within the
        // interval.
        assert_eq!(server.hits(), 2);
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            refusal(verifier.verify(&stranger).await),
            VerifyError::UnknownKey
        );
        assert_eq!(server.hits(), 3);
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_callers_share_one_fetch() {
    bounded(async {
        let server = serving(&jwks(&[pool_key()]));
        let verifier = verifier(&server).build().unwrap();
        let token = pool_key().sign(&access_claims());
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let (verifier, token) = (verifier.clone(), token.clone());
                tokio::spawn(async move { verifier.verify(&token).await.map(|_| ()) })
            })
            .collect();
        for task in tasks {
            task.await.unwrap().unwrap();
        }
        assert_eq!(server.hits(), 1);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn key_set_failures() {
    bounded(async {
        let token = pool_key().sign(&access_claims());
        let problem = |outcome: cognito_std::Result<_>| match outcome {
            Err(Error::Jwks { problem, .. }) => problem,
            other => panic!("expected a key-set failure, got {other:?}"),
        };
        let down = CannedServer::fixed(canned::response(503, &[], b"busy")).unwrap();
        let v = verifier(&down).build().unwrap();
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Status(503)
        ));
        let html = CannedServer::fixed(canned::response(200, &[], b"<html>")).unwrap();
        let v = verifier(&html).build().unwrap();
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Invalid(VerifyError::InvalidJwks("body"))
        ));
        let big = format!("{{\"keys\":[],\"pad\":\"{}\"}}", "x".repeat(4096));
        let big = serving(&big);
        let options = cognito_std::Options {
            max_reply_bytes: 1024,
            ..cognito_std::Options::default()
        };
        let v = verifier(&big).with_options(options).build().unwrap();
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::TooLarge(1024)
        ));
        let refused = refused_url().unwrap();
        let v = TokenVerifier::builder(POOL)
            .with_endpoint(refused)
            .build()
            .unwrap();
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Transport(_)
        ));
        // A failed fetch keeps nothing, and none is tried during the back-off: the
        // verifications in it fail at once; the first one after it fetches again.
        let busy = CannedServer::fixed(canned::response(503, &[], b"busy")).unwrap();
        let v = backing_off(&busy, Duration::from_millis(400));
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Status(503)
        ));
        for _ in 0..10 {
            match problem(v.verify(&token).await) {
                JwksProblem::RecentFailure { retry_in } => {
                    assert!(retry_in <= Duration::from_millis(400), "{retry_in:?}");
                }
                other => panic!("expected the back-off, got {other:?}"),
            }
        }
        assert_eq!((v.jwks_fetches().await, busy.hits()), (1, 1));
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Status(503)
        ));
        assert_eq!(v.jwks_fetches().await, 2);
        // With no back-off every verification fetches.
        let v = backing_off(&down, Duration::ZERO);
        let _ = v.verify(&token).await;
        let _ = v.verify(&token).await;
        assert_eq!(v.jwks_fetches().await, 2);
        // A key set that comes back after the back-off is used, and the failure forgotten.
        let keys = jwks(&[pool_key()]);
        let flaky = CannedServer::start(move |n, out| {
            out.write_all(&if n == 0 {
                canned::response(503, &[], b"busy")
            } else {
                canned::response(200, &[JSON], keys.as_bytes())
            })
        })
        .unwrap();
        let v = backing_off(&flaky, Duration::from_millis(100));
        assert!(matches!(
            problem(v.verify(&token).await),
            JwksProblem::Status(503)
        ));
        tokio::time::sleep(Duration::from_millis(150)).await;
        v.verify(&token).await.unwrap();
        v.verify(&token).await.unwrap();
        assert_eq!(flaky.hits(), 2);
        // Cleartext off the machine, and a pool id that is not one, are refused up front.
        assert!(matches!(
            TokenVerifier::builder(POOL)
                .with_endpoint("http://example.com")
                .build(),
            Err(Error::Endpoint { .. })
        ));
        assert!(matches!(
            TokenVerifier::builder("nopool").build(),
            Err(Error::Core(cognito_core::Error::Misuse(_)))
        ));
    })
    .await
    .unwrap();
}

#[test]
fn the_blocking_verifier() {
    let server = serving(&jwks(&[pool_key()]));
    let verifier = blocking::TokenVerifier::new(verifier(&server)).unwrap();
    let claims = verifier.verify(&pool_key().sign(&id_claims())).unwrap();
    assert_eq!(claims.username(), Some("alice"));
    let expired = pool_key().sign(&with(id_claims(), "exp", json!(1)));
    assert_eq!(
        verifier.verify(&expired).unwrap_err().token_refused(),
        Some(VerifyError::Expired)
    );
    assert_eq!(server.hits(), 1);
}

/// The emulator's own RS256 tokens, verified through the JWKS it serves; after it rotates its
/// signing key, the verifier fetches the key set once more and accepts the new tokens.
#[tokio::test]
async fn the_emulators_tokens() {
    use cognito_std::{Client, Config};
    use cognito_tests::fixtures::pool_with_client;
    use cognito_tests::http::EmulatorServer;
    use cognito_tests::pool::DeviceTracking;

    const EMU_POOL: &str = "us-east-1_VerifyPool";
    const EMU_CLIENT: &str = "verifyclient00000000000000";
    bounded(async {
        let mut pool = pool_with_client(EMU_POOL, EMU_CLIENT, 31, None, DeviceTracking::Off);
        pool.add_user("alice", "Corr3ct-Horse!");
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let client =
            Client::new(Config::new(EMU_POOL, EMU_CLIENT).with_endpoint(server.url())).unwrap();
        let sign_in = || async {
            client
                .sign_in_srp("alice", "Corr3ct-Horse!")
                .await
                .unwrap()
                .into_session()
                .expect("no challenge")
        };
        let session = sign_in().await;
        let verifier = TokenVerifier::builder(EMU_POOL)
            .with_endpoint(server.url())
            .with_client_id(EMU_CLIENT)
            .build()
            .unwrap();
        let access = verifier.verify(&session.access_token).await.unwrap();
        assert_eq!(access.username(), Some("alice"));
        assert_eq!(access.token_use(), Some("access"));
        let id = verifier
            .verify(session.id_token.as_deref().unwrap())
            .await
            .unwrap();
        assert_eq!(id.token_use(), Some("id"));
        assert_eq!(verifier.jwks_fetches().await, 1);
        // Key rotation: the next tokens name a new kid.
        cognito_tests::fixtures::with_pool(&server, |pool| pool.rotate_signing_key()).unwrap();
        let rotated = sign_in().await;
        verifier.verify(&rotated.access_token).await.unwrap();
        assert_eq!(verifier.jwks_fetches().await, 2);
        verifier.verify(&session.access_token).await.unwrap();
        assert_eq!(verifier.jwks_fetches().await, 2);
        // Another app client's verifier refuses them.
        let other = TokenVerifier::builder(EMU_POOL)
            .with_endpoint(server.url())
            .with_client_id("someone-else")
            .build()
            .unwrap();
        assert_eq!(
            refusal(other.verify(&rotated.access_token).await),
            VerifyError::WrongClient
        );
    })
    .await
    .unwrap();
}
