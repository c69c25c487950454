//! JWTs and what is kept of them (`cognito_core::token`): `Jwt::parse`, payload and header
//! decoding, every `Claims` accessor, and `TokenSet` (`from_auth_result`,
//! `update_from_refresh`, the expiry corrected for clock drift).
//!
//! Input: a mode byte, then
//! * mode 0: the token text;
//! * mode 1: the payload JSON, sent as `eyJhbGciOiJub25lIn0.<base64url(payload)>.c2ln`;
//! * mode 2: a `TokenSet` script: 8 bytes of local unix seconds and 4 of `ExpiresIn` (both
//!   big-endian), a flag byte (bit 0 id token, bit 1 refresh token, bit 2 `NewDeviceMetadata`,
//!   bit 3 small capacities, bits 4–6 the refresh reply's refresh token, `NewDeviceMetadata` and
//!   id token), then the access token's payload JSON and, after a `0xFF`, the payload of a
//!   refresh reply's access token.
//!
//! Properties: `Jwt::parse` accepts exactly three `.`-separated parts of base64url characters
//! (and `=`) with a non-empty header and payload; the parts, the signing input and the decoded
//! length are the reference's; decoding agrees with a reference base64url decoder (padding of
//! one or two `=` completing a multiple of four, canonical trailing bits) and honours the
//! buffer-too-small contract; every claim accessor returns what the reference reads from the
//! decoded payload (types, `null` as absent, NumericDates as non-negative seconds with the
//! fraction dropped, `aud` as a string or an array, `email_verified` as a boolean or its
//! string); a `TokenSet` keeps exactly the reply's values, takes the device key from
//! `NewDeviceMetadata` or the access token's claim, expires at `exp + (now − iat)` (saturating)
//! or `ExpiresIn` after receipt, refuses values over its capacities, keeps the old refresh token
//! and device key as documented on a refresh, changes nothing when a refresh fails, and never
//! shows a token in `Debug`.

use base64ct::{Base64UrlUnpadded, Encoding};
use cognito_core::auth::{AuthenticationResult, NewDeviceMetadata};
use cognito_core::time::UnixTime;
use cognito_core::token::{Claims, Jwt, TokenError, TokenSet, TokenUse, which_issuer};
use cognito_core::wire::{JsonStr, JsonValue};

use crate::json_ref::{RefObject, RefValue, from_core};
use crate::reply_ref::{self, M};

/// `{"alg":"none"}`.
const HEADER: &str = "eyJhbGciOiJub25lIn0";
/// The payload buffer `TokenSet` reads the access token's claims with (`CLAIMS_SCRATCH_LEN`).
const CLAIMS_SCRATCH_LEN: usize = 2048;

/// The harness.
pub fn token(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(text) = core::str::from_utf8(rest) {
                check_token(text);
            }
        }
        1 => check_token(&make_token(rest)),
        _ => token_set(rest),
    }
}

fn make_token(payload: &[u8]) -> String {
    format!(
        "{HEADER}.{}.c2ln",
        Base64UrlUnpadded::encode_string(payload)
    )
}

// --- Jwt ---------------------------------------------------------------------------------------

/// The reference split: three parts, header and payload non-empty, base64url characters or `=`.
fn split_ref(token: &str) -> Result<[&str; 3], TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    let [header, payload, signature] = parts[..] else {
        return Err(TokenError::Malformed);
    };
    let charset = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b))
    };
    if header.is_empty()
        || payload.is_empty()
        || ![header, payload, signature].iter().all(|p| charset(p))
    {
        return Err(TokenError::Malformed);
    }
    Ok([header, payload, signature])
}

