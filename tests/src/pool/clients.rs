//! App clients: their options, their settings (auth flows, Session lifetime, refresh tokens) and
//! the SECRET_HASH check.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};

use super::oauth::OAuthSettings;
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

/// An `InitiateAuth` flow an app client may allow (its `ExplicitAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthFlow {
    /// `USER_SRP_AUTH` (`ALLOW_USER_SRP_AUTH`).
    UserSrp,
    /// `USER_PASSWORD_AUTH` (`ALLOW_USER_PASSWORD_AUTH`).
    UserPassword,
    /// `CUSTOM_AUTH` (`ALLOW_CUSTOM_AUTH`).
    Custom,
    /// `USER_AUTH`, choice-based sign-in (`ALLOW_USER_AUTH`).
    UserAuth,
    /// `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN` (`ALLOW_REFRESH_TOKEN_AUTH`).
    RefreshToken,
}

impl AuthFlow {
    /// Every flow.
    pub const ALL: [Self; 5] = [
        Self::UserSrp,
        Self::UserPassword,
        Self::Custom,
        Self::UserAuth,
        Self::RefreshToken,
    ];
}

/// Lifetime of a refresh token unless [`ClientSettings::refresh_token_validity_secs`] says
/// otherwise: 30 days, Cognito's default.
pub const REFRESH_TOKEN_VALIDITY_SECS: u64 = 30 * 86_400;

/// App-client settings beyond [`AppClientOptions`] (kept apart so code that builds
/// `AppClientOptions` with a struct literal keeps compiling). Set with
/// [`super::UserPool::set_client_settings`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientSettings {
    /// The flows `InitiateAuth` accepts; others answer InvalidParameterException
    /// "`<FLOW>` flow not enabled for this client". Default: all of [`AuthFlow::ALL`].
    pub auth_flows: Vec<AuthFlow>,
    /// How long a sign-in Session (and a pending PASSWORD_VERIFIER) stays valid, in seconds
    /// (Cognito's `AuthSessionValidity`, 3–15 minutes). Default [`super::SESSION_LIFETIME_SECS`].
    pub auth_session_validity_secs: u64,
    /// Refresh-token rotation: `GetTokensFromRefreshToken` returns a new refresh token and the
    /// one sent stops working (after the grace period); `REFRESH_TOKEN_AUTH` is refused. Default
    /// off.
    pub refresh_token_rotation: bool,
    /// With rotation, how long a rotated-out refresh token still works (`RetryGracePeriodSeconds`,
    /// 0–60). Default 0: invalid at once.
    pub rotation_grace_period_secs: u64,
    /// Lifetime of refresh tokens issued to this client, in seconds. Default
    /// [`REFRESH_TOKEN_VALIDITY_SECS`].
    pub refresh_token_validity_secs: u64,
}

impl Default for ClientSettings {
    fn default() -> Self {
        Self {
            auth_flows: AuthFlow::ALL.to_vec(),
            auth_session_validity_secs: super::SESSION_LIFETIME_SECS,
            refresh_token_rotation: false,
            rotation_grace_period_secs: 0,
            refresh_token_validity_secs: REFRESH_TOKEN_VALIDITY_SECS,
        }
    }
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
    pub(crate) settings: ClientSettings,
    /// The hosted-UI settings (default: no OAuth).
    pub(crate) oauth: OAuthSettings,
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

    /// Like [`Self::check_secret_hash`], but the hash may be over any of `usernames` (refresh
    /// tokens: the user's sub or its username).
    pub(crate) fn check_secret_hash_any(
        &self,
        usernames: &[&str],
        provided: Option<&str>,
    ) -> Result<(), ServiceError> {
        let mut last = Ok(());
        for username in usernames {
            last = self.check_secret_hash(username, provided);
            if last.is_ok() {
                return last;
            }
        }
        last
    }

    /// Checks a `ClientSecret` member (GetTokensFromRefreshToken, RevokeToken) when this client
    /// has a secret; one sent to a client without a secret is ignored.
    pub(crate) fn check_client_secret(&self, provided: Option<&str>) -> Result<(), ServiceError> {
        let Some(secret) = self.options.secret.as_deref() else {
            return Ok(());
        };
        match provided {
            Some(provided) if srp::signatures_match(secret, provided) => Ok(()),
            Some(_) => Err(ServiceError::not_authorized(format!(
                "Unable to verify secret for client {}",
                self.id
            ))),
            None => Err(ServiceError::not_authorized(format!(
                "Client {} is configured with secret but ClientSecret was not received",
                self.id
            ))),
        }
    }

    /// InvalidParameterException unless this client allows `flow` (named `name` on the wire).
    pub(crate) fn check_flow(&self, flow: AuthFlow, name: &str) -> Result<(), ServiceError> {
        if self.settings.auth_flows.contains(&flow) {
            Ok(())
        } else {
            Err(ServiceError::invalid_parameter(format!(
                "{name} flow not enabled for this client"
            )))
        }
    }

    pub(crate) fn tracks_devices(&self) -> bool {
        self.options.device_tracking != DeviceTracking::Off
    }
}
