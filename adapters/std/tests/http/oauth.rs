//! The pool domain's OAuth 2.0 endpoints over real HTTP on loopback, against canned replies
//! (no emulator, no AWS):
//!
//! * what goes on the wire: method, path, Basic credentials, form bodies, `Bearer` for userInfo;
//! * a hosted-UI sign-in from authorize URL to a [`Session`] that refreshes through the domain
//!   and revokes there; redirects of other sign-ins refused without a request;
//! * client-credentials tokens cached per scope set (a second call and concurrent callers make
//!   one request), kept between clients through [`StoredClientToken`]s;
//! * OAuth errors typed ([`Error::oauth`]), a spent code never sent twice
//!   ([`Error::OutcomeUnknown`]), the pool domain under the endpoint's security rules.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cognito_core::oauth::OAuthErrorKind;
use cognito_std::{
    Client, ClientTokenFile, Config, EndpointProblem, Error, HostedUiOptions, Options, Session,
    SessionOrigin, blocking,
};
use cognito_tests::fixtures::canned::{self, CannedRequest, CannedServer};
use cognito_tests::fixtures::loopback_http::basic_auth;
use cognito_tests::fixtures::{bounded, unsigned_jwt};

use crate::support::quick_retries;

const POOL_ID: &str = "us-east-1_OAuthPool";
const CLIENT_ID: &str = "oauthclient000000000000000";
const SECRET: &str = "oauth-client-secret";
const JSON: (&str, &str) = ("Content-Type", "application/json");
const REDIRECT: &str = "http://127.0.0.1:8400/callback";

/// A loopback server that records each request (`CannedServer::requests`) and answers request
/// `n` with `reply(n, &request)`; `domain` is its URL without the final `/` (a pool domain).
struct Recorder {
    server: CannedServer,
    domain: String,
}

impl Recorder {
    fn start(reply: impl Fn(usize, &CannedRequest) -> Vec<u8> + Send + Sync + 'static) -> Self {
        let server = CannedServer::answering(reply).unwrap();
        let domain = server.url().trim_end_matches('/').to_owned();
        Self { server, domain }
    }

    fn seen(&self) -> Vec<CannedRequest> {
        self.server.requests()
    }
}

fn access_token(username: &str, n: u32) -> String {
    let now = cognito_tests::fixtures::unix_now();
    unsigned_jwt(&serde_json::json!({
        "sub": "sub-1", "token_use": "access", "username": username,
        "scope": "openid aws.cognito.signin.user.admin", "iat": now, "exp": now + 3600, "n": n,
    }))
}

fn id_token(nonce: &str) -> String {
    let now = cognito_tests::fixtures::unix_now();
    unsigned_jwt(&serde_json::json!({
        "sub": "sub-1", "token_use": "id", "cognito:username": "alice",
        "email": "alice@example.com", "nonce": nonce, "iat": now, "exp": now + 3600,
    }))
}

fn token_reply(body: &serde_json::Value) -> Vec<u8> {
    canned::response(200, &[JSON], body.to_string().as_bytes())
}

fn m2m_reply(expires_in: u64) -> Vec<u8> {
    token_reply(&serde_json::json!({
        "access_token": "m2m.access.token", "expires_in": expires_in, "token_type": "Bearer",
    }))
}

fn oauth_error(status: u16, error: &str, description: &str) -> Vec<u8> {
    let body = serde_json::json!({"error": error, "error_description": description});
    canned::response(status, &[JSON], body.to_string().as_bytes())
}

/// A client whose endpoint nobody serves and whose pool domain is `domain`.
fn client(domain: &str) -> Client {
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_client_secret(SECRET)
        .with_endpoint("http://127.0.0.1:9/")
        .with_domain(domain);
    Client::with_options(config, quick_retries(3)).unwrap()
}

/// The value of `name` in the query of `url` (the values the client generates need no
/// decoding).
fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap()
        .to_owned()
}

