//! The loopback listener a hosted-UI sign-in comes back to: `http://127.0.0.1:<port>/callback`.
//!
//! A minimal HTTP/1.1 server: it reads one request line (and skips the headers) per connection,
//! hands the request target to the caller, and answers with a small HTML page. What the target
//! means (state, code, error) is the core's to decide.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use zeroize::Zeroizing;

/// The default port (`--port`): the app client's callback URLs must list
/// `http://127.0.0.1:8400/callback`.
pub(crate) const DEFAULT_PORT: u16 = 8400;
/// The default wait for the browser (`--timeout`), in seconds.
pub(crate) const DEFAULT_TIMEOUT_SECS: u64 = 300;
/// The path of the redirect URI.
pub(crate) const CALLBACK_PATH: &str = "/callback";

/// The longest request line or header line read.
const MAX_LINE: usize = 16 * 1024;
/// The most header lines skipped.
const MAX_HEADERS: usize = 100;
/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a waiting accept looks again.
const POLL: Duration = Duration::from_millis(25);

/// A listener on 127.0.0.1.
#[derive(Debug)]
pub(crate) struct CallbackListener {
    listener: TcpListener,
    port: u16,
}

/// A request the browser made: the connection to answer on and the request target (path and
/// query; it may carry the authorization code, so it is zeroized on drop).
pub(crate) struct Incoming {
    stream: TcpStream,
    /// `/callback?…` as sent.
    pub(crate) target: Zeroizing<String>,
}

impl Incoming {
    /// Whether the request is for the callback path (anything else, such as `/favicon.ico`,
    /// is answered with 404).
    pub(crate) fn is_callback(&self) -> bool {
        let path = self.target.split(['?', '#']).next().unwrap_or_default();
        path == CALLBACK_PATH
    }

    /// Answers with `status` and a page titled `title` saying `message`, and closes the
    /// connection.
    pub(crate) fn respond(mut self, status: u16, title: &str, message: &str) {
        let reason = match status {
            200 => "OK",
            404 => "Not Found",
            _ => "Bad Request",
        };
        let body = page(title, message);
        let head = format!(
            "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
             Content-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = self
            .stream
            .write_all(head.as_bytes())
            .and_then(|()| self.stream.write_all(body.as_bytes()))
            .and_then(|()| self.stream.flush());
        let _ = self.stream.shutdown(std::net::Shutdown::Both);
    }
}

impl CallbackListener {
    /// Listens on `127.0.0.1:port` (0: a free port).
    pub(crate) fn bind(port: u16) -> std::io::Result<Self> {
        let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
        let port = listener.local_addr()?.port();
        listener.set_nonblocking(true)?;
        Ok(Self { listener, port })
    }

    /// `http://127.0.0.1:<port>/callback`.
    pub(crate) fn redirect_uri(&self) -> String {
        format!("http://127.0.0.1:{}{CALLBACK_PATH}", self.port)
    }

