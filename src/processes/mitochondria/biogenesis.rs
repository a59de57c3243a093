//! Mitochondrial biogenesis: PGC-1β drives new units towards a target count that rises with ROS
//! (ROS → CREB → PGC-1β, Ishii et al. 2009 Nat Med).
//!
//! Rule, per cell per sub-step of length Δt:
//! ```text
//! N_target = N0 · (1 + b_ros · ROS)
//! new units ~ Poisson(k_bio · (N_target − N)+ · Δt),   each at h = H, untagged,
//! N never exceeds max_mitochondria_factor · N0
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | N0 | `mitochondria_per_cell` | 100 | units | no osteoclast count found; QC models use hundreds (science.md §4 [U]); 100 keeps the baseline fast |
//! | k_bio | `biogenesis_per_day` | 5 | /day per missing unit | chosen so the count stays within ~10 % of target at 0.35 /day turnover [U] |
//! | b_ros | `biogenesis_ros_gain` | 0.2 | per ROS unit | ROS → PGC-1β (Ishii 2009 [V] qualitative; size [U]) |
//! | — | `max_mitochondria_factor` | 4 | × N0 | safety bound on memory [choice] |

use crate::config::Params;
use crate::model::{CellId, Clock, Environment, MitoReadout, Mitochondria, Process, Streams};
use bevy_ecs::prelude::{Query, Res};
use rand::RngExt;
use rand_distr::Poisson;

/// Cells below their target count make new, fully polarised units.
pub fn renew_mitochondria(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut cells: Query<(&CellId, &mut Mitochondria, &MitoReadout)>,
) {
    let (_, dt) = params.mito_substeps();
    let n0 = params.mitochondria_per_cell as f64;
    let cap = (params.max_mitochondria_factor * n0) as usize;
    let fresh = params.health_levels as u8;
    for (id, mut mito, readout) in &mut cells {
        let target = n0 * (1.0 + params.biogenesis_ros_gain * readout.ros);
        let mean = env.biogenesis_per_day * (target - mito.units.len() as f64).max(0.0) * dt;
        let Ok(poisson) = Poisson::new(mean) else { continue };
        let mut rng = streams.stream(Process::Biogenesis, id.0, clock.mito_step);
        let new = rng.sample(poisson) as usize;
        let room = cap.saturating_sub(mito.units.len());
        let len = mito.units.len() + new.min(room);
        mito.units.resize(len, fresh);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{cell, one_system_world};

    #[test]
    fn biogenesis_refills_towards_the_target_and_no_further() {
        let (mut world, mut schedule) = one_system_world(renew_mitochondria);
        let low = world.spawn(cell(1, vec![10; 20], 0.0)).id();
        let full = world.spawn(cell(2, vec![10; 100], 0.0)).id();
        for step in 0..60 {
            world.resource_mut::<Clock>().mito_step = step;
            schedule.run(&mut world);
        }
        let n = |e| world.get::<Mitochondria>(e).unwrap().units.len();
        // 2 days at k_bio = 5 /day: the gap of 80 shrinks by e^(−10); within noise of 100.
        assert!((95..=105).contains(&n(low)), "{}", n(low));
        assert_eq!(n(full), 100, "a cell at target makes none");
    }

    #[test]
    fn ros_raises_the_target() {
        let (mut world, mut schedule) = one_system_world(renew_mitochondria);
        let e = world.spawn(cell(1, vec![10; 100], 2.0)).id();
        for step in 0..90 {
            world.resource_mut::<Clock>().mito_step = step;
            schedule.run(&mut world);
        }
        let n = world.get::<Mitochondria>(e).unwrap().units.len();
        assert!((130..=150).contains(&n), "target 140, got {n}");
    }
}
