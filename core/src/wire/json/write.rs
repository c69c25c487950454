//! A streaming JSON writer over a [`Sink`], and [`encode_json`], which writes into a caller buffer
//! and leaves it untouched when the output does not fit.
//!
//! Strings are escaped the way JavaScript's `JSON.stringify` does it: `"` and `\` are escaped,
//! control characters become `\b \f \n \r \t` or `\u00xx`, and everything else (including
//! non-ASCII text) is written verbatim as UTF-8.
//!
//! The writer does not check the shape of what it is asked to write: the caller pairs every
//! `begin_*` with its `end_*` and writes a [`key`](JsonWriter::key) before each member value.

use crate::error::BufferTooSmall;
use crate::wire::sink::{Sink, measure, put_decimal, write_measured};

/// Writes JSON tokens into a [`Sink`], inserting commas between members and elements.
pub struct JsonWriter<'s> {
    sink: &'s mut dyn Sink,
    /// Whether the next value or key is preceded by a comma: true right after a complete value,
    /// false right after `{`, `[` or a key.
    need_comma: bool,
}

impl core::fmt::Debug for JsonWriter<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("JsonWriter")
            .field("need_comma", &self.need_comma)
            .finish_non_exhaustive()
    }
}

impl<'s> JsonWriter<'s> {
    /// A writer emitting into `sink`.
    pub fn new(sink: &'s mut dyn Sink) -> Self {
        JsonWriter {
            sink,
            need_comma: false,
        }
    }

    fn separator(&mut self) {
        if self.need_comma {
            self.sink.put(b",");
        }
    }

    /// Writes the comma if one is due, then `token`, then marks a value as complete.
    fn scalar(&mut self, token: &[u8]) {
        self.separator();
        self.sink.put(token);
        self.need_comma = true;
    }

    /// Opens an object (`{`).
    pub fn begin_object(&mut self) {
        self.separator();
        self.sink.put(b"{");
        self.need_comma = false;
    }

    /// Closes the innermost object (`}`).
    pub fn end_object(&mut self) {
        self.sink.put(b"}");
        self.need_comma = true;
    }

    /// Opens an array (`[`).
    pub fn begin_array(&mut self) {
        self.separator();
        self.sink.put(b"[");
        self.need_comma = false;
    }

    /// Closes the innermost array (`]`).
    pub fn end_array(&mut self) {
        self.sink.put(b"]");
        self.need_comma = true;
    }

    /// Writes a member name (escaped) and the `:` that follows it.
    pub fn key(&mut self, key: &str) {
        self.key_parts(&[key]);
    }

    /// Writes a member name made of the concatenation of `parts` (each escaped), for example
    /// `["userAttributes.", name]`.
    pub fn key_parts(&mut self, parts: &[&str]) {
        self.separator();
        self.sink.put(b"\"");
        for part in parts {
            put_escaped(self.sink, part);
        }
        self.sink.put(b"\":");
        self.need_comma = false;
    }

    /// Writes a string value, escaped.
    pub fn string(&mut self, value: &str) {
        self.string_raw_with(|sink| put_escaped(sink, value));
    }

    /// Writes a quoted string whose content `content` writes verbatim. The caller guarantees that
    /// the content needs no escaping (hex, base64 and similar computed on the fly).
    pub fn string_raw_with(&mut self, content: impl FnOnce(&mut dyn Sink)) {
        self.separator();
        self.sink.put(b"\"");
        content(self.sink);
        self.sink.put(b"\"");
        self.need_comma = true;
    }

    /// Writes an unsigned integer.
    pub fn u64(&mut self, n: u64) {
        self.separator();
        put_decimal(self.sink, n);
        self.need_comma = true;
    }

    /// Writes a signed integer.
    pub fn i64(&mut self, n: i64) {
        self.separator();
        if n < 0 {
            self.sink.put(b"-");
        }
        put_decimal(self.sink, n.unsigned_abs());
        self.need_comma = true;
    }

    /// Writes `true` or `false`.
    pub fn bool(&mut self, b: bool) {
        self.scalar(if b { b"true" } else { b"false" });
    }

    /// Writes `null`.
    pub fn null(&mut self) {
        self.scalar(b"null");
    }

    /// Writes an already encoded JSON value verbatim. The caller guarantees it is valid JSON.
    pub fn raw(&mut self, json: &str) {
        self.scalar(json.as_bytes());
    }

    /// Writes the member `key: value` with a string value.
    pub fn field_str(&mut self, key: &str, value: &str) {
        self.key(key);
        self.string(value);
    }

