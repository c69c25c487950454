//! The pool's OAuth 2.0 domain: where the hosted UI and the `/oauth2/*` endpoints live.

use core::fmt;

use crate::error::Misuse;
use crate::wire::MAX_HOST_LEN;

/// The pool domain: `https://<prefix>.auth.<region>.amazoncognito.com`, a custom domain, or (for
/// emulators) `http://127.0.0.1:<port>`. A scheme and an authority, no path.
///
/// ```
/// use cognito_core::oauth::PoolDomain;
/// let domain = PoolDomain::cognito("my-app", "eu-west-1")?;
/// assert_eq!(domain.host(), "my-app.auth.eu-west-1.amazoncognito.com");
/// assert_eq!(PoolDomain::parse("https://login.example.com/")?, PoolDomain::parse("https://login.example.com")?);
/// assert!(PoolDomain::parse("https://login.example.com/path").is_err());
/// # Ok::<(), cognito_core::Misuse>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PoolDomain {
    https: bool,
    host: heapless::String<MAX_HOST_LEN>,
}

impl PoolDomain {
    /// The Cognito-hosted domain with `prefix` in `region`.
    ///
    /// [`Misuse::Invalid`] when the prefix or region has characters other than `a-z`, `0-9`
    /// and `-` (or is empty), [`Misuse::TooLong`] past [`MAX_HOST_LEN`] bytes in all.
    pub fn cognito(prefix: &str, region: &str) -> Result<Self, Misuse> {
        let label_ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'-'))
        };
        if !label_ok(prefix) {
            return Err(Misuse::Invalid("domain prefix"));
        }
        if !label_ok(region) {
            return Err(Misuse::Invalid("region"));
        }
        let mut host = heapless::String::new();
        for part in [prefix, ".auth.", region, ".amazoncognito.com"] {
            host.push_str(part).map_err(|_| Misuse::TooLong {
                field: "domain",
                max: MAX_HOST_LEN,
            })?;
        }
        Ok(PoolDomain { https: true, host })
    }

    /// `https://host[:port]` or `http://host[:port]`, with at most a trailing `/`.
    ///
    /// [`Misuse::Invalid`]`("domain")` for another scheme, a path, query, fragment or user
    /// information, or a host with characters that have no place in one.
    pub fn parse(url: &str) -> Result<Self, Misuse> {
        let (https, rest) = if let Some(rest) = url.strip_prefix("https://") {
            (true, rest)
        } else if let Some(rest) = url.strip_prefix("http://") {
            (false, rest)
        } else {
            return Err(Misuse::Invalid("domain"));
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        let allowed =
            |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']');
        if authority.is_empty() || !authority.bytes().all(allowed) {
            return Err(Misuse::Invalid("domain"));
        }
        let host = heapless::String::try_from(authority).map_err(|_| Misuse::TooLong {
            field: "domain",
            max: MAX_HOST_LEN,
        })?;
        Ok(PoolDomain { https, host })
    }

    /// The authority (host and optional port): what to connect to and send as `Host`.
    #[must_use]
    pub fn host(&self) -> &str {
        &self.host
    }

    /// Whether the domain is reached over TLS (`https://`).
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.https
    }

    /// `https://` or `http://`.
    #[must_use]
    pub fn scheme_prefix(&self) -> &'static str {
        if self.https { "https://" } else { "http://" }
    }
}

impl fmt::Display for PoolDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.scheme_prefix(), self.host)
    }
}

impl fmt::Debug for PoolDomain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PoolDomain({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_schemes_and_ports() {
        let d = PoolDomain::parse("http://127.0.0.1:9229").unwrap();
        assert!(!d.is_https());
        assert_eq!(d.host(), "127.0.0.1:9229");
        let d = PoolDomain::parse("https://auth.example.com/").unwrap();
        assert!(d.is_https());
        assert_eq!(format!("{d}"), "https://auth.example.com");
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        for bad in [
            "",
            "auth.example.com",
            "ftp://auth.example.com",
            "https://",
            "https://a/b",
            "https://a?b",
            "https://a#b",
            "https://user@a",
            "https://a b",
            "https://a\r\nX: y",
        ] {
            assert_eq!(
                PoolDomain::parse(bad),
                Err(Misuse::Invalid("domain")),
                "{bad}"
            );
        }
        assert!(PoolDomain::cognito("My_App", "eu-west-1").is_err());
        assert!(PoolDomain::cognito("app", "").is_err());
    }
}
