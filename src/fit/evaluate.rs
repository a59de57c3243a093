//! One model evaluation of a fit: at a proposal θ, every named config's needed scenarios run as
//! the units of one [`Study`](crate::study::Study) per config, the fitted targets read back with
//! the model's own spread, and their distance to the data.
//!
//! Rule, for fitted target k with data y_k ± s_k (the trial's se, or a band's half-width) and
//! the model's effect over R replicates, mean x̄_k with 95 % interval [lo_k, hi_k]:
//! ```text
//! s_model,k = (hi_k − lo_k) / (2 · t_0.975(R − 1))          the standard error of x̄_k
//! z_k = (x̄_k − y_k) / √(s_k² + s_model,k²)
//! ρ = √( (1/m) Σ_k z_k² )                                  (inference::distance)
//! seed(t, i) = mix(seed_fit ⊕ mix(2³² · t + i))            one seed per evaluation
//! ```
//! Each evaluation draws its own streams (its seed), so proposals are independent draws of the
//! simulator, as ABC needs; within an evaluation the config's `common_random_numbers` pairs the
//! target scenarios with their reference as in a run. As under a `[sweep]`, θ is set in every
//! scenario and never in the untreated `[params]` reference. Under a Welch comparison (common
//! random numbers off) t is taken at R − 1 degrees of freedom, a little below Welch's, so
//! s_model is a little too large there (conservative).

use super::file::{Fitted, Spec, needed};
use crate::Error;
use crate::analysis::stats::t_quantile_975;
use crate::config::{Config, ConfigError, Overrides, Value};
use crate::inference::{Observed, ProposalId, distance};
use crate::model::streams::mix;
use crate::record::RunRecord;
use serde::{Deserialize, Serialize};

/// What one evaluation found: θ, each fitted target's model mean and standard error (in the
/// spec's target order), and the distance to the data. Kept on disk once finished.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    pub id: ProposalId,
    pub theta: Vec<f64>,
    /// x̄_k (NaN where the run recorded nothing at the target's day).
    pub outputs: Vec<f64>,
    /// s_model,k.
    pub spread: Vec<f64>,
    /// ρ (infinite when an output is not finite).
    pub distance: f64,
}

/// The master seed of evaluation `id`.
pub fn seed(fit_seed: u64, id: ProposalId) -> u64 {
    mix(fit_seed ^ mix((u64::from(id.generation) << 32).wrapping_add(id.index)))
}

/// The config that runs config `c` of the fit at θ: its needed scenarios with θ set, its fitted
/// targets only, its own seed, no plots; checked as any config is.
pub fn config(spec: &Spec, c: usize, theta: &[f64], seed: u64) -> Result<Config, Error> {
    let base = &spec.configs[c];
    let mut run = base.clone();
    run.seed = seed;
    run.plots = false;
    run.comparison.targets = mine(spec, c).map(|t| t.target.clone()).collect();
    run.scenarios = needed(base, &spec.targets, c).into_iter().map(|s| base.scenarios[s].clone()).collect();
    for scenario in &mut run.scenarios {
        for (prior, &x) in spec.priors.list().iter().zip(theta) {
            // Every value lies inside a range checked against every needed scenario.
            let _ = scenario.params.set(&prior.name, Value::Float(x));
        }
    }
    Config::parse(&spec.config_names[c], &run.resolved_toml(), &Overrides::default()).map_err(|e| {
        let message = format!("the fit makes a config that cannot run: {}", e.message);
        Error::Config(ConfigError { line: 0, column: 0, message, ..e })
    })
}

/// Config `c`'s fitted targets, in the spec's order.
fn mine(spec: &Spec, c: usize) -> impl Iterator<Item = &Fitted> {
    spec.targets.iter().filter(move |t| t.config == c)
}

/// (x̄_k, s_model,k) of each of config `c`'s fitted targets, from the runs of its evaluation
/// config `run`.
pub fn read(run: &Config, runs: &[RunRecord]) -> Vec<(f64, f64)> {
    crate::analysis::evaluate(run, runs)
        .iter()
        .map(|r| match r.diff {
            None => (f64::NAN, f64::NAN),
            Some(d) => {
                let half = (d.ci_hi - d.ci_lo) / 2.0;
                let se = if half.is_finite() { half / t_quantile_975(d.n.saturating_sub(1).max(1)) } else { 0.0 };
                (d.mean, se)
            }
        })
        .collect()
}

/// ρ of outputs x̄ with model spreads s_model to the spec's data.
pub fn rho(spec: &Spec, outputs: &[f64], spread: &[f64]) -> Result<f64, Error> {
    let observed: Vec<Observed> = spec
        .targets
        .iter()
        .zip(spread)
        .map(|(t, s)| Observed {
            value: t.observed.value,
            se: t.observed.se.hypot(if s.is_finite() { *s } else { 0.0 }),
        })
        .collect();
    distance(&observed, outputs).map_err(|e| Error::Runtime(format!("distance: {e}")))
}

/// Put config `c`'s (x̄, s_model) into the spec-ordered vectors.
pub fn place(spec: &Spec, c: usize, read: &[(f64, f64)], outputs: &mut [f64], spread: &mut [f64]) {
    let slots = spec.targets.iter().enumerate().filter(|(_, t)| t.config == c).map(|(k, _)| k);
    for (k, &(x, s)) in slots.zip(read) {
        outputs[k] = x;
        spread[k] = s;
    }
}
