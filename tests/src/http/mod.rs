//! The emulator over HTTP/1.1: [`EmulatorServer`] serves a [`UserPool`] on a TCP address
//! (loopback in tests), so real clients — the std adapter, firmware on a host, `curl` — can talk
//! to it the way they talk to `cognito-idp.{region}.amazonaws.com`.
//!
//! # Protocol
//!
//! - `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Operation>` and
//!   `Content-Type: application/x-amz-json-1.1` goes to [`UserPool::handle`]. The reply carries
//!   the pool's status, `Content-Type: application/x-amz-json-1.1`, `x-amzn-ErrorType` (errors),
//!   `x-amzn-RequestId` (a counter, deterministic), `Date` (RFC 7231 IMF-fixdate of the
//!   *emulator* clock: devices use it as a time source) and `Content-Length`.
//! - The hosted UI (OAuth 2.0) of the pool domain, with the pool's rules (see
//!   [`UserPool::enable_hosted_ui`] and the pool's `oauth` / `oauth_token` modules):
//!   `GET /oauth2/authorize` (a 200 sign-in form posting to `/login` with the same query; an
//!   unknown client or unregistered `redirect_uri` → 400 page; other errors → 302 to the
//!   redirect URI with `error`, `error_description`, `state`), `GET /login` (the same form),
//!   `POST /login` (form `username`, `password`: 302 to `redirect_uri?code=..&state=..`, or the
//!   form again with a message), `POST /oauth2/token` and `POST /oauth2/revoke`
//!   (`application/x-www-form-urlencoded` only; replies `application/json`, errors `{"error",
//!   "error_description"}` with 400, or 401 for `invalid_client`), `GET`/`POST /oauth2/userInfo`
//!   (`Authorization: Bearer`; 401 with `WWW-Authenticate: Bearer error="invalid_token"`), and
//!   `GET /logout` (302 to a registered `logout_uri`, or back to `/oauth2/authorize` with
//!   `response_type` and `redirect_uri`; else 400 page). Query strings and form bodies decode
//!   `+` as a space and `%XX`; a bad escape is `invalid_request`. The log line of a request
//!   never shows its query.
//! - `GET /<poolId>/.well-known/jwks.json`: the pool's JWKS ([`UserPool::jwks_json`]),
//!   `Content-Type: application/json`; another pool id → 404.
//! - HTTP/1.1 keep-alive (and pipelining); `Connection: close` and HTTP/1.0 close after the reply.
//!   Bodies must come with `Content-Length`: `Transfer-Encoding` (chunked) is answered 400, a body
//!   over [`MAX_BODY_LEN`] (1 MiB) 413, a head over [`MAX_HEAD_LEN`] 431, malformed HTTP 400; all
//!   of these close the connection, the server keeps serving others. `Expect: 100-continue` is
//!   honoured. A request that does not arrive within [`EmulatorOptions::read_timeout`] (head and
//!   body together) closes the connection, so a stalled client cannot hold the server.
//! - One thread per connection; the pool is shared as `Arc<Mutex<UserPool>>`
//!   ([`EmulatorServer::pool`]), so tests can read codes and move the clock while clients talk.
//!
//! # TLS
//!
//! [`EmulatorServer::start_tls`] serves the same protocol over TLS (rustls 0.23 with the `ring`
//! provider, TLS 1.2 and 1.3 or one of them: [`TlsVersions`]; ALPN `http/1.1`; no client
//! certificates) with a [`TlsIdentity`]: a chain and key from PEM files
//! ([`TlsIdentity::from_pem_files`], the binary's `--tls-cert` / `--tls-key`), or one of the
//! test PKI's ([`crate::pki`]), good or bad, to test that a verifying client accepts the good
//! chain and refuses the bad ones. The handshake must finish within
//! [`EmulatorOptions::read_timeout`]; a failed one closes the connection (logged with
//! [`EmulatorOptions::log_requests`]). The server sends `close_notify` before it closes a
//! connection after a reply, so a client can tell a complete reply from a cut one.
//!
//! # Test endpoints (`/_emulator/...`)
//!
//! For tests and for people testing firmware offline; they are not part of Cognito's API.
//!
//! - `GET /_emulator/health` → `{"ok":true}`.
//! - `GET /_emulator/outbox` → JSON array of every SMS / email the pool "sent", oldest first:
//!   `{"medium":"EMAIL"|"SMS","destination":..,"username":..,"code":..,"purpose":..,"sent_at":..}`
//!   with `purpose` one of `MFA`, `SIGN_IN`, `MFA_SETUP`, `SIGN_UP`, `PASSWORD_RESET`,
//!   `ATTRIBUTE_VERIFICATION` and `sent_at` in unix seconds (emulator clock). Codes are exposed on
//!   purpose: this is how a test reads the user's phone or mailbox.
//! - `GET /_emulator/time` → `{"now":<unix secs>}`.
//! - `POST /_emulator/time` with `{"now":<unix secs>}` (set) or `{"advance":<secs>}` (move
//!   forward) → `{"now":<unix secs>}`.
//!
//! # Clock
//!
//! With [`EmulatorOptions::follow_system_clock`] (the default) the pool clock is set to the
//! system time plus an offset before each request; `POST /_emulator/time` changes the offset, so
//! the clock keeps running from the new time. Without it the pool clock only moves when told
//! (`/_emulator/time` or [`UserPool::set_time`] through [`EmulatorServer::pool`]): deterministic,
//! for tests. In follow mode, set the time through `/_emulator/time` or
//! [`EmulatorServer::set_time`] rather than on the pool directly (the next request would undo
//! it).

mod date;
mod jwks;
mod oauth;
mod server;
pub(crate) mod tls;

pub use date::format_imf_fixdate;
pub use server::{EmulatorOptions, EmulatorServer};
pub use tls::{TlsIdentity, TlsOptions, TlsVersions};

/// The largest request body accepted (1 MiB); larger ones are answered 413.
pub const MAX_BODY_LEN: usize = 1 << 20;

/// The largest request head (request line and headers) accepted (64 KiB); larger ones are
/// answered 431.
pub const MAX_HEAD_LEN: usize = 64 << 10;

#[cfg(doc)]
use crate::pool::UserPool;
