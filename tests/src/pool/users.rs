//! Users: identity (username, sub), the SRP credentials the server keeps (salt, verifier),
//! attributes, account status, MFA settings, software tokens and passkeys.

use alloc::borrow::ToOwned;
use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use num_bigint::BigUint;

use super::mfa::MfaFactor;
use super::outbox::IssuedCode;
use super::webauthn::Passkey;
use crate::srp;

/// A user's account status (`UserStatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserStatus {
    /// `CONFIRMED`: signs in normally.
    #[default]
    Confirmed,
    /// `UNCONFIRMED`: signed up, not confirmed; a correct first factor answers
    /// UserNotConfirmedException.
    Unconfirmed,
    /// `FORCE_CHANGE_PASSWORD`: created by an administrator with a temporary password; a correct
    /// first factor answers NEW_PASSWORD_REQUIRED.
    ForceChangePassword,
}

/// How [`super::UserPool::add_user_with`] sets a user up. `Default` is a confirmed user with no
/// attributes and no MFA.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UserOptions {
    /// The `email` attribute.
    pub email: Option<String>,
    /// `email_verified` (needed for the `EMAIL_OTP` first factor and for sign-in by email alias).
    pub email_verified: bool,
    /// The `phone_number` attribute (E.164, e.g. `+15555550100`).
    pub phone_number: Option<String>,
    /// `phone_number_verified` (needed for the `SMS_OTP` first factor and phone alias sign-in).
    pub phone_number_verified: bool,
    /// Other attributes (`name`, `given_name`, `custom:team`, ...).
    pub attributes: Vec<(String, String)>,
    /// The account status; [`UserStatus::ForceChangePassword`] makes the password temporary.
    pub status: UserStatus,
    /// SMS MFA enabled (needs `phone_number`).
    pub sms_mfa: bool,
    /// Email MFA enabled (needs `email`).
    pub email_mfa: bool,
    /// The preferred MFA factor (used when several are enabled).
    pub preferred_mfa: Option<MfaFactor>,
}

/// A user's MFA settings, as [`super::UserPool::user_mfa`] reports them and
/// [`super::UserPool::set_user_mfa`] sets them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UserMfaSettings {
    /// SMS MFA enabled.
    pub sms: bool,
    /// Software-token (TOTP) MFA enabled; needs a verified software token.
    pub software_token: bool,
    /// Email MFA enabled.
    pub email: bool,
    /// The preferred factor; must be one of the enabled ones.
    pub preferred: Option<MfaFactor>,
}

/// One user. The password itself is never stored: only the salt and `v = g^x mod N`.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// The name the user types (an alias of the sub, as in real pools).
    pub(crate) username: String,
    /// The immutable id; also USER_ID_FOR_SRP and the challenge USERNAME.
    pub(crate) sub: String,
    /// The SRP salt as an integer (16 random bytes; leading zero bytes vanish like in Java).
    pub(crate) salt: BigUint,
    /// The SRP verifier.
    pub(crate) verifier: BigUint,
    /// The user's DeviceGroupKey, made when its first device is registered.
    pub(crate) device_group_key: Option<String>,
    /// Attributes other than `sub`, values as Cognito keeps them (`email_verified` = `"true"`).
    pub(crate) attributes: BTreeMap<String, String>,
    pub(crate) status: UserStatus,
    /// When a temporary password stops working.
    pub(crate) temporary_password_expires_at: Option<u64>,
    pub(crate) mfa: UserMfaSettings,
    /// The verified software-token secret (base32), if any.
    pub(crate) totp_secret: Option<String>,
    /// A secret handed out by AssociateSoftwareToken (access-token form), not verified yet.
    pub(crate) pending_totp_secret: Option<String>,
    pub(crate) passkeys: Vec<Passkey>,
    /// What the account-management calls know of each passkey, by credential id.
    pub(crate) passkey_records: BTreeMap<String, PasskeyRecord>,
    /// A `StartWebAuthnRegistration` challenge waiting for `CompleteWebAuthnRegistration`.
    pub(crate) pending_passkey: Option<PasskeyChallenge>,
    /// The sign-up confirmation code (`SignUp`, `ResendConfirmationCode`).
    pub(crate) confirmation_code: Option<AttributeCode>,
    /// The password-reset code (`ForgotPassword`).
    pub(crate) reset_code: Option<IssuedCode>,
    /// Attribute-verification codes by attribute name.
    pub(crate) attribute_codes: BTreeMap<String, AttributeCode>,
}

