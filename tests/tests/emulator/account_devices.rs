//! Devices and passkeys with an access token: GetDevice, ListDevices (pagination), and passkey
//! registration (StartWebAuthnRegistration → CompleteWebAuthnRegistration), listing and deletion,
//! with the registered passkey signing in through USER_AUTH WEB_AUTHN.

use cognito_tests::fixtures::raw_client::flows_pool::*;
use cognito_tests::fixtures::raw_client::*;
use cognito_tests::pool::{
    AppClientOptions, DeviceTracking, FirstAuthFactor, Passkey, RELYING_PARTY_ID, UserPool,
};
use serde_json::{Value, json};

fn tracked_pool(seed: u64) -> (UserPool, RawClient, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            device_tracking: DeviceTracking::UserOptIn,
            ..AppClientOptions::default()
        },
    );
    let sub = pool.add_user("pat", PASSWORD);
    (pool, RawClient::new(CLIENT_ID, None, seed), sub)
}

fn keys(devices: &Value) -> Vec<String> {
    devices
        .as_array()
        .unwrap()
        .iter()
        .map(|d| str_of(&d["DeviceKey"]).to_owned())
        .collect()
}

#[test]
fn get_device_reports_attributes_and_dates() {
    let (mut pool, mut client, _) = tracked_pool(1);
    let created = pool.now();
    let tokens = client.srp_tokens(&mut pool, "pat", PASSWORD).unwrap();
    let token = access(&tokens).unwrap();
    let key = str_of(&tokens["NewDeviceMetadata"]["DeviceKey"]).to_owned();

    // Not confirmed yet: not a device.
    let reply = with_token(&mut pool, "GetDevice", &token, json!({ "DeviceKey": key }));
    expect_error(&reply, "ResourceNotFoundException");
    let body = expect_ok(&with_token(&mut pool, "ListDevices", &token, json!({})));
    assert_eq!(body, json!({ "Devices": [] }));

    pool.advance(10);
    let (device, _) = client
        .confirm_device(&mut pool, &tokens["NewDeviceMetadata"], &token, DEVICE_NAME)
        .unwrap();
    pool.advance(10);
    expect_ok(&with_token(
        &mut pool,
        "UpdateDeviceStatus",
        &token,
        json!({ "DeviceKey": key, "DeviceRememberedStatus": "remembered" }),
    ));
    let body = expect_ok(&with_token(
        &mut pool,
        "GetDevice",
        &token,
        json!({ "DeviceKey": key }),
    ));
    assert_eq!(
        body["Device"],
        json!({
            "DeviceKey": key,
            "DeviceAttributes": [
                { "Name": "device_status", "Value": "valid" },
                { "Name": "device_name", "Value": "flows-test" },
                { "Name": "dev:device_remembered_status", "Value": "remembered" },
            ],
            "DeviceCreateDate": created,
            "DeviceLastModifiedDate": created + 20,
            "DeviceLastAuthenticatedDate": created,
        })
    );

    // A device sign-in updates the last authentication.
    pool.advance(100);
    let (reply, sub) = client
        .srp(&mut pool, "pat", PASSWORD, Some(&device.key))
        .unwrap();
    let (_, session) = expect_challenge(&reply, "DEVICE_SRP_AUTH");
    let reply = client
        .device_srp(&mut pool, &sub, &device, &session)
        .unwrap();
    let second = expect_tokens(&reply);
    let body = expect_ok(&with_token(
        &mut pool,
        "GetDevice",
        &access(&second).unwrap(),
        json!({ "DeviceKey": key }),
    ));
    assert_eq!(body["Device"]["DeviceLastAuthenticatedDate"], created + 120);

    // Someone else's device does not exist for pat.
    pool.add_user("quinn", PASSWORD);
    let mut other = RawClient::new(CLIENT_ID, None, 77);
    let quinn = other.srp_tokens(&mut pool, "quinn", PASSWORD).unwrap();
    let reply = with_token(
        &mut pool,
        "GetDevice",
        &access(&quinn).unwrap(),
        json!({ "DeviceKey": key }),
    );
    expect_error(&reply, "ResourceNotFoundException");
}

