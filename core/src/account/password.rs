//! Passwords: `ForgotPassword`, `ConfirmForgotPassword` and `ChangePassword`.

use super::body;
use super::validate;
use crate::auth::{ClientConfig, Request};
use crate::error::Error;
use crate::wire::{HttpResponse, Operation};

/// A `ForgotPassword` request: sends a reset code. The reply is a [`super::CodeDeliveryReply`].
///
/// ```
/// use cognito_core::account::ForgotPassword;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let request = ForgotPassword { username: "alice", client_metadata: &[] }.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"ClientId":"client","Username":"alice"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct ForgotPassword<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl ForgotPassword<'_> {
    /// Writes the body (with `SecretHash` when `config` has a secret) into `buf`, untouched when
    /// too small. [`crate::Misuse::Empty`] for an empty user name.
    pub fn write_request<'b>(
        &self,
        config: &ClientConfig<'_>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        validate::username(self.username)?;
        let hash = config.secret_hash(self.username);
        body::write(Operation::ForgotPassword, buf, |w| {
            body::client(w, config, hash.as_ref().map(|h| h.as_str()));
            w.field_str("Username", self.username);
            w.field_string_map("ClientMetadata", self.client_metadata);
        })
    }
}

/// A `ConfirmForgotPassword` request: the reset code and the new password.
#[derive(Clone, Copy, Debug, Default)]
pub struct ConfirmForgotPassword<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `ConfirmationCode`: the code from [`ForgotPassword`].
    pub confirmation_code: &'a str,
    /// `Password`: the new password.
    pub password: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl ConfirmForgotPassword<'_> {
    /// Writes the body (with `SecretHash` when `config` has a secret) into `buf`, untouched when
    /// too small. [`crate::Misuse`] for an empty user name, code or password.
    pub fn write_request<'b>(
        &self,
        config: &ClientConfig<'_>,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        validate::username(self.username)?;
        validate::code(self.confirmation_code, "confirmation_code")?;
        validate::password(self.password, "password")?;
        let hash = config.secret_hash(self.username);
        body::write(Operation::ConfirmForgotPassword, buf, |w| {
            body::client(w, config, hash.as_ref().map(|h| h.as_str()));
            w.field_str("Username", self.username);
            w.field_str("ConfirmationCode", self.confirmation_code);
            w.field_str("Password", self.password);
            w.field_string_map("ClientMetadata", self.client_metadata);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `ChangePassword` request for the signed-in user.
#[derive(Clone, Copy, Debug, Default)]
pub struct ChangePassword<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `PreviousPassword`; `None` for a user who has no password yet (passwordless pools).
    pub previous_password: Option<&'a str>,
    /// `ProposedPassword`.
    pub proposed_password: &'a str,
}

impl ChangePassword<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token or password.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        if let Some(previous) = self.previous_password {
            validate::password(previous, "previous_password")?;
        }
        validate::password(self.proposed_password, "proposed_password")?;
        body::write(Operation::ChangePassword, buf, |w| {
            w.field_opt_str("PreviousPassword", self.previous_password);
            w.field_str("ProposedPassword", self.proposed_password);
            w.field_str("AccessToken", self.access_token);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}
