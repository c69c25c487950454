//! `POST /oauth2/token`: the three grants a client uses, and the reply.

use core::fmt;

use super::client::OAuthClient;
use super::error::{plain, read_oauth_reply};
use super::percent::put_pairs;
use super::request::{OAuthEndpoint, OAuthRequest, write_oauth_request};
use super::scopes::{Scopes, put_scope_pair};
use crate::auth::AuthenticationResult;
use crate::error::{Error, Misuse, ProtocolError};
use crate::redact::hide;
use crate::wire::{HttpResponse, Resend};

/// What a token request trades for tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Grant<'a> {
    /// `authorization_code`: the code the redirect brought back, the same `redirect_uri` as in
    /// the authorize URL, and the PKCE verifier. Single use: resent only when it never left.
    AuthorizationCode {
        /// The code.
        code: &'a str,
        /// The redirect URI the code was issued for.
        redirect_uri: &'a str,
        /// The PKCE `code_verifier`.
        code_verifier: &'a str,
    },
    /// `refresh_token`: new ID and access tokens (resent after any failure: it only mints
    /// tokens, like `REFRESH_TOKEN_AUTH`).
    RefreshToken {
        /// The refresh token.
        refresh_token: &'a str,
    },
    /// `client_credentials`: an access token for the app client itself (machine to machine),
    /// with resource-server scopes (`<identifier>/<scope>`; none: every scope the client may
    /// have). Needs a client with a secret.
    ClientCredentials {
        /// The scopes asked for.
        scopes: Scopes<'a>,
    },
}

impl Grant<'_> {
    /// The `grant_type` value.
    #[must_use]
    pub const fn grant_type(&self) -> &'static str {
        match self {
            Grant::AuthorizationCode { .. } => "authorization_code",
            Grant::RefreshToken { .. } => "refresh_token",
            Grant::ClientCredentials { .. } => "client_credentials",
        }
    }

    /// When the request may be sent again: a code is spent by the first request that reaches
    /// the domain; a refresh or client-credentials request only mints tokens.
    #[must_use]
    pub const fn resend(&self) -> Resend {
        match self {
            Grant::AuthorizationCode { .. } => Resend::OnlyIfUnreceived,
            Grant::RefreshToken { .. } | Grant::ClientCredentials { .. } => Resend::AfterAnyFailure,
        }
    }
}

impl fmt::Debug for Grant<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => f
                .debug_struct("AuthorizationCode")
                .field("code", &hide(*code))
                .field("redirect_uri", redirect_uri)
                .field("code_verifier", &hide(*code_verifier))
                .finish(),
            Grant::RefreshToken { refresh_token } => f
                .debug_struct("RefreshToken")
                .field("refresh_token", &hide(*refresh_token))
                .finish(),
            Grant::ClientCredentials { scopes } => f
                .debug_struct("ClientCredentials")
                .field("scopes", scopes)
                .finish(),
        }
    }
}

/// A token request: `grant` for `client`.
///
/// ```
/// use cognito_core::oauth::{Grant, OAuthClient, Scopes, TokenRequest, read_token_reply};
/// use cognito_core::wire::HttpResponse;
///
/// let client = OAuthClient::confidential("client", "secret");
/// let grant = Grant::ClientCredentials { scopes: Scopes::new("my-api/read") };
/// let mut buf = [0u8; 256];
/// let request = TokenRequest { client, grant }.write(&mut buf)?;
/// assert_eq!(request.authorization, Some("Basic Y2xpZW50OnNlY3JldA=="));
/// assert_eq!(request.body, b"grant_type=client_credentials&scope=my-api%2Fread");
///
/// let reply = br#"{"access_token":"eyJ.a.b","expires_in":3600,"token_type":"Bearer"}"#;
/// let tokens = read_token_reply(&HttpResponse::new(200, reply))?;
/// assert_eq!((tokens.access_token, tokens.expires_in), ("eyJ.a.b", 3600));
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct TokenRequest<'a> {
    /// The app client.
    pub client: OAuthClient<'a>,
    /// What is traded for tokens.
    pub grant: Grant<'a>,
}

