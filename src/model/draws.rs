//! Exact discrete draws from a [`Stream`], built for the mitochondrial hot loops: Bernoulli
//! trials that spend one random byte each and bounded integers from 16-bit chunks; binomial,
//! hypergeometric and random-matching counts are in [`super::counts`].
//!
//! "Exact" means: the same distribution as the textbook per-trial rule, up to the resolution of
//! the underlying uniform (2⁻⁶⁴ for Bernoulli trials, as [`threshold`]; none for bounded integers,
//! which reject the biased remainder) or, for the count distributions, up to floating-point
//! rounding of the probabilities (relative error below 1e-9 for populations up to 10⁶, set by
//! the log-factorials), like every floating-point sampler.

use super::streams::{Stream, threshold};
use rand::{Rng, RngExt};

/// A probability as the comparison of a uniform 64-bit number U against a 64-bit threshold T,
/// split into T's top byte and its low 56 bits. A trial draws U's top byte b alone: b < T₁ is a
/// success, b > T₁ a failure, and only a tie (probability 1/256) needs the low 56 bits, drawn
/// afresh. This is U < T digit by digit, so P(success) = T/2⁶⁴ exactly, for one random byte per
/// trial on average (1 + 1/256).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteOdds {
    pub top: u8,
    low: u64,
}

impl ByteOdds {
    pub fn new(p: f64) -> ByteOdds {
        let t = threshold(p);
        ByteOdds { top: (t >> 56) as u8, low: t & ((1 << 56) - 1) }
    }

    /// The outcome of a trial whose first byte tied with `top`.
    #[inline]
    pub fn on_tie(&self, rng: &mut Stream) -> bool {
        (rng.next_u64() >> 8) < self.low
    }

    /// Eight trials on the eight bytes of `r`: bit 0 of byte j is set where trial j succeeded
    /// on its first byte, bit 7 of byte j where it tied (and needs [`Self::on_tie`]).
    #[inline]
    pub fn eight(&self, r: u64) -> (u64, u64) {
        (bytes_below(r, self.top), bytes_equal(r, self.top))
    }

    /// One full trial.
    pub fn trial(&self, rng: &mut Stream) -> bool {
        let b = (rng.next_u64() >> 56) as u8;
        b < self.top || (b == self.top && self.on_tie(rng))
    }
}

pub(crate) const ONES: u64 = 0x0101_0101_0101_0101;
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
const HIGH: u64 = 0x8080_8080_8080_8080;
const EVEN: u64 = 0x00FF_00FF_00FF_00FF;

/// Bit 0 of each byte of `r` that is below `t` (unsigned): each byte is compared in a 16-bit
/// lane as (byte + 256) − t, which keeps bit 8 exactly when byte ≥ t.
#[inline]
fn bytes_below(r: u64, t: u8) -> u64 {
    const NINTH: u64 = 0x0100_0100_0100_0100;
    let t = 0x0001_0001_0001_0001 * u64::from(t);
    let even = !(((r & EVEN) | NINTH) - t) & NINTH;
    let odd = !((((r >> 8) & EVEN) | NINTH) - t) & NINTH;
    (even >> 8) | odd
}

/// Bit 7 of each byte of `r` equal to `t`.
#[inline]
fn bytes_equal(r: u64, t: u8) -> u64 {
    let x = r ^ (ONES * u64::from(t));
    !(((x & LOW7) + LOW7) | x) & HIGH
}

/// Uniform integers below a bound, four per 64-bit draw while the bound fits 16 bits (Lemire's
/// multiply-and-shift with rejection of the biased low part: exactly uniform).
pub struct Bounded<'a> {
    rng: &'a mut Stream,
    bits: u64,
    left: u32,
}

