//! Sign-in: `InitiateAuth` and `RespondToAuthChallenge` (USER_SRP_AUTH, PASSWORD_VERIFIER,
//! DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER).
//!
//! State between steps lives in two tables: pending PASSWORD_VERIFIER exchanges keyed by their
//! SECRET_BLOCK (that challenge carries no Session, as with the real service), and Sessions for the
//! later steps. Both are single-use: an answer consumes them whatever its outcome, and both expire
//! [`SESSION_LIFETIME_SECS`] after they were issued.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use num_bigint::BigUint;
use serde_json::json;

use super::UserPool;
use super::clients::AppClient;
use super::tokens::{Grant, TOKEN_LIFETIME_SECS};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param, req_str, string_map};
use crate::{srp, timestamp};

/// How long a sign-in Session (and a pending PASSWORD_VERIFIER exchange) stays valid, in seconds.
pub const SESSION_LIFETIME_SECS: u64 = 180;
/// How far a `TIMESTAMP` may be from the emulator's clock, either way, in seconds.
pub const TIMESTAMP_TOLERANCE_SECS: u64 = 300;
/// Size of a SECRET_BLOCK in bytes.
const SECRET_BLOCK_BYTES: usize = 700;
/// Size of the randomness behind a Session string (base64: 920 characters).
const SESSION_BYTES: usize = 690;
/// Size of the server's private SRP value b in bytes.
const SMALL_B_BYTES: usize = 32;

/// The server side of one SRP exchange.
#[derive(Debug, Clone)]
pub(crate) struct SrpExchange {
    a_pub: BigUint,
    b: BigUint,
    b_pub: BigUint,
    secret_block: Vec<u8>,
}

/// A PASSWORD_VERIFIER challenge waiting for its answer.
#[derive(Debug, Clone)]
pub(crate) struct PendingSrp {
    client_id: String,
    sub: String,
    /// `DEVICE_KEY` from InitiateAuth's AuthParameters.
    device_key: Option<String>,
    exchange: SrpExchange,
    expires_at: u64,
}

/// A sign-in Session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    client_id: String,
    sub: String,
    expires_at: u64,
    step: SessionStep,
}

/// Which answer a Session waits for.
#[derive(Debug, Clone)]
enum SessionStep {
    DeviceSrpAuth {
        device_key: String,
    },
    DevicePasswordVerifier {
        device_key: String,
        exchange: SrpExchange,
    },
}

impl UserPool {
    /// `InitiateAuth {AuthFlow, ClientId, AuthParameters, ClientMetadata}`.
    pub(super) fn initiate_auth(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let flow = req_str(request, "AuthFlow")?;
        let params = string_map(request, "AuthParameters")?;
        string_map(request, "ClientMetadata")?;
        match flow {
            "USER_SRP_AUTH" => self.start_user_srp(&client, &params),
            "USER_PASSWORD_AUTH" | "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" | "CUSTOM_AUTH"
            | "USER_AUTH" => Err(ServiceError::invalid_parameter(format!(
                "{flow} flow not enabled for this client"
            ))),
            other => Err(ServiceError::invalid_parameter(format!(
                "1 validation error detected: Value '{other}' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, USER_PASSWORD_AUTH, USER_AUTH]"
            ))),
        }
    }

    /// `RespondToAuthChallenge {ChallengeName, ClientId, ChallengeResponses, Session, ClientMetadata}`.
    pub(super) fn respond_to_auth_challenge(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let challenge = req_str(request, "ChallengeName")?;
        let responses = string_map(request, "ChallengeResponses")?;
        let session = opt_str(request, "Session")?;
        string_map(request, "ClientMetadata")?;
        match challenge {
            "PASSWORD_VERIFIER" => self.answer_password_verifier(&client, &responses),
            "DEVICE_SRP_AUTH" => self.answer_device_srp_auth(&client, &responses, session),
            "DEVICE_PASSWORD_VERIFIER" => {
                self.answer_device_password_verifier(&client, &responses, session)
            }
            other => Err(ServiceError::invalid_parameter(format!(
                "The emulator never issues the challenge {other}."
            ))),
        }
    }

