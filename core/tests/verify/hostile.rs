//! Valid tokens pass; every hostile token and key set is refused with its own typed error.

use std::collections::BTreeSet;

use cognito_core::token::{
    Expectations, ExpectedUse, IssuerFormat, Jwks, TokenError, VerifyError, issuer_of_pool, verify,
    which_issuer,
};
use cognito_core::{BufferTooSmall, Misuse};
use hmac::{Hmac, Mac};
use rsa::pkcs8::EncodePublicKey;
use serde_json::{Value, json};
use sha2::Sha256;

use base64ct::Encoding;

use crate::support::*;

/// Verifies `token` against `jwks` with `expect` at [`NOW`]: the claims' JSON, or the refusal.
fn check_with(token: &str, jwks: &str, expect: &Expectations<'_>) -> Result<Value, VerifyError> {
    let jwks = Jwks::parse(jwks.as_bytes())?;
    let mut buf = [0u8; 4096];
    let claims = verify(token, &jwks, expect, now(), &mut buf)?;
    Ok(serde_json::from_str(claims.as_object().raw()).unwrap())
}

fn check(token: &str) -> Result<Value, VerifyError> {
    check_with(token, &jwks(), &expect())
}

#[test]
fn the_pools_issuers_in_both_formats() {
    assert_eq!(issuer_of_pool(POOL_ID).unwrap().as_str(), ISSUER);
    assert_eq!(
        IssuerFormat::Original.issuer(POOL_ID).unwrap().as_str(),
        ISSUER
    );
    assert_eq!(
        IssuerFormat::Updated.issuer(POOL_ID).unwrap().as_str(),
        UPDATED_ISSUER
    );
    assert_eq!(
        IssuerFormat::Updated.host(POOL_ID).unwrap().host(),
        "issuer-cognito-idp.eu-west-1.amazonaws.com"
    );
    // The China regions' hosts end in .com.cn, as their endpoints do.
    assert_eq!(
        IssuerFormat::Original
            .issuer("cn-north-1_Ab")
            .unwrap()
            .as_str(),
        "https://cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab"
    );
    assert_eq!(
        IssuerFormat::Updated
            .issuer("cn-north-1_Ab")
            .unwrap()
            .as_str(),
        "https://issuer-cognito-idp.cn-north-1.amazonaws.com.cn/cn-north-1_Ab"
    );
    for bad in ["", "eu-west-1", "eu-west-1_", "EU_x", "eu west_1"] {
        for &format in IssuerFormat::ALL {
            assert_eq!(format.issuer(bad), Err(Misuse::InvalidPoolId), "{bad:?}");
        }
    }
}

#[test]
fn a_token_of_the_updated_issuer_verifies_against_it_and_only_it() {
    let token = signed(&with(access_claims(), "iss", json!(UPDATED_ISSUER)));
    let updated = Expectations::new(UPDATED_ISSUER);
    assert!(check_with(&token, &jwks(), &updated).is_ok());
    assert_eq!(check(&token), Err(VerifyError::WrongIssuer));
    // Which of a verifier's issuers a token names, read before the key set is chosen.
    let issuers = [ISSUER, UPDATED_ISSUER];
    let mut buf = [0u8; 2048];
    assert_eq!(which_issuer(&token, &issuers, &mut buf), Some(1));
    assert_eq!(
        which_issuer(&signed(&access_claims()), &issuers, &mut buf),
        Some(0)
    );
    // Another pool, another region, a near miss, no iss, a non-string iss, no token at all, a
    // buffer too small: none of them.
    let elsewhere = [
        "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other",
        "https://issuer-cognito-idp.us-east-1.amazonaws.com/eu-west-1_AbCdEf123",
        "https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123/",
    ];
    for iss in elsewhere {
        let token = signed(&with(access_claims(), "iss", json!(iss)));
        assert_eq!(which_issuer(&token, &issuers, &mut buf), None, "{iss}");
    }
    let mut no_iss = access_claims();
    no_iss.as_object_mut().unwrap().remove("iss");
    assert_eq!(which_issuer(&signed(&no_iss), &issuers, &mut buf), None);
    let numeric = signed(&with(access_claims(), "iss", json!(7)));
    assert_eq!(which_issuer(&numeric, &issuers, &mut buf), None);
    assert_eq!(which_issuer("not a token", &issuers, &mut buf), None);
    assert_eq!(which_issuer(&token, &issuers, &mut [0u8; 8]), None);
    // An escaped iss is the same string.
    let escaped = sign_text(
        &header(KID),
        &format!(
            r#"{{"iss":"{}","token_use":"access"}}"#,
            UPDATED_ISSUER.replace('/', "\\/")
        ),
        pool_key(),
    );
    assert_eq!(which_issuer(&escaped, &issuers, &mut buf), Some(1));
}

