//! Settings chosen at build time, from environment variables read by `option_env!` (`build.rs`
//! tells cargo to rebuild when one changes). Every setting has a default that builds, so the
//! firmware compiles with nothing set; the defaults name no real pool, and the firmware says so
//! at boot (see [`uses_example_pool`]).

use cognito_embassy::core::capacity::DeviceLimits;

/// `COGNITO_POOL_ID`: the user pool, `<region>_<name>`.
pub(crate) const POOL_ID: &str = match option_env!("COGNITO_POOL_ID") {
    Some(id) => id,
    None => "eu-west-1_EXAMPLE00",
};

/// `COGNITO_CLIENT_ID`: the app client (it must allow `ALLOW_USER_SRP_AUTH` and
/// `ALLOW_REFRESH_TOKEN_AUTH`).
pub(crate) const CLIENT_ID: &str = match option_env!("COGNITO_CLIENT_ID") {
    Some(id) => id,
    None => "exampleclientid00000000000",
};

/// `COGNITO_CLIENT_SECRET`: the app client's secret, when it has one (requests then carry
/// `SECRET_HASH`). Unset or empty: a public client.
pub(crate) const CLIENT_SECRET: Option<&str> = match option_env!("COGNITO_CLIENT_SECRET") {
    Some(secret) if !secret.is_empty() => Some(secret),
    _ => None,
};

/// `COGNITO_REGION`: the region whose endpoint (`cognito-idp.<region>.amazonaws.com`) is
/// called. Unset: the region of [`POOL_ID`].
pub(crate) const REGION: Option<&str> = option_env!("COGNITO_REGION");

/// `COGNITO_USERNAME`: the user the device signs in as (a username or an alias the pool
/// accepts).
pub(crate) const USERNAME: &str = match option_env!("COGNITO_USERNAME") {
    Some(name) => name,
    None => "thermostat-7",
};

/// `COGNITO_PASSWORD`: that user's password. It is used only when the device has no refresh
/// token that works; it is never logged, and never sent (SRP proves it).
pub(crate) const PASSWORD: &str = match option_env!("COGNITO_PASSWORD") {
    Some(password) => password,
    None => "example-password",
};

/// `COGNITO_DEVICE_NAME`: the name the device is registered under when the pool offers to
/// remember it (`ListDevices` shows it).
pub(crate) const DEVICE_NAME: &str = match option_env!("COGNITO_DEVICE_NAME") {
    Some(name) => name,
    None => "nucleo-f429zi",
};

/// `COGNITO_REFRESH_ROTATION`: `1` when the app client rotates refresh tokens; the firmware
/// then refreshes with `GetTokensFromRefreshToken` and saves each new refresh token. Unset or
/// anything else: `InitiateAuth` with `REFRESH_TOKEN_AUTH`, whose refresh token never changes.
pub(crate) const REFRESH_ROTATION: bool = match option_env!("COGNITO_REFRESH_ROTATION") {
    Some(value) => matches!(value.as_bytes(), b"1"),
    None => false,
};

/// The firmware's build time (unix seconds, written by `build.rs`): the time the TLS layer
/// checks certificates at until the pool's first reply tells the real time, since the board
/// has no battery-backed clock.
pub(crate) const BUILD_TIME: u64 = parse_u64(env!("FIRMWARE_BUILD_UNIX_TIME"));

/// Whether the pool is the example default rather than one set at build time.
pub(crate) const fn uses_example_pool() -> bool {
    option_env!("COGNITO_POOL_ID").is_none()
}

/// What the sign-in, refresh and device-registration flows keep between steps: the core's
/// [`DeviceLimits`] (`Session` 4 KiB, `SECRET_BLOCK` 4 KiB, user names 128 bytes, the password
/// 256, no client metadata, a kept token 4 KiB), about half the core's default capacities,
/// which suit any pool and user.
pub(crate) type FlowLimits = DeviceLimits;

/// What is kept in flash: a refresh token of up to 4 KiB and a username of up to 128 bytes.
pub(crate) type Kept = cognito_embassy::store::Remembered<4096, 128>;

/// Parses a decimal number at compile time (a malformed build time fails the build).
const fn parse_u64(digits: &str) -> u64 {
    let mut rest = digits.as_bytes();
    assert!(!rest.is_empty(), "FIRMWARE_BUILD_UNIX_TIME is empty");
    let mut value: u64 = 0;
    while let [digit, tail @ ..] = rest {
        assert!(
            digit.is_ascii_digit(),
            "FIRMWARE_BUILD_UNIX_TIME is not a number"
        );
        value = value * 10 + (*digit - b'0') as u64;
        rest = tail;
    }
    value
}
