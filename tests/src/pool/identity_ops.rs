//! The identity-pool operations: `GetId`, `GetCredentialsForIdentity`, `GetOpenIdToken`.
//!
//! - `GetId` {IdentityPoolId, AccountId?, Logins?} → {IdentityId}: the same login (same `sub`,
//!   same provider) always gets the same identity; without logins a new guest identity each
//!   call, if the pool allows guests.
//! - `GetCredentialsForIdentity` {IdentityId, Logins?} → {IdentityId, Credentials:
//!   {AccessKeyId (`ASIA` + 16 of `[A-Z0-9]`), SecretKey (40 characters), SessionToken (800),
//!   Expiration (epoch seconds, a JSON number: now + [`CREDENTIALS_LIFETIME_SECS`])}}.
//! - `GetOpenIdToken` {IdentityId, Logins?} → {IdentityId, Token}: a JWT signed RS256 by the
//!   pool's current key, `iss` [`OPENID_ISSUER`], `aud` the identity pool, `sub` the identity,
//!   `amr` `["authenticated", <provider>]` or `["unauthenticated"]`, lasting
//!   [`OPENID_TOKEN_LIFETIME_SECS`].
//!
//! An authenticated identity needs its login again (NotAuthorizedException "Logins don't
//! match. …" without it or with another user's); a guest identity needs none, as long as the
//! pool allows guests.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use serde_json::json;

use super::UserPool;
use super::identity::{
    CREDENTIALS_LIFETIME_SECS, Identity, IdentityPool, OPENID_ISSUER, OPENID_TOKEN_LIFETIME_SECS,
    ProvenLogin,
};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_str};

/// The characters of an access key id after `ASIA`.
const KEY_ID_ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
/// Random bytes behind a secret key (base64: 40 characters).
const SECRET_KEY_BYTES: usize = 30;
/// Random bytes behind a session token (base64: 800 characters).
const SESSION_TOKEN_BYTES: usize = 600;

/// An id member (`IdentityPoolId`, `IdentityId`): `<region>:<id>`, region `[a-z0-9-]+`, id
/// `[0-9a-f-]+`; else InvalidParameterException.
fn id_member<'a>(request: &'a Object, name: &str, camel: &str) -> Result<&'a str, ServiceError> {
    let id = req_str(request, name)?;
    let well_formed = id.split_once(':').is_some_and(|(region, rest)| {
        !region.is_empty()
            && !rest.is_empty()
            && region
                .bytes()
                .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
            && rest
                .bytes()
                .all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f' | b'-'))
    });
    if well_formed && id.len() <= 55 {
        Ok(id)
    } else {
        Err(ServiceError::invalid_parameter(format!(
            "1 validation error detected: Value '{id}' at '{camel}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w-]+:[0-9a-f-]+"
        )))
    }
}

fn logins_do_not_match() -> ServiceError {
    ServiceError::not_authorized(
        "Logins don't match. Please include at least one valid login for this identity or identity pool.",
    )
}

fn guests_not_allowed() -> ServiceError {
    ServiceError::not_authorized("Unauthenticated access is not supported for this identity pool.")
}

impl UserPool {
    pub(super) fn get_id(&mut self, request: &Object) -> Outcome {
        let pool_id = id_member(request, "IdentityPoolId", "identityPoolId")?;
        opt_str(request, "AccountId")?;
        let pool = self.identity_pool(pool_id)?;
        let identity_id = match self.proven_login(&pool, request)? {
            Some(login) => {
                let key = (pool.id.clone(), login.clone());
                match self.identity.by_login.get(&key) {
                    Some(id) => id.clone(),
                    None => {
                        let id = self.new_identity(&pool, Some(login));
                        self.identity.by_login.insert(key, id.clone());
                        id
                    }
                }
            }
            None if pool.allow_unauthenticated => self.new_identity(&pool, None),
            None => return Err(guests_not_allowed()),
        };
        Ok(json!({ "IdentityId": identity_id }))
    }

