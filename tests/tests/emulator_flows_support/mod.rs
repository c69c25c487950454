//! A tiny hand-written client for the `emulator_flows_*` tests: serde_json bodies, SECRET_HASH
//! when the client has a secret, and the num-bigint SRP of `cognito_tests::srp` for
//! PASSWORD_VERIFIER and device SRP. Every helper does one request so tests can assert each step.

#![allow(dead_code, reason = "each test binary uses a different part")]

use base64ct::{Base64, Encoding};
use cognito_tests::pool::{Reply, UserPool, secret_hash};
use cognito_tests::{srp, timestamp};
use num_bigint::BigUint;
use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha20Rng;
use serde_json::{Value, json};

pub(crate) const POOL_ID: &str = "eu-west-1_FlowPool7";
pub(crate) const CLIENT_ID: &str = "7flows8client9id0abcdefghi";
pub(crate) const SECRET: &str = "s3cr3t0fth3fl0wscl13nt000000000000000000000000000000";
pub(crate) const PASSWORD: &str = "Passw0rd!";

/// A client's SRP key pair.
pub(crate) struct Ephemeral {
    a: BigUint,
    pub(crate) a_pub: BigUint,
}

impl Ephemeral {
    pub(crate) fn hex(&self) -> String {
        srp::plain_hex(&self.a_pub)
    }
}

/// What a client keeps for a confirmed device.
#[derive(Clone, Debug)]
pub(crate) struct DeviceCreds {
    pub(crate) key: String,
    pub(crate) group_key: String,
    pub(crate) password: String,
}

/// The app-client side.
pub(crate) struct Client {
    pub(crate) id: String,
    pub(crate) secret: Option<String>,
    rng: ChaCha20Rng,
}

impl Client {
    pub(crate) fn new(secret: Option<&str>, seed: u64) -> Self {
        Self {
            id: CLIENT_ID.to_owned(),
            secret: secret.map(str::to_owned),
            rng: ChaCha20Rng::seed_from_u64(seed ^ 0xf10f),
        }
    }

    pub(crate) fn hash(&self, username: &str) -> Option<String> {
        self.secret
            .as_deref()
            .map(|secret| secret_hash(secret, username, &self.id))
    }

    /// `params` plus `USERNAME` and, with a secret, `SECRET_HASH` over `username`.
    fn named(&self, username: &str, params: Value) -> Value {
        let mut params = params;
        params["USERNAME"] = json!(username);
        if let Some(hash) = self.hash(username) {
            params["SECRET_HASH"] = json!(hash);
        }
        params
    }

    /// InitiateAuth with USERNAME (+ SECRET_HASH) added to `params`.
    pub(crate) fn initiate(
        &self,
        pool: &mut UserPool,
        flow: &str,
        username: &str,
        params: Value,
    ) -> Reply {
        self.initiate_raw(pool, flow, self.named(username, params))
    }

    /// InitiateAuth with `params` as given.
    pub(crate) fn initiate_raw(&self, pool: &mut UserPool, flow: &str, params: Value) -> Reply {
        pool.call(
            "InitiateAuth",
            &json!({
                "AuthFlow": flow,
                "ClientId": self.id,
                "AuthParameters": params,
                "ClientMetadata": {},
            }),
        )
    }

    /// RespondToAuthChallenge with USERNAME (+ SECRET_HASH) added to `responses`.
    pub(crate) fn respond(
        &self,
        pool: &mut UserPool,
        challenge: &str,
        username: &str,
        responses: Value,
        session: Option<&str>,
    ) -> Reply {
        self.respond_raw(pool, challenge, self.named(username, responses), session)
    }

    /// RespondToAuthChallenge with `responses` as given.
    pub(crate) fn respond_raw(
        &self,
        pool: &mut UserPool,
        challenge: &str,
        responses: Value,
        session: Option<&str>,
    ) -> Reply {
        let mut body = json!({
            "ChallengeName": challenge,
            "ClientId": self.id,
            "ChallengeResponses": responses,
        });
        if let Some(session) = session {
            body["Session"] = json!(session);
        }
        pool.call("RespondToAuthChallenge", &body)
    }

