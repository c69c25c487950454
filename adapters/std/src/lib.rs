//! std adapter for `cognito-core`: drives the sans-IO flows over HTTP (reqwest), persists sessions and
//! ships the `cognito` command-line tool.
//!
//! Work in progress: the transport lands with the std-adapter issue; today this crate re-exports the core.
#![forbid(unsafe_code)]

pub use cognito_core as core;