/// The reference base64url decoder: optional padding of one or two `=` completing a multiple
/// of four, no other `=`, no impossible length, zero trailing bits.
fn decode_ref(part: &str) -> Result<Vec<u8>, TokenError> {
    let unpadded = part.trim_end_matches('=');
    let pad = part.len() - unpadded.len();
    if pad > 0 && !(pad <= 2 && part.len().is_multiple_of(4)) {
        return Err(TokenError::InvalidBase64);
    }
    if unpadded.len() % 4 == 1 {
        return Err(TokenError::InvalidBase64);
    }
    let (mut acc, mut bits, mut out) = (0u32, 0u32, Vec::new());
    for c in unpadded.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return Err(TokenError::InvalidBase64),
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if acc != 0 {
        return Err(TokenError::InvalidBase64);
    }
    Ok(out)
}

/// The decoded length the core must report (before decoding: length and padding only).
fn decoded_len_ref(part: &str) -> Result<usize, TokenError> {
    let unpadded = part.trim_end_matches('=');
    let pad = part.len() - unpadded.len();
    if pad > 0 && !(pad <= 2 && part.len().is_multiple_of(4)) {
        return Err(TokenError::InvalidBase64);
    }
    match unpadded.len() % 4 {
        1 => Err(TokenError::InvalidBase64),
        r => Ok(unpadded.len() / 4 * 3 + r * 3 / 4),
    }
}

fn check_token(token: &str) {
    let parsed = Jwt::parse(token);
    let parts = split_ref(token);
    let (jwt, [header, payload, signature]) = match (parsed, parts) {
        (Ok(jwt), Ok(parts)) => (jwt, parts),
        (Err(e), Err(r)) => return assert_eq!(e, r),
        (ours, theirs) => panic!("Jwt::parse {ours:?}, reference {theirs:?}"),
    };
    assert_eq!(jwt.header_b64(), header);
    assert_eq!(jwt.payload_b64(), payload);
    assert_eq!(jwt.signature_b64(), signature);
    assert_eq!(jwt.signing_input(), format!("{header}.{payload}"));
    // `Debug` shows the lengths only.
    assert_eq!(
        format!("{jwt:?}"),
        format!(
            "Jwt {{ header_len: {}, payload_len: {}, signature_len: {} }}",
            header.len(),
            payload.len(),
            signature.len()
        )
    );

    let len = jwt.payload_len();
    assert_eq!(len, decoded_len_ref(payload));
    let mut buf = vec![0u8; len.unwrap_or(0)];
    let decoded = jwt.decode_payload(&mut buf).map(<[u8]>::to_vec);
    let expected = decode_ref(payload);
    assert_eq!(decoded, expected, "payload decoding");
    if let Ok(n @ 1..) = len {
        let mut short = vec![0xA5u8; n - 1];
        match jwt.decode_payload(&mut short) {
            Err(TokenError::BufferTooSmall(e)) => assert_eq!(e.required, n),
            other => panic!("expected BufferTooSmall, got {other:?}"),
        }
        assert!(short.iter().all(|&b| b == 0xA5), "short buffer was written");
    }

    let mut header_buf = vec![0u8; decoded_len_ref(header).unwrap_or(0)];
    let ours = jwt
        .header(&mut header_buf)
        .map(|o| RefValue::Object(crate::json_ref::object_from_core(&o)));
    let theirs = decode_ref(header).and_then(|h| json_object(&h).map(RefValue::Object));
    assert_eq!(ours, theirs, "header");

    let mut claims_buf = vec![0u8; len.unwrap_or(0)];
    let claims = jwt.claims(&mut claims_buf);
    let reference = expected.and_then(|p| json_object(&p));
    check_which_issuer(token, reference.as_ref().ok());
    match (claims, reference) {
        (Ok(claims), Ok(obj)) => check_claims(&claims, &obj),
        (Err(e), Err(r)) => assert_eq!(e, r),
        (ours, theirs) => panic!("claims {ours:?}, reference {theirs:?}"),
    }
}

