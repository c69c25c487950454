//! HTTP `Date` parsing and formatting: RFC 7231 forms, strict rejection, round trips, no panics.

use cognito_core::http_date::{
    HTTP_DATE_LEN, HttpDateError, MAX_HTTP_DATE, format_http_date, parse_http_date,
};
use cognito_core::time::{SrpTimestamp, UnixTime};
use proptest::prelude::*;

fn parse(text: &str) -> Result<u64, HttpDateError> {
    parse_http_date(text).map(UnixTime::as_secs)
}

#[test]
fn rfc_7231_examples() {
    assert_eq!(parse("Sun, 06 Nov 1994 08:49:37 GMT"), Ok(784_111_777));
    assert_eq!(parse("Sunday, 06-Nov-94 08:49:37 GMT"), Ok(784_111_777));
    assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Ok(784_111_777));
}

#[test]
fn known_dates() {
    assert_eq!(parse("Thu, 01 Jan 1970 00:00:00 GMT"), Ok(0));
    assert_eq!(parse("Mon, 05 Jan 2026 08:09:07 GMT"), Ok(1_767_600_547));
    assert_eq!(parse("Thu, 29 Feb 2024 00:00:00 GMT"), Ok(1_709_164_800));
    assert_eq!(parse("Tue, 29 Feb 2000 00:00:00 GMT"), Ok(951_782_400));
    assert_eq!(parse("Mon, 01 Mar 2100 00:00:00 GMT"), Ok(4_107_542_400));
    assert_eq!(parse("Tue, 19 Jan 2038 03:14:08 GMT"), Ok(1 << 31));
    assert_eq!(
        parse("Fri, 31 Dec 9999 23:59:59 GMT"),
        Ok(MAX_HTTP_DATE.as_secs())
    );
    // Surrounding whitespace (header OWS) is ignored.
    assert_eq!(parse(" \tThu, 01 Jan 1970 00:00:01 GMT \t"), Ok(1));
    // Leap second: the first second of the next minute.
    assert_eq!(parse("Wed, 31 Dec 2008 23:59:60 GMT"), Ok(1_230_768_000));
}

#[test]
fn obsolete_forms() {
    assert_eq!(parse("Thursday, 01-Jan-70 00:00:00 GMT"), Ok(0));
    assert_eq!(parse("Monday, 05-Jan-26 08:09:07 GMT"), Ok(1_767_600_547));
    assert_eq!(parse("Tuesday, 31-Dec-69 23:59:59 GMT"), Ok(3_155_759_999)); // 2069
    assert_eq!(parse("Mon Jan  5 08:09:07 2026"), Ok(1_767_600_547));
    assert_eq!(parse("Mon Jan 05 08:09:07 2026"), Ok(1_767_600_547));
    assert_eq!(parse("Thu Feb 29 00:00:00 2024"), Ok(1_709_164_800));
}

#[test]
fn rejections() {
    use HttpDateError::{Malformed, OutOfRange, WrongWeekday};
    let cases = [
        ("", Malformed),
        ("Sun, 06 Nov 1994 08:49:37", Malformed),
        ("Sun, 06 Nov 1994 08:49:37 UTC", Malformed),
        ("Sun, 06 Nov 1994 08:49:37 gmt", Malformed),
        ("sun, 06 Nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 06 nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 6 Nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 06 Nov 94 08:49:37 GMT", Malformed),
        ("Sun,  06 Nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 06 Nov 1994 8:49:37 GMT", Malformed),
        ("Sun, 06 Nov 1994 08:49:37 GMTX", Malformed),
        ("Sun, 06 Nov 1994 08:49:37 GMT, x", Malformed),
        ("Sun, 06 Nov 1994 08-49-37 GMT", Malformed),
        ("Sun, +6 Nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 06 Nov 1994 08:49:3٣ GMT", Malformed),
        ("Sunday, 06 Nov 1994 08:49:37 GMT", Malformed),
        ("Sun, 06-Nov-94 08:49:37 GMT", Malformed),
        ("Sunday, 06-Nov-1994 08:49:37 GMT", Malformed),
        ("Sun Nov 6 08:49:37 1994", Malformed),
        ("Sun Nov  6 08:49:37 94", Malformed),
        ("Sun Nov  6 08:49:37 1994 GMT", Malformed),
        ("Mon, 06 Nov 1994 08:49:37 GMT", WrongWeekday),
        ("Monday, 06-Nov-94 08:49:37 GMT", WrongWeekday),
        ("Mon Nov  6 08:49:37 1994", WrongWeekday),
        ("Wed, 31 Dec 1969 23:59:59 GMT", OutOfRange),
        ("Sun, 00 Nov 1994 08:49:37 GMT", OutOfRange),
        ("Sun, 31 Nov 1994 08:49:37 GMT", OutOfRange),
        ("Wed, 29 Feb 2023 00:00:00 GMT", OutOfRange),
        ("Mon, 29 Feb 2100 00:00:00 GMT", OutOfRange),
        ("Sun, 06 Nov 1994 24:00:00 GMT", OutOfRange),
        ("Sun, 06 Nov 1994 08:60:00 GMT", OutOfRange),
        ("Sun, 06 Nov 1994 08:49:61 GMT", OutOfRange),
        ("Sun, 06 Nov 0000 08:49:37 GMT", OutOfRange),
    ];
    for (text, expected) in cases {
        assert_eq!(parse(text), Err(expected), "{text:?}");
    }
}

