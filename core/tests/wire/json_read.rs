//! Tests of the JSON reader: agreement with serde_json, rejection of malformed input, no panics.

use cognito_core::ProtocolError;
use cognito_core::wire::{JsonObject, JsonValue, MAX_DEPTH, parse_object};
use proptest::prelude::*;
use serde_json::Value;

const MALFORMED: ProtocolError = ProtocolError::MalformedJson;

fn arb_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn arb_object() -> impl Strategy<Value = serde_json::Map<String, Value>> {
    proptest::collection::btree_map(any::<String>(), arb_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

/// Re-encodes every non-ASCII character as `\uXXXX` escapes (surrogate pairs above U+FFFF).
/// Only strings hold non-ASCII text in JSON, so the result is equivalent JSON.
fn ascii_only(json: &str) -> String {
    let mut out = String::new();
    for c in json.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04X}"));
            }
        }
    }
    out
}

fn same_value(ours: JsonValue<'_>, theirs: &Value) -> bool {
    match (ours, theirs) {
        (JsonValue::Null, Value::Null) => true,
        (JsonValue::Bool(a), Value::Bool(b)) => a == *b,
        (JsonValue::Number(n), Value::Number(m)) => {
            if let Some(i) = m.as_i64() {
                n.parse::<i64>() == Ok(i)
            } else if let Some(u) = m.as_u64() {
                n.parse::<u64>() == Ok(u)
            } else {
                n.parse::<f64>().ok() == m.as_f64()
            }
        }
        (JsonValue::String(s), Value::String(t)) => {
            s.eq_str(t)
                && s.chars().collect::<String>() == *t
                && s.decoded_len() == t.len()
                && s.as_plain().is_none_or(|p| p == t)
        }
        (JsonValue::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_value(x, y))
        }
        (JsonValue::Object(o), Value::Object(m)) => same_object(o, m),
        _ => false,
    }
}

fn same_object(ours: JsonObject<'_>, theirs: &serde_json::Map<String, Value>) -> bool {
    ours.len() == theirs.len()
        && ours
            .iter()
            .zip(theirs.keys())
            .all(|((k, _), key)| k.eq_str(key))
        && theirs
            .iter()
            .all(|(k, v)| ours.get(k).is_some_and(|ov| same_value(ov, v)))
}

proptest! {
    #[test]
    fn agrees_with_serde_json(map in arb_object()) {
        let value = Value::Object(map.clone());
        for text in [
            serde_json::to_string(&value).unwrap(),
            serde_json::to_string_pretty(&value).unwrap(),
            ascii_only(&serde_json::to_string(&value).unwrap()),
        ] {
            let obj = parse_object(text.as_bytes()).unwrap();
            prop_assert!(same_object(obj, &map), "{}", text);
            prop_assert_eq!(obj.raw(), text.as_str());
        }
    }

    #[test]
    fn never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(obj) = parse_object(&bytes) {
            walk(JsonValue::Object(obj), 0);
        }
    }

    #[test]
    fn never_panics_on_jsonish_text(text in "[\\[\\]{}\",:0-9a-z\\\\ .eE+-]{0,64}") {
        let ours = parse_object(text.as_bytes());
        if let Ok(obj) = ours {
            walk(JsonValue::Object(obj), 0);
        }
        let theirs = serde_json::from_str::<Value>(&text);
        if let Err(e) = &theirs {
            prop_assume!(!e.to_string().contains("out of range"));
        }
        match theirs {
            Ok(Value::Object(_)) => prop_assert!(ours.is_ok(), "{}", text),
            Ok(_) => prop_assert_eq!(ours.unwrap_err(), ProtocolError::NotAnObject("body")),
            Err(_) => prop_assert_eq!(ours.unwrap_err(), MALFORMED),
        }
    }

    #[test]
    fn mutations_agree_with_serde_json(
        map in arb_object(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        op in 0u8..3,
    ) {
        let mut bytes = serde_json::to_vec(&Value::Object(map)).unwrap();
        let i = at.index(bytes.len() + 1);
        match op {
            0 => bytes.insert(i, byte),
            1 if i < bytes.len() => { bytes.remove(i); }
            _ if i < bytes.len() => bytes[i] = byte,
            _ => {}
        }
        let ours = parse_object(&bytes);
        if let Ok(obj) = ours {
            walk(JsonValue::Object(obj), 0);
        }
        let theirs = serde_json::from_slice::<Value>(&bytes);
        if let Err(e) = &theirs {
            prop_assume!(!e.to_string().contains("out of range"));
        }
        match theirs {
            Ok(Value::Object(_)) => prop_assert!(ours.is_ok()),
            Ok(_) => prop_assert_eq!(ours.unwrap_err(), ProtocolError::NotAnObject("body")),
            Err(_) => prop_assert_eq!(ours.unwrap_err(), MALFORMED),
        }
    }
}

