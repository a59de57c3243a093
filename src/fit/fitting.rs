//! A fit at work in its output directory: the sampler's state, every finished evaluation and the
//! units of the evaluations under way, all on disk, so that a fit killed at any moment loses no
//! finished evaluation and `--resume` goes on to the same posterior, byte for byte.
//!
//! ```text
//! OUT/fitting/key                 fnv1a64 of the fit file and its configs' resolved text
//! OUT/fitting/sampler.json        the ABC-SMC state after the last batch told (Sampler::to_json)
//! OUT/fitting/evaluations/g<t>-<i>.json   one finished evaluation (evaluate::Evaluation)
//! OUT/fitting/runs/g<t>-<i>-c<c>/         the study (units) of an evaluation under way
//! ```
//! Loop: take the sampler's pending proposals (after a resume) or its next batch; evaluate each
//! one (a kept evaluation is read back, a study under way is continued); tell the batch; save the
//! state. The state is saved only after a whole batch is told, and proposing is deterministic
//! from the state, so a resumed fit hands out the same proposals and reads the same evaluations.
//! Every file is written to a hidden temporary and renamed into place.

use super::evaluate::{self, Evaluation};
use super::file::Spec;
use crate::Error;
use crate::ensemble::Shard;
use crate::inference::{Outcome, Proposal, Sampler};
use crate::provenance::fnv1a64_hex;
use crate::store::path::{found, is_bmu_sim_run, resolve};
use crate::store::{Claim, MANIFEST_JSON, OutputError, temp};
use crate::study::{Opening, Place, Study};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// The working directory inside a fit's output directory.
pub const WORK_DIR: &str = "fitting";
const KEY: &str = "key";
const STATE_JSON: &str = "sampler.json";
const EVALUATIONS: &str = "evaluations";
const RUNS: &str = "runs";
/// How many numbered directories a new fit tries under its default place.
const MAX_NUMBERED: u32 = 10_000;

/// What opening a fit's directory found.
pub enum Opened {
    /// A fit to run (fresh or resumed) or at least to publish.
    Ready(Box<Fitting>),
    /// The directory holds this fit's finished results.
    Finished(PathBuf),
}

/// A fit in its output directory.
pub struct Fitting {
    pub spec: Spec,
    sampler: Sampler,
    dir: PathBuf,
    work: PathBuf,
}

/// The identity of a fit: its file and its configs, resolved.
pub fn key(spec: &Spec) -> String {
    let mut text = spec.text.clone();
    for c in &spec.configs {
        text.push_str(&c.resolved_toml());
    }
    fnv1a64_hex(text.as_bytes())
}

/// Write `bytes` to `path` through a hidden temporary beside it.
pub fn put(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let parent = path.parent().unwrap_or(Path::new("."));
    let tmp = parent.join(temp::name("put"));
    fs::write(&tmp, bytes).map_err(|e| OutputError::io(&tmp, e))?;
    fs::rename(&tmp, path).map_err(|e| OutputError::io(path, e))
}

