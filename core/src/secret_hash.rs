//! `SECRET_HASH` for app clients that have a client secret:
//! `Base64(HMAC-SHA256(key = client secret, msg = username ‖ client id))`.
//!
//! Which username: the one the request is about. In `RespondToAuthChallenge` that is the
//! challenge's `USERNAME` (not the alias the user typed); on refresh, the user's real username.

use core::fmt;

use base64ct::{Base64, Encoding};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A computed `SECRET_HASH` (44 base64 characters). `Display` writes it (it is what requests
/// carry); `Debug` does not.
///
/// ```
/// use cognito_core::SecretHash;
/// let h = SecretHash::new("1l2n0cs1q0elpb8qg9nnvbvqhdkbdu5uaanlbq1qgk3hpbtbgq0r", "alice", "3n4b5urk1ft4fl3mg5e62d9ado");
/// assert_eq!(h.as_str(), "/CXTlMMwRxC91qZjGrZASkY9iKRCZ8+Qcwb69+lPfPY=");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash {
    text: heapless::String<44>,
}

impl SecretHash {
    /// Computes the hash of `username` for `client_id` under `client_secret`.
    pub fn new(client_secret: &str, username: &str, client_id: &str) -> Self {
        let mut mac = match Hmac::<Sha256>::new_from_slice(client_secret.as_bytes()) {
            Ok(mac) => mac,
            // HMAC takes keys of any length; this branch is never taken.
            Err(_) => <Hmac<Sha256> as Mac>::new(&Default::default()),
        };
        mac.update(username.as_bytes());
        mac.update(client_id.as_bytes());
        let tag = mac.finalize().into_bytes();
        let mut buf = [0u8; 44];
        let text = Base64::encode(&tag, &mut buf).unwrap_or("");
        Self {
            text: heapless::String::try_from(text).unwrap_or_default(),
        }
    }

    /// The base64 text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("SecretHash")
            .field(&crate::redact::Hidden::Secret)
            .finish()
    }
}

impl fmt::Display for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}
