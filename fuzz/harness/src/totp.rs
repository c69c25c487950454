//! TOTP (`cognito_core::totp`): base32 secrets (`SecretCode` from `AssociateSoftwareToken`),
//! `otpauth://` URIs, and the codes, against reference implementations written here (base32
//! from RFC 4648, URI parsing, RFC 4226 dynamic truncation over RustCrypto's HMAC-SHA1).
//!
//! Input: a mode byte, then
//! * mode 0: base32 text (lossy UTF-8);
//! * mode 1: digits byte, 2 bytes of time step, then issuer, account and the secret's bytes
//!   separated by `0x00` (an `otpauth` URI is written);
//! * mode 2: digits byte, 2 bytes of time step, 8 bytes of unix seconds, a skew byte, a byte
//!   choosing the code to verify (the right one some steps off, or the rest of the input), then
//!   the secret's bytes.
//!
//! Properties: `base32_decoded_len` / `decode_base32` accept exactly what the reference
//! accepts (case-insensitive `A–Z2–7`, spaces anywhere, `=` padding only at the end and only
//! completing a group of eight, no impossible length) and decode to the same bytes, leaving a
//! short buffer untouched with the exact size; `Totp::from_base32` refuses empty and over-long
//! secrets; a written URI parses back (reference parser) to the same issuer, account (percent
//! decoding), secret (base32, canonical, unpadded), digits and period, is refused exactly for an
//! empty account or a `:`, and honours the buffer-too-small contract; codes equal the reference
//! HOTP code of `floor(now / step)`; `verify` returns the first counter in the skew window whose
//! code matches, and `seconds_remaining` is `step − now mod step`.

use cognito_core::time::UnixTime;
use cognito_core::totp::{
    MAX_DIGITS, MAX_SECRET_LEN, MIN_DIGITS, Totp, TotpError, base32_decoded_len, decode_base32,
    hotp,
};
use hmac::{Hmac, Mac};
use sha1::Sha1;

const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/// The harness.
pub fn totp(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => base32(&String::from_utf8_lossy(rest)),
        1 => otpauth(rest),
        _ => codes(rest),
    }
}

// --- base32 ------------------------------------------------------------------------------------

/// The reference decoder.
fn decode_ref(text: &str) -> Result<Vec<u8>, TotpError> {
    let compact: Vec<u8> = text.bytes().filter(|&b| b != b' ').collect();
    let data_len = compact
        .iter()
        .position(|&b| b == b'=')
        .unwrap_or(compact.len());
    let (data, padding) = compact.split_at(data_len);
    if padding.iter().any(|&b| b != b'=') {
        return Err(TotpError::InvalidBase32);
    }
    let values: Vec<u32> = data
        .iter()
        .map(|b| ALPHABET.iter().position(|a| *a == b.to_ascii_uppercase()))
        .map(|v| v.map(|v| v as u32))
        .collect::<Option<_>>()
        .ok_or(TotpError::InvalidBase32)?;
    let tail = values.len() % 8;
    if matches!(tail, 1 | 3 | 6) {
        return Err(TotpError::InvalidBase32);
    }
    if !padding.is_empty() && (padding.len() >= 8 || !(tail + padding.len()).is_multiple_of(8)) {
        return Err(TotpError::InvalidBase32);
    }
    let mut out = Vec::new();
    for group in values.chunks(8) {
        let mut bits: u64 = 0;
        for (i, v) in group.iter().enumerate() {
            bits |= u64::from(*v) << (35 - 5 * i);
        }
        let bytes = group.len() * 5 / 8;
        out.extend_from_slice(&bits.to_be_bytes()[3..3 + bytes]);
    }
    Ok(out)
}

/// The reference encoder: upper case, unpadded.
fn encode_ref(bytes: &[u8]) -> String {
    let mut out = String::new();
    for group in bytes.chunks(5) {
        let mut padded = [0u8; 8];
        padded[3..3 + group.len()].copy_from_slice(group);
        let bits = u64::from_be_bytes(padded);
        let chars = (group.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(char::from(ALPHABET[((bits >> (35 - 5 * i)) & 31) as usize]));
        }
    }
    out
}

