//! What a run writes: the six files, their shapes and invariants, the manifest, the resolved
//! config's round trip, refusal to overwrite, and the mean-field ODE.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const METRICS: [&str; 15] = [
    "bone_density",
    "spine_bmd",
    "qct_vbmd",
    "spine_bmd_low_w",
    "spine_bmd_high_w",
    "hip_bmd",
    "ctx_pct",
    "p1np_pct",
    "osteoclasts",
    "osteoblasts",
    "precursors",
    "active_bmus",
    "mean_ros",
    "mean_atp",
    "mitophagy_events",
];

/// The metrics that are a mean or rate over cells, cell-days or quiescent sites: undefined in a
/// replicate that has none; and the markers, undefined without a turnover baseline.
const UNDEFINABLE: [&str; 10] = [
    "ctx_pct",
    "p1np_pct",
    "site_bone_sd",
    "mean_activity",
    "osteoclast_apoptosis",
    "mean_ros",
    "mean_atp",
    "mean_depolarised",
    "mitochondria_per_cell",
    "mitophagy_events",
];

fn num(s: &str, what: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("{what}: `{s}` is not a number"))
}

fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("manifest.json"))).expect("manifest.json parses")
}

#[test]
fn a_run_writes_consistent_tables_and_manifest() {
    let tmp = TempDir::new("outputs");
    let dir = run_ok(&tmp, SMOKE, "out", &[]);
    assert_eq!(entries(&dir), RUN_FILES, "unexpected files in the output directory");
    assert_eq!(entries(tmp.path()), ["out"], "staging directories were left behind");
    let scenarios = scenario_names(&dir.join("config.toml"));
    let m = manifest(&dir);
    let replicates = m["replicates"].as_u64().expect("manifest replicates");
    assert_eq!(replicates, 3, "smoke.toml has 3 replicates");
    assert_eq!(m["seed"].as_u64(), Some(7), "smoke.toml has seed 7");
    let hash = m["config_hash"].as_str().expect("manifest config_hash");
    assert!(hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()), "config_hash `{hash}`");
    let names: Vec<&str> = m["scenarios"].as_array().expect("scenarios").iter().filter_map(|s| s.as_str()).collect();
    assert_eq!(names, scenarios, "manifest and config.toml list different scenarios");

    // One untreated reference, shared by every scenario, and the bone law in force.
    assert_eq!(m["bone_law"].as_str(), Some("coupled"));
    let reference = &m["reference"];
    let get = |k: &str| reference[k].as_f64().unwrap_or_else(|| panic!("reference.{k} missing or null: {reference}"));
    assert!(get("atp") > 0.0, "atp {}", get("atp"));
    let dep = get("depolarised_fraction");
    assert!((0.0..=1.0).contains(&dep), "depolarised_fraction {dep}");
    let p = get("p_diff");
    assert!(p > 0.0 && p <= 1.0, "p_diff {p}");

    // histomorphometry.csv: one row per scenario, replicate and recorded year (120 days: one).
    let (h, rows) = csv(&dir.join("histomorphometry.csv"));
    assert_eq!(
        h.join(","),
        "scenario,replicate,year,activation_per_site_per_year,resorption_days,reversal_days,formation_days,eroded_pct,formed_pct,balance_pct,remodelling_space_pct,turnover_pct_per_year"
    );
    assert_eq!(rows.len(), scenarios.len() * replicates as usize);
    assert!(rows.iter().all(|r| r[2] == "1"), "120 days are in year 1");
    for r in &rows {
        let space = num(&r[col(&h, "remodelling_space_pct")], "remodelling_space_pct");
        assert!(space > 0.0 && space < 30.0, "remodelling space {space} in {r:?}");
    }

    // summary.csv: one row per scenario, day and metric, with the CI around the mean.
    let (h, rows) = csv(&dir.join("summary.csv"));
    assert_eq!(h.join(","), "scenario,day,metric,n,mean,sd,ci_lo,ci_hi");
    let metrics: BTreeSet<&str> = rows.iter().map(|r| r[2].as_str()).collect();
    for want in METRICS {
        assert!(metrics.contains(want), "summary.csv has no metric {want}");
    }
    let mut seen = BTreeSet::new();
    for r in &rows {
        let what = r.join(",");
        assert!(seen.insert((r[0].clone(), r[1].clone(), r[2].clone())), "duplicate summary row {what}");
        let n = num(&r[3], &what) as u64;
        assert!(n <= replicates, "n is more than the replicate count: {what}");
        if n < replicates {
            // Only a mean over cells or cell-days can be undefined in a replicate (no cells).
            assert!(UNDEFINABLE.contains(&r[2].as_str()), "{what}");
        }
        if n == 0 {
            assert!(r[4..].iter().all(String::is_empty), "no defined value, no statistics: {what}");
            continue;
        }
        let (mean, sd, lo, hi) = (num(&r[4], &what), num(&r[5], &what), num(&r[6], &what), num(&r[7], &what));
        assert!(lo <= mean && mean <= hi, "CI does not contain the mean: {what}");
        assert!(sd >= 0.0, "negative sd: {what}");
    }
    assert_eq!(seen.len(), rows.len());

    // timeseries.csv: exactly one row per (scenario, replicate, recorded day 0, 10, …, 120).
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (sc, rep, day) = (col(&h, "scenario"), col(&h, "replicate"), col(&h, "day"));
    for metric in METRICS {
        col(&h, metric);
    }
    let got: BTreeSet<(String, u64, u64)> =
        rows.iter().map(|r| (r[sc].clone(), num(&r[rep], "replicate") as u64, num(&r[day], "day") as u64)).collect();
    assert_eq!(got.len(), rows.len(), "duplicate (scenario, replicate, day) rows in timeseries.csv");
    let want: BTreeSet<(String, u64, u64)> = scenarios
        .iter()
        .flat_map(|s| (0..replicates).flat_map(move |r| (0..=12).map(move |d| (s.clone(), r, d * 10))))
        .collect();
    assert_eq!(got, want, "timeseries.csv rows are not scenarios x replicates x recorded days");

    // The mean in summary.csv is the mean over replicates in timeseries.csv.
    let bd = col(&h, "bone_density");
    let mut by_key: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for r in &rows {
        by_key.entry((r[sc].clone(), r[day].clone())).or_default().push(num(&r[bd], "bone_density"));
    }
    let (_, summary) = csv(&dir.join("summary.csv"));
    for r in summary.iter().filter(|r| r[2] == "bone_density") {
        let xs = &by_key[&(r[0].clone(), r[1].clone())];
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!(
            (mean - num(&r[4], "mean")).abs() < 1e-9 * mean.abs().max(1.0),
            "summary mean differs: {r:?} vs {xs:?}"
        );
    }
}

