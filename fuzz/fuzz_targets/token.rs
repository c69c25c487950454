//! `token`: the checks are `cognito_fuzz_harness::token` (fuzz/harness/src/token.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::token(data));
