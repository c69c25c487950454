//! The client's ephemeral SRP key pair: secret `a` and public `A = g^a mod N`.

use core::cmp::Ordering;
use core::fmt;

use crypto_bigint::{U1024, U3072};
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, Zeroizing};

use super::encoding::{HexDigits, JavaBytes};
use super::fixed_base::pow_g;
use super::group::N;
use super::kernel::{MontgomeryKernel, PortableKernel};
use crate::error::Misuse;
use crate::redact::Hidden;

/// Bytes of randomness in the secret `a` (what amazon-cognito-identity-js draws: 1024 bits).
pub const EPHEMERAL_SECRET_LEN: usize = 128;

/// Bytes of randomness in a short secret `a` ([`EphemeralBits::B512`]).
pub const SHORT_EPHEMERAL_SECRET_LEN: usize = 64;

/// Width of the secret exponent `a`. The exponentiations run over all of its bits, whatever `a`'s
/// value, so only this public width shows in timing.
///
/// * [`EphemeralBits::B1024`] (the default): 128 random bytes, what amazon-cognito-identity-js
///   draws. On x86-64: A ≈ 10.8 M instructions, the claim ≈ 52.0 M (62.8 M together).
/// * [`EphemeralBits::B512`] (opt-in): 64 random bytes. RFC 3526 §8 estimates the 3072-bit
///   group's strength at 130 to 200 bits and asks for exponents of at least twice that, 260 to
///   400 bits; 512 bits exceed even the upper figure, so the discrete logarithm in the group, not
///   the exponent, stays the weakest link. Cognito cannot tell: `A = g^a` is a group element
///   like any other and the server's computation does not depend on the width. A ≈ 6.3 M, the
///   claim ≈ 28.6 M (34.9 M together): `S` runs over 513 bits instead of 1025.
///
/// A sign-in that starts over without an RNG (after the server forgot a device) derives its new
/// ephemeral with the same width.
///
/// ```
/// use cognito_core::srp::{EphemeralBits, SrpEphemeral};
/// // SrpEphemeral::generate_with(&mut rng, EphemeralBits::B512) draws the 64 bytes itself.
/// let eph = SrpEphemeral::from_short_secret_bytes(&[7; 64])?;
/// assert_eq!(eph.secret_bits(), EphemeralBits::B512);
/// assert_eq!(EphemeralBits::default().bits(), 1024);
/// # Ok::<(), cognito_core::error::Misuse>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EphemeralBits {
    /// 1024 bits (128 bytes), as the JavaScript client does.
    #[default]
    B1024,
    /// 512 bits (64 bytes): twice as fast, still twice the group's strength.
    B512,
}

impl EphemeralBits {
    /// The width in bits.
    pub const fn bits(self) -> u32 {
        match self {
            Self::B1024 => 1024,
            Self::B512 => 512,
        }
    }

    /// The number of random bytes drawn for `a`.
    pub const fn byte_len(self) -> usize {
        match self {
            Self::B1024 => EPHEMERAL_SECRET_LEN,
            Self::B512 => SHORT_EPHEMERAL_SECRET_LEN,
        }
    }
}

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
///
/// The `_using` constructors take the [`MontgomeryKernel`] that computes `A` and, later, the
/// exponentiations of [`super::password_claim`] (`g^x` and `S`); the others use
/// [`PortableKernel`].
pub struct SrpEphemeral {
    secret: U1024,
    bits: EphemeralBits,
    public: U3072,
    kernel: &'static dyn MontgomeryKernel,
}

