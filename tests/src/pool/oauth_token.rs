//! The hosted UI's token side: `/oauth2/token` (the `authorization_code`, `refresh_token` and
//! `client_credentials` grants), `/oauth2/revoke` and `/oauth2/userInfo`, over the pool's token
//! store (the same tokens as the JSON API's).
//!
//! # Client authentication (token and revoke)
//!
//! A client with a secret sends `Authorization: Basic base64(client_id:client_secret)` (the two
//! parts form-encoded first, RFC 6749 §2.3.1); a public client sends `client_id` in the body (or
//! Basic with an empty secret). A missing `client_id` is 400 `invalid_request`; an unknown
//! client, a wrong secret (compared in constant time), a secret client without Basic, a
//! malformed Basic header or a body `client_id` that is not Basic's are 401 `invalid_client`.
//!
//! # `/oauth2/token`
//!
//! Repeated parameters and a missing `grant_type` → `invalid_request`; an unknown grant →
//! `unsupported_grant_type`.
//! - `authorization_code {code, redirect_uri, code_verifier}`: needs the client's
//!   [`OAuthFlow::Code`] (`unauthorized_client`). The code is used up by the first request that
//!   names it, whatever the outcome; unknown, used, expired, another client's, another
//!   `redirect_uri`, a user gone, or a `code_verifier` missing or not matching the challenge
//!   (`BASE64URL-NOPAD(SHA256(verifier))`) → `invalid_grant`; a verifier that is not 43–128
//!   characters of `[A-Za-z0-9-._~]` → `invalid_request`. Success: `access_token` (with the
//!   granted `scope`), `refresh_token`, and `id_token` when `openid` was granted (with the
//!   `nonce`).
//! - `refresh_token {refresh_token}`: a refresh token of this client from the JSON API or the
//!   code grant, still valid (else `invalid_grant`): new `access_token` and (if the sign-in had
//!   one) `id_token`, same scopes; a new `refresh_token` only when the client rotates them. A
//!   device-bound token works here without a device key (the endpoint has no such parameter).
//! - `client_credentials {scope}`: only for a client with a secret and the
//!   [`OAuthFlow::ClientCredentials`] flow (else `unauthorized_client`); each space-separated
//!   scope must be an allowed resource-server scope (else `invalid_scope`), none means all the
//!   client's resource-server scopes. Returns only `access_token`, `expires_in`, `token_type`.
//!
//! # `/oauth2/revoke {token}`
//!
//! Revokes a refresh token and every access token of its sign-in (as `RevokeToken`). A
//! missing token → `invalid_request`; an access or id token → `unsupported_token_type`;
//! another client's refresh token → `invalid_request`; an unknown or already revoked one →
//! success (RFC 7009 §2.2).
//!
//! # `/oauth2/userInfo`
//!
//! A bearer access token issued here, unexpired, not revoked, of a user that still exists,
//! granted `openid`; else 401 `invalid_token`. Returns `sub`, the user's attributes as
//! strings (`email_verified` is `"true"` / `"false"`) and `username`.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Map, Value, json};

use super::UserPool;
use super::clients::AppClient;
use super::oauth::OAuthFlow;
use super::tokens::{AccessTokenError, Grant, RefreshTokenError, TOKEN_LIFETIME_SECS};
use crate::srp;
use crate::urlencoded::Params;

/// How a client authenticated at `/oauth2/token` or `/oauth2/revoke` (from the
/// `Authorization` header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ClientCredentials {
    /// No Basic credentials (the client names itself with `client_id` in the body).
    None,
    /// `Authorization: Basic`, decoded.
    Basic {
        /// The client id.
        id: String,
        /// The client secret (empty for a public client).
        secret: String,
    },
    /// An `Authorization: Basic` header that does not decode.
    Malformed,
}

/// An OAuth error reply: its status, `error` and `error_description`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OAuthError {
    pub(crate) status: u16,
    pub(crate) error: &'static str,
    pub(crate) description: Option<String>,
}

impl OAuthError {
    /// 400 with `error` and a description.
    pub(crate) fn bad(error: &'static str, description: impl Into<String>) -> Self {
        Self {
            status: 400,
            error,
            description: Some(description.into()),
        }
    }

