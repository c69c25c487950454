//! A signed-in user's tokens and remembered device, and where they are kept.

use core::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use cognito_core::auth::{AuthenticationResult, DeviceCredentials, RememberedDevice};
use cognito_core::time::UnixTime;
use cognito_core::token::{Expiry, decode_claims};
use zeroize::Zeroize;

use crate::error::Result;

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
pub trait SessionStore {
    /// The stored session, if any.
    fn load(&self) -> Result<Option<Session>>;
    /// Stores `session`, replacing what was stored.
    fn save(&self, session: &Session) -> Result<()>;
    /// Removes the stored session.
    fn clear(&self) -> Result<()>;
}

/// A session in a JSON file, replaced atomically (written to a temporary file in the same
/// directory, synced, then renamed over the old one); readable only by its owner (0600) on Unix.
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
}

impl SessionStore for FileStore {
    fn load(&self) -> Result<Option<Session>> {
        match std::fs::read(&self.path) {
            Ok(mut bytes) => {
                let session = serde_json::from_slice(&bytes);
                bytes.zeroize();
                Ok(Some(session?))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
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
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
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

/// A session kept in memory (tests, short-lived tools).
#[derive(Debug, Default)]
pub struct MemoryStore {
    session: std::sync::Mutex<Option<Session>>,
}

impl SessionStore for MemoryStore {
    fn load(&self) -> Result<Option<Session>> {
        Ok(self.lock().clone())
    }

    fn save(&self, session: &Session) -> Result<()> {
        *self.lock() = Some(session.clone());
        Ok(())
    }

    fn clear(&self) -> Result<()> {
        *self.lock() = None;
        Ok(())
    }
}

impl MemoryStore {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.session
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