/// A code sent to an attribute's value; a correct answer verifies that value.
#[derive(Debug, Clone)]
pub(crate) struct AttributeCode {
    /// `email` or `phone_number`.
    pub(crate) attribute: String,
    /// The value the code went to (a code for an older value no longer verifies anything).
    pub(crate) value: String,
    pub(crate) code: IssuedCode,
}

/// What `ListWebAuthnCredentials` reports about a passkey.
#[derive(Debug, Clone)]
pub(crate) struct PasskeyRecord {
    pub(crate) friendly_name: String,
    pub(crate) attachment: Option<String>,
    pub(crate) transports: Vec<String>,
    pub(crate) created_at: u64,
}

/// A pending passkey registration.
#[derive(Debug, Clone)]
pub(crate) struct PasskeyChallenge {
    pub(crate) challenge: String,
    pub(crate) client_id: String,
    pub(crate) expires_at: u64,
}

/// All users, by sub, with an index from username to sub.
#[derive(Debug, Clone, Default)]
pub(crate) struct Users {
    by_sub: BTreeMap<String, User>,
    sub_by_username: BTreeMap<String, String>,
}

impl Users {
    /// Finds a user by username or by sub.
    pub(crate) fn find(&self, name: &str) -> Option<&User> {
        self.sub_by_username
            .get(name)
            .and_then(|sub| self.by_sub.get(sub))
            .or_else(|| self.by_sub.get(name))
    }

    /// Finds a user by username or sub, or by a verified email / phone number when that alias is
    /// enabled.
    pub(crate) fn find_for_sign_in(&self, name: &str, aliases: SignInAliases) -> Option<&User> {
        self.find(name).or_else(|| {
            self.by_sub.values().find(|user| {
                (aliases.email && user.verified_attribute("email") == Some(name))
                    || (aliases.phone_number
                        && user.verified_attribute("phone_number") == Some(name))
            })
        })
    }

    pub(crate) fn by_sub(&self, sub: &str) -> Option<&User> {
        self.by_sub.get(sub)
    }

    pub(crate) fn by_sub_mut(&mut self, sub: &str) -> Option<&mut User> {
        self.by_sub.get_mut(sub)
    }

    /// Finds a user by username or sub, mutably.
    pub(crate) fn find_mut(&mut self, name: &str) -> Option<&mut User> {
        let sub = self
            .sub_by_username
            .get(name)
            .cloned()
            .unwrap_or_else(|| name.to_owned());
        self.by_sub.get_mut(&sub)
    }

    /// The sub of an existing user with this username, if any.
    pub(crate) fn sub_of_username(&self, username: &str) -> Option<&str> {
        self.sub_by_username.get(username).map(String::as_str)
    }

    /// Removes a user (by sub) and its username index entry.
    pub(crate) fn remove(&mut self, sub: &str) -> Option<User> {
        let user = self.by_sub.remove(sub)?;
        self.sub_by_username.remove(&user.username);
        Some(user)
    }

    /// Every user, by sub.
    pub(crate) fn all_mut(&mut self) -> impl Iterator<Item = &mut User> {
        self.by_sub.values_mut()
    }

    pub(crate) fn insert(&mut self, user: User) {
        self.sub_by_username
            .insert(user.username.clone(), user.sub.clone());
        self.by_sub.insert(user.sub.clone(), user);
    }
}

