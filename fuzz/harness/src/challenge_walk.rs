//! A consistency walk over a challenge's typed kind, shared by the targets that see challenges.

use cognito_core::auth::{Challenge, ChallengeKind, ChallengeName};

/// Walks everything a challenge's kind decoded, and checks it agrees with the challenge name.
pub(crate) fn walk(challenge: &Challenge<'_>) {
    let name = challenge.name();
    let kind = challenge.kind();
    match kind {
        ChallengeKind::MfaCode { kind, .. } => assert_eq!(kind.challenge_name(), name.as_str()),
        ChallengeKind::SelectMfaType(_) => assert_eq!(name, ChallengeName::SelectMfaType),
        ChallengeKind::MfaSetup(_) => assert_eq!(name, ChallengeName::MfaSetup),
        ChallengeKind::NewPasswordRequired { .. } => {
            assert_eq!(name, ChallengeName::NewPasswordRequired);
        }
        ChallengeKind::Custom { .. } => assert_eq!(name, ChallengeName::CustomChallenge),
        ChallengeKind::SelectChallenge(_) => assert_eq!(name, ChallengeName::SelectChallenge),
        ChallengeKind::WebAuthn { .. } => assert_eq!(name, ChallengeName::WebAuthn),
        ChallengeKind::Other { name: other, .. } => assert_eq!(other, name.as_str()),
        _ => {}
    }
    match kind {
        ChallengeKind::MfaCode { destination, .. } => {
            let _ = destination.map(|d| d.chars().count());
        }
        ChallengeKind::SelectMfaType(types) | ChallengeKind::MfaSetup(types) => {
            let known = types.iter().count();
            assert!(known <= types.names().len());
            for name in types.names().iter() {
                let _ = name.chars().count();
            }
        }
        ChallengeKind::NewPasswordRequired {
            required_attributes,
        } => {
            assert_eq!(
                required_attributes.iter().count(),
                required_attributes.len()
            );
            for name in required_attributes.iter() {
                let _ = name.chars().count();
            }
        }
        ChallengeKind::SelectChallenge(factors) => {
            assert!(factors.iter().count() <= factors.names().len());
        }
        ChallengeKind::WebAuthn { options } => {
            let _ = options.chars().count();
        }
        other => {
            let _ = format!("{other:?}");
        }
    }
}
