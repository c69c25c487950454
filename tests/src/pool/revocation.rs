//! Ending sessions: `GlobalSignOut` and `RevokeToken` (and the revocation `DeleteUser` does).
//!
//! - `GlobalSignOut {AccessToken}` → `{}`: every access and refresh token of the user stops
//!   working, on every client and device (access tokens: NotAuthorizedException "Access Token has
//!   been revoked"; refresh tokens: "Refresh Token has been revoked"). The access token sent is
//!   checked first like any other.
//! - `RevokeToken {Token, ClientId, ClientSecret}` → `{}`: revokes the refresh token, every
//!   refresh token rotated from the same sign-in, and every access token issued from that sign-in
//!   (they share the `origin_jti`). Choices where AWS documents only the error names:
//!   - a `Token` that is not `[A-Za-z0-9-_=.]+` → InvalidParameterException;
//!   - a missing or wrong `ClientSecret` for a client with a secret → UnauthorizedException;
//!   - an access or id token of this pool → UnsupportedTokenTypeException;
//!   - a refresh token issued to another app client → UnauthorizedException;
//!   - a token that is unknown, expired or already revoked → success (RFC 7009 §2.2: revoking
//!     an invalid token is not an error), nothing changes.

use serde_json::json;

use super::UserPool;
use super::wire::{Object, Outcome, ServiceError, opt_str, req_str};

impl UserPool {
    /// `GlobalSignOut`: see the module documentation.
    pub(super) fn global_sign_out(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        self.tokens.revoke_user(&claims.sub);
        Ok(json!({}))
    }

    /// `RevokeToken`: see the module documentation.
    pub(super) fn revoke_token(&mut self, request: &Object) -> Outcome {
        let token = req_str(request, "Token")?;
        let client = self.client(req_str(request, "ClientId")?)?;
        let client_secret = opt_str(request, "ClientSecret")?;
        let well_formed = !token.is_empty()
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_=.".contains(&b));
        if !well_formed {
            return Err(ServiceError::invalid_parameter(
                "1 validation error detected: Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9-_=.]+",
            ));
        }
        if client.check_client_secret(client_secret).is_err() {
            return Err(ServiceError::service(
                "UnauthorizedException",
                "Unable to verify secret for client",
            ));
        }
        if self.tokens.is_signed_jwt(token) {
            return Err(ServiceError::service(
                "UnsupportedTokenTypeException",
                "Unsupported token type",
            ));
        }
        let Some(grant) = self.tokens.refresh_grant_any(token) else {
            return Ok(json!({}));
        };
        if grant.grant.client_id != client.id {
            return Err(ServiceError::service(
                "UnauthorizedException",
                "The token was not issued to this client",
            ));
        }
        let origin = grant.origin_jti.clone();
        self.tokens.revoke_origin(&origin);
        Ok(json!({}))
    }
}