/// Touches every accessor of every value.
fn walk(value: JsonValue<'_>, depth: usize) {
    assert!(depth <= MAX_DEPTH);
    match value {
        JsonValue::String(s) => {
            let decoded: String = s.chars().collect();
            assert!(s.eq_str(&decoded));
            assert_eq!(s.decoded_len(), decoded.len());
            let mut buf = vec![0u8; decoded.len()];
            assert_eq!(s.unescape_into(&mut buf).unwrap(), decoded);
            let _ = s.to_fixed::<8>();
            let _ = s.raw();
        }
        JsonValue::Array(a) => {
            assert_eq!(a.len(), a.iter().count());
            for v in a.iter() {
                walk(v, depth + 1);
            }
        }
        JsonValue::Object(o) => {
            assert_eq!(o.is_empty(), o.iter().next().is_none());
            for (k, v) in o.iter() {
                let key: String = k.chars().collect();
                assert!(o.get(&key).is_some());
                let _ = o.get_str("x");
                let _ = o.get_u64("x");
                let _ = o.get_i64("x");
                let _ = o.get_f64("x");
                let _ = o.get_bool("x");
                let _ = o.get_object("x");
                let _ = o.get_array("x");
                walk(v, depth + 1);
            }
        }
        JsonValue::Null | JsonValue::Bool(_) | JsonValue::Number(_) => {}
    }
}

#[test]
fn every_truncation_is_rejected() {
    let doc =
        r#"{"a":[1,-2.5e+3,true,false,null,{"b":"x\"\u00e9\ud83d\ude00é😀"}],"c":{}, "d" : [ ] }"#;
    assert!(parse_object(doc.as_bytes()).is_ok());
    for len in 0..doc.len() {
        assert_eq!(
            parse_object(&doc.as_bytes()[..len]).unwrap_err(),
            MALFORMED,
            "prefix {len}"
        );
    }
}

#[test]
fn bad_strings_are_rejected() {
    for doc in [
        r#"{"a":"\x"}"#,
        r#"{"a":"\u12"}"#,
        r#"{"a":"\u12g4"}"#,
        r#"{"a":"\U0041"}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\ud800x"}"#,
        r#"{"a":"\ud800\n"}"#,
        r#"{"a":"\ud800\ud800"}"#,
        r#"{"a":"\udc00"}"#,
        r#"{"a":"\udfff\ud800"}"#,
        r#"{"\ud800":1}"#,
        r#"{"a":'x'}"#,
        r#"{'a':"x"}"#,
        r#"{"a":"x}"#,
        r#"{"a":"\"}"#,
    ] {
        assert_eq!(
            parse_object(doc.as_bytes()).unwrap_err(),
            MALFORMED,
            "{doc}"
        );
    }
    for c in 0u8..0x20 {
        let doc = [b"{\"a\":\"x".as_slice(), &[c], b"\"}"].concat();
        assert_eq!(parse_object(&doc).unwrap_err(), MALFORMED, "control {c:#x}");
        let key = [b"{\"".as_slice(), &[c], b"\":1}"].concat();
        assert_eq!(parse_object(&key).unwrap_err(), MALFORMED, "control {c:#x}");
    }
    // DEL is not a control character for JSON.
    assert!(parse_object(b"{\"a\":\"\x7f\"}").is_ok());
}

