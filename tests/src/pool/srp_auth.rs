//! The SRP steps of a sign-in: PASSWORD_VERIFIER (after USER_SRP_AUTH, CUSTOM_AUTH with
//! `CHALLENGE_NAME=SRP_A`, or USER_AUTH's PASSWORD_SRP), DEVICE_SRP_AUTH and
//! DEVICE_PASSWORD_VERIFIER.
//!
//! A pending PASSWORD_VERIFIER is keyed by its SECRET_BLOCK. After USER_SRP_AUTH the challenge
//! carries no Session, as with the real service; after CUSTOM_AUTH and USER_AUTH it does, and the
//! answer must send that Session back. Either way it is single-use and expires with the app
//! client's Session lifetime.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use num_bigint::BigUint;
use serde_json::{Value, json};

use super::UserPool;
use super::clients::AppClient;
use super::sessions::{FirstFactor, Progress, Step, invalid_session, session_expired, wrong_step};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param};
use crate::{srp, timestamp};

/// How far a `TIMESTAMP` may be from the emulator's clock, either way, in seconds.
pub const TIMESTAMP_TOLERANCE_SECS: u64 = 300;
/// Size of a SECRET_BLOCK in bytes unless [`UserPool::set_secret_block_len`] says otherwise:
/// 1,280 bytes, 1,708 base64 characters, within what Cognito sends (900–1,724 characters seen).
pub const DEFAULT_SECRET_BLOCK_BYTES: usize = 1280;
/// Size of the randomness behind the Session of a PASSWORD_VERIFIER challenge.
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
    pub(crate) sub: String,
    exchange: SrpExchange,
    expires_at: u64,
    /// The Session the answer must carry (CUSTOM_AUTH and USER_AUTH), if any.
    session: Option<String>,
    progress: Progress,
}

impl UserPool {
    /// Sets the size of the SECRET_BLOCKs of later PASSWORD_VERIFIER and
    /// DEVICE_PASSWORD_VERIFIER challenges, in bytes (their base64 text is about 4/3 as long).
    /// Default [`DEFAULT_SECRET_BLOCK_BYTES`].
    pub fn set_secret_block_len(&mut self, bytes: usize) {
        self.secret_block_bytes = bytes;
    }

    /// The size of the SECRET_BLOCKs issued now, in bytes.
    pub fn secret_block_len(&self) -> usize {
        self.secret_block_bytes
    }

    /// Starts SRP for `sub` with the client's `SRP_A` and answers PASSWORD_VERIFIER (with a
    /// Session when `with_session`).
    pub(super) fn start_srp(
        &mut self,
        client: &AppClient,
        sub: &str,
        srp_a: &str,
        mut progress: Progress,
        with_session: bool,
    ) -> Outcome {
        let user = self
            .users
            .by_sub(sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let (salt, verifier) = (user.salt.clone(), user.verifier.clone());
        let a_pub = parse_public_value(srp_a, "SRP_A")?;
        let exchange = self.new_exchange(a_pub, &verifier);
        let secret_block = Base64::encode_string(&exchange.secret_block);
        let srp_b = srp::plain_hex(&exchange.b_pub);
        let session = with_session.then(|| self.rng.base64(SESSION_BYTES));
        progress.srp_username_known = true;
        self.pending_srp.insert(
            secret_block.clone(),
            PendingSrp {
                client_id: client.id.clone(),
                sub: sub.to_owned(),
                exchange,
                expires_at: self.now + client.settings.auth_session_validity_secs,
                session: session.clone(),
                progress,
            },
        );
        let mut reply = json!({
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "SALT": srp::plain_hex(&salt),
                "SRP_B": srp_b,
                "SECRET_BLOCK": secret_block,
                "USER_ID_FOR_SRP": sub,
                "USERNAME": sub,
            },
        });
        if let (Some(session), Some(map)) = (session, reply.as_object_mut()) {
            map.insert("Session".to_owned(), Value::String(session));
        }
        Ok(reply)
    }

    pub(super) fn answer_password_verifier(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
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
        if let Some(expected) = &pending.session
            && session != Some(expected.as_str())
        {
            return Err(invalid_session());
        }
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

        let mut progress = pending.progress;
        progress.first_factor = FirstFactor::Password;
        if let Some(key) = opt_str(responses, "DEVICE_KEY")? {
            progress.device_key = Some(key.to_owned());
        }
        self.next_step(client, &pending.sub, progress)
    }

    /// Issues DEVICE_SRP_AUTH for a confirmed `device_key`. Its parameters are empty when the
    /// client already saw USER_ID_FOR_SRP (after PASSWORD_VERIFIER), else they carry `USERNAME`
    /// and `USER_ID_FOR_SRP`.
    pub(super) fn issue_device_srp_auth(
        &mut self,
        client: &AppClient,
        sub: &str,
        device_key: String,
        progress: Progress,
    ) -> Outcome {
        let parameters = if progress.srp_username_known {
            json!({})
        } else {
            json!({ "USERNAME": sub, "USER_ID_FOR_SRP": sub })
        };
        let session = self.open_session(
            &client.id,
            sub,
            Step::DeviceSrpAuth { device_key },
            progress,
        );
        Ok(json!({
            "ChallengeName": "DEVICE_SRP_AUTH",
            "ChallengeParameters": parameters,
            "Session": session,
        }))
    }

    pub(super) fn answer_device_srp_auth(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::DeviceSrpAuth { device_key } = state.step else {
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
        let session = self.open_session(
            &client.id,
            &state.sub,
            Step::DevicePasswordVerifier {
                device_key,
                exchange,
            },
            state.progress,
        );
        Ok(json!({
            "ChallengeName": "DEVICE_PASSWORD_VERIFIER",
            "ChallengeParameters": parameters,
            "Session": session,
        }))
    }

    pub(super) fn answer_device_password_verifier(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let state = self.take_session(Some(&client.id), session)?.session;
        let Step::DevicePasswordVerifier {
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
        let mut progress = state.progress;
        progress.device_key = Some(device_key);
        progress.device_verified = true;
        self.next_step(client, &state.sub, progress)
    }

    /// Picks b and B for a client's A against `verifier`, with a fresh SECRET_BLOCK.
    fn new_exchange(&mut self, a_pub: BigUint, verifier: &BigUint) -> SrpExchange {
        let b = self.rng.biguint(SMALL_B_BYTES);
        let b_pub = srp::server_b(verifier, &b);
        SrpExchange {
            a_pub,
            b,
            b_pub,
            secret_block: self.rng.bytes(self.secret_block_bytes),
        }
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

/// The answer's USERNAME must be the challenge's USERNAME (the sub), not the name typed.
pub(crate) fn check_username(sent: &str, sub: &str) -> Result<(), ServiceError> {
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
