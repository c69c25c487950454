//! Montgomery arithmetic modulo N that crypto-bigint 0.7 does not specialise for this modulus.
//!
//! * [`square_assign`]: crypto-bigint squares with its general multiplication (every cross
//!   product twice); here a schoolbook square computing each cross product once is followed by
//!   a Montgomery reduction that uses N ≡ −1 (mod 2^64): −N⁻¹ ≡ 1 modulo the limb base on 32-
//!   and 64-bit targets, so each row's quotient is the limb itself. The cross products are
//!   computed in fixed-size pieces ([`square_wide`]): on a Cortex-M4 one triangle with rows of
//!   every length spilled registers and cost more than a whole product (42 against 33 thousand
//!   instructions before the reduction; 29 thousand in pieces, 24 with the pieces' triangles
//!   in row pairs too).
//! * [`mul_assign`]: a schoolbook product and the same reduction.
//! * All the loops (product, square, reduction) add two rows at once with two carry chains
//!   ([`two_rows`], unrolled by four): each limb of the double-width buffer is loaded and stored
//!   once per two rows. On a Cortex-M4 this took the online step from 158 to 117 M instructions.
//! * Almost-Montgomery results ([`reduce`]): products and squares take and give any value below
//!   R = 2^(LIMBS·w), congruent modulo N, so the final correction needs only the reduction's
//!   carry bit, not a comparison with N; [`canonicalize`] brings a value below N where it
//!   leaves this module's loops. Carries and borrows go through double-width arithmetic
//!   ([`add_carry`]) rather than crypto-bigint's `carrying_add`, which on Arm
//!   targets passes each carry through an optimisation barrier (a store and a load).
//! * Everything works in place with a caller's scratch buffer, so a long exponentiation keeps one
//!   double-width buffer instead of returning 384-byte values (each a slot in some frame on a
//!   microcontroller's stack); [`retrieve_in_place`] leaves Montgomery form the same way, and
//!   [`wipe`] zeroizes without a scratch copy.
//! * [`lookup_into`]: a constant-time table read: every entry is read, the wanted one is kept
//!   with a mask, so neither the index nor the memory access pattern depends on secrets.
//! * Everything works on plain words (`[Word; _]`, not crypto-bigint's `Limb`s), the form
//!   [`super::kernel::MontgomeryKernel`] takes: [`square_assign`] and [`mul_assign`] are the
//!   portable kernel, which an adapter may replace; the rest (canonicalize, retrieve, lookups)
//!   stays here.
//!
//! Every operation here runs the same instructions on the same addresses whatever the values.

use crypto_bigint::{Choice, Uint, WideWord, Word};
use zeroize::Zeroize;

#[cfg(test)]
use super::group::Residue;
use super::group::{LIMBS, N};

// The reduction below takes −N⁻¹ mod 2^Word::BITS = 1, which holds because N's low limb is all
// ones (N ≡ −1 mod 2^64 for every RFC 3526 prime).
const _: () = assert!(N.as_words()[0] == Word::MAX);

/// Twice the limbs of a residue: a double-width product.
const WIDE: usize = 2 * LIMBS;

/// `a²` in Montgomery form (`a·a·R⁻¹ mod N`), fully reduced into [0, N) (the tests' by-value
/// form of [`square_assign`]).
#[cfg(test)]
pub(crate) fn square(a: &Residue) -> Residue {
    let mut out = *a.as_montgomery();
    let mut wide = [0; WIDE];
    square_assign(out.as_mut_words(), &mut wide);
    canonicalize(&mut out);
    wide.zeroize();
    Residue::from_montgomery(out)
}

/// `a·b` in Montgomery form, fully reduced into [0, N) (the tests' by-value form of
/// [`mul_assign`]).
#[cfg(test)]
pub(crate) fn mul(a: &Residue, b: &Residue) -> Residue {
    let mut out = *a.as_montgomery();
    let mut wide = [0; WIDE];
    mul_assign(out.as_mut_words(), b.as_montgomery().as_words(), &mut wide);
    canonicalize(&mut out);
    wide.zeroize();
    Residue::from_montgomery(out)
}

