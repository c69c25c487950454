//! `POST /oauth2/revoke`: revokes a refresh token and the access tokens issued from it.

use super::client::OAuthClient;
use super::error::read_oauth_reply;
use super::percent::put_pairs;
use super::request::{OAuthEndpoint, OAuthRequest, write_oauth_request};
use crate::error::{Error, Misuse};
use crate::redact::hide;
use crate::wire::{HttpResponse, Resend};

/// A revocation of `refresh_token` for `client`. Resent only when it never left (like the
/// user-pool API's `RevokeToken`).
///
/// ```
/// use cognito_core::oauth::{OAuthClient, Revoke};
/// use cognito_core::wire::HttpResponse;
/// let mut buf = [0u8; 128];
/// let request = Revoke { client: OAuthClient::public("abc"), refresh_token: "r.t" }.write(&mut buf)?;
/// assert_eq!(request.body, b"token=r.t&client_id=abc");
/// Revoke::read_reply(&HttpResponse::new(200, b""))?;
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Revoke<'a> {
    /// The app client the token was issued to.
    pub client: OAuthClient<'a>,
    /// The refresh token.
    pub refresh_token: &'a str,
}

impl Revoke<'_> {
    /// Writes the request into `buf` (untouched when too small); [`Misuse::Empty`] for an empty
    /// token.
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<OAuthRequest<'b>, Error> {
        self.client.validate()?;
        if self.refresh_token.is_empty() {
            return Err(Misuse::Empty("refresh_token").into());
        }
        Ok(write_oauth_request(
            buf,
            OAuthEndpoint::Revoke,
            Resend::OnlyIfUnreceived,
            |sink| self.client.put_authorization(sink),
            |sink| {
                put_pairs(sink, &[("token", Some(self.refresh_token))]);
                self.client.put_body_client_id(sink, true);
            },
        )?)
    }

    /// Reads the reply: `Ok` for a 2xx (the token is revoked, or was not valid: RFC 7009 treats
    /// both alike), [`Error::OAuth`] otherwise (`unsupported_token_type` for an access token).
    pub fn read_reply(response: &HttpResponse<'_>) -> Result<(), Error> {
        if (200..=299).contains(&response.status) {
            return Ok(());
        }
        read_oauth_reply(response).map(|_| ())
    }
}

impl core::fmt::Debug for Revoke<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Revoke")
            .field("client", &self.client)
            .field("refresh_token", &hide(self.refresh_token))
            .finish()
    }
}
