//! Self-service sign-up: `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`, and the sign-up
//! Session that lets `InitiateAuth` `USER_AUTH` sign a just-confirmed user in without a password.
//!
//! - `SignUp {ClientId, SecretHash, Username, Password, UserAttributes, ValidationData,
//!   ClientMetadata}` creates an `UNCONFIRMED` user: `SecretHash` over `Username` when the client
//!   has a secret; the username must be 1–128 characters without white space
//!   (InvalidParameterException); attributes are checked like `UpdateUserAttributes` ones (`sub`
//!   and `*_verified` → NotAuthorizedException, names outside the schema and malformed `email` /
//!   `phone_number` → InvalidParameterException), pool-required ones must be there
//!   (InvalidParameterException "Attributes did not conform to the schema: ..."); a taken username
//!   → UsernameExistsException "User already exists"; the password is checked against the pool's
//!   [`super::PasswordPolicy`] (InvalidPasswordException). `Password` is required (the emulator
//!   does not emulate passwordless-only sign-up).
//! - The confirmation code goes to `email` if the user gave one, else to `phone_number`
//!   ([`super::CodePurpose::SignUp`], valid [`SIGN_UP_CODE_LIFETIME_SECS`]); the reply is
//!   `{UserSub, UserConfirmed: false, CodeDeliveryDetails, Session}` (`CodeDeliveryDetails` left
//!   out when the user has neither: such a user can only be confirmed by an administrator).
//! - `ConfirmSignUp {ClientId, SecretHash, Username, ConfirmationCode, ForceAliasCreation,
//!   Session}`: a wrong code → CodeMismatchException, an expired one → ExpiredCodeException, a
//!   user not `UNCONFIRMED` → NotAuthorizedException "User cannot be confirmed. Current status is
//!   CONFIRMED". Success confirms the user, verifies the attribute the code went to, and answers
//!   `{Session}`. The optional `Session` must be the one `SignUp` returned for that user (a wrong
//!   code keeps it for a retry, like challenge Sessions). When that attribute is a sign-in alias
//!   another user already holds verified: AliasExistsException unless `ForceAliasCreation`, which
//!   moves the alias (the other user's attribute becomes unverified).
//! - The returned Session, sent as the top-level `Session` of `InitiateAuth` `USER_AUTH` with the
//!   same client and that user's `USERNAME` (+ `SECRET_HASH`), issues tokens at once (no password,
//!   no MFA: it counts as a passwordless factor). It is single-use and lives as long as the
//!   client's sign-in Sessions.
//! - `ResendConfirmationCode {ClientId, SecretHash, Username, ClientMetadata}` → `{CodeDeliveryDetails}`
//!   with a new code (the old one stops working); a confirmed user → InvalidParameterException
//!   "User is already confirmed.".

use alloc::borrow::ToOwned;
use alloc::format;

use num_bigint::BigUint;
use serde_json::{Map, Value, json};

use super::UserPool;
use super::attributes::check_attribute;
use super::clients::AppClient;
use super::outbox::{CodePurpose, DeliveryMedium, code_delivery_details};
use super::sessions::{FirstFactor, Flow, Progress, Step, invalid_session};
use super::users::{AttributeCode, User, UserStatus};
use super::wire::{
    Object, Outcome, ServiceError, attribute_list, opt_bool, opt_str, req_str, string_map,
};

/// How long a sign-up confirmation code stays valid: 24 hours, as in Cognito.
pub const SIGN_UP_CODE_LIFETIME_SECS: u64 = 86_400;
/// The longest username Cognito accepts.
const MAX_USERNAME_CHARS: usize = 128;

