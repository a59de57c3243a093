//! Statistical inference, free of the simulator: priors, ABC-SMC calibration, and Morris and Sobol
//! sensitivity analysis (issue 16; docs/inference.md). Every method is ask/tell: it hands out
//! parameter points with stable ids, the caller evaluates them anywhere (threads, shards, Slurm)
//! in any order, and hands the results back. Randomness is passed in (a seed or an `Rng`), never
//! global, so the same seed and the same results give the same output on any number of threads.
//!
//! - [`prior`]: uniform and log-uniform priors and their map to the unit cube;
//! - [`abc`]: ABC-SMC with adaptive tolerances (Toni 2009, Beaumont 2009, Del Moral 2012);
//! - [`population`]: proposals, outcomes and weighted populations (ESS, mean, quantiles);
//! - [`mod@distance`]: the distance of a model run to the targets, standardised by their errors;
//! - [`morris`]: elementary effects μ, μ*, σ (Morris 1991, Campolongo 2007);
//! - [`sobol`]: first-order and total Sobol indices (Saltelli 2010, Jansen 1999) with bootstrap
//!   intervals.

pub mod abc;
pub mod distance;
mod kernel;
pub mod morris;
pub mod population;
pub mod prior;
pub mod sobol;

pub use abc::{Sampler, Settings, Stop};
pub use distance::{Observed, distance};
pub use morris::{MorrisDesign, MorrisIndex};
pub use population::{Outcome, Particle, Population, Proposal, ProposalId};
pub use prior::{Prior, Priors, Scale};
pub use sobol::{SobolDesign, SobolIndex};

use std::fmt;

/// Everything an inference method can refuse, typed.
#[derive(Clone, Debug, PartialEq)]
pub enum InferenceError {
    /// A prior is not a proper distribution (bounds not finite, not ordered, or not positive for
    /// a log-uniform prior).
    Prior { name: String, message: String },
    /// A method's settings are out of range.
    Settings(String),
    /// A vector has the wrong length.
    Dimension { what: &'static str, expected: usize, got: usize },
    /// A result names a proposal that was never handed out.
    UnknownProposal(ProposalId),
    /// A distance is negative.
    Distance { id: ProposalId, value: f64 },
    /// A model output is not a finite number.
    Output { index: usize, value: f64 },
    /// The outputs cannot give the asked quantity (they do not vary).
    Degenerate(String),
    /// A saved sampler state cannot be read, or its parts do not fit together.
    State(String),
    /// The perturbation kernel could not be built or could not propose inside the prior.
    Kernel(String),
}

impl fmt::Display for InferenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InferenceError::Prior { name, message } => write!(f, "prior of `{name}`: {message}"),
            InferenceError::Settings(m) | InferenceError::Degenerate(m) | InferenceError::Kernel(m) => write!(f, "{m}"),
            InferenceError::Dimension { what, expected, got } => {
                write!(f, "{what}: expected {expected} values, got {got}")
            }
            InferenceError::State(m) => write!(f, "saved sampler: {m}"),
            InferenceError::UnknownProposal(id) => write!(f, "no proposal {id} was handed out"),
            InferenceError::Distance { id, value } => {
                write!(f, "proposal {id}: distance {value} is negative")
            }
            InferenceError::Output { index, value } => write!(f, "output {index} is {value}, not a finite number"),
        }
    }
}

impl std::error::Error for InferenceError {}

/// The `p`-quantile (0 ≤ p ≤ 1) of `values` with weights `weights` (normalised here): the
/// smallest value whose cumulative weight reaches p. With equal weights this is the inverse of
/// the empirical distribution function. NaN when there are no values.
pub fn weighted_quantile(values: &[f64], weights: &[f64], p: f64) -> f64 {
    let mut order: Vec<usize> = (0..values.len().min(weights.len())).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let total: f64 = order.iter().map(|&i| weights[i]).sum();
    let mut cumulative = 0.0;
    for &i in &order {
        cumulative += weights[i];
        if cumulative >= p * total {
            return values[i];
        }
    }
    order.last().map_or(f64::NAN, |&i| values[i])
}

/// The `p`-quantile of equally weighted `values` (see [`weighted_quantile`]).
pub fn quantile(values: &[f64], p: f64) -> f64 {
    weighted_quantile(values, &vec![1.0; values.len()], p)
}

/// A design's unit-cube points in θ, once the priors are checked to be one per parameter.
fn design_points(priors: &Priors, parameters: usize, units: Vec<Vec<f64>>) -> Result<Vec<Vec<f64>>, InferenceError> {
    if priors.dim() != parameters {
        return Err(InferenceError::Dimension { what: "priors", expected: parameters, got: priors.dim() });
    }
    Ok(units.iter().map(|u| priors.from_unit(u)).collect())
}

/// A design's outputs: one finite number per point.
fn check_outputs(outputs: &[f64], points: usize) -> Result<(), InferenceError> {
    if outputs.len() != points {
        return Err(InferenceError::Dimension { what: "outputs", expected: points, got: outputs.len() });
    }
    match outputs.iter().enumerate().find(|(_, y)| !y.is_finite()) {
        Some((index, &value)) => Err(InferenceError::Output { index, value }),
        None => Ok(()),
    }
}
