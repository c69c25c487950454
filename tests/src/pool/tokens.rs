//! Tokens: access and id tokens (JWTs signed RS256 with the pool's current key, see the
//! `signing` module) and opaque refresh tokens.
//!
//! As Cognito's, the tokens carry a header `{"alg":"RS256","kid":..}` and verify under the
//! pool's JWKS ([`super::UserPool::jwks_json`]). Tokens the pool receives are checked the same
//! way: an RS256 signature by one of its published keys, so forged or altered tokens are refused.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};

use super::random::PoolRng;
use super::signing::KeyRing;

/// Lifetime of access and id tokens (the `ExpiresIn` of a sign-in), in seconds.
pub const TOKEN_LIFETIME_SECS: u64 = 3600;
/// Length in bytes of the randomness behind a refresh token (base64url: 1700 characters).
const REFRESH_TOKEN_BYTES: usize = 1275;
/// The scope of the JSON API's access tokens, which the user operations (GetUser, …) require.
pub const ADMIN_SCOPE: &str = "aws.cognito.signin.user.admin";

/// The claims of an access token, as [`super::UserPool::verify_access_token`] returns them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenClaims {
    /// The user's sub.
    pub sub: String,
    /// The user's username (`username` claim).
    pub username: String,
    /// The app client the token was issued to (`client_id`).
    pub client_id: String,
    /// `"access"`.
    pub token_use: String,
    /// Issued at (unix seconds).
    pub iat: u64,
    /// Expires at (unix seconds).
    pub exp: u64,
    /// When the user authenticated (unix seconds).
    pub auth_time: u64,
    /// The token's id.
    pub jti: String,
    /// The id of the original sign-in this token descends from.
    pub origin_jti: String,
    /// The device key, when the sign-in was a device sign-in.
    pub device_key: Option<String>,
    /// The granted scopes, space-separated (`scope` claim): [`ADMIN_SCOPE`] for the JSON API's
    /// tokens, what the hosted UI granted for the authorization-code grant's.
    pub scope: String,
}

impl TokenClaims {
    /// Whether the token was granted `scope`.
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|granted| granted == scope)
    }
}

/// Decodes the payload of a JWT-shaped token without checking anything (for assertions on id
/// tokens and on claims [`TokenClaims`] does not carry).
pub fn jwt_payload(token: &str) -> Option<Value> {
    let payload = token.split('.').nth(1)?;
    let bytes = Base64UrlUnpadded::decode_vec(payload).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Who a set of tokens is for.
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) sub: String,
    pub(crate) username: String,
    pub(crate) client_id: String,
    pub(crate) device_key: Option<String>,
    /// The user's attributes when signing in, which the id token carries as claims, as
    /// Cognito's do (`email`, `phone_number`, `email_verified` as a boolean, …).
    pub(crate) attributes: BTreeMap<String, String>,
    /// The access token's `scope` claim (space-separated).
    pub(crate) scope: String,
    /// Whether an id token goes with the access token (the JSON API: always; the hosted UI:
    /// when `openid` was granted).
    pub(crate) id_token: bool,
    /// The hosted UI's `nonce`, which the first id token carries (not those of refreshes).
    pub(crate) nonce: Option<String>,
}

impl Grant {
    /// A grant of the JSON API: scope [`ADMIN_SCOPE`], with an id token, no nonce.
    pub(crate) fn json_api(
        sub: String,
        username: String,
        client_id: String,
        device_key: Option<String>,
        attributes: BTreeMap<String, String>,
    ) -> Self {
        Self {
            sub,
            username,
            client_id,
            device_key,
            attributes,
            scope: ADMIN_SCOPE.to_owned(),
            id_token: true,
            nonce: None,
        }
    }
}

/// The three tokens of a sign-in (no id token when the grant has none).
#[derive(Debug, Clone)]
pub(crate) struct IssuedTokens {
    pub(crate) access: String,
    pub(crate) id: Option<String>,
    pub(crate) refresh: String,
}

