//! The std adapter over real HTTP on loopback, against the emulator (one test binary, linked
//! once; run one area with a filter, e.g. `cargo test -p cognito-std --test http faults::`):
//!
//! * [`client`]: the async client — SRP with a skewed server clock, MFA through
//!   `PendingSignIn`, devices, refresh, throttling, the file store;
//! * [`blocking`]: every operation of the blocking client;
//! * [`flows`]: every sign-in path answered through `SignInStep`s, refresh-token rotation, the
//!   account operations, and remembered devices found by any name the user types;
//! * [`faults`]: what is sent again after which failure, as the core decides;
//! * [`identity`]: AWS credentials from an identity pool (`fetch_auth_session`, guests)
//!   against canned replies: the exact requests, the cache, renewal and typed errors;
//! * [`oauth`]: the pool domain's endpoints (hosted UI, refresh, revoke, userInfo, client
//!   credentials and their cache) against canned replies, and against the emulator's domain
//!   (hosted UI through the scripted browser, client credentials);
//! * [`wire`]: endpoints (no cleartext off the machine), redirects never followed, reply size
//!   limits, and any reply read as the core reads its bytes.
//! * [`verify`]: the token verifier against a key set on loopback (rotation, rate limit, cache).
//! * [`secrets`]: no `Debug` output shows a secret (every secret-bearing type, filled with
//!   marker secrets), and what is zeroized;
//! * [`support`]: what they share (quick retries).
//!
//! `session_file` (runs itself twice as separate processes) and `moto` (needs a moto server)
//! stay binaries of their own.

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

mod blocking;
mod client;
mod faults;
mod flows;
mod identity;
mod oauth;
mod secrets;
mod support;
mod verify;
mod wire;
