//! Undefined is not zero: a mean over no cells (here: a denosumab tissue that empties of
//! osteoclasts and precursors) is an empty field in `timeseries.csv`, left out of `summary.csv`
//! and `effects.csv` (each with the n it used) and named as such in the printed table.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Placebo against a denosumab that empties a small tissue of cells on most recorded days.
const EMPTYING: &str = "seed = 5\nreplicates = 5\ndays = 180\nspinup_days = 100\nrecord_every_days = 30\n\
[params]\nsites = 30\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"placebo\"\n\
[[scenario]]\nname = \"denosumab\"\n[[scenario.intervention]]\nkind = \"denosumab\"\n";

/// The means over cells, undefined when there are none.
const CELL_MEANS: [&str; 5] = ["mean_activity", "mean_ros", "mean_atp", "mean_depolarised", "mitochondria_per_cell"];

/// A field: `None` when empty (undefined).
fn value(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().unwrap_or_else(|_| panic!("`{s}` is not a number")))
}

/// (scenario, day) → per-replicate values of `metric`, replicates in order.
fn by_scenario_day(dir: &Path, metric: &str) -> BTreeMap<(String, String), Vec<Option<f64>>> {
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (sc, day, m) = (col(&h, "scenario"), col(&h, "day"), col(&h, metric));
    let mut out: BTreeMap<(String, String), Vec<Option<f64>>> = BTreeMap::new();
    for r in rows {
        out.entry((r[sc].clone(), r[day].clone())).or_default().push(value(&r[m]));
    }
    out
}

#[test]
fn a_tissue_without_cells_has_undefined_means_never_zero() {
    let tmp = TempDir::new("undefined");
    let config = tmp.write("emptying.toml", EMPTYING);
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (oc, pre) = (col(&h, "osteoclasts"), col(&h, "precursors"));
    let empty: Vec<&Vec<String>> = rows.iter().filter(|r| r[oc] == "0" && r[pre] == "0").collect();
    assert!(
        empty.len() > rows.len() / 4,
        "the config empties the tissue often: {} of {} rows",
        empty.len(),
        rows.len()
    );
    for metric in CELL_MEANS {
        let m = col(&h, metric);
        assert!(empty.iter().all(|r| r[m].is_empty()), "{metric} of a row without cells must be empty");
        // A depolarised share of exactly 0 is a true value (a few cells, none depolarised, as
        // the exact process tags at once); the other means cannot be 0 while a cell exists.
        if metric != "mean_depolarised" {
            assert!(rows.iter().all(|r| r[m] != "0"), "{metric} is never a zero artefact");
        }
    }

    // Each effect is the paired mean over the replicates where both sides are defined.
    let (_, effects) = csv(&dir.join("effects.csv"));
    let atp = by_scenario_day(&dir, "mean_atp");
    let mut fewer = 0;
    for r in effects.iter().filter(|r| r[3] == "mean_atp") {
        let (a, b) = (&atp[&("denosumab".into(), r[2].clone())], &atp[&("placebo".into(), r[2].clone())]);
        let d: Vec<f64> = a.iter().zip(b).filter_map(|(x, y)| Some((*x)? - (*y)?)).collect();
        assert_eq!(r[4], d.len().to_string(), "n is the pairs used: {r:?}");
        fewer += usize::from(d.len() < 5);
        match value(&r[5]) {
            None => assert!(d.is_empty() && r[6].is_empty() && r[7].is_empty(), "{r:?}"),
            Some(mean) => {
                let want = d.iter().sum::<f64>() / d.len() as f64;
                assert!((mean - want).abs() < 1e-12, "{r:?} vs {want}");
            }
        }
    }
    assert!(fewer > 0, "some day has fewer defined pairs than replicates");

    // summary.csv: the mean over the defined replicates, with their count.
    let (_, summary) = csv(&dir.join("summary.csv"));
    for r in summary.iter().filter(|r| r[2] == "mean_atp") {
        let defined: Vec<f64> = atp[&(r[0].clone(), r[1].clone())].iter().flatten().copied().collect();
        assert_eq!(r[3], defined.len().to_string(), "{r:?}");
        match value(&r[4]) {
            None => assert!(defined.is_empty() && r[5..].iter().all(String::is_empty), "{r:?}"),
            Some(mean) => assert!((mean - defined.iter().sum::<f64>() / defined.len() as f64).abs() < 1e-12),
        }
    }
    let page = read(&dir.join("index.html"));
    assert!(!page.contains("NaN"), "the page never prints NaN");
    let last = effects.iter().rfind(|r| r[3] == "mean_atp").expect("the last day's ATP effect");
    let shown = match last[4].as_str() {
        "0" => "undefined (n = 0)".to_string(),
        "1" => "(n = 1: no interval)".to_string(),
        "5" => String::new(),
        n => format!("(n = {n} of 5)"),
    };
    assert!(page.contains(&shown), "the page says how many pairs the ATP effect used: {last:?}");
}
