//! Endpoints and HTTP/1.1 framing of Cognito JSON API requests.

use core::fmt;

use super::operation::{CONTENT_TYPE, Operation};
use super::sink::{Sink, measure, put_decimal, write_measured};
use crate::error::{BufferTooSmall, Misuse};

/// The region of a user-pool id: `eu-west-1_AbC` → `eu-west-1`.
///
/// [`Misuse::InvalidPoolId`] when there is no `_`, the region or the name is empty, or the region
/// has characters other than `a-z`, `0-9` and `-`.
pub fn region_of_pool_id(pool_id: &str) -> Result<&str, Misuse> {
    let (region, name) = pool_id.split_once('_').ok_or(Misuse::InvalidPoolId)?;
    if name.is_empty() || !is_region(region) {
        return Err(Misuse::InvalidPoolId);
    }
    Ok(region)
}

/// The pool name of a user-pool id (what follows the first `_`): `eu-west-1_AbC` → `AbC`.
///
/// Fails like [`region_of_pool_id`].
pub fn pool_name_of_pool_id(pool_id: &str) -> Result<&str, Misuse> {
    region_of_pool_id(pool_id)?;
    pool_id
        .split_once('_')
        .map(|(_, name)| name)
        .ok_or(Misuse::InvalidPoolId)
}

fn is_region(region: &str) -> bool {
    !region.is_empty()
        && region
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
}

/// The longest host (authority) an [`Endpoint`] holds, in bytes.
pub const MAX_HOST_LEN: usize = 128;

/// Where requests go: a host (an authority, which may include `:port`) serving the Cognito JSON
/// API at `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    host: heapless::String<MAX_HOST_LEN>,
}

impl Endpoint {
    /// The AWS endpoint of `region`: `cognito-idp.{region}.amazonaws.com`, or
    /// `….amazonaws.com.cn` for the China regions (`cn-…`).
    ///
    /// [`Misuse::Invalid`]`("region")` when `region` is empty or has characters other than `a-z`,
    /// `0-9` and `-`.
    pub fn aws(region: &str) -> Result<Self, Misuse> {
        Self::aws_service("cognito-idp.", region)
    }

    /// The AWS host `{service}{region}.amazonaws.com` (`.com.cn` for the China regions); fails
    /// like [`aws`](Self::aws).
    pub(crate) fn aws_service(service: &str, region: &str) -> Result<Self, Misuse> {
        let suffix = if region.starts_with("cn-") {
            ".amazonaws.com.cn"
        } else {
            ".amazonaws.com"
        };
        Self::from_parts(service, region, suffix)
    }

    /// The FIPS endpoint of `region`: `cognito-idp-fips.{region}.amazonaws.com`.
    ///
    /// Fails like [`aws`](Self::aws).
    pub fn aws_fips(region: &str) -> Result<Self, Misuse> {
        Self::from_parts("cognito-idp-fips.", region, ".amazonaws.com")
    }

    /// The AWS endpoint of the region of `pool_id` (see [`region_of_pool_id`]).
    pub fn for_pool_id(pool_id: &str) -> Result<Self, Misuse> {
        Self::aws(region_of_pool_id(pool_id)?)
    }

    /// Any host, for emulators and proxies, for example `localhost:9229`.
    ///
    /// [`Misuse::Empty`] when empty, [`Misuse::TooLong`] beyond [`MAX_HOST_LEN`] bytes, and
    /// [`Misuse::Invalid`]`("host")` when it contains whitespace or control characters (they would
    /// break the request's header block).
    pub fn custom(host: &str) -> Result<Self, Misuse> {
        if host.is_empty() {
            return Err(Misuse::Empty("host"));
        }
        if host.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(Misuse::Invalid("host"));
        }
        let host = heapless::String::try_from(host).map_err(|_| Misuse::TooLong {
            field: "host",
            max: MAX_HOST_LEN,
        })?;
        Ok(Endpoint { host })
    }

    fn from_parts(prefix: &str, region: &str, suffix: &str) -> Result<Self, Misuse> {
        if !is_region(region) {
            return Err(Misuse::Invalid("region"));
        }
        let mut host = heapless::String::new();
        let too_long = Misuse::TooLong {
            field: "region",
            max: MAX_HOST_LEN - prefix.len() - suffix.len(),
        };
        for part in [prefix, region, suffix] {
            host.push_str(part).map_err(|_| too_long)?;
        }
        Ok(Endpoint { host })
    }

    /// The host (authority) to connect to and to send in the `Host` header.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "https://{}/", self.host)
    }
}

