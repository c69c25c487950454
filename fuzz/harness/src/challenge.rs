//! The typed decoding of challenges (`auth::Challenge`, `auth::ChallengeKind`): names, session,
//! parameters and the lists Cognito sends as JSON inside strings.
//!
//! Input: a selector byte, then the `ChallengeParameters` JSON text. The low 4 bits pick the
//! `ChallengeName` (see [`NAMES`]; 13–15: the rest of the input is the whole body instead); bit
//! 4 adds `"AvailableChallenges":["PASSWORD","EMAIL_OTP","FUTURE"]`; bit 5 sends the `Session`
//! with an escape (which the core must refuse). The body is read as a 200 reply.
//!
//! Properties: `AuthReply::read` returns exactly what the reference decoder
//! ([`crate::auth_ref`]) reads: the same error (an unknown list shape is `InvalidField(<key>)`,
//! a passkey challenge without options `MissingField`), or the same challenge — name, session,
//! parameters (the last of duplicate keys), and the typed kind: code kind, destination and
//! medium; every offered name decoded (JSON escapes undone at both levels), the known ones in
//! order, `contains` for each; required attributes without their `userAttributes.` prefix;
//! unknown challenges kept verbatim. Lists iterate exactly `len` names.

use cognito_core::auth::AuthReply;
use cognito_core::wire::HttpResponse;

use crate::challenge_walk::walk;
use crate::{auth_ref, reply_ref};

/// The challenge names the selector picks from.
pub(crate) const NAMES: [&str; 13] = [
    "SMS_MFA",
    "SOFTWARE_TOKEN_MFA",
    "EMAIL_OTP",
    "SMS_OTP",
    "SELECT_MFA_TYPE",
    "MFA_SETUP",
    "NEW_PASSWORD_REQUIRED",
    "CUSTOM_CHALLENGE",
    "SELECT_CHALLENGE",
    "WEB_AUTHN",
    "PASSWORD_VERIFIER",
    "DEVICE_SRP_AUTH",
    "FUTURE_CHALLENGE",
];

/// The body the input describes.
pub(crate) fn body(data: &[u8]) -> Option<Vec<u8>> {
    let (&selector, params) = data.split_first()?;
    let Some(name) = NAMES.get(usize::from(selector & 15)) else {
        return Some(params.to_vec());
    };
    let session = if selector & 32 != 0 {
        r#""AYAB\u0041""#
    } else {
        r#""AYABsession""#
    };
    let mut body = format!(r#"{{"ChallengeName":"{name}","Session":{session},"#).into_bytes();
    if selector & 16 != 0 {
        body.extend_from_slice(br#""AvailableChallenges":["PASSWORD","EMAIL_OTP","FUTURE"],"#);
    }
    body.extend_from_slice(b"\"ChallengeParameters\":");
    body.extend_from_slice(params);
    body.push(b'}');
    Some(body)
}

/// The harness.
pub fn challenge(data: &[u8]) {
    let Some(body) = body(data) else {
        return;
    };
    let response = HttpResponse::new(200, &body);
    let reply = AuthReply::read(&response);
    reply_ref::check(&reply, &auth_ref::read(&response), auth_ref::view);
    if let Ok(AuthReply::Challenge(challenge)) = reply {
        walk(&challenge);
        let _ = format!("{challenge:?}");
    }
}
