//! Contrasts (`[[contrast]]`, [`crate::config::contrasts`]): a difference of two scenarios,
//! `a − b`, or a difference of differences (an interaction), `(a − b) − (c − d)`, per recorded day
//! and metric, with its 95 % interval.
//!
//! Under common random numbers replicate r of every scenario draws the same streams, so the
//! contrast is taken replicate by replicate, `(a[r] − b[r]) − (c[r] − d[r])`, over the replicates
//! in which every term is defined, and its interval is the Student-t interval of that mean
//! ([`paired_contrast`]): noise shared by the four scenarios cancels. With independent streams it
//! is the same combination of the four means, with the Welch–Satterthwaite interval of a linear
//! combination of independent means ([`welch_contrast`]). A difference `a − b` is computed exactly
//! as an effect is ([`difference`]), so a contrast of a scenario against the reference equals its
//! row of `effects.csv`, bit for bit.

use super::effects::{Difference, difference};
use super::series::Groups;
use super::stats::{defined, summarize, t_quantile_975};
use crate::config::Config;
use crate::config::contrasts::Contrast;
use crate::record::{METRICS, RunRecord};

/// `(a[r] − b[r]) − (c[r] − d[r])` per replicate r (as many as the shortest side has), NaN where a
/// term is undefined.
pub fn interaction_per_replicate(a: &[f64], b: &[f64], c: &[f64], d: &[f64]) -> Vec<f64> {
    let n = a.len().min(b.len()).min(c.len()).min(d.len());
    (0..n).map(|r| (a[r] - b[r]) - (c[r] - d[r])).collect()
}

/// The mean of `(a − b) − (c − d)` over the replicates where all four are defined, with its
/// Student-t 95 % interval (none below two replicates).
pub fn paired_contrast(a: &[f64], b: &[f64], c: &[f64], d: &[f64]) -> Difference {
    let s = summarize(&defined(&interaction_per_replicate(a, b, c, d)));
    let (lo, hi) = if s.n < 2 { (f64::NAN, f64::NAN) } else { (s.ci_lo, s.ci_hi) };
    Difference { n: s.n, mean: s.mean, ci_lo: lo, ci_hi: hi }
}

/// `(mean a − mean b) − (mean c − mean d)` over the defined values of each (independent samples),
/// with the Welch–Satterthwaite interval: variance Σ sᵢ²/nᵢ, degrees of freedom
/// (Σ vᵢ)² / Σ vᵢ²/(nᵢ − 1) rounded down; `n` is the smallest sample.
pub fn welch_contrast(a: &[f64], b: &[f64], c: &[f64], d: &[f64]) -> Difference {
    let s = [a, b, c, d].map(|x| summarize(&defined(x)));
    let n = s.iter().map(|s| s.n).min().unwrap_or(0);
    let mean = (s[0].mean - s[1].mean) - (s[2].mean - s[3].mean);
    if n < 2 {
        return Difference { n, mean, ci_lo: f64::NAN, ci_hi: f64::NAN };
    }
    let v = s.map(|s| s.sd * s.sd / s.n as f64);
    let se2 = v.iter().sum::<f64>();
    if se2 == 0.0 {
        return Difference { n, mean, ci_lo: mean, ci_hi: mean };
    }
    let df = se2 * se2 / v.iter().zip(&s).map(|(v, s)| v * v / (s.n - 1) as f64).sum::<f64>();
    let half = t_quantile_975((df.floor() as usize).max(1)) * se2.sqrt();
    Difference { n, mean, ci_lo: mean - half, ci_hi: mean + half }
}

/// One contrast on one metric at one day.
#[derive(Clone, Debug, PartialEq)]
pub struct ContrastEffect {
    /// The contrast's label, with `@<point>` under a sweep.
    pub contrast: String,
    /// Its formula, `a - b` or `(a - b) - (c - d)`.
    pub expression: String,
    pub day: f64,
    /// Index into [`METRICS`].
    pub metric: usize,
    pub diff: Difference,
}

/// Indices in [`Config::scenarios`] of the contrast's scenarios at sweep point `point`, in the
/// order a, b, c, d (two for a difference).
fn variants(config: &Config, contrast: &Contrast, point: usize) -> Vec<usize> {
    let base = |name: &str| config.base_scenarios().iter().position(|s| s.name == name).unwrap_or(0);
    contrast.terms().iter().map(|(name, _)| base(name) * config.points() + point).collect()
}

