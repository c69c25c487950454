//! The account operations (`cognito_core::account`), every one a [`cognito_core::Call`], in
//! one test binary: one link instead of one per file. Run one area with a filter, e.g.
//! `cargo test -p cognito-core --test account devices::`.
//!
//! Each module checks its operations' request bodies (with and without an app-client secret),
//! replies, Cognito's errors, the caller mistakes refused up front, and small buffers:
//!
//! - [`sign_up`]: `SignUp`, `ConfirmSignUp`, `ResendConfirmationCode`;
//! - [`password`]: `ForgotPassword`, `ConfirmForgotPassword`, `ChangePassword`;
//! - [`user`]: `GetUser`, `GetUserAuthFactors`, attribute updates and verification, `DeleteUser`;
//! - [`mfa`]: `SetUserMFAPreference`, `SetUserSettings`, `AssociateSoftwareToken`,
//!   `VerifySoftwareToken`;
//! - [`devices`]: `ConfirmDevice`, `GetDevice`, `ListDevices`, `ForgetDevice`,
//!   `UpdateDeviceStatus`;
//! - [`session`]: `GlobalSignOut`, `RevokeToken`, `UpdateAuthEventFeedback`;
//! - [`webauthn`]: passkey registration, listing and deletion;
//! - [`resend`]: which requests may be resent after a failure (only the reads);
//! - [`garbage`]: arbitrary reply bytes never make a reply reader panic.
//!
//! [`support`] holds the app clients, helpers and botocore's error lists they share.

// Test code: a failed unwrap or index is a failed test, which is the point; the oracles
// (serde_json, collections) are std.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::float_cmp,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod devices;
mod garbage;
mod mfa;
mod password;
mod resend;
mod session;
mod sign_up;
mod support;
mod user;
mod webauthn;
