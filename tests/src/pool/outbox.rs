//! The outbox: every SMS and email the pool "sends" (MFA codes, sign-in OTPs), kept so tests can
//! read the codes the way a user would read their phone or mailbox.
//!
//! Codes are [`CODE_DIGITS`] decimal digits drawn from the pool's seeded RNG and expire
//! [`CODE_LIFETIME_SECS`] after they were sent. Challenges name the destination masked the way
//! Cognito does in `CODE_DELIVERY_DESTINATION` (`+*******0100`, `a***@e***`).

use alloc::borrow::ToOwned;
use alloc::string::String;

use super::UserPool;
use super::users::User;
use super::wire::ServiceError;

/// Number of digits of an SMS / email code.
pub const CODE_DIGITS: usize = 6;
/// How long an SMS / email code stays valid, in seconds (3 minutes; an emulator choice). With the
/// default 3-minute Session the Session runs out at the same time, so ExpiredCodeException needs a
/// client with a longer `auth_session_validity_secs`.
pub const CODE_LIFETIME_SECS: u64 = 180;

/// How a message travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryMedium {
    /// A text message to `phone_number`.
    Sms,
    /// An email to `email`.
    Email,
}

impl DeliveryMedium {
    /// `SMS` or `EMAIL`, as in `CODE_DELIVERY_DELIVERY_MEDIUM`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sms => "SMS",
            Self::Email => "EMAIL",
        }
    }

    /// The attribute a message of this medium goes to: `phone_number` or `email`.
    pub fn attribute_name(self) -> &'static str {
        match self {
            Self::Sms => "phone_number",
            Self::Email => "email",
        }
    }

    /// The medium that reaches attribute `name` (`email`, `phone_number`).
    pub(crate) fn for_attribute(name: &str) -> Option<Self> {
        match name {
            "email" => Some(Self::Email),
            "phone_number" => Some(Self::Sms),
            _ => None,
        }
    }
}

/// What a code was sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodePurpose {
    /// An MFA code after the first factor (SMS_MFA, EMAIL_OTP as MFA).
    Mfa,
    /// A one-time password as the first factor of choice-based sign-in (SMS_OTP, EMAIL_OTP).
    SignIn,
    /// Email MFA set-up during MFA_SETUP.
    MfaSetup,
    /// Account confirmation after `SignUp` / `ResendConfirmationCode`.
    SignUp,
    /// A password-reset code from `ForgotPassword`.
    PasswordReset,
    /// Attribute verification after `UpdateUserAttributes` / `GetUserAttributeVerificationCode`.
    AttributeVerification,
}

/// One message the pool sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentMessage {
    /// SMS or email.
    pub medium: DeliveryMedium,
    /// The unmasked phone number or email address.
    pub destination: String,
    /// The recipient's username.
    pub username: String,
    /// The recipient's sub.
    pub sub: String,
    /// The code in the message.
    pub code: String,
    /// Why it was sent.
    pub purpose: CodePurpose,
    /// When (emulator clock, unix seconds).
    pub sent_at: u64,
}

/// A code the pool sent and waits for.
#[derive(Debug, Clone)]
pub(crate) struct IssuedCode {
    pub(crate) code: String,
    pub(crate) expires_at: u64,
}

impl IssuedCode {
    /// Whether the code has run out at `now`.
    pub(crate) fn is_expired(&self, now: u64) -> bool {
        now > self.expires_at
    }

    /// Checks an account code (sign-up, password reset, attribute verification): expired →
    /// ExpiredCodeException, wrong → CodeMismatchException "Invalid verification code provided,
    /// please try again.".
    pub(crate) fn check(&self, code: &str, now: u64) -> Result<(), ServiceError> {
        if now > self.expires_at {
            Err(ServiceError::expired_code())
        } else if crate::srp::signatures_match(&self.code, code) {
            Ok(())
        } else {
            Err(ServiceError::service(
                "CodeMismatchException",
                "Invalid verification code provided, please try again.",
            ))
        }
    }
}

impl UserPool {
    /// Sends a fresh code to `destination` and returns it with its expiry
    /// ([`CODE_LIFETIME_SECS`]).
    pub(super) fn send_code(
        &mut self,
        user: &User,
        medium: DeliveryMedium,
        destination: &str,
        purpose: CodePurpose,
    ) -> IssuedCode {
        self.send_code_valid_for(user, medium, destination, purpose, CODE_LIFETIME_SECS)
    }

    /// Sends a fresh code to `destination` that stays valid `lifetime` seconds.
    pub(super) fn send_code_valid_for(
        &mut self,
        user: &User,
        medium: DeliveryMedium,
        destination: &str,
        purpose: CodePurpose,
        lifetime: u64,
    ) -> IssuedCode {
        let code = self.rng.digits(CODE_DIGITS);
        self.outbox.push(SentMessage {
            medium,
            destination: destination.to_owned(),
            username: user.username.clone(),
            sub: user.sub.clone(),
            code: code.clone(),
            purpose,
            sent_at: self.now,
        });
        IssuedCode {
            code,
            expires_at: self.now + lifetime,
        }
    }
}

/// `CodeDeliveryDetails {Destination (masked), DeliveryMedium, AttributeName}`.
pub(crate) fn code_delivery_details(
    medium: DeliveryMedium,
    destination: &str,
) -> serde_json::Value {
    serde_json::json!({
        "Destination": mask(medium, destination),
        "DeliveryMedium": medium.as_str(),
        "AttributeName": medium.attribute_name(),
    })
}

/// `CODE_DELIVERY_DESTINATION` for a destination.
pub(crate) fn mask(medium: DeliveryMedium, destination: &str) -> String {
    match medium {
        DeliveryMedium::Sms => mask_phone(destination),
        DeliveryMedium::Email => mask_email(destination),
    }
}

/// `+*******0100`: the `+`, one `*` per hidden digit, the last four digits.
fn mask_phone(phone: &str) -> String {
    let chars: alloc::vec::Vec<char> = phone.chars().collect();
    let keep = chars.len().saturating_sub(4);
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if i == 0 && c == '+' || i >= keep {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// `a***@e***`: the first character of the local part and of the domain.
fn mask_email(email: &str) -> String {
    let (local, domain) = email.split_once('@').unwrap_or((email, ""));
    let first = |s: &str| s.chars().next().map(String::from).unwrap_or_default();
    alloc::format!("{}***@{}***", first(local), first(domain))
}
