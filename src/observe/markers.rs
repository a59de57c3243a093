//! Bone turnover markers as the clinic reads them: a resorption marker (serum CTX) and a formation
//! marker (serum P1NP), each a time course in % of the run's own day-0 (pre-treatment) value.
//!
//! CTX are C-terminal telopeptide fragments of type I collagen released as osteoclasts degrade
//! bone matrix; P1NP is the N-terminal propeptide cleaved off each type I procollagen molecule as
//! osteoblasts lay down new matrix, one per molecule. So CTX follows bone resorbed per day and
//! P1NP collagen (osteoid) formed per day, and both read the whole skeleton's turnover, not one
//! site's (Vasikaran et al. 2011 Osteoporos Int 22:391, the IOF–IFCC choice of s-CTX and s-P1NP
//! as reference markers; Eastell & Szulc 2017 Lancet Diabetes Endocrinol 5:908 \[S\]). Here the
//! skeleton is the simulated tissue: every site, cancellous and cortical, with its bone counted
//! as the model holds it (each site the same size), so cortical sites weigh in by the bone they
//! turn over (`cortical_activation_ratio`) [choice].
//!
//! With Δr_k and Δf_k the bone resorbed and formed in cell step k, summed over every site
//! (`Bone::resorbed`, `Bone::formed`, % of a site's initial bone), n = round(W / dt) and
//! m = round(B / dt):
//! ```text
//! R(t)      = Σ_{the n steps ending at t} Δr_k / (n·dt)     resorbed per day, mean over W
//! F(t)      = Σ_{the n steps ending at t} Δf_k / (n·dt)     formed per day, mean over W
//! R0, F0    = the same sums over the m steps ending at day 0, / (m·dt)   the baseline
//! ctx_pct   = 100 · R(t) / R0
//! p1np_pct  = 100 · F(t) / F0
//! ```
//! At day 0 the markers read the last W days against the last B: 100 up to the tissue's sampling
//! noise, which that row shows. A spin-up shorter than W or B, or a baseline of 0, leaves the
//! markers undefined (NaN, an empty field), never an infinity.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | W | `marker_window_days` | 28 | days | [choice]: serum CTX and P1NP are cleared within hours (CTX's circulating half-life is about an hour), so a serum value is the skeleton's rate around the day of sampling, averaged over its millions of BMUs; the model's hundreds of sites make one day's rate noisy, so a sample averages the W days before it (a trailing mean, independent of `record_every_days`; it lags a sudden change by about W/2). 4 weeks is shorter than the trials' first visits (1 to 3 months; FREEDOM: CTX down 86 % at 1 month, Cummings 2009 NEJM 361:756 \[R\]) |
//! | B | `marker_baseline_days` | 182 | days | [choice]: the baseline divides every later sample, so its noise would move the whole time course; it averages the half year of spin-up before day 0, where the tissue is at its pre-treatment steady state (a trial's baseline is one sample per patient, but of a whole skeleton) |
//! | dt | `dt_days` | 0.1 | days | the cell step |
//!
//! Both markers are relative to the run's own day 0, as a trial reports each patient's change
//! from baseline; scenarios that share a spin-up share that baseline, replicate by replicate.

use super::Sites;
use crate::config::Params;
use bevy_ecs::prelude::*;
use std::collections::VecDeque;

/// Bone resorbed and formed, summed over sites (% of a site's initial bone).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Turnover {
    pub resorbed: f64,
    pub formed: f64,
}

/// The tissue's turnover in each of the last max(n, m) cell steps: what the markers average.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Trail {
    /// n, the steps a sample averages (0: no window, the markers undefined).
    window: usize,
    /// m, the steps the day-0 baseline averages.
    baseline: usize,
    /// Turnover of each of the last max(n, m) steps, oldest first.
    steps: VecDeque<Turnover>,
}

impl Trail {
    /// An empty trail of n = round(W / dt) and m = round(B / dt) steps, each at least 1.
    pub fn new(p: &Params) -> Trail {
        // A float beyond usize saturates: such a window never fills, and the markers stay undefined.
        let steps = |days: f64| ((days / p.dt_days).round() as usize).max(1);
        Trail { window: steps(p.marker_window_days), baseline: steps(p.marker_baseline_days), steps: VecDeque::new() }
    }

    /// The steps kept: max(n, m).
    pub fn capacity(&self) -> usize {
        self.window.max(self.baseline)
    }