impl UserPool {
    /// `SignUp`: see the module documentation.
    pub(super) fn sign_up(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let username = req_str(request, "Username")?;
        let password = req_str(request, "Password")?;
        let attributes = attribute_list(request, "UserAttributes")?;
        attribute_list(request, "ValidationData")?;
        string_map(request, "ClientMetadata")?;
        client.check_secret_hash(username, opt_str(request, "SecretHash")?)?;
        if username.is_empty()
            || username.chars().count() > MAX_USERNAME_CHARS
            || username.chars().any(char::is_whitespace)
        {
            return Err(ServiceError::invalid_parameter(
                "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
            ));
        }
        for (name, value) in &attributes {
            check_attribute(name, value)?;
        }
        if let Some(missing) = self
            .required_attributes
            .iter()
            .find(|name| !attributes.iter().any(|(n, v)| n == *name && !v.is_empty()))
        {
            return Err(ServiceError::invalid_parameter(format!(
                "Attributes did not conform to the schema: {missing}: The attribute is required"
            )));
        }
        if self.users.find(username).is_some() {
            return Err(ServiceError::service(
                "UsernameExistsException",
                "User already exists",
            ));
        }
        self.password_policy
            .check(password)
            .map_err(ServiceError::invalid_password)?;

        let sub = self.rng.uuid();
        let salt = BigUint::from_bytes_be(&self.rng.bytes(16));
        let mut user = User::new(username, sub.clone());
        user.set_password(&self.pool_name, salt, password);
        user.status = UserStatus::Unconfirmed;
        for (name, value) in &attributes {
            user.set_attribute(name, value);
        }
        self.users.insert(user);
        let details = self.send_confirmation_code(&sub);
        let session = self.open_session(
            &client.id,
            &sub,
            Step::SignUp,
            Progress::new(Flow::UserAuth, None),
        );
        let mut reply = Map::new();
        reply.insert("UserConfirmed".to_owned(), Value::Bool(false));
        reply.insert("UserSub".to_owned(), Value::String(sub));
        if let Some(details) = details {
            reply.insert("CodeDeliveryDetails".to_owned(), details);
        }
        reply.insert("Session".to_owned(), Value::String(session));
        Ok(Value::Object(reply))
    }

