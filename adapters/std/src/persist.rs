//! Stored sessions that several processes share: loading a session that is valid (refreshed and
//! saved back under the store's lock when it is about to expire).

use core::time::Duration;

use crate::error::{Error, Result};
use crate::session::{Session, SessionStore};
use crate::store_lock::StoreLock;
use crate::transport::local_now;

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
