//! `json_parse`: the checks are `cognito_fuzz_harness::json_parse` (fuzz/harness/src/json_parse.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::json_parse(data));