/// Form fields of a body (values decoded for `%2F`, `%3A` and `%20` only: enough here).
fn form(body: &str) -> Vec<(String, String)> {
    body.split('&')
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap();
            let v = v
                .replace("%2F", "/")
                .replace("%3A", ":")
                .replace("%20", " ");
            (k.to_owned(), v)
        })
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[tokio::test]
async fn a_hosted_ui_sign_in_gives_a_session_that_refreshes_and_revokes_at_the_domain() {
    bounded(async {
        let nonce = Arc::new(Mutex::new(String::new()));
        let nonce_for_server = Arc::clone(&nonce);
        let server = Recorder::start(move |n, request| match (n, request.path.as_str()) {
            (0, "/oauth2/token") => token_reply(&serde_json::json!({
                "id_token": id_token(&nonce_for_server.lock().unwrap()),
                "access_token": access_token("alice", 1),
                "refresh_token": "refresh.token.1",
                "expires_in": 3600, "token_type": "Bearer",
            })),
            (_, "/oauth2/token") => token_reply(&serde_json::json!({
                "id_token": id_token("ignored-on-refresh"),
                "access_token": access_token("alice", 2),
                "expires_in": 3600, "token_type": "Bearer",
            })),
            (_, "/oauth2/userInfo") => canned::response(
                200,
                &[JSON],
                br#"{"sub":"sub-1","username":"alice","email":"alice@example.com","email_verified":"true","custom:tier":"gold","n":1.5,"list":[1,null]}"#,
            ),
            (_, "/oauth2/revoke") => canned::response(200, &[], b""),
            _ => canned::response(404, &[], b""),
        });
        let client = client(&server.domain);
        let options = HostedUiOptions {
            identity_provider: Some("COGNITO".to_owned()),
            ..HostedUiOptions::default()
        };
        let mut sign_in = client
            .hosted_sign_in(REDIRECT, "openid email aws.cognito.signin.user.admin", &options)
            .unwrap();
        let url = sign_in.authorize_url().to_owned();
        assert!(url.starts_with(&format!("{}/oauth2/authorize?response_type=code&", server.domain)));
        assert_eq!(query_value(&url, "client_id"), CLIENT_ID);
        assert_eq!(query_value(&url, "identity_provider"), "COGNITO");
        assert_eq!(query_value(&url, "code_challenge_method"), "S256");
        assert_eq!(sign_in.redirect_uri(), REDIRECT);
        let state = query_value(&url, "state");
        *nonce.lock().unwrap() = query_value(&url, "nonce");
        assert!(!format!("{sign_in:?}").contains(&state));

        // Another sign-in's redirect (or none at all) is refused before anything is sent.
        for foreign in ["/callback?code=stolen&state=guess", "/callback?code=stolen"] {
            let e = sign_in.finish(foreign).await.unwrap_err();
            assert!(matches!(e, Error::Core(cognito_core::Error::Protocol(_))), "{e:?}");
            assert!(sign_in.is_awaiting_redirect());
        }
        assert!(server.seen().is_empty());

        let mut session = sign_in
            .finish(&format!("{REDIRECT}?code=the-code&state={state}"))
            .await
            .unwrap();
        assert!(!sign_in.is_awaiting_redirect());
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        let exchange = &seen[0];
        assert_eq!((exchange.method.as_str(), exchange.path.as_str()), ("POST", "/oauth2/token"));
        assert_eq!(exchange.header("authorization"), Some(basic_auth(CLIENT_ID, SECRET).as_str()));
        assert_eq!(
            exchange.header("content-type"),
            Some("application/x-www-form-urlencoded")
        );
        let fields = form(&exchange.body_text());
        assert_eq!(field(&fields, "grant_type"), Some("authorization_code"));
        assert_eq!(field(&fields, "code"), Some("the-code"));
        assert_eq!(field(&fields, "redirect_uri"), Some(REDIRECT));
        assert!(field(&fields, "code_verifier").is_some_and(|v| v.len() >= 43));
        assert_eq!(field(&fields, "client_id"), None, "named by its Basic credentials");

        assert_eq!(session.username, "alice");
        assert!(session.is_user("alice@example.com"));
        assert_eq!(session.refresh_token.as_deref(), Some("refresh.token.1"));
        assert_eq!(
            session.origin,
            SessionOrigin::HostedUi {
                domain: server.domain.clone()
            }
        );

        // Refreshed through /oauth2/token by `refresh` itself; the refresh token is kept.
        client.refresh(&mut session).await.unwrap();
        assert_eq!(session.access_token, access_token("alice", 2));
        assert_eq!(session.refresh_token.as_deref(), Some("refresh.token.1"));
        let refresh = &server.seen()[1];
        assert_eq!(refresh.path, "/oauth2/token");
        assert_eq!(refresh.header("authorization"), Some(basic_auth(CLIENT_ID, SECRET).as_str()));
        assert_eq!(
            form(&refresh.body_text()),
            [
                ("grant_type".to_owned(), "refresh_token".to_owned()),
                ("refresh_token".to_owned(), "refresh.token.1".to_owned()),
            ]
        );

        let info = client.user_info(&session).await.unwrap();
        assert_eq!(info.sub, "sub-1");
        assert_eq!(info.username.as_deref(), Some("alice"));
        assert_eq!(info.email.as_deref(), Some("alice@example.com"));
        assert_eq!(info.email_verified, Some(true));
        assert_eq!(info.claims["custom:tier"], "gold");
        assert_eq!(info.claims["n"], 1.5);
        assert_eq!(info.claims["list"], serde_json::json!([1, null]));
        let user_info = &server.seen()[2];
        assert_eq!(
            (user_info.method.as_str(), user_info.path.as_str()),
            ("GET", "/oauth2/userInfo")
        );
        assert_eq!(
            user_info.header("authorization"),
            Some(format!("Bearer {}", session.access_token).as_str())
        );
        assert_eq!(user_info.header("content-type"), None);

        client.revoke_via_domain(&session).await.unwrap();
        let revoke = &server.seen()[3];
        assert_eq!((revoke.method.as_str(), revoke.path.as_str()), ("POST", "/oauth2/revoke"));
        assert_eq!(revoke.header("authorization"), Some(basic_auth(CLIENT_ID, SECRET).as_str()));
        assert_eq!(revoke.body_text(), "token=refresh.token.1");

        // The session survives a session file with its origin.
        let dir = tempfile::tempdir().unwrap();
        let store = cognito_std::FileStore::new(dir.path().join("session.json"));
        cognito_std::SessionStore::save(&store, &session).unwrap();
        let loaded: Session = cognito_std::SessionStore::load(&store).unwrap().unwrap();
        assert_eq!(loaded, session);
        assert_eq!(loaded.origin.domain(), Some(server.domain.as_str()));

        let logout = client.logout_url("https://app.example.com/bye").unwrap();
        assert_eq!(
            logout,
            format!(
                "{}/logout?client_id={CLIENT_ID}&logout_uri=https%3A%2F%2Fapp.example.com%2Fbye",
                server.domain
            )
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn refusals_come_back_typed() {
    bounded(async {
        // The redirect says the user refused: the sign-in ends, nothing is sent.
        let server =
            CannedServer::fixed(oauth_error(400, "invalid_grant", "Code expired")).unwrap();
        let domain = server.url().trim_end_matches('/').to_owned();
        let client = client(&domain);
        let mut sign_in = client
            .hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default())
            .unwrap();
        let state = query_value(sign_in.authorize_url(), "state");
        let e = sign_in
            .finish(&format!(
                "/callback?error=access_denied&error_description=User+cancelled&state={state}"
            ))
            .await
            .unwrap_err();
        let oauth = e.oauth().unwrap();
        assert_eq!(oauth.kind(), OAuthErrorKind::AccessDenied);
        assert_eq!(oauth.description(), "User cancelled");
        assert!(!sign_in.is_awaiting_redirect());
        assert_eq!(server.hits(), 0);

        // The domain refuses the code.
        let mut sign_in = client
            .hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default())
            .unwrap();
        let state = query_value(sign_in.authorize_url(), "state");
        let e = sign_in
            .finish(&format!("/callback?code=c&state={state}"))
            .await
            .unwrap_err();
        let oauth = e.oauth().unwrap();
        assert_eq!(oauth.kind(), OAuthErrorKind::InvalidGrant);
        assert_eq!(oauth.to_string(), "invalid_grant: Code expired");
        assert_eq!(oauth.status(), Some(400));
        assert_eq!(server.hits(), 1, "a refusal is not sent again");

        // Client credentials and refresh: the same typed errors.
        let scopes =
            CannedServer::fixed(oauth_error(400, "invalid_scope", "Invalid scopes")).unwrap();
        let client = self::client(scopes.url().trim_end_matches('/'));
        let e = client
            .client_credentials_token("nope/read")
            .await
            .unwrap_err();
        assert_eq!(e.oauth().unwrap().kind(), OAuthErrorKind::InvalidScope);
        let mut session = hosted_session(scopes.url().trim_end_matches('/'));
        let e = client.refresh(&mut session).await.unwrap_err();
        assert_eq!(e.oauth().unwrap().kind(), OAuthErrorKind::InvalidScope);
        assert!(e.service().is_none());
    })
    .await
    .unwrap();
}

/// A session as a hosted-UI sign-in at `domain` leaves it.
fn hosted_session(domain: &str) -> Session {
    let now = cognito_tests::fixtures::unix_now();
    Session {
        username: "alice".to_owned(),
        aliases: Vec::new(),
        access_token: access_token("alice", 1),
        id_token: None,
        refresh_token: Some("refresh.token.1".to_owned()),
        token_type: "Bearer".to_owned(),
        received_at: now,
        expires_at: now + 3600,
        clock_drift_secs: 0,
        device: None,
        other_users: Vec::new(),
        origin: SessionOrigin::HostedUi {
            domain: domain.to_owned(),
        },
        identities: Vec::new(),
    }
}

#[tokio::test]
async fn a_code_is_never_sent_twice_but_client_credentials_are() {
    bounded(async {
        let failing = CannedServer::fixed(oauth_error(503, "temporarily_unavailable", "")).unwrap();
        let client = client(failing.url().trim_end_matches('/'));
        let mut sign_in = client
            .hosted_sign_in(REDIRECT, "email", &HostedUiOptions::default())
            .unwrap();
        let state = query_value(sign_in.authorize_url(), "state");
        let e = sign_in
            .finish(&format!("/callback?code=c&state={state}"))
            .await
            .unwrap_err();
        let Error::OutcomeUnknown { operation, .. } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*operation, "/oauth2/token");
        assert_eq!(
            e.oauth().unwrap().kind(),
            OAuthErrorKind::TemporarilyUnavailable
        );
        assert_eq!(failing.hits(), 1);

        // A read-like grant is sent again after a transient failure.
        let flaky = CannedServer::start(|n, out| {
            out.write_all(&if n == 0 {
                oauth_error(503, "temporarily_unavailable", "")
            } else {
                m2m_reply(3600)
            })
        })
        .unwrap();
        let client = self::client(flaky.url().trim_end_matches('/'));
        let token = client.client_credentials_token("api/read").await.unwrap();
        assert_eq!(token.access_token, "m2m.access.token");
        assert_eq!(flaky.hits(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn client_credentials_go_on_the_wire_as_the_core_writes_them() {
    bounded(async {
        let server = Recorder::start(|_, _| m2m_reply(3600));
        let client = client(&server.domain);
        let token = client
            .client_credentials_token("api/write  api/read api/write")
            .await
            .unwrap();
        assert_eq!(token.token_type, "Bearer");
        assert_eq!(token.scopes, "api/read api/write");
        assert!(
            (3595..=3600).contains(&token.expires_in),
            "{}",
            token.expires_in
        );
        assert!(!format!("{token:?}").contains("m2m.access.token"));
        let seen = server.seen();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            (seen[0].method.as_str(), seen[0].path.as_str()),
            ("POST", "/oauth2/token")
        );
        assert_eq!(
            seen[0].header("authorization"),
            Some(basic_auth(CLIENT_ID, SECRET).as_str())
        );
        assert_eq!(
            seen[0].body_text(),
            "grant_type=client_credentials&scope=api%2Fread%20api%2Fwrite"
        );
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn client_credentials_are_cached_per_scope_set() {
    bounded(async {
        let server = CannedServer::start(|_, out| {
            // Slow enough that concurrent callers overlap.
            std::thread::sleep(Duration::from_millis(200));
            out.write_all(&m2m_reply(3600))
        })
        .unwrap();
        let domain = server.url().trim_end_matches('/').to_owned();
        let client = client(&domain);
        let callers: Vec<_> = (0..8)
            .map(|i| {
                let client = client.clone();
                tokio::spawn(async move {
                    let scopes = if i % 2 == 0 { "a/x b/y" } else { "b/y a/x b/y" };
                    client.client_credentials_token(scopes).await.unwrap()
                })
            })
            .collect();
        for caller in callers {
            assert_eq!(caller.await.unwrap().access_token, "m2m.access.token");
        }
        assert_eq!(server.hits(), 1, "one request for concurrent callers");
        client.client_credentials_token("a/x b/y").await.unwrap();
        assert_eq!(server.hits(), 1, "cached");
        client.client_credentials_token("a/x").await.unwrap();
        assert_eq!(server.hits(), 2, "another scope set");

        // Kept between clients (and runs) through a file.
        let dir = tempfile::tempdir().unwrap();
        let file = ClientTokenFile::new(dir.path().join("tokens.json"));
        file.save(&client.client_tokens()).unwrap();
        let other = self::client(&domain);
        other.restore_client_tokens(&file.load().unwrap());
        let token = other.client_credentials_token("b/y a/x").await.unwrap();
        assert_eq!(token.access_token, "m2m.access.token");
        assert_eq!(server.hits(), 2, "restored, not asked for");
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_token_within_the_renewal_margin_is_asked_for_again() {
    bounded(async {
        // 200 s left is inside the core's 300 s margin: never fresh.
        let server = CannedServer::fixed(m2m_reply(200)).unwrap();
        let client = client(server.url().trim_end_matches('/'));
        let token = client.client_credentials_token("").await.unwrap();
        assert!(token.expires_in <= 200);
        client.client_credentials_token("").await.unwrap();
        assert_eq!(server.hits(), 2);
        assert!(client.client_tokens().is_empty(), "nothing fresh to keep");
    })
    .await
    .unwrap();
}

#[test]
fn the_pool_domain_follows_the_endpoint_rules() {
    let with_domain = |domain: &str, options: Options| {
        Client::with_options(Config::new(POOL_ID, CLIENT_ID).with_domain(domain), options)
    };
    match with_domain("http://192.0.2.1", Options::default()) {
        Err(Error::Endpoint {
            problem: EndpointProblem::CleartextToRemoteHost,
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    let opted_in = Options {
        danger_allow_cleartext_http: true,
        ..Options::default()
    };
    let client = with_domain("http://192.0.2.1", opted_in).unwrap();
    assert_eq!(
        client.domain_security(),
        Some(cognito_std::EndpointSecurity::RemoteCleartext)
    );
    assert!(matches!(
        with_domain("https://auth.example.com/path", Options::default()),
        Err(Error::Core(cognito_core::Error::Misuse(_)))
    ));
    let client = with_domain("https://auth.example.com/", Options::default()).unwrap();
    assert_eq!(
        client.pool_domain().map(ToString::to_string).as_deref(),
        Some("https://auth.example.com")
    );

    // Without a domain, the pool-domain methods say so.
    let client = blocking::Client::new(Config::new(POOL_ID, CLIENT_ID)).unwrap();
    assert!(matches!(
        client.client_credentials_token("a"),
        Err(Error::NoDomain)
    ));
    assert!(matches!(
        client.logout_url("https://x"),
        Err(Error::NoDomain)
    ));
    assert!(matches!(
        client.hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default()),
        Err(Error::NoDomain)
    ));
}

#[test]
fn the_blocking_client_signs_in_through_the_hosted_ui() {
    let nonce = Arc::new(Mutex::new(String::new()));
    let nonce_for_server = Arc::clone(&nonce);
    let hits = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&hits);
    let server = Recorder::start(move |_, _| {
        counted.fetch_add(1, Ordering::SeqCst);
        token_reply(&serde_json::json!({
            "id_token": id_token(&nonce_for_server.lock().unwrap()),
            "access_token": access_token("bob", 1),
            "refresh_token": "r", "expires_in": 3600, "token_type": "Bearer",
        }))
    });
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_client_secret(SECRET)
        .with_endpoint("http://127.0.0.1:9/")
        .with_domain(&server.domain);
    let client = blocking::Client::new(config).unwrap();
    let mut sign_in = client
        .hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default())
        .unwrap();
    let url = sign_in.authorize_url().to_owned();
    *nonce.lock().unwrap() = query_value(&url, "nonce");
    let session = sign_in
        .finish(&format!(
            "/callback?state={}&code=k",
            query_value(&url, "state")
        ))
        .unwrap();
    assert_eq!(session.username, "bob");
    assert_eq!(hits.load(Ordering::SeqCst), 1);
    assert_eq!(session.origin.domain(), Some(server.domain.as_str()));

    // Saved, dropped, resumed: the same sign-in.
    let saved = {
        let second = client
            .hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default())
            .unwrap();
        *nonce.lock().unwrap() = query_value(second.authorize_url(), "nonce");
        second.save().unwrap()
    };
    let mut resumed = client.resume_hosted_sign_in(&saved).unwrap();
    let redirect = format!("/callback?state={}&code=k2", resumed.state());
    assert_eq!(resumed.finish(&redirect).unwrap().username, "bob");
    assert_eq!(hits.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn the_domain_gets_the_same_wire_rules_redirects_and_size_limit() {
    bounded(async {
        let elsewhere = CannedServer::fixed(m2m_reply(3600)).unwrap();
        let redirecting =
            CannedServer::fixed(canned::response(302, &[("Location", elsewhere.url())], b""))
                .unwrap();
        let client = client(redirecting.url().trim_end_matches('/'));
        let e = client.client_credentials_token("a").await.unwrap_err();
        assert!(
            matches!(
                e,
                Error::Core(cognito_core::Error::Protocol(
                    cognito_core::ProtocolError::UnexpectedStatus(302)
                ))
            ),
            "{e:?}"
        );
        assert_eq!(elsewhere.hits(), 0, "a redirect is never followed");

        let large = CannedServer::fixed(canned::response(200, &[JSON], &vec![b' '; 4096])).unwrap();
        let config = Config::new(POOL_ID, CLIENT_ID)
            .with_client_secret(SECRET)
            .with_domain(large.url().trim_end_matches('/'));
        let options = Options {
            max_reply_bytes: 1024,
            ..quick_retries(3)
        };
        let client = Client::with_options(config, options).unwrap();
        let e = client.client_credentials_token("a").await.unwrap_err();
        assert!(
            matches!(e, Error::ReplyTooLarge { limit: 1024, .. }),
            "{e:?}"
        );
    })
    .await
    .unwrap();
}

/// The futures can go to `tokio::spawn` (they are `Send`).
#[test]
fn the_futures_are_send() {
    fn send<T: Send>(_: T) {}
    let client = client("http://127.0.0.1:9");
    let mut session = hosted_session("http://127.0.0.1:9");
    let mut sign_in = client
        .hosted_sign_in(REDIRECT, "openid", &HostedUiOptions::default())
        .unwrap();
    send(sign_in.finish("/callback"));
    send(client.refresh_with_domain(&mut session));
    send(client.revoke_via_domain(&session));
    send(client.user_info(&session));
    send(client.client_credentials_token("a"));
}

/// The async client against the emulator's pool domain: a hosted-UI sign-in through the
/// scripted browser (the pool's own login form and password check), the session on the JSON
/// API, userInfo, a refresh and a revocation at the domain; client-credentials tokens for a
/// second app client, cached, concurrent callers sharing one request.
#[tokio::test]
async fn the_emulator_hosted_ui_and_client_credentials() {
    bounded(async {
        use cognito_tests::fixtures::browser;
        use cognito_tests::http::EmulatorServer;
        use cognito_tests::pool::{OAuthSettings, UserPool};

        const REDIRECT: &str = "http://127.0.0.1:8400/callback";
        let mut pool = UserPool::new("us-east-1_StdHosted", 31);
        pool.add_client("stdhosted", None);
        assert!(pool.enable_hosted_ui("stdhosted", &[REDIRECT], &[]));
        pool.add_client("stdm2m", Some("std-m2m-secret"));
        pool.add_resource_server("fleet", &["read"]);
        assert!(
            pool.set_client_oauth("stdm2m", OAuthSettings::client_credentials(&["fleet/read"]))
        );
        pool.add_user("alice", "Passw0rd!");
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let config = |client: &str| {
            Config::new("us-east-1_StdHosted", client)
                .with_endpoint(server.url())
                .with_domain(server.url().trim_end_matches('/'))
        };
        let client = Client::with_options(config("stdhosted"), quick_retries(3)).unwrap();

        let mut sign_in = client
            .hosted_sign_in(
                REDIRECT,
                "openid email aws.cognito.signin.user.admin",
                &HostedUiOptions::default(),
            )
            .unwrap();
        let url = sign_in.authorize_url().to_owned();
        let location = tokio::task::spawn_blocking(move || {
            browser::sign_in_through_hosted_ui(&url, "alice", "Passw0rd!").unwrap()
        })
        .await
        .unwrap();
        let mut session = sign_in.finish(&location).await.unwrap();
        assert_eq!(session.username, "alice");
        let user = client.get_user(&session.access_token).await.unwrap();
        assert_eq!(user.username, "alice");
        let info = client.user_info(&session).await.unwrap();
        assert_eq!(info.username.as_deref(), Some("alice"));

        let before = session.access_token.clone();
        client.refresh(&mut session).await.unwrap();
        assert_ne!(before, session.access_token);
        client.revoke_via_domain(&session).await.unwrap();
        let refused = client.refresh(&mut session).await.unwrap_err();
        assert_eq!(
            refused.oauth().map(|e| e.kind()),
            Some(OAuthErrorKind::InvalidGrant),
            "{refused}"
        );

        let m2m = Arc::new(
            Client::with_options(
                config("stdm2m").with_client_secret("std-m2m-secret"),
                quick_retries(3),
            )
            .unwrap(),
        );
        let callers: Vec<_> = (0..4)
            .map(|_| {
                let m2m = Arc::clone(&m2m);
                tokio::spawn(async move { m2m.client_credentials_token("fleet/read").await })
            })
            .collect();
        let mut tokens = Vec::new();
        for caller in callers {
            tokens.push(caller.await.unwrap().unwrap().access_token.clone());
        }
        // The emulator mints a new token per request (a new jti): one token means one request.
        assert!(tokens.windows(2).all(|w| w[0] == w[1]));
        let refused = m2m
            .client_credentials_token("fleet/write")
            .await
            .unwrap_err();
        assert_eq!(
            refused.oauth().map(|e| e.kind()),
            Some(OAuthErrorKind::InvalidScope)
        );
    })
    .await
    .unwrap();
}

/// A web server with several instances: the sign-in starts in one (a confidential app client),
/// is saved as text under its state, and the callback, reaching a fresh client, finds it by
/// the redirect's state and finishes it there. Another app client cannot take it over.
#[tokio::test]
async fn a_saved_hosted_ui_sign_in_finishes_in_another_client() {
    bounded(async {
        use cognito_tests::fixtures::browser;
        use cognito_tests::http::EmulatorServer;
        use cognito_tests::pool::UserPool;

        const REDIRECT: &str = "http://127.0.0.1:8400/callback";
        const SAVED_SECRET: &str = "std-saved-secret";
        let mut pool = UserPool::new("us-east-1_StdSaved", 32);
        pool.add_client("stdsaved", Some(SAVED_SECRET));
        assert!(pool.enable_hosted_ui("stdsaved", &[REDIRECT], &[]));
        pool.add_user("alice", "Passw0rd!");
        let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
        let config = |client: &str| {
            Config::new("us-east-1_StdSaved", client)
                .with_client_secret(SAVED_SECRET)
                .with_endpoint(server.url())
                .with_domain(server.url().trim_end_matches('/'))
        };

        let (url, state, saved) = {
            let first = Client::with_options(config("stdsaved"), quick_retries(3)).unwrap();
            let sign_in = first
                .hosted_sign_in(REDIRECT, "openid email", &HostedUiOptions::default())
                .unwrap();
            let saved = sign_in.save().unwrap();
            assert!(!saved.contains(SAVED_SECRET), "the secret is not saved");
            (
                sign_in.authorize_url().to_owned(),
                sign_in.state().to_owned(),
                saved.to_string(),
            )
        };
        let location = tokio::task::spawn_blocking(move || {
            browser::sign_in_through_hosted_ui(&url, "alice", "Passw0rd!").unwrap()
        })
        .await
        .unwrap();
        assert_eq!(
            cognito_std::redirect_state(&location).as_deref(),
            Some(state.as_str())
        );

        let other = Client::with_options(config("someoneelse"), quick_retries(3)).unwrap();
        assert!(
            matches!(
                other.resume_hosted_sign_in(&saved),
                Err(Error::Core(cognito_core::Error::Misuse(
                    cognito_core::Misuse::Invalid("client_id")
                )))
            ),
            "another app client's sign-in is refused"
        );
        let second = Client::with_options(config("stdsaved"), quick_retries(3)).unwrap();
        let mut resumed = second.resume_hosted_sign_in(&saved).unwrap();
        assert!(resumed.is_awaiting_redirect());
        assert_eq!(resumed.state(), state);
        let session = resumed.finish(&location).await.unwrap();
        assert_eq!(session.username, "alice");
        let info = second.user_info(&session).await.unwrap();
        assert_eq!(info.username.as_deref(), Some("alice"));
        assert!(resumed.save().is_err(), "a finished sign-in is not saved");
    })
    .await
    .unwrap();
}
