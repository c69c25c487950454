//! `cognito-emulator`: the in-memory Cognito user-pool emulator served over HTTP/1.1 or HTTPS, for
//! testing clients and firmware offline. See `cognito_tests::http` for the protocol and
//! `cognito_tests::pki` for the test PKI.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Parser, ValueEnum};
use cognito_tests::http::{EmulatorOptions, EmulatorServer, TlsIdentity, TlsOptions, TlsVersions};
use cognito_tests::pki::{BadCert, PkiOptions, TestPki};
use cognito_tests::pool::{
    AppClientOptions, DEFAULT_TIME, DeviceTracking, IdentityPoolOptions, OAuthFlow, OAuthSettings,
    STANDARD_SCOPES, UserPool,
};

const AFTER_HELP: &str = "\
Endpoint: point the client at the printed URL instead of https://cognito-idp.{region}.amazonaws.com/.
  POST /  with X-Amz-Target: AWSCognitoIdentityProviderService.<Operation> and
          Content-Type: application/x-amz-json-1.1 (the user-pool JSON API).
  Replies carry Date: the emulator clock (devices may use it as a time source).

Hosted UI (OAuth 2.0, as on the pool domain), with --callback-url (and friends):
  GET  /oauth2/authorize   code + PKCE (S256): a sign-in form posting to /login
  POST /login              username / password (form) -> 302 to redirect_uri?code=..&state=..
  POST /oauth2/token       grants authorization_code, refresh_token, client_credentials
                           (form-urlencoded; Authorization: Basic for clients with a secret)
  POST /oauth2/revoke      revokes a refresh token and its access tokens
  GET  /oauth2/userInfo    Authorization: Bearer <access token with openid>
  GET  /logout             client_id + logout_uri (one of --logout-url) -> 302

JWKS: GET /<poolId>/.well-known/jwks.json (the tokens are RS256 under it).

