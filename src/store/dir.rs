//! Run directories: where a run keeps its finished units while it runs, and its results once
//! every unit is in (docs/model.md §2, §6).
//!
//! While a run (or the shards of one) works, `DIR/units/` holds `plan.json` ([`Plan`]: the config
//! and how it is split) and one `<id>.unit` per finished unit, each written to a hidden temporary
//! and renamed into place, so a unit file is complete or absent whenever the run is killed. When
//! every unit is in, [`RunDir::publish`] writes the results into a hidden directory inside `DIR`,
//! moves them into place one rename each (`manifest.json` last: a directory with a manifest and no
//! `units/` is finished) and retires `units/`. A result file under its final name is therefore
//! never half-written, and a run killed at any moment is finished by `--resume`.
//!
//! What a run may start in ([`RunDir::open`]): nothing, or an empty directory, always; a directory
//! holding this config's units, to continue them (`--resume`, and every shard, which is how the
//! shards of one config share a directory), never a different config's or a different split's; a
//! finished bmu-sim run, or any bmu-sim units, only to replace them ([`Claim::Force`]: the old
//! results stay until the new ones are published, which replaces the directory's whole content);
//! anything else never. The path is resolved
//! first ([`resolve`]), so `DIR/.`, `..` and symbolic links name the directory they point at.

use super::path::{Found, found, resolve};
use super::{MANIFEST_JSON, OutputError, Plan, RESULT_NAMES, temp};
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The directory of a run's units, inside its output directory.
pub const UNITS_DIR: &str = "units";
/// The plan of the units, inside [`UNITS_DIR`].
pub const PLAN_JSON: &str = "plan.json";
/// How many numbered directories [`RunDir::open_default`] tries before giving up.
const MAX_NUMBERED: u32 = 10_000;

/// How a run asks for its output directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// A new run: only into nothing or an empty directory.
    New,
    /// Continue this config's units with the same split into shards (`--resume`; every shard).
    Continue,
    /// Replace whatever bmu-sim wrote there, when the new results are published (`--force`).
    Force,
}

impl Claim {
    /// The claim of `--force` (which wins) and `--resume`.
    pub fn of(force: bool, resume: bool) -> Claim {
        match (force, resume) {
            (true, _) => Claim::Force,
            (false, true) => Claim::Continue,
            (false, false) => Claim::New,
        }
    }
}

/// What [`RunDir::open`] found.
#[derive(Debug)]
pub enum Opened {
    /// A directory to run units in.
    Ready(Box<RunDir>),
    /// The directory holds this config's finished results: nothing is left to do.
    Finished(PathBuf),
}

/// An output directory holding a run's units.
#[derive(Debug)]
pub struct RunDir {
    /// The resolved directory.
    dir: PathBuf,
    /// The directory as the user named it.
    shown: PathBuf,
    plan: Plan,
    /// Opened with [`Claim::Force`]: publishing replaces the directory's whole content.
    replace: bool,
}

impl RunDir {
    /// Opens `path` for running `plan` as `claim` asks, creating the directory and its
    /// `units/plan.json` if needed. Every refusal happens here, before any work.
    pub fn open(path: &Path, plan: Plan, claim: Claim) -> Result<Opened, OutputError> {
        let dir = resolve(path)?;
        RunDir::open_resolved(dir, path.to_path_buf(), plan, claim)
    }

    /// Opens the default output directory `parent/stem`, creating `parent` if needed. A new run
    /// never replaces anything: if `parent/stem` exists, the first of `stem-2`, `stem-3`… that does
    /// not is used, its name taken at once so concurrent runs pick different names. To continue
    /// or replace, it is `parent/stem` (as [`open`](Self::open)).
    pub fn open_default(parent: &Path, stem: &str, plan: Plan, claim: Claim) -> Result<Opened, OutputError> {
        fs::create_dir_all(parent).map_err(|e| OutputError::io(parent, e))?;
        if claim != Claim::New {
            return RunDir::open(&parent.join(stem), plan, claim);
        }
        for n in 1..=MAX_NUMBERED {
            let shown = parent.join(if n == 1 { stem.to_string() } else { format!("{stem}-{n}") });
            let dir = resolve(&shown)?;
            match fs::create_dir(&dir) {
                Ok(()) => return RunDir::open_resolved(dir, shown, plan, claim),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(OutputError::io(&dir, e)),
            }
        }
        Err(OutputError::Exists(parent.join(format!("{stem}-{MAX_NUMBERED}"))))
    }

