//! A loopback HTTP/1.1 server for the pool domain's and the identity pool's tests
//! (`oauth.rs`, `identity.rs`): it keeps connections alive, records every request (head and body,
//! as received), counts the connections opened, and answers as the test says; and a wall clock
//! the test sets.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use cognito_core::time::UnixTime;
use cognito_embassy::clock::WallClock;
use cognito_embassy::connect::InsecurePlaintextTcp;
use std_embedded_nal_async::Stack;

/// `Tue, 14 Nov 2023 22:13:20 GMT`, the time of the server's `Date` header.
pub(crate) const T0: u64 = 1_700_000_000;
/// The `Date` header the server sends when asked to.
pub(crate) const HTTP_DATE: &str = "Tue, 14 Nov 2023 22:13:20 GMT";
/// The status that makes the server close the connection instead of replying.
pub(crate) const HANG_UP: u16 = 0;

/// What the server answers to request `n` (from 0), given the request (head and body): status
/// ([`HANG_UP`]: none), body, whether to send `Date`.
type Replier = dyn Fn(usize, &str) -> (u16, String, bool) + Send + Sync;

/// A loopback HTTP/1.1 server that keeps connections alive, records every request and counts
/// the connections opened.
pub(crate) struct RecordingServer {
    pub(crate) addr: SocketAddr,
    requests: Arc<Mutex<Vec<String>>>,
    connections: Arc<AtomicUsize>,
}

impl RecordingServer {
    /// Starts a server that answers request `n` (counted from 0 over all connections) with
    /// `reply(n)`: status, JSON body, whether to send `Date` ([`HTTP_DATE`]).
    pub(crate) fn start(
        reply: impl Fn(usize) -> (u16, String, bool) + Send + Sync + 'static,
    ) -> Self {
        Self::answering(move |n, _| reply(n))
    }

    /// Starts a server that answers request `n` with `reply(n, request)`, as [`Self::start`].
    pub(crate) fn answering(
        reply: impl Fn(usize, &str) -> (u16, String, bool) + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let reply: Arc<Replier> = Arc::new(reply);
        let (seen, opened) = (Arc::clone(&requests), Arc::clone(&connections));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                opened.fetch_add(1, Ordering::SeqCst);
                let (seen, reply) = (Arc::clone(&seen), Arc::clone(&reply));
                std::thread::spawn(move || serve(stream, &seen, &*reply));
            }
        });
        Self {
            addr,
            requests,
            connections,
        }
    }

    /// Every request received so far, head and body.
    pub(crate) fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// The connections opened so far.
    pub(crate) fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// A plain-TCP connector to this server over `stack`, naming the host `127.0.0.1`.
    pub(crate) fn connector<'s>(&self, stack: &'s Stack) -> InsecurePlaintextTcp<'s, Stack, Stack> {
        InsecurePlaintextTcp::new_insecure(stack, stack, "127.0.0.1", self.addr.port())
    }
}

fn serve(stream: TcpStream, seen: &Mutex<Vec<String>>, reply: &Replier) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut head = String::new();
        let mut len = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if let Some(value) = line
                .to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
            {
                len = value.parse().unwrap();
            }
            head.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; len];
        reader.read_exact(&mut body).unwrap();
        let request = head + &String::from_utf8(body).unwrap();
        let n = {
            let mut seen = seen.lock().unwrap();
            seen.push(request.clone());
            seen.len() - 1
        };
        let (status, body, date) = reply(n, &request);
        if status == HANG_UP {
            return;
        }
        let date = if date {
            format!("Date: {HTTP_DATE}\r\n")
        } else {
            String::new()
        };
        let response = format!(
            "HTTP/1.1 {status} Recorded\r\nContent-Type: application/json;charset=UTF-8\r\n{date}\
             Content-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

/// A wall clock the test sets.
pub(crate) struct TestClock(AtomicU64);

impl TestClock {
    /// A clock showing `secs`.
    pub(crate) fn at(secs: u64) -> Self {
        Self(AtomicU64::new(secs))
    }

    /// Sets it to `secs`.
    pub(crate) fn set(&self, secs: u64) {
        self.0.store(secs, Ordering::SeqCst);
    }
}

impl WallClock for TestClock {
    fn now(&self) -> Option<UnixTime> {
        Some(UnixTime::from_secs(self.0.load(Ordering::SeqCst)))
    }
}
