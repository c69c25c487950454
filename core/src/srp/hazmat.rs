//! Intermediate SRP values, for test vectors and interoperability debugging.
//!
//! Sign-ins never need this module: [`super::password_claim`] does the whole computation. It exists
//! so that the values a reference client logged (x, k, u, S, the HKDF key) can be compared byte for
//! byte. The results include secrets (x, S, the key); treat them as such.

use super::claim::{ServerChallenge, SrpIdentity, derive};
use super::encoding::JavaBytes;
use super::ephemeral::SrpEphemeral;
use super::group::K_INT;
use crate::error::ProtocolError;

/// The intermediate values of one SRP computation, each as `bytes()` (Java `toByteArray` form).
#[derive(Debug)]
#[non_exhaustive]
pub struct Intermediates {
    /// The password hash x.
    pub x: JavaBytes,
    /// The multiplier k (a constant).
    pub k: JavaBytes,
    /// The scrambling parameter u.
    pub u: JavaBytes,
    /// The premaster secret S.
    pub s: JavaBytes,
    /// The 16-byte HKDF output that keys the signature.
    pub hkdf_key: [u8; 16],
}

/// Computes the intermediates exactly as [`super::password_claim`] does, with the same checks.
pub fn intermediates(
    ephemeral: &SrpEphemeral,
    identity: &SrpIdentity<'_>,
    challenge: &ServerChallenge<'_>,
) -> Result<Intermediates, ProtocolError> {
    let derived = derive(ephemeral, identity, challenge)?;
    Ok(Intermediates {
        x: JavaBytes::of(&*derived.x),
        k: JavaBytes::of(&K_INT),
        u: JavaBytes::of(&derived.u),
        s: JavaBytes::of(&*derived.premaster),
        hkdf_key: *derived.hkdf_key,
    })
}
