//! Integer encodings Cognito's SRP uses.
//!
//! * `bytes(n)`: Java's `BigInteger.toByteArray()` of a non-negative integer: big-endian, leading zero
//!   bytes dropped, then one `0x00` prepended when the top bit of the first byte is set. Zero is `[0x00]`.
//!   The JavaScript client's `padHex` is the hex form of the same bytes. [`JavaBytes`] holds it.
//! * Server integers (`SRP_B`, `SALT`) arrive as hex of any length, possibly odd, possibly with leading
//!   zeros; [`parse_hex`] reads them without panicking and refuses a leading `-`.
//! * `SRP_A` is sent as lowercase hex without padding ([`HexDigits`]).

use core::fmt;

use crypto_bigint::{Choice, Limb, Uint, Word};

use crate::error::ProtocolError;

/// The largest integer [`JavaBytes`] holds: 3136 bits (N plus one spare limb on 64-bit targets),
/// plus the sign byte.
pub const JAVA_BYTES_CAPACITY: usize = 400;

/// `bytes(n)`: an integer in Java `BigInteger.toByteArray()` form, stored inline.
///
/// It may hold a secret (`bytes(S)`, `bytes(x)`): it is zeroized on drop, and `Debug` shows its
/// length only. [`Self::pad_hex`] writes the digits when they are wanted.
#[derive(Clone)]
pub struct JavaBytes {
    buf: [u8; JAVA_BYTES_CAPACITY],
    start: usize,
}

impl JavaBytes {
    /// Encodes `n`. Integers wider than [`JAVA_BYTES_CAPACITY`] − 1 bytes keep only their low bytes,
    /// which never happens for the integer types this crate uses (checked by tests).
    ///
    /// Constant-time in `n`'s value (it encodes `S` and `a`): the same bytes are read and written
    /// whatever the value; only the length of the result depends on it.
    pub fn of<const L: usize>(n: &Uint<L>) -> Self {
        let mut buf = [0u8; JAVA_BYTES_CAPACITY];
        // Fill from the end: least significant word last.
        let mut end = JAVA_BYTES_CAPACITY;
        for word in n.as_words().iter() {
            let bytes = word.to_be_bytes();
            let start = end.saturating_sub(bytes.len());
            if let Some(dst) = buf.get_mut(start..end) {
                dst.copy_from_slice(&bytes);
            }
            end = start;
        }
        Self::from_padded(buf)
    }

    /// Encodes the unsigned big-endian integer `be` (leading zeros allowed).
    /// Returns `None` when it has more than [`JAVA_BYTES_CAPACITY`] − 1 significant bytes.
    pub fn from_be_bytes(be: &[u8]) -> Option<Self> {
        let significant = strip_leading_zeros(be);
        let mut buf = [0u8; JAVA_BYTES_CAPACITY];
        let start = JAVA_BYTES_CAPACITY.checked_sub(significant.len())?;
        buf.get_mut(start..)?.copy_from_slice(significant);
        // The first byte must remain zero so a sign byte can be prepended.
        if start == 0 {
            return None;
        }
        Some(Self::from_padded(buf))
    }

    /// Finds where the encoding starts in constant time: every byte is read, the first non-zero
    /// one and its top bit are kept with masks, nothing branches on or indexes by a byte's value.
    /// Only the resulting length can differ between two values, and the protocol hashes that
    /// length (`bytes(S)` is one byte shorter when S < 2^3064).
    ///
    /// `buf[0]` is zero (the callers leave room for the sign byte), so the start is at least 0.
    fn from_padded(buf: [u8; JAVA_BYTES_CAPACITY]) -> Self {
        // Zero encodes as a single 0x00 byte.
        let mut first = (JAVA_BYTES_CAPACITY - 1) as u32;
        let mut sign = 0u32;
        let mut seen = Choice::FALSE;
        for (i, &b) in (0u32..).zip(buf.iter()) {
            let nonzero = Choice::from_u8_nz(b);
            let here = nonzero.and(seen.not());
            first = here.select_u32(first, i);
            sign = here.select_u32(sign, u32::from(b >> 7));
            seen = seen.or(nonzero);
        }
        // A set top bit gets a 0x00 sign byte in front.
        let start = first.wrapping_sub(sign) as usize;
        Self { buf, start }
    }

    /// The encoded bytes.
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or(&[])
    }

    /// The JavaScript client's `padHex` form: lowercase hex of [`Self::as_slice`].
    pub fn pad_hex(&self) -> HexDigits<'_> {
        HexDigits::new(self.as_slice())
    }
}

