//! HTTP/1.1 for one Cognito exchange over any `embedded_io_async` connection, with no heap.
//!
//! * [`write_request`]: the core's [`Request`] as `POST /` — its head assembled in a small
//!   scratch buffer, then its body — and a flush; [`write_oauth_request`] the same for a request
//!   to the pool domain ([`OAuthRequest`]: a form post to `/oauth2/token`, …), and
//!   [`write_identity_request`] for an identity pool ([`IdentityRequest`]).
//! * [`read_response`]: one whole reply read into a caller buffer and parsed in place: the status,
//!   the headers that matter (`x-amzn-ErrorType`, `Date`, `x-amzn-RequestId`) and the body, which
//!   [`Response::as_core`] hands to the core.
//!
//! Both work on any connection that implements `embedded_io_async::{Read, Write}`: an
//! embassy-net `TcpSocket`, a TLS session on top of one, a modem's socket.
//!
//! # Did the request reach the pool?
//!
//! This module only reports; whether a request may be sent again is the core's decision
//! ([`cognito_core::wire::Resend`]). [`HttpError::may_have_reached_server`] sorts the errors:
//!
//! | error | from | the request |
//! | --- | --- | --- |
//! | [`HttpError::HeadTooLarge`], [`HttpError::InvalidHost`] | [`write_request`], [`write_oauth_request`], [`write_identity_request`] | was not sent: not one byte was written |
//! | [`HttpError::Io`], [`HttpError::Closed`] | [`write_request`], [`write_oauth_request`], [`write_identity_request`] | may have reached the pool (part or all of it was written) |
//! | any | [`read_response`] | was sent whole and may have been acted on; no usable reply came back |
//!
//! After any error the connection is in an unknown state (part of a request written, part of a
//! reply unread): close it and open a new one. After a reply with [`Response::keep_alive`] the
//! connection may carry the next request. Neither future is cancel-safe: a request or a read cut
//! by a timeout also leaves the connection unusable.
//!
//! # What a reply may look like
//!
//! * A status line `HTTP/1.1` or `HTTP/1.0` with a status from 100 to 999 (no empty line before
//!   it), and at most [`MAX_HEADERS`] header fields (more are [`HttpError::Malformed`]); head
//!   lines may end in CRLF or LF, as `httparse` accepts, chunk framing lines only in CRLF; header
//!   names are matched case-insensitively.
//! * Interim replies (1xx, such as `100 Continue`) are skipped; `101 Switching Protocols` is
//!   [`HttpError::Malformed`] (this client never asks to switch).
//! * The body is framed by exactly one of: `Content-Length` (repeated only with the same value);
//!   `Transfer-Encoding: chunked` (the only coding accepted; chunk extensions and trailers are
//!   read and ignored; not in HTTP/1.0); or, with neither, the end of the connection when the
//!   reply closes it (`Connection: close`, or HTTP/1.0 without `Connection: keep-alive`). Both
//!   `Content-Length` and `Transfer-Encoding` is [`HttpError::Malformed`], as is an HTTP/1.1
//!   reply that keeps the connection open with neither. 1xx, 204 and 304 replies have no body.
//! * A `Content-Encoding` other than `identity` is [`HttpError::Malformed`] (this client never
//!   asks for compression, and the core reads JSON).
//! * No byte may follow the reply: Cognito never sends two replies to one request, so anything
//!   received after the body is [`HttpError::Malformed`].
//!
//! Everything is bounded by the reply buffer: the interim replies, the head and the body must fit
//! in it together. A chunked body is decoded in place and needs a little room after it for its
//! framing (its longest size line or trailer); that framing (size lines, extensions, trailers)
//! may add up to the buffer's length again over the whole body. A peer that sends more gets
//! [`HttpError::TooLarge`] — never an overflow, a truncated reply or a panic.

use core::fmt;
use core::ops::Range;

use cognito_core::BufferTooSmall;
use cognito_core::http_date::parse_http_date;
use cognito_core::identity::IdentityRequest;
use cognito_core::oauth::OAuthRequest;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, Request, http_head_len, write_http_head};
use embedded_io_async::{Read, Write};

/// The most header fields a reply head may have (per head; interim 1xx heads count separately).
///
/// Cognito sends about ten. More is [`HttpError::Malformed`]: a larger buffer would not help.
pub const MAX_HEADERS: usize = 32;

