//! The hosted UI, pool side: app clients' OAuth settings ([`OAuthSettings`]), resource servers,
//! the checks of `/oauth2/authorize` and `/login`, authorization codes and sign-out URLs. The
//! token endpoint, revocation and `userInfo` are in `oauth_token`; HTTP (query strings, pages,
//! redirects) is `crate::http`'s.
//!
//! # `/oauth2/authorize` and `/login`
//!
//! Checked in this order:
//! 1. `client_id` names an app client and `redirect_uri` is one of its
//!    [`OAuthSettings::callback_urls`] (exactly); otherwise — and when either is repeated — the
//!    answer is a 400 error page, never a redirect (the redirect URI cannot be trusted).
//! 2. Everything else fails with a redirect to `redirect_uri` carrying `error`,
//!    `error_description` and `state`: any other parameter repeated, an `identity_provider`
//!    other than `COGNITO` or any `idp_identifier` → `invalid_request`; a `response_type`
//!    other than `code` → `unsupported_response_type`; a client without the
//!    [`OAuthFlow::Code`] flow → `unauthorized_client`; a scope the client may not ask for or
//!    no resource server defines → `invalid_scope` (no `scope`: all the client's scopes);
//!    `code_challenge_method` other than `S256` (`plain` included), a `code_challenge` that is
//!    not 43 base64url characters, a method without a challenge, or no challenge while
//!    [`OAuthSettings::require_pkce`] → `invalid_request`.
//! 3. `/login` with the right password of a confirmed user (by username, sub or an enabled
//!    alias) stores a code ([`AUTHORIZATION_CODE_LIFETIME_SECS`], single use) bound to the
//!    client, redirect URI, challenge, scopes, nonce and user, and redirects to
//!    `redirect_uri?code=<uuid>&state=<state>`. A wrong password, an unknown user, an
//!    unconfirmed user or one who must change a temporary password gets the form again with
//!    a message.
//!
//! # Choices
//!
//! - The emulator's hosted UI has no sessions (no cookie): every authorize shows the form.
//!   It has no MFA step and no new-password page either: MFA is not asked for, users in
//!   `FORCE_CHANGE_PASSWORD` are refused with a message.
//! - PKCE is required by default ([`OAuthSettings::require_pkce`]), stricter than Cognito, so
//!   that a client that forgets it is caught.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::UserPool;
use super::users::UserStatus;
use crate::urlencoded::{Params, append_query, serialize};

/// How long an authorization code works: 5 minutes.
pub const AUTHORIZATION_CODE_LIFETIME_SECS: u64 = 300;

/// The OAuth scopes every pool knows (besides its resource servers' `<identifier>/<scope>`).
pub const STANDARD_SCOPES: [&str; 5] = [
    "openid",
    "email",
    "phone",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// The only `identity_provider` the emulator's hosted UI knows: its own user directory.
pub const COGNITO_PROVIDER: &str = "COGNITO";

/// An OAuth 2.0 grant an app client may use (its `AllowedOAuthFlows`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OAuthFlow {
    /// The authorization-code grant through the hosted UI (`code`).
    Code,
    /// The client-credentials grant (`client_credentials`), for clients with a secret.
    ClientCredentials,
}

/// An app client's hosted-UI settings. `Default`: no OAuth at all (no flows, scopes or URLs;
/// PKCE required once flows are added). Set with [`UserPool::set_client_oauth`], or
/// [`UserPool::enable_hosted_ui`] for the usual hosted-UI client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OAuthSettings {
    /// The allowed `redirect_uri`s (`CallbackURLs`), compared exactly.
    pub callback_urls: Vec<String>,
    /// The allowed `logout_uri`s of `/logout` (`LogoutURLs`).
    pub logout_urls: Vec<String>,
    /// The allowed grants (`AllowedOAuthFlows`).
    pub flows: Vec<OAuthFlow>,
    /// The scopes the client may ask for (`AllowedOAuthScopes`): [`STANDARD_SCOPES`] and
    /// resource-server scopes `<identifier>/<scope>` ([`UserPool::add_resource_server`]).
    pub scopes: Vec<String>,
    /// Whether `/oauth2/authorize` requires a PKCE `code_challenge` (S256). Default `true`.
    pub require_pkce: bool,
}

impl Default for OAuthSettings {
    fn default() -> Self {
        Self {
            callback_urls: Vec::new(),
            logout_urls: Vec::new(),
            flows: Vec::new(),
            scopes: Vec::new(),
            require_pkce: true,
        }
    }
}