/// `which_issuer` finds the token's own `iss` (a string, as the reference decodes it) among
/// other issuers, and nothing when the claims cannot be read or `iss` is absent or no string.
fn check_which_issuer(token: &str, claims: Option<&RefObject>) {
    const OTHER: &str = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other";
    let mut buf = vec![0u8; token.len()];
    let iss = claims
        .and_then(|obj| obj.get("iss"))
        .and_then(RefValue::as_str)
        .map(|iss| iss.text.as_str());
    let (found, expected) = match iss {
        // The first match wins: OTHER itself is found at 0.
        Some(iss) => (
            which_issuer(token, &[OTHER, iss], &mut buf),
            Some(usize::from(iss != OTHER)),
        ),
        None => (which_issuer(token, &[OTHER], &mut buf), None),
    };
    assert_eq!(found, expected, "which_issuer");
}

/// Decoded JSON as the claims reader must read it.
fn json_object(json: &[u8]) -> Result<RefObject, TokenError> {
    reply_ref::parse_object(json).map_err(|e| match e {
        cognito_core::ProtocolError::NotAnObject(_) => TokenError::NotAnObject,
        _ => TokenError::InvalidJson,
    })
}

// --- Claims ------------------------------------------------------------------------------------

type R = Result<M, TokenError>;

fn s(j: &JsonStr<'_>) -> M {
    M::Str(j.chars().collect())
}

fn opt_s(j: Option<JsonStr<'_>>) -> M {
    j.as_ref().map_or(M::None, s)
}

fn time(t: Option<UnixTime>) -> M {
    t.map_or(M::None, |t| M::U64(t.as_secs()))
}

fn value(v: Option<JsonValue<'_>>) -> M {
    v.map_or(M::None, |v| M::Json(from_core(&v)))
}

fn check_claims(c: &Claims<'_>, obj: &RefObject) {
    let ours: Vec<(&str, R)> = vec![
        ("sub", c.sub().map(opt_s)),
        ("username", c.username().map(opt_s)),
        (
            "token_use",
            c.token_use().map(|u| {
                u.map_or(M::None, |u| {
                    M::Str(
                        match u {
                            TokenUse::Access => "access",
                            TokenUse::Id => "id",
                            TokenUse::Other => "other",
                        }
                        .to_owned(),
                    )
                })
            }),
        ),
        ("exp", c.exp().map(time)),
        ("iat", c.iat().map(time)),
        ("auth_time", c.auth_time().map(time)),
        ("client_id", c.client_id().map(opt_s)),
        ("aud", c.aud().map(|a| M::List(a.map(|x| s(&x)).collect()))),
        (
            "cognito:groups",
            c.groups().map(|g| M::List(g.map(|x| s(&x)).collect())),
        ),
        ("origin_jti", c.origin_jti().map(opt_s)),
        ("jti", c.jti().map(opt_s)),
        ("device_key", c.device_key().map(opt_s)),
        ("email", c.email().map(opt_s)),
        (
            "email_verified",
            c.email_verified().map(|b| b.map_or(M::None, M::Bool)),
        ),
        ("scope", c.scope().map(opt_s)),
        (
            "scopes",
            c.scopes()
                .map(|it| M::List(it.map(|x| M::Str(x.to_owned())).collect())),
        ),
        ("iss", c.iss().map(opt_s)),
        ("get(sub)", Ok(value(c.get("sub")))),
        ("get(exp)", Ok(value(c.get("exp")))),
        ("custom(tier)", Ok(value(c.custom("tier")))),
        ("custom()", Ok(value(c.custom("")))),
    ];
    let theirs = claims_ref(obj);
    for ((name, ours), (_, theirs)) in ours.iter().zip(&theirs) {
        assert_eq!(ours, theirs, "claim accessor {name}");
    }
    assert_eq!(
        RefValue::Object(crate::json_ref::object_from_core(&c.as_object())),
        RefValue::Object(obj.clone())
    );
}

