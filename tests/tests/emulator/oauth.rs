//! The hosted UI over real HTTP on loopback (`EmulatorServer`, fixed clock): authorization code
//! with PKCE through the scripted browser, the token endpoint's three grants and its errors,
//! client authentication, revocation, userInfo, logout, percent-decoding, and how hosted-UI
//! tokens fare with the JSON API.

use cognito_tests::fixtures::browser::{self, BrowserError};
use cognito_tests::fixtures::loopback_http::{self, HttpReply, basic_auth};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{
    AUTHORIZATION_CODE_LIFETIME_SECS, OAuthSettings, TOKEN_LIFETIME_SECS, UserOptions, UserPool,
    jwt_payload, s256_challenge,
};
use cognito_tests::urlencoded::{self, Params};
use serde_json::{Value, json};

pub(crate) const POOL_ID: &str = "us-east-1_OAuthPool1";
/// A public hosted-UI client.
pub(crate) const PUBLIC: &str = "4publicclient0hostedui0000";
/// A hosted-UI client with a secret.
const CONFIDENTIAL: &str = "5secretclient0hostedui0000";
const CONFIDENTIAL_SECRET: &str = "c0nf1dent1alsecret0000000000000000000000000000000000";
/// A client-credentials client.
const MACHINE: &str = "6machineclient0credentials";
const MACHINE_SECRET: &str = "m4ch1nesecret000000000000000000000000000000000000000";
/// A JSON-API-only client (no OAuth settings).
const PLAIN: &str = "7plainclient0jsonapi000000";
pub(crate) const CALLBACK: &str = "http://127.0.0.1:8765/callback";
const SIGNED_OUT: &str = "http://127.0.0.1:8765/signed-out";
const API: &str = "https://api.example.com";
pub(crate) const PASSWORD: &str = "Passw0rd!";
/// RFC 7636 appendix B's verifier and challenge.
pub(crate) const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
const ALL_SCOPES: &str = "openid email phone profile aws.cognito.signin.user.admin";

/// The pool of these tests: the clients above, resource server [`API`] (read, write, admin)
/// and alice (verified email, phone), with `callback` as the hosted-UI clients' callback URL.
pub(crate) fn pool_with(callback: &str) -> UserPool {
    let mut pool = UserPool::new(POOL_ID, 21);
    pool.add_client(PUBLIC, None);
    assert!(pool.enable_hosted_ui(PUBLIC, &[callback], &[SIGNED_OUT]));
    pool.add_client(CONFIDENTIAL, Some(CONFIDENTIAL_SECRET));
    assert!(pool.enable_hosted_ui(CONFIDENTIAL, &[callback], &[]));
    pool.add_resource_server(API, &["read", "write", "admin"]);
    pool.add_client(MACHINE, Some(MACHINE_SECRET));
    assert!(pool.set_client_oauth(
        MACHINE,
        OAuthSettings::client_credentials(&[
            "https://api.example.com/read",
            "https://api.example.com/write"
        ]),
    ));
    pool.add_client(PLAIN, None);
    pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some("alice@example.com".to_owned()),
            email_verified: true,
            phone_number: Some("+15555550100".to_owned()),
            phone_number_verified: false,
            ..UserOptions::default()
        },
    );
    pool
}

fn server() -> EmulatorServer {
    EmulatorServer::start_with(
        pool_with(CALLBACK),
        "127.0.0.1:0",
        EmulatorOptions::fixed_clock(),
    )
    .unwrap()
}

/// The authorize parameters of a normal request by `client`.
pub(crate) fn params(client: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".to_owned()),
        ("client_id", client.to_owned()),
        ("redirect_uri", CALLBACK.to_owned()),
        (
            "scope",
            "openid email aws.cognito.signin.user.admin".to_owned(),
        ),
        ("state", "st4te".to_owned()),
        ("code_challenge", CHALLENGE.to_owned()),
        ("code_challenge_method", "S256".to_owned()),
    ]
}

/// `params` with `name` set to `value` (added if missing).
fn with(
    mut params: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    match params.iter_mut().find(|(n, _)| *n == name) {
        Some(pair) => pair.1 = value.to_owned(),
        None => params.push((name, value.to_owned())),
    }
    params
}

