//! `device_registration`: the checks are `cognito_fuzz_harness::device_registration` (fuzz/harness/src/device_registration.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::device_registration(data));
