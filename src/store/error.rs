//! Why an output could not be prepared, written or committed.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

/// Why an output could not be prepared, written or committed.
#[derive(Debug)]
pub enum OutputError {
    /// The output path holds an earlier output, and replacing it was not asked for (`--force`).
    Exists(PathBuf),
    /// The output path holds something bmu-sim will not replace, even with `--force`.
    Refused {
        /// The resolved output path.
        path: PathBuf,
        /// What is there, as the end of a sentence about the path.
        why: &'static str,
    },
    /// The output path holds bmu-sim's work that this run may not join or replace.
    Conflict {
        /// The resolved output path.
        path: PathBuf,
        /// What is there and what to do, as the end of a sentence about the path.
        why: String,
    },
    /// The output path's parent directory does not exist (bmu-sim does not create it).
    NoParent(PathBuf),
    /// An I/O operation on `path` failed.
    Io {
        /// The file or directory the operation was on.
        path: PathBuf,
        /// The underlying error.
        source: io::Error,
    },
    /// Writing to standard output failed (a closed pipe: see [`crate::Error::is_broken_pipe`]).
    Stdout(io::Error),
}

impl OutputError {
    pub(crate) fn io(path: &Path, source: io::Error) -> Self {
        OutputError::Io { path: path.to_path_buf(), source }
    }

    pub(crate) fn refused(path: &Path, why: &'static str) -> Self {
        OutputError::Refused { path: path.to_path_buf(), why }
    }

    pub(crate) fn conflict(path: &Path, why: String) -> Self {
        OutputError::Conflict { path: path.to_path_buf(), why }
    }
}

impl fmt::Display for OutputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutputError::Exists(p) => {
                write!(f, "{} already holds an earlier output; refusing to replace it without --force", p.display())
            }
            OutputError::Refused { path, why } => write!(f, "refusing to write to {}: it {why}", path.display()),
            OutputError::Conflict { path, why } => write!(f, "refusing to write to {}: it {why}", path.display()),
            OutputError::NoParent(p) => {
                write!(f, "cannot create {}: its parent directory does not exist", p.display())
            }
            OutputError::Io { path, source } => write!(f, "output path {}: {source}", path.display()),
            OutputError::Stdout(e) => write!(f, "cannot write to standard output: {e}"),
        }
    }
}

impl std::error::Error for OutputError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OutputError::Io { source, .. } | OutputError::Stdout(source) => Some(source),
            _ => None,
        }
    }
}