    fn invalid_client(description: &str) -> Self {
        Self {
            status: 401,
            error: "invalid_client",
            description: Some(description.to_owned()),
        }
    }

    fn invalid_grant() -> Self {
        Self {
            status: 400,
            error: "invalid_grant",
            description: None,
        }
    }

    /// 401 `invalid_token` (the HTTP layer adds `WWW-Authenticate`).
    pub(crate) fn invalid_token(description: &str) -> Self {
        Self {
            status: 401,
            error: "invalid_token",
            description: Some(description.to_owned()),
        }
    }
}

/// The parameters of `/oauth2/token` that must not be repeated.
const TOKEN_PARAMS: [&str; 7] = [
    "grant_type",
    "client_id",
    "code",
    "redirect_uri",
    "code_verifier",
    "refresh_token",
    "scope",
];

impl UserPool {
    /// `/oauth2/token`: see the module documentation. `Ok` is the JSON reply.
    pub(crate) fn oauth_token(
        &mut self,
        credentials: &ClientCredentials,
        form: &Params,
    ) -> Result<Value, OAuthError> {
        if let Some(name) = form.repeated(&TOKEN_PARAMS) {
            return Err(OAuthError::bad(
                "invalid_request",
                format!("The parameter {name} is repeated."),
            ));
        }
        let grant_type = form
            .get("grant_type")
            .ok_or_else(|| OAuthError::bad("invalid_request", "grant_type is required"))?;
        let client = self.authenticate_client(credentials, form)?;
        match grant_type {
            "authorization_code" => self.code_grant(&client, form),
            "refresh_token" => self.refresh_grant_oauth(&client, form),
            "client_credentials" => self.client_credentials_grant(&client, form),
            _ => Err(OAuthError::bad(
                "unsupported_grant_type",
                "grant_type must be authorization_code, refresh_token or client_credentials",
            )),
        }
    }

    /// `/oauth2/revoke`: see the module documentation.
    pub(crate) fn oauth_revoke(
        &mut self,
        credentials: &ClientCredentials,
        form: &Params,
    ) -> Result<(), OAuthError> {
        if let Some(name) = form.repeated(&["token", "client_id"]) {
            return Err(OAuthError::bad(
                "invalid_request",
                format!("The parameter {name} is repeated."),
            ));
        }
        let token = form
            .get("token")
            .ok_or_else(|| OAuthError::bad("invalid_request", "token is required"))?;
        let client = self.authenticate_client(credentials, form)?;
        if self.tokens.is_signed_jwt(token) {
            return Err(OAuthError {
                status: 400,
                error: "unsupported_token_type",
                description: None,
            });
        }
        let Some(grant) = self.tokens.refresh_grant_any(token) else {
            return Ok(());
        };
        if grant.grant.client_id != client.id {
            return Err(OAuthError::bad(
                "invalid_request",
                "The token was not issued to this client",
            ));
        }
        let origin = grant.origin_jti.clone();
        self.tokens.revoke_origin(&origin);
        Ok(())
    }

    /// `/oauth2/userInfo` with the bearer `token`: see the module documentation.
    pub(crate) fn oauth_user_info(&self, token: &str) -> Result<Value, OAuthError> {
        let payload =
            self.tokens
                .check_access_payload(token, self.now)
                .map_err(|error| match error {
                    AccessTokenError::Invalid => OAuthError::invalid_token("Invalid access token"),
                    AccessTokenError::Revoked => {
                        OAuthError::invalid_token("Access token has been revoked")
                    }
                    AccessTokenError::Expired => {
                        OAuthError::invalid_token("Access token is expired")
                    }
                })?;
        let has_openid = payload
            .get("scope")
            .and_then(Value::as_str)
            .is_some_and(|scope| scope.split(' ').any(|s| s == "openid"));
        if !has_openid {
            return Err(OAuthError::invalid_token(
                "Access token does not contain openid scope",
            ));
        }
        let user = payload
            .get("sub")
            .and_then(Value::as_str)
            .and_then(|sub| self.users.by_sub(sub))
            .ok_or_else(|| OAuthError::invalid_token("Access token has been revoked"))?;
        let mut info = Map::new();
        info.insert("sub".to_owned(), Value::String(user.sub.clone()));
        for (name, value) in &user.attributes {
            info.insert(name.clone(), Value::String(value.clone()));
        }
        info.insert("username".to_owned(), Value::String(user.username.clone()));
        Ok(Value::Object(info))
    }

