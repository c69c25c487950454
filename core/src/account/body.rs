//! Writing request members and reading reply members, shared by every account operation.

use crate::auth::ClientConfig;
use crate::error::{Error, ProtocolError};
use crate::wire::{HttpResponse, JsonObject, JsonWriter, read_response};

/// Writes `ClientId` and, when the app client has a secret, `SecretHash` of `username`.
pub(super) fn client(w: &mut JsonWriter<'_>, config: &ClientConfig, username: &str) {
    w.field_str("ClientId", config.client_id());
    if let Some(hash) = config.secret_hash(username) {
        w.field_str("SecretHash", hash.as_str());
    }
}

/// Writes `key: [{"Name": …, "Value": …}, …]`.
pub(super) fn attributes(w: &mut JsonWriter<'_>, key: &str, list: &[(&str, &str)]) {
    w.begin_array_field(key);
    for (name, value) in list {
        w.begin_object();
        w.field_str("Name", name);
        w.field_str("Value", value);
        w.end_object();
    }
    w.end_array();
}

/// Writes `key: n` when `n` is `Some`.
pub(super) fn opt_u64(w: &mut JsonWriter<'_>, key: &str, n: Option<u8>) {
    if let Some(n) = n {
        w.field_u64(key, u64::from(n));
    }
}

/// Reads a reply whose success body carries nothing the caller needs.
pub(super) fn read_empty(response: &HttpResponse<'_>) -> Result<(), Error> {
    read_response(response).map(|_| ())
}

/// The string member `key` without escapes (ids, tokens, enum values); `InvalidField(key)` when
/// it has escapes or another type.
pub(super) fn plain<'r>(
    obj: &JsonObject<'r>,
    key: &'static str,
) -> Result<Option<&'r str>, ProtocolError> {
    obj.get_str(key)?
        .map(|s| s.as_plain().ok_or(ProtocolError::InvalidField(key)))
        .transpose()
}

/// Like [`plain`], but `MissingField(key)` when absent.
pub(super) fn require_plain<'r>(
    obj: &JsonObject<'r>,
    key: &'static str,
) -> Result<&'r str, ProtocolError> {
    plain(obj, key)?.ok_or(ProtocolError::MissingField(key))
}
