//! A test PKI: a root CA, an intermediate CA and server certificates for the emulator over TLS
//! ([`EmulatorServer::start_tls`](crate::http::EmulatorServer::start_tls)), good and bad, so a
//! verifying client can be tested on the host over real TLS — that it accepts the good chain,
//! and that it refuses each bad one.
//!
//! # The hierarchy
//!
//! ```text
//! Test Root CA (self-signed, CA)                     <- the client trusts this one only
//! ├── Test Intermediate CA (CA, keyCertSign)
//! │   ├── localhost, 127.0.0.1                       server (the good leaf)
//! │   ├── *.test.local                               wildcard
//! │   ├── wrong.example                              BadCert::WrongHost
//! │   ├── localhost, expired a week ago              BadCert::Expired
//! │   ├── localhost, valid from next week            BadCert::NotYetValid
//! │   └── Test Non-CA Issuer (CA:FALSE)
//! │       └── localhost                              BadCert::NonCaIssuer
//! └── Test Intermediate CA without keyCertSign (CA, digitalSignature only)
//!     └── localhost                                  intermediate_without_cert_sign
//! Other Root CA (self-signed, not trusted)
//! └── localhost                                      BadCert::UntrustedRoot
//! "Test Root CA" again, another key (never presented)
//! └── localhost                                      BadCert::ImpostorRoot
//! ```
//!
//! Every chain a server presents ([`ServerIdentity::chain`]) starts with its leaf and carries
//! the certificates up to, not including, the root, as real servers do (cognito-idp sends its
//! leaf and an Amazon RSA 2048 intermediate). Every leaf has SAN entries (DNS, and IP for
//! `127.0.0.1`), extended key usage serverAuth, key usage digitalSignature + keyEncipherment
//! and basicConstraints CA:FALSE; every CA has basicConstraints CA:TRUE and key usage
//! keyCertSign + cRLSign (but the one without keyCertSign); every certificate has subject and
//! authority key identifiers.
//!
//! # Validity
//!
//! A verifier on the host judges validity by the system clock; a device on the host may take
//! its time from the emulator's `Date` header, which with a fixed clock says 2026-01-01
//! ([`DEFAULT_TIME`]) whatever the date. So a PKI is made for two times,
//! [`PkiOptions::now`] and [`PkiOptions::emulator_time`] (by default the system clock and
//! [`DEFAULT_TIME`]): the good certificates are valid from a year before the earlier to a year
//! after the later, the expired leaf ended a week before the earlier, the not-yet-valid leaf
//! begins a week after the later. Every certificate is then good or bad the same way at both.
//!
//! # Keys and determinism
//!
//! All keys are RSA 2048 (as Cognito's chain) with SHA-256 signatures (PKCS #1 v1.5). rcgen on
//! `ring` cannot generate RSA keys, so they come from the pure-Rust `rsa` crate, seeded from
//! [`PkiOptions::seed`] (ChaCha20, one stream per key), and are handed to rcgen as PKCS #8. With
//! fixed serial numbers and deterministic signatures, a PKI depends only on the seed and on the
//! times of [`PkiOptions`]: the same options give the same bytes. The CAs and the non-CA issuer
//! each have a key of their own; every leaf shares one key ([`TestPki::leaf_key`]), which
//! changes nothing in what a client must refuse (all the refusals are about the chain). Made
//! for tests only: the keys are predictable from the seed.
//!
//! Generating takes seconds (seven RSA keys, half a second each, on as many threads as there are
//! cores): tests share one PKI (for instance through a `std::sync::OnceLock`).
//!
//! # What rustls 0.23 (webpki 0.103) reports
//!
//! See [`BadCert`] for each refusal; the chain whose intermediate lacks keyCertSign
//! ([`TestPki::intermediate_without_cert_sign`]) is *accepted* by webpki, which ignores the key
//! usage of CA certificates (basicConstraints decides); a stricter verifier may refuse it.
//! OpenSSL's `openssl verify -purpose sslserver`, for one, refuses it ("key usage does not
//! include certificate signing") as it refuses [`BadCert::NonCaIssuer`] ("invalid CA
//! certificate").

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;
use std::io;

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose, PKCS_RSA_SHA256, SerialNumber,
};
use rsa::RsaPrivateKey;
use rsa::pkcs8::EncodePrivateKey;
use rustls::pki_types::PrivatePkcs8KeyDer;
use time::OffsetDateTime;

