//! The pool domain's reply readers (`oauth::read_token_reply`, `UserInfo::read_reply`,
//! `Revoke::read_reply`, `ClientToken::from_reply`) on arbitrary replies, and its request
//! writers (`TokenRequest`, `Revoke`, `UserInfo`) on arbitrary values.
//!
//! Input: a mode byte.
//! * even: 2 bytes of status (big-endian), then the body. Nothing panics, and each reader
//!   returns what the reference ([`crate::oauth_ref`], serde_json underneath) predicts: for a
//!   2xx, the JSON object (a body of JSON whitespace is `{}`; otherwise `MalformedJson` /
//!   `NotAnObject`), then the token rules (`access_token`, `expires_in`, `token_type` required,
//!   tokens plain printable ASCII, `Bearer` in any case; the first failing field's error),
//!   userInfo's `sub` and claims, revocation's `Ok` for any 2xx body; for a 4xx or 5xx an
//!   `Error::OAuth` with the body's string `error` / `error_description` (cut at a character
//!   within 64 / 256 bytes) and the status kept; any other status `UnexpectedStatus`. A token
//!   becomes a `ClientToken` (refused past its capacity) that is fresh exactly until
//!   `expires_in − margin` seconds after it was received.
//! * odd: a flag byte (low 3 bits: authorization code, refresh, client credentials, revoke,
//!   userInfo; `0x80` a client secret; `0x40` a buffer one byte short), then the client id, the
//!   secret and three values, split by `0x00`. The documented `Misuse` for invalid values;
//!   otherwise the body is exactly the reference's strict form encoding of the expected pairs and
//!   decodes back to the values given, `Authorization` is `Basic` + base64 of `id:secret` (or
//!   `Bearer` + the token), the resend rule is the grant's, and `write_http` frames it with the
//!   right method, path, headers and `Content-Length`; a buffer too small is refused with the
//!   size needed and left untouched.

use cognito_core::oauth::{
    ClientToken, Grant, OAuthClient, OAuthEndpoint, OAuthRequest, Revoke, Scopes, TokenRequest,
    UserInfo, read_token_reply,
};
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Resend};
use cognito_core::{Error, Misuse, ProtocolError};

use crate::json_ref::RefValue;
use crate::oauth_redirect::check_oauth;
use crate::oauth_ref::{self, RefErr};
use crate::reply_ref;

/// The harness.
pub fn oauth_reply(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let Some((&[s0, s1], body)) = rest.split_first_chunk::<2>() else {
            return;
        };
        let response = HttpResponse::new(u16::from_be_bytes([s0, s1]), body);
        token_reply(&response);
        user_info_reply(&response);
        revoke_reply(&response);
    } else {
        writer(rest);
    }
}

/// A core error against the reference's.
fn check_error(ours: &Error, theirs: &RefErr) {
    match (ours, theirs) {
        (Error::Protocol(a), RefErr::Protocol(b)) => assert_eq!(a, b),
        (Error::OAuth(e), RefErr::OAuth(expected)) => check_oauth(e, expected),
        _ => panic!("core {ours:?}, reference {theirs:?}"),
    }
}

fn token_reply(response: &HttpResponse<'_>) {
    let ours = read_token_reply(response);
    let theirs = oauth_ref::read_token_reply(response);
    let tokens = match (&ours, &theirs) {
        (Ok(t), Ok(r)) => {
            assert_eq!(t.access_token, r.access_token);
            assert_eq!(t.id_token, r.id_token.as_deref());
            assert_eq!(t.refresh_token, r.refresh_token.as_deref());
            assert_eq!(t.expires_in, r.expires_in);
            assert_eq!(t.token_type, r.token_type);
            assert!(t.new_device.is_none());
            assert!((200..300).contains(&response.status));
            t
        }
        (Err(a), Err(b)) => return check_error(a, b),
        _ => panic!("read_token_reply: core {ours:?}, reference {theirs:?}"),
    };

    // The token as a client keeps it.
    let received = UnixTime::from_secs(1_700_000_000);
    let kept = ClientToken::<64>::from_reply(tokens, received);
    if tokens.access_token.len() > 64 {
        assert_eq!(
            kept,
            Err(ProtocolError::FieldTooLong {
                field: "access_token",
                max: 64
            })
        );
        return;
    }
    let kept = kept.unwrap();
    assert_eq!(kept.access_token(), tokens.access_token);
    assert_eq!(
        format!("{kept:?}"),
        format!(
            "ClientToken {{ access_token: \"<redacted>\", expiry: {:?} }}",
            kept.expiry()
        )
    );
    let expires_at = 1_700_000_000u64.saturating_add(tokens.expires_in);
    assert_eq!(kept.expiry().expires_at().as_secs(), expires_at);
    for margin in [0, 300, tokens.expires_in] {
        // Fresh while now + margin < expires_at, from the time it was received on.
        let last_fresh = expires_at.saturating_sub(margin).checked_sub(1);
        for now in [
            1_700_000_000,
            1_699_999_999,
            1_700_000_000 + tokens.expires_in / 2,
        ]
        .into_iter()
        .chain(last_fresh)
        .chain(last_fresh.map(|t| t.saturating_add(1)))
        {
            let fresh = now >= 1_700_000_000 && now.saturating_add(margin) < expires_at;
            assert_eq!(
                kept.is_fresh(UnixTime::from_secs(now), margin),
                fresh,
                "now {now}, margin {margin}, expires {expires_at}"
            );
        }
    }
}

