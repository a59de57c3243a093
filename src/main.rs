//! The `bmu-sim` command: parse, run, map errors to an exit code. Everything else is in the
//! library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::main(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bmu-sim: error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
