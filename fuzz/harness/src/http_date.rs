//! The HTTP `Date` header (`cognito_core::http_date`) and the SRP `TIMESTAMP`
//! (`cognito_core::time::SrpTimestamp`), against a reference calendar written here (a day
//! count by 400-year eras and whole years, no shared code) and by round trips.
//!
//! Input: a mode byte; mode 0: the header text (lossy UTF-8); mode 1: 8 bytes of unix seconds
//! (big-endian), formatted; mode 2: 8 bytes of seconds, formatted, then mutated by the byte that
//! follows (a field changed), and parsed back.
//!
//! Properties: `parse_http_date` accepts exactly the three RFC 7231 forms as the reference
//! reads them (IMF-fixdate, RFC 850 with years 70–99 = 19xx, asctime with a space-padded day;
//! surrounding spaces and tabs ignored; names case-sensitive), with the same error (`Malformed`,
//! then `OutOfRange`, then `WrongWeekday`) and the same time; a parsed IMF-fixdate (second
//! below 60) formats back to its own text; `format_http_date` writes the reference's text up to
//! 9999-12-31 23:59:59 and refuses later times, and its output parses back to the same time;
//! `SrpTimestamp` writes `EEE MMM d HH:mm:ss UTC yyyy` as the reference does.

use cognito_core::http_date::{HttpDateError, MAX_HTTP_DATE, format_http_date, parse_http_date};
use cognito_core::time::{SrpTimestamp, UnixTime};

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
/// Days in 400 Gregorian years.
const ERA_DAYS: u64 = 146_097;

fn is_leap(y: u64) -> bool {
    y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400))
}

fn month_len(y: u64, m: u64) -> u64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date (year ≥ 1970): whole eras, then whole years, then
/// months.
fn days_of(y: u64, m: u64, d: u64) -> u64 {
    let eras = (y - 1970) / 400;
    let mut days = eras * ERA_DAYS;
    for year in 1970 + eras * 400..y {
        days += if is_leap(year) { 366 } else { 365 };
    }
    for month in 1..m {
        days += month_len(y, month);
    }
    days + d - 1
}

/// (year, month, day, weekday) of a day count.
fn civil(days: u64) -> (u64, u64, u64, usize) {
    let weekday = ((days + 4) % 7) as usize;
    let mut year = 1970 + days / ERA_DAYS * 400;
    let mut left = days % ERA_DAYS;
    loop {
        let len = if is_leap(year) { 366 } else { 365 };
        if left < len {
            break;
        }
        left -= len;
        year += 1;
    }
    let mut month = 1;
    while left >= month_len(year, month) {
        left -= month_len(year, month);
        month += 1;
    }
    (year, month, left + 1, weekday)
}

