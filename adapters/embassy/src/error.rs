//! What can go wrong between the device and the pool, by whose fault it is.

use core::fmt;

use cognito_core::identity::IdentityOperation;
use cognito_core::oauth::OAuthEndpoint;
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
    /// No connection could be opened (DNS, TCP or the TLS handshake), and why: nothing was sent.
    Connect(ConnectError),
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
    /// The same for a request to the pool domain that must not be sent twice (an authorization
    /// code traded for tokens, a revocation): it may have reached the domain, no usable reply
    /// came back, and it was not sent again.
    OAuthOutcomeUnknown {
        /// The endpoint.
        endpoint: OAuthEndpoint,
    },
    /// The same for an identity-pool request that must not be sent twice (a guest's `GetId`,
    /// which creates an identity each time it arrives): it may have reached the pool, no usable
    /// reply came back, and it was not sent again.
    IdentityOutcomeUnknown {
        /// The operation.
        operation: IdentityOperation,
    },
    /// The client does not know the time yet (no wall clock, and no reply has come, or none
    /// with a `Date` header): the SRP `TIMESTAMP`, a client-credentials token's expiry and AWS
    /// credentials' freshness need it. Give the client a [`crate::clock::WallClock`], or make
    /// any request first.
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

impl From<ConnectError> for Error {
    fn from(e: ConnectError) -> Self {
        Error::Connect(e)
    }
}

/// A TLS failure before anything was sent (e.g. [`crate::tls::TlsConnect::new`] refusing its
/// buffers) is a connection that could not be opened.
impl From<TlsError> for Error {
    fn from(e: TlsError) -> Self {
        Error::Connect(ConnectError::Tls(e))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Core(e) => fmt::Display::fmt(e, f),
            Error::Connect(e) => write!(f, "could not connect to the pool: {e}"),
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
            Error::OAuthOutcomeUnknown { endpoint } => {
                write!(f, "outcome of the {} request unknown", endpoint.name())
            }
            Error::IdentityOutcomeUnknown { operation } => {
                write!(
                    f,
                    "outcome of the identity pool's {} unknown",
                    operation.name()
                )
            }
            Error::NoClock => f.write_str("the time is not known yet"),
        }
    }
}

impl core::error::Error for Error {}

/// Why a connection to the pool could not be opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectError {
    /// The host name could not be resolved.
    Dns,
    /// The TCP connection could not be opened.
    Tcp,
    /// Connecting (with the TLS handshake) took longer than the client's timeout.
    Timeout,
    /// The TLS handshake failed, or the server's certificate was refused.
    Tls(TlsError),
    /// A connection of the caller's own [`Connect`](crate::connect::Connect) failed otherwise.
    Other,
}

impl ConnectError {
    /// Whether trying again cannot help: a refused certificate, or a local misconfiguration.
    /// The client does not retry these.
    pub fn is_permanent(self) -> bool {
        match self {
            ConnectError::Tls(e) => e.is_permanent(),
            ConnectError::Dns | ConnectError::Tcp | ConnectError::Timeout | ConnectError::Other => {
                false
            }
        }
    }
}

impl fmt::Display for ConnectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnectError::Dns => f.write_str("the host name could not be resolved"),
            ConnectError::Tcp => f.write_str("the TCP connection failed"),
            ConnectError::Timeout => f.write_str("connecting took too long"),
            ConnectError::Tls(e) => write!(f, "TLS: {e}"),
            ConnectError::Other => f.write_str("the connection failed"),
        }
    }
}

impl core::error::Error for ConnectError {}

impl From<TlsError> for ConnectError {
    fn from(e: TlsError) -> Self {
        ConnectError::Tls(e)
    }
}