impl OAuthSettings {
    /// A hosted-UI client: the code grant, every one of [`STANDARD_SCOPES`], these callback
    /// and sign-out URLs, PKCE required.
    pub fn hosted_ui(callback_urls: &[&str], logout_urls: &[&str]) -> Self {
        Self {
            callback_urls: owned(callback_urls),
            logout_urls: owned(logout_urls),
            flows: alloc::vec![OAuthFlow::Code],
            scopes: owned(&STANDARD_SCOPES),
            require_pkce: true,
        }
    }

    /// A machine client: the client-credentials grant with these resource-server scopes
    /// (`<identifier>/<scope>`); the client needs a secret.
    pub fn client_credentials(scopes: &[&str]) -> Self {
        Self {
            flows: alloc::vec![OAuthFlow::ClientCredentials],
            scopes: owned(scopes),
            ..Self::default()
        }
    }

    pub(crate) fn allows(&self, flow: OAuthFlow) -> bool {
        self.flows.contains(&flow)
    }

    pub(crate) fn allows_scope(&self, scope: &str) -> bool {
        self.scopes.iter().any(|allowed| allowed == scope)
    }
}

fn owned(items: &[&str]) -> Vec<String> {
    items.iter().map(|item| (*item).to_owned()).collect()
}

/// The pool's hosted-UI state: resource servers and outstanding authorization codes.
#[derive(Debug, Clone, Default)]
pub(crate) struct OAuthState {
    /// Scope names by resource-server identifier.
    resource_servers: BTreeMap<String, Vec<String>>,
    codes: BTreeMap<String, AuthorizationCode>,
}

/// What an authorization code stands for.
#[derive(Debug, Clone)]
pub(crate) struct AuthorizationCode {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    /// The S256 `code_challenge`, if one was sent.
    pub(crate) code_challenge: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) nonce: Option<String>,
    pub(crate) sub: String,
    /// When the user signed in (the tokens' `auth_time`).
    pub(crate) auth_time: u64,
    pub(crate) expires_at: u64,
}

/// A checked `/oauth2/authorize` request.
#[derive(Debug, Clone)]
pub(crate) struct Authorization {
    pub(crate) client_id: String,
    pub(crate) redirect_uri: String,
    pub(crate) state: Option<String>,
    pub(crate) scopes: Vec<String>,
    pub(crate) code_challenge: Option<String>,
    pub(crate) nonce: Option<String>,
}

/// Why `/oauth2/authorize` (or `/login`) refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum AuthorizeError {
    /// The client or the redirect URI is not to be trusted: a 400 page with this message.
    Page(String),
    /// Redirect (302) to this URL: the redirect URI with `error`, `error_description`, `state`.
    Redirect(String),
}

/// Why `/login` did not sign the user in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum LoginError {
    /// The authorize parameters are wrong, as at `/oauth2/authorize`.
    Authorize(AuthorizeError),
    /// The credentials: show the form again with this message.
    Form(String),
}

/// Where `/logout` sends the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Logout {
    /// To this registered sign-out URL.
    SignedOut(String),
    /// To `/oauth2/authorize` with the same query (`response_type` and `redirect_uri` given).
    SignInAgain,
}

/// The parameters of `/oauth2/authorize` that must not be repeated.
const AUTHORIZE_PARAMS: [&str; 10] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
    "identity_provider",
    "idp_identifier",
    "nonce",
];

impl UserPool {
    /// Replaces the hosted-UI settings of an existing app client; `false` if there is no such
    /// client. Adding the client again resets them to the default (no OAuth).
    pub fn set_client_oauth(&mut self, client_id: &str, settings: OAuthSettings) -> bool {
        match self.clients.get_mut(client_id) {
            Some(client) => {
                client.oauth = settings;
                true
            }
            None => false,
        }
    }

    /// Sets an existing app client up for the hosted UI in one call:
    /// [`OAuthSettings::hosted_ui`] with these callback and sign-out URLs (the code grant with
    /// PKCE, every standard scope). `false` if there is no such client.
    pub fn enable_hosted_ui(
        &mut self,
        client_id: &str,
        callback_urls: &[&str],
        logout_urls: &[&str],
    ) -> bool {
        self.set_client_oauth(
            client_id,
            OAuthSettings::hosted_ui(callback_urls, logout_urls),
        )
    }

    /// An app client's hosted-UI settings.
    pub fn client_oauth(&self, client_id: &str) -> Option<&OAuthSettings> {
        self.clients.get(client_id).map(|client| &client.oauth)
    }

