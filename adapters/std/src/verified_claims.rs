//! The claims of a token a [`crate::TokenVerifier`] accepted, owned.

use serde_json::{Map, Value};

/// The claims of a verified token, as a JSON object, with typed accessors for the ones Cognito
/// sets. Only a [`crate::TokenVerifier`] makes one, after the signature and the claims checked.
#[derive(Clone, Debug, PartialEq)]
pub struct VerifiedClaims {
    claims: Map<String, Value>,
}

impl VerifiedClaims {
    /// The claims of `json`, the payload the core accepted (a JSON object).
    pub(crate) fn from_json(json: &str) -> Option<Self> {
        match serde_json::from_str(json).ok()? {
            Value::Object(claims) => Some(Self { claims }),
            _ => None,
        }
    }

    /// Any claim by name.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.claims.get(name)
    }

    /// All claims.
    #[must_use]
    pub fn as_map(&self) -> &Map<String, Value> {
        &self.claims
    }

    /// All claims, owned.
    #[must_use]
    pub fn into_map(self) -> Map<String, Value> {
        self.claims
    }

    /// `sub`: the user's immutable id (absent in client-credentials tokens: the client's id is
    /// `sub` there too).
    #[must_use]
    pub fn sub(&self) -> Option<&str> {
        self.str("sub")
    }

    /// The user name: `username` (access tokens), else `cognito:username` (ID tokens).
    #[must_use]
    pub fn username(&self) -> Option<&str> {
        self.str("username")
            .or_else(|| self.str("cognito:username"))
    }

    /// `token_use`: `access` or `id`.
    #[must_use]
    pub fn token_use(&self) -> Option<&str> {
        self.str("token_use")
    }

    /// The app client: `client_id` (access tokens), else `aud` (ID tokens).
    #[must_use]
    pub fn client_id(&self) -> Option<&str> {
        self.str("client_id")
            .or_else(|| match self.claims.get("aud") {
                Some(Value::String(aud)) => Some(aud.as_str()),
                Some(Value::Array(aud)) => aud.first().and_then(Value::as_str),
                _ => None,
            })
    }

    /// `iss`: the issuer.
    #[must_use]
    pub fn issuer(&self) -> Option<&str> {
        self.str("iss")
    }

    /// `exp`: when the token expires, seconds since the epoch.
    #[must_use]
    pub fn exp(&self) -> Option<u64> {
        self.secs("exp")
    }

    /// `iat`: when the token was issued, seconds since the epoch.
    #[must_use]
    pub fn iat(&self) -> Option<u64> {
        self.secs("iat")
    }

    /// `auth_time`: when the user signed in, seconds since the epoch.
    #[must_use]
    pub fn auth_time(&self) -> Option<u64> {
        self.secs("auth_time")
    }

    /// `cognito:groups`: the user's groups (empty when none).
    #[must_use]
    pub fn groups(&self) -> Vec<&str> {
        match self.claims.get("cognito:groups") {
            Some(Value::Array(groups)) => groups.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// The access token's scopes (`scope`, split at spaces; empty when none).
    #[must_use]
    pub fn scopes(&self) -> Vec<&str> {
        self.str("scope")
            .map(|s| s.split(' ').filter(|s| !s.is_empty()).collect())
            .unwrap_or_default()
    }

    fn str(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    fn secs(&self, name: &str) -> Option<u64> {
        let value = self.claims.get(name)?;
        value
            .as_u64()
            // The core accepts fractions and exponents; whole seconds are what matter.
            .or_else(|| value.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64))
    }
}
