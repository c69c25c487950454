//! Refreshing tokens: `InitiateAuth` with `REFRESH_TOKEN_AUTH`, or `GetTokensFromRefreshToken`
//! (which supports refresh-token rotation).

use core::fmt;

use super::config::ClientConfig;
use super::reply::AuthReply;
use super::request::Request;
use super::result::AuthenticationResult;
use crate::error::{Error, Misuse, ProtocolError};
use crate::wire::{HttpResponse, JsonWriter, Operation, encode_json};

/// Which operation a [`Refresh`] uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RefreshOperation {
    /// `InitiateAuth` with `AuthFlow: REFRESH_TOKEN_AUTH` (`SECRET_HASH` over the username when
    /// the client has a secret). Never returns a new refresh token.
    InitiateAuth,
    /// `GetTokensFromRefreshToken` (`ClientSecret` when the client has one). Returns a new refresh
    /// token when the app client rotates them; the old one is then spent.
    GetTokensFromRefreshToken,
}

/// A token refresh: one request, one reply.
///
/// With a remembered device, the device key must be sent (the refresh token is bound to it;
/// without it Cognito answers "Invalid Refresh Token"). With an app-client secret,
/// `REFRESH_TOKEN_AUTH` needs the user's real username for `SECRET_HASH` — the `username` claim of
/// the access token (see [`crate::token`]), not an alias.
///
/// ```
/// use cognito_core::auth::{ClientConfig, Refresh, RefreshOperation};
/// let config = ClientConfig::new("us-east-1_TestPool1", "client1")?;
/// let mut refresh = Refresh::new(&config, "eyJjdHkiOiJKV1QiLCJlbmMiOi...")?
///     .with_device_key("us-east-1_0a1b2c3d-...")
///     .using(RefreshOperation::GetTokensFromRefreshToken);
/// let mut buf = [0u8; 4096];
/// let request = refresh.write_request(&mut buf)?;
/// assert_eq!(request.operation.name(), "GetTokensFromRefreshToken");
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct Refresh<'a> {
    config: &'a ClientConfig<'a>,
    refresh_token: &'a str,
    username: Option<&'a str>,
    device_key: Option<&'a str>,
    operation: RefreshOperation,
    client_metadata: &'a [(&'a str, &'a str)],
    sent: bool,
    done: bool,
}

impl<'a> Refresh<'a> {
    /// A refresh of `refresh_token` (with `REFRESH_TOKEN_AUTH` unless [`Self::using`] says otherwise).
    pub fn new(config: &'a ClientConfig<'a>, refresh_token: &'a str) -> Result<Self, Error> {
        if refresh_token.is_empty() {
            return Err(Misuse::Empty("refresh_token").into());
        }
        Ok(Self {
            config,
            refresh_token,
            username: None,
            device_key: None,
            operation: RefreshOperation::InitiateAuth,
            client_metadata: &[],
            sent: false,
            done: false,
        })
    }

    /// The user's real username, for `SECRET_HASH` (needed with a client secret and
    /// `REFRESH_TOKEN_AUTH`).
    #[must_use]
    pub fn with_username(self, username: &'a str) -> Self {
        Self {
            username: Some(username),
            ..self
        }
    }

    /// The remembered device the refresh token was issued to.
    #[must_use]
    pub fn with_device_key(self, device_key: &'a str) -> Self {
        Self {
            device_key: Some(device_key),
            ..self
        }
    }

    /// Chooses the operation.
    #[must_use]
    pub fn using(self, operation: RefreshOperation) -> Self {
        Self { operation, ..self }
    }

    /// Sends `ClientMetadata` with the request.
    #[must_use]
    pub fn with_client_metadata(self, metadata: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            client_metadata: metadata,
            ..self
        }
    }

    /// Writes the request body into `buf` (may be called again to resend).
    ///
    /// [`Misuse::Empty`]`("username")` when `REFRESH_TOKEN_AUTH` needs a `SECRET_HASH` but no
    /// username was given.
    pub fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        if self.done {
            return Err(Misuse::OutOfOrder.into());
        }
        let (operation, len) = match self.operation {
            RefreshOperation::InitiateAuth => {
                let secret_hash = match (self.config.client_secret(), self.username) {
                    (None, _) => None,
                    (Some(_), Some(username)) => self.config.secret_hash(username),
                    (Some(_), None) => return Err(Misuse::Empty("username").into()),
                };
                let len = encode_json(buf, |w| {
                    w.begin_object();
                    w.field_str("AuthFlow", "REFRESH_TOKEN_AUTH");
                    w.field_str("ClientId", self.config.client_id());
                    w.begin_object_field("AuthParameters");
                    w.field_str("REFRESH_TOKEN", self.refresh_token);
                    w.field_opt_str("SECRET_HASH", secret_hash.as_ref().map(|h| h.as_str()));
                    w.field_opt_str("DEVICE_KEY", self.device_key);
                    w.end_object();
                    w.field_string_map("ClientMetadata", self.client_metadata);
                    w.end_object();
                })?;
                (Operation::InitiateAuth, len)
            }
            RefreshOperation::GetTokensFromRefreshToken => {
                let len = encode_json(buf, |w| self.write_get_tokens(w))?;
                (Operation::GetTokensFromRefreshToken, len)
            }
        };
        self.sent = true;
        Ok(Request {
            operation,
            body: buf.get(..len).unwrap_or(&[]),
        })
    }

    fn write_get_tokens(&self, w: &mut JsonWriter<'_>) {
        w.begin_object();
        w.field_str("RefreshToken", self.refresh_token);
        w.field_str("ClientId", self.config.client_id());
        w.field_opt_str("ClientSecret", self.config.client_secret());
        w.field_opt_str("DeviceKey", self.device_key);
        w.field_string_map("ClientMetadata", self.client_metadata);
        w.end_object();
    }

    /// Reads the reply: the new tokens. `refresh_token` is `Some` only when the server rotated
    /// it; otherwise keep using the old one. A retryable Cognito error lets the request be sent
    /// again.
    pub fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
    ) -> Result<AuthenticationResult<'r>, Error> {
        if !self.sent || self.done {
            return Err(Misuse::OutOfOrder.into());
        }
        let result = match AuthReply::read(response) {
            Ok(AuthReply::Authenticated(result)) => Ok(result),
            Ok(AuthReply::Challenge(_)) => Err(ProtocolError::UnexpectedChallenge.into()),
            Err(Error::Service(e)) if e.is_retryable() => return Err(Error::Service(e)),
            Err(e) => Err(e),
        };
        self.done = true;
        result
    }
}

impl fmt::Debug for Refresh<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refresh")
            .field("config", self.config)
            .field("operation", &self.operation)
            .field("username", &self.username)
            .field("device_key", &self.device_key)
            .finish_non_exhaustive()
    }
}
