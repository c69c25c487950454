//! Every reply reader of the account operations (`cognito_core::account`), against the
//! reference reader of [`crate::reply_ref`], directly and through [`Once`].
//!
//! Input: a reader selector byte (see [`READERS`]), a status byte (low 3 bits: 200, 200, 200,
//! 201, 400, 500, 429, 302; bit 3: an `x-amzn-ErrorType` header follows, its length in the next
//! byte), then the body.
//!
//! Properties: each reader returns exactly what the reference reads from the same response (the
//! same protocol error, the same service error — name, message, truncation, kind — or the same
//! decoded values, member by member, with the last of duplicate keys winning); every `List`
//! iterates exactly its length (elements were all checked when the reply was read) and `get`
//! agrees with the iteration; `value_of` / `device_name` pick the last attribute of that name;
//! `Debug` of `AssociateSoftwareTokenReply` hides the secret; `Call::read_reply`, the reply's own
//! `read` and a [`Once`] flow agree, and `Once` refuses a reply before its request and anything
//! after its reply.

use std::sync::OnceLock;

use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, Attribute, ChangePassword,
    CodeDeliveryDetails, CodeDeliveryReply, CompleteWebAuthnRegistration, ConfirmDevice,
    ConfirmDeviceReply, ConfirmForgotPassword, ConfirmSignUp, ConfirmSignUpReply, DeleteUser,
    DeleteUserAttributes, DeleteWebAuthnCredential, Device, FeedbackValue, ForgetDevice,
    ForgotPassword, GetDevice, GetDeviceReply, GetUser, GetUserAttributeVerificationCode,
    GetUserAuthFactors, GetUserAuthFactorsReply, GetUserReply, GlobalSignOut, List, ListDevices,
    ListDevicesReply, ListItem, ListWebAuthnCredentials, ListWebAuthnCredentialsReply, MfaOption,
    ResendConfirmationCode, RevokeToken, SetUserMfaPreference, SetUserSettings, SignUp,
    SignUpReply, StartWebAuthnRegistration, StartWebAuthnRegistrationReply, TokenOrSession,
    UpdateAuthEventFeedback, UpdateDeviceStatus, UpdateUserAttributes, UpdateUserAttributesReply,
    VerifySoftwareToken, VerifySoftwareTokenReply, VerifyUserAttribute, WebAuthnCredential,
};
use cognito_core::auth::ClientConfig;
use cognito_core::exchange::{Flow, Once};
use cognito_core::srp::DeviceVerifier;
use cognito_core::time::UnixTime;
use cognito_core::wire::{HttpResponse, JsonStr};
use cognito_core::{Call, Error, Misuse, ProtocolError};

use crate::json_ref::{RefObject, RefStr, RefValue, object_from_core};
use crate::reply_ref::{
    self, M, RefResult, get_bool, get_f64, get_object, get_str, list, object_item, plain,
    plain_item, require_object, require_plain, require_str,
};

/// The readers, by selector (the byte is taken modulo their number).
pub(crate) const READERS: &[&str] = &[
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "ForgotPassword",
    "GetUserAttributeVerificationCode",
    "GetUser",
    "GetUserAuthFactors",
    "UpdateUserAttributes",
    "AssociateSoftwareToken",
    "VerifySoftwareToken",
    "GetDevice",
    "ListDevices",
    "ConfirmDevice",
    "StartWebAuthnRegistration",
    "ListWebAuthnCredentials",
    "operations without a reply body",
];

const STATUS: [u16; 8] = [200, 200, 200, 201, 400, 500, 429, 302];

/// Splits the input into the selector and a response.
fn split_input(data: &[u8]) -> Option<(u8, HttpResponse<'_>)> {
    let (&[selector, status], rest) = data.split_first_chunk::<2>()?;
    let (header, body) = if status & 8 != 0 {
        let (&len, rest) = rest.split_first()?;
        let (header, body) = rest.split_at(usize::from(len).min(rest.len()));
        (core::str::from_utf8(header).ok(), body)
    } else {
        (None, rest)
    };
    let response = HttpResponse::new(STATUS[usize::from(status & 7)], body).with_error_type(header);
    Some((selector, response))
}

