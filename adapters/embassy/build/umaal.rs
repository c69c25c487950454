//! Writes the Cortex-M4 assembly of `src/srp_umaal.rs` (feature `srp-umaal`): Montgomery
//! arithmetic modulo the SRP group's 3072-bit N on 96 limbs of 32 bits, built on `UMAAL`.
//!
//! Three functions (AAPCS, no stack arguments):
//!
//! * `cognito_srp_umaal_mul_wide(t, a, b)`: `t[0..192] = a·b`;
//! * `cognito_srp_umaal_sqr_wide(t, a)`: `t[0..192] = a²`, each cross product once, then doubled
//!   with the diagonal added in one pass;
//! * `cognito_srp_umaal_reduce(out, t, n)`: `out = t·2^-3072 mod n`, below 2^3072 (almost
//!   Montgomery: the final subtraction of `n` is masked by the reduction's carry bit), for
//!   `n ≡ −1 (mod 2^32)`, so each row's quotient is the limb itself.
//!
//! All three add four rows at once. At each output limb `p`, one load and one store of `t[p]`,
//! one load of the next limb of the other operand, and four `UMAAL`s (row k adds
//! `x_k·y_(p−k)` and its own carry `c_k`): 7 instructions for 4 limb products, against about 13
//! for the compiled two-row loop. The registers: `t` pointer, `y` pointer, the accumulator, three
//! limbs of `y` in rotation (limb j lives in `Y[j mod 3]`, loaded over the one the fourth row has
//! just used), four multipliers, four carries: fourteen, all of r0–r12 and lr.
//!
//! The code is straight-line per block of four rows, the same instructions on the same
//! addresses whatever the values; the only branches are the loops over blocks and, for the
//! square, a jump into its unrolled body at an offset fixed by the block index (the rows of the
//! triangle get shorter), so it runs in constant time on cores where `UMAAL` is fixed-latency
//! (every Cortex-M4 and M7).

#![allow(clippy::indexing_slicing)] // build time: indices below 4, or taken mod 3

use core::fmt::Write;

/// Limbs of N.
const LIMBS: usize = 96;
/// Rows per block.
const ROWS: usize = 4;
/// Blocks of four rows.
const BLOCKS: usize = LIMBS / ROWS;

const TP: &str = "r0";
const YP: &str = "r1";
const V: &str = "r2";
const Y: [&str; 3] = ["r3", "r4", "r5"];
const X: [&str; 4] = ["r6", "r7", "r8", "r9"];
const C: [&str; 4] = ["r10", "r11", "r12", "lr"];

/// The whole assembly source; `armv8m` for ARMv8-M Mainline targets, whose assembler accepts
/// `UMAAL` (a DSP-extension instruction there) only for a core that has it: the source then
/// names the Cortex-M33.
pub(crate) fn source(armv8m: bool) -> String {
    let mut s = String::new();
    s.push_str(".syntax unified\n.thumb\n");
    if armv8m {
        s.push_str(".cpu cortex-m33\n");
    }
    mul_wide(&mut s);
    sqr_wide(&mut s);
    reduce(&mut s);
    s
}

fn line(s: &mut String, text: impl AsRef<str>) {
    s.push_str("    ");
    s.push_str(text.as_ref());
    s.push('\n');
}

fn begin(s: &mut String, name: &str, locals: usize) {
    let _ = write!(
        s,
        ".section .text.{name},\"ax\",%progbits\n.global {name}\n.type {name},%function\n\
         .p2align 2\n.thumb_func\n{name}:\n"
    );
    line(s, "push {r4-r11, lr}");
    line(s, format!("sub sp, sp, #{locals}"));
}

fn end(s: &mut String, name: &str, locals: usize) {
    line(s, format!("add sp, sp, #{locals}"));
    line(s, "pop {r4-r11, pc}");
    let _ = writeln!(s, ".size {name}, . - {name}");
}

/// `t[0..96] = 0` with `TP` pointing at `t`, `TP` unchanged.
fn zero_low_half(s: &mut String) {
    for r in ["r2", "r3", "r4", "r5", "r6", "r7", "r8", "r9"] {
        line(s, format!("mov.w {r}, #0"));
    }
    for _ in 0..LIMBS / 8 {
        line(s, format!("stmia {TP}!, {{r2-r9}}"));
    }
    line(s, format!("sub.w {TP}, {TP}, #{}", LIMBS * 4));
}

