//! Receptor-mediated mitophagy (BNIP3, NIX, FUNDC1): hypoxia-induced outer-membrane receptors
//! bind LC3 directly, so removal needs no depolarisation and is only weakly selective.
//!
//! Rule, per mitochondrion per sub-step of length Δt:
//! ```text
//! P(removed) = 1 − exp(−k_receptor · hypoxia · w(h) · Δt),    w(h) = 1 + s · (H − h)/H
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | k_receptor | `receptor_per_day` | 0.15 | /day at hypoxia 1 | no osteoclast data \[U\]; with the selectivity, the receptors carry about half of basal removal, as basal mitophagy largely proceeds without PINK1/Parkin in vivo (McWilliams 2018 Cell Metab 27:439 \[V abstract\]) |
//! | hypoxia | `hypoxia` | 1 | signal | bone-marrow baseline = 1; HIF-1α induces BNIP3/NIX (Knowles 2015 \[V\] for osteoclast hypoxia; induction \[U\]) |
//! | s | `receptor_selectivity` | 3 | — | a mitochondrion at h = 0 is removed four times as fast as a healthy one \[U\] (calibrated with k_receptor, docs/calibration.md) |
//! | H | `health_levels` | 10 | levels | Patel 2013 |
//!
//! Sampling: removal is rare (under 1 % of mitochondria an hour), so one mitochondrion at a time, candidates are
//! drawn at the highest per-mitochondrion probability p_max = p(0) by geometric gaps, and each is removed
//! with p(h)/p_max (thinning): exactly the per-mitochondrion rule, with one draw per candidate instead of
//! one per mitochondrion. Counted mitochondria: one binomial per (level, tag).

use crate::model::counts::Binomial;
use crate::model::streams::{Hits, Stream, hazard_to_probability, threshold};
use crate::model::{Knobs, Mitochondria};
use rand::Rng;

/// The receptor rule of one sub-step.
#[derive(Clone, Debug)]
pub struct Receptors {
    /// ln(1 − p(0)), for the gaps between candidates.
    log_miss: f64,
    /// p(h)/p(0) as thresholds, for thinning.
    accept: Vec<u64>,
    /// p(h), prepared for binomial draws.
    binomials: Vec<Binomial>,
}

impl Receptors {
    pub fn new(knobs: &Knobs, dt: f64) -> Receptors {
        let params = &knobs.params;
        let top = params.health_levels as f64;
        let removal: Vec<f64> = (0..=params.health_levels)
            .map(|h| {
                let w = 1.0 + params.receptor_selectivity * (top - h as f64) / top;
                hazard_to_probability(params.receptor_per_day * params.hypoxia * w, dt)
            })
            .collect();
        let accept = removal.iter().map(|&p| if removal[0] > 0.0 { threshold(p / removal[0]) } else { 0 }).collect();
        let binomials = removal.iter().map(|&p| Binomial::new(p)).collect();
        Receptors { log_miss: Hits::log_miss(removal[0]), accept, binomials }
    }
}

/// Remove mitochondria at their receptor rate. `candidates` is scratch space. Returns the number removed.
pub fn clear_individual(bytes: &mut Vec<u8>, rule: &Receptors, rng: &mut Stream, candidates: &mut Vec<usize>) -> u64 {
    candidates.clear();
    candidates.extend(Hits::with_log(rng, bytes.len(), rule.log_miss));
    candidates.retain(|&i| rng.next_u64() < rule.accept[Mitochondria::health(bytes[i]) as usize]);
    for &i in candidates.iter().rev() {
        bytes.swap_remove(i);
    }
    candidates.len() as u64
}

/// The same rule on counted mitochondria (`bins` as in [`Counts`](crate::model::Mitochondria::Counts), top level `top`).
pub fn clear_counts(bins: &mut [u32], top: usize, rule: &Receptors, rng: &mut Stream) -> u64 {
    let mut removed = 0;
    for half in bins.chunks_mut(top + 1) {
        for (bin, binomial) in half.iter_mut().zip(&rule.binomials) {
            let k = binomial.draw(rng, *bin);
            *bin -= k;
            removed += u64::from(k);
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::model::Knobs;
    use crate::model::{Process, Streams};

    #[test]
    fn receptors_remove_damaged_mitochondria_faster_and_need_hypoxia() {
        let survivors = |hypoxia: f64, counted: bool| {
            let p = Params { receptor_selectivity: 1.0, receptor_per_day: 6.0, hypoxia, ..Params::default() };
            let rule = Receptors::new(&Knobs::untreated(&p), 1.0 / 30.0);
            let mut rng = Streams::new(42, 0).stream(Process::Receptor, 1, 0);
            let mut bytes = vec![10u8; 5000];
            bytes.extend(vec![0u8; 5000]);
            let mut m = Mitochondria::Individual(bytes);
            let removed = if counted {
                let mut bins = m.histogram(10);
                let r = clear_counts(&mut bins, 10, &rule, &mut rng);
                m = Mitochondria::Counts(bins);
                r
            } else {
                let Mitochondria::Individual(u) = &mut m else { unreachable!() };
                clear_individual(u, &rule, &mut rng, &mut Vec::new())
            };
            let h = m.histogram(10);
            assert_eq!(removed, 10_000 - u64::from(h[10] + h[0]));
            (h[10], h[0])
        };
        for counted in [false, true] {
            let (healthy, damaged) = survivors(1.0, counted);
            // Δt = 1/30 day: P(healthy) = 1 − e^(−0.2) = 0.181, P(damaged) = 1 − e^(−0.4) = 0.330;
            // of 5000: 906 ± 27 and 1648 ± 33 (binomial sd); bounds at about 4 sd.
            assert!((5000.0 - healthy as f64 - 906.0).abs() < 110.0, "healthy removed {}", 5000 - healthy);
            assert!((5000.0 - damaged as f64 - 1648.0).abs() < 135.0, "damaged removed {}", 5000 - damaged);
            assert_eq!(survivors(0.0, counted), (5000, 5000));
        }
    }
}
