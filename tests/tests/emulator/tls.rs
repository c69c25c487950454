//! The emulator over TLS (`EmulatorServer::start_tls`, `ScriptedServer::start_tls`) with the
//! test PKI (`cognito_tests::pki`), against a std rustls client (ring) that trusts the test
//! root: Cognito requests over TLS 1.2 and 1.3 with keep-alive, and the refusal of every bad
//! certificate, with the error rustls reports for each.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use cognito_tests::fixtures::{Act, ScriptedServer, operations, pool_with_client};
use cognito_tests::http::{EmulatorOptions, EmulatorServer, TlsIdentity, TlsOptions, TlsVersions};
use cognito_tests::pki::{BadCert, SERVER_NAMES, TestPki};
use cognito_tests::pool::{DEFAULT_TIME, DeviceTracking, UserPool};
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::version::{TLS12, TLS13};
use rustls::{
    CertificateError, ClientConfig, ClientConnection, ProtocolVersion, RootCertStore, StreamOwned,
    SupportedProtocolVersion,
};

const POOL_ID: &str = "us-east-1_TlsPool01";
const CLIENT_ID: &str = "tlsclient";
const PASSWORD: &str = "Corr3ct-Horse!";
const TIMEOUT: Duration = Duration::from_secs(30);

/// The PKI every test shares (generating one takes seconds).
pub(crate) fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate().unwrap())
}

fn pool() -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, 1, None, DeviceTracking::Off);
    pool.set_time(DEFAULT_TIME);
    pool.add_user("alice", PASSWORD);
    pool
}

fn serve(tls: impl Into<TlsOptions>) -> EmulatorServer {
    EmulatorServer::start_tls(pool(), "127.0.0.1:0", tls, EmulatorOptions::fixed_clock()).unwrap()
}