#[test]
fn the_resolved_config_reproduces_the_run() {
    let tmp = TempDir::new("roundtrip");
    let first = run_ok(&tmp, SMOKE, "first", &["--set", "days=40", "--threads", "1"]);
    let resolved = first.join("config.toml");
    let second = run_ok(&tmp, resolved.to_str().unwrap(), "second", &["--threads", "1"]);
    for f in ["timeseries.csv", "summary.csv", "runs.csv"] {
        assert!(read_bytes(&first.join(f)) == read_bytes(&second.join(f)), "{f} differs when re-run from config.toml");
    }
    let body = |d: &Path| read(&d.join("config.toml")).lines().skip(1).collect::<Vec<_>>().join("\n");
    assert_eq!(body(&first), body(&second), "the resolved config is not a fixed point");
}

#[test]
fn config_hash_identifies_the_config_not_its_path() {
    let tmp = TempDir::new("hash");
    let copy = tmp.write("copy.toml", read_bytes(Path::new(SMOKE)));
    let a = run_ok(&tmp, SMOKE, "a", &["--set", "days=10"]);
    let b = run_ok(&tmp, copy.to_str().unwrap(), "b", &["--set", "days=10"]);
    assert_eq!(manifest(&a)["config_hash"], manifest(&b)["config_hash"], "same config, different config_hash");
}

