//! Tests of the operation names and `X-Amz-Target` values.

use std::collections::HashSet;

use cognito_core::wire::{CONTENT_TYPE, Operation, TARGET_PREFIX};

#[test]
fn every_target() {
    assert_eq!(CONTENT_TYPE, "application/x-amz-json-1.1");
    assert_eq!(TARGET_PREFIX, "AWSCognitoIdentityProviderService.");
    assert_eq!(Operation::ALL.len(), 32);
    let mut seen = HashSet::new();
    for &op in Operation::ALL {
        assert!(seen.insert(op.name()));
        assert_eq!(
            op.target(),
            format!("AWSCognitoIdentityProviderService.{}", op.name())
        );
        assert_eq!(Operation::from_target(op.target()), Some(op));
        assert_eq!(Operation::from_name(op.name()), Some(op));
        assert_eq!(op.to_string(), op.name());
    }
    assert_eq!(
        Operation::InitiateAuth.target(),
        "AWSCognitoIdentityProviderService.InitiateAuth"
    );
    assert_eq!(
        Operation::SetUserMFAPreference.name(),
        "SetUserMFAPreference"
    );
    assert_eq!(Operation::from_name("AdminInitiateAuth"), None);
    assert_eq!(
        Operation::from_target("AWSCognitoIdentityProviderService."),
        None
    );
    assert_eq!(Operation::from_target("Other.InitiateAuth"), None);
}
