//! `cognito credentials` against a canned identity pool (no emulator, no AWS): the
//! credential_process reply exactly as the AWS CLI and SDKs read it, `env` and `json`, the
//! identity id and credentials kept in the session file (a second run sends nothing), tokens
//! refreshed first, guests, and errors on stderr with nothing on stdout.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use cognito_std::{FileStore, Session, SessionOrigin, SessionStore};
use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::{unix_now, unsigned_jwt};
use serde_json::{Value, json};

const POOL_ID: &str = "us-east-1_CliPool";
const CLIENT_ID: &str = "cliclient00000000000000000";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_CliPool";
const IDENTITY_POOL: &str = "us-east-1:0c1b2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const IDENTITY: &str = "us-east-1:77aa88bb-99cc-0011-2233-445566778899";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYsecret";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEsessiontoken/with+base64==";
const JSON11: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");
/// 2100-01-01T00:00:00Z: an expiration far beyond any margin.
const FAR: u64 = 4_102_444_800;

fn json_reply(body: &Value) -> Vec<u8> {
    canned::response(200, &[JSON11], body.to_string().as_bytes())
}

fn get_id() -> Vec<u8> {
    json_reply(&json!({ "IdentityId": IDENTITY }))
}

fn credentials(key: &str, expiration: u64) -> Vec<u8> {
    json_reply(&json!({
        "IdentityId": IDENTITY,
        "Credentials": {
            "AccessKeyId": key,
            "SecretKey": SECRET_KEY,
            "SessionToken": SESSION_TOKEN,
            "Expiration": expiration,
        }
    }))
}

/// A server answering request `n` with `replies[n]` (500 past the end).
fn serve(replies: Vec<Vec<u8>>) -> CannedServer {
    let replies = Arc::new(replies);
    CannedServer::start(move |n, out| match replies.get(n) {
        Some(bytes) => out.write_all(bytes),
        None => out.write_all(&canned::response(500, &[], b"no more replies")),
    })
    .unwrap()
}

fn id_token(marker: &str) -> String {
    unsigned_jwt(&json!({ "sub": "u-1", "token_use": "id", "marker": marker }))
}

/// A private directory with a stored session whose tokens expire at `expires_at`.
struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new(expires_at: u64) -> Self {
        let env = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        let session = Session {
            username: "alice".to_owned(),
            aliases: Vec::new(),
            access_token: unsigned_jwt(&json!({ "username": "alice" })),
            id_token: Some(id_token("stored")),
            refresh_token: Some("refresh-token".to_owned()),
            token_type: "Bearer".to_owned(),
            received_at: unix_now().saturating_sub(60).min(expires_at),
            expires_at,
            clock_drift_secs: 0,
            device: None,
            other_users: Vec::new(),
            origin: SessionOrigin::UserPool,
            identities: Vec::new(),
        };
        env.store().save(&session).unwrap();
        env
    }

    fn session_file(&self) -> PathBuf {
        self.dir.path().join("session.json")
    }

    fn store(&self) -> FileStore {
        FileStore::new(self.session_file())
    }

    fn session(&self) -> Session {
        self.store().load().unwrap().unwrap()
    }

    /// The binary with no `COGNITO_*` variables from the environment, the user pool at
    /// `pool` (or nobody), the session file.
    fn cmd(&self, pool: Option<&CannedServer>, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito"));
        for (name, _) in std::env::vars() {
            if name.starts_with("COGNITO_") {
                cmd.env_remove(name);
            }
        }
        cmd.stdin(Stdio::null())
            .args([
                "--endpoint",
                pool.map_or("http://127.0.0.1:9/", CannedServer::url),
            ])
            .args(["--pool-id", POOL_ID, "--client-id", CLIENT_ID])
            .arg("--session-file")
            .arg(self.session_file())
            .args(["credentials", "--identity-pool-id", IDENTITY_POOL])
            .args(args);
        cmd
    }

    /// `credentials` with the identity endpoint `identity` and `args`.
    fn run(&self, identity: &CannedServer, args: &[&str]) -> Output {
        self.cmd(None, args)
            .args(["--identity-endpoint", identity.url()])
            .output()
            .unwrap()
    }
}

