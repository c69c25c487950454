//! `jwt_verify`: `token::verify` (feature `rs256`) on any key set and token, and on a valid
//! pair with one byte changed.
//!
//! Input: a mode byte. Even: the rest split at the first `0x00` into a key set and a token
//! (both any bytes; a token that is not UTF-8 is refused before `verify`, as a caller's `&str`
//! would be). Odd: the valid pair in `fuzz/harness/data/` (the pool's key set, an access and an
//! ID token valid until 2100, signed by the key of `core/tests/verify`) with the token (bit 1 of
//! the mode: the ID token) changed at index `u16 BE % len` to the next byte; or, with bit 2 of
//! the mode, the key set changed there instead.
//!
//! Invariants: nothing panics; `verify` is deterministic; an accepted token's claims pass
//! `check_claims` again and the key set names its `kid`; the unchanged pair is accepted; a
//! token with any one byte changed is refused; a changed key set accepts the token only if the
//! change left the token's key as it was (`kid`, `kty`, `n`, `e`; `alg` and `use` absent or
//! `RS256` and `sig`).

use cognito_core::time::UnixTime;
use cognito_core::token::{Expectations, ExpectedUse, Jwks, VerifyError, check_claims, verify};

const JWKS: &str = include_str!("../data/jwt_verify_jwks.json");
const ACCESS: &str = include_str!("../data/jwt_verify_access_token.txt");
const ID: &str = include_str!("../data/jwt_verify_id_token.txt");
const ISSUER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123";
const CLIENTS: &[&str] = &["3n4b5urk1ft4fl3mg5e62d9ado"];
const NOW: UnixTime = UnixTime::from_secs(1_767_600_100);

fn expect() -> Expectations<'static> {
    Expectations::new(ISSUER)
        .client_ids(CLIENTS)
        .token_use(ExpectedUse::Either)
}

/// Verifies, twice (the same answer), and checks what an accepted token must satisfy.
fn checked(jwks: &[u8], token: &str) -> Result<(), VerifyError> {
    let jwks = Jwks::parse(jwks)?;
    let mut buf = [0u8; 2048];
    let first = verify(token, &jwks, &expect(), NOW, &mut buf).map(|c| c.as_object().raw().len());
    let mut again = [0u8; 2048];
    let second = verify(token, &jwks, &expect(), NOW, &mut again);
    match (&first, second) {
        (Ok(len), Ok(claims)) => {
            assert_eq!(*len, claims.as_object().raw().len());
            assert_eq!(check_claims(&claims, &expect(), NOW), Ok(()));
        }
        (Err(a), Err(b)) => assert_eq!(*a, b),
        (a, b) => panic!(
            "verify is not deterministic: {a:?} then {:?}",
            b.map(|_| ())
        ),
    }
    first.map(|_| ())
}

/// Checks one input; see the module documentation.
pub fn jwt_verify(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let (jwks, token) = match rest.iter().position(|&b| b == 0) {
            Some(at) => (&rest[..at], &rest[at + 1..]),
            None => (rest, &[][..]),
        };
        if let Ok(token) = core::str::from_utf8(token) {
            let _ = checked(jwks, token);
        }
        return;
    }
    let token = if mode & 2 == 0 { ACCESS } else { ID };
    assert_eq!(checked(JWKS.as_bytes(), token), Ok(()), "the valid pair");
    let [hi, lo, byte, ..] = *rest else {
        return;
    };
    let at = usize::from(u16::from_be_bytes([hi, lo]));
    if mode & 4 == 0 {
        let mut changed = token.as_bytes().to_vec();
        let i = at % changed.len();
        if changed[i] == byte {
            return;
        }
        changed[i] = byte;
        if let Ok(changed) = core::str::from_utf8(&changed) {
            assert!(
                checked(JWKS.as_bytes(), changed).is_err(),
                "accepted with byte {i} changed to {byte:#04x}"
            );
        }
    } else {
        let mut changed = JWKS.as_bytes().to_vec();
        let i = at % changed.len();
        changed[i] = byte;
        if checked(&changed, token).is_ok() {
            // The same key (`kty`, `n`, `e`), and `alg` / `use` absent or the right ones.
            let key = |jwks: &[u8]| -> Option<String> {
                let jwks = Jwks::parse(jwks).ok()?;
                let key = jwks.find("key-1")?;
                let text = |v: Option<cognito_core::wire::JsonStr<'_>>| {
                    v.map(|s| s.chars().collect::<String>())
                };
                Some(format!(
                    "{:?}",
                    [text(key.kty()), text(key.n()), text(key.e())]
                ))
            };
            assert_eq!(
                key(&changed),
                key(JWKS.as_bytes()),
                "a changed key set accepted the token with another key"
            );
            let jwks = Jwks::parse(&changed).unwrap();
            let key = jwks.find("key-1").unwrap();
            assert!(key.alg().is_none_or(|a| a.eq_str("RS256")));
            assert!(key.key_use().is_none_or(|u| u.eq_str("sig")));
        }
    }
}
