//! The emulator's only source of randomness: a ChaCha20 stream seeded by the pool's seed.

use alloc::string::String;
use alloc::vec;
use alloc::vec::Vec;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use num_bigint::BigUint;
use rand::{Rng, RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;

use crate::srp;

/// Deterministic random values of the shapes Cognito uses.
#[derive(Debug, Clone)]
pub(crate) struct PoolRng(ChaCha20Rng);

impl PoolRng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(ChaCha20Rng::seed_from_u64(seed))
    }

    pub(crate) fn bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        self.0.fill_bytes(&mut out);
        out
    }

    pub(crate) fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        self.0.fill_bytes(&mut out);
        out
    }

    /// A positive integer of `len` random bytes (zero is replaced by one).
    pub(crate) fn biguint(&mut self, len: usize) -> BigUint {
        let value = BigUint::from_bytes_be(&self.bytes(len));
        if value == BigUint::default() {
            BigUint::from(1u32)
        } else {
            value
        }
    }

    /// A random version-4 UUID in the usual 8-4-4-4-12 lowercase form.
    pub(crate) fn uuid(&mut self) -> String {
        let mut b: [u8; 16] = self.array();
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = srp::hex(&b);
        let part = |range: core::ops::Range<usize>| h.get(range).unwrap_or_default().to_owned();
        alloc::format!(
            "{}-{}-{}-{}-{}",
            part(0..8),
            part(8..12),
            part(12..16),
            part(16..20),
            part(20..32)
        )
    }

    /// `len` random characters from `[A-Za-z0-9]`.
    pub(crate) fn alphanumeric(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(self.0.sample(rand::distributions::Alphanumeric)))
            .collect()
    }

    /// `len` random decimal digits (an SMS / email code).
    pub(crate) fn digits(&mut self, len: usize) -> String {
        (0..len)
            .map(|_| char::from(b'0' + self.0.gen_range(0..10u8)))
            .collect()
    }

    /// Standard base64 of `len` random bytes.
    pub(crate) fn base64(&mut self, len: usize) -> String {
        Base64::encode_string(&self.bytes(len))
    }

    /// Unpadded base64url of `len` random bytes.
    pub(crate) fn base64url(&mut self, len: usize) -> String {
        Base64UrlUnpadded::encode_string(&self.bytes(len))
    }
}
