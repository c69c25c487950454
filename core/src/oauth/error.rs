//! The errors the pool domain reports: OAuth 2.0 `error` / `error_description`, from a JSON
//! reply body (RFC 6749 §5.2, RFC 6750 §3) or from the query of a redirect (§4.1.2.1).

use core::fmt;

use super::percent::Pairs;
use crate::error::{Error, ProtocolError};
use crate::wire::response::is_blank;
use crate::wire::{HttpResponse, JsonObject, JsonStr, parse_object};

/// The longest `error` code kept.
pub const MAX_OAUTH_ERROR_LEN: usize = 64;
/// The longest `error_description` kept (longer ones are cut at a character boundary).
pub const MAX_OAUTH_DESCRIPTION_LEN: usize = 256;

/// What an OAuth `error` code means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OAuthErrorKind {
    /// `invalid_request`: a parameter is missing, repeated or malformed.
    InvalidRequest,
    /// `invalid_client`: the client id or secret is wrong (or the client may not do this).
    InvalidClient,
    /// `invalid_grant`: the code or refresh token is invalid, expired, used, revoked, or was
    /// issued for another redirect URI or verifier.
    InvalidGrant,
    /// `unauthorized_client`: the app client may not use this grant.
    UnauthorizedClient,
    /// `unsupported_grant_type`.
    UnsupportedGrantType,
    /// `invalid_scope`: a scope is unknown or not allowed for the client.
    InvalidScope,
    /// `access_denied`: the user or the identity provider refused.
    AccessDenied,
    /// `unsupported_response_type`.
    UnsupportedResponseType,
    /// `server_error`.
    ServerError,
    /// `temporarily_unavailable`.
    TemporarilyUnavailable,
    /// `invalid_token` (RFC 6750): the bearer token is invalid, expired or revoked.
    InvalidToken,
    /// `insufficient_scope` (RFC 6750).
    InsufficientScope,
    /// `unsupported_token_type` (RFC 7009): revoking a token that is not a refresh token.
    UnsupportedTokenType,
    /// Another code, or none (a reply without an OAuth error body): see [`OAuthError::code`]
    /// and [`OAuthError::status`].
    Other,
}

impl OAuthErrorKind {
    fn of(code: &str) -> Self {
        match code {
            "invalid_request" => Self::InvalidRequest,
            "invalid_client" => Self::InvalidClient,
            "invalid_grant" => Self::InvalidGrant,
            "unauthorized_client" => Self::UnauthorizedClient,
            "unsupported_grant_type" => Self::UnsupportedGrantType,
            "invalid_scope" => Self::InvalidScope,
            "access_denied" => Self::AccessDenied,
            "unsupported_response_type" => Self::UnsupportedResponseType,
            "server_error" => Self::ServerError,
            "temporarily_unavailable" => Self::TemporarilyUnavailable,
            "invalid_token" => Self::InvalidToken,
            "insufficient_scope" => Self::InsufficientScope,
            "unsupported_token_type" => Self::UnsupportedTokenType,
            _ => Self::Other,
        }
    }
}

/// An error the pool domain reported. No heap: code and description are kept inline.
#[derive(Clone, PartialEq, Eq)]
pub struct OAuthError {
    code: heapless::String<MAX_OAUTH_ERROR_LEN>,
    description: heapless::String<MAX_OAUTH_DESCRIPTION_LEN>,
    status: Option<u16>,
}

impl OAuthError {
    /// What the code means.
    #[must_use]
    pub fn kind(&self) -> OAuthErrorKind {
        OAuthErrorKind::of(&self.code)
    }

    /// The `error` code as sent (empty when the reply had none).
    #[must_use]
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The `error_description` (empty when absent).
    #[must_use]
    pub fn description(&self) -> &str {
        &self.description
    }

    /// The HTTP status of the reply; `None` for an error carried by a redirect.
    #[must_use]
    pub fn status(&self) -> Option<u16> {
        self.status
    }

    /// Whether the same request may succeed later (`server_error`, `temporarily_unavailable`,
    /// or a 5xx / 429 status).
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind(),
            OAuthErrorKind::ServerError | OAuthErrorKind::TemporarilyUnavailable
        ) || self.status.is_some_and(|s| s == 429 || s >= 500)
    }

    /// The error of a non-2xx reply from `/oauth2/*`: its JSON `error` and `error_description`
    /// when the body has them (a body that is not JSON gives an error with no code).
    pub(crate) fn from_reply(response: &HttpResponse<'_>) -> Self {
        let mut error = OAuthError {
            code: heapless::String::new(),
            description: heapless::String::new(),
            status: Some(response.status),
        };
        if let Ok(body) = parse_object(response.body) {
            if let Ok(Some(code)) = body.get_str("error") {
                push_cut(&mut error.code, code.chars());
            }
            if let Ok(Some(text)) = body.get_str("error_description") {
                push_cut(&mut error.description, text.chars());
            }
        }
        error
    }

    /// The error a redirect's query carries, when it has an `error` parameter.
    pub(crate) fn from_query(query: &Pairs<'_>) -> Option<Self> {
        let code = query.unique("error").ok().flatten()?;
        let mut error = OAuthError {
            code: heapless::String::new(),
            description: heapless::String::new(),
            status: None,
        };
        push_cut(&mut error.code, decoded_chars(code.bytes()));
        if let Ok(Some(text)) = query.unique("error_description") {
            push_cut(&mut error.description, decoded_chars(text.bytes()));
        }
        Some(error)
    }
}

