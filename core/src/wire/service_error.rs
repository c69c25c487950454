//! Errors reported by Cognito itself, and the exception names its user-side operations use.

use core::fmt;

macro_rules! error_kinds {
    ($($(#[doc = $doc:literal])* $variant:ident = $name:literal,)*) => {
        /// The exception a Cognito user-side operation reported, as listed in AWS's API model for
        /// those operations. Any other name maps to [`ErrorKind::Unknown`]; the name itself is
        /// kept in [`ServiceError::name`].
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $($(#[doc = $doc])* $variant,)*
            /// An exception name this version does not know (see [`ServiceError::name`]).
            Unknown,
        }

        impl ErrorKind {
            /// Every known kind (without [`ErrorKind::Unknown`]).
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$variant,)*];

            /// The kind for an exception name such as `"NotAuthorizedException"` (exact match).
            #[must_use]
            pub fn from_name(name: &str) -> ErrorKind {
                match name {
                    $($name => ErrorKind::$variant,)*
                    _ => ErrorKind::Unknown,
                }
            }

            /// The full exception name, or `None` for [`ErrorKind::Unknown`].
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self {
                    $(ErrorKind::$variant => Some($name),)*
                    ErrorKind::Unknown => None,
                }
            }
        }
    };
}

error_kinds! {
    /// The email address or phone number is already an alias of another account.
    AliasExists = "AliasExistsException",
    /// Cognito could not deliver a verification or sign-in code.
    CodeDeliveryFailure = "CodeDeliveryFailureException",
    /// The code given does not match the one Cognito sent.
    CodeMismatch = "CodeMismatchException",
    /// Another change to the same resource happened at the same time.
    ConcurrentModification = "ConcurrentModificationException",
    /// The device key being confirmed is already registered.
    DeviceKeyExists = "DeviceKeyExistsException",
    /// The TOTP code was wrong, so the authenticator app was not set up.
    EnableSoftwareTokenMFA = "EnableSoftwareTokenMFAException",
    /// The code is no longer valid; request a new one.
    ExpiredCode = "ExpiredCodeException",
    /// The feature is not part of the user pool's feature plan.
    FeatureUnavailableInTier = "FeatureUnavailableInTierException",
    /// A web ACL (AWS WAF) associated with the user pool blocked the request.
    Forbidden = "ForbiddenException",
    /// Cognito failed internally; the request may succeed later.
    InternalError = "InternalErrorException",
    /// Cognito may not send email through the configured email identity.
    InvalidEmailRoleAccessPolicy = "InvalidEmailRoleAccessPolicyException",
    /// A Lambda trigger returned a response Cognito could not use.
    InvalidLambdaResponse = "InvalidLambdaResponseException",
    /// A request parameter is missing, malformed or not allowed here.
    InvalidParameter = "InvalidParameterException",
    /// The password does not satisfy the user pool's password policy.
    InvalidPassword = "InvalidPasswordException",
    /// The SMS role lacks permission to publish through Amazon SNS.
    InvalidSmsRoleAccessPolicy = "InvalidSmsRoleAccessPolicyException",
    /// The SMS role does not trust Cognito (or its external id does not match).
    InvalidSmsRoleTrustRelationship = "InvalidSmsRoleTrustRelationshipException",
    /// The user pool is configured in a way that does not allow this request.
    InvalidUserPoolConfiguration = "InvalidUserPoolConfigurationException",
    /// A limit was reached (for example too many code attempts); try again later.
    LimitExceeded = "LimitExceededException",
    /// No MFA method is available for the user.
    MFAMethodNotFound = "MFAMethodNotFoundException",
    /// The credentials, token or session were rejected (wrong password, expired token, …).
    NotAuthorized = "NotAuthorizedException",
    /// The operation is not enabled in this region or for this user pool.
    OperationNotEnabled = "OperationNotEnabledException",
    /// The new password repeats one from the user's recent password history.
    PasswordHistoryPolicyViolation = "PasswordHistoryPolicyViolationException",
    /// The user must reset the password before signing in.
    PasswordResetRequired = "PasswordResetRequiredException",
    /// The refresh token was already replaced by refresh-token rotation.
    RefreshTokenReuse = "RefreshTokenReuseException",
    /// The user pool, app client or device does not exist (a forgotten device, for example).
    ResourceNotFound = "ResourceNotFoundException",
    /// The user has no authenticator app (TOTP) configured.
    SoftwareTokenMFANotFound = "SoftwareTokenMFANotFoundException",
    /// The user failed too many times (for example at an OTP sign-in).
    TooManyFailedAttempts = "TooManyFailedAttemptsException",
    /// Requests are being throttled; retry with backoff.
    TooManyRequests = "TooManyRequestsException",
    /// The request is not authorized (for example an invalid access token).
    Unauthorized = "UnauthorizedException",
    /// A Lambda trigger failed unexpectedly.
    UnexpectedLambda = "UnexpectedLambdaException",
    /// The operation is not enabled for this app client.
    UnsupportedOperation = "UnsupportedOperationException",
    /// The token given is not of a type this operation accepts.
    UnsupportedTokenType = "UnsupportedTokenTypeException",
    /// A Lambda trigger rejected the user (its validation failed).
    UserLambdaValidation = "UserLambdaValidationException",
    /// The user has not confirmed the account yet.
    UserNotConfirmed = "UserNotConfirmedException",
    /// No such user.
    UserNotFound = "UserNotFoundException",
    /// The user pool's advanced security features are not enabled.
    UserPoolAddOnNotEnabled = "UserPoolAddOnNotEnabledException",
    /// The user name is already taken.
    UsernameExists = "UsernameExistsException",
    /// The passkey registration challenge expired or was not found.
    WebAuthnChallengeNotFound = "WebAuthnChallengeNotFoundException",
    /// The access token belongs to another app client than the passkey registration.
    WebAuthnClientMismatch = "WebAuthnClientMismatchException",
    /// The user pool has no relying-party id or domain configured for passkeys.
    WebAuthnConfigurationMissing = "WebAuthnConfigurationMissingException",
    /// The passkey comes from an authenticator or provider Cognito does not support.
    WebAuthnCredentialNotSupported = "WebAuthnCredentialNotSupportedException",
    /// Passkeys are not enabled for the user pool.
    WebAuthnNotEnabled = "WebAuthnNotEnabledException",
    /// The passkey's origin does not match the user pool's relying party.
    WebAuthnOriginNotAllowed = "WebAuthnOriginNotAllowedException",
    /// The passkey belongs to another relying party id.
    WebAuthnRelyingPartyMismatch = "WebAuthnRelyingPartyMismatchException",
}

