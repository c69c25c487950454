//! `mfa ...` and `totp`.

use cognito_std::core::time::UnixTime;
use cognito_std::core::totp::{Totp, otpauth_uri};
use cognito_std::{MfaPreference, MfaSetting};
use serde_json::json;

use crate::args::{MfaCommand, Preference};
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::unix_now;
use crate::prompt;

/// The issuer shown by authenticator apps for secrets set up with this tool.
const ISSUER: &str = "Cognito";

/// Runs an `mfa` subcommand.
pub(super) fn run(ctx: &Context, command: MfaCommand) -> CliResult<()> {
    match command {
        MfaCommand::AssociateTotp => associate_totp(ctx),
        MfaCommand::VerifyTotp {
            code,
            friendly_name,
        } => verify_totp(ctx, &code, friendly_name.as_deref()),
        MfaCommand::SetPreference { totp, sms, email } => set_preference(ctx, totp, sms, email),
    }
}

/// `mfa associate-totp`: prints the new secret (asked for) and its `otpauth://` URI.
fn associate_totp(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    // Zeroized on drop.
    let (secret, session) =
        ctx.with_token(&client, |token| client.associate_software_token(token))?;
    ctx.printer
        .print(&json!({ "SecretCode": secret.as_str() }), || {
            let mut lines = vec![format!("Secret: {}", secret.as_str())];
            if let Some(uri) = uri_of(&secret, &session.username) {
                lines.push(format!("URI: {uri}"));
            }
            lines.push(
                "Add it to an authenticator app, then run `cognito mfa verify-totp --code <code>`."
                    .to_owned(),
            );
            lines
        })
}

/// The `otpauth://` URI of a secret, for authenticator apps.
pub(crate) fn uri_of(secret: &str, account: &str) -> Option<String> {
    let mut buf = vec![0u8; 512];
    otpauth_uri(ISSUER, account, secret, &mut buf)
        .ok()
        .map(str::to_owned)
}

/// `mfa verify-totp --code C`.
fn verify_totp(ctx: &Context, code: &str, friendly_name: Option<&str>) -> CliResult<()> {
    let client = ctx.client()?;
    let (accepted, _) = ctx.with_token(&client, |token| {
        client.verify_software_token(token, code, friendly_name)
    })?;
    if !accepted {
        return Err(CliError::Service {
            name: "VerifySoftwareToken".to_owned(),
            message: "Status ERROR: the code was not accepted".to_owned(),
        });
    }
    ctx.printer.print(&json!({ "Status": "SUCCESS" }), || {
        vec!["Authenticator app verified.".to_owned()]
    })
}

fn setting(p: Option<Preference>) -> Option<MfaSetting> {
    p.map(|p| MfaSetting {
        enabled: p != Preference::Disabled,
        preferred: p == Preference::Preferred,
    })
}

/// `mfa set-preference [--totp ...] [--sms ...] [--email ...]`.
fn set_preference(
    ctx: &Context,
    totp: Option<Preference>,
    sms: Option<Preference>,
    email: Option<Preference>,
) -> CliResult<()> {
    if totp.is_none() && sms.is_none() && email.is_none() {
        return Err(CliError::Usage(
            "give at least one of --totp, --sms, --email".to_owned(),
        ));
    }
    let preference = MfaPreference {
        sms: setting(sms),
        software_token: setting(totp),
        email: setting(email),
    };
    let client = ctx.client()?;
    ctx.with_token(&client, |token| {
        client.set_mfa_preference(token, preference)
    })?;
    ctx.printer
        .print(&json!({}), || vec!["MFA preference set.".to_owned()])
}

/// The current code of a base32 secret at `now`.
pub(crate) fn code_at(secret: &str, now: u64) -> CliResult<(String, u64)> {
    let totp = Totp::from_base32(secret.trim())
        .map_err(|e| CliError::Usage(format!("the TOTP secret is not usable: {e}")))?;
    let now = UnixTime::from_secs(now);
    Ok((
        totp.code(now).as_str().to_owned(),
        totp.seconds_remaining(now),
    ))
}

/// `totp --secret BASE32`.
pub(super) fn totp(ctx: &Context, secret: &str) -> CliResult<()> {
    let secret = match secret {
        "-" => prompt::read_stdin_line("the TOTP secret")?,
        s => zeroize::Zeroizing::new(s.to_owned()),
    };
    let (code, remaining) = code_at(&secret, unix_now())?;
    ctx.printer.print(
        &json!({ "Code": code, "SecondsRemaining": remaining }),
        || vec![code.clone()],
    )
}
