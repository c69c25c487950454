//! `DeviceRegistration`: from a sign-in's `NewDeviceMetadata` to a remembered device —
//! `ConfirmDevice` with the verifier, then `UpdateDeviceStatus` when the pool lets the user
//! choose — as one flow, against the reference client's request and an independent verifier.

use base64ct::{Base64, Encoding};
use cognito_core::auth::{DeviceCredentials, DeviceRegistration, DeviceStep, NewDeviceMetadata};
use cognito_core::exchange::Flow;
use cognito_core::srp::DeviceVerifier;
use cognito_core::wire::{ErrorKind, HttpResponse, Operation};
use cognito_core::{Error, Misuse};
use num_bigint::BigUint;
use rand::SeedableRng;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::support::*;

const ACCESS_TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJ0b2tlbl91c2UiOiJhY2Nlc3MifQ.c2ln";
const KEY: &str = "us-east-1_827b3399-3ca6-468f-8449-5403f58896ac";
const GROUP: &str = "-Yg7fPq2Xz";

/// A registration with a fixed verifier (not a reference vector).
fn registration() -> DeviceRegistration {
    let verifier = DeviceVerifier::from_random(GROUP, KEY, &[0x42; 40], &[0x17; 16]);
    let device = DeviceCredentials::new(KEY, GROUP, verifier.device_password()).unwrap();
    DeviceRegistration::with_verifier(config(), ACCESS_TOKEN, device, verifier).unwrap()
}

/// Writes the next request: (operation, JSON).
fn next(flow: &mut DeviceRegistration) -> (Operation, Value) {
    let mut buf = [0u8; 4096];
    let request = flow.write_request(&mut buf).unwrap();
    (request.operation, body_json(&request))
}

fn handle(flow: &mut DeviceRegistration, status: u16, body: &str) -> Result<DeviceStep, Error> {
    flow.handle_response(&HttpResponse::new(status, body.as_bytes()), NOW)
}

#[test]
fn confirm_device_is_the_reference_clients_request() {
    let case = &srp_case("pub-08-device")["device"]["confirm_device"];
    let verifier = DeviceVerifier::from_random(
        text(case, "device_group_key"),
        text(case, "device_key"),
        &hex_bytes(text(case, "random_password_bytes_hex"))
            .try_into()
            .unwrap(),
        &hex_bytes(text(case, "salt_random_hex")).try_into().unwrap(),
    );
    let device = DeviceCredentials::new(
        text(case, "device_key"),
        text(case, "device_group_key"),
        verifier.device_password(),
    )
    .unwrap();
    assert_eq!(device.device_password(), text(case, "random_password"));
    let expected: Value = serde_json::from_str(text(case, "wire_confirm_device")).unwrap();
    let mut flow: DeviceRegistration = DeviceRegistration::with_verifier(
        config(),
        expected["AccessToken"].as_str().unwrap(),
        device,
        verifier,
    )
    .unwrap()
    .with_device_name(text(case, "device_name"))
    .unwrap();
    let (operation, body) = next(&mut flow);
    assert_eq!(operation, Operation::ConfirmDevice);
    assert_eq!(body, expected);
}

#[test]
fn without_user_confirmation_the_device_is_registered_and_remembered_at_once() {
    for reply in [r#"{"UserConfirmationNecessary":false}"#, "{}"] {
        let mut flow = registration().remember(false);
        assert!(flow.has_request());
        let (operation, body) = next(&mut flow);
        assert_eq!(operation, Operation::ConfirmDevice);
        assert_eq!(body["DeviceKey"], KEY);
        assert_eq!(body["AccessToken"], ACCESS_TOKEN);
        assert!(body.get("DeviceName").is_none());
        // The pool remembers it whatever the caller would have chosen.
        assert_eq!(
            handle(&mut flow, 200, reply).unwrap(),
            DeviceStep::Registered { remembered: true },
            "{reply}"
        );
        assert!(!flow.has_request() && flow.is_finished());
        assert_eq!(
            flow.write_request(&mut [0u8; 1024]).unwrap_err(),
            Error::Misuse(Misuse::OutOfOrder)
        );
        assert_eq!(flow.credentials().device_key(), KEY);
        assert_eq!(flow.credentials().device_group_key(), GROUP);
    }
}

