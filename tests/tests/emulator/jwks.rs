//! The emulator's tokens are RS256, as Cognito's: header `{"alg":"RS256","kid":..}`, a
//! signature that verifies under the pool's JWKS (checked here with the `rsa` crate directly,
//! independently of the emulator), `GET /<poolId>/.well-known/jwks.json` over HTTP, key
//! rotation, and forged or altered tokens refused by the pool's API.

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_tests::fixtures::loopback_http;
use cognito_tests::fixtures::raw_client::srp_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{SIGNING_KEYS, UserPool, jwt_payload};
use rsa::{BigUint, Pkcs1v15Sign, RsaPublicKey};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Verifies `token` (compact JWS) under `jwks` as a relying party does: header `alg` RS256, the
/// key with the header's `kid`, an RSASSA-PKCS1-v1_5 SHA-256 signature. Returns the payload or
/// why the token is refused.
pub(crate) fn verify_rs256(jwks: &Value, token: &str) -> Result<Value, String> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err("not three parts".into());
    };
    let decode = |part: &str| Base64UrlUnpadded::decode_vec(part).map_err(|e| e.to_string());
    let header_json: Value = serde_json::from_slice(&decode(header)?).map_err(|e| e.to_string())?;
    if header_json["alg"] != "RS256" {
        return Err(format!("alg {}", header_json["alg"]));
    }
    let jwk = jwks["keys"]
        .as_array()
        .ok_or("no keys")?
        .iter()
        .find(|jwk| jwk["kid"] == header_json["kid"])
        .ok_or("unknown kid")?;
    assert_eq!(jwk["kty"], "RSA");
    assert_eq!(jwk["alg"], "RS256");
    assert_eq!(jwk["use"], "sig");
    let number = |name: &str| {
        decode(jwk[name].as_str().unwrap_or_default()).map(|b| BigUint::from_bytes_be(&b))
    };
    let key = RsaPublicKey::new(number("n")?, number("e")?).map_err(|e| e.to_string())?;
    let digest = Sha256::digest(format!("{header}.{payload}").as_bytes());
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &digest, &decode(signature)?)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&decode(payload)?).map_err(|e| e.to_string())
}

/// The header of a JWT, decoded.
fn header(token: &str) -> Value {
    let part = token.split('.').next().unwrap();
    serde_json::from_slice(&Base64UrlUnpadded::decode_vec(part).unwrap()).unwrap()
}

/// A token with `payload` re-encoded in place of the original one (the signature kept).
fn with_payload(token: &str, payload: &Value) -> String {
    let parts: Vec<&str> = token.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        Base64UrlUnpadded::encode_string(payload.to_string().as_bytes()),
        parts[2]
    )
}

/// Alice signed in: (pool, access token, id token).
fn signed_in(seed: u64) -> (UserPool, String, String) {
    let (mut pool, _) = pool_with_alice(seed, None);
    let mut client = RawClient::new(CLIENT_ID, None, seed);
    let reply = client
        .sign_in(&mut pool, "alice", "Passw0rd!", None)
        .unwrap();
    let result = &reply["AuthenticationResult"];
    let access = str_of(&result["AccessToken"]).to_owned();
    let id = str_of(&result["IdToken"]).to_owned();
    (pool, access, id)
}

#[test]
fn tokens_are_rs256_and_verify_under_the_jwks() {
    let (pool, access, id) = signed_in(1);
    let jwks = pool.jwks_json();
    let keys = jwks["keys"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["e"], "AQAB");
    // RSA 2048: a 256-byte modulus.
    let n = Base64UrlUnpadded::decode_vec(keys[0]["n"].as_str().unwrap()).unwrap();
    assert_eq!(n.len(), 256);
    for token in [&access, &id] {
        assert_eq!(
            header(token),
            json!({ "alg": "RS256", "kid": pool.signing_kid() })
        );
        let payload = verify_rs256(&jwks, token).unwrap();
        assert_eq!(payload, jwt_payload(token).unwrap());
        assert_eq!(
            payload["iss"],
            format!("https://cognito-idp.us-east-1.amazonaws.com/{POOL_ID}")
        );
        assert_eq!(payload["iss"], pool.issuer());
    }
    assert_eq!(jwt_payload(&access).unwrap()["token_use"], "access");
    assert_eq!(jwt_payload(&id).unwrap()["token_use"], "id");
    assert_eq!(jwt_payload(&id).unwrap()["aud"], CLIENT_ID);

    // An altered payload or signature, or another pool's JWKS after a rotation, do not verify.
    let mut claims = jwt_payload(&access).unwrap();
    claims["username"] = json!("mallory");
    assert!(verify_rs256(&jwks, &with_payload(&access, &claims)).is_err());
    let mut other = UserPool::new("us-east-1_Other", 2);
    other.rotate_signing_key().unwrap();
    let mut other_jwks = other.jwks_json();
    other_jwks["keys"].as_array_mut().unwrap().remove(0);
    assert_eq!(
        verify_rs256(&other_jwks, &access).unwrap_err(),
        "unknown kid"
    );
}

#[test]
fn the_kid_is_stable_and_derived_from_the_key() {
    let (pool, access, _) = signed_in(3);
    let again = UserPool::new("eu-west-1_Another", 99);
    assert_eq!(pool.signing_kid(), again.signing_kid());
    assert_eq!(pool.jwks_json(), again.jwks_json());
    let jwk = &pool.jwks_json()["keys"][0];
    let n = Base64UrlUnpadded::decode_vec(jwk["n"].as_str().unwrap()).unwrap();
    let digest = Sha256::digest(&n);
    assert_eq!(
        jwk["kid"],
        Base64UrlUnpadded::encode_string(&digest[..20]).as_str()
    );
    assert_eq!(header(&access)["kid"], jwk["kid"]);
}

