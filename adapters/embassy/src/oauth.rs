//! Machine-to-machine tokens from the pool domain: a device that is an app client (with a
//! secret), not a user, gets an access token with the client-credentials grant and keeps it until
//! shortly before it expires.
//!
//! [`ClientCredentials`] sends `POST /oauth2/token` to the pool's domain
//! (`https://<prefix>.auth.<region>.amazoncognito.com` or a custom domain: not the user-pool API's
//! host) over its own kept-alive connection, with the same timeouts, retries and resend rules as
//! [`Client`](crate::client::Client): the request and the reply are the core's
//! ([`cognito_core::oauth::TokenRequest`], [`cognito_core::oauth::read_token_reply`]); the token
//! is kept in a [`ClientToken`].
//!
//! ```no_run
//! # async fn demo<C: cognito_embassy::connect::Connect>(connector: &C) -> Result<(), cognito_embassy::error::Error> {
//! use cognito_core::oauth::{OAuthClient, PoolDomain, Scopes};
//! use cognito_embassy::oauth::ClientCredentials;
//!
//! // `connector` reaches the domain's host: TlsConnect::new(&tcp, &dns, domain.host(), 443, …).
//! let domain = PoolDomain::cognito("my-devices", "eu-west-1")?;
//! let (mut request_buf, mut reply_buf) = ([0u8; 1024], [0u8; 4096]);
//! let mut tokens: ClientCredentials<'_, C> = ClientCredentials::new(
//!     &domain,
//!     connector,
//!     OAuthClient::confidential("1example23456789", "client-secret"),
//!     Scopes::new("telemetry/write"),
//!     &mut request_buf,
//!     &mut reply_buf,
//! )?;
//! let bearer = tokens.access_token().await?; // sent only when the kept one is about to expire
//! # let _ = bearer;
//! # Ok(())
//! # }
//! ```

use cognito_core::oauth::{
    ClientToken, DEFAULT_RENEW_MARGIN_SECS, Grant, OAuthClient, PoolDomain, Scopes, TokenRequest,
    read_token_reply,
};
use cognito_core::time::UnixTime;
use cognito_core::{Misuse, ProtocolError};
use zeroize::Zeroize;

use crate::client::{Link, Options, Outgoing};
use crate::clock::WallClock;
use crate::connect::Connect;
use crate::error::Error;

/// The client-credentials grant for one app client, with its access token kept (`N` bytes of
/// token: the default holds Cognito's with room for many scopes).
///
/// [`access_token`](Self::access_token) returns the kept token while it is fresh for more than
/// the renewal margin ([`DEFAULT_RENEW_MARGIN_SECS`] by default), and asks the domain for a new
/// one otherwise. The request only mints a token, so it is sent again after any transient
/// failure, as the core's [`Resend`](cognito_core::wire::Resend) allows, within
/// [`Options::max_attempts`].
///
/// Expiry is reckoned on the client's clock: the caller's [`WallClock`], or else the domain's
/// `Date` header (Cognito sends one with every reply) plus the time elapsed since.
///
/// Memory: a request buffer of 1 KiB holds the request and its head (the head is written after
/// the body, in the same buffer); a reply buffer of 4 KiB holds Cognito's reply (an access token
/// of about 1 KB, more with many scopes). The request buffer is wiped after each request (it
/// holds the client secret in base64).
pub struct ClientCredentials<'c, C: Connect, const N: usize = 4096> {
    link: Link<'c, C>,
    client: OAuthClient<'c>,
    scopes: Scopes<'c>,
    request_buf: &'c mut [u8],
    reply_buf: &'c mut [u8],
    token: Option<ClientToken<N>>,
    margin_secs: u64,
}

impl<'c, C: Connect, const N: usize> ClientCredentials<'c, C, N> {
    /// Tokens for `client` (which must have a secret) with `scopes` (none: every scope the app
    /// client may have), from `domain` reached through `connector`, writing requests into
    /// `request_buf` and reading replies into `reply_buf`.
    ///
    /// `connector` must reach the domain's host: its [`Connect::host`] is `domain`'s (a port may
    /// be left out, as [`InsecurePlaintextTcp`](crate::connect::InsecurePlaintextTcp) does).
    /// Errors (nothing is sent): [`Misuse::Invalid`]`("domain")` when it names another host (the
    /// user-pool API's, say), and the token request's own checks
    /// ([`TokenRequest::validate`]: `client_secret` for a client without one, a bad client id
    /// or scope).
    pub fn new(
        domain: &PoolDomain,
        connector: &'c C,
        client: OAuthClient<'c>,
        scopes: Scopes<'c>,
        request_buf: &'c mut [u8],
        reply_buf: &'c mut [u8],
    ) -> Result<Self, Error> {
        if !same_host(connector.host(), domain.host()) {
            return Err(Misuse::Invalid("domain").into());
        }
        let request = TokenRequest {
            client,
            grant: Grant::ClientCredentials { scopes },
        };
        request.validate()?;
        Ok(Self {
            link: Link::new(connector),
            client,
            scopes,
            request_buf,
            reply_buf,
            token: None,
            margin_secs: DEFAULT_RENEW_MARGIN_SECS,
        })
    }

    /// Reads the time from `clock` (an RTC) rather than from the domain's replies alone.
    #[must_use]
    pub fn with_wall_clock(mut self, clock: &'c dyn WallClock) -> Self {
        self.link.set_wall_clock(clock);
        self
    }

    /// Other timeouts and retries.
    #[must_use]
    pub fn with_options(mut self, options: Options) -> Self {
        self.link.set_options(options);
        self
    }

    /// Renews a token `secs` seconds before it expires instead of
    /// [`DEFAULT_RENEW_MARGIN_SECS`].
    #[must_use]
    pub fn with_renew_margin(mut self, secs: u64) -> Self {
        self.margin_secs = secs;
        self
    }

