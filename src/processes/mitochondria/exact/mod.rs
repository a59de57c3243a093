//! The mitochondrial rules as one continuous-time Markov process per cell, simulated exactly
//! (Gillespie 1977 J Phys Chem 81:2340, direct method): no sub-step, so no result depends on one.
//!
//! State: n_h, the cell's mitochondria at health h ∈ {0..H}. The PINK1 tag is a function of
//! health, `tagged(h) = pink1_tagging ∧ h ≤ θdep`: PINK1 is stabilised as soon as a mitochondrion
//! depolarises (the sub-step scheme tags once per sub-step; here there is no lag). Eligible for fusion:
//! e_h = n_h if h > θfus and not tagged(h), else 0; E = Σ e_h; N = Σ n_h. Transitions and their
//! rates (per day), with ROS the cell's readout (`readout.rs`) in the present state:
//! ```text
//! damage        h → h − 1, one mitochondrion at h > 0     λd · (1 + a_ros · ROS) · n_h
//! fusion        (a, b) → (⌈(a+b)/2⌉, ⌊(a+b)/2⌋)             f / (E − 1) · e_a · e_b,   a < b
//! Parkin        remove one at h                            k_parkin · n_h · [tagged(h)]
//! receptors     remove one at h                            k_receptor · hypoxia · w(h) · n_h
//! biogenesis    add one at H                               k_bio · (N0 (1 + b_ros · ROS) − N)+,  N < cap
//! ```
//! w(h) = 1 + s · (H − h)/H. Fusion: every eligible mitochondrion meets others at rate f, each
//! time a uniformly chosen other eligible one (E f / 2 meetings a day, f/(E − 1) per pair); the
//! pair shares its health, total conserved. A meeting of two mitochondria one level apart or at
//! the same level leaves the multiset as it was, so only pairs with b − a ≥ 2 are events.
//!
//! Fusion's fast limit (`fusion_instant`, off by default): as f → ∞ fusion runs to its end between
//! any two other events, and its end is unique: with E eligible holding S levels, E − r at
//! ⌊S/E⌋ and r = S mod E one level up (the only histogram with no unequal pair and the same E
//! and S). The fusion transition is then dropped and the eligible are shared out this way after
//! every event (`Levels::equalize`); the rest of the chain is unchanged and still exact. It
//! removes about 45 % of the events; at f = 5 /h it moves the reference state by ~4 %
//! (docs/numerics.md), so it is a model of its own, not a faster way to run the default. Its
//! state is then a pool (count and summed health) and the levels below it, and `pooled.rs` runs
//! the same chain on those few numbers, bit for bit.
//!
//! Exactness: the cell's state is the multiset of healths (no rule reads a mitochondrion's
//! identity or position), so the process above is a Markov chain on the histogram n_h, and the
//! direct method samples its law exactly: waiting time Exp(Σ rates), then a transition chosen with
//! probability rate/Σ rates, rates recomputed after every event (ROS included). Between cell
//! steps the knobs (RANKL, drugs) may change; the chain is memoryless, so restarting it at a cell
//! step boundary is exact.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λd, a_ros | `damage_per_day`, `damage_ros_gain` | 2.0, 1.0 | levels /day, per ROS unit | `damage.rs` |
//! | f | `fusion_per_hour` | 5 | meetings /h per eligible mitochondrion (× 24 here) | `fusion.rs` |
//! | θfus, θdep | `fusion_threshold`, `depolarised_threshold` | 3, 3 | health level | `fusion.rs`, `pink1_parkin.rs` |
//! | k_parkin | `parkin_per_day` | 0.5 | /day | `pink1_parkin.rs` |
//! | k_receptor, s | `receptor_per_day`, `receptor_selectivity` | 0.15, 3 | /day, — | `receptor_mitophagy.rs` |
//! | k_bio, b_ros | `biogenesis_per_day`, `biogenesis_ros_gain` | 5, 0.2 | /day per missing mitochondrion, per ROS unit | `biogenesis.rs` |
//! | N0 | `mitochondria_per_cell` | 100 | mitochondria | `biogenesis.rs` |
//!
//! The sources and evidence grades are in the files named; the exact process changes how the
//! rules are integrated, not what they are.
//!
//! Cost: one event per ~100 s of a cell's life at the defaults (~850 a day: damage and fusion
//! about 380 each, removal and biogenesis about 50 each), each O(H).

mod levels;
mod pooled;