fn without(mut params: Vec<(&'static str, String)>, name: &str) -> Vec<(&'static str, String)> {
    params.retain(|(n, _)| *n != name);
    params
}

/// `server`'s URL for `path` with `params` as the query.
pub(crate) fn url(base: &str, path: &str, params: &[(&'static str, String)]) -> String {
    let pairs: Vec<(&str, &str)> = params.iter().map(|(n, v)| (*n, v.as_str())).collect();
    format!("{base}{path}?{}", urlencoded::serialize(&pairs))
}

fn authorize_url(server: &EmulatorServer, params: &[(&'static str, String)]) -> String {
    url(&server.url(), "oauth2/authorize", params)
}

/// Signs alice in through the hosted UI; returns the redirect's query.
fn sign_in(server: &EmulatorServer, params: &[(&'static str, String)]) -> Params {
    let location =
        browser::sign_in_through_hosted_ui(&authorize_url(server, params), "alice", PASSWORD)
            .unwrap();
    redirect_query(&location)
}

/// The query of a redirect to [`CALLBACK`].
fn redirect_query(location: &str) -> Params {
    let query = location
        .strip_prefix(CALLBACK)
        .and_then(|rest| rest.strip_prefix('?'))
        .unwrap_or_else(|| panic!("not a redirect to the callback: {location}"));
    Params::parse(query).unwrap()
}

/// A code for `client` (alice, the default parameters with `scope`).
fn code(server: &EmulatorServer, client: &str, scope: &str) -> String {
    let query = sign_in(server, &with(params(client), "scope", scope));
    query.get("code").unwrap().to_owned()
}

/// `POST /oauth2/token` with the form `pairs` and, if given, Basic credentials.
fn token(
    server: &EmulatorServer,
    basic: Option<(&str, &str)>,
    pairs: &[(&str, &str)],
) -> HttpReply {
    post(server, "oauth2/token", basic, pairs)
}

fn post(
    server: &EmulatorServer,
    path: &str,
    basic: Option<(&str, &str)>,
    pairs: &[(&str, &str)],
) -> HttpReply {
    let auth = basic.map(|(id, secret)| basic_auth(id, secret));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|auth| vec![("Authorization", auth)])
        .unwrap_or_default();
    loopback_http::post_form(&format!("{}{path}", server.url()), &headers, pairs).unwrap()
}

/// Exchanges a public client's code with the right verifier.
fn exchange(server: &EmulatorServer, code: &str) -> HttpReply {
    token(
        server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    )
}

/// The JSON body of a 200 reply.
fn ok_json(reply: &HttpReply) -> Value {
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json().unwrap()
}

/// Asserts an OAuth error reply: `status` and `error`.
#[track_caller]
fn assert_oauth_error(reply: &HttpReply, status: u16, error: &str) {
    assert_eq!(reply.status, status, "{}", reply.text());
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("application/json"),
        "{reply:?}"
    );
    assert_eq!(reply.json().unwrap()["error"], error, "{}", reply.text());
}

/// A 400 HTML error page, never a redirect.
#[track_caller]
fn assert_error_page(reply: &HttpReply) {
    assert_eq!(reply.status, 400, "{}", reply.text());
    assert!(reply.header("location").is_none(), "{reply:?}");
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
}

/// A 302 to the callback with `error`, `error_description` and the state.
#[track_caller]
fn assert_error_redirect(reply: &HttpReply, error: &str) {
    assert_eq!(reply.status, 302, "{}", reply.text());
    let query = redirect_query(reply.header("location").unwrap());
    assert_eq!(query.get("error"), Some(error), "{query:?}");
    assert!(query.get("error_description").is_some(), "{query:?}");
    assert_eq!(query.get("state"), Some("st4te"));
}

/// A call of the JSON API over HTTP.
fn json_api(server: &EmulatorServer, operation: &str, body: &Value) -> HttpReply {
    let target = format!("AWSCognitoIdentityProviderService.{operation}");
    loopback_http::send(
        &server.url(),
        "POST",
        &[
            ("Content-Type", "application/x-amz-json-1.1"),
            ("X-Amz-Target", &target),
        ],
        body.to_string().as_bytes(),
    )
    .unwrap()
}

fn user_info(server: &EmulatorServer, access_token: &str) -> HttpReply {
    loopback_http::get_with(
        &format!("{}oauth2/userInfo", server.url()),
        &[("Authorization", &format!("Bearer {access_token}"))],
    )
    .unwrap()
}

fn str_field<'a>(value: &'a Value, name: &str) -> &'a str {
    value[name]
        .as_str()
        .unwrap_or_else(|| panic!("no {name} in {value}"))
}

#[test]
fn the_challenge_is_rfc_7636s() {
    assert_eq!(s256_challenge(VERIFIER), CHALLENGE);
}

#[test]
fn authorize_shows_a_form_that_posts_to_login() {
    let server = server();
    let reply = loopback_http::get(&authorize_url(&server, &params(PUBLIC))).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    let page = reply.text();
    assert!(
        page.contains("<form method=\"post\" action=\"/login?response_type=code&amp;client_id="),
        "{page}"
    );
    assert!(page.contains("name=\"username\""), "{page}");
    assert!(page.contains("name=\"password\""), "{page}");
    // GET /login shows the same form; COGNITO is the one identity provider.
    let login = url(
        &server.url(),
        "login",
        &with(params(PUBLIC), "identity_provider", "COGNITO"),
    );
    let reply = loopback_http::get(&login).unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn the_code_flow_with_pkce_issues_tokens() {
    let server = server();
    // The state comes back percent-encoded exactly once.
    let state = "a b&c=d/é+%";
    let location = browser::sign_in_through_hosted_ui(
        &authorize_url(&server, &with(params(PUBLIC), "state", state)),
        "alice",
        PASSWORD,
    )
    .unwrap();
    assert!(
        location.ends_with("&state=a%20b%26c%3Dd%2F%C3%A9%2B%25"),
        "{location}"
    );
    let query = redirect_query(&location);
    assert_eq!(query.get("state"), Some(state));
    let code = query.get("code").unwrap();
    assert_eq!(code.len(), 36, "a UUID: {code}");

    let reply = exchange(&server, code);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    let tokens = ok_json(&reply);
    assert_eq!(tokens["expires_in"], 3600);
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].is_string());
    let access = jwt_payload(str_field(&tokens, "access_token")).unwrap();
    assert_eq!(
        access["scope"],
        "openid email aws.cognito.signin.user.admin"
    );
    assert_eq!(access["client_id"], PUBLIC);
    assert_eq!(access["username"], "alice");
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["exp"], server.now() + TOKEN_LIFETIME_SECS);
    let id = jwt_payload(str_field(&tokens, "id_token")).unwrap();
    assert_eq!(id["aud"], PUBLIC);
    assert_eq!(id["token_use"], "id");
    assert_eq!(id["email"], "alice@example.com");
    assert_eq!(id["email_verified"], true);
    assert_eq!(id["sub"], access["sub"]);
    assert!(id.get("nonce").is_none());
}

#[test]
fn a_secret_client_authenticates_with_basic() {
    let server = server();
    let code = code(&server, CONFIDENTIAL, ALL_SCOPES);
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", CONFIDENTIAL),
        ("code", code.as_str()),
        ("redirect_uri", CALLBACK),
        ("code_verifier", VERIFIER),
    ];
    // No Basic, a wrong secret, an unknown client: 401 invalid_client, and the code survives.
    assert_oauth_error(&token(&server, None, &form), 401, "invalid_client");
    assert_oauth_error(
        &token(&server, Some((CONFIDENTIAL, "wrong")), &form),
        401,
        "invalid_client",
    );
    assert_oauth_error(
        &token(
            &server,
            Some(("nosuchclient", "x")),
            &[form[0], form[2], form[3], form[4]],
        ),
        401,
        "invalid_client",
    );
    // A body client_id that is not Basic's.
    assert_oauth_error(
        &token(&server, Some((MACHINE, MACHINE_SECRET)), &form),
        401,
        "invalid_client",
    );
    let tokens = ok_json(&token(
        &server,
        Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)),
        &form,
    ));
    let access = jwt_payload(str_field(&tokens, "access_token")).unwrap();
    assert_eq!(access["scope"], ALL_SCOPES);
    // A public client sending no client_id at all.
    assert_oauth_error(
        &token(
            &server,
            None,
            &[("grant_type", "refresh_token"), ("refresh_token", "x")],
        ),
        400,
        "invalid_request",
    );
}