/// What a refresh token stands for.
#[derive(Debug, Clone)]
pub(crate) struct RefreshGrant {
    pub(crate) grant: Grant,
    pub(crate) origin_jti: String,
    pub(crate) auth_time: u64,
    pub(crate) expires_at: u64,
    /// The device the token is bound to: the one proven at sign-in, or the one returned as
    /// `NewDeviceMetadata`. Refreshing then needs that `DEVICE_KEY`.
    pub(crate) bound_device: Option<String>,
    /// Rotated out: the token works until (excluding) this time.
    pub(crate) usable_until: Option<u64>,
    /// Revoked by `RevokeToken`, `GlobalSignOut` or `DeleteUser`.
    pub(crate) revoked: bool,
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RefreshTokenError {
    /// Not issued here, or rotated out.
    Invalid,
    /// Revoked (`RevokeToken`, `GlobalSignOut`, `DeleteUser`).
    Revoked,
    /// Past its lifetime.
    Expired,
}

/// Why an access token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AccessTokenError {
    /// Not a token this pool issued (or altered, or not an access token).
    Invalid,
    /// Issued here, then revoked (`GlobalSignOut`, `RevokeToken`, `DeleteUser`).
    Revoked,
    /// Issued here, but past its `exp`.
    Expired,
}

/// What the store remembers of an issued access token.
#[derive(Debug, Clone)]
struct AccessRecord {
    sub: String,
    origin_jti: String,
    revoked: bool,
}

/// The token store: the signing keys and every token issued.
#[derive(Debug, Clone)]
pub(crate) struct Tokens {
    keys: KeyRing,
    issuer: String,
    /// Issued access tokens by `jti`.
    access: BTreeMap<String, AccessRecord>,
    refresh: BTreeMap<String, RefreshGrant>,
}

impl Tokens {
    pub(crate) fn new(issuer: String) -> Self {
        Self {
            keys: KeyRing::default(),
            issuer,
            access: BTreeMap::new(),
            refresh: BTreeMap::new(),
        }
    }

    /// The issuer (`iss`) of the tokens issued from now on.
    pub(crate) fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Issues the tokens from now on under `issuer` (those issued before keep theirs).
    pub(crate) fn set_issuer(&mut self, issuer: String) {
        self.issuer = issuer;
    }

    /// Issues access, id and refresh tokens for a fresh sign-in at `now`; the refresh token lives
    /// `refresh_lifetime` seconds and is bound to the grant's device, if any.
    pub(crate) fn issue(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        grant: Grant,
        refresh_lifetime: u64,
    ) -> IssuedTokens {
        self.issue_at(rng, now, now, grant, refresh_lifetime)
    }

    /// As [`Self::issue`], for a user who authenticated at `auth_time` (the hosted UI's sign-in,
    /// before the code was exchanged).
    pub(crate) fn issue_at(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        auth_time: u64,
        grant: Grant,
        refresh_lifetime: u64,
    ) -> IssuedTokens {
        let origin_jti = rng.uuid();
        let (access, id) = self.access_and_id(rng, now, &grant, &origin_jti, auth_time);
        let refresh = rng.base64url(REFRESH_TOKEN_BYTES);
        self.refresh.insert(
            refresh.clone(),
            RefreshGrant {
                bound_device: grant.device_key.clone(),
                grant,
                origin_jti,
                auth_time,
                expires_at: now + refresh_lifetime,
                usable_until: None,
                revoked: false,
            },
        );
        IssuedTokens {
            access,
            id,
            refresh,
        }
    }

    /// New access and id tokens from a refresh grant: same sub, origin, scope and `auth_time`;
    /// the access token carries the bound device's key; the id token (if the grant has one) no
    /// nonce.
    pub(crate) fn reissue(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        refresh: &RefreshGrant,
    ) -> (String, Option<String>) {
        let grant = Grant {
            device_key: refresh.bound_device.clone(),
            nonce: None,
            ..refresh.grant.clone()
        };
        self.access_and_id(rng, now, &grant, &refresh.origin_jti, refresh.auth_time)
    }

