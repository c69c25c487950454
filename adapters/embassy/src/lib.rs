//! Runs `cognito-core` on a microcontroller: its flows and calls over any `embedded_io_async`
//! connection, with no heap.
//!
//! * [`client::Client`]: the core's sign-in, device SRP, refresh, device registration and every
//!   account operation over one kept-alive connection, in the caller's buffers; each attempt
//!   bounded by a timeout on the embassy clock; a failed request sent again only where the core
//!   allows ([`cognito_core::wire::Resend`]).
//! * [`connect::Connect`]: where connections come from: [`tls::TlsConnect`] (feature `tls`)
//!   over embassy-net / any `embedded_nal_async` stack, verifying the pool's certificate chain
//!   to the Amazon Trust Services roots; a board's own TLS stack (any
//!   `embedded_io_async::{Read, Write}` connection); or [`connect::InsecurePlaintextTcp`] for an
//!   emulator on a trusted network — it verifies nothing, as its name says.
//! * [`http`]: HTTP/1.1 for one exchange: the core's request (a JSON-API request, or a form post
//!   to the pool domain), the reply read with `httparse` (`Content-Length`, chunked bodies,
//!   `x-amzn-ErrorType`, `Date`), a reply larger than its buffer a typed error, never a
//!   truncated parse.
//! * [`oauth::ClientCredentials`]: machine-to-machine access tokens from the pool domain (a
//!   device that is an app client, not a user): the client-credentials grant over its own
//!   kept-alive connection to the domain, the token kept and returned until shortly before it
//!   expires, renewed then; the domain's refusals as `cognito_core::Error::OAuth`.
//! * [`identity::IdentityPool`]: AWS credentials from an identity pool for the signed-in user
//!   (or a guest): `GetId` once (the identity id kept, and saved with the [`store`]), then
//!   `GetCredentialsForIdentity`, the credentials kept until shortly before they expire.
//! * [`clock`]: the time for the SRP `TIMESTAMP` and tokens' expiry: the caller's RTC, or the
//!   pool's `Date` header.
//! * [`store`]: what a device keeps across reboots (username, refresh token, remembered
//!   device) on NOR flash, in two power-loss-safe slots.
//!
//! The adapter moves bytes; which challenge means what and what may be resent are the core's
//! decisions (see `cognito_core::exchange`).
//!
//! # Memory
//!
//! The caller lends the buffers: a request buffer (4 KiB holds every request) and a reply buffer
//! (8–16 KiB for replies that carry tokens: Cognito's access tokens are about 1 KB, id tokens
//! 1.7 KB and more with custom attributes, refresh tokens 1.7–1.9 KB). The client adds a
//! 384-byte request head and its connection; the flows keep their state in capacities the
//! firmware chooses (`cognito_core::capacity`: a default `SignIn` is about 19 KiB, one with
//! `Limits<2048, 2048, 64, 64, 0, 2048>` about 2.5 KiB); the flash store needs 272 bytes plus the
//! value it loads (about 5 KiB with the default capacities). A client-credentials token source
//! ([`oauth::ClientCredentials`]) keeps its own buffers (1 KiB for the request and its head,
//! 4 KiB for the reply), its connection, and the token (4 KiB by default); an identity pool's
//! credentials ([`identity::IdentityPool`]) 4 KiB each for the request and the reply, its
//! connection, and the credentials (about 2.3 KiB by default).
//!
//! With the `tls` feature, the TLS layer adds two record buffers (16.7 KiB in, 4 KiB out) and
//! needs a global allocator for rustls: see [`tls`](crate::tls#memory).
//!
//! # Features
//!
//! * `tls`: [`tls::TlsConnect`], rustls 0.23 with our certificate verifier and a RustCrypto
//!   provider. Needs `alloc` and atomic compare-and-swap (Cortex-M3 and up: not thumbv6m, where
//!   a board brings its own TLS through [`connect::Connect`]). Without it the crate needs
//!   neither `alloc` nor `std`.
//! * `srp-umaal`: `srp_umaal::UMAAL`, the core's SRP arithmetic in Cortex-M assembly (a
//!   sign-in's online step in about 45 M instructions instead of 90 M on a Cortex-M4, 200 M on
//!   a Cortex-M33), on `thumbv7em-*` (Cortex-M4/M7) and `thumbv8m.main-*` (Cortex-M33/M35P
//!   with the DSP extension) targets. The module exists only there.
#![no_std]
// Denied, not forbidden: `srp_umaal` (feature `srp-umaal`) calls its assembly and allows it
// there alone; everything else is safe Rust.
#![deny(unsafe_code)]
// The docs link the `tls` module's items, which exist only with the feature (CI documents
// with all features).
#![cfg_attr(not(feature = "tls"), allow(rustdoc::broken_intra_doc_links))]

#[cfg(feature = "tls")]
extern crate alloc;

pub mod client;
pub mod clock;
pub mod connect;
pub mod error;
pub mod http;
pub mod identity;
pub mod oauth;
#[cfg(cognito_srp_umaal)]
pub mod srp_umaal;
pub mod store;
#[cfg(feature = "tls")]
pub mod tls;

pub use cognito_core as core;
