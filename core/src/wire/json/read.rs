//! A zero-copy, allocation-free JSON reader.
//!
//! [`parse_object`] validates the whole document once (RFC 8259 grammar, UTF-8, escapes and
//! surrogate pairs, nesting at most [`MAX_DEPTH`] deep) without recursion and in linear time.
//! The returned [`JsonObject`] borrows the body; its accessors re-scan the validated text on
//! demand and decode strings lazily, so nothing is copied unless the caller asks for it.

use super::scan::{Cursor, Unescape};
use super::validate::validate;
use crate::error::{BufferTooSmall, ProtocolError};

/// The deepest nesting of arrays and objects [`parse_object`] accepts.
pub const MAX_DEPTH: usize = 64;

/// Validates `body` as one JSON document whose top-level value is an object.
///
/// Errors: [`ProtocolError::MalformedJson`] for anything that is not valid JSON (including
/// nesting deeper than [`MAX_DEPTH`]), [`ProtocolError::NotAnObject`]`("body")` for a valid
/// document whose value is not an object.
pub fn parse_object(body: &[u8]) -> Result<JsonObject<'_>, ProtocolError> {
    let text = core::str::from_utf8(body).map_err(|_| ProtocolError::MalformedJson)?;
    let value = validate(text)?;
    if value.starts_with('{') {
        Ok(JsonObject { text: value })
    } else {
        Err(ProtocolError::NotAnObject("body"))
    }
}

/// A JSON value borrowed from a validated document.
#[derive(Clone, Copy, Debug)]
pub enum JsonValue<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its JSON text (for example `"-1.5e3"`).
    Number(&'a str),
    /// A string.
    String(JsonStr<'a>),
    /// An array.
    Array(JsonArray<'a>),
    /// An object.
    Object(JsonObject<'a>),
}

impl<'a> JsonValue<'a> {
    /// The string, if this is one.
    #[must_use]
    pub fn as_str(&self) -> Option<JsonStr<'a>> {
        match *self {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The object, if this is one.
    #[must_use]
    pub fn as_object(&self) -> Option<JsonObject<'a>> {
        match *self {
            JsonValue::Object(o) => Some(o),
            _ => None,
        }
    }

    /// The array, if this is one.
    #[must_use]
    pub fn as_array(&self) -> Option<JsonArray<'a>> {
        match *self {
            JsonValue::Array(a) => Some(a),
            _ => None,
        }
    }

    /// The boolean, if this is one.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match *self {
            JsonValue::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// Whether this is `null`.
    #[must_use]
    pub fn is_null(&self) -> bool {
        matches!(self, JsonValue::Null)
    }
}

/// A JSON string: the raw text between the quotes, decoded on demand.
///
/// It may also be a string inside a string: an element of a JSON array that Cognito sends
/// encoded as a string (`"MFAS_CAN_CHOOSE": "[\"SMS_MFA\"]"`). Its raw text then carries two
/// levels of escapes, and decoding undoes both.
#[derive(Clone, Copy, Debug)]
pub struct JsonStr<'a> {
    raw: &'a str,
    escaped: bool,
    nested: bool,
}

impl<'a> JsonStr<'a> {
    pub(crate) fn new(raw: &'a str) -> Self {
        JsonStr {
            raw,
            escaped: raw.contains('\\'),
            nested: false,
        }
    }

    /// A string whose raw text is escaped twice (see [`super::StringList`]).
    pub(crate) fn nested(raw: &'a str) -> Self {
        JsonStr {
            nested: true,
            ..JsonStr::new(raw)
        }
    }

    /// The text between the quotes, escapes not decoded.
    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.raw
    }

    /// The decoded text when it contains no escape (so it equals [`raw`](Self::raw)).
    #[must_use]
    pub fn as_plain(&self) -> Option<&'a str> {
        if self.escaped { None } else { Some(self.raw) }
    }

    /// The same string without `prefix`, when its raw text starts with it (`prefix` must need no
    /// escaping, as a plain ASCII name does not).
    #[must_use]
    pub fn strip_prefix(&self, prefix: &str) -> Option<JsonStr<'a>> {
        let raw = self.raw.strip_prefix(prefix)?;
        Some(JsonStr {
            raw,
            escaped: raw.contains('\\'),
            nested: self.nested,
        })
    }

    /// The decoded characters.
    pub fn chars(&self) -> impl Iterator<Item = char> + 'a + use<'a> {
        if self.nested {
            Decoded::Twice(Unescape::over(Unescape::new(self.raw)))
        } else {
            Decoded::Once(Unescape::new(self.raw))
        }
    }

    /// Whether the decoded text equals `s`.
    #[must_use]
    pub fn eq_str(&self, s: &str) -> bool {
        if self.escaped {
            self.chars().eq(s.chars())
        } else {
            self.raw == s
        }
    }

    /// The length in bytes of the decoded text (UTF-8).
    #[must_use]
    pub fn decoded_len(&self) -> usize {
        if self.escaped {
            self.chars().map(char::len_utf8).sum()
        } else {
            self.raw.len()
        }
    }

    /// Decodes into `buf` and returns the decoded text. `buf` is untouched when too small.
    pub fn unescape_into<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, BufferTooSmall> {
        let required = self.decoded_len();
        let Some(out) = buf.get_mut(..required) else {
            return Err(BufferTooSmall { required });
        };
        let mut rest: &mut [u8] = out;
        for c in self.chars() {
            let (head, tail) = rest.split_at_mut(c.len_utf8().min(rest.len()));
            if head.len() == c.len_utf8() {
                c.encode_utf8(head);
            }
            rest = tail;
        }
        let out: &'b [u8] = buf.get(..required).unwrap_or_default();
        // Only whole characters were written, so this cannot fail.
        core::str::from_utf8(out).map_err(|_| BufferTooSmall { required })
    }

    /// The decoded text in a fixed-capacity string, or `None` when it does not fit in `N` bytes.
    #[must_use]
    pub fn to_fixed<const N: usize>(&self) -> Option<heapless::String<N>> {
        let mut out = heapless::String::new();
        for c in self.chars() {
            out.push(c).ok()?;
        }
        Some(out)
    }
}

