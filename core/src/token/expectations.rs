//! What a verified token must claim: issuer, token use, app client, lifetime, scope, group; and
//! the check of [`Claims`] against it, without heap.

use super::claims::{Claims, TokenUse};
use super::error::TokenError;
use super::verify_error::VerifyError;
use crate::time::UnixTime;
use crate::wire::JsonStr;

/// Which kind of token is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExpectedUse {
    /// Access tokens only (`token_use` `access`): what an API behind Cognito should accept.
    Access,
    /// ID tokens only (`token_use` `id`).
    Id,
    /// Either; anything else (a missing or unknown `token_use`) is still refused.
    Either,
}

/// The expectations a token's claims are checked against ([`check_claims`]), built from the
/// issuer up. By default: either token use, any app client, no leeway, no scope or group
/// required.
///
/// **Set the app client(s)**: without [`client_ids`](Self::client_ids), a token minted for any
/// app client of the pool is accepted.
///
/// ```
/// use cognito_core::token::{Claims, ExpectedUse, Expectations, VerifyError, check_claims};
/// use cognito_core::time::UnixTime;
/// let iss = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC";
/// let expect = Expectations::new(iss)
///     .token_use(ExpectedUse::Access)
///     .client_ids(&["client1"])
///     .leeway_secs(60)
///     .scope("orders/read");
/// let claims = Claims::from_json(
///     br#"{"iss":"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC","token_use":"access",
///          "client_id":"client1","exp":1000,"iat":400,"scope":"openid orders/read"}"#,
/// )?;
/// assert_eq!(check_claims(&claims, &expect, UnixTime::from_secs(900)), Ok(()));
/// assert_eq!(check_claims(&claims, &expect, UnixTime::from_secs(1060)), Err(VerifyError::Expired));
/// assert_eq!(check_claims(&claims, &expect.scope("orders/write"), UnixTime::from_secs(900)),
///            Err(VerifyError::MissingScope));
/// # Ok::<(), VerifyError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expectations<'e> {
    issuer: &'e str,
    token_use: ExpectedUse,
    client_ids: Option<&'e [&'e str]>,
    leeway_secs: u64,
    scope: Option<&'e str>,
    group: Option<&'e str>,
}

impl<'e> Expectations<'e> {
    /// Tokens of `issuer` (for a user pool: [`super::IssuerFormat::issuer`]; a pool switched
    /// to the updated format has tokens of both, [`super::which_issuer`] tells which one a
    /// token names, and so which key set to verify it with).
    #[must_use]
    pub const fn new(issuer: &'e str) -> Self {
        Self {
            issuer,
            token_use: ExpectedUse::Either,
            client_ids: None,
            leeway_secs: 0,
            scope: None,
            group: None,
        }
    }

    /// Accepts only this kind of token.
    #[must_use]
    pub const fn token_use(mut self, token_use: ExpectedUse) -> Self {
        self.token_use = token_use;
        self
    }

    /// Accepts only tokens for one of these app clients: `client_id` of access tokens, `aud` of
    /// ID tokens. An empty list accepts no token.
    #[must_use]
    pub const fn client_ids(mut self, client_ids: &'e [&'e str]) -> Self {
        self.client_ids = Some(client_ids);
        self
    }

    /// Tolerates this much clock difference for `exp`, `iat` and `nbf`.
    #[must_use]
    pub const fn leeway_secs(mut self, secs: u64) -> Self {
        self.leeway_secs = secs;
        self
    }

    /// Requires this scope in the access token's `scope` (ID tokens have none, so are refused).
    #[must_use]
    pub const fn scope(mut self, scope: &'e str) -> Self {
        self.scope = Some(scope);
        self
    }

    /// Requires this group in `cognito:groups`.
    #[must_use]
    pub const fn group(mut self, group: &'e str) -> Self {
        self.group = Some(group);
        self
    }

    /// The issuer expected.
    #[must_use]
    pub const fn issuer(&self) -> &'e str {
        self.issuer
    }

    /// The token use expected.
    #[must_use]
    pub const fn expected_use(&self) -> ExpectedUse {
        self.token_use
    }

    /// The leeway, in seconds.
    #[must_use]
    pub const fn leeway(&self) -> u64 {
        self.leeway_secs
    }
}

/// Checks `claims` against `expect` at `now` (the verifier's clock), in this order: `iss`,
/// `token_use`, app client, `exp`, `nbf`, `iat`, scope, group. The first claim that fails
/// decides the error; a claim of the wrong type is [`VerifyError::Malformed`].
///
/// This does **not** verify the signature: `verify` (feature `rs256`) does both.
pub fn check_claims(
    claims: &Claims<'_>,
    expect: &Expectations<'_>,
    now: UnixTime,
) -> Result<(), VerifyError> {
    let iss = claims.iss()?.ok_or(VerifyError::MissingClaim("iss"))?;
    if !iss.eq_str(expect.issuer) {
        return Err(VerifyError::WrongIssuer);
    }
    let token_use = claims
        .token_use()?
        .ok_or(VerifyError::MissingClaim("token_use"))?;
    let use_ok = match (expect.token_use, token_use) {
        (_, TokenUse::Other) => false,
        (ExpectedUse::Either, _) => true,
        (ExpectedUse::Access, used) => used == TokenUse::Access,
        (ExpectedUse::Id, used) => used == TokenUse::Id,
    };
    if !use_ok {
        return Err(VerifyError::WrongTokenUse);
    }
    if let Some(client_ids) = expect.client_ids {
        let listed = |id: JsonStr<'_>| client_ids.iter().any(|c| id.eq_str(c));
        let ok = if token_use == TokenUse::Access {
            let client_id = claims
                .as_object()
                .get_str("client_id")
                .map_err(|_| TokenError::InvalidClaim("client_id"))?;
            listed(client_id.ok_or(VerifyError::MissingClaim("client_id"))?)
        } else {
            let mut aud = claims.aud()?.peekable();
            if aud.peek().is_none() {
                return Err(VerifyError::MissingClaim("aud"));
            }
            aud.any(listed)
        };
        if !ok {
            return Err(VerifyError::WrongClient);
        }
    }
    let now = now.as_secs();
    let exp = claims.exp()?.ok_or(VerifyError::MissingClaim("exp"))?;
    // Valid while now < exp + leeway (RFC 7519 §4.1.4: not on or after `exp`).
    if now >= exp.as_secs().saturating_add(expect.leeway_secs) {
        return Err(VerifyError::Expired);
    }
    let latest = now.saturating_add(expect.leeway_secs);
    if claims.nbf()?.is_some_and(|nbf| nbf.as_secs() > latest) {
        return Err(VerifyError::NotYetValid);
    }
    if claims.iat()?.is_some_and(|iat| iat.as_secs() > latest) {
        return Err(VerifyError::IssuedInFuture);
    }
    if let Some(scope) = expect.scope
        && !claims.scopes()?.any(|s| s == scope)
    {
        return Err(VerifyError::MissingScope);
    }
    if let Some(group) = expect.group
        && !claims.groups()?.any(|g| g.eq_str(group))
    {
        return Err(VerifyError::MissingGroup);
    }
    Ok(())
}
