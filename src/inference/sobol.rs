//! Variance-based sensitivity: first-order and total Sobol indices of a scalar output, from
//! Saltelli's radial design on a scrambled Sobol sequence, with bootstrap intervals.
//!
//! Rule, for y = f(u) on the unit cube (u = T⁻¹(θ), `prior.rs`) with d parameters and n rows:
//! ```text
//! A, B: n × d, rows j of one 2d-dimensional scrambled Sobol sequence (A its first d columns,
//!       B its last d);  A_B^(i): A with column i taken from B
//! V    = Var({f(A_j)} ∪ {f(B_j)})
//! S_i  = (1/n) Σ_j f(B_j) · (f(A_B^(i)_j) − f(A_j)) / V          (Saltelli 2010, eq. b)
//! ST_i = (1/2n) Σ_j (f(A_j) − f(A_B^(i)_j))² / V                  (Jansen 1999, eq. f)
//! 95 % intervals: percentiles 2.5 and 97.5 of both over R resamples of the n rows
//! ```
//! The design costs n(d + 2) evaluations. Point k of [`SobolDesign::unit_points`] is row
//! j = k / (d + 2) of A (k mod (d + 2) = 0), of B (= 1) or of A_B^(i) (= 2 + i), so a row's
//! evaluations are contiguous and a bootstrap resample takes whole rows. Run the model at every
//! point with common random numbers (the same replicate streams at every point), or the model's
//! noise poses as sensitivity.
//!
//! | symbol | meaning |
//! |---|---|
//! | d, n | parameters, rows (base samples) |
//! | S_i, ST_i | first-order and total index of parameter i |
//! | V | the output's variance |
//! | R | bootstrap resamples |
//!
//! Sources: Saltelli et al. 2010 Comput Phys Commun 181:259 (design and S_i, table 2 (b));
//! Jansen 1999 Comput Phys Commun 117:35 (ST_i, table 2 (f) of Saltelli 2010); Owen-scrambled
//! Sobol points from the `sobol_burley` crate (Burley 2020 JCGT 9(4)); Efron & Tibshirani 1993
//! (percentile bootstrap); Ishigami & Homma 1990 (the test function).

use super::InferenceError;
use super::prior::Priors;
use rand::{Rng, RngExt};

/// Rows the Sobol sequence provides (`sobol_burley`: 2¹⁶ samples).
pub const MAX_ROWS: usize = 1 << 16;
/// Parameters at most: A and B together take 2d of the sequence's dimensions.
pub const MAX_PARAMETERS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;
/// The interval's coverage: percentiles (1 − c)/2 and (1 + c)/2.
const COVERAGE: f64 = 0.95;

/// Saltelli's design for `parameters` parameters and `rows` base samples.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SobolDesign {
    parameters: usize,
    rows: usize,
    seed: u32,
}

/// One parameter's indices with their 95 % bootstrap intervals.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    pub first: f64,
    pub first_ci: (f64, f64),
    pub total: f64,
    pub total_ci: (f64, f64),
}

impl SobolDesign {
    /// The design; `seed` picks one of the sequence's independent scramblings.
    pub fn new(parameters: usize, rows: usize, seed: u32) -> Result<SobolDesign, InferenceError> {
        if !(1..=MAX_PARAMETERS).contains(&parameters) {
            return Err(InferenceError::Settings(format!("Sobol indices need 1 to {MAX_PARAMETERS} parameters")));
        }
        if !(2..=MAX_ROWS).contains(&rows) {
            return Err(InferenceError::Settings(format!("Sobol indices need 2 to {MAX_ROWS} rows")));
        }
        Ok(SobolDesign { parameters, rows, seed })
    }

    /// Model evaluations: n(d + 2).
    pub fn evaluations(&self) -> usize {
        self.rows * self.width()
    }

    fn width(&self) -> usize {
        self.parameters + 2
    }