/// One step with all four rows active: the output limb at `TP` gets `x_k·y_(j−k)` for k = 0..4,
/// where `Y[j mod 3]` holds `y_(j−3)` on entry and `y_j` after the reload. Seven 32-bit
/// instructions (28 bytes: the square jumps into a run of these).
fn full_step(s: &mut String, j: usize) {
    let old = Y[j % 3];
    let y2 = Y[(j + 1) % 3];
    let y1 = Y[(j + 2) % 3];
    line(s, format!("ldr.w {V}, [{TP}]"));
    line(s, format!("umaal {V}, {}, {}, {old}", C[3], X[3]));
    line(s, format!("ldr.w {old}, [{YP}], #4"));
    line(s, format!("umaal {V}, {}, {}, {y2}", C[2], X[2]));
    line(s, format!("umaal {V}, {}, {}, {y1}", C[1], X[1]));
    line(s, format!("umaal {V}, {}, {}, {old}", C[0], X[0]));
    line(s, format!("str.w {V}, [{TP}], #4"));
}

/// The three limbs after the rows' last products, written fresh (no earlier block reached them),
/// and the fourth row's carry after them. `Y[(last − d) mod 3]` holds `y_(last−d)`.
fn drain_fresh(s: &mut String, last: usize) {
    let y = |d: usize| Y[(last - d) % 3];
    // Limb last+1: row 0's carry, rows 1..3 with y_last, y_(last−1), y_(last−2).
    line(s, format!("umaal {}, {}, {}, {}", C[0], C[1], X[1], y(0)));
    line(s, format!("umaal {}, {}, {}, {}", C[0], C[2], X[2], y(1)));
    line(s, format!("umaal {}, {}, {}, {}", C[0], C[3], X[3], y(2)));
    line(s, format!("str.w {}, [{TP}], #4", C[0]));
    line(s, format!("umaal {}, {}, {}, {}", C[1], C[2], X[2], y(0)));
    line(s, format!("umaal {}, {}, {}, {}", C[1], C[3], X[3], y(1)));
    line(s, format!("str.w {}, [{TP}], #4", C[1]));
    line(s, format!("umaal {}, {}, {}, {}", C[2], C[3], X[3], y(0)));
    line(s, format!("str.w {}, [{TP}], #4", C[2]));
    line(s, format!("str.w {}, [{TP}], #4", C[3]));
}

fn zero_carries(s: &mut String) {
    for c in C {
        line(s, format!("mov.w {c}, #0"));
    }
}

/// `t = a·b`. Locals: [sp] the next block's `a`, [sp+4] `b`, [sp+8] the end of `a`.
fn mul_wide(s: &mut String) {
    let name = "cognito_srp_umaal_mul_wide";
    begin(s, name, 16);
    line(s, "str r1, [sp, #0]");
    line(s, "str r2, [sp, #4]");
    line(s, format!("add.w r3, r1, #{}", LIMBS * 4));
    line(s, "str r3, [sp, #8]");
    zero_low_half(s);
    let _ = writeln!(s, ".Lmul_block:");
    line(s, format!("ldr {YP}, [sp, #0]"));
    line(s, format!("ldmia {YP}!, {{{}-{}}}", X[0], X[3]));
    line(s, format!("str {YP}, [sp, #0]"));
    line(s, format!("ldr {YP}, [sp, #4]"));
    zero_carries(s);
    // Rows start one limb apart: at limb j, rows 0..=j are active.
    for j in 0..ROWS - 1 {
        line(s, format!("ldr.w {V}, [{TP}]"));
        line(s, format!("ldr.w {}, [{YP}], #4", Y[j % 3]));
        for k in (0..=j).rev() {
            line(
                s,
                format!("umaal {V}, {}, {}, {}", C[k], X[k], Y[(j - k) % 3]),
            );
        }
        line(s, format!("str.w {V}, [{TP}], #4"));
    }
    for j in ROWS - 1..LIMBS {
        full_step(s, j);
    }
    drain_fresh(s, LIMBS - 1);
    // Next block: TP from limb i + 100 back to limb i + 4.
    line(s, format!("sub.w {TP}, {TP}, #{}", LIMBS * 4));
    line(s, "ldr r6, [sp, #0]");
    line(s, "ldr r7, [sp, #8]");
    line(s, "cmp r6, r7");
    line(s, "bne .Lmul_block");
    end(s, name, 16);
}

