//! RFC 7231 IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), written from unix seconds.

use alloc::format;
use alloc::string::String;

use crate::timestamp::{MONTHS, WEEKDAYS, civil_from_days, weekday_of};

/// Formats `unix_secs` as an RFC 7231 IMF-fixdate, e.g. `Thu, 01 Jan 1970 00:00:00 GMT`.
pub fn format_imf_fixdate(unix_secs: u64) -> String {
    let days = unix_secs / 86_400;
    let rem = unix_secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS.get(weekday_of(days)).copied().unwrap_or("Thu");
    let month_name = MONTHS
        .get(month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("Jan");
    format!(
        "{weekday}, {day:02} {month_name} {year:04} {:02}:{:02}:{:02} GMT",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::format_imf_fixdate;

    #[test]
    fn known_dates() {
        assert_eq!(format_imf_fixdate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            format_imf_fixdate(784_111_777),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        assert_eq!(
            format_imf_fixdate(1_767_225_600),
            "Thu, 01 Jan 2026 00:00:00 GMT"
        );
        assert_eq!(
            format_imf_fixdate(951_825_600),
            "Tue, 29 Feb 2000 12:00:00 GMT"
        );
    }
}