use super::readout::Readout;
use crate::model::draws::uniform;
use crate::model::{Knobs, MitoReadout, Mitochondria, Stream};
use levels::{Bands, Levels, histogram, store, tagged_at, weighted_at};
use pooled::Pooled;
use rand::RngExt;
use rand_distr::Exp1;

/// The most health levels a cell can have (`health_levels` ≤ 63).
const LEVELS: usize = 64;

/// The exact process's rates, prepared once per cell step from the knobs. The rates that read
/// ROS are affine in the health deficit D = Σ (H − h) n_h (ROS is, `readout.rs`), so each is kept
/// as its two coefficients: a rate per mitochondrion `x + y · D`.
#[derive(Clone, Debug)]
pub struct Exact {
    bands: Bands,
    /// λd (1 + a_ros · ROS(D)) = damage_base + damage_slope · D, per damageable mitochondrion.
    damage_base: f64,
    damage_slope: f64,
    fusion_per_day: f64,
    /// Fusion in its fast limit: the eligible always share their health (`fusion_instant`).
    instant_fusion: bool,
    parkin_per_day: f64,
    /// k_receptor · hypoxia, and s/H: Σ_h k_receptor · hypoxia · w(h) · n_h = k (N + s/H · D).
    receptor_per_day: f64,
    receptor_slope: f64,
    /// k_receptor · hypoxia · w(h), per level.
    receptor_at: [f64; LEVELS],
    biogenesis_per_day: f64,
    /// The target count N0 (1 + b_ros · ROS(D)) = target_base + target_slope · D.
    target_base: f64,
    target_slope: f64,
    cap: i64,
    readout: Readout,
}

impl Exact {
    pub fn new(knobs: &Knobs) -> Exact {
        let p = &knobs.params;
        let top = p.health_levels as usize;
        let tagged_end = if p.pink1_tagging { p.depolarised_threshold as usize + 1 } else { 0 };
        let lo = (p.fusion_threshold as usize + 1).max(tagged_end);
        let receptor_per_day = p.receptor_per_day * p.hypoxia;
        let receptor_slope = p.receptor_selectivity / top as f64;
        let mut receptor_at = [0.0; LEVELS];
        for (h, rate) in receptor_at.iter_mut().enumerate().take(top + 1) {
            *rate = receptor_per_day * (1.0 + receptor_slope * (top - h) as f64);
        }
        let readout = Readout::new(knobs);
        let (ros0, ros_slope) = (readout.ros_of(0), readout.ros_of(1) - readout.ros_of(0));
        let n0 = f64::from(p.mitochondria_per_cell);
        Exact {
            bands: Bands { top, lo, tagged_end },
            damage_base: p.damage_per_day * (1.0 + p.damage_ros_gain * ros0),
            damage_slope: p.damage_per_day * p.damage_ros_gain * ros_slope,
            fusion_per_day: p.fusion_per_hour * 24.0,
            instant_fusion: p.fusion_instant,
            parkin_per_day: p.parkin_per_day,
            receptor_per_day,
            receptor_slope,
            receptor_at,
            biogenesis_per_day: p.biogenesis_per_day,
            target_base: n0 * (1.0 + p.biogenesis_ros_gain * ros0),
            target_slope: n0 * p.biogenesis_ros_gain * ros_slope,
            cap: (p.max_mitochondria_factor * n0) as i64,
            readout,
        }
    }

    /// Run `mito` for `days` from its present state; returns the mitochondria removed by
    /// mitophagy and leaves `readout` at the final state.
    pub fn run(&self, mito: &mut Mitochondria, readout: &mut MitoReadout, days: f64, rng: &mut Stream) -> u64 {
        let n = histogram(mito, self.bands.top);
        let (removed, n) = if self.instant_fusion {
            let mut pooled = Pooled::of(&n, self.bands);
            (self.evolve_pooled(&mut pooled, days, rng), pooled.histogram())
        } else {
            let mut levels = Levels::from_histogram(n, self.bands);
            (self.evolve(&mut levels, days, rng), levels.n)
        };
        store(&n, mito, self.bands);
        *readout = self.readout.read(mito);
        removed
    }

