//! The `cognito` binary against a canned pool domain (no emulator, no AWS): `login
//! --hosted-ui` through a scripted browser (`$BROWSER`) and the loopback listener (`--port 0`),
//! then `refresh` and `sign-out --hosted-ui` of that session; `m2m-token` and its cache; OAuth
//! errors on stderr with exit status 1.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cognito_tests::fixtures::browser;
use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::{unix_now, unsigned_jwt};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{OAuthSettings, UserPool, jwt_payload};
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_CliOAuth";
const CLIENT_ID: &str = "clioauthclient000000000000";
const SECRET: &str = "cli-oauth-secret";
const JSON: (&str, &str) = ("Content-Type", "application/json");
const EMULATED_POOL: &str = "us-east-1_HostedUi";

/// A private directory with a session file, and the binary run with the global options.
struct Env {
    dir: tempfile::TempDir,
    domain: String,
    endpoint: String,
    pool_id: &'static str,
    client_id: &'static str,
    secret: Option<&'static str>,
}

impl Env {
    /// A canned pool domain (no JSON API behind it), the confidential client.
    fn new(server: &CannedServer) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            domain: server.url().trim_end_matches('/').to_owned(),
            endpoint: "http://127.0.0.1:9/".to_owned(),
            pool_id: POOL_ID,
            client_id: CLIENT_ID,
            secret: Some(SECRET),
        }
    }

    /// The emulator as both the JSON API and the pool domain, with `client_id`.
    fn emulator(
        server: &EmulatorServer,
        client_id: &'static str,
        secret: Option<&'static str>,
    ) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            domain: server.url().trim_end_matches('/').to_owned(),
            endpoint: server.url(),
            pool_id: EMULATED_POOL,
            client_id,
            secret,
        }
    }

    fn session_file(&self) -> PathBuf {
        self.dir.path().join("session.json")
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito"));
        for (name, _) in std::env::vars() {
            if name.starts_with("COGNITO_") || name == "BROWSER" {
                cmd.env_remove(name);
            }
        }
        cmd.stdin(Stdio::null())
            .args(["--endpoint", &self.endpoint])
            .args(["--pool-id", self.pool_id, "--client-id", self.client_id]);
        if let Some(secret) = self.secret {
            cmd.args(["--client-secret", secret]);
        }
        cmd.arg("--session-file")
            .arg(self.session_file())
            .args(["--output", "json"])
            .args(args);
        cmd
    }

    fn json(&self, cmd: &mut Command) -> Value {
        let out = cmd.output().unwrap();
        assert_success(&out);
        serde_json::from_slice(&out.stdout).unwrap()
    }
}

fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The value of `name` in `url`'s query, percent-decoded (enough for these URLs).
fn query_value(url: &str, name: &str) -> String {
    let query = url.split_once('?').unwrap().1;
    let raw = query
        .split('&')
        .find_map(|pair| pair.strip_prefix(&format!("{name}=")))
        .unwrap();
    raw.replace("%3A", ":").replace("%2F", "/")
}

/// `GET target` on 127.0.0.1:`port`; the reply.
fn get(port: u16, target: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

/// A "browser" that writes the URL it is asked to open into `out`.
#[cfg(unix)]
fn scripted_browser(dir: &Path, out: &Path) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let script = dir.join("browser.sh");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", out.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    script
}

