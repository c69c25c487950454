//! Support code for cross-crate tests: an in-memory Cognito user-pool emulator.
//!
//! - [`pool`]: [`pool::UserPool`], a deterministic emulator of the user-pool JSON API (the server
//!   side), honest enough to catch client bugs (SRP, TIMESTAMP format, SECRET_HASH, Sessions,
//!   devices).
//! - [`http`]: [`http::EmulatorServer`] serves a pool over HTTP/1.1 (loopback), plain or over TLS:
//!   the JSON API, the hosted UI's OAuth 2.0 endpoints (`/oauth2/*`, `/login`, `/logout`) and
//!   test endpoints under `/_emulator/`; the `cognito-emulator` binary runs it from the command
//!   line.
//! - [`pki`]: a test PKI (root, intermediate, server leaf, and the bad certificates a verifying
//!   client must refuse) for the emulator over TLS.
//! - [`srp`]: a small num-bigint reference implementation of Cognito's SRP, used by the emulator
//!   and usable as a property-test / benchmark baseline. Variable-time: test use only.
//! - [`timestamp`]: Cognito's `TIMESTAMP` format, written and strictly parsed.
//! - [`totp`]: RFC 6238 TOTP (HMAC-SHA1, 30 s, 6 digits) and base32, for software-token MFA.
//! - [`urlencoded`]: `application/x-www-form-urlencoded` and percent-encoding, for the hosted-UI
//!   endpoints (OAuth 2.0) of the emulator and the clients that test them.
//! - [`fixtures`]: what the HTTP clients' tests share (a pool with one app client, recorded
//!   operations, sent and TOTP codes, a scripted loopback server that throttles or cuts replies),
//!   [`fixtures::raw_client`], the num-bigint JSON client the emulator's own tests drive it
//!   with, [`fixtures::driver`], which drives `cognito-core`'s flows against a pool through
//!   one in-memory loop (quinn's `Pair`), and [`fixtures::browser`], a scripted browser for the
//!   hosted UI (also the `scripted-browser` binary, usable as `$BROWSER`).
//! - [`secrets`]: checks that `Debug` and `Display` keep secrets out, and each crate's list of
//!   the public types that hold secrets, kept complete by a scan of its source.
//!
//! Only [`fixtures::driver`] uses `cognito-core`, as the client under test: the emulator shares
//! no code with it, an independent implementation so that it can check the client.

#![forbid(unsafe_code)]

extern crate alloc;

pub mod fixtures;
pub mod http;
pub mod pki;
pub mod pool;
pub mod secrets;
pub mod srp;
pub mod timestamp;
pub mod totp;
pub mod urlencoded;