#[test]
fn wrong_verifier_reused_code_wrong_redirect_and_expired_code_are_invalid_grant() {
    let server = server();
    // A wrong verifier; the code is used up, so the right one fails after it.
    let first = code(&server, PUBLIC, "openid");
    let wrong = "x".repeat(43);
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", &first),
            ("redirect_uri", CALLBACK),
            ("code_verifier", &wrong),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_grant");
    assert_oauth_error(&exchange(&server, &first), 400, "invalid_grant");

    // A reused code.
    let second = code(&server, PUBLIC, "openid");
    ok_json(&exchange(&server, &second));
    assert_oauth_error(&exchange(&server, &second), 400, "invalid_grant");

    // Another redirect_uri than the authorize request's.
    let third = code(&server, PUBLIC, "openid");
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", &third),
            ("redirect_uri", "http://127.0.0.1:8765/other"),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_grant");

    // No verifier for a code with a challenge.
    let fourth = code(&server, PUBLIC, "openid");
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", &fourth),
            ("redirect_uri", CALLBACK),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_grant");

    // A verifier that is not 43-128 unreserved characters.
    let fifth = code(&server, PUBLIC, "openid");
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", &fifth),
            ("redirect_uri", CALLBACK),
            ("code_verifier", "short"),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_request");

    // Another client's code.
    let sixth = code(&server, PUBLIC, "openid");
    let reply = token(
        &server,
        Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)),
        &[
            ("grant_type", "authorization_code"),
            ("code", &sixth),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_grant");

    // An expired code: five minutes and it is gone; just before, it works.
    let seventh = code(&server, PUBLIC, "openid");
    let eighth = code(&server, PUBLIC, "openid");
    server.advance(AUTHORIZATION_CODE_LIFETIME_SECS - 1);
    ok_json(&exchange(&server, &seventh));
    server.advance(1);
    assert_oauth_error(&exchange(&server, &eighth), 400, "invalid_grant");

    // Garbage.
    assert_oauth_error(&exchange(&server, "not-a-code"), 400, "invalid_grant");
}