/// `t = a²`. Block b takes rows `a_i .. a_(i+3)` (i = 4b) against `y = a_(i+1) .. a_95`; row k
/// starts at `y_k` (its first product `a_(i+k)·a_(i+k+1)`), so at column j rows k with
/// `j ≥ 2k` are active; from column 6 on all four are, in the unrolled body. The body is written
/// for the longest block (b = 0, columns 6..=94) and a block with `95 − i` columns enters it at
/// column `6 + i`: limb j of `y` lives in `Y[(j + b) mod 3]`, so the short prologue comes in
/// three variants by `b mod 3`. The last block (three rows of lengths 3, 2, 1) is written out.
/// Then one pass doubles the cross products and adds the squares `a_i²`.
///
/// Locals: [sp] the next block's `a`, [sp+4] `a`, [sp+8] the body entry (Thumb address),
/// [sp+12] `b mod 3`, [sp+16] blocks left, [sp+20] the next block's first output limb.
fn sqr_wide(s: &mut String) {
    let name = "cognito_srp_umaal_sqr_wide";
    begin(s, name, 24);
    line(s, "str r1, [sp, #0]");
    line(s, "str r1, [sp, #4]");
    line(s, "adr.w r3, .Lsqr_body");
    line(s, "orr r3, r3, #1");
    line(s, "str r3, [sp, #8]");
    line(s, "mov.w r3, #0");
    line(s, "str r3, [sp, #12]");
    line(s, format!("mov.w r3, #{}", BLOCKS - 1));
    line(s, "str r3, [sp, #16]");
    zero_low_half(s);
    // Limb 0 and limbs 96.. are written later (the doubling pass; the blocks' fresh limbs).
    line(s, format!("add.w r3, {TP}, #4"));
    line(s, "str r3, [sp, #20]");

    let _ = writeln!(s, ".Lsqr_block:");
    line(s, format!("ldr {TP}, [sp, #20]"));
    line(s, format!("add.w {V}, {TP}, #{}", 2 * ROWS * 4));
    line(s, format!("str {V}, [sp, #20]"));
    line(s, format!("ldr {YP}, [sp, #0]"));
    line(s, format!("ldmia {YP}!, {{{}-{}}}", X[0], X[3]));
    line(s, format!("str {YP}, [sp, #0]"));
    line(s, format!("sub.w {YP}, {YP}, #{}", (ROWS - 1) * 4));
    zero_carries(s);
    line(s, format!("ldr {V}, [sp, #12]"));
    line(s, format!("cmp {V}, #1"));
    line(s, "beq .Lsqr_prologue1");
    line(s, "bhi .Lsqr_prologue2");
    for phase in 0..3 {
        let _ = writeln!(s, ".Lsqr_prologue{phase}:");
        for j in 0..6 {
            line(s, format!("ldr.w {V}, [{TP}]"));
            line(s, format!("ldr.w {}, [{YP}], #4", Y[(j + phase) % 3]));
            for k in (0..ROWS).rev().filter(|&k| j >= 2 * k) {
                line(
                    s,
                    format!("umaal {V}, {}, {}, {}", C[k], X[k], Y[(j - k + phase) % 3]),
                );
            }
            line(s, format!("str.w {V}, [{TP}], #4"));
        }
        line(s, format!("ldr {V}, [sp, #8]"));
        line(s, format!("bx {V}"));
    }
    // The body: columns 6..=94 of block 0 (28 bytes each).
    let last = LIMBS - 2; // y = a_1 .. a_95: its last limb is y_94
    let _ = writeln!(s, ".p2align 2\n.Lsqr_body:");
    for j in 6..=last {
        full_step(s, j);
    }
    drain_fresh(s, last);
    // Next block: entry 4 columns later, phase + 1.
    line(s, "ldr r6, [sp, #8]");
    line(s, format!("add.w r6, r6, #{}", ROWS * 28));
    line(s, "str r6, [sp, #8]");
    line(s, "ldr r6, [sp, #12]");
    line(s, "add.w r6, r6, #1");
    line(s, "cmp r6, #3");
    line(s, "it eq");
    line(s, "moveq r6, #0");
    line(s, "str r6, [sp, #12]");
    line(s, "ldr r6, [sp, #16]");
    line(s, "subs r6, r6, #1");
    line(s, "str r6, [sp, #16]");
    line(s, "bne .Lsqr_block");

    // The last block: a_92 .. a_95 in X, output limbs 185 ..= 191 (185 ..= 187 accumulate).
    line(s, format!("ldr {TP}, [sp, #20]"));
    line(s, format!("ldr {YP}, [sp, #0]"));
    line(s, format!("ldmia {YP}, {{{}-{}}}", X[0], X[3]));
    line(s, format!("mov.w {}, #0", C[0]));
    line(s, format!("mov.w {}, #0", C[1]));
    line(s, format!("mov.w {}, #0", C[2]));
    let rows: [&[(usize, usize)]; 3] = [&[(0, 1)], &[(0, 2)], &[(1, 2), (0, 3)]];
    for products in rows {
        line(s, format!("ldr.w {V}, [{TP}]"));
        for &(k, y) in products {
            line(s, format!("umaal {V}, {}, {}, {}", C[k], X[k], X[y]));
        }
        line(s, format!("str.w {V}, [{TP}], #4"));
    }
    // Limb 188: row 0's carry + a_93·a_95 + row 1's carry; 189: that carry + a_94·a_95.
    line(s, format!("umaal {}, {}, {}, {}", C[0], C[1], X[1], X[3]));
    line(s, format!("str.w {}, [{TP}], #4", C[0]));
    line(s, format!("umaal {}, {}, {}, {}", C[1], C[2], X[2], X[3]));
    line(s, format!("str.w {}, [{TP}], #4", C[1]));
    line(s, format!("str.w {}, [{TP}], #4", C[2]));
    line(s, format!("mov.w {}, #0", C[2]));
    line(s, format!("str.w {}, [{TP}], #4", C[2]));

    // Doubling and the diagonal: t[2i..2i+2] = 2·t[2i..2i+2] + a_i² + carries. The doubling's
    // carry rides the flags (adcs); the diagonal's in r3 through UMAAL with r2 = 1 (UMAAL leaves
    // the flags alone, and so do loads, stores and TEQ without a shift).
    line(s, "ldr r1, [sp, #4]");
    line(s, format!("sub.w {TP}, {TP}, #{}", 2 * LIMBS * 4));
    line(s, format!("add.w r4, {TP}, #{}", 2 * LIMBS * 4));
    line(s, "mov.w r2, #1");
    line(s, "mov.w r3, #0");
    line(s, "adds.w r5, r3, #0"); // C = 0
    let _ = writeln!(s, ".Lsqr_diagonal:");
    for _ in 0..4 {
        line(s, "ldr.w r5, [r1], #4");
        line(s, "umull r6, r7, r5, r5");
        line(s, format!("ldrd r8, r9, [{TP}]"));
        line(s, "adcs.w r8, r8, r8");
        line(s, "adcs.w r9, r9, r9");
        line(s, "umaal r6, r3, r2, r8");
        line(s, "umaal r7, r3, r2, r9");
        line(s, format!("strd r6, r7, [{TP}], #8"));
    }
    line(s, format!("teq {TP}, r4"));
    line(s, "bne .Lsqr_diagonal");
    end(s, name, 24);
}

