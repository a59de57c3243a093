//! Mitochondrial damage, driven by the cell's ROS.
//!
//! Rule, per mitochondrion per sub-step of length Δt (days):
//! ```text
//! h → h − 1   with probability 1 − exp(−λd · (1 + a_ros · ROS_cell) · Δt),   if h > 0
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λd | `damage_per_day` | 2.0 | health levels /day | chosen: a new mitochondrion needs 7 hits to depolarise (θdep = 3), so turnover ≈ λd·(1 + a_ros·ROS₀)/7 = 0.52 /day at ROS₀ = 0.815; the baseline measures 0.49 /day (52.6 removals per cell-day, 108 mitochondria per cell), a half-life of 1.4 d against 1.83 d in mouse liver (Miwa 2008 Aging Cell \[V\]; published values differ up to 10×); osteoclast value \[U\] |
//! | a_ros | `damage_ros_gain` | 1.0 | per ROS unit | assumption: oxidative damage proportional to ROS \[U\] |
//! | ROS_cell | — | readout | ROS units | `readout.rs` |
//!
//! Form after Patel, Shirihai & Huang 2013 (discrete health lost by random hits).
//!
//! Sampling: one mitochondrion, one Bernoulli trial on one random byte ([`ByteOdds`]); counted mitochondria, one
//! binomial per (level, tag), taken from the lowest level up so no mitochondrion falls twice.

use super::swar;
use crate::config::Params;
use crate::model::counts::Binomial;
use crate::model::draws::ByteOdds;
use crate::model::streams::{Stream, hazard_to_probability};
use rand::Rng;

/// The damage rule of one sub-step.
#[derive(Clone, Copy, Debug)]
pub struct Damage {
    per_day: f64,
    ros_gain: f64,
    dt: f64,
}

impl Damage {
    pub fn new(params: &Params, dt: f64) -> Damage {
        Damage { per_day: params.damage_per_day, ros_gain: params.damage_ros_gain, dt }
    }

    /// The chance that a mitochondrion of a cell at `ros` loses a level this sub-step.
    pub fn probability(&self, ros: f64) -> f64 {
        hazard_to_probability(self.per_day * (1.0 + self.ros_gain * ros), self.dt)
    }
}

/// Hit each mitochondrion with probability `odds`; a hit mitochondrion above health 0 loses one level (its tag
/// stays). Eight mitochondria share one 64-bit draw, byte j deciding mitochondrion j.
pub fn damage_individual(bytes: &mut [u8], odds: ByteOdds, rng: &mut Stream) {
    swar::update(bytes, |mut w, _, _| {
        let r = rng.next_u64();
        let above_zero = swar::health_above(w, 0) >> 7;
        let (hits, mut ties) = odds.eight(r);
        w -= hits & above_zero;
        while ties != 0 {
            let bit = ties.trailing_zeros() - 7;
            ties &= ties - 1;
            if odds.on_tie(rng) {
                w -= (above_zero >> bit & 1) << bit;
            }
        }
        w
    });
}

/// The same rule on counted mitochondria: `bins` as in [`Counts`](crate::model::Mitochondria::Counts) with top level `top`.
pub fn damage_counts(bins: &mut [u32], top: usize, hit: &Binomial, rng: &mut Stream) {
    for tag in [0, top + 1] {
        for h in 1..=top {
            let k = hit.draw(rng, bins[tag + h]);
            bins[tag + h] -= k;
            bins[tag + h - 1] += k;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Mitochondria;
    use crate::model::{Process, Streams};

    fn rng(step: u64) -> Stream {
        Streams::new(42, 0).stream(Process::Damage, 1, step)
    }

    fn mean_health_after_five_substeps(ros: f64, counted: bool) -> f64 {
        let d = Damage::new(&Params::default(), 1.0 / 30.0);
        let p = d.probability(ros);
        let mut m = if counted { Mitochondria::counted(2000, 10, 10) } else { Mitochondria::uniform(2000, 10) };
        for step in 0..5 {
            match &mut m {
                Mitochondria::Individual(u) => damage_individual(u, ByteOdds::new(p), &mut rng(step)),
                Mitochondria::Counts(b) => damage_counts(b, 10, &Binomial::new(p), &mut rng(step)),
            }
        }
        let hist = m.histogram(10);
        hist.iter().take(11).enumerate().map(|(h, &c)| h as f64 * c as f64).sum::<f64>() / 2000.0
    }

    #[test]
    fn damage_lowers_health_and_more_ros_lowers_it_faster() {
        for counted in [false, true] {
            let calm = mean_health_after_five_substeps(0.0, counted);
            let stressed = mean_health_after_five_substeps(2.0, counted);
            // 5 sub-steps of 1/30 day at λd = 2 /day: each mitochondrion loses Binomial(5, 0.0645) levels,
            // mean 0.322, sd over 2000 mitochondria √(5·0.0645·0.9355/2000) = 0.012: 4 sd = 0.05.
            assert!((10.0 - calm - 0.322).abs() < 0.05, "counted {counted}: loss {}", 10.0 - calm);
            // At ROS 2 the hazard triples: loss 0.90.
            assert!(stressed < calm - 0.5, "counted {counted}: ROS should speed damage: {stressed} vs {calm}");
        }
    }

    #[test]
    fn health_never_goes_below_zero_and_tags_stay() {
        let mut bytes = vec![1u8; 100];
        bytes.extend([1 | Mitochondria::TAG; 9]);
        for step in 0..3 {
            damage_individual(&mut bytes, ByteOdds::new(1.0), &mut rng(step));
        }
        assert!(bytes[..100].iter().all(|&u| u == 0));
        assert!(bytes[100..].iter().all(|&u| u == Mitochondria::TAG));
        let mut bins = Mitochondria::counted(100, 1, 10).histogram(10);
        bins[11 + 1] = 9;
        for step in 0..3 {
            damage_counts(&mut bins, 10, &Binomial::new(1.0), &mut rng(step));
        }
        assert_eq!((bins[0], bins[11]), (100, 9));
        assert_eq!(bins.iter().sum::<u32>(), 109);
    }
}
