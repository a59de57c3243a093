//! The perturbation kernel of ABC-SMC (`abc.rs`) and the importance weights it implies: a
//! multivariate normal around an ancestor drawn by weight, with twice the population's weighted
//! covariance.
//!
//! Rule, for a population {u_j, w_j} in the unit cube (weights normalised):
//! ```text
//! ū = Σ_j w_j u_j,   Σ_w = Σ_j w_j (u_j − ū)(u_j − ū)ᵀ
//! Σ_K = 2 Σ_w + δ I = L Lᵀ                                  (Cholesky)
//! draw:    j ~ w,  z ~ N(0, I),  u* = u_j + L z
//! density: K(u | u_j) ∝ exp(−½ |L⁻¹(u − u_j)|²)             (the constant cancels in the weights)
//! weight of a new particle u_i:  w_i ∝ 1 / Σ_j w_j K(u_i | u_j),   normalised over i
//! ```
//! The sums run in logs (log-sum-exp), so that a particle far from every ancestor keeps a finite
//! weight instead of dividing by an underflowed zero.
//!
//! | symbol | meaning |
//! |---|---|
//! | u_j, w_j | the previous population's particles (unit cube) and weights |
//! | Σ_w, Σ_K | the population's weighted covariance, the kernel's covariance |
//! | δ | [`VARIANCE_FLOOR`] |
//! | L | the lower Cholesky factor of Σ_K |
//!
//! Source: Beaumont, Cornuet, Marin & Robert 2009 Biometrika 96:983 (Σ_K = 2Σ_w and the weights);
//! Filippi et al. 2013 Stat Appl Genet Mol Biol 12:87 (the multivariate kernel).

use super::population::Particle;
use crate::model::streams::Stream;
use rand::RngExt;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

/// δ, added to Σ_K's diagonal, in unit-cube units (an sd of 10⁻⁶ of the prior's range): a
/// population collapsed onto one point still gives a proper kernel.
pub const VARIANCE_FLOOR: f64 = 1e-12;
/// Σ_K is this multiple of Σ_w (Beaumont 2009).
const KERNEL_SCALE: f64 = 2.0;

/// The kernel of one population: L (rows of the lower factor) and the cumulative weights to draw
/// ancestors by.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Kernel {
    chol: Vec<Vec<f64>>,
    cumulative: Vec<f64>,
}

impl Kernel {
    /// The kernel of `particles` (None when Σ_K is not positive definite: non-finite input).
    pub(super) fn new(particles: &[Particle]) -> Option<Kernel> {
        let d = particles.first().map_or(0, |p| p.unit.len());
        let mean: Vec<f64> = (0..d).map(|r| particles.iter().map(|p| p.weight * p.unit[r]).sum()).collect();
        let mut cov = vec![vec![0.0; d]; d];
        for (r, row) in cov.iter_mut().enumerate() {
            for (c, cell) in row.iter_mut().enumerate() {
                let s: f64 = particles.iter().map(|p| p.weight * (p.unit[r] - mean[r]) * (p.unit[c] - mean[c])).sum();
                *cell = KERNEL_SCALE * s + if r == c { VARIANCE_FLOOR } else { 0.0 };
            }
        }
        let mut total = 0.0;
        let cumulative = particles
            .iter()
            .map(|p| {
                total += p.weight;
                total
            })
            .collect();
        Some(Kernel { chol: cholesky(&cov)?, cumulative })
    }

    /// True when the kernel is one of `dim` parameters built from `particles` particles, with a
    /// proper factor: what a restored state must show before it is used.
    pub(super) fn fits(&self, dim: usize, particles: usize) -> bool {
        let row = |(r, l): (usize, &Vec<f64>)| l.len() == dim && l.iter().all(|x| x.is_finite()) && l[r] > 0.0;
        self.chol.len() == dim && self.chol.iter().enumerate().all(row) && self.cumulative.len() == particles
    }

    /// One draw u* = u_j + L z, with the ancestor j drawn by weight from `particles` (the
    /// population the kernel was built from). Draws a uniform, then d normals, from `rng`.
    pub(super) fn perturb(&self, particles: &[Particle], rng: &mut Stream) -> Vec<f64> {
        let u = rng.random::<f64>();
        let j = self.cumulative.partition_point(|&c| c <= u).min(particles.len().saturating_sub(1));
        let d = self.chol.len();
        let z: Vec<f64> = (0..d).map(|_| rng.sample::<f64, _>(StandardNormal)).collect();
        (0..d).map(|r| particles[j].unit[r] + (0..=r).map(|c| self.chol[r][c] * z[c]).sum::<f64>()).collect()
    }

    /// The normalised importance weights of new particles at `units`, proposed from `previous`.
    pub(super) fn weights<'a>(&self, previous: &[Particle], units: impl Iterator<Item = &'a [f64]>) -> Vec<f64> {
        let log_denominators: Vec<f64> = units
            .map(|u| {
                let terms: Vec<f64> =
                    previous.iter().map(|p| p.weight.ln() - 0.5 * mahalanobis2(&self.chol, u, &p.unit)).collect();
                let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                top + terms.iter().map(|t| (t - top).exp()).sum::<f64>().ln()
            })
            .collect();
        let least = log_denominators.iter().copied().fold(f64::INFINITY, f64::min);
        let raw: Vec<f64> = log_denominators.iter().map(|l| (least - l).exp()).collect();
        let total: f64 = raw.iter().sum();
        raw.iter().map(|w| w / total).collect()
    }
}

