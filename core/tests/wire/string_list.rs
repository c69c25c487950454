//! `StringList`: a list of strings read in place, from a JSON array or from a JSON array encoded
//! inside a JSON string (as Cognito sends `MFAS_CAN_CHOOSE`), against serde_json.

use cognito_core::ProtocolError;
use cognito_core::wire::{StringList, parse_object};
use proptest::prelude::*;

fn decoded(list: &StringList<'_>) -> Vec<String> {
    list.iter().map(|s| s.chars().collect()).collect()
}

/// Any string, with what JSON must escape (quotes, backslashes, controls) made likely.
fn element() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,12}",
        "[\"\\\\/\\n\\t\\u{0}-\\u{1f} a-z]{0,8}",
        Just("userAttributes.name".to_owned()),
        Just("😀é".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encoded_lists_decode_to_what_was_encoded(
        items in prop::collection::vec(element(), 0..6),
        pretty in any::<bool>(),
    ) {
        let array = if pretty {
            serde_json::to_string_pretty(&items).unwrap()
        } else {
            serde_json::to_string(&items).unwrap()
        };
        let body = serde_json::json!({"k": array, "a": items}).to_string();
        let obj = parse_object(body.as_bytes()).unwrap();
        let list = StringList::from_encoded(obj.require_str("k").unwrap(), "k").unwrap();
        prop_assert_eq!(decoded(&list), items.clone());
        prop_assert_eq!(list.len(), items.len());
        prop_assert_eq!(list.is_empty(), items.is_empty());
        for item in &items {
            prop_assert!(list.contains(item));
        }
        let list = StringList::from_array(obj.get_array("a").unwrap().unwrap(), "a").unwrap();
        prop_assert_eq!(decoded(&list), items);
    }

    #[test]
    fn any_encoded_text_is_a_list_exactly_when_serde_json_reads_one(text in "[\\[\\]\", a\\\\u0-9{}]{0,16}") {
        let body = serde_json::json!({ "k": text }).to_string();
        let obj = parse_object(body.as_bytes()).unwrap();
        let ours = StringList::from_encoded(obj.require_str("k").unwrap(), "k");
        match serde_json::from_str::<Vec<String>>(&text) {
            Ok(items) => prop_assert_eq!(decoded(&ours.unwrap()), items),
            Err(_) => prop_assert_eq!(ours.unwrap_err(), ProtocolError::InvalidField("k")),
        }
    }
}
