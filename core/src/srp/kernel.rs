//! Pluggable Montgomery arithmetic: the two operations every SRP exponentiation is made of.
//!
//! Every exponentiation here (`A = g^a`, `g^x`, `S`, a device verifier's `g^x`) is a sequence of
//! Montgomery squarings and multiplications modulo the fixed 3072-bit N, and nothing else that
//! costs: table reads, the final reduction below N and leaving Montgomery form stay in this
//! crate. A [`MontgomeryKernel`] supplies those two operations; [`PortableKernel`] (the default
//! everywhere) is this crate's own code. Another crate can supply a faster one (hand-written
//! assembly for one core, say) without this crate containing any `unsafe` code: pass it to
//! [`SrpEphemeral::generate_using`](super::SrpEphemeral::generate_using) and friends, or
//! [`DeviceVerifier::from_random_using`](super::DeviceVerifier::from_random_using).
//!
//! A kernel is trusted with secrets (the powers of `B − k·g^x` and of g), and with their
//! timing: it must be constant-time, as the contract on [`MontgomeryKernel`] says. A wrong
//! kernel cannot make this crate panic or read out of bounds, only compute wrong values (the
//! sign-in then fails at the pool).

use crypto_bigint::U3072;

use super::arith;
use super::group::{LIMBS, N};

/// Words of N (3072 / `Word::BITS`): 96 on 32-bit targets, 48 on 64-bit ones.
pub const N_LIMBS: usize = LIMBS;

/// A limb of a 3072-bit value: `u32` on 32-bit targets, `u64` on 64-bit ones (crypto-bigint's
/// `Word`).
pub type Word = crypto_bigint::Word;

/// The group's modulus N (the RFC 3526 3072-bit prime), least significant word first.
pub const MODULUS: [Word; N_LIMBS] = *N.as_words();

// The kernel's arrays are the words of the crate's 3072-bit integers.
const _: () = assert!(N_LIMBS == U3072::LIMBS && N_LIMBS * Word::BITS as usize == 3072);

/// Montgomery multiplication modulo N with R = 2^3072: the two operations every SRP
/// exponentiation is made of.
///
/// Contract, for both operations:
///
/// * **Values**: `a` and `b` are little-endian words (least significant first), any value below
///   R, not necessarily below N. On return `a` holds a value below R (any: the array cannot hold
///   more) **congruent modulo N** to `a·a·R⁻¹` ([`square`](Self::square)) or `a·b·R⁻¹`
///   ([`multiply`](Self::multiply)): "almost Montgomery" results. A fully reduced result (below
///   N) also meets it; the caller brings values below N where it needs them.
/// * **Scratch**: `wide` is a double-width buffer the kernel may use as it likes, and may leave
///   dirty (holding secret-derived words); its contents on entry mean nothing. The caller
///   zeroizes it when done.
/// * **Constant time**: the instructions executed and the memory addresses accessed must not
///   depend on the values of `a`, `b` or `wide` (they are secrets: powers of g with a secret
///   exponent, of `B − k·g^x`).
/// * It must not panic. N is [`MODULUS`]; N ≡ −1 (mod 2^64), so −N⁻¹ ≡ 1 modulo the word base
///   (each reduction row's quotient is the word itself).
///
/// `Sync`, because an ephemeral keeps a `&'static` reference to its kernel.
///
/// A kernel that counts the operations, then does them the portable way, computing `A` and
/// then a password claim:
///
/// ```
/// use core::sync::atomic::{AtomicUsize, Ordering};
/// use cognito_core::srp::{
///     MontgomeryKernel, N_LIMBS, PortableKernel, ServerChallenge, SrpEphemeral, SrpIdentity,
///     Word, password_claim,
/// };
/// use cognito_core::time::UnixTime;
///
/// /// Counts the operations, then does them the portable way.
/// struct Counting(AtomicUsize);
///
/// impl MontgomeryKernel for Counting {
///     fn square(&self, a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///         PortableKernel.square(a, wide);
///     }
///     fn multiply(&self, a: &mut [Word; N_LIMBS], b: &[Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
///         self.0.fetch_add(1, Ordering::Relaxed);
///         PortableKernel.multiply(a, b, wide);
///     }
/// }
///
/// static KERNEL: Counting = Counting(AtomicUsize::new(0));
///
/// let ephemeral = SrpEphemeral::from_secret_bytes_using(&[7; 128], &KERNEL)?;
/// let for_a = KERNEL.0.load(Ordering::Relaxed);
/// assert!(for_a > 0);
/// // Same A as the portable path.
/// assert_eq!(ephemeral.public_bytes(), SrpEphemeral::from_secret_bytes(&[7; 128])?.public_bytes());
///
/// // The claim (g^x and S) uses the ephemeral's kernel too.
/// let identity = SrpIdentity { realm: "Pool", user_id: "user", password: "hunter2" };
/// let challenge = ServerChallenge { srp_b_hex: "1234abcd", salt_hex: "5eed", secret_block_b64: "AAAA" };
/// let claim = password_claim(&ephemeral, &identity, &challenge, UnixTime::from_secs(1_700_000_000))?;
/// assert!(KERNEL.0.load(Ordering::Relaxed) > for_a);
/// # let _ = claim;
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub trait MontgomeryKernel: Sync {
    /// `a ← a·a·R⁻¹` (mod N, below R), with `wide` as scratch.
    fn square(&self, a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]);

    /// `a ← a·b·R⁻¹` (mod N, below R), with `wide` as scratch.
    fn multiply(
        &self,
        a: &mut [Word; N_LIMBS],
        b: &[Word; N_LIMBS],
        wide: &mut [Word; 2 * N_LIMBS],
    );
}

