//! `oauth_redirect`: the checks are `cognito_fuzz_harness::oauth_redirect` (fuzz/harness/src/oauth_redirect.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::oauth_redirect(data));