#[cfg(unix)]
#[test]
fn login_through_the_hosted_ui_then_refresh_and_sign_out() {
    let nonce = Arc::new(Mutex::new(String::new()));
    let nonce_for_server = Arc::clone(&nonce);
    let server = CannedServer::start(move |n, out| {
        let now = unix_now();
        let reply = json!({
            "id_token": unsigned_jwt(&json!({
                "sub": "sub-1", "token_use": "id", "cognito:username": "alice",
                "nonce": *nonce_for_server.lock().unwrap(), "iat": now, "exp": now + 3600,
            })),
            "access_token": unsigned_jwt(&json!({
                "sub": "sub-1", "token_use": "access", "username": "alice",
                "iat": now, "exp": now + 3600, "n": n,
            })),
            "refresh_token": "refresh.token.1",
            "expires_in": 3600, "token_type": "Bearer",
        });
        out.write_all(&canned::response(
            200,
            &[JSON],
            reply.to_string().as_bytes(),
        ))
    })
    .unwrap();
    let env = Env::new(&server);
    let opened = env.dir.path().join("opened-url");
    let browser = scripted_browser(env.dir.path(), &opened);
    let login = env
        .cmd(&[
            "--domain",
            &env.domain,
            "login",
            "--hosted-ui",
            "--port",
            "0",
            "--timeout",
            "60",
            "--identity-provider",
            "COGNITO",
        ])
        .env("BROWSER", &browser)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();

    // The browser was sent to the authorize URL.
    let deadline = Instant::now() + Duration::from_secs(30);
    let url = loop {
        if let Ok(url) = std::fs::read_to_string(&opened)
            && !url.is_empty()
        {
            break url;
        }
        assert!(Instant::now() < deadline, "the browser was never opened");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(url.starts_with(&format!("{}/oauth2/authorize?", env.domain)));
    assert_eq!(
        query_value(&url, "scope"),
        "openid%20email%20profile%20aws.cognito.signin.user.admin"
    );
    assert_eq!(query_value(&url, "identity_provider"), "COGNITO");
    let redirect_uri = query_value(&url, "redirect_uri");
    let port: u16 = redirect_uri
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix("/callback"))
        .unwrap()
        .parse()
        .unwrap();
    *nonce.lock().unwrap() = query_value(&url, "nonce");
    let state = query_value(&url, "state");

    // Other requests are answered and the wait goes on.
    assert!(get(port, "/favicon.ico").starts_with("HTTP/1.1 404"));
    let foreign = get(port, "/callback?code=stolen&state=guess");
    assert!(foreign.starts_with("HTTP/1.1 400"), "{foreign}");
    assert_eq!(server.hits(), 0);
    let done = get(port, &format!("/callback?code=the-code&state={state}"));
    assert!(done.starts_with("HTTP/1.1 200"), "{done}");
    assert!(done.contains("signed in"), "{done}");

    let out = login.wait_with_output().unwrap();
    assert_success(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&url), "the URL is printed: {stderr}");
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(printed["AuthenticationResult"]["AccessToken"].is_string());
    let session: Value =
        serde_json::from_slice(&std::fs::read(env.session_file()).unwrap()).unwrap();
    assert_eq!(session["username"], "alice");
    assert_eq!(session["origin"]["kind"], "hosted_ui");
    assert_eq!(session["origin"]["domain"], env.domain.as_str());
    assert_eq!(server.hits(), 1);

    // `refresh` goes to the domain the session came from, without --domain.
    env.json(&mut env.cmd(&["refresh"]));
    assert_eq!(server.hits(), 2);

    // `sign-out --hosted-ui` revokes at the domain and prints the logout URL.
    let out = env.json(&mut env.cmd(&[
        "sign-out",
        "--hosted-ui",
        "--logout-uri",
        "https://app.example.com/bye",
    ]));
    assert_eq!(
        out["LogoutUrl"],
        format!(
            "{}/logout?client_id={CLIENT_ID}&logout_uri=https%3A%2F%2Fapp.example.com%2Fbye",
            env.domain
        )
    );
    assert_eq!(server.hits(), 3);
    assert!(!env.session_file().exists());
}

#[test]
fn a_refused_hosted_ui_sign_in_and_a_missing_domain() {
    let server = CannedServer::fixed(canned::response(200, &[JSON], b"{}")).unwrap();
    let env = Env::new(&server);
    let out = env
        .cmd(&["login", "--hosted-ui", "--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--domain"));
    let out = env.cmd(&["m2m-token", "--scope", "a/b"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));

    // Nobody comes back: the wait ends.
    let out = env
        .cmd(&[
            "--domain",
            &env.domain,
            "login",
            "--hosted-ui",
            "--port",
            "0",
            "--timeout",
            "1",
        ])
        .env("BROWSER", "true")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did not come back"));
}

#[test]
fn m2m_tokens_are_cached_until_they_expire() {
    let server = CannedServer::fixed(canned::response(
        200,
        &[JSON],
        br#"{"access_token":"m2m.access.token","expires_in":3600,"token_type":"Bearer"}"#,
    ))
    .unwrap();
    let env = Env::new(&server);
    let args = [
        "--domain",
        env.domain.as_str(),
        "m2m-token",
        "--scope",
        "api/read",
    ];
    let first = env.json(&mut env.cmd(&args));
    assert_eq!(first["access_token"], "m2m.access.token");
    assert_eq!(first["token_type"], "Bearer");
    assert!(first["expires_in"].as_u64().unwrap() > 3500);
    assert_eq!(server.hits(), 1);
    let second = env.json(&mut env.cmd(&args));
    assert_eq!(second["access_token"], "m2m.access.token");
    assert_eq!(server.hits(), 1, "served from the cache");
    let cache = env.dir.path().join("session.client-tokens.json");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    env.json(&mut env.cmd(&["--domain", &env.domain, "m2m-token", "--scope", "api/write"]));
    assert_eq!(server.hits(), 2, "another scope set");
}