/// The harness.
pub fn account_replies(data: &[u8]) {
    let Some((selector, response)) = split_input(data) else {
        return;
    };
    let r = &response;
    match usize::from(selector) % READERS.len() {
        0 => {
            let call = SignUp {
                username: "alice",
                password: Some("Passw0rd!"),
                ..SignUp::default()
            };
            run(call, r, reference(r, sign_up_ref), |x: &SignUpReply<'_>| {
                sign_up_view(x)
            });
            check_same(&SignUpReply::read(r), &SignUp::read_reply(r), sign_up_view);
        }
        1 => {
            let call = ConfirmSignUp {
                username: "alice",
                confirmation_code: "123456",
                ..ConfirmSignUp::default()
            };
            let view = |x: &ConfirmSignUpReply<'_>| M::Obj(vec![("Session", opt_plain(x.session))]);
            run(
                call,
                r,
                reference(r, |o| {
                    Ok(M::Obj(vec![("Session", opt_s(plain(o, "Session")?))]))
                }),
                view,
            );
            check_same(
                &ConfirmSignUpReply::read(r),
                &ConfirmSignUp::read_reply(r),
                view,
            );
        }
        2 => {
            let call = ResendConfirmationCode {
                username: "alice",
                ..ResendConfirmationCode::default()
            };
            run(
                call,
                r,
                reference(r, code_delivery_reply_ref),
                code_delivery_reply_view,
            );
            check_same(
                &CodeDeliveryReply::read(r),
                &ResendConfirmationCode::read_reply(r),
                code_delivery_reply_view,
            );
        }
        3 => {
            let call = ForgotPassword {
                username: "alice",
                ..ForgotPassword::default()
            };
            run(
                call,
                r,
                reference(r, code_delivery_reply_ref),
                code_delivery_reply_view,
            );
        }
        4 => {
            let call = GetUserAttributeVerificationCode {
                access_token: "eyJ.a.b",
                attribute_name: "email",
                ..GetUserAttributeVerificationCode::default()
            };
            run(
                call,
                r,
                reference(r, code_delivery_reply_ref),
                code_delivery_reply_view,
            );
        }
        5 => {
            let call = GetUser {
                access_token: "eyJ.a.b",
            };
            run(call, r, reference(r, get_user_ref), get_user_view);
            check_same(
                &GetUserReply::read(r),
                &GetUser::read_reply(r),
                get_user_view,
            );
        }
        6 => {
            let call = GetUserAuthFactors {
                access_token: "eyJ.a.b",
            };
            run(call, r, reference(r, auth_factors_ref), auth_factors_view);
            check_same(
                &GetUserAuthFactorsReply::read(r),
                &GetUserAuthFactors::read_reply(r),
                auth_factors_view,
            );
        }
        7 => {
            let call = UpdateUserAttributes {
                access_token: "eyJ.a.b",
                user_attributes: &[("name", "Alice")],
                ..UpdateUserAttributes::default()
            };
            let view = |x: &UpdateUserAttributesReply<'_>| {
                M::Obj(vec![(
                    "CodeDeliveryDetailsList",
                    list_view(&x.code_delivery_details_list, code_delivery_view),
                )])
            };
            let theirs = reference(r, |o| {
                Ok(M::Obj(vec![(
                    "CodeDeliveryDetailsList",
                    M::List(list(o, "CodeDeliveryDetailsList", |v, f| {
                        code_delivery_ref(object_item(v, f)?)
                    })?),
                )]))
            });
            run(call, r, theirs, view);
            check_same(
                &UpdateUserAttributesReply::read(r),
                &UpdateUserAttributes::read_reply(r),
                view,
            );
        }
        8 => {
            let call = AssociateSoftwareToken {
                auth: TokenOrSession::Session("AYABsession"),
            };
            let theirs = reference(r, |o| {
                Ok(M::Obj(vec![
                    ("SecretCode", M::Str(require_plain(o, "SecretCode")?)),
                    ("Session", opt_s(plain(o, "Session")?)),
                ]))
            });
            run(call, r, theirs, associate_view);
            check_same(
                &AssociateSoftwareTokenReply::read(r),
                &AssociateSoftwareToken::read_reply(r),
                associate_view,
            );
        }
        9 => {
            let call = VerifySoftwareToken {
                auth: TokenOrSession::AccessToken("eyJ.a.b"),
                user_code: "123456",
                friendly_device_name: None,
            };
            let view = |x: &VerifySoftwareTokenReply<'_>| {
                M::Obj(vec![
                    ("Status", opt_plain(x.status)),
                    ("Session", opt_plain(x.session)),
                    ("is_success", M::Bool(x.is_success())),
                ])
            };
            let theirs = reference(r, |o| {
                let status = plain(o, "Status")?;
                let session = plain(o, "Session")?;
                let success = status.as_deref() == Some("SUCCESS");
                Ok(M::Obj(vec![
                    ("Status", opt_s(status)),
                    ("Session", opt_s(session)),
                    ("is_success", M::Bool(success)),
                ]))
            });
            run(call, r, theirs, view);
            check_same(
                &VerifySoftwareTokenReply::read(r),
                &VerifySoftwareToken::read_reply(r),
                view,
            );
        }
        10 => {
            let call = GetDevice {
                access_token: "eyJ.a.b",
                device_key: "us-east-1_dev",
            };
            let view = |x: &GetDeviceReply<'_>| M::Obj(vec![("Device", device_view(&x.device))]);
            let theirs = reference(r, |o| {
                Ok(M::Obj(vec![(
                    "Device",
                    device_ref(require_object(o, "Device")?)?,
                )]))
            });
            run(call, r, theirs, view);
            check_same(&GetDeviceReply::read(r), &GetDevice::read_reply(r), view);
        }
        11 => {
            let call = ListDevices {
                access_token: "eyJ.a.b",
                limit: Some(10),
                pagination_token: None,
            };
            let view = |x: &ListDevicesReply<'_>| {
                M::Obj(vec![
                    ("Devices", list_view(&x.devices, device_view)),
                    ("PaginationToken", opt_plain(x.pagination_token)),
                ])
            };
            let theirs = reference(r, |o| {
                Ok(M::Obj(vec![
                    (
                        "Devices",
                        M::List(list(o, "Devices", |v, f| device_ref(object_item(v, f)?))?),
                    ),
                    ("PaginationToken", opt_s(plain(o, "PaginationToken")?)),
                ]))
            });
            run(call, r, theirs, view);
            check_same(
                &ListDevicesReply::read(r),
                &ListDevices::read_reply(r),
                view,
            );
        }
        12 => {
            let call = ConfirmDevice {
                access_token: "eyJ.a.b",
                device_key: "us-east-1_dev",
                verifier: verifier(),
                device_name: Some("kiosk"),
            };
            let theirs = reference(r, |o| {
                Ok(M::Bool(
                    get_bool(o, "UserConfirmationNecessary")?.unwrap_or(false),
                ))
            });
            run(call, r, theirs, |x: &ConfirmDeviceReply| {
                M::Bool(x.user_confirmation_necessary)
            });
        }
        13 => {
            let call = StartWebAuthnRegistration {
                access_token: "eyJ.a.b",
            };
            let view = |x: &StartWebAuthnRegistrationReply<'_>| {
                M::Json(RefValue::Object(object_from_core(
                    &x.credential_creation_options,
                )))
            };
            let theirs = reference(r, |o| {
                Ok(M::Json(RefValue::Object(
                    require_object(o, "CredentialCreationOptions")?.clone(),
                )))
            });
            run(call, r, theirs, view);
            check_same(
                &StartWebAuthnRegistrationReply::read(r),
                &StartWebAuthnRegistration::read_reply(r),
                view,
            );
        }
        14 => {
            let call = ListWebAuthnCredentials {
                access_token: "eyJ.a.b",
                next_token: Some("next"),
                max_results: Some(20),
            };
            let view = |x: &ListWebAuthnCredentialsReply<'_>| {
                M::Obj(vec![
                    ("Credentials", list_view(&x.credentials, credential_view)),
                    ("NextToken", opt_plain(x.next_token)),
                ])
            };
            let theirs = reference(r, |o| {
                Ok(M::Obj(vec![
                    (
                        "Credentials",
                        M::List(list(o, "Credentials", |v, f| {
                            credential_ref(object_item(v, f)?)
                        })?),
                    ),
                    ("NextToken", opt_s(plain(o, "NextToken")?)),
                ]))
            });
            run(call, r, theirs, view);
            check_same(
                &ListWebAuthnCredentialsReply::read(r),
                &ListWebAuthnCredentials::read_reply(r),
                view,
            );
        }
        _ => unit_replies(r),
    }
}

