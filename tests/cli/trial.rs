//! A virtual trial (`configs/virtual_trial.toml`, on a smaller tissue): each replicate a patient
//! drawn from `[population]`, `trial.csv` with each arm's mean and SD of change, responders and
//! the difference between arms, and `plots/trial` drawing them patient by patient.

use crate::common::*;
use crate::figures::points;

const TRIAL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/virtual_trial.toml");
const SMALL: [&str; 10] = [
    "--set",
    "sites=60",
    "--set",
    "cortical_sites=60",
    "--set",
    "replicates=8",
    "--set",
    "years=1",
    "--set",
    "mitochondria_per_cell=30",
];

/// `trial.csv`'s rows at the last recorded day: scenario → (patients, mean, SD, gained, difference).
fn last_day(dir: &std::path::Path) -> Vec<(String, usize, f64, f64, f64, f64)> {
    let (h, rows) = csv(&dir.join("trial.csv"));
    let day = |r: &Vec<String>| r[col(&h, "day")].parse::<f64>().expect("day");
    let last = rows.iter().map(day).fold(f64::MIN, f64::max);
    let number = |r: &Vec<String>, c: &str| r[col(&h, c)].parse::<f64>().unwrap_or(f64::NAN);
    rows.iter()
        .filter(|r| day(r) == last)
        .map(|r| {
            let patients = r[col(&h, "patients")].parse().expect("patients");
            let scenario = r[col(&h, "scenario")].clone();
            (
                scenario,
                patients,
                number(r, "mean_change"),
                number(r, "sd_change"),
                number(r, "gained"),
                number(r, "difference"),
            )
        })
        .collect()
}

#[test]
fn a_virtual_trial_reports_each_arms_spread_responders_and_difference() {
    let tmp = TempDir::new("trial");
    let dir = run_ok(&tmp, TRIAL, "out", &SMALL);
    let rows = last_day(&dir);
    eprintln!("{rows:?}");
    let arm = |name: &str| rows.iter().find(|r| r.0 == name).unwrap_or_else(|| panic!("no {name} row")).clone();
    let (placebo, denosumab) = (arm("placebo"), arm("denosumab"));
    assert_eq!((placebo.1, denosumab.1), (8, 8), "one patient per replicate");
    assert!(denosumab.2 > placebo.2 && denosumab.5 > 0.0, "denosumab gains no more than placebo");
    assert!(placebo.3 > 0.0 && denosumab.3 > 0.0, "patients do not differ");
    assert!(denosumab.4 >= placebo.4, "fewer responders on denosumab");
    trial_plot(&dir, &rows);
    // The patients are written into the resolved config, which reproduces the run.
    let resolved = read(&dir.join("config.toml"));
    assert!(
        resolved.contains("[population]") && resolved.contains("adherence = { low = 0.8, high = 1.0 }"),
        "{resolved}"
    );
    let again = run_ok(&tmp, dir.join("config.toml").to_str().expect("utf-8"), "again", &[]);
    assert_eq!(read(&dir.join("trial.csv")), read(&again.join("trial.csv")));
}

/// `plots/trial`, read back from the data its SVG carries: at the last day a dot per patient per
/// arm whose mean is the arm's mean change in `trial.csv`, the arm's mean ± SD beside them, the
/// responder threshold dashed at ± 3 points; on the page too. A run without patients has none
/// (`tests/cli/plots.rs` checks a plain run's plots).
fn trial_plot(dir: &std::path::Path, rows: &[(String, usize, f64, f64, f64, f64)]) {
    assert!(dir.join("plots/trial.png").is_file(), "no plots/trial.png");
    let svg = read(&dir.join("plots/trial.svg"));
    assert!(svg.contains("spine BMD at year 1"), "the readout and the day in the title");
    let drawn = points(&svg);
    for (arm, patients, mean, sd, ..) in rows {
        let dots: Vec<f64> = drawn.iter().filter(|p| &p.series == arm).map(|p| p.mean.expect("a change")).collect();
        assert_eq!(dots.len(), *patients, "{arm}: one dot per patient");
        let average = dots.iter().sum::<f64>() / dots.len() as f64;
        assert!((average - mean).abs() < 1e-6, "{arm}: dots average {average}, trial.csv {mean}");
        let bar = drawn.iter().find(|p| p.series == format!("{arm}: mean ± SD")).expect("the arm's mean");
        let (m, lo, hi) = (bar.mean.expect("mean"), bar.lo.expect("lo"), bar.hi.expect("hi"));
        assert!((m - mean).abs() < 1e-6 && (hi - m - sd).abs() < 1e-6 && (m - lo - sd).abs() < 1e-6, "{bar:?}");
    }
    let line = |label: &str| drawn.iter().filter(|p| p.series == label).map(|p| p.mean).collect::<Vec<_>>();
    assert_eq!((line("+LSC"), line("-LSC")), (vec![Some(3.0); 2], vec![Some(-3.0); 2]), "LSC lines");
    assert!(read(&dir.join("index.html")).contains("href=\"plots/trial.png\""), "the page shows it");
}
