//! The time-based helpers, in one test binary: [`http_date`] (the HTTP `Date` header, a clock
//! for devices without an RTC, and its agreement with the SRP `TIMESTAMP`) and [`totp`]
//! (time-based one-time passwords for software-token MFA). Neither needs the others' fixtures;
//! they share a binary because both are small. Run one with a filter, e.g.
//! `cargo test -p cognito-core --test time totp::`.

// Test code: a failed unwrap or index is a failed test, which is the point; the oracles are std.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod http_date;
mod totp;
