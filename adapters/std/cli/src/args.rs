//! The command line: global options (each also read from the environment) and the commands.

use core::convert::Infallible;
use core::fmt;
use core::ops::Deref;
use core::str::FromStr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use zeroize::Zeroizing;

/// Text appended to `--help`: secrets, the session file and the exit codes.
const AFTER_HELP: &str = "\
Passwords and codes: a password flag given as `-` is read as one line from standard input; a \
password left out is asked for without echo when standard input is a terminal. Prefer these to \
passwords in process arguments.

Session: `sign-in` stores the tokens (and the remembered device, if the pool tracks devices) in \
the session file, owner-only (0600). Later commands use it and refresh the access token when it \
is about to expire. The refresh token and the device password stay in that file; they are never \
printed. `sign-out` revokes the refresh token at Cognito and forgets the tokens, but keeps the \
remembered device, so the next sign-in of the same user runs device SRP.

Hosted UI: `sign-in --hosted-ui` (also `login --hosted-ui`) signs in through the pool domain (--domain or COGNITO_DOMAIN): it listens on http://127.0.0.1:<port>/callback (default port 8400; the app client's callback URLs must list that URL), opens the browser ($BROWSER, else xdg-open or open; the URL is also printed on stderr) and stores the session like any sign-in. Hosted-UI sessions are refreshed through the domain (the one they came from when --domain is not given). `m2m-token` caches client-credentials tokens in <session file stem>.client-tokens.json next to the session file, owner-only, until shortly before they expire.

Challenges: a challenge whose answer was not given as a flag is asked for on the terminal; \
without a terminal the tool exits with status 3 naming the challenge and the flag that answers it.

Exit status:
  0  success
  1  Cognito refused the request (the exception name and message are on stderr; for the pool
     domain, the OAuth error and its description); verify-token: the token is refused
  2  usage error (bad or missing arguments, `delete-user` without `--yes`)
  3  a sign-in challenge needs an answer and none could be asked for
  4  local error: session file, network, configuration, unexpected reply";

/// The `cognito` tool: sign in to an Amazon Cognito user pool and manage the account.
#[derive(Debug, Parser)]
#[command(
    name = "cognito",
    version,
    about,
    args_override_self = true,
    after_help = AFTER_HELP
)]
pub(crate) struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub(crate) global: Global,
    /// What to do.
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// Options shared by every command.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub(crate) struct Global {
    /// Cognito endpoint URL (default: https://cognito-idp.<region>.amazonaws.com/ of the pool):
    /// https://, or http:// to a loopback host such as an emulator on 127.0.0.1.
    #[arg(long, global = true, env = "COGNITO_ENDPOINT", value_name = "URL")]
    pub(crate) endpoint: Option<String>,
    /// DANGEROUS: allow an http:// --endpoint on a host that is not loopback. Passwords, codes
    /// and tokens then cross the network unencrypted; a warning is printed on each use. Not
    /// needed for http:// to 127.0.0.0/8, ::1 or localhost (an emulator on this machine).
    #[arg(long, global = true)]
    pub(crate) danger_allow_cleartext_http: bool,
    /// User-pool id, e.g. eu-west-1_AbCdEf123.
    #[arg(long, global = true, env = "COGNITO_POOL_ID", value_name = "ID")]
    pub(crate) pool_id: Option<String>,
    /// App-client id.
    #[arg(long, global = true, env = "COGNITO_CLIENT_ID", value_name = "ID")]
    pub(crate) client_id: Option<String>,
    /// App-client secret, when the app client has one.
    #[arg(
        long,
        global = true,
        env = "COGNITO_CLIENT_SECRET",
        value_name = "SECRET",
        hide_env_values = true
    )]
    pub(crate) client_secret: Option<Secret>,
    /// Pool domain for the hosted UI and /oauth2 endpoints, e.g.
    /// https://my-app.auth.eu-west-1.amazoncognito.com (https://, or http:// to a loopback host).
    #[arg(long, global = true, env = "COGNITO_DOMAIN", value_name = "URL")]
    pub(crate) domain: Option<String>,
    /// Session file (default: <config dir>/cognito/session.json).
    #[arg(long, global = true, env = "COGNITO_SESSION_FILE", value_name = "PATH")]
    pub(crate) session_file: Option<PathBuf>,
    /// Output format: `json` uses Cognito's member names (as `aws cognito-idp` does).
    #[arg(
        long,
        global = true,
        env = "COGNITO_OUTPUT",
        value_enum,
        default_value_t = Format::Text
    )]
    pub(crate) output: Format,
}

