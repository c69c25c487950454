//! The `/oauth2/authorize` URL a browser is sent to, and the `/logout` URL.

use super::domain::PoolDomain;
use super::percent::put_pairs;
use super::scopes::Scopes;
use crate::error::{Error, Misuse};
use crate::wire::Sink;
use crate::wire::sink::write_measured_str;

/// What the authorize URL asks for (`response_type=code` with PKCE `S256`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Authorize<'a> {
    /// The app client id.
    pub client_id: &'a str,
    /// Where the domain sends the browser back; must be one of the app client's callback URLs.
    pub redirect_uri: &'a str,
    /// The scopes asked for (`openid` for an ID token; `aws.cognito.signin.user.admin` for
    /// tokens the user-pool API accepts).
    pub scopes: Scopes<'a>,
    /// The `state` (unguessable; checked on the way back).
    pub state: &'a str,
    /// The PKCE `S256` challenge of the verifier.
    pub code_challenge: &'a str,
    /// Options: a provider, a nonce, a language.
    pub options: AuthorizeOptions<'a>,
}

/// The optional parameters of the authorize URL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AuthorizeOptions<'a> {
    /// `identity_provider`: skip the hosted UI's choice and go to this provider (`COGNITO`,
    /// `Google`, `SignInWithApple`, a SAML or OIDC provider's name).
    pub identity_provider: Option<&'a str>,
    /// `idp_identifier`: a provider chosen by one of its identifiers (such as an email domain).
    pub idp_identifier: Option<&'a str>,
    /// `nonce`: put into the ID token, and checked there.
    pub nonce: Option<&'a str>,
    /// `lang`: the hosted UI's language (`en`, `fr`, …; managed login only).
    pub lang: Option<&'a str>,
}

impl Authorize<'_> {
    /// [`Misuse::Empty`] for an empty client id, redirect URI, state or challenge,
    /// [`Misuse::Invalid`] for bad scopes or an empty option.
    pub fn validate(&self) -> Result<(), Misuse> {
        for (name, value) in [
            ("client_id", self.client_id),
            ("redirect_uri", self.redirect_uri),
            ("state", self.state),
            ("code_challenge", self.code_challenge),
        ] {
            if value.is_empty() {
                return Err(Misuse::Empty(name));
            }
        }
        self.scopes.validate()?;
        let o = &self.options;
        for (name, value) in [
            ("identity_provider", o.identity_provider),
            ("idp_identifier", o.idp_identifier),
            ("nonce", o.nonce),
            ("lang", o.lang),
        ] {
            if value.is_some_and(str::is_empty) {
                return Err(Misuse::Empty(name));
            }
        }
        Ok(())
    }

    /// Writes `https://<domain>/oauth2/authorize?response_type=code&…` into `buf` and returns
    /// it (`buf` untouched when too small).
    ///
    /// ```
    /// use cognito_core::oauth::{Authorize, PoolDomain, Scopes};
    /// let domain = PoolDomain::parse("https://auth.example.com")?;
    /// let mut buf = [0u8; 512];
    /// let url = Authorize {
    ///     client_id: "abc",
    ///     redirect_uri: "http://127.0.0.1:8400/callback",
    ///     scopes: Scopes::new("openid email"),
    ///     state: "s1",
    ///     code_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
    ///     options: Default::default(),
    /// }
    /// .write_url(&domain, &mut buf)?;
    /// assert_eq!(
    ///     url,
    ///     "https://auth.example.com/oauth2/authorize?response_type=code&client_id=abc\
    ///      &redirect_uri=http%3A%2F%2F127.0.0.1%3A8400%2Fcallback&scope=openid%20email&state=s1\
    ///      &code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
    /// );
    /// # Ok::<(), cognito_core::Error>(())
    /// ```
    pub fn write_url<'b>(&self, domain: &PoolDomain, buf: &'b mut [u8]) -> Result<&'b str, Error> {
        self.validate()?;
        write_url(buf, domain, "/oauth2/authorize", |sink| {
            let o = &self.options;
            put_pairs(
                sink,
                &[
                    ("response_type", Some("code")),
                    ("client_id", Some(self.client_id)),
                    ("redirect_uri", Some(self.redirect_uri)),
                    (
                        "scope",
                        (!self.scopes.is_empty()).then_some(self.scopes.as_str()),
                    ),
                    ("state", Some(self.state)),
                    ("code_challenge", Some(self.code_challenge)),
                    ("code_challenge_method", Some("S256")),
                    ("identity_provider", o.identity_provider),
                    ("idp_identifier", o.idp_identifier),
                    ("nonce", o.nonce),
                    ("lang", o.lang),
                ],
            );
        })
    }
}

