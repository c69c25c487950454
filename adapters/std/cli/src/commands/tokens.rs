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

/// `sign-out [--global]`: revokes the stored refresh token at Cognito (RevokeToken, which also
/// ends the access and id tokens issued from it; with `--global`, GlobalSignOut instead), then
/// forgets the tokens locally. The local tokens are forgotten even when Cognito refuses; its
/// error is still reported.
pub(super) fn sign_out(ctx: &Context, global: bool) -> CliResult<()> {
    let (session, remote) = if global {
        let client = ctx.client()?;
        let (_, session) = ctx.with_token(&client, |token| client.global_sign_out(token))?;
        (session, Ok(()))
    } else {
        match ctx.load()? {
            Some(session) if has_tokens(&session) => {
                let remote = match session.refresh_token.as_deref() {
                    Some(token) => ctx.client()?.revoke_token(token),
                    None => Ok(()),
                };
                (session, remote)
            }
            _ => {
                return ctx
                    .printer
                    .print(&json!({}), || vec!["Not signed in.".to_owned()]);
            }
        }
    };
    forget_tokens(ctx, session)?;
    remote?;
    ctx.printer.print(&json!({}), || {
        vec![if global {
            "Signed out everywhere (GlobalSignOut).".to_owned()
        } else {
            "Signed out (refresh token revoked).".to_owned()
        }]
    })
}

/// `revoke`: RevokeToken of the stored refresh token, then forgets the tokens.
pub(super) fn revoke(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let session = stored_tokens(ctx)?;
    let refresh_token = session
        .refresh_token
        .as_deref()
        .ok_or_else(|| CliError::local("the session has no refresh token to revoke"))?;
    client.revoke_token(refresh_token)?;
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
    ctx.save(&session)
}
