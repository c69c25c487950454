//! TOTP/HOTP against the RFC vectors, base32 decoding, otpauth URIs, no panics.

use cognito_core::BufferTooSmall;
use cognito_core::time::UnixTime;
use cognito_core::totp::{
    self, MAX_SECRET_LEN, Totp, TotpError, base32_decoded_len, decode_base32, hotp, otpauth_uri,
};
use hmac::{Hmac, Mac};
use proptest::prelude::*;

/// RFC 6238 appendix B's SHA-1 secret: ASCII "12345678901234567890".
const RFC_SECRET: &[u8] = b"12345678901234567890";
/// The same secret in base32.
const RFC_SECRET_B32: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

#[test]
fn rfc6238_sha1_vectors() {
    let vectors = [
        (59u64, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ];
    let from_bytes = Totp::new(RFC_SECRET).unwrap().with_digits(8).unwrap();
    let from_b32 = Totp::from_base32(RFC_SECRET_B32)
        .unwrap()
        .with_digits(8)
        .unwrap();
    for (secs, expected) in vectors {
        let now = UnixTime::from_secs(secs);
        assert_eq!(from_bytes.code(now).as_str(), expected, "T = {secs}");
        assert_eq!(from_b32.code(now).as_str(), expected, "T = {secs}");
        // Six digits are the last six of the eight (the value is taken modulo 10^digits).
        assert_eq!(
            totp::code(RFC_SECRET_B32, now).unwrap().as_str(),
            &expected[2..]
        );
    }
}

#[test]
fn rfc4226_hotp_vectors() {
    let vectors = [
        "755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871",
        "520489",
    ];
    for (counter, expected) in vectors.iter().enumerate() {
        assert_eq!(
            hotp(RFC_SECRET, counter as u64, 6).unwrap().as_str(),
            *expected
        );
    }
}

#[test]
fn rfc4648_base32_vectors() {
    let vectors: [(&str, &[u8]); 7] = [
        ("", b""),
        ("MY======", b"f"),
        ("MZXQ====", b"fo"),
        ("MZXW6===", b"foo"),
        ("MZXW6YQ=", b"foob"),
        ("MZXW6YTB", b"fooba"),
        ("MZXW6YTBOI======", b"foobar"),
    ];
    let mut buf = [0u8; 16];
    for (text, expected) in vectors {
        assert_eq!(decode_base32(text, &mut buf).unwrap(), expected, "{text}");
        let unpadded = text.trim_end_matches('=');
        assert_eq!(decode_base32(unpadded, &mut buf).unwrap(), expected);
        let lower = text.to_ascii_lowercase();
        assert_eq!(decode_base32(&lower, &mut buf).unwrap(), expected);
        assert_eq!(base32_decoded_len(text), Ok(expected.len()));
    }
    // Authenticator-style grouping.
    assert_eq!(decode_base32("mzxw 6ytb oi", &mut buf).unwrap(), b"foobar");
}

#[test]
fn base32_rejections() {
    let mut buf = [0u8; 16];
    for text in [
        "M",
        "MZX",
        "MZXW6Y",
        "MZXW6YT1",
        "MZXW6YT0",
        "MZXW6YT8",
        "MZ=XW6YT",
        "MY=====",
        "MY=======",
        "MZXW6YTB========",
        "MZXW6YTB=",
        "=",
        "MZXW6YT_",
        "MZXW6YTB\t",
        "ÀB",
    ] {
        assert_eq!(
            decode_base32(text, &mut buf),
            Err(TotpError::InvalidBase32),
            "{text:?}"
        );
    }
}

#[test]
fn base32_small_buffer_untouched() {
    let mut buf = [9u8; 5];
    assert_eq!(
        decode_base32("MZXW6YTBOI", &mut buf),
        Err(TotpError::BufferTooSmall(BufferTooSmall { required: 6 }))
    );
    assert_eq!(buf, [9; 5]);
}

#[test]
fn cognito_secret_code() {
    // AssociateSoftwareToken returns 32 random bytes as 52 base32 characters.
    let secret: Vec<u8> = (0u8..32).collect();
    let text = encode_base32(&secret);
    assert_eq!(text.len(), 52);
    let totp = Totp::from_base32(&text).unwrap();
    assert_eq!(totp.secret(), &secret[..]);
    assert_eq!(totp.digits(), 6);
    assert_eq!(totp.step(), 30);
}

#[test]
fn settings() {
    assert_eq!(Totp::new(b"").err(), Some(TotpError::EmptySecret));
    assert_eq!(Totp::from_base32("").err(), Some(TotpError::EmptySecret));
    assert_eq!(
        Totp::from_base32(" = ").err(),
        Some(TotpError::InvalidBase32)
    );
    assert_eq!(
        Totp::new(&[1; MAX_SECRET_LEN + 1]).err(),
        Some(TotpError::SecretTooLong {
            max: MAX_SECRET_LEN
        })
    );
    assert!(Totp::new(&[1; MAX_SECRET_LEN]).is_ok());
    let long = encode_base32(&[1; MAX_SECRET_LEN + 1]);
    assert_eq!(
        Totp::from_base32(&long).err(),
        Some(TotpError::SecretTooLong {
            max: MAX_SECRET_LEN
        })
    );
    for digits in [0, 5, 9, 255] {
        assert_eq!(
            Totp::new(RFC_SECRET).unwrap().with_digits(digits).err(),
            Some(TotpError::InvalidDigits)
        );
    }
    assert_eq!(
        Totp::new(RFC_SECRET).unwrap().with_step(0).err(),
        Some(TotpError::InvalidStep)
    );
    assert_eq!(hotp(RFC_SECRET, 0, 9).err(), Some(TotpError::InvalidDigits));

    let totp = Totp::new(RFC_SECRET).unwrap().with_step(60).unwrap();
    assert_eq!(totp.counter(UnixTime::from_secs(119)), 1);
    assert_eq!(totp.seconds_remaining(UnixTime::from_secs(119)), 1);
    assert_eq!(totp.seconds_remaining(UnixTime::from_secs(120)), 60);
    assert_eq!(
        totp.code(UnixTime::from_secs(60)),
        Totp::new(RFC_SECRET).unwrap().code_at_counter(1)
    );
    let debug = format!("{totp:?}");
    assert!(!debug.contains("49") && !debug.contains("12345"), "{debug}");
}

#[test]
fn verify_with_skew() {
    let totp = Totp::new(RFC_SECRET).unwrap();
    let now = UnixTime::from_secs(1_111_111_111);
    let counter = totp.counter(now);
    let previous = totp.code_at_counter(counter - 1);
    let next = totp.code_at_counter(counter + 1);
    assert_eq!(totp.verify(&totp.code(now), now, 0), Some(counter));
    assert_eq!(totp.verify(&previous, now, 0), None);
    assert_eq!(totp.verify(&previous, now, 1), Some(counter - 1));
    assert_eq!(totp.verify(&next, now, 1), Some(counter + 1));
    assert_eq!(totp.verify("12345", now, 1), None);
    assert_eq!(totp.verify("", now, 1), None);
    assert_eq!(totp.verify("１２３", now, 1), None);
    // Near the ends of the counter range nothing overflows.
    let _ = totp.verify("000000", UnixTime::from_secs(0), 255);
    let _ = totp.verify("000000", UnixTime::from_secs(u64::MAX), 255);
    let _ = totp.code(UnixTime::from_secs(u64::MAX));
}

#[test]
fn otpauth_uris() {
    let mut buf = [0u8; 256];
    let uri = otpauth_uri(
        "ACME Co",
        "john.doe@email.com",
        "JBSWY3DPEHPK3PXP",
        &mut buf,
    )
    .unwrap();
    assert_eq!(
        uri,
        "otpauth://totp/ACME%20Co:john.doe%40email.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME%20Co\
         &algorithm=SHA1&digits=6&period=30"
    );
    // The secret is normalised (case, spaces, padding) and re-encoded.
    let uri = otpauth_uri("", "ünï code/?&=", "jbsw y3dp ehpk 3pxp", &mut buf).unwrap();
    assert_eq!(
        uri,
        "otpauth://totp/%C3%BCn%C3%AF%20code%2F%3F%26%3D?secret=JBSWY3DPEHPK3PXP\
         &algorithm=SHA1&digits=6&period=30"
    );
    let totp = Totp::new(RFC_SECRET)
        .unwrap()
        .with_digits(8)
        .unwrap()
        .with_step(60)
        .unwrap();
    let uri = totp
        .write_otpauth_uri("I", "a", &mut buf)
        .unwrap()
        .to_owned();
    assert_eq!(
        uri,
        format!(
            "otpauth://totp/I:a?secret={RFC_SECRET_B32}&issuer=I&algorithm=SHA1&digits=8&period=60"
        )
    );
    for (issuer, account) in [("", ""), ("a:b", "c"), ("a", "b:c")] {
        assert_eq!(
            totp.write_otpauth_uri(issuer, account, &mut buf),
            Err(TotpError::InvalidLabel)
        );
    }
    let mut small = [0xEEu8; 20];
    let needed = uri.len();
    assert_eq!(
        totp.write_otpauth_uri("I", "a", &mut small),
        Err(TotpError::BufferTooSmall(BufferTooSmall {
            required: needed
        }))
    );
    assert_eq!(small, [0xEE; 20]);
    assert_eq!(
        otpauth_uri("I", "a", "not base32!", &mut buf),
        Err(TotpError::InvalidBase32)
    );
}

#[test]
fn errors_display() {
    for e in [
        TotpError::InvalidBase32,
        TotpError::EmptySecret,
        TotpError::SecretTooLong { max: 64 },
        TotpError::InvalidDigits,
        TotpError::InvalidStep,
        TotpError::InvalidLabel,
        TotpError::BufferTooSmall(BufferTooSmall { required: 1 }),
    ] {
        assert!(!e.to_string().is_empty());
        let _: &dyn core::error::Error = &e;
    }
}

/// A plain reference encoder (RFC 4648 §6), padded.
fn encode_base32_padded(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::new();
    for chunk in bytes.chunks(5) {
        let mut block = [0u8; 5];
        block[..chunk.len()].copy_from_slice(chunk);
        let n = block.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let chars = [2, 4, 5, 7, 8][chunk.len() - 1];
        for i in 0..8 {
            if i < chars {
                out.push(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn encode_base32(bytes: &[u8]) -> String {
    encode_base32_padded(bytes).trim_end_matches('=').to_owned()
}

/// RFC 4226 §5.3 written out from the RFC, independent of the crate.
fn reference_hotp(key: &[u8], counter: u64, digits: u32) -> String {
    let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key).unwrap();
    mac.update(&counter.to_be_bytes());
    let hs = mac.finalize().into_bytes();
    let offset = (hs[19] & 0xf) as usize;
    let snum = u32::from_be_bytes(hs[offset..offset + 4].try_into().unwrap()) & 0x7fff_ffff;
    format!(
        "{:0width$}",
        snum % 10u32.pow(digits),
        width = digits as usize
    )
}

proptest! {
    #[test]
    fn base32_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..80), lower: bool) {
        let mut text = encode_base32_padded(&bytes);
        if lower {
            text = text.to_ascii_lowercase();
        }
        let mut buf = [0u8; 80];
        prop_assert_eq!(decode_base32(&text, &mut buf).unwrap(), &bytes[..]);
        let unpadded = text.trim_end_matches('=');
        prop_assert_eq!(decode_base32(unpadded, &mut buf).unwrap(), &bytes[..]);
        let spaced: String = unpadded
            .chars()
            .enumerate()
            .flat_map(|(i, c)| (i % 4 == 0).then_some(' ').into_iter().chain([c]))
            .collect();
        prop_assert_eq!(decode_base32(&spaced, &mut buf).unwrap(), &bytes[..]);
    }

    #[test]
    fn arbitrary_base32_never_panics(text in ".{0,100}") {
        let mut buf = [0u8; 64];
        let _ = decode_base32(&text, &mut buf);
        let _ = Totp::from_base32(&text).map(|t| t.code(UnixTime::from_secs(0)));
        let _ = totp::code(&text, UnixTime::from_secs(1));
    }

    #[test]
    fn arbitrary_base32_alphabet_never_panics(text in "[A-Za-z2-7= ]{0,120}") {
        let mut buf = [0u8; 80];
        if let Ok(len) = base32_decoded_len(&text) {
            prop_assert_eq!(decode_base32(&text, &mut buf).map(<[u8]>::len), Ok(len));
        }
    }

    #[test]
    fn codes_match_the_reference(
        key in prop::collection::vec(any::<u8>(), 1..=MAX_SECRET_LEN),
        now: u64,
        digits in 6u8..=8,
        step in 1u64..=120,
    ) {
        let totp = Totp::new(&key).unwrap().with_digits(digits).unwrap().with_step(step).unwrap();
        let code = totp.code(UnixTime::from_secs(now));
        prop_assert_eq!(code.as_str(), reference_hotp(&key, now / step, u32::from(digits)));
        prop_assert_eq!(totp.verify(&code, UnixTime::from_secs(now), 0), Some(now / step));
    }

    #[test]
    fn uris_never_panic(issuer in ".{0,20}", account in ".{0,20}", len in 0usize..300) {
        let totp = Totp::new(RFC_SECRET).unwrap();
        let mut buf = vec![0u8; len];
        if let Ok(uri) = totp.write_otpauth_uri(&issuer, &account, &mut buf) {
            prop_assert!(uri.is_ascii());
            prop_assert!(uri.starts_with("otpauth://totp/"));
        }
    }
}
