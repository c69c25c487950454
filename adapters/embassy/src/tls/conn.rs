//! One TLS connection: rustls' unbuffered client driven over a TCP socket, in the caller's
//! record buffers, as an `embedded_io_async` `Read + Write`.

use alloc::vec::Vec;
use core::cell::Cell;

use embedded_io_async::{ErrorKind, ErrorType, Read, Write};
use rustls::client::UnbufferedClientConnection;
use rustls::unbuffered::{ConnectionState, EncodeError, EncryptError, InsufficientSizeError};
use rustls::{CertificateError, Error as RustlsError};

use super::TlsBuffers;
use crate::error::TlsError;

/// The smallest incoming buffer that holds a server's first flight of small records (the
/// handshake messages of Amazon's servers come in records of up to 4 KiB; a server that sends
/// larger records needs [`INCOMING_RECORD_LEN`](super::INCOMING_RECORD_LEN)).
pub(super) const MIN_INCOMING_RECORD_LEN: usize = 4_096 + 5 + 256;

/// TLS record header: content type, version, length.
const RECORD_HEADER_LEN: usize = 5;

/// The plaintext of one write, at most: leaves room in the outgoing buffer for the record's
/// header, explicit nonce, content type and tag.
const RECORD_OVERHEAD: usize = 64;

/// A verified TLS connection from [`TlsConnect`](super::TlsConnect): `Read` yields the pool's
/// plaintext, `Write` encrypts into records. Dropping it gives the record buffers back to the
/// connector (without a `close_notify`: HTTP/1.1 replies are delimited by their length).
pub struct TlsConnection<'a, 'b, S> {
    socket: S,
    tls: UnbufferedClientConnection,
    buffers: TlsBuffers<'b>,
    home: &'a Cell<Option<TlsBuffers<'b>>>,
    /// Received bytes at the front of `buffers.incoming` not yet processed.
    incoming_used: usize,
    /// Decrypted bytes not yet read, from `plaintext_at` on.
    plaintext: Vec<u8>,
    plaintext_at: usize,
    /// The pool closed its side (`close_notify`, or the socket's end).
    peer_closed: bool,
}

/// Why reading or writing a [`TlsConnection`] failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TlsIoError {
    /// The socket failed.
    Socket(ErrorKind),
    /// TLS failed: a record that did not decrypt, a protocol error, a record too large.
    Tls(TlsError),
}

impl core::fmt::Display for TlsIoError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            TlsIoError::Socket(kind) => write!(f, "socket: {kind:?}"),
            TlsIoError::Tls(e) => write!(f, "TLS: {e}"),
        }
    }
}

impl core::error::Error for TlsIoError {}

impl embedded_io_async::Error for TlsIoError {
    fn kind(&self) -> ErrorKind {
        match self {
            TlsIoError::Socket(kind) => *kind,
            TlsIoError::Tls(TlsError::Closed) => ErrorKind::ConnectionReset,
            TlsIoError::Tls(_) => ErrorKind::InvalidData,
        }
    }
}

impl From<TlsError> for TlsIoError {
    fn from(e: TlsError) -> Self {
        TlsIoError::Tls(e)
    }
}

/// What the state machine wants next, once its borrows of the buffers have ended.
enum Next {
    /// Process again.
    Continue,
    /// More bytes from the socket.
    Receive,
    /// The handshake is done: application data may be written.
    Writable,
    /// Decrypted application data is waiting in `plaintext`.
    Readable,
    /// The pool closed the connection.
    Closed,
}

impl<'a, 'b, S: Read + Write> TlsConnection<'a, 'b, S> {
    /// A connection over `socket`, before its handshake.
    pub(super) fn new(
        socket: S,
        tls: UnbufferedClientConnection,
        buffers: TlsBuffers<'b>,
        home: &'a Cell<Option<TlsBuffers<'b>>>,
    ) -> Self {
        Self {
            socket,
            tls,
            buffers,
            home,
            incoming_used: 0,
            plaintext: Vec::new(),
            plaintext_at: 0,
            peer_closed: false,
        }
    }

    /// Runs the handshake to its end.
    pub(super) async fn handshake(&mut self) -> Result<(), TlsError> {
        match self.pump(false).await {
            Ok(Next::Writable) => Ok(()),
            Ok(_) => Err(TlsError::Closed),
            Err(TlsIoError::Tls(e)) => Err(e),
            Err(TlsIoError::Socket(_)) => Err(TlsError::Closed),
        }
    }

    /// Drives rustls until it can take application data (`reading` false) or has some to give
    /// (`reading` true), or the pool closed the connection.
    async fn pump(&mut self, reading: bool) -> Result<Next, TlsIoError> {
        loop {
            let next = self.process(reading).await?;
            match next {
                Next::Continue => {}
                Next::Receive => self.receive().await?,
                Next::Writable if reading => self.receive().await?,
                Next::Closed => {
                    self.peer_closed = true;
                    return Ok(Next::Closed);
                }
                other => return Ok(other),
            }
        }
    }

