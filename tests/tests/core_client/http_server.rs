//! The emulator over HTTP/1.1 (`cognito_tests::http::EmulatorServer`) on loopback, driven by a
//! tiny std `TcpStream` client: `cognito-core` SRP sign-ins (through the pair's loop, with the
//! connection as its server), error mapping, keep-alive and
//! pipelining, malformed / chunked / oversized / stalled requests, the `/_emulator/` endpoints
//! and the `Date` header. Every socket has timeouts, so a broken server fails a test instead of
//! hanging it.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use cognito_core::auth::{ClientConfig, SignIn};
use cognito_core::http_date::parse_http_date;
use cognito_core::srp::SrpEphemeral;
use cognito_core::wire::{ErrorKind, Request};
use cognito_tests::fixtures::driver::{DriveError, Pair, Server};
use cognito_tests::http::{EmulatorOptions, EmulatorServer, MAX_BODY_LEN};
use cognito_tests::pool::{DEFAULT_TIME, Reply, UserPool};
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;
use serde_json::{Value, json};

use crate::support::kind;

const POOL_ID: &str = "us-east-1_TestPool1";
const CLIENT_ID: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
const TIMEOUT: Duration = Duration::from_secs(20);

/// A response as the tiny client read it.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// One client connection: write bytes, read Content-Length responses (keeps leftovers).
struct Conn {
    stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    fn open(addr: SocketAddr) -> Self {
        let stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        stream.set_write_timeout(Some(TIMEOUT)).unwrap();
        Self {
            stream,
            buf: Vec::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    /// Reads more bytes; false at EOF (or reset).
    fn fill(&mut self) -> bool {
        let mut chunk = [0u8; 8192];
        match self.stream.read(&mut chunk) {
            Ok(0) | Err(_) => false,
            Ok(n) => {
                self.buf.extend_from_slice(&chunk[..n]);
                true
            }
        }
    }

    /// The next response, or `None` if the server closed the connection first.
    fn response(&mut self) -> Option<Resp> {
        loop {
            let mut headers = [httparse::EMPTY_HEADER; 32];
            let mut parsed = httparse::Response::new(&mut headers);
            if let httparse::Status::Complete(head_len) = parsed.parse(&self.buf).unwrap() {
                let status = parsed.code.unwrap();
                let headers: Vec<(String, String)> = parsed
                    .headers
                    .iter()
                    .map(|h| {
                        (
                            h.name.to_owned(),
                            String::from_utf8(h.value.to_vec()).unwrap(),
                        )
                    })
                    .collect();
                let len: usize = headers
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                    .map_or(0, |(_, v)| v.parse().unwrap());
                while self.buf.len() < head_len + len {
                    assert!(self.fill(), "EOF inside a response body");
                }
                let body = self.buf[head_len..head_len + len].to_vec();
                self.buf.drain(..head_len + len);
                return Some(Resp {
                    status,
                    headers,
                    body,
                });
            }
            if !self.fill() {
                assert!(self.buf.is_empty(), "EOF inside a response head");
                return None;
            }
        }
    }

    fn call(&mut self, bytes: &[u8]) -> Resp {
        self.send(bytes);
        self.response().expect("a response")
    }

    /// Whether the server closed the connection (EOF with nothing more).
    fn closed(&mut self) -> bool {
        self.buf.is_empty() && !self.fill()
    }
}

fn get(path: &str) -> Vec<u8> {
    format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").into_bytes()
}

fn post(path: &str, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\n{extra}\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

fn cognito(operation: &str, body: &Value) -> Vec<u8> {
    post(
        "/",
        &format!(
            "Content-Type: application/x-amz-json-1.1\r\n\
             X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n"
        ),
        body.to_string().as_bytes(),
    )
}

fn server(seed: u64) -> EmulatorServer {
    let mut pool = UserPool::new(POOL_ID, seed);
    pool.add_client(CLIENT_ID, None);
    pool.add_user("alice", "Passw0rd!");
    EmulatorServer::start_with(pool, "127.0.0.1:0", EmulatorOptions::fixed_clock()).unwrap()
}

/// The pool behind the server, reached over one keep-alive connection: the pair's [`Server`].
/// Every response is kept, headers included.
struct OverHttp<'s> {
    server: &'s EmulatorServer,
    conn: Conn,
    responses: Vec<Resp>,
}

impl Server for OverHttp<'_> {
    fn exchange(&mut self, request: &Request<'_>) -> Reply {
        let mut wire = vec![0u8; 16384];
        let host = self.server.addr().to_string();
        let len = request.write_http(&host, &mut wire).unwrap();
        let resp = self.conn.call(&wire[..len]);
        let reply = Reply {
            status: resp.status,
            error_type: resp.header("x-amzn-ErrorType").map(str::to_owned),
            body: resp.body.clone(),
        };
        self.responses.push(resp);
        reply
    }

    fn now(&self) -> u64 {
        self.server.now()
    }
}

/// Runs a `cognito-core` SRP sign-in over one keep-alive connection, through the pair's loop.
/// Returns the access token and every response.
fn sign_in(
    server: &EmulatorServer,
    password: &str,
    seed: u64,
) -> (Result<String, DriveError>, Vec<Resp>) {
    let config = ClientConfig::new(POOL_ID, CLIENT_ID).unwrap();
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    let ephemeral = SrpEphemeral::generate(&mut rng).unwrap();
    let mut flow: SignIn = SignIn::srp(&config, "alice", password, ephemeral).unwrap();
    let mut pair = Pair::new(OverHttp {
        server,
        conn: Conn::open(server.addr()),
        responses: Vec::new(),
    });
    let signed = pair.sign_in(&mut flow, |_, _| None);
    (signed.map(|s| s.tokens.access_token), pair.pool.responses)
}

#[test]
fn srp_sign_in_over_http_with_keep_alive() {
    let server = server(1);
    let (token, responses) = sign_in(&server, "Passw0rd!", 1);
    let token = token.unwrap();
    let pool = server.pool();
    let claims = pool.lock().unwrap().verify_access_token(&token).unwrap();
    assert_eq!(claims.client_id, CLIENT_ID);
    assert_eq!(
        pool.lock().unwrap().operations(),
        ["InitiateAuth", "RespondToAuthChallenge"]
    );
    // Both round trips on the one connection, each with the Cognito reply headers.
    assert_eq!(responses.len(), 2);
    let mut ids = Vec::new();
    for resp in &responses {
        assert_eq!(resp.status, 200);
        assert_eq!(
            resp.header("content-type"),
            Some("application/x-amz-json-1.1")
        );
        assert_eq!(resp.header("x-amzn-ErrorType"), None);
        ids.push(resp.header("x-amzn-RequestId").unwrap().to_owned());
        let date = parse_http_date(resp.header("date").unwrap()).unwrap();
        assert_eq!(date.as_secs(), DEFAULT_TIME);
    }
    assert_ne!(ids[0], ids[1]);
    server.shutdown();
}

#[test]
fn wrong_password_maps_to_400_and_error_type() {
    let server = server(2);
    let (result, responses) = sign_in(&server, "passw0rd!", 2);
    assert_eq!(kind(result), ErrorKind::NotAuthorized);
    let last = responses.last().unwrap();
    assert_eq!(last.status, 400);
    assert_eq!(
        last.header("x-amzn-ErrorType"),
        Some("NotAuthorizedException:")
    );
    assert_eq!(last.json()["__type"], "NotAuthorizedException");

    // Unknown operations and wrong content types are the pool's answers too.
    let mut conn = Conn::open(server.addr());
    let resp = conn.call(&cognito("NoSuchThing", &json!({})));
    assert_eq!(resp.status, 400);
    assert!(
        resp.header("x-amzn-ErrorType")
            .unwrap()
            .starts_with("UnknownOperationException")
    );
}

#[test]
fn pipelined_requests_on_one_connection() {
    let server = server(3);
    let mut conn = Conn::open(server.addr());
    let mut both = get("/_emulator/health");
    both.extend(cognito("GetUser", &json!({ "AccessToken": "nope" })));
    conn.send(&both);
    let first = conn.response().unwrap();
    assert_eq!((first.status, first.json()), (200, json!({ "ok": true })));
    let second = conn.response().unwrap();
    assert_eq!(second.status, 400);
    assert_eq!(
        second.header("x-amzn-ErrorType"),
        Some("NotAuthorizedException:")
    );
    // Still open; Connection: close ends it after the reply.
    let third = conn
        .call(b"GET /_emulator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(third.status, 200);
    assert_eq!(third.header("connection"), Some("close"));
    assert!(conn.closed());
}

#[test]
fn malformed_chunked_and_oversized_requests_are_refused_and_the_server_keeps_serving() {
    let server = server(4);

    let mut conn = Conn::open(server.addr());
    let resp = conn.call(b"THIS IS NOT\x01 HTTP\r\n\r\n");
    assert_eq!(resp.status, 400);
    assert!(conn.closed());

    let mut conn = Conn::open(server.addr());
    let resp = conn.call(
        b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n",
    );
    assert_eq!(resp.status, 400);
    assert!(conn.closed());

    let mut conn = Conn::open(server.addr());
    let resp = conn.call(
        format!(
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY_LEN + 1
        )
        .as_bytes(),
    );
    assert_eq!(resp.status, 413);
    assert!(conn.closed());

    let mut conn = Conn::open(server.addr());
    let resp = conn.call(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n");
    assert_eq!(resp.status, 400);

    // Unknown paths and methods.
    let mut conn = Conn::open(server.addr());
    assert_eq!(conn.call(&get("/nope")).status, 404);
    let resp = conn.call(&get("/"));
    assert_eq!((resp.status, resp.header("allow")), (405, Some("POST")));

    // A body of exactly the limit is read (and refused by the pool as not JSON).
    let big = vec![b' '; MAX_BODY_LEN];
    let resp = conn.call(&post(
        "/",
        "Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AWSCognitoIdentityProviderService.GetUser\r\n",
        &big,
    ));
    assert_eq!(resp.status, 400);
    assert!(resp.header("x-amzn-ErrorType").is_some());

    // Still serving.
    let resp = conn.call(&get("/_emulator/health"));
    assert_eq!(resp.status, 200);
}

#[test]
fn a_stalled_client_is_cut_off() {
    let mut pool = UserPool::new(POOL_ID, 5);
    pool.add_client(CLIENT_ID, None);
    let options = EmulatorOptions {
        read_timeout: Duration::from_millis(300),
        ..EmulatorOptions::fixed_clock()
    };
    let server = EmulatorServer::start_with(pool, "127.0.0.1:0", options).unwrap();
    let started = Instant::now();
    let mut stalled = Conn::open(server.addr());
    stalled.send(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}");
    // Meanwhile others are served.
    let mut other = Conn::open(server.addr());
    assert_eq!(other.call(&get("/_emulator/health")).status, 200);
    let resp = stalled.response().unwrap();
    assert_eq!(resp.status, 408);
    assert!(stalled.closed());
    // An idle keep-alive connection is closed quietly.
    assert!(other.closed());
    assert!(started.elapsed() < Duration::from_secs(10));
    server.shutdown();
}

#[test]
fn outbox_shows_the_sign_up_code() {
    let server = server(6);
    let mut conn = Conn::open(server.addr());
    assert_eq!(conn.call(&get("/_emulator/outbox")).json(), json!([]));
    let resp = conn.call(&cognito(
        "SignUp",
        &json!({
            "ClientId": CLIENT_ID,
            "Username": "bob",
            "Password": "Passw0rd!",
            "UserAttributes": [{ "Name": "email", "Value": "bob@example.com" }],
        }),
    ));
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
    let outbox = conn.call(&get("/_emulator/outbox")).json();
    let messages = outbox.as_array().unwrap();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert_eq!(message["medium"], "EMAIL");
    assert_eq!(message["destination"], "bob@example.com");
    assert_eq!(message["username"], "bob");
    assert_eq!(message["purpose"], "SIGN_UP");
    assert_eq!(message["sent_at"], DEFAULT_TIME);
    let code = message["code"].as_str().unwrap().to_owned();
    assert_eq!(
        server.pool().lock().unwrap().last_code_sent("bob").unwrap(),
        code
    );
    let resp = conn.call(&cognito(
        "ConfirmSignUp",
        &json!({ "ClientId": CLIENT_ID, "Username": "bob", "ConfirmationCode": code }),
    ));
    assert_eq!(resp.status, 200, "{}", String::from_utf8_lossy(&resp.body));
}

#[test]
fn time_endpoint_moves_the_clock_and_the_date_header_follows() {
    let server = server(7);
    let mut conn = Conn::open(server.addr());
    let resp = conn.call(&get("/_emulator/time"));
    assert_eq!(resp.json(), json!({ "now": DEFAULT_TIME }));
    let resp = conn.call(&post("/_emulator/time", "", br#"{"advance": 100}"#));
    assert_eq!(resp.json(), json!({ "now": DEFAULT_TIME + 100 }));
    assert_eq!(
        parse_http_date(resp.header("date").unwrap())
            .unwrap()
            .as_secs(),
        DEFAULT_TIME + 100
    );
    let resp = conn.call(&post("/_emulator/time", "", br#"{"now": 1800000000}"#));
    assert_eq!(resp.json(), json!({ "now": 1_800_000_000u64 }));
    assert_eq!(server.pool().lock().unwrap().now(), 1_800_000_000);
    for bad in [
        &br#"{"advance": -1}"#[..],
        b"{}",
        b"nope",
        br#"{"now":1,"advance":1}"#,
    ] {
        assert_eq!(conn.call(&post("/_emulator/time", "", bad)).status, 400);
    }
    // Through the API too.
    assert_eq!(server.advance(5), 1_800_000_005);
    let resp = conn.call(&cognito("GetUser", &json!({ "AccessToken": "x" })));
    assert_eq!(
        parse_http_date(resp.header("date").unwrap())
            .unwrap()
            .as_secs(),
        1_800_000_005
    );
}

#[test]
fn by_default_the_clock_follows_the_system_clock() {
    let mut pool = UserPool::new(POOL_ID, 8);
    pool.add_client(CLIENT_ID, None);
    let server = EmulatorServer::start(pool, "127.0.0.1:0").unwrap();
    assert!(server.url().starts_with("http://127.0.0.1:"));
    assert!(server.url().ends_with('/'));
    let system = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let mut conn = Conn::open(server.addr());
    let resp = conn.call(&get("/_emulator/health"));
    let date = parse_http_date(resp.header("date").unwrap())
        .unwrap()
        .as_secs();
    assert!(date.abs_diff(system) < 60, "{date} vs {system}");
    // Setting the time keeps it running from there.
    let resp = conn.call(&post("/_emulator/time", "", br#"{"now": 2000000000}"#));
    assert!(resp.json()["now"].as_u64().unwrap().abs_diff(2_000_000_000) < 5);
    assert!(server.now().abs_diff(2_000_000_000) < 60);
}

#[test]
fn shutdown_stops_accepting_and_closes_connections() {
    let server = server(9);
    let addr = server.addr();
    let mut conn = Conn::open(addr);
    assert_eq!(conn.call(&get("/_emulator/health")).status, 200);
    let started = Instant::now();
    server.shutdown();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(conn.closed());
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_err());
}