#[test]
fn an_unknown_client_or_unregistered_redirect_gets_a_page_not_a_redirect() {
    let server = server();
    for params in [
        with(params(PUBLIC), "client_id", "nosuchclient"),
        with(
            params(PUBLIC),
            "redirect_uri",
            "http://evil.example/callback",
        ),
        with(
            params(PUBLIC),
            "redirect_uri",
            "http://127.0.0.1:8765/callback/",
        ),
        without(params(PUBLIC), "redirect_uri"),
        without(params(PUBLIC), "client_id"),
        // A client without hosted-UI settings has no callback URLs.
        with(params(PUBLIC), "client_id", PLAIN),
        // A repeated redirect_uri.
        [params(PUBLIC), vec![("redirect_uri", CALLBACK.to_owned())]].concat(),
    ] {
        let reply = loopback_http::get(&authorize_url(&server, &params)).unwrap();
        assert_error_page(&reply);
        // The same at /login, with the right password.
        let reply = loopback_http::post_form(
            &url(&server.url(), "login", &params),
            &[],
            &[("username", "alice"), ("password", PASSWORD)],
        )
        .unwrap();
        assert_error_page(&reply);
    }
}

#[test]
fn other_authorize_errors_redirect_with_the_state() {
    let server = server();
    for (params, error) in [
        (
            with(params(PUBLIC), "response_type", "token"),
            "unsupported_response_type",
        ),
        (without(params(PUBLIC), "response_type"), "invalid_request"),
        (
            with(
                params(PUBLIC),
                "scope",
                "openid https://api.example.com/admin",
            ),
            "invalid_scope",
        ),
        (
            with(params(PUBLIC), "scope", "openid bogus"),
            "invalid_scope",
        ),
        (
            with(params(PUBLIC), "code_challenge_method", "plain"),
            "invalid_request",
        ),
        (
            without(params(PUBLIC), "code_challenge_method"),
            "invalid_request",
        ),
        (without(params(PUBLIC), "code_challenge"), "invalid_request"),
        (
            with(params(PUBLIC), "code_challenge", "too-short"),
            "invalid_request",
        ),
        (
            with(params(PUBLIC), "identity_provider", "Google"),
            "invalid_request",
        ),
        (
            with(params(PUBLIC), "idp_identifier", "example.com"),
            "invalid_request",
        ),
        (
            [params(PUBLIC), vec![("scope", "openid".to_owned())]].concat(),
            "invalid_request",
        ),
    ] {
        let reply = loopback_http::get(&authorize_url(&server, &params)).unwrap();
        assert_error_redirect(&reply, error);
        // The scripted browser lands on the error redirect, as a browser would.
        let location =
            browser::sign_in_through_hosted_ui(&authorize_url(&server, &params), "alice", PASSWORD)
                .unwrap();
        assert_eq!(redirect_query(&location).get("error"), Some(error));
    }
    // Without PKCE when the client does not require it: a code, exchanged without a verifier.
    let mut settings = OAuthSettings::hosted_ui(&[CALLBACK], &[]);
    settings.require_pkce = false;
    assert!(
        server
            .pool()
            .lock()
            .unwrap()
            .set_client_oauth(PUBLIC, settings)
    );
    let query = sign_in(
        &server,
        &without(
            without(params(PUBLIC), "code_challenge"),
            "code_challenge_method",
        ),
    );
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", query.get("code").unwrap()),
            ("redirect_uri", CALLBACK),
        ],
    );
    ok_json(&reply);
}

