//! RSA signatures, PKCS #1 v1.5 and PSS, over keys of type rsaEncryption of 2048 to 8192 bits.

use rsa::pkcs1::der::Decode;
use rsa::signature::Verifier;
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPublicKey};
use rustls_pki_types::{
    AlgorithmIdentifier, InvalidSignature, SignatureVerificationAlgorithm, alg_id,
};
use sha2::{Sha256, Sha384, Sha512};

use super::Hash;

/// The smallest modulus accepted: shorter keys are refused whatever they signed.
pub(super) const MIN_BITS: usize = 2048;

/// The largest modulus accepted (verification time grows with it).
const MAX_BITS: usize = 8192;

/// The padding of the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Padding {
    /// RSASSA-PKCS1-v1_5.
    Pkcs1,
    /// RSASSA-PSS with MGF1 over the same hash and a salt as long as the digest (what TLS 1.3
    /// and the RSA-PSS algorithm identifiers of certificates require).
    Pss,
}

/// RSA with `padding` over a digest by `hash`.
#[derive(Debug)]
pub(super) struct Rsa {
    padding: Padding,
    hash: Hash,
}

impl Rsa {
    /// The algorithm for this padding and hash.
    pub(super) const fn new(padding: Padding, hash: Hash) -> Self {
        Self { padding, hash }
    }
}

/// The RSAPublicKey (RFC 8017 appendix A.1.1) in `der`, if its modulus has an accepted size.
fn public_key(der: &[u8]) -> Result<RsaPublicKey, InvalidSignature> {
    let parsed = rsa::pkcs1::RsaPublicKey::from_der(der).map_err(|_| InvalidSignature)?;
    let n = BigUint::from_bytes_be(parsed.modulus.as_bytes());
    let e = BigUint::from_bytes_be(parsed.public_exponent.as_bytes());
    // Checks the exponent (odd, small) and the modulus (odd, at most MAX_BITS).
    let key = RsaPublicKey::new_with_max_size(n, e, MAX_BITS).map_err(|_| InvalidSignature)?;
    if key.n().bits() < MIN_BITS {
        return Err(InvalidSignature);
    }
    Ok(key)
}

/// Checks a PKCS #1 v1.5 signature with the digest `D`.
fn pkcs1<D>(key: RsaPublicKey, message: &[u8], signature: &[u8]) -> Result<(), InvalidSignature>
where
    D: sha2::Digest + rsa::pkcs8::AssociatedOid,
{
    let signature = rsa::pkcs1v15::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
    rsa::pkcs1v15::VerifyingKey::<D>::new(key)
        .verify(message, &signature)
        .map_err(|_| InvalidSignature)
}

/// Checks a PSS signature with the digest `D` (salt as long as the digest).
fn pss<D>(key: RsaPublicKey, message: &[u8], signature: &[u8]) -> Result<(), InvalidSignature>
where
    D: sha2::Digest + sha2::digest::FixedOutputReset,
{
    let signature = rsa::pss::Signature::try_from(signature).map_err(|_| InvalidSignature)?;
    rsa::pss::VerifyingKey::<D>::new(key)
        .verify(message, &signature)
        .map_err(|_| InvalidSignature)
}

impl SignatureVerificationAlgorithm for Rsa {
    fn verify_signature(
        &self,
        public_key: &[u8],
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), InvalidSignature> {
        let key = self::public_key(public_key)?;
        match (self.padding, self.hash) {
            (Padding::Pkcs1, Hash::Sha256) => pkcs1::<Sha256>(key, message, signature),
            (Padding::Pkcs1, Hash::Sha384) => pkcs1::<Sha384>(key, message, signature),
            (Padding::Pkcs1, Hash::Sha512) => pkcs1::<Sha512>(key, message, signature),
            (Padding::Pss, Hash::Sha256) => pss::<Sha256>(key, message, signature),
            (Padding::Pss, Hash::Sha384) => pss::<Sha384>(key, message, signature),
            (Padding::Pss, Hash::Sha512) => pss::<Sha512>(key, message, signature),
        }
    }

    fn public_key_alg_id(&self) -> AlgorithmIdentifier {
        alg_id::RSA_ENCRYPTION
    }

    fn signature_alg_id(&self) -> AlgorithmIdentifier {
        match (self.padding, self.hash) {
            (Padding::Pkcs1, Hash::Sha256) => alg_id::RSA_PKCS1_SHA256,
            (Padding::Pkcs1, Hash::Sha384) => alg_id::RSA_PKCS1_SHA384,
            (Padding::Pkcs1, Hash::Sha512) => alg_id::RSA_PKCS1_SHA512,
            (Padding::Pss, Hash::Sha256) => alg_id::RSA_PSS_SHA256,
            (Padding::Pss, Hash::Sha384) => alg_id::RSA_PSS_SHA384,
            (Padding::Pss, Hash::Sha512) => alg_id::RSA_PSS_SHA512,
        }
    }
}
