//! Helpers shared by the `account_*` tests (included with `#[path]`; also built on its own).
#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use cognito_core::auth::Request;
use cognito_core::wire::{ErrorKind, HttpResponse};
use cognito_core::{Error, Misuse};

/// The request body as JSON.
pub fn json(request: &Request<'_>) -> serde_json::Value {
    serde_json::from_slice(request.body).expect("request body is JSON")
}

/// A 200 response with `body`.
pub fn ok(body: &str) -> HttpResponse<'_> {
    HttpResponse::new(200, body.as_bytes())
}

/// Every error in `names`, sent as `400` with `__type`, reads as `Error::Service` of that kind.
/// Use it as `check_errors(NAMES, |r| Reply::read(r).map(drop))`.
pub fn check_errors(names: &[&str], read: impl Fn(&HttpResponse<'_>) -> Result<(), Error>) {
    assert!(!names.is_empty());
    for name in names {
        let body = format!(r#"{{"__type":"{name}","message":"something about {name}"}}"#);
        match read(&HttpResponse::new(400, body.as_bytes())) {
            Err(Error::Service(e)) => {
                assert_ne!(e.kind(), ErrorKind::Unknown, "{name} unknown");
                assert_eq!(e.kind().name(), Some(*name));
                assert_eq!(e.name(), *name);
                assert_eq!(e.message(), format!("something about {name}"));
                assert_eq!(e.status(), 400);
            }
            other => panic!("{name}: expected a service error, got {other:?}"),
        }
    }
    // The header wins, with the namespace and suffix Cognito adds.
    let resp = HttpResponse::new(400, br#"{"message":"m"}"#)
        .with_error_type("com.amazonaws#TooManyRequestsException:http://x");
    match read(&resp) {
        Err(Error::Service(e)) => assert_eq!(e.kind(), ErrorKind::TooManyRequests),
        other => panic!("expected a service error, got {other:?}"),
    }
}

/// `write` fails with `BufferTooSmall { required }` one byte short and leaves the buffer
/// untouched; with exactly `required` bytes it succeeds.
pub fn check_buffer_too_small(write: impl Fn(&mut [u8]) -> Result<usize, Error>) {
    let mut big = [0u8; 8192];
    let len = write(&mut big).expect("fits in 8 KiB");
    let mut short = vec![0xA5u8; len - 1];
    match write(&mut short) {
        Err(Error::BufferTooSmall(e)) => assert_eq!(e.required, len),
        other => panic!("expected BufferTooSmall, got {other:?}"),
    }
    assert!(short.iter().all(|&b| b == 0xA5), "buffer was touched");
    let mut exact = vec![0u8; len];
    assert_eq!(write(&mut exact).unwrap(), len);
    assert_eq!(exact[..], big[..len]);
}

/// The error is `Error::Misuse(expected)`.
pub fn assert_misuse<T: core::fmt::Debug>(result: Result<T, Error>, expected: Misuse) {
    match result {
        Err(Error::Misuse(m)) => assert_eq!(m, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

/// The errors botocore's model lists for `SignUp`.
pub const SIGN_UP_ERRORS: &[&str] = &[
    "CodeDeliveryFailureException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UsernameExistsException",
];
/// The errors botocore's model lists for `ConfirmSignUp`.
pub const CONFIRM_SIGN_UP_ERRORS: &[&str] = &[
    "AliasExistsException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ResendConfirmationCode`.
pub const RESEND_CONFIRMATION_CODE_ERRORS: &[&str] = &[
    "CodeDeliveryFailureException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ForgotPassword`.
pub const FORGOT_PASSWORD_ERRORS: &[&str] = &[
    "CodeDeliveryFailureException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ConfirmForgotPassword`.
pub const CONFIRM_FORGOT_PASSWORD_ERRORS: &[&str] = &[
    "CodeMismatchException",
    "ExpiredCodeException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordHistoryPolicyViolationException",
    "ResourceNotFoundException",
    "TooManyFailedAttemptsException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ChangePassword`.
pub const CHANGE_PASSWORD_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordHistoryPolicyViolationException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GetUser`.
pub const GET_USER_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GetUserAuthFactors`.
pub const GET_USER_AUTH_FACTORS_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `UpdateUserAttributes`.
pub const UPDATE_USER_ATTRIBUTES_ERRORS: &[&str] = &[
    "AliasExistsException",
    "CodeDeliveryFailureException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `DeleteUserAttributes`.
pub const DELETE_USER_ATTRIBUTES_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GetUserAttributeVerificationCode`.
pub const GET_USER_ATTRIBUTE_VERIFICATION_CODE_ERRORS: &[&str] = &[
    "CodeDeliveryFailureException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidEmailRoleAccessPolicyException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidSmsRoleAccessPolicyException",
    "InvalidSmsRoleTrustRelationshipException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UnexpectedLambdaException",
    "UserLambdaValidationException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `VerifyUserAttribute`.
pub const VERIFY_USER_ATTRIBUTE_ERRORS: &[&str] = &[
    "AliasExistsException",
    "CodeMismatchException",
    "ExpiredCodeException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `DeleteUser`.
pub const DELETE_USER_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `SetUserMFAPreference`.
pub const SET_USERMFA_PREFERENCE_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `SetUserSettings`.
pub const SET_USER_SETTINGS_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `AssociateSoftwareToken`.
pub const ASSOCIATE_SOFTWARE_TOKEN_ERRORS: &[&str] = &[
    "ConcurrentModificationException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "SoftwareTokenMFANotFoundException",
];
/// The errors botocore's model lists for `VerifySoftwareToken`.
pub const VERIFY_SOFTWARE_TOKEN_ERRORS: &[&str] = &[
    "CodeMismatchException",
    "EnableSoftwareTokenMFAException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "SoftwareTokenMFANotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GetDevice`.
pub const GET_DEVICE_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ListDevices`.
pub const LIST_DEVICES_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `ForgetDevice`.
pub const FORGET_DEVICE_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GlobalSignOut`.
pub const GLOBAL_SIGN_OUT_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
];
/// The errors botocore's model lists for `RevokeToken`.
pub const REVOKE_TOKEN_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "OperationNotEnabledException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnsupportedOperationException",
    "UnsupportedTokenTypeException",
];
/// The errors botocore's model lists for `UpdateAuthEventFeedback`.
pub const UPDATE_AUTH_EVENT_FEEDBACK_ERRORS: &[&str] = &[
    "InternalErrorException",
    "InvalidParameterException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotFoundException",
    "UserPoolAddOnNotEnabledException",
];
/// The errors botocore's model lists for `StartWebAuthnRegistration`.
pub const START_WEB_AUTHN_REGISTRATION_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "TooManyRequestsException",
    "WebAuthnConfigurationMissingException",
    "WebAuthnNotEnabledException",
];
/// The errors botocore's model lists for `CompleteWebAuthnRegistration`.
pub const COMPLETE_WEB_AUTHN_REGISTRATION_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "TooManyRequestsException",
    "WebAuthnChallengeNotFoundException",
    "WebAuthnClientMismatchException",
    "WebAuthnCredentialNotSupportedException",
    "WebAuthnNotEnabledException",
    "WebAuthnOriginNotAllowedException",
    "WebAuthnRelyingPartyMismatchException",
];
/// The errors botocore's model lists for `ListWebAuthnCredentials`.
pub const LIST_WEB_AUTHN_CREDENTIALS_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "TooManyRequestsException",
];
/// The errors botocore's model lists for `DeleteWebAuthnCredential`.
pub const DELETE_WEB_AUTHN_CREDENTIAL_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "LimitExceededException",
    "NotAuthorizedException",
    "OperationNotEnabledException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
];
