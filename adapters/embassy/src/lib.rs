//! embassy adapter for `cognito-core`: drives the sans-IO flows over embassy-net / embedded-nal-async
//! with TLS, for microcontrollers.
//!
//! Work in progress: the transport lands with the embassy-adapter issue; today this crate re-exports the core.
#![no_std]
#![forbid(unsafe_code)]

pub use cognito_core as core;
