//! Owned access, id and refresh tokens in fixed-capacity storage, wiped on drop.

use core::fmt;

use zeroize::Zeroize;

use super::error::TokenError;
use super::expiry::Expiry;
use super::jwt::Jwt;
use crate::auth::AuthenticationResult;
use crate::redact::hide;
use crate::time::UnixTime;

/// Default capacity for the access token: Cognito's are about 1 KiB, longer with many groups or
/// scopes; this is eight times that.
pub const DEFAULT_MAX_ACCESS_TOKEN_LEN: usize = 8192;
/// Default capacity for the id token: Cognito's are about 1.7 KiB, longer with custom
/// attributes (up to 50 of up to 2,048 characters); this is nearly five times that.
pub const DEFAULT_MAX_ID_TOKEN_LEN: usize = 8192;
/// Default capacity for the refresh token: Cognito's are encrypted JWTs of 1.7–1.9 KiB; this is
/// twice that.
pub const DEFAULT_MAX_REFRESH_TOKEN_LEN: usize = 4096;
pub use crate::capacity::MAX_DEVICE_KEY_LEN;
/// Capacity for the token type (normally `Bearer`).
pub const MAX_TOKEN_TYPE_LEN: usize = 16;

/// The access-token payload is decoded into a stack buffer of this size to read `iat`, `exp`
/// and `device_key`; a longer payload falls back to `ExpiresIn` for the expiry.
const CLAIMS_SCRATCH_LEN: usize = 2048;

/// The tokens of one sign-in, owned, with when they expire on the local clock.
///
/// Capacities are const parameters: `A` for the access token, `I` for the id token, `R` for the
/// refresh token (defaults [`DEFAULT_MAX_ACCESS_TOKEN_LEN`], [`DEFAULT_MAX_ID_TOKEN_LEN`],
/// [`DEFAULT_MAX_REFRESH_TOKEN_LEN`]; the set is then about 20 KiB). A longer token is
/// [`TokenError::TooLong`]. All tokens are zeroized on drop and never shown by `Debug`.
///
/// The expiry is `exp + drift`, where `drift` is the local clock minus the access token's `iat`
/// when the tokens arrived (see [`Expiry`]); if the access token's claims cannot be read it is
/// `ExpiresIn` seconds after receipt.
///
/// ```
/// use cognito_core::auth::AuthenticationResult;
/// use cognito_core::time::UnixTime;
/// use cognito_core::token::TokenSet;
/// // {"alg":"none"} . {"iat":1000000,"exp":1003600} . (no signature)
/// let access = "eyJhbGciOiJub25lIn0.eyJpYXQiOjEwMDAwMDAsImV4cCI6MTAwMzYwMH0.";
/// let result = AuthenticationResult {
///     access_token: access,
///     id_token: None,
///     refresh_token: Some("refresh"),
///     expires_in: 3600,
///     token_type: "Bearer",
///     new_device: None,
/// };
/// // The device clock is two hours behind the server.
/// let now = UnixTime::from_secs(1_000_000 - 7_200);
/// let tokens: TokenSet = TokenSet::from_auth_result(&result, now)?;
/// assert_eq!(tokens.expiry().drift_secs(), -7_200);
/// assert!(!tokens.needs_refresh(UnixTime::from_secs(1_000_000 - 7_200 + 3_000), 300));
/// assert!(tokens.needs_refresh(UnixTime::from_secs(1_000_000 - 7_200 + 3_400), 300));
/// # Ok::<(), cognito_core::token::TokenError>(())
/// ```
pub struct TokenSet<
    const A: usize = DEFAULT_MAX_ACCESS_TOKEN_LEN,
    const I: usize = DEFAULT_MAX_ID_TOKEN_LEN,
    const R: usize = DEFAULT_MAX_REFRESH_TOKEN_LEN,
> {
    access_token: heapless::String<A>,
    id_token: Option<heapless::String<I>>,
    refresh_token: Option<heapless::String<R>>,
    token_type: heapless::String<MAX_TOKEN_TYPE_LEN>,
    device_key: Option<heapless::String<MAX_DEVICE_KEY_LEN>>,
    expires_in: u64,
    expiry: Expiry,
}

