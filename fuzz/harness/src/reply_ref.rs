//! The reference reply reader: `read_response` and the typed member accessors rewritten over
//! [`RefObject`] from the rules in `DESIGN.md` §3 and the core's documentation, and a checker
//! that compares what the core returned with what the reference expects.

use cognito_core::wire::{ErrorKind, HttpResponse, MAX_ERROR_MESSAGE_LEN, MAX_ERROR_NAME_LEN};
use cognito_core::{Error, ProtocolError};

use crate::json_ref::{RefObject, RefStr, RefValue};

/// Deepest nesting the core reads (`cognito_core::wire::MAX_DEPTH`).
pub use cognito_core::wire::MAX_DEPTH;

/// What the reference expects of a reply.
#[derive(Clone, Debug, PartialEq)]
pub enum RefError {
    /// Cognito's error, untruncated: the status, the exception name and the message.
    Service {
        /// HTTP status.
        status: u16,
        /// Exception name (after `error_type_name`).
        name: String,
        /// Message, decoded.
        message: String,
    },
    /// The peer's fault.
    Protocol(ProtocolError),
    /// Input whose reading the core's documentation leaves open (accepted or refused): not
    /// compared.
    Lenient,
}

impl From<ProtocolError> for RefError {
    fn from(e: ProtocolError) -> Self {
        RefError::Protocol(e)
    }
}

/// A reply as the reference reads it, through `T`.
pub type RefResult<T> = Result<T, RefError>;

/// Parses `body` as the core would: `MalformedJson` for invalid JSON or nesting deeper than
/// [`MAX_DEPTH`], `NotAnObject("body")` for a valid document that is not an object.
pub fn parse_object(body: &[u8]) -> Result<RefObject, ProtocolError> {
    match RefValue::parse(body) {
        None => Err(ProtocolError::MalformedJson),
        Some(v) if v.depth() > MAX_DEPTH => Err(ProtocolError::MalformedJson),
        Some(RefValue::Object(obj)) => Ok(obj),
        Some(_) => Err(ProtocolError::NotAnObject("body")),
    }
}

/// `read_response`, from its documentation and DESIGN.md §3.
pub fn read_response(response: &HttpResponse<'_>) -> RefResult<RefObject> {
    let status = response.status;
    match status {
        200..=299 => {
            let obj = if response
                .body
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            {
                RefObject {
                    members: Vec::new(),
                    raw: "{}".to_owned(),
                }
            } else {
                parse_object(response.body)?
            };
            if matches!(obj.present("__type"), Some(RefValue::String(_))) {
                return Err(service_error(response, Some(&obj)));
            }
            Ok(obj)
        }
        400..=599 => Err(service_error(
            response,
            parse_object(response.body).ok().as_ref(),
        )),
        _ => Err(RefError::Protocol(ProtocolError::UnexpectedStatus(status))),
    }
}

/// The error of a response: named by the `x-amzn-ErrorType` header (trimmed, when not empty),
/// else the body's string `code`, else its string `__type`; the message is the body's string
/// `message`, else `Message`.
fn service_error(response: &HttpResponse<'_>, body: Option<&RefObject>) -> RefError {
    let first_str = |keys: &[&str]| -> Option<RefStr> {
        let body = body?;
        keys.iter().find_map(|k| match body.present(k) {
            Some(RefValue::String(s)) => Some(s.clone()),
            _ => None,
        })
    };
    let header = response.error_type.map(str::trim).filter(|h| !h.is_empty());
    let raw_name = match header {
        Some(h) => h.to_owned(),
        // An escaped name is decoded as far as 256 bytes hold whole characters.
        None => match first_str(&["code", "__type"]) {
            None => String::new(),
            Some(s) if s.plain().is_some() => s.text,
            Some(s) => fit(&s.text, 256).0,
        },
    };
    RefError::Service {
        status: response.status,
        name: error_type_name(&raw_name).to_owned(),
        message: first_str(&["message", "Message"])
            .map(|s| s.text)
            .unwrap_or_default(),
    }
}

