//! The firmware client: the core's flows and calls over one kept-alive connection, with the
//! caller's buffers, timeouts on the embassy clock, and requests sent again only where the core
//! allows.

use core::ops::Range;

use cognito_core::Call;
use cognito_core::auth::{Answer, ClientConfig, SignIn, Step};
use cognito_core::capacity::Capacities;
use cognito_core::exchange::Flow;
use cognito_core::identity::IdentityRequest;
use cognito_core::oauth::OAuthRequest;
use cognito_core::time::UnixTime;
use cognito_core::wire::{Attempt, HttpResponse, Request, Resend, Verdict};
use embassy_time::{Duration, Instant, Timer, with_timeout};

use crate::clock::{Clock, WallClock};
use crate::connect::Connect;
use crate::error::{ConnectError, Error};
use crate::http::{self, HttpError};

/// Timeouts and how patiently a request is sent again (where the core allows it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Opening a connection (with its TLS handshake), writing a request, and reading its reply:
    /// each must finish within this.
    pub timeout: Duration,
    /// Attempts in all for one request, the first included.
    pub max_attempts: u8,
    /// The pause before the second attempt; it doubles after each one.
    pub base_delay: Duration,
    /// The longest pause between attempts.
    pub max_delay: Duration,
    /// A kept-alive connection idle for longer is closed and a new one opened: the pool may
    /// have closed it meanwhile.
    pub max_idle: Duration,
    /// The same, for a request that must not be sent twice (an answer to a challenge, a sign-up,
    /// …): written into a connection the pool has just closed, its reply never comes and its
    /// outcome is unknown, so it gets a fresh connection unless the kept one was used this
    /// recently.
    pub max_idle_unrepeatable: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(4),
            max_idle: Duration::from_secs(30),
            max_idle_unrepeatable: Duration::from_secs(2),
        }
    }
}

/// The longest HTTP request head: the request line, `Host`, `Content-Type`, `X-Amz-Target` and
/// `Content-Length` (the longest target and a 128-byte host fit in about 260 bytes).
const HEAD_LEN: usize = 384;

/// A client of one user pool for firmware: no heap, the caller's buffers, any [`Connect`].
///
/// * [`call`](Self::call) sends one account operation and returns its reply, read in place from
///   the reply buffer;
/// * [`exchange`](Self::exchange) sends a flow's next request and hands the reply to the flow
///   (a sign-in, a refresh, a device registration); [`answer`](Self::answer) sends the answer to
///   a sign-in's challenge; [`run`](Self::run) keeps exchanging until the flow waits for its
///   caller or ends.
///
/// One connection is kept alive between requests (a TLS handshake is the costliest thing a
/// small device does), and opened again when it fails or has been idle for
/// [`Options::max_idle`] ([`Options::max_idle_unrepeatable`] before a request that must not be
/// sent twice). Each attempt is bounded by [`Options::timeout`]; a failed attempt is
/// sent again only as the core's [`cognito_core::wire::Resend`] allows, otherwise
/// [`Error::OutcomeUnknown`].
///
/// The SRP `TIMESTAMP` comes from the caller's [`WallClock`] or, without one, from the `Date`
/// header of the pool's replies.
pub struct Client<'c, C: Connect> {
    config: ClientConfig,
    link: Link<'c, C>,
    request_buf: &'c mut [u8],
    reply_buf: &'c mut [u8],
}

/// The connection and what concerns it alone, apart from the buffers so both can be lent at once.
/// The [`Client`], the pool domain's [`ClientCredentials`](crate::oauth::ClientCredentials) and
/// the identity pool's [`IdentityPool`](crate::identity::IdentityPool) each keep one.
pub(crate) struct Link<'c, C: Connect> {
    connector: &'c C,
    connection: Option<(C::Connection<'c>, Instant)>,
    clock: Clock<'c>,
    options: Options,
    head: [u8; HEAD_LEN],
}

