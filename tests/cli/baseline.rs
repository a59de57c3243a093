//! The embedded baseline: 10 years of untreated adult trabecular bone, 20 replicates, exactly as
//! `bmu-sim run` runs it. The slowest test (minutes): it is the baseline's validation.

use crate::common::*;
use std::collections::BTreeMap;

#[test]
fn the_baseline_is_large_and_its_density_drifts_less_than_half_a_point_in_ten_years() {
    let tmp = TempDir::new("baseline");
    let r = bmu(tmp.path(), &["run", "--quiet"]).ok();
    assert!(r.stdout.contains("wrote out/baseline"), "{}", r.stdout);
    let dir = tmp.join("out/baseline");
    let (h, rows) = csv(&dir.join("summary.csv"));
    let (day, metric, n, mean) = (col(&h, "day"), col(&h, "metric"), col(&h, "n"), col(&h, "mean"));
    let mut series: BTreeMap<&str, Vec<(f64, f64)>> = BTreeMap::new();
    for row in &rows {
        assert!(row[n].parse::<u32>().expect("n") >= 20, "at least 20 replicates");
        let point = (row[day].parse().expect("day"), row[mean].parse().expect("mean"));
        series.entry(row[metric].as_str()).or_default().push(point);
    }
    let density = &series["bone_density"];
    assert!(density.last().expect("rows").0 >= 3650.0, "ten years recorded");
    let worst = density.iter().map(|&(_, m)| (m - 100.0).abs()).fold(0.0, f64::max);
    let mean_of = |k: &str| series[k].iter().map(|p| p.1).sum::<f64>() / series[k].len() as f64;
    let resorbed = series["resorbed"].last().expect("rows").1;
    eprintln!(
        "baseline: worst drift {worst:.3} points; final density {:.3}; {:.0} active BMUs; turnover {:.1} %/year; remodelling space {:.2} %",
        density.last().expect("rows").1,
        mean_of("active_bmus"),
        resorbed / 10.0,
        mean_of("remodelling_space"),
    );
    assert!(worst < 0.5, "ensemble-mean bone density drifted {worst} points");
    assert!(mean_of("active_bmus") >= 200.0, "hundreds of active BMUs, got {}", mean_of("active_bmus"));
}
