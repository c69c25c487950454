//! A remembered device: what a sign-in needs to prove the device with device SRP.

use core::fmt;

/// A device Cognito tracks for this user, as persisted after `ConfirmDevice`.
///
/// With one, a sign-in sends `DEVICE_KEY` (at `InitiateAuth` and in the password-verifier answer)
/// and answers `DEVICE_SRP_AUTH` / `DEVICE_PASSWORD_VERIFIER` by itself, which lets the pool skip MFA.
#[derive(Clone, Copy)]
pub struct RememberedDevice<'a> {
    /// `DeviceKey` from `NewDeviceMetadata`, e.g. `us-east-1_827b3399-…`.
    pub device_key: &'a str,
    /// `DeviceGroupKey` from `NewDeviceMetadata`.
    pub device_group_key: &'a str,
    /// The device password generated for `ConfirmDevice` (a secret).
    pub device_password: &'a str,
}

impl fmt::Debug for RememberedDevice<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RememberedDevice")
            .field("device_key", &self.device_key)
            .field("device_group_key", &self.device_group_key)
            .finish_non_exhaustive()
    }
}
