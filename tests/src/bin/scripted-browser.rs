//! `scripted-browser URL`: a browser for tests of CLIs that sign in through the hosted UI, to be
//! used as `$BROWSER`. It opens `URL` (an emulator's `/oauth2/authorize`, loopback `http://`
//! only), signs in with `SCRIPTED_BROWSER_USERNAME` and `SCRIPTED_BROWSER_PASSWORD` through the
//! form, then visits the URL the emulator redirects to (the CLI's loopback listener, which gets
//! `?code=..&state=..`, or `?error=..` when the authorize request was refused) and exits 0.
//! Anything else — no URL, no credentials, a refused sign-in, a server or listener that cannot
//! be reached — exits non-zero with a message on stderr. Every step has a timeout (see
//! `cognito_tests::fixtures::loopback_http::TIMEOUT`), so it never keeps the CLI waiting long.
//! Nothing is printed on stdout (the CLI's own output may be read by the test).

use std::process::ExitCode;

use cognito_tests::fixtures::browser;

/// The environment variable with the username to sign in with.
const USERNAME_VAR: &str = "SCRIPTED_BROWSER_USERNAME";
/// The environment variable with the password.
const PASSWORD_VAR: &str = "SCRIPTED_BROWSER_PASSWORD";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(url), None) = (args.next(), args.next()) else {
        eprintln!(
            "usage: scripted-browser URL (with {USERNAME_VAR} and {PASSWORD_VAR} set); signs in through the hosted UI and visits the redirect"
        );
        return ExitCode::from(2);
    };
    let (Ok(username), Ok(password)) = (std::env::var(USERNAME_VAR), std::env::var(PASSWORD_VAR))
    else {
        eprintln!("scripted-browser: set {USERNAME_VAR} and {PASSWORD_VAR}");
        return ExitCode::from(2);
    };
    let location = match browser::sign_in_through_hosted_ui(&url, &username, &password) {
        Ok(location) => location,
        Err(error) => {
            eprintln!("scripted-browser: {error}");
            return ExitCode::FAILURE;
        }
    };
    match browser::deliver(&location) {
        Ok(_) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("scripted-browser: could not deliver the redirect: {error}");
            ExitCode::FAILURE
        }
    }
}
