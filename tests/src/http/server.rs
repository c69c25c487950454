//! The listener, the per-connection HTTP/1.1 loop and the routes. See the
//! [module documentation](super).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::net::SocketAddr;
use core::panic::AssertUnwindSafe;
use core::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use core::time::Duration;
use std::io;
use std::net::{Shutdown, TcpListener, TcpStream};
use std::panic::catch_unwind;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use rustls::ServerConfig;
use serde_json::{Value, json};

use super::tls::{self, TlsOptions, Transport};
use super::{MAX_BODY_LEN, MAX_HEAD_LEN, format_imf_fixdate};
use super::{jwks, oauth};
use crate::pool::{CodePurpose, SentMessage, UserPool};

/// The content type of every JSON reply.
const JSON_CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// The `X-Amz-Target` prefix of the user-pool operations.
const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";
/// How often the accept loop looks at the stop flag.
const ACCEPT_POLL: Duration = Duration::from_millis(5);
/// The most headers a request may have.
const MAX_HEADERS: usize = 64;

/// How an [`EmulatorServer`] runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmulatorOptions {
    /// Whether the pool clock follows the system clock (set before each request, plus the offset
    /// that `POST /_emulator/time` sets). `false`: the clock moves only when told, for
    /// deterministic tests. Default `true`.
    pub follow_system_clock: bool,
    /// How long a connection may take to deliver one whole request (and how long an idle
    /// keep-alive connection stays open); also the write timeout. Default 10 s.
    pub read_timeout: Duration,
    /// Log one line per request to stderr: method, path, operation and status (never headers
    /// or bodies). Default `false`.
    pub log_requests: bool,
}

impl Default for EmulatorOptions {
    fn default() -> Self {
        Self {
            follow_system_clock: true,
            read_timeout: Duration::from_secs(10),
            log_requests: false,
        }
    }
}

impl EmulatorOptions {
    /// The defaults with a fixed clock: the pool clock moves only through `/_emulator/time`,
    /// [`EmulatorServer::set_time`] / [`EmulatorServer::advance`] or the pool itself.
    #[must_use]
    pub fn fixed_clock() -> Self {
        Self {
            follow_system_clock: false,
            ..Self::default()
        }
    }
}

/// What the listener and the connection threads share.
#[derive(Debug)]
pub(super) struct Shared {
    pool: Arc<Mutex<UserPool>>,
    options: EmulatorOptions,
    /// Follow mode: pool time = system time + this.
    clock_offset: AtomicI64,
    requests: AtomicU64,
    stop: AtomicBool,
    /// `Some`: every connection speaks TLS with this configuration.
    pub(super) tls: Option<Arc<ServerConfig>>,
}

/// A [`UserPool`] served over HTTP/1.1 (or HTTPS: [`start_tls`](Self::start_tls)) by background
/// threads. Stops on [`shutdown`](Self::shutdown) or drop.
#[derive(Debug)]
pub struct EmulatorServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl EmulatorServer {
    /// Serves `pool` on `addr` (e.g. `"127.0.0.1:0"` for any free loopback port) with the
    /// default options (the clock follows the system clock).
    pub fn start(pool: UserPool, addr: &str) -> io::Result<Self> {
        Self::start_with(pool, addr, EmulatorOptions::default())
    }

    /// Serves `pool` on `addr` with `options`.
    pub fn start_with(pool: UserPool, addr: &str, options: EmulatorOptions) -> io::Result<Self> {
        Self::start_inner(pool, addr, options, None)
    }

    /// Serves `pool` on `addr` with `options` over TLS: every connection must begin with a TLS
    /// handshake, in which the server presents `tls`'s identity (e.g.
    /// [`TestPki::server`](crate::pki::TestPki::server)'s
    /// [`tls_identity`](crate::pki::ServerIdentity::tls_identity), or a
    /// [`TlsIdentity`](super::TlsIdentity) alone for the default versions). Then it is the same
    /// HTTP/1.1 server as [`start_with`](Self::start_with). Fails with
    /// [`io::ErrorKind::InvalidInput`] if the certificate or key cannot be used.
    pub fn start_tls(
        pool: UserPool,
        addr: &str,
        tls: impl Into<TlsOptions>,
        options: EmulatorOptions,
    ) -> io::Result<Self> {
        let config = tls.into().server_config()?;
        Self::start_inner(pool, addr, options, Some(config))
    }

