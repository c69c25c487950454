//! Validation of a whole JSON document (RFC 8259) without recursion, in one linear pass.

use super::read::MAX_DEPTH;
use crate::error::ProtocolError;

const MALFORMED: ProtocolError = ProtocolError::MalformedJson;

// The container kinds are tracked in the bits of a `u64`.
const _: () = assert!(MAX_DEPTH <= 64);

/// Checks that `text` is exactly one JSON value with optional surrounding whitespace, nested at
/// most [`MAX_DEPTH`] deep. Returns the value's text without the surrounding whitespace.
pub(crate) fn validate(text: &str) -> Result<&str, ProtocolError> {
    let mut v = Validator {
        b: text.as_bytes(),
        pos: 0,
    };
    // Bit `d` is set when the container at depth `d + 1` is an object (1 = object, 0 = array).
    let mut objects: u64 = 0;
    let mut depth = 0usize;
    v.skip_ws();
    let start = v.pos;
    loop {
        // A value starts at `v.pos` (leading whitespace already skipped).
        match v.peek() {
            Some(open @ (b'{' | b'[')) => {
                if depth >= MAX_DEPTH {
                    return Err(MALFORMED);
                }
                let is_object = open == b'{';
                let bit = 1u64 << depth;
                objects = if is_object {
                    objects | bit
                } else {
                    objects & !bit
                };
                depth += 1;
                v.pos += 1;
                v.skip_ws();
                let close = if is_object { b'}' } else { b']' };
                if v.peek() == Some(close) {
                    v.pos += 1;
                    depth -= 1;
                } else {
                    if is_object {
                        v.member_name()?;
                    }
                    continue;
                }
            }
            Some(b'"') => v.string()?,
            Some(b't') => v.literal(b"true")?,
            Some(b'f') => v.literal(b"false")?,
            Some(b'n') => v.literal(b"null")?,
            Some(b'-' | b'0'..=b'9') => v.number()?,
            _ => return Err(MALFORMED),
        }
        // A value just ended: close containers until one continues with a comma.
        loop {
            if depth == 0 {
                let end = v.pos;
                v.skip_ws();
                if v.pos != v.b.len() {
                    return Err(MALFORMED);
                }
                return text.get(start..end).ok_or(MALFORMED);
            }
            v.skip_ws();
            let in_object = (objects >> (depth - 1)) & 1 == 1;
            match v.peek() {
                Some(b',') => {
                    v.pos += 1;
                    v.skip_ws();
                    if in_object {
                        v.member_name()?;
                    }
                    break;
                }
                Some(b'}') if in_object => {}
                Some(b']') if !in_object => {}
                _ => return Err(MALFORMED),
            }
            v.pos += 1;
            depth -= 1;
        }
    }
}

struct Validator<'b> {
    b: &'b [u8],
    pos: usize,
}

impl Validator<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, byte: u8) -> Result<(), ProtocolError> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(MALFORMED)
        }
    }

    /// A member name, the `:` after it, and the whitespace before its value.
    fn member_name(&mut self) -> Result<(), ProtocolError> {
        if self.peek() != Some(b'"') {
            return Err(MALFORMED);
        }
        self.string()?;
        self.skip_ws();
        self.eat(b':')?;
        self.skip_ws();
        Ok(())
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), ProtocolError> {
        let end = self.pos + word.len();
        if self.b.get(self.pos..end) == Some(word) {
            self.pos = end;
            Ok(())
        } else {
            Err(MALFORMED)
        }
    }

    /// Skips decimal digits and returns how many there were.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<(), ProtocolError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => self.pos += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err(MALFORMED),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(MALFORMED);
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(MALFORMED);
            }
        }
        Ok(())
    }

    /// A string starting at its opening quote. The text is already known to be UTF-8.
    fn string(&mut self) -> Result<(), ProtocolError> {
        self.eat(b'"')?;
        loop {
            match self.peek().ok_or(MALFORMED)? {
                b'"' => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.pos += 1;
                    self.escape()?;
                }
                0x00..=0x1f => return Err(MALFORMED),
                _ => self.pos += 1,
            }
        }
    }

    /// The escape after a backslash; a high surrogate must be followed by an escaped low one.
    fn escape(&mut self) -> Result<(), ProtocolError> {
        match self.peek().ok_or(MALFORMED)? {
            b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => {
                self.pos += 1;
                Ok(())
            }
            b'u' => {
                self.pos += 1;
                match self.hex4()? {
                    0xD800..=0xDBFF => {
                        self.eat(b'\\')?;
                        self.eat(b'u')?;
                        match self.hex4()? {
                            0xDC00..=0xDFFF => Ok(()),
                            _ => Err(MALFORMED),
                        }
                    }
                    0xDC00..=0xDFFF => Err(MALFORMED),
                    _ => Ok(()),
                }
            }
            _ => Err(MALFORMED),
        }
    }

    fn hex4(&mut self) -> Result<u32, ProtocolError> {
        let mut value = 0u32;
        for _ in 0..4 {
            let digit = char::from(self.peek().ok_or(MALFORMED)?)
                .to_digit(16)
                .ok_or(MALFORMED)?;
            value = (value << 4) | digit;
            self.pos += 1;
        }
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts() {
        for doc in [
            "{}",
            " { } ",
            "[]",
            "0",
            "-0.5e-3",
            "\"\\u00e9\\ud83d\\ude00\"",
            r#"{"a":[1,{"b":null},[]],"c":true,"d":false}"#,
            "\t\r\n[ 1 , 2 ]\n",
        ] {
            assert!(validate(doc).is_ok(), "{doc}");
        }
        assert_eq!(validate("  [1] ").unwrap(), "[1]");
    }

    #[test]
    fn rejects() {
        for doc in [
            "",
            " ",
            "{",
            "{]",
            "[}",
            "[1,]",
            "{\"a\"}",
            "{\"a\":}",
            "{\"a\":1,}",
            "{a:1}",
            "01",
            "1.",
            ".5",
            "1e",
            "-",
            "+1",
            "tru",
            "nulll",
            "\"\\x\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "\"\\ud800\\u0041\"",
            "\"\\u12\"",
            "\"a\u{1}\"",
            "{} {}",
            "[1 2]",
        ] {
            assert_eq!(validate(doc), Err(MALFORMED), "{doc:?}");
        }
    }

    #[test]
    fn depth_limit() {
        let mut doc = heapless::String::<256>::new();
        for _ in 0..MAX_DEPTH {
            doc.push('[').unwrap();
        }
        for _ in 0..MAX_DEPTH {
            doc.push(']').unwrap();
        }
        assert!(validate(&doc).is_ok());
        let mut deeper = heapless::String::<256>::new();
        deeper.push('[').unwrap();
        deeper.push_str(&doc).unwrap();
        deeper.push(']').unwrap();
        assert_eq!(validate(&deeper), Err(MALFORMED));
    }
}
