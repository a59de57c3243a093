//! Atomic output files: written to a hidden sibling `.<name>.partial-<pid>`, synced, and renamed
//! onto the final path only when complete, so a full disk or a failure leaves the old file (or
//! nothing), never a truncated one. An existing file is replaced only with `force`; a directory or
//! a device never.

use super::OutputError;
use super::path::{Found, found, remove_abandoned, resolve, sibling, sibling_prefix};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it appears at its final path on [`commit`](Self::commit), and not at
/// all if dropped uncommitted.
#[derive(Debug)]
pub struct PendingFile {
    final_path: PathBuf,
    shown: PathBuf,
    temp: PathBuf,
    writer: BufWriter<File>,
    force: bool,
    committed: bool,
}

/// Whether the resolved `path`, holding `what`, may be written.
fn check(path: &Path, what: Found, force: bool) -> Result<(), OutputError> {
    match what {
        Found::Nothing => Ok(()),
        Found::File if force => Ok(()),
        Found::File => Err(OutputError::Exists(path.to_path_buf())),
        Found::EmptyDir | Found::BmuSimRun | Found::OtherDir => Err(OutputError::refused(path, "is a directory")),
        Found::Special => Err(OutputError::refused(path, "is not a regular file")),
    }
}

impl PendingFile {
    /// Resolves and checks `path` (see [`resolve`]) and opens the hidden temporary file: every
    /// refusal happens here, before the content is computed.
    pub fn create(path: &Path, force: bool) -> Result<PendingFile, OutputError> {
        let final_path = resolve(path)?;
        check(&final_path, found(&final_path)?, force)?;
        let (parent, prefix) = sibling_prefix(&final_path, "partial");
        remove_abandoned(&parent, &prefix);
        let temp = sibling(&final_path, "partial");
        let file = File::create(&temp).map_err(|e| OutputError::io(&temp, e))?;
        let writer = BufWriter::new(file);
        Ok(PendingFile { final_path, shown: path.to_path_buf(), temp, writer, force, committed: false })
    }

    /// Flushes and syncs the content, then renames it onto the final path; returns the path as
    /// given to [`create`](Self::create).
    pub fn commit(mut self) -> Result<PathBuf, OutputError> {
        let io = |e| OutputError::io(&self.temp, e);
        self.writer.flush().map_err(io)?;
        self.writer.get_ref().sync_all().map_err(io)?;
        check(&self.final_path, found(&self.final_path)?, self.force)?;
        fs::rename(&self.temp, &self.final_path).map_err(|e| OutputError::io(&self.final_path, e))?;
        self.committed = true;
        Ok(self.shown.clone())
    }
}

impl Write for PendingFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::scratch::Scratch;
    use super::*;

    #[test]
    fn the_file_appears_only_on_commit() {
        let root = Scratch::new();
        let path = root.path("ode.csv");
        let mut f = PendingFile::create(&path, false).expect("create");
        f.write_all(b"day,z\n").expect("write");
        assert!(!path.exists(), "visible before commit");
        assert_eq!(f.commit().expect("commit"), path);
        assert_eq!(fs::read_to_string(&path).expect("read"), "day,z\n");
        assert_eq!(root.entries(), ["ode.csv"]);
    }

    #[test]
    fn an_existing_file_is_replaced_only_with_force() {
        let root = Scratch::new();
        let path = root.path("ode.csv");
        fs::write(&path, "old").expect("write");
        assert!(matches!(PendingFile::create(&path, false), Err(OutputError::Exists(_))));
        let mut f = PendingFile::create(&path, true).expect("create");
        f.write_all(b"new").expect("write");
        drop(f);
        assert_eq!(fs::read_to_string(&path).expect("read"), "old", "a dropped file changes nothing");
        let mut f = PendingFile::create(&path, true).expect("create");
        f.write_all(b"new").expect("write");
        f.commit().expect("commit");
        assert_eq!(fs::read_to_string(&path).expect("read"), "new");
        assert_eq!(root.entries(), ["ode.csv"]);
    }

    #[test]
    fn directories_and_devices_are_refused() {
        let root = Scratch::new();
        let dir = root.mkdir("dir");
        for (path, force) in [(dir.clone(), true), (PathBuf::from("/dev/null"), true), (dir.join("."), false)] {
            let err = PendingFile::create(&path, force).expect_err("refused");
            assert!(matches!(err, OutputError::Refused { .. }), "{}: {err}", path.display());
        }
    }

    #[test]
    fn a_failed_write_leaves_nothing() {
        let root = Scratch::new();
        let mut f = PendingFile::create(&root.path("ode.csv"), false).expect("create");
        // /dev/full fails every write with ENOSPC, as a full disk does.
        f.writer = BufWriter::new(File::options().write(true).open("/dev/full").expect("open /dev/full"));
        let _ = f.write_all(&[b'x'; 100_000]);
        assert!(f.commit().is_err());
        assert!(root.entries().is_empty(), "{:?}", root.entries());
    }
}
