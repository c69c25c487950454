//! The JSON-1.1 wire layer: replies, service errors and strict member access.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde_json::{Map, Value};

/// The required `Content-Type` of every request.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The prefix of every `X-Amz-Target`.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

/// One HTTP reply of the emulator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status: 200 on success, 400 for every error the emulator produces.
    pub status: u16,
    /// The `x-amzn-ErrorType` header, e.g. `Some("NotAuthorizedException:")`; `None` on success.
    pub error_type: Option<String>,
    /// The JSON body: the operation's output, or `{"__type": ..., "message": ...}`.
    pub body: Vec<u8>,
}

impl Reply {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed as JSON (`Value::Null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The error's short name, from the `x-amzn-ErrorType` header (before the first `:`), e.g.
    /// `NotAuthorizedException`; `None` on success.
    pub fn error_name(&self) -> Option<&str> {
        let header = self.error_type.as_deref()?;
        header.split(':').next()
    }

    /// The error message from the body (`message` or `Message`), if any.
    pub fn message(&self) -> Option<String> {
        let body = self.json();
        body.get("message")
            .or_else(|| body.get("Message"))
            .and_then(Value::as_str)
            .map(ToOwned::to_owned)
    }

    pub(crate) fn ok(body: &Value) -> Self {
        Self {
            status: 200,
            error_type: None,
            body: serde_json::to_vec(body).unwrap_or_default(),
        }
    }
}

/// An error the service answers with: an exception name and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ServiceError {
    kind: &'static str,
    message: String,
    /// Protocol-level errors carry a namespaced `__type` and a capitalised `Message`, like the
    /// real front end; service errors use the bare name and `message`.
    protocol: bool,
}

/// What a handler returns.
pub(crate) type Outcome = Result<Value, ServiceError>;

impl ServiceError {
    /// A service error named `kind` (bare `__type`, lower-case `message`).
    pub(crate) fn service(kind: &'static str, message: impl Into<String>) -> Self {
        Self {
            kind,
            message: message.into(),
            protocol: false,
        }
    }

    pub(crate) fn not_authorized(message: impl Into<String>) -> Self {
        Self::service("NotAuthorizedException", message)
    }

    pub(crate) fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::service("InvalidParameterException", message)
    }

    pub(crate) fn resource_not_found(message: impl Into<String>) -> Self {
        Self::service("ResourceNotFoundException", message)
    }

    pub(crate) fn user_not_found() -> Self {
        Self::service("UserNotFoundException", "User does not exist.")
    }

    pub(crate) fn device_not_found() -> Self {
        Self::resource_not_found("Device does not exist.")
    }

    pub(crate) fn incorrect_password() -> Self {
        Self::not_authorized("Incorrect username or password.")
    }

    pub(crate) fn code_mismatch() -> Self {
        Self::service(
            "CodeMismatchException",
            "Invalid code or auth state for the user.",
        )
    }

    pub(crate) fn expired_code() -> Self {
        Self::service(
            "ExpiredCodeException",
            "Invalid code provided, please request a code again.",
        )
    }

    pub(crate) fn invalid_password(message: impl Into<String>) -> Self {
        Self::service("InvalidPasswordException", message)
    }

    pub(crate) fn user_not_confirmed() -> Self {
        Self::service("UserNotConfirmedException", "User is not confirmed.")
    }

    pub(crate) fn enable_software_token_mfa() -> Self {
        Self::service(
            "EnableSoftwareTokenMFAException",
            "Code mismatch and fail enable Software Token MFA",
        )
    }

    pub(crate) fn serialization(message: impl Into<String>) -> Self {
        Self {
            kind: "SerializationException",
            message: message.into(),
            protocol: true,
        }
    }

    pub(crate) fn unknown_operation(message: impl Into<String>) -> Self {
        Self {
            kind: "UnknownOperationException",
            message: message.into(),
            protocol: true,
        }
    }

    pub(crate) fn into_reply(self) -> Reply {
        let body = if self.protocol {
            serde_json::json!({
                "__type": format!("com.amazon.coral.service#{}", self.kind),
                "Message": self.message,
            })
        } else {
            serde_json::json!({ "__type": self.kind, "message": self.message })
        };
        Reply {
            status: 400,
            error_type: Some(format!("{}:", self.kind)),
            body: serde_json::to_vec(&body).unwrap_or_default(),
        }
    }
}

/// The JSON object of a request or of one of its map members.
pub(crate) type Object = Map<String, Value>;

/// A string member that may be absent (or `null`); any other JSON type is a serialization error.
pub(crate) fn opt_str<'a>(object: &'a Object, name: &str) -> Result<Option<&'a str>, ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected string for member {name}"
        ))),
    }
}

/// A required top-level string member (missing: a validation error like the real service's).
pub(crate) fn req_str<'a>(object: &'a Object, name: &str) -> Result<&'a str, ServiceError> {
    opt_str(object, name)?.ok_or_else(|| {
        ServiceError::invalid_parameter(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_camel(name)
        ))
    })
}

/// A required parameter inside `AuthParameters`/`ChallengeResponses`.
pub(crate) fn req_param<'a>(params: &'a Object, name: &str) -> Result<&'a str, ServiceError> {
    opt_str(params, name)?.ok_or_else(|| {
        ServiceError::invalid_parameter(format!("Missing required parameter {name}"))
    })
}

/// A map member whose values must all be strings (`AuthParameters`, `ChallengeResponses`,
/// `ClientMetadata`); absent or `null` gives an empty map.
pub(crate) fn string_map(object: &Object, name: &str) -> Result<Object, ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(Object::new()),
        Some(Value::Object(map)) => {
            if map.values().all(Value::is_string) {
                Ok(map.clone())
            } else {
                Err(ServiceError::serialization(format!(
                    "Expected map of strings for member {name}"
                )))
            }
        }
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected map or null for member {name}"
        ))),
    }
}

/// A boolean member that may be absent (or `null`); any other JSON type is a serialization error.
pub(crate) fn opt_bool(object: &Object, name: &str) -> Result<Option<bool>, ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected boolean for member {name}"
        ))),
    }
}

/// A non-negative integer member that may be absent (or `null`); any other JSON value is a
/// serialization error.
pub(crate) fn opt_u64(object: &Object, name: &str) -> Result<Option<u64>, ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_u64().map(Some).ok_or_else(|| {
            ServiceError::invalid_parameter(format!(
                "1 validation error detected: Value at '{}' failed to satisfy constraint: Member must have value greater than or equal to 0",
                lower_camel(name)
            ))
        }),
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected number for member {name}"
        ))),
    }
}

/// An array member that may be absent (or `null`: empty).
pub(crate) fn opt_array<'a>(object: &'a Object, name: &str) -> Result<&'a [Value], ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected list or null for member {name}"
        ))),
    }
}

/// An array of strings member that may be absent (empty).
pub(crate) fn string_list(object: &Object, name: &str) -> Result<Vec<String>, ServiceError> {
    opt_array(object, name)?
        .iter()
        .map(|item| {
            item.as_str().map(ToOwned::to_owned).ok_or_else(|| {
                ServiceError::serialization(format!("Expected list of strings for member {name}"))
            })
        })
        .collect()
}

/// An `AttributeType` list (`[{Name, Value}]`) that may be absent; `Value` may be left out
/// (empty). Wrong JSON types are serialization errors.
pub(crate) fn attribute_list(
    object: &Object,
    name: &str,
) -> Result<Vec<(String, String)>, ServiceError> {
    opt_array(object, name)?
        .iter()
        .map(|item| {
            let Value::Object(entry) = item else {
                return Err(ServiceError::serialization(format!(
                    "Expected list of AttributeType for member {name}"
                )));
            };
            let attribute = req_str(entry, "Name")?;
            let value = opt_str(entry, "Value")?.unwrap_or_default();
            Ok((attribute.to_owned(), value.to_owned()))
        })
        .collect()
}

/// An object member that may be absent.
pub(crate) fn opt_object<'a>(
    object: &'a Object,
    name: &str,
) -> Result<Option<&'a Object>, ServiceError> {
    match object.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(ServiceError::serialization(format!(
            "Expected map or null for member {name}"
        ))),
    }
}

fn lower_camel(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => name.to_string(),
    }
}
