//! What the client's tests over plain TCP (`client.rs`) and over TLS (`tls.rs`) share: the app
//! client, the client's buffers and options, the host's clock, and the scenes both play through
//! their own connector (a device's life after its first sign-in, replies cut in the middle); and
//! the recording server of the pool domain's and the identity pool's tests ([`recording`]).

// Each test crate uses its own part of this module.
#![allow(dead_code)]

pub(crate) mod recording;

use cognito_core::account::GetUser;
use cognito_core::auth::{
    ClientConfig, DeviceCredentials, DeviceRegistration, DeviceStep, NewDeviceMetadata, Refresh,
    SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_embassy::client::{Client, Options};
use cognito_embassy::clock::WallClock;
use cognito_embassy::connect::Connect;
use cognito_embassy::error::Error;
use cognito_tests::fixtures::{ScriptedServer, unix_now};
use rand_chacha::ChaCha20Rng;

pub(crate) const POOL_ID: &str = "eu-west-1_DevicePool";
pub(crate) const CLIENT_ID: &str = "deviceclient00000000000000";
pub(crate) const PASSWORD: &str = "Corr3ct-Horse!";

pub(crate) fn config() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

pub(crate) fn ephemeral(rng: &mut ChaCha20Rng) -> SrpEphemeral {
    SrpEphemeral::generate(rng).unwrap()
}

/// An SRP sign-in of `username` with the test password.
pub(crate) fn srp(username: &str, rng: &mut ChaCha20Rng) -> SignIn {
    SignIn::srp(&config(), username, PASSWORD, ephemeral(rng)).unwrap()
}

/// Fast retries, short timeouts.
pub(crate) fn options() -> Options {
    Options {
        timeout: embassy_time::Duration::from_secs(10),
        max_attempts: 3,
        base_delay: embassy_time::Duration::from_millis(5),
        max_delay: embassy_time::Duration::from_millis(20),
        ..Options::default()
    }
}

/// The host's clock, as an RTC.
pub(crate) struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::from_secs(unix_now()))
    }
}

/// A client's request and reply buffers (4 KiB and 16 KiB, as the crate docs advise).
pub(crate) struct Buffers {
    request: [u8; 4096],
    reply: [u8; 16384],
}

impl Buffers {
    pub(crate) fn new() -> Self {
        Self {
            request: [0; 4096],
            reply: [0; 16384],
        }
    }

    /// A client over `connector` in these buffers, with [`options`], knowing the time only
    /// from the pool's replies.
    pub(crate) fn client<'a, C: Connect>(&'a mut self, connector: &'a C) -> Client<'a, C> {
        Client::new(config(), connector, &mut self.request, &mut self.reply).with_options(options())
    }

    /// [`Self::client`] with the host's clock as its RTC.
    pub(crate) fn client_with_clock<'a, C: Connect>(
        &'a mut self,
        connector: &'a C,
    ) -> Client<'a, C> {
        self.client(connector).with_wall_clock(&SystemClock)
    }
}

/// The tokens of a first sign-in, owned.
#[derive(Debug)]
pub(crate) struct FirstSignIn {
    pub(crate) access: String,
    pub(crate) refresh: String,
    /// The device key and device group key the pool offered.
    pub(crate) device_key: String,
    pub(crate) device_group_key: String,
}

impl FirstSignIn {
    /// The tokens of an `Authenticated` step that offers a device (panics on any other step).
    pub(crate) fn from_step(step: Step<'_>) -> Self {
        match step {
            Step::Authenticated(t) => {
                let device = t.new_device.expect("a device offer");
                Self {
                    access: t.access_token.to_owned(),
                    refresh: t.refresh_token.expect("a refresh token").to_owned(),
                    device_key: device.device_key.to_owned(),
                    device_group_key: device.device_group_key.to_owned(),
                }
            }
            other => panic!("{other:?}"),
        }
    }
}

/// What [`remember_reboot_and_refresh`] sends, in order (as `operations_and_flows` lists it).
pub(crate) const DEVICE_LIFE_OPERATIONS: [&str; 7] = [
    "ConfirmDevice",
    "GetUser",
    "InitiateAuth USER_SRP_AUTH",
    "RespondToAuthChallenge PASSWORD_VERIFIER",
    "RespondToAuthChallenge DEVICE_SRP_AUTH",
    "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
    "InitiateAuth REFRESH_TOKEN_AUTH",
];

/// The rest of a device's life after its first sign-in (which needed an MFA code): the offered
/// device is registered (and remembered), an account call reads the user, then "after a
/// reboot" device SRP stands in for the MFA code, and a refresh bound to the device gives new
/// tokens ([`DEVICE_LIFE_OPERATIONS`]).
pub(crate) async fn remember_reboot_and_refresh<C: Connect>(
    client: &mut Client<'_, C>,
    username: &str,
    first: &FirstSignIn,
    rng: &mut ChaCha20Rng,
) {
    let offer = NewDeviceMetadata {
        device_key: &first.device_key,
        device_group_key: &first.device_group_key,
    };
    let mut registration: DeviceRegistration =
        DeviceRegistration::new(&config(), &offer, &first.access, &mut *rng)
            .unwrap()
            .with_device_name("test-device-7")
            .unwrap();
    let step = client.run(&mut registration, |step| step).await.unwrap();
    assert_eq!(step, DeviceStep::Registered { remembered: true });
    let device: DeviceCredentials = registration.credentials().clone();

    let user = client
        .call(&GetUser {
            access_token: &first.access,
        })
        .await
        .unwrap();
    assert!(user.username.eq_str(username));

    let mut flow = srp(username, rng).with_device(&device, ephemeral(rng));
    let signed_in = client
        .run(&mut flow, |step| matches!(step, Step::Authenticated(_)))
        .await
        .unwrap();
    assert!(signed_in, "no MFA code with the remembered device");

    let mut refresh: Refresh = Refresh::new(&config(), &first.refresh)
        .unwrap()
        .with_username(username)
        .unwrap()
        .with_device_key(device.device_key())
        .unwrap();
    let fresh = client
        .run(&mut refresh, |result| result.access_token.to_owned())
        .await
        .unwrap();
    assert_ne!(fresh, first.access);
}

/// Against a server that cut its first reply in the middle: the SRP `InitiateAuth` was sent
/// again (on a new connection) and the sign-in reached its challenge.
pub(crate) async fn a_cut_initiate_auth_is_sent_again<C: Connect>(
    client: &mut Client<'_, C>,
    server: &ScriptedServer,
    username: &str,
    rng: &mut ChaCha20Rng,
) {
    let mut flow = srp(username, rng);
    let challenge = client
        .run(&mut flow, |step| matches!(step, Step::Challenge(_)))
        .await
        .unwrap();
    assert!(challenge);
    assert_eq!(
        server.seen(),
        ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
    );
}

/// Against a server that cuts every answer's reply: the answer is sent once, and its outcome
/// is unknown.
pub(crate) async fn a_cut_answer_is_not_sent_again<C: Connect>(
    client: &mut Client<'_, C>,
    server: &ScriptedServer,
    username: &str,
    rng: &mut ChaCha20Rng,
) {
    let mut flow = srp(username, rng);
    let err = client.run(&mut flow, |_| ()).await.unwrap_err();
    assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
    assert_eq!(server.seen(), ["InitiateAuth", "RespondToAuthChallenge"]);
}
