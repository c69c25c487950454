//! App clients: their options and the SECRET_HASH check.

use alloc::format;
use alloc::string::String;

use base64ct::{Base64, Encoding};

use super::wire::ServiceError;
use crate::srp;

/// How an app client treats devices (Cognito's "device tracking" setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DeviceTracking {
    /// No device tracking: sign-ins never return `NewDeviceMetadata`.
    #[default]
    Off,
    /// Always remember devices: `ConfirmDevice` answers `UserConfirmationNecessary: false` and the
    /// device is remembered at once.
    Always,
    /// Remember devices when the user opts in: `ConfirmDevice` answers
    /// `UserConfirmationNecessary: true`; the client then calls `UpdateDeviceStatus`.
    UserOptIn,
}

/// Options of an app client.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppClientOptions {
    /// The client secret; when set, every auth call must carry `SECRET_HASH`.
    pub secret: Option<String>,
    /// The device-tracking setting.
    pub device_tracking: DeviceTracking,
}

/// `Base64(HMAC-SHA256(key = client_secret, msg = username ‖ client_id))`.
pub fn secret_hash(client_secret: &str, username: &str, client_id: &str) -> String {
    Base64::encode_string(&srp::hmac_sha256(
        client_secret.as_bytes(),
        &[username.as_bytes(), client_id.as_bytes()],
    ))
}

/// One registered app client.
#[derive(Debug, Clone)]
pub(crate) struct AppClient {
    pub(crate) id: String,
    pub(crate) options: AppClientOptions,
}

impl AppClient {
    /// Checks `provided` (the request's `SECRET_HASH`) against the hash of `username` when this
    /// client has a secret. A hash sent to a client without a secret is ignored.
    pub(crate) fn check_secret_hash(
        &self,
        username: &str,
        provided: Option<&str>,
    ) -> Result<(), ServiceError> {
        let Some(secret) = self.options.secret.as_deref() else {
            return Ok(());
        };
        let Some(provided) = provided else {
            return Err(ServiceError::not_authorized(format!(
                "Client {} is configured with secret but SECRET_HASH was not received",
                self.id
            )));
        };
        if srp::signatures_match(&secret_hash(secret, username, &self.id), provided) {
            Ok(())
        } else {
            Err(ServiceError::not_authorized(format!(
                "Unable to verify secret hash for client {}",
                self.id
            )))
        }
    }

    pub(crate) fn tracks_devices(&self) -> bool {
        self.options.device_tracking != DeviceTracking::Off
    }
}