    /// One step of rustls' state machine; sends what it encoded.
    async fn process(&mut self, reading: bool) -> Result<Next, TlsIoError> {
        let Self {
            socket,
            tls,
            buffers,
            incoming_used,
            plaintext,
            plaintext_at,
            ..
        } = self;
        let incoming = buffers
            .incoming
            .get_mut(..*incoming_used)
            .unwrap_or_default();
        let status = tls.process_tls_records(incoming);
        let mut discard = status.discard;
        let next = match status.state {
            Err(e) => return Err(tls_error(&e).into()),
            Ok(ConnectionState::ReadTraffic(mut records)) => {
                while let Some(record) = records.next_record() {
                    let record = record.map_err(|e| TlsIoError::from(tls_error(&e)))?;
                    discard += record.discard;
                    if *plaintext_at >= plaintext.len() {
                        plaintext.fill(0);
                        plaintext.clear();
                        *plaintext_at = 0;
                    }
                    plaintext.extend_from_slice(record.payload);
                }
                if reading {
                    Next::Readable
                } else {
                    Next::Continue
                }
            }
            Ok(ConnectionState::EncodeTlsData(mut encoder)) => {
                let mut used = 0;
                loop {
                    let out = buffers.outgoing.get_mut(used..).unwrap_or_default();
                    match encoder.encode(out) {
                        Ok(n) => used += n,
                        Err(EncodeError::AlreadyEncoded) => break,
                        Err(EncodeError::InsufficientSize(InsufficientSizeError {
                            required_size,
                        })) => {
                            return Err(TlsError::RecordBufferTooSmall {
                                needed: Some(used + required_size),
                            }
                            .into());
                        }
                    }
                }
                let out = buffers.outgoing.get(..used).unwrap_or_default();
                send(socket, out).await?;
                Next::Continue
            }
            Ok(ConnectionState::TransmitTlsData(transmit)) => {
                // Everything encoded was sent as it was encoded.
                transmit.done();
                Next::Continue
            }
            Ok(ConnectionState::BlockedHandshake) => Next::Receive,
            Ok(ConnectionState::WriteTraffic(_)) => {
                if reading && *plaintext_at < plaintext.len() {
                    Next::Readable
                } else {
                    Next::Writable
                }
            }
            Ok(ConnectionState::PeerClosed | ConnectionState::Closed) => Next::Closed,
            Ok(_) => return Err(TlsError::PeerMisbehaved.into()),
        };
        if discard > 0 {
            let used = *incoming_used;
            buffers.incoming.copy_within(discard.min(used)..used, 0);
            *incoming_used = used.saturating_sub(discard);
        }
        Ok(next)
    }

    /// Appends bytes from the socket to the incoming buffer.
    async fn receive(&mut self) -> Result<(), TlsIoError> {
        let free = self
            .buffers
            .incoming
            .get_mut(self.incoming_used..)
            .unwrap_or_default();
        if free.is_empty() {
            return Err(TlsError::RecordBufferTooSmall {
                needed: self.record_len(),
            }
            .into());
        }
        let n = self
            .socket
            .read(free)
            .await
            .map_err(|e| TlsIoError::Socket(embedded_io_async::Error::kind(&e)))?;
        if n == 0 {
            return Err(TlsError::Closed.into());
        }
        self.incoming_used += n;
        Ok(())
    }

    /// The length of the record at the front of the incoming buffer, header included.
    fn record_len(&self) -> Option<usize> {
        let header = self.buffers.incoming.get(..RECORD_HEADER_LEN)?;
        let len = u16::from_be_bytes([*header.get(3)?, *header.get(4)?]);
        Some(RECORD_HEADER_LEN + usize::from(len))
    }

    /// Copies waiting plaintext into `buf`.
    fn take_plaintext(&mut self, buf: &mut [u8]) -> usize {
        let waiting = self.plaintext.get(self.plaintext_at..).unwrap_or_default();
        let n = waiting.len().min(buf.len());
        if let (Some(to), Some(from)) = (buf.get_mut(..n), waiting.get(..n)) {
            to.copy_from_slice(from);
        }
        self.plaintext_at += n;
        if self.plaintext_at >= self.plaintext.len() {
            self.wipe_plaintext();
        }
        n
    }

    /// Empties the plaintext buffer, wiping what it held (tokens pass through it).
    fn wipe_plaintext(&mut self) {
        self.plaintext.fill(0);
        self.plaintext.clear();
        self.plaintext_at = 0;
    }
}

