//! The app client as the pool domain knows it: its id, and its secret when it has one.

use core::fmt;

use base64ct::{Base64, Encoding};
use zeroize::Zeroize;

use super::percent::put_pairs;
use crate::error::Misuse;
use crate::wire::Sink;

/// How a request authenticates the app client: a client with a secret sends
/// `Authorization: Basic base64(client_id:client_secret)`; a public client sends `client_id`
/// in the body. Borrowed; `Debug` does not show the secret.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OAuthClient<'a> {
    /// The app client id.
    pub client_id: &'a str,
    /// The app client secret, for a confidential client.
    pub client_secret: Option<&'a str>,
}

impl<'a> OAuthClient<'a> {
    /// A public client (no secret).
    #[must_use]
    pub const fn public(client_id: &'a str) -> Self {
        OAuthClient {
            client_id,
            client_secret: None,
        }
    }

    /// A client with a secret.
    #[must_use]
    pub const fn confidential(client_id: &'a str, client_secret: &'a str) -> Self {
        OAuthClient {
            client_id,
            client_secret: Some(client_secret),
        }
    }

    /// [`Misuse::Empty`] for an empty id or secret, [`Misuse::Invalid`] for an id with a `:`
    /// (Basic credentials could not carry it) or control characters.
    pub(crate) fn validate(&self) -> Result<(), Misuse> {
        if self.client_id.is_empty() {
            return Err(Misuse::Empty("client_id"));
        }
        if self.client_id.contains(':') || self.client_id.chars().any(char::is_control) {
            return Err(Misuse::Invalid("client_id"));
        }
        if self.client_secret.is_some_and(str::is_empty) {
            return Err(Misuse::Empty("client_secret"));
        }
        Ok(())
    }

    /// Writes the `Authorization` value of a client with a secret (nothing for a public client).
    pub(crate) fn put_authorization(&self, sink: &mut dyn Sink) {
        let Some(secret) = self.client_secret else {
            return;
        };
        sink.put(b"Basic ");
        // base64 in blocks of 3 input bytes, so no buffer needs the whole `id:secret`.
        let mut block = [0u8; 3];
        let mut filled = 0;
        let mut out = [0u8; 4];
        let input = self
            .client_id
            .bytes()
            .chain(core::iter::once(b':'))
            .chain(secret.bytes());
        for b in input {
            if let Some(slot) = block.get_mut(filled) {
                *slot = b;
            }
            filled += 1;
            if filled == 3 {
                if let Ok(text) = Base64::encode(&block, &mut out) {
                    sink.put(text.as_bytes());
                }
                filled = 0;
            }
        }
        if let Some(Ok(text)) = block
            .get(..filled)
            .filter(|r| !r.is_empty())
            .map(|rest| Base64::encode(rest, &mut out))
        {
            sink.put(text.as_bytes());
        }
        block.zeroize();
        out.zeroize();
    }

    /// `client_id` for the body, when the client is public (a confidential client is named by
    /// its Basic credentials).
    pub(crate) fn body_client_id(&self) -> Option<&'a str> {
        self.client_secret.is_none().then_some(self.client_id)
    }

    /// Writes `client_id` into a body for a public client, preceded by `&` when `more`.
    pub(crate) fn put_body_client_id(&self, sink: &mut dyn Sink, more: bool) {
        if let Some(id) = self.body_client_id() {
            if more {
                sink.put(b"&");
            }
            put_pairs(sink, &[("client_id", Some(id))]);
        }
    }
}

impl fmt::Debug for OAuthClient<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &crate::redact::hide(&self.client_secret))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::sink::write_measured;

    fn basic(client: &OAuthClient<'_>) -> String {
        let mut buf = [0u8; 256];
        let len = write_measured(&mut buf, |s| client.put_authorization(s)).unwrap();
        String::from_utf8(buf[..len].to_vec()).unwrap()
    }

    #[test]
    fn basic_credentials_match_a_one_shot_encoding() {
        use base64ct::Encoding as _;
        for (id, secret) in [
            ("a", "b"),
            ("ab", "c"),
            ("abc", "defgh"),
            ("client", "s3cr3t/+="),
        ] {
            let expected = format!(
                "Basic {}",
                Base64::encode_string(format!("{id}:{secret}").as_bytes())
            );
            assert_eq!(basic(&OAuthClient::confidential(id, secret)), expected);
        }
        assert_eq!(basic(&OAuthClient::public("a")), "");
    }

    #[test]
    fn validation() {
        assert!(OAuthClient::public("").validate().is_err());
        assert!(OAuthClient::public("a:b").validate().is_err());
        assert!(OAuthClient::confidential("a", "").validate().is_err());
        assert!(OAuthClient::confidential("a", "b").validate().is_ok());
        assert!(
            !format!("{:?}", OAuthClient::confidential("a", "topsecret")).contains("topsecret")
        );
    }
}
