//! `UpdateAuthEventFeedback`: telling threat protection whether a risky sign-in was genuine.

use super::body;
use super::validate;
use crate::auth::ClientConfig;
use crate::error::{Error, Misuse};
use crate::exchange::Call;
use crate::redact::debug_fields;
use crate::wire::{HttpResponse, JsonWriter, Operation};

/// Longest event id (`EventIdType`).
const MAX_EVENT_ID_CHARS: usize = 50;

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

/// An `UpdateAuthEventFeedback` request, with the token from the notification email's link
/// (`UserPoolId` is the app client's pool).
#[derive(Clone, Copy, Default)]
pub struct UpdateAuthEventFeedback<'a> {
    /// `Username`.
    pub username: &'a str,
    /// `EventId`.
    pub event_id: &'a str,
    /// `FeedbackToken`.
    pub feedback_token: &'a str,
    /// `FeedbackValue`.
    pub feedback_value: FeedbackValue,
}

impl Call for UpdateAuthEventFeedback<'_> {
    const OPERATION: Operation = Operation::UpdateAuthEventFeedback;
    type Reply<'r> = ();

    fn validate(&self) -> Result<(), Misuse> {
        validate::username(self.username)?;
        validate::bounded(self.event_id, "event_id", MAX_EVENT_ID_CHARS)?;
        validate::required(self.feedback_token, "feedback_token")?;
        Ok(())
    }

    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>) {
        w.field_str("UserPoolId", config.pool_id());
        w.field_str("Username", self.username);
        w.field_str("EventId", self.event_id);
        w.field_str("FeedbackToken", self.feedback_token);
        w.field_str("FeedbackValue", self.feedback_value.as_str());
    }

    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<(), Error> {
        body::read_empty(response)
    }
}

debug_fields!(UpdateAuthEventFeedback {
    username: show,
    event_id: show,
    feedback_token: hide,
    feedback_value: show,
});
