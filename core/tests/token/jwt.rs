//! JWT payload decoding and claim accessors: Cognito-shaped tokens, malformed tokens, no panics.

use base64ct::{Base64Url, Base64UrlUnpadded, Encoding};
use cognito_core::BufferTooSmall;
use cognito_core::token::{Claims, Jwt, TokenError, TokenUse, decode_claims};
use proptest::prelude::*;
use serde_json::{Value, json};

const HEADER: &str = r#"{"kid":"abc123=","alg":"RS256"}"#;

fn jwt(payload: &[u8]) -> String {
    format!(
        "{}.{}.{}",
        Base64UrlUnpadded::encode_string(HEADER.as_bytes()),
        Base64UrlUnpadded::encode_string(payload),
        Base64UrlUnpadded::encode_string(b"not a real signature")
    )
}

fn access_payload() -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "device_key": "eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0",
        "cognito:groups": ["admin", "ops"],
        "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
        "client_id": "3n4b5urk1ft4fl3mg5e62d9ado",
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "event_id": "66666666-7777-8888-9999-000000000000",
        "token_use": "access",
        "scope": "aws.cognito.signin.user.admin openid",
        "auth_time": 1_767_600_000u64,
        "exp": 1_767_603_600u64,
        "iat": 1_767_600_000u64,
        "jti": "abcdefab-1234-5678-9abc-def012345678",
        "username": "alice"
    })
}

fn id_payload() -> Value {
    json!({
        "sub": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
        "cognito:groups": ["admin"],
        "email_verified": true,
        "iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123",
        "cognito:username": "alice",
        "origin_jti": "11111111-2222-3333-4444-555555555555",
        "aud": "3n4b5urk1ft4fl3mg5e62d9ado",
        "token_use": "id",
        "auth_time": 1_767_600_000u64,
        "custom:tier": "gold",
        "custom:seats": 5,
        "exp": 1_767_603_600u64,
        "iat": 1_767_600_000u64,
        "jti": "99999999-8888-7777-6666-555555555555",
        "email": "alice@example.com"
    })
}

