//! Priors: each free parameter is uniform or log-uniform on [lo, hi], independently, and every
//! method works on the unit cube the priors map onto.
//!
//! Rule, per parameter θ with prior bounds lo < hi:
//! ```text
//! uniform:      π(θ) = 1 / (hi − lo)               u = (θ − lo) / (hi − lo)
//! log-uniform:  π(θ) = 1 / (θ · ln(hi / lo))       u = ln(θ / lo) / ln(hi / lo)     (0 < lo)
//! θ = T(u), u ∈ [0, 1]; π(θ) = |du/dθ|, so U ~ U[0, 1] gives θ = T(U) ~ π
//! ```
//! Under this map every prior is the uniform density on the unit cube, so ABC's kernel and
//! weights, Morris's grid and Saltelli's sequence all live in u and only the caller's points are
//! in θ. A log-uniform prior is the one for a rate or a scale known only to its order of
//! magnitude: it puts equal mass on every decade.
//!
//! | symbol | meaning |
//! |---|---|
//! | θ | a parameter's value, in its own units |
//! | lo, hi | the prior's bounds (the support) |
//! | u | θ on the unit interval |
//! | π | the prior density |
//!
//! Source: Gelman et al. 2013, *Bayesian Data Analysis*, 3rd ed., §2.8 (non-informative priors,
//! the log-uniform prior of a scale parameter); the unit-cube map is the usual one of
//! Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §1.2.

use super::InferenceError;
use rand::{Rng, RngExt};
use serde::{Deserialize, Serialize};

/// The shape of a prior on [lo, hi].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Uniform in θ.
    Uniform,
    /// Uniform in ln θ (lo > 0).
    LogUniform,
}

/// One parameter's prior.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Prior {
    /// The parameter's key (`bmu-sim params`), for messages and output columns.
    pub name: String,
    pub scale: Scale,
    pub lo: f64,
    pub hi: f64,
}

impl Prior {
    /// A prior on [lo, hi]; refused unless lo < hi are finite (and lo > 0 for log-uniform).
    pub fn new(name: &str, scale: Scale, lo: f64, hi: f64) -> Result<Prior, InferenceError> {
        let refuse = |message: &str| Err(InferenceError::Prior { name: name.into(), message: message.into() });
        if !(lo.is_finite() && hi.is_finite()) {
            return refuse("bounds must be finite numbers");
        }
        if lo >= hi {
            return refuse("needs lo < hi");
        }
        if scale == Scale::LogUniform && lo <= 0.0 {
            return refuse("a log-uniform prior needs lo > 0");
        }
        Ok(Prior { name: name.into(), scale, lo, hi })
    }

    /// True when θ lies in the support [lo, hi].
    pub fn contains(&self, theta: f64) -> bool {
        (self.lo..=self.hi).contains(&theta)
    }

    /// π(θ): 0 outside the support.
    pub fn density(&self, theta: f64) -> f64 {
        if !self.contains(theta) {
            return 0.0;
        }
        match self.scale {
            Scale::Uniform => 1.0 / (self.hi - self.lo),
            Scale::LogUniform => 1.0 / (theta * (self.hi / self.lo).ln()),
        }
    }

    /// θ = T(u), for u in [0, 1] (clamped: T maps the cube onto the support and nothing else).
    pub fn from_unit(&self, u: f64) -> f64 {
        let u = u.clamp(0.0, 1.0);
        let theta = match self.scale {
            Scale::Uniform => self.lo + u * (self.hi - self.lo),
            Scale::LogUniform => self.lo * ((self.hi / self.lo).ln() * u).exp(),
        };
        theta.clamp(self.lo, self.hi)
    }

    /// u = T⁻¹(θ); outside [0, 1] exactly when θ is outside the support.
    pub fn to_unit(&self, theta: f64) -> f64 {
        match self.scale {
            Scale::Uniform => (theta - self.lo) / (self.hi - self.lo),
            Scale::LogUniform => (theta / self.lo).ln() / (self.hi / self.lo).ln(),
        }
    }

    /// One draw from the prior.
    pub fn sample(&self, rng: &mut impl Rng) -> f64 {
        self.from_unit(rng.random::<f64>())
    }
}

/// The joint prior of independent parameters, in a fixed order (the order of every θ vector).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Priors(Vec<Prior>);

