//! Secrets and answers from flags, standard input (`-`) or a terminal prompt.

use std::io::{BufRead, IsTerminal, Write};

use zeroize::Zeroizing;

use crate::error::{CliError, CliResult};

/// Whether the user can be asked: standard input is a terminal.
pub(crate) fn interactive() -> bool {
    std::io::stdin().is_terminal()
}

/// One line of standard input without its line ending.
pub(crate) fn read_stdin_line(what: &str) -> CliResult<Zeroizing<String>> {
    let mut line = Zeroizing::new(String::new());
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::local(format!("reading {what} from stdin: {e}")))?;
    if read == 0 {
        return Err(CliError::Usage(format!(
            "{what}: standard input ended before a line was read"
        )));
    }
    let trimmed = line.trim_end_matches(['\n', '\r']).len();
    line.truncate(trimmed);
    Ok(line)
}

/// A secret given as a flag value: the value itself, `-` for a line of standard input; when
/// the flag is missing, asked for without echo on a terminal, otherwise a usage error naming
/// `flag`.
pub(crate) fn secret(value: Option<&str>, label: &str, flag: &str) -> CliResult<Zeroizing<String>> {
    match value {
        Some("-") if interactive() => ask_secret(label),
        Some("-") => read_stdin_line(label),
        Some(v) => Ok(Zeroizing::new(v.to_owned())),
        None if interactive() => ask_secret(label),
        None => Err(CliError::Usage(format!(
            "{flag} is required (give `-` to read it from stdin, or run on a terminal to be asked)"
        ))),
    }
}

/// Asks for a secret without echo.
pub(crate) fn ask_secret(label: &str) -> CliResult<Zeroizing<String>> {
    rpassword::prompt_password(format!("{label}: "))
        .map(Zeroizing::new)
        .map_err(|e| CliError::local(format!("reading {label}: {e}")))
}

/// Asks for a visible answer (a code, a choice) on the terminal.
pub(crate) fn ask(label: &str) -> CliResult<Zeroizing<String>> {
    let mut stderr = std::io::stderr();
    let _ = write!(stderr, "{label}: ");
    let _ = stderr.flush();
    let line = read_stdin_line(label)?;
    Ok(Zeroizing::new(line.trim().to_owned()))
}

/// Tells the user something on stderr (prompts, notices); never used for secrets.
pub(crate) fn notice(message: &str) {
    let _ = writeln!(std::io::stderr(), "{message}");
}
