//! `g^e mod N` for the fixed base g = 2, constant-time in `e`: a precomputed comb where a table
//! is compiled in, square-and-double otherwise.
//!
//! **Comb** (Lim–Lee fixed-base comb, with the exponent cut into 256-bit blocks): the build script
//! (`core/build.rs`) writes, for each block b and each `TEETH`-bit pattern j, the power
//! `g^(2^(256·b) · Σ_(bit k of j set) 2^(k·SPACING))`. Then
//! `g^e = Π_(i = SPACING−1 … 0) (…)² · Π_b TABLE[b][bits of e at 256·b + k·SPACING + i]`:
//! `SPACING − 1` squarings and one multiplication per used block and column, each factor read
//! with a full constant-time scan of its block. A 256-bit x uses one block, a 1024-bit a four.
//!
//! **Square-and-double** (no table): per bit one squaring, one modular doubling (multiplying by
//! g = 2 is an addition) and a constant-time select.
//!
//! In both, the sequence of operations and memory accesses depends only on the public bit width,
//! and the squarings and multiplications are the caller's [`MontgomeryKernel`]'s.

use crypto_bigint::{CtSelect, Uint, Word};
use zeroize::Zeroize;

use super::arith;
#[cfg(srp_comb)]
use super::arith::{bit_at, lookup_into};
use super::group::{LIMBS, Residue};
use super::kernel::MontgomeryKernel;

#[cfg(srp_comb)]
mod table {
    use super::{LIMBS, Uint};
    include!(concat!(env!("OUT_DIR"), "/srp_comb_table.rs"));
}

/// `g^e mod N` over the low `bits` bits of `exponent` (`bits` is public, the value is secret),
/// with `kernel`'s squarings and multiplications.
pub(crate) fn pow_g<const EXP_LIMBS: usize>(
    exponent: &Uint<EXP_LIMBS>,
    bits: u32,
    kernel: &dyn MontgomeryKernel,
) -> Residue {
    let mut out = Uint::ZERO;
    pow_g_into(exponent, bits, &mut out, kernel);
    Residue::from_montgomery(out)
}

/// [`pow_g`] into `out`, in Montgomery form.
pub(crate) fn pow_g_into<const EXP_LIMBS: usize>(
    exponent: &Uint<EXP_LIMBS>,
    bits: u32,
    out: &mut Uint<LIMBS>,
    kernel: &dyn MontgomeryKernel,
) {
    let bits = bits.min(Uint::<EXP_LIMBS>::BITS);
    #[cfg(srp_comb)]
    if bits <= table::BLOCK_BITS * table::BLOCKS as u32 {
        return comb(exponent, bits, out, kernel);
    }
    *out = *square_and_double(exponent, bits, kernel).as_montgomery();
}

/// The comb over `bits ≤ BLOCKS · BLOCK_BITS` bits, into `acc` (Montgomery form), in place with
/// one factor read and one double-width scratch buffer (both zeroized).
#[cfg(srp_comb)]
fn comb<const EXP_LIMBS: usize>(
    exponent: &Uint<EXP_LIMBS>,
    bits: u32,
    acc: &mut Uint<LIMBS>,
    kernel: &dyn MontgomeryKernel,
) {
    use table::{BLOCK_BITS, SPACING, TABLE, TEETH};
    let words = exponent.as_words();
    let blocks = bits.div_ceil(BLOCK_BITS) as usize;
    let mut wide: [Word; 2 * LIMBS] = [0; 2 * LIMBS];
    let mut factor = Uint::<LIMBS>::ZERO;
    *acc = *Residue::ONE.as_montgomery();
    let mut first = true;
    for i in (0..SPACING).rev() {
        if !first {
            kernel.square(acc.as_mut_words(), &mut wide);
        }
        for (b, block) in (0u32..).zip(TABLE.iter().take(blocks)) {
            let mut index = 0;
            for k in 0..TEETH {
                let offset = k * SPACING + i;
                let pos = b * BLOCK_BITS + offset;
                // Teeth past the block's end belong to the next block; past `bits`, to no one.
                if offset < BLOCK_BITS && pos < bits {
                    index |= bit_at(words, pos) << k;
                }
            }
            if first {
                lookup_into(block, index, acc);
            } else {
                lookup_into(block, index, &mut factor);
                kernel.multiply(acc.as_mut_words(), factor.as_words(), &mut wide);
            }
            first = false;
        }
    }
    arith::canonicalize(acc);
    arith::wipe(&mut factor);
    wide.zeroize();
}

