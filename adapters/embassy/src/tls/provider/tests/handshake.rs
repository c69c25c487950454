//! Whole handshakes: a rustls client on this provider against a rustls server on ring, in
//! memory, for every suite, both groups, TLS 1.3 and 1.2, RSA and ECDSA certificates; then
//! application data both ways, and a tampered record.

extern crate std;

use alloc::sync::Arc;
use alloc::vec::Vec;
use std::io::{ErrorKind, Read, Write};
use std::sync::Mutex;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::version::{TLS12, TLS13};
use rustls::{
    ClientConfig, ClientConnection, ConnectionCommon, DigitallySignedStruct, Error, NamedGroup,
    ProtocolVersion, ServerConfig, ServerConnection, SignatureScheme, SupportedCipherSuite,
    SupportedProtocolVersion,
};
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer, ServerName, UnixTime};

use super::super::kx::{Secp256r1Group, X25519Group};
use super::super::random::{Generator, Random};
use super::super::{SIGNATURE_ALGORITHMS, crypto_provider, suites};
use super::fixtures::{self, Identity};

/// Accepts any certificate (path validation is the verifier module's job) but checks the
/// handshake signature with [`SIGNATURE_ALGORITHMS`], and remembers which schemes it checked.
#[derive(Debug)]
struct HandshakeOnly {
    offered: Vec<SignatureScheme>,
    verified: Mutex<Vec<SignatureScheme>>,
}

impl HandshakeOnly {
    /// Offers `offered` (all of ours when empty).
    fn new(offered: &[SignatureScheme]) -> Self {
        let offered = match offered {
            [] => SIGNATURE_ALGORITHMS.supported_schemes(),
            some => some.to_vec(),
        };
        Self {
            offered,
            verified: Mutex::new(Vec::new()),
        }
    }

    /// Records a verified scheme.
    fn note(
        &self,
        result: Result<HandshakeSignatureValid, Error>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        if result.is_ok() {
            self.verified.lock().unwrap().push(dss.scheme);
        }
        result
    }

    /// The schemes verified so far.
    fn verified(&self) -> Vec<SignatureScheme> {
        self.verified.lock().unwrap().clone()
    }
}

impl ServerCertVerifier for HandshakeOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let result = verify_tls12_signature(message, cert, dss, &SIGNATURE_ALGORITHMS);
        self.note(result, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let result = verify_tls13_signature(message, cert, dss, &SIGNATURE_ALGORITHMS);
        self.note(result, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.offered.clone()
    }
}

/// A client and a server after their handshake.
struct Pair {
    client: ClientConnection,
    server: ServerConnection,
    verifier: Arc<HandshakeOnly>,
}

/// A server on ring that speaks only `version`, `suite` and `group`, as `identity`.
fn server(
    version: &'static SupportedProtocolVersion,
    suite: SupportedCipherSuite,
    group: NamedGroup,
    identity: &Identity,
) -> ServerConnection {
    let mut ring = rustls::crypto::ring::default_provider();
    ring.cipher_suites.retain(|s| s.suite() == suite.suite());
    ring.kx_groups.retain(|g| g.name() == group);
    assert_eq!((ring.cipher_suites.len(), ring.kx_groups.len()), (1, 1));
    let (chain, key) = identity.parts();
    let config = ServerConfig::builder_with_provider(Arc::new(ring))
        .with_protocol_versions(&[version])
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    ServerConnection::new(Arc::new(config)).unwrap()
}

/// A client on our provider (every suite and group) for `version`, offering `schemes`.
fn client(
    version: &'static SupportedProtocolVersion,
    schemes: &[SignatureScheme],
) -> (ClientConnection, Arc<HandshakeOnly>) {
    fixtures::seed();
    let verifier = Arc::new(HandshakeOnly::new(schemes));
    let config = ClientConfig::builder_with_provider(Arc::new(crypto_provider()))
        .with_protocol_versions(&[version])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
    let name = ServerName::try_from("localhost").unwrap();
    (
        ClientConnection::new(Arc::new(config), name).unwrap(),
        verifier,
    )
}

/// Everything `from` has to send.
fn outgoing<A>(from: &mut ConnectionCommon<A>) -> Vec<u8> {
    let mut wire = Vec::new();
    while from.wants_write() {
        from.write_tls(&mut wire).unwrap();
    }
    wire
}

/// Feeds `wire` to `to`, collecting the plaintext it yields.
fn deliver<B>(mut wire: &[u8], to: &mut ConnectionCommon<B>) -> Result<Vec<u8>, Error> {
    let mut received = Vec::new();
    while !wire.is_empty() {
        to.read_tls(&mut wire).unwrap();
        to.process_new_packets()?;
        let mut buf = [0u8; 4096];
        loop {
            match to.reader().read(&mut buf) {
                Ok(0) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == ErrorKind::WouldBlock => break,
                Err(e) => panic!("reading plaintext: {e}"),
            }
        }
    }
    Ok(received)
}

