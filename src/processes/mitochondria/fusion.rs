//! Selective fusion–fission: polarised mitochondria fuse in pairs and share their health;
//! depolarised and PINK1-tagged mitochondria are left out.
//!
//! Rule, per sub-step of length Δt: every eligible mitochondrion (h > θfus, untagged) joins the fusion
//! pool with probability p = 1 − exp(−f · 24 · Δt); the pool is paired uniformly at random, and
//! each pair (a, b) leaves with
//! ```text
//! h_a' = ⌈(h_a + h_b)/2⌉,   h_b' = ⌊(h_a + h_b)/2⌋      (the pair's health is conserved)
//! ```
//! followed at once by fission into two mitochondria. An odd mitochondrion out stays as it is.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | f | `fusion_per_hour` | 5 | encounters /h | ~5 fusion–fission cycles per mitochondrion per hour (Twig et al. 2008, Shirihai lab \[V\]) |
//! | θfus | `fusion_threshold` | 3 | health level | = θdep: health is highest when the fusion and autophagy thresholds coincide (Patel 2013 [V summary]) |
//!
//! Selectivity (depolarised mitochondria do not fuse) after Twig et al. 2008 EMBO J and Mouli, Twig &
//! Shirihai 2009 Biophys J 96:3509: fusion helps quality control only if it is selective.
//!
//! Sampling. Mitochondria are an unordered population, so a cell's state is the multiset of its mitochondria
//! and the outcome of a pairing is the multiset of its pair types.
//! - One byte per mitochondrion: the pool's bytes are moved to a scratch array (the others close up in
//!   place), the few that stay out are dropped by geometric gaps, the pool is paired by a
//!   partial Fisher–Yates shuffle on the bytes (one 16-bit draw per pair) and appended back.
//! - Counted mitochondria: joiners per level are binomial; if the pool is odd a uniformly chosen mitochondrion
//!   stays out; then the levels are taken from the top: of the c mitochondria at level a, with o pool
//!   mitochondria below, the number m paired among themselves has the law of [`pairs_within`], and their
//!   c − 2m partners are a uniformly random subset of the mitochondria below, split over the levels by
//!   successive hypergeometric draws. Conditional on those pairs the rest of the pool is a
//!   uniform random matching of what remains, so level by level this draws exactly the pair
//!   types of a uniform random matching, in O(levels²) draws whatever the number of mitochondria.

use super::swar;
use crate::model::counts::{Binomial, hypergeometric, pairs_within};
use crate::model::draws::Bounded;
use crate::model::streams::{Hits, Stream};
use rand::Rng;

/// The mitochondria of a pair at health `a` and `b` leave at these healths.
#[inline]
fn share(a: u8, b: u8) -> (u8, u8) {
    let total = a + b;
    ((total + 1) >> 1, total >> 1)
}

/// Eligible mitochondria (health above `floor`, untagged) join with probability 1 − q and are paired
/// at random; `log_stay_out` is ln q ([`Hits::log_miss`] of the joining probability's
/// complement). `pool` is scratch space.
pub fn fuse_individual(bytes: &mut Vec<u8>, floor: u8, log_stay_out: f64, rng: &mut Stream, pool: &mut Vec<u8>) {
    let pooled = swar::split(bytes, pool, |w| swar::health_above(w, floor) & !w);
    let pool = &mut pool[..pooled];
    // Mitochondria that stay out this sub-step gather at the front of the pool and go back unchanged.
    let mut out = 0;
    for k in Hits::with_log(rng, pooled, log_stay_out) {
        pool.swap(out, k);
        out += 1;
    }
    bytes.extend_from_slice(&pool[..out]);
    // An odd mitochondrion out is any of them, with equal chance; it waits at the end. Then each mitochondrion in
    // turn takes a random partner among those not yet paired.
    let pairing = &mut pool[out..];
    let mut bounded = Bounded::new(rng);
    let mut m = pairing.len();
    if m % 2 == 1 {
        pairing.swap(bounded.below(m as u32) as usize, m - 1);
        m -= 1;
    }
    if m <= 1 << 16 {
        pair_up_short(&mut pairing[..m], rng);
    } else {
        pair_up(&mut pairing[..m], |n| bounded.below(n));
    }
    bytes.extend_from_slice(&pool[out..]);
}

