//! The HTTP/1.1 reply reader of the embassy adapter (`cognito_embassy::http::read_response`),
//! over a mock connection that hands the bytes over in fuzz-chosen pieces.
//!
//! Input: a mode byte. Modes 0–1 (raw): a buffer-size selector byte, a split seed byte, then the
//! byte stream. Modes 2–3 (structured): the input describes a reply (see [`Shape`]: status,
//! version, line endings, an interim `100 Continue`, framing — `Content-Length`, chunked with
//! fuzz-chosen chunk sizes, extensions, trailers and hex case, or the end of the connection —
//! and the headers that matter, with case and whitespace variations), the rest is the body; the
//! harness writes that reply and knows what must be read from it.
//!
//! Properties (raw): nothing panics; reading one byte at a time, in random pieces and all at
//! once gives the same reply, except that a reader that was handed bytes past the reply's end
//! reports them (`bytes after the reply`); the reply read byte by byte is exactly the bytes
//! consumed, which read again all at once give the same reply; a reply's status is final
//! (not 1xx), its body lies in the buffer, `as_core` and `server_time` agree with its fields.
//! (Structured): every read pattern returns exactly the reply written — status, the first
//! `x-amzn-ErrorType`, `Date` and `x-amzn-RequestId` values trimmed, the de-chunked body and
//! `keep_alive` as documented; a buffer one byte short of a `Content-Length` reply is
//! `TooLarge { needed: Some(<its length>) }`.

use core::convert::Infallible;

use cognito_core::http_date::parse_http_date;
use cognito_embassy::http::{HttpError, Response, read_response};
use embedded_io_async::{ErrorType, Read};

/// A connection that returns `data` in pieces of the sizes `sizes` yields (then EOF).
struct Conn<'d, F> {
    data: &'d [u8],
    pos: usize,
    sizes: F,
}

impl<F> ErrorType for Conn<'_, F> {
    type Error = Infallible;
}

impl<F: FnMut() -> usize> Read for Conn<'_, F> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Infallible> {
        let n = (self.sizes)()
            .max(1)
            .min(buf.len())
            .min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

/// A reply read, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Reply {
    status: u16,
    error_type: Option<String>,
    date: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
    keep_alive: bool,
}

type Outcome = Result<Reply, HttpError<Infallible>>;

/// How the stream is cut into reads.
#[derive(Clone, Copy)]
enum Pattern {
    AllAtOnce,
    ByteByByte,
    Random(u8),
}

/// Reads `data` through a `buf_len` buffer; also returns how many bytes were consumed.
fn read(data: &[u8], buf_len: usize, pattern: Pattern) -> (Outcome, usize) {
    let mut state = match pattern {
        Pattern::Random(seed) => u32::from(seed).wrapping_mul(2_654_435_761) | 1,
        _ => 0,
    };
    let sizes = move || match pattern {
        Pattern::AllAtOnce => usize::MAX,
        Pattern::ByteByByte => 1,
        Pattern::Random(_) => {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state % 23) as usize + 1
        }
    };
    let mut conn = Conn {
        data,
        pos: 0,
        sizes,
    };
    let mut buf = vec![0u8; buf_len];
    let buf_range = buf.as_ptr_range();
    let outcome = embassy_futures::block_on(read_response(&mut conn, &mut buf)).map(|r| {
        check_reply(&r, &buf_range);
        Reply {
            status: r.status,
            error_type: r.error_type.map(str::to_owned),
            date: r.date.map(str::to_owned),
            request_id: r.request_id.map(str::to_owned),
            body: r.body.to_vec(),
            keep_alive: r.keep_alive,
        }
    });
    (outcome, conn.pos)
}

/// What holds of any reply read.
fn check_reply(r: &Response<'_>, buf: &core::ops::Range<*const u8>) {
    assert!((200..=999).contains(&r.status), "status {}", r.status);
    let body = r.body.as_ptr_range();
    assert!(
        buf.start <= body.start && body.end <= buf.end,
        "body outside the buffer"
    );
    let core = r.as_core();
    assert_eq!(
        (core.status, core.error_type, core.body),
        (r.status, r.error_type, r.body)
    );
    assert_eq!(
        r.server_time(),
        r.date.and_then(|d| parse_http_date(d).ok())
    );
    for value in [r.error_type, r.date, r.request_id].into_iter().flatten() {
        assert_eq!(
            value,
            value.trim_matches([' ', '\t']),
            "header value not trimmed"
        );
    }
}

/// The harness.
pub fn embassy_http(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode & 2 == 0 {
        raw(rest);
    } else {
        structured(rest);
    }
}

