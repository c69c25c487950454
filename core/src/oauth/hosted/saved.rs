//! A hosted-UI sign-in kept between the redirect out and the browser's return, for servers where
//! another process (or the same one after a restart) receives the callback.

use super::{
    HostedPhase, HostedSignIn, MAX_CLIENT_FIELD_LEN, MAX_REDIRECT_URI_LEN, MAX_SCOPES_LEN,
};
use crate::error::{Error, Misuse};
use crate::oauth::percent::{Pairs, put_pairs};
use crate::oauth::pkce::{CodeVerifier, MAX_RANDOM_VALUE_LEN, MAX_VERIFIER_LEN, RandomValue};
use crate::oauth::{OAuthClient, Scopes};
use crate::wire::sink::write_measured_str;

/// The format's name and version, the first pair of [`HostedSignIn::save`]'s text.
const FORMAT: (&str, &str) = ("cognito_hosted_sign_in", "1");

/// The longest text [`HostedSignIn::save`] writes (every field at its capacity, every byte
/// percent-encoded); a sign-in with Cognito-sized values writes about 300 bytes.
pub const MAX_SAVED_HOSTED_SIGN_IN_LEN: usize = 22
    + 1
    + 1
    + (1 + 9 + 1 + 3 * MAX_CLIENT_FIELD_LEN)
    + (1 + 12 + 1 + 3 * MAX_REDIRECT_URI_LEN)
    + (1 + 5 + 1 + 3 * MAX_SCOPES_LEN)
    + (1 + 13 + 1 + MAX_VERIFIER_LEN)
    + 2 * (1 + 5 + 1 + MAX_RANDOM_VALUE_LEN);

/// What was saved, malformed (a value this crate did not write).
const MALFORMED: Misuse = Misuse::Invalid("saved hosted sign-in");

impl HostedSignIn {
    /// This sign-in's `state`, as the authorize URL carries it and the redirect brings it back:
    /// the key to keep a [`save`](Self::save)d sign-in under (see [`redirect_state`]). Not a
    /// secret once the browser has the URL.
    #[must_use]
    pub fn state(&self) -> &str {
        self.state.as_str()
    }

    /// Writes what this sign-in needs to go on elsewhere into `buf`: one line of text
    /// (`cognito_hosted_sign_in=1&client_id=…&redirect_uri=…&scope=…&code_verifier=…&state=…&nonce=…`,
    /// percent-encoded) for [`restore`](Self::restore). Only while awaiting the redirect
    /// ([`Misuse::OutOfOrder`] after it); [`Error::BufferTooSmall`] says how large `buf` must
    /// be (at most [`MAX_SAVED_HOSTED_SIGN_IN_LEN`]).
    ///
    /// The text holds the PKCE verifier, which with an intercepted code redeems it, and the
    /// nonce: keep it where only the server reads it (its session store, or a cookie it
    /// encrypts and authenticates), never in a URL, and delete it once the redirect is handled.
    /// The client secret is not in it: [`restore`](Self::restore) takes the client again.
    pub fn save<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, Error> {
        if self.phase != HostedPhase::AwaitingRedirect {
            return Err(Misuse::OutOfOrder.into());
        }
        write_measured_str(buf, "saved hosted sign-in", |sink| {
            put_pairs(
                sink,
                &[
                    (FORMAT.0, Some(FORMAT.1)),
                    ("client_id", Some(&self.client_id)),
                    ("redirect_uri", Some(&self.redirect_uri)),
                    ("scope", Some(&self.scopes)),
                    ("code_verifier", Some(self.verifier.as_str())),
                    ("state", Some(self.state.as_str())),
                    ("nonce", Some(self.nonce.as_str())),
                ],
            );
        })
    }

