//! Percent-encoding (RFC 3986) for URLs and `application/x-www-form-urlencoded` bodies, and the
//! reader of `name=value&…` query strings.
//!
//! Written: every byte but the unreserved `A–Z a–z 0–9 - . _ ~` becomes `%XX` (upper-case hex), so
//! the same text is right in a query, in a form body and inside a redirect URI. Read: `%XX` and,
//! as forms and query strings have it, `+` for a space; a `%` not followed by two hex digits, or
//! decoded bytes that are not UTF-8, make the value invalid.

use core::fmt;

use crate::wire::Sink;

/// Whether `b` is an RFC 3986 unreserved character (written as itself).
#[must_use]
pub const fn is_unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~')
}

/// Writes `text` percent-encoded into `sink`.
pub(crate) fn put_encoded(sink: &mut dyn Sink, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if is_unreserved(b) {
            continue;
        }
        if let Some(run) = bytes.get(start..i) {
            sink.put(run);
        }
        let hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
        let lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
        sink.put(&[b'%', hi, lo]);
        start = i + 1;
    }
    if let Some(run) = bytes.get(start..) {
        sink.put(run);
    }
}

/// Writes `name=value` pairs joined by `&`, both percent-encoded; pairs whose value is `None`
/// are left out.
pub(crate) fn put_pairs(sink: &mut dyn Sink, pairs: &[(&str, Option<&str>)]) {
    let mut first = true;
    for (name, value) in pairs {
        let Some(value) = value else { continue };
        if !first {
            sink.put(b"&");
        }
        first = false;
        put_encoded(sink, name);
        sink.put(b"=");
        put_encoded(sink, value);
    }
}

/// A value as it appears in a query string or form body, still percent-encoded.
///
/// `Debug` shows its length only: a query value may be an authorization code or a token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Encoded<'a> {
    raw: &'a str,
}

impl<'a> Encoded<'a> {
    /// `raw`, taken as percent-encoded text.
    #[must_use]
    pub const fn new(raw: &'a str) -> Self {
        Encoded { raw }
    }

    /// The text as it appears, escapes and all.
    #[must_use]
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// The decoded bytes, or `None` at a malformed escape.
    pub fn bytes(&self) -> impl Iterator<Item = Option<u8>> + 'a + use<'a> {
        Decode {
            rest: self.raw.as_bytes(),
        }
    }

    /// Whether every escape is well formed and the decoded bytes are UTF-8.
    #[must_use]
    pub fn is_valid(&self) -> bool {
        let mut utf8 = Utf8Check::default();
        self.bytes().all(|b| b.is_some_and(|b| utf8.push(b))) && utf8.is_complete()
    }

    /// The length of the decoded text, or `None` when it is not valid.
    #[must_use]
    pub fn decoded_len(&self) -> Option<usize> {
        self.is_valid().then(|| self.bytes().count())
    }

    /// Decodes into `buf` and returns the text; `None` when the value is not valid or `buf` is
    /// too small (see [`decoded_len`](Self::decoded_len)).
    pub fn decode_into<'b>(&self, buf: &'b mut [u8]) -> Option<&'b str> {
        let len = self.decoded_len()?;
        let out = buf.get_mut(..len)?;
        for (slot, b) in out.iter_mut().zip(self.bytes()) {
            *slot = b?;
        }
        core::str::from_utf8(out).ok()
    }

    /// The decoded text in a fixed-capacity string; `None` when invalid or longer than `N`.
    #[must_use]
    pub fn to_fixed<const N: usize>(&self) -> Option<heapless::String<N>> {
        let mut buf = [0u8; N];
        let text = self.decode_into(&mut buf)?;
        let fixed = heapless::String::try_from(text).ok();
        zeroize::Zeroize::zeroize(&mut buf);
        fixed
    }

    /// Whether the decoded value equals `expected`, in time that depends on the lengths only
    /// (not on where the values differ): for `state`, which guards the redirect.
    #[must_use]
    pub fn ct_eq(&self, expected: &str) -> bool {
        let mut diff = u8::from(!self.is_valid());
        let mut decoded = 0usize;
        let mut expected_bytes = expected.as_bytes().iter();
        for b in self.bytes() {
            let want = expected_bytes.next().copied().unwrap_or(0);
            diff |= b.unwrap_or(0) ^ want;
            decoded += 1;
        }
        diff |= u8::from(decoded != expected.len());
        core::hint::black_box(diff) == 0
    }
}

impl fmt::Debug for Encoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Encoded")
            .field("raw_len", &self.raw.len())
            .finish()
    }
}

struct Decode<'a> {
    rest: &'a [u8],
}

impl Iterator for Decode<'_> {
    type Item = Option<u8>;

    fn next(&mut self) -> Option<Option<u8>> {
        let (&first, tail) = self.rest.split_first()?;
        match first {
            b'%' => {
                let decoded = match tail {
                    [hi, lo, ..] => hex_value(*hi)
                        .zip(hex_value(*lo))
                        .map(|(hi, lo)| hi << 4 | lo),
                    _ => None,
                };
                // A malformed escape ends the value (the caller stops at the `None`).
                self.rest = if decoded.is_some() {
                    tail.get(2..).unwrap_or_default()
                } else {
                    &[]
                };
                Some(decoded)
            }
            b'+' => {
                self.rest = tail;
                Some(Some(b' '))
            }
            b => {
                self.rest = tail;
                Some(Some(b))
            }
        }
    }
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// An incremental UTF-8 validator (decoded bytes arrive one at a time).
#[derive(Default)]
struct Utf8Check {
    /// Continuation bytes still expected.
    pending: u8,
    /// The bounds of the next byte when it is the first continuation byte (overlongs,
    /// surrogates and values past U+10FFFF are refused there).
    low: u8,
    high: u8,
}