#[test]
fn access_token_claims() {
    let token = jwt(access_payload().to_string().as_bytes());
    let mut buf = [0u8; 2048];
    let c = decode_claims(&token, &mut buf).unwrap();
    assert_eq!(c.token_use().unwrap(), Some(TokenUse::Access));
    assert!(
        c.sub()
            .unwrap()
            .unwrap()
            .eq_str("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee")
    );
    assert_eq!(c.username().unwrap().unwrap().as_plain(), Some("alice"));
    assert_eq!(c.exp().unwrap().unwrap().as_secs(), 1_767_603_600);
    assert_eq!(c.iat().unwrap().unwrap().as_secs(), 1_767_600_000);
    assert_eq!(c.auth_time().unwrap().unwrap().as_secs(), 1_767_600_000);
    assert_eq!(
        c.client_id().unwrap().unwrap().as_plain(),
        Some("3n4b5urk1ft4fl3mg5e62d9ado")
    );
    assert_eq!(c.aud().unwrap().count(), 0);
    assert!(c.origin_jti().unwrap().is_some());
    assert!(
        c.jti()
            .unwrap()
            .unwrap()
            .eq_str("abcdefab-1234-5678-9abc-def012345678")
    );
    assert_eq!(
        c.device_key().unwrap().unwrap().as_plain(),
        Some("eu-west-1_0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
    );
    let groups: Vec<String> = c
        .groups()
        .unwrap()
        .map(|g| g.to_fixed::<16>().unwrap().to_string())
        .collect();
    assert_eq!(groups, ["admin", "ops"]);
    assert_eq!(
        c.scopes().unwrap().collect::<Vec<_>>(),
        ["aws.cognito.signin.user.admin", "openid"]
    );
    assert!(c.email().unwrap().is_none());
    assert!(c.email_verified().unwrap().is_none());
    assert!(
        c.iss()
            .unwrap()
            .unwrap()
            .eq_str("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123")
    );
    assert!(c.get("event_id").unwrap().as_str().is_some());
    assert!(c.get("nope").is_none());
}

#[test]
fn id_token_claims() {
    let token = jwt(id_payload().to_string().as_bytes());
    let mut buf = [0u8; 2048];
    let c = decode_claims(&token, &mut buf).unwrap();
    assert_eq!(c.token_use().unwrap(), Some(TokenUse::Id));
    assert_eq!(c.username().unwrap().unwrap().as_plain(), Some("alice"));
    assert_eq!(
        c.client_id().unwrap().unwrap().as_plain(),
        Some("3n4b5urk1ft4fl3mg5e62d9ado")
    );
    assert_eq!(c.aud().unwrap().count(), 1);
    assert_eq!(c.email_verified().unwrap(), Some(true));
    assert!(c.email().unwrap().unwrap().eq_str("alice@example.com"));
    assert!(
        c.iss()
            .unwrap()
            .unwrap()
            .eq_str("https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEf123")
    );
    assert!(c.custom("tier").unwrap().as_str().unwrap().eq_str("gold"));
    assert!(matches!(
        c.custom("seats"),
        Some(cognito_core::wire::JsonValue::Number("5"))
    ));
    assert!(c.custom("tie").is_none());
    assert!(c.custom("").is_none());
    assert!(c.scope().unwrap().is_none());
    assert_eq!(c.scopes().unwrap().count(), 0);
}

#[test]
fn escaped_claims_are_decoded() {
    let payload = br#"{"iss":"https:\/\/cognito-idp.eu-west-1.amazonaws.com\/p","cognito:groups":["caf\u00e9"],"custom:n\u0061me":"x","email_verified":"false","aud":["a","b"]}"#;
    let mut buf = [0u8; 256];
    let c = decode_claims(&jwt(payload), &mut buf).unwrap();
    assert!(
        c.iss()
            .unwrap()
            .unwrap()
            .eq_str("https://cognito-idp.eu-west-1.amazonaws.com/p")
    );
    assert!(c.groups().unwrap().next().unwrap().eq_str("café"));
    assert!(c.custom("name").is_some());
    assert_eq!(c.email_verified().unwrap(), Some(false));
    assert_eq!(c.aud().unwrap().count(), 2);
    assert!(c.client_id().unwrap().unwrap().eq_str("a"));
}

#[test]
fn header_and_parts() {
    let token = jwt(b"{}");
    let parsed = Jwt::parse(&token).unwrap();
    let mut buf = [0u8; 64];
    let header = parsed.header(&mut buf).unwrap();
    assert!(header.require_str("alg").unwrap().eq_str("RS256"));
    assert_eq!(parsed.signing_input(), token.rsplit_once('.').unwrap().0);
    assert_eq!(parsed.payload_len(), Ok(2));
    // Debug shows no token text.
    let debug = format!("{parsed:?}");
    assert!(!debug.contains(parsed.signature_b64()));
}

#[test]
fn padded_parts_are_tolerated() {
    let payload = br#"{"sub":"x"}"#; // 11 bytes: one '=' of padding
    let token = format!(
        "{}.{}.sig",
        Base64Url::encode_string(HEADER.as_bytes()),
        Base64Url::encode_string(payload)
    );
    assert!(token.contains('='));
    let mut buf = [0u8; 32];
    let c = decode_claims(&token, &mut buf).unwrap();
    assert!(c.sub().unwrap().unwrap().eq_str("x"));
}

#[test]
fn too_small_buffer_reports_size_and_is_untouched() {
    let payload = access_payload().to_string();
    let token = jwt(payload.as_bytes());
    let mut buf = [0x5Au8; 100];
    let err = decode_claims(&token, &mut buf).unwrap_err();
    assert_eq!(
        err,
        TokenError::BufferTooSmall(BufferTooSmall {
            required: payload.len()
        })
    );
    assert!(buf.iter().all(|&b| b == 0x5A));
    let mut exact = vec![0u8; payload.len()];
    assert!(decode_claims(&token, &mut exact).is_ok());
}

#[test]
fn malformed_tokens() {
    let mut buf = [0u8; 256];
    let good = jwt(b"{}");
    let (h, rest) = good.split_once('.').unwrap();
    let cases: &[(&str, TokenError)] = &[
        ("", TokenError::Malformed),
        ("abc", TokenError::Malformed),
        ("a.b", TokenError::Malformed),
        ("a.b.c.d", TokenError::Malformed),
        ("Bearer a.b.c", TokenError::Malformed),
        ("a.e30=.c\n", TokenError::Malformed),
        ("a.e3+.c", TokenError::Malformed),
        ("a.e3/.c", TokenError::Malformed),
        ("a.é.c", TokenError::Malformed),
        ("a.e.c", TokenError::InvalidBase64),
        ("a.e31.c", TokenError::InvalidBase64),
        ("a.e30===.c", TokenError::InvalidBase64),
        ("a.e3=0.c", TokenError::InvalidBase64),
        ("a.bm90IGpzb24.c", TokenError::InvalidJson), // "not json"
        ("a.WzEsMl0.c", TokenError::NotAnObject),     // [1,2]
        ("a.IngiCg.c", TokenError::NotAnObject),      // "x"\n
        ("a._w.c", TokenError::InvalidJson),          // 0xFF, not UTF-8
    ];
    for (token, expected) in cases {
        assert_eq!(
            decode_claims(token, &mut buf).map(|_| ()),
            Err(*expected),
            "{token}"
        );
    }
    // The header is not decoded by `claims`, only checked for its alphabet.
    assert!(decode_claims(&format!("{h}.{}", rest), &mut buf).is_ok());
    // Deep nesting is rejected as invalid JSON, not by overflowing the stack.
    let deep = format!("{{\"a\":{}{}}}", "[".repeat(100_000), "]".repeat(100_000));
    let mut big = vec![0u8; deep.len()];
    assert_eq!(
        decode_claims(&jwt(deep.as_bytes()), &mut big).map(|_| ()),
        Err(TokenError::InvalidJson)
    );
}

#[test]
fn wrong_claim_types() {
    let payload = json!({
        "sub": 5, "exp": "tomorrow", "iat": -1, "auth_time": 1.5, "token_use": ["access"],
        "cognito:groups": "admin", "aud": 7, "email_verified": 1, "username": null,
        "cognito:username": false, "scope": "a\"b"
    });
    let mut buf = [0u8; 512];
    let c = decode_claims(&jwt(payload.to_string().as_bytes()), &mut buf).unwrap();
    assert_eq!(c.sub().unwrap_err(), TokenError::InvalidClaim("sub"));
    assert_eq!(c.exp().unwrap_err(), TokenError::InvalidClaim("exp"));
    assert_eq!(c.iat().unwrap_err(), TokenError::InvalidClaim("iat"));
    assert_eq!(c.auth_time().unwrap().unwrap().as_secs(), 1);
    assert_eq!(
        c.token_use().unwrap_err(),
        TokenError::InvalidClaim("token_use")
    );
    assert_eq!(
        c.groups().err(),
        Some(TokenError::InvalidClaim("cognito:groups"))
    );
    assert_eq!(c.aud().err(), Some(TokenError::InvalidClaim("aud")));
    assert_eq!(
        c.email_verified().unwrap_err(),
        TokenError::InvalidClaim("email_verified")
    );
    assert_eq!(
        c.username().unwrap_err(),
        TokenError::InvalidClaim("cognito:username")
    );
    assert_eq!(c.scopes().err(), Some(TokenError::InvalidClaim("scope")));
    assert_eq!(
        Claims::from_json(br#"{"token_use":"refresh"}"#)
            .unwrap()
            .token_use()
            .unwrap(),
        Some(TokenUse::Other)
    );
}

#[test]
fn errors_display() {
    for e in [
        TokenError::Malformed,
        TokenError::InvalidBase64,
        TokenError::InvalidJson,
        TokenError::NotAnObject,
        TokenError::InvalidClaim("exp"),
        TokenError::BufferTooSmall(BufferTooSmall { required: 3 }),
        TokenError::TooLong {
            field: "AccessToken",
            max: 4,
        },
    ] {
        let text = e.to_string();
        assert!(!text.is_empty());
        let _: &dyn core::error::Error = &e;
    }
}

/// Calls every accessor; none may panic.
fn exercise(c: &Claims<'_>) {
    let _ = c.sub();
    let _ = c.username();
    let _ = c.token_use();
    let _ = c.exp();
    let _ = c.iat();
    let _ = c.auth_time();
    let _ = c.client_id();
    let _ = c.aud().map(Iterator::count);
    let _ = c.groups().map(Iterator::count);
    let _ = c.origin_jti();
    let _ = c.jti();
    let _ = c.device_key();
    let _ = c.email();
    let _ = c.email_verified();
    let _ = c.scope();
    let _ = c.scopes().map(Iterator::count);
    let _ = c.iss();
    let _ = c.custom("x");
    let _ = c.get("sub");
}

fn claim_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        prop::collection::vec(any::<String>().prop_map(Value::String), 0..4).prop_map(Value::Array),
        prop::collection::vec(any::<u8>().prop_map(Value::from), 0..4).prop_map(Value::Array),
    ]
}

