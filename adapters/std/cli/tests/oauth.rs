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

use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::unix_now;
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_CliOAuth";
const CLIENT_ID: &str = "clioauthclient000000000000";
const SECRET: &str = "cli-oauth-secret";
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn jwt(claims: &Value) -> String {
    format!(
        "{}.{}.c2ln",
        base64url(br#"{"alg":"RS256"}"#),
        base64url(claims.to_string().as_bytes())
    )
}

/// A private directory with a session file, and the binary run with the global options.
struct Env {
    dir: tempfile::TempDir,
    domain: String,
}

impl Env {
    fn new(server: &CannedServer) -> Self {
        Self {
            dir: tempfile::tempdir().unwrap(),
            domain: server.url().trim_end_matches('/').to_owned(),
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
            .args(["--endpoint", "http://127.0.0.1:9/"])
            .args(["--pool-id", POOL_ID, "--client-id", CLIENT_ID])
            .args(["--client-secret", SECRET])
            .arg("--session-file")
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
            "id_token": jwt(&json!({
                "sub": "sub-1", "token_use": "id", "cognito:username": "alice",
                "nonce": *nonce_for_server.lock().unwrap(), "iat": now, "exp": now + 3600,
            })),
            "access_token": jwt(&json!({
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