impl Utf8Check {
    fn push(&mut self, b: u8) -> bool {
        if self.pending > 0 {
            if b < self.low || b > self.high {
                return false;
            }
            self.pending -= 1;
            (self.low, self.high) = (0x80, 0xBF);
            return true;
        }
        (self.pending, self.low, self.high) = match b {
            0x00..=0x7F => (0, 0x80, 0xBF),
            0xC2..=0xDF => (1, 0x80, 0xBF),
            0xE0 => (2, 0xA0, 0xBF),
            0xE1..=0xEC | 0xEE..=0xEF => (2, 0x80, 0xBF),
            0xED => (2, 0x80, 0x9F),
            0xF0 => (3, 0x90, 0xBF),
            0xF1..=0xF3 => (3, 0x80, 0xBF),
            0xF4 => (3, 0x80, 0x8F),
            _ => return false,
        };
        true
    }

    fn is_complete(&self) -> bool {
        self.pending == 0
    }
}

/// The `name=value` pairs of a query string or form body (`a=1&b=2`), names and values still
/// encoded. Empty pieces (`a=1&&b=2`) are skipped; a piece without `=` has an empty value.
#[derive(Clone, Copy, Debug)]
pub struct Pairs<'a> {
    text: &'a str,
}

impl<'a> Pairs<'a> {
    /// The pairs of `text` (without the leading `?`).
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Pairs { text }
    }

    /// Every pair, in order.
    pub fn iter(&self) -> impl Iterator<Item = (Encoded<'a>, Encoded<'a>)> + 'a + use<'a> {
        self.text
            .split('&')
            .filter(|piece| !piece.is_empty())
            .map(|piece| {
                let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                (Encoded::new(name), Encoded::new(value))
            })
    }

    /// The values of every pair named `name` (compared decoded).
    pub fn all(&self, name: &'a str) -> impl Iterator<Item = Encoded<'a>> + 'a + use<'a> {
        self.iter()
            .filter(move |(n, _)| decoded_eq(n, name))
            .map(|(_, v)| v)
    }

    /// The value of the pair named `name`: `Ok(None)` when absent, `Err(())` when it appears
    /// more than once (an ambiguous query is refused, not guessed at).
    #[allow(clippy::result_unit_err)]
    pub fn unique(&self, name: &'a str) -> Result<Option<Encoded<'a>>, ()> {
        let mut found = self.all(name);
        let first = found.next();
        match found.next() {
            Some(_) => Err(()),
            None => Ok(first),
        }
    }
}

fn decoded_eq(encoded: &Encoded<'_>, text: &str) -> bool {
    let mut want = text.bytes();
    encoded.bytes().all(|b| b.is_some() && b == want.next()) && want.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::sink::write_measured;

    fn encode(text: &str) -> heapless::String<256> {
        let mut buf = [0u8; 256];
        let len = write_measured(&mut buf, |s| put_encoded(s, text)).unwrap();
        heapless::String::try_from(core::str::from_utf8(&buf[..len]).unwrap()).unwrap()
    }

    #[test]
    fn encodes_all_but_unreserved() {
        assert_eq!(encode("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(
            encode("http://127.0.0.1:8400/callback?x=1&y=a b"),
            "http%3A%2F%2F127.0.0.1%3A8400%2Fcallback%3Fx%3D1%26y%3Da%20b"
        );
        assert_eq!(encode("é+%"), "%C3%A9%2B%25");
    }

    #[test]
    fn decodes_and_round_trips() {
        for text in ["", "a b+c", "é/?#&=%", "openid email"] {
            let encoded = encode(text);
            let mut buf = [0u8; 64];
            assert_eq!(Encoded::new(&encoded).decode_into(&mut buf), Some(text));
        }
        let mut buf = [0u8; 16];
        assert_eq!(Encoded::new("a+b%2Bc").decode_into(&mut buf), Some("a b+c"));
    }

    #[test]
    fn refuses_bad_escapes_and_bad_utf8() {
        for bad in [
            "%",
            "%4",
            "%zz",
            "a%G0",
            "%C3",
            "%C3%28",
            "%ED%A0%80",
            "%F4%90%80%80",
            "%C0%AF",
        ] {
            assert!(!Encoded::new(bad).is_valid(), "{bad}");
            assert_eq!(Encoded::new(bad).decode_into(&mut [0u8; 16]), None, "{bad}");
            assert!(!Encoded::new(bad).ct_eq(""), "{bad}");
        }
    }

    #[test]
    fn constant_time_comparison_is_exact() {
        assert!(Encoded::new("ab%2Fc").ct_eq("ab/c"));
        assert!(!Encoded::new("ab%2Fc").ct_eq("ab/"));
        assert!(!Encoded::new("ab%2Fc").ct_eq("ab/cd"));
        assert!(!Encoded::new("").ct_eq("x"));
        assert!(Encoded::new("").ct_eq(""));
    }

    #[test]
    fn pairs_are_found_by_decoded_name_and_duplicates_refused() {
        let pairs = Pairs::new("code=abc&st%61te=x%20y&&flag&code2=1");
        assert_eq!(pairs.unique("code").unwrap().unwrap().raw(), "abc");
        assert_eq!(pairs.unique("state").unwrap().unwrap().raw(), "x%20y");
        assert_eq!(pairs.unique("flag").unwrap().unwrap().raw(), "");
        assert_eq!(pairs.unique("missing").unwrap(), None);
        assert!(Pairs::new("a=1&a=2").unique("a").is_err());
    }
}
