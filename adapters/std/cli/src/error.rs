//! Failures of the tool and their exit codes.

use core::fmt;

/// Exit code: Cognito refused the request.
pub(crate) const EXIT_SERVICE: u8 = 1;
/// Exit code: bad or missing arguments.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Exit code: a challenge needs an answer and none could be asked for.
pub(crate) const EXIT_CHALLENGE: u8 = 3;
/// Exit code: session file, network, configuration, unexpected reply.
pub(crate) const EXIT_LOCAL: u8 = 4;

/// Why a command failed.
#[derive(Debug)]
pub(crate) enum CliError {
    /// Cognito said no: its exception name and message (for the pool domain: the OAuth error
    /// code, such as `invalid_grant`, and its description).
    Service {
        /// E.g. `NotAuthorizedException`.
        name: String,
        /// Cognito's message.
        message: String,
    },
    /// The arguments do not allow the command.
    Usage(String),
    /// A sign-in challenge needs an answer that was not given and cannot be asked for.
    Challenge {
        /// The challenge, e.g. `SOFTWARE_TOKEN_MFA`.
        challenge: String,
        /// What answers it, e.g. `--mfa-code or --totp-secret`.
        answer: String,
    },
    /// Anything else: session file, network, configuration, malformed reply.
    Local(String),
    /// `verify-token` refused the token: why.
    Refused(String),
}

impl CliError {
    /// The process exit code.
    pub(crate) fn exit_code(&self) -> u8 {
        match self {
            CliError::Service { .. } | CliError::Refused(_) => EXIT_SERVICE,
            CliError::Usage(_) => EXIT_USAGE,
            CliError::Challenge { .. } => EXIT_CHALLENGE,
            CliError::Local(_) => EXIT_LOCAL,
        }
    }

    /// A local error with a message.
    pub(crate) fn local(message: impl Into<String>) -> Self {
        CliError::Local(message.into())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Service { name, message } if message.is_empty() => f.write_str(name),
            CliError::Service { name, message } => write!(f, "{name}: {message}"),
            CliError::Usage(message) | CliError::Local(message) => f.write_str(message),
            CliError::Refused(reason) => write!(f, "token refused: {reason}"),
            CliError::Challenge { challenge, answer } => write!(
                f,
                "the sign-in needs an answer to the {challenge} challenge: pass {answer} \
                 (or run on a terminal to be asked)"
            ),
        }
    }
}

impl From<cognito_std::Error> for CliError {
    fn from(e: cognito_std::Error) -> Self {
        if let Some(reason) = e.token_refused() {
            return CliError::Refused(reason.to_string());
        }
        if let Some(oauth) = e.oauth() {
            return CliError::Service {
                // A reply without an OAuth error body still says what it was.
                name: if oauth.code().is_empty() {
                    oauth.to_string()
                } else {
                    oauth.code().to_owned()
                },
                message: if oauth.code().is_empty() {
                    String::new()
                } else {
                    oauth.description().to_owned()
                },
            };
        }
        match e.service() {
            Some(service) => CliError::Service {
                name: if service.name().is_empty() {
                    "UnknownError".to_owned()
                } else {
                    service.name().to_owned()
                },
                message: service.message().to_owned(),
            },
            None => CliError::Local(e.to_string()),
        }
    }
}

/// `Result` with a [`CliError`].
pub(crate) type CliResult<T> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_errors_show_name_and_message() {
        let e = CliError::Service {
            name: "NotAuthorizedException".into(),
            message: "Incorrect username or password.".into(),
        };
        assert_eq!(
            e.to_string(),
            "NotAuthorizedException: Incorrect username or password."
        );
        assert_eq!(e.exit_code(), 1);
        assert!(matches!(&e, CliError::Service { name, .. } if name == "NotAuthorizedException"));
        let c = CliError::Challenge {
            challenge: "SMS_MFA".into(),
            answer: "--mfa-code".into(),
        };
        assert!(c.to_string().contains("SMS_MFA"));
        assert!(c.to_string().contains("--mfa-code"));
        assert_eq!(c.exit_code(), 3);
    }
}
