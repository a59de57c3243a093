//! Screening by elementary effects: which parameters matter at all, which act alone and which
//! through non-linearity or interactions, for (d + 1) model evaluations per trajectory.
//!
//! Rule, on the unit cube (u = T⁻¹(θ), `prior.rs`) with d parameters, p levels and r trajectories:
//! ```text
//! grid: u_i ∈ {0, 1/(p−1), …, 1},  Δ = p / (2(p − 1))   (p even)
//! trajectory: u⁰ on the grid, uniform; for each parameter i in a random order,
//!             u^(k+1) = u^k + s_i Δ e_i,  s_i = +1 if u_i^k + Δ ≤ 1, else −1
//! EE_i = (f(u^(k+1)) − f(u^k)) / (s_i Δ)            one per trajectory
//! μ_i = mean EE_i,   μ*_i = mean |EE_i|,   σ_i = sd EE_i (n − 1)
//! ```
//! Effects are per unit of the cube, that is per whole prior range: for f = c·θ_i with θ_i
//! uniform on [lo, hi], EE_i = c·(hi − lo). μ* ranks importance (Campolongo 2007: it does not let
//! effects of opposite sign cancel, as μ does); σ > 0 says the effect of i depends on where the
//! others are (non-linearity or interaction); μ* = 0 says f ignores i. With p even, a grid start
//! uniform on all p levels and the forced step direction give every level the same chance, as
//! Morris's random orientation does. Run the model with common random numbers at every point.
//!
//! | symbol | meaning |
//! |---|---|
//! | d, p, r | parameters, grid levels, trajectories |
//! | Δ | the step, in cube units |
//! | EE_i | elementary effect of parameter i |
//! | μ, μ*, σ | mean, mean absolute value and sd of EE_i over trajectories |
//!
//! Sources: Morris 1991 Technometrics 33:161; Campolongo, Cariboni & Saltelli 2007 Environ Model
//! Softw 22:1509 (μ*); Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, §3.

use super::InferenceError;
use super::prior::Priors;
use crate::analysis::stats::summarize;
use rand::{Rng, RngExt};

/// One trajectory: its starting grid levels and the order its parameters move in.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Trajectory {
    start: Vec<usize>,
    order: Vec<usize>,
}

/// r Morris trajectories through d parameters on a p-level grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MorrisDesign {
    parameters: usize,
    levels: usize,
    trajectories: Vec<Trajectory>,
}

/// One parameter's screening measures.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    pub mu: f64,
    pub mu_star: f64,
    pub sigma: f64,
}

impl MorrisDesign {
    /// The design, drawn with `rng`: r ≥ 2 trajectories (σ needs two), p ≥ 2 even levels.
    pub fn new(
        parameters: usize,
        trajectories: usize,
        levels: usize,
        rng: &mut impl Rng,
    ) -> Result<MorrisDesign, InferenceError> {
        if parameters == 0 || trajectories < 2 || levels < 2 || !levels.is_multiple_of(2) {
            return Err(InferenceError::Settings(
                "Morris screening needs at least 1 parameter, 2 trajectories and an even number of levels >= 2".into(),
            ));
        }
        let trajectories = (0..trajectories)
            .map(|_| {
                let start = (0..parameters).map(|_| rng.random_range(0..levels)).collect();
                // Fisher–Yates.
                let mut order: Vec<usize> = (0..parameters).collect();
                for i in (1..parameters).rev() {
                    order.swap(i, rng.random_range(0..=i));
                }
                Trajectory { start, order }
            })
            .collect();
        Ok(MorrisDesign { parameters, levels, trajectories })
    }

    /// Δ, in cube units.
    pub fn delta(&self) -> f64 {
        self.levels as f64 / (2.0 * (self.levels - 1) as f64)
    }

    /// Model evaluations: r(d + 1).
    pub fn evaluations(&self) -> usize {
        self.trajectories.len() * (self.parameters + 1)
    }