impl TokenRequest<'_> {
    /// Checks the arguments: [`Misuse::Empty`] for an empty code, redirect URI, verifier or
    /// refresh token, [`Misuse::Invalid`]`("client_secret")` for client credentials without a
    /// secret, and the client's own checks.
    pub fn validate(&self) -> Result<(), Misuse> {
        self.client.validate()?;
        match self.grant {
            Grant::AuthorizationCode {
                code,
                redirect_uri,
                code_verifier,
            } => {
                for (name, value) in [
                    ("code", code),
                    ("redirect_uri", redirect_uri),
                    ("code_verifier", code_verifier),
                ] {
                    if value.is_empty() {
                        return Err(Misuse::Empty(name));
                    }
                }
            }
            Grant::RefreshToken { refresh_token: "" } => {
                return Err(Misuse::Empty("refresh_token"));
            }
            Grant::RefreshToken { .. } => {}
            Grant::ClientCredentials { scopes } => {
                if self.client.client_secret.is_none() {
                    return Err(Misuse::Invalid("client_secret"));
                }
                scopes.validate()?;
            }
        }
        Ok(())
    }

    /// Validates, then writes the request into `buf` (untouched when too small).
    pub fn write<'b>(&self, buf: &'b mut [u8]) -> Result<OAuthRequest<'b>, Error> {
        self.validate()?;
        let request = write_oauth_request(
            buf,
            OAuthEndpoint::Token,
            self.grant.resend(),
            |sink| self.client.put_authorization(sink),
            |sink| {
                put_pairs(sink, &[("grant_type", Some(self.grant.grant_type()))]);
                match self.grant {
                    Grant::AuthorizationCode {
                        code,
                        redirect_uri,
                        code_verifier,
                    } => {
                        sink.put(b"&");
                        put_pairs(
                            sink,
                            &[
                                ("code", Some(code)),
                                ("redirect_uri", Some(redirect_uri)),
                                ("code_verifier", Some(code_verifier)),
                            ],
                        );
                    }
                    Grant::RefreshToken { refresh_token } => {
                        sink.put(b"&");
                        put_pairs(sink, &[("refresh_token", Some(refresh_token))]);
                    }
                    Grant::ClientCredentials { scopes } => put_scope_pair(sink, scopes, true),
                }
                self.client.put_body_client_id(sink, true);
            },
        )?;
        Ok(request)
    }
}

