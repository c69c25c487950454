//! `ConfirmDevice`: registering the verifier of a device the server offered to track
//! (`NewDeviceMetadata`), and reading whether the user must opt in.

use crate::error::Error;
use crate::srp::DeviceVerifier;
use crate::wire::{HttpResponse, JsonWriter, Operation, encode_json, read_response};

use super::request::Request;

/// A `ConfirmDevice` request.
///
/// ```
/// use cognito_core::auth::ConfirmDevice;
/// use cognito_core::srp::DeviceVerifier;
/// let verifier = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
/// let confirm = ConfirmDevice {
///     access_token: "eyJ...",
///     device_key: "us-east-1_dev",
///     verifier: &verifier,
///     device_name: Some("thermostat-42"),
/// };
/// let mut buf = [0u8; 2048];
/// let request = confirm.write_request(&mut buf)?;
/// assert!(request.body.starts_with(b"{\"DeviceKey\":\"us-east-1_dev\""));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct ConfirmDevice<'a> {
    /// The access token of the sign-in that returned `NewDeviceMetadata`.
    pub access_token: &'a str,
    /// `NewDeviceMetadata.DeviceKey`.
    pub device_key: &'a str,
    /// The generated verifier (keep its device password).
    pub verifier: &'a DeviceVerifier,
    /// A name for the device, shown in `ListDevices`.
    pub device_name: Option<&'a str>,
}

impl ConfirmDevice<'_> {
    /// Writes the request body into `buf` (untouched when too small).
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        let len = encode_json(buf, |w| self.write(w))?;
        let body = buf.get(..len).unwrap_or(&[]);
        Ok(Request {
            operation: Operation::ConfirmDevice,
            body,
        })
    }

    fn write(&self, w: &mut JsonWriter<'_>) {
        w.begin_object();
        w.field_str("DeviceKey", self.device_key);
        w.field_str("AccessToken", self.access_token);
        w.begin_object_field("DeviceSecretVerifierConfig");
        w.field_str("Salt", self.verifier.salt_b64());
        w.field_str("PasswordVerifier", self.verifier.password_verifier_b64());
        w.end_object();
        w.field_opt_str("DeviceName", self.device_name);
        w.end_object();
    }

    /// Reads the reply: `UserConfirmationNecessary` (true when the pool lets the user choose
    /// whether to remember the device; then send `UpdateDeviceStatus`).
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<bool, Error> {
        let obj = read_response(response)?;
        Ok(obj.get_bool("UserConfirmationNecessary")?.unwrap_or(false))
    }
}
