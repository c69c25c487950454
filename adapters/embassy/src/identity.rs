//! AWS credentials from an identity pool: a device whose user signed in (or a guest) trades the
//! ID token for temporary AWS keys, to call S3, IoT Core or API Gateway, as Amplify's
//! `fetchAuthSession` does.
//!
//! [`IdentityPool`] sends `GetId` once (the identity id is kept, and can be saved with the
//! device's [`Remembered`](crate::store::Remembered) so that it survives reboots), then
//! `GetCredentialsForIdentity` whenever the kept [`Credentials`] are about to expire, over its own
//! kept-alive connection to the identity host (`cognito-identity.<region>.amazonaws.com`: not
//! the user-pool API's), with the same timeouts and retries as
//! [`Client`](crate::client::Client). The requests and replies are the core's
//! ([`cognito_core::identity`]), and so is the decision to send one again
//! ([`IdentityRequest::resend`](cognito_core::identity::IdentityRequest)): a guest's `GetId`
//! creates an identity each time it arrives, so it is sent again only when it never left.
//!
//! ```no_run
//! # async fn demo<C: cognito_embassy::connect::Connect>(connector: &C, id_token: &str) -> Result<(), cognito_embassy::error::Error> {
//! use cognito_embassy::identity::{IdentityEndpoint, IdentityPool, Principal};
//!
//! // `connector` reaches the identity host: TlsConnect::new(&tcp, &dns,
//! // "cognito-identity.eu-west-1.amazonaws.com", 443, …).
//! let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 4096]);
//! let mut pool: IdentityPool<'_, C> = IdentityPool::new(
//!     "eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f",
//!     IdentityEndpoint::Regional,
//!     connector,
//!     &mut request_buf,
//!     &mut reply_buf,
//! )?;
//! let user = Principal::User { user_pool_id: "eu-west-1_AbC123", id_token };
//! let keys = pool.credentials(user).await?; // sent only when the kept ones are about to expire
//! # let _ = (keys.access_key_id(), keys.secret_key(), keys.session_token());
//! # Ok(())
//! # }
//! ```
//!
//! # Memory
//!
//! The caller lends a request buffer (4 KiB: a `GetId` carries the ID token, 1.7 KB and more
//! with custom attributes) and a reply buffer (4 KiB: a `GetCredentialsForIdentity` reply is
//! about 1.5 KB). Both are wiped after each exchange (the request holds the ID token, the reply
//! the secret key). The [`IdentityPool`] adds its connection, a 384-byte request head, the
//! identity id (55 bytes) and the [`Credentials`] (about 2.3 KiB with the default 2 KiB session
//! token capacity).

use core::fmt;

use cognito_core::identity::{
    AwsCredentials, GetCredentialsForIdentity, GetId, Login, Logins, identity_host,
    user_pool_provider,
};
use cognito_core::oauth::DEFAULT_RENEW_MARGIN_SECS;
use cognito_core::time::UnixTime;
use cognito_core::{Misuse, ProtocolError};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::client::{Link, Options, Outgoing};
use crate::clock::WallClock;
use crate::connect::Connect;
use crate::error::Error;
use crate::oauth::same_host;

/// The longest identity id (`<region>:<uuid>`) an identity pool hands out.
pub const MAX_IDENTITY_ID_LEN: usize = 55;
/// The longest access key id [`Credentials`] keep (AWS's are 16–128 characters; Cognito's 20).
pub const MAX_ACCESS_KEY_ID_LEN: usize = 128;
/// The longest secret key [`Credentials`] keep (AWS's are 40 characters).
pub const MAX_SECRET_KEY_LEN: usize = 128;
/// The default session-token capacity of [`Credentials`] (Cognito's are about 1 KB).
pub const DEFAULT_SESSION_TOKEN_LEN: usize = 2048;

/// Where the identity pool is reached: the host the connector must name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdentityEndpoint<'a> {
    /// The pool's regional host, `cognito-identity.<region>.amazonaws.com`
    /// ([`identity_host`]).
    Regional,
    /// Another host (an emulator, a test server, a VPC endpoint's name), as the connector
    /// names it (`127.0.0.1:9229`, say).
    Custom(&'a str),
}

