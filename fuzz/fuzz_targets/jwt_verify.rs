//! `jwt_verify`: the checks are `cognito_fuzz_harness::jwt_verify` (fuzz/harness/src/jwt_verify.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::jwt_verify(data));
