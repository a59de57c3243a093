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
use crate::model::{AtSite, Bmu, Counters, Site, SiteCensus};
use bevy_ecs::prelude::{Commands, Entity, Local, Query, Res, ResMut, With};
use crate::model::Mitochondria;

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
