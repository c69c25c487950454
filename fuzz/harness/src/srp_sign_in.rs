//! Drives `auth::SignIn::srp` (`USER_SRP_AUTH`, device SRP) with fuzzed server replies.
//! `sign_in` covers the other flows and the caller's answers.
//!
//! Input: one flag byte, then up to four replies separated by `0xFF` (never valid in UTF-8 JSON),
//! each a status selector byte (low 3 bits: 200, 200, 200, 200, 400, 500, 429, 302) and the body. Flags: bit 0 = remembered device (device
//! SRP), bit 1 = app client with a secret, bit 2 = after `SendRequest`, first call
//! `handle_response` again without writing (must be `Misuse::OutOfOrder`), bit 3 = ClientMetadata.
//!
//! Properties: nothing panics; `SendRequest` and `DeviceForgotten` are always followed by a
//! request that can be written; every request body is a valid JSON object (peer strings such as
//! `USERNAME` and `Session` are escaped); `InitiateAuth` may be resent after any failure and every
//! `RespondToAuthChallenge` only if unreceived; a too-small buffer is left untouched and the exact
//! size reported; a flow that is finished or waits for an answer refuses to write or handle
//! anything; no answer is refused when none was given; a signed-in flow keeps no Session.
//!
//! Cost: `SignIn::srp` consumes its `SrpEphemeral`, which has no `Clone`, so each run computes
//! A (constant time, ~10 ms); a reply that passes as `PASSWORD_VERIFIER` costs another ~11 ms.

use std::sync::OnceLock;

use cognito_core::auth::{ClientConfig, DeviceCredentials, SignIn, Step};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Operation, Resend, parse_object};
use cognito_core::{Error, Misuse};

use crate::challenge_walk::walk;
use crate::{auth_ref, reply_ref};

const POOL_ID: &str = "us-east-1_TestPool1";
const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const USERNAME: &str = "alice";
const PASSWORD: &str = "Passw0rd!";
/// `now_epoch_ms` of vector case `pub-01-basic`.
const NOW: UnixTime = UnixTime::from_millis(1_767_600_547_123);
const STATUS: [u16; 8] = [200, 200, 200, 200, 400, 500, 429, 302];
const DEVICE_KEY: &str = "us-east-1_827b3399-6f2c-4c54-a2b2-5c3e7d3a1f00";
const DEVICE_GROUP_KEY: &str = "-4Ik6cT5i";
const DEVICE_PASSWORD: &str = "ZGV2aWNlLXBhc3N3b3JkLWZvci1mdXp6aW5nLW9ubHk=";
const METADATA: &[(&str, &str)] = &[("app", "fuzz"), ("quote\"", "back\\slash")];

/// `a` of vector case `pub-01-basic` (so a seed built from the vector passes the SRP step).
fn secret_a() -> &'static [u8; 128] {
    static A: OnceLock<[u8; 128]> = OnceLock::new();
    A.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/srp-public.json")).unwrap();
        let hex = doc["srp_cases"][0]["small_a_hex"].as_str().unwrap();
        let hex = format!("{hex:0>256}");
        let mut a = [0u8; 128];
        for (i, byte) in a.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
        }
        a
    })
}