/// `a ← a²·R⁻¹` modulo N in place (Montgomery form), for any `a < R`, the result below R but
/// not necessarily below N (see [`reduce`]; [`canonicalize`] finishes), with `wide` as scratch
/// (left holding secret-derived limbs: the caller zeroizes it when done). The portable
/// [`super::kernel::PortableKernel`]'s square.
pub(crate) fn square_assign(a: &mut [Word; LIMBS], wide: &mut [Word; WIDE]) {
    square_wide(a, wide);
    reduce(wide, a);
}

/// `a ← a·b·R⁻¹` modulo N in place (Montgomery form), for any `a, b < R`, the result below R
/// as in [`square_assign`], with `wide` as scratch (the caller zeroizes it). The portable
/// [`super::kernel::PortableKernel`]'s multiplication.
///
/// A schoolbook product then [`reduce`], both built on [`two_rows`]. (On x86-64 this measured
/// level with crypto-bigint's interleaved Montgomery multiplication, 64.7 against 65.0 M
/// instructions for the full client SRP; on a Cortex-M4 it is what makes `UMAAL` chains.)
pub(crate) fn mul_assign(a: &mut [Word; LIMBS], b: &[Word; LIMBS], wide: &mut [Word; WIDE]) {
    mul_wide(a, b, wide);
    reduce(wide, a);
}

/// Zeroizes `value` word by word. (`Uint`'s own `zeroize` writes a zero value of its whole size
/// volatilely, which the compiler builds in a 384-byte scratch slot of the caller's frame; the
/// frames above the exponentiation for S are on a microcontroller's stack all along it.)
pub(crate) fn wipe(value: &mut Uint<LIMBS>) {
    value.as_mut_words().zeroize();
}

/// `a ← a·R⁻¹ mod N`, in [0, N): `a` (any value below R) out of Montgomery form (what
/// crypto-bigint's `retrieve` does), with `wide` as scratch (the caller zeroizes it).
pub(crate) fn retrieve_in_place(a: &mut Uint<LIMBS>, wide: &mut [Word; WIDE]) {
    if let Some((low, high)) = wide.split_first_chunk_mut::<LIMBS>() {
        *low = *a.as_words();
        high.fill(0);
    }
    reduce(wide, a.as_mut_words());
    canonicalize(a);
}

/// Schoolbook product `t = a·b`, rows in pairs: limb `i + j` gets `a_i·b_j + a_(i+1)·b_(j−1)`
/// with two carry chains, so each limb of `t` is loaded and stored once per two rows.
///
/// Not [`mul_add_wide`] into zeros: writing the top limbs fresh instead of adding to them saves
/// 1.3 M instructions of the Cortex-M4 online step.
fn mul_wide(a: &[Word; LIMBS], b: &[Word; LIMBS], t: &mut [Word; WIDE]) {
    // The pair at rows i, i + 1 reads limbs i ..= i + LIMBS − 1 (written by earlier pairs, or
    // the zeroed low half) and writes limbs i + LIMBS, i + LIMBS + 1 fresh.
    if let Some(low) = t.get_mut(..LIMBS) {
        low.fill(0);
    }
    let Some(&b0) = b.first() else {
        return;
    };
    for (i, pair) in (0..).step_by(2).zip(a.chunks_exact(2)) {
        let (&[a0, a1], Some(window)) = (pair, t.get_mut(i..i + LIMBS + 2)) else {
            break;
        };
        row_pair(window, [a0, a1], b, b0);
    }
}

/// Adds the rows `x0·y` at limb 0 of `window` and `x1·y` at limb 1 (its first product taken
/// as `x1·second_first`: `y_0`, or zero to leave it out), and writes their carries to the
/// window's last two limbs, which no earlier row reached. `window` is two limbs longer than
/// `y`. Limb 0 takes the first row alone, the middle both rows ([`two_rows`]), the last two
/// the carries and the second row's last product.
#[inline(always)]
fn row_pair(window: &mut [Word], [x0, x1]: [Word; 2], y: &[Word], second_first: Word) {
    let (Some((first, rest)), Some((&y0, y_rest)), Some(&y_last)) =
        (window.split_first_mut(), y.split_first(), y.last())
    else {
        return;
    };
    let Some((middle, [t_l, t_l1])) = rest.split_last_chunk_mut::<2>() else {
        return;
    };
    let (v, mut c0) = mul_add(x0, y0, *first, 0);
    *first = v;
    let mut c1 = 0;
    two_rows(middle, [x0, x1], y_rest, second_first, [&mut c0, &mut c1]);
    (*t_l, *t_l1) = mul_add(x1, y_last, c0, c1);
}

