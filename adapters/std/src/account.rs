//! Account operations: owned results of the core's calls ([`OwnedCall`]), and the client
//! methods for them — each defined once, async and blocking alike.

use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, Attribute, ChangePassword,
    CodeDeliveryDetails, CodeDeliveryReply, CompleteWebAuthnRegistration, ConfirmDevice,
    ConfirmDeviceReply, ConfirmForgotPassword, ConfirmSignUp, ConfirmSignUpReply, DeleteUser,
    DeleteUserAttributes, DeleteWebAuthnCredential, FeedbackValue, ForgetDevice, ForgotPassword,
    GetDevice, GetDeviceReply, GetUser, GetUserAttributeVerificationCode, GetUserAuthFactors,
    GetUserAuthFactorsReply, GetUserReply, GlobalSignOut, ListDevices, ListDevicesReply,
    ListWebAuthnCredentials, ListWebAuthnCredentialsReply, MfaOptionSetting, MfaSetting,
    ResendConfirmationCode, RevokeToken, SetUserMfaPreference, SetUserSettings, SignUp,
    SignUpReply, StartWebAuthnRegistration, StartWebAuthnRegistrationReply, TokenOrSession,
    UpdateAuthEventFeedback, UpdateDeviceStatus, UpdateUserAttributes, UpdateUserAttributesReply,
    VerifySoftwareToken, VerifySoftwareTokenReply, VerifyUserAttribute,
};

use zeroize::Zeroizing;

use crate::error::{Error, Result};
use crate::exchange::{OwnedCall, pairs};
use crate::redact::hide_opt;
use crate::session::Session;

/// An attribute as an owned (name, value) pair.
fn attribute_pair(a: &Attribute<'_>) -> (String, String) {
    (
        a.name.to_string(),
        a.value.map(|v| v.to_string()).unwrap_or_default(),
    )
}

/// Where a confirmation code was sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CodeDelivery {
    /// The destination, masked (`a***@e***`).
    pub destination: Option<String>,
    /// `SMS` or `EMAIL`.
    pub delivery_medium: Option<String>,
    /// The attribute the code verifies.
    pub attribute_name: Option<String>,
}

impl CodeDelivery {
    fn from_core(d: &CodeDeliveryDetails<'_>) -> Self {
        Self {
            destination: d.destination.map(|s| s.to_string()),
            delivery_medium: d.delivery_medium.map(str::to_owned),
            attribute_name: d.attribute_name.map(|s| s.to_string()),
        }
    }
}

/// The result of [`Client::sign_up`](crate::Client::sign_up). Its `session` (it signs the user
/// in) is zeroized on drop, and `Debug` shows it as `<redacted>`.
#[derive(Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// The new user's `sub`.
    pub user_sub: String,
    /// Whether the user is already confirmed.
    pub user_confirmed: bool,
    /// Where the confirmation code went.
    pub code_delivery: Option<CodeDelivery>,
    /// A `Session` for signing in right after confirmation
    /// ([`crate::SignInRequest::after_sign_up`]), when the pool gives one; zeroized on drop.
    pub session: Option<Zeroizing<String>>,
}

impl core::fmt::Debug for SignUpResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignUpResult")
            .field("user_sub", &self.user_sub)
            .field("user_confirmed", &self.user_confirmed)
            .field("code_delivery", &self.code_delivery)
            .field(
                "session",
                &hide_opt(self.session.as_deref().map(String::as_str)),
            )
            .finish()
    }
}

/// The user, from [`Client::get_user`](crate::Client::get_user).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// The username.
    pub username: String,
    /// The attributes, in the server's order.
    pub attributes: Vec<(String, String)>,
    /// The preferred MFA (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub preferred_mfa: Option<String>,
    /// The MFA factors enabled.
    pub mfa_settings: Vec<String>,
}