impl fmt::Debug for JavaBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "JavaBytes({} bytes)", self.as_slice().len())
    }
}

impl PartialEq for JavaBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for JavaBytes {}

impl zeroize::Zeroize for JavaBytes {
    fn zeroize(&mut self) {
        self.buf.zeroize();
        self.start = JAVA_BYTES_CAPACITY - 1;
    }
}

impl Drop for JavaBytes {
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(self);
    }
}

impl zeroize::ZeroizeOnDrop for JavaBytes {}

/// Lowercase hex of big-endian bytes, written without allocation (use `Display`). `Debug` shows
/// the number of bytes only: the bytes may be a secret's (`bytes(S).pad_hex()`).
#[derive(Clone, Copy)]
pub struct HexDigits<'a> {
    bytes: &'a [u8],
    trim_leading_zero_digits: bool,
}

impl<'a> HexDigits<'a> {
    /// All digits of `bytes`, two per byte.
    pub fn new(bytes: &'a [u8]) -> Self {
        Self {
            bytes,
            trim_leading_zero_digits: false,
        }
    }

    /// The shortest hex form of the integer `bytes` encode (`BigInteger.toString(16)`):
    /// no leading zero digits, so the length may be odd; zero is `"0"`.
    pub fn minimal(bytes: &'a [u8]) -> Self {
        Self {
            bytes: strip_leading_zeros(bytes),
            trim_leading_zero_digits: true,
        }
    }

    /// Writes the digits through `out`, in chunks.
    pub fn for_each_chunk(&self, mut out: impl FnMut(&[u8])) {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut skip_zero = self.trim_leading_zero_digits;
        if self.bytes.is_empty() && skip_zero {
            out(b"0");
            return;
        }
        for &b in self.bytes {
            let hi = DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
            let lo = DIGITS.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            if skip_zero && hi == b'0' {
                out(&[lo]);
            } else {
                out(&[hi, lo]);
            }
            skip_zero = false;
        }
    }
}

impl fmt::Debug for HexDigits<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HexDigits({} bytes)", self.bytes.len())
    }
}

impl fmt::Display for HexDigits<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut result = Ok(());
        self.for_each_chunk(|chunk| {
            for &c in chunk {
                if result.is_ok() {
                    result = fmt::Write::write_char(f, char::from(c));
                }
            }
        });
        result
    }
}

fn strip_leading_zeros(be: &[u8]) -> &[u8] {
    let first = be.iter().position(|&b| b != 0).unwrap_or(be.len());
    be.get(first..).unwrap_or(&[])
}

/// Parses a non-negative integer from hex (either case, any length, odd lengths and leading zeros
/// allowed) into a `Uint<L>`.
///
/// Errors name `field`: [`ProtocolError::NegativeNumber`] for a leading `-`,
/// [`ProtocolError::InvalidField`] for an empty string or a non-hex character, and
/// [`ProtocolError::FieldTooLong`] when the value does not fit in `L` limbs.
pub(crate) fn parse_hex<const L: usize>(
    hex: &str,
    field: &'static str,
) -> Result<Uint<L>, ProtocolError> {
    let digits = hex.as_bytes();
    if digits.first() == Some(&b'-') {
        return Err(ProtocolError::NegativeNumber(field));
    }
    if digits.is_empty() {
        return Err(ProtocolError::InvalidField(field));
    }
    let significant_from = digits
        .iter()
        .position(|&d| d != b'0')
        .unwrap_or(digits.len());
    let significant = digits.get(significant_from..).unwrap_or(&[]);
    let digits_per_word = 2 * Limb::BYTES;
    let mut words = [0 as Word; L];
    for (i, &d) in significant.iter().rev().enumerate() {
        let nibble = hex_value(d).ok_or(ProtocolError::InvalidField(field))?;
        let word = words
            .get_mut(i / digits_per_word)
            .ok_or(ProtocolError::FieldTooLong {
                field,
                max: L * Limb::BYTES * 2,
            })?;
        *word |= Word::from(nibble) << (4 * (i % digits_per_word));
    }
    Ok(Uint::from_words(words))
}