/// The operations whose success carries nothing: each reads exactly `read_response`'s verdict.
fn unit_replies(r: &HttpResponse<'_>) {
    let unit = |_: &()| M::None;
    let theirs = || reference(r, |_| Ok(M::None));
    let token = "eyJ.a.b";
    run(
        ConfirmForgotPassword {
            username: "alice",
            confirmation_code: "123456",
            password: "N3w-Passw0rd",
            ..ConfirmForgotPassword::default()
        },
        r,
        theirs(),
        unit,
    );
    run(
        ChangePassword {
            access_token: token,
            previous_password: Some("old"),
            proposed_password: "N3w-Passw0rd",
        },
        r,
        theirs(),
        unit,
    );
    run(
        DeleteUserAttributes {
            access_token: token,
            user_attribute_names: &["nickname"],
        },
        r,
        theirs(),
        unit,
    );
    run(
        VerifyUserAttribute {
            access_token: token,
            attribute_name: "email",
            code: "123456",
        },
        r,
        theirs(),
        unit,
    );
    run(
        DeleteUser {
            access_token: token,
        },
        r,
        theirs(),
        unit,
    );
    run(
        SetUserMfaPreference {
            access_token: token,
            web_authn_enabled: Some(true),
            ..SetUserMfaPreference::default()
        },
        r,
        theirs(),
        unit,
    );
    run(
        SetUserSettings {
            access_token: token,
            mfa_options: &[],
        },
        r,
        theirs(),
        unit,
    );
    run(
        ForgetDevice {
            access_token: token,
            device_key: "us-east-1_dev",
        },
        r,
        theirs(),
        unit,
    );
    run(
        UpdateDeviceStatus {
            access_token: token,
            device_key: "us-east-1_dev",
            remembered: true,
        },
        r,
        theirs(),
        unit,
    );
    run(
        GlobalSignOut {
            access_token: token,
        },
        r,
        theirs(),
        unit,
    );
    run(RevokeToken { token: "refresh" }, r, theirs(), unit);
    run(
        UpdateAuthEventFeedback {
            username: "alice",
            event_id: "event",
            feedback_token: "feedback",
            feedback_value: FeedbackValue::Invalid,
        },
        r,
        theirs(),
        unit,
    );
    run(
        CompleteWebAuthnRegistration {
            access_token: token,
            credential: r#"{"id":"x"}"#,
        },
        r,
        theirs(),
        unit,
    );
    run(
        DeleteWebAuthnCredential {
            access_token: token,
            credential_id: "cred",
        },
        r,
        theirs(),
        unit,
    );
}

