//! A tiny num-bigint Cognito client used to drive the emulator in tests. It is written from
//! DESIGN.md section 4 on top of `cognito_tests::srp`; every step is a separate function so tests
//! can break one thing at a time (timestamp, secret hash, username, ...).

#![allow(dead_code, reason = "each test binary uses a different part")]

use base64ct::{Base64, Encoding};
use cognito_tests::pool::{Reply, UserPool, secret_hash};
use cognito_tests::{srp, timestamp};
use num_bigint::BigUint;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{Value, json};

pub(crate) const POOL_ID: &str = "us-east-1_TestPool1";
pub(crate) const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
pub(crate) const SECRET: &str = "1l2n0cs1q0elpb8qg9nnvbvqhdkbdu5uaanlbq1qgk3hpbtbgq0r";

/// A client's ephemeral SRP key pair.
pub(crate) struct Ephemeral {
    pub(crate) a: BigUint,
    pub(crate) a_pub: BigUint,
}

/// Credentials a client keeps for a confirmed device.
#[derive(Clone)]
pub(crate) struct DeviceCreds {
    pub(crate) key: String,
    pub(crate) group_key: String,
    pub(crate) password: String,
}

/// The app-client side of the protocol.
pub(crate) struct TestClient {
    pub(crate) client_id: String,
    pub(crate) secret: Option<String>,
    rng: ChaCha20Rng,
}

impl TestClient {
    pub(crate) fn new(client_id: &str, secret: Option<&str>, seed: u64) -> Self {
        Self {
            client_id: client_id.to_owned(),
            secret: secret.map(str::to_owned),
            rng: ChaCha20Rng::seed_from_u64(seed ^ 0x5eed_c11e),
        }
    }

    /// `a` = 128 random bytes (as the JS client does), `A = g^a mod N`.
    pub(crate) fn ephemeral(&mut self) -> Ephemeral {
        let mut bytes = [0u8; 128];
        self.rng.fill_bytes(&mut bytes);
        let a = BigUint::from_bytes_be(&bytes);
        let a_pub = srp::client_a(&a);
        Ephemeral { a, a_pub }
    }

