//! Requests to an identity pool (`cognito-identity`): the same JSON 1.1 POST as the user-pool
//! API, to the identity endpoint, with the operation's `X-Amz-Target`.

use cognito_core::identity::{IdentityOperation, IdentityRequest};
use cognito_core::wire::{CONTENT_TYPE, HttpResponse, Resend, read_response};
use zeroize::Zeroizing;

use super::{Outgoing, Reply, Transport};
use crate::error::Result;

/// An identity-pool request written by the core, owned (its body, which carries tokens, is
/// zeroized when dropped).
#[derive(Debug)]
pub(crate) struct OwnedIdentityRequest {
    pub(crate) operation: IdentityOperation,
    pub(crate) body: Zeroizing<Vec<u8>>,
    pub(crate) resend: Resend,
}

impl OwnedIdentityRequest {
    /// An owned copy of `request`.
    pub(crate) fn copy_of(request: &IdentityRequest<'_>) -> Self {
        Self {
            operation: request.operation,
            body: Zeroizing::new(request.body.to_vec()),
            resend: request.resend,
        }
    }
}

impl Outgoing for OwnedIdentityRequest {
    fn name(&self) -> &'static str {
        self.operation.name()
    }

    fn resend(&self) -> Resend {
        self.resend
    }

    fn build(&self, transport: &Transport) -> Result<reqwest::RequestBuilder> {
        Ok(transport
            .http
            .post(transport.url.clone())
            .header(reqwest::header::CONTENT_TYPE, CONTENT_TYPE)
            .header("X-Amz-Target", self.operation.target())
            // reqwest frees the body it is given; this one wipes itself first.
            .body(bytes::Bytes::from_owner(Zeroizing::new(self.body.to_vec()))))
    }

    fn view<'r>(&self, reply: &'r Reply) -> HttpResponse<'r> {
        reply.as_http()
    }

    fn read(&self, reply: &HttpResponse<'_>) -> core::result::Result<(), cognito_core::Error> {
        read_response(reply).map(|_| ())
    }
}