/// Schoolbook square: each cross product `a_i·a_j` (i < j) once, the sum doubled by a shift,
/// then the diagonal `a_i²` added; about half the limb products of a general multiplication.
///
/// The cross products are cut into fixed-size pieces, so that every loop runs a length known at
/// compile time (on a Cortex-M4 a triangle of varying row lengths spilled registers and cost
/// more than a whole multiplication): blocks of [`SQUARE_BLOCK`] limbs each get their own
/// triangle, then each pair of neighbouring blocks, then of neighbouring block pairs, and so on
/// up to the two halves, adds its rectangle `low half · high half` ([`mul_add_wide`]). (crypto-bigint's
/// `widening_square` recurses through Karatsuba, which measured slower at this size.)
fn square_wide(a: &[Word; LIMBS], t: &mut [Word; WIDE]) {
    t.fill(0);
    for (block, out) in a
        .chunks_exact(SQUARE_BLOCK)
        .zip(t.chunks_exact_mut(2 * SQUARE_BLOCK))
    {
        if let Ok(block) = <&[Word; SQUARE_BLOCK]>::try_from(block) {
            triangle(block, out);
        }
    }
    // Each level pairs the blocks of the one before; a level whose pair would be wider than a
    // residue has no pair and does nothing.
    rectangles::<SQUARE_BLOCK>(a, t);
    rectangles::<{ 2 * SQUARE_BLOCK }>(a, t);
    rectangles::<{ 4 * SQUARE_BLOCK }>(a, t);
    double_and_add_diagonal(a, t);
}

/// Limbs per smallest block of [`square_wide`]: one or two doublings of it make half a residue.
/// Measured: on a Cortex-M4 blocks of 24 limbs (two levels) take 1 % fewer instructions for the
/// online step than blocks of 12 (three levels) and 2 % fewer than blocks of 48 (one level); on
/// x86-64 blocks of 6 (three levels) take 3 % fewer than blocks of 12.
#[cfg(target_pointer_width = "32")]
const SQUARE_BLOCK: usize = LIMBS / 4;
#[cfg(not(target_pointer_width = "32"))]
const SQUARE_BLOCK: usize = LIMBS / 8;
const _: () = assert!(
    SQUARE_BLOCK.is_multiple_of(2) && (4 * SQUARE_BLOCK == LIMBS || 8 * SQUARE_BLOCK == LIMBS)
);

/// The cross products of one block, `Σ_{i<j} a_i·a_j·2^((i+j)·w)`, into `out` (zeroed, twice
/// the block's length), rows in pairs with [`two_rows`] (measured on a Cortex-M4: the whole
/// square's cross products took 27.1 thousand instructions with one row at a time, 24.8 with
/// pairs).
fn triangle<const B: usize>(a: &[Word; B], out: &mut [Word]) {
    // Rows i and i + 1 together: row i adds a_i·a_j (j > i) at limbs 2i + 1 ..= i + B − 1,
    // row i + 1 adds a_(i+1)·a_j (j > i + 1) one limb up; both carry into limbs i + B, i + B + 1,
    // which no earlier pair reached.
    for i in (0..B.saturating_sub(2)).step_by(2) {
        let (Some(&x0), Some(&x1), Some(y), Some(window)) = (
            a.get(i),
            a.get(i + 1),
            a.get(i + 1..),
            out.get_mut(2 * i + 1..i + B + 2),
        ) else {
            break;
        };
        // y = a_(i+1) …: row i from limb 2i + 1; row i + 1 from limb 2i + 3, without
        // a_(i+1)·a_(i+1) (the diagonal), so its first product is zero.
        row_pair(window, [x0, x1], y, 0);
    }
    // The last pair of rows, B − 2 and B − 1: only a_(B−2)·a_(B−1), over limbs 2B − 3, 2B − 2.
    if let (Some(&x0), Some(&x1), Some([lo, hi])) = (
        a.get(B.wrapping_sub(2)),
        a.last(),
        out.get_mut((2 * B).wrapping_sub(3)..(2 * B).wrapping_sub(1)),
    ) {
        let (v, c) = mul_add(x0, x1, *lo, 0);
        (*lo, *hi) = (v, c);
    }
}