    pub(crate) fn random_bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        self.rng.fill_bytes(&mut out);
        out
    }

    pub(crate) fn secret_hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_deref()
            .map(|secret| secret_hash(secret, username, &self.client_id))
    }

    /// The InitiateAuth body for USER_SRP_AUTH.
    pub(crate) fn initiate_body(
        &self,
        username: &str,
        eph: &Ephemeral,
        device_key: Option<&str>,
    ) -> Value {
        let mut params = json!({ "USERNAME": username, "SRP_A": srp::plain_hex(&eph.a_pub) });
        if let Some(hash) = self.secret_hash(username) {
            params["SECRET_HASH"] = json!(hash);
        }
        if let Some(key) = device_key {
            params["DEVICE_KEY"] = json!(key);
        }
        json!({
            "AuthFlow": "USER_SRP_AUTH",
            "ClientId": self.client_id,
            "AuthParameters": params,
            "ClientMetadata": {},
        })
    }

    /// Sends InitiateAuth and expects PASSWORD_VERIFIER; returns the ephemeral and the
    /// ChallengeParameters.
    pub(crate) fn initiate(
        &mut self,
        pool: &mut UserPool,
        username: &str,
        device_key: Option<&str>,
    ) -> (Ephemeral, Value) {
        let eph = self.ephemeral();
        let reply = pool.call(
            "InitiateAuth",
            &self.initiate_body(username, &eph, device_key),
        );
        let body = expect_ok(&reply);
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER", "{body}");
        assert!(
            body.get("Session").is_none(),
            "PASSWORD_VERIFIER carries no Session"
        );
        (eph, body["ChallengeParameters"].clone())
    }

    /// The PASSWORD_VERIFIER answer, signed over `stamp`.
    pub(crate) fn password_verifier_body(
        &self,
        pool_name: &str,
        params: &Value,
        eph: &Ephemeral,
        password: &str,
        stamp: &str,
        device_key: Option<&str>,
    ) -> Value {
        let user_id = str_of(&params["USER_ID_FOR_SRP"]);
        let username = str_of(&params["USERNAME"]);
        let signature = srp_signature(params, eph, pool_name, user_id, password, stamp);
        let mut responses = json!({
            "USERNAME": username,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "TIMESTAMP": stamp,
            "PASSWORD_CLAIM_SIGNATURE": signature,
        });
        if let Some(hash) = self.secret_hash(username) {
            responses["SECRET_HASH"] = json!(hash);
        }
        if let Some(key) = device_key {
            responses["DEVICE_KEY"] = json!(key);
        }
        json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": responses,
            "ClientMetadata": {},
        })
    }

    /// The DEVICE_SRP_AUTH answer with a fresh ephemeral.
    pub(crate) fn device_srp_auth_body(
        &mut self,
        username: &str,
        device: &DeviceCreds,
        session: &str,
    ) -> (Ephemeral, Value) {
        let eph = self.ephemeral();
        let mut responses = json!({
            "USERNAME": username,
            "DEVICE_KEY": device.key,
            "SRP_A": srp::plain_hex(&eph.a_pub),
        });
        if let Some(hash) = self.secret_hash(username) {
            responses["SECRET_HASH"] = json!(hash);
        }
        let body = json!({
            "ChallengeName": "DEVICE_SRP_AUTH",
            "ClientId": self.client_id,
            "ChallengeResponses": responses,
            "Session": session,
        });
        (eph, body)
    }

    /// The DEVICE_PASSWORD_VERIFIER answer, signed over `stamp`.
    pub(crate) fn device_password_verifier_body(
        &self,
        device: &DeviceCreds,
        params: &Value,
        eph: &Ephemeral,
        stamp: &str,
        session: &str,
    ) -> Value {
        let username = str_of(&params["USERNAME"]);
        let signature = srp_signature(
            params,
            eph,
            &device.group_key,
            &device.key,
            &device.password,
            stamp,
        );
        let mut responses = json!({
            "USERNAME": username,
            "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
            "TIMESTAMP": stamp,
            "PASSWORD_CLAIM_SIGNATURE": signature,
            "DEVICE_KEY": device.key,
        });
        if let Some(hash) = self.secret_hash(username) {
            responses["SECRET_HASH"] = json!(hash);
        }
        json!({
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ClientId": self.client_id,
            "ChallengeResponses": responses,
            "Session": session,
        })
    }

    /// A complete USER_SRP_AUTH sign-in (with the device steps when `device` is given); returns
    /// the final reply body (with `AuthenticationResult`).
    pub(crate) fn sign_in(
        &mut self,
        pool: &mut UserPool,
        username: &str,
        password: &str,
        device: Option<&DeviceCreds>,
    ) -> Value {
        let device_key = device.map(|d| d.key.as_str());
        let (eph, params) = self.initiate(pool, username, device_key);
        let stamp = timestamp::format(pool.now());
        let body = self.password_verifier_body(
            pool.pool_name(),
            &params,
            &eph,
            password,
            &stamp,
            device_key,
        );
        let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
        let Some(device) = device else {
            return reply;
        };
        assert_eq!(reply["ChallengeName"], "DEVICE_SRP_AUTH", "{reply}");
        let sub = str_of(&params["USERNAME"]).to_owned();
        let session = str_of(&reply["Session"]).to_owned();
        let (eph, body) = self.device_srp_auth_body(&sub, device, &session);
        let reply = expect_ok(&pool.call("RespondToAuthChallenge", &body));
        assert_eq!(
            reply["ChallengeName"], "DEVICE_PASSWORD_VERIFIER",
            "{reply}"
        );
        let params = &reply["ChallengeParameters"];
        let session = str_of(&reply["Session"]);
        let stamp = timestamp::format(pool.now());
        let body = self.device_password_verifier_body(device, params, &eph, &stamp, session);
        expect_ok(&pool.call("RespondToAuthChallenge", &body))
    }

    /// Makes the device secrets for `NewDeviceMetadata` and the ConfirmDevice body.
    pub(crate) fn new_device(
        &mut self,
        metadata: &Value,
        access_token: &str,
    ) -> (DeviceCreds, Value) {
        let creds = DeviceCreds {
            key: str_of(&metadata["DeviceKey"]).to_owned(),
            group_key: str_of(&metadata["DeviceGroupKey"]).to_owned(),
            password: Base64::encode_string(&self.random_bytes(40)),
        };
        let salt = BigUint::from_bytes_be(&self.random_bytes(16));
        let verifier = srp::verifier(&salt, &creds.group_key, &creds.key, &creds.password);
        let body = json!({
            "AccessToken": access_token,
            "DeviceKey": creds.key,
            "DeviceSecretVerifierConfig": {
                "PasswordVerifier": Base64::encode_string(&srp::to_java_bytes(&verifier)),
                "Salt": Base64::encode_string(&srp::to_java_bytes(&salt)),
            },
            "DeviceName": "emulator-test",
        });
        (creds, body)
    }
}

/// The client's PASSWORD_CLAIM_SIGNATURE for challenge parameters `params`.
pub(crate) fn srp_signature(
    params: &Value,
    eph: &Ephemeral,
    pool_or_group: &str,
    user_id: &str,
    password: &str,
    stamp: &str,
) -> String {
    let salt = srp::parse_hex(str_of(&params["SALT"])).expect("SALT is hex");
    let b_pub = srp::parse_hex(str_of(&params["SRP_B"])).expect("SRP_B is hex");
    assert!(!srp::is_zero_mod_n(&b_pub), "B mod N = 0");
    let u = srp::compute_u(&eph.a_pub, &b_pub);
    let x = srp::compute_x(&salt, pool_or_group, user_id, password);
    let s = srp::client_s(&eph.a, &b_pub, &x, &u);
    let key = srp::hkdf_key(&u, &s);
    let block =
        Base64::decode_vec(str_of(&params["SECRET_BLOCK"])).expect("SECRET_BLOCK is base64");
    srp::signature(&key, pool_or_group, user_id, &block, stamp)
}

pub(crate) fn str_of(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"))
}

/// The JSON body of a successful reply (panics with the error otherwise).
pub(crate) fn expect_ok(reply: &Reply) -> Value {
    assert!(
        reply.is_success(),
        "expected success, got {} {:?}: {}",
        reply.status,
        reply.error_type,
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.error_type, None);
    reply.json()
}

/// Asserts an error reply of type `name` and returns its message.
#[track_caller]
pub(crate) fn expect_error(reply: &Reply, name: &str) -> String {
    assert_eq!(
        reply.status,
        400,
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(
        reply.error_type.as_deref(),
        Some(format!("{name}:").as_str())
    );
    assert_eq!(reply.error_name(), Some(name));
    reply.message().unwrap_or_default()
}

/// A pool with one user "alice" and one client; returns the pool and alice's sub.
pub(crate) fn pool_with_alice(seed: u64, secret: Option<&str>) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    let sub = pool.add_user("alice", "Passw0rd!");
    (pool, sub)
}
