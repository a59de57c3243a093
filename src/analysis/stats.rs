//! Summary statistics across replicates: mean, sample standard deviation and a Student-t 95 %
//! confidence interval of the mean.
//!
//! Everything here is deterministic: sums are taken in the order the values are given, and the
//! t quantile comes from a fixed table and a closed-form expansion, so the same inputs give
//! bit-identical outputs on every machine.

/// Summary of a set of replicate values of one metric.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Summary {
    /// Number of values summarised.
    pub n: usize,
    /// Sample mean (NaN when `n == 0`).
    pub mean: f64,
    /// Sample standard deviation with the n − 1 denominator; 0 when `n == 1`, NaN when `n == 0`.
    pub sd: f64,
    /// Lower end of the two-sided 95 % confidence interval of the mean (`mean` when `n < 2`).
    pub ci_lo: f64,
    /// Upper end of the two-sided 95 % confidence interval of the mean (`mean` when `n < 2`).
    pub ci_hi: f64,
}

/// Summarises `values`: sample mean, sample sd (n − 1 denominator) and the 95 % confidence
/// interval `mean ± t_{0.975, n−1} · sd / √n`.
///
/// With one value the sd is 0 and the interval collapses to `[mean, mean]`; with no values the
/// mean, sd and interval are NaN (written as empty fields). Non-finite inputs propagate into the
/// result; they never panic. Sums run in the given order, so the result is reproducible bit for bit.
pub fn summarize(values: &[f64]) -> Summary {
    let n = values.len();
    if n == 0 {
        return Summary { n, mean: f64::NAN, sd: f64::NAN, ci_lo: f64::NAN, ci_hi: f64::NAN };
    }
    let mean = values.iter().fold(0.0, |acc, &x| acc + x) / n as f64;
    if n < 2 {
        return Summary { n, mean, sd: 0.0, ci_lo: mean, ci_hi: mean };
    }
    let ss = values.iter().fold(0.0, |acc, &x| {
        let d = x - mean;
        acc + d * d
    });
    let sd = (ss / (n - 1) as f64).sqrt();
    let half = t_quantile_975(n - 1) * sd / (n as f64).sqrt();
    Summary { n, mean, sd, ci_lo: mean - half, ci_hi: mean + half }
}

/// The defined (finite) values of `values`, in order: what every mean, interval and effect is
/// taken over, so an undefined readout (NaN) is left out, never counted as 0.
pub fn defined(values: &[f64]) -> Vec<f64> {
    values.iter().copied().filter(|x| x.is_finite()).collect()
}

/// The pairs `(a[i], b[i])` in which both are defined, in order (as many as the shorter side has).
pub fn defined_pairs(a: &[f64], b: &[f64]) -> (Vec<f64>, Vec<f64>) {
    a.iter().zip(b).filter(|(x, y)| x.is_finite() && y.is_finite()).map(|(x, y)| (*x, *y)).unzip()
}

/// Exact `t_{0.975, df}` for df = 1..=30 (computed to 17 significant digits).
const T975: [f64; 30] = [
    12.706204736174705,
    4.302652729749464,
    3.1824463052837095,
    2.7764451051977943,
    2.5705818356363155,
    2.44691185114497,
    2.3646242515927853,
    2.3060041352041667,
    2.2621571627982053,
    2.228138851986275,
    2.2009851600916397,
    2.178812829667229,
    2.1603686564627926,
    2.144786687917804,
    2.1314495455597755,
    2.1199052992212546,
    2.109815577833317,
    2.1009220402410387,
    2.0930240544083096,
    2.085963447265865,
    2.0796138447276804,
    2.0738730679040263,
    2.0686576104190486,
    2.063898561628026,
    2.0595385527532977,
    2.055529438642873,
    2.0518305164802855,
    2.0484071417952454,
    2.0452296421327043,
    2.042272456301238,
];

/// The standard normal 0.975 quantile, z such that Φ(z) = 0.975.
const Z975: f64 = 1.959963984540054;

