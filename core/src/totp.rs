//! RFC 6238 TOTP codes (on RFC 4226 HOTP) for software-token MFA, RFC 4648 base32 secrets, and
//! `otpauth://` URIs for enrolling the secret in an authenticator app.
//!
//! Cognito's `AssociateSoftwareToken` returns the shared secret as base32 (`SecretCode`); the
//! codes it accepts use HMAC-SHA1, a 30-second step and 6 digits.
//!
//! ```
//! use cognito_core::time::UnixTime;
//! use cognito_core::totp::{self, Totp};
//! // RFC 6238 appendix B: the ASCII secret "12345678901234567890", 8 digits.
//! let totp = Totp::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")?.with_digits(8)?;
//! assert_eq!(totp.code(UnixTime::from_secs(59)).as_str(), "94287082");
//! assert_eq!(
//!     totp::code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", UnixTime::from_secs(59))?.as_str(),
//!     "287082"
//! );
//! # Ok::<(), cognito_core::totp::TotpError>(())
//! ```

use core::fmt;

use hmac::{Hmac, Mac};
use sha1::Sha1;
use zeroize::Zeroize;

use crate::error::BufferTooSmall;
use crate::time::UnixTime;
use crate::wire::sink::{Sink, put_decimal, write_measured};

/// The longest secret a [`Totp`] holds, in bytes (Cognito's are 32; RFC 4226 asks for ≥ 16).
pub const MAX_SECRET_LEN: usize = 64;
/// Digits per code unless configured otherwise (what Cognito accepts).
pub const DEFAULT_DIGITS: u8 = 6;
/// Fewest digits per code (RFC 4226 §5.3).
pub const MIN_DIGITS: u8 = 6;
/// Most digits per code (a [`Code`] holds eight).
pub const MAX_DIGITS: u8 = 8;
/// Seconds per time step unless configured otherwise (RFC 6238's and Cognito's).
pub const DEFAULT_STEP_SECS: u64 = 30;

/// A one-time code: [`MIN_DIGITS`] to [`MAX_DIGITS`] ASCII digits.
pub type Code = heapless::String<{ MAX_DIGITS as usize }>;

/// Why a secret, a setting or an output buffer was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum TotpError {
    /// Not RFC 4648 base32: a character outside `A–Z`, `a–z`, `2–7`, `=`, space; padding
    /// before data or of the wrong length; an impossible length.
    InvalidBase32,
    /// The secret is empty.
    EmptySecret,
    /// The secret is longer than [`MAX_SECRET_LEN`] bytes.
    SecretTooLong {
        /// The largest accepted secret, in bytes.
        max: usize,
    },
    /// Digits outside [`MIN_DIGITS`]`..=`[`MAX_DIGITS`].
    InvalidDigits,
    /// A time step of zero seconds.
    InvalidStep,
    /// An `otpauth` label that is empty (account) or contains `:`.
    InvalidLabel,
    /// The output buffer is too small; nothing was written.
    BufferTooSmall(BufferTooSmall),
}

