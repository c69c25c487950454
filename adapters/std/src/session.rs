//! A signed-in user's tokens and remembered device, and where they are kept.

use core::fmt;
use core::time::Duration;
use std::io::Write;
use std::path::{Path, PathBuf};

use cognito_core::auth::{AuthenticationResult, DeviceCredentials};
use cognito_core::oauth::PoolDomain;
use cognito_core::time::UnixTime;
use cognito_core::token::{Expiry, decode_claims};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, Result};
use crate::redact::{hide, hide_opt};
use crate::store_lock::{self, DEFAULT_LOCK_TIMEOUT, StoreLock};
use crate::zeroizing::{ZeroizingWriter, replace_optional_secret, replace_secret};

/// A device the user pool remembers: what device SRP needs. The password is a secret (store it
/// like the refresh token).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Device {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceGroupKey`.
    pub group_key: String,
    /// The device password (secret).
    pub password: String,
}

impl Device {
    pub(crate) fn from_credentials(credentials: &DeviceCredentials) -> Self {
        Self {
            key: credentials.device_key().to_owned(),
            group_key: credentials.device_group_key().to_owned(),
            password: credentials.device_password().to_owned(),
        }
    }

    /// The core's form (what a sign-in with device SRP takes).
    pub fn credentials(&self) -> Result<DeviceCredentials> {
        Ok(DeviceCredentials::new(
            &self.key,
            &self.group_key,
            &self.password,
        )?)
    }
}

/// Wipes the device password.
impl Zeroize for Device {
    fn zeroize(&mut self) {
        self.password.zeroize();
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Device {}

impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("group_key", &self.group_key)
            .field("password", &hide(&self.password))
            .finish()
    }
}

/// A signed-in user: tokens, when they expire on the local clock, the clock drift measured
/// when they arrived, the remembered device and the real username (from the access token, not
/// the alias typed at sign-in; refreshes hash it into `SECRET_HASH`), with the other names the
/// user signs in with.
///
/// A session also keeps the remembered devices of the other users who signed in through the
/// same store ([`Self::other_users`]), so that signing in as someone else does not throw a
/// device away: [`crate::SignInRequest::remembering`] finds the device of whichever user signs
/// in, by any of their names.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    /// The user's username (the access token's `username` claim).
    pub username: String,
    /// Other names of the user, compared ignoring case: those typed at sign-in (an email
    /// address or phone number of a pool that signs in with either), and the id token's `sub`,
    /// `email`, `phone_number` and `preferred_username`.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The access token.
    pub access_token: String,
    /// The id token.
    pub id_token: Option<String>,
    /// The refresh token (secret).
    pub refresh_token: Option<String>,
    /// `TokenType`, usually `Bearer`.
    pub token_type: String,
    /// Local unix time the tokens were received.
    pub received_at: u64,
    /// Local unix time the access token expires (its `exp` corrected by the drift).
    pub expires_at: u64,
    /// Local clock minus server clock when the tokens were received, in seconds.
    pub clock_drift_secs: i64,
    /// The remembered device, if the pool tracks this device.
    pub device: Option<Device>,
    /// The remembered devices of other users who signed in through the same store.
    #[serde(default)]
    pub other_users: Vec<RememberedUser>,
    /// How the tokens were obtained: a user-pool sign-in (the default, also for files written
    /// before this field existed) or the hosted UI, whose sessions
    /// [`crate::Client::refresh`] refreshes through the pool domain
    /// ([`crate::Options::refresh_hosted_ui_via_domain`]). Not written for user-pool sessions.
    #[serde(default, skip_serializing_if = "SessionOrigin::is_user_pool")]
    pub origin: SessionOrigin,
    /// The user's identities in identity pools, with the AWS credentials last received for
    /// them ([`crate::Client::fetch_auth_session`]). Not written when empty (files written
    /// before this field existed load with none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identities: Vec<crate::identity::PoolIdentity>,
}

