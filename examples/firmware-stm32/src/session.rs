//! The Cognito session: what the device remembered in flash, a refresh (bound to the
//! remembered device) or an SRP sign-in (with device SRP when a device is remembered), the
//! offered device confirmed and remembered, then a refresh a few minutes before each access
//! token expires, for as long as the board runs.
//!
//! Nothing secret is logged: tokens, the password and the device password appear only as
//! their lengths.

use cognito_embassy::client::Client;
use cognito_embassy::connect::Connect;
use cognito_embassy::core::Error as CoreError;
use cognito_embassy::core::auth::{
    AuthenticationResult, Challenge, ChallengeKind, ClientConfig, DeviceCredentials,
    DeviceRegistration, DeviceStep, Refresh, RefreshOperation, SignIn, Step,
};
use cognito_embassy::core::rng::{CryptoRng, RngCore};
use cognito_embassy::core::srp::{EphemeralBits, SrpEphemeral};
use cognito_embassy::core::token::decode_claims;
use cognito_embassy::core::wire::{Endpoint, ErrorKind};
use cognito_embassy::error::Error;
use cognito_embassy::srp_umaal::UMAAL;
use cognito_embassy::store::{FlashStore, Store, StoreError};
use defmt::{Display2Format, error, info, warn};
use embassy_stm32::flash::Flash;
use embassy_time::{Duration, Instant, Timer};

use crate::config::{self, FlowLimits, Kept};

/// Where the store lies in the internal flash (an offset from its start, `0x0800_0000`): the
/// last two 128 KiB sectors of bank 2 (sectors 22 and 23), one slot each. `memory.x` keeps
/// the firmware out of them.
pub(crate) const STORE_OFFSET: u32 = 0x1C_0000;
/// The store's length: two 128 KiB sectors.
pub(crate) const STORE_LEN: u32 = 0x4_0000;

/// What the device keeps across reboots, on the internal flash.
pub(crate) type FlashKept = FlashStore<Flash<'static>>;

/// A new access token is fetched this long before the current one expires.
const REFRESH_MARGIN_SECS: u64 = 300;
/// The first pause after a failure that may pass (the network, the pool's throttling).
const FIRST_BACKOFF: Duration = Duration::from_secs(5);
/// The longest pause between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(300);

/// The app client from the build-time settings.
pub(crate) fn client_config() -> Result<ClientConfig, CoreError> {
    let config = ClientConfig::new(config::POOL_ID, config::CLIENT_ID)?;
    Ok(match config::CLIENT_SECRET {
        Some(secret) => config.with_client_secret(secret)?,
        None => config,
    })
}

/// The pool's endpoint: `COGNITO_REGION`'s, else that of the pool id's region.
pub(crate) fn endpoint() -> Result<Endpoint, CoreError> {
    Ok(match config::REGION {
        Some(region) => Endpoint::aws(region)?,
        None => Endpoint::for_pool_id(config::POOL_ID)?,
    })
}

/// What a failed sign-in or refresh leaves the session to do.
enum Failure {
    /// Try again after a pause (no network, a timeout, the pool throttling or failing).
    Later,
    /// The pool refused the refresh token (expired, revoked, or replaced): sign in again.
    SignInAgain,
    /// Trying again cannot help (wrong password, MFA, a misconfigured pool or client): the
    /// session stops.
    Stop,
}

/// The tokens the session holds, as far as it needs to know them.
struct Fresh {
    /// The access token's lifetime, from `ExpiresIn`.
    expires_in: u64,
    /// When the reply came, on the monotonic clock.
    received: Instant,
    /// Whether what is kept changed and must be saved.
    changed: bool,
}

/// Runs the session until something only a person can fix stops it.
pub(crate) async fn run<C: Connect, R: RngCore + CryptoRng>(
    client: &mut Client<'_, C>,
    store: &mut FlashKept,
    rng: &mut R,
) {
    let config = client.config().clone();
    let mut kept = load(store).await;
    let mut backoff = FIRST_BACKOFF;
    loop {
        let has_refresh_token = kept.as_ref().is_some_and(|k| k.refresh_token().is_some());
        let outcome = match kept.as_mut() {
            Some(k) if has_refresh_token => refresh(client, &config, k).await,
            _ => sign_in(client, &config, &mut kept, rng).await,
        };
        match outcome {
            Ok(fresh) => {
                backoff = FIRST_BACKOFF;
                if fresh.changed {
                    save(store, kept.as_ref()).await;
                }
                let (used, free) = crate::heap::usage();
                info!("heap: {} bytes in use, {} free", used, free);
                let wait = refresh_delay(fresh.expires_in);
                info!(
                    "access token valid for {} s: refreshing in {} s",
                    fresh.expires_in,
                    wait.as_secs()
                );
                Timer::at(fresh.received + wait).await;
            }
            Err(Failure::SignInAgain) => {
                if let Some(k) = kept.as_mut() {
                    k.clear_refresh_token();
                }
                // A reboot then signs in rather than trying the refused token again.
                save(store, kept.as_ref()).await;
            }
            Err(Failure::Later) => {
                warn!("trying again in {} s", backoff.as_secs());
                Timer::after(backoff).await;
                backoff = (backoff * 2).min(MAX_BACKOFF);
            }
            Err(Failure::Stop) => {
                error!("session stopped: fix the cause above, then reset the board");
                return;
            }
        }
    }
}

