//! An identity pool (`cognito-identity`): `GetId` and `GetCredentialsForIdentity` over the
//! adapter's transport and retry loop, and the identities (with their cached credentials) a
//! session or a guest keeps.
//!
//! The core writes each request, says whether it may be sent again, and reads each reply
//! ([`cognito_core::identity`]); this module keeps what comes back.

use core::fmt;
use std::sync::Arc;

use cognito_core::identity::{GetCredentialsForIdentity, GetId, Logins, identity_host};
use tracing::Instrument;
use zeroize::Zeroizing;

use crate::config::Options;
use crate::credentials::AwsCredentials;
use crate::endpoint::{self, EndpointSecurity};
use crate::error::{Error, Result};
use crate::transport::{OwnedIdentityRequest, Reply, Transport, local_now};

/// The size identity-pool request bodies are first written into (an ID token is a few KiB).
const REQUEST_BUFFER: usize = 8192;

/// A client of one identity pool: its own connection to the identity endpoint, sharing the
/// adapter's retry rules. Cheap to clone. Made by [`crate::Client`] from
/// [`crate::Config::identity_pool_id`], or on its own for guests ([`Self::new`]).
#[derive(Clone)]
pub struct IdentityClient {
    inner: Arc<IdentityLink>,
}

struct IdentityLink {
    identity_pool_id: String,
    transport: Transport,
    margin_secs: u64,
}

impl fmt::Debug for IdentityClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityClient")
            .field("identity_pool_id", &self.inner.identity_pool_id)
            .field("security", &self.inner.transport.security())
            .finish_non_exhaustive()
    }
}

/// The identity of a user (or a guest) in one identity pool, with the credentials last
/// received for it. Kept in the [`crate::Session`] (and its file) or a [`GuestIdentity`], so
/// that the next call asks no `GetId` and, while the credentials last, nothing at all.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PoolIdentity {
    /// The identity pool, `<region>:<id>`.
    pub identity_pool_id: String,
    /// The identity id `GetId` returned, `<region>:<id>`.
    pub identity_id: String,
    /// The credentials last received, while they are kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials: Option<AwsCredentials>,
}

/// Guest (unauthenticated) identities, one per identity pool, with their credentials: keep it
/// between calls, and between runs (it serializes: [`crate::GuestIdentityFile`]), since each
/// guest `GetId` that reaches a pool creates a new identity there.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct GuestIdentity {
    /// The identities, by identity pool.
    #[serde(default)]
    pub identities: Vec<PoolIdentity>,
}

impl GuestIdentity {
    /// The guest identity id in `identity_pool_id`, once there is one.
    #[must_use]
    pub fn identity_id(&self, identity_pool_id: &str) -> Option<&str> {
        find(&self.identities, identity_pool_id).map(|i| i.identity_id.as_str())
    }
}

/// An identity and its valid credentials, from [`crate::Client::guest_credentials`] (and inside
/// [`crate::AuthSession`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdentityCredentials {
    /// The identity id.
    pub identity_id: String,
    /// Credentials valid beyond [`Options::credentials_refresh_margin`].
    pub credentials: AwsCredentials,
}

/// The identity of `identity_pool_id` among `identities`.
pub(crate) fn find<'a>(
    identities: &'a [PoolIdentity],
    identity_pool_id: &str,
) -> Option<&'a PoolIdentity> {
    identities
        .iter()
        .find(|i| i.identity_pool_id == identity_pool_id)
}

impl IdentityClient {
    /// A client of `identity_pool_id` at `endpoint`, or at the identity pool's regional
    /// endpoint (`https://cognito-identity.<region>.amazonaws.com/`) when `None`. The endpoint
    /// is checked like the user pool's ([`crate::Client::with_options`]): `https://`, or
    /// `http://` to a loopback host unless [`Options::danger_allow_cleartext_http`].
    pub fn new(identity_pool_id: &str, endpoint: Option<&str>, options: &Options) -> Result<Self> {
        let url = match endpoint {
            Some(url) => endpoint::parse(url)?,
            None => endpoint::parse(&format!("https://{}/", identity_host(identity_pool_id)?))?,
        };
        Ok(Self {
            inner: Arc::new(IdentityLink {
                identity_pool_id: identity_pool_id.to_owned(),
                transport: Transport::new(url, options)?,
                margin_secs: options.credentials_refresh_margin.as_secs(),
            }),
        })
    }

    /// The identity pool.
    #[must_use]
    pub fn identity_pool_id(&self) -> &str {
        &self.inner.identity_pool_id
    }

    /// How requests reach the identity endpoint.
    #[must_use]
    pub fn endpoint_security(&self) -> EndpointSecurity {
        self.inner.transport.security()
    }

    /// `GetId`: the identity the logins prove (created on first use), or a new guest identity
    /// without logins (sent again only if it never reached the pool:
    /// [`crate::Error::OutcomeUnknown`] otherwise).
    pub async fn get_id(&self, logins: Logins<'_>) -> Result<String> {
        let call = GetId {
            identity_pool_id: &self.inner.identity_pool_id,
            account_id: None,
            logins,
        };
        let reply = self.send(|buf| call.write(buf)).await?;
        Ok(GetId::read_reply(&reply.as_http())?.identity_id.to_owned())
    }

