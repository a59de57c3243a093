//! Atomic output directories.
//!
//! Files are written into a hidden sibling directory `.<name>.partial-<pid>` and renamed onto
//! the final path only when everything has been written ([`Staging::commit`]). A run that fails
//! or panics part-way drops its [`Staging`], which removes the partial directory, so an output
//! directory is either complete or absent. A run killed by a signal cannot clean up; the next run
//! into the same place removes its partial directory once its process is gone (Linux).

use std::fmt;
use std::fs::{self, File};
use std::io::{self, BufWriter};
use std::path::{Component, Path, PathBuf};

/// Why an output directory could not be prepared, written or committed.
#[derive(Debug)]
pub enum OutputError {
    /// The output path already exists and is not an empty directory, and replacing was not
    /// requested (or it is not a directory at all).
    Exists(PathBuf),
    /// The output path's parent directory does not exist (or the path has no parent).
    NoParent(PathBuf),
    /// An I/O operation on `path` failed.
    Io {
        /// The file or directory the operation was on.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
}

impl OutputError {
    fn io(path: &Path, source: io::Error) -> Self {
        OutputError::Io {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Exists(p) => write!(
                f,
                "output path {} already exists and is not an empty directory; refusing to replace it",
                p.display()
            ),
            OutputError::NoParent(p) => write!(
                f,
                "cannot create output directory {}: its parent directory does not exist",
                p.display()
            ),
            OutputError::Io { path, source } => write!(f, "{}: {source}", path.display()),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// A partially written output directory that becomes `final_dir` on [`commit`](Self::commit),
/// or disappears when dropped uncommitted.
#[derive(Debug)]
pub struct Staging {
    final_dir: PathBuf,
    staging: PathBuf,
    force: bool,
    committed: bool,
}

/// Remove staging directories `<prefix><pid>` left by runs that were killed (a signal skips
/// `Drop`): those whose process no longer exists. Only where `/proc` tells; elsewhere nothing.
fn remove_abandoned(parent: &Path, prefix: &std::ffi::OsStr) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefix = prefix.to_string_lossy();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let pid = name.to_str().and_then(|n| n.strip_prefix(&*prefix)).and_then(|p| p.parse::<u32>().ok());
        if let Some(pid) = pid
            && pid != std::process::id()
            && !Path::new("/proc").join(pid.to_string()).exists()
        {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

impl Staging {
    /// Starts writing an output directory that will become `final_dir`.
    ///
    /// Fails with [`OutputError::Exists`], creating nothing, if `final_dir` exists and is
    /// non-empty (unless `force`) or is not a directory (even with `force`). Fails with
    /// [`OutputError::NoParent`] if `final_dir`'s parent directory does not exist; the parent is
    /// never created. Otherwise creates the empty staging directory `.<name>.partial-<pid>` next
    /// to `final_dir`.
    pub fn begin(final_dir: &Path, force: bool) -> Result<Staging, OutputError> {
        let Some(name) = final_dir.file_name() else {
            return Err(OutputError::NoParent(final_dir.to_path_buf()));
        };
        let parent = match final_dir.parent() {
            Some(p) if p.as_os_str().is_empty() => Path::new("."),
            Some(p) => p,
            None => return Err(OutputError::NoParent(final_dir.to_path_buf())),
        };
        if !parent.is_dir() {
            return Err(OutputError::NoParent(final_dir.to_path_buf()));
        }
        if !force && !is_absent_or_empty_dir(final_dir)? {
            return Err(OutputError::Exists(final_dir.to_path_buf()));
        }
        if force && fs::symlink_metadata(final_dir).is_ok() && !final_dir.is_dir() {
            return Err(OutputError::Exists(final_dir.to_path_buf()));
        }
        let mut prefix = std::ffi::OsString::from(".");
        prefix.push(name);
        prefix.push(".partial-");
        remove_abandoned(parent, &prefix);
        let mut staging_name = prefix;
        staging_name.push(std::process::id().to_string());
        let staging = parent.join(staging_name);
        fs::create_dir(&staging).map_err(|e| OutputError::io(&staging, e))?;
        Ok(Staging {
            final_dir: final_dir.to_path_buf(),
            staging,
            force,
            committed: false,
        })
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
        if !matches!(
            (parts.next(), parts.next()),
            (Some(Component::Normal(_)), None)
        ) {
            let e = io::Error::new(io::ErrorKind::InvalidInput, "not a plain file name");
            return Err(OutputError::io(&path, e));
        }
        File::create(&path)
            .map(BufWriter::new)
            .map_err(|e| OutputError::io(&path, e))
    }

    /// Moves the staging directory onto the final path and returns the final path.
    ///
    /// If the final path exists by now, it is removed first when `force` was given or it is an
    /// empty directory; otherwise commit fails with [`OutputError::Exists`] (and the staging
    /// directory is removed, as on any failure).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let target = self.final_dir.clone();
        if fs::symlink_metadata(&target).is_ok() {
            if !self.force && !is_absent_or_empty_dir(&target)? {
                return Err(OutputError::Exists(target));
            }
            if !target.is_dir() {
                return Err(OutputError::Exists(target));
            }
            fs::remove_dir_all(&target).map_err(|e| OutputError::io(&target, e))?;
        }
        fs::rename(&self.staging, &target).map_err(|e| OutputError::io(&target, e))?;
        self.committed = true;
        Ok(target)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            // Best effort: nothing useful can be done with an error while dropping.
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

/// True if nothing exists at `path` or it is an empty directory.
fn is_absent_or_empty_dir(path: &Path) -> Result<bool, OutputError> {
    match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(true),
        Err(e) => Err(OutputError::io(path, e)),
        Ok(_) if !path.is_dir() => Ok(false),
        Ok(_) => {
            let mut entries = fs::read_dir(path).map_err(|e| OutputError::io(path, e))?;
            Ok(entries.next().is_none())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A fresh, not yet existing directory under the system temp dir, removed on drop.
    struct TempRoot(PathBuf);

    impl TempRoot {
        fn new() -> Self {
            static COUNTER: AtomicUsize = AtomicUsize::new(0);
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let root =
                std::env::temp_dir().join(format!("bmu-out-test-{}-{n}", std::process::id()));
            let _ = fs::remove_dir_all(&root);
            fs::create_dir(&root).expect("create temp root");
            TempRoot(root)
        }
        fn entries(&self) -> Vec<String> {
            let mut v: Vec<_> = fs::read_dir(&self.0)
                .expect("read root")
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        }
    }

    impl Drop for TempRoot {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn write(st: &Staging, name: &str, body: &str) {
        let mut f = st.file(name).expect("create file");
        f.write_all(body.as_bytes()).expect("write");
        f.flush().expect("flush");
    }

    #[test]
    fn staging_left_by_a_killed_run_is_swept() {
        let root = TempRoot::new();
        // PIDs above the kernel's maximum (4 194 304) never belong to a live process.
        fs::create_dir(root.0.join(".results.partial-4999999")).expect("abandoned");
        fs::create_dir(root.0.join(".other.partial-4999999")).expect("someone else's");
        let st = Staging::begin(&root.0.join("results"), false).expect("begin");
        st.commit().expect("commit");
        assert_eq!(root.entries(), vec![".other.partial-4999999".to_string(), "results".to_string()]);
    }

    #[test]
    fn commit_creates_directory() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        let st = Staging::begin(&out, false).expect("begin");
        assert!(st.path().is_dir());
        assert_eq!(
            root.entries(),
            [format!(".results.partial-{}", std::process::id())]
        );
        write(&st, "runs.csv", "a,b\n");
        assert_eq!(st.commit().expect("commit"), out);
        assert_eq!(root.entries(), ["results"]);
        assert_eq!(
            fs::read_to_string(out.join("runs.csv")).expect("read"),
            "a,b\n"
        );
    }

    #[test]
    fn refuses_non_empty_existing_dir() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("old.csv"), "old").expect("write");
        let err = Staging::begin(&out, false).expect_err("must refuse");
        assert!(matches!(err, OutputError::Exists(ref p) if *p == out));
        assert!(err.to_string().contains("results"));
        assert_eq!(root.entries(), ["results"], "nothing created");
        assert_eq!(
            fs::read_to_string(out.join("old.csv")).expect("read"),
            "old"
        );
    }

    #[test]
    fn empty_existing_dir_is_accepted() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        fs::create_dir(&out).expect("mkdir");
        let st = Staging::begin(&out, false).expect("begin");
        write(&st, "x", "1");
        st.commit().expect("commit");
        assert!(out.join("x").is_file());
    }

    #[test]
    fn force_replaces() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("old.csv"), "old").expect("write");
        let st = Staging::begin(&out, true).expect("begin");
        write(&st, "new.csv", "new");
        st.commit().expect("commit");
        assert!(!out.join("old.csv").exists());
        assert_eq!(
            fs::read_to_string(out.join("new.csv")).expect("read"),
            "new"
        );
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn refuses_existing_file_even_with_force() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        fs::write(&out, "a file").expect("write");
        assert!(matches!(
            Staging::begin(&out, true),
            Err(OutputError::Exists(_))
        ));
        assert!(matches!(
            Staging::begin(&out, false),
            Err(OutputError::Exists(_))
        ));
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn drop_leaves_nothing() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        {
            let st = Staging::begin(&out, false).expect("begin");
            write(&st, "timeseries.csv", "partial");
        }
        assert!(root.entries().is_empty());
        assert!(!out.exists());
    }

    #[test]
    fn missing_parent_is_an_error() {
        let root = TempRoot::new();
        let out = root.0.join("no-such-parent").join("results");
        let err = Staging::begin(&out, false).expect_err("no parent");
        assert!(matches!(err, OutputError::NoParent(_)));
        assert!(err.to_string().contains("no-such-parent"));
        assert!(root.entries().is_empty());
    }

    #[test]
    fn commit_refuses_dir_that_appeared_meanwhile() {
        let root = TempRoot::new();
        let out = root.0.join("results");
        let st = Staging::begin(&out, false).expect("begin");
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("other"), "x").expect("write");
        assert!(matches!(st.commit(), Err(OutputError::Exists(_))));
        assert_eq!(root.entries(), ["results"]);
    }

    #[test]
    fn file_rejects_paths() {
        let root = TempRoot::new();
        let st = Staging::begin(&root.0.join("results"), false).expect("begin");
        for bad in ["../escape", "a/b", "", ".", ".."] {
            let err = st.file(bad).expect_err(bad);
            assert!(matches!(err, OutputError::Io { .. }));
            assert!(std::error::Error::source(&err).is_some());
        }
        assert!(!root.0.join("escape").exists());
    }
}
