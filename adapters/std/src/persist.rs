//! Stored sessions that several processes share: loading a session that is valid (refreshed and
//! saved back under the store's lock when it is about to expire).

use core::time::Duration;

use crate::error::{Error, Result};
use crate::session::{Session, SessionStore};
use crate::store_lock;
use crate::transport::local_now;

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
    /// the runtime's thread is not blocked, for at most [`SessionStore::lock_timeout`]), loads
    /// the session, refreshes it when needed, saves it while still holding the lock, then
    /// releases the lock. Another process waiting for the lock then loads the refreshed session
    /// and does not refresh it again (with refresh-token rotation a second refresh with the old
    /// token would fail).
    ///
    /// Errors: [`Error::LockTimeout`] when the lock stays taken longer than the store's
    /// timeout (nothing is loaded or sent); [`Error::NoSession`] when nothing is stored; the
    /// store's errors (a corrupt or insecure file is [`Error::CorruptSession`] /
    /// [`Error::InsecureSession`] and is left as it is); the refresh's errors (nothing is saved
    /// then). When the refresh succeeds but saving fails, [`Error::RefreshedNotSaved`] carries
    /// the refreshed session with the save's error: the new tokens (with refresh-token
    /// rotation, the new refresh token) are not lost.
    ///
    /// ```no_run
    /// # async fn demo(client: cognito_std::Client, store: cognito_std::FileStore) -> cognito_std::Result<()> {
    /// let session = match client.load_valid_session(&store).await {
    ///     Err(cognito_std::Error::RefreshedNotSaved { session, cause }) => {
    ///         eprintln!("warning: {cause}; the new tokens live in memory only");
    ///         *session
    ///     }
    ///     other => other?,
    /// };
    /// # let _ = session; Ok(()) }
    /// ```
    pub async fn load_valid_session<S: SessionStore + ?Sized>(&self, store: &S) -> Result<Session> {
        let margin = self.inner.options.refresh_margin;
        let lock = store_lock::wait_async(store).await?;
        let mut session = load_locked(store)?;
        if needs_refresh(&session, margin) {
            tracing::debug!(username = %session.username, "stored session expires: refreshing");
            self.refresh(&mut session).await?;
            if let Err(cause) = store.save(&session) {
                tracing::warn!(error = %cause, "the refreshed session could not be saved");
                return Err(Error::RefreshedNotSaved {
                    session: Box::new(session),
                    cause: Box::new(cause),
                });
            }
        }
        drop(lock);
        Ok(session)
    }
}

impl crate::blocking::Client {
    /// See [`crate::Client::load_valid_session`] (the same steps, on this client's runtime).
    pub fn load_valid_session<S: SessionStore + ?Sized>(&self, store: &S) -> Result<Session> {
        self.block_on(self.as_async().load_valid_session(store))
    }
}