impl Fitting {
    /// Claim the fit's directory as `claim` asks: a new fit only into nothing or an empty
    /// directory (a default place takes the first free `stem`, `stem-2`…); `--resume` continues
    /// this fit's work (or finds its results); `--force` replaces only bmu-sim's.
    pub fn open(spec: Spec, place: Place, claim: Claim) -> Result<Opened, Error> {
        let key = key(&spec);
        let shown = match place {
            Place::Dir(d) => d.to_path_buf(),
            Place::Default { parent, stem } => {
                fs::create_dir_all(parent).map_err(|e| OutputError::io(parent, e))?;
                let free = |p: &Path| matches!(found(p), Ok(crate::store::path::Found::Nothing));
                let numbered = (1..=MAX_NUMBERED)
                    .map(|n| parent.join(if n == 1 { stem.to_string() } else { format!("{stem}-{n}") }));
                match claim {
                    Claim::New => {
                        numbered.into_iter().find(|p| free(p)).ok_or_else(|| OutputError::Exists(parent.join(stem)))?
                    }
                    _ => parent.join(stem),
                }
            }
        };
        let dir = resolve(&shown)?;
        let work = dir.join(WORK_DIR);
        let held = fs::read_to_string(work.join(KEY)).ok();
        let finished = is_bmu_sim_run(&dir);
        match (claim, &held) {
            (Claim::Force, _) if held.is_some() || finished => {
                fs::remove_dir_all(&dir).map_err(|e| OutputError::io(&dir, e))?;
            }
            (Claim::Continue, Some(k)) if *k != key => {
                let why = "holds the work of another fit (or the same file with other configs): --resume goes on only with the fit it began with; --force starts over".into();
                return Err(OutputError::conflict(&dir, why).into());
            }
            (Claim::Continue, Some(_)) => {
                let state = fs::read_to_string(work.join(STATE_JSON)).map_err(|e| OutputError::io(&work, e))?;
                let sampler = Sampler::from_json(&state)
                    .map_err(|e| Error::Runtime(format!("{}: {e}", work.join(STATE_JSON).display())))?;
                return Ok(Opened::Ready(Box::new(Fitting { spec, sampler, dir: shown, work })));
            }
            (Claim::Continue, None) if finished && manifest_key(&dir).as_deref() == Some(key.as_str()) => {
                return Ok(Opened::Finished(shown));
            }
            (Claim::New, Some(_)) => {
                let why = "holds an unfinished fit: --resume finishes it, --force starts it over".into();
                return Err(OutputError::conflict(&dir, why).into());
            }
            _ => {}
        }
        match found(&dir)? {
            crate::store::path::Found::Nothing | crate::store::path::Found::EmptyDir => {}
            crate::store::path::Found::BmuSimRun => return Err(OutputError::Exists(dir).into()),
            _ => {
                return Err(OutputError::refused(
                    &dir,
                    "is a directory bmu-sim did not write; --force replaces only bmu-sim's",
                )
                .into());
            }
        }
        for d in [&dir, &work, &work.join(EVALUATIONS), &work.join(RUNS)] {
            fs::create_dir_all(d).map_err(|e| OutputError::io(d, e))?;
        }
        let sampler = Sampler::new(spec.priors.clone(), spec.settings.clone())
            .map_err(|e| Error::Runtime(format!("the sampler: {e}")))?;
        let fitting = Fitting { spec, sampler, dir: shown, work };
        fitting.save()?;
        put(&fitting.work.join(KEY), key.as_bytes())?;
        Ok(Opened::Ready(Box::new(fitting)))
    }

    /// The output directory as the user named it.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The sampler, as far as it has come.
    pub fn sampler(&self) -> &Sampler {
        &self.sampler
    }

    /// Run batches until the sampler stops (true) or `stop` is raised (false: every finished
    /// evaluation is kept). `note` hears of each finished population.
    pub fn run(
        &mut self,
        threads: usize,
        steps: &AtomicU64,
        stop: &AtomicBool,
        note: &dyn Fn(String),
    ) -> Result<bool, Error> {
        let inference = |e: crate::inference::InferenceError| Error::Runtime(format!("ABC-SMC: {e}"));
        while self.sampler.stopped().is_none() {
            let mut batch = self.sampler.pending();
            if batch.is_empty() {
                batch = self.sampler.propose().map_err(inference)?;
            }
            if batch.is_empty() {
                break;
            }
            let mut outcomes = Vec::with_capacity(batch.len());
            for evaluation in self.evaluate_all(&batch, threads, steps, stop) {
                match evaluation? {
                    Some(e) => outcomes.push(Outcome { id: e.id, distance: e.distance }),
                    None => return Ok(false),
                }
            }
            let before = self.sampler.populations().len();
            self.sampler.accept(&outcomes).map_err(inference)?;
            self.save()?;
            if let Some(g) = self.sampler.populations().get(before) {
                let eps = g.tolerance.map_or("every finite distance".into(), |e| format!("ε = {e:.4}"));
                note(format!(
                    "population {}: {eps}, {} accepted of {} candidates, ESS {:.1}; {} evaluations so far",
                    g.generation,
                    g.particles.len(),
                    g.candidates,
                    g.ess(),
                    self.sampler.evaluations()
                ));
            }
        }
        Ok(true)
    }

    /// Evaluation `id`, kept on disk (`None` before one exists).
    pub fn evaluation(&self, id: crate::inference::ProposalId) -> Result<Option<Evaluation>, Error> {
        let path = self.work.join(EVALUATIONS).join(format!("{id}.json"));
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| {
                Error::Runtime(format!("{}: a damaged evaluation ({e}): remove it to run it again", path.display()))
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(OutputError::io(&path, e).into()),
        }
    }

