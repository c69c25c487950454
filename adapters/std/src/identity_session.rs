//! Tokens and AWS credentials in one call, like Amplify's `fetchAuthSession`
//! ([`crate::Client::fetch_auth_session`]); guest credentials; and the blocking twins.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use cognito_core::identity::{Login, user_pool_provider};
use tokio::runtime::Runtime;

use crate::client::ValidTokens;
use crate::config::Options;
use crate::credentials::AwsCredentials;
use crate::error::{Error, Result};
use crate::identity::{GuestIdentity, IdentityClient, IdentityCredentials};
use crate::session::{Session, read_private, replace_private};
use crate::zeroizing::ZeroizingWriter;

/// How [`crate::Client::fetch_auth_session`] and [`crate::Client::guest_credentials`] treat what
/// they hold.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FetchOptions {
    /// Renew the tokens (refresh) and the AWS credentials even when they are still valid.
    pub force_refresh: bool,
}

/// Valid tokens and valid AWS credentials for the signed-in user, from
/// [`crate::Client::fetch_auth_session`]. `Debug` shows no secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuthSession {
    /// The tokens (refreshed when they were about to expire).
    pub tokens: ValidTokens,
    /// The user's identity id in the identity pool.
    pub identity_id: String,
    /// Credentials valid beyond [`Options::credentials_refresh_margin`].
    pub credentials: AwsCredentials,
}

impl crate::Client {
    /// The identity pool of this client ([`crate::Config::with_identity_pool`]);
    /// [`Error::NoIdentityPool`] without one.
    pub fn identity_pool(&self) -> Result<&IdentityClient> {
        self.inner.identity.as_ref().ok_or(Error::NoIdentityPool)
    }

    /// Valid tokens and valid AWS credentials from the configured identity pool, like Amplify's
    /// `fetchAuthSession`:
    ///
    /// 1. the tokens, refreshed when they expire within [`Options::refresh_margin`] (as
    ///    [`Self::get_valid_tokens`] does), or always with [`FetchOptions::force_refresh`];
    /// 2. the user's identity in the pool: the one kept in [`Session::identities`], or `GetId`
    ///    with the ID token as the login of the user pool
    ///    (`cognito-idp.<region>.amazonaws.com/<poolId>`) when none is kept;
    /// 3. the credentials kept with it while they are valid beyond
    ///    [`Options::credentials_refresh_margin`] (on the local clock, corrected by the drift
    ///    the reply's `Date` showed) and not `force_refresh`; otherwise
    ///    `GetCredentialsForIdentity` with the same login, and they are kept.
    ///
    /// The session changes (new tokens, the identity id, new credentials): save it afterwards
    /// to keep them, and to make the next run ask nothing while they last.
    ///
    /// A kept identity id the pool refuses for this login (`NotAuthorizedException` or
    /// `ResourceNotFoundException` from `GetCredentialsForIdentity`: the identity was deleted,
    /// or belongs to someone else) is dropped, and `GetId` and `GetCredentialsForIdentity` are
    /// asked once more; a second refusal is returned as it is.
    ///
    /// Errors: [`Error::NoIdentityPool`], [`Error::NoIdToken`], the refresh's errors, and the
    /// identity pool's as [`Error::Core`] with [`cognito_core::Error::Service`]
    /// (`NotAuthorizedException`, `ResourceNotFoundException`, `ResourceConflictException`,
    /// `TooManyRequestsException`, …; see [`Error::service`]).
    ///
    /// ```no_run
    /// # async fn demo(mut session: cognito_std::Session) -> cognito_std::Result<()> {
    /// use cognito_std::{Client, Config, FetchOptions};
    /// let client = Client::new(
    ///     Config::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado")
    ///         .with_identity_pool("eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f"),
    /// )?;
    /// let auth = client.fetch_auth_session(&mut session, FetchOptions::default()).await?;
    /// println!("{} until {}", auth.credentials.access_key_id, auth.credentials.expiration_iso8601());
    /// # Ok(()) }
    /// ```
    pub async fn fetch_auth_session(
        &self,
        session: &mut Session,
        options: FetchOptions,
    ) -> Result<AuthSession> {
        let identity = self.identity_pool()?;
        if options.force_refresh {
            self.refresh(session).await?;
        }
        let tokens = self.get_valid_tokens(session).await?;
        let id_token = tokens.id_token.as_deref().ok_or(Error::NoIdToken)?;
        let provider = user_pool_provider(&self.inner.config.pool_id)?;
        let logins = [Login {
            provider: &provider,
            token: id_token,
        }];
        let IdentityCredentials {
            identity_id,
            credentials,
        } = identity
            .credentials(&mut session.identities, &logins, options.force_refresh)
            .await?;
        Ok(AuthSession {
            tokens,
            identity_id,
            credentials,
        })
    }