#[test]
fn forged_and_altered_tokens_are_refused_by_the_api() {
    let (mut pool, access, id) = signed_in(4);
    let get_user = |pool: &mut UserPool, token: &str| {
        expect_error(
            &pool.call("GetUser", &json!({ "AccessToken": token })),
            "NotAuthorizedException",
        )
    };
    expect_ok(&pool.call("GetUser", &json!({ "AccessToken": access })));

    // The payload changed under the same signature.
    let mut claims = jwt_payload(&access).unwrap();
    claims["exp"] = json!(claims["exp"].as_u64().unwrap() + 3600);
    assert_eq!(
        get_user(&mut pool, &with_payload(&access, &claims)),
        "Invalid Access Token"
    );
    // A flipped signature byte.
    let mut parts: Vec<String> = access.split('.').map(str::to_owned).collect();
    let mut sig = Base64UrlUnpadded::decode_vec(&parts[2]).unwrap();
    sig[100] ^= 1;
    parts[2] = Base64UrlUnpadded::encode_string(&sig);
    assert_eq!(
        get_user(&mut pool, &parts.join(".")),
        "Invalid Access Token"
    );
    // `alg: none`, and HS256 with the public key's modulus as the secret (the confusion attack).
    let payload = access.split('.').nth(1).unwrap();
    let none = format!(
        "{}.{payload}.",
        Base64UrlUnpadded::encode_string(br#"{"alg":"none"}"#)
    );
    assert_eq!(get_user(&mut pool, &none), "Invalid Access Token");
    let kid = pool.signing_kid();
    let hs_header = Base64UrlUnpadded::encode_string(
        json!({ "alg": "HS256", "kid": kid }).to_string().as_bytes(),
    );
    let n = pool.jwks_json()["keys"][0]["n"]
        .as_str()
        .unwrap()
        .to_owned();
    let mac = cognito_tests::srp::hmac_sha256(
        n.as_bytes(),
        &[hs_header.as_bytes(), b".", payload.as_bytes()],
    );
    let confused = format!(
        "{hs_header}.{payload}.{}",
        Base64UrlUnpadded::encode_string(&mac)
    );
    assert_eq!(get_user(&mut pool, &confused), "Invalid Access Token");
    // The right signature under another kid.
    let parts: Vec<&str> = access.split('.').collect();
    let other_kid = Base64UrlUnpadded::encode_string(
        json!({ "alg": "RS256", "kid": "other" })
            .to_string()
            .as_bytes(),
    );
    let renamed = format!("{other_kid}.{}.{}", parts[1], parts[2]);
    assert_eq!(get_user(&mut pool, &renamed), "Invalid Access Token");
    // An id token is not an access token, though its signature is good.
    assert_eq!(get_user(&mut pool, &id), "Invalid Access Token");
    expect_ok(&pool.call("GetUser", &json!({ "AccessToken": access })));
}

#[test]
fn rotation_publishes_a_new_key_and_keeps_the_old_one() {
    let (mut pool, old_access, _) = signed_in(5);
    let old_kid = pool.signing_kid();
    let new_kid = pool.rotate_signing_key().unwrap();
    assert_ne!(new_kid, old_kid);
    assert_eq!(pool.signing_kid(), new_kid);
    let jwks = pool.jwks_json();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [old_kid.as_str(), new_kid.as_str()]);

    // Tokens signed before still work; new ones carry the new kid and verify under the JWKS.
    expect_ok(&pool.call("GetUser", &json!({ "AccessToken": old_access })));
    let mut client = RawClient::new(CLIENT_ID, None, 5);
    let reply = client
        .sign_in(&mut pool, "alice", "Passw0rd!", None)
        .unwrap();
    let access = str_of(&reply["AuthenticationResult"]["AccessToken"]).to_owned();
    assert_eq!(header(&access)["kid"], new_kid.as_str());
    verify_rs256(&jwks, &access).unwrap();
    expect_ok(&pool.call("GetUser", &json!({ "AccessToken": access })));

    // A client holding only the old JWKS does not know the new kid (it must re-fetch).
    let mut old_jwks = jwks.clone();
    old_jwks["keys"].as_array_mut().unwrap().pop();
    assert_eq!(verify_rs256(&old_jwks, &access).unwrap_err(), "unknown kid");

    // The keys run out after SIGNING_KEYS.
    for _ in 2..SIGNING_KEYS {
        assert!(pool.rotate_signing_key().is_some());
    }
    assert_eq!(pool.rotate_signing_key(), None);
    assert_eq!(
        pool.jwks_json()["keys"].as_array().unwrap().len(),
        SIGNING_KEYS
    );
}

#[test]
fn the_jwks_is_served_over_http() {
    let (pool, access, _) = signed_in(6);
    let expected = pool.jwks_json();
    let server =
        EmulatorServer::start_with(pool, "127.0.0.1:0", EmulatorOptions::fixed_clock()).unwrap();
    let url = format!("{}{POOL_ID}/.well-known/jwks.json", server.url());
    let reply = loopback_http::get(&url).unwrap();
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/json"));
    let jwks = reply.json().unwrap();
    assert_eq!(jwks, expected);
    verify_rs256(&jwks, &access).unwrap();

    for path in [
        "us-east-1_Unknown/.well-known/jwks.json",
        "/.well-known/jwks.json",
        "a/b/.well-known/jwks.json",
    ] {
        let reply = loopback_http::get(&format!("{}{path}", server.url())).unwrap();
        assert_eq!(reply.status, 404, "{path}");
    }
    let reply = loopback_http::send(&url, "POST", &[], b"").unwrap();
    assert_eq!(reply.status, 405);
    assert_eq!(reply.header("allow"), Some("GET"));
}