use crate::http::TlsIdentity;
use crate::pool::DEFAULT_TIME;

/// One year, in seconds (365 days).
const YEAR: i64 = 365 * 24 * 60 * 60;
/// One week, in seconds.
const WEEK: i64 = 7 * 24 * 60 * 60;
/// The size of every RSA key.
const RSA_BITS: usize = 2048;
/// The organisation in every subject name.
const ORGANIZATION: &str = "cognito-rs tests";

/// The host names and addresses of the good leaf (and of most bad ones).
pub const SERVER_NAMES: [&str; 2] = ["localhost", "127.0.0.1"];
/// The name of the leaf for the wrong host ([`BadCert::WrongHost`]).
pub const WRONG_HOST: &str = "wrong.example";
/// The name of the wildcard leaf ([`TestPki::wildcard`]): valid for `a.test.local`, not for
/// `test.local` nor `a.b.test.local`.
pub const WILDCARD: &str = "*.test.local";
/// The seed of [`PkiOptions::default`].
pub const DEFAULT_SEED: u64 = 0x00c0_9e17_0715;

/// Why a PKI could not be made: which step failed and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PkiError {
    step: String,
    detail: String,
}

impl PkiError {
    fn new(step: &str, detail: impl fmt::Display) -> Self {
        Self {
            step: step.to_string(),
            detail: detail.to_string(),
        }
    }
}

impl fmt::Display for PkiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "test PKI: {}: {}", self.step, self.detail)
    }
}

impl core::error::Error for PkiError {}

impl From<PkiError> for io::Error {
    fn from(error: PkiError) -> Self {
        io::Error::other(error)
    }
}

/// A certificate, in DER and in PEM (`-----BEGIN CERTIFICATE-----`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestCert {
    /// The DER encoding.
    pub der: Vec<u8>,
    /// The PEM encoding (LF line ends, a final LF).
    pub pem: String,
}

impl TestCert {
    fn new(cert: &rcgen::Certificate) -> Self {
        Self {
            der: cert.der().to_vec(),
            pem: cert.pem(),
        }
    }
}

/// A private key, PKCS #8, in DER and in PEM (`-----BEGIN PRIVATE KEY-----`). Its `Debug` shows
/// no key material.
#[derive(Clone, PartialEq, Eq)]
pub struct TestKey {
    /// The PKCS #8 DER encoding.
    pub der: Vec<u8>,
    /// The PEM encoding.
    pub pem: String,
}

impl fmt::Debug for TestKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TestKey")
            .field("der", &format_args!("[{} bytes]", self.der.len()))
            .finish_non_exhaustive()
    }
}

/// What a TLS server presents: its chain, leaf first, and the leaf's private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerIdentity {
    /// The leaf, then the certificates that lead to the root (the root itself not included).
    pub chain: Vec<TestCert>,
    /// The leaf's private key.
    pub key: TestKey,
}

impl ServerIdentity {
    /// The leaf (the first certificate of the chain).
    pub fn leaf(&self) -> Option<&TestCert> {
        self.chain.first()
    }

    /// The chain in DER, leaf first.
    pub fn chain_der(&self) -> Vec<Vec<u8>> {
        self.chain.iter().map(|cert| cert.der.clone()).collect()
    }

    /// The chain in PEM, leaf first, as one text (what `--tls-cert` reads).
    pub fn chain_pem(&self) -> String {
        self.chain.iter().map(|cert| cert.pem.as_str()).collect()
    }

    /// This identity for [`EmulatorServer::start_tls`](crate::http::EmulatorServer::start_tls).
    pub fn tls_identity(&self) -> TlsIdentity {
        TlsIdentity {
            chain_der: self.chain_der(),
            key_der: self.key.der.clone(),
        }
    }
}