/// Where a [`Session`]'s tokens came from.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SessionOrigin {
    /// A sign-in through the user-pool API (`InitiateAuth` and its challenges).
    #[default]
    UserPool,
    /// A sign-in through the pool's hosted UI (authorization code with PKCE).
    HostedUi {
        /// The pool domain the tokens came from (`https://…`), as [`PoolDomain`] shows it.
        domain: String,
    },
}

impl SessionOrigin {
    /// Whether the tokens came from a user-pool sign-in.
    #[must_use]
    pub fn is_user_pool(&self) -> bool {
        matches!(self, SessionOrigin::UserPool)
    }

    /// The pool domain of a hosted-UI session.
    #[must_use]
    pub fn domain(&self) -> Option<&str> {
        match self {
            SessionOrigin::HostedUi { domain } => Some(domain),
            SessionOrigin::UserPool => None,
        }
    }
}

/// The remembered device of a user other than the session's, kept in the session.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RememberedUser {
    /// The user's username.
    pub username: String,
    /// The user's other names (see [`Session::aliases`]).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The device.
    pub device: Device,
}

impl RememberedUser {
    /// Whether `name` is this user's username or one of their aliases (ignoring case).
    #[must_use]
    pub fn is_named(&self, name: &str) -> bool {
        names_match(&self.username, &self.aliases, name)
    }
}

/// Whether `name` equals `username` or one of `aliases`, ignoring case (Cognito compares user
/// names, email addresses and phone numbers that way by default).
fn names_match(username: &str, aliases: &[String], name: &str) -> bool {
    let name = name.to_lowercase();
    core::iter::once(username)
        .chain(aliases.iter().map(String::as_str))
        .any(|known| known.to_lowercase() == name)
}

impl Session {
    /// A session from a sign-in result received at local time `now`, for the user who typed
    /// `typed_name`.
    pub(crate) fn from_result(
        result: &AuthenticationResult<'_>,
        typed_name: &str,
        now: UnixTime,
    ) -> Result<Self> {
        let (username, expiry) = read_access_token(result.access_token, result.expires_in, now);
        let username = username.unwrap_or_else(|| typed_name.to_owned());
        let mut aliases = Vec::new();
        for name in core::iter::once(typed_name.to_owned()).chain(id_token_names(result.id_token)) {
            if !names_match(&username, &aliases, &name) {
                aliases.push(name);
            }
        }
        Ok(Self {
            username,
            aliases,
            access_token: result.access_token.to_owned(),
            id_token: result.id_token.map(str::to_owned),
            refresh_token: result.refresh_token.map(str::to_owned),
            token_type: result.token_type.to_owned(),
            received_at: expiry.received_at().as_secs(),
            expires_at: expiry.expires_at().as_secs(),
            clock_drift_secs: expiry.drift_secs(),
            device: None,
            other_users: Vec::new(),
            origin: SessionOrigin::UserPool,
            identities: Vec::new(),
        })
    }

    /// A session from the tokens of the pool domain's `/oauth2/token` (a hosted-UI sign-in:
    /// [`cognito_core::oauth::HostedSignIn`] or [`cognito_core::oauth::read_token_reply`])
    /// received from `domain` at local time `received_at`.
    ///
    /// The username is the access token's `username` claim (refreshes of a client with a
    /// secret hash it into `SECRET_HASH`), else the id token's `cognito:username`;
    /// [`Error::Token`] when neither is there. The id token's `sub`, `email`, `phone_number`
    /// and `preferred_username` become [aliases](Self::aliases).
    pub fn from_oauth_tokens(
        tokens: &AuthenticationResult<'_>,
        domain: &PoolDomain,
        received_at: UnixTime,
    ) -> Result<Self> {
        let (username, expiry) =
            read_access_token(tokens.access_token, tokens.expires_in, received_at);
        let username = username
            .or_else(|| id_token_claim(tokens.id_token, "cognito:username"))
            .filter(|name| !name.is_empty())
            .ok_or(Error::Token(cognito_core::token::TokenError::InvalidClaim(
                "username",
            )))?;
        let mut aliases: Vec<String> = Vec::new();
        for name in id_token_names(tokens.id_token) {
            if !names_match(&username, &aliases, &name) {
                aliases.push(name);
            }
        }
        Ok(Self {
            username,
            aliases,
            access_token: tokens.access_token.to_owned(),
            id_token: tokens.id_token.map(str::to_owned),
            refresh_token: tokens.refresh_token.map(str::to_owned),
            token_type: tokens.token_type.to_owned(),
            received_at: expiry.received_at().as_secs(),
            expires_at: expiry.expires_at().as_secs(),
            clock_drift_secs: expiry.drift_secs(),
            device: None,
            other_users: Vec::new(),
            origin: SessionOrigin::HostedUi {
                domain: domain.to_string(),
            },
            identities: Vec::new(),
        })
    }

