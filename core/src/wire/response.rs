//! Turning an HTTP response of the Cognito JSON API into a JSON object or a [`ServiceError`].

use core::fmt;

use super::json::{JsonObject, JsonStr, parse_object};
use super::service_error::ServiceError;
use crate::error::{Error, ProtocolError};

/// The parts of an HTTP response the core needs. `Debug` shows the body's length, not the body
/// (it may carry tokens, a `Session` or a TOTP secret).
#[derive(Clone, Copy)]
pub struct HttpResponse<'a> {
    /// The HTTP status code.
    pub status: u16,
    /// The `x-amzn-ErrorType` header, when the transport has it.
    pub error_type: Option<&'a str>,
    /// The response body.
    pub body: &'a [u8],
}

impl<'a> HttpResponse<'a> {
    /// A response with `status` and `body` and no `x-amzn-ErrorType` header.
    #[must_use]
    pub const fn new(status: u16, body: &'a [u8]) -> Self {
        HttpResponse {
            status,
            error_type: None,
            body,
        }
    }

    /// The same response with the `x-amzn-ErrorType` header value (`"…"`, `Some("…")` or `None`).
    #[must_use]
    pub fn with_error_type(self, error_type: impl Into<Option<&'a str>>) -> Self {
        HttpResponse {
            error_type: error_type.into(),
            ..self
        }
    }
}

impl fmt::Debug for HttpResponse<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let HttpResponse {
            status,
            error_type,
            body,
        } = self;
        f.debug_struct("HttpResponse")
            .field("status", status)
            .field("error_type", error_type)
            .field("body_len", &body.len())
            .finish()
    }
}

/// Reads a response: the body object of a success, or the error Cognito reported.
///
/// * 2xx: the body must be a JSON object (an empty body counts as `{}`); one with a string
///   member `__type` is an error despite the status and gives [`Error::Service`].
/// * 4xx and 5xx: [`Error::Service`], named by the `x-amzn-ErrorType` header, else the body's
///   `code`, else its `__type` (see [`error_type_name`]); the message is the body's `message` or
///   `Message`. A body that is not JSON still gives [`Error::Service`].
/// * Any other status: [`ProtocolError::UnexpectedStatus`].
// `Error` is large because `ServiceError` keeps the name and message inline (no heap); that
// size is the price of no_std without alloc, so the lint's 128-byte default does not fit here.
#[allow(clippy::result_large_err)]
pub fn read_response<'a>(resp: &HttpResponse<'a>) -> Result<JsonObject<'a>, Error> {
    match resp.status {
        200..=299 => {
            let body = if is_blank(resp.body) {
                JsonObject::EMPTY
            } else {
                parse_object(resp.body)?
            };
            match body.get_str("__type") {
                Ok(Some(_)) => Err(Error::Service(service_error(resp, Some(body)))),
                _ => Ok(body),
            }
        }
        400..=599 => Err(Error::Service(service_error(
            resp,
            parse_object(resp.body).ok(),
        ))),
        status => Err(Error::Protocol(ProtocolError::UnexpectedStatus(status))),
    }
}

/// The exception name inside an error type as Cognito writes it: what precedes the first `:`,
/// then what follows the last `#`, without surrounding whitespace.
///
/// `com.amazonaws.cognito#NotAuthorizedException:http://internal…` → `NotAuthorizedException`.
#[must_use]
pub fn error_type_name(raw: &str) -> &str {
    let before_colon = raw.split_once(':').map_or(raw, |(head, _)| head);
    let after_hash = before_colon
        .rsplit_once('#')
        .map_or(before_colon, |(_, tail)| tail);
    after_hash.trim()
}

/// Whether `body` is only JSON whitespace (space, tab, LF, CR): an empty reply.
pub(crate) fn is_blank(body: &[u8]) -> bool {
    body.iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
}

/// The first of `keys` that is a string member of `body`.
fn first_str<'a>(body: Option<JsonObject<'a>>, keys: &[&'static str]) -> Option<JsonStr<'a>> {
    let body = body?;
    keys.iter()
        .find_map(|&key| body.get_str(key).ok().flatten())
}

fn service_error(resp: &HttpResponse<'_>, body: Option<JsonObject<'_>>) -> ServiceError {
    let mut decoded = heapless::String::<256>::new();
    let header = resp.error_type.map(str::trim).filter(|h| !h.is_empty());
    let raw_name = match header {
        Some(header) => header,
        None => match first_str(body, &["code", "__type"]) {
            None => "",
            Some(name) => match name.as_plain() {
                Some(plain) => plain,
                None => {
                    // Escapes in an exception name are unheard of; decode what fits.
                    for c in name.chars() {
                        if decoded.push(c).is_err() {
                            break;
                        }
                    }
                    decoded.as_str()
                }
            },
        },
    };
    let message = first_str(body, &["message", "Message"]);
    ServiceError::from_chars(
        error_type_name(raw_name),
        message.into_iter().flat_map(|m| m.chars()),
        resp.status,
    )
}
