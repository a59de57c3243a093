//! The command in a shell: a config from standard input (`run -`, `validate -`), completion
//! scripts and manual pages.

use crate::common::*;
use std::io::Write;
use std::process::{Command, Stdio};

/// Run the binary with `input` on its standard input.
fn with_stdin(tmp: &TempDir, args: &[&str], input: &str) -> Run {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(tmp.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
    let out = child.wait_with_output().expect("wait");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

const TINY: &str = "days = 10\nreplicates = 2\n[params]\nsites = 2\nmitochondria_per_cell = 10\n";

#[test]
fn a_config_on_standard_input_runs_as_from_a_file() {
    let tmp = TempDir::new("stdin");
    let r = with_stdin(&tmp, &["validate", "-"], TINY).ok();
    assert!(r.stdout.contains("config <stdin>: valid"), "{}", r.stdout);
    let r = with_stdin(&tmp, &["run", "-", "--quiet"], TINY).ok();
    assert!(r.stdout.contains("wrote out/stdin"), "the default directory is out/stdin: {}", r.stdout);
    let file = tmp.write("tiny.toml", TINY);
    let from_file = run_ok(&tmp, file.to_str().unwrap(), "file", &[]);
    let from_stdin = tmp.join("out/stdin");
    for f in ["timeseries.csv", "summary.csv", "effects.csv", "config.toml"] {
        let (a, b) = (read(&from_file.join(f)), read(&from_stdin.join(f)));
        let b = b.replace("<stdin>", file.to_str().unwrap());
        assert_eq!(a, b, "{f} differs between the file and standard input");
    }
    let e = with_stdin(&tmp, &["validate", "-"], "days = -1\n").code(3);
    assert!(e.stderr.starts_with("bmu-sim: error: <stdin>:1:8: key `days`"), "{}", e.stderr);
    let e = bmu(tmp.path(), &["slurm", "-", "--out", "s", "--shards", "2"]).code(2);
    assert!(e.stderr.contains("not `-`"), "{}", e.stderr);
}

#[test]
fn completions_and_manual_pages_come_from_the_parser() {
    let tmp = TempDir::new("shell");
    for (shell, mark) in
        [("bash", "complete -F _bmu__sim"), ("zsh", "#compdef bmu-sim"), ("fish", "complete -c bmu-sim")]
    {
        let r = bmu(tmp.path(), &["completions", shell]).ok();
        assert!(r.stdout.contains(mark), "{shell}: no `{mark}`");
        assert!(r.stdout.contains("validate") && r.stdout.contains("strict"), "{shell}: commands and flags");
    }
    bmu(tmp.path(), &["completions", "tcsh"]).code(2);
    let page = bmu(tmp.path(), &["man"]).ok().stdout;
    assert!(page.contains(".TH bmu-sim 1") && page.contains("bmu\\-sim\\-run(1)"), "{page}");
    let run = bmu(tmp.path(), &["man", "run"]).ok().stdout;
    assert!(run.contains(".TH bmu-sim-run 1") && run.contains("\\-\\-resume"), "{run}");
    let e = bmu(tmp.path(), &["man", "valdate"]).code(2);
    assert!(e.stderr.contains("did you mean `validate`?"), "{}", e.stderr);
}