    /// The direct method on `cell` for `days`: one exponential waiting time and one uniform
    /// choice per event; the uniform's position within the chosen transition's rate picks the
    /// mitochondria it moves.
    fn evolve(&self, cell: &mut Levels, days: f64, rng: &mut Stream) -> u64 {
        let bands = self.bands;
        let (mut removed, mut t) = (0, 0.0);
        // f / (E − 1), kept while E stays (most events leave it).
        let (mut meeting, mut meeting_of) = (0.0, -1);
        loop {
            let r = self.rates(cell.deficit, cell.total, cell.damageable, cell.tagged);
            let damage = r.damage;
            if cell.eligible != meeting_of {
                meeting_of = cell.eligible;
                meeting = if cell.eligible >= 2 { self.fusion_per_day / (cell.eligible - 1) as f64 } else { 0.0 };
            }
            let r_fusion = meeting * cell.unequal_pairs as f64;
            let fusion_from = r.damage_total;
            let parkin_from = fusion_from + r_fusion;
            let receptors_from = parkin_from + r.parkin;
            let biogenesis_from = receptors_from + r.receptors;
            let Some((now, x)) = next_event(biogenesis_from + r.biogenesis, t, days, rng) else {
                return removed;
            };
            t = now;
            if x < fusion_from {
                let h = cell.damageable_at(nth(x / damage, cell.damageable), bands.top);
                if h > bands.lo {
                    cell.move_eligible(h, h - 1);
                } else {
                    cell.change(h, -1, bands);
                    cell.change(h - 1, 1, bands);
                }
            } else if x < parkin_from {
                let (a, b) = cell.unequal_pair_at(nth((x - fusion_from) / meeting, cell.unequal_pairs), bands);
                let s = a + b;
                cell.move_eligible(a, s / 2);
                cell.move_eligible(b, s.div_ceil(2));
            } else if x < biogenesis_from {
                let h = if x < receptors_from {
                    tagged_at(&cell.n, nth((x - parkin_from) / self.parkin_per_day, cell.tagged), bands)
                } else {
                    weighted_at(
                        &self.receptor_at,
                        cell.n.iter().copied().enumerate().take(bands.top + 1),
                        x - receptors_from,
                    )
                };
                cell.change(h, -1, bands);
                removed += 1;
            } else {
                cell.change(bands.top, 1, bands);
            }
            if self.instant_fusion {
                cell.equalize(bands);
            }
        }
    }
}

/// The direct method's draw (Gillespie 1977) at time `t`: the time of the next event at total
/// `rate` and its uniform position in [0, rate); None if no event comes before `days`.
#[inline(always)]
fn next_event(rate: f64, t: f64, days: f64, rng: &mut Stream) -> Option<(f64, f64)> {
    if rate <= 0.0 {
        return None;
    }
    let t = t + rng.sample::<f64, _>(Exp1) / rate;
    if t >= days {
        return None;
    }
    Some((t, uniform(rng) * rate))
}

/// The rates (per day) of every transition but fusion in a state of health deficit D, N
/// mitochondria, N − n_0 damageable and T tagged.
#[derive(Clone, Copy)]
struct Rates {
    /// λd (1 + a_ros · ROS(D)), per damageable mitochondrion.
    damage: f64,
    /// damage · (N − n_0).
    damage_total: f64,
    parkin: f64,
    receptors: f64,
    biogenesis: f64,
}

impl Exact {
    /// The rates of `mod.rs`'s table in the state (D, N, N − n_0, T); both chains read them here.
    #[inline(always)]
    fn rates(&self, deficit: i64, total: i64, damageable: i64, tagged: i64) -> Rates {
        let deficit = deficit as f64;
        let damage = self.damage_base + self.damage_slope * deficit;
        let biogenesis = if total < self.cap {
            let target = self.target_base + self.target_slope * deficit;
            self.biogenesis_per_day * (target - total as f64).max(0.0)
        } else {
            0.0
        };
        Rates {
            damage,
            damage_total: damage * damageable as f64,
            parkin: self.parkin_per_day * tagged as f64,
            receptors: self.receptor_per_day * (total as f64 + self.receptor_slope * deficit),
            biogenesis,
        }
    }
}

