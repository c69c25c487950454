//! What can go wrong between the device and the pool, by whose fault it is.

use core::fmt;

use cognito_core::wire::Operation;

/// A failure of the client: the core's (the pool said no, the reply was malformed, a misuse, a
/// buffer too small) or the transport's.
// The pool's message is kept inline in the core's error (no heap), as in `cognito_core::Error`.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// The core's error: [`cognito_core::Error::Service`] when the pool said no.
    Core(cognito_core::Error),
    /// No connection could be opened (DNS, TCP or the TLS handshake): nothing was sent.
    Connect,
    /// The connection failed while sending or receiving.
    Io(embedded_io_async::ErrorKind),
    /// No reply came within the client's timeout.
    Timeout,
    /// The reply does not fit the reply buffer (`needed` bytes when the reply said how long it
    /// is): give the client a larger one.
    ReplyTooLarge {
        /// The size the reply said it has, if it did.
        needed: Option<usize>,
    },
    /// The reply is not the HTTP/1.1 it should be.
    Http(&'static str),
    /// A request that must not be sent twice may have reached the pool, but no usable reply came
    /// back (see [`cognito_core::wire::Resend`]): it was not sent again, and whether the pool
    /// acted on it is unknown. A sign-in must start over; check an account change before
    /// repeating it.
    OutcomeUnknown {
        /// The operation.
        operation: Operation,
    },
    /// The client does not know the time yet (no wall clock, and no reply has come): the SRP
    /// `TIMESTAMP` needs it. Give the client a [`crate::clock::WallClock`], or make any request
    /// first.
    NoClock,
}

impl From<cognito_core::Error> for Error {
    fn from(e: cognito_core::Error) -> Self {
        Error::Core(e)
    }
}

impl From<cognito_core::Misuse> for Error {
    fn from(e: cognito_core::Misuse) -> Self {
        Error::Core(e.into())
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(e) => fmt::Display::fmt(e, f),
            Error::Connect => f.write_str("could not connect to the pool"),
            Error::Io(kind) => write!(f, "connection failed: {kind:?}"),
            Error::Timeout => f.write_str("the pool did not answer in time"),
            Error::ReplyTooLarge { needed: Some(n) } => {
                write!(f, "the reply ({n} bytes) does not fit the reply buffer")
            }
            Error::ReplyTooLarge { needed: None } => {
                f.write_str("the reply does not fit the reply buffer")
            }
            Error::Http(what) => write!(f, "malformed HTTP reply: {what}"),
            Error::OutcomeUnknown { operation } => write!(f, "outcome of {operation} unknown"),
            Error::NoClock => f.write_str("the time is not known yet"),
        }
    }
}

impl core::error::Error for Error {}
