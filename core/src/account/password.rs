//! Passwords: `ForgotPassword`, `ConfirmForgotPassword` and `ChangePassword`.

use super::body;
use super::delivery::CodeDeliveryReply;
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{HttpResponse, JsonWriter, Operation};

/// A `ForgotPassword` request: sends a reset code. The reply is a [`super::CodeDeliveryReply`].
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::ForgotPassword;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let request = ForgotPassword { username: "alice", client_metadata: &[] }.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"ClientId":"client","Username":"alice"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct ForgotPassword<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl Call for ForgotPassword<'_> {
    const OPERATION: Operation = Operation::ForgotPassword;
    type Reply<'r> = CodeDeliveryReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::username(self.username)?;
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        body::client(w, config, self.username);
        w.field_str("Username", self.username);
        w.field_string_map("ClientMetadata", self.client_metadata);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<CodeDeliveryReply<'r>, Error> {
        CodeDeliveryReply::read(response)
    }
}

/// A `ConfirmForgotPassword` request: the reset code and the new password.
#[derive(Clone, Copy, Default)]
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

impl Call for ConfirmForgotPassword<'_> {
    const OPERATION: Operation = Operation::ConfirmForgotPassword;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::username(self.username)?;
        validate::code(self.confirmation_code, "confirmation_code")?;
        validate::password(self.password, "password")?;
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        body::client(w, config, self.username);
        w.field_str("Username", self.username);
        w.field_str("ConfirmationCode", self.confirmation_code);
        w.field_str("Password", self.password);
        w.field_string_map("ClientMetadata", self.client_metadata);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `ChangePassword` request for the signed-in user.
#[derive(Clone, Copy, Default)]
pub struct ChangePassword<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `PreviousPassword`; `None` for a user who has no password yet (passwordless pools).
    pub previous_password: Option<&'a str>,
    /// `ProposedPassword`.
    pub proposed_password: &'a str,
}

impl Call for ChangePassword<'_> {
    const OPERATION: Operation = Operation::ChangePassword;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        if let Some(previous) = self.previous_password {
            validate::password(previous, "previous_password")?;
        }
        validate::password(self.proposed_password, "proposed_password")?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_opt_str("PreviousPassword", self.previous_password);
        w.field_str("ProposedPassword", self.proposed_password);
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

debug_fields!(ForgotPassword {
    username: show,
    client_metadata: names,
});

debug_fields!(ConfirmForgotPassword {
    username: show,
    confirmation_code: hide,
    password: hide,
    client_metadata: names,
});

debug_fields!(ChangePassword {
    access_token: hide,
    previous_password: hide,
    proposed_password: hide,
});
