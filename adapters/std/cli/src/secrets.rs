//! No `Debug` output of the tool's arguments and context shows a secret.
//!
//! [`debug_hides_every_secret`] parses command lines that give every secret flag a marker value
//! and formats what they become (`cognito_tests::secrets::CLI.checked`); every argument that
//! carries a secret has the type [`Secret`], which shows `<redacted>` and is zeroized on drop.
//! [`every_type_that_may_hold_a_secret_is_listed`] keeps the list complete (see
//! `cognito_tests::secrets`).

#![allow(clippy::unwrap_used, clippy::panic)]

use core::str::FromStr;

use clap::Parser;
use cognito_tests::secrets::{CLI, Checker, assert_inventory, workspace_root};

use crate::args::{Cli, Command, Secret};
use crate::context::Context;

const CLIENT_SECRET: &str = "MARKER-CLIENT-SECRET-1";
const PASSWORD: &str = "MARKER-PASSWORD-1";
const NEW_PASSWORD: &str = "MARKER-PASSWORD-2";
const CODE: &str = "MARKER-CODE-1";
const TOTP_SECRET: &str = "MARKER-TOTP-SECRET-1";
const ANSWER: &str = "MARKER-ANSWER-1";
const ANSWER_2: &str = "MARKER-ANSWER-2";
const TOKEN: &str = "MARKER-TOKEN-1";

#[test]
fn every_type_that_may_hold_a_secret_is_listed() {
    assert_inventory(&workspace_root(env!("CARGO_MANIFEST_DIR")), &CLI);
}

#[test]
fn debug_hides_every_secret() {
    let mut checker = Checker::new(&[
        CLIENT_SECRET,
        PASSWORD,
        NEW_PASSWORD,
        CODE,
        TOTP_SECRET,
        ANSWER,
        ANSWER_2,
        TOKEN,
    ]);
    let global = [
        "cognito",
        "--pool-id",
        "eu-west-1_AbC",
        "--client-id",
        "client",
        "--client-secret",
        CLIENT_SECRET,
    ];
    // Every flag that takes a secret, in the commands that have one.
    let command_lines: &[&[&str]] = &[
        &["sign-up", "--username", "alice", "--password", PASSWORD],
        &["confirm-sign-up", "--username", "alice", "--code", CODE],
        &["verify-attribute", "--attribute", "email", "--code", CODE],
        &["change-password", "--old", PASSWORD, "--new", NEW_PASSWORD],
        &[
            "confirm-forgot-password",
            "--username",
            "alice",
            "--code",
            CODE,
            "--password",
            NEW_PASSWORD,
        ],
        &[
            "mfa",
            "verify-totp",
            "--code",
            CODE,
            "--friendly-name",
            "phone",
        ],
        &["totp", "--secret", TOTP_SECRET],
        &["verify-token", "--token-use", "access", TOKEN],
        &[
            "sign-in",
            "--username",
            "alice",
            "--password",
            PASSWORD,
            "--mfa-code",
            CODE,
            "--totp-secret",
            TOTP_SECRET,
            "--new-password",
            NEW_PASSWORD,
            "--answer",
            ANSWER,
            "--answer",
            ANSWER_2,
            "--setup-email",
            "alice@example.com",
        ],
    ];
    for line in command_lines {
        let cli = Cli::try_parse_from(global.iter().chain(line.iter())).unwrap();
        checker.debug(&cli).debug(&cli.global).debug(&cli.command);
        match &cli.command {
            Command::SignIn(args) => {
                checker.debug(args);
                // What is not secret stays visible.
                assert!(format!("{args:?}").contains("alice@example.com"));
            }
            Command::Mfa(command) => {
                checker.debug(command);
            }
            Command::VerifyToken(args) => {
                checker.debug(args);
            }
            _ => {}
        }
        let ctx = Context::new(cli.global);
        checker.debug(&ctx);
    }
    checker.debug(&Secret::from_str(PASSWORD).unwrap());
    checker.finish(&CLI);
}

#[test]
fn secrets_read_as_given() {
    let cli = Cli::try_parse_from(["cognito", "totp", "--secret", TOTP_SECRET]).unwrap();
    let Command::Totp { secret } = cli.command else {
        panic!("{:?}", cli.command)
    };
    assert_eq!(&*secret, TOTP_SECRET);
    assert_eq!(format!("{secret:?}"), "<redacted>");
    assert_eq!(format!("{:?}", Secret::from_str("").unwrap()), "\"\"");
}