/// Left to right, one squaring (`kernel`'s, brought below N for the modular doubling), one
/// doubling and a constant-time select per bit.
pub(crate) fn square_and_double<const EXP_LIMBS: usize>(
    exponent: &Uint<EXP_LIMBS>,
    bits: u32,
    kernel: &dyn MontgomeryKernel,
) -> Residue {
    let bits = bits.min(Uint::<EXP_LIMBS>::BITS);
    let mut acc = Residue::ONE;
    let mut wide: [Word; 2 * LIMBS] = [0; 2 * LIMBS];
    let mut i = bits;
    while i > 0 {
        i -= 1;
        let mut squared = *acc.as_montgomery();
        kernel.square(squared.as_mut_words(), &mut wide);
        arith::canonicalize(&mut squared);
        acc = Residue::from_montgomery(squared);
        arith::wipe(&mut squared);
        let doubled = acc.double();
        acc = acc.ct_select(&doubled, exponent.bit(i));
    }
    wide.zeroize();
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::group::{G, N};
    use crate::srp::kernel::PortableKernel;
    use crypto_bigint::{U256, U1024};
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(n: &Uint<{ crate::srp::group::LIMBS }>) -> BigUint {
        BigUint::from_bytes_be(crate::srp::JavaBytes::of(n).as_slice())
    }

    #[test]
    fn edges_match_the_general_exponentiation() {
        let exponents = [
            U1024::ZERO,
            U1024::ONE,
            U1024::MAX,
            U1024::ONE.shl_vartime(1023),
            U1024::ONE.shl_vartime(255),
            U1024::ONE.shl_vartime(256),
            U1024::MAX.shr_vartime(768),
        ];
        for e in &exponents {
            for bits in [0, 1, 2, 42, 43, 255, 256, 257, 511, 512, 1023, 1024] {
                let want = G.pow_bounded_exp(e, bits);
                assert_eq!(
                    pow_g(e, bits, &PortableKernel),
                    want,
                    "comb: {e} over {bits} bits"
                );
                assert_eq!(
                    square_and_double(e, bits, &PortableKernel),
                    want,
                    "ladder: {e} over {bits} bits"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        #[test]
        fn matches_num_bigint(
            a in proptest::collection::vec(any::<u8>(), 128),
            x in proptest::array::uniform32(any::<u8>()),
        ) {
            let n = big(&N);
            let g = BigUint::from(2u8);
            let a_int = U1024::from_be_slice(&a);
            let want = g.modpow(&BigUint::from_bytes_be(&a), &n);
            prop_assert_eq!(big(&pow_g(&a_int, 1024, &PortableKernel).retrieve()), want.clone());
            prop_assert_eq!(big(&square_and_double(&a_int, 1024, &PortableKernel).retrieve()), want);
            let x_int = U256::from_be_slice(&x);
            let want = g.modpow(&BigUint::from_bytes_be(&x), &n);
            prop_assert_eq!(big(&pow_g(&x_int, 256, &PortableKernel).retrieve()), want);
            // 512-bit a: the low half of the 1024-bit one.
            let want = g.modpow(&(BigUint::from_bytes_be(&a) % (BigUint::from(1u8) << 512)), &n);
            prop_assert_eq!(big(&pow_g(&a_int, 512, &PortableKernel).retrieve()), want);
        }
    }
}
