//! Temporary AWS credentials from an identity pool, owned: what they are, when they expire on
//! the pool's clock and on the local one, and their ISO 8601 expiry for the AWS SDKs.

use core::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use cognito_core::time::UnixTime;
use cognito_core::token::server_to_local;
use zeroize::Zeroize;

use crate::redact::hide;

/// Temporary AWS credentials (an access key id, its secret key and a session token) from an
/// identity pool, with their expiry. The secret key and the session token are zeroized on drop;
/// `Debug` shows the key id and the expiry only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AwsCredentials {
    /// `AccessKeyId` (`AWS_ACCESS_KEY_ID`).
    pub access_key_id: String,
    /// `SecretKey` (`AWS_SECRET_ACCESS_KEY`; secret).
    pub secret_key: String,
    /// `SessionToken` (`AWS_SESSION_TOKEN`; secret).
    pub session_token: String,
    /// `Expiration`, as the identity pool said (its clock): what the AWS SDKs compare with.
    #[serde(with = "unix_seconds")]
    pub expiration: SystemTime,
    /// Local unix time they were received.
    pub received_at: u64,
    /// Local unix time they expire: `Expiration` corrected by the clock drift measured when
    /// they arrived (the reply's `Date`).
    pub expires_at: u64,
}

impl AwsCredentials {
    /// Owned credentials from the core's, received at local time `received_at` when the local
    /// clock was `drift_secs` ahead of the pool's.
    pub(crate) fn from_reply(
        credentials: &cognito_core::identity::AwsCredentials<'_>,
        received_at: UnixTime,
        drift_secs: i64,
    ) -> Self {
        Self {
            access_key_id: credentials.access_key_id.to_owned(),
            secret_key: credentials.secret_key.to_owned(),
            session_token: credentials.session_token.to_owned(),
            expiration: UNIX_EPOCH + Duration::from_secs(credentials.expiration.as_secs()),
            received_at: received_at.as_secs(),
            expires_at: server_to_local(credentials.expiration, drift_secs).as_secs(),
        }
    }

    /// Whether they are expired at local time `now` or will be within `margin_secs` (also when
    /// the clock went back before they arrived: their age can no longer be told).
    #[must_use]
    pub fn is_expired(&self, now: UnixTime, margin_secs: u64) -> bool {
        now.as_secs() < self.received_at
            || now.as_secs().saturating_add(margin_secs) >= self.expires_at
    }

    /// [`Self::expiration`] in ISO 8601 UTC, `2026-12-03T18:00:00Z`: the `Expiration` of a
    /// `credential_process` reply and `AWS_CREDENTIAL_EXPIRATION`.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// # let mut c = cognito_std::AwsCredentials { access_key_id: "ASIA".into(), secret_key: "s".into(),
    /// #     session_token: "t".into(), expiration: UNIX_EPOCH, received_at: 0, expires_at: 0 };
    /// c.expiration = UNIX_EPOCH + Duration::from_secs(1_796_320_800);
    /// assert_eq!(c.expiration_iso8601(), "2026-12-03T18:00:00Z");
    /// ```
    #[must_use]
    pub fn expiration_iso8601(&self) -> String {
        iso8601(unix_secs(self.expiration))
    }
}

/// Seconds since the epoch of `time` (0 before it).
fn unix_secs(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `secs` since the epoch as `YYYY-MM-DDTHH:MM:SSZ`.
fn iso8601(secs: u64) -> String {
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The proleptic Gregorian date `days` after 1970-01-01 (Howard Hinnant's algorithm, for
/// days that are not negative).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days.saturating_add(719_468);
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// `SystemTime` as whole seconds since the epoch in a session file.
mod unix_seconds {
    use std::time::{Duration, SystemTime, UNIX_EPOCH};

    pub(super) fn serialize<S: serde::Serializer>(
        time: &SystemTime,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(super::unix_secs(*time))
    }

    pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> Result<SystemTime, D::Error> {
        let secs: u64 = serde::Deserialize::deserialize(deserializer)?;
        UNIX_EPOCH
            .checked_add(Duration::from_secs(secs))
            .ok_or_else(|| serde::de::Error::custom("expiration out of range"))
    }
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_key", &hide(&self.secret_key))
            .field("session_token", &hide(&self.session_token))
            .field("expiration", &self.expiration_iso8601())
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// Wipes the secret key and the session token.
impl Zeroize for AwsCredentials {
    fn zeroize(&mut self) {
        self.secret_key.zeroize();
        self.session_token.zeroize();
    }
}

impl Drop for AwsCredentials {
    fn drop(&mut self) {
        self.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for AwsCredentials {}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn dates_are_iso8601_utc() {
        for (secs, text) in [
            (0, "1970-01-01T00:00:00Z"),
            (951_782_400, "2000-02-29T00:00:00Z"),
            (1_796_320_800, "2026-12-03T18:00:00Z"),
            (4_102_444_799, "2099-12-31T23:59:59Z"),
        ] {
            assert_eq!(iso8601(secs), text);
        }
    }

    #[test]
    fn expiry_is_on_the_local_clock() {
        let reply = cognito_core::identity::AwsCredentials {
            access_key_id: "ASIAEXAMPLE",
            secret_key: "secret",
            session_token: "token",
            expiration: UnixTime::from_secs(10_000),
        };
        // The local clock is 500 s behind the pool's.
        let c = AwsCredentials::from_reply(&reply, UnixTime::from_secs(6_000), -500);
        assert_eq!(c.expires_at, 9_500);
        assert!(!c.is_expired(UnixTime::from_secs(9_000), 400));
        assert!(c.is_expired(UnixTime::from_secs(9_100), 400));
        assert!(c.is_expired(UnixTime::from_secs(5_999), 0));
        let shown = format!("{c:?}");
        assert!(shown.contains("ASIAEXAMPLE"), "{shown}");
        assert!(
            !shown.contains("secret\"") && !shown.contains("token\""),
            "{shown}"
        );
        let json = serde_json::to_string(&c).unwrap();
        assert!(json.contains("\"expiration\":10000"), "{json}");
        assert_eq!(serde_json::from_str::<AwsCredentials>(&json).unwrap(), c);
    }
}
