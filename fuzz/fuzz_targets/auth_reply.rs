//! `auth_reply`: the checks are `cognito_fuzz_harness::auth_reply` (fuzz/harness/src/auth_reply.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::auth_reply(data));
