//! `Debug` output without secrets: passwords, tokens, codes, `Session`s, TOTP secrets, the client
//! secret and device passwords show as `<redacted>` (an empty one as `""`), the rest as it is.
//! `adapters/std/tests/http/secrets.rs` checks every public type that holds one.

use core::fmt;

/// A secret as `Debug` shows it.
#[derive(Clone, Copy)]
pub(crate) enum Hidden {
    /// An empty value: `""`.
    Empty,
    /// A value: `<redacted>`.
    Secret,
}

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Hidden::Empty => f.write_str("\"\""),
            Hidden::Secret => f.write_str("<redacted>"),
        }
    }
}

/// `value` as `<redacted>` (or `""`).
pub(crate) fn hide(value: &str) -> Hidden {
    if value.is_empty() {
        Hidden::Empty
    } else {
        Hidden::Secret
    }
}

/// `value` as `None` or `Some(<redacted>)`.
pub(crate) fn hide_opt(value: Option<&str>) -> Option<Hidden> {
    value.map(hide)
}

/// Name/value pairs whose values may be secret (client metadata, raw challenge answers, the
/// parameters of a challenge): `{name: <redacted>, …}`.
pub(crate) struct Names<'a>(pub(crate) &'a [(String, String)]);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| (name, hide(value))))
            .finish()
    }
}

/// Challenge parameters: shown, except the values of those named like a secret (as the core
/// shows them).
pub(crate) struct Parameters<'a>(pub(crate) &'a std::collections::BTreeMap<String, String>);

impl fmt::Debug for Parameters<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if is_secret_parameter(name) {
                map.entry(name, &hide(value));
            } else {
                map.entry(name, value);
            }
        }
        map.finish()
    }
}

/// Whether a challenge parameter named `name` carries a secret: `SECRET_BLOCK`, and any named
/// like a password, token, session, secret or answer.
fn is_secret_parameter(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    ["SECRET", "PASSWORD", "TOKEN", "SESSION", "ANSWER"]
        .iter()
        .any(|word| name.contains(word))
}