impl core::fmt::Display for JsonStr<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        if !self.escaped {
            return f.write_str(self.raw);
        }
        self.chars()
            .try_for_each(|c| core::fmt::Write::write_char(f, c))
    }
}

/// The characters of a [`JsonStr`], decoded once or, for a string inside a string, twice.
enum Decoded<'a> {
    Once(Unescape<core::str::Chars<'a>>),
    Twice(Unescape<Unescape<core::str::Chars<'a>>>),
}

impl Iterator for Decoded<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        match self {
            Decoded::Once(chars) => chars.next(),
            Decoded::Twice(chars) => chars.next(),
        }
    }
}

/// A JSON object borrowed from a validated document.
#[derive(Clone, Copy, Debug)]
pub struct JsonObject<'a> {
    /// The object's JSON text, from `{` to `}`.
    text: &'a str,
}

impl<'a> JsonObject<'a> {
    /// The empty object `{}`.
    pub(crate) const EMPTY: JsonObject<'static> = JsonObject { text: "{}" };

    pub(crate) fn from_validated(text: &'a str) -> Self {
        JsonObject { text }
    }

    /// The object's JSON text, from `{` to `}` (for passing it on verbatim).
    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.text
    }

    /// The members in document order (duplicates included).
    pub fn iter(&self) -> impl Iterator<Item = (JsonStr<'a>, JsonValue<'a>)> + 'a + use<'a> {
        let mut cursor = Cursor::after_open(self.text);
        let mut done = false;
        core::iter::from_fn(move || {
            if done {
                return None;
            }
            let member = cursor.next_member();
            done = member.is_none();
            member
        })
    }

    /// The value of member `key` (compared after decoding). With duplicate keys the last wins.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<JsonValue<'a>> {
        self.iter()
            .filter(|(k, _)| k.eq_str(key))
            .last()
            .map(|(_, v)| v)
    }

    /// Whether the object has no members.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// The number of members (duplicates counted).
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// `key`'s value, treating `null` like an absent member.
    fn present(&self, key: &str) -> Option<JsonValue<'a>> {
        self.get(key).filter(|v| !v.is_null())
    }

    /// The string member `key`; `None` when absent or `null`, `InvalidField(key)` for another type.
    pub fn get_str(&self, key: &'static str) -> Result<Option<JsonStr<'a>>, ProtocolError> {
        match self.present(key) {
            None => Ok(None),
            Some(JsonValue::String(s)) => Ok(Some(s)),
            Some(_) => Err(ProtocolError::InvalidField(key)),
        }
    }

    /// The string member `key`; `MissingField(key)` when absent or `null`.
    pub fn require_str(&self, key: &'static str) -> Result<JsonStr<'a>, ProtocolError> {
        self.get_str(key)?.ok_or(ProtocolError::MissingField(key))
    }

    /// The object member `key`; `None` when absent or `null`, `NotAnObject(key)` for another type.
    pub fn get_object(&self, key: &'static str) -> Result<Option<JsonObject<'a>>, ProtocolError> {
        match self.present(key) {
            None => Ok(None),
            Some(JsonValue::Object(o)) => Ok(Some(o)),
            Some(_) => Err(ProtocolError::NotAnObject(key)),
        }
    }

    /// The object member `key`; `MissingField(key)` when absent or `null`.
    pub fn require_object(&self, key: &'static str) -> Result<JsonObject<'a>, ProtocolError> {
        self.get_object(key)?
            .ok_or(ProtocolError::MissingField(key))
    }

    /// The array member `key`; `None` when absent or `null`, `InvalidField(key)` for another type.
    pub fn get_array(&self, key: &'static str) -> Result<Option<JsonArray<'a>>, ProtocolError> {
        match self.present(key) {
            None => Ok(None),
            Some(JsonValue::Array(a)) => Ok(Some(a)),
            Some(_) => Err(ProtocolError::InvalidField(key)),
        }
    }

    /// The boolean member `key`; `None` when absent or `null`, `InvalidField(key)` otherwise.
    pub fn get_bool(&self, key: &'static str) -> Result<Option<bool>, ProtocolError> {
        match self.present(key) {
            None => Ok(None),
            Some(JsonValue::Bool(b)) => Ok(Some(b)),
            Some(_) => Err(ProtocolError::InvalidField(key)),
        }
    }

    /// The number text of member `key`, or `InvalidField(key)` for a non-number.
    fn number(&self, key: &'static str) -> Result<Option<&'a str>, ProtocolError> {
        match self.present(key) {
            None => Ok(None),
            Some(JsonValue::Number(n)) => Ok(Some(n)),
            Some(_) => Err(ProtocolError::InvalidField(key)),
        }
    }

    /// The non-negative integer member `key` (no fraction, no exponent, at most `u64::MAX`);
    /// `None` when absent or `null`, `InvalidField(key)` otherwise.
    pub fn get_u64(&self, key: &'static str) -> Result<Option<u64>, ProtocolError> {
        self.number(key)?
            .map(|n| parse_u64(n).ok_or(ProtocolError::InvalidField(key)))
            .transpose()
    }

    /// The integer member `key` (no fraction, no exponent, within `i64`); `None` when absent or
    /// `null`, `InvalidField(key)` otherwise.
    pub fn get_i64(&self, key: &'static str) -> Result<Option<i64>, ProtocolError> {
        self.number(key)?
            .map(|n| parse_i64(n).ok_or(ProtocolError::InvalidField(key)))
            .transpose()
    }

    /// The number member `key` as a float (Cognito sends timestamps as epoch seconds with a
    /// fraction); `None` when absent or `null`, `InvalidField(key)` otherwise.
    pub fn get_f64(&self, key: &'static str) -> Result<Option<f64>, ProtocolError> {
        self.number(key)?
            .map(|n| n.parse().map_err(|_| ProtocolError::InvalidField(key)))
            .transpose()
    }
}

/// A JSON array borrowed from a validated document.
#[derive(Clone, Copy, Debug)]
pub struct JsonArray<'a> {
    /// The array's JSON text, from `[` to `]`.
    text: &'a str,
}

impl<'a> JsonArray<'a> {
    pub(crate) fn from_validated(text: &'a str) -> Self {
        JsonArray { text }
    }

    /// The array's JSON text, from `[` to `]`.
    #[must_use]
    pub fn raw(&self) -> &'a str {
        self.text
    }

    /// The elements in order.
    pub fn iter(&self) -> impl Iterator<Item = JsonValue<'a>> + 'a + use<'a> {
        let mut cursor = Cursor::after_open(self.text);
        let mut done = false;
        core::iter::from_fn(move || {
            if done {
                return None;
            }
            let element = cursor.next_element();
            done = element.is_none();
            element
        })
    }

    /// The element at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<JsonValue<'a>> {
        self.iter().nth(index)
    }

    /// The number of elements.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the array has no elements.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Parses a JSON number that is a plain non-negative integer.
fn parse_u64(n: &str) -> Option<u64> {
    if n.is_empty() {
        return None;
    }
    n.bytes().try_fold(0u64, |acc, b| {
        let digit = match b {
            b'0'..=b'9' => u64::from(b - b'0'),
            _ => return None,
        };
        acc.checked_mul(10)?.checked_add(digit)
    })
}

/// Parses a JSON number that is a plain integer within `i64`.
fn parse_i64(n: &str) -> Option<i64> {
    match n.strip_prefix('-') {
        Some(magnitude) => 0i64.checked_sub_unsigned(parse_u64(magnitude)?),
        None => i64::try_from(parse_u64(n)?).ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_getters() {
        let o = parse_object(
            br#"{"s":"a\"b","n":null,"u":18446744073709551615,"big":18446744073709551616,
                "neg":-9223372036854775808,"f":1.5,"e":1e3,"b":true,"o":{"x":[1,2]},"a":[]}"#,
        )
        .unwrap();
        assert!(o.get_str("s").unwrap().unwrap().eq_str("a\"b"));
        assert!(o.get_str("n").unwrap().is_none());
        assert_eq!(
            o.require_str("n").unwrap_err(),
            ProtocolError::MissingField("n")
        );
        assert_eq!(
            o.get_str("u").unwrap_err(),
            ProtocolError::InvalidField("u")
        );
        assert_eq!(o.get_u64("u").unwrap(), Some(u64::MAX));
        assert_eq!(o.get_u64("big"), Err(ProtocolError::InvalidField("big")));
        assert_eq!(o.get_u64("neg"), Err(ProtocolError::InvalidField("neg")));
        assert_eq!(o.get_i64("neg"), Ok(Some(i64::MIN)));
        assert_eq!(o.get_i64("u"), Err(ProtocolError::InvalidField("u")));
        assert_eq!(o.get_u64("f"), Err(ProtocolError::InvalidField("f")));
        assert_eq!(o.get_u64("e"), Err(ProtocolError::InvalidField("e")));
        assert_eq!(o.get_f64("f"), Ok(Some(1.5)));
        assert_eq!(o.get_bool("b"), Ok(Some(true)));
        assert_eq!(o.get_bool("s"), Err(ProtocolError::InvalidField("s")));
        assert_eq!(
            o.get_object("s").unwrap_err(),
            ProtocolError::NotAnObject("s")
        );
        let inner = o.require_object("o").unwrap();
        assert_eq!(inner.get_array("x").unwrap().unwrap().len(), 2);
        assert!(o.get_array("a").unwrap().unwrap().is_empty());
        assert_eq!(
            o.require_object("zz").unwrap_err(),
            ProtocolError::MissingField("zz")
        );
        assert_eq!(o.len(), 10);
    }

    #[test]
    fn unescape() {
        let o = parse_object(br#"{"k":"x\u00e9\ud83d\ude00\n\/"}"#).unwrap();
        let s = o.require_str("k").unwrap();
        assert_eq!(s.as_plain(), None);
        assert_eq!(s.decoded_len(), "xé😀\n/".len());
        let mut buf = [0u8; 16];
        assert_eq!(s.unescape_into(&mut buf).unwrap(), "xé😀\n/");
        let mut small = [7u8; 4];
        assert_eq!(
            s.unescape_into(&mut small).unwrap_err().required,
            "xé😀\n/".len()
        );
        assert_eq!(small, [7u8; 4]);
        assert_eq!(s.to_fixed::<16>().unwrap().as_str(), "xé😀\n/");
        assert!(s.to_fixed::<4>().is_none());
    }
}
