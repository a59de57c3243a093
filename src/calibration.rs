//! Calibration of the one tissue value that is a state, not a rule: the stationary mineral
//! fraction the tissue starts from (`bmu-sim calibrate`).
//!
//! Remodelling replaces old, fully mineralised bone with new bone that mineralises over years;
//! the tissue's mean mineral fraction settles where the two balance, at a value set by the
//! turnover. The run's mean `mineral_fraction` over the second half of the record estimates it;
//! starting the tissue there (`initial_mineral_fraction`) removes the slow drift the spin-up would
//! otherwise leave in `bone_density`. Nothing about the balance of a BMU is fitted: that is zero
//! at the untreated reference by construction (`processes/coupling.rs`).

use crate::config::Config;
use crate::ensemble::Ensemble;
use crate::output::{Summary, summarize};
use crate::record::{RunRecord, Sample};

/// What a calibration run found.
#[derive(Clone, Debug)]
pub struct Calibration {
    pub scenario: String,
    /// Mean mineral fraction over the second half of the record.
    pub mineral_fraction: Summary,
    /// Bone mass at the end of the record (% of day 0).
    pub bone_mass: Summary,
    /// Mean yearly turnover (BFR/BV, % per year) and remodelling space (% of bone).
    pub turnover_pct_per_year: f64,
    pub remodelling_space_pct: f64,
}

/// Mean of `metric` over the second half of a run's samples.
fn late_mean(run: &RunRecord, metric: fn(&Sample) -> f64) -> f64 {
    let late = &run.samples[run.samples.len() / 2..];
    late.iter().map(metric).sum::<f64>() / late.len() as f64
}

/// Estimate the stationary mineral fraction from the first scenario's runs.
pub fn calibrate(config: &Config, ensemble: &Ensemble) -> Option<Calibration> {
    let scenario = config.scenarios.first()?;
    let runs: Vec<&RunRecord> =
        ensemble.runs.iter().filter(|r| r.scenario == scenario.name && r.samples.len() > 1).collect();
    if runs.is_empty() {
        return None;
    }
    let minerals: Vec<f64> = runs.iter().map(|r| late_mean(r, |s| s.mineral_fraction)).collect();
    let masses: Vec<f64> = runs.iter().filter_map(|r| r.samples.last()).map(|s| s.bone_mass).collect();
    let biopsy = runs.iter().flat_map(|r| &r.biopsy);
    let (n, turnover, space) = biopsy
        .fold((0.0, 0.0, 0.0), |(n, t, s), b| (n + 1.0, t + b.turnover_pct_per_year, s + b.remodelling_space_pct));
    Some(Calibration {
        scenario: scenario.name.clone(),
        mineral_fraction: summarize(&minerals),
        bone_mass: summarize(&masses),
        turnover_pct_per_year: turnover / n,
        remodelling_space_pct: space / n,
    })
}
