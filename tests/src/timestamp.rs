//! Cognito's SRP `TIMESTAMP`: `EEE MMM d HH:mm:ss UTC yyyy` (Java `SimpleDateFormat`, English
//! names, UTC, 24-hour clock, day of month **not** zero-padded), e.g. `Mon Jan 5 08:09:07 UTC 2026`.
//!
//! [`format()`] writes it; [`parse`] reads it strictly, the way the emulator checks clients: exactly
//! one space between fields, a weekday that matches the date, no zero-padded day, two-digit
//! hour/minute/second, a four-digit year and a real calendar date.

use alloc::string::String;
use core::fmt;

/// English weekday names, Sunday first ([`weekday_of`] indexes them).
pub(crate) const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
/// English month names, January first.
pub(crate) const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SECS_PER_DAY: u64 = 86_400;

/// Why a `TIMESTAMP` was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampError {
    /// The text does not have the shape `EEE MMM d HH:mm:ss UTC yyyy` (this includes a zero-padded
    /// day, a one-digit hour, an unknown weekday or month name, extra spaces, another zone).
    Format,
    /// The fields have the right shape but name no real instant (Feb 30, hour 24, year < 1970).
    Date,
    /// The weekday does not match the date.
    Weekday,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Format => "TIMESTAMP is not in the format EEE MMM d HH:mm:ss UTC yyyy",
            Self::Date => "TIMESTAMP names no valid date and time",
            Self::Weekday => "TIMESTAMP weekday does not match its date",
        })
    }
}

impl core::error::Error for TimestampError {}

/// Formats unix seconds as a Cognito `TIMESTAMP`.
pub fn format(unix_secs: u64) -> String {
    let days = unix_secs / SECS_PER_DAY;
    let secs = unix_secs % SECS_PER_DAY;
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS.get(weekday_of(days)).copied().unwrap_or("???");
    let month_name = MONTHS
        .get(usize::try_from(month.saturating_sub(1)).unwrap_or(0))
        .copied()
        .unwrap_or("???");
    alloc::format!(
        "{weekday} {month_name} {day} {:02}:{:02}:{:02} UTC {year}",
        secs / 3600,
        (secs / 60) % 60,
        secs % 60
    )
}

/// Parses a Cognito `TIMESTAMP` strictly and returns its unix seconds.
pub fn parse(text: &str) -> Result<u64, TimestampError> {
    let mut fields = text.split(' ');
    let (Some(weekday), Some(month), Some(day), Some(clock), Some(zone), Some(year), None) = (
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
        fields.next(),
    ) else {
        return Err(TimestampError::Format);
    };
    let weekday = WEEKDAYS
        .iter()
        .position(|name| *name == weekday)
        .ok_or(TimestampError::Format)?;
    let month = MONTHS
        .iter()
        .position(|name| *name == month)
        .and_then(|index| u64::try_from(index + 1).ok())
        .ok_or(TimestampError::Format)?;
    if zone != "UTC" {
        return Err(TimestampError::Format);
    }
    // Day: one or two digits, no leading zero.
    if day.starts_with('0') || !(1..=2).contains(&day.len()) {
        return Err(TimestampError::Format);
    }
    let day = digits(day)?;
    let year = if year.len() == 4 {
        digits(year)?
    } else {
        return Err(TimestampError::Format);
    };
    let clock = clock.as_bytes();
    let (Some(h), Some(b':'), Some(m), Some(b':'), Some(s), None) = (
        clock.get(0..2),
        clock.get(2),
        clock.get(3..5),
        clock.get(5),
        clock.get(6..8),
        clock.get(8),
    ) else {
        return Err(TimestampError::Format);
    };
    let (hour, minute, second) = (digit_bytes(h)?, digit_bytes(m)?, digit_bytes(s)?);

    if year < 1970 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return Err(TimestampError::Date);
    }
    let days = days_from_civil(year, month, day);
    if weekday_of(days) != weekday {
        return Err(TimestampError::Weekday);
    }
    Ok(days * SECS_PER_DAY + hour * 3600 + minute * 60 + second)
}

fn digits(text: &str) -> Result<u64, TimestampError> {
    digit_bytes(text.as_bytes())
}

fn digit_bytes(text: &[u8]) -> Result<u64, TimestampError> {
    if text.is_empty() {
        return Err(TimestampError::Format);
    }
    text.iter().try_fold(0u64, |acc, &b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + u64::from(b - b'0'))
        } else {
            Err(TimestampError::Format)
        }
    })
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// 0 = Sunday; 1970-01-01 was a Thursday.
pub(crate) fn weekday_of(days_since_epoch: u64) -> usize {
    usize::try_from((days_since_epoch + 4) % 7).unwrap_or(0)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm), for years ≥ 1970.
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Inverse of [`days_from_civil`]: (year, month 1..=12, day 1..=31).
pub(crate) fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_known_instants() {
        assert_eq!(format(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(format(1_767_600_547), "Mon Jan 5 08:09:07 UTC 2026");
        assert_eq!(format(1_709_164_800), "Thu Feb 29 00:00:00 UTC 2024");
        assert_eq!(parse("Mon Jan 5 08:09:07 UTC 2026"), Ok(1_767_600_547));
        assert_eq!(parse("Thu Feb 29 00:00:00 UTC 2024"), Ok(1_709_164_800));
    }

    #[test]
    fn round_trips_over_many_days() {
        let mut t = 0u64;
        while t < 4_200_000_000 {
            assert_eq!(parse(&format(t)), Ok(t), "{}", format(t));
            t += 86_400 * 13 + 3_607;
        }
    }

    #[test]
    fn rejects_malformed() {
        use TimestampError::*;
        for (text, err) in [
            ("Mon Jan 05 08:09:07 UTC 2026", Format),
            ("Tue Jan 5 08:09:07 UTC 2026", Weekday),
            ("Mon Jan 5 8:09:07 UTC 2026", Format),
            ("Mon Jan  5 08:09:07 UTC 2026", Format),
            ("Mon Jan 5 08:09:07 GMT 2026", Format),
            ("Mon Jan 5 08:09:07 UTC 26", Format),
            ("mon Jan 5 08:09:07 UTC 2026", Format),
            ("Mon January 5 08:09:07 UTC 2026", Format),
            ("Mon Jan 5 08:09:07 UTC 2026 ", Format),
            ("Mon Jan 5 08:09 UTC 2026", Format),
            ("Mon Jan 5 08:09:07.123 UTC 2026", Format),
            ("Fri Feb 30 00:00:00 UTC 2024", Date),
            ("Mon Jan 5 24:00:00 UTC 2026", Date),
            ("", Format),
        ] {
            assert_eq!(parse(text), Err(err), "{text}");
        }
    }
}
