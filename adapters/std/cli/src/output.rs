//! Printing results: JSON with Cognito's member names, or readable lines.

use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

use cognito_std::{CodeDelivery, DeviceInfo, Session, User};
use serde_json::{Map, Value, json};

use crate::args::Format;
use crate::error::{CliError, CliResult};

/// Where results go, in which format.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Printer {
    format: Format,
}

impl Printer {
    /// A printer for `format`.
    pub(crate) fn new(format: Format) -> Self {
        Self { format }
    }

    /// Prints `json` (pretty, with a final newline) or the text lines `text` makes.
    pub(crate) fn print(self, json: &Value, text: impl FnOnce() -> Vec<String>) -> CliResult<()> {
        let out = match self.format {
            Format::Json => {
                let mut s = serde_json::to_string_pretty(json)
                    .map_err(|e| CliError::local(format!("encoding the output: {e}")))?;
                s.push('\n');
                s
            }
            Format::Text => {
                let mut s = String::new();
                for line in text() {
                    s.push_str(&line);
                    s.push('\n');
                }
                s
            }
        };
        let mut stdout = std::io::stdout().lock();
        stdout
            .write_all(out.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| CliError::local(format!("writing the output: {e}")))
    }
}

/// Local unix time in seconds.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// `CodeDeliveryDetails`.
pub(crate) fn code_delivery_json(d: &CodeDelivery) -> Value {
    let mut m = Map::new();
    if let Some(v) = &d.destination {
        m.insert("Destination".into(), json!(v));
    }
    if let Some(v) = &d.delivery_medium {
        m.insert("DeliveryMedium".into(), json!(v));
    }
    if let Some(v) = &d.attribute_name {
        m.insert("AttributeName".into(), json!(v));
    }
    Value::Object(m)
}

/// One readable line for a code delivery.
pub(crate) fn code_delivery_text(d: &CodeDelivery) -> String {
    let mut line = String::from("Code sent");
    if let Some(medium) = &d.delivery_medium {
        line.push_str(" by ");
        line.push_str(medium);
    }
    if let Some(destination) = &d.destination {
        line.push_str(" to ");
        line.push_str(destination);
    }
    if let Some(attribute) = &d.attribute_name {
        line.push_str(" (");
        line.push_str(attribute);
        line.push(')');
    }
    line.push('.');
    line
}

/// `{"CodeDeliveryDetails": ...}` (empty object when the server said nothing).
pub(crate) fn delivery_reply_json(d: Option<&CodeDelivery>) -> Value {
    let mut m = Map::new();
    if let Some(d) = d {
        m.insert("CodeDeliveryDetails".into(), code_delivery_json(d));
    }
    Value::Object(m)
}

/// Text for an optional code delivery.
pub(crate) fn delivery_reply_text(d: Option<&CodeDelivery>) -> Vec<String> {
    vec![d.map_or_else(|| "Code sent.".to_owned(), code_delivery_text)]
}

/// `GetUser`'s reply, as `aws cognito-idp get-user` prints it.
pub(crate) fn user_json(user: &User) -> Value {
    let mut m = Map::new();
    m.insert("Username".into(), json!(user.username));
    m.insert(
        "UserAttributes".into(),
        Value::Array(
            user.attributes
                .iter()
                .map(|(n, v)| json!({"Name": n, "Value": v}))
                .collect(),
        ),
    );
    if let Some(p) = &user.preferred_mfa {
        m.insert("PreferredMfaSetting".into(), json!(p));
    }
    if !user.mfa_settings.is_empty() {
        m.insert("UserMFASettingList".into(), json!(user.mfa_settings));
    }
    Value::Object(m)
}

/// `GetUser`'s reply as lines.
pub(crate) fn user_text(user: &User) -> Vec<String> {
    let mut lines = vec![format!("Username: {}", user.username)];
    for (name, value) in &user.attributes {
        lines.push(format!("  {name}: {value}"));
    }
    if let Some(p) = &user.preferred_mfa {
        lines.push(format!("Preferred MFA: {p}"));
    }
    if !user.mfa_settings.is_empty() {
        lines.push(format!("MFA enabled: {}", user.mfa_settings.join(", ")));
    }
    lines
}

