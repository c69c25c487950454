//! Typed, zero-copy access to the claims of a decoded Cognito JWT payload.

use super::error::TokenError;
use crate::time::UnixTime;
use crate::wire::{JsonObject, JsonStr, JsonValue, parse_object};

/// The `token_use` claim: which kind of Cognito token this is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TokenUse {
    /// `"access"`: an access token, for the user-pool API and resource servers.
    Access,
    /// `"id"`: an id token, carrying the user's attributes.
    Id,
    /// Any other value.
    Other,
}

/// The claims of a JWT payload, borrowed from the decoded JSON text.
///
/// Accessors return `Ok(None)` for an absent (or `null`) claim and
/// [`TokenError::InvalidClaim`] for one of the wrong type. Strings are [`JsonStr`]s: compare
/// them with [`JsonStr::eq_str`], borrow them with [`JsonStr::as_plain`] when they hold no
/// escapes, or copy them out with [`JsonStr::to_fixed`].
///
/// ```
/// use cognito_core::token::{Claims, TokenUse};
/// let claims = Claims::from_json(
///     br#"{"token_use":"id","cognito:username":"alice","cognito:groups":["admin","ops"],
///          "custom:tier":"gold","email_verified":true}"#,
/// )?;
/// assert_eq!(claims.token_use()?, Some(TokenUse::Id));
/// assert!(claims.username()?.is_some_and(|u| u.eq_str("alice")));
/// assert_eq!(claims.groups()?.count(), 2);
/// assert!(claims.custom("tier").and_then(|v| v.as_str()).is_some_and(|t| t.eq_str("gold")));
/// assert_eq!(claims.email_verified()?, Some(true));
/// # Ok::<(), cognito_core::token::TokenError>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Claims<'a> {
    obj: JsonObject<'a>,
}

impl<'a> Claims<'a> {
    /// Reads decoded payload JSON; [`TokenError::InvalidJson`] or [`TokenError::NotAnObject`].
    pub fn from_json(json: &'a [u8]) -> Result<Self, TokenError> {
        match parse_object(json) {
            Ok(obj) => Ok(Self { obj }),
            Err(crate::ProtocolError::NotAnObject(_)) => Err(TokenError::NotAnObject),
            Err(_) => Err(TokenError::InvalidJson),
        }
    }

    /// The payload as a JSON object.
    #[must_use]
    pub fn as_object(&self) -> JsonObject<'a> {
        self.obj
    }

    /// Any claim by its full name (for example `"cognito:preferred_role"`); the last one wins
    /// when a name repeats.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<JsonValue<'a>> {
        self.obj.get(name)
    }

    /// A custom user attribute: the claim `custom:<name>` (id tokens).
    #[must_use]
    pub fn custom(&self, name: &str) -> Option<JsonValue<'a>> {
        self.obj
            .iter()
            .filter(|(key, _)| key.chars().eq("custom:".chars().chain(name.chars())))
            .last()
            .map(|(_, value)| value)
    }

    /// `sub`: the user's immutable id (a UUID).
    pub fn sub(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("sub")
    }

    /// The user name: `username` (access tokens), else `cognito:username` (id tokens).
    pub fn username(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        match self.string("username")? {
            Some(name) => Ok(Some(name)),
            None => self.string("cognito:username"),
        }
    }

    /// `token_use`: access or id token.
    pub fn token_use(&self) -> Result<Option<TokenUse>, TokenError> {
        Ok(self.string("token_use")?.map(|s| {
            if s.eq_str("access") {
                TokenUse::Access
            } else if s.eq_str("id") {
                TokenUse::Id
            } else {
                TokenUse::Other
            }
        }))
    }

    /// `exp`: when the token expires, on the server's clock.
    pub fn exp(&self) -> Result<Option<UnixTime>, TokenError> {
        self.numeric_date("exp")
    }

    /// `iat`: when the token was issued, on the server's clock.
    pub fn iat(&self) -> Result<Option<UnixTime>, TokenError> {
        self.numeric_date("iat")
    }

    /// `nbf`: when the token becomes valid, on the server's clock (Cognito sets none).
    pub fn nbf(&self) -> Result<Option<UnixTime>, TokenError> {
        self.numeric_date("nbf")
    }

    /// `auth_time`: when the user authenticated (refreshes keep the original time).
    pub fn auth_time(&self) -> Result<Option<UnixTime>, TokenError> {
        self.numeric_date("auth_time")
    }

    /// The app client: `client_id` (access tokens), else the first `aud` (id tokens).
    pub fn client_id(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        match self.string("client_id")? {
            Some(id) => Ok(Some(id)),
            None => Ok(self.aud()?.next()),
        }
    }

    /// `aud`: the audiences, a string or an array of strings (id tokens: the app client id).
    /// Empty when absent.
    pub fn aud(&self) -> Result<impl Iterator<Item = JsonStr<'a>> + 'a + use<'a>, TokenError> {
        self.strings("aud", true)
    }

    /// `cognito:groups`: the user-pool groups the user belongs to. Empty when absent.
    pub fn groups(&self) -> Result<impl Iterator<Item = JsonStr<'a>> + 'a + use<'a>, TokenError> {
        self.strings("cognito:groups", false)
    }

    /// `origin_jti`: identifies the sign-in the token descends from (kept across refreshes).
    pub fn origin_jti(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("origin_jti")
    }

    /// `jti`: the token's own id.
    pub fn jti(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("jti")
    }

    /// `device_key`: the tracked device the token was issued to (access tokens).
    pub fn device_key(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("device_key")
    }

    /// `email` (id tokens).
    pub fn email(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("email")
    }

    /// `email_verified` (id tokens): a boolean, or the strings `"true"` / `"false"`.
    pub fn email_verified(&self) -> Result<Option<bool>, TokenError> {
        const KEY: &str = "email_verified";
        match self.obj.get(KEY) {
            None | Some(JsonValue::Null) => Ok(None),
            Some(JsonValue::Bool(b)) => Ok(Some(b)),
            Some(JsonValue::String(s)) if s.eq_str("true") => Ok(Some(true)),
            Some(JsonValue::String(s)) if s.eq_str("false") => Ok(Some(false)),
            Some(_) => Err(TokenError::InvalidClaim(KEY)),
        }
    }

    /// `scope` (access tokens): space-separated scopes, for example
    /// `"aws.cognito.signin.user.admin"`.
    pub fn scope(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("scope")
    }

    /// The scopes of [`scope`](Self::scope), one by one. Empty when absent;
    /// [`TokenError::InvalidClaim`] when the string contains JSON escapes (scope tokens cannot
    /// contain `"` or `\`, RFC 6749 §3.3).
    pub fn scopes(&self) -> Result<impl Iterator<Item = &'a str> + 'a + use<'a>, TokenError> {
        let text = match self.scope()? {
            Some(s) => s.as_plain().ok_or(TokenError::InvalidClaim("scope"))?,
            None => "",
        };
        Ok(text.split(' ').filter(|s| !s.is_empty()))
    }

    /// `iss`: the issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>` (or
    /// `https://issuer-cognito-idp.…`: [`super::IssuerFormat`]).
    pub fn iss(&self) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.string("iss")
    }

    fn string(&self, key: &'static str) -> Result<Option<JsonStr<'a>>, TokenError> {
        self.obj
            .get_str(key)
            .map_err(|_| TokenError::InvalidClaim(key))
    }

    fn numeric_date(&self, key: &'static str) -> Result<Option<UnixTime>, TokenError> {
        match self.obj.get(key) {
            None | Some(JsonValue::Null) => Ok(None),
            Some(JsonValue::Number(n)) => parse_numeric_date(n)
                .map(Some)
                .ok_or(TokenError::InvalidClaim(key)),
            Some(_) => Err(TokenError::InvalidClaim(key)),
        }
    }

    /// A string or an array of strings, checked once so the iterator can skip nothing.
    fn strings(
        &self,
        key: &'static str,
        single_allowed: bool,
    ) -> Result<impl Iterator<Item = JsonStr<'a>> + 'a + use<'a>, TokenError> {
        let (single, array) = match self.obj.get(key) {
            None | Some(JsonValue::Null) => (None, None),
            Some(JsonValue::String(s)) if single_allowed => (Some(s), None),
            Some(JsonValue::Array(a)) if a.iter().all(|v| v.as_str().is_some()) => (None, Some(a)),
            Some(_) => return Err(TokenError::InvalidClaim(key)),
        };
        Ok(single.into_iter().chain(
            array
                .into_iter()
                .flat_map(|a| a.iter())
                .filter_map(|v| v.as_str()),
        ))
    }
}

