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
    under(&Knobs::untreated(params), CELLS).0
}

/// The steady state of `cells` cells under `knobs` (see the module doc), and the standard errors
/// of its D, ATP, ROS and p_diff: the spread of the cells' own window means over √cells.
pub fn under(knobs: &Knobs, cells: u64) -> (SteadyState, [f64; 4]) {
    let params = &knobs.params;
    let mut world = world_with_rules(params, &SteadyState::unknown(), Streams::new(STREAM_SEED, 0));
    world.insert_resource(knobs.clone());
    for id in 0..cells {
        let mito = fresh(params);
        world.spawn((CellId(id), readout::read(&mito, knobs), mito));
    }
    let mut schedule = mitochondrial_schedule();
    let burn = (BURN_IN_DAYS / params.dt_days).round() as u64;
    let window = (WINDOW_DAYS / params.dt_days).round() as u64;
    // Per cell, in id order: the window sums of D, ATP, ROS, p_diff, N and φ.
    let mut sums = vec![[0.0f64; 6]; cells as usize];
    let mut query = world.query::<(&CellId, &Mitochondria, &MitoReadout)>();
    for step in 0..burn + window {
        schedule.run(&mut world);
        if step >= burn {
            for (id, mito, r) in query.iter(&world) {
                let p = differentiation_probability(params, r.ros, r.atp);
                let x = [r.depolarised, r.atp, r.ros, p, mito.len() as f64, r.mitophagy];
                sums[id.0 as usize].iter_mut().zip(x).for_each(|(s, x)| *s += x / window as f64);
            }
        }
    }
    let n = cells as f64;
    let mean = |k: usize| sums.iter().map(|c| c[k]).sum::<f64>() / n;
    let se = |k: usize| {
        let m = mean(k);
        (sums.iter().map(|c| (c[k] - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0) / n).sqrt()
    };
    let mut reservoir: Vec<(CellId, Mitochondria)> =
        world.query::<(&CellId, &Mitochondria)>().iter(&world).map(|(id, m)| (*id, m.clone())).collect();
    reservoir.sort_by_key(|(id, _)| *id);
    let state = SteadyState {
        depolarised: mean(0),
        atp: mean(1),
        ros: mean(2),
        p_diff: mean(3).max(f64::MIN_POSITIVE),
        mitochondria_per_cell: mean(4),
        mitophagy: mean(5),
        reservoir: Arc::new(reservoir.into_iter().map(|(_, m)| m).collect()),
    };
    (state, [se(0), se(1), se(2), se(3)])
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