    /// The app client a token or revocation request authenticates as.
    fn authenticate_client(
        &self,
        credentials: &ClientCredentials,
        form: &Params,
    ) -> Result<AppClient, OAuthError> {
        let body_id = form.get("client_id");
        let (id, secret) = match credentials {
            ClientCredentials::Malformed => {
                return Err(OAuthError::invalid_client("Malformed Basic credentials"));
            }
            ClientCredentials::Basic { id, secret } => {
                if body_id.is_some_and(|body_id| body_id != id) {
                    return Err(OAuthError::invalid_client(
                        "client_id does not match the Basic credentials",
                    ));
                }
                (id.as_str(), Some(secret.as_str()))
            }
            ClientCredentials::None => {
                let id = body_id
                    .ok_or_else(|| OAuthError::bad("invalid_request", "client_id is required"))?;
                (id, None)
            }
        };
        let client = self
            .clients
            .get(id)
            .cloned()
            .ok_or_else(|| OAuthError::invalid_client("Unknown client"))?;
        match (client.options.secret.as_deref(), secret) {
            (Some(expected), Some(sent)) if srp::signatures_match(expected, sent) => Ok(client),
            (Some(_), Some(_)) => Err(OAuthError::invalid_client("Bad client credentials")),
            (Some(_), None) => Err(OAuthError::invalid_client(
                "The client has a secret: authenticate with Basic",
            )),
            (None, Some(sent)) if !sent.is_empty() => {
                Err(OAuthError::invalid_client("The client has no secret"))
            }
            (None, _) => Ok(client),
        }
    }

    /// `grant_type=authorization_code`.
    fn code_grant(&mut self, client: &AppClient, form: &Params) -> Result<Value, OAuthError> {
        if !client.oauth.allows(OAuthFlow::Code) {
            return Err(OAuthError::bad(
                "unauthorized_client",
                "The client is not allowed the code grant",
            ));
        }
        let code = form
            .get("code")
            .ok_or_else(|| OAuthError::bad("invalid_request", "code is required"))?;
        let redirect_uri = form
            .get("redirect_uri")
            .ok_or_else(|| OAuthError::bad("invalid_request", "redirect_uri is required"))?;
        let verifier = form.get("code_verifier");
        if verifier.is_some_and(|verifier| !is_code_verifier(verifier)) {
            self.take_authorization_code(code);
            return Err(OAuthError::bad(
                "invalid_request",
                "code_verifier must be 43-128 characters of [A-Za-z0-9-._~]",
            ));
        }
        let code = self
            .take_authorization_code(code)
            .ok_or_else(OAuthError::invalid_grant)?;
        let challenge_met = match (&code.code_challenge, verifier) {
            (None, _) => true,
            (Some(challenge), Some(verifier)) => {
                srp::signatures_match(challenge, &s256_challenge(verifier))
            }
            (Some(_), None) => false,
        };
        if code.expires_at <= self.now
            || code.client_id != client.id
            || code.redirect_uri != redirect_uri
            || !challenge_met
        {
            return Err(OAuthError::invalid_grant());
        }
        let user = self
            .users
            .by_sub(&code.sub)
            .ok_or_else(OAuthError::invalid_grant)?;
        let openid = code.scopes.iter().any(|scope| scope == "openid");
        let grant = Grant {
            sub: user.sub.clone(),
            username: user.username.clone(),
            client_id: client.id.clone(),
            device_key: None,
            attributes: user.attributes.clone(),
            scope: code.scopes.join(" "),
            id_token: openid,
            nonce: code.nonce,
        };
        let tokens = self.tokens.issue_at(
            &mut self.rng,
            self.now,
            code.auth_time,
            grant,
            client.settings.refresh_token_validity_secs,
        );
        let mut reply = json!({
            "access_token": tokens.access,
            "refresh_token": tokens.refresh,
            "expires_in": TOKEN_LIFETIME_SECS,
            "token_type": "Bearer",
        });
        if let (Some(id), Some(map)) = (tokens.id, reply.as_object_mut()) {
            map.insert("id_token".to_owned(), Value::String(id));
        }
        Ok(reply)
    }