/// Why a TLS connection failed: the server's certificate refused (and why), the handshake
/// failed, or the device is not set up for TLS. Any TLS stack may report these; the crate's
/// own (feature `tls`) reports each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TlsError {
    // The server's certificate chain, refused.
    /// No path leads from the server's certificate to a trusted root.
    UnknownIssuer,
    /// A certificate's signature does not verify with its issuer's key (an impostor of a
    /// trusted name, or a corrupted certificate).
    BadSignature,
    /// The certificate is not valid for the host name connected to.
    NotValidForName,
    /// A certificate of the chain expired (by the device's clock).
    Expired,
    /// A certificate of the chain is not valid yet (by the device's clock: is it right?).
    NotYetValid,
    /// A certificate that is not a CA (basicConstraints) signed another one.
    IssuerNotCa,
    /// A CA whose keyUsage does not allow signing certificates (no keyCertSign) signed one.
    IssuerCannotSignCertificates,
    /// A certificate of the chain has an RSA key shorter than 2048 bits.
    WeakKey,
    /// The certificate is not for a TLS server (extendedKeyUsage).
    InvalidPurpose,
    /// A certificate is malformed, or uses an algorithm or critical extension this client does
    /// not support.
    UnsupportedCertificate,
    /// The server's signature over the handshake does not verify.
    BadHandshakeSignature,

    // The handshake.
    /// The server sent a TLS alert (its numeric description, RFC 8446 §6).
    PeerAlert(u8),
    /// The server offers no version, cipher suite, group or signature scheme this client speaks.
    PeerIncompatible,
    /// The server broke the TLS protocol (or an attacker on the path did).
    PeerMisbehaved,
    /// A TLS record failed to decrypt or to authenticate.
    DecryptFailed,
    /// The server closed the connection during the handshake.
    Closed,
    /// The handshake failed for another reason.
    HandshakeFailed,

    // The device.
    /// The device does not know the time, so certificate validity cannot be checked: give the
    /// client a wall clock (see [`crate::clock::WallClock`]).
    NoTime,
    /// The TLS random generator was never seeded from the board's entropy source.
    NoRandomness,
    /// The host cannot be a TLS server name (neither a DNS name nor an IP address).
    InvalidServerName,
    /// A TLS record does not fit the incoming record buffer (`needed` bytes, when known).
    RecordBufferTooSmall {
        /// The size the record needs, if known.
        needed: Option<usize>,
    },
    /// The connector's record buffers are lent to a connection still open: drop it first.
    BuffersInUse,
}

impl TlsError {
    /// Whether this is a refusal of the server's certificate chain.
    pub fn is_certificate_refusal(self) -> bool {
        matches!(
            self,
            TlsError::UnknownIssuer
                | TlsError::BadSignature
                | TlsError::NotValidForName
                | TlsError::Expired
                | TlsError::NotYetValid
                | TlsError::IssuerNotCa
                | TlsError::IssuerCannotSignCertificates
                | TlsError::WeakKey
                | TlsError::InvalidPurpose
                | TlsError::UnsupportedCertificate
                | TlsError::BadHandshakeSignature
        )
    }

    /// Whether trying again cannot help: a refused certificate, or a device not set up for TLS.
    pub fn is_permanent(self) -> bool {
        self.is_certificate_refusal()
            || matches!(
                self,
                TlsError::PeerIncompatible
                    | TlsError::NoTime
                    | TlsError::NoRandomness
                    | TlsError::InvalidServerName
                    | TlsError::RecordBufferTooSmall { .. }
                    | TlsError::BuffersInUse
            )
    }
}

impl fmt::Display for TlsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            TlsError::UnknownIssuer => "certificate refused: no path to a trusted root",
            TlsError::BadSignature => "certificate refused: bad signature",
            TlsError::NotValidForName => "certificate refused: not valid for the host name",
            TlsError::Expired => "certificate refused: expired",
            TlsError::NotYetValid => "certificate refused: not valid yet (is the clock right?)",
            TlsError::IssuerNotCa => {
                "certificate refused: signed by a certificate that is not a CA"
            }
            TlsError::IssuerCannotSignCertificates => {
                "certificate refused: signed by a CA without keyCertSign"
            }
            TlsError::WeakKey => "certificate refused: RSA key shorter than 2048 bits",
            TlsError::InvalidPurpose => "certificate refused: not for a TLS server",
            TlsError::UnsupportedCertificate => {
                "certificate refused: malformed or unsupported certificate"
            }
            TlsError::BadHandshakeSignature => "the server's handshake signature does not verify",
            TlsError::PeerAlert(code) => return write!(f, "the server sent TLS alert {code}"),
            TlsError::PeerIncompatible => "the server speaks no TLS version or suite we do",
            TlsError::PeerMisbehaved => "the server broke the TLS protocol",
            TlsError::DecryptFailed => "a TLS record failed to decrypt",
            TlsError::Closed => "the server closed the connection during the handshake",
            TlsError::HandshakeFailed => "the TLS handshake failed",
            TlsError::NoTime => "the time is not known: certificates cannot be checked",
            TlsError::NoRandomness => "the TLS random generator was not seeded",
            TlsError::InvalidServerName => "the host is not a valid TLS server name",
            TlsError::RecordBufferTooSmall { needed: Some(n) } => {
                return write!(
                    f,
                    "a TLS record of {n} bytes does not fit the record buffer"
                );
            }
            TlsError::RecordBufferTooSmall { needed: None } => {
                "a TLS record does not fit the record buffer"
            }
            TlsError::BuffersInUse => "the TLS record buffers are in use by another connection",
        };
        f.write_str(what)
    }
}

impl core::error::Error for TlsError {}
