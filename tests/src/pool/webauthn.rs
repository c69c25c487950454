//! Passkeys (the `WEB_AUTHN` first factor of choice-based sign-in) with fake, deterministic crypto.
//!
//! No real WebAuthn signature is checked: a [`Passkey`] holds a random secret instead of a key
//! pair, and the assertion "signature" is
//! `base64url(HMAC-SHA256(secret, authenticatorData ‖ SHA-256(clientDataJSON)))` — the same bytes
//! a real authenticator signs, with HMAC in place of ECDSA. Everything around it is checked the
//! way a relying party would:
//!
//! - the challenge parameter `CREDENTIAL_REQUEST_OPTIONS` is a JSON string
//!   `{"challenge", "timeout", "rpId", "allowCredentials": [{"type": "public-key", "id"}],
//!   "userVerification": "required"}` (base64url without padding for binary values);
//! - the answer `CREDENTIAL` is an `AuthenticationResponseJSON`: `id` and `rawId` (a registered
//!   credential of this user), `type` = `public-key`, and `response` with base64url
//!   `clientDataJSON`, `authenticatorData` and `signature`;
//! - `clientDataJSON` must say `"type": "webauthn.get"`, carry the issued `challenge` and the
//!   origin `https://<rpId>`;
//! - `authenticatorData` must start with `SHA-256(rpId)` and have the user-present and
//!   user-verified flags (`0x05`); the sign counter is not checked.
//!
//! [`Passkey::assertion`] plays the authenticator for tests.
//!
//! Registration (`StartWebAuthnRegistration` / `CompleteWebAuthnRegistration`, see
//! `super::passkeys`) uses the same fake scheme. `CredentialCreationOptions` is a JSON object
//! `{challenge, rp: {id, name}, user: {id, name, displayName}, pubKeyCredParams, timeout,
//! excludeCredentials, authenticatorSelection, attestation: "none"}`; the `Credential` accepted
//! is a `RegistrationResponseJSON` object:
//!
//! - `id` / `rawId` (equal, base64url, 16–255 bytes, not registered yet), `type` = `public-key`,
//!   optional `authenticatorAttachment` (`platform` / `cross-platform`);
//! - `response.clientDataJSON`: base64url JSON with `"type": "webauthn.create"`, the issued
//!   `challenge` and origin `https://<rpId>`;
//! - `response.authenticatorData`: base64url, `SHA-256(rpId)`, flags with UP and UV, a 4-byte
//!   counter (anything after it is ignored);
//! - `response.publicKey`: base64url of the fake authenticator's secret (16–64 bytes) — the
//!   stand-in for the public key, since the fake signature is an HMAC; optional
//!   `response.transports` (strings) and `response.publicKeyAlgorithm` (ignored).
//!
//! [`Passkey::registration`] builds such a credential for tests.

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64Url, Base64UrlUnpadded, Encoding};
use serde_json::{Value, json};

use super::wire::ServiceError;
use crate::srp;

/// The relying-party id (`rpId`) of the emulated pool; the expected origin is `https://localhost`.
pub const RELYING_PARTY_ID: &str = "localhost";
/// The `timeout` of `CREDENTIAL_REQUEST_OPTIONS`, in milliseconds.
pub const WEBAUTHN_TIMEOUT_MS: u64 = 180_000;
/// Flags byte of `authenticatorData`: user present (0x01) and user verified (0x04).
const FLAGS_UP_UV: u8 = 0x05;
/// Flag of `authenticatorData`: attested credential data included (registration).
const FLAG_ATTESTED: u8 = 0x40;

