//! Runnable examples for `cognito-core`, and the reference-vector driver they share with tests.
//!
//! * `cargo run -p cognito-examples --example srp_vectors -- FILE` replays a vector file.
//! * `cargo run --release -p cognito-examples --example quickstart` walks a user through the std
//!   client against the emulated pool ([`quickstart`]).

// Host-side example code: std is the point, and serde_json's `Value` indexing returns `Null`
// instead of panicking.
#![allow(
    clippy::std_instead_of_core,
    clippy::indexing_slicing,
    clippy::large_enum_variant
)]

#[cfg(feature = "std-client")]
pub mod quickstart;
pub mod vectors;