/// Writes a complete HTTP/1.1 request for `operation` into `buf` and returns its length:
///
/// ```text
/// POST / HTTP/1.1\r\n
/// Host: {host}\r\n
/// Content-Type: application/x-amz-json-1.1\r\n
/// X-Amz-Target: AWSCognitoIdentityProviderService.{operation}\r\n
/// Content-Length: {body.len()}\r\n
/// {name}: {value}\r\n            (for each of extra_headers)
/// \r\n
/// {body}
/// ```
///
/// `buf` is untouched when too small. The caller guarantees that `host` and `extra_headers`
/// contain no CR or LF ([`Endpoint`] checks its host).
pub fn write_http_request(
    buf: &mut [u8],
    host: &str,
    operation: Operation,
    body: &[u8],
    extra_headers: &[(&str, &str)],
) -> Result<usize, BufferTooSmall> {
    write_measured(buf, |sink| {
        put_request(sink, host, operation, body, extra_headers);
    })
}

/// The length of what [`write_http_request`] writes.
#[must_use]
pub fn http_request_len(
    host: &str,
    operation: Operation,
    body: &[u8],
    extra_headers: &[(&str, &str)],
) -> usize {
    measure(|sink| put_request(sink, host, operation, body, extra_headers))
}

/// Writes only the head [`write_http_request`] writes (everything before the body), for a body of
/// `body_len` bytes: for transports that send the body from where it lies. `buf` is untouched
/// when too small.
pub fn write_http_head(
    buf: &mut [u8],
    host: &str,
    operation: Operation,
    body_len: usize,
    extra_headers: &[(&str, &str)],
) -> Result<usize, BufferTooSmall> {
    write_measured(buf, |sink| {
        put_head(sink, host, operation, body_len, extra_headers);
    })
}

/// The length of what [`write_http_head`] writes.
#[must_use]
pub fn http_head_len(
    host: &str,
    operation: Operation,
    body_len: usize,
    extra_headers: &[(&str, &str)],
) -> usize {
    measure(|sink| put_head(sink, host, operation, body_len, extra_headers))
}

fn put_request(
    sink: &mut dyn Sink,
    host: &str,
    operation: Operation,
    body: &[u8],
    extra_headers: &[(&str, &str)],
) {
    put_head(sink, host, operation, body.len(), extra_headers);
    sink.put(body);
}

fn put_head(
    sink: &mut dyn Sink,
    host: &str,
    operation: Operation,
    body_len: usize,
    extra_headers: &[(&str, &str)],
) {
    sink.put(b"POST / HTTP/1.1\r\nHost: ");
    sink.put(host.as_bytes());
    sink.put(b"\r\nContent-Type: ");
    sink.put(CONTENT_TYPE.as_bytes());
    sink.put(b"\r\nX-Amz-Target: ");
    sink.put(operation.target().as_bytes());
    sink.put(b"\r\nContent-Length: ");
    // usize always fits in u64 on supported targets; saturate rather than panic otherwise.
    put_decimal(sink, u64::try_from(body_len).unwrap_or(u64::MAX));
    sink.put(b"\r\n");
    for (name, value) in extra_headers {
        sink.put(name.as_bytes());
        sink.put(b": ");
        sink.put(value.as_bytes());
        sink.put(b"\r\n");
    }
    sink.put(b"\r\n");
}