#[test]
fn valid_access_and_id_tokens_are_accepted() {
    let claims = check(&signed(&access_claims())).unwrap();
    assert_eq!(claims, access_claims());
    let claims = check(&signed(&id_claims())).unwrap();
    assert_eq!(claims["cognito:username"], "alice");
    // Each use alone, with scope and group.
    let access = expect()
        .token_use(ExpectedUse::Access)
        .scope("orders/read")
        .group("ops");
    assert!(check_with(&signed(&access_claims()), &jwks(), &access).is_ok());
    let id = expect().token_use(ExpectedUse::Id).group("admin");
    assert!(check_with(&signed(&id_claims()), &jwks(), &id).is_ok());
    // `aud` as an array naming the client among others.
    let aud = with(id_claims(), "aud", json!(["other", CLIENT]));
    assert!(check(&signed(&aud)).is_ok());
    // Without client ids set, any client of the pool.
    let any = Expectations::new(ISSUER);
    let other = with(access_claims(), "client_id", json!("other"));
    assert!(check_with(&signed(&other), &jwks(), &any).is_ok());
}

#[test]
fn signatures() {
    let token = signed(&access_claims());
    // One bit of the signature flipped.
    let (input, signature) = token.rsplit_once('.').unwrap();
    let mut sig = base64ct::Base64UrlUnpadded::decode_vec(signature).unwrap();
    sig[10] ^= 1;
    let flipped = format!("{input}.{}", b64(&sig));
    assert_eq!(check(&flipped), Err(VerifyError::BadSignature));
    // Another key under the pool's kid.
    let forged = sign_text(&header(KID), &access_claims().to_string(), other_key());
    assert_eq!(check(&forged), Err(VerifyError::BadSignature));
    // A valid signature of another token.
    let other = signed(&id_claims());
    let transplanted = format!("{input}.{}", other.rsplit_once('.').unwrap().1);
    assert_eq!(check(&transplanted), Err(VerifyError::BadSignature));
    // No signature, a short one, one longer than any modulus.
    assert_eq!(check(&format!("{input}.")), Err(VerifyError::BadSignature));
    assert_eq!(
        check(&format!("{input}.AAAA")),
        Err(VerifyError::BadSignature)
    );
    let long = b64(&[7u8; 600]);
    assert_eq!(
        check(&format!("{input}.{long}")),
        Err(VerifyError::BadSignature)
    );
    // The signature padded with `=` (2048 bits: 342 characters, so `==` is canonical padding):
    // the same bytes, but a second spelling of the token, so refused.
    let payload = access_claims().to_string();
    let token = sign_text(&header(KID), &payload, pool_key());
    assert_eq!(token.rsplit_once('.').unwrap().1.len() % 4, 2);
    assert_eq!(
        check(&format!("{token}==")),
        Err(VerifyError::Malformed(TokenError::InvalidBase64))
    );
}

