//! Fixed capacities of what the flows keep between steps, chosen per firmware.
//!
//! The core has no heap: a flow copies what it must remember (its inputs, the newest `Session`,
//! the `SECRET_BLOCK` it signs, the challenge's `USERNAME`) into fixed-capacity strings inside
//! itself. Every capacity is at least twice what Cognito allows or has been seen to send, so the
//! defaults are safe; firmware short of RAM picks smaller ones with its own [`Limits`], and a
//! value longer than its capacity is an error, never a truncation.
//!
//! | what | Cognito allows, or was seen to send | default |
//! |---|---|---|
//! | `Session` | 20–4,096 characters (API model); seen 779–846 | 8,192 |
//! | `SECRET_BLOCK` | no documented maximum; seen 900–1,724 base64 characters | 4,096 |
//! | user names (typed, `USERNAME`, `USER_ID_FOR_SRP`) | 128 UTF-16 units (model): at most 384 UTF-8 bytes | 768 |
//! | password (the caller's) | 256 UTF-16 units (model): at most 768 UTF-8 bytes | 1,536 |
//! | `ClientMetadata`, as JSON (the caller's) | a map of strings, no overall limit | 2,048 |
//! | a token a flow keeps (the refresh token of [`crate::auth::Refresh`], the access token of [`crate::auth::DeviceRegistration`]) | refresh tokens 1.7–1.9 KB; access tokens about 1 KB, longer with groups and scopes | 8,192 |
//!
//! Fixed by the protocol rather than chosen: device keys and group keys ([`MAX_DEVICE_KEY_LEN`];
//! model: at most 55 characters), the device password (56 base64 characters), challenge names
//! ([`crate::auth::MAX_CHALLENGE_NAME_LEN`]; the longest known is 24), the pool id, app-client id
//! and secret ([`crate::auth::ClientConfig`]). Values read from a reply and not kept (tokens,
//! challenge parameters, attributes) are read in place from the caller's reply buffer; size that
//! buffer for the replies (8–16 KiB for token-bearing replies).
//!
//! [`DeviceLimits`] halves the defaults for a device that signs in with its own short name and
//! password and sends no client metadata (a `SignIn` of 10.5 KiB instead of 19 KiB).
//!
//! ```
//! use cognito_core::auth::{ClientConfig, SignIn};
//! use cognito_core::capacity::Limits;
//! use cognito_core::srp::SrpEphemeral;
//!
//! /// A device whose users have short names and passwords, and that sends no client metadata:
//! /// Session 2 KiB, SECRET_BLOCK 2 KiB, names 64, password 64, metadata 0, tokens 2 KiB.
//! type Small = Limits<2048, 2048, 64, 64, 0, 2048>;
//!
//! let config = ClientConfig::new("eu-west-1_AbCdEf123", "3n4b5urk1ft4fl3mg5e62d9ado")?;
//! let ephemeral = SrpEphemeral::from_secret_bytes(&[7; 128])?;
//! let sign_in: SignIn<Small> = SignIn::srp(&config, "thermostat-7", "hunter2hunter2", ephemeral)?;
//! assert!(core::mem::size_of_val(&sign_in) < core::mem::size_of::<SignIn>() / 2);
//! # Ok::<(), cognito_core::Error>(())
//! ```

use core::fmt;
use core::ops::Deref;

use zeroize::Zeroize;

use crate::error::{Misuse, ProtocolError};
use crate::wire::{JsonWriter, Sink, encoded_len};

/// The longest device key or device group key kept (Cognito's model allows 55 characters for
/// device keys; group keys are about 10).
pub const MAX_DEVICE_KEY_LEN: usize = 128;

/// A fixed-capacity string a flow keeps a value in; `heapless::String<N>` is one.
pub trait Text: Default + Zeroize + Deref<Target = str> {
    /// The capacity in bytes.
    const CAPACITY: usize;

    /// Replaces the content with `value`; false (content cleared) when it does not fit.
    #[must_use]
    fn replace(&mut self, value: &str) -> bool;

    /// Appends `value`; false (content unchanged) when it does not fit.
    #[must_use]
    fn push(&mut self, value: &str) -> bool;
}

impl<const N: usize> Text for heapless::String<N> {
    const CAPACITY: usize = N;

    fn replace(&mut self, value: &str) -> bool {
        self.zeroize();
        self.push_str(value).is_ok()
    }

    fn push(&mut self, value: &str) -> bool {
        self.push_str(value).is_ok()
    }
}

/// The capacities of what a flow keeps: one type names them all (see the [module docs](self)).
pub trait Capacities {
    /// The newest `Session`.
    type Session: Text;
    /// The `SECRET_BLOCK` of a password verifier.
    type SecretBlock: Text;
    /// A user name: the one typed, and the challenge's `USERNAME`.
    type Username: Text;
    /// The password (wiped when the flow drops).
    type Password: Text;
    /// `ClientMetadata`, kept as the JSON object it is sent as.
    type ClientMetadata: Text;
    /// A token the flow keeps: a refresh token, or an access token.
    type Token: Text;
}

/// Capacities in bytes: `Limits<SESSION, SECRET_BLOCK, USERNAME, PASSWORD, CLIENT_METADATA,
/// TOKEN>`. [`DefaultLimits`] is safe for every pool; a smaller choice saves RAM.
pub struct Limits<
    const SESSION: usize,
    const SECRET_BLOCK: usize,
    const USERNAME: usize,
    const PASSWORD: usize,
    const CLIENT_METADATA: usize,
    const TOKEN: usize,
>;

impl<
    const SESSION: usize,
    const SECRET_BLOCK: usize,
    const USERNAME: usize,
    const PASSWORD: usize,
    const CLIENT_METADATA: usize,
    const TOKEN: usize,