fn base32(text: &str) {
    let expected = decode_ref(text);
    assert_eq!(
        base32_decoded_len(text),
        expected.as_ref().map(Vec::len).map_err(|e| *e)
    );
    let mut buf = vec![0u8; expected.as_ref().map_or(4, Vec::len)];
    let ours = decode_base32(text, &mut buf).map(<[u8]>::to_vec);
    assert_eq!(ours, expected, "decode_base32({text:?})");
    if let Ok(bytes) = &expected {
        if !bytes.is_empty() {
            let mut short = vec![0xA5u8; bytes.len() - 1];
            assert_eq!(
                decode_base32(text, &mut short).map(<[u8]>::to_vec),
                Err(TotpError::BufferTooSmall(cognito_core::BufferTooSmall {
                    required: bytes.len()
                }))
            );
            assert!(short.iter().all(|&b| b == 0xA5), "short buffer was written");
        }
        // Re-encoding gives the canonical text, which decodes to the same bytes.
        let canonical = encode_ref(bytes);
        assert_eq!(decode_ref(&canonical).as_ref(), Ok(bytes));
    }
    let from = Totp::from_base32(text).map(|t| t.secret().to_vec());
    let want = match expected {
        Err(e) => Err(e),
        Ok(b) if b.is_empty() => Err(TotpError::EmptySecret),
        Ok(b) if b.len() > MAX_SECRET_LEN => Err(TotpError::SecretTooLong {
            max: MAX_SECRET_LEN,
        }),
        Ok(b) => Ok(b),
    };
    assert_eq!(from, want, "Totp::from_base32");
    if let Ok(secret) = &want {
        // The base32 of a secret, as a URI carries it, decodes back to it.
        let totp = Totp::from_base32(&encode_ref(secret)).unwrap();
        assert_eq!(totp.secret(), &secret[..]);
    }
}

// --- otpauth URIs ------------------------------------------------------------------------------

/// Settings from the input: digits (6–8 mostly, sometimes out of range) and a step.
fn settings(data: &[u8]) -> Option<(u8, u64, &[u8])> {
    let (&[d, s0, s1], rest) = data.split_first_chunk::<3>()?;
    let digits = if d & 0x80 != 0 {
        d & 0x7f
    } else {
        MIN_DIGITS + d % 3
    };
    let step = u64::from(u16::from_be_bytes([s0, s1]));
    Some((digits, step, rest))
}

/// A generator with these settings, or the error each setting must give.
fn build(secret: &[u8], digits: u8, step: u64) -> Option<Totp> {
    let expected = if secret.is_empty() {
        Err(TotpError::EmptySecret)
    } else if secret.len() > MAX_SECRET_LEN {
        Err(TotpError::SecretTooLong {
            max: MAX_SECRET_LEN,
        })
    } else if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits) {
        Err(TotpError::InvalidDigits)
    } else if step == 0 {
        Err(TotpError::InvalidStep)
    } else {
        Ok(())
    };
    let built = Totp::new(secret).and_then(|t| t.with_digits(digits)?.with_step(step));
    match (built, expected) {
        (Ok(totp), Ok(())) => {
            assert_eq!(
                (totp.secret(), totp.digits(), totp.step()),
                (secret, digits, step)
            );
            assert!(!format!("{totp:?}").contains(&encode_ref(secret)) || secret.len() < 4);
            Some(totp)
        }
        (Err(e), Err(r)) => {
            assert_eq!(e, r);
            None
        }
        (ours, theirs) => panic!("Totp {:?}, reference {theirs:?}", ours.map(|t| t.digits())),
    }
}

