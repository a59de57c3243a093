//! The README works as written: every command in its `sh` blocks, then in those of the manual
//! pages it links (docs/scaling.md, docs/reference.md), runs, in order, in a fresh
//! directory holding only `configs/` (a fresh clone), through the built binary, under GNU
//! parallel where a command says `parallel` (required where `.ci/run` installs it,
//! `BMU_SIM_REQUIRE_CLUSTER=1`); commands that are not the binary's (`cargo test`) must be run by
//! `.ci/run`. Its example config validates.

use crate::common::*;
use std::path::Path;
use std::process::Command;

const README: &str = include_str!("../../README.md");
/// The manual pages the README links, whose commands run after its own, in this order.
const MANUAL: [&str; 2] = [include_str!("../../docs/scaling.md"), include_str!("../../docs/reference.md")];
const CI: &str = include_str!("../../.ci/run");

/// README commands that run for minutes, with settings that keep them small here.
const SHRUNK: [(&str, &[&str]); 8] = [
    ("run", SMALL),
    ("run configs/treatments.toml", SMALL),
    ("run configs/mitophagy.toml", SMALL),
    ("run configs/mitophagy_sweep.toml", SMALL),
    ("run configs/regimens.toml", SMALL),
    ("run configs/virtual_trial.toml", SMALL),
    ("run configs/trials.toml", SMALL),
    ("run configs/anabolics.toml", SMALL),
];
const SMALL: &[&str] = &["--set", "sites=20", "--set", "years=0.1", "--set", "spinup_years=0", "--replicates", "2"];

/// The lines of every fenced block of `lang`, each block as one string.
fn blocks(lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in std::iter::once(README).chain(MANUAL).flat_map(str::lines) {
        match current.as_mut() {
            None if line.trim() == format!("```{lang}") => current = Some(String::new()),
            Some(block) if line.trim() == "```" => {
                out.push(std::mem::take(block));
                current = None;
            }
            Some(block) => {
                block.push_str(line);
                block.push('\n');
            }
            None => {}
        }
    }
    out
}

/// The commands of the `sh` blocks, comments and blank lines dropped.
fn commands() -> Vec<String> {
    blocks("sh")
        .iter()
        .flat_map(|b| b.lines().map(|l| l.split(" #").next().unwrap_or("").trim().to_string()).collect::<Vec<_>>())
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

#[test]
fn every_readme_command_runs() {
    let tmp = TempDir::new("readme");
    std::os::unix::fs::symlink(CONFIGS, tmp.join("configs")).expect("link configs/");
    let commands = commands();
    assert!(commands.len() >= 6, "too few README commands: {commands:?}");
    let mut parallel_ran = false;
    for command in &commands {
        if let Some(rest) = command.strip_prefix("parallel cargo run --release -- ") {
            parallel_ran = parallel(tmp.path(), rest);
            continue;
        }
        if !parallel_ran && command.contains("out/parallel") {
            eprintln!("skipped `{command}`: the `parallel` line before it did not run");
            continue;
        }
        let Some(rest) = command.strip_prefix("cargo run --release -- ") else {
            assert!(CI.lines().any(|l| l.trim() == command), "`{command}` is neither bmu-sim nor run by .ci/run");
            continue;
        };
        let mut args: Vec<&str> = rest.split_whitespace().collect();
        if let Some((_, small)) = SHRUNK.iter().find(|(c, _)| *c == rest) {
            args.extend_from_slice(small);
        }
        bmu(tmp.path(), &args).ok();
    }
    for dir in ["out/baseline", "out/smoke", "out/harsh", "out/smoke-again"] {
        assert_eq!(entries(&tmp.join(dir)), RUN_FILES, "the README's commands did not write {dir}");
    }
    for dir in ["out/treatments", "out/mitophagy_sweep"] {
        let written = entries(&tmp.join(dir));
        assert!(RUN_FILES.iter().all(|f| written.iter().any(|w| w == f)), "{dir} is incomplete: {written:?}");
    }
    let again = |d: &str| read_bytes(&tmp.join(d).join("timeseries.csv"));
    assert!(again("out/smoke") == again("out/smoke-again"), "rerunning config.toml did not repeat the run");
    assert_same_results(&tmp.join("out/smoke"), &tmp.join("out/sharded"));
    if parallel_ran {
        assert_same_results(&tmp.join("out/smoke"), &tmp.join("out/parallel"));
    }
    assert!(tmp.join("out/study-slurm/array.sbatch").is_file(), "the README's slurm command wrote no array job");
    assert!(tmp.join("out/komarova-ode.csv").is_file());
    assert!(tmp.join("out/smoke_morris/sensitivity.csv").is_file(), "the README's sensitivity wrote nothing");
}

/// Run `parallel BIN ARGS` for a README line `parallel cargo run --release -- ARGS`: GNU parallel
/// itself, so the README shows what works. False (with a note) where GNU parallel is missing and
/// not required.
fn parallel(cwd: &Path, args: &str) -> bool {
    let mut words = vec![BIN];
    words.extend(args.split_whitespace());
    match Command::new("parallel").args(&words).current_dir(cwd).output() {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "parallel {args}: {stderr}");
            true
        }
        Err(e) => {
            assert!(std::env::var("BMU_SIM_REQUIRE_CLUSTER").is_err(), "GNU parallel is required here: {e}");
            eprintln!("skipped the README's `parallel` line: {e} (`bash .ci/cluster start` installs GNU parallel)");
            false
        }
    }
}

