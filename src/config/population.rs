//! `[population]`: a virtual trial. Named parameters vary between patients, and each replicate is
//! one patient drawn from them, the same patient in every arm (so arms stay paired).
//!
//! Rule, for each key k of the table, replicate r:
//! ```text
//! { median = m, cv = c }   θ_k = m·exp(σ·z),  σ² = ln(1 + c²),  z ~ N(0, 1)     (log-normal)
//! { mean = μ, sd = s }     θ_k = μ + s·z, redrawn while outside the key's range  (truncated normal)
//! { low = a, high = b }    θ_k ~ U(a, b)
//! ```
//! drawn in table order from the stream (seed, r, `Process::Population`) by `patients.rs`, so a
//! patient does not depend on the scenario, thread or shard. `adherence` (the share of a regimen's doses taken,
//! `config/dosing.rs`) is a key like any other. Keys that fix the tissue's structure, numerics or
//! readout ([`FIXED_KEYS`]), integers and switches cannot vary between patients.

use super::interventions::FIXED_KEYS;
use super::keys::{did_you_mean, param_keys};
use super::located::{ConfigError, Doc};
use super::params::{PARAMS, Params, Range as ParamRange, Value};
use toml::Spanned;
use toml::de::DeValue;

/// How one parameter varies between patients.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Between {
    LogNormal { median: f64, cv: f64 },
    Normal { mean: f64, sd: f64 },
    Uniform { low: f64, high: f64 },
}

/// The patients of a virtual trial: each key with its between-patient distribution.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Population {
    pub keys: Vec<(&'static str, Between)>,
}

/// `[population]` at `v`.
pub(super) fn read(doc: &Doc, v: &Spanned<DeValue>, prefix: &str) -> Result<Population, ConfigError> {
    let table = doc.table(v, prefix)?;
    let mut keys = Vec::new();
    for (k, v) in Doc::entries(table) {
        let key = format!("{prefix}.{}", k.get_ref());
        let name = k.get_ref().as_ref();
        let spec = PARAMS.iter().find(|s| s.key == name).ok_or_else(|| {
            doc.err(
                &k.span(),
                &key,
                format!("unknown parameter{}; `bmu-sim params` lists them", did_you_mean(name, param_keys())),
            )
        })?;
        if matches!(spec.range, ParamRange::Count | ParamRange::Integer | ParamRange::Switch)
            || FIXED_KEYS.contains(&spec.key)
        {
            return Err(doc.err(
                &k.span(),
                &key,
                format!(
                    "`{name}` cannot vary between patients (integers, switches and {} are fixed)",
                    FIXED_KEYS.join(", ")
                ),
            ));
        }
        let fields = doc.table(v, &key)?;
        let mut given = std::collections::BTreeMap::new();
        for (f, x) in Doc::entries(fields) {
            let field = format!("{key}.{}", f.get_ref());
            match f.get_ref().as_ref() {
                "median" | "cv" | "mean" | "sd" | "low" | "high" => {
                    given.insert(f.get_ref().to_string(), (doc.float(x, &field, f64::MIN)?, x.span(), field));
                }
                other => {
                    let hint = did_you_mean(other, ["median", "cv", "mean", "sd", "low", "high"]);
                    return Err(doc.err(
                        &f.span(),
                        &field,
                        format!("unknown field{hint}; give median and cv, mean and sd, or low and high"),
                    ));
                }
            }
        }
        let names: Vec<&str> = given.keys().map(String::as_str).collect();
        let value = |n: &str| given[n].0;
        let between = match names.as_slice() {
            ["cv", "median"] => Between::LogNormal { median: value("median"), cv: value("cv") },
            ["mean", "sd"] => Between::Normal { mean: value("mean"), sd: value("sd") },
            ["high", "low"] => Between::Uniform { low: value("low"), high: value("high") },
            _ => {
                return Err(doc.err(
                    &v.span(),
                    &key,
                    "give median and cv (log-normal), mean and sd (normal), or low and high (uniform)",
                ));
            }
        };
        let accepts = |x: f64| Params::default().set(spec.key, Value::Float(x)).is_ok();
        let refuse = |field: &str, why: &str| {
            let (_, span, at) = &given[field];
            Err(doc.err(span, at, format!("{why} ({name} accepts {})", spec.range.describe())))
        };
        match between {
            Between::LogNormal { median, .. } if !(median > 0.0 && accepts(median)) => {
                return refuse("median", "must be > 0 and a value the key accepts");
            }
            Between::LogNormal { cv, .. } if cv < 0.0 => return refuse("cv", "must be >= 0"),
            Between::LogNormal { median, .. } if !accepts(median * 1e6) => {
                return refuse("median", "a log-normal reaches any positive value: the key must accept them all");
            }
            Between::Normal { mean, .. } if !accepts(mean) => return refuse("mean", "must be a value the key accepts"),
            Between::Normal { sd, .. } if sd < 0.0 => return refuse("sd", "must be >= 0"),
            Between::Uniform { low, high } if low >= high => return refuse("high", "must be above low"),
            Between::Uniform { low, high } if !(accepts(low) && accepts(high)) => {
                return refuse("low", "both ends must be values the key accepts");
            }
            _ => {}
        }
        keys.push((spec.key, between));
    }
    Ok(Population { keys })
}

