//! `srp_sign_in`: the checks are `cognito_fuzz_harness::srp_sign_in` (fuzz/harness/src/srp_sign_in.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::srp_sign_in(data));