    /// The next request that reads as one, or `None` once `deadline` has passed. Connections
    /// that send no request line are closed and skipped.
    pub(crate) fn next(&self, deadline: Instant) -> std::io::Result<Option<Incoming>> {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    stream.set_nonblocking(false)?;
                    stream.set_read_timeout(Some(READ_TIMEOUT))?;
                    stream.set_write_timeout(Some(READ_TIMEOUT))?;
                    let mut stream = stream;
                    match read_target(&mut stream) {
                        Some(target) => return Ok(Some(Incoming { stream, target })),
                        None => {
                            let incoming = Incoming {
                                stream,
                                target: Zeroizing::new(String::new()),
                            };
                            incoming.respond(400, "Bad request", "This is not a request.");
                        }
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    if Instant::now() >= deadline {
                        return Ok(None);
                    }
                    std::thread::sleep(POLL);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

/// The target of a `GET <target> HTTP/1.x` request line, after skipping the headers; `None`
/// for anything else.
fn read_target(stream: &mut impl Read) -> Option<Zeroizing<String>> {
    let mut reader = BufReader::new(stream);
    let line = read_line(&mut reader)?;
    let mut parts = line.split(' ');
    let (method, target, version) = (parts.next()?, parts.next()?, parts.next()?);
    if method != "GET" || !version.starts_with("HTTP/1.") || parts.next().is_some() {
        return None;
    }
    let target = Zeroizing::new(target.to_owned());
    for _ in 0..MAX_HEADERS {
        if read_line(&mut reader)?.is_empty() {
            return Some(target);
        }
    }
    None
}

/// One line without its line ending, at most [`MAX_LINE`] bytes, as text.
fn read_line(reader: &mut impl BufRead) -> Option<Zeroizing<String>> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(256));
    let read = reader
        .take(u64::try_from(MAX_LINE).unwrap_or(u64::MAX))
        .read_until(b'\n', &mut bytes)
        .ok()?;
    if read == 0 || bytes.last() != Some(&b'\n') {
        return None;
    }
    let text = std::str::from_utf8(&bytes).ok()?;
    Some(Zeroizing::new(
        text.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

/// A small HTML page.
fn page(title: &str, message: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t}</title></head>\
         <body style=\"font-family: sans-serif; margin: 3em\"><h1>{t}</h1><p>{m}</p></body></html>\n",
        t = escape(title),
        m = escape(message)
    )
}

/// `text` with HTML's special characters escaped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn get(port: u16, raw: &[u8]) -> String {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream.write_all(raw).unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    }

    #[test]
    fn request_targets_are_read_from_get_lines_only() {
        let read = |raw: &[u8]| read_target(&mut &raw[..]).map(|t| t.to_string());
        assert_eq!(
            read(b"GET /callback?code=a&state=b HTTP/1.1\r\nHost: x\r\n\r\n").as_deref(),
            Some("/callback?code=a&state=b")
        );
        assert_eq!(read(b"GET / HTTP/1.0\n\n").as_deref(), Some("/"));
        for bad in [
            &b"POST /callback HTTP/1.1\r\n\r\n"[..],
            b"GET /callback\r\n\r\n",
            b"GET /a b HTTP/1.1\r\n\r\n",
            b"GET /callback HTTP/1.1\r\nHost: x\r\n",
            b"",
            b"\xff\xfe HTTP/1.1\r\n\r\n",
        ] {
            assert_eq!(read(bad), None, "{bad:?}");
        }
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_LINE));
        assert_eq!(read(long.as_bytes()), None);
    }

    #[test]
    fn pages_escape_what_they_show() {
        let html = page("Signed <in>", "a & \"b\"");
        assert!(html.contains("Signed &lt;in&gt;"));
        assert!(html.contains("a &amp; &quot;b&quot;"));
    }

    #[test]
    fn the_listener_hands_over_requests_and_answers_them() {
        let listener = CallbackListener::bind(0).unwrap();
        let port = listener.port;
        assert_eq!(
            listener.redirect_uri(),
            format!("http://127.0.0.1:{port}/callback")
        );
        let browser = std::thread::spawn(move || {
            let favicon = get(port, b"GET /favicon.ico HTTP/1.1\r\nHost: x\r\n\r\n");
            // A connection that sends nothing usable is answered and skipped.
            let garbage = get(port, b"HELLO\r\n\r\n");
            let callback = get(port, b"GET /callback?code=c&state=s HTTP/1.1\r\n\r\n");
            (favicon, garbage, callback)
        });
        let deadline = Instant::now() + Duration::from_secs(20);
        let first = listener.next(deadline).unwrap().unwrap();
        assert!(!first.is_callback());
        first.respond(404, "Not found", "nothing here");
        let second = listener.next(deadline).unwrap().unwrap();
        assert!(second.is_callback());
        assert_eq!(second.target.as_str(), "/callback?code=c&state=s");
        second.respond(200, "Signed in", "You can close this window.");
        let (favicon, garbage, callback) = browser.join().unwrap();
        assert!(favicon.starts_with("HTTP/1.1 404 "), "{favicon}");
        assert!(garbage.starts_with("HTTP/1.1 400 "), "{garbage}");
        assert!(callback.starts_with("HTTP/1.1 200 OK\r\n"), "{callback}");
        assert!(callback.contains("You can close this window."));
    }

    #[test]
    fn waiting_ends_at_the_deadline() {
        let listener = CallbackListener::bind(0).unwrap();
        let started = Instant::now();
        let none = listener
            .next(Instant::now() + Duration::from_millis(100))
            .unwrap();
        assert!(none.is_none());
        assert!(started.elapsed() >= Duration::from_millis(100));
    }
}
