//! What identifies the app client: user-pool id, app-client id and, if it has one, its secret.

use core::fmt;

use crate::error::Misuse;
use crate::secret_hash::SecretHash;
use crate::wire::{Endpoint, pool_name_of_pool_id, region_of_pool_id};

/// The app client a flow signs in through. Borrowed strings: build it once, share it by reference.
///
/// ```
/// use cognito_core::auth::ClientConfig;
/// let config = ClientConfig::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado")?
///     .with_client_secret("app-client-secret");
/// assert_eq!(config.region(), "eu-west-1");
/// assert_eq!(config.pool_name(), "AbCdEf123");
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
#[derive(Clone, Copy)]
pub struct ClientConfig<'a> {
    pool_id: &'a str,
    client_id: &'a str,
    client_secret: Option<&'a str>,
}

impl<'a> ClientConfig<'a> {
    /// A public app client (no secret). Fails with [`Misuse::InvalidPoolId`] unless `pool_id` is
    /// `<region>_<name>`, and with [`Misuse::Empty`] for an empty client id.
    pub fn new(pool_id: &'a str, client_id: &'a str) -> Result<Self, Misuse> {
        region_of_pool_id(pool_id)?;
        pool_name_of_pool_id(pool_id)?;
        if client_id.is_empty() {
            return Err(Misuse::Empty("client_id"));
        }
        Ok(Self {
            pool_id,
            client_id,
            client_secret: None,
        })
    }

    /// The same client with an app-client secret: requests then carry `SECRET_HASH`.
    #[must_use]
    pub fn with_client_secret(self, client_secret: &'a str) -> Self {
        Self {
            client_secret: Some(client_secret),
            ..self
        }
    }

    /// The user-pool id, e.g. `eu-west-1_AbCdEf123`.
    pub fn pool_id(&self) -> &'a str {
        self.pool_id
    }

    /// The pool name: the part of the pool id after `_` (it salts password hashes).
    pub fn pool_name(&self) -> &'a str {
        pool_name_of_pool_id(self.pool_id).unwrap_or("")
    }

    /// The AWS region: the part of the pool id before `_`.
    pub fn region(&self) -> &'a str {
        region_of_pool_id(self.pool_id).unwrap_or("")
    }

    /// The app-client id.
    pub fn client_id(&self) -> &'a str {
        self.client_id
    }

    /// The app-client secret, if any.
    pub fn client_secret(&self) -> Option<&'a str> {
        self.client_secret
    }

    /// `SECRET_HASH` of `username` when the client has a secret.
    pub fn secret_hash(&self, username: &str) -> Option<SecretHash> {
        self.client_secret
            .map(|secret| SecretHash::new(secret, username, self.client_id))
    }

    /// The public AWS endpoint of the pool's region.
    pub fn endpoint(&self) -> Result<Endpoint, Misuse> {
        Endpoint::for_pool_id(self.pool_id)
    }
}

impl fmt::Debug for ClientConfig<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("pool_id", &self.pool_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.map(|_| ".."))
            .finish()
    }
}
