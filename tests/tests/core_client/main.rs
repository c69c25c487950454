//! `cognito-core`, the client, against the emulator, in one test binary: every test drives the
//! core's flows and calls through the one in-memory loop of `cognito_tests::fixtures::driver`
//! (`Pair`), which writes each request, checks whether it may be resent, hands it to the pool
//! and the reply back to the flow, and keeps the transcript. Run one area with a filter, e.g.
//! `cargo test -p cognito-tests --test core_client flows::`.
//!
//! The modules, beside this `main.rs` in `core_client/`:
//!
//! - [`sign_in`]: whole SRP sign-ins, with an app-client secret and with a remembered device;
//! - [`flows`]: every sign-in flow and challenge, refresh, device opt-in;
//! - [`account`]: the account operations (sign-up, passwords, attributes, devices, sign-out);
//! - [`every_exchange`]: every flow and every account operation through the one loop, checked
//!   against `cognito_core::wire::Operation::ALL`;
//! - [`resend`]: the resend rule the driver checks, and lost, throttled and failed replies;
//! - [`secret_block`]: SECRET_BLOCKs of realistic, large and too-large sizes;
//! - [`http_server`]: the emulator over HTTP/1.1, with the pair's loop over a TCP connection;
//! - [`identity`]: identity pools (GetId, GetCredentialsForIdentity, GetOpenIdToken) after a sign-in;
//! - [`oauth`]: the pool domain's OAuth 2.0 endpoints (hosted UI, client credentials) over HTTP;
//! - [`support`]: what they share.

// Test code: a failed unwrap or index is a failed test, which is the point; `http_server` talks
// TCP, which only `std` does.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc
)]

mod account;
mod every_exchange;
mod flows;
mod http_server;
mod identity;
mod oauth;
mod resend;
mod secret_block;
mod sign_in;
mod support;
