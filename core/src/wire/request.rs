//! A request a flow or a call emits: the operation, its JSON body written into a caller buffer,
//! and whether it may be sent again after a failure.

use core::fmt;

use super::http::write_http_request;
use super::operation::Operation;
use super::resend::Resend;
use crate::error::BufferTooSmall;

/// A request ready to send: `POST /` with `X-Amz-Target: <operation target>`,
/// `Content-Type: application/x-amz-json-1.1` and this body.
///
/// `Debug` shows the body's length, not the body: it may carry a password, a code, a token, a
/// `Session` or an SRP proof.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Request<'b> {
    /// The operation (selects the `X-Amz-Target` header).
    pub operation: Operation,
    /// The JSON body.
    pub body: &'b [u8],
    /// When the request may be sent again after a failure that may have reached the pool.
    pub resend: Resend,
}

impl<'b> Request<'b> {
    /// The request for `operation` with `body`, resent as `resend` allows.
    #[must_use]
    pub const fn new(operation: Operation, body: &'b [u8], resend: Resend) -> Self {
        Request {
            operation,
            body,
            resend,
        }
    }

    /// Writes the complete HTTP/1.1 request (head and body) for `host` into `buf`, for transports
    /// that take raw bytes. Returns the length; `buf` is untouched when too small.
    pub fn write_http(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_http_request(buf, host, self.operation, self.body, &[])
    }
}

impl fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Request {
            operation,
            body,
            resend,
        } = self;
        f.debug_struct("Request")
            .field("operation", operation)
            .field("body_len", &body.len())
            .field("resend", resend)
            .finish()
    }
}
