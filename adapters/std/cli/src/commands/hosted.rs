//! The pool domain: `sign-in --hosted-ui` (a browser, a loopback listener, the session stored
//! like any sign-in's) and `m2m-token` (client credentials, cached next to the session file).

use std::time::{Duration, Instant};

use cognito_std::HostedUiOptions;
use serde_json::json;

use crate::args::{DEFAULT_HOSTED_UI_SCOPES, SignInArgs};
use crate::browser;
use crate::callback::CallbackListener;
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::auth_result_json;
use crate::prompt;

/// `sign-in --hosted-ui`: listens on `127.0.0.1:<port>`, sends the browser to the authorize
/// URL, waits for the redirect (redirects of other sign-ins are answered with an error page and
/// the wait goes on), trades the code for tokens and stores the session.
pub(super) fn hosted_sign_in(ctx: &Context, args: &SignInArgs) -> CliResult<()> {
    let client = ctx.domain_client("--hosted-ui")?;
    // Read the stored session first: a file that cannot be read is reported, never replaced.
    let stored = ctx.load()?;
    let listener = CallbackListener::bind(args.port).map_err(|e| {
        CliError::local(format!(
            "listening on 127.0.0.1:{} for the browser: {e} (pick another --port, and list \
             http://127.0.0.1:<port>/callback among the app client's callback URLs)",
            args.port
        ))
    })?;
    let redirect_uri = listener.redirect_uri();
    let scopes = if args.scopes.is_empty() {
        DEFAULT_HOSTED_UI_SCOPES.join(" ")
    } else {
        args.scopes.join(" ")
    };
    let options = HostedUiOptions {
        identity_provider: args.identity_provider.clone(),
        ..HostedUiOptions::default()
    };
    let mut sign_in = client
        .hosted_sign_in(&redirect_uri, &scopes, &options)?
        .remembering(stored.as_ref());
    let url = sign_in.authorize_url().to_owned();
    prompt::notice(&format!(
        "Open this URL in a browser to sign in (waiting {} s for it to come back to \
         {redirect_uri}):\n{url}",
        args.timeout
    ));
    if browser::open(&url).is_none() {
        prompt::notice("No browser could be started: open the URL by hand.");
    }
    let deadline = Instant::now() + Duration::from_secs(args.timeout);
    let session = loop {
        let incoming = listener
            .next(deadline)
            .map_err(|e| CliError::local(format!("waiting for the browser: {e}")))?
            .ok_or_else(|| {
                CliError::local(format!(
                    "the browser did not come back to {redirect_uri} within {} s",
                    args.timeout
                ))
            })?;
        if !incoming.is_callback() {
            incoming.respond(404, "Not found", "This is not the sign-in's callback.");
            continue;
        }
        let target = incoming.target.clone();
        match sign_in.finish(&target) {
            Ok(session) => {
                incoming.respond(
                    200,
                    "Signed in",
                    "You are signed in. You can close this window and go back to the terminal.",
                );
                break session;
            }
            // The core keeps waiting for a redirect with this sign-in's state.
            Err(e) if sign_in.is_awaiting_redirect() => {
                prompt::notice(&format!(
                    "ignored a request to the callback that is not this sign-in's: {e}"
                ));
                incoming.respond(
                    400,
                    "Not this sign-in",
                    "This page does not belong to the sign-in in progress; it was ignored.",
                );
            }
            Err(e) => {
                let e = CliError::from(e);
                incoming.respond(400, "Sign-in failed", &e.to_string());
                return Err(e);
            }
        }
    };
    ctx.save(&session)?;
    let path = ctx.session_path()?;
    ctx.printer.print(&auth_result_json(&session, false), || {
        super::sign_in::text_lines(&session, false, false, &path)
    })
}

/// `m2m-token`: an access token of the app client (client credentials) for `scopes`, from the
/// cache file while it is fresh, otherwise from the pool domain (and then cached).
pub(super) fn m2m_token(ctx: &Context, scopes: &[String]) -> CliResult<()> {
    let client = ctx.domain_client("m2m-token")?;
    if client.as_async().config().client_secret.is_none() {
        return Err(CliError::Usage(
            "m2m-token needs the app client's secret: pass --client-secret (or set \
             COGNITO_CLIENT_SECRET)"
                .to_owned(),
        ));
    }
    let file = ctx.client_token_file()?;
    let stored = ctx.load_client_tokens(&file)?;
    client.restore_client_tokens(&stored);
    let token = client.client_credentials_token(&scopes.join(" "))?;
    let cached = client.client_tokens();
    if cached != stored {
        ctx.save_client_tokens(&file, &cached)?;
    }
    let json = json!({
        "access_token": token.access_token,
        "expires_in": token.expires_in,
        "token_type": token.token_type,
    });
    // The same JSON whatever --output says (one line as text).
    ctx.printer.print(&json, || vec![json.to_string()])
}