/// The `/logout` URL: ends the hosted UI's session cookie, then sends the browser to
/// `logout_uri` (one of the app client's sign-out URLs). Tokens are not revoked by it: revoke
/// the refresh token ([`super::Revoke`]) or sign out globally as well.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Logout<'a> {
    /// The app client id.
    pub client_id: &'a str,
    /// Where the browser goes afterwards.
    pub logout_uri: &'a str,
}

impl Logout<'_> {
    /// Writes `https://<domain>/logout?client_id=…&logout_uri=…` into `buf`.
    ///
    /// ```
    /// use cognito_core::oauth::{Logout, PoolDomain};
    /// let domain = PoolDomain::parse("https://auth.example.com")?;
    /// let mut buf = [0u8; 128];
    /// let url = Logout { client_id: "abc", logout_uri: "https://app.example.com/bye" }
    ///     .write_url(&domain, &mut buf)?;
    /// assert_eq!(url, "https://auth.example.com/logout?client_id=abc&logout_uri=https%3A%2F%2Fapp.example.com%2Fbye");
    /// # Ok::<(), cognito_core::Error>(())
    /// ```
    pub fn write_url<'b>(&self, domain: &PoolDomain, buf: &'b mut [u8]) -> Result<&'b str, Error> {
        if self.client_id.is_empty() {
            return Err(Misuse::Empty("client_id").into());
        }
        if self.logout_uri.is_empty() {
            return Err(Misuse::Empty("logout_uri").into());
        }
        write_url(buf, domain, "/logout", |sink| {
            put_pairs(
                sink,
                &[
                    ("client_id", Some(self.client_id)),
                    ("logout_uri", Some(self.logout_uri)),
                ],
            );
        })
    }
}

fn write_url<'b>(
    buf: &'b mut [u8],
    domain: &PoolDomain,
    path: &str,
    query: impl Fn(&mut dyn Sink),
) -> Result<&'b str, Error> {
    // Everything written is ASCII (percent-encoded values, a checked host).
    write_measured_str(buf, "url", |sink| {
        sink.put(domain.scheme_prefix().as_bytes());
        sink.put(domain.host().as_bytes());
        sink.put(path.as_bytes());
        sink.put(b"?");
        query(sink);
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_encoded_and_empty_ones_refused() {
        let domain = PoolDomain::parse("http://127.0.0.1:9").unwrap();
        let mut a = Authorize {
            client_id: "c",
            redirect_uri: "myapp://cb",
            scopes: Scopes::default(),
            state: "s",
            code_challenge: "x",
            options: AuthorizeOptions {
                identity_provider: Some("Google"),
                idp_identifier: Some("example.com"),
                nonce: Some("n 1"),
                lang: Some("fr"),
            },
        };
        let mut buf = [0u8; 512];
        assert_eq!(
            a.write_url(&domain, &mut buf).unwrap(),
            "http://127.0.0.1:9/oauth2/authorize?response_type=code&client_id=c&redirect_uri=myapp%3A%2F%2Fcb\
             &state=s&code_challenge=x&code_challenge_method=S256&identity_provider=Google\
             &idp_identifier=example.com&nonce=n%201&lang=fr"
        );
        a.options.lang = Some("");
        assert_eq!(
            a.write_url(&domain, &mut buf),
            Err(Error::Misuse(Misuse::Empty("lang")))
        );
        a.options.lang = None;
        a.state = "";
        assert_eq!(
            a.write_url(&domain, &mut buf),
            Err(Error::Misuse(Misuse::Empty("state")))
        );
    }
}