/// The claims as the reference reads them, in the order of `check_claims`.
fn claims_ref(o: &RefObject) -> Vec<(&'static str, R)> {
    let string = |key: &'static str| -> R {
        match o.present(key) {
            None => Ok(M::None),
            Some(RefValue::String(s)) => Ok(M::Str(s.text.clone())),
            Some(_) => Err(TokenError::InvalidClaim(key)),
        }
    };
    let date = |key: &'static str| -> R {
        match o.present(key) {
            None => Ok(M::None),
            Some(RefValue::Number(n)) => numeric_date(n)
                .map(M::U64)
                .ok_or(TokenError::InvalidClaim(key)),
            Some(_) => Err(TokenError::InvalidClaim(key)),
        }
    };
    let strings = |key: &'static str, single: bool| -> R {
        match o.present(key) {
            None => Ok(M::List(Vec::new())),
            Some(RefValue::String(s)) if single => Ok(M::List(vec![M::Str(s.text.clone())])),
            Some(RefValue::Array(items)) if items.iter().all(|v| v.as_str().is_some()) => {
                Ok(M::List(
                    items
                        .iter()
                        .filter_map(RefValue::as_str)
                        .map(|s| M::Str(s.text.clone()))
                        .collect(),
                ))
            }
            Some(_) => Err(TokenError::InvalidClaim(key)),
        }
    };
    let get = |key: &str| o.get(key).map_or(M::None, |v| M::Json(v.clone()));
    let custom = |name: &str| get(&format!("custom:{name}"));
    let username = match string("username") {
        Ok(M::None) => string("cognito:username"),
        other => other,
    };
    let token_use = string("token_use").map(|u| match u {
        M::Str(t) if t == "access" || t == "id" => M::Str(t),
        M::Str(_) => M::Str("other".to_owned()),
        other => other,
    });
    let client_id = match string("client_id") {
        Ok(M::None) => strings("aud", true).map(|l| match l {
            M::List(mut items) if !items.is_empty() => items.remove(0),
            _ => M::None,
        }),
        other => other,
    };
    let email_verified = match o.present("email_verified") {
        None => Ok(M::None),
        Some(RefValue::Bool(b)) => Ok(M::Bool(*b)),
        Some(RefValue::String(s)) if s.text == "true" => Ok(M::Bool(true)),
        Some(RefValue::String(s)) if s.text == "false" => Ok(M::Bool(false)),
        Some(_) => Err(TokenError::InvalidClaim("email_verified")),
    };
    let scopes = match o.present("scope") {
        None => Ok(M::List(Vec::new())),
        Some(RefValue::String(s)) => match s.plain() {
            Some(text) => Ok(M::List(
                text.split(' ')
                    .filter(|x| !x.is_empty())
                    .map(|x| M::Str(x.to_owned()))
                    .collect(),
            )),
            None => Err(TokenError::InvalidClaim("scope")),
        },
        Some(_) => Err(TokenError::InvalidClaim("scope")),
    };
    vec![
        ("sub", string("sub")),
        ("username", username),
        ("token_use", token_use),
        ("exp", date("exp")),
        ("iat", date("iat")),
        ("auth_time", date("auth_time")),
        ("client_id", client_id),
        ("aud", strings("aud", true)),
        ("cognito:groups", strings("cognito:groups", false)),
        ("origin_jti", string("origin_jti")),
        ("jti", string("jti")),
        ("device_key", string("device_key")),
        ("email", string("email")),
        ("email_verified", email_verified),
        ("scope", string("scope")),
        ("scopes", scopes),
        ("iss", string("iss")),
        ("get(sub)", Ok(get("sub"))),
        ("get(exp)", Ok(get("exp"))),
        ("custom(tier)", Ok(custom("tier"))),
        ("custom()", Ok(custom(""))),
    ]
}

/// An RFC 7519 NumericDate: non-negative seconds below 2^64, any fraction dropped.
fn numeric_date(n: &str) -> Option<u64> {
    if n.contains(['e', 'E']) {
        let v: f64 = n.parse().ok()?;
        return (0.0..18_446_744_073_709_551_616.0)
            .contains(&v)
            .then_some(v as u64);
    }
    if n.starts_with('-') {
        return None;
    }
    let int = n.split('.').next()?;
    int.parse::<u64>().ok()
}

// --- TokenSet ----------------------------------------------------------------------------------

