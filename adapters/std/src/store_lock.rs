//! The exclusive lock of a session store.

use core::fmt;

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