fn raw(data: &[u8]) {
    let Some((&[size, seed], stream)) = data.split_first_chunk::<2>() else {
        return;
    };
    let buf_len = match size % 6 {
        0 => stream.len() + 64,
        1 => 16,
        2 => 64,
        3 => 256,
        4 => stream.len().max(1),
        _ => stream.len() / 2 + 1,
    };
    let (slow, consumed) = read(stream, buf_len, Pattern::ByteByByte);
    for pattern in [Pattern::AllAtOnce, Pattern::Random(seed)] {
        let (other, _) = read(stream, buf_len, pattern);
        match (&slow, &other) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "read patterns disagree"),
            (Ok(_), Err(HttpError::Malformed("bytes after the reply"))) => {
                assert!(consumed < stream.len(), "no bytes after the reply");
            }
            (Err(a), Err(b)) => assert!(
                same_failure(a, b),
                "read patterns fail differently: byte by byte {a:?}, in larger pieces {b:?}"
            ),
            (a, b) => panic!("byte by byte {a:?}, in larger pieces {b:?}"),
        }
    }
    if let Ok(reply) = &slow {
        // The reply is exactly the bytes consumed.
        let (again, _) = read(&stream[..consumed], buf_len, Pattern::AllAtOnce);
        assert_eq!(again.as_ref(), Ok(reply), "the consumed bytes read alone");
    }
}

/// Whether two read patterns failed alike. Bytes read ahead can only add the complaint about
/// them; and the head is parsed only once a read brings a line end, so a pattern that ends
/// inside a bad line reports the end of the connection or a full buffer where one that had the
/// whole line (more read at once) reports the bad line.
fn same_failure(a: &HttpError<Infallible>, b: &HttpError<Infallible>) -> bool {
    let unparsed = |e: &HttpError<Infallible>| {
        matches!(e, HttpError::Closed | HttpError::TooLarge { needed: None })
    };
    a == b
        || *b == HttpError::Malformed("bytes after the reply")
        || matches!((a, b), (HttpError::Malformed(_), _) if unparsed(b))
        || matches!((a, b), (_, HttpError::Malformed(_)) if unparsed(a))
}

/// A reply the harness writes, from the input.
struct Shape<'a> {
    status: u16,
    http10: bool,
    lf_only: bool,
    interim: bool,
    framing: u8,
    error_type: bool,
    date: bool,
    request_id: bool,
    upper_names: bool,
    padded_values: bool,
    keep_alive_header: bool,
    identity_encoding: bool,
    second_error_type: bool,
    chunk_ext: bool,
    trailer: bool,
    upper_hex: bool,
    chunk_seed: u8,
    short_buffer: bool,
    body: &'a [u8],
}

const STATUSES: [u16; 8] = [200, 201, 204, 304, 400, 404, 500, 503];
const ERROR_TYPE: &str = "NotAuthorizedException:http://internal.amazon.com/coral/";
const DATE: &str = "Sun, 06 Nov 1994 08:49:37 GMT";
const REQUEST_ID: &str = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

fn shape(data: &[u8]) -> Option<Shape<'_>> {
    let (&[s, f1, f2, seed], body) = data.split_first_chunk::<4>()?;
    let status = STATUSES[usize::from(s & 7)];
    let http10 = f1 & 1 != 0;
    // Chunked coding is not HTTP/1.0; 204 and 304 have no body.
    let mut framing = (f1 >> 3) & 3;
    if http10 && framing == 1 {
        framing = 0;
    }
    let no_body = matches!(status, 204 | 304);
    Some(Shape {
        status,
        http10,
        lf_only: f1 & 2 != 0,
        interim: f1 & 4 != 0,
        framing,
        error_type: f1 & 32 != 0,
        date: f1 & 64 != 0,
        request_id: f1 & 128 != 0,
        upper_names: f2 & 1 != 0,
        padded_values: f2 & 2 != 0,
        keep_alive_header: f2 & 4 != 0,
        identity_encoding: f2 & 8 != 0,
        second_error_type: f2 & 16 != 0,
        chunk_ext: f2 & 32 != 0,
        trailer: f2 & 64 != 0,
        upper_hex: f2 & 128 != 0,
        chunk_seed: seed,
        short_buffer: s & 8 != 0,
        body: if no_body { &[] } else { body },
    })
}

