//! Mitochondrial damage, driven by the cell's ROS.
//!
//! Rule, per mitochondrion per sub-step of length Δt (days):
//! ```text
//! h → h − 1   with probability 1 − exp(−λd · (1 + a_ros · ROS_cell) · Δt),   if h > 0
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | λd | `damage_per_day` | 2.0 | health levels /day | chosen: a new unit needs 7 hits to depolarise (θdep = 3), so turnover ≈ λd·(1 + a_ros·ROS₀)/7 = 0.52 /day at ROS₀ = 0.815; the baseline measures 0.49 /day (52.6 removals per cell-day, 108 units per cell), a half-life of 1.4 d against 1.83 d in mouse liver (Miwa 2008 Aging Cell [V]; published values differ up to 10×); osteoclast value [U] |
//! | a_ros | `damage_ros_gain` | 1.0 | per ROS unit | assumption: oxidative damage proportional to ROS [U] |
//! | ROS_cell | — | readout | ROS units | `readout.rs` |
//!
//! Form after Patel, Shirihai & Huang 2013 (discrete health lost by random hits).

use crate::config::Params;
use crate::model::streams::{Hits, hazard_to_probability};
use crate::model::{CellId, Clock, MitoReadout, Mitochondria, Process, Streams};
use bevy_ecs::prelude::{Query, Res};

/// Each unit loses one health level with the ROS-scaled damage hazard.
pub fn damage_mitochondria(
    params: Res<Params>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut cells: Query<(&CellId, &mut Mitochondria, &MitoReadout)>,
) {
    let (_, dt) = params.mito_substeps();
    for (id, mut mito, readout) in &mut cells {
        let rate = params.damage_per_day * (1.0 + params.damage_ros_gain * readout.ros);
        let mut rng = streams.stream(Process::Damage, id.0, clock.mito_step);
        let units = &mut mito.units;
        for i in Hits::new(&mut rng, units.len(), hazard_to_probability(rate, dt)) {
            units[i] -= u8::from(Mitochondria::health(units[i]) > 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{cell, one_system_world};

    #[test]
    fn damage_lowers_health_and_more_ros_lowers_it_faster() {
        let mean_health = |ros: f64| {
            let (mut world, mut schedule) = one_system_world(damage_mitochondria);
            let e = world.spawn(cell(1, vec![10; 2000], ros)).id();
            for step in 0..5 {
                world.resource_mut::<Clock>().mito_step = step;
                schedule.run(&mut world);
            }
            let m = world.get::<Mitochondria>(e).unwrap();
            m.units.iter().map(|&u| f64::from(u)).sum::<f64>() / m.units.len() as f64
        };
        let calm = mean_health(0.0);
        let stressed = mean_health(2.0);
        // 5 sub-steps of 1/30 day at λd = 2 /day: expected loss 5·(1 − e^(−2/30)) ≈ 0.32.
        assert!((10.0 - calm - 0.322).abs() < 0.05, "loss {}", 10.0 - calm);
        assert!(stressed < calm - 0.3, "ROS should speed damage: {stressed} vs {calm}");
    }

    #[test]
    fn health_never_goes_below_zero() {
        let (mut world, mut schedule) = one_system_world(damage_mitochondria);
        world.resource_mut::<Params>().damage_per_day = 1e6;
        let e = world.spawn(cell(1, vec![1; 100], 0.0)).id();
        for _ in 0..3 {
            schedule.run(&mut world);
        }
        assert!(world.get::<Mitochondria>(e).unwrap().units.iter().all(|&u| u == 0));
    }
}