fn hex_value(d: u8) -> Option<u8> {
    match d {
        b'0'..=b'9' => Some(d - b'0'),
        b'a'..=b'f' => Some(d - b'a' + 10),
        b'A'..=b'F' => Some(d - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crypto_bigint::{U256, U3072};
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn java(n: &BigUint) -> Vec<u8> {
        let mut v = n.to_bytes_be();
        if v == [0] {
            return v;
        }
        if v.first().is_some_and(|b| b & 0x80 != 0) {
            v.insert(0, 0);
        }
        v
    }

    #[test]
    fn java_bytes_edges() {
        assert_eq!(JavaBytes::of(&U256::ZERO).as_slice(), &[0]);
        assert_eq!(JavaBytes::of(&U256::from_u8(0x7f)).as_slice(), &[0x7f]);
        assert_eq!(JavaBytes::of(&U256::from_u8(0x80)).as_slice(), &[0, 0x80]);
        assert_eq!(JavaBytes::of(&U256::MAX).as_slice().len(), 33);
        assert_eq!(JavaBytes::of(&U3072::MAX).as_slice().len(), 385);
        assert_eq!(
            JavaBytes::from_be_bytes(&[0, 0, 0x80, 1])
                .unwrap()
                .as_slice(),
            &[0, 0x80, 1]
        );
        assert!(JavaBytes::from_be_bytes(&[1; JAVA_BYTES_CAPACITY]).is_none());
    }

    #[test]
    fn hex_forms() {
        let b = [0x00, 0x0a, 0xbc];
        assert_eq!(format!("{}", HexDigits::new(&b)), "000abc");
        assert_eq!(format!("{}", HexDigits::minimal(&b)), "abc");
        assert_eq!(format!("{}", HexDigits::minimal(&[0, 0])), "0");
        assert_eq!(format!("{}", HexDigits::minimal(&[])), "0");
    }

    #[test]
    fn parse_hex_rejects_without_panicking() {
        assert_eq!(
            parse_hex::<4>("-1f", "SALT"),
            Err(ProtocolError::NegativeNumber("SALT"))
        );
        assert_eq!(
            parse_hex::<4>("", "SALT"),
            Err(ProtocolError::InvalidField("SALT"))
        );
        assert_eq!(
            parse_hex::<4>("12g4", "SALT"),
            Err(ProtocolError::InvalidField("SALT"))
        );
        assert_eq!(
            parse_hex::<4>("0x12", "SALT"),
            Err(ProtocolError::InvalidField("SALT"))
        );
        assert_eq!(
            parse_hex::<4>(" 12", "SALT"),
            Err(ProtocolError::InvalidField("SALT"))
        );
        assert!(matches!(
            parse_hex::<1>("1ffffffffffffffffffff", "SRP_B"),
            Err(ProtocolError::FieldTooLong { .. })
        ));
        // Leading zeros do not count against the width; odd lengths are fine.
        assert_eq!(
            parse_hex::<1>("0000000000000000000000abc", "X")
                .unwrap()
                .as_words()[0],
            0xabc
        );
        assert_eq!(parse_hex::<4>("000", "X").unwrap(), Uint::<4>::ZERO);
    }

    proptest! {
        #[test]
        fn java_bytes_match_biguint(bytes in proptest::collection::vec(any::<u8>(), 0..48)) {
            let n = BigUint::from_bytes_be(&bytes);
            let expected = java(&n);
            let mut padded = [0u8; 48];
            padded[48 - bytes.len()..].copy_from_slice(&bytes);
            let u = Uint::<{ 384 / Limb::BITS as usize }>::from_be_slice(&padded);
            let of_uint = JavaBytes::of(&u);
            prop_assert_eq!(of_uint.as_slice(), expected.as_slice());
            let of_bytes = JavaBytes::from_be_bytes(&bytes).unwrap();
            prop_assert_eq!(of_bytes.as_slice(), expected.as_slice());
        }

        #[test]
        fn pad_hex_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..390), upper in any::<bool>()) {
            let n = BigUint::from_bytes_be(&bytes);
            let jb = JavaBytes::from_be_bytes(&bytes).unwrap();
            let hex = format!("{}", jb.pad_hex());
            // padHex: even length, 00 prefix exactly when the first digit would be >= 8.
            prop_assert_eq!(hex.len() % 2, 0);
            prop_assert_eq!(BigUint::parse_bytes(hex.as_bytes(), 16).unwrap(), n.clone());
            let hex = if upper { hex.to_uppercase() } else { hex };
            let parsed: Uint<{ 3200 / Limb::BITS as usize }> = parse_hex(&hex, "X").unwrap();
            prop_assert_eq!(JavaBytes::of(&parsed), jb);
            let minimal = format!("{}", HexDigits::minimal(&bytes));
            prop_assert_eq!(minimal, n.to_str_radix(16));
        }

        #[test]
        fn parse_hex_never_panics(s in ".{0,900}") {
            let _ = parse_hex::<{ 3136 / Limb::BITS as usize }>(&s, "SRP_B");
        }
    }
}
