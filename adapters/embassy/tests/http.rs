//! The HTTP/1.1 layer against a scripted connection: replies served in chosen read sizes,
//! requests recorded as written.

// Test code: a failed unwrap or index is a failed test, which is the point.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    clippy::std_instead_of_alloc
)]

use cognito_core::wire::{Operation, Request, Resend, http_request_len, write_http_request};
use cognito_embassy::http::{
    HttpError, MAX_HEADERS, Response, read_response, request_head_len, write_request,
};
use embassy_futures::block_on;
use embedded_io_async::{ErrorKind, ErrorType, Read, Write};
use proptest::prelude::*;

/// A connection that serves scripted bytes in chosen read sizes and records what is written.
#[derive(Debug, Default)]
struct Mock {
    input: Vec<u8>,
    /// Read sizes, used in turn and cycled (an empty list serves as much as asked for).
    reads: Vec<usize>,
    next_read: usize,
    /// Bytes handed out so far.
    served: usize,
    /// The error to report once the input is exhausted, instead of the end of the connection.
    error_at_end: Option<ErrorKind>,
    written: Vec<u8>,
    /// The most bytes one write accepts (0: writes accept nothing).
    write_size: usize,
    /// The error to report on writes after this many bytes were written.
    fail_write_after: Option<usize>,
    flushes: usize,
}

impl Mock {
    fn serving(input: &[u8], reads: &[usize]) -> Self {
        Mock {
            input: input.to_vec(),
            reads: reads.to_vec(),
            write_size: usize::MAX,
            ..Mock::default()
        }
    }

    fn writer(write_size: usize) -> Self {
        Mock {
            write_size,
            ..Mock::default()
        }
    }
}

impl ErrorType for Mock {
    type Error = ErrorKind;
}

impl Read for Mock {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let left = &self.input[self.served..];
        if left.is_empty() {
            return match self.error_at_end {
                Some(kind) => Err(kind),
                None => Ok(0),
            };
        }
        let size = match self.reads.as_slice() {
            [] => usize::MAX,
            reads => reads[self.next_read % reads.len()].max(1),
        };
        self.next_read += 1;
        let n = size.min(buf.len()).min(left.len());
        buf[..n].copy_from_slice(&left[..n]);
        self.served += n;
        Ok(n)
    }
}

impl Write for Mock {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
        if self
            .fail_write_after
            .is_some_and(|after| self.written.len() >= after)
        {
            return Err(ErrorKind::ConnectionReset);
        }
        let n = self.write_size.min(buf.len());
        self.written.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    async fn flush(&mut self) -> Result<(), ErrorKind> {
        self.flushes += 1;
        Ok(())
    }
}

/// A reply copied out of the buffer, to compare.
#[derive(Debug, PartialEq, Eq)]
struct Owned {
    status: u16,
    error_type: Option<String>,
    date: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
    keep_alive: bool,
}

impl From<Response<'_>> for Owned {
    fn from(r: Response<'_>) -> Self {
        Owned {
            status: r.status,
            error_type: r.error_type.map(str::to_owned),
            date: r.date.map(str::to_owned),
            request_id: r.request_id.map(str::to_owned),
            body: r.body.to_vec(),
            keep_alive: r.keep_alive,
        }
    }
}

type Outcome = Result<Owned, HttpError<ErrorKind>>;

/// Reads `reply` served in `reads`-sized pieces into a buffer of `buf_len` bytes; also returns
/// how many bytes were taken from the connection.
fn read_with(mut mock: Mock, buf_len: usize) -> (Outcome, usize) {
    let mut buf = vec![0u8; buf_len];
    let outcome = block_on(read_response(&mut mock, &mut buf)).map(Owned::from);
    if let Ok(reply) = &outcome {
        assert!(reply.body.len() <= buf_len);
    }
    (outcome, mock.served)
}

fn read(reply: &[u8], reads: &[usize], buf_len: usize) -> Outcome {
    read_with(Mock::serving(reply, reads), buf_len).0
}