fn verifier() -> &'static DeviceVerifier {
    static VERIFIER: OnceLock<DeviceVerifier> = OnceLock::new();
    VERIFIER
        .get_or_init(|| DeviceVerifier::from_random("-grp", "us-east-1_dev", &[1; 40], &[2; 16]))
}

fn config() -> &'static ClientConfig {
    static CONFIG: OnceLock<ClientConfig> = OnceLock::new();
    CONFIG.get_or_init(|| ClientConfig::new("us-east-1_TestPool1", "client").unwrap())
}

/// The reference's verdict on a response, read by `read`.
fn reference(
    response: &HttpResponse<'_>,
    read: impl Fn(&RefObject) -> Result<M, ProtocolError>,
) -> RefResult<M> {
    reply_ref::read_response(response).and_then(|obj| read(&obj).map_err(Into::into))
}

/// `call`'s reader against the reference, directly and through a [`Once`] flow.
fn run<C: Call>(
    call: C,
    response: &HttpResponse<'_>,
    theirs: RefResult<M>,
    view: impl for<'r> Fn(&C::Reply<'r>) -> M,
) {
    let direct = C::read_reply(response);
    reply_ref::check(&direct, &theirs, &view);

    let mut flow = Once::new(config(), call);
    let now = UnixTime::from_secs(0);
    assert!(flow.has_request());
    assert!(matches!(
        flow.handle_response(response, now),
        Err(Error::Misuse(Misuse::OutOfOrder))
    ));
    let mut buf = [0u8; 1024];
    let request = flow.write_request(&mut buf).unwrap();
    assert_eq!(request.operation, C::OPERATION);
    assert_eq!(request.resend, C::RESEND);
    assert!(RefValue::parse(request.body).is_some_and(|v| matches!(v, RefValue::Object(_))));
    let through_flow = flow.handle_response(response, now);
    reply_ref::check(&through_flow, &theirs, &view);
    assert!(!flow.has_request());
    assert!(matches!(
        flow.write_request(&mut buf),
        Err(Error::Misuse(Misuse::OutOfOrder))
    ));
    assert!(matches!(
        flow.handle_response(response, now),
        Err(Error::Misuse(Misuse::OutOfOrder))
    ));
}

