//! The flows own copies of their inputs: one built from `String`s that are dropped before it is
//! used still writes them (and the borrow checker proves nothing is borrowed), and the
//! `ClientMetadata` given once reaches every request that can carry it.

use cognito_core::auth::{
    Answer, ClientConfig, DeviceCredentials, DeviceRegistration, Refresh, RefreshOperation, SignIn,
};
use cognito_core::exchange::Flow;
use cognito_core::srp::DeviceVerifier;
use cognito_core::wire::{HttpResponse, Operation};
use serde_json::{Value, json};

use crate::support::*;

/// Holds `value` where only owned values fit.
fn keep<T: 'static>(value: T) -> Box<T> {
    Box::new(value)
}

/// Writes the flow's next request as (operation, JSON).
fn written<F: Flow>(flow: &mut F) -> (Operation, Value) {
    let mut buf = vec![0u8; 16 * 1024];
    let request = flow.write_request(&mut buf).unwrap();
    (request.operation, body_json(&request))
}

#[test]
fn a_sign_in_owns_its_inputs() {
    let (mut flow, device_key) = {
        let pool = String::from(POOL);
        let client = String::from(CLIENT);
        let secret = String::from(SECRET);
        let username = String::from("alice");
        let password = String::from("Passw0rd!");
        let device = (
            String::from("us-east-1_dev"),
            String::from("-grp"),
            String::from("device-password"),
        );
        let metadata = (String::from("app"), String::from("thermostat"));
        let config = ClientConfig::new(&pool, &client)
            .unwrap()
            .with_client_secret(&secret)
            .unwrap();
        let device = DeviceCredentials::new(&device.0, &device.1, &device.2).unwrap();
        let flow: SignIn = SignIn::srp(&config, &username, &password, eph(1))
            .unwrap()
            .with_device(&device, eph(2))
            .with_client_metadata(&[(&metadata.0, &metadata.1)])
            .unwrap();
        (keep(flow), device.device_key().to_owned())
        // Every String, the config and the device credentials are dropped here.
    };
    assert_eq!(flow.username(), "alice");
    let (operation, initiate) = written(&mut *flow);
    assert_eq!(operation, Operation::InitiateAuth);
    assert_eq!(initiate["ClientId"], CLIENT);
    assert_eq!(initiate["AuthParameters"]["USERNAME"], "alice");
    assert_eq!(initiate["AuthParameters"]["DEVICE_KEY"], device_key);
    assert_eq!(
        initiate["AuthParameters"]["SECRET_HASH"],
        cognito_core::SecretHash::new(SECRET, "alice", CLIENT).as_str()
    );
    assert_eq!(initiate["ClientMetadata"], json!({"app": "thermostat"}));
    // The password is proven with the copy the flow kept.
    let verifier = challenge("PASSWORD_VERIFIER", None, verifier_params());
    assert_eq!(feed(&mut *flow, &verifier).unwrap(), "send");
    let (_, claim) = written(&mut *flow);
    assert!(claim["ChallengeResponses"]["PASSWORD_CLAIM_SIGNATURE"].is_string());
}

#[test]
fn a_refresh_and_a_device_registration_own_their_inputs() {
    let mut refresh = {
        let config = ClientConfig::new(&String::from(POOL), &String::from(CLIENT)).unwrap();
        let token = String::from("refresh-token");
        let username = String::from("sub-123");
        let device_key = String::from("us-east-1_dev");
        let refresh: Refresh = Refresh::new(&config, &token)
            .unwrap()
            .with_username(&username)
            .unwrap()
            .with_device_key(&device_key)
            .unwrap();
        keep(refresh)
    };
    let (_, body) = written(&mut *refresh);
    assert_eq!(body["AuthParameters"]["REFRESH_TOKEN"], "refresh-token");
    assert_eq!(body["AuthParameters"]["DEVICE_KEY"], "us-east-1_dev");

    let mut registration = {
        let access_token = String::from("eyJ.access.token");
        let name = String::from("thermostat-42");
        let verifier = DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]);
        let device = DeviceCredentials::new(
            &String::from("us-east-1_dev"),
            &String::from("-grp"),
            &String::from(verifier.device_password()),
        )
        .unwrap();
        let registration: DeviceRegistration =
            DeviceRegistration::with_verifier(config(), &access_token, device, verifier)
                .unwrap()
                .with_device_name(&name)
                .unwrap();
        keep(registration)
    };
    let (_, body) = written(&mut *registration);
    assert_eq!(body["AccessToken"], "eyJ.access.token");
    assert_eq!(body["DeviceName"], "thermostat-42");
    assert_eq!(body["DeviceKey"], "us-east-1_dev");
}

/// Metadata with what JSON must escape.
const METADATA: &[(&str, &str)] = &[
    ("source", "kiosk \"7\""),
    ("path", "C:\\dev\nline"),
    ("café", "☕"),
];

