//! Password recovery: `ForgotPassword` and `ConfirmForgotPassword`.
//!
//! - `ForgotPassword {ClientId, SecretHash, Username, ClientMetadata}` finds the user by username,
//!   sub or enabled alias (`SecretHash` over the name sent) and sends a code to the verified
//!   `email`, else the verified `phone_number` (Cognito's default recovery order), valid
//!   [`PASSWORD_RESET_CODE_LIFETIME_SECS`]; the reply is `{CodeDeliveryDetails}`. A user with
//!   neither verified → InvalidParameterException "Cannot reset password for the user as there
//!   is no registered/verified email or phone_number". A new request replaces the old code.
//! - `ConfirmForgotPassword {ClientId, SecretHash, Username, ConfirmationCode, Password,
//!   ClientMetadata}`: no code or a wrong one → CodeMismatchException, an expired one →
//!   ExpiredCodeException, a password the policy rejects → InvalidPasswordException (the code
//!   stays usable). Success stores a new salt and verifier, consumes the code, and turns a
//!   `FORCE_CHANGE_PASSWORD` user `CONFIRMED`. Issued tokens stay valid (an emulator choice: use
//!   `GlobalSignOut` to end other sessions).

use alloc::borrow::ToOwned;

use num_bigint::BigUint;
use serde_json::json;

use super::UserPool;
use super::outbox::{CodePurpose, DeliveryMedium, code_delivery_details};
use super::users::UserStatus;
use super::wire::{Object, Outcome, ServiceError, opt_str, req_str, string_map};

/// How long a password-reset code stays valid: 1 hour, as in Cognito.
pub const PASSWORD_RESET_CODE_LIFETIME_SECS: u64 = 3600;

impl UserPool {
    /// `ForgotPassword`: see the module documentation.
    pub(super) fn forgot_password(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let username = req_str(request, "Username")?;
        string_map(request, "ClientMetadata")?;
        client.check_secret_hash(username, opt_str(request, "SecretHash")?)?;
        let user = self.sign_in_user(username)?.clone();
        let (medium, destination) = [DeliveryMedium::Email, DeliveryMedium::Sms]
            .into_iter()
            .find_map(|medium| {
                user.verified_attribute(medium.attribute_name())
                    .map(|value| (medium, value.to_owned()))
            })
            .ok_or_else(|| {
                ServiceError::invalid_parameter(
                    "Cannot reset password for the user as there is no registered/verified email or phone_number",
                )
            })?;
        let code = self.send_code_valid_for(
            &user,
            medium,
            &destination,
            CodePurpose::PasswordReset,
            PASSWORD_RESET_CODE_LIFETIME_SECS,
        );
        if let Some(user) = self.users.by_sub_mut(&user.sub) {
            user.reset_code = Some(code);
        }
        Ok(json!({ "CodeDeliveryDetails": code_delivery_details(medium, &destination) }))
    }

    /// `ConfirmForgotPassword`: see the module documentation.
    pub(super) fn confirm_forgot_password(&mut self, request: &Object) -> Outcome {
        let client = self.client(req_str(request, "ClientId")?)?;
        let username = req_str(request, "Username")?;
        let code = req_str(request, "ConfirmationCode")?;
        let password = req_str(request, "Password")?;
        string_map(request, "ClientMetadata")?;
        client.check_secret_hash(username, opt_str(request, "SecretHash")?)?;
        let user = self.sign_in_user(username)?;
        let sub = user.sub.clone();
        let issued = user.reset_code.clone().ok_or_else(|| {
            ServiceError::service(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            )
        })?;
        issued.check(code, self.now)?;
        self.password_policy
            .check(password)
            .map_err(ServiceError::invalid_password)?;
        let salt = BigUint::from_bytes_be(&self.rng.bytes(16));
        let pool_name = self.pool_name.clone();
        if let Some(user) = self.users.by_sub_mut(&sub) {
            user.set_password(&pool_name, salt, password);
            user.reset_code = None;
            if user.status == UserStatus::ForceChangePassword {
                user.status = UserStatus::Confirmed;
                user.temporary_password_expires_at = None;
            }
        }
        Ok(json!({}))
    }
}