#[test]
fn a_wrong_password_shows_the_form_again() {
    let server = server();
    let login = url(&server.url(), "login", &params(PUBLIC));
    for (username, password) in [("alice", "wrong"), ("nobody", PASSWORD), ("alice", "")] {
        let reply = loopback_http::post_form(
            &login,
            &[],
            &[("username", username), ("password", password)],
        )
        .unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.header("location").is_none());
        let page = reply.text();
        assert!(page.contains("Incorrect username or password."), "{page}");
        assert!(
            page.contains("<form method=\"post\" action=\"/login?"),
            "{page}"
        );
    }
    let refused = browser::sign_in_through_hosted_ui(
        &authorize_url(&server, &params(PUBLIC)),
        "alice",
        "nope",
    );
    assert!(
        matches!(&refused, Err(BrowserError::SignInRefused(message)) if message == "Incorrect username or password."),
        "{refused:?}"
    );
    // The login form must be a form.
    let reply = loopback_http::send(
        &login,
        "POST",
        &[("Content-Type", "application/json")],
        br#"{"username":"alice"}"#,
    )
    .unwrap();
    assert_error_page(&reply);
}

#[test]
fn queries_and_forms_are_percent_decoded() {
    let server = server();
    // `+` is a space in the query: two scopes.
    let raw = format!(
        "{}oauth2/authorize?response_type=code&client_id={PUBLIC}&redirect_uri={}&scope=openid+email&state=s%2Bt&code_challenge={CHALLENGE}&code_challenge_method=S256",
        server.url(),
        urlencoded::encode(CALLBACK)
    );
    let location = browser::sign_in_through_hosted_ui(&raw, "alice", PASSWORD).unwrap();
    let query = redirect_query(&location);
    assert_eq!(query.get("state"), Some("s+t"));
    assert!(location.ends_with("&state=s%2Bt"), "{location}");
    let tokens = ok_json(&exchange(&server, query.get("code").unwrap()));
    let access = jwt_payload(str_field(&tokens, "access_token")).unwrap();
    assert_eq!(access["scope"], "openid email");
    // The username and password are form-decoded too.
    let login = url(&server.url(), "login", &params(PUBLIC));
    let reply = loopback_http::send(
        &login,
        "POST",
        &[(
            "Content-Type",
            "application/x-www-form-urlencoded; charset=UTF-8",
        )],
        b"username=%61lice&password=Passw0rd%21",
    )
    .unwrap();
    assert_eq!(reply.status, 302, "{}", reply.text());
    // Bad escapes.
    let bad = format!("{}oauth2/authorize?client_id=%zz", server.url());
    assert_error_page(&loopback_http::get(&bad).unwrap());
    let reply = loopback_http::send(
        &format!("{}oauth2/token", server.url()),
        "POST",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        b"grant_type=authorization_code&code=%4",
    )
    .unwrap();
    assert_oauth_error(&reply, 400, "invalid_request");
    // Not a form.
    let reply = loopback_http::send(
        &format!("{}oauth2/token", server.url()),
        "POST",
        &[("Content-Type", "application/json")],
        br#"{"grant_type":"client_credentials"}"#,
    )
    .unwrap();
    assert_oauth_error(&reply, 400, "invalid_request");
    // Repeated parameters, a missing or unknown grant type.
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_request");
    assert_oauth_error(
        &token(&server, None, &[("client_id", PUBLIC)]),
        400,
        "invalid_request",
    );
    assert_oauth_error(
        &token(
            &server,
            None,
            &[("grant_type", "password"), ("client_id", PUBLIC)],
        ),
        400,
        "unsupported_grant_type",
    );
}

