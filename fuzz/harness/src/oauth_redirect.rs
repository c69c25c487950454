//! `oauth::read_redirect` (and the percent reader under it, `oauth::Encoded` / `Pairs`) on
//! arbitrary redirects, and the authorize and logout URLs' encoding.
//!
//! Input: a mode byte.
//! * even: the expected `state` (up to the first `0x00`), then the URL (both read as UTF-8,
//!   invalid bytes replaced). `read_redirect` returns exactly what the reference
//!   ([`crate::oauth_ref::read_redirect`]: a simple query splitter and percent decoder) predicts:
//!   a repeated, foreign or (without an `error`) missing `state` refused, an `error` parameter
//!   as `Error::OAuth` with its decoded code and description, else the decoded code or the
//!   precise field error. `Pairs` splits the query as the reference does; every value's
//!   `Encoded` accessors agree with the reference decoder (`is_valid`, `decoded_len`,
//!   `decode_into` with the buffer contract, `to_fixed`), and `ct_eq` is plain decoded equality.
//!   `redirect_state` gives the reference's one decoded, non-empty `state` of at most 128 bytes;
//!   `HostedSignIn::restore` takes the URL as saved text without panicking, and what it accepts
//!   saves back to text that restores to the same sign-in.
//! * odd: a flag byte, then `code`, `state`, `error`, `error_description` and an extra
//!   parameter name, split by `0x00`. A redirect is built from them with a reference encoder
//!   (strict, lower-case hex, `+` for spaces, or leaving query-safe characters alone; by the
//!   flags, also: an `error`, the order, a foreign expected state, a fragment, the extra
//!   parameter, `state` as the core's authorize URL encodes it). `read_redirect` gives the code
//!   back unchanged when it is a valid one, else the documented error, and agrees with the
//!   reference. The authorize URL (state, nonce, redirect URI) and the logout URL are exactly
//!   the reference's strict encoding, and each encoded value decodes back.

use cognito_core::Error;
use cognito_core::oauth::{
    Authorize, AuthorizeOptions, Encoded, HostedSignIn, Logout, MAX_SAVED_HOSTED_SIGN_IN_LEN,
    OAuthClient, OAuthError, Pairs, PoolDomain, Scopes, read_redirect, redirect_state,
};

use crate::oauth_ref::{self, RefErr, RefOAuth, Style};

/// The harness.
pub fn oauth_redirect(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        let (state, url) = match rest.iter().position(|&b| b == 0) {
            Some(i) => (&rest[..i], &rest[i + 1..]),
            None => (&[][..], rest),
        };
        let state = String::from_utf8_lossy(state);
        let url = String::from_utf8_lossy(url);
        check_redirect(&url, &state);
        check_pairs(&url, &state);
        check_state_and_saved(&url, &state);
    } else {
        round_trip(rest);
    }
}

/// `read_redirect` against the reference.
fn check_redirect(url: &str, expected_state: &str) {
    let ours = read_redirect(url, expected_state);
    let theirs = oauth_ref::read_redirect(url, expected_state);
    match (&ours, &theirs) {
        (Ok(code), Ok(expected)) => {
            assert_eq!(code.as_str(), expected);
            assert_eq!(format!("{code:?}"), "AuthorizationCode(<redacted>)");
        }
        (Err(Error::Protocol(a)), Err(RefErr::Protocol(b))) => assert_eq!(a, b, "{url:?}"),
        (Err(Error::OAuth(e)), Err(RefErr::OAuth(expected))) => check_oauth(e, expected),
        _ => panic!(
            "read_redirect({url:?}, {expected_state:?}): core {ours:?}, reference {theirs:?}"
        ),
    }
}

/// `redirect_state` against the reference; `HostedSignIn::restore` on arbitrary text (the
/// expected state as the client id), and a round trip through `save` for what it accepts.
fn check_state_and_saved(url: &str, client_id: &str) {
    let expected = match oauth_ref::unique(&oauth_ref::query_pairs(url), "state") {
        Ok(Some(raw)) => oauth_ref::decode_text(raw).filter(|s| !s.is_empty() && s.len() <= 128),
        _ => None,
    };
    assert_eq!(
        redirect_state(url).as_deref(),
        expected.as_deref(),
        "{url:?}"
    );

    let client = OAuthClient::public(client_id);
    if let Ok(restored) = HostedSignIn::restore(client, url) {
        let mut buf = vec![0u8; MAX_SAVED_HOSTED_SIGN_IN_LEN];
        let saved = restored.save(&mut buf).expect("a restored sign-in saves");
        let again = HostedSignIn::restore(client, saved).expect("saved text restores");
        assert_eq!(again.state(), restored.state());
        assert_eq!(again.redirect_uri(), restored.redirect_uri());
        assert_eq!(again.scopes(), restored.scopes());
        let mut buf2 = vec![0u8; MAX_SAVED_HOSTED_SIGN_IN_LEN];
        assert_eq!(again.save(&mut buf2).ok(), Some(saved));
    }
}