/// Whose credentials: a signed-in user of a user pool, a user of other providers, or a guest.
/// `Debug` does not show the tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Principal<'a> {
    /// A user of the user pool `user_pool_id` (`eu-west-1_AbC123`), proven by a fresh ID token
    /// of theirs (from a sign-in or a refresh).
    User {
        /// The user pool id.
        user_pool_id: &'a str,
        /// The user's ID token.
        id_token: &'a str,
    },
    /// A user proven by the logins of any providers the identity pool trusts (Google, a SAML
    /// provider, several at once).
    Federated(Logins<'a>),
    /// A guest: an unauthenticated identity (the pool must allow them).
    Guest,
}

impl Principal<'_> {
    /// The kind of identity this principal has.
    #[must_use]
    pub fn kind(&self) -> IdentityKind {
        match self {
            Principal::Guest => IdentityKind::Guest,
            Principal::Federated([]) => IdentityKind::Guest,
            Principal::User { .. } | Principal::Federated(_) => IdentityKind::Authenticated,
        }
    }
}

impl fmt::Debug for Principal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Principal::User { user_pool_id, .. } => f
                .debug_struct("User")
                .field("user_pool_id", user_pool_id)
                .field("id_token", &"<redacted>")
                .finish(),
            Principal::Federated(logins) => f.debug_tuple("Federated").field(logins).finish(),
            Principal::Guest => f.write_str("Guest"),
        }
    }
}

/// Whether an identity was proven by logins or is a guest's: credentials of one kind are
/// never handed out for the other.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdentityKind {
    /// Proven by logins (the pool's authenticated role).
    Authenticated,
    /// Unauthenticated (the pool's guest role).
    Guest,
}

/// Temporary AWS credentials, owned, in fixed-capacity storage (`T` bytes of session token):
/// the access key id, the secret key, the session token, and when they expire (the identity
/// pool's clock). Zeroized on drop; `Debug` shows the access key id and the expiry only.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Credentials<const T: usize = DEFAULT_SESSION_TOKEN_LEN> {
    access_key_id: heapless::String<MAX_ACCESS_KEY_ID_LEN>,
    secret_key: heapless::String<MAX_SECRET_KEY_LEN>,
    session_token: heapless::String<T>,
    #[zeroize(skip)]
    expiration: UnixTime,
}

impl<const T: usize> Credentials<T> {
    /// Copies the credentials of a `GetCredentialsForIdentity` reply.
    /// [`ProtocolError::FieldTooLong`] when a value exceeds its capacity.
    ///
    /// ```
    /// use cognito_core::identity::GetCredentialsForIdentity;
    /// use cognito_core::time::UnixTime;
    /// use cognito_core::wire::HttpResponse;
    /// use cognito_embassy::identity::Credentials;
    ///
    /// let reply = br#"{"IdentityId":"eu-west-1:77aa","Credentials":{"AccessKeyId":"ASIA1","SecretKey":"s3cr3t","SessionToken":"IQoJ","Expiration":1700003600}}"#;
    /// let reply = GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, reply))?;
    /// let keys: Credentials = Credentials::from_reply(&reply.credentials)?;
    /// assert!(keys.is_fresh(UnixTime::from_secs(1_700_003_000), 300));
    /// assert!(!keys.is_fresh(UnixTime::from_secs(1_700_003_300), 300)); // renewed 5 minutes early
    /// assert!(!format!("{keys:?}").contains("s3cr3t"));
    /// # Ok::<(), cognito_core::Error>(())
    /// ```
    pub fn from_reply(credentials: &AwsCredentials<'_>) -> Result<Self, ProtocolError> {
        fn copy<const N: usize>(
            field: &'static str,
            value: &str,
        ) -> Result<heapless::String<N>, ProtocolError> {
            heapless::String::try_from(value)
                .map_err(|_| ProtocolError::FieldTooLong { field, max: N })
        }
        Ok(Self {
            access_key_id: copy("AccessKeyId", credentials.access_key_id)?,
            secret_key: copy("SecretKey", credentials.secret_key)?,
            session_token: copy("SessionToken", credentials.session_token)?,
            expiration: credentials.expiration,
        })
    }

    /// The access key id (`ASIA…`).
    #[must_use]
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key (a secret: sign requests with it, never log it).
    #[must_use]
    pub fn secret_key(&self) -> &str {
        &self.secret_key
    }

    /// The session token (`X-Amz-Security-Token`).
    #[must_use]
    pub fn session_token(&self) -> &str {
        &self.session_token
    }

    /// When they expire, on the identity pool's clock.
    #[must_use]
    pub fn expiration(&self) -> UnixTime {
        self.expiration
    }

    /// Whether they are still good at `now` for more than `margin_secs` seconds.
    #[must_use]
    pub fn is_fresh(&self, now: UnixTime, margin_secs: u64) -> bool {
        now.as_secs().saturating_add(margin_secs) < self.expiration.as_secs()
    }
}