/// |L⁻¹(a − b)|², by forward substitution.
fn mahalanobis2(chol: &[Vec<f64>], a: &[f64], b: &[f64]) -> f64 {
    let mut y = vec![0.0; chol.len()];
    for r in 0..chol.len() {
        let partial: f64 = (0..r).map(|c| chol[r][c] * y[c]).sum();
        y[r] = (a[r] - b[r] - partial) / chol[r][r];
    }
    y.iter().map(|v| v * v).sum()
}

/// The lower Cholesky factor of a symmetric positive-definite matrix (None otherwise).
fn cholesky(a: &[Vec<f64>]) -> Option<Vec<Vec<f64>>> {
    let n = a.len();
    let mut l = vec![vec![0.0; n]; n];
    for r in 0..n {
        for c in 0..=r {
            let s = a[r][c] - (0..c).map(|k| l[r][k] * l[c][k]).sum::<f64>();
            if r == c {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[r][c] = s.sqrt();
            } else {
                l[r][c] = s / l[c][c];
            }
        }
    }
    Some(l)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::population::ProposalId;
    use crate::model::Streams;
    use crate::model::streams::Process;

    fn particle(unit: Vec<f64>, weight: f64) -> Particle {
        let id = ProposalId { generation: 0, index: 0 };
        Particle { id, theta: unit.clone(), unit, weight, distance: 0.0 }
    }

    #[test]
    fn cholesky_factors_and_refuses() {
        let l = cholesky(&[vec![4.0, 2.0], vec![2.0, 3.0]]).unwrap();
        assert_eq!(l, vec![vec![2.0, 0.0], vec![1.0, 2f64.sqrt()]]);
        assert!(cholesky(&[vec![1.0, 2.0], vec![2.0, 1.0]]).is_none());
        assert!(cholesky(&[vec![f64::NAN]]).is_none());
        // |L⁻¹ x|² = xᵀ Σ⁻¹ x; Σ⁻¹ = [[3, −2], [−2, 4]] / 8.
        let x = [1.0, -1.0];
        assert!((mahalanobis2(&l, &x, &[0.0, 0.0]) - (3.0 + 4.0 + 4.0) / 8.0).abs() < 1e-15);
    }

    /// Draws around a correlated population have twice its covariance (plus the covariance of
    /// the ancestors themselves: Var(u*) = Σ_w + Σ_K = 3 Σ_w).
    #[test]
    fn draws_have_the_kernel_covariance() {
        let cloud: Vec<Particle> = (0..200)
            .map(|i| f64::from(i) / 200.0)
            .map(|t| particle(vec![t, 0.5 * t + 0.1 * (t * 37.0).sin()], 1.0 / 200.0))
            .collect();
        let kernel = Kernel::new(&cloud).unwrap();
        let covariance = |points: &[Vec<f64>], w: f64| -> [f64; 3] {
            let m: Vec<f64> = (0..2).map(|r| points.iter().map(|p| w * p[r]).sum()).collect();
            let c = |a: usize, b: usize| points.iter().map(|p| w * (p[a] - m[a]) * (p[b] - m[b])).sum::<f64>();
            [c(0, 0), c(0, 1), c(1, 1)]
        };
        let units: Vec<Vec<f64>> = cloud.iter().map(|p| p.unit.clone()).collect();
        let population = covariance(&units, 1.0 / 200.0);
        let n = 100_000;
        let mut rng = Streams::new(3, 0).stream(Process::Abc, 0, 0);
        let draws: Vec<Vec<f64>> = (0..n).map(|_| kernel.perturb(&cloud, &mut rng)).collect();
        let drawn = covariance(&draws, 1.0 / n as f64);
        for (got, want) in drawn.iter().zip(population) {
            assert!((got / (3.0 * want) - 1.0).abs() < 0.03, "{drawn:?} vs 3 × {population:?}");
        }
    }

    /// A particle where the ancestors are dense was easy to propose and weighs less than one
    /// where they are sparse; equidistant particles weigh the same; weights sum to 1.
    #[test]
    fn weights_undo_the_proposal_density() {
        let previous = vec![particle(vec![0.4], 0.5), particle(vec![0.6], 0.5)];
        let kernel = Kernel::new(&previous).unwrap();
        let units = [[0.5], [0.9], [0.1]];
        let w = kernel.weights(&previous, units.iter().map(|u| u.as_slice()));
        assert!(w[0] < w[1] && (w[1] - w[2]).abs() < 1e-12, "{w:?}");
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        // Far in the tail every kernel term underflows alone; in logs the weight stays finite.
        let far = kernel.weights(&previous, [[0.5], [1e6]].iter().map(|u| u.as_slice()));
        assert!(far.iter().all(|w| w.is_finite()) && far[1] > 0.99, "{far:?}");
    }
}
