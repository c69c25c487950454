//! Fixtures that the tests of HTTP clients (the std adapter's and the CLI's) share.
//!
//! - A pool with one app client: [`pool_with_client`].
//! - What the emulator recorded and sent: [`with_pool`], [`operations`],
//!   [`operations_and_flows`], [`last_request`], [`last_code`], [`totp_now`]; and
//!   [`wrong_code`], a code that is not the right one.
//! - Clocks and addresses: [`unix_now`], [`refused_url`].
//! - [`ScriptedServer`]: a loopback HTTP/1.1 server in front of a pool that does what a script
//!   says with each request ([`Act`]: pass it on, throttle it, cut the reply, answer 503 or HTML,
//!   never answer), for transport and retry tests.
//!
//! Nothing here panics: a helper that may find nothing returns an `Option` or an
//! [`io::Result`], and the test says what it expected.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::http::{EmulatorServer, MAX_BODY_LEN};
use crate::pool::{
    AppClientOptions, CONTENT_TYPE, DeviceTracking, Recorded, TARGET_PREFIX, UserPool,
};

/// Seconds since the Unix epoch on the system clock (0 before 1970).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

/// A pool `pool_id` (its randomness from `seed`, see [`UserPool::new`]) with one app client,
/// `client_id`, that has `secret` (or none: a public client) and tracks devices as `tracking`
/// says. No users yet.
pub fn pool_with_client(
    pool_id: &str,
    client_id: &str,
    seed: u64,
    secret: Option<&str>,
    tracking: DeviceTracking,
) -> UserPool {
    let mut pool = UserPool::new(pool_id, seed);
    pool.add_client_with(
        client_id,
        AppClientOptions {
            secret: secret.map(str::to_owned),
            device_tracking: tracking,
        },
    );
    pool
}

/// Locks `pool`; a lock poisoned by a panicking test thread is taken over (the pool is still
/// what the test wants to look at).
fn lock(pool: &Mutex<UserPool>) -> MutexGuard<'_, UserPool> {
    pool.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs `f` on the pool `server` serves, under the pool's lock (requests wait meanwhile).
pub fn with_pool<R>(server: &EmulatorServer, f: impl FnOnce(&mut UserPool) -> R) -> R {
    f(&mut lock(&server.pool()))
}

/// Every request `server` received, in order: its operation, and for `RespondToAuthChallenge`
/// the challenge answered (`"RespondToAuthChallenge PASSWORD_VERIFIER"`).
pub fn operations(server: &EmulatorServer) -> Vec<String> {
    recorded(server, false)
}

/// As [`operations`], and for `InitiateAuth` its auth flow too (`"InitiateAuth USER_SRP_AUTH"`,
/// `"InitiateAuth REFRESH_TOKEN_AUTH"`).
pub fn operations_and_flows(server: &EmulatorServer) -> Vec<String> {
    recorded(server, true)
}

fn recorded(server: &EmulatorServer, flows: bool) -> Vec<String> {
    with_pool(server, |pool| {
        pool.requests()
            .iter()
            .map(|request| {
                let challenge = request.body.get("ChallengeName").and_then(|v| v.as_str());
                let flow = request.body.get("AuthFlow").and_then(|v| v.as_str());
                match (challenge, flow) {
                    (Some(challenge), _) => format!("{} {challenge}", request.operation),
                    (None, Some(flow)) if flows => format!("{} {flow}", request.operation),
                    _ => request.operation.clone(),
                }
            })
            .collect()
    })
}

/// The newest request `server` received (`None` before the first).
pub fn last_request(server: &EmulatorServer) -> Option<Recorded> {
    with_pool(server, |pool| pool.requests().last().cloned())
}

/// The code of the newest SMS or email that the pool behind `server` sent to `destination` (a
/// phone number or an address, or the username or sub of its user); `None` if none was sent.
pub fn last_code(server: &EmulatorServer, destination: &str) -> Option<String> {
    with_pool(server, |pool| pool.last_code_sent(destination))
}

/// The TOTP code of `secret` (base32) now on the emulator's clock; `None` if `secret` is not
/// base32.
pub fn totp_now(server: &EmulatorServer, secret: &str) -> Option<String> {
    crate::totp::code_at(secret, server.now())
}

/// A six-digit code that is not `code`.
pub fn wrong_code(code: &str) -> &'static str {
    if code == "000000" { "000001" } else { "000000" }
}

/// An endpoint URL on a loopback port that nothing listens on (bound, then closed again), so
/// connections to it are refused.
pub fn refused_url() -> io::Result<String> {
    let addr = TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    Ok(format!("http://{addr}/"))
}

/// What a [`ScriptedServer`] does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// The pool handles it; the whole reply is sent.
    Pass,
    /// `400 TooManyRequestsException` ("Rate exceeded"), pool untouched.
    Throttle,
    /// The pool handles it; the reply is cut inside its headers and the connection closed.
    CutHead,
    /// The pool handles it; the reply is cut inside its body and the connection closed.
    CutBody,
    /// `503 Service Unavailable` with a plain-text body (a load balancer's), pool untouched.
    Unavailable,
    /// `200` with an HTML body (a captive portal's), pool untouched.
    NotJson,
    /// The request is read and never answered (the connection stays open).
    Hang,
}

