//! The emulator's token signing keys: RSA 2048, RS256 (RSASSA-PKCS1-v1_5 with SHA-256), and the
//! JWKS that publishes them, as Cognito signs its access and id tokens.
//!
//! Generating an RSA key takes about half a second, and tests make hundreds of pools: the keys
//! are made once per process, from [`SIGNING_KEY_SEED`] (stream `i + 1` for key `i`,
//! [`crate::pki::seeded_rsa_key`]), each on first use, and shared by every pool. Key 0 signs
//! until [`super::UserPool::rotate_signing_key`] moves a pool on to the next; there are
//! [`SIGNING_KEYS`] of them. Made for tests only: the keys are predictable from the seed.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;
use std::sync::OnceLock;

use base64ct::{Base64UrlUnpadded, Encoding};
use rsa::traits::PublicKeyParts;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::pki::seeded_rsa_key;

/// The seed of the signing keys.
pub const SIGNING_KEY_SEED: u64 = 0x00c0_9e17_5167;
/// How many signing keys a pool can go through (the first and three rotations).
pub const SIGNING_KEYS: usize = 4;
/// Bytes of the modulus digest a key id is made of (base64url: 27 characters).
const KID_BYTES: usize = 20;

/// One signing key, its public half and its key id.
pub(crate) struct SigningKey {
    private: RsaPrivateKey,
    public: RsaPublicKey,
    kid: String,
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

static KEYS: [OnceLock<Option<SigningKey>>; SIGNING_KEYS] =
    [const { OnceLock::new() }; SIGNING_KEYS];

/// Key `index` (made on first use); `None` past [`SIGNING_KEYS`] (or if the key could not be
/// made, which a seeded generator does not do).
pub(crate) fn key(index: usize) -> Option<&'static SigningKey> {
    let cell = KEYS.get(index)?;
    cell.get_or_init(|| {
        let stream = u64::try_from(index).ok()? + 1;
        let private = seeded_rsa_key(SIGNING_KEY_SEED, stream).ok()?;
        let public = private.to_public_key();
        let digest = Sha256::digest(public.n().to_bytes_be());
        let kid = Base64UrlUnpadded::encode_string(digest.get(..KID_BYTES).unwrap_or_default());
        Some(SigningKey {
            private,
            public,
            kid,
        })
    })
    .as_ref()
}

impl SigningKey {
    /// The key id (`kid` of the tokens' header and of the JWKS).
    pub(crate) fn kid(&self) -> &str {
        &self.kid
    }

    /// A compact JWS of `payload`: header `{"alg":"RS256","kid":..}` (as Cognito's: no `typ`).
    pub(crate) fn sign_jwt(&self, payload: &Value) -> String {
        let header = json!({ "alg": "RS256", "kid": self.kid });
        let header = Base64UrlUnpadded::encode_string(header.to_string().as_bytes());
        let payload = Base64UrlUnpadded::encode_string(payload.to_string().as_bytes());
        let digest = Sha256::digest(alloc::format!("{header}.{payload}").as_bytes());
        let signature = self
            .private
            .sign(Pkcs1v15Sign::new::<Sha256>(), &digest)
            .unwrap_or_default();
        let signature = Base64UrlUnpadded::encode_string(&signature);
        alloc::format!("{header}.{payload}.{signature}")
    }

    /// Whether `signature` (base64url) is this key's RS256 signature of `signing_input`.
    fn verifies(&self, signing_input: &str, signature: &str) -> bool {
        let Ok(signature) = Base64UrlUnpadded::decode_vec(signature) else {
            return false;
        };
        let digest = Sha256::digest(signing_input.as_bytes());
        self.public
            .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &signature)
            .is_ok()
    }

    /// The key as a JWK: `{"alg":"RS256","e":..,"kid":..,"kty":"RSA","n":..,"use":"sig"}`.
    pub(crate) fn jwk(&self) -> Value {
        json!({
            "alg": "RS256",
            "e": Base64UrlUnpadded::encode_string(&self.public.e().to_bytes_be()),
            "kid": self.kid,
            "kty": "RSA",
            "n": Base64UrlUnpadded::encode_string(&self.public.n().to_bytes_be()),
            "use": "sig",
        })
    }
}

/// The keys one pool signs with and publishes: the newest signs, all of them verify.
#[derive(Debug, Clone)]
pub(crate) struct KeyRing {
    /// Indices of the published keys, oldest first; the last one signs.
    published: Vec<usize>,
}

impl Default for KeyRing {
    fn default() -> Self {
        Self {
            published: alloc::vec![0],
        }
    }
}

impl KeyRing {
    /// The key that signs.
    pub(crate) fn current(&self) -> Option<&'static SigningKey> {
        self.published.last().and_then(|&index| key(index))
    }

    /// The published keys, oldest first.
    fn keys(&self) -> impl Iterator<Item = &'static SigningKey> + '_ {
        self.published.iter().filter_map(|&index| key(index))
    }

    /// Signs `payload` with the current key (an unsigned token if there is none, which every
    /// check refuses).
    pub(crate) fn sign(&self, payload: &Value) -> String {
        self.current()
            .map(|key| key.sign_jwt(payload))
            .unwrap_or_default()
    }

    /// Moves on to the next key, keeping the old ones published; its kid, or `None` once
    /// [`SIGNING_KEYS`] are used.
    pub(crate) fn rotate(&mut self) -> Option<String> {
        let next = self.published.last().map_or(0, |&index| index + 1);
        let key = key(next)?;
        self.published.push(next);
        Some(key.kid.clone())
    }

    /// Whether `token` is a compact JWS with header `alg` RS256 and the `kid` of a published
    /// key, whose signature that key verifies.
    pub(crate) fn verifies(&self, token: &str) -> bool {
        let mut parts = token.split('.');
        let (Some(header), Some(payload), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let Some(header_json) = Base64UrlUnpadded::decode_vec(header)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        else {
            return false;
        };
        if header_json.get("alg").and_then(Value::as_str) != Some("RS256") {
            return false;
        }
        let kid = header_json.get("kid").and_then(Value::as_str);
        let signing_input = alloc::format!("{header}.{payload}");
        self.keys()
            .find(|key| Some(key.kid()) == kid)
            .is_some_and(|key| key.verifies(&signing_input, signature))
    }

    /// The JWKS: `{"keys":[..]}`, every published key, oldest first.
    pub(crate) fn jwks(&self) -> Value {
        json!({ "keys": self.keys().map(SigningKey::jwk).collect::<Vec<_>>() })
    }
}