/// The index ⌊position⌋ among `count` equally weighted items, kept below `count` where
/// rounding would carry it past the last.
#[inline]
fn nth(position: f64, count: i64) -> u64 {
    (position as u64).min(count.max(1) as u64 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::stats::summarize;
    use crate::config::Params;
    use crate::model::{Process, Streams};

    /// Only the processes the test names: no damage, fusion, removal or biogenesis otherwise.
    fn quiet() -> Params {
        Params {
            damage_per_day: 0.0,
            damage_ros_gain: 0.0,
            fusion_per_hour: 0.0,
            parkin_per_day: 0.0,
            receptor_per_day: 0.0,
            biogenesis_per_day: 0.0,
            biogenesis_ros_gain: 0.0,
            ..Params::default()
        }
    }

    /// `cells` cells, each starting as `start` (one byte per mitochondrion), after `days`; returns
    /// their histograms over health and the mitochondria removed.
    fn after(params: &Params, start: &[u8], cells: u64, days: f64) -> (Vec<Vec<u32>>, u64) {
        let rule = Exact::new(&Knobs::untreated(params));
        let mut removed = 0;
        let hist = (0..cells)
            .map(|c| {
                let mut m = Mitochondria::Individual(start.to_vec());
                let mut r = MitoReadout::default();
                removed += rule.run(&mut m, &mut r, days, &mut Streams::new(7, 0).stream(Process::Mitochondria, c, 0));
                let h = m.histogram(params.health_levels);
                (0..=params.health_levels as usize).map(|l| h[l] + h[l + params.health_levels as usize + 1]).collect()
            })
            .collect();
        (hist, removed)
    }

    fn within(x: f64, mean: f64, sd: f64, what: &str) {
        assert!((x - mean).abs() < 4.0 * sd, "{what}: {x} against {mean} ± {sd}");
    }

    #[test]
    fn damage_takes_a_poisson_number_of_levels() {
        // λd = 2 /day for one day: each of 2000 mitochondria loses K ~ Poisson(2) levels, floored at 0.
        let p = Params { damage_per_day: 2.0, ..quiet() };
        let (hist, _) = after(&p, &[10; 20], 100, 1.0);
        let pk = |k: i32| (-2.0f64).exp() * 2f64.powi(k) / (1..=k).map(f64::from).product::<f64>();
        let health = |k: i32| f64::from((10 - k).max(0));
        let mean: f64 = (0..40).map(|k| pk(k) * health(k)).sum();
        let var: f64 = (0..40).map(|k| pk(k) * (health(k) - mean).powi(2)).sum();
        let got = hist.iter().flat_map(|h| h.iter().enumerate().map(|(l, &c)| l as f64 * f64::from(c))).sum::<f64>();
        within(got / 2000.0, mean, (var / 2000.0).sqrt(), "mean health");
    }

    #[test]
    fn each_eligible_mitochondrion_meets_another_at_the_fusion_rate() {
        // Two eligible mitochondria (10 and 4) meet at f = 120 /day: fused by 0.01 day with
        // probability 1 − e^(−1.2) = 0.699, health shared as (7, 7).
        let p = Params { fusion_per_hour: 5.0, ..quiet() };
        let (hist, _) = after(&p, &[10, 4], 2000, 0.01);
        let fused = hist.iter().filter(|h| h[7] == 2).count() as f64 / 2000.0;
        let q = 1.0 - (-1.2f64).exp();
        within(fused, q, (q * (1.0 - q) / 2000.0).sqrt(), "share fused");
        assert!(hist.iter().all(|h| h[7] == 2 || (h[10] == 1 && h[4] == 1)), "a pair fuses whole or not at all");
    }

    #[test]
    fn fusion_conserves_health_and_leaves_the_ineligible_alone() {
        let p = Params { fusion_per_hour: 5.0, ..quiet() };
        let start = [10, 10, 9, 4, 4, 3, 1, 0];
        let (hist, removed) = after(&p, &start, 50, 1.0);
        for h in &hist {
            assert_eq!(h.iter().enumerate().map(|(l, &c)| l as u32 * c).sum::<u32>(), 41, "total health");
            assert_eq!((h[3], h[1], h[0]), (1, 1, 1), "at or below θfus = 3 nothing fuses");
            assert_eq!(h[4..].iter().sum::<u32>(), 5);
        }
        assert_eq!(removed, 0);
    }

    #[test]
    fn instant_fusion_shares_the_eligible_health_at_once() {
        // Eligible (h > θfus = 3, untagged): 10 + 10 + 9 + 4 + 4 = 37 over 5, so two at 8 and three at 7.
        let p = Params { fusion_instant: true, ..quiet() };
        let (hist, _) = after(&p, &[10, 10, 9, 4, 4, 3, 1, 0], 3, 1e-9);
        for h in &hist {
            assert_eq!((h[8], h[7], h[3], h[1], h[0]), (2, 3, 1, 1, 1), "{h:?}");
        }
    }

    #[test]
    fn instant_fusion_is_the_limit_of_fast_fusion() {
        // Damage, Parkin and biogenesis for two days with fusion at 2000 /h against its limit: the
        // mean health and count per cell agree within their Monte Carlo errors.
        let busy = Params { damage_per_day: 2.0, parkin_per_day: 0.5, biogenesis_per_day: 5.0, ..quiet() };
        let start: Vec<u8> = (0..100).map(|i| (i % 11) as u8).collect();
        let moments = |p: &Params| {
            let (hist, _) = after(p, &start, 400, 2.0);
            let per_cell: Vec<[f64; 2]> = hist
                .iter()
                .map(|h| {
                    let n = f64::from(h.iter().sum::<u32>());
                    let health: f64 = h.iter().enumerate().map(|(l, &c)| l as f64 * f64::from(c)).sum();
                    [health / n, n]
                })
                .collect();
            [0, 1].map(|k| {
                let s = summarize(&per_cell.iter().map(|c| c[k]).collect::<Vec<_>>());
                (s.mean, s.sd / (s.n as f64).sqrt())
            })
        };
        let fast = moments(&Params { fusion_per_hour: 2000.0, ..busy.clone() });
        let limit = moments(&Params { fusion_instant: true, ..busy });
        for ((a, sa), (b, sb)) in fast.into_iter().zip(limit) {
            within(a, b, (sa * sa + sb * sb).sqrt(), "fast fusion against its limit");
        }
    }

    #[test]
    fn tagged_mitochondria_go_at_the_parkin_rate() {
        // 1000 at h = 2 (tagged), k_parkin = 0.5 /day for one day: Binomial(1000, e^(−0.5)) stay.
        let p = Params { parkin_per_day: 0.5, ..quiet() };
        let (hist, removed) = after(&p, &[2; 1000], 1, 1.0);
        let q = (-0.5f64).exp();
        within(f64::from(hist[0][2]), 1000.0 * q, (1000.0 * q * (1.0 - q)).sqrt(), "left");
        assert_eq!(u64::from(hist[0][2]) + removed, 1000, "every loss is a removal");
        let (untouched, _) = after(&Params { pink1_tagging: false, ..p }, &[2; 1000], 1, 1.0);
        assert_eq!(untouched[0][2], 1000, "without PINK1 nothing is tagged");
    }

    #[test]
    fn receptors_remove_damaged_mitochondria_faster() {
        // k = 0.5 /day, s = 3: w(0) = 4, w(10) = 1; 500 of each for one day.
        let p = Params { receptor_per_day: 0.5, pink1_tagging: false, ..quiet() };
        let start: Vec<u8> = [0u8; 500].into_iter().chain([10u8; 500]).collect();
        let (hist, _) = after(&p, &start, 1, 1.0);
        for (level, w) in [(0, 4.0), (10, 1.0)] {
            let q = (-0.5f64 * w).exp();
            within(f64::from(hist[0][level]), 500.0 * q, (500.0 * q * (1.0 - q)).sqrt(), "left");
        }
    }

    #[test]
    fn biogenesis_fills_each_missing_place_at_its_rate() {
        // Target 100, 20 present, k_bio = 5 /day for 0.2 day: each of the 80 missing is made with
        // probability 1 − e^(−1), so Binomial(80, e^(−1)) are still missing.
        let p = Params { biogenesis_per_day: 5.0, ..quiet() };
        let (hist, _) = after(&p, &[10; 20], 200, 0.2);
        let n = hist.iter().map(|h| f64::from(h.iter().sum::<u32>())).sum::<f64>() / 200.0;
        let q = (-1.0f64).exp();
        within(n, 100.0 - 80.0 * q, (80.0 * q * (1.0 - q) / 200.0).sqrt(), "mean count");
        assert!(hist.iter().all(|h| h[..10].iter().all(|&c| c == 0)), "new ones are born at H");
    }

    #[test]
    fn both_representations_run_the_same_chain() {
        let p = Params::default();
        let rule = Exact::new(&Knobs::untreated(&p));
        let start: Vec<u8> = (0..120).map(|i| (i % 11) as u8).collect();
        let mut bytes = Mitochondria::Individual(start.clone());
        let mut counts = Mitochondria::Counts(Mitochondria::Individual(start).histogram(10));
        let (mut r1, mut r2) = (MitoReadout::default(), MitoReadout::default());
        let stream = || Streams::new(3, 1).stream(Process::Mitochondria, 5, 9);
        let a = rule.run(&mut bytes, &mut r1, 2.0, &mut stream());
        let b = rule.run(&mut counts, &mut r2, 2.0, &mut stream());
        assert_eq!((a, bytes.histogram(10), r1), (b, counts.histogram(10), r2));
        assert!(a > 0, "two days of mitophagy remove some");
    }
}
