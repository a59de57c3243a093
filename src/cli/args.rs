//! Arguments several commands share: the config and its overrides, and the thread count.

use super::progress::Reporter;
use bmu_sim::Error;
use bmu_sim::config::{Config, ConfigError, Overrides};
use clap::Args;
use std::io::{Read, Write};
use std::num::NonZeroUsize;
use std::path::Path;

/// The config path that means standard input.
pub const STDIN: &str = "-";
/// What errors and the manifest call a config read from standard input.
const STDIN_NAME: &str = "<stdin>";

/// Overrides of a config's keys, applied after the file (`--seed` and `--replicates` after the
/// `--set`s).
#[derive(Args, Debug)]
pub struct ConfigOverrides {
    /// Master seed [default: the config's]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    seed: Option<String>,
    /// Replicates per scenario [default: the config's]
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    replicates: Option<String>,
    /// Set a run key or a parameter (`bmu-sim params`) in every scenario; repeatable
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Refuse a config that draws a warning (exit 3), instead of printing the warning
    #[arg(long)]
    strict: bool,
}

impl ConfigOverrides {
    /// The overrides as they were given, to pass on to another `bmu-sim` command.
    pub fn args(&self) -> Vec<String> {
        let mut args = Vec::new();
        for pair in &self.set {
            args.extend(["--set".to_string(), pair.clone()]);
        }
        for (flag, value) in [("--seed", &self.seed), ("--replicates", &self.replicates)] {
            if let Some(v) = value {
                args.extend([flag.to_string(), v.clone()]);
            }
        }
        if self.strict {
            args.push("--strict".into());
        }
        args
    }

    /// Read and validate `path` (the embedded baseline when `None`, standard input for `-`) with
    /// these overrides. Its warnings (what the run cannot honour) go to standard error, whatever
    /// `--quiet` says; with `--strict` the first is the error, and nothing runs.
    pub fn load(&self, path: Option<&Path>) -> Result<Config, Error> {
        let mut overrides = Overrides::default();
        for pair in &self.set {
            overrides.push(pair);
        }
        for (flag, key, value) in [("--seed", "seed", &self.seed), ("--replicates", "replicates", &self.replicates)] {
            if let Some(v) = value {
                overrides.push_flag(flag, key, v);
            }
        }
        let (config, warnings) = match path {
            Some(p) if p == Path::new(STDIN) => {
                let mut bytes = Vec::new();
                std::io::stdin().read_to_end(&mut bytes).map_err(|e| ConfigError {
                    file: STDIN_NAME.into(),
                    line: 0,
                    column: 0,
                    key: String::new(),
                    message: format!("cannot read the config from standard input: {e}"),
                })?;
                Config::from_bytes_checked(STDIN_NAME, bytes, &overrides)?
            }
            Some(p) => Config::load_checked(p, &overrides)?,
            None => Config::baseline_checked(&overrides)?,
        };
        if let Some(first) = warnings.first().filter(|_| self.strict) {
            let mut e = first.clone();
            e.message += " (--strict: a warning is an error)";
            return Err(Error::Config(e));
        }
        for w in &warnings {
            let _ = writeln!(std::io::stderr(), "bmu-sim: warning: {w}");
        }
        Ok(config)
    }
}

/// `--threads`: at least one, at most the cores this process may use.
#[derive(Args, Debug)]
pub struct Threads {
    /// Worker threads, at most the cores [default: every available core]
    #[arg(long = "threads", value_name = "N", value_parser = at_least_one, allow_negative_numbers = true)]
    threads: Option<NonZeroUsize>,
}

fn at_least_one(s: &str) -> Result<NonZeroUsize, String> {
    let n: usize = s.parse().map_err(|_| "expected a whole number such as 2".to_string())?;
    NonZeroUsize::new(n).ok_or_else(|| "must be at least 1".to_string())
}

impl Threads {
    /// The thread count to use: as asked, capped (with a note) at the available cores.
    pub fn resolve(&self, reporter: &Reporter) -> usize {
        let cores = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        match self.threads.map(NonZeroUsize::get) {
            None => cores,
            Some(n) if n > cores => {
                reporter.note(format_args!("--threads {n} is more than the {cores} available core(s); using {cores}"));
                cores
            }
            Some(n) => n,
        }
    }
}
