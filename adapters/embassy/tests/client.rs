//! The firmware client on the host, against the emulator over loopback TCP: a sign-in with an
//! SMS code and a wrong code first, the offered device registered, device SRP on the next
//! sign-in, a refresh bound to the device, account calls — all over one kept-alive connection —
//! and the transport's failures (a reply cut in the middle, a reply too large for the buffer, a
//! pool that is down), with what is sent again decided by the core.
//!
//! The connection here is plain TCP through tokio: the client takes any `Connect`, and these
//! tests are about the client, not the TLS layer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_core::account::GetUser;
use cognito_core::auth::{
    Answer, ChallengeKind, ClientConfig, CodeKind, DeviceCredentials, DeviceRegistration,
    DeviceStep, NewDeviceMetadata, Refresh, SignIn, Step,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::time::UnixTime;
use cognito_embassy::client::{Client, Options};
use cognito_embassy::clock::WallClock;
use cognito_embassy::connect::{Connect, InsecurePlaintextTcp};
use cognito_embassy::error::{ConnectError, Error};
use cognito_tests::fixtures::{
    Act, ScriptedServer, bounded, last_code, operations_and_flows, pool_with_client, unix_now,
    wrong_code,
};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{DeviceTracking, MfaConfiguration, MfaMode, UserOptions, UserPool};
use embedded_io_adapters::tokio_1::FromTokio;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

const POOL_ID: &str = "eu-west-1_DevicePool";
const CLIENT_ID: &str = "deviceclient00000000000000";
const PASSWORD: &str = "Corr3ct-Horse!";
const PHONE: &str = "+15555550142";

/// Plain TCP to a loopback address through tokio, counting the connections it opens.
struct Loopback {
    addr: SocketAddr,
    host: String,
    opened: AtomicUsize,
}

impl Loopback {
    fn new(addr: SocketAddr) -> Self {
        Self {
            addr,
            host: addr.to_string(),
            opened: AtomicUsize::new(0),
        }
    }

    fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }
}

impl Connect for Loopback {
    type Connection<'a> = FromTokio<tokio::net::TcpStream>;
    type Error = ConnectError;

    fn host(&self) -> &str {
        &self.host
    }

    async fn connect(&self, _now: Option<UnixTime>) -> Result<Self::Connection<'_>, ConnectError> {
        let stream = tokio::net::TcpStream::connect(self.addr)
            .await
            .map_err(|_| ConnectError::Tcp)?;
        self.opened.fetch_add(1, Ordering::SeqCst);
        Ok(FromTokio::new(stream))
    }
}

/// The host's clock, as an RTC.
struct SystemClock;

impl WallClock for SystemClock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::from_secs(unix_now()))
    }
}

fn pool(seed: u64, tracking: DeviceTracking) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, tracking);
    pool.add_user_with(
        "thermostat",
        PASSWORD,
        UserOptions {
            phone_number: Some(PHONE.to_owned()),
            phone_number_verified: true,
            sms_mfa: true,
            ..UserOptions::default()
        },
    );
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::On,
        sms: true,
        software_token: false,
        email: false,
    });
    pool.set_time(unix_now());
    pool
}

fn config() -> ClientConfig {
    ClientConfig::new(POOL_ID, CLIENT_ID).unwrap()
}

fn ephemeral(rng: &mut ChaCha20Rng) -> SrpEphemeral {
    SrpEphemeral::generate(rng).unwrap()
}

/// Fast retries, short timeouts.
fn options() -> Options {
    Options {
        timeout: embassy_time::Duration::from_secs(5),
        max_attempts: 3,
        base_delay: embassy_time::Duration::from_millis(5),
        max_delay: embassy_time::Duration::from_millis(20),
        ..Options::default()
    }
}

/// Owned tokens out of a step.
#[derive(Debug)]
struct Tokens {
    access: String,
    refresh: Option<String>,
    new_device: Option<(String, String)>,
}

