//! The untreated mitochondrial steady state of a parameter set, computed once and recorded in
//! the manifest: D0, A0, ROS0 and the baseline differentiation probability p_diff0, against
//! which the fate multipliers are measured (so each multiplier averages 1 there).
//!
//! Method: a deterministic burn-in. K cells start with N0 mitochondria at full health and run the
//! model's own mitochondrial schedule under untreated knobs (no site, no fates) for B days; the
//! means of D, ATP, ROS, p_diff and N over K cells and the cell steps of the next T days are the
//! steady values, and the K final cells become the reservoir the circulating precursors start
//! from. The streams are fixed (not the run's seed), so the result is a function of the
//! parameters alone. Computed once per config, from its `[params]`, and shared by every scenario
//! (docs/model.md §1.4).
//!
//! | symbol | value | why |
//! |---|---|---|
//! | K | 200 cells | across 6 stream seeds at the defaults D0 varies by ±0.4 %, A0 by ±0.03 %, p_diff0 by ±0.006 % (sd): the osteoclastic drive of `coupling.rs` is 1 at the reference to ~0.1 % |
//! | B | 30 days | ≥ 10 turnover times of the mitochondrial population (0.35 /day) |
//! | T | 30 days | averaging window |

use crate::config::Params;
use crate::model::{CellId, Knobs, MitoReadout, Mitochondria, SteadyState, Streams};
use crate::processes::mitochondria::{fresh, readout};
use crate::processes::recruitment::differentiation_probability;
use crate::sim::{mitochondrial_schedule, world_with_rules};
use std::sync::Arc;

const CELLS: u64 = 200;
const BURN_IN_DAYS: f64 = 30.0;
const WINDOW_DAYS: f64 = 30.0;
const STREAM_SEED: u64 = 0x5EED_57EA_D157_A7E5;

/// The untreated steady state of `params` (see the module doc).
pub fn untreated(params: &Params) -> SteadyState {
    let mut world = world_with_rules(params, &SteadyState::unknown(), Streams::new(STREAM_SEED, 0));
    let knobs = Knobs::untreated(params);
    for id in 0..CELLS {
        let mito = fresh(params);
        world.spawn((CellId(id), readout::read(&mito, &knobs), mito));
    }
    let mut schedule = mitochondrial_schedule();
    let burn = (BURN_IN_DAYS / params.dt_days).round() as u64;
    let window = (WINDOW_DAYS / params.dt_days).round() as u64;
    let mut sums = [0.0f64; 6];
    let mut cells = world.query::<(&Mitochondria, &MitoReadout)>();
    for step in 0..burn + window {
        schedule.run(&mut world);
        if step >= burn {
            for (mito, r) in cells.iter(&world) {
                let p = differentiation_probability(params, r.ros, r.atp);
                for (s, x) in sums.iter_mut().zip([r.depolarised, r.atp, r.ros, p, mito.len() as f64, r.mitophagy]) {
                    *s += x;
                }
            }
        }
    }
    let n = (window * CELLS) as f64;
    let mut reservoir: Vec<(CellId, Mitochondria)> =
        world.query::<(&CellId, &Mitochondria)>().iter(&world).map(|(id, m)| (*id, m.clone())).collect();
    reservoir.sort_by_key(|(id, _)| *id);
    SteadyState {
        depolarised: sums[0] / n,
        atp: sums[1] / n,
        ros: sums[2] / n,
        p_diff: (sums[3] / n).max(f64::MIN_POSITIVE),
        mitochondria_per_cell: sums[4] / n,
        mitophagy: sums[5] / n,
        reservoir: Arc::new(reservoir.into_iter().map(|(_, m)| m).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::apoptosis::apoptosis_multiplier;
    use crate::processes::resorption::resorption_activity;

    #[test]
    fn steady_state_is_recorded_and_multipliers_average_one_there() {
        let p = Params::default();
        let s = untreated(&p);
        assert!(s.atp > 0.2 && s.atp < 1.0, "A0 {}", s.atp);
        assert!(s.depolarised > 0.0 && s.depolarised < 0.5, "D0 {}", s.depolarised);
        assert!(s.p_diff > 0.05 && s.p_diff <= 1.0, "p_diff0 {}", s.p_diff);
        assert_eq!(s.reservoir.len(), CELLS as usize);
        let knobs = Knobs::untreated(&p);
        let (mut apo, mut act) = (0.0, 0.0);
        for m in s.reservoir.iter() {
            let r = readout::read(m, &knobs);
            apo += apoptosis_multiplier(&knobs, &s, &r, 1.0);
            act += resorption_activity(&p, &s, &r);
        }
        let n = s.reservoir.len() as f64;
        assert!((apo / n - 1.0).abs() < 0.05, "mean M_apo {}", apo / n);
        assert!((act / n - 1.0).abs() < 0.05, "mean activity {}", act / n);
    }

    #[test]
    fn the_steady_state_is_a_function_of_the_parameters_alone() {
        let p = Params { mitochondria_per_cell: 30, ..Params::default() };
        assert_eq!(untreated(&p), untreated(&p));
        let q = Params { damage_per_day: 4.0, ..p.clone() };
        assert!(untreated(&q).atp < untreated(&p).atp, "more damage, less ATP");
    }
}