    /// Add the turnover of the step that just ended, dropping the step that leaves the trail.
    pub fn push(&mut self, step: Turnover) {
        if self.capacity() == 0 {
            return;
        }
        if self.steps.len() == self.capacity() {
            self.steps.pop_front();
        }
        self.steps.push_back(step);
    }

    /// The mean turnover per day over the last n steps (a sample), `None` until there are n.
    pub fn per_day(&self, dt_days: f64) -> Option<Turnover> {
        self.mean_of_last(self.window, dt_days)
    }

    /// The mean turnover per day over the last m steps (the baseline, at day 0), `None` until
    /// there are m.
    pub fn baseline_per_day(&self, dt_days: f64) -> Option<Turnover> {
        self.mean_of_last(self.baseline, dt_days)
    }

    fn mean_of_last(&self, n: usize, dt_days: f64) -> Option<Turnover> {
        if n == 0 || self.steps.len() < n {
            return None;
        }
        let days = n as f64 * dt_days;
        let last = self.steps.iter().skip(self.steps.len() - n);
        let (r, f) = last.fold((0.0, 0.0), |(r, f), s| (r + s.resorbed, f + s.formed));
        Some(Turnover { resorbed: r / days, formed: f / days })
    }
}

/// Follows the tissue step by step into a [`Trail`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tracker {
    pub trail: Trail,
    /// Cumulative turnover over every site at the last step tracked.
    last: Turnover,
}

impl Tracker {
    /// Start following `world` as it stands, adding to `trail`.
    pub fn start(world: &mut World, sites: &Sites, trail: Trail) -> Tracker {
        Tracker { trail, last: sites.turnover(world) }
    }

    /// Add the step that just ended.
    pub fn track(&mut self, world: &mut World, sites: &Sites) {
        let now = sites.turnover(world);
        let step = Turnover { resorbed: now.resorbed - self.last.resorbed, formed: now.formed - self.last.formed };
        self.trail.push(step);
        self.last = now;
    }
}

