//! AWS credentials from an identity pool (`fetch_auth_session`, guests) against canned
//! replies: the exact requests (target, `IdentityPoolId`, `Logins` keyed by the user pool's
//! provider name), what is cached and when it is renewed, token refresh first, the clock
//! corrected by the reply's `Date`, typed errors, a stale identity id dropped once, and no
//! secret in `Debug`.

use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use cognito_core::http_date::format_http_date;
use cognito_core::time::UnixTime;
use cognito_core::wire::ErrorKind;
use cognito_std::{
    Client, Config, Error, FetchOptions, FileStore, GuestIdentity, GuestIdentityFile, Session,
    SessionOrigin, SessionStore, blocking,
};
use cognito_tests::fixtures::canned::{self, CannedRequest, CannedServer};
use cognito_tests::fixtures::{bounded, unix_now, unsigned_jwt};
use serde_json::json;

use crate::support::quick_retries;

const POOL_ID: &str = "us-east-1_IdPool";
const CLIENT_ID: &str = "identityclient00000000000";
const PROVIDER: &str = "cognito-idp.us-east-1.amazonaws.com/us-east-1_IdPool";
const IDENTITY_POOL: &str = "us-east-1:0c1b2d3e-4f50-6172-8394-a5b6c7d8e9f0";
const IDENTITY: &str = "us-east-1:77aa88bb-99cc-0011-2233-445566778899";
const OTHER_IDENTITY: &str = "us-east-1:11111111-2222-3333-4444-555555555555";
const SECRET_KEY: &str = "wJalrXUtnFEMI-secret-key-marker";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjE-session-token-marker";
const GET_ID: &str = "AWSCognitoIdentityService.GetId";
const GET_CREDENTIALS: &str = "AWSCognitoIdentityService.GetCredentialsForIdentity";
const JSON11: (&str, &str) = ("Content-Type", "application/x-amz-json-1.1");

fn reply(body: &serde_json::Value) -> Vec<u8> {
    canned::response(200, &[JSON11], body.to_string().as_bytes())
}

fn get_id(identity_id: &str) -> Vec<u8> {
    reply(&json!({ "IdentityId": identity_id }))
}

/// Credentials for `identity_id` with key id `key` expiring at `expiration` (pool's clock).
fn credentials(identity_id: &str, key: &str, expiration: u64) -> Vec<u8> {
    reply(&json!({
        "IdentityId": identity_id,
        "Credentials": {
            "AccessKeyId": key,
            "SecretKey": SECRET_KEY,
            "SessionToken": SESSION_TOKEN,
            "Expiration": expiration as f64,
        }
    }))
}

fn service_error(name: &str, message: &str) -> Vec<u8> {
    canned::response(
        400,
        &[JSON11, ("x-amzn-ErrorType", name)],
        json!({ "__type": name, "message": message })
            .to_string()
            .as_bytes(),
    )
}

/// A server answering request `n` with `replies[n]` (and 500 past the end).
fn serve(replies: Vec<Vec<u8>>) -> CannedServer {
    let replies = Arc::new(replies);
    CannedServer::start(move |n, out| match replies.get(n) {
        Some(bytes) => out.write_all(bytes),
        None => out.write_all(&canned::response(500, &[], b"no more replies")),
    })
    .unwrap()
}

/// A client whose user pool is `pool` (or nobody) and whose identity endpoint is `identity`.
fn client(pool: Option<&CannedServer>, identity: &CannedServer) -> Client {
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_endpoint(pool.map_or("http://127.0.0.1:9/", |p| p.url()))
        .with_identity_pool(IDENTITY_POOL)
        .with_identity_endpoint(identity.url());
    Client::with_options(config, quick_retries(2)).unwrap()
}

fn id_token(marker: &str) -> String {
    unsigned_jwt(&json!({ "sub": "u-1", "token_use": "id", "marker": marker }))
}

