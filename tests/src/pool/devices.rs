//! Device tracking: devices registered at sign-in (`NewDeviceMetadata`), `ConfirmDevice`,
//! `UpdateDeviceStatus`, `ForgetDevice`, `GetDevice` and `ListDevices`.
//!
//! - `GetDevice {AccessToken, DeviceKey}` → `{Device}` and `ListDevices {AccessToken, Limit,
//!   PaginationToken}` → `{Devices, PaginationToken}` show only the user's *confirmed* devices
//!   (a pending one, never confirmed, is not a device yet: ResourceNotFoundException "Device does
//!   not exist."). A device is `{DeviceKey, DeviceAttributes, DeviceCreateDate,
//!   DeviceLastModifiedDate, DeviceLastAuthenticatedDate}`; dates are epoch-seconds numbers as in
//!   Cognito's JSON; attributes are `device_status` = `valid`, `device_name` (when ConfirmDevice
//!   gave one) and `dev:device_remembered_status` (`remembered` / `not_remembered`, once decided).
//! - Created = the sign-in that returned `NewDeviceMetadata` (also its first authentication);
//!   modified = ConfirmDevice / UpdateDeviceStatus; authenticated = each sign-in that issued
//!   tokens with the device proven.
//! - `ListDevices` orders devices by key. `Limit` is 1–60 (default 60; other values
//!   InvalidParameterException); `PaginationToken`, present only when more devices follow, is an
//!   opaque string (base64url of the last key returned) that continues after that key even if it
//!   was forgotten meanwhile; one that does not decode → InvalidParameterException.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;

use alloc::vec::Vec;

use base64ct::{Base64, Base64UrlUnpadded, Encoding};
use num_bigint::BigUint;
use num_traits::Zero;
use serde_json::{Value, json};

use super::UserPool;
use super::clients::DeviceTracking;
use super::wire::{Object, Outcome, ServiceError, opt_object, opt_str, opt_u64, req_str};
use crate::srp;

/// A device as tests can inspect it through [`UserPool::device_info`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// `DeviceKey`, `<region>_<uuid>`.
    pub device_key: String,
    /// The owning user's `DeviceGroupKey`.
    pub device_group_key: String,
    /// The owning user's sub.
    pub sub: String,
    /// Whether `ConfirmDevice` stored a verifier for it.
    pub confirmed: bool,
    /// The remembered status: `None` until decided (by `Always` tracking or `UpdateDeviceStatus`).
    pub remembered: Option<bool>,
    /// The `DeviceName` sent with `ConfirmDevice`.
    pub name: Option<String>,
}

/// The device's SRP credentials, stored by `ConfirmDevice`.
#[derive(Debug, Clone)]
pub(crate) struct DeviceSecret {
    pub(crate) salt: BigUint,
    pub(crate) verifier: BigUint,
}

/// One device.
#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) key: String,
    pub(crate) group_key: String,
    pub(crate) sub: String,
    /// `None` while pending (returned as `NewDeviceMetadata`, not yet confirmed).
    pub(crate) secret: Option<DeviceSecret>,
    pub(crate) remembered: Option<bool>,
    pub(crate) name: Option<String>,
    /// `DeviceCreateDate` (unix seconds).
    pub(crate) created: u64,
    /// `DeviceLastModifiedDate`.
    pub(crate) last_modified: u64,
    /// `DeviceLastAuthenticatedDate`.
    pub(crate) last_authenticated: u64,
}

/// The largest (and default) `Limit` of `ListDevices`.
const MAX_DEVICES_PER_PAGE: u64 = 60;

/// All devices by key.
pub(crate) type Devices = BTreeMap<String, Device>;