    pub(crate) fn ephemeral(&mut self) -> Ephemeral {
        let a = BigUint::from_bytes_be(&self.random_bytes(128));
        let a_pub = srp::client_a(&a);
        Ephemeral { a, a_pub }
    }

    pub(crate) fn random_bytes(&mut self, len: usize) -> Vec<u8> {
        let mut out = vec![0u8; len];
        self.rng.fill_bytes(&mut out);
        out
    }

    /// The PASSWORD_VERIFIER answer for challenge parameters `params` (USERNAME, SECRET_HASH
    /// over the challenge USERNAME).
    pub(crate) fn password_claim(
        &self,
        pool: &UserPool,
        params: &Value,
        eph: &Ephemeral,
        password: &str,
    ) -> Value {
        let user_id = str_of(&params["USER_ID_FOR_SRP"]);
        let stamp = timestamp::format(pool.now());
        let signature = claim(params, eph, pool.pool_name(), user_id, password, &stamp);
        self.named(
            str_of(&params["USERNAME"]),
            json!({
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": signature,
            }),
        )
    }

    /// USER_SRP_AUTH up to and including the PASSWORD_VERIFIER answer; returns that answer's reply
    /// and the sub.
    pub(crate) fn srp(
        &mut self,
        pool: &mut UserPool,
        username: &str,
        password: &str,
        device_key: Option<&str>,
    ) -> (Reply, String) {
        let eph = self.ephemeral();
        let mut params = json!({ "SRP_A": eph.hex() });
        if let Some(key) = device_key {
            params["DEVICE_KEY"] = json!(key);
        }
        let reply = self.initiate(pool, "USER_SRP_AUTH", username, params);
        let body = expect_ok(&reply);
        assert_eq!(body["ChallengeName"], "PASSWORD_VERIFIER", "{body}");
        let params = &body["ChallengeParameters"];
        let sub = str_of(&params["USERNAME"]).to_owned();
        let answer = self.password_claim(pool, params, &eph, password);
        (
            self.respond_raw(pool, "PASSWORD_VERIFIER", answer, None),
            sub,
        )
    }

    /// Answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER; returns the last reply.
    pub(crate) fn device_srp(
        &mut self,
        pool: &mut UserPool,
        sub: &str,
        device: &DeviceCreds,
        session: &str,
    ) -> Reply {
        let eph = self.ephemeral();
        let reply = self.respond(
            pool,
            "DEVICE_SRP_AUTH",
            sub,
            json!({ "DEVICE_KEY": device.key, "SRP_A": eph.hex() }),
            Some(session),
        );
        let body = expect_ok(&reply);
        assert_eq!(body["ChallengeName"], "DEVICE_PASSWORD_VERIFIER", "{body}");
        let params = &body["ChallengeParameters"];
        let stamp = timestamp::format(pool.now());
        let signature = claim(
            params,
            &eph,
            &device.group_key,
            &device.key,
            &device.password,
            &stamp,
        );
        self.respond(
            pool,
            "DEVICE_PASSWORD_VERIFIER",
            sub,
            json!({
                "DEVICE_KEY": device.key,
                "PASSWORD_CLAIM_SECRET_BLOCK": params["SECRET_BLOCK"],
                "TIMESTAMP": stamp,
                "PASSWORD_CLAIM_SIGNATURE": signature,
            }),
            Some(str_of(&body["Session"])),
        )
    }