/// A registered passkey: a credential id and the secret standing in for its private key.
///
/// The emulator checks no real WebAuthn crypto: the assertion "signature" is
/// [`webauthn_signature`] = `base64url(HMAC-SHA256(secret, authenticatorData ‖
/// SHA-256(clientDataJSON)))`. Everything else is checked as a relying party would: the
/// credential id (`id`, `rawId`) is one of the user's, `type` is `public-key`, `clientDataJSON`
/// has `"type": "webauthn.get"`, the issued `challenge` and origin `https://` + [`RELYING_PARTY_ID`],
/// and `authenticatorData` starts with `SHA-256(rpId)` and has the UP and UV flags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passkey {
    /// The credential id, base64url without padding.
    pub credential_id: String,
    /// The fake authenticator's secret (stands in for the private key).
    pub secret: Vec<u8>,
}

impl Passkey {
    /// The `CREDENTIAL` a correct authenticator answers to a `CREDENTIAL_REQUEST_OPTIONS` JSON
    /// string (uses its `challenge` and `rpId`); `None` if the options are not such JSON.
    pub fn assertion(&self, request_options: &str) -> Option<String> {
        let options: Value = serde_json::from_str(request_options).ok()?;
        let challenge = options.get("challenge")?.as_str()?;
        let rp_id = options.get("rpId")?.as_str()?;
        Some(self.assertion_for(challenge, rp_id))
    }

    /// The `Credential` of `CompleteWebAuthnRegistration` for a `CredentialCreationOptions` JSON
    /// object (uses its `challenge` and `rp.id`); `None` if the options lack them.
    pub fn registration(&self, creation_options: &Value) -> Option<Value> {
        let challenge = creation_options.get("challenge")?.as_str()?;
        let rp_id = creation_options.get("rp")?.get("id")?.as_str()?;
        let client_data = json!({
            "type": "webauthn.create",
            "challenge": challenge,
            "origin": alloc::format!("https://{rp_id}"),
            "crossOrigin": false,
        })
        .to_string();
        let mut authenticator_data = srp::sha256(&[rp_id.as_bytes()]).to_vec();
        authenticator_data.push(FLAGS_UP_UV | FLAG_ATTESTED);
        authenticator_data.extend_from_slice(&0u32.to_be_bytes());
        Some(json!({
            "id": self.credential_id,
            "rawId": self.credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": Base64UrlUnpadded::encode_string(client_data.as_bytes()),
                "authenticatorData": Base64UrlUnpadded::encode_string(&authenticator_data),
                "publicKey": Base64UrlUnpadded::encode_string(&self.secret),
                "publicKeyAlgorithm": -7,
                "transports": ["internal", "hybrid"],
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        }))
    }

    /// The `CREDENTIAL` for `challenge` (base64url) at relying party `rp_id`.
    pub fn assertion_for(&self, challenge: &str, rp_id: &str) -> String {
        let client_data = json!({
            "type": "webauthn.get",
            "challenge": challenge,
            "origin": alloc::format!("https://{rp_id}"),
            "crossOrigin": false,
        })
        .to_string();
        let mut authenticator_data = srp::sha256(&[rp_id.as_bytes()]).to_vec();
        authenticator_data.push(FLAGS_UP_UV);
        authenticator_data.extend_from_slice(&1u32.to_be_bytes());
        let signature =
            webauthn_signature(&self.secret, &authenticator_data, client_data.as_bytes());
        json!({
            "id": self.credential_id,
            "rawId": self.credential_id,
            "type": "public-key",
            "response": {
                "clientDataJSON": Base64UrlUnpadded::encode_string(client_data.as_bytes()),
                "authenticatorData": Base64UrlUnpadded::encode_string(&authenticator_data),
                "signature": signature,
            },
            "clientExtensionResults": {},
            "authenticatorAttachment": "platform",
        })
        .to_string()
    }
}

/// The fake assertion signature:
/// `base64url(HMAC-SHA256(secret, authenticator_data ‖ SHA-256(client_data_json)))`.
pub fn webauthn_signature(
    secret: &[u8],
    authenticator_data: &[u8],
    client_data_json: &[u8],
) -> String {
    let client_hash = srp::sha256(&[client_data_json]);
    Base64UrlUnpadded::encode_string(&srp::hmac_sha256(
        secret,
        &[authenticator_data, &client_hash],
    ))
}

