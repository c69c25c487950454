//! What the modules of this binary share.

use std::time::Duration;

use cognito_std::{Options, RetryPolicy};

/// Transport options with quick retries: `attempts` in all, 5 to 20 ms apart, within 10 s.
pub(crate) fn quick_retries(attempts: u32) -> Options {
    Options {
        retry: RetryPolicy {
            max_attempts: attempts,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(20),
            max_elapsed: Duration::from_secs(10),
        },
        ..Options::default()
    }
}
