//! Runnable examples for `cognito-core`, and the reference-vector driver they share with tests.
//!
//! * `cargo run -p cognito-examples --example srp_vectors -- FILE` replays a vector file.

pub mod vectors;
