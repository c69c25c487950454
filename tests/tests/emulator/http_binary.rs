//! The `cognito-emulator` binary starts on a free loopback port, prints its line and serves.

use std::io::{BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::time::Duration;

use crate::binary::{Running, listening_url};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Sends one request with `Connection: close` and returns the whole response text.
fn exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(request).unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    out
}

#[test]
fn the_binary_prints_its_url_and_serves() {
    let (mut running, lines) = Running::start(
        &[
            "--port",
            "0",
            "--pool-id",
            "us-east-1_TestPool1",
            "--client-id",
            "testclient",
            "--user",
            "alice:Sup3r:Secret!",
            "--device-tracking",
            "opt-in",
            "--seed",
            "7",
            "--fixed-clock",
        ],
        1,
        TIMEOUT,
    );
    let stderr = running.take_stderr();
    let url = listening_url(&lines[0]);
    assert!(url.starts_with("http://127.0.0.1:") && url.ends_with('/'));
    let addr: SocketAddr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap();

    let health = exchange(
        addr,
        b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(health.starts_with("HTTP/1.1 200 "), "{health}");
    assert!(health.ends_with(r#"{"ok":true}"#), "{health}");
    assert!(
        health.contains("Date: Thu, 01 Jan 2026 00:00:00 GMT"),
        "{health}"
    );

    // The user exists with its password (split at the first ':'): USER_PASSWORD_AUTH.
    let body = r#"{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"testclient","AuthParameters":{"USERNAME":"alice","PASSWORD":"Sup3r:Secret!"}}"#;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let reply = exchange(addr, request.as_bytes());
    assert!(reply.starts_with("HTTP/1.1 200 "), "{reply}");
    assert!(reply.contains("AccessToken"), "{reply}");

    drop(running);
    // The log named the operation and never the password.
    let mut log = String::new();
    BufReader::new(stderr).read_to_string(&mut log).unwrap();
    assert!(log.contains("InitiateAuth -> 200"), "{log}");
    assert!(!log.contains("Sup3r"), "{log}");
}

#[test]
fn help_documents_the_test_endpoints() {
    let output = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
        .arg("--help")
        .output()
        .unwrap();
    assert!(output.status.success());
    let help = String::from_utf8(output.stdout).unwrap();
    for needle in [
        "/_emulator/outbox",
        "/_emulator/health",
        "/_emulator/time",
        "--device-tracking",
        "--user <NAME:PASSWORD>",
        "listening on",
        "--tls-cert <PATH>",
        "--tls-key <PATH>",
        "--tls-test-ca-out <PATH>",
    ] {
        assert!(help.contains(needle), "{needle} missing from:\n{help}");
    }
}
