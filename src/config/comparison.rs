//! How a config's scenarios are compared (docs/model.md §2): the reference scenario every effect is
//! taken against, whether replicates share their random streams across scenarios, and the
//! calibration targets the effects should meet.
//!
//! ```toml
//! reference = "placebo"            # default: the first scenario
//! common_random_numbers = true     # default; false gives every scenario independent streams
//! [[target]]                       # the effect of `scenario` vs the reference on `metric` at
//! scenario = "denosumab"           # `day` should lie in [low, high]
//! metric = "bone_density"
//! day = 1095
//! low = 6.0
//! high = 12.0
//! source = "FREEDOM (Cummings 2009): lumbar spine about +9 % at 3 years"
//! ```
//!
//! Each target is read by `targets.rs`.

use super::keys::did_you_mean;
use super::located::Locations;
use super::{Config, ConfigError};
use crate::record::METRICS;

/// How scenarios are compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The scenario every effect is taken against; empty until `check` fills in the default
    /// (the first scenario).
    pub reference_scenario: String,
    /// Replicate r uses the same random streams in every scenario (paired effects); when false
    /// every scenario's streams are independent (Welch intervals).
    pub common_random_numbers: bool,
    /// Calibration targets, in file order.
    pub targets: Vec<super::targets::Target>,
    /// The `headline` key: the readouts to lead with, in order; empty for the automatic choice.
    pub headline: Vec<&'static str>,
    /// The `[[contrast]]` tables, in file order.
    pub contrasts: Vec<super::contrasts::Contrast>,
}

impl Default for Comparison {
    fn default() -> Comparison {
        Comparison {
            reference_scenario: String::new(),
            common_random_numbers: true,
            targets: Vec::new(),
            headline: Vec::new(),
            contrasts: Vec::new(),
        }
    }
}

impl Comparison {
    /// The readout a run's table, page and first figure lead with: the first of the `headline`
    /// key's, else the time-series metric of the first target that has one (what the trials the
    /// config is calibrated to measured, such as `spine_bmd`), else `bone_density`.
    pub fn headline(&self) -> &'static str {
        self.headline_metrics()[0]
    }

    /// Every headline readout, in order: the `headline` key's, else [`headline`](Self::headline)'s
    /// automatic choice alone. Never empty.
    pub fn headline_metrics(&self) -> Vec<&'static str> {
        if !self.headline.is_empty() {
            return self.headline.clone();
        }
        vec![self.targets.iter().map(|t| t.metric).find(|m| METRICS.contains(m)).unwrap_or("bone_density")]
    }
}

/// Checks that need the whole config, `--set` included: the reference names a scenario (and
/// defaults to the first), target and sweep days lie within the recorded period.
pub(super) fn check(config: &mut Config, at: &Locations) -> Result<(), ConfigError> {
    let top =
        || ConfigError { file: config.source.clone(), line: 1, column: 1, key: String::new(), message: String::new() };
    let located = |key: &str, message: String| {
        let mut e = at.get(key).cloned().unwrap_or_else(top);
        e.key = key.into();
        e.message = message;
        e
    };
    let names: Vec<&str> = config.base_scenarios().iter().map(|s| s.name.as_str()).collect();
    if config.comparison.reference_scenario.is_empty() {
        config.comparison.reference_scenario = names[0].to_string();
    } else if !names.contains(&config.comparison.reference_scenario.as_str()) {
        let name = &config.comparison.reference_scenario;
        let hint = did_you_mean(name, names.iter().copied());
        let message = format!("unknown scenario `{name}`{hint}; the config has {}", names.join(", "));
        return Err(located("reference", message));
    }
    for (n, t) in config.comparison.targets.iter().enumerate() {
        if t.scenario == config.comparison.reference_scenario {
            let message =
                format!("`{}` is the reference scenario: its effect against itself is 0 by definition", t.scenario);
            return Err(located(&format!("target[{n}].scenario"), message));
        }
    }
    Ok(())
}
