//! `embassy_http`: the checks are `cognito_fuzz_harness::embassy_http` (fuzz/harness/src/embassy_http.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::embassy_http(data));