    /// The time now, as the client knows it; `None` before a wall clock or a reply told it.
    pub fn now(&self) -> Option<UnixTime> {
        self.link.clock().now()
    }

    /// An access token fresh for more than the renewal margin: the kept one, or a new one from
    /// the domain (then kept).
    ///
    /// Errors: [`Error::Core`] with [`cognito_core::Error::OAuth`] when the domain refuses
    /// (`invalid_client`, `invalid_scope`, `unauthorized_client`, …) or with a
    /// [`ProtocolError`] for a malformed reply; the transport's errors as for
    /// [`Client`](crate::client::Client); [`Error::NoClock`] when the time is still unknown
    /// after the reply (no wall clock, and no `Date` header). A failed renewal keeps the old
    /// token ([`cached`](Self::cached)), which may still be usable until it expires.
    pub async fn access_token(&mut self) -> Result<&str, Error> {
        if !self.is_fresh() {
            self.renew_token().await?;
        }
        self.cached()
            .map(ClientToken::access_token)
            .ok_or(Error::NoClock)
    }

    /// Asks the domain for a new token whether or not the kept one is fresh (say, after a
    /// resource server refused it), keeps it and returns it.
    pub async fn renew(&mut self) -> Result<&str, Error> {
        self.renew_token().await?;
        self.cached()
            .map(ClientToken::access_token)
            .ok_or(Error::NoClock)
    }

    /// The token kept, fresh or not (with its expiry); `None` before the first one.
    pub fn cached(&self) -> Option<&ClientToken<N>> {
        self.token.as_ref()
    }

    /// Whether the kept token is fresh for more than the renewal margin at the client's time
    /// (`false` without a token, or before the time is known).
    pub fn is_fresh(&self) -> bool {
        match (&self.token, self.link.clock().now()) {
            (Some(token), Some(now)) => token.is_fresh(now, self.margin_secs),
            _ => false,
        }
    }

    /// Drops the kept token (the next [`access_token`](Self::access_token) asks for a new one).
    pub fn forget(&mut self) {
        self.token = None;
    }

    /// Closes the kept-alive connection (the next request opens a new one).
    pub fn disconnect(&mut self) {
        self.link.disconnect();
    }

    /// Sends the token request and keeps the token of the reply.
    async fn renew_token(&mut self) -> Result<(), Error> {
        let outcome = self.exchange().await;
        self.request_buf.zeroize();
        let token = outcome?;
        self.token = Some(token);
        Ok(())
    }

    /// The token request: written at the start of the request buffer, its head after it; the
    /// reply read into the reply buffer.
    async fn exchange(&mut self) -> Result<ClientToken<N>, Error> {
        let request = TokenRequest {
            client: self.client,
            grant: Grant::ClientCredentials {
                scopes: self.scopes,
            },
        };
        let used = {
            let written = request.write(self.request_buf)?;
            written.authorization.map_or(0, str::len) + written.body.len()
        };
        let (buf, scratch) = self
            .request_buf
            .split_at_mut_checked(used)
            .ok_or(Misuse::Invalid("request buffer"))?;
        let written = request.write(buf)?;
        let received = self
            .link
            .exchange(&mut Outgoing::OAuth(&written, scratch), self.reply_buf)
            .await?;
        let tokens = read_token_reply(&received.view(self.reply_buf))?;
        let now = self.link.clock().now().ok_or(Error::NoClock)?;
        ClientToken::from_reply(&tokens, now).map_err(|e: ProtocolError| Error::Core(e.into()))
    }
}

impl<C: Connect, const N: usize> core::fmt::Debug for ClientCredentials<'_, C, N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("host", &self.link.host())
            .field("client", &self.client)
            .field("scopes", &self.scopes)
            .field("token", &self.token)
            .field("margin_secs", &self.margin_secs)
            .field("request_buf", &self.request_buf.len())
            .field("reply_buf", &self.reply_buf.len())
            .finish_non_exhaustive()
    }
}

/// Whether a connector's `Host` and the domain's authority name the same host (ASCII case
/// ignored; a port named on one side only is not compared).
pub(crate) fn same_host(connector: &str, domain: &str) -> bool {
    let (a, a_port) = split_port(connector);
    let (b, b_port) = split_port(domain);
    a.eq_ignore_ascii_case(b) && (a_port == b_port || a_port.is_none() || b_port.is_none())
}

/// An authority's host and port: `[::1]:9` → (`::1`, `9`), `a.b:9` → (`a.b`, `9`), `::1` →
/// (`::1`, none).
fn split_port(authority: &str) -> (&str, Option<&str>) {
    if let Some(bracketed) = authority.strip_prefix('[') {
        return match bracketed.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => (bracketed, None),
        };
    }
    match authority.split_once(':') {
        Some((host, port)) if !port.contains(':') => (host, Some(port)),
        _ => (authority, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_match_with_or_without_a_port() {
        assert!(same_host(
            "my-app.auth.eu-west-1.amazoncognito.com",
            "MY-APP.auth.eu-west-1.amazoncognito.com"
        ));
        assert!(same_host("127.0.0.1", "127.0.0.1:9229"));
        assert!(same_host("127.0.0.1:9229", "127.0.0.1:9229"));
        assert!(same_host("[::1]:9229", "[::1]:9229"));
        assert!(same_host("::1", "[::1]:9229"));
        assert!(!same_host(
            "cognito-idp.eu-west-1.amazonaws.com",
            "my-app.auth.eu-west-1.amazoncognito.com"
        ));
        assert!(!same_host("127.0.0.2", "127.0.0.1:9229"));
        assert!(!same_host("127.0.0.1:9000", "127.0.0.1:9229"));
    }
}
