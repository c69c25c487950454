//! The signed-in user: `GetUser`, `GetUserAuthFactors`, attributes and their verification,
//! `DeleteUser`.

use super::attribute::Attribute;
use super::body::{self, plain};
use super::delivery::CodeDeliveryDetails;
use super::list::{List, ListItem, object};
use super::validate;
use crate::auth::Request;
use crate::error::{Error, ProtocolError};
use crate::wire::{HttpResponse, JsonStr, JsonValue, Operation, read_response};

/// A `GetUser` request.
///
/// ```
/// use cognito_core::account::{GetUser, GetUserReply};
/// use cognito_core::wire::HttpResponse;
/// let mut buf = [0u8; 64];
/// let request = GetUser { access_token: "eyJ.a.b" }.write_request(&mut buf)?;
/// assert_eq!(request.body, br#"{"AccessToken":"eyJ.a.b"}"#);
/// let reply = br#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#;
/// let user = GetUserReply::read(&HttpResponse::new(200, reply))?;
/// assert!(user.user_attributes.value_of("email").unwrap().eq_str("a@example.com"));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct GetUser<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl GetUser<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse::Empty`] for an
    /// empty access token.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        body::write(Operation::GetUser, buf, |w| {
            w.field_str("AccessToken", self.access_token);
        })
    }
}

/// A legacy MFA option (`MFAOptionType`), in `GetUser` replies.
#[derive(Clone, Copy, Debug)]
pub struct MfaOption<'r> {
    /// `DeliveryMedium`: `SMS` or `EMAIL`.
    pub delivery_medium: Option<&'r str>,
    /// `AttributeName`, for example `phone_number`.
    pub attribute_name: Option<JsonStr<'r>>,
}

impl<'r> ListItem<'r> for MfaOption<'r> {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        let obj = object(value, field)?;
        Ok(MfaOption {
            delivery_medium: plain(&obj, "DeliveryMedium")?,
            attribute_name: obj.get_str("AttributeName")?,
        })
    }
}

/// The reply of `GetUser`.
#[derive(Clone, Copy, Debug)]
pub struct GetUserReply<'r> {
    /// `Username`.
    pub username: JsonStr<'r>,
    /// `UserAttributes`.
    pub user_attributes: List<'r, Attribute<'r>>,
    /// `MFAOptions` (legacy SMS MFA settings).
    pub mfa_options: List<'r, MfaOption<'r>>,
    /// `PreferredMfaSetting`: `SMS_MFA`, `SOFTWARE_TOKEN_MFA` or `EMAIL_OTP`.
    pub preferred_mfa_setting: Option<&'r str>,
    /// `UserMFASettingList`: the MFA factors enabled for the user.
    pub user_mfa_setting_list: List<'r, &'r str>,
}

impl<'r> GetUserReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(GetUserReply {
            username: obj.require_str("Username")?,
            user_attributes: List::read(&obj, "UserAttributes")?,
            mfa_options: List::read(&obj, "MFAOptions")?,
            preferred_mfa_setting: plain(&obj, "PreferredMfaSetting")?,
            user_mfa_setting_list: List::read(&obj, "UserMFASettingList")?,
        })
    }
}

/// A `GetUserAuthFactors` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct GetUserAuthFactors<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl GetUserAuthFactors<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse::Empty`] for an
    /// empty access token.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        body::write(Operation::GetUserAuthFactors, buf, |w| {
            w.field_str("AccessToken", self.access_token);
        })
    }
}

/// The reply of `GetUserAuthFactors`.
#[derive(Clone, Copy, Debug)]
pub struct GetUserAuthFactorsReply<'r> {
    /// `Username`.
    pub username: JsonStr<'r>,
    /// `PreferredMfaSetting`.
    pub preferred_mfa_setting: Option<&'r str>,
    /// `UserMFASettingList`.
    pub user_mfa_setting_list: List<'r, &'r str>,
    /// `ConfiguredUserAuthFactors`: `PASSWORD`, `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`,
    /// `SOFTWARE_TOKEN`.
    pub configured_user_auth_factors: List<'r, &'r str>,
}

impl<'r> GetUserAuthFactorsReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(GetUserAuthFactorsReply {
            username: obj.require_str("Username")?,
            preferred_mfa_setting: plain(&obj, "PreferredMfaSetting")?,
            user_mfa_setting_list: List::read(&obj, "UserMFASettingList")?,
            configured_user_auth_factors: List::read(&obj, "ConfiguredUserAuthFactors")?,
        })
    }
}

/// An `UpdateUserAttributes` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct UpdateUserAttributes<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `UserAttributes` as (name, value) pairs.
    pub user_attributes: &'a [(&'a str, &'a str)],
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl UpdateUserAttributes<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token or an empty or over-long attribute name.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::attributes(self.user_attributes)?;
        body::write(Operation::UpdateUserAttributes, buf, |w| {
            body::attributes(w, "UserAttributes", self.user_attributes);
            w.field_str("AccessToken", self.access_token);
            w.field_string_map("ClientMetadata", self.client_metadata);
        })
    }
}

/// The reply of `UpdateUserAttributes`.
#[derive(Clone, Copy, Debug)]
pub struct UpdateUserAttributesReply<'r> {
    /// `CodeDeliveryDetailsList`: where codes to verify changed attributes went.
    pub code_delivery_details_list: List<'r, CodeDeliveryDetails<'r>>,
}

impl<'r> UpdateUserAttributesReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(UpdateUserAttributesReply {
            code_delivery_details_list: List::read(&obj, "CodeDeliveryDetailsList")?,
        })
    }
}

/// A `DeleteUserAttributes` request.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeleteUserAttributes<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `UserAttributeNames`.
    pub user_attribute_names: &'a [&'a str],
}

impl DeleteUserAttributes<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token or an empty or over-long attribute name.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        for name in self.user_attribute_names {
            validate::attribute_name(name)?;
        }
        body::write(Operation::DeleteUserAttributes, buf, |w| {
            w.begin_array_field("UserAttributeNames");
            for name in self.user_attribute_names {
                w.string(name);
            }
            w.end_array();
            w.field_str("AccessToken", self.access_token);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `GetUserAttributeVerificationCode` request. The reply is a [`super::CodeDeliveryReply`].
#[derive(Clone, Copy, Debug, Default)]
pub struct GetUserAttributeVerificationCode<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `AttributeName`: `email` or `phone_number`.
    pub attribute_name: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl GetUserAttributeVerificationCode<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token or an empty or over-long attribute name.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::attribute_name(self.attribute_name)?;
        body::write(Operation::GetUserAttributeVerificationCode, buf, |w| {
            w.field_str("AccessToken", self.access_token);
            w.field_str("AttributeName", self.attribute_name);
            w.field_string_map("ClientMetadata", self.client_metadata);
        })
    }
}

/// A `VerifyUserAttribute` request: the code sent by [`GetUserAttributeVerificationCode`].
#[derive(Clone, Copy, Debug, Default)]
pub struct VerifyUserAttribute<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `AttributeName`.
    pub attribute_name: &'a str,
    /// `Code`.
    pub code: &'a str,
}

impl VerifyUserAttribute<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty
    /// access token, attribute name or code.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        validate::attribute_name(self.attribute_name)?;
        validate::code(self.code, "code")?;
        body::write(Operation::VerifyUserAttribute, buf, |w| {
            w.field_str("AccessToken", self.access_token);
            w.field_str("AttributeName", self.attribute_name);
            w.field_str("Code", self.code);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `DeleteUser` request: deletes the signed-in user.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeleteUser<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl DeleteUser<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse::Empty`] for an
    /// empty access token.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::access_token(self.access_token)?;
        body::write(Operation::DeleteUser, buf, |w| {
            w.field_str("AccessToken", self.access_token);
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}
