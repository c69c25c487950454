//! Replays the committed fuzz inputs through the harness: every file of `fuzz/seeds/<target>/`
//! and of `fuzz/regressions/<target>/` (crashes found by fuzzing, kept once fixed), one test per
//! target. Files whose name starts with `.` are skipped.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use cognito_fuzz_harness::TARGETS;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The input files of `dir`, sorted; none when it does not exist.
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    files.sort();
    files
}

/// Runs every seed and regression of `target`; a failing input is named before its panic goes on.
fn replay(target: &str) {
    let (_, harness) = TARGETS.iter().find(|(name, _)| *name == target).unwrap();
    let seeds = inputs(&fuzz_dir().join("seeds").join(target));
    assert!(!seeds.is_empty(), "no seeds for {target}");
    let regressions = inputs(&fuzz_dir().join("regressions").join(target));
    for file in seeds.iter().chain(&regressions) {
        let data = std::fs::read(file).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| harness(&data)) {
            eprintln!("{target}: {} fails", file.display());
            std::panic::resume_unwind(panic);
        }
    }
}

macro_rules! replay_tests {
    ($($target:ident),* $(,)?) => {
        $(
            #[test]
            fn $target() {
                replay(stringify!($target));
            }
        )*

        #[test]
        fn every_target_is_replayed() {
            let tested = [$(stringify!($target)),*];
            for (name, _) in TARGETS {
                assert!(tested.contains(name), "{name} has no replay test");
            }
            assert_eq!(tested.len(), TARGETS.len());
        }
    };
}

replay_tests!(
    json_parse,
    auth_reply,
    srp_sign_in,
    sign_in,
    srp_claim,
    account_replies,
    device_registration,
    challenge,
    token,
    http_date,
    totp,
    embassy_http,
    oauth_redirect,
    oauth_reply,
    identity_reply,
    jwt_verify,
);
