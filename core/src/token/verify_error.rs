//! Why a token was refused by [`super::verify`] (or by the header, key and claim checks it is
//! made of).

use core::fmt;

use super::error::TokenError;

/// A token that is not accepted, and why. Every refusal is its own variant, so a server can log
/// or count them; none of them says "try again" except [`UnknownKey`](Self::UnknownKey), after
/// which a verifier fetches the pool's JWKS once more (the pool may have rotated its keys).
///
/// Like [`TokenError`], this is not part of [`crate::Error`]: the token comes from whoever
/// presents it to the caller, not from Cognito, so a refusal is neither a protocol failure nor
/// the caller's misuse. [`InvalidJwks`](Self::InvalidJwks) and [`InvalidKey`](Self::InvalidKey)
/// are the exception: the key set itself (from the pool's `/.well-known/jwks.json`) is unusable.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum VerifyError {
    /// Not a compact JWS, or its payload is not readable: wrong number of parts, bad base64url,
    /// payload not a JSON object, a claim of the wrong type (a huge `exp`, a numeric `sub`, …),
    /// or a payload longer than the caller's buffer.
    Malformed(TokenError),
    /// The header is not base64url of a JSON object.
    MalformedHeader(TokenError),
    /// The header's named member is absent or not a string (`"alg"`, `"kid"`), or is one this
    /// verifier does not understand (`"crit"`).
    InvalidHeader(&'static str),
    /// `alg` is not `RS256` (`none`, `HS256`, `RS384`, `ES256`, …): refused whatever the key.
    UnsupportedAlgorithm,
    /// No key of the key set has the header's `kid`: fetch the key set again (once) and retry.
    UnknownKey,
    /// The key with the header's `kid` cannot verify RS256; the member named is the reason
    /// (`"kty"` not `RSA`, `"alg"` not `RS256`, `"use"` not `sig`, `"n"` / `"e"` absent, not
    /// base64url, or out of range: a modulus of 2048 to 4096 bits is required).
    InvalidKey(&'static str),
    /// The key set is not a JSON object with a `keys` array (the member named is the problem:
    /// `"body"` for JSON that does not parse, `"keys"` otherwise).
    InvalidJwks(&'static str),
    /// The signature does not verify with the key the header names.
    BadSignature,
    /// `exp` is past (beyond the leeway).
    Expired,
    /// `iat` is in the future (beyond the leeway).
    IssuedInFuture,
    /// `nbf` is in the future (beyond the leeway).
    NotYetValid,
    /// `iss` is not the expected issuer.
    WrongIssuer,
    /// `token_use` is not the one expected (`access` or `id`).
    WrongTokenUse,
    /// `client_id` (access tokens) or `aud` (id tokens) names none of the expected app clients.
    WrongClient,
    /// The access token's `scope` lacks the required scope.
    MissingScope,
    /// `cognito:groups` lacks the required group.
    MissingGroup,
    /// A claim the checks need is absent (`"iss"`, `"exp"`, `"token_use"`, `"client_id"`,
    /// `"aud"`).
    MissingClaim(&'static str),
}

impl VerifyError {
    /// Whether fetching the key set again could change the outcome ([`UnknownKey`](Self::UnknownKey)).
    #[must_use]
    pub fn wants_new_keys(&self) -> bool {
        matches!(self, VerifyError::UnknownKey)
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Malformed(e) => write!(f, "malformed token: {e}"),
            VerifyError::MalformedHeader(e) => write!(f, "malformed token header: {e}"),
            VerifyError::InvalidHeader(name) => write!(f, "invalid token header member {name}"),
            VerifyError::UnsupportedAlgorithm => f.write_str("token algorithm is not RS256"),
            VerifyError::UnknownKey => f.write_str("token signed by a key not in the key set"),
            VerifyError::InvalidKey(name) => write!(f, "signing key unusable for RS256 ({name})"),
            VerifyError::InvalidJwks(name) => write!(f, "invalid key set ({name})"),
            VerifyError::BadSignature => f.write_str("token signature does not verify"),
            VerifyError::Expired => f.write_str("token expired"),
            VerifyError::IssuedInFuture => f.write_str("token issued in the future"),
            VerifyError::NotYetValid => f.write_str("token not yet valid"),
            VerifyError::WrongIssuer => f.write_str("token from another issuer"),
            VerifyError::WrongTokenUse => f.write_str("wrong token use"),
            VerifyError::WrongClient => f.write_str("token for another app client"),
            VerifyError::MissingScope => f.write_str("token lacks the required scope"),
            VerifyError::MissingGroup => f.write_str("user not in the required group"),
            VerifyError::MissingClaim(name) => write!(f, "token lacks the claim {name}"),
        }
    }
}

impl core::error::Error for VerifyError {}

impl From<TokenError> for VerifyError {
    fn from(e: TokenError) -> Self {
        VerifyError::Malformed(e)
    }
}
