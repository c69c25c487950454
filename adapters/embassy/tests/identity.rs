//! AWS credentials from an identity pool ([`IdentityPool`]) against a loopback server that
//! records every request and answers as the test says: `GetId` then `GetCredentialsForIdentity`
//! on the wire, the credentials kept until shortly before they expire and renewed without a
//! second `GetId`, guests, the pool's refusals typed, a guest's `GetId` never sent twice, the
//! checks made before anything is sent, and what `Debug` hides.

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

use cognito_core::identity::Login;
use cognito_core::oauth::DEFAULT_RENEW_MARGIN_SECS;
use cognito_core::wire::ErrorKind;
use cognito_core::{Misuse, ProtocolError};
use cognito_embassy::connect::{Connect, InsecurePlaintextTcp};
use cognito_embassy::error::Error;
use cognito_embassy::identity::{
    Credentials, IdentityEndpoint, IdentityKind, IdentityPool, Principal,
};
use cognito_tests::fixtures::bounded;
use std_embedded_nal_async::Stack;
use support::options;
use support::recording::{HANG_UP, RecordingServer, T0, TestClock};

const IDENTITY_POOL: &str = "eu-west-1:5e9f6a2c-0c1b-4f7e-9d3a-1a2b3c4d5e6f";
const USER_POOL: &str = "eu-west-1_DevicePool";
const PROVIDER: &str = "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_DevicePool";
const ID_TOKEN: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJl";
const IDENTITY: &str = "eu-west-1:77aa0c1b-4f7e-9d3a-1a2b-3c4d5e6f7a8b";
const GUEST: &str = "eu-west-1:9999aaaa-4f7e-9d3a-1a2b-3c4d5e6f7a8b";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION: &str = "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN/+=";

fn user() -> Principal<'static> {
    Principal::User {
        user_pool_id: USER_POOL,
        id_token: ID_TOKEN,
    }
}

