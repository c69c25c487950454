//! The `cognito` command-line tool: sign in to an Amazon Cognito user pool (SRP, password,
//! custom and choice-based flows, MFA, remembered devices) and manage the account, with the
//! session kept in a file between runs. Run `cognito --help` for the commands, the session file
//! and the exit codes.

#![forbid(unsafe_code)]
// A std-only binary: the workspace's no_std hygiene lints do not apply.
#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]
// The argument docs are clap's help text, written for a terminal (`<region>`, plain URLs).
#![allow(rustdoc::invalid_html_tags, rustdoc::bare_urls)]

mod args;
mod browser;
mod callback;
mod commands;
mod context;
mod error;
mod output;
mod prompt;
#[cfg(test)]
mod secrets;

use std::process::ExitCode;

use clap::Parser;

use crate::args::Cli;
use crate::context::Context;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context::new(cli.global);
    match commands::run(&ctx, cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            prompt::notice(&format!("error: {e}"));
            ExitCode::from(e.exit_code())
        }
    }
}
