//! Tests of the JSON writer: escaping, structure, buffer handling, and agreement with serde_json.

use std::collections::BTreeMap;

use cognito_core::BufferTooSmall;
use cognito_core::wire::{JsonWriter, encode_json, encoded_len};
use proptest::prelude::*;

fn to_string(write: impl Fn(&mut JsonWriter<'_>)) -> String {
    let len = encoded_len(&write);
    let mut buf = vec![0u8; len];
    assert_eq!(encode_json(&mut buf, &write), Ok(len));
    String::from_utf8(buf).unwrap()
}

#[test]
fn escapes_quotes_backslashes_and_controls() {
    assert_eq!(to_string(|w| w.string(r#"a"b\c/"#)), r#""a\"b\\c/""#);
    for c in 0u8..0x20 {
        let s = char::from(c).to_string();
        let expected = match c {
            0x08 => "\"\\b\"".to_string(),
            0x0c => "\"\\f\"".to_string(),
            b'\n' => "\"\\n\"".to_string(),
            b'\r' => "\"\\r\"".to_string(),
            b'\t' => "\"\\t\"".to_string(),
            _ => format!("\"\\u{c:04x}\""),
        };
        assert_eq!(to_string(|w| w.string(&s)), expected, "control {c:#x}");
    }
    // DEL and everything non-ASCII are written verbatim.
    assert_eq!(
        to_string(|w| w.string("\u{7f}é中😀\u{2028}")),
        "\"\u{7f}é中😀\u{2028}\""
    );
}

#[test]
fn escapes_keys_and_key_parts() {
    let out = to_string(|w| {
        w.begin_object();
        w.key("a\"\n");
        w.u64(1);
        w.key_parts(&["userAttributes.", "custom:x\\"]);
        w.string("v");
        w.end_object();
    });
    assert_eq!(out, r#"{"a\"\n":1,"userAttributes.custom:x\\":"v"}"#);
}

#[test]
fn nested_structures_and_commas() {
    let out = to_string(|w| {
        w.begin_object();
        w.field_str("AuthFlow", "USER_SRP_AUTH");
        w.field_string_map("AuthParameters", &[("USERNAME", "u"), ("SRP_A", "ab")]);
        w.field_string_map("ClientMetadata", &[]);
        w.field_opt_str("Session", None);
        w.field_opt_str("ClientId", Some("c"));
        w.begin_array_field("list");
        w.begin_object();
        w.field_u64("n", 0);
        w.field_i64("m", -1);
        w.field_bool("b", false);
        w.end_object();
        w.begin_array();
        w.null();
        w.raw("{\"x\":[]}");
        w.end_array();
        w.string_raw_with(|s| {
            s.put(b"de");
            s.put(b"ad");
        });
        w.end_array();
        w.begin_object_field("empty");
        w.end_object();
        w.end_object();
    });
    assert_eq!(
        out,
        r#"{"AuthFlow":"USER_SRP_AUTH","AuthParameters":{"USERNAME":"u","SRP_A":"ab"},"ClientId":"c","list":[{"n":0,"m":-1,"b":false},[null,{"x":[]}],"dead"],"empty":{}}"#
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["list"][2], "dead");
}

#[test]
fn buffer_too_small_is_untouched_and_exact() {
    let write = |w: &mut JsonWriter<'_>| {
        w.begin_object();
        w.field_str("k", "v\n");
        w.end_object();
    };
    let needed = encoded_len(write);
    assert_eq!(needed, r#"{"k":"v\n"}"#.len());
    for size in 0..needed {
        let mut buf = vec![0x5Au8; size];
        assert_eq!(
            encode_json(&mut buf, write),
            Err(BufferTooSmall { required: needed })
        );
        assert!(buf.iter().all(|&b| b == 0x5A));
    }
    let mut buf = vec![0u8; needed + 3];
    assert_eq!(encode_json(&mut buf, write), Ok(needed));
    assert_eq!(&buf[needed..], &[0, 0, 0]);
}

proptest! {
    #[test]
    fn any_string_round_trips_through_serde(s in any::<String>()) {
        let out = to_string(|w| w.string(&s));
        let back: String = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(back, s);
    }

    #[test]
    fn escaping_matches_serde(s in "[\\x00-\\x7f]{0,40}") {
        // serde_json escapes exactly the same set (", \, controls) with the same short forms.
        let out = to_string(|w| w.string(&s));
        prop_assert_eq!(out, serde_json::to_string(&s).unwrap());
    }

    #[test]
    fn any_map_round_trips(map in proptest::collection::btree_map(any::<String>(), any::<String>(), 0..8)) {
        let entries: Vec<(&str, &str)> = map.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let out = to_string(|w| {
            w.begin_object();
            w.field_string_map("m", &entries);
            w.end_object();
        });
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        if map.is_empty() {
            prop_assert!(v.get("m").is_none());
        } else {
            let back: BTreeMap<String, String> = serde_json::from_value(v["m"].clone()).unwrap();
            prop_assert_eq!(back, map);
        }
    }

    #[test]
    fn integers_round_trip(u in any::<u64>(), i in any::<i64>()) {
        let out = to_string(|w| {
            w.begin_array();
            w.u64(u);
            w.i64(i);
            w.end_array();
        });
        let back: (u64, i64) = serde_json::from_str(&out).unwrap();
        prop_assert_eq!(back, (u, i));
    }
}
