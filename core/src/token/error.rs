//! What can be wrong with a token handed to this module.

use core::fmt;

use crate::error::BufferTooSmall;

/// A token (or a value kept with it) that cannot be read or stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TokenError {
    /// Not three `.`-separated parts of base64url characters, or an empty header or payload.
    Malformed,
    /// A part is not valid (canonical) base64url.
    InvalidBase64,
    /// The decoded payload is not valid JSON (UTF-8, grammar, nesting depth).
    InvalidJson,
    /// The decoded payload is valid JSON but not an object.
    NotAnObject,
    /// The named claim is present but has the wrong JSON type or an invalid value.
    InvalidClaim(&'static str),
    /// The output buffer is too small; nothing was written.
    BufferTooSmall(BufferTooSmall),
    /// A value is longer than the fixed capacity kept for it.
    TooLong {
        /// The value concerned (`"AccessToken"`, `"DeviceKey"`, …).
        field: &'static str,
        /// The largest accepted length, in bytes.
        max: usize,
    },
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Malformed => f.write_str("token is not header.payload.signature"),
            TokenError::InvalidBase64 => f.write_str("token part is not valid base64url"),
            TokenError::InvalidJson => f.write_str("token payload is not valid JSON"),
            TokenError::NotAnObject => f.write_str("token payload is not a JSON object"),
            TokenError::InvalidClaim(name) => write!(f, "invalid claim {name}"),
            TokenError::BufferTooSmall(e) => fmt::Display::fmt(e, f),
            TokenError::TooLong { field, max } => write!(f, "{field} longer than {max} bytes"),
        }
    }
}

impl core::error::Error for TokenError {}

impl From<BufferTooSmall> for TokenError {
    fn from(e: BufferTooSmall) -> Self {
        TokenError::BufferTooSmall(e)
    }
}