impl<'a> Bounded<'a> {
    pub fn new(rng: &'a mut Stream) -> Bounded<'a> {
        Bounded { rng, bits: 0, left: 0 }
    }

    #[inline]
    fn chunk(&mut self) -> u32 {
        if self.left == 0 {
            self.bits = self.rng.next_u64();
            self.left = 4;
        }
        let x = self.bits as u16;
        self.bits >>= 16;
        self.left -= 1;
        u32::from(x)
    }

    /// Uniform in `0..n` (n ≥ 1).
    #[inline]
    pub fn below(&mut self, n: u32) -> u32 {
        if n > 1 << 16 { self.rng.random_range(0..n) } else { self.below_short(n) }
    }

    /// Uniform in `0..n`, for 1 ≤ n ≤ 2¹⁶.
    #[inline(always)]
    pub fn below_short(&mut self, n: u32) -> u32 {
        debug_assert!((1..=1 << 16).contains(&n));
        let m = self.chunk() * n;
        (if m & 0xFFFF < n { self.reject_biased(m, n) } else { m }) >> 16
    }

    /// Lemire's rejection step for a product `m` = chunk · n: only low parts below 2¹⁶ mod n
    /// are biased; returns an unbiased product.
    #[cold]
    pub fn reject_biased(&mut self, mut m: u32, n: u32) -> u32 {
        let reject = (1 << 16) % n;
        while m & 0xFFFF < reject {
            m = self.chunk() * n;
        }
        m
    }
}

/// A uniform number in (0, 1) from 53 random bits.
#[inline]
pub fn uniform(rng: &mut Stream) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / (1u64 << 53) as f64)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::{Process, Streams};

    pub(crate) fn rng(k: u64) -> Stream {
        Streams::new(5, 0).stream(Process::Damage, k, 0)
    }

    /// Chi-square of observed counts against probabilities over `n` draws. Cells with an
    /// expectation below 5 are pooled into one.
    pub(crate) fn chi_square(observed: &[u64], probabilities: &[f64], n: u64) -> (f64, usize) {
        let (mut chi, mut cells, mut pooled_o, mut pooled_e) = (0.0, 0, 0.0, 0.0);
        for (&o, &p) in observed.iter().zip(probabilities) {
            let e = p * n as f64;
            if e < 5.0 {
                pooled_o += o as f64;
                pooled_e += e;
            } else {
                chi += (o as f64 - e).powi(2) / e;
                cells += 1;
            }
        }
        if pooled_e > 0.0 {
            chi += (pooled_o - pooled_e).powi(2) / pooled_e.max(1e-9);
            cells += 1;
        }
        (chi, cells - 1)
    }

    /// The 0.999 quantile of χ² with `df` degrees of freedom (Wilson–Hilferty): a correct
    /// sampler fails one check in a thousand.
    pub(crate) fn chi_square_999(df: usize) -> f64 {
        let k = df as f64;
        let z = 3.090_232;
        k * (1.0 - 2.0 / (9.0 * k) + z * (2.0 / (9.0 * k)).sqrt()).powi(3)
    }

    #[test]
    fn byte_odds_hit_at_their_probability() {
        let mut r = rng(1);
        for p in [0.0, 0.003, 0.14, 0.5, 1.0] {
            let odds = ByteOdds::new(p);
            let n = 200_000;
            let hits = (0..n).filter(|_| odds.trial(&mut r)).count() as f64;
            let sd = (n as f64 * p * (1.0 - p)).sqrt();
            assert!((hits - n as f64 * p).abs() <= 5.0 * sd + 1e-9, "p {p}: {hits}");
        }
        // A threshold whose top byte is 3 ties often: the low bits must decide.
        let p = 3.5 / 256.0;
        let odds = ByteOdds::new(p);
        assert_eq!(odds.top, 3);
        let n = 400_000;
        let hits = (0..n).filter(|_| odds.trial(&mut r)).count() as f64;
        assert!((hits / n as f64 - p).abs() < 5.0 * (p / n as f64).sqrt(), "{hits}");
    }

    #[test]
    fn eight_trials_match_byte_comparisons() {
        for base in (0..=255u16).step_by(8) {
            let w = u64::from_le_bytes(std::array::from_fn(|j| (base + j as u16) as u8));
            for t in [0u8, 1, 37, 128, 200, 255] {
                let (below, equal) = (bytes_below(w, t).to_le_bytes(), bytes_equal(w, t).to_le_bytes());
                for (j, &u) in w.to_le_bytes().iter().enumerate() {
                    assert_eq!(below[j], u8::from(u < t), "{u} < {t}");
                    assert_eq!(equal[j], if u == t { 0x80 } else { 0 }, "{u} == {t}");
                }
            }
        }
    }

    #[test]
    fn bounded_draws_are_uniform() {
        let mut r = rng(2);
        let mut b = Bounded::new(&mut r);
        for n in [1u32, 3, 7, 100, 65_536, 70_000] {
            let bins = n.min(10) as usize;
            let mut counts = vec![0u64; bins];
            let draws = 100_000;
            for _ in 0..draws {
                let x = b.below(n);
                assert!(x < n);
                counts[(x as u64 * bins as u64 / n as u64) as usize] += 1;
            }
            let probs: Vec<f64> = (0..bins as u64)
                .map(|i| {
                    ((i + 1) * n as u64).div_ceil(bins as u64) as f64 - (i * n as u64).div_ceil(bins as u64) as f64
                })
                .map(|w| w / n as f64)
                .collect();
            let (chi, df) = chi_square(&counts, &probs, draws);
            assert!(df == 0 || chi < chi_square_999(df), "n {n}: χ² {chi} on {df}");
        }
    }
}