/// Pair an even number of mitochondria uniformly at random (each in turn takes a partner uniformly
/// among those not yet paired: a partial Fisher–Yates shuffle) and let each pair share health.
#[inline(always)]
fn pair_up(bytes: &mut [u8], mut below: impl FnMut(u32) -> u32) {
    let m = bytes.len();
    let mut k = 0;
    while k + 1 < m {
        let j = (k + 1 + below((m - k - 1) as u32) as usize).min(m - 1);
        let partner = bytes[j];
        bytes[j] = bytes[k + 1];
        (bytes[k], bytes[k + 1]) = share(bytes[k], partner);
        k += 2;
    }
}

/// As [`pair_up`] for at most 2¹⁶ mitochondria: four partner draws from each 64-bit draw, the
/// generator's state kept in registers.
fn pair_up_short(bytes: &mut [u8], rng: &mut Stream) {
    let m = bytes.len();
    let mut k = 0;
    while k + 1 < m {
        let bits = rng.next_u64();
        for q in 0..4 {
            if k + 1 >= m {
                break;
            }
            let n = (m - k - 1) as u32;
            let mut x = ((bits >> (16 * q)) & 0xFFFF) as u32 * n;
            if x & 0xFFFF < n {
                x = Bounded::new(rng).reject_biased(x, n);
            }
            let j = (k + 1 + (x >> 16) as usize).min(m - 1);
            let partner = bytes[j];
            bytes[j] = bytes[k + 1];
            (bytes[k], bytes[k + 1]) = share(bytes[k], partner);
            k += 2;
        }
    }
}

