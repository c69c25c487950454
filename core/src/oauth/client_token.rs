//! An access token from the client-credentials grant, kept until shortly before it expires.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::auth::AuthenticationResult;
use crate::error::ProtocolError;
use crate::time::UnixTime;
use crate::token::Expiry;

/// How long before expiry a [`ClientToken`] stops counting as fresh by default, in seconds.
pub const DEFAULT_RENEW_MARGIN_SECS: u64 = 300;

/// A machine-to-machine access token and when it expires on the local clock, in
/// fixed-capacity storage (`N` bytes of token; the default holds Cognito's with room for many
/// scopes). Zeroized on drop; `Debug` does not show the token.
///
/// ```
/// use cognito_core::oauth::{ClientToken, read_token_reply};
/// use cognito_core::time::UnixTime;
/// use cognito_core::wire::HttpResponse;
///
/// let reply = br#"{"access_token":"eyJ.a.b","expires_in":3600,"token_type":"Bearer"}"#;
/// let tokens = read_token_reply(&HttpResponse::new(200, reply))?;
/// let token: ClientToken = ClientToken::from_reply(&tokens, UnixTime::from_secs(1_000))?;
/// assert!(token.is_fresh(UnixTime::from_secs(4_000), 300));
/// assert!(!token.is_fresh(UnixTime::from_secs(4_400), 300)); // renew 5 minutes early
/// # Ok::<(), cognito_core::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct ClientToken<const N: usize = 4096> {
    access_token: heapless::String<N>,
    #[zeroize(skip)]
    expiry: Expiry,
}

impl<const N: usize> ClientToken<N> {
    /// The access token of `tokens`, received at local time `received_at`.
    /// [`ProtocolError::FieldTooLong`] when it is longer than `N`.
    pub fn from_reply(
        tokens: &AuthenticationResult<'_>,
        received_at: UnixTime,
    ) -> Result<Self, ProtocolError> {
        let access_token = heapless::String::try_from(tokens.access_token).map_err(|_| {
            ProtocolError::FieldTooLong {
                field: "access_token",
                max: N,
            }
        })?;
        Ok(ClientToken {
            access_token,
            expiry: Expiry::from_expires_in(received_at, tokens.expires_in),
        })
    }

    /// The token, for `Authorization: Bearer …`.
    #[must_use]
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// When it expires on the local clock.
    #[must_use]
    pub fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// Whether it is still good at `now` for at least `margin_secs` more seconds (a clock that
    /// went back before it was received does not count it as fresh).
    #[must_use]
    pub fn is_fresh(&self, now: UnixTime, margin_secs: u64) -> bool {
        !self.expiry.is_expired(now, margin_secs)
    }
}

impl<const N: usize> fmt::Debug for ClientToken<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientToken")
            .field("access_token", &"<redacted>")
            .field("expiry", &self.expiry)
            .finish()
    }
}
