//! `auth::AuthReply::read` (and `wire::read_response`) on arbitrary HTTP responses.
//!
//! Input: 2 bytes of status (big-endian `u16`), 1 byte `h`, then the `x-amzn-ErrorType` header
//! (absent when `h = 0`, else the next `h − 1` bytes if they are UTF-8), then the body.
//! Properties: nothing panics; `AuthReply::read` returns exactly what the reference reader
//! ([`crate::auth_ref`]) reads — the same protocol or service error (name from the header, else
//! `code`, else `__type`; message; truncation; kind), the same tokens, or the same challenge
//! with the same typed decoding; `read_response` agrees with it on success vs. service error;
//! what they return can be inspected and formatted; a challenge's kind agrees with its name.
//! The same reply handed to an `auth::Refresh` (by `InitiateAuth` or
//! `GetTokensFromRefreshToken`, by the status's low bit) gives the tokens the reference reads,
//! `UnexpectedChallenge` for a challenge, and otherwise the reference's error; a retryable
//! service error leaves the refresh able to send again, anything else ends it.

use cognito_core::Error;
use cognito_core::auth::{AuthReply, ChallengeName, ClientConfig, Refresh, RefreshOperation};
use cognito_core::exchange::Flow;
use cognito_core::time::UnixTime;
use cognito_core::wire::{
    ErrorKind, HttpResponse, MAX_ERROR_MESSAGE_LEN, MAX_ERROR_NAME_LEN, error_type_name,
    read_response,
};
use cognito_core::{Misuse, ProtocolError};

use crate::challenge_walk::walk;
use crate::reply_ref::{M, RefError, RefResult};
use crate::{auth_ref, reply_ref};

/// The harness.
pub fn auth_reply(data: &[u8]) {
    let Some((&[s0, s1, h], rest)) = data.split_first_chunk::<3>() else {
        return;
    };
    let status = u16::from_be_bytes([s0, s1]);
    let (header, body) = if h == 0 {
        (None, rest)
    } else {
        let (header, body) = rest.split_at(usize::from(h - 1).min(rest.len()));
        (core::str::from_utf8(header).ok(), body)
    };
    let response = HttpResponse::new(status, body).with_error_type(header);

    if let Some(header) = header {
        let name = error_type_name(header);
        assert!(header.contains(name));
    }

    let raw = read_response(&response);
    let reply = AuthReply::read(&response);
    let expected = auth_ref::read(&response);
    reply_ref::check(&reply, &expected, auth_ref::view);
    refresh(&response, &expected, status & 1 != 0);
    match (&raw, &reply) {
        (Err(Error::Service(a)), Err(Error::Service(b))) => assert_eq!(a, b),
        (Err(Error::Service(_)), _) | (_, Err(Error::Service(_))) => {
            panic!("readers disagree: {raw:?} vs {reply:?}")
        }
        _ => {}
    }
    if raw.is_err() {
        assert!(
            reply.is_err(),
            "AuthReply accepted what read_response rejected"
        );
    }

    match reply {
        Ok(AuthReply::Authenticated(result)) => {
            assert!((200..300).contains(&status));
            assert!(!result.access_token.is_empty());
            let _ = format!("{result:?}");
            let _ = (result.id_token, result.refresh_token, result.expires_in);
            let _ = (result.token_type, result.new_device);
        }
        Ok(AuthReply::Challenge(challenge)) => {
            assert!((200..300).contains(&status));
            let name = challenge.name();
            assert_eq!(ChallengeName::parse(name.as_str()), name);
            walk(&challenge);
            let _ = format!("{name} {challenge:?} {:?}", challenge.session());
            let params = challenge.parameters();
            for (key, value) in params.iter() {
                let key: String = key.chars().collect();
                let _ = params.get(&key);
                let _ = format!("{value:?}");
            }
            for key in [
                "SRP_B",
                "SALT",
                "SECRET_BLOCK",
                "USERNAME",
                "USER_ID_FOR_SRP",
            ] {
                if let Some(v) = params.get(key) {
                    let _ = v.chars().count();
                }
            }
            if let Some(available) = challenge.available_challenges() {
                for item in available.iter() {
                    let _ = item.as_str().map(|s| s.chars().count());
                }
            }
        }
        Err(Error::Service(e)) => {
            assert_eq!(e.status(), status);
            assert!(e.name().len() <= MAX_ERROR_NAME_LEN);
            assert!(e.message().len() <= MAX_ERROR_MESSAGE_LEN);
            let kind = e.kind();
            if let Some(name) = kind.name() {
                assert_eq!(ErrorKind::from_name(name), kind);
            }
            let _ = (e.is_retryable(), e.message_truncated());
            let _ = format!("{e} {e:?}");
        }
        Err(e) => {
            let _ = format!("{e} {e:?}");
        }
    }
}

/// The reply read by a refresh flow.
fn refresh(response: &HttpResponse<'_>, expected: &RefResult<M>, direct: bool) {
    let config = ClientConfig::new("us-east-1_TestPool1", "client").unwrap();
    let operation = if direct {
        RefreshOperation::GetTokensFromRefreshToken
    } else {
        RefreshOperation::InitiateAuth
    };
    let mut flow: Refresh = Refresh::new(&config, "refresh-token")
        .unwrap()
        .with_device_key("us-east-1_dev")
        .unwrap()
        .using(operation);
    let now = UnixTime::from_secs(1_700_000_000);
    assert!(matches!(
        flow.handle_response(response, now),
        Err(Error::Misuse(Misuse::OutOfOrder))
    ));
    let mut buf = [0u8; 512];
    flow.write_request(&mut buf).unwrap();
    let result = flow.handle_response(response, now);
    // Tokens pass through; a challenge is not a refresh's answer.
    let expected = match expected {
        Ok(M::Obj(parts)) if parts.first().is_some_and(|(k, _)| *k == "ChallengeName") => {
            Err(RefError::Protocol(ProtocolError::UnexpectedChallenge))
        }
        other => other.clone(),
    };
    reply_ref::check(&result, &expected, auth_ref::result_view);
    let retryable = matches!(&result, Err(Error::Service(e)) if e.is_retryable());
    assert_eq!(flow.has_request(), retryable, "after {result:?}");
    if !retryable {
        assert!(matches!(
            flow.write_request(&mut buf),
            Err(Error::Misuse(Misuse::OutOfOrder))
        ));
    }
}
