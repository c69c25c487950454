//! What identifies the app client: user-pool id, app-client id and, if it has one, its secret.

use core::fmt;

use zeroize::Zeroizing;

use crate::capacity::copy;
use crate::error::Misuse;
use crate::redact::hide;
use crate::secret_hash::SecretHash;
use crate::wire::{Endpoint, pool_name_of_pool_id, region_of_pool_id};

/// The longest user-pool id kept (Cognito's model allows 55 characters).
pub const MAX_POOL_ID_LEN: usize = 128;
/// The longest app-client id kept (Cognito's model allows 128 characters).
pub const MAX_CLIENT_ID_LEN: usize = 256;
/// The longest app-client secret kept (Cognito's model allows 64 characters).
pub const MAX_CLIENT_SECRET_LEN: usize = 128;

/// The app client a flow signs in through: owned copies (about 520 bytes), so a flow that keeps
/// one needs no borrow. The secret is wiped on drop and never shown by `Debug`.
///
/// ```
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado")?
///     .with_client_secret("app-client-secret")?;
/// assert_eq!(config.region(), "eu-west-1");
/// assert_eq!(config.pool_name(), "AbCdEf123");
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
#[derive(Clone)]
pub struct ClientConfig {
    pool_id: heapless::String<MAX_POOL_ID_LEN>,
    client_id: heapless::String<MAX_CLIENT_ID_LEN>,
    client_secret: Option<Zeroizing<heapless::String<MAX_CLIENT_SECRET_LEN>>>,
}

impl ClientConfig {
    /// A public app client (no secret). Fails with [`Misuse::InvalidPoolId`] unless `pool_id` is
    /// `<region>_<name>`, with [`Misuse::Empty`] for an empty client id, and with
    /// [`Misuse::TooLong`] past [`MAX_POOL_ID_LEN`] or [`MAX_CLIENT_ID_LEN`].
    pub fn new(pool_id: &str, client_id: &str) -> Result<Self, Misuse> {
        region_of_pool_id(pool_id)?;
        pool_name_of_pool_id(pool_id)?;
        if client_id.is_empty() {
            return Err(Misuse::Empty("client_id"));
        }
        Ok(Self {
            pool_id: copy(pool_id, "pool_id")?,
            client_id: copy(client_id, "client_id")?,
            client_secret: None,
        })
    }

    /// The same client with an app-client secret: requests then carry `SECRET_HASH`.
    /// [`Misuse::Empty`] or [`Misuse::TooLong`] (past [`MAX_CLIENT_SECRET_LEN`]) otherwise.
    pub fn with_client_secret(self, client_secret: &str) -> Result<Self, Misuse> {
        if client_secret.is_empty() {
            return Err(Misuse::Empty("client_secret"));
        }
        Ok(Self {
            client_secret: Some(Zeroizing::new(copy(client_secret, "client_secret")?)),
            ..self
        })
    }

    /// The user-pool id, e.g. `eu-west-1_AbCdEf123`.
    pub fn pool_id(&self) -> &str {
        &self.pool_id
    }

    /// The pool name: the part of the pool id after `_` (it salts password hashes).
    pub fn pool_name(&self) -> &str {
        pool_name_of_pool_id(&self.pool_id).unwrap_or("")
    }

    /// The AWS region: the part of the pool id before `_`.
    pub fn region(&self) -> &str {
        region_of_pool_id(&self.pool_id).unwrap_or("")
    }

    /// The app-client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The app-client secret, if any.
    pub fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_ref().map(|s| s.as_str())
    }

    /// `SECRET_HASH` of `username` when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<SecretHash> {
        self.client_secret()
            .map(|secret| SecretHash::new(secret, username, &self.client_id))
    }

    /// The public AWS endpoint of the pool's region.
    pub fn endpoint(&self) -> Result<Endpoint, Misuse> {
        Endpoint::for_pool_id(&self.pool_id)
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("pool_id", &self.pool_id.as_str())
            .field("client_id", &self.client_id.as_str())
            .field("client_secret", &hide(&self.client_secret()))
            .finish()
    }
}
