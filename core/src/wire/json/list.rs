//! Lists of strings read in place: a JSON array of strings, or such an array that Cognito sends
//! encoded inside a JSON string (`"MFAS_CAN_CHOOSE": "[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"`).
//!
//! The encoded form is decoded without a buffer: the outer string's characters are decoded on
//! the fly while the array inside them is scanned, and each element is handed out as a
//! [`JsonStr`] whose raw text is a slice of the reply (escaped twice; decoding undoes both).

use core::str::Chars;

use super::read::{JsonArray, JsonStr, JsonValue};
use super::scan::Unescape;
use crate::error::ProtocolError;

/// A list of strings borrowed from a reply: a JSON array of strings, or such an array encoded
/// inside a JSON string, as Cognito sends `MFAS_CAN_CHOOSE`. Empty when the reply had no such
/// member. The encoded form is decoded on the fly, without a buffer; each element is a
/// [`JsonStr`] whose raw text is a slice of the reply.
#[derive(Clone, Copy, Debug, Default)]
pub struct StringList<'a> {
    source: Source<'a>,
}

#[derive(Clone, Copy, Debug, Default)]
enum Source<'a> {
    #[default]
    Empty,
    /// A JSON array whose elements were checked to be strings.
    Array(JsonArray<'a>),
    /// The raw text of a string whose decoded text was checked to be a JSON array of strings.
    Encoded(&'a str),
}

impl<'a> StringList<'a> {
    /// The list of a JSON array; [`ProtocolError::InvalidField`]`(field)` when an element is not
    /// a string.
    pub fn from_array(array: JsonArray<'a>, field: &'static str) -> Result<Self, ProtocolError> {
        if array.iter().all(|v| matches!(v, JsonValue::String(_))) {
            Ok(StringList {
                source: Source::Array(array),
            })
        } else {
            Err(ProtocolError::InvalidField(field))
        }
    }

    /// The list encoded in the string `encoded`, whose decoded text must be a JSON array of
    /// strings; [`ProtocolError::InvalidField`]`(field)` otherwise.
    pub fn from_encoded(encoded: JsonStr<'a>, field: &'static str) -> Result<Self, ProtocolError> {
        let raw = encoded.raw();
        let mut scanner = Scanner::new(raw).ok_or(ProtocolError::InvalidField(field))?;
        loop {
            match scanner.next_element() {
                Ok(Some(_)) => {}
                Ok(None) => break,
                Err(()) => return Err(ProtocolError::InvalidField(field)),
            }
        }
        Ok(StringList {
            source: Source::Encoded(raw),
        })
    }

    /// The strings, in order.
    pub fn iter(&self) -> impl Iterator<Item = JsonStr<'a>> + 'a + use<'a> {
        let source = self.source;
        let mut array = match source {
            Source::Array(array) => Some(array.iter()),
            _ => None,
        };
        let mut scanner = match source {
            Source::Encoded(raw) => Scanner::new(raw),
            _ => None,
        };
        core::iter::from_fn(move || {
            if let Some(elements) = array.as_mut() {
                return elements.find_map(|v| v.as_str());
            }
            let scanner = scanner.as_mut()?;
            let (start, end) = scanner.next_element().ok()??;
            scanner.raw.get(start..end).map(JsonStr::nested)
        })
    }

    /// Whether one of the strings decodes to `name`.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|s| s.eq_str(name))
    }

    /// The number of strings.
    #[must_use]
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

/// Scans the JSON array of strings that a string's decoded characters spell, reporting where
/// each element's text lies in the outer string's raw text.
struct Scanner<'a> {
    raw: &'a str,
    chars: Unescape<Chars<'a>>,
    /// Whether an element was read (a `,` must come before the next one).
    started: bool,
    /// Whether the closing `]` was read.
    done: bool,
}

impl<'a> Scanner<'a> {
    /// A scanner past the opening `[`; `None` when the text does not start with one.
    fn new(raw: &'a str) -> Option<Self> {
        let mut scanner = Scanner {
            raw,
            chars: Unescape::new(raw),
            started: false,
            done: false,
        };
        if scanner.next_non_ws()? != '[' {
            return None;
        }
        Some(scanner)
    }

    /// Where the next decoded character starts in `raw`.
    fn offset(&self) -> usize {
        self.raw.len() - self.chars.remaining().len()
    }

    fn next_non_ws(&mut self) -> Option<char> {
        self.chars.find(|c| !matches!(c, ' ' | '\t' | '\n' | '\r'))
    }

    /// The raw range of the next element, `None` after the last one, `Err` when the text is not
    /// an array of strings (or has anything after it).
    fn next_element(&mut self) -> Result<Option<(usize, usize)>, ()> {
        if self.done {
            return Ok(None);
        }
        let first = !self.started;
        let mut c = self.next_non_ws().ok_or(())?;
        if c == ']' && first {
            return self.finish();
        }
        if !first {
            match c {
                ',' => c = self.next_non_ws().ok_or(())?,
                ']' => return self.finish(),
                _ => return Err(()),
            }
        }
        if c != '"' {
            return Err(());
        }
        let start = self.offset();
        loop {
            let end = self.offset();
            match self.chars.next().ok_or(())? {
                '"' => {
                    self.started = true;
                    return Ok(Some((start, end)));
                }
                '\\' => self.escape()?,
                c if c < ' ' => return Err(()),
                _ => {}
            }
        }
    }