    /// The units at `path`, to merge them: `Ok(Err(finished))` when it holds finished results.
    pub fn existing(path: &Path) -> Result<Result<RunDir, PathBuf>, OutputError> {
        let dir = resolve(path)?;
        if let Some(plan) = read_plan(&dir)? {
            return Ok(Ok(RunDir { dir, shown: path.to_path_buf(), plan, replace: false }));
        }
        match found(&dir)? {
            Found::BmuSimRun => Ok(Err(path.to_path_buf())),
            Found::Nothing => Err(OutputError::io(&dir, io::Error::new(io::ErrorKind::NotFound, "no such directory"))),
            _ => Err(OutputError::conflict(&dir, "holds no bmu-sim units (no units/plan.json)".into())),
        }
    }

    fn open_resolved(dir: PathBuf, shown: PathBuf, plan: Plan, claim: Claim) -> Result<Opened, OutputError> {
        if dir.is_dir() {
            temp::sweep(&dir);
        }
        for _ in 0..2 {
            let held = match read_plan(&dir)? {
                Some(held) => held,
                None => match vacancy(&dir, &plan, claim)? {
                    Vacancy::Finished => return Ok(Opened::Finished(shown)),
                    Vacancy::Free => match install(&dir, &plan)? {
                        // Another run or shard installed its plan first: compare with it.
                        false => continue,
                        true => {
                            return Ok(Opened::Ready(Box::new(RunDir {
                                dir,
                                shown,
                                plan,
                                replace: claim == Claim::Force,
                            })));
                        }
                    },
                },
            };
            if claim == Claim::Force {
                retire(&dir.join(UNITS_DIR))?;
                continue;
            }
            return match held_by(&held, &plan, claim) {
                Some(why) => Err(OutputError::conflict(&dir, why)),
                None => {
                    temp::sweep(&dir.join(UNITS_DIR));
                    Ok(Opened::Ready(Box::new(RunDir { dir, shown, plan: held, replace: false })))
                }
            };
        }
        Err(OutputError::conflict(&dir, "is being set up by another run at the same time".into()))
    }

    /// The plan the units follow.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// The directory as the user named it.
    pub fn shown(&self) -> &Path {
        &self.shown
    }

    /// Where the file of the unit with id `id` lives.
    pub fn unit_path(&self, id: &str) -> PathBuf {
        self.dir.join(UNITS_DIR).join(format!("{id}.unit"))
    }

