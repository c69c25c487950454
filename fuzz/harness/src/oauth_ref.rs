//! The reference for the pool domain's readers and writers (`cognito_core::oauth`), written from
//! RFC 3986 / the form encoding and the core's documentation, not from its code: a percent
//! decoder and encoders, a query-string splitter, base64, the OAuth error body, and the rules of
//! `read_redirect` and `read_token_reply`.

use cognito_core::ProtocolError;
use cognito_core::wire::HttpResponse;

use crate::json_ref::RefObject;
use crate::reply_ref::{self, fit};

/// The longest `error` code the core keeps (`MAX_OAUTH_ERROR_LEN`).
pub const ERROR_LEN: usize = 64;
/// The longest `error_description` kept (`MAX_OAUTH_DESCRIPTION_LEN`).
pub const DESCRIPTION_LEN: usize = 256;
/// The longest authorization code kept (`MAX_CODE_LEN`).
pub const CODE_LEN: usize = 512;

// --- Percent encoding ------------------------------------------------------------------------

/// Decodes query or form text: `%` and two hex digits (either case) is that byte, `+` a space,
/// anything else itself; `None` at a `%` not followed by two hex digits.
pub fn decode(raw: &str) -> Option<Vec<u8>> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hi = hex(*bytes.get(i + 1)?)?;
                let lo = hex(*bytes.get(i + 2)?)?;
                out.push(hi * 16 + lo);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    Some(out)
}

fn hex(c: u8) -> Option<u8> {
    char::from(c).to_digit(16).map(|d| u8::try_from(d).unwrap())
}

/// [`decode`], when the bytes are UTF-8 too.
pub fn decode_text(raw: &str) -> Option<String> {
    String::from_utf8(decode(raw)?).ok()
}

/// How a redirect's values are written (the reader must take them all).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// RFC 3986: everything but `A–Z a–z 0–9 - . _ ~` as `%XX`, upper-case hex (what the core
    /// writes).
    Strict,
    /// The same with lower-case hex.
    LowerHex,
    /// Spaces as `+` (HTML forms).
    PlusForSpace,
    /// Only what a query value cannot carry escaped (`% & + # =`, controls, space, non-ASCII):
    /// `/ : ? @ ! $ ' ( ) * , ;` left as they are.
    Loose,
}

/// Percent-encodes `text` in `style`.
pub fn encode(text: &[u8], style: Style) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for &b in text {
        let unreserved = b.is_ascii_alphanumeric() || b"-._~".contains(&b);
        let keep = unreserved || (style == Style::Loose && b"/:?@!$'()*,;".contains(&b));
        if keep {
            out.push(char::from(b));
        } else if b == b' ' && style == Style::PlusForSpace {
            out.push('+');
        } else if style == Style::LowerHex {
            out.push_str(&format!("%{b:02x}"));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `name=value&…`, each strictly encoded: what the core writes into form bodies and URLs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(n, v)| {
            format!(
                "{}={}",
                encode(n.as_bytes(), Style::Strict),
                encode(v.as_bytes(), Style::Strict)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

// --- Query strings ---------------------------------------------------------------------------

/// The raw `(name, value)` pairs of a redirect URL: the text after the first `?` and before the
/// first `#` (none: no pairs), split at `&` (empty pieces skipped), each at its first `=` (none:
/// an empty value).
pub fn query_pairs(url: &str) -> Vec<(&str, &str)> {
    let before_fragment = url.split('#').next().unwrap_or("");
    let query = match before_fragment.find('?') {
        Some(i) => &before_fragment[i + 1..],
        None => "",
    };
    form_pairs(query)
}

/// The raw pairs of a form body or query (no `?`).
pub fn form_pairs(text: &str) -> Vec<(&str, &str)> {
    text.split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| match piece.find('=') {
            Some(i) => (&piece[..i], &piece[i + 1..]),
            None => (piece, ""),
        })
        .collect()
}

/// The raw values of the pairs whose name decodes to `name`.
pub fn named<'a>(pairs: &[(&'a str, &'a str)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(n, _)| decode(n).as_deref() == Some(name.as_bytes()))
        .map(|(_, v)| *v)
        .collect()
}

/// The one value named `name`: `Ok(None)` when absent, `Err(())` when repeated (as
/// `Pairs::unique`).
#[allow(clippy::result_unit_err)]
pub fn unique<'a>(pairs: &[(&'a str, &'a str)], name: &str) -> Result<Option<&'a str>, ()> {
    match named(pairs, name).as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => Err(()),
    }
}

// --- Base64 ----------------------------------------------------------------------------------

/// Standard base64 with padding (RFC 4648 §4).
pub fn base64(data: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

// --- What the readers return -----------------------------------------------------------------

/// An OAuth error as the reference expects it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefOAuth {
    /// The code, cut; `None` where the documentation leaves its text open (only its shape is
    /// checked).
    pub code: Option<String>,
    /// The description, cut; `None` as for `code`.
    pub description: Option<String>,
    /// The HTTP status (`None` for a redirect).
    pub status: Option<u16>,
}

/// What a reader should return, short of its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RefErr {
    /// `Error::OAuth`.
    OAuth(RefOAuth),
    /// `Error::Protocol`.
    Protocol(ProtocolError),
}

