//! The hosted UI from the command line: `scripted-browser` as `$BROWSER` delivers the redirect
//! to a CLI's loopback listener, and `cognito-emulator`'s hosted-UI flags.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use cognito_tests::fixtures::{browser, loopback_http};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::urlencoded::Params;

use crate::binary::{Running, listening_url};
use crate::oauth::{PASSWORD, PUBLIC, VERIFIER, params, pool_with, url};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A one-shot redirect listener, as a CLI opens: the request line of the first request it
/// gets comes out of the channel; it answers 200.
fn listener() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let callback = format!("http://{}/callback", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
        let _ = tx.send(line.trim_end().to_owned());
        let mut stream = reader.into_inner();
        let _ = stream.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\nConnection: close\r\n\r\nsigned in",
        );
    });
    (callback, rx)
}

/// The authorize parameters of [`params`] with `callback` as the redirect URI.
fn authorize_url(server: &EmulatorServer, callback: &str) -> String {
    let mut params = params(PUBLIC);
    for (name, value) in &mut params {
        if *name == "redirect_uri" {
            callback.clone_into(value);
        }
    }
    url(&server.url(), "oauth2/authorize", &params)
}

fn run_browser(url: &str, password: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_scripted-browser"))
        .arg(url)
        .env("SCRIPTED_BROWSER_USERNAME", "alice")
        .env("SCRIPTED_BROWSER_PASSWORD", password)
        .output()
        .unwrap()
}

#[test]
fn the_scripted_browser_delivers_the_code_to_the_listener() {
    let (callback, received) = listener();
    let server = EmulatorServer::start_with(
        pool_with(&callback),
        "127.0.0.1:0",
        EmulatorOptions::fixed_clock(),
    )
    .unwrap();
    let output = run_browser(&authorize_url(&server, &callback), PASSWORD);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let line = received.recv_timeout(TIMEOUT).unwrap();
    let query = line
        .strip_prefix("GET /callback?")
        .and_then(|rest| rest.strip_suffix(" HTTP/1.1"))
        .unwrap_or_else(|| panic!("{line}"));
    let query = Params::parse(query).unwrap();
    assert_eq!(query.get("state"), Some("st4te"));
    // The code the listener got is good for tokens.
    let reply = loopback_http::post_form(
        &format!("{}oauth2/token", server.url()),
        &[],
        &[
            ("grant_type", "authorization_code"),
            ("client_id", PUBLIC),
            ("code", query.get("code").unwrap()),
            ("redirect_uri", &callback),
            ("code_verifier", VERIFIER),
        ],
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
}

#[test]
fn the_scripted_browser_fails_loudly() {
    let (callback, received) = listener();
    let server = EmulatorServer::start_with(
        pool_with(&callback),
        "127.0.0.1:0",
        EmulatorOptions::fixed_clock(),
    )
    .unwrap();
    let output = run_browser(&authorize_url(&server, &callback), "wrong");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("Incorrect username or password."),
        "{stderr}"
    );
    assert!(received.try_recv().is_err());
    // No URL, no credentials, not loopback.
    let output = Command::new(env!("CARGO_BIN_EXE_scripted-browser"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = Command::new(env!("CARGO_BIN_EXE_scripted-browser"))
        .arg("http://127.0.0.1:1/")
        .env_remove("SCRIPTED_BROWSER_USERNAME")
        .env_remove("SCRIPTED_BROWSER_PASSWORD")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = run_browser("https://example.com/oauth2/authorize", PASSWORD);
    assert_eq!(output.status.code(), Some(1));
}

/// Starts `cognito-emulator` with `args`; returns it and its URL.
fn start_emulator(args: &[&str]) -> (Running, String) {
    let args = [
        &[
            "--port",
            "0",
            "--pool-id",
            "us-east-1_TestPool1",
            "--fixed-clock",
            "-q",
        ],
        args,
    ]
    .concat();
    let (running, lines) = Running::start(&args, 1, TIMEOUT);
    let url = listening_url(&lines[0]).to_owned();
    (running, url)
}

#[test]
fn the_emulator_binary_configures_the_hosted_ui() {
    let callback = "http://127.0.0.1:8765/callback";
    let (_running, base) = start_emulator(&[
        "--client-id",
        "webclient",
        "--client-secret",
        "websecret",
        "--user",
        "alice:Passw0rd!",
        "--callback-url",
        callback,
        "--logout-url",
        "http://127.0.0.1:8765/bye",
        "--oauth-flow",
        "code",
        "--oauth-flow",
        "client-credentials",
        "--resource-server",
        "https://api.example.com=read,write",
    ]);
    let mut params = params("webclient");
    for (name, value) in &mut params {
        if *name == "redirect_uri" {
            callback.clone_into(value);
        }
    }
    let authorize = url(&base, "oauth2/authorize", &params);
    let location = browser::sign_in_through_hosted_ui(&authorize, "alice", "Passw0rd!").unwrap();
    let query = Params::parse(location.split_once('?').unwrap().1).unwrap();
    let basic = loopback_http::basic_auth("webclient", "websecret");
    let token_url = format!("{base}oauth2/token");
    let reply = loopback_http::post_form(
        &token_url,
        &[("Authorization", &basic)],
        &[
            ("grant_type", "authorization_code"),
            ("code", query.get("code").unwrap()),
            ("redirect_uri", callback),
            ("code_verifier", VERIFIER),
        ],
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let reply = loopback_http::post_form(
        &token_url,
        &[("Authorization", &basic)],
        &[("grant_type", "client_credentials")],
    )
    .unwrap();
    assert_eq!(reply.status, 200, "{}", reply.text());
    let access = reply.json().unwrap()["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let claims = cognito_tests::pool::jwt_payload(&access).unwrap();
    assert_eq!(
        claims["scope"],
        "https://api.example.com/read https://api.example.com/write"
    );
    let reply = loopback_http::get(&format!(
        "{base}logout?client_id=webclient&logout_uri=http%3A%2F%2F127.0.0.1%3A8765%2Fbye"
    ))
    .unwrap();
    assert_eq!(reply.header("location"), Some("http://127.0.0.1:8765/bye"));
}

#[test]
fn help_documents_the_hosted_ui_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "--callback-url <URL>",
        "--logout-url <URL>",
        "--oauth-flow <FLOW>",
        "--oauth-scope <SCOPE>",
        "--resource-server <IDENTIFIER=SCOPES>",
        "--pkce-optional",
        "/oauth2/authorize",
        "/oauth2/token",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}