/// Reads `reply` in every read size from 1 byte to all at once; all must give the same outcome.
fn read_all_ways(reply: &[u8], buf_len: usize) -> Outcome {
    let whole = read(reply, &[], buf_len);
    for size in [1, 2, 3, 5, 7, 16, 64] {
        assert_eq!(
            read(reply, &[size], buf_len),
            whole,
            "reads of {size} bytes"
        );
    }
    assert_eq!(read(reply, &[1, 9, 2, 30], buf_len), whole, "mixed reads");
    whole
}

fn ok(status: u16, body: &[u8], keep_alive: bool) -> Owned {
    Owned {
        status,
        error_type: None,
        date: None,
        request_id: None,
        body: body.to_vec(),
        keep_alive,
    }
}

const BODY: &[u8] = br#"{"AuthenticationResult":{"AccessToken":"a.b.c"}}"#;

fn content_length_reply(body: &[u8]) -> Vec<u8> {
    let mut reply = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    reply.extend_from_slice(body);
    reply
}

fn malformed(outcome: Outcome) -> &'static str {
    match outcome {
        Err(HttpError::Malformed(what)) => what,
        other => panic!("expected Malformed, got {other:?}"),
    }
}

// --- Bodies ---------------------------------------------------------------------------------

#[test]
fn content_length_reply_in_one_byte_reads() {
    let reply = content_length_reply(BODY);
    assert_eq!(read(&reply, &[1], 1024), Ok(ok(200, BODY, true)));
    assert_eq!(read_all_ways(&reply, 1024), Ok(ok(200, BODY, true)));
}

#[test]
fn content_length_reads_stop_at_the_body_end() {
    // The buffer exactly fits, and the reads never ask past the body.
    let reply = content_length_reply(BODY);
    let (outcome, served) = read_with(Mock::serving(&reply, &[]), reply.len());
    assert_eq!(outcome, Ok(ok(200, BODY, true)));
    assert_eq!(served, reply.len());
}

#[test]
fn empty_bodies() {
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    assert_eq!(read_all_ways(reply, 64), Ok(ok(200, b"", true)));
    // 204 and 304 have no body, whatever their head says.
    let reply = b"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n";
    assert_eq!(read_all_ways(reply, 64), Ok(ok(204, b"", true)));
    let reply = b"HTTP/1.1 304 Not Modified\r\n\r\n";
    assert_eq!(read_all_ways(reply, 64), Ok(ok(304, b"", true)));
}

#[test]
fn chunked_reply_with_extensions_and_trailers() {
    let reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
        5;name=value\r\nhello\r\n\
        1 ; quoted=\"a;b\"\r\n \r\n\
        00006\r\nworld!\r\n\
        0;last\r\nX-Checksum: abc\r\nX-Other: d\r\n\r\n";
    assert_eq!(
        read_all_ways(reply, 256),
        Ok(ok(200, b"hello world!", true))
    );
    let reply = b"HTTP/1.1 200 OK\r\ntransfer-encoding: Chunked\r\n\r\n0\r\n\r\n";
    assert_eq!(read_all_ways(reply, 64), Ok(ok(200, b"", true)));
}

#[test]
fn chunked_body_is_decoded_in_a_buffer_smaller_than_the_raw_reply() {
    // 300 bytes in 10-byte chunks: 502 raw bytes, decoded in a 350-byte buffer.
    let mut reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let head = reply.len();
    let body: Vec<u8> = (0..300u32).map(|i| b'a' + (i % 26) as u8).collect();
    for chunk in body.chunks(10) {
        reply.extend_from_slice(b"a\r\n");
        reply.extend_from_slice(chunk);
        reply.extend_from_slice(b"\r\n");
    }
    reply.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(reply.len(), head + 300 + 30 * 5 + 5);
    assert_eq!(
        read_all_ways(&reply, head + 300 + 3),
        Ok(ok(200, &body, true))
    );
    // The framing may add the buffer's length again, no more: 600 one-byte chunks carry
    // 3,005 bytes of framing, too much for a 700-byte buffer that fits their decoded body.
    let mut long = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..600 {
        long.extend_from_slice(b"1\r\nx\r\n");
    }
    long.extend_from_slice(b"0\r\n\r\n");
    assert_eq!(
        read(&long, &[], 700),
        Err(HttpError::TooLarge { needed: None })
    );
    assert_eq!(read(&long, &[], 4000).map(|r| r.body.len()), Ok(600));
}

