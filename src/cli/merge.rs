//! `bmu-sim merge DIR`: join the units the shards of a run wrote into DIR into the results a run
//! in one piece writes, byte for byte; list the missing or damaged units instead if there are any.

use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::ensemble::{self, Ensemble};
use bmu_sim::output::report::write_final_table;
use bmu_sim::store::{RunDir, units};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

#[derive(Args, Debug)]
pub struct MergeArgs {
    /// The output directory the shards wrote into
    dir: PathBuf,
    /// No notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

pub fn merge(args: MergeArgs, command: &[String], out: &mut dyn Write) -> Result<(), Error> {
    let clock = Instant::now();
    let reporter = Reporter::new(args.quiet);
    let dir = match RunDir::existing(&args.dir)? {
        Ok(dir) => dir,
        Err(finished) => {
            return writeln!(out, "{} holds merged results already: nothing to do", finished.display())
                .map_err(stdout_error);
        }
    };
    let plan = dir.plan();
    let unreadable = |why: String| Error::Runtime(format!("{}/units/plan.json {why}", args.dir.display()));
    if let Some(why) = plan.other_binary() {
        return Err(unreadable(why));
    }
    let config = plan.read_config().map_err(|why| unreadable(format!("cannot be used: {why}")))?;
    reporter.note(format_args!(
        "merging {} units of {} ({} shard(s)) in {}",
        plan.units,
        config.source,
        plan.shards,
        args.dir.display()
    ));
    let reference = ensemble::reference(&config)?;
    let result = Ensemble { runs: units::gather(&dir, &config)?, reference };
    let provenance = plan.provenance(SystemTime::now());
    let written = bmu_sim::output::publish(dir, &config, &result, command, provenance)?;
    write_final_table(&config, &result.runs, out)
        .and_then(|()| writeln!(out, "wrote {} in {:.1} s", written.display(), clock.elapsed().as_secs_f64()))
        .map_err(stdout_error)
}
