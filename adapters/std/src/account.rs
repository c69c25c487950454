//! Account operations with owned arguments and results, on the core's builders and parsers.

use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, ChangePassword, CodeDeliveryDetails,
    CodeDeliveryReply, CompleteWebAuthnRegistration, ConfirmForgotPassword, ConfirmSignUp,
    ConfirmSignUpReply, DeleteUser, DeleteUserAttributes, DeleteWebAuthnCredential, FeedbackValue,
    ForgetDevice, ForgotPassword, GetDevice, GetDeviceReply, GetUser,
    GetUserAttributeVerificationCode, GetUserAuthFactors, GetUserAuthFactorsReply, GetUserReply,
    GlobalSignOut, ListDevices, ListDevicesReply, ListWebAuthnCredentials,
    ListWebAuthnCredentialsReply, MfaOptionSetting, MfaSetting, ResendConfirmationCode,
    RevokeToken, SetUserMfaPreference, SetUserSettings, SignUp, SignUpReply,
    StartWebAuthnRegistration, StartWebAuthnRegistrationReply, TokenOrSession,
    UpdateAuthEventFeedback, UpdateUserAttributes, UpdateUserAttributesReply, VerifySoftwareToken,
    VerifySoftwareTokenReply, VerifyUserAttribute,
};
use cognito_core::auth::{read_update_device_status, write_update_device_status};
use cognito_core::wire::JsonStr;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::session::Session;

/// A JSON string value, unescaped.
pub(crate) fn owned(s: &JsonStr<'_>) -> String {
    let mut buf = vec![0u8; s.decoded_len()];
    s.unescape_into(&mut buf)
        .map(str::to_owned)
        .unwrap_or_default()
}

pub(crate) fn pairs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
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
            destination: d.destination.as_ref().map(owned),
            delivery_medium: d.delivery_medium.map(str::to_owned),
            attribute_name: d.attribute_name.as_ref().map(owned),
        }
    }
}

/// The result of [`Client::sign_up`]. Its `Debug` leaves the `session` out (it signs the user
/// in).
#[derive(Clone, PartialEq, Eq)]
pub struct SignUpResult {
    /// The new user's `sub`.
    pub user_sub: String,
    /// Whether the user is already confirmed.
    pub user_confirmed: bool,
    /// Where the confirmation code went.
    pub code_delivery: Option<CodeDelivery>,
    /// A `Session` for signing in right after confirmation
    /// ([`crate::SignInRequest::after_sign_up`]), when the pool gives one.
    pub session: Option<String>,
}

impl core::fmt::Debug for SignUpResult {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SignUpResult")
            .field("user_sub", &self.user_sub)
            .field("user_confirmed", &self.user_confirmed)
            .field("code_delivery", &self.code_delivery)
            .field("session", &self.session.as_ref().map(|_| ".."))
            .finish()
    }
}

/// The user, from [`Client::get_user`].
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

/// A device from [`Client::list_devices`].
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
                .map(|a| {
                    (
                        owned(&a.name),
                        a.value.as_ref().map(owned).unwrap_or_default(),
                    )
                })
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

/// One page of [`Client::list_devices`].
#[derive(Clone, Debug, PartialEq)]
pub struct DevicePage {
    /// The devices.
    pub devices: Vec<DeviceInfo>,
    /// The token for the next page, if there is one.
    pub pagination_token: Option<String>,
}

/// MFA preferences for [`Client::set_mfa_preference`]; `None` leaves a factor unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MfaPreference {
    /// SMS MFA.
    pub sms: Option<MfaSetting>,
    /// Authenticator-app MFA.
    pub software_token: Option<MfaSetting>,
    /// Email MFA.
    pub email: Option<MfaSetting>,
}

/// The user's sign-in factors, from [`Client::get_user_auth_factors`].
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

/// A registered passkey, from [`Client::list_web_authn_credentials`].
#[derive(Clone, Debug, PartialEq)]
pub struct WebAuthnCredential {
    /// `CredentialId`: what [`Client::delete_web_authn_credential`] takes.
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

/// One page of [`Client::list_web_authn_credentials`].
#[derive(Clone, Debug, PartialEq)]
pub struct WebAuthnCredentialPage {
    /// The credentials.
    pub credentials: Vec<WebAuthnCredential>,
    /// The token for the next page, if there is one.
    pub next_token: Option<String>,
}

impl Client {
    /// `SignUp` with a password and attributes (e.g. `[("email", "a@example.com")]`).
    pub async fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<SignUpResult> {
        let config = self.config().core()?;
        let attributes = pairs(attributes);
        let request = SignUp {
            username,
            password: Some(password),
            user_attributes: &attributes,
            ..SignUp::default()
        };
        self.call(
            |b| request.write_request(&config, b),
            |r| {
                let reply = SignUpReply::read(r)?;
                Ok(SignUpResult {
                    user_sub: reply.user_sub.to_owned(),
                    user_confirmed: reply.user_confirmed,
                    code_delivery: reply
                        .code_delivery_details
                        .as_ref()
                        .map(CodeDelivery::from_core),
                    session: reply.session.map(str::to_owned),
                })
            },
        )
        .await
    }

