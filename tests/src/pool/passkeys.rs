//! Passkey management with an access token: `StartWebAuthnRegistration`,
//! `CompleteWebAuthnRegistration`, `ListWebAuthnCredentials` and `DeleteWebAuthnCredential`. The
//! credential format and fake crypto are in [`super::webauthn`].
//!
//! - `StartWebAuthnRegistration {AccessToken}` → `{CredentialCreationOptions}` (a JSON object, not
//!   a string) with a fresh challenge that replaces any earlier one and lives
//!   [`super::WEBAUTHN_TIMEOUT_MS`]. The pool must allow passkeys
//!   ([`super::FirstAuthFactor::WebAuthn`]): otherwise WebAuthnNotEnabledException. A user with
//!   [`MAX_PASSKEYS`] passkeys → LimitExceededException.
//! - `CompleteWebAuthnRegistration {AccessToken, Credential}` → `{}` consumes the pending
//!   challenge, whatever the outcome: none (or expired) → WebAuthnChallengeNotFoundException;
//!   from another app client than the start → WebAuthnClientMismatchException; a credential id
//!   already registered (by anyone) → InvalidParameterException; format errors →
//!   InvalidParameterException; wrong challenge / origin / relying party → the WebAuthn*
//!   exceptions of [`super::webauthn`]. The new passkey works for `USER_AUTH` `WEB_AUTHN` at once.
//! - `ListWebAuthnCredentials {AccessToken, NextToken, MaxResults}` → `{Credentials, NextToken}`:
//!   `[{CredentialId, FriendlyCredentialName, RelyingPartyId, AuthenticatorAttachment,
//!   AuthenticatorTransports, CreatedAt}]` ordered by credential id, `CreatedAt` in epoch seconds;
//!   `FriendlyCredentialName` is `passkey-` and the id's first 8 characters (an emulator choice);
//!   `MaxResults` 1–20 (default 20), `NextToken` (only when more follow) is base64url of the last
//!   id returned.
//! - `DeleteWebAuthnCredential {AccessToken, CredentialId}` → `{}`; an id the user does not have
//!   → ResourceNotFoundException.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};

use super::UserPool;
use super::choice::FirstAuthFactor;
use super::users::PasskeyChallenge;
use super::webauthn::{RELYING_PARTY_ID, WEBAUTHN_TIMEOUT_MS, verify_registration};
use super::wire::{Object, Outcome, ServiceError, opt_str, opt_u64, req_str};

/// The most passkeys a user may register (Cognito's limit).
pub const MAX_PASSKEYS: usize = 20;
/// The largest (and default) `MaxResults` of `ListWebAuthnCredentials`.
const MAX_CREDENTIALS_PER_PAGE: u64 = 20;
/// Size in bytes of a registration challenge.
const CHALLENGE_BYTES: usize = 32;

impl UserPool {
    /// `StartWebAuthnRegistration`: see the module documentation.
    pub(super) fn start_webauthn_registration(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        if !self.first_auth_factors.contains(&FirstAuthFactor::WebAuthn) {
            return Err(ServiceError::service(
                "WebAuthnNotEnabledException",
                "Passkeys are not enabled for this user pool.",
            ));
        }
        let challenge = self.rng.base64url(CHALLENGE_BYTES);
        let expires_at = self.now + WEBAUTHN_TIMEOUT_MS / 1000;
        let pool_name = self.pool_name.clone();
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.passkeys.len() >= MAX_PASSKEYS {
            return Err(ServiceError::service(
                "LimitExceededException",
                "The user has the maximum number of passkeys.",
            ));
        }
        user.pending_passkey = Some(PasskeyChallenge {
            challenge: challenge.clone(),
            client_id: claims.client_id,
            expires_at,
        });
        let exclude: Vec<Value> = user
            .passkeys
            .iter()
            .map(|passkey| json!({ "type": "public-key", "id": passkey.credential_id }))
            .collect();
        Ok(json!({
            "CredentialCreationOptions": {
                "challenge": challenge,
                "rp": { "id": RELYING_PARTY_ID, "name": pool_name },
                "user": {
                    "id": Base64UrlUnpadded::encode_string(user.sub.as_bytes()),
                    "name": user.username,
                    "displayName": user.username,
                },
                "pubKeyCredParams": [
                    { "type": "public-key", "alg": -7 },
                    { "type": "public-key", "alg": -257 },
                ],
                "timeout": WEBAUTHN_TIMEOUT_MS,
                "excludeCredentials": exclude,
                "authenticatorSelection": {
                    "residentKey": "required",
                    "userVerification": "required",
                },
                "attestation": "none",
            }
        }))
    }

