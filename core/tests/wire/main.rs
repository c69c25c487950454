//! The wire layer (`cognito_core::wire`), in one test binary: one link instead of one per file.
//! Run one area with a filter, e.g. `cargo test -p cognito-core --test wire json_read::`.
//!
//! - [`operation`]: operation names and `X-Amz-Target` values;
//! - [`http`]: pool ids, endpoints and HTTP/1.1 request framing;
//! - [`json_read`] / [`json_write`]: the JSON reader and writer, against serde_json;
//! - [`response`]: `read_response`, Cognito's errors in their spellings, odd statuses;
//! - [`string_list`]: lists of strings, as arrays or JSON inside a string;
//! - [`resend`]: `Resend::verdict`, whether a failed attempt may be sent again.

// Test code: a failed unwrap or index is a failed test, which is the point; the oracles
// (serde_json, collections) are std.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc,
    missing_docs
)]

mod http;
mod json_read;
mod json_write;
mod operation;
mod resend;
mod response;
mod string_list;
