//! The client's ephemeral SRP key pair: secret `a` and public `A = g^a mod N`.

use core::fmt;

use crypto_bigint::{U1024, U3072};
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, Zeroizing};

use super::encoding::{HexDigits, JavaBytes};
use super::fixed_base::pow_g;
use crate::error::Misuse;

/// Bytes of randomness in the secret `a` (what amazon-cognito-identity-js draws: 1024 bits).
pub const EPHEMERAL_SECRET_LEN: usize = 128;

/// Bits of the secret exponent `a`; the exponentiation always runs over all of them.
pub(crate) const A_BITS: u32 = 8 * EPHEMERAL_SECRET_LEN as u32;

/// An SRP ephemeral key pair: the secret `a` (zeroized on drop) and the public `A`.
///
/// Computing `A` is the costliest step before the server answers, and it needs no server input,
/// so it can be done ahead of time, before any network I/O:
///
/// ```
/// use cognito_core::srp::SrpEphemeral;
/// let eph = SrpEphemeral::from_secret_bytes(&[7u8; 128]).unwrap();
/// assert!(eph.public_bytes().as_slice().len() <= 385);
/// ```
pub struct SrpEphemeral {
    secret: U1024,
    public: U3072,
}

impl SrpEphemeral {
    /// Draws `a` from a cryptographically secure RNG (128 bytes) and computes `A`.
    ///
    /// Fails only if the RNG returned all zeros.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Misuse> {
        let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
        rng.fill_bytes(bytes.as_mut());
        Self::from_secret_bytes(&bytes)
    }

    /// Uses the given 128 random bytes as `a` (big-endian) and computes `A = g^a mod N` in constant time.
    ///
    /// For deterministic tests and for callers with their own entropy source. Rejects `a = 0` with
    /// [`Misuse::DegenerateEphemeral`].
    pub fn from_secret_bytes(bytes: &[u8; EPHEMERAL_SECRET_LEN]) -> Result<Self, Misuse> {
        let secret = U1024::from_be_slice(bytes);
        if bool::from(secret.is_zero()) {
            return Err(Misuse::DegenerateEphemeral);
        }
        let public = pow_g(&secret, A_BITS).retrieve();
        // A = 2^a mod N with N prime is never 0; checked anyway, as RFC 5054 asks.
        if bool::from(public.is_zero()) {
            return Err(Misuse::DegenerateEphemeral);
        }
        Ok(Self { secret, public })
    }

    /// A fresh, independent-looking ephemeral derived from this one, for starting a sign-in over
    /// without an RNG at hand (after the server forgot a device): `a' = HMAC-SHA256(key = a,
    /// "cognito-core retry ephemeral" ‖ i)` for i = 0..4, concatenated. Costs one exponentiation.
    pub(crate) fn derive_retry(&self) -> Result<Self, Misuse> {
        use hmac::{Hmac, Mac};
        let key = Zeroizing::new(JavaBytes::of(&self.secret));
        let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
        for (i, chunk) in (0u8..).zip(bytes.chunks_mut(32)) {
            let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_slice())
                .map_err(|_| Misuse::DegenerateEphemeral)?;
            mac.update(b"cognito-core retry ephemeral");
            mac.update(&[i]);
            let mut tag = mac.finalize().into_bytes();
            if let Some(head) = tag.get(..chunk.len()) {
                chunk.copy_from_slice(head);
            }
            tag.zeroize();
        }
        Self::from_secret_bytes(&bytes)
    }

    /// `bytes(A)`, the form hashed into `u`.
    pub fn public_bytes(&self) -> JavaBytes {
        JavaBytes::of(&self.public)
    }

    /// Writes `SRP_A` (lowercase hex without leading zeros) through `out`.
    pub(crate) fn write_public_hex(&self, out: impl FnMut(&[u8])) {
        let bytes = self.public_bytes();
        HexDigits::minimal(bytes.as_slice()).for_each_chunk(out);
    }

    /// The secret exponent `a`.
    pub(crate) fn secret(&self) -> &U1024 {
        &self.secret
    }
}

impl Drop for SrpEphemeral {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for SrpEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SrpEphemeral")
            .field("public", &self.public_bytes())
            .finish_non_exhaustive()
    }
}
