//! `UpdateAuthEventFeedback`: telling threat protection whether a risky sign-in was genuine.

use super::body;
use super::validate;
use crate::auth::Request;
use crate::error::Error;
use crate::wire::{HttpResponse, Operation};

/// Longest event id (`EventIdType`).
const MAX_EVENT_ID_CHARS: usize = 50;
/// Longest user-pool id (`UserPoolIdType`).
const MAX_USER_POOL_ID_CHARS: usize = 55;

/// `FeedbackValue`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FeedbackValue {
    /// `Valid`: the user made this sign-in.
    #[default]
    Valid,
    /// `Invalid`: the sign-in was not the user's.
    Invalid,
}

impl FeedbackValue {
    /// The wire value: `Valid` or `Invalid`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            FeedbackValue::Valid => "Valid",
            FeedbackValue::Invalid => "Invalid",
        }
    }
}

/// An `UpdateAuthEventFeedback` request, with the token from the notification email's link.
#[derive(Clone, Copy, Debug, Default)]
pub struct UpdateAuthEventFeedback<'a> {
    /// `UserPoolId`.
    pub user_pool_id: &'a str,
    /// `Username`.
    pub username: &'a str,
    /// `EventId`.
    pub event_id: &'a str,
    /// `FeedbackToken`.
    pub feedback_token: &'a str,
    /// `FeedbackValue`.
    pub feedback_value: FeedbackValue,
}

impl UpdateAuthEventFeedback<'_> {
    /// Writes the body into `buf`, untouched when too small. [`crate::Misuse`] for an empty or
    /// over-long pool id, user name or event id, or an empty feedback token.
    pub fn write_request<'b>(&self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        validate::bounded(self.user_pool_id, "user_pool_id", MAX_USER_POOL_ID_CHARS)?;
        validate::username(self.username)?;
        validate::bounded(self.event_id, "event_id", MAX_EVENT_ID_CHARS)?;
        validate::required(self.feedback_token, "feedback_token")?;
        body::write(Operation::UpdateAuthEventFeedback, buf, |w| {
            w.field_str("UserPoolId", self.user_pool_id);
            w.field_str("Username", self.username);
            w.field_str("EventId", self.event_id);
            w.field_str("FeedbackToken", self.feedback_token);
            w.field_str("FeedbackValue", self.feedback_value.as_str());
        })
    }

    /// Reads the reply (empty on success); Cognito's errors become [`Error::Service`].
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        body::read_empty(response)
    }
}
