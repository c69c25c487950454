//! The `embassy_host` example end to end: the firmware client over its verifying TLS, run as a
//! process against the emulator served over TLS in this test (the test PKI's server identity; its
//! root written to a CA file): a sign-in that prints token lengths only, an MFA code read from
//! standard input (a wrong one first), a wrong password (exit 1, the exception on stderr), a CA
//! file the server does not chain to (exit 4, the refusal's reason), and a device remembered in
//! the device file on the first run that signs in with device SRP on the second.
//!
//! The example binary is the one `cargo test` builds beside this test (it builds the package's
//! examples); when it is missing or older than the example's source (say, after
//! `cargo test --test embassy_host` alone), the test builds it first with `cargo build`.

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
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use cognito_tests::fixtures::{
    operations, operations_and_flows, pool_with_client, totp_now, wrong_code,
};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pki::{TestCert, TestPki};
use cognito_tests::pool::{DeviceTracking, MfaConfiguration, MfaMode, UserPool};
use serde_json::Value;

const POOL_ID: &str = "eu-west-1_HostPool";
const CLIENT_ID: &str = "hostclient000000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
/// How long one run of the example may take.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// The test PKI, made once (RSA key generation takes seconds).
fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate().unwrap())
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// A directory of this test's own under the target's temporary directory, empty.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("embassy_host")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `cert`'s PEM in `dir`, as a CA file.
fn ca_file(dir: &Path, cert: &TestCert) -> PathBuf {
    let path = dir.join("ca.pem");
    std::fs::write(&path, &cert.pem).unwrap();
    path
}

/// A pool with the user "sensor".
fn pool(seed: u64, tracking: DeviceTracking) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, tracking);
    pool.add_user("sensor", PASSWORD);
    pool.set_time(unix_now());
    pool
}

/// The emulator over TLS with the test PKI's server certificate (localhost, 127.0.0.1).
fn emulator(pool: UserPool) -> EmulatorServer {
    EmulatorServer::start_tls(
        pool,
        "127.0.0.1:0",
        pki().server.tls_identity(),
        EmulatorOptions::default(),
    )
    .unwrap()
}

/// The modification time of `path`, if it exists.
fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The example's binary: beside this test's (`target/<profile>/examples/`), built first when it
/// is missing or older than its source.
fn example_binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let exe = std::env::current_exe().unwrap();
        // target/<profile>/deps/embassy_host-HASH → target/<profile>
        let profile_dir = exe.parent().and_then(Path::parent).unwrap().to_owned();
        let binary = profile_dir
            .join("examples")
            .join(format!("embassy_host{}", std::env::consts::EXE_SUFFIX));
        let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/embassy_host.rs");
        let fresh = matches!(
            (modified(&binary), modified(&source)),
            (Some(built), Some(written)) if built >= written
        );
        if !fresh {
            let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
            let mut build = Command::new(cargo);
            build.current_dir(env!("CARGO_MANIFEST_DIR")).args([
                "build",
                "-q",
                "-p",
                "cognito-examples",
                "--example",
                "embassy_host",
            ]);
            if profile_dir
                .file_name()
                .is_some_and(|name| name == "release")
            {
                build.arg("--release");
            }
            if let Some(target_dir) = profile_dir.parent() {
                build.env("CARGO_TARGET_DIR", target_dir);
            }
            let status = build.status().unwrap();
            assert!(status.success(), "building the example failed: {status}");
        }
        assert!(binary.exists(), "no example binary at {}", binary.display());
        binary
    })
}

/// What one run of the example did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// The JSON object it printed.
    fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// Runs the example with `args`, `stdin` on its standard input, within [`RUN_LIMIT`].
fn run(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(example_binary())
        .args(args)
        .env_remove("COGNITO_PASSWORD")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // The example may stop before reading it all.
    let _ = input.write_all(stdin.as_bytes());
    drop(input);
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > RUN_LIMIT {
            let _ = child.kill();
            break;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

/// The arguments of a sign-in to `server` as "sensor" with `password`, trusting `ca`.
fn sign_in_args(server: &EmulatorServer, ca: &Path, password: &str) -> Vec<String> {
    [
        "--endpoint",
        &server.url(),
        "--ca-file",
        ca.to_str().unwrap(),
        "--pool-id",
        POOL_ID,
        "--client-id",
        CLIENT_ID,
        "--username",
        "sensor",
        "--password",
        password,
    ]
    .map(str::to_owned)
    .to_vec()
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

#[test]
fn signs_in_over_verified_tls_and_prints_the_token_lengths_only() {
    let dir = scratch("signs_in");
    let ca = ca_file(&dir, &pki().root);
    let server = emulator(pool(1, DeviceTracking::Off));
    let run = run(&strs(&sign_in_args(&server, &ca, PASSWORD)), "");
    assert_eq!(run.code, Some(0), "{run:?}");
    let out = run.json();
    for field in [
        "AccessTokenLength",
        "IdTokenLength",
        "RefreshTokenLength",
        "ExpiresIn",
    ] {
        assert!(out[field].as_u64().is_some_and(|n| n > 0), "{field}: {out}");
    }
    assert!(out.get("DeviceSrp").is_none(), "{out}");
    assert!(out.get("NewDeviceMetadata").is_none(), "{out}");
    // No token text: the JWTs' `eyJ` and the refresh token are nowhere in the output.
    assert!(
        !run.stdout.contains("eyJ") && !run.stderr.contains("eyJ"),
        "{run:?}"
    );
    assert_eq!(run.stdout.trim().lines().count(), 1, "{run:?}");
    assert_eq!(
        operations_and_flows(&server),
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER"
        ]
    );
}

#[test]
fn an_mfa_code_is_read_from_standard_input_and_a_refused_one_asked_again() {
    let dir = scratch("mfa");
    let ca = ca_file(&dir, &pki().root);
    let mut pool = pool(2, DeviceTracking::Off);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: false,
        software_token: true,
        email: false,
    });
    let secret = pool.enable_totp("sensor").unwrap();
    let server = emulator(pool);
    // The emulator accepts the codes of the neighbouring 30-second steps too.
    let code = totp_now(&server, &secret).unwrap();
    let stdin = format!("{}\n{code}\n", wrong_code(&code));
    let run = run(&strs(&sign_in_args(&server, &ca, PASSWORD)), &stdin);
    assert_eq!(run.code, Some(0), "{run:?}");
    assert!(
        run.json()["AccessTokenLength"].as_u64().is_some(),
        "{run:?}"
    );
    assert_eq!(
        run.stderr.matches("SOFTWARE_TOKEN_MFA code").count(),
        2,
        "{run:?}"
    );
    assert!(run.stderr.contains("CodeMismatchException"), "{run:?}");
    assert!(
        !run.stderr.contains(&code),
        "the code is not echoed: {run:?}"
    );
    assert_eq!(
        operations_and_flows(&server),
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
            "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
        ]
    );
}

