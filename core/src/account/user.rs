//! The signed-in user: `GetUser`, `GetUserAuthFactors`, attributes and their verification,
//! `DeleteUser`.

use super::attribute::Attribute;
use super::body::{self, plain};
use super::delivery::{CodeDeliveryDetails, CodeDeliveryReply};
use super::list::{List, ListItem, object};
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse, ProtocolError};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{HttpResponse, JsonStr, JsonValue, JsonWriter, Operation, Resend, read_response};

/// A `GetUser` request.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::{GetUser, GetUserReply};
/// use cognito_core::wire::HttpResponse;
/// let config = cognito_core::auth::ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut buf = [0u8; 64];
/// let request = GetUser { access_token: "eyJ.a.b" }.write_request(&config, &mut buf)?;
/// assert_eq!(request.body, br#"{"AccessToken":"eyJ.a.b"}"#);
/// let reply = br#"{"Username":"alice","UserAttributes":[{"Name":"email","Value":"a@example.com"}]}"#;
/// let user = GetUserReply::read(&HttpResponse::new(200, reply))?;
/// assert!(user.user_attributes.value_of("email").unwrap().eq_str("a@example.com"));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Default)]
pub struct GetUser<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl Call for GetUser<'_> {
    const OPERATION: Operation = Operation::GetUser;
    const RESEND: Resend = Resend::AfterAnyFailure;
    type Reply<'r> = GetUserReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetUserReply<'r>, Error> {
        GetUserReply::read(response)
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
#[derive(Clone, Copy, Default)]
pub struct GetUserAuthFactors<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl Call for GetUserAuthFactors<'_> {
    const OPERATION: Operation = Operation::GetUserAuthFactors;
    const RESEND: Resend = Resend::AfterAnyFailure;
    type Reply<'r> = GetUserAuthFactorsReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<GetUserAuthFactorsReply<'r>, Error> {
        GetUserAuthFactorsReply::read(response)
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
#[derive(Clone, Copy, Default)]
pub struct UpdateUserAttributes<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `UserAttributes` as (name, value) pairs.
    pub user_attributes: &'a [(&'a str, &'a str)],
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl Call for UpdateUserAttributes<'_> {
    const OPERATION: Operation = Operation::UpdateUserAttributes;
    type Reply<'r> = UpdateUserAttributesReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::attributes(self.user_attributes)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        body::attributes(w, "UserAttributes", self.user_attributes);
        w.field_str("AccessToken", self.access_token);
        w.field_string_map("ClientMetadata", self.client_metadata);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<UpdateUserAttributesReply<'r>, Error> {
        UpdateUserAttributesReply::read(response)
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
#[derive(Clone, Copy, Default)]
pub struct DeleteUserAttributes<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `UserAttributeNames`.
    pub user_attribute_names: &'a [&'a str],
}

impl Call for DeleteUserAttributes<'_> {
    const OPERATION: Operation = Operation::DeleteUserAttributes;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        for name in self.user_attribute_names {
            validate::attribute_name(name)?;
        }
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.begin_array_field("UserAttributeNames");
        for name in self.user_attribute_names {
            w.string(name);
        }
        w.end_array();
        w.field_str("AccessToken", self.access_token);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `GetUserAttributeVerificationCode` request. The reply is a [`super::CodeDeliveryReply`].
#[derive(Clone, Copy, Default)]
pub struct GetUserAttributeVerificationCode<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `AttributeName`: `email` or `phone_number`.
    pub attribute_name: &'a str,
    /// `ClientMetadata` for Lambda triggers.
    pub client_metadata: &'a [(&'a str, &'a str)],
}

impl Call for GetUserAttributeVerificationCode<'_> {
    const OPERATION: Operation = Operation::GetUserAttributeVerificationCode;
    type Reply<'r> = CodeDeliveryReply<'r>;

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::attribute_name(self.attribute_name)?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_str("AttributeName", self.attribute_name);
        w.field_string_map("ClientMetadata", self.client_metadata);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<CodeDeliveryReply<'r>, Error> {
        CodeDeliveryReply::read(response)
    }
}

/// A `VerifyUserAttribute` request: the code sent by [`GetUserAttributeVerificationCode`].
#[derive(Clone, Copy, Default)]
pub struct VerifyUserAttribute<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
    /// `AttributeName`.
    pub attribute_name: &'a str,
    /// `Code`.
    pub code: &'a str,
}

impl Call for VerifyUserAttribute<'_> {
    const OPERATION: Operation = Operation::VerifyUserAttribute;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::access_token(self.access_token)?;
        validate::attribute_name(self.attribute_name)?;
        validate::code(self.code, "code")?;
        Ok(())
    }

    fn write_members(&self, _config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("AccessToken", self.access_token);
        w.field_str("AttributeName", self.attribute_name);
        w.field_str("Code", self.code);
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

/// A `DeleteUser` request: deletes the signed-in user.
#[derive(Clone, Copy, Default)]
pub struct DeleteUser<'a> {
    /// `AccessToken`.
    pub access_token: &'a str,
}

impl Call for DeleteUser<'_> {
    const OPERATION: Operation = Operation::DeleteUser;
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

debug_fields!(GetUser { access_token: hide });

debug_fields!(GetUserAuthFactors { access_token: hide });

debug_fields!(UpdateUserAttributes {
    access_token: hide,
    user_attributes: show,
    client_metadata: names,
});

debug_fields!(DeleteUserAttributes {
    access_token: hide,
    user_attribute_names: show,
});

debug_fields!(GetUserAttributeVerificationCode {
    access_token: hide,
    attribute_name: show,
    client_metadata: names,
});

debug_fields!(VerifyUserAttribute {
    access_token: hide,
    attribute_name: show,
    code: hide,
});

debug_fields!(DeleteUser { access_token: hide });
