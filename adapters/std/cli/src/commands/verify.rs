//! `verify-token`: a token of the pool checked as a server would (`cognito_std::TokenVerifier`).

use std::io::BufRead;
use std::time::Duration;

use clap::{Args, ValueEnum};
use cognito_std::blocking;
use cognito_std::core::token::ExpectedUse;
use serde_json::Value;
use zeroize::Zeroizing;

use crate::args::Secret;
use crate::context::Context;
use crate::error::{CliError, CliResult};

/// The arguments of `verify-token`.
#[derive(Debug, Args)]
pub(crate) struct VerifyTokenArgs {
    /// Accept only this kind of token (default: either).
    #[arg(long, value_enum)]
    token_use: Option<TokenUseArg>,
    /// Require this scope (access tokens).
    #[arg(long)]
    scope: Option<String>,
    /// Require this group (`cognito:groups`).
    #[arg(long)]
    group: Option<String>,
    /// Tolerated clock difference for exp and iat, in seconds.
    #[arg(long, value_name = "SECS", default_value_t = 0)]
    leeway: u64,
    /// The token (`-`: read one line from stdin). A bearer credential: redacted in `Debug`,
    /// zeroized on drop.
    token: Secret,
}

/// `--token-use`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum TokenUseArg {
    /// Access tokens.
    Access,
    /// ID tokens.
    Id,
}

/// Verifies the token; prints its claims as JSON (exit 0), or fails with the reason (exit 1;
/// 4 when the key set cannot be fetched).
pub(crate) fn verify_token(ctx: &Context, args: &VerifyTokenArgs) -> CliResult<()> {
    let token = if args.token.as_str() == "-" {
        let mut line = Zeroizing::new(String::new());
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::local(format!("reading the token from stdin: {e}")))?;
        Zeroizing::new(line.trim().to_owned())
    } else {
        Zeroizing::new(args.token.as_str().to_owned())
    };
    let mut builder = ctx
        .token_verifier()?
        .with_leeway(Duration::from_secs(args.leeway))
        .with_token_use(match args.token_use {
            None => ExpectedUse::Either,
            Some(TokenUseArg::Access) => ExpectedUse::Access,
            Some(TokenUseArg::Id) => ExpectedUse::Id,
        });
    if let Some(scope) = &args.scope {
        builder = builder.with_scope(scope);
    }
    if let Some(group) = &args.group {
        builder = builder.with_group(group);
    }
    let verifier = blocking::TokenVerifier::new(builder)?;
    let claims = verifier.verify(&token)?;
    let json = serde_json::to_string_pretty(&Value::Object(claims.into_map()))
        .map_err(|e| CliError::local(e.to_string()))?;
    println!("{json}");
    Ok(())
}
