//! OAuth scopes: a space-separated list (`openid email my-api/read`).

use super::percent::put_pairs;
use crate::error::Misuse;
use crate::wire::Sink;

/// Scopes as OAuth sends them: names separated by single spaces. Each name is printable ASCII
/// without `"` or `\` (RFC 6749 §3.3).
///
/// ```
/// use cognito_core::oauth::Scopes;
/// let scopes = Scopes::new("openid email aws.cognito.signin.user.admin");
/// assert!(scopes.validate().is_ok());
/// assert!(scopes.contains("openid"));
/// assert!(!scopes.contains("open"));
/// assert!(Scopes::new("openid  email").validate().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Scopes<'a> {
    text: &'a str,
}

impl<'a> Scopes<'a> {
    /// `text`, space-separated (may be empty: no scope).
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Scopes { text }
    }

    /// The text as sent.
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.text
    }

    /// Whether there is no scope.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The scope names.
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + 'a + use<'a> {
        self.text.split(' ').filter(|s| !s.is_empty())
    }

    /// Whether `name` is one of them.
    #[must_use]
    pub fn contains(&self, name: &str) -> bool {
        self.iter().any(|s| s == name)
    }

    /// [`Misuse::Invalid`]`("scope")` for an empty name (a leading, trailing or doubled space)
    /// or a character RFC 6749 does not allow in one.
    pub fn validate(&self) -> Result<(), Misuse> {
        if self.text.is_empty() {
            return Ok(());
        }
        let name_ok = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E))
        };
        if self.text.split(' ').all(name_ok) {
            Ok(())
        } else {
            Err(Misuse::Invalid("scope"))
        }
    }
}

/// Writes `&scope=…` (or `scope=…` when not `more`) unless there is no scope.
pub(crate) fn put_scope_pair(sink: &mut dyn Sink, scopes: Scopes<'_>, more: bool) {
    if scopes.is_empty() {
        return;
    }
    if more {
        sink.put(b"&");
    }
    put_pairs(sink, &[("scope", Some(scopes.as_str()))]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation() {
        for ok in [
            "",
            "openid",
            "openid email",
            "my-api/read my-api/write",
            "a!#[]~",
        ] {
            assert!(Scopes::new(ok).validate().is_ok(), "{ok}");
        }
        for bad in [" openid", "openid ", "a  b", "a\"b", "a\\b", "é", "a\tb"] {
            assert!(Scopes::new(bad).validate().is_err(), "{bad}");
        }
    }
}
