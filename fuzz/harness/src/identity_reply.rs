//! The identity pool's reply readers (`GetId`, `GetCredentialsForIdentity`, `GetOpenIdToken`)
//! on arbitrary replies, the credentials a device keeps (`cognito_embassy::identity::Credentials`),
//! and the request writers on arbitrary values.
//!
//! Input: a mode byte.
//! * even: 2 bytes of status (big-endian), then the body; with bit 1 of the mode, the body
//!   starts with an `x-amzn-ErrorType` value ended by `0x00`. Nothing panics; a read succeeds
//!   only for a 2xx; what it returns is plain: identity ids `<region>:<id>` of printable ASCII
//!   without `"` or `\`, credentials and tokens non-empty printable ASCII. `Debug` of the
//!   credentials (the core's borrowed ones and the device's owned copy) and of the OpenID token
//!   reply is exactly the expected text with `<redacted>` for the secret key, the session token
//!   and the token. Written back as a reply (the expiration as whole seconds), each reads back
//!   to the same values; an identity id read is one the writers accept, and the device's copy
//!   (capacity 64) holds the same values or is refused with `FieldTooLong`.
//! * odd: a flag byte (low 2 bits: `GetId`, `GetCredentialsForIdentity`, else `GetOpenIdToken`;
//!   `0x80` a login; `0x40` an account id / role ARN), then the pool or identity id, the
//!   provider, the token and the account id / role ARN, split by `0x00`. The core refuses with
//!   a `Misuse` exactly the values the reference refuses (ids not `<region>:<id>` of printable
//!   ASCII without `"` or `\`, empty values); otherwise the body parses (serde_json) to exactly
//!   the members given, the resend rule is the operation's (a guest's `GetId` only if
//!   unreceived), `Debug` shows only the operation, the body's length and the resend rule,
//!   and `write_http` / `write_http_head` frame it.

use cognito_core::identity::{
    AwsCredentials, GetCredentialsForIdentity, GetId, GetOpenIdToken, IdentityOperation,
    IdentityRequest, Login,
};
use cognito_core::wire::{HttpResponse, Resend};
use cognito_core::{Error, Misuse, ProtocolError};
use cognito_embassy::identity::Credentials;
use serde_json::{Map, Value};

/// The harness.
pub fn identity_reply(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 1 {
        return writer(rest);
    }
    let Some((&[s0, s1], rest)) = rest.split_first_chunk::<2>() else {
        return;
    };
    let (error_type, body) = if mode & 2 != 0 {
        match rest.iter().position(|&b| b == 0) {
            Some(end) => (core::str::from_utf8(&rest[..end]).ok(), &rest[end + 1..]),
            None => (None, rest),
        }
    } else {
        (None, rest)
    };
    let response =
        HttpResponse::new(u16::from_be_bytes([s0, s1]), body).with_error_type(error_type);
    get_id(&response);
    get_credentials(&response);
    get_open_id_token(&response);
}

/// The reference's identity id rule: `<region>:<id>`, both non-empty, printable ASCII without
/// `"` or `\`.
fn valid_id(id: &str) -> bool {
    matches!(id.split_once(':'), Some((r, i)) if !r.is_empty() && !i.is_empty())
        && id
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
}

/// Non-empty printable ASCII.
fn plain(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_graphic())
}

/// A successful read came from a 2xx.
fn check_status(response: &HttpResponse<'_>) {
    assert!((200..300).contains(&response.status), "{}", response.status);
}

/// A failed read is a service error for a 4xx/5xx, never a misuse.
fn check_error(response: &HttpResponse<'_>, err: &Error) {
    match err {
        Error::Service(_) => assert!(
            (200..600).contains(&response.status),
            "{}: {err:?}",
            response.status
        ),
        Error::Protocol(ProtocolError::UnexpectedStatus(s)) => assert_eq!(*s, response.status),
        Error::Protocol(_) => assert!((200..300).contains(&response.status), "{err:?}"),
        other => panic!("{other:?}"),
    }
}

