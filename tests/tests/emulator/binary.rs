//! The `cognito-emulator` binary as the binary tests run it: started with arguments, the first
//! lines it prints read with a deadline, killed however the test ends.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStderr, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The running binary; killed (and waited for) when dropped.
pub(crate) struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    /// Starts `cognito-emulator` with `args` (stdout and stderr piped) and waits up to
    /// `timeout` for the first `lines` lines it prints on stdout (`listening on <url>`, then
    /// what its flags add). Panics with what it wrote on stderr when they do not come.
    pub(crate) fn start(args: &[&str], lines: usize, timeout: Duration) -> (Self, Vec<String>) {
        let child = Command::new(env!("CARGO_BIN_EXE_cognito-emulator"))
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut running = Running(child);
        let stdout = running.0.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let first: Vec<String> = BufReader::new(stdout)
                .lines()
                .take(lines)
                .map_while(Result::ok)
                .collect();
            let _ = tx.send(first);
        });
        match rx.recv_timeout(timeout) {
            Ok(first) if first.len() == lines => (running, first),
            outcome => {
                let stderr = running.take_stderr();
                drop(running);
                let mut log = String::new();
                let _ = BufReader::new(stderr).read_to_string(&mut log);
                panic!("the emulator did not print {lines} lines ({outcome:?}): {log}");
            }
        }
    }

    /// Its stderr (once).
    pub(crate) fn take_stderr(&mut self) -> ChildStderr {
        self.0.stderr.take().unwrap()
    }
}

/// The URL of the line `listening on <url>`.
pub(crate) fn listening_url(line: &str) -> &str {
    line.trim_end()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
}