/// The contrast at sweep point `point` on metric `m` at the `i`-th day of its `a` scenario, or
/// `None` when another of its scenarios did not record that day.
pub fn contrast_at(
    config: &Config,
    groups: &Groups,
    contrast: &Contrast,
    point: usize,
    i: usize,
    m: usize,
) -> Option<ContrastEffect> {
    let vs = variants(config, contrast, point);
    let day = *groups.days(vs[0]).get(i)?;
    let mut values = Vec::with_capacity(vs.len());
    for &v in &vs {
        let j = groups.days(v).iter().position(|&d| d == day)?;
        values.push(groups.values(v, j, m));
    }
    let diff = match values.as_slice() {
        [a, b] => difference(config, a, b),
        [a, b, c, d] if config.comparison.common_random_numbers => paired_contrast(a, b, c, d),
        [a, b, c, d] => welch_contrast(a, b, c, d),
        _ => return None,
    };
    let contrast_label = label(config, contrast, point);
    Some(ContrastEffect { contrast: contrast_label, expression: contrast.expression(), day, metric: m, diff })
}

/// What outputs call `contrast` at sweep point `point`: its label, with `@<point>` under a sweep.
pub fn label(config: &Config, contrast: &Contrast, point: usize) -> String {
    match &config.sweep {
        Some(sweep) => format!("{}@{}", contrast.label(), sweep.label(point)),
        None => contrast.label(),
    }
}

/// Every contrast of the config (file order), at every sweep point, every recorded day and every
/// metric in [`METRICS`] order.
pub fn contrasts(config: &Config, runs: &[RunRecord]) -> Vec<ContrastEffect> {
    let groups = Groups::new(config, runs);
    let mut all = Vec::new();
    for contrast in &config.comparison.contrasts {
        for point in 0..config.points() {
            let days = groups.days(variants(config, contrast, point)[0]).len();
            for i in 0..days {
                all.extend((0..METRICS.len()).filter_map(|m| contrast_at(config, &groups, contrast, point, i, m)));
            }
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::super::effects::{paired, welch};
    use super::*;

    #[test]
    fn an_interaction_is_the_paired_mean_of_differences_of_differences() {
        // Per replicate: (a − b) − (c − d) = 1, 3, 5 → mean 3, sd 2, half width t(2)·2/√3.
        let (a, b) = ([10.0, 20.0, 30.0], [5.0, 10.0, 15.0]);
        let (c, d) = ([7.0, 9.0, 11.0], [3.0, 2.0, 1.0]);
        assert_eq!(interaction_per_replicate(&a, &b, &c, &d), [1.0, 3.0, 5.0]);
        let x = paired_contrast(&a, &b, &c, &d);
        let half = 4.302652729749464 * 2.0 / 3f64.sqrt();
        assert_eq!((x.n, x.mean), (3, 3.0));
        assert!((x.ci_lo - (3.0 - half)).abs() < 1e-12 && (x.ci_hi - (3.0 + half)).abs() < 1e-12, "{x:?}");
        // With c = d the interaction is the difference a − b, interval and all.
        assert_eq!(paired_contrast(&a, &b, &c, &c), paired(&a, &b));
    }

    #[test]
    fn a_replicate_with_any_term_undefined_is_left_out() {
        let nan = f64::NAN;
        let x = paired_contrast(&[1.0, nan, 3.0, 4.0], &[0.0; 4], &[0.0, 0.0, nan, 0.0], &[0.0; 4]);
        assert_eq!(x, paired_contrast(&[1.0, 4.0], &[0.0; 2], &[0.0; 2], &[0.0; 2]));
        assert_eq!((x.n, x.mean), (2, 2.5));
        let one = paired_contrast(&[1.0, nan], &[0.0, 0.0], &[0.0, 0.0], &[0.0, 0.0]);
        assert_eq!((one.n, one.mean), (1, 1.0));
        assert!(one.ci_lo.is_nan(), "one replicate: no interval");
    }

    #[test]
    fn independent_streams_combine_four_variances() {
        // Means 2, 5, 1, 0; variances of the means 1/3, 20/3/4, 1/2, 0 (n = 3, 4, 2, 2).
        let (a, b, c, d) = ([1.0, 2.0, 3.0], [2.0, 4.0, 6.0, 8.0], [0.0, 2.0], [0.0, 0.0]);
        let x = welch_contrast(&a, &b, &c, &d);
        let v = [1.0 / 3.0, 20.0 / 3.0 / 4.0, 2.0 / 2.0, 0.0];
        let se2: f64 = v.iter().sum();
        let df = se2 * se2 / (v[0] * v[0] / 2.0 + v[1] * v[1] / 3.0 + v[2] * v[2] / 1.0);
        let half = t_quantile_975(df.floor() as usize) * se2.sqrt();
        assert_eq!((x.n, x.mean), (2, (2.0 - 5.0) - (1.0 - 0.0)));
        assert!((x.ci_hi - (x.mean + half)).abs() < 1e-12, "{x:?} vs ± {half}");
        // Two of the four the same constant: Welch's interval for the other two.
        let w = welch_contrast(&a, &b, &[4.0; 3], &[4.0; 3]);
        assert_eq!(w, welch(&a, &b));
    }
}