    fn start_inner(
        pool: UserPool,
        addr: &str,
        options: EmulatorOptions,
        tls: Option<Arc<ServerConfig>>,
    ) -> io::Result<Self> {
        let listener = TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            pool: Arc::new(Mutex::new(pool)),
            options,
            clock_offset: AtomicI64::new(0),
            requests: AtomicU64::new(0),
            stop: AtomicBool::new(false),
            tls,
        });
        sync_clock(&shared, &mut lock(&shared.pool));
        let accept = {
            let shared = Arc::clone(&shared);
            thread::Builder::new()
                .name("cognito-emulator-accept".to_owned())
                .spawn(move || accept_loop(&shared, &listener))?
        };
        Ok(Self {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// The address the server listens on (with the actual port when started on port 0).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The endpoint URL, `http://127.0.0.1:PORT/`, or `https://127.0.0.1:PORT/` over TLS.
    pub fn url(&self) -> String {
        let scheme = if self.is_tls() { "https" } else { "http" };
        format!("{scheme}://{}/", self.addr)
    }

    /// Whether the server speaks TLS ([`start_tls`](Self::start_tls)).
    pub fn is_tls(&self) -> bool {
        self.shared.tls.is_some()
    }

    /// The served pool, for tests: read codes, inspect requests, change settings. Hold the lock
    /// briefly: requests wait for it. In follow-system-clock mode use [`set_time`](Self::set_time)
    /// / [`advance`](Self::advance) instead of the pool's own clock methods.
    pub fn pool(&self) -> Arc<Mutex<UserPool>> {
        Arc::clone(&self.shared.pool)
    }

    /// The pool clock now (unix seconds), synchronised first in follow-system-clock mode.
    pub fn now(&self) -> u64 {
        let mut pool = lock(&self.shared.pool);
        sync_clock(&self.shared, &mut pool);
        pool.now()
    }

    /// Sets the pool clock (in follow mode: the clock keeps running from there). Returns it.
    pub fn set_time(&self, unix_secs: u64) -> u64 {
        set_clock(&self.shared, ClockChange::Set(unix_secs))
    }

    /// Moves the pool clock forward by `secs`. Returns the new time.
    pub fn advance(&self, secs: u64) -> u64 {
        set_clock(&self.shared, ClockChange::Advance(secs))
    }

    /// Stops accepting, closes open connections and joins the threads.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(accept) = self.accept.take() {
            // A panicked accept thread has nothing left to clean up.
            let _ = accept.join();
        }
    }
}

