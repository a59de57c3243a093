//! Resume (issue 9): a run keeps every finished unit on disk as it goes. Killed at any moment
//! (`kill -9`) it leaves no half-written result under a final name, and `--resume` finishes it
//! byte-identical to an uninterrupted run; SIGTERM and SIGINT stop it after the running units and
//! say how to resume; a full disk ends with a clear message and keeps what was finished; a changed
//! config is refused.

use crate::common::*;
use crate::shards::unit_files;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// When to kill a run: a name, and what the run directory shows at that moment.
type Moment<'a> = (&'a str, &'a dyn Fn(&Path) -> bool);

/// Eight units of about half a second each on one thread.
const EIGHT: [&str; 4] = ["--replicates", "4", "--threads", "1"];

/// Start `run SMOKE --out out EIGHT extra…` and return it once `ready(out)` holds (checked every
/// few milliseconds, for at most two minutes), or once it has exited.
fn start_until(tmp: &TempDir, extra: &[&str], ready: impl Fn(&Path) -> bool) -> Child {
    let out = tmp.join("out");
    let mut args = vec!["run", SMOKE, "--out", out.to_str().unwrap(), "--quiet"];
    args.extend(EIGHT);
    args.extend_from_slice(extra);
    let mut child = Command::new(BIN)
        .args(&args)
        .current_dir(tmp.path())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn bmu-sim");
    let start = Instant::now();
    while !ready(&out) && child.try_wait().expect("try_wait").is_none() && start.elapsed() < Duration::from_secs(120) {
        std::thread::sleep(Duration::from_millis(2));
    }
    child
}

fn units_done(out: &Path) -> usize {
    if out.join("units").is_dir() { unit_files(out).len() } else { 0 }
}

/// Publishing has begun: the hidden results directory (`.results.<n>~<host>~<pid>`) exists.
fn publishing(out: &Path) -> bool {
    std::fs::read_dir(out).is_ok_and(|d| d.flatten().any(|e| e.file_name().to_string_lossy().starts_with(".results.")))
}

/// Every result under a final name in `out` is complete: the same bytes as in `whole`.
fn no_partial_results(out: &Path, whole: &Path) {
    for (name, bytes) in tree(out) {
        if name.starts_with("units/") || name.starts_with('.') {
            continue;
        }
        if name == "manifest.json" {
            assert_eq!(manifest_sans_command(out), manifest_sans_command(whole));
        } else {
            assert!(bytes == read_bytes(&whole.join(&name)), "{name} is under its final name but incomplete");
        }
    }
}

fn resume(tmp: &TempDir) -> Run {
    let out = tmp.join("out");
    let mut args = vec!["run", SMOKE, "--out", out.to_str().unwrap(), "--quiet", "--resume"];
    args.extend(EIGHT);
    bmu(tmp.path(), &args)
}

#[test]
fn killed_at_any_moment_a_run_leaves_no_partial_result_and_resume_matches_an_uninterrupted_run() {
    let tmp = TempDir::new("kill9");
    let whole = run_ok(&tmp, SMOKE, "whole", &EIGHT);
    let moments: [Moment; 4] = [
        ("as the run starts", &|out| out.join("units").is_dir()),
        ("after the first unit", &|out| units_done(out) >= 1),
        ("half-way", &|out| units_done(out) >= 4),
        ("while publishing", &publishing),
    ];
    for (when, ready) in moments {
        let mut child = start_until(&tmp, &[], ready);
        let running = child.try_wait().expect("try_wait").is_none();
        child.kill().expect("kill -9");
        child.wait().expect("wait");
        let out = tmp.join("out");
        assert!(running, "{when}: the run ended before it could be killed");
        no_partial_results(&out, &whole);
        let r = resume(&tmp).ok();
        assert!(r.stdout.contains("wrote"), "{when}: {}", r.stdout);
        assert_same_results(&whole, &out);
        assert_eq!(entries(tmp.path()), ["out", "whole"], "{when}: something was left beside the run");
        std::fs::remove_dir_all(&out).expect("clean up");
    }
}

