//! Commands without a session: sign-up, its confirmation, and password recovery.

use serde_json::{Map, Value, json};

use crate::context::Context;
use crate::error::CliResult;
use crate::output::{
    code_delivery_json, code_delivery_text, delivery_reply_json, delivery_reply_text,
};
use crate::prompt;

/// `sign-up`.
pub(super) fn sign_up(
    ctx: &Context,
    username: &str,
    password: Option<&str>,
    attributes: &[(String, String)],
) -> CliResult<()> {
    let client = ctx.client()?;
    let password = prompt::secret(password, "Password", "--password")?;
    let result = client.sign_up(username, &password, attributes)?;
    let mut m = Map::new();
    m.insert("UserConfirmed".into(), json!(result.user_confirmed));
    m.insert("UserSub".into(), json!(result.user_sub));
    if let Some(d) = &result.code_delivery {
        m.insert("CodeDeliveryDetails".into(), code_delivery_json(d));
    }
    ctx.printer.print(&Value::Object(m), || {
        let mut lines = vec![format!("Signed up {username} (sub {}).", result.user_sub)];
        if result.user_confirmed {
            lines.push("The user is confirmed.".to_owned());
        } else {
            lines.push(match &result.code_delivery {
                Some(d) => code_delivery_text(d),
                None => "Confirm the user with `cognito confirm-sign-up`.".to_owned(),
            });
        }
        lines
    })
}

/// `confirm-sign-up`.
pub(super) fn confirm_sign_up(ctx: &Context, username: &str, code: &str) -> CliResult<()> {
    let client = ctx.client()?;
    // The returned Session (sign-in without a password) is not kept: it is single-use and
    // short-lived.
    let _session = client.confirm_sign_up(username, code)?;
    ctx.printer
        .print(&json!({}), || vec![format!("Confirmed {username}.")])
}

/// `resend-code`.
pub(super) fn resend_code(ctx: &Context, username: &str) -> CliResult<()> {
    let client = ctx.client()?;
    let delivery = client.resend_confirmation_code(username)?;
    ctx.printer
        .print(&delivery_reply_json(delivery.as_ref()), || {
            delivery_reply_text(delivery.as_ref())
        })
}

/// `forgot-password`.
pub(super) fn forgot_password(ctx: &Context, username: &str) -> CliResult<()> {
    let client = ctx.client()?;
    let delivery = client.forgot_password(username)?;
    ctx.printer
        .print(&delivery_reply_json(delivery.as_ref()), || {
            delivery_reply_text(delivery.as_ref())
        })
}

/// `confirm-forgot-password`.
pub(super) fn confirm_forgot_password(
    ctx: &Context,
    username: &str,
    code: &str,
    password: Option<&str>,
) -> CliResult<()> {
    let client = ctx.client()?;
    let password = prompt::secret(password, "New password", "--password")?;
    client.confirm_forgot_password(username, code, &password)?;
    ctx.printer.print(&json!({}), || {
        vec![format!("Password of {username} reset.")]
    })
}
