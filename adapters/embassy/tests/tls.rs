//! The firmware client over its own verifying TLS (feature `tls`), on the host: std sockets
//! through `std-embedded-nal-async`, the emulator over TLS 1.2 and 1.3 with the test PKI
//! (`cognito_tests::pki`): a whole device life over one TLS session (SRP sign-in with a TOTP
//! code, the device remembered, device SRP, a refresh), the server name checked for IP
//! addresses and wildcards, a server that cuts its replies, machine-to-machine tokens from the
//! pool domain, and every certificate a verifying client must refuse, refused with its own
//! reason, before any request is sent, and not retried.

#![cfg(feature = "tls")]
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

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use cognito_core::auth::{Answer, ChallengeKind, CodeKind, Step};
use cognito_core::oauth::{OAuthClient, OAuthErrorKind, PoolDomain, Scopes};
use cognito_core::time::UnixTime;
use cognito_core::token::decode_claims;
use cognito_embassy::client::Client;
use cognito_embassy::error::{ConnectError, Error, TlsError};
use cognito_embassy::oauth::ClientCredentials;
use cognito_embassy::tls::{
    INCOMING_RECORD_LEN, OUTGOING_RECORD_LEN, TlsBuffers, TlsConnect, TrustAnchors,
};
use cognito_tests::fixtures::{
    Act, ScriptedServer, bounded, operations, operations_and_flows, pool_with_client, totp_now,
    unix_now,
};
use cognito_tests::http::{EmulatorOptions, EmulatorServer, TlsOptions, TlsVersions};
use cognito_tests::pki::{BadCert, ServerIdentity, TestPki};
use cognito_tests::pool::{DeviceTracking, MfaConfiguration, MfaMode, OAuthSettings, UserPool};
use embedded_nal_async::{AddrType, Dns, TcpConnect};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use support::{
    Buffers, CLIENT_ID, DEVICE_LIFE_OPERATIONS, FirstSignIn, PASSWORD, POOL_ID, SystemClock,
    a_cut_answer_is_not_sent_again, a_cut_initiate_auth_is_sent_again, options,
    remember_reboot_and_refresh, srp,
};

/// The test PKI, made once (RSA key generation takes seconds).
fn pki() -> &'static TestPki {
    static PKI: OnceLock<TestPki> = OnceLock::new();
    PKI.get_or_init(|| TestPki::generate().unwrap())
}

/// Trust the test root only.
fn test_root() -> TrustAnchors {
    TrustAnchors::from_der_certificates([pki().root.der.as_slice()]).unwrap()
}

/// The host's sockets; every name resolves to loopback (so `a.test.local` reaches the
/// emulator); counts the TCP connections opened.
#[derive(Default)]
struct Loopback {
    stack: std_embedded_nal_async::Stack,
    opened: AtomicUsize,
}

impl Loopback {
    fn opened(&self) -> usize {
        self.opened.load(Ordering::SeqCst)
    }
}

impl TcpConnect for Loopback {
    type Error = <std_embedded_nal_async::Stack as TcpConnect>::Error;
    type Connection<'a> = <std_embedded_nal_async::Stack as TcpConnect>::Connection<'a>;

    async fn connect<'a>(
        &'a self,
        remote: SocketAddr,
    ) -> Result<Self::Connection<'a>, Self::Error> {
        let connection = self.stack.connect(remote).await?;
        self.opened.fetch_add(1, Ordering::SeqCst);
        Ok(connection)
    }
}

impl Dns for Loopback {
    type Error = std::io::Error;

    async fn get_host_by_name(&self, _host: &str, _: AddrType) -> Result<IpAddr, std::io::Error> {
        Ok(IpAddr::V4(Ipv4Addr::LOCALHOST))
    }

