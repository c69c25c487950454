//! Which endpoint URLs a client talks to: `https://` anywhere, cleartext `http://` only to a
//! loopback host (an emulator on this machine) unless the caller opts in loudly.

use std::net::{IpAddr, Ipv6Addr};

use reqwest::Url;

use crate::error::{EndpointProblem, Error, Result};

/// How requests reach a client's endpoint ([`crate::Client::endpoint_security`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EndpointSecurity {
    /// `https://`: TLS, the certificate verified.
    Https,
    /// `http://` to a loopback host (127.0.0.0/8, `::1`, `localhost`): cleartext that does not
    /// leave the machine (an emulator). Allowed without opting in.
    LoopbackCleartext,
    /// `http://` to any other host: passwords' proofs, codes and tokens cross the network in
    /// cleartext. Only with [`crate::Options::danger_allow_cleartext_http`].
    RemoteCleartext,
}

impl EndpointSecurity {
    /// Whether requests go unencrypted.
    #[must_use]
    pub fn is_cleartext(self) -> bool {
        !matches!(self, EndpointSecurity::Https)
    }
}

/// `text` parsed as an endpoint URL: `https://` or `http://`, without a user name or password.
pub(crate) fn parse(text: &str) -> Result<Url> {
    let url = Url::parse(text).map_err(|e| Error::Endpoint {
        url: text_without_credentials(text),
        problem: EndpointProblem::NotUrl(e.to_string()),
    })?;
    let refuse = |problem| Error::Endpoint {
        url: without_credentials(&url),
        problem,
    };
    if !matches!(url.scheme(), "http" | "https") {
        return Err(refuse(EndpointProblem::Scheme(url.scheme().to_owned())));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(EndpointProblem::Credentials));
    }
    Ok(url)
}

/// How requests reach `url` (a URL [`parse`] accepted); refused when that is cleartext to a
/// host that is not loopback and `allow_remote_cleartext` is false.
pub(crate) fn check(url: &Url, allow_remote_cleartext: bool) -> Result<EndpointSecurity> {
    let security = match url.scheme() {
        "https" => EndpointSecurity::Https,
        "http" if is_loopback(url) => EndpointSecurity::LoopbackCleartext,
        "http" => EndpointSecurity::RemoteCleartext,
        other => {
            return Err(Error::Endpoint {
                url: without_credentials(url),
                problem: EndpointProblem::Scheme(other.to_owned()),
            });
        }
    };
    if security == EndpointSecurity::RemoteCleartext && !allow_remote_cleartext {
        return Err(Error::Endpoint {
            url: without_credentials(url),
            problem: EndpointProblem::CleartextToRemoteHost,
        });
    }
    Ok(security)
}

/// Whether `url`'s host is loopback: an address in 127.0.0.0/8, `::1` (also as an IPv4-mapped
/// address), or the name `localhost` (RFC 6761; any case, with or without the final dot). No
/// other name counts, however it resolves.
pub(crate) fn is_loopback(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    // The URL parser writes IPv6 addresses in brackets and IPv4 ones in dotted-decimal form
    // (`127.1` becomes `127.0.0.1`).
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return v6.parse::<Ipv6Addr>().is_ok_and(|ip| {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        });
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return ip.is_loopback();
    }
    host.strip_suffix('.')
        .unwrap_or(host)
        .eq_ignore_ascii_case("localhost")
}

