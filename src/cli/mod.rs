//! The command line: clap parses it once into a [`Command`], each command (one file each) calls
//! the library, and every failure comes back as a typed [`Error`] for `main` to map to an exit
//! code. Results go to the given standard output through fallible writes; notes and progress go
//! to standard error ([`progress`]).

mod args;
mod calibrate;
mod convergence;
mod fit;
mod meanfield;
mod merge;
mod params;
mod progress;
mod run;
mod sensitivity;
mod signals;
mod slurm;
mod stress;
mod validate;

use bmu_sim::Error;
use bmu_sim::store::OutputError;
use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand};
use std::ffi::OsString;
use std::io::{self, Write};

const EXIT_CODES: &str = "\
Exit codes: 0 success (also when a reader closes the pipe early), 1 run-time failure,
2 usage error, 3 config or model error (or a warning under --strict), 4 output error,
5 refused by the resource estimate, 6 incomplete (stopped by a signal, or units missing when
merging; finished units are kept).";

/// Stochastic agent-based simulation of the bone multicellular unit.
#[derive(Parser, Debug)]
#[command(name = "bmu-sim", version, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run every scenario × replicate of a config (or one shard of them) and write its run directory.
    Run(run::RunArgs),
    /// Join the units the shards of a run wrote into its directory into the run's results.
    Merge(merge::MergeArgs),
    /// Write a Slurm array job running a config's shards and a merge job to run after it.
    Slurm(slurm::SlurmArgs),
    /// Check a config and print what it would run, and at what cost.
    Validate(validate::ValidateArgs),
    /// The deterministic Komarova 2003 ODE from the activation pulse, as CSV day,x1,x2,z.
    Meanfield(meanfield::MeanfieldArgs),
    /// Fit the stationary mineral fraction of a config's first scenario.
    Calibrate(calibrate::CalibrateArgs),
    /// The convergence study of the mitochondrial integrators (docs/numerics.md).
    Convergence(convergence::ConvergenceArgs),
    /// Every parameter, run-level key, intervention field and kind: default, accepted values, meaning.
    Params(params::ParamsArgs),
    /// Calibrate parameters to the targets of one or more configs by ABC-SMC (a fit file).
    Fit(fit::FitArgs),
    /// Morris or Sobol sensitivity of chosen outputs to chosen parameter ranges (a sensitivity file).
    Sensitivity(sensitivity::SensitivityArgs),
    /// Step many osteoclasts through the mitochondrial rules and report what this machine can do.
    Stress(stress::StressArgs),
    /// A shell completion script for bmu-sim on standard output (bash, zsh, fish, elvish, powershell).
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// A manual page (roff) on standard output: `bmu-sim man > bmu-sim.1`, `bmu-sim man run > bmu-sim-run.1`.
    Man {
        /// The command whose page (bmu-sim-COMMAND(1)) to write [default: bmu-sim(1)]
        command: Option<String>,
    },
}

/// A failed write to standard output.
fn stdout_error(e: io::Error) -> Error {
    Error::Output(OutputError::Stdout(e))
}

/// A parse error as one short message: what is wrong, the usage of the command it concerns (clap
/// leaves it out of some errors), and where to find more.
fn usage_error(e: &clap::Error, args: &[OsString]) -> Error {
    let mut cli = Cli::command();
    cli.build();
    let sub = args.iter().skip(1).find_map(|a| cli.find_subcommand(a.to_str()?)).cloned();
    let usage = sub.unwrap_or_else(|| cli.clone()).render_usage().to_string();
    let text = match e.kind() {
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => "no command given".to_string(),
        _ => e.render().to_string(),
    };
    let mut text = text.strip_prefix("error: ").unwrap_or(&text).trim_end().to_string();
    if !text.contains("Usage:") {
        let more = "\n\nFor more information, try '--help'.";
        text = format!("{}\n\n{usage}{more}", text.trim_end_matches(more));
    }
    Error::Usage(text)
}

