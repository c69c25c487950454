//! The server certificate verifier: rustls-webpki's path validation, plus the checks webpki
//! leaves out (the issuers' keyUsage, RSA key sizes), and a precise reason for each refusal.
//!
//! webpki builds a path from the server's certificate through the intermediates it sent (in
//! any order, skipping unrelated ones) to a trust anchor, verifying every signature,
//! basicConstraints (CA:TRUE and pathLenConstraint) on every issuer, name constraints, the
//! validity of every certificate at the given time and extendedKeyUsage serverAuth. It does not
//! look at an issuer's keyUsage, so a CA whose key is not meant for signing certificates would
//! be accepted as one; it leaves key sizes to the signature algorithms (rustls' ring provider
//! refuses RSA keys under 2048 bits when they sign, but our RustCrypto provider takes any size,
//! and a leaf's key signs no certificate). [`Verifier`] adds both checks on every path webpki
//! would accept (see [`check_path`]), and remembers why it refused a chain: rustls without its
//! `std` feature cannot carry that detail in its error.

use core::cell::Cell;
use core::sync::atomic::{AtomicU8, Ordering};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls::{CertificateError, DigitallySignedStruct};
use rustls_pki_types::{CertificateDer, ServerName, UnixTime};
use webpki::{EndEntityCert, VerifiedPath};
use x509_cert::Certificate;
use x509_cert::der::asn1::UintRef;
use x509_cert::der::oid::AssociatedOid;
use x509_cert::der::oid::db::rfc5912::{ID_RSASSA_PSS, RSA_ENCRYPTION};
use x509_cert::der::{Decode, Reader, SliceReader};
use x509_cert::ext::pkix::KeyUsage;
use x509_cert::spki::SubjectPublicKeyInfoOwned;

use super::anchors::TrustAnchors;
use crate::error::TlsError;

/// The shortest RSA modulus accepted anywhere in a chain, in bits.
pub(crate) const MIN_RSA_BITS: usize = 2048;

/// The refusals [`Verifier::refusal`] can report; a refusal's code in the atomic cell is its
/// index here plus one (0: none).
const REFUSALS: [TlsError; 11] = [
    TlsError::UnknownIssuer,
    TlsError::BadSignature,
    TlsError::NotValidForName,
    TlsError::Expired,
    TlsError::NotYetValid,
    TlsError::IssuerNotCa,
    TlsError::IssuerCannotSignCertificates,
    TlsError::WeakKey,
    TlsError::InvalidPurpose,
    TlsError::UnsupportedCertificate,
    TlsError::BadHandshakeSignature,
];

/// The code of `refusal` in the atomic cell (0 for an error that is not a refusal, which the
/// verifier never stores).
fn code(refusal: TlsError) -> u8 {
    REFUSALS
        .iter()
        .position(|known| *known == refusal)
        .and_then(|index| u8::try_from(index + 1).ok())
        .unwrap_or(0)
}

/// The server certificate verifier of [`TlsConnect`](super::TlsConnect): see the [module
/// documentation](self). One is made for each handshake.
#[derive(Debug)]
pub(crate) struct Verifier {
    /// The roots a path must end at.
    anchors: TrustAnchors,
    /// The signature algorithms for certificates and handshake signatures.
    algorithms: WebPkiSupportedAlgorithms,
    /// The code of the last refusal (see [`REFUSALS`]), 0 if none. An atomic so the verifier
    /// is `Sync`, as rustls requires; only loaded and stored (no compare-and-swap).
    refusal: AtomicU8,
}

impl Verifier {
    /// A verifier trusting `anchors`, checking signatures with `algorithms`.
    pub(crate) fn new(anchors: TrustAnchors, algorithms: WebPkiSupportedAlgorithms) -> Self {
        Self {
            anchors,
            algorithms,
            refusal: AtomicU8::new(0),
        }
    }

