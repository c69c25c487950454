//! The emulator's own tests, in one test binary: they drive `cognito_tests::pool::UserPool` (and
//! the `cognito-emulator` binary) directly, without `cognito-core`, through the num-bigint JSON
//! client `cognito_tests::fixtures::raw_client`. One binary links once instead of once per file;
//! run one area with a filter, e.g. `cargo test -p cognito-tests --test emulator flows_`.
//!
//! The modules, beside this `main.rs` in `emulator/`, by area:
//!
//! - sign-in with USER_SRP_AUTH and devices: [`signin`], [`devices`]; the reference SRP against
//!   the captured client vectors: [`vectors`]; the wire layer: [`wire`];
//! - the other flows and challenges: [`flows_choice`] (USER_AUTH), [`flows_custom`],
//!   [`flows_mfa`], [`flows_password`], [`flows_refresh`], [`flows_totp`], and
//!   [`flows_garbage`] (no input makes a flow panic);
//! - the account operations: [`account_signup`], [`account_user`], [`account_devices`], and
//!   [`account_garbage`];
//! - RS256 tokens and the JWKS: [`jwks`]; identity pools (GetId, credentials): [`identity`];
//! - the `cognito-emulator` binary: [`http_binary`], and over TLS: [`tls_binary`] (both run it
//!   through [`binary`]);
//! - the emulator over TLS with the test PKI, against a verifying rustls client: [`tls`];
//! - the hosted UI (OAuth 2.0) over HTTP: [`oauth`]; from the command line
//!   (`scripted-browser`, `cognito-emulator`'s hosted-UI flags): [`oauth_binary`].
//!
//! The tests that drive `cognito-core` against the emulator are the `core_client` binary.

// Test code: a failed unwrap or index is a failed test, which is the point; `http_binary` runs
// a process and talks TCP, which only `std` does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc
)]

mod account_devices;
mod account_garbage;
mod account_signup;
mod account_user;
mod binary;
mod devices;
mod flows_choice;
mod flows_custom;
mod flows_garbage;
mod flows_mfa;
mod flows_password;
mod flows_refresh;
mod flows_totp;
mod http_binary;
mod identity;
mod jwks;
mod oauth;
mod oauth_binary;
mod signin;
mod tls;
mod tls_binary;
mod vectors;
mod wire;