impl SrpEphemeral {
    /// Draws `a` from a cryptographically secure RNG (128 bytes) and computes `A`.
    ///
    /// Fails only if the RNG returned all zeros.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Result<Self, Misuse> {
        Self::generate_using(rng, EphemeralBits::B1024, &PortableKernel)
    }

    /// Draws `a` of the given width from a cryptographically secure RNG and computes `A`
    /// ([`EphemeralBits`] explains the choice; [`Self::generate`] is `B1024`).
    ///
    /// Fails only if the RNG returned all zeros.
    pub fn generate_with<R: RngCore + CryptoRng + ?Sized>(
        rng: &mut R,
        bits: EphemeralBits,
    ) -> Result<Self, Misuse> {
        Self::generate_using(rng, bits, &PortableKernel)
    }

    /// [`Self::generate_with`], computing `A` (and later the claim's exponentiations) with
    /// `kernel`.
    ///
    /// Fails only if the RNG returned all zeros.
    pub fn generate_using<R: RngCore + CryptoRng + ?Sized>(
        rng: &mut R,
        bits: EphemeralBits,
        kernel: &'static dyn MontgomeryKernel,
    ) -> Result<Self, Misuse> {
        let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
        // The low `len` bytes (big-endian): a < 2^bits.
        if let Some(drawn) = bytes.get_mut(EPHEMERAL_SECRET_LEN - bits.byte_len()..) {
            rng.fill_bytes(drawn);
        }
        Self::from_secret_with(U1024::from_be_slice(bytes.as_ref()), bits, kernel)
    }

    /// Uses the given 128 random bytes as `a` (big-endian) and computes `A = g^a mod N` in constant time.
    ///
    /// For deterministic tests and for callers with their own entropy source. Rejects `a = 0` with
    /// [`Misuse::DegenerateEphemeral`].
    pub fn from_secret_bytes(bytes: &[u8; EPHEMERAL_SECRET_LEN]) -> Result<Self, Misuse> {
        Self::from_secret_bytes_using(bytes, &PortableKernel)
    }

    /// [`Self::from_secret_bytes`], computing `A` (and later the claim's exponentiations) with
    /// `kernel`. Rejects `a = 0` with [`Misuse::DegenerateEphemeral`].
    pub fn from_secret_bytes_using(
        bytes: &[u8; EPHEMERAL_SECRET_LEN],
        kernel: &'static dyn MontgomeryKernel,
    ) -> Result<Self, Misuse> {
        Self::from_secret_with(U1024::from_be_slice(bytes), EphemeralBits::B1024, kernel)
    }

    /// Uses the given 64 random bytes as a 512-bit `a` ([`EphemeralBits::B512`]) and computes
    /// `A` in constant time. Rejects `a = 0` with [`Misuse::DegenerateEphemeral`].
    pub fn from_short_secret_bytes(
        bytes: &[u8; SHORT_EPHEMERAL_SECRET_LEN],
    ) -> Result<Self, Misuse> {
        Self::from_short_secret_bytes_using(bytes, &PortableKernel)
    }

    /// [`Self::from_short_secret_bytes`], computing `A` (and later the claim's exponentiations)
    /// with `kernel`. Rejects `a = 0` with [`Misuse::DegenerateEphemeral`].
    pub fn from_short_secret_bytes_using(
        bytes: &[u8; SHORT_EPHEMERAL_SECRET_LEN],
        kernel: &'static dyn MontgomeryKernel,
    ) -> Result<Self, Misuse> {
        let mut wide = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
        if let Some(low) = wide.get_mut(SHORT_EPHEMERAL_SECRET_LEN..) {
            low.copy_from_slice(bytes);
        }
        Self::from_secret_with(
            U1024::from_be_slice(wide.as_ref()),
            EphemeralBits::B512,
            kernel,
        )
    }

    /// `a` (below 2^bits) and `A = g^a`, over exactly `bits` bits, with `kernel`.
    fn from_secret_with(
        mut secret: U1024,
        bits: EphemeralBits,
        kernel: &'static dyn MontgomeryKernel,
    ) -> Result<Self, Misuse> {
        if bool::from(secret.is_zero()) {
            secret.zeroize();
            return Err(Misuse::DegenerateEphemeral);
        }
        let public = pow_g(&secret, bits.bits(), kernel).retrieve();
        // A = 2^a mod N with N prime is never 0; checked anyway, as RFC 5054 asks.
        if bool::from(public.is_zero()) {
            secret.zeroize();
            return Err(Misuse::DegenerateEphemeral);
        }
        Ok(Self {
            secret,
            bits,
            public,
            kernel,
        })
    }

    /// `a` (128 big-endian bytes, the full width) with `A` as computed before (`public`:
    /// big-endian, leading zeros allowed), without computing `A` again (see
    /// [`super::hazmat::ephemeral_with_public`]), with the [`PortableKernel`]. Rejects `a = 0`
    /// and `A` outside `[1, N)`.
    pub(crate) fn with_public(
        secret: &[u8; EPHEMERAL_SECRET_LEN],
        public: &[u8],
    ) -> Result<Self, Misuse> {
        let significant = public
            .iter()
            .position(|&b| b != 0)
            .and_then(|i| public.get(i..))
            .unwrap_or(&[]);
        let mut padded = [0u8; U3072::BYTES];
        let start = U3072::BYTES
            .checked_sub(significant.len())
            .ok_or(Misuse::DegenerateEphemeral)?;
        padded
            .get_mut(start..)
            .ok_or(Misuse::DegenerateEphemeral)?
            .copy_from_slice(significant);
        let public = U3072::from_be_slice(&padded);
        let mut secret = U1024::from_be_slice(secret);
        // A is public: comparing it in variable time is fine.
        let in_group = !significant.is_empty() && public.cmp_vartime(&N) == Ordering::Less;
        if bool::from(secret.is_zero()) || !in_group {
            secret.zeroize();
            return Err(Misuse::DegenerateEphemeral);
        }
        Ok(Self {
            secret,
            bits: EphemeralBits::B1024,
            public,
            kernel: &PortableKernel,
        })
    }

    /// A fresh, independent-looking ephemeral derived from this one, for starting a sign-in over
    /// without an RNG at hand (after the server forgot a device): `a' = HMAC-SHA256(key = a,
    /// "cognito-core retry ephemeral" ‖ i)` for i = 0..4, concatenated (the key is `a` as 128
    /// big-endian bytes, a fixed length), cut to the same width, with the same kernel. Costs one
    /// exponentiation.
    pub(crate) fn derive_retry(&self) -> Result<Self, Misuse> {
        use hmac::{Hmac, Mac};
        let key = Zeroizing::new(self.secret.to_be_bytes());
        let mut bytes = Zeroizing::new([0u8; EPHEMERAL_SECRET_LEN]);
        for (i, chunk) in (0u8..).zip(bytes.chunks_mut(32)) {
            let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key.as_ref())
                .map_err(|_| Misuse::DegenerateEphemeral)?;
            mac.update(b"cognito-core retry ephemeral");
            mac.update(&[i]);
            let mut tag = mac.finalize().into_bytes();
            if let Some(head) = tag.get(..chunk.len()) {
                chunk.copy_from_slice(head);
            }
            tag.zeroize();
        }
        // The low `len` bytes: a below 2^bits.
        let skip = EPHEMERAL_SECRET_LEN - self.bits.byte_len();
        if let Some(high) = bytes.get_mut(..skip) {
            high.zeroize();
        }
        Self::from_secret_with(U1024::from_be_slice(bytes.as_ref()), self.bits, self.kernel)
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

    /// The width of `a` (public: it only sets how long the exponentiations run).
    pub fn secret_bits(&self) -> EphemeralBits {
        self.bits
    }

    /// The kernel that computed `A` and that [`super::password_claim`] uses for `g^x` and `S`
    /// ([`PortableKernel`] unless a `_using` constructor was given another).
    pub fn kernel(&self) -> &'static dyn MontgomeryKernel {
        self.kernel
    }
}

