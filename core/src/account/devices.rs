//! Tracked devices: `ConfirmDevice`, `GetDevice`, `ListDevices`, `ForgetDevice`,
//! `UpdateDeviceStatus`.

use super::attribute::Attribute;
use super::body::{self, plain};
use super::list::{List, ListItem, object};
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse, ProtocolError};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::srp::DeviceVerifier;
use crate::wire::{
    HttpResponse, JsonObject, JsonStr, JsonValue, JsonWriter, Operation, Resend, read_response,
};

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
#[derive(Clone, Copy, Default)]
pub struct GetDevice<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `DeviceKey`.
    pub device_key: &'a str,
}

impl Call for GetDevice<'_> {
    const OPERATION: Operation = Operation::GetDevice;
    const RESEND: Resend = Resend::AfterAnyFailure;
    type Reply<'r> = GetDeviceReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("DeviceKey", self.device_key);
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetDeviceReply<'r>, Error> {
        GetDeviceReply::read(response)
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
/// use cognito_core::Call;
/// use cognito_core::account::{ListDevices, ListDevicesReply};
/// use cognito_core::wire::HttpResponse;
/// let config = cognito_core::auth::ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let request = ListDevices { access_token: "eyJ.a.b", limit: Some(10), pagination_token: None }
///     .write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"AccessToken":"eyJ.a.b","Limit":10}"#);
/// let reply = br#"{"Devices":[{"DeviceKey":"eu-west-1_0f1e","DeviceAttributes":[{"Name":"device_name","Value":"kiosk"}]}]}"#;
/// let page = ListDevicesReply::read(&HttpResponse::new(200, reply))?;
/// let device = page.devices.iter().next().unwrap();
/// assert!(device.device_name().unwrap().eq_str("kiosk"));
/// assert_eq!(page.pagination_token, None);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct ListDevices<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `Limit`: at most [`MAX_LIST_DEVICES_LIMIT`].
    pub limit: Option<u8>,
    /// `PaginationToken` of the previous page.
    pub pagination_token: Option<&'a str>,
}

impl Call for ListDevices<'_> {
    const OPERATION: Operation = Operation::ListDevices;
    const RESEND: Resend = Resend::AfterAnyFailure;
    type Reply<'r> = ListDevicesReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::limit(self.limit, "limit (at most 60)", MAX_LIST_DEVICES_LIMIT)?;
        if let Some(token) = self.pagination_token {
            validate::required(token, "pagination_token")?;
        }
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        body::opt_u64(w, "Limit", self.limit);
        w.field_opt_str("PaginationToken", self.pagination_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<ListDevicesReply<'r>, Error> {
        ListDevicesReply::read(response)
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
#[derive(Clone, Copy, Default)]
pub struct ForgetDevice<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `DeviceKey`.
    pub device_key: &'a str,
}

impl Call for ForgetDevice<'_> {
    const OPERATION: Operation = Operation::ForgetDevice;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_str("DeviceKey", self.device_key);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// Longest device name (`DeviceNameType`, in characters).
const MAX_DEVICE_NAME_CHARS: usize = 1024;

/// A `ConfirmDevice` request: registers the verifier of a device a sign-in offered to track
/// (`NewDeviceMetadata`). [`crate::auth::DeviceRegistration`] runs it, and `UpdateDeviceStatus`
/// when the user chooses.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::ConfirmDevice;
/// use cognito_core::auth::ClientConfig;
/// use cognito_core::srp::DeviceVerifier;
/// let config = ClientConfig::new("us-east-1_Pool", "client")?;
/// let verifier = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
/// let confirm = ConfirmDevice {
///     access_token: "eyJ...",
///     device_key: "us-east-1_dev",
///     verifier: &verifier,
///     device_name: Some("thermostat-42"),
/// };
/// let mut buf = [0u8; 2048];
/// let request = confirm.write_request(&config, &mut buf)?;
/// assert!(request.body.starts_with(b"{\"DeviceKey\":\"us-east-1_dev\""));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy)]
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

/// The reply of `ConfirmDevice`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConfirmDeviceReply {
    /// `UserConfirmationNecessary`: the pool lets the user choose whether to remember the
    /// device; send `UpdateDeviceStatus` with the choice.
    pub user_confirmation_necessary: bool,
}

impl Call for ConfirmDevice<'_> {
    const OPERATION: Operation = Operation::ConfirmDevice;
    type Reply<'r> = ConfirmDeviceReply;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        if let Some(name) = self.device_name {
            validate::bounded(name, "device_name", MAX_DEVICE_NAME_CHARS)?;
        }
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("DeviceKey", self.device_key);
        w.field_str("AccessToken", self.access_token);
        w.begin_object_field("DeviceSecretVerifierConfig");
        w.field_str("Salt", self.verifier.salt_b64());
        w.field_str("PasswordVerifier", self.verifier.password_verifier_b64());
        w.end_object();
        w.field_opt_str("DeviceName", self.device_name);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<ConfirmDeviceReply, Error> {
        let obj = read_response(response)?;
        Ok(ConfirmDeviceReply {
            user_confirmation_necessary: obj
                .get_bool("UserConfirmationNecessary")?
                .unwrap_or(false),
        })
    }
}

/// An `UpdateDeviceStatus` request: marks a tracked device `remembered` or `not_remembered`.
#[derive(Clone, Copy, Default)]
pub struct UpdateDeviceStatus<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `DeviceKey`.
    pub device_key: &'a str,
    /// `DeviceRememberedStatus`: `remembered` when true, `not_remembered` otherwise.
    pub remembered: bool,
}

impl Call for UpdateDeviceStatus<'_> {
    const OPERATION: Operation = Operation::UpdateDeviceStatus;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::bounded(self.device_key, "device_key", MAX_DEVICE_KEY_CHARS)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_str("DeviceKey", self.device_key);
        let status = if self.remembered {
            "remembered"
        } else {
            "not_remembered"
        };
        w.field_str("DeviceRememberedStatus", status);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

debug_fields!(GetDevice {
    access_token: hide,
    device_key: show,
});

debug_fields!(ListDevices {
    access_token: hide,
    limit: show,
    pagination_token: show,
});

debug_fields!(ForgetDevice {
    access_token: hide,
    device_key: show,
});

debug_fields!(ConfirmDevice {
    access_token: hide,
    device_key: show,
    verifier: show,
    device_name: show,
});

debug_fields!(UpdateDeviceStatus {
    access_token: hide,
    device_key: show,
    remembered: show,
});