    /// Guest (unauthenticated) credentials from the configured identity pool: the guest
    /// identity kept in `guest` (a new one by `GetId` without logins when none is kept — keep
    /// `guest` to avoid making a new identity each time), and its credentials, kept in `guest`
    /// while they are valid beyond [`Options::credentials_refresh_margin`] (unless
    /// [`FetchOptions::force_refresh`]). The same errors as [`Self::fetch_auth_session`]; a
    /// guest `GetId` that may have reached the pool without a reply is not sent again
    /// ([`Error::OutcomeUnknown`]).
    pub async fn guest_credentials(
        &self,
        guest: &mut GuestIdentity,
        options: FetchOptions,
    ) -> Result<IdentityCredentials> {
        self.identity_pool()?
            .guest_credentials(guest, options)
            .await
    }
}

impl IdentityClient {
    /// Guest credentials from this identity pool (see [`crate::Client::guest_credentials`]).
    pub async fn guest_credentials(
        &self,
        guest: &mut GuestIdentity,
        options: FetchOptions,
    ) -> Result<IdentityCredentials> {
        self.credentials(&mut guest.identities, &[], options.force_refresh)
            .await
    }
}

impl crate::blocking::Client {
    /// See [`crate::Client::identity_pool`].
    pub fn identity_pool(&self) -> Result<&IdentityClient> {
        self.as_async().identity_pool()
    }

    /// See [`crate::Client::fetch_auth_session`].
    pub fn fetch_auth_session(
        &self,
        session: &mut Session,
        options: FetchOptions,
    ) -> Result<AuthSession> {
        self.block_on(self.as_async().fetch_auth_session(session, options))
    }

    /// See [`crate::Client::guest_credentials`].
    pub fn guest_credentials(
        &self,
        guest: &mut GuestIdentity,
        options: FetchOptions,
    ) -> Result<IdentityCredentials> {
        self.block_on(self.as_async().guest_credentials(guest, options))
    }
}

/// A blocking [`IdentityClient`] (on a private current-thread runtime), for guests of an
/// identity pool without a user pool. Do not use it inside an async runtime.
#[derive(Clone, Debug)]
pub struct BlockingIdentityClient {
    runtime: Arc<Runtime>,
    inner: IdentityClient,
}

impl BlockingIdentityClient {
    /// See [`IdentityClient::new`].
    pub fn new(identity_pool_id: &str, endpoint: Option<&str>, options: &Options) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Io)?;
        // reqwest's client registers with the runtime it is built in.
        let inner = {
            let _guard = runtime.enter();
            IdentityClient::new(identity_pool_id, endpoint, options)?
        };
        Ok(Self {
            runtime: Arc::new(runtime),
            inner,
        })
    }

    /// The async client this one wraps.
    #[must_use]
    pub fn as_async(&self) -> &IdentityClient {
        &self.inner
    }

    /// See [`IdentityClient::guest_credentials`].
    pub fn guest_credentials(
        &self,
        guest: &mut GuestIdentity,
        options: FetchOptions,
    ) -> Result<IdentityCredentials> {
        self.runtime
            .block_on(self.inner.guest_credentials(guest, options))
    }
}

/// Guest identities ([`GuestIdentity`]) kept in a JSON file between runs, like a session file:
/// owner-only (0600) on Unix, a file others may access refused ([`Error::InsecureSession`]),
/// replaced atomically. No lock guards it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GuestIdentityFile {
    path: PathBuf,
}

impl GuestIdentityFile {
    /// A file at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored guest identities (none when there is no file); [`Error::CorruptSession`] for
    /// a file that is not one (left as it is).
    pub fn load(&self) -> Result<GuestIdentity> {
        let Some(bytes) = read_private(&self.path)? else {
            return Ok(GuestIdentity::default());
        };
        serde_json::from_slice(&bytes).map_err(|e| Error::CorruptSession {
            path: self.path.clone(),
            reason: format!(
                "not a guest-identity file (line {} column {})",
                e.line(),
                e.column()
            ),
        })
    }

    /// Replaces the stored guest identities by `guest`.
    pub fn save(&self, guest: &GuestIdentity) -> Result<()> {
        let mut json = ZeroizingWriter::with_capacity(4096);
        serde_json::to_writer_pretty(&mut json, guest)?;
        replace_private(&self.path, json.as_slice())
    }
}
