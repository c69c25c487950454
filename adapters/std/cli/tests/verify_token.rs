//! `cognito verify-token`: tokens signed with a test key, the pool's key set served on loopback
//! (`--endpoint`): a valid token prints its claims as JSON (exit 0); a refused one exits 1 with
//! the reason on stderr; a key set that cannot be fetched exits 4.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::rs256::{TestSigner, jwks};
use cognito_tests::fixtures::unix_now;
use serde_json::{Value, json};

const POOL: &str = "eu-west-1_AbCdEf123";
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";

fn key() -> &'static TestSigner {
    static KEY: OnceLock<TestSigner> = OnceLock::new();
    KEY.get_or_init(|| TestSigner::generate(21, "key-1").unwrap())
}

fn server() -> &'static CannedServer {
    static SERVER: OnceLock<CannedServer> = OnceLock::new();
    SERVER.get_or_init(|| {
        let body = jwks(&[key()]);
        CannedServer::fixed(canned::response(
            200,
            &[("Content-Type", "application/json")],
            body.as_bytes(),
        ))
        .unwrap()
    })
}

fn access() -> Value {
    let now = unix_now();
    json!({
        "sub": "s-1", "iss": ISSUER, "client_id": CLIENT, "token_use": "access",
        "scope": "orders/read", "cognito:groups": ["ops"], "exp": now + 600, "iat": now - 5,
        "username": "alice"
    })
}

fn id() -> Value {
    let now = unix_now();
    json!({
        "sub": "s-1", "iss": ISSUER, "aud": CLIENT, "token_use": "id",
        "exp": now + 600, "iat": now - 5, "cognito:username": "alice"
    })
}

/// `cognito --endpoint <server> --pool-id POOL [args]`, no `COGNITO_*` from the environment.
fn cognito(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito"));
    for (name, _) in std::env::vars() {
        if name.starts_with("COGNITO_") {
            cmd.env_remove(name);
        }
    }
    cmd.args(["--endpoint", server().url(), "--pool-id", POOL])
        .args(args)
        .stdin(Stdio::null());
    cmd
}

fn run(args: &[&str]) -> Output {
    cognito(args).output().unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_valid_token_prints_its_claims() {
    // One set of claims: signed, then compared with what the command prints (a second
    // `access()` could fall in the next second).
    let expected = access();
    let token = key().sign(&expected);
    let out = run(&[
        "--client-id",
        CLIENT,
        "verify-token",
        "--token-use",
        "access",
        "--scope",
        "orders/read",
        "--group",
        "ops",
        &token,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let claims: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(claims, expected);
    // An ID token, read from stdin.
    let mut child = cognito(&[
        "--client-id",
        CLIENT,
        "verify-token",
        "--token-use",
        "id",
        "-",
    ])
    .stdin(Stdio::piped())
    .stdout(Stdio::piped())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap();
    writeln!(child.stdin.take().unwrap(), "{}", key().sign(&id())).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let claims: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(claims["cognito:username"], "alice");
}

#[test]
fn refused_tokens_exit_1_with_the_reason() {
    let now = unix_now();
    let cases: Vec<(Vec<String>, Value, &str)> = vec![
        (
            vec![],
            json!({"exp": now - 100}),
            "token refused: token expired",
        ),
        (
            vec!["--leeway".into(), "30".into()],
            json!({"exp": now - 100}),
            "token refused: token expired",
        ),
        (
            vec![],
            json!({"iat": now + 600}),
            "token refused: token issued in the future",
        ),
        (
            vec![],
            json!({"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Evil"}),
            "token refused: token from another issuer",
        ),
        (
            vec![],
            json!({"client_id": "other"}),
            "token refused: token for another app client",
        ),
        (
            vec!["--token-use".into(), "id".into()],
            json!({}),
            "token refused: wrong token use",
        ),
        (
            vec!["--scope".into(), "orders/write".into()],
            json!({}),
            "token refused: token lacks the required scope",
        ),
        (
            vec!["--group".into(), "admin".into()],
            json!({}),
            "token refused: user not in the required group",
        ),
    ];
    for (flags, changes, reason) in cases {
        let mut claims = access();
        for (name, value) in changes.as_object().unwrap() {
            claims[name] = value.clone();
        }
        let token = key().sign(&claims);
        let mut args = vec!["--client-id", CLIENT, "verify-token"];
        args.extend(flags.iter().map(String::as_str));
        args.push(&token);
        let out = run(&args);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains(reason), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    // Another key under the pool's kid; alg none; not a token.
    let forged = TestSigner::generate(22, "key-1").unwrap().sign(&access());
    let payload = forged.split('.').nth(1).unwrap().to_owned();
    let none = format!("eyJhbGciOiJub25lIiwia2lkIjoia2V5LTEifQ.{payload}.");
    for (token, reason) in [
        (forged.as_str(), "signature does not verify"),
        (none.as_str(), "token algorithm is not RS256"),
        ("garbage", "token is not header.payload.signature"),
    ] {
        let out = run(&["verify-token", token]);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        assert!(stderr(&out).contains(reason), "{}", stderr(&out));
    }
}

#[test]
fn the_issuers_are_the_pools_in_either_format_never_the_endpoint() {
    // A pool switched to the updated issuer format.
    let mut claims = access();
    claims["iss"] = json!(format!(
        "https://issuer-cognito-idp.eu-west-1.amazonaws.com/{POOL}"
    ));
    let out = run(&["verify-token", &key().sign(&claims)]);
    assert!(out.status.success(), "{}", stderr(&out));
    // The endpoint is only where the key set comes from: a token naming the endpoint as its
    // issuer is refused.
    claims["iss"] = json!(format!("{}{POOL}", server().url()));
    let out = run(&["verify-token", &key().sign(&claims)]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("another issuer"), "{}", stderr(&out));
}

#[test]
fn a_key_set_that_cannot_be_fetched_is_a_local_error() {
    let down = CannedServer::fixed(canned::response(500, &[], b"")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["--endpoint", down.url(), "--pool-id", POOL, "verify-token"])
        .arg(key().sign(&access()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(stderr(&out).contains("HTTP status 500"), "{}", stderr(&out));
    let out = Command::new(env!("CARGO_BIN_EXE_cognito"))
        .args(["verify-token", "x.y.z"])
        .env_remove("COGNITO_POOL_ID")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}
