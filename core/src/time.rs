//! Time as the core sees it: a unix time handed in by the caller, and the SRP `TIMESTAMP` string.
//!
//! The core never reads a clock. Devices without a real-time clock can take the time from the HTTP
//! `Date` header of any Cognito reply.

use core::fmt;

/// Seconds since the unix epoch (1970-01-01T00:00:00Z), as supplied by the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(u64);

impl UnixTime {
    /// A time in whole seconds since the epoch.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs)
    }

    /// A time in milliseconds since the epoch (sub-second part dropped).
    pub const fn from_millis(millis: u64) -> Self {
        Self(millis / 1000)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}

/// The `TIMESTAMP` of an SRP password claim: `EEE MMM d HH:mm:ss UTC yyyy` with English names,
/// a day of month that is **not** zero-padded, and a 24-hour clock, e.g. `Mon Jan 5 08:09:07 UTC 2026`.
///
/// ```
/// use cognito_core::time::{SrpTimestamp, UnixTime};
/// let ts = SrpTimestamp::new(UnixTime::from_secs(1_767_600_547));
/// assert_eq!(ts.as_str(), "Mon Jan 5 08:09:07 UTC 2026");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct SrpTimestamp {
    text: heapless::String<{ SrpTimestamp::MAX_LEN }>,
}

impl SrpTimestamp {
    /// The longest timestamp text (a 12-digit year, the most a `u64` of seconds reaches).
    pub const MAX_LEN: usize = 40;

    /// Formats `now` in UTC.
    pub fn new(now: UnixTime) -> Self {
        let secs = now.as_secs();
        let days = secs / 86_400;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        // 1970-01-01 was a Thursday.
        let weekday = WEEKDAYS
            .get(((days + 4) % 7) as usize)
            .copied()
            .unwrap_or("Thu");
        let month_name = MONTHS
            .get(month.saturating_sub(1) as usize)
            .copied()
            .unwrap_or("Jan");
        let mut text = heapless::String::new();
        // Cannot overflow: the longest possible output is below MAX_LEN.
        let _ = fmt::write(
            &mut text,
            format_args!(
                "{weekday} {month_name} {day} {:02}:{:02}:{:02} UTC {year}",
                rem / 3600,
                rem % 3600 / 60,
                rem % 60
            ),
        );
        Self { text }
    }

    /// The timestamp text.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for SrpTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl fmt::Debug for SrpTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SrpTimestamp({:?})", self.text.as_str())
    }
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Proleptic Gregorian (year, month 1..=12, day 1..=31) of a day count since 1970-01-01.
/// Uses the era-based conversion (400-year cycles of 146 097 days).
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    // Shift the epoch to 0000-03-01 so leap days fall at the end of a year.
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(secs: u64) -> String {
        SrpTimestamp::new(UnixTime::from_secs(secs))
            .as_str()
            .to_owned()
    }

    #[test]
    fn known_dates() {
        assert_eq!(ts(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(ts(1_767_600_547), "Mon Jan 5 08:09:07 UTC 2026");
        assert_eq!(ts(1_709_164_800), "Thu Feb 29 00:00:00 UTC 2024");
        assert_eq!(ts(1_752_537_599), "Mon Jul 14 23:59:59 UTC 2025");
        assert_eq!(ts(951_782_400), "Tue Feb 29 00:00:00 UTC 2000");
        assert_eq!(ts(4_107_542_400), "Mon Mar 1 00:00:00 UTC 2100");
        assert_eq!(
            UnixTime::from_millis(1_767_600_547_999).as_secs(),
            1_767_600_547
        );
    }

    #[test]
    fn never_panics_and_fits() {
        for secs in [
            u64::MAX,
            u64::MAX - 1,
            u64::MAX / 2,
            253_402_300_799,
            253_402_300_800,
        ] {
            let t = SrpTimestamp::new(UnixTime::from_secs(secs));
            assert!(t.as_str().ends_with(|c: char| c.is_ascii_digit()), "{t:?}");
        }
    }

    #[test]
    fn day_counting_matches_a_naive_calendar() {
        let (mut y, mut m, mut d) = (1970u64, 1u64, 1u64);
        for days in 0..200_000u64 {
            assert_eq!(civil_from_days(days), (y, m, d));
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            let month_len = match m {
                2 if leap => 29,
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            d += 1;
            if d > month_len {
                d = 1;
                m += 1;
                if m > 12 {
                    m = 1;
                    y += 1;
                }
            }
        }
    }
}