/// What precedes the first `:`, then what follows the last `#`, trimmed.
pub fn error_type_name(raw: &str) -> &str {
    let head = match raw.find(':') {
        Some(i) => &raw[..i],
        None => raw,
    };
    let tail = match head.rfind('#') {
        Some(i) => &head[i + 1..],
        None => head,
    };
    tail.trim()
}

/// The longest prefix of `text` made of whole characters within `max` bytes, and whether
/// anything was cut.
pub fn fit(text: &str, max: usize) -> (String, bool) {
    let mut out = String::new();
    for c in text.chars() {
        if out.len() + c.len_utf8() > max {
            return (out, true);
        }
        out.push(c);
    }
    (out, false)
}

/// A reply as both readers see it: the values the core returned, in one comparable shape.
#[derive(Clone, Debug, PartialEq)]
pub enum M {
    /// Absent.
    None,
    /// A boolean.
    Bool(bool),
    /// A decoded string.
    Str(String),
    /// A float, as bits.
    F64(u64),
    /// An integer.
    U64(u64),
    /// A list.
    List(Vec<M>),
    /// Named parts.
    Obj(Vec<(&'static str, M)>),
    /// A JSON value.
    Json(RefValue),
    /// (Reference side only.) Any of these: where the core's documentation leaves a choice.
    Either(Vec<M>),
}

/// Whether the core's view `ours` is one the reference's `theirs` allows.
pub fn agree(ours: &M, theirs: &M) -> bool {
    match (ours, theirs) {
        (_, M::Either(options)) => options.iter().any(|o| agree(ours, o)),
        (M::List(a), M::List(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| agree(a, b)),
        (M::Obj(a), M::Obj(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && agree(a, b))
        }
        _ => ours == theirs,
    }
}

/// Checks a core result against the reference's: the same error, or values whose views agree.
pub fn check<T>(ours: &Result<T, Error>, theirs: &RefResult<M>, view: impl Fn(&T) -> M) {
    match (ours, theirs) {
        (Ok(value), Ok(expected)) => {
            let got = view(value);
            assert!(
                agree(&got, expected),
                "the core and the reference read different values:\n core {got:?}\n  ref {expected:?}"
            );
        }
        (
            Err(Error::Service(e)),
            Err(RefError::Service {
                status,
                name,
                message,
            }),
        ) => {
            check_service_error(e, *status, name, message);
        }
        (_, Err(RefError::Lenient)) => {}
        (Err(Error::Protocol(ours)), Err(RefError::Protocol(theirs))) => {
            assert_eq!(ours, theirs, "different protocol errors");
        }
        (Ok(value), Err(e)) => {
            panic!(
                "the core accepted ({:?}), the reference says {e:?}",
                view(value)
            )
        }
        (Err(e), Ok(expected)) => {
            panic!("the core says {e:?}, the reference read {expected:?}")
        }
        (Err(ours), Err(theirs)) => panic!("the core says {ours:?}, the reference {theirs:?}"),
    }
}

/// A `ServiceError` against the reference's untruncated name and message.
pub fn check_service_error(
    e: &cognito_core::wire::ServiceError,
    status: u16,
    name: &str,
    message: &str,
) {
    assert_eq!(e.status(), status);
    assert_eq!(e.name(), fit(name, MAX_ERROR_NAME_LEN).0, "exception name");
    let (kept, cut) = fit(message, MAX_ERROR_MESSAGE_LEN);
    assert_eq!(e.message(), kept, "message");
    assert_eq!(e.message_truncated(), cut);
    let kind = e.kind();
    match kind.name() {
        Some(known) => assert_eq!(known, name, "kind of {name:?}"),
        None => assert!(
            ErrorKind::ALL.iter().all(|k| k.name() != Some(name)),
            "{name:?} is known, but read as Unknown"
        ),
    }
    assert_eq!(
        e.is_retryable(),
        kind.is_retryable() || status == 429 || status >= 500
    );
    let shown = format!("{e}");
    assert!(shown.contains(e.name()) || e.name().is_empty());
}

// --- Typed accessors, as documented on `JsonObject` ----------------------------------------

/// `get_str`: `None` when absent or `null`, `InvalidField` for another type.
pub fn get_str<'o>(
    obj: &'o RefObject,
    key: &'static str,
) -> Result<Option<&'o RefStr>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::String(s)) => Ok(Some(s)),
        Some(_) => Err(ProtocolError::InvalidField(key)),
    }
}