    /// `CompleteWebAuthnRegistration`: see the module documentation.
    pub(super) fn complete_webauthn_registration(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let credential = match request.get("Credential") {
            Some(credential @ Value::Object(_)) => credential,
            None | Some(Value::Null) => {
                req_str(request, "Credential")?;
                return Err(ServiceError::invalid_parameter("Credential is required."));
            }
            Some(_) => {
                return Err(ServiceError::invalid_parameter(
                    "Credential must be a JSON object (RegistrationResponseJSON).",
                ));
            }
        };
        let now = self.now;
        let pending = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?
            .pending_passkey
            .take()
            .filter(|pending| now <= pending.expires_at)
            .ok_or_else(|| {
                ServiceError::service(
                    "WebAuthnChallengeNotFoundException",
                    "No passkey registration is pending: call StartWebAuthnRegistration first.",
                )
            })?;
        if pending.client_id != claims.client_id {
            return Err(ServiceError::service(
                "WebAuthnClientMismatchException",
                "The registration was started by another app client.",
            ));
        }
        let registration = verify_registration(credential, &pending.challenge)?;
        let id = &registration.passkey.credential_id;
        if self
            .users
            .all_mut()
            .any(|user| user.passkeys.iter().any(|p| &p.credential_id == id))
        {
            return Err(ServiceError::invalid_parameter(
                "The credential is already registered.",
            ));
        }
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        user.add_passkey(
            registration.passkey,
            registration.attachment,
            registration.transports,
            now,
        );
        Ok(json!({}))
    }

    /// `ListWebAuthnCredentials`: see the module documentation.
    pub(super) fn list_webauthn_credentials(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let limit = opt_u64(request, "MaxResults")?.unwrap_or(MAX_CREDENTIALS_PER_PAGE);
        if !(1..=MAX_CREDENTIALS_PER_PAGE).contains(&limit) {
            return Err(ServiceError::invalid_parameter(alloc::format!(
                "1 validation error detected: Value '{limit}' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MAX_CREDENTIALS_PER_PAGE}"
            )));
        }
        let after = match opt_str(request, "NextToken")? {
            Some(token) => Some(
                Base64UrlUnpadded::decode_vec(token)
                    .ok()
                    .and_then(|bytes| String::from_utf8(bytes).ok())
                    .ok_or_else(|| ServiceError::invalid_parameter("Invalid NextToken."))?,
            ),
            None => None,
        };
        let user = self
            .users
            .by_sub(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut remaining = user
            .passkey_records
            .iter()
            .filter(|(id, _)| after.as_ref().is_none_or(|after| *id > after));
        let page: Vec<_> = remaining
            .by_ref()
            .take(usize::try_from(limit).unwrap_or(usize::MAX))
            .collect();
        let more = remaining.next().is_some();
        let credentials: Vec<Value> = page
            .iter()
            .map(|(id, record)| {
                let mut entry = json!({
                    "CredentialId": id,
                    "FriendlyCredentialName": record.friendly_name,
                    "RelyingPartyId": RELYING_PARTY_ID,
                    "AuthenticatorTransports": record.transports,
                    "CreatedAt": record.created_at,
                });
                if let (Some(attachment), Some(map)) = (&record.attachment, entry.as_object_mut()) {
                    map.insert(
                        "AuthenticatorAttachment".to_owned(),
                        Value::String(attachment.clone()),
                    );
                }
                entry
            })
            .collect();
        let mut reply = json!({ "Credentials": credentials });
        if let (true, Some((last, _)), Some(map)) = (more, page.last(), reply.as_object_mut()) {
            map.insert(
                "NextToken".to_owned(),
                Value::String(Base64UrlUnpadded::encode_string(last.as_bytes())),
            );
        }
        Ok(reply)
    }

    /// `DeleteWebAuthnCredential`: see the module documentation.
    pub(super) fn delete_webauthn_credential(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let id = req_str(request, "CredentialId")?;
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.passkey_records.remove(id).is_none() {
            return Err(ServiceError::resource_not_found("Credential not found."));
        }
        user.passkeys.retain(|passkey| passkey.credential_id != id);
        Ok(json!({}))
    }
}