#[tokio::test]
async fn a_device_signs_in_remembers_itself_and_refreshes_over_one_connection() {
    bounded(async {
        let server = EmulatorServer::start(pool(1, DeviceTracking::Always), "127.0.0.1:0").unwrap();
        let connector = Loopback::new(server.addr());
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options());
        let mut rng = ChaCha20Rng::seed_from_u64(7);

        // SRP: the flow answers PASSWORD_VERIFIER by itself, then asks for the SMS code.
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        let asked = client
            .run(&mut sign_in, |step| match step {
                Step::Challenge(c) => match c.kind() {
                    ChallengeKind::MfaCode { kind, .. } => Some(kind),
                    _ => None,
                },
                _ => None,
            })
            .await
            .unwrap();
        assert_eq!(asked, Some(CodeKind::SmsMfa));
        assert!(client.now().is_some(), "the Date header set the clock");

        // A wrong code is refused and the challenge waits; the right one signs in.
        let code = last_code(&server, PHONE).unwrap();
        let step = client
            .answer(&mut sign_in, &Answer::Code(wrong_code(&code)))
            .await
            .unwrap();
        assert!(matches!(step, Step::AnswerRefused(_)), "{step:?}");
        let tokens = match client
            .answer(&mut sign_in, &Answer::Code(&code))
            .await
            .unwrap()
        {
            Step::Authenticated(t) => Tokens {
                access: t.access_token.to_owned(),
                refresh: t.refresh_token.map(str::to_owned),
                new_device: t
                    .new_device
                    .map(|d| (d.device_key.to_owned(), d.device_group_key.to_owned())),
            },
            other => panic!("{other:?}"),
        };

        // The pool offers to remember the device: register it.
        let (key, group) = tokens.new_device.clone().expect("a device offer");
        let offer = NewDeviceMetadata {
            device_key: &key,
            device_group_key: &group,
        };
        let mut registration: DeviceRegistration =
            DeviceRegistration::new(&config(), &offer, &tokens.access, &mut rng)
                .unwrap()
                .with_device_name("thermostat-7")
                .unwrap();
        let step = client.run(&mut registration, |step| step).await.unwrap();
        assert_eq!(step, DeviceStep::Registered { remembered: true });
        let device: DeviceCredentials = registration.credentials().clone();

        // An account call with the access token.
        let user = client
            .call(&GetUser {
                access_token: &tokens.access,
            })
            .await
            .unwrap();
        assert!(user.username.eq_str("thermostat"));

        // "After a reboot": device SRP stands in for the SMS code.
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng))
                .unwrap()
                .with_device(&device, ephemeral(&mut rng));
        let signed_in = client
            .run(&mut sign_in, |step| matches!(step, Step::Authenticated(_)))
            .await
            .unwrap();
        assert!(signed_in, "no MFA with the remembered device");

        // A refresh bound to the device.
        let mut refresh: Refresh = Refresh::new(&config(), tokens.refresh.as_deref().unwrap())
            .unwrap()
            .with_username("thermostat")
            .unwrap()
            .with_device_key(device.device_key())
            .unwrap();
        let fresh = client
            .run(&mut refresh, |result| result.access_token.to_owned())
            .await
            .unwrap();
        assert_ne!(fresh, tokens.access);

        let ops = operations_and_flows(&server);
        assert_eq!(
            ops,
            [
                "InitiateAuth USER_SRP_AUTH",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "RespondToAuthChallenge SMS_MFA",
                "RespondToAuthChallenge SMS_MFA",
                "ConfirmDevice",
                "GetUser",
                "InitiateAuth USER_SRP_AUTH",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "RespondToAuthChallenge DEVICE_SRP_AUTH",
                "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
                "InitiateAuth REFRESH_TOKEN_AUTH",
            ]
        );
        // Every request went over the one kept-alive connection.
        assert_eq!(connector.opened(), 1);
    })
    .await
    .unwrap();
}

/// A reply cut in the middle: an SRP `InitiateAuth` is sent again on a new connection; an answer
/// to a challenge is not (its outcome is unknown).
#[tokio::test]
async fn a_cut_reply_is_sent_again_only_where_the_core_allows() {
    bounded(async {
        // The scripted server sends no Date header: the device reads its RTC.
        let server = ScriptedServer::start(pool(2, DeviceTracking::Off), |n, _| {
            if n == 0 { Act::CutBody } else { Act::Pass }
        })
        .unwrap();
        let connector = Loopback::new(addr_of(server.url()));
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options())
            .with_wall_clock(&SystemClock);
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        let challenge = client
            .run(&mut sign_in, |step| matches!(step, Step::Challenge(_)))
            .await
            .unwrap();
        assert!(challenge);
        assert_eq!(
            server.seen(),
            ["InitiateAuth", "InitiateAuth", "RespondToAuthChallenge"]
        );

        // Every answer's reply is cut: sent once, outcome unknown.
        let server = ScriptedServer::start(pool(3, DeviceTracking::Off), |_, op| {
            if op == "RespondToAuthChallenge" {
                Act::CutHead
            } else {
                Act::Pass
            }
        })
        .unwrap();
        let connector = Loopback::new(addr_of(server.url()));
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options())
            .with_wall_clock(&SystemClock);
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        let err = client.run(&mut sign_in, |_| ()).await.unwrap_err();
        assert!(matches!(err, Error::OutcomeUnknown { .. }), "{err:?}");
        assert_eq!(server.seen(), ["InitiateAuth", "RespondToAuthChallenge"]);
    })
    .await
    .unwrap();
}