    /// `ConfirmSignUp`: see the module documentation.
    pub(super) fn confirm_sign_up(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let username = req_str(request, "Username")?;
        let code = req_str(request, "ConfirmationCode")?;
        let force_alias = opt_bool(request, "ForceAliasCreation")?.unwrap_or(false);
        let session = opt_str(request, "Session")?;
        string_map(request, "ClientMetadata")?;
        client.check_secret_hash(username, opt_str(request, "SecretHash")?)?;
        let user = self
            .users
            .find(username)
            .ok_or_else(ServiceError::user_not_found)?;
        let sub = user.sub.clone();
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::not_authorized(format!(
                "User cannot be confirmed. Current status is {}",
                status_name(user.status)
            )));
        }
        let pending = user.confirmation_code.clone();
        let taken = match session {
            Some(token) => {
                let taken = self.take_session(Some(&client.id), Some(token))?;
                if !matches!(taken.session.step, Step::SignUp) || taken.session.sub != sub {
                    return Err(invalid_session());
                }
                Some(taken)
            }
            None => None,
        };
        let Some(pending) = pending else {
            return Err(ServiceError::service(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            ));
        };
        if pending.code.is_expired(self.now) {
            return Err(ServiceError::expired_code());
        }
        if let Err(error) = pending.code.check(code, self.now) {
            return Err(match taken {
                Some(taken) => self.retry_later(taken, error),
                None => error,
            });
        }
        self.claim_alias(&sub, &pending, force_alias)?;
        if let Some(user) = self.users.by_sub_mut(&sub) {
            user.status = UserStatus::Confirmed;
            user.confirmation_code = None;
            if user.attribute(&pending.attribute) == Some(pending.value.as_str()) {
                user.attributes
                    .insert(format!("{}_verified", pending.attribute), "true".to_owned());
            }
        }
        let mut progress = Progress::new(Flow::UserAuth, None);
        progress.first_factor = FirstFactor::Passwordless;
        let session = self.open_session(&client.id, &sub, Step::SignUpConfirmed, progress);
        Ok(json!({ "Session": session }))
    }

    /// `ResendConfirmationCode`: see the module documentation.
    pub(super) fn resend_confirmation_code(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let username = req_str(request, "Username")?;
        string_map(request, "ClientMetadata")?;
        client.check_secret_hash(username, opt_str(request, "SecretHash")?)?;
        let user = self
            .users
            .find(username)
            .ok_or_else(ServiceError::user_not_found)?;
        if user.status != UserStatus::Unconfirmed {
            return Err(ServiceError::invalid_parameter(
                "User is already confirmed.",
            ));
        }
        let sub = user.sub.clone();
        let details = self.send_confirmation_code(&sub).ok_or_else(|| {
            ServiceError::invalid_parameter(
                "The user has no email or phone_number to send a confirmation code to.",
            )
        })?;
        Ok(json!({ "CodeDeliveryDetails": details }))
    }

    /// `InitiateAuth` `USER_AUTH` with the Session of `ConfirmSignUp`: tokens at once.
    pub(super) fn sign_in_after_sign_up(
        &mut self,
        client: &AppClient,
        sub: &str,
        session: &str,
    ) -> Outcome {
        let taken = self.take_session(Some(&client.id), Some(session))?;
        if !matches!(taken.session.step, Step::SignUpConfirmed) || taken.session.sub != sub {
            return Err(invalid_session());
        }
        self.next_step(client, sub, taken.session.progress)
    }

    /// Sends a confirmation code to the user's email, else phone number; returns the
    /// `CodeDeliveryDetails`, or `None` when the user has neither.
    fn send_confirmation_code(&mut self, sub: &str) -> Option<Value> {
        let user = self.users.by_sub(sub)?.clone();
        let medium = [DeliveryMedium::Email, DeliveryMedium::Sms]
            .into_iter()
            .find(|medium| user.attribute(medium.attribute_name()).is_some())?;
        let destination = user.attribute(medium.attribute_name())?.to_owned();
        let code = self.send_code_valid_for(
            &user,
            medium,
            &destination,
            CodePurpose::SignUp,
            SIGN_UP_CODE_LIFETIME_SECS,
        );
        if let Some(user) = self.users.by_sub_mut(sub) {
            user.confirmation_code = Some(AttributeCode {
                attribute: medium.attribute_name().to_owned(),
                value: destination.clone(),
                code,
            });
        }
        Some(code_delivery_details(medium, &destination))
    }

    /// Before `sub` gets `code.value` verified: when that attribute is a sign-in alias another
    /// user holds verified, AliasExistsException, or with `force` the other user loses it.
    pub(super) fn claim_alias(
        &mut self,
        sub: &str,
        code: &AttributeCode,
        force: bool,
    ) -> Result<(), ServiceError> {
        let is_alias = match code.attribute.as_str() {
            "email" => self.aliases.email,
            "phone_number" => self.aliases.phone_number,
            _ => false,
        };
        if !is_alias {
            return Ok(());
        }
        let verified = format!("{}_verified", code.attribute);
        for other in self.users.all_mut() {
            if other.sub != sub && other.verified_attribute(&code.attribute) == Some(&code.value) {
                if !force {
                    return Err(ServiceError::service(
                        "AliasExistsException",
                        format!("An account with the {} already exists.", code.attribute),
                    ));
                }
                other
                    .attributes
                    .insert(verified.clone(), "false".to_owned());
            }
        }
        Ok(())
    }
}

/// `CONFIRMED`, `UNCONFIRMED`, `FORCE_CHANGE_PASSWORD`.
pub(crate) fn status_name(status: UserStatus) -> &'static str {
    match status {
        UserStatus::Confirmed => "CONFIRMED",
        UserStatus::Unconfirmed => "UNCONFIRMED",
        UserStatus::ForceChangePassword => "FORCE_CHANGE_PASSWORD",
    }
}