impl Drop for EmulatorServer {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn system_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// Follow mode: sets the pool clock to system time + offset (never below 0).
fn sync_clock(shared: &Shared, pool: &mut UserPool) {
    if shared.options.follow_system_clock {
        let now = system_secs().saturating_add(shared.clock_offset.load(Ordering::SeqCst));
        pool.set_time(u64::try_from(now).unwrap_or(0));
    }
}

/// Runs `f` on the pool, its clock synchronised first; `None` if `f` panicked (an emulator bug,
/// answered 500 by the caller).
pub(super) fn with_pool<R>(shared: &Shared, f: impl FnOnce(&mut UserPool) -> R) -> Option<R> {
    let mut pool = lock(&shared.pool);
    sync_clock(shared, &mut pool);
    catch_unwind(AssertUnwindSafe(|| f(&mut pool))).ok()
}

#[derive(Debug, Clone, Copy)]
enum ClockChange {
    Set(u64),
    Advance(u64),
}

fn set_clock(shared: &Shared, change: ClockChange) -> u64 {
    let mut pool = lock(&shared.pool);
    if shared.options.follow_system_clock {
        sync_clock(shared, &mut pool);
        let target = match change {
            ClockChange::Set(t) => t,
            ClockChange::Advance(secs) => pool.now().saturating_add(secs),
        };
        let target = i64::try_from(target).unwrap_or(i64::MAX);
        shared
            .clock_offset
            .store(target.saturating_sub(system_secs()), Ordering::SeqCst);
        sync_clock(shared, &mut pool);
    } else {
        match change {
            ClockChange::Set(t) => pool.set_time(t),
            ClockChange::Advance(secs) => pool.advance(secs),
        }
    }
    pool.now()
}

fn accept_loop(shared: &Arc<Shared>, listener: &TcpListener) {
    let mut connections: Vec<(Option<TcpStream>, JoinHandle<()>)> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                let closer = stream.try_clone().ok();
                let conn_shared = Arc::clone(shared);
                let spawned = thread::Builder::new()
                    .name("cognito-emulator-conn".to_owned())
                    .spawn(move || serve_connection(&conn_shared, stream));
                if let Ok(handle) = spawned {
                    connections.push((closer, handle));
                }
            }
            Err(_) => thread::sleep(ACCEPT_POLL),
        }
        connections.retain(|(_, handle)| !handle.is_finished());
    }
    for (closer, handle) in connections {
        if let Some(stream) = closer {
            // Unblocks a thread waiting in read; an error means it is already closed.
            let _ = stream.shutdown(Shutdown::Both);
        }
        let _ = handle.join();
    }
}

/// A request as read off the wire.
#[derive(Debug)]
pub(super) struct HttpRequest {
    method: String,
    /// The request target: path and query.
    pub(super) path: String,
    /// `httparse` minor version: 1 for HTTP/1.1, 0 for HTTP/1.0.
    minor_version: u8,
    headers: Vec<(String, Vec<u8>)>,
    pub(super) body: Vec<u8>,
}

impl HttpRequest {
    /// The first header called `name` (case-insensitive) as text; `None` if missing or not UTF-8.
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| core::str::from_utf8(v).ok())
    }

    fn has_token(&self, name: &str, token: &str) -> bool {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .filter_map(|(_, v)| core::str::from_utf8(v).ok())
            .flat_map(|v| v.split(','))
            .any(|t| t.trim().eq_ignore_ascii_case(token))
    }

    /// Whether the connection stays open after the reply.
    fn keep_alive(&self) -> bool {
        if self.minor_version == 0 {
            self.has_token("connection", "keep-alive")
        } else {
            !self.has_token("connection", "close")
        }
    }
}

/// A reply.
#[derive(Debug)]
pub(super) struct HttpResponse {
    pub(super) status: u16,
    pub(super) content_type: &'static str,
    pub(super) headers: Vec<(&'static str, String)>,
    pub(super) body: Vec<u8>,
}

impl HttpResponse {
    fn json(status: u16, body: &Value) -> Self {
        Self {
            status,
            content_type: JSON_CONTENT_TYPE,
            headers: Vec::new(),
            body: body.to_string().into_bytes(),
        }
    }

    /// An error of the HTTP layer or the test endpoints: `{"__type":..,"message":..}`.
    pub(super) fn error(status: u16, kind: &str, message: &str) -> Self {
        Self::json(status, &json!({ "__type": kind, "message": message }))
    }