    async fn get_host_by_address(&self, _: IpAddr, _: &mut [u8]) -> Result<usize, std::io::Error> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// The record buffers of one connector.
struct Records {
    incoming: Vec<u8>,
    outgoing: Vec<u8>,
}

impl Records {
    fn new() -> Self {
        Self {
            incoming: vec![0; INCOMING_RECORD_LEN],
            outgoing: vec![0; OUTGOING_RECORD_LEN],
        }
    }

    fn lend(&mut self) -> TlsBuffers<'_> {
        TlsBuffers::new(&mut self.incoming, &mut self.outgoing)
    }
}

/// A connector to `host` on `port` that trusts the test root.
fn connector<'b>(
    stack: &'b Loopback,
    records: &'b mut Records,
    host: &'b str,
    port: u16,
) -> TlsConnect<'b, Loopback, Loopback> {
    TlsConnect::new(stack, stack, host, port, records.lend(), &[0x5e; 32])
        .unwrap()
        .with_trust_anchors(test_root())
}

/// A pool whose user "sensor" signs in with a TOTP code; returns the pool and the TOTP secret.
fn totp_pool(seed: u64, tracking: DeviceTracking) -> (UserPool, String) {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, tracking);
    pool.add_user("sensor", PASSWORD);
    pool.set_mfa_configuration(MfaConfiguration {
        mode: MfaMode::Optional,
        sms: false,
        software_token: true,
        email: false,
    });
    let secret = pool.enable_totp("sensor").unwrap();
    pool.set_time(unix_now());
    (pool, secret)
}

/// A pool with the user "sensor", no MFA.
fn plain_pool(seed: u64) -> UserPool {
    let mut pool = pool_with_client(POOL_ID, CLIENT_ID, seed, None, DeviceTracking::Off);
    pool.add_user("sensor", PASSWORD);
    pool.set_time(unix_now());
    pool
}

/// The emulator over TLS with `identity` (both versions).
fn emulator(pool: UserPool, identity: &ServerIdentity) -> EmulatorServer {
    EmulatorServer::start_tls(
        pool,
        "127.0.0.1:0",
        identity.tls_identity(),
        EmulatorOptions::default(),
    )
    .unwrap()
}

/// Signs in "sensor" without MFA; returns the access token.
async fn sign_in<C: cognito_embassy::connect::Connect>(
    client: &mut Client<'_, C>,
    seed: u64,
) -> Result<String, Error> {
    let mut flow = srp("sensor", &mut ChaCha20Rng::seed_from_u64(seed));
    let access = client
        .run(&mut flow, |step| match step {
            Step::Authenticated(tokens) => Some(tokens.access_token.to_owned()),
            _ => None,
        })
        .await?;
    Ok(access.expect("signed in without a challenge"))
}