    /// Adds (or replaces) a resource server: its scopes are `<identifier>/<scope>` for each of
    /// `scopes` (e.g. identifier `https://api.example.com`, scope `read`). A client still needs
    /// them in its [`OAuthSettings::scopes`].
    pub fn add_resource_server(&mut self, identifier: &str, scopes: &[&str]) {
        self.oauth
            .resource_servers
            .insert(identifier.to_owned(), owned(scopes));
    }

    /// Every resource-server scope of the pool, `<identifier>/<scope>`.
    pub fn resource_server_scopes(&self) -> Vec<String> {
        self.oauth
            .resource_servers
            .iter()
            .flat_map(|(id, scopes)| scopes.iter().map(move |scope| format!("{id}/{scope}")))
            .collect()
    }

    /// Whether `scope` is a resource-server scope of this pool.
    pub(crate) fn is_resource_server_scope(&self, scope: &str) -> bool {
        self.oauth.resource_servers.iter().any(|(id, scopes)| {
            scope
                .strip_prefix(id.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|name| scopes.iter().any(|s| s == name))
        })
    }

    /// Whether the pool knows `scope`: a standard scope or a resource server's.
    pub(crate) fn scope_exists(&self, scope: &str) -> bool {
        STANDARD_SCOPES.contains(&scope) || self.is_resource_server_scope(scope)
    }

    /// Checks an `/oauth2/authorize` (or `/login`) query; see the module documentation.
    pub(crate) fn oauth_authorize(&self, query: &Params) -> Result<Authorization, AuthorizeError> {
        if let Some(name) = query.repeated(&["client_id", "redirect_uri"]) {
            return Err(AuthorizeError::Page(format!(
                "The parameter {name} is repeated."
            )));
        }
        let client_id = query.get("client_id").ok_or_else(|| {
            AuthorizeError::Page("Required String parameter 'client_id' is not present".to_owned())
        })?;
        let client = self.clients.get(client_id).ok_or_else(|| {
            AuthorizeError::Page("Invalid client_id: no such app client".to_owned())
        })?;
        let redirect_uri = query.get("redirect_uri").ok_or_else(|| {
            AuthorizeError::Page(
                "Required String parameter 'redirect_uri' is not present".to_owned(),
            )
        })?;
        if !client
            .oauth
            .callback_urls
            .iter()
            .any(|url| url == redirect_uri)
        {
            return Err(AuthorizeError::Page("redirect_mismatch".to_owned()));
        }
        let state = query.get("state");
        let fail = |error: &str, description: &str| {
            AuthorizeError::Redirect(error_location(redirect_uri, error, description, state))
        };
        if let Some(name) = query.repeated(&AUTHORIZE_PARAMS) {
            return Err(fail(
                "invalid_request",
                &format!("The parameter {name} is repeated."),
            ));
        }
        match query.get("response_type") {
            Some("code") => {}
            Some(_) => {
                return Err(fail(
                    "unsupported_response_type",
                    "response_type must be code",
                ));
            }
            None => return Err(fail("invalid_request", "response_type is required")),
        }
        if !client.oauth.allows(OAuthFlow::Code) {
            return Err(fail(
                "unauthorized_client",
                "The client is not allowed the code grant",
            ));
        }
        if query
            .get("identity_provider")
            .is_some_and(|idp| idp != COGNITO_PROVIDER)
            || query.get("idp_identifier").is_some()
        {
            return Err(fail("invalid_request", "Unknown identity provider"));
        }
        let scopes = self
            .requested_scopes(&client.oauth, query.get("scope"))
            .ok_or_else(|| fail("invalid_scope", "Invalid scope requested"))?;
        let code_challenge = pkce_challenge(&client.oauth, query)
            .map_err(|description| fail("invalid_request", description))?;
        Ok(Authorization {
            client_id: client_id.to_owned(),
            redirect_uri: redirect_uri.to_owned(),
            state: state.map(ToOwned::to_owned),
            scopes,
            code_challenge,
            nonce: query.get("nonce").map(ToOwned::to_owned),
        })
    }

    /// The scopes of a space-separated `scope` parameter (deduplicated, in order), or all the
    /// client's when there is none; `None` if one is not allowed or does not exist.
    fn requested_scopes(&self, oauth: &OAuthSettings, scope: Option<&str>) -> Option<Vec<String>> {
        let Some(scope) = scope else {
            return Some(oauth.scopes.clone());
        };
        let mut scopes: Vec<String> = Vec::new();
        for name in scope.split(' ').filter(|name| !name.is_empty()) {
            if !oauth.allows_scope(name) || !self.scope_exists(name) {
                return None;
            }
            if !scopes.iter().any(|s| s == name) {
                scopes.push(name.to_owned());
            }
        }
        Some(scopes)
    }