    /// Whether `name` names this session's user: the username or one of the
    /// [aliases](Self::aliases), ignoring case.
    #[must_use]
    pub fn is_user(&self, name: &str) -> bool {
        names_match(&self.username, &self.aliases, name)
    }

    /// The remembered device of the user named `name` (by any of their names), whether that is
    /// this session's user or one of the [other users](Self::other_users).
    #[must_use]
    pub fn device_for(&self, name: &str) -> Option<&Device> {
        if self.is_user(name) {
            return self.device.as_ref();
        }
        self.other_users
            .iter()
            .find(|u| u.is_named(name))
            .map(|u| &u.device)
    }

    /// Takes over what `previous` (the session stored before this one) remembers: the aliases
    /// when it is the same user, and the remembered devices of every other user (the previous
    /// user's included, when that was someone else).
    pub(crate) fn carry_over(&mut self, previous: &Session) {
        let same_user = previous.username == self.username;
        if same_user {
            for alias in &previous.aliases {
                if !self.is_user(alias) {
                    self.aliases.push(alias.clone());
                }
            }
        }
        let mut others: Vec<RememberedUser> = previous
            .other_users
            .iter()
            .filter(|u| u.username != self.username)
            .cloned()
            .collect();
        if let (false, Some(device)) = (same_user, &previous.device) {
            others.retain(|u| u.username != previous.username);
            others.push(RememberedUser {
                username: previous.username.clone(),
                aliases: previous.aliases.clone(),
                device: device.clone(),
            });
        }
        self.other_users = others;
    }

    /// Takes the tokens of a refresh; keeps the old refresh token when none came. The tokens
    /// replaced are zeroized.
    pub(crate) fn update_from_refresh(&mut self, result: &AuthenticationResult<'_>, now: UnixTime) {
        let (_, expiry) = read_access_token(result.access_token, result.expires_in, now);
        replace_secret(&mut self.access_token, result.access_token);
        replace_optional_secret(&mut self.id_token, result.id_token);
        if let Some(refresh) = result.refresh_token {
            replace_optional_secret(&mut self.refresh_token, Some(refresh));
        }
        self.token_type = result.token_type.to_owned();
        self.received_at = expiry.received_at().as_secs();
        self.expires_at = expiry.expires_at().as_secs();
        self.clock_drift_secs = expiry.drift_secs();
    }

    /// Whether the access token is expired at local time `now` or will be within `margin_secs`
    /// (also when the clock went back before the tokens arrived).
    #[must_use]
    pub fn is_expired(&self, now: UnixTime, margin_secs: u64) -> bool {
        now.as_secs() < self.received_at
            || now.as_secs().saturating_add(margin_secs) >= self.expires_at
    }
}

/// The `username` claim and the expiry of an access token (from `ExpiresIn` when the token's
/// claims cannot be read).
fn read_access_token(token: &str, expires_in: u64, now: UnixTime) -> (Option<String>, Expiry) {
    let mut buf = Zeroizing::new(vec![0u8; token.len()]);
    let Ok(claims) = decode_claims(token, &mut buf) else {
        return (None, Expiry::from_expires_in(now, expires_in));
    };
    let username = claims.username().ok().flatten().map(|s| s.to_string());
    let expiry = match (claims.iat(), claims.exp()) {
        (Ok(Some(iat)), Ok(Some(exp))) => Expiry::from_claims(now, iat, exp),
        _ => Expiry::from_expires_in(now, expires_in),
    };
    (username, expiry)
}