/// The `CREDENTIAL_REQUEST_OPTIONS` challenge parameter for `challenge` and the user's passkeys.
pub(crate) fn request_options(challenge: &str, passkeys: &[Passkey]) -> String {
    let allow: Vec<Value> = passkeys
        .iter()
        .map(|passkey| json!({ "type": "public-key", "id": passkey.credential_id }))
        .collect();
    json!({
        "challenge": challenge,
        "timeout": WEBAUTHN_TIMEOUT_MS,
        "rpId": RELYING_PARTY_ID,
        "allowCredentials": allow,
        "userVerification": "required",
    })
    .to_string()
}

/// Checks a `CREDENTIAL` answer against the issued `challenge` and the user's passkeys.
pub(crate) fn verify_assertion(
    credential: &str,
    challenge: &str,
    passkeys: &[Passkey],
) -> Result<(), ServiceError> {
    let fail = |why: &str| {
        ServiceError::not_authorized(alloc::format!(
            "WebAuthn credential verification failed: {why}."
        ))
    };
    let credential: Value =
        serde_json::from_str(credential).map_err(|_| fail("CREDENTIAL is not JSON"))?;
    let text = |value: &Value, name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(ToOwned::to_owned)
    };
    let id = text(&credential, "id").ok_or_else(|| fail("no id"))?;
    if text(&credential, "rawId").is_some_and(|raw| raw != id) {
        return Err(fail("rawId differs from id"));
    }
    if text(&credential, "type").as_deref() != Some("public-key") {
        return Err(fail("type is not public-key"));
    }
    let passkey = passkeys
        .iter()
        .find(|passkey| passkey.credential_id == id)
        .ok_or_else(|| fail("unknown credential"))?;
    let response = credential
        .get("response")
        .ok_or_else(|| fail("no response"))?;
    let field = |name: &str| {
        text(response, name)
            .and_then(|value| decode_base64url(&value))
            .ok_or_else(|| {
                fail(&alloc::format!(
                    "response.{name} is missing or not base64url"
                ))
            })
    };
    let client_data_json = field("clientDataJSON")?;
    let authenticator_data = field("authenticatorData")?;
    let signature = text(response, "signature").ok_or_else(|| fail("no signature"))?;

    let client_data: Value = serde_json::from_slice(&client_data_json)
        .map_err(|_| fail("clientDataJSON is not JSON"))?;
    if text(&client_data, "type").as_deref() != Some("webauthn.get") {
        return Err(fail("clientDataJSON type is not webauthn.get"));
    }
    if text(&client_data, "challenge").as_deref() != Some(challenge) {
        return Err(fail("clientDataJSON challenge is not the issued challenge"));
    }
    if text(&client_data, "origin") != Some(alloc::format!("https://{RELYING_PARTY_ID}")) {
        return Err(fail("clientDataJSON origin is not the relying party's"));
    }
    let rp_hash = srp::sha256(&[RELYING_PARTY_ID.as_bytes()]);
    if authenticator_data.get(..32) != Some(&rp_hash[..]) {
        return Err(fail("authenticatorData rpIdHash does not match"));
    }
    let flags = authenticator_data.get(32).copied().unwrap_or(0);
    if authenticator_data.len() < 37 || flags & FLAGS_UP_UV != FLAGS_UP_UV {
        return Err(fail("authenticatorData lacks user presence/verification"));
    }
    let expected = webauthn_signature(&passkey.secret, &authenticator_data, &client_data_json);
    if srp::signatures_match(&expected, &signature) {
        Ok(())
    } else {
        Err(fail("bad signature"))
    }
}

/// A credential `CompleteWebAuthnRegistration` accepted.
#[derive(Debug, Clone)]
pub(crate) struct Registration {
    pub(crate) passkey: Passkey,
    pub(crate) attachment: Option<String>,
    pub(crate) transports: Vec<String>,
}

