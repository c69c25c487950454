//! Requests to an identity pool (`cognito-identity`): the same JSON 1.1 POST as the user-pool
//! API, to the identity endpoint, with the operation's `X-Amz-Target`.

use cognito_core::identity::{IdentityOperation, IdentityRequest};
use cognito_core::wire::Resend;
use zeroize::Zeroizing;

use super::{Outgoing, Transport};
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
        Ok(super::post_json(
            transport,
            self.operation.target(),
            &self.body,
        ))
    }
}