/// A loopback HTTP/1.1 server (one request per connection, no `Date` header) in front of a
/// [`UserPool`], doing with each request what its script says. It serves until the test process
/// ends.
#[derive(Debug)]
pub struct ScriptedServer {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    pool: Arc<Mutex<UserPool>>,
}

impl ScriptedServer {
    /// Serves `pool` on a free loopback port; `script(n, operation)` says what to do with
    /// request `n` (from 0, counting every operation), whose operation is `operation` (e.g.
    /// `"InitiateAuth"`). The pool's clock is left alone: set it before, since no `Date` header
    /// tells the client the server's time.
    pub fn start(
        pool: UserPool,
        script: impl Fn(usize, &str) -> Act + Send + 'static,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let url = format!("http://{}/", listener.local_addr()?);
        let pool = Arc::new(Mutex::new(pool));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (served, log) = (Arc::clone(&pool), Arc::clone(&seen));
        std::thread::Builder::new()
            .name("scripted-server".to_owned())
            .spawn(move || serve(&listener, &served, &log, &script))?;
        Ok(Self { url, seen, pool })
    }

    /// The endpoint URL, `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The operations the server received, in order (those the script kept from the pool
    /// included).
    pub fn seen(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// How many `operation` requests the server received.
    pub fn count(&self, operation: &str) -> usize {
        self.seen().iter().filter(|seen| *seen == operation).count()
    }

    /// The operations the pool itself handled, in order.
    pub fn handled(&self) -> Vec<String> {
        lock(&self.pool)
            .operations()
            .into_iter()
            .map(str::to_owned)
            .collect()
    }
}

/// The accept loop of a [`ScriptedServer`].
fn serve(
    listener: &TcpListener,
    pool: &Mutex<UserPool>,
    seen: &Mutex<Vec<String>>,
    script: &dyn Fn(usize, &str) -> Act,
) {
    // Hung connections are kept open until the server ends.
    let mut hung = Vec::new();
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { return };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let Some((target, body)) = read_request(&stream) else {
            continue;
        };
        let operation = target
            .strip_prefix(TARGET_PREFIX)
            .unwrap_or(&target)
            .to_owned();
        let n = {
            let mut seen = seen.lock().unwrap_or_else(PoisonError::into_inner);
            seen.push(operation.clone());
            seen.len() - 1
        };
        let act = script(n, &operation);
        let (status, content_type, error_type, reply) = match act {
            Act::Hang => {
                hung.push(stream);
                continue;
            }
            Act::Throttle => (
                400,
                CONTENT_TYPE,
                Some("TooManyRequestsException:".to_owned()),
                br#"{"__type":"TooManyRequestsException","message":"Rate exceeded"}"#.to_vec(),
            ),
            Act::Unavailable => (503, "text/plain", None, b"Service Unavailable".to_vec()),
            Act::NotJson => (
                200,
                "text/html",
                None,
                b"<html><body>Welcome to the captive portal</body></html>".to_vec(),
            ),
            Act::Pass | Act::CutHead | Act::CutBody => {
                let r = lock(pool).handle(&target, CONTENT_TYPE, &body);
                (r.status, CONTENT_TYPE, r.error_type, r.body)
            }
        };
        let head = head(status, content_type, error_type.as_deref(), reply.len());
        let head = head.as_bytes();
        let _ = match act {
            Act::CutHead => stream.write_all(half(head)),
            Act::CutBody => stream
                .write_all(head)
                .and_then(|()| stream.write_all(half(&reply))),
            _ => stream
                .write_all(head)
                .and_then(|()| stream.write_all(&reply)),
        };
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Both);
    }
}

/// The first half of `bytes`.
fn half(bytes: &[u8]) -> &[u8] {
    bytes.get(..bytes.len() / 2).unwrap_or_default()
}

/// Reads one request: its `X-Amz-Target` and its body (`None` if the connection ends first).
fn read_request(stream: &TcpStream) -> Option<(String, Vec<u8>)> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let (mut target, mut len) = (String::new(), 0usize);
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.to_ascii_lowercase().as_str() {
                "x-amz-target" => value.trim().clone_into(&mut target),
                "content-length" => len = value.trim().parse().unwrap_or(0),
                _ => {}
            }
        }
    }
    let mut body = vec![0; len.min(MAX_BODY_LEN)];
    reader.read_exact(&mut body).ok()?;
    Some((target, body))
}

/// The head of a reply that closes the connection.
fn head(status: u16, content_type: &str, error_type: Option<&str>, len: usize) -> String {
    let mut head = format!(
        "HTTP/1.1 {status} Scripted\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n"
    );
    if let Some(error_type) = error_type {
        head.push_str(&format!("x-amzn-ErrorType: {error_type}\r\n"));
    }
    head.push_str("\r\n");
    head
}
