//! `bmu-sim run`: check the config, the estimate and the output directory, run the units that are
//! not done yet (all of them, or one shard's) writing each to the directory as it finishes, then
//! (unsharded) publish the results and print the final bone density per scenario.

use super::args::{ConfigOverrides, STDIN, Threads};
use super::progress::Reporter;
use super::{signals, stdout_error};
use bmu_sim::Error;
use bmu_sim::ensemble::{self, Shard};
use bmu_sim::estimate::{self, Estimate};
use bmu_sim::store::Claim;
use bmu_sim::study::{Opening, Place, Published, Study};
use clap::Args;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Where the default output directories go.
pub(super) const DEFAULT_PARENT: &str = "out";

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The config, `-` for standard input [default: the embedded baseline, configs/baseline.toml]
    config: Option<PathBuf>,
    /// Output directory, in an existing parent [default: out/<config name>, -2, -3… if taken]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Replace the output directory if bmu-sim wrote it (never anything else)
    #[arg(long, conflicts_with_all = ["resume", "shard"])]
    force: bool,
    /// Finish an interrupted run: keep its finished units, run the rest (same config only)
    #[arg(long)]
    resume: bool,
    /// Run only shard I of N (the units whose index is I modulo N) into a directory the shards
    /// share; `bmu-sim merge` joins them [default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when
    /// both are set]
    #[arg(long, value_name = "I/N")]
    shard: Option<Shard>,
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
pub(super) fn check_limits(estimate: &Estimate, no_limits: bool) -> Result<(), Error> {
    match estimate.exceeds(estimate::available_memory()) {
        Some(why) if !no_limits => Err(Error::Limits(format!(
            "{why}\n(estimate: {estimate})\nshorten it (fewer sites, days, replicates or scenarios), split it into shards (--shard) or pass --no-limits to start it anyway"
        ))),
        _ => Ok(()),
    }
}

/// `--shard`, else the Slurm array task when both of its variables are set; refused beside
/// `--force`, which would replace the other shards' work.
pub(super) fn shard(given: Option<Shard>, force: bool) -> Result<Option<(Shard, &'static str)>, Error> {
    let shard = from_flag_or_slurm(given)?;
    if let (true, Some((_, from))) = (force, shard) {
        return Err(Error::Usage(format!("--force cannot replace the work of other shards (a shard from {from})")));
    }
    Ok(shard)
}

/// What a shard prints when its units are done: the merge that follows the last shard.
pub(super) fn shard_finished(out: &mut dyn Write, s: Shard, run: u64, done: u64, dir: &Path) -> Result<(), Error> {
    writeln!(
        out,
        "shard {s}: {run} unit(s) run, {done} done before; when every shard has finished: bmu-sim merge {}",
        dir.display()
    )
    .map_err(stdout_error)
}

fn from_flag_or_slurm(given: Option<Shard>) -> Result<Option<(Shard, &'static str)>, Error> {
    if let Some(s) = given {
        return Ok(Some((s, "--shard")));
    }
    let var = |name| std::env::var(name).ok();
    match (var("SLURM_ARRAY_TASK_ID"), var("SLURM_ARRAY_TASK_COUNT")) {
        (Some(i), Some(n)) => format!("{i}/{n}").parse().map(|s| Some((s, "SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT"))).map_err(|e| {
            Error::Usage(format!(
                "SLURM_ARRAY_TASK_ID={i} and SLURM_ARRAY_TASK_COUNT={n} give no shard ({e}): submit the array as --array=0-{{N-1}}, or pass --shard I/N"
            ))
        }),
        _ => Ok(None),
    }
}