#[test]
fn with_user_confirmation_the_choice_is_sent() {
    for (remember, status) in [
        (None, "remembered"),
        (Some(true), "remembered"),
        (Some(false), "not_remembered"),
    ] {
        let mut flow = registration();
        if let Some(remember) = remember {
            flow = flow.remember(remember);
        }
        next(&mut flow);
        assert_eq!(
            handle(&mut flow, 200, r#"{"UserConfirmationNecessary":true}"#).unwrap(),
            DeviceStep::SendRequest
        );
        assert!(flow.has_request() && !flow.is_finished());
        let (operation, body) = next(&mut flow);
        assert_eq!(operation, Operation::UpdateDeviceStatus);
        assert_eq!(
            body,
            json!({"AccessToken": ACCESS_TOKEN, "DeviceKey": KEY, "DeviceRememberedStatus": status})
        );
        assert_eq!(
            handle(&mut flow, 200, "{}").unwrap(),
            DeviceStep::Registered {
                remembered: status == "remembered"
            }
        );
        assert!(flow.is_finished());
    }
}

#[test]
fn a_retryable_error_leaves_the_request_to_write_again() {
    let mut flow = registration();
    let (_, confirm) = next(&mut flow);
    let throttled = r#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#;
    match handle(&mut flow, 400, throttled) {
        Err(Error::Service(e)) => assert_eq!(e.kind(), ErrorKind::TooManyRequests),
        other => panic!("{other:?}"),
    }
    assert!(flow.has_request() && !flow.is_finished());
    assert_eq!(next(&mut flow), (Operation::ConfirmDevice, confirm));
    handle(&mut flow, 200, r#"{"UserConfirmationNecessary":true}"#).unwrap();

    let (_, update) = next(&mut flow);
    let internal = r#"{"__type":"InternalErrorException","message":"oops"}"#;
    assert!(matches!(
        handle(&mut flow, 500, internal),
        Err(Error::Service(_))
    ));
    assert_eq!(next(&mut flow), (Operation::UpdateDeviceStatus, update));
    assert_eq!(
        handle(&mut flow, 200, "{}").unwrap(),
        DeviceStep::Registered { remembered: true }
    );
}

#[test]
fn a_refused_request_ends_it() {
    let refused = r#"{"__type":"NotAuthorizedException","message":"Access Token has expired"}"#;
    let mut flow = registration();
    next(&mut flow);
    match handle(&mut flow, 400, refused) {
        Err(Error::Service(e)) => assert!(e.access_token_expired()),
        other => panic!("{other:?}"),
    }
    assert!(flow.is_finished() && !flow.has_request());
    assert_eq!(
        flow.write_request(&mut [0u8; 1024]).unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );

    let mut flow = registration();
    next(&mut flow);
    handle(&mut flow, 200, r#"{"UserConfirmationNecessary":true}"#).unwrap();
    next(&mut flow);
    let gone = r#"{"__type":"ResourceNotFoundException","message":"Device does not exist."}"#;
    assert!(matches!(
        handle(&mut flow, 400, gone),
        Err(Error::Service(_))
    ));
    assert!(flow.is_finished());
    // A reply that is not Cognito's ends it too.
    let mut flow = registration();
    next(&mut flow);
    assert!(matches!(
        handle(&mut flow, 200, "<html>"),
        Err(Error::Protocol(_))
    ));
    assert!(flow.is_finished());
}

#[test]
fn replies_before_a_request_are_misuse() {
    let mut flow = registration();
    assert_eq!(
        handle(&mut flow, 200, "{}").unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    assert!(flow.has_request(), "the flow is unchanged");
    next(&mut flow);
    assert_eq!(
        handle(&mut flow, 200, "{}").unwrap(),
        DeviceStep::Registered { remembered: true }
    );
    assert_eq!(
        handle(&mut flow, 200, "{}").unwrap_err(),
        Error::Misuse(Misuse::OutOfOrder)
    );
    let verifier = DeviceVerifier::from_random(GROUP, KEY, &[1; 40], &[2; 16]);
    let device = DeviceCredentials::new(KEY, GROUP, verifier.device_password()).unwrap();
    assert_eq!(
        DeviceRegistration::<cognito_core::capacity::DefaultLimits>::with_verifier(
            config(),
            "",
            device,
            verifier
        )
        .unwrap_err(),
        Error::Misuse(Misuse::Empty("access_token"))
    );
}

#[test]
fn a_generated_device_registers_the_verifier_of_its_password() {
    let n_hex = vectors()["constants"]["N_hex"].as_str().unwrap();
    let n = BigUint::parse_bytes(n_hex.as_bytes(), 16).unwrap();
    let offer = NewDeviceMetadata {
        device_key: KEY,
        device_group_key: GROUP,
    };
    let mut rng = rand::rngs::StdRng::seed_from_u64(2026);
    let mut flow: DeviceRegistration =
        DeviceRegistration::new(config(), &offer, ACCESS_TOKEN, &mut rng)
            .unwrap()
            .with_device_name("thermostat-42")
            .unwrap();
    let (_, body) = next(&mut flow);
    assert_eq!(body["DeviceName"], "thermostat-42");
    let device = flow.credentials();
    assert_eq!(device.device_key(), KEY);
    assert_eq!(device.device_group_key(), GROUP);
    assert_eq!(device.device_password().len(), 56, "Base64 of 40 bytes");

    // verifier = g^x, x = H(salt ‖ H(group ‖ key ‖ ":" ‖ password)), computed here with
    // num-bigint from what the device persists and what ConfirmDevice sent.
    let sent_config = &body["DeviceSecretVerifierConfig"];
    let salt = Base64::decode_vec(sent_config["Salt"].as_str().unwrap()).unwrap();
    let inner = Sha256::new()
        .chain_update(GROUP)
        .chain_update(KEY)
        .chain_update(":")
        .chain_update(device.device_password())
        .finalize();
    let x = BigUint::from_bytes_be(
        &Sha256::new()
            .chain_update(&salt)
            .chain_update(inner)
            .finalize(),
    );
    let verifier = BigUint::from(2u8).modpow(&x, &n);
    let sent = Base64::decode_vec(sent_config["PasswordVerifier"].as_str().unwrap()).unwrap();
    assert_eq!(BigUint::from_bytes_be(&sent), verifier);
    // Both are Java `toByteArray()` encodings: a leading 00 only when the top bit is set.
    for bytes in [&salt, &sent] {
        assert!(bytes[0] != 0 || bytes[1] & 0x80 != 0, "{bytes:?}");
    }
}
