//! `bmu-sim fit FILE`: check the file against its configs, run ABC-SMC with every evaluation's
//! units kept on disk (resumable after a kill), then publish the posterior and print each
//! parameter's interval and each target beside its predictive.

use super::args::Threads;
use super::progress::Reporter;
use super::run::resume_hint;
use super::{signals, stdout_error};
use bmu_sim::Error;
use bmu_sim::fit::{self, Fitting, Opened, Spec, Summary};
use bmu_sim::provenance::Provenance;
use bmu_sim::store::Claim;
use bmu_sim::study::Place;
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::{Instant, SystemTime};

#[derive(Args, Debug)]
pub struct FitArgs {
    /// The fit file (docs/inference.md)
    file: PathBuf,
    /// Output directory, in an existing parent [default: out/<file name>, -2, -3… if taken]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace the output directory if bmu-sim wrote it (never anything else)
    #[arg(long, conflicts_with = "resume")]
    force: bool,
    /// Finish an interrupted fit: keep its finished evaluations, go on from its saved state
    #[arg(long)]
    resume: bool,
    #[command(flatten)]
    threads: Threads,
    /// No progress and no notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

pub fn fit(args: FitArgs, command: &[String], out: &mut dyn Write) -> Result<(), Error> {
    let clock = Instant::now();
    let started = SystemTime::now();
    let reporter = Reporter::new(args.quiet);
    let spec = Spec::load(&args.file)?;
    let threads = args.threads.resolve(&reporter);
    let claim = Claim::of(args.force, args.resume);
    let stem = args.file.file_stem().map_or("fit".into(), |s| s.to_string_lossy());
    let place = match &args.out {
        Some(dir) => Place::Dir(dir),
        None => Place::Default { parent: Path::new(super::run::DEFAULT_PARENT), stem: &stem },
    };
    let mut fitting = match Fitting::open(spec, place, claim)? {
        Opened::Ready(fitting) => fitting,
        Opened::Finished(shown) => {
            return writeln!(out, "{} holds the finished results of this fit: nothing to do", shown.display())
                .map_err(stdout_error);
        }
    };
    let s = &fitting.spec;
    reporter.note(format_args!(
        "ABC-SMC of {} parameter(s) on {} target(s) of {} config(s): {} particles, at most {} populations and {} evaluations; {} done already",
        s.priors.dim(),
        s.targets.len(),
        s.configs.len(),
        s.settings.particles,
        s.settings.max_generations,
        s.settings.max_evaluations,
        fitting.sampler().evaluations(),
    ));
    let hint = resume_hint(command, fitting.dir(), false);
    let stop = signals::stop_flag(&reporter, fitting.dir(), hint.clone());
    let finished = fitting.run(threads, &AtomicU64::new(0), &stop, &|line| reporter.note(line))?;
    if !finished {
        return Err(Error::Incomplete(format!(
            "stopped by a signal: {} evaluations handed out, the finished ones kept in {}; {hint}",
            fitting.sampler().evaluations(),
            fitting.dir().display(),
        )));
    }
    let mut summary = None;
    let provenance = Provenance::new(started, clock.elapsed().as_secs_f64());
    let dir = fitting.publish(|staging, f| {
        summary = Some(fit::write(staging, f, command, provenance)?);
        Ok(())
    })?;
    if let Some(summary) = summary {
        print(&summary, out).map_err(stdout_error)?;
    }
    writeln!(out, "wrote {} in {:.1} s", dir.display(), clock.elapsed().as_secs_f64()).map_err(stdout_error)
}

/// Each parameter's median and interval, then each target's data beside its predictive.
fn print(summary: &Summary, out: &mut dyn Write) -> std::io::Result<()> {
    for m in &summary.marginals {
        let narrowed = if m.narrowed { "narrowed" } else { "not narrowed" };
        writeln!(
            out,
            "{}: median {:.4}, 95 % interval {:.4} to {:.4} (prior {} to {}; {:.2} of its width: {narrowed})",
            m.parameter, m.median, m.low, m.high, m.prior_low, m.prior_high, m.width_fraction
        )?;
    }
    for p in &summary.predictive {
        writeln!(
            out,
            "{}: data {:.3} ± {:.3}, predictive {:.3} (95 % {:.3} to {:.3})",
            p.target, p.data, p.data_se, p.median, p.low, p.high
        )?;
    }
    Ok(())
}
