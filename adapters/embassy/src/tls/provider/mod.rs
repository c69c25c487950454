//! The crypto provider of the TLS layer, on RustCrypto primitives: TLS 1.3 and 1.2 suites with
//! AES-GCM and ChaCha20-Poly1305, ECDHE over X25519 and P-256, RSA and ECDSA signature checks,
//! and randomness from one ChaCha20 generator that the board's entropy seeds.
//!
//! Nothing here draws on the operating system: until [`add_entropy`] has run once, every request
//! for random bytes fails, and so does the handshake.

mod aead;
mod hash;
mod hmac;
mod keys;
mod kx;
mod random;
mod suites;
mod verify;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;

use rustls::crypto::{CryptoProvider, SupportedKxGroup};

pub(crate) use verify::SIGNATURE_ALGORITHMS;

/// The provider the TLS client runs on: every suite and group below, our signature checks, the
/// process-wide generator, and no private keys (the client sends no certificate).
pub(crate) fn crypto_provider() -> CryptoProvider {
    let kx_groups: Vec<&'static dyn SupportedKxGroup> = alloc::vec![&kx::X25519, &kx::SECP256R1];
    CryptoProvider {
        cipher_suites: suites::ALL.to_vec(),
        kx_groups,
        signature_verification_algorithms: SIGNATURE_ALGORITHMS,
        secure_random: &random::RANDOM,
        key_provider: &keys::NoKeys,
    }
}

/// Mixes 32 bytes of the board's entropy into the process-wide generator (seeding it the first
/// time): what it held before is kept, so entropy only accumulates.
pub(crate) fn add_entropy(entropy: &[u8; 32]) {
    random::GENERATOR.add_entropy(entropy);
}

/// Whether [`add_entropy`] has run: until then the provider has no random bytes to give.
pub(crate) fn is_seeded() -> bool {
    random::GENERATOR.is_seeded()
}