impl From<ProtocolError> for RefErr {
    fn from(e: ProtocolError) -> Self {
        RefErr::Protocol(e)
    }
}

/// The text an OAuth error keeps of a redirect's value: decoded, printable ASCII as itself and
/// any other character as U+FFFD, cut to `max` bytes at a character. `None` (left open) when
/// the value has a malformed escape or is not UTF-8 once decoded.
pub fn redirect_error_text(raw: &str, max: usize) -> Option<String> {
    let text = decode_text(raw)?;
    let shown: String = text
        .chars()
        .map(|c| {
            if (' '..='~').contains(&c) {
                c
            } else {
                '\u{FFFD}'
            }
        })
        .collect();
    Some(fit(&shown, max).0)
}

/// `read_redirect(url, expected_state)` as documented: the decoded code, or the error.
pub fn read_redirect(url: &str, expected_state: &str) -> Result<String, RefErr> {
    let pairs = query_pairs(url);
    let oauth = || -> Option<RefOAuth> {
        let code = unique(&pairs, "error").ok().flatten()?;
        let description = match unique(&pairs, "error_description") {
            Ok(Some(d)) => redirect_error_text(d, DESCRIPTION_LEN),
            _ => Some(String::new()),
        };
        Some(RefOAuth {
            code: redirect_error_text(code, ERROR_LEN),
            description,
            status: None,
        })
    };
    match unique(&pairs, "state") {
        Err(()) => return Err(ProtocolError::StateMismatch.into()),
        Ok(Some(state)) => {
            if decode(state).as_deref() != Some(expected_state.as_bytes()) {
                return Err(ProtocolError::StateMismatch.into());
            }
        }
        Ok(None) => {
            return Err(match oauth() {
                Some(e) => RefErr::OAuth(e),
                None => ProtocolError::MissingField("state").into(),
            });
        }
    }
    if let Some(e) = oauth() {
        return Err(RefErr::OAuth(e));
    }
    let code = unique(&pairs, "code")
        .map_err(|()| ProtocolError::InvalidField("code"))?
        .ok_or(ProtocolError::MissingField("code"))?;
    let code = decode_text(code).ok_or(ProtocolError::InvalidField("code"))?;
    if code.len() > CODE_LEN {
        return Err(ProtocolError::FieldTooLong {
            field: "code",
            max: CODE_LEN,
        }
        .into());
    }
    if code.is_empty() || !code.bytes().all(|b| (0x21..=0x7E).contains(&b)) {
        return Err(ProtocolError::InvalidField("code").into());
    }
    Ok(code)
}

