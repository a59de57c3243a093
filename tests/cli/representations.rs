//! The count representation of mitochondria against one byte per mitochondrion, in a whole tissue: the
//! smoke tissue (two scenarios, 40 mitochondria per cell) enlarged to 100 sites and a year,
//! 10 replicates in each representation, under the sub-step scheme (the exact process reads only
//! a cell's histogram and always counts).

use crate::common::*;
use std::path::Path;

/// Per scenario and replicate: final bone density, and the time means of the cell readouts.
fn per_replicate(dir: &Path) -> Vec<(String, [f64; 6])> {
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (sc, rep) = (col(&h, "scenario"), col(&h, "replicate"));
    let metrics =
        ["mean_ros", "mean_atp", "mitochondria_per_cell", "mitophagy_events", "osteoclasts"].map(|m| col(&h, m));
    let density = col(&h, "bone_density");
    let mut keys: Vec<(String, String)> = rows.iter().map(|r| (r[sc].clone(), r[rep].clone())).collect();
    keys.dedup();
    keys.into_iter()
        .map(|(s, r)| {
            let mine: Vec<&Vec<String>> = rows.iter().filter(|x| x[sc] == s && x[rep] == r).collect();
            // Over the recorded days where the readout is defined (an empty field: no cells).
            let mean = |c: usize| {
                let v: Vec<f64> =
                    mine[1..].iter().filter(|x| !x[c].is_empty()).map(|x| x[c].parse().expect("number")).collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let last = mine.last().expect("rows")[density].parse().expect("number");
            (s, [last, mean(metrics[0]), mean(metrics[1]), mean(metrics[2]), mean(metrics[3]), mean(metrics[4])])
        })
        .collect()
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn counted_mitochondria_give_the_same_tissue() {
    let tmp = TempDir::new("representations");
    let args = ["--set", "sites=100", "--set", "days=360", "--replicates", "10", "--set", "mito_exact=false"];
    let individual = run_ok(&tmp, SMOKE, "individual", &args);
    let counts = run_ok(&tmp, SMOKE, "counts", &[&args[..], &["--set", "count_mitochondria_from=1"]].concat());
    let (a, b) = (per_replicate(&individual), per_replicate(&counts));
    assert_eq!(a.len(), 20, "two scenarios × 10 replicates");
    let names = ["final bone density", "ROS", "ATP", "mitochondria per cell", "mitophagy events", "osteoclasts"];
    for scenario in ["untreated", "pink1_knockout"] {
        for (k, name) in names.iter().enumerate() {
            let pick = |v: &[(String, [f64; 6])]| -> Vec<f64> {
                v.iter().filter(|(s, _)| s == scenario).map(|(_, x)| x[k]).collect()
            };
            let (x, y) = (pick(&a), pick(&b));
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let var = |v: &[f64]| v.iter().map(|t| (t - mean(v)).powi(2)).sum::<f64>() / (v.len() - 1) as f64;
            // Replicates are independent runs, so Welch's statistic applies; with ~18 degrees of
            // freedom |t| > 4.5 has probability below 0.0003, so the twelve checks together fail
            // a correct pair of representations less than once in 250 runs.
            let se = ((var(&x) + var(&y)) / x.len() as f64).sqrt();
            let t = (mean(&x) - mean(&y)) / se;
            assert!(t.abs() < 4.5, "{scenario}, {name}: {} vs {} (se {se}, t {t})", mean(&x), mean(&y));
        }
    }
}