    /// Every point in the unit cube, in evaluation order.
    pub fn unit_points(&self) -> Vec<Vec<f64>> {
        let d = self.parameters;
        let mut points = Vec::with_capacity(self.evaluations());
        for j in 0..self.rows as u32 {
            let column = |c: usize| f64::from(sobol_burley::sample(j, c as u32, self.seed));
            let a: Vec<f64> = (0..d).map(column).collect();
            let b: Vec<f64> = (d..2 * d).map(column).collect();
            points.push(a.clone());
            points.push(b.clone());
            for i in 0..d {
                let mut ab = a.clone();
                ab[i] = b[i];
                points.push(ab);
            }
        }
        points
    }

    /// Every point in θ, in evaluation order.
    pub fn points(&self, priors: &Priors) -> Result<Vec<Vec<f64>>, InferenceError> {
        super::design_points(priors, self.parameters, self.unit_points())
    }

    /// The indices of every parameter from the outputs at [`Self::unit_points`], in order, with
    /// intervals from `resamples` bootstrap resamples of the rows drawn with `rng` (NaN with none).
    pub fn indices(
        &self,
        outputs: &[f64],
        resamples: usize,
        rng: &mut impl Rng,
    ) -> Result<Vec<SobolIndex>, InferenceError> {
        super::check_outputs(outputs, self.evaluations())?;
        let all: Vec<usize> = (0..self.rows).collect();
        let estimate = self.estimate(outputs, &all)?;
        let mut draws = vec![(Vec::with_capacity(resamples), Vec::with_capacity(resamples)); self.parameters];
        let mut rows = vec![0; self.rows];
        for _ in 0..resamples {
            rows.iter_mut().for_each(|r| *r = rng.random_range(0..self.rows));
            // A resample whose outputs happen not to vary has no indices: it is left out.
            if let Ok(resampled) = self.estimate(outputs, &rows) {
                for (i, (s, st)) in resampled.into_iter().enumerate() {
                    draws[i].0.push(s);
                    draws[i].1.push(st);
                }
            }
        }
        let (lo, hi) = ((1.0 - COVERAGE) / 2.0, (1.0 + COVERAGE) / 2.0);
        let interval = |v: &[f64]| (super::quantile(v, lo), super::quantile(v, hi));
        Ok(estimate
            .into_iter()
            .zip(&draws)
            .map(|((first, total), (s, st))| SobolIndex { first, first_ci: interval(s), total, total_ci: interval(st) })
            .collect())
    }

