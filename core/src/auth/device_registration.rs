//! Taking up a sign-in's offer to track the device: `ConfirmDevice` with a fresh verifier, then
//! `UpdateDeviceStatus` when the pool lets the user choose, as one flow.

use core::fmt;

use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroize;

use super::config::ClientConfig;
use super::device_credentials::DeviceCredentials;
use super::result::NewDeviceMetadata;
use crate::account::{ConfirmDevice, UpdateDeviceStatus};
use crate::capacity::{Capacities, DefaultLimits, keep};
use crate::error::{Error, Misuse};
use crate::exchange::{Call, Flow};
use crate::srp::{DeviceVerifier, MontgomeryKernel, PortableKernel};
use crate::time::UnixTime;
use crate::wire::{HttpResponse, Request};

/// The longest device name kept (Cognito's model allows 1,024 characters; a name is the
/// caller's choice, and a longer one is refused up front).
pub const MAX_DEVICE_NAME_LEN: usize = 256;

/// What a [`DeviceRegistration`] says after a reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceStep {
    /// The pool lets the user choose: write the next request (`UpdateDeviceStatus`) and send it.
    SendRequest,
    /// The device is registered: persist [`DeviceRegistration::credentials`]. `remembered` says
    /// whether the pool remembers it (and so may skip MFA for it).
    Registered {
        /// Whether the device is remembered.
        remembered: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Confirm { sent: bool },
    UpdateStatus { sent: bool },
    Done,
    Failed,
}

/// Registering the device a sign-in offered (`NewDeviceMetadata`): `ConfirmDevice` with a fresh
/// device password and verifier, then, when the pool answers `UserConfirmationNecessary`,
/// `UpdateDeviceStatus` with the caller's choice ([`Self::remember`], default true).
///
/// ```
/// use cognito_core::auth::{ClientConfig, DeviceRegistration, DeviceStep, NewDeviceMetadata};
/// use cognito_core::exchange::Flow;
/// use cognito_core::time::UnixTime;
/// use cognito_core::wire::{HttpResponse, Operation};
/// # let mut rng = rand_core::OsRng;
/// let config = ClientConfig::new("us-east-1_Pool", "client")?;
/// let offer = NewDeviceMetadata { device_key: "us-east-1_0a1b", device_group_key: "-Grp" };
/// let mut registration: DeviceRegistration =
///     DeviceRegistration::new(&config, &offer, "eyJ.access.token", &mut rng)?
///         .with_device_name("thermostat-42")?;
/// let mut buf = [0u8; 2048];
/// let now = UnixTime::from_secs(1_700_000_000);
/// assert_eq!(registration.write_request(&mut buf)?.operation, Operation::ConfirmDevice);
/// let step = registration.handle_response(
///     &HttpResponse::new(200, br#"{"UserConfirmationNecessary":true}"#), now)?;
/// assert_eq!(step, DeviceStep::SendRequest);
/// assert_eq!(registration.write_request(&mut buf)?.operation, Operation::UpdateDeviceStatus);
/// let step = registration.handle_response(&HttpResponse::new(200, b"{}"), now)?;
/// assert_eq!(step, DeviceStep::Registered { remembered: true });
/// let device = registration.credentials(); // persist it
/// assert_eq!(device.device_key(), "us-east-1_0a1b");
/// # Ok::<(), cognito_core::Error>(())
/// ```
pub struct DeviceRegistration<L: Capacities = DefaultLimits> {
    config: ClientConfig,
    access_token: L::Token,
    credentials: DeviceCredentials,
    verifier: DeviceVerifier,
    device_name: heapless::String<MAX_DEVICE_NAME_LEN>,
    remember: bool,
    state: State,
}

impl<L: Capacities> DeviceRegistration<L> {
    /// Registration of `offer` with the `access_token` of the sign-in that made it; draws the
    /// device password and salt from `rng`.
    pub fn new<R: RngCore + CryptoRng + ?Sized>(
        config: &ClientConfig,
        offer: &NewDeviceMetadata<'_>,
        access_token: &str,
        rng: &mut R,
    ) -> Result<Self, Error> {
        Self::new_using(config, offer, access_token, rng, &PortableKernel)
    }

    /// [`Self::new`], computing the verifier (`g^x`) with `kernel`
    /// ([`DeviceCredentials::generate_using`]).
    pub fn new_using<R: RngCore + CryptoRng + ?Sized>(
        config: &ClientConfig,
        offer: &NewDeviceMetadata<'_>,
        access_token: &str,
        rng: &mut R,
        kernel: &dyn MontgomeryKernel,
    ) -> Result<Self, Error> {
        let (credentials, verifier) = DeviceCredentials::generate_using(offer, rng, kernel)?;
        Self::with_verifier(config, access_token, credentials, verifier)
    }

