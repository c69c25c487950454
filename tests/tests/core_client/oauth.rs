//! The core's OAuth 2.0 pieces (`cognito_core::oauth`) against the emulator's pool domain over
//! loopback HTTP: a hosted-UI sign-in through the scripted browser, the tokens it gives used on
//! the JSON API, refresh and revocation on the domain, userInfo, client credentials, logout, and
//! what the domain refuses (a forged state, a wrong verifier, a reused code, a scope the client
//! may not have).

use cognito_core::Call;
use cognito_core::account::GetUser;
use cognito_core::auth::ClientConfig;
use cognito_core::oauth::{
    AuthorizeOptions, ClientToken, Grant, HostedSignIn, Logout, OAuthClient, OAuthErrorKind,
    OAuthRequest, PoolDomain, Revoke, Scopes, TokenRequest, UserInfo, read_token_reply,
};
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, TARGET_PREFIX};
use cognito_core::{Error, ProtocolError};
use cognito_tests::fixtures::{browser, loopback_http};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{OAuthSettings, UserPool};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const POOL_ID: &str = "us-east-1_OAuthPool";
const APP: &str = "hostedclient";
const M2M: &str = "m2mclient";
const M2M_SECRET: &str = "m2m-secret";
const REDIRECT: &str = "http://127.0.0.1:8400/callback";
const LOGOUT: &str = "http://127.0.0.1:8400/bye";
const SCOPES: &str = "openid email aws.cognito.signin.user.admin";

fn server() -> EmulatorServer {
    let mut pool = UserPool::new(POOL_ID, 11);
    pool.add_client(APP, None);
    assert!(pool.enable_hosted_ui(APP, &[REDIRECT], &[LOGOUT]));
    pool.add_client(M2M, Some(M2M_SECRET));
    pool.add_resource_server("my-api", &["read", "write"]);
    assert!(pool.set_client_oauth(M2M, OAuthSettings::client_credentials(&["my-api/read"])));
    pool.add_user("alice", "Passw0rd!");
    EmulatorServer::start_with(pool, "127.0.0.1:0", EmulatorOptions::default()).unwrap()
}

fn domain(server: &EmulatorServer) -> PoolDomain {
    PoolDomain::parse(&server.url()).unwrap()
}

/// Sends what the core wrote to the domain; the reply's status and body.
fn send(domain: &PoolDomain, request: &OAuthRequest<'_>) -> (u16, Vec<u8>) {
    let url = format!("{domain}{}", request.endpoint.path());
    let mut headers = Vec::new();
    if let Some(authorization) = request.authorization {
        headers.push(("Authorization", authorization));
    }
    if let Some(content_type) = request.content_type() {
        headers.push(("Content-Type", content_type));
    }
    let reply =
        loopback_http::send(&url, request.endpoint.method(), &headers, request.body).unwrap();
    (reply.status, reply.body)
}

/// A hosted-UI sign-in up to the redirect: the sign-in and the URL the browser came back to.
fn through_the_browser(server: &EmulatorServer, seed: u64) -> (HostedSignIn, String) {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let sign_in = HostedSignIn::new(
        OAuthClient::public(APP),
        REDIRECT,
        Scopes::new(SCOPES),
        &mut rng,
    )
    .unwrap();
    let mut buf = [0u8; 1024];
    let url = sign_in
        .authorize_url(&domain(server), AuthorizeOptions::default(), &mut buf)
        .unwrap();
    let location = browser::sign_in_through_hosted_ui(url, "alice", "Passw0rd!").unwrap();
    assert!(location.starts_with(REDIRECT), "{location}");
    (sign_in, location)
}

/// `GetUser` on the JSON API with `access_token`.
fn get_user(server: &EmulatorServer, access_token: &str) -> Result<String, Error> {
    let config = ClientConfig::new(POOL_ID, APP).unwrap();
    let mut buf = [0u8; 4096];
    let request = GetUser { access_token }
        .write_request(&config, &mut buf)
        .unwrap();
    let target = format!("{TARGET_PREFIX}{}", request.operation.name());
    let reply = loopback_http::send(
        &server.url(),
        "POST",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", &target),
        ],
        request.body,
    )
    .unwrap();
    let user = GetUser::read_reply(&HttpResponse::new(reply.status, &reply.body))?;
    Ok(user.username.to_string())
}

fn oauth_kind(result: Result<impl Sized, Error>) -> OAuthErrorKind {
    match result {
        Err(Error::OAuth(e)) => e.kind(),
        Err(other) => panic!("not an OAuth error: {other:?}"),
        Ok(_) => panic!("accepted"),
    }
}

