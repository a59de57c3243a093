//! PINK1/Parkin mitophagy: depolarised mitochondria stabilise PINK1, which recruits Parkin, and
//! the tagged mitochondria are engulfed.
//!
//! Rule, per mitochondrion per sub-step of length Δt:
//! ```text
//! tag   = pink1_tagging ∧ h ≤ θdep          (PINK1 is imported and degraded while polarised)
//! P(removed | tagged) = 1 − exp(−k_parkin · Δt)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | θdep | `depolarised_threshold` | 3 | health level | a start value \[U\] |
//! | k_parkin | `parkin_per_day` | 0.5 | /day | Parkin recruitment within ~1 h, clearance of a tagged mitochondrion within about two days in resting cells (Narendra 2008 JCB 183:795 \[V\] for Δψ dependence; timings \[U\]); rate-limiting, so that Parkin overexpression and PINK1 loss both change the depolarised share (calibrated, docs/calibration.md) |
//! | — | `pink1_tagging` | true | switch | false is the PINK1 knock-out (Jang 2023 Redox Biol 69:103023) |
//!
//! Both read the knobs in `Knobs` (interventions change them).
//!
//! Sampling: one mitochondrion, one Bernoulli trial per tagged mitochondrion on one random byte; counted mitochondria,
//! one binomial per tagged level.

use super::swar;
use crate::model::Knobs;
use crate::model::counts::Binomial;
use crate::model::draws::ByteOdds;
use crate::model::streams::{Stream, hazard_to_probability};
use rand::Rng;

/// The PINK1/Parkin rule of one sub-step.
#[derive(Clone, Copy, Debug)]
pub struct Parkin {
    pub depolarised: u8,
    pub tagging: bool,
    /// The chance that a tagged mitochondrion is removed this sub-step.
    pub removal: f64,
}

impl Parkin {
    pub fn new(knobs: &Knobs, dt: f64) -> Parkin {
        let params = &knobs.params;
        Parkin {
            depolarised: params.depolarised_threshold as u8,
            tagging: params.pink1_tagging,
            removal: hazard_to_probability(params.parkin_per_day, dt),
        }
    }
}

/// Tag depolarised mitochondria (untag the others), then remove tagged mitochondria with `odds`. `removed` is
/// scratch space. Returns the number removed.
pub fn tag_and_clear_individual(
    bytes: &mut Vec<u8>,
    rule: &Parkin,
    odds: ByteOdds,
    rng: &mut Stream,
    removed: &mut Vec<u32>,
) -> u64 {
    let tag = if rule.tagging { swar::HIGH } else { 0 };
    removed.clear();
    // Eight mitochondria a word; the few tagged ones each take one byte of a shared draw.
    let (mut draw, mut left) = (0u64, 0);
    swar::update(bytes, |w, start, real| {
        let depolarised = !swar::health_above(w, rule.depolarised) & swar::HIGH;
        let tagged_word = (w & swar::LOW7) | (depolarised & tag);
        let mut tagged = tagged_word & real;
        while tagged != 0 {
            let j = (tagged.trailing_zeros() / 8) as usize;
            tagged &= tagged - 1;
            if left == 0 {
                (draw, left) = (rng.next_u64(), 8);
            }
            let b = draw as u8;
            (draw, left) = (draw >> 8, left - 1);
            if b < odds.top || (b == odds.top && odds.on_tie(rng)) {
                removed.push((start + j) as u32);
            }
        }
        tagged_word
    });
    for &i in removed.iter().rev() {
        bytes.swap_remove(i as usize);
    }
    removed.len() as u64
}

/// The same rule on counted mitochondria (`bins` as in [`Counts`](crate::model::Mitochondria::Counts), top level `top`).
pub fn tag_and_clear_counts(bins: &mut [u32], top: usize, rule: &Parkin, removal: &Binomial, rng: &mut Stream) -> u64 {
    let tagged = top + 1;
    for h in 0..=top {
        let all = bins[h] + bins[tagged + h];
        let tag = rule.tagging && h <= rule.depolarised as usize;
        (bins[h], bins[tagged + h]) = if tag { (0, all) } else { (all, 0) };
    }
    let mut removed = 0;
    for h in 0..=rule.depolarised as usize {
        let k = removal.draw(rng, bins[tagged + h]);
        bins[tagged + h] -= k;
        removed += u64::from(k);
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::model::Knobs;
    use crate::model::Mitochondria;
    use crate::model::{Process, Streams};

    fn rng() -> Stream {
        Streams::new(42, 0).stream(Process::Parkin, 1, 0)
    }

    fn rule(tagging: bool, removal: f64) -> Parkin {
        let p = Params::default();
        Parkin { tagging, removal, ..Parkin::new(&Knobs::untreated(&p), 0.1) }
    }

    #[test]
    fn only_depolarised_mitochondria_are_tagged_and_only_tagged_ones_removed() {
        let mut bytes: Vec<u8> = (0..=10).collect();
        let removed =
            tag_and_clear_individual(&mut bytes, &rule(true, 1.0), ByteOdds::new(1.0), &mut rng(), &mut Vec::new());
        bytes.sort();
        assert_eq!(bytes, vec![4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(removed, 4);
        let mut bins = Mitochondria::Individual((0..=10).collect()).histogram(10);
        assert_eq!(tag_and_clear_counts(&mut bins, 10, &rule(true, 1.0), &Binomial::new(1.0), &mut rng()), 4);
        assert_eq!(bins, Mitochondria::Individual(bytes).histogram(10));
    }

    #[test]
    fn without_pink1_nothing_is_tagged_or_removed() {
        let mut bytes: Vec<u8> = vec![0, 1, 3 | Mitochondria::TAG, 8];
        assert_eq!(
            tag_and_clear_individual(&mut bytes, &rule(false, 1.0), ByteOdds::new(1.0), &mut rng(), &mut Vec::new()),
            0
        );
        assert_eq!(bytes, vec![0, 1, 3, 8]);
        let mut bins = Mitochondria::Individual(vec![0, 1, 3 | Mitochondria::TAG, 8]).histogram(10);
        assert_eq!(tag_and_clear_counts(&mut bins, 10, &rule(false, 1.0), &Binomial::new(1.0), &mut rng()), 0);
        assert_eq!(bins, Mitochondria::Individual(bytes).histogram(10));
    }

    #[test]
    fn tagged_mitochondria_go_at_the_parkin_rate() {
        // 20 000 depolarised mitochondria, removal 0.15: 3000 expected, sd √(20000·0.15·0.85) = 50.5.
        let mut bytes = vec![2u8; 20_000];
        let removed =
            tag_and_clear_individual(&mut bytes, &rule(true, 0.15), ByteOdds::new(0.15), &mut rng(), &mut Vec::new());
        assert!((removed as f64 - 3000.0).abs() < 5.0 * 50.5, "{removed}");
        assert_eq!(bytes.len() as u64, 20_000 - removed);
        let mut bins = Mitochondria::counted(20_000, 2, 10).histogram(10);
        let removed = tag_and_clear_counts(&mut bins, 10, &rule(true, 0.15), &Binomial::new(0.15), &mut rng());
        assert!((removed as f64 - 3000.0).abs() < 5.0 * 50.5, "counted: {removed}");
    }
}
