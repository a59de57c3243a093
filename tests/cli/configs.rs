//! Every shipped config validates and runs (shortened), and the informational commands work.

use crate::common::*;
use std::collections::BTreeSet;
use std::path::PathBuf;

/// Every run config (`*.toml`) in `configs/`, sorted; new configs are covered automatically.
/// `stress.toml` holds options of `bmu-sim stress`, not a run (tested in stress.rs).
fn shipped_configs() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(CONFIGS)
        .expect("read configs/")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.ends_with("stress.toml"))
        .collect();
    v.sort();
    assert!(v.len() >= 3, "expected at least baseline, komarova2003 and smoke in configs/: {v:?}");
    v
}

/// Shortens any config: keys every config accepts, leaving the tissue (`sites`, pulses) alone.
const SHORT: [&str; 8] = ["--set", "days=20", "--set", "replicates=2", "--set", "spinup_days=0", "--set", "record_every_days=5"];

#[test]
fn every_shipped_config_validates() {
    let tmp = TempDir::new("validate_all");
    for config in shipped_configs() {
        let path = config.to_str().unwrap();
        let r = bmu(tmp.path(), &["validate", path]).ok();
        assert!(r.stdout.contains("valid"), "{path}: {}", r.stdout);
        assert!(r.stderr.is_empty(), "{path}: validate warned: {}", r.stderr);
        bmu(tmp.path(), &["validate", path, "--set", "days=20", "--set", "replicates=2"]).ok();
    }
    assert!(entries(tmp.path()).is_empty(), "validate wrote files");
}

#[test]
fn every_shipped_config_runs_shortened() {
    let tmp = TempDir::new("run_all");
    for config in shipped_configs() {
        let stem = config.file_stem().unwrap().to_str().unwrap();
        let dir = run_ok(&tmp, config.to_str().unwrap(), stem, &SHORT);
        let scenarios = scenario_names(&dir.join("config.toml"));
        assert!(!scenarios.is_empty(), "{stem}: no scenarios in the resolved config");
        let resolved = read(&dir.join("config.toml"));
        assert!(resolved.contains("replicates = 2") && resolved.contains("days = 20"), "{stem}: overrides not applied:\n{resolved}");

        let (h, rows) = csv(&dir.join("summary.csv"));
        let (sc, day, n) = (col(&h, "scenario"), col(&h, "day"), col(&h, "n"));
        let in_summary: BTreeSet<&str> = rows.iter().map(|r| r[sc].as_str()).collect();
        let want: BTreeSet<&str> = scenarios.iter().map(String::as_str).collect();
        assert_eq!(in_summary, want, "{stem}: summary.csv scenarios differ from config.toml's");
        for s in &scenarios {
            let days: BTreeSet<String> = rows.iter().filter(|r| &r[sc] == s).map(|r| r[day].clone()).collect();
            assert!(days.contains("20"), "{stem}/{s}: no row at the last day (20): {days:?}");
            assert_eq!(days.len(), 5, "{stem}/{s}: expected days 0, 5, 10, 15, 20: {days:?}");
        }
        assert!(rows.iter().all(|r| r[n] == "2"), "{stem}: every summary row should have n = 2 replicates");

        let (h, runs) = csv(&dir.join("runs.csv"));
        assert_eq!(runs.len(), 2 * scenarios.len(), "{stem}: runs.csv should have replicates x scenarios rows");
        let fbd = col(&h, "final_bone_density");
        for r in &runs {
            let x: f64 = r[fbd].parse().unwrap_or_else(|_| panic!("{stem}: final_bone_density `{}` is not a number", r[fbd]));
            assert!(x > 0.0 && x < 200.0, "{stem}: implausible final bone density {x}");
        }
    }
}

#[test]
fn day_zero_is_written_as_zero() {
    let tmp = TempDir::new("minus_zero");
    let dir = run_ok(&tmp, SMOKE, "out", &SHORT);
    for f in ["timeseries.csv", "summary.csv"] {
        let (h, rows) = csv(&dir.join(f));
        let day = col(&h, "day");
        assert!(rows.iter().all(|r| r[day] != "-0"), "{f} has a day `-0`");
    }
}

#[test]
fn help_and_params_succeed() {
    let tmp = TempDir::new("help");
    let r = bmu(tmp.path(), &["run", "--help"]).ok();
    assert!(r.stdout.contains("usage:") && r.stdout.contains("--out"), "{}", r.stdout);
    let r = bmu(tmp.path(), &["params"]).ok();
    assert!(r.stdout.contains("damage_per_day"), "{}", r.stdout);
    // Every parameter the table lists is accepted by --set with its own default.
    let mut defaults = Vec::new();
    for line in r.stdout.lines().skip(2) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        assert!(cells.len() >= 4, "not a table row: {line}");
        defaults.push(format!("{}={}", cells[1].trim_matches('`'), cells[2]));
    }
    assert!(defaults.len() > 40, "too few parameters: {}", defaults.len());
    let mut args = vec!["validate", SMOKE];
    for d in &defaults {
        args.extend(["--set", d.as_str()]);
    }
    bmu(tmp.path(), &args).ok();
    let r = bmu(tmp.path(), &["--version"]).ok();
    assert!(r.stdout.starts_with("bmu-sim "), "{}", r.stdout);
}

#[test]
fn the_parameter_reference_in_docs_is_current() {
    let tmp = TempDir::new("params_doc");
    let table = bmu(tmp.path(), &["params"]).ok().stdout;
    let doc = read(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md")));
    assert!(doc.ends_with(&table), "docs/parameters.md is stale: regenerate it from `bmu-sim params`");
}

#[test]
fn calibrate_fits_a_positive_k2_and_a_mineral_fraction() {
    let tmp = TempDir::new("calibrate");
    let out = bmu(tmp.path(), &["calibrate", SMOKE, "--replicates", "2"]).ok().stdout;
    let value = |key: &str| -> f64 {
        let line = out.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no `{key}` in {out}"));
        line.split(['=', '#']).nth(1).expect("value").trim().parse().expect("number")
    };
    let k2 = value("k2_pct_per_cell_day");
    assert!(k2 > 0.0017 && k2 < 0.01, "the Ω = 1 cycle needs more formation than Komarova's k2: {k2}");
    let m = value("initial_mineral_fraction");
    assert!(m > 0.7 && m < 1.0, "{m}");
}
