//! `oauth_reply`: the checks are `cognito_fuzz_harness::oauth_reply` (fuzz/harness/src/oauth_reply.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::oauth_reply(data));