/// No key varies both between patients and by a posterior draw or a sweep (one would silently
/// overwrite the other).
pub(super) fn check(config: &super::Config, locations: &super::located::Locations) -> Result<(), ConfigError> {
    let Some(population) = &config.population else { return Ok(()) };
    let drawn: Vec<&str> = config.posterior.iter().flat_map(|p| p.parameters.iter().copied()).collect();
    let swept: Vec<&str> = config.sweep.iter().flat_map(|s| s.axes.iter().map(|a| a.key)).collect();
    for (key, _) in &population.keys {
        let by = if drawn.contains(key) {
            "the posterior"
        } else if swept.contains(key) {
            "the sweep"
        } else {
            continue;
        };
        let at = format!("population.{key}");
        let mut e = locations
            .get(&at)
            .or_else(|| locations.get("population"))
            .cloned()
            .unwrap_or_else(|| ConfigError::at(&config.source, "", &(0..0), &at, ""));
        e.message = format!("`{key}` is also set by {by}: vary it one way only");
        return Err(e);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    fn population(table: &str) -> Result<Config, ConfigError> {
        Config::parse("p.toml", &format!("[population]\n{table}\n[[scenario]]\nname = \"a\"\n"), &Overrides::default())
    }

    #[test]
    fn a_population_that_cannot_be_drawn_is_refused_at_its_key() {
        let cases = [
            ("estrogen_loss_rnkl = { median = 1.5, cv = 0.3 }", "estrogen_loss_rnkl", "did you mean"),
            ("sites = { low = 1, high = 3 }", "sites", "cannot vary"),
            ("spine_cancellous_share = { low = 0.2, high = 0.5 }", "spine_cancellous_share", "cannot vary"),
            ("adherence = { median = 0.9, cv = 0.1 }", "adherence.median", "any positive value"),
            ("adherence = { low = 0.5, high = 1.5 }", "adherence.low", "both ends"),
            ("adherence = { low = 0.9, high = 0.5 }", "adherence.high", "above low"),
            ("estrogen_loss_rankl = { median = 1.5 }", "estrogen_loss_rankl", "give median and cv"),
            ("estrogen_loss_rankl = { median = 1.5, sd = 1 }", "estrogen_loss_rankl", "give median and cv"),
            ("estrogen_loss_rankl = { median = 1.5, cv = -1 }", "estrogen_loss_rankl.cv", ">= 0"),
            ("estrogen_loss_rankl = { median = 1.5, spread = 1 }", "estrogen_loss_rankl.spread", "unknown field"),
            ("estrogen_loss_rankl = 1.5", "estrogen_loss_rankl", "expected a table"),
        ];
        for (table, key, message) in cases {
            let e = population(table).expect_err(table);
            assert!(e.key == format!("population.{key}") && e.message.contains(message) && e.line == 2, "{table}: {e}");
        }
    }
}
