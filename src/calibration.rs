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

/// Estimate the neutral k2 and the stationary mineral fraction from the first scenario's runs.
pub fn calibrate(config: &Config, ensemble: &Ensemble) -> Option<Calibration> {
    let scenario = config.scenarios.first()?;
    let k2 = scenario.params.k2_pct_per_cell_day;
    let runs: Vec<_> = ensemble.runs.iter().filter(|r| r.scenario == scenario.name && r.samples.len() > 1).collect();
    let last = |r: &&crate::record::RunRecord| r.samples.last().cloned().unwrap_or_default();
    let resorbed: f64 = runs.iter().map(|r| last(r).resorbed).sum();
    let formed: f64 = runs.iter().map(|r| last(r).formed).sum();
    if runs.is_empty() || formed <= 0.0 {
        return None;
    }
    let ratios: Vec<f64> = runs.iter().map(|r| k2 * last(r).resorbed / last(r).formed.max(f64::MIN_POSITIVE)).collect();
    let mut k2_summary = summarize(&ratios);
    let point = k2 * resorbed / formed;
    let half = |r: &&crate::record::RunRecord| r.samples.len() / 2;
    let mean_late = |r: &&crate::record::RunRecord, f: fn(&crate::record::Sample) -> f64| {
        let late = &r.samples[half(r)..];
        late.iter().map(f).sum::<f64>() / late.len() as f64
    };
    let minerals: Vec<f64> = runs.iter().map(|r| mean_late(r, |s| s.mineral_fraction)).collect();
    let years = runs[0].samples.last().map_or(1.0, |s| s.day / 365.0).max(f64::MIN_POSITIVE);
    let n = runs.len() as f64;
    k2_summary.mean = point;
    Some(Calibration {
        scenario: scenario.name.clone(),
        k2: k2_summary,
        resorbed_per_site: resorbed / n,
        formed_per_site: formed / n,
        mineral_fraction: summarize(&minerals),
        turnover_pct_per_year: resorbed / n / years,
        remodelling_space: runs.iter().map(|r| mean_late(r, |s| s.remodelling_space)).sum::<f64>() / n,
        active_bmus: runs.iter().map(|r| mean_late(r, |s| s.active_bmus)).sum::<f64>() / n,
    })
}
