//! TLS that verifies the pool (feature `tls`): rustls' unbuffered client over any
//! `embedded_nal_async` stack, with a certificate verifier that checks the whole chain and a
//! crypto provider on RustCrypto that draws its randomness from the board's entropy.
//!
//! [`TlsConnect`] is the [`Connect`] a firmware hands the [`Client`](crate::client::Client): it
//! resolves the host, opens TCP, and runs the handshake, refusing the server unless
//!
//! * a path leads from its certificate, through the intermediates it sends (in any order), to
//!   one of the [`TrustAnchors`] (by default Amazon Root CA 1–4 and Starfield Services Root
//!   CA G2, which cross-signs them), every signature verifying;
//! * every issuer on that path is a CA (basicConstraints) whose keyUsage, when present, allows
//!   signing certificates (keyCertSign), and every RSA key has at least 2048 bits;
//! * the certificate names the host (its subjectAltName; `*.` wildcards for one label) and is
//!   for a TLS server (extendedKeyUsage);
//! * every certificate is valid at the time the client knows (its wall clock, or the pool's
//!   `Date` header as last seen): without a time the handshake fails with
//!   [`TlsError::NoTime`], unless the firmware chose a floor with
//!   [`TlsConnect::assume_time_if_unknown`].
//!
//! Each refusal is a [`TlsError`] of its own, inside [`Error::Connect`](crate::error::Error),
//! and is not retried. TLS 1.3 and 1.2 (ECDHE with X25519 or P-256; AES-GCM or
//! ChaCha20-Poly1305) are spoken; there is no way to skip verification (for an emulator on a
//! trusted network there is [`InsecurePlaintextTcp`](crate::connect::InsecurePlaintextTcp), named
//! for what it is). See `TLS.md` beside the crate for why this stack.
//!
//! # Memory
//!
//! The caller lends the record buffers ([`TlsBuffers`]): the incoming one must hold the largest
//! TLS record ([`INCOMING_RECORD_LEN`], 16,709 bytes; a server may send records that large), the
//! outgoing one the largest handshake message we send and a slice of a request
//! ([`OUTGOING_RECORD_LEN`] is ample). rustls itself needs a global allocator: about 16–22 KB
//! at the peak of a handshake (the certificate chain being verified), 7 KB while connected, and
//! up to 16 KB more while a received record is held decrypted; give it an arena of 48 KB (for
//! instance `embedded-alloc`'s). The crate's default features need no allocator.
//!
//! # Randomness
//!
//! A TLS client needs unpredictable bytes for its key shares and nonces. [`TlsConnect::new`]
//! takes 32 bytes from the board's hardware random generator (never a constant, never the same
//! bytes after a reboot) and mixes them into a ChaCha20 generator kept for the whole program.
//!
//! ```no_run
//! # async fn boot<T, D>(tcp: &T, dns: &D, entropy: [u8; 32]) -> Result<(), cognito_embassy::error::Error>
//! # where T: embedded_nal_async::TcpConnect, D: embedded_nal_async::Dns {
//! use cognito_embassy::client::Client;
//! use cognito_embassy::core::auth::ClientConfig;
//! use cognito_embassy::tls::{INCOMING_RECORD_LEN, OUTGOING_RECORD_LEN, TlsBuffers, TlsConnect};
//!
//! let (mut incoming, mut outgoing) = ([0; INCOMING_RECORD_LEN], [0; OUTGOING_RECORD_LEN]);
//! let host = "cognito-idp.eu-west-1.amazonaws.com";
//! let buffers = TlsBuffers::new(&mut incoming, &mut outgoing);
//! let connector = TlsConnect::new(tcp, dns, host, 443, buffers, &entropy)?;
//! let (mut request, mut reply) = ([0; 4096], [0; 16384]);
//! let config = ClientConfig::new("eu-west-1_Example", "exampleclientid")?;
//! let mut client = Client::new(config, &connector, &mut request, &mut reply);
//! # let _ = &mut client; Ok(())
//! # }
//! ```

mod anchors;
mod conn;
mod provider;
mod verify;

use alloc::sync::Arc;
use core::cell::Cell;
use core::fmt::Write as _;
use core::net::SocketAddr;

use cognito_core::time::UnixTime;
use embedded_nal_async::{AddrType, Dns, TcpConnect};
use rustls::client::{Resumption, UnbufferedClientConnection};
use rustls::crypto::CryptoProvider;
use rustls::time_provider::TimeProvider;
use rustls::version::{TLS12, TLS13};
use rustls::{ClientConfig, SupportedProtocolVersion};
use rustls_pki_types::ServerName;