#[test]
fn list_devices_paginates() {
    let (mut pool, mut client, _) = tracked_pool(2);
    let mut token = String::new();
    let mut confirmed = Vec::new();
    for _ in 0..5 {
        let tokens = client.srp_tokens(&mut pool, "pat", PASSWORD).unwrap();
        token = access(&tokens).unwrap();
        let (device, _) = client
            .confirm_device(&mut pool, &tokens["NewDeviceMetadata"], &token, DEVICE_NAME)
            .unwrap();
        confirmed.push(device.key);
    }
    confirmed.sort();

    let body = expect_ok(&with_token(&mut pool, "ListDevices", &token, json!({})));
    assert_eq!(keys(&body["Devices"]), confirmed);
    assert!(body.get("PaginationToken").is_none());

    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut request = json!({ "Limit": 2 });
        if let Some(next) = &next {
            request["PaginationToken"] = json!(next);
        }
        let body = expect_ok(&with_token(&mut pool, "ListDevices", &token, request));
        let page = keys(&body["Devices"]);
        assert!(page.len() <= 2);
        seen.extend(page);
        pages += 1;
        match body.get("PaginationToken") {
            Some(token) => next = Some(str_of(token).to_owned()),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen, confirmed);

    // A token survives forgetting the device it points after.
    let body = expect_ok(&with_token(
        &mut pool,
        "ListDevices",
        &token,
        json!({ "Limit": 2 }),
    ));
    let next = str_of(&body["PaginationToken"]).to_owned();
    expect_ok(&with_token(
        &mut pool,
        "ForgetDevice",
        &token,
        json!({ "DeviceKey": confirmed[1] }),
    ));
    let body = expect_ok(&with_token(
        &mut pool,
        "ListDevices",
        &token,
        json!({ "Limit": 2, "PaginationToken": next }),
    ));
    assert_eq!(keys(&body["Devices"]), confirmed[2..4]);

    for bad in [
        json!({ "Limit": 0 }),
        json!({ "Limit": 61 }),
        json!({ "Limit": -1 }),
        json!({ "PaginationToken": "!!!" }),
    ] {
        expect_error(
            &with_token(&mut pool, "ListDevices", &token, bad),
            "InvalidParameterException",
        );
    }
    expect_error(
        &with_token(&mut pool, "ListDevices", &token, json!({ "Limit": "2" })),
        "SerializationException",
    );
}

fn passkey_pool(seed: u64) -> (UserPool, RawClient, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.set_allowed_first_auth_factors(&[FirstAuthFactor::WebAuthn]);
    pool.add_user("pat", PASSWORD);
    let mut client = RawClient::new(CLIENT_ID, None, seed);
    let token = access(&client.srp_tokens(&mut pool, "pat", PASSWORD).unwrap()).unwrap();
    (pool, client, token)
}

fn authenticator(seed: u8) -> Passkey {
    Passkey {
        credential_id: format!("Y3JlZGVudGlhbC0{seed:02}LWlkLXBhZA"),
        secret: vec![seed; 32],
    }
}

