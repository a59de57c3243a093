//! Output paths, resolved before any work: absolute, without `.`, `..` or symbolic links, so the
//! path that is checked is the path that is written (`--out DIR/.` is `DIR`), and what is found
//! there decides what may be replaced.

use super::{MANIFEST_JSON, OutputError};
use std::ffi::{OsStr, OsString};
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};

/// What is at a resolved output path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Nothing,
    EmptyDir,
    /// A directory holding a `manifest.json` that bmu-sim wrote: `--force` may replace it.
    BmuSimRun,
    /// Any other non-empty directory: never replaced.
    OtherDir,
    /// A regular file.
    File,
    /// A device, socket, pipe…: never written.
    Special,
}

/// The absolute path `path` names with every symbolic link, `.` and `..` resolved. A path that
/// does not exist yet must end in a plain name and have an existing parent directory.
pub fn resolve(path: &Path) -> Result<PathBuf, OutputError> {
    match fs::canonicalize(path) {
        Ok(p) if p.parent().is_none() => Err(OutputError::refused(&p, "is the root directory")),
        Ok(p) => Ok(p),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(OutputError::refused(path, "is a symbolic link to nothing"));
            }
            let Some(Component::Normal(name)) = path.components().next_back() else {
                return Err(OutputError::refused(path, "does not end in a file or directory name"));
            };
            let parent = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p,
                _ => Path::new("."),
            };
            match fs::canonicalize(parent) {
                Ok(parent) if parent.is_dir() => Ok(parent.join(name)),
                _ => Err(OutputError::NoParent(path.to_path_buf())),
            }
        }
        Err(e) => Err(OutputError::io(path, e)),
    }
}

/// What is at `path` (resolved, so not a symbolic link unless a dangling one appeared since).
pub fn found(path: &Path) -> Result<Found, OutputError> {
    let meta = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Found::Nothing),
        Err(e) => return Err(OutputError::io(path, e)),
        Ok(m) => m,
    };
    if meta.is_file() {
        return Ok(Found::File);
    }
    if !meta.is_dir() {
        return Ok(Found::Special);
    }
    let mut entries = fs::read_dir(path).map_err(|e| OutputError::io(path, e))?;
    Ok(match entries.next() {
        None => Found::EmptyDir,
        Some(_) if is_bmu_sim_run(path) => Found::BmuSimRun,
        Some(_) => Found::OtherDir,
    })
}

/// True if `dir` holds a `manifest.json` written by bmu-sim: a JSON object naming
/// `bmu_sim_version`.
pub fn is_bmu_sim_run(dir: &Path) -> bool {
    let manifest = dir.join(MANIFEST_JSON);
    // A manifest is a few kilobytes; anything much larger is not one.
    let small = fs::metadata(&manifest).is_ok_and(|m| m.is_file() && m.len() < 1 << 24);
    small
        && fs::read(&manifest)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|v| v.get("bmu_sim_version").is_some_and(serde_json::Value::is_string))
}

/// The hidden sibling `.<name>.<tag>-` of `path`, to which a process id is appended; `path`
/// must end in a name (as resolved paths do).
pub(super) fn sibling_prefix(path: &Path, tag: &str) -> (PathBuf, OsString) {
    let parent = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let mut prefix = OsString::from(".");
    prefix.push(path.file_name().unwrap_or(OsStr::new("output")));
    prefix.push(format!(".{tag}-"));
    (parent, prefix)
}

/// This process's hidden sibling `.<name>.<tag>-<pid>` of `path`.
pub(super) fn sibling(path: &Path, tag: &str) -> PathBuf {
    let (parent, mut name) = sibling_prefix(path, tag);
    name.push(std::process::id().to_string());
    parent.join(name)
}

/// Remove what `<prefix><pid>` entries of `parent` runs that were killed (a signal skips `Drop`)
/// left behind: those whose process no longer exists. Only where `/proc` tells; elsewhere
/// nothing.
pub(super) fn remove_abandoned(parent: &Path, prefix: &OsStr) {
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
            let path = entry.path();
            let _ = if path.is_dir() { fs::remove_dir_all(path) } else { fs::remove_file(path) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scratch::Scratch;
    use super::*;

    #[test]
    fn dots_and_links_resolve_to_the_directory_they_name() {
        let root = Scratch::new();
        let dir = root.mkdir("runs");
        let canonical = fs::canonicalize(&dir).expect("canonical");
        assert_eq!(resolve(&dir.join(".")).expect("DIR/."), canonical);
        assert_eq!(resolve(&dir.join("sub").join("..")).ok(), None, "a missing DIR/sub/.. names nothing");
        root.mkdir("runs/sub");
        assert_eq!(resolve(&dir.join("sub").join("..")).expect("DIR/sub/.."), canonical);
        std::os::unix::fs::symlink(&dir, root.path("link")).expect("symlink");
        assert_eq!(resolve(&root.path("link")).expect("link"), canonical);
        assert_eq!(resolve(&root.path("link/new")).expect("link/new"), canonical.join("new"));
    }

    #[test]
    fn paths_that_name_nothing_writable_are_refused() {
        let root = Scratch::new();
        std::os::unix::fs::symlink(root.path("nowhere"), root.path("dangling")).expect("symlink");
        for bad in [root.path("dangling"), root.path("missing/.."), PathBuf::from("/")] {
            assert!(matches!(resolve(&bad), Err(OutputError::Refused { .. })), "{}", bad.display());
        }
        assert!(matches!(resolve(&root.path("missing/new")), Err(OutputError::NoParent(_))));
    }

    #[test]
    fn found_tells_a_bmu_sim_run_from_other_directories() {
        let root = Scratch::new();
        assert_eq!(found(&root.path("none")).expect("found"), Found::Nothing);
        assert_eq!(found(&root.mkdir("empty")).expect("found"), Found::EmptyDir);
        let run = root.mkdir("run");
        fs::write(run.join(MANIFEST_JSON), r#"{"bmu_sim_version": "0.1.0"}"#).expect("write");
        assert_eq!(found(&run).expect("found"), Found::BmuSimRun);
        let other = root.mkdir("other");
        fs::write(other.join(MANIFEST_JSON), r#"{"name": "someone else's"}"#).expect("write");
        assert_eq!(found(&other).expect("found"), Found::OtherDir);
        fs::write(root.path("file"), "x").expect("write");
        assert_eq!(found(&root.path("file")).expect("found"), Found::File);
        assert_eq!(found(Path::new("/dev/null")).expect("found"), Found::Special);
    }
}