/// The string claim `name` of an id token.
fn id_token_claim(id_token: Option<&str>, name: &str) -> Option<String> {
    let token = id_token?;
    let mut buf = Zeroizing::new(vec![0u8; token.len()]);
    let claims = decode_claims(token, &mut buf).ok()?;
    claims.get(name)?.as_str().map(|s| s.to_string())
}

/// The names an id token gives its user: `sub`, `email`, `phone_number`, `preferred_username`.
fn id_token_names(id_token: Option<&str>) -> Vec<String> {
    let Some(token) = id_token else {
        return Vec::new();
    };
    let mut buf = Zeroizing::new(vec![0u8; token.len()]);
    let Ok(claims) = decode_claims(token, &mut buf) else {
        return Vec::new();
    };
    ["sub", "email", "phone_number", "preferred_username"]
        .into_iter()
        .filter_map(|claim| claims.get(claim)?.as_str())
        .map(|name| name.to_string())
        .filter(|name| !name.is_empty())
        .collect()
}

/// Wipes the secrets: the tokens (the optional ones become `None`) and the device passwords,
/// this user's and the other users'.
impl Zeroize for Session {
    fn zeroize(&mut self) {
        self.access_token.zeroize();
        self.id_token.zeroize();
        self.refresh_token.zeroize();
        if let Some(device) = self.device.as_mut() {
            device.zeroize();
        }
        for user in &mut self.other_users {
            user.device.zeroize();
        }
        for identity in &mut self.identities {
            if let Some(credentials) = identity.credentials.as_mut() {
                credentials.zeroize();
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for Session {}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.username)
            .field("access_token", &hide(&self.access_token))
            .field("id_token", &hide_opt(self.id_token.as_deref()))
            .field("refresh_token", &hide_opt(self.refresh_token.as_deref()))
            .field("token_type", &self.token_type)
            .field("received_at", &self.received_at)
            .field("expires_at", &self.expires_at)
            .field("clock_drift_secs", &self.clock_drift_secs)
            .field("device", &self.device)
            .field("aliases", &self.aliases)
            .field("other_users", &self.other_users)
            .field("origin", &self.origin)
            .field("identities", &self.identities)
            .finish()
    }
}

/// Where sessions are kept between runs.
///
/// # Saving and sharing
///
/// Nothing saves a session behind the caller's back except
/// [`Client::load_valid_session`](crate::Client::load_valid_session) (and its blocking twin):
/// it takes the store's [lock](Self::lock), loads the session, refreshes it when it is about to
/// expire and saves it back before releasing the lock. That is the auto-saving path, and the
/// one to use when several processes or tasks share a stored session. Everything else is the
/// caller's job: after a sign-in, or after refreshing a session with
/// [`Client::refresh`](crate::Client::refresh) or
/// [`Client::get_valid_tokens`](crate::Client::get_valid_tokens), call [`Self::save`]
/// (under [`Self::lock`] when others may be refreshing the same store).
///
/// A store that cannot read what it holds returns an error and leaves it as it is; nothing in
/// this crate replaces or removes a stored session it could not read (only an explicit
/// [`Self::save`] or [`Self::clear`] does).
pub trait SessionStore {
    /// The stored session, if any.
    fn load(&self) -> Result<Option<Session>>;
    /// Stores `session`, replacing what was stored.
    fn save(&self, session: &Session) -> Result<()>;
    /// Removes the stored session.
    fn clear(&self) -> Result<()>;

    /// Waits for the store's exclusive lock and returns it; released when the returned
    /// [`StoreLock`] is dropped. Holders of the lock exclude each other, across processes for
    /// stores that others can open (such as [`FileStore`]). A store with a
    /// [`lock_timeout`](Self::lock_timeout) gives up after it with [`Error::LockTimeout`]
    /// ([`FileStore`] does).
    ///
    /// The default guards nothing: right for a store only one user at a time touches.
    fn lock(&self) -> Result<StoreLock<'_>> {
        Ok(StoreLock::unguarded())
    }

