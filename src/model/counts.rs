//! Counts by inversion from the mode, for the count representation of mitochondria: binomial,
//! hypergeometric, and the number of pairs formed within a group by a uniform random matching.
//! Exact up to floating-point rounding of the probabilities (log-factorials: relative error below
//! 1e-9 for populations up to 10⁶), like every floating-point sampler; small binomials are sums
//! of byte trials and small hypergeometrics are drawn item by item, exactly.

use super::draws::{Bounded, ByteOdds, ONES, uniform};
use super::streams::Stream;
use rand::Rng;
use std::sync::LazyLock;

const TABLE: usize = 4096;

fn stirling(n: f64) -> f64 {
    // ln n! = (n + ½)·ln n − n + ½·ln 2π + 1/12n − 1/360n³ + 1/1260n⁵ − 1/1680n⁷; the first
    // omitted term is below 1e-14 for n ≥ 16.
    let r = 1.0 / n;
    let r2 = r * r;
    (n + 0.5) * n.ln() - n
        + 0.918_938_533_204_672_8
        + r * (1.0 / 12.0 - r2 * (1.0 / 360.0 - r2 * (1.0 / 1260.0 - r2 / 1680.0)))
}

static LN_FACTORIALS: LazyLock<Vec<f64>> = LazyLock::new(|| {
    let mut t = vec![0.0; TABLE];
    for n in 2..TABLE {
        t[n] = if n < 16 { t[n - 1] + (n as f64).ln() } else { stirling(n as f64) };
    }
    t
});

/// ln n!
#[inline]
pub fn ln_factorial(n: u64) -> f64 {
    if (n as usize) < TABLE { LN_FACTORIALS[n as usize] } else { stirling(n as f64) }
}

/// Inversion from `start` outwards (start, start − 1, start + 1, start − 2, …) over the support
/// `lo..=hi`: exact for any start, and cheapest from the mode (about σ steps). `p_start` is
/// P(start), `up(x)` = P(x + 1)/P(x) and `down(x)` = P(x − 1)/P(x).
fn invert_from(
    rng: &mut Stream,
    (lo, hi): (u64, u64),
    start: u64,
    p_start: f64,
    up: impl Fn(u64) -> f64,
    down: impl Fn(u64) -> f64,
) -> u64 {
    let mut u = uniform(rng);
    let (mut l, mut pl, mut r, mut pr) = (start, p_start, start, p_start);
    if u < p_start {
        return start;
    }
    u -= p_start;
    loop {
        let mut live = 0.0;
        if l > lo {
            pl *= down(l);
            l -= 1;
            if u < pl {
                return l;
            }
            u -= pl;
            live += pl;
        }
        if r < hi {
            pr *= up(r);
            r += 1;
            if u < pr {
                return r;
            }
            u -= pr;
            live += pr;
        }
        // Only rounding can leave u unspent once both sides are exhausted or their terms have
        // vanished: give the start.
        if live < f64::MIN_POSITIVE {
            return start;
        }
    }
}

/// A success probability prepared for binomial draws.
#[derive(Clone, Copy, Debug)]
pub struct Binomial {
    p: f64,
    ln_p: f64,
    ln_q: f64,
    odds: f64,
    bytes: ByteOdds,
}

/// Up to this many trials, a binomial is the sum of byte trials (cheaper than inversion).
const FEW_TRIALS: u32 = 32;

impl Binomial {
    pub fn new(p: f64) -> Binomial {
        let p = p.clamp(0.0, 1.0);
        Binomial { p, ln_p: p.ln(), ln_q: (-p).ln_1p(), odds: p / (1.0 - p), bytes: ByteOdds::new(p) }
    }

    /// Successes among `n` trials.
    pub fn draw(&self, rng: &mut Stream, n: u32) -> u32 {
        if n == 0 || self.p == 0.0 {
            return 0;
        }
        if self.p == 1.0 {
            return n;
        }
        if n <= FEW_TRIALS {
            return self.count_trials(rng, n);
        }
        let n64 = u64::from(n);
        let mode = (((n64 + 1) as f64 * self.p) as u64).min(n64);
        let ln_p = ln_factorial(n64) - ln_factorial(mode) - ln_factorial(n64 - mode)
            + mode as f64 * self.ln_p
            + (n64 - mode) as f64 * self.ln_q;
        let (odds, nf) = (self.odds, n as f64);
        let up = |x: u64| (nf - x as f64) / (x as f64 + 1.0) * odds;
        let down = |x: u64| x as f64 / ((nf - x as f64 + 1.0) * odds);
        invert_from(rng, (0, n64), mode, ln_p.exp(), up, down) as u32
    }
}

