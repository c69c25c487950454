//! Variable-base exponentiation `base^e mod N` with a fixed window, constant-time in `base` and `e`.
//!
//! Used for `S = (B − k·g^x)^(a + u·x)`, the costliest step after the server answers. Left to
//! right over windows of [`WINDOW`] bits: `WINDOW` squarings and one multiplication (both the
//! [`MontgomeryKernel`]'s) by `base^w`, read from a table of the 2^`WINDOW` powers with a full
//! constant-time scan. The sequence of operations depends only on the public bit width.
//!
//! Window 5 is chosen from measured per-operation costs on x86-64 (multiplication 48.5 k
//! instructions, 64-entry scan 8.3 k): for a 1025-bit exponent, windows of 4, 5 and 6 cost
//! about 13.8, 12.6 and 13.4 M in multiplications, table building and scans (the 1025
//! squarings are the same for all). A larger window saves multiplications but pays for a
//! bigger table, built with one operation per entry and scanned in full at every window.

use crypto_bigint::{Choice, Uint, Word};
use zeroize::Zeroize;

use super::arith::{self, bit_at};
use super::group::{LIMBS, Residue};
use super::kernel::MontgomeryKernel;

/// Bits per window: 5 on 64-bit targets (the cost model above), 3 on 32-bit ones, where the
/// table lives on a microcontroller's stack: 8 × 384 B = 3 KiB instead of 12 KiB. Measured on a
/// Cortex-M4 (examples/mcu-qemu) for the online step: window 4 costs 112.6 M instructions with
/// 12.2 KB of stack, window 3 costs 116.8 M (+4 %) with 9.1 KB; the stack won. (Both before
/// the faster square and reduction: window 3 now costs 89.6 M, with a 7-entry table.)
#[cfg(target_pointer_width = "64")]
pub(crate) const WINDOW: u32 = 5;
/// Bits per window (32-bit targets; see the 64-bit definition).
#[cfg(not(target_pointer_width = "64"))]
pub(crate) const WINDOW: u32 = 3;

/// Powers base^0 … base^(2^WINDOW − 1) a window selects from (the table stores all but base^0).
const TABLE_LEN: usize = 1 << WINDOW;

/// `value ← base^e mod N` over the low `bits` bits of `exponent`: `value` holds the base in
/// Montgomery form on entry and the power as a plain integer in [0, N) on return (`bits` is
/// public and leaks through timing; the base and the exponent's value do not). The squarings
/// and multiplications are `kernel`'s.
///
/// All work happens in place in one frame: the table, the entry read and one double-width
/// scratch buffer (all zeroized before returning); once the table holds the base's powers,
/// `value` is the accumulator, and the result leaves Montgomery form in place. Not inlined, so
/// that frame is not merged with (and added to) the caller's.
#[inline(never)]
pub(crate) fn pow<const EXP_LIMBS: usize>(
    value: &mut Uint<LIMBS>,
    exponent: &Uint<EXP_LIMBS>,
    bits: u32,
    kernel: &dyn MontgomeryKernel,
) {
    let bits = bits.min(Uint::<EXP_LIMBS>::BITS);
    if bits == 0 {
        *value = Uint::ONE;
        return;
    }
    let mut wide = [0; 2 * LIMBS];
    let mut table = [Uint::<LIMBS>::ZERO; TABLE_LEN - 1];
    powers(value, &mut table, &mut wide, kernel);
    let words = exponent.as_words();
    let windows = bits.div_ceil(WINDOW);
    let acc = value;
    let mut entry = Uint::<LIMBS>::ZERO;
    for w in (0..windows).rev() {
        let low = w * WINDOW;
        let index = window_at(words, low, bits);
        if w + 1 == windows {
            power_at(&table, index, acc);
        } else {
            for _ in 0..WINDOW {
                kernel.square(acc.as_mut_words(), &mut wide);
            }
            power_at(&table, index, &mut entry);
            kernel.multiply(acc.as_mut_words(), entry.as_words(), &mut wide);
        }
    }
    arith::retrieve_in_place(acc, &mut wide);
    for entry in &mut table {
        arith::wipe(entry);
    }
    arith::wipe(&mut entry);
    wide.zeroize();
}