pub use anchors::TrustAnchors;
pub use conn::{TlsConnection, TlsIoError};

use crate::connect::Connect;
use crate::error::{ConnectError, TlsError};

/// The largest TLS record a server may send, header included: 5 + 2^14 + 256 bytes (TLS 1.3's
/// bound; TLS 1.2 servers with AEAD suites stay within it), and 64 bytes to spare.
pub const INCOMING_RECORD_LEN: usize = 5 + 16_384 + 256 + 64;

/// An outgoing record buffer that holds every handshake flight the client sends and slices of
/// requests large enough to be efficient (each record carries about 40 bytes of overhead).
pub const OUTGOING_RECORD_LEN: usize = 4_096;

/// The smallest outgoing buffer [`TlsConnect::new`] takes: the ClientHello must fit.
pub const MIN_OUTGOING_RECORD_LEN: usize = 1_024;

/// The longest host name (with `:port`) the connector keeps for the `Host` header.
const HOST_LEN: usize = 260;

/// The record buffers a [`TlsConnect`] lends to its connection: see the
/// [module docs](self#memory) for their sizes.
#[derive(Debug, Default)]
pub struct TlsBuffers<'b> {
    incoming: &'b mut [u8],
    outgoing: &'b mut [u8],
}

impl<'b> TlsBuffers<'b> {
    /// The buffers for received records (at least [`INCOMING_RECORD_LEN`] bytes to take any
    /// record a server may send) and for records to send (at least
    /// [`MIN_OUTGOING_RECORD_LEN`]).
    pub fn new(incoming: &'b mut [u8], outgoing: &'b mut [u8]) -> Self {
        Self { incoming, outgoing }
    }
}

/// Opens verified TLS connections to the pool over an `embedded_nal_async` stack (embassy-net's
/// `TcpClient` and `DnsSocket`): see the [module docs](self).
///
/// One connection is open at a time (it borrows the record buffers); the
/// [`Client`](crate::client::Client) keeps it alive between requests.
pub struct TlsConnect<'b, T, D> {
    tcp: &'b T,
    dns: &'b D,
    /// The host name connected to and verified.
    server_name: ServerName<'static>,
    /// The host as the `Host` header names it (`host`, or `host:port` off port 443).
    host_header: heapless::String<HOST_LEN>,
    /// The host name to resolve (without brackets or port).
    host: &'b str,
    port: u16,
    anchors: TrustAnchors,
    provider: Arc<CryptoProvider>,
    time_floor: Option<UnixTime>,
    buffers: Cell<Option<TlsBuffers<'b>>>,
}

impl<'b, T: TcpConnect, D: Dns> TlsConnect<'b, T, D> {
    /// Verified TLS to `host` (a DNS name or an IP address) on `port` (443 for Cognito), with
    /// the Amazon roots as trust anchors, `buffers` for the records, and `entropy`: 32 bytes
    /// from the board's hardware random generator (see the [module docs](self#randomness)).
    ///
    /// Fails with [`TlsError::InvalidServerName`] if `host` is no server name, and
    /// [`TlsError::RecordBufferTooSmall`] if the outgoing buffer is below
    /// [`MIN_OUTGOING_RECORD_LEN`] or the incoming one cannot hold a handshake.
    pub fn new(
        tcp: &'b T,
        dns: &'b D,
        host: &'b str,
        port: u16,
        buffers: TlsBuffers<'b>,
        entropy: &[u8; 32],
    ) -> Result<Self, TlsError> {
        if buffers.outgoing.len() < MIN_OUTGOING_RECORD_LEN {
            return Err(TlsError::RecordBufferTooSmall {
                needed: Some(MIN_OUTGOING_RECORD_LEN),
            });
        }
        if buffers.incoming.len() < conn::MIN_INCOMING_RECORD_LEN {
            return Err(TlsError::RecordBufferTooSmall {
                needed: Some(conn::MIN_INCOMING_RECORD_LEN),
            });
        }
        let server_name = ServerName::try_from(host)
            .map_err(|_| TlsError::InvalidServerName)?
            .to_owned();
        let mut host_header = heapless::String::new();
        let written = match (&server_name, port) {
            (_, 443) => write!(host_header, "{host}"),
            (ServerName::IpAddress(rustls_pki_types::IpAddr::V6(_)), _) => {
                write!(host_header, "[{host}]:{port}")
            }
            _ => write!(host_header, "{host}:{port}"),
        };
        written.map_err(|_| TlsError::InvalidServerName)?;
        provider::add_entropy(entropy);
        Ok(Self {
            tcp,
            dns,
            server_name,
            host_header,
            host,
            port,
            anchors: TrustAnchors::amazon(),
            provider: Arc::new(provider::crypto_provider()),
            time_floor: None,
            buffers: Cell::new(Some(buffers)),
        })
    }

