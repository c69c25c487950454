//! A hosted-UI sign-in as a state machine: the authorize URL out, the redirect in, the code
//! traded for tokens.

use core::fmt;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use super::authorize::{Authorize, AuthorizeOptions};
use super::client::OAuthClient;
use super::domain::PoolDomain;
use super::pkce::{CodeVerifier, RandomValue};
use super::redirect::{AuthorizationCode, read_redirect};
use super::request::OAuthRequest;
use super::scopes::Scopes;
use super::token::{Grant, TokenRequest, read_token_reply};
use crate::auth::AuthenticationResult;
use crate::error::{Error, Misuse, ProtocolError};
use crate::token::Jwt;
use crate::wire::HttpResponse;

mod saved;

pub use saved::{MAX_SAVED_HOSTED_SIGN_IN_LEN, redirect_state};

/// The longest app client id or secret kept.
pub const MAX_CLIENT_FIELD_LEN: usize = 128;
/// The longest redirect URI kept.
pub const MAX_REDIRECT_URI_LEN: usize = 512;
/// The longest scope list kept.
pub const MAX_SCOPES_LEN: usize = 512;

/// Where a [`HostedSignIn`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostedPhase {
    /// Waiting for the browser to come back ([`HostedSignIn::accept_redirect`]).
    AwaitingRedirect,
    /// A code arrived: write the token request.
    CodeReceived,
    /// The token request was written: hand its reply to [`HostedSignIn::handle_token_reply`].
    TokenRequested,
    /// Tokens were returned, or the domain said no: the sign-in is over.
    Done,
}

/// A sign-in through the pool's hosted UI (or a provider federated there), authorization code
/// with PKCE:
///
/// 1. [`authorize_url`](Self::authorize_url): open it in a browser.
/// 2. [`accept_redirect`](Self::accept_redirect) with the URL the browser came back to: the
///    `state` is checked (a redirect with another state is refused and the sign-in keeps
///    waiting), then the code is kept.
/// 3. [`write_token_request`](Self::write_token_request), send it to the domain, and
///    [`handle_token_reply`](Self::handle_token_reply): the tokens, after checking that the ID
///    token carries this sign-in's `nonce`.
///
/// Between 1 and 2 the sign-in may leave the process: [`save`](Self::save) writes it as text,
/// [`restore`](Self::restore) reads it back (a server whose callback may reach another
/// instance keeps it in its session store under [`state`](Self::state), and finds it again by
/// [`redirect_state`]).
///
/// Verifier, state and nonce come from the caller's RNG; the verifier, the code and the client
/// secret are zeroized on drop. No heap; about 2 KiB.
///
/// ```
/// use cognito_core::oauth::{AuthorizeOptions, HostedSignIn, OAuthClient, PoolDomain, Scopes};
///
/// let domain = PoolDomain::cognito("my-app", "eu-west-1")?;
/// let mut sign_in = HostedSignIn::new(
///     OAuthClient::public("3n4b5urk1ft4fl3mg5e62d9ado"),
///     "http://127.0.0.1:8400/callback",
///     Scopes::new("openid email aws.cognito.signin.user.admin"),
///     &mut rand_core::OsRng,
/// )?;
/// let mut url_buf = [0u8; 1024];
/// let url = sign_in.authorize_url(&domain, AuthorizeOptions::default(), &mut url_buf)?;
/// assert!(url.starts_with("https://my-app.auth.eu-west-1.amazoncognito.com/oauth2/authorize?"));
/// // A redirect that another sign-in (or an attacker) caused is refused:
/// assert!(sign_in.accept_redirect("/callback?code=stolen&state=guess").is_err());
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct HostedSignIn {
    client_id: heapless::String<MAX_CLIENT_FIELD_LEN>,
    client_secret: Option<Zeroizing<heapless::String<MAX_CLIENT_FIELD_LEN>>>,
    redirect_uri: heapless::String<MAX_REDIRECT_URI_LEN>,
    scopes: heapless::String<MAX_SCOPES_LEN>,
    verifier: CodeVerifier,
    state: RandomValue,
    nonce: RandomValue,
    code: Option<AuthorizationCode>,
    phase: HostedPhase,
}

fn copy<const N: usize>(field: &'static str, text: &str) -> Result<heapless::String<N>, Misuse> {
    heapless::String::try_from(text).map_err(|_| Misuse::TooLong { field, max: N })
}