    pub(super) fn get_credentials_for_identity(&mut self, request: &Object) -> Outcome {
        let identity_id = id_member(request, "IdentityId", "identityId")?.to_owned();
        if opt_str(request, "CustomRoleArn")?.is_some() {
            return Err(ServiceError::invalid_parameter(
                "The emulator's identity pools have no roles: CustomRoleArn is not supported.",
            ));
        }
        self.authorize_identity(&identity_id, request)?;
        let key_id: String = self
            .rng
            .bytes(16)
            .iter()
            .filter_map(|b| {
                KEY_ID_ALPHABET
                    .get(usize::from(*b) % KEY_ID_ALPHABET.len())
                    .copied()
                    .map(char::from)
            })
            .collect();
        Ok(json!({
            "IdentityId": identity_id,
            "Credentials": {
                "AccessKeyId": format!("ASIA{key_id}"),
                "SecretKey": self.rng.base64(SECRET_KEY_BYTES),
                "SessionToken": self.rng.base64(SESSION_TOKEN_BYTES),
                "Expiration": self.now + CREDENTIALS_LIFETIME_SECS,
            },
        }))
    }

    pub(super) fn get_open_id_token(&mut self, request: &Object) -> Outcome {
        let identity_id = id_member(request, "IdentityId", "identityId")?.to_owned();
        let identity = self.authorize_identity(&identity_id, request)?;
        let amr = match &identity.login {
            Some(login) => json!(["authenticated", login.provider]),
            None => json!(["unauthenticated"]),
        };
        let payload = json!({
            "sub": identity_id,
            "aud": identity.pool_id,
            "amr": amr,
            "iss": OPENID_ISSUER,
            "exp": self.now + OPENID_TOKEN_LIFETIME_SECS,
            "iat": self.now,
        });
        let token = self.tokens.keys().sign(&payload);
        Ok(json!({ "IdentityId": identity_id, "Token": token }))
    }

    /// The identity pool `id`, or ResourceNotFoundException.
    fn identity_pool(&self, id: &str) -> Result<IdentityPool, ServiceError> {
        self.identity.pools.get(id).cloned().ok_or_else(|| {
            ServiceError::resource_not_found(format!("IdentityPool '{id}' not found."))
        })
    }

    /// A new identity of `pool`, for `login` or a guest.
    fn new_identity(&mut self, pool: &IdentityPool, login: Option<ProvenLogin>) -> String {
        let region = pool.id.split(':').next().unwrap_or_default();
        let id = format!("{region}:{}", self.rng.uuid());
        self.identity.identities.insert(
            id.clone(),
            Identity {
                pool_id: pool.id.clone(),
                login,
            },
        );
        id
    }

    /// Checks that the request's logins may act for `identity_id` (see the module
    /// documentation); a guest identity proven by a login not yet linked becomes that user's.
    fn authorize_identity(
        &mut self,
        identity_id: &str,
        request: &Object,
    ) -> Result<Identity, ServiceError> {
        let identity = self
            .identity
            .identities
            .get(identity_id)
            .cloned()
            .ok_or_else(|| {
                ServiceError::resource_not_found(format!("Identity '{identity_id}' not found."))
            })?;
        let pool = self.identity_pool(&identity.pool_id)?;
        let proven = self.proven_login(&pool, request)?;
        match (&identity.login, proven) {
            (Some(bound), Some(proven)) if *bound == proven => Ok(identity),
            (Some(_), _) => Err(logins_do_not_match()),
            (None, None) if pool.allow_unauthenticated => Ok(identity),
            (None, None) => Err(guests_not_allowed()),
            (None, Some(proven)) => {
                let key = (pool.id.clone(), proven.clone());
                if self.identity.by_login.contains_key(&key) {
                    return Err(logins_do_not_match());
                }
                self.identity.by_login.insert(key, identity_id.to_owned());
                let linked = Identity {
                    login: Some(proven),
                    ..identity
                };
                self.identity
                    .identities
                    .insert(identity_id.to_owned(), linked.clone());
                Ok(linked)
            }
        }
    }
}
