//! Sign-in entry points: `InitiateAuth` and `RespondToAuthChallenge` dispatch, the pipeline that
//! picks the next step once a factor is proven ([`UserPool::next_step`]), and token issue.
//!
//! The pipeline, in order, after each successful answer:
//! 1. `UNCONFIRMED` user → UserNotConfirmedException;
//! 2. `FORCE_CHANGE_PASSWORD` user (not CUSTOM_AUTH) → NEW_PASSWORD_REQUIRED (NotAuthorizedException
//!    when the temporary password is older than [`super::TEMPORARY_PASSWORD_VALIDITY_SECS`]);
//! 3. CUSTOM_AUTH → the script's remaining CUSTOM_CHALLENGE rounds, then tokens (no device step,
//!    no pool MFA: the script is the whole policy);
//! 4. a `DEVICE_KEY` not yet proven → DEVICE_SRP_AUTH → DEVICE_PASSWORD_VERIFIER (an unknown,
//!    unconfirmed or foreign key → ResourceNotFoundException);
//! 5. after a password first factor, MFA as the pool and user require (SMS_MFA, SOFTWARE_TOKEN_MFA,
//!    EMAIL_OTP, SELECT_MFA_TYPE or MFA_SETUP) — skipped when a *remembered* device passed step 4;
//!    passwordless first factors (USER_AUTH's EMAIL_OTP, SMS_OTP, WEB_AUTHN) skip MFA;
//! 6. tokens, with `NewDeviceMetadata` when the client tracks devices and no device was proven.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use serde_json::{Map, Value, json};

use super::UserPool;
use super::clients::{AppClient, AuthFlow};
use super::sessions::{FirstFactor, Flow, Progress};
use super::srp_auth::check_username;
use super::tokens::{Grant, TOKEN_LIFETIME_SECS};
use super::users::{User, UserStatus};
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param, req_str, string_map};

/// Default lifetime of a sign-in Session (and of a pending PASSWORD_VERIFIER), in seconds; an app
/// client can change it with `ClientSettings::auth_session_validity_secs`.
pub const SESSION_LIFETIME_SECS: u64 = 180;

impl UserPool {
    /// `InitiateAuth {AuthFlow, ClientId, AuthParameters, ClientMetadata, Session}` (`Session`:
    /// only `USER_AUTH`, with the Session of `ConfirmSignUp`).
    pub(super) fn initiate_auth(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let flow = req_str(request, "AuthFlow")?;
        let params = string_map(request, "AuthParameters")?;
        string_map(request, "ClientMetadata")?;
        match flow {
            "USER_SRP_AUTH" => {
                client.check_flow(AuthFlow::UserSrp, flow)?;
                self.start_user_srp(&client, &params)
            }
            "USER_PASSWORD_AUTH" => {
                client.check_flow(AuthFlow::UserPassword, flow)?;
                self.start_user_password(&client, &params)
            }
            "CUSTOM_AUTH" => {
                client.check_flow(AuthFlow::Custom, flow)?;
                self.start_custom(&client, &params)
            }
            "USER_AUTH" => {
                client.check_flow(AuthFlow::UserAuth, flow)?;
                let session = opt_str(request, "Session")?;
                self.start_user_auth(&client, &params, session)
            }
            "REFRESH_TOKEN_AUTH" | "REFRESH_TOKEN" => {
                client.check_flow(AuthFlow::RefreshToken, flow)?;
                self.refresh_token_auth(&client, &params)
            }
            "ADMIN_NO_SRP_AUTH" | "ADMIN_USER_PASSWORD_AUTH" => Err(
                ServiceError::invalid_parameter("Initiate Auth method not supported."),
            ),
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
            "PASSWORD_VERIFIER" => self.answer_password_verifier(&client, &responses, session),
            "DEVICE_SRP_AUTH" => self.answer_device_srp_auth(&client, &responses, session),
            "DEVICE_PASSWORD_VERIFIER" => {
                self.answer_device_password_verifier(&client, &responses, session)
            }
            "NEW_PASSWORD_REQUIRED" => self.answer_new_password(&client, &responses, session),
            "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP" => {
                self.answer_code(&client, challenge, &responses, session)
            }
            "SELECT_MFA_TYPE" => self.answer_select_mfa_type(&client, &responses, session),
            "MFA_SETUP" => self.answer_mfa_setup(&client, &responses, session),
            "CUSTOM_CHALLENGE" => self.answer_custom(&client, &responses, session),
            "SELECT_CHALLENGE" | "PASSWORD" | "PASSWORD_SRP" => {
                self.answer_select_challenge(&client, challenge, &responses, session)
            }
            "WEB_AUTHN" => self.answer_web_authn(&client, &responses, session),
            "ADMIN_NO_SRP_AUTH" => Err(ServiceError::invalid_parameter(
                "ADMIN_NO_SRP_AUTH cannot be answered with RespondToAuthChallenge.",
            )),
            other => Err(ServiceError::invalid_parameter(format!(
                "The emulator never issues the challenge {other}."
            ))),
        }
    }

    /// The user a sign-in names: by username, sub, or an enabled verified alias.
    pub(super) fn sign_in_user(&self, name: &str) -> Result<&User, ServiceError> {
        self.users
            .find_for_sign_in(name, self.aliases)
            .ok_or_else(ServiceError::user_not_found)
    }