#[test]
fn invalid_utf8_is_rejected() {
    for bad in [
        b"\xff".as_slice(),
        b"\xc0\x80",
        b"\xed\xa0\x80",
        b"\xe2\x82",
        b"\xf4\x90\x80\x80",
        b"\x80",
    ] {
        let doc = [b"{\"a\":\"".as_slice(), bad, b"\"}"].concat();
        assert_eq!(parse_object(&doc).unwrap_err(), MALFORMED);
        let doc = [b"{\"a\":1}".as_slice(), bad].concat();
        assert_eq!(parse_object(&doc).unwrap_err(), MALFORMED);
    }
}

#[test]
fn bad_numbers_literals_and_structure_are_rejected() {
    for doc in [
        r#"{"a":01}"#,
        r#"{"a":-01}"#,
        r#"{"a":00}"#,
        r#"{"a":1.}"#,
        r#"{"a":.5}"#,
        r#"{"a":+1}"#,
        r#"{"a":1e}"#,
        r#"{"a":1e+}"#,
        r#"{"a":-}"#,
        r#"{"a":0x10}"#,
        r#"{"a":NaN}"#,
        r#"{"a":Infinity}"#,
        r#"{"a":True}"#,
        r#"{"a":nul}"#,
        r#"{"a":1,}"#,
        r#"{,"a":1}"#,
        r#"{"a" 1}"#,
        r#"{"a":1 "b":2}"#,
        r#"{"a":[1,]}"#,
        r#"{"a":[1 2]}"#,
        r#"{"a":[}"#,
        r#"{"a":{]}"#,
        r#"{"a":1} x"#,
        r#"{"a":1}}"#,
        r#"{}{}"#,
        r#"{} // comment"#,
        "\u{feff}{}",
        "{\u{a0}}",
        "{\u{b}}",
        "",
        "   ",
    ] {
        assert_eq!(
            parse_object(doc.as_bytes()).unwrap_err(),
            MALFORMED,
            "{doc:?}"
        );
    }
}

#[test]
fn non_objects_are_named() {
    for doc in ["[]", "1", "\"s\"", "null", "true", " [ {} ] "] {
        assert_eq!(
            parse_object(doc.as_bytes()).unwrap_err(),
            ProtocolError::NotAnObject("body")
        );
    }
}

#[test]
fn deep_nesting_is_rejected_without_overflow() {
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(10_000), "]".repeat(10_000));
    assert_eq!(parse_object(deep.as_bytes()).unwrap_err(), MALFORMED);
    let open = "[".repeat(1_000_000);
    assert_eq!(parse_object(open.as_bytes()).unwrap_err(), MALFORMED);
    let objects = "{\"a\":".repeat(100_000);
    assert_eq!(parse_object(objects.as_bytes()).unwrap_err(), MALFORMED);

    // Exactly MAX_DEPTH levels (the top-level object counts) are fine, one more is not.
    let ok = format!(
        "{{\"a\":{}{}}}",
        "[".repeat(MAX_DEPTH - 1),
        "]".repeat(MAX_DEPTH - 1)
    );
    let obj = parse_object(ok.as_bytes()).unwrap();
    walk(JsonValue::Object(obj), 0);
    let too_deep = format!(
        "{{\"a\":{}{}}}",
        "[".repeat(MAX_DEPTH),
        "]".repeat(MAX_DEPTH)
    );
    assert_eq!(parse_object(too_deep.as_bytes()).unwrap_err(), MALFORMED);
}