/// How long after receiving tokens valid for `expires_in` seconds to refresh them: a few
/// minutes before they expire (halfway through a shorter lifetime), and not sooner than 30 s.
fn refresh_delay(expires_in: u64) -> Duration {
    let margin = if expires_in > 2 * REFRESH_MARGIN_SECS {
        REFRESH_MARGIN_SECS
    } else {
        expires_in / 2
    };
    Duration::from_secs(expires_in.saturating_sub(margin).max(30))
}

/// New tokens from the kept refresh token (with the remembered device's key, to which the
/// token is bound).
async fn refresh<C: Connect>(
    client: &mut Client<'_, C>,
    config: &ClientConfig,
    kept: &mut Kept,
) -> Result<Fresh, Failure> {
    let token = kept.refresh_token().unwrap_or_default();
    info!(
        "refreshing (refresh token {} bytes, device: {})",
        token.len(),
        kept.device().is_some()
    );
    let mut flow: Refresh<FlowLimits> = Refresh::new(config, token)
        .and_then(|f| Ok(f.with_username(kept.username())?))
        .map_err(|e| misuse("refresh", &e))?;
    if let Some(device) = kept.device() {
        flow = flow
            .with_device_key(device.device_key())
            .map_err(|e| misuse("refresh", &e.into()))?;
    }
    if config::REFRESH_ROTATION {
        flow = flow.using(RefreshOperation::GetTokensFromRefreshToken);
    }
    let result = client
        .exchange(&mut flow)
        .await
        .map_err(|e| refresh_failure(&e))?;
    log_tokens("refreshed", &result);
    let changed = match kept.set_tokens(&result) {
        Ok(changed) => changed,
        Err(e) => {
            // Too long for the store's capacity: keep the old one, which stays valid for the
            // grace period; the next sign-in starts over.
            warn!(
                "the new refresh token cannot be kept: {}",
                Display2Format(&e)
            );
            false
        }
    };
    if changed {
        info!("the refresh token rotated: saving it");
    }
    Ok(Fresh {
        expires_in: result.expires_in,
        received: Instant::now(),
        changed,
    })
}

/// An SRP sign-in with the build-time username and password, as the remembered device when
/// there is one (device SRP then stands in for MFA); the device the pool offers is confirmed
/// and remembered.
async fn sign_in<C: Connect, R: RngCore + CryptoRng>(
    client: &mut Client<'_, C>,
    config: &ClientConfig,
    kept: &mut Option<Kept>,
    rng: &mut R,
) -> Result<Fresh, Failure> {
    let device = kept.as_ref().and_then(|k| k.device());
    let mut signed_in = authenticate(client, config, device, rng).await?;
    let received = Instant::now();
    if let Some(registration) = signed_in.registration.as_mut() {
        match register(client, registration).await {
            Ok(()) => {
                let device = registration.credentials();
                info!(
                    "device remembered (key {} bytes, group key {} bytes, password {} bytes)",
                    device.device_key().len(),
                    device.device_group_key().len(),
                    device.device_password().len()
                );
                signed_in.kept.set_device(device.clone());
            }
            Err(e) => warn!(
                "device registration failed, going on without a device: {}",
                Display2Format(&e)
            ),
        }
    }
    *kept = Some(signed_in.kept);
    Ok(Fresh {
        expires_in: signed_in.expires_in,
        received,
        changed: true,
    })
}

/// What a sign-in hands over.
struct SignedIn {
    /// The username, the refresh token, and the remembered device if it still stands.
    kept: Kept,
    /// The device the pool offered to remember, ready to be confirmed.
    registration: Option<DeviceRegistration<FlowLimits>>,
    /// The access token's lifetime in seconds.
    expires_in: u64,
}

