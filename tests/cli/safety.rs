//! No way to lose results: output paths are resolved before any work (`DIR/.`, `..`, symbolic
//! links), `--force` replaces only what bmu-sim wrote, the default directory never replaces a
//! run, refusals come before the simulation, and `meanfield --out` writes atomically.

use crate::common::*;
use std::fs;
use std::path::Path;

/// A short smoke run, so a test that runs several stays quick.
const SHORT: [&str; 2] = ["--set", "days=10"];

/// The files of `dir` with their contents, to show that a refused command changed nothing.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    tree(dir)
}

fn seed_of(dir: &Path) -> u64 {
    let m: serde_json::Value = serde_json::from_str(&read(&dir.join("manifest.json"))).expect("manifest");
    m["seed"].as_u64().expect("seed")
}

/// `run SMOKE --out <out> SHORT extra…`, not quiet, so the plan line shows whether it started.
fn run_into(tmp: &TempDir, out: &str, extra: &[&str]) -> Run {
    let mut args = vec!["run", SMOKE, "--out", out];
    args.extend(SHORT);
    args.extend(extra);
    bmu(tmp.path(), &args)
}

/// The refusal came before the simulation: no plan line, nothing on stdout.
fn refused_before_work(r: Run, code: i32) -> Run {
    let r = r.code(code);
    assert!(!r.stderr.contains("scenario(s) ×"), "it started the run before refusing:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    r
}

#[test]
fn force_through_dir_dot_replaces_the_run_and_keeps_the_new_results() {
    let tmp = TempDir::new("dirdot");
    let dir = run_ok(&tmp, SMOKE, "out", &SHORT);
    let r = run_into(&tmp, "out/.", &["--force", "--seed", "99"]).ok();
    assert!(r.stdout.contains("wrote out/."), "{}", r.stdout);
    assert_eq!(entries(&dir), RUN_FILES, "the new run is not all there");
    assert_eq!(seed_of(&dir), 99, "the new results were lost");
    assert_eq!(entries(tmp.path()), ["out"], "staging or replaced directories left behind");
    // `..` resolves too: out/x/.. is out.
    fs::create_dir(dir.join("x")).expect("mkdir");
    run_into(&tmp, "out/x/..", &["--force", "--seed", "5"]).ok();
    assert_eq!(seed_of(&dir), 5);
}

#[test]
fn an_empty_directory_through_dir_dot_is_filled() {
    let tmp = TempDir::new("emptydot");
    fs::create_dir(tmp.join("empty")).expect("mkdir");
    run_into(&tmp, "empty/.", &[]).ok();
    assert_eq!(entries(&tmp.join("empty")), RUN_FILES);
    assert_eq!(entries(tmp.path()), ["empty"]);
}

#[test]
fn force_never_replaces_a_directory_bmu_sim_did_not_write() {
    let tmp = TempDir::new("notours");
    let mine = tmp.join("thesis");
    fs::create_dir(&mine).expect("mkdir");
    fs::write(mine.join("chapter1.tex"), "precious").expect("write");
    fs::write(mine.join("manifest.json"), "{\"title\": \"not bmu-sim's\"}").expect("write");
    let before = snapshot(&mine);
    for out in ["thesis", "thesis/.", "./thesis"] {
        let r = refused_before_work(run_into(&tmp, out, &["--force"]), 4);
        assert!(r.stderr.contains("did not write"), "{}", r.stderr);
    }
    refused_before_work(run_into(&tmp, "thesis", &[]), 4);
    assert!(snapshot(&mine) == before, "--force changed a directory bmu-sim did not write");
    assert_eq!(entries(tmp.path()), ["thesis"]);
}

#[test]
fn symbolic_links_are_followed_to_the_run_they_name() {
    let tmp = TempDir::new("symlink");
    let dir = run_ok(&tmp, SMOKE, "real", &SHORT);
    std::os::unix::fs::symlink(&dir, tmp.join("link")).expect("symlink");
    refused_before_work(run_into(&tmp, "link", &[]), 4);
    run_into(&tmp, "link", &["--force", "--seed", "3"]).ok();
    assert_eq!(seed_of(&dir), 3, "the run the link points at was not replaced");
    assert!(fs::symlink_metadata(tmp.join("link")).expect("link").file_type().is_symlink());
    assert_eq!(entries(tmp.path()), ["link", "real"]);
}

#[test]
fn paths_that_cannot_be_written_are_refused_before_the_run() {
    let tmp = TempDir::new("unwritable");
    for out in ["missing/out", "/proc/bmu-sim-out", "/"] {
        let r = refused_before_work(run_into(&tmp, out, &[]), 4);
        assert!(r.stderr.starts_with("bmu-sim: error: "), "{out}: {}", r.stderr);
    }
    fs::write(tmp.join("file"), "x").expect("write");
    refused_before_work(run_into(&tmp, "file", &["--force"]), 4);
    assert_eq!(entries(tmp.path()), ["file"]);
}

#[test]
fn the_default_directory_never_replaces_an_explicit_run() {
    let tmp = TempDir::new("default");
    let config = tmp.write("smoke.toml", read_bytes(Path::new(SMOKE)));
    let config = config.to_str().unwrap();
    // Fresh directory: `out/` is created.
    let r = bmu(tmp.path(), &["run", config, "--quiet", "--set", "days=10"]).ok();
    assert!(r.stdout.contains("wrote out/smoke "), "{}", r.stdout);
    // A run the user put at out/smoke by name is kept; the default goes to out/smoke-2, -3.
    let explicit = tmp.join("out/smoke");
    run_into(&tmp, explicit.to_str().unwrap(), &["--force", "--seed", "11"]).ok();
    let before = snapshot(&explicit);
    for n in [2, 3] {
        let r = bmu(tmp.path(), &["run", config, "--quiet", "--set", "days=10"]).ok();
        assert!(r.stdout.contains(&format!("wrote out/smoke-{n} ")), "{}", r.stdout);
    }
    assert!(snapshot(&explicit) == before, "a default run changed out/smoke");
    assert_eq!(entries(&tmp.join("out")), ["smoke", "smoke-2", "smoke-3"]);
}

#[test]
fn meanfield_out_is_atomic_and_replaces_only_with_force() {
    let tmp = TempDir::new("meanfield_out");
    let csv = tmp.join("ode.csv");
    let csv_s = csv.to_str().unwrap();
    bmu(tmp.path(), &["meanfield", "--days", "10", "--out", csv_s]).ok();
    let first = read(&csv);
    assert!(first.starts_with("day,x1,x2,z\n") && first.lines().count() == 102, "{first}");
    let r = bmu(tmp.path(), &["meanfield", "--days", "20", "--out", csv_s]).code(4);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(read(&csv), first, "overwritten without --force");
    bmu(tmp.path(), &["meanfield", "--days", "20", "--out", csv_s, "--force"]).ok();
    assert_eq!(read(&csv).lines().count(), 202);
    bmu(tmp.path(), &["meanfield", "--out", tmp.path().to_str().unwrap(), "--force"]).code(4);
    bmu(tmp.path(), &["meanfield", "--force"]).code(2);
    assert_eq!(entries(tmp.path()), ["ode.csv"], "temporary files left behind");
}
