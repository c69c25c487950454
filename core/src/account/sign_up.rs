//! Registration: `SignUp`, `ConfirmSignUp` and `ResendConfirmationCode`.

use super::body::{self, plain, require_plain};
use super::delivery::{CodeDeliveryDetails, CodeDeliveryReply};
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse, ProtocolError};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{HttpResponse, JsonWriter, Operation, read_response};

/// A `SignUp` request: registers `username`.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::SignUp;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let sign_up = SignUp {
///     username: "alice",
///     password: Some("correct horse"),
///     user_attributes: &[("email", "alice@example.com")],
///     ..SignUp::default()
/// };
/// let mut buf = [0u8; 512];
/// let request = sign_up.write_request(&config, &mut buf)?;
/// assert!(request.body.starts_with(br#"{"ClientId":"client","Username":"alice""#));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct SignUp<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `Password`; `None` for passwordless sign-up.
    pub password: Option<&'a str>,
    /// `UserAttributes` as (name, value) pairs.
    pub user_attributes: &'a [(&'a str, &'a str)],
    /// `ValidationData` for a pre-sign-up Lambda, as (name, value) pairs.
    pub validation_data: &'a [(&'a str, &'a str)],
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl Call for SignUp<'_> {
    const OPERATION: Operation = Operation::SignUp;
    type Reply<'r> = SignUpReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::username(self.username)?;
        if let Some(password) = self.password {
            validate::password(password, "password")?;
        }
        validate::attributes(self.user_attributes)?;
        validate::attributes(self.validation_data)?;
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        body::client(w, config, self.username);
        w.field_str("Username", self.username);
        w.field_opt_str("Password", self.password);
        if !self.user_attributes.is_empty() {
            body::attributes(w, "UserAttributes", self.user_attributes);
        }
        if !self.validation_data.is_empty() {
            body::attributes(w, "ValidationData", self.validation_data);
        }
        w.field_string_map("ClientMetadata", self.client_metadata);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<SignUpReply<'r>, Error> {
        SignUpReply::read(response)
    }
}

/// The reply of `SignUp`.
#[derive(Clone, Copy)]
pub struct SignUpReply<'r> {
    /// `UserSub`: the user's immutable id.
    pub user_sub: &'r str,
    /// `UserConfirmed`: false when a confirmation code must be entered.
    pub user_confirmed: bool,
    /// `CodeDeliveryDetails`: where the confirmation code went.
    pub code_delivery_details: Option<CodeDeliveryDetails<'r>>,
    /// `Session`: pass it to [`ConfirmSignUp::session`] to sign in right after confirming.
    pub session: Option<&'r str>,
}

impl<'r> SignUpReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(SignUpReply {
            user_sub: require_plain(&obj, "UserSub")?,
            user_confirmed: obj
                .get_bool("UserConfirmed")?
                .ok_or(ProtocolError::MissingField("UserConfirmed"))?,
            code_delivery_details: CodeDeliveryDetails::member(&obj)?,
            session: plain(&obj, "Session")?,
        })
    }
}

/// A `ConfirmSignUp` request: the code the user received after signing up.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::ConfirmSignUp;
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let confirm = ConfirmSignUp { username: "alice", confirmation_code: "123456", ..ConfirmSignUp::default() };
/// let mut buf = [0u8; 256];
/// let request = confirm.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"ClientId":"client","Username":"alice","ConfirmationCode":"123456"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct ConfirmSignUp<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `ConfirmationCode`.
    pub confirmation_code: &'a str,
    /// `ForceAliasCreation`: take over an email or phone alias another user has (written when true).
    pub force_alias_creation: bool,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
    /// `Session` from [`SignUpReply::session`], to get a session that can start a `USER_AUTH`
    /// sign-in without the password.
    pub session: Option<&'a str>,
}

impl Call for ConfirmSignUp<'_> {
    const OPERATION: Operation = Operation::ConfirmSignUp;
    type Reply<'r> = ConfirmSignUpReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::username(self.username)?;
        validate::code(self.confirmation_code, "confirmation_code")?;
        if let Some(session) = self.session {
            validate::session(session)?;
        }
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        body::client(w, config, self.username);
        w.field_str("Username", self.username);
        w.field_str("ConfirmationCode", self.confirmation_code);
        if self.force_alias_creation {
            w.field_bool("ForceAliasCreation", true);
        }
        w.field_string_map("ClientMetadata", self.client_metadata);
        w.field_opt_str("Session", self.session);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<ConfirmSignUpReply<'r>, Error> {
        ConfirmSignUpReply::read(response)
    }
}

/// The reply of `ConfirmSignUp`.
#[derive(Clone, Copy)]
pub struct ConfirmSignUpReply<'r> {
    /// `Session`: when the request carried one, a session that starts a `USER_AUTH` sign-in
    /// (`InitiateAuth` with this `Session`) without asking for the password again.
    pub session: Option<&'r str>,
}

impl<'r> ConfirmSignUpReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(ConfirmSignUpReply {
            session: plain(&obj, "Session")?,
        })
    }
}

/// A `ResendConfirmationCode` request. The reply is a [`super::CodeDeliveryReply`].
#[derive(Clone, Copy, Default)]
pub struct ResendConfirmationCode<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl Call for ResendConfirmationCode<'_> {
    const OPERATION: Operation = Operation::ResendConfirmationCode;
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

debug_fields!(SignUp {
    username: show,
    password: hide,
    user_attributes: show,
    validation_data: names,
    client_metadata: names,
});

debug_fields!(SignUpReply {
    user_sub: show,
    user_confirmed: show,
    code_delivery_details: show,
    session: hide,
});

debug_fields!(ConfirmSignUp {
    username: show,
    confirmation_code: hide,
    force_alias_creation: show,
    client_metadata: names,
    session: hide,
});

debug_fields!(ConfirmSignUpReply { session: hide });

debug_fields!(ResendConfirmationCode {
    username: show,
    client_metadata: names,
});