/// The JSON object of a pool-domain reply, or its error: a 2xx body of JSON whitespace only is
/// `{}`, another 2xx body must be an object; a 4xx or 5xx is an OAuth error with the body's
/// string `error` and `error_description` (cut), when the body is an object that has them; any
/// other status is `UnexpectedStatus`.
pub fn oauth_object(response: &HttpResponse<'_>) -> Result<RefObject, RefErr> {
    match response.status {
        200..=299
            if response
                .body
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r')) =>
        {
            Ok(RefObject {
                members: Vec::new(),
                raw: "{}".to_owned(),
            })
        }
        200..=299 => Ok(reply_ref::parse_object(response.body)?),
        400..=599 => {
            let body = reply_ref::parse_object(response.body).ok();
            let text = |key: &'static str, max: usize| {
                body.as_ref()
                    .and_then(|b| reply_ref::get_str(b, key).ok().flatten())
                    .map(|s| fit(&s.text, max).0)
                    .unwrap_or_default()
            };
            Err(RefErr::OAuth(RefOAuth {
                code: Some(text("error", ERROR_LEN)),
                description: Some(text("error_description", DESCRIPTION_LEN)),
                status: Some(response.status),
            }))
        }
        status => Err(ProtocolError::UnexpectedStatus(status).into()),
    }
}

/// The tokens of a token reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RefTokens {
    /// `access_token`.
    pub access_token: String,
    /// `id_token`.
    pub id_token: Option<String>,
    /// `refresh_token`.
    pub refresh_token: Option<String>,
    /// `expires_in`.
    pub expires_in: u64,
    /// `token_type`.
    pub token_type: String,
}

/// `read_token_reply` as documented: `access_token`, `expires_in` and `token_type` required;
/// tokens plain JSON strings of printable ASCII (no space), not empty; `token_type` `Bearer` in
/// any case.
pub fn read_token_reply(response: &HttpResponse<'_>) -> Result<RefTokens, RefErr> {
    let body = oauth_object(response)?;
    let token_ok = |t: &str| !t.is_empty() && t.bytes().all(|b| (0x21..=0x7E).contains(&b));
    let token = |key: &'static str| -> Result<Option<String>, ProtocolError> {
        match reply_ref::plain(&body, key)? {
            Some(t) if !token_ok(&t) => Err(ProtocolError::InvalidField(key)),
            other => Ok(other),
        }
    };
    let access_token = token("access_token")?.ok_or(ProtocolError::MissingField("access_token"))?;
    let id_token = token("id_token")?;
    let refresh_token = token("refresh_token")?;
    let expires_in = reply_ref::get_u64(&body, "expires_in")?
        .ok_or(ProtocolError::MissingField("expires_in"))?;
    let token_type = reply_ref::require_plain(&body, "token_type")?;
    if !token_type.eq_ignore_ascii_case("bearer") {
        return Err(ProtocolError::InvalidField("token_type").into());
    }
    Ok(RefTokens {
        access_token,
        id_token,
        refresh_token,
        expires_in,
        token_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_itself() {
        assert_eq!(decode("a+b%2Bc%2f").unwrap(), b"a b+c/");
        assert_eq!(decode("%"), None);
        assert_eq!(decode("%4"), None);
        assert_eq!(decode("%+4"), None);
        assert_eq!(encode("a b/é".as_bytes(), Style::Strict), "a%20b%2F%C3%A9");
        assert_eq!(encode(b"a b/", Style::PlusForSpace), "a+b%2F");
        assert_eq!(encode(b"a b/", Style::Loose), "a%20b/");
        assert_eq!(encode(b"/", Style::LowerHex), "%2f");
        assert_eq!(base64(b"client:secret"), "Y2xpZW50OnNlY3JldA==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(
            query_pairs("/cb?a=1&&b&c=x=y#d=2"),
            [("a", "1"), ("b", ""), ("c", "x=y")]
        );
        assert_eq!(read_redirect("/cb?code=a&state=s", "s").unwrap(), "a");
    }
}