#[test]
fn algorithms_other_than_rs256_are_refused() {
    let payload = b64(access_claims().to_string().as_bytes());
    // alg none, unsigned.
    let none = format!("{}.{payload}.", b64(br#"{"alg":"none","kid":"key-1"}"#));
    assert_eq!(check(&none), Err(VerifyError::UnsupportedAlgorithm));
    // HS256 with the public key (its DER, its PEM, its modulus) as the HMAC secret.
    let public = pool_key().to_public_key();
    let pem = public
        .to_public_key_pem(rsa::pkcs8::LineEnding::LF)
        .unwrap();
    let der = public.to_public_key_der().unwrap();
    let n = rsa::traits::PublicKeyParts::n(&public).to_bytes_be();
    for secret in [pem.as_bytes(), der.as_bytes(), &n[..]] {
        let input = format!("{}.{payload}", b64(br#"{"alg":"HS256","kid":"key-1"}"#));
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).unwrap();
        mac.update(input.as_bytes());
        let token = format!("{input}.{}", b64(&mac.finalize().into_bytes()));
        assert_eq!(check(&token), Err(VerifyError::UnsupportedAlgorithm));
    }
    // Other RSA and EC algorithms, and spellings of RS256 that are not it, validly signed.
    for alg in [
        "RS384", "RS512", "PS256", "ES256", "rs256", "RS256 ", "none", "",
    ] {
        let header = json!({"alg": alg, "kid": KID}).to_string();
        let token = sign_text(&header, &access_claims().to_string(), pool_key());
        assert_eq!(
            check(&token),
            Err(VerifyError::UnsupportedAlgorithm),
            "{alg}"
        );
    }
    // RS256 written with an escape is RS256.
    let token = sign_text(
        r#"{"alg":"RS\u0032\u0035\u0036","kid":"key-1"}"#,
        &access_claims().to_string(),
        pool_key(),
    );
    assert!(check(&token).is_ok());
}

#[test]
fn headers() {
    let claims = access_claims().to_string();
    let token = |header: &str| sign_text(header, &claims, pool_key());
    assert_eq!(
        check(&token(r#"{"kid":"key-1"}"#)),
        Err(VerifyError::InvalidHeader("alg"))
    );
    assert_eq!(
        check(&token(r#"{"alg":256,"kid":"key-1"}"#)),
        Err(VerifyError::InvalidHeader("alg"))
    );
    assert_eq!(
        check(&token(r#"{"alg":"RS256"}"#)),
        Err(VerifyError::InvalidHeader("kid"))
    );
    assert_eq!(
        check(&token(r#"{"alg":"RS256","kid":1}"#)),
        Err(VerifyError::InvalidHeader("kid"))
    );
    assert_eq!(
        check(&token(
            r#"{"alg":"RS256","kid":"key-1","crit":["exp"],"exp":1}"#
        )),
        Err(VerifyError::InvalidHeader("crit"))
    );
    assert_eq!(
        check(&token(r#"{"alg":"RS256","kid":"key-1","typ":7}"#)),
        Err(VerifyError::InvalidHeader("typ"))
    );
    assert!(check(&token(r#"{"alg":"RS256","kid":"key-1","typ":"JWT"}"#)).is_ok());
    // The last `alg` wins, as for every JSON member here: a second one cannot smuggle `none`.
    assert_eq!(
        check(&token(r#"{"alg":"RS256","kid":"key-1","alg":"none"}"#)),
        Err(VerifyError::UnsupportedAlgorithm)
    );
    // A kid no key has: the caller may fetch the key set again.
    let unknown = sign_text(&header("key-2"), &claims, pool_key());
    assert_eq!(check(&unknown), Err(VerifyError::UnknownKey));
    assert!(VerifyError::UnknownKey.wants_new_keys());
    // Malformed header: base64, JSON, not an object, too long.
    let payload = b64(claims.as_bytes());
    let raw = |header: &str| sign_parts(header, &payload, pool_key());
    assert_eq!(
        check(&raw("e30xx")),
        Err(VerifyError::MalformedHeader(TokenError::InvalidBase64))
    );
    assert_eq!(
        check(&raw(&b64(b"{\"alg\":"))),
        Err(VerifyError::MalformedHeader(TokenError::InvalidJson))
    );
    assert_eq!(
        check(&raw(&b64(b"[\"RS256\"]"))),
        Err(VerifyError::MalformedHeader(TokenError::NotAnObject))
    );
    let huge = format!(
        r#"{{"alg":"RS256","kid":"key-1","x":"{}"}}"#,
        "a".repeat(600)
    );
    assert!(matches!(
        check(&raw(&b64(huge.as_bytes()))),
        Err(VerifyError::MalformedHeader(TokenError::BufferTooSmall(_)))
    ));
}

#[test]
fn shapes() {
    let token = signed(&access_claims());
    assert_eq!(
        check(&format!("{token}.")),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    assert_eq!(
        check(&format!("{token}.abc")),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    assert_eq!(
        check(&format!("a.{token}")),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    let (input, _) = token.rsplit_once('.').unwrap();
    assert_eq!(
        check(input),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    assert_eq!(
        check(""),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    assert_eq!(
        check(&token.replace('-', "+")),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
    assert_eq!(
        check(&format!(" {token}")),
        Err(VerifyError::Malformed(TokenError::Malformed))
    );
}

#[test]
fn payloads_signed_but_malformed() {
    let header = b64(header(KID).as_bytes());
    let token = |payload_b64: &str| sign_parts(&header, payload_b64, pool_key());
    // Signed, so the payload is reached: malformed base64 (impossible length, bad trailing
    // bits), malformed JSON, JSON that is not an object.
    assert_eq!(
        check(&token("e30xx")),
        Err(VerifyError::Malformed(TokenError::InvalidBase64))
    );
    assert_eq!(
        check(&token("e31")),
        Err(VerifyError::Malformed(TokenError::InvalidBase64))
    );
    assert_eq!(
        check(&token(&b64(b"{\"exp\":"))),
        Err(VerifyError::Malformed(TokenError::InvalidJson))
    );
    assert_eq!(
        check(&token(&b64(b"[1]"))),
        Err(VerifyError::Malformed(TokenError::NotAnObject))
    );
    assert_eq!(
        check(&token(&b64(&[0xFF, 0xFE]))),
        Err(VerifyError::Malformed(TokenError::InvalidJson))
    );
    // Huge numbers.
    for exp in ["1e400", "99999999999999999999999", "-1", "2e19"] {
        let payload = access_claims().to_string().replace(
            &format!("\"exp\":{}", NOW + 3500),
            &format!("\"exp\":{exp}"),
        );
        assert_eq!(
            check(&token(&b64(payload.as_bytes()))),
            Err(VerifyError::Malformed(TokenError::InvalidClaim("exp"))),
            "{exp}"
        );
    }
    // Claims of the wrong type.
    let numeric_iss = with(access_claims(), "iss", json!(7));
    assert_eq!(
        check(&signed(&numeric_iss)),
        Err(VerifyError::Malformed(TokenError::InvalidClaim("iss")))
    );
    let client = with(access_claims(), "client_id", json!([CLIENT]));
    assert_eq!(
        check(&signed(&client)),
        Err(VerifyError::Malformed(TokenError::InvalidClaim(
            "client_id"
        )))
    );
    // A payload longer than the caller's buffer.
    let jwks = jwks();
    let jwks = Jwks::parse(jwks.as_bytes()).unwrap();
    let mut small = [0u8; 16];
    assert!(matches!(
        verify(
            &signed(&access_claims()),
            &jwks,
            &expect(),
            now(),
            &mut small
        ),
        Err(VerifyError::Malformed(TokenError::BufferTooSmall(
            BufferTooSmall { .. }
        )))
    ));
}

#[test]
fn lifetimes() {
    let expired = with(access_claims(), "exp", json!(NOW - 10));
    assert_eq!(check(&signed(&expired)), Err(VerifyError::Expired));
    let at_exp = with(access_claims(), "exp", json!(NOW));
    assert_eq!(check(&signed(&at_exp)), Err(VerifyError::Expired));
    let leeway = expect().leeway_secs(30);
    assert!(check_with(&signed(&expired), &jwks(), &leeway).is_ok());
    let future = with(access_claims(), "iat", json!(NOW + 60));
    assert_eq!(check(&signed(&future)), Err(VerifyError::IssuedInFuture));
    assert!(check_with(&signed(&future), &jwks(), &expect().leeway_secs(60)).is_ok());
    let nbf = with(access_claims(), "nbf", json!(NOW + 60));
    assert_eq!(check(&signed(&nbf)), Err(VerifyError::NotYetValid));
    let no_exp = with(access_claims(), "exp", Value::Null);
    assert_eq!(
        check(&signed(&no_exp)),
        Err(VerifyError::MissingClaim("exp"))
    );
    // A leeway that would overflow does not wrap.
    let huge = expect().leeway_secs(u64::MAX);
    assert!(check_with(&signed(&expired), &jwks(), &huge).is_ok());
}

#[test]
fn issuers_clients_uses_scopes_groups() {
    let iss = with(
        access_claims(),
        "iss",
        json!("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other"),
    );
    assert_eq!(check(&signed(&iss)), Err(VerifyError::WrongIssuer));
    let slash = with(access_claims(), "iss", json!(format!("{ISSUER}/")));
    assert_eq!(check(&signed(&slash)), Err(VerifyError::WrongIssuer));
    let no_iss = with(access_claims(), "iss", Value::Null);
    assert_eq!(
        check(&signed(&no_iss)),
        Err(VerifyError::MissingClaim("iss"))
    );

    let client = with(access_claims(), "client_id", json!("another-client"));
    assert_eq!(check(&signed(&client)), Err(VerifyError::WrongClient));
    let no_client = with(access_claims(), "client_id", Value::Null);
    assert_eq!(
        check(&signed(&no_client)),
        Err(VerifyError::MissingClaim("client_id"))
    );
    // An access token's `aud` does not stand in for `client_id`.
    let aud_only = with(no_client, "aud", json!(CLIENT));
    assert_eq!(
        check(&signed(&aud_only)),
        Err(VerifyError::MissingClaim("client_id"))
    );
    let aud = with(id_claims(), "aud", json!("another-client"));
    assert_eq!(check(&signed(&aud)), Err(VerifyError::WrongClient));
    let no_aud = with(id_claims(), "aud", Value::Null);
    assert_eq!(
        check(&signed(&no_aud)),
        Err(VerifyError::MissingClaim("aud"))
    );
    let none = expect().client_ids(&[]);
    assert_eq!(
        check_with(&signed(&access_claims()), &jwks(), &none),
        Err(VerifyError::WrongClient)
    );

    let access_only = expect().token_use(ExpectedUse::Access);
    assert_eq!(
        check_with(&signed(&id_claims()), &jwks(), &access_only),
        Err(VerifyError::WrongTokenUse)
    );
    let id_only = expect().token_use(ExpectedUse::Id);
    assert_eq!(
        check_with(&signed(&access_claims()), &jwks(), &id_only),
        Err(VerifyError::WrongTokenUse)
    );
    let refresh = with(access_claims(), "token_use", json!("refresh"));
    assert_eq!(check(&signed(&refresh)), Err(VerifyError::WrongTokenUse));
    let no_use = with(access_claims(), "token_use", Value::Null);
    assert_eq!(
        check(&signed(&no_use)),
        Err(VerifyError::MissingClaim("token_use"))
    );

    let scope = expect().scope("orders/write");
    assert_eq!(
        check_with(&signed(&access_claims()), &jwks(), &scope),
        Err(VerifyError::MissingScope)
    );
    // A scope is a whole word, not a prefix.
    let prefix = expect().scope("orders");
    assert_eq!(
        check_with(&signed(&access_claims()), &jwks(), &prefix),
        Err(VerifyError::MissingScope)
    );
    let id_scope = expect().scope("orders/read");
    assert_eq!(
        check_with(&signed(&id_claims()), &jwks(), &id_scope),
        Err(VerifyError::MissingScope)
    );
    let group = expect().group("root");
    assert_eq!(
        check_with(&signed(&access_claims()), &jwks(), &group),
        Err(VerifyError::MissingGroup)
    );
    let no_groups = with(access_claims(), "cognito:groups", Value::Null);
    assert_eq!(
        check_with(&signed(&no_groups), &jwks(), &expect().group("ops")),
        Err(VerifyError::MissingGroup)
    );
}

#[test]
fn key_sets() {
    let token = signed(&access_claims());
    let public = pool_key().to_public_key();
    let set = |key: Value| json!({"keys": [key]}).to_string();
    let key_with = |name: &str, value: Value| set(with(jwk(KID, &public), name, value));
    assert_eq!(
        check_with(&token, &key_with("kty", json!("EC")), &expect()),
        Err(VerifyError::InvalidKey("kty"))
    );
    assert_eq!(
        check_with(&token, &key_with("kty", Value::Null), &expect()),
        Err(VerifyError::InvalidKey("kty"))
    );
    assert_eq!(
        check_with(&token, &key_with("alg", json!("RS512")), &expect()),
        Err(VerifyError::InvalidKey("alg"))
    );
    assert_eq!(
        check_with(&token, &key_with("alg", json!("HS256")), &expect()),
        Err(VerifyError::InvalidKey("alg"))
    );
    assert_eq!(
        check_with(&token, &key_with("use", json!("enc")), &expect()),
        Err(VerifyError::InvalidKey("use"))
    );
    assert_eq!(
        check_with(&token, &key_with("n", Value::Null), &expect()),
        Err(VerifyError::InvalidKey("n"))
    );
    assert_eq!(
        check_with(&token, &key_with("n", json!("!!!")), &expect()),
        Err(VerifyError::InvalidKey("n"))
    );
    assert_eq!(
        check_with(&token, &key_with("n", json!(b64(&[0xFF; 600]))), &expect()),
        Err(VerifyError::InvalidKey("n"))
    );
    assert_eq!(
        check_with(&token, &key_with("e", json!("AAI")), &expect()),
        Err(VerifyError::InvalidKey("e"))
    );
    assert_eq!(
        check_with(&token, &key_with("e", json!("AQ")), &expect()),
        Err(VerifyError::InvalidKey("e"))
    );
    assert_eq!(
        check_with(&token, &key_with("e", json!(b64(&[1; 9]))), &expect()),
        Err(VerifyError::InvalidKey("e"))
    );
    // `alg` and `use` may be absent; `n` with a leading zero byte is the same key.
    let mut bare = jwk(KID, &public);
    bare.as_object_mut()
        .unwrap()
        .retain(|k, _| ["kid", "kty", "n", "e"].contains(&k.as_str()));
    assert!(check_with(&token, &set(bare), &expect()).is_ok());
    let n = rsa::traits::PublicKeyParts::n(&public).to_bytes_be();
    let padded = [&[0u8][..], &n].concat();
    assert!(check_with(&token, &key_with("n", json!(b64(&padded))), &expect()).is_ok());
    // A 1024-bit key, even if it signed the token.
    let weak = sign_text(&header(KID), &access_claims().to_string(), small_key());
    let weak_set = set(jwk(KID, &small_key().to_public_key()));
    assert_eq!(
        check_with(&weak, &weak_set, &expect()),
        Err(VerifyError::InvalidKey("n"))
    );
    // Key sets that are not.
    assert_eq!(
        check_with(&token, "[]", &expect()),
        Err(VerifyError::InvalidJwks("body"))
    );
    assert_eq!(
        check_with(&token, "{\"keys\":", &expect()),
        Err(VerifyError::InvalidJwks("body"))
    );
    assert_eq!(
        check_with(&token, "{}", &expect()),
        Err(VerifyError::InvalidJwks("keys"))
    );
    assert_eq!(
        check_with(&token, r#"{"keys":{}}"#, &expect()),
        Err(VerifyError::InvalidJwks("keys"))
    );
    // Members of `keys` that are not objects are skipped; only EC keys: the kid is unknown.
    let mixed = json!({"keys": [1, "x", null, jwk(KID, &public)]}).to_string();
    assert!(check_with(&token, &mixed, &expect()).is_ok());
    let ec_only = json!({"keys": [{"kid": "ec", "kty": "EC"}]}).to_string();
    assert_eq!(
        check_with(&token, &ec_only, &expect()),
        Err(VerifyError::UnknownKey)
    );
    // Rotation: the old key and the new one side by side.
    let rotated =
        json!({"keys": [jwk("old", &other_key().to_public_key()), jwk(KID, &public)]}).to_string();
    assert!(check_with(&token, &rotated, &expect()).is_ok());
}

#[test]
fn every_refusal_reads_differently() {
    let errors = [
        VerifyError::Malformed(TokenError::Malformed),
        VerifyError::MalformedHeader(TokenError::InvalidJson),
        VerifyError::InvalidHeader("kid"),
        VerifyError::UnsupportedAlgorithm,
        VerifyError::UnknownKey,
        VerifyError::InvalidKey("kty"),
        VerifyError::InvalidJwks("keys"),
        VerifyError::BadSignature,
        VerifyError::Expired,
        VerifyError::IssuedInFuture,
        VerifyError::NotYetValid,
        VerifyError::WrongIssuer,
        VerifyError::WrongTokenUse,
        VerifyError::WrongClient,
        VerifyError::MissingScope,
        VerifyError::MissingGroup,
        VerifyError::MissingClaim("exp"),
    ];
    let texts: BTreeSet<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(texts.len(), errors.len());
    for error in errors {
        let _: &dyn std::error::Error = &error;
    }
}