impl User {
    /// The value of attribute `name`.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A device from [`Client::list_devices`](crate::Client::list_devices).
#[derive(Clone, Debug, PartialEq)]
pub struct DeviceInfo {
    /// `DeviceKey`.
    pub key: String,
    /// `DeviceAttributes` (`device_name`, `device_status`, …).
    pub attributes: Vec<(String, String)>,
    /// `DeviceCreateDate` (seconds since the epoch).
    pub create_date: Option<f64>,
    /// `DeviceLastModifiedDate`.
    pub last_modified_date: Option<f64>,
    /// `DeviceLastAuthenticatedDate`.
    pub last_authenticated_date: Option<f64>,
}

impl DeviceInfo {
    fn from_core(d: &cognito_core::account::Device<'_>) -> Self {
        Self {
            key: d.device_key.to_owned(),
            attributes: d
                .device_attributes
                .iter()
                .map(|a| attribute_pair(&a))
                .collect(),
            create_date: d.create_date,
            last_modified_date: d.last_modified_date,
            last_authenticated_date: d.last_authenticated_date,
        }
    }

    /// The `device_status` attribute (`valid`, …) when the server reports it.
    #[must_use]
    pub fn status(&self) -> Option<&str> {
        self.attribute("device_status")
    }

    /// The `dev:device_remembered_status` attribute (`remembered` or `not_remembered`), once
    /// decided.
    #[must_use]
    pub fn remembered_status(&self) -> Option<&str> {
        self.attribute("dev:device_remembered_status")
            .or_else(|| self.attribute("device_remembered_status"))
    }

    /// The value of attribute `name`.
    #[must_use]
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The `device_name` attribute.
    #[must_use]
    pub fn name(&self) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == "device_name")
            .map(|(_, v)| v.as_str())
    }
}

/// One page of [`Client::list_devices`](crate::Client::list_devices).
#[derive(Clone, Debug, PartialEq)]
pub struct DevicePage {
    /// The devices.
    pub devices: Vec<DeviceInfo>,
    /// The token for the next page, if there is one.
    pub pagination_token: Option<String>,
}

/// MFA preferences for [`Client::set_mfa_preference`](crate::Client::set_mfa_preference); `None` leaves a factor unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MfaPreference {
    /// SMS MFA.
    pub sms: Option<MfaSetting>,
    /// Authenticator-app MFA.
    pub software_token: Option<MfaSetting>,
    /// Email MFA.
    pub email: Option<MfaSetting>,
}

/// The user's sign-in factors, from [`Client::get_user_auth_factors`](crate::Client::get_user_auth_factors).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuthFactors {
    /// The username.
    pub username: String,
    /// The preferred MFA (`SMS_MFA`, `SOFTWARE_TOKEN_MFA`, `EMAIL_OTP`).
    pub preferred_mfa: Option<String>,
    /// The MFA factors enabled (`UserMFASettingList`).
    pub mfa_settings: Vec<String>,
    /// The factors the user can sign in with (`ConfiguredUserAuthFactors`: `PASSWORD`,
    /// `EMAIL_OTP`, `SMS_OTP`, `WEB_AUTHN`, `SOFTWARE_TOKEN`).
    pub configured_factors: Vec<String>,
}

/// A registered passkey, from [`Client::list_web_authn_credentials`](crate::Client::list_web_authn_credentials).
#[derive(Clone, Debug, PartialEq)]
pub struct WebAuthnCredential {
    /// `CredentialId`: what [`Client::delete_web_authn_credential`](crate::Client::delete_web_authn_credential) takes.
    pub credential_id: String,
    /// `FriendlyCredentialName`.
    pub friendly_name: String,
    /// `RelyingPartyId`.
    pub relying_party_id: String,
    /// `AuthenticatorAttachment`: `platform` or `cross-platform`.
    pub authenticator_attachment: Option<String>,
    /// `AuthenticatorTransports`: `usb`, `nfc`, `ble`, `internal`, `hybrid`.
    pub authenticator_transports: Vec<String>,
    /// `CreatedAt` (seconds since the epoch).
    pub created_at: f64,
}