impl ErrorKind {
    /// Whether the same request may succeed if retried later (throttling or an internal error).
    #[must_use]
    pub const fn is_retryable(self) -> bool {
        matches!(self, ErrorKind::TooManyRequests | ErrorKind::InternalError)
    }

    /// Whether this error, in reply to an answer to a sign-in challenge, refuses that answer
    /// only and leaves the challenge waiting for another: a wrong code (`CodeMismatchException`;
    /// `EnableSoftwareTokenMFAException` when verifying a new authenticator app), or a new
    /// password or attribute the pool does not accept (`InvalidPasswordException`,
    /// `PasswordHistoryPolicyViolationException`, `InvalidParameterException`).
    #[must_use]
    pub const fn refuses_answer(self) -> bool {
        matches!(
            self,
            ErrorKind::CodeMismatch
                | ErrorKind::EnableSoftwareTokenMFA
                | ErrorKind::InvalidPassword
                | ErrorKind::PasswordHistoryPolicyViolation
                | ErrorKind::InvalidParameter
        )
    }
}

/// The longest exception name kept, in bytes.
pub const MAX_ERROR_NAME_LEN: usize = 64;
/// The longest message kept, in bytes.
pub const MAX_ERROR_MESSAGE_LEN: usize = 256;

/// An error Cognito returned: its kind, the HTTP status, the exception name and the message.
///
/// The name and message are kept in fixed-capacity strings, cut at a character boundary when
/// longer than [`MAX_ERROR_NAME_LEN`] and [`MAX_ERROR_MESSAGE_LEN`] bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceError {
    kind: ErrorKind,
    status: u16,
    name: heapless::String<MAX_ERROR_NAME_LEN>,
    message: heapless::String<MAX_ERROR_MESSAGE_LEN>,
    message_truncated: bool,
}