fn stdout_of(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

#[test]
fn credential_process_prints_exactly_what_aws_reads_and_caches_them() {
    let env = Env::new(unix_now() + 3600);
    let identity = serve(vec![get_id(), credentials("ASIACLI", FAR)]);
    let out = stdout_of(&env.run(&identity, &[]));

    // One line, one JSON object, exactly these members, nothing else on stdout.
    assert_eq!(out.lines().count(), 1, "{out}");
    assert!(out.ends_with('\n'));
    let reply: Value = serde_json::from_str(&out).unwrap();
    let members = reply.as_object().unwrap();
    let mut names: Vec<&str> = members.keys().map(String::as_str).collect();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "AccessKeyId",
            "Expiration",
            "SecretAccessKey",
            "SessionToken",
            "Version"
        ]
    );
    assert_eq!(reply["Version"], json!(1));
    assert_eq!(reply["AccessKeyId"], "ASIACLI");
    assert_eq!(reply["SecretAccessKey"], SECRET_KEY);
    assert_eq!(reply["SessionToken"], SESSION_TOKEN);
    assert_eq!(reply["Expiration"], "2100-01-01T00:00:00Z");
    // In the order the AWS documentation shows.
    assert!(out.starts_with(r#"{"Version":1,"AccessKeyId":"ASIACLI","SecretAccessKey":"#));

    // The requests: GetId and GetCredentialsForIdentity with the stored ID token.
    let requests = identity.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].target, "AWSCognitoIdentityService.GetId");
    assert_eq!(
        requests[0].json().unwrap(),
        json!({ "IdentityPoolId": IDENTITY_POOL, "Logins": { PROVIDER: id_token("stored") } })
    );
    assert_eq!(
        requests[1].target,
        "AWSCognitoIdentityService.GetCredentialsForIdentity"
    );

    // Kept in the session file: the next run sends nothing and prints the same.
    let session = env.session();
    assert_eq!(session.identities.len(), 1);
    assert_eq!(session.identities[0].identity_id, IDENTITY);
    let again = stdout_of(&env.run(&identity, &[]));
    assert_eq!(again, out);
    assert_eq!(identity.hits(), 2);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.session_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    // --force-refresh: new credentials for the same identity (and new tokens).
    let pool = serve(vec![json_reply(&json!({
        "AuthenticationResult": {
            "AccessToken": unsigned_jwt(&json!({ "username": "alice" })),
            "IdToken": id_token("forced"),
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        },
        "ChallengeParameters": {},
    }))]);
    let renewing = serve(vec![credentials("ASIANEW", FAR)]);
    let out = env
        .cmd(Some(&pool), &["--force-refresh"])
        .env("COGNITO_IDENTITY_ENDPOINT", renewing.url())
        .output()
        .unwrap();
    let reply: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(reply["AccessKeyId"], "ASIANEW");
    assert_eq!(pool.hits(), 1);
    let requests = renewing.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(
        requests[0].json().unwrap(),
        json!({ "IdentityId": IDENTITY, "Logins": { PROVIDER: id_token("forced") } })
    );
    assert_eq!(
        env.session().id_token.as_deref(),
        Some(id_token("forced").as_str())
    );
}

#[test]
fn env_and_json_formats() {
    let env = Env::new(unix_now() + 3600);
    let identity = serve(vec![get_id(), credentials("ASIAENV", FAR)]);
    let out = stdout_of(&env.run(&identity, &["--format", "env"]));
    assert_eq!(
        out,
        format!(
            "export AWS_ACCESS_KEY_ID=ASIAENV\nexport AWS_SECRET_ACCESS_KEY={SECRET_KEY}\n\
             export AWS_SESSION_TOKEN={SESSION_TOKEN}\n\
             export AWS_CREDENTIAL_EXPIRATION=2100-01-01T00:00:00Z\n"
        )
    );
    let out = stdout_of(&env.run(&identity, &["--format", "json"]));
    let reply: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        reply,
        json!({
            "IdentityId": IDENTITY,
            "AccessKeyId": "ASIAENV",
            "SecretAccessKey": SECRET_KEY,
            "SessionToken": SESSION_TOKEN,
            "Expiration": "2100-01-01T00:00:00Z",
        })
    );
    assert_eq!(identity.hits(), 2);
}

