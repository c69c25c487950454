//! Properties: nothing panics, and no change to a valid token is accepted.

use cognito_core::token::{Jwks, VerifyError, verify};
use proptest::prelude::*;

use crate::support::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any bytes as a key set and a token: an answer, never a panic.
    #[test]
    fn arbitrary_input_never_panics(jwks in proptest::collection::vec(any::<u8>(), 0..512),
                                    token in ".{0,400}") {
        let mut buf = [0u8; 1024];
        if let Ok(jwks) = Jwks::parse(&jwks) {
            let _ = verify(&token, &jwks, &expect(), now(), &mut buf);
        }
        let real = jwks_text();
        let real = Jwks::parse(real.as_bytes()).unwrap();
        let _ = verify(&token, &real, &expect(), now(), &mut buf);
    }

    /// A valid token with one byte changed (to any other byte) is refused.
    #[test]
    fn one_changed_byte_is_refused(index in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let token = valid_token();
        let mut bytes = token.clone().into_bytes();
        let i = index.index(bytes.len());
        prop_assume!(bytes[i] != byte);
        bytes[i] = byte;
        let Ok(changed) = String::from_utf8(bytes) else { return Ok(()) };
        let jwks = jwks_text();
        let jwks = Jwks::parse(jwks.as_bytes()).unwrap();
        let mut buf = [0u8; 2048];
        let result = verify(&changed, &jwks, &expect(), now(), &mut buf).map(|_| ());
        prop_assert!(result.is_err(), "accepted with byte {i} changed: {changed}");
    }

    /// Arbitrary claims, validly signed: checked, never a panic.
    #[test]
    fn signed_arbitrary_payloads_never_panic(payload in proptest::collection::vec(any::<u8>(), 0..300)) {
        let token = sign_parts(&b64(header(KID).as_bytes()), &b64(&payload), pool_key());
        let jwks = jwks_text();
        let jwks = Jwks::parse(jwks.as_bytes()).unwrap();
        let mut buf = [0u8; 1024];
        let result = verify(&token, &jwks, &expect(), now(), &mut buf).map(|_| ());
        prop_assert!(!matches!(result, Err(VerifyError::BadSignature)));
    }
}

fn jwks_text() -> &'static str {
    static JWKS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JWKS.get_or_init(jwks)
}

fn valid_token() -> String {
    static TOKEN: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TOKEN.get_or_init(|| signed(&access_claims())).clone()
}