/// The bad server identities a verifying client must refuse, and what rustls 0.23.46 (webpki
/// 0.103) reports for each when the client trusts only [`TestPki::root`] and connects to
/// `localhost` (or `127.0.0.1`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BadCert {
    /// A leaf for `localhost` signed by "Other Root CA", which the client does not trust.
    /// rustls: `CertificateError::UnknownIssuer`.
    UntrustedRoot,
    /// A leaf for `localhost` signed directly by another "Test Root CA": the trusted root's name
    /// but another key. A verifier that matches issuers by name only would accept it. rustls:
    /// `CertificateError::BadSignature` (webpki finds the trusted root by name, and its key does
    /// not verify the signature).
    ImpostorRoot,
    /// A leaf for `wrong.example` (only) under the trusted intermediate. rustls:
    /// `CertificateError::NotValidForNameContext` (the expected and the presented names).
    WrongHost,
    /// A leaf for `localhost` under the trusted intermediate whose validity ended a week before
    /// the earlier time of the [`PkiOptions`] (it began a year before that). rustls:
    /// `CertificateError::ExpiredContext`.
    Expired,
    /// A leaf for `localhost` under the trusted intermediate whose validity begins a week after
    /// the later time of the [`PkiOptions`]. rustls: `CertificateError::NotValidYetContext`.
    NotYetValid,
    /// A leaf for `localhost` signed by "Test Non-CA Issuer", a certificate with
    /// basicConstraints CA:FALSE (and no keyCertSign) issued by the trusted intermediate; the
    /// chain is leaf, non-CA issuer, intermediate. rustls: `CertificateError::Other` wrapping
    /// `webpki::Error::EndEntityUsedAsCa`.
    NonCaIssuer,
}

impl BadCert {
    /// Every bad identity, in declaration order.
    pub const ALL: [Self; 6] = [
        Self::UntrustedRoot,
        Self::ImpostorRoot,
        Self::WrongHost,
        Self::Expired,
        Self::NotYetValid,
        Self::NonCaIssuer,
    ];

    /// A short name (`"untrusted-root"`, `"impostor-root"`, `"wrong-host"`, `"expired"`,
    /// `"not-yet-valid"`, `"non-ca-issuer"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::UntrustedRoot => "untrusted-root",
            Self::ImpostorRoot => "impostor-root",
            Self::WrongHost => "wrong-host",
            Self::Expired => "expired",
            Self::NotYetValid => "not-yet-valid",
            Self::NonCaIssuer => "non-ca-issuer",
        }
    }
}

/// How a [`TestPki`] is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PkiOptions {
    /// A time the certificates must be judged right at, unix seconds: the verifier's clock.
    /// Default: the system clock when the options are made.
    pub now: u64,
    /// Another such time, if any: the emulator's clock, when a device takes its time from the
    /// `Date` header of an emulator with a fixed clock. Default: [`DEFAULT_TIME`], where the
    /// emulator's fixed clock starts.
    pub emulator_time: Option<u64>,
    /// The seed of the keys. Default [`DEFAULT_SEED`].
    pub seed: u64,
}

impl Default for PkiOptions {
    fn default() -> Self {
        Self {
            now: crate::fixtures::unix_now(),
            emulator_time: Some(DEFAULT_TIME),
            seed: DEFAULT_SEED,
        }
    }
}

impl PkiOptions {
    /// The earlier and the later time, as signed seconds.
    fn span(&self) -> Result<(i64, i64), PkiError> {
        let other = self.emulator_time.unwrap_or(self.now);
        let signed =
            |t: u64| i64::try_from(t).map_err(|_| PkiError::new("validity", "time out of range"));
        Ok((signed(self.now.min(other))?, signed(self.now.max(other))?))
    }
}

/// The test PKI: see the [module documentation](self).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestPki {
    /// "Test Root CA": the one root a verifying client trusts.
    pub root: TestCert,
    /// "Test Intermediate CA", signed by the root.
    pub intermediate: TestCert,
    /// The good server: a leaf for `localhost` and `127.0.0.1` (SAN DNS and IP) signed by the
    /// intermediate; chain leaf, intermediate.
    pub server: ServerIdentity,
    /// A leaf for `*.test.local` signed by the intermediate; chain leaf, intermediate.
    pub wildcard: ServerIdentity,
    /// A leaf for `localhost` signed by "Test Intermediate CA without keyCertSign", a CA
    /// (basicConstraints CA:TRUE) whose key usage is digitalSignature only, signed by the root;
    /// chain leaf, that intermediate. RFC 5280 says such a CA must not sign certificates, yet
    /// webpki (rustls) accepts the chain: it ignores the key usage of CA certificates.
    pub intermediate_without_cert_sign: ServerIdentity,
    /// "Other Root CA", which nobody trusts; it signed [`BadCert::UntrustedRoot`].
    pub other_root: TestCert,
    /// The key every leaf shares.
    pub leaf_key: TestKey,
    /// The validity of the good certificates, unix seconds: from a year before the earlier time
    /// of the [`PkiOptions`]...
    pub not_before: u64,
    /// ... to a year after the later.
    pub not_after: u64,
    bad: [ServerIdentity; 6],
}

