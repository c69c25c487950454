//! `account_replies`: the checks are `cognito_fuzz_harness::account_replies` (fuzz/harness/src/account_replies.rs).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cognito_fuzz_harness::account_replies(data));