/// For every pair of neighbouring `S`-limb blocks of `a` (low block at limb p, high at p + S),
/// adds `low·high` to `t` at limb 2p + S and carries into the pair's region, which ends at limb
/// 2p + 4S: the pair's cross products fit there, so nothing carries further.
fn rectangles<const S: usize>(a: &[Word; LIMBS], t: &mut [Word; WIDE]) {
    for (pair, region) in a.chunks_exact(2 * S).zip(t.chunks_exact_mut(4 * S)) {
        let (Some((low, high)), Some(out)) = (pair.split_first_chunk::<S>(), region.get_mut(S..))
        else {
            break;
        };
        let (Ok(high), Some((product, beyond))) = (
            <&[Word; S]>::try_from(high),
            out.split_at_mut_checked(2 * S),
        ) else {
            break;
        };
        let mut carry = mul_add_wide(low, high, product);
        for limb in beyond {
            (*limb, carry) = add_carry(*limb, 0, carry);
        }
    }
}

/// `t[..2S] += x·y`, returning the carry out of limb 2S − 1. Rows in pairs as in [`mul_wide`],
/// with the pair's top limbs added to rather than written, their carry passed to the next pair
/// as in [`reduce`].
fn mul_add_wide<const S: usize>(x: &[Word; S], y: &[Word; S], t: &mut [Word]) -> Word {
    let Some(&y_top) = y.last() else {
        return 0;
    };
    let mut top = 0;
    for (i, pair) in (0..).step_by(2).zip(x.chunks_exact(2)) {
        let &[x0, x1] = pair else {
            break;
        };
        let Some(window) = t.get_mut(i..i + S + 2) else {
            break;
        };
        let Some((row, [t_l, t_l1])) = window.split_last_chunk_mut::<2>() else {
            break;
        };
        // Limbs i ..= i + S − 1: both rows (the second starts one limb up: y_(−1) = 0).
        let (mut c0, mut c1) = (0, 0);
        two_rows(row, [x0, x1], y, 0, [&mut c0, &mut c1]);
        // Limb i + S: its content, the first row's carry, the previous pair's carry and the
        // second row's last product; limb i + S + 1: its content and the carries.
        let (v, k0) = add_carry(*t_l, c0, top);
        (*t_l, c1) = mul_add(x1, y_top, v, c1);
        (*t_l1, top) = add_carry(*t_l1, c1, k0);
    }
    top
}

/// `t ← 2·t + Σ a_i²·2^(2i·w)`: the doubled cross products plus the diagonal, in one pass over
/// limb pairs.
fn double_and_add_diagonal(a: &[Word; LIMBS], t: &mut [Word; WIDE]) {
    let mut shifted_out: Word = 0;
    let mut carry: Word = 0;
    for (pair, &ai) in t.chunks_exact_mut(2).zip(a) {
        let [lo, hi] = pair else {
            break;
        };
        let lo2 = (*lo << 1) | shifted_out;
        let hi2 = (*hi << 1) | (*lo >> (Word::BITS - 1));
        shifted_out = *hi >> (Word::BITS - 1);
        // a_i² + lo2 + carry < 2^(2w), and hi2 + that sum's upper word < 2^(w + 1).
        let low =
            WideWord::from(ai) * WideWord::from(ai) + WideWord::from(lo2) + WideWord::from(carry);
        let high = WideWord::from(hi2) + (low >> Word::BITS);
        (*lo, *hi) = (low as Word, high as Word);
        carry = (high >> Word::BITS) as Word;
    }
}

