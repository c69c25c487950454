//! The JOSE header of a token to verify: `alg`, `kid`, `typ`, and the refusal of everything but
//! RS256.

use super::jwt::Jwt;
use super::verify_error::VerifyError;
use crate::wire::{JsonStr, JsonValue};

/// The only algorithm accepted: RSASSA-PKCS1-v1_5 with SHA-256, what Cognito signs with.
pub const RS256: &str = "RS256";

/// The longest header [`JwtHeader::decode`] reads, decoded, in bytes (Cognito's are about 70).
pub const MAX_HEADER_LEN: usize = 512;

/// A token's header, decoded into a caller buffer and checked: `alg` is `RS256`, `kid` is a
/// string, no `crit` member.
///
/// ```
/// use cognito_core::token::{Jwt, JwtHeader, VerifyError};
/// // {"alg":"none"}
/// let jwt = Jwt::parse("eyJhbGciOiJub25lIn0.e30.")?;
/// let mut buf = [0u8; 64];
/// assert_eq!(JwtHeader::decode(&jwt, &mut buf).unwrap_err(), VerifyError::UnsupportedAlgorithm);
/// // {"kid":"k1","alg":"RS256"}
/// let jwt = Jwt::parse("eyJraWQiOiJrMSIsImFsZyI6IlJTMjU2In0.e30.c2ln")?;
/// let header = JwtHeader::decode(&jwt, &mut buf)?;
/// assert!(header.kid().eq_str("k1"));
/// # Ok::<(), VerifyError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct JwtHeader<'b> {
    kid: JsonStr<'b>,
    typ: Option<JsonStr<'b>>,
}

impl<'b> JwtHeader<'b> {
    /// Decodes `jwt`'s header into `buf` and checks it.
    ///
    /// [`VerifyError::MalformedHeader`] when it is not base64url of a JSON object (or longer
    /// than `buf`), [`VerifyError::InvalidHeader`]`("alg")` when `alg` is absent or not a
    /// string, [`VerifyError::UnsupportedAlgorithm`] for any `alg` but `RS256`,
    /// [`VerifyError::InvalidHeader`]`("kid")` without a string `kid`,
    /// [`VerifyError::InvalidHeader`]`("crit")` with a `crit` member (RFC 7515 §4.1.11: an
    /// extension this verifier would have to understand), `("typ")` when `typ` is not a string.
    pub fn decode(jwt: &Jwt<'_>, buf: &'b mut [u8]) -> Result<Self, VerifyError> {
        let header = jwt.header(buf).map_err(VerifyError::MalformedHeader)?;
        let string = |name: &'static str| match header.get(name) {
            None => Ok(None),
            Some(JsonValue::String(s)) => Ok(Some(s)),
            Some(_) => Err(VerifyError::InvalidHeader(name)),
        };
        let alg = string("alg")?.ok_or(VerifyError::InvalidHeader("alg"))?;
        if !alg.eq_str(RS256) {
            return Err(VerifyError::UnsupportedAlgorithm);
        }
        if header.get("crit").is_some() {
            return Err(VerifyError::InvalidHeader("crit"));
        }
        let kid = string("kid")?.ok_or(VerifyError::InvalidHeader("kid"))?;
        let typ = string("typ")?;
        Ok(Self { kid, typ })
    }

    /// `alg`: always [`RS256`] once decoded.
    #[must_use]
    pub fn alg(&self) -> &'static str {
        RS256
    }

    /// `kid`: the id of the key in the pool's JWKS that signed the token.
    #[must_use]
    pub fn kid(&self) -> JsonStr<'b> {
        self.kid
    }

    /// `typ`, when present (Cognito sets none; `JWT` elsewhere).
    #[must_use]
    pub fn typ(&self) -> Option<JsonStr<'b>> {
        self.typ
    }
}
