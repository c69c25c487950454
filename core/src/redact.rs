//! `Debug` output without secrets.
//!
//! Every public type that holds a password, a token, a code, a `Session`, a TOTP secret, the
//! client secret or an SRP value writes its `Debug` by hand with these helpers: the secret shows
//! as `<redacted>` (an empty one as `""`, which tells nothing and helps debugging), the other
//! fields as they are. `debug_fields!` destructures the struct, so a field added later cannot be
//! left out of the list unnoticed. The test `tests/tests/secrets.rs` formats every such type
//! filled with marker secrets and checks that no marker comes out.

use core::fmt;

/// What a secret `Debug`s as.
pub(crate) const REDACTED: &str = "<redacted>";

/// A secret as `Debug` shows it.
#[derive(Clone, Copy)]
pub(crate) enum Hidden {
    /// An empty value: `""`.
    Empty,
    /// A value: `<redacted>`.
    Secret,
    /// An absent optional value: `None`.
    Absent,
    /// A present optional value: `Some(<redacted>)`, or `Some("")` when empty.
    Present { empty: bool },
}

impl fmt::Debug for Hidden {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Hidden::Empty => f.write_str("\"\""),
            Hidden::Secret => f.write_str(REDACTED),
            Hidden::Absent => f.write_str("None"),
            Hidden::Present { empty } => {
                let inner = if empty { Hidden::Empty } else { Hidden::Secret };
                f.debug_tuple("Some").field(&inner).finish()
            }
        }
    }
}

/// A secret value that can be shown as [`Hidden`].
pub(crate) trait Hide {
    /// How `Debug` shows it.
    fn hidden(&self) -> Hidden;
}

impl Hide for str {
    fn hidden(&self) -> Hidden {
        if self.is_empty() {
            Hidden::Empty
        } else {
            Hidden::Secret
        }
    }
}

impl<T: Hide + ?Sized> Hide for &T {
    fn hidden(&self) -> Hidden {
        (**self).hidden()
    }
}

impl<T: Hide> Hide for Option<T> {
    fn hidden(&self) -> Hidden {
        match self {
            None => Hidden::Absent,
            Some(value) => Hidden::Present {
                empty: matches!(value.hidden(), Hidden::Empty),
            },
        }
    }
}

/// `value` shown as `<redacted>`.
pub(crate) fn hide<T: Hide + ?Sized>(value: &T) -> Hidden {
    value.hidden()
}

/// `value` shown as it is (for [`debug_fields!`]).
pub(crate) fn show<T: ?Sized>(value: &T) -> &T {
    value
}

/// A map of caller-given strings whose values may be secret (`ClientMetadata` for Lambda
/// triggers, `ValidationData`): the names, each with its value redacted.
pub(crate) struct Names<'a>(&'a [(&'a str, &'a str)]);

impl fmt::Debug for Names<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(name, value)| (name, value.hidden())))
            .finish()
    }
}

/// `map` shown by its names, values redacted.
pub(crate) fn names<'a>(map: &&'a [(&'a str, &'a str)]) -> Names<'a> {
    Names(map)
}

/// Whether a challenge parameter named `name` carries a secret (`SECRET_BLOCK`, and anything
/// named like a password, token, session or secret), so `Debug` leaves its value out. SRP's
/// public values (`SRP_B`, `SALT`) and the masked delivery details stay visible.
pub(crate) fn is_secret_parameter(name: &str) -> bool {
    const SECRET_WORDS: [&str; 5] = ["SECRET", "PASSWORD", "TOKEN", "SESSION", "ANSWER"];
    SECRET_WORDS
        .iter()
        .any(|word| contains_ignore_case(name, word))
}

/// Whether `haystack` contains the ASCII-uppercase `needle`, ignoring ASCII case.
fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `Debug` for a struct with one lifetime parameter, field by field: `show` prints a field as
/// it is, `hide` as `<redacted>` (see [`Hide`]), `names` a string map by its names. The struct
/// is destructured, so every field must be listed.
macro_rules! debug_fields {
    ($name:ident { $($field:ident: $how:ident),* $(,)? }) => {
        impl ::core::fmt::Debug for $name<'_> {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let $name { $($field),* } = self;
                f.debug_struct(stringify!($name))
                    $(.field(stringify!($field), &$crate::redact::$how($field)))*
                    .finish()
            }
        }
    };
}

pub(crate) use debug_fields;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_show_as_redacted_and_emptiness_shows() {
        assert_eq!(format!("{:?}", hide("MARKER")), "<redacted>");
        assert_eq!(format!("{:?}", hide("")), "\"\"");
        assert_eq!(format!("{:?}", hide(&Some("MARKER"))), "Some(<redacted>)");
        assert_eq!(format!("{:?}", hide(&Some(""))), "Some(\"\")");
        assert_eq!(format!("{:?}", hide(&None::<&str>)), "None");
        let map: &[(&str, &str)] = &[("tier", "MARKER")];
        assert_eq!(format!("{:?}", names(&map)), "{\"tier\": <redacted>}");
    }

    #[test]
    fn secret_parameters_are_recognised_by_name() {
        for name in [
            "SECRET_BLOCK",
            "secret_hash",
            "NEW_PASSWORD",
            "Session",
            "ANSWER",
        ] {
            assert!(is_secret_parameter(name), "{name}");
        }
        for name in [
            "SRP_B",
            "SALT",
            "USERNAME",
            "CODE_DELIVERY_DESTINATION",
            "USER_ID_FOR_SRP",
        ] {
            assert!(!is_secret_parameter(name), "{name}");
        }
    }
}