/// The inner loop of every product here: two rows at once, `t[k] += x0·u[k] + x1·u[k − 1]`
/// (with `u[−1]` = `u_before`), carrying `x0`'s row in `carries[0]` and `x1`'s in `carries[1]`.
/// Each limb of `t` is loaded and stored once for both rows. Unrolled by two so that every
/// limb of `u` is loaded once and each carry stays in its register (on Cortex-M each step is
/// one `UMAAL`).
#[inline(always)]
fn two_rows(
    t: &mut [Word],
    [x0, x1]: [Word; 2],
    u: &[Word],
    u_before: Word,
    carries: [&mut Word; 2],
) {
    let [c0, c1] = carries;
    let (mut k0, mut k1) = (*c0, *c1);
    let mut before = u_before;
    // One length for both, so the loops keep one count.
    let len = t.len().min(u.len());
    let (Some(t), Some(u)) = (t.get_mut(..len), u.get(..len)) else {
        return;
    };
    let mut t_pairs = t.chunks_exact_mut(4);
    let mut u_pairs = u.chunks_exact(4);
    for (tp, up) in (&mut t_pairs).zip(&mut u_pairs) {
        let ([ta, tb, tc, td], &[ua, ub, uc, ud]) = (tp, up) else {
            break;
        };
        let (v, k) = mul_add(x0, ua, *ta, k0);
        (*ta, k1) = mul_add(x1, before, v, k1);
        let (v, k) = mul_add(x0, ub, *tb, k);
        (*tb, k1) = mul_add(x1, ua, v, k1);
        let (v, k) = mul_add(x0, uc, *tc, k);
        (*tc, k1) = mul_add(x1, ub, v, k1);
        let (v, k) = mul_add(x0, ud, *td, k);
        (*td, k1) = mul_add(x1, uc, v, k1);
        k0 = k;
        before = ud;
    }
    let rest_u = u_pairs.remainder();
    for (tk, &uk) in t_pairs.into_remainder().iter_mut().zip(rest_u) {
        let (v, k) = mul_add(x0, uk, *tk, k0);
        (*tk, k1) = mul_add(x1, before, v, k1);
        k0 = k;
        before = uk;
    }
    (*c0, *c1) = (k0, k1);
}

/// Almost-Montgomery reduction of `t < R²` (little-endian limbs): writes a value below R
/// congruent to `t·R⁻¹` modulo N to `out` (`t` is overwritten); [`canonicalize`] brings it
/// below N.
///
/// Row i adds `q·N·2^(i·w)` with `q` = the current limb i (the quotient is the limb itself since
/// −N⁻¹ ≡ 1), which clears limb i. Rows go in pairs, each pass adding `q0·N[j] + q1·N[j−1]` at
/// limb i + j with two carry chains, so every limb is loaded and stored once per two rows. After
/// `LIMBS` rows the upper half plus the final carry (`top`·R) is below R + N (t < R², each
/// quotient below the limb base): subtracting N when `top` is set leaves it below R. No
/// comparison with N is needed, only the carry bit: the products take any value below R, and
/// only results leaving this module are brought below N.
fn reduce(t: &mut [Word; WIDE], out: &mut [Word; LIMBS]) {
    let (Some(&n0), Some(&n1), Some(&n_top)) = (
        N.as_words().first(),
        N.as_words().get(1),
        N.as_words().last(),
    ) else {
        return;
    };
    // On 32-bit targets the limbs of N for the inner loop come through an opaque reference:
    // with N's address a known constant, the compiler rebuilt it in every pass of the loop (two
    // instructions, short of registers on a Cortex-M4; 4 % more instructions for the online
    // step). On x86-64 the constant address is the cheaper one (2 % fewer instructions).
    #[cfg(target_pointer_width = "32")]
    let n = core::hint::black_box(N.as_words());
    #[cfg(not(target_pointer_width = "32"))]
    let n = N.as_words();
    let mut top = 0;
    for i in (0..LIMBS).step_by(2) {
        // Limbs i ..= i + LIMBS + 1 of t.
        let Some(window) = t.get_mut(i..i + LIMBS + 2) else {
            break;
        };
        let Some(([t0, t1], rest)) = window.split_first_chunk_mut::<2>() else {
            break;
        };
        let q0 = *t0;
        let (_, mut c0) = mul_add(q0, n0, *t0, 0);
        let (v1, c) = mul_add(q0, n1, *t1, c0);
        c0 = c;
        // The second row's quotient: limb i + 1 once the first row is added.
        let q1 = v1;
        // q1·N[0] + v1 = q1·2^w: the low limb vanishes.
        let (_, mut c1) = mul_add(q1, n0, v1, 0);
        let Some((middle, [t_l, t_l1])) = rest.split_last_chunk_mut::<2>() else {
            break;
        };
        // Limbs i + 2 ..= i + LIMBS − 1: both rows.
        two_rows(
            middle,
            [q0, q1],
            n.get(2..).unwrap_or(&[]),
            n1,
            [&mut c0, &mut c1],
        );
        // Limb i + LIMBS: the first row's carry, the carry of the previous pair, the second
        // row's last product; limb i + LIMBS + 1: the second row's carry.
        let (v, k0) = add_carry(*t_l, c0, top);
        (*t_l, c1) = mul_add(q1, n_top, v, c1);
        (*t_l1, top) = add_carry(*t_l1, c1, k0);
    }
    // The upper half, minus N when the carry out is set.
    let mask = bit_mask(top);
    // hi − N = hi + !N + 1: an add-with-carry chain, the complement and the first carry masked.
    let mut carry = mask & 1;
    let high = t.get(LIMBS..).unwrap_or(&[]);
    for (dst, (hi, ni)) in out
        .chunks_exact_mut(4)
        .zip(high.chunks_exact(4).zip(n.chunks_exact(4)))
    {
        let ([d0, d1, d2, d3], [h0, h1, h2, h3], [n0, n1, n2, n3]) = (dst, hi, ni) else {
            break;
        };
        (*d0, carry) = add_carry(*h0, !n0 & mask, carry);
        (*d1, carry) = add_carry(*h1, !n1 & mask, carry);
        (*d2, carry) = add_carry(*h2, !n2 & mask, carry);
        (*d3, carry) = add_carry(*h3, !n3 & mask, carry);
    }
}