#[test]
fn client_credentials_grants_resource_server_scopes() {
    let server = server();
    let machine = Some((MACHINE, MACHINE_SECRET));
    let reply = token(
        &server,
        machine,
        &[
            ("grant_type", "client_credentials"),
            ("scope", "https://api.example.com/read"),
        ],
    );
    let body = ok_json(&reply);
    let mut keys: Vec<&str> = body
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["access_token", "expires_in", "token_type"]);
    let access = jwt_payload(str_field(&body, "access_token")).unwrap();
    assert_eq!(access["sub"], MACHINE);
    assert_eq!(access["client_id"], MACHINE);
    assert_eq!(access["token_use"], "access");
    assert_eq!(access["scope"], "https://api.example.com/read");
    assert!(access.get("username").is_none());

    // No scope: every allowed resource-server scope.
    let body = ok_json(&token(
        &server,
        machine,
        &[("grant_type", "client_credentials")],
    ));
    let access = jwt_payload(str_field(&body, "access_token")).unwrap();
    assert_eq!(
        access["scope"],
        "https://api.example.com/read https://api.example.com/write"
    );

    // A scope the client may not have, an unknown one, a standard one.
    for scope in [
        "https://api.example.com/admin",
        "https://api.example.com/nope",
        "openid",
    ] {
        let reply = token(
            &server,
            machine,
            &[("grant_type", "client_credentials"), ("scope", scope)],
        );
        assert_oauth_error(&reply, 400, "invalid_scope");
    }
    // A public client, a hosted-UI client without the flow.
    let reply = token(
        &server,
        None,
        &[("grant_type", "client_credentials"), ("client_id", PUBLIC)],
    );
    assert_oauth_error(&reply, 400, "unauthorized_client");
    let reply = token(
        &server,
        Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)),
        &[("grant_type", "client_credentials")],
    );
    assert_oauth_error(&reply, 400, "unauthorized_client");
    // A wrong secret, no Basic at all.
    let reply = token(
        &server,
        Some((MACHINE, "wrong")),
        &[("grant_type", "client_credentials")],
    );
    assert_oauth_error(&reply, 401, "invalid_client");
    let reply = token(
        &server,
        None,
        &[("grant_type", "client_credentials"), ("client_id", MACHINE)],
    );
    assert_oauth_error(&reply, 401, "invalid_client");
    // A Basic header that does not decode.
    let reply = loopback_http::post_form(
        &format!("{}oauth2/token", server.url()),
        &[("Authorization", "Basic !!!")],
        &[("grant_type", "client_credentials")],
    )
    .unwrap();
    assert_oauth_error(&reply, 401, "invalid_client");

    // The token is no user's: the JSON API and userInfo refuse it.
    let machine_token = str_field(&body, "access_token");
    let reply = json_api(&server, "GetUser", &json!({ "AccessToken": machine_token }));
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json().unwrap()["__type"], "NotAuthorizedException");
    assert_eq!(user_info(&server, machine_token).status, 401);
}