    /// `ConfirmSignUp`; returns the `Session` for signing in without a password, if any.
    pub async fn confirm_sign_up(&self, username: &str, code: &str) -> Result<Option<String>> {
        let config = self.config().core()?;
        let request = ConfirmSignUp {
            username,
            confirmation_code: code,
            ..ConfirmSignUp::default()
        };
        self.call(
            |b| request.write_request(&config, b),
            |r| Ok(ConfirmSignUpReply::read(r)?.session.map(str::to_owned)),
        )
        .await
    }

    /// `ResendConfirmationCode`.
    pub async fn resend_confirmation_code(&self, username: &str) -> Result<Option<CodeDelivery>> {
        let config = self.config().core()?;
        let request = ResendConfirmationCode {
            username,
            ..ResendConfirmationCode::default()
        };
        self.call(|b| request.write_request(&config, b), read_delivery)
            .await
    }

    /// `ForgotPassword`: sends a code for [`Self::confirm_forgot_password`].
    pub async fn forgot_password(&self, username: &str) -> Result<Option<CodeDelivery>> {
        let config = self.config().core()?;
        let request = ForgotPassword {
            username,
            ..ForgotPassword::default()
        };
        self.call(|b| request.write_request(&config, b), read_delivery)
            .await
    }

    /// `ConfirmForgotPassword`: sets a new password with the code.
    pub async fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<()> {
        let config = self.config().core()?;
        let request = ConfirmForgotPassword {
            username,
            confirmation_code: code,
            password: new_password,
            ..ConfirmForgotPassword::default()
        };
        self.call(
            |b| request.write_request(&config, b),
            ConfirmForgotPassword::read_reply,
        )
        .await
    }

    /// `ChangePassword`.
    pub async fn change_password(
        &self,
        access_token: &str,
        previous_password: &str,
        proposed_password: &str,
    ) -> Result<()> {
        let request = ChangePassword {
            access_token,
            previous_password: Some(previous_password),
            proposed_password,
        };
        self.call(|b| request.write_request(b), ChangePassword::read_reply)
            .await
    }

    /// `GetUser`.
    pub async fn get_user(&self, access_token: &str) -> Result<User> {
        let request = GetUser { access_token };
        self.call(
            |b| request.write_request(b),
            |r| {
                let reply = GetUserReply::read(r)?;
                Ok(User {
                    username: owned(&reply.username),
                    attributes: reply
                        .user_attributes
                        .iter()
                        .map(|a| {
                            (
                                owned(&a.name),
                                a.value.as_ref().map(owned).unwrap_or_default(),
                            )
                        })
                        .collect(),
                    preferred_mfa: reply.preferred_mfa_setting.map(str::to_owned),
                    mfa_settings: reply
                        .user_mfa_setting_list
                        .iter()
                        .map(str::to_owned)
                        .collect(),
                })
            },
        )
        .await
    }

    /// `UpdateUserAttributes`; returns where verification codes went.
    pub async fn update_user_attributes(
        &self,
        access_token: &str,
        attributes: &[(String, String)],
    ) -> Result<Vec<CodeDelivery>> {
        let attributes = pairs(attributes);
        let request = UpdateUserAttributes {
            access_token,
            user_attributes: &attributes,
            ..UpdateUserAttributes::default()
        };
        self.call(
            |b| request.write_request(b),
            |r| {
                let reply = UpdateUserAttributesReply::read(r)?;
                Ok(reply
                    .code_delivery_details_list
                    .iter()
                    .map(|d| CodeDelivery::from_core(&d))
                    .collect())
            },
        )
        .await
    }

    /// `GetUserAttributeVerificationCode`.
    pub async fn get_user_attribute_verification_code(
        &self,
        access_token: &str,
        attribute_name: &str,
    ) -> Result<Option<CodeDelivery>> {
        let request = GetUserAttributeVerificationCode {
            access_token,
            attribute_name,
            ..GetUserAttributeVerificationCode::default()
        };
        self.call(|b| request.write_request(b), read_delivery).await
    }