impl<S> Drop for TlsConnection<'_, '_, S> {
    fn drop(&mut self) {
        self.plaintext.fill(0);
        self.buffers.incoming.fill(0);
        self.home.set(Some(core::mem::take(&mut self.buffers)));
    }
}

impl<S> ErrorType for TlsConnection<'_, '_, S> {
    type Error = TlsIoError;
}

impl<S: Read + Write> Read for TlsConnection<'_, '_, S> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, TlsIoError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if self.plaintext_at < self.plaintext.len() {
                return Ok(self.take_plaintext(buf));
            }
            if self.peer_closed {
                return Ok(0);
            }
            match self.pump(true).await {
                Ok(Next::Closed) => return Ok(0),
                // A connection the pool ended without close_notify: the end of the stream (an
                // HTTP reply is checked against its length).
                Err(TlsIoError::Tls(TlsError::Closed)) => {
                    self.peer_closed = true;
                    return Ok(0);
                }
                Ok(_) => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<S: Read + Write> Write for TlsConnection<'_, '_, S> {
    async fn write(&mut self, buf: &[u8]) -> Result<usize, TlsIoError> {
        if buf.is_empty() {
            return Ok(0);
        }
        let mut chunk = buf
            .len()
            .min(self.buffers.outgoing.len().saturating_sub(RECORD_OVERHEAD))
            .min(16_384);
        loop {
            match self.pump(false).await? {
                Next::Writable => {}
                _ => return Err(TlsError::Closed.into()),
            }
            let Self {
                socket,
                tls,
                buffers,
                incoming_used,
                ..
            } = self;
            let incoming = buffers
                .incoming
                .get_mut(..*incoming_used)
                .unwrap_or_default();
            let status = tls.process_tls_records(incoming);
            let Ok(ConnectionState::WriteTraffic(mut writer)) = status.state else {
                // The state was WriteTraffic a moment ago, and nothing arrived since.
                return Err(TlsError::PeerMisbehaved.into());
            };
            let plain = buf.get(..chunk).unwrap_or_default();
            match writer.encrypt(plain, buffers.outgoing) {
                Ok(n) => {
                    let out = buffers.outgoing.get(..n).unwrap_or_default();
                    send(socket, out).await?;
                    return Ok(chunk);
                }
                Err(EncryptError::InsufficientSize(_)) if chunk > 1 => chunk /= 2,
                Err(_) => return Err(TlsError::HandshakeFailed.into()),
            }
        }
    }

    async fn flush(&mut self) -> Result<(), TlsIoError> {
        self.socket
            .flush()
            .await
            .map_err(|e| TlsIoError::Socket(embedded_io_async::Error::kind(&e)))
    }
}

/// Writes all of `bytes` to the socket and flushes it.
async fn send<S: Write>(socket: &mut S, bytes: &[u8]) -> Result<(), TlsIoError> {
    let kind = |e: S::Error| TlsIoError::Socket(embedded_io_async::Error::kind(&e));
    socket.write_all(bytes).await.map_err(kind)?;
    socket.flush().await.map_err(kind)
}

/// Our error for a rustls error (the verifier's own refusal, when it has one, says more:
/// see [`Verifier::refusal`](super::verify::Verifier::refusal)).
pub(super) fn tls_error(e: &RustlsError) -> TlsError {
    match e {
        RustlsError::InvalidCertificate(c) => {
            match c {
                CertificateError::UnknownIssuer => TlsError::UnknownIssuer,
                CertificateError::BadSignature => TlsError::BadSignature,
                CertificateError::NotValidForName
                | CertificateError::NotValidForNameContext { .. } => TlsError::NotValidForName,
                CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                    TlsError::Expired
                }
                CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                    TlsError::NotYetValid
                }
                CertificateError::InvalidPurpose
                | CertificateError::InvalidPurposeContext { .. } => TlsError::InvalidPurpose,
                _ => TlsError::UnsupportedCertificate,
            }
        }
        RustlsError::AlertReceived(alert) => TlsError::PeerAlert(u8::from(*alert)),
        RustlsError::PeerIncompatible(_) | RustlsError::NoApplicationProtocol => {
            TlsError::PeerIncompatible
        }
        RustlsError::PeerMisbehaved(_)
        | RustlsError::InvalidMessage(_)
        | RustlsError::InappropriateMessage { .. }
        | RustlsError::InappropriateHandshakeMessage { .. }
        | RustlsError::PeerSentOversizedRecord
        | RustlsError::NoCertificatesPresented => TlsError::PeerMisbehaved,
        RustlsError::DecryptError => TlsError::DecryptFailed,
        RustlsError::FailedToGetCurrentTime => TlsError::NoTime,
        RustlsError::FailedToGetRandomBytes => TlsError::NoRandomness,
        _ => TlsError::HandshakeFailed,
    }
}