impl UserPool {
    /// Registers a pending device for `sub` and returns `(DeviceKey, DeviceGroupKey)`.
    pub(super) fn register_device(&mut self, sub: &str) -> (String, String) {
        let key = format!("{}_{}", self.region, self.rng.uuid());
        let fresh_group_key = format!("-{}", self.rng.alphanumeric(9));
        let group_key = match self.users.by_sub_mut(sub) {
            Some(user) => user.device_group_key.get_or_insert(fresh_group_key).clone(),
            None => fresh_group_key,
        };
        self.devices.insert(
            key.clone(),
            Device {
                key: key.clone(),
                group_key: group_key.clone(),
                sub: sub.to_owned(),
                secret: None,
                remembered: None,
                name: None,
                created: self.now,
                last_modified: self.now,
                last_authenticated: self.now,
            },
        );
        (key, group_key)
    }

    /// The confirmed device `key` of `sub`, or ResourceNotFoundException.
    pub(super) fn confirmed_device(&self, sub: &str, key: &str) -> Result<&Device, ServiceError> {
        self.devices
            .get(key)
            .filter(|device| device.sub == sub && device.secret.is_some())
            .ok_or_else(ServiceError::device_not_found)
    }

    /// `ConfirmDevice {AccessToken, DeviceKey, DeviceSecretVerifierConfig, DeviceName}`.
    pub(super) fn confirm_device(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let key = req_str(request, "DeviceKey")?;
        let name = opt_str(request, "DeviceName")?.map(ToOwned::to_owned);
        let config = opt_object(request, "DeviceSecretVerifierConfig")?.ok_or_else(|| {
            ServiceError::invalid_parameter("DeviceSecretVerifierConfig is required.")
        })?;
        let salt = java_positive(opt_str(config, "Salt")?, "Salt")?;
        let verifier = java_positive(opt_str(config, "PasswordVerifier")?, "PasswordVerifier")?;
        if verifier.is_zero() || &verifier >= srp::n() {
            return Err(ServiceError::invalid_parameter(
                "PasswordVerifier is not in the SRP group.",
            ));
        }
        let tracking = self
            .clients
            .get(&claims.client_id)
            .map_or(DeviceTracking::Off, |client| client.options.device_tracking);
        let device = self
            .devices
            .get_mut(key)
            .filter(|device| device.sub == claims.sub)
            .ok_or_else(ServiceError::device_not_found)?;
        device.secret = Some(DeviceSecret { salt, verifier });
        device.name = name;
        device.last_modified = self.now;
        let confirmation_necessary = tracking == DeviceTracking::UserOptIn;
        if !confirmation_necessary {
            device.remembered = Some(true);
        }
        Ok(json!({ "UserConfirmationNecessary": confirmation_necessary }))
    }

    /// `UpdateDeviceStatus {AccessToken, DeviceKey, DeviceRememberedStatus}`.
    pub(super) fn update_device_status(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let key = req_str(request, "DeviceKey")?;
        let remembered = match opt_str(request, "DeviceRememberedStatus")? {
            Some("remembered") => true,
            Some("not_remembered") => false,
            other => {
                return Err(ServiceError::invalid_parameter(format!(
                    "1 validation error detected: Value '{}' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]",
                    other.unwrap_or("null")
                )));
            }
        };
        let device = self
            .devices
            .get_mut(key)
            .filter(|device| device.sub == claims.sub && device.secret.is_some())
            .ok_or_else(ServiceError::device_not_found)?;
        device.remembered = Some(remembered);
        device.last_modified = self.now;
        Ok(json!({}))
    }

    /// `ForgetDevice {AccessToken, DeviceKey}`.
    pub(super) fn forget_device(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let key = req_str(request, "DeviceKey")?;
        if self
            .devices
            .get(key)
            .is_none_or(|device| device.sub != claims.sub)
        {
            return Err(ServiceError::device_not_found());
        }
        self.devices.remove(key);
        Ok(json!({}))
    }
}

impl UserPool {
    /// `GetDevice {AccessToken, DeviceKey}` → `{Device}`.
    pub(super) fn get_device(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let key = req_str(request, "DeviceKey")?;
        let device = self.confirmed_device(&claims.sub, key)?;
        Ok(json!({ "Device": device.to_json() }))
    }