    /// `VerifyUserAttribute`.
    pub async fn verify_user_attribute(
        &self,
        access_token: &str,
        attribute_name: &str,
        code: &str,
    ) -> Result<()> {
        let request = VerifyUserAttribute {
            access_token,
            attribute_name,
            code,
        };
        self.call(
            |b| request.write_request(b),
            VerifyUserAttribute::read_reply,
        )
        .await
    }

    /// `GlobalSignOut`: revokes every refresh token of the user.
    pub async fn global_sign_out(&self, access_token: &str) -> Result<()> {
        let request = GlobalSignOut { access_token };
        self.call(|b| request.write_request(b), GlobalSignOut::read_reply)
            .await
    }

    /// `RevokeToken`: revokes a refresh token and the tokens issued with it.
    pub async fn revoke_token(&self, refresh_token: &str) -> Result<()> {
        let config = self.config().core()?;
        let request = RevokeToken {
            token: refresh_token,
        };
        self.call(
            |b| request.write_request(&config, b),
            RevokeToken::read_reply,
        )
        .await
    }

    /// `DeleteUser`.
    pub async fn delete_user(&self, access_token: &str) -> Result<()> {
        let request = DeleteUser { access_token };
        self.call(|b| request.write_request(b), DeleteUser::read_reply)
            .await
    }

    /// `ListDevices`: one page (`limit` up to 60).
    pub async fn list_devices(
        &self,
        access_token: &str,
        limit: Option<u8>,
        pagination_token: Option<&str>,
    ) -> Result<DevicePage> {
        let request = ListDevices {
            access_token,
            limit,
            pagination_token,
        };
        self.call(
            |b| request.write_request(b),
            |r| {
                let reply = ListDevicesReply::read(r)?;
                Ok(DevicePage {
                    devices: reply
                        .devices
                        .iter()
                        .map(|d| DeviceInfo::from_core(&d))
                        .collect(),
                    pagination_token: reply.pagination_token.map(str::to_owned),
                })
            },
        )
        .await
    }

    /// `ForgetDevice`.
    pub async fn forget_device(&self, access_token: &str, device_key: &str) -> Result<()> {
        let request = ForgetDevice {
            access_token,
            device_key,
        };
        self.call(|b| request.write_request(b), ForgetDevice::read_reply)
            .await
    }

    /// `AssociateSoftwareToken` for a signed-in user: returns the authenticator secret (base32).
    pub async fn associate_software_token(&self, access_token: &str) -> Result<String> {
        let request = AssociateSoftwareToken {
            auth: TokenOrSession::AccessToken(access_token),
        };
        self.call(
            |b| request.write_request(b),
            |r| Ok(AssociateSoftwareTokenReply::read(r)?.secret_code.to_owned()),
        )
        .await
    }