fn metadata_json() -> Value {
    json!({"source": "kiosk \"7\"", "path": "C:\\dev\nline", "café": "☕"})
}

#[test]
fn client_metadata_reaches_every_sign_in_request() {
    let expected = metadata_json();
    // SRP with a device: InitiateAuth and the three SRP answers.
    let device = DeviceCredentials::new("us-east-1_dev", "-grp", "pw").unwrap();
    let mut flow: SignIn = SignIn::srp(config(), "alice", "pw", eph(1))
        .unwrap()
        .with_device(&device, eph(2))
        .with_client_metadata(METADATA)
        .unwrap();
    assert_eq!(write(&mut flow).1["ClientMetadata"], expected);
    for (name, params) in [
        ("PASSWORD_VERIFIER", verifier_params()),
        ("DEVICE_SRP_AUTH", json!({})),
        ("DEVICE_PASSWORD_VERIFIER", verifier_params()),
    ] {
        feed(&mut flow, &challenge(name, Some("s"), params)).unwrap();
        let (_, respond) = write(&mut flow);
        assert_eq!(respond["ChallengeName"], name);
        assert_eq!(respond["ClientMetadata"], expected, "{name}");
    }

    // The caller's answers, and MFA setup: AssociateSoftwareToken and VerifySoftwareToken have
    // no ClientMetadata in Cognito's API; the RespondToAuthChallenge after them has.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw")
        .unwrap()
        .with_client_metadata(METADATA)
        .unwrap();
    assert_eq!(write(&mut flow).1["ClientMetadata"], expected);
    feed(&mut flow, &challenge("SMS_MFA", Some("s1"), json!({}))).unwrap();
    let (_, respond) = answer(&mut flow, &Answer::Code("123456"));
    assert_eq!(respond["ClientMetadata"], expected);
    feed(&mut flow, &challenge("MFA_SETUP", Some("s2"), json!({}))).unwrap();
    let (op, associate) = answer(&mut flow, &Answer::SetUpTotp);
    assert_eq!(op, Operation::AssociateSoftwareToken);
    assert!(associate.get("ClientMetadata").is_none());
    feed(
        &mut flow,
        &json!({"SecretCode": "JBSWY3DPEHPK3PXP", "Session": "s3"}),
    )
    .unwrap();
    let verify = Answer::VerifyTotp {
        code: "123456",
        friendly_name: None,
    };
    let (op, verify) = answer(&mut flow, &verify);
    assert_eq!(op, Operation::VerifySoftwareToken);
    assert!(verify.get("ClientMetadata").is_none());
    feed(&mut flow, &json!({"Status": "SUCCESS", "Session": "s4"})).unwrap();
    let (_, setup_done) = write(&mut flow);
    assert_eq!(setup_done["ChallengeName"], "MFA_SETUP");
    assert_eq!(setup_done["ClientMetadata"], expected);

    // Custom challenges (the Lambda triggers it is meant for), and USER_AUTH after sign-up.
    let mut flow: SignIn = SignIn::custom(config(), "alice")
        .unwrap()
        .with_client_metadata(METADATA)
        .unwrap();
    assert_eq!(write(&mut flow).1["ClientMetadata"], expected);
    feed(
        &mut flow,
        &challenge("CUSTOM_CHALLENGE", Some("c"), json!({})),
    )
    .unwrap();
    assert_eq!(
        answer(&mut flow, &Answer::Custom("42")).1["ClientMetadata"],
        expected
    );
    let mut flow: SignIn = SignIn::after_sign_up(config(), "alice", "sign-up-session", None)
        .unwrap()
        .with_client_metadata(METADATA)
        .unwrap();
    assert_eq!(write(&mut flow).1["ClientMetadata"], expected);

    // None, or none any more: no member at all.
    let mut flow: SignIn = SignIn::password(config(), "alice", "pw")
        .unwrap()
        .with_client_metadata(METADATA)
        .unwrap()
        .with_client_metadata(&[])
        .unwrap();
    assert!(write(&mut flow).1.get("ClientMetadata").is_none());
}

#[test]
fn client_metadata_reaches_both_refresh_requests() {
    for (operation, name) in [
        (RefreshOperation::InitiateAuth, Operation::InitiateAuth),
        (
            RefreshOperation::GetTokensFromRefreshToken,
            Operation::GetTokensFromRefreshToken,
        ),
    ] {
        let mut refresh: Refresh = Refresh::new(config(), "rt")
            .unwrap()
            .using(operation)
            .with_client_metadata(METADATA)
            .unwrap();
        let (op, body) = written(&mut refresh);
        assert_eq!(op, name);
        assert_eq!(body["ClientMetadata"], metadata_json(), "{name}");
        // Resent after a failure, it is the same request.
        let throttled = error_body("TooManyRequestsException");
        assert!(
            refresh
                .handle_response(&HttpResponse::new(400, &throttled), NOW)
                .is_err()
        );
        assert_eq!(written(&mut refresh), (op, body));
    }
}