/// What a [`Link`] sends: a JSON-API request or an identity-pool request (its head written into
/// the link's scratch), or a request to the pool domain (its head written into the scratch it
/// brings: an `Authorization` header may not fit the link's).
pub(crate) enum Outgoing<'r, 'b> {
    /// A user-pool API request.
    Api(&'r Request<'b>),
    /// A pool-domain request and the scratch for its head.
    OAuth(&'r OAuthRequest<'b>, &'r mut [u8]),
    /// An identity-pool request (its head written into the link's scratch).
    Identity(&'r IdentityRequest<'b>),
}

impl Outgoing<'_, '_> {
    /// When the request may be sent again: the core's decision, carried by the request.
    fn resend(&self) -> Resend {
        match self {
            Outgoing::Api(request) => request.resend,
            Outgoing::OAuth(request, _) => request.resend,
            Outgoing::Identity(request) => request.resend,
        }
    }

    /// The error for a request that may have arrived and must not be sent again.
    fn outcome_unknown(&self) -> Error {
        match self {
            Outgoing::Api(request) => Error::OutcomeUnknown {
                operation: request.operation,
            },
            Outgoing::OAuth(request, _) => Error::OAuthOutcomeUnknown {
                endpoint: request.endpoint,
            },
            Outgoing::Identity(request) => Error::IdentityOutcomeUnknown {
                operation: request.operation,
            },
        }
    }
}

/// Where a whole reply's parts lie in the reply buffer.
#[derive(Clone, Debug)]
pub(crate) struct Received {
    status: u16,
    error_type: Option<Range<usize>>,
    body: Range<usize>,
}

impl Received {
    /// The core's view of the reply in `buf`.
    pub(crate) fn view<'b>(&self, buf: &'b [u8]) -> HttpResponse<'b> {
        let error_type = self
            .error_type
            .clone()
            .and_then(|r| buf.get(r))
            .and_then(|b| core::str::from_utf8(b).ok());
        let body = buf.get(self.body.clone()).unwrap_or_default();
        HttpResponse::new(self.status, body).with_error_type(error_type)
    }
}

/// Why one attempt failed.
enum Failure {
    /// Nothing was sent (no connection could be opened, for this reason).
    NotSent(ConnectError),
    /// The request may have reached the pool; no whole reply came.
    NoReply(Error),
    /// Sending again cannot help (a reply too large, a malformed one).
    Fatal(Error),
}

impl<'c, C: Connect> Client<'c, C> {
    /// A client of `config`'s pool over `connector`, writing requests into `request_buf` (4 KiB
    /// holds every request; a `SignUp` with many attributes may want more) and reading replies
    /// into `reply_buf` (8–16 KiB for replies that carry tokens: see the crate docs).
    pub fn new(
        config: ClientConfig,
        connector: &'c C,
        request_buf: &'c mut [u8],
        reply_buf: &'c mut [u8],
    ) -> Self {
        Self {
            config,
            link: Link::new(connector),
            request_buf,
            reply_buf,
        }
    }

    /// Reads the time from `clock` (an RTC) rather than from the pool's replies alone.
    #[must_use]
    pub fn with_wall_clock(mut self, clock: &'c dyn WallClock) -> Self {
        self.link.clock = Clock::with_wall_clock(clock);
        self
    }

    /// Other timeouts and retries.
    #[must_use]
    pub fn with_options(mut self, options: Options) -> Self {
        self.link.options = options;
        self
    }

    /// The app client.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// The time now, as the client knows it (see [`Clock`]); `None` before a wall clock or a
    /// reply told it.
    pub fn now(&self) -> Option<UnixTime> {
        self.link.clock.now()
    }

    /// Closes the kept-alive connection (the next request opens a new one).
    pub fn disconnect(&mut self) {
        self.link.connection = None;
    }