#[test]
fn hosted_ui_sign_in_refresh_user_info_and_revoke() {
    let server = server();
    let domain = domain(&server);
    let (mut sign_in, location) = through_the_browser(&server, 1);

    // A redirect with another state is refused and the sign-in keeps waiting.
    let forged = location.replace("state=", "state=x");
    assert_eq!(
        sign_in.accept_redirect(&forged),
        Err(Error::Protocol(ProtocolError::StateMismatch))
    );
    sign_in.accept_redirect(&location).unwrap();
    let mut buf = [0u8; 2048];
    let request = sign_in.write_token_request(&mut buf).unwrap();
    let (status, body) = send(&domain, &request);
    let mut scratch = [0u8; 4096];
    let tokens = sign_in
        .handle_token_reply(&HttpResponse::new(status, &body), &mut scratch)
        .unwrap();
    let refresh_token = tokens.refresh_token.unwrap().to_owned();
    assert_eq!(get_user(&server, tokens.access_token).unwrap(), "alice");

    let request = UserInfo {
        access_token: tokens.access_token,
    }
    .write(&mut buf)
    .unwrap();
    let (status, body) = send(&domain, &request);
    let info = UserInfo::read_reply(&HttpResponse::new(status, &body)).unwrap();
    assert!(info.username().unwrap().unwrap().eq_str("alice"));

    let client = OAuthClient::public(APP);
    let refresh = TokenRequest {
        client,
        grant: Grant::RefreshToken {
            refresh_token: &refresh_token,
        },
    };
    let (status, body) = send(&domain, &refresh.write(&mut buf).unwrap());
    let refreshed = read_token_reply(&HttpResponse::new(status, &body)).unwrap();
    assert_eq!(get_user(&server, refreshed.access_token).unwrap(), "alice");

    let revoke = Revoke {
        client,
        refresh_token: &refresh_token,
    };
    let (status, body) = send(&domain, &revoke.write(&mut buf).unwrap());
    Revoke::read_reply(&HttpResponse::new(status, &body)).unwrap();
    let (status, body) = send(&domain, &refresh.write(&mut buf).unwrap());
    assert_eq!(
        oauth_kind(read_token_reply(&HttpResponse::new(status, &body))),
        OAuthErrorKind::InvalidGrant
    );
}

#[test]
fn a_wrong_verifier_and_a_reused_code_are_refused() {
    let server = server();
    let domain = domain(&server);
    let client = OAuthClient::public(APP);
    let mut buf = [0u8; 2048];

    let (_, location) = through_the_browser(&server, 2);
    let code = location
        .split("code=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let wrong = TokenRequest {
        client,
        grant: Grant::AuthorizationCode {
            code,
            redirect_uri: REDIRECT,
            code_verifier: "a-verifier-that-was-never-sent-in-any-authorize-url-at-all",
        },
    };
    let (status, body) = send(&domain, &wrong.write(&mut buf).unwrap());
    assert_eq!(
        oauth_kind(read_token_reply(&HttpResponse::new(status, &body))),
        OAuthErrorKind::InvalidGrant
    );

    let (mut sign_in, location) = through_the_browser(&server, 3);
    sign_in.accept_redirect(&location).unwrap();
    let (status, _) = send(&domain, &sign_in.write_token_request(&mut buf).unwrap());
    assert_eq!(status, 200);
    // The same request again: the code is spent.
    let mut again = [0u8; 2048];
    let request = sign_in.write_token_request(&mut again).unwrap();
    let (status, body) = send(&domain, &request);
    assert_eq!(
        oauth_kind(read_token_reply(&HttpResponse::new(status, &body))),
        OAuthErrorKind::InvalidGrant
    );
}

#[test]
fn client_credentials_with_allowed_and_refused_scopes() {
    let server = server();
    let domain = domain(&server);
    let client = OAuthClient::confidential(M2M, M2M_SECRET);
    let mut buf = [0u8; 1024];

    let grant = Grant::ClientCredentials {
        scopes: Scopes::new("my-api/read"),
    };
    let (status, body) = send(
        &domain,
        &TokenRequest { client, grant }.write(&mut buf).unwrap(),
    );
    let tokens = read_token_reply(&HttpResponse::new(status, &body)).unwrap();
    assert_eq!(tokens.id_token, None);
    let now = UnixTime::from_secs(server.now());
    let token: ClientToken = ClientToken::from_reply(&tokens, now).unwrap();
    assert!(token.is_fresh(now, 300));
    // A machine's token is no user's: the user-pool API refuses it.
    assert!(matches!(
        get_user(&server, token.access_token()),
        Err(Error::Service(_))
    ));

    let grant = Grant::ClientCredentials {
        scopes: Scopes::new("my-api/write"),
    };
    let (status, body) = send(
        &domain,
        &TokenRequest { client, grant }.write(&mut buf).unwrap(),
    );
    assert_eq!(
        oauth_kind(read_token_reply(&HttpResponse::new(status, &body))),
        OAuthErrorKind::InvalidScope
    );

    let wrong_secret = OAuthClient::confidential(M2M, "guess");
    let grant = Grant::ClientCredentials {
        scopes: Scopes::new("my-api/read"),
    };
    let (status, body) = send(
        &domain,
        &TokenRequest {
            client: wrong_secret,
            grant,
        }
        .write(&mut buf)
        .unwrap(),
    );
    assert_eq!(
        oauth_kind(read_token_reply(&HttpResponse::new(status, &body))),
        OAuthErrorKind::InvalidClient
    );
}

#[test]
fn logout_sends_the_browser_to_the_sign_out_url() {
    let server = server();
    let mut buf = [0u8; 512];
    let url = Logout {
        client_id: APP,
        logout_uri: LOGOUT,
    }
    .write_url(&domain(&server), &mut buf)
    .unwrap();
    let reply = loopback_http::get(url).unwrap();
    assert_eq!(reply.status, 302);
    assert_eq!(reply.header("Location"), Some(LOGOUT));
}
