//! The one path every exchange takes: a core call or flow writes its request, the transport
//! sends it (again only where the core allows), and the reply goes back to whatever wrote it.
//! The async client, the blocking one and pending sign-ins all share it.

use tracing::Instrument;
use zeroize::Zeroizing;

use cognito_core::auth::ClientConfig;
use cognito_core::exchange::Flow;
use cognito_core::wire::Request;
use cognito_core::{Call, Error as CoreError};

use crate::config::{Config, Options};
use crate::error::Result;
use crate::transport::{OwnedRequest, Transport};

/// What a client and its pending sign-ins share.
#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) config: Config,
    /// The core's copy of the app client, made once.
    pub(crate) core: ClientConfig,
    pub(crate) options: Options,
    pub(crate) transport: Transport,
    /// The pool domain, when configured (parsed once).
    pub(crate) domain: Option<cognito_core::oauth::PoolDomain>,
    /// Client-credentials tokens, by scope set.
    pub(crate) client_tokens: crate::client_token::ClientTokenCache,
    /// The identity pool, when configured.
    pub(crate) identity: Option<crate::identity::IdentityClient>,
}

/// The size request bodies are first written into (grown once when a body needs more).
const REQUEST_BUFFER: usize = 8192;

impl Inner {
    /// Sends one call and reads its reply into its owned result.
    pub(crate) async fn send<C: OwnedCall + Sync>(&self, call: &C) -> Result<C::Output> {
        let span = tracing::info_span!("cognito_call", operation = C::OPERATION.name());
        async {
            let request = write_request(|b| call.write_request(&self.core, b))?;
            let reply = self.transport.send(&request).await?;
            Ok(C::output(C::read_reply(&reply.as_http())?))
        }
        .instrument(span)
        .await
    }

    /// Runs `flow` from its written `request` until it has nothing more to send: each reply is
    /// handed to the flow, and `map` turns what the flow says into an owned value. Returns what
    /// it made of the last one.
    pub(crate) async fn run_flow<F, T>(
        &self,
        flow: &mut F,
        mut request: OwnedRequest,
        mut map: impl FnMut(F::Step<'_>) -> Result<T> + Send,
    ) -> Result<T>
    where
        F: Flow + Send,
    {
        loop {
            let reply = self.transport.send(&request).await?;
            let now = self.transport.server_now();
            let owned = map(flow.handle_response(&reply.as_http(), now)?)?;
            if !flow.has_request() {
                return Ok(owned);
            }
            request = write_request(|b| flow.write_request(b))?;
        }
    }
}

/// A core [`Call`] whose reply this client hands back owned, so that [`Client::send`](crate::Client::send) (and the
/// blocking client's `send`) can run it. Implemented for every operation of
/// [`cognito_core::account`]; implement it for a call of your own to send that too.
pub trait OwnedCall: Call {
    /// The owned result.
    type Output;

    /// The owned result of `reply`.
    fn output(reply: Self::Reply<'_>) -> Self::Output;
}

/// Borrowed pairs of owned ones (attributes, client metadata, raw answers).
pub(crate) fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// Runs `write` (a core writer) into a zeroized buffer, growing it once to the size a
/// [`cognito_core::BufferTooSmall`] asks for, and keeps the written request in it. The buffer
/// is replaced rather than resized: a reallocation would free the old allocation without
/// zeroizing it.
pub(crate) fn write_request(
    mut write: impl FnMut(&mut [u8]) -> core::result::Result<Request<'_>, CoreError>,
) -> Result<OwnedRequest> {
    let mut buf = Zeroizing::new(vec![0u8; REQUEST_BUFFER]);
    let written = match write(buf.as_mut_slice()) {
        Ok(request) => (request.operation, request.body.len(), request.resend),
        Err(CoreError::BufferTooSmall(b)) => {
            buf = Zeroizing::new(vec![0u8; b.required]);
            let request = write(buf.as_mut_slice())?;
            (request.operation, request.body.len(), request.resend)
        }
        Err(e) => return Err(e.into()),
    };
    let (operation, len, resend) = written;
    // Every writer writes its body at the start of the buffer; what follows is zeros.
    buf.truncate(len);
    Ok(OwnedRequest {
        operation,
        body: buf,
        resend,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use cognito_core::wire::{Operation, Resend};

    #[test]
    fn a_small_buffer_is_replaced_once() {
        let body = vec![b'x'; 10_000];
        let mut calls = 0;
        let written = write_request(|b| {
            calls += 1;
            let Some(target) = b.get_mut(..body.len()) else {
                return Err(CoreError::BufferTooSmall(cognito_core::BufferTooSmall {
                    required: body.len(),
                }));
            };
            target.copy_from_slice(&body);
            Ok(Request::new(
                Operation::GetUser,
                target,
                Resend::AfterAnyFailure,
            ))
        })
        .unwrap();
        assert_eq!(calls, 2);
        assert_eq!(written.operation, Operation::GetUser);
        assert_eq!(written.resend, Resend::AfterAnyFailure);
        assert_eq!(*written.body, body);
    }
}
