//! Replays reference vectors through the public sign-in API and prints what the library computed,
//! one JSON line per case (never the expected values).
//!
//! ```text
//! cargo run -q --release -p cognito-examples --example srp_vectors -- ../shared/vectors/srp-public.json
//! ```

use std::process::ExitCode;

use cognito_examples::vectors::{VectorFile, run_all};

fn main() -> ExitCode {
    let Some(path) = std::env::args_os().nth(1) else {
        eprintln!("usage: srp_vectors FILE");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("{}: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let file: VectorFile = match serde_json::from_str(&text) {
        Ok(file) => file,
        Err(e) => {
            eprintln!("{}: not a vector file: {e}", path.to_string_lossy());
            return ExitCode::from(2);
        }
    };
    let mut failed = false;
    for (id, result) in run_all(&file) {
        match result {
            Ok(computed) => println!("{}", computed.line),
            Err(e) => {
                failed = true;
                println!("{}", serde_json::json!({"id": id, "error": e.to_string()}));
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
