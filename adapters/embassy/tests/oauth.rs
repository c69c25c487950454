//! Machine-to-machine tokens from the pool domain ([`ClientCredentials`]) against a loopback
//! server that records every request and answers as the test says: the request on the wire, the
//! token kept until shortly before it expires, the domain's refusals as `Error::OAuth`, a 503
//! sent again, and the checks made before anything is sent.

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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cognito_core::oauth::{
    ClientToken, DEFAULT_RENEW_MARGIN_SECS, OAuthClient, OAuthErrorKind, PoolDomain, Scopes,
};
use cognito_core::time::UnixTime;
use cognito_core::{Misuse, ProtocolError};
use cognito_embassy::clock::WallClock;
use cognito_embassy::connect::InsecurePlaintextTcp;
use cognito_embassy::error::Error;
use cognito_embassy::oauth::ClientCredentials;
use cognito_tests::fixtures::bounded;
use std_embedded_nal_async::Stack;
use support::options;

const CLIENT_ID: &str = "7abc1example2client3id";
const CLIENT_SECRET: &str = "s3cr3t+secret/value";
/// base64 of `CLIENT_ID:CLIENT_SECRET`.
const BASIC: &str = "Basic N2FiYzFleGFtcGxlMmNsaWVudDNpZDpzM2NyM3Qrc2VjcmV0L3ZhbHVl";
const SCOPES: &str = "telemetry/write telemetry/read";
/// `Tue, 14 Nov 2023 22:13:20 GMT`.
const T0: u64 = 1_700_000_000;
const HTTP_DATE: &str = "Tue, 14 Nov 2023 22:13:20 GMT";

/// What the server answers to request `n` (from 0): status, body, whether to send `Date`.
type Replier = dyn Fn(usize) -> (u16, String, bool) + Send + Sync;

/// A loopback HTTP/1.1 server that keeps connections alive, records every request (head and
/// body, as received) and counts the connections opened.
struct RecordingServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

impl RecordingServer {
    fn start(reply: impl Fn(usize) -> (u16, String, bool) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let reply: Arc<Replier> = Arc::new(reply);
        let (seen, opened) = (Arc::clone(&requests), Arc::clone(&connections));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                opened.fetch_add(1, Ordering::SeqCst);
                let (seen, reply) = (Arc::clone(&seen), Arc::clone(&reply));
                std::thread::spawn(move || serve(stream, &seen, &*reply));
            }
        });
        Self {
            addr,
            requests,
            connections,
        }
    }

    /// The token reply of a client-credentials grant: `access_token` `token`, valid for
    /// `expires_in` seconds.
    fn token_reply(token: &str, expires_in: u64) -> String {
        format!(r#"{{"access_token":"{token}","expires_in":{expires_in},"token_type":"Bearer"}}"#)
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// The pool domain this server stands for.
    fn domain(&self) -> PoolDomain {
        PoolDomain::parse(&format!("http://{}", self.addr)).unwrap()
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<String>>, reply: &Replier) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = String::new();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some(value) = line
                .to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
            {
                len = value.parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let n = {
            let mut seen = seen.lock().unwrap();
            seen.push(head + &String::from_utf8(body).unwrap());
            seen.len() - 1
        };
        let (status, body, date) = reply(n);
        let date = if date {
            format!("Date: {HTTP_DATE}\r\n")
        } else {
            String::new()
        };
        let response = format!(
            "HTTP/1.1 {status} Recorded\r\nContent-Type: application/json;charset=UTF-8\r\n{date}\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// A wall clock the test sets.
struct TestClock(AtomicU64);

impl TestClock {
    fn at(secs: u64) -> Self {
        Self(AtomicU64::new(secs))
    }

    fn set(&self, secs: u64) {
        self.0.store(secs, Ordering::SeqCst);
    }
}

impl WallClock for TestClock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::from_secs(self.0.load(Ordering::SeqCst)))
    }
}

fn client() -> OAuthClient<'static> {
    OAuthClient::confidential(CLIENT_ID, CLIENT_SECRET)
}

