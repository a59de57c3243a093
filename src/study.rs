//! A study: one config's ensemble carried out in a run directory. [`Study::open`] checks the
//! model and claims the directory (new, forced, resumed or shared by shards), [`Study::pending`]
//! lists the units still to run, [`Study::run`] runs them (on any number of threads, each unit
//! written to the directory as it finishes) and [`Study::publish`] gathers every unit in
//! canonical order and writes the results. `bmu-sim run` and `bmu-sim merge` are this plus
//! printing; fitting, sensitivity analyses and tests call it directly.
//!
//! ```no_run
//! use bmu_sim::config::{Config, Overrides};
//! use bmu_sim::ensemble::Shard;
//! use bmu_sim::store::Claim;
//! use bmu_sim::study::{Opening, Place, Study};
//! use std::path::Path;
//! use std::sync::atomic::{AtomicBool, AtomicU64};
//!
//! let config = Config::load(Path::new("configs/smoke.toml"), &Overrides::default())?;
//! let place = Place::Dir(Path::new("out/smoke"));
//! if let Opening::Ready(study) = Study::open(config, place, Shard::WHOLE, Claim::New)? {
//!     let (todo, _done) = study.pending()?;
//!     study.run(&todo, 2, &AtomicU64::new(0), &AtomicBool::new(false))?;
//!     let published = study.publish(&[])?;
//!     println!("{} runs in {}", published.ensemble.runs.len(), published.dir.display());
//! }
//! # Ok::<(), bmu_sim::Error>(())
//! ```

use crate::Error;
use crate::config::Config;
use crate::ensemble::{self, Ensemble, Progress, Shard, Unit};
use crate::model::SteadyState;
use crate::output;
use crate::provenance::Provenance;
use crate::store::{Claim, Opened, Plan, RunDir, units};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::time::SystemTime;

/// Where a study's run directory is.
#[derive(Clone, Copy, Debug)]
pub enum Place<'a> {
    /// This directory.
    Dir(&'a Path),
    /// `parent/stem`, or for a new run the first free `stem-2`, `stem-3`… there.
    Default { parent: &'a Path, stem: &'a str },
}

/// What opening a study found.
#[derive(Debug)]
pub enum Opening {
    /// A study with units to run, or at least to publish.
    Ready(Box<Study>),
    /// The directory (as named) holds this config's finished results: nothing is left to do.
    Finished(PathBuf),
}

/// A published study: where its results are, its config and its runs.
#[derive(Debug)]
pub struct Published {
    /// The run directory as the user named it.
    pub dir: PathBuf,
    pub config: Config,
    pub ensemble: Ensemble,
}

/// One config's ensemble in its run directory; [`Study::shard`] names the units this process owns.
#[derive(Debug)]
pub struct Study {
    config: Config,
    untreated_state: SteadyState,
    dir: RunDir,
    shard: Shard,
}

impl Study {
    /// Check that `config` describes a model that can run, then claim its run directory for
    /// `shard` of its units as `claim` allows.
    pub fn open(config: Config, place: Place, shard: Shard, claim: Claim) -> Result<Opening, Error> {
        Study::open_planned(config, None, place, shard, claim)
    }

    /// As [`Study::open`], for the points of the design in `design_file` (`bmu-sim sensitivity`):
    /// the plan names the file, so that `bmu-sim merge` can finish what the design is for.
    pub fn open_design(
        config: Config,
        design_file: &Path,
        place: Place,
        shard: Shard,
        claim: Claim,
    ) -> Result<Opening, Error> {
        let file = std::fs::canonicalize(design_file)
            .map_err(|e| Error::Runtime(format!("{}: {e}", design_file.display())))?;
        Study::open_planned(config, Some(file.to_string_lossy().into_owned()), place, shard, claim)
    }

    fn open_planned(
        config: Config,
        design_file: Option<String>,
        place: Place,
        shard: Shard,
        claim: Claim,
    ) -> Result<Opening, Error> {
        let untreated_state = ensemble::untreated_state(&config)?;
        let plan = Plan { design_file, ..Plan::new(&config, shard.count, SystemTime::now()) };
        let opened = match place {
            Place::Dir(dir) => RunDir::open(dir, plan, claim)?,
            Place::Default { parent, stem } => RunDir::open_default(parent, stem, plan, claim)?,
        };
        Ok(match opened {
            Opened::Ready(dir) => Opening::Ready(Box::new(Study { config, untreated_state, dir: *dir, shard })),
            Opened::Finished(shown) => Opening::Finished(shown),
        })
    }

    /// The study whose units (written by any number of shards) are in `dir`, to publish them:
    /// its config is the one its plan holds, and its plan must come from this build.
    pub fn existing(dir: &Path) -> Result<Opening, Error> {
        let dir = match RunDir::existing(dir)? {
            Ok(dir) => dir,
            Err(finished) => return Ok(Opening::Finished(finished)),
        };
        let plan = dir.plan();
        let unreadable = |why: String| Error::Runtime(format!("{}/units/plan.json {why}", dir.shown().display()));
        if let Some(why) = plan.other_binary() {
            return Err(unreadable(why));
        }
        let config = plan.read_config().map_err(|why| unreadable(format!("cannot be used: {why}")))?;
        let untreated_state = ensemble::untreated_state(&config)?;
        Ok(Opening::Ready(Box::new(Study { config, untreated_state, dir, shard: Shard::WHOLE })))
    }

