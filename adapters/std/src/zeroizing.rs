//! Secrets in growing and replaced buffers: a writer that zeroizes the buffers it outgrows, and
//! replacing a secret string with the old one zeroized.
//!
//! `Vec` and `String` reallocate as they grow, and the allocator frees the old allocation as it
//! is, with whatever it held: serializing a session into a growing `Vec`, or assigning a new
//! token over an old `String`, would leave copies of tokens in freed memory. These helpers never
//! let a secret's allocation be freed before it is zeroized. (That the freed memory is zero
//! cannot be checked without unsafe code; the tests check the contents they produce.)

use std::io;

use zeroize::{Zeroize, Zeroizing};

/// An [`io::Write`] into a buffer that grows by moving into a larger allocation and zeroizing
/// the old one; the buffer is zeroized on drop.
pub(crate) struct ZeroizingWriter {
    buf: Zeroizing<Vec<u8>>,
}

impl ZeroizingWriter {
    /// An empty writer with room for `capacity` bytes before it first grows.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        Self {
            buf: Zeroizing::new(Vec::with_capacity(capacity)),
        }
    }

    /// What was written.
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.buf
    }
}

impl io::Write for ZeroizingWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let needed = self.buf.len().saturating_add(bytes.len());
        if needed > self.buf.capacity() {
            let capacity = needed.max(self.buf.capacity().saturating_mul(2));
            let mut grown = Vec::with_capacity(capacity);
            grown.extend_from_slice(&self.buf);
            // The old buffer is zeroized as it is dropped.
            self.buf = Zeroizing::new(grown);
        }
        // Fits: no reallocation.
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Replaces the secret in `slot` by `new`, zeroizing the old one first (the allocation is
/// reused when `new` fits; otherwise the zeroized one is freed).
pub(crate) fn replace_secret(slot: &mut String, new: &str) {
    slot.zeroize();
    slot.push_str(new);
}

/// Like [`replace_secret`] for an optional secret; `None` zeroizes and removes the old one.
pub(crate) fn replace_optional_secret(slot: &mut Option<String>, new: Option<&str>) {
    match (slot.as_mut(), new) {
        (Some(old), Some(new)) => replace_secret(old, new),
        (None, Some(new)) => *slot = Some(new.to_owned()),
        (_, None) => slot.zeroize(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn the_writer_keeps_everything_written_across_growth() {
        let mut writer = ZeroizingWriter::with_capacity(4);
        let mut expected = Vec::new();
        for i in 0..200u32 {
            let chunk = format!("token-{i};");
            writer.write_all(chunk.as_bytes()).unwrap();
            expected.extend_from_slice(chunk.as_bytes());
        }
        assert_eq!(writer.as_slice(), expected.as_slice());
        serde_json::to_writer(&mut writer, &["a", "b"]).unwrap();
        assert!(writer.as_slice().ends_with(br#"["a","b"]"#));
    }

    #[test]
    fn replaced_secrets_hold_the_new_value() {
        let mut slot = "old-token-that-is-long".to_owned();
        replace_secret(&mut slot, "new");
        assert_eq!(slot, "new");
        replace_secret(&mut slot, &"x".repeat(100));
        assert_eq!(slot.len(), 100);

        let mut optional = None;
        replace_optional_secret(&mut optional, Some("a"));
        assert_eq!(optional.as_deref(), Some("a"));
        replace_optional_secret(&mut optional, Some("b"));
        assert_eq!(optional.as_deref(), Some("b"));
        replace_optional_secret(&mut optional, None);
        assert_eq!(optional, None);
    }
}
