//! Stored sessions that several processes share: the store's lock, and loading a session that
//! is valid (refreshed and saved back under the lock when it is about to expire).

use core::fmt;
use core::time::Duration;

use crate::error::{Error, Result};
use crate::session::{Session, SessionStore};
use crate::transport::local_now;

/// The exclusive lock of a [`SessionStore`], from [`SessionStore::lock`] or
/// [`SessionStore::try_lock`]; released when dropped.
///
/// While it is held no other holder of the same store's lock (another thread, another
/// [`crate::FileStore`] on the same path, another process) gets it, so a read-refresh-write of
/// the stored session is not interleaved with another one.
#[must_use = "the lock is released when this is dropped"]
pub struct StoreLock<'a> {
    guard: Option<Box<dyn Send + 'a>>,
}

impl<'a> StoreLock<'a> {
    /// A lock held by `guard`: whatever releases the store's lock when it is dropped (a file
    /// lock's handle, a mutex flag's guard).
    pub fn new(guard: impl Send + 'a) -> Self {
        Self {
            guard: Some(Box::new(guard)),
        }
    }

    /// A lock that guards nothing, for stores that no one else uses at the same time.
    pub fn unguarded() -> Self {
        Self { guard: None }
    }
}

impl fmt::Debug for StoreLock<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreLock")
            .field("guarded", &self.guard.is_some())
            .finish()
    }
}

/// The longest pause between two attempts to take a store's lock without blocking a thread.
const LOCK_POLL_MAX: Duration = Duration::from_millis(50);

/// Takes `store`'s lock from async code: tries it, and sleeps (without blocking the runtime's
/// thread) between attempts, so two tasks on one thread cannot deadlock on it.
async fn lock_async<S: SessionStore + ?Sized>(store: &S) -> Result<StoreLock<'_>> {
    let mut pause = Duration::from_millis(2);
    loop {
        if let Some(lock) = store.try_lock()? {
            return Ok(lock);
        }
        tokio::time::sleep(pause).await;
        pause = pause.saturating_mul(2).min(LOCK_POLL_MAX);
    }
}

/// The stored session, still under the store's lock; [`Error::NoSession`] when there is none.
fn load_locked<S: SessionStore + ?Sized>(store: &S) -> Result<Session> {
    store.load()?.ok_or(Error::NoSession)
}

/// Whether `session` needs a refresh before use by a client refreshing `margin` early.
fn needs_refresh(session: &Session, margin: Duration) -> bool {
    session.is_expired(local_now(), margin.as_secs())
}

impl crate::Client {
    /// The stored session, refreshed and saved back first when its access token expires within
    /// [`crate::Options::refresh_margin`]: the way for several processes (or tasks) to share
    /// one stored session.
    ///
    /// Takes `store`'s exclusive lock ([`SessionStore::try_lock`], retried with short sleeps so
    /// the runtime's thread is not blocked), loads the session, refreshes it when needed, saves
    /// it while still holding the lock, then releases the lock. Another process waiting for the
    /// lock then loads the refreshed session and does not refresh it again (with refresh-token
    /// rotation a second refresh with the old token would fail).
    ///
    /// Errors: [`Error::NoSession`] when nothing is stored; the store's errors (a corrupt or
    /// insecure file is [`Error::CorruptSession`] / [`Error::InsecureSession`] and is left as
    /// it is); the refresh's errors (nothing is saved then). When the refresh succeeds but
    /// saving fails, the save's error is returned.
    pub async fn load_valid_session<S: SessionStore + ?Sized>(&self, store: &S) -> Result<Session> {
        let margin = self.inner.options.refresh_margin;
        let lock = lock_async(store).await?;
        let mut session = load_locked(store)?;
        if needs_refresh(&session, margin) {
            tracing::debug!(username = %session.username, "stored session expires: refreshing");
            self.refresh(&mut session).await?;
            store.save(&session)?;
        }
        drop(lock);
        Ok(session)
    }
}

impl crate::blocking::Client {
    /// See [`crate::Client::load_valid_session`]; waits for the store's lock with
    /// [`SessionStore::lock`], blocking the thread.
    pub fn load_valid_session<S: SessionStore + ?Sized>(&self, store: &S) -> Result<Session> {
        let margin = self.as_async().inner.options.refresh_margin;
        let lock = store.lock()?;
        let mut session = load_locked(store)?;
        if needs_refresh(&session, margin) {
            tracing::debug!(username = %session.username, "stored session expires: refreshing");
            self.refresh(&mut session)?;
            store.save(&session)?;
        }
        drop(lock);
        Ok(session)
    }
}
