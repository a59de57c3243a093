//! Parameter against stochastic uncertainty in a run that draws from a posterior
//! (`posterior = "path"`): each non-reference scenario's effect on the headline metric at the last
//! recorded day, its spread over replicates split into the part the posterior's parameters make
//! and the model's own.
//!
//! Rule, one-way random effects over G draws of k = PER_DRAW replicates each (effect e_gi of
//! replicate i of draw g, paired with the reference's same replicate):
//! ```text
//! MSW = Σ_g Σ_i (e_gi − ē_g)² / (G (k − 1))          stochastic variance σ²_s = MSW
//! MSB = k Σ_g (ē_g − ē)² / (G − 1)                   σ²_θ = max(0, (MSB − MSW) / k)
//! parameter share = σ²_θ / (σ²_θ + σ²_s)
//! ```
//! Replicates of an unfinished draw (an odd count), and those where the metric is undefined, are
//! left out. Source: Searle, Casella & McCulloch 1992, *Variance Components*, §3.5 (the ANOVA
//! estimators of the balanced one-way model).

use super::series::{Groups, metric_index};
use crate::config::Config;
use crate::config::posterior::PER_DRAW;
use crate::record::RunRecord;

/// One scenario's split.
#[derive(Clone, Debug, PartialEq)]
pub struct Split {
    pub scenario: String,
    pub metric: &'static str,
    pub day: f64,
    /// Posterior draws used (k replicates each).
    pub draws: usize,
    /// ē: the mean effect.
    pub mean: f64,
    /// σ_θ and σ_s: the standard deviations of the effect due to the parameters and to the model.
    pub parameter_sd: f64,
    pub stochastic_sd: f64,
    /// σ²_θ / (σ²_θ + σ²_s) (NaN with fewer than two draws or no spread).
    pub parameter_share: f64,
}

/// Every non-reference scenario's split (none without a posterior).
pub fn splits(config: &Config, runs: &[RunRecord]) -> Vec<Split> {
    if config.posterior.is_none() {
        return Vec::new();
    }
    let groups = Groups::new(config, runs);
    let metric = config.comparison.headline();
    let m = metric_index(metric);
    let r = config.reference_variant(0);
    let k = PER_DRAW as usize;
    let mut out = Vec::new();
    for (v, s) in config.scenarios.iter().enumerate().filter(|&(v, _)| v != r) {
        let Some(i) = groups.nearest(v, None) else { continue };
        let day = groups.days(v)[i];
        let Some(j) = groups.days(r).iter().position(|&d| d == day) else { continue };
        let (a, b) = (groups.values(v, i, m), groups.values(r, j, m));
        let effects: Vec<Vec<f64>> = a
            .chunks_exact(k)
            .zip(b.chunks_exact(k))
            .map(|(x, y)| x.iter().zip(y).map(|(x, y)| x - y).collect::<Vec<f64>>())
            .filter(|e: &Vec<f64>| e.iter().all(|x| x.is_finite()))
            .collect();
        let g = effects.len();
        let means: Vec<f64> = effects.iter().map(|e| e.iter().sum::<f64>() / k as f64).collect();
        let mean = means.iter().sum::<f64>() / g as f64;
        let within: f64 = effects.iter().zip(&means).flat_map(|(e, m)| e.iter().map(move |x| (x - m).powi(2))).sum();
        let msw = within / (g * (k - 1)) as f64;
        let msb = k as f64 * means.iter().map(|m| (m - mean).powi(2)).sum::<f64>() / (g as f64 - 1.0);
        let parameter = ((msb - msw) / k as f64).max(0.0);
        let share = if g >= 2 { parameter / (parameter + msw) } else { f64::NAN };
        out.push(Split {
            scenario: s.name.clone(),
            metric,
            day,
            draws: g,
            mean,
            parameter_sd: parameter.sqrt(),
            stochastic_sd: msw.sqrt(),
            parameter_share: share,
        });
    }
    out
}

/// `uncertainty.csv`: one row per split.
pub fn write(splits: &[Split], mut out: impl std::io::Write) -> std::io::Result<()> {
    writeln!(out, "scenario,metric,day,draws,mean_effect,parameter_sd,stochastic_sd,parameter_share")?;
    for s in splits {
        writeln!(
            out,
            "{},{},{},{},{},{},{},{}",
            s.scenario, s.metric, s.day, s.draws, s.mean, s.parameter_sd, s.stochastic_sd, s.parameter_share
        )?;
    }
    out.flush()
}
