//! A signed-in user's tokens and remembered device, and where they are kept.

use core::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use cognito_core::auth::{AuthenticationResult, DeviceCredentials, RememberedDevice};
use cognito_core::time::UnixTime;
use cognito_core::token::{Expiry, decode_claims};
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::persist::StoreLock;

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

    /// The core's borrowed form.
    #[must_use]
    pub fn as_remembered(&self) -> RememberedDevice<'_> {
        RememberedDevice {
            device_key: &self.key,
            device_group_key: &self.group_key,
            device_password: &self.password,
        }
    }
}

impl Drop for Device {
    fn drop(&mut self) {
        self.password.zeroize();
    }
}

impl fmt::Debug for Device {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Device")
            .field("key", &self.key)
            .field("group_key", &self.group_key)
            .finish_non_exhaustive()
    }
}

/// A signed-in user: tokens, when they expire on the local clock, the clock drift measured
/// when they arrived, the remembered device and the real username (from the access token, not
/// the alias typed at sign-in; refreshes hash it into `SECRET_HASH`).
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Session {
    /// The user's username (the access token's `username` claim).
    pub username: String,
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
}

impl Session {
    /// A session from a sign-in or refresh result received at local time `now`.
    pub(crate) fn from_result(
        result: &AuthenticationResult<'_>,
        fallback_username: &str,
        now: UnixTime,
    ) -> Result<Self> {
        let (username, expiry) = read_access_token(result.access_token, result.expires_in, now);
        Ok(Self {
            username: username.unwrap_or_else(|| fallback_username.to_owned()),
            access_token: result.access_token.to_owned(),
            id_token: result.id_token.map(str::to_owned),
            refresh_token: result.refresh_token.map(str::to_owned),
            token_type: result.token_type.to_owned(),
            received_at: expiry.received_at().as_secs(),
            expires_at: expiry.expires_at().as_secs(),
            clock_drift_secs: expiry.drift_secs(),
            device: None,
        })
    }

    /// Takes the tokens of a refresh; keeps the old refresh token when none came.
    pub(crate) fn update_from_refresh(&mut self, result: &AuthenticationResult<'_>, now: UnixTime) {
        let (_, expiry) = read_access_token(result.access_token, result.expires_in, now);
        self.access_token = result.access_token.to_owned();
        self.id_token = result.id_token.map(str::to_owned);
        if let Some(refresh) = result.refresh_token {
            if let Some(old) = self.refresh_token.as_mut() {
                old.zeroize();
            }
            self.refresh_token = Some(refresh.to_owned());
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
    let mut buf = vec![0u8; token.len()];
    let Ok(claims) = decode_claims(token, &mut buf) else {
        return (None, Expiry::from_expires_in(now, expires_in));
    };
    let username = claims
        .username()
        .ok()
        .flatten()
        .map(|s| crate::account::owned(&s));
    let expiry = match (claims.iat(), claims.exp()) {
        (Ok(Some(iat)), Ok(Some(exp))) => Expiry::from_claims(now, iat, exp),
        _ => Expiry::from_expires_in(now, expires_in),
    };
    (username, expiry)
}

impl Drop for Session {
    fn drop(&mut self) {
        self.access_token.zeroize();
        if let Some(t) = self.id_token.as_mut() {
            t.zeroize();
        }
        if let Some(t) = self.refresh_token.as_mut() {
            t.zeroize();
        }
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("username", &self.username)
            .field("token_type", &self.token_type)
            .field("received_at", &self.received_at)
            .field("expires_at", &self.expires_at)
            .field("clock_drift_secs", &self.clock_drift_secs)
            .field("device", &self.device)
            .finish_non_exhaustive()
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
    /// stores that others can open (such as [`FileStore`]).
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
///   and saving would fail).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStore {
    path: PathBuf,
}

impl FileStore {
    /// A store at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
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

    fn temp_path(&self) -> PathBuf {
        let mut name = self
            .path
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_default();
        name.push(format!(
            ".{}.{:08x}.tmp",
            std::process::id(),
            rand::random::<u32>()
        ));
        self.path.with_file_name(name)
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
        let mut file = match std::fs::File::open(&self.path) {
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
                    path: self.path.clone(),
                    mode,
                });
            }
        }
        // Sized up front so reading does not reallocate (and leave unzeroized copies behind).
        let len = file.metadata().map_or(0, |m| m.len());
        let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0).saturating_add(1));
        let read = std::io::Read::read_to_end(&mut file, &mut bytes);
        let session = read.map_err(Error::from).and_then(|_| self.parse(&bytes));
        bytes.zeroize();
        session.map(Some)
    }

    fn save(&self, session: &Session) -> Result<()> {
        let mut json = serde_json::to_vec_pretty(session)?;
        let temp = self.temp_path();
        let written = write_private(&temp, &json);
        json.zeroize();
        if let Err(e) = written.and_then(|()| std::fs::rename(&temp, &self.path)) {
            let _ = std::fs::remove_file(&temp);
            return Err(e.into());
        }
        // Make the rename itself durable (best effort: not every platform can sync a directory).
        #[cfg(unix)]
        if let Some(dir) = self.path.parent() {
            let dir = if dir.as_os_str().is_empty() {
                Path::new(".")
            } else {
                dir
            };
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }

    fn lock(&self) -> Result<StoreLock<'_>> {
        let Some(file) = self.open_lock_file()? else {
            return Ok(StoreLock::unguarded());
        };
        file.lock()?;
        Ok(StoreLock::new(FileLock(file)))
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
}

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