impl ServiceError {
    /// An error named `kind_name` (for example `"NotAuthorizedException"`, kept verbatim) with
    /// `message` and the HTTP `status` it came with.
    #[must_use]
    pub fn new(kind_name: &str, message: &str, status: u16) -> Self {
        Self::from_chars(kind_name, message.chars(), status)
    }

    /// Like [`new`](Self::new), with the message given as characters (for example decoded from
    /// JSON on the fly).
    pub(crate) fn from_chars(
        kind_name: &str,
        message: impl Iterator<Item = char>,
        status: u16,
    ) -> Self {
        let (name, _) = truncated(kind_name.chars());
        let (message, message_truncated) = truncated(message);
        ServiceError {
            kind: ErrorKind::from_name(kind_name),
            status,
            name,
            message,
            message_truncated,
        }
    }

    /// What kind of error this is.
    #[must_use]
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The HTTP status of the response.
    #[must_use]
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The exception name as Cognito sent it (empty when the response named none).
    #[must_use]
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The message Cognito sent (empty when none).
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the message was longer than [`MAX_ERROR_MESSAGE_LEN`] bytes and was cut.
    #[must_use]
    pub fn message_truncated(&self) -> bool {
        self.message_truncated
    }

    /// Whether the same request may succeed later: throttling, an internal error, HTTP 429 or 5xx.
    #[must_use]
    pub fn is_retryable(&self) -> bool {
        self.kind.is_retryable() || self.status == 429 || self.status >= 500
    }

    /// Whether, in reply to an answer to a sign-in challenge, this refuses the answer only (see
    /// [`ErrorKind::refuses_answer`]).
    #[must_use]
    pub fn refuses_answer(&self) -> bool {
        self.kind.refuses_answer()
    }

    /// Whether Cognito refused an access token because it has expired (the device's clock and
    /// the pool's disagree, or the token was kept too long): refreshing the tokens and sending
    /// the request again helps.
    #[must_use]
    pub fn access_token_expired(&self) -> bool {
        self.kind == ErrorKind::NotAuthorized && self.message.contains("Access Token has expired")
    }
}

/// Collects `chars` into a fixed-capacity string, stopping before the first character that does
/// not fit. The flag tells whether anything was dropped.
fn truncated<const N: usize>(chars: impl Iterator<Item = char>) -> (heapless::String<N>, bool) {
    let mut out = heapless::String::new();
    let mut chars = chars;
    for c in chars.by_ref() {
        if out.push(c).is_err() {
            return (out, true);
        }
    }
    (out, false)
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.name.is_empty() {
            write!(f, "HTTP {}", self.status)?;
        } else {
            f.write_str(&self.name)?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
            if self.message_truncated {
                f.write_str("…")?;
            }
        }
        Ok(())
    }
}

impl core::error::Error for ServiceError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        assert_eq!(ErrorKind::ALL.len(), 44);
        for &kind in ErrorKind::ALL {
            let name = kind.name().unwrap();
            assert!(name.ends_with("Exception"));
            assert_eq!(ErrorKind::from_name(name), kind);
        }
        assert_eq!(ErrorKind::from_name("NotAuthorized"), ErrorKind::Unknown);
        assert_eq!(ErrorKind::Unknown.name(), None);
    }

    #[test]
    fn truncation_at_char_boundary() {
        let mut long = heapless::String::<512>::new();
        let mut name = heapless::String::<128>::new();
        for _ in 0..200 {
            long.push('é').unwrap();
        }
        for _ in 0..40 {
            name.push_str("Ab").unwrap();
        }
        let e = ServiceError::new(&name, &long, 400);
        assert_eq!(e.name().len(), 64);
        assert_eq!(e.message().len(), 256);
        assert!(e.message_truncated());
        assert_eq!(e.kind(), ErrorKind::Unknown);
        let e = ServiceError::new("NotAuthorizedException", "Incorrect.", 400);
        assert_eq!(e.kind(), ErrorKind::NotAuthorized);
        assert!(!e.message_truncated());
    }
}