    /// Why the last verification refused: the server's chain (the precise reason of
    /// `verify_server_cert`'s last refusal, which rustls' error may only approximate), or the
    /// server's handshake signature ([`TlsError::BadHandshakeSignature`]). `None` if nothing
    /// was refused, or after a chain was accepted.
    pub(crate) fn refusal(&self) -> Option<TlsError> {
        let code = self.refusal.load(Ordering::Relaxed);
        REFUSALS.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// Remembers `refusal` and returns rustls' closest error for it.
    fn refuse(&self, refusal: TlsError) -> rustls::Error {
        self.refusal.store(code(refusal), Ordering::Relaxed);
        rustls::Error::InvalidCertificate(certificate_error(refusal))
    }

    /// Verifies the server's chain for `server_name` at `now`: see the module documentation.
    fn check(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        now: UnixTime,
    ) -> Result<(), TlsError> {
        let leaf = EndEntityCert::try_from(end_entity).map_err(|e| webpki_refusal(&e))?;
        // The first refusal of our own, on a path webpki would have accepted. webpki goes on
        // to other candidate paths after one (its hook's errors are not fatal), and if none
        // succeeds it reports the most "specific" error by its own ranking, which may come from
        // another path (an expired cross-certificate, say) or be the hook's placeholder: the
        // path that failed only our checks is the one that explains the refusal.
        let ours: Cell<Option<TlsError>> = Cell::new(None);
        let path_check = |path: &VerifiedPath<'_>| {
            check_path(path).map_err(|refusal| {
                if ours.get().is_none() {
                    ours.set(Some(refusal));
                }
                // A placeholder: never shown (see above).
                webpki::Error::UnknownIssuer
            })
        };
        let verified = leaf.verify_for_usage(
            self.algorithms.all,
            self.anchors.as_slice(),
            intermediates,
            now,
            webpki::KeyUsage::server_auth(),
            None,
            Some(&path_check),
        );
        if let Err(e) = verified {
            return Err(ours.get().unwrap_or_else(|| webpki_refusal(&e)));
        }
        leaf.verify_is_valid_for_subject_name(server_name)
            .map_err(|e| match e {
                // No name of a kind webpki can compare (rustls has only DNS names and IPs).
                webpki::Error::UnsupportedNameType => TlsError::NotValidForName,
                e => webpki_refusal(&e),
            })
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.check(end_entity, intermediates, server_name, now) {
            Ok(()) => {
                self.refusal.store(0, Ordering::Relaxed);
                Ok(ServerCertVerified::assertion())
            }
            Err(refusal) => Err(self.refuse(refusal)),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let verified = rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms);
        self.signature_outcome(verified)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        let verified = rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms);
        self.signature_outcome(verified)
    }

    fn supported_verify_schemes(&self) -> alloc::vec::Vec<rustls::SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

impl Verifier {
    /// A handshake signature's check, its refusal remembered: rustls reports a signature that
    /// does not verify as a certificate's bad signature, which it is not.
    fn signature_outcome(
        &self,
        verified: Result<HandshakeSignatureValid, rustls::Error>,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        if let Err(rustls::Error::InvalidCertificate(CertificateError::BadSignature)) = verified {
            self.refusal
                .store(code(TlsError::BadHandshakeSignature), Ordering::Relaxed);
        }
        verified
    }
}

/// Our checks on a path webpki would accept, leaf first:
///
/// * every intermediate (an issuer: the leaf's, or another intermediate's) must allow signing
///   certificates when it has a keyUsage extension (keyCertSign, RFC 5280 §4.2.1.3), else
///   [`TlsError::IssuerCannotSignCertificates`]. An issuer *without* keyUsage is accepted, as
///   RFC 5280's path validation does (§6.1.4 (n) checks the bit only "if a key usage extension
///   is present") and as OpenSSL and browsers do: basicConstraints CA:TRUE (which webpki
///   requires) already makes it a CA, and §4.2.1.3's "MUST include" binds the CA that issues
///   it, not the verifier;
/// * every certificate of the path but the anchor (the leaf and the intermediates) with an RSA
///   key must have a modulus of at least [`MIN_RSA_BITS`], else [`TlsError::WeakKey`]. The
///   anchor is trusted as configured. Other keys (ECDSA, Ed25519) have the size their
///   algorithm fixes, and only the algorithms given to the verifier are accepted.
///
/// A certificate x509-cert cannot parse is [`TlsError::UnsupportedCertificate`].
fn check_path(path: &VerifiedPath<'_>) -> Result<(), TlsError> {
    check_certificate(path.end_entity().der().as_ref(), false)?;
    for issuer in path.intermediate_certificates() {
        check_certificate(issuer.der().as_ref(), true)?;
    }
    Ok(())
}

/// The checks of [`check_path`] on one certificate (DER), an `issuer` or the leaf.
fn check_certificate(der: &[u8], issuer: bool) -> Result<(), TlsError> {
    let cert = Certificate::from_der(der).map_err(|_| TlsError::UnsupportedCertificate)?;
    let tbs = &cert.tbs_certificate;
    if issuer {
        let key_usages = tbs
            .extensions
            .iter()
            .flatten()
            .filter(|extension| extension.extn_id == KeyUsage::OID);
        for extension in key_usages {
            let key_usage = KeyUsage::from_der(extension.extn_value.as_bytes())
                .map_err(|_| TlsError::UnsupportedCertificate)?;
            if !key_usage.key_cert_sign() {
                return Err(TlsError::IssuerCannotSignCertificates);
            }
        }
    }
    match rsa_modulus_bits(&tbs.subject_public_key_info)? {
        Some(bits) if bits < MIN_RSA_BITS => Err(TlsError::WeakKey),
        _ => Ok(()),
    }
}

