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

use cognito_core::oauth::{
    ClientToken, DEFAULT_RENEW_MARGIN_SECS, OAuthClient, OAuthErrorKind, PoolDomain, Scopes,
};
use cognito_core::{Misuse, ProtocolError};
use cognito_embassy::connect::Connect;
use cognito_embassy::error::Error;
use cognito_embassy::oauth::ClientCredentials;
use cognito_tests::fixtures::bounded;
use std_embedded_nal_async::Stack;
use support::options;
use support::recording::{RecordingServer, T0, TestClock};

const CLIENT_ID: &str = "7abc1example2client3id";
const CLIENT_SECRET: &str = "s3cr3t+secret/value";
/// base64 of `CLIENT_ID:CLIENT_SECRET`.
const BASIC: &str = "Basic N2FiYzFleGFtcGxlMmNsaWVudDNpZDpzM2NyM3Qrc2VjcmV0L3ZhbHVl";
const SCOPES: &str = "telemetry/write telemetry/read";

/// The token reply of a client-credentials grant: `access_token` `token`, valid for
/// `expires_in` seconds.
fn token_reply(token: &str, expires_in: u64) -> String {
    format!(r#"{{"access_token":"{token}","expires_in":{expires_in},"token_type":"Bearer"}}"#)
}

/// The pool domain `server` stands for.
fn domain(server: &RecordingServer) -> PoolDomain {
    PoolDomain::parse(&format!("http://{}", server.addr)).unwrap()
}

fn client() -> OAuthClient<'static> {
    OAuthClient::confidential(CLIENT_ID, CLIENT_SECRET)
}

/// A token source's request and reply buffers (by default 1 KiB and 4 KiB, as the module docs
/// advise).
struct Buffers<const Q: usize = 1024, const P: usize = 4096> {
    request: [u8; Q],
    reply: [u8; P],
}

impl Buffers {
    fn new() -> Self {
        Self::sized()
    }
}

impl<const Q: usize, const P: usize> Buffers<Q, P> {
    fn sized() -> Self {
        Self {
            request: [0; Q],
            reply: [0; P],
        }
    }

    /// A token source for `client` and `scopes` from `domain` over `connector`, in these
    /// buffers.
    fn try_tokens<'a, C: Connect, const N: usize>(
        &'a mut self,
        domain: &PoolDomain,
        connector: &'a C,
        client: OAuthClient<'a>,
        scopes: Scopes<'a>,
    ) -> Result<ClientCredentials<'a, C, N>, Error> {
        ClientCredentials::new(
            domain,
            connector,
            client,
            scopes,
            &mut self.request,
            &mut self.reply,
        )
    }

    /// The test client's token source for `scopes` from `server`'s domain over `connector`,
    /// in these buffers, with [`options`], knowing the time only from the domain's replies.
    fn tokens<'a, C: Connect, const N: usize>(
        &'a mut self,
        server: &RecordingServer,
        connector: &'a C,
        scopes: Scopes<'a>,
    ) -> ClientCredentials<'a, C, N> {
        self.try_tokens(&domain(server), connector, client(), scopes)
            .unwrap()
            .with_options(options())
    }
}

#[tokio::test]
async fn the_token_request_on_the_wire() {
    bounded(async {
        let server = RecordingServer::start(|_| (200, token_reply("eyJ.m2m.1", 3600), true));
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        // No wall clock: the time comes from the domain's `Date` header.
        let mut tokens: ClientCredentials<'_, _> =
            buffers.tokens(&server, &connector, Scopes::new(SCOPES));
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
        let server =
            RecordingServer::start(|n| (200, token_reply(&format!("eyJ.m2m.{n}"), 3600), false));
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut tokens: ClientCredentials<'_, _, 2048> = buffers
            .tokens(&server, &connector, Scopes::new(SCOPES))
            .with_wall_clock(&clock);
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
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut tokens: ClientCredentials<'_, _> = buffers
            .tokens(&server, &connector, Scopes::new("telemetry/admin"))
            .with_wall_clock(&clock);
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
            1 => (200, token_reply("eyJ.m2m.1", 60), false),
            _ => (
                200,
                r#"{"access_token":"eyJ.m2m.2","expires_in":60}"#.to_owned(),
                false,
            ),
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut tokens: ClientCredentials<'_, _> = buffers
            .tokens(&server, &connector, Scopes::default())
            .with_wall_clock(&clock)
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
        let server = RecordingServer::start(|_| (200, token_reply("eyJ.m2m.1", 3600), false));
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        let mut tokens: ClientCredentials<'_, _> =
            buffers.tokens(&server, &connector, Scopes::new(SCOPES));
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
        let server = RecordingServer::start(|_| (200, token_reply("eyJ.m2m.1", 3600), true));
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let misuse = |r: Result<ClientCredentials<'_, _>, Error>| match r {
            Err(Error::Core(cognito_core::Error::Misuse(m))) => m,
            other => panic!("{other:?}"),
        };

        let api = PoolDomain::parse("https://cognito-idp.eu-west-1.amazonaws.com").unwrap();
        for (domain, client, scopes, refused) in [
            (&api, client(), "", Misuse::Invalid("domain")),
            (
                &domain(&server),
                OAuthClient::public(CLIENT_ID),
                "",
                Misuse::Invalid("client_secret"),
            ),
            (
                &domain(&server),
                client(),
                "telemetry/write ",
                Misuse::Invalid("scope"),
            ),
        ] {
            let mut buffers = Buffers::new();
            let made = buffers.try_tokens(domain, &connector, client, Scopes::new(scopes));
            assert_eq!(misuse(made), refused);
        }

        // A request buffer that cannot hold the request: a typed error, nothing sent.
        let mut tiny = Buffers::<32>::sized();
        let mut tokens: ClientCredentials<'_, _> =
            tiny.tokens(&server, &connector, Scopes::new(SCOPES));
        let err = tokens.access_token().await.unwrap_err();
        assert!(
            matches!(err, Error::Core(cognito_core::Error::BufferTooSmall(_))),
            "{err:?}"
        );
        // Room for the request but not for its head.
        let mut small = Buffers::<160>::sized();
        let mut tokens: ClientCredentials<'_, _> =
            small.tokens(&server, &connector, Scopes::new(SCOPES));
        let err = tokens.access_token().await.unwrap_err();
        assert_eq!(err, Error::Http("request head too large"));
        assert!(server.requests().is_empty());
    })
    .await
    .unwrap();
}