    /// The sign-in [`save`](Self::save) wrote, awaiting the redirect again, for `client` (the
    /// saved client id; its secret, if it has one, given here since it was not saved).
    ///
    /// [`Misuse::Invalid`]`("saved hosted sign-in")` for text `save` did not write (another
    /// format version, a field missing, repeated, or not what the sign-in checks on creation),
    /// [`Misuse::Invalid`]`("client_id")` for another client's sign-in.
    ///
    /// ```
    /// use cognito_core::oauth::{HostedSignIn, OAuthClient, Scopes, redirect_state};
    ///
    /// let client = OAuthClient::public("3n4b5urk1ft4fl3mg5e62d9ado");
    /// let sign_in = HostedSignIn::new(
    ///     client,
    ///     "https://app.example.com/callback",
    ///     Scopes::new("openid email"),
    ///     &mut rand_core::OsRng,
    /// )?;
    /// let mut buf = [0u8; 512];
    /// let saved = sign_in.save(&mut buf)?;
    /// // … the browser goes to the authorize URL; the callback reaches another process, which
    /// // finds what was saved under the redirect's state and goes on:
    /// let redirect = format!("/callback?code=0f3c&state={}", sign_in.state());
    /// assert_eq!(redirect_state(&redirect).as_deref(), Some(sign_in.state()));
    /// let mut resumed = HostedSignIn::restore(client, saved)?;
    /// resumed.accept_redirect(&redirect)?;
    /// # Ok::<(), cognito_core::Error>(())
    /// ```
    pub fn restore(client: OAuthClient<'_>, saved: &str) -> Result<Self, Misuse> {
        client.validate()?;
        let pairs = Pairs::new(saved);
        let field = |name: &'static str| -> Result<heapless::String<MAX_REDIRECT_URI_LEN>, Misuse> {
            pairs
                .unique(name)
                .ok()
                .flatten()
                .and_then(|value| value.to_fixed::<MAX_REDIRECT_URI_LEN>())
                .ok_or(MALFORMED)
        };
        if field(FORMAT.0)? != FORMAT.1 {
            return Err(MALFORMED);
        }
        if field("client_id")? != client.client_id {
            return Err(Misuse::Invalid("client_id"));
        }
        let redirect_uri = field("redirect_uri")?;
        let scopes = field("scope")?;
        HostedSignIn::new_with(
            client,
            &redirect_uri,
            Scopes::new(&scopes),
            CodeVerifier::from_text(&field("code_verifier")?).map_err(|_| MALFORMED)?,
            RandomValue::from_text(&field("state")?).map_err(|_| MALFORMED)?,
            RandomValue::from_text(&field("nonce")?).map_err(|_| MALFORMED)?,
        )
        .map_err(|_| MALFORMED)
    }
}