    /// The store's exclusive lock if it is free now, `None` if someone else holds it.
    ///
    /// The default calls [`Self::lock`] (which may then wait).
    fn try_lock(&self) -> Result<Option<StoreLock<'_>>> {
        self.lock().map(Some)
    }

    /// How long a wait for the lock may last before it fails with [`Error::LockTimeout`]:
    /// the clients' `load_valid_session` waits this long (trying [`Self::try_lock`] with short
    /// sleeps), and so does [`FileStore`]'s [`Self::lock`]. `None` (the default): no limit.
    fn lock_timeout(&self) -> Option<Duration> {
        None
    }

    /// The file that holds the lock, named in [`Error::LockTimeout`]; `None` (the default)
    /// for a store without one.
    fn lock_file(&self) -> Option<PathBuf> {
        None
    }
}

/// A session in a JSON file, replaced atomically (written to a temporary file in the same
/// directory, synced, then renamed over the old one).
///
/// * Permissions: on Unix the file is created readable and writable by its owner only (0600),
///   and [`SessionStore::load`] refuses a file that its group or others may access
///   ([`Error::InsecureSession`]: fix it with `chmod 600`). Other platforms rely on the
///   directory's permissions.
/// * A file that is not a session is [`Error::CorruptSession`], naming the path; it is left as
///   it is.
/// * Lock ([`SessionStore::lock`]): an exclusive OS file lock (`flock` on Unix, `LockFileEx` on
///   Windows) on a sidecar file `<path>.lock` (created 0600 on Unix, never removed: removing a
///   lock file others may have open would let two holders in). It excludes other processes and
///   other `FileStore`s on the same path in this process; it is released when the
///   [`StoreLock`] drops or the process dies. Such locks may not work on network file systems.
///   While the file's directory does not exist the lock guards nothing (nothing is stored there,
///   and saving would fail). Waiting for it ([`SessionStore::lock`], the clients'
///   `load_valid_session`) gives up after [`SessionStore::lock_timeout`]
///   ([`DEFAULT_LOCK_TIMEOUT`] unless set with [`Self::with_lock_timeout`]) with
///   [`Error::LockTimeout`] naming the lock file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStore {
    path: PathBuf,
    lock_timeout: Duration,
}

impl FileStore {
    /// A store at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            lock_timeout: DEFAULT_LOCK_TIMEOUT,
        }
    }

    /// With another wait for the lock ([`SessionStore::lock_timeout`]; [`Duration::MAX`]: no
    /// limit).
    #[must_use]
    pub fn with_lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sidecar file locked by [`SessionStore::lock`]: the path with `.lock` appended.
    #[must_use]
    pub fn lock_path(&self) -> PathBuf {
        let mut path = self.path.clone().into_os_string();
        path.push(".lock");
        PathBuf::from(path)
    }

    /// Opens (creating it, owner-only on Unix) the lock file; `None` when its directory does
    /// not exist (then no session is stored there and no one else can hold the lock).
    fn open_lock_file(&self) -> Result<Option<std::fs::File>> {
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        match options.open(self.lock_path()) {
            Ok(file) => Ok(Some(file)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Parses the file's bytes, with an error that names the path and never quotes the file.
    fn parse(&self, bytes: &[u8]) -> Result<Session> {
        serde_json::from_slice(bytes).map_err(|e| Error::CorruptSession {
            path: self.path.clone(),
            reason: describe_json_error(&e),
        })
    }
}

/// What is wrong with a session file, without quoting it (a misplaced token would show up in
/// serde's "invalid type: string ..." messages).
fn describe_json_error(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let at = format!("line {} column {}", e.line(), e.column());
    match e.classify() {
        Category::Eof => format!("truncated ({at})"),
        Category::Syntax => format!("not JSON ({at})"),
        Category::Io => format!("unreadable ({at})"),
        Category::Data => {
            let message = e.to_string();
            if message.starts_with("missing field") {
                message
            } else {
                format!("not a session: a value has the wrong type or range ({at})")
            }
        }
    }
}

/// Holds a [`FileStore`]'s lock file locked; unlocks it when dropped.
struct FileLock(std::fs::File);

impl Drop for FileLock {
    fn drop(&mut self) {
        // Closing the file releases the lock too; unlocking first says so explicitly.
        let _ = self.0.unlock();
    }
}

impl SessionStore for FileStore {
    fn load(&self) -> Result<Option<Session>> {
        let Some(bytes) = read_private(&self.path)? else {
            return Ok(None);
        };
        self.parse(&bytes).map(Some)
    }

    fn save(&self, session: &Session) -> Result<()> {
        // Into a buffer that zeroizes what it outgrows and, on drop, itself.
        let mut json = ZeroizingWriter::with_capacity(SESSION_JSON_CAPACITY);
        serde_json::to_writer_pretty(&mut json, session)?;
        replace_private(&self.path, json.as_slice())
    }

    fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    /// Waits up to [`Self::lock_timeout`], trying [`Self::try_lock`] with short sleeps.
    fn lock(&self) -> Result<StoreLock<'_>> {
        store_lock::wait_blocking(self)
    }

    fn try_lock(&self) -> Result<Option<StoreLock<'_>>> {
        let Some(file) = self.open_lock_file()? else {
            return Ok(Some(StoreLock::unguarded()));
        };
        match file.try_lock() {
            Ok(()) => Ok(Some(StoreLock::new(FileLock(file)))),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
        }
    }

    fn lock_timeout(&self) -> Option<Duration> {
        Some(self.lock_timeout)
    }

    fn lock_file(&self) -> Option<PathBuf> {
        Some(self.lock_path())
    }
}