/// The portable kernel: this crate's schoolbook square and product with a Montgomery reduction
/// specialised for N (see the [module docs](super) on speed). The default everywhere.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct PortableKernel;

impl MontgomeryKernel for PortableKernel {
    #[inline]
    fn square(&self, a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
        arith::square_assign(a, wide);
    }

    #[inline]
    fn multiply(
        &self,
        a: &mut [Word; N_LIMBS],
        b: &[Word; N_LIMBS],
        wide: &mut [Word; 2 * N_LIMBS],
    ) {
        arith::mul_assign(a, b, wide);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::fixed_base::{pow_g, square_and_double};
    use crate::srp::group::Residue;
    use crate::srp::{
        DeviceVerifier, EphemeralBits, ServerChallenge, SrpEphemeral, SrpIdentity, hazmat,
        password_claim, window,
    };
    use crate::time::UnixTime;
    use core::sync::atomic::{AtomicUsize, Ordering};
    use crypto_bigint::{U256, U1024, U2048};
    use rand::SeedableRng;

    /// Counts squarings and multiplications, then does them the portable way.
    #[derive(Debug, Default)]
    struct Counting {
        squares: AtomicUsize,
        multiplies: AtomicUsize,
    }

    impl Counting {
        const fn new() -> Self {
            Self {
                squares: AtomicUsize::new(0),
                multiplies: AtomicUsize::new(0),
            }
        }

        /// Squarings and multiplications so far.
        fn counts(&self) -> (usize, usize) {
            (
                self.squares.load(Ordering::Relaxed),
                self.multiplies.load(Ordering::Relaxed),
            )
        }
    }

    impl MontgomeryKernel for Counting {
        fn square(&self, a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
            self.squares.fetch_add(1, Ordering::Relaxed);
            PortableKernel.square(a, wide);
        }

        fn multiply(
            &self,
            a: &mut [Word; N_LIMBS],
            b: &[Word; N_LIMBS],
            wide: &mut [Word; 2 * N_LIMBS],
        ) {
            self.multiplies.fetch_add(1, Ordering::Relaxed);
            PortableKernel.multiply(a, b, wide);
        }
    }

    /// Portable results made as unreduced as the contract allows (N added whenever the sum
    /// stays below R), with `wide` dirty on entry and on return: the callers must give the same
    /// results.
    struct Unreduced;

    impl Unreduced {
        fn loosen(a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
            let value = U3072::from_words(*a);
            let (sum, carry) = value.carrying_add(&N, crypto_bigint::Limb::ZERO);
            if carry == crypto_bigint::Limb::ZERO {
                *a = *sum.as_words();
            }
            wide.fill(0xa5);
        }
    }

    impl MontgomeryKernel for Unreduced {
        fn square(&self, a: &mut [Word; N_LIMBS], wide: &mut [Word; 2 * N_LIMBS]) {
            wide.fill(Word::MAX);
            PortableKernel.square(a, wide);
            Self::loosen(a, wide);
        }

        fn multiply(
            &self,
            a: &mut [Word; N_LIMBS],
            b: &[Word; N_LIMBS],
            wide: &mut [Word; 2 * N_LIMBS],
        ) {
            wide.fill(Word::MAX);
            PortableKernel.multiply(a, b, wide);
            Self::loosen(a, wide);
        }
    }

    const IDENTITY: SrpIdentity<'static> = SrpIdentity {
        realm: "Pool1",
        user_id: "0f1e2d3c-user",
        password: "correct horse",
    };
    const CHALLENGE: ServerChallenge<'static> = ServerChallenge {
        srp_b_hex: "8f3a0c51e6d2b7946aa1f00d5eedcafe0123456789abcdef",
        salt_hex: "c0ffee15600d",
        secret_block_b64: "c2VjcmV0IGJsb2Nr",
    };
    const NOW: UnixTime = UnixTime::from_secs(1_700_000_000);

    /// The operations `g^e` over 256 bits, and the base power of S over `bits + 1` bits, take.
    fn counts_of_g_x_and_s(bits: EphemeralBits) -> ((usize, usize), (usize, usize)) {
        let counter = Counting::new();
        let _ = pow_g(&U256::ZERO, 256, &counter);
        let g_x = counter.counts();
        let counter = Counting::new();
        let mut value = *Residue::ONE.as_montgomery();
        window::pow(&mut value, &U2048::ZERO, bits.bits() + 1, &counter);
        (g_x, counter.counts())
    }

    #[test]
    fn modulus_is_n() {
        assert_eq!(U3072::from_words(MODULUS), N);
        assert_eq!(MODULUS[0], Word::MAX);
        assert_eq!(N_LIMBS * Word::BITS as usize, 3072);
    }

    /// A, the claim (g^x, the two products of B − k·g^x, S) and a retry's A all go through the
    /// ephemeral's kernel, every operation of them, with the portable results.
    #[test]
    fn ephemeral_and_claim_use_the_given_kernel() {
        static LONG: Counting = Counting::new();
        static SHORT: Counting = Counting::new();
        let cases: [(&'static Counting, EphemeralBits); 2] =
            [(&LONG, EphemeralBits::B1024), (&SHORT, EphemeralBits::B512)];
        for (kernel, bits) in cases {
            let (eph, portable) = match bits {
                EphemeralBits::B512 => (
                    SrpEphemeral::from_short_secret_bytes_using(&[0x3c; 64], kernel).unwrap(),
                    SrpEphemeral::from_short_secret_bytes(&[0x3c; 64]).unwrap(),
                ),
                _ => (
                    SrpEphemeral::from_secret_bytes_using(&[0x3c; 128], kernel).unwrap(),
                    SrpEphemeral::from_secret_bytes(&[0x3c; 128]).unwrap(),
                ),
            };
            assert!(core::ptr::addr_eq(eph.kernel(), kernel));
            assert!(core::ptr::addr_eq(portable.kernel(), &PortableKernel));
            assert_eq!(eph.public_bytes(), portable.public_bytes());
            // A = g^a over the width of a: as many operations as pow_g over that width takes.
            let counter = Counting::new();
            let _ = pow_g(&U1024::ZERO, bits.bits(), &counter);
            let for_a = kernel.counts();
            assert_eq!(for_a, counter.counts(), "{bits:?}");
            assert!(for_a.0 + for_a.1 > 0);

            let claim = password_claim(&eph, &IDENTITY, &CHALLENGE, NOW).unwrap();
            let want = password_claim(&portable, &IDENTITY, &CHALLENGE, NOW).unwrap();
            assert_eq!(claim, want);
            let ((gx_sq, gx_mul), (s_sq, s_mul)) = counts_of_g_x_and_s(bits);
            let after = kernel.counts();
            assert_eq!(
                (after.0 - for_a.0, after.1 - for_a.1),
                (gx_sq + s_sq, gx_mul + 2 + s_mul),
                "{bits:?}"
            );
            // S runs over a's width + 1 bits: a squaring per bit but the first window's.
            assert!(
                s_sq + window::WINDOW as usize > bits.bits() as usize,
                "{s_sq}"
            );

            // The intermediates too.
            let parts = hazmat::intermediates(&eph, &IDENTITY, &CHALLENGE).unwrap();
            let portable_parts = hazmat::intermediates(&portable, &IDENTITY, &CHALLENGE).unwrap();
            assert_eq!(parts.s, portable_parts.s);
            assert!(kernel.counts().0 > after.0);

            // A retry keeps the kernel.
            let retry = eph.derive_retry().unwrap();
            assert!(core::ptr::addr_eq(retry.kernel(), kernel));
            assert_eq!(
                retry.public_bytes(),
                portable.derive_retry().unwrap().public_bytes()
            );
        }
    }

    #[test]
    fn generate_using_draws_and_uses_the_kernel() {
        static KERNEL: Counting = Counting::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(1);
        let eph = SrpEphemeral::generate_using(&mut rng, EphemeralBits::B512, &KERNEL).unwrap();
        assert!(KERNEL.counts().0 > 0);
        assert_eq!(eph.secret_bits(), EphemeralBits::B512);
        assert!(core::ptr::addr_eq(eph.kernel(), &KERNEL));
    }

    #[test]
    fn device_verifier_uses_the_given_kernel() {
        let kernel = Counting::new();
        let verifier =
            DeviceVerifier::from_random_using("-grp", "us-east-1_dev", &[1; 40], &[2; 16], &kernel);
        let portable = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
        assert_eq!(
            verifier.password_verifier_b64(),
            portable.password_verifier_b64()
        );
        assert_eq!(verifier.salt_b64(), portable.salt_b64());
        assert_eq!(verifier.device_password(), portable.device_password());
        let counter = Counting::new();
        let _ = pow_g(&U256::ZERO, 256, &counter);
        assert_eq!(kernel.counts(), counter.counts());
        assert!(kernel.counts().0 > 0);

        let kernel = Counting::new();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let drawn = DeviceVerifier::generate_using("-grp", "us-east-1_dev", &mut rng, &kernel);
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let want = DeviceVerifier::generate("-grp", "us-east-1_dev", &mut rng);
        assert_eq!(drawn.password_verifier_b64(), want.password_verifier_b64());
        assert_eq!(kernel.counts(), counter.counts());
    }

    /// The callers accept any result below R congruent modulo N, and a dirty scratch buffer.
    #[test]
    fn unreduced_results_give_the_same_values() {
        static KERNEL: Unreduced = Unreduced;
        for secret in [[0x3c; 128], [0xff; 128], {
            let mut one = [0; 128];
            one[127] = 1;
            one
        }] {
            let eph = SrpEphemeral::from_secret_bytes_using(&secret, &KERNEL).unwrap();
            let portable = SrpEphemeral::from_secret_bytes(&secret).unwrap();
            assert_eq!(eph.public_bytes(), portable.public_bytes());
            assert_eq!(
                password_claim(&eph, &IDENTITY, &CHALLENGE, NOW).unwrap(),
                password_claim(&portable, &IDENTITY, &CHALLENGE, NOW).unwrap()
            );
        }
        let verifier = DeviceVerifier::from_random_using("-grp", "k", &[9; 40], &[8; 16], &KERNEL);
        let portable = DeviceVerifier::from_random("-grp", "k", &[9; 40], &[8; 16]);
        assert_eq!(
            verifier.password_verifier_b64(),
            portable.password_verifier_b64()
        );
        // Without a table, g^e squares and doubles: the same through the kernel.
        let e = U1024::from_be_slice(&[0x5a; 128]);
        assert_eq!(
            square_and_double(&e, 1024, &KERNEL),
            square_and_double(&e, 1024, &PortableKernel)
        );
        assert_eq!(
            square_and_double(&e, 1024, &PortableKernel),
            crate::srp::group::G.pow_bounded_exp(&e, 1024)
        );
    }
}