/// `a ← a mod N` for `a < R` (every value below R is below 2N, N's top bit being set): N
/// subtracted with a mask unless `a < N`. Brings the results of [`square_assign`] and
/// [`mul_assign`] into [0, N), where crypto-bigint's modular operations expect them.
pub(crate) fn canonicalize(a: &mut Uint<LIMBS>) {
    // a − N = a + !N + 1, which carries out exactly when a ≥ N; then the same chain again,
    // the complement and the first carry masked, in place.
    let mut carry = 1;
    for (&ai, &ni) in a.as_words().iter().zip(N.as_words()) {
        (_, carry) = add_carry(ai, !ni, carry);
    }
    let mask = bit_mask(carry);
    let mut carry = mask & 1;
    for (ai, &ni) in a.as_mut_words().iter_mut().zip(N.as_words()) {
        (*ai, carry) = add_carry(*ai, !ni & mask, carry);
    }
}

/// All ones when `choice` is true, zero otherwise. `Choice` keeps the value behind an
/// optimisation barrier, so the compiler sees no boolean to branch on.
pub(crate) fn word_mask(choice: Choice) -> Word {
    Word::from(choice.to_u8()).wrapping_neg()
}

/// [`word_mask`] of a bit that is 0 or 1.
fn bit_mask(bit: Word) -> Word {
    // `Word` is `u64` on 64-bit targets, where the conversion does nothing.
    #[allow(clippy::useless_conversion)]
    let bit = u64::from(bit);
    word_mask(Choice::from_u64_lsb(bit))
}

/// `x·y + addend + carry` and its carry (the upper word), in double-width arithmetic: what
/// crypto-bigint's `Limb::carrying_mul_add` computes, on plain words (never overflows:
/// (2^w − 1)² + 2·(2^w − 1) = 2^(2w) − 1).
#[inline(always)]
fn mul_add(x: Word, y: Word, addend: Word, carry: Word) -> (Word, Word) {
    let sum =
        WideWord::from(x) * WideWord::from(y) + WideWord::from(addend) + WideWord::from(carry);
    (sum as Word, (sum >> Word::BITS) as Word)
}

/// `a + b + c` and its carry, in double-width arithmetic (an add-with-carry chain on every
/// target; crypto-bigint's `carrying_add` on Arm targets without `thumb2` in `cfg`, which is
/// every one on stable Rust, passes each carry through an optimisation barrier).
#[inline(always)]
fn add_carry(a: Word, b: Word, c: Word) -> (Word, Word) {
    let sum = WideWord::from(a) + WideWord::from(b) + WideWord::from(c);
    (sum as Word, (sum >> Word::BITS) as Word)
}

// Rows of the reduction go in pairs.
const _: () = assert!(LIMBS.is_multiple_of(2));

/// The entry at `index` of `table` as a residue (the tests' form of [`lookup_into`]).
#[cfg(test)]
pub(crate) fn lookup<const L: usize>(table: &[Uint<LIMBS>; L], index: u32) -> Residue {
    let mut out = Uint::ZERO;
    lookup_into(table, index, &mut out);
    Residue::from_montgomery(out)
}