/// Reads a `/oauth2/token` reply: the tokens (borrowed from the body) as an
/// [`AuthenticationResult`] (no device metadata), so they go wherever a sign-in's go.
///
/// `access_token` and `expires_in` are required, `token_type` must be `Bearer` (any case);
/// tokens must be plain JSON strings. Errors: [`Error::OAuth`] for the domain's OAuth errors,
/// [`Error::Protocol`] for a malformed reply.
pub fn read_token_reply<'r>(
    response: &HttpResponse<'r>,
) -> Result<AuthenticationResult<'r>, Error> {
    let body = read_oauth_reply(response)?;
    let access_token =
        plain(&body, "access_token")?.ok_or(ProtocolError::MissingField("access_token"))?;
    let token_ok = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic());
    if !token_ok(access_token) {
        return Err(ProtocolError::InvalidField("access_token").into());
    }
    let id_token = plain(&body, "id_token")?;
    if id_token.is_some_and(|t| !token_ok(t)) {
        return Err(ProtocolError::InvalidField("id_token").into());
    }
    let refresh_token = plain(&body, "refresh_token")?;
    if refresh_token.is_some_and(|t| !token_ok(t)) {
        return Err(ProtocolError::InvalidField("refresh_token").into());
    }
    let expires_in = body
        .get_u64("expires_in")?
        .ok_or(ProtocolError::MissingField("expires_in"))?;
    let token_type =
        plain(&body, "token_type")?.ok_or(ProtocolError::MissingField("token_type"))?;
    if !token_type.eq_ignore_ascii_case("Bearer") {
        return Err(ProtocolError::InvalidField("token_type").into());
    }
    Ok(AuthenticationResult {
        access_token,
        id_token,
        refresh_token,
        expires_in,
        token_type,
        new_device: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(request: &TokenRequest<'_>) -> String {
        let mut buf = [0u8; 512];
        let r = request.write(&mut buf).unwrap();
        String::from_utf8(r.body.to_vec()).unwrap()
    }

    #[test]
    fn authorization_code_for_a_public_client() {
        let request = TokenRequest {
            client: OAuthClient::public("abc"),
            grant: Grant::AuthorizationCode {
                code: "c0de",
                redirect_uri: "http://127.0.0.1:8400/callback",
                code_verifier: "v-._~",
            },
        };
        assert_eq!(
            body(&request),
            "grant_type=authorization_code&code=c0de&redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback\
             &code_verifier=v-._~&client_id=abc"
        );
        let mut buf = [0u8; 512];
        let written = request.write(&mut buf).unwrap();
        assert_eq!(written.authorization, None);
        assert_eq!(written.resend, Resend::OnlyIfUnreceived);
    }

    #[test]
    fn refresh_for_a_confidential_client() {
        let request = TokenRequest {
            client: OAuthClient::confidential("abc", "s"),
            grant: Grant::RefreshToken {
                refresh_token: "r.t",
            },
        };
        assert_eq!(body(&request), "grant_type=refresh_token&refresh_token=r.t");
        assert!(!format!("{request:?}").contains("r.t"));
    }

    #[test]
    fn misuse_is_refused() {
        let cc = TokenRequest {
            client: OAuthClient::public("abc"),
            grant: Grant::ClientCredentials {
                scopes: Scopes::new(""),
            },
        };
        assert_eq!(cc.validate(), Err(Misuse::Invalid("client_secret")));
        let code = TokenRequest {
            client: OAuthClient::public("abc"),
            grant: Grant::AuthorizationCode {
                code: "",
                redirect_uri: "r",
                code_verifier: "v",
            },
        };
        assert_eq!(code.validate(), Err(Misuse::Empty("code")));
    }

    #[test]
    fn replies() {
        let ok = br#"{"id_token":"i.d.t","access_token":"a.c.t","refresh_token":"r","expires_in":60,"token_type":"bearer"}"#;
        let t = read_token_reply(&HttpResponse::new(200, ok)).unwrap();
        assert_eq!(
            (t.id_token, t.refresh_token, t.expires_in),
            (Some("i.d.t"), Some("r"), 60)
        );
        for (bad, err) in [
            (
                &br#"{"expires_in":1,"token_type":"Bearer"}"#[..],
                ProtocolError::MissingField("access_token"),
            ),
            (
                br#"{"access_token":"a","token_type":"Bearer"}"#,
                ProtocolError::MissingField("expires_in"),
            ),
            (
                br#"{"access_token":"a","expires_in":1}"#,
                ProtocolError::MissingField("token_type"),
            ),
            (
                br#"{"access_token":"a","expires_in":1,"token_type":"mac"}"#,
                ProtocolError::InvalidField("token_type"),
            ),
            (
                br#"{"access_token":"a b","expires_in":1,"token_type":"Bearer"}"#,
                ProtocolError::InvalidField("access_token"),
            ),
            (
                br#"{"access_token":"a\n","expires_in":1,"token_type":"Bearer"}"#,
                ProtocolError::InvalidField("access_token"),
            ),
            (
                br#"{"access_token":"a","expires_in":-1,"token_type":"Bearer"}"#,
                ProtocolError::InvalidField("expires_in"),
            ),
        ] {
            assert_eq!(
                read_token_reply(&HttpResponse::new(200, bad)).unwrap_err(),
                Error::Protocol(err)
            );
        }
        let Err(Error::OAuth(e)) =
            read_token_reply(&HttpResponse::new(400, br#"{"error":"invalid_grant"}"#))
        else {
            panic!()
        };
        assert_eq!(e.code(), "invalid_grant");
    }
}