#[test]
fn connection_close_reads_to_the_end() {
    let mut reply = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
    reply.extend_from_slice(BODY);
    assert_eq!(read_all_ways(&reply, 256), Ok(ok(200, BODY, false)));
    // A body that exactly fills the buffer, then the end.
    assert_eq!(read_all_ways(&reply, reply.len()), Ok(ok(200, BODY, false)));
    // HTTP/1.0 closes by default.
    let mut reply = b"HTTP/1.0 200 OK\r\n\r\n".to_vec();
    reply.extend_from_slice(BODY);
    assert_eq!(read_all_ways(&reply, 256), Ok(ok(200, BODY, false)));
}

#[test]
fn interim_replies_are_skipped() {
    let mut reply =
        b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nX: y\r\n\r\n".to_vec();
    reply.extend_from_slice(&content_length_reply(BODY));
    assert_eq!(read_all_ways(&reply, 1024), Ok(ok(200, BODY, true)));
    // The interim heads count against the buffer.
    assert_eq!(
        read(&reply, &[], reply.len() - 1),
        Err(HttpError::TooLarge {
            needed: Some(reply.len())
        })
    );
    let reply = b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n";
    assert_eq!(malformed(read(reply, &[], 256)), "101 Switching Protocols");
}

#[test]
fn endless_interim_replies_end_in_too_large() {
    let reply = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(1000);
    assert_eq!(
        read(&reply, &[7], 512),
        Err(HttpError::TooLarge { needed: None })
    );
}

// --- Headers --------------------------------------------------------------------------------