    /// Sends `call` and reads its reply, borrowed from the reply buffer.
    pub async fn call<K: Call>(&mut self, call: &K) -> Result<K::Reply<'_>, Error> {
        let request = call.write_request(&self.config, self.request_buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::Api(&request), self.reply_buf)
            .await?;
        Ok(K::read_reply(&received.view(self.reply_buf))?)
    }

    /// Sends `flow`'s next request and hands the reply to it; returns what the flow says
    /// (borrowing the reply buffer).
    pub async fn exchange<F: Flow>(&mut self, flow: &mut F) -> Result<F::Step<'_>, Error> {
        let request = flow.write_request(self.request_buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::Api(&request), self.reply_buf)
            .await?;
        let now = self.link.clock.now().unwrap_or(UnixTime::from_secs(0));
        Ok(flow.handle_response(&received.view(self.reply_buf), now)?)
    }

    /// Sends `answer` to the challenge `flow` handed over, and hands the reply to it.
    pub async fn answer<L: Capacities>(
        &mut self,
        flow: &mut SignIn<L>,
        answer: &Answer<'_>,
    ) -> Result<Step<'_>, Error> {
        let request = flow.answer(answer, self.request_buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::Api(&request), self.reply_buf)
            .await?;
        let now = self.link.clock.now().unwrap_or(UnixTime::from_secs(0));
        Ok(flow.handle_response(&received.view(self.reply_buf), now)?)
    }

    /// Exchanges until `flow` has nothing more to send (it waits for its caller, or it ended);
    /// `on_step` sees each step and turns the last one into the result (copy out what you keep:
    /// the steps borrow the reply buffer).
    pub async fn run<F: Flow, T>(
        &mut self,
        flow: &mut F,
        mut on_step: impl FnMut(F::Step<'_>) -> T,
    ) -> Result<T, Error> {
        loop {
            let result = on_step(self.exchange(flow).await?);
            if !flow.has_request() {
                return Ok(result);
            }
        }
    }
}

impl<C: Connect> core::fmt::Debug for Client<'_, C> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .field("host", &self.link.connector.host())
            .field("connected", &self.link.connection.is_some())
            .field("clock", &self.link.clock)
            .field("options", &self.link.options)
            .field("request_buf", &self.request_buf.len())
            .field("reply_buf", &self.reply_buf.len())
            .finish()
    }
}

impl<'c, C: Connect> Link<'c, C> {
    /// No connection yet, default options, the time from the replies.
    pub(crate) fn new(connector: &'c C) -> Self {
        Link {
            connector,
            connection: None,
            clock: Clock::from_replies(),
            options: Options::default(),
            head: [0; HEAD_LEN],
        }
    }

    pub(crate) fn set_wall_clock(&mut self, clock: &'c dyn WallClock) {
        self.clock = Clock::with_wall_clock(clock);
    }

    pub(crate) fn set_options(&mut self, options: Options) {
        self.options = options;
    }