#[test]
fn sigterm_and_sigint_stop_after_the_running_units_and_say_how_to_resume() {
    let tmp = TempDir::new("signals");
    let whole = run_ok(&tmp, SMOKE, "whole", &EIGHT);
    for signal in ["TERM", "INT"] {
        let child = start_until(&tmp, &[], |out| units_done(out) >= 1);
        let sent = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status();
        assert!(sent.expect("kill").success());
        let output = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(6), "SIG{signal}: {stderr}");
        assert!(stderr.contains("stopped by a signal") && stderr.contains("--resume"), "{stderr}");
        let out = tmp.join("out");
        let done = units_done(&out);
        assert!((1..8).contains(&done), "SIG{signal}: {done} units on disk");
        assert!(stderr.contains(&format!("{done} of 8 units are done")), "SIG{signal}: {stderr}");
        assert_eq!(entries(&out), ["units"], "SIG{signal}: results written after a stop");
        resume(&tmp).ok();
        assert_same_results(&whole, &out);
        std::fs::remove_dir_all(&out).expect("clean up");
    }
}

#[test]
fn a_second_signal_stops_at_once_and_still_says_how_to_resume() {
    let tmp = TempDir::new("two-signals");
    let child = start_until(&tmp, &[], |out| units_done(out) >= 1);
    let pid = child.id().to_string();
    let sent = Command::new("sh").args(["-c", &format!("kill -INT {pid}; kill -INT {pid}")]).status();
    assert!(sent.expect("kill").success());
    let output = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(6), "{stderr}");
    assert!(stderr.contains("run it again to finish:") && stderr.contains("--resume"), "{stderr}");
    resume(&tmp).ok();
    assert_eq!(entries(&tmp.join("out")), RUN_FILES, "resumed to the end");
}

#[test]
fn an_unfinished_run_needs_resume_and_refuses_a_changed_config() {
    let tmp = TempDir::new("unfinished");
    let mut child = start_until(&tmp, &[], |out| units_done(out) >= 1);
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    let out = tmp.join("out");
    let o = out.to_str().unwrap();
    let before = tree(&out);
    let plain = bmu(tmp.path(), &["run", SMOKE, "--out", o, "--replicates", "4"]).code(4);
    assert!(
        plain.stderr.contains("unfinished run of this config") && plain.stderr.contains("--resume"),
        "{}",
        plain.stderr
    );
    let changed = bmu(tmp.path(), &["run", SMOKE, "--out", o, "--replicates", "4", "--seed", "8", "--resume"]).code(4);
    assert!(changed.stderr.contains("another config"), "{}", changed.stderr);
    assert!(tree(&out) == before, "a refused run changed the unfinished one");
    bmu(tmp.path(), &["run", SMOKE, "--out", o, "--replicates", "4", "--seed", "8", "--force", "-q"]).ok();
    assert_eq!(entries(&out), RUN_FILES, "--force did not start over");
}

#[test]
fn a_full_disk_ends_with_a_clear_message_and_keeps_the_finished_units() {
    let tmp = TempDir::new("full");
    let whole = run_ok(&tmp, SMOKE, "whole", &["--set", "record_every_days=1"]);
    // Files may grow to 64 KiB: every unit fits, timeseries.csv does not. SIGXFSZ is ignored, so
    // a write past the limit fails as on a full disk.
    let out = tmp.join("out");
    let script = format!(
        "trap '' XFSZ; ulimit -f 64; exec {BIN} run {SMOKE} --out {} --quiet --set record_every_days=1",
        out.display()
    );
    let output = Command::new("bash").args(["-c", &script]).current_dir(tmp.path()).output().expect("bash");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert!(stderr.starts_with("bmu-sim: error: ") && stderr.contains(".csv: File too large"), "{stderr}");
    assert_eq!(entries(&out), ["units"], "a result under its final name after a failed write");
    assert_eq!(unit_files(&out).len(), 6, "the finished units were not kept");
    let o = out.to_str().unwrap();
    bmu(tmp.path(), &["run", SMOKE, "--out", o, "--quiet", "--set", "record_every_days=1", "--resume"]).ok();
    assert_same_results(&whole, &out);
}
