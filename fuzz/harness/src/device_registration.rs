//! `auth::DeviceRegistration` (`ConfirmDevice`, then `UpdateDeviceStatus` when the pool lets
//! the user choose) driven with fuzzed replies, against a model of its state machine and the
//! reference reply reader.
//!
//! Input: a flag byte (bit 0: the user declines to remember the device; bit 1: a device name;
//! bit 2: hand each reply that moved the flow on a second time; bits 3–4: which device secret), then
//! up to five replies separated by `0xFF`, each a status selector byte (low 3 bits: 200, 200,
//! 200, 200, 400, 500, 429, 302; bit 3: `x-amzn-ErrorType: TooManyRequestsException`) and the
//! body.
//!
//! Properties: each reply is read as the reference reads `ConfirmDevice`'s reply
//! (`UserConfirmationNecessary`, absent = false) or `UpdateDeviceStatus`'s (nothing), errors
//! included; the step follows the model — `SendRequest` then `UpdateDeviceStatus` when the user
//! must confirm, else `Registered { remembered: true }`; after `UpdateDeviceStatus`,
//! `Registered { remembered: <the caller's choice> }`; a retryable service error (throttling,
//! internal error, 429, 5xx) keeps the same request to write again, any other error ends the
//! flow; a reply handled before its request is written is `OutOfOrder` and changes nothing;
//! every request body is the documented JSON (`DeviceKey`, `AccessToken`, `DeviceSecretVerifierConfig`
//! whose verifier is `g^x` for the kept device password, checked with num-bigint,
//! `DeviceName`; `DeviceRememberedStatus`); a finished flow writes and reads nothing.

use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};

use base64ct::{Base64, Encoding};
use cognito_core::auth::{ClientConfig, DeviceCredentials, DeviceRegistration, DeviceStep};
use cognito_core::exchange::Flow;
use cognito_core::srp::DeviceVerifier;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Operation, Resend};
use cognito_core::{Error, Misuse};
use num_bigint::BigUint;
use sha2::{Digest, Sha256};

use crate::json_ref::RefValue;
use crate::reply_ref::{self, M, get_bool};

const STATUS: [u16; 8] = [200, 200, 200, 200, 400, 500, 429, 302];
const DEVICE_KEY: &str = "us-east-1_827b3399-6f2c-4c54-a2b2-5c3e7d3a1f00";
const GROUP_KEY: &str = "-4Ik6cT5i";
const ACCESS_TOKEN: &str = "eyJraWQiOiJ.access.token";
const DEVICE_NAME: &str = "thermo \"42\"";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Confirm,
    UpdateStatus,
    Done,
}

/// The harness.
pub fn device_registration(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let remember = flags & 1 == 0;
    let variant = (flags >> 3) & 3;
    let config = ClientConfig::new("us-east-1_TestPool1", "client").unwrap();
    let verifier =
        DeviceVerifier::from_random(GROUP_KEY, DEVICE_KEY, &[variant; 40], &[variant ^ 0x5a; 16]);
    let credentials =
        DeviceCredentials::new(DEVICE_KEY, GROUP_KEY, verifier.device_password()).unwrap();
    check_verifier(variant, &verifier);
    let mut flow: DeviceRegistration =
        DeviceRegistration::with_verifier(&config, ACCESS_TOKEN, credentials, verifier)
            .unwrap()
            .remember(remember);
    if flags & 2 != 0 {
        flow = flow.with_device_name(DEVICE_NAME).unwrap();
    }
    assert_eq!(flow.credentials().device_key(), DEVICE_KEY);
    assert_eq!(flow.credentials().device_group_key(), GROUP_KEY);

    let now = UnixTime::from_secs(1_700_000_000);
    let mut buf = vec![0u8; 4096];
    let mut stage = Stage::Confirm;
    // A reply before the request is out of order and changes nothing.
    assert!(matches!(
        flow.handle_response(&HttpResponse::new(200, b"{}"), now),
        Err(Error::Misuse(Misuse::OutOfOrder))
    ));
    for part in rest.split(|&b| b == 0xFF).take(5) {
        if stage == Stage::Done {
            break;
        }
        assert!(flow.has_request() && !flow.is_finished());
        write_checked(&mut flow, &mut buf, stage, flags, remember);
        let (status, body) = match part.split_first() {
            Some((&s, body)) => (s, body),
            None => (0, part),
        };
        let header = (status & 8 != 0).then_some("TooManyRequestsException");
        let response =
            HttpResponse::new(STATUS[usize::from(status & 7)], body).with_error_type(header);
        let expected = match stage {
            Stage::Confirm => reply_ref::read_response(&response).and_then(|o| {
                Ok(M::Bool(
                    get_bool(&o, "UserConfirmationNecessary")?.unwrap_or(false),
                ))
            }),
            _ => reply_ref::read_response(&response).map(|_| M::None),
        };
        let result = flow.handle_response(&response, now);
        match (&result, &expected) {
            (Ok(step), Ok(value)) => {
                let next = match (stage, value) {
                    (Stage::Confirm, M::Bool(true)) => {
                        assert_eq!(*step, DeviceStep::SendRequest);
                        Stage::UpdateStatus
                    }
                    (Stage::Confirm, _) => {
                        assert_eq!(*step, DeviceStep::Registered { remembered: true });
                        Stage::Done
                    }
                    _ => {
                        assert_eq!(
                            *step,
                            DeviceStep::Registered {
                                remembered: remember
                            }
                        );
                        Stage::Done
                    }
                };
                stage = next;
            }
            (Err(_), expected) => {
                reply_ref::check(&result, expected, |_| M::None);
                let retryable = matches!(&result, Err(Error::Service(e)) if e.is_retryable());
                if !retryable {
                    assert!(
                        flow.is_finished() && !flow.has_request(),
                        "flow kept after {result:?}"
                    );
                    stage = Stage::Done;
                }
            }
            (Ok(step), Err(e)) => panic!("the flow went on ({step:?}), the reference says {e:?}"),
        }
        if flags & 4 != 0 && result.is_ok() && stage != Stage::Done {
            // The same reply again, before the next request: refused, and nothing changes.
            // (After a retryable error the request stays sent: its resent bytes' reply is read.)
            assert!(matches!(
                flow.handle_response(&response, now),
                Err(Error::Misuse(Misuse::OutOfOrder))
            ));
        }
        let _ = format!("{flow:?}");
    }
    if stage == Stage::Done {
        assert!(flow.is_finished() && !flow.has_request());
        assert!(matches!(
            flow.write_request(&mut buf),
            Err(Error::Misuse(Misuse::OutOfOrder))
        ));
        assert!(matches!(
            flow.handle_response(&HttpResponse::new(200, b"{}"), now),
            Err(Error::Misuse(Misuse::OutOfOrder))
        ));
    }
}

