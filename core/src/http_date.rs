//! The HTTP `Date` header (RFC 7231 §7.1.1.1) to unix time and back, without a date crate.
//!
//! Devices without a real-time clock can set their clock from the `Date` header of any Cognito
//! reply. [`parse_http_date`] accepts the preferred IMF-fixdate form strictly and, as RFC 7231
//! asks of recipients, the two obsolete forms:
//!
//! * IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
//! * RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT` (two-digit years 70–99 are 19xx, 00–69 20xx)
//! * asctime: `Sun Nov  6 08:49:37 1994`
//!
//! Names are case-sensitive, every field must be in range, the weekday must match the date and
//! the year must be 1970 or later ([`UnixTime`] starts there). A leap second (`:60`) is read as
//! the first second of the next minute.

use core::fmt;

use crate::time::{UnixTime, civil_from_days};

/// Length of an IMF-fixdate, the form [`format_http_date`] writes.
pub const HTTP_DATE_LEN: usize = 29;

/// The last time an IMF-fixdate can show: 9999-12-31 23:59:59 GMT.
pub const MAX_HTTP_DATE: UnixTime = UnixTime::from_secs(253_402_300_799);

/// Why a `Date` value was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpDateError {
    /// Not one of the three date forms (wrong layout, unknown name, non-digit).
    Malformed,
    /// A field is out of range (day 31 in April, hour 24, a year before 1970 or after 9999).
    OutOfRange,
    /// The weekday name does not match the date.
    WrongWeekday,
}

impl fmt::Display for HttpDateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            HttpDateError::Malformed => "malformed HTTP date",
            HttpDateError::OutOfRange => "HTTP date field out of range",
            HttpDateError::WrongWeekday => "HTTP date weekday does not match the date",
        })
    }
}

impl core::error::Error for HttpDateError {}

/// Parses an HTTP date in any of the three RFC 7231 forms (surrounding spaces and tabs
/// ignored). A leap second (`:60`) reads as the next second; a time after [`MAX_HTTP_DATE`]
/// (only 9999-12-31 23:59:60 would be) is [`HttpDateError::OutOfRange`], so every parsed date
/// formats again.
///
/// ```
/// use cognito_core::http_date::parse_http_date;
/// let t = parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT")?;
/// assert_eq!(t.as_secs(), 784_111_777);
/// assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT")?, t);
/// assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994")?, t);
/// assert!(parse_http_date("Mon, 06 Nov 1994 08:49:37 GMT").is_err());
/// # Ok::<(), cognito_core::http_date::HttpDateError>(())
/// ```
pub fn parse_http_date(text: &str) -> Result<UnixTime, HttpDateError> {
    let text = text.trim_matches([' ', '\t']).as_bytes();
    let mut input = Input(text);
    let date = match text.get(3) {
        Some(b',') => imf_fixdate(&mut input)?,
        Some(b' ') => asctime(&mut input)?,
        _ => rfc850(&mut input)?,
    };
    if !input.0.is_empty() {
        return Err(HttpDateError::Malformed);
    }
    date.to_unix()
}