/// Runs the sign-in flow to its tokens (its own future, so the flow's state is gone before the
/// device registration's begins).
async fn authenticate<C: Connect, R: RngCore + CryptoRng>(
    client: &mut Client<'_, C>,
    config: &ClientConfig,
    device: Option<&DeviceCredentials>,
    rng: &mut R,
) -> Result<SignedIn, Failure> {
    info!(
        "signing in with SRP (username {} bytes, device: {})",
        config::USERNAME.len(),
        device.is_some()
    );
    let started = Instant::now();
    // The Cortex-M4's assembly kernel (feature `srp-umaal`): half the instructions of the
    // portable arithmetic for A and the answer to the challenge.
    let ephemeral = SrpEphemeral::generate_using(rng, EphemeralBits::B1024, &UMAAL)
        .map_err(|e| misuse("SRP", &e.into()))?;
    let mut flow: SignIn<FlowLimits> =
        SignIn::srp(config, config::USERNAME, config::PASSWORD, ephemeral)
            .map_err(|e| misuse("sign-in", &e))?;
    if let Some(device) = device {
        let device_ephemeral = SrpEphemeral::generate_using(rng, EphemeralBits::B1024, &UMAAL)
            .map_err(|e| misuse("SRP", &e.into()))?;
        flow = flow.with_device(device, device_ephemeral);
    }
    info!(
        "SRP ephemeral key pair(s) computed in {} ms",
        started.elapsed().as_millis()
    );

    loop {
        let step = client
            .exchange(&mut flow)
            .await
            .map_err(|e| sign_in_failure(&e))?;
        match step {
            Step::SendRequest => info!("sign-in: next step"),
            Step::DeviceForgotten => {
                warn!("the pool no longer knows the remembered device: signing in without it");
            }
            Step::Authenticated(result) => {
                log_tokens("signed in", &result);
                let mut kept = keep(&result).map_err(|e| misuse("sign-in", &e))?;
                // The remembered device still stands, unless the pool forgot it.
                if let Some(device) = device.filter(|_| flow.uses_device()) {
                    kept.set_device(device.clone());
                }
                let registration = result.new_device.and_then(|offer| {
                    info!("the pool offers to remember this device");
                    DeviceRegistration::new_using(config, &offer, result.access_token, rng, &UMAAL)
                        .and_then(|r| Ok(r.with_device_name(config::DEVICE_NAME)?))
                        .inspect_err(|e| warn!("cannot register the device: {}", Display2Format(e)))
                        .ok()
                });
                return Ok(SignedIn {
                    kept,
                    registration,
                    expires_in: result.expires_in,
                });
            }
            Step::Challenge(challenge) => {
                refuse(&challenge);
                return Err(Failure::Stop);
            }
            Step::TotpSecret(_) | Step::AnswerRefused(_) => {
                error!("sign-in: unexpected step (no answer was sent)");
                return Err(Failure::Stop);
            }
            _ => {
                error!("sign-in: a step this firmware does not know");
                return Err(Failure::Stop);
            }
        }
    }
}

/// Logs why a challenge cannot be answered here: a headless device has no one to type a code,
/// choose an MFA method or a new password.
fn refuse(challenge: &Challenge<'_>) {
    let name = challenge.name().as_str();
    match challenge.kind() {
        ChallengeKind::MfaCode { .. }
        | ChallengeKind::SelectMfaType(_)
        | ChallengeKind::MfaSetup(_) => {
            error!(
                "the pool asks for MFA ({=str}), which a headless device cannot answer: turn MFA \
                 off for this user (or make it optional and set none up); once the device is \
                 remembered, a pool that skips MFA for remembered devices lets it sign in \
                 with device SRP",
                name
            );
        }
        ChallengeKind::NewPasswordRequired { .. } => error!(
            "the pool asks for a new password ({=str}): give the user a permanent one \
             (admin-set-user-password --permanent) and rebuild",
            name
        ),
        _ => error!(
            "the pool asks for {=str}, which this firmware cannot answer",
            name
        ),
    }
}

/// Confirms the device a sign-in offered (`ConfirmDevice`, then `UpdateDeviceStatus` when the
/// pool lets the user choose).
async fn register<C: Connect>(
    client: &mut Client<'_, C>,
    registration: &mut DeviceRegistration<FlowLimits>,
) -> Result<(), Error> {
    loop {
        match client.exchange(registration).await? {
            DeviceStep::SendRequest => info!("device registration: remembering it"),
            DeviceStep::Registered { remembered } => {
                info!("device registered (remembered: {})", remembered);
                return Ok(());
            }
            _ => return Err(Error::Http("unexpected device registration step")),
        }
    }
}