#[test]
fn an_existing_output_directory_needs_force() {
    let tmp = TempDir::new("force");
    let dir = run_ok(&tmp, SMOKE, "out", &["--set", "days=20"]);
    std::fs::write(dir.join("notes.txt"), "mine").expect("write notes");
    let before = tree(&dir);
    let dir_s = dir.to_str().unwrap();

    let r = bmu(tmp.path(), &["run", SMOKE, "--out", dir_s, "--quiet", "--set", "days=20", "--seed", "99"]).no_panic();
    assert_ne!(r.code, Some(0), "overwrote an existing directory without --force");
    assert!(r.stderr.contains("bmu-sim: error:") && r.stderr.contains(dir_s), "{}", r.stderr);
    let after = tree(&dir);
    assert!(before == after, "a refused run changed the existing directory");
    assert_eq!(entries(tmp.path()), ["out"], "a refused run left a staging directory");

    bmu(tmp.path(), &["run", SMOKE, "--out", dir_s, "--quiet", "--set", "days=20", "--seed", "99", "--force"]).ok();
    assert_eq!(entries(&dir), RUN_FILES, "--force did not replace the directory");
    assert_eq!(manifest(&dir)["seed"].as_u64(), Some(99), "--force kept the old results");
    assert_eq!(entries(tmp.path()), ["out"]);

    // An existing empty directory is fine without --force.
    let empty = tmp.join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    bmu(tmp.path(), &["run", SMOKE, "--out", empty.to_str().unwrap(), "--quiet", "--set", "days=10"]).ok();
    assert_eq!(entries(&empty), RUN_FILES);
}

#[test]
fn meanfield_reaches_the_komarova_minimum() {
    let tmp = TempDir::new("meanfield");
    let r = bmu(tmp.path(), &["meanfield", "--days", "200"]).ok();
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("day,x1,x2,z"));
    let rows: Vec<Vec<f64>> = lines.map(|l| l.split(',').map(|x| num(x, l)).collect()).collect();
    assert!(rows.len() >= 201, "only {} rows", rows.len());
    assert!(rows.iter().all(|r| r.len() == 4), "ragged meanfield rows");
    assert_eq!(rows[0][0], 0.0);
    assert!((rows.last().unwrap()[0] - 200.0).abs() < 1e-6, "last day {}", rows.last().unwrap()[0]);
    assert!(rows.windows(2).all(|w| w[1][0] > w[0][0]), "days are not increasing");
    let zmin = rows.iter().map(|r| r[3]).fold(f64::INFINITY, f64::min);
    assert!((zmin - 89.79).abs() <= 0.02, "minimum bone mass {zmin}, expected 89.79 ± 0.02");
    assert!((rows[0][3] - 100.0).abs() < 1e-9, "z starts at 100");
}

#[test]
fn the_table_and_page_lead_with_the_readout_the_targets_use() {
    let tmp = TempDir::new("headline");
    let treatments = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/treatments.toml");
    let args = ["--set", "sites=6", "--set", "cortical_sites=6", "--set", "years=0.2", "--set", "spinup_years=0"];
    let mut run = vec!["run", treatments, "--out", "t", "--replicates", "2"];
    run.extend(args);
    let r = bmu(tmp.path(), &run).ok();
    assert!(
        r.stdout.starts_with("spine BMD at day 73 (% of day 0)"),
        "treatments' targets are on spine_bmd:\n{}",
        r.stdout
    );
    let page = std::fs::read_to_string(tmp.path().join("t/index.html")).expect("index.html");
    assert!(page.contains("<h2>Spine BMD</h2>"), "the page leads with spine BMD");
    assert!(page.contains("<th>spine_bmd</th>"), "the effects table has spine_bmd");
    let smoke = bmu(tmp.path(), &["run", SMOKE, "--out", "s", "--replicates", "1", "--set", "years=0.1"]).ok();
    assert!(smoke.stdout.starts_with("bone density at day"), "no targets: bone density leads:\n{}", smoke.stdout);
}

#[test]
fn the_embedded_baseline_is_titled_by_its_file_and_one_scenario_shows_no_empty_effects() {
    let tmp = TempDir::new("one-scenario");
    let sets = ["--set", "sites=4", "--set", "years=0.1", "--set", "spinup_years=0"];
    let mut run = vec!["run", "--out", "b", "--replicates", "1"];
    run.extend(sets);
    bmu(tmp.path(), &run).ok();
    let page = std::fs::read_to_string(tmp.path().join("b/index.html")).expect("index.html");
    assert!(page.contains("<title>bmu-sim · baseline.toml</title>"), "the page's title names the file");
    assert!(!page.contains("Effects at the last"), "no effects table without a scenario to compare");
}