const NEW_DEVICE: NewDeviceMetadata<'static> = NewDeviceMetadata {
    device_key: "us-east-1_new",
    device_group_key: "-grp",
};
const NEW_DEVICE_2: NewDeviceMetadata<'static> = NewDeviceMetadata {
    device_key: "us-east-1_newer",
    device_group_key: "-grp",
};

/// What a set must hold, as the reference computes it.
#[derive(Clone, Debug, PartialEq)]
struct Expected {
    access: String,
    id: Option<String>,
    refresh: Option<String>,
    token_type: String,
    device_key: Option<String>,
    expires_in: u64,
    received_at: u64,
    expires_at: u64,
    drift: i64,
}

fn state<const A: usize, const I: usize, const RR: usize>(set: &TokenSet<A, I, RR>) -> Expected {
    let shown = format!("{set:?}");
    assert!(
        !shown.contains(set.access_token()),
        "Debug shows the access token"
    );
    let e = set.expiry();
    assert_eq!(set.received_at(), e.received_at());
    Expected {
        access: set.access_token().to_owned(),
        id: set.id_token().map(str::to_owned),
        refresh: set.refresh_token().map(str::to_owned),
        token_type: set.token_type().to_owned(),
        device_key: set.device_key().map(str::to_owned),
        expires_in: set.expires_in(),
        received_at: e.received_at().as_secs(),
        expires_at: e.expires_at().as_secs(),
        drift: e.drift_secs(),
    }
}

/// The set the reference expects from `result` at `now`, or the capacity it exceeds.
fn expected_set(
    result: &AuthenticationResult<'_>,
    now: u64,
    caps: (usize, usize, usize),
) -> Result<Expected, TokenError> {
    let too_long = |field, value: &str, max| {
        if value.len() > max {
            Err(TokenError::TooLong { field, max })
        } else {
            Ok(())
        }
    };
    too_long("AccessToken", result.access_token, caps.0)?;
    if let Some(id) = result.id_token {
        too_long("IdToken", id, caps.1)?;
    }
    if let Some(refresh) = result.refresh_token {
        too_long("RefreshToken", refresh, caps.2)?;
    }
    let mut expires_at = now.saturating_add(result.expires_in);
    let mut drift = 0i64;
    let mut claim_key = None;
    let claims = split_ref(result.access_token)
        .ok()
        .and_then(|[_, payload, _]| decode_ref(payload).ok())
        .filter(|p| p.len() <= CLAIMS_SCRATCH_LEN)
        .and_then(|p| json_object(&p).ok());
    if let Some(obj) = claims {
        let date = |key| match obj.present(key) {
            Some(RefValue::Number(n)) => numeric_date(n),
            _ => None,
        };
        if let (Some(iat), Some(exp)) = (date("iat"), date("exp")) {
            let d = (i128::from(now) - i128::from(iat))
                .clamp(i128::from(i64::MIN), i128::from(i64::MAX));
            drift = d as i64;
            expires_at = (i128::from(exp) + d).clamp(0, i128::from(u64::MAX)) as u64;
        }
        claim_key = match obj.present("device_key") {
            Some(RefValue::String(k))
                if k.text.len() <= cognito_core::token::MAX_DEVICE_KEY_LEN =>
            {
                Some(k.text.clone())
            }
            _ => None,
        };
    }
    Ok(Expected {
        access: result.access_token.to_owned(),
        id: result.id_token.map(str::to_owned),
        refresh: result.refresh_token.map(str::to_owned),
        token_type: result.token_type.to_owned(),
        device_key: result
            .new_device
            .map(|d| d.device_key.to_owned())
            .or(claim_key),
        expires_in: result.expires_in,
        received_at: now,
        expires_at,
        drift,
    })
}