/// The `state` a redirect URL (whole, or its path and query) carries, decoded: what a server
/// that [`save`](HostedSignIn::save)d sign-ins finds the right one by. `None` without exactly
/// one valid `state` of at most [`MAX_RANDOM_VALUE_LEN`] bytes. It proves nothing: the sign-in
/// found checks it again, in constant time, in [`HostedSignIn::accept_redirect`].
#[must_use]
pub fn redirect_state(url: &str) -> Option<heapless::String<MAX_RANDOM_VALUE_LEN>> {
    let without_fragment = url.split_once('#').map_or(url, |(before, _)| before);
    let query = without_fragment.split_once('?').map_or("", |(_, q)| q);
    Pairs::new(query)
        .unique("state")
        .ok()
        .flatten()?
        .to_fixed::<MAX_RANDOM_VALUE_LEN>()
        .filter(|state| !state.is_empty())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rand::SeedableRng;

    use super::*;
    use crate::oauth::AuthorizeOptions;
    use crate::oauth::PoolDomain;

    const CLIENT: OAuthClient<'static> = OAuthClient::confidential("client", "s3cret");

    fn started() -> HostedSignIn {
        HostedSignIn::new(
            CLIENT,
            "https://app.example.com/callback?from=hosted",
            Scopes::new("openid email aws.cognito.signin.user.admin"),
            &mut rand::rngs::StdRng::seed_from_u64(11),
        )
        .unwrap()
    }

    fn saved(sign_in: &HostedSignIn) -> String {
        sign_in.save(&mut [0u8; 1024]).unwrap().to_owned()
    }

    #[test]
    fn a_restored_sign_in_is_the_same_sign_in() {
        let original = started();
        let text = saved(&original);
        assert!(text.starts_with("cognito_hosted_sign_in=1&client_id=client&redirect_uri="));
        assert!(!text.contains("s3cret"), "the client secret is not saved");
        let restored = HostedSignIn::restore(CLIENT, &text).unwrap();
        assert_eq!(restored.phase(), HostedPhase::AwaitingRedirect);
        assert_eq!(restored.state(), original.state());
        assert_eq!(restored.redirect_uri(), original.redirect_uri());
        assert_eq!(restored.scopes(), original.scopes());
        assert_eq!(saved(&restored), text, "saving again writes the same text");

        // The same authorize URL, and after the same redirect the same token request (the
        // verifier and the client secret, given again, included).
        let domain = PoolDomain::parse("http://127.0.0.1:9229").unwrap();
        let url = |s: &HostedSignIn| {
            s.authorize_url(&domain, AuthorizeOptions::default(), &mut [0u8; 1024])
                .unwrap()
                .to_owned()
        };
        assert_eq!(url(&restored), url(&original));
        let redirect = format!("/callback?code=the-code&state={}", original.state());
        let request = |mut s: HostedSignIn| {
            s.accept_redirect(&redirect).unwrap();
            let mut buf = [0u8; 512];
            let r = s.write_token_request(&mut buf).unwrap();
            (r.body.to_vec(), r.authorization.map(str::to_owned))
        };
        assert_eq!(request(restored), request(original));
    }

    #[test]
    fn only_a_sign_in_awaiting_its_redirect_is_saved() {
        let mut sign_in = started();
        let state = sign_in.state().to_owned();
        sign_in
            .accept_redirect(&format!("/callback?code=c&state={state}"))
            .unwrap();
        assert_eq!(
            sign_in.save(&mut [0u8; 1024]),
            Err(Error::Misuse(Misuse::OutOfOrder))
        );
    }

    #[test]
    fn a_small_buffer_is_told_the_size_and_the_bound_holds() {
        let sign_in = started();
        let needed = saved(&sign_in).len();
        assert_eq!(
            sign_in.save(&mut vec![0u8; needed - 1]),
            Err(Error::BufferTooSmall(crate::error::BufferTooSmall {
                required: needed
            }))
        );
        // Every field at its capacity, every byte of the free-form ones percent-encoded.
        let id = "i".repeat(MAX_CLIENT_FIELD_LEN);
        let uri = "/".repeat(MAX_REDIRECT_URI_LEN);
        let scopes = ["/"; MAX_SCOPES_LEN / 2].join(" ");
        let largest = HostedSignIn::new_with(
            OAuthClient::public(&id),
            &uri,
            Scopes::new(&scopes),
            CodeVerifier::from_text(&"v".repeat(MAX_VERIFIER_LEN)).unwrap(),
            RandomValue::from_text(&"s".repeat(MAX_RANDOM_VALUE_LEN)).unwrap(),
            RandomValue::from_text(&"n".repeat(MAX_RANDOM_VALUE_LEN)).unwrap(),
        )
        .unwrap();
        let mut buf = vec![0u8; MAX_SAVED_HOSTED_SIGN_IN_LEN];
        let text = largest.save(&mut buf).unwrap();
        assert!(text.len() <= MAX_SAVED_HOSTED_SIGN_IN_LEN);
        assert!(
            HostedSignIn::restore(OAuthClient::public(&id), text).is_ok(),
            "the largest sign-in comes back too"
        );
    }

    #[test]
    fn another_clients_or_malformed_text_is_refused() {
        let text = saved(&started());
        assert_eq!(
            HostedSignIn::restore(OAuthClient::public("other"), &text).err(),
            Some(Misuse::Invalid("client_id"))
        );
        let without = |name: &str| {
            text.split('&')
                .filter(|pair| !pair.starts_with(&format!("{name}=")))
                .collect::<Vec<_>>()
                .join("&")
        };
        let replaced = |name: &str, value: &str| {
            text.split('&')
                .map(|pair| {
                    if pair.starts_with(&format!("{name}=")) {
                        format!("{name}={value}")
                    } else {
                        pair.to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join("&")
        };
        let mut bad = vec![
            String::new(),
            "garbage".to_owned(),
            format!("{text}&state=again"),
            replaced("cognito_hosted_sign_in", "2"),
            replaced("code_verifier", "too-short"),
            replaced("state", "not%20unreserved"),
            replaced("nonce", ""),
            replaced("redirect_uri", ""),
            replaced("scope", "openid%20%20email"),
            replaced("redirect_uri", "%zz"),
            replaced("redirect_uri", &"a".repeat(MAX_REDIRECT_URI_LEN + 1)),
        ];
        for name in [
            "cognito_hosted_sign_in",
            "client_id",
            "redirect_uri",
            "scope",
            "code_verifier",
            "state",
            "nonce",
        ] {
            bad.push(without(name));
        }
        for text in &bad {
            assert!(
                matches!(HostedSignIn::restore(CLIENT, text), Err(Misuse::Invalid(_))),
                "{text}"
            );
        }
    }

    #[test]
    fn the_state_of_a_redirect() {
        for (url, state) in [
            ("/callback?code=c&state=abc", Some("abc")),
            (
                "https://app.example.com/cb?state=a%2Db&code=c#frag",
                Some("a-b"),
            ),
            ("/cb?code=c&state=x#state=y", Some("x")),
            ("/cb?code=c", None),
            ("/cb?state=&code=c", None),
            ("/cb?state=a&state=b", None),
            ("/cb?state=%zz", None),
            ("state=abc", None),
        ] {
            assert_eq!(redirect_state(url).as_deref(), state, "{url}");
        }
        let long = format!("/cb?state={}", "s".repeat(MAX_RANDOM_VALUE_LEN + 1));
        assert_eq!(redirect_state(&long), None);
    }

    proptest! {
        #[test]
        fn any_text_is_restored_or_refused(text in ".{0,600}") {
            let _ = HostedSignIn::restore(CLIENT, &text);
            let _ = redirect_state(&text);
        }

        #[test]
        fn any_sign_in_round_trips(
            uri in "[ -~]{1,80}",
            scopes in proptest::collection::vec("[!#-\\[\\]-~]{1,12}", 0..4),
        ) {
            let scopes = scopes.join(" ");
            let sign_in = HostedSignIn::new(
                CLIENT,
                &uri,
                Scopes::new(&scopes),
                &mut rand::rngs::StdRng::seed_from_u64(3),
            )
            .unwrap();
            let text = saved(&sign_in);
            let restored = HostedSignIn::restore(CLIENT, &text).unwrap();
            prop_assert_eq!(restored.redirect_uri(), uri.as_str());
            prop_assert_eq!(restored.scopes().as_str(), scopes.as_str());
            prop_assert_eq!(saved(&restored), text);
        }
    }
}
