//! `challenge`: the checks are `cognito_fuzz_harness::challenge` (fuzz/harness/src/challenge.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::challenge(data));
