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

mod support;

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_core::account::GetUser;
use cognito_core::auth::{Answer, ChallengeKind, CodeKind, SignIn, Step};
use cognito_core::time::UnixTime;
use cognito_embassy::client::{Client, Options};
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
use support::{
    Buffers, CLIENT_ID, DEVICE_LIFE_OPERATIONS, FirstSignIn, PASSWORD, POOL_ID,
    a_cut_answer_is_not_sent_again, a_cut_initiate_auth_is_sent_again, config, options,
    remember_reboot_and_refresh, srp,
};

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

#[tokio::test]
async fn a_device_signs_in_remembers_itself_and_refreshes_over_one_connection() {
    bounded(async {
        let server = EmulatorServer::start(pool(1, DeviceTracking::Always), "127.0.0.1:0").unwrap();
        let connector = Loopback::new(server.addr());
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&connector);
        let mut rng = ChaCha20Rng::seed_from_u64(7);

        // SRP: the flow answers PASSWORD_VERIFIER by itself, then asks for the SMS code.
        let mut sign_in = srp("thermostat", &mut rng);
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
        let step = client
            .answer(&mut sign_in, &Answer::Code(&code))
            .await
            .unwrap();
        let first = FirstSignIn::from_step(step);

        remember_reboot_and_refresh(&mut client, "thermostat", &first, &mut rng).await;

        let ops = operations_and_flows(&server);
        assert_eq!(
            ops,
            [
                &[
                    "InitiateAuth USER_SRP_AUTH",
                    "RespondToAuthChallenge PASSWORD_VERIFIER",
                    "RespondToAuthChallenge SMS_MFA",
                    "RespondToAuthChallenge SMS_MFA",
                ][..],
                &DEVICE_LIFE_OPERATIONS
            ]
            .concat(),
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
        let mut rng = ChaCha20Rng::seed_from_u64(8);
        // The scripted server sends no Date header: the device reads its RTC.
        let server = ScriptedServer::start(pool(2, DeviceTracking::Off), |n, _| {
            if n == 0 { Act::CutBody } else { Act::Pass }
        })
        .unwrap();
        let connector = Loopback::new(addr_of(server.url()));
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&connector);
        a_cut_initiate_auth_is_sent_again(&mut client, &server, "thermostat", &mut rng).await;

        let server = ScriptedServer::start(pool(3, DeviceTracking::Off), |_, op| {
            if op == "RespondToAuthChallenge" {
                Act::CutHead
            } else {
                Act::Pass
            }
        })
        .unwrap();
        let connector = Loopback::new(addr_of(server.url()));
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&connector);
        a_cut_answer_is_not_sent_again(&mut client, &server, "thermostat", &mut rng).await;
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
        let mut sign_in = srp("thermostat", &mut rng);
        let err = client.exchange(&mut sign_in).await.unwrap_err();
        assert!(matches!(err, Error::ReplyTooLarge { .. }), "{err:?}");

        let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = down.local_addr().unwrap();
        drop(down);
        let connector = Loopback::new(addr);
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&connector);
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
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&connector);
        let mut rng = ChaCha20Rng::seed_from_u64(10);
        let mut sign_in = srp("thermostat", &mut rng);
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
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&connector).with_options(Options {
            max_idle_unrepeatable: embassy_time::Duration::from_millis(100),
            ..options()
        });
        let mut rng = ChaCha20Rng::seed_from_u64(11);
        let mut sign_in = srp("thermostat", &mut rng);
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