/// The bytes of the private file at `path` (zeroized on drop), `None` when it does not exist.
/// On Unix a file that its group or others may access is refused ([`Error::InsecureSession`]).
pub(crate) fn read_private(path: &Path) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let mut file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = file.metadata()?.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Error::InsecureSession {
                path: path.to_path_buf(),
                mode,
            });
        }
    }
    // Sized up front so reading does not reallocate (and leave unzeroized copies behind).
    let len = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Zeroizing::new(Vec::with_capacity(
        usize::try_from(len).unwrap_or(0).saturating_add(1),
    ));
    std::io::Read::read_to_end(&mut file, &mut bytes)?;
    Ok(Some(bytes))
}

/// Replaces the file at `path` atomically by `bytes`: written to a new owner-only (Unix)
/// temporary file in the same directory, synced, renamed over it, and the rename synced.
pub(crate) fn replace_private(path: &Path, bytes: &[u8]) -> Result<()> {
    let temp = temp_path(path);
    if let Err(e) = write_private(&temp, bytes).and_then(|()| std::fs::rename(&temp, path)) {
        let _ = std::fs::remove_file(&temp);
        return Err(e.into());
    }
    // Make the rename itself durable (best effort: not every platform can sync a directory).
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
    }
    Ok(())
}

/// A fresh temporary name next to `path`.
fn temp_path(path: &Path) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(format!(
        ".{}.{:08x}.tmp",
        std::process::id(),
        rand::random::<u32>()
    ));
    path.with_file_name(name)
}

/// Room for a session's JSON before its buffer grows: tokens of a few KiB each.
const SESSION_JSON_CAPACITY: usize = 16 * 1024;

/// Creates `path` (new, owner-only on Unix), writes `bytes` and syncs them.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A session kept in memory (tests, short-lived tools). Its [lock](SessionStore::lock)
/// excludes the other users of the same `MemoryStore` (threads, tasks).
#[derive(Debug, Default)]
pub struct MemoryStore {
    session: std::sync::Mutex<Option<Session>>,
    /// Whether the store's lock is held.
    locked: std::sync::Mutex<bool>,
    /// Signalled when the lock is released.
    released: std::sync::Condvar,
}

impl SessionStore for MemoryStore {
    fn load(&self) -> Result<Option<Session>> {
        Ok(self.slot().clone())
    }

    fn save(&self, session: &Session) -> Result<()> {
        *self.slot() = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        *self.slot() = None;
        Ok(())
    }