/// Why a request could not be written or its reply could not be read.
///
/// `E` is the connection's error type. See the [module documentation](self) for which errors
/// mean that the request may have reached the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum HttpError<E> {
    /// The connection failed (the transport's error). The request may have reached the pool.
    Io(E),
    /// The connection ended before a whole request was written or a whole reply was read (a
    /// write that accepted no byte counts too). The request may have reached the pool and been
    /// acted on.
    Closed,
    /// The reply does not fit the reply buffer. `needed` is the buffer length that would have
    /// held it (interim replies, head and body) when the head says how long the body is
    /// (`Content-Length`), else `None`. No part of such a reply is returned.
    TooLarge {
        /// The buffer length the reply needs, when its head says.
        needed: Option<usize>,
    },
    /// The reply is not the HTTP/1.1 expected: a bad status line or header, a bad chunk, an
    /// ambiguous or missing body length, an unsupported coding, bytes after the reply. The text
    /// says what was wrong.
    Malformed(&'static str),
    /// The scratch buffer is too small for the request head; `needed` bytes are enough. Nothing
    /// was written.
    HeadTooLarge {
        /// The length of the request head.
        needed: usize,
    },
    /// The host is empty or contains whitespace or control characters (it would break the
    /// request's head). Nothing was written.
    InvalidHost,
}

impl<E> HttpError<E> {
    /// Whether the request may have reached the server: `false` only when nothing was written
    /// ([`HeadTooLarge`](Self::HeadTooLarge), [`InvalidHost`](Self::InvalidHost)); `true` for
    /// every other error of [`write_request`] and every error of [`read_response`].
    ///
    /// This is the core's [`Attempt::NoReply`](cognito_core::wire::Attempt::NoReply) when
    /// `true`; when `false` the caller must fix its input (sending again cannot help).
    #[must_use]
    pub const fn may_have_reached_server(&self) -> bool {
        !matches!(
            self,
            HttpError::HeadTooLarge { .. } | HttpError::InvalidHost
        )
    }
}

