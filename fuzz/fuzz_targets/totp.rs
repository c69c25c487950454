//! `totp`: the checks are `cognito_fuzz_harness::totp` (fuzz/harness/src/totp.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::totp(data));
