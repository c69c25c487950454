//! The reference reader of sign-in replies (`InitiateAuth` / `RespondToAuthChallenge`): the
//! tokens, or the challenge with its typed decoding (`ChallengeKind`), from the core's
//! documentation and DESIGN.md §4; and the view of the core's [`AuthReply`] in the same shape.

use cognito_core::ProtocolError;
use cognito_core::auth::{
    AuthReply, AuthenticationResult, Challenge, ChallengeKind, FirstFactor, MfaType,
};
use cognito_core::wire::{HttpResponse, JsonStr, StringList};

use crate::json_ref::{RefObject, RefStr, RefValue, from_core, object_from_core};
use crate::reply_ref::{
    self, M, RefError, RefResult, get_array, get_object, get_str, get_u64, plain,
};

const ATTRIBUTE_PREFIX: &str = "userAttributes.";
const MFA_TYPES: [MfaType; 3] = [MfaType::Sms, MfaType::SoftwareToken, MfaType::Email];
const FIRST_FACTORS: [FirstFactor; 5] = [
    FirstFactor::Password,
    FirstFactor::PasswordSrp,
    FirstFactor::EmailOtp,
    FirstFactor::SmsOtp,
    FirstFactor::WebAuthn,
];

/// The core's reply, viewed.
pub fn view(reply: &AuthReply<'_>) -> M {
    match reply {
        AuthReply::Authenticated(result) => result_view(result),
        AuthReply::Challenge(challenge) => challenge_view(challenge),
    }
}

/// The core's tokens, viewed; checks that `Debug` shows no token: it must print exactly what
/// it prints for the same result with every non-empty token replaced by `x` (a token such as
/// `}` also appears in the output's own punctuation, so looking for the token proves nothing).
pub fn result_view(r: &AuthenticationResult<'_>) -> M {
    let stand_in = |token: &str| if token.is_empty() { "" } else { "x" };
    let masked = AuthenticationResult {
        access_token: stand_in(r.access_token),
        id_token: r.id_token.map(stand_in),
        refresh_token: r.refresh_token.map(stand_in),
        ..*r
    };
    assert_eq!(
        format!("{r:?}"),
        format!("{masked:?}"),
        "Debug shows a token"
    );
    M::Obj(vec![
        ("AccessToken", M::Str(r.access_token.to_owned())),
        (
            "NewDeviceMetadata",
            r.new_device.map_or(M::None, |d| {
                M::Obj(vec![
                    ("DeviceKey", M::Str(d.device_key.to_owned())),
                    ("DeviceGroupKey", M::Str(d.device_group_key.to_owned())),
                ])
            }),
        ),
        ("IdToken", opt_plain(r.id_token)),
        ("RefreshToken", opt_plain(r.refresh_token)),
        ("ExpiresIn", M::U64(r.expires_in)),
        ("TokenType", M::Str(r.token_type.to_owned())),
    ])
}

/// The core's challenge, viewed: name, session, raw parameters and the typed kind.
pub fn challenge_view(c: &Challenge<'_>) -> M {
    let name = c.name();
    assert_eq!(
        cognito_core::auth::ChallengeName::parse(name.as_str()),
        name
    );
    assert_eq!(name.to_string(), name.as_str());
    let parameters = c.parameters();
    let params = parameters
        .as_object()
        .map_or(M::None, |o| M::Json(RefValue::Object(object_from_core(&o))));
    // `get` is the last member of that name when it is a string.
    if let Some(obj) = parameters.as_object() {
        for (key, value) in parameters.iter() {
            let key: String = key.chars().collect();
            let last = obj.get(&key).unwrap();
            let got = parameters.get(&key).map(|s| s.chars().collect::<String>());
            let expected = last.as_str().map(|s| s.chars().collect::<String>());
            assert_eq!(got, expected, "ChallengeParameters::get({key:?})");
            let _ = from_core(&value);
        }
    }
    M::Obj(vec![
        ("ChallengeName", M::Str(name.as_str().to_owned())),
        ("Session", opt_plain(c.session())),
        ("ChallengeParameters", params),
        (
            "AvailableChallenges",
            c.available_challenges().map_or(M::None, |a| {
                M::Json(from_core(&cognito_core::wire::JsonValue::Array(a)))
            }),
        ),
        ("kind", kind_view(&c.kind())),
    ])
}