Identity pools (cognito-identity), with --identity-pool [ID]: the same URL serves
  POST /  with X-Amz-Target: AWSCognitoIdentityService.<Operation>: GetId,
          GetCredentialsForIdentity, GetOpenIdToken (point the client's identity endpoint at it).
  The pool accepts the app client's ID tokens (provider cognito-idp.<region>.amazonaws.com/<poolId>);
  --allow-guests lets unauthenticated identities in. Its id is printed on stdout after the URL,
  `identity pool <region>:<uuid>`.

Test endpoints (not part of Cognito):
  GET  /_emulator/health   {\"ok\":true}
  GET  /_emulator/outbox   JSON array of the SMS / email codes sent:
                           [{\"medium\",\"destination\",\"username\",\"code\",\"purpose\",\"sent_at\"}]
  GET  /_emulator/time     {\"now\":<unix secs>}
  POST /_emulator/time     {\"now\":<unix secs>} or {\"advance\":<secs>} moves the clock

TLS: with --tls-cert and --tls-key (PEM: the chain, leaf first, and its key) the emulator
speaks HTTPS only. With --tls-test-ca-out PATH it makes a test PKI (RSA 2048: Test Root CA,
Test Intermediate CA, a leaf for localhost and 127.0.0.1), serves the leaf and the intermediate,
and writes the root CA's PEM to PATH before it prints its URL: trust that file in the client.
--tls-test-cert serves one of the test PKI's other certificates instead, to check that a client
refuses it (or, for wildcard, accepts *.test.local).

Prints `listening on http://HOST:PORT/` (or `https://`) to stdout once ready; logs one line per
request (method, path, operation, status) and failed TLS handshakes to stderr; never logs
passwords, tokens or codes. Runs until killed (Ctrl-C / SIGTERM).

Examples:
  cognito-emulator --port 9229 --pool-id us-east-1_TestPool1 --client-id testclient \\
      --user alice:Passw0rd! --device-tracking always
  cognito-emulator --pool-id us-east-1_TestPool1 --client-id testclient \\
      --user alice:Passw0rd! --tls-test-ca-out ca.pem
  cognito-emulator --pool-id us-east-1_TestPool1 --client-id testclient \\
      --user alice:Passw0rd! --callback-url http://127.0.0.1:8765/callback \\
      --logout-url http://127.0.0.1:8765/signed-out
  cognito-emulator --pool-id us-east-1_TestPool1 --client-id machine --client-secret s3cr3t \\
      --oauth-flow client-credentials --resource-server https://api.example.com=read,write";

/// Serves an in-memory Cognito user pool over HTTP/1.1 or HTTPS.
#[derive(Debug, Parser)]
#[command(
    name = "cognito-emulator",
    version,
    about = "Serves an in-memory Cognito user pool over HTTP/1.1 or HTTPS: a local cognito-idp for offline tests.",
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
    /// A hosted-UI callback URL (allowed redirect_uri) of the app client; repeatable. Enables
    /// the code grant (unless --oauth-flow says otherwise).
    #[arg(long = "callback-url", value_name = "URL")]
    callback_urls: Vec<String>,
    /// A sign-out URL (allowed logout_uri of /logout) of the app client; repeatable.
    #[arg(long = "logout-url", value_name = "URL")]
    logout_urls: Vec<String>,
    /// An OAuth grant the app client may use; repeatable. Default: code with --callback-url.
    #[arg(long = "oauth-flow", value_enum, value_name = "FLOW")]
    oauth_flows: Vec<Flow>,
    /// An OAuth scope the app client may ask for; repeatable. Default: openid, email, phone,
    /// profile and aws.cognito.signin.user.admin with the code grant, and every resource-server
    /// scope.
    #[arg(long = "oauth-scope", value_name = "SCOPE")]
    oauth_scopes: Vec<String>,
    /// A resource server, IDENTIFIER=SCOPE[,SCOPE...]: its scopes are IDENTIFIER/SCOPE;
    /// repeatable.
    #[arg(
        long = "resource-server",
        value_name = "IDENTIFIER=SCOPES",
        value_parser = parse_resource_server
    )]
    resource_servers: Vec<(String, Vec<String>)>,
    /// Create an identity pool linked to the user pool and its app client, with this id
    /// (`{region}:{uuid}`) or a new one; its id is printed after the URL.
    #[arg(long, num_args = 0..=1, value_name = "ID")]
    identity_pool: Option<Option<String>>,
    /// Let the identity pool give guests (no logins) identities and credentials.
    #[arg(long, requires = "identity_pool")]
    allow_guests: bool,
    /// Let /oauth2/authorize go without PKCE (required by default).
    #[arg(long)]
    pkce_optional: bool,
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
    /// Serve HTTPS with this certificate chain (PEM, leaf first).
    #[arg(
        long,
        value_name = "PATH",
        requires = "tls_key",
        conflicts_with = "tls_test_ca_out"
    )]
    tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS #8, RSA or EC).
    #[arg(long, value_name = "PATH", requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Serve HTTPS with a generated test PKI, and write its root CA (PEM) to PATH.
    #[arg(long, value_name = "PATH")]
    tls_test_ca_out: Option<PathBuf>,
    /// Which of the test PKI's certificates to serve.
    #[arg(long, value_enum, default_value_t = TestCert::Good, requires = "tls_test_ca_out")]
    tls_test_cert: TestCert,
    /// The TLS versions to speak.
    #[arg(long, value_enum, default_value_t = Version::Any)]
    tls_version: Version,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum TestCert {
    /// The leaf for localhost and 127.0.0.1, with the intermediate.
    Good,
    /// A leaf for *.test.local.
    Wildcard,
    /// A leaf from another root CA.
    UntrustedRoot,
    /// A leaf from another root CA called "Test Root CA" (another key).
    ImpostorRoot,
    /// A leaf for wrong.example.
    WrongHost,
    /// A leaf that expired a week ago.
    Expired,
    /// A leaf valid from next week.
    NotYetValid,
    /// A leaf signed by a certificate with CA:FALSE.
    NonCaIssuer,
    /// A leaf signed by an intermediate CA without keyCertSign (webpki accepts it).
    NoKeyCertSign,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Version {
    /// TLS 1.2 and 1.3.
    Any,
    /// TLS 1.2 only.
    #[value(name = "1.2")]
    Tls12,
    /// TLS 1.3 only.
    #[value(name = "1.3")]
    Tls13,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Flow {
    /// The authorization-code grant through the hosted UI.
    Code,
    /// The client-credentials grant (needs --client-secret).
    ClientCredentials,
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

fn parse_resource_server(text: &str) -> Result<(String, Vec<String>), String> {
    let (identifier, scopes) = text
        .split_once('=')
        .ok_or("expected IDENTIFIER=SCOPE[,SCOPE...]")?;
    let scopes: Vec<String> = scopes
        .split(',')
        .map(str::trim)
        .filter(|scope| !scope.is_empty())
        .map(str::to_owned)
        .collect();
    if identifier.is_empty() || scopes.is_empty() {
        return Err("expected IDENTIFIER=SCOPE[,SCOPE...]".to_owned());
    }
    Ok((identifier.to_owned(), scopes))
}

/// The app client's hosted-UI settings from the flags; `None` when no OAuth flag was given.
fn oauth_settings(args: &Args) -> Option<OAuthSettings> {
    let mut flows: Vec<OAuthFlow> = args
        .oauth_flows
        .iter()
        .map(|flow| match flow {
            Flow::Code => OAuthFlow::Code,
            Flow::ClientCredentials => OAuthFlow::ClientCredentials,
        })
        .collect();
    if flows.is_empty() && !args.callback_urls.is_empty() {
        flows.push(OAuthFlow::Code);
    }
    let configured = !flows.is_empty()
        || !args.logout_urls.is_empty()
        || !args.oauth_scopes.is_empty()
        || args.pkce_optional;
    if !configured {
        return None;
    }
    let scopes = if args.oauth_scopes.is_empty() {
        let mut scopes: Vec<String> = Vec::new();
        if flows.contains(&OAuthFlow::Code) {
            scopes.extend(STANDARD_SCOPES.iter().map(|scope| (*scope).to_owned()));
        }
        for (identifier, names) in &args.resource_servers {
            scopes.extend(names.iter().map(|name| format!("{identifier}/{name}")));
        }
        scopes
    } else {
        args.oauth_scopes.clone()
    };
    Some(OAuthSettings {
        callback_urls: args.callback_urls.clone(),
        logout_urls: args.logout_urls.clone(),
        flows,
        scopes,
        require_pkce: !args.pkce_optional,
    })
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
    for (identifier, scopes) in &args.resource_servers {
        let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
        pool.add_resource_server(identifier, &scopes);
    }
    let identity_pool = args.identity_pool.clone().map(|id| {
        pool.add_identity_pool(IdentityPoolOptions {
            id,
            allow_unauthenticated: args.allow_guests,
            client_ids: vec![args.client_id.clone()],
        })
    });
    let oauth = oauth_settings(&args);
    if let Some(settings) = &oauth {
        pool.set_client_oauth(&args.client_id, settings.clone());
    }
    let options = EmulatorOptions {
        follow_system_clock: !args.fixed_clock,
        log_requests: !args.quiet,
        ..EmulatorOptions::default()
    };
    let identity = match tls_identity(&args) {
        Ok(identity) => identity,
        Err(e) => {
            eprintln!("cognito-emulator: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let addr = format!("{}:{}", args.host, args.port);
    let started = match identity {
        None => EmulatorServer::start_with(pool, &addr, options),
        Some(identity) => {
            let versions = match args.tls_version {
                Version::Any => TlsVersions::Both,
                Version::Tls12 => TlsVersions::Tls12Only,
                Version::Tls13 => TlsVersions::Tls13Only,
            };
            let tls = TlsOptions { identity, versions };
            EmulatorServer::start_tls(pool, &addr, tls, options)
        }
    };
    let server = match started {
        Ok(server) => server,
        Err(e) => {
            eprintln!("cognito-emulator: cannot serve on {addr}: {e}");
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
    if let Some(settings) = &oauth {
        eprintln!(
            "cognito-emulator: hosted UI: flows {:?}, scopes {}, {} callback URL(s), {} sign-out URL(s)",
            settings.flows,
            settings.scopes.join(" "),
            settings.callback_urls.len(),
            settings.logout_urls.len()
        );
    }
    if let Some(id) = &identity_pool {
        eprintln!(
            "cognito-emulator: identity pool {id} (guests {})",
            if args.allow_guests {
                "allowed"
            } else {
                "refused"
            }
        );
    }
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "listening on {}", server.url()).is_err() {
        return std::process::ExitCode::FAILURE;
    }
    if let Some(id) = &identity_pool
        && writeln!(stdout, "identity pool {id}").is_err()
    {
        return std::process::ExitCode::FAILURE;
    }
    if stdout.flush().is_err() {
        return std::process::ExitCode::FAILURE;
    }
    drop(stdout);
    // Serve until killed; the server's threads do the work.
    loop {
        std::thread::park();
    }
}

/// The identity to serve, from the files or a new test PKI (whose root goes to its file);
/// `None` for plain HTTP.
fn tls_identity(args: &Args) -> Result<Option<TlsIdentity>, String> {
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        return TlsIdentity::from_pem_files(cert, key)
            .map(Some)
            .map_err(|e| format!("cannot use --tls-cert / --tls-key: {e}"));
    }
    let Some(ca_out) = &args.tls_test_ca_out else {
        return Ok(None);
    };
    eprintln!("cognito-emulator: generating the test PKI (RSA 2048)");
    // Valid by the system clock and, with a fixed clock, by the emulator's.
    let options = PkiOptions {
        emulator_time: args.fixed_clock.then(|| args.time.unwrap_or(DEFAULT_TIME)),
        ..PkiOptions::default()
    };
    let pki = TestPki::generate_with(options).map_err(|e| e.to_string())?;
    write_file(ca_out, &pki.root.pem)?;
    let identity = match args.tls_test_cert {
        TestCert::Good => &pki.server,
        TestCert::Wildcard => &pki.wildcard,
        TestCert::NoKeyCertSign => &pki.intermediate_without_cert_sign,
        TestCert::UntrustedRoot => pki.bad(BadCert::UntrustedRoot),
        TestCert::ImpostorRoot => pki.bad(BadCert::ImpostorRoot),
        TestCert::WrongHost => pki.bad(BadCert::WrongHost),
        TestCert::Expired => pki.bad(BadCert::Expired),
        TestCert::NotYetValid => pki.bad(BadCert::NotYetValid),
        TestCert::NonCaIssuer => pki.bad(BadCert::NonCaIssuer),
    };
    eprintln!(
        "cognito-emulator: serving the test PKI's {:?} certificate; its root CA is in {}",
        args.tls_test_cert,
        ca_out.display()
    );
    Ok(Some(identity.tls_identity()))
}

/// Writes `text` to `path` whole: to a temporary file beside it, then renamed, so a reader never
/// sees half of it.
fn write_file(path: &Path, text: &str) -> Result<(), String> {
    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}