    /// `ListDevices {AccessToken, Limit, PaginationToken}` → `{Devices, PaginationToken}`.
    pub(super) fn list_devices(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let limit = opt_u64(request, "Limit")?.unwrap_or(MAX_DEVICES_PER_PAGE);
        if !(1..=MAX_DEVICES_PER_PAGE).contains(&limit) {
            return Err(ServiceError::invalid_parameter(format!(
                "1 validation error detected: Value '{limit}' at 'limit' failed to satisfy constraint: Member must have value between 1 and {MAX_DEVICES_PER_PAGE}"
            )));
        }
        let after = match opt_str(request, "PaginationToken")? {
            Some(token) => Some(
                Base64UrlUnpadded::decode_vec(token)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or_else(|| ServiceError::invalid_parameter("Invalid pagination token."))?,
            ),
            None => None,
        };
        let mut mine = self.devices.values().filter(|device| {
            device.sub == claims.sub
                && device.secret.is_some()
                && after.as_ref().is_none_or(|after| device.key > *after)
        });
        let page: Vec<&Device> = mine.by_ref().take(limit_usize(limit)).collect();
        let more = mine.next().is_some();
        let devices: Vec<Value> = page.iter().map(|device| device.to_json()).collect();
        let mut reply = json!({ "Devices": devices });
        if let (true, Some(last), Some(map)) = (more, page.last(), reply.as_object_mut()) {
            map.insert(
                "PaginationToken".to_owned(),
                Value::String(Base64UrlUnpadded::encode_string(last.key.as_bytes())),
            );
        }
        Ok(reply)
    }
}

fn limit_usize(limit: u64) -> usize {
    usize::try_from(limit).unwrap_or(usize::MAX)
}

impl Device {
    /// The `DeviceType` JSON of `GetDevice` / `ListDevices`.
    fn to_json(&self) -> Value {
        let mut attributes = alloc::vec![json!({ "Name": "device_status", "Value": "valid" })];
        if let Some(name) = &self.name {
            attributes.push(json!({ "Name": "device_name", "Value": name }));
        }
        if let Some(remembered) = self.remembered {
            let status = if remembered {
                "remembered"
            } else {
                "not_remembered"
            };
            attributes.push(json!({ "Name": "dev:device_remembered_status", "Value": status }));
        }
        json!({
            "DeviceKey": self.key,
            "DeviceAttributes": attributes,
            "DeviceCreateDate": self.created,
            "DeviceLastModifiedDate": self.last_modified,
            "DeviceLastAuthenticatedDate": self.last_authenticated,
        })
    }

    pub(crate) fn info(&self) -> DeviceInfo {
        DeviceInfo {
            device_key: self.key.clone(),
            device_group_key: self.group_key.clone(),
            sub: self.sub.clone(),
            confirmed: self.secret.is_some(),
            remembered: self.remembered,
            name: self.name.clone(),
        }
    }
}

/// Decodes base64 Java `BigInteger` bytes that must denote a positive number. A first byte with
/// the top bit set is negative in Java, the classic bug of sending raw bytes instead of `bytes()`.
fn java_positive(value: Option<&str>, what: &str) -> Result<BigUint, ServiceError> {
    let value =
        value.ok_or_else(|| ServiceError::invalid_parameter(format!("{what} is required.")))?;
    let bytes = Base64::decode_vec(value)
        .map_err(|_| ServiceError::invalid_parameter(format!("{what} is not valid base64.")))?;
    match bytes.first() {
        None => Err(ServiceError::invalid_parameter(format!("{what} is empty."))),
        Some(first) if first & 0x80 != 0 => Err(ServiceError::invalid_parameter(format!(
            "{what} is a negative number (Java BigInteger bytes need a leading 00 byte when the top bit is set)."
        ))),
        Some(_) => Ok(BigUint::from_bytes_be(&bytes)),
    }
}