/// Writes the reply; returns the bytes and the reply that must be read from them.
fn write(s: &Shape<'_>) -> (Vec<u8>, Reply) {
    let eol = if s.lf_only { "\n" } else { "\r\n" };
    let name = |n: &str| {
        if s.upper_names {
            n.to_ascii_uppercase()
        } else {
            n.to_owned()
        }
    };
    let value = |v: &str| {
        if s.padded_values {
            format!(" \t{v}  ")
        } else {
            v.to_owned()
        }
    };
    let mut out = String::new();
    if s.interim {
        out.push_str(&format!("HTTP/1.1 100 Continue{eol}{eol}"));
    }
    let version = if s.http10 { "HTTP/1.0" } else { "HTTP/1.1" };
    out.push_str(&format!("{version} {} Whatever{eol}", s.status));
    out.push_str(&format!("{}: Server{eol}", name("Server")));
    if s.error_type {
        out.push_str(&format!(
            "{}:{}{eol}",
            name("x-amzn-ErrorType"),
            value(ERROR_TYPE)
        ));
        if s.second_error_type {
            out.push_str(&format!("{}: Other{eol}", name("X-Amzn-ErrorType")));
        }
    }
    if s.date {
        out.push_str(&format!("{}:{}{eol}", name("Date"), value(DATE)));
    }
    if s.request_id {
        out.push_str(&format!(
            "{}:{}{eol}",
            name("x-amzn-RequestId"),
            value(REQUEST_ID)
        ));
    }
    if s.identity_encoding {
        out.push_str(&format!("{}: identity{eol}", name("Content-Encoding")));
    }
    let close = s.framing == 2;
    let keep_alive_header = s.keep_alive_header && !close;
    if close {
        out.push_str(&format!("{}: close{eol}", name("Connection")));
    } else if keep_alive_header {
        out.push_str(&format!("{}: keep-alive{eol}", name("Connection")));
    }
    let no_body = matches!(s.status, 204 | 304);
    let chunked = s.framing == 1 && !no_body;
    if chunked {
        out.push_str(&format!("{}: chunked{eol}", name("Transfer-Encoding")));
    } else if !close || no_body {
        let len = s.body.len();
        out.push_str(&format!("{}: {len}{eol}", name("Content-Length")));
        if s.framing == 3 {
            out.push_str(&format!(
                "{}:{}{eol}",
                name("content-length"),
                value(&len.to_string())
            ));
        }
    }
    out.push_str(eol);
    let mut bytes = out.into_bytes();
    if chunked {
        let mut rest = s.body;
        let mut state = u32::from(s.chunk_seed) | 1;
        while !rest.is_empty() {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            let n = ((state >> 16) as usize % 40 + 1).min(rest.len());
            let size = if s.upper_hex {
                format!("{n:X}")
            } else {
                format!("{n:x}")
            };
            let ext = if s.chunk_ext { ";name=\"v\"" } else { "" };
            bytes.extend_from_slice(format!("{size}{ext}\r\n").as_bytes());
            bytes.extend_from_slice(&rest[..n]);
            bytes.extend_from_slice(b"\r\n");
            rest = &rest[n..];
        }
        bytes.extend_from_slice(b"0\r\n");
        if s.trailer {
            bytes.extend_from_slice(b"X-Trailer: 1\r\n");
        }
        bytes.extend_from_slice(b"\r\n");
    } else {
        bytes.extend_from_slice(s.body);
    }
    let until_close = close && !no_body;
    let keep_alive = !close && (!s.http10 || keep_alive_header) && !until_close;
    let expected = Reply {
        status: s.status,
        error_type: s.error_type.then(|| ERROR_TYPE.to_owned()),
        date: s.date.then(|| DATE.to_owned()),
        request_id: s.request_id.then(|| REQUEST_ID.to_owned()),
        body: s.body.to_vec(),
        keep_alive,
    };
    (bytes, expected)
}

fn structured(data: &[u8]) {
    let Some(shape) = shape(data) else {
        return;
    };
    let (bytes, expected) = write(&shape);
    let ample = bytes.len() + 64;
    for pattern in [
        Pattern::AllAtOnce,
        Pattern::ByteByByte,
        Pattern::Random(shape.chunk_seed),
    ] {
        let (got, consumed) = read(&bytes, ample, pattern);
        assert_eq!(got.as_ref(), Ok(&expected), "the reply written");
        assert_eq!(consumed, bytes.len());
    }
    let sized = shape.framing != 1 && shape.framing != 2 && !shape.body.is_empty();
    if shape.short_buffer && sized {
        let (got, _) = read(&bytes, bytes.len() - 1, Pattern::AllAtOnce);
        assert_eq!(
            got,
            Err(HttpError::TooLarge {
                needed: Some(bytes.len())
            })
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// fuzz/regressions/embassy_http/bad-header-line-without-its-end: a bad header line that the
    /// connection ends inside. Read at once, httparse sees it and says what is wrong; read byte
    /// by byte, the head is parsed at line ends only, so the reader sees the connection close.
    #[test]
    fn a_bad_line_without_its_end_fails_by_pattern() {
        let stream = b"HTTP/1.1 200\r\n{}";
        let (at_once, _) = read(stream, 64, Pattern::AllAtOnce);
        let (slowly, _) = read(stream, 64, Pattern::ByteByByte);
        assert_eq!(at_once, Err(HttpError::Malformed("header name")));
        assert_eq!(slowly, Err(HttpError::Closed));
        assert!(same_failure(&slowly.unwrap_err(), &at_once.unwrap_err()));
    }
}
