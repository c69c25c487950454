//! The checks behind the cargo-fuzz targets in `fuzz/`: one `pub fn <target>(data: &[u8])` per
//! target, which feeds the input to the parsers of peer data it drives and asserts what must
//! hold (agreement with a reference reader, a round trip, a state machine's consistency). A
//! failed check panics, which libFuzzer reports as a crash.
//!
//! `fuzz/fuzz_targets/<target>.rs` only calls the function; this crate is a workspace member,
//! built on stable, and its test (`tests/seeds.rs`) replays every file of `fuzz/seeds/<target>/`
//! and `fuzz/regressions/<target>/` through it. `fuzz/README.md` lists the targets, their input
//! formats and their invariants.
//!
//! The references are independent of the core's code: serde_json for JSON ([`json_ref`]), the
//! rules of `DESIGN.md` and the core's documentation for replies ([`reply_ref`],
//! [`auth_ref`]), num-bigint for SRP, RustCrypto's HMAC for TOTP, simple re-implementations for
//! dates and base32, percent-encoding, query strings and base64 ([`oauth_ref`]).
// A fuzz harness signals a failed check by panicking, and indexes inputs it has just checked.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc
)]

pub mod auth_ref;
pub mod json_ref;
pub mod oauth_ref;
pub mod reply_ref;

mod account_replies;
mod auth_reply;
mod challenge;
mod challenge_walk;
mod device_registration;
mod embassy_http;
mod http_date;
mod identity_reply;
mod json_parse;
mod jwt_verify;
mod oauth_redirect;
mod oauth_reply;
mod sign_in;
mod srp_claim;
mod srp_sign_in;
mod token;
mod totp;

pub use account_replies::account_replies;
pub use auth_reply::auth_reply;
pub use challenge::challenge;
pub use device_registration::device_registration;
pub use embassy_http::embassy_http;
pub use http_date::http_date;
pub use identity_reply::identity_reply;
pub use json_parse::json_parse;
pub use jwt_verify::jwt_verify;
pub use oauth_redirect::oauth_redirect;
pub use oauth_reply::oauth_reply;
pub use sign_in::sign_in;
pub use srp_claim::srp_claim;
pub use srp_sign_in::srp_sign_in;
pub use token::token;
pub use totp::totp;

/// A target's harness: checks one input, panics when a check fails.
pub type Harness = fn(&[u8]);

/// Every target: its name (the directory names under `fuzz/seeds/` and `fuzz/regressions/`)
/// and its harness.
pub const TARGETS: &[(&str, Harness)] = &[
    ("json_parse", json_parse),
    ("auth_reply", auth_reply),
    ("srp_sign_in", srp_sign_in),
    ("sign_in", sign_in),
    ("srp_claim", srp_claim),
    ("account_replies", account_replies),
    ("device_registration", device_registration),
    ("challenge", challenge),
    ("token", token),
    ("http_date", http_date),
    ("totp", totp),
    ("embassy_http", embassy_http),
    ("oauth_redirect", oauth_redirect),
    ("oauth_reply", oauth_reply),
    ("identity_reply", identity_reply),
    ("jwt_verify", jwt_verify),
];
