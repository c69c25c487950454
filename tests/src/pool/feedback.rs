//! `UpdateAuthEventFeedback {UserPoolId, Username, EventId, FeedbackToken, FeedbackValue}` → `{}`.
//!
//! The emulator has no advanced security features and issues no auth events or feedback tokens,
//! so it only checks the request's shape and records it ([`UserPool::auth_event_feedback`]):
//! `UserPoolId` must be this pool's (ResourceNotFoundException), `Username` an existing user's
//! username or sub (UserNotFoundException), `EventId` and `FeedbackToken` non-empty
//! (InvalidParameterException), `FeedbackValue` `Valid` or `Invalid` (InvalidParameterException).
//! Any non-empty `FeedbackToken` is accepted (an emulator choice).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;

use serde_json::json;

use super::UserPool;
use super::wire::{Object, Outcome, ServiceError, req_str};

/// One `UpdateAuthEventFeedback` the pool accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthEventFeedback {
    /// The user's sub.
    pub sub: String,
    /// `EventId` as sent.
    pub event_id: String,
    /// `FeedbackToken` as sent.
    pub feedback_token: String,
    /// `true` for `Valid`, `false` for `Invalid`.
    pub valid: bool,
    /// When it was received (emulator clock).
    pub received_at: u64,
}

impl UserPool {
    /// Every accepted `UpdateAuthEventFeedback`, oldest first.
    pub fn auth_event_feedback(&self) -> &[AuthEventFeedback] {
        &self.feedback
    }

    /// `UpdateAuthEventFeedback`: see the module documentation.
    pub(super) fn update_auth_event_feedback(&mut self, request: &Object) -> Outcome {
        let pool_id = req_str(request, "UserPoolId")?;
        let username = req_str(request, "Username")?;
        let event_id = req_str(request, "EventId")?;
        let token = req_str(request, "FeedbackToken")?;
        let value = req_str(request, "FeedbackValue")?;
        if pool_id != self.pool_id {
            return Err(ServiceError::resource_not_found(format!(
                "User pool {pool_id} does not exist."
            )));
        }
        let valid = match value {
            "Valid" => true,
            "Invalid" => false,
            other => {
                return Err(ServiceError::invalid_parameter(format!(
                    "1 validation error detected: Value '{other}' at 'feedbackValue' failed to satisfy constraint: Member must satisfy enum value set: [Valid, Invalid]"
                )));
            }
        };
        if event_id.is_empty() || token.is_empty() {
            return Err(ServiceError::invalid_parameter(
                "EventId and FeedbackToken must not be empty.",
            ));
        }
        let sub = self
            .users
            .find(username)
            .map(|user| user.sub.clone())
            .ok_or_else(ServiceError::user_not_found)?;
        self.feedback.push(AuthEventFeedback {
            sub,
            event_id: event_id.to_owned(),
            feedback_token: token.to_owned(),
            valid,
            received_at: self.now,
        });
        Ok(json!({}))
    }
}
