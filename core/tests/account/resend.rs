//! Which account requests may be resent after a failure that may have reached the pool: only the
//! reads, after any failure; everything that changes state or sends a message, only when it
//! provably never arrived. Checked on the `resend` of the request each call writes.

use std::collections::HashSet;

use cognito_core::Call;
use cognito_core::account::*;
use cognito_core::srp::DeviceVerifier;
use cognito_core::wire::{Operation, Resend};

use crate::support::*;

/// Writes `call` and returns its operation and `resend`, checking them against the trait's
/// constants.
fn written<C: Call>(call: &C) -> (Operation, Resend) {
    let mut buf = [0u8; 4096];
    let request = call.write_request(&confidential(), &mut buf).unwrap();
    assert_eq!(request.operation, C::OPERATION);
    assert_eq!(request.resend, C::RESEND, "{}", C::OPERATION);
    (request.operation, request.resend)
}

#[test]
fn only_reads_are_resent_after_any_failure() {
    let verifier = DeviceVerifier::from_random("-grp", "eu-west-1_dev", &[1; 40], &[2; 16]);
    let key = "eu-west-1_dev";
    let written = [
        written(&SignUp {
            username: "alice",
            password: Some("pw"),
            ..SignUp::default()
        }),
        written(&ConfirmSignUp {
            username: "alice",
            confirmation_code: "123456",
            ..ConfirmSignUp::default()
        }),
        written(&ResendConfirmationCode {
            username: "alice",
            client_metadata: &[],
        }),
        written(&ForgotPassword {
            username: "alice",
            client_metadata: &[],
        }),
        written(&ConfirmForgotPassword {
            username: "alice",
            confirmation_code: "123456",
            password: "pw",
            client_metadata: &[],
        }),
        written(&ChangePassword {
            access_token: TOKEN,
            previous_password: Some("old"),
            proposed_password: "new",
        }),
        written(&GetUser {
            access_token: TOKEN,
        }),
        written(&GetUserAuthFactors {
            access_token: TOKEN,
        }),
        written(&UpdateUserAttributes {
            access_token: TOKEN,
            user_attributes: &[("name", "Alice")],
            client_metadata: &[],
        }),
        written(&DeleteUserAttributes {
            access_token: TOKEN,
            user_attribute_names: &["name"],
        }),
        written(&GetUserAttributeVerificationCode {
            access_token: TOKEN,
            attribute_name: "email",
            client_metadata: &[],
        }),
        written(&VerifyUserAttribute {
            access_token: TOKEN,
            attribute_name: "email",
            code: "123456",
        }),
        written(&DeleteUser {
            access_token: TOKEN,
        }),
        written(&SetUserMfaPreference {
            access_token: TOKEN,
            ..SetUserMfaPreference::default()
        }),
        written(&SetUserSettings {
            access_token: TOKEN,
            mfa_options: &[],
        }),
        written(&AssociateSoftwareToken {
            auth: TokenOrSession::AccessToken(TOKEN),
        }),
        written(&VerifySoftwareToken {
            auth: TokenOrSession::Session("session"),
            user_code: "123456",
            friendly_device_name: None,
        }),
        written(&ConfirmDevice {
            access_token: TOKEN,
            device_key: key,
            verifier: &verifier,
            device_name: None,
        }),
        written(&GetDevice {
            access_token: TOKEN,
            device_key: key,
        }),
        written(&ListDevices {
            access_token: TOKEN,
            limit: None,
            pagination_token: None,
        }),
        written(&ForgetDevice {
            access_token: TOKEN,
            device_key: key,
        }),
        written(&UpdateDeviceStatus {
            access_token: TOKEN,
            device_key: key,
            remembered: true,
        }),
        written(&GlobalSignOut {
            access_token: TOKEN,
        }),
        written(&RevokeToken { token: "refresh" }),
        written(&UpdateAuthEventFeedback {
            username: "alice",
            event_id: "event",
            feedback_token: "token",
            feedback_value: FeedbackValue::Valid,
        }),
        written(&StartWebAuthnRegistration {
            access_token: TOKEN,
        }),
        written(&CompleteWebAuthnRegistration {
            access_token: TOKEN,
            credential: "{}",
        }),
        written(&ListWebAuthnCredentials {
            access_token: TOKEN,
            ..ListWebAuthnCredentials::default()
        }),
        written(&DeleteWebAuthnCredential {
            access_token: TOKEN,
            credential_id: "cred",
        }),
    ];

    let reads = [
        Operation::GetUser,
        Operation::GetUserAuthFactors,
        Operation::GetDevice,
        Operation::ListDevices,
        Operation::ListWebAuthnCredentials,
    ];
    for (operation, resend) in written {
        let expected = if reads.contains(&operation) {
            Resend::AfterAnyFailure
        } else {
            Resend::OnlyIfUnreceived
        };
        assert_eq!(resend, expected, "{operation}");
    }

    // Every operation but the three the sign-in and refresh flows write is an account call.
    let covered: HashSet<Operation> = written.iter().map(|(op, _)| *op).collect();
    assert_eq!(covered.len(), written.len(), "an operation is listed twice");
    let flows = [
        Operation::InitiateAuth,
        Operation::RespondToAuthChallenge,
        Operation::GetTokensFromRefreshToken,
    ];
    for operation in Operation::ALL {
        assert_eq!(
            covered.contains(operation),
            !flows.contains(operation),
            "{operation}"
        );
    }
}
