//! Plain-password sign-in (`USER_PASSWORD_AUTH`, USER_AUTH's `PASSWORD`), the password policy,
//! and NEW_PASSWORD_REQUIRED for users an administrator created with a temporary password.
//!
//! The pool keeps no passwords: a plain password is checked by recomputing the SRP verifier with
//! the stored salt.
//!
//! NEW_PASSWORD_REQUIRED: the challenge parameters carry `userAttributes` (a JSON object string of
//! the user's attributes, `sub` left out) and `requiredAttributes` (a JSON array string of
//! `userAttributes.<name>` for every pool-required attribute the user lacks). The answer carries
//! `NEW_PASSWORD` and `userAttributes.<name>` members:
//! - a required attribute left out → InvalidParameterException "Invalid attributes given, `name`
//!   is missing" (retryable: the Session stays);
//! - a password the policy rejects → InvalidPasswordException (retryable);
//! - `sub`, `email_verified` or `phone_number_verified` → NotAuthorizedException "A client
//!   attempted to write unauthorized attribute";
//! - a name outside the standard schema and not `custom:` → InvalidParameterException;
//! - changing a required attribute that already has a value → InvalidParameterException "Cannot
//!   modify an already provided `name`".
//!
//! A new `email` / `phone_number` is stored unverified.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use num_bigint::BigUint;
use serde_json::{Map, Value};

use super::UserPool;
use super::auth::{challenge_reply, user_parameters};
use super::clients::AppClient;
use super::sessions::{FirstFactor, Flow, Progress, Step, wrong_step};
use super::users::UserStatus;
use super::wire::{Object, Outcome, ServiceError, opt_str, req_param};

/// How long a temporary password works after the user was created: 7 days, Cognito's default.
pub const TEMPORARY_PASSWORD_VALIDITY_SECS: u64 = 7 * 86_400;

/// The characters Cognito counts as symbols.
const SYMBOLS: &str = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- ";

/// Standard attributes of the user-pool schema.
const STANDARD_ATTRIBUTES: &[&str] = &[
    "address",
    "birthdate",
    "email",
    "email_verified",
    "family_name",
    "gender",
    "given_name",
    "locale",
    "middle_name",
    "name",
    "nickname",
    "phone_number",
    "phone_number_verified",
    "picture",
    "preferred_username",
    "profile",
    "sub",
    "updated_at",
    "website",
    "zoneinfo",
];

/// The pool's password policy; `Default` is Cognito's default (8 characters, upper and lower
/// case, a number and a symbol).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length in characters.
    pub min_length: usize,
    /// At least one upper-case letter.
    pub require_uppercase: bool,
    /// At least one lower-case letter.
    pub require_lowercase: bool,
    /// At least one digit.
    pub require_numbers: bool,
    /// At least one symbol (`^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + -` or a
    /// space).
    pub require_symbols: bool,
}

impl Default for PasswordPolicy {
    fn default() -> Self {
        Self {
            min_length: 8,
            require_uppercase: true,
            require_lowercase: true,
            require_numbers: true,
            require_symbols: true,
        }
    }
}

impl PasswordPolicy {
    /// `Err(reason)` with Cognito's wording when `password` breaks the policy.
    pub fn check(&self, password: &str) -> Result<(), String> {
        let fail = |why: &str| Err(format!("Password does not conform to policy: {why}"));
        if password.chars().count() < self.min_length {
            return fail("Password not long enough");
        }
        if self.require_uppercase && !password.chars().any(char::is_uppercase) {
            return fail("Password must have uppercase characters");
        }
        if self.require_lowercase && !password.chars().any(char::is_lowercase) {
            return fail("Password must have lowercase characters");
        }
        if self.require_numbers && !password.chars().any(|c| c.is_ascii_digit()) {
            return fail("Password must have numeric characters");
        }
        if self.require_symbols && !password.chars().any(|c| SYMBOLS.contains(c)) {
            return fail("Password must have symbol characters");
        }
        Ok(())
    }
}

impl UserPool {
    /// `USER_PASSWORD_AUTH {USERNAME, PASSWORD, SECRET_HASH, DEVICE_KEY}`.
    pub(super) fn start_user_password(&mut self, client: &AppClient, params: &Object) -> Outcome {
        let username = req_param(params, "USERNAME")?;
        let password = req_param(params, "PASSWORD")?;
        client.check_secret_hash(username, opt_str(params, "SECRET_HASH")?)?;
        let sub = self.sign_in_user(username)?.sub.clone();
        self.check_password(&sub, password)?;
        let device_key = opt_str(params, "DEVICE_KEY")?.map(ToOwned::to_owned);
        let mut progress = Progress::new(Flow::UserPassword, device_key);
        progress.first_factor = FirstFactor::Password;
        self.next_step(client, &sub, progress)
    }

