//! MFA settings of the signed-in user: `SetUserMFAPreference`, `SetUserSettings`, and TOTP setup
//! with `AssociateSoftwareToken` / `VerifySoftwareToken`.

use core::fmt;

use super::body::{self, plain};
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse};
use crate::exchange::Call;
use crate::redact::{debug_fields, hide};
use crate::wire::{HttpResponse, JsonWriter, Operation, read_response};

/// One factor's setting in `SetUserMFAPreference` (`{Enabled, PreferredMfa}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MfaSetting {
    /// `Enabled`.
    pub enabled: bool,
    /// `PreferredMfa`: the factor offered first.
    pub preferred: bool,
}

/// A `SetUserMFAPreference` request; factors left `None` keep their setting.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::{MfaSetting, SetUserMfaPreference};
/// let config = cognito_core::auth::ClientConfig::new("eu-west-1_AbC", "client")?;
/// let totp_first = SetUserMfaPreference {
///     access_token: "eyJ.a.b",
///     software_token: Some(MfaSetting { enabled: true, preferred: true }),
///     ..SetUserMfaPreference::default()
/// };
/// let mut buf = [0u8; 128];
/// let request = totp_first.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"SoftwareTokenMfaSettings":{"Enabled":true,"PreferredMfa":true},"AccessToken":"eyJ.a.b"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct SetUserMfaPreference<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `SMSMfaSettings`.
    pub sms: Option<MfaSetting>,
    /// `SoftwareTokenMfaSettings` (authenticator app).
    pub software_token: Option<MfaSetting>,
    /// `EmailMfaSettings`.
    pub email: Option<MfaSetting>,
    /// `WebAuthnMfaSettings.Enabled`: whether a passkey counts as MFA.
    pub web_authn_enabled: Option<bool>,
}

impl Call for SetUserMfaPreference<'_> {
    const OPERATION: Operation = Operation::SetUserMFAPreference;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        setting(w, "SMSMfaSettings", self.sms);
        setting(w, "SoftwareTokenMfaSettings", self.software_token);
        setting(w, "EmailMfaSettings", self.email);
        if let Some(enabled) = self.web_authn_enabled {
            w.begin_object_field("WebAuthnMfaSettings");
            w.field_bool("Enabled", enabled);
            w.end_object();
        }
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

fn setting(w: &mut JsonWriter<'_>, key: &str, setting: Option<MfaSetting>) {
    if let Some(s) = setting {
        w.begin_object_field(key);
        w.field_bool("Enabled", s.enabled);
        w.field_bool("PreferredMfa", s.preferred);
        w.end_object();
    }
}

/// How a code is delivered (`DeliveryMediumType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryMedium {
    /// `SMS`.
    Sms,
    /// `EMAIL`.
    Email,
}

impl DeliveryMedium {
    /// The wire value: `SMS` or `EMAIL`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            DeliveryMedium::Sms => "SMS",
            DeliveryMedium::Email => "EMAIL",
        }
    }

    /// Parses a wire name (`SMS`, `EMAIL`).
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Sms, Self::Email]
            .into_iter()
            .find(|m| m.as_str() == name)
    }
}

/// One legacy MFA option for `SetUserSettings` (`MFAOptionType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MfaOptionSetting<'a> {
    /// `DeliveryMedium`.
    pub delivery_medium: DeliveryMedium,
    /// `AttributeName`, for example `phone_number`.
    pub attribute_name: &'a str,
}

/// A `SetUserSettings` request (legacy SMS MFA options; prefer [`SetUserMfaPreference`]).
#[derive(Clone, Copy, Default)]
pub struct SetUserSettings<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `MFAOptions`.
    pub mfa_options: &'a [MfaOptionSetting<'a>],
}

impl Call for SetUserSettings<'_> {
    const OPERATION: Operation = Operation::SetUserSettings;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        for option in self.mfa_options {
            validate::attribute_name(option.attribute_name)?;
        }
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.begin_array_field("MFAOptions");
        for option in self.mfa_options {
            w.begin_object();
            w.field_str("DeliveryMedium", option.delivery_medium.as_str());
            w.field_str("AttributeName", option.attribute_name);
            w.end_object();
        }
        w.end_array();
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// Who sets up the authenticator app: a signed-in user, or a sign-in at its `MFA_SETUP`
/// challenge.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum TokenOrSession<'a> {
    /// `AccessToken` of a signed-in user.
    AccessToken(&'a str),
    /// `Session` of the `MFA_SETUP` challenge (send the newest one).
    Session(&'a str),
}

impl Default for TokenOrSession<'_> {
    fn default() -> Self {
        TokenOrSession::AccessToken("")
    }
}

impl fmt::Debug for TokenOrSession<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (name, value) = match self {
            TokenOrSession::AccessToken(token) => ("AccessToken", token),
            TokenOrSession::Session(session) => ("Session", session),
        };
        f.debug_tuple(name).field(&hide(value)).finish()
    }
}

