//! The stored tokens: refresh, sign-out and revocation.

use cognito_std::Session;
use serde_json::json;
use zeroize::Zeroize;

use crate::context::{Context, has_tokens};
use crate::error::{CliError, CliResult};
use crate::output::auth_result_json;

/// `refresh`: new tokens now, whatever their expiry.
pub(super) fn refresh(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let mut session = stored_tokens(ctx)?;
    client.refresh(&mut session)?;
    ctx.save(&session)?;
    ctx.printer.print(&auth_result_json(&session, false), || {
        vec![format!(
            "Refreshed the tokens of {}; the access token expires in {} s.",
            session.username,
            session.expires_at.saturating_sub(crate::output::unix_now())
        )]
    })
}

/// `sign-out [--global] [--hosted-ui --logout-uri URL]`: revokes the stored refresh token
/// (RevokeToken; `/oauth2/revoke` at the pool domain for a hosted-UI session; with `--global`,
/// GlobalSignOut instead, which also ends the other sessions and needs an access token with
/// `aws.cognito.signin.user.admin`), then forgets the tokens locally. The local tokens are
/// forgotten even when Cognito refuses; its error is still reported. With `--hosted-ui`, the
/// hosted UI's logout URL is printed too (to end the browser's session there).
pub(super) fn sign_out(ctx: &Context, global: bool, logout_uri: Option<&str>) -> CliResult<()> {
    // Before the session (and the domain it names) is forgotten.
    let logout_url = match logout_uri {
        Some(uri) => Some(ctx.domain_client("--hosted-ui")?.logout_url(uri)?),
        None => None,
    };
    let (session, remote) = if global {
        let client = ctx.client()?;
        let (_, session) = ctx.with_token(&client, |token| client.global_sign_out(token))?;
        (session, Ok(()))
    } else {
        match ctx.load()? {
            Some(session) if has_tokens(&session) => {
                let remote = match session.refresh_token.as_deref() {
                    Some(token) => {
                        let client = ctx.client()?;
                        if !session.origin.is_user_pool() && client.pool_domain().is_some() {
                            client.revoke_via_domain(&session)
                        } else {
                            client.revoke_token(token)
                        }
                    }
                    None => Ok(()),
                };
                (session, remote)
            }
            _ => {
                return print_signed_out(ctx, "Not signed in.", logout_url.as_deref());
            }
        }
    };
    forget_tokens(ctx, session)?;
    remote?;
    print_signed_out(
        ctx,
        if global {
            "Signed out everywhere (GlobalSignOut)."
        } else {
            "Signed out (refresh token revoked)."
        },
        logout_url.as_deref(),
    )
}

/// Prints what `sign-out` did, and the logout URL when there is one (its own line in text,
/// `LogoutUrl` in JSON).
fn print_signed_out(ctx: &Context, message: &str, logout_url: Option<&str>) -> CliResult<()> {
    let json = match logout_url {
        Some(url) => json!({ "LogoutUrl": url }),
        None => json!({}),
    };
    ctx.printer.print(&json, || {
        let mut lines = vec![message.to_owned()];
        lines.extend(logout_url.map(str::to_owned));
        lines
    })
}

/// `revoke`: RevokeToken of the stored refresh token (`/oauth2/revoke` for a hosted-UI
/// session), then forgets the tokens.
pub(super) fn revoke(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let session = stored_tokens(ctx)?;
    let refresh_token = session
        .refresh_token
        .as_deref()
        .ok_or_else(|| CliError::local("the session has no refresh token to revoke"))?;
    if !session.origin.is_user_pool() && client.pool_domain().is_some() {
        client.revoke_via_domain(&session)?;
    } else {
        client.revoke_token(refresh_token)?;
    }
    forget_tokens(ctx, session)?;
    ctx.printer
        .print(&json!({}), || vec!["Refresh token revoked.".to_owned()])
}

/// The stored session with tokens (not refreshed).
fn stored_tokens(ctx: &Context) -> CliResult<Session> {
    match ctx.load()? {
        Some(session) if has_tokens(&session) => Ok(session),
        _ => Err(CliError::local(format!(
            "not signed in (no session in {}); run `cognito sign-in` first",
            ctx.session_path()?.display()
        ))),
    }
}

/// Forgets the session's tokens: keeps the remembered device (and the username it belongs
/// to) for the next sign-in, or removes the file when there is no device.
fn forget_tokens(ctx: &Context, mut session: Session) -> CliResult<()> {
    if session.device.is_none() {
        return ctx.clear();
    }
    session.access_token.zeroize();
    if let Some(mut t) = session.id_token.take() {
        t.zeroize();
    }
    if let Some(mut t) = session.refresh_token.take() {
        t.zeroize();
    }
    session.received_at = 0;
    session.expires_at = 0;
    // The AWS credentials (and identities) of the signed-out user go too.
    session.identities.clear();
    ctx.save(&session)
}