/// The bit length of the modulus of an RSA key (rsaEncryption or RSASSA-PSS), `None` for
/// another kind of key.
fn rsa_modulus_bits(spki: &SubjectPublicKeyInfoOwned) -> Result<Option<usize>, TlsError> {
    let oid = spki.algorithm.oid;
    if oid != RSA_ENCRYPTION && oid != ID_RSASSA_PSS {
        return Ok(None);
    }
    let malformed = |_| TlsError::UnsupportedCertificate;
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1).
    let key = spki
        .subject_public_key
        .as_bytes()
        .ok_or(TlsError::UnsupportedCertificate)?;
    let mut reader = SliceReader::new(key).map_err(malformed)?;
    let modulus = reader
        .sequence(|fields| {
            let modulus = UintRef::decode(fields)?;
            UintRef::decode(fields)?;
            Ok(modulus)
        })
        .map_err(malformed)?;
    reader.finish(()).map_err(malformed)?;
    // `UintRef` drops the leading zero bytes.
    let bytes = modulus.as_bytes();
    Ok(Some(match bytes.first() {
        Some(first) => bytes.len() * 8 - first.leading_zeros() as usize,
        None => 0,
    }))
}

/// Our refusal for webpki's error.
fn webpki_refusal(error: &webpki::Error) -> TlsError {
    use webpki::Error as E;
    #[allow(deprecated)]
    match error {
        E::UnknownIssuer
        // Path building gave up, or the path ends at a distrusted key or outside a CA's name
        // constraints: no acceptable path to a trusted root.
        | E::CertDistrusted
        | E::NameConstraintViolation
        | E::MaximumPathDepthExceeded
        | E::MaximumSignatureChecksExceeded
        | E::MaximumPathBuildCallsExceeded
        | E::MaximumNameConstraintComparisonsExceeded => TlsError::UnknownIssuer,
        E::InvalidSignatureForPublicKey => TlsError::BadSignature,
        E::CertNotValidForName(_) => TlsError::NotValidForName,
        E::CertExpired { .. } => TlsError::Expired,
        E::CertNotValidYet { .. } => TlsError::NotYetValid,
        // basicConstraints: a CA:FALSE certificate as an issuer, a CA as the server's leaf,
        // or an issuer deeper in the path than its pathLenConstraint allows.
        E::EndEntityUsedAsCa | E::CaUsedAsEndEntity | E::PathLenConstraintViolated => {
            TlsError::IssuerNotCa
        }
        E::RequiredEkuNotFound | E::RequiredEkuNotFoundContext(_) | E::EmptyEkuExtension => {
            TlsError::InvalidPurpose
        }
        // Malformed certificates, unsupported algorithms, versions or critical extensions.
        _ => TlsError::UnsupportedCertificate,
    }
}

/// rustls' closest error for our refusal; those rustls has no variant for (issuer not a CA,
/// no keyCertSign, weak key) are `ApplicationVerificationFailure`.
fn certificate_error(refusal: TlsError) -> CertificateError {
    match refusal {
        TlsError::UnknownIssuer => CertificateError::UnknownIssuer,
        TlsError::BadSignature => CertificateError::BadSignature,
        TlsError::NotValidForName => CertificateError::NotValidForName,
        TlsError::Expired => CertificateError::Expired,
        TlsError::NotYetValid => CertificateError::NotValidYet,
        TlsError::InvalidPurpose => CertificateError::InvalidPurpose,
        TlsError::UnsupportedCertificate => CertificateError::BadEncoding,
        _ => CertificateError::ApplicationVerificationFailure,
    }
}

#[cfg(test)]
mod tests {
    use alloc::sync::Arc;
    use alloc::vec;
    use alloc::vec::Vec;
    use core::time::Duration;

    extern crate std;
    use std::sync::OnceLock;

    use cognito_tests::pki::{BadCert, TestPki};
    use rand_chacha::ChaCha20Rng;
    use rand_chacha::rand_core::SeedableRng;
    use rcgen::{
        BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose,
        IsCa, Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256, PKCS_RSA_SHA256,
        date_time_ymd,
    };
    use rsa::pkcs1::{DecodeRsaPublicKey, EncodeRsaPublicKey};
    use rsa::pkcs8::EncodePrivateKey;
    use rsa::sha2::Sha256;
    use rsa::signature::{SignatureEncoding, Signer, Verifier as _};
    use rustls::crypto::ring;
    use rustls::pki_types::{
        AlgorithmIdentifier, InvalidSignature, PrivateKeyDer, PrivatePkcs8KeyDer,
        SignatureVerificationAlgorithm, alg_id,
    };
    use rustls::server::{ClientHello, ResolvesServerCert};
    use rustls::sign::CertifiedKey;
    use rustls::{ClientConfig, ClientConnection, ServerConfig, ServerConnection};

    use super::*;

