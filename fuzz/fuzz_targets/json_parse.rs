//! `wire::parse_object` on arbitrary bytes, then every accessor on every value.
//!
//! Properties: nothing panics; the string accessors agree with one another (`chars`, `decoded_len`,
//! `unescape_into`, `to_string`, `eq_str`, `Display`, `as_plain`); `unescape_into` leaves a short
//! buffer untouched and reports the exact size; and the reader agrees with serde_json on which
//! documents are valid and on every decoded key, string and number value (differential oracle).
#![no_main]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::len_zero,
    missing_docs
)]

use cognito_core::ProtocolError;
use cognito_core::wire::{JsonArray, JsonObject, JsonStr, JsonValue, MAX_DEPTH, parse_object};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let ours = parse_object(data);
    let theirs = serde_json::from_slice::<serde_json::Value>(data);
    match (&ours, &theirs) {
        (Ok(obj), Ok(value)) => {
            let map = value
                .as_object()
                .unwrap_or_else(|| panic!("core read an object, serde_json read {value:?}"));
            compare_object(obj, map);
        }
        (Ok(_), Err(e)) => panic!("accepted by the core, rejected by serde_json: {e}"),
        (Err(ProtocolError::NotAnObject(_)), Ok(value)) => {
            assert!(!value.is_object(), "core says not an object: {value:?}");
        }
        (Err(ProtocolError::NotAnObject(_)), Err(e)) => {
            panic!("core says valid non-object JSON, serde_json rejects it: {e}")
        }
        (Err(e), Ok(value)) => {
            assert!(
                depth(value) > MAX_DEPTH,
                "rejected by the core ({e:?}), accepted by serde_json (depth {})",
                depth(value)
            );
        }
        (Err(_), Err(_)) => {}
    }
    if let Ok(obj) = ours {
        walk_object(&obj);
    }
});

/// Nesting depth as the core counts it (a top-level object is depth 1).
fn depth(value: &serde_json::Value) -> usize {
    match value {
        serde_json::Value::Array(items) => 1 + items.iter().map(depth).max().unwrap_or(0),
        serde_json::Value::Object(map) => 1 + map.values().map(depth).max().unwrap_or(0),
        _ => 0,
    }
}

fn compare_object(obj: &JsonObject<'_>, map: &serde_json::Map<String, serde_json::Value>) {
    // serde_json keeps the last of duplicate keys; compare members only when there are none.
    if obj.len() != map.len() {
        assert!(obj.len() > map.len(), "core lost members");
        return;
    }
    for ((key, value), (their_key, their_value)) in obj.iter().zip(map.iter()) {
        let key: String = key.chars().collect();
        assert_eq!(&key, their_key, "decoded keys differ");
        compare_value(&value, their_value);
    }
}

fn compare_array(array: &JsonArray<'_>, items: &[serde_json::Value]) {
    assert_eq!(array.len(), items.len(), "array lengths differ");
    for (value, their_value) in array.iter().zip(items) {
        compare_value(&value, their_value);
    }
}

fn compare_value(value: &JsonValue<'_>, theirs: &serde_json::Value) {
    use serde_json::Value as V;
    match (value, theirs) {
        (JsonValue::Null, V::Null) => {}
        (JsonValue::Bool(a), V::Bool(b)) => assert_eq!(a, b),
        (JsonValue::Number(text), V::Number(n)) => {
            // serde_json (`arbitrary_precision`) keeps the digits but rewrites exponents
            // (`1e308` → `1e+308`), so compare the values.
            let ours: f64 = text.parse().unwrap();
            let theirs: f64 = n.to_string().parse().unwrap();
            assert!(
                ours == theirs || (ours.is_nan() && theirs.is_nan()),
                "numbers differ: {text} vs {n}"
            );
        }
        (JsonValue::String(s), V::String(t)) => {
            assert_eq!(&s.chars().collect::<String>(), t, "decoded strings differ");
        }
        (JsonValue::Array(a), V::Array(items)) => compare_array(a, items),
        (JsonValue::Object(o), V::Object(map)) => compare_object(o, map),
        (ours, theirs) => panic!("value kinds differ: {ours:?} vs {theirs:?}"),
    }
}

/// Calls every accessor of every value (iteratively; depth is bounded by `MAX_DEPTH` anyway).
fn walk_object(root: &JsonObject<'_>) {
    let mut stack = vec![JsonValue::Object(*root)];
    while let Some(value) = stack.pop() {
        let _ = value.as_bool();
        let _ = value.is_null();
        match value {
            JsonValue::Object(obj) => {
                assert_eq!(obj.is_empty(), obj.len() == 0);
                assert!(obj.raw().starts_with('{') && obj.raw().ends_with('}'));
                let mut count = 0;
                for (key, member) in obj.iter() {
                    count += 1;
                    let decoded = check_str(&key);
                    assert!(
                        obj.get(&decoded).is_some(),
                        "get({decoded:?}) missed a member"
                    );
                    stack.push(member);
                }
                assert_eq!(count, obj.len());
                for key in [
                    "AuthenticationResult",
                    "ChallengeName",
                    "ChallengeParameters",
                    "Session",
                    "ExpiresIn",
                    "__type",
                    "message",
                    "a",
                    "",
                ] {
                    let _ = obj.get_str(key);
                    let _ = obj.require_str(key);
                    let _ = obj.get_object(key);
                    let _ = obj.require_object(key);
                    let _ = obj.get_array(key);
                    let _ = obj.get_bool(key);
                    let _ = obj.get_u64(key);
                    let _ = obj.get_i64(key);
                    let _ = obj.get_f64(key);
                }
            }
            JsonValue::Array(array) => {
                assert_eq!(array.is_empty(), array.len() == 0);
                assert!(array.raw().starts_with('[') && array.raw().ends_with(']'));
                let len = array.len();
                assert!(array.get(len).is_none());
                let mut count = 0;
                for (i, item) in array.iter().enumerate() {
                    count += 1;
                    assert!(array.get(i).is_some());
                    stack.push(item);
                }
                assert_eq!(count, len);
            }
            JsonValue::String(s) => {
                check_str(&s);
            }
            JsonValue::Number(text) => assert!(!text.is_empty()),
            JsonValue::Null | JsonValue::Bool(_) => {}
        }
    }
}

/// Checks that the string accessors agree; returns the decoded text.
fn check_str(s: &JsonStr<'_>) -> String {
    let decoded: String = s.chars().collect();
    assert_eq!(s.decoded_len(), decoded.len());
    assert!(s.eq_str(&decoded));
    assert_eq!(format!("{s}"), decoded, "Display");
    if let Some(plain) = s.as_plain() {
        assert_eq!(plain, decoded);
        assert_eq!(plain, s.raw());
    }
    let mut buf = vec![0u8; decoded.len() + 3];
    assert_eq!(s.unescape_into(&mut buf).unwrap(), decoded);
    let mut exact = vec![0u8; decoded.len()];
    assert_eq!(s.unescape_into(&mut exact).unwrap(), decoded);
    if !decoded.is_empty() {
        let mut short = vec![0xA5u8; decoded.len() - 1];
        let err = s.unescape_into(&mut short).unwrap_err();
        assert_eq!(err.required, decoded.len());
        assert!(short.iter().all(|&b| b == 0xA5), "short buffer was written");
    }
    let fixed = s.to_fixed::<16>();
    assert_eq!(fixed.is_some(), decoded.len() <= 16);
    if let Some(fixed) = fixed {
        assert_eq!(fixed.as_str(), decoded);
    }
    decoded
}