#[test]
fn expired_tokens_are_refreshed_and_saved_first() {
    let env = Env::new(unix_now().saturating_sub(10));
    let now = unix_now();
    let pool = serve(vec![json_reply(&json!({
        "AuthenticationResult": {
            "AccessToken": unsigned_jwt(&json!({
                "username": "alice", "iat": now, "exp": now + 3600
            })),
            "IdToken": id_token("refreshed"),
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        },
        "ChallengeParameters": {},
    }))]);
    let identity = serve(vec![get_id(), credentials("ASIAREF", now + 3600)]);
    let out = env
        .cmd(Some(&pool), &["--identity-endpoint", identity.url()])
        .output()
        .unwrap();
    let reply: Value = serde_json::from_str(&stdout_of(&out)).unwrap();
    assert_eq!(reply["AccessKeyId"], "ASIAREF");
    assert_eq!(
        pool.requests()[0].json().unwrap()["AuthFlow"],
        "REFRESH_TOKEN_AUTH"
    );
    assert_eq!(
        identity.requests()[0].json().unwrap()["Logins"][PROVIDER],
        id_token("refreshed")
    );
    let session = env.session();
    assert_eq!(
        session.id_token.as_deref(),
        Some(id_token("refreshed").as_str())
    );
    assert!(session.expires_at > now + 3000);
    let kept = session.identities[0].credentials.as_ref().unwrap();
    assert_eq!(kept.access_key_id, "ASIAREF");
    assert_eq!(
        kept.expiration,
        UNIX_EPOCH + Duration::from_secs(now + 3600)
    );
}

#[test]
fn guests_need_no_sign_in_and_keep_their_identity() {
    let dir = tempfile::tempdir().unwrap();
    let session_file = dir.path().join("session.json");
    let identity = serve(vec![get_id(), credentials("ASIAGUEST", FAR)]);
    let run = || {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito"));
        for (name, _) in std::env::vars() {
            if name.starts_with("COGNITO_") {
                cmd.env_remove(name);
            }
        }
        cmd.stdin(Stdio::null())
            .arg("--session-file")
            .arg(&session_file)
            .args(["credentials", "--guest", "--format", "json"])
            .env("COGNITO_IDENTITY_POOL_ID", IDENTITY_POOL)
            .env("COGNITO_IDENTITY_ENDPOINT", identity.url())
            .output()
            .unwrap()
    };
    let first: Value = serde_json::from_str(&stdout_of(&run())).unwrap();
    assert_eq!(first["IdentityId"], IDENTITY);
    assert_eq!(first["AccessKeyId"], "ASIAGUEST");
    let requests = identity.requests();
    assert_eq!(
        requests[0].json().unwrap(),
        json!({ "IdentityPoolId": IDENTITY_POOL })
    );
    assert_eq!(
        requests[1].json().unwrap(),
        json!({ "IdentityId": IDENTITY })
    );
    // Kept next to the session file (no session needed): the second run sends nothing.
    let kept = dir.path().join("session.guest-identities.json");
    assert!(kept.exists());
    assert!(!session_file.exists());
    let second: Value = serde_json::from_str(&stdout_of(&run())).unwrap();
    assert_eq!(second, first);
    assert_eq!(identity.hits(), 2);
}

#[test]
fn errors_go_to_stderr_with_a_non_zero_status() {
    let env = Env::new(unix_now() + 3600);
    let refusing = CannedServer::fixed(canned::response(
        400,
        &[JSON11],
        br#"{"__type":"NotAuthorizedException","message":"Invalid login token. Issuer doesn't match providerName"}"#,
    ))
    .unwrap();
    let out = env.run(&refusing, &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("NotAuthorizedException: Invalid login token."),
        "{stderr}"
    );
    assert!(env.session().identities.is_empty());

    // Not signed in.
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = env.cmd(None, &["--identity-endpoint", refusing.url()]);
    cmd.arg("--session-file")
        .arg(empty.path().join("none.json"));
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not signed in"));

    // Cleartext to a host that is not loopback: refused before anything is sent.
    let out = env
        .cmd(None, &["--identity-endpoint", "http://192.0.2.1/"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--danger-allow-cleartext-http"));
    assert_eq!(refusing.hits(), 1);
}