impl<const T: usize> fmt::Debug for Credentials<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id.as_str())
            .field("secret_key", &"<redacted>")
            .field("session_token", &"<redacted>")
            .field("expiration", &self.expiration)
            .finish()
    }
}

/// The identity kept: its id and its kind.
#[derive(Clone, Debug, PartialEq, Eq)]
struct KeptIdentity {
    id: heapless::String<MAX_IDENTITY_ID_LEN>,
    kind: IdentityKind,
}

/// AWS credentials from one identity pool, with the identity id and the credentials kept (`T`
/// bytes of session token).
///
/// [`credentials`](Self::credentials) returns the kept credentials while they are fresh for more
/// than the renewal margin ([`DEFAULT_RENEW_MARGIN_SECS`] by default) on the client's clock, and
/// otherwise asks the pool: `GetId` first when no identity of the principal's kind is kept, then
/// `GetCredentialsForIdentity`. Freshness is reckoned on the caller's [`WallClock`], or else the
/// pool's `Date` header plus the time elapsed since; before either is known nothing counts as
/// fresh (each call asks again).
///
/// One user at a time: the identity kept is the signed-in user's (or the guest's); call
/// [`forget`](Self::forget) when the user signs out or another one signs in. Credentials and
/// identities of one [`IdentityKind`] are never handed out for the other: asking for the other
/// kind forgets what is kept.
pub struct IdentityPool<'c, C: Connect, const T: usize = DEFAULT_SESSION_TOKEN_LEN> {
    link: Link<'c, C>,
    identity_pool_id: &'c str,
    custom_role_arn: Option<&'c str>,
    request_buf: &'c mut [u8],
    reply_buf: &'c mut [u8],
    identity: Option<KeptIdentity>,
    credentials: Option<Credentials<T>>,
    margin_secs: u64,
}

impl<'c, C: Connect, const T: usize> IdentityPool<'c, C, T> {
    /// Credentials from the identity pool `identity_pool_id` (`<region>:<uuid>`) at
    /// `endpoint`, reached through `connector`, writing requests into `request_buf` and reading
    /// replies into `reply_buf`.
    ///
    /// Errors (nothing is sent): [`Misuse::Invalid`]`("identity pool id")` for an id without a
    /// region; [`Misuse::Invalid`]`("identity endpoint")` when the connector's
    /// [`Connect::host`] is not the endpoint's (the user-pool API's host, say; a port named on
    /// one side only is not compared).
    pub fn new(
        identity_pool_id: &'c str,
        endpoint: IdentityEndpoint<'_>,
        connector: &'c C,
        request_buf: &'c mut [u8],
        reply_buf: &'c mut [u8],
    ) -> Result<Self, Error> {
        if !identity_pool_id.contains(':') {
            return Err(Misuse::Invalid("identity pool id").into());
        }
        let regional = identity_host(identity_pool_id)?;
        let host = match endpoint {
            IdentityEndpoint::Regional => regional.as_str(),
            IdentityEndpoint::Custom(host) => host,
        };
        if !same_host(connector.host(), host) {
            return Err(Misuse::Invalid("identity endpoint").into());
        }
        Ok(Self {
            link: Link::new(connector),
            identity_pool_id,
            custom_role_arn: None,
            request_buf,
            reply_buf,
            identity: None,
            credentials: None,
            margin_secs: DEFAULT_RENEW_MARGIN_SECS,
        })
    }

    /// Reads the time from `clock` (an RTC) rather than from the pool's replies alone.
    #[must_use]
    pub fn with_wall_clock(mut self, clock: &'c dyn WallClock) -> Self {
        self.link.set_wall_clock(clock);
        self
    }

    /// Other timeouts and retries.
    #[must_use]
    pub fn with_options(mut self, options: Options) -> Self {
        self.link.set_options(options);
        self
    }

    /// Renews credentials `secs` seconds before they expire instead of
    /// [`DEFAULT_RENEW_MARGIN_SECS`].
    #[must_use]
    pub fn with_renew_margin(mut self, secs: u64) -> Self {
        self.margin_secs = secs;
        self
    }

    /// Asks for the role `arn` (`CustomRoleArn`: one the pool's rules allow for the token)
    /// rather than the pool's default role.
    #[must_use]
    pub fn with_custom_role_arn(mut self, arn: &'c str) -> Self {
        self.custom_role_arn = Some(arn);
        self
    }

