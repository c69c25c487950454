//! ECDSA over P-256 and P-384: public keys as uncompressed points, signatures in ASN.1 DER.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use rustls::crypto::hash::Output;
use rustls_pki_types::{
    AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id,
};
use sha2::Digest;

use super::Hash;

/// The curve of the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Curve {
    /// NIST P-256 (secp256r1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
}

/// ECDSA with a key on `curve` over a digest by `hash`.
#[derive(Debug)]
pub(super) struct Ecdsa {
    curve: Curve,
    hash: Hash,
}

impl Ecdsa {
    /// The algorithm for this curve and hash.
    pub(super) const fn new(curve: Curve, hash: Hash) -> Self {
        Self { curve, hash }
    }
}

/// `message`'s digest by `hash`.
fn digest(hash: Hash, message: &[u8]) -> Output {
    match hash {
        Hash::Sha256 => Output::new(&sha2::Sha256::digest(message)),
        Hash::Sha384 => Output::new(&sha2::Sha384::digest(message)),
        Hash::Sha512 => Output::new(&sha2::Sha512::digest(message)),
    }
}

impl SignatureVerificationAlgorithm for Ecdsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        // Only the uncompressed form (RFC 5480 section 2.2), as ring and webpki take.
        if public_key.first() != Some(&0x04) {
            return Err(InvalidSignature);
        }
        // A digest longer than the curve is cut to its leftmost bits, a shorter one is taken as
        // the number it is (FIPS 186-4 section 6.4): the "prehash" verification does both.
        let prehash = digest(self.hash, message);
        match self.curve {
            Curve::P256 => {
                let key = p256::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                    .map_err(|_| InvalidSignature)?;
                let signature =
                    p256::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
                key.verify_prehash(prehash.as_ref(), &signature)
            }
            Curve::P384 => {
                let key = p384::ecdsa::VerifyingKey::from_sec1_bytes(public_key)
                    .map_err(|_| InvalidSignature)?;
                let signature =
                    p384::ecdsa::Signature::from_der(signature).map_err(|_| InvalidSignature)?;
                key.verify_prehash(prehash.as_ref(), &signature)
            }
        }
        .map_err(|_| InvalidSignature)
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        match self.curve {
            Curve::P256 => alg_id::ECDSA_P256,
            Curve::P384 => alg_id::ECDSA_P384,
        }
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match self.hash {
            Hash::Sha256 => alg_id::ECDSA_SHA256,
            Hash::Sha384 => alg_id::ECDSA_SHA384,
            Hash::Sha512 => alg_id::ECDSA_SHA512,
        }
    }
}
