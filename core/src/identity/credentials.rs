//! The temporary AWS credentials an identity pool returns.

use core::fmt;

use crate::error::ProtocolError;
use crate::redact::hide;
use crate::time::UnixTime;
use crate::wire::JsonObject;

/// Temporary AWS credentials, borrowed from the reply: an access key id, its secret key, the
/// session token, and when they expire. `Debug` shows the key id and the expiry only.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct AwsCredentials<'r> {
    /// `AccessKeyId`.
    pub access_key_id: &'r str,
    /// `SecretKey`.
    pub secret_key: &'r str,
    /// `SessionToken`.
    pub session_token: &'r str,
    /// `Expiration` (the pool's clock, whole seconds).
    pub expiration: UnixTime,
}

impl<'r> AwsCredentials<'r> {
    /// Reads a `Credentials` object: every member required, plain text (no escapes), and an
    /// `Expiration` in epoch seconds (a fraction is dropped).
    pub(crate) fn from_object(object: &JsonObject<'r>) -> Result<Self, ProtocolError> {
        let text = |key: &'static str| -> Result<&'r str, ProtocolError> {
            let value = object
                .require_str(key)?
                .as_plain()
                .ok_or(ProtocolError::InvalidField(key))?;
            if value.is_empty() || !value.bytes().all(|b| b.is_ascii_graphic()) {
                return Err(ProtocolError::InvalidField(key));
            }
            Ok(value)
        };
        let expiration = object
            .get_f64("Expiration")?
            .ok_or(ProtocolError::MissingField("Expiration"))?;
        if !(0.0..1.0e12).contains(&expiration) {
            return Err(ProtocolError::InvalidField("Expiration"));
        }
        Ok(AwsCredentials {
            access_key_id: text("AccessKeyId")?,
            secret_key: text("SecretKey")?,
            session_token: text("SessionToken")?,
            // In range and not negative: the truncation is the intent.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            expiration: UnixTime::from_secs(expiration as u64),
        })
    }
}

impl fmt::Debug for AwsCredentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_key", &hide(self.secret_key))
            .field("session_token", &hide(self.session_token))
            .field("expiration", &self.expiration)
            .finish()
    }
}
