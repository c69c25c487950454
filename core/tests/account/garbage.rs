//! Arbitrary reply bytes never make an account reply reader panic.

use cognito_core::account::{
    AssociateSoftwareTokenReply, CodeDeliveryReply, ConfirmDevice, ConfirmSignUpReply,
    GetDeviceReply, GetUserAuthFactorsReply, GetUserReply, ListDevicesReply,
    ListWebAuthnCredentialsReply, SignUpReply, StartWebAuthnRegistrationReply,
    UpdateUserAttributesReply, VerifySoftwareTokenReply,
};
use cognito_core::wire::HttpResponse;
use cognito_core::{Call, Error};
use proptest::prelude::*;

/// Runs every reader on `response` and walks everything it returns.
fn read_all(response: &HttpResponse<'_>) {
    let _ = SignUpReply::read(response).map(|r| r.code_delivery_details.map(|d| d.destination));
    let _ = ConfirmSignUpReply::read(response);
    let _ = CodeDeliveryReply::read(response);
    if let Ok(r) = GetUserReply::read(response) {
        r.user_attributes.iter().for_each(|a| {
            core::hint::black_box(a.value.map(|v| v.decoded_len()));
        });
        r.mfa_options.iter().for_each(drop);
        r.user_mfa_setting_list.iter().for_each(drop);
        let _ = r.user_attributes.value_of("email");
    }
    if let Ok(r) = GetUserAuthFactorsReply::read(response) {
        r.configured_user_auth_factors.iter().for_each(drop);
    }
    if let Ok(r) = UpdateUserAttributesReply::read(response) {
        r.code_delivery_details_list.iter().for_each(drop);
    }
    let _ = AssociateSoftwareTokenReply::read(response);
    let _ = VerifySoftwareTokenReply::read(response).map(|r| r.is_success());
    let _ = ConfirmDevice::read_reply(response).map(|r| r.user_confirmation_necessary);
    let _ = GetDeviceReply::read(response).map(|r| r.device.device_name());
    if let Ok(r) = ListDevicesReply::read(response) {
        r.devices.iter().for_each(|d| {
            core::hint::black_box(d.device_name());
        });
    }
    let _ = StartWebAuthnRegistrationReply::read(response);
    if let Ok(r) = ListWebAuthnCredentialsReply::read(response) {
        r.credentials
            .iter()
            .for_each(|c| c.authenticator_transports.iter().for_each(drop));
    }
}

/// JSON-ish text built from the member names the readers look for, so the generator reaches
/// past the JSON validator.
fn jsonish() -> impl Strategy<Value = String> {
    let names = prop::sample::select(vec![
        "UserSub",
        "UserConfirmed",
        "CodeDeliveryDetails",
        "Destination",
        "DeliveryMedium",
        "AttributeName",
        "Session",
        "Username",
        "UserAttributes",
        "Name",
        "Value",
        "MFAOptions",
        "PreferredMfaSetting",
        "UserMFASettingList",
        "ConfiguredUserAuthFactors",
        "CodeDeliveryDetailsList",
        "SecretCode",
        "Status",
        "Device",
        "Devices",
        "DeviceKey",
        "DeviceAttributes",
        "DeviceCreateDate",
        "UserConfirmationNecessary",
        "PaginationToken",
        "CredentialCreationOptions",
        "Credentials",
        "CredentialId",
        "FriendlyCredentialName",
        "RelyingPartyId",
        "AuthenticatorTransports",
        "CreatedAt",
        "NextToken",
        "__type",
        "message",
    ]);
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("-1.5e300".to_owned()),
        Just("18446744073709551616".to_owned()),
        "[a-z\\\\\"]{0,6}".prop_map(|s| format!("\"{s}\"")),
        Just("\"\\u00e9\\ud83d\\ude00\"".to_owned()),
    ];
    leaf.prop_recursive(4, 48, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((names.clone(), inner), 0..5).prop_map(|members| {
                let members: Vec<String> = members
                    .into_iter()
                    .map(|(k, v)| format!("\"{k}\":{v}"))
                    .collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(
        status in prop::sample::select(vec![100u16, 200, 204, 302, 400, 500, 700]),
        body in prop::collection::vec(any::<u8>(), 0..256),
    ) {
        read_all(&HttpResponse::new(status, &body));
    }

    #[test]
    fn arbitrary_json_never_panics(body in jsonish()) {
        read_all(&HttpResponse::new(200, body.as_bytes()));
        read_all(&HttpResponse::new(400, body.as_bytes()));
    }
}

#[test]
fn non_success_statuses() {
    assert!(matches!(
        SignUpReply::read(&HttpResponse::new(302, b"")),
        Err(Error::Protocol(
            cognito_core::ProtocolError::UnexpectedStatus(302)
        ))
    ));
    // A 200 carrying `__type` is an error too.
    assert!(matches!(
        GetUserReply::read(&HttpResponse::new(
            200,
            br#"{"__type":"NotAuthorizedException"}"#
        )),
        Err(Error::Service(_))
    ));
}
