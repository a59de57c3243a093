//! The indices of every output and the tables they are written to: `sensitivity.csv` (one row per
//! output and parameter) and `points.csv` (one row per design point).

use super::file::{Method, Spec};
use crate::Error;
use crate::inference::InferenceError;
use crate::model::{Process, Streams};
use std::io::Write;

/// One parameter's indices for one output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Index {
    Morris { mu: f64, mu_star: f64, sigma: f64 },
    Sobol { s1: f64, s1_ci: (f64, f64), st: f64, st_ci: (f64, f64) },
}

impl Index {
    /// What the bar plot shows: μ* or ST, with ST's interval.
    pub fn bar(&self) -> (f64, Option<(f64, f64)>) {
        match *self {
            Index::Morris { mu_star, .. } => (mu_star, None),
            Index::Sobol { st, st_ci, .. } => (st, Some(st_ci)),
        }
    }
}

/// The indices of every output (`indices[o][i]` for parameter i). Output o's bootstrap draws
/// from its own stream of the config's seed, so the result does not depend on the others.
pub fn indices(spec: &Spec, outputs: &[Vec<f64>], labels: &[String]) -> Result<Vec<Vec<Index>>, Error> {
    let failed = |o: usize, e: InferenceError| Error::Runtime(format!("output `{}`: {e}", labels[o]));
    outputs
        .iter()
        .enumerate()
        .map(|(o, y)| match &spec.method {
            Method::Morris(design) => Ok(design
                .indices(y)
                .map_err(|e| failed(o, e))?
                .into_iter()
                .map(|m| Index::Morris { mu: m.mu, mu_star: m.mu_star, sigma: m.sigma })
                .collect()),
            Method::Sobol { design, resamples } => {
                let mut rng = Streams::new(spec.config.seed, 0).stream(Process::Sensitivity, 1 + o as u64, 0);
                Ok(design
                    .indices(y, *resamples, &mut rng)
                    .map_err(|e| failed(o, e))?
                    .into_iter()
                    .map(|s| Index::Sobol { s1: s.first, s1_ci: s.first_ci, st: s.total, st_ci: s.total_ci })
                    .collect())
            }
        })
        .collect()
}

/// A number as the tables write it: shortest round trip, and empty when not finite (an interval
/// with no usable resample).
fn number(x: f64) -> String {
    if x.is_finite() { format!("{x}") } else { String::new() }
}

fn csv_error(e: csv::Error) -> std::io::Error {
    std::io::Error::other(e)
}

/// `sensitivity.csv`: output, parameter, method, then μ, μ*, σ (Morris) or S1 and ST with their
/// 95 % bootstrap intervals (Sobol).
pub fn write_indices(spec: &Spec, labels: &[String], indices: &[Vec<Index>], out: impl Write) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let columns: &[&str] = match spec.method {
        Method::Morris(_) => &["mu", "mu_star", "sigma"],
        Method::Sobol { .. } => &["s1", "s1_low", "s1_high", "st", "st_low", "st_high"],
    };
    let header = ["output", "parameter", "method"].iter().chain(columns);
    w.write_record(header).map_err(csv_error)?;
    for (label, row) in labels.iter().zip(indices) {
        for (prior, index) in spec.priors.list().iter().zip(row) {
            let values = match *index {
                Index::Morris { mu, mu_star, sigma } => vec![mu, mu_star, sigma],
                Index::Sobol { s1, s1_ci, st, st_ci } => vec![s1, s1_ci.0, s1_ci.1, st, st_ci.0, st_ci.1],
            };
            let fixed = [label.clone(), prior.name.clone(), spec.method.name().to_string()];
            w.write_record(fixed.into_iter().chain(values.into_iter().map(number))).map_err(csv_error)?;
        }
    }
    w.flush()
}

/// `points.csv`: every design point's index, parameter values and outputs, in evaluation order.
pub fn write_points(
    spec: &Spec,
    points: &[Vec<f64>],
    labels: &[String],
    outputs: &[Vec<f64>],
    out: impl Write,
) -> std::io::Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let keys = spec.priors.list().iter().map(|p| p.name.clone());
    w.write_record(std::iter::once("point".to_string()).chain(keys).chain(labels.iter().cloned()))
        .map_err(csv_error)?;
    for (p, theta) in points.iter().enumerate() {
        let ys = outputs.iter().map(|y| y[p]);
        let row = std::iter::once(p.to_string()).chain(theta.iter().copied().chain(ys).map(number));
        w.write_record(row).map_err(csv_error)?;
    }
    w.flush()
}
