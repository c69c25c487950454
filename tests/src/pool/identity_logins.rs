//! The `Logins` of an identity-pool request: which user they prove, if any.
//!
//! A login is accepted when its provider is one of the identity pool's and its token is an ID
//! token of this user pool: an RS256 signature by a published key, `iss` this pool,
//! `token_use` `id`, `aud` an app client configured for that provider, `exp` in the future.
//! Every refusal is NotAuthorizedException, with Cognito's wording.

use alloc::borrow::ToOwned;
use alloc::format;

use serde_json::Value;

use super::UserPool;
use super::identity::{IdentityPool, ProvenLogin};
use super::jwt_payload;
use super::wire::{Object, ServiceError, string_map};

impl UserPool {
    /// The user the request's `Logins` prove for `pool`: `None` without logins (a guest),
    /// NotAuthorizedException for a login the pool does not accept.
    pub(super) fn proven_login(
        &self,
        pool: &IdentityPool,
        request: &Object,
    ) -> Result<Option<ProvenLogin>, ServiceError> {
        let logins = string_map(request, "Logins")?;
        let mut proven = None;
        for (provider, token) in &logins {
            let token = token.as_str().unwrap_or_default();
            let login = self.check_login(pool, provider, token)?;
            proven = Some(login);
        }
        Ok(proven)
    }

    fn check_login(
        &self,
        pool: &IdentityPool,
        provider: &str,
        token: &str,
    ) -> Result<ProvenLogin, ServiceError> {
        if !pool.providers.iter().any(|(name, _)| name == provider) {
            return Err(ServiceError::not_authorized(
                "Token is not from a supported provider of this identity pool.",
            ));
        }
        let not_an_id_token = || {
            ServiceError::not_authorized(
                "Invalid login token. Not a valid OpenId Connect identity token.",
            )
        };
        if !self.tokens.is_signed_jwt(token) {
            return Err(not_an_id_token());
        }
        let payload = jwt_payload(token).ok_or_else(not_an_id_token)?;
        let claim = |name: &str| payload.get(name).and_then(Value::as_str);
        if claim("iss") != Some(self.issuer().as_str()) {
            return Err(ServiceError::not_authorized(
                "Invalid login token. Issuer doesn't match providerName",
            ));
        }
        if claim("token_use") != Some("id") {
            return Err(not_an_id_token());
        }
        let audience_ok = claim("aud").is_some_and(|aud| {
            pool.providers
                .iter()
                .any(|(name, client)| name == provider && client == aud)
        });
        if !audience_ok {
            return Err(ServiceError::not_authorized(
                "Invalid login token. Incorrect token audience.",
            ));
        }
        let exp = payload
            .get("exp")
            .and_then(Value::as_u64)
            .ok_or_else(not_an_id_token)?;
        if exp <= self.now {
            return Err(ServiceError::not_authorized(format!(
                "Invalid login token. Token expired: {} >= {exp}",
                self.now
            )));
        }
        let sub = claim("sub").ok_or_else(not_an_id_token)?;
        Ok(ProvenLogin {
            provider: provider.to_owned(),
            sub: sub.to_owned(),
        })
    }
}