/// How results are printed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// Readable lines.
    Text,
    /// JSON with Cognito's member names.
    Json,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Register a new user (SignUp).
    SignUp {
        /// The username.
        #[arg(long)]
        username: String,
        /// The password (`-`: read from stdin; omitted: prompt on a terminal).
        #[arg(long)]
        password: Option<Secret>,
        /// A user attribute, e.g. `email=alice@example.com` (repeatable).
        #[arg(long = "attribute", value_name = "NAME=VALUE", value_parser = parse_pair)]
        attributes: Vec<(String, String)>,
    },
    /// Confirm a new user with the code sent to them (ConfirmSignUp).
    ConfirmSignUp {
        /// The username.
        #[arg(long)]
        username: String,
        /// The confirmation code.
        #[arg(long)]
        code: Secret,
    },
    /// Send the sign-up confirmation code again (ResendConfirmationCode).
    ResendCode {
        /// The username.
        #[arg(long)]
        username: String,
    },
    /// Sign in and store the session (with --hosted-ui: through the pool's hosted UI in a
    /// browser).
    #[command(visible_alias = "login")]
    SignIn(SignInArgs),
    /// Refresh the stored tokens now.
    Refresh,
    /// Show the signed-in user (GetUser).
    GetUser,
    /// Set user attributes (UpdateUserAttributes).
    UpdateAttributes {
        /// Attributes to set, e.g. `name=Alice`.
        #[arg(value_name = "NAME=VALUE", required = true, value_parser = parse_pair)]
        attributes: Vec<(String, String)>,
    },
    /// Delete user attributes (DeleteUserAttributes).
    DeleteAttributes {
        /// Attribute names.
        #[arg(value_name = "NAME", required = true)]
        names: Vec<String>,
    },
    /// Send a code to verify an attribute (GetUserAttributeVerificationCode).
    SendVerificationCode {
        /// The attribute, e.g. `email`.
        #[arg(long)]
        attribute: String,
    },
    /// Verify an attribute with the code sent (VerifyUserAttribute).
    VerifyAttribute {
        /// The attribute, e.g. `email`.
        #[arg(long)]
        attribute: String,
        /// The code.
        #[arg(long)]
        code: Secret,
    },
    /// Change the password (ChangePassword).
    ChangePassword {
        /// The current password (`-`: stdin; omitted: prompt).
        #[arg(long)]
        old: Option<Secret>,
        /// The new password (`-`: stdin; omitted: prompt).
        #[arg(long)]
        new: Option<Secret>,
    },
    /// Send a password-reset code (ForgotPassword).
    ForgotPassword {
        /// The username.
        #[arg(long)]
        username: String,
    },
    /// Set a new password with the reset code (ConfirmForgotPassword).
    ConfirmForgotPassword {
        /// The username.
        #[arg(long)]
        username: String,
        /// The reset code.
        #[arg(long)]
        code: Secret,
        /// The new password (`-`: stdin; omitted: prompt).
        #[arg(long)]
        password: Option<Secret>,
    },
    /// Authenticator-app (TOTP) and MFA settings.
    #[command(subcommand)]
    Mfa(MfaCommand),
    /// The user's devices.
    #[command(subcommand)]
    Devices(DevicesCommand),
    /// Print the current code of a TOTP secret (no network).
    Totp {
        /// The base32 secret (`-`: read from stdin).
        #[arg(long, env = "COGNITO_TOTP_SECRET", hide_env_values = true)]
        secret: Secret,
    },
    /// Sign out: revoke the refresh token (RevokeToken, or /oauth2/revoke for a hosted-UI
    /// session) and forget the stored tokens (the remembered device is kept).
    SignOut {
        /// Sign out every session of the user instead (GlobalSignOut).
        #[arg(long)]
        global: bool,
        /// Also print the hosted UI's logout URL (stdout), which ends its browser session.
        #[arg(long, requires = "logout_uri")]
        hosted_ui: bool,
        /// Where the hosted UI's logout sends the browser (one of the app client's sign-out
        /// URLs).
        #[arg(long, value_name = "URL", requires = "hosted_ui")]
        logout_uri: Option<String>,
    },
    /// Print an access token of the app client itself (client-credentials grant; needs
    /// --client-secret and --domain) as JSON; cached until shortly before it expires.
    M2mToken {
        /// A resource-server scope, e.g. my-api/read (repeatable; none: every scope the app
        /// client may have).
        #[arg(long = "scope", value_name = "SCOPE")]
        scopes: Vec<String>,
    },
    /// Revoke the stored refresh token at Cognito (RevokeToken) and forget the tokens.
    Revoke,
    /// Print temporary AWS credentials from an identity pool for the signed-in user (or, with
    /// --guest, a guest), by default as a credential_process reply; cached with the session
    /// until shortly before they expire.
    Credentials(crate::commands::credentials::CredentialsArgs),
    /// Delete the signed-in user (DeleteUser) and the session file.
    DeleteUser {
        /// Required: confirms the deletion.
        #[arg(long)]
        yes: bool,
    },
    /// Verify a token of the pool: issuer https://cognito-idp.<region>.amazonaws.com/<poolId>
    /// (or the updated https://issuer-cognito-idp.…), RS256 signature against that issuer's
    /// JWKS (<issuer>/.well-known/jwks.json; <endpoint>/<poolId>/… with --endpoint), token use,
    /// app client (--client-id, when given), expiry. Prints the claims as JSON; a refused token
    /// exits 1.
    VerifyToken(crate::commands::verify::VerifyTokenArgs),
}