    /// Writes the member `key: value` when `value` is `Some`; writes nothing otherwise.
    pub fn field_opt_str(&mut self, key: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.field_str(key, value);
        }
    }

    /// Writes the member `key: n` with an unsigned integer value.
    pub fn field_u64(&mut self, key: &str, n: u64) {
        self.key(key);
        self.u64(n);
    }

    /// Writes the member `key: n` with a signed integer value.
    pub fn field_i64(&mut self, key: &str, n: i64) {
        self.key(key);
        self.i64(n);
    }

    /// Writes the member `key: b` with a boolean value.
    pub fn field_bool(&mut self, key: &str, b: bool) {
        self.key(key);
        self.bool(b);
    }

    /// Writes `key` and opens an object as its value; close it with [`end_object`](Self::end_object).
    pub fn begin_object_field(&mut self, key: &str) {
        self.key(key);
        self.begin_object();
    }

    /// Writes `key` and opens an array as its value; close it with [`end_array`](Self::end_array).
    pub fn begin_array_field(&mut self, key: &str) {
        self.key(key);
        self.begin_array();
    }

    /// Writes the member `key: {name: value, …}` with string members, in the given order.
    /// Writes nothing when `entries` is empty.
    pub fn field_string_map(&mut self, key: &str, entries: &[(&str, &str)]) {
        if entries.is_empty() {
            return;
        }
        self.begin_object_field(key);
        for (name, value) in entries {
            self.field_str(name, value);
        }
        self.end_object();
    }
}

/// Writes `text` with JSON string escaping (no surrounding quotes).
fn put_escaped(sink: &mut dyn Sink, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0usize;
    for (i, &b) in bytes.iter().enumerate() {
        let short: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0c => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1f => b"",
            _ => continue,
        };
        if let Some(run) = bytes.get(run_start..i) {
            sink.put(run);
        }
        if short.is_empty() {
            sink.put(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                hex_digit(b >> 4),
                hex_digit(b & 0x0f),
            ]);
        } else {
            sink.put(short);
        }
        run_start = i + 1;
    }
    if let Some(run) = bytes.get(run_start..) {
        sink.put(run);
    }
}

/// The lowercase hexadecimal digit for `n` (`n < 16`).
fn hex_digit(n: u8) -> u8 {
    if n < 10 { b'0' + n } else { b'a' + (n - 10) }
}

/// Runs `write` against a counter and, when the output fits, again into `buf`.
///
/// Returns the number of bytes written. When `buf` is too small nothing is written and the error
/// carries the exact size needed. `write` must produce the same output each time it is called.
pub fn encode_json(
    buf: &mut [u8],
    write: impl Fn(&mut JsonWriter<'_>),
) -> Result<usize, BufferTooSmall> {
    write_measured(buf, |sink| write(&mut JsonWriter::new(sink)))
}

/// The number of bytes `write` produces.
#[must_use]
pub fn encoded_len(write: impl Fn(&mut JsonWriter<'_>)) -> usize {
    measure(|sink| write(&mut JsonWriter::new(sink)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(write: impl Fn(&mut JsonWriter<'_>)) -> heapless::String<512> {
        let mut buf = [0u8; 512];
        let len = encode_json(&mut buf, write).unwrap();
        heapless::String::try_from(core::str::from_utf8(&buf[..len]).unwrap()).unwrap()
    }

    #[test]
    fn commas_and_nesting() {
        let out = enc(|w| {
            w.begin_object();
            w.field_str("a", "x");
            w.begin_array_field("b");
            w.u64(1);
            w.begin_object();
            w.end_object();
            w.begin_array();
            w.end_array();
            w.i64(-5);
            w.end_array();
            w.field_opt_str("skip", None);
            w.field_string_map("empty", &[]);
            w.field_string_map("m", &[("k", "v"), ("k2", "v2")]);
            w.key_parts(&["userAttributes.", "name"]);
            w.null();
            w.field_bool("t", true);
            w.key("r");
            w.raw("[1,2]");
            w.key("h");
            w.string_raw_with(|s| s.put(b"00ff"));
            w.end_object();
        });
        assert_eq!(
            out.as_str(),
            r#"{"a":"x","b":[1,{},[],-5],"m":{"k":"v","k2":"v2"},"userAttributes.name":null,"t":true,"r":[1,2],"h":"00ff"}"#
        );
    }

    #[test]
    fn escapes() {
        let out = enc(|w| w.string("q\"b\\\u{0}\u{8}\u{c}\n\r\t\u{1f}é😀"));
        assert_eq!(
            out.as_str(),
            "\"q\\\"b\\\\\\u0000\\b\\f\\n\\r\\t\\u001fé😀\""
        );
    }

    #[test]
    fn extreme_integers() {
        let out = enc(|w| {
            w.begin_array();
            w.i64(i64::MIN);
            w.i64(i64::MAX);
            w.u64(u64::MAX);
            w.u64(0);
            w.end_array();
        });
        assert_eq!(
            out.as_str(),
            "[-9223372036854775808,9223372036854775807,18446744073709551615,0]"
        );
    }
}