    /// `VerifySoftwareToken` for a signed-in user; `true` when the code was accepted.
    pub async fn verify_software_token(
        &self,
        access_token: &str,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<bool> {
        let request = VerifySoftwareToken {
            auth: TokenOrSession::AccessToken(access_token),
            user_code: code,
            friendly_device_name: friendly_name,
        };
        self.call(
            |b| request.write_request(b),
            |r| Ok(VerifySoftwareTokenReply::read(r)?.is_success()),
        )
        .await
    }

    /// `SetUserMFAPreference`.
    pub async fn set_mfa_preference(
        &self,
        access_token: &str,
        preference: MfaPreference,
    ) -> Result<()> {
        let request = SetUserMfaPreference {
            access_token,
            sms: preference.sms,
            software_token: preference.software_token,
            email: preference.email,
            ..SetUserMfaPreference::default()
        };
        self.call(
            |b| request.write_request(b),
            SetUserMfaPreference::read_reply,
        )
        .await
    }

    /// `DeleteUserAttributes`: removes the attributes `names` (e.g. `["custom:team"]`).
    pub async fn delete_user_attributes(&self, access_token: &str, names: &[&str]) -> Result<()> {
        let request = DeleteUserAttributes {
            access_token,
            user_attribute_names: names,
        };
        self.call(
            |b| request.write_request(b),
            DeleteUserAttributes::read_reply,
        )
        .await
    }

    /// `GetDevice`: one tracked device of the user.
    pub async fn get_device(&self, access_token: &str, device_key: &str) -> Result<DeviceInfo> {
        let request = GetDevice {
            access_token,
            device_key,
        };
        self.call(
            |b| request.write_request(b),
            |r| Ok(DeviceInfo::from_core(&GetDeviceReply::read(r)?.device)),
        )
        .await
    }

    /// `UpdateDeviceStatus`: marks a tracked device `remembered` or `not_remembered`.
    pub async fn update_device_status(
        &self,
        access_token: &str,
        device_key: &str,
        remembered: bool,
    ) -> Result<()> {
        self.call(
            |b| write_update_device_status(access_token, device_key, remembered, b),
            read_update_device_status,
        )
        .await
    }

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

    /// `GetUserAuthFactors`: the MFA settings and the factors the user can sign in with.
    pub async fn get_user_auth_factors(&self, access_token: &str) -> Result<AuthFactors> {
        let request = GetUserAuthFactors { access_token };
        self.call(
            |b| request.write_request(b),
            |r| {
                let reply = GetUserAuthFactorsReply::read(r)?;
                Ok(AuthFactors {
                    username: owned(&reply.username),
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
                })
            },
        )
        .await
    }

    /// `SetUserSettings`: the legacy SMS MFA options (an empty list turns them off). Prefer
    /// [`Self::set_mfa_preference`].
    pub async fn set_user_settings(
        &self,
        access_token: &str,
        mfa_options: &[MfaOptionSetting<'_>],
    ) -> Result<()> {
        let request = SetUserSettings {
            access_token,
            mfa_options,
        };
        self.call(|b| request.write_request(b), SetUserSettings::read_reply)
            .await
    }

    /// `StartWebAuthnRegistration`: returns `CredentialCreationOptions`, the JSON to hand to
    /// the authenticator (`navigator.credentials.create`).
    pub async fn start_web_authn_registration(&self, access_token: &str) -> Result<String> {
        let request = StartWebAuthnRegistration { access_token };
        self.call(
            |b| request.write_request(b),
            |r| {
                Ok(StartWebAuthnRegistrationReply::read(r)?
                    .credential_creation_options
                    .raw()
                    .to_owned())
            },
        )
        .await
    }

    /// `CompleteWebAuthnRegistration` with the authenticator's `RegistrationResponseJSON`
    /// (a JSON object, sent verbatim).
    pub async fn complete_web_authn_registration(
        &self,
        access_token: &str,
        credential_json: &str,
    ) -> Result<()> {
        let request = CompleteWebAuthnRegistration {
            access_token,
            credential: credential_json,
        };
        self.call(
            |b| request.write_request(b),
            CompleteWebAuthnRegistration::read_reply,
        )
        .await
    }

    /// `ListWebAuthnCredentials`: one page of the user's passkeys (`max_results` up to 20).
    pub async fn list_web_authn_credentials(
        &self,
        access_token: &str,
        next_token: Option<&str>,
        max_results: Option<u32>,
    ) -> Result<WebAuthnCredentialPage> {
        let request = ListWebAuthnCredentials {
            access_token,
            next_token,
            // Above 255 is as out of range as above 20: the core refuses it.
            max_results: max_results.map(|m| u8::try_from(m).unwrap_or(u8::MAX)),
        };
        self.call(
            |b| request.write_request(b),
            |r| {
                let reply = ListWebAuthnCredentialsReply::read(r)?;
                Ok(WebAuthnCredentialPage {
                    credentials: reply
                        .credentials
                        .iter()
                        .map(|c| WebAuthnCredential {
                            credential_id: c.credential_id.to_owned(),
                            friendly_name: owned(&c.friendly_credential_name),
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
                })
            },
        )
        .await
    }

    /// `DeleteWebAuthnCredential`.
    pub async fn delete_web_authn_credential(
        &self,
        access_token: &str,
        credential_id: &str,
    ) -> Result<()> {
        let request = DeleteWebAuthnCredential {
            access_token,
            credential_id,
        };
        self.call(
            |b| request.write_request(b),
            DeleteWebAuthnCredential::read_reply,
        )
        .await
    }

    /// `UpdateAuthEventFeedback`: tells threat protection whether the sign-in `event_id` was
    /// the user's (`valid`) or not, with the `feedback_token` of the notification's link.
    pub async fn update_auth_event_feedback(
        &self,
        username: &str,
        event_id: &str,
        feedback_token: &str,
        valid: bool,
    ) -> Result<()> {
        let request = UpdateAuthEventFeedback {
            user_pool_id: &self.config().pool_id,
            username,
            event_id,
            feedback_token,
            feedback_value: if valid {
                FeedbackValue::Valid
            } else {
                FeedbackValue::Invalid
            },
        };
        self.call(
            |b| request.write_request(b),
            UpdateAuthEventFeedback::read_reply,
        )
        .await
    }
}

fn read_delivery(
    response: &cognito_core::wire::HttpResponse<'_>,
) -> core::result::Result<Option<CodeDelivery>, cognito_core::Error> {
    Ok(CodeDeliveryReply::read(response)?
        .code_delivery_details
        .as_ref()
        .map(CodeDelivery::from_core))
}
