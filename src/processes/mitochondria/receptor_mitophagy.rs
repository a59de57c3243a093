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
//! | k_receptor | `receptor_per_day` | 0.1 | /day at hypoxia 1 | start value of science.md §6; no osteoclast data [U] |
//! | hypoxia | `hypoxia` | 1 | signal | bone-marrow baseline = 1; HIF-1α induces BNIP3/NIX (Knowles 2015 [V] for osteoclast hypoxia; induction [U]) |
//! | s | `receptor_selectivity` | 1 | — | weak selectivity: a unit at h = 0 is removed twice as fast as a healthy one [U] |
//! | H | `health_levels` | 10 | levels | Patel 2013 |

use crate::config::Params;
use crate::model::streams::{Hits, hazard_to_probability, threshold};
use crate::processes::mitochondria::remove_indices;
use crate::model::{CellId, Clock, Environment, Mitochondria, MitophagyCount, Process, Streams};
use bevy_ecs::prelude::{Local, Query, Res, ResMut};
use rand::Rng;

/// Receptors remove units at a hypoxia-driven rate, damaged ones a little faster.
///
/// Sampling: candidates are drawn at the highest per-unit probability p_max = p(0) by geometric
/// gaps, and each candidate is removed with p(h)/p_max (thinning): exactly the per-unit rule,
/// with one draw per candidate instead of one per unit.
pub fn clear_by_receptors(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut mitophagy: ResMut<MitophagyCount>,
    mut accept: Local<Vec<u64>>,
    mut candidates: Local<Vec<usize>>,
    mut cells: Query<(&CellId, &mut Mitochondria)>,
) {
    let (_, dt) = params.mito_substeps();
    let top = params.health_levels as f64;
    let p = |h: u32| {
        let w = 1.0 + params.receptor_selectivity * (top - h as f64) / top;
        hazard_to_probability(env.receptor_per_day * env.hypoxia * w, dt)
    };
    let p_max = p(0);
    if p_max <= 0.0 {
        return;
    }
    accept.clear();
    accept.extend((0..=params.health_levels).map(|h| threshold(p(h) / p_max)));
    for (id, mut mito) in &mut cells {
        let mut rng = streams.stream(Process::Receptor, id.0, clock.mito_step);
        let before = mito.units.len();
        candidates.clear();
        candidates.extend(Hits::new(&mut rng, before, p_max));
        candidates.retain(|&i| rng.next_u64() < accept[Mitochondria::health(mito.units[i]) as usize]);
        remove_indices(&mut mito.units, &candidates);
        mitophagy.removed += candidates.len() as u64;
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{cell, one_system_world};

    #[test]
    fn receptors_remove_damaged_units_faster_and_need_hypoxia() {
        let survivors = |hypoxia: f64| {
            let (mut world, mut schedule) = one_system_world(clear_by_receptors);
            world.resource_mut::<Environment>().receptor_per_day = 6.0;
            world.resource_mut::<Environment>().hypoxia = hypoxia;
            let mut units = vec![10u8; 5000];
            units.extend(vec![0u8; 5000]);
            let e = world.spawn(cell(1, units, 0.0)).id();
            schedule.run(&mut world);
            let m = &world.get::<Mitochondria>(e).unwrap().units;
            (m.iter().filter(|&&u| u == 10).count(), m.iter().filter(|&&u| u == 0).count())
        };
        let (healthy, damaged) = survivors(1.0);
        // Δt = 1/30 day: P(healthy) = 1 − e^(−0.2) = 0.181, P(damaged) = 1 − e^(−0.4) = 0.330.
        assert!((5000.0 - healthy as f64 - 906.0).abs() < 100.0, "healthy removed {}", 5000 - healthy);
        assert!((5000.0 - damaged as f64 - 1648.0).abs() < 120.0, "damaged removed {}", 5000 - damaged);
        assert_eq!(survivors(0.0), (5000, 5000));
    }
}
