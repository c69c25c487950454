//! The `cognito` binary against the HTTP emulator: every command, json and text output, the
//! session file, challenges answered by flags (and their absence without a terminal), remembered
//! devices, refresh, exit codes and environment variables; cleartext endpoints off the machine
//! only with `--danger-allow-cleartext-http` (and a warning), never through a proxy.

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
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use cognito_std::core::token::IssuerFormat;
use cognito_tests::fixtures::canned::{self, CannedServer};
use cognito_tests::fixtures::{
    last_code, operations_and_flows, pool_with_client, totp_now, unix_now, with_pool, wrong_code,
};
use cognito_tests::http::EmulatorServer;
use cognito_tests::pool::{
    CodePurpose, CustomAuthScript, CustomRound, DeviceTracking, IdentityPoolOptions,
    MfaConfiguration, MfaMode, SignInAliases, UserOptions, UserPool, UserStatus,
};
use serde_json::Value;

const POOL_ID: &str = "us-east-1_CliPool";
const CLIENT_ID: &str = "cliclient00000000000000000";
const SECRET: &str = "clisecret000000000000000000000000000000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PHONE: &str = "+15555550123";

/// An emulator, an app client and a private session file.
struct Env {
    server: EmulatorServer,
    dir: tempfile::TempDir,
    secret: Option<&'static str>,
}

impl Env {
    fn new(pool: UserPool, secret: Option<&'static str>) -> Self {
        Self {
            server: EmulatorServer::start(pool, "127.0.0.1:0").unwrap(),
            dir: tempfile::tempdir().unwrap(),
            secret,
        }
    }

    fn session_file(&self) -> PathBuf {
        self.dir.path().join("session.json")
    }

