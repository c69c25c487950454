//! The `cognito-emulator` binary over TLS: `--tls-test-ca-out` (a generated PKI, its root written
//! out), `--tls-test-cert` (one of its bad certificates), `--tls-cert` / `--tls-key` (PEM files)
//! and `--tls-version`, each checked end to end with a verifying rustls client.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::Duration;

use cognito_tests::pki::SERVER_NAMES;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use rustls::version::{TLS12, TLS13};
use rustls::{CertificateError, ProtocolVersion};

use super::binary::{Running, listening_url};
use super::tls::{client_config, cognito_request, connect, exchange, password_auth, pki};

const TIMEOUT: Duration = Duration::from_secs(60);

/// A fresh directory under the target's temporary directory for `test`.
fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("tls-binary-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the emulator with `tls_args` (and a pool with alice), waits for its line and returns
/// the process, its address and the lines of its stderr as they come.
fn start(tls_args: &[&str]) -> (Running, SocketAddr, mpsc::Receiver<String>) {
    let args = [
        &[
            "--pool-id",
            "us-east-1_TestPool1",
            "--client-id",
            "testclient",
            "--user",
            "alice:Sup3r:Secret!",
            "--fixed-clock",
        ],
        tls_args,
    ]
    .concat();
    let (mut running, lines) = Running::start(&args, 1, TIMEOUT);
    let stderr = running.take_stderr();
    let (log_tx, log) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let Ok(line) = line else { return };
            if log_tx.send(line).is_err() {
                return;
            }
        }
    });
    let url = listening_url(&lines[0]);
    assert!(
        url.starts_with("https://127.0.0.1:") && url.ends_with('/'),
        "{url}"
    );
    let addr = url
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    (running, addr, log)
}

/// The certificates of a PEM file.
fn read_pem(path: &Path) -> Vec<Vec<u8>> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .map(|cert| cert.unwrap().to_vec())
        .collect()
}

/// What the emulator logged until a line containing `until` (which is the last line).
fn log_until(log: &mpsc::Receiver<String>, until: &str) -> String {
    let mut lines = String::new();
    loop {
        let line = log
            .recv_timeout(TIMEOUT)
            .unwrap_or_else(|e| panic!("{e}: no {until:?} in {lines}"));
        lines.push_str(&line);
        lines.push('\n');
        if line.contains(until) {
            return lines;
        }
    }
}

#[test]
fn the_binary_serves_a_test_pki_and_writes_its_root() {
    let dir = scratch("ca-out");
    let ca = dir.join("ca.pem");
    let (running, addr, log) = start(&["--tls-test-ca-out", ca.to_str().unwrap()]);
    // The root was written before the line was printed: one self-signed CA.
    let roots = read_pem(&ca);
    assert_eq!(roots.len(), 1);
    let root = roots[0].as_slice();
    let config = client_config(&[root], &[&TLS13, &TLS12]);
    for name in SERVER_NAMES {
        let mut tls = connect(addr, name, &config).unwrap();
        assert_eq!(tls.conn.protocol_version(), Some(ProtocolVersion::TLSv1_3));
        let alice = password_auth("alice", "Sup3r:Secret!", "testclient");
        let reply = exchange(&mut tls, &cognito_request("InitiateAuth", &alice, false)).unwrap();
        assert_eq!(reply.status, 200, "{reply:?}");
        assert!(reply.body.contains("AccessToken"), "{reply:?}");
        assert_eq!(reply.header("date"), Some("Thu, 01 Jan 2026 00:00:00 GMT"));
        let reply = exchange(
            &mut tls,
            "GET /_emulator/time HTTP/1.1\r\nHost: localhost\r\n\r\n",
        )
        .unwrap();
        assert_eq!(reply.body, r#"{"now":1767225600}"#);
    }
    // A client that trusts another root refuses it; the emulator logs the failed handshake.
    let other = client_config(&[&pki().other_root.der], &[&TLS13, &TLS12]);
    let error = connect(addr, "localhost", &other).map(|_| ()).unwrap_err();
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{error:?}"
    );
    let log = log_until(&log, "TLS handshake with 127.0.0.1:");
    assert!(log.contains("InitiateAuth -> 200"), "{log}");
    assert!(log.contains("UnknownCA"), "{log}");
    assert!(!log.contains("Sup3r"), "{log}");
    drop(running);
}

#[test]
fn the_binary_serves_a_bad_test_certificate_on_request() {
    let dir = scratch("bad-cert");
    let ca = dir.join("ca.pem");
    let (running, addr, _log) = start(&[
        "--tls-test-ca-out",
        ca.to_str().unwrap(),
        "--tls-test-cert",
        "expired",
    ]);
    let config = client_config(&[&read_pem(&ca)[0]], &[&TLS13, &TLS12]);
    let error = connect(addr, "localhost", &config).map(|_| ()).unwrap_err();
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::ExpiredContext { .. })
        ),
        "{error:?}"
    );
    drop(running);
}

#[test]
fn the_binary_serves_pem_files_at_one_version() {
    let dir = scratch("pem-files");
    let (cert, key) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&cert, pki().server.chain_pem()).unwrap();
    std::fs::write(&key, &pki().leaf_key.pem).unwrap();
    let (running, addr, _log) = start(&[
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
        "--tls-version",
        "1.2",
    ]);
    let config = client_config(&[&pki().root.der], &[&TLS13, &TLS12]);
    let mut tls = connect(addr, "localhost", &config).unwrap();
    assert_eq!(tls.conn.protocol_version(), Some(ProtocolVersion::TLSv1_2));
    let reply = exchange(
        &mut tls,
        "GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    )
    .unwrap();
    assert_eq!(reply.body, r#"{"ok":true}"#);
    drop(running);
}

#[test]
fn the_binary_refuses_unusable_tls_flags() {
    let dir = scratch("bad-flags");
    let (cert, key) = (dir.join("chain.pem"), dir.join("key.pem"));
    std::fs::write(&cert, pki().server.chain_pem()).unwrap();
    // Not a key.
    std::fs::write(&key, pki().root.pem.as_bytes()).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
            .args(["--pool-id", "us-east-1_TestPool1", "--client-id", "c"])
            .args(args)
            .output()
            .unwrap()
    };
    let (cert, key) = (cert.to_str().unwrap(), key.to_str().unwrap());
    let missing = dir.join("missing.pem");
    for (args, message) in [
        (
            &["--tls-cert", cert, "--tls-key", key][..],
            "cannot use --tls-cert / --tls-key",
        ),
        (
            &["--tls-cert", missing.to_str().unwrap(), "--tls-key", key][..],
            "missing.pem",
        ),
        (&["--tls-cert", cert][..], "--tls-key"),
        (&["--tls-test-cert", "expired"][..], "--tls-test-ca-out"),
        (
            &[
                "--tls-cert",
                cert,
                "--tls-key",
                key,
                "--tls-test-ca-out",
                "x",
            ][..],
            "cannot be used with",
        ),
    ] {
        let output = run(args);
        assert!(!output.status.success(), "{args:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
