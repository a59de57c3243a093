//! The distance of a model run to the data: the targets standardised by their errors, so that a
//! target measured precisely counts for more than one measured loosely, and targets in different
//! units (% of bone density, activations per site-year) can be summed.
//!
//! Rule, for m targets with data y_k ± s_k and model outputs x_k:
//! ```text
//! z_k = (x_k − y_k) / s_k
//! ρ = √( (1/m) Σ_k z_k² )          (root mean square z-score; ρ = 1: one standard error off on average)
//! ```
//! s_k is the trial's standard error (`[[target]]` `se`, or its 95 % interval's width / 2·1.96).
//! To count the model's own stochastic spread, pass √(s_k² + s_model²/R) for the mean of R
//! replicates. A non-finite model output (a failed run) is infinitely far, and ABC never
//! accepts it.
//!
//! | symbol | meaning |
//! |---|---|
//! | y_k, s_k | target k's value and standard error ([`Observed`]) |
//! | x_k | the model's output for target k |
//! | ρ | the distance |
//!
//! Source: the standardised Euclidean distance of ABC (Beaumont, Zhang & Balding 2002 Genetics
//! 162:2025 scale summaries by their spread; Prangle 2017 Bayesian Anal 12:289 discusses the
//! choice of scale).

use super::InferenceError;
use serde::{Deserialize, Serialize};

/// One target: the data's value and its standard error (the trial's, combined in quadrature
/// with the model's own spread where that is to count).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observed {
    pub value: f64,
    pub se: f64,
}

/// ρ = √( (1/m) Σ_k ((y_k − x_k) / s_k)² ): the root mean square of the targets' z-scores.
/// A non-finite model output (a failed run) is infinitely far.
pub fn distance(observed: &[Observed], simulated: &[f64]) -> Result<f64, InferenceError> {
    if observed.is_empty() {
        return Err(InferenceError::Settings("a distance needs at least one target".into()));
    }
    if observed.len() != simulated.len() {
        return Err(InferenceError::Dimension {
            what: "model outputs per target",
            expected: observed.len(),
            got: simulated.len(),
        });
    }
    if let Some((k, o)) =
        observed.iter().enumerate().find(|(_, o)| !(o.se > 0.0 && o.se.is_finite() && o.value.is_finite()))
    {
        return Err(InferenceError::Settings(format!(
            "target {k}: value {} ± {} needs a finite value and se > 0",
            o.value, o.se
        )));
    }
    let sum: f64 = observed.iter().zip(simulated).map(|(o, x)| ((x - o.value) / o.se).powi(2)).sum();
    let rho = (sum / observed.len() as f64).sqrt();
    Ok(if rho.is_finite() { rho } else { f64::INFINITY })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_is_the_rms_z_score() {
        let two = [Observed { value: 0.0, se: 1.0 }, Observed { value: 10.0, se: 2.0 }];
        // z = 3 and −2: √((9 + 4)/2).
        assert_eq!(distance(&two, &[3.0, 6.0]).unwrap(), 6.5f64.sqrt());
        assert_eq!(distance(&two, &[0.0, 10.0]).unwrap(), 0.0);
        assert_eq!(distance(&two, &[f64::NAN, 6.0]).unwrap(), f64::INFINITY);
        assert_eq!(distance(&two, &[f64::MAX, -f64::MAX]).unwrap(), f64::INFINITY);
    }

    #[test]
    fn bad_targets_are_refused() {
        assert!(distance(&[Observed { value: 1.0, se: 0.0 }], &[1.0]).is_err());
        assert!(distance(&[Observed { value: f64::NAN, se: 1.0 }], &[1.0]).is_err());
        assert!(distance(&[Observed { value: 1.0, se: 2.0 }], &[1.0, 2.0]).is_err());
        assert!(distance(&[], &[]).is_err());
    }
}