#[test]
fn large_flat_document_is_fast() {
    // Linear time: a few MB of members and a long string parse quickly.
    let mut doc = String::from("{");
    for i in 0..100_000 {
        doc.push_str(&format!("\"k{i}\":[{i},\"v\\n{i}\"],"));
    }
    doc.push_str(&format!("\"long\":\"{}\"}}", "x\\\"".repeat(500_000)));
    let started = std::time::Instant::now();
    let obj = parse_object(doc.as_bytes()).unwrap();
    assert_eq!(obj.len(), 100_001);
    assert_eq!(obj.require_str("long").unwrap().decoded_len(), 1_000_000);
    assert!(started.elapsed().as_secs() < 20);
}

#[test]
fn duplicates_last_wins_and_keys_are_decoded() {
    let obj = parse_object(br#"{"a":1,"b":2,"a":3,"\u0063":"\u0041\/"}"#).unwrap();
    assert_eq!(obj.get_u64("a"), Ok(Some(3)));
    assert_eq!(obj.len(), 4);
    let c = obj.require_str("c").unwrap();
    assert_eq!(c.raw(), r"\u0041\/");
    assert!(c.eq_str("A/"));
    assert!(!c.eq_str("A"));
    assert!(!c.eq_str("A//"));
    assert_eq!(c.to_fixed::<8>().unwrap().as_str(), "A/");
    assert!(obj.get("\\u0063").is_none());
}

#[test]
fn typed_getters() {
    let obj = parse_object(
        br#"{"s":"x","n":null,"u":42,"neg":-3,"f":2.5,"e":1E2,"b":false,"o":{"k":"v"},
            "a":["x",1],"max":18446744073709551615,"over":18446744073709551616,"z":-0}"#,
    )
    .unwrap();
    assert_eq!(obj.require_str("s").unwrap().as_plain(), Some("x"));
    assert!(obj.get_str("n").unwrap().is_none());
    assert!(obj.get_str("missing").unwrap().is_none());
    assert_eq!(
        obj.require_str("n").unwrap_err(),
        ProtocolError::MissingField("n")
    );
    assert_eq!(
        obj.get_str("u").unwrap_err(),
        ProtocolError::InvalidField("u")
    );
    assert_eq!(obj.get_u64("u"), Ok(Some(42)));
    assert_eq!(obj.get_u64("max"), Ok(Some(u64::MAX)));
    assert_eq!(
        obj.get_u64("over"),
        Err(ProtocolError::InvalidField("over"))
    );
    assert_eq!(obj.get_u64("neg"), Err(ProtocolError::InvalidField("neg")));
    assert_eq!(obj.get_u64("f"), Err(ProtocolError::InvalidField("f")));
    assert_eq!(obj.get_u64("e"), Err(ProtocolError::InvalidField("e")));
    assert_eq!(obj.get_u64("s"), Err(ProtocolError::InvalidField("s")));
    assert_eq!(obj.get_u64("n"), Ok(None));
    assert_eq!(obj.get_i64("neg"), Ok(Some(-3)));
    assert_eq!(obj.get_i64("z"), Ok(Some(0)));
    assert_eq!(obj.get_i64("max"), Err(ProtocolError::InvalidField("max")));
    assert_eq!(obj.get_f64("e"), Ok(Some(100.0)));
    assert_eq!(obj.get_bool("b"), Ok(Some(false)));
    assert_eq!(obj.get_bool("u"), Err(ProtocolError::InvalidField("u")));
    let o = obj.require_object("o").unwrap();
    assert!(o.require_str("k").unwrap().eq_str("v"));
    assert_eq!(
        obj.get_object("a").unwrap_err(),
        ProtocolError::NotAnObject("a")
    );
    assert_eq!(
        obj.require_object("n").unwrap_err(),
        ProtocolError::MissingField("n")
    );
    let a = obj.get_array("a").unwrap().unwrap();
    assert_eq!(a.len(), 2);
    assert!(matches!(a.get(1), Some(JsonValue::Number("1"))));
    assert!(a.get(2).is_none());
    assert_eq!(
        obj.get_array("o").unwrap_err(),
        ProtocolError::InvalidField("o")
    );
    assert!(!obj.is_empty());
    assert!(parse_object(b" {\n} ").unwrap().is_empty());
}
