//! User attributes with an access token: `UpdateUserAttributes`, `DeleteUserAttributes`,
//! `GetUserAttributeVerificationCode` and `VerifyUserAttribute`, and the checks every
//! client-written attribute goes through (also in `SignUp`).
//!
//! - Writing `sub`, `email_verified` or `phone_number_verified` → NotAuthorizedException "A client
//!   attempted to write unauthorized attribute"; a name outside the standard schema and not
//!   `custom:<name>` → InvalidParameterException; an `email` without `local@domain` or a
//!   `phone_number` not `+` and 4–15 digits → InvalidParameterException "Invalid email address
//!   format." / "Invalid phone number format.".
//! - `UpdateUserAttributes {AccessToken, UserAttributes, ClientMetadata}`: a new `email` /
//!   `phone_number` value replaces the old one at once and is unverified (Cognito's behaviour
//!   without "keep original attribute value active"); a verification code goes to it
//!   ([`super::CodePurpose::AttributeVerification`], valid [`ATTRIBUTE_CODE_LIFETIME_SECS`]) and
//!   the reply lists it in `CodeDeliveryDetailsList` (always present, maybe empty). Emptying a
//!   pool-required attribute → InvalidParameterException.
//! - `DeleteUserAttributes {AccessToken, UserAttributeNames}`: removes them (`email` /
//!   `phone_number` also lose `*_verified` and a pending code); a pool-required one →
//!   InvalidParameterException; absent names are ignored.
//! - `GetUserAttributeVerificationCode {AccessToken, AttributeName, ClientMetadata}` →
//!   `{CodeDeliveryDetails}`: only `email` / `phone_number` that the user has
//!   (InvalidParameterException otherwise); a new code replaces the old one.
//! - `VerifyUserAttribute {AccessToken, AttributeName, Code}` → `{}`: no code, a wrong one, or one
//!   sent to a value that has changed since → CodeMismatchException; expired →
//!   ExpiredCodeException; a sign-in alias another user holds verified → AliasExistsException.
//!   Success sets `<name>_verified` to `"true"`.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde_json::{Value, json};

use super::UserPool;
use super::outbox::{CodePurpose, DeliveryMedium, code_delivery_details};
use super::password::check_writable;
use super::users::AttributeCode;
use super::wire::{
    Object, Outcome, ServiceError, attribute_list, req_str, string_list, string_map,
};

/// How long an attribute-verification code stays valid: 24 hours, as in Cognito.
pub const ATTRIBUTE_CODE_LIFETIME_SECS: u64 = 86_400;

/// Checks a client-written attribute: writable, in the schema, well-formed.
pub(crate) fn check_attribute(name: &str, value: &str) -> Result<(), ServiceError> {
    check_writable(name)?;
    match name {
        "email" if !is_email(value) => Err(ServiceError::invalid_parameter(
            "Invalid email address format.",
        )),
        "phone_number" if !is_phone_number(value) => Err(ServiceError::invalid_parameter(
            "Invalid phone number format.",
        )),
        _ => Ok(()),
    }
}

fn is_email(value: &str) -> bool {
    value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && !domain.contains('@')
            && !value.chars().any(char::is_whitespace)
    })
}

fn is_phone_number(value: &str) -> bool {
    value.strip_prefix('+').is_some_and(|digits| {
        (4..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit())
    })
}