    /// ConfirmDevice for `NewDeviceMetadata`; returns the credentials and the reply body.
    pub(crate) fn confirm_device(
        &mut self,
        pool: &mut UserPool,
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
        let reply = pool.call(
            "ConfirmDevice",
            &json!({
                "AccessToken": access_token,
                "DeviceKey": creds.key,
                "DeviceSecretVerifierConfig": {
                    "PasswordVerifier": Base64::encode_string(&srp::to_java_bytes(&verifier)),
                    "Salt": Base64::encode_string(&srp::to_java_bytes(&salt)),
                },
                "DeviceName": "flows-test",
            }),
        );
        (creds, expect_ok(&reply))
    }
}

/// PASSWORD_CLAIM_SIGNATURE for `params` (SALT, SRP_B, SECRET_BLOCK).
pub(crate) fn claim(
    params: &Value,
    eph: &Ephemeral,
    pool_or_group: &str,
    user_id: &str,
    password: &str,
    stamp: &str,
) -> String {
    let salt = srp::parse_hex(str_of(&params["SALT"])).expect("SALT is hex");
    let b_pub = srp::parse_hex(str_of(&params["SRP_B"])).expect("SRP_B is hex");
    let u = srp::compute_u(&eph.a_pub, &b_pub);
    let x = srp::compute_x(&salt, pool_or_group, user_id, password);
    let s = srp::client_s(&eph.a, &b_pub, &x, &u);
    let key = srp::hkdf_key(&u, &s);
    let block = Base64::decode_vec(str_of(&params["SECRET_BLOCK"])).expect("SECRET_BLOCK");
    srp::signature(&key, pool_or_group, user_id, &block, stamp)
}

pub(crate) fn str_of(value: &Value) -> &str {
    value
        .as_str()
        .unwrap_or_else(|| panic!("expected a string, got {value}"))
}

/// The JSON body of a successful reply.
#[track_caller]
pub(crate) fn expect_ok(reply: &Reply) -> Value {
    assert!(
        reply.is_success(),
        "expected success, got {} {:?}: {}",
        reply.status,
        reply.error_type,
        String::from_utf8_lossy(&reply.body)
    );
    reply.json()
}

/// Asserts an error of type `name`; returns its message.
#[track_caller]
pub(crate) fn expect_error(reply: &Reply, name: &str) -> String {
    assert_eq!(
        reply.error_name(),
        Some(name),
        "{}",
        String::from_utf8_lossy(&reply.body)
    );
    assert_eq!(reply.status, 400);
    reply.message().unwrap_or_default()
}

/// Asserts a challenge reply named `name` with a Session; returns (parameters, Session).
#[track_caller]
pub(crate) fn expect_challenge(reply: &Reply, name: &str) -> (Value, String) {
    let body = expect_ok(reply);
    assert_eq!(body["ChallengeName"], name, "{body}");
    assert!(body.get("AuthenticationResult").is_none(), "{body}");
    let session = str_of(&body["Session"]).to_owned();
    assert!(session.len() >= 20);
    (body["ChallengeParameters"].clone(), session)
}

/// Asserts tokens; returns `AuthenticationResult`.
#[track_caller]
pub(crate) fn expect_tokens(reply: &Reply) -> Value {
    let body = expect_ok(reply);
    assert!(body.get("ChallengeName").is_none(), "{body}");
    assert!(body.get("Session").is_none(), "{body}");
    let result = body["AuthenticationResult"].clone();
    assert!(result["AccessToken"].is_string(), "{body}");
    assert_eq!(result["TokenType"], "Bearer");
    result
}

/// A pool with the test client (with `secret`) and alice (password [`PASSWORD`], no options).
pub(crate) fn pool(seed: u64, secret: Option<&str>) -> (UserPool, String) {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, secret);
    let sub = pool.add_user("alice", PASSWORD);
    (pool, sub)
}

/// A JSON-array-of-strings challenge parameter (`MFAS_CAN_CHOOSE`, `requiredAttributes`) parsed.
pub(crate) fn string_list(value: &Value) -> Vec<String> {
    serde_json::from_str(str_of(value)).expect("a JSON array of strings")
}