/// Runs the handshake to its end.
fn handshake(
    version: &'static SupportedProtocolVersion,
    suite: SupportedCipherSuite,
    group: NamedGroup,
    identity: &Identity,
    schemes: &[SignatureScheme],
) -> Result<Pair, Error> {
    let (mut client, verifier) = client(version, schemes);
    let mut server = server(version, suite, group, identity);
    loop {
        let to_server = outgoing(&mut client);
        deliver(&to_server, &mut server)?;
        let to_client = outgoing(&mut server);
        deliver(&to_client, &mut client)?;
        if to_server.is_empty() && to_client.is_empty() {
            break;
        }
    }
    assert!(!client.is_handshaking() && !server.is_handshaking());
    Ok(Pair {
        client,
        server,
        verifier,
    })
}

impl Pair {
    /// Checks what was negotiated, and that the server's signature was checked once.
    fn check(&self, version: ProtocolVersion, suite: SupportedCipherSuite, group: NamedGroup) {
        assert_eq!(self.client.protocol_version(), Some(version));
        let negotiated = self.client.negotiated_cipher_suite().map(|s| s.suite());
        assert_eq!(negotiated, Some(suite.suite()));
        let kx = self
            .client
            .negotiated_key_exchange_group()
            .map(|g| g.name());
        assert_eq!(kx, Some(group));
        assert_eq!(self.verifier.verified().len(), 1, "one handshake signature");
    }

    /// Sends data both ways (several records' worth one way) and checks it arrives intact.
    fn exchange(&mut self) {
        let request: Vec<u8> = (0..40_000u32).map(|i| (i % 251) as u8).collect();
        self.client.writer().write_all(&request).unwrap();
        let wire = outgoing(&mut self.client);
        assert!(wire.len() > request.len(), "sent encrypted, with overhead");
        assert!(
            !wire
                .windows(64)
                .any(|w| request.windows(64).next() == Some(w))
        );
        assert_eq!(deliver(&wire, &mut self.server).unwrap(), request);

        for reply in [&b"x"[..], b"HTTP/1.1 200 OK\r\n\r\n{}"] {
            self.server.writer().write_all(reply).unwrap();
            let wire = outgoing(&mut self.server);
            assert_eq!(deliver(&wire, &mut self.client).unwrap(), reply);
        }
    }
}

/// Both groups, X25519 (which the client offers first) and secp256r1 (reached through a
/// HelloRetryRequest in TLS 1.3).
const GROUPS: [NamedGroup; 2] = [NamedGroup::X25519, NamedGroup::secp256r1];

/// The TLS 1.3 suites.
fn tls13_suites() -> [SupportedCipherSuite; 3] {
    [
        suites::TLS13_CHACHA20_POLY1305_SHA256,
        suites::TLS13_AES_128_GCM_SHA256,
        suites::TLS13_AES_256_GCM_SHA384,
    ]
}

/// The TLS 1.2 suites with ECDSA certificates.
fn tls12_ecdsa_suites() -> [SupportedCipherSuite; 3] {
    [
        suites::TLS12_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        suites::TLS12_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        suites::TLS12_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    ]
}

/// The TLS 1.2 suites with RSA certificates.
fn tls12_rsa_suites() -> [SupportedCipherSuite; 3] {
    [
        suites::TLS12_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        suites::TLS12_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        suites::TLS12_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    ]
}

#[test]
fn tls13_every_suite_group_and_certificate() {
    let identities = [
        (fixtures::rsa(), None),
        (
            fixtures::p256(),
            Some(SignatureScheme::ECDSA_NISTP256_SHA256),
        ),
        (
            fixtures::p384(),
            Some(SignatureScheme::ECDSA_NISTP384_SHA384),
        ),
    ];
    for suite in tls13_suites() {
        for group in GROUPS {
            for (identity, scheme) in &identities {
                let mut pair = handshake(&TLS13, suite, group, identity, &[])
                    .unwrap_or_else(|e| panic!("{suite:?} {group:?} {scheme:?}: {e}"));
                pair.check(ProtocolVersion::TLSv1_3, suite, group);
                if let Some(scheme) = scheme {
                    assert_eq!(pair.verifier.verified(), [*scheme]);
                }
                pair.exchange();
            }
        }
    }
}