fn percent_decode(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = &text[i + 1..i + 3];
            assert!(
                hex.bytes()
                    .all(|c| c.is_ascii_digit() || (b'A'..=b'F').contains(&c)),
                "bad escape in {text:?}"
            );
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            assert!(
                b[i].is_ascii_alphanumeric() || b"-._~".contains(&b[i]),
                "{:?} left unescaped in {text:?}",
                char::from(b[i])
            );
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn otpauth(data: &[u8]) {
    let Some((digits, step, rest)) = settings(data) else {
        return;
    };
    let mut parts = rest.splitn(3, |&b| b == 0);
    let issuer = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let account = String::from_utf8_lossy(parts.next().unwrap_or_default()).into_owned();
    let secret = parts.next().unwrap_or_default();
    let Some(totp) = build(secret, digits, step) else {
        return;
    };
    // Percent-encoding triples a byte at most; the issuer is written twice.
    let mut buf = vec![0u8; 6 * issuer.len() + 3 * account.len() + 2 * secret.len() + 128];
    let written = totp
        .write_otpauth_uri(&issuer, &account, &mut buf)
        .map(str::to_owned);
    if account.is_empty() || issuer.contains(':') || account.contains(':') {
        assert_eq!(written, Err(TotpError::InvalidLabel));
        return;
    }
    let uri = written.unwrap();
    let rest = uri
        .strip_prefix("otpauth://totp/")
        .expect("scheme and type");
    let (label, query) = rest.split_once('?').expect("a query");
    let (label_issuer, label_account) = match label.split_once(':') {
        Some((i, a)) => (percent_decode(i), percent_decode(a)),
        None => (String::new(), percent_decode(label)),
    };
    assert_eq!(
        (label_issuer.as_str(), label_account.as_str()),
        (issuer.as_str(), account.as_str())
    );
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .map(|kv| kv.split_once('=').expect("key=value"))
        .collect();
    let mut expected = vec![("secret", encode_ref(secret))];
    if !issuer.is_empty() {
        expected.push(("issuer", issuer.clone()));
    }
    expected.push(("algorithm", "SHA1".to_owned()));
    expected.push(("digits", digits.to_string()));
    expected.push(("period", step.to_string()));
    let got: Vec<(&str, String)> = pairs
        .iter()
        .map(|&(k, v)| {
            (
                k,
                if k == "issuer" {
                    percent_decode(v)
                } else {
                    v.to_owned()
                },
            )
        })
        .collect();
    assert_eq!(got, expected, "otpauth query");
    assert_eq!(decode_ref(pairs[0].1).unwrap(), secret);

    let mut short = vec![0xA5u8; uri.len() - 1];
    assert_eq!(
        totp.write_otpauth_uri(&issuer, &account, &mut short),
        Err(TotpError::BufferTooSmall(cognito_core::BufferTooSmall {
            required: uri.len()
        }))
    );
    assert!(short.iter().all(|&b| b == 0xA5), "short buffer was written");
}

// --- codes -------------------------------------------------------------------------------------

/// RFC 4226: HMAC-SHA1 of the counter, dynamic truncation, `digits` decimal digits.
fn hotp_ref(secret: &[u8], counter: u64, digits: u8) -> String {
    let mut mac = Hmac::<Sha1>::new_from_slice(secret).unwrap();
    mac.update(&counter.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let offset = usize::from(h[19] & 0xf);
    let bin = (u32::from(h[offset] & 0x7f) << 24)
        | (u32::from(h[offset + 1]) << 16)
        | (u32::from(h[offset + 2]) << 8)
        | u32::from(h[offset + 3]);
    let code = u64::from(bin) % 10u64.pow(u32::from(digits));
    format!("{code:0width$}", width = usize::from(digits))
}

fn codes(data: &[u8]) {
    let Some((digits, step, rest)) = settings(data) else {
        return;
    };
    let Some((head, secret)) = rest.split_first_chunk::<10>() else {
        return;
    };
    let now = u64::from_be_bytes(head[..8].try_into().unwrap());
    let (skew, choice) = (head[8] % 8, head[9]);
    let Some(totp) = build(secret, digits, step) else {
        return;
    };
    let t = UnixTime::from_secs(now);
    let counter = now / step;
    assert_eq!(totp.counter(t), counter);
    assert_eq!(totp.seconds_remaining(t), step - now % step);
    assert_eq!(totp.code(t).as_str(), hotp_ref(secret, counter, digits));
    assert_eq!(
        hotp(secret, counter, digits).unwrap().as_str(),
        hotp_ref(secret, counter, digits)
    );
    // The code to verify: the right one up to three steps off, or arbitrary text.
    let offset = i64::from(choice % 8) - 3;
    let code = if choice & 0x80 == 0 {
        hotp_ref(secret, counter.saturating_add_signed(offset), digits)
    } else {
        String::from_utf8_lossy(secret)
            .chars()
            .take(usize::from(digits))
            .collect()
    };
    let low = counter.saturating_sub(u64::from(skew));
    let high = counter.saturating_add(u64::from(skew));
    let expected = if code.len() == usize::from(digits) {
        (low..=high).find(|&c| hotp_ref(secret, c, digits) == code)
    } else {
        None
    };
    assert_eq!(totp.verify(&code, t, skew), expected, "verify({code:?})");
}