#[tokio::test]
async fn the_token_request_on_the_wire() {
    bounded(async {
        let server = RecordingServer::start(|_| {
            (200, RecordingServer::token_reply("eyJ.m2m.1", 3600), true)
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        // No wall clock: the time comes from the domain's `Date` header.
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new(SCOPES),
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_options(options());
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.1");
        let token = tokens.cached().unwrap();
        assert_eq!(token.expiry().received_at().as_secs(), T0);
        assert_eq!(token.expiry().expires_at().as_secs(), T0 + 3600);
        assert!(!format!("{tokens:?}").contains("eyJ.m2m.1"));
        assert!(!format!("{tokens:?}").contains(CLIENT_SECRET));

        let body = "grant_type=client_credentials&scope=telemetry%2Fwrite%20telemetry%2Fread";
        assert_eq!(
            server.requests(),
            [format!(
                "POST /oauth2/token HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\
                 Authorization: {BASIC}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
                 Content-Length: {}\r\n\r\n{body}",
                body.len()
            )]
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_kept_token_is_returned_until_shortly_before_it_expires() {
    bounded(async {
        let server = RecordingServer::start(|n| {
            (
                200,
                RecordingServer::token_reply(&format!("eyJ.m2m.{n}"), 3600),
                false,
            )
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let clock = TestClock::at(T0);
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _, 2048> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new(SCOPES),
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_wall_clock(&clock)
        .with_options(options());
        assert!(!tokens.is_fresh());
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.0");
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.0");
        // The last second it counts as fresh: expiry − margin − 1.
        let renew_at = T0 + 3600 - DEFAULT_RENEW_MARGIN_SECS;
        clock.set(renew_at - 1);
        assert!(tokens.is_fresh());
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.0");
        assert_eq!(server.requests().len(), 1, "the kept token was returned");

        clock.set(renew_at);
        assert!(!tokens.is_fresh());
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.1");
        assert_eq!(
            server.requests().len(),
            2,
            "renewed once expiry − margin was reached"
        );
        let expiry = tokens.cached().map(ClientToken::expiry).unwrap();
        assert_eq!(expiry.expires_at().as_secs(), renew_at + 3600);
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.1");

        // Forced renewals, and a forgotten token, ask again.
        assert_eq!(tokens.renew().await.unwrap(), "eyJ.m2m.2");
        tokens.forget();
        assert!(tokens.cached().is_none());
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.3");
        assert_eq!(server.requests().len(), 4);
        assert!(server.requests().iter().all(|r| r.contains(BASIC)));
        // Every request over the one kept-alive connection.
        assert_eq!(server.connections(), 1);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_domain_refusing_a_scope_is_an_oauth_error() {
    bounded(async {
        let server = RecordingServer::start(|_| {
            (
                400,
                r#"{"error":"invalid_scope","error_description":"Invalid scope requested"}"#
                    .to_owned(),
                true,
            )
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let clock = TestClock::at(T0);
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new("telemetry/admin"),
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_wall_clock(&clock)
        .with_options(options());
        let err = tokens.access_token().await.unwrap_err();
        let Error::Core(cognito_core::Error::OAuth(e)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), OAuthErrorKind::InvalidScope);
        assert_eq!(e.code(), "invalid_scope");
        assert_eq!(e.description(), "Invalid scope requested");
        assert_eq!(e.status(), Some(400));
        // A refusal is final: sent once, and no token kept.
        assert_eq!(server.requests().len(), 1);
        assert!(tokens.cached().is_none());
    })
    .await
    .unwrap();
}

/// A 503 is sent again (the grant only mints tokens: the core allows it after any failure); a
/// malformed 200 is not, and leaves the kept token alone.
#[tokio::test]
async fn failures_are_resent_as_the_core_allows() {
    bounded(async {
        let server = RecordingServer::start(|n| match n {
            0 => (503, "<html>Service Unavailable</html>".to_owned(), false),
            1 => (200, RecordingServer::token_reply("eyJ.m2m.1", 60), false),
            _ => (
                200,
                r#"{"access_token":"eyJ.m2m.2","expires_in":60}"#.to_owned(),
                false,
            ),
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let clock = TestClock::at(T0);
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::default(),
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_wall_clock(&clock)
        .with_options(options())
        .with_renew_margin(10);
        assert_eq!(tokens.access_token().await.unwrap(), "eyJ.m2m.1");
        assert_eq!(server.requests().len(), 2);
        // No scope: no `scope` parameter.
        assert!(server.requests()[1].ends_with("\r\n\r\ngrant_type=client_credentials"));

        clock.set(T0 + 50);
        let err = tokens.access_token().await.unwrap_err();
        assert_eq!(
            err,
            Error::Core(ProtocolError::MissingField("token_type").into())
        );
        assert_eq!(server.requests().len(), 3);
        assert_eq!(tokens.cached().unwrap().access_token(), "eyJ.m2m.1");
    })
    .await
    .unwrap();
}

/// Without a wall clock and without a `Date` header the expiry cannot be reckoned.
#[tokio::test]
async fn no_clock_at_all_is_an_error() {
    bounded(async {
        let server = RecordingServer::start(|_| {
            (200, RecordingServer::token_reply("eyJ.m2m.1", 3600), false)
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new(SCOPES),
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_options(options());
        assert_eq!(tokens.access_token().await.unwrap_err(), Error::NoClock);
        assert!(tokens.cached().is_none());
    })
    .await
    .unwrap();
}

/// Checked before anything is sent: a connector to another host than the domain's, a client
/// without a secret, a malformed scope, buffers too small.
#[tokio::test]
async fn misuse_is_refused_before_anything_is_sent() {
    bounded(async {
        let server = RecordingServer::start(|_| {
            (200, RecordingServer::token_reply("eyJ.m2m.1", 3600), true)
        });
        let stack = Stack::default();
        let connector =
            InsecurePlaintextTcp::new_insecure(&stack, &stack, "127.0.0.1", server.addr.port());
        let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
        let misuse = |r: Result<ClientCredentials<'_, _>, Error>| match r {
            Err(Error::Core(cognito_core::Error::Misuse(m))) => m,
            other => panic!("{other:?}"),
        };

        let api = PoolDomain::parse("https://cognito-idp.eu-west-1.amazonaws.com").unwrap();
        assert_eq!(
            misuse(ClientCredentials::new(
                &api,
                &connector,
                client(),
                Scopes::default(),
                &mut request_buf,
                &mut reply_buf,
            )),
            Misuse::Invalid("domain")
        );
        assert_eq!(
            misuse(ClientCredentials::new(
                &server.domain(),
                &connector,
                OAuthClient::public(CLIENT_ID),
                Scopes::default(),
                &mut request_buf,
                &mut reply_buf,
            )),
            Misuse::Invalid("client_secret")
        );
        assert_eq!(
            misuse(ClientCredentials::new(
                &server.domain(),
                &connector,
                client(),
                Scopes::new("telemetry/write "),
                &mut request_buf,
                &mut reply_buf,
            )),
            Misuse::Invalid("scope")
        );

        // A request buffer that cannot hold the request: a typed error, nothing sent.
        let (mut tiny, mut reply_buf) = ([0u8; 32], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new(SCOPES),
            &mut tiny,
            &mut reply_buf,
        )
        .unwrap()
        .with_options(options());
        let err = tokens.access_token().await.unwrap_err();
        assert!(
            matches!(err, Error::Core(cognito_core::Error::BufferTooSmall(_))),
            "{err:?}"
        );
        // Room for the request but not for its head.
        let (mut small, mut reply_buf) = ([0u8; 160], [0u8; 4096]);
        let mut tokens: ClientCredentials<'_, _> = ClientCredentials::new(
            &server.domain(),
            &connector,
            client(),
            Scopes::new(SCOPES),
            &mut small,
            &mut reply_buf,
        )
        .unwrap()
        .with_options(options());
        let err = tokens.access_token().await.unwrap_err();
        assert_eq!(err, Error::Http("request head too large"));
        assert!(server.requests().is_empty());
    })
    .await
    .unwrap();
}