/// The same rule on counted mitochondria (`bins` as in [`Counts`](crate::model::Mitochondria::Counts), top level `top`):
/// untagged levels above `floor` join with `join`.
pub fn fuse_counts(bins: &mut [u32], top: usize, floor: usize, join: &Binomial, rng: &mut Stream) {
    let mut pool = [0u64; 64];
    let mut total = 0;
    for h in floor + 1..=top {
        let joined = join.draw(rng, bins[h]);
        bins[h] -= joined;
        pool[h] = u64::from(joined);
        total += pool[h];
    }
    if total % 2 == 1 {
        let mut x = u64::from(Bounded::new(rng).below(total as u32));
        for h in (floor + 1..=top).rev() {
            if x < pool[h] {
                pool[h] -= 1;
                bins[h] += 1;
                break;
            }
            x -= pool[h];
        }
        total -= 1;
    }
    let mut fused = [0u64; 64];
    for a in (floor + 1..=top).rev() {
        let c = pool[a];
        if c == 0 {
            continue;
        }
        let inside = pairs_within(rng, c, total - c);
        fused[a] += 2 * inside;
        let (mut cross, mut below) = (c - 2 * inside, total - c);
        total -= 2 * (c - inside);
        for b in (floor + 1..a).rev() {
            if cross == 0 {
                break;
            }
            let x = hypergeometric(rng, below, pool[b], cross);
            below -= pool[b];
            pool[b] -= x;
            cross -= x;
            let (hi, lo) = share(a as u8, b as u8);
            fused[hi as usize] += x;
            fused[lo as usize] += x;
        }
    }
    for h in floor + 1..=top {
        bins[h] += fused[h] as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mitochondria;
    use crate::model::{Process, Streams};

    fn rng(step: u64) -> Stream {
        Streams::new(42, 0).stream(Process::Fusion, 1, step)
    }

    fn health_sum(bytes: &[u8]) -> u32 {
        bytes.iter().map(|&u| u32::from(Mitochondria::health(u))).sum()
    }

    #[test]
    fn fusion_conserves_health_and_evens_it_out() {
        let mut bytes: Vec<u8> = (0..400).map(|i| if i % 2 == 0 { 10 } else { 4 }).collect();
        fuse_individual(&mut bytes, 3, Hits::log_miss(0.0), &mut rng(0), &mut Vec::new());
        assert_eq!(health_sum(&bytes), 200 * 14, "health is conserved");
        // A random pairing of 200 tens and 200 fours: a pair is mixed with probability 200/399,
        // so 2·200·200/399 = 200.5 mitochondria end at 7 (sd ≈ 10).
        let evened = bytes.iter().filter(|&&u| u == 7).count();
        assert!((150..=250).contains(&evened), "about half the pairs are mixed 10+4 → 7,7: {evened}");
        let mut bins = Mitochondria::Individual(bytes.clone()).histogram(10);
        fuse_counts(&mut bins, 10, 3, &Binomial::new(1.0), &mut rng(1));
        assert_eq!(bins.iter().enumerate().map(|(h, &c)| h as u32 * c).sum::<u32>(), 400 * 7, "counted: conserved");
    }

    #[test]
    fn depolarised_and_tagged_mitochondria_do_not_fuse() {
        let mut bytes = vec![3u8; 50];
        bytes.extend(vec![9 | Mitochondria::TAG; 50]);
        bytes.extend(vec![10u8, 4]);
        let mut fused = bytes.clone();
        fuse_individual(&mut fused, 3, Hits::log_miss(0.0), &mut rng(0), &mut Vec::new());
        fused.sort();
        let mut want = bytes.clone();
        want[100..].copy_from_slice(&[7, 7]);
        want.sort();
        assert_eq!(fused, want, "only the 10 and the 4 fuse");
        let mut bins = Mitochondria::Individual(bytes).histogram(10);
        fuse_counts(&mut bins, 10, 3, &Binomial::new(1.0), &mut rng(1));
        assert_eq!(bins, Mitochondria::Individual(want).histogram(10));
    }

    /// The multiset law of both samplers on a small pool, against exact enumeration: mitochondria
    /// {10, 10, 6, 6, 4} all join; the odd one out is each mitochondrion with probability 1/5, and the
    /// remaining four pair in one of three ways.
    #[test]
    fn both_representations_draw_the_exact_pairing_law() {
        // Outcomes as sorted health multisets, with their exact probabilities:
        //  out 4 (1/5): {10,10},{6,6} → same; {10,6},{10,6} ×2 → 8,8,8,8      (1/3 vs 2/3)
        //  out 6 (2/5): rest 10,10,6,4: {10,10}{6,4} → 10,10,5,5; {10,6}{10,4} ×2 → 8,8,7,7
        //  out 10 (2/5): rest 10,6,6,4: {10,6}{6,4} ×2 → 8,8,5,5; {10,4}{6,6} → 7,7,6,6
        let cases: [(&[u8], f64); 6] = [
            (&[4, 6, 6, 10, 10], 1.0 / 15.0),
            (&[4, 8, 8, 8, 8], 2.0 / 15.0),
            (&[5, 5, 6, 10, 10], 2.0 / 15.0),
            (&[6, 7, 7, 8, 8], 4.0 / 15.0),
            (&[5, 5, 8, 8, 10], 4.0 / 15.0),
            (&[6, 6, 7, 7, 10], 2.0 / 15.0),
        ];
        let start = [10u8, 10, 6, 6, 4];
        let n = 30_000;
        for counted in [false, true] {
            let mut seen = [0u32; 6];
            for step in 0..n {
                let mut bytes = start.to_vec();
                if counted {
                    let mut bins = Mitochondria::Individual(bytes).histogram(10);
                    fuse_counts(&mut bins, 10, 3, &Binomial::new(1.0), &mut rng(step));
                    bytes = (0..=10u8).flat_map(|h| std::iter::repeat_n(h, bins[h as usize] as usize)).collect();
                } else {
                    fuse_individual(&mut bytes, 3, Hits::log_miss(0.0), &mut rng(step), &mut Vec::new());
                }
                bytes.sort();
                let i = cases
                    .iter()
                    .position(|(c, _)| *c == bytes.as_slice())
                    .unwrap_or_else(|| panic!("impossible outcome {bytes:?}"));
                seen[i] += 1;
            }
            // Each frequency within 4.5 binomial sd of its exact probability.
            for ((_, p), &k) in cases.iter().zip(&seen) {
                let sd = (n as f64 * p * (1.0 - p)).sqrt();
                assert!((k as f64 - n as f64 * p).abs() < 4.5 * sd, "counted {counted}: {k} vs {}", n as f64 * p);
            }
        }
    }

    #[test]
    fn mitochondria_stay_out_at_the_complement_rate() {
        let mut bytes = vec![10u8; 10_000];
        bytes.extend(vec![4u8; 10_000]);
        let stay_out = 0.2;
        fuse_individual(&mut bytes, 3, Hits::log_miss(stay_out), &mut rng(0), &mut Vec::new());
        // A 10 keeps its health only if it stays out (0.2) or meets another 10 (≈ 0.4 of 0.8).
        let tens = bytes.iter().filter(|&&u| u == 10).count() as f64 / 10_000.0;
        assert!((tens - (0.2 + 0.8 * 0.5)).abs() < 0.02, "{tens}");
    }
}
