//! What ABC-SMC hands out and gives back: proposals with stable ids, their outcomes, and the
//! weighted populations with their summaries.
//!
//! Rule, for a population of N particles θ_i with normalised weights w_i:
//! ```text
//! ESS = (Σ w_i)² / Σ w_i²                       (N for equal weights, 1 when one particle has all)
//! mean_k = Σ w_i θ_ik / Σ w_i
//! q_p,k = min { θ_ik : Σ_{θ_jk ≤ θ_ik} w_j ≥ p Σ w_j }     (weighted quantile, super::weighted_quantile)
//! ```
//! A proposal's id (generation, index) is its identity: the same id always carries the same θ
//! for the same seed and earlier results (`abc.rs`), so a model run can be keyed by it, stored
//! as a unit, run on any worker and told back later.
//!
//! | symbol | meaning |
//! |---|---|
//! | θ_i, w_i | particle i and its weight |
//! | ESS | effective sample size |
//! | q_p,k | weighted p-quantile of parameter k |
//!
//! Source: Kish 1965, *Survey Sampling* (effective sample size); Liu 2001, *Monte Carlo
//! Strategies in Scientific Computing* (importance-sampling summaries).

use super::weighted_quantile;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A candidate's stable id: its generation and its index among that generation's candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ProposalId {
    pub generation: u32,
    pub index: u64,
}

impl fmt::Display for ProposalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "g{}-{}", self.generation, self.index)
    }
}

/// A parameter point to evaluate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    pub id: ProposalId,
    /// θ, in the priors' order and units.
    pub theta: Vec<f64>,
}

/// The distance of the model run at a proposal to the data. A non-finite distance (a failed
/// run) is never accepted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub id: ProposalId,
    pub distance: f64,
}

/// One accepted parameter point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Particle {
    pub id: ProposalId,
    pub theta: Vec<f64>,
    /// θ in the unit cube.
    pub unit: Vec<f64>,
    /// Normalised importance weight.
    pub weight: f64,
    pub distance: f64,
}

/// A finished generation: the weighted sample of the ABC posterior at its tolerance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Population {
    pub generation: u32,
    /// ε (none for generation 0, which accepts every finite distance).
    pub tolerance: Option<f64>,
    /// Candidates of this generation consumed to accept N (acceptance rate N / candidates).
    pub candidates: u64,
    pub particles: Vec<Particle>,
}

impl Population {
    /// Effective sample size (Σw)²/Σw².
    pub fn ess(&self) -> f64 {
        let (s, s2) = self.particles.iter().fold((0.0, 0.0), |(s, s2), p| (s + p.weight, s2 + p.weight * p.weight));
        s * s / s2
    }

    /// The weighted mean of parameter `i` (NaN for an unknown parameter).
    pub fn mean(&self, i: usize) -> f64 {
        let (s, sw) = self
            .particles
            .iter()
            .fold((0.0, 0.0), |(s, sw), p| (s + p.weight * p.theta.get(i).copied().unwrap_or(f64::NAN), sw + p.weight));
        s / sw
    }

    /// The weighted `p`-quantile of parameter `i` (NaN for an unknown parameter).
    pub fn quantile(&self, i: usize, p: f64) -> f64 {
        let values: Vec<f64> = self.particles.iter().map(|q| q.theta.get(i).copied().unwrap_or(f64::NAN)).collect();
        let weights: Vec<f64> = self.particles.iter().map(|q| q.weight).collect();
        weighted_quantile(&values, &weights, p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn population(thetas: &[f64], weights: &[f64]) -> Population {
        let particles = thetas
            .iter()
            .zip(weights)
            .enumerate()
            .map(|(i, (&t, &w))| Particle {
                id: ProposalId { generation: 1, index: i as u64 },
                theta: vec![t],
                unit: vec![t],
                weight: w,
                distance: 0.0,
            })
            .collect();
        Population { generation: 1, tolerance: Some(1.0), candidates: thetas.len() as u64, particles }
    }

    #[test]
    fn summaries_follow_the_weights() {
        let even = population(&[3.0, 1.0, 2.0, 4.0], &[0.25; 4]);
        assert_eq!(even.ess(), 4.0);
        assert_eq!(even.mean(0), 2.5);
        assert_eq!((even.quantile(0, 0.0), even.quantile(0, 0.5), even.quantile(0, 1.0)), (1.0, 2.0, 4.0));
        let skewed = population(&[3.0, 1.0, 2.0, 4.0], &[0.1, 0.1, 0.1, 0.7]);
        assert!((skewed.ess() - 1.0 / 0.52).abs() < 1e-12);
        assert!((skewed.mean(0) - 3.4).abs() < 1e-12);
        assert_eq!((skewed.quantile(0, 0.3), skewed.quantile(0, 0.31)), (3.0, 4.0));
        let one = population(&[3.0, 1.0], &[0.0, 1.0]);
        assert_eq!((one.ess(), one.mean(0), one.quantile(0, 0.5)), (1.0, 1.0, 1.0));
        assert!(even.mean(1).is_nan() && even.quantile(1, 0.5).is_nan());
        assert!(population(&[], &[]).quantile(0, 0.5).is_nan());
    }
}