/// `out = t·2^-3072 mod n` (below 2^3072). Block b reduces limbs i .. i+3 (i = 4b): the quotient
/// of row k is limb i+k as the earlier rows of the block left it (−n⁻¹ ≡ 1 mod 2^32), and its
/// first product `q·n_0` only moves the limb into the row's carry (n_0 = 2^32 − 1), so `n` is
/// read from `n_1`. The rows end at limbs i+96 ..= i+99, which hold the upper half: their
/// carries are added there, with the block's carry out of limb i+99 (a bit) kept for limb
/// i+100, the next block's. The last block's is bit 6144: then n is subtracted once.
///
/// Locals: [sp] `out`, [sp+4] `n`, [sp+8] the carry bit into the block's limb i+96,
/// [sp+12] blocks left.
fn reduce(s: &mut String) {
    let name = "cognito_srp_umaal_reduce";
    begin(s, name, 16);
    line(s, "str r0, [sp, #0]");
    line(s, "str r2, [sp, #4]");
    line(s, "mov.w r3, #0");
    line(s, "str r3, [sp, #8]");
    line(s, format!("mov.w r3, #{BLOCKS}"));
    line(s, "str r3, [sp, #12]");
    line(s, format!("mov {TP}, r1"));
    line(s, format!("add.w {YP}, r2, #4"));
    let _ = writeln!(s, ".Lreduce_block:");
    // Limb i: q_0 = t_i; t_i + q_0·n_0 = q_0·2^32.
    line(s, format!("ldr.w {}, [{TP}], #4", X[0]));
    line(s, format!("mov {}, {}", C[0], X[0]));
    // Limbs i+1 .. i+3: rows 0..k−1 added, the limb is q_k, and row k's first product moves it
    // into c_k. n_j is loaded into Y[j mod 3].
    for k in 1..ROWS {
        line(s, format!("ldr.w {}, [{TP}], #4", X[k]));
        line(s, format!("ldr.w {}, [{YP}], #4", Y[k % 3]));
        for r in 0..k {
            line(
                s,
                format!("umaal {}, {}, {}, {}", X[k], C[r], X[r], Y[(k - r) % 3]),
            );
        }
        line(s, format!("mov {}, {}", C[k], X[k]));
    }
    for j in ROWS..LIMBS {
        full_step(s, j);
    }
    // Limbs i+96 ..= i+99: existing limbs of the upper half take the rows' last products, the
    // rows' carries and a running carry bit (c_(k−1) after the limb before), added with
    // UMAAL by 1 (X[0] = 1: row 0 is done).
    let y = |d: usize| Y[(LIMBS - 1 - d) % 3];
    line(s, format!("ldr.w {V}, [{TP}]"));
    line(s, format!("umaal {V}, {}, {}, {}", C[3], X[3], y(2)));
    line(s, format!("umaal {V}, {}, {}, {}", C[2], X[2], y(1)));
    line(s, format!("umaal {V}, {}, {}, {}", C[1], X[1], y(0)));
    line(s, format!("ldr {}, [sp, #8]", y(2)));
    line(s, format!("mov.w {}, #1", X[0]));
    line(s, format!("umaal {V}, {}, {}, {}", C[0], X[0], y(2)));
    line(s, format!("str.w {V}, [{TP}], #4"));
    line(s, format!("ldr.w {V}, [{TP}]"));
    line(s, format!("umaal {V}, {}, {}, {}", C[3], X[3], y(1)));
    line(s, format!("umaal {V}, {}, {}, {}", C[2], X[2], y(0)));
    line(s, format!("umaal {V}, {}, {}, {}", C[1], X[0], C[0]));
    line(s, format!("str.w {V}, [{TP}], #4"));
    line(s, format!("ldr.w {V}, [{TP}]"));
    line(s, format!("umaal {V}, {}, {}, {}", C[3], X[3], y(0)));
    line(s, format!("umaal {V}, {}, {}, {}", C[2], X[0], C[1]));
    line(s, format!("str.w {V}, [{TP}], #4"));
    line(s, format!("ldr.w {V}, [{TP}]"));
    line(s, format!("umaal {V}, {}, {}, {}", C[3], X[0], C[2]));
    line(s, format!("str.w {V}, [{TP}], #4"));
    line(s, format!("str {}, [sp, #8]", C[3]));
    // Next block: TP from limb i+100 to i+4, YP from n_96 to n_1.
    line(s, format!("sub.w {TP}, {TP}, #{}", LIMBS * 4));
    line(s, format!("sub.w {YP}, {YP}, #{}", (LIMBS - 1) * 4));
    line(s, "ldr r6, [sp, #12]");
    line(s, "subs r6, r6, #1");
    line(s, "str r6, [sp, #12]");
    line(s, "bne .Lreduce_block");

    // out = t[96..192] − (n if the carry bit is set), borrows through the flags (LDM, STM and
    // AND without S leave them alone).
    line(s, "ldr r1, [sp, #0]");
    line(s, "ldr r2, [sp, #4]");
    line(s, "ldr r3, [sp, #8]");
    line(s, "rsb.w r3, r3, #0");
    for g in 0..LIMBS / 4 {
        line(s, format!("ldmia {TP}!, {{r4-r7}}"));
        line(s, "ldmia r2!, {r8-r11}");
        for r in ["r8", "r9", "r10", "r11"] {
            line(s, format!("and.w {r}, {r}, r3"));
        }
        line(
            s,
            if g == 0 {
                "subs.w r4, r4, r8"
            } else {
                "sbcs.w r4, r4, r8"
            },
        );
        line(s, "sbcs.w r5, r5, r9");
        line(s, "sbcs.w r6, r6, r10");
        line(s, "sbcs.w r7, r7, r11");
        line(s, "stmia r1!, {r4-r7}");
    }
    end(s, name, 16);
}
