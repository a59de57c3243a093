//! Calibration of the two tissue parameters that small-number stochasticity moves away from
//! their deterministic values, from an ordinary ensemble run (`bmu-sim calibrate`).
//!
//! 1. **Bone-neutral formation, k2.** Komarova's k1/k2 make the *deterministic* cycle
//!    bone-neutral. A real BMU starts from ~11 osteoclasts (Ω = 1), and at such counts the
//!    absorbing state x1 = 0 is reached early and the positive parts y1, y2 are biased, so the
//!    expected stochastic cycle is not neutral. Bone never feeds back on cells, so formation is
//!    linear in k2 and the neutral value follows from one run:
//!    ```text
//!    k2* = k2 · Σ_r R_r / Σ_r F_r        (R, F = bone resorbed and formed over the record)
//!    ```
//!    with a 95 % interval from the replicate ratios k2·R_r/F_r.
//! 2. **Stationary mineral fraction.** Remodelling replaces old, fully mineralised bone with
//!    new bone that mineralises over years; the tissue's mean mineral fraction settles where the
//!    two balance. The run's mean `mineral_fraction` over the second half of the record
//!    estimates it; starting the tissue there (`initial_mineral_fraction`) removes the slow
//!    drift the spin-up would otherwise leave.
//!
//! Iterate once (calibrate, set, calibrate again): the second pass should reproduce the values it
//! was given within their intervals.

use crate::config::Config;
use crate::ensemble::Ensemble;
use crate::output::{Summary, summarize};
use crate::record::{RunRecord, Sample};

/// What a calibration run found.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub scenario: String,
    /// k2* and its replicate-ratio interval.
    pub k2: Summary,
    pub resorbed_per_site: f64,
    pub formed_per_site: f64,
    /// Mean mineral fraction over the second half of the record.
    pub mineral_fraction: Summary,
    /// Mean yearly turnover (bone resorbed per year, % of initial).
    pub turnover_pct_per_year: f64,
    pub remodelling_space: f64,
    pub active_bmus: f64,
}

/// Mean of `metric` over the second half of a run's samples.
fn late_mean(run: &RunRecord, metric: fn(&Sample) -> f64) -> f64 {
    let late = &run.samples[run.samples.len() / 2..];
    late.iter().map(metric).sum::<f64>() / late.len() as f64
}

/// Estimate the neutral k2 and the stationary mineral fraction from the first scenario's runs.
pub fn calibrate(config: &Config, ensemble: &Ensemble) -> Option<Calibration> {
    let scenario = config.scenarios.first()?;
    let k2 = scenario.params.k2_pct_per_cell_day;
    let runs: Vec<&RunRecord> = ensemble.runs.iter().filter(|r| r.scenario == scenario.name && r.samples.len() > 1).collect();
    // (resorbed, formed) over each run's record: cumulative since day 0, so the last sample.
    let totals: Vec<(f64, f64)> = runs.iter().filter_map(|r| r.samples.last()).map(|s| (s.resorbed, s.formed)).collect();
    let resorbed: f64 = totals.iter().map(|t| t.0).sum();
    let formed: f64 = totals.iter().map(|t| t.1).sum();
    if runs.is_empty() || formed <= 0.0 {
        return None;
    }
    let ratios: Vec<f64> = totals.iter().map(|&(r, f)| k2 * r / f.max(f64::MIN_POSITIVE)).collect();
    // The interval comes from the replicate ratios; the point is the ratio of the sums.
    let k2_fit = Summary { mean: k2 * resorbed / formed, ..summarize(&ratios) };
    let minerals: Vec<f64> = runs.iter().map(|r| late_mean(r, |s| s.mineral_fraction)).collect();
    let years = runs[0].samples.last().map_or(1.0, |s| s.day / 365.0).max(f64::MIN_POSITIVE);
    let n = runs.len() as f64;
    Some(Calibration {
        scenario: scenario.name.clone(),
        k2: k2_fit,
        resorbed_per_site: resorbed / n,
        formed_per_site: formed / n,
        mineral_fraction: summarize(&minerals),
        turnover_pct_per_year: resorbed / n / years,
        remodelling_space: runs.iter().map(|r| late_mean(r, |s| s.remodelling_space)).sum::<f64>() / n,
        active_bmus: runs.iter().map(|r| late_mean(r, |s| s.active_bmus)).sum::<f64>() / n,
    })
}