/// A verifying rustls client configuration (ring) that trusts `roots` and speaks `versions`.
pub(crate) fn client_config(
    roots: &[&[u8]],
    versions: &[&'static SupportedProtocolVersion],
) -> Arc<ClientConfig> {
    let mut store = RootCertStore::empty();
    for root in roots {
        store.add(CertificateDer::from(root.to_vec())).unwrap();
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(versions)
            .unwrap()
            .with_root_certificates(store)
            .with_no_client_auth(),
    )
}

/// The client that trusts the test root only, any version.
fn trusting_client() -> Arc<ClientConfig> {
    client_config(&[&pki().root.der], &[&TLS13, &TLS12])
}

type Tls = StreamOwned<ClientConnection, TcpStream>;

/// Connects to `addr` as `name` and completes the handshake; the rustls error if it fails.
pub(crate) fn connect(
    addr: SocketAddr,
    name: &str,
    config: &Arc<ClientConfig>,
) -> Result<Tls, rustls::Error> {
    let sock = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    sock.set_read_timeout(Some(TIMEOUT)).unwrap();
    sock.set_write_timeout(Some(TIMEOUT)).unwrap();
    let name = ServerName::try_from(name.to_owned()).unwrap();
    let conn = ClientConnection::new(Arc::clone(config), name).unwrap();
    let mut tls = StreamOwned::new(conn, sock);
    while tls.conn.is_handshaking() {
        if let Err(e) = tls.conn.complete_io(&mut tls.sock) {
            return Err(rustls_error(&e));
        }
    }
    Ok(tls)
}

/// The rustls error inside an I/O error (rustls reports its errors as `InvalidData`).
fn rustls_error(e: &std::io::Error) -> rustls::Error {
    e.get_ref()
        .and_then(|inner| inner.downcast_ref::<rustls::Error>())
        .cloned()
        .unwrap_or_else(|| panic!("not a rustls error: {e:?}"))
}

/// A reply: status, headers (lowercase names) and body.
#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Reply {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Sends `request` and reads one reply (with `Content-Length`).
pub(crate) fn exchange(tls: &mut Tls, request: &str) -> std::io::Result<Reply> {
    tls.write_all(request.as_bytes())?;
    tls.flush()?;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let mut headers = [httparse::EMPTY_HEADER; 32];
        let mut response = httparse::Response::new(&mut headers);
        if let httparse::Status::Complete(len) = response.parse(&buf).unwrap() {
            let headers: Vec<(String, String)> = response
                .headers
                .iter()
                .map(|h| {
                    (
                        h.name.to_ascii_lowercase(),
                        String::from_utf8(h.value.to_vec()).unwrap(),
                    )
                })
                .collect();
            let status = response.code.unwrap();
            let body_len: usize = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .map(|(_, v)| v.parse().unwrap())
                .unwrap();
            while buf.len() < len + body_len {
                let n = tls.read(&mut chunk)?;
                assert_ne!(n, 0, "the connection ended inside the body");
                buf.extend_from_slice(&chunk[..n]);
            }
            assert_eq!(buf.len(), len + body_len, "more than one reply");
            let body = String::from_utf8(buf[len..].to_vec()).unwrap();
            return Ok(Reply {
                status,
                headers,
                body,
            });
        }
        let n = tls.read(&mut chunk)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// A Cognito request (`POST /`) of `operation` with `body`; `close` adds `Connection: close`.
pub(crate) fn cognito_request(operation: &str, body: &str, close: bool) -> String {
    let connection = if close { "Connection: close\r\n" } else { "" };
    format!(
        "POST / HTTP/1.1\r\nHost: localhost\r\n{connection}Content-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// `InitiateAuth` with USER_PASSWORD_AUTH for `user` and `password`.
pub(crate) fn password_auth(user: &str, password: &str, client_id: &str) -> String {
    format!(
        r#"{{"AuthFlow":"USER_PASSWORD_AUTH","ClientId":"{client_id}","AuthParameters":{{"USERNAME":"{user}","PASSWORD":"{password}"}}}}"#
    )
}

/// Two Cognito requests and a test endpoint on one connection, then `Connection: close`, which
/// ends with `close_notify` (a clean end of the TLS stream). Returns the negotiated version.
fn sign_in_twice_on_one_connection(
    addr: SocketAddr,
    config: &Arc<ClientConfig>,
) -> ProtocolVersion {
    let mut tls = connect(addr, "localhost", config).unwrap();
    let version = tls.conn.protocol_version().unwrap();
    assert_eq!(tls.conn.alpn_protocol(), None, "the client offered no ALPN");

    // An unknown user: the pool's error, as Cognito sends it.
    let unknown = password_auth("nobody", PASSWORD, CLIENT_ID);
    let reply = exchange(&mut tls, &cognito_request("InitiateAuth", &unknown, false)).unwrap();
    assert_eq!(reply.status, 400, "{reply:?}");
    assert_eq!(
        reply.header("x-amzn-errortype"),
        Some("UserNotFoundException:"),
        "{reply:?}"
    );
    assert!(reply.body.contains("UserNotFoundException"), "{reply:?}");
    assert_eq!(
        reply.header("date"),
        Some("Thu, 01 Jan 2026 00:00:00 GMT"),
        "the emulator clock"
    );
    assert!(reply.header("x-amzn-requestid").is_some(), "{reply:?}");
    assert_eq!(reply.header("connection"), None, "kept alive");

    // The same connection: alice signs in.
    let alice = password_auth("alice", PASSWORD, CLIENT_ID);
    let reply = exchange(&mut tls, &cognito_request("InitiateAuth", &alice, false)).unwrap();
    assert_eq!(reply.status, 200, "{reply:?}");
    assert!(reply.body.contains("AccessToken"), "{reply:?}");

    // A test endpoint, and the last request closes.
    let reply = exchange(
        &mut tls,
        "GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    )
    .unwrap();
    assert_eq!((reply.status, reply.body.as_str()), (200, r#"{"ok":true}"#));
    assert_eq!(reply.header("connection"), Some("close"));
    let mut rest = Vec::new();
    // Ok (not UnexpectedEof): the server sent close_notify before closing.
    tls.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    version
}

#[test]
fn cognito_over_tls_1_2_and_1_3_with_keep_alive() {
    let server = serve(pki().server.tls_identity());
    assert!(
        server.url().starts_with("https://127.0.0.1:"),
        "{}",
        server.url()
    );
    assert!(server.is_tls());
    let root = pki().root.der.as_slice();
    for (client, expected) in [
        (&[&TLS12][..], ProtocolVersion::TLSv1_2),
        (&[&TLS13][..], ProtocolVersion::TLSv1_3),
        (&[&TLS13, &TLS12][..], ProtocolVersion::TLSv1_3),
    ] {
        let config = client_config(&[root], client);
        let version = sign_in_twice_on_one_connection(server.addr(), &config);
        assert_eq!(version, expected);
    }
    assert_eq!(
        operations(&server),
        ["InitiateAuth"; 6],
        "each connection sent its two Cognito requests"
    );
}

#[test]
fn the_server_can_be_held_to_one_version() {
    let root = pki().root.der.as_slice();
    for (versions, client, expected) in [
        (
            TlsVersions::Tls12Only,
            &[&TLS13, &TLS12][..],
            Some(ProtocolVersion::TLSv1_2),
        ),
        (
            TlsVersions::Tls13Only,
            &[&TLS13, &TLS12][..],
            Some(ProtocolVersion::TLSv1_3),
        ),
        (TlsVersions::Tls12Only, &[&TLS13][..], None),
        (TlsVersions::Tls13Only, &[&TLS12][..], None),
    ] {
        let server = serve(TlsOptions {
            identity: pki().server.tls_identity(),
            versions,
        });
        let config = client_config(&[root], client);
        match (connect(server.addr(), "localhost", &config), expected) {
            (Ok(tls), Some(expected)) => {
                assert_eq!(tls.conn.protocol_version(), Some(expected), "{versions:?}");
            }
            // No common version: the server's alert.
            (Err(e), None) => assert!(
                matches!(
                    e,
                    rustls::Error::AlertReceived(rustls::AlertDescription::ProtocolVersion)
                ),
                "{versions:?}: {e:?}"
            ),
            (other, _) => panic!("{versions:?} with {client:?}: {:?}", other.map(|_| ())),
        }
    }
}

#[test]
fn the_address_and_pipelined_requests_work_too() {
    let server = serve(pki().server.tls_identity());
    // 127.0.0.1 is an IP address SAN of the leaf.
    let mut tls = connect(server.addr(), "127.0.0.1", &trusting_client()).unwrap();
    // Two requests in one write: two replies, in order.
    let alice = password_auth("alice", PASSWORD, CLIENT_ID);
    let unknown = password_auth("nobody", PASSWORD, CLIENT_ID);
    let both = cognito_request("InitiateAuth", &alice, false)
        + &cognito_request("InitiateAuth", &unknown, true);
    tls.write_all(both.as_bytes()).unwrap();
    let mut out = String::new();
    tls.read_to_string(&mut out).unwrap();
    let ok = out.find("HTTP/1.1 200 OK\r\n").unwrap();
    let refused = out.find("HTTP/1.1 400 ").unwrap();
    assert!(ok == 0 && refused > ok, "{out}");
}

/// What rustls reports for each bad certificate when the client connects to `name`, checked:
/// see `cognito_tests::pki::BadCert`.
fn expected_refusal(which: BadCert, name: &str, error: &rustls::Error) -> bool {
    use rustls::Error::InvalidCertificate as Invalid;
    match which {
        BadCert::UntrustedRoot => matches!(error, Invalid(CertificateError::UnknownIssuer)),
        BadCert::ImpostorRoot => matches!(error, Invalid(CertificateError::BadSignature)),
        BadCert::WrongHost => matches!(
            error,
            Invalid(CertificateError::NotValidForNameContext { expected, presented })
                if expected == &ServerName::try_from(name).unwrap()
                    && presented == &["DnsName(\"wrong.example\")".to_owned()]
        ),
        BadCert::Expired => matches!(
            error,
            Invalid(CertificateError::ExpiredContext { time, not_after })
                if time.as_secs() > not_after.as_secs()
        ),
        BadCert::NotYetValid => matches!(
            error,
            Invalid(CertificateError::NotValidYetContext { time, not_before })
                if time.as_secs() < not_before.as_secs()
        ),
        // webpki's EndEntityUsedAsCa, which rustls passes on as `Other`.
        BadCert::NonCaIssuer => {
            matches!(error, Invalid(CertificateError::Other(other))
                if format!("{other:?}").contains("EndEntityUsedAsCa"))
        }
    }
}

#[test]
fn every_bad_certificate_is_refused_with_its_error() {
    let config = trusting_client();
    for which in BadCert::ALL {
        let server = serve(pki().bad(which).tls_identity());
        for name in SERVER_NAMES {
            let error = connect(server.addr(), name, &config)
                .map(|_| ())
                .expect_err(which.name());
            assert!(
                expected_refusal(which, name, &error),
                "{}: {name}: {error:?}",
                which.name()
            );
        }
        // No request reached the pool.
        assert!(operations(&server).is_empty(), "{}", which.name());
    }
}

#[test]
fn a_chain_without_its_intermediate_is_refused() {
    let leaf_only = TlsIdentity {
        chain_der: vec![pki().server.chain[0].der.clone()],
        key_der: pki().leaf_key.der.clone(),
    };
    let server = serve(leaf_only);
    let error = connect(server.addr(), "localhost", &trusting_client())
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(
            error,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer)
        ),
        "{error:?}"
    );
    // A client that trusts the intermediate itself accepts it (a trust anchor needs no root).
    let config = client_config(&[&pki().intermediate.der], &[&TLS13, &TLS12]);
    connect(server.addr(), "localhost", &config).unwrap();
}

#[test]
fn webpki_accepts_an_intermediate_without_key_cert_sign() {
    // RFC 5280 forbids it; webpki decides by basicConstraints alone (see the pki docs).
    let server = serve(pki().intermediate_without_cert_sign.tls_identity());
    let mut tls = connect(server.addr(), "localhost", &trusting_client()).unwrap();
    let alice = password_auth("alice", PASSWORD, CLIENT_ID);
    let reply = exchange(&mut tls, &cognito_request("InitiateAuth", &alice, true)).unwrap();
    assert_eq!(reply.status, 200, "{reply:?}");
}

#[test]
fn the_wildcard_covers_one_label() {
    let server = serve(pki().wildcard.tls_identity());
    let config = trusting_client();
    let mut tls = connect(server.addr(), "a.test.local", &config).unwrap();
    let reply = exchange(
        &mut tls,
        "GET /_emulator/health HTTP/1.1\r\nHost: a.test.local\r\n\r\n",
    )
    .unwrap();
    assert_eq!(reply.status, 200);
    for name in ["a.b.test.local", "test.local", "localhost"] {
        let error = connect(server.addr(), name, &config)
            .map(|_| ())
            .unwrap_err();
        assert!(
            matches!(
                &error,
                rustls::Error::InvalidCertificate(CertificateError::NotValidForNameContext {
                    presented,
                    ..
                }) if presented == &["DnsName(\"*.test.local\")".to_owned()]
            ),
            "{name}: {error:?}"
        );
    }
}

#[test]
fn a_client_that_speaks_no_tls_or_stalls_is_closed() {
    let options = EmulatorOptions {
        read_timeout: Duration::from_millis(300),
        ..EmulatorOptions::fixed_clock()
    };
    let server =
        EmulatorServer::start_tls(pool(), "127.0.0.1:0", pki().server.tls_identity(), options)
            .unwrap();
    // Plain HTTP to a TLS port: the server answers with an alert at most, and closes.
    let mut plain = TcpStream::connect(server.addr()).unwrap();
    plain.set_read_timeout(Some(TIMEOUT)).unwrap();
    plain
        .write_all(b"GET /_emulator/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut out = Vec::new();
    let _ = plain.read_to_end(&mut out);
    assert!(!out.starts_with(b"HTTP/"), "{out:?}");
    // A client that never starts the handshake is closed after the read timeout.
    let started = Instant::now();
    let mut silent = TcpStream::connect(server.addr()).unwrap();
    silent.set_read_timeout(Some(TIMEOUT)).unwrap();
    let mut out = Vec::new();
    let _ = silent.read_to_end(&mut out);
    assert!(out.is_empty());
    assert!(started.elapsed() < Duration::from_secs(10));
    // An idle kept-alive connection is closed after the read timeout, cleanly: close_notify.
    let mut idle = connect(server.addr(), "localhost", &trusting_client()).unwrap();
    let reply = exchange(
        &mut idle,
        "GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    )
    .unwrap();
    assert_eq!(reply.status, 200);
    let mut rest = Vec::new();
    // Ok, not UnexpectedEof: the server said close_notify.
    idle.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
}

#[test]
fn a_scripted_server_cuts_replies_over_tls() {
    let server = ScriptedServer::start_tls(pool(), pki().server.tls_identity(), |n, _| match n {
        0 => Act::Pass,
        1 => Act::CutBody,
        _ => Act::CutHead,
    })
    .unwrap();
    assert!(server.url().starts_with("https://127.0.0.1:"));
    let addr: SocketAddr = server
        .url()
        .trim_start_matches("https://")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let config = trusting_client();
    let alice = password_auth("alice", PASSWORD, CLIENT_ID);
    let request = cognito_request("InitiateAuth", &alice, false);

    // A whole reply, then close_notify.
    let mut tls = connect(addr, "localhost", &config).unwrap();
    let reply = exchange(&mut tls, &request).unwrap();
    assert_eq!(reply.status, 200, "{reply:?}");
    assert_eq!(reply.header("connection"), Some("close"));
    tls.read_to_end(&mut Vec::new()).unwrap();

    // Cut replies: the TLS stream ends without close_notify.
    for _ in [Act::CutBody, Act::CutHead] {
        let mut tls = connect(addr, "localhost", &config).unwrap();
        tls.write_all(request.as_bytes()).unwrap();
        let mut out = Vec::new();
        let error = tls.read_to_end(&mut out).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::UnexpectedEof, "{error:?}");
        assert!(!out.is_empty(), "half a reply arrived");
    }
    // A refused handshake counts no request.
    let untrusted = client_config(&[&pki().other_root.der], &[&TLS13]);
    connect(addr, "localhost", &untrusted).unwrap_err();
    assert_eq!(server.seen(), ["InitiateAuth"; 3]);
    assert_eq!(server.handled(), ["InitiateAuth"; 3]);
}

/// The PKI is made for two clocks (see `cognito_tests::pki`): the system's, and the emulator's
/// fixed one (2026-01-01, which a device may take from the `Date` header). Each certificate is
/// good or bad the same way by both, checked with rustls's verifier at each time.
#[test]
fn certificates_are_judged_the_same_by_both_clocks() {
    let mut roots = RootCertStore::empty();
    roots
        .add(CertificateDer::from(pki().root.der.clone()))
        .unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier =
        rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider)
            .build()
            .unwrap();
    let verify = |identity: &cognito_tests::pki::ServerIdentity, secs: u64| {
        let chain = identity.chain_der();
        let leaf = CertificateDer::from(chain[0].clone());
        let intermediates: Vec<_> = chain[1..]
            .iter()
            .map(|der| CertificateDer::from(der.clone()))
            .collect();
        let name = ServerName::try_from("localhost").unwrap();
        let at = rustls::pki_types::UnixTime::since_unix_epoch(Duration::from_secs(secs));
        verifier
            .verify_server_cert(&leaf, &intermediates, &name, &[], at)
            .map(|_| ())
    };
    let now = cognito_tests::fixtures::unix_now();
    for time in [now, DEFAULT_TIME] {
        verify(&pki().server, time).unwrap();
        verify(&pki().intermediate_without_cert_sign, time).unwrap();
        for which in BadCert::ALL {
            let error = verify(pki().bad(which), time).unwrap_err();
            assert!(
                expected_refusal(which, "localhost", &error),
                "{} at {time}: {error:?}",
                which.name()
            );
        }
    }
    assert!(pki().not_before < DEFAULT_TIME.min(now) && pki().not_after > DEFAULT_TIME.max(now));
}