impl HostedSignIn {
    /// A sign-in for `client` that comes back to `redirect_uri` (one of the app client's
    /// callback URLs) with `scopes`; verifier, state and nonce drawn from `rng`.
    ///
    /// [`Misuse`] for an invalid client, an empty redirect URI, invalid scopes or a value
    /// longer than its capacity.
    pub fn new<R: RngCore + CryptoRng + ?Sized>(
        client: OAuthClient<'_>,
        redirect_uri: &str,
        scopes: Scopes<'_>,
        rng: &mut R,
    ) -> Result<Self, Misuse> {
        let verifier = CodeVerifier::generate(rng);
        let state = RandomValue::generate(rng);
        let nonce = RandomValue::generate(rng);
        Self::new_with(client, redirect_uri, scopes, verifier, state, nonce)
    }

    /// [`new`](Self::new) with the random values given ([`restore`](Self::restore)'s way in).
    fn new_with(
        client: OAuthClient<'_>,
        redirect_uri: &str,
        scopes: Scopes<'_>,
        verifier: CodeVerifier,
        state: RandomValue,
        nonce: RandomValue,
    ) -> Result<Self, Misuse> {
        client.validate()?;
        scopes.validate()?;
        if redirect_uri.is_empty() {
            return Err(Misuse::Empty("redirect_uri"));
        }
        let client_secret = match client.client_secret {
            Some(secret) => Some(Zeroizing::new(copy("client_secret", secret)?)),
            None => None,
        };
        Ok(HostedSignIn {
            client_id: copy("client_id", client.client_id)?,
            client_secret,
            redirect_uri: copy("redirect_uri", redirect_uri)?,
            scopes: copy("scope", scopes.as_str())?,
            verifier,
            state,
            nonce,
            code: None,
            phase: HostedPhase::AwaitingRedirect,
        })
    }

    /// Where the sign-in is.
    #[must_use]
    pub fn phase(&self) -> HostedPhase {
        self.phase
    }

    /// The redirect URI this sign-in comes back to.
    #[must_use]
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The scopes asked for.
    #[must_use]
    pub fn scopes(&self) -> Scopes<'_> {
        Scopes::new(&self.scopes)
    }

    fn client(&self) -> OAuthClient<'_> {
        OAuthClient {
            client_id: &self.client_id,
            client_secret: self.client_secret.as_ref().map(|s| s.as_str()),
        }
    }

    /// Writes the authorize URL into `buf` (with this sign-in's state, PKCE challenge and
    /// nonce; `options.nonce` is ignored). Any number of times, while awaiting the redirect.
    pub fn authorize_url<'b>(
        &self,
        domain: &PoolDomain,
        options: AuthorizeOptions<'_>,
        buf: &'b mut [u8],
    ) -> Result<&'b str, Error> {
        if self.phase != HostedPhase::AwaitingRedirect {
            return Err(Misuse::OutOfOrder.into());
        }
        let challenge = self.verifier.challenge();
        Authorize {
            client_id: &self.client_id,
            redirect_uri: &self.redirect_uri,
            scopes: self.scopes(),
            state: self.state.as_str(),
            code_challenge: &challenge,
            options: AuthorizeOptions {
                nonce: Some(self.nonce.as_str()),
                ..options
            },
        }
        .write_url(domain, buf)
    }

    /// Takes the URL the browser came back to (whole, or its path and query).
    ///
    /// A redirect without this sign-in's `state` is refused
    /// ([`ProtocolError::StateMismatch`] or a missing field) and the sign-in keeps waiting for
    /// the right one. An error the domain sent ([`Error::OAuth`], e.g. `access_denied`) ends
    /// it. Otherwise the code is kept for [`write_token_request`](Self::write_token_request).
    pub fn accept_redirect(&mut self, url: &str) -> Result<(), Error> {
        if self.phase != HostedPhase::AwaitingRedirect {
            return Err(Misuse::OutOfOrder.into());
        }
        match read_redirect(url, self.state.as_str()) {
            Ok(code) => {
                self.code = Some(code);
                self.phase = HostedPhase::CodeReceived;
                Ok(())
            }
            Err(e @ Error::OAuth(_)) => {
                self.phase = HostedPhase::Done;
                Err(e)
            }
            Err(e) => Err(e),
        }
    }

    /// Writes the `authorization_code` token request into `buf` (again, to resend it where
    /// its [`resend`](OAuthRequest::resend) allows).
    pub fn write_token_request<'b>(
        &mut self,
        buf: &'b mut [u8],
    ) -> Result<OAuthRequest<'b>, Error> {
        let (HostedPhase::CodeReceived | HostedPhase::TokenRequested, Some(code)) =
            (self.phase, self.code.as_ref())
        else {
            return Err(Misuse::OutOfOrder.into());
        };
        let request = TokenRequest {
            client: self.client(),
            grant: Grant::AuthorizationCode {
                code: code.as_str(),
                redirect_uri: &self.redirect_uri,
                code_verifier: self.verifier.as_str(),
            },
        }
        .write(buf)?;
        self.phase = HostedPhase::TokenRequested;
        Ok(request)
    }

    /// Reads the token reply: the tokens, borrowed from the reply.
    ///
    /// With `openid` among the scopes the reply must carry an ID token whose `nonce` claim is
    /// this sign-in's ([`ProtocolError::NonceMismatch`] otherwise); its payload is decoded into
    /// `scratch` ([`Error::BufferTooSmall`] says how large it must be, and the reply may be
    /// handed over again with a larger one). [`Error::OAuth`] when the domain refused the code.
    pub fn handle_token_reply<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        scratch: &mut [u8],
    ) -> Result<AuthenticationResult<'r>, Error> {
        if self.phase != HostedPhase::TokenRequested {
            return Err(Misuse::OutOfOrder.into());
        }
        let tokens = match read_token_reply(response) {
            Ok(tokens) => tokens,
            Err(e) => {
                self.end();
                return Err(e);
            }
        };
        if self.scopes().contains("openid") {
            match self.check_nonce(tokens.id_token, scratch) {
                Err(e @ Error::BufferTooSmall(_)) => return Err(e),
                Err(e) => {
                    self.end();
                    return Err(e);
                }
                Ok(()) => {}
            }
        }
        self.end();
        Ok(tokens)
    }

    fn check_nonce(&self, id_token: Option<&str>, scratch: &mut [u8]) -> Result<(), Error> {
        let id_token = id_token.ok_or(ProtocolError::MissingField("id_token"))?;
        let jwt = Jwt::parse(id_token).map_err(|_| ProtocolError::InvalidField("id_token"))?;
        let needed = jwt
            .payload_len()
            .map_err(|_| ProtocolError::InvalidField("id_token"))?;
        let buf = scratch
            .get_mut(..needed)
            .ok_or(crate::error::BufferTooSmall { required: needed })?;
        let claims = jwt
            .claims(buf)
            .map_err(|_| ProtocolError::InvalidField("id_token"))?;
        let nonce = claims
            .get("nonce")
            .and_then(|v| v.as_str())
            .ok_or(ProtocolError::NonceMismatch)?;
        let expected = self.nonce.as_str();
        // Constant time in the content, like the state check.
        let mut diff = u8::from(nonce.decoded_len() != expected.len());
        let mut expected_chars = expected.chars();
        for c in nonce.chars() {
            diff |= u8::from(Some(c) != expected_chars.next());
        }
        buf.iter_mut().for_each(|b| *b = 0);
        if core::hint::black_box(diff) == 0 {
            Ok(())
        } else {
            Err(ProtocolError::NonceMismatch.into())
        }
    }

    fn end(&mut self) {
        self.phase = HostedPhase::Done;
        self.code = None;
    }
}