#[test]
fn error_type_date_and_request_id_are_extracted_case_insensitively() {
    let body =
        br#"{"__type":"NotAuthorizedException","message":"Incorrect username or password."}"#;
    let reply = format!(
        "HTTP/1.1 400 Bad Request\r\nx-amzn-requestid: 1f0e-42\r\nX-AMZN-ERRORTYPE: \
         NotAuthorizedException:\r\ndate:  Sun, 06 Nov 1994 08:49:37 GMT \r\n\
         Date: Mon, 07 Nov 1994 08:49:37 GMT\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut reply = reply.into_bytes();
    reply.extend_from_slice(body);
    let expected = Owned {
        status: 400,
        error_type: Some("NotAuthorizedException:".into()),
        date: Some("Sun, 06 Nov 1994 08:49:37 GMT".into()),
        request_id: Some("1f0e-42".into()),
        body: body.to_vec(),
        keep_alive: true,
    };
    assert_eq!(read_all_ways(&reply, 1024), Ok(expected));

    let mut buf = [0u8; 1024];
    let response = block_on(read_response(&mut Mock::serving(&reply, &[3]), &mut buf)).unwrap();
    assert_eq!(
        response.server_time().map(|t| t.as_secs()),
        Some(784_111_777)
    );
    let core = response.as_core();
    assert_eq!(
        (core.status, core.error_type, core.body),
        (400, Some("NotAuthorizedException:"), &body[..])
    );
    match cognito_core::wire::read_response(&core) {
        Err(cognito_core::Error::Service(e)) => {
            assert_eq!(e.kind(), cognito_core::wire::ErrorKind::NotAuthorized);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn keep_alive() {
    let with = |head: &str| {
        let mut reply = head.as_bytes().to_vec();
        reply.extend_from_slice(b"Content-Length: 2\r\n\r\n{}");
        read_all_ways(&reply, 256).map(|r| r.keep_alive)
    };
    assert_eq!(with("HTTP/1.1 200 OK\r\n"), Ok(true));
    assert_eq!(
        with("HTTP/1.1 200 OK\r\nConnection: keep-alive\r\n"),
        Ok(true)
    );
    assert_eq!(with("HTTP/1.1 200 OK\r\nConnection: close\r\n"), Ok(false));
    assert_eq!(
        with("HTTP/1.1 200 OK\r\nConnection: Upgrade, CLOSE\r\n"),
        Ok(false)
    );
    assert_eq!(with("HTTP/1.0 200 OK\r\n"), Ok(false));
    assert_eq!(
        with("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\n"),
        Ok(true)
    );
    assert_eq!(
        with("HTTP/1.0 200 OK\r\nConnection: keep-alive, close\r\n"),
        Ok(false)
    );
}

// --- Cut replies ----------------------------------------------------------------------------

#[test]
fn cut_replies_are_closed() {
    let reply = content_length_reply(BODY);
    let head_len = reply.len() - BODY.len();
    for cut in [
        0,
        1,
        10,
        head_len - 1,
        head_len,
        head_len + 1,
        reply.len() - 1,
    ] {
        for reads in [&[1][..], &[]] {
            assert_eq!(
                read(&reply[..cut], reads, 1024),
                Err(HttpError::Closed),
                "cut at {cut}"
            );
        }
    }
    let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
    for cut in 0..chunked.len() {
        assert_eq!(
            read(&chunked[..cut], &[2], 1024),
            Err(HttpError::Closed),
            "cut at {cut}"
        );
    }
}

#[test]
fn read_errors_are_io() {
    let reply = content_length_reply(BODY);
    let mut mock = Mock::serving(&reply[..40], &[]);
    mock.error_at_end = Some(ErrorKind::TimedOut);
    assert_eq!(
        read_with(mock, 1024).0,
        Err(HttpError::Io(ErrorKind::TimedOut))
    );
}

// --- Limits ---------------------------------------------------------------------------------

#[test]
fn content_length_beyond_the_buffer_is_too_large_before_the_body_is_read() {
    let reply = content_length_reply(&[b'x'; 4000]);
    let head_len = reply.len() - 4000;
    for buf_len in [head_len, head_len + 1, reply.len() - 1] {
        let (outcome, served) = read_with(Mock::serving(&reply, &[64]), buf_len);
        assert_eq!(
            outcome,
            Err(HttpError::TooLarge {
                needed: Some(reply.len())
            })
        );
        assert!(
            served <= buf_len,
            "{served} bytes taken for a {buf_len}-byte buffer"
        );
    }
    let reply = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999999\r\n\r\n";
    assert_eq!(
        read(reply, &[], 256),
        Err(HttpError::TooLarge { needed: None })
    );
}

#[test]
fn replies_without_length_beyond_the_buffer_are_too_large() {
    let mut reply = b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n".to_vec();
    reply.extend_from_slice(&[b'x'; 4000]);
    for buf_len in [100, reply.len() - 1] {
        let (outcome, served) = read_with(Mock::serving(&reply, &[50]), buf_len);
        assert_eq!(outcome, Err(HttpError::TooLarge { needed: None }));
        // The buffer, and one byte read to learn that more was coming.
        assert!(served <= buf_len + 1);
    }
    let mut chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    chunked.extend_from_slice(b"fa0\r\n");
    chunked.extend_from_slice(&[b'x'; 4000]);
    chunked.extend_from_slice(b"\r\n0\r\n\r\n");
    let (outcome, served) = read_with(Mock::serving(&chunked, &[50]), 1000);
    assert_eq!(outcome, Err(HttpError::TooLarge { needed: None }));
    assert!(served <= 1000);
    // A head that never ends.
    let endless = [b"HTTP/1.1 200 OK\r\nX: ".as_slice(), &[b'y'; 5000]].concat();
    let (outcome, served) = read_with(Mock::serving(&endless, &[33]), 1000);
    assert_eq!(outcome, Err(HttpError::TooLarge { needed: None }));
    assert_eq!(served, 1000);
    // Endless trailers.
    let mut trailers = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n".to_vec();
    for _ in 0..2000 {
        trailers.extend_from_slice(b"X: y\r\n");
    }
    assert_eq!(
        read(&trailers, &[], 500),
        Err(HttpError::TooLarge { needed: None })
    );
}

#[test]
fn empty_buffer() {
    let reply = content_length_reply(BODY);
    assert_eq!(
        read(&reply, &[], 0),
        Err(HttpError::TooLarge { needed: None })
    );
}

// --- Malformed replies ----------------------------------------------------------------------

#[test]
fn malformed_replies() {
    let cases: &[&[u8]] = &[
        b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 OK\r\n\r\n",
        b"HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n",
        b"ICY 200 OK\r\n\r\n",
        b"\0\0\0\0\r\n\r\n",
        b"\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 100 Continue\r\n\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n folded\r\n\r\n",
        // Framing.
        b"HTTP/1.1 200 OK\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: \r\n\r\n0\r\n\r\n",
        b"HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n",
        // Chunks.
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n 1\r\nx\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\nx\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\n0\r\n\r\n",
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX: y\n\r\n",
        // Headers that must be text.
        b"HTTP/1.1 400 Bad\r\nx-amzn-ErrorType: \xff\xfe\r\nContent-Length: 0\r\n\r\n",
    ];
    for reply in cases {
        let outcome = read(reply, &[], 256);
        assert!(
            matches!(outcome, Err(HttpError::Malformed(_))),
            "{:?}: {outcome:?}",
            String::from_utf8_lossy(reply)
        );
        // Byte by byte, each is malformed too.
        let outcome = read(reply, &[1], 256);
        assert!(
            matches!(outcome, Err(HttpError::Malformed(_))),
            "{:?} in 1-byte reads: {outcome:?}",
            String::from_utf8_lossy(reply)
        );
    }
}

#[test]
fn bytes_after_the_reply_are_malformed_when_they_come_with_it() {
    for (reply, extra) in [
        (
            &b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}HTTP/1.1 200 OK\r\n"[..],
            17,
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nX",
            1,
        ),
        (b"HTTP/1.1 204 No Content\r\n\r\nX", 1),
    ] {
        assert_eq!(malformed(read(reply, &[], 256)), "bytes after the reply");
        // Read byte by byte, the reply ends before them: they are never read.
        let (outcome, served) = read_with(Mock::serving(reply, &[1]), 256);
        assert!(outcome.is_ok(), "{outcome:?}");
        assert_eq!(served, reply.len() - extra);
    }
}

#[test]
fn too_many_headers_are_malformed() {
    let mut reply = b"HTTP/1.1 200 OK\r\n".to_vec();
    for i in 0..MAX_HEADERS {
        reply.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
    }
    let mut fits = reply.clone();
    fits.extend_from_slice(b"\r\n");
    // MAX_HEADERS fields, none of them a length: the reply has no framing.
    assert_eq!(
        malformed(read(&fits, &[], 4096)),
        "no Content-Length, chunked coding or Connection: close"
    );
    reply.extend_from_slice(b"Content-Length: 0\r\n\r\n");
    assert_eq!(malformed(read(&reply, &[], 4096)), "too many header fields");
}

// --- Writing --------------------------------------------------------------------------------

fn request(body: &[u8]) -> Request<'_> {
    Request::new(Operation::InitiateAuth, body, Resend::AfterAnyFailure)
}

#[test]
fn written_request_is_the_cores() {
    for (host, op, body) in [
        (
            "cognito-idp.eu-west-1.amazonaws.com",
            Operation::InitiateAuth,
            BODY,
        ),
        ("localhost:9229", Operation::GetUser, b"{}"),
        ("h", Operation::RespondToAuthChallenge, &[b'x'; 3000][..]),
        ("h", Operation::SignUp, b""),
    ] {
        let request = Request::new(op, body, Resend::OnlyIfUnreceived);
        let mut expected = vec![0u8; 8192];
        let len = write_http_request(&mut expected, host, op, body, &[]).unwrap();
        expected.truncate(len);
        assert_eq!(request_head_len(host, &request), len - body.len());
        assert_eq!(
            request_head_len(host, &request),
            http_request_len(host, op, body, &[]) - body.len()
        );
        for write_size in [1, 7, usize::MAX] {
            let mut mock = Mock::writer(write_size);
            let mut scratch = [0u8; 256];
            block_on(write_request(&mut mock, host, &request, &mut scratch)).unwrap();
            assert_eq!(mock.written, expected, "{host} {op}");
            assert_eq!(mock.flushes, 1);
        }
        // The scratch buffer only has to hold the head.
        let mut mock = Mock::writer(usize::MAX);
        let mut scratch = vec![0u8; len - body.len()];
        block_on(write_request(&mut mock, host, &request, &mut scratch)).unwrap();
        assert_eq!(mock.written, expected);
    }
}

#[test]
fn heads_to_aws_fit_256_bytes() {
    let body = vec![b' '; 99_999];
    for host in [
        "cognito-idp-fips.ap-southeast-5.amazonaws.com",
        "cognito-idp.cn-northwest-1.amazonaws.com.cn",
    ] {
        for &op in Operation::ALL {
            let request = Request::new(op, &body, Resend::AfterAnyFailure);
            assert!(request_head_len(host, &request) <= 190 + host.len());
            assert!(request_head_len(host, &request) <= 256);
        }
    }
}

#[test]
fn head_too_large_writes_nothing() {
    let request = request(BODY);
    let host = "cognito-idp.eu-west-1.amazonaws.com";
    let needed = request_head_len(host, &request);
    let mut mock = Mock::writer(usize::MAX);
    let mut scratch = vec![0xAA; needed - 1];
    let err = block_on(write_request(&mut mock, host, &request, &mut scratch)).unwrap_err();
    assert_eq!(err, HttpError::HeadTooLarge { needed });
    assert!(!err.may_have_reached_server());
    assert!(mock.written.is_empty());
    assert_eq!(mock.flushes, 0);
    assert!(scratch.iter().all(|&b| b == 0xAA));
}

#[test]
fn invalid_hosts_write_nothing() {
    for host in ["", "a b", "a\r\nX-Evil: 1", "a\tb", "a\0"] {
        let mut mock = Mock::writer(usize::MAX);
        let mut scratch = [0u8; 512];
        let err =
            block_on(write_request(&mut mock, host, &request(BODY), &mut scratch)).unwrap_err();
        assert_eq!(err, HttpError::InvalidHost, "{host:?}");
        assert!(!err.may_have_reached_server());
        assert!(mock.written.is_empty());
    }
}

#[test]
fn write_failures_may_have_reached_the_server() {
    let mut scratch = [0u8; 512];
    // A write that accepts nothing is a closed connection, not a panic.
    let mut mock = Mock::writer(0);
    let err = block_on(write_request(&mut mock, "h", &request(BODY), &mut scratch)).unwrap_err();
    assert_eq!(err, HttpError::Closed);
    assert!(err.may_have_reached_server());
    // A connection that fails in the body.
    let mut mock = Mock::writer(10);
    mock.fail_write_after = Some(150);
    let err = block_on(write_request(&mut mock, "h", &request(BODY), &mut scratch)).unwrap_err();
    assert_eq!(err, HttpError::Io(ErrorKind::ConnectionReset));
    assert!(err.may_have_reached_server());
    // Every read error may have, too.
    for err in [
        HttpError::Closed,
        HttpError::Io(ErrorKind::Other),
        HttpError::TooLarge { needed: None },
        HttpError::Malformed("x"),
    ] {
        assert!(err.may_have_reached_server());
    }
}

#[test]
fn errors_display() {
    let err: HttpError<ErrorKind> = HttpError::TooLarge { needed: Some(9000) };
    assert_eq!(
        err.to_string(),
        "reply does not fit the buffer (9000 bytes needed)"
    );
    let err: HttpError<ErrorKind> = HttpError::Malformed("chunk size");
    assert_eq!(err.to_string(), "malformed HTTP reply: chunk size");
}

// --- Properties -----------------------------------------------------------------------------

/// A valid reply with `body`, framed as `framing` says (0: Content-Length, 1: chunked in pieces
/// of `piece` bytes with extensions, 2: Connection: close), after `interim` 100 Continue heads.
fn framed(body: &[u8], framing: u8, piece: usize, interim: usize) -> Vec<u8> {
    let mut reply = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(interim);
    reply.extend_from_slice(b"HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
    match framing {
        0 => {
            reply.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
            reply.extend_from_slice(body);
        }
        1 => {
            reply.extend_from_slice(b"Transfer-Encoding: chunked\r\n\r\n");
            for (i, chunk) in body.chunks(piece.max(1)).enumerate() {
                let ext = if i % 2 == 0 { ";x=y" } else { "" };
                reply.extend_from_slice(format!("{:x}{ext}\r\n", chunk.len()).as_bytes());
                reply.extend_from_slice(chunk);
                reply.extend_from_slice(b"\r\n");
            }
            reply.extend_from_slice(b"0\r\nTrailer: t\r\n\r\n");
        }
        _ => {
            reply.extend_from_slice(b"Connection: close\r\n\r\n");
            reply.extend_from_slice(body);
        }
    }
    reply
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(
        input in prop::collection::vec(any::<u8>(), 0..600),
        reads in prop::collection::vec(1usize..80, 0..6),
        buf_len in 0usize..700,
    ) {
        let (outcome, served) = read_with(Mock::serving(&input, &reads), buf_len);
        if let Ok(reply) = outcome {
            prop_assert!(reply.body.len() <= buf_len);
        }
        prop_assert!(served <= input.len());
    }

    #[test]
    fn arbitrary_bytes_after_a_valid_head_never_panic(
        framing in 0u8..3,
        tail in prop::collection::vec(
            prop_oneof![
                Just(b'0'), Just(b'1'), Just(b'a'), Just(b'\r'), Just(b'\n'), Just(b';'),
                Just(b':'), Just(b' '), any::<u8>()
            ],
            0..400,
        ),
        reads in prop::collection::vec(1usize..40, 0..6),
        buf_len in 0usize..500,
    ) {
        let mut input = framed(b"", framing, 1, 0);
        // Cut the valid (empty) body's framing off and let arbitrary bytes follow the head.
        let head_end = input.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
        input.truncate(head_end);
        if framing == 0 {
            input = b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".to_vec();
        }
        input.extend_from_slice(&tail);
        let (outcome, _) = read_with(Mock::serving(&input, &reads), buf_len);
        if let Ok(reply) = outcome {
            prop_assert!(reply.body.len() <= buf_len);
            prop_assert!(reply.body.len() <= tail.len());
        }
    }

    #[test]
    fn valid_replies_round_trip(
        body in prop::collection::vec(any::<u8>(), 0..400),
        framing in 0u8..3,
        piece in 1usize..100,
        interim in 0usize..3,
        reads in prop::collection::vec(1usize..64, 0..6),
        slack in 0usize..64,
    ) {
        let reply = framed(&body, framing, piece, interim);
        let (outcome, _) = read_with(Mock::serving(&reply, &reads), reply.len() + slack);
        let expected = Owned {
            status: 200,
            error_type: None,
            date: Some("Sun, 06 Nov 1994 08:49:37 GMT".into()),
            request_id: None,
            body: body.clone(),
            keep_alive: framing != 2,
        };
        prop_assert_eq!(outcome, Ok(expected));
    }

    #[test]
    fn replies_larger_than_the_buffer_are_too_large(
        body in prop::collection::vec(any::<u8>(), 1..400),
        framing in 0u8..3,
        piece in 1usize..100,
        reads in prop::collection::vec(1usize..64, 0..6),
        short_by in 1usize..64,
    ) {
        let reply = framed(&body, framing, piece, 0);
        let head_len = reply.len() - match framing {
            0 | 2 => body.len(),
            _ => reply.len() - reply.windows(4).position(|w| w == b"\r\n\r\n").unwrap() - 4,
        };
        // Too small for the head and the decoded body together.
        let buf_len = (head_len + body.len()).saturating_sub(short_by);
        let (outcome, served) = read_with(Mock::serving(&reply, &reads), buf_len);
        match outcome {
            Err(HttpError::TooLarge { needed }) => {
                if framing == 0 && buf_len >= head_len {
                    prop_assert_eq!(needed, Some(reply.len()));
                    prop_assert!(served <= buf_len);
                } else {
                    prop_assert_eq!(needed, None);
                }
            }
            other => prop_assert!(false, "expected TooLarge, got {:?}", other),
        }
    }
}

// --- The bad-input table ----------------------------------------------------------------------

/// The rows of class "HTTP framing" of the bad-input table (`core/docs/bad-input.md`, shown as
/// `cognito_core::bad_input`): each reply here, read in every read size into a 1 KiB buffer,
/// must give the error its row names (as `HttpError: Debug`), and the table and this list must
/// have the same `H` rows. The core's test (`core/tests/bad_input/`) checks the other rows.
mod bad_input_table {
    use super::*;

    const TABLE: &str = include_str!("../../../core/docs/bad-input.md");

    /// `(id, reply)`: the reply as it comes over the connection.
    const REPLIES: &[(&str, &[u8])] = &[
        ("H01", b"HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"),
        ("H02", b"HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n"),
        (
            "H03",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        ),
        (
            "H04",
            b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
        ),
        ("H05", b"HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}"),
        (
            "H06",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nz\r\n",
        ),
        (
            "H07",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n",
        ),
        (
            "H08",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
        ),
        (
            "H09",
            b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 0\r\n\r\n",
        ),
        (
            "H10",
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\n\r\n",
        ),
        (
            "H11",
            b"HTTP/1.1 200 OK\r\nBad Name: x\r\nContent-Length: 0\r\n\r\n",
        ),
        (
            "H12",
            b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n folded\r\n\r\n",
        ),
        (
            "H13",
            b"HTTP/1.1 400 Bad\r\nx-amzn-ErrorType: \xff\xfe\r\nContent-Length: 0\r\n\r\n",
        ),
        ("H14", b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}{}"),
        ("H15", b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{}"),
        ("H16", b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n{}"),
        (
            "H17",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7d0\r\n",
        ),
        ("H18", b""),
    ];

    /// H19: 40 header fields (more than `MAX_HEADERS`); H20: interim replies without end.
    fn generated(id: &str) -> Option<Vec<u8>> {
        match id {
            "H19" => {
                let mut reply = b"HTTP/1.1 200 OK\r\n".to_vec();
                for i in 0..=MAX_HEADERS + 7 {
                    reply.extend_from_slice(format!("X-{i}: y\r\n").as_bytes());
                }
                reply.extend_from_slice(b"Content-Length: 0\r\n\r\n");
                Some(reply)
            }
            "H20" => Some(b"HTTP/1.1 100 Continue\r\n\r\n".repeat(100)),
            _ => None,
        }
    }

    /// The `H` rows of the table: (id, error column without backquotes).
    fn rows() -> Vec<(String, String)> {
        TABLE
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.trim().strip_prefix("| H")?.split(" | ").collect();
                let error = cells.get(3)?.trim().trim_end_matches('|').trim();
                Some((
                    format!("H{}", cells[0].trim()),
                    error.trim_matches('`').to_owned(),
                ))
            })
            .collect()
    }

    #[test]
    fn every_http_framing_row_gives_its_error() {
        let rows = rows();
        assert!(rows.len() >= 15, "{} H rows", rows.len());
        let mut failures = Vec::new();
        for (id, error) in &rows {
            let reply = REPLIES
                .iter()
                .find(|(case, _)| case == id)
                .map(|(_, reply)| reply.to_vec())
                .or_else(|| generated(id));
            let Some(reply) = reply else {
                failures.push(format!("{id}: no reply in adapters/embassy/tests/http.rs"));
                continue;
            };
            // H14's extra bytes count only when they arrive with the reply (the reader stops at
            // the body's end): one read. Every other row in every read size.
            let outcome = if id == "H14" {
                read(&reply, &[], 1024)
            } else {
                read_all_ways(&reply, 1024)
            };
            let got = match outcome {
                Ok(_) => "ok".to_owned(),
                Err(e) => format!("HttpError: {e:?}"),
            };
            if &got != error {
                failures.push(format!(
                    "{id}: the table says `{error}`, the reader gives `{got}`"
                ));
            }
        }
        let ids: Vec<&str> = rows.iter().map(|(id, _)| id.as_str()).collect();
        for (id, _) in REPLIES {
            if !ids.contains(id) {
                failures.push(format!("{id}: a reply without a row"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
