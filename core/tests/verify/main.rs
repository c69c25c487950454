//! Verifying a pool's tokens (`cognito_core::token::verify`, feature `rs256`), in one test
//! binary: tokens signed here with seeded RSA test keys.
//!
//! - [`support`]: the test keys, their JWKS, and a signer for any header and payload text;
//! - [`hostile`]: valid access and ID tokens, then every hostile token and key set, each with its
//!   own typed error;
//! - [`props`]: no input panics; a valid token with any one byte changed is refused.
//!
//! Run with `cargo test -p cognito-core --features rs256 --test verify`.
#![cfg(feature = "rs256")]
// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod hostile;
mod props;
mod support;
