//! Token lifetime on the local clock, corrected for clock drift.
//!
//! A token's `exp` is server time. A device whose clock is hours off would, comparing `exp`
//! with its own clock, refresh far too early or keep using expired tokens. So at the moment the
//! tokens arrive (local time `received_at`) the drift is measured against the token's `iat`
//! (server time): `drift = received_at − iat`, and the local expiry is `exp + drift`.
//!
//! The drift includes the network delay between issue and receipt, so the local expiry errs on
//! the late side by that delay; the `margin` of [`Expiry::is_expired`] absorbs it.

use crate::time::UnixTime;

/// Local clock minus server clock, in seconds (saturating): positive when the device is ahead.
///
/// ```
/// use cognito_core::time::UnixTime;
/// use cognito_core::token::clock_drift;
/// // The device thinks it is 10:00, the token was issued at 07:00 server time.
/// assert_eq!(clock_drift(UnixTime::from_secs(36_000), UnixTime::from_secs(25_200)), 10_800);
/// assert_eq!(clock_drift(UnixTime::from_secs(0), UnixTime::from_secs(60)), -60);
/// ```
#[must_use]
pub fn clock_drift(local: UnixTime, server: UnixTime) -> i64 {
    let (local, server) = (local.as_secs(), server.as_secs());
    if local >= server {
        i64::try_from(local - server).unwrap_or(i64::MAX)
    } else {
        0i64.checked_sub_unsigned(server - local)
            .unwrap_or(i64::MIN)
    }
}

/// A server time converted to the local clock: `server + drift`, saturating at the ends of
/// [`UnixTime`]'s range.
#[must_use]
pub fn server_to_local(server: UnixTime, drift: i64) -> UnixTime {
    let secs = server.as_secs();
    UnixTime::from_secs(if drift >= 0 {
        secs.saturating_add(drift.unsigned_abs())
    } else {
        secs.saturating_sub(drift.unsigned_abs())
    })
}

/// When tokens received at a known local time stop being valid, on the local clock.
///
/// ```
/// use cognito_core::time::UnixTime;
/// use cognito_core::token::Expiry;
/// let t = UnixTime::from_secs;
/// // Issued at server time 1 000 000 for an hour; the device clock is 3 hours behind.
/// let expiry = Expiry::from_claims(t(1_000_000 - 10_800), t(1_000_000), t(1_003_600));
/// assert_eq!(expiry.expires_at(), t(1_000_000 - 10_800 + 3_600));
/// assert!(!expiry.is_expired(t(1_000_000 - 10_800 + 3_000), 300));
/// assert!(expiry.is_expired(t(1_000_000 - 10_800 + 3_300), 300));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expiry {
    received_at: UnixTime,
    expires_at: UnixTime,
    drift_secs: i64,
}

impl Expiry {
    /// From the token's `iat` and `exp` (server clock) and the local time it was received.
    #[must_use]
    pub fn from_claims(received_at: UnixTime, iat: UnixTime, exp: UnixTime) -> Self {
        let drift_secs = clock_drift(received_at, iat);
        Self {
            received_at,
            expires_at: server_to_local(exp, drift_secs),
            drift_secs,
        }
    }

    /// From `ExpiresIn` alone, when the token's claims are not available: valid for
    /// `expires_in` seconds from `received_at` (the drift is then unknown and reported as 0).
    #[must_use]
    pub fn from_expires_in(received_at: UnixTime, expires_in: u64) -> Self {
        Self {
            received_at,
            expires_at: UnixTime::from_secs(received_at.as_secs().saturating_add(expires_in)),
            drift_secs: 0,
        }
    }

    /// The local time the tokens were received.
    #[must_use]
    pub fn received_at(&self) -> UnixTime {
        self.received_at
    }

    /// The local time the tokens expire (`exp + drift`).
    #[must_use]
    pub fn expires_at(&self) -> UnixTime {
        self.expires_at
    }

    /// Local minus server clock when the tokens were received, in seconds.
    #[must_use]
    pub fn drift_secs(&self) -> i64 {
        self.drift_secs
    }

    /// Seconds of validity left at local time `now` (0 once expired).
    #[must_use]
    pub fn remaining(&self, now: UnixTime) -> u64 {
        self.expires_at.as_secs().saturating_sub(now.as_secs())
    }

    /// Whether the tokens are expired at local time `now`, or will be within `margin_secs`.
    ///
    /// A clock that went back before [`received_at`](Self::received_at) (an RTC reset, say)
    /// can no longer measure the tokens' age, so they count as expired: a refresh re-anchors
    /// the drift.
    #[must_use]
    pub fn is_expired(&self, now: UnixTime, margin_secs: u64) -> bool {
        now < self.received_at
            || now.as_secs().saturating_add(margin_secs) >= self.expires_at.as_secs()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn t(secs: u64) -> UnixTime {
        UnixTime::from_secs(secs)
    }

    #[test]
    fn drift_saturates() {
        assert_eq!(clock_drift(t(u64::MAX), t(0)), i64::MAX);
        assert_eq!(clock_drift(t(0), t(u64::MAX)), i64::MIN);
        assert_eq!(clock_drift(t(0), t(1 << 63)), i64::MIN);
        assert_eq!(clock_drift(t(0), t((1 << 63) + 1)), i64::MIN);
        assert_eq!(server_to_local(t(5), i64::MIN), t(0));
        assert_eq!(server_to_local(t(u64::MAX - 1), 5), t(u64::MAX));
    }

    #[test]
    fn expired_edges() {
        let e = Expiry::from_expires_in(t(100), 3600);
        assert_eq!(e.expires_at(), t(3700));
        assert!(!e.is_expired(t(3699), 0));
        assert!(e.is_expired(t(3700), 0));
        assert!(e.is_expired(t(3400), 300));
        assert!(e.is_expired(t(99), 0));
        assert!(e.is_expired(t(100), u64::MAX));
        assert_eq!(e.remaining(t(3000)), 700);
        assert_eq!(e.remaining(t(9000)), 0);
    }
}
