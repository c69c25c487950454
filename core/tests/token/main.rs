//! Tokens (`cognito_core::token`), in one test binary: one link instead of one per file. Run one
//! area with a filter, e.g. `cargo test -p cognito-core --test token expiry::`.
//!
//! - [`jwt`]: JWT payload decoding and claim accessors, malformed tokens, no panics;
//! - [`set`]: the owned token set, from a sign-in result to a refresh, its capacities and `Debug`;
//! - [`expiry`]: expiry under clock drift.

// Test code: a failed unwrap or index is a failed test, which is the point; the oracles
// (serde_json, base64ct's alloc API) are std.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod expiry;
mod jwt;
mod set;