    /// Rotation: a new refresh token for the same grant, living `lifetime` seconds; the old one
    /// keeps working for `grace` seconds.
    pub(crate) fn rotate(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        old: &str,
        grace: u64,
        lifetime: u64,
    ) -> Option<String> {
        let mut grant = self.refresh.get(old)?.clone();
        if let Some(old_grant) = self.refresh.get_mut(old) {
            let until = now + grace;
            old_grant.usable_until = Some(old_grant.usable_until.map_or(until, |t| t.min(until)));
        }
        let token = rng.base64url(REFRESH_TOKEN_BYTES);
        grant.expires_at = now + lifetime;
        grant.usable_until = None;
        self.refresh.insert(token.clone(), grant);
        Some(token)
    }

    /// Binds an issued refresh token to a device (the one just returned as `NewDeviceMetadata`).
    pub(crate) fn bind_refresh_device(&mut self, token: &str, device_key: &str) {
        if let Some(grant) = self.refresh.get_mut(token) {
            grant.bound_device = Some(device_key.to_owned());
        }
    }

    /// What a refresh token stands for, if this pool issued it and it is still usable at `now`.
    pub(crate) fn refresh_grant(
        &self,
        token: &str,
        now: u64,
    ) -> Result<RefreshGrant, RefreshTokenError> {
        let grant = self.refresh.get(token).ok_or(RefreshTokenError::Invalid)?;
        if grant.revoked {
            return Err(RefreshTokenError::Revoked);
        }
        if grant.usable_until.is_some_and(|until| now >= until) {
            return Err(RefreshTokenError::Invalid);
        }
        if now >= grant.expires_at {
            return Err(RefreshTokenError::Expired);
        }
        Ok(grant.clone())
    }

    fn access_and_id(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        grant: &Grant,
        origin_jti: &str,
        auth_time: u64,
    ) -> (String, Option<String>) {
        let access_jti = rng.uuid();
        let id_jti = rng.uuid();
        let exp = now + TOKEN_LIFETIME_SECS;

        let mut access = json!({
            "sub": grant.sub,
            "iss": self.issuer,
            "client_id": grant.client_id,
            "origin_jti": origin_jti,
            "token_use": "access",
            "scope": grant.scope,
            "auth_time": auth_time,
            "exp": exp,
            "iat": now,
            "jti": access_jti,
            "username": grant.username,
        });
        if let (Some(key), Some(map)) = (&grant.device_key, access.as_object_mut()) {
            map.insert("device_key".to_owned(), Value::String(key.clone()));
        }
        let mut id = json!({
            "sub": grant.sub,
            "iss": self.issuer,
            "cognito:username": grant.username,
            "origin_jti": origin_jti,
            "aud": grant.client_id,
            "token_use": "id",
            "auth_time": auth_time,
            "exp": exp,
            "iat": now,
            "jti": id_jti,
        });
        if let Some(map) = id.as_object_mut() {
            for (name, value) in &grant.attributes {
                let claim = match name.as_str() {
                    "email_verified" | "phone_number_verified" => Value::Bool(value == "true"),
                    _ => Value::String(value.clone()),
                };
                map.insert(name.clone(), claim);
            }
            if let Some(nonce) = &grant.nonce {
                map.insert("nonce".to_owned(), Value::String(nonce.clone()));
            }
        }
        let access = self.sign(&access);
        let id = grant.id_token.then(|| self.sign(&id));
        self.access.insert(
            access_jti,
            AccessRecord {
                sub: grant.sub.clone(),
                origin_jti: origin_jti.to_owned(),
                revoked: false,
            },
        );
        (access, id)
    }

    /// An access token for the client-credentials grant: `sub` and `client_id` are the app
    /// client, `scope` the granted resource-server scopes, no username and no refresh token.
    pub(crate) fn issue_client_credentials(
        &mut self,
        rng: &mut PoolRng,
        now: u64,
        client_id: &str,
        scope: &str,
    ) -> String {
        let jti = rng.uuid();
        let access = json!({
            "sub": client_id,
            "iss": self.issuer,
            "client_id": client_id,
            "token_use": "access",
            "scope": scope,
            "auth_time": now,
            "exp": now + TOKEN_LIFETIME_SECS,
            "iat": now,
            "jti": jti,
            "version": 2,
        });
        let token = self.sign(&access);
        self.access.insert(
            jti.clone(),
            AccessRecord {
                sub: client_id.to_owned(),
                origin_jti: jti,
                revoked: false,
            },
        );
        token
    }