impl<E: fmt::Debug> fmt::Display for HttpError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::Io(e) => write!(f, "connection failed: {e:?}"),
            HttpError::Closed => f.write_str("connection closed before a whole exchange"),
            HttpError::TooLarge { needed: Some(n) } => {
                write!(f, "reply does not fit the buffer ({n} bytes needed)")
            }
            HttpError::TooLarge { needed: None } => f.write_str("reply does not fit the buffer"),
            HttpError::Malformed(what) => write!(f, "malformed HTTP reply: {what}"),
            HttpError::HeadTooLarge { needed } => {
                write!(
                    f,
                    "request head does not fit the scratch buffer ({needed} bytes needed)"
                )
            }
            HttpError::InvalidHost => f.write_str("invalid host for the request head"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for HttpError<E> {}

/// What is wrong with a reply, before it is tied to a connection's error type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fault {
    Malformed(&'static str),
    TooLarge(Option<usize>),
}

impl<E> From<Fault> for HttpError<E> {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Malformed(what) => HttpError::Malformed(what),
            Fault::TooLarge(needed) => HttpError::TooLarge { needed },
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Writing the request
// ---------------------------------------------------------------------------------------------

/// Writes `request` as an HTTP/1.1 `POST /` for `host` to `connection`, then flushes it.
///
/// The head is written into `scratch` by the core's writer
/// ([`cognito_core::wire::write_http_head`]), then the body is written from where it lies.
/// The head is at most 190 bytes plus the host for bodies under 100 kB (see
/// [`request_head_len`]): 256 bytes hold the head of any request to an AWS endpoint. The bytes sent are exactly those of
/// [`Request::write_http`] (`Host`, `Content-Type`, `X-Amz-Target`, `Content-Length`), so the
/// connection stays open (HTTP/1.1's default; no `Connection: close`).
///
/// Errors: [`HttpError::InvalidHost`] and [`HttpError::HeadTooLarge`] before anything is written
/// (`scratch` is then untouched); [`HttpError::Io`] or [`HttpError::Closed`] (a write that
/// accepted no byte) once writing began — the request may then have reached the pool.
pub async fn write_request<W: Write>(
    connection: &mut W,
    host: &str,
    request: &Request<'_>,
    scratch: &mut [u8],
) -> Result<(), HttpError<W::Error>> {
    let head_len = write_head(scratch, host, request)?;
    let head = scratch
        .get(..head_len)
        .ok_or(HttpError::HeadTooLarge { needed: head_len })?;
    write_all(connection, head).await?;
    write_all(connection, request.body).await?;
    connection.flush().await.map_err(HttpError::Io)
}

/// The length of the head [`write_request`] writes for `request` to `host`: the smallest
/// `scratch` it accepts.
#[must_use]
pub fn request_head_len(host: &str, request: &Request<'_>) -> usize {
    http_head_len(host, request.operation, request.body.len(), &[])
}

/// Writes a request to the pool domain's OAuth endpoints (`POST /oauth2/token`, `/oauth2/revoke`,
/// `GET /oauth2/userInfo`) for `host` to `connection`, then flushes it: the head the core writes
/// ([`OAuthRequest::write_http_head`]: `Host`, `Accept`, `Authorization`, `Content-Type`,
/// `Content-Length`) assembled in `scratch`, then the form body from where it lies.
///
/// The head is about 150 bytes plus the host and the `Authorization` value (a client id and
/// secret in base64 take 4/3 of their length): 512 bytes hold any a Cognito app client sends.
/// Errors as for [`write_request`].
pub async fn write_oauth_request<W: Write>(
    connection: &mut W,
    host: &str,
    request: &OAuthRequest<'_>,
    scratch: &mut [u8],
) -> Result<(), HttpError<W::Error>> {
    write_head_then_body(
        connection,
        host,
        |scratch| request.write_http_head(host, scratch),
        request.body,
        scratch,
    )
    .await
}

/// Writes a request to an identity pool ([`IdentityRequest`]: `POST /` with
/// `X-Amz-Target: AWSCognitoIdentityService.<Operation>`) for `host` to `connection`, then
/// flushes it: the head the core writes ([`IdentityRequest::write_http_head`]) assembled in
/// `scratch` (256 bytes hold any), then the JSON body from where it lies. Errors as for
/// [`write_request`].
pub async fn write_identity_request<W: Write>(
    connection: &mut W,
    host: &str,
    request: &IdentityRequest<'_>,
    scratch: &mut [u8],
) -> Result<(), HttpError<W::Error>> {
    write_head_then_body(
        connection,
        host,
        |scratch| request.write_http_head(host, scratch),
        request.body,
        scratch,
    )
    .await
}

/// Checks `host`, writes the head `head` puts in `scratch` (the core's writer), then `body` from
/// where it lies, and flushes: the OAuth and identity-pool requests, whose heads the core writes
/// whole.
async fn write_head_then_body<W: Write>(
    connection: &mut W,
    host: &str,
    head: impl FnOnce(&mut [u8]) -> Result<usize, BufferTooSmall>,
    body: &[u8],
    scratch: &mut [u8],
) -> Result<(), HttpError<W::Error>> {
    check_host(host)?;
    let head_len = head(scratch).map_err(|e| HttpError::HeadTooLarge { needed: e.required })?;
    let head = scratch
        .get(..head_len)
        .ok_or(HttpError::HeadTooLarge { needed: head_len })?;
    write_all(connection, head).await?;
    write_all(connection, body).await?;
    connection.flush().await.map_err(HttpError::Io)
}

/// Writes the request head into `scratch` with the core's writer and returns its length;
/// `scratch` is untouched on error.
fn write_head<E>(
    scratch: &mut [u8],
    host: &str,
    request: &Request<'_>,
) -> Result<usize, HttpError<E>> {
    check_host(host)?;
    write_http_head(scratch, host, request.operation, request.body.len(), &[])
        .map_err(|e| HttpError::HeadTooLarge { needed: e.required })
}

/// [`HttpError::InvalidHost`] for a host that would break a request head.
fn check_host<E>(host: &str) -> Result<(), HttpError<E>> {
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(HttpError::InvalidHost);
    }
    Ok(())
}

/// Writes all of `bytes`; a write that accepts no byte (or claims more than it was given) is
/// [`HttpError::Closed`] rather than the panic of `Write::write_all`.
async fn write_all<W: Write>(
    connection: &mut W,
    mut bytes: &[u8],
) -> Result<(), HttpError<W::Error>> {
    while !bytes.is_empty() {
        let n = connection.write(bytes).await.map_err(HttpError::Io)?;
        bytes = match bytes.get(n..) {
            Some(rest) if n > 0 => rest,
            _ => return Err(HttpError::Closed),
        };
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Reading the reply
// ---------------------------------------------------------------------------------------------

/// A whole reply, read into the caller's buffer: the values borrow from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Response<'b> {
    /// The status code (a final one: interim 1xx replies were skipped).
    pub status: u16,
    /// The `x-amzn-ErrorType` header (surrounding whitespace removed), which names the error of
    /// a 4xx or 5xx reply.
    pub error_type: Option<&'b str>,
    /// The `Date` header, the server's clock (see [`Response::server_time`]).
    pub date: Option<&'b str>,
    /// The `x-amzn-RequestId` header, which AWS support asks for.
    pub request_id: Option<&'b str>,
    /// The body, decoded (a chunked body is de-chunked in place).
    pub body: &'b [u8],
    /// Whether the connection may carry the next request: `false` when the server said
    /// `Connection: close`, for HTTP/1.0 without `Connection: keep-alive`, and for a body that
    /// ended with the connection.
    pub keep_alive: bool,
}

impl<'b> Response<'b> {
    /// The reply as the core reads it (status, `x-amzn-ErrorType`, body).
    #[must_use]
    pub fn as_core(&self) -> HttpResponse<'b> {
        HttpResponse::new(self.status, self.body).with_error_type(self.error_type)
    }

    /// The `Date` header as unix time, when present and valid (see
    /// [`cognito_core::http_date::parse_http_date`]): a clock for devices without one.
    #[must_use]
    pub fn server_time(&self) -> Option<UnixTime> {
        self.date.and_then(|date| parse_http_date(date).ok())
    }
}

/// Reads one whole reply from `connection` into `buf` and parses it in place.
///
/// The head may arrive in any number of reads; interim 1xx replies are skipped; the body is read
/// as its head frames it (see the [module documentation](self)) and no further: with
/// `Content-Length` the reads stop at the body's end, and a reply larger than `buf` is reported
/// before its body is read. A read of 0 bytes before the end of the reply is
/// [`HttpError::Closed`].
///
/// Every error means the request was sent whole and may have been acted on, and the connection
/// must be closed. `buf` holds the raw reply afterwards (its contents are unspecified on error).
pub async fn read_response<'b, R: Read>(
    connection: &mut R,
    buf: &'b mut [u8],
) -> Result<Response<'b>, HttpError<R::Error>> {
    let mut filled = 0usize;
    let mut start = 0usize;
    let head = loop {
        let head = read_head(connection, buf, start, &mut filled).await?;
        match head.status {
            101 => return Err(HttpError::Malformed("101 Switching Protocols")),
            100..=199 => start = head.end,
            _ => break head,
        }
    };
    let body = match head.framing {
        Framing::Empty => {
            if filled > head.end {
                return Err(HttpError::Malformed("bytes after the reply"));
            }
            head.end..head.end
        }
        Framing::Length(len) => read_sized(connection, buf, head.end, filled, len).await?,
        Framing::UntilClose => read_to_close(connection, buf, head.end, filled).await?,
        Framing::Chunked => read_chunked(connection, buf, head.end, filled).await?,
    };
    let buf: &'b [u8] = buf;
    Ok(Response {
        status: head.status,
        error_type: text(buf, head.error_type)?,
        date: text(buf, head.date)?,
        request_id: text(buf, head.request_id)?,
        body: buf
            .get(body)
            .ok_or(HttpError::Malformed("body out of bounds"))?,
        keep_alive: head.keep_alive,
    })
}

