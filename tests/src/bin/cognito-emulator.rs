//! `cognito-emulator`: the in-memory Cognito user-pool emulator served over HTTP/1.1, for testing
//! clients and firmware offline. See `cognito_tests::http` for the protocol.

use std::io::Write;

use clap::{Parser, ValueEnum};
use cognito_tests::http::{EmulatorOptions, EmulatorServer};
use cognito_tests::pool::{AppClientOptions, DEFAULT_TIME, DeviceTracking, UserPool};

const AFTER_HELP: &str = "\
Endpoint: point the client at the printed URL instead of https://cognito-idp.{region}.amazonaws.com/.
  POST /  with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation> and
          Content-Type: application/x-amz-json-1.1 (the user-pool JSON API).
  Replies carry Date: the emulator clock (devices may use it as a time source).

Test endpoints (not part of Cognito):
  GET  /_emulator/health   {\"ok\":true}
  GET  /_emulator/outbox   JSON array of the SMS / email codes sent:
                           [{\"medium\",\"destination\",\"username\",\"code\",\"purpose\",\"sent_at\"}]
  GET  /_emulator/time     {\"now\":<unix secs>}
  POST /_emulator/time     {\"now\":<unix secs>} or {\"advance\":<secs>} moves the clock

Prints `listening on http://HOST:PORT/` to stdout once ready; logs one line per request
(method, path, operation, status) to stderr; never logs passwords, tokens or codes.
Runs until killed (Ctrl-C / SIGTERM).

Example:
  cognito-emulator --port 9229 --pool-id us-east-1_TestPool1 --client-id testclient \\
      --user alice:Passw0rd! --device-tracking always";

/// Serves an in-memory Cognito user pool over HTTP/1.1.
#[derive(Debug, Parser)]
#[command(
    name = "cognito-emulator",
    version,
    about = "Serves an in-memory Cognito user pool over HTTP/1.1: a local cognito-idp for offline tests.",
    after_help = AFTER_HELP
)]
struct Args {
    /// Address to listen on (loopback by default).
    #[arg(long, env = "COGNITO_EMULATOR_HOST", default_value = "127.0.0.1")]
    host: String,
    /// Port to listen on; 0 picks a free port (see the printed URL).
    #[arg(long, env = "COGNITO_EMULATOR_PORT", default_value_t = 0)]
    port: u16,
    /// User pool id, `{region}_{id}` (e.g. us-east-1_TestPool1).
    #[arg(long, env = "COGNITO_EMULATOR_POOL_ID")]
    pool_id: String,
    /// App client id.
    #[arg(long, env = "COGNITO_EMULATOR_CLIENT_ID")]
    client_id: String,
    /// App client secret (then every auth call needs SECRET_HASH).
    #[arg(long, env = "COGNITO_EMULATOR_CLIENT_SECRET", hide_env_values = true)]
    client_secret: Option<String>,
    /// A confirmed user, NAME:PASSWORD (split at the first ':'); repeatable.
    #[arg(long = "user", value_name = "NAME:PASSWORD", value_parser = parse_user)]
    users: Vec<(String, String)>,
    /// The app client's device tracking.
    #[arg(long, value_enum, default_value_t = Tracking::Off)]
    device_tracking: Tracking,
    /// Seed of the pool's random numbers (SRP b, codes, tokens).
    #[arg(long, env = "COGNITO_EMULATOR_SEED", default_value_t = 0)]
    seed: u64,
    /// Do not follow the system clock: start at 2026-01-01T00:00:00Z (or --time) and move only
    /// through POST /_emulator/time.
    #[arg(long)]
    fixed_clock: bool,
    /// Start time with --fixed-clock, unix seconds.
    #[arg(long, requires = "fixed_clock", value_name = "UNIX_SECS")]
    time: Option<u64>,
    /// Do not log requests to stderr.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Tracking {
    /// No device tracking.
    Off,
    /// Always remember devices.
    Always,
    /// Remember devices when the user opts in (UpdateDeviceStatus).
    OptIn,
}

fn parse_user(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, password)) if !name.is_empty() && !password.is_empty() => {
            Ok((name.to_owned(), password.to_owned()))
        }
        _ => Err("expected NAME:PASSWORD".to_owned()),
    }
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let mut pool = UserPool::new(&args.pool_id, args.seed);
    pool.set_time(args.time.unwrap_or(DEFAULT_TIME));
    pool.add_client_with(
        &args.client_id,
        AppClientOptions {
            secret: args.client_secret.clone(),
            device_tracking: match args.device_tracking {
                Tracking::Off => DeviceTracking::Off,
                Tracking::Always => DeviceTracking::Always,
                Tracking::OptIn => DeviceTracking::UserOptIn,
            },
        },
    );
    for (name, password) in &args.users {
        pool.add_user(name, password);
    }
    let options = EmulatorOptions {
        follow_system_clock: !args.fixed_clock,
        log_requests: !args.quiet,
        ..EmulatorOptions::default()
    };
    let addr = format!("{}:{}", args.host, args.port);
    let server = match EmulatorServer::start_with(pool, &addr, options) {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cognito-emulator: cannot listen on {addr}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    eprintln!(
        "cognito-emulator: pool {} client {} ({} user(s), device tracking {:?})",
        args.pool_id,
        args.client_id,
        args.users.len(),
        args.device_tracking
    );
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", server.url()).is_err() || stdout.flush().is_err() {
        return std::process::ExitCode::FAILURE;
    }
    drop(stdout);
    // Serve until killed; the server's threads do the work.
    loop {
        std::thread::park();
    }
}
