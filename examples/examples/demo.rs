//! A complete sign-in story against an in-memory user pool — no AWS account, no network:
//! SRP sign-in, the pool offering to track the device, registering it (`ConfirmDevice`, as the
//! `DeviceRegistration` flow), and a second sign-in that proves the device with device SRP. Every
//! request and reply is printed.
//!
//! ```text
//! cargo run -q -p cognito-examples --example demo
//! ```

use cognito_core::auth::{
    ClientConfig, DeviceRegistration, DeviceStep, NewDeviceMetadata, SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_core::wire::{CONTENT_TYPE, HttpResponse};
use cognito_core::{Error, Flow};
use cognito_tests::pool::{AppClientOptions, DeviceTracking, UserPool};
use rand::SeedableRng;

const POOL_ID: &str = "eu-west-1_DemoPool";
const CLIENT_ID: &str = "7demo0client0id0example00";

fn main() -> Result<(), Error> {
    // The server side: an emulated pool with one user and device tracking on.
    let mut pool = UserPool::new(POOL_ID, 2026);
    pool.add_client_with(
        CLIENT_ID,
        AppClientOptions {
            secret: None,
            device_tracking: DeviceTracking::Always,
        },
    );
    pool.add_user("alice", "correct horse battery staple");

    // The client side: cognito-core, with randomness and time passed in.
    let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
    let config = ClientConfig::new(POOL_ID, CLIENT_ID)?;

    println!("== 1. SRP sign-in (USER_SRP_AUTH)");
    let sign_in: SignIn = SignIn::srp(
        &config,
        "alice",
        "correct horse battery staple",
        SrpEphemeral::generate(&mut rng)?,
    )?;
    let (access_token, device) = run(&mut pool, sign_in)?;
    let (device_key, group_key) = device.ok_or(cognito_core::ProtocolError::MissingField(
        "NewDeviceMetadata",
    ))?;

    println!(
        "\n== 2. Register the device: ConfirmDevice with a verifier of a fresh device password"
    );
    let offer = NewDeviceMetadata {
        device_key: &device_key,
        device_group_key: &group_key,
    };
    let mut registration: DeviceRegistration =
        DeviceRegistration::new(&config, &offer, &access_token, &mut rng)?
            .with_device_name("demo-thermostat")?;
    let mut buf = [0u8; 2048];
    let remembered = loop {
        let request = registration.write_request(&mut buf)?;
        let (status, error_type, body) = send(&mut pool, request.operation.name(), request.body);
        let reply = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        match registration.handle_response(&reply, UnixTime::from_secs(pool.now()))? {
            DeviceStep::SendRequest => println!("   the user may choose: remember it"),
            DeviceStep::Registered { remembered } => break remembered,
            _ => return Err(cognito_core::ProtocolError::UnexpectedChallenge.into()),
        }
    };
    // Persist these (the device password is a secret, like a refresh token).
    let device = registration.credentials().clone();
    println!(
        "   registered {} (remembered: {remembered})",
        device.device_key()
    );

    println!("\n== 3. Sign in again as a remembered device (DEVICE_SRP_AUTH)");
    let sign_in: SignIn = SignIn::srp(
        &config,
        "alice",
        "correct horse battery staple",
        SrpEphemeral::generate(&mut rng)?,
    )?
    .with_device(&device, SrpEphemeral::generate(&mut rng)?);
    let (access_token, _) = run(&mut pool, sign_in)?;
    let claims = pool.verify_access_token(&access_token);
    println!(
        "\nSigned in as {} on device {}.",
        claims.as_ref().map_or("?", |c| c.sub.as_str()),
        claims
            .as_ref()
            .and_then(|c| c.device_key.as_deref())
            .unwrap_or("?")
    );
    Ok(())
}

/// The run loop: write, send, handle, until the flow signs in.
fn run(pool: &mut UserPool, mut flow: SignIn) -> Result<(String, Option<(String, String)>), Error> {
    let mut buf = vec![0u8; 8192];
    loop {
        let request = flow.write_request(&mut buf)?;
        let (status, error_type, body) = send(pool, request.operation.name(), request.body);
        let reply = HttpResponse::new(status, &body).with_error_type(error_type.as_deref());
        match flow.handle_response(&reply, UnixTime::from_secs(pool.now()))? {
            Step::SendRequest => {}
            Step::Authenticated(tokens) => {
                let device = tokens
                    .new_device
                    .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned()));
                return Ok((tokens.access_token.to_owned(), device));
            }
            Step::Challenge(challenge) => {
                println!(
                    "   the pool asks for {}: answering challenges is not part of this demo",
                    challenge.name()
                );
                return Err(cognito_core::ProtocolError::UnexpectedChallenge.into());
            }
            _ => return Err(cognito_core::ProtocolError::UnexpectedChallenge.into()),
        }
    }
}

/// "Sends" a request to the emulated pool, printing both directions (long values shortened).
fn send(pool: &mut UserPool, operation: &str, body: &[u8]) -> (u16, Option<String>, Vec<u8>) {
    println!("-> {operation} {}", shorten(body));
    let reply = pool.handle(
        &format!("AWSCognitoIdentityProviderService.{operation}"),
        CONTENT_TYPE,
        body,
    );
    println!("<- {} {}", reply.status, shorten(&reply.body));
    (reply.status, reply.error_type, reply.body)
}

fn shorten(json: &[u8]) -> String {
    let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(json) else {
        return String::from_utf8_lossy(json).into_owned();
    };
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::String(s) if s.chars().count() > 40 => {
                let head: String = s.chars().take(24).collect();
                *s = format!("{head}…({} chars)", s.chars().count());
            }
            serde_json::Value::Object(map) => map.values_mut().for_each(walk),
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    walk(&mut value);
    value.to_string()
}