/// Two readers of the same reply agree.
fn check_same<T>(a: &Result<T, Error>, b: &Result<T, Error>, view: impl Fn(&T) -> M) {
    match (a, b) {
        (Ok(a), Ok(b)) => assert_eq!(view(a), view(b)),
        (Err(a), Err(b)) => assert_eq!(a, b),
        _ => panic!("readers of one reply disagree"),
    }
}

// --- Views of the core's replies ---------------------------------------------------------------

fn s(j: &JsonStr<'_>) -> M {
    M::Str(j.chars().collect())
}

fn opt_str(j: Option<JsonStr<'_>>) -> M {
    j.as_ref().map_or(M::None, s)
}

fn opt_plain(p: Option<&str>) -> M {
    p.map_or(M::None, |p| M::Str(p.to_owned()))
}

fn opt_f64(f: Option<f64>) -> M {
    f.map_or(M::None, |f| M::F64(f.to_bits()))
}

/// A list: its elements in order, checking that iteration loses none and `get` agrees.
fn list_view<'r, T: ListItem<'r>>(l: &List<'r, T>, item: impl Fn(&T) -> M) -> M {
    let items: Vec<M> = l.iter().map(|x| item(&x)).collect();
    assert_eq!(items.len(), l.len(), "a checked list lost elements");
    assert_eq!(l.is_empty(), items.is_empty());
    for (i, expected) in items.iter().enumerate() {
        assert_eq!(&item(&l.get(i).unwrap()), expected);
    }
    assert!(l.get(items.len()).is_none());
    match RefValue::parse(l.raw().as_bytes()) {
        Some(RefValue::Array(a)) => assert_eq!(a.len(), items.len()),
        other => panic!("a list's raw text is not an array: {other:?}"),
    }
    M::List(items)
}

fn code_delivery_view(x: &CodeDeliveryDetails<'_>) -> M {
    M::Obj(vec![
        ("Destination", opt_str(x.destination)),
        ("DeliveryMedium", opt_plain(x.delivery_medium)),
        ("AttributeName", opt_str(x.attribute_name)),
    ])
}

fn code_delivery_reply_view(x: &CodeDeliveryReply<'_>) -> M {
    M::Obj(vec![(
        "CodeDeliveryDetails",
        x.code_delivery_details
            .as_ref()
            .map_or(M::None, code_delivery_view),
    )])
}

fn sign_up_view(x: &SignUpReply<'_>) -> M {
    M::Obj(vec![
        ("UserSub", M::Str(x.user_sub.to_owned())),
        ("UserConfirmed", M::Bool(x.user_confirmed)),
        (
            "CodeDeliveryDetails",
            x.code_delivery_details
                .as_ref()
                .map_or(M::None, code_delivery_view),
        ),
        ("Session", opt_plain(x.session)),
    ])
}

fn attribute_view(a: &Attribute<'_>) -> M {
    M::Obj(vec![("Name", s(&a.name)), ("Value", opt_str(a.value))])
}

/// Names whose `value_of` the views compare.
const PROBES: [&str; 4] = ["email", "sub", "device_name", "custom:tier"];

fn attributes_view(l: &List<'_, Attribute<'_>>) -> M {
    let mut parts = vec![("list", list_view(l, attribute_view))];
    for probe in PROBES {
        parts.push((probe, opt_str(l.value_of(probe))));
    }
    if let Some(first) = l.iter().next() {
        let name: String = first.name.chars().collect();
        parts.push(("first", opt_str(l.value_of(&name))));
    }
    M::Obj(parts)
}

fn get_user_view(x: &GetUserReply<'_>) -> M {
    M::Obj(vec![
        ("Username", s(&x.username)),
        ("UserAttributes", attributes_view(&x.user_attributes)),
        (
            "MFAOptions",
            list_view(&x.mfa_options, |o: &MfaOption<'_>| {
                M::Obj(vec![
                    ("DeliveryMedium", opt_plain(o.delivery_medium)),
                    ("AttributeName", opt_str(o.attribute_name)),
                ])
            }),
        ),
        ("PreferredMfaSetting", opt_plain(x.preferred_mfa_setting)),
        (
            "UserMFASettingList",
            list_view(&x.user_mfa_setting_list, |p: &&str| M::Str((*p).to_owned())),
        ),
    ])
}

