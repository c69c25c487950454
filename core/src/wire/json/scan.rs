//! Re-scanning of already validated JSON text, and lazy decoding of string escapes.
//!
//! These helpers trust that the text was validated, but they never index, so text that is not
//! valid JSON makes them stop early (returning `None` or U+FFFD) rather than panic.

use super::read::{JsonArray, JsonObject, JsonStr, JsonValue};

/// A position in validated JSON text.
pub(crate) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor just inside the opening bracket of a container's text.
    pub(crate) fn after_open(container: &'a str) -> Self {
        Cursor {
            text: container,
            pos: 1,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// Skips whitespace and a `,` separator; `None` at the container's closing bracket.
    fn next_item_start(&mut self) -> Option<()> {
        self.skip_ws();
        if self.peek() == Some(b',') {
            self.pos += 1;
            self.skip_ws();
        }
        match self.peek()? {
            b'}' | b']' => None,
            _ => Some(()),
        }
    }

    /// The next `name: value` member of an object, or `None` after the last one.
    pub(crate) fn next_member(&mut self) -> Option<(JsonStr<'a>, JsonValue<'a>)> {
        self.next_item_start()?;
        let name = self.string()?;
        self.skip_ws();
        if self.peek()? != b':' {
            return None;
        }
        self.pos += 1;
        self.skip_ws();
        let value = self.value()?;
        Some((name, value))
    }

    /// The next element of an array, or `None` after the last one.
    pub(crate) fn next_element(&mut self) -> Option<JsonValue<'a>> {
        self.next_item_start()?;
        self.value()
    }

    /// The string starting at the cursor's opening quote.
    fn string(&mut self) -> Option<JsonStr<'a>> {
        if self.peek()? != b'"' {
            return None;
        }
        self.pos += 1;
        let start = self.pos;
        loop {
            match self.peek()? {
                b'"' => break,
                // The escaped character is ASCII (validated), so skipping one byte is enough.
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
        let raw = self.text.get(start..self.pos)?;
        self.pos += 1;
        Some(JsonStr::new(raw))
    }

    /// The value starting at the cursor.
    fn value(&mut self) -> Option<JsonValue<'a>> {
        let start = self.pos;
        let value = match self.peek()? {
            b'n' => {
                self.pos += 4;
                JsonValue::Null
            }
            b't' => {
                self.pos += 4;
                JsonValue::Bool(true)
            }
            b'f' => {
                self.pos += 5;
                JsonValue::Bool(false)
            }
            b'"' => JsonValue::String(self.string()?),
            b'{' => {
                self.skip_container()?;
                JsonValue::Object(JsonObject::from_validated(self.text.get(start..self.pos)?))
            }
            b'[' => {
                self.skip_container()?;
                JsonValue::Array(JsonArray::from_validated(self.text.get(start..self.pos)?))
            }
            b'-' | b'0'..=b'9' => {
                while matches!(
                    self.peek(),
                    Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                ) {
                    self.pos += 1;
                }
                JsonValue::Number(self.text.get(start..self.pos)?)
            }
            _ => return None,
        };
        Some(value)
    }

    /// Moves past the container whose opening bracket is at the cursor.
    fn skip_container(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'{' | b'[' => depth += 1,
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    if depth == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                b'"' => {
                    self.string()?;
                    continue;
                }
                _ => {}
            }
            self.pos += 1;
        }
    }
}

/// Decodes the characters of a JSON string's raw text (given as characters, so that the text of a
/// string nested inside another string can be decoded by stacking two of these).
#[derive(Clone)]
pub(crate) struct Unescape<I> {
    rest: I,
}

impl<'a> Unescape<core::str::Chars<'a>> {
    /// Decodes `raw`, the text between a JSON string's quotes.
    pub(crate) fn new(raw: &'a str) -> Self {
        Unescape { rest: raw.chars() }
    }

    /// The raw text not decoded yet.
    pub(crate) fn remaining(&self) -> &'a str {
        self.rest.as_str()
    }
}

impl<I: Iterator<Item = char> + Clone> Unescape<I> {
    /// Decodes the characters `raw` yields.
    pub(crate) fn over(raw: I) -> Self {
        Unescape { rest: raw }
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut value = 0u32;
        for _ in 0..4 {
            value = (value << 4) | self.rest.next()?.to_digit(16)?;
        }
        Some(value)
    }

    /// The character of a `\u` escape (the `\u` already consumed), joining surrogate pairs.
    fn unicode(&mut self) -> char {
        let Some(unit) = self.hex4() else {
            return char::REPLACEMENT_CHARACTER;
        };
        if (0xD800..0xDC00).contains(&unit) {
            let mut ahead = self.rest.clone();
            if ahead.next() == Some('\\') && ahead.next() == Some('u') {
                self.rest = ahead;
                if let Some(low @ 0xDC00..=0xDFFF) = self.hex4() {
                    let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                    return char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER);
                }
            }
            return char::REPLACEMENT_CHARACTER;
        }
        char::from_u32(unit).unwrap_or(char::REPLACEMENT_CHARACTER)
    }
}

impl<I: Iterator<Item = char> + Clone> Iterator for Unescape<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let c = self.rest.next()?;
        if c != '\\' {
            return Some(c);
        }
        Some(match self.rest.next()? {
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => self.unicode(),
            other => other,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (0, self.rest.size_hint().1)
    }
}