/// A JSON number as an RFC 7519 NumericDate: non-negative seconds, any fraction dropped.
fn parse_numeric_date(n: &str) -> Option<UnixTime> {
    if n.contains(['e', 'E']) {
        let secs: f64 = n.parse().ok()?;
        // 2^64 as f64; values below it truncate into a u64 exactly.
        if !(0.0..18_446_744_073_709_551_616.0).contains(&secs) {
            return None;
        }
        // In range and non-negative, so the cast only drops the fraction.
        return Some(UnixTime::from_secs(secs as u64));
    }
    let (int, frac) = n.split_once('.').unwrap_or((n, ""));
    if int.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    int.bytes()
        .try_fold(0u64, |acc, b| {
            let digit = b.checked_sub(b'0').filter(|d| *d <= 9)?;
            acc.checked_mul(10)?.checked_add(u64::from(digit))
        })
        .map(UnixTime::from_secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_dates() {
        let secs = |n| parse_numeric_date(n).map(UnixTime::as_secs);
        assert_eq!(secs("0"), Some(0));
        assert_eq!(secs("1700000000"), Some(1_700_000_000));
        assert_eq!(secs("1700000000.75"), Some(1_700_000_000));
        assert_eq!(secs("1.7e9"), Some(1_700_000_000));
        assert_eq!(secs("18446744073709551615"), Some(u64::MAX));
        assert_eq!(secs("18446744073709551616"), None);
        assert_eq!(secs("-1"), None);
        assert_eq!(secs("-1e3"), None);
        assert_eq!(secs("1e400"), None);
        assert_eq!(secs("2e19"), None);
    }

    #[test]
    fn wrong_types() {
        let c = Claims::from_json(
            br#"{"exp":"soon","sub":1,"cognito:groups":["a",2],"aud":{},"email_verified":"yes",
                "scope":"a\u0020b"}"#,
        )
        .unwrap();
        assert_eq!(c.exp().unwrap_err(), TokenError::InvalidClaim("exp"));
        assert_eq!(c.sub().unwrap_err(), TokenError::InvalidClaim("sub"));
        assert!(c.groups().is_err());
        assert!(c.aud().is_err());
        assert!(c.client_id().is_err());
        assert_eq!(
            c.email_verified().unwrap_err(),
            TokenError::InvalidClaim("email_verified")
        );
        assert!(c.scopes().is_err());
        assert!(c.iat().unwrap().is_none());
    }

    #[test]
    fn groups_must_be_an_array() {
        let c = Claims::from_json(br#"{"cognito:groups":"admin"}"#).unwrap();
        assert!(c.groups().is_err());
    }
}
