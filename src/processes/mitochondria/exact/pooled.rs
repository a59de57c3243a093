//! Fusion's fast limit (`fusion_instant`) run on the few numbers that are its state.
//!
//! In the limit the eligible mitochondria (levels `lo..=H`) always share their health: E of them
//! holding S levels sit E − r at q = ⌊S/E⌋ and r = S mod E at q + 1 (`Levels::equalize`). So a
//! cell's state is the pool (E, S) and the counts n_h of the levels below `lo`, and every
//! transition of the exact process changes it in O(1):
//! ```text
//! damage      pool at h > lo:   S → S − 1                 pool at h = lo:  E → E − 1, S → S − lo, n_(lo−1) + 1
//!             below lo, h ≥ 1:  n_h − 1, n_(h−1) + 1
//! removal     pool at h:        E → E − 1, S → S − h      below lo:        n_h − 1
//! biogenesis  at H:             E → E + 1, S → S + H      (n_H + 1 if H < lo)
//! ```
//! with the rates of `mod.rs`, the health deficit D = H·E − S + Σ_(h<lo) (H − h) n_h.
//!
//! Exactness: this is the chain of `Exact::evolve` with the histogram equalised after every
//! event, written on its state. The rates are the same expressions in the same order, the same
//! uniform picks the same level (mitochondria counted from the top for damage, levels walked
//! from 0 for the receptors), and every sum is an integer, so for the same stream both give the
//! same histogram, removal count and readout, bit for bit (`same_as_the_histogram_chain`).
//! The gain is the cost of an event: no walk over H levels and no re-equalising.

use super::levels::{Bands, tagged_at, weighted_at};
use super::{Exact, LEVELS, next_event, nth};
use crate::model::Stream;

/// The pool and the levels below it.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Pooled {
    /// n_h for h < lo (levels at and above `lo` are always zero here).
    low: [u32; LEVELS],
    /// E and S: the eligible mitochondria and their summed health.
    eligible: i64,
    health: i64,
}

impl Pooled {
    /// Pool the eligible levels of a histogram (equalising them, as the limit does at once).
    pub fn of(n: &[u32; LEVELS], bands: Bands) -> Pooled {
        let mut low = [0; LEVELS];
        let (mut eligible, mut health) = (0, 0);
        for (h, &c) in n.iter().enumerate().take(bands.top + 1) {
            if h >= bands.lo {
                eligible += i64::from(c);
                health += i64::from(c) * h as i64;
            } else {
                low[h] = c;
            }
        }
        Pooled { low, eligible, health }
    }

    /// The histogram: the levels below `lo`, and the pool shared out as q and q + 1.
    pub fn histogram(&self) -> [u32; LEVELS] {
        let mut n = self.low;
        if self.eligible > 0 {
            let (q, r) = self.split();
            n[q] = (self.eligible - r) as u32;
            if r > 0 {
                n[q + 1] = r as u32;
            }
        }
        n
    }

    /// q = ⌊S/E⌋ and r = S mod E (E > 0).
    #[inline(always)]
    fn split(&self) -> (usize, i64) {
        ((self.health / self.eligible) as usize, self.health % self.eligible)
    }

    fn below(&self, bands: Bands) -> &[u32] {
        &self.low[..bands.below_pool()]
    }
}

impl Exact {
    /// The direct method on the pooled state for `days`; returns the mitochondria removed.
    pub(super) fn evolve_pooled(&self, cell: &mut Pooled, days: f64, rng: &mut Stream) -> u64 {
        let bands = self.bands;
        let top = bands.top as i64;
        let lows = bands.below_pool();
        let (mut total, mut low_deficit, mut tagged) = (cell.eligible, 0i64, 0i64);
        for (h, &c) in cell.below(bands).iter().enumerate() {
            total += i64::from(c);
            low_deficit += i64::from(c) * (top - h as i64);
            tagged += if h < bands.tagged_end { i64::from(c) } else { 0 };
        }
        let (mut removed, mut t) = (0, 0.0);
        loop {
            let deficit = top * cell.eligible - cell.health + low_deficit;
            let damageable = total - i64::from(cell.low[0]);
            let r = self.rates(deficit, total, damageable, tagged);
            let (damage, r_damage) = (r.damage, r.damage_total);
            let receptors_from = r_damage + r.parkin;
            let biogenesis_from = receptors_from + r.receptors;
            let Some((now, x)) = next_event(biogenesis_from + r.biogenesis, t, days, rng) else {
                return removed;
            };
            t = now;
            // Which level loses one (`None`: biogenesis).
            let h = if x < r_damage {
                let k = nth(x / damage, damageable) as i64;
                let h = self.damaged_level(cell, k);
                if h > bands.lo {
                    // Inside the pool: one level lost, shared at once.
                    cell.health -= 1;
                    continue;
                }
                // Down one level: added below, taken from h (the pool's lowest leave it).
                self.add_low(cell, h - 1, 1, &mut low_deficit, &mut tagged);
                Some(h)
            } else if x < receptors_from {
                (removed, total) = (removed + 1, total - 1);
                Some(tagged_at(&cell.low, nth((x - r_damage) / self.parkin_per_day, tagged), bands))
            } else if x < biogenesis_from {
                (removed, total) = (removed + 1, total - 1);
                Some(self.receptor_level(cell, x - receptors_from))
            } else {
                total += 1;
                None
            };
            match h {
                Some(h) if h >= lows => {
                    cell.eligible -= 1;
                    cell.health -= h as i64;
                }
                Some(h) => self.add_low(cell, h, -1, &mut low_deficit, &mut tagged),
                None if bands.top >= lows => {
                    cell.eligible += 1;
                    cell.health += top;
                }
                None => self.add_low(cell, bands.top, 1, &mut low_deficit, &mut tagged),
            }
        }
    }

