//! Sans-IO, `no_std`, heap-free client core for Amazon Cognito user pools.
//!
//! (crate documentation is completed below)
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod auth;
pub mod error;
pub mod secret_hash;
pub mod srp;
pub mod time;
pub mod wire;

pub use error::{BufferTooSmall, Error, Misuse, ProtocolError};
pub use secret_hash::SecretHash;