fn s(j: &JsonStr<'_>) -> M {
    M::Str(j.chars().collect())
}

fn opt_plain(p: Option<&str>) -> M {
    p.map_or(M::None, |p| M::Str(p.to_owned()))
}

/// A string list: its decoded names, checking `len`, `is_empty` and `contains`.
fn names_view(list: &StringList<'_>) -> M {
    let names: Vec<String> = list.iter().map(|n| n.chars().collect()).collect();
    assert_eq!(list.len(), names.len());
    assert_eq!(list.is_empty(), names.is_empty());
    for name in &names {
        assert!(list.contains(name));
    }
    M::List(names.into_iter().map(M::Str).collect())
}

fn kind_view(kind: &ChallengeKind<'_>) -> M {
    match kind {
        ChallengeKind::MfaCode {
            kind,
            destination,
            medium,
        } => M::Obj(vec![
            ("MfaCode", M::Str(kind.challenge_name().to_owned())),
            ("destination", destination.as_ref().map_or(M::None, s)),
            ("medium", opt_plain(medium.map(|m| m.as_str()))),
        ]),
        ChallengeKind::SelectMfaType(types) | ChallengeKind::MfaSetup(types) => {
            let known: Vec<M> = types
                .iter()
                .map(|t| M::Str(t.as_str().to_owned()))
                .collect();
            for t in MFA_TYPES {
                assert_eq!(
                    types.contains(t),
                    known.contains(&M::Str(t.as_str().to_owned()))
                );
            }
            let tag = if matches!(kind, ChallengeKind::MfaSetup(_)) {
                "MfaSetup"
            } else {
                "SelectMfaType"
            };
            M::Obj(vec![
                (tag, names_view(&types.names())),
                ("known", M::List(known)),
            ])
        }
        ChallengeKind::NewPasswordRequired {
            required_attributes,
        } => {
            let names: Vec<M> = required_attributes.iter().map(|n| s(&n)).collect();
            assert_eq!(required_attributes.len(), names.len());
            assert_eq!(required_attributes.is_empty(), names.is_empty());
            M::Obj(vec![("NewPasswordRequired", M::List(names))])
        }
        ChallengeKind::Custom { parameters } => M::Obj(vec![(
            "Custom",
            parameters
                .as_object()
                .map_or(M::None, |o| M::Json(RefValue::Object(object_from_core(&o)))),
        )]),
        ChallengeKind::SelectChallenge(factors) => {
            let known: Vec<M> = factors
                .iter()
                .map(|f| M::Str(f.as_str().to_owned()))
                .collect();
            for f in FIRST_FACTORS {
                assert_eq!(
                    factors.contains(f),
                    known.contains(&M::Str(f.as_str().to_owned()))
                );
            }
            M::Obj(vec![
                ("SelectChallenge", names_view(&factors.names())),
                ("known", M::List(known)),
            ])
        }
        ChallengeKind::WebAuthn { options } => M::Obj(vec![("WebAuthn", s(options))]),
        ChallengeKind::Other { name, parameters } => M::Obj(vec![
            ("Other", M::Str((*name).to_owned())),
            (
                "parameters",
                parameters
                    .as_object()
                    .map_or(M::None, |o| M::Json(RefValue::Object(object_from_core(&o)))),
            ),
        ]),
        other => panic!("a ChallengeKind this harness does not know: {other:?}"),
    }
}

// --- The reference ------------------------------------------------------------------------------

/// `AuthReply::read`, from its documentation.
pub fn read(response: &HttpResponse<'_>) -> RefResult<M> {
    let obj = reply_ref::read_response(response)?;
    if let Some(result) = get_object(&obj, "AuthenticationResult")? {
        return Ok(result_ref(result)?);
    }
    challenge_ref(&obj)
}

fn opt_s(s: Option<String>) -> M {
    s.map_or(M::None, M::Str)
}

