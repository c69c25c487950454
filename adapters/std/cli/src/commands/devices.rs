//! `devices ...`: the user's tracked devices.

use serde_json::{Value, json};

use crate::args::DevicesCommand;
use crate::context::Context;
use crate::error::{CliError, CliResult};
use crate::output::{device_json, device_text};

/// Devices asked for per `ListDevices` page (Cognito's maximum).
const PAGE_SIZE: u8 = 60;

/// Runs a `devices` subcommand.
pub(super) fn run(ctx: &Context, command: DevicesCommand) -> CliResult<()> {
    match command {
        DevicesCommand::List => list(ctx),
        DevicesCommand::Forget { device_key } => forget(ctx, device_key),
        DevicesCommand::Remember => remember(ctx),
        DevicesCommand::ForgetCurrent => forget(ctx, None),
    }
}

/// `devices list`: every page.
fn list(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let mut devices = Vec::new();
    let mut next: Option<String> = None;
    let session = loop {
        let (page, session) = ctx.with_token(&client, |token| {
            client.list_devices(token, Some(PAGE_SIZE), next.as_deref())
        })?;
        devices.extend(page.devices);
        match page.pagination_token {
            Some(token) if Some(&token) != next.as_ref() => next = Some(token),
            _ => break session,
        }
    };
    let current = session.device.as_ref().map(|d| d.key.clone());
    ctx.printer.print(
        &json!({ "Devices": devices.iter().map(device_json).collect::<Vec<Value>>() }),
        || {
            if devices.is_empty() {
                return vec!["No devices.".to_owned()];
            }
            devices
                .iter()
                .map(|d| device_text(d, current.as_deref()))
                .collect()
        },
    )
}

/// The key of this session's device.
fn current_key(ctx: &Context, client: &cognito_std::blocking::Client) -> CliResult<String> {
    ctx.signed_in(client)?
        .device
        .as_ref()
        .map(|d| d.key.clone())
        .ok_or_else(|| {
            CliError::local(
                "this session has no device (the pool does not track devices, or it was \
                 forgotten); pass --device-key",
            )
        })
}

/// `devices remember`: UpdateDeviceStatus remembered for this session's device.
fn remember(ctx: &Context) -> CliResult<()> {
    let client = ctx.client()?;
    let key = current_key(ctx, &client)?;
    ctx.with_token(&client, |token| {
        client.update_device_status(token, &key, true)
    })?;
    ctx.printer
        .print(&json!({}), || vec![format!("Device {key} remembered.")])
}

/// `devices forget [--device-key K]` and `devices forget-current`: ForgetDevice; this session's
/// device is also dropped from the session.
fn forget(ctx: &Context, device_key: Option<String>) -> CliResult<()> {
    let client = ctx.client()?;
    let key = match device_key {
        Some(key) => key,
        None => current_key(ctx, &client)?,
    };
    let (_, mut session) = ctx.with_token(&client, |token| client.forget_device(token, &key))?;
    if session.device.as_ref().is_some_and(|d| d.key == key) {
        session.device = None;
        ctx.save(&session)?;
    }
    ctx.printer
        .print(&json!({}), || vec![format!("Device {key} forgotten.")])
}