/// One page of [`Client::list_web_authn_credentials`](crate::Client::list_web_authn_credentials).
#[derive(Clone, Debug, PartialEq)]
pub struct WebAuthnCredentialPage {
    /// The credentials.
    pub credentials: Vec<WebAuthnCredential>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

/// Operations whose success reply carries nothing.
macro_rules! unit_outputs {
    ($($call:ident),* $(,)?) => {$(
        impl OwnedCall for $call<'_> {
            type Output = ();

            fn output((): ()) {}
        }
    )*};
}

unit_outputs!(
    ConfirmForgotPassword,
    ChangePassword,
    DeleteUserAttributes,
    VerifyUserAttribute,
    DeleteUser,
    SetUserMfaPreference,
    SetUserSettings,
    ForgetDevice,
    UpdateDeviceStatus,
    GlobalSignOut,
    RevokeToken,
    UpdateAuthEventFeedback,
    CompleteWebAuthnRegistration,
    DeleteWebAuthnCredential,
);

/// Operations whose reply is where a code was sent.
macro_rules! delivery_outputs {
    ($($call:ident),* $(,)?) => {$(
        impl OwnedCall for $call<'_> {
            type Output = Option<CodeDelivery>;

            fn output(reply: CodeDeliveryReply<'_>) -> Option<CodeDelivery> {
                reply.code_delivery_details.as_ref().map(CodeDelivery::from_core)
            }
        }
    )*};
}

delivery_outputs!(
    ResendConfirmationCode,
    ForgotPassword,
    GetUserAttributeVerificationCode
);

impl OwnedCall for SignUp<'_> {
    type Output = SignUpResult;

    fn output(reply: SignUpReply<'_>) -> SignUpResult {
        SignUpResult {
            user_sub: reply.user_sub.to_owned(),
            user_confirmed: reply.user_confirmed,
            code_delivery: reply
                .code_delivery_details
                .as_ref()
                .map(CodeDelivery::from_core),
            session: reply.session.map(|s| Zeroizing::new(s.to_owned())),
        }
    }
}

impl OwnedCall for ConfirmSignUp<'_> {
    /// The `Session` for signing in without a password, if any (zeroized on drop).
    type Output = Option<Zeroizing<String>>;

    fn output(reply: ConfirmSignUpReply<'_>) -> Option<Zeroizing<String>> {
        reply.session.map(|s| Zeroizing::new(s.to_owned()))
    }
}

impl OwnedCall for GetUser<'_> {
    type Output = User;

    fn output(reply: GetUserReply<'_>) -> User {
        User {
            username: reply.username.to_string(),
            attributes: reply
                .user_attributes
                .iter()
                .map(|a| attribute_pair(&a))
                .collect(),
            preferred_mfa: reply.preferred_mfa_setting.map(str::to_owned),
            mfa_settings: reply
                .user_mfa_setting_list
                .iter()
                .map(str::to_owned)
                .collect(),
        }
    }
}

impl OwnedCall for GetUserAuthFactors<'_> {
    type Output = AuthFactors;

    fn output(reply: GetUserAuthFactorsReply<'_>) -> AuthFactors {
        AuthFactors {
            username: reply.username.to_string(),
            preferred_mfa: reply.preferred_mfa_setting.map(str::to_owned),
            mfa_settings: reply
                .user_mfa_setting_list
                .iter()
                .map(str::to_owned)
                .collect(),
            configured_factors: reply
                .configured_user_auth_factors
                .iter()
                .map(str::to_owned)
                .collect(),
        }
    }
}

impl OwnedCall for UpdateUserAttributes<'_> {
    /// Where verification codes went.
    type Output = Vec<CodeDelivery>;

    fn output(reply: UpdateUserAttributesReply<'_>) -> Vec<CodeDelivery> {
        reply
            .code_delivery_details_list
            .iter()
            .map(|d| CodeDelivery::from_core(&d))
            .collect()
    }
}

impl OwnedCall for ListDevices<'_> {
    type Output = DevicePage;

    fn output(reply: ListDevicesReply<'_>) -> DevicePage {
        DevicePage {
            devices: reply
                .devices
                .iter()
                .map(|d| DeviceInfo::from_core(&d))
                .collect(),
            pagination_token: reply.pagination_token.map(str::to_owned),
        }
    }
}