    fn session(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.session_file()).unwrap()).unwrap()
    }

    /// The binary with no `COGNITO_*` variables from the environment.
    fn bare(&self) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cognito"));
        for (name, _) in std::env::vars() {
            if name.starts_with("COGNITO_") {
                cmd.env_remove(name);
            }
        }
        cmd.stdin(Stdio::null());
        cmd
    }

    /// The binary with the global options as flags and json output.
    fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.bare();
        cmd.args(["--endpoint", &self.server.url()])
            .args(["--pool-id", POOL_ID, "--client-id", CLIENT_ID])
            .arg("--session-file")
            .arg(self.session_file())
            .args(["--output", "json"]);
        if let Some(secret) = self.secret {
            cmd.args(["--client-secret", secret]);
        }
        cmd.args(args);
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().unwrap()
    }

    /// Runs `args`, expects success, returns stdout as JSON.
    fn json(&self, args: &[&str]) -> Value {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs `args` with text output, expects success, returns stdout.
    fn text(&self, args: &[&str]) -> String {
        let mut full = vec!["--output", "text"];
        full.extend_from_slice(args);
        let out = self.run(&full);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `args`, expects exit code `code`, returns stderr.
    fn fail(&self, args: &[&str], code: i32) -> String {
        let out = self.run(args);
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        stderr
    }

    fn sign_in(&self, extra: &[&str]) -> Value {
        let mut args = vec!["sign-in", "--username", "alice", "--password", PASSWORD];
        args.extend_from_slice(extra);
        self.json(&args)
    }

    /// The operations the emulator received (with the challenge answered or the auth flow).
    fn ops(&self) -> Vec<String> {
        operations_and_flows(&self.server)
    }

    fn code_for(&self, who: &str) -> String {
        last_code(&self.server, who).unwrap()
    }

    /// Starts `args` (as [`cmd`](Self::cmd) does) with stdin, stdout and stderr piped.
    fn spawn(&self, args: &[&str]) -> Child {
        self.cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    }
}

/// Types `line` into `child`, waits for it and expects success; returns its output.
fn type_and_wait(mut child: Child, line: &str) -> Output {
    writeln!(child.stdin.take().unwrap(), "{line}").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_success(&out);
    out
}

/// The command succeeded (or its stderr says why not).
fn assert_success(out: &Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn pool(tracking: DeviceTracking, secret: Option<&str>) -> UserPool {
    pool_with_client(POOL_ID, CLIENT_ID, 11, secret, tracking)
}

fn with_alice(mut pool: UserPool) -> UserPool {
    pool.add_user_with(
        "alice",
        PASSWORD,
        UserOptions {
            email: Some("alice@example.com".into()),
            email_verified: true,
            ..UserOptions::default()
        },
    );
    pool
}

/// Cognito refuses `access_token` as revoked.
fn assert_revoked(env: &Env, access_token: &str) {
    let reply = with_pool(&env.server, |pool| {
        pool.call(
            "GetUser",
            &serde_json::json!({ "AccessToken": access_token }),
        )
    });
    assert_eq!(reply.error_name(), Some("NotAuthorizedException"));
    assert_eq!(
        reply.message().as_deref(),
        Some("Access Token has been revoked")
    );
}

fn assert_auth_result(v: &Value) {
    let result = &v["AuthenticationResult"];
    assert!(result["AccessToken"].as_str().unwrap().contains('.'));
    assert!(result["IdToken"].is_string());
    assert_eq!(result["TokenType"], "Bearer");
    let expires = result["ExpiresIn"].as_u64().unwrap();
    assert!((3_000..=3_600).contains(&expires), "{expires}");
    assert!(result.get("RefreshToken").is_none(), "{v}");
}

#[test]
fn sign_up_confirm_and_account_commands() {
    let env = Env::new(pool(DeviceTracking::Off, Some(SECRET)), Some(SECRET));

    // sign-up → resend-code → confirm-sign-up.
    let v = env.json(&[
        "sign-up",
        "--username",
        "alice",
        "--password",
        PASSWORD,
        "--attribute",
        "email=alice@example.com",
    ]);
    assert_eq!(v["UserConfirmed"], false);
    assert!(v["UserSub"].is_string());
    assert_eq!(v["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    assert_eq!(v["CodeDeliveryDetails"]["AttributeName"], "email");
    let first = env.code_for("alice");
    let v = env.json(&["resend-code", "--username", "alice"]);
    assert_eq!(v["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let code = env.code_for("alice");
    assert_ne!(code, "");
    let _ = first;
    assert_eq!(
        env.json(&["confirm-sign-up", "--username", "alice", "--code", &code]),
        serde_json::json!({})
    );
    assert_eq!(
        with_pool(&env.server, |pool| pool.user_status("alice")),
        Some(UserStatus::Confirmed)
    );

    // sign-in (SRP, password read from stdin): tokens printed, the refresh token only stored.
    let child = env.spawn(&["sign-in", "--username", "alice", "--password", "-"]);
    let out = type_and_wait(child, PASSWORD);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_auth_result(&v);
    let stored = env.session();
    let refresh_token = stored["refresh_token"].as_str().unwrap().to_owned();
    assert!(!String::from_utf8_lossy(&out.stdout).contains(&refresh_token));
    assert_eq!(
        stored["access_token"],
        v["AuthenticationResult"]["AccessToken"]
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(env.session_file())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        env.ops()[3..],
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );

    // USER_PASSWORD_AUTH.
    assert_auth_result(&env.sign_in(&["--flow", "password"]));
    assert_eq!(env.ops().last().unwrap(), "InitiateAuth USER_PASSWORD_AUTH");

    // get-user, json and text.
    let v = env.json(&["get-user"]);
    assert_eq!(v["Username"], "alice");
    let attributes = v["UserAttributes"].as_array().unwrap();
    assert!(
        attributes
            .iter()
            .any(|a| a["Name"] == "email" && a["Value"] == "alice@example.com"),
        "{v}"
    );
    assert!(attributes.iter().any(|a| a["Name"] == "sub"));
    let text = env.text(&["get-user"]);
    assert!(text.contains("Username: alice"), "{text}");
    assert!(text.contains("email: alice@example.com"), "{text}");

    // update-attributes / delete-attributes.
    let v = env.json(&["update-attributes", "name=Alice Liddell", "locale=en"]);
    assert!(v["CodeDeliveryDetailsList"].as_array().unwrap().is_empty());
    let attrs = with_pool(&env.server, |pool| pool.user_attributes("alice")).unwrap();
    assert_eq!(attrs["name"], "Alice Liddell");
    assert_eq!(attrs["locale"], "en");
    env.json(&["delete-attributes", "name", "locale"]);
    let attrs = with_pool(&env.server, |pool| pool.user_attributes("alice")).unwrap();
    assert!(
        !attrs.contains_key("name") && !attrs.contains_key("locale"),
        "{attrs:?}"
    );

    // send-verification-code / verify-attribute.
    let v = env.json(&["send-verification-code", "--attribute", "email"]);
    assert_eq!(v["CodeDeliveryDetails"]["AttributeName"], "email");
    let code = env.code_for("alice@example.com");
    env.json(&["verify-attribute", "--attribute", "email", "--code", &code]);
    assert_eq!(
        with_pool(&env.server, |pool| pool.user_attributes("alice")).unwrap()["email_verified"],
        "true"
    );
    // A wrong code is Cognito's error, exit 1.
    let stderr = env.fail(
        &[
            "verify-attribute",
            "--attribute",
            "email",
            "--code",
            wrong_code(&code),
        ],
        1,
    );
    assert!(stderr.contains("CodeMismatchException"), "{stderr}");

    // change-password, then the old password fails and the new one works.
    let new_password = "N3w-Passw0rd!";
    env.json(&["change-password", "--old", PASSWORD, "--new", new_password]);
    let stderr = env.fail(
        &["sign-in", "--username", "alice", "--password", PASSWORD],
        1,
    );
    assert!(
        stderr.contains("error: NotAuthorizedException: Incorrect username or password."),
        "{stderr}"
    );
    env.json(&["sign-in", "--username", "alice", "--password", new_password]);

    // forgot-password / confirm-forgot-password.
    let v = env.json(&["forgot-password", "--username", "alice"]);
    assert_eq!(v["CodeDeliveryDetails"]["DeliveryMedium"], "EMAIL");
    let code = env.code_for("alice@example.com");
    env.json(&[
        "confirm-forgot-password",
        "--username",
        "alice",
        "--code",
        &code,
        "--password",
        PASSWORD,
    ]);
    assert_auth_result(&env.sign_in(&[]));

    // refresh: new tokens now; the refresh token stays in the file.
    let before = env.session();
    let v = env.json(&["refresh"]);
    assert_auth_result(&v);
    let after = env.session();
    assert_ne!(before["access_token"], after["access_token"]);
    assert_eq!(
        after["access_token"],
        v["AuthenticationResult"]["AccessToken"]
    );
    assert!(
        env.ops().last().unwrap().contains("REFRESH_TOKEN"),
        "{:?}",
        env.ops()
    );

    // A stored token about to expire is refreshed before use and saved.
    let mut stored = env.session();
    stored["expires_at"] = Value::from(unix_now() + 10);
    std::fs::write(env.session_file(), serde_json::to_vec(&stored).unwrap()).unwrap();
    env.json(&["get-user"]);
    let ops = env.ops();
    assert!(ops[ops.len() - 2].contains("REFRESH_TOKEN"), "{ops:?}");
    assert_eq!(ops[ops.len() - 1], "GetUser");
    assert!(env.session()["expires_at"].as_u64().unwrap() > unix_now() + 3_000);

    // The server's clock moves past the expiry: Cognito refuses the access token, the tool
    // refreshes and calls again.
    env.server.advance(7_200);
    let v = env.json(&["get-user"]);
    assert_eq!(v["Username"], "alice");
    let ops = env.ops();
    assert_eq!(ops[ops.len() - 3], "GetUser");
    assert!(ops[ops.len() - 2].contains("REFRESH_TOKEN"), "{ops:?}");
    assert_eq!(ops[ops.len() - 1], "GetUser");

    // sign-out: the refresh token is revoked and the tokens are forgotten (no device: the
    // file goes).
    let token = env.session()["access_token"].as_str().unwrap().to_owned();
    env.json(&["sign-out"]);
    assert_eq!(env.ops().last().unwrap(), "RevokeToken");
    assert!(!env.session_file().exists());
    assert_revoked(&env, &token);
    let stderr = env.fail(&["get-user"], 4);
    assert!(stderr.contains("not signed in"), "{stderr}");

    // sign-out --global: GlobalSignOut.
    env.sign_in(&[]);
    let token = env.session()["access_token"].as_str().unwrap().to_owned();
    env.json(&["sign-out", "--global"]);
    assert_eq!(env.ops().last().unwrap(), "GlobalSignOut");
    assert!(!env.session_file().exists());
    assert_revoked(&env, &token);

    // revoke: RevokeToken; the refresh token is dead.
    env.sign_in(&[]);
    let token = env.session()["access_token"].as_str().unwrap().to_owned();
    env.json(&["revoke"]);
    assert_eq!(env.ops().last().unwrap(), "RevokeToken");
    assert!(!env.session_file().exists());
    // Revoking the refresh token revokes the access tokens issued with it.
    assert_revoked(&env, &token);
    // Nothing stored: nothing to revoke.
    env.fail(&["revoke"], 4);

    // delete-user refuses without --yes, then deletes.
    env.sign_in(&[]);
    let stderr = env.fail(&["delete-user"], 2);
    assert!(stderr.contains("--yes"), "{stderr}");
    assert!(with_pool(&env.server, |pool| pool.user_sub("alice")).is_some());
    env.json(&["delete-user", "--yes"]);
    assert!(with_pool(&env.server, |pool| pool.user_sub("alice")).is_none());
    assert!(!env.session_file().exists());
}

#[test]
fn custom_and_choice_based_flows() {
    let mut pool = with_alice(pool(DeviceTracking::Off, None));
    pool.set_custom_auth(Some(CustomAuthScript {
        rounds: vec![CustomRound::new(&[("question", "2+2?")], "4")],
        ..CustomAuthScript::default()
    }));
    let env = Env::new(pool, None);

    // CUSTOM_AUTH without a password, answered by --answer.
    let v = env.json(&[
        "sign-in",
        "--username",
        "alice",
        "--flow",
        "custom",
        "--answer",
        "4",
    ]);
    assert_auth_result(&v);
    assert_eq!(
        env.ops(),
        [
            "InitiateAuth CUSTOM_AUTH",
            "RespondToAuthChallenge CUSTOM_CHALLENGE"
        ]
    );

    // With a password: SRP first.
    env.sign_in(&["--flow", "custom", "--answer", "4"]);
    assert_eq!(
        env.ops()[2..],
        [
            "InitiateAuth CUSTOM_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge CUSTOM_CHALLENGE"
        ]
    );

    // Without the answer and without a terminal: exit 3 naming the challenge and the flag.
    let stderr = env.fail(&["sign-in", "--username", "alice", "--flow", "custom"], 3);
    assert!(stderr.contains("CUSTOM_CHALLENGE"), "{stderr}");
    assert!(stderr.contains("--answer"), "{stderr}");

    // A wrong answer is Cognito's error.
    let stderr = env.fail(
        &[
            "sign-in",
            "--username",
            "alice",
            "--flow",
            "custom",
            "--answer",
            "5",
            "--answer",
            "6",
            "--answer",
            "7",
        ],
        1,
    );
    assert!(stderr.contains("NotAuthorizedException"), "{stderr}");

    // USER_AUTH: SELECT_CHALLENGE answered with PASSWORD_SRP since a password was given.
    let before = env.ops().len();
    assert_auth_result(&env.sign_in(&["--flow", "user-auth"]));
    let ops = env.ops();
    assert_eq!(ops[before], "InitiateAuth USER_AUTH");
    let pool = env.server.pool();
    let pool = pool.lock().unwrap();
    let answers: Vec<&Value> = pool.requests()[before..]
        .iter()
        .filter(|r| r.body["ChallengeName"] == "SELECT_CHALLENGE")
        .map(|r| &r.body["ChallengeResponses"]["ANSWER"])
        .collect();
    assert_eq!(answers, [&Value::from("PASSWORD_SRP")], "{ops:?}");
    assert!(ops.iter().any(|o| o.ends_with("PASSWORD_VERIFIER")));
}

#[test]
fn totp_set_up_then_sign_in_with_mfa() {
    let mut pool = with_alice(pool(DeviceTracking::Off, None));
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: true,
        software_token: true,
        email: true,
    });
    let env = Env::new(pool, None);
    env.sign_in(&[]);

    // associate-totp prints the secret; totp prints its code; verify-totp enables it.
    // (Each association replaces the secret pending verification: the last one counts.)
    let text = env.text(&["mfa", "associate-totp"]);
    assert!(
        text.contains("otpauth://totp/Cognito:alice?secret="),
        "{text}"
    );
    let v = env.json(&["mfa", "associate-totp"]);
    let secret = v["SecretCode"].as_str().unwrap().to_owned();
    let v = env.json(&["totp", "--secret", &secret]);
    let code = v["Code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let now = env.server.now();
    let expected: Vec<String> = [now - 30, now, now + 30]
        .iter()
        .map(|t| cognito_tests::totp::code_at(&secret, *t).unwrap())
        .collect();
    assert!(expected.contains(&code), "{code} {expected:?}");
    let text = env.text(&["totp", "--secret", &secret]);
    assert_eq!(text.trim().len(), 6);
    let v = env.json(&["mfa", "verify-totp", "--code", &code]);
    assert_eq!(v["Status"], "SUCCESS");

    // set-preference: TOTP preferred.
    env.json(&["mfa", "set-preference", "--totp", "preferred"]);
    let v = env.json(&["get-user"]);
    assert_eq!(v["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
    assert_eq!(
        v["UserMFASettingList"],
        serde_json::json!(["SOFTWARE_TOKEN_MFA"])
    );
    let text = env.text(&["get-user"]);
    assert!(text.contains("Preferred MFA: SOFTWARE_TOKEN_MFA"), "{text}");

    // Without an answer and without a terminal: exit 3 naming the challenge and the flags.
    let stderr = env.fail(
        &["sign-in", "--username", "alice", "--password", PASSWORD],
        3,
    );
    assert!(stderr.contains("SOFTWARE_TOKEN_MFA"), "{stderr}");
    assert!(stderr.contains("--totp-secret"), "{stderr}");

    // --totp-secret computes the code; --mfa-code gives it.
    assert_auth_result(&env.sign_in(&["--totp-secret", &secret]));
    assert_eq!(
        env.ops().last().unwrap(),
        "RespondToAuthChallenge SOFTWARE_TOKEN_MFA"
    );
    let code = totp_now(&env.server, &secret).unwrap();
    assert_auth_result(&env.sign_in(&["--mfa-code", &code]));

    // SMS MFA: the code, sent during the sign-in, is read from stdin (`--mfa-code -`).
    env.json(&["update-attributes", &format!("phone_number={PHONE}")]);
    with_pool(&env.server, |pool| {
        pool.set_user_mfa(
            "alice",
            cognito_tests::pool::UserMfaSettings {
                sms: true,
                software_token: false,
                email: false,
                preferred: None,
            },
        )
    });
    let child = env.spawn(&[
        "sign-in",
        "--username",
        "alice",
        "--password",
        PASSWORD,
        "--mfa-code",
        "-",
    ]);
    let code = wait_for_code(&env, PHONE);
    let out = type_and_wait(child, &code);
    assert_auth_result(&serde_json::from_slice(&out.stdout).unwrap());
    assert_eq!(env.ops().last().unwrap(), "RespondToAuthChallenge SMS_MFA");
}

#[test]
fn remembered_device_then_device_srp_and_device_commands() {
    let env = Env::new(
        with_alice(pool(DeviceTracking::UserOptIn, Some(SECRET))),
        Some(SECRET),
    );

    // --remember-device: NewDeviceMetadata printed, device confirmed and remembered.
    let v = env.sign_in(&["--remember-device"]);
    assert_auth_result(&v);
    let key = v["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(v["AuthenticationResult"]["NewDeviceMetadata"]["DeviceGroupKey"].is_string());
    let info = with_pool(&env.server, |pool| pool.device_info(&key)).unwrap();
    assert!(info.confirmed);
    assert_eq!(info.remembered, Some(true));
    assert_eq!(info.name.as_deref(), Some("cognito-cli"));
    assert_eq!(env.session()["device"]["key"], key.as_str());
    // The device password is never printed.
    let password = env.session()["device"]["password"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(!v.to_string().contains(&password));

    // The next sign-in proves the device with device SRP.
    let before = env.ops().len();
    let v = env.sign_in(&[]);
    assert!(v["AuthenticationResult"].get("NewDeviceMetadata").is_none());
    assert_eq!(
        env.ops()[before..],
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );
    let text = env.text(&["sign-in", "--username", "alice", "--password", PASSWORD]);
    assert!(text.contains(&format!("device {key}")), "{text}");

    // sign-out keeps the device: the next sign-in still runs device SRP.
    env.json(&["sign-out"]);
    assert!(env.session()["device"]["key"] == key.as_str());
    assert_eq!(env.session()["access_token"], "");
    env.fail(&["get-user"], 4);
    env.sign_in(&[]);
    assert_eq!(
        env.ops().last().unwrap(),
        "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER"
    );

    // A second device (another session file), confirmed but not remembered.
    let other = env.dir.path().join("other.json");
    let out = env
        .bare()
        .args(["--endpoint", &env.server.url(), "--pool-id", POOL_ID])
        .args(["--client-id", CLIENT_ID, "--client-secret", SECRET])
        .arg("--session-file")
        .arg(&other)
        .args([
            "--output",
            "json",
            "sign-in",
            "--username",
            "alice",
            "--password",
            PASSWORD,
        ])
        .output()
        .unwrap();
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let second = v["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        with_pool(&env.server, |pool| pool.device_info(&second))
            .unwrap()
            .remembered,
        Some(false)
    );
    // Signing in there again with --remember-device: device SRP, then the device is remembered.
    let other_path = other.to_str().unwrap();
    let before = env.ops().len();
    env.json(&[
        "--session-file",
        other_path,
        "sign-in",
        "--username",
        "alice",
        "--password",
        PASSWORD,
        "--remember-device",
    ]);
    assert_eq!(
        env.ops()[before..],
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
            "UpdateDeviceStatus",
        ]
    );
    assert_eq!(
        with_pool(&env.server, |pool| pool.device_info(&second))
            .unwrap()
            .remembered,
        Some(true)
    );

    // devices list: both, json and text.
    let v = env.json(&["devices", "list"]);
    let keys: Vec<&str> = v["Devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["DeviceKey"].as_str().unwrap())
        .collect();
    assert!(
        keys.contains(&key.as_str()) && keys.contains(&second.as_str()),
        "{v}"
    );
    assert!(v["Devices"][0]["DeviceAttributes"].is_array());
    let text = env.text(&["devices", "list"]);
    assert!(
        text.contains(key.as_str()) && text.contains("(this session)"),
        "{text}"
    );

    // devices remember (this session's device): UpdateDeviceStatus.
    env.json(&["devices", "remember"]);
    assert_eq!(env.ops().last().unwrap(), "UpdateDeviceStatus");

    // devices forget --device-key: the other device goes.
    env.json(&["devices", "forget", "--device-key", &second]);
    assert!(with_pool(&env.server, |pool| pool.device_info(&second)).is_none());
    let v = env.json(&["devices", "list"]);
    assert_eq!(v["Devices"].as_array().unwrap().len(), 1, "{v}");

    // devices forget-current: ForgetDevice and the session drops the device.
    env.json(&["devices", "forget-current"]);
    assert_eq!(env.ops().last().unwrap(), "ForgetDevice");
    assert!(env.session()["device"].is_null());
    let stderr = env.fail(&["devices", "remember"], 4);
    assert!(stderr.contains("no device"), "{stderr}");
}

#[test]
fn new_password_required_and_unanswered_challenges() {
    let mut pool = pool(DeviceTracking::Off, None);
    // The temporary password is fresh on the emulator clock, which follows the system clock.
    pool.set_time(unix_now());
    pool.add_user_with(
        "bob",
        "Temp-Passw0rd!",
        UserOptions {
            status: UserStatus::ForceChangePassword,
            ..UserOptions::default()
        },
    );
    let env = Env::new(pool, None);
    let stderr = env.fail(
        &[
            "sign-in",
            "--username",
            "bob",
            "--password",
            "Temp-Passw0rd!",
        ],
        3,
    );
    assert!(stderr.contains("NEW_PASSWORD_REQUIRED"), "{stderr}");
    assert!(stderr.contains("--new-password"), "{stderr}");
    assert!(!env.session_file().exists());
    let v = env.json(&[
        "sign-in",
        "--username",
        "bob",
        "--password",
        "Temp-Passw0rd!",
        "--new-password",
        PASSWORD,
    ]);
    assert_auth_result(&v);
    assert_eq!(
        with_pool(&env.server, |pool| pool.user_status("bob")),
        Some(UserStatus::Confirmed)
    );
    // A password left out without a terminal is a usage error.
    let stderr = env.fail(&["sign-in", "--username", "bob"], 2);
    assert!(stderr.contains("--password"), "{stderr}");
}

#[test]
fn corrupt_session_file_is_reported_and_left_unchanged() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    let garbage = b"{ this is not a session";
    std::fs::write(env.session_file(), garbage).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(env.session_file(), std::fs::Permissions::from_mode(0o600))
            .unwrap();
    }
    let stderr = env.fail(&["get-user"], 4);
    assert!(stderr.contains("session.json"), "{stderr}");
    assert!(stderr.contains("unchanged"), "{stderr}");
    // sign-in refuses to overwrite it too.
    let stderr = env.fail(
        &["sign-in", "--username", "alice", "--password", PASSWORD],
        4,
    );
    assert!(stderr.contains("session.json"), "{stderr}");
    assert_eq!(std::fs::read(env.session_file()).unwrap(), garbage);
    assert!(env.ops().is_empty(), "{:?}", env.ops());
}

#[test]
fn environment_variables_instead_of_flags_and_usage_errors() {
    let env = Env::new(
        with_alice(pool(DeviceTracking::Off, Some(SECRET))),
        Some(SECRET),
    );
    let with_env = |args: &[&str]| {
        env.bare()
            .env("COGNITO_ENDPOINT", env.server.url())
            .env("COGNITO_POOL_ID", POOL_ID)
            .env("COGNITO_CLIENT_ID", CLIENT_ID)
            .env("COGNITO_CLIENT_SECRET", SECRET)
            .env("COGNITO_SESSION_FILE", env.session_file())
            .args(args)
            .output()
            .unwrap()
    };
    let out = with_env(&["sign-in", "--username", "alice", "--password", PASSWORD]);
    assert_success(&out);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Signed in as alice"));
    assert!(env.session_file().exists());
    let out = with_env(&["--output", "json", "get-user"]);
    assert_success(&out);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["Username"], "alice");

    // Without a pool id: usage error (2).
    let out = env
        .bare()
        .args(["--client-id", CLIENT_ID, "get-user"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--pool-id"));
    // Unknown arguments: clap's usage error (2).
    assert_eq!(env.run(&["sign-in", "--bogus"]).status.code(), Some(2));
    // --help documents the exit codes.
    let out = env.bare().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("Exit status"), "{help}");
    assert!(help.contains("COGNITO_POOL_ID"), "{help}");
}

#[test]
fn mfa_setup_and_mfa_type_selection_during_sign_in() {
    let mut pool = with_alice(pool(DeviceTracking::Off, None));
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: false,
        software_token: true,
        email: true,
    });
    let env = Env::new(pool, None);

    // MFA_SETUP without --mfa-setup and without a terminal: exit 3 naming it.
    let stderr = env.fail(
        &["sign-in", "--username", "alice", "--password", PASSWORD],
        3,
    );
    assert!(stderr.contains("MFA_SETUP"), "{stderr}");
    assert!(stderr.contains("--mfa-setup"), "{stderr}");

    // --mfa-setup totp: the new secret goes to stderr, the first code is computed from it.
    let out = env.run(&[
        "sign-in",
        "--username",
        "alice",
        "--password",
        PASSWORD,
        "--mfa-setup",
        "totp",
    ]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert_auth_result(&serde_json::from_slice(&out.stdout).unwrap());
    let secret = with_pool(&env.server, |pool| pool.totp_secret("alice")).unwrap();
    assert!(stderr.contains(&secret), "{stderr}");
    let ops = env.ops();
    assert!(
        ops.contains(&"AssociateSoftwareToken".to_owned()),
        "{ops:?}"
    );
    assert!(ops.contains(&"VerifySoftwareToken".to_owned()), "{ops:?}");
    assert_eq!(ops.last().unwrap(), "RespondToAuthChallenge MFA_SETUP");

    // With TOTP and email MFA both enabled and none preferred: SELECT_MFA_TYPE.
    with_pool(&env.server, |pool| {
        pool.set_user_mfa(
            "alice",
            cognito_tests::pool::UserMfaSettings {
                sms: false,
                software_token: true,
                email: true,
                preferred: None,
            },
        )
    });
    let stderr = env.fail(
        &["sign-in", "--username", "alice", "--password", PASSWORD],
        3,
    );
    assert!(stderr.contains("SELECT_MFA_TYPE"), "{stderr}");
    assert!(stderr.contains("--mfa-type"), "{stderr}");
    // --totp-secret picks SOFTWARE_TOKEN_MFA and answers it.
    assert_auth_result(&env.sign_in(&["--totp-secret", &secret]));
    let ops = env.ops();
    assert_eq!(
        ops[ops.len() - 2..],
        [
            "RespondToAuthChallenge SELECT_MFA_TYPE",
            "RespondToAuthChallenge SOFTWARE_TOKEN_MFA"
        ]
    );
    // --mfa-type email, the code read from stdin when it was sent.
    let child = env.spawn(&[
        "sign-in",
        "--username",
        "alice",
        "--password",
        PASSWORD,
        "--mfa-type",
        "email",
        "--mfa-code",
        "-",
    ]);
    let code = wait_for_code(&env, "alice@example.com");
    type_and_wait(child, &code);
    assert_eq!(
        env.ops().last().unwrap(),
        "RespondToAuthChallenge EMAIL_OTP"
    );
}

/// Waits for an MFA code sent to `destination` during a sign-in.
fn wait_for_code(env: &Env, destination: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let sent = with_pool(&env.server, |pool| {
            pool.sent_messages()
                .iter()
                .rev()
                .find(|m| m.destination == destination && m.purpose == CodePurpose::Mfa)
                .map(|m| m.code.clone())
        });
        if let Some(code) = sent {
            return code;
        }
        assert!(
            Instant::now() < deadline,
            "no code was sent to {destination}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_default_session_file_is_in_the_config_directory() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    let config = env.dir.path().join("config");
    let run = |args: &[&str]| {
        env.bare()
            .env("XDG_CONFIG_HOME", &config)
            .env("HOME", env.dir.path())
            .args(["--endpoint", &env.server.url()])
            .args(["--pool-id", POOL_ID, "--client-id", CLIENT_ID])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["sign-in", "--username", "alice", "--password", PASSWORD]);
    assert_success(&out);
    let path = config.join("cognito").join("session.json");
    assert!(path.exists());
    assert!(String::from_utf8_lossy(&out.stdout).contains(&path.display().to_string()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(config.join("cognito"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
    }
    assert!(run(&["get-user"]).status.success());
}

/// Runs `args` on a pseudo-terminal (util-linux `script`); for each `(prompt, input)` waits
/// until the transcript shows `prompt` (once more than for the earlier steps with the same
/// prompt), then types `input` and a newline. Returns success and the transcript.
fn on_terminal(env: &Env, args: &[&str], steps: &[(&str, &str)]) -> (bool, String) {
    use std::io::Read;
    use std::sync::{Arc, Mutex};

    let mut line = vec![env!("CARGO_BIN_EXE_cognito").to_owned()];
    line.extend(["--endpoint".to_owned(), env.server.url()]);
    line.extend(["--pool-id", POOL_ID, "--client-id", CLIENT_ID].map(str::to_owned));
    line.extend([
        "--session-file".to_owned(),
        env.session_file().display().to_string(),
    ]);
    line.extend(args.iter().map(|a| (*a).to_owned()));
    let quoted: Vec<String> = line
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
        .collect();
    let mut child = Command::new("script")
        .args(["-qec", &quoted.join(" "), "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let transcript = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let reader = {
        let transcript = transcript.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 1024];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                transcript
                    .lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        })
    };
    let mut stdin = child.stdin.take().unwrap();
    for (i, (prompt, input)) in steps.iter().enumerate() {
        let times = steps[..=i].iter().filter(|(p, _)| p == prompt).count();
        let deadline = Instant::now() + Duration::from_secs(60);
        while transcript.lock().unwrap().matches(prompt).count() < times {
            assert!(
                Instant::now() < deadline,
                "no prompt {prompt:?}: {}",
                transcript.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        // The prompt is written just before echo is turned off: give the tool a moment.
        std::thread::sleep(Duration::from_millis(200));
        // The tool may have ended already (the transcript then says why).
        let _ = writeln!(stdin, "{input}").and_then(|()| stdin.flush());
    }
    let status = child.wait().unwrap();
    drop(stdin);
    reader.join().unwrap();
    let transcript = transcript.lock().unwrap().clone();
    (status.success(), transcript)
}

#[test]
fn challenges_are_asked_on_a_terminal() {
    let mut pool = with_alice(pool(DeviceTracking::Off, None));
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: false,
        software_token: true,
        email: false,
    });
    let secret = pool.enable_totp("alice").unwrap();
    let env = Env::new(pool, None);
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("util-linux `script` is not installed: skipped");
        return;
    }
    let code = totp_now(&env.server, &secret).unwrap();
    let wrong = wrong_code(&code);
    // The password (no echo), a wrong code (asked again), the right code.
    let (ok, transcript) = on_terminal(
        &env,
        &["sign-in", "--username", "alice"],
        &[
            ("Password:", PASSWORD),
            ("authenticator app:", wrong),
            ("authenticator app:", &code),
        ],
    );
    assert!(ok, "{transcript}");
    assert!(transcript.contains("Password:"), "{transcript}");
    assert!(
        !transcript.contains(PASSWORD),
        "the password was echoed: {transcript}"
    );
    assert!(
        transcript.contains("Code from the authenticator app"),
        "{transcript}"
    );
    assert!(transcript.contains("CodeMismatchException"), "{transcript}");
    assert!(transcript.contains("Signed in as alice"), "{transcript}");
    assert!(env.session_file().exists());
}

/// A pool whose users also sign in with their verified email: the device alice remembered is
/// used whichever of her names she types, and signing in as bob on the same session file keeps
/// it for her next sign-in (and keeps bob's for his).
#[test]
fn a_remembered_device_is_found_by_any_name_and_kept_across_users() {
    let mut pool = with_alice(pool(DeviceTracking::Always, None));
    pool.set_sign_in_aliases(SignInAliases {
        email: true,
        phone_number: false,
    });
    pool.add_user_with(
        "bob",
        PASSWORD,
        UserOptions {
            email: Some("bob@example.com".into()),
            email_verified: true,
            ..UserOptions::default()
        },
    );
    let env = Env::new(pool, None);
    let sign_in_as = |name: &str| {
        let before = env.ops().len();
        let v = env.json(&["sign-in", "--username", name, "--password", PASSWORD]);
        assert_auth_result(&v);
        let device_srp = env.ops()[before..]
            .iter()
            .any(|op| op == "RespondToAuthChallenge DEVICE_SRP_AUTH");
        let new_device = v["AuthenticationResult"]["NewDeviceMetadata"]["DeviceKey"]
            .as_str()
            .map(str::to_owned);
        (device_srp, new_device)
    };

    let (device_srp, alice_device) = sign_in_as("alice");
    assert!(!device_srp);
    let alice_device = alice_device.expect("alice's device is confirmed");

    // By email: the same device, proven with device SRP, no new one.
    assert_eq!(sign_in_as("alice@example.com"), (true, None));
    assert_eq!(env.session()["device"]["key"], alice_device.as_str());

    // Bob on the same session file: his own device; alice's is kept.
    let (device_srp, bob_device) = sign_in_as("bob");
    assert!(!device_srp);
    let bob_device = bob_device.expect("bob's device is confirmed");
    let session = env.session();
    assert_eq!(session["username"], "bob");
    assert_eq!(session["other_users"][0]["username"], "alice");
    assert_eq!(
        session["other_users"][0]["device"]["key"],
        alice_device.as_str()
    );

    // Alice again, by email: her device is found and used; bob's is kept in turn.
    assert_eq!(sign_in_as("alice@example.com"), (true, None));
    let session = env.session();
    assert_eq!(session["device"]["key"], alice_device.as_str());
    assert_eq!(
        session["other_users"][0]["device"]["key"],
        bob_device.as_str()
    );
    assert_eq!(sign_in_as("bob"), (true, None));
}

#[test]
fn cleartext_endpoints_off_the_machine_need_the_flag_and_are_warned_about() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    // A documentation address (TEST-NET-1): nothing is ever sent there.
    let remote = "http://192.0.2.1:9/";
    let at = |endpoint: &str, flag: bool| {
        let mut cmd = env.bare();
        cmd.args(["--endpoint", endpoint, "--pool-id", POOL_ID])
            .args(["--client-id", CLIENT_ID, "--session-file"])
            .arg(env.session_file());
        if flag {
            cmd.arg("--danger-allow-cleartext-http");
        }
        let out = cmd.arg("get-user").output().unwrap();
        (out.status.code(), String::from_utf8(out.stderr).unwrap())
    };

    // Refused without the flag, naming the URL, the reason and the flag.
    let (code, stderr) = at(remote, false);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains(remote), "{stderr}");
    assert!(stderr.contains("cleartext"), "{stderr}");
    assert!(stderr.contains("--danger-allow-cleartext-http"), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");

    // With it: a warning, then the command goes on (here it stops before any request: nobody
    // is signed in).
    let (code, stderr) = at(remote, true);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("warning"), "{stderr}");
    assert!(stderr.contains("without TLS"), "{stderr}");
    assert!(stderr.contains(remote), "{stderr}");
    assert!(stderr.contains("not signed in"), "{stderr}");

    // No flag makes another scheme acceptable.
    let (code, stderr) = at("ftp://127.0.0.1/", true);
    assert_eq!(code, Some(4), "{stderr}");
    assert!(stderr.contains("ftp"), "{stderr}");

    // Cleartext to loopback (the emulator) needs no flag and is not warned about.
    let out = env.run(&["sign-in", "--username", "alice", "--password", PASSWORD]);
    assert_success(&out);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("warning"), "{stderr}");
    // The flag changes nothing for loopback: still no warning.
    let out = env.run(&["--danger-allow-cleartext-http", "get-user"]);
    assert_success(&out);
    assert!(!String::from_utf8(out.stderr).unwrap().contains("warning"));
    // --help says what the flag does.
    let out = env.bare().arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(help.contains("--danger-allow-cleartext-http"), "{help}");
}

#[test]
fn cleartext_never_goes_through_a_proxy_from_the_environment() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    // A "proxy" that answers everything itself and counts what it was sent.
    let proxy = CannedServer::fixed(canned::response(502, &[], b"bad gateway")).unwrap();
    let mut cmd = env.cmd(&["sign-in", "--username", "alice", "--password", PASSWORD]);
    for name in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        cmd.env(name, proxy.url());
    }
    for name in ["NO_PROXY", "no_proxy"] {
        cmd.env_remove(name);
    }
    let out = cmd.output().unwrap();
    assert_success(&out);
    assert_eq!(proxy.hits(), 0, "the request went through the proxy");
    assert_eq!(
        env.ops(),
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );
}

/// `cognito credentials` against the emulator's identity pool: the signed-in user's identity and
/// credentials (well-formed, the `credential_process` shape), kept in the session so a second run
/// sends nothing; a guest gets another identity; `--force-refresh` renews without a new `GetId`.
#[test]
fn credentials_from_the_emulators_identity_pool() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    let identity_pool = with_pool(&env.server, |pool| {
        pool.add_identity_pool(IdentityPoolOptions {
            id: None,
            allow_unauthenticated: true,
            client_ids: vec![CLIENT_ID.to_owned()],
        })
    });
    env.sign_in(&[]);
    let url = env.server.url();
    let credentials = |extra: &[&str]| {
        let mut args = vec![
            "credentials",
            "--identity-pool-id",
            &identity_pool,
            "--identity-endpoint",
            &url,
        ];
        args.extend_from_slice(extra);
        env.json(&args)
    };
    let identity_ops = || {
        with_pool(&env.server, |pool| {
            pool.identity_requests()
                .iter()
                .map(|r| r.operation.clone())
                .collect::<Vec<_>>()
        })
    };

    let first = credentials(&[]);
    assert_eq!(first["Version"], 1);
    let key = first["AccessKeyId"].as_str().unwrap().to_owned();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    assert_eq!(first["SecretAccessKey"].as_str().unwrap().len(), 40);
    assert!(!first["SessionToken"].as_str().unwrap().is_empty());
    assert!(first["Expiration"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        identity_ops(),
        ["GetId", "GetCredentialsForIdentity"],
        "the first run names the identity, then asks for its credentials"
    );
    let identities = with_pool(&env.server, |pool| pool.identities(&identity_pool));
    assert_eq!(identities.len(), 1);
    let sub = with_pool(&env.server, |pool| pool.user_sub("alice").unwrap());
    assert_eq!(identities[0].sub.as_deref(), Some(sub.as_str()));

    // Kept in the session: the same keys, no request.
    assert_eq!(credentials(&[]), first);
    assert_eq!(identity_ops().len(), 2);

    // Forced: new keys for the same identity, no second GetId.
    let renewed = credentials(&["--force-refresh"]);
    assert_ne!(renewed["AccessKeyId"], first["AccessKeyId"]);
    assert_eq!(
        identity_ops()[2..],
        ["GetCredentialsForIdentity"],
        "a forced renewal keeps the identity"
    );

    // A guest: an identity of its own, without a user.
    let guest = credentials(&["--guest", "--format", "json"]);
    let guest_id = guest["IdentityId"].as_str().unwrap();
    assert_ne!(guest_id, identities[0].identity_id);
    let guest_info = with_pool(&env.server, |pool| pool.identity(guest_id)).unwrap();
    assert_eq!(guest_info.sub, None);
}

/// `cognito verify-token` on the emulator's own tokens, its key set fetched from the emulator
/// (`--endpoint`): the access and ID tokens of a sign-in print their claims, before and after the
/// pool switches to the updated issuer; the wrong use, and a token of another app client, exit 1
/// with the reason.
#[test]
fn verify_token_checks_the_emulators_tokens() {
    let env = Env::new(with_alice(pool(DeviceTracking::Off, None)), None);
    let signed_in = env.sign_in(&[]);
    let result = &signed_in["AuthenticationResult"];
    let access = result["AccessToken"].as_str().unwrap();
    let id = result["IdToken"].as_str().unwrap();

    let claims = env.json(&["verify-token", "--token-use", "access", access]);
    assert_eq!(claims["username"], "alice");
    assert_eq!(claims["client_id"], CLIENT_ID);
    assert_eq!(
        claims["iss"],
        format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}")
    );
    let claims = env.json(&["verify-token", "--token-use", "id", id]);
    assert_eq!(claims["email"], "alice@example.com");

    let stderr = env.fail(&["verify-token", "--token-use", "id", access], 1);
    assert!(stderr.contains("wrong token use"), "{stderr}");

    // The pool switched to the updated issuer: its new tokens name it and verify, and the
    // tokens issued before the switch still do.
    with_pool(&env.server, |pool| {
        pool.set_issuer_format(IssuerFormat::Updated)
    });
    let again = env.sign_in(&[]);
    let updated = again["AuthenticationResult"]["AccessToken"]
        .as_str()
        .unwrap();
    let claims = env.json(&["verify-token", "--token-use", "access", updated]);
    assert_eq!(
        claims["iss"],
        format!("https://issuer-cognito-idp.us-east-1.amazonaws.com/{POOL_ID}")
    );
    env.json(&["verify-token", "--token-use", "access", access]);

    let mut other_client = env.cmd(&["verify-token", access]);
    other_client.args(["--client-id", "someotherclient0000000000"]);
    let out = other_client.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("client"), "{stderr}");
    assert!(out.stdout.is_empty());
}
