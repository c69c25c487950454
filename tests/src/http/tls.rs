//! The emulator over TLS: the server identity, the versions, the rustls configuration (ring),
//! and the connection types the HTTP loop runs over. See the
//! [module documentation](super#tls).

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec;
use alloc::vec::Vec;
use core::fmt;
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::path::Path;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::version::{TLS12, TLS13};
use rustls::{ServerConfig, ServerConnection, StreamOwned, SupportedProtocolVersion};

/// What the server presents: its certificate chain and the leaf's private key.
#[derive(Clone, PartialEq, Eq)]
pub struct TlsIdentity {
    /// The certificates in DER, the leaf first, then the intermediates up to (and usually not
    /// including) the root.
    pub chain_der: Vec<Vec<u8>>,
    /// The leaf's private key in DER: PKCS #8, PKCS #1 (RSA) or SEC1 (EC); the format is told
    /// from the encoding.
    pub key_der: Vec<u8>,
}

impl fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsIdentity")
            .field(
                "chain_der",
                &format_args!("[{} certificate(s)]", self.chain_der.len()),
            )
            .field("key_der", &format_args!("[{} bytes]", self.key_der.len()))
            .finish()
    }
}

impl TlsIdentity {
    /// An identity from PEM: every `CERTIFICATE` of `chain_pem` in order (leaf first), and the
    /// first private key of `key_pem` (`PRIVATE KEY`, `RSA PRIVATE KEY` or `EC PRIVATE KEY`).
    pub fn from_pem(chain_pem: &[u8], key_pem: &[u8]) -> io::Result<Self> {
        let chain_der = CertificateDer::pem_slice_iter(chain_pem)
            .map(|cert| cert.map(|cert| cert.to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| invalid(format!("the certificate chain: {e}")))?;
        if chain_der.is_empty() {
            return Err(invalid(
                "the certificate file holds no CERTIFICATE".to_owned(),
            ));
        }
        let key = PrivateKeyDer::from_pem_slice(key_pem)
            .map_err(|e| invalid(format!("the private key: {e}")))?;
        Ok(Self {
            chain_der,
            key_der: key.secret_der().to_vec(),
        })
    }

    /// [`from_pem`](Self::from_pem) on the contents of two files.
    pub fn from_pem_files(chain: &Path, key: &Path) -> io::Result<Self> {
        let chain_pem = std::fs::read(chain)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", chain.display())))?;
        let key_pem = std::fs::read(key)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", key.display())))?;
        Self::from_pem(&chain_pem, &key_pem)
    }
}

/// Which TLS versions the server speaks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum TlsVersions {
    /// TLS 1.2 and 1.3 (the client chooses; rustls clients prefer 1.3), as Cognito: "We require
    /// TLS 1.2 and recommend TLS 1.3".
    #[default]
    Both,
    /// TLS 1.2 only: a client that speaks only 1.3 fails the handshake.
    Tls12Only,
    /// TLS 1.3 only: a client that speaks only 1.2 fails the handshake.
    Tls13Only,
}

impl TlsVersions {
    fn protocol_versions(self) -> &'static [&'static SupportedProtocolVersion] {
        static BOTH: [&SupportedProtocolVersion; 2] = [&TLS13, &TLS12];
        static ONLY_12: [&SupportedProtocolVersion; 1] = [&TLS12];
        static ONLY_13: [&SupportedProtocolVersion; 1] = [&TLS13];
        match self {
            Self::Both => &BOTH,
            Self::Tls12Only => &ONLY_12,
            Self::Tls13Only => &ONLY_13,
        }
    }
}

/// How the server speaks TLS: its identity and versions. A [`TlsIdentity`] converts into the
/// defaults ([`TlsVersions::Both`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsOptions {
    /// The chain and key the server presents.
    pub identity: TlsIdentity,
    /// The versions it speaks.
    pub versions: TlsVersions,
}

impl From<TlsIdentity> for TlsOptions {
    fn from(identity: TlsIdentity) -> Self {
        Self {
            identity,
            versions: TlsVersions::default(),
        }
    }
}

impl TlsOptions {
    /// The rustls server configuration: the ring provider (all its suites: ECDHE only, AES-GCM
    /// and ChaCha20-Poly1305), these versions, no client certificates, ALPN `http/1.1`.
    pub(crate) fn server_config(&self) -> io::Result<Arc<ServerConfig>> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let chain = self
            .identity
            .chain_der
            .iter()
            .map(|der| CertificateDer::from(der.clone()))
            .collect();
        let key = PrivateKeyDer::try_from(self.identity.key_der.clone())
            .map_err(|e| invalid(format!("the private key: {e}")))?;
        let mut config = ServerConfig::builder_with_provider(provider)
            .with_protocol_versions(self.versions.protocol_versions())
            .map_err(|e| invalid(format!("TLS versions: {e}")))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| invalid(format!("the certificate and key: {e}")))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Arc::new(config))
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

/// A connection the HTTP loop runs over: plain TCP, or TLS over TCP.
pub(crate) trait Transport: Read + Write {
    /// The socket underneath, for timeouts.
    fn socket(&self) -> &TcpStream;
    /// Ends the connection: TLS sends its `close_notify` first; then the socket is shut.
    fn close(&mut self);
}

impl Transport for TcpStream {
    fn socket(&self) -> &TcpStream {
        self
    }

    fn close(&mut self) {
        // An error means it is closed already.
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// A server-side TLS connection.
pub(crate) type TlsStream = StreamOwned<ServerConnection, TcpStream>;

impl Transport for TlsStream {
    fn socket(&self) -> &TcpStream {
        &self.sock
    }

    fn close(&mut self) {
        self.conn.send_close_notify();
        flush_tls(&mut self.conn, &mut self.sock);
        let _ = self.sock.shutdown(Shutdown::Both);
    }
}

/// Accepts TLS on `sock`: the handshake, each read within `timeout` of the socket. `Err` if it
/// fails (the client refused the certificate, spoke no TLS, went away or stalled).
pub(crate) fn accept(
    config: &Arc<ServerConfig>,
    sock: TcpStream,
    timeout: core::time::Duration,
) -> io::Result<TlsStream> {
    let conn = ServerConnection::new(Arc::clone(config)).map_err(io::Error::other)?;
    let mut stream = StreamOwned::new(conn, sock);
    stream.sock.set_read_timeout(Some(timeout))?;
    while stream.conn.is_handshaking() {
        if let Err(e) = stream.conn.complete_io(&mut stream.sock) {
            // Tell the client why (an alert), if rustls has one to send.
            flush_tls(&mut stream.conn, &mut stream.sock);
            let _ = stream.sock.shutdown(Shutdown::Both);
            return Err(e);
        }
    }
    Ok(stream)
}

/// Writes what rustls has to send (an alert, `close_notify`), as far as the socket takes it.
fn flush_tls(conn: &mut ServerConnection, sock: &mut TcpStream) {
    while conn.wants_write() {
        match conn.write_tls(sock) {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
    }
}
