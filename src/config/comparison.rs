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
//! A target's `day` is read at the nearest recorded day. `metric` is one of the recorded metrics
//! (`timeseries.csv`) or a biopsy index (`histomorphometry.csv`, read for the biopsy year that
//! holds `day`: day 1095 is year 3). `relative = true` states the range as % of the reference's
//! mean (activation frequency −36 % rather than −0.29 per site-year). Under a `[sweep]` every
//! target is evaluated at every sweep point.

use super::keys::did_you_mean;
use super::located::{Doc, Locations};
use super::{Config, ConfigError, Scenario};
use crate::record::{BIOPSY, METRICS};
use toml::Spanned;
use toml::de::DeValue;

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
    pub targets: Vec<Target>,
}

impl Default for Comparison {
    fn default() -> Comparison {
        Comparison { reference_scenario: String::new(), common_random_numbers: true, targets: Vec::new() }
    }
}

/// "The effect of `scenario` vs the reference on `metric` at `day` should lie in [low, high]."
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// A scenario as written in the config (under a sweep: at every point).
    pub scenario: String,
    /// One of [`METRICS`] or [`BIOPSY`].
    pub metric: &'static str,
    pub day: f64,
    /// The range is in % of the reference's mean, not in the metric's units.
    pub relative: bool,
    pub low: f64,
    pub high: f64,
    /// Where the range comes from (free text).
    pub source: String,
}

/// Read the `[[target]]` tables, checking scenario names and metrics.
pub(super) fn targets(
    doc: &Doc,
    v: &Spanned<DeValue>,
    scenarios: &[Scenario],
    at: &mut Locations,
) -> Result<Vec<Target>, ConfigError> {
    let list = v.get_ref().as_array().ok_or_else(|| doc.err(&v.span(), "target", "expected [[target]] tables"))?;
    let mut targets = Vec::new();
    for (n, t) in list.iter().enumerate() {
        let prefix = format!("target[{n}]");
        let mut target = Target {
            scenario: String::new(),
            metric: "",
            day: f64::NAN,
            relative: false,
            low: f64::NAN,
            high: f64::NAN,
            source: String::new(),
        };
        for (k, v) in Doc::entries(doc.table(t, &prefix)?) {
            let key = format!("{prefix}.{}", k.get_ref());
            match k.get_ref().as_ref() {
                "scenario" => {
                    let name = doc.string(v, &key)?;
                    if !scenarios.iter().any(|s| s.name == name) {
                        let known: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
                        return Err(doc.err(
                            &v.span(),
                            &key,
                            format!(
                                "unknown scenario `{name}`{}; the config has {}",
                                did_you_mean(&name, known.iter().copied()),
                                known.join(", ")
                            ),
                        ));
                    }
                    target.scenario = name;
                    at.insert(key.clone(), doc.err(&v.span(), &key, ""));
                }
                "metric" => {
                    let name = doc.string(v, &key)?;
                    target.metric = METRICS.iter().chain(&BIOPSY).find(|m| **m == name).ok_or_else(|| {
                        let known = format!("{}, {}", METRICS.join(", "), BIOPSY.join(", "));
                        let hint = did_you_mean(&name, METRICS.iter().chain(&BIOPSY).copied());
                        doc.err(&v.span(), &key, format!("unknown metric `{name}`{hint}; known: {known}"))
                    })?;
                }
                "day" => {
                    target.day = doc.float(v, &key, 0.0)?;
                    at.insert(key.clone(), doc.err(&v.span(), &key, ""));
                }
                "relative" => target.relative = doc.switch(v, &key)?,
                "low" => target.low = doc.float(v, &key, f64::MIN)?,
                "high" => target.high = doc.float(v, &key, f64::MIN)?,
                "source" => target.source = doc.string(v, &key)?,
                other => {
                    let fields = ["scenario", "metric", "day", "relative", "low", "high", "source"];
                    let hint = did_you_mean(other, fields);
                    return Err(doc.err(&k.span(), &key, format!("unknown key{hint}; expected {}", fields.join(", "))));
                }
            }
        }
        for (missing, what) in [
            (target.scenario.is_empty(), "scenario"),
            (target.metric.is_empty(), "metric"),
            (target.day.is_nan(), "day"),
        ] {
            if missing {
                return Err(doc.err(
                    &t.span(),
                    &format!("{prefix}.{what}"),
                    format!("every [[target]] needs `{what}`"),
                ));
            }
        }
        if target.low.is_nan() || target.high.is_nan() || target.low > target.high {
            return Err(doc.err(
                &t.span(),
                &format!("{prefix}.low"),
                "every [[target]] needs `low` and `high`, with low <= high",
            ));
        }
        targets.push(target);
    }
    Ok(targets)
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