    /// Starts from an identity id kept from before (saved with
    /// [`Remembered`](crate::store::Remembered)): no `GetId` is sent for a principal of
    /// `kind`. [`Misuse::Empty`] or [`Misuse::TooLong`] (past [`MAX_IDENTITY_ID_LEN`]); the
    /// core checks its form when it writes the request.
    pub fn with_identity_id(
        mut self,
        identity_id: &str,
        kind: IdentityKind,
    ) -> Result<Self, Misuse> {
        self.set_identity_id(identity_id, kind)?;
        Ok(self)
    }

    /// Keeps `identity_id` as the identity of `kind` (see [`Self::with_identity_id`]), dropping
    /// the kept credentials when it differs from the kept identity.
    pub fn set_identity_id(&mut self, identity_id: &str, kind: IdentityKind) -> Result<(), Misuse> {
        if identity_id.is_empty() {
            return Err(Misuse::Empty("IdentityId"));
        }
        let id = heapless::String::try_from(identity_id).map_err(|_| Misuse::TooLong {
            field: "IdentityId",
            max: MAX_IDENTITY_ID_LEN,
        })?;
        let identity = KeptIdentity { id, kind };
        if self.identity.as_ref() != Some(&identity) {
            self.credentials = None;
            self.identity = Some(identity);
        }
        Ok(())
    }

    /// The identity id kept (to save, so that it survives a reboot), and its kind; `None`
    /// before the first `GetId`.
    pub fn identity_id(&self) -> Option<(&str, IdentityKind)> {
        self.identity.as_ref().map(|i| (i.id.as_str(), i.kind))
    }

    /// The time now, as the client knows it; `None` before a wall clock or a reply told it.
    pub fn now(&self) -> Option<UnixTime> {
        self.link.clock().now()
    }

    /// Credentials for `principal` fresh for more than the renewal margin: the kept ones, or
    /// new ones from the pool (then kept).
    ///
    /// Errors: [`Error::Core`] with [`cognito_core::Error::Service`] when the pool refuses
    /// (`NotAuthorizedException` for a token it does not accept or a guest it does not allow,
    /// `ResourceNotFoundException` for an unknown pool or identity, …), with a
    /// [`ProtocolError`] for a malformed reply or a value past its capacity, or with a
    /// [`Misuse`] for an invalid user pool id or logins; [`Error::IdentityOutcomeUnknown`] when
    /// a guest's `GetId` may have arrived but no reply came; the transport's errors as for
    /// [`Client`](crate::client::Client). A failed renewal keeps the old credentials
    /// ([`cached`](Self::cached)), which may still be usable until they expire.
    pub async fn credentials(
        &mut self,
        principal: Principal<'_>,
    ) -> Result<&Credentials<T>, Error> {
        if !self.is_fresh_for(principal.kind()) {
            self.fetch(principal).await?;
        }
        self.kept()
    }

    /// Asks the pool for new credentials whether or not the kept ones are fresh (say, after AWS
    /// refused them), keeps them and returns them. The identity id kept is used again.
    pub async fn renew(&mut self, principal: Principal<'_>) -> Result<&Credentials<T>, Error> {
        self.fetch(principal).await?;
        self.kept()
    }

    /// The credentials kept, fresh or not; `None` before the first ones.
    pub fn cached(&self) -> Option<&Credentials<T>> {
        self.credentials.as_ref()
    }

    /// Whether the kept credentials are fresh for more than the renewal margin at the client's
    /// time (`false` without credentials, or before the time is known).
    pub fn is_fresh(&self) -> bool {
        match (&self.credentials, self.link.clock().now()) {
            (Some(credentials), Some(now)) => credentials.is_fresh(now, self.margin_secs),
            _ => false,
        }
    }

    /// Drops the kept credentials (the next call asks for new ones, with the same identity).
    pub fn forget_credentials(&mut self) {
        self.credentials = None;
    }

    /// Drops the kept credentials and identity id (the user signed out).
    pub fn forget(&mut self) {
        self.credentials = None;
        self.identity = None;
    }

    /// Closes the kept-alive connection (the next request opens a new one).
    pub fn disconnect(&mut self) {
        self.link.disconnect();
    }

    /// The kept credentials, after a fetch that kept some (an error only if it did not).
    fn kept(&self) -> Result<&Credentials<T>, Error> {
        self.credentials
            .as_ref()
            .ok_or_else(|| protocol(ProtocolError::MissingField("Credentials")))
    }