/// The text at `range` of `buf` (checked to be UTF-8 when the head was parsed).
fn text<E>(buf: &[u8], range: Option<Range<usize>>) -> Result<Option<&str>, HttpError<E>> {
    range
        .map(|range| {
            buf.get(range)
                .and_then(|bytes| core::str::from_utf8(bytes).ok())
                .ok_or(HttpError::Malformed("header value"))
        })
        .transpose()
}

/// Reads once into `free` (never empty); returns how many bytes came (0: the peer closed).
async fn read_some<R: Read>(
    connection: &mut R,
    free: &mut [u8],
) -> Result<usize, HttpError<R::Error>> {
    let n = connection.read(free).await.map_err(HttpError::Io)?;
    if n > free.len() {
        return Err(HttpError::Malformed(
            "the connection reported more bytes than asked for",
        ));
    }
    Ok(n)
}

/// The part of `buf` after `filled`, or [`HttpError::TooLarge`] when there is none.
fn free_space<E>(buf: &mut [u8], filled: usize) -> Result<&mut [u8], HttpError<E>> {
    buf.get_mut(filled..)
        .filter(|free| !free.is_empty())
        .ok_or(HttpError::TooLarge { needed: None })
}

// --- The head ---------------------------------------------------------------------------------

/// How the body of a reply ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Framing {
    /// No body (1xx, 204, 304).
    Empty,
    /// `Content-Length` bytes.
    Length(usize),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Everything until the peer closes the connection.
    UntilClose,
}

/// What the core and the body reader need from a head; ranges are positions in the reply buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Head {
    status: u16,
    /// Where the head ends (the body begins) in the buffer.
    end: usize,
    framing: Framing,
    keep_alive: bool,
    error_type: Option<Range<usize>>,
    date: Option<Range<usize>>,
    request_id: Option<Range<usize>>,
}