    /// The study's config.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The run directory's plan: the config and how its units are split into shards.
    pub fn plan(&self) -> &Plan {
        self.dir.plan()
    }

    /// The run directory as the user named it.
    pub fn dir(&self) -> &Path {
        self.dir.shown()
    }

    /// The share of the units this study runs.
    pub fn shard(&self) -> Shard {
        self.shard
    }

    /// The units of this study's shard still to run, and how many of them are done already.
    pub fn pending(&self) -> Result<(Vec<Unit>, u64), Error> {
        units::pending(&self.dir, &self.config, self.shard)
    }

    /// Run `todo` on `threads` threads, writing each unit to the run directory as it finishes and
    /// counting the steps done in `steps_done`; no unit starts once `stop` is raised.
    pub fn run(
        &self,
        todo: &[Unit],
        threads: usize,
        steps_done: &AtomicU64,
        stop: &AtomicBool,
    ) -> Result<Progress, Error> {
        units::run(&self.dir, &self.config, &self.untreated_state, todo, threads, steps_done, stop)
    }

    /// Every unit's result in canonical order, without publishing (or [`Error::Incomplete`],
    /// listing what is missing): for a caller that keeps only what it reads from them, as `fit`.
    pub fn gather(&self) -> Result<Vec<crate::record::RunRecord>, Error> {
        units::gather(&self.dir, &self.config)
    }

    /// Gather every unit in canonical order (or fail with [`Error::Incomplete`], listing what is
    /// missing) and publish the results, recording `command` in the manifest.
    pub fn publish(self, command: &[String]) -> Result<Published, Error> {
        self.publish_with(|staging, config, ensemble, provenance| {
            output::bundle::write_results(staging, config, ensemble, command, provenance)
        })
    }

    /// Gather every unit in canonical order (or fail with [`Error::Incomplete`]) and publish what
    /// `write` makes of them: it fills an empty staging directory (a `manifest.json` among its
    /// files marks the results finished) that is then moved into place as [`Study::publish`]'s is.
    pub fn publish_with(
        self,
        write: impl FnOnce(&Path, &Config, &Ensemble, Provenance) -> Result<(), Error>,
    ) -> Result<Published, Error> {
        let ensemble =
            Ensemble { runs: units::gather(&self.dir, &self.config)?, untreated_state: self.untreated_state };
        let provenance = self.dir.plan().provenance(SystemTime::now());
        let dir = self.dir.publish(|staging| write(staging, &self.config, &ensemble, provenance))?;
        Ok(Published { dir, config: self.config, ensemble })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use crate::store::scratch::Scratch;

    fn config() -> Config {
        let text = "replicates = 2\ndays = 20\nspinup_days = 0\n[params]\nsites = 2\n";
        Config::parse("tiny.toml", text, &Overrides::default()).expect("valid")
    }

    fn ready(opening: Opening) -> Study {
        match opening {
            Opening::Ready(study) => *study,
            Opening::Finished(p) => panic!("{} was taken as finished", p.display()),
        }
    }

    fn run_all(study: &Study) -> u64 {
        let (todo, _) = study.pending().expect("pending");
        study.run(&todo, 1, &AtomicU64::new(0), &AtomicBool::new(false)).expect("runs").finished
    }

    #[test]
    fn a_study_runs_publishes_and_is_then_finished() {
        let scratch = Scratch::new();
        let dir = scratch.path("out");
        let study = ready(Study::open(config(), Place::Dir(&dir), Shard::WHOLE, Claim::New).expect("opens"));
        assert_eq!(run_all(&study), 2);
        assert_eq!(study.pending().expect("pending"), (vec![], 2));
        let published = study.publish(&[]).expect("publishes");
        assert_eq!((published.dir.as_path(), published.ensemble.runs.len()), (dir.as_path(), 2));
        assert!(dir.join(crate::store::MANIFEST_JSON).is_file());
        let again = Study::open(config(), Place::Dir(&dir), Shard::WHOLE, Claim::Continue).expect("opens");
        assert!(matches!(again, Opening::Finished(p) if p == dir));
    }

    #[test]
    fn shards_publish_only_once_every_unit_is_in() {
        let scratch = Scratch::new();
        let dir = scratch.path("out");
        let first = Shard { index: 0, count: 2 };
        let study = ready(Study::open(config(), Place::Dir(&dir), first, Claim::Continue).expect("opens"));
        assert_eq!(run_all(&study), 1);
        let early = ready(Study::existing(&dir).expect("units are there")).publish(&[]);
        assert!(matches!(early, Err(Error::Incomplete(_))), "{early:?}");
        let second = Shard { index: 1, count: 2 };
        let study = ready(Study::open(config(), Place::Dir(&dir), second, Claim::Continue).expect("opens"));
        assert_eq!(run_all(&study), 1);
        let published = ready(Study::existing(&dir).expect("opens")).publish(&[]).expect("merges");
        assert_eq!(published.ensemble.runs.len(), 2);
    }
}