/// What to keep from a sign-in: the user's real username (the access token's `username`
/// claim, which `SECRET_HASH` and device SRP need, rather than an alias typed at sign-in) and
/// the refresh token.
fn keep(result: &AuthenticationResult<'_>) -> Result<Kept, CoreError> {
    let mut claims_buf = [0u8; 2048];
    let mut name_buf = [0u8; 128];
    let claimed = decode_claims(result.access_token, &mut claims_buf)
        .ok()
        .and_then(|claims| claims.username().ok().flatten());
    let username = match claimed {
        Some(name) => name.unescape_into(&mut name_buf).ok(),
        None => None,
    };
    let username = username.unwrap_or_else(|| {
        warn!("no username claim in the access token: keeping the configured one");
        config::USERNAME
    });
    let mut kept = Kept::new(username)?;
    if let Some(token) = result.refresh_token {
        kept.set_refresh_token(token)?;
    } else {
        warn!("the sign-in returned no refresh token: the next one signs in again");
    }
    Ok(kept)
}

/// Loads what the device remembered; a damaged or unreadable store counts as nothing stored.
async fn load(store: &mut FlashKept) -> Option<Kept> {
    let loaded = store.load().await;
    if store.damaged_slots() > 0 {
        warn!(
            "store: {} damaged slot(s) (an interrupted save?); the next save rewrites it",
            store.damaged_slots()
        );
    }
    match loaded {
        Ok(Some(kept)) => {
            info!(
                "store: username {} bytes, refresh token {} bytes, device: {}",
                kept.username().len(),
                kept.refresh_token().map_or(0, str::len),
                kept.device().is_some()
            );
            Some(kept)
        }
        Ok(None) => {
            info!("store: nothing remembered");
            None
        }
        Err(StoreError::Corrupt) => {
            warn!("store: nothing stored checks: signing in afresh");
            None
        }
        Err(e) => {
            error!("store: {}: signing in afresh", Display2Format(&e));
            None
        }
    }
}

/// Saves what the device keeps (nothing is written when it did not change); a failure is
/// logged, and the next boot signs in again.
async fn save(store: &mut FlashKept, kept: Option<&Kept>) {
    let started = Instant::now();
    let result = match kept {
        Some(kept) => store.save(kept).await,
        None => store.clear().await,
    };
    match result {
        Ok(()) => info!(
            "store: saved {} bytes in {} ms",
            kept.map_or(0, Kept::encoded_len),
            started.elapsed().as_millis()
        ),
        Err(e) => error!("store: saving failed: {}", Display2Format(&e)),
    }
}

/// Logs the tokens of a sign-in or refresh by their lengths.
fn log_tokens(what: &str, result: &AuthenticationResult<'_>) {
    info!(
        "{=str}: access token {} bytes, id token {} bytes, refresh token {} bytes, expires in {} s",
        what,
        result.access_token.len(),
        result.id_token.map_or(0, str::len),
        result.refresh_token.map_or(0, str::len),
        result.expires_in
    );
}

/// A failure of this firmware's own making (a setting too long, an invalid one).
fn misuse(what: &str, e: &CoreError) -> Failure {
    error!("{=str}: {}", what, Display2Format(e));
    Failure::Stop
}

/// What a failed refresh leaves to do.
fn refresh_failure(e: &Error) -> Failure {
    if let Error::Core(CoreError::Service(service)) = e {
        match service.kind() {
            ErrorKind::NotAuthorized
            | ErrorKind::RefreshTokenReuse
            | ErrorKind::ResourceNotFound => {
                warn!(
                    "the pool refused the refresh token ({=str}): signing in again",
                    service.name()
                );
                return Failure::SignInAgain;
            }
            _ => {}
        }
    }
    failure("refresh", e)
}

/// What a failed sign-in leaves to do.
fn sign_in_failure(e: &Error) -> Failure {
    if let Error::Core(CoreError::Service(service)) = e
        && service.kind() == ErrorKind::NotAuthorized
    {
        // Trying the same password again would only count towards locking the user out.
        error!(
            "sign-in refused ({=str}: {=str}): check COGNITO_USERNAME and COGNITO_PASSWORD",
            service.name(),
            service.message()
        );
        return Failure::Stop;
    }
    failure("sign-in", e)
}

/// Transport failures and the pool's throttling pass; anything else needs a person.
fn failure(what: &str, e: &Error) -> Failure {
    match e {
        Error::Core(CoreError::Service(service))
            if service.is_retryable()
                || matches!(
                    service.kind(),
                    ErrorKind::LimitExceeded | ErrorKind::TooManyFailedAttempts
                ) =>
        {
            warn!("{=str}: the pool asks to wait: {}", what, Display2Format(e));
            Failure::Later
        }
        Error::Core(_) => {
            error!("{=str}: {}", what, Display2Format(e));
            Failure::Stop
        }
        Error::Connect(c) if c.is_permanent() => {
            // A refused certificate: an impostor, or a clock far off. Not retried by the client;
            // tried again here after a pause, in case the network path changes.
            error!("{=str}: {}", what, Display2Format(e));
            Failure::Later
        }
        _ => {
            warn!("{=str}: {}", what, Display2Format(e));
            Failure::Later
        }
    }
}
