//! The command line itself: each command takes only its own flags and has its own help; closed
//! and full standard output; limits and estimates; progress; the manifest's provenance.

use crate::common::*;
use std::fs::File;
use std::process::{Command, Stdio};

#[test]
fn misplaced_flags_are_usage_errors() {
    let tmp = TempDir::new("misplaced");
    for args in [
        &["run", SMOKE, "--days", "3"][..],
        &["validate", SMOKE, "--force"],
        &["validate", SMOKE, "--out", "x"],
        &["params", "--out", "x"],
        &["meanfield", "--set", "days=3"],
        &["meanfield", "--threads", "2"],
        &["calibrate", SMOKE, "--out", "x"],
    ] {
        let r = bmu(tmp.path(), args).code(2);
        let flag = args.iter().find(|a| a.starts_with("--")).expect("a flag");
        assert!(r.stderr.contains(flag), "{args:?}: the error does not name {flag}: {}", r.stderr);
        assert!(r.stderr.contains(&format!("Usage: bmu-sim {}", args[0])), "{args:?}: {}", r.stderr);
    }
    assert!(entries(tmp.path()).is_empty());
}

#[test]
fn each_command_has_its_own_help_with_defaults() {
    let tmp = TempDir::new("help");
    let help = |c: &str| bmu(tmp.path(), &[c, "--help"]).ok().stdout;
    let (run, validate, meanfield, calibrate, params) =
        (help("run"), help("validate"), help("meanfield"), help("calibrate"), help("params"));
    let all = [&run, &validate, &meanfield, &calibrate, &params];
    for (i, a) in all.iter().enumerate() {
        assert!(all[i + 1..].iter().all(|b| a != b), "two commands print the same help:\n{a}");
    }
    for flag in ["--out", "--force", "--threads", "--no-limits", "--quiet", "--set"] {
        assert!(run.contains(flag), "run --help lacks {flag}:\n{run}");
    }
    assert!(!validate.contains("--force") && !validate.contains("--out"), "{validate}");
    assert!(meanfield.contains("[default: 200]") && meanfield.contains("[default: 0.001]"), "{meanfield}");
    assert!(!meanfield.contains("--set") && !params.contains("--out"), "{meanfield}\n{params}");
    assert_eq!(bmu(tmp.path(), &["help", "meanfield"]).ok().stdout, meanfield);
}