    /// `grant_type=refresh_token`.
    fn refresh_grant_oauth(
        &mut self,
        client: &AppClient,
        form: &Params,
    ) -> Result<Value, OAuthError> {
        let token = form
            .get("refresh_token")
            .ok_or_else(|| OAuthError::bad("invalid_request", "refresh_token is required"))?;
        let grant = self
            .tokens
            .refresh_grant(token, self.now)
            .map_err(|error| match error {
                RefreshTokenError::Invalid
                | RefreshTokenError::Revoked
                | RefreshTokenError::Expired => OAuthError::invalid_grant(),
            })?;
        if grant.grant.client_id != client.id || self.users.by_sub(&grant.grant.sub).is_none() {
            return Err(OAuthError::invalid_grant());
        }
        let (access, id) = self.tokens.reissue(&mut self.rng, self.now, &grant);
        let mut reply = json!({
            "access_token": access,
            "expires_in": TOKEN_LIFETIME_SECS,
            "token_type": "Bearer",
        });
        let rotated = if client.settings.refresh_token_rotation {
            self.tokens.rotate(
                &mut self.rng,
                self.now,
                token,
                client.settings.rotation_grace_period_secs,
                client.settings.refresh_token_validity_secs,
            )
        } else {
            None
        };
        if let Some(map) = reply.as_object_mut() {
            if let Some(id) = id {
                map.insert("id_token".to_owned(), Value::String(id));
            }
            if let Some(rotated) = rotated {
                map.insert("refresh_token".to_owned(), Value::String(rotated));
            }
        }
        Ok(reply)
    }

    /// `grant_type=client_credentials`.
    fn client_credentials_grant(
        &mut self,
        client: &AppClient,
        form: &Params,
    ) -> Result<Value, OAuthError> {
        if client.options.secret.is_none() || !client.oauth.allows(OAuthFlow::ClientCredentials) {
            return Err(OAuthError::bad(
                "unauthorized_client",
                "The client is not allowed the client_credentials grant",
            ));
        }
        let allowed: Vec<&str> = client
            .oauth
            .scopes
            .iter()
            .map(String::as_str)
            .filter(|scope| self.is_resource_server_scope(scope))
            .collect();
        let mut scopes: Vec<&str> = Vec::new();
        match form.get("scope") {
            None => scopes.clone_from(&allowed),
            Some(requested) => {
                for scope in requested.split(' ').filter(|scope| !scope.is_empty()) {
                    if !allowed.contains(&scope) {
                        return Err(OAuthError::bad("invalid_scope", "Invalid scope requested"));
                    }
                    if !scopes.contains(&scope) {
                        scopes.push(scope);
                    }
                }
            }
        }
        if scopes.is_empty() {
            return Err(OAuthError::bad("invalid_scope", "No scope granted"));
        }
        let access = self.tokens.issue_client_credentials(
            &mut self.rng,
            self.now,
            &client.id,
            &scopes.join(" "),
        );
        Ok(json!({
            "access_token": access,
            "expires_in": TOKEN_LIFETIME_SECS,
            "token_type": "Bearer",
        }))
    }
}

/// RFC 7636 §4.1: 43–128 characters of `[A-Za-z0-9-._~]`.
fn is_code_verifier(verifier: &str) -> bool {
    (43..=128).contains(&verifier.len())
        && verifier
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The S256 challenge of a verifier: `BASE64URL-NOPAD(SHA256(verifier))`.
pub fn s256_challenge(verifier: &str) -> String {
    Base64UrlUnpadded::encode_string(&srp::sha256(&[verifier.as_bytes()]))
}