impl Binomial {
    /// `n` byte trials, eight to a draw, counted.
    fn count_trials(&self, rng: &mut Stream, n: u32) -> u32 {
        let (mut successes, mut left) = (0, n);
        while left > 0 {
            let take = left.min(8);
            let real = u64::MAX >> (64 - 8 * take);
            let (hits, ties) = self.bytes.eight(rng.next_u64());
            // Byte sums by multiplication: at most 8 per word, so no byte overflows.
            successes += ((hits & real).wrapping_mul(ONES) >> 56) as u32;
            for _ in 0..(((ties & real) >> 7).wrapping_mul(ONES) >> 56) {
                successes += u32::from(self.bytes.on_tie(rng));
            }
            left -= take;
        }
        successes
    }
}

/// Successes in `draws` draws without replacement from `total` items of which `successes` are
/// successes.
pub fn hypergeometric(rng: &mut Stream, total: u64, successes: u64, draws: u64) -> u64 {
    let failures = total - successes;
    let (lo, hi) = (draws.saturating_sub(failures), draws.min(successes));
    if lo == hi {
        return lo;
    }
    // Few draws (or few successes: the law is symmetric in the two): draw them one by one.
    let few = draws.min(successes);
    if few <= 16 && total <= 1 << 16 {
        let (mut left, mut marked, mut found) = (total as u32, draws.max(successes) as u32, 0);
        let mut bounded = Bounded::new(rng);
        for _ in 0..few {
            let hit = bounded.below_short(left) < marked;
            (left, marked, found) = (left - 1, marked - u32::from(hit), found + u64::from(hit));
        }
        return found;
    }
    let mode = (((draws + 1) as f64 * (successes + 1) as f64 / (total + 2) as f64) as u64).clamp(lo, hi);
    let ln_c = |n: u64, k: u64| ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    let ln_p = ln_c(successes, mode) + ln_c(failures, draws - mode) - ln_c(total, draws);
    let (k, n, f) = (successes as f64, draws as f64, failures as f64);
    let up = |x: u64| {
        let x = x as f64;
        (k - x) * (n - x) / ((x + 1.0) * (f - n + x + 1.0))
    };
    let down = |x: u64| {
        let x = x as f64;
        x * (f - n + x) / ((k - x + 1.0) * (n - x + 1.0))
    };
    invert_from(rng, (lo, hi), mode, ln_p.exp(), up, down)
}

