//! The owned token set: construction from a sign-in result, refresh, capacities, Debug.

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_core::auth::{AuthenticationResult, NewDeviceMetadata};
use cognito_core::time::UnixTime;
use cognito_core::token::{Expiry, MAX_DEVICE_KEY_LEN, TokenError, TokenSet, decode_claims};
use serde_json::{Value, json};

fn jwt(payload: &Value) -> String {
    format!(
        "eyJhbGciOiJSUzI1NiJ9.{}.c2lnbmF0dXJl",
        Base64UrlUnpadded::encode_string(payload.to_string().as_bytes())
    )
}

fn access(iat: u64, exp: u64, device_key: Option<&str>) -> String {
    let mut payload = json!({"token_use": "access", "iat": iat, "exp": exp, "username": "alice"});
    if let Some(key) = device_key {
        payload["device_key"] = json!(key);
    }
    jwt(&payload)
}

fn result<'r>(
    access: &'r str,
    id: Option<&'r str>,
    refresh: Option<&'r str>,
    new_device: Option<NewDeviceMetadata<'r>>,
) -> AuthenticationResult<'r> {
    AuthenticationResult {
        access_token: access,
        id_token: id,
        refresh_token: refresh,
        expires_in: 3600,
        token_type: "Bearer",
        new_device,
    }
}

const T0: u64 = 1_767_600_000;

#[test]
fn from_sign_in() {
    let access = access(T0, T0 + 3600, None);
    let id = jwt(&json!({"token_use": "id", "iat": T0, "exp": T0 + 3600}));
    let reply = result(
        &access,
        Some(&id),
        Some("refresh-token-1"),
        Some(NewDeviceMetadata {
            device_key: "eu-west-1_dev",
            device_group_key: "-group",
        }),
    );
    let set: TokenSet = TokenSet::from_auth_result(&reply, UnixTime::from_secs(T0)).unwrap();
    assert_eq!(set.access_token(), access);
    assert_eq!(set.id_token(), Some(id.as_str()));
    assert_eq!(set.refresh_token(), Some("refresh-token-1"));
    assert_eq!(set.token_type(), "Bearer");
    assert_eq!(set.expires_in(), 3600);
    assert_eq!(set.device_key(), Some("eu-west-1_dev"));
    assert_eq!(set.received_at(), UnixTime::from_secs(T0));
    assert_eq!(set.expiry().drift_secs(), 0);
    assert_eq!(set.expiry().expires_at(), UnixTime::from_secs(T0 + 3600));

    // The claims of the stored tokens can be read back.
    let mut buf = [0u8; 512];
    let claims = decode_claims(set.access_token(), &mut buf).unwrap();
    assert!(claims.username().unwrap().unwrap().eq_str("alice"));
}

#[test]
fn device_key_from_the_access_token() {
    let access = access(T0, T0 + 3600, Some("eu-west-1_remembered"));
    let set: TokenSet = TokenSet::from_auth_result(
        &result(&access, None, Some("r"), None),
        UnixTime::from_secs(T0),
    )
    .unwrap();
    assert_eq!(set.device_key(), Some("eu-west-1_remembered"));
    assert_eq!(set.id_token(), None);

    // A claim too long for the device-key storage is ignored rather than failing the set.
    let long = "k".repeat(MAX_DEVICE_KEY_LEN + 1);
    let access = self::access(T0, T0 + 3600, Some(&long));
    let set: TokenSet =
        TokenSet::from_auth_result(&result(&access, None, None, None), UnixTime::from_secs(T0))
            .unwrap();
    assert_eq!(set.device_key(), None);
}

#[test]
fn debug_hides_tokens() {
    let access = access(T0, T0 + 3600, None);
    let reply = result(
        &access,
        Some("secret-id-token"),
        Some("secret-refresh"),
        None,
    );
    let set: TokenSet = TokenSet::from_auth_result(&reply, UnixTime::from_secs(T0)).unwrap();
    let debug = format!("{set:?}");
    assert!(!debug.contains("secret"), "{debug}");
    assert!(!debug.contains(&access[20..40]), "{debug}");
    assert!(debug.contains("Bearer"));
}