#[test]
fn oauth_errors_exit_1_with_the_error_and_its_description() {
    let server = CannedServer::fixed(canned::response(
        400,
        &[JSON],
        br#"{"error":"invalid_scope","error_description":"Invalid scope requested"}"#,
    ))
    .unwrap();
    let env = Env::new(&server);
    let out = env
        .cmd(&["--domain", &env.domain, "m2m-token", "--scope", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error: invalid_scope: Invalid scope requested"
    );
}

/// A free loopback port (the emulator's app client must list the callback URL before the CLI
/// listens on it).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until the scripted browser wrote the URL it was asked to open.
fn opened_url(opened: &Path) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Ok(url) = std::fs::read_to_string(opened)
            && !url.is_empty()
        {
            return url;
        }
        assert!(Instant::now() < deadline, "the browser was never opened");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An emulator whose app client `hostedcli` uses the hosted UI with a callback on a free port,
/// and `cognito login --hosted-ui` (with `extra` arguments) started against it, its browser a
/// script that writes the URL to `opened-url` in the test's directory. Returns the server, the
/// environment, the callback URL and the running CLI.
#[cfg(unix)]
fn hosted_login_against_the_emulator(
    seed: u64,
    extra: &[&str],
) -> (EmulatorServer, Env, String, std::process::Child) {
    let port = free_port();
    let callback = format!("http://127.0.0.1:{port}/callback");
    let mut pool = UserPool::new(EMULATED_POOL, seed);
    pool.add_client("hostedcli", None);
    assert!(pool.enable_hosted_ui("hostedcli", &[&callback], &["http://127.0.0.1:1/bye"]));
    pool.add_user("alice", "Passw0rd!");
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    let env = Env::emulator(&server, "hostedcli", None);
    let opened = env.dir.path().join("opened-url");
    let port = port.to_string();
    let mut args = vec![
        "--domain",
        env.domain.as_str(),
        "login",
        "--hosted-ui",
        "--port",
        &port,
    ];
    args.extend_from_slice(extra);
    let login = env
        .cmd(&args)
        .env("BROWSER", scripted_browser(env.dir.path(), &opened))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    (server, env, callback, login)
}

/// The whole hosted-UI sign-in against the emulator: the CLI opens the browser, the scripted
/// browser signs in through the emulator's login form (the pool's real password check) and
/// follows the redirect to the CLI's listener; the CLI trades the code (PKCE) and stores the
/// session, with which `get-user` (JSON API), `refresh` (at the domain) and `sign-out` work.
#[cfg(unix)]
#[test]
fn login_through_the_emulator_hosted_ui_then_use_the_session() {
    let (_server, env, callback, login) = hosted_login_against_the_emulator(21, &[]);
    let url = opened_url(&env.dir.path().join("opened-url"));
    let location = browser::sign_in_and_deliver(&url, "alice", "Passw0rd!").unwrap();
    assert!(location.starts_with(&callback), "{location}");
    let out = login.wait_with_output().unwrap();
    assert_success(&out);

    let user = env.json(&mut env.cmd(&["get-user"]));
    assert_eq!(user["Username"], "alice");
    let before = std::fs::read_to_string(env.session_file()).unwrap();
    env.json(&mut env.cmd(&["refresh"]));
    assert_ne!(before, std::fs::read_to_string(env.session_file()).unwrap());
    assert_eq!(env.json(&mut env.cmd(&["get-user"]))["Username"], "alice");
    env.json(&mut env.cmd(&["sign-out"]));
    assert!(!env.session_file().exists());
}

/// A wrong password in the emulator's form: no redirect, and the CLI times out without a
/// session.
#[cfg(unix)]
#[test]
fn a_wrong_password_at_the_emulator_hosted_ui_gives_no_session() {
    let (_server, env, _, login) = hosted_login_against_the_emulator(22, &["--timeout", "2"]);
    let url = opened_url(&env.dir.path().join("opened-url"));
    assert!(matches!(
        browser::sign_in_through_hosted_ui(&url, "alice", "wrong"),
        Err(browser::BrowserError::SignInRefused(_))
    ));
    let out = login.wait_with_output().unwrap();
    assert!(!out.status.success());
    assert!(!env.session_file().exists());
}

/// `m2m-token` against the emulator: a token for an allowed resource-server scope, the same
/// token again from the cache (the emulator mints a new one per request), and `invalid_scope`
/// for a scope the client may not have.
#[test]
fn m2m_tokens_from_the_emulator() {
    let mut pool = UserPool::new(EMULATED_POOL, 23);
    pool.add_client("m2mcli", Some("m2m-cli-secret"));
    pool.add_resource_server("sensors", &["read", "write"]);
    assert!(pool.set_client_oauth(
        "m2mcli",
        OAuthSettings::client_credentials(&["sensors/read"])
    ));
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    let env = Env::emulator(&server, "m2mcli", Some("m2m-cli-secret"));
    let args = [
        "--domain",
        env.domain.as_str(),
        "m2m-token",
        "--scope",
        "sensors/read",
    ];
    let first = env.json(&mut env.cmd(&args));
    let claims = jwt_payload(first["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(claims["scope"], "sensors/read");
    assert_eq!(claims["client_id"], "m2mcli");
    let second = env.json(&mut env.cmd(&args));
    assert_eq!(
        first["access_token"], second["access_token"],
        "served from the cache"
    );
    let out = env
        .cmd(&[
            "--domain",
            env.domain.as_str(),
            "m2m-token",
            "--scope",
            "sensors/write",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid_scope"));
}
