//! PKCE (RFC 7636) with S256, and the `state` and `nonce` values, all from caller randomness.

use core::fmt;

use base64ct::{Base64UrlUnpadded, Encoding};
use rand_core::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::percent::is_unreserved;
use crate::error::Misuse;

/// The length of what [`CodeVerifier::generate`] and [`RandomValue::generate`] make: 32 random
/// bytes, base64url without padding.
pub const GENERATED_LEN: usize = 43;
/// The longest code verifier RFC 7636 allows.
pub const MAX_VERIFIER_LEN: usize = 128;
/// The longest `state` or `nonce` kept.
pub const MAX_RANDOM_VALUE_LEN: usize = 128;

/// A PKCE `code_verifier`: 43–128 unreserved characters, kept secret until the token request.
/// Zeroized on drop; `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct CodeVerifier {
    text: heapless::String<MAX_VERIFIER_LEN>,
}

/// A PKCE `code_challenge` with method `S256`: base64url(SHA-256(verifier)), 43 characters.
pub type CodeChallenge = heapless::String<GENERATED_LEN>;

impl CodeVerifier {
    /// A fresh verifier: 32 bytes from `rng`, base64url (43 characters, 256 bits).
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
        CodeVerifier {
            text: random_text(rng),
        }
    }

    /// A verifier kept from earlier (for a sign-in that outlives a process).
    ///
    /// [`Misuse::Invalid`]`("code_verifier")` unless it has 43–128 unreserved characters.
    pub fn from_text(text: &str) -> Result<Self, Misuse> {
        if !(GENERATED_LEN..=MAX_VERIFIER_LEN).contains(&text.len())
            || !text.bytes().all(is_unreserved)
        {
            return Err(Misuse::Invalid("code_verifier"));
        }
        let text =
            heapless::String::try_from(text).map_err(|_| Misuse::Invalid("code_verifier"))?;
        Ok(CodeVerifier { text })
    }

    /// The verifier, for the token request.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Its `S256` challenge, for the authorize URL.
    #[must_use]
    pub fn challenge(&self) -> CodeChallenge {
        let digest = Sha256::digest(self.text.as_bytes());
        let mut out = [0u8; GENERATED_LEN];
        let text = Base64UrlUnpadded::encode(&digest, &mut out).unwrap_or_default();
        heapless::String::try_from(text).unwrap_or_default()
    }
}

impl fmt::Debug for CodeVerifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CodeVerifier(<redacted>)")
    }
}

/// A `state` or `nonce`: unguessable text that ties the redirect (or the ID token) to the
/// request that asked for it. Zeroized on drop; `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct RandomValue {
    text: heapless::String<MAX_RANDOM_VALUE_LEN>,
}

impl RandomValue {
    /// 32 bytes from `rng`, base64url (43 characters).
    pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
        RandomValue {
            text: random_text(rng),
        }
    }

    /// A value kept from earlier: 1–128 unreserved characters.
    pub fn from_text(text: &str) -> Result<Self, Misuse> {
        if text.is_empty() || !text.bytes().all(is_unreserved) {
            return Err(Misuse::Invalid("state"));
        }
        let text = heapless::String::try_from(text).map_err(|_| Misuse::TooLong {
            field: "state",
            max: MAX_RANDOM_VALUE_LEN,
        })?;
        Ok(RandomValue { text })
    }

    /// The value.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for RandomValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RandomValue(<redacted>)")
    }
}

fn random_text<const N: usize, R: RngCore + CryptoRng + ?Sized>(
    rng: &mut R,
) -> heapless::String<N> {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    let mut out = [0u8; GENERATED_LEN];
    let text =
        heapless::String::try_from(Base64UrlUnpadded::encode(&bytes, &mut out).unwrap_or_default())
            .unwrap_or_default();
    bytes.zeroize();
    out.zeroize();
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7636_appendix_b() {
        // The example verifier and challenge of RFC 7636, appendix B.
        let verifier =
            CodeVerifier::from_text("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk").unwrap();
        assert_eq!(
            verifier.challenge(),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }

    #[test]
    fn generated_values_have_the_documented_shape() {
        let mut rng = rand::rngs::OsRng;
        let v = CodeVerifier::generate(&mut rng);
        assert_eq!(v.as_str().len(), GENERATED_LEN);
        assert!(CodeVerifier::from_text(v.as_str()).is_ok());
        let s = RandomValue::generate(&mut rng);
        assert_eq!(s.as_str().len(), GENERATED_LEN);
        assert_ne!(s, RandomValue::generate(&mut rng));
        assert!(!format!("{v:?}{s:?}").contains(s.as_str()));
    }

    #[test]
    fn refuses_malformed_kept_values() {
        assert!(CodeVerifier::from_text("short").is_err());
        assert!(CodeVerifier::from_text(&"a".repeat(129)).is_err());
        assert!(CodeVerifier::from_text(&"a/".repeat(30)).is_err());
        assert!(RandomValue::from_text("").is_err());
        assert!(RandomValue::from_text("a b").is_err());
        assert!(RandomValue::from_text(&"a".repeat(129)).is_err());
    }
}