/// The sign-in flows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Flow {
    /// USER_SRP_AUTH: the password is proven, never sent.
    Srp,
    /// USER_PASSWORD_AUTH: the password is sent (over TLS).
    Password,
    /// CUSTOM_AUTH (with the password proven by SRP first when one is given).
    Custom,
    /// USER_AUTH (choice-based).
    UserAuth,
}

/// An MFA type, as a flag value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum MfaKind {
    /// SMS_MFA.
    Sms,
    /// SOFTWARE_TOKEN_MFA.
    Totp,
    /// EMAIL_OTP.
    Email,
}

/// An MFA factor that can be set up during sign-in (MFA_SETUP).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum SetupKind {
    /// An authenticator app (SOFTWARE_TOKEN_MFA).
    Totp,
    /// Codes by email (EMAIL_OTP).
    Email,
}

/// A USER_AUTH first factor, as a flag value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Factor {
    /// PASSWORD.
    Password,
    /// PASSWORD_SRP.
    PasswordSrp,
    /// EMAIL_OTP.
    EmailOtp,
    /// SMS_OTP.
    SmsOtp,
}

/// The hosted UI's default scopes.
pub(crate) const DEFAULT_HOSTED_UI_SCOPES: &[&str] = &[
    "openid",
    "email",
    "profile",
    "aws.cognito.signin.user.admin",
];

/// `sign-in`'s arguments.
#[derive(Debug, Args)]
pub(crate) struct SignInArgs {
    /// The username (or an alias the pool accepts).
    #[arg(
        long,
        required_unless_present = "hosted_ui",
        conflicts_with = "hosted_ui"
    )]
    pub(crate) username: Option<String>,
    /// Sign in through the pool's hosted UI in a browser (needs --domain).
    #[arg(long, conflicts_with_all = ["password", "mfa_code", "new_password", "answers"])]
    pub(crate) hosted_ui: bool,
    /// Hosted UI: a scope to ask for (repeatable; default: openid email profile
    /// aws.cognito.signin.user.admin).
    #[arg(long = "scope", value_name = "SCOPE", requires = "hosted_ui")]
    pub(crate) scopes: Vec<String>,
    /// Hosted UI: go straight to this identity provider (COGNITO, Google, a SAML or OIDC
    /// provider's name).
    #[arg(long, value_name = "NAME", requires = "hosted_ui")]
    pub(crate) identity_provider: Option<String>,
    /// Hosted UI: the loopback port the browser comes back to
    /// (http://127.0.0.1:<port>/callback must be a callback URL of the app client).
    #[arg(long, value_name = "PORT", default_value_t = crate::callback::DEFAULT_PORT)]
    pub(crate) port: u16,
    /// Hosted UI: seconds to wait for the browser to come back.
    #[arg(long, value_name = "SECONDS", default_value_t = crate::callback::DEFAULT_TIMEOUT_SECS)]
    pub(crate) timeout: u64,
    /// The password (`-`: stdin; omitted: prompt on a terminal; not needed for passwordless
    /// `custom` and `user-auth` sign-ins).
    #[arg(long)]
    pub(crate) password: Option<Secret>,
    /// The flow.
    #[arg(long, value_enum, default_value_t = Flow::Srp)]
    pub(crate) flow: Flow,
    /// Answers SMS_MFA, EMAIL_OTP, SMS_OTP and SOFTWARE_TOKEN_MFA (`-`: read a line from stdin
    /// when the challenge comes, for codes sent during the sign-in).
    #[arg(long, value_name = "CODE")]
    pub(crate) mfa_code: Option<Secret>,
    /// Answers SOFTWARE_TOKEN_MFA with the current code of this base32 secret.
    #[arg(
        long,
        value_name = "BASE32",
        env = "COGNITO_TOTP_SECRET",
        hide_env_values = true
    )]
    pub(crate) totp_secret: Option<Secret>,
    /// Answers SELECT_MFA_TYPE.
    #[arg(long, value_enum)]
    pub(crate) mfa_type: Option<MfaKind>,
    /// Answers MFA_SETUP: `totp` prints a new authenticator secret on stderr and verifies it with
    /// a code (asked for on a terminal, otherwise computed from the secret); `email` needs
    /// `--setup-email`.
    #[arg(long, value_enum, value_name = "TYPE")]
    pub(crate) mfa_setup: Option<SetupKind>,
    /// The address for email MFA set up during sign-in (MFA_SETUP).
    #[arg(long, value_name = "ADDRESS")]
    pub(crate) setup_email: Option<String>,
    /// Answers NEW_PASSWORD_REQUIRED (`-`: stdin).
    #[arg(long, value_name = "PASSWORD")]
    pub(crate) new_password: Option<Secret>,
    /// A required attribute for NEW_PASSWORD_REQUIRED, e.g. `name=Alice` (repeatable).
    #[arg(long = "attribute", value_name = "NAME=VALUE", value_parser = parse_pair)]
    pub(crate) attributes: Vec<(String, String)>,
    /// Answers CUSTOM_CHALLENGE rounds, in order (repeatable; `-`: read a line from stdin when
    /// the round comes).
    #[arg(long = "answer", value_name = "ANSWER")]
    pub(crate) answers: Vec<Secret>,
    /// USER_AUTH: the first factor to ask for (PREFERRED_CHALLENGE) and to pick at
    /// SELECT_CHALLENGE (default there: password-srp when a password is given).
    #[arg(long, value_enum)]
    pub(crate) first_factor: Option<Factor>,
    /// Remember this device when the pool lets the user choose (later sign-ins then run device
    /// SRP and usually skip MFA).
    #[arg(long)]
    pub(crate) remember_device: bool,
}