impl Priors {
    /// The joint prior; refused when empty or when two priors name the same parameter.
    pub fn new(priors: Vec<Prior>) -> Result<Priors, InferenceError> {
        if priors.is_empty() {
            return Err(InferenceError::Settings("no parameter has a prior".into()));
        }
        for (i, p) in priors.iter().enumerate() {
            if priors[..i].iter().any(|q| q.name == p.name) {
                return Err(InferenceError::Prior { name: p.name.clone(), message: "given twice".into() });
            }
        }
        Ok(Priors(priors))
    }

    /// The parameters' priors, in order.
    pub fn list(&self) -> &[Prior] {
        &self.0
    }

    /// The number of parameters.
    pub fn dim(&self) -> usize {
        self.0.len()
    }

    /// π(θ) = Π πᵢ(θᵢ); 0 when θ has the wrong length.
    pub fn density(&self, theta: &[f64]) -> f64 {
        if theta.len() != self.dim() {
            return 0.0;
        }
        self.0.iter().zip(theta).map(|(p, &t)| p.density(t)).product()
    }

    /// θ = T(u), component by component.
    pub fn from_unit(&self, u: &[f64]) -> Vec<f64> {
        self.0.iter().zip(u).map(|(p, &x)| p.from_unit(x)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Streams;
    use crate::model::streams::Process;

    fn rng() -> crate::model::streams::Stream {
        Streams::new(11, 0).stream(Process::Abc, 0, 0)
    }

    #[test]
    fn bad_bounds_are_refused() {
        assert!(Prior::new("k", Scale::Uniform, 1.0, 1.0).is_err());
        assert!(Prior::new("k", Scale::Uniform, 2.0, 1.0).is_err());
        assert!(Prior::new("k", Scale::Uniform, f64::NAN, 1.0).is_err());
        assert!(Prior::new("k", Scale::LogUniform, 0.0, 1.0).is_err());
        assert!(Prior::new("k", Scale::LogUniform, 1e-3, 1.0).is_ok());
        let p = Prior::new("k", Scale::Uniform, 0.0, 1.0).unwrap();
        assert!(Priors::new(vec![p.clone(), p]).is_err());
        assert!(Priors::new(Vec::new()).is_err());
    }

    /// The density is the derivative of the map to the cube (so it integrates to 1 over the
    /// support), and the map round-trips.
    #[test]
    fn density_is_the_jacobian_of_the_map() {
        for p in [
            Prior::new("a", Scale::Uniform, -3.0, 5.0).unwrap(),
            Prior::new("b", Scale::LogUniform, 0.01, 100.0).unwrap(),
        ] {
            for u in [0.0, 0.1, 0.5, 0.93, 1.0] {
                let theta = p.from_unit(u);
                assert!((p.to_unit(theta) - u).abs() < 1e-12, "{} at u {u}", p.name);
                let h = 1e-6 * (p.hi - p.lo).min(theta.max(p.lo));
                let (a, b) = ((theta - h).max(p.lo), (theta + h).min(p.hi));
                let slope = (p.to_unit(b) - p.to_unit(a)) / (b - a);
                assert!((slope / p.density(theta) - 1.0).abs() < 1e-5, "{} at u {u}", p.name);
            }
            assert_eq!(p.density(p.lo - 1e-9), 0.0);
            assert_eq!(p.density(p.hi * 1.5 + 1.0), 0.0);
            assert!(p.to_unit(p.hi * 1.5 + 1.0) > 1.0);
        }
    }

    /// Draws follow the prior: a log-uniform prior on [0.01, 100] puts a quarter of its mass in
    /// each decade, and E[θ] = (hi − lo)/ln(hi/lo).
    #[test]
    fn draws_follow_the_prior() {
        let p = Prior::new("k", Scale::LogUniform, 0.01, 100.0).unwrap();
        let n = 100_000;
        let mut r = rng();
        let draws: Vec<f64> = (0..n).map(|_| p.sample(&mut r)).collect();
        let below_one = draws.iter().filter(|&&x| x < 1.0).count() as f64 / n as f64;
        assert!((below_one - 0.5).abs() < 0.01, "{below_one}");
        let in_first_decade = draws.iter().filter(|&&x| x < 0.1).count() as f64 / n as f64;
        assert!((in_first_decade - 0.25).abs() < 0.01, "{in_first_decade}");
        let mean = draws.iter().sum::<f64>() / n as f64;
        let exact = (p.hi - p.lo) / (p.hi / p.lo).ln();
        // sd of θ is ≈ 1.9 × its mean here: 5 standard errors of the mean.
        assert!((mean / exact - 1.0).abs() < 5.0 * 1.9 / (n as f64).sqrt(), "{mean} vs {exact}");
        assert!(draws.iter().all(|&x| p.contains(x)));
    }
}
