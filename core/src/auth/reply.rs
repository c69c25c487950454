//! The reply of `InitiateAuth` / `RespondToAuthChallenge`: tokens or another challenge.

use super::challenge::Challenge;
use super::result::AuthenticationResult;
use crate::error::{Error, ProtocolError};
use crate::wire::{HttpResponse, read_response};

/// What a sign-in step's reply says.
#[derive(Clone, Copy, Debug)]
pub enum AuthReply<'r> {
    /// Signed in.
    Authenticated(AuthenticationResult<'r>),
    /// Another step is needed.
    Challenge(Challenge<'r>),
}

impl<'r> AuthReply<'r> {
    /// Reads an HTTP response of `InitiateAuth` or `RespondToAuthChallenge`.
    ///
    /// Cognito errors become [`Error::Service`]; a body with neither `AuthenticationResult` nor
    /// `ChallengeName` is [`ProtocolError::EmptyAuthResult`].
    pub fn read(response: &HttpResponse<'r>) -> Result<Self, Error> {
        let obj = read_response(response)?;
        if let Some(result) = obj.get_object("AuthenticationResult")? {
            return Ok(AuthReply::Authenticated(AuthenticationResult::from_object(
                &result,
            )?));
        }
        match Challenge::from_reply(&obj)? {
            Some(challenge) => Ok(AuthReply::Challenge(challenge)),
            None => Err(ProtocolError::EmptyAuthResult.into()),
        }
    }
}
