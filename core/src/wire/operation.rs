//! The Cognito user-pool API operations a user-side client calls, and their `X-Amz-Target` names.

/// The `Content-Type` of every request and response of the Cognito JSON API.
pub const CONTENT_TYPE: &str = "application/x-amz-json-1.1";

/// What precedes the operation name in the `X-Amz-Target` header.
pub const TARGET_PREFIX: &str = "AWSCognitoIdentityProviderService.";

macro_rules! operations {
    ($($(#[doc = $doc:literal])* $name:ident,)*) => {
        /// A Cognito user-pool API operation that needs no AWS credentials.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Operation {
            $($(#[doc = $doc])* $name,)*
        }

        impl Operation {
            /// Every operation, in declaration order.
            pub const ALL: &'static [Operation] = &[$(Operation::$name,)*];

            /// The operation name, for example `"InitiateAuth"`.
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $(Operation::$name => stringify!($name),)*
                }
            }

            /// The `X-Amz-Target` header value, for example
            /// `"AWSCognitoIdentityProviderService.InitiateAuth"`.
            #[must_use]
            pub const fn target(self) -> &'static str {
                match self {
                    $(Operation::$name => concat!(
                        "AWSCognitoIdentityProviderService.",
                        stringify!($name)
                    ),)*
                }
            }

            /// The operation with this exact (case-sensitive) name.
            #[must_use]
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $(stringify!($name) => Some(Operation::$name),)*
                    _ => None,
                }
            }
        }
    };
}

operations! {
    /// Starts a sign-in flow (SRP, password, custom, user-auth or refresh).
    InitiateAuth,
    /// Answers a sign-in challenge.
    RespondToAuthChallenge,
    /// Registers a new user.
    SignUp,
    /// Confirms a registration with the code the user received.
    ConfirmSignUp,
    /// Sends the registration confirmation code again.
    ResendConfirmationCode,
    /// Starts a password reset.
    ForgotPassword,
    /// Completes a password reset with the code and the new password.
    ConfirmForgotPassword,
    /// Exchanges a refresh token for new tokens (with refresh-token rotation).
    GetTokensFromRefreshToken,
    /// Revokes a refresh token and the tokens issued from it.
    RevokeToken,
    /// Reads the signed-in user's attributes and MFA settings.
    GetUser,
    /// Lists the sign-in factors available to the signed-in user.
    GetUserAuthFactors,
    /// Changes attributes of the signed-in user.
    UpdateUserAttributes,
    /// Removes attributes of the signed-in user.
    DeleteUserAttributes,
    /// Deletes the signed-in user.
    DeleteUser,
    /// Changes the signed-in user's password.
    ChangePassword,
    /// Invalidates every refresh token of the signed-in user.
    GlobalSignOut,
    /// Sends a code to verify an email or phone attribute.
    GetUserAttributeVerificationCode,
    /// Verifies an email or phone attribute with the code the user received.
    VerifyUserAttribute,
    /// Chooses which MFA factors are enabled and preferred.
    SetUserMFAPreference,
    /// Sets MFA options (legacy SMS settings).
    SetUserSettings,
    /// Registers a tracked device's SRP verifier.
    ConfirmDevice,
    /// Reads one tracked device.
    GetDevice,
    /// Lists the user's tracked devices.
    ListDevices,
    /// Forgets a tracked device.
    ForgetDevice,
    /// Marks a tracked device remembered or not remembered.
    UpdateDeviceStatus,
    /// Begins registering a passkey.
    StartWebAuthnRegistration,
    /// Finishes registering a passkey.
    CompleteWebAuthnRegistration,
    /// Lists the user's passkeys.
    ListWebAuthnCredentials,
    /// Deletes a passkey.
    DeleteWebAuthnCredential,
    /// Begins TOTP (authenticator app) setup and returns the shared secret.
    AssociateSoftwareToken,
    /// Finishes TOTP setup with a code from the authenticator app.
    VerifySoftwareToken,
    /// Reports whether a risky sign-in attempt was genuine.
    UpdateAuthEventFeedback,
}

impl Operation {
    /// The operation named by an `X-Amz-Target` header value.
    #[must_use]
    pub fn from_target(target: &str) -> Option<Self> {
        target
            .strip_prefix(TARGET_PREFIX)
            .and_then(Operation::from_name)
    }
}

impl core::fmt::Display for Operation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_round_trip() {
        assert_eq!(Operation::ALL.len(), 32);
        for &op in Operation::ALL {
            assert_eq!(op.target().strip_prefix(TARGET_PREFIX), Some(op.name()));
            assert_eq!(Operation::from_target(op.target()), Some(op));
            assert_eq!(Operation::from_name(op.name()), Some(op));
        }
        assert_eq!(Operation::from_name("initiateauth"), None);
        assert_eq!(Operation::from_target("InitiateAuth"), None);
    }
}