    /// Writes the file of unit `id`: to a temporary, synced, then renamed into place.
    pub fn write_unit(&self, id: &str, bytes: &[u8]) -> Result<(), OutputError> {
        let path = self.unit_path(id);
        let tmp = self.dir.join(UNITS_DIR).join(temp::name(&format!("{id}.unit")));
        let written = File::create(&tmp).and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()));
        let placed = written.and_then(|()| fs::rename(&tmp, &path));
        placed.map_err(|e| {
            let _ = fs::remove_file(&tmp);
            OutputError::io(&path, e)
        })
    }

    /// The bytes of unit `id`'s file, `None` if there is none.
    pub fn read_unit(&self, id: &str) -> Result<Option<Vec<u8>>, OutputError> {
        let path = self.unit_path(id);
        match fs::read(&path) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(OutputError::io(&path, e)),
        }
    }

    /// Publishes the results: `write` fills a hidden directory inside the run directory, whose
    /// entries are then renamed into place (`manifest.json` last), earlier results that the new
    /// ones do not include are removed, and `units/` is retired. Returns the directory as the user
    /// named it. If anything fails the units stay, so the run can be resumed.
    pub fn publish<E: From<OutputError>>(self, write: impl FnOnce(&Path) -> Result<(), E>) -> Result<PathBuf, E> {
        let staging = self.dir.join(temp::name("results"));
        fs::create_dir(&staging).map_err(|e| OutputError::io(&staging, e))?;
        let placed = write(&staging).and_then(|()| self.place_all(&staging).map_err(E::from));
        if placed.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        placed?;
        let _ = fs::remove_dir(&staging);
        retire(&self.dir.join(UNITS_DIR))?;
        Ok(self.shown)
    }

    fn place_all(&self, staging: &Path) -> Result<(), OutputError> {
        let mut names: Vec<String> = fs::read_dir(staging)
            .map_err(|e| OutputError::io(staging, e))?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()
            .map_err(|e| OutputError::io(staging, e))?;
        names.sort();
        names.retain(|n| n != MANIFEST_JSON);
        for name in &names {
            self.place(staging, name)?;
        }
        let mut stale: Vec<String> = RESULT_NAMES.iter().map(|n| n.to_string()).collect();
        if self.replace {
            let entries = fs::read_dir(&self.dir).map_err(|e| OutputError::io(&self.dir, e))?;
            let others = entries.flatten().map(|e| e.file_name().to_string_lossy().into_owned());
            stale.extend(others.filter(|n| n != UNITS_DIR && n != MANIFEST_JSON && !temp::is_temporary(n)));
        }
        for name in stale.iter().filter(|n| !names.contains(n)) {
            let path = self.dir.join(name);
            let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            match removed {
                Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(OutputError::io(&path, e)),
                _ => {}
            }
        }
        self.place(staging, MANIFEST_JSON)
    }

    /// Moves `staging/name` onto `dir/name`: one rename for a file; a directory already there is
    /// renamed aside first and removed after.
    fn place(&self, staging: &Path, name: &str) -> Result<(), OutputError> {
        let (from, to) = (staging.join(name), self.dir.join(name));
        if from.is_dir() && to.is_dir() {
            let aside = self.dir.join(temp::name(&format!("{name}.old")));
            fs::rename(&to, &aside).map_err(|e| OutputError::io(&to, e))?;
            fs::rename(&from, &to).map_err(|e| OutputError::io(&to, e))?;
            return fs::remove_dir_all(&aside).map_err(|e| OutputError::io(&aside, e));
        }
        fs::rename(&from, &to).map_err(|e| OutputError::io(&to, e))
    }
}

/// The plan in `dir/units/plan.json`, if there is one. A `units/` without a readable plan is
/// not bmu-sim's and is refused.
fn read_plan(dir: &Path) -> Result<Option<Plan>, OutputError> {
    let path = dir.join(UNITS_DIR).join(PLAN_JSON);
    match fs::read(&path) {
        Ok(bytes) => Plan::from_json(&bytes).map(Some).ok_or_else(|| {
            OutputError::conflict(&path, "is not a bmu-sim plan: remove it to use this directory".into())
        }),
        Err(e) if e.kind() == io::ErrorKind::NotFound || e.kind() == io::ErrorKind::NotADirectory => Ok(None),
        Err(e) => Err(OutputError::io(&path, e)),
    }
}

/// Whether a directory without a plan may take one.
enum Vacancy {
    Free,
    /// It holds this config's finished results, and only continuing was asked.
    Finished,
}

/// Whether `dir`, holding no plan, may take `plan` as `claim` asks.
fn vacancy(dir: &Path, plan: &Plan, claim: Claim) -> Result<Vacancy, OutputError> {
    match found(dir)? {
        Found::Nothing | Found::EmptyDir => Ok(Vacancy::Free),
        Found::OtherDir if only_temporaries(dir)? => Ok(Vacancy::Free),
        Found::BmuSimRun => match claim {
            Claim::Force => Ok(Vacancy::Free),
            Claim::New => Err(OutputError::Exists(dir.to_path_buf())),
            Claim::Continue => match finished_hash(dir) {
                Some(hash) if hash == plan.config_hash => Ok(Vacancy::Finished),
                hash => Err(OutputError::conflict(
                    dir,
                    format!(
                        "holds the finished results of another config (hash {}; this config's is {}): choose another --out, or --force to replace them",
                        hash.as_deref().unwrap_or("unknown"),
                        plan.config_hash
                    ),
                )),
            },
        },
        Found::OtherDir => Err(OutputError::refused(
            dir,
            "is a directory bmu-sim did not write (no bmu-sim manifest.json or units/plan.json in it); --force replaces only bmu-sim's",
        )),
        Found::File | Found::Special => Err(OutputError::refused(dir, "is not a directory")),
    }
}