    /// The test PKI, made once (it takes seconds).
    fn pki() -> &'static TestPki {
        static PKI: OnceLock<TestPki> = OnceLock::new();
        PKI.get_or_init(|| TestPki::generate().unwrap())
    }

    /// ring's signature algorithms (they refuse RSA keys under 2048 bits that sign).
    fn ring_algorithms() -> WebPkiSupportedAlgorithms {
        ring::default_provider().signature_verification_algorithms
    }

    /// Algorithms that, like our RustCrypto provider, verify RSA signatures of any key size.
    static LAX_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
        all: &[&LaxRsaPkcs1Sha256, webpki::ring::ECDSA_P256_SHA256],
        mapping: &[],
    };

    /// RSA PKCS #1 v1.5 with SHA-256 on the `rsa` crate, with no minimum key size.
    #[derive(Debug)]
    struct LaxRsaPkcs1Sha256;

    impl SignatureVerificationAlgorithm for LaxRsaPkcs1Sha256 {
        fn verify_signature(
            &self,
            public_key: &[u8],
            message: &[u8],
            signature: &[u8],
        ) -> Result<(), InvalidSignature> {
            let key =
                rsa::RsaPublicKey::from_pkcs1_der(public_key).map_err(|_| InvalidSignature)?;
            let signature =
                rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
            rsa::pkcs1v15::VerifyingKey::<Sha256>::new(key)
                .verify(message, &signature)
                .map_err(|_| InvalidSignature)
        }

        fn public_key_alg_id(&self) -> AlgorithmIdentifier {
            alg_id::RSA_ENCRYPTION
        }

        fn signature_alg_id(&self) -> AlgorithmIdentifier {
            alg_id::RSA_PKCS1_SHA256
        }
    }

    /// A time inside the test PKI's validity (the system clock).
    fn now() -> UnixTime {
        let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
        UnixTime::since_unix_epoch(since.unwrap())
    }

    /// Unix seconds as a `UnixTime`.
    fn at(secs: u64) -> UnixTime {
        UnixTime::since_unix_epoch(Duration::from_secs(secs))
    }

    /// 2030-01-01, inside the validity of the chains made here.
    const IN_2030: u64 = 1_893_456_000;

    /// A verifier trusting the root `root` (DER).
    fn trusting(root: &[u8], algorithms: WebPkiSupportedAlgorithms) -> Verifier {
        Verifier::new(
            TrustAnchors::from_der_certificates([root]).unwrap(),
            algorithms,
        )
    }

    /// A verifier trusting the test PKI's root, with ring's algorithms.
    fn pki_verifier() -> Verifier {
        trusting(&pki().root.der, ring_algorithms())
    }

    /// Verifies `leaf` with `intermediates` for `name` at `time`; checks that a refusal is
    /// remembered and that rustls' error matches it.
    fn verify(
        verifier: &Verifier,
        leaf: &[u8],
        intermediates: &[&[u8]],
        name: &'static str,
        time: UnixTime,
    ) -> Result<(), TlsError> {
        let leaf = CertificateDer::from(leaf);
        let intermediates: Vec<_> = intermediates
            .iter()
            .map(|der| CertificateDer::from(*der))
            .collect();
        let name = ServerName::try_from(name).unwrap();
        match verifier.verify_server_cert(&leaf, &intermediates, &name, &[], time) {
            Ok(_) => {
                assert_eq!(verifier.refusal(), None);
                Ok(())
            }
            Err(error) => {
                let refusal = verifier.refusal().expect("a refusal is remembered");
                let expected = rustls::Error::InvalidCertificate(certificate_error(refusal));
                assert_eq!(error, expected);
                Err(refusal)
            }
        }
    }

    /// The chain of a test PKI identity: its leaf, and the rest as intermediates.
    fn split(chain: &[Vec<u8>]) -> (&[u8], Vec<&[u8]>) {
        let (leaf, rest) = chain.split_first().unwrap();
        (leaf, rest.iter().map(Vec::as_slice).collect())
    }

    /// Verifies a test PKI identity's chain as presented.
    fn verify_chain(
        verifier: &Verifier,
        chain: &[Vec<u8>],
        name: &'static str,
        time: UnixTime,
    ) -> Result<(), TlsError> {
        let (leaf, intermediates) = split(chain);
        verify(verifier, leaf, &intermediates, name, time)
    }

    #[test]
    fn verifier_is_send_sync() {
        fn check<T: Send + Sync + 'static>() {}
        check::<Verifier>();
    }

    #[test]
    fn every_refusal_has_a_code() {
        for refusal in REFUSALS {
            let verifier = pki_verifier_without_pki();
            let _ = verifier.refuse(refusal);
            assert_eq!(verifier.refusal(), Some(refusal));
        }
        assert_eq!(code(TlsError::Closed), 0);
    }

    /// A verifier with no anchors, for tests that need no PKI.
    fn pki_verifier_without_pki() -> Verifier {
        Verifier::new(TrustAnchors::from_static(&[]), ring_algorithms())
    }

    #[test]
    fn the_good_chain_is_accepted_for_its_names() {
        let verifier = pki_verifier();
        let chain = pki().server.chain_der();
        assert_eq!(verify_chain(&verifier, &chain, "localhost", now()), Ok(()));
        assert_eq!(verify_chain(&verifier, &chain, "127.0.0.1", now()), Ok(()));
        assert_eq!(
            verify_chain(&verifier, &chain, "127.0.0.2", now()),
            Err(TlsError::NotValidForName)
        );
        assert_eq!(
            verify_chain(&verifier, &chain, "example.com", now()),
            Err(TlsError::NotValidForName)
        );
    }

    #[test]
    fn extra_or_misordered_intermediates_are_accepted() {
        let verifier = pki_verifier();
        let pki = pki();
        let leaf = &pki.server.chain[0].der;
        let weak_intermediate = &pki.intermediate_without_cert_sign.chain[1].der;
        let garbage: &[u8] = b"not a certificate";
        for intermediates in [
            vec![pki.other_root.der.as_slice(), &pki.intermediate.der],
            vec![
                weak_intermediate,
                &pki.intermediate.der,
                &pki.other_root.der,
            ],
            vec![&pki.root.der, &pki.intermediate.der],
            vec![garbage, &pki.intermediate.der],
            vec![&pki.intermediate.der, &pki.intermediate.der],
        ] {
            assert_eq!(
                verify(&verifier, leaf, &intermediates, "localhost", now()),
                Ok(())
            );
        }
        // Without the intermediate, no path.
        assert_eq!(
            verify(&verifier, leaf, &[&pki.other_root.der], "localhost", now()),
            Err(TlsError::UnknownIssuer)
        );
    }

    #[test]
    fn a_wildcard_covers_one_label() {
        let verifier = pki_verifier();
        let chain = pki().wildcard.chain_der();
        assert_eq!(
            verify_chain(&verifier, &chain, "a.test.local", now()),
            Ok(())
        );
        for name in ["test.local", "a.b.test.local", "atest.local"] {
            assert_eq!(
                verify_chain(&verifier, &chain, name, now()),
                Err(TlsError::NotValidForName),
                "{name}"
            );
        }
    }

    #[test]
    fn each_bad_chain_is_refused_for_its_reason() {
        let verifier = pki_verifier();
        for (bad, expected, rustls_error) in [
            (
                BadCert::UntrustedRoot,
                TlsError::UnknownIssuer,
                CertificateError::UnknownIssuer,
            ),
            (
                BadCert::ImpostorRoot,
                TlsError::BadSignature,
                CertificateError::BadSignature,
            ),
            (
                BadCert::WrongHost,
                TlsError::NotValidForName,
                CertificateError::NotValidForName,
            ),
            (
                BadCert::Expired,
                TlsError::Expired,
                CertificateError::Expired,
            ),
            (
                BadCert::NotYetValid,
                TlsError::NotYetValid,
                CertificateError::NotValidYet,
            ),
            (
                BadCert::NonCaIssuer,
                TlsError::IssuerNotCa,
                CertificateError::ApplicationVerificationFailure,
            ),
        ] {
            let chain = pki().bad(bad).chain_der();
            assert_eq!(
                verify_chain(&verifier, &chain, "localhost", now()),
                Err(expected),
                "{}",
                bad.name()
            );
            assert_eq!(verifier.refusal(), Some(expected));
            let (leaf, intermediates) = split(&chain);
            let intermediates: Vec<_> = intermediates
                .into_iter()
                .map(CertificateDer::from)
                .collect();
            let name = ServerName::try_from("localhost").unwrap();
            let error = verifier
                .verify_server_cert(&leaf.into(), &intermediates, &name, &[], now())
                .unwrap_err();
            assert_eq!(error, rustls::Error::InvalidCertificate(rustls_error));
        }
    }

    #[test]
    fn an_intermediate_without_key_cert_sign_is_refused() {
        let verifier = pki_verifier();
        let chain = pki().intermediate_without_cert_sign.chain_der();
        assert_eq!(
            verify_chain(&verifier, &chain, "localhost", now()),
            Err(TlsError::IssuerCannotSignCertificates)
        );
    }

    /// A CA certificate as the server's own is refused (webpki's `CaUsedAsEndEntity`).
    #[test]
    fn a_ca_as_the_leaf_is_refused() {
        let verifier = pki_verifier();
        let pki = pki();
        assert_eq!(
            verify(&verifier, &pki.intermediate.der, &[], "localhost", now()),
            Err(TlsError::IssuerNotCa)
        );
    }

    #[test]
    fn validity_is_judged_at_the_given_time() {
        let verifier = pki_verifier();
        let pki = pki();
        let chain = pki.server.chain_der();
        let verify_at = |secs: u64| verify_chain(&verifier, &chain, "localhost", at(secs));
        assert_eq!(verify_at(pki.not_before - 1), Err(TlsError::NotYetValid));
        assert_eq!(verify_at(pki.not_before), Ok(()));
        assert_eq!(verify_at(pki.not_after), Ok(()));
        assert_eq!(verify_at(pki.not_after + 1), Err(TlsError::Expired));
        assert_eq!(verify_at(0), Err(TlsError::NotYetValid));
    }

    #[test]
    fn an_empty_or_garbage_leaf_is_unsupported() {
        let verifier = pki_verifier();
        let pki = pki();
        let intermediate: &[u8] = &pki.intermediate.der;
        let leaf = &pki.server.chain[0].der;
        for bad_leaf in [&[][..], b"garbage", &leaf[..leaf.len() - 1], &[0x30, 0x00]] {
            assert_eq!(
                verify(&verifier, bad_leaf, &[intermediate], "localhost", now()),
                Err(TlsError::UnsupportedCertificate)
            );
        }
    }

    #[test]
    fn an_acceptance_forgets_the_last_refusal() {
        let verifier = pki_verifier();
        let pki = pki();
        let expired = pki.bad(BadCert::Expired).chain_der();
        assert_eq!(
            verify_chain(&verifier, &expired, "localhost", now()),
            Err(TlsError::Expired)
        );
        let good = pki.server.chain_der();
        assert_eq!(verify_chain(&verifier, &good, "localhost", now()), Ok(()));
        assert_eq!(verifier.refusal(), None);
    }

    #[test]
    fn no_anchors_trust_nothing() {
        let verifier = pki_verifier_without_pki();
        let chain = pki().server.chain_der();
        assert_eq!(
            verify_chain(&verifier, &chain, "localhost", now()),
            Err(TlsError::UnknownIssuer)
        );
    }

    #[test]
    fn the_amazon_anchors_do_not_trust_the_test_pki() {
        let verifier = Verifier::new(TrustAnchors::amazon(), ring_algorithms());
        let chain = pki().server.chain_der();
        assert_eq!(
            verify_chain(&verifier, &chain, "localhost", now()),
            Err(TlsError::UnknownIssuer)
        );
    }

    // Chains made here: ECDSA P-256 keys (quick to make) where the key does not matter, RSA
    // keys from the `rsa` crate where it does.

    /// An RSA key of `bits` bits from the `rsa` crate (any size: ring's signer refuses those
    /// under 2048 bits), deterministic for a `seed`.
    struct RsaKey {
        private: rsa::RsaPrivateKey,
        public_pkcs1: Vec<u8>,
    }

    impl RsaKey {
        fn new(bits: usize, seed: u64) -> Self {
            let private =
                rsa::RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(seed), bits).unwrap();
            let public_pkcs1 = private.to_public_key().to_pkcs1_der().unwrap().into_vec();
            Self {
                private,
                public_pkcs1,
            }
        }
    }

    impl rcgen::PublicKeyData for RsaKey {
        fn der_bytes(&self) -> &[u8] {
            &self.public_pkcs1
        }

        fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
            &PKCS_RSA_SHA256
        }
    }

    impl rcgen::SigningKey for RsaKey {
        fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
            let key = rsa::pkcs1v15::SigningKey::<Sha256>::new(self.private.clone());
            Ok(key.sign(message).to_vec())
        }
    }

    /// A P-256 key.
    fn p256() -> KeyPair {
        KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap()
    }

    /// `CN=common_name`.
    fn name(common_name: &str) -> DistinguishedName {
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, common_name);
        name
    }

    /// A CA called `common_name` with `key_usages` (none: no keyUsage extension).
    fn ca(common_name: &str, key_usages: &[KeyUsagePurpose]) -> CertificateParams {
        let mut params = CertificateParams::default();
        params.distinguished_name = name(common_name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = key_usages.to_vec();
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2040, 1, 1);
        params
    }

    /// The usual key usage of a CA.
    const CA_USAGE: [KeyUsagePurpose; 2] = [KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];

    /// A server leaf for `localhost`.
    fn leaf() -> CertificateParams {
        let mut params = CertificateParams::new(vec!["localhost".into()]).unwrap();
        params.distinguished_name = name("localhost");
        params.is_ca = IsCa::ExplicitNoCa;
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.not_before = date_time_ymd(2020, 1, 1);
        params.not_after = date_time_ymd(2040, 1, 1);
        params
    }

    /// A self-signed P-256 root: its parameters, key and certificate (DER).
    fn root() -> (CertificateParams, KeyPair, Vec<u8>) {
        let params = ca("Root", &CA_USAGE);
        let key = p256();
        let der = params.self_signed(&key).unwrap().der().to_vec();
        (params, key, der)
    }

    #[test]
    fn intermediates_in_reverse_order_are_accepted() {
        let (root_params, root_key, root_der) = root();
        let root = Issuer::from_params(&root_params, &root_key);
        let (upper_params, upper_key) = (ca("Upper", &CA_USAGE), p256());
        let upper_der = upper_params.signed_by(&upper_key, &root).unwrap();
        let upper = Issuer::from_params(&upper_params, &upper_key);
        let (lower_params, lower_key) = (ca("Lower", &CA_USAGE), p256());
        let lower_der = lower_params.signed_by(&lower_key, &upper).unwrap();
        let lower = Issuer::from_params(&lower_params, &lower_key);
        let leaf_der = leaf().signed_by(&p256(), &lower).unwrap();

        let verifier = trusting(&root_der, ring_algorithms());
        let time = at(IN_2030);
        let (upper_der, lower_der) = (upper_der.der().as_ref(), lower_der.der().as_ref());
        for intermediates in [[lower_der, upper_der], [upper_der, lower_der]] {
            assert_eq!(
                verify(&verifier, leaf_der.der(), &intermediates, "localhost", time),
                Ok(())
            );
        }
        assert_eq!(
            verify(&verifier, leaf_der.der(), &[upper_der], "localhost", time),
            Err(TlsError::UnknownIssuer)
        );
    }

    /// An issuer without a keyUsage extension is accepted (RFC 5280 §6.1.4 (n)).
    #[test]
    fn an_intermediate_without_key_usage_is_accepted() {
        let (root_params, root_key, root_der) = root();
        let root = Issuer::from_params(&root_params, &root_key);
        let (params, key) = (ca("No keyUsage", &[]), p256());
        let intermediate_der = params.signed_by(&key, &root).unwrap();
        let intermediate = Issuer::from_params(&params, &key);
        let leaf_der = leaf().signed_by(&p256(), &intermediate).unwrap();
        let verifier = trusting(&root_der, ring_algorithms());
        assert_eq!(
            verify(
                &verifier,
                leaf_der.der(),
                &[intermediate_der.der()],
                "localhost",
                at(IN_2030)
            ),
            Ok(())
        );
    }

    /// Two certificates of one intermediate (the same name and key): one without keyCertSign,
    /// the other with it, valid or expired. A path through the good one is accepted; when the
    /// other has expired, the refusal is the keyCertSign one, though webpki alone would report
    /// the expiry (its most "specific" error) of the other path.
    #[test]
    fn our_refusal_is_reported_whatever_other_paths_fail_with() {
        let (root_params, root_key, root_der) = root();
        let root = Issuer::from_params(&root_params, &root_key);
        let key = p256();
        let no_cert_sign = ca("Intermediate", &[KeyUsagePurpose::DigitalSignature]);
        let no_cert_sign_der = no_cert_sign.signed_by(&key, &root).unwrap();
        let good = ca("Intermediate", &CA_USAGE);
        let good_der = good.signed_by(&key, &root).unwrap();
        let mut expired = ca("Intermediate", &CA_USAGE);
        expired.not_after = date_time_ymd(2021, 1, 1);
        let expired_der = expired.signed_by(&key, &root).unwrap();
        let leaf_der = leaf()
            .signed_by(&p256(), &Issuer::from_params(&good, &key))
            .unwrap();

        let verifier = trusting(&root_der, ring_algorithms());
        let time = at(IN_2030);
        let check = |intermediates: &[&CertificateDer<'_>]| {
            let intermediates: Vec<&[u8]> = intermediates.iter().map(|c| c.as_ref()).collect();
            verify(&verifier, leaf_der.der(), &intermediates, "localhost", time)
        };
        assert_eq!(check(&[no_cert_sign_der.der(), good_der.der()]), Ok(()));
        assert_eq!(check(&[good_der.der(), no_cert_sign_der.der()]), Ok(()));
        assert_eq!(check(&[expired_der.der()]), Err(TlsError::Expired));
        for order in [
            [no_cert_sign_der.der(), expired_der.der()],
            [expired_der.der(), no_cert_sign_der.der()],
        ] {
            assert_eq!(check(&order), Err(TlsError::IssuerCannotSignCertificates));
        }
        // webpki alone (no hook) reports the other path's expiry.
        let leaf = EndEntityCert::try_from(leaf_der.der()).unwrap();
        let anchors = TrustAnchors::from_der_certificates([root_der.as_slice()]).unwrap();
        let intermediates = [no_cert_sign_der.der().clone(), expired_der.der().clone()];
        let hook = |_: &VerifiedPath<'_>| Err(webpki::Error::UnknownIssuer);
        let alone = leaf.verify_for_usage(
            ring_algorithms().all,
            anchors.as_slice(),
            &intermediates,
            time,
            webpki::KeyUsage::server_auth(),
            None,
            Some(&hook),
        );
        assert!(matches!(alone, Err(webpki::Error::CertExpired { .. })));
    }

    #[test]
    fn an_rsa_1024_leaf_is_refused() {
        let (root_params, root_key, root_der) = root();
        let root = Issuer::from_params(&root_params, &root_key);
        let leaf_der = leaf().signed_by(&RsaKey::new(1024, 1), &root).unwrap();
        for algorithms in [ring_algorithms(), LAX_ALGORITHMS] {
            let verifier = trusting(&root_der, algorithms);
            assert_eq!(
                verify(&verifier, leaf_der.der(), &[], "localhost", at(IN_2030)),
                Err(TlsError::WeakKey)
            );
        }
    }

    #[test]
    fn an_rsa_1024_intermediate_is_refused() {
        let (root_params, root_key, root_der) = root();
        let root = Issuer::from_params(&root_params, &root_key);
        let weak_key = RsaKey::new(1024, 2);
        let weak_params = ca("Weak", &CA_USAGE);
        let weak_der = weak_params.signed_by(&weak_key, &root).unwrap();
        let weak = Issuer::from_params(&weak_params, &weak_key);
        let leaf_der = leaf().signed_by(&p256(), &weak).unwrap();
        let check = |algorithms| {
            let verifier = trusting(&root_der, algorithms);
            verify(
                &verifier,
                leaf_der.der(),
                &[weak_der.der()],
                "localhost",
                at(IN_2030),
            )
        };
        // With algorithms that take any RSA size (as our RustCrypto provider does), our check
        // refuses the key; ring's refuses the signature made with it first.
        assert_eq!(check(LAX_ALGORITHMS), Err(TlsError::WeakKey));
        assert_eq!(check(ring_algorithms()), Err(TlsError::BadSignature));
    }

    #[test]
    fn rsa_key_sizes_of_the_amazon_roots() {
        use super::super::anchors::AMAZON_CERTIFICATES;
        let bits: Vec<_> = AMAZON_CERTIFICATES
            .iter()
            .map(|der| {
                let cert = Certificate::from_der(der).unwrap();
                check_certificate(der, true).unwrap();
                rsa_modulus_bits(&cert.tbs_certificate.subject_public_key_info).unwrap()
            })
            .collect();
        assert_eq!(bits, [Some(2048), Some(4096), None, None, Some(2048)]);
    }

    /// A server certificate resolver that always presents one certified key.
    #[derive(Debug)]
    struct Present(Arc<CertifiedKey>);

    impl ResolvesServerCert for Present {
        fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
            Some(self.0.clone())
        }
    }

    /// A handshake in memory over `version`: our verifier (trusting the test PKI) against a
    /// server presenting the chain `chain` and signing with `key` (PKCS #8).
    fn handshake(
        version: &'static rustls::SupportedProtocolVersion,
        chain: &[Vec<u8>],
        key: &[u8],
    ) -> (Result<(), rustls::Error>, Option<TlsError>) {
        let provider = Arc::new(ring::default_provider());
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec()));
        let chain = chain
            .iter()
            .map(|c| CertificateDer::from(c.clone()))
            .collect();
        let certified = CertifiedKey::new(chain, ring::sign::any_supported_type(&key).unwrap());
        let server_config = ServerConfig::builder_with_provider(provider.clone())
            .with_protocol_versions(&[version])
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(Arc::new(Present(Arc::new(certified))));
        let verifier = Arc::new(pki_verifier());
        let client_config = ClientConfig::builder_with_provider(provider)
            .with_protocol_versions(&[version])
            .unwrap()
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone())
            .with_no_client_auth();
        let name = ServerName::try_from("localhost").unwrap();
        let mut client = ClientConnection::new(Arc::new(client_config), name).unwrap();
        let mut server = ServerConnection::new(Arc::new(server_config)).unwrap();
        let outcome = pump(&mut client, &mut server);
        (outcome, verifier.refusal())
    }

    /// Moves records between `client` and `server` until the handshake ends or the client
    /// fails.
    fn pump(
        client: &mut ClientConnection,
        server: &mut ServerConnection,
    ) -> Result<(), rustls::Error> {
        for _ in 0..16 {
            if !client.is_handshaking() && !server.is_handshaking() {
                return Ok(());
            }
            let mut records = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut records).unwrap();
            }
            let mut unread = records.as_slice();
            while !unread.is_empty() {
                server.read_tls(&mut unread).unwrap();
                server.process_new_packets().unwrap();
            }
            records.clear();
            while server.wants_write() {
                server.write_tls(&mut records).unwrap();
            }
            let mut unread = records.as_slice();
            while !unread.is_empty() {
                client.read_tls(&mut unread).unwrap();
                client.process_new_packets()?;
            }
        }
        panic!("the handshake did not end");
    }

    #[test]
    fn a_handshake_with_the_good_server_succeeds() {
        let pki = pki();
        for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
            let outcome = handshake(version, &pki.server.chain_der(), &pki.leaf_key.der);
            assert_eq!(outcome, (Ok(()), None), "{version:?}");
        }
    }

    #[test]
    fn a_handshake_signed_with_another_key_is_refused() {
        let pki = pki();
        let other = RsaKey::new(2048, 3).private.to_pkcs8_der().unwrap();
        for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
            let (outcome, refusal) = handshake(version, &pki.server.chain_der(), other.as_bytes());
            assert_eq!(
                outcome,
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::BadSignature
                )),
                "{version:?}"
            );
            assert_eq!(
                refusal,
                Some(TlsError::BadHandshakeSignature),
                "{version:?}"
            );
        }
    }

    #[test]
    fn a_handshake_with_a_refused_chain_reports_why() {
        let pki = pki();
        let chain = pki.intermediate_without_cert_sign.chain_der();
        for version in [&rustls::version::TLS12, &rustls::version::TLS13] {
            let (outcome, refusal) = handshake(version, &chain, &pki.leaf_key.der);
            assert_eq!(
                outcome,
                Err(rustls::Error::InvalidCertificate(
                    CertificateError::ApplicationVerificationFailure
                ))
            );
            assert_eq!(refusal, Some(TlsError::IssuerCannotSignCertificates));
        }
    }
}
