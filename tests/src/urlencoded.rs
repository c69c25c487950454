//! `application/x-www-form-urlencoded` and percent-encoding, for the hosted-UI endpoints of the
//! emulator (query strings and form bodies) and for the clients that test them
//! ([`crate::fixtures::browser`]).
//!
//! Decoding follows the form rules: `+` is a space, `%XX` is the byte `XX`, everything else
//! stands for itself; a `%` not followed by two hex digits, or bytes that are not UTF-8 once
//! decoded, make the whole text invalid (`None`), so a server can answer `invalid_request`
//! instead of guessing. Encoding keeps the unreserved characters of RFC 3986 (`A-Z a-z 0-9 - .
//! _ ~`) and writes every other byte as `%XX` (upper-case hex; a space is `%20`), which reads
//! back the same under both the form rules and plain percent-decoding.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

/// Decodes one form-encoded component: `+` → space, `%XX` → byte. `None` for a bad escape or
/// a result that is not UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(byte) = bytes.next() {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let high = hex_value(bytes.next()?)?;
                let low = hex_value(bytes.next()?)?;
                out.push(high << 4 | low);
            }
            other => out.push(other),
        }
    }
    String::from_utf8(out).ok()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

/// Whether `byte` is an RFC 3986 unreserved character (`A-Z a-z 0-9 - . _ ~`).
pub fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~')
}

/// Percent-encodes `text`: unreserved characters as they are, every other byte as `%XX`.
pub fn encode(text: &str) -> String {
    let digit = |nibble: u8| {
        char::from_digit(u32::from(nibble), 16)
            .unwrap_or('0')
            .to_ascii_uppercase()
    };
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if is_unreserved(byte) {
            out.push(char::from(byte));
        } else {
            out.push('%');
            out.push(digit(byte >> 4));
            out.push(digit(byte & 0x0f));
        }
    }
    out
}

/// `name=value&...` with every name and value [`encode`]d, in the order given.
pub fn serialize(pairs: &[(&str, &str)]) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&encode(name));
        out.push('=');
        out.push_str(&encode(value));
    }
    out
}

/// Decoded `name=value` pairs of a query string or a form body, in order, repeats kept.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `name=value&...`: empty segments are skipped, a segment without `=` is a name
    /// with an empty value. `None` if a name or value does not [`decode`].
    pub fn parse(text: &str) -> Option<Self> {
        let mut pairs = Vec::new();
        for segment in text.split('&').filter(|segment| !segment.is_empty()) {
            let (name, value) = segment.split_once('=').unwrap_or((segment, ""));
            pairs.push((decode(name)?, decode(value)?));
        }
        Some(Self { pairs })
    }

    /// The first value of `name`; an empty value counts as absent (RFC 6749 §3.1: "parameters
    /// sent without a value MUST be treated as if they were omitted").
    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(n, v)| n == name && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The first name among `names` that has a value more than once (OAuth parameters "MUST
    /// NOT be included more than once").
    pub fn repeated<'a>(&self, names: &[&'a str]) -> Option<&'a str> {
        names.iter().copied().find(|name| {
            self.pairs
                .iter()
                .filter(|(n, v)| n == name && !v.is_empty())
                .count()
                > 1
        })
    }

    /// Every pair, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// Adds a pair at the end.
    pub fn push(&mut self, name: &str, value: &str) {
        self.pairs.push((name.to_owned(), value.to_owned()));
    }

    /// The pairs [`serialize`]d again (canonical encoding).
    pub fn to_query(&self) -> String {
        let pairs: Vec<(&str, &str)> = self.iter().collect();
        serialize(&pairs)
    }
}

/// Appends `query` (already encoded, without `?`) to `url`: after `?`, or `&` when `url` already
/// has a query. A `#fragment` of `url` is dropped (redirect URIs have none).
pub fn append_query(url: &str, query: &str) -> String {
    let base = url.split_once('#').map_or(url, |(base, _)| base);
    let separator = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    let mut out = base.to_owned();
    out.push_str(separator);
    out.push_str(query);
    out
}

#[cfg(test)]
mod tests {
    use super::{Params, append_query, decode, encode, serialize};

    #[test]
    fn decoding_follows_the_form_rules() {
        assert_eq!(decode("a+b%20c%2Bd").as_deref(), Some("a b c+d"));
        assert_eq!(decode("%C3%A9%c3%a9").as_deref(), Some("éé"));
        assert_eq!(decode("plain-._~").as_deref(), Some("plain-._~"));
        for bad in ["%", "%4", "%zz", "%G0", "%FF", "a%C3"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn encoding_reads_back() {
        let text = "a b&c=d/é+%~";
        assert_eq!(encode(text), "a%20b%26c%3Dd%2F%C3%A9%2B%25~");
        assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        assert_eq!(serialize(&[("x y", "1"), ("z", "")]), "x%20y=1&z=");
    }

    #[test]
    fn params_keep_order_and_see_repeats() {
        let params = Params::parse("a=1&&b&a=2&c=&c=").unwrap_or_default();
        assert_eq!(params.get("a"), Some("1"));
        assert_eq!(params.get("b"), None);
        assert_eq!(params.get("c"), None);
        assert_eq!(params.repeated(&["b", "c", "a"]), Some("a"));
        assert_eq!(params.to_query(), "a=1&b=&a=2&c=&c=");
        assert_eq!(Params::parse("a=%zz"), None);
    }

    #[test]
    fn queries_are_appended() {
        assert_eq!(append_query("http://h/cb", "code=1"), "http://h/cb?code=1");
        assert_eq!(
            append_query("http://h/cb?x=1", "code=1"),
            "http://h/cb?x=1&code=1"
        );
        assert_eq!(append_query("http://h/cb?", "code=1"), "http://h/cb?code=1");
        assert_eq!(
            append_query("http://h/cb#frag", "code=1"),
            "http://h/cb?code=1"
        );
    }
}