/// Reads until a whole head starting at `start` is in `buf[start..*filled]`, and parses it.
async fn read_head<R: Read>(
    connection: &mut R,
    buf: &mut [u8],
    start: usize,
    filled: &mut usize,
) -> Result<Head, HttpError<R::Error>> {
    // Bytes after an interim head may already hold (part of) this one.
    let mut try_parse = *filled > start;
    loop {
        if try_parse {
            let bytes = buf
                .get(start..*filled)
                .ok_or(HttpError::Malformed("head out of bounds"))?;
            if let Some(head) = parse_head(bytes, start)? {
                return Ok(head);
            }
        }
        let free = free_space(buf, *filled)?;
        let n = read_some(connection, free).await?;
        if n == 0 {
            return Err(HttpError::Closed);
        }
        // A head can only have become complete (or wrong) at the end of a line.
        try_parse = free.get(..n).is_some_and(|new| new.contains(&b'\n'));
        *filled += n;
    }
}

/// Parses the head at the start of `bytes`, which lie at `base` in the reply buffer: `None` when
/// it is not complete yet.
fn parse_head(bytes: &[u8], base: usize) -> Result<Option<Head>, Fault> {
    // httparse skips empty lines before a status line; a reply has none, and a peer streaming
    // them would have the whole buffer parsed again at every line.
    if matches!(bytes.first(), Some(b'\r' | b'\n')) {
        return Err(Fault::Malformed("empty line before the status line"));
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let len = match response.parse(bytes) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(e) => return Err(Fault::Malformed(httparse_error(e))),
    };
    let http11 = match response.version {
        Some(1) => true,
        Some(0) => false,
        _ => return Err(Fault::Malformed("HTTP version")),
    };
    let status = match response.code {
        Some(code @ 100..=999) => code,
        _ => return Err(Fault::Malformed("status code")),
    };

    let mut fields = Fields::default();
    for header in response.headers.iter() {
        fields.add(header.name, header.value.trim_ascii(), bytes, base)?;
    }

    let keep_alive = !fields.close && (http11 || fields.keep_alive);
    if fields.transfer_encoding && fields.content_length.is_some() {
        return Err(Fault::Malformed(
            "both Content-Length and Transfer-Encoding",
        ));
    }
    if fields.transfer_encoding && !http11 {
        return Err(Fault::Malformed("Transfer-Encoding in HTTP/1.0"));
    }
    let framing = if matches!(status, 100..=199 | 204 | 304) {
        Framing::Empty
    } else if fields.transfer_encoding {
        Framing::Chunked
    } else if let Some(len) = fields.content_length {
        Framing::Length(len)
    } else if !keep_alive {
        Framing::UntilClose
    } else {
        return Err(Fault::Malformed(
            "no Content-Length, chunked coding or Connection: close",
        ));
    };
    Ok(Some(Head {
        status,
        end: base.saturating_add(len),
        framing,
        keep_alive: keep_alive && framing != Framing::UntilClose,
        error_type: fields.error_type,
        date: fields.date,
        request_id: fields.request_id,
    }))
}

fn httparse_error(e: httparse::Error) -> &'static str {
    match e {
        httparse::Error::HeaderName => "header name",
        httparse::Error::HeaderValue => "header value",
        httparse::Error::NewLine => "line ending",
        httparse::Error::Status => "status line",
        httparse::Error::Token => "status line",
        httparse::Error::TooManyHeaders => "too many header fields",
        httparse::Error::Version => "HTTP version",
    }
}

/// The header fields that matter, gathered from one head.
#[derive(Default)]
struct Fields {
    content_length: Option<usize>,
    /// A `Transfer-Encoding` header was present (and said `chunked`, the only coding accepted).
    transfer_encoding: bool,
    close: bool,
    keep_alive: bool,
    error_type: Option<Range<usize>>,
    date: Option<Range<usize>>,
    request_id: Option<Range<usize>>,
}

