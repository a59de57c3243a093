//! Shared helpers: run the built `bmu-sim` binary in a private temporary directory and read what
//! it wrote.

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_bmu-sim");
/// The small two-scenario config shipped for tests.
pub const SMOKE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/smoke.toml");
/// The directory holding every shipped config.
pub const CONFIGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs");
/// The files of a run directory, sorted.
pub const RUN_FILES: [&str; 9] = [
    "config.toml",
    "effects.csv",
    "histomorphometry.csv",
    "index.html",
    "manifest.json",
    "plots",
    "runs.csv",
    "summary.csv",
    "timeseries.csv",
];

/// A fresh directory under the system temp dir, unique per process and test, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("bmu-sim-cli-{}-{n}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create temp dir");
        TempDir(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn join(&self, p: &str) -> PathBuf {
        self.0.join(p)
    }

    /// Write `bytes` to `name` inside the directory and return its path.
    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.0.join(name);
        fs::write(&p, bytes).expect("write temp file");
        p
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// What one invocation of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics (with both streams) unless the command exited 0.
    pub fn ok(self) -> Run {
        assert_eq!(self.code, Some(0), "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self.no_panic()
    }

    /// Asserts the exit code (and that the process did not panic).
    pub fn code(self, want: i32) -> Run {
        assert_eq!(self.code, Some(want), "wrong exit code\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self.no_panic()
    }

    pub fn no_panic(self) -> Run {
        assert!(!self.stderr.contains("panicked"), "the binary panicked:\n{}", self.stderr);
        assert!(!self.stderr.contains("RUST_BACKTRACE"), "the binary panicked:\n{}", self.stderr);
        self
    }
}

/// Run the binary with `args` in the working directory `cwd`.
pub fn bmu(cwd: &Path, args: &[&str]) -> Run {
    let out = Command::new(BIN).args(args).current_dir(cwd).output().expect("spawn bmu-sim");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `bmu-sim run CONFIG --out OUT --quiet ARGS...`, which must succeed; returns OUT.
pub fn run_ok(tmp: &TempDir, config: &str, out: &str, args: &[&str]) -> PathBuf {
    let dir = tmp.join(out);
    let dir_s = dir.to_str().expect("utf-8 temp path");
    let mut all = vec!["run", config, "--out", dir_s, "--quiet"];
    all.extend_from_slice(args);
    bmu(tmp.path(), &all).ok();
    dir
}

pub fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

pub fn read_bytes(p: &Path) -> Vec<u8> {
    fs::read(p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

/// Every file under `dir` (recursively, sorted) with its bytes, by path relative to `dir`.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for name in entries(dir) {
        let path = dir.join(&name);
        if path.is_dir() {
            files.extend(tree(&path).into_iter().map(|(f, b)| (format!("{name}/{f}"), b)));
        } else {
            files.push((name, read_bytes(&path)));
        }
    }
    files
}

/// Sorted names of the entries of a directory.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read dir {}: {e}", dir.display()))
        .map(|e| e.expect("dir entry").file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// A CSV file as (header, rows). Scenario names are `[A-Za-z0-9_-]`, so no field is quoted.
pub fn csv(p: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let text = read(p);
    let mut lines = text.lines();
    let split = |l: &str| l.split(',').map(str::to_string).collect::<Vec<_>>();
    let header = split(lines.next().unwrap_or_else(|| panic!("{} is empty", p.display())));
    let rows: Vec<Vec<String>> = lines.map(split).collect();
    for r in &rows {
        assert_eq!(r.len(), header.len(), "ragged row in {}: {r:?}", p.display());
    }
    (header, rows)
}

/// Index of `name` in a CSV header.
pub fn col(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap_or_else(|| panic!("no column `{name}` in {header:?}"))
}

/// Scenario names of a resolved `config.toml`, in order.
pub fn scenario_names(config_toml: &Path) -> Vec<String> {
    let table: toml::Table = toml::from_str(&read(config_toml)).expect("config.toml parses as TOML");
    let list = table.get("scenario").and_then(|v| v.as_array()).expect("config.toml has [[scenario]]");
    list.iter().map(|s| s.get("name").and_then(|n| n.as_str()).expect("scenario name").to_string()).collect()
}

/// 1-based (line, column in characters) of the first occurrence of `needle` in `text`.
pub fn pos_of(text: &str, needle: &str) -> (usize, usize) {
    let at = text.find(needle).unwrap_or_else(|| panic!("`{needle}` not in {text:?}"));
    line_col(text, at)
}

/// 1-based (line, column in characters) of byte offset `at`.
pub fn line_col(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `manifest.json` without the fields that differ from run to run: the command line (it names
/// the output directory and threads), the start time and the wall time.
pub fn manifest_sans_command(dir: &Path) -> serde_json::Value {
    let mut m: serde_json::Value = serde_json::from_str(&read(&dir.join("manifest.json"))).expect("manifest parses");
    let fields = m.as_object_mut().expect("manifest is an object");
    for key in ["command", "timestamp", "wall_seconds"] {
        fields.remove(key).unwrap_or_else(|| panic!("manifest has no `{key}`"));
    }
    m
}

/// `a` and `b` hold the same results: the same files, byte for byte, but for the manifest's
/// command line, start time and wall time.
pub fn assert_same_results(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&ta), names(&tb), "{} and {} hold different files", a.display(), b.display());
    for ((name, x), (_, y)) in ta.iter().zip(&tb) {
        if name != "manifest.json" {
            assert!(x == y, "{name} differs between {} and {}", a.display(), b.display());
        }
    }
    assert_eq!(manifest_sans_command(a), manifest_sans_command(b), "the manifests differ");
}