    /// `GetCredentialsForIdentity`: credentials for `identity_id` (its authenticated role with
    /// logins, the guest role without), their expiry measured on the local clock.
    pub async fn get_credentials_for_identity(
        &self,
        identity_id: &str,
        logins: Logins<'_>,
    ) -> Result<AwsCredentials> {
        let call = GetCredentialsForIdentity {
            identity_id,
            logins,
            custom_role_arn: None,
        };
        let reply = self.send(|buf| call.write(buf)).await?;
        let read = GetCredentialsForIdentity::read_reply(&reply.as_http())?;
        // Server clock minus local clock, from this reply's `Date`.
        let drift = self.inner.transport.server_offset().saturating_neg();
        Ok(AwsCredentials::from_reply(
            &read.credentials,
            local_now(),
            drift,
        ))
    }

    /// Valid credentials for the identity kept in `identities` for this pool: the cached ones
    /// while they last beyond the margin (unless `force_refresh`), else new ones, after a
    /// `GetId` when no identity is known yet. The identity id and the new credentials are kept
    /// in `identities`.
    ///
    /// A remembered identity id that the pool no longer accepts for these logins
    /// ([`GetCredentialsForIdentity::may_be_stale_identity`]) is forgotten, and `GetId` and
    /// `GetCredentialsForIdentity` are asked once more; a second refusal is returned.
    pub(crate) async fn credentials(
        &self,
        identities: &mut Vec<PoolIdentity>,
        logins: Logins<'_>,
        force_refresh: bool,
    ) -> Result<IdentityCredentials> {
        let pool = self.inner.identity_pool_id.clone();
        let kept = find(identities, &pool);
        let valid = kept.filter(|_| !force_refresh).and_then(|identity| {
            identity
                .credentials
                .as_ref()
                .filter(|c| !c.is_expired(local_now(), self.inner.margin_secs))
                .map(|credentials| (identity, credentials))
        });
        if let Some((identity, credentials)) = valid {
            return Ok(IdentityCredentials {
                identity_id: identity.identity_id.clone(),
                credentials: credentials.clone(),
            });
        }
        let remembered = kept.map(|i| i.identity_id.clone());
        let span = tracing::info_span!("cognito_identity", identity_pool_id = %pool);
        async {
            let identity_id = match &remembered {
                Some(id) => id.clone(),
                None => self.new_identity(identities, logins).await?,
            };
            let credentials = match self
                .get_credentials_for_identity(&identity_id, logins)
                .await
            {
                Err(Error::Core(e))
                    if remembered.is_some()
                        && GetCredentialsForIdentity::may_be_stale_identity(&e) =>
                {
                    tracing::info!(error = %e, "remembered identity refused: asking GetId again");
                    identities.retain(|i| i.identity_pool_id != pool);
                    let identity_id = self.new_identity(identities, logins).await?;
                    let credentials = self
                        .get_credentials_for_identity(&identity_id, logins)
                        .await?;
                    (identity_id, credentials)
                }
                other => (identity_id, other?),
            };
            let (identity_id, credentials) = credentials;
            if let Some(identity) = identities.iter_mut().find(|i| i.identity_pool_id == pool) {
                identity.credentials = Some(credentials.clone());
            }
            tracing::info!(identity_id = %identity_id, "AWS credentials received");
            Ok(IdentityCredentials {
                identity_id,
                credentials,
            })
        }
        .instrument(span)
        .await
    }

    /// `GetId`, and the new identity kept in `identities` (without credentials).
    async fn new_identity(
        &self,
        identities: &mut Vec<PoolIdentity>,
        logins: Logins<'_>,
    ) -> Result<String> {
        let identity_id = self.get_id(logins).await?;
        identities.retain(|i| i.identity_pool_id != self.inner.identity_pool_id);
        identities.push(PoolIdentity {
            identity_pool_id: self.inner.identity_pool_id.clone(),
            identity_id: identity_id.clone(),
            credentials: None,
        });
        Ok(identity_id)
    }

    /// Writes a request with `write` (a core writer) into a zeroized buffer, grown once when
    /// too small, and sends it (again only where the core allows).
    async fn send(
        &self,
        write: impl Fn(
            &mut [u8],
        ) -> core::result::Result<
            cognito_core::identity::IdentityRequest<'_>,
            cognito_core::Error,
        >,
    ) -> Result<Reply> {
        let request = {
            let mut buf = Zeroizing::new(vec![0u8; REQUEST_BUFFER]);
            match write(buf.as_mut_slice()) {
                Ok(request) => OwnedIdentityRequest::copy_of(&request),
                Err(cognito_core::Error::BufferTooSmall(b)) => {
                    buf = Zeroizing::new(vec![0u8; b.required]);
                    OwnedIdentityRequest::copy_of(&write(buf.as_mut_slice())?)
                }
                Err(e) => return Err(e.into()),
            }
        };
        self.inner.transport.send(&request).await
    }
}
