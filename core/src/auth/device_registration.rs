//! Taking up a server's offer to track the device: from `NewDeviceMetadata` to a remembered device
//! (verifier, `ConfirmDevice`, `UpdateDeviceStatus`), and the one value the caller persists.

use core::fmt;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::confirm_device::ConfirmDevice;
use super::device::RememberedDevice;
use super::request::Request;
use super::result::NewDeviceMetadata;
use crate::error::{Error, Misuse};
use crate::srp::{DEVICE_PASSWORD_LEN, DeviceVerifier};
use crate::wire::{HttpResponse, Operation, encode_json, read_response};

/// Longest device key or device group key kept (Cognito's are about 46 and 10 characters; the API
/// model allows 55 for keys).
pub const MAX_DEVICE_KEY_LEN: usize = 64;

/// Everything a device must persist to sign in as a remembered device later: the device key,
/// the group key and the device password (a secret, zeroized on drop; store it like a refresh
/// token).
///
/// ```
/// use cognito_core::auth::{DeviceCredentials, NewDeviceMetadata};
/// # let mut rng = rand_core::OsRng;
/// let offer = NewDeviceMetadata { device_key: "us-east-1_827b3399", device_group_key: "-Yg7fPq2Xz" };
/// let (device, verifier) = DeviceCredentials::generate(&offer, &mut rng)?;
/// // send ConfirmDevice with `verifier`, then persist device.device_key(), device.device_group_key(),
/// // device.device_password(); restore later with DeviceCredentials::new(..).
/// let restored = DeviceCredentials::new(device.device_key(), device.device_group_key(), device.device_password())?;
/// assert_eq!(restored.as_remembered().device_key, "us-east-1_827b3399");
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct DeviceCredentials {
    device_key: heapless::String<MAX_DEVICE_KEY_LEN>,
    device_group_key: heapless::String<MAX_DEVICE_KEY_LEN>,
    device_password: Zeroizing<heapless::String<DEVICE_PASSWORD_LEN>>,
}

impl DeviceCredentials {
    /// Generates the device password, salt and verifier for the offered device. Returns the
    /// credentials to persist and the verifier to send with [`ConfirmDevice`].
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(
        offer: &NewDeviceMetadata<'_>,
        rng: &mut R,
    ) -> Result<(Self, DeviceVerifier), Error> {
        let verifier = DeviceVerifier::generate(offer.device_group_key, offer.device_key, rng);
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

    /// The borrowed form a [`super::SignIn`] takes.
    pub fn as_remembered(&self) -> RememberedDevice<'_> {
        RememberedDevice {
            device_key: &self.device_key,
            device_group_key: &self.device_group_key,
            device_password: &self.device_password,
        }
    }

    /// `ConfirmDevice` for this device with `verifier`, written into `buf`.
    pub fn write_confirm_device<'b>(
        &self,
        access_token: &str,
        verifier: &DeviceVerifier,
        device_name: Option<&str>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        let confirm = ConfirmDevice {
            access_token,
            device_key: &self.device_key,
            verifier,
            device_name,
        };
        confirm.write_request(buf)
    }

    /// `UpdateDeviceStatus` for this device: `remembered` or `not_remembered` (when
    /// `ConfirmDevice` said `UserConfirmationNecessary`, the user chooses).
    pub fn write_update_device_status<'b>(
        &self,
        access_token: &str,
        remembered: bool,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        write_update_device_status(access_token, &self.device_key, remembered, buf)
    }
}

/// Writes `UpdateDeviceStatus {AccessToken, DeviceKey, DeviceRememberedStatus}` into `buf`.
pub fn write_update_device_status<'b>(
    access_token: &str,
    device_key: &str,
    remembered: bool,
    buf: &'b mut [u8],
) -> Result<Request<'b>, Error> {
    let status = if remembered {
        "remembered"
    } else {
        "not_remembered"
    };
    let len = encode_json(buf, |w| {
        w.begin_object();
        w.field_str("AccessToken", access_token);
        w.field_str("DeviceKey", device_key);
        w.field_str("DeviceRememberedStatus", status);
        w.end_object();
    })?;
    Ok(Request {
        operation: Operation::UpdateDeviceStatus,
        body: buf.get(..len).unwrap_or(&[]),
    })
}

/// Reads the reply of `UpdateDeviceStatus` (an empty object on success).
pub fn read_update_device_status(response: &HttpResponse<'_>) -> Result<(), Error> {
    read_response(response).map(|_| ())
}

fn copy<const N: usize>(s: &str, field: &'static str) -> Result<heapless::String<N>, Misuse> {
    heapless::String::try_from(s).map_err(|_| Misuse::TooLong { field, max: N })
}

impl fmt::Debug for DeviceCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCredentials")
            .field("device_key", &self.device_key.as_str())
            .field("device_group_key", &self.device_group_key.as_str())
            .finish_non_exhaustive()
    }
}