#[test]
fn a_registered_passkey_signs_in() {
    let (mut pool, client, token) = passkey_pool(3);
    let body = expect_ok(&with_token(
        &mut pool,
        "StartWebAuthnRegistration",
        &token,
        json!({}),
    ));
    let options = body["CredentialCreationOptions"].clone();
    assert!(options.is_object(), "{body}");
    assert_eq!(options["rp"]["id"], RELYING_PARTY_ID);
    assert_eq!(options["user"]["name"], "pat");
    assert_eq!(options["excludeCredentials"], json!([]));
    assert_eq!(
        options["authenticatorSelection"]["userVerification"],
        "required"
    );

    let passkey = authenticator(1);
    let credential = passkey.registration(&options).unwrap();
    let reply = with_token(
        &mut pool,
        "CompleteWebAuthnRegistration",
        &token,
        json!({ "Credential": credential }),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    // The challenge was used up.
    let reply = with_token(
        &mut pool,
        "CompleteWebAuthnRegistration",
        &token,
        json!({ "Credential": credential }),
    );
    expect_error(&reply, "WebAuthnChallengeNotFoundException");

    let body = expect_ok(&with_token(
        &mut pool,
        "ListWebAuthnCredentials",
        &token,
        json!({}),
    ));
    assert_eq!(
        body,
        json!({ "Credentials": [{
            "CredentialId": passkey.credential_id,
            "FriendlyCredentialName": format!("passkey-{}", &passkey.credential_id[..8]),
            "RelyingPartyId": RELYING_PARTY_ID,
            "AuthenticatorAttachment": "platform",
            "AuthenticatorTransports": ["internal", "hybrid"],
            "CreatedAt": pool.now(),
        }]})
    );

    // Sign in with it.
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "pat",
        json!({ "PREFERRED_CHALLENGE": "WEB_AUTHN" }),
    );
    let (params, session) = expect_challenge(&reply, "WEB_AUTHN");
    let assertion = passkey
        .assertion(str_of(&params["CREDENTIAL_REQUEST_OPTIONS"]))
        .unwrap();
    let sub = str_of(&params["USERNAME"]).to_owned();
    let reply = client.respond(
        &mut pool,
        "WEB_AUTHN",
        &sub,
        json!({ "CREDENTIAL": assertion }),
        Some(&session),
    );
    expect_tokens(&reply);

    // Start again: the registered credential is excluded; registering it twice is refused.
    let body = expect_ok(&with_token(
        &mut pool,
        "StartWebAuthnRegistration",
        &token,
        json!({}),
    ));
    let options = body["CredentialCreationOptions"].clone();
    assert_eq!(
        options["excludeCredentials"],
        json!([{ "type": "public-key", "id": passkey.credential_id }])
    );
    let reply = with_token(
        &mut pool,
        "CompleteWebAuthnRegistration",
        &token,
        json!({ "Credential": passkey.registration(&options).unwrap() }),
    );
    expect_error(&reply, "InvalidParameterException");

    // Delete it: no more passkey sign-in.
    let reply = with_token(
        &mut pool,
        "DeleteWebAuthnCredential",
        &token,
        json!({ "CredentialId": passkey.credential_id }),
    );
    assert_eq!(expect_ok(&reply), json!({}));
    let reply = with_token(
        &mut pool,
        "DeleteWebAuthnCredential",
        &token,
        json!({ "CredentialId": passkey.credential_id }),
    );
    expect_error(&reply, "ResourceNotFoundException");
    assert_eq!(
        expect_ok(&with_token(
            &mut pool,
            "ListWebAuthnCredentials",
            &token,
            json!({})
        )),
        json!({ "Credentials": [] })
    );
    let reply = client.initiate(
        &mut pool,
        "USER_AUTH",
        "pat",
        json!({ "PREFERRED_CHALLENGE": "WEB_AUTHN" }),
    );
    expect_challenge(&reply, "SELECT_CHALLENGE");
}