/// `out ←` the entry at `index` of `table`, reading every entry (constant-time in `index`); an
/// index past the end gives zero.
///
/// Four words at a time: each output word is the OR of that word of every entry, masked, kept
/// in a register until it is stored once (entry by entry, every output word was loaded and
/// stored once per entry; this took 1.35 M instructions off the Cortex-M4 online step).
pub(crate) fn lookup_into<const L: usize>(
    table: &[Uint<LIMBS>; L],
    index: u32,
    out: &mut Uint<LIMBS>,
) {
    // All ones for the wanted entry, zero otherwise.
    let masks: [Word; L] = core::array::from_fn(|j| {
        let j = u32::try_from(j).unwrap_or(u32::MAX);
        word_mask(Choice::from_u32_eq(j, index))
    });
    for (chunk, o) in out.as_mut_words().chunks_exact_mut(4).enumerate() {
        let (mut w0, mut w1, mut w2, mut w3) = (0, 0, 0, 0);
        for (entry, &mask) in table.iter().zip(&masks) {
            let Some(&[e0, e1, e2, e3]) = entry.as_words().get(4 * chunk..4 * chunk + 4) else {
                break;
            };
            w0 |= e0 & mask;
            w1 |= e1 & mask;
            w2 |= e2 & mask;
            w3 |= e3 & mask;
        }
        o.copy_from_slice(&[w0, w1, w2, w3]);
    }
}

// The table is read, and the reduction's correction made, four words at a time.
const _: () = assert!(LIMBS.is_multiple_of(4));