/// `100 · rate / baseline`: a marker in % of its day-0 value; undefined (NaN) when the baseline
/// is not a positive finite number or the rate is not known.
pub fn percent_of(rate: Option<f64>, baseline: Option<f64>) -> f64 {
    match (rate, baseline) {
        (Some(r), Some(b)) if b > 0.0 && b.is_finite() && r.is_finite() => 100.0 * r / b,
        _ => f64::NAN,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trail(window_days: f64, dt_days: f64) -> Trail {
        let p =
            Params { marker_window_days: window_days, marker_baseline_days: window_days, dt_days, ..Params::default() };
        Trail::new(&p)
    }

    #[test]
    fn a_doubled_resorption_reads_200_and_an_unchanged_formation_100() {
        // A window of 2 days in steps of 0.5: 4 steps.
        let mut t = trail(2.0, 0.5);
        let steady = Turnover { resorbed: 1.5, formed: 0.5 };
        for _ in 0..3 {
            t.push(steady);
            assert_eq!(t.per_day(0.5), None, "not full yet: undefined");
        }
        t.push(steady);
        let base = t.per_day(0.5).expect("full");
        assert_eq!(base, Turnover { resorbed: 3.0, formed: 1.0 }, "1.5 per half day is 3 per day");
        let ctx = |t: &Trail| percent_of(t.per_day(0.5).map(|r| r.resorbed), Some(base.resorbed));
        let p1np = |t: &Trail| percent_of(t.per_day(0.5).map(|r| r.formed), Some(base.formed));
        assert_eq!((ctx(&t), p1np(&t)), (100.0, 100.0), "day 0 reads 100");
        // Resorption doubles: halfway through the window the marker is halfway, then 200.
        for k in 1..=4 {
            t.push(Turnover { resorbed: 3.0, formed: 0.5 });
            assert_eq!(ctx(&t), 100.0 + 25.0 * k as f64, "step {k}");
            assert_eq!(p1np(&t), 100.0);
        }
        // Resorption stops: the marker falls to 0, not below.
        for _ in 0..4 {
            t.push(Turnover { resorbed: 0.0, formed: 0.5 });
        }
        assert_eq!(ctx(&t), 0.0);
    }

    #[test]
    fn an_undefined_baseline_gives_an_undefined_marker_never_an_infinity() {
        for (rate, baseline) in [(Some(1.0), Some(0.0)), (Some(1.0), None), (None, Some(1.0)), (Some(1.0), Some(-1.0))]
        {
            assert!(percent_of(rate, baseline).is_nan(), "{rate:?} / {baseline:?}");
        }
        assert!(percent_of(Some(f64::INFINITY), Some(1.0)).is_nan());
        assert!(percent_of(Some(1.0), Some(f64::NAN)).is_nan());
        assert_eq!(percent_of(Some(0.0), Some(2.0)), 0.0);
        // An empty trail, and one whose window cannot fill, never define a rate.
        assert_eq!(Trail::default().per_day(0.1), None);
        let mut huge = trail(1e300, 0.1);
        huge.push(Turnover::default());
        assert_eq!(huge.per_day(0.1), None);
        let mut none = Trail::default();
        none.push(Turnover { resorbed: 1.0, formed: 1.0 });
        assert_eq!(none.per_day(0.1), None, "a default trail has no window");
    }

    #[test]
    fn a_world_resorbing_at_twice_its_day_zero_rate_reads_ctx_200() {
        use crate::model::{Bone, Cortical, Site, Streams};
        use crate::observe::Observer;
        use crate::processes::testing::{bone, steady};
        let params = Params {
            sites: 1,
            cortical_sites: 1,
            dt_days: 1.0,
            marker_window_days: 2.0,
            marker_baseline_days: 3.0,
            ..Params::default()
        };
        let mut world = crate::sim::world_with_rules(&params, &steady(), Streams::new(1, 0));
        let c = world.spawn((Site { index: 0 }, bone())).id();
        let k = world.spawn((Site { index: 1 }, bone(), Cortical)).id();
        let sites = Sites::of(&mut world);
        // One day's resorption and formation at the cancellous site, then at the cortical one.
        let day = |world: &mut World, by_site: [(f64, f64); 2]| {
            for (e, (r, f)) in [c, k].into_iter().zip(by_site) {
                let mut b = world.get_mut::<Bone>(e).expect("a site");
                (b.resorbed, b.formed) = (b.resorbed + r, b.formed + f);
            }
        };
        // Spin-up: 3 + 1 resorbed and 1 + 1 formed per day, over both compartments, for the
        // 3-day baseline (and a day before it, which leaves the trail).
        let mut spin = Tracker::start(&mut world, &sites, Trail::new(&params));
        day(&mut world, [(9.0, 9.0), (9.0, 9.0)]);
        spin.track(&mut world, &sites);
        for _ in 0..3 {
            day(&mut world, [(3.0, 1.0), (1.0, 1.0)]);
            spin.track(&mut world, &sites);
        }
        // Day 0: the cumulative tallies restart, as `Simulation::record` does.
        for e in [c, k] {
            let mut b = world.get_mut::<Bone>(e).expect("a site");
            (b.resorbed, b.formed) = (0.0, 0.0);
        }
        let mut observer = Observer::at_day_zero(&mut world, spin.trail);
        let s = observer.observe(&mut world);
        assert_eq!((s.ctx_pct, s.p1np_pct), (100.0, 100.0), "day 0");
        // Resorption doubles at both sites, formation unchanged: halfway through the 2-day window
        // CTX reads 150, then 200; a cortical site alone counts as well.
        for want in [150.0, 200.0] {
            day(&mut world, [(6.0, 1.0), (2.0, 1.0)]);
            observer.track(&mut world);
            let s = observer.observe(&mut world);
            assert_eq!((s.ctx_pct, s.p1np_pct), (want, 100.0));
        }
        day(&mut world, [(6.0, 1.0), (2.0, 3.0)]);
        observer.track(&mut world);
        let s = observer.observe(&mut world);
        assert_eq!((s.ctx_pct, s.p1np_pct), (200.0, 150.0), "the cortical site's formation enters P1NP");
    }

    #[test]
    fn the_windows_are_w_and_b_over_dt_steps_and_at_least_one() {
        assert_eq!(trail(28.0, 0.1).window, 280);
        assert_eq!(trail(0.01, 0.1).window, 1);
        let t = Trail::new(&Params::default());
        assert_eq!((t.window, t.baseline, t.capacity()), (280, 1820, 1820));
    }

    #[test]
    fn the_baseline_and_a_sample_average_their_own_last_steps() {
        let p = Params { marker_window_days: 1.0, marker_baseline_days: 3.0, dt_days: 1.0, ..Params::default() };
        let mut t = Trail::new(&p);
        for r in [100.0, 1.0, 2.0, 3.0] {
            t.push(Turnover { resorbed: r, formed: 0.0 });
        }
        assert_eq!(t.steps.len(), 3, "the first step left the trail");
        assert_eq!(t.baseline_per_day(1.0).map(|b| b.resorbed), Some(2.0));
        assert_eq!(t.per_day(1.0).map(|b| b.resorbed), Some(3.0));
    }
}