#[test]
fn tls12_every_suite_group_and_certificate() {
    let ecdsa = [fixtures::p256(), fixtures::p384()];
    let cases = tls12_ecdsa_suites()
        .into_iter()
        .flat_map(|suite| ecdsa.map(|identity| (suite, identity)))
        .chain(tls12_rsa_suites().map(|suite| (suite, fixtures::rsa())));
    for (suite, identity) in cases {
        for group in GROUPS {
            let mut pair = handshake(&TLS12, suite, group, identity, &[])
                .unwrap_or_else(|e| panic!("{suite:?} {group:?}: {e}"));
            pair.check(ProtocolVersion::TLSv1_2, suite, group);
            pair.exchange();
        }
    }
}

#[test]
fn every_rsa_signature_scheme_in_a_handshake() {
    let suite = suites::TLS12_ECDHE_RSA_WITH_AES_128_GCM_SHA256;
    let tls12 = [
        SignatureScheme::RSA_PKCS1_SHA256,
        SignatureScheme::RSA_PKCS1_SHA384,
        SignatureScheme::RSA_PKCS1_SHA512,
        SignatureScheme::RSA_PSS_SHA256,
        SignatureScheme::RSA_PSS_SHA384,
        SignatureScheme::RSA_PSS_SHA512,
    ];
    for scheme in tls12 {
        let pair = handshake(
            &TLS12,
            suite,
            NamedGroup::X25519,
            fixtures::rsa(),
            &[scheme],
        )
        .unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        assert_eq!(pair.verifier.verified(), [scheme]);
    }
    let suite = suites::TLS13_AES_128_GCM_SHA256;
    for scheme in &tls12[3..] {
        let pair = handshake(
            &TLS13,
            suite,
            NamedGroup::X25519,
            fixtures::rsa(),
            &[*scheme],
        )
        .unwrap_or_else(|e| panic!("{scheme:?}: {e}"));
        assert_eq!(pair.verifier.verified(), [*scheme]);
    }
}

#[test]
fn a_flipped_ciphertext_byte_fails_to_decrypt() {
    let cases = tls13_suites()
        .map(|suite| (&TLS13, suite, fixtures::p256()))
        .into_iter()
        .chain(tls12_ecdsa_suites().map(|suite| (&TLS12, suite, fixtures::p256())))
        .chain(tls12_rsa_suites().map(|suite| (&TLS12, suite, fixtures::rsa())));
    for (version, suite, identity) in cases {
        // The last byte of the tag, the last byte of ciphertext, the first byte after the header.
        for from_end in [1usize, 17, 0] {
            let mut pair = handshake(version, suite, NamedGroup::X25519, identity, &[]).unwrap();
            pair.server.writer().write_all(b"the reply").unwrap();
            let mut wire = outgoing(&mut pair.server);
            let at = match from_end {
                0 => 5,
                n => wire.len() - n,
            };
            wire[at] ^= 0x40;
            let result = deliver(&wire, &mut pair.client);
            assert_eq!(result, Err(Error::DecryptError), "{suite:?}, byte {at}");
        }
    }
}

#[test]
fn an_unseeded_provider_cannot_start_a_handshake() {
    static UNSEEDED: Generator = Generator::new();
    static RANDOM: Random = Random(&UNSEEDED);
    static X25519: X25519Group = X25519Group(&UNSEEDED);
    static SECP256R1: Secp256r1Group = Secp256r1Group(&UNSEEDED);
    let provider = CryptoProvider {
        secure_random: &RANDOM,
        kx_groups: alloc::vec![&X25519, &SECP256R1],
        ..crypto_provider()
    };
    let config = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(&[&TLS13, &TLS12])
        .unwrap()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(HandshakeOnly::new(&[])))
        .with_no_client_auth();
    let name = ServerName::try_from("localhost").unwrap();
    let result = ClientConnection::new(Arc::new(config), name);
    assert_eq!(result.err(), Some(Error::FailedToGetRandomBytes));
}

#[test]
fn the_provider_is_what_it_says() {
    let provider = crypto_provider();
    assert!(!provider.fips());
    let suites: Vec<_> = provider.cipher_suites.iter().map(|s| s.suite()).collect();
    assert_eq!(suites.len(), 9);
    for suite in tls13_suites()
        .into_iter()
        .chain(tls12_ecdsa_suites())
        .chain(tls12_rsa_suites())
    {
        assert!(suites.contains(&suite.suite()));
    }
    let groups: Vec<_> = provider.kx_groups.iter().map(|g| g.name()).collect();
    assert_eq!(groups, GROUPS);
    let key = PrivatePkcs8KeyDer::from(fixtures::p256().key.secret_der().to_vec());
    assert!(matches!(
        provider.key_provider.load_private_key(key.into()),
        Err(Error::General(_))
    ));
}