/// Bit `pos` of `words` (little-endian) as 0 or 1; positions past the end read as 0. `pos` is
/// public, the bit's value is not: no branch or index depends on it.
// `Word` is `u32` on 32-bit targets, where the cast does nothing.
#[allow(clippy::unnecessary_cast)]
pub(crate) fn bit_at(words: &[Word], pos: u32) -> u32 {
    let word = words.get((pos / Word::BITS) as usize).copied().unwrap_or(0);
    ((word >> (pos % Word::BITS)) & 1) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::srp::group::G;
    use crypto_bigint::U3072;
    use proptest::prelude::*;

    fn residue(bytes: &[u8]) -> Residue {
        let mut buf = [0u8; 384];
        let n = bytes.len().min(384);
        buf[384 - n..].copy_from_slice(&bytes[..n]);
        // Reduce into [0, N) first: `Residue::new` expects any integer, reduces itself.
        Residue::new(&U3072::from_be_slice(&buf))
    }

    #[test]
    fn edges() {
        let n_minus_1 = Residue::new(&N.wrapping_sub(&U3072::ONE));
        for a in [Residue::ZERO, Residue::ONE, G, n_minus_1] {
            assert_eq!(square(&a), a.square());
            assert_eq!(mul(&a, &n_minus_1), a.mul(&n_minus_1));
        }
        // The largest Montgomery representative, N − 1, squared.
        let top = Residue::from_montgomery(N.wrapping_sub(&U3072::ONE));
        assert_eq!(square(&top), top.square());
        // Every carry of the double-width square at its largest: all limbs all ones.
        let mut t = [1; WIDE];
        square_wide(U3072::MAX.as_words(), &mut t);
        let (lo, hi) = U3072::MAX.widening_mul(&U3072::MAX);
        assert_eq!(t[..LIMBS], *lo.as_words());
        assert_eq!(t[LIMBS..], *hi.as_words());
    }

    #[test]
    fn lookup_reads_the_indexed_entry() {
        let table = [U3072::ONE, U3072::from_u8(2), U3072::from_u8(3)];
        for (i, want) in table.iter().enumerate() {
            assert_eq!(lookup(&table, i as u32).as_montgomery(), want);
        }
        assert_eq!(lookup(&table, 3).as_montgomery(), &U3072::ZERO);
    }

    #[test]
    fn bits() {
        let words = [0b1010 as Word, 1];
        assert_eq!(
            [0, 1, 2, 3].map(|p| bit_at(&words, p)),
            [0, 1, 0, 1],
            "low word"
        );
        assert_eq!(bit_at(&words, Word::BITS), 1);
        assert_eq!(bit_at(&words, 2 * Word::BITS + 5), 0);
    }

    /// `a·b·R⁻¹ mod N` with plain big integers.
    fn montgomery_product(a: &U3072, b: &U3072) -> num_bigint::BigUint {
        use num_bigint::BigUint;
        let big = |v: &U3072| BigUint::from_bytes_be(&v.to_be_bytes());
        let n = big(&N);
        let r_inverse = (BigUint::from(1u8) << 3072u32).modpow(&(&n - 2u8), &n);
        big(a) * big(b) % &n * r_inverse % &n
    }

    /// The products take and give any value below R (almost Montgomery), congruent to the exact
    /// product; `canonicalize` and `retrieve_in_place` bring it below N.
    #[test]
    fn products_of_values_up_to_r() {
        use num_bigint::BigUint;
        let big = |v: &U3072| BigUint::from_bytes_be(&v.to_be_bytes());
        let n_plus = |k: u8| N.wrapping_add(&U3072::from_u8(k));
        let values = [
            U3072::ZERO,
            U3072::ONE,
            N.wrapping_sub(&U3072::ONE),
            N,
            n_plus(1),
            U3072::MAX,
            U3072::MAX.wrapping_sub(&U3072::ONE),
            U3072::MAX.shr_vartime(1),
        ];
        let mut wide = [0; WIDE];
        for a in &values {
            for b in &values {
                let want = montgomery_product(a, b);
                let mut got = *a;
                mul_assign(got.as_mut_words(), b.as_words(), &mut wide);
                assert_eq!(big(&got) % big(&N), want, "{a} · {b}");
                canonicalize(&mut got);
                assert_eq!(big(&got), want, "{a} · {b} canonical");
            }
            let mut got = *a;
            square_assign(got.as_mut_words(), &mut wide);
            assert_eq!(big(&got) % big(&N), montgomery_product(a, a), "{a}²");
            let mut got = *a;
            retrieve_in_place(&mut got, &mut wide);
            assert_eq!(
                big(&got),
                montgomery_product(a, &U3072::ONE),
                "{a} retrieved"
            );
        }
        // canonicalize leaves values below N alone and takes N itself to zero.
        let mut at_n = N;
        canonicalize(&mut at_n);
        assert_eq!(at_n, U3072::ZERO);
    }

    proptest! {
        #[test]
        fn square_and_mul_match_crypto_bigint(
            a in proptest::collection::vec(any::<u8>(), 1..=384),
            b in proptest::collection::vec(any::<u8>(), 1..=384),
        ) {
            let (a, b) = (residue(&a), residue(&b));
            prop_assert_eq!(square(&a), a.square());
            prop_assert_eq!(mul(&a, &b), a.mul(&b));
        }

        #[test]
        fn products_below_r_are_congruent(
            a in proptest::array::uniform32(any::<u8>()),
            b in proptest::array::uniform32(any::<u8>()),
            high in any::<bool>(),
        ) {
            use num_bigint::BigUint;
            // Spread 32 random bytes over the whole width; with `high`, above N.
            let spread = |bytes: [u8; 32]| {
                let mut buf = [0u8; 384];
                for (chunk, byte) in buf.chunks_mut(12).zip(bytes) {
                    chunk.fill(byte);
                }
                let v = U3072::from_be_slice(&buf);
                if high { v | N } else { v }
            };
            let (a, b) = (spread(a), spread(b));
            let mut got = a;
            let mut wide = [0; WIDE];
            mul_assign(got.as_mut_words(), b.as_words(), &mut wide);
            canonicalize(&mut got);
            prop_assert_eq!(BigUint::from_bytes_be(&got.to_be_bytes()), montgomery_product(&a, &b));
        }

        /// The double-width products (which `mul` uses only on 32-bit targets) against
        /// crypto-bigint's, on every target.
        #[test]
        fn wide_products_match_crypto_bigint(
            a in proptest::collection::vec(any::<u8>(), 1..=384),
            b in proptest::collection::vec(any::<u8>(), 1..=384),
        ) {
            let pad = |bytes: &[u8]| {
                let mut buf = [0xffu8; 384];
                buf[384 - bytes.len()..].copy_from_slice(bytes);
                U3072::from_be_slice(&buf)
            };
            let (a, b) = (pad(&a), pad(&b));
            let wide = |lo: U3072, hi: U3072| {
                let mut t = [0; WIDE];
                t[..LIMBS].copy_from_slice(lo.as_words());
                t[LIMBS..].copy_from_slice(hi.as_words());
                t
            };
            let mut t = [1; WIDE];
            mul_wide(a.as_words(), b.as_words(), &mut t);
            let (lo, hi) = a.widening_mul(&b);
            prop_assert_eq!(t, wide(lo, hi));
            square_wide(a.as_words(), &mut t);
            let (lo, hi) = a.widening_mul(&a);
            prop_assert_eq!(t, wide(lo, hi));
        }
    }
}
