//! A JSON Web Key Set (RFC 7517), as a pool serves at `/<poolId>/.well-known/jwks.json`: read in
//! place, keys found by `kid`.

use super::jwt::decode_part;
use super::verify_error::VerifyError;
use crate::wire::{JsonArray, JsonObject, JsonStr, JsonValue, parse_object};

/// The largest RSA modulus accepted, in bytes (4096 bits).
pub const MAX_MODULUS_LEN: usize = 512;
/// The smallest RSA modulus accepted, in bytes (2048 bits; Cognito's keys are 2048-bit).
pub const MIN_MODULUS_LEN: usize = 256;
/// The longest public exponent accepted, in bytes.
pub const MAX_EXPONENT_LEN: usize = 8;

/// A key set borrowed from its JSON text.
///
/// ```
/// use cognito_core::token::Jwks;
/// let jwks = Jwks::parse(br#"{"keys":[{"kid":"a","kty":"EC"},{"kid":"b","kty":"RSA","alg":"RS256","use":"sig","n":"AQAB","e":"AQAB"}]}"#)?;
/// assert_eq!(jwks.keys().count(), 2);
/// let key = jwks.find("b").ok_or(cognito_core::token::VerifyError::UnknownKey)?;
/// assert!(key.kty().is_some_and(|k| k.eq_str("RSA")));
/// assert!(jwks.find("c").is_none());
/// # Ok::<(), cognito_core::token::VerifyError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Jwks<'a> {
    keys: JsonArray<'a>,
}

impl<'a> Jwks<'a> {
    /// Reads a key set: a JSON object with a `keys` array. [`VerifyError::InvalidJwks`]`("body")`
    /// when the text is not a JSON object, `("keys")` when `keys` is absent or not an array.
    /// Members of `keys` that are not objects are skipped by [`keys`](Self::keys).
    pub fn parse(json: &'a [u8]) -> Result<Self, VerifyError> {
        let obj = parse_object(json).map_err(|_| VerifyError::InvalidJwks("body"))?;
        match obj.get("keys") {
            Some(JsonValue::Array(keys)) => Ok(Self { keys }),
            _ => Err(VerifyError::InvalidJwks("keys")),
        }
    }

    /// The keys, in order (members that are not objects skipped).
    pub fn keys(&self) -> impl Iterator<Item = Jwk<'a>> + 'a + use<'a> {
        self.keys
            .iter()
            .filter_map(|v| v.as_object())
            .map(|obj| Jwk { obj })
    }

    /// The first key whose `kid` is `kid`.
    #[must_use]
    pub fn find(&self, kid: &str) -> Option<Jwk<'a>> {
        self.keys()
            .find(|key| key.kid().is_some_and(|k| k.eq_str(kid)))
    }

    /// The first key whose `kid` is `kid` (a header's, possibly with JSON escapes).
    #[must_use]
    pub fn find_json(&self, kid: JsonStr<'_>) -> Option<Jwk<'a>> {
        self.keys()
            .find(|key| key.kid().is_some_and(|k| k.chars().eq(kid.chars())))
    }
}

/// One key of a [`Jwks`].
#[derive(Clone, Copy, Debug)]
pub struct Jwk<'a> {
    obj: JsonObject<'a>,
}

impl<'a> Jwk<'a> {
    /// `kid`: the key's id, as token headers name it.
    #[must_use]
    pub fn kid(&self) -> Option<JsonStr<'a>> {
        self.string("kid")
    }

    /// `kty`: the key type (`RSA` for Cognito's keys).
    #[must_use]
    pub fn kty(&self) -> Option<JsonStr<'a>> {
        self.string("kty")
    }

    /// `alg`: the algorithm the key is for (`RS256`), when given.
    #[must_use]
    pub fn alg(&self) -> Option<JsonStr<'a>> {
        self.string("alg")
    }

    /// `use`: `sig` for signing keys, when given.
    #[must_use]
    pub fn key_use(&self) -> Option<JsonStr<'a>> {
        self.string("use")
    }

    /// `n`: the RSA modulus, base64url (big-endian).
    #[must_use]
    pub fn n(&self) -> Option<JsonStr<'a>> {
        self.string("n")
    }

    /// `e`: the RSA public exponent, base64url (big-endian).
    #[must_use]
    pub fn e(&self) -> Option<JsonStr<'a>> {
        self.string("e")
    }

    /// The key as an RS256 public key: `kty` `RSA`, `alg` (when given) `RS256`, `use` (when
    /// given) `sig`; `n` and `e` decoded into the buffers (leading zero bytes dropped), `n` of
    /// 2048 to 4096 bits, `e` odd and above 1. [`VerifyError::InvalidKey`] names the first
    /// member that does not fit.
    pub fn rs256_key<'n, 'e>(
        &self,
        n_buf: &'n mut [u8; MAX_MODULUS_LEN],
        e_buf: &'e mut [u8; MAX_EXPONENT_LEN],
    ) -> Result<RsaPublicKeyBytes<'n, 'e>, VerifyError> {
        let is =
            |value: Option<JsonStr<'_>>, expected: &str| value.is_some_and(|v| v.eq_str(expected));
        let absent_or = |value: Option<JsonValue<'_>>, expected: &str| match value {
            None => true,
            Some(JsonValue::String(v)) => v.eq_str(expected),
            Some(_) => false,
        };
        if !is(self.kty(), "RSA") {
            return Err(VerifyError::InvalidKey("kty"));
        }
        if !absent_or(self.obj.get("alg"), super::header::RS256) {
            return Err(VerifyError::InvalidKey("alg"));
        }
        if !absent_or(self.obj.get("use"), "sig") {
            return Err(VerifyError::InvalidKey("use"));
        }
        let n = decode_plain(self.n(), n_buf).ok_or(VerifyError::InvalidKey("n"))?;
        let n = strip_leading_zeros(n);
        if !(MIN_MODULUS_LEN..=MAX_MODULUS_LEN).contains(&n.len())
            || n.last().is_none_or(|b| b % 2 == 0)
        {
            return Err(VerifyError::InvalidKey("n"));
        }
        let e = decode_plain(self.e(), e_buf).ok_or(VerifyError::InvalidKey("e"))?;
        let e = strip_leading_zeros(e);
        let e_is_one = e.len() == 1 && e.first() == Some(&1);
        if e.is_empty() || e_is_one || e.last().is_none_or(|b| b % 2 == 0) {
            return Err(VerifyError::InvalidKey("e"));
        }
        Ok(RsaPublicKeyBytes { n, e })
    }

    fn string(&self, name: &str) -> Option<JsonStr<'a>> {
        self.obj.get(name).and_then(|v| v.as_str())
    }
}

/// An RSA public key's modulus and exponent, big-endian without leading zeros.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RsaPublicKeyBytes<'n, 'e> {
    /// The modulus.
    pub n: &'n [u8],
    /// The public exponent.
    pub e: &'e [u8],
}

/// A base64url member without escapes (base64url has no character JSON escapes), decoded.
fn decode_plain<'b>(value: Option<JsonStr<'_>>, buf: &'b mut [u8]) -> Option<&'b [u8]> {
    let text = value?.as_plain()?;
    if !text
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'='))
    {
        return None;
    }
    decode_part(text, buf).ok()
}

fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    bytes.get(zeros..).unwrap_or_default()
}