    /// `/login`: checks the query as `/oauth2/authorize` does, then `username` and `password`
    /// from the form; on success stores a code and returns the redirect URL that carries it.
    pub(crate) fn oauth_login(
        &mut self,
        query: &Params,
        form: &Params,
    ) -> Result<String, LoginError> {
        let authorization = self.oauth_authorize(query).map_err(LoginError::Authorize)?;
        let refused = || LoginError::Form("Incorrect username or password.".to_owned());
        let (Some(username), Some(password)) = (form.get("username"), form.get("password")) else {
            return Err(refused());
        };
        let user = self
            .users
            .find_for_sign_in(username, self.aliases)
            .ok_or_else(refused)?;
        if !user.password_matches(&self.pool_name, password) {
            return Err(refused());
        }
        match user.status {
            UserStatus::Confirmed => {}
            UserStatus::Unconfirmed => {
                return Err(LoginError::Form("User is not confirmed.".to_owned()));
            }
            UserStatus::ForceChangePassword => {
                return Err(LoginError::Form(
                    "The user must change a temporary password, which the emulator's hosted UI cannot do."
                        .to_owned(),
                ));
            }
        }
        let sub = user.sub.clone();
        let code = self.rng.uuid();
        let now = self.now;
        self.oauth.codes.retain(|_, code| code.expires_at > now);
        self.oauth.codes.insert(
            code.clone(),
            AuthorizationCode {
                client_id: authorization.client_id,
                redirect_uri: authorization.redirect_uri.clone(),
                code_challenge: authorization.code_challenge,
                scopes: authorization.scopes,
                nonce: authorization.nonce,
                sub,
                auth_time: now,
                expires_at: now + AUTHORIZATION_CODE_LIFETIME_SECS,
            },
        );
        let mut pairs = alloc::vec![("code", code.as_str())];
        if let Some(state) = &authorization.state {
            pairs.push(("state", state));
        }
        Ok(append_query(
            &authorization.redirect_uri,
            &serialize(&pairs),
        ))
    }

    /// Takes an authorization code out of the store (a code works once, whatever the outcome).
    pub(crate) fn take_authorization_code(&mut self, code: &str) -> Option<AuthorizationCode> {
        self.oauth.codes.remove(code)
    }

    /// `/logout`: see [`Logout`]; `Err` is the message of a 400 page.
    pub(crate) fn oauth_logout(&self, query: &Params) -> Result<Logout, String> {
        let client_id = query
            .get("client_id")
            .ok_or("Required String parameter 'client_id' is not present")?;
        let client = self
            .clients
            .get(client_id)
            .ok_or("Invalid client_id: no such app client")?;
        if let Some(logout_uri) = query.get("logout_uri") {
            return if client.oauth.logout_urls.iter().any(|url| url == logout_uri) {
                Ok(Logout::SignedOut(logout_uri.to_owned()))
            } else {
                Err("The logout_uri is not one of the client's sign-out URLs.".to_owned())
            };
        }
        if query.get("response_type").is_some() && query.get("redirect_uri").is_some() {
            return Ok(Logout::SignInAgain);
        }
        Err("Required String parameter 'logout_uri' (or 'redirect_uri' and 'response_type') is not present".to_owned())
    }
}

/// The S256 challenge of an authorize query, `None` without PKCE; `Err` is the
/// `error_description` of an `invalid_request`.
fn pkce_challenge(oauth: &OAuthSettings, query: &Params) -> Result<Option<String>, &'static str> {
    match (
        query.get("code_challenge"),
        query.get("code_challenge_method"),
    ) {
        (None, None) if oauth.require_pkce => Err("code_challenge is required"),
        (None, None) => Ok(None),
        (None, Some(_)) => Err("code_challenge_method without code_challenge"),
        (Some(_), None) => Err("code_challenge_method is required (S256)"),
        (Some(_), Some(method)) if method != "S256" => {
            Err("Unsupported code_challenge_method: only S256 is supported")
        }
        (Some(challenge), Some(_)) => {
            let well_formed = challenge.len() == 43
                && challenge
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
            if well_formed {
                Ok(Some(challenge.to_owned()))
            } else {
                Err("code_challenge must be 43 base64url characters (S256)")
            }
        }
    }
}

/// `redirect_uri` with `error`, `error_description` and `state` (when there is one).
fn error_location(
    redirect_uri: &str,
    error: &str,
    description: &str,
    state: Option<&str>,
) -> String {
    let mut pairs = alloc::vec![("error", error), ("error_description", description)];
    if let Some(state) = state {
        pairs.push(("state", state));
    }
    append_query(redirect_uri, &serialize(&pairs))
}