    pub(super) fn with_header(mut self, name: &'static str, value: String) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// Why reading a request failed: answered with this status, then the connection closes.
#[derive(Debug)]
enum ReadError {
    /// Nothing more to read (EOF, idle timeout, reset): close without a reply.
    Closed,
    /// Answer this and close.
    Reply(HttpResponse),
}

fn reason(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        200 => "OK",
        302 => "Found",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

fn serve_connection(shared: &Shared, stream: TcpStream) {
    let timeout = shared.options.read_timeout.max(Duration::from_millis(1));
    if stream.set_write_timeout(Some(timeout)).is_err() || stream.set_nodelay(true).is_err() {
        return;
    }
    match &shared.tls {
        None => serve_http(shared, stream, timeout),
        Some(config) => {
            let peer = stream.peer_addr().ok();
            match tls::accept(config, stream, timeout) {
                Ok(stream) => serve_http(shared, stream, timeout),
                Err(e) if shared.options.log_requests => {
                    let peer = peer.map_or_else(|| "?".to_owned(), |p| p.to_string());
                    eprintln!("TLS handshake with {peer} failed: {e}");
                }
                Err(_) => {}
            }
        }
    }
}

/// The HTTP/1.1 loop of one connection.
fn serve_http(shared: &Shared, mut stream: impl Transport, timeout: Duration) {
    let mut buf: Vec<u8> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        let (response, keep_alive, request) = match read_request(&mut stream, &mut buf, timeout) {
            Ok(request) => {
                let response = route(shared, &request);
                (response, request.keep_alive(), Some(request))
            }
            Err(ReadError::Closed) => {
                // Over TLS, a clean end (close_notify) for an idle or finished connection too.
                stream.close();
                return;
            }
            Err(ReadError::Reply(response)) => (response, false, None),
        };
        if shared.options.log_requests {
            log_request(request.as_ref(), response.status);
        }
        let date = format_imf_fixdate(lock(&shared.pool).now());
        if write_response(&mut stream, &response, keep_alive, &date).is_err() || !keep_alive {
            stream.close();
            return;
        }
    }
}

fn log_request(request: Option<&HttpRequest>, status: u16) {
    match request {
        Some(request) => {
            let operation = request
                .header("x-amz-target")
                .map(|t| t.strip_prefix(TARGET_PREFIX).unwrap_or(t))
                .unwrap_or("-");
            // The query may carry codes or tokens: only its presence is logged.
            let (path, query) = match request.path.split_once('?') {
                Some((path, _)) => (path, "?…"),
                None => (request.path.as_str(), ""),
            };
            eprintln!(
                "{} {}{query} {} -> {status}",
                request.method.escape_debug(),
                path.escape_debug(),
                operation.escape_debug()
            );
        }
        None => eprintln!("(unreadable request) -> {status}"),
    }
}

fn write_response(
    stream: &mut impl Transport,
    response: &HttpResponse,
    keep_alive: bool,
    date: &str,
) -> io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nDate: {date}\r\nContent-Length: {}\r\n",
        response.status,
        reason(response.status),
        response.content_type,
        response.body.len()
    );
    for (name, value) in &response.headers {
        out.push_str(name);
        out.push_str(": ");
        out.push_str(value);
        out.push_str("\r\n");
    }
    if !keep_alive {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Reads more bytes into `buf` before `deadline`. `Ok(0)` at EOF.
fn read_more(
    stream: &mut impl Transport,
    buf: &mut Vec<u8>,
    deadline: Instant,
) -> io::Result<usize> {
    let remaining = deadline.saturating_duration_since(Instant::now());
    if remaining.is_zero() {
        return Err(io::ErrorKind::TimedOut.into());
    }
    stream.socket().set_read_timeout(Some(remaining))?;
    let mut chunk = [0u8; 8192];
    let n = stream.read(&mut chunk)?;
    buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
    Ok(n)
}

/// What a failed read means: nothing started → close quietly; a partial request → 408 / 400.
fn read_failure(err: &io::Error, started: bool) -> ReadError {
    let timed_out = matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    );
    if started && timed_out {
        ReadError::Reply(HttpResponse::error(
            408,
            "RequestTimeout",
            "The request did not arrive in time.",
        ))
    } else {
        ReadError::Closed
    }
}

/// The head of a request, owned.
struct Head {
    method: String,
    path: String,
    minor_version: u8,
    headers: Vec<(String, Vec<u8>)>,
    len: usize,
}

fn bad_request(message: &str) -> ReadError {
    ReadError::Reply(HttpResponse::error(400, "BadRequest", message))
}

fn parse_head(buf: &[u8]) -> Result<Option<Head>, ReadError> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut request = httparse::Request::new(&mut headers);
    match request.parse(buf) {
        Ok(httparse::Status::Complete(len)) => Ok(Some(Head {
            method: request.method.unwrap_or_default().to_owned(),
            path: request.path.unwrap_or_default().to_owned(),
            minor_version: request.version.unwrap_or(1),
            headers: request
                .headers
                .iter()
                .map(|h| (h.name.to_owned(), h.value.to_vec()))
                .collect(),
            len,
        })),
        Ok(httparse::Status::Partial) => Ok(None),
        Err(httparse::Error::TooManyHeaders) => Err(ReadError::Reply(HttpResponse::error(
            431,
            "RequestHeaderFieldsTooLarge",
            "Too many headers.",
        ))),
        Err(e) => Err(bad_request(&format!("Malformed HTTP request: {e}."))),
    }
}

fn read_request(
    stream: &mut impl Transport,
    buf: &mut Vec<u8>,
    timeout: Duration,
) -> Result<HttpRequest, ReadError> {
    let deadline = Instant::now() + timeout;
    let head = loop {
        if let Some(head) = parse_head(buf)? {
            break head;
        }
        if buf.len() > MAX_HEAD_LEN {
            return Err(ReadError::Reply(HttpResponse::error(
                431,
                "RequestHeaderFieldsTooLarge",
                "The request head is too large.",
            )));
        }
        let started = !buf.is_empty();
        match read_more(stream, buf, deadline) {
            Ok(0) if started => return Err(bad_request("Incomplete HTTP request.")),
            Ok(0) => return Err(ReadError::Closed),
            Ok(_) => {}
            Err(e) => return Err(read_failure(&e, started)),
        }
    };
    let request = HttpRequest {
        method: head.method,
        path: head.path,
        minor_version: head.minor_version,
        headers: head.headers,
        body: Vec::new(),
    };
    if request
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
    {
        return Err(bad_request(
            "Transfer-Encoding is not supported: send a Content-Length body.",
        ));
    }
    let mut body_len: Option<usize> = None;
    for (_, value) in request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        let parsed = core::str::from_utf8(value)
            .ok()
            .map(str::trim)
            .filter(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
            .map(|v| v.parse::<usize>().unwrap_or(usize::MAX))
            .ok_or_else(|| bad_request("Invalid Content-Length."))?;
        if body_len.is_some_and(|len| len != parsed) {
            return Err(bad_request("Conflicting Content-Length headers."));
        }
        body_len = Some(parsed);
    }
    let body_len = body_len.unwrap_or(0);
    if body_len > MAX_BODY_LEN {
        return Err(ReadError::Reply(HttpResponse::error(
            413,
            "RequestEntityTooLarge",
            &format!("The request body is larger than {MAX_BODY_LEN} bytes."),
        )));
    }
    let total = head.len + body_len;
    if buf.len() < total && request.has_token("expect", "100-continue") {
        let _ = stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n");
    }
    while buf.len() < total {
        match read_more(stream, buf, deadline) {
            Ok(0) => return Err(bad_request("The body is shorter than its Content-Length.")),
            Ok(_) => {}
            Err(e) => return Err(read_failure(&e, true)),
        }
    }
    let body = buf.get(head.len..total).unwrap_or_default().to_vec();
    buf.drain(..total);
    Ok(HttpRequest { body, ..request })
}

fn route(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let path = request
        .path
        .split_once('?')
        .map_or(request.path.as_str(), |(p, _)| p);
    if let Some(pool_id) = jwks::pool_id_of(path) {
        return match request.method.as_str() {
            "GET" => jwks::jwks(shared, pool_id),
            _ => HttpResponse::error(405, "MethodNotAllowed", "Method not allowed.")
                .with_header("Allow", "GET".to_owned()),
        };
    }
    let allowed = match path {
        "/" | "/oauth2/token" | "/oauth2/revoke" => "POST",
        "/_emulator/health" | "/_emulator/outbox" | "/oauth2/authorize" | "/logout" => "GET",
        "/_emulator/time" | "/login" | "/oauth2/userInfo" => "GET, POST",
        _ => {
            return HttpResponse::error(404, "NotFound", "No such endpoint.");
        }
    };
    match (request.method.as_str(), path) {
        ("POST", "/") => cognito(shared, request),
        ("GET", "/oauth2/authorize" | "/login") => oauth::authorize(shared, request),
        ("POST", "/login") => oauth::login(shared, request),
        ("POST", "/oauth2/token") => oauth::token(shared, request),
        ("POST", "/oauth2/revoke") => oauth::revoke(shared, request),
        ("GET" | "POST", "/oauth2/userInfo") => oauth::user_info(shared, request),
        ("GET", "/logout") => oauth::logout(shared, request),
        ("GET", "/_emulator/health") => HttpResponse::json(200, &json!({ "ok": true })),
        ("GET", "/_emulator/outbox") => {
            let pool = lock(&shared.pool);
            let messages: Vec<Value> = pool.sent_messages().iter().map(message_json).collect();
            HttpResponse::json(200, &Value::Array(messages))
        }
        ("GET", "/_emulator/time") => {
            let now = {
                let mut pool = lock(&shared.pool);
                sync_clock(shared, &mut pool);
                pool.now()
            };
            HttpResponse::json(200, &json!({ "now": now }))
        }
        ("POST", "/_emulator/time") => time(shared, &request.body),
        _ => HttpResponse::error(405, "MethodNotAllowed", "Method not allowed.")
            .with_header("Allow", allowed.to_owned()),
    }
}

fn cognito(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let target = request.header("x-amz-target").unwrap_or_default();
    let content_type = request.header("content-type").unwrap_or_default();
    let reply = {
        let mut pool = lock(&shared.pool);
        sync_clock(shared, &mut pool);
        catch_unwind(AssertUnwindSafe(|| {
            pool.handle(target, content_type, &request.body)
        }))
    };
    let id = shared.requests.fetch_add(1, Ordering::SeqCst);
    let request_id = format!("00000000-0000-4000-8000-{:012x}", id & 0xffff_ffff_ffff);
    match reply {
        Ok(reply) => {
            let mut response = HttpResponse {
                status: reply.status,
                content_type: JSON_CONTENT_TYPE,
                headers: Vec::new(),
                body: reply.body,
            };
            if let Some(error_type) = reply.error_type {
                response = response.with_header("x-amzn-ErrorType", error_type);
            }
            response.with_header("x-amzn-RequestId", request_id)
        }
        Err(_) => HttpResponse::error(
            500,
            "InternalErrorException",
            "The emulator failed on this request.",
        )
        .with_header("x-amzn-ErrorType", "InternalErrorException:".to_owned())
        .with_header("x-amzn-RequestId", request_id),
    }
}

fn time(shared: &Shared, body: &[u8]) -> HttpResponse {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(_) => return HttpResponse::error(400, "BadRequest", "The body is not JSON."),
    };
    let change = match (value.get("now"), value.get("advance")) {
        (Some(now), None) => now.as_u64().map(ClockChange::Set),
        (None, Some(secs)) => secs.as_u64().map(ClockChange::Advance),
        _ => None,
    };
    match change {
        Some(change) => HttpResponse::json(200, &json!({ "now": set_clock(shared, change) })),
        None => HttpResponse::error(
            400,
            "BadRequest",
            "Expected {\"now\": <unix secs>} or {\"advance\": <secs>} (non-negative integers).",
        ),
    }
}

fn purpose_name(purpose: CodePurpose) -> &'static str {
    match purpose {
        CodePurpose::Mfa => "MFA",
        CodePurpose::SignIn => "SIGN_IN",
        CodePurpose::MfaSetup => "MFA_SETUP",
        CodePurpose::SignUp => "SIGN_UP",
        CodePurpose::PasswordReset => "PASSWORD_RESET",
        CodePurpose::AttributeVerification => "ATTRIBUTE_VERIFICATION",
    }
}

fn message_json(message: &SentMessage) -> Value {
    json!({
        "medium": message.medium.as_str(),
        "destination": message.destination,
        "username": message.username,
        "code": message.code,
        "purpose": purpose_name(message.purpose),
        "sent_at": message.sent_at,
    })
}