fn user_info_reply(response: &HttpResponse<'_>) {
    let ours = UserInfo::read_reply(response);
    let theirs = oauth_ref::oauth_object(response).and_then(|obj| {
        reply_ref::require_str(&obj, "sub")?;
        Ok(obj)
    });
    let (claims, obj) = match (&ours, &theirs) {
        (Ok(c), Ok(o)) => (c, o),
        (Err(a), Err(b)) => return check_error(a, b),
        _ => panic!("UserInfo::read_reply: core {ours:?}, reference {theirs:?}"),
    };
    let text =
        |s: Option<cognito_core::wire::JsonStr<'_>>| s.map(|s| s.chars().collect::<String>());
    let reference =
        |key: &'static str| reply_ref::get_str(obj, key).map(|s| s.map(|s| s.text.clone()));
    assert_eq!(
        Ok(Some(claims.sub().chars().collect::<String>())),
        reference("sub")
    );
    assert_eq!(claims.username().map(text), reference("username"));
    assert_eq!(claims.email().map(text), reference("email"));
    // Flags: a boolean, or the string "true" / "false".
    let flag = |key: &'static str| match obj.present(key) {
        None => Ok(None),
        Some(RefValue::Bool(b)) => Ok(Some(*b)),
        Some(RefValue::String(s)) if s.text == "true" => Ok(Some(true)),
        Some(RefValue::String(s)) if s.text == "false" => Ok(Some(false)),
        Some(_) => Err(ProtocolError::InvalidField(key)),
    };
    assert_eq!(claims.email_verified(), flag("email_verified"));
    assert_eq!(
        claims.phone_number_verified(),
        flag("phone_number_verified")
    );
    let core_obj = crate::json_ref::object_from_core(&claims.as_object());
    assert_eq!(core_obj.members, obj.members);
    let _ = format!("{claims:?}");
}

fn revoke_reply(response: &HttpResponse<'_>) {
    let ours = Revoke::read_reply(response);
    match (200..=299).contains(&response.status) {
        true => assert!(ours.is_ok(), "{ours:?}"),
        false => {
            let theirs = oauth_ref::oauth_object(response).map(|_| ());
            let err = theirs.expect_err("not a 2xx");
            check_error(&ours.expect_err("not a 2xx"), &err);
        }
    }
}

// --- The writers ------------------------------------------------------------------------------

/// Whether `c` is a control character (Unicode `Cc`).
fn is_control(c: char) -> bool {
    matches!(u32::from(c), 0..=0x1F | 0x7F..=0x9F)
}

/// The client's checks: an id that is empty, has a `:` or a control character; an empty secret.
fn client_misuse(id: &str, secret: Option<&str>) -> Option<Misuse> {
    if id.is_empty() {
        Some(Misuse::Empty("client_id"))
    } else if id.contains(':') || id.chars().any(is_control) {
        Some(Misuse::Invalid("client_id"))
    } else if secret == Some("") {
        Some(Misuse::Empty("client_secret"))
    } else {
        None
    }
}

/// Scopes: names of `!`, `#`–`[`, `]`–`~` separated by single spaces (none at all is fine).
fn scopes_ok(scopes: &str) -> bool {
    scopes.is_empty()
        || scopes.split(' ').all(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| (0x21..=0x7E).contains(&b) && b != b'"' && b != b'\\')
        })
}