/// An OAuth error against the reference's.
pub(crate) fn check_oauth(e: &OAuthError, expected: &RefOAuth) {
    assert_eq!(e.status(), expected.status);
    for (got, want, max) in [
        (e.code(), &expected.code, oauth_ref::ERROR_LEN),
        (
            e.description(),
            &expected.description,
            oauth_ref::DESCRIPTION_LEN,
        ),
    ] {
        match want {
            Some(want) => assert_eq!(got, want),
            // Left open: printable ASCII or U+FFFD, within the limit.
            None => {
                assert!(got.len() <= max);
                if expected.status.is_none() {
                    assert!(
                        got.chars()
                            .all(|c| (' '..='~').contains(&c) || c == '\u{FFFD}')
                    );
                }
            }
        }
    }
    let known = [
        "invalid_request",
        "invalid_client",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
        "access_denied",
        "unsupported_response_type",
        "server_error",
        "temporarily_unavailable",
        "invalid_token",
        "insufficient_scope",
        "unsupported_token_type",
    ];
    let kind = format!("{:?}", e.kind());
    if known.contains(&e.code()) {
        let camel: String = e
            .code()
            .split('_')
            .map(|w| w[..1].to_uppercase() + &w[1..])
            .collect();
        assert_eq!(kind, camel);
    } else {
        assert_eq!(kind, "Other");
    }
    assert_eq!(
        e.is_retryable(),
        matches!(e.code(), "server_error" | "temporarily_unavailable")
            || e.status().is_some_and(|s| s == 429 || s >= 500)
    );
    let shown = format!("{e}");
    assert!(shown.contains(e.code()));
    let _ = format!("{e:?}");
}

/// `Pairs` and every value's `Encoded` against the reference.
fn check_pairs(url: &str, expected: &str) {
    let query = url
        .split('#')
        .next()
        .and_then(|u| u.split_once('?'))
        .map_or("", |(_, q)| q);
    let pairs = Pairs::new(query);
    let ours: Vec<(&str, &str)> = pairs.iter().map(|(n, v)| (n.raw(), v.raw())).collect();
    assert_eq!(ours, oauth_ref::query_pairs(url));
    for name in ["state", "code", "error"] {
        let unique = pairs.unique(name).map(|v| v.map(|e| e.raw()));
        assert_eq!(unique, oauth_ref::unique(&ours, name));
    }
    for (name, value) in pairs.iter().take(16) {
        check_encoded(&name, expected);
        check_encoded(&value, expected);
    }
}

/// One `Encoded` against the reference decoder.
fn check_encoded(encoded: &Encoded<'_>, expected: &str) {
    let decoded = oauth_ref::decode(encoded.raw());
    let text = decoded.clone().and_then(|d| String::from_utf8(d).ok());
    assert_eq!(encoded.is_valid(), text.is_some());
    assert_eq!(encoded.decoded_len(), text.as_ref().map(String::len));
    // The decoded bytes up to the first malformed escape.
    let bytes: Vec<u8> = encoded.bytes().map_while(|b| b).collect();
    if let Some(d) = &decoded {
        assert_eq!(&bytes, d);
        assert!(encoded.bytes().all(|b| b.is_some()));
    } else {
        assert!(encoded.bytes().any(|b| b.is_none()));
    }
    assert_eq!(
        encoded.ct_eq(expected),
        decoded.as_deref() == Some(expected.as_bytes())
    );
    if let Some(text) = &text {
        assert!(encoded.ct_eq(text));
        let mut buf = vec![0xAAu8; text.len() + 1];
        assert_eq!(
            encoded.decode_into(&mut buf).map(str::to_owned),
            Some(text.clone())
        );
        if !text.is_empty() {
            let mut short = vec![0u8; text.len() - 1];
            assert_eq!(encoded.decode_into(&mut short), None);
        }
        let fixed = encoded.to_fixed::<32>();
        assert_eq!(
            fixed.as_ref().map(|f| f.as_str()),
            (text.len() <= 32).then_some(text.as_str())
        );
    } else {
        assert_eq!(encoded.decode_into(&mut [0u8; 64]), None);
        assert_eq!(encoded.to_fixed::<64>(), None);
    }
}