/// In a uniformly random perfect matching of `c + outside` items (an even number), the number of
/// pairs formed within the group of `c`:
/// ```text
/// P(m) = C(c, 2m)·(2m − 1)!!·[o!/(o − r)!]·(o − r − 1)!! / (c + o − 1)!!,   r = c − 2m
/// ```
/// (choose the 2m members paired inside and match them; give the other r distinct outside
/// partners; match the rest of the outside; divide by all matchings). Given m, the r outside
/// partners are a uniformly random r-subset of the outside items.
pub fn pairs_within(rng: &mut Stream, c: u64, outside: u64) -> u64 {
    debug_assert!((c + outside).is_multiple_of(2));
    let lo = c.saturating_sub(outside).div_ceil(2);
    let hi = c / 2;
    if lo == hi {
        return lo;
    }
    let total = c + outside;
    // Each of the C(c, 2) possible inside pairs is matched with probability 1/(total − 1).
    let mean = (c * (c - 1)) as f64 / (2 * (total - 1)) as f64;
    let start = (mean.round() as u64).clamp(lo, hi);
    let ln2 = std::f64::consts::LN_2;
    let ln_double_factorial = |pairs: u64| ln_factorial(2 * pairs) - pairs as f64 * ln2 - ln_factorial(pairs);
    let ln_p = |m: u64| {
        let r = c - 2 * m;
        let k = (outside - r) / 2;
        ln_factorial(c) + ln_factorial(outside)
            - ln_factorial(r)
            - ln_factorial(m)
            - ln_factorial(k)
            - (m + k) as f64 * ln2
            - ln_double_factorial(total / 2)
    };
    // h0 + m = (outside − r)/2, the pairs left among outside items.
    let (cf, half_gap) = (c as f64, (outside as f64 - c as f64) / 2.0);
    let up = |m: u64| {
        let m = m as f64;
        (cf - 2.0 * m) * (cf - 2.0 * m - 1.0) / (4.0 * (m + 1.0) * (half_gap + m + 1.0))
    };
    let down = |m: u64| {
        let m = m as f64;
        4.0 * m * (half_gap + m) / ((cf - 2.0 * m + 2.0) * (cf - 2.0 * m + 1.0))
    };
    invert_from(rng, (lo, hi), start, ln_p(start).exp(), up, down)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::draws::tests::{chi_square, chi_square_999, rng};
    use rand::RngExt;

    fn ln_choose(n: u64, k: u64) -> f64 {
        ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k)
    }

    #[test]
    fn log_factorials_are_accurate_across_the_table_edge() {
        assert_eq!(ln_factorial(0), 0.0);
        assert!((ln_factorial(10) - 3_628_800f64.ln()).abs() < 1e-13);
        let exact: f64 = (1..=5000u64).map(|k| (k as f64).ln()).sum();
        assert!((ln_factorial(5000) - exact).abs() / exact < 1e-12);
        for n in [15u64, 16, 4095, 4096] {
            assert!((ln_factorial(n + 1) - ln_factorial(n) - ((n + 1) as f64).ln()).abs() < 1e-9, "{n}");
        }
    }

    #[test]
    fn binomial_matches_its_pmf() {
        let mut r = rng(3);
        for (n, p) in [(10u32, 0.14), (32, 0.993), (100, 0.993), (3000, 0.14), (50, 0.004), (1_000_000, 0.3)] {
            let b = Binomial::new(p);
            let draws = 40_000;
            // Bin by distance from the mean in units of σ/2, out to ±4σ.
            let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
            let pmf =
                |k: u64| (ln_choose(n as u64, k) + k as f64 * p.ln() + (n as u64 - k) as f64 * (-p).ln_1p()).exp();
            let width = (sd / 2.0).max(1.0);
            let bin = |k: u64| (((k as f64 - mean) / width).floor().clamp(-8.0, 7.0) + 8.0) as usize;
            let mut observed = vec![0u64; 16];
            for _ in 0..draws {
                let k = b.draw(&mut r, n);
                assert!(k <= n);
                observed[bin(k as u64)] += 1;
            }
            let mut probs = vec![0.0; 16];
            let span = (8.0 * sd + 20.0) as u64;
            for k in (mean as u64).saturating_sub(span)..=(mean as u64 + span).min(n as u64) {
                probs[bin(k)] += pmf(k);
            }
            let (chi, df) = chi_square(&observed, &probs, draws);
            assert!(chi < chi_square_999(df), "n {n} p {p}: χ² {chi} on {df}");
        }
        assert_eq!(Binomial::new(0.0).draw(&mut r, 10), 0);
        assert_eq!(Binomial::new(1.0).draw(&mut r, 10), 10);
    }

    #[test]
    fn hypergeometric_matches_its_pmf() {
        let mut r = rng(4);
        for (total, k, n) in [(20u64, 7u64, 5u64), (1000, 12, 400), (100, 30, 60), (10_000, 2500, 3000), (50, 50, 10)] {
            let (lo, hi) = (n.saturating_sub(total - k), n.min(k));
            let pmf = |x: u64| (ln_choose(k, x) + ln_choose(total - k, n - x) - ln_choose(total, n)).exp();
            let draws = 40_000;
            let mut observed = vec![0u64; (hi - lo + 1) as usize];
            for _ in 0..draws {
                let x = hypergeometric(&mut r, total, k, n);
                observed[(x - lo) as usize] += 1;
            }
            let probs: Vec<f64> = (lo..=hi).map(pmf).collect();
            let (chi, df) = chi_square(&observed, &probs, draws);
            assert!(df == 0 || chi < chi_square_999(df), "({total},{k},{n}): χ² {chi} on {df}");
        }
    }

    #[test]
    fn pairs_within_match_a_shuffled_pairing() {
        // Reference: pair a shuffled list of c ones and `outside` zeros and count the 1–1 pairs.
        let mut r = rng(5);
        for (c, outside) in [(2u64, 2u64), (5, 7), (30, 60), (61, 9)] {
            let draws = 30_000;
            let (mut direct, mut shuffled) = (vec![0u64; c as usize / 2 + 1], vec![0u64; c as usize / 2 + 1]);
            let mut items: Vec<bool> = (0..c + outside).map(|i| i < c).collect();
            for _ in 0..draws {
                direct[pairs_within(&mut r, c, outside) as usize] += 1;
                for i in (1..items.len()).rev() {
                    items.swap(i, r.random_range(0..=i));
                }
                shuffled[items.chunks(2).filter(|p| p[0] && p[1]).count()] += 1;
            }
            // Two samples of the same law: χ² of the direct counts against the shuffled frequencies
            // would mix two noises; compare each to the exact pmf instead.
            let m_max = c / 2;
            let ln_df = |k: u64| ln_factorial(2 * k) - k as f64 * std::f64::consts::LN_2 - ln_factorial(k);
            let pmf: Vec<f64> = (0..=m_max)
                .map(|m| {
                    let rr = c - 2 * m;
                    if rr > outside {
                        return 0.0;
                    }
                    (ln_choose(c, 2 * m) + ln_df(m) + ln_factorial(outside) - ln_factorial(outside - rr)
                        + ln_df((outside - rr) / 2)
                        - ln_df((c + outside) / 2))
                    .exp()
                })
                .collect();
            assert!((pmf.iter().sum::<f64>() - 1.0).abs() < 1e-9, "pmf sums to 1");
            for observed in [&direct, &shuffled] {
                let (chi, df) = chi_square(observed, &pmf, draws);
                assert!(df == 0 || chi < chi_square_999(df), "c {c} outside {outside}: χ² {chi} on {df}");
            }
        }
    }
}
