//! `bmu-sim run`: check the output and the estimate, run the ensemble with progress, write the
//! run directory, print the final bone density per scenario.

use super::args::{ConfigOverrides, Threads};
use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::config::Config;
use bmu_sim::ensemble::{self, Ensemble};
use bmu_sim::estimate::{self, Estimate};
use bmu_sim::output::{Provenance, Staging, bundle};
use clap::Args;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// Where the default output directories go.
const DEFAULT_PARENT: &str = "out";

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The config [default: the embedded baseline, configs/baseline.toml]
    config: Option<PathBuf>,
    /// Output directory, in an existing parent [default: out/<config name>, -2, -3… if taken]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace the output directory if bmu-sim wrote it (never anything else)
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    overrides: ConfigOverrides,
    #[command(flatten)]
    threads: Threads,
    /// Run even if the estimate exceeds this machine (memory, or over a week)
    #[arg(long)]
    no_limits: bool,
    /// No progress and no notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

/// Refuse an estimate this machine cannot meet, unless `no_limits`.
pub fn check_limits(estimate: &Estimate, no_limits: bool) -> Result<(), Error> {
    match estimate.exceeds(estimate::available_memory()) {
        Some(why) if !no_limits => Err(Error::Limits(format!(
            "{why}\n(estimate: {estimate})\nshorten it (fewer sites, days, replicates or scenarios) or pass --no-limits to start it anyway"
        ))),
        _ => Ok(()),
    }
}

pub fn run(args: RunArgs, command: &[String], out: &mut dyn Write) -> Result<(), Error> {
    let (started, clock) = (SystemTime::now(), Instant::now());
    let reporter = Reporter::new(args.quiet);
    let config = args.overrides.load(args.config.as_deref())?;
    let threads = args.threads.resolve(&reporter);
    let estimate = Estimate::of(&config, threads);
    check_limits(&estimate, args.no_limits)?;
    let staging = match &args.out {
        Some(dir) => Staging::begin(dir, args.force)?,
        None => {
            let stem =
                args.config.as_deref().and_then(Path::file_stem).map_or("baseline".into(), |s| s.to_string_lossy());
            Staging::begin_default(Path::new(DEFAULT_PARENT), &stem, args.force)?
        }
    };
    reporter.note(format_args!(
        "{} scenario(s) × {} replicate(s) from {}; estimated {estimate}",
        config.scenarios.len(),
        config.replicates,
        config.source
    ));
    let result = reporter.watch(ensemble::total_steps(&config), |steps| ensemble::run(&config, threads, steps))?;
    let provenance = Provenance::new(started, clock.elapsed().as_secs_f64());
    let written = bundle::write_run_directory(staging, &config, &result, command, provenance)?;
    let printed = print_summary(&config, &result, out)
        .and_then(|()| writeln!(out, "wrote {} in {:.1} s", written.display(), clock.elapsed().as_secs_f64()));
    printed.map_err(|e| {
        if e.kind() != io::ErrorKind::BrokenPipe {
            reporter.note(format_args!("the results are in {}", written.display()));
        }
        stdout_error(e)
    })
}

/// Final bone density per scenario and its effect vs the reference, as a table.
fn print_summary(config: &Config, result: &Ensemble, out: &mut dyn Write) -> io::Result<()> {
    bmu_sim::output::report::write_final_table(config, &result.runs, out)
}