/// The 0.975 quantile of Student's t distribution with `df` degrees of freedom, i.e. the
/// multiplier of the standard error in a two-sided 95 % confidence interval.
///
/// Exact (to double precision) for `df <= 30` from a table; beyond that the four-term
/// Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5), whose error is below 3e-8 at df = 31
/// and shrinks as df⁻⁵. Large `df` tends to the normal quantile 1.959964. `df == 0` (no degrees
/// of freedom: the interval is unbounded) returns `f64::INFINITY`.
pub fn t_quantile_975(df: usize) -> f64 {
    if df == 0 {
        return f64::INFINITY;
    }
    if let Some(&t) = T975.get(df - 1) {
        return t;
    }
    let v = df as f64;
    let z = Z975;
    let z2 = z * z;
    let z3 = z2 * z;
    let z5 = z3 * z2;
    let z7 = z5 * z2;
    let z9 = z7 * z2;
    let g1 = (z3 + z) / 4.0;
    let g2 = (5.0 * z5 + 16.0 * z3 + 3.0 * z) / 96.0;
    let g3 = (3.0 * z7 + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / 384.0;
    let g4 = (79.0 * z9 + 776.0 * z7 + 1482.0 * z5 - 1920.0 * z3 - 945.0 * z) / 92160.0;
    z + (g1 + (g2 + (g3 + g4 / v) / v) / v) / v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() < tol
    }

    #[test]
    fn t_quantile_matches_printed_tables() {
        let table = [
            (1, 12.706),
            (2, 4.303),
            (5, 2.571),
            (10, 2.228),
            (19, 2.093),
            (30, 2.042),
            (100, 1.984),
            (usize::MAX, 1.960),
        ];
        for (df, want) in table {
            let got = t_quantile_975(df);
            assert!(close(got, want, 1e-3), "df={df}: got {got}, want {want}");
        }
    }

    #[test]
    fn t_quantile_expansion_is_accurate_and_continuous() {
        // High-precision reference values (mpmath).
        assert!(close(t_quantile_975(31), 2.0395134463964086, 1e-7));
        assert!(close(t_quantile_975(40), 2.0210753903062733, 1e-8));
        assert!(close(t_quantile_975(100), 1.9839715185235522, 1e-9));
        assert!(close(t_quantile_975(1000), 1.9623390808264085, 1e-12));
        // Monotone decreasing towards z.
        let mut prev = f64::INFINITY;
        for df in 0..500 {
            let t = t_quantile_975(df);
            assert!(t < prev || df == 0, "not decreasing at df={df}");
            assert!(t > Z975);
            prev = t;
        }
    }

    #[test]
    fn t_quantile_degenerate() {
        assert_eq!(t_quantile_975(0), f64::INFINITY);
    }

    #[test]
    fn summary_by_hand() {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, squared deviations sum 32, sd = sqrt(32/7).
        let s = summarize(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]);
        assert_eq!(s.n, 8);
        assert_eq!(s.mean, 5.0);
        let sd = (32.0f64 / 7.0).sqrt();
        assert!(close(s.sd, sd, 1e-12));
        // t_{0.975,7} = 2.364624; half width = 2.364624 * 2.138090 / 2.828427 = 1.787488.
        let half = 2.3646242515927853 * sd / 8.0f64.sqrt();
        assert!(close(half, 1.787488, 1e-6));
        assert!(close(s.ci_lo, 5.0 - half, 1e-12));
        assert!(close(s.ci_hi, 5.0 + half, 1e-12));
    }

    #[test]
    fn summary_two_values() {
        // 1 and 3: mean 2, sd sqrt(2), half width 12.706205 * sqrt(2)/sqrt(2) = 12.706205.
        let s = summarize(&[1.0, 3.0]);
        assert_eq!(s.mean, 2.0);
        assert!(close(s.sd, 2.0f64.sqrt(), 1e-15));
        assert!(close(s.ci_lo, 2.0 - 12.706204736174705, 1e-12));
        assert!(close(s.ci_hi, 2.0 + 12.706204736174705, 1e-12));
    }

    #[test]
    fn summary_small_n() {
        let one = summarize(&[3.5]);
        assert_eq!(one, Summary { n: 1, mean: 3.5, sd: 0.0, ci_lo: 3.5, ci_hi: 3.5 });
        let none = summarize(&[]);
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan() && none.sd.is_nan() && none.ci_lo.is_nan() && none.ci_hi.is_nan());
    }

    #[test]
    fn summary_constant_and_non_finite() {
        let s = summarize(&[0.25, 0.25, 0.25]);
        assert_eq!(s.sd, 0.0);
        assert_eq!(s.ci_lo, s.mean);
        let bad = summarize(&[1.0, f64::NAN]);
        assert!(bad.mean.is_nan());
        let inf = summarize(&[f64::INFINITY, 1.0]);
        assert!(!inf.mean.is_finite());
    }
}