> Capacities for Limits<SESSION, SECRET_BLOCK, USERNAME, PASSWORD, CLIENT_METADATA, TOKEN>
{
    type Session = heapless::String<SESSION>;
    type SecretBlock = heapless::String<SECRET_BLOCK>;
    type Username = heapless::String<USERNAME>;
    type Password = heapless::String<PASSWORD>;
    type ClientMetadata = heapless::String<CLIENT_METADATA>;
    type Token = heapless::String<TOKEN>;
}

impl<
    const SESSION: usize,
    const SECRET_BLOCK: usize,
    const USERNAME: usize,
    const PASSWORD: usize,
    const CLIENT_METADATA: usize,
    const TOKEN: usize,
> fmt::Debug for Limits<SESSION, SECRET_BLOCK, USERNAME, PASSWORD, CLIENT_METADATA, TOKEN>
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Limits")
            .field("session", &SESSION)
            .field("secret_block", &SECRET_BLOCK)
            .field("username", &USERNAME)
            .field("password", &PASSWORD)
            .field("client_metadata", &CLIENT_METADATA)
            .field("token", &TOKEN)
            .finish()
    }
}

/// The default capacities: twice what Cognito allows or has been seen to send (see the table
/// in the [module docs](self)).
pub type DefaultLimits = Limits<8192, 4096, 768, 1536, 2048, 8192>;

/// Capacities for a device with its own short user name and password and no client metadata:
/// `Session` 4 KiB (what Cognito's model allows), `SECRET_BLOCK` 4 KiB (more than twice what
/// was seen), user names 128 bytes, the password 256, no `ClientMetadata`, a kept token 4 KiB
/// (refresh tokens were seen under 2 KB). About half of [`DefaultLimits`]: a `SignIn` of
/// 10.5 KiB instead of 19 KiB. A value that does not fit is refused, never cut.
pub type DeviceLimits = Limits<4096, 4096, 128, 256, 0, 4096>;

/// Copies the caller's `value` into `slot`; [`Misuse::TooLong`] when it does not fit.
pub(crate) fn keep<T: Text>(slot: &mut T, value: &str, field: &'static str) -> Result<(), Misuse> {
    if slot.replace(value) {
        Ok(())
    } else {
        Err(Misuse::TooLong {
            field,
            max: T::CAPACITY,
        })
    }
}

/// Copies the peer's `value` into `slot`; [`ProtocolError::FieldTooLong`] when it does not fit.
pub(crate) fn keep_from_peer<T: Text>(
    slot: &mut T,
    value: &str,
    field: &'static str,
) -> Result<(), ProtocolError> {
    if slot.replace(value) {
        Ok(())
    } else {
        Err(ProtocolError::FieldTooLong {
            field,
            max: T::CAPACITY,
        })
    }
}

/// Keeps `entries` in `slot` as the JSON object `{name: value, …}` they are sent as;
/// [`Misuse::TooLong`] (slot cleared) when it does not fit.
pub(crate) fn keep_string_map<T: Text>(
    slot: &mut T,
    entries: &[(&str, &str)],
    field: &'static str,
) -> Result<(), Misuse> {
    let write = |w: &mut JsonWriter<'_>| {
        w.begin_object();
        for (name, value) in entries {
            w.field_str(name, value);
        }
        w.end_object();
    };
    let too_long = Misuse::TooLong {
        field,
        max: T::CAPACITY,
    };
    slot.zeroize();
    if encoded_len(write) > T::CAPACITY {
        return Err(too_long);
    }
    let mut sink = TextSink {
        text: slot,
        ok: true,
    };
    write(&mut JsonWriter::new(&mut sink));
    if sink.ok {
        Ok(())
    } else {
        slot.zeroize();
        Err(too_long)
    }
}

/// A sink appending to a [`Text`] (the JSON writer only ever puts whole UTF-8 sequences).
struct TextSink<'t, T> {
    text: &'t mut T,
    ok: bool,
}

impl<T: Text> Sink for TextSink<'_, T> {
    fn put(&mut self, bytes: &[u8]) {
        match core::str::from_utf8(bytes) {
            Ok(s) if self.ok => self.ok = self.text.push(s),
            _ => self.ok = false,
        }
    }
}

/// A fixed-capacity copy of the caller's `value`; [`Misuse::TooLong`] when it does not fit.
pub(crate) fn copy<T: Text>(value: &str, field: &'static str) -> Result<T, Misuse> {
    let mut slot = T::default();
    keep(&mut slot, value, field)?;
    Ok(slot)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_that_do_not_fit_are_refused_and_cleared() {
        let mut slot = heapless::String::<4>::new();
        keep(&mut slot, "abcd", "x").unwrap();
        assert_eq!(&*slot, "abcd");
        assert_eq!(
            keep(&mut slot, "abcde", "x"),
            Err(Misuse::TooLong { field: "x", max: 4 })
        );
        assert_eq!(&*slot, "");
        assert_eq!(
            keep_from_peer(&mut slot, "éé€", "y"),
            Err(ProtocolError::FieldTooLong { field: "y", max: 4 })
        );
        let copied: heapless::String<8> = copy("short", "z").unwrap();
        assert_eq!(&*copied, "short");
    }

    #[test]
    fn string_maps_are_kept_as_json() {
        let mut slot = heapless::String::<32>::new();
        keep_string_map(&mut slot, &[("a", "1"), ("b\"", "2")], "m").unwrap();
        assert_eq!(&*slot, r#"{"a":"1","b\"":"2"}"#);
        let mut small = heapless::String::<8>::new();
        assert_eq!(
            keep_string_map(&mut small, &[("a", "12345")], "m"),
            Err(Misuse::TooLong { field: "m", max: 8 })
        );
        assert_eq!(&*small, "");
    }
}
