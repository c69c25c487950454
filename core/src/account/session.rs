//! Ending sessions: `GlobalSignOut` and `RevokeToken`.

use super::body;
use super::validate;
use crate::auth::{ClientConfig, Request};
use crate::error::Error;
use crate::wire::{HttpResponse, Operation};

/// A `GlobalSignOut` request: invalidates every refresh token of the signed-in user.
#[derive(Clone, Copy, Debug, Default)]
pub struct GlobalSignOut<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl GlobalSignOut<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse::Empty`] for an
    /// empty access token.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        body::write(Operation::GlobalSignOut, buf, |w| {
            w.field_str("AccessToken", self.access_token);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `RevokeToken` request: revokes a refresh token and the tokens issued from it.
///
/// ```
/// use cognito_core::account::RevokeToken;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let request = RevokeToken { token: "eyJjdHkiOi.refresh" }.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"Token":"eyJjdHkiOi.refresh","ClientId":"client"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct RevokeToken<'a> {
    /// `Token`: the refresh token.
    pub token: &'a str,
}

impl RevokeToken<'_> {
    /// Writes the body (`ClientId`, and `ClientSecret` when `config` has a secret) into `buf`,
    /// untouched when too small. [`crate::Misuse::Empty`] for an empty token.
    pub fn write_request<'b>(
        &self,
        config: &ClientConfig<'_>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        validate::required(self.token, "token")?;
        body::write(Operation::RevokeToken, buf, |w| {
            w.field_str("Token", self.token);
            w.field_str("ClientId", config.client_id());
            w.field_opt_str("ClientSecret", config.client_secret());
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}