impl fmt::Display for TotpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TotpError::InvalidBase32 => f.write_str("secret is not valid base32"),
            TotpError::EmptySecret => f.write_str("secret is empty"),
            TotpError::SecretTooLong { max } => write!(f, "secret longer than {max} bytes"),
            TotpError::InvalidDigits => {
                write!(f, "digits must be {MIN_DIGITS} to {MAX_DIGITS}")
            }
            TotpError::InvalidStep => f.write_str("time step must not be zero"),
            TotpError::InvalidLabel => {
                f.write_str("otpauth account must be non-empty and labels free of ':'")
            }
            TotpError::BufferTooSmall(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl core::error::Error for TotpError {}

impl From<BufferTooSmall> for TotpError {
    fn from(e: BufferTooSmall) -> Self {
        TotpError::BufferTooSmall(e)
    }
}

/// The current code for a base32 secret with the defaults (HMAC-SHA1, 30 s, 6 digits).
pub fn code(secret_base32: &str, now: UnixTime) -> Result<Code, TotpError> {
    Ok(Totp::from_base32(secret_base32)?.code(now))
}

/// The RFC 4226 HOTP code for `counter` with HMAC-SHA1 and `digits` digits.
///
/// ```
/// // RFC 4226 appendix D.
/// let code = cognito_core::totp::hotp(b"12345678901234567890", 0, 6)?;
/// assert_eq!(code.as_str(), "755224");
/// # Ok::<(), cognito_core::totp::TotpError>(())
/// ```
pub fn hotp(secret: &[u8], counter: u64, digits: u8) -> Result<Code, TotpError> {
    Ok(Totp::new(secret)?
        .with_digits(digits)?
        .code_at_counter(counter))
}

/// A TOTP generator: the decoded shared secret (zeroized on drop), digits and time step.
pub struct Totp {
    secret: [u8; MAX_SECRET_LEN],
    len: usize,
    digits: u8,
    step: u64,
}

impl Totp {
    /// A generator for the raw secret bytes, with 6 digits and a 30-second step.
    pub fn new(secret: &[u8]) -> Result<Self, TotpError> {
        if secret.is_empty() {
            return Err(TotpError::EmptySecret);
        }
        let mut totp = Self::empty();
        let dst = totp
            .secret
            .get_mut(..secret.len())
            .ok_or(TotpError::SecretTooLong {
                max: MAX_SECRET_LEN,
            })?;
        dst.copy_from_slice(secret);
        totp.len = secret.len();
        Ok(totp)
    }

    /// A generator for a base32 secret (Cognito's `SecretCode`); see [`decode_base32`].
    pub fn from_base32(secret: &str) -> Result<Self, TotpError> {
        let mut totp = Self::empty();
        let len = decode_base32(secret, &mut totp.secret)
            .map_err(|e| match e {
                TotpError::BufferTooSmall(_) => TotpError::SecretTooLong {
                    max: MAX_SECRET_LEN,
                },
                other => other,
            })?
            .len();
        if len == 0 {
            return Err(TotpError::EmptySecret);
        }
        totp.len = len;
        Ok(totp)
    }

    fn empty() -> Self {
        Self {
            secret: [0; MAX_SECRET_LEN],
            len: 0,
            digits: DEFAULT_DIGITS,
            step: DEFAULT_STEP_SECS,
        }
    }

    /// Uses `digits` digits per code ([`MIN_DIGITS`]`..=`[`MAX_DIGITS`]).
    pub fn with_digits(mut self, digits: u8) -> Result<Self, TotpError> {
        if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
            return Err(TotpError::InvalidDigits);
        }
        self.digits = digits;
        Ok(self)
    }

    /// Uses a time step of `secs` seconds (not zero).
    pub fn with_step(mut self, secs: u64) -> Result<Self, TotpError> {
        if secs == 0 {
            return Err(TotpError::InvalidStep);
        }
        self.step = secs;
        Ok(self)
    }

    /// Digits per code.
    #[must_use]
    pub fn digits(&self) -> u8 {
        self.digits
    }

    /// Seconds per time step.
    #[must_use]
    pub fn step(&self) -> u64 {
        self.step
    }

    /// The decoded secret.
    #[must_use]
    pub fn secret(&self) -> &[u8] {
        self.secret.get(..self.len).unwrap_or_default()
    }

    /// The time step counter at `now`: `floor(now / step)` (RFC 6238's `T`, with `T0 = 0`).
    #[must_use]
    pub fn counter(&self, now: UnixTime) -> u64 {
        now.as_secs() / self.step
    }

    /// Seconds until the code changes.
    #[must_use]
    pub fn seconds_remaining(&self, now: UnixTime) -> u64 {
        self.step - now.as_secs() % self.step
    }

    /// The code at `now`.
    #[must_use]
    pub fn code(&self, now: UnixTime) -> Code {
        self.code_at_counter(self.counter(now))
    }

    /// The HOTP code for `counter`.
    #[must_use]
    pub fn code_at_counter(&self, counter: u64) -> Code {
        let value = truncate(&hmac_sha1(self.secret(), counter));
        let modulus = 10u32.pow(u32::from(self.digits));
        let mut code = Code::new();
        // At most MAX_DIGITS digits, so this fits.
        let _ = fmt::write(
            &mut code,
            format_args!(
                "{:0width$}",
                value % modulus,
                width = usize::from(self.digits)
            ),
        );
        code
    }

    /// Checks `code` against the steps from `now − skew_steps` to `now + skew_steps` and returns
    /// the counter that matched (a verifier should refuse that counter's code from then on).
    /// Each candidate is compared in constant time.
    #[must_use]
    pub fn verify(&self, code: &str, now: UnixTime, skew_steps: u8) -> Option<u64> {
        if code.len() != usize::from(self.digits) {
            return None;
        }
        let current = self.counter(now);
        let skew = u64::from(skew_steps);
        let mut matched = None;
        for counter in current.saturating_sub(skew)..=current.saturating_add(skew) {
            let expected = self.code_at_counter(counter);
            let diff = expected
                .bytes()
                .zip(code.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b));
            if diff == 0 && matched.is_none() {
                matched = Some(counter);
            }
        }
        matched
    }

    /// Writes an `otpauth://totp/…` URI for this secret into `buf`, for an authenticator app
    /// (usually shown as a QR code):
    /// `otpauth://totp/<issuer>:<account>?secret=<BASE32>&issuer=<issuer>&algorithm=SHA1&digits=6&period=30`.
    ///
    /// Issuer and account are percent-encoded; an empty issuer is left out. The URI contains the
    /// secret: wipe `buf` after use. [`TotpError::InvalidLabel`] for an empty account or a `:`
    /// in either; [`TotpError::BufferTooSmall`] leaves `buf` untouched.
    ///
    /// ```
    /// use cognito_core::totp::Totp;
    /// let totp = Totp::from_base32("JBSWY3DPEHPK3PXP")?;
    /// let mut buf = [0u8; 128];
    /// let uri = totp.write_otpauth_uri("Example Co", "alice@example.com", &mut buf)?;
    /// assert_eq!(
    ///     uri,
    ///     "otpauth://totp/Example%20Co:alice%40example.com?secret=JBSWY3DPEHPK3PXP\
    ///      &issuer=Example%20Co&algorithm=SHA1&digits=6&period=30"
    /// );
    /// # Ok::<(), cognito_core::totp::TotpError>(())
    /// ```
    pub fn write_otpauth_uri<'b>(
        &self,
        issuer: &str,
        account: &str,
        buf: &'b mut [u8],
    ) -> Result<&'b str, TotpError> {
        if account.is_empty() || issuer.contains(':') || account.contains(':') {
            return Err(TotpError::InvalidLabel);
        }
        let len = write_measured(buf, |out| {
            out.put(b"otpauth://totp/");
            if !issuer.is_empty() {
                percent_encode(issuer, out);
                out.put(b":");
            }
            percent_encode(account, out);
            out.put(b"?secret=");
            encode_base32(self.secret(), out);
            if !issuer.is_empty() {
                out.put(b"&issuer=");
                percent_encode(issuer, out);
            }
            out.put(b"&algorithm=SHA1&digits=");
            put_decimal(out, u64::from(self.digits));
            out.put(b"&period=");
            put_decimal(out, self.step);
        })?;
        let written = buf.get(..len).unwrap_or_default();
        // Only ASCII was written.
        core::str::from_utf8(written).map_err(|_| TotpError::InvalidLabel)
    }
}

