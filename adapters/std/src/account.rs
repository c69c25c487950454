//! Account operations with owned arguments and results, on the core's builders and parsers.

use cognito_core::account::{
    AssociateSoftwareToken, AssociateSoftwareTokenReply, ChangePassword, CodeDeliveryDetails,
    CodeDeliveryReply, ConfirmForgotPassword, ConfirmSignUp, ConfirmSignUpReply, DeleteUser,
    ForgetDevice, ForgotPassword, GetUser, GetUserAttributeVerificationCode, GetUserReply,
    GlobalSignOut, ListDevices, ListDevicesReply, MfaSetting, ResendConfirmationCode, RevokeToken,
    SetUserMfaPreference, SignUp, SignUpReply, TokenOrSession, UpdateUserAttributes,
    UpdateUserAttributesReply, VerifySoftwareToken, VerifySoftwareTokenReply, VerifyUserAttribute,
};
use cognito_core::wire::JsonStr;

use crate::client::Client;
use crate::error::Result;

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

/// The result of [`Client::sign_up`].
#[derive(Clone, Debug, PartialEq, Eq)]
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
                        .map(|d| DeviceInfo {
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
                        })
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
}

fn read_delivery(
    response: &cognito_core::wire::HttpResponse<'_>,
) -> core::result::Result<Option<CodeDelivery>, cognito_core::Error> {
    Ok(CodeDeliveryReply::read(response)?
        .code_delivery_details
        .as_ref()
        .map(CodeDelivery::from_core))
}
