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
const SHORT: [&str; 8] =
    ["--set", "days=20", "--set", "replicates=2", "--set", "spinup_days=0", "--set", "record_every_days=5"];

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
        assert!(
            resolved.contains("replicates = 2") && resolved.contains("days = 20"),
            "{stem}: overrides not applied:\n{resolved}"
        );

        let (h, rows) = csv(&dir.join("summary.csv"));
        let (sc, day, n) = (col(&h, "scenario"), col(&h, "day"), col(&h, "n"));
        // A `[sweep]` runs every scenario at every point, named `scenario@key=value`.
        let in_summary: BTreeSet<&str> = rows.iter().map(|r| r[sc].as_str()).collect();
        let swept = resolved.contains("[sweep]");
        let bases: BTreeSet<&str> = in_summary.iter().map(|s| s.split('@').next().unwrap()).collect();
        let want: BTreeSet<&str> = scenarios.iter().map(String::as_str).collect();
        assert_eq!(bases, want, "{stem}: summary.csv scenarios differ from config.toml's");
        assert!(
            in_summary.iter().all(|s| s.contains('@') == swept),
            "{stem}: swept = {swept} but summary.csv names {in_summary:?}"
        );
        for s in &in_summary {
            let days: BTreeSet<String> = rows.iter().filter(|r| r[sc] == *s).map(|r| r[day].clone()).collect();
            assert!(days.contains("20"), "{stem}/{s}: no row at the last day (20): {days:?}");
            assert_eq!(days.len(), 5, "{stem}/{s}: expected days 0, 5, 10, 15, 20: {days:?}");
        }
        // A mean over cells or quiescent sites, or a rate since the previous row, is undefined in
        // a replicate without any (day 0 without a spin-up; komarova2003's one busy site): left
        // out, so n counts the replicates that define it (docs/plots.md).
        let undefinable = |m: &str| m.starts_with("mean_") || m.ends_with("_per_cell") || m.ends_with("_sd");
        // The markers need a spin-up for their baseline (the shortened configs have none).
        let rate = |m: &str| ["osteoclast_apoptosis", "mitophagy_events", "ctx_pct", "p1np_pct"].contains(&m);
        let odd = rows.iter().find(|r| r[n] != "2" && !(undefinable(&r[2]) || rate(&r[2])));
        assert!(odd.is_none(), "{stem}: every summary row should have n = 2 replicates: {odd:?}");

        let (h, runs) = csv(&dir.join("runs.csv"));
        assert_eq!(runs.len(), 2 * in_summary.len(), "{stem}: runs.csv should have replicates x scenarios rows");
        let fbd = col(&h, "final_bone_density");
        for r in &runs {
            let x: f64 =
                r[fbd].parse().unwrap_or_else(|_| panic!("{stem}: final_bone_density `{}` is not a number", r[fbd]));
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
    assert!(r.stdout.contains("Usage: bmu-sim run") && r.stdout.contains("--out"), "{}", r.stdout);
    let r = bmu(tmp.path(), &["params"]).ok();
    assert!(r.stdout.contains("damage_per_day"), "{}", r.stdout);
    // Every parameter the table lists is accepted by --set with its own default.
    let mut defaults = Vec::new();
    for line in r.stdout.lines().skip(2).take_while(|l| !l.is_empty()) {
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
fn params_finds_keys_kinds_and_fields_by_pattern_in_markdown_and_json() {
    let tmp = TempDir::new("params_pattern");
    let all = bmu(tmp.path(), &["params"]).ok().stdout;
    for section in ["## Run-level keys", "## Intervention fields", "## Intervention kinds"] {
        assert!(all.contains(section), "no {section} in:\n{all}");
    }
    assert!(all.contains("| `record_every_days` |") && all.contains("| `ramp_days` |"), "{all}");
    let r = bmu(tmp.path(), &["params", "Denosumab"]).ok().stdout;
    assert!(
        r.contains("| `denosumab_rankl_block` | 0.85 |") && r.contains("| `denosumab` | proportional up to"),
        "{r}"
    );
    assert!(!r.contains("damage_per_day") && !r.contains("## Run-level"), "only what matches: {r}");
    let r = bmu(tmp.path(), &["params", "damage", "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&r).expect("params --json is JSON");
    let keys: Vec<&str> =
        v["parameters"].as_array().expect("parameters").iter().map(|p| p["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"damage_per_day") && keys.iter().all(|k| k.contains("damage")), "{keys:?}");
    assert!(v["parameters"][0]["default"].as_f64().is_some(), "defaults are JSON numbers: {r}");
    let kinds = bmu(tmp.path(), &["params", "knockout", "--json"]).ok().stdout;
    let v: serde_json::Value = serde_json::from_str(&kinds).expect("JSON");
    let pink1 = v["intervention_kinds"].as_array().expect("kinds").iter().find(|k| k["kind"] == "pink1_knockout");
    assert_eq!(pink1.expect("pink1_knockout")["max_strength"], 1.0, "{kinds}");
    let e = bmu(tmp.path(), &["params", "damge_per_day"]).code(2);
    assert!(e.stderr.contains("did you mean `damage_per_day`?"), "{}", e.stderr);
}

#[test]
fn the_parameter_reference_in_docs_is_current() {
    let tmp = TempDir::new("params_doc");
    let table = bmu(tmp.path(), &["params"]).ok().stdout;
    let doc = read(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/parameters.md")));
    assert!(doc.ends_with(&table), "docs/parameters.md is stale: regenerate it from `bmu-sim params`");
}

#[test]
fn calibrate_fits_the_stationary_mineral_fraction() {
    let tmp = TempDir::new("calibrate");
    let out = bmu(tmp.path(), &["calibrate", SMOKE, "--replicates", "2"]).ok().stdout;
    let line =
        out.lines().find(|l| l.starts_with("initial_mineral_fraction")).unwrap_or_else(|| panic!("no fit in {out}"));
    let m: f64 = line.split(['=', '#']).nth(1).expect("value").trim().parse().expect("number");
    assert!(m > 0.8 && m < 0.9, "remodelling at ~25 %/year keeps the mineral fraction between 0.8 and 0.9: {m}");
    assert!(!out.contains("k2_pct_per_cell_day"), "the balance is not fitted: {out}");
    assert!(!out.contains("initial_cortical_mineral_fraction"), "no cortical sites, no cortical fit: {out}");
}

#[test]
fn calibrate_fits_the_cortical_sites_stationary_mineral_fraction_too() {
    let tmp = TempDir::new("calibrate_cortical");
    let args = ["calibrate", SMOKE, "--replicates", "2", "--set", "cortical_sites=40", "--quiet"];
    let out = bmu(tmp.path(), &args).ok().stdout;
    let fit = |key: &str| -> f64 {
        let line = out.lines().find(|l| l.starts_with(key)).unwrap_or_else(|| panic!("no {key} in {out}"));
        line.split(['=', '#']).nth(1).expect("value").trim().parse().expect("number")
    };
    let (cancellous, cortical) = (fit("initial_mineral_fraction "), fit("initial_cortical_mineral_fraction "));
    assert!(cancellous > 0.8 && cancellous < 0.9, "the cancellous fit is as without cortical sites: {cancellous}");
    assert!(cortical > 0.93 && cortical <= 1.0, "slow cortical turnover leaves its bone more mineralised: {cortical}");
    assert!(out.contains("from the 40 cortical sites alone"), "{out}");
}

#[test]
fn the_defaults_are_a_steady_adult_tissue() {
    // Every parameter at its default but the tissue's size and the cells' mitochondria (fewer, for
    // speed): after a year's spin-up, two years of untreated remodelling leave bone where it was.
    let tmp = TempDir::new("defaults");
    let config = tmp.write("defaults.toml", "replicates = 4\nyears = 2\nspinup_years = 1\nrecord_every_days = 73\n[params]\nsites = 300\nmitochondria_per_cell = 30\n");
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (day, metric, mean, lo, hi) =
        (col(&h, "day"), col(&h, "metric"), col(&h, "mean"), col(&h, "ci_lo"), col(&h, "ci_hi"));
    for m in ["bone_density", "bone_mass"] {
        let last = rows.iter().rfind(|r| r[metric] == m).expect("rows");
        assert_eq!(last[day], "730");
        let (x, l, u): (f64, f64, f64) =
            (last[mean].parse().unwrap(), last[lo].parse().unwrap(), last[hi].parse().unwrap());
        eprintln!("defaults: {m} {x:.2} ({l:.2}–{u:.2}) at two years");
        assert!((x - 100.0).abs() < 1.5 && l < 100.5 && u > 99.5, "{m} moved to {x} ({l}–{u}) in two untreated years");
    }
}

/// Steady within its noise: the mean stays within 4 standard errors of 100 (a 95 % interval
/// would fail one seed in twenty of a steady tissue; three replicates estimate the spread too
/// poorly, so this runs six).
#[test]
fn the_smoke_configs_untreated_tissue_is_steady_within_its_noise() {
    let tmp = TempDir::new("smoke_steady");
    let dir = run_ok(&tmp, SMOKE, "out", &["--replicates", "6"]);
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (sc, metric, n, mean, sd) =
        (col(&h, "scenario"), col(&h, "metric"), col(&h, "n"), col(&h, "mean"), col(&h, "sd"));
    let last = rows.iter().rfind(|r| r[sc] == "untreated" && r[metric] == "bone_mass").expect("rows");
    let (x, s, n): (f64, f64, f64) = (last[mean].parse().unwrap(), last[sd].parse().unwrap(), last[n].parse().unwrap());
    let se = s / n.sqrt();
    assert!(se > 0.0 && (x - 100.0).abs() < 4.0 * se, "untreated bone mass {x} (se {se}) after 120 days");
}