pub fn run(args: RunArgs, command: &[String], out: &mut dyn Write) -> Result<(), Error> {
    let clock = Instant::now();
    let reporter = Reporter::new(args.quiet);
    let config = args.overrides.load(args.config.as_deref())?;
    let shard = shard(args.shard, args.force)?;
    let threads = args.threads.resolve(&reporter);
    let whole = shard.map_or(Shard::WHOLE, |(s, _)| s);
    let share = ensemble::units(&config).filter(|u| whole.owns(u)).count() as u64;
    let estimate = Estimate::of_runs(&config, threads, share);
    check_limits(&estimate, args.no_limits)?;
    let claim = Claim::of(args.force, args.resume || shard.is_some());
    let stem = match args.config.as_deref() {
        Some(p) if p == Path::new(STDIN) => "stdin".into(),
        p => p.and_then(Path::file_stem).map_or("baseline".into(), |s| s.to_string_lossy()),
    };
    let place = match &args.out {
        Some(dir) => Place::Dir(dir),
        None => Place::Default { parent: Path::new(DEFAULT_PARENT), stem: &stem },
    };
    let study = match Study::open(config, place, whole, claim)? {
        Opening::Ready(study) => study,
        Opening::Finished(shown) => {
            return writeln!(out, "{} holds the finished results of this config: nothing to do", shown.display())
                .map_err(stdout_error);
        }
    };
    let config = study.config();
    let (todo, done) = study.pending()?;
    // Resumed: the time and memory of the units left, not of the whole share.
    let estimate = if done > 0 { Estimate::of_runs(config, threads, todo.len() as u64) } else { estimate };
    let of = match shard {
        Some((s, from)) => format!("shard {s} (from {from}): {share} of {} units", ensemble::unit_count(config)),
        None => format!("{share} units"),
    };
    reporter.note(format_args!(
        "{} scenario(s) × {} replicate(s) from {}, {of}, {done} done already; estimated {estimate}",
        config.scenarios.len(),
        config.replicates,
        config.source
    ));
    let stop = signals::stop_flag(&reporter, study.dir(), resume_hint(command, study.dir(), shard.is_some()));
    let progress =
        reporter.watch(ensemble::steps_of(config, &todo), |steps| study.run(&todo, threads, steps, &stop))?;
    if progress.stopped {
        return Err(Error::Incomplete(format!(
            "stopped by a signal: {} of {share} units are done and kept in {}; {}",
            done + progress.finished,
            study.dir().display(),
            resume_hint(command, study.dir(), shard.is_some())
        )));
    }
    if let Some((s, _)) = shard {
        return shard_finished(out, s, progress.finished, done, study.dir());
    }
    let published = study.publish(command)?;
    let written = &published.dir;
    let printed = print_summary(&published, out)
        .and_then(|()| writeln!(out, "wrote {} in {:.1} s", written.display(), clock.elapsed().as_secs_f64()));
    printed.map_err(|e| {
        if e.kind() != io::ErrorKind::BrokenPipe {
            reporter.note(format_args!("the results are in {}", written.display()));
        }
        stdout_error(e)
    })
}

/// How to go on after a stop: the same command, into the same directory, with `--resume` (a
/// shard goes on by itself).
pub(super) fn resume_hint(command: &[String], dir: &Path, sharded: bool) -> String {
    let mut words = vec!["bmu-sim".to_string()];
    let mut args = command.iter();
    while let Some(a) = args.next() {
        match a.as_str() {
            "--out" => {
                args.next();
            }
            "--resume" | "--force" => {}
            _ if a.starts_with("--out=") => {}
            _ => words.push(a.clone()),
        }
    }
    words.extend(["--out".to_string(), dir.display().to_string()]);
    if !sharded {
        words.push("--resume".into());
    }
    let stdin = command.iter().any(|a| a == STDIN);
    let words: Vec<String> = words.iter().map(|w| super::slurm::shell_word(w)).collect();
    let again = if stdin { " (with the same config on standard input)" } else { "" };
    format!("run it again to finish: {}{again}", words.join(" "))
}

/// Final bone density per scenario and its effect vs the reference, as a table.
fn print_summary(result: &Published, out: &mut dyn Write) -> io::Result<()> {
    bmu_sim::output::report::write_final_table(&result.config, &result.ensemble.runs, out)?;
    for s in bmu_sim::analysis::uncertainty::splits(&result.config, &result.ensemble.runs) {
        writeln!(
            out,
            "{} {} effect at day {}: sd {:.3} from the posterior's parameters, {:.3} stochastic ({:.0} % parameter; {} draws)",
            s.scenario,
            s.metric,
            s.day,
            s.parameter_sd,
            s.stochastic_sd,
            100.0 * s.parameter_share,
            s.draws
        )?;
    }
    Ok(())
}
