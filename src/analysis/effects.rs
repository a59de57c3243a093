//! Effects: each scenario's difference from the reference scenario, per recorded day and metric.
//!
//! Under common random numbers (the default) replicate r of every scenario draws the same random
//! streams, so the effect is the mean of the paired differences `x_s[r] − x_ref[r]` with the
//! Student-t 95 % interval of that mean ([`paired`]): the shared noise cancels. With
//! `common_random_numbers = false` the scenarios are independent samples and the interval is
//! Welch's for a difference of means ([`welch`]), with the t quantile at the Welch–Satterthwaite
//! degrees of freedom rounded down (slightly conservative). With one replicate there is no
//! interval (NaN bounds, written as empty fields). An undefined value (NaN: a mean over no cells)
//! is left out: paired effects use the replicate pairs in which both are defined, Welch's the
//! defined values of each side, and `n` says how many were used. Under a sweep a scenario is
//! compared with the reference at the same sweep point. Differences are never clamped.

use super::series::Groups;
use crate::analysis::stats::{defined, defined_pairs, summarize, t_quantile_975};
use crate::config::Config;
use crate::record::{METRICS, RunRecord};

/// A difference of means with its 95 % interval (NaN bounds when there is none).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Difference {
    /// Replicates used per scenario (pairs, under common random numbers): those where the value
    /// is defined.
    pub n: usize,
    pub mean: f64,
    pub ci_lo: f64,
    pub ci_hi: f64,
}

/// The mean of `a[i] − b[i]` with its Student-t interval, over the pairs in which both are
/// defined; pairs are taken in order, as many as the shorter side has.
pub fn paired(a: &[f64], b: &[f64]) -> Difference {
    let (a, b) = defined_pairs(a, b);
    let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
    let s = summarize(&d);
    let (lo, hi) = if s.n < 2 { (f64::NAN, f64::NAN) } else { (s.ci_lo, s.ci_hi) };
    Difference { n: s.n, mean: s.mean, ci_lo: lo, ci_hi: hi }
}

/// mean(a) − mean(b) over the defined values of each, with Welch's interval; `n` is the smaller
/// sample.
pub fn welch(a: &[f64], b: &[f64]) -> Difference {
    let (sa, sb) = (summarize(&defined(a)), summarize(&defined(b)));
    let n = sa.n.min(sb.n);
    let mean = sa.mean - sb.mean;
    if n < 2 {
        return Difference { n, mean, ci_lo: f64::NAN, ci_hi: f64::NAN };
    }
    let (va, vb) = (sa.sd * sa.sd / sa.n as f64, sb.sd * sb.sd / sb.n as f64);
    let se2 = va + vb;
    if se2 == 0.0 {
        return Difference { n, mean, ci_lo: mean, ci_hi: mean };
    }
    let df = se2 * se2 / (va * va / (sa.n - 1) as f64 + vb * vb / (sb.n - 1) as f64);
    let half = t_quantile_975((df.floor() as usize).max(1)) * se2.sqrt();
    Difference { n, mean, ci_lo: mean - half, ci_hi: mean + half }
}

/// `a` against the reference's `b`: paired under common random numbers, Welch's otherwise.
pub fn difference(config: &Config, a: &[f64], b: &[f64]) -> Difference {
    if config.comparison.common_random_numbers { paired(a, b) } else { welch(a, b) }
}

/// The effect of one scenario on one metric at one day.
#[derive(Clone, Debug, PartialEq)]
pub struct Effect {
    pub scenario: String,
    pub reference: String,
    pub day: f64,
    /// Index into [`METRICS`].
    pub metric: usize,
    pub diff: Difference,
}

/// The effect of `scenarios[v]` on metric `m` at its sample `i`, against the reference at the
/// same sweep point and the same day; `None` for the reference itself or a day it did not record.
pub fn effect(config: &Config, groups: &Groups, v: usize, i: usize, m: usize) -> Option<Effect> {
    let r = config.reference_variant(config.variant(v).1);
    let day = *groups.days(v).get(i)?;
    let j = groups.days(r).iter().position(|&d| d == day)?;
    if v == r {
        return None;
    }
    let diff = difference(config, &groups.values(v, i, m), &groups.values(r, j, m));
    Some(Effect {
        scenario: config.scenarios[v].name.clone(),
        reference: config.scenarios[r].name.clone(),
        day,
        metric: m,
        diff,
    })
}

/// Every effect: each non-reference scenario (in config order), each recorded day, each metric in
/// [`METRICS`] order.
pub fn effects(config: &Config, runs: &[RunRecord]) -> Vec<Effect> {
    let groups = Groups::new(config, runs);
    let mut all = Vec::new();
    for v in 0..config.scenarios.len() {
        for i in 0..groups.days(v).len() {
            all.extend((0..METRICS.len()).filter_map(|m| effect(config, &groups, v, i, m)));
        }
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paired_by_hand() {
        // Differences 1, 2, 3: mean 2, sd 1, half width t(2)·1/√3.
        let d = paired(&[11.0, 22.0, 33.0], &[10.0, 20.0, 30.0]);
        let half = 4.302652729749464 / 3f64.sqrt();
        assert_eq!((d.n, d.mean), (3, 2.0));
        assert!((d.ci_lo - (2.0 - half)).abs() < 1e-12 && (d.ci_hi - (2.0 + half)).abs() < 1e-12);
        let one = paired(&[5.0], &[3.0]);
        assert_eq!((one.n, one.mean), (1, 2.0));
        assert!(one.ci_lo.is_nan() && one.ci_hi.is_nan(), "n = 1 has no interval");
    }

    #[test]
    fn welch_by_hand() {
        // a = 1, 2, 3 (mean 2, var 1), b = 2, 4, 6, 8 (mean 5, var 20/3).
        let d = welch(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0, 8.0]);
        let (va, vb) = (1.0 / 3.0, 20.0 / 3.0 / 4.0);
        let df: f64 = (va + vb) * (va + vb) / (va * va / 2.0 + vb * vb / 3.0);
        assert!((df - 4.0755).abs() < 1e-3, "df {df}");
        let half = t_quantile_975(4) * (va + vb).sqrt();
        assert_eq!((d.n, d.mean), (3, -3.0));
        assert!((d.ci_hi - (-3.0 + half)).abs() < 1e-12, "{d:?}");
        let constant = welch(&[1.0, 1.0], &[0.5, 0.5]);
        assert_eq!((constant.ci_lo, constant.ci_hi), (0.5, 0.5));
        assert!(welch(&[1.0], &[0.0, 2.0]).ci_lo.is_nan());
    }

    #[test]
    fn undefined_values_are_left_out_never_read_as_zero() {
        let nan = f64::NAN;
        // Pairs 2 and 3 have an undefined side: the effect is over pairs 0, 1 and 4 alone.
        let d = paired(&[11.0, 22.0, nan, 40.0, 33.0], &[10.0, 20.0, 30.0, nan, 30.0]);
        assert_eq!(d, paired(&[11.0, 22.0, 33.0], &[10.0, 20.0, 30.0]));
        assert_eq!(d.n, 3);
        let none = paired(&[nan, 1.0], &[1.0, nan]);
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan() && none.ci_lo.is_nan());
        let w = welch(&[1.0, nan, 2.0, 3.0], &[nan, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(w, welch(&[1.0, 2.0, 3.0], &[2.0, 4.0, 6.0, 8.0]));
    }
}