/// A signed-in session whose tokens expire at local time `expires_at`.
fn session(expires_at: u64) -> Session {
    let now = unix_now();
    Session {
        username: "alice".to_owned(),
        aliases: Vec::new(),
        access_token: unsigned_jwt(&json!({ "username": "alice", "token_use": "access" })),
        id_token: Some(id_token("first")),
        refresh_token: Some("refresh-token".to_owned()),
        token_type: "Bearer".to_owned(),
        received_at: now.saturating_sub(600).min(expires_at),
        expires_at,
        clock_drift_secs: 0,
        device: None,
        other_users: Vec::new(),
        origin: SessionOrigin::UserPool,
        identities: Vec::new(),
    }
}

fn fresh_session() -> Session {
    session(unix_now() + 3600)
}

/// A `REFRESH_TOKEN_AUTH` reply with a new ID token marked `marker`.
fn refreshed(marker: &str) -> Vec<u8> {
    let now = unix_now();
    reply(&json!({
        "AuthenticationResult": {
            "AccessToken": unsigned_jwt(&json!({
                "username": "alice", "token_use": "access", "iat": now, "exp": now + 3600
            })),
            "IdToken": id_token(marker),
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        },
        "ChallengeParameters": {},
    }))
}

fn assert_get_id(request: &CannedRequest, id_token: Option<&str>) {
    assert_eq!(request.target, GET_ID);
    let expected = match id_token {
        Some(token) => json!({ "IdentityPoolId": IDENTITY_POOL, "Logins": { PROVIDER: token } }),
        None => json!({ "IdentityPoolId": IDENTITY_POOL }),
    };
    assert_eq!(request.json().unwrap(), expected);
}

fn assert_get_credentials(request: &CannedRequest, identity_id: &str, id_token: Option<&str>) {
    assert_eq!(request.target, GET_CREDENTIALS);
    let expected = match id_token {
        Some(token) => json!({ "IdentityId": identity_id, "Logins": { PROVIDER: token } }),
        None => json!({ "IdentityId": identity_id }),
    };
    assert_eq!(request.json().unwrap(), expected);
}

