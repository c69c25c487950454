//! `wire::parse_object` on arbitrary bytes, then every accessor on every value.
//!
//! Input: the body.
//!
//! Properties: nothing panics; the reader agrees with the reference reader (serde_json, see
//! [`crate::json_ref`]) on which documents are valid (up to the core's nesting limit,
//! [`MAX_DEPTH`]) and, for a valid object, on the whole tree: every member in document order
//! with duplicates, every decoded key and string, whether a string had escapes, every number's
//! exact text and every container's raw text; the string accessors agree with one another
//! (`chars`, `decoded_len`, `unescape_into`, `to_fixed`, `eq_str`, `Display`, `as_plain`);
//! `unescape_into` leaves a short buffer untouched and reports the exact size; `get` finds the
//! last member of a name, `len` counts what `iter` yields.

use cognito_core::ProtocolError;
use cognito_core::wire::{JsonObject, JsonStr, JsonValue, MAX_DEPTH, parse_object};

use crate::json_ref::{RefValue, object_from_core};

/// The harness.
pub fn json_parse(data: &[u8]) {
    let ours = parse_object(data);
    let theirs = RefValue::parse(data);
    match (&ours, &theirs) {
        (Ok(obj), Some(RefValue::Object(expected))) => {
            assert!(theirs.as_ref().is_some_and(|v| v.depth() <= MAX_DEPTH));
            assert_eq!(&object_from_core(obj), expected, "the trees differ");
        }
        (Ok(_), other) => panic!("accepted by the core, the reference read {other:?}"),
        (Err(ProtocolError::NotAnObject(what)), Some(value)) => {
            assert_eq!(*what, "body");
            assert!(
                !matches!(value, RefValue::Object(_)),
                "core says not an object"
            );
            assert!(
                value.depth() <= MAX_DEPTH,
                "NotAnObject past the depth limit"
            );
        }
        (Err(ProtocolError::NotAnObject(_)), None) => {
            panic!("core says valid non-object JSON, the reference rejects it")
        }
        (Err(ProtocolError::MalformedJson), Some(value)) => {
            assert!(
                value.depth() > MAX_DEPTH,
                "rejected by the core, accepted by the reference (depth {})",
                value.depth()
            );
        }
        (Err(ProtocolError::MalformedJson), None) => {}
        (Err(e), _) => panic!("parse_object returned an undocumented error {e:?}"),
    }
    if let Ok(obj) = ours {
        walk_object(&obj);
    }
}

/// Calls every accessor of every value (iteratively; depth is bounded by `MAX_DEPTH` anyway).
#[allow(clippy::len_zero)] // `is_empty` is checked against `len`.
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
                let members: Vec<_> = obj.iter().collect();
                for (key, member) in &members {
                    count += 1;
                    let decoded = check_str(key);
                    // `get` is the last member of that name.
                    let last = members
                        .iter()
                        .rev()
                        .find(|(k, _)| k.eq_str(&decoded))
                        .map(|(_, v)| *v);
                    let got = obj.get(&decoded).map(|v| crate::json_ref::from_core(&v));
                    assert_eq!(got, last.map(|v| crate::json_ref::from_core(&v)));
                    stack.push(*member);
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
