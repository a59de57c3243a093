//! BMU completion: a BMU ends when its osteoclasts are gone (x1 = 0 is absorbing in the kernel,
//! so no more can form), no precursor is still committing, and its osteoblast excess is spent;
//! or when it reaches `max_bmu_days`. The site returns to quiescence and keeps its bone.
//!
//! Rule, per active BMU after the census:
//! ```text
//! age += Δt
//! complete if (N1 = 0 ∧ P = 0 ∧ N2 ≤ Ω · x̄2)  or  age ≥ max_bmu_days
//! ```
//! The osteoblasts at steady state (Ω·x̄2 of them) become lining cells: they are not tracked at
//! quiescent sites. A BMU closed by age loses its remaining cells.
//!
//! | key | default | unit | source |
//! |---|---|---|---|
//! | `max_bmu_days` | 400 | days | safety bound; a Komarova cycle is ≈ 200 days [C] |

use crate::config::Params;
use crate::model::{AtSite, Bmu, Counters, Mitochondria, Site, SiteCensus};
use bevy_ecs::prelude::{Commands, Entity, Local, Query, Res, ResMut, With};

/// Age BMUs and close those whose cycle is spent.
pub fn complete_bmus(
    params: Res<Params>,
    census: Res<SiteCensus>,
    mut counters: ResMut<Counters>,
    mut closed_by_age: Local<Vec<u32>>,
    mut bmus: Query<(Entity, &Site, &mut Bmu)>,
    cells: Query<(Entity, &AtSite), With<Mitochondria>>,
    mut commands: Commands,
) {
    let (_, x2_bar) = params.kernel().steady_state();
    closed_by_age.clear();
    for (entity, site, mut bmu) in &mut bmus {
        bmu.age_days += params.dt_days;
        let i = site.index as usize;
        let spent = census.osteoclasts[i] == 0
            && census.precursors[i] == 0
            && bmu.osteoblasts as f64 <= params.population_scale * x2_bar;
        let too_old = bmu.age_days >= params.max_bmu_days - 1e-9;
        if spent || too_old {
            commands.entity(entity).remove::<Bmu>();
            counters.bmus_completed += 1;
            if too_old && !spent {
                closed_by_age.push(site.index);
            }
        }
    }
    if !closed_by_age.is_empty() {
        for (cell, site) in &cells {
            if closed_by_age.contains(&site.0) {
                commands.entity(cell).despawn();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Osteoclast, Precursor};
    use crate::processes::testing::{bmu, cell, count, one_system_world, set_census};

    #[test]
    fn spent_bmus_close_busy_ones_age_and_old_ones_close_with_their_cells() {
        let (mut world, mut schedule) = one_system_world(complete_bmus);
        // Ω·x̄2 = 212.13. Sites: 0 spent; 1 has an osteoclast; 2 a precursor; 3 excess osteoblasts;
        // 4 has an osteoclast but reaches max_bmu_days = 400 this step.
        set_census(&mut world, vec![0, 1, 0, 0, 1], vec![0.0, 1.0, 0.0, 0.0, 1.0], vec![0, 0, 1, 0, 0]);
        let bmus = [bmu(212), bmu(212), bmu(212), bmu(213), Bmu { age_days: 399.9, ..bmu(212) }];
        let sites: Vec<_> = (0..5).map(|index| world.spawn((Site { index }, bmus[index as usize])).id()).collect();
        let survivor = world.spawn((cell(1, vec![10], 0.5), AtSite(1), Osteoclast { activity: 1.0 })).id();
        let waiting = world.spawn((cell(2, vec![10], 0.5), AtSite(2), Precursor { age_days: 0.0 })).id();
        let doomed =
            [3, 4].map(|id| world.spawn((cell(id, vec![10], 0.5), AtSite(4), Osteoclast { activity: 1.0 })).id());
        schedule.run(&mut world);
        assert_eq!(world.resource::<Counters>().bmus_completed, 2);
        assert!(world.get::<Bmu>(sites[0]).is_none() && world.get::<Bmu>(sites[4]).is_none());
        for &e in &sites[1..4] {
            let age = world.get::<Bmu>(e).expect("still running").age_days;
            assert!((age - 0.1).abs() < 1e-12, "aged by Δt: {age}");
        }
        assert!(doomed.iter().all(|&e| world.get_entity(e).is_err()), "cells of a BMU closed by age go");
        assert!(world.get_entity(survivor).is_ok() && world.get_entity(waiting).is_ok());
        assert_eq!((count::<Site>(&mut world), count::<Mitochondria>(&mut world)), (5, 2));
    }
}
