//! `GetDevice`, `ListDevices`, `ForgetDevice`.

use crate::support::*;
use cognito_core::Call;
use cognito_core::account::{
    ConfirmDevice, ConfirmDeviceReply, ForgetDevice, GetDevice, GetDeviceReply, ListDevices,
    ListDevicesReply, UpdateDeviceStatus,
};
use cognito_core::srp::DeviceVerifier;
use cognito_core::wire::Operation;
use cognito_core::{Error, Misuse, ProtocolError};
use serde_json::json;

const KEY: &str = "eu-west-1_4bb1f7a5-2c3d-4e5f-8a9b-0c1d2e3f4a5b";

const DEVICE: &str = r#"{
    "DeviceKey": "eu-west-1_4bb1f7a5-2c3d-4e5f-8a9b-0c1d2e3f4a5b",
    "DeviceAttributes": [
        {"Name": "device_status", "Value": "valid"},
        {"Name": "device_name", "Value": "Thermostat \u2013 hall"},
        {"Name": "last_ip_used", "Value": "192.0.2.1"},
        {"Name": "dev:device_remembered_status", "Value": "remembered"}
    ],
    "DeviceCreateDate": 1.700000000123E9,
    "DeviceLastModifiedDate": 1700000100.5,
    "DeviceLastAuthenticatedDate": 1700000200
}"#;