    /// Checks the rest of an escape inside an element (its `\` already read).
    fn escape(&mut self) -> Result<(), ()> {
        match self.chars.next().ok_or(())? {
            '"' | '\\' | '/' | 'b' | 'f' | 'n' | 'r' | 't' => Ok(()),
            'u' => {
                for _ in 0..4 {
                    if !self.chars.next().ok_or(())?.is_ascii_hexdigit() {
                        return Err(());
                    }
                }
                Ok(())
            }
            _ => Err(()),
        }
    }

    /// After the closing `]`: only whitespace may follow.
    fn finish(&mut self) -> Result<Option<(usize, usize)>, ()> {
        self.done = true;
        match self.next_non_ws() {
            None => Ok(None),
            Some(_) => Err(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::parse_object;

    fn decoded(list: &StringList<'_>) -> heapless::Vec<heapless::String<32>, 8> {
        list.iter().map(|s| s.to_fixed::<32>().unwrap()).collect()
    }

    fn encoded(body: &str) -> Result<heapless::Vec<heapless::String<32>, 8>, ProtocolError> {
        let obj = parse_object(body.as_bytes()).unwrap();
        let list = StringList::from_encoded(obj.require_str("k").unwrap(), "k")?;
        Ok(decoded(&list))
    }

    #[test]
    fn encoded_lists_borrow_plain_elements() {
        let obj = parse_object(br#"{"k":"[\"SMS_MFA\",\"SOFTWARE_TOKEN_MFA\"]"}"#).unwrap();
        let list = StringList::from_encoded(obj.require_str("k").unwrap(), "k").unwrap();
        let plain: heapless::Vec<&str, 4> = list.iter().map(|s| s.as_plain().unwrap()).collect();
        assert_eq!(plain, ["SMS_MFA", "SOFTWARE_TOKEN_MFA"]);
        assert!(list.contains("SMS_MFA"));
        assert!(!list.contains("EMAIL_OTP"));
        assert_eq!(list.len(), 2);
    }

    #[test]
    fn both_levels_of_escapes_are_decoded() {
        // Inner `a"b\é` and `\u` escapes written at either level.
        let got = encoded(r#"{"k":" [ \"a\\\"b\\\\\\u00e9\" , \"\u0078\\u0079\" ] "}"#).unwrap();
        assert_eq!(got, ["a\"b\\é", "xy"]);
        assert_eq!(encoded(r#"{"k":"[]"}"#).unwrap().len(), 0);
        assert_eq!(encoded(r#"{"k":" [ ] "}"#).unwrap().len(), 0);
    }

    #[test]
    fn anything_but_an_array_of_strings_is_refused() {
        for body in [
            r#"{"k":""}"#,
            r#"{"k":"SMS_MFA"}"#,
            r#"{"k":"[\"a\""}"#,
            r#"{"k":"[\"a\" \"b\"]"}"#,
            r#"{"k":"[\"a\",]"}"#,
            r#"{"k":"[,\"a\"]"}"#,
            r#"{"k":"[1]"}"#,
            r#"{"k":"[\"a\"] x"}"#,
            r#"{"k":"[\"a\\x\"]"}"#,
            r#"{"k":"[\"a\\u12\"]"}"#,
            r#"{"k":"[\"a\n\"]"}"#,
            r#"{"k":"{\"a\":1}"}"#,
        ] {
            assert_eq!(
                encoded(body),
                Err(ProtocolError::InvalidField("k")),
                "{body}"
            );
        }
    }

    #[test]
    fn arrays_must_hold_strings_only() {
        let obj = parse_object(br#"{"a":["X","Y\u0021"],"b":["X",2]}"#).unwrap();
        let list = StringList::from_array(obj.get_array("a").unwrap().unwrap(), "a").unwrap();
        assert_eq!(decoded(&list), ["X", "Y!"]);
        let bad = StringList::from_array(obj.get_array("b").unwrap().unwrap(), "b");
        assert_eq!(bad.unwrap_err(), ProtocolError::InvalidField("b"));
        assert!(StringList::default().is_empty());
    }

    #[test]
    fn prefixes_strip_on_the_raw_text() {
        let got = encoded(r#"{"k":"[\"userAttributes.name\",\"x\"]"}"#).unwrap();
        assert_eq!(got, ["userAttributes.name", "x"]);
        let obj = parse_object(br#"{"k":"[\"userAttributes.given_name\"]"}"#).unwrap();
        let list = StringList::from_encoded(obj.require_str("k").unwrap(), "k").unwrap();
        let first = list.iter().next().unwrap();
        assert_eq!(
            first.strip_prefix("userAttributes.").unwrap().as_plain(),
            Some("given_name")
        );
        assert!(first.strip_prefix("other.").is_none());
    }
}
