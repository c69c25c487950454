//! Time-based one-time passwords the way Cognito's software-token MFA checks them: RFC 6238 TOTP
//! over RFC 4226 HOTP with HMAC-SHA1, a 30-second step, 6 digits, and base32 (RFC 4648, no
//! padding) shared secrets, which is what authenticator apps expect from `SecretCode`.
//!
//! Written here from the RFCs (HMAC-SHA1 from `hmac` + `sha1`), sharing nothing with
//! `cognito-core`. [`code_at`] gives the code an authenticator app shows; [`verify`] is the
//! server-side check the emulator uses, accepting the current step and [`WINDOW_STEPS`] either
//! side.

use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use sha1::Sha1;

/// Length of a TOTP step in seconds.
pub const STEP_SECS: u64 = 30;
/// Number of digits in a code.
pub const DIGITS: u32 = 6;
/// How many steps before and after the current one [`verify`] accepts (clock drift).
pub const WINDOW_STEPS: u64 = 1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// Base32 (RFC 4648 alphabet, upper case, no `=` padding) of `bytes`.
pub fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(symbol((buffer >> bits) & 31));
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(symbol((buffer << (5 - bits)) & 31));
    }
    out
}

fn symbol(index: u32) -> char {
    ALPHABET
        .get(usize::try_from(index).unwrap_or(0))
        .map_or('A', |&b| char::from(b))
}

/// Decodes base32: either case, trailing `=` padding allowed; `None` for any other character or
/// for leftover bits that are not zero (a non-canonical encoding).
pub fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 5 / 8);
    let mut buffer: u32 = 0;
    let mut bits: u32 = 0;
    for c in text.bytes() {
        let value = ALPHABET.iter().position(|&a| a == c.to_ascii_uppercase())?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
        buffer &= (1 << bits) - 1;
    }
    (buffer == 0).then_some(out)
}

/// RFC 4226 HOTP: HMAC-SHA1 of the 8-byte big-endian `counter`, dynamically truncated, modulo
/// 10^[`DIGITS`].
pub fn hotp(key: &[u8], counter: u64) -> u32 {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(key) else {
        return 0;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.get(19).copied().unwrap_or(0) & 0x0f);
    let word = digest
        .get(offset..offset + 4)
        .and_then(|slice| <[u8; 4]>::try_from(slice).ok())
        .map_or(0, u32::from_be_bytes);
    (word & 0x7fff_ffff) % 10u32.pow(DIGITS)
}

/// The 6-digit code (zero-padded) for the base32 `secret` at `unix_secs`; `None` if the secret is
/// not base32.
pub fn code_at(secret: &str, unix_secs: u64) -> Option<String> {
    let key = base32_decode(secret)?;
    Some(format_code(hotp(&key, unix_secs / STEP_SECS)))
}

/// Whether `code` is the code of the base32 `secret` for the step of `unix_secs` or one of the
/// [`WINDOW_STEPS`] steps either side. Codes must be exactly [`DIGITS`] ASCII digits.
pub fn verify(secret: &str, code: &str, unix_secs: u64) -> bool {
    let Some(key) = base32_decode(secret) else {
        return false;
    };
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let step = unix_secs / STEP_SECS;
    let mut matched = false;
    for counter in step.saturating_sub(WINDOW_STEPS)..=step.saturating_add(WINDOW_STEPS) {
        // Evaluate every step so timing does not tell which one matched.
        matched |= crate::srp::signatures_match(&format_code(hotp(&key, counter)), code);
    }
    matched
}

fn format_code(value: u32) -> String {
    alloc::format!("{value:06}")
}
