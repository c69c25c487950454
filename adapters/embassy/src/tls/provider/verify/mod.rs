//! Signature verification for certificates and handshakes: RSA (PKCS #1 v1.5 and PSS, with
//! SHA-256, SHA-384 or SHA-512, keys of 2048 to 8192 bits) and ECDSA over P-256 and P-384.

mod ecdsa;
mod rsa;

use rustls::SignatureScheme;
use rustls::crypto::WebPkiSupportedAlgorithms;
use rustls_pki_types::SignatureVerificationAlgorithm;

use self::ecdsa::{Curve, Ecdsa};
use self::rsa::{Padding, Rsa};

/// The hash a signature was made over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hash {
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

/// ECDSA, P-256 key, SHA-256.
static ECDSA_P256_SHA256: &dyn SignatureVerificationAlgorithm =
    &Ecdsa::new(Curve::P256, Hash::Sha256);
/// ECDSA, P-256 key, SHA-384.
static ECDSA_P256_SHA384: &dyn SignatureVerificationAlgorithm =
    &Ecdsa::new(Curve::P256, Hash::Sha384);
/// ECDSA, P-384 key, SHA-256.
static ECDSA_P384_SHA256: &dyn SignatureVerificationAlgorithm =
    &Ecdsa::new(Curve::P384, Hash::Sha256);
/// ECDSA, P-384 key, SHA-384.
static ECDSA_P384_SHA384: &dyn SignatureVerificationAlgorithm =
    &Ecdsa::new(Curve::P384, Hash::Sha384);
/// RSA PKCS #1 v1.5, SHA-256.
static RSA_PKCS1_SHA256: &dyn SignatureVerificationAlgorithm =
    &Rsa::new(Padding::Pkcs1, Hash::Sha256);
/// RSA PKCS #1 v1.5, SHA-384.
static RSA_PKCS1_SHA384: &dyn SignatureVerificationAlgorithm =
    &Rsa::new(Padding::Pkcs1, Hash::Sha384);
/// RSA PKCS #1 v1.5, SHA-512.
static RSA_PKCS1_SHA512: &dyn SignatureVerificationAlgorithm =
    &Rsa::new(Padding::Pkcs1, Hash::Sha512);
/// RSA-PSS, SHA-256 (MGF1 with SHA-256, 32 bytes of salt), key of type rsaEncryption.
static RSA_PSS_SHA256: &dyn SignatureVerificationAlgorithm = &Rsa::new(Padding::Pss, Hash::Sha256);
/// RSA-PSS, SHA-384 (MGF1 with SHA-384, 48 bytes of salt), key of type rsaEncryption.
static RSA_PSS_SHA384: &dyn SignatureVerificationAlgorithm = &Rsa::new(Padding::Pss, Hash::Sha384);
/// RSA-PSS, SHA-512 (MGF1 with SHA-512, 64 bytes of salt), key of type rsaEncryption.
static RSA_PSS_SHA512: &dyn SignatureVerificationAlgorithm = &Rsa::new(Padding::Pss, Hash::Sha512);

/// The algorithms for certificate signatures (`all`) and for the handshake's signature schemes
/// (`mapping`, in the order the client offers them). A TLS 1.2 ECDSA scheme names only the hash,
/// so it maps to both curves; TLS 1.3 uses the first entry, the curve the scheme names.
pub(crate) static SIGNATURE_ALGORITHMS: WebPkiSupportedAlgorithms = WebPkiSupportedAlgorithms {
    all: &[
        ECDSA_P256_SHA256,
        ECDSA_P256_SHA384,
        ECDSA_P384_SHA256,
        ECDSA_P384_SHA384,
        RSA_PKCS1_SHA256,
        RSA_PKCS1_SHA384,
        RSA_PKCS1_SHA512,
        RSA_PSS_SHA256,
        RSA_PSS_SHA384,
        RSA_PSS_SHA512,
    ],
    mapping: &[
        (
            SignatureScheme::ECDSA_NISTP256_SHA256,
            &[ECDSA_P256_SHA256, ECDSA_P384_SHA256],
        ),
        (
            SignatureScheme::ECDSA_NISTP384_SHA384,
            &[ECDSA_P384_SHA384, ECDSA_P256_SHA384],
        ),
        (SignatureScheme::RSA_PSS_SHA256, &[RSA_PSS_SHA256]),
        (SignatureScheme::RSA_PSS_SHA384, &[RSA_PSS_SHA384]),
        (SignatureScheme::RSA_PSS_SHA512, &[RSA_PSS_SHA512]),
        (SignatureScheme::RSA_PKCS1_SHA256, &[RSA_PKCS1_SHA256]),
        (SignatureScheme::RSA_PKCS1_SHA384, &[RSA_PKCS1_SHA384]),
        (SignatureScheme::RSA_PKCS1_SHA512, &[RSA_PKCS1_SHA512]),
    ],
};
