//! `sign_in`: the checks are `cognito_fuzz_harness::sign_in` (fuzz/harness/src/sign_in.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::sign_in(data));