    fn lock(&self) -> Result<StoreLock<'_>> {
        let mut locked = relock(self.locked.lock());
        while *locked {
            locked = relock(self.released.wait(locked));
        }
        *locked = true;
        Ok(StoreLock::new(MemoryLock(self)))
    }

    fn try_lock(&self) -> Result<Option<StoreLock<'_>>> {
        let mut locked = relock(self.locked.lock());
        if *locked {
            return Ok(None);
        }
        *locked = true;
        Ok(Some(StoreLock::new(MemoryLock(self))))
    }
}

impl MemoryStore {
    fn slot(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        relock(self.session.lock())
    }
}

/// A mutex guard, also when another thread panicked holding it (the data stays consistent:
/// every critical section here is a single assignment).
fn relock<T>(result: std::sync::LockResult<T>) -> T {
    result.unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Holds a [`MemoryStore`]'s lock; releases it when dropped.
struct MemoryLock<'a>(&'a MemoryStore);

impl Drop for MemoryLock<'_> {
    fn drop(&mut self) {
        *relock(self.0.locked.lock()) = false;
        self.0.released.notify_one();
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn device(key: &str) -> Device {
        Device {
            key: key.to_owned(),
            group_key: "group".to_owned(),
            password: "password".to_owned(),
        }
    }

    fn session(username: &str, aliases: &[&str], device_key: Option<&str>) -> Session {
        Session {
            username: username.to_owned(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            access_token: "access".to_owned(),
            id_token: None,
            refresh_token: None,
            token_type: "Bearer".to_owned(),
            received_at: 0,
            expires_at: 3600,
            clock_drift_secs: 0,
            device: device_key.map(device),
            other_users: Vec::new(),
            origin: SessionOrigin::UserPool,
            identities: Vec::new(),
        }
    }

    #[test]
    fn users_are_named_by_username_or_alias_ignoring_case() {
        let alice = session("alice", &["Alice@Example.com", "+15555550100"], Some("d1"));
        for name in ["alice", "ALICE", "alice@example.com", "+15555550100"] {
            assert!(alice.is_user(name), "{name}");
            assert_eq!(alice.device_for(name), Some(&device("d1")), "{name}");
        }
        assert!(!alice.is_user("bob"));
        assert_eq!(alice.device_for("bob"), None);
    }

    #[test]
    fn another_user_keeps_the_previous_users_device() {
        let alice = session("alice", &["alice@example.com"], Some("d1"));
        let mut bob = session("bob", &[], Some("d2"));
        bob.carry_over(&alice);
        assert_eq!(bob.device_for("alice@example.com"), Some(&device("d1")));
        assert_eq!(bob.device_for("bob"), Some(&device("d2")));

        // Alice again: bob's device kept, hers not listed twice, her aliases learned.
        let mut alice_again = session("alice", &["ALICE@example.com"], Some("d1"));
        alice_again.carry_over(&bob);
        assert_eq!(alice_again.other_users.len(), 1);
        assert_eq!(alice_again.device_for("bob"), Some(&device("d2")));
        assert_eq!(alice_again.aliases, ["ALICE@example.com"]);

        // The same user: aliases merged, no other user added.
        let mut later = session("alice", &["+15555550100"], Some("d1"));
        later.carry_over(&alice_again);
        assert!(later.is_user("alice@example.com"));
        assert!(later.is_user("+15555550100"));
        assert_eq!(later.device_for("bob"), Some(&device("d2")));

        // A previous user without a device leaves nothing behind.
        let mut carol = session("carol", &[], None);
        carol.carry_over(&session("dave", &[], None));
        assert!(carol.other_users.is_empty());
    }

    #[test]
    fn sessions_stored_before_aliases_existed_still_load() {
        let old = r#"{"username":"alice","access_token":"a","id_token":null,
            "refresh_token":null,"token_type":"Bearer","received_at":0,"expires_at":1,
            "clock_drift_secs":0,"device":null}"#;
        let session: Session = serde_json::from_str(old).unwrap();
        assert!(session.aliases.is_empty());
        assert!(session.other_users.is_empty());
    }
}
