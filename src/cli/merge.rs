//! `bmu-sim merge DIR`: join the units the shards of a run wrote into DIR into the results a run
//! in one piece writes, byte for byte; list the missing or damaged units instead if there are any.
//! The shards of a sensitivity design are finished as `bmu-sim sensitivity` finishes it, from the
//! design file its plan names.

use super::progress::Reporter;
use super::stdout_error;
use bmu_sim::Error;
use bmu_sim::output::report::write_final_table;
use bmu_sim::sensitivity::{Analysis, Spec};
use bmu_sim::study::{Opening, Study};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
    let study = match Study::existing(&args.dir)? {
        Opening::Ready(study) => study,
        Opening::Finished(finished) => {
            return writeln!(out, "{} holds merged results already: nothing to do", finished.display())
                .map_err(stdout_error);
        }
    };
    let plan = study.plan();
    if let Some(file) = &plan.design_file {
        reporter.note(format_args!("merging the {} units of the design in {file}", plan.units));
        let analysis = Analysis::new(Spec::load_as(Path::new(file), &plan.config_file)?)?;
        return super::sensitivity::finish(*study, analysis, command, out, clock);
    }
    reporter.note(format_args!(
        "merging {} units of {} ({} shard(s)) in {}",
        plan.units,
        study.config().source,
        plan.shards,
        args.dir.display()
    ));
    let published = study.publish(command)?;
    write_final_table(&published.config, &published.ensemble.runs, out)
        .and_then(|()| writeln!(out, "wrote {} in {:.1} s", published.dir.display(), clock.elapsed().as_secs_f64()))
        .map_err(stdout_error)
}