fn get_id(response: &HttpResponse<'_>) {
    let reply = match GetId::read_reply(response) {
        Ok(reply) => reply,
        Err(e) => return check_error(response, &e),
    };
    check_status(response);
    assert!(valid_id(reply.identity_id), "{:?}", reply.identity_id);
    let again = format!(r#"{{"IdentityId":"{}"}}"#, reply.identity_id);
    assert_eq!(
        GetId::read_reply(&HttpResponse::new(200, again.as_bytes())),
        Ok(reply)
    );
    // The id read is one the writers accept.
    let mut buf = vec![0u8; again.len()];
    let request = GetCredentialsForIdentity {
        identity_id: reply.identity_id,
        logins: &[],
        custom_role_arn: None,
    }
    .write(&mut buf)
    .unwrap();
    assert_eq!(request.body, again.as_bytes());
}

fn get_credentials(response: &HttpResponse<'_>) {
    let reply = match GetCredentialsForIdentity::read_reply(response) {
        Ok(reply) => reply,
        Err(e) => return check_error(response, &e),
    };
    check_status(response);
    assert!(valid_id(reply.identity_id));
    let c = reply.credentials;
    for value in [c.access_key_id, c.secret_key, c.session_token] {
        assert!(plain(value), "{value:?}");
    }
    assert!(c.expiration.as_secs() < 1_000_000_000_000);
    assert_eq!(
        format!("{c:?}"),
        format!(
            "AwsCredentials {{ access_key_id: {:?}, secret_key: <redacted>, session_token: \
             <redacted>, expiration: {:?} }}",
            c.access_key_id, c.expiration
        )
    );
    let again = credentials_json(reply.identity_id, &c);
    assert_eq!(
        GetCredentialsForIdentity::read_reply(&HttpResponse::new(200, again.as_bytes())),
        Ok(reply)
    );

    // The device's copy.
    match Credentials::<64>::from_reply(&c) {
        Ok(kept) => {
            assert_eq!(
                (
                    kept.access_key_id(),
                    kept.secret_key(),
                    kept.session_token()
                ),
                (c.access_key_id, c.secret_key, c.session_token)
            );
            assert_eq!(kept.expiration(), c.expiration);
            assert_eq!(
                format!("{kept:?}"),
                format!(
                    "Credentials {{ access_key_id: {:?}, secret_key: \"<redacted>\", \
                     session_token: \"<redacted>\", expiration: {:?} }}",
                    c.access_key_id, c.expiration
                )
            );
            let expires = c.expiration.as_secs();
            let at = |secs: u64| cognito_core::time::UnixTime::from_secs(secs);
            assert!(!kept.is_fresh(at(expires), 0));
            if let Some(before) = expires.checked_sub(301) {
                assert!(kept.is_fresh(at(before), 300));
                assert!(!kept.is_fresh(at(before + 1), 300));
            }
        }
        Err(ProtocolError::FieldTooLong { field, max }) => {
            let too_long = match field {
                "AccessKeyId" => c.access_key_id.len() > 128,
                "SecretKey" => c.secret_key.len() > 128,
                "SessionToken" => c.session_token.len() > 64,
                _ => false,
            };
            assert!(too_long, "{field} {max}");
        }
        Err(e) => panic!("{e:?}"),
    }
}

/// A `GetCredentialsForIdentity` reply of these values.
fn credentials_json(identity_id: &str, c: &AwsCredentials<'_>) -> String {
    format!(
        r#"{{"IdentityId":"{identity_id}","Credentials":{{"AccessKeyId":"{}","SecretKey":"{}","SessionToken":"{}","Expiration":{}}}}}"#,
        c.access_key_id,
        c.secret_key,
        c.session_token,
        c.expiration.as_secs()
    )
}

fn get_open_id_token(response: &HttpResponse<'_>) {
    let reply = match GetOpenIdToken::read_reply(response) {
        Ok(reply) => reply,
        Err(e) => return check_error(response, &e),
    };
    check_status(response);
    assert!(valid_id(reply.identity_id));
    assert!(plain(reply.token));
    assert_eq!(
        format!("{reply:?}"),
        format!(
            "GetOpenIdTokenReply {{ identity_id: {:?}, token: <redacted> }}",
            reply.identity_id
        )
    );
    let again = format!(
        r#"{{"IdentityId":"{}","Token":"{}"}}"#,
        reply.identity_id, reply.token
    );
    assert_eq!(
        GetOpenIdToken::read_reply(&HttpResponse::new(200, again.as_bytes())),
        Ok(reply)
    );
}

// --- The writers ------------------------------------------------------------------------------

fn writer(rest: &[u8]) {
    let Some((&flags, rest)) = rest.split_first() else {
        return;
    };
    let mut fields = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
    let mut next = || fields.next().unwrap_or_default().into_owned();
    let (id, provider, token, extra) = (next(), next(), next(), next());
    let login = [Login {
        provider: &provider,
        token: &token,
    }];
    let logins: &[Login<'_>] = if flags & 0x80 != 0 { &login } else { &[] };
    let extra = (flags & 0x40 != 0).then_some(extra.as_str());

    // The reference's verdict, and the members the body must have.
    let id_name = match flags & 3 {
        0 => "IdentityPoolId",
        _ => "IdentityId",
    };
    let extra_name = match flags & 3 {
        0 => "AccountId",
        1 => "CustomRoleArn",
        _ => "",
    };
    let misuse = if id.is_empty() {
        Some(Misuse::Empty(id_name))
    } else if !valid_id(&id) {
        Some(Misuse::Invalid(id_name))
    } else if matches!(flags & 3, 0 | 1) && extra == Some("") {
        Some(Misuse::Empty(extra_name))
    } else if !logins.is_empty() && provider.is_empty() {
        Some(Misuse::Empty("Logins provider"))
    } else if !logins.is_empty() && token.is_empty() {
        Some(Misuse::Empty("Logins token"))
    } else {
        None
    };
    let mut members = Map::new();
    members.insert(id_name.to_owned(), Value::String(id.clone()));
    if let (Some(value), 0 | 1) = (extra, flags & 3) {
        members.insert(extra_name.to_owned(), Value::String(value.to_owned()));
    }
    if !logins.is_empty() {
        let mut map = Map::new();
        map.insert(provider.clone(), Value::String(token.clone()));
        members.insert("Logins".to_owned(), Value::Object(map));
    }

    let mut buf = vec![0u8; 4096 + rest.len() * 6];
    let written = match flags & 3 {
        0 => GetId {
            identity_pool_id: &id,
            account_id: extra,
            logins,
        }
        .write(&mut buf),
        1 => GetCredentialsForIdentity {
            identity_id: &id,
            logins,
            custom_role_arn: extra,
        }
        .write(&mut buf),
        _ => GetOpenIdToken {
            identity_id: &id,
            logins,
        }
        .write(&mut buf),
    };
    let request = match (written, misuse) {
        (Ok(request), None) => request,
        (Err(Error::Misuse(m)), Some(want)) => return assert_eq!(m, want),
        (got, want) => panic!("flags {flags:#x}: core {got:?}, reference {want:?}"),
    };
    let (operation, resend) = match flags & 3 {
        0 if logins.is_empty() => (IdentityOperation::GetId, Resend::OnlyIfUnreceived),
        0 => (IdentityOperation::GetId, Resend::AfterAnyFailure),
        1 => (
            IdentityOperation::GetCredentialsForIdentity,
            Resend::AfterAnyFailure,
        ),
        _ => (IdentityOperation::GetOpenIdToken, Resend::AfterAnyFailure),
    };
    assert_eq!((request.operation, request.resend), (operation, resend));
    let parsed: Value = serde_json::from_slice(request.body).unwrap();
    assert_eq!(parsed, Value::Object(members));
    // `Debug` names the operation, the body's length and the resend rule, nothing of the values.
    assert_eq!(
        format!("{request:?}"),
        format!(
            "IdentityRequest {{ operation: {operation:?}, body_len: {}, resend: {resend:?} }}",
            request.body.len()
        )
    );
    check_framing(&request);
}

/// `write_http` is the head (`POST /`, `Host`, `Content-Type`, `X-Amz-Target`,
/// `Content-Length`) then the body; `write_http_head` the head alone; a buffer one byte short is
/// refused.
fn check_framing(request: &IdentityRequest<'_>) {
    let host = "cognito-identity.eu-west-1.amazonaws.com";
    let head = format!(
        "POST / HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: {}\r\nContent-Length: {}\r\n\r\n",
        request.operation.target(),
        request.body.len()
    );
    let mut whole = head.clone().into_bytes();
    whole.extend_from_slice(request.body);
    let mut buf = vec![0u8; whole.len()];
    let n = request.write_http(host, &mut buf).unwrap();
    assert_eq!(&buf[..n], &whole[..]);
    let n = request.write_http_head(host, &mut buf).unwrap();
    assert_eq!(&buf[..n], head.as_bytes());
    assert!(
        request
            .write_http(host, &mut buf[..whole.len() - 1])
            .is_err()
    );
    assert!(
        request
            .write_http_head(host, &mut buf[..head.len() - 1])
            .is_err()
    );
}
