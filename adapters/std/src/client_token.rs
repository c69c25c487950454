//! Machine-to-machine access tokens (the client-credentials grant): owned results, the
//! client's cache (one request per scope set however many callers wait), and a file that keeps
//! them between runs.
//!
//! Whether a token is still good is the core's decision ([`ClientToken::is_fresh`] with
//! [`DEFAULT_RENEW_MARGIN_SECS`]); this module only keeps them.

use core::fmt;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use cognito_core::auth::AuthenticationResult;
use cognito_core::oauth::{ClientToken, DEFAULT_RENEW_MARGIN_SECS};
use cognito_core::time::UnixTime;
use zeroize::Zeroize;

use crate::error::{Error, Result};
use crate::redact::hide;
use crate::session::{read_private, replace_private};
use crate::zeroizing::ZeroizingWriter;

/// An access token of the app client itself, from
/// [`Client::client_credentials_token`](crate::Client::client_credentials_token). The token is
/// zeroized on drop; `Debug` shows it as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct M2mToken {
    /// The access token, for `Authorization: Bearer …`.
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Seconds it stays valid from when this value was made (on the local clock).
    pub expires_in: u64,
    /// Local unix time it expires.
    pub expires_at: u64,
    /// The scopes it was asked for, space-separated in a canonical order (sorted, no
    /// duplicates); empty: every scope the app client may have.
    pub scopes: String,
}

impl fmt::Debug for M2mToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M2mToken")
            .field("access_token", &hide(&self.access_token))
            .field("token_type", &self.token_type)
            .field("expires_in", &self.expires_in)
            .field("expires_at", &self.expires_at)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// Wipes the token.
impl Zeroize for M2mToken {
    fn zeroize(&mut self) {
        self.access_token.zeroize();
    }
}

impl Drop for M2mToken {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for M2mToken {}

/// A cached client-credentials token as it is stored between runs ([`ClientTokenFile`]): the
/// token, its scope set and when it was received and expires on the local clock. Zeroized on
/// drop; `Debug` shows the token as `<redacted>`.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredClientToken {
    /// The scope set, canonical (see [`M2mToken::scopes`]).
    pub scopes: String,
    /// The access token (secret).
    pub access_token: String,
    /// `Bearer`.
    pub token_type: String,
    /// Local unix time it was received.
    pub received_at: u64,
    /// Local unix time it expires.
    pub expires_at: u64,
}

