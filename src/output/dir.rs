//! Atomic output directories.
//!
//! The output path is resolved and checked first ([`Staging::begin`]), before any simulation, so
//! a refusal costs nothing. Files are then written into a hidden sibling directory
//! `.<name>.partial-<pid>` and renamed onto the final path only when everything has been written
//! ([`Staging::commit`]). A run that fails or panics part-way drops its [`Staging`], which
//! removes the partial directory, so an output directory is either complete or absent. A run
//! killed by a signal cannot clean up; the next run into the same place removes its partial
//! directory once its process is gone (Linux).
//!
//! What may be replaced: nothing or an empty directory, always; a directory bmu-sim wrote
//! (recognised by its `manifest.json`) only with `force`, and then atomically (the old directory
//! is renamed aside, the new one renamed in, the old one removed); anything else never.

use super::OutputError;
use super::path::{Found, found, remove_abandoned, resolve, sibling, sibling_prefix};
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Component, Path, PathBuf};

/// How many numbered directories [`Staging::begin_default`] tries before giving up.
const MAX_NUMBERED: u32 = 10_000;

/// A partially written output directory that becomes its final path on
/// [`commit`](Self::commit), or disappears when dropped uncommitted.
#[derive(Debug)]
pub struct Staging {
    /// The resolved final path.
    final_dir: PathBuf,
    /// The final path as the user should read it.
    shown: PathBuf,
    staging: PathBuf,
    force: bool,
    /// `final_dir` is an empty directory this process created to reserve its name.
    reserved: bool,
    committed: bool,
}

/// Whether the resolved `dir`, holding `what`, may become an output directory.
fn check(dir: &Path, what: Found, force: bool) -> Result<(), OutputError> {
    match what {
        Found::Nothing | Found::EmptyDir => Ok(()),
        Found::BmuSimRun if force => Ok(()),
        Found::BmuSimRun => Err(OutputError::Exists(dir.to_path_buf())),
        Found::OtherDir => Err(OutputError::refused(
            dir,
            "is a directory bmu-sim did not write (no bmu-sim manifest.json in it); --force replaces only bmu-sim's",
        )),
        Found::File | Found::Special => Err(OutputError::refused(dir, "is not a directory")),
    }
}

impl Staging {
    /// Starts writing the output directory `dir`, creating only the empty staging directory.
    ///
    /// `dir` is resolved first ([`resolve`]: `DIR/.`, `..` and symbolic links name the directory
    /// they point at) and must be absent, an empty directory, or, with `force`, a directory bmu-sim
    /// wrote; its parent must exist and be writable. Everything else fails here, before any work:
    /// [`OutputError::Exists`], [`OutputError::Refused`], [`OutputError::NoParent`] or the I/O
    /// error of creating the staging directory.
    pub fn begin(dir: &Path, force: bool) -> Result<Staging, OutputError> {
        let final_dir = resolve(dir)?;
        check(&final_dir, found(&final_dir)?, force)?;
        Staging::stage(final_dir, dir.to_path_buf(), force, false)
    }

    /// Starts writing the default output directory `parent/stem`, creating `parent` if needed.
    /// It never replaces anything without `force`: if `parent/stem` exists, the first of
    /// `stem-2`, `stem-3`… that does not is used, its name reserved at once (an empty directory,
    /// removed again if the run fails) so concurrent runs pick different names. With `force`, it
    /// is `parent/stem`, replaced if bmu-sim wrote it (as [`begin`](Self::begin)).
    pub fn begin_default(parent: &Path, stem: &str, force: bool) -> Result<Staging, OutputError> {
        fs::create_dir_all(parent).map_err(|e| OutputError::io(parent, e))?;
        if force {
            return Staging::begin(&parent.join(stem), true);
        }
        for n in 1..=MAX_NUMBERED {
            let shown = parent.join(if n == 1 { stem.to_string() } else { format!("{stem}-{n}") });
            let dir = resolve(&shown)?;
            match fs::create_dir(&dir) {
                Ok(()) => return Staging::stage(dir, shown, false, true),
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(OutputError::io(&dir, e)),
            }
        }
        Err(OutputError::Exists(parent.join(format!("{stem}-{MAX_NUMBERED}"))))
    }

