//! The hosted-UI endpoints over HTTP: query strings and form bodies in, pages, redirects and
//! OAuth JSON out. What each endpoint checks is the pool's (`crate::pool`'s `oauth` and
//! `oauth_token` modules); see the [module documentation](super) for the routes.

use alloc::borrow::ToOwned;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use base64ct::{Base64, Encoding};
use serde_json::{Map, Value};

use super::server::{HttpRequest, HttpResponse, Shared, with_pool};
use crate::pool::{AuthorizeError, ClientCredentials, LoginError, Logout, OAuthError};
use crate::urlencoded::{self, Params};

/// The content type of the OAuth JSON replies.
const OAUTH_JSON: &str = "application/json;charset=UTF-8";
/// The content type of the pages.
const HTML: &str = "text/html;charset=UTF-8";
/// The content type token, revoke and login requests must have.
const FORM: &str = "application/x-www-form-urlencoded";

/// `GET /oauth2/authorize` (and `GET /login`): the sign-in form, or an error page or redirect.
pub(super) fn authorize(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let Some(query) = query_params(request) else {
        return bad_query();
    };
    match with_pool(shared, |pool| pool.oauth_authorize(&query).map(|_| ())) {
        None => internal_error(),
        Some(Ok(())) => login_form(raw_query(request), None),
        Some(Err(error)) => authorize_error(error),
    }
}

/// `POST /login`: the form's `username` and `password` against the pool.
pub(super) fn login(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let Some(query) = query_params(request) else {
        return bad_query();
    };
    let form = if is_form(request) {
        form_params(request)
    } else {
        None
    };
    let Some(form) = form else {
        return page(
            400,
            "invalid_request: the sign-in form must be sent as application/x-www-form-urlencoded",
        );
    };
    match with_pool(shared, |pool| pool.oauth_login(&query, &form)) {
        None => internal_error(),
        Some(Ok(location)) => redirect(&location),
        Some(Err(LoginError::Authorize(error))) => authorize_error(error),
        Some(Err(LoginError::Form(message))) => login_form(raw_query(request), Some(&message)),
    }
}

/// `POST /oauth2/token`.
pub(super) fn token(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let form = match checked_form(request) {
        Ok(form) => form,
        Err(error) => return oauth_error(&error),
    };
    let credentials = client_credentials(request);
    match with_pool(shared, |pool| pool.oauth_token(&credentials, &form)) {
        None => internal_error(),
        Some(Ok(body)) => oauth_json(200, &body)
            .with_header("Cache-Control", "no-store".to_owned())
            .with_header("Pragma", "no-cache".to_owned()),
        Some(Err(error)) => oauth_error(&error),
    }
}

/// `POST /oauth2/revoke`: 200 with an empty body.
pub(super) fn revoke(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let form = match checked_form(request) {
        Ok(form) => form,
        Err(error) => return oauth_error(&error),
    };
    let credentials = client_credentials(request);
    match with_pool(shared, |pool| pool.oauth_revoke(&credentials, &form)) {
        None => internal_error(),
        Some(Ok(())) => HttpResponse {
            status: 200,
            content_type: OAUTH_JSON,
            headers: Vec::new(),
            body: Vec::new(),
        },
        Some(Err(error)) => oauth_error(&error),
    }
}

/// `GET` / `POST /oauth2/userInfo` with `Authorization: Bearer <access token>`.
pub(super) fn user_info(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let token = request.header("authorization").and_then(|value| {
        let (scheme, token) = value.trim().split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim())
            .filter(|token| !token.is_empty())
    });
    let result = match token {
        None => Err(OAuthError {
            status: 401,
            error: "invalid_request",
            description: Some("A bearer access token is required".to_owned()),
        }),
        Some(token) => match with_pool(shared, |pool| pool.oauth_user_info(token)) {
            None => return internal_error(),
            Some(result) => result,
        },
    };
    match result {
        Ok(body) => oauth_json(200, &body),
        Err(error) => {
            let mut challenge = format!("Bearer error=\"{}\"", error.error);
            if let Some(description) = &error.description {
                challenge.push_str(&format!(", error_description=\"{description}\""));
            }
            oauth_error(&error).with_header("WWW-Authenticate", challenge)
        }
    }
}

/// `GET /logout`: to a sign-out URL, or back to the sign-in form.
pub(super) fn logout(shared: &Shared, request: &HttpRequest) -> HttpResponse {
    let Some(query) = query_params(request) else {
        return bad_query();
    };
    match with_pool(shared, |pool| pool.oauth_logout(&query)) {
        None => internal_error(),
        Some(Ok(Logout::SignedOut(location))) => redirect(&location),
        Some(Ok(Logout::SignInAgain)) => {
            let path = format!("/oauth2/authorize?{}", raw_query(request));
            let location = match request.header("host") {
                Some(host) if is_host(host) => {
                    let scheme = if shared.tls.is_some() {
                        "https"
                    } else {
                        "http"
                    };
                    format!("{scheme}://{host}{path}")
                }
                _ => path,
            };
            redirect(&location)
        }
        Some(Err(message)) => page(400, &message),
    }
}