/// The reference formatter: IMF-fixdate.
fn format_ref(secs: u64) -> String {
    let (y, m, d, w) = civil(secs / 86_400);
    let rem = secs % 86_400;
    format!(
        "{}, {d:02} {} {y:04} {:02}:{:02}:{:02} GMT",
        WEEKDAYS[w],
        MONTHS[m as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The reference `TIMESTAMP`.
fn timestamp_ref(secs: u64) -> String {
    let (y, m, d, w) = civil(secs / 86_400);
    let rem = secs % 86_400;
    format!(
        "{} {} {d} {:02}:{:02}:{:02} UTC {y}",
        WEEKDAYS[w],
        MONTHS[m as usize - 1],
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// A date as written in one of the three forms.
struct Written {
    weekday: usize,
    day: u64,
    month: u64,
    year: u64,
    hms: (u64, u64, u64),
}

fn digits(s: &str) -> Option<u64> {
    (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}

fn index_of(names: &[&str], s: &str) -> Option<usize> {
    names.iter().position(|n| *n == s)
}

fn time_of_day(s: &str) -> Option<(u64, u64, u64)> {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    Some((digits(&s[0..2])?, digits(&s[3..5])?, digits(&s[6..8])?))
}

/// Reads the layout only (which form, which fields); `None` is `Malformed`.
fn read_form(text: &str) -> Option<Written> {
    if !text.is_ascii() {
        return None;
    }
    let b = text.as_bytes();
    // IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
    if b.len() == 29 && &text[3..5] == ", " && text.ends_with(" GMT") {
        if b[7] != b' ' || b[11] != b' ' || b[16] != b' ' {
            return None;
        }
        return Some(Written {
            weekday: index_of(&WEEKDAYS, &text[0..3])?,
            day: digits(&text[5..7])?,
            month: index_of(&MONTHS, &text[8..11])? as u64 + 1,
            year: digits(&text[12..16])?,
            hms: time_of_day(&text[17..25])?,
        });
    }
    // asctime: `Sun Nov  6 08:49:37 1994`
    if b.len() == 24 && b[3] == b' ' {
        if b[7] != b' ' || b[10] != b' ' || b[19] != b' ' {
            return None;
        }
        let day = match (b[8], &text[8..10]) {
            (b' ', two) => digits(&two[1..])?,
            (_, two) => digits(two)?,
        };
        return Some(Written {
            weekday: index_of(&WEEKDAYS, &text[0..3])?,
            day,
            month: index_of(&MONTHS, &text[4..7])? as u64 + 1,
            year: digits(&text[20..24])?,
            hms: time_of_day(&text[11..19])?,
        });
    }
    // RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
    let (name, rest) = text.split_once(", ")?;
    let weekday = index_of(&LONG_WEEKDAYS, name)?;
    let r = rest.as_bytes();
    if r.len() != 22 || r[2] != b'-' || r[6] != b'-' || r[9] != b' ' || !rest.ends_with(" GMT") {
        return None;
    }
    let short = digits(&rest[7..9])?;
    Some(Written {
        weekday,
        day: digits(&rest[0..2])?,
        month: index_of(&MONTHS, &rest[3..6])? as u64 + 1,
        year: if short >= 70 {
            1900 + short
        } else {
            2000 + short
        },
        hms: time_of_day(&rest[10..18])?,
    })
}

/// The reference parser.
fn parse_ref(text: &str) -> Result<u64, HttpDateError> {
    let text = text.trim_matches([' ', '\t']);
    let w = read_form(text).ok_or(HttpDateError::Malformed)?;
    let (h, mi, s) = w.hms;
    let valid = (1970..=9999).contains(&w.year)
        && (1..=12).contains(&w.month)
        && (1..=month_len(w.year, w.month)).contains(&w.day)
        && h < 24
        && mi < 60
        && s <= 60;
    if !valid {
        return Err(HttpDateError::OutOfRange);
    }
    let days = days_of(w.year, w.month, w.day);
    if (days + 4) % 7 != w.weekday as u64 {
        return Err(HttpDateError::WrongWeekday);
    }
    let secs = days * 86_400 + h * 3600 + mi * 60 + s;
    if secs > MAX_HTTP_DATE.as_secs() {
        return Err(HttpDateError::OutOfRange);
    }
    Ok(secs)
}

fn check_text(text: &str) {
    let ours = parse_http_date(text).map(UnixTime::as_secs);
    assert_eq!(ours, parse_ref(text), "parse_http_date({text:?})");
    if let Ok(secs) = ours {
        let formatted = format_http_date(UnixTime::from_secs(secs)).unwrap();
        assert_eq!(formatted.as_str(), format_ref(secs));
        assert_eq!(parse_http_date(&formatted), Ok(UnixTime::from_secs(secs)));
        let trimmed = text.trim_matches([' ', '\t']);
        let leap = trimmed.contains(":60");
        if trimmed.len() == 29
            && trimmed.ends_with(" GMT")
            && trimmed.as_bytes()[3] == b','
            && !leap
        {
            assert_eq!(
                formatted.as_str(),
                trimmed,
                "an IMF-fixdate formats back to itself"
            );
        }
    }
}

fn check_time(secs: u64) -> Option<String> {
    let ts = SrpTimestamp::new(UnixTime::from_secs(secs));
    assert_eq!(ts.as_str(), timestamp_ref(secs), "SrpTimestamp({secs})");
    match format_http_date(UnixTime::from_secs(secs)) {
        Ok(text) => {
            assert!(secs <= MAX_HTTP_DATE.as_secs());
            assert_eq!(text.as_str(), format_ref(secs));
            assert_eq!(parse_http_date(&text), Ok(UnixTime::from_secs(secs)));
            Some(text.as_str().to_owned())
        }
        Err(e) => {
            assert_eq!(e, HttpDateError::OutOfRange);
            assert!(secs > MAX_HTTP_DATE.as_secs());
            None
        }
    }
}

/// The harness.
pub fn http_date(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => check_text(&String::from_utf8_lossy(rest)),
        mode => {
            let Some((secs, rest)) = rest.split_first_chunk::<8>() else {
                return;
            };
            // Mostly dates a server sends: below 10000 AD unless the top bit says otherwise.
            let raw = u64::from_be_bytes(*secs);
            let secs = if raw >> 63 == 0 {
                raw % (MAX_HTTP_DATE.as_secs() + 2)
            } else {
                raw
            };
            let Some(text) = check_time(secs) else {
                return;
            };
            if mode == 2
                && let Some((&at, rest)) = rest.split_first()
            {
                let mut bytes = text.into_bytes();
                let i = usize::from(at) % bytes.len();
                bytes[i] = rest.first().copied().unwrap_or(b'0');
                check_text(&String::from_utf8_lossy(&bytes));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fuzz/regressions/http_date/leap-second-after-9999: the leap second of 9999-12-31 would
    /// be 10000-01-01 00:00:00, one second past `MAX_HTTP_DATE` (which `format_http_date`
    /// refuses); the parser refuses it too, so every parsed date formats.
    #[test]
    fn the_leap_second_of_9999_is_out_of_range() {
        assert_eq!(
            parse_http_date("Fri, 31 Dec 9999 23:59:60 GMT"),
            Err(HttpDateError::OutOfRange)
        );
        assert!(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT").is_ok());
        check_text("Fri, 31 Dec 9999 23:59:60 GMT");
    }
}