/// Runs the binary with its stdout a pipe whose reader has already gone.
fn into_closed_pipe(tmp: &TempDir, args: &[&str]) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(tmp.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    Run { code: out.status.code(), stdout: String::new(), stderr: String::from_utf8_lossy(&out.stderr).into_owned() }
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let tmp = TempDir::new("pipe");
    let run = into_closed_pipe(&tmp, &["run", SMOKE, "--out", "out", "--set", "days=10", "--quiet"]).code(0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert_eq!(entries(&tmp.join("out")), RUN_FILES, "the results were not written");
    for args in [&["params"][..], &["meanfield", "--days", "2000"], &["run", "--help"]] {
        let r = into_closed_pipe(&tmp, args).code(0);
        assert!(r.stderr.is_empty(), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn a_full_stdout_is_an_output_error_not_a_panic() {
    let tmp = TempDir::new("full");
    for args in
        [&["params"][..], &["meanfield"], &["validate", SMOKE], &["run", SMOKE, "--out", "out", "--set", "days=10"]]
    {
        let out = Command::new(BIN)
            .args(args)
            .current_dir(tmp.path())
            .stdout(File::options().write(true).open("/dev/full").expect("open /dev/full"))
            .output()
            .expect("spawn");
        let r = Run {
            code: out.status.code(),
            stdout: String::new(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        };
        let r = r.code(4);
        assert!(r.stderr.contains("bmu-sim: error: cannot write to standard output"), "{args:?}: {}", r.stderr);
    }
    assert_eq!(entries(&tmp.join("out")), RUN_FILES, "a full stdout lost the results");
}

#[test]
fn threads_are_at_least_one_and_at_most_the_cores() {
    let tmp = TempDir::new("threads");
    let r = bmu(tmp.path(), &["run", SMOKE, "--out", "out", "--set", "days=10", "--threads", "100000"]).ok();
    assert!(r.stderr.contains("--threads 100000 is more than the"), "no note: {}", r.stderr);
    assert!(read(&tmp.join("out/manifest.json")).contains("\"--threads\""));
    let r = bmu(tmp.path(), &["run", SMOKE, "--threads", "0"]).code(2);
    assert!(r.stderr.contains("at least 1"), "{}", r.stderr);
    assert_eq!(entries(tmp.path()), ["out"]);
}

#[test]
fn meanfield_bounds_its_work() {
    let tmp = TempDir::new("meanfield_days");
    for args in [&["--days", "1e9"][..], &["--dt", "1e-9"], &["--days", "1e6", "--every", "0.1"], &["--days", "-1"]] {
        let mut all = vec!["meanfield"];
        all.extend(args);
        let r = bmu(tmp.path(), &all).code(2);
        assert!(r.stdout.is_empty(), "{args:?} computed anyway");
        assert!(r.stderr.contains("meanfield:"), "{args:?}: {}", r.stderr);
    }
}

#[test]
fn validate_prints_the_estimate_and_run_refuses_what_exceeds_the_machine() {
    let tmp = TempDir::new("limits");
    let r = bmu(tmp.path(), &["validate", SMOKE, "--threads", "1"]).ok();
    for what in ["estimate: wall time", "on 1 thread(s)", "peak memory", "output"] {
        assert!(r.stdout.contains(what), "validate does not print `{what}`:\n{}", r.stdout);
    }
    let huge = ["--set", "sites=10000000", "--set", "years=1000", "--set", "mitochondria_per_cell=100000"];
    let r = bmu(tmp.path(), &[&["validate", SMOKE][..], &huge[..]].concat()).ok();
    assert!(r.stdout.contains("`run` would refuse it"), "{}", r.stdout);
    let r = bmu(tmp.path(), &[&["run", SMOKE, "--out", "out"][..], &huge[..]].concat()).code(5);
    assert!(r.stderr.contains("--no-limits") && r.stderr.contains("days"), "{}", r.stderr);
    let r = bmu(tmp.path(), &[&["calibrate", SMOKE][..], &huge[..]].concat()).code(5);
    assert!(r.stderr.contains("--no-limits"), "{}", r.stderr);
    assert!(entries(tmp.path()).is_empty(), "a refused run wrote files");
}

#[test]
fn the_manifest_says_when_how_fast_and_from_which_commit() {
    let tmp = TempDir::new("provenance");
    let dir = run_ok(&tmp, SMOKE, "out", &["--set", "days=10"]);
    let m: serde_json::Value = serde_json::from_str(&read(&dir.join("manifest.json"))).expect("manifest");
    let stamp = m["timestamp"].as_str().expect("timestamp");
    let shape: String = stamp.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }).collect();
    assert_eq!(shape, "0000-00-00T00:00:00Z", "not RFC 3339 UTC: {stamp}");
    assert!(m["wall_seconds"].as_f64().is_some_and(|s| s > 0.0), "{m}");
    if std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.git")).exists() {
        let commit = m["git_commit"].as_str().expect("built from a checkout: git_commit");
        assert!(commit.len() == 40 && commit.chars().all(|c| c.is_ascii_hexdigit()), "{commit}");
        assert!(m["git_dirty"].is_boolean(), "{m}");
    }
}

#[test]
fn progress_goes_to_stderr_as_timestamped_lines_unless_quiet() {
    let tmp = TempDir::new("progress");
    let r = bmu(tmp.path(), &["run", SMOKE, "--out", "a", "--set", "days=10"]).ok();
    let line = r.stderr.lines().next().expect("a plan line on stderr");
    let (stamp, rest) = line.split_once(' ').expect("timestamp first");
    assert!(stamp.len() == 20 && stamp.ends_with('Z') && stamp.contains('T'), "{line}");
    assert!(rest.starts_with("bmu-sim: 2 scenario(s) × 3 replicate(s)") && rest.contains("estimated"), "{line}");
    let r = bmu(tmp.path(), &["run", SMOKE, "--out", "b", "--set", "days=10", "--quiet"]).ok();
    assert!(r.stderr.is_empty(), "--quiet printed: {}", r.stderr);
    let r = bmu(tmp.path(), &["calibrate", SMOKE, "--replicates", "2", "--set", "days=30"]).ok();
    assert!(r.stderr.contains("bmu-sim: calibrating from 2 replicate(s)"), "{}", r.stderr);
}