/// The harness.
pub fn srp_sign_in(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let config = if flags & 2 != 0 {
        config.with_client_secret("client-secret").unwrap()
    } else {
        config
    };
    let ephemeral = SrpEphemeral::from_secret_bytes(secret_a()).unwrap();
    let mut flow: SignIn = SignIn::srp(&config, USERNAME, PASSWORD, ephemeral).unwrap();
    if flags & 1 != 0 {
        let mut device_a = *secret_a();
        device_a[0] ^= 0x5a;
        let device_ephemeral = SrpEphemeral::from_secret_bytes(&device_a).unwrap();
        let device = DeviceCredentials::new(DEVICE_KEY, DEVICE_GROUP_KEY, DEVICE_PASSWORD).unwrap();
        flow = flow.with_device(&device, device_ephemeral);
    }
    if flags & 8 != 0 {
        flow = flow.with_client_metadata(METADATA).unwrap();
    }

    let mut buf = vec![0u8; 16 * 1024];
    let request = flow.write_request(&mut buf).unwrap();
    assert_eq!(request.operation, Operation::InitiateAuth);
    assert_eq!(request.resend, Resend::AfterAnyFailure);
    check_body(request.body);

    for part in rest.split(|&b| b == 0xFF).take(4) {
        if flow.is_finished() || flow.awaits_answer() {
            break;
        }
        let (status, body) = match part.split_first() {
            Some((&s, body)) => (STATUS[usize::from(s & 7)], body),
            None => (200, part),
        };
        let before = flow.pending_operation();
        match flow.handle_response(&HttpResponse::new(status, body), NOW) {
            Ok(Step::SendRequest) => {
                assert!(!flow.is_finished() && !flow.awaits_answer());
                assert_eq!(
                    flow.pending_operation(),
                    Some(Operation::RespondToAuthChallenge)
                );
                if flags & 4 != 0 {
                    let again = flow.handle_response(&HttpResponse::new(status, body), NOW);
                    assert!(
                        matches!(again, Err(Error::Misuse(Misuse::OutOfOrder))),
                        "handled a reply twice: {again:?}"
                    );
                }
                write_checked(&mut flow, &mut buf);
            }
            Ok(Step::DeviceForgotten) => {
                assert!(!flow.uses_device());
                assert_eq!(flow.pending_operation(), Some(Operation::InitiateAuth));
                write_checked(&mut flow, &mut buf);
            }
            Ok(Step::Authenticated(result)) => {
                assert!(flow.is_finished());
                assert!(flow.session().is_empty(), "the Session is wiped");
                assert!(!result.access_token.is_empty());
                let _ = format!("{result:?}");
            }
            Ok(Step::Challenge(challenge)) => {
                // The challenge handed over is the reply's, decoded as the reference decodes it.
                let reply = HttpResponse::new(status, body);
                reply_ref::check(
                    &Ok::<_, Error>(challenge),
                    &auth_ref::read(&reply),
                    auth_ref::challenge_view,
                );
                assert!(flow.awaits_answer() && !flow.is_finished());
                assert_eq!(flow.pending_operation(), None);
                assert_eq!(flow.waiting_challenge(), Some(challenge.name()));
                walk(&challenge);
                let _ = format!("{challenge:?} {:?}", challenge.session());
            }
            Ok(step) => panic!("unexpected step without an answer: {step:?}"),
            Err(e) => {
                let _ = format!("{e} {e:?}");
                if !flow.is_finished() {
                    // A retryable service error: the same request can be written again.
                    assert!(matches!(e, Error::Service(_)), "flow kept after {e:?}");
                    assert_eq!(flow.pending_operation(), before);
                    write_checked(&mut flow, &mut buf);
                }
            }
        }
        let _ = format!("{flow:?} {}", flow.session().len());
    }

    if flow.is_finished() || flow.awaits_answer() {
        assert!(flow.pending_operation().is_none());
        assert!(matches!(
            flow.write_request(&mut buf),
            Err(Error::Misuse(Misuse::OutOfOrder))
        ));
        assert!(matches!(
            flow.handle_response(&HttpResponse::new(200, b"{}"), NOW),
            Err(Error::Misuse(Misuse::OutOfOrder))
        ));
    }
}

/// Writes the pending request, checking the buffer-too-small contract first.
fn write_checked(flow: &mut SignIn, buf: &mut [u8]) {
    let operation = flow.pending_operation().unwrap();
    let len = flow.write_request(buf).unwrap().body.len();
    let mut small = vec![0xA5u8; len - 1];
    match flow.write_request(&mut small) {
        Err(Error::BufferTooSmall(e)) => assert_eq!(e.required, len),
        other => panic!("expected BufferTooSmall, got {other:?}"),
    }
    assert!(small.iter().all(|&b| b == 0xA5), "short buffer was written");
    let request = flow.write_request(buf).unwrap();
    assert_eq!(request.operation, operation);
    let resend = match operation {
        Operation::InitiateAuth => Resend::AfterAnyFailure,
        _ => Resend::OnlyIfUnreceived,
    };
    assert_eq!(request.resend, resend, "{operation}");
    check_body(request.body);
}

/// A request body must be one valid JSON object, by the core's reader and by serde_json.
fn check_body(body: &[u8]) {
    parse_object(body).unwrap();
    let value: serde_json::Value = serde_json::from_slice(body).unwrap();
    assert!(value.is_object());
}