    /// Every proposal's evaluation, in order: `threads` workers each take the next proposal and
    /// run its units on one thread (an evaluation's few units would leave threads idle).
    fn evaluate_all(
        &self,
        batch: &[Proposal],
        threads: usize,
        steps: &AtomicU64,
        stop: &AtomicBool,
    ) -> Vec<Result<Option<Evaluation>, Error>> {
        let next = AtomicUsize::new(0);
        let results: Mutex<Vec<Option<Result<Option<Evaluation>, Error>>>> =
            Mutex::new(batch.iter().map(|_| None).collect());
        std::thread::scope(|scope| {
            for _ in 0..threads.clamp(1, batch.len().max(1)) {
                scope.spawn(|| {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(p) = batch.get(i) else { break };
                        let result = self.evaluate(p, 1, steps, stop);
                        if let Ok(mut slots) = results.lock() {
                            slots[i] = Some(result);
                        }
                    }
                });
            }
        });
        let slots = results.into_inner().unwrap_or_default();
        slots
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Error::Runtime("an evaluation worker failed".into()))))
            .collect()
    }

    /// The evaluation of `proposal`: read back if kept, else run (continuing its units) and kept.
    /// `None` when `stop` was raised before it finished.
    fn evaluate(
        &self,
        p: &Proposal,
        threads: usize,
        steps: &AtomicU64,
        stop: &AtomicBool,
    ) -> Result<Option<Evaluation>, Error> {
        if let Some(kept) = self.evaluation(p.id)? {
            return Ok(Some(kept));
        }
        let seed = evaluate::seed(self.spec.settings.seed, p.id);
        let m = self.spec.targets.len();
        let (mut outputs, mut spread) = (vec![f64::NAN; m], vec![f64::NAN; m]);
        let mut dirs = Vec::new();
        for c in 0..self.spec.configs.len() {
            let config = evaluate::config(&self.spec, c, &p.theta, seed)?;
            let dir = self.work.join(RUNS).join(format!("{}-c{c}", p.id));
            let study = match Study::open(config, Place::Dir(&dir), Shard::WHOLE, Claim::Continue)? {
                Opening::Ready(study) => study,
                Opening::Finished(shown) => {
                    return Err(Error::Runtime(format!(
                        "{} holds published results, not a fit's units",
                        shown.display()
                    )));
                }
            };
            let (todo, _) = study.pending()?;
            if study.run(&todo, threads, steps, stop)?.stopped {
                return Ok(None);
            }
            let runs = study.gather()?;
            evaluate::place(&self.spec, c, &evaluate::read(study.config(), &runs), &mut outputs, &mut spread);
            dirs.push(dir);
        }
        let distance = evaluate::rho(&self.spec, &outputs, &spread)?;
        let e = Evaluation { id: p.id, theta: p.theta.clone(), outputs, spread, distance };
        let json = serde_json::to_vec(&e).map_err(|e| Error::Runtime(format!("evaluation {}: {e}", p.id)))?;
        put(&self.work.join(EVALUATIONS).join(format!("{}.json", p.id)), &json)?;
        for dir in dirs {
            // Its result is kept; the units are no longer needed.
            let _ = fs::remove_dir_all(dir);
        }
        Ok(Some(e))
    }

    fn save(&self) -> Result<(), Error> {
        let json = self.sampler.to_json().map_err(|e| Error::Runtime(format!("the sampler: {e}")))?;
        Ok(put(&self.work.join(STATE_JSON), json.as_bytes())?)
    }

    /// Write the results with `write` into a hidden directory inside the output directory, move
    /// them into place (`manifest.json` last) and retire the working directory.
    pub fn publish(self, write: impl FnOnce(&Path, &Fitting) -> Result<(), Error>) -> Result<PathBuf, Error> {
        let dir = resolve(&self.dir)?;
        let staging = dir.join(temp::name("results"));
        fs::create_dir(&staging).map_err(|e| OutputError::io(&staging, e))?;
        let written = write(&staging, &self);
        if written.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        written?;
        let mut names: Vec<String> = fs::read_dir(&staging)
            .map_err(|e| OutputError::io(&staging, e))?
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != MANIFEST_JSON)
            .collect();
        names.sort();
        names.push(MANIFEST_JSON.into());
        for name in &names {
            let (from, to) = (staging.join(name), dir.join(name));
            if to.is_dir() {
                fs::remove_dir_all(&to).map_err(|e| OutputError::io(&to, e))?;
            }
            fs::rename(&from, &to).map_err(|e| OutputError::io(&to, e))?;
        }
        let _ = fs::remove_dir(&staging);
        fs::remove_dir_all(&self.work).map_err(|e| OutputError::io(&self.work, e))?;
        Ok(self.dir)
    }
}

/// The fit key in the manifest of finished results.
fn manifest_key(dir: &Path) -> Option<String> {
    let bytes = fs::read(dir.join(MANIFEST_JSON)).ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    manifest.get("fit_key")?.as_str().map(str::to_string)
}
