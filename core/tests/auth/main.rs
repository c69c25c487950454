//! Sign-in, refresh and device registration (`cognito_core::auth`), the flows of the core, in one
//! test binary: one link instead of one per file. Every flow is driven with scripted server
//! replies (and the public reference vectors where SRP values matter); the tests check the exact
//! requests written, the steps handed over, and what a misbehaving server gets. Run one area with
//! a filter, e.g. `cargo test -p cognito-core --test auth refresh::`.
//!
//! - [`flows`]: every sign-in flow and challenge answer, refused answers, devices;
//! - [`srp`]: the SRP sign-in against malicious, broken and out-of-order input;
//! - [`challenge_kind`]: what a challenge asks for, decoded from hand-written replies;
//! - [`capacity`]: what the flows keep between steps, and how large they are;
//! - [`owned`]: flows own their inputs, and `ClientMetadata` reaches every request;
//! - [`refresh`]: both refresh operations;
//! - [`device_registration`]: `ConfirmDevice`, then `UpdateDeviceStatus`, as one flow;
//! - [`resend`]: which of the flows' requests may be resent after a failure.
//!
//! [`support`] holds the app clients, scripted replies, vectors and drivers they share.

// Test code: a failed unwrap or index is a failed test, which is the point; the oracles
// (serde_json, num-bigint, files) are std.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod capacity;
mod challenge_kind;
mod device_registration;
mod flows;
mod owned;
mod refresh;
mod resend;
mod srp;
mod support;
