//! `cognito_core::identity` against the emulator's identity pools, through the pair's loop:
//! a real SRP sign-in, then `GetId` with the ID token under the user pool's provider name →
//! `GetCredentialsForIdentity` (and `GetOpenIdToken`); the guest flow; a refused token; the
//! same user always getting the same identity; a lost guest `GetId` never resent.

use cognito_core::Error;
use cognito_core::auth::{ClientConfig, SignIn};
use cognito_core::identity::{
    GetCredentialsForIdentity, GetId, GetOpenIdToken, Login, user_pool_provider,
};
use cognito_core::time::UnixTime;
use cognito_core::wire::ErrorKind;
use cognito_tests::fixtures::driver::{DriveError, Fault, Pair};
use cognito_tests::pool::{CREDENTIALS_LIFETIME_SECS, IdentityPoolOptions, UserPool, jwt_payload};

use crate::support::{eph, rng};

const POOL_ID: &str = "eu-west-1_IdentityPool";
const CLIENT_ID: &str = "identityclient00000000000";
const BUF: usize = 8 * 1024;

/// A pool with Alice and Bob and an identity pool accepting `CLIENT_ID`'s ID tokens.
fn setup(seed: u64, guests: bool) -> (Pair, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.add_user("alice", "Passw0rd!");
    pool.add_user("bob", "Passw0rd!");
    let identity_pool = pool.add_identity_pool(IdentityPoolOptions {
        allow_unauthenticated: guests,
        client_ids: vec![CLIENT_ID.to_owned()],
        ..IdentityPoolOptions::default()
    });
    (Pair::new(pool), identity_pool)
}

/// An SRP sign-in through the pair; the ID token.
fn id_token(pair: &mut Pair, user: &str, seed: u64) -> String {
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let mut flow = SignIn::srp(&config, user, "Passw0rd!", eph(&mut rng(seed))).unwrap();
    let signed_in = pair.sign_in(&mut flow, |_, _| None).unwrap();
    signed_in.tokens.id_token.unwrap()
}