/// True if every entry of `dir` is a bmu-sim temporary or a plan installed since `dir` was read
/// (another run or shard setting it up right now).
fn only_temporaries(dir: &Path) -> Result<bool, OutputError> {
    let entries = fs::read_dir(dir).map_err(|e| OutputError::io(dir, e))?;
    let installed = || dir.join(UNITS_DIR).join(PLAN_JSON).is_file();
    Ok(entries.flatten().all(|e| {
        let name = e.file_name();
        name.to_str().is_some_and(temp::is_temporary) || (name == UNITS_DIR && installed())
    }))
}

/// The config hash in the manifest of finished results.
fn finished_hash(dir: &Path) -> Option<String> {
    let bytes = fs::read(dir.join(MANIFEST_JSON)).ok()?;
    let manifest: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    manifest.get("config_hash")?.as_str().map(str::to_string)
}

/// Why a run of `plan` as `claim` may not continue the units of `held`, if it may not.
fn held_by(held: &Plan, plan: &Plan, claim: Claim) -> Option<String> {
    if held.config_hash != plan.config_hash {
        return Some(format!(
            "holds the units of another config ({}, hash {}; this config's hash is {}): shards and --resume continue only the config they began with; choose another --out, or --force to start over",
            held.config_file, held.config_hash, plan.config_hash
        ));
    }
    if held.shards != plan.shards {
        let theirs = match held.shards {
            1 => "a run in one piece: finish it with --resume (without --shard)".to_string(),
            n => format!("a run split into {n} shards: run its shards with --shard I/{n}, then `bmu-sim merge`"),
        };
        return Some(format!("holds the units of {theirs}; this run asks for {} shard(s)", plan.shards));
    }
    if let Some(why) = held.other_binary() {
        return Some(format!("{why}, or --force to start over"));
    }
    (claim == Claim::New)
        .then(|| "holds an unfinished run of this config: --resume finishes it, --force starts it over".into())
}

/// Creates `dir` if needed and gives it `units/plan.json`, atomically: the plan is written into a
/// hidden directory renamed to `units`. False if another run's `units/` got there first.
fn install(dir: &Path, plan: &Plan) -> Result<bool, OutputError> {
    match fs::create_dir(dir) {
        Err(e) if e.kind() != io::ErrorKind::AlreadyExists => return Err(OutputError::io(dir, e)),
        _ => {}
    }
    let tmp = dir.join(temp::name("units.new"));
    let _ = fs::remove_dir_all(&tmp);
    let made = fs::create_dir(&tmp).and_then(|()| {
        let mut f = File::create(tmp.join(PLAN_JSON))?;
        f.write_all(&plan.to_json())?;
        f.sync_all()
    });
    if let Err(e) = made {
        let _ = fs::remove_dir_all(&tmp);
        return Err(OutputError::io(&tmp, e));
    }
    let units = dir.join(UNITS_DIR);
    match fs::rename(&tmp, &units) {
        Ok(()) => Ok(true),
        Err(_) if units.join(PLAN_JSON).exists() => {
            let _ = fs::remove_dir_all(&tmp);
            Ok(false)
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&tmp);
            Err(OutputError::io(&units, e))
        }
    }
}

/// Removes `units`: renamed aside first, so it is gone at once whatever happens after.
fn retire(units: &Path) -> Result<(), OutputError> {
    let parent = units.parent().unwrap_or(Path::new("."));
    let aside = parent.join(temp::name("units.done"));
    fs::rename(units, &aside).map_err(|e| OutputError::io(units, e))?;
    fs::remove_dir_all(&aside).map_err(|e| OutputError::io(&aside, e))
}

#[cfg(test)]
#[path = "dir_tests.rs"]
mod tests;
