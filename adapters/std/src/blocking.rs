//! A blocking client: the async [`crate::Client`] on a private current-thread tokio runtime.
//!
//! Do not call it from inside an async runtime (tokio refuses to block a runtime's thread);
//! use the async client there.

use std::sync::Arc;

use tokio::runtime::Runtime;

use cognito_core::account::MfaOptionSetting;

use crate::account::{
    AuthFactors, CodeDelivery, DeviceInfo, DevicePage, MfaPreference, SignUpResult, User,
    WebAuthnCredentialPage,
};
use crate::client::ValidTokens;
use crate::config::{Config, Options};
use crate::error::{Error, Result};
use crate::session::Session;
use crate::sign_in::{SignInAnswer, SignInRequest, SignInStep};

/// A blocking Cognito user-pool client. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Client {
    runtime: Arc<Runtime>,
    inner: crate::Client,
}

/// A blocking [`crate::PendingSignIn`].
#[derive(Debug)]
pub struct PendingSignIn {
    runtime: Arc<Runtime>,
    inner: crate::PendingSignIn,
}

impl PendingSignIn {
    /// What the server wants now.
    #[must_use]
    pub fn step(&self) -> &SignInStep {
        self.inner.step()
    }

    /// See [`crate::PendingSignIn::is_finished`].
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.inner.is_finished()
    }

    /// The session, once signed in.
    #[must_use]
    pub fn session(&self) -> Option<&Session> {
        self.inner.session()
    }

    /// The session, once signed in; otherwise the pending sign-in back.
    pub fn into_session(self) -> core::result::Result<Session, Self> {
        let runtime = self.runtime;
        self.inner
            .into_session()
            .map_err(|inner| PendingSignIn { runtime, inner })
    }

    /// Answers the current step and returns the next one.
    pub fn answer(&mut self, answer: SignInAnswer) -> Result<&SignInStep> {
        self.runtime.block_on(self.inner.answer(answer))
    }
}

impl Client {
    /// A client with default [`Options`].
    pub fn new(config: Config) -> Result<Self> {
        Self::with_options(config, Options::default())
    }

