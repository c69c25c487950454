//! The tokens a successful sign-in returns.

use core::fmt;

use crate::error::ProtocolError;
use crate::redact::hide;
use crate::wire::JsonObject;

/// `AuthenticationResult`: the tokens, borrowed from the reply body.
///
/// Copy what you keep before reusing the body buffer. Tokens are never logged by `Debug`.
#[derive(Clone, Copy)]
pub struct AuthenticationResult<'r> {
    /// `AccessToken` (a JWT).
    pub access_token: &'r str,
    /// `IdToken` (a JWT), when the scopes include `openid`.
    pub id_token: Option<&'r str>,
    /// `RefreshToken`; absent on a refresh unless the pool rotates refresh tokens.
    pub refresh_token: Option<&'r str>,
    /// `ExpiresIn`: lifetime of the access and id tokens in seconds.
    pub expires_in: u64,
    /// `TokenType`, normally `Bearer`.
    pub token_type: &'r str,
    /// `NewDeviceMetadata`: the server offers to track this device (confirm it with `ConfirmDevice`).
    pub new_device: Option<NewDeviceMetadata<'r>>,
}

/// `NewDeviceMetadata`: the keys of a device the server is ready to track.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NewDeviceMetadata<'r> {
    /// `DeviceKey`.
    pub device_key: &'r str,
    /// `DeviceGroupKey`.
    pub device_group_key: &'r str,
}

impl<'r> AuthenticationResult<'r> {
    /// Reads an `AuthenticationResult` object. Tokens must be JSON strings without escapes (JWTs
    /// and Cognito refresh tokens are base64url text).
    pub(crate) fn from_object(obj: &JsonObject<'r>) -> Result<Self, ProtocolError> {
        let access_token =
            plain(obj, "AccessToken")?.ok_or(ProtocolError::MissingField("AccessToken"))?;
        if access_token.is_empty() {
            return Err(ProtocolError::InvalidField("AccessToken"));
        }
        let new_device = match obj.get_object("NewDeviceMetadata")? {
            Some(meta) => Some(NewDeviceMetadata {
                device_key: plain(&meta, "DeviceKey")?
                    .ok_or(ProtocolError::MissingField("DeviceKey"))?,
                device_group_key: plain(&meta, "DeviceGroupKey")?
                    .ok_or(ProtocolError::MissingField("DeviceGroupKey"))?,
            }),
            None => None,
        };
        Ok(Self {
            access_token,
            id_token: plain(obj, "IdToken")?,
            refresh_token: plain(obj, "RefreshToken")?,
            expires_in: obj.get_u64("ExpiresIn")?.unwrap_or(0),
            token_type: plain(obj, "TokenType")?.unwrap_or("Bearer"),
            new_device,
        })
    }
}

fn plain<'r>(obj: &JsonObject<'r>, key: &'static str) -> Result<Option<&'r str>, ProtocolError> {
    match obj.get_str(key)? {
        Some(s) => s
            .as_plain()
            .map(Some)
            .ok_or(ProtocolError::InvalidField(key)),
        None => Ok(None),
    }
}

impl fmt::Debug for AuthenticationResult<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthenticationResult")
            .field("access_token", &hide(self.access_token))
            .field("id_token", &hide(&self.id_token))
            .field("refresh_token", &hide(&self.refresh_token))
            .field("expires_in", &self.expires_in)
            .field("token_type", &self.token_type)
            .field("new_device", &self.new_device)
            .finish()
    }
}