impl fmt::Debug for StoredClientToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoredClientToken")
            .field("scopes", &self.scopes)
            .field("access_token", &hide(&self.access_token))
            .field("token_type", &self.token_type)
            .field("received_at", &self.received_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Wipes the token.
impl Zeroize for StoredClientToken {
    fn zeroize(&mut self) {
        self.access_token.zeroize();
    }
}

impl Drop for StoredClientToken {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for StoredClientToken {}

/// The scope set `scopes` (names separated by whitespace) in canonical form: sorted, without
/// duplicates, separated by single spaces. The cache key, and what is sent.
pub(crate) fn canonical_scopes(scopes: &str) -> String {
    let mut names: Vec<&str> = scopes.split_whitespace().collect();
    names.sort_unstable();
    names.dedup();
    names.join(" ")
}

/// A token in the cache, in the core's form (zeroized on drop).
#[derive(Debug)]
pub(crate) struct CachedToken {
    pub(crate) token: ClientToken,
    pub(crate) token_type: String,
}

impl CachedToken {
    /// From a token reply received at `received_at`.
    pub(crate) fn from_reply(
        tokens: &AuthenticationResult<'_>,
        received_at: UnixTime,
    ) -> Result<Self> {
        Ok(Self {
            token: ClientToken::from_reply(tokens, received_at)
                .map_err(cognito_core::Error::from)?,
            token_type: tokens.token_type.to_owned(),
        })
    }

    /// Whether the core still counts it as fresh at `now`.
    pub(crate) fn is_fresh(&self, now: UnixTime) -> bool {
        self.token.is_fresh(now, DEFAULT_RENEW_MARGIN_SECS)
    }

    /// The owned result at local time `now`.
    pub(crate) fn output(&self, scopes: &str, now: UnixTime) -> M2mToken {
        let expiry = self.token.expiry();
        M2mToken {
            access_token: self.token.access_token().to_owned(),
            token_type: self.token_type.clone(),
            expires_in: expiry.remaining(now),
            expires_at: expiry.expires_at().as_secs(),
            scopes: scopes.to_owned(),
        }
    }

    /// The stored form.
    fn stored(&self, scopes: &str) -> StoredClientToken {
        let expiry = self.token.expiry();
        StoredClientToken {
            scopes: scopes.to_owned(),
            access_token: self.token.access_token().to_owned(),
            token_type: self.token_type.clone(),
            received_at: expiry.received_at().as_secs(),
            expires_at: expiry.expires_at().as_secs(),
        }
    }

    /// Back from the stored form (`None` for a token the core cannot keep).
    fn from_stored(stored: &StoredClientToken) -> Option<Self> {
        let tokens = AuthenticationResult {
            access_token: &stored.access_token,
            id_token: None,
            refresh_token: None,
            expires_in: stored.expires_at.saturating_sub(stored.received_at),
            token_type: &stored.token_type,
            new_device: None,
        };
        Self::from_reply(&tokens, UnixTime::from_secs(stored.received_at)).ok()
    }
}

/// One slot per scope set; a caller holds the slot's async lock while it asks for a token, so
/// the others wait for that token instead of asking too.
pub(crate) type Slot = Arc<tokio::sync::Mutex<Option<CachedToken>>>;

/// The client's tokens, by canonical scope set.
#[derive(Debug, Default)]
pub(crate) struct ClientTokenCache {
    slots: std::sync::Mutex<HashMap<String, Slot>>,
}

impl ClientTokenCache {
    fn slots(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The slot of `scopes` (canonical), made empty when new.
    pub(crate) fn slot(&self, scopes: &str) -> Slot {
        Arc::clone(self.slots().entry(scopes.to_owned()).or_default())
    }

    /// The cached tokens still fresh at `now` (a slot being filled right now is skipped).
    pub(crate) fn export(&self, now: UnixTime) -> Vec<StoredClientToken> {
        let slots: Vec<(String, Slot)> = self
            .slots()
            .iter()
            .map(|(scopes, slot)| (scopes.clone(), Arc::clone(slot)))
            .collect();
        let mut out: Vec<StoredClientToken> = slots
            .iter()
            .filter_map(|(scopes, slot)| {
                let cached = slot.try_lock().ok()?;
                cached
                    .as_ref()
                    .filter(|c| c.is_fresh(now))
                    .map(|c| c.stored(scopes))
            })
            .collect();
        out.sort_by(|a, b| a.scopes.cmp(&b.scopes));
        out
    }

    /// Takes stored tokens that are still fresh at `now` into empty slots (or slots holding
    /// one that expires sooner).
    pub(crate) fn restore(&self, tokens: &[StoredClientToken], now: UnixTime) {
        for stored in tokens {
            let Some(restored) = CachedToken::from_stored(stored).filter(|c| c.is_fresh(now))
            else {
                continue;
            };
            let slot = self.slot(&canonical_scopes(&stored.scopes));
            let Ok(mut cached) = slot.try_lock() else {
                continue;
            };
            let newer = cached.as_ref().is_none_or(|c| {
                c.token.expiry().expires_at() < restored.token.expiry().expires_at()
            });
            if newer {
                *cached = Some(restored);
            }
        }
    }
}

/// Client-credentials tokens kept in a JSON file between runs (the CLI keeps them next to its
/// session file), like a session file: owner-only (0600) on Unix, a file others may access
/// refused ([`Error::InsecureSession`]), replaced atomically. It is a cache: no lock guards it
/// (two processes racing at worst both ask for a token, and the last one written stays).
///
/// Use it with [`Client::restore_client_tokens`](crate::Client::restore_client_tokens) before
/// asking for a token and [`Client::client_tokens`](crate::Client::client_tokens) after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientTokenFile {
    path: PathBuf,
}

/// The file's content.
#[derive(serde::Serialize, serde::Deserialize)]
struct ClientTokensJson {
    client_tokens: Vec<StoredClientToken>,
}

impl ClientTokenFile {
    /// A file at `path` (created on the first save).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file's path.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The stored tokens (none when there is no file). [`Error::CorruptSession`] for a file
    /// that is not one of these (left as it is), [`Error::InsecureSession`] for one others may
    /// access.
    pub fn load(&self) -> Result<Vec<StoredClientToken>> {
        let Some(bytes) = read_private(&self.path)? else {
            return Ok(Vec::new());
        };
        let parsed: ClientTokensJson =
            serde_json::from_slice(&bytes).map_err(|e| Error::CorruptSession {
                path: self.path.clone(),
                reason: format!(
                    "not a client-token file (line {} column {})",
                    e.line(),
                    e.column()
                ),
            })?;
        Ok(parsed.client_tokens)
    }

    /// Replaces the stored tokens by `tokens`.
    pub fn save(&self, tokens: &[StoredClientToken]) -> Result<()> {
        let mut json = ZeroizingWriter::with_capacity(4096);
        serde_json::to_writer_pretty(
            &mut json,
            &ClientTokensJson {
                client_tokens: tokens.to_vec(),
            },
        )?;
        replace_private(&self.path, json.as_slice())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn stored(scopes: &str, received_at: u64, expires_at: u64) -> StoredClientToken {
        StoredClientToken {
            scopes: scopes.to_owned(),
            access_token: format!("token-{scopes}-{expires_at}"),
            token_type: "Bearer".to_owned(),
            received_at,
            expires_at,
        }
    }

    #[test]
    fn scopes_are_canonical() {
        assert_eq!(canonical_scopes(" b/x  a/y b/x\t"), "a/y b/x");
        assert_eq!(canonical_scopes(""), "");
    }

    #[test]
    fn only_fresh_tokens_are_restored_and_exported() {
        let cache = ClientTokenCache::default();
        let now = UnixTime::from_secs(10_000);
        cache.restore(
            &[
                stored("b a", 9_000, 12_600),
                // Within the renewal margin: not fresh.
                stored("c", 6_500, 10_100),
            ],
            now,
        );
        let exported = cache.export(now);
        assert_eq!(exported.len(), 1);
        assert_eq!(exported[0].scopes, "a b");
        assert_eq!(exported[0].expires_at, 12_600);
        assert_eq!(exported[0].received_at, 9_000);
        // A later one replaces it, an earlier one does not.
        cache.restore(&[stored("a b", 9_500, 13_100)], now);
        cache.restore(&[stored("a b", 9_500, 12_000)], now);
        assert_eq!(cache.export(now)[0].expires_at, 13_100);
        assert!(cache.export(UnixTime::from_secs(13_000)).is_empty());
    }

    #[test]
    fn the_file_round_trips_privately() {
        let dir = tempfile::tempdir().unwrap();
        let file = ClientTokenFile::new(dir.path().join("tokens.json"));
        assert!(file.load().unwrap().is_empty());
        let tokens = vec![stored("a", 1, 2)];
        file.save(&tokens).unwrap();
        assert_eq!(file.load().unwrap(), tokens);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(file.path()).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(file.path(), b"{}").unwrap();
        assert!(matches!(
            file.load(),
            Err(Error::CorruptSession { .. } | Error::InsecureSession { .. })
        ));
        assert!(!format!("{:?}", tokens[0]).contains("token-a"));
    }
}