impl UserPool {
    /// `UpdateUserAttributes`: see the module documentation.
    pub(super) fn update_user_attributes(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        if !request.contains_key("UserAttributes") {
            req_str(request, "UserAttributes")?;
        }
        let updates = attribute_list(request, "UserAttributes")?;
        string_map(request, "ClientMetadata")?;
        for (name, value) in &updates {
            check_attribute(name, value)?;
            if value.is_empty() && self.required_attributes.contains(name) {
                return Err(ServiceError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: The attribute is required"
                )));
            }
        }
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mut to_verify: Vec<(DeliveryMedium, String)> = Vec::new();
        for (name, value) in &updates {
            let changed = user.attribute(name) != Some(value.as_str());
            user.set_attribute(name, value);
            if let (true, Some(medium)) = (changed, DeliveryMedium::for_attribute(name)) {
                user.attribute_codes.remove(name.as_str());
                if !to_verify.iter().any(|(m, _)| *m == medium) {
                    to_verify.push((medium, value.clone()));
                }
            }
        }
        let mut details = Vec::new();
        for (medium, value) in to_verify {
            details.push(self.send_verification_code(&claims.sub, medium, &value));
        }
        Ok(json!({ "CodeDeliveryDetailsList": details }))
    }

    /// `DeleteUserAttributes`: see the module documentation.
    pub(super) fn delete_user_attributes(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        if !request.contains_key("UserAttributeNames") {
            req_str(request, "UserAttributeNames")?;
        }
        let names = string_list(request, "UserAttributeNames")?;
        for name in &names {
            check_writable(name)?;
            if self.required_attributes.contains(name) {
                return Err(ServiceError::invalid_parameter(format!(
                    "Attributes did not conform to the schema: {name}: The attribute is required"
                )));
            }
        }
        let user = self
            .users
            .by_sub_mut(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        for name in &names {
            user.attributes.remove(name);
            if DeliveryMedium::for_attribute(name).is_some() {
                user.attributes.remove(&format!("{name}_verified"));
                user.attribute_codes.remove(name);
            }
        }
        Ok(json!({}))
    }

    /// `GetUserAttributeVerificationCode`: see the module documentation.
    pub(super) fn get_user_attribute_verification_code(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let name = req_str(request, "AttributeName")?;
        string_map(request, "ClientMetadata")?;
        let medium = DeliveryMedium::for_attribute(name).ok_or_else(|| {
            ServiceError::invalid_parameter(format!(
                "Attribute {name} cannot be verified: only email and phone_number can."
            ))
        })?;
        let value = self
            .users
            .by_sub(&claims.sub)
            .and_then(|user| user.attribute(name))
            .map(ToOwned::to_owned)
            .ok_or_else(|| {
                ServiceError::invalid_parameter(format!("The user has no {name} to verify."))
            })?;
        let details = self.send_verification_code(&claims.sub, medium, &value);
        Ok(json!({ "CodeDeliveryDetails": details }))
    }

    /// `VerifyUserAttribute`: see the module documentation.
    pub(super) fn verify_user_attribute(&mut self, request: &Object) -> Outcome {
        let claims = self.authorize(request)?;
        let name = req_str(request, "AttributeName")?;
        let code = req_str(request, "Code")?;
        let user = self
            .users
            .by_sub(&claims.sub)
            .ok_or_else(ServiceError::user_not_found)?;
        let mismatch = || {
            ServiceError::service(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            )
        };
        let pending = user
            .attribute_codes
            .get(name)
            .filter(|pending| user.attribute(name) == Some(pending.value.as_str()))
            .cloned()
            .ok_or_else(mismatch)?;
        pending.code.check(code, self.now)?;
        self.claim_alias(&claims.sub, &pending, false)?;
        if let Some(user) = self.users.by_sub_mut(&claims.sub) {
            user.attribute_codes.remove(name);
            user.attributes
                .insert(format!("{name}_verified"), "true".to_owned());
        }
        Ok(json!({}))
    }

    /// Sends an attribute-verification code to `value` and remembers it; returns the
    /// `CodeDeliveryDetails`.
    fn send_verification_code(&mut self, sub: &str, medium: DeliveryMedium, value: &str) -> Value {
        let Some(user) = self.users.by_sub(sub).cloned() else {
            return Value::Null;
        };
        let code = self.send_code_valid_for(
            &user,
            medium,
            value,
            CodePurpose::AttributeVerification,
            ATTRIBUTE_CODE_LIFETIME_SECS,
        );
        let attribute: String = medium.attribute_name().to_owned();
        if let Some(user) = self.users.by_sub_mut(sub) {
            user.attribute_codes.insert(
                attribute.clone(),
                AttributeCode {
                    attribute,
                    value: value.to_owned(),
                    code,
                },
            );
        }
        code_delivery_details(medium, value)
    }
}