impl<const A: usize, const I: usize, const R: usize> TokenSet<A, I, R> {
    /// The tokens of a sign-in reply received at local time `now`.
    ///
    /// The device key is `NewDeviceMetadata.DeviceKey` when the reply offers a new device, else
    /// the access token's `device_key` claim (a remembered device). Errors:
    /// [`TokenError::TooLong`] when a value exceeds its capacity.
    pub fn from_auth_result(
        result: &AuthenticationResult<'_>,
        now: UnixTime,
    ) -> Result<Self, TokenError> {
        let info = AccessInfo::read(result.access_token, now, result.expires_in);
        let device_key = match result.new_device {
            Some(meta) => Some(copy("DeviceKey", meta.device_key)?),
            None => info.device_key,
        };
        Ok(Self {
            access_token: copy("AccessToken", result.access_token)?,
            id_token: result.id_token.map(|t| copy("IdToken", t)).transpose()?,
            refresh_token: result
                .refresh_token
                .map(|t| copy("RefreshToken", t))
                .transpose()?,
            token_type: copy("TokenType", result.token_type)?,
            device_key,
            expires_in: result.expires_in,
            expiry: info.expiry,
        })
    }

    /// Takes the tokens of a refresh reply received at local time `now`.
    ///
    /// The access and id tokens are replaced (the id token by `None` if the reply has none).
    /// The refresh token is replaced only when the reply carries one (refresh-token rotation);
    /// otherwise the old one is kept. The device key is replaced only by a reply's
    /// `NewDeviceMetadata` (or filled in from the access token's `device_key` claim when none
    /// was known). On error nothing changes: the new set is built beside the old one, so this
    /// needs stack for a second `TokenSet`.
    pub fn update_from_refresh(
        &mut self,
        result: &AuthenticationResult<'_>,
        now: UnixTime,
    ) -> Result<(), TokenError> {
        let mut fresh = Self::from_auth_result(result, now)?;
        core::mem::swap(&mut self.access_token, &mut fresh.access_token);
        core::mem::swap(&mut self.id_token, &mut fresh.id_token);
        if fresh.refresh_token.is_some() {
            core::mem::swap(&mut self.refresh_token, &mut fresh.refresh_token);
        }
        if result.new_device.is_some() || self.device_key.is_none() {
            core::mem::swap(&mut self.device_key, &mut fresh.device_key);
        }
        core::mem::swap(&mut self.token_type, &mut fresh.token_type);
        self.expires_in = fresh.expires_in;
        self.expiry = fresh.expiry;
        // `fresh` now holds the old tokens and wipes them when dropped.
        Ok(())
    }

    /// The access token (a JWT).
    #[must_use]
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The id token (a JWT), when the reply had one.
    #[must_use]
    pub fn id_token(&self) -> Option<&str> {
        self.id_token.as_deref()
    }

    /// The refresh token, when one was issued.
    #[must_use]
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// `TokenType`, normally `Bearer`.
    #[must_use]
    pub fn token_type(&self) -> &str {
        &self.token_type
    }

    /// `ExpiresIn`: the lifetime of the access and id tokens, in seconds.
    #[must_use]
    pub fn expires_in(&self) -> u64 {
        self.expires_in
    }

    /// The device key the tokens were issued to; send it as `DEVICE_KEY` when refreshing.
    #[must_use]
    pub fn device_key(&self) -> Option<&str> {
        self.device_key.as_deref()
    }

    /// Sets or clears the device key (for example after the server forgot the device).
    /// [`TokenError::TooLong`] beyond [`MAX_DEVICE_KEY_LEN`].
    pub fn set_device_key(&mut self, device_key: Option<&str>) -> Result<(), TokenError> {
        self.device_key = device_key.map(|k| copy("DeviceKey", k)).transpose()?;
        Ok(())
    }

    /// The local time the tokens were received.
    #[must_use]
    pub fn received_at(&self) -> UnixTime {
        self.expiry.received_at()
    }