#[test]
fn the_readme_example_config_is_valid() {
    let tmp = TempDir::new("readme_toml");
    let examples = blocks("toml");
    assert!(!examples.is_empty(), "no toml example in the README");
    for (i, text) in examples.iter().enumerate() {
        let path = tmp.write(&format!("example{i}.toml"), text);
        let r = bmu(tmp.path(), &["validate", path.to_str().unwrap()]).ok();
        assert!(r.stdout.contains("valid"), "{}", r.stdout);
    }
}

#[test]
fn the_readme_documents_every_exit_code_and_intervention() {
    let reference = MANUAL[1];
    let section = reference.split("**Exit codes.**").nth(1).expect("an exit-code table");
    for code in 0..=6 {
        assert!(section.contains(&format!("\n| {code} |")), "exit code {code} is not documented");
    }
    let interventions =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/config/interventions.rs"))
            .expect("read interventions.rs");
    for line in interventions.lines().filter(|l| l.trim_start().starts_with("(Kind::")) {
        let name = line.split('"').nth(1).expect("a kind's name");
        assert!(reference.contains(&format!("`{name}`")), "docs/reference.md does not list intervention `{name}`");
    }
}

#[test]
fn every_readme_picture_is_in_the_repository() {
    let pictures: Vec<&str> =
        README.split("](").skip(1).filter_map(|rest| rest.split(')').next()).filter(|p| p.ends_with(".png")).collect();
    assert!(pictures.len() >= 2, "the tour shows the treatments and the sweep: {pictures:?}");
    for p in pictures {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(p);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("README shows {p}: {e}"));
        assert!(bytes.starts_with(b"\x89PNG"), "{p} is not a PNG");
    }
}

#[test]
fn the_readme_describes_the_smoke_config_as_it_is() {
    let smoke: toml::Table = toml::from_str(&read(Path::new(SMOKE))).expect("smoke.toml parses");
    let int = |t: &toml::Table, k: &str| t[k].as_integer().unwrap_or_else(|| panic!("smoke.toml: no {k}"));
    let params = smoke["params"].as_table().expect("[params]");
    let words = ["zero", "one", "two", "three", "four", "five"];
    let said = README.split("**Run something small.**").nth(1).expect("the smoke paragraph");
    let said = said.split("```").next().unwrap_or_default().replace('\n', " ");
    let scenarios = smoke["scenario"].as_array().expect("scenarios").len();
    for want in [
        format!("has {} scenarios", words[scenarios]),
        format!("{} replicates each", words[int(&smoke, "replicates") as usize]),
        format!("{} days after a year's spin-up", int(&smoke, "days")),
        format!("on {} sites ({} mitochondria per cell)", int(params, "sites"), int(params, "mitochondria_per_cell")),
    ] {
        assert!(said.contains(&want), "the README's smoke paragraph should say `{want}`: {said}");
    }
    assert_eq!(int(&smoke, "spinup_days"), 365, "a year's spin-up");
}
