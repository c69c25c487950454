//! Opening a URL in the user's browser, as xdg-open-style tools do: the commands of `$BROWSER`
//! (separated by `:`, each with `%s` standing for the URL, or the URL appended), else the
//! platform's opener (`xdg-open`, `open`). The first command that starts wins; nobody waits for
//! it.

use std::process::{Command, Stdio};

/// A program and its arguments.
pub(crate) type Launch = (String, Vec<String>);

/// The commands to try for `url`, in order, given the value of `$BROWSER`.
pub(crate) fn candidates(browser: Option<&str>, url: &str) -> Vec<Launch> {
    if let Some(browser) = browser.filter(|b| !b.trim().is_empty()) {
        return browser
            .split(':')
            .filter_map(|entry| {
                let mut words = entry.split_whitespace();
                let program = words.next()?.to_owned();
                let mut args: Vec<String> = words.map(str::to_owned).collect();
                if entry.contains("%s") {
                    for arg in &mut args {
                        *arg = arg.replace("%s", url);
                    }
                } else {
                    args.push(url.to_owned());
                }
                Some((program, args))
            })
            .collect();
    }
    let openers: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &[]
    } else {
        &["xdg-open"]
    };
    openers
        .iter()
        .map(|program| ((*program).to_owned(), vec![url.to_owned()]))
        .collect()
}

/// Starts the first of `candidates` that can be started (detached from the terminal: no
/// standard input or output); the program's name, or `None` when none could be.
pub(crate) fn launch(candidates: &[Launch]) -> Option<String> {
    candidates.iter().find_map(|(program, args)| {
        Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .ok()
            .map(|mut child| {
                // Reaped when it ends (a browser may outlive this process; then nobody waits).
                let _ = std::thread::Builder::new()
                    .name("browser".to_owned())
                    .spawn(move || child.wait());
                program.clone()
            })
    })
}

/// Opens `url` with `$BROWSER` or the platform's opener; the program started, if any.
pub(crate) fn open(url: &str) -> Option<String> {
    let browser = std::env::var("BROWSER").ok();
    launch(&candidates(browser.as_deref(), url))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    const URL: &str = "https://auth.example.com/oauth2/authorize?a=1&b=2";

    fn owned(program: &str, args: &[&str]) -> Launch {
        (
            program.to_owned(),
            args.iter().map(|a| (*a).to_owned()).collect(),
        )
    }

    #[test]
    fn browser_commands_take_the_url_at_percent_s_or_last() {
        assert_eq!(
            candidates(Some("firefox"), URL),
            vec![owned("firefox", &[URL])]
        );
        assert_eq!(
            candidates(Some("chromium --new-window %s --incognito:w3m"), URL),
            vec![
                owned("chromium", &["--new-window", URL, "--incognito"]),
                owned("w3m", &[URL]),
            ]
        );
        assert_eq!(
            candidates(Some("/usr/bin/open-url --url=%s"), URL),
            vec![owned("/usr/bin/open-url", &[&format!("--url={URL}")])]
        );
        // Empty entries are skipped; an empty variable counts as unset.
        assert_eq!(candidates(Some("::lynx"), URL), vec![owned("lynx", &[URL])]);
        assert_eq!(candidates(Some("  "), URL), candidates(None, URL));
    }

    #[test]
    fn without_browser_the_platform_opener_is_used() {
        let openers = candidates(None, URL);
        if cfg!(target_os = "linux") {
            assert_eq!(openers, vec![owned("xdg-open", &[URL])]);
        }
        assert!(openers.iter().all(|(_, args)| args == &[URL.to_owned()]));
    }

    #[cfg(unix)]
    #[test]
    fn the_first_command_that_starts_wins() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("opened");
        let script = format!("printf %s \"$1\" > '{}'", out.display());
        let started = launch(&[
            owned("/nonexistent/browser", &[URL]),
            owned("sh", &["-c", &script, "sh", URL]),
        ]);
        assert_eq!(started.as_deref(), Some("sh"));
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::fs::read_to_string(&out).map_or(true, |s| s != URL) {
            assert!(
                std::time::Instant::now() < deadline,
                "the URL never arrived"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert_eq!(launch(&[owned("/nonexistent/browser", &[URL])]), None);
    }
}