impl Fields {
    /// Takes in one header field; `value` is a part of `head`, which lies at `base` in the buffer.
    fn add(&mut self, name: &str, value: &[u8], head: &[u8], base: usize) -> Result<(), Fault> {
        let is = |wanted: &str| name.eq_ignore_ascii_case(wanted);
        if is("content-length") {
            let len = content_length(value)?;
            if self.content_length.is_some_and(|seen| seen != len) {
                return Err(Fault::Malformed("conflicting Content-Length"));
            }
            self.content_length = Some(len);
        } else if is("transfer-encoding") {
            // `chunked` once, and nothing else: gzip and friends are never asked for.
            let mut chunked = false;
            for coding in list(value) {
                if !coding.eq_ignore_ascii_case(b"chunked") || chunked || self.transfer_encoding {
                    return Err(Fault::Malformed("unsupported Transfer-Encoding"));
                }
                chunked = true;
            }
            if !chunked {
                return Err(Fault::Malformed("unsupported Transfer-Encoding"));
            }
            self.transfer_encoding = true;
        } else if is("connection") {
            for option in list(value) {
                self.close |= option.eq_ignore_ascii_case(b"close");
                self.keep_alive |= option.eq_ignore_ascii_case(b"keep-alive");
            }
        } else if is("content-encoding") {
            if list(value).any(|coding| !coding.eq_ignore_ascii_case(b"identity")) {
                return Err(Fault::Malformed("unsupported Content-Encoding"));
            }
        } else if is("x-amzn-errortype") {
            keep_first(&mut self.error_type, value, head, base)?;
        } else if is("date") {
            keep_first(&mut self.date, value, head, base)?;
        } else if is("x-amzn-requestid") {
            keep_first(&mut self.request_id, value, head, base)?;
        }
        Ok(())
    }
}

/// The elements of a comma-separated header value, trimmed, empty ones skipped.
fn list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(<[u8]>::trim_ascii)
        .filter(|element| !element.is_empty())
}

/// A `Content-Length` value: decimal digits only.
fn content_length(value: &[u8]) -> Result<usize, Fault> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return Err(Fault::Malformed("Content-Length"));
    }
    value
        .iter()
        .try_fold(0usize, |n, &d| {
            n.checked_mul(10)?.checked_add(usize::from(d - b'0'))
        })
        .ok_or(Fault::TooLarge(None))
}

/// Records where `value` (UTF-8, a part of `head` at `base`) lies, unless a value was recorded.
fn keep_first(
    slot: &mut Option<Range<usize>>,
    value: &[u8],
    head: &[u8],
    base: usize,
) -> Result<(), Fault> {
    if slot.is_some() {
        return Ok(());
    }
    if core::str::from_utf8(value).is_err() {
        return Err(Fault::Malformed("header value is not UTF-8"));
    }
    // `value` is a sub-slice of `head` (httparse borrows from its input): its offset is the
    // distance between the two addresses.
    let start = (value.as_ptr() as usize)
        .checked_sub(head.as_ptr() as usize)
        .filter(|&start| start.saturating_add(value.len()) <= head.len())
        .ok_or(Fault::Malformed("header value out of bounds"))?;
    let start = base.saturating_add(start);
    *slot = Some(start..start.saturating_add(value.len()));
    Ok(())
}

// --- Bodies framed by Content-Length or by the end of the connection ----------------------------

/// Reads a body of `len` bytes starting at `start` (`buf[..filled]` already read); returns where
/// it lies.
async fn read_sized<R: Read>(
    connection: &mut R,
    buf: &mut [u8],
    start: usize,
    mut filled: usize,
    len: usize,
) -> Result<Range<usize>, HttpError<R::Error>> {
    let end = start
        .checked_add(len)
        .ok_or(HttpError::TooLarge { needed: None })?;
    if end > buf.len() {
        return Err(HttpError::TooLarge { needed: Some(end) });
    }
    if filled > end {
        return Err(HttpError::Malformed("bytes after the reply"));
    }
    while filled < end {
        let free = buf
            .get_mut(filled..end)
            .ok_or(HttpError::Malformed("body out of bounds"))?;
        match read_some(connection, free).await? {
            0 => return Err(HttpError::Closed),
            n => filled += n,
        }
    }
    Ok(start..end)
}

/// Reads a body that ends when the peer closes the connection.
async fn read_to_close<R: Read>(
    connection: &mut R,
    buf: &mut [u8],
    start: usize,
    mut filled: usize,
) -> Result<Range<usize>, HttpError<R::Error>> {
    loop {
        let n = match buf.get_mut(filled..).filter(|free| !free.is_empty()) {
            Some(free) => read_some(connection, free).await?,
            None => {
                // The buffer is full: the body fits only if the connection ends here.
                let mut probe = [0u8; 1];
                return match read_some(connection, &mut probe).await? {
                    0 => Ok(start..filled),
                    _ => Err(HttpError::TooLarge { needed: None }),
                };
            }
        };
        if n == 0 {
            return Ok(start..filled);
        }
        filled += n;
    }
}

// --- Chunked bodies ---------------------------------------------------------------------------