    pub(crate) fn clock(&self) -> &Clock<'c> {
        &self.clock
    }

    pub(crate) fn host(&self) -> &str {
        self.connector.host()
    }

    /// Closes the kept-alive connection.
    pub(crate) fn disconnect(&mut self) {
        self.connection = None;
    }

    /// Sends `request` until a reply the core wants comes back, as often as the core and the
    /// options allow.
    pub(crate) async fn exchange(
        &mut self,
        request: &mut Outgoing<'_, '_>,
        reply: &mut [u8],
    ) -> Result<Received, Error> {
        let mut attempt: u8 = 1;
        let mut delay = self.options.base_delay;
        let resend = request.resend();
        loop {
            let outcome = self.attempt(request, reply).await;
            let verdict = match &outcome {
                Ok(received) => resend.verdict(&Attempt::Replied(&received.view(reply))),
                Err(Failure::NotSent(_)) => resend.verdict(&Attempt::NotSent),
                Err(Failure::NoReply(_)) => resend.verdict(&Attempt::NoReply),
                Err(Failure::Fatal(_)) => Verdict::Deliver,
            };
            let budget_left = attempt < self.options.max_attempts;
            match (verdict, outcome) {
                (Verdict::Resend, _) if budget_left => {
                    Timer::after(delay).await;
                    delay = (delay * 2).min(self.options.max_delay);
                    attempt = attempt.saturating_add(1);
                }
                (Verdict::OutcomeUnknown, _) => return Err(request.outcome_unknown()),
                (_, Ok(received)) => return Ok(received),
                (_, Err(Failure::NotSent(e))) => return Err(Error::Connect(e)),
                (_, Err(Failure::NoReply(e) | Failure::Fatal(e))) => return Err(e),
            }
        }
    }

    /// One attempt: on the kept-alive connection if it is fresh, else on a new one.
    async fn attempt(
        &mut self,
        request: &mut Outgoing<'_, '_>,
        reply: &mut [u8],
    ) -> Result<Received, Failure> {
        let timeout = self.options.timeout;
        let max_idle = match request.resend() {
            Resend::AfterAnyFailure => self.options.max_idle,
            Resend::OnlyIfUnreceived => self
                .options
                .max_idle
                .min(self.options.max_idle_unrepeatable),
        };
        let fresh = self
            .connection
            .as_ref()
            .is_some_and(|(_, used)| used.elapsed() <= max_idle);
        if !fresh {
            self.connection = None;
            let now = self.clock.now();
            let connection = match with_timeout(timeout, self.connector.connect(now)).await {
                Ok(Ok(connection)) => connection,
                // A refused certificate, a device not set up: trying again cannot help.
                Ok(Err(e)) => {
                    let e: ConnectError = e.into();
                    return Err(if e.is_permanent() {
                        Failure::Fatal(Error::Connect(e))
                    } else {
                        Failure::NotSent(e)
                    });
                }
                Err(_) => return Err(Failure::NotSent(ConnectError::Timeout)),
            };
            self.connection = Some((connection, Instant::now()));
        }
        let Some((connection, used)) = self.connection.as_mut() else {
            return Err(Failure::NotSent(ConnectError::Other));
        };
        let host = self.connector.host();
        // Where the reply buffer lies, to find the reply's parts in it afterwards.
        let (base, len) = (reply.as_ptr() as usize, reply.len());
        let sent = match request {
            Outgoing::Api(request) => {
                with_timeout(
                    timeout,
                    http::write_request(connection, host, request, &mut self.head),
                )
                .await
            }
            Outgoing::OAuth(request, scratch) => {
                with_timeout(
                    timeout,
                    http::write_oauth_request(connection, host, request, scratch),
                )
                .await
            }
            Outgoing::Identity(request) => {
                with_timeout(
                    timeout,
                    http::write_identity_request(connection, host, request, &mut self.head),
                )
                .await
            }
        };
        let outcome = match sent {
            Err(_) => Err(Failure::NoReply(Error::Timeout)),
            // Nothing was written: the request cannot be written at all.
            Ok(Err(e)) if !e.may_have_reached_server() => Err(Failure::Fatal(transport_error(e))),
            Ok(Err(e)) => Err(Failure::NoReply(transport_error(e))),
            Ok(Ok(())) => match with_timeout(timeout, http::read_response(connection, reply)).await
            {
                Err(_) => Err(Failure::NoReply(Error::Timeout)),
                Ok(Err(HttpError::TooLarge { needed })) => {
                    Err(Failure::Fatal(Error::ReplyTooLarge { needed }))
                }
                Ok(Err(HttpError::Malformed(what))) => Err(Failure::Fatal(Error::Http(what))),
                Ok(Err(e)) => Err(Failure::NoReply(transport_error(e))),
                Ok(Ok(response)) => {
                    *used = Instant::now();
                    self.clock.note_date(response.date);
                    Ok((response.keep_alive, received(base, len, &response)))
                }
            },
        };
        match outcome {
            Ok((keep_alive, received)) => {
                if !keep_alive {
                    self.connection = None;
                }
                Ok(received)
            }
            Err(failure) => {
                // A connection that failed, or was left mid-reply, cannot carry another request.
                self.connection = None;
                Err(failure)
            }
        }
    }
}

/// The client error for a transport failure of the HTTP layer.
fn transport_error<E: embedded_io_async::Error>(e: HttpError<E>) -> Error {
    match e {
        HttpError::Io(e) => Error::Io(e.kind()),
        HttpError::Closed => Error::Io(embedded_io_async::ErrorKind::ConnectionReset),
        HttpError::TooLarge { needed } => Error::ReplyTooLarge { needed },
        HttpError::Malformed(what) => Error::Http(what),
        HttpError::HeadTooLarge { .. } => Error::Http("request head too large"),
        HttpError::InvalidHost => Error::Http("the host cannot be written in a request"),
    }
}

/// Where `response`'s parts lie in the reply buffer at address `base`, `len` bytes long.
fn received(base: usize, len: usize, response: &http::Response<'_>) -> Received {
    Received {
        status: response.status,
        error_type: response
            .error_type
            .and_then(|t| span(base, len, t.as_bytes())),
        body: span(base, len, response.body).unwrap_or(0..0),
    }
}

/// The range `part` (a slice of the buffer at address `base`, `len` bytes long) occupies in it.
fn span(base: usize, len: usize, part: &[u8]) -> Option<Range<usize>> {
    let start = (part.as_ptr() as usize).checked_sub(base)?;
    let end = start.checked_add(part.len())?;
    (end <= len).then_some(start..end)
}
