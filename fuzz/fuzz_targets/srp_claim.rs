//! `srp_claim`: the checks are `cognito_fuzz_harness::srp_claim` (fuzz/harness/src/srp_claim.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::srp_claim(data));
