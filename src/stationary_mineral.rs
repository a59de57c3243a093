//! The one tissue value fitted as a state, not a rule: the stationary mineral
//! fraction the tissue starts from (`bmu-sim calibrate`).
//!
//! Remodelling replaces old, fully mineralised bone with new bone that mineralises over years;
//! the tissue's mean mineral fraction settles where the two balance, at a value set by the
//! turnover. The run's mean `mineral_fraction` over the second half of the record estimates it;
//! starting the tissue there (`initial_mineral_fraction`) removes the slow drift the spin-up would
//! otherwise leave in `bone_density`. Nothing about the balance of a BMU is fitted: that is zero
//! at the untreated reference by construction (`processes/coupling.rs`).
//!
//! Cortical sites (`cortical_sites`) settle at their own, higher value under their slower
//! turnover (`initial_cortical_mineral_fraction`). The readouts are the cancellous sites', so it
//! is fitted the same way on [`cortical_tissue`]: the cortical sites run as a tissue of their own.

use crate::analysis::stats::{Summary, summarize};
use crate::config::{Config, Value};
use crate::ensemble::Ensemble;
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

/// The config whose tissue is `config`'s cortical sites alone, for fitting their stationary
/// mineral fraction with [`calibrate`]: its first scenario with `sites = cortical_sites`, no
/// cortical sites, `activation_per_site_per_year` × `cortical_activation_ratio` (the cortical
/// hazard, `processes/activation.rs`) and `initial_mineral_fraction =
/// initial_cortical_mineral_fraction`. Cortical sites follow every other rule as cancellous ones
/// do, so this tissue is theirs; two differences are left: bound bisphosphonate is released by
/// its own resorption (in the full tissue by the cancellous sites'), and a `kind = "parameter"`
/// intervention that *sets* `activation_per_site_per_year` sets it without the ratio. `None`
/// without cortical sites.
pub fn cortical_tissue(config: &Config) -> Option<Config> {
    let mut cortical = config.clone();
    cortical.scenarios.truncate(1);
    let p = &mut cortical.scenarios.first_mut()?.params;
    if p.cortical_sites == 0 {
        return None;
    }
    let activation = p.activation_per_site_per_year * p.cortical_activation_ratio;
    p.set("activation_per_site_per_year", Value::Float(activation)).ok()?;
    (p.sites, p.cortical_sites, p.initial_mineral_fraction) =
        (p.cortical_sites, 0, p.initial_cortical_mineral_fraction);
    Some(cortical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    #[test]
    fn the_cortical_tissue_is_the_cortical_sites_alone_at_their_activation() {
        let text = "[params]\nsites = 50\ncortical_sites = 20\ncortical_activation_ratio = 0.25\n\
                    initial_cortical_mineral_fraction = 0.95\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n";
        let config = Config::parse("test", text, &Overrides::default()).expect("valid");
        let tissue = cortical_tissue(&config).expect("it has cortical sites");
        assert_eq!(tissue.scenarios.len(), 1);
        let (p, q) = (&tissue.scenarios[0].params, &config.scenarios[0].params);
        assert_eq!((p.sites, p.cortical_sites), (20, 0));
        assert_eq!(p.activation_per_site_per_year, q.activation_per_site_per_year * 0.25);
        assert_eq!(p.initial_mineral_fraction, 0.95);
        let rest = crate::config::Params {
            sites: q.sites,
            cortical_sites: q.cortical_sites,
            activation_per_site_per_year: q.activation_per_site_per_year,
            initial_mineral_fraction: q.initial_mineral_fraction,
            ..p.clone()
        };
        assert_eq!(&rest, q, "nothing else changes");
        let none = Config::parse("test", "[params]\nsites = 50\n", &Overrides::default()).expect("valid");
        assert!(cortical_tissue(&none).is_none());
    }
}
