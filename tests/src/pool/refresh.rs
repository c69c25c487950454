//! Refreshing tokens: `InitiateAuth` `REFRESH_TOKEN_AUTH` / `REFRESH_TOKEN` and
//! `GetTokensFromRefreshToken`.
//!
//! - An unknown, altered, other client's or rotated-out refresh token → NotAuthorizedException
//!   "Invalid Refresh Token"; one past the client's `refresh_token_validity_secs` → "Refresh Token
//!   has expired".
//! - A refresh token is bound to a device when its sign-in proved one (device SRP) or returned
//!   `NewDeviceMetadata` (confirmed or not). Refreshing it then needs that `DEVICE_KEY`
//!   (`DeviceKey`): wrong or missing → "Invalid Refresh Token"; so does a bound device that was
//!   forgotten. A `DEVICE_KEY` sent with an unbound token is ignored.
//! - `REFRESH_TOKEN_AUTH` with a client secret needs `SECRET_HASH` over the user's real username:
//!   its sub (what USER_ID_FOR_SRP said) or its username (the access token's `username` claim) —
//!   never an alias such as the email the user typed.
//! - `GetTokensFromRefreshToken {RefreshToken, ClientId, ClientSecret, DeviceKey, ClientMetadata}`
//!   takes the client secret itself. With the client's refresh-token rotation on it also returns a
//!   new `RefreshToken`, and the one sent stops working after `rotation_grace_period_secs`; with
//!   rotation off it returns no `RefreshToken` and the old one keeps working.
//! - With rotation on, `REFRESH_TOKEN_AUTH` is refused (InvalidParameterException), as Cognito
//!   documents.
//! - New access and id tokens keep the sign-in's `auth_time` and `origin_jti`; the access token
//!   carries the bound device's `device_key`. No `NewDeviceMetadata` on refresh.

use alloc::borrow::ToOwned;
use alloc::format;

use serde_json::{Value, json};

use super::UserPool;
use super::clients::AppClient;
use super::tokens::{RefreshGrant, RefreshTokenError, TOKEN_LIFETIME_SECS};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param, req_str, string_map};

impl UserPool {
    /// `REFRESH_TOKEN_AUTH {REFRESH_TOKEN, SECRET_HASH, DEVICE_KEY}`.
    pub(super) fn refresh_token_auth(&mut self, client: &AppClient, params: &Object) -> Outcome {
        if client.settings.refresh_token_rotation {
            return Err(ServiceError::invalid_parameter(format!(
                "Refresh token rotation is enabled for client {}: use GetTokensFromRefreshToken.",
                client.id
            )));
        }
        let token = req_param(params, "REFRESH_TOKEN")?;
        let grant = self.usable_refresh_grant(client, token)?;
        client.check_secret_hash_any(
            &[&grant.grant.sub, &grant.grant.username],
            opt_str(params, "SECRET_HASH")?,
        )?;
        self.check_bound_device(&grant, opt_str(params, "DEVICE_KEY")?)?;
        let (access, id) = self.tokens.reissue(&mut self.rng, self.now, &grant);
        Ok(json!({
            "AuthenticationResult": refreshed(access, id),
            "ChallengeParameters": {},
        }))
    }

    /// `GetTokensFromRefreshToken {RefreshToken, ClientId, ClientSecret, DeviceKey, ClientMetadata}`.
    pub(super) fn get_tokens_from_refresh_token(&mut self, request: &Object) -> Outcome {
        let token = req_str(request, "RefreshToken")?;
        let client = self.client(req_str(request, "ClientId")?)?;
        let client_secret = opt_str(request, "ClientSecret")?;
        let device_key = opt_str(request, "DeviceKey")?;
        string_map(request, "ClientMetadata")?;
        client.check_client_secret(client_secret)?;
        let grant = self.usable_refresh_grant(&client, token)?;
        self.check_bound_device(&grant, device_key)?;
        let (access, id) = self.tokens.reissue(&mut self.rng, self.now, &grant);
        let mut result = refreshed(access, id);
        if client.settings.refresh_token_rotation {
            let rotated = self.tokens.rotate(
                &mut self.rng,
                self.now,
                token,
                client.settings.rotation_grace_period_secs,
                client.settings.refresh_token_validity_secs,
            );
            if let (Some(rotated), Some(map)) = (rotated, result.as_object_mut()) {
                map.insert("RefreshToken".to_owned(), Value::String(rotated));
            }
        }
        Ok(json!({ "AuthenticationResult": result }))
    }

    /// The grant of a refresh token issued to `client` that still works.
    fn usable_refresh_grant(
        &self,
        client: &AppClient,
        token: &str,
    ) -> Result<RefreshGrant, ServiceError> {
        let grant = self
            .tokens
            .refresh_grant(token, self.now)
            .map_err(|error| match error {
                RefreshTokenError::Invalid => invalid_refresh_token(),
                RefreshTokenError::Revoked => {
                    ServiceError::not_authorized("Refresh Token has been revoked")
                }
                RefreshTokenError::Expired => {
                    ServiceError::not_authorized("Refresh Token has expired")
                }
            })?;
        if grant.grant.client_id != client.id || self.users.by_sub(&grant.grant.sub).is_none() {
            return Err(invalid_refresh_token());
        }
        Ok(grant)
    }

    /// A token bound to a device needs that device's key, and the device must still exist.
    fn check_bound_device(
        &self,
        grant: &RefreshGrant,
        sent: Option<&str>,
    ) -> Result<(), ServiceError> {
        let Some(bound) = &grant.bound_device else {
            return Ok(());
        };
        if sent == Some(bound.as_str()) && self.devices.contains_key(bound) {
            Ok(())
        } else {
            Err(invalid_refresh_token())
        }
    }
}

/// The `AuthenticationResult` of a refresh; no `IdToken` for a hosted-UI grant without `openid`.
fn refreshed(access: String, id: Option<String>) -> Value {
    let mut result = json!({
        "AccessToken": access,
        "ExpiresIn": TOKEN_LIFETIME_SECS,
        "TokenType": "Bearer",
    });
    if let (Some(id), Some(map)) = (id, result.as_object_mut()) {
        map.insert("IdToken".to_owned(), Value::String(id));
    }
    result
}

fn invalid_refresh_token() -> ServiceError {
    ServiceError::not_authorized("Invalid Refresh Token")
}