#[test]
fn the_refresh_token_grant_takes_code_and_json_api_refresh_tokens() {
    let server = server();
    let code = code(
        &server,
        PUBLIC,
        "openid email aws.cognito.signin.user.admin",
    );
    let tokens = ok_json(&exchange(&server, &code));
    let refresh = str_field(&tokens, "refresh_token");
    server.advance(600);
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC),
            ("refresh_token", refresh),
        ],
    );
    let renewed = ok_json(&reply);
    assert!(renewed.get("refresh_token").is_none(), "{renewed}");
    assert_eq!(renewed["expires_in"], 3600);
    let access = jwt_payload(str_field(&renewed, "access_token")).unwrap();
    let first = jwt_payload(str_field(&tokens, "access_token")).unwrap();
    assert_eq!(access["scope"], first["scope"]);
    assert_eq!(access["origin_jti"], first["origin_jti"]);
    assert_eq!(access["auth_time"], first["auth_time"]);
    assert_eq!(access["iat"], server.now());
    assert!(renewed["id_token"].is_string());

    // A refresh token of the JSON API.
    let reply = json_api(
        &server,
        "InitiateAuth",
        &json!({
            "AuthFlow": "USER_PASSWORD_AUTH",
            "ClientId": PUBLIC,
            "AuthParameters": { "USERNAME": "alice", "PASSWORD": PASSWORD },
        }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result = reply.json().unwrap()["AuthenticationResult"].clone();
    let json_refresh = str_field(&result, "RefreshToken");
    let renewed = ok_json(&token(
        &server,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC),
            ("refresh_token", json_refresh),
        ],
    ));
    let access = jwt_payload(str_field(&renewed, "access_token")).unwrap();
    assert_eq!(access["scope"], "aws.cognito.signin.user.admin");
    assert!(renewed["id_token"].is_string());

    // Garbage, and another client's refresh token.
    for (client, refresh) in [(PUBLIC, "garbage"), (PLAIN, refresh)] {
        let reply = token(
            &server,
            None,
            &[
                ("grant_type", "refresh_token"),
                ("client_id", client),
                ("refresh_token", refresh),
            ],
        );
        assert_oauth_error(&reply, 400, "invalid_grant");
    }
    // The code grant's refresh token works with the JSON API too.
    let reply = json_api(
        &server,
        "InitiateAuth",
        &json!({
            "AuthFlow": "REFRESH_TOKEN_AUTH",
            "ClientId": PUBLIC,
            "AuthParameters": { "REFRESH_TOKEN": refresh },
        }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn revoking_ends_the_refresh_token_and_its_access_tokens() {
    let server = server();
    let code = code(
        &server,
        PUBLIC,
        "openid email aws.cognito.signin.user.admin",
    );
    let tokens = ok_json(&exchange(&server, &code));
    let refresh = str_field(&tokens, "refresh_token");
    let access = str_field(&tokens, "access_token");
    assert_eq!(user_info(&server, access).status, 200);

    // An access token is not a refresh token; the token is required; a secret client needs Basic.
    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", access), ("client_id", PUBLIC)],
    );
    assert_oauth_error(&reply, 400, "unsupported_token_type");
    let reply = post(&server, "oauth2/revoke", None, &[("client_id", PUBLIC)]);
    assert_oauth_error(&reply, 400, "invalid_request");
    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", refresh), ("client_id", CONFIDENTIAL)],
    );
    assert_oauth_error(&reply, 401, "invalid_client");
    // Another client's token.
    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", refresh), ("client_id", PLAIN)],
    );
    assert_oauth_error(&reply, 400, "invalid_request");

    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", refresh), ("client_id", PUBLIC)],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(reply.body.is_empty());
    let reply = token(
        &server,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC),
            ("refresh_token", refresh),
        ],
    );
    assert_oauth_error(&reply, 400, "invalid_grant");
    let reply = user_info(&server, access);
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json().unwrap()["error_description"],
        "Access token has been revoked"
    );
    let reply = json_api(&server, "GetUser", &json!({ "AccessToken": access }));
    assert_eq!(
        reply.json().unwrap()["message"],
        "Access Token has been revoked"
    );
    // Again, and an unknown token: success (RFC 7009).
    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", refresh), ("client_id", PUBLIC)],
    );
    assert_eq!(reply.status, 200);
    let reply = post(
        &server,
        "oauth2/revoke",
        None,
        &[("token", "unknown"), ("client_id", PUBLIC)],
    );
    assert_eq!(reply.status, 200);

    // A secret client revokes with Basic.
    let code = self::code(&server, CONFIDENTIAL, "openid");
    let tokens = ok_json(&token(
        &server,
        Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)),
        &[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CALLBACK),
            ("code_verifier", VERIFIER),
        ],
    ));
    let reply = post(
        &server,
        "oauth2/revoke",
        Some((CONFIDENTIAL, CONFIDENTIAL_SECRET)),
        &[("token", str_field(&tokens, "refresh_token"))],
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn user_info_returns_the_users_attributes() {
    let server = server();
    let code = code(&server, PUBLIC, "openid email");
    let tokens = ok_json(&exchange(&server, &code));
    let access = str_field(&tokens, "access_token");
    let info = ok_json(&user_info(&server, access));
    let sub = jwt_payload(access).unwrap()["sub"].clone();
    assert_eq!(info["sub"], sub);
    assert_eq!(info["username"], "alice");
    assert_eq!(info["email"], "alice@example.com");
    assert_eq!(info["email_verified"], "true");
    assert_eq!(info["phone_number"], "+15555550100");
    assert_eq!(info["phone_number_verified"], "false");
    // POST works too.
    let reply = loopback_http::send(
        &format!("{}oauth2/userInfo", server.url()),
        "POST",
        &[("Authorization", &format!("Bearer {access}"))],
        b"",
    )
    .unwrap();
    assert_eq!(ok_json(&reply), info);

    // Without openid.
    let code = self::code(&server, PUBLIC, "email aws.cognito.signin.user.admin");
    let tokens = ok_json(&exchange(&server, &code));
    assert!(tokens.get("id_token").is_none(), "{tokens}");
    let reply = user_info(&server, str_field(&tokens, "access_token"));
    assert_eq!(reply.status, 401);
    assert_eq!(
        reply.json().unwrap()["error_description"],
        "Access token does not contain openid scope"
    );

    // Garbage, none, then expired.
    for reply in [
        user_info(&server, "garbage"),
        loopback_http::get(&format!("{}oauth2/userInfo", server.url())).unwrap(),
    ] {
        assert_eq!(reply.status, 401, "{}", reply.text());
        assert!(
            reply
                .header("www-authenticate")
                .unwrap()
                .starts_with("Bearer error=")
        );
    }
    server.advance(TOKEN_LIFETIME_SECS);
    let reply = user_info(&server, access);
    assert_eq!(reply.status, 401);
    assert!(
        reply
            .header("www-authenticate")
            .unwrap()
            .starts_with("Bearer error=\"invalid_token\""),
        "{reply:?}"
    );
    let body = reply.json().unwrap();
    assert_eq!(body["error"], "invalid_token");
    assert_eq!(body["error_description"], "Access token is expired");
}

#[test]
fn logout_redirects_to_a_registered_sign_out_url() {
    let server = server();
    let logout = |params: &[(&'static str, String)]| {
        loopback_http::get(&url(&server.url(), "logout", params)).unwrap()
    };
    let reply = logout(&[
        ("client_id", PUBLIC.to_owned()),
        ("logout_uri", SIGNED_OUT.to_owned()),
    ]);
    assert_eq!(reply.status, 302, "{}", reply.text());
    assert_eq!(reply.header("location"), Some(SIGNED_OUT));
    for params in [
        vec![
            ("client_id", PUBLIC.to_owned()),
            ("logout_uri", "http://evil.example/".to_owned()),
        ],
        vec![
            ("client_id", CONFIDENTIAL.to_owned()),
            ("logout_uri", SIGNED_OUT.to_owned()),
        ],
        vec![
            ("client_id", "nosuchclient".to_owned()),
            ("logout_uri", SIGNED_OUT.to_owned()),
        ],
        vec![("logout_uri", SIGNED_OUT.to_owned())],
        vec![("client_id", PUBLIC.to_owned())],
    ] {
        assert_error_page(&logout(&params));
    }
    // Sign out and in again: to the authorize endpoint with the same parameters.
    let again = url(&server.url(), "logout", &params(PUBLIC));
    let reply = loopback_http::get(&again).unwrap();
    assert_eq!(reply.status, 302);
    let location = reply.header("location").unwrap();
    assert!(
        location.starts_with(&format!(
            "{}oauth2/authorize?response_type=code&",
            server.url()
        )),
        "{location}"
    );
    let location = browser::sign_in_through_hosted_ui(&again, "alice", PASSWORD).unwrap();
    assert!(redirect_query(&location).get("code").is_some());
}

#[test]
fn get_user_needs_the_admin_scope() {
    let server = server();
    let with_admin = ok_json(&exchange(
        &server,
        &code(&server, PUBLIC, "openid aws.cognito.signin.user.admin"),
    ));
    let reply = json_api(
        &server,
        "GetUser",
        &json!({ "AccessToken": str_field(&with_admin, "access_token") }),
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert_eq!(reply.json().unwrap()["Username"], "alice");

    let without_admin = ok_json(&exchange(&server, &code(&server, PUBLIC, "openid email")));
    let reply = json_api(
        &server,
        "GetUser",
        &json!({ "AccessToken": str_field(&without_admin, "access_token") }),
    );
    assert_eq!(reply.status, 400);
    let body = reply.json().unwrap();
    assert_eq!(body["__type"], "NotAuthorizedException");
    assert_eq!(
        body["message"],
        "Access Token does not have required scopes"
    );
}

#[test]
fn the_nonce_goes_into_the_first_id_token() {
    let server = server();
    let query = sign_in(&server, &with(params(PUBLIC), "nonce", "n-0S6_WzA2Mj"));
    let tokens = ok_json(&exchange(&server, query.get("code").unwrap()));
    let id = jwt_payload(str_field(&tokens, "id_token")).unwrap();
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    let renewed = ok_json(&token(
        &server,
        None,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", PUBLIC),
            ("refresh_token", str_field(&tokens, "refresh_token")),
        ],
    ));
    let id = jwt_payload(str_field(&renewed, "id_token")).unwrap();
    assert!(id.get("nonce").is_none(), "{id}");
}