impl TestPki {
    /// A PKI valid around the system clock now and at [`DEFAULT_TIME`], with the default seed.
    pub fn generate() -> Result<Self, PkiError> {
        Self::generate_with(PkiOptions::default())
    }

    /// A PKI made with `options`.
    pub fn generate_with(options: PkiOptions) -> Result<Self, PkiError> {
        let (earlier, later) = options.span()?;
        let keys = Keys::generate(options.seed)?;
        let good = (earlier - YEAR, later + YEAR);
        let mut serials = 1u64..;
        let mut serial = || serials.next().unwrap_or(0);

        // The trusted hierarchy.
        let root_params = ca_params("Test Root CA", good, serial())?;
        let root_cert = root_params
            .self_signed(&keys.root)
            .map_err(|e| PkiError::new("root CA", e))?;
        let root = Issuer::from_params(&root_params, &keys.root);
        let intermediate_params = ca_params("Test Intermediate CA", good, serial())?;
        let intermediate_cert = intermediate_params
            .signed_by(&keys.intermediate, &root)
            .map_err(|e| PkiError::new("intermediate CA", e))?;
        let intermediate = Issuer::from_params(&intermediate_params, &keys.intermediate);
        let intermediate_cert = TestCert::new(&intermediate_cert);

        let leaf_key = TestKey {
            der: keys.leaf.serialize_der(),
            pem: keys.leaf.serialize_pem(),
        };
        // A leaf for `names` with the leaf key, signed by `issuer`, presented with `up`.
        let leaf = |names: &[&str],
                    validity: (i64, i64),
                    serial: u64,
                    issuer: &Issuer<'_, &KeyPair>,
                    up: &[&TestCert]|
         -> Result<ServerIdentity, PkiError> {
            let cert = leaf_params(names, validity, serial)?
                .signed_by(&keys.leaf, issuer)
                .map_err(|e| PkiError::new("leaf", e))?;
            Ok(ServerIdentity {
                chain: core::iter::once(TestCert::new(&cert))
                    .chain(up.iter().map(|c| (*c).clone()))
                    .collect(),
                key: leaf_key.clone(),
            })
        };
        let up = [&intermediate_cert];

        let server = leaf(&SERVER_NAMES, good, serial(), &intermediate, &up)?;
        let wildcard = leaf(&[WILDCARD], good, serial(), &intermediate, &up)?;
        let wrong_host = leaf(&[WRONG_HOST], good, serial(), &intermediate, &up)?;
        let expired = (earlier - YEAR - WEEK, earlier - WEEK);
        let expired = leaf(&SERVER_NAMES, expired, serial(), &intermediate, &up)?;
        let future = (later + WEEK, later + YEAR);
        let not_yet_valid = leaf(&SERVER_NAMES, future, serial(), &intermediate, &up)?;

        // A CA:FALSE certificate (a server leaf of its own) used as an issuer.
        let mut non_ca_params = leaf_params(&["non-ca-issuer.test.local"], good, serial())?;
        non_ca_params.distinguished_name = name("Test Non-CA Issuer");
        let non_ca_cert = non_ca_params
            .signed_by(&keys.non_ca, &intermediate)
            .map_err(|e| PkiError::new("non-CA issuer", e))?;
        let non_ca = Issuer::from_params(&non_ca_params, &keys.non_ca);
        let non_ca_up = [&TestCert::new(&non_ca_cert), &intermediate_cert];
        let non_ca_issuer = leaf(&SERVER_NAMES, good, serial(), &non_ca, &non_ca_up)?;

        // A CA without keyCertSign.
        let name_weak = "Test Intermediate CA without keyCertSign";
        let mut weak_params = ca_params(name_weak, good, serial())?;
        weak_params.key_usages = Vec::from([KeyUsagePurpose::DigitalSignature]);
        let weak_cert = weak_params
            .signed_by(&keys.weak_intermediate, &root)
            .map_err(|e| PkiError::new("intermediate without keyCertSign", e))?;
        let weak = Issuer::from_params(&weak_params, &keys.weak_intermediate);
        let weak_up = [&TestCert::new(&weak_cert)];
        let intermediate_without_cert_sign = leaf(&SERVER_NAMES, good, serial(), &weak, &weak_up)?;

        // Roots the client does not trust: another name, and the trusted root's name.
        let other_params = ca_params("Other Root CA", good, serial())?;
        let other_cert = other_params
            .self_signed(&keys.other_root)
            .map_err(|e| PkiError::new("other root CA", e))?;
        let other = Issuer::from_params(&other_params, &keys.other_root);
        let untrusted_root = leaf(&SERVER_NAMES, good, serial(), &other, &[])?;
        let impostor_params = ca_params("Test Root CA", good, serial())?;
        let impostor = Issuer::from_params(&impostor_params, &keys.impostor_root);
        let impostor_root = leaf(&SERVER_NAMES, good, serial(), &impostor, &[])?;

        Ok(Self {
            root: TestCert::new(&root_cert),
            intermediate: intermediate_cert,
            server,
            wildcard,
            intermediate_without_cert_sign,
            other_root: TestCert::new(&other_cert),
            leaf_key,
            not_before: u64::try_from(good.0).unwrap_or(0),
            not_after: u64::try_from(good.1).unwrap_or(0),
            // In the order of `BadCert::ALL`.
            bad: [
                untrusted_root,
                impostor_root,
                wrong_host,
                expired,
                not_yet_valid,
                non_ca_issuer,
            ],
        })
    }

