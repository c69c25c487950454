//! Refreshing tokens: `InitiateAuth` with `REFRESH_TOKEN_AUTH`, or `GetTokensFromRefreshToken`
//! (which supports refresh-token rotation).

use core::fmt;

use zeroize::Zeroize;

use super::config::ClientConfig;
use super::reply::AuthReply;
use super::result::AuthenticationResult;
use crate::capacity::{Capacities, DefaultLimits, MAX_DEVICE_KEY_LEN, copy, keep, keep_string_map};
use crate::error::{Error, Misuse, ProtocolError};
use crate::exchange::Flow;
use crate::time::UnixTime;
use crate::wire::{HttpResponse, JsonWriter, Operation, Request, Resend, encode_json};

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
/// The request may be resent after any failure ([`Resend::AfterAnyFailure`]): a refresh only
/// mints tokens, and with refresh-token rotation Cognito keeps the old token valid for a grace
/// period (`RetryGracePeriodSeconds`) exactly so that a lost reply can be retried.
///
/// ```
/// use cognito_core::auth::{ClientConfig, Refresh, RefreshOperation};
/// let config = ClientConfig::new("us-east-1_TestPool1", "client1")?;
/// let mut refresh: Refresh = Refresh::new(&config, "eyJjdHkiOiJKV1QiLCJlbmMiOi...")?
///     .with_device_key("us-east-1_0a1b2c3d-...")?
///     .using(RefreshOperation::GetTokensFromRefreshToken);
/// let mut buf = [0u8; 4096];
/// let request = refresh.write_request(&mut buf)?;
/// assert_eq!(request.operation.name(), "GetTokensFromRefreshToken");
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct Refresh<L: Capacities = DefaultLimits> {
    config: ClientConfig,
    refresh_token: L::Token,
    /// Empty when not given.
    username: L::Username,
    device_key: Option<heapless::String<MAX_DEVICE_KEY_LEN>>,
    operation: RefreshOperation,
    /// `ClientMetadata` as its JSON object, empty when there is none.
    client_metadata: L::ClientMetadata,
    sent: bool,
    done: bool,
}

impl<L: Capacities> Refresh<L> {
    /// A refresh of `refresh_token` (with `REFRESH_TOKEN_AUTH` unless [`Self::using`] says otherwise).
    pub fn new(config: &ClientConfig, refresh_token: &str) -> Result<Self, Error> {
        if refresh_token.is_empty() {
            return Err(Misuse::Empty("refresh_token").into());
        }
        let mut refresh = Self {
            config: config.clone(),
            refresh_token: L::Token::default(),
            username: L::Username::default(),
            device_key: None,
            operation: RefreshOperation::InitiateAuth,
            client_metadata: L::ClientMetadata::default(),
            sent: false,
            done: false,
        };
        keep(&mut refresh.refresh_token, refresh_token, "refresh_token")?;
        Ok(refresh)
    }

    /// The user's real username, for `SECRET_HASH` (needed with a client secret and
    /// `REFRESH_TOKEN_AUTH`).
    pub fn with_username(mut self, username: &str) -> Result<Self, Misuse> {
        keep(&mut self.username, username, "username")?;
        Ok(self)
    }

    /// The remembered device the refresh token was issued to.
    pub fn with_device_key(mut self, device_key: &str) -> Result<Self, Misuse> {
        self.device_key = Some(copy(device_key, "device_key")?);
        Ok(self)
    }

    /// Chooses the operation.
    #[must_use]
    pub fn using(mut self, operation: RefreshOperation) -> Self {
        self.operation = operation;
        self
    }

    /// Sends `ClientMetadata` with the request. [`Misuse::TooLong`] when its JSON does not fit.
    pub fn with_client_metadata(mut self, metadata: &[(&str, &str)]) -> Result<Self, Misuse> {
        if metadata.is_empty() {
            self.client_metadata.zeroize();
        } else {
            keep_string_map(&mut self.client_metadata, metadata, "client_metadata")?;
        }
        Ok(self)
    }

    /// Writes the request into `buf` (may be called again to resend).
    ///
    /// [`Misuse::Empty`]`("username")` when `REFRESH_TOKEN_AUTH` needs a `SECRET_HASH` but no
    /// username was given.
    pub fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        if self.done {
            return Err(Misuse::OutOfOrder.into());
        }
        let device_key = self.device_key.as_deref();
        let (operation, len) = match self.operation {
            RefreshOperation::InitiateAuth => {
                if self.config.client_secret().is_some() && self.username.is_empty() {
                    return Err(Misuse::Empty("username").into());
                }
                let secret_hash = self.config.secret_hash(&self.username);
                let len = encode_json(buf, |w| {
                    w.begin_object();
                    w.field_str("AuthFlow", "REFRESH_TOKEN_AUTH");
                    w.field_str("ClientId", self.config.client_id());
                    w.begin_object_field("AuthParameters");
                    w.field_str("REFRESH_TOKEN", &self.refresh_token);
                    w.field_opt_str("SECRET_HASH", secret_hash.as_ref().map(|h| h.as_str()));
                    w.field_opt_str("DEVICE_KEY", device_key);
                    w.end_object();
                    self.write_client_metadata(w);
                    w.end_object();
                })?;
                (Operation::InitiateAuth, len)
            }
            RefreshOperation::GetTokensFromRefreshToken => {
                let len = encode_json(buf, |w| {
                    w.begin_object();
                    w.field_str("RefreshToken", &self.refresh_token);
                    w.field_str("ClientId", self.config.client_id());
                    w.field_opt_str("ClientSecret", self.config.client_secret());
                    w.field_opt_str("DeviceKey", device_key);
                    self.write_client_metadata(w);
                    w.end_object();
                })?;
                (Operation::GetTokensFromRefreshToken, len)
            }
        };
        self.sent = true;
        Ok(Request::new(
            operation,
            buf.get(..len).unwrap_or_default(),
            Resend::AfterAnyFailure,
        ))
    }

    fn write_client_metadata(&self, w: &mut JsonWriter<'_>) {
        if !self.client_metadata.is_empty() {
            w.key("ClientMetadata");
            w.raw(&self.client_metadata);
        }
    }

    /// Reads the reply, received at `now`: the new tokens. `refresh_token` is `Some` only when
    /// the server rotated it; otherwise keep using the old one. A retryable Cognito error lets
    /// the request be sent again; any other error ends the refresh.
    pub fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        _now: UnixTime,
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

impl<L: Capacities> Flow for Refresh<L> {
    type Step<'r> = AuthenticationResult<'r>;

    fn has_request(&self) -> bool {
        !self.done
    }

    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        Refresh::write_request(self, buf)
    }

    fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<AuthenticationResult<'r>, Error> {
        Refresh::handle_response(self, response, now)
    }
}

impl<L: Capacities> Drop for Refresh<L> {
    fn drop(&mut self) {
        self.refresh_token.zeroize();
        self.username.zeroize();
        self.client_metadata.zeroize();
    }
}

impl<L: Capacities> fmt::Debug for Refresh<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Refresh")
            .field("config", &self.config)
            .field("operation", &self.operation)
            .field("username", &&*self.username)
            .field("device_key", &self.device_key.as_deref())
            .finish_non_exhaustive()
    }
}
