//! The `bmu-sim` command: parse, run, map errors to an exit code, once. Everything else is in
//! `cli/` and the library.

mod cli;

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let result = cli::main(std::env::args_os().collect(), &mut io::stdout().lock());
    ExitCode::from(match result {
        Ok(()) => 0,
        // The reader of standard output has gone (`bmu-sim params | head -1`): it has what it
        // wanted, and anything a run writes to disk is written before stdout.
        Err(e) if e.is_broken_pipe() => 0,
        Err(e) => {
            let _ = writeln!(io::stderr(), "bmu-sim: error: {e}");
            e.exit_code()
        }
    })
}