    /// Whether the kept credentials are fresh and for an identity of `kind`.
    fn is_fresh_for(&self, kind: IdentityKind) -> bool {
        self.is_fresh() && self.identity.as_ref().is_some_and(|i| i.kind == kind)
    }

    /// Sends `GetId` (unless an identity of the principal's kind is kept), then
    /// `GetCredentialsForIdentity`, and keeps what they return; both buffers wiped afterwards.
    async fn fetch(&mut self, principal: Principal<'_>) -> Result<(), Error> {
        let provider = match principal {
            Principal::User { user_pool_id, .. } => Some(user_pool_provider(user_pool_id)?),
            Principal::Federated(_) | Principal::Guest => None,
        };
        let kind = principal.kind();
        if self.identity.as_ref().is_some_and(|i| i.kind != kind) {
            self.forget();
        }
        let user_login: [Login<'_>; 1];
        let logins: Logins<'_> = match (principal, &provider) {
            (Principal::User { id_token, .. }, Some(provider)) => {
                user_login = [Login {
                    provider,
                    token: id_token,
                }];
                &user_login
            }
            (Principal::Federated(logins), _) => logins,
            _ => &[],
        };
        let outcome = self.exchange(logins, kind).await;
        self.request_buf.zeroize();
        self.reply_buf.zeroize();
        outcome
    }

    /// The two requests, each written at the start of the request buffer; the replies read into
    /// the reply buffer. The identity is kept even when `GetCredentialsForIdentity` fails. A kept
    /// identity the pool no longer accepts (the core's
    /// [`GetCredentialsForIdentity::may_be_stale_identity`]: deleted, or linked to another login)
    /// is named again with `GetId`, once, as the std adapter does.
    async fn exchange(&mut self, logins: Logins<'_>, kind: IdentityKind) -> Result<(), Error> {
        let (mut identity, was_kept) = match self.identity.take() {
            Some(identity) => (identity, true),
            None => (self.get_id(logins, kind).await?, false),
        };
        let mut credentials = self.get_credentials(&identity.id, logins).await;
        if was_kept
            && matches!(&credentials, Err(Error::Core(e))
                if GetCredentialsForIdentity::may_be_stale_identity(e))
        {
            identity = self.get_id(logins, kind).await?;
            credentials = self.get_credentials(&identity.id, logins).await;
        }
        self.identity = Some(identity);
        self.credentials = Some(credentials?);
        Ok(())
    }

    /// `GetId`: the identity of `logins` (a new guest's without).
    async fn get_id(
        &mut self,
        logins: Logins<'_>,
        kind: IdentityKind,
    ) -> Result<KeptIdentity, Error> {
        let request = GetId {
            identity_pool_id: self.identity_pool_id,
            account_id: None,
            logins,
        }
        .write(self.request_buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::Identity(&request), self.reply_buf)
            .await?;
        let reply = GetId::read_reply(&received.view(self.reply_buf))?;
        let id = heapless::String::try_from(reply.identity_id).map_err(|_| {
            protocol(ProtocolError::FieldTooLong {
                field: "IdentityId",
                max: MAX_IDENTITY_ID_LEN,
            })
        })?;
        Ok(KeptIdentity { id, kind })
    }

    /// `GetCredentialsForIdentity`: credentials for `identity_id`.
    async fn get_credentials(
        &mut self,
        identity_id: &str,
        logins: Logins<'_>,
    ) -> Result<Credentials<T>, Error> {
        let request = GetCredentialsForIdentity {
            identity_id,
            logins,
            custom_role_arn: self.custom_role_arn,
        }
        .write(self.request_buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::Identity(&request), self.reply_buf)
            .await?;
        let reply = GetCredentialsForIdentity::read_reply(&received.view(self.reply_buf))?;
        Credentials::from_reply(&reply.credentials).map_err(protocol)
    }
}

/// The client error for a reply the core's reader accepted but the device cannot keep.
fn protocol(e: ProtocolError) -> Error {
    Error::Core(e.into())
}

impl<C: Connect, const T: usize> fmt::Debug for IdentityPool<'_, C, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityPool")
            .field("host", &self.link.host())
            .field("identity_pool_id", &self.identity_pool_id)
            .field("custom_role_arn", &self.custom_role_arn)
            .field("identity", &self.identity)
            .field("credentials", &self.credentials)
            .field("margin_secs", &self.margin_secs)
            .field("request_buf", &self.request_buf.len())
            .field("reply_buf", &self.reply_buf.len())
            .finish_non_exhaustive()
    }
}
