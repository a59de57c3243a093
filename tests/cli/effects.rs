//! Comparison outputs: `effects.csv` against differences computed by hand from `timeseries.csv`,
//! common random numbers against independent streams, n = 1, the reference key, clamped summary
//! intervals, `targets.csv` and the end-of-run table.

use crate::common::*;
use crate::errors::{refused, refused_with};
use std::collections::BTreeMap;
use std::path::Path;

/// Two scenarios that differ, three replicates, 40 days: a second or two.
const TWO: &str = "seed = 11\nreplicates = 3\ndays = 40\nspinup_days = 60\nrecord_every_days = 10\n\
[params]\nsites = 12\ndt_days = 0.25\nmitochondria_per_cell = 30\n\
[[scenario]]\nname = \"control\"\n\
[[scenario]]\nname = \"knockout\"\n[[scenario.intervention]]\nkind = \"pink1_knockout\"\n";

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("`{s}` is not a number"))
}

/// (scenario, day) → per-replicate values of `metric`, replicates in order (NaN if undefined).
fn by_scenario_day(dir: &Path, metric: &str) -> BTreeMap<(String, String), Vec<f64>> {
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (sc, day, m) = (col(&h, "scenario"), col(&h, "day"), col(&h, metric));
    let mut out: BTreeMap<(String, String), Vec<f64>> = BTreeMap::new();
    for r in rows {
        out.entry((r[sc].clone(), r[day].clone())).or_default().push(if r[m].is_empty() {
            f64::NAN
        } else {
            num(&r[m])
        });
    }
    out
}

/// The t quantiles the checks need.
fn t975(df: usize) -> f64 {
    [12.706204736174705, 4.302652729749464, 3.1824463052837095][df - 1]
}

#[test]
fn effects_are_the_paired_differences_of_the_timeseries() {
    let tmp = TempDir::new("effects");
    let config = tmp.write("two.toml", TWO);
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, rows) = csv(&dir.join("effects.csv"));
    assert_eq!(h.join(","), "scenario,reference,day,metric,n,mean_diff,ci_lo,ci_hi");
    // Every metric column of timeseries.csv (after scenario, replicate, day) has its rows.
    let metrics = csv(&dir.join("timeseries.csv")).0.len() - 3;
    assert_eq!(metrics, 26, "the metrics of timeseries.csv");
    assert_eq!(
        rows.len(),
        5 * metrics,
        "one row per day (0..=40 by 10) and metric, for the one non-reference scenario"
    );
    assert!(rows.iter().all(|r| r[0] == "knockout" && r[1] == "control"), "the reference is the first scenario");
    for metric in ["bone_density", "osteoclasts", "mitophagy_events"] {
        let values = by_scenario_day(&dir, metric);
        // Day 0 has no mitophagy flux since a previous row: undefined (tests/cli/undefined.rs).
        for r in rows.iter().filter(|r| r[3] == metric && !r[5].is_empty()) {
            let (a, b) = (&values[&("knockout".into(), r[2].clone())], &values[&("control".into(), r[2].clone())]);
            let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
            let mean = d.iter().sum::<f64>() / 3.0;
            let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
            let half = t975(2) * sd / 3f64.sqrt();
            let tol = 1e-9 * (1.0 + mean.abs() + half);
            assert_eq!(r[4], "3", "{r:?}");
            assert!((num(&r[5]) - mean).abs() < tol, "mean_diff {r:?} vs {mean}");
            assert!(
                (num(&r[6]) - (mean - half)).abs() < tol && (num(&r[7]) - (mean + half)).abs() < tol,
                "interval {r:?} vs {mean} ± {half}"
            );
        }
    }
    // The knock-out changes mitophagy a lot: its effect is not zero at day 40.
    let flux = rows.iter().find(|r| r[2] == "40" && r[3] == "mitophagy_events").expect("row");
    assert!(num(&flux[7]) < 0.0, "PINK1 knock-out lowers mitophagy flux: {flux:?}");
}

#[test]
fn independent_streams_use_welch_and_other_seeds() {
    let tmp = TempDir::new("welch");
    let config = tmp.write("two.toml", format!("common_random_numbers = false\n{TWO}"));
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, runs) = csv(&dir.join("runs.csv"));
    let (sc, seed) = (col(&h, "scenario"), col(&h, "seed"));
    let seeds = |s: &str| runs.iter().filter(|r| r[sc] == s).map(|r| r[seed].clone()).collect::<Vec<_>>();
    assert!(
        seeds("control").iter().zip(seeds("knockout")).all(|(a, b)| *a != b),
        "independent scenarios share replicate seeds"
    );
    let crn = run_ok(&tmp, config.to_str().unwrap(), "crn", &["--set", "common_random_numbers=true"]);
    let (_, crn_runs) = csv(&crn.join("runs.csv"));
    let crn_seeds: Vec<&String> = crn_runs.iter().map(|r| &r[seed]).collect();
    assert_eq!(crn_seeds[..3], crn_seeds[3..], "common random numbers: replicate r has one seed in every scenario");

    // Welch: (mean_a − mean_b) ± t(df) · √(va/na + vb/nb), df rounded down.
    let values = by_scenario_day(&dir, "bone_density");
    let (_, rows) = csv(&dir.join("effects.csv"));
    let r = rows.iter().find(|r| r[2] == "40" && r[3] == "bone_density").expect("row");
    let (a, b) = (&values[&("knockout".into(), "40".into())], &values[&("control".into(), "40".into())]);
    let stats = |x: &[f64]| {
        let m = x.iter().sum::<f64>() / 3.0;
        (m, x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / 2.0 / 3.0)
    };
    let ((ma, va), (mb, vb)) = (stats(a), stats(b));
    let df = (va + vb).powi(2) / (va * va / 2.0 + vb * vb / 2.0);
    let half = t975(df.floor() as usize) * (va + vb).sqrt();
    assert!(
        (num(&r[5]) - (ma - mb)).abs() < 1e-9 && (num(&r[7]) - (ma - mb + half)).abs() < 1e-9 * (1.0 + half),
        "{r:?}"
    );
}