/// Pushes characters until `out` is full (a cut at a character boundary).
fn push_cut<const N: usize>(out: &mut heapless::String<N>, chars: impl Iterator<Item = char>) {
    for c in chars {
        if out.push(c).is_err() {
            break;
        }
    }
}

/// The characters of decoded query bytes: ASCII as itself, anything else as U+FFFD (an error
/// description is for people; a code is ASCII).
fn decoded_chars(bytes: impl Iterator<Item = Option<u8>>) -> impl Iterator<Item = char> {
    bytes
        .map_while(|b| b)
        .filter(|b| !(0x80..0xC0).contains(b))
        .map(|b| {
            if b.is_ascii() && !b.is_ascii_control() {
                char::from(b)
            } else {
                '\u{FFFD}'
            }
        })
}

impl fmt::Display for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.code.is_empty(), self.status) {
            (true, Some(status)) => write!(f, "HTTP {status} without an OAuth error")?,
            (true, None) => f.write_str("an error without a code")?,
            (false, _) => f.write_str(&self.code)?,
        }
        if !self.description.is_empty() {
            write!(f, ": {}", self.description)?;
        }
        Ok(())
    }
}

impl fmt::Debug for OAuthError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthError")
            .field("code", &self.code.as_str())
            .field("description", &self.description.as_str())
            .field("status", &self.status)
            .finish()
    }
}

impl core::error::Error for OAuthError {}

impl From<OAuthError> for Error {
    fn from(e: OAuthError) -> Self {
        Error::OAuth(e)
    }
}

/// Reads a reply of the pool domain: the JSON object of a 2xx (an empty body counts as `{}`),
/// [`Error::OAuth`] for a 4xx or 5xx, [`ProtocolError::UnexpectedStatus`] for anything else (a
/// redirect is never followed).
pub(crate) fn read_oauth_reply<'r>(response: &HttpResponse<'r>) -> Result<JsonObject<'r>, Error> {
    match response.status {
        200..=299 if is_blank(response.body) => Ok(JsonObject::EMPTY),
        200..=299 => Ok(parse_object(response.body)?),
        400..=599 => Err(OAuthError::from_reply(response).into()),
        status => Err(ProtocolError::UnexpectedStatus(status).into()),
    }
}

/// A member that must be plain text (no JSON escapes: tokens are base64url).
pub(crate) fn plain<'r>(
    object: &JsonObject<'r>,
    key: &'static str,
) -> Result<Option<&'r str>, ProtocolError> {
    object
        .get_str(key)?
        .map(|s: JsonStr<'r>| s.as_plain().ok_or(ProtocolError::InvalidField(key)))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_json_errors() {
        let reply = HttpResponse::new(
            400,
            br#"{"error":"invalid_grant","error_description":"code \"used\""}"#,
        );
        let Err(Error::OAuth(e)) = read_oauth_reply(&reply) else {
            panic!()
        };
        assert_eq!(e.kind(), OAuthErrorKind::InvalidGrant);
        assert_eq!(e.description(), "code \"used\"");
        assert_eq!(e.status(), Some(400));
        assert!(!e.is_retryable());
        assert_eq!(e.to_string(), "invalid_grant: code \"used\"");
    }

    #[test]
    fn only_json_whitespace_is_an_empty_body() {
        let blank = HttpResponse::new(200, b" \t\r\n");
        assert!(read_oauth_reply(&blank).unwrap().is_empty());
        // A form feed is whitespace to `is_ascii_whitespace`, not to JSON (found by fuzzing).
        assert_eq!(
            read_oauth_reply(&HttpResponse::new(200, b"\x0c")).unwrap_err(),
            Error::Protocol(ProtocolError::MalformedJson)
        );
    }

    #[test]
    fn non_json_errors_keep_the_status() {
        let Err(Error::OAuth(e)) = read_oauth_reply(&HttpResponse::new(503, b"<html>")) else {
            panic!()
        };
        assert_eq!(e.kind(), OAuthErrorKind::Other);
        assert!(e.is_retryable());
        assert_eq!(
            read_oauth_reply(&HttpResponse::new(302, b"")).unwrap_err(),
            Error::Protocol(ProtocolError::UnexpectedStatus(302))
        );
    }

    #[test]
    fn long_descriptions_are_cut_at_a_character() {
        let body = format!(
            r#"{{"error":"invalid_scope","error_description":"{}"}}"#,
            "é".repeat(200)
        );
        let e = OAuthError::from_reply(&HttpResponse::new(400, body.as_bytes()));
        assert_eq!(e.description().chars().count(), 128);
        assert_eq!(e.kind(), OAuthErrorKind::InvalidScope);
    }

    #[test]
    fn reads_redirect_errors() {
        let query = Pairs::new("error=access_denied&error_description=User+cancelled%0A&state=x");
        let e = OAuthError::from_query(&query).unwrap();
        assert_eq!(e.kind(), OAuthErrorKind::AccessDenied);
        assert_eq!(e.description(), "User cancelled\u{FFFD}");
        assert_eq!(e.status(), None);
        assert!(OAuthError::from_query(&Pairs::new("code=1")).is_none());
    }
}
