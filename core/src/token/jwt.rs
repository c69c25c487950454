//! Splitting a compact JWS (`header.payload.signature`) and decoding its parts, without
//! verifying the signature.

use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};

use super::claims::Claims;
use super::error::TokenError;
use crate::error::BufferTooSmall;
use crate::wire::{JsonObject, parse_object};

/// A JWT split into its three base64url parts, borrowed from the token text.
///
/// Parsing checks the shape only: three `.`-separated parts of base64url characters (trailing
/// `=` padding tolerated), header and payload not empty. Nothing is verified.
///
/// ```
/// use cognito_core::token::Jwt;
/// // {"alg":"none"} . {"sub":"abc","exp":2000000000} . (no signature)
/// let jwt = Jwt::parse("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMiLCJleHAiOjIwMDAwMDAwMDB9.")?;
/// let mut buf = [0u8; 64];
/// let claims = jwt.claims(&mut buf)?;
/// assert!(claims.sub()?.is_some_and(|s| s.eq_str("abc")));
/// assert_eq!(claims.exp()?.map(|t| t.as_secs()), Some(2_000_000_000));
/// # Ok::<(), cognito_core::token::TokenError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Jwt<'t> {
    header: &'t str,
    payload: &'t str,
    signature: &'t str,
    signing_input: &'t str,
}

impl<'t> Jwt<'t> {
    /// Splits `token` into header, payload and signature; [`TokenError::Malformed`] unless it
    /// has exactly three parts of base64url characters with a non-empty header and payload.
    pub fn parse(token: &'t str) -> Result<Self, TokenError> {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TokenError::Malformed);
        };
        if header.is_empty() || payload.is_empty() {
            return Err(TokenError::Malformed);
        }
        if ![header, payload, signature]
            .iter()
            .all(|part| part.bytes().all(is_base64url_or_pad))
        {
            return Err(TokenError::Malformed);
        }
        // `header.payload`: both parts plus the dot, a prefix of `token`.
        let signing_input = token
            .get(..header.len() + 1 + payload.len())
            .ok_or(TokenError::Malformed)?;
        Ok(Self {
            header,
            payload,
            signature,
            signing_input,
        })
    }

    /// The header part, base64url text.
    #[must_use]
    pub fn header_b64(&self) -> &'t str {
        self.header
    }

    /// The payload part, base64url text.
    #[must_use]
    pub fn payload_b64(&self) -> &'t str {
        self.payload
    }

    /// The signature part, base64url text (possibly empty).
    #[must_use]
    pub fn signature_b64(&self) -> &'t str {
        self.signature
    }

    /// `header.payload`: the bytes a verifier checks the signature over.
    #[must_use]
    pub fn signing_input(&self) -> &'t str {
        self.signing_input
    }

    /// The decoded length of the payload, or [`TokenError::InvalidBase64`] for an impossible
    /// base64url length.
    pub fn payload_len(&self) -> Result<usize, TokenError> {
        decoded_len(self.payload)
    }

    /// Decodes the payload (the claims' JSON text) into `buf`.
    ///
    /// [`TokenError::BufferTooSmall`] carries the size needed and leaves `buf` untouched; after
    /// [`TokenError::InvalidBase64`] the contents of `buf` are unspecified.
    pub fn decode_payload<'b>(&self, buf: &'b mut [u8]) -> Result<&'b [u8], TokenError> {
        decode_part(self.payload, buf)
    }

    /// Decodes the payload into `buf` and reads it as [`Claims`].
    pub fn claims<'b>(&self, buf: &'b mut [u8]) -> Result<Claims<'b>, TokenError> {
        Claims::from_json(self.decode_payload(buf)?)
    }

    /// Decodes the header (`{"kid":…,"alg":…}`) into `buf` and reads it as a JSON object.
    pub fn header<'b>(&self, buf: &'b mut [u8]) -> Result<JsonObject<'b>, TokenError> {
        let json = decode_part(self.header, buf)?;
        parse_object(json).map_err(|e| match e {
            crate::ProtocolError::NotAnObject(_) => TokenError::NotAnObject,
            _ => TokenError::InvalidJson,
        })
    }
}