#[test]
fn refresh_keeps_the_refresh_token_unless_rotated() {
    let first = access(T0, T0 + 3600, Some("eu-west-1_dev"));
    let mut set: TokenSet = TokenSet::from_auth_result(
        &result(&first, Some("id-1"), Some("refresh-1"), None),
        UnixTime::from_secs(T0),
    )
    .unwrap();

    let second = access(T0 + 3000, T0 + 6600, Some("eu-west-1_dev"));
    let mut reply = result(&second, Some("id-2"), None, None);
    reply.expires_in = 3600;
    set.update_from_refresh(&reply, UnixTime::from_secs(T0 + 3000))
        .unwrap();
    assert_eq!(set.access_token(), second);
    assert_eq!(set.id_token(), Some("id-2"));
    assert_eq!(set.refresh_token(), Some("refresh-1"));
    assert_eq!(set.device_key(), Some("eu-west-1_dev"));
    assert_eq!(set.received_at(), UnixTime::from_secs(T0 + 3000));
    assert_eq!(set.expiry().expires_at(), UnixTime::from_secs(T0 + 6600));

    // Rotation: a new refresh token replaces the old one; no id token clears it.
    let third = access(T0 + 6000, T0 + 9600, None);
    set.update_from_refresh(
        &result(&third, None, Some("refresh-2"), None),
        UnixTime::from_secs(T0 + 6000),
    )
    .unwrap();
    assert_eq!(set.refresh_token(), Some("refresh-2"));
    assert_eq!(set.id_token(), None);
    // The device key stays: refresh replies do not name the device.
    assert_eq!(set.device_key(), Some("eu-west-1_dev"));

    set.set_device_key(None).unwrap();
    assert_eq!(set.device_key(), None);
    set.set_device_key(Some("eu-west-1_other")).unwrap();
    assert_eq!(set.device_key(), Some("eu-west-1_other"));
    let long = "k".repeat(MAX_DEVICE_KEY_LEN + 1);
    assert_eq!(
        set.set_device_key(Some(&long)),
        Err(TokenError::TooLong {
            field: "DeviceKey",
            max: MAX_DEVICE_KEY_LEN
        })
    );
    assert_eq!(set.device_key(), Some("eu-west-1_other"));
}

#[test]
fn failed_refresh_changes_nothing() {
    let first = access(T0, T0 + 3600, None);
    let mut set: TokenSet<512, 64, 64> = TokenSet::from_auth_result(
        &result(&first, Some("id-1"), Some("refresh-1"), None),
        UnixTime::from_secs(T0),
    )
    .unwrap();
    let too_long = "x".repeat(65);
    let second = access(T0 + 100, T0 + 3700, None);
    let err = set
        .update_from_refresh(
            &result(&second, Some("id-2"), Some(&too_long), None),
            UnixTime::from_secs(T0 + 100),
        )
        .unwrap_err();
    assert_eq!(
        err,
        TokenError::TooLong {
            field: "RefreshToken",
            max: 64
        }
    );
    assert_eq!(set.access_token(), first);
    assert_eq!(set.id_token(), Some("id-1"));
    assert_eq!(set.refresh_token(), Some("refresh-1"));
    assert_eq!(set.received_at(), UnixTime::from_secs(T0));
}

#[test]
fn capacities_are_enforced() {
    let access = access(T0, T0 + 3600, None);
    let reply = result(&access, None, None, None);
    let err =
        TokenSet::<16, 16, 16>::from_auth_result(&reply, UnixTime::from_secs(T0)).unwrap_err();
    assert_eq!(
        err,
        TokenError::TooLong {
            field: "AccessToken",
            max: 16
        }
    );
    let long_key = "k".repeat(MAX_DEVICE_KEY_LEN + 1);
    let reply = result(
        &access,
        None,
        None,
        Some(NewDeviceMetadata {
            device_key: &long_key,
            device_group_key: "g",
        }),
    );
    assert!(matches!(
        TokenSet::<512, 16, 16>::from_auth_result(&reply, UnixTime::from_secs(T0)),
        Err(TokenError::TooLong {
            field: "DeviceKey",
            ..
        })
    ));
    let mut reply = result(&access, None, None, None);
    reply.token_type = "a-very-long-token-type";
    assert!(matches!(
        TokenSet::<512, 16, 16>::from_auth_result(&reply, UnixTime::from_secs(T0)),
        Err(TokenError::TooLong {
            field: "TokenType",
            ..
        })
    ));
}

#[test]
fn access_token_without_claims_falls_back_to_expires_in() {
    for token in ["opaque", "a.b.c", &jwt(&json!({"exp": T0 + 3600}))] {
        let set: TokenSet = TokenSet::from_auth_result(
            &result(token, None, Some("r"), None),
            UnixTime::from_secs(5),
        )
        .unwrap();
        assert_eq!(
            set.expiry(),
            Expiry::from_expires_in(UnixTime::from_secs(5), 3600),
            "{token}"
        );
    }
}