/// A `GetId` reply.
fn get_id_reply(identity: &str) -> String {
    format!(r#"{{"IdentityId":"{identity}"}}"#)
}

/// A `GetCredentialsForIdentity` reply: key `ASIA<n>`, expiring at `expiration`.
fn credentials_reply(identity: &str, n: usize, expiration: u64) -> String {
    format!(
        r#"{{"IdentityId":"{identity}","Credentials":{{"AccessKeyId":"ASIA{n}","SecretKey":"{SECRET}","SessionToken":"{SESSION}","Expiration":{expiration}.0}}}}"#
    )
}

/// Whether a recorded request is a `GetId`.
fn is_get_id(request: &str) -> bool {
    request.contains("X-Amz-Target: AWSCognitoIdentityService.GetId\r\n")
}

/// A server that answers `GetId` with `identity` and `GetCredentialsForIdentity` with keys
/// `ASIA<n>` (`n` the request's number, from 0) valid until `T0 + 3600 × (n + 1)`, with `Date`.
fn pool_server(identity: &'static str) -> RecordingServer {
    RecordingServer::answering(move |n, request| {
        let body = if is_get_id(request) {
            get_id_reply(identity)
        } else {
            credentials_reply(identity, n, T0 + 3600 * (n as u64 + 1))
        };
        (200, body, true)
    })
}

/// An identity-pool request as the core writes it: `POST /` with the operation's target.
fn request(operation: &str, body: &str) -> String {
    format!(
        "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.1\r\n\
         X-Amz-Target: AWSCognitoIdentityService.{operation}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
}

/// The operation a recorded request names.
fn operation(request: &str) -> &str {
    request
        .split("AWSCognitoIdentityService.")
        .nth(1)
        .and_then(|rest| rest.split("\r\n").next())
        .unwrap()
}

fn operations(server: &RecordingServer) -> Vec<String> {
    server
        .requests()
        .iter()
        .map(|r| operation(r).to_owned())
        .collect()
}

/// An identity pool's request and reply buffers (4 KiB each, as the module docs advise).
struct Buffers {
    request: [u8; 4096],
    reply: [u8; 4096],
}

impl Buffers {
    fn new() -> Self {
        Self {
            request: [0; 4096],
            reply: [0; 4096],
        }
    }

    /// The test pool at the loopback server `connector` reaches, in these buffers, with
    /// [`options`].
    fn pool<'a, C: Connect>(&'a mut self, connector: &'a C) -> IdentityPool<'a, C> {
        IdentityPool::new(
            IDENTITY_POOL,
            IdentityEndpoint::Custom(connector.host()),
            connector,
            &mut self.request,
            &mut self.reply,
        )
        .unwrap()
        .with_options(options())
    }

    /// Whether both buffers hold only zeros.
    fn wiped(&self) -> bool {
        self.request.iter().chain(&self.reply).all(|&b| b == 0)
    }
}

#[tokio::test]
async fn get_id_then_get_credentials_on_the_wire() {
    bounded(async {
        let server = pool_server(IDENTITY);
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        // No wall clock: the time comes from the pool's `Date` header.
        let mut pool = buffers.pool(&connector);
        let keys = pool.credentials(user()).await.unwrap();
        assert_eq!(keys.access_key_id(), "ASIA1");
        assert_eq!(keys.secret_key(), SECRET);
        assert_eq!(keys.session_token(), SESSION);
        assert_eq!(keys.expiration().as_secs(), T0 + 7200);
        assert_eq!(
            pool.identity_id(),
            Some((IDENTITY, IdentityKind::Authenticated))
        );
        assert_eq!(pool.now().unwrap().as_secs(), T0);
        assert!(pool.is_fresh());

        let logins = format!(r#""Logins":{{"{PROVIDER}":"{ID_TOKEN}"}}"#);
        assert_eq!(
            server.requests(),
            [
                request(
                    "GetId",
                    &format!(r#"{{"IdentityPoolId":"{IDENTITY_POOL}",{logins}}}"#)
                ),
                request(
                    "GetCredentialsForIdentity",
                    &format!(r#"{{"IdentityId":"{IDENTITY}",{logins}}}"#)
                ),
            ]
        );
        // Both over the one kept-alive connection.
        assert_eq!(server.connections(), 1);

        // Neither the secret key, the session token nor the ID token shows in `Debug`.
        let shown = format!("{pool:?} {:?} {:?}", pool.cached().unwrap(), user());
        for secret in [SECRET, SESSION, ID_TOKEN] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(
            shown.contains("ASIA1") && shown.contains(IDENTITY),
            "{shown}"
        );
        drop(pool);
        // The request held the ID token, the reply the secret key: both wiped.
        assert!(buffers.wiped());
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn credentials_are_kept_until_shortly_before_they_expire_and_renewed_without_get_id() {
    bounded(async {
        let server = pool_server(IDENTITY);
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut pool = buffers.pool(&connector).with_wall_clock(&clock);
        assert!(!pool.is_fresh());
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA1"
        );
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA1"
        );
        // The last second they count as fresh: expiration − margin − 1.
        let renew_at = T0 + 7200 - DEFAULT_RENEW_MARGIN_SECS;
        clock.set(renew_at - 1);
        assert!(pool.is_fresh());
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA1"
        );
        assert_eq!(
            server.requests().len(),
            2,
            "the kept credentials were returned"
        );

        clock.set(renew_at);
        assert!(!pool.is_fresh());
        let keys = pool.credentials(user()).await.unwrap();
        assert_eq!(keys.access_key_id(), "ASIA2");
        assert_eq!(keys.expiration().as_secs(), T0 + 3 * 3600);
        assert_eq!(
            operations(&server),
            [
                "GetId",
                "GetCredentialsForIdentity",
                "GetCredentialsForIdentity"
            ],
            "renewed with the kept identity id"
        );

        // A forced renewal and forgotten credentials ask again, still without `GetId`.
        assert_eq!(pool.renew(user()).await.unwrap().access_key_id(), "ASIA3");
        pool.forget_credentials();
        assert!(pool.cached().is_none());
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA4"
        );
        assert_eq!(server.requests().len(), 5);
        assert_eq!(
            operations(&server).iter().filter(|o| *o == "GetId").count(),
            1
        );
        // A forgotten identity (the user signed out) asks for it again.
        pool.forget();
        assert_eq!(pool.identity_id(), None);
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA6"
        );
        assert_eq!(
            operations(&server)[5..],
            ["GetId", "GetCredentialsForIdentity"]
        );
        assert_eq!(server.connections(), 1);
    })
    .await
    .unwrap();
}

/// An identity id saved before a reboot: no `GetId` at all.
#[tokio::test]
async fn a_restored_identity_id_needs_no_get_id() {
    bounded(async {
        let server = pool_server(IDENTITY);
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut pool = buffers
            .pool(&connector)
            .with_wall_clock(&clock)
            .with_identity_id(IDENTITY, IdentityKind::Authenticated)
            .unwrap();
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA0"
        );
        assert_eq!(operations(&server), ["GetCredentialsForIdentity"]);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_restored_identity_the_pool_no_longer_knows_is_named_again_once() {
    bounded(async {
        const NEW_IDENTITY: &str = "eu-west-1:1111bbbb-4f7e-9d3a-1a2b-3c4d5e6f7a8b";
        let server = RecordingServer::answering(|n, request| match n {
            0 => (
                400,
                r#"{"__type":"ResourceNotFoundException","message":"Identity not found"}"#
                    .to_owned(),
                true,
            ),
            _ if is_get_id(request) => (200, get_id_reply(NEW_IDENTITY), true),
            _ => (200, credentials_reply(NEW_IDENTITY, n, T0 + 3600), true),
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut pool = buffers
            .pool(&connector)
            .with_wall_clock(&clock)
            .with_identity_id(IDENTITY, IdentityKind::Authenticated)
            .unwrap();
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA2"
        );
        assert_eq!(
            operations(&server),
            [
                "GetCredentialsForIdentity",
                "GetId",
                "GetCredentialsForIdentity"
            ]
        );
        // The caller saves the new id (for the flash store).
        assert_eq!(
            pool.identity_id(),
            Some((NEW_IDENTITY, IdentityKind::Authenticated))
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn guests_get_credentials_without_logins_and_never_those_of_a_user() {
    bounded(async {
        let server = RecordingServer::answering(|n, request| {
            let identity = if request.contains("\"Logins\"") {
                IDENTITY
            } else {
                GUEST
            };
            let body = if is_get_id(request) {
                get_id_reply(identity)
            } else {
                credentials_reply(identity, n, T0 + 3600)
            };
            (200, body, false)
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut pool = buffers.pool(&connector).with_wall_clock(&clock);
        assert_eq!(
            pool.credentials(Principal::Guest)
                .await
                .unwrap()
                .access_key_id(),
            "ASIA1"
        );
        assert_eq!(pool.identity_id(), Some((GUEST, IdentityKind::Guest)));
        assert_eq!(
            server.requests(),
            [
                request(
                    "GetId",
                    &format!(r#"{{"IdentityPoolId":"{IDENTITY_POOL}"}}"#)
                ),
                request(
                    "GetCredentialsForIdentity",
                    &format!(r#"{{"IdentityId":"{GUEST}"}}"#)
                ),
            ]
        );
        assert_eq!(
            pool.credentials(Principal::Guest)
                .await
                .unwrap()
                .access_key_id(),
            "ASIA1"
        );
        assert_eq!(server.requests().len(), 2);

        // The user signs in: the guest's identity and credentials are not theirs.
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA3"
        );
        assert_eq!(
            pool.identity_id(),
            Some((IDENTITY, IdentityKind::Authenticated))
        );
        assert_eq!(
            operations(&server)[2..],
            ["GetId", "GetCredentialsForIdentity"]
        );
        // Federated logins of the same provider are the same kind of identity.
        let logins = [Login {
            provider: PROVIDER,
            token: ID_TOKEN,
        }];
        assert_eq!(
            pool.credentials(Principal::Federated(&logins))
                .await
                .unwrap()
                .access_key_id(),
            "ASIA3"
        );
        assert_eq!(Principal::Federated(&[]).kind(), IdentityKind::Guest);
        assert_eq!(server.requests().len(), 4);
    })
    .await
    .unwrap();
}

/// A guest's `GetId` creates an identity each time it arrives: cut after it was sent, it is
/// not sent again (the core's rule) and its outcome is unknown. A user's is sent again.
#[tokio::test]
async fn a_cut_guest_get_id_is_not_sent_again_but_a_users_is() {
    bounded(async {
        let server = RecordingServer::answering(|n, request| match n {
            0 => (HANG_UP, String::new(), false),
            _ if is_get_id(request) => (200, get_id_reply(IDENTITY), true),
            _ => (200, credentials_reply(IDENTITY, n, T0 + 3600), true),
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        let mut pool = buffers.pool(&connector);
        let err = pool.credentials(Principal::Guest).await.unwrap_err();
        assert_eq!(
            err,
            Error::IdentityOutcomeUnknown {
                operation: cognito_core::identity::IdentityOperation::GetId
            }
        );
        assert_eq!(server.requests().len(), 1);
        assert!(pool.identity_id().is_none() && pool.cached().is_none());

        let server = RecordingServer::answering(|n, request| match n {
            0 => (HANG_UP, String::new(), false),
            _ if is_get_id(request) => (200, get_id_reply(IDENTITY), true),
            _ => (200, credentials_reply(IDENTITY, n, T0 + 3600), true),
        });
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        let mut pool = buffers.pool(&connector);
        assert_eq!(
            pool.credentials(user()).await.unwrap().access_key_id(),
            "ASIA2"
        );
        assert_eq!(
            operations(&server),
            ["GetId", "GetId", "GetCredentialsForIdentity"]
        );
        assert_eq!(server.connections(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_pools_refusals_are_typed_and_final() {
    bounded(async {
        let server = RecordingServer::answering(|n, request| match n {
            0 => (
                400,
                r#"{"__type":"NotAuthorizedException","message":"Invalid login token. Token expired."}"#
                    .to_owned(),
                true,
            ),
            _ if is_get_id(request) => (200, get_id_reply(IDENTITY), true),
            2 => (503, "<html>Service Unavailable</html>".to_owned(), true),
            3 => (200, credentials_reply(IDENTITY, n, T0 + 3600), true),
            _ => (
                400,
                r#"{"__type":"ResourceNotFoundException","message":"Identity not found"}"#
                    .to_owned(),
                true,
            ),
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let clock = TestClock::at(T0);
        let mut buffers = Buffers::new();
        let mut pool = buffers.pool(&connector).with_wall_clock(&clock);
        let err = pool.credentials(user()).await.unwrap_err();
        let Error::Core(cognito_core::Error::Service(e)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), ErrorKind::NotAuthorized);
        assert_eq!(e.message(), "Invalid login token. Token expired.");
        // A refusal is final: sent once, nothing kept.
        assert_eq!(server.requests().len(), 1);
        assert!(pool.identity_id().is_none());

        // A 503 is sent again (GetCredentialsForIdentity only mints credentials).
        assert_eq!(pool.credentials(user()).await.unwrap().access_key_id(), "ASIA3");
        assert_eq!(
            operations(&server)[1..],
            ["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]
        );

        // A kept identity refused as unknown is named again once (GetId); refused again, the
        // renewal fails, keeping the old credentials and the identity just named.
        clock.set(T0 + 3600);
        let err = pool.credentials(user()).await.unwrap_err();
        let Error::Core(cognito_core::Error::Service(e)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.kind(), ErrorKind::ResourceNotFound);
        assert_eq!(pool.cached().unwrap().access_key_id(), "ASIA3");
        assert_eq!(pool.identity_id(), Some((IDENTITY, IdentityKind::Authenticated)));
        assert_eq!(
            operations(&server)[4..],
            ["GetCredentialsForIdentity", "GetId", "GetCredentialsForIdentity"]
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn malformed_and_oversized_replies_are_protocol_errors() {
    bounded(async {
        let long_token = "T".repeat(300);
        let server = RecordingServer::answering(move |n, request| match n {
            _ if is_get_id(request) => (200, get_id_reply(IDENTITY), true),
            1 => (
                200,
                format!(r#"{{"IdentityId":"{IDENTITY}","Credentials":{{"AccessKeyId":"A","SecretKey":"S","SessionToken":"T"}}}}"#),
                true,
            ),
            _ => (
                200,
                format!(r#"{{"IdentityId":"{IDENTITY}","Credentials":{{"AccessKeyId":"A","SecretKey":"S","SessionToken":"{long_token}","Expiration":1700003600}}}}"#),
                true,
            ),
        });
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 4096]);
        let mut pool: IdentityPool<'_, _, 256> = IdentityPool::new(
            IDENTITY_POOL,
            IdentityEndpoint::Custom("127.0.0.1"),
            &connector,
            &mut request_buf,
            &mut reply_buf,
        )
        .unwrap()
        .with_options(options());
        assert_eq!(
            pool.credentials(user()).await.unwrap_err(),
            Error::Core(ProtocolError::MissingField("Expiration").into())
        );
        assert_eq!(
            pool.credentials(user()).await.unwrap_err(),
            Error::Core(
                ProtocolError::FieldTooLong {
                    field: "SessionToken",
                    max: 256
                }
                .into()
            )
        );
        assert!(pool.cached().is_none());
        // Not sent again: a malformed reply is final.
        assert_eq!(operations(&server), ["GetId", "GetCredentialsForIdentity", "GetCredentialsForIdentity"]);
    })
    .await
    .unwrap();
}

/// Checked before anything is sent: a pool id without a region, a connector to another host
/// than the endpoint's, an invalid user pool id, buffers too small.
#[tokio::test]
async fn misuse_is_refused_before_anything_is_sent() {
    bounded(async {
        let server = pool_server(IDENTITY);
        let stack = Stack::default();
        let connector = server.connector(&stack);
        let mut buffers = Buffers::new();
        let misuse = |r: Result<IdentityPool<'_, _>, Error>| match r {
            Err(Error::Core(cognito_core::Error::Misuse(m))) => m,
            other => panic!("{other:?}"),
        };
        let regional = InsecurePlaintextTcp::new_insecure(
            &stack,
            &stack,
            "cognito-identity.eu-west-1.amazonaws.com",
            443,
        );
        let user_api = InsecurePlaintextTcp::new_insecure(
            &stack,
            &stack,
            "cognito-idp.eu-west-1.amazonaws.com",
            443,
        );
        for (pool_id, endpoint, connector, refused) in [
            (
                USER_POOL,
                IdentityEndpoint::Regional,
                &regional,
                Some(Misuse::Invalid("identity pool id")),
            ),
            (
                "eu-west-1",
                IdentityEndpoint::Regional,
                &regional,
                Some(Misuse::Invalid("identity pool id")),
            ),
            (
                IDENTITY_POOL,
                IdentityEndpoint::Regional,
                &user_api,
                Some(Misuse::Invalid("identity endpoint")),
            ),
            (
                IDENTITY_POOL,
                IdentityEndpoint::Custom("127.0.0.1"),
                &regional,
                Some(Misuse::Invalid("identity endpoint")),
            ),
            (
                "us-east-1:0c1b",
                IdentityEndpoint::Regional,
                &regional,
                Some(Misuse::Invalid("identity endpoint")),
            ),
            (IDENTITY_POOL, IdentityEndpoint::Regional, &regional, None),
        ] {
            let (mut request_buf, mut reply_buf) = ([0u8; 16], [0u8; 16]);
            let made = IdentityPool::new(
                pool_id,
                endpoint,
                connector,
                &mut request_buf,
                &mut reply_buf,
            );
            match refused {
                Some(refused) => assert_eq!(misuse(made), refused, "{pool_id} {endpoint:?}"),
                None => assert!(made.is_ok()),
            }
        }

        let mut pool = buffers.pool(&connector);
        let not_a_pool = Principal::User {
            user_pool_id: "eu-west-1",
            id_token: ID_TOKEN,
        };
        assert!(matches!(
            pool.credentials(not_a_pool).await.unwrap_err(),
            Error::Core(cognito_core::Error::Misuse(_))
        ));
        assert_eq!(
            pool.set_identity_id("", IdentityKind::Guest),
            Err(Misuse::Empty("IdentityId"))
        );
        assert!(matches!(
            pool.set_identity_id(&"i".repeat(56), IdentityKind::Guest),
            Err(Misuse::TooLong { .. })
        ));
        drop(pool);

        // A request buffer that cannot hold the request: a typed error, nothing sent.
        let (mut tiny, mut reply_buf) = ([0u8; 32], [0u8; 4096]);
        let mut pool: IdentityPool<'_, _> = IdentityPool::new(
            IDENTITY_POOL,
            IdentityEndpoint::Custom("127.0.0.1"),
            &connector,
            &mut tiny,
            &mut reply_buf,
        )
        .unwrap();
        let err = pool.credentials(user()).await.unwrap_err();
        assert!(
            matches!(err, Error::Core(cognito_core::Error::BufferTooSmall(_))),
            "{err:?}"
        );
        assert!(server.requests().is_empty());
    })
    .await
    .unwrap();
}

/// What a device pays in RAM (measured on a 64-bit host; smaller on 32-bit targets): the
/// credentials about 2.3 KiB with the default capacities, the pool that plus its connection and
/// a 384-byte request head.
#[test]
fn sizes() {
    let credentials = core::mem::size_of::<Credentials>();
    assert!((2304..2304 + 64).contains(&credentials), "{credentials}");
    assert!(core::mem::size_of::<Credentials<1024>>() < 1024 + 320);
    let pool = core::mem::size_of::<IdentityPool<'_, InsecurePlaintextTcp<'_, Stack, Stack>>>();
    assert!(pool < credentials + 1024, "{pool}");
}