/// Fills `table` with `[base^1, …, base^(2^WINDOW − 1)]` in Montgomery form (`base` too; base^0
/// = 1 is not stored, see [`power_at`]): even powers by squaring, odd ones by one
/// multiplication, each computed in its own slot (no temporary 3072-bit values on the stack).
fn powers(
    base: &Uint<LIMBS>,
    table: &mut [Uint<LIMBS>; TABLE_LEN - 1],
    wide: &mut [Word; 2 * LIMBS],
    kernel: &dyn MontgomeryKernel,
) {
    // Slot k holds base^(k + 1).
    for k in 0..TABLE_LEN - 1 {
        let Some((done, [slot, ..])) = table.split_at_mut_checked(k) else {
            break;
        };
        let power = k + 1;
        if power == 1 {
            *slot = *base;
        } else if power.is_multiple_of(2) {
            if let Some(half) = done.get(power / 2 - 1) {
                *slot = *half;
            }
            kernel.square(slot.as_mut_words(), wide);
        } else {
            if let Some(previous) = done.last() {
                *slot = *previous;
            }
            kernel.multiply(slot.as_mut_words(), base.as_words(), wide);
        }
    }
}

/// `out ← base^index` (Montgomery form) from `table` = `[base^1, …]`, constant-time in `index`:
/// every entry is read, and 1 (not stored: 384 bytes less on a microcontroller's stack) is
/// taken with a mask when `index` is 0.
fn power_at(table: &[Uint<LIMBS>; TABLE_LEN - 1], index: u32, out: &mut Uint<LIMBS>) {
    arith::lookup_into(table, index.wrapping_sub(1), out);
    let is_zero = arith::word_mask(Choice::from_u32_eq(index, 0));
    for (o, one) in out
        .as_mut_words()
        .iter_mut()
        .zip(Residue::ONE.as_montgomery().as_words())
    {
        *o |= one & is_zero;
    }
}

/// The `WINDOW` bits of `words` starting at bit `low`, bits at or past `bits` read as 0.
fn window_at(words: &[Word], low: u32, bits: u32) -> u32 {
    let mut index = 0;
    for k in 0..WINDOW {
        let pos = low + k;
        if pos < bits {
            index |= bit_at(words, pos) << k;
        }
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::group::{G, K};
    use crate::srp::kernel::PortableKernel;
    use crypto_bigint::{U256, U1024};
    use proptest::prelude::*;

    #[test]
    fn matches_crypto_bigint_on_edges() {
        let exponents = [
            U1024::ZERO,
            U1024::ONE,
            U1024::MAX,
            U1024::ONE.shl_vartime(1023),
            U1024::from_u8(31),
        ];
        for base in [Residue::ZERO, Residue::ONE, G, K] {
            for e in &exponents {
                for bits in [0, 1, 4, 5, 6, 64, 1023, 1024, 2000] {
                    let mut out = *base.as_montgomery();
                    pow(&mut out, e, bits, &PortableKernel);
                    assert_eq!(
                        out,
                        base.pow_bounded_exp(e, bits).retrieve(),
                        "{e} over {bits} bits"
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        #[test]
        fn matches_crypto_bigint(
            base in proptest::array::uniform32(any::<u8>()),
            e in proptest::array::uniform32(any::<u8>()),
            bits in 0u32..=260,
        ) {
            let base = K.mul(&Residue::new(&U256::from_be_slice(&base).resize()));
            let e = U256::from_be_slice(&e);
            let mut out = *base.as_montgomery();
            pow(&mut out, &e, bits, &PortableKernel);
            prop_assert_eq!(out, base.pow_bounded_exp(&e, bits).retrieve());
        }
    }
}
