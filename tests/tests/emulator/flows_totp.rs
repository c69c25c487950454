//! The emulator's TOTP reference (`cognito_tests::totp`) against RFC 4226 / RFC 6238 test vectors,
//! base32 round trips, and the outbox's code shape.

use cognito_tests::totp::{self, base32_decode, base32_encode, code_at, hotp, verify};
use proptest::prelude::*;

/// RFC 4226 appendix D: the secret "12345678901234567890" and the HOTP values for counters 0–9.
#[test]
fn rfc_4226_hotp_vectors() {
    let key = b"12345678901234567890";
    let expected = [
        755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871, 520_489,
    ];
    for (counter, value) in expected.into_iter().enumerate() {
        assert_eq!(hotp(key, counter as u64), value, "counter {counter}");
    }
}

/// RFC 6238 appendix B (SHA-1 rows), truncated to 6 digits (the last six of the 8-digit values).
#[test]
fn rfc_6238_totp_vectors() {
    let secret = base32_encode(b"12345678901234567890");
    assert_eq!(secret, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    for (time, eight_digits) in [
        (59u64, "94287082"),
        (1_111_111_109, "07081804"),
        (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"),
        (20_000_000_000, "65353130"),
    ] {
        let code = code_at(&secret, time).unwrap();
        assert_eq!(code, eight_digits[2..], "time {time}");
        assert!(verify(&secret, &code, time));
    }
}

#[test]
fn verify_accepts_one_step_either_side_only() {
    let secret = base32_encode(b"an emulator secret!!");
    let now = 1_767_225_600;
    let code = code_at(&secret, now).unwrap();
    assert!(verify(&secret, &code, now));
    assert!(verify(&secret, &code, now + totp::STEP_SECS));
    assert!(verify(&secret, &code, now - totp::STEP_SECS));
    let far = code_at(&secret, now + 2 * totp::STEP_SECS).unwrap();
    assert!(far == code || !verify(&secret, &far, now));
    // Shape checks.
    assert!(!verify(&secret, &code[..5], now));
    assert!(!verify(&secret, &format!("{code}0"), now));
    assert!(!verify(&secret, " 12345", now));
    assert!(!verify("not base32!", &code, now));
    assert_eq!(code_at("1", now), None);
}

#[test]
fn base32_edges() {
    assert_eq!(base32_encode(b""), "");
    assert_eq!(base32_encode(b"f"), "MY");
    assert_eq!(base32_encode(b"foobar"), "MZXW6YTBOI");
    assert_eq!(base32_decode("MZXW6YTBOI======").unwrap(), b"foobar");
    assert_eq!(base32_decode("mzxw6ytboi").unwrap(), b"foobar");
    assert_eq!(base32_decode("MZ"), None, "non-zero leftover bits");
    assert_eq!(base32_decode("M1"), None);
    assert_eq!(base32_decode("MY=A"), None);
}

proptest! {
    #[test]
    fn base32_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = base32_encode(&bytes);
        prop_assert!(text.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b)));
        prop_assert_eq!(base32_decode(&text).unwrap(), bytes);
    }

    #[test]
    fn codes_are_six_digits(key in proptest::collection::vec(any::<u8>(), 1..40), time in any::<u32>()) {
        let code = code_at(&base32_encode(&key), u64::from(time)).unwrap();
        prop_assert_eq!(code.len(), 6);
        prop_assert!(code.bytes().all(|b| b.is_ascii_digit()));
    }

    #[test]
    fn garbage_never_panics(secret in ".{0,40}", code in ".{0,10}", time in any::<u64>()) {
        let _ = verify(&secret, &code, time);
        let _ = code_at(&secret, time);
        let _ = base32_decode(&secret);
    }
}
