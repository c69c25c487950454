//! Client-side checks that save a round trip: only what Cognito's API model itself enforces
//! (required values, length limits, the digits of a TOTP code), never stricter.

use crate::error::Misuse;

/// Longest user name (`UsernameType`, in characters).
pub(super) const MAX_USERNAME_CHARS: usize = 128;
/// Longest password (`PasswordType`, in characters).
pub(super) const MAX_PASSWORD_CHARS: usize = 256;
/// Longest confirmation or verification code (`ConfirmationCodeType`, in characters).
pub(super) const MAX_CODE_CHARS: usize = 2048;
/// Longest attribute name (`AttributeNameType`, in characters).
pub(super) const MAX_ATTRIBUTE_NAME_CHARS: usize = 32;
/// Longest attribute value (`AttributeValueType`, in characters).
pub(super) const MAX_ATTRIBUTE_VALUE_CHARS: usize = 2048;
/// Longest session (`SessionType`, in characters).
pub(super) const MAX_SESSION_CHARS: usize = 4096;

/// `value` must not be empty.
pub(super) fn required(value: &str, field: &'static str) -> Result<(), Misuse> {
    if value.is_empty() {
        Err(Misuse::Empty(field))
    } else {
        Ok(())
    }
}

/// `value` must have at most `max` characters. The model counts UTF-16 units, which are never
/// fewer than `char`s, so counting `char`s is never stricter than Cognito.
pub(super) fn max_chars(value: &str, field: &'static str, max: usize) -> Result<(), Misuse> {
    // A string of at most `max` bytes has at most `max` characters: skip the count.
    if value.len() > max && value.chars().count() > max {
        Err(Misuse::TooLong { field, max })
    } else {
        Ok(())
    }
}

/// Non-empty and at most `max` characters.
pub(super) fn bounded(value: &str, field: &'static str, max: usize) -> Result<(), Misuse> {
    required(value, field)?;
    max_chars(value, field, max)
}

/// A user name: non-empty, at most 128 characters.
pub(super) fn username(value: &str) -> Result<(), Misuse> {
    bounded(value, "username", MAX_USERNAME_CHARS)
}

/// An access token: non-empty.
pub(super) fn access_token(value: &str) -> Result<(), Misuse> {
    required(value, "access_token")
}

/// A password: non-empty, at most 256 characters.
pub(super) fn password(value: &str, field: &'static str) -> Result<(), Misuse> {
    bounded(value, field, MAX_PASSWORD_CHARS)
}

/// A confirmation or verification code: non-empty, at most 2048 characters (the model does not
/// require digits: custom senders may use other codes).
pub(super) fn code(value: &str, field: &'static str) -> Result<(), Misuse> {
    bounded(value, field, MAX_CODE_CHARS)
}

/// A session: non-empty, at most 4096 characters.
pub(super) fn session(value: &str) -> Result<(), Misuse> {
    bounded(value, "session", MAX_SESSION_CHARS)
}

/// An attribute name: non-empty, at most 32 characters.
pub(super) fn attribute_name(value: &str) -> Result<(), Misuse> {
    bounded(value, "attribute_name", MAX_ATTRIBUTE_NAME_CHARS)
}

/// Name/value pairs: valid names, values of at most 2048 characters.
pub(super) fn attributes(list: &[(&str, &str)]) -> Result<(), Misuse> {
    list.iter().try_for_each(|(name, value)| {
        attribute_name(name)?;
        max_chars(value, "attribute_value", MAX_ATTRIBUTE_VALUE_CHARS)
    })
}

/// A TOTP code (`SoftwareTokenMFAUserCodeType`): exactly six ASCII digits.
pub(super) fn totp_code(value: &str) -> Result<(), Misuse> {
    required(value, "user_code")?;
    if value.len() == 6 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Misuse::Invalid("user_code (six digits)"))
    }
}

/// An optional page size must not exceed `max`.
pub(super) fn limit(value: Option<u8>, field: &'static str, max: u8) -> Result<(), Misuse> {
    match value {
        Some(n) if n > max => Err(Misuse::Invalid(field)),
        _ => Ok(()),
    }
}
