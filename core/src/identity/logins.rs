//! `Logins`: the tokens that prove who an identity is, keyed by provider.

use core::fmt;

use crate::error::Misuse;
use crate::redact::hide;
use crate::wire::{JsonWriter, region_of_pool_id};

/// The longest provider name [`user_pool_provider`] makes.
pub const MAX_PROVIDER_LEN: usize = 160;

/// The `Logins` key of a user pool: `cognito-idp.<region>.amazonaws.com/<poolId>`
/// (`….amazonaws.com.cn/…` in China).
///
/// ```
/// use cognito_core::identity::user_pool_provider;
/// assert_eq!(
///     user_pool_provider("eu-west-1_AbC123")?.as_str(),
///     "cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC123"
/// );
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
pub fn user_pool_provider(pool_id: &str) -> Result<heapless::String<MAX_PROVIDER_LEN>, Misuse> {
    let region = region_of_pool_id(pool_id)?;
    let suffix = if region.starts_with("cn-") {
        ".amazonaws.com.cn/"
    } else {
        ".amazonaws.com/"
    };
    let mut name = heapless::String::new();
    for part in ["cognito-idp.", region, suffix, pool_id] {
        name.push_str(part).map_err(|_| Misuse::TooLong {
            field: "pool id",
            max: MAX_PROVIDER_LEN,
        })?;
    }
    Ok(name)
}

/// One login: a provider name and its token (a user pool's ID token, a Google ID token, a
/// Facebook access token, …). `Debug` does not show the token.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Login<'a> {
    /// The provider: [`user_pool_provider`], `accounts.google.com`, `graph.facebook.com`, …
    pub provider: &'a str,
    /// The token.
    pub token: &'a str,
}

impl fmt::Debug for Login<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Login")
            .field("provider", &self.provider)
            .field("token", &hide(self.token))
            .finish()
    }
}

/// The logins of a request: none for a guest (unauthenticated) identity.
pub type Logins<'a> = &'a [Login<'a>];

/// Checks `logins`: no empty provider or token, no provider twice.
pub(crate) fn validate(logins: Logins<'_>) -> Result<(), Misuse> {
    for (i, login) in logins.iter().enumerate() {
        if login.provider.is_empty() {
            return Err(Misuse::Empty("Logins provider"));
        }
        if login.token.is_empty() {
            return Err(Misuse::Empty("Logins token"));
        }
        if logins
            .iter()
            .take(i)
            .any(|other| other.provider == login.provider)
        {
            return Err(Misuse::Invalid("Logins (a provider twice)"));
        }
    }
    Ok(())
}

/// Writes `"Logins": {…}` unless there are none.
pub(crate) fn write(w: &mut JsonWriter<'_>, logins: Logins<'_>) {
    if logins.is_empty() {
        return;
    }
    w.begin_object_field("Logins");
    for login in logins {
        w.field_str(login.provider, login.token);
    }
    w.end_object();
}