    fn start_user_srp(&mut self, client: &AppClient, params: &Object) -> Outcome {
        let username = req_param(params, "USERNAME")?;
        let srp_a = req_param(params, "SRP_A")?;
        client.check_secret_hash(username, opt_str(params, "SECRET_HASH")?)?;
        let user = self
            .users
            .find(username)
            .ok_or_else(ServiceError::user_not_found)?;
        let (sub, salt, verifier) = (user.sub.clone(), user.salt.clone(), user.verifier.clone());
        let a_pub = parse_public_value(srp_a, "SRP_A")?;
        let exchange = self.new_exchange(a_pub, &verifier);
        let secret_block = Base64::encode_string(&exchange.secret_block);
        let srp_b = srp::plain_hex(&exchange.b_pub);
        self.pending_srp.insert(
            secret_block.clone(),
            PendingSrp {
                client_id: client.id.clone(),
                sub: sub.clone(),
                device_key: opt_str(params, "DEVICE_KEY")?.map(ToOwned::to_owned),
                exchange,
                expires_at: self.now + SESSION_LIFETIME_SECS,
            },
        );
        Ok(json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": srp::plain_hex(&salt),
                "SRP_B": srp_b,
                "SECRET_BLOCK": secret_block,
                "USER_ID_FOR_SRP": sub,
                "USERNAME": sub,
            },
        }))
    }

    fn answer_password_verifier(&mut self, client: &AppClient, responses: &Object) -> Outcome {
        let username = req_param(responses, "USERNAME")?;
        let secret_block = req_param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
        let stamp = req_param(responses, "TIMESTAMP")?;
        let claimed = req_param(responses, "PASSWORD_CLAIM_SIGNATURE")?;

        let pending = self
            .pending_srp
            .remove(secret_block)
            .filter(|pending| pending.client_id == client.id)
            .ok_or_else(|| {
                ServiceError::not_authorized(
                    "Invalid PASSWORD_CLAIM_SECRET_BLOCK: no sign-in of this client waits for it (each SECRET_BLOCK is single-use).",
                )
            })?;
        if self.now > pending.expires_at {
            return Err(session_expired());
        }
        if username != pending.sub {
            return Err(ServiceError::not_authorized(
                "USERNAME must be the challenge's USERNAME (USER_ID_FOR_SRP), not the name the user typed.",
            ));
        }
        client.check_secret_hash(username, opt_str(responses, "SECRET_HASH")?)?;
        self.check_timestamp(stamp)?;
        let user = self
            .users
            .by_sub(&pending.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        verify_claim(
            &pending.exchange,
            &user.verifier,
            &self.pool_name,
            &user.sub,
            stamp,
            claimed,
        )?;

        let device_key = opt_str(responses, "DEVICE_KEY")?
            .map(ToOwned::to_owned)
            .or(pending.device_key);
        match device_key {
            Some(device_key) => {
                self.confirmed_device(&pending.sub, &device_key)?;
                let session = self.new_session(
                    client,
                    &pending.sub,
                    SessionStep::DeviceSrpAuth { device_key },
                );
                Ok(json!({
                    "ChallengeName": "DEVICE_SRP_AUTH",
                    "ChallengeParameters": {},
                    "Session": session,
                }))
            }
            None => self.sign_in(client, &pending.sub, None),
        }
    }

    fn answer_device_srp_auth(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(client, session)?;
        let SessionStep::DeviceSrpAuth { device_key } = state.step else {
            return Err(wrong_step());
        };
        let username = req_param(responses, "USERNAME")?;
        let sent_device_key = req_param(responses, "DEVICE_KEY")?;
        let srp_a = req_param(responses, "SRP_A")?;
        check_username(username, &state.sub)?;
        check_device_key(sent_device_key, &device_key)?;
        client.check_secret_hash(username, opt_str(responses, "SECRET_HASH")?)?;
        let a_pub = parse_public_value(srp_a, "SRP_A")?;
        let device = self.confirmed_device(&state.sub, &device_key)?;
        let (salt, verifier) = match &device.secret {
            Some(secret) => (secret.salt.clone(), secret.verifier.clone()),
            None => return Err(ServiceError::device_not_found()),
        };

        let exchange = self.new_exchange(a_pub, &verifier);
        let parameters = json!({
            "SRP_B": srp::plain_hex(&exchange.b_pub),
            "SALT": srp::plain_hex(&salt),
            "SECRET_BLOCK": Base64::encode_string(&exchange.secret_block),
            "USERNAME": state.sub,
        });
        let session = self.new_session(
            client,
            &state.sub,
            SessionStep::DevicePasswordVerifier {
                device_key,
                exchange,
            },
        );
        Ok(json!({
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ChallengeParameters": parameters,
            "Session": session,
        }))
    }

    fn answer_device_password_verifier(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(client, session)?;
        let SessionStep::DevicePasswordVerifier {
            device_key,
            exchange,
        } = state.step
        else {
            return Err(wrong_step());
        };
        let username = req_param(responses, "USERNAME")?;
        let secret_block = req_param(responses, "PASSWORD_CLAIM_SECRET_BLOCK")?;
        let stamp = req_param(responses, "TIMESTAMP")?;
        let claimed = req_param(responses, "PASSWORD_CLAIM_SIGNATURE")?;
        let sent_device_key = req_param(responses, "DEVICE_KEY")?;
        check_username(username, &state.sub)?;
        check_device_key(sent_device_key, &device_key)?;
        if secret_block != Base64::encode_string(&exchange.secret_block) {
            return Err(ServiceError::not_authorized(
                "PASSWORD_CLAIM_SECRET_BLOCK is not the SECRET_BLOCK of this challenge.",
            ));
        }
        client.check_secret_hash(username, opt_str(responses, "SECRET_HASH")?)?;
        self.check_timestamp(stamp)?;
        let device = self.confirmed_device(&state.sub, &device_key)?;
        let Some(secret) = &device.secret else {
            return Err(ServiceError::device_not_found());
        };
        verify_claim(
            &exchange,
            &secret.verifier,
            &device.group_key,
            &device.key,
            stamp,
            claimed,
        )?;
        self.sign_in(client, &state.sub, Some(device_key))
    }

    /// Picks b and B for a client's A against `verifier`, with a fresh SECRET_BLOCK.
    fn new_exchange(&mut self, a_pub: BigUint, verifier: &BigUint) -> SrpExchange {
        let b = self.rng.biguint(SMALL_B_BYTES);
        let b_pub = srp::server_b(verifier, &b);
        SrpExchange {
            a_pub,
            b,
            b_pub,
            secret_block: self.rng.bytes(SECRET_BLOCK_BYTES),
        }
    }

    fn new_session(&mut self, client: &AppClient, sub: &str, step: SessionStep) -> String {
        let token = self.rng.base64(SESSION_BYTES);
        self.sessions.insert(
            token.clone(),
            Session {
                client_id: client.id.clone(),
                sub: sub.to_owned(),
                expires_at: self.now + SESSION_LIFETIME_SECS,
                step,
            },
        );
        token
    }

    /// Removes and returns the Session (single use), checking that it exists, belongs to this
    /// client and has not expired.
    fn take_session(
        &mut self,
        client: &AppClient,
        session: Option<&str>,
    ) -> Result<Session, ServiceError> {
        let token = session
            .ok_or_else(|| ServiceError::invalid_parameter("Missing required parameter Session"))?;
        let state = self
            .sessions
            .remove(token)
            .filter(|state| state.client_id == client.id)
            .ok_or_else(|| ServiceError::not_authorized("Invalid session for the user."))?;
        if self.now > state.expires_at {
            return Err(session_expired());
        }
        Ok(state)
    }

    fn check_timestamp(&self, stamp: &str) -> Result<(), ServiceError> {
        let at = timestamp::parse(stamp).map_err(|error| {
            ServiceError::not_authorized(format!("Invalid TIMESTAMP '{stamp}': {error}."))
        })?;
        if at.abs_diff(self.now) > TIMESTAMP_TOLERANCE_SECS {
            return Err(ServiceError::not_authorized(format!(
                "TIMESTAMP '{stamp}' is more than {TIMESTAMP_TOLERANCE_SECS} seconds from the server's time '{}'.",
                timestamp::format(self.now)
            )));
        }
        Ok(())
    }

    /// Issues tokens: the end of a successful sign-in. Registers a new device when the client
    /// tracks devices and the sign-in did not use one.
    fn sign_in(&mut self, client: &AppClient, sub: &str, device_key: Option<String>) -> Outcome {
        let username = self
            .users
            .by_sub(sub)
            .map(|user| user.username.clone())
            .ok_or_else(ServiceError::user_not_found)?;
        let new_device = device_key.is_none() && client.tracks_devices();
        let tokens = self.tokens.issue(
            &mut self.rng,
            self.now,
            Grant {
                sub: sub.to_owned(),
                username,
                client_id: client.id.clone(),
                device_key,
            },
        );
        let mut result = json!({
            "AccessToken": tokens.access,
            "IdToken": tokens.id,
            "RefreshToken": tokens.refresh,
            "ExpiresIn": TOKEN_LIFETIME_SECS,
            "TokenType": "Bearer",
        });
        if new_device {
            let (key, group_key) = self.register_device(sub);
            if let Some(map) = result.as_object_mut() {
                map.insert(
                    "NewDeviceMetadata".to_owned(),
                    json!({ "DeviceKey": key, "DeviceGroupKey": group_key }),
                );
            }
        }
        Ok(json!({ "AuthenticationResult": result, "ChallengeParameters": {} }))
    }
}

