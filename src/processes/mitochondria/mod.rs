//! The mitochondrial layer: every precursor and osteoclast carries its own mitochondria, each a
//! discrete health level h ∈ {0..H} (a membrane-potential proxy, after Patel et al. 2013 PLoS
//! Comput Biol 9:e1003108) and a PINK1 tag. One mitochondrial sub-step runs, in this order:
//!
//! 1. [`damage`]: ROS-driven loss of health;
//! 2. [`fusion`]: selective fusion–fission among polarised units;
//! 3. [`pink1_parkin`]: PINK1 tagging of depolarised units, Parkin-dependent removal;
//! 4. [`receptor_mitophagy`]: BNIP3/NIX/FUNDC1 removal, weakly selective;
//! 5. [`biogenesis`]: PGC-1β-driven renewal towards a ROS-dependent target count;
//! 6. [`readout`]: the cell's ATP, depolarised fraction and ROS, which the next sub-step and the
//!    cell fates read.
//!
//! The sub-step length is `dt_days / ceil(24·dt_days / mito_dt_hours)`, so mitochondria never
//! step longer than `mito_dt_hours` and a whole number of sub-steps fills each cell step.

pub mod biogenesis;
pub mod damage;
pub mod fusion;
pub mod pink1_parkin;
pub mod readout;
pub mod receptor_mitophagy;

/// Remove the units at `sorted` (increasing, distinct) indices. Units are an unordered
/// population, so each removal swaps the last unit into the gap: O(removed), not O(units).
pub fn remove_indices(units: &mut Vec<u8>, sorted: &[usize]) {
    for &i in sorted.iter().rev() {
        units.swap_remove(i);
    }
}

/// Fill `out` with the indices of the units for which `keep` holds, in order. Branch-free (every
/// index is written, the cursor advances only on a match), which matters in the hot loops where
/// the matches are scattered and a branch would mispredict.
pub fn select_indices(units: &[u8], out: &mut Vec<usize>, keep: impl Fn(u8) -> bool) {
    out.clear();
    out.resize(units.len() + 1, 0);
    let mut k = 0;
    for (i, &u) in units.iter().enumerate() {
        out[k] = i;
        k += usize::from(keep(u));
    }
    out.truncate(k);
}

pub use biogenesis::renew_mitochondria;
pub use damage::damage_mitochondria;
pub use fusion::fuse_mitochondria;
pub use pink1_parkin::{clear_tagged_mitochondria, tag_depolarised_mitochondria};
pub use readout::read_mitochondria;
pub use receptor_mitophagy::clear_by_receptors;

/// The links from mitochondria to fates, each shown on a small world of steady-state cells run
/// through the full mitochondrial sub-step.
#[cfg(test)]
mod tests {
    use crate::config::Params;
    use crate::model::{CellId, Clock, Environment, MitoReadout, Mitochondria, Streams};
    use crate::processes::apoptosis::apoptosis_multiplier;
    use crate::processes::interventions::untreated;
    use crate::processes::resorption::resorption_activity;
    use crate::sim::{mitochondrial_schedule, world_with_rules};
    use crate::steady_state;
    use bevy_ecs::prelude::World;

    /// Run 100 steady-state cells for `days` under `params`/`env`; mean (D, ATP, ROS, N,
    /// M_apo, activity) at the end, fates measured against the default steady state.
    fn evolve(params: &Params, env: Environment, days: f64) -> [f64; 6] {
        let reference = Params { mitochondria_per_cell: 50, ..Params::default() };
        let steady = steady_state::untreated(&reference);
        let mut world: World = world_with_rules(params, &steady, Streams::new(9, 0));
        world.insert_resource(env);
        for (i, m) in steady.reservoir.iter().take(100).enumerate() {
            world.spawn((CellId(i as u64), m.clone(), MitoReadout { atp: steady.atp, depolarised: steady.depolarised, ros: steady.ros }));
        }
        let mut schedule = mitochondrial_schedule();
        let (_, dt) = params.mito_substeps();
        for step in 0..(days / dt) as u64 {
            world.resource_mut::<Clock>().mito_step = step;
            schedule.run(&mut world);
        }
        let mut sums = [0.0; 6];
        let mut q = world.query::<(&Mitochondria, &MitoReadout)>();
        for (m, r) in q.iter(&world) {
            let fates = [r.depolarised, r.atp, r.ros, m.units.len() as f64, apoptosis_multiplier(&reference, &env, &steady, r, 1.0), resorption_activity(&reference, &steady, r.atp)];
            for (s, x) in sums.iter_mut().zip(fates) {
                *s += x / 100.0;
            }
        }
        sums
    }

    fn base() -> Params {
        Params { mitochondria_per_cell: 50, ..Params::default() }
    }

    #[test]
    fn more_damage_means_more_apoptosis_and_less_resorption() {
        let p = base();
        let calm = evolve(&p, untreated(&p), 5.0);
        let harsh = Params { damage_per_day: 6.0, ..p };
        let damaged = evolve(&harsh, untreated(&harsh), 5.0);
        assert!(damaged[0] > calm[0] + 0.02, "depolarised {} vs {}", damaged[0], calm[0]);
        assert!(damaged[4] > calm[4] * 1.1, "apoptosis multiplier {} vs {}", damaged[4], calm[4]);
        assert!(damaged[5] < calm[5] * 0.9, "resorption activity {} vs {}", damaged[5], calm[5]);
        assert!((calm[4] - 1.0).abs() < 0.1 && (calm[5] - 1.0).abs() < 0.1, "untreated cells stay near 1: {calm:?}");
    }

    #[test]
    fn without_pink1_damaged_mitochondria_pile_up_and_ros_rises() {
        let p = base();
        let wild = evolve(&p, untreated(&p), 10.0);
        let knockout = Environment { pink1_tagging: false, ..untreated(&p) };
        let ko = evolve(&p, knockout, 10.0);
        assert!(ko[0] > 2.0 * wild[0], "depolarised share {} vs {}", ko[0], wild[0]);
        assert!(ko[2] > wild[2] + 0.05, "ROS {} vs {}", ko[2], wild[2]);
    }

    #[test]
    fn biogenesis_keeps_the_count_near_its_target() {
        let p = base();
        let s = evolve(&p, untreated(&p), 10.0);
        let target = 50.0 * (1.0 + p.biogenesis_ros_gain * s[2]);
        assert!((s[3] / target - 1.0).abs() < 0.15, "count {} vs target {target}", s[3]);
        let starved = Environment { biogenesis_per_day: 0.0, ..untreated(&p) };
        assert!(evolve(&p, starved, 10.0)[3] < 0.5 * s[3], "no biogenesis, the population shrinks");
    }
}
