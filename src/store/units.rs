//! An ensemble kept on disk as it runs (docs/model.md §6): every finished unit is written to its run
//! directory at once ([`RunDir::write_unit`], one file per unit, exact), so a run that is killed,
//! or a shard of an array, loses nothing it finished. [`pending`] tells which units of a shard are
//! still to run (a unit whose file is complete and valid is skipped), [`run`] runs them, and once
//! every unit is in, [`gather`] reads them back in canonical order and
//! [`Study::publish`](crate::study::Study::publish) writes the
//! results with the same writer as ever. A run in one piece and a merge of any number of shards
//! therefore write byte-identical results.

use super::{RunDir, unit_file};
use crate::Error;
use crate::config::Config;
use crate::ensemble::{self, Progress, Shard, Unit};
use crate::model::{SteadyState, Streams};
use crate::record::RunRecord;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64};

/// At most this many missing or damaged units are listed one by one.
const LISTED: usize = 20;

/// What a unit's file holds.
#[derive(Debug)]
pub enum Found {
    /// The unit's complete, valid result.
    Done(RunRecord),
    Missing,
    /// A file that is not this unit's complete result, and why.
    Damaged(String),
}

/// Read and check unit `unit`'s file: complete, of this config, and of this unit (scenario,
/// replicate and stream seed).
pub fn load(dir: &RunDir, config: &Config, unit: &Unit) -> Result<Found, Error> {
    let Some(bytes) = dir.read_unit(&unit.id())? else { return Ok(Found::Missing) };
    let run = match unit_file::decode(&bytes, &dir.plan().config_hash, unit.index) {
        Ok(run) => run,
        Err(why) => return Ok(Found::Damaged(why)),
    };
    let scenario = &config.scenarios[unit.scenario].name;
    let seed = Streams::new(ensemble::stream_seed(config, unit.scenario), unit.replicate).seed();
    Ok(if run.scenario != *scenario || run.replicate != unit.replicate || run.seed != seed {
        Found::Damaged(format!(
            "holds {} replicate {}, not {scenario} replicate {}",
            run.scenario, run.replicate, unit.replicate
        ))
    } else {
        Found::Done(run)
    })
}

/// The units of `shard` still to run (no complete, valid file yet), and how many are done.
pub fn pending(dir: &RunDir, config: &Config, shard: Shard) -> Result<(Vec<Unit>, u64), Error> {
    let (mut todo, mut done) = (Vec::new(), 0);
    for unit in ensemble::units(config).filter(|u| shard.owns(u)) {
        match load(dir, config, &unit)? {
            Found::Done(_) => done += 1,
            Found::Missing | Found::Damaged(_) => todo.push(unit),
        }
    }
    Ok((todo, done))
}

/// Run `units` on `threads` threads, writing each unit's file as soon as it is finished; stop
/// starting units once `stop` is raised (see [`ensemble::run_units`]).
pub fn run(
    dir: &RunDir,
    config: &Config,
    reference: &SteadyState,
    units: &[Unit],
    threads: usize,
    steps_done: &AtomicU64,
    stop: &AtomicBool,
) -> Result<Progress, Error> {
    let hash = &dir.plan().config_hash;
    ensemble::run_units(config, reference, units, threads, steps_done, stop, |unit, record| {
        Ok(dir.write_unit(&unit.id(), &unit_file::encode(hash, unit.index, &record))?)
    })
}

/// Every unit's result in canonical order, or [`Error::Incomplete`] listing the units that are
/// missing or damaged and the shards that own them.
pub fn gather(dir: &RunDir, config: &Config) -> Result<Vec<RunRecord>, Error> {
    let mut runs = Vec::new();
    let mut wrong: Vec<(Unit, String)> = Vec::new();
    for unit in ensemble::units(config) {
        match load(dir, config, &unit)? {
            Found::Done(run) if wrong.is_empty() => runs.push(run),
            Found::Done(_) => {}
            Found::Missing => wrong.push((unit, "missing".into())),
            Found::Damaged(why) => wrong.push((unit, format!("damaged: its file {why}"))),
        }
    }
    if wrong.is_empty() {
        return Ok(runs);
    }
    Err(Error::Incomplete(incomplete(dir, config, &wrong)))
}

/// What [`gather`] says when units are missing or damaged.
fn incomplete(dir: &RunDir, config: &Config, wrong: &[(Unit, String)]) -> String {
    let total = ensemble::unit_count(config);
    let mut text = format!(
        "{}: {} of {total} units are missing or damaged, so nothing was merged:",
        dir.shown().display(),
        wrong.len()
    );
    for (unit, why) in wrong.iter().take(LISTED) {
        let s = &config.scenarios[unit.scenario].name;
        let _ = write!(text, "\n  unit {} ({s}, replicate {}): {why}", unit.id(), unit.replicate);
    }
    if wrong.len() > LISTED {
        let _ = write!(text, "\n  … and {} more", wrong.len() - LISTED);
    }
    let n = dir.plan().shards;
    if n > 1 {
        let mut shards: Vec<u64> = wrong.iter().map(|(u, _)| u.index % u64::from(n)).collect();
        shards.dedup();
        shards.sort_unstable();
        shards.dedup();
        let list: Vec<String> = shards.iter().map(|i| format!("{i}/{n}")).collect();
        let _ = write!(
            text,
            "\nrun shard(s) {} again (`bmu-sim run {} --out {} --shard I/{n}` with the options they had), then merge",
            list.join(", "),
            config.source,
            dir.shown().display()
        );
    } else {
        let _ =
            write!(text, "\nfinish them with `bmu-sim run {} --out {} --resume`", config.source, dir.shown().display());
    }
    text
}
