//! The quick start's sign-in against a real user pool (or any endpoint): SRP sign-in with the
//! std client, MFA codes typed in, the user's attributes, a token refresh; optionally the session
//! kept in a file (so the next run signs in as the remembered device) and a global sign-out.
//!
//! ```text
//! cargo run --release -p cognito-examples --example real_pool -- \
//!     --pool-id eu-west-1_AbCdEf123 --client-id 3n4b5urk1ft4fl3mg5e62d9ado --username alice
//! ```
//!
//! Every option can also come from the environment: `COGNITO_POOL_ID`, `COGNITO_CLIENT_ID`,
//! `COGNITO_CLIENT_SECRET`, `COGNITO_USERNAME`, `COGNITO_ENDPOINT`, `COGNITO_SESSION_FILE`. The
//! password is read from `COGNITO_PASSWORD`, or else from standard input (not echoed on a
//! terminal). Other options: `--client-secret S`, `--endpoint URL`, `--session-file PATH`,
//! `--global-sign-out`. Tokens are shown as short prefixes only.
//!
//! It talks to the network and needs a real pool, so no test runs it.

// Host-side example: std is the point.
#![allow(clippy::std_instead_of_core, clippy::std_instead_of_alloc)]

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use cognito_examples::quickstart::prefix;
use cognito_std::{
    Client, Config, FileStore, SessionStore, SignInAnswer, SignInRequest, SignInStep,
};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The command line, with the environment as fallback.
struct Args {
    pool_id: String,
    client_id: String,
    client_secret: Option<String>,
    username: String,
    endpoint: Option<String>,
    session_file: Option<String>,
    global_sign_out: bool,
}

const USAGE: &str =
    "usage: real_pool --pool-id ID --client-id ID [--client-secret S] --username NAME \
[--endpoint URL] [--session-file PATH] [--global-sign-out]
(or COGNITO_POOL_ID, COGNITO_CLIENT_ID, COGNITO_CLIENT_SECRET, COGNITO_USERNAME, COGNITO_ENDPOINT,
COGNITO_SESSION_FILE; the password from COGNITO_PASSWORD or standard input)";

fn parse_args() -> Result<Args, BoxError> {
    let mut flags = std::collections::BTreeMap::new();
    let mut global_sign_out = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--global-sign-out" => global_sign_out = true,
            "-h" | "--help" => return Err(USAGE.into()),
            "--pool-id" | "--client-id" | "--client-secret" | "--username" | "--endpoint"
            | "--session-file" => {
                let value = args
                    .next()
                    .ok_or_else(|| format!("{arg} needs a value\n{USAGE}"))?;
                flags.insert(arg, value);
            }
            other => return Err(format!("unknown argument {other}\n{USAGE}").into()),
        }
    }
    let mut get = |flag: &str, env: &str| -> Option<String> {
        flags
            .remove(flag)
            .or_else(|| std::env::var(env).ok().filter(|v| !v.is_empty()))
    };
    let required = |value: Option<String>, what: &str| {
        value.ok_or_else(|| -> BoxError { format!("{what} is required\n{USAGE}").into() })
    };
    Ok(Args {
        pool_id: required(get("--pool-id", "COGNITO_POOL_ID"), "--pool-id")?,
        client_id: required(get("--client-id", "COGNITO_CLIENT_ID"), "--client-id")?,
        client_secret: get("--client-secret", "COGNITO_CLIENT_SECRET"),
        username: required(get("--username", "COGNITO_USERNAME"), "--username")?,
        endpoint: get("--endpoint", "COGNITO_ENDPOINT"),
        session_file: get("--session-file", "COGNITO_SESSION_FILE"),
        global_sign_out,
    })
}

/// Sets the terminal's echo on or off (best effort; only when standard input is a terminal).
fn echo(on: bool) {
    if std::io::stdin().is_terminal() {
        let _ = std::process::Command::new("stty")
            .arg(if on { "echo" } else { "-echo" })
            .stdin(std::process::Stdio::inherit())
            .status();
    }
}

/// One line from standard input after a prompt on standard error.
fn prompt(question: &str, secret: bool) -> Result<String, BoxError> {
    eprint!("{question}");
    std::io::stderr().flush()?;
    if secret {
        echo(false);
    }
    let mut line = String::new();
    let read = std::io::stdin().lock().read_line(&mut line);
    if secret {
        echo(true);
        eprintln!();
    }
    read?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn run(args: Args) -> Result<(), BoxError> {
    let mut config = Config::new(&args.pool_id, &args.client_id);
    if let Some(secret) = &args.client_secret {
        config = config.with_client_secret(secret);
    }
    if let Some(endpoint) = &args.endpoint {
        config = config.with_endpoint(endpoint);
    }
    let client = Client::new(config)?;
    println!("endpoint {}", client.config().endpoint_url()?);

    let password = match std::env::var("COGNITO_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => prompt(&format!("password for {}: ", args.username), true)?,
    };
    let store = args.session_file.as_ref().map(FileStore::new);
    let stored = match &store {
        Some(store) => store.load()?,
        None => None,
    };
    // The device this user remembered before, by whichever name they signed in with.
    let request = SignInRequest::srp(&args.username, password).remembering(stored.as_ref());
    if let Some(device) = request.device() {
        println!("signing in as remembered device {}", device.key);
    }

    println!("1. SRP sign-in as {:?}", args.username);
    let mut pending = client.sign_in(request).await?;
    loop {
        let answer = match pending.step() {
            SignInStep::Done(_) => break,
            SignInStep::MfaCode {
                kind, destination, ..
            } => {
                let to = destination.as_deref().unwrap_or("your authenticator");
                SignInAnswer::code(prompt(&format!("{kind:?} code ({to}): "), false)?)
            }
            other => {
                return Err(format!(
                    "the pool asks for {other:?}, which this example does not answer (try the cognito CLI)"
                )
                .into());
            }
        };
        match pending.answer(answer).await {
            Err(e) if e.is_answer_refused() => println!("   {e}; try again"),
            other => {
                other?;
            }
        }
    }
    let mut session = pending
        .into_session()
        .map_err(|_| "the sign-in finished without a session")?;
    println!(
        "   signed in as {:?}; access token {}; device {}",
        session.username,
        prefix(&session.access_token),
        session.device.as_ref().map_or("none", |d| d.key.as_str())
    );

    println!("2. GetUser");
    let user = client.get_user(&session.access_token).await?;
    for (name, value) in &user.attributes {
        println!("   {name} = {value}");
    }
    if let Some(mfa) = &user.preferred_mfa {
        println!("   preferred MFA: {mfa}");
    }

    println!("3. Refresh");
    client.refresh(&mut session).await?;
    println!("   new access token {}", prefix(&session.access_token));

    if let Some(store) = &store {
        store.save(&session)?;
        println!("   session saved to {}", store.path().display());
    }
    if args.global_sign_out {
        println!("4. GlobalSignOut");
        client.global_sign_out(&session.access_token).await?;
        if let Some(store) = &store {
            store.clear()?;
        }
        println!("   signed out everywhere");
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let result = match parse_args() {
        Ok(args) => run(args).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
