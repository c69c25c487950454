//! Tests of the whole provider: handshakes with rustls' ring provider on the other side, record
//! protection against ring's, and signatures against ring's verifiers and webpki's path building.

mod fixtures;
mod handshake;
mod records;
mod signatures;