/// Which attributes may stand in for the username at sign-in (the pool's `AliasAttributes`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SignInAliases {
    /// Sign in with a verified `email`.
    pub email: bool,
    /// Sign in with a verified `phone_number`.
    pub phone_number: bool,
}

impl User {
    /// A fresh user with no credentials yet.
    pub(crate) fn new(username: &str, sub: String) -> Self {
        Self {
            username: username.to_owned(),
            sub,
            salt: BigUint::default(),
            verifier: BigUint::default(),
            device_group_key: None,
            attributes: BTreeMap::new(),
            status: UserStatus::Confirmed,
            temporary_password_expires_at: None,
            mfa: UserMfaSettings::default(),
            totp_secret: None,
            pending_totp_secret: None,
            passkeys: Vec::new(),
            passkey_records: BTreeMap::new(),
            pending_passkey: None,
            confirmation_code: None,
            reset_code: None,
            attribute_codes: BTreeMap::new(),
        }
    }

    /// Sets new SRP credentials for `password` under `pool_name`, keyed by the sub.
    pub(crate) fn set_password(&mut self, pool_name: &str, salt: BigUint, password: &str) {
        self.verifier = srp::verifier(&salt, pool_name, &self.sub, password);
        self.salt = salt;
    }

    /// Whether `password` is this user's password (recomputes the verifier with the stored salt).
    pub(crate) fn password_matches(&self, pool_name: &str, password: &str) -> bool {
        srp::verifier(&self.salt, pool_name, &self.sub, password) == self.verifier
    }

    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.get(name).map(String::as_str)
    }

    /// `email` / `phone_number` if its `<name>_verified` is `"true"`.
    pub(crate) fn verified_attribute(&self, name: &str) -> Option<&str> {
        let verified = self
            .attributes
            .get(&alloc::format!("{name}_verified"))
            .is_some_and(|v| v == "true");
        if verified { self.attribute(name) } else { None }
    }

    /// Sets an attribute; a changed `email` / `phone_number` becomes unverified.
    pub(crate) fn set_attribute(&mut self, name: &str, value: &str) {
        let changed = self.attribute(name) != Some(value);
        if changed && (name == "email" || name == "phone_number") {
            self.attributes
                .insert(alloc::format!("{name}_verified"), "false".to_owned());
        }
        self.attributes.insert(name.to_owned(), value.to_owned());
    }

    /// Registers a passkey with what `ListWebAuthnCredentials` reports about it.
    pub(crate) fn add_passkey(
        &mut self,
        passkey: Passkey,
        attachment: Option<String>,
        transports: Vec<String>,
        now: u64,
    ) {
        let friendly_name = alloc::format!(
            "passkey-{}",
            passkey.credential_id.chars().take(8).collect::<String>()
        );
        self.passkey_records.insert(
            passkey.credential_id.clone(),
            PasskeyRecord {
                friendly_name,
                attachment,
                transports,
                created_at: now,
            },
        );
        self.passkeys.push(passkey);
    }

    /// Applies [`UserOptions`] (attributes, status, MFA), replacing what was there.
    pub(crate) fn apply_options(&mut self, options: &UserOptions) {
        self.attributes.clear();
        let flag = |b: bool| if b { "true" } else { "false" }.to_owned();
        if let Some(email) = &options.email {
            self.attributes.insert("email".to_owned(), email.clone());
            self.attributes
                .insert("email_verified".to_owned(), flag(options.email_verified));
        }
        if let Some(phone) = &options.phone_number {
            self.attributes
                .insert("phone_number".to_owned(), phone.clone());
            self.attributes.insert(
                "phone_number_verified".to_owned(),
                flag(options.phone_number_verified),
            );
        }
        for (name, value) in &options.attributes {
            self.attributes.insert(name.clone(), value.clone());
        }
        self.status = options.status;
        self.mfa = UserMfaSettings {
            sms: options.sms_mfa,
            software_token: self.mfa.software_token && self.totp_secret.is_some(),
            email: options.email_mfa,
            preferred: options.preferred_mfa,
        };
    }
}
