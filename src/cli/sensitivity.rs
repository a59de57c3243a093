//! `bmu-sim sensitivity FILE`: check the file against its config, run every design point ×
//! replicate as the units of one study (resumable and shardable as a run is), then publish the
//! indices and print the largest parameter of each output. Shards leave the publishing to
//! `bmu-sim merge`, which finds the file in the run directory's plan ([`finish`]).

use super::args::Threads;
use super::progress::Reporter;
use super::run::{check_limits, resume_hint, shard, shard_finished};
use super::{signals, stdout_error};
use bmu_sim::Error;
use bmu_sim::ensemble::{self, Shard};
use bmu_sim::estimate::Estimate;
use bmu_sim::sensitivity::report::Index;
use bmu_sim::sensitivity::{Analysis, Finding, Spec};
use bmu_sim::store::Claim;
use bmu_sim::study::{Opening, Place, Study};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct SensitivityArgs {
    /// The sensitivity file (docs/inference.md)
    file: PathBuf,
    /// Output directory, in an existing parent [default: out/<file name>, -2, -3… if taken]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace the output directory if bmu-sim wrote it (never anything else)
    #[arg(long, conflicts_with_all = ["resume", "shard"])]
    force: bool,
    /// Finish an interrupted analysis: keep its finished units, run the rest (same file only)
    #[arg(long)]
    resume: bool,
    /// Run only shard I of N of the design's units into a directory the shards share; `bmu-sim
    /// merge` then computes the indices [default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT
    /// when both are set]
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
    #[command(flatten)]
    threads: Threads,
    /// Run even if the estimate exceeds this machine (memory, or over a week)
    #[arg(long)]
    no_limits: bool,
    /// No progress and no notes on stderr (errors still show)
    #[arg(long, short)]
    quiet: bool,
}

pub fn sensitivity(args: SensitivityArgs, command: &[String], out: &mut dyn Write) -> Result<(), Error> {
    let clock = Instant::now();
    let reporter = Reporter::new(args.quiet);
    let analysis = Analysis::new(Spec::load(&args.file)?)?;
    let shard = shard(args.shard, args.force)?;
    let whole = shard.map_or(Shard::WHOLE, |(s, _)| s);
    let threads = args.threads.resolve(&reporter);
    let units = ensemble::unit_count(&analysis.config);
    let share = ensemble::units(&analysis.config).filter(|u| whole.owns(u)).count() as u64;
    let estimate = Estimate::of_runs(&analysis.config, threads, share);
    check_limits(&estimate, args.no_limits)?;
    let claim = Claim::of(args.force, args.resume || shard.is_some());
    let stem = args.file.file_stem().map_or("sensitivity".into(), |s| s.to_string_lossy());
    let place = match &args.out {
        Some(dir) => Place::Dir(dir),
        None => Place::Default { parent: Path::new(super::run::DEFAULT_PARENT), stem: &stem },
    };
    let study = match Study::open_design(analysis.config.clone(), &args.file, place, whole, claim)? {
        Opening::Ready(study) => study,
        Opening::Finished(shown) => {
            return writeln!(out, "{} holds the finished results of this analysis: nothing to do", shown.display())
                .map_err(stdout_error);
        }
    };
    let (todo, done) = study.pending()?;
    let of = match shard {
        Some((s, from)) => format!("; shard {s} (from {from}): {share} of them"),
        None => String::new(),
    };
    reporter.note(format_args!(
        "{} {} points × {} scenario(s) × {} replicate(s) = {units} units{of}, {done} done already; estimated {estimate}",
        analysis.points.len(),
        analysis.spec.method.name(),
        bmu_sim::sensitivity::design::needed(&analysis.spec).len(),
        analysis.config.replicates,
    ));
    let sharded = shard.is_some();
    let stop = signals::stop_flag(&reporter, study.dir(), resume_hint(command, study.dir(), sharded));
    let steps = ensemble::steps_of(study.config(), &todo);
    let progress = reporter.watch(steps, |steps| study.run(&todo, threads, steps, &stop))?;
    if progress.stopped {
        return Err(Error::Incomplete(format!(
            "stopped by a signal: {} of {share} units are done and kept in {}; {}",
            done + progress.finished,
            study.dir().display(),
            resume_hint(command, study.dir(), sharded)
        )));
    }
    if let Some((s, _)) = shard {
        return shard_finished(out, s, progress.finished, done, study.dir());
    }
    finish(*study, analysis, command, out, clock)
}

/// Publish the indices of a design whose units are all in `study`'s directory (or fail with
/// [`Error::Incomplete`]), and print them.
pub(super) fn finish(
    study: Study,
    analysis: Analysis,
    command: &[String],
    out: &mut dyn Write,
    clock: Instant,
) -> Result<(), Error> {
    if analysis.config.hash() != study.plan().config_hash {
        return Err(Error::Runtime(format!(
            "{} no longer makes the design whose units are in {} (its file or its config changed since they ran): restore it, or run the design again into another --out",
            analysis.spec.source,
            study.dir().display()
        )));
    }
    let mut findings = Vec::new();
    let published = study.publish_with(|dir, _, ensemble, provenance| {
        findings = analysis.write(dir, ensemble, command, provenance)?;
        Ok(())
    })?;
    print(&findings, out)
        .and_then(|()| writeln!(out, "wrote {} in {:.1} s", published.dir.display(), clock.elapsed().as_secs_f64()))
        .map_err(stdout_error)
}

/// Each output's parameters, largest μ* (or ST) first.
fn print(findings: &[Finding], out: &mut dyn Write) -> std::io::Result<()> {
    for f in findings {
        let mut ranked: Vec<&(String, Index)> = f.indices.iter().collect();
        ranked.sort_by(|a, b| b.1.bar().0.total_cmp(&a.1.bar().0));
        let shown: Vec<String> = ranked
            .iter()
            .map(|(p, i)| match i {
                Index::Morris { mu_star, sigma, .. } => format!("{p} μ*={mu_star:.4} σ={sigma:.4}"),
                Index::Sobol { s1, st, .. } => format!("{p} S1={s1:.3} ST={st:.3}"),
            })
            .collect();
        writeln!(out, "{}: {}", f.output, shown.join(", "))?;
    }
    Ok(())
}