    /// NotAuthorizedException "Incorrect username or password." unless `password` is the user's.
    pub(super) fn check_password(&self, sub: &str, password: &str) -> Result<(), ServiceError> {
        let user = self
            .users
            .by_sub(sub)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.password_matches(&self.pool_name, password) {
            Ok(())
        } else {
            Err(ServiceError::incorrect_password())
        }
    }

    pub(super) fn issue_new_password_required(
        &mut self,
        client: &AppClient,
        sub: &str,
        progress: Progress,
    ) -> Outcome {
        let user = self
            .users
            .by_sub(sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let required: Vec<String> = self
            .required_attributes
            .iter()
            .filter(|name| user.attribute(name).is_none())
            .cloned()
            .collect();
        let attributes: Map<String, Value> = user
            .attributes
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        let required_json: Vec<Value> = required
            .iter()
            .map(|name| Value::String(format!("userAttributes.{name}")))
            .collect();
        let mut parameters = user_parameters(sub);
        parameters.insert(
            "userAttributes".to_owned(),
            Value::String(Value::Object(attributes).to_string()),
        );
        parameters.insert(
            "requiredAttributes".to_owned(),
            Value::String(Value::Array(required_json).to_string()),
        );
        let session = self.open_session(
            &client.id,
            sub,
            Step::NewPasswordRequired { required },
            progress,
        );
        Ok(challenge_reply(
            "NEW_PASSWORD_REQUIRED",
            parameters,
            session,
        ))
    }

    /// `NEW_PASSWORD_REQUIRED {USERNAME, NEW_PASSWORD, userAttributes.<name>..., SECRET_HASH}`.
    pub(super) fn answer_new_password(
        &mut self,
        client: &AppClient,
        responses: &Object,
        session: Option<&str>,
    ) -> Outcome {
        let taken = self.take_session(Some(&client.id), session)?;
        let Step::NewPasswordRequired { required } = &taken.session.step else {
            return Err(wrong_step());
        };
        let required = required.clone();
        let sub = taken.session.sub.clone();
        self.check_answer_user(client, responses, &sub)?;
        let new_password = req_param(responses, "NEW_PASSWORD")?;
        let user = self
            .users
            .by_sub(&sub)
            .ok_or_else(ServiceError::user_not_found)?;

        let mut updates: Vec<(String, String)> = Vec::new();
        for (key, value) in responses {
            let Some(name) = key.strip_prefix("userAttributes.") else {
                continue;
            };
            let value = value.as_str().unwrap_or_default();
            check_writable(name)?;
            if self.required_attributes.iter().any(|r| r == name)
                && user.attribute(name).is_some_and(|old| old != value)
            {
                return Err(ServiceError::invalid_parameter(format!(
                    "Cannot modify an already provided {name}"
                )));
            }
            updates.push((name.to_owned(), value.to_owned()));
        }
        if let Some(missing) = required
            .iter()
            .find(|name| !updates.iter().any(|(n, v)| n == *name && !v.is_empty()))
        {
            let error = ServiceError::invalid_parameter(format!(
                "Invalid attributes given, {missing} is missing"
            ));
            return Err(self.retry_later(taken, error));
        }
        if let Err(why) = self.password_policy.check(new_password) {
            return Err(self.retry_later(taken, ServiceError::invalid_password(why)));
        }

        let salt = BigUint::from_bytes_be(&self.rng.bytes(16));
        let pool_name = self.pool_name.clone();
        if let Some(user) = self.users.by_sub_mut(&sub) {
            user.set_password(&pool_name, salt, new_password);
            user.status = UserStatus::Confirmed;
            user.temporary_password_expires_at = None;
            for (name, value) in &updates {
                user.set_attribute(name, value);
            }
        }
        self.next_step(client, &sub, taken.session.progress)
    }
}

/// NotAuthorizedException for attributes no client may write, InvalidParameterException for
/// names outside the schema.
pub(crate) fn check_writable(name: &str) -> Result<(), ServiceError> {
    if matches!(name, "sub" | "email_verified" | "phone_number_verified") {
        return Err(ServiceError::not_authorized(
            "A client attempted to write unauthorized attribute",
        ));
    }
    let custom = name
        .strip_prefix("custom:")
        .is_some_and(|rest| !rest.is_empty());
    if custom || STANDARD_ATTRIBUTES.contains(&name) {
        Ok(())
    } else {
        Err(ServiceError::invalid_parameter(format!(
            "Attribute does not exist in the schema: {name}"
        )))
    }
}