/// Parse `args` (program name first) and run the command, writing results to `out`.
pub fn main(args: Vec<OsString>, out: &mut dyn Write) -> Result<(), Error> {
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        // --help and --version are answers, not errors.
        Err(e) if !e.use_stderr() => {
            return write!(out, "{}", e.render()).and_then(|()| out.flush()).map_err(stdout_error);
        }
        Err(e) => return Err(usage_error(&e, &args)),
    };
    let command: Vec<String> = args.iter().skip(1).map(|a| a.to_string_lossy().into_owned()).collect();
    match cli.command {
        Command::Run(a) => run::run(a, &command, out),
        Command::Merge(a) => merge::merge(a, &command, out),
        Command::Slurm(a) => slurm::slurm(a, out),
        Command::Validate(a) => validate::validate(a, out),
        Command::Meanfield(a) => meanfield::meanfield(a, out),
        Command::Calibrate(a) => calibrate::calibrate(a, out),
        Command::Convergence(a) => convergence::convergence(a, out),
        Command::Params(a) => params::params(a, out),
        Command::Fit(a) => fit::fit(a, &command, out),
        Command::Sensitivity(a) => sensitivity::sensitivity(a, &command, out),
        Command::Stress(a) => stress::stress(a, out),
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "bmu-sim", &mut buf);
            out.write_all(&buf).map_err(stdout_error)
        }
        Command::Man { command } => man(command.as_deref(), out),
    }?;
    out.flush().map_err(stdout_error)
}

/// The manual page of bmu-sim, or of one of its commands (`bmu-sim-run(1)`, as the main page's
/// SUBCOMMANDS section names them).
fn man(command: Option<&str>, out: &mut dyn Write) -> Result<(), Error> {
    let mut cli = Cli::command();
    cli.build();
    let page = match command {
        None => cli,
        Some(name) => {
            let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
            let Some(sub) = cli.find_subcommand(name) else {
                let hint = bmu_sim::config::keys::did_you_mean(name, names.iter().copied());
                return Err(Error::Usage(format!("no command `{name}`{hint}; known: {}", names.join(", "))));
            };
            // clap names are `&'static str` here (no `string` feature); one page per process.
            let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
            sub.clone()
                .name(leak(format!("bmu-sim-{name}")))
                .bin_name(leak(format!("bmu-sim {name}")))
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut buf = Vec::new();
    clap_mangen::Man::new(page).render(&mut buf).map_err(stdout_error)?;
    out.write_all(&buf).map_err(stdout_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("bmu-sim").chain(args.iter().copied()))
    }

    #[test]
    fn the_parser_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn each_command_takes_only_its_own_flags() {
        assert!(parse(&["run", "c.toml", "--threads", "2", "--set", "days=3", "--force", "--no-limits"]).is_ok());
        assert!(parse(&["run", "c.toml", "--shard", "1/4", "--resume"]).is_ok());
        assert!(parse(&["slurm", "c.toml", "--out", "d", "--shards", "8", "--sbatch", "--account=x"]).is_ok());
        for wrong in [
            &["run", "c.toml", "--days", "3"][..],
            &["validate", "c.toml", "--force"],
            &["validate", "c.toml", "--out", "x"],
            &["params", "--out", "x"],
            &["meanfield", "--set", "days=3"],
            &["calibrate", "--out", "x"],
            &["run", "--threads", "0"],
            &["run", "--threads", "many"],
            &["run", "--shard", "4/4"],
            &["run", "--shard", "1/2", "--force"],
            &["run", "--resume", "--force"],
            &["merge"],
            &["merge", "d", "--threads", "2"],
            &["slurm", "c.toml", "--shards", "2"],
            &["slurm", "c.toml", "--out", "d", "--shards", "0"],
        ] {
            assert!(parse(wrong).is_err(), "{wrong:?} was accepted");
        }
    }
}