#[test]
fn get_device() {
    let mut buf = [0u8; 256];
    let get = GetDevice {
        access_token: TOKEN,
        device_key: KEY,
    };
    let request = get.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::GetDevice);
    assert_eq!(
        json(&request),
        json!({"DeviceKey": KEY, "AccessToken": TOKEN})
    );

    let body = format!(r#"{{"Device":{DEVICE}}}"#);
    let device = GetDeviceReply::read(&ok(&body)).unwrap().device;
    assert_eq!(device.device_key, KEY);
    assert!(device.device_name().unwrap().eq_str("Thermostat – hall"));
    assert_eq!(device.device_attributes.len(), 4);
    assert!(
        device
            .device_attributes
            .value_of("last_ip_used")
            .unwrap()
            .eq_str("192.0.2.1")
    );
    assert_eq!(device.create_date, Some(1_700_000_000.123));
    assert_eq!(device.last_modified_date, Some(1_700_000_100.5));
    assert_eq!(device.last_authenticated_date, Some(1_700_000_200.0));

    assert_eq!(
        GetDeviceReply::read(&ok("{}")).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("Device"))
    );
    assert_eq!(
        GetDeviceReply::read(&ok(
            r#"{"Device":{"DeviceKey":"k","DeviceCreateDate":"x"}}"#
        ))
        .unwrap_err(),
        Error::Protocol(ProtocolError::InvalidField("DeviceCreateDate"))
    );
    check_errors(GET_DEVICE_ERRORS, |r| GetDeviceReply::read(r).map(drop));
    assert_misuse(
        GetDevice {
            device_key: "",
            ..get
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("device_key"),
    );
    let long = "k".repeat(56);
    assert_misuse(
        GetDevice {
            device_key: &long,
            ..get
        }
        .write_request(&public(), &mut buf),
        Misuse::TooLong {
            field: "device_key",
            max: 55,
        },
    );
    assert_misuse(
        GetDevice {
            access_token: "",
            ..get
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| get.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn list_devices() {
    let mut buf = [0u8; 256];
    let list = ListDevices {
        access_token: TOKEN,
        limit: Some(60),
        pagination_token: Some("eyJwYWdlIjoy"),
    };
    let request = list.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ListDevices);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "Limit": 60, "PaginationToken": "eyJwYWdlIjoy"})
    );
    let first = ListDevices {
        access_token: TOKEN,
        limit: Some(0),
        pagination_token: None,
    };
    assert_eq!(
        json(&first.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN, "Limit": 0})
    );
    assert_misuse(
        ListDevices {
            limit: Some(61),
            ..list
        }
        .write_request(&public(), &mut buf),
        Misuse::Invalid("limit (at most 60)"),
    );
    assert_misuse(
        ListDevices {
            pagination_token: Some(""),
            ..list
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("pagination_token"),
    );
    assert_misuse(
        ListDevices {
            access_token: "",
            ..list
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| list.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn list_devices_reply() {
    let body = format!(
        r#"{{"Devices":[{DEVICE},{{"DeviceKey":"eu-west-1_00aa","DeviceAttributes":[]}}],"PaginationToken":"eyJuZXh0IjozfQ=="}}"#
    );
    let page = ListDevicesReply::read(&ok(&body)).unwrap();
    assert_eq!(page.pagination_token, Some("eyJuZXh0IjozfQ=="));
    let devices: Vec<_> = page.devices.iter().collect();
    assert_eq!(devices.len(), 2);
    assert_eq!(page.devices.len(), 2);
    assert!(
        devices[0]
            .device_name()
            .unwrap()
            .eq_str("Thermostat – hall")
    );
    assert_eq!(devices[1].device_key, "eu-west-1_00aa");
    assert!(devices[1].device_name().is_none());
    assert_eq!(devices[1].create_date, None);

    let last = ListDevicesReply::read(&ok(r#"{"Devices":[]}"#)).unwrap();
    assert!(last.devices.is_empty());
    assert_eq!(last.pagination_token, None);
    assert_eq!(
        ListDevicesReply::read(&ok(r#"{"Devices":[{"DeviceAttributes":[]}]}"#)).unwrap_err(),
        Error::Protocol(ProtocolError::MissingField("DeviceKey"))
    );
    check_errors(LIST_DEVICES_ERRORS, |r| ListDevicesReply::read(r).map(drop));
}

#[test]
fn forget_device() {
    let mut buf = [0u8; 256];
    let forget = ForgetDevice {
        access_token: TOKEN,
        device_key: KEY,
    };
    let request = forget.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ForgetDevice);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "DeviceKey": KEY})
    );
    ForgetDevice::read_reply(&ok("")).unwrap();
    check_errors(FORGET_DEVICE_ERRORS, ForgetDevice::read_reply);
    assert_misuse(
        ForgetDevice {
            device_key: "",
            ..forget
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("device_key"),
    );
    check_buffer_too_small(|buf| forget.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn confirm_device() {
    let mut buf = [0u8; 2048];
    let verifier = DeviceVerifier::from_random("-Yg7fPq2Xz", KEY, &[7; 40], &[9; 16]);
    let confirm = ConfirmDevice {
        access_token: TOKEN,
        device_key: KEY,
        verifier: &verifier,
        device_name: Some("Thermostat \"hall\""),
    };
    let request = confirm.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::ConfirmDevice);
    assert_eq!(
        json(&request),
        json!({
            "DeviceKey": KEY,
            "AccessToken": TOKEN,
            "DeviceSecretVerifierConfig": {
                "Salt": verifier.salt_b64(),
                "PasswordVerifier": verifier.password_verifier_b64(),
            },
            "DeviceName": "Thermostat \"hall\"",
        })
    );
    let unnamed = ConfirmDevice {
        device_name: None,
        ..confirm
    };
    assert!(
        json(&unnamed.write_request(&public(), &mut buf).unwrap())
            .get("DeviceName")
            .is_none()
    );

    for (body, necessary) in [
        (r#"{"UserConfirmationNecessary":true}"#, true),
        (r#"{"UserConfirmationNecessary":false}"#, false),
        ("{}", false),
        ("", false),
    ] {
        assert_eq!(
            ConfirmDevice::read_reply(&ok(body)).unwrap(),
            ConfirmDeviceReply {
                user_confirmation_necessary: necessary
            },
            "{body}"
        );
    }
    assert_eq!(
        ConfirmDevice::read_reply(&ok(r#"{"UserConfirmationNecessary":"yes"}"#)).unwrap_err(),
        Error::Protocol(ProtocolError::InvalidField("UserConfirmationNecessary"))
    );
    check_errors(CONFIRM_DEVICE_ERRORS, |r| {
        ConfirmDevice::read_reply(r).map(drop)
    });
    assert_misuse(
        ConfirmDevice {
            access_token: "",
            ..confirm
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    assert_misuse(
        ConfirmDevice {
            device_key: "",
            ..confirm
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("device_key"),
    );
    let long_name = "n".repeat(1025);
    assert_misuse(
        ConfirmDevice {
            device_name: Some(&long_name),
            ..confirm
        }
        .write_request(&public(), &mut buf),
        Misuse::TooLong {
            field: "device_name",
            max: 1024,
        },
    );
    check_buffer_too_small(|buf| confirm.write_request(&public(), buf).map(|r| r.body.len()));
}

#[test]
fn update_device_status() {
    let mut buf = [0u8; 256];
    let remember = UpdateDeviceStatus {
        access_token: TOKEN,
        device_key: KEY,
        remembered: true,
    };
    let request = remember.write_request(&public(), &mut buf).unwrap();
    assert_eq!(request.operation, Operation::UpdateDeviceStatus);
    assert_eq!(
        json(&request),
        json!({"AccessToken": TOKEN, "DeviceKey": KEY, "DeviceRememberedStatus": "remembered"})
    );
    let forget = UpdateDeviceStatus {
        remembered: false,
        ..remember
    };
    assert_eq!(
        json(&forget.write_request(&public(), &mut buf).unwrap()),
        json!({"AccessToken": TOKEN, "DeviceKey": KEY, "DeviceRememberedStatus": "not_remembered"})
    );
    UpdateDeviceStatus::read_reply(&ok("{}")).unwrap();
    check_errors(UPDATE_DEVICE_STATUS_ERRORS, UpdateDeviceStatus::read_reply);
    assert_misuse(
        UpdateDeviceStatus {
            device_key: "",
            ..remember
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("device_key"),
    );
    assert_misuse(
        UpdateDeviceStatus {
            access_token: "",
            ..remember
        }
        .write_request(&public(), &mut buf),
        Misuse::Empty("access_token"),
    );
    check_buffer_too_small(|buf| remember.write_request(&public(), buf).map(|r| r.body.len()));
}