/// `url` as text without the password (and user name) it may carry, for error messages.
/// Text that is not a URL, shown with what may be credentials (anything between `://` and an
/// `@` before the path) replaced by `<redacted>`.
fn text_without_credentials(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else {
        return text.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest
        .get(..authority_end)
        .and_then(|authority| authority.rfind('@'))
    {
        Some(at) => format!(
            "{scheme}://<redacted>{}",
            rest.get(at..).unwrap_or_default()
        ),
        None => text.to_owned(),
    }
}

fn without_credentials(url: &Url) -> String {
    let mut shown = url.clone();
    // Fails only for URLs that cannot have credentials, which then carry none.
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    shown.to_string()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]

    use super::*;

    fn security(text: &str, allow: bool) -> Result<EndpointSecurity> {
        check(&parse(text)?, allow)
    }

    fn problem(text: &str, allow: bool) -> EndpointProblem {
        match security(text, allow) {
            Err(Error::Endpoint { problem, .. }) => problem,
            other => panic!("{text}: {other:?}"),
        }
    }

    #[test]
    fn https_is_accepted_anywhere() {
        for url in [
            "https://cognito-idp.eu-west-1.amazonaws.com/",
            "https://127.0.0.1:9443/",
            "https://[::1]/",
            "https://proxy.example.com:8443/cognito/",
        ] {
            assert_eq!(
                security(url, false).unwrap(),
                EndpointSecurity::Https,
                "{url}"
            );
        }
    }

    #[test]
    fn cleartext_is_accepted_for_loopback_hosts_only() {
        for url in [
            "http://127.0.0.1:9229/",
            "http://127.255.255.254/",
            "http://127.1/",
            "http://[::1]:8080/",
            "http://[::ffff:127.0.0.1]/",
            "http://localhost:9229/",
            "http://LOCALHOST/",
            "http://localhost./",
        ] {
            assert_eq!(
                security(url, false).unwrap(),
                EndpointSecurity::LoopbackCleartext,
                "{url}"
            );
        }
        for url in [
            "http://cognito-idp.eu-west-1.amazonaws.com/",
            "http://10.0.0.1:9229/",
            "http://192.0.2.1/",
            "http://0.0.0.0:9229/",
            "http://[::]/",
            "http://[::2]/",
            "http://[::ffff:10.0.0.1]/",
            "http://localhost.example.com/",
            "http://127.0.0.1.nip.io/",
            "http://my-localhost/",
        ] {
            assert_eq!(
                problem(url, false),
                EndpointProblem::CleartextToRemoteHost,
                "{url}"
            );
            assert_eq!(
                security(url, true).unwrap(),
                EndpointSecurity::RemoteCleartext,
                "{url}"
            );
        }
    }

    #[test]
    fn other_schemes_credentials_and_garbage_are_refused() {
        for (url, expected) in [
            ("ftp://127.0.0.1/", EndpointProblem::Scheme("ftp".into())),
            ("ws://localhost/", EndpointProblem::Scheme("ws".into())),
            ("file:///etc/passwd", EndpointProblem::Scheme("file".into())),
            ("https://user:pw@example.com/", EndpointProblem::Credentials),
            ("http://user@127.0.0.1/", EndpointProblem::Credentials),
        ] {
            // The opt-in changes none of these.
            assert_eq!(problem(url, true), expected, "{url}");
        }
        assert!(matches!(
            problem("not a url", true),
            EndpointProblem::NotUrl(_)
        ));
        assert!(matches!(problem("", true), EndpointProblem::NotUrl(_)));
    }

    #[test]
    fn text_that_is_not_a_url_is_shown_without_its_credentials() {
        let Err(Error::Endpoint { url, problem }) = parse("https://user:pass word@exa mple.com/x")
        else {
            panic!("not a URL");
        };
        assert!(matches!(problem, EndpointProblem::NotUrl(_)));
        assert_eq!(url, "https://<redacted>@exa mple.com/x");
        for (text, shown) in [
            ("not a url", "not a url"),
            ("http://exa mple.com/a@b", "http://exa mple.com/a@b"),
            ("https://a@b@c d/", "https://<redacted>@c d/"),
        ] {
            assert_eq!(text_without_credentials(text), shown);
        }
    }

    #[test]
    fn errors_name_the_url_without_its_password() {
        let err = security("https://alice:hunter2@example.com/x", false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("https://example.com/x"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        let err = security("http://192.0.2.1:9229/", false).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("http://192.0.2.1:9229/"), "{text}");
        assert!(text.contains("cleartext"), "{text}");
    }
}
