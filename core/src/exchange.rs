//! One shape for every exchange with the pool, and the contract an adapter keeps.
//!
//! * A [`Call`] is a one-shot operation (`SignUp`, `GetUser`, `ConfirmDevice`, …): its
//!   [`Operation`], a request writer and a reply reader that borrows the reply body.
//! * A [`Flow`] is a stateful exchange of several requests (a sign-in, a refresh, registering a
//!   device): [`Flow::write_request`] and [`Flow::handle_response`]`(reply, now)`, repeated while
//!   [`Flow::has_request`] says there is more to send. [`Once`] runs a [`Call`] as a flow, so
//!   one loop drives everything.
//!
//! # How an adapter drives the core
//!
//! The invariant: **after writing a request, send exactly that request, and hand its whole
//! reply — status, `x-amzn-ErrorType` and body, as an [`HttpResponse`] — to the flow that wrote
//! it before writing the next one.** Whether a failed attempt may be sent again is the
//! request's own [`Request::resend`]: ask [`crate::wire::Resend::verdict`] after each attempt.
//! The adapter decides nothing else: which challenge means what, what comes next and what may
//! be resent are decided here.
//!
//! ```no_run
//! use cognito_core::Error;
//! use cognito_core::exchange::Flow;
//! use cognito_core::time::UnixTime;
//! use cognito_core::wire::{Attempt, HttpResponse, Request, Verdict};
//!
//! /// Your transport, one attempt: the reply's status and body length in `reply`, or whether
//! /// the request may have left (`Err(false)`: the connection was never made).
//! fn post(request: &Request<'_>, reply: &mut [u8]) -> Result<(u16, usize), bool> {
//!     unimplemented!()
//! }
//! fn now() -> UnixTime { unimplemented!() }
//!
//! /// One exchange: the flow's next request, resent as the core allows, and its reply handled.
//! /// Returns whether the flow has more to send; `on_step` sees what it said.
//! fn exchange<F: Flow>(
//!     flow: &mut F,
//!     request_buf: &mut [u8],
//!     reply_buf: &mut [u8],
//!     on_step: impl FnOnce(F::Step<'_>),
//! ) -> Result<bool, Error> {
//!     let request = flow.write_request(request_buf)?;
//!     let mut attempts = 0;
//!     let (status, len) = loop {
//!         attempts += 1;
//!         let (attempt, received) = match post(&request, reply_buf) {
//!             Ok((status, len)) => (Some((status, len)), true),
//!             Err(may_have_left) => (None, may_have_left),
//!         };
//!         let verdict = match attempt {
//!             Some((status, len)) => {
//!                 let reply = HttpResponse::new(status, reply_buf.get(..len).unwrap_or_default());
//!                 request.resend.verdict(&Attempt::Replied(&reply))
//!             }
//!             None if received => request.resend.verdict(&Attempt::NoReply),
//!             None => request.resend.verdict(&Attempt::NotSent),
//!         };
//!         match (verdict, attempt) {
//!             (Verdict::Resend, _) if attempts < 4 => continue, // after a backoff
//!             (Verdict::Deliver | Verdict::Resend, Some(reply)) => break reply,
//!             (Verdict::OutcomeUnknown, _) => unimplemented!("the outcome is unknown"),
//!             _ => unimplemented!("the network is down"),
//!         }
//!     };
//!     let reply = HttpResponse::new(status, reply_buf.get(..len).unwrap_or_default());
//!     on_step(flow.handle_response(&reply, now())?);
//!     Ok(flow.has_request())
//! }
//! ```

use crate::auth::ClientConfig;
use crate::error::{Error, Misuse};
use crate::time::UnixTime;
use crate::wire::{HttpResponse, JsonWriter, Operation, Request, Resend, encode_json};

