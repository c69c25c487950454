//! The JWTs a sign-in returns: reading their claims, keeping them, knowing when to refresh.
//!
//! * [`Jwt`] / [`decode_claims`]: split a token and base64url-decode its payload into a caller
//!   buffer, **without verifying the signature** (verify against the pool's JWKS before trusting
//!   claims for authorization decisions; a client reading its own tokens from Cognito over TLS
//!   usually does not need to).
//! * [`Claims`]: typed accessors over the decoded payload (`sub`, `exp`, `cognito:groups`, …).
//! * [`TokenSet`]: owned access, id and refresh tokens in fixed-capacity storage, wiped on drop.
//! * [`Expiry`]: token lifetime on the *local* clock, corrected for the device's clock drift.
//!
//! Tokens are input from the caller, so failures are a [`TokenError`] rather than a
//! [`crate::Error`].

mod claims;
mod error;
mod expiry;
mod jwt;
mod token_set;

pub use claims::{Claims, TokenUse};
pub use error::TokenError;
pub use expiry::{Expiry, clock_drift, server_to_local};
pub use jwt::{Jwt, decode_claims};
pub use token_set::{
    DEFAULT_MAX_ACCESS_TOKEN_LEN, DEFAULT_MAX_ID_TOKEN_LEN, DEFAULT_MAX_REFRESH_TOKEN_LEN,
    MAX_DEVICE_KEY_LEN, MAX_TOKEN_TYPE_LEN, TokenSet,
};
