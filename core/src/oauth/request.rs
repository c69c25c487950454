//! A request to the pool domain: method, path and query, `Authorization`, form body, and
//! whether it may be sent again.

use core::fmt;

use crate::error::BufferTooSmall;
use crate::wire::Resend;
use crate::wire::sink::{Sink, measure, put_decimal, write_measured};

/// The content type of every `/oauth2/*` POST body.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded";

/// Which endpoint of the pool domain a request is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OAuthEndpoint {
    /// `POST /oauth2/token`.
    Token,
    /// `POST /oauth2/revoke`.
    Revoke,
    /// `GET /oauth2/userInfo`.
    UserInfo,
}

impl OAuthEndpoint {
    /// The path.
    #[must_use]
    pub const fn path(self) -> &'static str {
        match self {
            Self::Token => "/oauth2/token",
            Self::Revoke => "/oauth2/revoke",
            Self::UserInfo => "/oauth2/userInfo",
        }
    }

    /// The HTTP method.
    #[must_use]
    pub const fn method(self) -> &'static str {
        match self {
            Self::Token | Self::Revoke => "POST",
            Self::UserInfo => "GET",
        }
    }

    /// A short name for logs and errors.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::Revoke => "revoke",
            Self::UserInfo => "userInfo",
        }
    }
}

/// A request to the pool domain, written into a caller buffer. Send it as
/// `{method} {path}` with `Authorization: {authorization}` when present and, for a POST,
/// `Content-Type: application/x-www-form-urlencoded` and the body.
///
/// `Debug` shows neither the `Authorization` value nor the body (client secret, code, verifier,
/// tokens), only their lengths.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OAuthRequest<'b> {
    /// The endpoint (its path and method).
    pub endpoint: OAuthEndpoint,
    /// The `Authorization` header value (`Basic …` for a client with a secret, `Bearer …` for
    /// userInfo), if any.
    pub authorization: Option<&'b str>,
    /// The form body (empty for a GET).
    pub body: &'b [u8],
    /// When the request may be sent again after a failure that may have reached the domain.
    pub resend: Resend,
}

impl OAuthRequest<'_> {
    /// The `Content-Type` to send: the form type for a POST, none for a GET.
    #[must_use]
    pub fn content_type(&self) -> Option<&'static str> {
        (self.endpoint.method() == "POST").then_some(FORM_CONTENT_TYPE)
    }

    /// Writes the whole HTTP/1.1 request (head and body) for `host` into `buf`, for transports
    /// that take raw bytes; returns its length (`buf` untouched when too small). `host` must not
    /// contain CR or LF ([`super::PoolDomain`] checks its host).
    pub fn write_http(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_measured(buf, |sink| {
            self.put_head(sink, host);
            sink.put(self.body);
        })
    }

    /// Writes only the head (everything before the body) into `buf`.
    pub fn write_http_head(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_measured(buf, |sink| self.put_head(sink, host))
    }

    fn put_head(&self, sink: &mut dyn Sink, host: &str) {
        sink.put(self.endpoint.method().as_bytes());
        sink.put(b" ");
        sink.put(self.endpoint.path().as_bytes());
        sink.put(b" HTTP/1.1\r\nHost: ");
        sink.put(host.as_bytes());
        sink.put(b"\r\nAccept: application/json\r\n");
        if let Some(authorization) = self.authorization {
            sink.put(b"Authorization: ");
            sink.put(authorization.as_bytes());
            sink.put(b"\r\n");
        }
        if let Some(content_type) = self.content_type() {
            sink.put(b"Content-Type: ");
            sink.put(content_type.as_bytes());
            sink.put(b"\r\nContent-Length: ");
            put_decimal(sink, u64::try_from(self.body.len()).unwrap_or(u64::MAX));
            sink.put(b"\r\n");
        }
        sink.put(b"\r\n");
    }
}

impl fmt::Debug for OAuthRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let OAuthRequest {
            endpoint,
            authorization,
            body,
            resend,
        } = self;
        f.debug_struct("OAuthRequest")
            .field("endpoint", endpoint)
            .field("authorization_len", &authorization.map(str::len))
            .field("body_len", &body.len())
            .field("resend", resend)
            .finish()
    }
}

/// Lays out an `Authorization` value and a body in one buffer: `authorization` writes the
/// header value (nothing for none), `body` the form; returns the request (buffer untouched when
/// too small).
pub(crate) fn write_oauth_request<'b>(
    buf: &'b mut [u8],
    endpoint: OAuthEndpoint,
    resend: Resend,
    authorization: impl Fn(&mut dyn Sink),
    body: impl Fn(&mut dyn Sink),
) -> Result<OAuthRequest<'b>, BufferTooSmall> {
    let auth_len = measure(|sink| authorization(sink));
    let total = write_measured(buf, |sink| {
        authorization(sink);
        body(sink);
    })?;
    let (auth, rest) = buf.split_at(auth_len.min(total));
    let body = rest
        .get(..total.saturating_sub(auth_len))
        .unwrap_or_default();
    Ok(OAuthRequest {
        endpoint,
        authorization: (auth_len > 0).then(|| core::str::from_utf8(auth).unwrap_or_default()),
        body,
        resend,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_http_framing() {
        let mut buf = [0u8; 64];
        let request = write_oauth_request(
            &mut buf,
            OAuthEndpoint::Token,
            Resend::OnlyIfUnreceived,
            |s| s.put(b"Basic YTpi"),
            |s| s.put(b"grant_type=x"),
        )
        .unwrap();
        assert_eq!(request.authorization, Some("Basic YTpi"));
        assert_eq!(request.body, b"grant_type=x");
        let mut http = [0u8; 256];
        let len = request.write_http("auth.example.com", &mut http).unwrap();
        assert_eq!(
            core::str::from_utf8(&http[..len]).unwrap(),
            "POST /oauth2/token HTTP/1.1\r\nHost: auth.example.com\r\nAccept: application/json\r\n\
             Authorization: Basic YTpi\r\nContent-Type: application/x-www-form-urlencoded\r\n\
             Content-Length: 12\r\n\r\ngrant_type=x"
        );
        assert!(!format!("{request:?}").contains("YTpi"));
    }

    #[test]
    fn get_without_authorization_or_body() {
        let mut buf = [0u8; 8];
        let request = write_oauth_request(
            &mut buf,
            OAuthEndpoint::UserInfo,
            Resend::AfterAnyFailure,
            |_| {},
            |_| {},
        )
        .unwrap();
        assert_eq!(request.authorization, None);
        let mut http = [0u8; 128];
        let len = request.write_http("h", &mut http).unwrap();
        assert_eq!(
            &http[..len],
            b"GET /oauth2/userInfo HTTP/1.1\r\nHost: h\r\nAccept: application/json\r\n\r\n"
        );
    }

    #[test]
    fn too_small_leaves_the_buffer_alone() {
        let mut buf = [7u8; 4];
        let e = write_oauth_request(
            &mut buf,
            OAuthEndpoint::Revoke,
            Resend::OnlyIfUnreceived,
            |s| s.put(b"ab"),
            |s| s.put(b"cde"),
        )
        .unwrap_err();
        assert_eq!(e.required, 5);
        assert_eq!(buf, [7; 4]);
    }
}
