//! Where Cognito sent a code (`CodeDeliveryDetailsType`), shared by several replies.

use super::body::plain;
use super::list::{ListItem, object};
use crate::error::{Error, ProtocolError};
use crate::wire::{HttpResponse, JsonObject, JsonStr, JsonValue, read_response};

/// Where a confirmation or verification code went.
#[derive(Clone, Copy, Debug)]
pub struct CodeDeliveryDetails<'r> {
    /// `Destination`, masked (for example `a***@e***`).
    pub destination: Option<JsonStr<'r>>,
    /// `DeliveryMedium`: `SMS` or `EMAIL`.
    pub delivery_medium: Option<&'r str>,
    /// `AttributeName`: the attribute the code verifies (`email`, `phone_number`).
    pub attribute_name: Option<JsonStr<'r>>,
}

impl<'r> CodeDeliveryDetails<'r> {
    /// Reads a `CodeDeliveryDetailsType` object.
    pub(super) fn from_object(obj: &JsonObject<'r>) -> Result<Self, ProtocolError> {
        Ok(CodeDeliveryDetails {
            destination: obj.get_str("Destination")?,
            delivery_medium: plain(obj, "DeliveryMedium")?,
            attribute_name: obj.get_str("AttributeName")?,
        })
    }

    /// Reads the optional member `CodeDeliveryDetails` of `obj`.
    pub(super) fn member(obj: &JsonObject<'r>) -> Result<Option<Self>, ProtocolError> {
        obj.get_object("CodeDeliveryDetails")?
            .map(|o| Self::from_object(&o))
            .transpose()
    }
}

impl<'r> ListItem<'r> for CodeDeliveryDetails<'r> {
    fn from_value(value: JsonValue<'r>, field: &'static str) -> Result<Self, ProtocolError> {
        Self::from_object(&object(value, field)?)
    }
}

/// The reply of `ResendConfirmationCode`, `ForgotPassword` and
/// `GetUserAttributeVerificationCode`: where the code went.
#[derive(Clone, Copy, Debug)]
pub struct CodeDeliveryReply<'r> {
    /// `CodeDeliveryDetails`.
    pub code_delivery_details: Option<CodeDeliveryDetails<'r>>,
}

impl<'r> CodeDeliveryReply<'r> {
    /// Reads the reply; Cognito's errors become [`Error::Service`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        Ok(CodeDeliveryReply {
            code_delivery_details: CodeDeliveryDetails::member(&obj)?,
        })
    }
}