fn auth_factors_view(x: &GetUserAuthFactorsReply<'_>) -> M {
    M::Obj(vec![
        ("Username", s(&x.username)),
        ("PreferredMfaSetting", opt_plain(x.preferred_mfa_setting)),
        (
            "UserMFASettingList",
            list_view(&x.user_mfa_setting_list, |p: &&str| M::Str((*p).to_owned())),
        ),
        (
            "ConfiguredUserAuthFactors",
            list_view(&x.configured_user_auth_factors, |p: &&str| {
                M::Str((*p).to_owned())
            }),
        ),
    ])
}

fn associate_view(x: &AssociateSoftwareTokenReply<'_>) -> M {
    let shown = format!("{x:?}");
    let skeleton = format!(
        "{:?}",
        AssociateSoftwareTokenReply {
            secret_code: "",
            session: x.session,
        }
    );
    if x.secret_code.len() >= 4 && !skeleton.contains(x.secret_code) {
        assert!(
            !shown.contains(x.secret_code),
            "Debug shows the TOTP secret"
        );
    }
    M::Obj(vec![
        ("SecretCode", M::Str(x.secret_code.to_owned())),
        ("Session", opt_plain(x.session)),
    ])
}

fn device_view(d: &Device<'_>) -> M {
    M::Obj(vec![
        ("DeviceKey", M::Str(d.device_key.to_owned())),
        ("DeviceAttributes", attributes_view(&d.device_attributes)),
        ("DeviceCreateDate", opt_f64(d.create_date)),
        ("DeviceLastModifiedDate", opt_f64(d.last_modified_date)),
        (
            "DeviceLastAuthenticatedDate",
            opt_f64(d.last_authenticated_date),
        ),
        ("device_name", opt_str(d.device_name())),
    ])
}

fn credential_view(c: &WebAuthnCredential<'_>) -> M {
    M::Obj(vec![
        ("CredentialId", M::Str(c.credential_id.to_owned())),
        ("FriendlyCredentialName", s(&c.friendly_credential_name)),
        ("RelyingPartyId", M::Str(c.relying_party_id.to_owned())),
        (
            "AuthenticatorAttachment",
            opt_plain(c.authenticator_attachment),
        ),
        (
            "AuthenticatorTransports",
            list_view(&c.authenticator_transports, |p: &&str| {
                M::Str((*p).to_owned())
            }),
        ),
        ("CreatedAt", M::F64(c.created_at.to_bits())),
    ])
}

// --- The reference readers, from the documented shapes ---------------------------------------

fn rs(s: &RefStr) -> M {
    M::Str(s.text.clone())
}

fn opt_rs(s: Option<&RefStr>) -> M {
    s.map_or(M::None, rs)
}

fn opt_s(s: Option<String>) -> M {
    s.map_or(M::None, M::Str)
}

fn opt_bits(b: Option<u64>) -> M {
    b.map_or(M::None, M::F64)
}

fn code_delivery_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![
        ("Destination", opt_rs(get_str(o, "Destination")?)),
        ("DeliveryMedium", opt_s(plain(o, "DeliveryMedium")?)),
        ("AttributeName", opt_rs(get_str(o, "AttributeName")?)),
    ]))
}

fn code_delivery_member(o: &RefObject) -> Result<M, ProtocolError> {
    get_object(o, "CodeDeliveryDetails")?.map_or(Ok(M::None), code_delivery_ref)
}

fn code_delivery_reply_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![(
        "CodeDeliveryDetails",
        code_delivery_member(o)?,
    )]))
}

fn sign_up_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![
        ("UserSub", M::Str(require_plain(o, "UserSub")?)),
        (
            "UserConfirmed",
            M::Bool(
                get_bool(o, "UserConfirmed")?
                    .ok_or(ProtocolError::MissingField("UserConfirmed"))?,
            ),
        ),
        ("CodeDeliveryDetails", code_delivery_member(o)?),
        ("Session", opt_s(plain(o, "Session")?)),
    ]))
}

