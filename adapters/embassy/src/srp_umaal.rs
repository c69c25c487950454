//! SRP arithmetic in Cortex-M assembly (feature `srp-umaal`; `thumbv7em-*` targets: Cortex-M4
//! and M7, and `thumbv8m.main-*` ones: Cortex-M33 and M35P, which must have the DSP extension —
//! nRF91, nRF53, STM32L5/U5 and RP2350 do; on a core without it the first operation faults): a
//! [`MontgomeryKernel`] for the exponentiations of a sign-in (`A`, `g^x`, `S`).
//!
//! The core is `#![forbid(unsafe_code)]`, so its arithmetic is safe Rust, which LLVM compiles to
//! about 13 instructions per four limb products on a Cortex-M4 (two rows at a time: a `UMAAL`
//! each, and loads, stores and the loop). Here four rows of limb products are added at once
//! with every operand in a register: 7 instructions (four `UMAAL`s, a load and a store of the
//! output limb, a load of the next limb) per four products. On a Cortex-M4 (QEMU's
//! `mps2-an386`, `examples/mcu-qemu`) the online step of a sign-in (challenge in, answer out)
//! takes 44.8 M instructions instead of 89.6 M; on a Cortex-M33 (`mps2-an505`,
//! `thumbv8m.main-none-eabihf`, where the compiler may not use `UMAAL` at all) 44.8 M instead
//! of 199.9 M. The figures are in the README.
//!
//! The assembly is generated at build time (`build/umaal.rs`): straight-line blocks of four
//! rows, the same instructions on the same addresses whatever the values (constant time on
//! cores whose `UMAAL` takes a fixed number of cycles: the Cortex-M4, M7 and M33). It is
//! checked against the portable kernel and the reference vectors under QEMU in CI, on both
//! boards (`scripts/mcu.sh`, `MCU_BOARD=an505 scripts/mcu.sh`).
//!
//! A firmware opts in where it makes its ephemerals (`SrpEphemeral` keeps the kernel for the
//! answer to the challenge) and device verifiers:
//!
//! ```ignore
//! use cognito_core::srp::{EphemeralBits, SrpEphemeral};
//! use cognito_embassy::srp_umaal::UMAAL;
//!
//! let ephemeral = SrpEphemeral::generate_using(&mut rng, EphemeralBits::B1024, &UMAAL)?;
//! let flow = SignIn::srp(&config, username, password, ephemeral)?;
//! // … and for a device the pool offers to remember:
//! let registration = DeviceRegistration::new_using(&config, &offer, access_token, &mut rng, &UMAAL)?;
//! ```
//!
//! (Not a doc test: the module exists only on Cortex-M targets, where doc tests do not run;
//! `examples/firmware-stm32` and `examples/mcu-qemu` build and run this code.)
#![allow(unsafe_code)] // calls into the generated assembly; see the SAFETY notes

use cognito_core::srp::{MODULUS, MontgomeryKernel, N_LIMBS};

/// Limbs of a double-width product.
const WIDE: usize = 2 * N_LIMBS;

core::arch::global_asm!(
    include_str!(concat!(env!("OUT_DIR"), "/srp_umaal.s")),
    options(raw)
);

unsafe extern "C" {
    fn cognito_srp_umaal_mul_wide(t: *mut u32, a: *const u32, b: *const u32);
    fn cognito_srp_umaal_sqr_wide(t: *mut u32, a: *const u32);
    fn cognito_srp_umaal_reduce(out: *mut u32, t: *mut u32, n: *const u32);
}

/// The assembly kernel (use the static [`UMAAL`]).
#[derive(Clone, Copy, Debug, Default)]
pub struct UmaalKernel;

/// The assembly kernel, for [`cognito_core::srp::SrpEphemeral::generate_using`] and the other
/// constructors taking a kernel.
pub static UMAAL: UmaalKernel = UmaalKernel;

impl MontgomeryKernel for UmaalKernel {
    fn square(&self, a: &mut [u32; N_LIMBS], wide: &mut [u32; WIDE]) {
        square_wide(a, wide);
        reduce(wide, a);
    }

    fn multiply(&self, a: &mut [u32; N_LIMBS], b: &[u32; N_LIMBS], wide: &mut [u32; WIDE]) {
        mul_wide(a, b, wide);
        reduce(wide, a);
    }
}

/// `t = a·b` (all 192 limbs written; least significant limb first).
pub fn mul_wide(a: &[u32; N_LIMBS], b: &[u32; N_LIMBS], t: &mut [u32; WIDE]) {
    // SAFETY: the function reads 96 limbs at `a` and `b` and writes 192 at `t`, which the
    // types guarantee; `t` is borrowed mutably so it overlaps neither input. It follows the
    // AAPCS (saves r4–r11, restores sp) and touches no other memory than its own stack frame.
    unsafe { cognito_srp_umaal_mul_wide(t.as_mut_ptr(), a.as_ptr(), b.as_ptr()) }
}

/// `t = a²` (all 192 limbs written).
pub fn square_wide(a: &[u32; N_LIMBS], t: &mut [u32; WIDE]) {
    // SAFETY: as in `mul_wide`, with one input.
    unsafe { cognito_srp_umaal_sqr_wide(t.as_mut_ptr(), a.as_ptr()) }
}

/// `out ≡ t·2^−3072 (mod N)`, below 2^3072 but not necessarily below N, for any `t`:
/// `(t + q·N) / 2^3072` is below 2^3072 + N, so one subtraction of N, taken when its bit 3072
/// is set, brings it below 2^3072. `t` is left overwritten with intermediate limbs.
pub fn reduce(t: &mut [u32; WIDE], out: &mut [u32; N_LIMBS]) {
    // SAFETY: reads and writes the 192 limbs of `t`, reads the 96 of the modulus, writes the 96
    // of `out`; `t` and `out` are distinct mutable borrows. AAPCS as in `mul_wide`.
    unsafe { cognito_srp_umaal_reduce(out.as_mut_ptr(), t.as_mut_ptr(), MODULUS.as_ptr()) }
}