    /// Registration with credentials and a verifier made beforehand (deterministic tests, or
    /// an RNG that is not a `rand_core` one: see [`DeviceVerifier::from_random`]).
    pub fn with_verifier(
        config: &ClientConfig,
        access_token: &str,
        credentials: DeviceCredentials,
        verifier: DeviceVerifier,
    ) -> Result<Self, Error> {
        if access_token.is_empty() {
            return Err(Misuse::Empty("access_token").into());
        }
        let mut registration = Self {
            config: config.clone(),
            access_token: L::Token::default(),
            credentials,
            verifier,
            device_name: heapless::String::new(),
            remember: true,
            state: State::Confirm { sent: false },
        };
        keep(&mut registration.access_token, access_token, "access_token")?;
        Ok(registration)
    }

    /// Names the device (`DeviceName`, shown by `ListDevices`).
    pub fn with_device_name(mut self, name: &str) -> Result<Self, Misuse> {
        keep(&mut self.device_name, name, "device_name")?;
        Ok(self)
    }

    /// Whether to remember the device when the pool lets the user choose (default true).
    #[must_use]
    pub fn remember(mut self, remember: bool) -> Self {
        self.remember = remember;
        self
    }

    /// The device to persist once [`DeviceStep::Registered`].
    pub fn credentials(&self) -> &DeviceCredentials {
        &self.credentials
    }

    /// Whether the registration ended (registered, or failed).
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Done | State::Failed)
    }

    fn handle<'r>(&mut self, response: &HttpResponse<'r>) -> Result<DeviceStep, Error> {
        match self.state {
            State::Confirm { sent: true } => {
                let reply = ConfirmDevice::read_reply(response)?;
                if reply.user_confirmation_necessary {
                    self.state = State::UpdateStatus { sent: false };
                    Ok(DeviceStep::SendRequest)
                } else {
                    self.state = State::Done;
                    Ok(DeviceStep::Registered { remembered: true })
                }
            }
            State::UpdateStatus { sent: true } => {
                UpdateDeviceStatus::read_reply(response)?;
                self.state = State::Done;
                Ok(DeviceStep::Registered {
                    remembered: self.remember,
                })
            }
            _ => Err(Misuse::OutOfOrder.into()),
        }
    }
}

impl<L: Capacities> Flow for DeviceRegistration<L> {
    type Step<'r> = DeviceStep;

    fn has_request(&self) -> bool {
        matches!(
            self.state,
            State::Confirm { .. } | State::UpdateStatus { .. }
        )
    }

    fn write_request<'b>(&mut self, buf: &'b mut [u8]) -> Result<Request<'b>, Error> {
        let device_key = self.credentials.device_key();
        match self.state {
            State::Confirm { .. } => {
                let name = (!self.device_name.is_empty()).then_some(self.device_name.as_str());
                let call = ConfirmDevice {
                    access_token: &self.access_token,
                    device_key,
                    verifier: &self.verifier,
                    device_name: name,
                };
                let request = call.write_request(&self.config, buf)?;
                self.state = State::Confirm { sent: true };
                Ok(request)
            }
            State::UpdateStatus { .. } => {
                let call = UpdateDeviceStatus {
                    access_token: &self.access_token,
                    device_key,
                    remembered: self.remember,
                };
                let request = call.write_request(&self.config, buf)?;
                self.state = State::UpdateStatus { sent: true };
                Ok(request)
            }
            State::Done | State::Failed => Err(Misuse::OutOfOrder.into()),
        }
    }

    /// Handles the reply to the request last written. A retryable Cognito error leaves the
    /// flow where it was (the same request can be written again); any other error ends it.
    fn handle_response<'r>(
        &mut self,
        response: &HttpResponse<'r>,
        _now: UnixTime,
    ) -> Result<DeviceStep, Error> {
        let before = self.state;
        let result = self.handle(response);
        if let Err(e) = &result {
            self.state = match e {
                Error::Service(s) if s.is_retryable() => before,
                Error::Misuse(_) => before,
                _ => State::Failed,
            };
        }
        result
    }
}

impl<L: Capacities> Drop for DeviceRegistration<L> {
    fn drop(&mut self) {
        self.access_token.zeroize();
    }
}

impl<L: Capacities> fmt::Debug for DeviceRegistration<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceRegistration")
            .field("device", &self.credentials)
            .field("device_name", &self.device_name.as_str())
            .field("remember", &self.remember)
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}
