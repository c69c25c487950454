//! `http_date`: the checks are `cognito_fuzz_harness::http_date` (fuzz/harness/src/http_date.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::http_date(data));