    /// When the tokens expire on the local clock, and the clock drift measured on receipt.
    #[must_use]
    pub fn expiry(&self) -> Expiry {
        self.expiry
    }

    /// Whether the access and id tokens are expired at local time `now`, or will be within
    /// `margin_secs`. See [`Expiry::is_expired`].
    #[must_use]
    pub fn is_expired(&self, now: UnixTime, margin_secs: u64) -> bool {
        self.expiry.is_expired(now, margin_secs)
    }

    /// Whether to refresh now: the tokens are expired or within `margin_secs` of it, and there
    /// is a refresh token to do it with. (Without one, sign in again when
    /// [`is_expired`](Self::is_expired).)
    #[must_use]
    pub fn needs_refresh(&self, now: UnixTime, margin_secs: u64) -> bool {
        self.refresh_token.is_some() && self.is_expired(now, margin_secs)
    }
}

impl<const A: usize, const I: usize, const R: usize> Drop for TokenSet<A, I, R> {
    fn drop(&mut self) {
        self.access_token.zeroize();
        self.id_token.zeroize();
        self.refresh_token.zeroize();
    }
}

impl<const A: usize, const I: usize, const R: usize> fmt::Debug for TokenSet<A, I, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &hide(self.access_token()))
            .field("id_token", &hide(&self.id_token()))
            .field("refresh_token", &hide(&self.refresh_token()))
            .field("token_type", &self.token_type.as_str())
            .field("device_key", &self.device_key.as_deref())
            .field("expires_in", &self.expires_in)
            .field("expiry", &self.expiry)
            .finish()
    }
}

/// What the set reads from the access token's payload, best effort.
struct AccessInfo {
    expiry: Expiry,
    device_key: Option<heapless::String<MAX_DEVICE_KEY_LEN>>,
}

impl AccessInfo {
    fn read(access_token: &str, now: UnixTime, expires_in: u64) -> Self {
        let mut scratch = [0u8; CLAIMS_SCRATCH_LEN];
        let mut info = Self {
            expiry: Expiry::from_expires_in(now, expires_in),
            device_key: None,
        };
        if let Ok(claims) = Jwt::parse(access_token).and_then(|jwt| jwt.claims(&mut scratch)) {
            if let (Ok(Some(iat)), Ok(Some(exp))) = (claims.iat(), claims.exp()) {
                info.expiry = Expiry::from_claims(now, iat, exp);
            }
            info.device_key = claims
                .device_key()
                .ok()
                .flatten()
                .and_then(|k| k.to_fixed());
        }
        scratch.zeroize();
        info
    }
}

fn copy<const N: usize>(
    field: &'static str,
    value: &str,
) -> Result<heapless::String<N>, TokenError> {
    crate::capacity::copy(value, field).map_err(|_| TokenError::TooLong { field, max: N })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(access: &'static str) -> AuthenticationResult<'static> {
        AuthenticationResult {
            access_token: access,
            id_token: Some("id"),
            refresh_token: None,
            expires_in: 60,
            token_type: "Bearer",
            new_device: None,
        }
    }

    #[test]
    fn opaque_access_token_falls_back_to_expires_in() {
        let set: TokenSet<8, 8, 8> =
            TokenSet::from_auth_result(&result("opaque"), UnixTime::from_secs(10)).unwrap();
        assert_eq!(
            set.expiry(),
            Expiry::from_expires_in(UnixTime::from_secs(10), 60)
        );
        assert_eq!(set.device_key(), None);
    }

    #[test]
    fn capacities() {
        let err = TokenSet::<4, 8, 8>::from_auth_result(&result("opaque"), UnixTime::from_secs(0));
        assert_eq!(
            err.unwrap_err(),
            TokenError::TooLong {
                field: "AccessToken",
                max: 4
            }
        );
        let err = TokenSet::<8, 1, 8>::from_auth_result(&result("opaque"), UnixTime::from_secs(0));
        assert_eq!(
            err.unwrap_err(),
            TokenError::TooLong {
                field: "IdToken",
                max: 1
            }
        );
    }
}