/// Values written with the reference encoder (or the core's) and read back.
fn round_trip(rest: &[u8]) {
    let Some((&flags, rest)) = rest.split_first() else {
        return;
    };
    let mut fields = rest.split(|&b| b == 0).map(String::from_utf8_lossy);
    let mut next = || fields.next().unwrap_or_default().into_owned();
    let (code, state, error, description, extra) = (next(), next(), next(), next(), next());
    let style = [
        Style::Strict,
        Style::LowerHex,
        Style::PlusForSpace,
        Style::Loose,
    ][usize::from(flags & 3)];
    let with_error = flags & 4 != 0;
    let code_first = flags & 8 != 0;
    let foreign = flags & 16 != 0;
    let fragment = flags & 32 != 0;
    let with_extra = flags & 64 != 0;
    let core_state = flags & 128 != 0 && !state.is_empty();

    let enc = |s: &str| oauth_ref::encode(s.as_bytes(), style);
    let encoded_state = if core_state {
        authorize_state(&state, &code, &extra)
    } else {
        enc(&state)
    };
    let mut params = vec![format!("state={encoded_state}")];
    let code_param = format!("code={}", enc(&code));
    if code_first {
        params.insert(0, code_param);
    } else {
        params.push(code_param);
    }
    if with_error {
        params.push(format!(
            "error={}&error_description={}",
            enc(&error),
            enc(&description)
        ));
    }
    if with_extra {
        params.insert(1, format!("{}=1", enc(&extra)));
    }
    let prefix = [
        "http://127.0.0.1:8400/callback?",
        "/callback?",
        "myapp://cb/?",
    ][state.len() % 3];
    let mut url = format!("{prefix}{}", params.join("&"));
    if fragment {
        url.push_str("#state=forged&code=forged&error=x");
    }
    let expected_state = if foreign {
        format!("{state}!")
    } else {
        state.clone()
    };

    // The state as written decodes to itself, and compares equal to it alone.
    let written = Encoded::new(&encoded_state);
    assert!(written.ct_eq(&state));
    assert_eq!(written.ct_eq(&code), state == code);
    assert_eq!(written.ct_eq(&expected_state), !foreign);

    check_redirect(&url, &expected_state);
    check_pairs(&url, &expected_state);

    // Where nothing else decides, the code comes back unchanged (or is refused as documented).
    let extra_is_special =
        ["state", "code", "error", "error_description"].contains(&extra.as_str());
    if !(with_error || foreign || (with_extra && extra_is_special)) {
        let got = read_redirect(&url, &expected_state);
        let valid = !code.is_empty()
            && code.len() <= oauth_ref::CODE_LEN
            && code.bytes().all(|b| b.is_ascii_graphic());
        match got {
            Ok(c) => {
                assert!(valid, "{code:?} accepted");
                assert_eq!(c.as_str(), code);
            }
            Err(e) => assert!(!valid, "{code:?} refused: {e:?}"),
        }
    }

    // The logout URL, exactly.
    if !error.is_empty() && !description.is_empty() {
        let domain = PoolDomain::parse("https://auth.example.com").unwrap();
        let mut buf = vec![0u8; 3 * (error.len() + description.len()) + 128];
        let url = Logout {
            client_id: &error,
            logout_uri: &description,
        }
        .write_url(&domain, &mut buf)
        .unwrap();
        assert_eq!(
            url,
            format!(
                "https://auth.example.com/logout?{}",
                oauth_ref::form(&[("client_id", &error), ("logout_uri", &description)])
            )
        );
    }
}

/// The `state` of the authorize URL the core writes (with `code` as its nonce and `extra` as its
/// redirect URI, when not empty), after checking the whole URL against the reference's strict
/// encoding; returns the encoded state as it appears there.
fn authorize_state(state: &str, nonce: &str, redirect_uri: &str) -> String {
    let domain = PoolDomain::parse("https://auth.example.com").unwrap();
    let redirect_uri = if redirect_uri.is_empty() {
        "myapp://cb"
    } else {
        redirect_uri
    };
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let authorize = Authorize {
        client_id: "1example23456789",
        redirect_uri,
        scopes: Scopes::new("openid email"),
        state,
        code_challenge: challenge,
        options: AuthorizeOptions {
            nonce: (!nonce.is_empty()).then_some(nonce),
            ..AuthorizeOptions::default()
        },
    };
    let mut buf = vec![0u8; 3 * (state.len() + nonce.len() + redirect_uri.len()) + 512];
    let url = authorize.write_url(&domain, &mut buf).unwrap();
    let mut pairs = vec![
        ("response_type", "code"),
        ("client_id", "1example23456789"),
        ("redirect_uri", redirect_uri),
        ("scope", "openid email"),
        ("state", state),
        ("code_challenge", challenge),
        ("code_challenge_method", "S256"),
    ];
    if !nonce.is_empty() {
        pairs.push(("nonce", nonce));
    }
    assert_eq!(
        url,
        format!(
            "https://auth.example.com/oauth2/authorize?{}",
            oauth_ref::form(&pairs)
        )
    );
    // Every value decodes back to what was given.
    let written = oauth_ref::query_pairs(url);
    for ((name, value), (_, given)) in written.iter().zip(&pairs) {
        assert_eq!(
            oauth_ref::decode(value).as_deref(),
            Some(given.as_bytes()),
            "{name}"
        );
    }
    let (_, encoded) = written.iter().find(|(n, _)| *n == "state").unwrap();
    (*encoded).to_owned()
}
