//! Byte sinks and the "count first, then write" discipline that leaves a too-small buffer untouched.

use crate::error::{BufferTooSmall, Error, Misuse};

/// Somewhere to put output bytes. Writing never fails: the sinks used by this crate either count
/// bytes or write into a buffer that was already measured to be large enough.
pub trait Sink {
    /// Appends `bytes` to the output.
    fn put(&mut self, bytes: &[u8]);
}

/// A sink that only counts the bytes it is given.
#[derive(Debug, Default)]
pub(crate) struct Counter {
    /// Bytes seen so far (saturating, so a huge output cannot wrap around).
    pub(crate) len: usize,
}

impl Sink for Counter {
    fn put(&mut self, bytes: &[u8]) {
        self.len = self.len.saturating_add(bytes.len());
    }
}

/// A sink writing into a slice. Bytes beyond the end are dropped and counted in `len`, so an
/// overflow is detectable afterwards (it only happens if a producer is not deterministic).
#[derive(Debug)]
pub(crate) struct SliceSink<'b> {
    buf: &'b mut [u8],
    len: usize,
    overflow: bool,
}

impl<'b> SliceSink<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        SliceSink {
            buf,
            len: 0,
            overflow: false,
        }
    }
}

impl Sink for SliceSink<'_> {
    fn put(&mut self, bytes: &[u8]) {
        let end = self.len.saturating_add(bytes.len());
        match self.buf.get_mut(self.len..end) {
            Some(dst) if !self.overflow => dst.copy_from_slice(bytes),
            _ => self.overflow = true,
        }
        self.len = end;
    }
}

/// Runs `produce` once to measure its output and, when it fits, a second time into `buf`.
///
/// `buf` is untouched when the output does not fit. `produce` must write the same bytes on both
/// runs; if it does not and the second run overflows, the (partially written) buffer is reported
/// as too small with the size of the second run.
pub(crate) fn write_measured(
    buf: &mut [u8],
    produce: impl Fn(&mut dyn Sink),
) -> Result<usize, BufferTooSmall> {
    let mut counter = Counter::default();
    produce(&mut counter);
    if counter.len > buf.len() {
        return Err(BufferTooSmall {
            required: counter.len,
        });
    }
    let mut sink = SliceSink::new(buf);
    produce(&mut sink);
    if sink.overflow {
        return Err(BufferTooSmall { required: sink.len });
    }
    Ok(sink.len)
}

/// [`write_measured`] for text (URLs, form lines: percent-encoded ASCII): the bytes written, as
/// `&str`. A producer that wrote bytes that are not UTF-8 gets [`Misuse::Invalid`]`(what)`.
pub(crate) fn write_measured_str<'b>(
    buf: &'b mut [u8],
    what: &'static str,
    produce: impl Fn(&mut dyn Sink),
) -> Result<&'b str, Error> {
    let len = write_measured(buf, produce)?;
    let written = buf.get(..len).unwrap_or_default();
    core::str::from_utf8(written).map_err(|_| Misuse::Invalid(what).into())
}

/// The number of bytes `produce` writes.
pub(crate) fn measure(produce: impl FnOnce(&mut dyn Sink)) -> usize {
    let mut counter = Counter::default();
    produce(&mut counter);
    counter.len
}

/// Writes `n` in decimal.
pub(crate) fn put_decimal(sink: &mut dyn Sink, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut used = 0usize;
    for slot in digits.iter_mut().rev() {
        // `n % 10` is below 10, so the cast cannot truncate.
        *slot = b'0' + (n % 10) as u8;
        used += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let start = digits.len() - used;
    if let Some(text) = digits.get(start..) {
        sink.put(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal() {
        let mut buf = [0u8; 32];
        for n in [0u64, 7, 10, 12345, u64::MAX] {
            let len = write_measured(&mut buf, |s| put_decimal(s, n)).unwrap();
            let mut expected = heapless::String::<32>::new();
            core::fmt::write(&mut expected, format_args!("{n}")).unwrap();
            assert_eq!(&buf[..len], expected.as_bytes());
        }
    }

    #[test]
    fn untouched_when_too_small() {
        let mut buf = [0xAAu8; 3];
        let err = write_measured(&mut buf, |s| s.put(b"abcd")).unwrap_err();
        assert_eq!(err.required, 4);
        assert_eq!(buf, [0xAA; 3]);
    }
}