/// Writes the stage's request (first into a buffer one byte short, which must stay untouched)
/// and checks its body.
fn write_checked(
    flow: &mut DeviceRegistration,
    buf: &mut [u8],
    stage: Stage,
    flags: u8,
    remember: bool,
) {
    let len = flow.write_request(buf).unwrap().body.len();
    let mut short = vec![0xA5u8; len - 1];
    assert!(matches!(
        flow.write_request(&mut short),
        Err(Error::BufferTooSmall(e)) if e.required == len
    ));
    assert!(short.iter().all(|&b| b == 0xA5), "short buffer was written");
    let request = flow.write_request(buf).unwrap();
    assert_eq!(request.resend, Resend::OnlyIfUnreceived);
    let Some(RefValue::Object(body)) = RefValue::parse(request.body) else {
        panic!("request body is not a JSON object");
    };
    let text = |key: &str| {
        body.get(key)
            .and_then(RefValue::as_str)
            .map(|s| s.text.clone())
    };
    assert_eq!(text("DeviceKey").as_deref(), Some(DEVICE_KEY));
    assert_eq!(text("AccessToken").as_deref(), Some(ACCESS_TOKEN));
    match stage {
        Stage::Confirm => {
            assert_eq!(request.operation, Operation::ConfirmDevice);
            let name = (flags & 2 != 0).then_some(DEVICE_NAME);
            assert_eq!(text("DeviceName").as_deref(), name);
            assert!(matches!(
                body.get("DeviceSecretVerifierConfig"),
                Some(RefValue::Object(_))
            ));
        }
        Stage::UpdateStatus => {
            assert_eq!(request.operation, Operation::UpdateDeviceStatus);
            let status = if remember {
                "remembered"
            } else {
                "not_remembered"
            };
            assert_eq!(text("DeviceRememberedStatus").as_deref(), Some(status));
        }
        Stage::Done => panic!("a request after the end"),
    }
}

/// Java `BigInteger.toByteArray()` of n ≥ 0.
fn java_bytes(n: &BigUint) -> Vec<u8> {
    let be = n.to_bytes_be();
    if be[0] & 0x80 != 0 {
        [&[0u8][..], &be].concat()
    } else {
        be
    }
}

/// The verifier is `bytes(g^x mod N)` with `x = H(salt ‖ H(group ‖ key ‖ ":" ‖ password))`
/// (DESIGN.md §4, devices); checked once per device secret.
fn check_verifier(variant: u8, verifier: &DeviceVerifier) {
    static CHECKED: Mutex<Option<HashSet<u8>>> = Mutex::new(None);
    static N: OnceLock<BigUint> = OnceLock::new();
    if !CHECKED
        .lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(variant)
    {
        return;
    }
    let n = N.get_or_init(|| {
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../../../tests/vectors/srp-public.json")).unwrap();
        BigUint::parse_bytes(doc["constants"]["N_hex"].as_str().unwrap().as_bytes(), 16).unwrap()
    });
    let salt = Base64::decode_vec(verifier.salt_b64()).unwrap();
    let inner = Sha256::new()
        .chain_update(GROUP_KEY)
        .chain_update(DEVICE_KEY)
        .chain_update(":")
        .chain_update(verifier.device_password())
        .finalize();
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(&salt)
            .chain_update(inner)
            .finalize(),
    );
    let expected = java_bytes(&BigUint::from(2u32).modpow(&x, n));
    assert_eq!(
        Base64::decode_vec(verifier.password_verifier_b64()).unwrap(),
        expected
    );
    assert_eq!(
        java_bytes(&BigUint::from_bytes_be(&salt)),
        salt,
        "salt is not bytes(salt)"
    );
}