#[test]
fn formatting() {
    let fmt = |secs| {
        format_http_date(UnixTime::from_secs(secs))
            .unwrap()
            .to_string()
    };
    assert_eq!(fmt(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    assert_eq!(fmt(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(fmt(1_709_164_800), "Thu, 29 Feb 2024 00:00:00 GMT");
    assert_eq!(
        fmt(MAX_HTTP_DATE.as_secs()),
        "Fri, 31 Dec 9999 23:59:59 GMT"
    );
    for secs in [MAX_HTTP_DATE.as_secs() + 1, u64::MAX] {
        assert_eq!(
            format_http_date(UnixTime::from_secs(secs)),
            Err(HttpDateError::OutOfRange)
        );
    }
}

#[test]
fn errors_display() {
    for e in [
        HttpDateError::Malformed,
        HttpDateError::OutOfRange,
        HttpDateError::WrongWeekday,
    ] {
        assert!(!e.to_string().is_empty());
        let _: &dyn core::error::Error = &e;
    }
}

/// Rewrites the SRP timestamp `Mon Jan 5 08:09:07 UTC 2026` (an independent formatter in
/// `time`) as asctime `Mon Jan  5 08:09:07 2026`.
fn srp_to_asctime(ts: &str) -> String {
    let f: Vec<&str> = ts.split(' ').collect();
    format!("{} {} {:>2} {} {}", f[0], f[1], f[2], f[3], f[5])
}

proptest! {
    #[test]
    fn format_then_parse_round_trips(secs in 0..=MAX_HTTP_DATE.as_secs()) {
        let text = format_http_date(UnixTime::from_secs(secs)).unwrap();
        prop_assert_eq!(text.len(), HTTP_DATE_LEN);
        prop_assert_eq!(parse(&text), Ok(secs));
    }

    #[test]
    fn agrees_with_the_srp_timestamp(secs in 0..=MAX_HTTP_DATE.as_secs()) {
        let ts = SrpTimestamp::new(UnixTime::from_secs(secs));
        prop_assert_eq!(parse(&srp_to_asctime(ts.as_str())), Ok(secs));
    }

    #[test]
    fn rfc850_round_trips_within_its_century(secs in 0u64..3_155_760_000) {
        // 1970-01-01 .. 2069-12-31: two-digit years are unambiguous there.
        let imf = format_http_date(UnixTime::from_secs(secs)).unwrap();
        let long_day = match &imf[..3] {
            "Sun" => "Sunday", "Mon" => "Monday", "Tue" => "Tuesday", "Wed" => "Wednesday",
            "Thu" => "Thursday", "Fri" => "Friday", _ => "Saturday",
        };
        let rfc850 = format!(
            "{long_day}, {}-{}-{} {} GMT", &imf[5..7], &imf[8..11], &imf[14..16], &imf[17..25]
        );
        prop_assert_eq!(parse(&rfc850), Ok(secs));
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,40}") {
        let _ = parse_http_date(&text);
    }

    #[test]
    fn mutated_dates_never_panic_and_rarely_parse(
        secs in 0..=MAX_HTTP_DATE.as_secs(),
        at in 0usize..HTTP_DATE_LEN,
        byte in any::<u8>(),
    ) {
        let mut bytes = format_http_date(UnixTime::from_secs(secs)).unwrap().as_bytes().to_vec();
        bytes[at] = byte;
        if let Ok(text) = String::from_utf8(bytes)
            && let Ok(parsed) = parse(&text) {
                // Whatever parses formats back to the same text (a changed digit may give
                // another valid date, but never one that reads differently), leap seconds
                // aside.
                let again = format_http_date(UnixTime::from_secs(parsed)).unwrap();
                if !text.contains(":60 ") {
                    prop_assert_eq!(again.as_str(), text.as_str());
                }
            }
    }
}