fn attribute_ref(
    v: &RefValue,
    field: &'static str,
) -> Result<(String, Option<String>), ProtocolError> {
    let o = object_item(v, field)?;
    Ok((
        require_str(o, "Name")?.text.clone(),
        get_str(o, "Value")?.map(|s| s.text.clone()),
    ))
}

fn attributes_ref(o: &RefObject, key: &'static str) -> Result<M, ProtocolError> {
    let attrs = list(o, key, attribute_ref)?;
    let value_of = |name: &str| {
        attrs
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
            .map_or(M::None, M::Str)
    };
    let mut parts = vec![(
        "list",
        M::List(
            attrs
                .iter()
                .map(|(n, v)| {
                    M::Obj(vec![
                        ("Name", M::Str(n.clone())),
                        ("Value", opt_s(v.clone())),
                    ])
                })
                .collect(),
        ),
    )];
    for probe in PROBES {
        parts.push((probe, value_of(probe)));
    }
    if let Some((first, _)) = attrs.first() {
        parts.push(("first", value_of(first)));
    }
    Ok(M::Obj(parts))
}

fn get_user_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![
        ("Username", rs(require_str(o, "Username")?)),
        ("UserAttributes", attributes_ref(o, "UserAttributes")?),
        (
            "MFAOptions",
            M::List(list(o, "MFAOptions", |v, f| {
                let item = object_item(v, f)?;
                Ok(M::Obj(vec![
                    ("DeliveryMedium", opt_s(plain(item, "DeliveryMedium")?)),
                    ("AttributeName", opt_rs(get_str(item, "AttributeName")?)),
                ]))
            })?),
        ),
        (
            "PreferredMfaSetting",
            opt_s(plain(o, "PreferredMfaSetting")?),
        ),
        ("UserMFASettingList", plain_list(o, "UserMFASettingList")?),
    ]))
}

fn plain_list(o: &RefObject, key: &'static str) -> Result<M, ProtocolError> {
    Ok(M::List(list(o, key, |v, f| plain_item(v, f).map(M::Str))?))
}

fn auth_factors_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![
        ("Username", rs(require_str(o, "Username")?)),
        (
            "PreferredMfaSetting",
            opt_s(plain(o, "PreferredMfaSetting")?),
        ),
        ("UserMFASettingList", plain_list(o, "UserMFASettingList")?),
        (
            "ConfiguredUserAuthFactors",
            plain_list(o, "ConfiguredUserAuthFactors")?,
        ),
    ]))
}

fn device_ref(o: &RefObject) -> Result<M, ProtocolError> {
    let key = require_plain(o, "DeviceKey")?;
    let attributes = attributes_ref(o, "DeviceAttributes")?;
    let device_name = match &attributes {
        M::Obj(parts) => parts
            .iter()
            .find(|(k, _)| *k == "device_name")
            .map(|(_, v)| v.clone())
            .unwrap_or(M::None),
        _ => M::None,
    };
    Ok(M::Obj(vec![
        ("DeviceKey", M::Str(key)),
        ("DeviceAttributes", attributes),
        (
            "DeviceCreateDate",
            opt_bits(get_f64(o, "DeviceCreateDate")?),
        ),
        (
            "DeviceLastModifiedDate",
            opt_bits(get_f64(o, "DeviceLastModifiedDate")?),
        ),
        (
            "DeviceLastAuthenticatedDate",
            opt_bits(get_f64(o, "DeviceLastAuthenticatedDate")?),
        ),
        ("device_name", device_name),
    ]))
}

fn credential_ref(o: &RefObject) -> Result<M, ProtocolError> {
    Ok(M::Obj(vec![
        ("CredentialId", M::Str(require_plain(o, "CredentialId")?)),
        (
            "FriendlyCredentialName",
            rs(require_str(o, "FriendlyCredentialName")?),
        ),
        (
            "RelyingPartyId",
            M::Str(require_plain(o, "RelyingPartyId")?),
        ),
        (
            "AuthenticatorAttachment",
            opt_s(plain(o, "AuthenticatorAttachment")?),
        ),
        (
            "AuthenticatorTransports",
            plain_list(o, "AuthenticatorTransports")?,
        ),
        (
            "CreatedAt",
            M::F64(get_f64(o, "CreatedAt")?.ok_or(ProtocolError::MissingField("CreatedAt"))?),
        ),
    ]))
}