    /// The bad identity `which`.
    pub fn bad(&self, which: BadCert) -> &ServerIdentity {
        let [
            untrusted,
            impostor,
            wrong_host,
            expired,
            not_yet_valid,
            non_ca,
        ] = &self.bad;
        match which {
            BadCert::UntrustedRoot => untrusted,
            BadCert::ImpostorRoot => impostor,
            BadCert::WrongHost => wrong_host,
            BadCert::Expired => expired,
            BadCert::NotYetValid => not_yet_valid,
            BadCert::NonCaIssuer => non_ca,
        }
    }
}

/// The keys of a PKI, RSA 2048, each from its own ChaCha20 stream of the seed.
struct Keys {
    root: KeyPair,
    intermediate: KeyPair,
    leaf: KeyPair,
    non_ca: KeyPair,
    weak_intermediate: KeyPair,
    other_root: KeyPair,
    impostor_root: KeyPair,
}

impl Keys {
    /// Generates the keys, on threads of their own (an RSA key takes about half a second).
    fn generate(seed: u64) -> Result<Self, PkiError> {
        let [
            root,
            intermediate,
            leaf,
            non_ca,
            weak_intermediate,
            other_root,
            impostor_root,
        ] = std::thread::scope(|scope| {
            let spawned = [1, 2, 3, 4, 5, 6, 7].map(|stream| {
                std::thread::Builder::new()
                    .name("test-pki-key".to_string())
                    .spawn_scoped(scope, move || rsa_key(seed, stream))
            });
            spawned.map(|thread| match thread {
                Ok(handle) => handle
                    .join()
                    .unwrap_or_else(|_| Err(PkiError::new("RSA key", "the thread panicked"))),
                Err(e) => Err(PkiError::new("RSA key", e)),
            })
        });
        Ok(Self {
            root: root?,
            intermediate: intermediate?,
            leaf: leaf?,
            non_ca: non_ca?,
            weak_intermediate: weak_intermediate?,
            other_root: other_root?,
            impostor_root: impostor_root?,
        })
    }
}

/// An RSA 2048 key from stream `stream` of `seed`, as an rcgen key pair signing with
/// SHA-256 (PKCS #1 v1.5).
fn rsa_key(seed: u64, stream: u64) -> Result<KeyPair, PkiError> {
    let key = seeded_rsa_key(seed, stream)?;
    let der = key
        .to_pkcs8_der()
        .map_err(|e| PkiError::new("RSA key", e))?;
    let der = PrivatePkcs8KeyDer::from(der.as_bytes());
    KeyPair::from_pkcs8_der_and_sign_algo(&der, &PKCS_RSA_SHA256)
        .map_err(|e| PkiError::new("RSA key", e))
}