impl fmt::Debug for Jwt<'_> {
    /// Shows part lengths only: the token is a bearer credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwt")
            .field("header_len", &self.header.len())
            .field("payload_len", &self.payload.len())
            .field("signature_len", &self.signature.len())
            .finish()
    }
}

/// Splits `token` and decodes its payload into `buf` as [`Claims`]; see [`Jwt::claims`].
///
/// ```
/// use cognito_core::token::{decode_claims, TokenError};
/// let mut buf = [0u8; 8];
/// let err = decode_claims("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhYmMiLCJleHAiOjIwMDAwMDAwMDB9.", &mut buf);
/// assert!(matches!(err, Err(TokenError::BufferTooSmall(e)) if e.required == 30));
/// ```
pub fn decode_claims<'b>(token: &str, buf: &'b mut [u8]) -> Result<Claims<'b>, TokenError> {
    Jwt::parse(token)?.claims(buf)
}

fn is_base64url_or_pad(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'=')
}

/// Strips `=` padding, which is accepted only as one or two characters completing a multiple
/// of four.
fn unpad(part: &str) -> Result<&str, TokenError> {
    let unpadded = part.trim_end_matches('=');
    match part.len() - unpadded.len() {
        0 => Ok(part),
        1 | 2 if part.len().is_multiple_of(4) => Ok(unpadded),
        _ => Err(TokenError::InvalidBase64),
    }
}

/// Decoded length of a base64url part (padded or not).
fn decoded_len(part: &str) -> Result<usize, TokenError> {
    let n = unpad(part)?.len();
    let tail = match n % 4 {
        0 => 0,
        2 => 1,
        3 => 2,
        _ => return Err(TokenError::InvalidBase64),
    };
    Ok(n / 4 * 3 + tail)
}

pub(super) fn decode_part<'b>(part: &str, buf: &'b mut [u8]) -> Result<&'b [u8], TokenError> {
    let required = decoded_len(part)?;
    let Some(out) = buf.get_mut(..required) else {
        return Err(BufferTooSmall { required }.into());
    };
    Base64UrlUnpadded::decode(unpad(part)?, out).map_err(|_| TokenError::InvalidBase64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape() {
        assert_eq!(Jwt::parse(""), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse("a.b"), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse("a.b.c.d"), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse(".b.c"), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse("a..c"), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse("a.b+.c"), Err(TokenError::Malformed));
        assert_eq!(Jwt::parse("a.b.c d"), Err(TokenError::Malformed));
        let jwt = Jwt::parse("aa.bbb.cc").unwrap();
        assert_eq!(jwt.header_b64(), "aa");
        assert_eq!(jwt.payload_b64(), "bbb");
        assert_eq!(jwt.signature_b64(), "cc");
        assert_eq!(jwt.signing_input(), "aa.bbb");
    }

    #[test]
    fn lengths_and_padding() {
        assert_eq!(decoded_len("e30"), Ok(2));
        assert_eq!(decoded_len("e30="), Ok(2));
        assert_eq!(decoded_len("e3=="), Ok(1));
        assert_eq!(decoded_len("e30=="), Err(TokenError::InvalidBase64));
        assert_eq!(decoded_len("e==="), Err(TokenError::InvalidBase64));
        assert_eq!(decoded_len("abcde"), Err(TokenError::InvalidBase64));
        let mut buf = [0u8; 2];
        assert_eq!(decode_part("e30=", &mut buf), Ok(&b"{}"[..]));
        assert_eq!(
            decode_part("e3=0", &mut [0u8; 3]),
            Err(TokenError::InvalidBase64)
        );
        // Non-canonical trailing bits.
        assert_eq!(decode_part("e31", &mut buf), Err(TokenError::InvalidBase64));
    }

    #[test]
    fn buffer_untouched_when_too_small() {
        let mut buf = [0xAAu8; 1];
        assert_eq!(
            decode_part("e30", &mut buf),
            Err(TokenError::BufferTooSmall(BufferTooSmall { required: 2 }))
        );
        assert_eq!(buf, [0xAA]);
    }
}
