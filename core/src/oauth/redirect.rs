//! Reading the URL the browser came back to: the `state` checked, then the `code` or the error.

use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::error::OAuthError;
use super::percent::Pairs;
use crate::error::{Error, ProtocolError};

/// The longest authorization code kept (Cognito's are 36-character UUIDs).
pub const MAX_CODE_LEN: usize = 512;

/// An authorization code, single use and short-lived. Zeroized on drop; `Debug` does not show it.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct AuthorizationCode {
    text: heapless::String<MAX_CODE_LEN>,
}

impl AuthorizationCode {
    /// The code, for the token request.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode(<redacted>)")
    }
}

/// Reads the redirect the browser arrived with: a whole URL
/// (`http://127.0.0.1:8400/callback?code=…&state=…`) or only its path and query, as a local
/// listener sees it.
///
/// The `state` is checked first, in constant time against `expected_state`: a missing one (unless
/// the redirect carries an error), a repeated one or a different one is
/// [`ProtocolError::StateMismatch`] or [`ProtocolError::MissingField`]`("state")` — the redirect
/// was not caused by this sign-in, and its code must not be used. Then an `error` parameter gives
/// [`Error::OAuth`] (`access_denied`, …); otherwise the `code`.
///
/// ```
/// use cognito_core::oauth::read_redirect;
/// let code = read_redirect("/callback?code=0f3c&state=abc", "abc")?;
/// assert_eq!(code.as_str(), "0f3c");
/// assert!(read_redirect("/callback?code=0f3c&state=abd", "abc").is_err());
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub fn read_redirect(url: &str, expected_state: &str) -> Result<AuthorizationCode, Error> {
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
    let query = without_fragment.split_once('?').map_or("", |(_, q)| q);
    let pairs = Pairs::new(query);
    match pairs.unique("state") {
        Err(()) => return Err(ProtocolError::StateMismatch.into()),
        Ok(Some(state)) if !state.ct_eq(expected_state) => {
            return Err(ProtocolError::StateMismatch.into());
        }
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(match OAuthError::from_query(&pairs) {
                Some(error) => error.into(),
                None => ProtocolError::MissingField("state").into(),
            });
        }
    }
    if let Some(error) = OAuthError::from_query(&pairs) {
        return Err(error.into());
    }
    let code = pairs
        .unique("code")
        .map_err(|()| ProtocolError::InvalidField("code"))?
        .ok_or(ProtocolError::MissingField("code"))?;
    let len = code
        .decoded_len()
        .ok_or(ProtocolError::InvalidField("code"))?;
    if len > MAX_CODE_LEN {
        return Err(ProtocolError::FieldTooLong {
            field: "code",
            max: MAX_CODE_LEN,
        }
        .into());
    }
    let text = code
        .to_fixed::<MAX_CODE_LEN>()
        .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_graphic()))
        .ok_or(ProtocolError::InvalidField("code"))?;
    Ok(AuthorizationCode { text })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::oauth::OAuthErrorKind;

    #[test]
    fn reads_codes_from_urls_and_paths() {
        for url in [
            "http://127.0.0.1:8400/callback?code=a%2Db&state=s%2F1",
            "/callback?state=s%2F1&code=a-b#frag",
            "myapp://cb?code=a-b&state=s/1&extra=1",
        ] {
            assert_eq!(read_redirect(url, "s/1").unwrap().as_str(), "a-b", "{url}");
        }
    }

    #[test]
    fn a_foreign_state_is_refused_before_anything_else() {
        let mismatch = Error::Protocol(ProtocolError::StateMismatch);
        assert_eq!(
            read_redirect("/cb?code=a&state=t", "s").unwrap_err(),
            mismatch
        );
        assert_eq!(
            read_redirect("/cb?code=a&state=s&state=s", "s").unwrap_err(),
            mismatch
        );
        assert_eq!(
            read_redirect("/cb?error=access_denied&state=t", "s").unwrap_err(),
            mismatch
        );
        assert_eq!(
            read_redirect("/cb?code=a&state=s%zz", "s").unwrap_err(),
            mismatch
        );
        assert_eq!(
            read_redirect("/cb?code=a", "s").unwrap_err(),
            Error::Protocol(ProtocolError::MissingField("state"))
        );
    }

    #[test]
    fn errors_and_bad_codes() {
        let Err(Error::OAuth(e)) =
            read_redirect("/cb?error=access_denied&error_description=no&state=s", "s")
        else {
            panic!()
        };
        assert_eq!(
            (e.kind(), e.description()),
            (OAuthErrorKind::AccessDenied, "no")
        );
        let Err(Error::OAuth(e)) = read_redirect("/cb?error=invalid_request", "s") else {
            panic!()
        };
        assert_eq!(e.kind(), OAuthErrorKind::InvalidRequest);
        for (url, err) in [
            ("/cb?state=s", ProtocolError::MissingField("code")),
            ("/cb?state=s&code=", ProtocolError::InvalidField("code")),
            ("/cb?state=s&code=a+b", ProtocolError::InvalidField("code")),
            (
                "/cb?state=s&code=a&code=b",
                ProtocolError::InvalidField("code"),
            ),
            ("/cb?state=s&code=%ff", ProtocolError::InvalidField("code")),
        ] {
            assert_eq!(
                read_redirect(url, "s").unwrap_err(),
                Error::Protocol(err),
                "{url}"
            );
        }
        let long = format!("/cb?state=s&code={}", "a".repeat(MAX_CODE_LEN + 1));
        assert!(matches!(
            read_redirect(&long, "s").unwrap_err(),
            Error::Protocol(ProtocolError::FieldTooLong { field: "code", .. })
        ));
    }
}