impl OwnedCall for GetDevice<'_> {
    type Output = DeviceInfo;

    fn output(reply: GetDeviceReply<'_>) -> DeviceInfo {
        DeviceInfo::from_core(&reply.device)
    }
}

impl OwnedCall for ConfirmDevice<'_> {
    /// `UserConfirmationNecessary`.
    type Output = bool;

    fn output(reply: ConfirmDeviceReply) -> bool {
        reply.user_confirmation_necessary
    }
}

impl OwnedCall for AssociateSoftwareToken<'_> {
    /// The authenticator secret (base32; zeroized on drop).
    type Output = Zeroizing<String>;

    fn output(reply: AssociateSoftwareTokenReply<'_>) -> Zeroizing<String> {
        Zeroizing::new(reply.secret_code.to_owned())
    }
}

impl OwnedCall for VerifySoftwareToken<'_> {
    /// Whether the code was accepted (`Status: SUCCESS`).
    type Output = bool;

    fn output(reply: VerifySoftwareTokenReply<'_>) -> bool {
        reply.is_success()
    }
}

impl OwnedCall for StartWebAuthnRegistration<'_> {
    /// `CredentialCreationOptions`, as JSON text.
    type Output = String;

    fn output(reply: StartWebAuthnRegistrationReply<'_>) -> String {
        reply.credential_creation_options.raw().to_owned()
    }
}

impl OwnedCall for ListWebAuthnCredentials<'_> {
    type Output = WebAuthnCredentialPage;

    fn output(reply: ListWebAuthnCredentialsReply<'_>) -> WebAuthnCredentialPage {
        WebAuthnCredentialPage {
            credentials: reply
                .credentials
                .iter()
                .map(|c| WebAuthnCredential {
                    credential_id: c.credential_id.to_owned(),
                    friendly_name: c.friendly_credential_name.to_string(),
                    relying_party_id: c.relying_party_id.to_owned(),
                    authenticator_attachment: c.authenticator_attachment.map(str::to_owned),
                    authenticator_transports: c
                        .authenticator_transports
                        .iter()
                        .map(str::to_owned)
                        .collect(),
                    created_at: c.created_at,
                })
                .collect(),
            next_token: reply.next_token.map(str::to_owned),
        }
    }
}