    /// A client with the given transport options.
    pub fn with_options(config: Config, options: Options) -> Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(Error::Io)?;
        // reqwest's client registers with the runtime it is built in.
        let inner = {
            let _guard = runtime.enter();
            crate::Client::with_options(config, options)?
        };
        Ok(Self {
            runtime: Arc::new(runtime),
            inner,
        })
    }

    /// The async client this one wraps.
    #[must_use]
    pub fn as_async(&self) -> &crate::Client {
        &self.inner
    }

    /// Starts a sign-in (see [`crate::Client::sign_in`]).
    pub fn sign_in(&self, request: SignInRequest) -> Result<PendingSignIn> {
        let inner = self.runtime.block_on(self.inner.sign_in(request))?;
        Ok(PendingSignIn {
            runtime: self.runtime.clone(),
            inner,
        })
    }

    /// `USER_SRP_AUTH` sign-in.
    pub fn sign_in_srp(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::srp(username, password))
    }

    /// `USER_PASSWORD_AUTH` sign-in.
    pub fn sign_in_password(&self, username: &str, password: &str) -> Result<PendingSignIn> {
        self.sign_in(SignInRequest::password(username, password))
    }

    /// See [`crate::Client::refresh`].
    pub fn refresh(&self, session: &mut Session) -> Result<()> {
        self.runtime.block_on(self.inner.refresh(session))
    }

    /// See [`crate::Client::get_valid_tokens`].
    pub fn get_valid_tokens(&self, session: &mut Session) -> Result<ValidTokens> {
        self.runtime.block_on(self.inner.get_valid_tokens(session))
    }

    /// See [`crate::Client::sign_up`].
    pub fn sign_up(
        &self,
        username: &str,
        password: &str,
        attributes: &[(String, String)],
    ) -> Result<SignUpResult> {
        self.runtime
            .block_on(self.inner.sign_up(username, password, attributes))
    }

    /// See [`crate::Client::confirm_sign_up`].
    pub fn confirm_sign_up(&self, username: &str, code: &str) -> Result<Option<String>> {
        self.runtime
            .block_on(self.inner.confirm_sign_up(username, code))
    }

    /// See [`crate::Client::resend_confirmation_code`].
    pub fn resend_confirmation_code(&self, username: &str) -> Result<Option<CodeDelivery>> {
        self.runtime
            .block_on(self.inner.resend_confirmation_code(username))
    }

    /// See [`crate::Client::forgot_password`].
    pub fn forgot_password(&self, username: &str) -> Result<Option<CodeDelivery>> {
        self.runtime.block_on(self.inner.forgot_password(username))
    }

    /// See [`crate::Client::confirm_forgot_password`].
    pub fn confirm_forgot_password(
        &self,
        username: &str,
        code: &str,
        new_password: &str,
    ) -> Result<()> {
        self.runtime.block_on(
            self.inner
                .confirm_forgot_password(username, code, new_password),
        )
    }

    /// See [`crate::Client::change_password`].
    pub fn change_password(
        &self,
        access_token: &str,
        previous: &str,
        proposed: &str,
    ) -> Result<()> {
        self.runtime
            .block_on(self.inner.change_password(access_token, previous, proposed))
    }

    /// See [`crate::Client::get_user`].
    pub fn get_user(&self, access_token: &str) -> Result<User> {
        self.runtime.block_on(self.inner.get_user(access_token))
    }

    /// See [`crate::Client::update_user_attributes`].
    pub fn update_user_attributes(
        &self,
        access_token: &str,
        attributes: &[(String, String)],
    ) -> Result<Vec<CodeDelivery>> {
        self.runtime
            .block_on(self.inner.update_user_attributes(access_token, attributes))
    }

    /// See [`crate::Client::get_user_attribute_verification_code`].
    pub fn get_user_attribute_verification_code(
        &self,
        access_token: &str,
        attribute_name: &str,
    ) -> Result<Option<CodeDelivery>> {
        self.runtime.block_on(
            self.inner
                .get_user_attribute_verification_code(access_token, attribute_name),
        )
    }

    /// See [`crate::Client::verify_user_attribute`].
    pub fn verify_user_attribute(
        &self,
        access_token: &str,
        attribute_name: &str,
        code: &str,
    ) -> Result<()> {
        self.runtime.block_on(
            self.inner
                .verify_user_attribute(access_token, attribute_name, code),
        )
    }

    /// See [`crate::Client::global_sign_out`].
    pub fn global_sign_out(&self, access_token: &str) -> Result<()> {
        self.runtime
            .block_on(self.inner.global_sign_out(access_token))
    }

    /// See [`crate::Client::revoke_token`].
    pub fn revoke_token(&self, refresh_token: &str) -> Result<()> {
        self.runtime
            .block_on(self.inner.revoke_token(refresh_token))
    }

    /// See [`crate::Client::delete_user`].
    pub fn delete_user(&self, access_token: &str) -> Result<()> {
        self.runtime.block_on(self.inner.delete_user(access_token))
    }

    /// See [`crate::Client::list_devices`].
    pub fn list_devices(
        &self,
        access_token: &str,
        limit: Option<u8>,
        pagination_token: Option<&str>,
    ) -> Result<DevicePage> {
        self.runtime.block_on(
            self.inner
                .list_devices(access_token, limit, pagination_token),
        )
    }

    /// See [`crate::Client::forget_device`].
    pub fn forget_device(&self, access_token: &str, device_key: &str) -> Result<()> {
        self.runtime
            .block_on(self.inner.forget_device(access_token, device_key))
    }

    /// See [`crate::Client::associate_software_token`].
    pub fn associate_software_token(&self, access_token: &str) -> Result<String> {
        self.runtime
            .block_on(self.inner.associate_software_token(access_token))
    }

    /// See [`crate::Client::verify_software_token`].
    pub fn verify_software_token(
        &self,
        access_token: &str,
        code: &str,
        friendly_name: Option<&str>,
    ) -> Result<bool> {
        self.runtime.block_on(
            self.inner
                .verify_software_token(access_token, code, friendly_name),
        )
    }

    /// See [`crate::Client::set_mfa_preference`].
    pub fn set_mfa_preference(&self, access_token: &str, preference: MfaPreference) -> Result<()> {
        self.runtime
            .block_on(self.inner.set_mfa_preference(access_token, preference))
    }

    /// See [`crate::Client::delete_user_attributes`].
    pub fn delete_user_attributes(&self, access_token: &str, names: &[&str]) -> Result<()> {
        self.runtime
            .block_on(self.inner.delete_user_attributes(access_token, names))
    }

    /// See [`crate::Client::get_device`].
    pub fn get_device(&self, access_token: &str, device_key: &str) -> Result<DeviceInfo> {
        self.runtime
            .block_on(self.inner.get_device(access_token, device_key))
    }

    /// See [`crate::Client::update_device_status`].
    pub fn update_device_status(
        &self,
        access_token: &str,
        device_key: &str,
        remembered: bool,
    ) -> Result<()> {
        self.runtime.block_on(
            self.inner
                .update_device_status(access_token, device_key, remembered),
        )
    }

    /// See [`crate::Client::remember_device`].
    pub fn remember_device(&self, session: &mut Session) -> Result<()> {
        self.runtime.block_on(self.inner.remember_device(session))
    }

    /// See [`crate::Client::get_user_auth_factors`].
    pub fn get_user_auth_factors(&self, access_token: &str) -> Result<AuthFactors> {
        self.runtime
            .block_on(self.inner.get_user_auth_factors(access_token))
    }

    /// See [`crate::Client::set_user_settings`].
    pub fn set_user_settings(
        &self,
        access_token: &str,
        mfa_options: &[MfaOptionSetting<'_>],
    ) -> Result<()> {
        self.runtime
            .block_on(self.inner.set_user_settings(access_token, mfa_options))
    }

    /// See [`crate::Client::start_web_authn_registration`].
    pub fn start_web_authn_registration(&self, access_token: &str) -> Result<String> {
        self.runtime
            .block_on(self.inner.start_web_authn_registration(access_token))
    }

    /// See [`crate::Client::complete_web_authn_registration`].
    pub fn complete_web_authn_registration(
        &self,
        access_token: &str,
        credential_json: &str,
    ) -> Result<()> {
        self.runtime.block_on(
            self.inner
                .complete_web_authn_registration(access_token, credential_json),
        )
    }

    /// See [`crate::Client::list_web_authn_credentials`].
    pub fn list_web_authn_credentials(
        &self,
        access_token: &str,
        next_token: Option<&str>,
        max_results: Option<u32>,
    ) -> Result<WebAuthnCredentialPage> {
        self.runtime.block_on(self.inner.list_web_authn_credentials(
            access_token,
            next_token,
            max_results,
        ))
    }

    /// See [`crate::Client::delete_web_authn_credential`].
    pub fn delete_web_authn_credential(
        &self,
        access_token: &str,
        credential_id: &str,
    ) -> Result<()> {
        self.runtime.block_on(
            self.inner
                .delete_web_authn_credential(access_token, credential_id),
        )
    }

    /// See [`crate::Client::update_auth_event_feedback`].
    pub fn update_auth_event_feedback(
        &self,
        username: &str,
        event_id: &str,
        feedback_token: &str,
        valid: bool,
    ) -> Result<()> {
        self.runtime.block_on(self.inner.update_auth_event_feedback(
            username,
            event_id,
            feedback_token,
            valid,
        ))
    }
}
