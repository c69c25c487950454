//! The reference JSON reader: an ordered tree built with serde_json, which keeps what the core's
//! reader exposes and `serde_json::Value` loses (duplicate keys in document order, each value's
//! exact text, whether a string had escapes), so the two can be compared member by member.
//!
//! serde_json checks the grammar, UTF-8 and the trailing bytes (`RawValue` of the whole body);
//! every string and key is then decoded by serde_json too, which rejects lone surrogates.

use core::fmt;

use cognito_core::wire::{JsonObject, JsonStr, JsonValue};
use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A JSON value as the reference reads it.
#[derive(Clone, Debug, PartialEq)]
pub enum RefValue {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as its exact text.
    Number(String),
    /// A string.
    String(RefStr),
    /// An array.
    Array(Vec<RefValue>),
    /// An object.
    Object(RefObject),
}

/// A JSON string: its decoded text, and its raw text between the quotes.
#[derive(Clone, Debug, PartialEq)]
pub struct RefStr {
    /// The decoded text.
    pub text: String,
    /// The text between the quotes, escapes not decoded.
    pub raw: String,
}

impl RefStr {
    /// The text when the string has no escape (what the core calls plain).
    pub fn plain(&self) -> Option<&str> {
        (!self.raw.contains('\\')).then_some(self.text.as_str())
    }
}

/// A JSON object: its members in document order (duplicates kept) and its text.
#[derive(Clone, Debug, PartialEq)]
pub struct RefObject {
    /// The members, in order.
    pub members: Vec<(String, RefValue)>,
    /// The object's text, from `{` to `}`.
    pub raw: String,
}

impl RefObject {
    /// The last member named `key` (the core's rule for duplicates).
    pub fn get(&self, key: &str) -> Option<&RefValue> {
        self.members
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The member `key`, `null` read as absent.
    pub fn present(&self, key: &str) -> Option<&RefValue> {
        self.get(key).filter(|v| !matches!(v, RefValue::Null))
    }
}

impl RefValue {
    /// Reads a whole document; `None` when serde_json rejects it.
    pub fn parse(data: &[u8]) -> Option<RefValue> {
        let raw: &RawValue = serde_json::from_slice(data).ok()?;
        convert(raw)
    }

    /// Nesting depth as the core counts it (a top-level object is depth 1, a scalar 0).
    pub fn depth(&self) -> usize {
        match self {
            RefValue::Array(items) => 1 + items.iter().map(RefValue::depth).max().unwrap_or(0),
            RefValue::Object(obj) => {
                1 + obj
                    .members
                    .iter()
                    .map(|(_, v)| v.depth())
                    .max()
                    .unwrap_or(0)
            }
            _ => 0,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&RefStr> {
        match self {
            RefValue::String(s) => Some(s),
            _ => None,
        }
    }
}

fn convert(raw: &RawValue) -> Option<RefValue> {
    let text = raw.get();
    Some(match text.as_bytes().first()? {
        b'{' => {
            let Members(members) = serde_json::from_str(text).ok()?;
            RefValue::Object(RefObject {
                members: members
                    .into_iter()
                    .map(|(k, v)| Some((k, convert(v)?)))
                    .collect::<Option<_>>()?,
                raw: text.to_owned(),
            })
        }
        b'[' => {
            let items: Vec<&RawValue> = serde_json::from_str(text).ok()?;
            RefValue::Array(items.into_iter().map(convert).collect::<Option<_>>()?)
        }
        b'"' => RefValue::String(RefStr {
            text: serde_json::from_str(text).ok()?,
            raw: text.get(1..text.len() - 1)?.to_owned(),
        }),
        b't' => RefValue::Bool(true),
        b'f' => RefValue::Bool(false),
        b'n' => RefValue::Null,
        _ => RefValue::Number(text.to_owned()),
    })
}

/// An object's members in order, duplicates kept, values still raw.
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members<'de>, A::Error> {
                let mut members = Vec::new();
                while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                    members.push(entry);
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(V)
    }
}

/// The core's value as a reference tree, read through the core's accessors only.
pub fn from_core(value: &JsonValue<'_>) -> RefValue {
    match *value {
        JsonValue::Null => RefValue::Null,
        JsonValue::Bool(b) => RefValue::Bool(b),
        JsonValue::Number(n) => RefValue::Number(n.to_owned()),
        JsonValue::String(s) => RefValue::String(str_from_core(&s)),
        JsonValue::Array(a) => RefValue::Array(a.iter().map(|v| from_core(&v)).collect()),
        JsonValue::Object(o) => RefValue::Object(object_from_core(&o)),
    }
}

/// The core's object as a reference object.
pub fn object_from_core(obj: &JsonObject<'_>) -> RefObject {
    RefObject {
        members: obj
            .iter()
            .map(|(k, v)| (k.chars().collect(), from_core(&v)))
            .collect(),
        raw: obj.raw().to_owned(),
    }
}

/// The core's string as a reference string.
pub fn str_from_core(s: &JsonStr<'_>) -> RefStr {
    RefStr {
        text: s.chars().collect(),
        raw: s.raw().to_owned(),
    }
}