#[test]
fn a_wrong_password_exits_1_with_the_exception() {
    let dir = scratch("wrong_password");
    let ca = ca_file(&dir, &pki().root);
    let server = emulator(pool(3, DeviceTracking::Off));
    let run = run(&strs(&sign_in_args(&server, &ca, "Wr0ng-Horse!")), "");
    assert_eq!(run.code, Some(1), "{run:?}");
    assert!(run.stderr.contains("NotAuthorizedException"), "{run:?}");
    assert!(run.stdout.is_empty(), "{run:?}");
}

#[test]
fn a_ca_file_the_server_does_not_chain_to_exits_4_with_the_reason() {
    let dir = scratch("other_root");
    let ca = ca_file(&dir, &pki().other_root);
    let server = emulator(pool(4, DeviceTracking::Off));
    let run = run(&strs(&sign_in_args(&server, &ca, PASSWORD)), "");
    assert_eq!(run.code, Some(4), "{run:?}");
    assert!(
        run.stderr
            .contains("certificate refused: no path to a trusted root"),
        "{run:?}"
    );
    assert!(run.stdout.is_empty(), "{run:?}");
    // Refused in the handshake: no request reached the pool.
    assert!(operations(&server).is_empty());
}

#[test]
fn a_remembered_device_is_kept_in_the_device_file_and_signs_in_with_device_srp() {
    let dir = scratch("device");
    let ca = ca_file(&dir, &pki().root);
    let device_file = dir.join("flash.bin");
    let server = emulator(pool(5, DeviceTracking::Always));
    let mut args = sign_in_args(&server, &ca, PASSWORD);
    args.extend(
        [
            "--device-file",
            device_file.to_str().unwrap(),
            "--remember-device",
        ]
        .map(str::to_owned),
    );

    let first = run(&strs(&args), "");
    assert_eq!(first.code, Some(0), "{first:?}");
    let out = first.json();
    let key = out["NewDeviceMetadata"]["DeviceKey"].as_str().unwrap();
    assert!(key.starts_with("eu-west-1_"), "{out}");
    assert!(
        out["NewDeviceMetadata"]["DeviceGroupKey"]
            .as_str()
            .is_some(),
        "{out}"
    );
    assert_eq!(out["DeviceRemembered"], true, "{out}");
    assert!(out.get("DeviceSrp").is_none(), "{out}");
    assert_eq!(std::fs::metadata(&device_file).unwrap().len(), 16384);

    let second = run(&strs(&args), "");
    assert_eq!(second.code, Some(0), "{second:?}");
    let out = second.json();
    assert_eq!(out["DeviceSrp"], true, "{out}");
    assert!(out.get("NewDeviceMetadata").is_none(), "{out}");
    assert_eq!(
        operations_and_flows(&server),
        [
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "ConfirmDevice",
            "InitiateAuth USER_SRP_AUTH",
            "RespondToAuthChallenge PASSWORD_VERIFIER",
            "RespondToAuthChallenge DEVICE_SRP_AUTH",
            "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        ]
    );
}

#[test]
fn usage_errors_exit_2() {
    let base = [
        "--pool-id",
        POOL_ID,
        "--client-id",
        CLIENT_ID,
        "--username",
        "sensor",
        "--password",
        PASSWORD,
    ];
    let mut plaintext = base.to_vec();
    plaintext.extend(["--endpoint", "http://127.0.0.1:9229/"]);
    let run_plain = run(&plaintext, "");
    assert_eq!(run_plain.code, Some(2), "{run_plain:?}");
    assert!(
        run_plain.stderr.contains("plain http is refused"),
        "{run_plain:?}"
    );

    let mut no_file = base.to_vec();
    no_file.push("--remember-device");
    let run_no_file = run(&no_file, "");
    assert_eq!(run_no_file.code, Some(2), "{run_no_file:?}");
    assert!(
        run_no_file.stderr.contains("--device-file"),
        "{run_no_file:?}"
    );

    let run_missing = run(&base[..4], "");
    assert_eq!(run_missing.code, Some(2), "{run_missing:?}");
    assert!(
        run_missing.stderr.contains("--username is required"),
        "{run_missing:?}"
    );
}