/// Checks a registration `Credential` against the issued `challenge` (see the module
/// documentation for the format).
pub(crate) fn verify_registration(
    credential: &Value,
    challenge: &str,
) -> Result<Registration, ServiceError> {
    let invalid = |why: &str| {
        ServiceError::invalid_parameter(alloc::format!("Invalid passkey credential: {why}."))
    };
    let text = |value: &Value, name: &str| {
        value
            .get(name)
            .and_then(Value::as_str)
            .map(ToOwned::to_owned)
    };
    let id = text(credential, "id").ok_or_else(|| invalid("no id"))?;
    let id_bytes = decode_base64url(&id).ok_or_else(|| invalid("id is not base64url"))?;
    if !(16..=255).contains(&id_bytes.len()) {
        return Err(invalid("id must be 16 to 255 bytes"));
    }
    if text(credential, "rawId").is_some_and(|raw| raw != id) {
        return Err(invalid("rawId differs from id"));
    }
    if text(credential, "type").as_deref() != Some("public-key") {
        return Err(invalid("type is not public-key"));
    }
    let attachment = text(credential, "authenticatorAttachment");
    if attachment
        .as_deref()
        .is_some_and(|a| a != "platform" && a != "cross-platform")
    {
        return Err(invalid(
            "authenticatorAttachment is not platform or cross-platform",
        ));
    }
    let response = credential
        .get("response")
        .filter(|response| response.is_object())
        .ok_or_else(|| invalid("no response"))?;
    let field = |name: &str| {
        text(response, name)
            .and_then(|value| decode_base64url(&value))
            .ok_or_else(|| {
                invalid(&alloc::format!(
                    "response.{name} is missing or not base64url"
                ))
            })
    };
    let client_data_json = field("clientDataJSON")?;
    let authenticator_data = field("authenticatorData")?;
    let secret = field("publicKey")?;
    if !(16..=64).contains(&secret.len()) {
        return Err(invalid("response.publicKey must be 16 to 64 bytes"));
    }
    let transports = match response.get("transports") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(ToOwned::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| invalid("response.transports is not a list of strings"))?,
        Some(_) => return Err(invalid("response.transports is not a list")),
    };
    let client_data: Value = serde_json::from_slice(&client_data_json)
        .map_err(|_| invalid("clientDataJSON is not JSON"))?;
    if text(&client_data, "type").as_deref() != Some("webauthn.create") {
        return Err(invalid("clientDataJSON type is not webauthn.create"));
    }
    if text(&client_data, "challenge").as_deref() != Some(challenge) {
        return Err(ServiceError::service(
            "WebAuthnChallengeNotFoundException",
            "The clientDataJSON challenge is not the one StartWebAuthnRegistration issued.",
        ));
    }
    if text(&client_data, "origin") != Some(alloc::format!("https://{RELYING_PARTY_ID}")) {
        return Err(ServiceError::service(
            "WebAuthnOriginNotAllowedException",
            "The passkey's origin is not allowed for this user pool.",
        ));
    }
    let rp_hash = srp::sha256(&[RELYING_PARTY_ID.as_bytes()]);
    if authenticator_data.get(..32) != Some(&rp_hash[..]) {
        return Err(ServiceError::service(
            "WebAuthnRelyingPartyMismatchException",
            "The passkey's relying party does not match this user pool.",
        ));
    }
    let flags = authenticator_data.get(32).copied().unwrap_or(0);
    if authenticator_data.len() < 37 || flags & FLAGS_UP_UV != FLAGS_UP_UV {
        return Err(invalid(
            "authenticatorData lacks user presence/verification",
        ));
    }
    Ok(Registration {
        passkey: Passkey {
            credential_id: id,
            secret,
        },
        attachment,
        transports,
    })
}

fn decode_base64url(text: &str) -> Option<Vec<u8>> {
    Base64UrlUnpadded::decode_vec(text)
        .or_else(|_| Base64Url::decode_vec(text))
        .ok()
}
