//! What a fit reports: the posterior's particles, each parameter's interval and whether the data
//! narrowed it, and each target's data beside the posterior predictive.
//!
//! Rule, for the last population's particles θ_i with weights w_i (normalised):
//! ```text
//! median, 95 % interval of θ_k:  weighted quantiles q_0.5, q_0.025, q_0.975
//! width fraction f_k = (u(q_0.975) − u(q_0.025)) / 0.95     u: the prior's map to [0, 1]
//! narrowed: f_k < narrowed_below                           (the prior's own 95 % width is 0.95)
//! predictive of target k: weighted quantiles of x̄_k over the particles' own evaluations
//! ```
//! On the prior's scale a log-uniform parameter's width is measured in decades, as its prior is.
//! The predictive is that of the model's mean over the config's R replicates at a posterior
//! draw, the quantity the distance compared with the data.

use super::evaluate::Evaluation;
use super::file::Spec;
use crate::inference::{Population, Priors, Scale, weighted_quantile};
use std::io::{self, Write};

/// The lower and upper quantiles of a 95 % interval.
const LOW: f64 = 0.025;
const HIGH: f64 = 0.975;
/// The prior's own 95 % width on the unit interval.
const PRIOR_WIDTH: f64 = HIGH - LOW;

/// One parameter's posterior summary (a row of `fit.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Marginal {
    pub parameter: String,
    pub scale: Scale,
    pub prior_low: f64,
    pub prior_high: f64,
    pub median: f64,
    pub low: f64,
    pub high: f64,
    /// f_k: the posterior 95 % width over the prior's, on the prior's scale.
    pub width_fraction: f64,
    pub narrowed: bool,
}

/// One target's data beside its posterior predictive (a row of `predictive.csv`).
#[derive(Clone, Debug, PartialEq)]
pub struct Predictive {
    pub target: String,
    pub data: f64,
    pub data_se: f64,
    pub median: f64,
    pub low: f64,
    pub high: f64,
}

/// Each parameter's marginal in the last population.
pub fn marginals(spec: &Spec, last: &Population) -> Vec<Marginal> {
    marginals_of(&spec.priors, last, spec.narrowed_below)
}

fn marginals_of(priors: &Priors, last: &Population, narrowed_below: f64) -> Vec<Marginal> {
    priors
        .list()
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let (low, high) = (last.quantile(k, LOW), last.quantile(k, HIGH));
            let width_fraction = (p.to_unit(high) - p.to_unit(low)) / PRIOR_WIDTH;
            Marginal {
                parameter: p.name.clone(),
                scale: p.scale,
                prior_low: p.lo,
                prior_high: p.hi,
                median: last.quantile(k, 0.5),
                low,
                high,
                width_fraction,
                narrowed: width_fraction < narrowed_below,
            }
        })
        .collect()
}

/// Each target's posterior predictive over the last population's evaluations (in its order).
pub fn predictive(spec: &Spec, last: &Population, evaluations: &[Evaluation]) -> Vec<Predictive> {
    let weights: Vec<f64> = last.particles.iter().map(|p| p.weight).collect();
    spec.targets
        .iter()
        .enumerate()
        .map(|(k, t)| {
            let x: Vec<f64> = evaluations.iter().map(|e| e.outputs[k]).collect();
            Predictive {
                target: t.label.clone(),
                data: t.observed.value,
                data_se: t.observed.se,
                median: weighted_quantile(&x, &weights, 0.5),
                low: weighted_quantile(&x, &weights, LOW),
                high: weighted_quantile(&x, &weights, HIGH),
            }
        })
        .collect()
}

/// `posterior.csv`: every particle of every population, its generation, tolerance, weight,
/// distance and θ.
pub fn write_posterior(spec: &Spec, populations: &[Population], out: &mut impl Write) -> io::Result<()> {
    let names: Vec<&str> = spec.priors.list().iter().map(|p| p.name.as_str()).collect();
    writeln!(out, "generation,tolerance,particle,weight,distance,{}", names.join(","))?;
    for g in populations {
        let eps = g.tolerance.map_or(String::new(), |e| e.to_string());
        for p in &g.particles {
            let theta: Vec<String> = p.theta.iter().map(f64::to_string).collect();
            writeln!(out, "{},{eps},{},{},{},{}", g.generation, p.id.index, p.weight, p.distance, theta.join(","))?;
        }
    }
    Ok(())
}

/// `fit.csv`: one row per parameter.
pub fn write_fit(marginals: &[Marginal], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "parameter,prior,prior_low,prior_high,median,low95,high95,width_fraction,narrowed")?;
    for m in marginals {
        let prior = match m.scale {
            Scale::Uniform => "uniform",
            Scale::LogUniform => "log-uniform",
        };
        writeln!(
            out,
            "{},{prior},{},{},{},{},{},{},{}",
            m.parameter, m.prior_low, m.prior_high, m.median, m.low, m.high, m.width_fraction, m.narrowed
        )?;
    }
    Ok(())
}

/// `predictive.csv`: one row per fitted target.
pub fn write_predictive(rows: &[Predictive], out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "target,data,data_se,median,low95,high95")?;
    for r in rows {
        writeln!(out, "{},{},{},{},{},{}", r.target, r.data, r.data_se, r.median, r.low, r.high)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::DEFAULT_NARROWED;
    use crate::inference::{Particle, Prior, ProposalId};

    /// On a log-uniform prior the width is measured in decades: a posterior spread evenly over
    /// one decade of a four-decade prior has a width fraction of about 1/4.
    #[test]
    fn the_width_fraction_is_on_the_priors_scale() {
        let prior = Prior::new("k", Scale::LogUniform, 0.01, 100.0).expect("valid");
        let particles: Vec<Particle> = (0..=1000u32)
            .map(|i| {
                let u = 0.5 + 0.25 * f64::from(i) / 1000.0;
                Particle {
                    id: ProposalId { generation: 1, index: u64::from(i) },
                    theta: vec![prior.from_unit(u)],
                    unit: vec![u],
                    weight: 1.0,
                    distance: 0.0,
                }
            })
            .collect();
        let last = Population { generation: 1, tolerance: Some(1.0), candidates: 1001, particles };
        let spec_priors = Priors::new(vec![prior]).expect("valid");
        let m = &marginals_of(&spec_priors, &last, DEFAULT_NARROWED)[0];
        assert!((m.width_fraction - 0.25 * 0.95 / PRIOR_WIDTH).abs() < 1e-3, "{}", m.width_fraction);
        assert!(m.narrowed);
        assert!((m.median - 1.0 * 10f64.powf(0.5)).abs() < 0.01, "{}", m.median);
    }
}