fn token_set(data: &[u8]) {
    let Some((head, rest)) = data.split_first_chunk::<13>() else {
        return;
    };
    let now = u64::from_be_bytes(head[..8].try_into().unwrap());
    let expires_in = u64::from(u32::from_be_bytes(head[8..12].try_into().unwrap()));
    let flags = head[12];
    let mut payloads = rest.splitn(2, |&b| b == 0xFF);
    let first = make_token(payloads.next().unwrap_or_default());
    let second = payloads.next().map(make_token);
    let result = AuthenticationResult {
        access_token: &first,
        id_token: (flags & 1 != 0).then_some("id.token.x"),
        refresh_token: (flags & 2 != 0).then_some("refresh-1"),
        expires_in,
        token_type: "Bearer",
        new_device: (flags & 4 != 0).then_some(NEW_DEVICE),
    };
    let refresh = second.as_deref().map(|access| AuthenticationResult {
        access_token: access,
        id_token: (flags & 64 == 0).then_some("id.token.y"),
        refresh_token: (flags & 16 != 0).then_some("refresh-2"),
        expires_in: expires_in / 2,
        token_type: "Bearer",
        new_device: (flags & 32 != 0).then_some(NEW_DEVICE_2),
    });
    let later = now
        .wrapping_add(u64::from(flags))
        .saturating_add(expires_in / 3);
    if flags & 8 != 0 {
        run_set::<160, 16, 16>(&result, refresh.as_ref(), now, later);
    } else {
        run_set::<8192, 8192, 4096>(&result, refresh.as_ref(), now, later);
    }
}

fn run_set<const A: usize, const I: usize, const RR: usize>(
    result: &AuthenticationResult<'_>,
    refresh: Option<&AuthenticationResult<'_>>,
    now: u64,
    later: u64,
) {
    let caps = (A, I, RR);
    let ours = TokenSet::<A, I, RR>::from_auth_result(result, UnixTime::from_secs(now));
    let expected = expected_set(result, now, caps);
    let mut set = match (ours, expected) {
        (Ok(set), Ok(expected)) => {
            assert_eq!(state(&set), expected);
            set
        }
        (Err(e), Err(r)) => return assert_eq!(e, r),
        (ours, theirs) => panic!(
            "TokenSet {:?}, reference {theirs:?}",
            ours.map(|s| state(&s))
        ),
    };
    check_expiry(&set, now, later);
    let Some(refresh) = refresh else {
        return;
    };
    let before = state(&set);
    let ours = set.update_from_refresh(refresh, UnixTime::from_secs(later));
    match (ours, expected_set(refresh, later, caps)) {
        (Ok(()), Ok(fresh)) => {
            let kept_device = refresh.new_device.is_none() && before.device_key.is_some();
            let expected = Expected {
                refresh: fresh.refresh.or(before.refresh),
                device_key: if kept_device {
                    before.device_key
                } else {
                    fresh.device_key
                },
                ..fresh
            };
            assert_eq!(state(&set), expected, "after a refresh");
        }
        (Err(e), Err(r)) => {
            assert_eq!(e, r);
            assert_eq!(state(&set), before, "a failed refresh changed the set");
        }
        (ours, theirs) => panic!("update_from_refresh {ours:?}, reference {theirs:?}"),
    }
    check_expiry(&set, later, now);
}

/// `is_expired`, `needs_refresh` and `remaining` at a few local times, from the expiry's fields.
fn check_expiry<const A: usize, const I: usize, const RR: usize>(
    set: &TokenSet<A, I, RR>,
    a: u64,
    b: u64,
) {
    let e = set.expiry();
    let (received, expires) = (e.received_at().as_secs(), e.expires_at().as_secs());
    for probe in [
        a,
        b,
        received,
        expires,
        expires.saturating_sub(1),
        0,
        u64::MAX,
    ] {
        for margin in [0, 300, u64::MAX] {
            let expired = probe < received || probe.saturating_add(margin) >= expires;
            let t = UnixTime::from_secs(probe);
            assert_eq!(
                set.is_expired(t, margin),
                expired,
                "is_expired({probe}, {margin})"
            );
            assert_eq!(
                set.needs_refresh(t, margin),
                expired && set.refresh_token().is_some()
            );
        }
        assert_eq!(
            e.remaining(UnixTime::from_secs(probe)),
            expires.saturating_sub(probe)
        );
    }
}
