//! The signed-in user's own account: `GetUser`, `GetUserAuthFactors`, `ChangePassword`,
//! `SetUserSettings` and `DeleteUser` (all with an access token, see `UserPool::authorize`).
//!
//! - `GetUser` → `{Username, UserAttributes: [{Name, Value}], MFAOptions, PreferredMfaSetting,
//!   UserMFASettingList}`: `sub` first, then the other attributes by name; `MFAOptions` (the
//!   legacy form, `[{DeliveryMedium: SMS, AttributeName: phone_number}]`) only when SMS MFA is
//!   enabled; `PreferredMfaSetting` only when set; `UserMFASettingList` (`SMS_MFA`,
//!   `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`) only when not empty.
//! - `GetUserAuthFactors` → `{Username, PreferredMfaSetting, UserMFASettingList,
//!   ConfiguredUserAuthFactors}`: the latter lists the `USER_AUTH` first factors the user can use
//!   now (`PASSWORD`, then `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN` as in [`super::choice`]).
//! - `ChangePassword {AccessToken, PreviousPassword, ProposedPassword}` → `{}`: a wrong previous
//!   password → NotAuthorizedException "Incorrect username or password."; a proposed one the
//!   policy rejects → InvalidPasswordException. Success stores a fresh salt and verifier; issued
//!   tokens stay valid (as in Cognito).
//! - `SetUserSettings {AccessToken, MFAOptions: [{DeliveryMedium, AttributeName}]}` → `{}`: the
//!   legacy SMS MFA switch. `[{SMS, phone_number}]` enables SMS MFA (the user needs a phone
//!   number), an empty list disables it; `EMAIL` or another attribute → InvalidParameterException.
//! - `DeleteUser {AccessToken}` → `{}`: the user, its devices and its pending sign-ins are gone,
//!   and its tokens are revoked (later calls with them: "Access Token has been revoked").

use alloc::borrow::ToOwned;
use alloc::string::String;
use alloc::vec::Vec;

use num_bigint::BigUint;
use serde_json::{Map, Value, json};

use super::UserPool;
use super::mfa::MfaFactor;
use super::users::User;
use super::wire::{Object, Outcome, ServiceError, opt_array, opt_str, req_str};

impl UserPool {
    /// `GetUser`: see the module documentation.
    pub(super) fn get_user(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let user = self
            .users
            .by_sub(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut attributes = alloc::vec![json!({ "Name": "sub", "Value": user.sub })];
        attributes.extend(
            user.attributes
                .iter()
                .map(|(name, value)| json!({ "Name": name, "Value": value })),
        );
        let mut reply = Map::new();
        reply.insert("Username".to_owned(), Value::String(user.username.clone()));
        reply.insert("UserAttributes".to_owned(), Value::Array(attributes));
        if user.mfa.sms {
            reply.insert(
                "MFAOptions".to_owned(),
                json!([{ "DeliveryMedium": "SMS", "AttributeName": "phone_number" }]),
            );
        }
        insert_mfa_settings(&mut reply, user);
        Ok(Value::Object(reply))
    }

    /// `GetUserAuthFactors`: see the module documentation.
    pub(super) fn get_user_auth_factors(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let user = self
            .users
            .by_sub(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut reply = Map::new();
        reply.insert("Username".to_owned(), Value::String(user.username.clone()));
        insert_mfa_settings(&mut reply, user);
        let factors: Vec<Value> = self
            .configured_auth_factors(user)
            .into_iter()
            .map(|name| Value::String(name.to_owned()))
            .collect();
        reply.insert(
            "ConfiguredUserAuthFactors".to_owned(),
            Value::Array(factors),
        );
        Ok(Value::Object(reply))
    }

    /// `ChangePassword`: see the module documentation.
    pub(super) fn change_password(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let previous = req_str(request, "PreviousPassword")?;
        let proposed = req_str(request, "ProposedPassword")?;
        self.check_password(&claims.sub, previous)?;
        self.password_policy
            .check(proposed)
            .map_err(ServiceError::invalid_password)?;
        let salt = BigUint::from_bytes_be(&self.rng.bytes(16));
        let pool_name = self.pool_name.clone();
        if let Some(user) = self.users.by_sub_mut(&claims.sub) {
            user.set_password(&pool_name, salt, proposed);
        }
        Ok(json!({}))
    }

    /// `SetUserSettings`: see the module documentation.
    pub(super) fn set_user_settings(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        if !request.contains_key("MFAOptions") {
            req_str(request, "MFAOptions")?;
        }
        let mut sms = false;
        for option in opt_array(request, "MFAOptions")? {
            let Value::Object(option) = option else {
                return Err(ServiceError::serialization(
                    "Expected list of MFAOptionType for member MFAOptions",
                ));
            };
            match (
                opt_str(option, "DeliveryMedium")?,
                opt_str(option, "AttributeName")?,
            ) {
                (Some("SMS"), Some("phone_number") | None) => sms = true,
                (Some("SMS" | "EMAIL"), _) => {
                    return Err(ServiceError::invalid_parameter(
                        "Only SMS to phone_number is supported as an MFA option.",
                    ));
                }
                (other, _) => {
                    return Err(ServiceError::invalid_parameter(alloc::format!(
                        "1 validation error detected: Value '{}' at 'mFAOptions.1.member.deliveryMedium' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]",
                        other.unwrap_or("null")
                    )));
                }
            }
        }
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        if sms && user.attribute("phone_number").is_none() {
            return Err(ServiceError::invalid_parameter(
                "User does not have delivery config set to turn on SMS_MFA",
            ));
        }
        user.mfa.sms = sms;
        if !sms && user.mfa.preferred == Some(MfaFactor::Sms) {
            user.mfa.preferred = None;
        }
        Ok(json!({}))
    }

    /// `DeleteUser`: see the module documentation.
    pub(super) fn delete_user(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        self.tokens.revoke_user(&claims.sub);
        self.users.remove(&claims.sub);
        self.devices.retain(|_, device| device.sub != claims.sub);
        self.sessions.retain(|_, session| session.sub != claims.sub);
        self.pending_srp
            .retain(|_, pending| pending.sub != claims.sub);
        Ok(json!({}))
    }
}

/// Adds `PreferredMfaSetting` (when set) and `UserMFASettingList` (when not empty).
fn insert_mfa_settings(reply: &mut Map<String, Value>, user: &User) {
    if let Some(preferred) = user.mfa.preferred {
        reply.insert(
            "PreferredMfaSetting".to_owned(),
            Value::String(preferred.challenge_name().to_owned()),
        );
    }
    let enabled: Vec<Value> = MfaFactor::ALL
        .into_iter()
        .filter(|factor| match factor {
            MfaFactor::Sms => user.mfa.sms,
            MfaFactor::SoftwareToken => user.mfa.software_token,
            MfaFactor::Email => user.mfa.email,
        })
        .map(|factor| Value::String(factor.challenge_name().to_owned()))
        .collect();
    if !enabled.is_empty() {
        reply.insert("UserMFASettingList".to_owned(), Value::Array(enabled));
    }
}