fn result_ref(o: &RefObject) -> Result<M, ProtocolError> {
    let access = plain(o, "AccessToken")?.ok_or(ProtocolError::MissingField("AccessToken"))?;
    if access.is_empty() {
        return Err(ProtocolError::InvalidField("AccessToken"));
    }
    let device = match get_object(o, "NewDeviceMetadata")? {
        None => M::None,
        Some(d) => M::Obj(vec![
            (
                "DeviceKey",
                M::Str(plain(d, "DeviceKey")?.ok_or(ProtocolError::MissingField("DeviceKey"))?),
            ),
            (
                "DeviceGroupKey",
                M::Str(
                    plain(d, "DeviceGroupKey")?
                        .ok_or(ProtocolError::MissingField("DeviceGroupKey"))?,
                ),
            ),
        ]),
    };
    Ok(M::Obj(vec![
        ("AccessToken", M::Str(access)),
        ("NewDeviceMetadata", device),
        ("IdToken", opt_s(plain(o, "IdToken")?)),
        ("RefreshToken", opt_s(plain(o, "RefreshToken")?)),
        ("ExpiresIn", M::U64(get_u64(o, "ExpiresIn")?.unwrap_or(0))),
        (
            "TokenType",
            M::Str(plain(o, "TokenType")?.unwrap_or_else(|| "Bearer".to_owned())),
        ),
    ]))
}

fn challenge_ref(o: &RefObject) -> RefResult<M> {
    let Some(name) = get_str(o, "ChallengeName")? else {
        return Err(ProtocolError::EmptyAuthResult.into());
    };
    let name = name
        .plain()
        .ok_or(ProtocolError::InvalidField("ChallengeName"))?
        .to_owned();
    let session = match get_str(o, "Session")? {
        Some(s) => Some(
            s.plain()
                .ok_or(ProtocolError::InvalidField("Session"))?
                .to_owned(),
        ),
        None => None,
    };
    let params = get_object(o, "ChallengeParameters")?;
    let available = get_array(o, "AvailableChallenges")?;
    let kind = kind_ref(&name, params, available)?;
    let params_m = params.map_or(M::None, |p| M::Json(RefValue::Object(p.clone())));
    Ok(M::Obj(vec![
        ("ChallengeName", M::Str(name)),
        ("Session", opt_s(session)),
        ("ChallengeParameters", params_m),
        (
            "AvailableChallenges",
            available.map_or(M::None, |a| M::Json(RefValue::Array(a.to_vec()))),
        ),
        ("kind", kind),
    ]))
}

/// One element of a string list: its decoded text, and whether its raw text (which the core
/// strips `userAttributes.` from) starts with that prefix, when the reference knows.
struct Name {
    text: String,
    raw_prefixed: Option<bool>,
}

/// A list sent as a JSON array of strings, or as such an array encoded in a string.
fn string_list(value: Option<&RefValue>, key: &'static str) -> RefResult<Vec<Name>> {
    match value {
        None | Some(RefValue::Null) => Ok(Vec::new()),
        Some(RefValue::Array(items)) => array_names(items, key),
        Some(RefValue::String(encoded)) => encoded_names(encoded, key),
        Some(_) => Err(ProtocolError::InvalidField(key).into()),
    }
}

fn array_names(items: &[RefValue], key: &'static str) -> RefResult<Vec<Name>> {
    items
        .iter()
        .map(|v| match v {
            RefValue::String(s) => Ok(Name {
                text: s.text.clone(),
                raw_prefixed: Some(s.raw.starts_with(ATTRIBUTE_PREFIX)),
            }),
            _ => Err(ProtocolError::InvalidField(key).into()),
        })
        .collect()
}

fn encoded_names(encoded: &RefStr, key: &'static str) -> RefResult<Vec<Name>> {
    match RefValue::parse(encoded.text.as_bytes()) {
        Some(RefValue::Array(items)) => {
            let names = array_names(&items, key)?;
            // Letters and `.` can only be escaped as `\u`: without one at either level, the raw
            // text of an element starts as its decoded text does.
            let no_unicode_escape = !encoded.raw.contains("\\u");
            Ok(names
                .into_iter()
                .map(|n| Name {
                    raw_prefixed: no_unicode_escape.then(|| n.text.starts_with(ATTRIBUTE_PREFIX)),
                    ..n
                })
                .collect())
        }
        Some(_) => Err(ProtocolError::InvalidField(key).into()),
        // serde_json refuses lone surrogates, which the core's list scanner lets through (it
        // checks the form of `\u` escapes only): either verdict is allowed there.
        None if has_surrogate_escape(&encoded.text) => Err(RefError::Lenient),
        None => Err(ProtocolError::InvalidField(key).into()),
    }
}