const NAMES: &[&str] = &[
    "sub",
    "username",
    "cognito:username",
    "token_use",
    "exp",
    "iat",
    "auth_time",
    "client_id",
    "aud",
    "cognito:groups",
    "origin_jti",
    "jti",
    "device_key",
    "email",
    "email_verified",
    "scope",
    "iss",
    "custom:x",
];

proptest! {
    #[test]
    fn arbitrary_tokens_never_panic(token in ".{0,200}") {
        let mut buf = [0u8; 256];
        if let Ok(c) = decode_claims(&token, &mut buf) {
            exercise(&c);
        }
        if let Ok(jwt) = Jwt::parse(&token) {
            let mut buf = [0u8; 256];
            let _ = jwt.header(&mut buf);
        }
    }

    #[test]
    fn arbitrary_token_shapes_never_panic(token in "[A-Za-z0-9_=.+/-]{0,120}") {
        let mut buf = [0u8; 128];
        if let Ok(c) = decode_claims(&token, &mut buf) {
            exercise(&c);
        }
    }

    #[test]
    fn arbitrary_payload_bytes(payload in prop::collection::vec(any::<u8>(), 0..300)) {
        let mut buf = [0u8; 300];
        let result = decode_claims(&jwt(&payload), &mut buf);
        let expected_object = serde_json::from_slice::<Value>(&payload)
            .map(|v| v.is_object())
            .ok();
        match result {
            Ok(c) => {
                prop_assert_eq!(expected_object, Some(true));
                exercise(&c);
            }
            Err(TokenError::NotAnObject) => prop_assert_eq!(expected_object, Some(false)),
            Err(TokenError::Malformed) => prop_assert!(payload.is_empty()),
            // serde_json accepts deeper nesting than the reader's limit; other failures agree.
            Err(TokenError::InvalidJson) => prop_assert!(expected_object != Some(true) || payload.len() > 128),
            Err(e) => prop_assert!(false, "unexpected {e:?}"),
        }
    }

    #[test]
    fn arbitrary_claim_values(
        members in prop::collection::vec((prop::sample::select(NAMES), claim_value()), 0..12)
    ) {
        let object: serde_json::Map<String, Value> =
            members.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let payload = Value::Object(object.clone()).to_string();
        let mut buf = vec![0u8; payload.len()];
        let c = decode_claims(&jwt(payload.as_bytes()), &mut buf).unwrap();
        exercise(&c);
        // String claims read back exactly; other types are typed errors.
        match object.get("sub") {
            None | Some(Value::Null) => prop_assert!(c.sub().unwrap().is_none()),
            Some(Value::String(s)) => prop_assert!(c.sub().unwrap().unwrap().eq_str(s)),
            Some(_) => prop_assert_eq!(c.sub().unwrap_err(), TokenError::InvalidClaim("sub")),
        }
        match object.get("exp") {
            None | Some(Value::Null) => prop_assert!(c.exp().unwrap().is_none()),
            Some(Value::Number(n)) if n.as_u64().is_some() => {
                prop_assert_eq!(c.exp().unwrap().unwrap().as_secs(), n.as_u64().unwrap());
            }
            Some(Value::Number(n)) if n.as_f64().is_some_and(|f| f.is_sign_positive() && f < 1.8e19) => {
                prop_assert_eq!(
                    c.exp().unwrap().unwrap().as_secs(),
                    n.as_f64().unwrap().trunc() as u64
                );
            }
            Some(_) => prop_assert_eq!(c.exp().unwrap_err(), TokenError::InvalidClaim("exp")),
        }
        if let Some(Value::Array(groups)) = object.get("cognito:groups") {
            if groups.iter().all(Value::is_string) {
                let read: Vec<String> = c.groups().unwrap().map(|g| g.chars().collect()).collect();
                let expected: Vec<String> =
                    groups.iter().map(|g| g.as_str().unwrap().to_owned()).collect();
                prop_assert_eq!(read, expected);
            } else {
                prop_assert!(c.groups().is_err());
            }
        }
    }
}
