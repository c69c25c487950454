//! The pool domain's OAuth 2.0 endpoints, sans-IO: hosted-UI sign-in (authorization code with
//! PKCE), refresh, client credentials (machine to machine), revocation, userInfo and logout.
//!
//! They live on the pool's domain (`https://<prefix>.auth.<region>.amazoncognito.com` or a
//! custom domain: [`PoolDomain`]), not on the JSON API: requests are form posts and a GET
//! ([`OAuthRequest`], with its own [`write_http`](OAuthRequest::write_http) for raw
//! transports), and errors are OAuth bodies ([`OAuthError`], as [`crate::Error::OAuth`]).
//!
//! * [`HostedSignIn`]: the whole hosted-UI sign-in as a state machine (authorize URL out,
//!   redirect in with its `state` checked in constant time, code traded for tokens with the
//!   PKCE verifier, ID-token `nonce` checked), which a server may [`save`](HostedSignIn::save)
//!   while the browser is away and [`restore`](HostedSignIn::restore) in another process.
//! * The pieces it is made of, for callers that keep their own state: [`CodeVerifier`],
//!   [`RandomValue`] (state, nonce), [`Authorize`], [`read_redirect`], [`TokenRequest`] with a
//!   [`Grant`], [`read_token_reply`].
//! * [`Grant::ClientCredentials`] and [`ClientToken`]: a device or service that is a client,
//!   not a user, with a token kept until shortly before it expires.
//! * [`Revoke`], [`UserInfo`], [`Logout`].
//!
//! Tokens come back as an [`AuthenticationResult`](crate::auth::AuthenticationResult), the
//! same value a user-pool sign-in returns, so they go into the same sessions and token sets.
//! Each request says whether it may be resent ([`crate::wire::Resend`]): the code grant and
//! revocation only when they never left; refresh, client credentials and userInfo after any
//! transient failure.

mod authorize;
mod client;
mod client_token;
mod domain;
mod error;
mod hosted;
mod percent;
mod pkce;
mod redirect;
mod request;
mod revoke;
mod scopes;
mod token;
mod user_info;

pub use authorize::{Authorize, AuthorizeOptions, Logout};
pub use client::OAuthClient;
pub use client_token::{ClientToken, DEFAULT_RENEW_MARGIN_SECS};
pub use domain::PoolDomain;
pub use error::{MAX_OAUTH_DESCRIPTION_LEN, MAX_OAUTH_ERROR_LEN, OAuthError, OAuthErrorKind};
pub use hosted::{
    HostedPhase, HostedSignIn, MAX_CLIENT_FIELD_LEN, MAX_REDIRECT_URI_LEN,
    MAX_SAVED_HOSTED_SIGN_IN_LEN, MAX_SCOPES_LEN, redirect_state,
};
pub use percent::{Encoded, Pairs, is_unreserved};
pub use pkce::{
    CodeChallenge, CodeVerifier, GENERATED_LEN, MAX_RANDOM_VALUE_LEN, MAX_VERIFIER_LEN, RandomValue,
};
pub use redirect::{AuthorizationCode, MAX_CODE_LEN, read_redirect};
pub use request::{FORM_CONTENT_TYPE, OAuthEndpoint, OAuthRequest};
pub use revoke::Revoke;
pub use scopes::Scopes;
pub use token::{Grant, TokenRequest, read_token_reply};
pub use user_info::{UserInfo, UserInfoClaims};