/// Whether a `Host` header is a plain `host[:port]` that may go into a URL.
fn is_host(host: &str) -> bool {
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-.:[]".contains(&b))
}

/// The query string of the request target, undecoded (empty without one).
fn raw_query(request: &HttpRequest) -> &str {
    request.path.split_once('?').map_or("", |(_, query)| query)
}

fn query_params(request: &HttpRequest) -> Option<Params> {
    Params::parse(raw_query(request))
}

fn form_params(request: &HttpRequest) -> Option<Params> {
    core::str::from_utf8(&request.body)
        .ok()
        .and_then(Params::parse)
}

/// Whether the request's `Content-Type` is `application/x-www-form-urlencoded` (parameters
/// such as `charset` allowed).
fn is_form(request: &HttpRequest) -> bool {
    request.header("content-type").is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case(FORM))
    })
}

/// The form body of a token or revoke request; `invalid_request` for another content type or
/// a body that does not decode.
fn checked_form(request: &HttpRequest) -> Result<Params, OAuthError> {
    if !is_form(request) {
        return Err(OAuthError::bad(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    form_params(request)
        .ok_or_else(|| OAuthError::bad("invalid_request", "The body is not valid form encoding"))
}

/// The client's Basic credentials, if any (other schemes are ignored).
fn client_credentials(request: &HttpRequest) -> ClientCredentials {
    let Some(value) = request.header("authorization") else {
        return ClientCredentials::None;
    };
    let (scheme, encoded) = value.trim().split_once(' ').unwrap_or((value.trim(), ""));
    if !scheme.eq_ignore_ascii_case("basic") {
        return ClientCredentials::None;
    }
    Base64::decode_vec(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (id, secret) = text.split_once(':')?;
            Some(ClientCredentials::Basic {
                id: urlencoded::decode(id)?,
                secret: urlencoded::decode(secret)?,
            })
        })
        .unwrap_or(ClientCredentials::Malformed)
}

fn authorize_error(error: AuthorizeError) -> HttpResponse {
    match error {
        AuthorizeError::Page(message) => page(400, &message),
        AuthorizeError::Redirect(location) => redirect(&location),
    }
}

fn bad_query() -> HttpResponse {
    page(
        400,
        "invalid_request: the query string is not valid percent-encoding",
    )
}

fn internal_error() -> HttpResponse {
    page(500, "The emulator failed on this request.")
}

/// `302 Found` to `location` (line breaks dropped, so it cannot split the header).
fn redirect(location: &str) -> HttpResponse {
    HttpResponse {
        status: 302,
        content_type: HTML,
        headers: Vec::new(),
        body: Vec::new(),
    }
    .with_header("Location", location.replace(['\r', '\n'], ""))
    .with_header("Cache-Control", "no-store".to_owned())
}

fn oauth_json(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        content_type: OAUTH_JSON,
        headers: Vec::new(),
        body: body.to_string().into_bytes(),
    }
}

/// `{"error": .., "error_description": ..}` with the error's status.
fn oauth_error(error: &OAuthError) -> HttpResponse {
    let mut body = Map::new();
    body.insert("error".to_owned(), Value::String(error.error.to_owned()));
    if let Some(description) = &error.description {
        body.insert(
            "error_description".to_owned(),
            Value::String(description.clone()),
        );
    }
    oauth_json(error.status, &Value::Object(body))
}

/// An HTML page with `title` and the paragraphs of `body` (already escaped).
fn html(status: u16, title: &str, body: &str) -> HttpResponse {
    let text = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{title}</title></head>\n\
         <body>\n<h1>{title}</h1>\n{body}</body></html>\n"
    );
    HttpResponse {
        status,
        content_type: HTML,
        headers: Vec::new(),
        body: text.into_bytes(),
    }
}

/// An error page: `<p class="error">message</p>`.
fn page(status: u16, message: &str) -> HttpResponse {
    html(
        status,
        "Error",
        &format!("<p class=\"error\">{}</p>\n", escape_html(message)),
    )
}

/// The sign-in form, posting to `/login` with the authorize query; with `error` above it.
fn login_form(query: &str, error: Option<&str>) -> HttpResponse {
    let mut body = String::new();
    if let Some(error) = error {
        body.push_str(&format!("<p class=\"error\">{}</p>\n", escape_html(error)));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"/login?{}\">\n\
         <label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\"></label>\n\
         <label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n\
         <button type=\"submit\" name=\"signInSubmitButton\" value=\"Sign in\">Sign in</button>\n\
         </form>\n",
        escape_html(query)
    ));
    html(200, "Sign in", &body)
}

/// Escapes `& < > " '` for HTML text and attribute values.
fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}