/// Formats `time` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`);
/// [`HttpDateError::OutOfRange`] after [`MAX_HTTP_DATE`].
///
/// ```
/// use cognito_core::http_date::format_http_date;
/// use cognito_core::time::UnixTime;
/// let text = format_http_date(UnixTime::from_secs(784_111_777))?;
/// assert_eq!(text.as_str(), "Sun, 06 Nov 1994 08:49:37 GMT");
/// # Ok::<(), cognito_core::http_date::HttpDateError>(())
/// ```
pub fn format_http_date(time: UnixTime) -> Result<heapless::String<HTTP_DATE_LEN>, HttpDateError> {
    if time > MAX_HTTP_DATE {
        return Err(HttpDateError::OutOfRange);
    }
    let secs = time.as_secs();
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let weekday = name(&WEEKDAYS, weekday_of(days));
    let month = name(&MONTHS, month.saturating_sub(1));
    let mut text = heapless::String::new();
    fmt::write(
        &mut text,
        format_args!(
            "{weekday}, {day:02} {month} {year:04} {:02}:{:02}:{:02} GMT",
            rem / 3600,
            rem % 3600 / 60,
            rem % 60
        ),
    )
    .map_err(|_| HttpDateError::OutOfRange)?;
    Ok(text)
}

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const LONG_WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn name(names: &[&'static str], index: u64) -> &'static str {
    usize::try_from(index)
        .ok()
        .and_then(|i| names.get(i))
        .copied()
        .unwrap_or("")
}

/// Day of the week of a day count since 1970-01-01 (a Thursday), 0 = Sunday.
fn weekday_of(days: u64) -> u64 {
    (days % 7 + 4) % 7
}

/// A date as written, before validation.
struct Fields {
    weekday: u64,
    day: u64,
    month: u64,
    year: u64,
    hour: u64,
    minute: u64,
    second: u64,
}

impl Fields {
    fn to_unix(&self) -> Result<UnixTime, HttpDateError> {
        let in_range = (1970..=9999).contains(&self.year)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60;
        if !in_range {
            return Err(HttpDateError::OutOfRange);
        }
        let days = days_from_civil(self.year, self.month, self.day);
        if weekday_of(days) != self.weekday {
            return Err(HttpDateError::WrongWeekday);
        }
        let time =
            UnixTime::from_secs(days * 86_400 + self.hour * 3600 + self.minute * 60 + self.second);
        // Only the leap second of 9999-12-31 gets here past the last time a date can show.
        if time > MAX_HTTP_DATE {
            return Err(HttpDateError::OutOfRange);
        }
        Ok(time)
    }
}

fn is_leap(year: u64) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

/// Days in `month` (1–12) of `year`; 0 for an invalid month.
fn days_in_month(year: u64, month: u64) -> u64 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date, for `year >= 1970`, `month` 1–12 and
/// `day` 1–31 (the inverse of `civil_from_days`; 400-year eras of 146 097 days, years starting
/// in March so the leap day comes last).
fn days_from_civil(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 {
        year.saturating_sub(1)
    } else {
        year
    };
    let era = year / 400;
    let year_of_era = year % 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = ((153 * month_from_march + 2) / 5 + day).saturating_sub(1);
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    (era * 146_097 + day_of_era).saturating_sub(719_468)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`
fn imf_fixdate(input: &mut Input<'_>) -> Result<Fields, HttpDateError> {
    let weekday = input.name(&WEEKDAYS)?;
    input.literal(b", ")?;
    let day = input.digits(2)?;
    input.literal(b" ")?;
    let month = input.name(&MONTHS)? + 1;
    input.literal(b" ")?;
    let year = input.digits(4)?;
    input.literal(b" ")?;
    let (hour, minute, second) = input.time_of_day()?;
    input.literal(b" GMT")?;
    Ok(Fields {
        weekday,
        day,
        month,
        year,
        hour,
        minute,
        second,
    })
}

/// `Sunday, 06-Nov-94 08:49:37 GMT`
fn rfc850(input: &mut Input<'_>) -> Result<Fields, HttpDateError> {
    let weekday = input.name(&LONG_WEEKDAYS)?;
    input.literal(b", ")?;
    let day = input.digits(2)?;
    input.literal(b"-")?;
    let month = input.name(&MONTHS)? + 1;
    input.literal(b"-")?;
    let short_year = input.digits(2)?;
    let year = if short_year >= 70 { 1900 } else { 2000 } + short_year;
    input.literal(b" ")?;
    let (hour, minute, second) = input.time_of_day()?;
    input.literal(b" GMT")?;
    Ok(Fields {
        weekday,
        day,
        month,
        year,
        hour,
        minute,
        second,
    })
}

/// `Sun Nov  6 08:49:37 1994`
fn asctime(input: &mut Input<'_>) -> Result<Fields, HttpDateError> {
    let weekday = input.name(&WEEKDAYS)?;
    input.literal(b" ")?;
    let month = input.name(&MONTHS)? + 1;
    input.literal(b" ")?;
    let day = if input.0.first() == Some(&b' ') {
        input.literal(b" ")?;
        input.digits(1)?
    } else {
        input.digits(2)?
    };
    input.literal(b" ")?;
    let (hour, minute, second) = input.time_of_day()?;
    input.literal(b" ")?;
    let year = input.digits(4)?;
    Ok(Fields {
        weekday,
        day,
        month,
        year,
        hour,
        minute,
        second,
    })
}

/// The unread rest of the input.
struct Input<'s>(&'s [u8]);

impl<'s> Input<'s> {
    fn take(&mut self, n: usize) -> Result<&'s [u8], HttpDateError> {
        let (head, tail) = self.0.split_at_checked(n).ok_or(HttpDateError::Malformed)?;
        self.0 = tail;
        Ok(head)
    }

    fn literal(&mut self, expected: &[u8]) -> Result<(), HttpDateError> {
        match self.0.strip_prefix(expected) {
            Some(rest) => {
                self.0 = rest;
                Ok(())
            }
            None => Err(HttpDateError::Malformed),
        }
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Result<u64, HttpDateError> {
        self.take(n)?.iter().try_fold(0u64, |acc, b| match b {
            b'0'..=b'9' => Ok(acc * 10 + u64::from(b - b'0')),
            _ => Err(HttpDateError::Malformed),
        })
    }

    /// One of `names` (case-sensitive), as its index.
    fn name(&mut self, names: &[&str]) -> Result<u64, HttpDateError> {
        let (index, found) = names
            .iter()
            .enumerate()
            .find(|(_, name)| self.0.starts_with(name.as_bytes()))
            .ok_or(HttpDateError::Malformed)?;
        self.take(found.len())?;
        u64::try_from(index).map_err(|_| HttpDateError::Malformed)
    }

    /// `HH:MM:SS`.
    fn time_of_day(&mut self) -> Result<(u64, u64, u64), HttpDateError> {
        let hour = self.digits(2)?;
        self.literal(b":")?;
        let minute = self.digits(2)?;
        self.literal(b":")?;
        Ok((hour, minute, self.digits(2)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_inverts_civil_from_days() {
        for days in (0..3_000_000u64).step_by(7) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(9999, 12, 31), 2_932_896);
    }

    #[test]
    fn month_lengths() {
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(2100, 2), 28);
        assert_eq!(days_in_month(2000, 2), 29);
        assert_eq!(days_in_month(2023, 13), 0);
        assert_eq!(days_in_month(2023, 0), 0);
    }
}
