//! A request a flow emits: the operation and its JSON body, written into a caller buffer.

use crate::error::BufferTooSmall;
use crate::wire::{Operation, write_http_request};

/// A request ready to send: `POST /` with `X-Amz-Target: <operation target>`,
/// `Content-Type: application/x-amz-json-1.1` and this body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Request<'b> {
    /// The operation (selects the `X-Amz-Target` header).
    pub operation: Operation,
    /// The JSON body.
    pub body: &'b [u8],
}

impl Request<'_> {
    /// Writes the complete HTTP/1.1 request (head and body) for `host` into `buf`, for transports
    /// that take raw bytes. Returns the length; `buf` is untouched when too small.
    pub fn write_http(&self, host: &str, buf: &mut [u8]) -> Result<usize, BufferTooSmall> {
        write_http_request(buf, host, self.operation, self.body, &[])
    }
}