    fn stage(final_dir: PathBuf, shown: PathBuf, force: bool, reserved: bool) -> Result<Staging, OutputError> {
        let (parent, prefix) = sibling_prefix(&final_dir, "partial");
        remove_abandoned(&parent, &prefix);
        let staging = sibling(&final_dir, "partial");
        let made = fs::create_dir(&staging).map_err(|e| OutputError::io(&staging, e));
        let this = Staging { final_dir, shown, staging, force, reserved, committed: false };
        made.map(|()| this)
    }

    /// The staging directory, for writing files into before [`commit`](Self::commit).
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Creates (or truncates) the file `name` in the staging directory, buffered.
    ///
    /// `name` must be a plain file name (no directory separators, `.` or `..`).
    pub fn file(&self, name: &str) -> Result<BufWriter<File>, OutputError> {
        let path = self.staging.join(name);
        let mut parts = Path::new(name).components();
        if !matches!((parts.next(), parts.next()), (Some(Component::Normal(_)), None)) {
            let e = io::Error::new(io::ErrorKind::InvalidInput, "not a plain file name");
            return Err(OutputError::io(&path, e));
        }
        File::create(&path).map(BufWriter::new).map_err(|e| OutputError::io(&path, e))
    }

    /// Moves the staging directory onto the final path and returns the final path as shown to
    /// the user. What is at the final path is checked again, since it may have changed while the
    /// run computed; the staging directory is removed on any failure.
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let target = self.final_dir.clone();
        let what = found(&target)?;
        check(&target, what, self.force)?;
        if what == Found::BmuSimRun {
            // Aside, in, then remove: the old run is never gone before the new one is in place.
            let old = sibling(&target, "replaced");
            fs::rename(&target, &old).map_err(|e| OutputError::io(&target, e))?;
            if let Err(e) = fs::rename(&self.staging, &target) {
                let _ = fs::rename(&old, &target);
                return Err(OutputError::io(&target, e));
            }
            fs::remove_dir_all(&old).map_err(|e| OutputError::io(&old, e))?;
        } else {
            // Onto nothing or an empty directory: one rename.
            fs::rename(&self.staging, &target).map_err(|e| OutputError::io(&target, e))?;
        }
        self.committed = true;
        Ok(self.shown.clone())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: nothing useful can be done with an error while dropping.
            let _ = fs::remove_dir_all(&self.staging);
            if self.reserved {
                let _ = fs::remove_dir(&self.final_dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scratch::Scratch;
    use super::*;
    use std::io::Write;

    fn write(st: &Staging, name: &str, body: &str) {
        let mut f = st.file(name).expect("create file");
        f.write_all(body.as_bytes()).expect("write");
        f.flush().expect("flush");
    }

    /// A finished bmu-sim run directory holding `manifest.json` and `runs.csv` = `body`.
    fn finished_run(root: &Scratch, name: &str, body: &str) -> PathBuf {
        let st = Staging::begin(&root.path(name), false).expect("begin");
        write(&st, "manifest.json", r#"{"bmu_sim_version": "0"}"#);
        write(&st, "runs.csv", body);
        st.commit().expect("commit")
    }

    #[test]
    fn staging_left_by_a_killed_run_is_swept() {
        let root = Scratch::new();
        // PIDs above the kernel's maximum (4 194 304) never belong to a live process.
        root.mkdir(".results.partial-4999999");
        root.mkdir(".other.partial-4999999");
        Staging::begin(&root.path("results"), false).expect("begin").commit().expect("commit");
        assert_eq!(root.entries(), [".other.partial-4999999", "results"]);
    }

    #[test]
    fn commit_creates_the_directory_and_returns_the_path_as_given() {
        let root = Scratch::new();
        let out = root.path("results");
        let st = Staging::begin(&out, false).expect("begin");
        assert!(st.path().is_dir());
        assert_eq!(root.entries(), [format!(".results.partial-{}", std::process::id())]);
        write(&st, "runs.csv", "a,b\n");
        assert_eq!(st.commit().expect("commit"), out);
        assert_eq!(root.entries(), ["results"]);
        assert_eq!(fs::read_to_string(out.join("runs.csv")).expect("read"), "a,b\n");
    }

    #[test]
    fn a_bmu_sim_run_is_replaced_only_with_force() {
        let root = Scratch::new();
        let out = finished_run(&root, "results", "old");
        assert!(matches!(Staging::begin(&out, false), Err(OutputError::Exists(_))));
        let st = Staging::begin(&out.join("."), true).expect("begin with force, through DIR/.");
        write(&st, "runs.csv", "new");
        st.commit().expect("commit");
        assert_eq!(fs::read_to_string(out.join("runs.csv")).expect("read"), "new");
        assert!(!out.join("manifest.json").exists(), "the old directory was replaced whole");
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn other_directories_and_files_are_never_replaced() {
        let root = Scratch::new();
        let mine = root.mkdir("mine");
        fs::write(mine.join("thesis.tex"), "precious").expect("write");
        fs::write(root.path("file"), "a file").expect("write");
        for force in [false, true] {
            for target in [mine.clone(), mine.join("."), root.path("file")] {
                let err = Staging::begin(&target, force).expect_err("must refuse");
                assert!(matches!(err, OutputError::Refused { .. }), "{}: {err}", target.display());
            }
        }
        assert_eq!(fs::read_to_string(mine.join("thesis.tex")).expect("read"), "precious");
        assert_eq!(root.entries(), ["file", "mine"], "nothing created");
    }

    #[test]
    fn an_empty_directory_is_filled_even_through_dot() {
        let root = Scratch::new();
        let out = root.mkdir("results");
        let st = Staging::begin(&out.join("."), false).expect("begin");
        write(&st, "x", "1");
        st.commit().expect("commit");
        assert!(out.join("x").is_file());
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn the_default_directory_never_replaces_anything_without_force() {
        let root = Scratch::new();
        let parent = root.path("out");
        let first = Staging::begin_default(&parent, "smoke", false).expect("first, creating out/");
        let second = Staging::begin_default(&parent, "smoke", false).expect("second, while the first runs");
        assert_eq!(second.commit().expect("commit"), parent.join("smoke-2"));
        assert_eq!(first.commit().expect("commit"), parent.join("smoke"));
        drop(Staging::begin_default(&parent, "smoke", false).expect("third"));
        assert_eq!(fs::read_dir(&parent).expect("read").count(), 2, "a dropped run leaves no reserved directory");
        fs::write(parent.join("smoke").join("manifest.json"), r#"{"bmu_sim_version": "0"}"#).expect("write");
        let forced = Staging::begin_default(&parent, "smoke", true).expect("force");
        assert_eq!(forced.commit().expect("commit"), parent.join("smoke"));
        assert!(!parent.join("smoke").join("manifest.json").exists(), "--force replaced out/smoke");
    }

    #[test]
    fn drop_leaves_nothing() {
        let root = Scratch::new();
        let out = root.path("results");
        {
            let st = Staging::begin(&out, false).expect("begin");
            write(&st, "timeseries.csv", "partial");
        }
        assert!(root.entries().is_empty());
    }

    #[test]
    fn missing_parent_is_an_error() {
        let root = Scratch::new();
        let err = Staging::begin(&root.path("no-such-parent/results"), false).expect_err("no parent");
        assert!(matches!(err, OutputError::NoParent(_)));
        assert!(err.to_string().contains("no-such-parent"));
        assert!(root.entries().is_empty());
    }

    #[test]
    fn commit_refuses_what_appeared_meanwhile() {
        let root = Scratch::new();
        let out = root.path("results");
        let st = Staging::begin(&out, true).expect("begin");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("other"), "x").expect("write");
        assert!(matches!(st.commit(), Err(OutputError::Refused { .. })));
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn file_rejects_paths() {
        let root = Scratch::new();
        let st = Staging::begin(&root.path("results"), false).expect("begin");
        for bad in ["../escape", "a/b", "", ".", ".."] {
            let err = st.file(bad).expect_err(bad);
            assert!(matches!(err, OutputError::Io { .. }));
            assert!(std::error::Error::source(&err).is_some());
        }
        assert!(!root.path("escape").exists());
    }
}