/// Reads a chunked body starting at `start` and decodes it in place; returns where the decoded
/// body lies.
///
/// The decoded body grows at the front of the area after the head while the raw chunks are
/// read behind it; when the buffer is full, the raw bytes not decoded yet are moved down to
/// the end of the decoded body to make room.
async fn read_chunked<R: Read>(
    connection: &mut R,
    buf: &mut [u8],
    start: usize,
    mut filled: usize,
) -> Result<Range<usize>, HttpError<R::Error>> {
    let mut decoder = Dechunker::new(start, buf.len());
    loop {
        if decoder.advance(buf, filled)? {
            if decoder.pos < filled {
                return Err(HttpError::Malformed("bytes after the reply"));
            }
            return Ok(start..decoder.out);
        }
        if filled == buf.len() {
            filled = decoder.compact(buf, filled)?;
        }
        let free = free_space(buf, filled)?;
        match read_some(connection, free).await? {
            0 => return Err(HttpError::Closed),
            n => filled += n,
        }
    }
}

/// Where the chunk decoder stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Chunk {
    /// Expecting a chunk-size line.
    Size,
    /// Inside a chunk's data, with this many bytes to go.
    Data(usize),
    /// Expecting the CRLF after a chunk's data.
    DataEnd,
    /// After the last chunk: trailer fields until an empty line.
    Trailers,
    /// The body is complete.
    Done,
}

/// An in-place chunked decoder over the reply buffer.
#[derive(Debug)]
struct Dechunker {
    /// The end of the decoded body.
    out: usize,
    /// The first raw byte not decoded yet (`out <= pos`).
    pos: usize,
    state: Chunk,
    /// Framing bytes (size lines, CRLFs, trailers) still allowed: the buffer's length.
    overhead_left: usize,
}

impl Dechunker {
    fn new(start: usize, buf_len: usize) -> Self {
        Dechunker {
            out: start,
            pos: start,
            state: Chunk::Size,
            overhead_left: buf_len,
        }
    }

    /// Decodes what `buf[pos..filled]` allows; `true` when the body is complete.
    fn advance(&mut self, buf: &mut [u8], filled: usize) -> Result<bool, Fault> {
        loop {
            let raw = buf.get(self.pos..filled).unwrap_or_default();
            match self.state {
                Chunk::Done => return Ok(true),
                Chunk::Size => {
                    let Some(line) = line(raw) else {
                        return Ok(false);
                    };
                    let size = chunk_size(line)?;
                    self.consume_framing(line.len())?;
                    self.state = match size {
                        0 => Chunk::Trailers,
                        // The decoded body must fit behind what is decoded already.
                        _ if size > buf.len().saturating_sub(self.out) => {
                            return Err(Fault::TooLarge(None));
                        }
                        _ => Chunk::Data(size),
                    };
                }
                Chunk::Data(left) => {
                    let n = left.min(raw.len());
                    if n == 0 {
                        return Ok(false);
                    }
                    move_within(buf, self.pos..self.pos + n, self.out)?;
                    self.out += n;
                    self.pos += n;
                    self.state = match left - n {
                        0 => Chunk::DataEnd,
                        left => Chunk::Data(left),
                    };
                }
                Chunk::DataEnd => match raw.get(..2) {
                    None if raw.first().is_none_or(|&b| b == b'\r') => return Ok(false),
                    Some(b"\r\n") => {
                        self.consume_framing(2)?;
                        self.state = Chunk::Size;
                    }
                    _ => return Err(Fault::Malformed("chunk data not followed by CRLF")),
                },
                Chunk::Trailers => {
                    let Some(line) = line(raw) else {
                        return Ok(false);
                    };
                    if !line.ends_with(b"\r\n") {
                        return Err(Fault::Malformed("trailer line ending"));
                    }
                    self.consume_framing(line.len())?;
                    if line.len() == 2 {
                        self.state = Chunk::Done;
                    }
                }
            }
        }
    }

    /// Steps over `len` framing bytes, within the budget.
    fn consume_framing(&mut self, len: usize) -> Result<(), Fault> {
        self.overhead_left = self
            .overhead_left
            .checked_sub(len)
            .ok_or(Fault::TooLarge(None))?;
        self.pos += len;
        Ok(())
    }

    /// Moves the raw bytes not decoded yet (`buf[pos..filled]`) down to the end of the decoded
    /// body; returns the new end of the read bytes.
    fn compact(&mut self, buf: &mut [u8], filled: usize) -> Result<usize, Fault> {
        let pending = filled
            .checked_sub(self.pos)
            .ok_or(Fault::Malformed("chunk decoder out of bounds"))?;
        move_within(buf, self.pos..filled, self.out)?;
        self.pos = self.out;
        Ok(self.out + pending)
    }
}