    /// `USER_SRP_AUTH {USERNAME, SRP_A, SECRET_HASH, DEVICE_KEY}` → PASSWORD_VERIFIER.
    fn start_user_srp(&mut self, client: &AppClient, params: &Object) -> Outcome {
        let username = req_param(params, "USERNAME")?;
        let srp_a = req_param(params, "SRP_A")?;
        client.check_secret_hash(username, opt_str(params, "SECRET_HASH")?)?;
        let sub = self.sign_in_user(username)?.sub.clone();
        let device_key = opt_str(params, "DEVICE_KEY")?.map(ToOwned::to_owned);
        self.start_srp(
            client,
            &sub,
            srp_a,
            Progress::new(Flow::UserSrp, device_key),
            false,
        )
    }

    /// Checks an answer's `USERNAME` (must be the challenge's USERNAME, the sub) and
    /// `SECRET_HASH` (over that USERNAME).
    pub(super) fn check_answer_user(
        &self,
        client: &AppClient,
        responses: &Object,
        sub: &str,
    ) -> Result<(), ServiceError> {
        let username = req_param(responses, "USERNAME")?;
        check_username(username, sub)?;
        client.check_secret_hash(username, opt_str(responses, "SECRET_HASH")?)
    }

    /// The next step of a sign-in once `progress` is achieved (see the module documentation).
    pub(super) fn next_step(
        &mut self,
        client: &AppClient,
        sub: &str,
        progress: Progress,
    ) -> Outcome {
        let user = self
            .users
            .by_sub(sub)
            .ok_or_else(ServiceError::user_not_found)?;
        match user.status {
            UserStatus::Unconfirmed => return Err(ServiceError::user_not_confirmed()),
            UserStatus::ForceChangePassword if progress.flow != Flow::Custom => {
                if user
                    .temporary_password_expires_at
                    .is_some_and(|at| self.now > at)
                {
                    return Err(ServiceError::not_authorized(
                        "Temporary password has expired and must be reset by an administrator.",
                    ));
                }
                return self.issue_new_password_required(client, sub, progress);
            }
            UserStatus::Confirmed | UserStatus::ForceChangePassword => {}
        }
        if progress.flow == Flow::Custom {
            let rounds = self
                .custom_auth
                .as_ref()
                .map_or(0, |script| script.rounds.len());
            if progress.custom_round < rounds {
                return self.issue_custom_challenge(client, sub, progress);
            }
            return self.sign_in(client, sub, None);
        }
        if let (Some(key), false) = (&progress.device_key, progress.device_verified) {
            let key = key.clone();
            self.confirmed_device(sub, &key)?;
            return self.issue_device_srp_auth(client, sub, key, progress);
        }
        if progress.first_factor == FirstFactor::Password
            && !progress.mfa_done
            && !self.remembered_device_proven(&progress)
        {
            let need = self.mfa_need(sub);
            if let Some(reply) = self.issue_mfa(client, sub, need, progress.clone()) {
                return reply;
            }
        }
        let device = if progress.device_verified {
            progress.device_key
        } else {
            None
        };
        self.sign_in(client, sub, device)
    }

    /// Whether the sign-in proved a device the user chose to remember (MFA is then skipped).
    fn remembered_device_proven(&self, progress: &Progress) -> bool {
        progress.device_verified
            && progress
                .device_key
                .as_ref()
                .and_then(|key| self.devices.get(key))
                .is_some_and(|device| device.remembered == Some(true))
    }

    /// Issues tokens: the end of a successful sign-in. Registers a new device when the client
    /// tracks devices and the sign-in did not prove one. The refresh token is bound to the proven
    /// or the new device.
    pub(super) fn sign_in(
        &mut self,
        client: &AppClient,
        sub: &str,
        device_key: Option<String>,
    ) -> Outcome {
        let (username, attributes) = self
            .users
            .by_sub(sub)
            .map(|user| (user.username.clone(), user.attributes.clone()))
            .ok_or_else(ServiceError::user_not_found)?;
        let new_device = device_key.is_none() && client.tracks_devices();
        if let Some(device) = device_key
            .as_ref()
            .and_then(|key| self.devices.get_mut(key))
        {
            device.last_authenticated = self.now;
        }
        let tokens = self.tokens.issue(
            &mut self.rng,
            self.now,
            Grant::json_api(
                sub.to_owned(),
                username,
                client.id.clone(),
                device_key,
                attributes,
            ),
            client.settings.refresh_token_validity_secs,
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
            self.tokens.bind_refresh_device(&tokens.refresh, &key);
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

/// `USERNAME` and `USER_ID_FOR_SRP` (both the sub), the start of most challenges' parameters.
pub(crate) fn user_parameters(sub: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("USERNAME".to_owned(), Value::String(sub.to_owned()));
    map.insert("USER_ID_FOR_SRP".to_owned(), Value::String(sub.to_owned()));
    map
}

/// A challenge reply: `{ChallengeName, ChallengeParameters, Session}`.
pub(crate) fn challenge_reply(
    name: &str,
    parameters: Map<String, Value>,
    session: String,
) -> Value {
    json!({
        "ChallengeName": name,
        "ChallengeParameters": parameters,
        "Session": session,
    })
}
