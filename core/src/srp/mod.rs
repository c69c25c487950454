//! SRP-6a as Cognito does it (not textbook RFC 5054).
//!
//! * Group: the RFC 3526 3072-bit prime N, g = 2, H = SHA-256, k = H(bytes(N) ‖ bytes(g)).
//! * `bytes()` is Java's `BigInteger.toByteArray()` ([`JavaBytes`]), so lengths vary.
//! * The secret `a` is 128 random bytes; `A = g^a mod N` ([`SrpEphemeral`]) can be computed before
//!   any network I/O.
//! * The answer to `PASSWORD_VERIFIER` is a `TIMESTAMP` and an HMAC over it ([`password_claim`]).
//! * Devices register a verifier with `ConfirmDevice` ([`DeviceVerifier`]) and later prove the device
//!   password with the same exchange.
//!
//! All arithmetic on secret values (a, x, g^x, a + u·x, S) is constant-time: the sequence of
//! operations and memory accesses depends only on public bit widths (1024 or 512 bits for a,
//! 256 for x, 1025 or 513 for a + u·x). Secrets are zeroized on drop. Public values (A, B, u,
//! the salt) use variable-time code where that is simpler. `bytes(S)` is computed without
//! branching on S; its length (one byte shorter when S < 2^3064) is hashed as the protocol
//! defines, and is the only thing that varies.
//!
//! # Speed
//!
//! * `g^e` (A = g^a, g^x) uses a fixed-base comb: the build script computes, for each 256-bit
//!   block of the exponent and each pattern of `TEETH` bits spread `256 / TEETH` apart, the
//!   power of g, so `g^e` costs `256 / TEETH` squarings and one multiplication per block and
//!   column, each table read a full constant-time scan. Table sizes (features, the smallest
//!   enabled wins; default by pointer width):
//!
//!   | feature            | default on     | teeth | entries | read-only data |
//!   |--------------------|----------------|-------|---------|----------------|
//!   | `srp-table-large`  | 64-bit targets | 6     | 4 × 64  | 96 KiB         |
//!   | `srp-table-medium` | —              | 5     | 4 × 32  | 48 KiB         |
//!   | `srp-table-small`  | 32-bit targets | 4     | 4 × 16  | 24 KiB         |
//!   | `srp-table-none`   | —              | —     | 0       | 0              |
//!
//!   Without a table, square-and-double (one squaring and a modular doubling per bit).
//! * `S` uses a fixed window of 5 bits on 64-bit targets (1025 squarings, 205 multiplications,
//!   32-entry scans) and of 3 bits on 32-bit ones, where the table (7 × 384 B: base^0 = 1 is
//!   selected with a mask, not stored) sits on a microcontroller's stack. It runs in place with
//!   one double-width scratch buffer, in the caller's buffer that held the base.
//! * Cortex-M4 (`examples/mcu-qemu`, opt-level `"s"`): A 21.5 M instructions, online step
//!   89.6 M, its peak stack 5 436 B (before: 55.3 M, 162.3 M, 34 328 B); with a 512-bit a,
//!   12.6 M and 49.2 M. With `srp-table-medium` (24 KiB more flash): A 18.8 M, online step
//!   88.4 M.
//! * Squarings and multiplications are our own: a schoolbook square (each cross product once) or
//!   product, then a Montgomery reduction that uses N ≡ −1 (mod 2^64) (each row's quotient is the
//!   limb itself). All three add two rows per pass with two carry chains, unrolled by four, so a
//!   limb product is one `UMAAL` on a Cortex-M4 and each limb of the double-width buffer is
//!   loaded and stored once per two rows. The square's cross products come in fixed-size
//!   pieces (small triangles, then rectangles between neighbouring blocks), so that every
//!   loop's length is known at compile time. Products are almost-Montgomery (any value below
//!   R = 2^3072 in and out, the final correction keyed on the reduction's carry bit); values
//!   are brought below N only where they leave the exponentiations.
//! * [`EphemeralBits::B512`] halves A and S (opt-in; the default stays 1024 bits).
//! * The squarings and multiplications are pluggable: a [`MontgomeryKernel`] (the contract:
//!   any value below R in and out, congruent to the Montgomery product; constant-time) given to
//!   [`SrpEphemeral::generate_using`] and the other `_using` constructors (or
//!   [`DeviceVerifier::from_random_using`]) computes A, g^x and S in its stead, e.g. an
//!   adapter's assembly for one core; this crate stays free of `unsafe`. The default is
//!   [`PortableKernel`], the code described above. On Cortex-M4/M7 and M33, cognito-embassy's
//!   `srp_umaal::UMAAL` (feature `srp-umaal`: four rows per pass, every operand in a register,
//!   7 instructions per 4 limb products) halves the Cortex-M4 figures above: A 12.0 M
//!   instructions, the online step 44.8 M (24.8 M with a 512-bit a), a square 26.6 thousand
//!   instead of 56.6. On a Cortex-M33 (`thumbv8m.main`, where the compiler uses no `UMAAL`) the
//!   portable online step takes 199.9 M.
//!
//! Instructions for one operation on x86-64 (valgrind, `scripts/bench.sh`), large table:
//!
//! | a         | A = g^a | claim (x, g^x, S, HKDF, HMAC) | A + claim |
//! |-----------|---------|-------------------------------|-----------|
//! | before    | 49.9 M  | 75.3 M                        | 125.2 M   |
//! | 1024 bits | 10.4 M  | 50.5 M                        | 60.9 M    |
//! | 512 bits  | —       | —                             | 33.8 M    |

mod arith;
mod claim;
mod device;
mod encoding;
mod ephemeral;
mod fixed_base;
pub(crate) mod group;
pub mod hazmat;
mod kernel;
mod window;

pub use claim::{PasswordClaim, ServerChallenge, SrpIdentity, password_claim};
pub use device::{
    DEVICE_PASSWORD_LEN, DEVICE_PASSWORD_RANDOM_LEN, DEVICE_SALT_RANDOM_LEN, DeviceVerifier,
};
pub use encoding::{HexDigits, JAVA_BYTES_CAPACITY, JavaBytes};
pub use ephemeral::{
    EPHEMERAL_SECRET_LEN, EphemeralBits, SHORT_EPHEMERAL_SECRET_LEN, SrpEphemeral,
};
pub use kernel::{MODULUS, MontgomeryKernel, N_LIMBS, PortableKernel, Word};
