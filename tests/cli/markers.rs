//! Bone turnover markers as time courses (`ctx_pct`, `p1np_pct`, `src/observe/markers.rs`):
//! denosumab stops resorption at once and formation only as the BMUs it caught finish refilling,
//! so CTX falls first and P1NP months later; teriparatide raises P1NP. A spin-up too short for
//! the baseline leaves the markers undefined, never infinite.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Placebo, denosumab and teriparatide for a year on a small spine (cancellous and cortical),
/// after two years' spin-up; three replicates under common random numbers: a few seconds.
const TRIAL: &str = "seed = 3\nreplicates = 3\ndays = 365\nspinup_days = 730\nrecord_every_days = 30\n\
[params]\nsites = 200\ncortical_sites = 200\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"placebo\"\n\
[[scenario]]\nname = \"denosumab\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 0\n\
[[scenario]]\nname = \"teriparatide\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\nstart_day = 0\n";

/// (scenario, metric) → day → the ensemble mean in `summary.csv`.
fn means(dir: &Path) -> BTreeMap<(String, String), BTreeMap<u32, f64>> {
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (sc, day, m, mean) = (col(&h, "scenario"), col(&h, "day"), col(&h, "metric"), col(&h, "mean"));
    let mut out: BTreeMap<(String, String), BTreeMap<u32, f64>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r[m].ends_with("_pct")) {
        let v = r[mean].parse().unwrap_or_else(|_| panic!("{r:?}: the markers are defined"));
        out.entry((r[sc].clone(), r[m].clone())).or_default().insert(r[day].parse().expect("a day"), v);
    }
    out
}

#[test]
fn denosumab_drops_ctx_first_and_p1np_later_and_teriparatide_raises_p1np() {
    let tmp = TempDir::new("markers");
    let config = tmp.write("trial.toml", TRIAL);
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let m = means(&dir);
    let series = |s: &str, metric: &str| m[&(s.to_string(), metric.to_string())].clone();
    let mean_over = |s: &str, metric: &str, from: u32, to: u32| {
        let v: Vec<f64> = series(s, metric).range(from..=to).map(|(_, v)| *v).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    // Day 0: every arm at its own baseline, up to the tissue's sampling noise.
    for s in ["placebo", "denosumab", "teriparatide"] {
        for metric in ["ctx_pct", "p1np_pct"] {
            let d0 = series(s, metric)[&0];
            assert!((70.0..130.0).contains(&d0), "{s} {metric} at day 0: {d0}");
        }
    }
    let (ctx, p1np) = (series("denosumab", "ctx_pct"), series("denosumab", "p1np_pct"));
    // CTX falls below its baseline within the first month and stays down.
    assert!(ctx.range(30..).all(|(_, v)| *v < 60.0), "denosumab CTX: {ctx:?}");
    assert!(mean_over("denosumab", "ctx_pct", 60, 365) < 30.0, "denosumab CTX: {ctx:?}");
    // P1NP lags: at one month the BMUs already open still form, months later it is down too.
    assert!(p1np[&30] > 80.0 && p1np[&30] > ctx[&30] + 30.0, "P1NP lags CTX: {p1np:?} vs {ctx:?}");
    assert!(mean_over("denosumab", "p1np_pct", 270, 365) < 40.0, "denosumab P1NP falls later: {p1np:?}");
    // Teriparatide: formation up against placebo, paired by replicate.
    let rise = mean_over("teriparatide", "p1np_pct", 90, 365) - mean_over("placebo", "p1np_pct", 90, 365);
    assert!(rise > 20.0, "teriparatide P1NP vs placebo: {rise}");
}

#[test]
fn a_spin_up_shorter_than_the_baseline_leaves_the_markers_undefined() {
    let tmp = TempDir::new("markers_undefined");
    let config = tmp.write(
        "short.toml",
        "seed = 1\nreplicates = 2\ndays = 60\nspinup_days = 60\nrecord_every_days = 30\n\
         [params]\nsites = 20\ndt_days = 0.25\nmitochondria_per_cell = 20\n[[scenario]]\nname = \"only\"\n",
    );
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    for metric in ["ctx_pct", "p1np_pct"] {
        let i = col(&h, metric);
        assert!(rows.iter().all(|r| r[i].is_empty()), "{metric} without a baseline is empty");
    }
    let text = read(&dir.join("timeseries.csv")) + &read(&dir.join("summary.csv"));
    assert!(!text.to_lowercase().contains("inf") && !text.contains("NaN"), "never an infinity or a NaN token");
    // With a spin-up long enough for the default half-year baseline they are defined.
    let ok = run_ok(&tmp, config.to_str().unwrap(), "long", &["--set", "spinup_days=200"]);
    let (h, rows) = csv(&ok.join("timeseries.csv"));
    let i = col(&h, "ctx_pct");
    assert!(rows.iter().all(|r| !r[i].is_empty()), "defined with a long enough spin-up");
}
