//! The embedded baseline: 10 years of untreated adult trabecular bone at its full 1000 sites, as
//! `bmu-sim run` runs it but with 8 of its 20 replicates (the ranges below are of ensemble means;
//! 20 replicates only narrow them). A validation-tier test (minutes). Nothing in
//! it was fitted to these figures but the tissue's starting mineral fraction; the BMU timings,
//! remodelling space and turnover below come from the cells' rules and the remodelling cycle.

use crate::common::*;
use std::collections::BTreeMap;

/// Replicates run here (of the baseline's 20).
const REPLICATES: usize = 8;

/// Mean over every (replicate, year) row of each column of histomorphometry.csv.
fn biopsy_means(dir: &std::path::Path) -> BTreeMap<String, f64> {
    let (h, rows) = csv(&dir.join("histomorphometry.csv"));
    assert_eq!(rows.len(), REPLICATES * 10, "{REPLICATES} replicates × 10 years");
    h.iter()
        .enumerate()
        .skip(3)
        .map(|(i, name)| {
            let xs: Vec<f64> = rows.iter().filter_map(|r| r[i].parse().ok()).collect();
            (name.clone(), xs.iter().sum::<f64>() / xs.len() as f64)
        })
        .collect()
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn the_baseline_is_steady_and_its_biopsy_is_adult_trabecular_bone() {
    let tmp = TempDir::new("baseline");
    let r = bmu(tmp.path(), &["run", "--quiet", "--replicates", &REPLICATES.to_string()]).ok();
    assert!(r.stdout.contains("wrote out/baseline"), "{}", r.stdout);
    let dir = tmp.join("out/baseline");
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (day, metric, n, mean) = (col(&h, "day"), col(&h, "metric"), col(&h, "n"), col(&h, "mean"));
    let mut series: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for row in &rows {
        if row[mean].is_empty() {
            // A rate since the previous row has none at day 0: undefined, never 0.
            assert_eq!((row[day].as_str(), row[n].as_str()), ("0", "0"), "{row:?}");
            assert!(["osteoclast_apoptosis", "mitophagy_events"].contains(&row[metric].as_str()), "{row:?}");
            continue;
        }
        assert_eq!(row[n].parse::<usize>().expect("n"), REPLICATES);
        let point = (row[day].parse().expect("day"), row[mean].parse().expect("mean"));
        series.entry(row[metric].as_str()).or_default().push(point);
    }
    let density = &series["bone_density"];
    assert!(density.last().expect("rows").0 >= 3650.0, "ten years recorded");
    let worst = density.iter().map(|&(_, m)| (m - 100.0).abs()).fold(0.0, f64::max);
    let mean_of = |k: &str| series[k].iter().map(|p| p.1).sum::<f64>() / series[k].len() as f64;
    let spread = series["site_bone_sd"].last().expect("rows").1;
    let b = biopsy_means(&dir);
    eprintln!(
        "baseline: worst drift {worst:.3} points, final density {:.3}; site spread after 10 years ±{spread:.2} %; {:.0} active BMUs; biopsy {b:?}",
        density.last().expect("rows").1,
        mean_of("active_bmus")
    );
    // The ensemble mean of 20 replicates stays within 0.5 points; its noise grows as
    // 1/√replicates, so with fewer the same false-alarm rate needs 0.5·√(20/n) (0.79 at 8).
    let allowed = 0.5 * (20.0 / REPLICATES as f64).sqrt();
    assert!(worst < allowed, "ensemble-mean bone density drifted {worst} points (allowed {allowed:.2})");
    // Untreated adult trabecular bone (docs/model.md §1.1; Eriksen 1984/1994, Recker 2004, Heaney 1994).
    for (key, lo, hi) in [
        ("resorption_days", 20.0, 50.0),
        ("formation_days", 80.0, 180.0),
        ("remodelling_space_pct", 3.0, 8.0),
        ("turnover_pct_per_year", 15.0, 35.0),
    ] {
        assert!((lo..=hi).contains(&b[key]), "{key} = {} is outside {lo}–{hi}", b[key]);
    }
    // Zero by construction at the untreated reference: within 0.5 % of what a BMU erodes.
    assert!(
        b["balance_pct"].abs() < 0.005 * b["eroded_pct"],
        "BMU balance {} % of site bone, eroded {} %",
        b["balance_pct"],
        b["eroded_pct"]
    );
    assert!(spread < 7.0, "sites wandered ±{spread} % apart in ten years (the published law: ±14 %)");
    assert!(mean_of("active_bmus") >= 200.0, "hundreds of active BMUs, got {}", mean_of("active_bmus"));
}
