//! Intermediate SRP values, for test vectors and interoperability debugging, and an ephemeral
//! put together from parts, for test harnesses.
//!
//! Sign-ins never need this module: [`super::password_claim`] does the whole computation. It exists
//! so that the values a reference client logged (x, k, u, S, the HKDF key) can be compared byte for
//! byte. The results include secrets (x, S, the key); treat them as such.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::claim::{ServerChallenge, SrpIdentity, derive};
use super::encoding::JavaBytes;
use super::ephemeral::{EPHEMERAL_SECRET_LEN, SrpEphemeral};
use super::group::K_INT;
use crate::error::{Misuse, ProtocolError};
use crate::redact::Hidden;

/// An ephemeral from `a` (128 big-endian bytes, as [`SrpEphemeral::from_secret_bytes`] takes
/// them) and `bytes(A)` computed before (big-endian, leading zeros allowed), without computing
/// `A` again.
///
/// For harnesses that must hold `a` and `A` apart: secret tracking (valgrind memcheck) marks
/// `a` secret and `A` public, which one `SrpEphemeral` computed in place cannot show. The caller
/// vouches that `public` is `g^a mod N`: a wrong `A` is not detected here (the sign-in then
/// fails at the pool). Rejects `a = 0` and `A` outside `[1, N)` with
/// [`Misuse::DegenerateEphemeral`].
///
/// ```
/// use cognito_core::srp::{SrpEphemeral, hazmat};
/// let computed = SrpEphemeral::from_secret_bytes(&[7; 128])?;
/// let public = computed.public_bytes();
/// let parts = hazmat::ephemeral_with_public(&[7; 128], public.as_slice())?;
/// assert_eq!(parts.public_bytes(), public);
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
pub fn ephemeral_with_public(
    secret: &[u8; EPHEMERAL_SECRET_LEN],
    public: &[u8],
) -> Result<SrpEphemeral, Misuse> {
    SrpEphemeral::with_public(secret, public)
}

/// The intermediate values of one SRP computation, each as `bytes()` (Java `toByteArray` form).
///
/// The secrets (x, S, the HKDF key) are zeroized on drop (so are k and u, harmlessly), and
/// `Debug` shows only the public k and u. Read the fields by reference: a type that zeroizes
/// on drop cannot be taken apart.
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

impl Zeroize for Intermediates {
    fn zeroize(&mut self) {
        let Intermediates {
            x,
            k,
            u,
            s,
            hkdf_key,
        } = self;
        x.zeroize();
        k.zeroize();
        u.zeroize();
        s.zeroize();
        hkdf_key.zeroize();
    }
}

impl Drop for Intermediates {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl ZeroizeOnDrop for Intermediates {}

impl fmt::Debug for Intermediates {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Intermediates {
            x: _,
            k,
            u,
            s: _,
            hkdf_key: _,
        } = self;
        f.debug_struct("Intermediates")
            .field("x", &Hidden::Secret)
            .field("k", &format_args!("{}", k.pad_hex()))
            .field("u", &format_args!("{}", u.pad_hex()))
            .field("s", &Hidden::Secret)
            .field("hkdf_key", &Hidden::Secret)
            .finish()
    }
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
