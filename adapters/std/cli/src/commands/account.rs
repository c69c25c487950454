//! Commands on the signed-in user's account.

use serde_json::{Value, json};

use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{
    code_delivery_json, code_delivery_text, delivery_reply_json, delivery_reply_text, user_json,
    user_text,
};
use crate::prompt;

/// `get-user`.
pub(super) fn get_user(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let (user, _) = ctx.with_token(&client, |token| client.get_user(token))?;
    ctx.printer.print(&user_json(&user), || user_text(&user))
}

/// `update-attributes NAME=VALUE...`.
pub(super) fn update_attributes(ctx: &Context, attributes: &[(String, String)]) -> CliResult<()> {
    let client = ctx.client()?;
    let (deliveries, _) = ctx.with_token(&client, |token| {
        client.update_user_attributes(token, attributes)
    })?;
    let json = json!({
        "CodeDeliveryDetailsList": deliveries.iter().map(code_delivery_json).collect::<Vec<Value>>()
    });
    ctx.printer.print(&json, || {
        let mut lines = vec![format!("Updated {} attribute(s).", attributes.len())];
        lines.extend(deliveries.iter().map(code_delivery_text));
        lines
    })
}

/// `delete-attributes NAME...`.
pub(super) fn delete_attributes(ctx: &Context, names: &[String]) -> CliResult<()> {
    let client = ctx.client()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    ctx.with_token(&client, |token| {
        client.delete_user_attributes(token, &names)
    })?;
    ctx.printer.print(&json!({}), || {
        vec![format!("Deleted {}.", names.join(", "))]
    })
}

/// `send-verification-code --attribute NAME`.
pub(super) fn send_verification_code(ctx: &Context, attribute: &str) -> CliResult<()> {
    let client = ctx.client()?;
    let (delivery, _) = ctx.with_token(&client, |token| {
        client.get_user_attribute_verification_code(token, attribute)
    })?;
    ctx.printer
        .print(&delivery_reply_json(delivery.as_ref()), || {
            delivery_reply_text(delivery.as_ref())
        })
}

/// `verify-attribute --attribute NAME --code C`.
pub(super) fn verify_attribute(ctx: &Context, attribute: &str, code: &str) -> CliResult<()> {
    let client = ctx.client()?;
    ctx.with_token(&client, |token| {
        client.verify_user_attribute(token, attribute, code)
    })?;
    ctx.printer
        .print(&json!({}), || vec![format!("Verified {attribute}.")])
}

/// `change-password --old P --new P`.
pub(super) fn change_password(
    ctx: &Context,
    old: Option<&str>,
    new: Option<&str>,
) -> CliResult<()> {
    let client = ctx.client()?;
    let old = prompt::secret(old, "Current password", "--old")?;
    let new = prompt::secret(new, "New password", "--new")?;
    ctx.with_token(&client, |token| client.change_password(token, &old, &new))?;
    ctx.printer
        .print(&json!({}), || vec!["Password changed.".to_owned()])
}

/// `delete-user --yes`: deletes the user, then the session file.
pub(super) fn delete_user(ctx: &Context, yes: bool) -> CliResult<()> {
    if !yes {
        return Err(CliError::Usage(
            "delete-user deletes the signed-in user for good: pass --yes to confirm".to_owned(),
        ));
    }
    let client = ctx.client()?;
    let (_, session) = ctx.with_token(&client, |token| client.delete_user(token))?;
    ctx.clear()?;
    ctx.printer.print(&json!({}), || {
        vec![format!("Deleted user {}.", session.username)]
    })
}
