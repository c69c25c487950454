//! Seeded RSA 2048 test keys (generated once per test binary), their JWKS, and tokens signed
//! with them.

use std::sync::OnceLock;

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_core::time::UnixTime;
use cognito_core::token::{Expectations, ExpectedUse};
use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::SeedableRng;
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

pub(crate) const POOL_ID: &str = "eu-west-1_AbCdEf123";
pub(crate) const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
/// The same pool's issuer in the updated format.
pub(crate) const UPDATED_ISSUER: &str =
    "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
pub(crate) const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
pub(crate) const KID: &str = "key-1";
/// The verifier's clock in these tests.
pub(crate) const NOW: u64 = 1_767_600_100;

/// A key generated from `seed` with `bits` bits.
fn key(seed: u64, bits: usize) -> RsaPrivateKey {
    RsaPrivateKey::new(&mut ChaCha20Rng::seed_from_u64(seed), bits).unwrap()
}

/// The pool's signing key.
pub(crate) fn pool_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key(1, 2048))
}

/// Another key (an attacker's, or the pool's previous one).
pub(crate) fn other_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key(2, 2048))
}

/// A key too small to be accepted (1024 bits).
pub(crate) fn small_key() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| key(3, 1024))
}

pub(crate) fn b64(bytes: &[u8]) -> String {
    Base64UrlUnpadded::encode_string(bytes)
}

/// The JWK of `key` under `kid`, as Cognito writes one.
pub(crate) fn jwk(kid: &str, key: &RsaPublicKey) -> Value {
    json!({
        "alg": "RS256",
        "e": b64(&key.e().to_bytes_be()),
        "kid": kid,
        "kty": "RSA",
        "n": b64(&key.n().to_bytes_be()),
        "use": "sig"
    })
}

/// The pool's key set: its key under [`KID`], after an EC key of another id.
pub(crate) fn jwks() -> String {
    json!({"keys": [
        {"kid": "ec-1", "kty": "EC", "crv": "P-256", "x": "AAAA", "y": "AAAA", "use": "sig"},
        jwk(KID, &pool_key().to_public_key()),
    ]})
    .to_string()
}

/// `header.payload.signature` with both parts' text given, signed by `key` over
/// `b64(header).b64(payload)`.
pub(crate) fn sign_text(header: &str, payload: &str, key: &RsaPrivateKey) -> String {
    sign_parts(&b64(header.as_bytes()), &b64(payload.as_bytes()), key)
}

/// `header_b64.payload_b64.signature` signed by `key`.
pub(crate) fn sign_parts(header_b64: &str, payload_b64: &str, key: &RsaPrivateKey) -> String {
    let input = format!("{header_b64}.{payload_b64}");
    let digest = Sha256::digest(input.as_bytes());
    let signature = key.sign(Pkcs1v15Sign::new::<Sha256>(), &digest).unwrap();
    format!("{input}.{}", b64(&signature))
}

/// An RS256 header naming `kid`.
pub(crate) fn header(kid: &str) -> String {
    json!({"kid": kid, "alg": "RS256"}).to_string()
}

/// A token signed with the pool's key under [`KID`].
pub(crate) fn signed(claims: &Value) -> String {
    sign_text(&header(KID), &claims.to_string(), pool_key())
}

/// Cognito's access-token claims, valid at [`NOW`].
pub(crate) fn access_claims() -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": ["admin", "ops"],
        "iss": ISSUER,
        "client_id": CLIENT,
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin orders/read",
        "auth_time": NOW - 100,
        "exp": NOW + 3500,
        "iat": NOW - 100,
        "jti": "abcdefab-1234-5678-9abc-def012345678",
        "username": "alice"
    })
}

/// Cognito's ID-token claims, valid at [`NOW`].
pub(crate) fn id_claims() -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": ["admin"],
        "email_verified": true,
        "iss": ISSUER,
        "cognito:username": "alice",
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "aud": CLIENT,
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "id",
        "auth_time": NOW - 100,
        "exp": NOW + 3500,
        "iat": NOW - 100,
        "jti": "abcdefab-1234-5678-9abc-def012345679",
        "email": "alice@example.com"
    })
}

/// `claims` with `name` set to `value` (removed when `Null`).
pub(crate) fn with(mut claims: Value, name: &str, value: Value) -> Value {
    match value {
        Value::Null => {
            claims.as_object_mut().unwrap().remove(name);
        }
        value => claims[name] = value,
    }
    claims
}

/// The expectations of most tests: the pool's issuer, its app client, either token use.
pub(crate) fn expect() -> Expectations<'static> {
    Expectations::new(ISSUER)
        .client_ids(&[CLIENT])
        .token_use(ExpectedUse::Either)
}

pub(crate) fn now() -> UnixTime {
    UnixTime::from_secs(NOW)
}