#[test]
fn one_replicate_has_no_interval() {
    let tmp = TempDir::new("n1");
    let config = tmp.write("two.toml", TWO);
    let dir = tmp.join("out");
    let r = bmu(
        tmp.path(),
        &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--quiet", "--replicates", "1"],
    )
    .ok();
    let (_, rows) = csv(&dir.join("effects.csv"));
    assert!(
        rows.iter().all(|r| matches!((r[4].as_str(), r[5].is_empty()), ("1", false) | ("0", true))
            && r[6..].iter().all(String::is_empty)),
        "n = 1 rows need an empty interval (n = 0, an undefined mean, is empty throughout)"
    );
    assert_eq!(
        r.stdout.matches("n = 1: no interval").count(),
        3,
        "the table says so for each density and the effect:\n{}",
        r.stdout
    );
}

#[test]
fn the_reference_key_chooses_and_is_checked() {
    let tmp = TempDir::new("reference");
    let config = tmp.write("two.toml", format!("reference = \"knockout\"\n{TWO}"));
    let dir = tmp.join("out");
    let r = bmu(tmp.path(), &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--quiet"]).ok();
    let (_, rows) = csv(&dir.join("effects.csv"));
    assert!(rows.iter().all(|r| r[0] == "control" && r[1] == "knockout"), "effects are taken against `reference`");
    assert!(r.stdout.contains("effect vs knockout") && r.stdout.contains("(reference)"), "{}", r.stdout);
    assert!(
        read(&dir.join("config.toml")).contains("reference = \"knockout\""),
        "the resolved config records the reference"
    );

    let e = refused("unknown-reference", format!("reference = \"nobody\"\n{TWO}").as_bytes());
    assert_eq!((e.line, e.col, e.key.as_deref()), (1, 13, Some("reference")), "{e:?}");
    assert!(e.message.contains("unknown scenario `nobody`") && e.message.contains("control"), "{}", e.message);
    let e = refused("reference-type", format!("reference = 3\n{TWO}").as_bytes());
    assert_eq!((e.line, e.key.as_deref()), (1, Some("reference")), "{e:?}");
    let e = refused_with("reference-set", TWO.as_bytes(), &["--set", "reference=\"x\""], Some("--set reference=\"x\""));
    assert_eq!(e.key.as_deref(), Some("reference"), "{e:?}");
}

#[test]
fn summary_intervals_of_counts_stay_non_negative() {
    let tmp = TempDir::new("clamp");
    let config = tmp.write("two.toml", TWO);
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (_, rows) = csv(&dir.join("summary.csv"));
    let mut clamped = 0;
    for r in &rows {
        if !r[6].is_empty() {
            assert!(num(&r[6]) >= 0.0, "negative ci_lo of a non-negative metric: {r:?}");
            let (mean, sd) = (num(&r[4]), num(&r[5]));
            if mean - t975(2) * sd / 3f64.sqrt() < 0.0 {
                assert_eq!(r[6], "0", "a clamped bound is 0: {r:?}");
                clamped += 1;
            }
        }
    }
    assert!(clamped > 0, "a sparse 12-site tissue has some count whose plain interval reaches below 0");
}

#[test]
fn targets_are_written_beside_the_model() {
    let tmp = TempDir::new("targets");
    let targets = "[[target]]\nscenario = \"knockout\"\nmetric = \"mitophagy_events\"\nday = 38\nlow = -100\nhigh = 0\nsource = \"Smith, 2020: \\\"fewer\\\"\"\n\
                   [[target]]\nscenario = \"knockout\"\nmetric = \"bone_density\"\nday = 40\nlow = 50\nhigh = 60\nsource = \"impossible\"\n\
                   [[target]]\nscenario = \"knockout\"\nmetric = \"bone_density\"\nday = 41\nlow = 0\nhigh = 100\nheld_out = true\nsource = \"later\"\n\
                   [[target]]\nscenario = \"knockout\"\nmetric = \"turnover_pct_per_year\"\nday = 30\nrelative = true\nlow = -1e9\nhigh = 1e9\nsource = \"biopsy\"\n";
    let config = tmp.write("two.toml", format!("{TWO}{targets}"));
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let text = read(&dir.join("targets.csv"));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("scenario,metric,day,unit,low,high,effect,ci_lo,ci_hi,met,role,source"));
    let first = lines.next().expect("first target");
    assert!(
        first.starts_with("knockout,mitophagy_events,40,per cell-day,-100,0,-"),
        "read at the nearest recorded day, in the metric's unit: {first}"
    );
    assert!(
        first.ends_with(",true,fitted,\"Smith, 2020: \"\"fewer\"\"\""),
        "met, fitted, and the source quoted as CSV: {first}"
    );
    let second = lines.next().expect("second target");
    assert!(
        second.starts_with("knockout,bone_density,40,% of day 0,50,60,")
            && second.ends_with(",false,fitted,impossible"),
        "{second}"
    );
    // A target past the recorded period (a shortened run) has no effect and is not met; a
    // held-out one says so.
    assert_eq!(lines.next(), Some("knockout,bone_density,41,% of day 0,0,100,,,,false,held out,later"));
    // A biopsy index is read for the biopsy year holding the day (year 1 here), and a relative
    // target gives the paired effect in % of the reference's mean.
    let fourth: Vec<String> = lines.next().expect("fourth target").split(',').map(String::from).collect();
    assert_eq!(&fourth[..4], ["knockout", "turnover_pct_per_year", "365", "%"], "{fourth:?}");
    let (h, rows) = csv(&dir.join("histomorphometry.csv"));
    let of = |scenario: &str| -> Vec<f64> {
        let t = col(&h, "turnover_pct_per_year");
        rows.iter().filter(|r| r[0] == scenario && r[2] == "1").map(|r| num(&r[t])).collect()
    };
    let (k, c) = (of("knockout"), of("control"));
    assert_eq!((k.len(), c.len()), (3, 3));
    let want = 100.0 * (k.iter().sum::<f64>() - c.iter().sum::<f64>()) / c.iter().sum::<f64>();
    assert!((num(&fourth[6]) - want).abs() < 1e-9 * want.abs().max(1.0), "{} vs {want}", fourth[6]);
    let (_, effects) = csv(&dir.join("effects.csv"));
    let e = effects.iter().find(|r| r[2] == "40" && r[3] == "bone_density").expect("effect");
    assert!(
        second.contains(&format!(",{},{},{},", e[5], e[6], e[7])),
        "targets.csv repeats effects.csv: {second} vs {e:?}"
    );
    let page = read(&dir.join("index.html"));
    assert!(
        page.contains("<h2>Targets</h2>") && page.contains("Smith, 2020: &quot;fewer&quot;") && page.contains("missed"),
        "index.html lists the targets"
    );

    let e = refused(
        "target-scenario",
        format!("{TWO}[[target]]\nscenario = \"ghost\"\nmetric = \"bone_density\"\nday = 1\nlow = 0\nhigh = 1\n")
            .as_bytes(),
    );
    assert_eq!((e.line, e.col, e.key.as_deref()), (17, 12, Some("target[0].scenario")), "{e:?}");
    let e = refused(
        "target-metric",
        format!("{TWO}[[target]]\nscenario = \"knockout\"\nmetric = \"bone\"\nday = 1\nlow = 0\nhigh = 1\n").as_bytes(),
    );
    assert_eq!((e.line, e.key.as_deref()), (18, Some("target[0].metric")), "{e:?}");
    let e = refused(
        "target-range",
        format!("{TWO}[[target]]\nscenario = \"knockout\"\nmetric = \"bone_density\"\nday = 1\nlow = 2\nhigh = 1\n")
            .as_bytes(),
    );
    assert_eq!(e.key.as_deref(), Some("target[0].low"), "{e:?}");
}

/// A target may give a trial's estimate and its standard error instead of a band: `targets.csv`
/// shows its 95 % interval as low and high. Mixing the two forms is refused at the offending key.
#[test]
fn a_trial_estimate_is_a_target_with_its_interval() {
    let tmp = TempDir::new("trial-target");
    let target =
        "[[target]]\nscenario = \"knockout\"\nmetric = \"bone_density\"\nday = 40\nestimate = 0.5\nse = 0.25\n";
    let config = tmp.write("trial.toml", format!("{TWO}{target}"));
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, rows) = csv(&dir.join("targets.csv"));
    let (low, high) = (num(&rows[0][col(&h, "low")]), num(&rows[0][col(&h, "high")]));
    let z = 1.959_963_984_540_054;
    assert!((low - (0.5 - z * 0.25)).abs() < 1e-12 && (high - (0.5 + z * 0.25)).abs() < 1e-12, "{low} {high}");

    let e = refused("trial-and-band", format!("{TWO}{target}low = 0\nhigh = 1\n").as_bytes());
    assert_eq!((e.line, e.col, e.key.as_deref()), (20, 12, Some("target[0].estimate")), "{e:?}");
}