impl Drop for Totp {
    fn drop(&mut self) {
        self.secret.zeroize();
    }
}

impl fmt::Debug for Totp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Totp")
            .field("secret", &crate::redact::Hidden::Secret)
            .field("digits", &self.digits)
            .field("step", &self.step)
            .finish()
    }
}

/// Writes an `otpauth://totp/…` URI for a base32 secret with the default settings; see
/// [`Totp::write_otpauth_uri`].
pub fn otpauth_uri<'b>(
    issuer: &str,
    account: &str,
    secret_base32: &str,
    buf: &'b mut [u8],
) -> Result<&'b str, TotpError> {
    Totp::from_base32(secret_base32)?.write_otpauth_uri(issuer, account, buf)
}

/// `HMAC-SHA1(key, counter as 8 big-endian bytes)`.
fn hmac_sha1(key: &[u8], counter: u64) -> [u8; 20] {
    let mut mac = match Hmac::<Sha1>::new_from_slice(key) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this branch is never taken.
        Err(_) => <Hmac<Sha1> as Mac>::new(&Default::default()),
    };
    mac.update(&counter.to_be_bytes());
    mac.finalize().into_bytes().into()
}

/// RFC 4226 §5.3 dynamic truncation to a 31-bit value.
fn truncate(hash: &[u8; 20]) -> u32 {
    let offset = usize::from(hash[19] & 0x0f);
    let mut word = [0u8; 4];
    if let Some(bytes) = hash.get(offset..offset + 4) {
        word.copy_from_slice(bytes);
    }
    u32::from_be_bytes(word) & 0x7fff_ffff
}

