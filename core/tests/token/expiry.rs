//! Expiry with clock drift: a device clock hours off still refreshes on time.

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_core::auth::AuthenticationResult;
use cognito_core::time::UnixTime;
use cognito_core::token::{Expiry, TokenSet, clock_drift, server_to_local};
use proptest::prelude::*;
use serde_json::json;

const HOUR: u64 = 3600;
/// Server time when the tokens are issued.
const ISSUED: u64 = 1_767_600_000;

fn access(iat: u64, exp: u64) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
        Base64UrlUnpadded::encode_string(json!({"iat": iat, "exp": exp}).to_string().as_bytes())
    )
}

fn tokens(access: &str, refresh: Option<&str>, local_now: u64) -> TokenSet<1024, 16, 64> {
    let result = AuthenticationResult {
        access_token: access,
        id_token: None,
        refresh_token: refresh,
        expires_in: HOUR,
        token_type: "Bearer",
        new_device: None,
    };
    TokenSet::from_auth_result(&result, UnixTime::from_secs(local_now)).unwrap()
}

fn t(secs: u64) -> UnixTime {
    UnixTime::from_secs(secs)
}

#[test]
fn device_clock_hours_behind() {
    // The device believes it is five hours earlier than it is.
    let local_receipt = ISSUED - 5 * HOUR;
    let set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), local_receipt);
    assert_eq!(set.expiry().drift_secs(), -5 * 3600);
    assert_eq!(set.expiry().expires_at(), t(local_receipt + HOUR));
    // Comparing `exp` with the local clock directly would wait six hours; with the drift the
    // refresh comes five minutes before the real expiry.
    assert!(!set.needs_refresh(t(local_receipt + HOUR - 301), 300));
    assert!(set.needs_refresh(t(local_receipt + HOUR - 300), 300));
    assert!(!set.is_expired(t(local_receipt + HOUR - 1), 0));
    assert!(set.is_expired(t(local_receipt + HOUR), 0));
}

#[test]
fn device_clock_hours_ahead() {
    // The device is three hours ahead: `exp` already looks two hours past.
    let local_receipt = ISSUED + 3 * HOUR;
    let set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), local_receipt);
    assert_eq!(set.expiry().drift_secs(), 3 * 3600);
    assert!(!set.is_expired(t(local_receipt), 300));
    assert!(!set.needs_refresh(t(local_receipt + 50 * 60), 300));
    assert!(set.needs_refresh(t(local_receipt + 55 * 60), 300));
}

#[test]
fn device_clock_at_the_epoch() {
    // An RTC-less device that booted at 1970 and never set its clock.
    let set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), 42);
    assert_eq!(set.expiry().expires_at(), t(42 + HOUR));
    assert!(!set.needs_refresh(t(42 + 10), 300));
    assert!(set.needs_refresh(t(42 + HOUR), 300));
}

#[test]
fn network_delay_is_absorbed_by_the_margin() {
    // Received 4 s after issue on a correct clock: drift 4 s, expiry 4 s late.
    let set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), ISSUED + 4);
    assert_eq!(set.expiry().drift_secs(), 4);
    assert!(set.needs_refresh(t(ISSUED + HOUR - 10), 30));
}

#[test]
fn clock_going_backwards_counts_as_expired() {
    let set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), ISSUED);
    assert!(set.is_expired(t(ISSUED - 1), 0));
    assert!(set.needs_refresh(t(0), 0));
}

#[test]
fn no_refresh_token_means_no_refresh() {
    let set = tokens(&access(ISSUED, ISSUED + HOUR), None, ISSUED);
    assert!(set.is_expired(t(ISSUED + 2 * HOUR), 0));
    assert!(!set.needs_refresh(t(ISSUED + 2 * HOUR), 0));
}

#[test]
fn refresh_re_measures_the_drift() {
    let mut set = tokens(&access(ISSUED, ISSUED + HOUR), Some("r"), ISSUED - 2 * HOUR);
    assert_eq!(set.expiry().drift_secs(), -2 * 3600);
    // The device clock was corrected in between; the next tokens measure the new drift.
    let next = access(ISSUED + HOUR, ISSUED + 2 * HOUR);
    let result = AuthenticationResult {
        access_token: &next,
        id_token: None,
        refresh_token: None,
        expires_in: HOUR,
        token_type: "Bearer",
        new_device: None,
    };
    set.update_from_refresh(&result, t(ISSUED + HOUR + 1))
        .unwrap();
    assert_eq!(set.expiry().drift_secs(), 1);
    assert_eq!(set.expiry().expires_at(), t(ISSUED + 2 * HOUR + 1));
    assert_eq!(set.refresh_token(), Some("r"));
}

#[test]
fn extreme_claims_do_not_overflow() {
    for (iat, exp, now) in [
        (u64::MAX, u64::MAX, 0),
        (0, u64::MAX, u64::MAX),
        (u64::MAX, 0, 0),
        (0, 0, u64::MAX),
    ] {
        let set = tokens(&access(iat, exp), Some("r"), now);
        let _ = set.needs_refresh(t(now), u64::MAX);
        let _ = set.expiry().remaining(t(0));
    }
}

proptest! {
    /// Whatever the device clock's offset, the refresh is due exactly `margin` seconds before
    /// the token's lifetime has elapsed on the local clock since receipt (the network delay
    /// between issue and receipt makes it late by that delay).
    #[test]
    fn refresh_is_due_on_the_local_clock(
        offset in -(20 * 365 * 24 * 3600i64)..(20 * 365 * 24 * 3600i64),
        lifetime in 300u64..(24 * HOUR),
        margin in 0u64..300,
        delay in 0u64..10,
    ) {
        let local_receipt = (ISSUED + delay).saturating_add_signed(offset);
        let set = tokens(&access(ISSUED, ISSUED + lifetime), Some("r"), local_receipt);
        prop_assert_eq!(set.expiry().drift_secs(), offset + delay as i64);
        let due = local_receipt + lifetime - margin;
        prop_assert!(!set.needs_refresh(t(due - 1), margin));
        prop_assert!(set.needs_refresh(t(due), margin));
    }

    #[test]
    fn drift_round_trips(local in any::<u64>(), server in any::<u64>()) {
        let drift = clock_drift(t(local), t(server));
        if let Some(back) = (server as i128).checked_add(drift as i128)
            && (0..=u64::MAX as i128).contains(&back) && drift != i64::MIN && drift != i64::MAX {
                prop_assert_eq!(server_to_local(t(server), drift), t(local));
            }
    }

    #[test]
    fn expiry_never_panics(received in any::<u64>(), iat in any::<u64>(), exp in any::<u64>(),
                           now in any::<u64>(), margin in any::<u64>()) {
        let e = Expiry::from_claims(t(received), t(iat), t(exp));
        let _ = e.is_expired(t(now), margin);
        let _ = e.remaining(t(now));
        let e = Expiry::from_expires_in(t(received), exp);
        let _ = e.is_expired(t(now), margin);
    }
}