impl TokenOrSession<'_> {
    fn validate(&self) -> Result<(), Misuse> {
        match *self {
            TokenOrSession::AccessToken(token) => validate::access_token(token)?,
            TokenOrSession::Session(session) => validate::session(session)?,
        }
        Ok(())
    }

    fn write(&self, w: &mut JsonWriter<'_>) {
        match *self {
            TokenOrSession::AccessToken(token) => w.field_str("AccessToken", token),
            TokenOrSession::Session(session) => w.field_str("Session", session),
        }
    }
}

/// An `AssociateSoftwareToken` request: starts TOTP setup.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::{AssociateSoftwareToken, TokenOrSession};
/// let config = cognito_core::auth::ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 128];
/// let associate = AssociateSoftwareToken { auth: TokenOrSession::Session("AYABeC0ffee-session-0123") };
/// let request = associate.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"Session":"AYABeC0ffee-session-0123"}"#);
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct AssociateSoftwareToken<'a> {
    /// `AccessToken` or `Session`.
    pub auth: TokenOrSession<'a>,
}

impl Call for AssociateSoftwareToken<'_> {
    const OPERATION: Operation = Operation::AssociateSoftwareToken;
    type Reply<'r> = AssociateSoftwareTokenReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        self.auth.validate()?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        self.auth.write(w);
    }

    fn read_reply<'r>(
        response: &HttpResponse<'r>,
    ) -> Result<AssociateSoftwareTokenReply<'r>, Error> {
        AssociateSoftwareTokenReply::read(response)
    }
}

/// The reply of `AssociateSoftwareToken`. `Debug` hides the secret and the session.
#[derive(Clone, Copy)]
pub struct AssociateSoftwareTokenReply<'r> {
    /// `SecretCode`: the base32 TOTP secret for the authenticator app (see [`crate::totp`]).
    pub secret_code: &'r str,
    /// `Session`: the new session when the request carried one.
    pub session: Option<&'r str>,
}

impl<'r> AssociateSoftwareTokenReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`], a reply without
    /// `SecretCode` is [`crate::ProtocolError::MissingField`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(AssociateSoftwareTokenReply {
            secret_code: body::require_plain(&obj, "SecretCode")?,
            session: plain(&obj, "Session")?,
        })
    }
}

debug_fields!(AssociateSoftwareTokenReply {
    secret_code: hide,
    session: hide,
});

/// A `VerifySoftwareToken` request: finishes TOTP setup with a code from the app.
#[derive(Clone, Copy, Default)]
pub struct VerifySoftwareToken<'a> {
    /// `AccessToken` or `Session` (the one [`AssociateSoftwareTokenReply::session`] returned).
    pub auth: TokenOrSession<'a>,
    /// `UserCode`: six digits.
    pub user_code: &'a str,
    /// `FriendlyDeviceName`: a name for the authenticator.
    pub friendly_device_name: Option<&'a str>,
}

impl Call for VerifySoftwareToken<'_> {
    const OPERATION: Operation = Operation::VerifySoftwareToken;
    type Reply<'r> = VerifySoftwareTokenReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        self.auth.validate()?;
        validate::totp_code(self.user_code)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        self.auth.write(w);
        w.field_str("UserCode", self.user_code);
        w.field_opt_str("FriendlyDeviceName", self.friendly_device_name);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<VerifySoftwareTokenReply<'r>, Error> {
        VerifySoftwareTokenReply::read(response)
    }
}

/// The reply of `VerifySoftwareToken`.
#[derive(Clone, Copy)]
pub struct VerifySoftwareTokenReply<'r> {
    /// `Status`: `SUCCESS` or `ERROR`.
    pub status: Option<&'r str>,
    /// `Session`: answer the `MFA_SETUP` challenge with it.
    pub session: Option<&'r str>,
}

impl<'r> VerifySoftwareTokenReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(VerifySoftwareTokenReply {
            status: plain(&obj, "Status")?,
            session: plain(&obj, "Session")?,
        })
    }

    /// Whether `Status` is `SUCCESS`.
    #[must_use]
    pub fn is_success(&self) -> bool {
        self.status == Some("SUCCESS")
    }
}

debug_fields!(SetUserMfaPreference {
    access_token: hide,
    sms: show,
    software_token: show,
    email: show,
    web_authn_enabled: show,
});

debug_fields!(SetUserSettings {
    access_token: hide,
    mfa_options: show,
});

debug_fields!(AssociateSoftwareToken { auth: show });

debug_fields!(VerifySoftwareToken {
    auth: show,
    user_code: hide,
    friendly_device_name: show,
});

debug_fields!(VerifySoftwareTokenReply {
    status: show,
    session: hide,
});