/// A reply larger than the reply buffer is an error that says so, never a truncated parse; a
/// pool nobody serves is a connection error after the allowed attempts.
#[tokio::test]
async fn a_reply_too_large_and_a_pool_that_is_down() {
    bounded(async {
        let server = EmulatorServer::start(pool(4, DeviceTracking::Off), "127.0.0.1:0").unwrap();
        let connector = Loopback::new(server.addr());
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 64]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options());
        let mut rng = ChaCha20Rng::seed_from_u64(9);
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        let err = client.exchange(&mut sign_in).await.unwrap_err();
        assert!(matches!(err, Error::ReplyTooLarge { .. }), "{err:?}");

        let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = down.local_addr().unwrap();
        drop(down);
        let connector = Loopback::new(addr);
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options());
        let mut sign_in: SignIn = SignIn::password(&config(), "thermostat", PASSWORD).unwrap();
        // Even a password sign-in (never sent twice once it may have arrived) is tried again
        // when no connection could be made: nothing was sent.
        let err = client.exchange(&mut sign_in).await.unwrap_err();
        assert_eq!(err, Error::Connect(ConnectError::Tcp));
    })
    .await
    .unwrap();
}

/// `http://127.0.0.1:PORT/` → the address.
fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("http://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}

/// The same client through an `embedded_nal_async` stack (here the host's sockets, as embassy-net
/// would be on a board) with plain TCP: an account call and a sign-in up to its challenge.
#[tokio::test]
async fn over_an_embedded_nal_async_stack() {
    bounded(async {
        let server = EmulatorServer::start(pool(5, DeviceTracking::Off), "127.0.0.1:0").unwrap();
        let stack = std_embedded_nal_async::Stack::default();
        let host = server.addr().ip().to_string();
        let connector = InsecurePlaintextTcp::new_insecure(&stack, &stack, &host, server.addr().port());
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(options());
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        let mut sign_in: SignIn = SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        let asked = client
            .run(&mut sign_in, |step| matches!(step, Step::Challenge(_)))
            .await
            .unwrap();
        assert!(asked, "SMS MFA asked");
        let err = client
            .call(&GetUser { access_token: "not-a-token" })
            .await
            .unwrap_err();
        assert!(
            matches!(&err, Error::Core(cognito_core::Error::Service(e)) if e.name() == "NotAuthorizedException"),
            "{err:?}"
        );
        assert_eq!(
            operations_and_flows(&server),
            [
                "InitiateAuth USER_SRP_AUTH",
                "RespondToAuthChallenge PASSWORD_VERIFIER",
                "GetUser",
            ]
        );
    })
    .await
    .unwrap();
}

/// The user takes longer to type the code than the pool keeps an idle connection open: the
/// answer, which must not be sent twice, goes over a fresh connection rather than into the one
/// the pool has closed (where its outcome would be unknown).
#[tokio::test]
async fn an_answer_after_a_long_pause_gets_a_fresh_connection() {
    bounded(async {
        let short_idle = EmulatorOptions {
            read_timeout: std::time::Duration::from_millis(200),
            ..EmulatorOptions::default()
        };
        let server =
            EmulatorServer::start_with(pool(6, DeviceTracking::Off), "127.0.0.1:0", short_idle)
                .unwrap();
        let connector = Loopback::new(server.addr());
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 16384]);
        let mut client = Client::new(config(), &connector, &mut request_buf, &mut reply_buf)
            .with_options(Options {
                max_idle_unrepeatable: embassy_time::Duration::from_millis(100),
                ..options()
            });
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let mut sign_in: SignIn =
            SignIn::srp(&config(), "thermostat", PASSWORD, ephemeral(&mut rng)).unwrap();
        client.run(&mut sign_in, |_| ()).await.unwrap();
        assert_eq!(connector.opened(), 1);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let code = last_code(&server, PHONE).unwrap();
        let step = client
            .answer(&mut sign_in, &Answer::Code(&code))
            .await
            .unwrap();
        assert!(matches!(step, Step::Authenticated(_)), "{step:?}");
        assert_eq!(connector.opened(), 2);
    })
    .await
    .unwrap();
}