/// An RSA 2048 key from stream `stream` of the ChaCha20 generator seeded by `seed`: the same
/// arguments give the same key. Also the emulator's token signing keys. Takes about half a
/// second (dependencies are optimised in test builds): share keys rather than make many.
pub fn seeded_rsa_key(seed: u64, stream: u64) -> Result<RsaPrivateKey, PkiError> {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    rng.set_stream(stream);
    RsaPrivateKey::new(&mut rng, RSA_BITS).map_err(|e| PkiError::new("RSA key", e))
}

/// A subject name: `CN=common_name, O=cognito-rs tests`.
fn name(common_name: &str) -> DistinguishedName {
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, common_name);
    name.push(DnType::OrganizationName, ORGANIZATION);
    name
}

/// A time as rcgen wants it.
fn at(unix_secs: i64) -> Result<OffsetDateTime, PkiError> {
    OffsetDateTime::from_unix_timestamp(unix_secs).map_err(|e| PkiError::new("validity", e))
}

/// The parameters of a CA called `common_name`, valid over `validity` (unix seconds): CA:TRUE
/// (no path length limit), key usage keyCertSign + cRLSign.
fn ca_params(
    common_name: &str,
    validity: (i64, i64),
    serial: u64,
) -> Result<CertificateParams, PkiError> {
    let mut params = CertificateParams::default();
    params.distinguished_name = name(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.key_usages = Vec::from([KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign]);
    params.not_before = at(validity.0)?;
    params.not_after = at(validity.1)?;
    params.serial_number = Some(SerialNumber::from(serial));
    params.use_authority_key_identifier_extension = true;
    Ok(params)
}

/// The parameters of a server leaf for `names` (DNS names, or IP addresses), valid over
/// `validity`: CA:FALSE, serverAuth, digitalSignature + keyEncipherment; its common name is the
/// first name.
fn leaf_params(
    names: &[&str],
    validity: (i64, i64),
    serial: u64,
) -> Result<CertificateParams, PkiError> {
    let mut params =
        CertificateParams::new(names.iter().map(|n| (*n).to_string()).collect::<Vec<_>>())
            .map_err(|e| PkiError::new("leaf names", e))?;
    params.distinguished_name = name(names.first().copied().unwrap_or("leaf"));
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = Vec::from([
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ]);
    params.extended_key_usages = Vec::from([ExtendedKeyUsagePurpose::ServerAuth]);
    params.not_before = at(validity.0)?;
    params.not_after = at(validity.1)?;
    params.serial_number = Some(SerialNumber::from(serial));
    params.use_authority_key_identifier_extension = true;
    Ok(params)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use rcgen::SanType;

    use super::*;

    /// rcgen writes a name that parses as an address as an IP SAN, the others as DNS names.
    #[test]
    fn leaf_names_are_dns_and_ip() {
        let params = leaf_params(&SERVER_NAMES, (0, YEAR), 1).unwrap();
        let kinds: Vec<_> = params
            .subject_alt_names
            .iter()
            .map(|san| match san {
                SanType::IpAddress(_) => "ip",
                SanType::DnsName(_) => "dns",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["dns", "ip"]);
    }

    /// The same options give the same PKI, byte for byte; another seed other keys.
    #[test]
    fn a_pki_depends_only_on_its_options() {
        let options = PkiOptions {
            now: 1_780_000_000,
            emulator_time: Some(DEFAULT_TIME),
            seed: 7,
        };
        let started = std::time::Instant::now();
        let a = TestPki::generate_with(options).unwrap();
        eprintln!("generated in {:?}", started.elapsed());
        let b = TestPki::generate_with(options).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.not_before, DEFAULT_TIME - YEAR as u64);
        assert_eq!(a.not_after, 1_780_000_000 + YEAR as u64);
        assert!(a.root.pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(a.leaf_key.pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert_eq!(a.server.chain.len(), 2);
        assert_eq!(a.server.chain_pem().matches("BEGIN CERTIFICATE").count(), 2);
        assert_eq!(a.bad(BadCert::NonCaIssuer).chain.len(), 3);
        assert_eq!(a.bad(BadCert::UntrustedRoot).chain.len(), 1);
    }
}