    /// Checks an access token: issued here, unaltered, not revoked, an access token, unexpired.
    /// Client-credentials tokens (no user) are [`AccessTokenError::Invalid`] here.
    pub(crate) fn check_access(
        &self,
        token: &str,
        now: u64,
    ) -> Result<TokenClaims, AccessTokenError> {
        let payload = self.check_access_payload(token, now)?;
        claims_of(&payload).ok_or(AccessTokenError::Invalid)
    }

    /// Checks an access token like [`Self::check_access`], user or client-credentials, and
    /// returns its payload.
    pub(crate) fn check_access_payload(
        &self,
        token: &str,
        now: u64,
    ) -> Result<Value, AccessTokenError> {
        if !self.keys.verifies(token) {
            return Err(AccessTokenError::Invalid);
        }
        let payload = jwt_payload(token).ok_or(AccessTokenError::Invalid)?;
        let claim = |name: &str| payload.get(name).and_then(Value::as_str);
        let record = claim("jti")
            .and_then(|jti| self.access.get(jti))
            .filter(|_| claim("token_use") == Some("access"))
            .ok_or(AccessTokenError::Invalid)?;
        let exp = payload
            .get("exp")
            .and_then(Value::as_u64)
            .ok_or(AccessTokenError::Invalid)?;
        if record.revoked {
            return Err(AccessTokenError::Revoked);
        }
        if exp <= now {
            return Err(AccessTokenError::Expired);
        }
        Ok(payload)
    }

    /// Revokes every access and refresh token of `sub` (`GlobalSignOut`, `DeleteUser`).
    pub(crate) fn revoke_user(&mut self, sub: &str) {
        for record in self.access.values_mut().filter(|record| record.sub == sub) {
            record.revoked = true;
        }
        for grant in self
            .refresh
            .values_mut()
            .filter(|grant| grant.grant.sub == sub)
        {
            grant.revoked = true;
        }
    }

    /// Revokes a refresh token, the refresh tokens rotated from the same sign-in and every access
    /// token issued from that sign-in (`RevokeToken`).
    pub(crate) fn revoke_origin(&mut self, origin_jti: &str) {
        for record in self
            .access
            .values_mut()
            .filter(|record| record.origin_jti == origin_jti)
        {
            record.revoked = true;
        }
        for grant in self
            .refresh
            .values_mut()
            .filter(|grant| grant.origin_jti == origin_jti)
        {
            grant.revoked = true;
        }
    }

    /// The grant of an issued refresh token, whatever its state (revoked, expired, rotated out).
    pub(crate) fn refresh_grant_any(&self, token: &str) -> Option<&RefreshGrant> {
        self.refresh.get(token)
    }

    /// Whether `token` is a JWT this store signed (an access or id token), whatever its state.
    pub(crate) fn is_signed_jwt(&self, token: &str) -> bool {
        self.keys.verifies(token)
    }

    /// The pool's keys: the current one signs, every published one verifies.
    pub(crate) fn keys(&self) -> &KeyRing {
        &self.keys
    }

    /// The pool's keys, to rotate.
    pub(crate) fn keys_mut(&mut self) -> &mut KeyRing {
        &mut self.keys
    }

    fn sign(&self, payload: &Value) -> String {
        self.keys.sign(payload)
    }
}

fn claims_of(payload: &Value) -> Option<TokenClaims> {
    let text = |name: &str| payload.get(name)?.as_str().map(ToOwned::to_owned);
    let number = |name: &str| payload.get(name)?.as_u64();
    Some(TokenClaims {
        sub: text("sub")?,
        username: text("username")?,
        client_id: text("client_id")?,
        token_use: text("token_use")?,
        iat: number("iat")?,
        exp: number("exp")?,
        auth_time: number("auth_time")?,
        jti: text("jti")?,
        origin_jti: text("origin_jti")?,
        device_key: text("device_key"),
        scope: text("scope").unwrap_or_default(),
    })
}