impl Drop for SrpEphemeral {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for SrpEphemeral {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let public = self.public_bytes();
        f.debug_struct("SrpEphemeral")
            .field("bits", &self.bits)
            .field("secret", &Hidden::Secret)
            .field("public", &format_args!("{}", public.pad_hex()))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(n: &U3072) -> BigUint {
        BigUint::from_bytes_be(JavaBytes::of(n).as_slice())
    }

    #[test]
    fn short_secret_is_512_bits() {
        let mut bytes = [0u8; SHORT_EPHEMERAL_SECRET_LEN];
        bytes[0] = 0x80;
        bytes[63] = 3;
        let eph = SrpEphemeral::from_short_secret_bytes(&bytes).unwrap();
        assert_eq!(eph.secret_bits(), EphemeralBits::B512);
        let a = BigUint::from_bytes_be(&bytes);
        assert_eq!(eph.secret().bits(), 512);
        let want = BigUint::from(2u8).modpow(&a, &big(&N));
        assert_eq!(big(&eph.public), want);
        assert!(SrpEphemeral::from_short_secret_bytes(&[0; 64]).is_err());
    }

    #[test]
    fn generate_with_draws_the_width_and_retry_keeps_it() {
        struct Ones;
        impl RngCore for Ones {
            fn next_u32(&mut self) -> u32 {
                u32::MAX
            }
            fn next_u64(&mut self) -> u64 {
                u64::MAX
            }
            fn fill_bytes(&mut self, dst: &mut [u8]) {
                dst.fill(0xff);
            }
            fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), rand_core::Error> {
                dst.fill(0xff);
                Ok(())
            }
        }
        impl CryptoRng for Ones {}
        for bits in [EphemeralBits::B512, EphemeralBits::B1024] {
            let eph = SrpEphemeral::generate_with(&mut Ones, bits).unwrap();
            assert_eq!(eph.secret().bits(), bits.bits());
            let retry = eph.derive_retry().unwrap();
            assert_eq!(retry.secret_bits(), bits);
            assert!(retry.secret().bits() <= bits.bits());
            assert_ne!(retry.secret(), eph.secret());
        }
    }

    #[test]
    fn with_public_takes_a_and_a_checked_public_value() {
        let computed = SrpEphemeral::from_secret_bytes(&[9; 128]).unwrap();
        let public = computed.public_bytes();
        let parts = SrpEphemeral::with_public(&[9; 128], public.as_slice()).unwrap();
        assert_eq!(parts.public, computed.public);
        assert_eq!(parts.secret(), computed.secret());
        // Leading zeros are allowed; zero, N and values wider than N are not.
        let mut padded = vec![0u8; 3];
        padded.extend_from_slice(public.as_slice());
        assert!(SrpEphemeral::with_public(&[9; 128], &padded).is_ok());
        for bad in [
            &[][..],
            &[0, 0][..],
            JavaBytes::of(&N).as_slice(),
            &[1; 385][..],
        ] {
            assert!(SrpEphemeral::with_public(&[9; 128], bad).is_err());
        }
        assert!(SrpEphemeral::with_public(&[0; 128], public.as_slice()).is_err());
    }
}