/// `GetId` through the pair: the identity id, or the core's error.
fn get_id(
    pair: &mut Pair,
    identity_pool: &str,
    logins: &[Login<'_>],
) -> Result<Result<String, Error>, DriveError> {
    let mut buf = vec![0u8; BUF];
    let request = GetId {
        identity_pool_id: identity_pool,
        account_id: None,
        logins,
    }
    .write(&mut buf)
    .unwrap();
    pair.identity(&request, |reply| {
        GetId::read_reply(reply).map(|r| r.identity_id.to_owned())
    })
}

/// `GetCredentialsForIdentity` through the pair: (access key id, secret length, expiration).
fn credentials(
    pair: &mut Pair,
    identity_id: &str,
    logins: &[Login<'_>],
) -> Result<(String, usize, UnixTime), Error> {
    let mut buf = vec![0u8; BUF];
    let request = GetCredentialsForIdentity {
        identity_id,
        logins,
        custom_role_arn: None,
    }
    .write(&mut buf)
    .unwrap();
    pair.identity(&request, |reply| {
        GetCredentialsForIdentity::read_reply(reply).map(|r| {
            assert_eq!(r.identity_id, identity_id);
            let c = r.credentials;
            (c.access_key_id.to_owned(), c.secret_key.len(), c.expiration)
        })
    })
    .unwrap()
}

fn service_kind<T: core::fmt::Debug>(result: Result<T, Error>) -> ErrorKind {
    match result {
        Err(Error::Service(e)) => e.kind(),
        other => panic!("expected a Cognito error, got {other:?}"),
    }
}

#[test]
fn signed_in_user_gets_credentials() {
    let (mut pair, identity_pool) = setup(1, false);
    let token = id_token(&mut pair, "alice", 1);
    let provider = user_pool_provider(POOL_ID).unwrap();
    assert_eq!(provider.as_str(), pair.pool.identity_provider_name());
    let logins = [Login {
        provider: &provider,
        token: &token,
    }];
    let identity_id = get_id(&mut pair, &identity_pool, &logins).unwrap().unwrap();
    assert_eq!(
        pair.pool.identity(&identity_id).unwrap().sub,
        pair.pool.user_sub("alice")
    );
    let (key_id, secret_len, expiration) = credentials(&mut pair, &identity_id, &logins).unwrap();
    assert!(key_id.starts_with("ASIA") && key_id.len() == 20);
    assert_eq!(secret_len, 40);
    assert_eq!(
        expiration.as_secs(),
        pair.pool.now() + CREDENTIALS_LIFETIME_SECS
    );

    // GetOpenIdToken for the same identity.
    let mut buf = vec![0u8; BUF];
    let request = GetOpenIdToken {
        identity_id: &identity_id,
        logins: &logins,
    }
    .write(&mut buf)
    .unwrap();
    let open_id = pair
        .identity(&request, |reply| {
            GetOpenIdToken::read_reply(reply).map(|r| r.token.to_owned())
        })
        .unwrap()
        .unwrap();
    let claims = jwt_payload(&open_id).unwrap();
    assert_eq!(claims["sub"], identity_id.as_str());
    assert_eq!(claims["aud"], identity_pool.as_str());

    // Without the login, an authenticated identity gets nothing.
    assert_eq!(
        service_kind(credentials(&mut pair, &identity_id, &[])),
        ErrorKind::NotAuthorized
    );
    assert_eq!(
        pair.identity_transcript(),
        [
            "GetId",
            "GetCredentialsForIdentity",
            "GetOpenIdToken",
            "GetCredentialsForIdentity"
        ]
    );
}

#[test]
fn the_same_user_gets_the_same_identity() {
    let (mut pair, identity_pool) = setup(2, false);
    let provider = user_pool_provider(POOL_ID).unwrap();
    let mut ids = Vec::new();
    for (user, seed) in [("alice", 20), ("alice", 21), ("bob", 22)] {
        let token = id_token(&mut pair, user, seed);
        let logins = [Login {
            provider: &provider,
            token: &token,
        }];
        ids.push(get_id(&mut pair, &identity_pool, &logins).unwrap().unwrap());
    }
    assert_eq!(ids[0], ids[1]);
    assert_ne!(ids[0], ids[2]);
}

#[test]
fn guests_get_credentials_when_allowed() {
    let (mut pair, identity_pool) = setup(3, true);
    let guest = get_id(&mut pair, &identity_pool, &[]).unwrap().unwrap();
    assert_eq!(pair.pool.identity(&guest).unwrap().sub, None);
    let (key_id, _, _) = credentials(&mut pair, &guest, &[]).unwrap();
    assert!(key_id.starts_with("ASIA"));
    assert_ne!(
        get_id(&mut pair, &identity_pool, &[]).unwrap().unwrap(),
        guest
    );

    let (mut pair, identity_pool) = setup(4, false);
    assert_eq!(
        service_kind(get_id(&mut pair, &identity_pool, &[]).unwrap()),
        ErrorKind::NotAuthorized
    );
}

#[test]
fn a_lost_guest_get_id_is_not_resent_but_a_login_get_id_is() {
    let (mut pair, identity_pool) = setup(5, true);
    pair.inject(&[Fault::LostReply]);
    assert!(matches!(
        get_id(&mut pair, &identity_pool, &[]),
        Err(DriveError::IdentityOutcomeUnknown(_))
    ));
    // The pool made one identity: the request arrived once.
    assert_eq!(pair.pool.identities(&identity_pool).len(), 1);

    let token = id_token(&mut pair, "alice", 5);
    let provider = user_pool_provider(POOL_ID).unwrap();
    let logins = [Login {
        provider: &provider,
        token: &token,
    }];
    pair.inject(&[Fault::LostReply, Fault::Throttle]);
    let id = get_id(&mut pair, &identity_pool, &logins).unwrap().unwrap();
    assert_eq!(pair.identity_sent().len(), 4);
    assert_eq!(
        pair.pool.identity(&id).unwrap().sub,
        pair.pool.user_sub("alice")
    );
}

#[test]
fn a_wrong_token_is_refused() {
    let (mut pair, identity_pool) = setup(6, false);
    let token = id_token(&mut pair, "alice", 6);
    let provider = user_pool_provider(POOL_ID).unwrap();
    // The signature of another token under this one's payload.
    let other = id_token(&mut pair, "bob", 7);
    let forged = format!(
        "{}.{}",
        token.rsplit_once('.').unwrap().0,
        other.rsplit_once('.').unwrap().1
    );
    let other_pool = user_pool_provider("eu-west-1_SomeOtherPool").unwrap();
    for logins in [
        [Login {
            provider: &provider,
            token: &forged,
        }],
        [Login {
            provider: &other_pool,
            token: &token,
        }],
    ] {
        assert_eq!(
            service_kind(get_id(&mut pair, &identity_pool, &logins).unwrap()),
            ErrorKind::NotAuthorized
        );
    }
    assert!(pair.pool.identities(&identity_pool).is_empty());
}