fn has_surrogate_escape(text: &str) -> bool {
    text.as_bytes()
        .windows(3)
        .any(|w| w[0] == b'\\' && w[1] == b'u' && matches!(w[2], b'd' | b'D'))
}

fn names_m(names: &[Name]) -> M {
    M::List(names.iter().map(|n| M::Str(n.text.clone())).collect())
}

fn kind_ref(
    name: &str,
    params: Option<&RefObject>,
    available: Option<&[RefValue]>,
) -> RefResult<M> {
    let param = |key: &str| params.and_then(|p| p.get(key));
    let param_str = |key: &str| param(key).and_then(RefValue::as_str);
    let code = |kind: &str| {
        let medium = param_str("CODE_DELIVERY_DELIVERY_MEDIUM")
            .map(|m| m.text.as_str())
            .filter(|m| matches!(*m, "SMS" | "EMAIL"));
        Ok(M::Obj(vec![
            ("MfaCode", M::Str(kind.to_owned())),
            (
                "destination",
                param_str("CODE_DELIVERY_DESTINATION").map_or(M::None, |d| M::Str(d.text.clone())),
            ),
            ("medium", opt_s(medium.map(str::to_owned))),
        ]))
    };
    let mfa_types = |tag: &'static str, key: &'static str| -> RefResult<M> {
        let names = string_list(param(key), key)?;
        let known = names
            .iter()
            .filter(|n| MFA_TYPES.iter().any(|t| t.as_str() == n.text))
            .map(|n| M::Str(n.text.clone()))
            .collect();
        Ok(M::Obj(vec![
            (tag, names_m(&names)),
            ("known", M::List(known)),
        ]))
    };
    let params_m = || params.map_or(M::None, |p| M::Json(RefValue::Object(p.clone())));
    match name {
        "SMS_MFA" | "SOFTWARE_TOKEN_MFA" | "EMAIL_OTP" | "SMS_OTP" => code(name),
        "SELECT_MFA_TYPE" => mfa_types("SelectMfaType", "MFAS_CAN_CHOOSE"),
        "MFA_SETUP" => mfa_types("MfaSetup", "MFAS_CAN_SETUP"),
        "NEW_PASSWORD_REQUIRED" => {
            let names = string_list(param("requiredAttributes"), "requiredAttributes")?;
            let stripped = names
                .iter()
                .map(
                    |n| match (n.text.strip_prefix(ATTRIBUTE_PREFIX), n.raw_prefixed) {
                        (Some(rest), Some(true)) => M::Str(rest.to_owned()),
                        (Some(rest), None) => {
                            M::Either(vec![M::Str(rest.to_owned()), M::Str(n.text.clone())])
                        }
                        _ => M::Str(n.text.clone()),
                    },
                )
                .collect();
            Ok(M::Obj(vec![("NewPasswordRequired", M::List(stripped))]))
        }
        "CUSTOM_CHALLENGE" => Ok(M::Obj(vec![("Custom", params_m())])),
        "SELECT_CHALLENGE" => {
            let names = match available {
                Some(items) => array_names(items, "AvailableChallenges")?,
                None => string_list(param("AVAILABLE_CHALLENGES"), "AVAILABLE_CHALLENGES")?,
            };
            let known = names
                .iter()
                .filter(|n| FIRST_FACTORS.iter().any(|f| f.as_str() == n.text))
                .map(|n| M::Str(n.text.clone()))
                .collect();
            Ok(M::Obj(vec![
                ("SelectChallenge", names_m(&names)),
                ("known", M::List(known)),
            ]))
        }
        "WEB_AUTHN" => {
            const OPTIONS: &str = "CREDENTIAL_REQUEST_OPTIONS";
            match param(OPTIONS) {
                Some(RefValue::String(options)) => {
                    Ok(M::Obj(vec![("WebAuthn", M::Str(options.text.clone()))]))
                }
                None | Some(RefValue::Null) => Err(ProtocolError::MissingField(OPTIONS).into()),
                Some(_) => Err(ProtocolError::InvalidField(OPTIONS).into()),
            }
        }
        other => Ok(M::Obj(vec![
            ("Other", M::Str(other.to_owned())),
            ("parameters", params_m()),
        ])),
    }
}