/// `mfa` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum MfaCommand {
    /// Start setting up an authenticator app: prints its secret (AssociateSoftwareToken).
    AssociateTotp,
    /// Finish setting up the authenticator app with its current code (VerifySoftwareToken).
    VerifyTotp {
        /// The six-digit code.
        #[arg(long)]
        code: Secret,
        /// A name for the authenticator.
        #[arg(long)]
        friendly_name: Option<String>,
    },
    /// Enable, disable or prefer MFA factors (SetUserMFAPreference).
    SetPreference {
        /// Authenticator-app MFA.
        #[arg(long, value_enum)]
        totp: Option<Preference>,
        /// SMS MFA.
        #[arg(long, value_enum)]
        sms: Option<Preference>,
        /// Email MFA.
        #[arg(long, value_enum)]
        email: Option<Preference>,
    },
}

/// An MFA factor's setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Preference {
    /// Enabled and preferred.
    Preferred,
    /// Enabled.
    Enabled,
    /// Disabled.
    Disabled,
}

/// `devices` subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum DevicesCommand {
    /// List the user's devices (ListDevices, all pages).
    List,
    /// Forget a device (ForgetDevice); default: this session's device.
    Forget {
        /// The device key.
        #[arg(long, value_name = "KEY")]
        device_key: Option<String>,
    },
    /// Remember this session's device (UpdateDeviceStatus remembered).
    Remember,
    /// Forget this session's device (ForgetDevice) and drop it from the session.
    ForgetCurrent,
}

/// A secret given on the command line or in the environment (a password, a code, a TOTP or
/// client secret, a custom answer): zeroized on drop, and `<redacted>` in `Debug`, so the
/// derived `Debug` of the arguments shows none. Every argument that carries a secret has this
/// type.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(Zeroizing<String>);

impl Secret {
    /// The secret.
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for Secret {
    type Err = Infallible;

    fn from_str(text: &str) -> Result<Self, Infallible> {
        Ok(Secret(Zeroizing::new(text.to_owned())))
    }
}

impl Deref for Secret {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            f.write_str("\"\"")
        } else {
            f.write_str("<redacted>")
        }
    }
}

/// `NAME=VALUE`.
fn parse_pair(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(format!("expected NAME=VALUE, got `{text}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn pairs_split_at_the_first_equals_sign() {
        assert_eq!(
            parse_pair("custom:x=a=b"),
            Ok(("custom:x".to_owned(), "a=b".to_owned()))
        );
        assert_eq!(
            parse_pair("email="),
            Ok(("email".to_owned(), String::new()))
        );
        assert!(parse_pair("=x").is_err());
        assert!(parse_pair("novalue").is_err());
    }
}