/// A one-shot operation: one request, one reply.
///
/// Implementors are plain structs of borrowed arguments (`GetUser { access_token }`); the
/// reply is read in place from the reply body.
///
/// ```
/// use cognito_core::Call;
/// use cognito_core::account::{GetUser, GetUserReply};
/// use cognito_core::auth::ClientConfig;
/// use cognito_core::wire::{HttpResponse, Operation, Resend};
///
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let call = GetUser { access_token: "eyJ..." };
/// let mut buf = [0u8; 64];
/// let request = call.write_request(&config, &mut buf)?;
/// assert_eq!(request.operation, Operation::GetUser);
/// assert_eq!(request.resend, Resend::AfterAnyFailure); // a read
/// let body = br#"{"Username":"alice","UserAttributes":[{"Name":"sub","Value":"1"}]}"#;
/// let user: GetUserReply<'_> = GetUser::read_reply(&HttpResponse::new(200, body))?;
/// assert!(user.username.eq_str("alice"));
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub trait Call {
    /// The operation.
    const OPERATION: Operation;
    /// When a request that may have reached the pool may be sent again: only reads say
    /// [`Resend::AfterAnyFailure`].
    const RESEND: Resend = Resend::OnlyIfUnreceived;
    /// The reply, borrowed from the reply body.
    type Reply<'r>;

    /// Checks the arguments against what Cognito's model accepts (nothing stricter).
    fn validate(&self) -> Result<(), Misuse> {
        Ok(())
    }

    /// Writes the members of the request's JSON object (`config` gives `ClientId`,
    /// `SecretHash` and `ClientSecret` to the operations that send them).
    fn write_members(&self, config: &ClientConfig, w: &mut JsonWriter<'_>);

    /// Reads the reply; Cognito's errors become [`Error::Service`].
    fn read_reply<'r>(response: &HttpResponse<'r>) -> Result<Self::Reply<'r>, Error>;

    /// Validates, then writes the request into `buf` (untouched when too small, with
    /// [`Error::BufferTooSmall`] saying how much is needed).
    fn write_request<'b>(
        &self,
        config: &ClientConfig,
        buf: &'b mut [u8],
    ) -> Result<Request<'b>, Error> {
        self.validate()?;
        let len = encode_json(buf, |w| {
            w.begin_object();
            self.write_members(config, w);
            w.end_object();
        })?;
        Ok(Request::new(
            Self::OPERATION,
            buf.get(..len).unwrap_or_default(),
            Self::RESEND,
        ))
    }
}

/// A stateful exchange: requests written and replies handled in turn until it ends.
///
/// The flows: [`crate::auth::SignIn`], [`crate::auth::Refresh`],
/// [`crate::auth::DeviceRegistration`], and [`Once`] for any [`Call`].
pub trait Flow {
    /// What handling a reply yields.
    type Step<'r>;

    /// Whether the flow has a request to send now ([`Self::write_request`] writes it). False
    /// while a challenge waits for the caller's answer, and once the flow has ended.
    fn has_request(&self) -> bool;

    /// Writes the next request into `buf`. May be called again to write the same request again
    /// (to resend it). [`Error::BufferTooSmall`] leaves `buf` and the flow unchanged.
    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error>;

    /// Handles the reply to the request last written, received at `now`.
    fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        now: UnixTime,
    ) -> Result<Self::Step<'r>, Error>;
}

/// A [`Call`] run as a one-request [`Flow`] (with the app client it needs).
///
/// ```
/// use cognito_core::account::GlobalSignOut;
/// use cognito_core::auth::ClientConfig;
/// use cognito_core::exchange::{Flow, Once};
/// use cognito_core::time::UnixTime;
/// use cognito_core::wire::HttpResponse;
///
/// let config = ClientConfig::new("eu-west-1_AbC", "client")?;
/// let mut flow = Once::new(&config, GlobalSignOut { access_token: "eyJ..." });
/// let mut buf = [0u8; 64];
/// flow.write_request(&mut buf)?;
/// flow.handle_response(&HttpResponse::new(200, b"{}"), UnixTime::from_secs(0))?;
/// assert!(!flow.has_request());
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Debug)]
pub struct Once<'c, C> {
    config: &'c ClientConfig,
    call: C,
    state: OnceState,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OnceState {
    Ready,
    Sent,
    Done,
}

impl<'c, C: Call> Once<'c, C> {
    /// `call` through the app client `config`.
    pub fn new(config: &'c ClientConfig, call: C) -> Self {
        Once {
            config,
            call,
            state: OnceState::Ready,
        }
    }
}

impl<C: Call> Flow for Once<'_, C> {
    type Step<'r> = C::Reply<'r>;

    fn has_request(&self) -> bool {
        self.state != OnceState::Done
    }

    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        if self.state == OnceState::Done {
            return Err(Misuse::OutOfOrder.into());
        }
        let request = self.call.write_request(self.config, buf)?;
        self.state = OnceState::Sent;
        Ok(request)
    }

    fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        _now: UnixTime,
    ) -> Result<C::Reply<'r>, Error> {
        if self.state != OnceState::Sent {
            return Err(Misuse::OutOfOrder.into());
        }
        self.state = OnceState::Done;
        C::read_reply(response)
    }
}
