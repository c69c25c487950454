//! Sans-IO, `no_std`, heap-free client core for Amazon Cognito user pools.
//!
//! This crate speaks Cognito's user-pool JSON protocol without doing any I/O: every flow is a state
//! machine that *writes* request bodies into buffers you provide and *reads* the response bytes you
//! hand back. It never opens a socket, reads a clock or draws randomness by itself; time and
//! randomness are arguments. That makes the same code run on a microcontroller, inside any async
//! runtime, under a fuzzer, and in deterministic tests (same inputs, same bytes out).
//!
//! Adapters do the I/O: `cognito-std` (reqwest) and `cognito-embassy` (embassy-net with TLS).
//!
//! # The run loop
//!
//! Every flow and call has one shape, and an adapter keeps one invariant, both written down in
//! [`exchange`]: a request is written into your buffer, you send exactly that, and its reply
//! says what comes next (another request, a challenge for the caller, or the result). Whether a
//! request that failed may be sent again is decided here too ([`wire::Resend`]).
//!
//! ```no_run
//! use cognito_core::auth::{Answer, ChallengeKind, ClientConfig, SignIn, Step};
//! use cognito_core::srp::SrpEphemeral;
//! use cognito_core::time::UnixTime;
//! use cognito_core::wire::{HttpResponse, Request};
//!
//! /// Your transport: POST the body to the pool's endpoint with
//! /// `X-Amz-Target: request.operation.target()` and
//! /// `Content-Type: application/x-amz-json-1.1`, put the reply body into `reply`, return
//! /// (status, body length). Resend only as `request.resend` allows.
//! fn post(request: &Request<'_>, reply: &mut [u8]) -> (u16, usize) {
//!     unimplemented!()
//! }
//! fn unix_now() -> u64 { unimplemented!() }
//! fn ask_user(prompt: &str) -> heapless::String<16> { unimplemented!() }
//!
//! # fn main() -> Result<(), cognito_core::Error> {
//! # let mut rng = rand_core::OsRng;
//! let config = ClientConfig::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado")?;
//! // A = g^a mod N is computed here, before any network round trip.
//! let ephemeral = SrpEphemeral::generate(&mut rng)?;
//! let mut sign_in: SignIn = SignIn::srp(&config, "alice", "correct horse", ephemeral)?;
//!
//! let (mut request_buf, mut reply_buf) = ([0u8; 4096], [0u8; 8192]);
//! let mut code = heapless::String::<16>::new();
//! let mut request = sign_in.write_request(&mut request_buf)?;
//! loop {
//!     let (status, len) = post(&request, &mut reply_buf);
//!     let reply = HttpResponse::new(status, &reply_buf[..len]);
//!     match sign_in.handle_response(&reply, UnixTime::from_secs(unix_now()))? {
//!         Step::SendRequest | Step::DeviceForgotten => {}
//!         Step::Authenticated(tokens) => {
//!             // tokens.access_token, tokens.id_token, tokens.refresh_token borrow `reply_buf`.
//!             break;
//!         }
//!         Step::Challenge(challenge) => match challenge.kind() {
//!             ChallengeKind::MfaCode { kind, .. } => code = ask_user(kind.challenge_name()),
//!             _ => break, // new password, MFA setup, …: see auth::ChallengeKind
//!         },
//!         Step::AnswerRefused(e) => code = ask_user(e.message()), // a wrong code: ask again
//!         _ => break,
//!     }
//!     request = if sign_in.awaits_answer() {
//!         sign_in.answer(&Answer::Code(&code), &mut request_buf)?
//!     } else {
//!         sign_in.write_request(&mut request_buf)?
//!     };
//! }
//! # Ok(()) }
//! ```
//!
//! # Modules
//!
//! * [`exchange`]: the [`Call`] and [`Flow`] traits every operation and flow implements, and the
//!   contract an adapter keeps.
//! * [`srp`]: SRP-6a exactly as Cognito does it, constant-time on crypto-bigint; device verifiers.
//! * [`auth`]: sign-in, refresh and device registration, and the values they hand over (typed
//!   challenges, tokens).
//! * [`account`]: sign-up, passwords, attributes, MFA settings, devices, passkeys, sign-out.
//! * [`wire`]: operations, requests and when they may be resent, the JSON reader and writer,
//!   HTTP/1.1 framing, Cognito errors.
//! * [`capacity`]: what the flows keep between steps, and how firmware makes it smaller.
//! * [`time`]: the caller's clock and the SRP `TIMESTAMP`.
//! * [`secret_hash`]: `SECRET_HASH` for app clients with a secret.
//! * [`rng`]: which RNG traits the core takes.
//! * [`token`]: JWT claims, an owned token set, drift-corrected expiry; verifying a pool's tokens
//!   against its JWKS (claim checks heap-free; RS256 signatures with the feature `rs256`).
//! * [`http_date`]: the HTTP `Date` header to unix time and back (a clock for RTC-less devices).
//! * [`identity`]: identity pools: `GetId`, `GetCredentialsForIdentity`, `GetOpenIdToken`
//!   (temporary AWS credentials for a signed-in user or a guest).
//! * [`oauth`]: the pool domain's OAuth 2.0 endpoints: hosted-UI sign-in with PKCE, client
//!   credentials, refresh, revocation, userInfo, logout.
//! * [`totp`]: RFC 6238 TOTP codes and `otpauth://` URIs for software-token MFA.
//!
//! # Errors
//!
//! [`Error`] says whose fault a failure is: [`Error::Service`] (Cognito said no, with its exception
//! name and message), [`Error::OAuth`] (the pool domain's OAuth endpoints said no, with the OAuth
//! error code and description), [`Error::Protocol`] (the peer sent something malformed or unsafe),
//! [`Error::Misuse`] (the caller), [`Error::BufferTooSmall`] (with the size needed; nothing was
//! written). No input of any kind panics: the crate denies `unwrap`, `expect`, `panic!` and
//! unchecked indexing outside tests, and fuzz targets drive every parser. [`bad_input`] lists
//! over a hundred malformed and hostile inputs, by class, with the error each gives (each row
//! is a test).
//!
//! # Memory
//!
//! No heap. Outputs go into caller buffers; replies are read in place (tokens and challenge
//! parameters borrow the reply buffer). A flow owns copies of its inputs and of what it keeps
//! between steps, in fixed-capacity storage whose sizes a type parameter chooses
//! ([`capacity::Limits`]): the defaults ([`capacity::DefaultLimits`], twice what Cognito allows
//! or has been seen to send) make a [`auth::SignIn`] about 19 KiB, and firmware that picks
//! smaller capacities gets a smaller flow. A [`token::TokenSet`] with its default capacities is
//! about 20 KiB.
//!
//! # Secrets and constant time
//!
//! The SRP secret `a`, the password hash `x`, `g^x`, the exponent `a + u·x`, the premaster secret
//! `S`, the HKDF key and the device password are zeroized when dropped, as are the secrets a flow
//! keeps (password, `Session`, `SECRET_BLOCK`, refresh and access tokens: also when replaced).
//! No `Debug` output shows a password, token, code, `Session`, TOTP secret, client secret or SRP
//! secret: they print as `<redacted>`, and request and reply bodies as their length. All arithmetic on them
//! uses crypto-bigint's constant-time Montgomery exponentiation over a fixed exponent width (1024
//! bits for `a`, 256 for `x`, 1025 for `a + u·x`); only those public widths show in timing.
//!
//! # Dependencies, and why these versions
//!
//! Firmware that signs in to Cognito also links a TLS stack, and a second copy of SHA-256 or a
//! second RNG trait generation costs flash and glue code. So the crypto crates are chosen to match
//! what embedded TLS and the HALs use today:
//!
//! * **sha2 0.10 / hmac 0.12** (the `digest` 0.10 generation): the same as embedded-tls, so the
//!   firmware carries one SHA-256. (sha2 0.11 / hmac 0.13 move to `digest` 0.11.)
//! * **rand_core 0.6**: the `RngCore + CryptoRng` traits that embedded-tls, rand 0.8 and the RNG
//!   drivers of embassy-rp, embassy-stm32, embassy-nrf and esp-hal implement, so their RNGs are
//!   passed in directly. RNGs on rand_core 0.9 work through `rng::Rng09` (feature
//!   `rand_core_09`), and every random input can also be given as raw bytes.
//! * **crypto-bigint 0.7** with default features off: constant-time, heap-free Montgomery
//!   arithmetic with the modulus fixed at compile time (`ConstMontyForm`); its own `rand_core`
//!   integration is not enabled, so it pulls in no second RNG trait generation.
//! * **base64ct**: constant-time base64, because it encodes and decodes secret-bearing values.
//! * **heapless 0.9** for fixed-capacity strings, **zeroize** for wiping secrets.
//!
//! # Features
//!
//! | feature        | default | what it adds                                     | `no_std`, no heap |
//! |----------------|---------|--------------------------------------------------|-------------------|
//! | `rand_core_09` | no      | `rng::Rng09`, for RNGs implementing rand_core 0.9 | yes            |
//! | `rs256`        | no      | `token::verify`: RS256 signatures of a pool's tokens (`rsa` crate) | `no_std`, needs `alloc` |
#![cfg_attr(not(test), no_std)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

pub mod account;
pub mod auth;
#[doc = include_str!("../docs/bad-input.md")]
pub mod bad_input {}
pub mod capacity;
pub mod error;
pub mod exchange;
pub mod http_date;
pub mod identity;
pub mod oauth;
mod redact;
pub mod rng;
pub mod secret_hash;
pub mod srp;
pub mod time;
pub mod token;
pub mod totp;
pub mod wire;

pub use error::{BufferTooSmall, Error, Misuse, ProtocolError};
pub use exchange::{Call, Flow};
pub use secret_hash::SecretHash;

/// The README's examples compile as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
struct ReadmeDoctests;

/// The `rand_core` version the core's RNG-taking APIs use (0.6).
pub use rand_core;