#[test]
fn passkey_registration_is_checked() {
    let (mut pool, _, token) = passkey_pool(4);
    let complete = |pool: &mut UserPool, credential: Value| {
        with_token(
            pool,
            "CompleteWebAuthnRegistration",
            &token,
            json!({ "Credential": credential }),
        )
    };
    let passkey = authenticator(2);
    expect_error(
        &complete(
            &mut pool,
            passkey
                .registration(&json!({ "challenge": "abc", "rp": { "id": RELYING_PARTY_ID } }))
                .unwrap(),
        ),
        "WebAuthnChallengeNotFoundException",
    );

    let start = |pool: &mut UserPool| {
        expect_ok(&with_token(
            pool,
            "StartWebAuthnRegistration",
            &token,
            json!({}),
        ))["CredentialCreationOptions"]
            .clone()
    };
    let options = start(&mut pool);
    let mut wrong_challenge = options.clone();
    wrong_challenge["challenge"] = json!("d3Jvbmc");
    expect_error(
        &complete(&mut pool, passkey.registration(&wrong_challenge).unwrap()),
        "WebAuthnChallengeNotFoundException",
    );

    let options = start(&mut pool);
    let mut wrong_rp = options.clone();
    wrong_rp["rp"]["id"] = json!("evil.example");
    expect_error(
        &complete(&mut pool, passkey.registration(&wrong_rp).unwrap()),
        "WebAuthnOriginNotAllowedException",
    );

    let options = start(&mut pool);
    let mut credential = passkey.registration(&options).unwrap();
    credential["response"]["publicKey"] = json!("c2hvcnQ");
    expect_error(
        &complete(&mut pool, credential),
        "InvalidParameterException",
    );

    let options = start(&mut pool);
    let mut credential = passkey.registration(&options).unwrap();
    credential["type"] = json!("password");
    expect_error(
        &complete(&mut pool, credential),
        "InvalidParameterException",
    );

    start(&mut pool);
    let reply = with_token(
        &mut pool,
        "CompleteWebAuthnRegistration",
        &token,
        json!({ "Credential": "{}" }),
    );
    expect_error(&reply, "InvalidParameterException");

    // Another app client cannot finish a registration this one started.
    let options = start(&mut pool);
    pool.add_client("secondclient", None);
    let mut other = RawClient::new(CLIENT_ID, None, 5);
    other.client_id = "secondclient".to_owned();
    let other_token = access(&other.srp_tokens(&mut pool, "pat", PASSWORD).unwrap()).unwrap();
    let reply = with_token(
        &mut pool,
        "CompleteWebAuthnRegistration",
        &other_token,
        json!({ "Credential": passkey.registration(&options).unwrap() }),
    );
    expect_error(&reply, "WebAuthnClientMismatchException");

    // Pools without passkeys refuse to start.
    pool.set_allowed_first_auth_factors(&[]);
    let reply = with_token(&mut pool, "StartWebAuthnRegistration", &token, json!({}));
    expect_error(&reply, "WebAuthnNotEnabledException");
}

#[test]
fn list_webauthn_credentials_paginates() {
    let (mut pool, _, token) = passkey_pool(5);
    let mut ids = Vec::new();
    for seed in 10..15 {
        let options = expect_ok(&with_token(
            &mut pool,
            "StartWebAuthnRegistration",
            &token,
            json!({}),
        ))["CredentialCreationOptions"]
            .clone();
        let passkey = authenticator(seed);
        expect_ok(&with_token(
            &mut pool,
            "CompleteWebAuthnRegistration",
            &token,
            json!({ "Credential": passkey.registration(&options).unwrap() }),
        ));
        ids.push(passkey.credential_id);
    }
    ids.sort();
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    loop {
        let mut request = json!({ "MaxResults": 3 });
        if let Some(next) = &next {
            request["NextToken"] = json!(next);
        }
        let body = expect_ok(&with_token(
            &mut pool,
            "ListWebAuthnCredentials",
            &token,
            request,
        ));
        seen.extend(
            body["Credentials"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| str_of(&c["CredentialId"]).to_owned()),
        );
        match body.get("NextToken") {
            Some(token) => next = Some(str_of(token).to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids);
    expect_error(
        &with_token(
            &mut pool,
            "ListWebAuthnCredentials",
            &token,
            json!({ "MaxResults": 21 }),
        ),
        "InvalidParameterException",
    );
}