    /// (S_i, ST_i) of every parameter over the given rows.
    fn estimate(&self, y: &[f64], rows: &[usize]) -> Result<Vec<(f64, f64)>, InferenceError> {
        let w = self.width();
        let (fa, fb) = (|j: usize| y[j * w], |j: usize| y[j * w + 1]);
        let n = rows.len() as f64;
        let mean = rows.iter().map(|&j| fa(j) + fb(j)).sum::<f64>() / (2.0 * n);
        let variance = rows.iter().map(|&j| (fa(j) - mean).powi(2) + (fb(j) - mean).powi(2)).sum::<f64>() / (2.0 * n);
        if variance.is_nan() || variance <= 0.0 {
            return Err(InferenceError::Degenerate("the output does not vary: no variance to apportion".into()));
        }
        Ok((0..self.parameters)
            .map(|i| {
                let fab = |j: usize| y[j * w + 2 + i];
                let first = rows.iter().map(|&j| fb(j) * (fab(j) - fa(j))).sum::<f64>() / n;
                let total = rows.iter().map(|&j| (fa(j) - fab(j)).powi(2)).sum::<f64>() / (2.0 * n);
                (first / variance, total / variance)
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inference::prior::{Prior, Scale};
    use crate::model::Streams;
    use crate::model::streams::Process;
    use std::f64::consts::PI;

    const A: f64 = 7.0;
    const B: f64 = 0.1;
    /// The brief's accuracy: every index within 0.02 of its analytic value.
    const ACCURACY: f64 = 0.02;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + A * x[1].sin().powi(2) + B * x[2].powi(4) * x[0].sin()
    }

    /// Analytic (S_i, ST_i) of the Ishigami function on [−π, π]³ (Ishigami & Homma 1990).
    fn analytic() -> [(f64, f64); 3] {
        let v1 = 0.5 * (1.0 + B * PI.powi(4) / 5.0).powi(2);
        let v2 = A * A / 8.0;
        let v13 = B * B * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
        let v = v1 + v2 + v13;
        [(v1 / v, (v1 + v13) / v), (v2 / v, v2 / v), (0.0, v13 / v)]
    }

    fn run(rows: usize, seed: u64) -> Vec<SobolIndex> {
        let side = Prior::new("x", Scale::Uniform, -PI, PI).unwrap();
        let priors =
            Priors::new(["x1", "x2", "x3"].map(|n| Prior { name: n.into(), ..side.clone() }).to_vec()).unwrap();
        let design = SobolDesign::new(3, rows, 0).unwrap();
        let outputs: Vec<f64> = design.points(&priors).unwrap().iter().map(|x| ishigami(x)).collect();
        let mut rng = Streams::new(seed, 0).stream(Process::Abc, 0, 0);
        design.indices(&outputs, 500, &mut rng).unwrap()
    }

    #[test]
    fn ishigami_indices_match_the_analytic_values() {
        let exact = analytic();
        let brief = [(0.314, 0.558), (0.442, 0.442), (0.0, 0.244)];
        for ((s, st), (bs, bst)) in exact.iter().zip(brief) {
            assert!((s - bs).abs() < 1e-3 && (st - bst).abs() < 1e-3, "analytic {s} {st}");
        }
        let estimated = run(1 << 14, 1);
        for (i, (e, (s, st))) in estimated.iter().zip(exact).enumerate() {
            eprintln!(
                "x{}: S1 {:.4} ({:.4}–{:.4}) vs {s:.4}; ST {:.4} ({:.4}–{:.4}) vs {st:.4}",
                i + 1,
                e.first,
                e.first_ci.0,
                e.first_ci.1,
                e.total,
                e.total_ci.0,
                e.total_ci.1
            );
            assert!((e.first - s).abs() < ACCURACY, "S1 of x{}: {} vs {s}", i + 1, e.first);
            assert!((e.total - st).abs() < ACCURACY, "ST of x{}: {} vs {st}", i + 1, e.total);
            assert!(e.first_ci.0 <= e.first && e.first <= e.first_ci.1);
            assert!(e.total_ci.0 <= e.total && e.total <= e.total_ci.1);
        }
    }

    /// The intervals are honest: they shrink as 1/√n (a quarter of the rows, twice the width,
    /// within ±30 %), and the same resampling seed gives the same intervals.
    #[test]
    fn bootstrap_intervals_shrink_with_the_rows() {
        let (small, large) = (run(1 << 11, 2), run(1 << 13, 2));
        for (s, l) in small.iter().zip(&large) {
            for (ws, wl) in [(s.first_ci, l.first_ci), (s.total_ci, l.total_ci)] {
                let ratio = (ws.1 - ws.0) / (wl.1 - wl.0);
                assert!((1.4..2.6).contains(&ratio), "width ratio {ratio}");
            }
        }
        assert_eq!(run(1 << 11, 2), small);
        assert_ne!(run(1 << 11, 3), small);
    }

    #[test]
    fn bad_input_is_refused() {
        assert!(SobolDesign::new(0, 100, 0).is_err());
        assert!(SobolDesign::new(MAX_PARAMETERS + 1, 100, 0).is_err());
        assert!(SobolDesign::new(2, MAX_ROWS + 1, 0).is_err());
        let design = SobolDesign::new(2, 8, 0).unwrap();
        let mut rng = Streams::new(1, 0).stream(Process::Abc, 0, 0);
        assert!(matches!(design.indices(&[1.0; 3], 10, &mut rng), Err(InferenceError::Dimension { .. })));
        let mut y = vec![1.0; design.evaluations()];
        assert!(matches!(design.indices(&y, 10, &mut rng), Err(InferenceError::Degenerate(_))));
        y[5] = f64::NAN;
        assert!(matches!(design.indices(&y, 10, &mut rng), Err(InferenceError::Output { index: 5, .. })));
        let one = Priors::new(vec![Prior::new("x", Scale::Uniform, 0.0, 1.0).unwrap()]).unwrap();
        assert!(design.points(&one).is_err());
    }
}