/// Checks `PASSWORD_CLAIM_SIGNATURE` in constant time.
fn verify_claim(
    exchange: &SrpExchange,
    verifier: &BigUint,
    pool_or_group: &str,
    user_id: &str,
    stamp: &str,
    claimed: &str,
) -> Result<(), ServiceError> {
    let key = srp::server_key(verifier, &exchange.b, &exchange.a_pub, &exchange.b_pub);
    let expected = srp::signature(&key, pool_or_group, user_id, &exchange.secret_block, stamp);
    if srp::signatures_match(&expected, claimed) {
        Ok(())
    } else {
        Err(ServiceError::incorrect_password())
    }
}

/// Parses a client's public SRP value (hex), rejecting malformed text and values ≡ 0 mod N.
fn parse_public_value(text: &str, name: &str) -> Result<BigUint, ServiceError> {
    let value = srp::parse_hex(text).ok_or_else(|| {
        ServiceError::invalid_parameter(format!("{name} is not a hexadecimal integer."))
    })?;
    if srp::is_zero_mod_n(&value) {
        return Err(ServiceError::invalid_parameter(format!(
            "{name} is 0 modulo N."
        )));
    }
    Ok(value)
}

fn check_username(sent: &str, sub: &str) -> Result<(), ServiceError> {
    if sent == sub {
        Ok(())
    } else {
        Err(ServiceError::not_authorized(
            "USERNAME must be the challenge's USERNAME, not the name the user typed.",
        ))
    }
}

fn check_device_key(sent: &str, expected: &str) -> Result<(), ServiceError> {
    if sent == expected {
        Ok(())
    } else {
        Err(ServiceError::not_authorized(
            "DEVICE_KEY is not the device this Session was issued for.",
        ))
    }
}

fn session_expired() -> ServiceError {
    ServiceError::not_authorized("Invalid session for the user, session is expired.")
}

fn wrong_step() -> ServiceError {
    ServiceError::not_authorized(
        "Invalid session for the user: the Session was issued for another challenge.",
    )
}