    /// Add `d` mitochondria at level `h` below the pool, keeping the running sums.
    #[inline(always)]
    fn add_low(&self, cell: &mut Pooled, h: usize, d: i64, low_deficit: &mut i64, tagged: &mut i64) {
        cell.low[h] = (i64::from(cell.low[h]) + d) as u32;
        *low_deficit += d * (self.bands.top - h) as i64;
        if h < self.bands.tagged_end {
            *tagged += d;
        }
    }

    /// The level of the `k`-th damageable mitochondrion counted from the top, as
    /// `Levels::damageable_at` counts it.
    #[inline(always)]
    fn damaged_level(&self, cell: &Pooled, mut k: i64) -> usize {
        if cell.eligible > 0 {
            let (q, r) = cell.split();
            if k < r {
                return q + 1;
            }
            if k < cell.eligible {
                return q;
            }
            k -= cell.eligible;
        }
        for h in (2..self.bands.below_pool()).rev() {
            let c = i64::from(cell.low[h]);
            if k < c {
                return h;
            }
            k -= c;
        }
        1
    }

    /// The level at `x` of the cumulative receptor weights w_h · n_h, levels walked from 0.
    #[inline(always)]
    fn receptor_level(&self, cell: &Pooled, x: f64) -> usize {
        let mut levels = [(0, 0u32); 2];
        if cell.eligible > 0 {
            let (q, r) = cell.split();
            levels = [(q, (cell.eligible - r) as u32), (if r > 0 { q + 1 } else { q }, r as u32)];
        }
        weighted_at(&self.receptor_at, cell.below(self.bands).iter().copied().enumerate().chain(levels), x)
    }
}

#[cfg(test)]
mod tests {
    use super::super::levels::{Levels, histogram};
    use super::*;
    use crate::config::Params;
    use crate::model::{Knobs, Mitochondria, Process, Streams};

    /// The histogram chain of `Exact::evolve`, equalised at the start and after every event.
    fn on_histogram(rule: &Exact, start: &Mitochondria, days: f64, rng: &mut Stream) -> (u64, [u32; LEVELS]) {
        let mut levels = Levels::of(start, rule.bands);
        levels.equalize(rule.bands);
        (rule.evolve(&mut levels, days, rng), levels.n)
    }

    #[test]
    fn same_as_the_histogram_chain() {
        let base = Params { fusion_instant: true, ..Params::default() };
        let variants = [
            base.clone(),
            Params { pink1_tagging: false, ..base.clone() },
            Params { hypoxia: 3.0, receptor_selectivity: 6.0, ..base.clone() },
            Params { damage_per_day: 8.0, biogenesis_per_day: 1.0, ..base.clone() },
            Params { health_levels: 5, fusion_threshold: 1, depolarised_threshold: 2, ..base.clone() },
            Params { health_levels: 3, fusion_threshold: 3, depolarised_threshold: 3, ..base },
        ];
        let mut events = 0;
        for (v, params) in variants.iter().enumerate() {
            let rule = Exact::new(&Knobs::untreated(params));
            let top = params.health_levels as usize;
            for c in 0..40u64 {
                // A fresh cell (all at H), then spread histograms of 61 to 99 mitochondria.
                let start = match c {
                    0 => Mitochondria::uniform(100, top as u8),
                    _ => Mitochondria::Individual(
                        (0..60 + c).map(|i| ((i * 7 + c * 3) % (top as u64 + 1)) as u8).collect(),
                    ),
                };
                let stream = || Streams::new(11, v as u32).stream(Process::Mitochondria, c, 0);
                let reference = on_histogram(&rule, &start, 3.0, &mut stream());
                let mut pooled = Pooled::of(&histogram(&start, top), rule.bands);
                let removed = rule.evolve_pooled(&mut pooled, 3.0, &mut stream());
                assert_eq!((removed, pooled.histogram()), reference, "variant {v}, cell {c}");
                events += removed;
            }
        }
        assert!(events > 1000, "the chains ran: {events} removals");
    }
}