/// What the reference expects of a request: the misuse, or the endpoint, `Authorization`, body
/// pairs and resend rule.
struct Expected {
    endpoint: OAuthEndpoint,
    authorization: Option<String>,
    /// `id:secret`, which the `Basic` credentials must decode to.
    credentials: Option<String>,
    pairs: Vec<(&'static str, String)>,
    resend: Resend,
}

fn writer(rest: &[u8]) {
    let Some((&flags, rest)) = rest.split_first() else {
        return;
    };
    let mut fields = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
    let mut next = || fields.next().unwrap_or_default().into_owned();
    let (id, secret, a, b, c) = (next(), next(), next(), next(), next());
    let secret = (flags & 0x80 != 0).then_some(secret.as_str());
    let short = flags & 0x40 != 0;
    let client = match secret {
        Some(s) => OAuthClient::confidential(&id, s),
        None => OAuthClient::public(&id),
    };
    let credentials = secret.map(|s| format!("{id}:{s}"));
    let basic = credentials
        .as_ref()
        .map(|c| format!("Basic {}", oauth_ref::base64(c.as_bytes())));
    // A request the client authenticates: refused with the client's misuse, else `extra`;
    // otherwise sent to `endpoint` with the client's `Authorization`, the `pairs` (then
    // `client_id` for a public client) and `resend`.
    let by_client = |extra: Option<Misuse>,
                     endpoint: OAuthEndpoint,
                     mut pairs: Vec<(&'static str, String)>,
                     resend: Resend|
     -> Result<Expected, Misuse> {
        if let Some(misuse) = client_misuse(&id, secret).or(extra) {
            return Err(misuse);
        }
        if secret.is_none() {
            pairs.push(("client_id", id.clone()));
        }
        Ok(Expected {
            endpoint,
            authorization: basic.clone(),
            credentials: credentials.clone(),
            pairs,
            resend,
        })
    };

    let grant = match flags & 7 {
        0 => Some(Grant::AuthorizationCode {
            code: &a,
            redirect_uri: &b,
            code_verifier: &c,
        }),
        1 => Some(Grant::RefreshToken { refresh_token: &a }),
        2 => Some(Grant::ClientCredentials {
            scopes: Scopes::new(&a),
        }),
        _ => None,
    };
    // The reference's verdict.
    let expected: Result<Expected, Misuse> = match flags & 7 {
        0 => by_client(
            [("code", &a), ("redirect_uri", &b), ("code_verifier", &c)]
                .into_iter()
                .find(|(_, v)| v.is_empty())
                .map(|(name, _)| Misuse::Empty(name)),
            OAuthEndpoint::Token,
            vec![
                ("grant_type", "authorization_code".to_owned()),
                ("code", a.clone()),
                ("redirect_uri", b.clone()),
                ("code_verifier", c.clone()),
            ],
            Resend::OnlyIfUnreceived,
        ),
        1 => by_client(
            a.is_empty().then_some(Misuse::Empty("refresh_token")),
            OAuthEndpoint::Token,
            vec![
                ("grant_type", "refresh_token".to_owned()),
                ("refresh_token", a.clone()),
            ],
            Resend::AfterAnyFailure,
        ),
        // The grant needs a secret, so no `client_id` is ever added.
        2 => by_client(
            secret
                .is_none()
                .then_some(Misuse::Invalid("client_secret"))
                .or_else(|| (!scopes_ok(&a)).then_some(Misuse::Invalid("scope"))),
            OAuthEndpoint::Token,
            std::iter::once(("grant_type", "client_credentials".to_owned()))
                .chain((!a.is_empty()).then(|| ("scope", a.clone())))
                .collect(),
            Resend::AfterAnyFailure,
        ),
        3 | 5 | 7 => by_client(
            a.is_empty().then_some(Misuse::Empty("refresh_token")),
            OAuthEndpoint::Revoke,
            vec![("token", a.clone())],
            Resend::OnlyIfUnreceived,
        ),
        _ => {
            if a.is_empty() || !a.bytes().all(|b| b.is_ascii_graphic()) {
                Err(Misuse::Invalid("access_token"))
            } else {
                Ok(Expected {
                    endpoint: OAuthEndpoint::UserInfo,
                    authorization: Some(format!("Bearer {a}")),
                    credentials: None,
                    pairs: vec![],
                    resend: Resend::AfterAnyFailure,
                })
            }
        }
    };
    let write = |buf: &mut [u8]| -> Result<Vec<u8>, Error> {
        let request = match (flags & 7, grant) {
            (_, Some(grant)) => TokenRequest { client, grant }.write(buf)?,
            (3 | 5 | 7, _) => Revoke {
                client,
                refresh_token: &a,
            }
            .write(buf)?,
            _ => UserInfo { access_token: &a }.write(buf)?,
        };
        Ok(check_request(&request, expected.as_ref().ok()))
    };

    let expected_len = expected
        .as_ref()
        .ok()
        .map(|e| e.authorization.as_ref().map_or(0, String::len) + body_of(&e.pairs).len());
    let len = match (short, expected_len) {
        (true, Some(n)) if n > 0 => n - 1,
        (_, Some(n)) => n,
        (_, None) => 4096,
    };
    let mut buf = vec![0xA5u8; len];
    match (write(&mut buf), &expected) {
        (Ok(_), Ok(_)) => assert!(!short || expected_len == Some(0)),
        (Err(Error::Misuse(m)), Err(want)) => assert_eq!(&m, want),
        (Err(Error::BufferTooSmall(e)), Ok(_)) if short => {
            assert_eq!(Some(e.required), expected_len);
            assert!(
                buf.iter().all(|&b| b == 0xA5),
                "a refused buffer was written"
            );
        }
        (got, want) => panic!(
            "flags {flags:#x}: core {:?}, reference {:?}",
            got.map(|_| ()),
            want.as_ref().map(|e| &e.pairs)
        ),
    }
}

/// The form body of `pairs`, strictly encoded.
fn body_of(pairs: &[(&'static str, String)]) -> String {
    let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (*n, v.as_str())).collect();
    oauth_ref::form(&borrowed)
}

/// A written request against the reference; returns its `write_http` bytes.
fn check_request(request: &OAuthRequest<'_>, expected: Option<&Expected>) -> Vec<u8> {
    let expected = expected.expect("the core wrote what the reference refuses");
    assert_eq!(request.endpoint, expected.endpoint);
    assert_eq!(request.resend, expected.resend);
    assert_eq!(request.authorization, expected.authorization.as_deref());
    let body = body_of(&expected.pairs);
    assert_eq!(request.body, body.as_bytes());
    // The body parses back to the values given.
    let text = core::str::from_utf8(request.body).unwrap();
    let decoded: Vec<(String, String)> = oauth_ref::form_pairs(text)
        .into_iter()
        .map(|(n, v)| {
            (
                oauth_ref::decode_text(n).unwrap(),
                oauth_ref::decode_text(v).unwrap(),
            )
        })
        .collect();
    let given: Vec<(String, String)> = expected
        .pairs
        .iter()
        .map(|(n, v)| ((*n).to_owned(), v.clone()))
        .collect();
    // An empty value (none here: the checks refuse them) would also be an empty piece.
    assert_eq!(decoded, given);
    // The Basic credentials decode back to `id:secret`.
    if let Some(credentials) = &expected.credentials {
        use base64ct::{Base64, Encoding};
        let basic = request
            .authorization
            .unwrap()
            .strip_prefix("Basic ")
            .unwrap();
        assert_eq!(Base64::decode_vec(basic).unwrap(), credentials.as_bytes());
    }
    assert!(!format!("{request:?}").contains(&body) || body.len() < 8);

    // The HTTP framing.
    let host = "my-app.auth.eu-west-1.amazoncognito.com";
    let mut head = format!(
        "{} {} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n",
        expected.endpoint.method(),
        expected.endpoint.path()
    );
    if let Some(auth) = &expected.authorization {
        head.push_str(&format!("Authorization: {auth}\r\n"));
    }
    if expected.endpoint != OAuthEndpoint::UserInfo {
        head.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    let whole = format!("{head}{body}");
    let mut buf = vec![0u8; whole.len()];
    let n = request.write_http(host, &mut buf).unwrap();
    assert_eq!(&buf[..n], whole.as_bytes());
    let n = request.write_http_head(host, &mut buf).unwrap();
    assert_eq!(&buf[..n], head.as_bytes());
    assert!(
        request
            .write_http(host, &mut buf[..whole.len() - 1])
            .is_err()
    );
    buf
}