/// `require_str`: `MissingField` when absent or `null`.
pub fn require_str<'o>(obj: &'o RefObject, key: &'static str) -> Result<&'o RefStr, ProtocolError> {
    get_str(obj, key)?.ok_or(ProtocolError::MissingField(key))
}

/// A string member without escapes: `InvalidField` when it has escapes or another type.
pub fn plain(obj: &RefObject, key: &'static str) -> Result<Option<String>, ProtocolError> {
    get_str(obj, key)?
        .map(|s| {
            s.plain()
                .map(str::to_owned)
                .ok_or(ProtocolError::InvalidField(key))
        })
        .transpose()
}

/// [`plain`], `MissingField` when absent.
pub fn require_plain(obj: &RefObject, key: &'static str) -> Result<String, ProtocolError> {
    plain(obj, key)?.ok_or(ProtocolError::MissingField(key))
}

/// `get_object`: `NotAnObject` for another type.
pub fn get_object<'o>(
    obj: &'o RefObject,
    key: &'static str,
) -> Result<Option<&'o RefObject>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Object(o)) => Ok(Some(o)),
        Some(_) => Err(ProtocolError::NotAnObject(key)),
    }
}

/// `require_object`.
pub fn require_object<'o>(
    obj: &'o RefObject,
    key: &'static str,
) -> Result<&'o RefObject, ProtocolError> {
    get_object(obj, key)?.ok_or(ProtocolError::MissingField(key))
}

/// `get_array`: `InvalidField` for another type.
pub fn get_array<'o>(
    obj: &'o RefObject,
    key: &'static str,
) -> Result<Option<&'o [RefValue]>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Array(a)) => Ok(Some(a)),
        Some(_) => Err(ProtocolError::InvalidField(key)),
    }
}

/// `get_bool`.
pub fn get_bool(obj: &RefObject, key: &'static str) -> Result<Option<bool>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ProtocolError::InvalidField(key)),
    }
}

/// `get_f64` as bits (any JSON number reads; std's parser is the reference).
pub fn get_f64(obj: &RefObject, key: &'static str) -> Result<Option<u64>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Number(n)) => {
            let value: f64 = n.parse().map_err(|_| ProtocolError::InvalidField(key))?;
            Ok(Some(value.to_bits()))
        }
        Some(_) => Err(ProtocolError::InvalidField(key)),
    }
}

/// `get_u64`: digits only (no sign, fraction or exponent), at most `u64::MAX`.
pub fn get_u64(obj: &RefObject, key: &'static str) -> Result<Option<u64>, ProtocolError> {
    match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Number(n)) if n.bytes().all(|b| b.is_ascii_digit()) => n
            .parse::<u64>()
            .map(Some)
            .map_err(|_| ProtocolError::InvalidField(key)),
        Some(_) => Err(ProtocolError::InvalidField(key)),
    }
}

/// A reply list: an array member (absent or `null`: empty; another type: `InvalidField(key)`),
/// every element read by `item` (the first error wins).
pub fn list<M>(
    obj: &RefObject,
    key: &'static str,
    item: impl Fn(&RefValue, &'static str) -> Result<M, ProtocolError>,
) -> Result<Vec<M>, ProtocolError> {
    get_array(obj, key)?
        .unwrap_or_default()
        .iter()
        .map(|v| item(v, key))
        .collect()
}

/// A list element that must be an object (`InvalidField(field)` otherwise).
pub fn object_item<'v>(
    value: &'v RefValue,
    field: &'static str,
) -> Result<&'v RefObject, ProtocolError> {
    match value {
        RefValue::Object(o) => Ok(o),
        _ => Err(ProtocolError::InvalidField(field)),
    }
}

/// A list element that must be a string without escapes.
pub fn plain_item(value: &RefValue, field: &'static str) -> Result<String, ProtocolError> {
    value
        .as_str()
        .and_then(RefStr::plain)
        .map(str::to_owned)
        .ok_or(ProtocolError::InvalidField(field))
}
