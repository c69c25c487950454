//! Build script: the linker's memory map, the build time the TLS layer may assume before the
//! pool tells the real time, and the settings that rebuild the firmware when they change.

// A build script that cannot do its work must stop the build, saying why.
#![allow(clippy::expect_used)]

use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs, path::PathBuf};

/// The settings `src/config.rs` reads with `option_env!`.
const SETTINGS: [&str; 8] = [
    "COGNITO_POOL_ID",
    "COGNITO_CLIENT_ID",
    "COGNITO_CLIENT_SECRET",
    "COGNITO_REGION",
    "COGNITO_USERNAME",
    "COGNITO_PASSWORD",
    "COGNITO_DEVICE_NAME",
    "COGNITO_REFRESH_ROTATION",
];

fn main() {
    // memory.x (flash less the store's two sectors, RAM) where cortex-m-rt's link.x finds it.
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy("memory.x", out.join("memory.x")).expect("memory.x is copied to OUT_DIR");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory.x");

    // The build time, or SOURCE_DATE_EPOCH for a reproducible build. The script runs again when
    // the sources or a setting change, so the time is that of the last change, never later.
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    let now = match env::var("SOURCE_DATE_EPOCH") {
        Ok(epoch) => epoch
            .trim()
            .parse()
            .expect("SOURCE_DATE_EPOCH is unix seconds"),
        Err(_) => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("the build machine's clock is after 1970")
            .as_secs(),
    };
    println!("cargo:rustc-env=FIRMWARE_BUILD_UNIX_TIME={now}");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=src");

    for setting in SETTINGS {
        println!("cargo:rerun-if-env-changed={setting}");
    }
}
