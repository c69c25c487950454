//! Errors, sorted by whose fault they are.
//!
//! * [`Error::Service`]: Cognito answered and said no (wrong password, expired code, throttling, …).
//! * [`Error::OAuth`]: the pool domain's OAuth 2.0 endpoints said no (`invalid_grant`,
//!   `access_denied`, …: [`crate::oauth::OAuthError`]).
//! * [`Error::Protocol`]: the peer sent something malformed or unsafe (bad JSON, a missing field,
//!   `B ≡ 0 mod N`, an unexpected challenge). Retrying the same exchange will not help.
//! * [`Error::Misuse`]: the caller asked for something impossible (out-of-order call, an invalid
//!   pool id, a value longer than the fixed-capacity storage documented for it).
//! * [`Error::BufferTooSmall`]: an output buffer was too small; nothing was written, and the error
//!   carries the size that would have been enough.

use core::fmt;

use crate::wire::ServiceError;

/// Every error the core reports: `Clone`, free of heap allocations, about 350 bytes (the
/// service's message is kept inline).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
#[non_exhaustive]
pub enum Error {
    /// Cognito rejected the request; see [`ServiceError::kind`] and [`ServiceError::message`].
    Service(ServiceError),
    /// The peer sent something malformed, unexpected or cryptographically unsafe.
    Protocol(ProtocolError),
    /// The caller used the API wrongly.
    Misuse(Misuse),
    /// An output buffer was too small. Nothing was written.
    BufferTooSmall(BufferTooSmall),
    /// The pool domain's OAuth 2.0 endpoints said no (`invalid_grant`, `access_denied`, …).
    OAuth(crate::oauth::OAuthError),
}

/// An output buffer was too small; `required` bytes would have been enough. The buffer is untouched.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BufferTooSmall {
    /// The number of bytes the output needs.
    pub required: usize,
}

/// The peer (Cognito, a proxy, or an attacker in the middle) sent something we cannot accept.
///
/// The `&'static str` payloads name the JSON member or value concerned (for example `"SRP_B"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolError {
    /// The body is not valid JSON (or is truncated, or nests too deeply).
    MalformedJson,
    /// The body is valid JSON but not an object where one was expected.
    NotAnObject(&'static str),
    /// A member the step needs is absent.
    MissingField(&'static str),
    /// A member has the wrong JSON type or an invalid format (hex, base64, number, token charset).
    InvalidField(&'static str),
    /// A member is longer than the fixed-capacity storage kept for it.
    FieldTooLong {
        /// The member concerned.
        field: &'static str,
        /// The largest accepted length, in bytes.
        max: usize,
    },
    /// A negative integer where SRP needs a non-negative one (seen as `SALT` for unknown users).
    NegativeNumber(&'static str),
    /// An SRP value that would make the exchange insecure: `B ≡ 0 (mod N)` or `u = 0`.
    UnsafeSrpValue(&'static str),
    /// The server asked for a challenge that does not belong at this step of this flow.
    UnexpectedChallenge,
    /// The server kept issuing challenges past the flow's bound (a loop).
    TooManyChallenges,
    /// The reply has neither tokens nor a challenge.
    EmptyAuthResult,
    /// An HTTP status that is neither success nor a Cognito error (for example 1xx or 3xx).
    UnexpectedStatus(u16),
    /// An OAuth redirect whose `state` is not the one this sign-in sent (or is repeated): it
    /// was not caused by this sign-in, and its code must not be used.
    StateMismatch,
    /// An ID token whose `nonce` claim is absent or not the one this sign-in sent.
    NonceMismatch,
}

/// The caller used the API in a way that cannot work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Misuse {
    /// A method was called in a state where it has no meaning (for example writing a request after
    /// the flow finished, or handling a response before sending a request).
    OutOfOrder,
    /// The user-pool id is not of the form `<region>_<name>`.
    InvalidPoolId,
    /// A required caller-supplied value is empty.
    Empty(&'static str),
    /// A caller-supplied value exceeds the fixed capacity documented for it.
    TooLong {
        /// The argument concerned.
        field: &'static str,
        /// The largest accepted length, in bytes.
        max: usize,
    },
    /// A caller-supplied value is malformed (for example a host name with spaces).
    Invalid(&'static str),
    /// The SRP ephemeral secret is zero or reduces to a public value of zero; draw another one.
    DegenerateEphemeral,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Service(e) => write!(f, "Cognito error: {e}"),
            Error::Protocol(e) => write!(f, "protocol error: {e}"),
            Error::Misuse(e) => write!(f, "API misuse: {e}"),
            Error::BufferTooSmall(e) => fmt::Display::fmt(e, f),
            Error::OAuth(e) => write!(f, "OAuth error: {e}"),
        }
    }
}

impl fmt::Display for BufferTooSmall {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "output buffer too small: {} bytes required",
            self.required
        )
    }
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProtocolError::MalformedJson => f.write_str("malformed JSON body"),
            ProtocolError::NotAnObject(m) => write!(f, "{m} is not a JSON object"),
            ProtocolError::MissingField(m) => write!(f, "missing member {m}"),
            ProtocolError::InvalidField(m) => write!(f, "invalid member {m}"),
            ProtocolError::FieldTooLong { field, max } => {
                write!(f, "member {field} longer than {max} bytes")
            }
            ProtocolError::NegativeNumber(m) => write!(f, "{m} is negative"),
            ProtocolError::UnsafeSrpValue(m) => write!(f, "unsafe SRP value {m}"),
            ProtocolError::UnexpectedChallenge => f.write_str("unexpected challenge"),
            ProtocolError::TooManyChallenges => f.write_str("too many challenges in one sign-in"),
            ProtocolError::EmptyAuthResult => {
                f.write_str("reply has neither AuthenticationResult nor ChallengeName")
            }
            ProtocolError::UnexpectedStatus(s) => write!(f, "unexpected HTTP status {s}"),
            ProtocolError::StateMismatch => {
                f.write_str("OAuth redirect with a state this sign-in did not send")
            }
            ProtocolError::NonceMismatch => {
                f.write_str("ID token without the nonce this sign-in sent")
            }
        }
    }
}

impl fmt::Display for Misuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Misuse::OutOfOrder => f.write_str("call out of order"),
            Misuse::InvalidPoolId => f.write_str("user pool id is not <region>_<name>"),
            Misuse::Empty(m) => write!(f, "{m} is empty"),
            Misuse::TooLong { field, max } => write!(f, "{field} longer than {max} bytes"),
            Misuse::Invalid(m) => write!(f, "{m} is invalid"),
            Misuse::DegenerateEphemeral => f.write_str("degenerate SRP ephemeral secret"),
        }
    }
}

impl core::error::Error for Error {}
impl core::error::Error for BufferTooSmall {}
impl core::error::Error for ProtocolError {}
impl core::error::Error for Misuse {}

impl From<ProtocolError> for Error {
    fn from(e: ProtocolError) -> Self {
        Error::Protocol(e)
    }
}

impl From<Misuse> for Error {
    fn from(e: Misuse) -> Self {
        Error::Misuse(e)
    }
}

impl From<BufferTooSmall> for Error {
    fn from(e: BufferTooSmall) -> Self {
        Error::BufferTooSmall(e)
    }
}

impl From<ServiceError> for Error {
    fn from(e: ServiceError) -> Self {
        Error::Service(e)
    }
}
