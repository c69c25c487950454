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
//! All arithmetic on secret values (a, x, g^x, a + u·x, S) uses crypto-bigint's constant-time
//! Montgomery exponentiation over the exponent's full width (1024 bits for a, 256 for x, 1025 for
//! a + u·x); only the public bit widths are visible in timing. Secrets are zeroized on drop.
//! Public values (A, B, u, the salt) use variable-time code where that is simpler. The length of
//! `bytes(S)` (one byte shorter when S < 2^3064, as the protocol defines it) is hashed as it is.

mod arith;
mod claim;
mod device;
mod encoding;
mod ephemeral;
mod fixed_base;
pub(crate) mod group;
pub mod hazmat;
mod window;

pub use claim::{PasswordClaim, ServerChallenge, SrpIdentity, password_claim};
pub use device::{
    DEVICE_PASSWORD_LEN, DEVICE_PASSWORD_RANDOM_LEN, DEVICE_SALT_RANDOM_LEN, DeviceVerifier,
};
pub use encoding::{HexDigits, JAVA_BYTES_CAPACITY, JavaBytes};
pub use ephemeral::{EPHEMERAL_SECRET_LEN, SrpEphemeral};