impl fmt::Debug for HostedSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HostedSignIn")
            .field("client_id", &self.client_id.as_str())
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_uri", &self.redirect_uri.as_str())
            .field("scopes", &self.scopes.as_str())
            .field("phase", &self.phase)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use base64ct::{Base64UrlUnpadded, Encoding};
    use rand::SeedableRng;

    use super::*;
    use crate::oauth::{OAuthErrorKind, Pairs};

    fn started(scopes: &'static str) -> (HostedSignIn, String, String) {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let sign_in = HostedSignIn::new(
            OAuthClient::confidential("client", "secret"),
            "http://127.0.0.1:8400/callback",
            Scopes::new(scopes),
            &mut rng,
        )
        .unwrap();
        let domain = PoolDomain::parse("http://127.0.0.1:9229").unwrap();
        let mut buf = [0u8; 1024];
        let url = sign_in
            .authorize_url(&domain, AuthorizeOptions::default(), &mut buf)
            .unwrap();
        let query = Pairs::new(url.split_once('?').unwrap().1);
        let value = |name| {
            let mut out = [0u8; 256];
            query
                .unique(name)
                .unwrap()
                .unwrap()
                .decode_into(&mut out)
                .unwrap()
                .to_owned()
        };
        assert_eq!(
            value("code_challenge"),
            sign_in.verifier.challenge().as_str()
        );
        (sign_in, value("state"), value("nonce"))
    }

    fn id_token(nonce: &str) -> String {
        let payload = format!(r#"{{"sub":"s","token_use":"id","nonce":"{nonce}"}}"#);
        format!(
            "eyJhbGciOiJSUzI1NiJ9.{}.c2ln",
            Base64UrlUnpadded::encode_string(payload.as_bytes())
        )
    }

    fn reply(id_token: &str) -> String {
        format!(
            r#"{{"id_token":"{id_token}","access_token":"a.b.c","refresh_token":"r","expires_in":3600,"token_type":"Bearer"}}"#
        )
    }

    #[test]
    fn the_whole_flow() {
        let (mut sign_in, state, nonce) = started("openid email");
        assert_eq!(
            sign_in.accept_redirect("/callback?code=c&state=other"),
            Err(Error::Protocol(ProtocolError::StateMismatch))
        );
        assert_eq!(
            sign_in.phase(),
            HostedPhase::AwaitingRedirect,
            "still waiting"
        );
        sign_in
            .accept_redirect(&format!("/callback?code=the-code&state={state}"))
            .unwrap();
        let mut buf = [0u8; 512];
        let request = sign_in.write_token_request(&mut buf).unwrap();
        let body = core::str::from_utf8(request.body).unwrap();
        assert!(body.starts_with("grant_type=authorization_code&code=the-code&redirect_uri="));
        assert!(body.ends_with(&format!("&code_verifier={}", sign_in.verifier.as_str())));
        assert_eq!(request.authorization, Some("Basic Y2xpZW50OnNlY3JldA=="));

        let body = reply(&id_token(&nonce));
        let response = HttpResponse::new(200, body.as_bytes());
        assert!(matches!(
            sign_in.handle_token_reply(&response, &mut [0u8; 8]),
            Err(Error::BufferTooSmall(_))
        ));
        let tokens = sign_in
            .handle_token_reply(&response, &mut [0u8; 256])
            .unwrap();
        assert_eq!(
            (tokens.access_token, tokens.refresh_token),
            ("a.b.c", Some("r"))
        );
        assert_eq!(sign_in.phase(), HostedPhase::Done);
        assert!(sign_in.write_token_request(&mut buf).is_err());
    }

    #[test]
    fn a_foreign_nonce_or_missing_id_token_is_refused() {
        for (token, expected) in [
            (Some(id_token("someone-else")), ProtocolError::NonceMismatch),
            (Some(id_token("")), ProtocolError::NonceMismatch),
            (None, ProtocolError::MissingField("id_token")),
            (
                Some("not-a-jwt".into()),
                ProtocolError::InvalidField("id_token"),
            ),
        ] {
            let (mut sign_in, state, _) = started("openid");
            sign_in
                .accept_redirect(&format!("/cb?code=c&state={state}"))
                .unwrap();
            sign_in.write_token_request(&mut [0u8; 512]).unwrap();
            let body = match &token {
                Some(t) => reply(t),
                None => r#"{"access_token":"a","expires_in":1,"token_type":"Bearer"}"#.into(),
            };
            let result = sign_in
                .handle_token_reply(&HttpResponse::new(200, body.as_bytes()), &mut [0u8; 256]);
            assert_eq!(result.unwrap_err(), Error::Protocol(expected));
            assert_eq!(sign_in.phase(), HostedPhase::Done);
        }
    }

    #[test]
    fn without_openid_no_id_token_is_needed() {
        let (mut sign_in, state, _) = started("aws.cognito.signin.user.admin");
        sign_in
            .accept_redirect(&format!("/cb?code=c&state={state}"))
            .unwrap();
        sign_in.write_token_request(&mut [0u8; 512]).unwrap();
        let body =
            br#"{"access_token":"a","refresh_token":"r","expires_in":1,"token_type":"Bearer"}"#;
        assert!(
            sign_in
                .handle_token_reply(&HttpResponse::new(200, body), &mut [])
                .is_ok()
        );
    }

    #[test]
    fn a_refusal_ends_the_sign_in() {
        let (mut sign_in, state, _) = started("openid");
        let Err(Error::OAuth(e)) =
            sign_in.accept_redirect(&format!("/cb?error=access_denied&state={state}"))
        else {
            panic!()
        };
        assert_eq!(e.kind(), OAuthErrorKind::AccessDenied);
        assert_eq!(sign_in.phase(), HostedPhase::Done);

        let (mut sign_in, state, _) = started("openid");
        sign_in
            .accept_redirect(&format!("/cb?code=c&state={state}"))
            .unwrap();
        sign_in.write_token_request(&mut [0u8; 512]).unwrap();
        let refused = HttpResponse::new(400, br#"{"error":"invalid_grant"}"#);
        assert!(matches!(
            sign_in.handle_token_reply(&refused, &mut []),
            Err(Error::OAuth(_))
        ));
        assert_eq!(sign_in.phase(), HostedPhase::Done);
        assert!(!format!("{sign_in:?}").contains("secret\""));
    }
}