    /// The grid levels of every point, trajectory after trajectory, each from its start.
    fn walk(&self) -> impl Iterator<Item = Vec<usize>> + '_ {
        let jump = self.levels / 2;
        self.trajectories.iter().flat_map(move |t| {
            let mut at = t.start.clone();
            std::iter::once(at.clone()).chain(t.order.iter().map(move |&i| {
                at[i] = if at[i] + jump < self.levels { at[i] + jump } else { at[i] - jump };
                at.clone()
            }))
        })
    }

    /// Every point in the unit cube, in evaluation order.
    pub fn unit_points(&self) -> Vec<Vec<f64>> {
        let top = (self.levels - 1) as f64;
        self.walk().map(|levels| levels.iter().map(|&l| l as f64 / top).collect()).collect()
    }

    /// Every point in θ, in evaluation order.
    pub fn points(&self, priors: &Priors) -> Result<Vec<Vec<f64>>, InferenceError> {
        super::design_points(priors, self.parameters, self.unit_points())
    }

    /// μ, μ*, σ of every parameter from the outputs at [`Self::unit_points`], in order.
    pub fn indices(&self, outputs: &[f64]) -> Result<Vec<MorrisIndex>, InferenceError> {
        super::check_outputs(outputs, self.evaluations())?;
        let mut effects = vec![Vec::with_capacity(self.trajectories.len()); self.parameters];
        let points: Vec<Vec<usize>> = self.walk().collect();
        let stride = self.parameters + 1;
        for (t, trajectory) in self.trajectories.iter().enumerate() {
            for (k, &i) in trajectory.order.iter().enumerate() {
                let (before, after) = (t * stride + k, t * stride + k + 1);
                let step = if points[after][i] > points[before][i] { self.delta() } else { -self.delta() };
                effects[i].push((outputs[after] - outputs[before]) / step);
            }
        }
        Ok(effects
            .iter()
            .map(|ee| {
                let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / ee.len() as f64;
                let s = summarize(ee);
                MorrisIndex { mu: s.mean, mu_star, sigma: s.sd }
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::prior::{Prior, Scale};
    use crate::model::Streams;
    use crate::model::streams::{Process, Stream};

    const TRAJECTORIES: usize = 40;
    const LEVELS: usize = 4;
    /// Round-off allowed where an identity holds exactly.
    const EXACT: f64 = 1e-9;

    fn rng() -> Stream {
        Streams::new(5, 0).stream(Process::Abc, 0, 0)
    }

    fn priors(ranges: &[(f64, f64)]) -> Priors {
        Priors::new(
            ranges
                .iter()
                .enumerate()
                .map(|(i, &(lo, hi))| Prior::new(&format!("x{i}"), Scale::Uniform, lo, hi).unwrap())
                .collect(),
        )
        .unwrap()
    }

    fn screen(ranges: &[(f64, f64)], f: impl Fn(&[f64]) -> f64) -> Vec<MorrisIndex> {
        let design = MorrisDesign::new(ranges.len(), TRAJECTORIES, LEVELS, &mut rng()).unwrap();
        let outputs: Vec<f64> = design.points(&priors(ranges)).unwrap().iter().map(|x| f(x)).collect();
        design.indices(&outputs).unwrap()
    }

    /// f = Σ c_i θ_i: every effect is c_i·(hi − lo), so μ* = |c_i|·range, μ = c_i·range, σ = 0;
    /// the ignored input has μ* = 0.
    #[test]
    fn a_linear_function_has_constant_effects() {
        let ranges = [(0.0, 1.0), (-2.0, 3.0), (10.0, 10.5), (0.0, 7.0)];
        let coefficients = [3.0, -0.4, 12.0, 0.0];
        let f = |x: &[f64]| x.iter().zip(&coefficients).map(|(x, c)| x * c).sum::<f64>() + 1.0;
        for (m, (c, (lo, hi))) in screen(&ranges, f).iter().zip(coefficients.iter().zip(ranges)) {
            let range = hi - lo;
            assert!((m.mu_star - c.abs() * range).abs() < EXACT, "{m:?} vs {c}·{range}");
            assert!((m.mu - c * range).abs() < EXACT && m.sigma < EXACT, "{m:?}");
        }
    }

    /// f = θ0 + θ1·θ2 (θ3 ignored): θ0's effect is the same everywhere (σ = 0); θ1's and θ2's
    /// depend on each other (σ > 0); θ3's is 0.
    #[test]
    fn interactions_show_as_spread() {
        let ranges = [(0.0, 1.0); 4];
        let m = screen(&ranges, |x| x[0] + x[1] * x[2]);
        assert!((m[0].mu_star - 1.0).abs() < EXACT && m[0].sigma < EXACT, "{:?}", m[0]);
        for i in [1, 2] {
            assert!(m[i].sigma > 0.1, "x{i}: {:?}", m[i]);
            // EE_1 = θ2 (with θ2 on the grid), so μ* is its mean over the grid, 1/2, up to sampling.
            assert!((m[i].mu_star - 0.5).abs() < 0.15, "x{i}: {:?}", m[i]);
        }
        assert_eq!((m[3].mu_star, m[3].sigma), (0.0, 0.0));
        eprintln!("interaction: {m:?}");
    }

    /// Every point lies on the grid, consecutive points differ in one coordinate by Δ, and each
    /// trajectory moves every parameter once.
    #[test]
    fn trajectories_are_one_factor_at_a_time() {
        let design = MorrisDesign::new(5, 10, 6, &mut rng()).unwrap();
        let points = design.unit_points();
        assert_eq!(points.len(), design.evaluations());
        for t in points.chunks(6) {
            let mut moved = Vec::new();
            for w in t.windows(2) {
                let changed: Vec<usize> = (0..5).filter(|&i| w[0][i] != w[1][i]).collect();
                assert_eq!(changed.len(), 1);
                let i = changed[0];
                assert!(((w[1][i] - w[0][i]).abs() - design.delta()).abs() < EXACT);
                assert!((0.0..=1.0).contains(&w[1][i]));
                moved.push(i);
            }
            moved.sort_unstable();
            assert_eq!(moved, (0..5).collect::<Vec<_>>());
        }
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(MorrisDesign::new(0, 10, 4, &mut rng()).is_err());
        assert!(MorrisDesign::new(3, 1, 4, &mut rng()).is_err());
        assert!(MorrisDesign::new(3, 10, 5, &mut rng()).is_err());
        let design = MorrisDesign::new(2, 3, 4, &mut rng()).unwrap();
        assert!(matches!(design.indices(&[0.0; 4]), Err(InferenceError::Dimension { .. })));
        let mut y = vec![0.0; design.evaluations()];
        y[2] = f64::INFINITY;
        assert!(matches!(design.indices(&y), Err(InferenceError::Output { index: 2, .. })));
        assert!(design.points(&priors(&[(0.0, 1.0)])).is_err());
    }
}
