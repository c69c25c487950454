//! The quick start's walk runs to the end and does what it says: MFA with the password, none
//! with the remembered device, a refresh, a verified email change, tokens rejected after the
//! global sign-out, and no secret in its output.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::std_instead_of_core,
    missing_docs
)]

use std::time::Duration;

use cognito_examples::quickstart::{self, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quickstart_walk_runs_to_the_end() {
    let mut out = Vec::new();
    let outcome = tokio::time::timeout(Duration::from_secs(120), quickstart::run(&mut out))
        .await
        .expect("the walk timed out")
        .unwrap_or_else(|e| panic!("the walk failed: {e}\n{}", String::from_utf8_lossy(&out)));
    let text = String::from_utf8(out).unwrap();

    assert!(outcome.mfa_asked_with_password, "{text}");
    assert!(!outcome.mfa_asked_with_device, "{text}");
    assert!(outcome.refreshed);
    assert!(outcome.email_verified);
    assert_eq!(outcome.rejected_after_sign_out.len(), 2);
    for rejection in &outcome.rejected_after_sign_out {
        assert!(
            rejection.starts_with("NotAuthorizedException"),
            "{rejection}"
        );
    }

    // The requests, in order, as the emulator saw them.
    let expected = [
        "SignUp",
        "ConfirmSignUp",
        // 3. SRP sign-in, the new device confirmed but not remembered.
        "InitiateAuth USER_SRP_AUTH",
        "RespondToAuthChallenge PASSWORD_VERIFIER",
        "ConfirmDevice",
        "UpdateDeviceStatus",
        // 4. TOTP enrolment.
        "AssociateSoftwareToken",
        "VerifySoftwareToken",
        "SetUserMFAPreference",
        "GetUser",
        // 5. MFA sign-in, the device remembered.
        "InitiateAuth USER_SRP_AUTH",
        "RespondToAuthChallenge PASSWORD_VERIFIER",
        "RespondToAuthChallenge SOFTWARE_TOKEN_MFA",
        "ConfirmDevice",
        "UpdateDeviceStatus",
        // 6. Device SRP, no MFA.
        "InitiateAuth USER_SRP_AUTH",
        "RespondToAuthChallenge PASSWORD_VERIFIER",
        "RespondToAuthChallenge DEVICE_SRP_AUTH",
        "RespondToAuthChallenge DEVICE_PASSWORD_VERIFIER",
        // 7. Refresh.
        "GetUser",
        "InitiateAuth REFRESH_TOKEN_AUTH",
        "GetUser",
        // 8. Attributes.
        "UpdateUserAttributes",
        "VerifyUserAttribute",
        "GetUser",
        // 9. Sign-out.
        "GlobalSignOut",
        "GetUser",
        "InitiateAuth REFRESH_TOKEN_AUTH",
    ];
    assert_eq!(outcome.operations, expected, "{text}");

    // Every step is announced.
    for n in 1..=9 {
        assert!(
            text.contains(&format!("\n{n}. ")),
            "step {n} missing:\n{text}"
        );
    }
    // No password, and no token longer than its displayed prefix.
    assert!(!text.contains(PASSWORD));
    for word in text.split_whitespace() {
        if word.starts_with("eyJ") {
            assert!(word.chars().count() <= 11, "a token was printed: {word}");
        }
    }
}
