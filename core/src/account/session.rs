//! Ending sessions: `GlobalSignOut` and `RevokeToken`.

use super::body;
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{HttpResponse, JsonWriter, Operation};

/// A `GlobalSignOut` request: invalidates every refresh token of the signed-in user.
#[derive(Clone, Copy, Default)]
pub struct GlobalSignOut<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl Call for GlobalSignOut<'_> {
    const OPERATION: Operation = Operation::GlobalSignOut;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `RevokeToken` request: revokes a refresh token and the tokens issued from it.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::RevokeToken;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let request = RevokeToken { token: "eyJjdHkiOi.refresh" }.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"Token":"eyJjdHkiOi.refresh","ClientId":"client"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct RevokeToken<'a> {
    /// `Token`: the refresh token.
    pub token: &'a str,
}

impl Call for RevokeToken<'_> {
    const OPERATION: Operation = Operation::RevokeToken;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::required(self.token, "token")?;
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("Token", self.token);
        w.field_str("ClientId", config.client_id());
        w.field_opt_str("ClientSecret", config.client_secret());
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

debug_fields!(GlobalSignOut { access_token: hide });

debug_fields!(RevokeToken { token: hide });
