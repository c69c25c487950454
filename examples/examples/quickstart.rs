//! The quick start, no AWS account needed: the std client walks a user through sign-up,
//! confirmation, SRP sign-in, TOTP enrolment, MFA sign-in, device remembering, device SRP,
//! refresh, attribute update and global sign-out against the emulated user pool, served over
//! HTTP on a free loopback port. Every step is printed; secrets are not.
//!
//! ```text
//! cargo run --release -p cognito-examples --example quickstart
//! ```

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let mut out = std::io::stdout();
    match cognito_examples::quickstart::run(&mut out).await {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("quickstart failed: {e}");
            ExitCode::FAILURE
        }
    }
}