/// `{"AuthenticationResult": {...}}` of a sign-in or refresh: AccessToken, IdToken, ExpiresIn,
/// TokenType and, when a device was confirmed in this sign-in, NewDeviceMetadata. The refresh
/// token stays in the session file.
pub(crate) fn auth_result_json(session: &Session, new_device: bool) -> Value {
    let mut m = Map::new();
    m.insert("AccessToken".into(), json!(session.access_token));
    if let Some(id) = &session.id_token {
        m.insert("IdToken".into(), json!(id));
    }
    m.insert(
        "ExpiresIn".into(),
        json!(session.expires_at.saturating_sub(unix_now())),
    );
    m.insert("TokenType".into(), json!(session.token_type));
    if let (true, Some(device)) = (new_device, &session.device) {
        m.insert(
            "NewDeviceMetadata".into(),
            json!({"DeviceKey": device.key, "DeviceGroupKey": device.group_key}),
        );
    }
    json!({ "AuthenticationResult": Value::Object(m) })
}

/// A device as `ListDevices` names its members.
pub(crate) fn device_json(d: &DeviceInfo) -> Value {
    let mut m = Map::new();
    m.insert("DeviceKey".into(), json!(d.key));
    m.insert(
        "DeviceAttributes".into(),
        Value::Array(
            d.attributes
                .iter()
                .map(|(n, v)| json!({"Name": n, "Value": v}))
                .collect(),
        ),
    );
    for (name, value) in [
        ("DeviceCreateDate", d.create_date),
        ("DeviceLastModifiedDate", d.last_modified_date),
        ("DeviceLastAuthenticatedDate", d.last_authenticated_date),
    ] {
        if let Some(v) = value {
            m.insert(name.into(), json!(v));
        }
    }
    Value::Object(m)
}

/// A device as one line.
pub(crate) fn device_text(d: &DeviceInfo, current: Option<&str>) -> String {
    let mut line = d.key.clone();
    if let Some(name) = d.name() {
        line.push_str(&format!("  name={name}"));
    }
    if let Some((_, status)) = d.attributes.iter().find(|(n, _)| n == "device_status") {
        line.push_str(&format!("  status={status}"));
    }
    if let Some(t) = d.last_authenticated_date {
        line.push_str(&format!("  last-authenticated={t}"));
    }
    if current == Some(d.key.as_str()) {
        line.push_str("  (this session)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn users_print_with_cognito_member_names() {
        let user = User {
            username: "alice".into(),
            attributes: vec![("email".into(), "a@example.com".into())],
            preferred_mfa: Some("SOFTWARE_TOKEN_MFA".into()),
            mfa_settings: vec!["SOFTWARE_TOKEN_MFA".into()],
        };
        let v = user_json(&user);
        assert_eq!(v["Username"], "alice");
        assert_eq!(v["UserAttributes"][0]["Name"], "email");
        assert_eq!(v["UserAttributes"][0]["Value"], "a@example.com");
        assert_eq!(v["PreferredMfaSetting"], "SOFTWARE_TOKEN_MFA");
        assert_eq!(v["UserMFASettingList"][0], "SOFTWARE_TOKEN_MFA");
        let text = user_text(&user).join("\n");
        assert!(text.contains("Username: alice"));
        assert!(text.contains("email: a@example.com"));
    }

    #[test]
    fn code_deliveries_leave_out_what_is_unknown() {
        let d = CodeDelivery {
            destination: Some("a***@e***".into()),
            delivery_medium: Some("EMAIL".into()),
            attribute_name: None,
        };
        assert_eq!(
            code_delivery_json(&d),
            json!({"Destination": "a***@e***", "DeliveryMedium": "EMAIL"})
        );
        assert_eq!(code_delivery_text(&d), "Code sent by EMAIL to a***@e***.");
        assert_eq!(delivery_reply_json(None), json!({}));
    }
}
