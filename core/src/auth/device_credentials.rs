//! The one value a device persists to sign in as a remembered device later.

use core::fmt;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::result::NewDeviceMetadata;
use crate::capacity::{MAX_DEVICE_KEY_LEN, copy};
use crate::error::{Error, Misuse};
use crate::redact::hide;
use crate::srp::{DEVICE_PASSWORD_LEN, DeviceVerifier, MontgomeryKernel, PortableKernel};

/// Everything a device must persist to sign in as a remembered device later: the device key,
/// the group key and the device password (a secret, zeroized on drop; store it like a refresh
/// token). [`super::DeviceRegistration`] makes one; [`super::SignIn::with_device`] uses it.
///
/// ```
/// use cognito_core::auth::{DeviceCredentials, NewDeviceMetadata};
/// # let mut rng = rand_core::OsRng;
/// let offer = NewDeviceMetadata { device_key: "us-east-1_827b3399", device_group_key: "-Yg7fPq2Xz" };
/// let (device, verifier) = DeviceCredentials::generate(&offer, &mut rng)?;
/// // send ConfirmDevice with `verifier`, then persist device.device_key(), device.device_group_key(),
/// // device.device_password(); restore later with DeviceCredentials::new(..).
/// let restored = DeviceCredentials::new(device.device_key(), device.device_group_key(), device.device_password())?;
/// assert_eq!(restored.device_key(), "us-east-1_827b3399");
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone)]
pub struct DeviceCredentials {
    device_key: heapless::String<MAX_DEVICE_KEY_LEN>,
    device_group_key: heapless::String<MAX_DEVICE_KEY_LEN>,
    device_password: Zeroizing<heapless::String<DEVICE_PASSWORD_LEN>>,
}

impl DeviceCredentials {
    /// Generates the device password, salt and verifier for the offered device. Returns the
    /// credentials to persist and the verifier to send with `ConfirmDevice`.
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(
        offer: &NewDeviceMetadata<'_>,
        rng: &mut R,
    ) -> Result<(Self, DeviceVerifier), Error> {
        Self::generate_using(offer, rng, &PortableKernel)
    }

    /// [`Self::generate`], computing the verifier (`g^x`) with `kernel`
    /// ([`DeviceVerifier::generate_using`]).
    pub fn generate_using<R: RngCore + CryptoRng + ?Sized>(
        offer: &NewDeviceMetadata<'_>,
        rng: &mut R,
        kernel: &dyn MontgomeryKernel,
    ) -> Result<(Self, DeviceVerifier), Error> {
        let verifier =
            DeviceVerifier::generate_using(offer.device_group_key, offer.device_key, rng, kernel);
        let credentials = Self::new(
            offer.device_key,
            offer.device_group_key,
            verifier.device_password(),
        )?;
        Ok((credentials, verifier))
    }

    /// Restores persisted credentials.
    pub fn new(
        device_key: &str,
        device_group_key: &str,
        device_password: &str,
    ) -> Result<Self, Misuse> {
        for (value, field) in [
            (device_key, "device_key"),
            (device_group_key, "device_group_key"),
            (device_password, "device_password"),
        ] {
            if value.is_empty() {
                return Err(Misuse::Empty(field));
            }
        }
        Ok(Self {
            device_key: copy(device_key, "device_key")?,
            device_group_key: copy(device_group_key, "device_group_key")?,
            device_password: Zeroizing::new(copy(device_password, "device_password")?),
        })
    }

    /// `DeviceKey`.
    pub fn device_key(&self) -> &str {
        &self.device_key
    }

    /// `DeviceGroupKey`.
    pub fn device_group_key(&self) -> &str {
        &self.device_group_key
    }

    /// The device password (secret).
    pub fn device_password(&self) -> &str {
        &self.device_password
    }
}

impl fmt::Debug for DeviceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCredentials")
            .field("device_key", &self.device_key.as_str())
            .field("device_group_key", &self.device_group_key.as_str())
            .field("device_password", &hide(self.device_password()))
            .finish()
    }
}