#[tokio::test]
async fn get_id_then_credentials_then_the_cache_and_the_session_file() {
    bounded(async {
        let expiration = unix_now() + 3600;
        let identity = serve(vec![
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIAFIRST", expiration),
        ]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        let token = session.id_token.clone().unwrap();

        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        let requests = identity.requests();
        assert_eq!(requests.len(), 2);
        assert_get_id(&requests[0], Some(&token));
        assert_get_credentials(&requests[1], IDENTITY, Some(&token));
        assert_eq!(auth.identity_id, IDENTITY);
        assert_eq!(auth.tokens.id_token.as_deref(), Some(token.as_str()));
        assert_eq!(auth.tokens.access_token, session.access_token);
        let c = &auth.credentials;
        assert_eq!(c.access_key_id, "ASIAFIRST");
        assert_eq!(c.secret_key, SECRET_KEY);
        assert_eq!(c.session_token, SESSION_TOKEN);
        assert_eq!(c.expiration, UNIX_EPOCH + Duration::from_secs(expiration));
        assert_eq!(session.identities.len(), 1);
        assert_eq!(session.identities[0].identity_pool_id, IDENTITY_POOL);
        assert_eq!(session.identities[0].identity_id, IDENTITY);
        assert_eq!(session.identities[0].credentials.as_ref(), Some(c));

        // Again: served from the session, nothing sent.
        let again = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(again, auth);
        assert_eq!(identity.hits(), 2);

        // Kept in the session file; another client (another run) sends nothing either.
        let dir = tempfile::tempdir().unwrap();
        let store = FileStore::new(dir.path().join("session.json"));
        store.save(&session).unwrap();
        let mut loaded = store.load().unwrap().unwrap();
        assert_eq!(loaded, session);
        let later = self::client(None, &identity)
            .fetch_auth_session(&mut loaded, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(later.credentials, auth.credentials);
        assert_eq!(identity.hits(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn credentials_near_expiry_are_renewed_without_get_id() {
    bounded(async {
        let now = unix_now();
        let identity = serve(vec![
            get_id(IDENTITY),
            // Within the 15-minute margin.
            credentials(IDENTITY, "ASIASHORT", now + 600),
            credentials(IDENTITY, "ASIALONG", now + 3600),
        ]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        let first = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(first.credentials.access_key_id, "ASIASHORT");
        let second = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(second.credentials.access_key_id, "ASIALONG");
        let requests = identity.requests();
        assert_eq!(requests.len(), 3);
        assert_get_credentials(&requests[2], IDENTITY, session.id_token.as_deref());
        assert_eq!(
            session.identities[0]
                .credentials
                .as_ref()
                .unwrap()
                .access_key_id,
            "ASIALONG"
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn force_refresh_renews_tokens_and_credentials() {
    bounded(async {
        let now = unix_now();
        let pool = serve(vec![refreshed("forced")]);
        let identity = serve(vec![
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIAONE", now + 3600),
            credentials(IDENTITY, "ASIATWO", now + 3600),
        ]);
        let client = client(Some(&pool), &identity);
        let mut session = fresh_session();
        client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        let forced = client
            .fetch_auth_session(
                &mut session,
                FetchOptions {
                    force_refresh: true,
                },
            )
            .await
            .unwrap();
        let pool_requests = pool.requests();
        assert_eq!(pool_requests.len(), 1);
        assert_eq!(
            pool_requests[0].target,
            "AWSCognitoIdentityProviderService.InitiateAuth"
        );
        assert_eq!(
            pool_requests[0].json().unwrap()["AuthFlow"],
            "REFRESH_TOKEN_AUTH"
        );
        let new_token = id_token("forced");
        assert_eq!(forced.tokens.id_token.as_deref(), Some(new_token.as_str()));
        assert_eq!(forced.credentials.access_key_id, "ASIATWO");
        let requests = identity.requests();
        assert_eq!(requests.len(), 3);
        // No second GetId: the identity is kept; the new ID token is the login.
        assert_get_credentials(&requests[2], IDENTITY, Some(&new_token));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn expired_tokens_are_refreshed_before_the_identity_pool_is_asked() {
    bounded(async {
        let pool = serve(vec![refreshed("renewed")]);
        let identity = serve(vec![
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIAX", unix_now() + 3600),
        ]);
        let client = client(Some(&pool), &identity);
        // Expires within the refresh margin.
        let mut session = session(unix_now() + 30);
        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(pool.hits(), 1);
        let new_token = id_token("renewed");
        assert_eq!(session.id_token.as_deref(), Some(new_token.as_str()));
        assert!(session.expires_at > unix_now() + 3000);
        let requests = identity.requests();
        assert_get_id(&requests[0], Some(&new_token));
        assert_get_credentials(&requests[1], IDENTITY, Some(&new_token));
        assert_eq!(auth.tokens.id_token.as_deref(), Some(new_token.as_str()));
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn the_expiry_is_corrected_by_the_pools_date() {
    bounded(async {
        let now = unix_now();
        // The pool's clock is two hours ahead: its credentials expire in an hour of its time.
        let server_now = now + 7200;
        let date = format_http_date(UnixTime::from_secs(server_now)).unwrap();
        let mut reply = credentials(IDENTITY, "ASIADRIFT", server_now + 3600);
        let head_end = reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
        let header = format!("\r\nDate: {}", date.as_str());
        reply.splice(head_end..head_end, header.bytes());
        let identity = serve(vec![get_id(IDENTITY), reply]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        let c = &auth.credentials;
        assert_eq!(
            c.expiration,
            UNIX_EPOCH + Duration::from_secs(server_now + 3600)
        );
        // An hour from now on the local clock (give or take the test's own seconds).
        assert!(c.expires_at.abs_diff(now + 3600) <= 5, "{}", c.expires_at);
        // So still cached on the next call.
        client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(identity.hits(), 2);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn guests_keep_their_identity_and_credentials() {
    bounded(async {
        let now = unix_now();
        let identity = serve(vec![
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIAGUEST", now + 3600),
            credentials(IDENTITY, "ASIAGUEST2", now + 3600),
        ]);
        let client = client(None, &identity);
        let mut guest = GuestIdentity::default();
        let first = client
            .guest_credentials(&mut guest, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(first.identity_id, IDENTITY);
        assert_eq!(first.credentials.access_key_id, "ASIAGUEST");
        assert_eq!(guest.identity_id(IDENTITY_POOL), Some(IDENTITY));
        let requests = identity.requests();
        assert_get_id(&requests[0], None);
        assert_get_credentials(&requests[1], IDENTITY, None);

        // Kept in a file between runs: the next run sends nothing while they last.
        let dir = tempfile::tempdir().unwrap();
        let file = GuestIdentityFile::new(dir.path().join("guest.json"));
        assert_eq!(file.load().unwrap(), GuestIdentity::default());
        file.save(&guest).unwrap();
        let mut loaded = file.load().unwrap();
        assert_eq!(loaded, guest);
        let cached = client
            .guest_credentials(&mut loaded, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(cached, first);
        assert_eq!(identity.hits(), 2);

        // Forced: new credentials for the same guest identity (no second GetId).
        let forced = client
            .guest_credentials(
                &mut loaded,
                FetchOptions {
                    force_refresh: true,
                },
            )
            .await
            .unwrap();
        assert_eq!(forced.credentials.access_key_id, "ASIAGUEST2");
        assert_get_credentials(&identity.requests()[2], IDENTITY, None);
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn identity_pool_errors_are_typed_and_keep_nothing() {
    bounded(async {
        let identity = serve(vec![
            service_error("NotAuthorizedException", "Invalid login token."),
            service_error(
                "ResourceConflictException",
                "Identity pool is being modified.",
            ),
        ]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        let e = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap_err();
        let service = e.service().unwrap();
        assert_eq!(service.kind(), ErrorKind::NotAuthorized);
        assert_eq!(service.message(), "Invalid login token.");
        assert!(session.identities.is_empty());
        let e = client
            .guest_credentials(&mut GuestIdentity::default(), FetchOptions::default())
            .await
            .unwrap_err();
        assert_eq!(e.service().unwrap().name(), "ResourceConflictException");
        assert_eq!(identity.hits(), 2);

        // Nothing to ask with: no identity pool, no ID token.
        let plain = Client::new(Config::new(POOL_ID, CLIENT_ID)).unwrap();
        let e = plain
            .fetch_auth_session(&mut fresh_session(), FetchOptions::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::NoIdentityPool), "{e:?}");
        let mut no_id_token = fresh_session();
        no_id_token.id_token = None;
        let e = client
            .fetch_auth_session(&mut no_id_token, FetchOptions::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::NoIdToken), "{e:?}");
        assert_eq!(identity.hits(), 2);

        // Cleartext to a remote identity endpoint is refused like the user pool's.
        let remote = Config::new(POOL_ID, CLIENT_ID)
            .with_identity_pool(IDENTITY_POOL)
            .with_identity_endpoint("http://192.0.2.1/");
        assert!(matches!(
            Client::new(remote).unwrap_err(),
            Error::Endpoint { .. }
        ));
        let default =
            Client::new(Config::new(POOL_ID, CLIENT_ID).with_identity_pool(IDENTITY_POOL)).unwrap();
        assert_eq!(
            default.identity_pool().unwrap().endpoint_security(),
            cognito_std::EndpointSecurity::Https
        );
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn a_stale_identity_id_is_dropped_and_asked_for_once() {
    bounded(async {
        let now = unix_now();
        let identity = serve(vec![
            service_error(
                "NotAuthorizedException",
                "Logins don't match. Please include at least one valid login for this identity.",
            ),
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIANEW", now + 3600),
        ]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        session.identities.push(cognito_std::PoolIdentity {
            identity_pool_id: IDENTITY_POOL.to_owned(),
            identity_id: OTHER_IDENTITY.to_owned(),
            credentials: None,
        });
        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        assert_eq!(auth.identity_id, IDENTITY);
        let token = session.id_token.clone().unwrap();
        let requests = identity.requests();
        assert_get_credentials(&requests[0], OTHER_IDENTITY, Some(&token));
        assert_get_id(&requests[1], Some(&token));
        assert_get_credentials(&requests[2], IDENTITY, Some(&token));
        assert_eq!(session.identities.len(), 1);
        assert_eq!(session.identities[0].identity_id, IDENTITY);

        // Refused again after GetId: returned, and only once more asked.
        let refusing = serve(vec![
            service_error("ResourceNotFoundException", "Identity not found."),
            service_error("NotAuthorizedException", "Token is expired."),
        ]);
        let client = self::client(None, &refusing);
        let mut session = fresh_session();
        session.identities.push(cognito_std::PoolIdentity {
            identity_pool_id: IDENTITY_POOL.to_owned(),
            identity_id: OTHER_IDENTITY.to_owned(),
            credentials: None,
        });
        let e = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap_err();
        assert_eq!(e.service().unwrap().kind(), ErrorKind::NotAuthorized);
        assert_eq!(refusing.hits(), 2);
        assert!(session.identities.is_empty());

        // A new identity's refusal is not retried.
        let new_refused = serve(vec![
            get_id(IDENTITY),
            service_error("NotAuthorizedException", "Access to Identity is forbidden."),
        ]);
        let client = self::client(None, &new_refused);
        let mut session = fresh_session();
        let e = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap_err();
        assert_eq!(e.service().unwrap().kind(), ErrorKind::NotAuthorized);
        assert_eq!(new_refused.hits(), 2);
        // The identity id is kept (GetId need not be asked again), without credentials.
        assert_eq!(session.identities[0].identity_id, IDENTITY);
        assert!(session.identities[0].credentials.is_none());
    })
    .await
    .unwrap();
}

#[tokio::test]
async fn debug_shows_no_secret() {
    bounded(async {
        let identity = serve(vec![
            get_id(IDENTITY),
            credentials(IDENTITY, "ASIADEBUG", unix_now() + 3600),
        ]);
        let client = client(None, &identity);
        let mut session = fresh_session();
        let auth = client
            .fetch_auth_session(&mut session, FetchOptions::default())
            .await
            .unwrap();
        for shown in [
            format!("{auth:?}"),
            format!("{session:?}"),
            format!("{:?}", auth.credentials),
            format!("{:?}", session.identities),
        ] {
            assert!(!shown.contains(SECRET_KEY), "{shown}");
            assert!(!shown.contains(SESSION_TOKEN), "{shown}");
            assert!(shown.contains("ASIADEBUG"), "{shown}");
        }
        assert!(format!("{:?}", auth.credentials).contains(&auth.credentials.expiration_iso8601()));
        let mut credentials = auth.credentials.clone();
        zeroize::Zeroize::zeroize(&mut credentials);
        assert!(credentials.secret_key.is_empty() && credentials.session_token.is_empty());
    })
    .await
    .unwrap();
}

#[test]
fn sessions_without_identities_are_stored_as_before() {
    let old = r#"{"username":"alice","access_token":"a","id_token":null,
        "refresh_token":null,"token_type":"Bearer","received_at":0,"expires_at":1,
        "clock_drift_secs":0,"device":null}"#;
    let session: Session = serde_json::from_str(old).unwrap();
    assert!(session.identities.is_empty());
    let written = serde_json::to_string(&session).unwrap();
    assert!(!written.contains("identities"), "{written}");
}

#[test]
fn the_blocking_client_fetches_too() {
    let identity = serve(vec![
        get_id(IDENTITY),
        credentials(IDENTITY, "ASIABLOCK", unix_now() + 3600),
        get_id(OTHER_IDENTITY),
        credentials(OTHER_IDENTITY, "ASIAGUEST", unix_now() + 3600),
    ]);
    let config = Config::new(POOL_ID, CLIENT_ID)
        .with_endpoint("http://127.0.0.1:9/")
        .with_identity_pool(IDENTITY_POOL)
        .with_identity_endpoint(identity.url());
    let client = blocking::Client::with_options(config, quick_retries(2)).unwrap();
    let mut session = fresh_session();
    let auth = client
        .fetch_auth_session(&mut session, FetchOptions::default())
        .unwrap();
    assert_eq!(auth.credentials.access_key_id, "ASIABLOCK");
    // A guest without a user pool.
    let guests =
        blocking::IdentityClient::new(IDENTITY_POOL, Some(identity.url()), &quick_retries(2))
            .unwrap();
    let mut guest = GuestIdentity::default();
    let creds = guests
        .guest_credentials(&mut guest, FetchOptions::default())
        .unwrap();
    assert_eq!(creds.identity_id, OTHER_IDENTITY);
    assert_eq!(creds.credentials.access_key_id, "ASIAGUEST");
    assert_eq!(identity.hits(), 4);
}
