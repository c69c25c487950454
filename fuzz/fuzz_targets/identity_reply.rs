//! `identity_reply`: the checks are `cognito_fuzz_harness::identity_reply` (fuzz/harness/src/identity_reply.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::identity_reply(data));