    /// Trusts `anchors` instead of the Amazon roots (a private CA, an emulator's test CA).
    #[must_use]
    pub fn with_trust_anchors(mut self, anchors: TrustAnchors) -> Self {
        self.anchors = anchors;
        self
    }

    /// When the client does not know the time (no wall clock, and no reply yet), checks the
    /// certificates' validity at `floor` instead of refusing to connect.
    ///
    /// **This weakens the check**: a certificate that expired after `floor` is accepted. Use
    /// the latest time the device can vouch for (the time it last saved to flash, or the
    /// firmware's build time), and give the client a wall clock where the board has one. Once a
    /// reply has come, the client's clock follows the pool's `Date` header and this is not used.
    #[must_use]
    pub fn assume_time_if_unknown(mut self, floor: UnixTime) -> Self {
        self.time_floor = Some(floor);
        self
    }

    /// The rustls configuration for one handshake at `now`, with its verifier.
    fn config(
        &self,
        now: UnixTime,
    ) -> Result<(Arc<ClientConfig>, Arc<verify::Verifier>), TlsError> {
        static VERSIONS: [&SupportedProtocolVersion; 2] = [&TLS13, &TLS12];
        let verifier = Arc::new(verify::Verifier::new(
            self.anchors.clone(),
            provider::SIGNATURE_ALGORITHMS,
        ));
        let mut config = ClientConfig::builder_with_details(
            Arc::clone(&self.provider),
            Arc::new(FixedTime(now)),
        )
        .with_protocol_versions(&VERSIONS)
        .map_err(|_| TlsError::PeerIncompatible)?
        .dangerous()
        .with_custom_certificate_verifier(verifier.clone())
        .with_no_client_auth();
        // No session cache: the client keeps its one connection alive instead.
        config.resumption = Resumption::disabled();
        Ok((Arc::new(config), verifier))
    }

    /// The address to connect to.
    async fn resolve(&self) -> Result<SocketAddr, ConnectError> {
        let ip = match self.host.parse::<core::net::IpAddr>() {
            Ok(ip) => ip,
            Err(_) => self
                .dns
                .get_host_by_name(self.host, AddrType::Either)
                .await
                .map_err(|_| ConnectError::Dns)?,
        };
        Ok(SocketAddr::new(ip, self.port))
    }
}

impl<'b, T: TcpConnect, D: Dns> Connect for TlsConnect<'b, T, D> {
    type Connection<'a>
        = TlsConnection<'a, 'b, T::Connection<'a>>
    where
        Self: 'a;
    type Error = ConnectError;

    fn host(&self) -> &str {
        &self.host_header
    }

    async fn connect(&self, now: Option<UnixTime>) -> Result<Self::Connection<'_>, ConnectError> {
        if !provider::is_seeded() {
            return Err(TlsError::NoRandomness.into());
        }
        let now = now.or(self.time_floor).ok_or(TlsError::NoTime)?;
        let (config, verifier) = self.config(now)?;
        let tls = UnbufferedClientConnection::new(config, self.server_name.clone())
            .map_err(|e| ConnectError::Tls(conn::tls_error(&e)))?;
        let addr = self.resolve().await?;
        let buffers = self.buffers.take().ok_or(TlsError::BuffersInUse)?;
        let socket = match self.tcp.connect(addr).await {
            Ok(socket) => socket,
            Err(_) => {
                self.buffers.set(Some(buffers));
                return Err(ConnectError::Tcp);
            }
        };
        let mut connection = TlsConnection::new(socket, tls, buffers, &self.buffers);
        connection
            .handshake()
            .await
            .map_err(|e| ConnectError::Tls(verifier.refusal().unwrap_or(e)))?;
        Ok(connection)
    }
}

impl<T, D> core::fmt::Debug for TlsConnect<'_, T, D> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TlsConnect")
            .field("server_name", &self.server_name)
            .field("port", &self.port)
            .field("anchors", &self.anchors.as_slice().len())
            .field("time_floor", &self.time_floor)
            .finish_non_exhaustive()
    }
}

/// The time of one handshake, as the client knew it when connecting.
#[derive(Debug)]
struct FixedTime(UnixTime);

impl TimeProvider for FixedTime {
    fn current_time(&self) -> Option<rustls_pki_types::UnixTime> {
        Some(rustls_pki_types::UnixTime::since_unix_epoch(
            core::time::Duration::from_secs(self.0.as_secs()),
        ))
    }
}
