//! `GET /oauth2/userInfo`: the signed-in user's claims, for an access token with `openid`.

use core::fmt;

use super::error::read_oauth_reply;
use super::request::{OAuthEndpoint, OAuthRequest, write_oauth_request};
use crate::error::{Error, Misuse, ProtocolError};
use crate::redact::hide;
use crate::wire::{HttpResponse, JsonObject, JsonStr, JsonValue, Resend};

/// A userInfo request with `Authorization: Bearer <access token>` (a read: resent after any
/// failure).
///
/// ```
/// use cognito_core::oauth::UserInfo;
/// use cognito_core::wire::HttpResponse;
/// let mut buf = [0u8; 64];
/// let request = UserInfo { access_token: "eyJ.a.b" }.write(&mut buf)?;
/// assert_eq!(request.authorization, Some("Bearer eyJ.a.b"));
/// let info = UserInfo::read_reply(&HttpResponse::new(200, br#"{"sub":"1","email_verified":"true"}"#))?;
/// assert!(info.sub().eq_str("1"));
/// assert_eq!(info.email_verified()?, Some(true));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct UserInfo<'a> {
    /// The access token.
    pub access_token: &'a str,
}

impl UserInfo<'_> {
    /// Writes the request into `buf`; [`Misuse::Invalid`] for an empty token or one with
    /// characters a header cannot carry.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<OAuthRequest<'b>, Error> {
        if self.access_token.is_empty() || !self.access_token.bytes().all(|b| b.is_ascii_graphic())
        {
            return Err(Misuse::Invalid("access_token").into());
        }
        Ok(write_oauth_request(
            buf,
            OAuthEndpoint::UserInfo,
            Resend::AfterAnyFailure,
            |sink| {
                sink.put(b"Bearer ");
                sink.put(self.access_token.as_bytes());
            },
            |_| {},
        )?)
    }

    /// Reads the reply: the claims (a `sub` is required), or [`Error::OAuth`] (`invalid_token`
    /// for an expired or revoked token).
    pub fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<UserInfoClaims<'r>, Error> {
        let object = read_oauth_reply(response)?;
        let sub = object.require_str("sub")?;
        Ok(UserInfoClaims { object, sub })
    }
}

impl fmt::Debug for UserInfo<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserInfo")
            .field("access_token", &hide(self.access_token))
            .finish()
    }
}

/// The claims userInfo returned, borrowed from the reply: `sub`, `username`, and the
/// attributes the token's scopes allow (`email`, `phone_number`, custom ones).
#[derive(Clone, Copy, Debug)]
pub struct UserInfoClaims<'r> {
    object: JsonObject<'r>,
    sub: JsonStr<'r>,
}

impl<'r> UserInfoClaims<'r> {
    /// `sub`.
    #[must_use]
    pub fn sub(&self) -> JsonStr<'r> {
        self.sub
    }

    /// `username`, when present.
    pub fn username(&self) -> Result<Option<JsonStr<'r>>, ProtocolError> {
        self.object.get_str("username")
    }

    /// `email`, when present.
    pub fn email(&self) -> Result<Option<JsonStr<'r>>, ProtocolError> {
        self.object.get_str("email")
    }

    /// `email_verified`: Cognito sends the string `"true"` / `"false"`; a JSON boolean is read
    /// too.
    pub fn email_verified(&self) -> Result<Option<bool>, ProtocolError> {
        self.flag("email_verified")
    }

    /// `phone_number_verified`, read like [`email_verified`](Self::email_verified).
    pub fn phone_number_verified(&self) -> Result<Option<bool>, ProtocolError> {
        self.flag("phone_number_verified")
    }

    /// Any claim.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<JsonValue<'r>> {
        self.object.get(name)
    }

    /// Every claim, in reply order.
    #[must_use]
    pub fn as_object(&self) -> JsonObject<'r> {
        self.object
    }

    fn flag(&self, key: &'static str) -> Result<Option<bool>, ProtocolError> {
        match self.object.get(key) {
            None => Ok(None),
            Some(v) if v.is_null() => Ok(None),
            Some(v) => {
                if let Some(b) = v.as_bool() {
                    return Ok(Some(b));
                }
                match v.as_str() {
                    Some(s) if s.eq_str("true") => Ok(Some(true)),
                    Some(s) if s.eq_str("false") => Ok(Some(false)),
                    _ => Err(ProtocolError::InvalidField(key)),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::OAuthErrorKind;

    #[test]
    fn claims_and_errors() {
        let body = br#"{"sub":"s","username":"alice","email":"a@x","email_verified":false,"phone_number_verified":"maybe"}"#;
        let info = UserInfo::read_reply(&HttpResponse::new(200, body)).unwrap();
        assert!(info.username().unwrap().unwrap().eq_str("alice"));
        assert_eq!(info.email_verified(), Ok(Some(false)));
        assert_eq!(
            info.phone_number_verified(),
            Err(ProtocolError::InvalidField("phone_number_verified"))
        );
        assert_eq!(
            UserInfo::read_reply(&HttpResponse::new(200, b"{}")).unwrap_err(),
            Error::Protocol(ProtocolError::MissingField("sub"))
        );
        let Err(Error::OAuth(e)) = UserInfo::read_reply(&HttpResponse::new(
            401,
            br#"{"error":"invalid_token","error_description":"Access token has been revoked"}"#,
        )) else {
            panic!()
        };
        assert_eq!(e.kind(), OAuthErrorKind::InvalidToken);
        assert!(
            UserInfo {
                access_token: "a b"
            }
            .write(&mut [0u8; 64])
            .is_err()
        );
    }
}
