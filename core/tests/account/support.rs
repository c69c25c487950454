//! Helpers shared by the account tests: app clients, request and reply helpers, and the errors
//! botocore's model lists for each operation.

use base64ct::{Base64, Encoding};
use cognito_core::auth::ClientConfig;
use cognito_core::wire::{ErrorKind, HttpResponse, Request};
use cognito_core::{Error, Misuse};
use hmac::{Hmac, Mac};
use sha2::Sha256;

pub(crate) const POOL: &str = "eu-west-1_AbCdEf123";
pub(crate) const CLIENT: &str = "3n4b5urk1ft4fl3mg5e62d9ado";
pub(crate) const SECRET: &str = "1example23456789secret0abcdefghijklmnopqrstu";
/// An access token (only its shape matters to the requests).
pub(crate) const TOKEN: &str = "eyJraWQiOiJrMSJ9.eyJzdWIiOiJ1In0.c2lnbmF0dXJl";

/// A public app client (no secret): the one every operation without `ClientId` is written with.
pub(crate) fn public() -> ClientConfig {
    ClientConfig::new(POOL, CLIENT).unwrap()
}

/// The same app client with a secret: requests carry `SecretHash` (or `ClientSecret`).
pub(crate) fn confidential() -> ClientConfig {
    public().with_client_secret(SECRET).unwrap()
}

/// SECRET_HASH of `username` for [`confidential`], computed independently of the crate.
pub(crate) fn secret_hash(username: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(username.as_bytes());
    mac.update(CLIENT.as_bytes());
    Base64::encode_string(&mac.finalize().into_bytes())
}

/// The request body as JSON.
pub(crate) fn json(request: &Request<'_>) -> serde_json::Value {
    serde_json::from_slice(request.body).expect("request body is JSON")
}

/// A 200 response with `body`.
pub(crate) fn ok(body: &str) -> HttpResponse<'_> {
    HttpResponse::new(200, body.as_bytes())
}

/// Every error in `names`, sent as `400` with `__type`, reads as `Error::Service` of that kind.
/// Use it as `check_errors(NAMES, |r| Reply::read(r).map(drop))`.
pub(crate) fn check_errors(names: &[&str], read: impl Fn(&HttpResponse<'_>) -> Result<(), Error>) {
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
pub(crate) fn check_buffer_too_small(write: impl Fn(&mut [u8]) -> Result<usize, Error>) {
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
pub(crate) fn assert_misuse<T: core::fmt::Debug>(result: Result<T, Error>, expected: Misuse) {
    match result {
        Err(Error::Misuse(m)) => assert_eq!(m, expected),
        other => panic!("expected {expected:?}, got {other:?}"),
    }
}

/// The errors botocore's model lists for `SignUp`.
pub(crate) const SIGN_UP_ERRORS: &[&str] = &[
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
pub(crate) const CONFIRM_SIGN_UP_ERRORS: &[&str] = &[
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
pub(crate) const RESEND_CONFIRMATION_CODE_ERRORS: &[&str] = &[
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
pub(crate) const FORGOT_PASSWORD_ERRORS: &[&str] = &[
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
pub(crate) const CONFIRM_FORGOT_PASSWORD_ERRORS: &[&str] = &[
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
pub(crate) const CHANGE_PASSWORD_ERRORS: &[&str] = &[
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
pub(crate) const GET_USER_ERRORS: &[&str] = &[
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
pub(crate) const GET_USER_AUTH_FACTORS_ERRORS: &[&str] = &[
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
pub(crate) const UPDATE_USER_ATTRIBUTES_ERRORS: &[&str] = &[
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
pub(crate) const DELETE_USER_ATTRIBUTES_ERRORS: &[&str] = &[
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
pub(crate) const GET_USER_ATTRIBUTE_VERIFICATION_CODE_ERRORS: &[&str] = &[
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
pub(crate) const VERIFY_USER_ATTRIBUTE_ERRORS: &[&str] = &[
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
pub(crate) const DELETE_USER_ERRORS: &[&str] = &[
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
pub(crate) const SET_USERMFA_PREFERENCE_ERRORS: &[&str] = &[
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
pub(crate) const SET_USER_SETTINGS_ERRORS: &[&str] = &[
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
pub(crate) const ASSOCIATE_SOFTWARE_TOKEN_ERRORS: &[&str] = &[
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
pub(crate) const VERIFY_SOFTWARE_TOKEN_ERRORS: &[&str] = &[
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
pub(crate) const GET_DEVICE_ERRORS: &[&str] = &[
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
pub(crate) const LIST_DEVICES_ERRORS: &[&str] = &[
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
pub(crate) const FORGET_DEVICE_ERRORS: &[&str] = &[
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
/// The errors botocore's model lists for `ConfirmDevice`.
pub(crate) const CONFIRM_DEVICE_ERRORS: &[&str] = &[
    "DeviceKeyExistsException",
    "ForbiddenException",
    "InternalErrorException",
    "InvalidLambdaResponseException",
    "InvalidParameterException",
    "InvalidPasswordException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
    "UsernameExistsException",
];
/// The errors botocore's model lists for `UpdateDeviceStatus`.
pub(crate) const UPDATE_DEVICE_STATUS_ERRORS: &[&str] = &[
    "ForbiddenException",
    "InternalErrorException",
    "InvalidParameterException",
    "InvalidUserPoolConfigurationException",
    "NotAuthorizedException",
    "PasswordResetRequiredException",
    "ResourceNotFoundException",
    "TooManyRequestsException",
    "UserNotConfirmedException",
    "UserNotFoundException",
];
/// The errors botocore's model lists for `GlobalSignOut`.
pub(crate) const GLOBAL_SIGN_OUT_ERRORS: &[&str] = &[
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
pub(crate) const REVOKE_TOKEN_ERRORS: &[&str] = &[
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
pub(crate) const UPDATE_AUTH_EVENT_FEEDBACK_ERRORS: &[&str] = &[
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
pub(crate) const START_WEB_AUTHN_REGISTRATION_ERRORS: &[&str] = &[
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
pub(crate) const COMPLETE_WEB_AUTHN_REGISTRATION_ERRORS: &[&str] = &[
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
pub(crate) const LIST_WEB_AUTHN_CREDENTIALS_ERRORS: &[&str] = &[
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
pub(crate) const DELETE_WEB_AUTHN_CREDENTIAL_ERRORS: &[&str] = &[
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
