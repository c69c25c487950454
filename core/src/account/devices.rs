//! Tracked devices: `GetDevice`, `ListDevices`, `ForgetDevice`. `UpdateDeviceStatus` is
//! [`crate::auth::write_update_device_status`].

use super::attribute::Attribute;
use super::body::{self, plain};
use super::list::{List, ListItem, object};
use super::validate;
use crate::auth::Request;
use crate::error::{Error, ProtocolError};
use crate::wire::{HttpResponse, JsonObject, JsonStr, JsonValue, Operation, read_response};

/// Longest device key (`DeviceKeyType`).
const MAX_DEVICE_KEY_CHARS: usize = 55;

/// Largest `Limit` of `ListDevices` (`QueryLimitType`).
pub const MAX_LIST_DEVICES_LIMIT: u8 = 60;

/// A tracked device (`DeviceType`). Dates are unix seconds with a fraction.
#[derive(Clone, Copy, Debug)]
pub struct Device<'r> {
    /// `DeviceKey`.
    pub device_key: &'r str,
    /// `DeviceAttributes` (`device_name`, `last_ip_used`, `device_status`, …).
    pub device_attributes: List<'r, Attribute<'r>>,
    /// `DeviceCreateDate`.
    pub create_date: Option<f64>,
    /// `DeviceLastModifiedDate`.
    pub last_modified_date: Option<f64>,
    /// `DeviceLastAuthenticatedDate`.
    pub last_authenticated_date: Option<f64>,
}

impl<'r> Device<'r> {
    fn from_object(obj: &JsonObject<'r>) -> Result<Self, ProtocolError> {
        Ok(Device {
            device_key: body::require_plain(obj, "DeviceKey")?,
            device_attributes: List::read(obj, "DeviceAttributes")?,
            create_date: obj.get_f64("DeviceCreateDate")?,
            last_modified_date: obj.get_f64("DeviceLastModifiedDate")?,
            last_authenticated_date: obj.get_f64("DeviceLastAuthenticatedDate")?,
        })
    }

    /// The `device_name` attribute (the name given at `ConfirmDevice`).
    #[must_use]
    pub fn device_name(&self) -> Option<JsonStr<'r>> {
        self.device_attributes.value_of("device_name")
    }
}

impl<'r> ListItem<'r> for Device<'r> {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        Self::from_object(&object(value, field)?)
    }
}

/// A `GetDevice` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct GetDevice<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `DeviceKey`.
    pub device_key: &'a str,
}

impl GetDevice<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an
    /// empty access token, or an empty or over-long device key.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        body::write(Operation::GetDevice, buf, |w| {
            w.field_str("DeviceKey", self.device_key);
            w.field_str("AccessToken", self.access_token);
        })
    }
}

/// The reply of `GetDevice`.
#[derive(Clone, Copy, Debug)]
pub struct GetDeviceReply<'r> {
    /// `Device`.
    pub device: Device<'r>,
}

impl<'r> GetDeviceReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(GetDeviceReply {
            device: Device::from_object(&obj.require_object("Device")?)?,
        })
    }
}

/// A `ListDevices` request (one page).
///
/// ```
/// use cognito_core::account::{ListDevices, ListDevicesReply};
/// use cognito_core::wire::HttpResponse;
/// let mut buf = [0u8; 128];
/// let request = ListDevices { access_token: "eyJ.a.b", limit: Some(10), pagination_token: None }
///     .write_request(&mut buf)?;
/// assert_eq!(request.body, br#"{"AccessToken":"eyJ.a.b","Limit":10}"#);
/// let reply = br#"{"Devices":[{"DeviceKey":"eu-west-1_0f1e","DeviceAttributes":[{"Name":"device_name","Value":"kiosk"}]}]}"#;
/// let page = ListDevicesReply::read(&HttpResponse::new(200, reply))?;
/// let device = page.devices.iter().next().unwrap();
/// assert!(device.device_name().unwrap().eq_str("kiosk"));
/// assert_eq!(page.pagination_token, None);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ListDevices<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `Limit`: at most [`MAX_LIST_DEVICES_LIMIT`].
    pub limit: Option<u8>,
    /// `PaginationToken` of the previous page.
    pub pagination_token: Option<&'a str>,
}

impl ListDevices<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token or pagination token, or a limit above 60.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::limit(self.limit, "limit (at most 60)", MAX_LIST_DEVICES_LIMIT)?;
        if let Some(token) = self.pagination_token {
            validate::required(token, "pagination_token")?;
        }
        body::write(Operation::ListDevices, buf, |w| {
            w.field_str("AccessToken", self.access_token);
            body::opt_u64(w, "Limit", self.limit);
            w.field_opt_str("PaginationToken", self.pagination_token);
        })
    }
}

/// The reply of `ListDevices`.
#[derive(Clone, Copy, Debug)]
pub struct ListDevicesReply<'r> {
    /// `Devices`.
    pub devices: List<'r, Device<'r>>,
    /// `PaginationToken`: pass it to get the next page; `None` on the last page.
    pub pagination_token: Option<&'r str>,
}

impl<'r> ListDevicesReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(ListDevicesReply {
            devices: List::read(&obj, "Devices")?,
            pagination_token: plain(&obj, "PaginationToken")?,
        })
    }
}

/// A `ForgetDevice` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct ForgetDevice<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `DeviceKey`.
    pub device_key: &'a str,
}

impl ForgetDevice<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an
    /// empty access token, or an empty or over-long device key.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        body::write(Operation::ForgetDevice, buf, |w| {
            w.field_str("AccessToken", self.access_token);
            w.field_str("DeviceKey", self.device_key);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}