/// Defines each account method once, and from that one definition both the async method on
/// [`crate::Client`] (which builds the core's call and hands it to [`crate::Client::send`]) and
/// the blocking one on [`crate::blocking::Client`] (the same, on the blocking client's runtime).
macro_rules! account_methods {
    ($(
        $(#[doc = $doc:literal])*
        fn $name:ident($($arg:ident: $ty:ty),* $(,)?) -> $out:ty {
            $($prepare:tt)*
        } => $call:expr;
    )*) => {
        impl crate::Client {$(
            $(#[doc = $doc])*
            pub async fn $name(&self, $($arg: $ty),*) -> Result<$out> {
                $($prepare)*
                self.send(&$call).await
            }
        )*}

        impl crate::blocking::Client {$(
            $(#[doc = $doc])*
            pub fn $name(&self, $($arg: $ty),*) -> Result<$out> {
                self.block_on(self.as_async().$name($($arg),*))
            }
        )*}
    };
}

account_methods! {
    /// `SignUp` with a password and attributes (e.g. `[("email", "a@example.com")]`).
    fn sign_up(username: &str, password: &str, attributes: &[(String, String)]) -> SignUpResult {
        let attributes = pairs(attributes);
    } => SignUp {
        username,
        password: Some(password),
        user_attributes: &attributes,
        ..SignUp::default()
    };

    /// `ConfirmSignUp`; returns the `Session` for signing in without a password, if any
    /// (zeroized on drop).
    fn confirm_sign_up(username: &str, code: &str) -> Option<Zeroizing<String>> {
    } => ConfirmSignUp {
        username,
        confirmation_code: code,
        ..ConfirmSignUp::default()
    };

    /// `ResendConfirmationCode`.
    fn resend_confirmation_code(username: &str) -> Option<CodeDelivery> {
    } => ResendConfirmationCode {
        username,
        ..ResendConfirmationCode::default()
    };

    /// `ForgotPassword`: sends a code for `confirm_forgot_password`.
    fn forgot_password(username: &str) -> Option<CodeDelivery> {
    } => ForgotPassword {
        username,
        ..ForgotPassword::default()
    };

    /// `ConfirmForgotPassword`: sets a new password with the code.
    fn confirm_forgot_password(username: &str, code: &str, new_password: &str) -> () {
    } => ConfirmForgotPassword {
        username,
        confirmation_code: code,
        password: new_password,
        ..ConfirmForgotPassword::default()
    };

    /// `ChangePassword`.
    fn change_password(access_token: &str, previous_password: &str, proposed_password: &str) -> () {
    } => ChangePassword {
        access_token,
        previous_password: Some(previous_password),
        proposed_password,
    };

    /// `GetUser`.
    fn get_user(access_token: &str) -> User {
    } => GetUser { access_token };

    /// `UpdateUserAttributes`; returns where verification codes went.
    fn update_user_attributes(access_token: &str, attributes: &[(String, String)]) -> Vec<CodeDelivery> {
        let attributes = pairs(attributes);
    } => UpdateUserAttributes {
        access_token,
        user_attributes: &attributes,
        ..UpdateUserAttributes::default()
    };

    /// `GetUserAttributeVerificationCode`.
    fn get_user_attribute_verification_code(access_token: &str, attribute_name: &str) -> Option<CodeDelivery> {
    } => GetUserAttributeVerificationCode {
        access_token,
        attribute_name,
        ..GetUserAttributeVerificationCode::default()
    };

    /// `VerifyUserAttribute`.
    fn verify_user_attribute(access_token: &str, attribute_name: &str, code: &str) -> () {
    } => VerifyUserAttribute {
        access_token,
        attribute_name,
        code,
    };

    /// `GlobalSignOut`: revokes every refresh token of the user.
    fn global_sign_out(access_token: &str) -> () {
    } => GlobalSignOut { access_token };

    /// `RevokeToken`: revokes a refresh token and the tokens issued with it.
    fn revoke_token(refresh_token: &str) -> () {
    } => RevokeToken { token: refresh_token };

    /// `DeleteUser`.
    fn delete_user(access_token: &str) -> () {
    } => DeleteUser { access_token };

    /// `ListDevices`: one page (`limit` up to 60).
    fn list_devices(access_token: &str, limit: Option<u8>, pagination_token: Option<&str>) -> DevicePage {
    } => ListDevices {
        access_token,
        limit,
        pagination_token,
    };

    /// `ForgetDevice`.
    fn forget_device(access_token: &str, device_key: &str) -> () {
    } => ForgetDevice {
        access_token,
        device_key,
    };

    /// `AssociateSoftwareToken` for a signed-in user: returns the authenticator secret (base32;
    /// zeroized on drop).
    fn associate_software_token(access_token: &str) -> Zeroizing<String> {
    } => AssociateSoftwareToken {
        auth: TokenOrSession::AccessToken(access_token),
    };

    /// `VerifySoftwareToken` for a signed-in user; `true` when the code was accepted.
    fn verify_software_token(access_token: &str, code: &str, friendly_name: Option<&str>) -> bool {
    } => VerifySoftwareToken {
        auth: TokenOrSession::AccessToken(access_token),
        user_code: code,
        friendly_device_name: friendly_name,
    };

    /// `SetUserMFAPreference`.
    fn set_mfa_preference(access_token: &str, preference: MfaPreference) -> () {
    } => SetUserMfaPreference {
        access_token,
        sms: preference.sms,
        software_token: preference.software_token,
        email: preference.email,
        ..SetUserMfaPreference::default()
    };

    /// `DeleteUserAttributes`: removes the attributes `names` (e.g. `["custom:team"]`).
    fn delete_user_attributes(access_token: &str, names: &[&str]) -> () {
    } => DeleteUserAttributes {
        access_token,
        user_attribute_names: names,
    };

    /// `GetDevice`: one tracked device of the user.
    fn get_device(access_token: &str, device_key: &str) -> DeviceInfo {
    } => GetDevice {
        access_token,
        device_key,
    };

    /// `UpdateDeviceStatus`: marks a tracked device `remembered` or `not_remembered`.
    fn update_device_status(access_token: &str, device_key: &str, remembered: bool) -> () {
    } => UpdateDeviceStatus {
        access_token,
        device_key,
        remembered,
    };

    /// `GetUserAuthFactors`: the MFA settings and the factors the user can sign in with.
    fn get_user_auth_factors(access_token: &str) -> AuthFactors {
    } => GetUserAuthFactors { access_token };

    /// `SetUserSettings`: the legacy SMS MFA options (an empty list turns them off). Prefer
    /// `set_mfa_preference`.
    fn set_user_settings(access_token: &str, mfa_options: &[MfaOptionSetting<'_>]) -> () {
    } => SetUserSettings {
        access_token,
        mfa_options,
    };

    /// `StartWebAuthnRegistration`: returns `CredentialCreationOptions`, the JSON to hand to
    /// the authenticator (`navigator.credentials.create`).
    fn start_web_authn_registration(access_token: &str) -> String {
    } => StartWebAuthnRegistration { access_token };

    /// `CompleteWebAuthnRegistration` with the authenticator's `RegistrationResponseJSON`
    /// (a JSON object, sent verbatim).
    fn complete_web_authn_registration(access_token: &str, credential_json: &str) -> () {
    } => CompleteWebAuthnRegistration {
        access_token,
        credential: credential_json,
    };

    /// `ListWebAuthnCredentials`: one page of the user's passkeys (`max_results` up to 20).
    fn list_web_authn_credentials(access_token: &str, next_token: Option<&str>, max_results: Option<u32>) -> WebAuthnCredentialPage {
        // Above 255 is as out of range as above 20: the core refuses it.
        let max_results = max_results.map(|m| u8::try_from(m).unwrap_or(u8::MAX));
    } => ListWebAuthnCredentials {
        access_token,
        next_token,
        max_results,
    };

    /// `DeleteWebAuthnCredential`.
    fn delete_web_authn_credential(access_token: &str, credential_id: &str) -> () {
    } => DeleteWebAuthnCredential {
        access_token,
        credential_id,
    };

    /// `UpdateAuthEventFeedback`: tells threat protection whether the sign-in `event_id` was
    /// the user's (`valid`) or not, with the `feedback_token` of the notification's link.
    fn update_auth_event_feedback(username: &str, event_id: &str, feedback_token: &str, valid: bool) -> () {
        let feedback_value = if valid {
            FeedbackValue::Valid
        } else {
            FeedbackValue::Invalid
        };
    } => UpdateAuthEventFeedback {
        username,
        event_id,
        feedback_token,
        feedback_value,
    };
}

impl crate::Client {
    /// Remembers the device of `session` (`UpdateDeviceStatus remembered`), for a sign-in that
    /// confirmed its device without remembering it ([`crate::SignInRequest::remember_device`]
    /// `(false)`, on a pool where users opt in).
    ///
    /// Needs what such a sign-in leaves in the session: the confirmed device
    /// ([`Session::device`]; every sign-in that got `NewDeviceMetadata` confirmed the device and
    /// stored it there, whether or not it was remembered) and an access token, refreshed first
    /// when it expires within [`crate::Options::refresh_margin`] (hence `&mut`). A session
    /// without a device gets [`Error::NoDevice`]: the pool offered none (device tracking off),
    /// or confirming it failed; then only a new sign-in can confirm one.
    pub async fn remember_device(&self, session: &mut Session) -> Result<()> {
        let key = session
            .device
            .as_ref()
            .map(|d| d.key.clone())
            .ok_or(Error::NoDevice)?;
        let tokens = self.get_valid_tokens(session).await?;
        self.update_device_status(&tokens.access_token, &key, true)
            .await
    }
}
