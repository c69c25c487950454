//! Where connections to the pool come from: a [`Connect`] opens one, already secured.
//!
//! * A board with its own TLS stack (a modem, a secure element, a vendor's TLS offload)
//!   implements [`Connect`] for it: its connection is any `embedded_io_async::{Read, Write}`.
//! * [`InsecurePlaintextTcp`] opens plain TCP over any `embedded_nal_async` stack (embassy-net's
//!   `TcpClient` and `DnsSocket` implement its traits). It verifies nothing and encrypts nothing:
//!   it exists for emulators on a trusted local network and tests, and its name says so.
//! * [`TlsConnect`](crate::tls::TlsConnect) (feature `tls`) opens TLS connections that verify
//!   the pool's certificate chain to the Amazon Trust Services roots.

use core::net::SocketAddr;

use cognito_core::time::UnixTime;
use embedded_io_async::{Read, Write};
use embedded_nal_async::{AddrType, Dns, TcpConnect};

use crate::error::ConnectError;

/// Opens connections to the pool's endpoint.
///
/// An error from [`connect`](Self::connect) means no request was sent on that attempt (the core
/// may then allow sending it again, whatever the operation).
// Firmware executors run on one thread: the futures need not be `Send`.
#[allow(async_fn_in_trait)]
pub trait Connect {
    /// An open connection, secured as the implementation promises.
    type Connection<'a>: Read + Write
    where
        Self: 'a;

    /// Why a connection could not be opened, and what the client reports for it.
    type Error: core::fmt::Debug + Into<ConnectError>;

    /// The `Host` the requests name (`cognito-idp.eu-west-1.amazonaws.com`, or
    /// `127.0.0.1:9229` for an emulator).
    fn host(&self) -> &str;

    /// Opens a new connection. `now` is the time as the client knows it (its wall clock, or the
    /// pool's `Date` header as last seen), for checking the server's certificates; `None` before
    /// either told it.
    async fn connect(&self, now: Option<UnixTime>) -> Result<Self::Connection<'_>, Self::Error>;
}

/// Plain TCP, **without TLS**: no encryption, no server authentication. Anyone on the path
/// reads the passwords' proofs, the tokens and the refresh token, and can impersonate the pool.
/// Only for an emulator on loopback or a trusted test network.
pub struct InsecurePlaintextTcp<'s, T, D> {
    tcp: &'s T,
    dns: &'s D,
    host: &'s str,
    port: u16,
}

impl<T, D> From<PlaintextConnectError<T, D>> for ConnectError {
    fn from(e: PlaintextConnectError<T, D>) -> Self {
        match e {
            PlaintextConnectError::Dns(_) => ConnectError::Dns,
            PlaintextConnectError::Tcp(_) => ConnectError::Tcp,
        }
    }
}

/// Why [`InsecurePlaintextTcp`] could not connect.
#[derive(Debug)]
pub enum PlaintextConnectError<T, D> {
    /// Resolving the host failed.
    Dns(D),
    /// Connecting failed.
    Tcp(T),
}

impl<'s, T: TcpConnect, D: Dns> InsecurePlaintextTcp<'s, T, D> {
    /// Plain TCP to `host:port`, resolved through `dns` (an IP address needs no lookup). The
    /// name is the warning: see the type's docs.
    pub fn new_insecure(tcp: &'s T, dns: &'s D, host: &'s str, port: u16) -> Self {
        Self {
            tcp,
            dns,
            host,
            port,
        }
    }
}

impl<T: TcpConnect, D: Dns> Connect for InsecurePlaintextTcp<'_, T, D> {
    type Connection<'a>
        = T::Connection<'a>
    where
        Self: 'a;
    type Error = PlaintextConnectError<T::Error, D::Error>;

    fn host(&self) -> &str {
        self.host
    }

    async fn connect(&self, _now: Option<UnixTime>) -> Result<Self::Connection<'_>, Self::Error> {
        let ip = match self.host.parse() {
            Ok(ip) => ip,
            Err(_) => self
                .dns
                .get_host_by_name(self.host, AddrType::Either)
                .await
                .map_err(PlaintextConnectError::Dns)?,
        };
        self.tcp
            .connect(SocketAddr::new(ip, self.port))
            .await
            .map_err(PlaintextConnectError::Tcp)
    }
}
