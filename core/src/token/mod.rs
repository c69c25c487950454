//! The JWTs a sign-in returns: reading their claims, keeping them, knowing when to refresh.
//!
//! * [`Jwt`] / [`decode_claims`]: split a token and base64url-decode its payload into a caller
//!   buffer, **without verifying the signature** (verify against the pool's JWKS before trusting
//!   claims for authorization decisions; a client reading its own tokens from Cognito over TLS
//!   usually does not need to).
//! * [`Claims`]: typed accessors over the decoded payload (`sub`, `exp`, `cognito:groups`, …).
//! * [`TokenSet`]: owned access, id and refresh tokens in fixed-capacity storage, wiped on drop.
//! * [`Expiry`]: token lifetime on the *local* clock, corrected for the device's clock drift.
//! * Verifying a pool's tokens, as a server does: [`Jwks`] (the pool's key set, read in place),
//!   [`JwtHeader`] (only `RS256`), [`Expectations`] and [`check_claims`] (issuer, token use, app
//!   client, lifetime with leeway, scope, group; no heap), the pool's issuer in either
//!   [`IssuerFormat`] ([`which_issuer`] a token names) and [`jwks_path_of_pool`], and with the
//!   feature `rs256` `verify`, which checks the signature too (the `rsa` crate, which needs an
//!   allocator). Refusals are a [`VerifyError`].
//!
//! Tokens are input from the caller, so failures are a [`TokenError`] rather than a
//! [`crate::Error`].

mod claims;
mod error;
mod expectations;
mod expiry;
mod header;
mod issuer;
mod jwks;
mod jwt;
mod token_set;
#[cfg(feature = "rs256")]
mod verify;
mod verify_error;

pub use claims::{Claims, TokenUse};
pub use error::TokenError;
pub use expectations::{Expectations, ExpectedUse, check_claims};
pub use expiry::{Expiry, clock_drift, server_to_local};
pub use header::{JwtHeader, MAX_HEADER_LEN, RS256};
pub use issuer::{
    IssuerFormat, MAX_ISSUER_LEN, MAX_JWKS_PATH_LEN, issuer_of_pool, jwks_path_of_pool,
    which_issuer,
};
pub use jwks::{Jwk, Jwks, MAX_EXPONENT_LEN, MAX_MODULUS_LEN, MIN_MODULUS_LEN, RsaPublicKeyBytes};
pub use jwt::{Jwt, decode_claims};
pub use token_set::{
    DEFAULT_MAX_ACCESS_TOKEN_LEN, DEFAULT_MAX_ID_TOKEN_LEN, DEFAULT_MAX_REFRESH_TOKEN_LEN,
    MAX_DEVICE_KEY_LEN, MAX_TOKEN_TYPE_LEN, TokenSet,
};
#[cfg(feature = "rs256")]
pub use verify::verify;
pub use verify_error::VerifyError;
