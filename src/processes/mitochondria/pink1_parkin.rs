//! PINK1/Parkin mitophagy: depolarised mitochondria stabilise PINK1, which recruits Parkin, and
//! the tagged units are engulfed.
//!
//! Rule, per mitochondrion per sub-step of length Δt:
//! ```text
//! tag   = pink1_tagging ∧ h ≤ θdep          (PINK1 is imported and degraded while polarised)
//! P(removed | tagged) = 1 − exp(−k_parkin · Δt)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | θdep | `depolarised_threshold` | 3 | health level | start value of science.md §6 [U] |
//! | k_parkin | `parkin_per_day` | 4 | /day | 1/6 h⁻¹: Parkin recruitment within ~1 h, clearance within hours to a day (Narendra 2008 JCB 183:795 [V] for Δψ dependence; timings [U]) |
//! | — | `pink1_tagging` | true | switch | false is the PINK1 knock-out (Jang 2023 Redox Biol 69:103023) |
//!
//! Both read the knobs in `Environment` (interventions change them).

use crate::config::Params;
use crate::model::streams::{hazard_to_probability, threshold};
use crate::model::{CellId, Clock, Environment, Mitochondria, MitophagyCount, Process, Streams};
use super::{remove_indices, select_indices};
use bevy_ecs::prelude::{Local, Query, Res, ResMut};
use rand::Rng;

/// Depolarised units carry the PINK1 tag; repolarised (or knocked-out) ones lose it.
pub fn tag_depolarised_mitochondria(params: Res<Params>, env: Res<Environment>, mut cells: Query<&mut Mitochondria>) {
    let dep = params.depolarised_threshold as u8;
    for mut mito in &mut cells {
        for unit in mito.units.iter_mut() {
            let h = Mitochondria::health(*unit);
            *unit = if env.pink1_tagging && h <= dep { h | Mitochondria::TAG } else { h };
        }
    }
}

/// Parkin removes tagged units.
pub fn clear_tagged_mitochondria(
    params: Res<Params>,
    env: Res<Environment>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut mitophagy: ResMut<MitophagyCount>,
    mut tagged: Local<Vec<usize>>,
    mut cells: Query<(&CellId, &mut Mitochondria)>,
) {
    let (_, dt) = params.mito_substeps();
    let t = threshold(hazard_to_probability(env.parkin_per_day, dt));
    for (id, mut mito) in &mut cells {
        let units = &mut mito.units;
        select_indices(units, &mut tagged, Mitochondria::tagged);
        if tagged.is_empty() {
            continue;
        }
        let mut rng = streams.stream(Process::Parkin, id.0, clock.mito_step);
        tagged.retain(|_| rng.next_u64() < t);
        remove_indices(units, &tagged);
        mitophagy.removed += tagged.len() as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{cell, one_system_world};

    #[test]
    fn only_depolarised_units_are_tagged_and_only_tagged_ones_removed() {
        let (mut world, mut schedule) = one_system_world((tag_depolarised_mitochondria, clear_tagged_mitochondria).chain());
        world.resource_mut::<Environment>().parkin_per_day = 1e9;
        let units: Vec<u8> = (0..=10).collect();
        let e = world.spawn(cell(1, units, 0.0)).id();
        schedule.run(&mut world);
        let mut left = world.get::<Mitochondria>(e).unwrap().units.clone();
        left.sort();
        assert_eq!(left, vec![4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(world.resource::<MitophagyCount>().removed, 4);
    }

    #[test]
    fn without_pink1_nothing_is_tagged_or_removed() {
        let (mut world, mut schedule) = one_system_world((tag_depolarised_mitochondria, clear_tagged_mitochondria).chain());
        world.resource_mut::<Environment>().pink1_tagging = false;
        world.resource_mut::<Environment>().parkin_per_day = 1e9;
        let units: Vec<u8> = vec![0, 1, 3 | Mitochondria::TAG, 8];
        let e = world.spawn(cell(1, units, 0.0)).id();
        schedule.run(&mut world);
        assert_eq!(world.get::<Mitochondria>(e).unwrap().units, vec![0, 1, 3, 8]);
    }

    use bevy_ecs::schedule::IntoScheduleConfigs;
}