/// The first line of `raw`, with its LF, if `raw` holds a whole one.
fn line(raw: &[u8]) -> Option<&[u8]> {
    let end = raw.iter().position(|&b| b == b'\n')?;
    raw.get(..=end)
}

/// The size in a chunk-size line (`1a;name=value\r\n`): hex digits, then optionally spaces or
/// tabs and extensions after `;`, which are ignored; CRLF at the end.
fn chunk_size(line: &[u8]) -> Result<usize, Fault> {
    let line = line
        .strip_suffix(b"\r\n")
        .ok_or(Fault::Malformed("chunk size line ending"))?;
    let digits = line.iter().take_while(|b| b.is_ascii_hexdigit()).count();
    let (hex, rest) = line
        .split_at_checked(digits)
        .ok_or(Fault::Malformed("chunk size"))?;
    if hex.is_empty() {
        return Err(Fault::Malformed("chunk size"));
    }
    let rest = match rest.iter().position(|&b| b != b' ' && b != b'\t') {
        Some(skip) => rest.get(skip..).unwrap_or_default(),
        None => &[],
    };
    if !(rest.is_empty() || rest.starts_with(b";")) || rest.contains(&b'\r') {
        return Err(Fault::Malformed("chunk size"));
    }
    hex.iter()
        .try_fold(0usize, |n, &d| {
            let digit = char::from(d).to_digit(16)?;
            n.checked_mul(16)?.checked_add(usize::try_from(digit).ok()?)
        })
        .ok_or(Fault::TooLarge(None))
}

/// `buf.copy_within(src, dest)`, checked instead of panicking.
fn move_within(buf: &mut [u8], src: Range<usize>, dest: usize) -> Result<(), Fault> {
    let fits = src.start <= src.end
        && src.end <= buf.len()
        && dest.saturating_add(src.end - src.start) <= buf.len();
    if !fits {
        return Err(Fault::Malformed("chunk decoder out of bounds"));
    }
    if src.start != dest {
        buf.copy_within(src, dest);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_sizes() {
        assert_eq!(chunk_size(b"0\r\n"), Ok(0));
        assert_eq!(chunk_size(b"1a\r\n"), Ok(26));
        assert_eq!(chunk_size(b"00FF\r\n"), Ok(255));
        assert_eq!(chunk_size(b"10;name=value\r\n"), Ok(16));
        assert_eq!(chunk_size(b"10 ; name=\"v\"\r\n"), Ok(16));
        assert_eq!(chunk_size(b"10 \r\n"), Ok(16));
        for bad in [
            &b"\r\n"[..],
            b"g\r\n",
            b" 1\r\n",
            b"-1\r\n",
            b"0x10\r\n",
            b"1\n",
            b"1;a\rb\r\n",
            b"1 2\r\n",
        ] {
            assert!(
                matches!(chunk_size(bad), Err(Fault::Malformed(_))),
                "{:?}",
                core::str::from_utf8(bad)
            );
        }
        assert_eq!(
            chunk_size(b"fffffffffffffffffffff\r\n"),
            Err(Fault::TooLarge(None))
        );
    }

    #[test]
    fn content_lengths() {
        assert_eq!(content_length(b"0"), Ok(0));
        assert_eq!(content_length(b"0123"), Ok(123));
        assert_eq!(
            content_length(b"99999999999999999999999"),
            Err(Fault::TooLarge(None))
        );
        for bad in [&b""[..], b"+1", b"-1", b"1,1", b"1 1", b"0x1"] {
            assert!(matches!(content_length(bad), Err(Fault::Malformed(_))));
        }
    }

    #[test]
    fn head_ranges_point_into_the_buffer() {
        let reply = b"xxHTTP/1.1 400 Bad Request\r\nX-Amzn-ErrorType:  Nope:x \r\nDATE: d\r\n\
                      Content-Length: 0\r\n\r\n";
        let head = parse_head(reply.get(2..).unwrap(), 2).unwrap().unwrap();
        assert_eq!(head.status, 400);
        assert_eq!(head.end, reply.len());
        assert_eq!(head.framing, Framing::Length(0));
        assert!(head.keep_alive);
        assert_eq!(&reply[head.error_type.unwrap()], b"Nope:x");
        assert_eq!(&reply[head.date.unwrap()], b"d");
        assert_eq!(head.request_id, None);
    }

    #[test]
    fn partial_heads_wait() {
        for cut in [
            &b""[..],
            b"HTTP/1.",
            b"HTTP/1.1 200 OK\r\n",
            b"HTTP/1.1 200 OK\r\nA: b\r\n",
        ] {
            assert_eq!(parse_head(cut, 0), Ok(None));
        }
    }
}
