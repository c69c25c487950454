//! Benchmarks only: see `benches/srp.rs` and `scripts/bench.sh`.
//!
//! This crate stands outside the repository's workspace so that the OpenSSL comparison (which
//! needs libssl-dev and pkg-config) never becomes a requirement of building the workspace.
#![no_std]