/// The number of bytes [`decode_base32`] produces for `text`, or
/// [`TotpError::InvalidBase32`].
pub fn base32_decoded_len(text: &str) -> Result<usize, TotpError> {
    let (mut data, mut pad, mut bad) = (0usize, 0usize, false);
    for b in text.bytes() {
        match b {
            b' ' => {}
            b'=' => pad += 1,
            _ => {
                bad |= pad > 0 || base32_value(b).is_none();
                data += 1;
            }
        }
    }
    let tail = data % 8;
    let padding_ok = pad == 0 || (pad < 8 && (tail + pad) % 8 == 0);
    if bad || matches!(tail, 1 | 3 | 6) || !padding_ok {
        return Err(TotpError::InvalidBase32);
    }
    Ok(data / 8 * 5 + tail * 5 / 8)
}

/// Decodes RFC 4648 base32 (`A–Z`, `2–7`; case-insensitive; `=` padding optional; spaces
/// ignored) into `buf`. Bits left over after the last whole byte are ignored.
///
/// On error `buf` is untouched; [`TotpError::BufferTooSmall`] says how much is needed.
///
/// ```
/// let mut buf = [0u8; 8];
/// assert_eq!(cognito_core::totp::decode_base32("mzxw 6ytb oi======", &mut buf)?, b"foobar");
/// # Ok::<(), cognito_core::totp::TotpError>(())
/// ```
pub fn decode_base32<'b>(text: &str, buf: &'b mut [u8]) -> Result<&'b [u8], TotpError> {
    let required = base32_decoded_len(text)?;
    let out = buf.get_mut(..required).ok_or(BufferTooSmall { required })?;
    let mut slots = out.iter_mut();
    let (mut acc, mut bits) = (0u16, 0u32);
    for value in text.bytes().filter_map(base32_value) {
        acc = (acc << 5) | u16::from(value);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            if let Some(slot) = slots.next() {
                *slot = (acc >> bits) as u8;
            }
            acc &= (1 << bits) - 1;
        }
    }
    acc.zeroize();
    Ok(out)
}

/// The value of a base32 digit, case-insensitive; branch-free in the character.
fn base32_value(c: u8) -> Option<u8> {
    let c = i16::from(c);
    let mut value: i16 = -1;
    // Each term is `c - offset + 1` when `lo < c < hi` (both differences negative) and 0 otherwise.
    value += (((0x40 - c) & (c - 0x5b)) >> 8) & (c - 0x40); // A–Z → 0–25
    value += (((0x60 - c) & (c - 0x7b)) >> 8) & (c - 0x60); // a–z → 0–25
    value += (((0x31 - c) & (c - 0x38)) >> 8) & (c - 0x17); // 2–7 → 26–31
    u8::try_from(value).ok()
}

/// Encodes `bytes` as unpadded upper-case base32; branch-free in the data.
fn encode_base32(bytes: &[u8], out: &mut dyn Sink) {
    let (mut acc, mut bits) = (0u16, 0u32);
    let mut put = |value: u16| {
        let v = (value & 0x1f) as i16;
        // 'A' + v for v < 26; '2' + (v − 26) = 'A' + v − 41 otherwise.
        let c = 0x41 + v + (((25 - v) >> 8) & -41);
        out.put(&[c as u8]);
    };
    for &b in bytes {
        acc = (acc << 8) | u16::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            put(acc >> bits);
        }
        acc &= (1 << bits) - 1;
    }
    if bits > 0 {
        put(acc << (5 - bits));
    }
    acc.zeroize();
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn percent_encode(text: &str, out: &mut dyn Sink) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.put(&[b]);
        } else {
            out.put(&[b'%', hex_digit(b >> 4), hex_digit(b & 0xf)]);
        }
    }
}

/// The upper-case hex digit of a nibble.
fn hex_digit(nibble: u8) -> u8 {
    match nibble {
        0..=9 => b'0' + nibble,
        _ => b'A' + (nibble & 0xf) - 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct VecSink<'v>(&'v mut Vec<u8>);

    impl Sink for VecSink<'_> {
        fn put(&mut self, bytes: &[u8]) {
            self.0.extend_from_slice(bytes);
        }
    }

    #[test]
    fn base32_alphabet() {
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        for c in 0..=255u8 {
            let expected = alphabet
                .iter()
                .position(|&a| a == c.to_ascii_uppercase())
                .map(|p| p as u8);
            assert_eq!(base32_value(c), expected, "{c}");
        }
        for v in 0..32u16 {
            let mut got = Vec::new();
            encode_base32(&[(v << 3) as u8], &mut VecSink(&mut got));
            assert_eq!(got[0], alphabet[usize::from(v)]);
        }
    }
}
