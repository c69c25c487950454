#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]
// A build script: failing loudly at build time is the right behaviour, so unwrap is fine here.
//! Generates the fixed-base comb table for `g = 2` (src/srp/fixed_base.rs) into `OUT_DIR`.
//!
//! The table size is chosen by the features `srp-table-none`, `srp-table-small`,
//! `srp-table-medium` and `srp-table-large` (the smallest one enabled wins, since a table never changes a result, only
//! the speed, and flash is the hard limit), and without any of them by the target's pointer width:
//! large on 64-bit targets, small on 32-bit ones, none below.
//!
//! Layout: the exponent is cut into blocks of 256 bits; block b has `TEETH` teeth `SPACING` bits
//! apart, and entry j of block b is `g^(2^(256·b) · Σ_{k : bit k of j is set} 2^(k·SPACING))` in
//! Montgomery form (R = 2^3072, the same on 32- and 64-bit limbs), written as hex so the
//! crate parses it at compile time into its own limb width.

use core::fmt::Write as _;
use std::{env, fs, path::PathBuf};

use crypto_bigint::modular::ConstMontyForm;
use crypto_bigint::{U3072, Word};

crypto_bigint::const_monty_params!(
    GroupModulus,
    U3072,
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
    "The RFC 3526 3072-bit MODP prime N."
);

type Residue = ConstMontyForm<GroupModulus, { U3072::LIMBS }>;

/// Bits of exponent one block covers (x is 256 bits: one block; a is 1024: four).
const BLOCK_BITS: u32 = 256;
/// Blocks: enough for the 1024-bit `a`.
const BLOCKS: u32 = 4;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rustc-check-cfg=cfg(srp_comb)");
    let feature = |name: &str| env::var_os(format!("CARGO_FEATURE_{name}")).is_some();
    let pointer_width = env::var("CARGO_CFG_TARGET_POINTER_WIDTH").unwrap_or_default();
    // Teeth per block: 2^TEETH entries of 384 bytes per block.
    let teeth: u32 = if feature("SRP_TABLE_NONE") {
        0
    } else if feature("SRP_TABLE_SMALL") {
        4
    } else if feature("SRP_TABLE_MEDIUM") {
        5
    } else if feature("SRP_TABLE_LARGE") {
        6
    } else {
        match pointer_width.as_str() {
            "64" => 6,
            "32" => 4,
            _ => 0,
        }
    };
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let code = if teeth == 0 {
        "// No comb table: pow_g falls back to square-and-double.\n".to_owned()
    } else {
        println!("cargo::rustc-cfg=srp_comb");
        table(teeth)
    };
    fs::write(out.join("srp_comb_table.rs"), code).expect("writing the comb table");
}

fn table(teeth: u32) -> String {
    let spacing = BLOCK_BITS.div_ceil(teeth);
    let entries = 1usize << teeth;
    let mut code = String::new();
    writeln!(
        code,
        "/// Teeth per block.\npub(crate) const TEETH: u32 = {teeth};\n\
         /// Bits between two teeth of a block.\npub(crate) const SPACING: u32 = {spacing};\n\
         /// Exponent bits per block.\npub(crate) const BLOCK_BITS: u32 = {BLOCK_BITS};\n\
         /// Blocks (the table covers exponents of up to `BLOCKS · BLOCK_BITS` bits).\n\
         pub(crate) const BLOCKS: usize = {BLOCKS};\n\
         /// Entries per block.\npub(crate) const ENTRIES: usize = {entries};\n\
         /// `TABLE[b][j] = g^(2^(BLOCK_BITS·b) · Σ_(bit k of j set) 2^(k·SPACING))`, Montgomery form.\n\
         pub(crate) static TABLE: [[Uint<LIMBS>; ENTRIES]; BLOCKS] = ["
    )
    .unwrap();
    // g^(2^e) for the current e, by repeated squaring.
    let mut power = Residue::new(&U3072::from_u8(2));
    let mut e = 0;
    for block in 0..BLOCKS {
        let mut teeth_values = Vec::new();
        for k in 0..teeth {
            let target = block * BLOCK_BITS + k * spacing;
            while e < target {
                power = power.square();
                e += 1;
            }
            teeth_values.push(power);
        }
        code.push_str("    [\n");
        let mut row = vec![Residue::ONE; entries];
        for j in 1..entries {
            let top = usize::BITS - 1 - j.leading_zeros();
            let rest = j & !(1 << top);
            row[j] = row[rest].mul(&teeth_values[top as usize]);
        }
        for value in &row {
            code.push_str("        Uint::from_be_hex(\"");
            for word in value.as_montgomery().as_words().iter().rev() {
                write!(code, "{word:0width$x}", width = (Word::BITS / 4) as usize).unwrap();
            }
            code.push_str("\"),\n");
        }
        code.push_str("    ],\n");
    }
    code.push_str("];\n");
    code
}
