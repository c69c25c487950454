//! Device verifiers for `ConfirmDevice`: a random device password, a random salt, and
//! `verifier = bytes(g^x mod N)` with `x = H(bytes(salt) ‖ H(DeviceGroupKey ‖ DeviceKey ‖ ":" ‖ password))`.

use core::fmt;

use base64ct::{Base64, Encoding};
use crypto_bigint::U128;
use rand_core::{CryptoRng, RngCore};
use zeroize::{Zeroize, Zeroizing};

use super::claim::{SrpIdentity, compute_x};
use super::encoding::JavaBytes;
use super::fixed_base::pow_g;
use super::kernel::{MontgomeryKernel, PortableKernel};
use crate::redact::hide;

/// Random bytes in a device password (base64-encoded to 56 characters).
pub const DEVICE_PASSWORD_RANDOM_LEN: usize = 40;
/// Random bytes in a device salt.
pub const DEVICE_SALT_RANDOM_LEN: usize = 16;
/// Length of the base64 device password.
pub const DEVICE_PASSWORD_LEN: usize = 56;

/// A freshly generated device secret and the verifier Cognito stores for it.
///
/// Persist [`Self::device_password`] (a secret: it is zeroized on drop) with the device key and
/// group key; send [`Self::salt_b64`] and [`Self::password_verifier_b64`] in `ConfirmDevice`'s
/// `DeviceSecretVerifierConfig`. The verifier (`g^x`) is zeroized on drop too, and neither is
/// shown by `Debug`.
pub struct DeviceVerifier {
    password: Zeroizing<heapless::String<DEVICE_PASSWORD_LEN>>,
    salt_b64: heapless::String<24>,
    verifier_b64: heapless::String<516>,
}

impl DeviceVerifier {
    /// Draws the device password and salt from `rng` and computes the verifier.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(
        device_group_key: &str,
        device_key: &str,
        rng: &mut R,
    ) -> Self {
        Self::generate_using(device_group_key, device_key, rng, &PortableKernel)
    }

    /// [`Self::generate`], computing `g^x` with `kernel`.
    pub fn generate_using<R: RngCore + CryptoRng + ?Sized>(
        device_group_key: &str,
        device_key: &str,
        rng: &mut R,
        kernel: &dyn MontgomeryKernel,
    ) -> Self {
        let mut password = Zeroizing::new([0u8; DEVICE_PASSWORD_RANDOM_LEN]);
        let mut salt = [0u8; DEVICE_SALT_RANDOM_LEN];
        rng.fill_bytes(password.as_mut());
        rng.fill_bytes(&mut salt);
        Self::from_random_using(device_group_key, device_key, &password, &salt, kernel)
    }

    /// Computes the verifier from given random bytes (deterministic; for tests and custom RNGs).
    pub fn from_random(
        device_group_key: &str,
        device_key: &str,
        password_random: &[u8; DEVICE_PASSWORD_RANDOM_LEN],
        salt_random: &[u8; DEVICE_SALT_RANDOM_LEN],
    ) -> Self {
        Self::from_random_using(
            device_group_key,
            device_key,
            password_random,
            salt_random,
            &PortableKernel,
        )
    }

    /// [`Self::from_random`], computing `g^x` with `kernel`.
    pub fn from_random_using(
        device_group_key: &str,
        device_key: &str,
        password_random: &[u8; DEVICE_PASSWORD_RANDOM_LEN],
        salt_random: &[u8; DEVICE_SALT_RANDOM_LEN],
        kernel: &dyn MontgomeryKernel,
    ) -> Self {
        let mut password_buf = [0u8; DEVICE_PASSWORD_LEN];
        let password_text = Base64::encode(password_random, &mut password_buf).unwrap_or("");
        let password =
            Zeroizing::new(heapless::String::try_from(password_text).unwrap_or_default());
        password_buf.zeroize();

        let salt = JavaBytes::of(&U128::from_be_slice(salt_random));
        let identity = SrpIdentity {
            realm: device_group_key,
            user_id: device_key,
            password: password.as_str(),
        };
        let x = compute_x(&salt, &identity);
        let mut verifier = Zeroizing::new(pow_g(&*x, 256, kernel).retrieve());
        let verifier_bytes = JavaBytes::of(&*verifier);
        verifier.zeroize();

        Self {
            password,
            salt_b64: encode(salt.as_slice()),
            verifier_b64: encode(verifier_bytes.as_slice()),
        }
    }

    /// The device password (base64 of 40 random bytes). Secret: store it like a refresh token.
    pub fn device_password(&self) -> &str {
        &self.password
    }

    /// `Salt`: base64 of `bytes(salt)`.
    pub fn salt_b64(&self) -> &str {
        &self.salt_b64
    }

    /// `PasswordVerifier`: base64 of `bytes(g^x mod N)`.
    pub fn password_verifier_b64(&self) -> &str {
        &self.verifier_b64
    }
}

fn encode<const N: usize>(bytes: &[u8]) -> heapless::String<N> {
    let mut buf = [0u8; N];
    let text = Base64::encode(bytes, &mut buf).unwrap_or("");
    let encoded = heapless::String::try_from(text).unwrap_or_default();
    // It may be the verifier.
    buf.zeroize();
    encoded
}

impl Drop for DeviceVerifier {
    fn drop(&mut self) {
        // The password is a `Zeroizing` of its own.
        self.verifier_b64.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for DeviceVerifier {}

impl fmt::Debug for DeviceVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceVerifier")
            .field("salt_b64", &self.salt_b64.as_str())
            .field("password_verifier_b64", &hide(self.password_verifier_b64()))
            .finish_non_exhaustive()
    }
}
