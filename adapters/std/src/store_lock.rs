//! The exclusive lock of a session store, and waiting for it within the store's
//! [timeout](crate::SessionStore::lock_timeout).

use core::fmt;
use core::time::Duration;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::session::SessionStore;

/// How long a [`crate::FileStore`] waits for its lock by default: longer than a refresh with
/// its retries takes under the default [`crate::Options`] (20 s of retries after a request of
/// up to 15 s), so that a process waiting for another's refresh gets the refreshed session,
/// and gives up only on a holder that is stuck.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(60);

/// The first pause between two attempts to take a lock.
const POLL_FIRST: Duration = Duration::from_millis(2);
/// The longest pause between two attempts to take a lock.
const POLL_MAX: Duration = Duration::from_millis(50);

/// The exclusive lock of a [`SessionStore`](crate::SessionStore), from
/// [`SessionStore::lock`](crate::SessionStore::lock) or
/// [`SessionStore::try_lock`](crate::SessionStore::try_lock); released when dropped.
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

/// The pauses between attempts to take a lock: doubling from [`POLL_FIRST`] to [`POLL_MAX`],
/// none past the deadline.
struct Backoff {
    deadline: Option<Instant>,
    pause: Duration,
}

impl Backoff {
    /// Until `timeout` from now (`None`, or a timeout too large for the clock: no deadline).
    fn new(timeout: Option<Duration>) -> Self {
        Self {
            deadline: timeout.and_then(|t| Instant::now().checked_add(t)),
            pause: POLL_FIRST,
        }
    }

    /// How long to sleep before the next attempt; `None` when the deadline has passed.
    fn next(&mut self) -> Option<Duration> {
        let pause = match self.deadline {
            None => self.pause,
            Some(deadline) => {
                let left = deadline.checked_duration_since(Instant::now())?;
                if left.is_zero() {
                    return None;
                }
                self.pause.min(left)
            }
        };
        self.pause = self.pause.saturating_mul(2).min(POLL_MAX);
        Some(pause)
    }
}

/// [`Error::LockTimeout`] for `store`.
fn timed_out<S: SessionStore + ?Sized>(store: &S, timeout: Option<Duration>) -> Error {
    Error::LockTimeout {
        lock_file: store.lock_file(),
        timeout: timeout.unwrap_or(Duration::MAX),
    }
}

/// Takes `store`'s lock, trying it ([`SessionStore::try_lock`]) and sleeping the thread
/// between attempts, until [`SessionStore::lock_timeout`] has passed ([`Error::LockTimeout`]).
pub(crate) fn wait_blocking<S: SessionStore + ?Sized>(store: &S) -> Result<StoreLock<'_>> {
    let timeout = store.lock_timeout();
    let mut backoff = Backoff::new(timeout);
    loop {
        if let Some(lock) = store.try_lock()? {
            return Ok(lock);
        }
        match backoff.next() {
            Some(pause) => std::thread::sleep(pause),
            None => return Err(timed_out(store, timeout)),
        }
    }
}

/// As [`wait_blocking`], sleeping without blocking the runtime's thread (so that two tasks on
/// one thread cannot deadlock on the lock).
pub(crate) async fn wait_async<S: SessionStore + ?Sized>(store: &S) -> Result<StoreLock<'_>> {
    let timeout = store.lock_timeout();
    let mut backoff = Backoff::new(timeout);
    loop {
        if let Some(lock) = store.try_lock()? {
            return Ok(lock);
        }
        match backoff.next() {
            Some(pause) => tokio::time::sleep(pause).await,
            None => return Err(timed_out(store, timeout)),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn backoff_doubles_to_its_bound_and_stops_at_the_deadline() {
        let mut unbounded = Backoff::new(None);
        let pauses: Vec<Duration> = (0..8).filter_map(|_| unbounded.next()).collect();
        assert_eq!(pauses.len(), 8);
        assert_eq!(pauses.first(), Some(&POLL_FIRST));
        assert!(pauses.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!(pauses.last(), Some(&POLL_MAX));

        // A timeout too large for the clock means no deadline.
        assert!(Backoff::new(Some(Duration::MAX)).next().is_some());

        let mut bounded = Backoff::new(Some(Duration::from_millis(30)));
        let started = Instant::now();
        while let Some(pause) = bounded.next() {
            assert!(pause <= POLL_MAX);
            std::thread::sleep(pause);
        }
        assert!(started.elapsed() >= Duration::from_millis(30));
        assert!(Backoff::new(Some(Duration::ZERO)).next().is_none());
    }
}