#[tokio::test]
async fn a_device_signs_in_with_totp_remembers_itself_and_refreshes_over_one_tls_session() {
    bounded(async {
        let (pool, secret) = totp_pool(1, DeviceTracking::Always);
        let server = emulator(pool, &pki().server);
        let stack = Loopback::default();
        let mut records = Records::new();
        let connector = connector(&stack, &mut records, "localhost", server.addr().port());
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&connector);
        let mut rng = ChaCha20Rng::seed_from_u64(7);

        // SRP, then the TOTP code.
        let mut flow = srp("sensor", &mut rng);
        let asked = client
            .run(&mut flow, |step| match step {
                Step::Challenge(c) => match c.kind() {
                    ChallengeKind::MfaCode { kind, .. } => Some(kind),
                    _ => None,
                },
                _ => None,
            })
            .await
            .unwrap();
        assert_eq!(asked, Some(CodeKind::SoftwareTokenMfa));
        let code = totp_now(&server, &secret).unwrap();
        let step = client
            .answer(&mut flow, &Answer::Code(&code))
            .await
            .unwrap();
        let first = FirstSignIn::from_step(step);

        remember_reboot_and_refresh(&mut client, "sensor", &first, &mut rng).await;

        assert_eq!(
            operations_and_flows(&server),
            [
                &[
                    "InitiateAuth USER_SRP_AUTH",
                    "RespondToAuthChallenge PASSWORD_VERIFIER",
                    "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
                ][..],
                &DEVICE_LIFE_OPERATIONS
            ]
            .concat(),
        );
        // One TCP connection, one handshake, for all of it.
        assert_eq!(stack.opened(), 1);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn machine_to_machine_tokens_from_the_pool_domain_over_tls() {
    const MACHINE: &str = "7machine1client";
    // Letters and digits, as Cognito's client secrets are.
    const SECRET: &str = "1q2w3e4r5t6y7u8i9o0p1a2s3d4f5g6h7j8k9l0z1x2c3v4b5n6m";
    const READ: &str = "https://api.example.com/read";
    bounded(async {
        let mut pool = plain_pool(15);
        pool.add_resource_server("https://api.example.com", &["read", "write"]);
        pool.add_client(MACHINE, Some(SECRET));
        assert!(pool.set_client_oauth(MACHINE, OAuthSettings::client_credentials(&[READ])));
        let server = emulator(pool, &pki().server);
        let port = server.addr().port();
        let domain = PoolDomain::parse(&format!("https://localhost:{port}")).unwrap();
        let stack = Loopback::default();
        let mut records = Records::new();
        let connector = connector(&stack, &mut records, "localhost", port);
        let (mut request, mut reply) = ([0u8; 1024], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &domain,
            &connector,
            OAuthClient::confidential(MACHINE, SECRET),
            Scopes::new(READ),
            &mut request,
            &mut reply,
        )
        .unwrap()
        .with_wall_clock(&SystemClock)
        .with_options(options());

        // The token the domain minted for this client and scope, then kept.
        let token = tokens.access_token().await.unwrap().to_owned();
        let mut buf = vec![0u8; token.len()];
        let claims = decode_claims(&token, &mut buf).unwrap();
        assert!(claims.client_id().unwrap().unwrap().eq_str(MACHINE));
        assert!(claims.scope().unwrap().unwrap().eq_str(READ));
        assert_eq!(tokens.access_token().await.unwrap(), token);
        // A renewal on the same TLS session: one connection, one handshake.
        let renewed = tokens.renew().await.unwrap().to_owned();
        assert_ne!(renewed, token);
        assert_eq!(stack.opened(), 1);
        drop(tokens);

        // A scope the client may not have: the domain's refusal, over TLS too.
        let (mut request, mut reply) = ([0u8; 1024], [0u8; 4096]);
        let mut refused: ClientCredentials<'_, _> = ClientCredentials::new(
            &domain,
            &connector,
            OAuthClient::confidential(MACHINE, SECRET),
            Scopes::new("https://api.example.com/write"),
            &mut request,
            &mut reply,
        )
        .unwrap()
        .with_wall_clock(&SystemClock)
        .with_options(options());
        match refused.access_token().await {
            Err(Error::Core(cognito_core::Error::OAuth(e))) => {
                assert_eq!(e.kind(), OAuthErrorKind::InvalidScope);
            }
            other => panic!("expected invalid_scope, got {other:?}"),
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn tls_1_2_only_and_tls_1_3_only_servers_are_both_spoken() {
    bounded(async {
        for versions in [TlsVersions::Tls12Only, TlsVersions::Tls13Only] {
            let tls = TlsOptions {
                identity: pki().server.tls_identity(),
                versions,
            };
            let server = EmulatorServer::start_tls(
                plain_pool(2),
                "127.0.0.1:0",
                tls,
                EmulatorOptions::default(),
            )
            .unwrap();
            let stack = Loopback::default();
            let mut records = Records::new();
            let connector = connector(&stack, &mut records, "127.0.0.1", server.addr().port());
            let mut buffers = Buffers::new();
            let mut client = buffers.client_with_clock(&connector);
            let access = sign_in(&mut client, 3).await.unwrap();
            assert!(!access.is_empty(), "{versions:?}");
            assert_eq!(stack.opened(), 1, "{versions:?}");
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_host_name_is_checked_against_the_san_with_wildcards_and_ip_addresses() {
    bounded(async {
        let good = emulator(plain_pool(4), &pki().server);
        let wildcard = emulator(plain_pool(5), &pki().wildcard);
        let cases: [(&str, &EmulatorServer, Option<TlsError>); 6] = [
            ("localhost", &good, None),
            ("127.0.0.1", &good, None),
            ("a.test.local", &wildcard, None),
            ("test.local", &wildcard, Some(TlsError::NotValidForName)),
            ("a.b.test.local", &wildcard, Some(TlsError::NotValidForName)),
            ("wrong.example", &good, Some(TlsError::NotValidForName)),
        ];
        for (host, server, refusal) in cases {
            let stack = Loopback::default();
            let mut records = Records::new();
            let connector = connector(&stack, &mut records, host, server.addr().port());
            let mut buffers = Buffers::new();
            let mut client = buffers.client_with_clock(&connector);
            let outcome = sign_in(&mut client, 6).await;
            match refusal {
                None => assert!(outcome.is_ok(), "{host}: {outcome:?}"),
                Some(e) => assert_eq!(
                    outcome.unwrap_err(),
                    Error::Connect(ConnectError::Tls(e)),
                    "{host}"
                ),
            }
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn every_bad_certificate_is_refused_with_its_reason_before_a_request_and_once() {
    bounded(async {
        let pki = pki();
        let mut cases: Vec<(&str, &ServerIdentity, TlsError)> = BadCert::ALL
            .iter()
            .map(|&bad| {
                let reason = match bad {
                    BadCert::UntrustedRoot => TlsError::UnknownIssuer,
                    BadCert::ImpostorRoot => TlsError::BadSignature,
                    BadCert::WrongHost => TlsError::NotValidForName,
                    BadCert::Expired => TlsError::Expired,
                    BadCert::NotYetValid => TlsError::NotYetValid,
                    BadCert::NonCaIssuer => TlsError::IssuerNotCa,
                };
                (bad.name(), pki.bad(bad), reason)
            })
            .collect();
        cases.push((
            "intermediate-without-keyCertSign",
            &pki.intermediate_without_cert_sign,
            TlsError::IssuerCannotSignCertificates,
        ));
        for (name, identity, reason) in cases {
            let server = emulator(plain_pool(7), identity);
            let stack = Loopback::default();
            let mut records = Records::new();
            let connector = connector(&stack, &mut records, "localhost", server.addr().port());
            let mut buffers = Buffers::new();
            let mut client = buffers.client_with_clock(&connector);
            let err = sign_in(&mut client, 8).await.unwrap_err();
            assert_eq!(err, Error::Connect(ConnectError::Tls(reason)), "{name}");
            assert!(reason.is_certificate_refusal(), "{name}");
            assert!(
                err.to_string().contains("certificate refused"),
                "{name}: {err}"
            );
            // Refused in the handshake: nothing reached the pool, and it was not tried again.
            assert!(operations(&server).is_empty(), "{name}");
            assert_eq!(stack.opened(), 1, "{name}");
        }
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_amazon_roots_are_the_default_and_do_not_trust_the_test_ca() {
    bounded(async {
        let server = emulator(plain_pool(9), &pki().server);
        let stack = Loopback::default();
        let mut records = Records::new();
        let connector = TlsConnect::new(
            &stack,
            &stack,
            "localhost",
            server.addr().port(),
            records.lend(),
            &[1; 32],
        )
        .unwrap();
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&connector);
        let err = sign_in(&mut client, 10).await.unwrap_err();
        assert_eq!(
            err,
            Error::Connect(ConnectError::Tls(TlsError::UnknownIssuer))
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn without_a_clock_the_handshake_fails_closed_unless_the_firmware_names_a_floor() {
    bounded(async {
        let server = emulator(plain_pool(11), &pki().server);
        let port = server.addr().port();

        // No wall clock, no reply yet: the certificates' dates cannot be checked.
        let stack = Loopback::default();
        let mut records = Records::new();
        let strict = connector(&stack, &mut records, "localhost", port);
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&strict);
        let err = sign_in(&mut client, 12).await.unwrap_err();
        assert_eq!(err, Error::Connect(ConnectError::Tls(TlsError::NoTime)));
        assert_eq!(stack.opened(), 0, "refused before connecting");
        drop(client);

        // With a floor (the firmware's build time, say) it connects; then the pool's Date
        // header sets the clock.
        let mut records = Records::new();
        let floored = connector(&stack, &mut records, "localhost", port)
            .assume_time_if_unknown(UnixTime::from_secs(pki().not_before + 1));
        let mut buffers = Buffers::new();
        let mut client = buffers.client(&floored);
        sign_in(&mut client, 13).await.unwrap();
        assert!(client.now().is_some(), "the Date header set the clock");
    })
    .await
    .unwrap();
}

/// A reply cut in the middle (the TLS stream truncated, no `close_notify`): an SRP
/// `InitiateAuth` is sent again on a new TLS connection; an answer to a challenge is not.
#[tokio::test]
async fn a_cut_reply_over_tls_is_sent_again_only_where_the_core_allows() {
    bounded(async {
        let (pool, _) = totp_pool(14, DeviceTracking::Off);
        let server = ScriptedServer::start_tls(pool, pki().server.tls_identity(), |n, _| {
            if n == 0 { Act::CutBody } else { Act::Pass }
        })
        .unwrap();
        let port = addr_of(server.url()).port();
        let stack = Loopback::default();
        let mut records = Records::new();
        let first = connector(&stack, &mut records, "localhost", port);
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&first);
        let mut rng = ChaCha20Rng::seed_from_u64(15);
        a_cut_initiate_auth_is_sent_again(&mut client, &server, "sensor", &mut rng).await;
        // The scripted server closes every connection after its reply: one handshake each.
        assert_eq!(stack.opened(), 3);

        let (pool, _) = totp_pool(16, DeviceTracking::Off);
        let server = ScriptedServer::start_tls(pool, pki().server.tls_identity(), |_, op| {
            if op == "RespondToAuthChallenge" {
                Act::CutHead
            } else {
                Act::Pass
            }
        })
        .unwrap();
        let port = addr_of(server.url()).port();
        let mut records = Records::new();
        let second = connector(&stack, &mut records, "localhost", port);
        let mut buffers = Buffers::new();
        let mut client = buffers.client_with_clock(&second);
        a_cut_answer_is_not_sent_again(&mut client, &server, "sensor", &mut rng).await;
    })
    .await
    .unwrap();
}

#[test]
fn buffers_too_small_and_names_that_are_not_hosts_are_refused_up_front() {
    let stack = Loopback::default();
    for (incoming, outgoing) in [(INCOMING_RECORD_LEN, 512), (1024, OUTGOING_RECORD_LEN)] {
        let (mut incoming, mut outgoing) = (vec![0; incoming], vec![0; outgoing]);
        let buffers = TlsBuffers::new(&mut incoming, &mut outgoing);
        let err = TlsConnect::new(&stack, &stack, "localhost", 443, buffers, &[2; 32]).unwrap_err();
        assert!(matches!(
            err,
            TlsError::RecordBufferTooSmall { needed: Some(_) }
        ));
    }

    let mut records = Records::new();
    let err =
        TlsConnect::new(&stack, &stack, "not a host", 443, records.lend(), &[2; 32]).unwrap_err();
    assert_eq!(err, TlsError::InvalidServerName);
}

/// `https://127.0.0.1:PORT/` → the address.
fn addr_of(url: &str) -> SocketAddr {
    url.trim_start_matches("https://")
        .trim_end_matches('/')
        .parse()
        .unwrap()
}
