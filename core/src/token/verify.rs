//! RS256 verification of a pool's token: header, key, signature, claims (feature `rs256`).

use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::{BigUint, RsaPublicKey};
use sha2::{Digest, Sha256};

use super::claims::Claims;
use super::error::TokenError;
use super::expectations::{Expectations, check_claims};
use super::header::{JwtHeader, MAX_HEADER_LEN};
use super::jwks::{Jwks, MAX_EXPONENT_LEN, MAX_MODULUS_LEN};
use super::jwt::Jwt;
use super::verify_error::VerifyError;
use crate::time::UnixTime;

/// Verifies `token` against the pool's key set and `expect` at `now`, and returns its claims,
/// decoded into `payload_buf`.
///
/// In this order, each step refusing with its own [`VerifyError`]: the token's shape (three
/// parts of unpadded base64url); the
/// header (`alg` must be `RS256`, whatever the key: no `none`, no HMAC with the public key as
/// secret); the key its `kid` names ([`VerifyError::UnknownKey`] asks for a fresh key set); the
/// key itself (RSA, 2048 to 4096 bits); the RSASSA-PKCS1-v1_5 SHA-256 signature over
/// `header.payload`; only then the payload, and its claims ([`check_claims`]).
///
/// RSA here is the `rsa` crate's public-key operation, which needs an allocator; it touches no
/// secret (the known timing weakness of that crate concerns private-key operations).
///
/// ```
/// use cognito_core::token::{Expectations, Jwks, VerifyError, verify};
/// use cognito_core::time::UnixTime;
/// let jwks = Jwks::parse(br#"{"keys":[]}"#)?;
/// let expect = Expectations::new("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC");
/// let mut buf = [0u8; 2048];
/// // {"alg":"HS256","kid":"k"}: refused before any key is looked at.
/// let token = "eyJhbGciOiJIUzI1NiIsImtpZCI6ImsifQ.e30.c2ln";
/// assert_eq!(
///     verify(token, &jwks, &expect, UnixTime::from_secs(0), &mut buf).unwrap_err(),
///     VerifyError::UnsupportedAlgorithm
/// );
/// # Ok::<(), VerifyError>(())
/// ```
pub fn verify<'b>(
    token: &str,
    jwks: &Jwks<'_>,
    expect: &Expectations<'_>,
    now: UnixTime,
    payload_buf: &'b mut [u8],
) -> Result<Claims<'b>, VerifyError> {
    let jwt = Jwt::parse(token)?;
    // RFC 7515 §2: base64url without padding. `Jwt` tolerates `=`, but a padded signature would
    // give one token two spellings.
    if token.contains('=') {
        return Err(VerifyError::Malformed(TokenError::InvalidBase64));
    }
    let mut header_buf = [0u8; MAX_HEADER_LEN];
    let header = JwtHeader::decode(&jwt, &mut header_buf)?;
    let key = jwks
        .find_json(header.kid())
        .ok_or(VerifyError::UnknownKey)?;
    let (mut n_buf, mut e_buf) = ([0u8; MAX_MODULUS_LEN], [0u8; MAX_EXPONENT_LEN]);
    let key = key.rs256_key(&mut n_buf, &mut e_buf)?;
    let public = RsaPublicKey::new(BigUint::from_bytes_be(key.n), BigUint::from_bytes_be(key.e))
        .map_err(|_| VerifyError::InvalidKey("e"))?;
    let mut signature = [0u8; MAX_MODULUS_LEN];
    let signature = super::jwt::decode_part(jwt.signature_b64(), &mut signature)
        .map_err(|_| VerifyError::BadSignature)?;
    let digest = Sha256::digest(jwt.signing_input().as_bytes());
    public
        .verify(Pkcs1v15Sign::new::<Sha256>(), &digest, signature)
        .map_err(|_| VerifyError::BadSignature)?;
    let claims = jwt.claims(payload_buf)?;
    check_claims(&claims, expect, now)?;
    Ok(claims)
}
