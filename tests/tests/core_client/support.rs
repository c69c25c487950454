//! What the modules share: seeded randomness, SRP ephemerals, and reading a driver's error.

use cognito_core::account::{CodeDeliveryReply, ConfirmDevice};
use cognito_core::auth::{
    ChallengeKind, ClientConfig, DeviceCredentials, FirstFactor, NewDeviceMetadata,
};
use cognito_core::srp::SrpEphemeral;
use cognito_core::wire::ErrorKind;
use cognito_tests::fixtures::driver::{DriveError, Pair, Prompt, Tokens, UserAnswer};
use cognito_tests::pool::Passkey;
use rand::SeedableRng;
use rand_chacha::ChaCha20Rng;

/// A deterministic RNG.
pub(crate) fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

/// A fresh SRP ephemeral key pair from `rng`.
pub(crate) fn eph(rng: &mut ChaCha20Rng) -> SrpEphemeral {
    SrpEphemeral::generate(rng).unwrap()
}

/// The kind of the pool's error `result` ended with (fails the test on anything else).
pub(crate) fn kind<T: core::fmt::Debug>(result: Result<T, DriveError>) -> ErrorKind {
    match result {
        Err(DriveError::Core(cognito_core::Error::Service(e))) => e.kind(),
        other => panic!("expected a Cognito error, got {other:?}"),
    }
}

/// `ConfirmDevice` (a call through `pair`) for the device `tokens` offer, named `name`, with a
/// fresh device password from `rng`. Returns the credentials to persist and whether the pool
/// waits for the user to opt in (`UserConfirmationNecessary`).
pub(crate) fn confirm_offered_device(
    pair: &mut Pair,
    config: &ClientConfig,
    tokens: &Tokens,
    name: Option<&str>,
    rng: &mut ChaCha20Rng,
) -> (DeviceCredentials, bool) {
    let (key, group) = tokens.new_device.clone().expect("NewDeviceMetadata");
    let offer = NewDeviceMetadata {
        device_key: &key,
        device_group_key: &group,
    };
    let (device, verifier) = DeviceCredentials::generate(&offer, rng).unwrap();
    let confirm = ConfirmDevice {
        access_token: &tokens.access_token,
        device_key: device.device_key(),
        verifier: &verifier,
        device_name: name,
    };
    let reply = pair.call(config, confirm, |reply| reply).unwrap();
    (device, reply.user_confirmation_necessary)
}

/// How a code was sent (`CodeDeliveryDetails.DeliveryMedium`), owned.
pub(crate) fn delivery_medium(reply: CodeDeliveryReply<'_>) -> Option<String> {
    let details = reply.code_delivery_details?;
    details.delivery_medium.map(str::to_owned)
}

/// A user with `passkey` signing in: `SELECT_CHALLENGE` (which must offer `WEB_AUTHN`) is
/// answered `WEB_AUTHN`, and `WEB_AUTHN` with the passkey's assertion.
pub(crate) fn sign_in_with_passkey(passkey: &Passkey, prompt: Prompt<'_>) -> Option<UserAnswer> {
    let Prompt::Challenge(challenge) = prompt else {
        panic!("unexpected {prompt:?}");
    };
    match challenge.kind() {
        ChallengeKind::SelectChallenge(factors) => {
            assert!(factors.contains(FirstFactor::WebAuthn));
            Some(UserAnswer::FirstFactor(FirstFactor::WebAuthn))
        }
        ChallengeKind::WebAuthn { options } => {
            let options: String = options.chars().collect();
            Some(UserAnswer::WebAuthnCredential(
                passkey.assertion(&options).unwrap(),
            ))
        }
        other => panic!("{other:?}"),
    }
}
