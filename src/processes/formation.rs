//! Bone formation: osteoblasts lay down osteoid (new, unmineralised matrix), by the config's bone
//! law.
//!
//! Rule, per active BMU per step Δt:
//! ```text
//! coupled, in formation:  Δz = team · w · M_ob · min(Δt, left) / L      w = k_res/(Ω·α2)  (coupling.rs)
//! komarova2003:           Δz = k2 · (N2/Ω − x̄2)+ · Δt
//! both:                   z + Δz ≤ z_max
//! ```
//! Under the coupled law the team works for its working life L (`cycle.rs`), so each team
//! osteoblast lays down w·M_ob in all whatever L is: L sets the formation period, M_ob the
//! osteoblasts' work (teriparatide raises it; ageing and estrogen loss lower it).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | M_ob | `osteoblast_work` (interventions change it) | 1 | — | teriparatide ↑ (Neer 2001 \[U\]); estrogen loss, ageing ↓ |
//! | z_max | `max_site_bone_pct` | 150 | % of initial site bone | bounds a site's bone (its marrow space) \[choice\] |
//! | k2 | `k2_pct_per_cell_day` | 0.0017 | % per model cell per day | Komarova 2003 (bone-neutral deterministic cycle) |
//! | x̄2 | from the kernel | 212.13 | model cells | Komarova 2003 |

use crate::config::BoneLaw;
use crate::model::{Bmu, Bone, Knobs, Stage};
use crate::processes::coupling::osteoblasts_per_pct_eroded;
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Query, Res};

/// Osteoblasts lay down osteoid under the coupled law: a team in formation works through its
/// working life.
pub fn form_osteoid(knobs: Res<Knobs>, mut sites: Query<(&mut Bone, &mut Bmu)>) {
    let params = &knobs.params;
    let per_osteoblast = match osteoblasts_per_pct_eroded(params) {
        n if n > 0.0 => 1.0 / n,
        _ => 0.0,
    };
    for (mut bone, mut bmu) in &mut sites {
        let team = f64::from(bmu.team);
        let dz = match &mut bmu.stage {
            Stage::Formation { left, working_days } => {
                let work = params.dt_days.min(*left);
                *left -= work;
                team * per_osteoblast * params.osteoblast_work * work / *working_days
            }
            _ => 0.0,
        };
        lay_down(&mut bone, &mut bmu, dz, params.max_site_bone_pct);
    }
}

/// Osteoblasts lay down osteoid under the published law (Komarova 2003): only osteoblasts above
/// steady state form bone.
pub fn form_above_steady_state(knobs: Res<Knobs>, mut sites: Query<(&mut Bone, &mut Bmu)>) {
    let params = &knobs.params;
    let (_, x2_bar) = params.kernel().steady_state();
    for (mut bone, mut bmu) in &mut sites {
        let y2 = (f64::from(bmu.osteoblasts) / params.population_scale - x2_bar).max(0.0);
        let dz = params.k2_pct_per_cell_day * y2 * params.dt_days;
        lay_down(&mut bone, &mut bmu, dz, params.max_site_bone_pct);
    }
}

/// Add `dz` of osteoid to the site, up to `max_bone` of matrix, and count it as the BMU's.
fn lay_down(bone: &mut Bone, bmu: &mut Bmu, dz: f64, max_bone: f64) {
    let dz = dz.min(max_bone - bone.matrix);
    if dz > 0.0 {
        bone.matrix += dz;
        bone.osteoid += dz;
        bone.formed += dz;
        bmu.formed += dz;
    }
}

/// This process's systems, in their phases.
pub struct FormationPlugin;

impl Plugin for FormationPlugin {
    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw) {
        match law {
            BoneLaw::Coupled => schedule.add_systems(form_osteoid.in_set(Phase::Formation)),
            BoneLaw::Komarova2003 => schedule.add_systems(form_above_steady_state.in_set(Phase::Formation)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, bone, one_system_world};

    #[test]
    fn under_the_published_law_excess_osteoblasts_lay_down_osteoid_and_none_at_steady_state() {
        let (mut world, mut schedule) = one_system_world(form_above_steady_state);
        world.resource_mut::<Knobs>().params.population_scale = 2.0;
        // Ω = 2, x̄2 = 15/√0.005 = 212.132: N2 = 600 gives y2 = 300 − 212.132 = 87.868,
        // Δz = k2·y2·Δt = 0.0017 · 87.868 · 0.1 = 0.0149376. N2 = 424 (x2 = 212) and 0 give nothing.
        let start = Bone { osteoid: 1.0, formed: 2.0, ..bone() };
        let [busy, at_rest, empty] = [600, 424, 0].map(|n2| world.spawn((start, bmu(n2))).id());
        let quiescent = world.spawn(start).id();
        schedule.run(&mut world);
        let dz = 0.0017 * (300.0 - 15.0 / 0.005f64.sqrt()) * 0.1;
        assert!((dz - 0.0149376).abs() < 1e-7);
        let b = *world.get::<Bone>(busy).unwrap();
        for (a, want) in [(b.matrix, 100.0 + dz), (b.osteoid, 1.0 + dz), (b.formed, 2.0 + dz), (b.mineral, 95.0)] {
            assert!((a - want).abs() < 1e-12, "{b:?}");
        }
        assert!((world.get::<Bmu>(busy).unwrap().formed - dz).abs() < 1e-15);
        for e in [at_rest, empty, quiescent] {
            assert_eq!(*world.get::<Bone>(e).unwrap(), start);
        }
    }

    /// A coupled BMU with `team` osteoblasts in formation with `left` of `working` days to go, on a
    /// site holding `matrix`; bone formed in one step at osteoblast work `m_ob`.
    fn formed_in_one_step(team: u32, left: f64, working: f64, matrix: f64, m_ob: f64) -> (f64, Stage) {
        let (mut world, mut schedule) = one_system_world(form_osteoid);
        world.resource_mut::<Knobs>().params.osteoblast_work = m_ob;
        let b = Bmu { team, stage: Stage::Formation { left, working_days: working }, ..bmu(212 + team) };
        let e = world.spawn((Bone { matrix, ..bone() }, b)).id();
        schedule.run(&mut world);
        let b = world.get::<Bmu>(e).unwrap();
        (b.formed, b.stage)
    }

    #[test]
    fn the_coupled_team_lays_down_its_work_over_its_working_life() {
        // w = k_res/(Ω·α2) = 0.45/4 = 0.1125 % per osteoblast; 400 osteoblasts over 100 days at
        // Δt = 0.1: 400·0.1125·0.1/100 = 0.045 per step, 45 % over the working life.
        let (dz, stage) = formed_in_one_step(400, 100.0, 100.0, 60.0, 1.0);
        assert!((dz - 0.045).abs() < 1e-12, "{dz}");
        assert_eq!(stage, Stage::Formation { left: 100.0 - 0.1, working_days: 100.0 });
        let (dz, _) = formed_in_one_step(400, 100.0, 100.0, 60.0, 1.5);
        assert!((dz - 0.0675).abs() < 1e-12, "osteoblast work scales formation: {dz}");
        // The last 0.04 days of work: a partial step; nothing once the working life is spent.
        let (dz, stage) = formed_in_one_step(400, 0.04, 100.0, 60.0, 1.0);
        assert!(
            (dz - 400.0 * 0.1125 * 0.04 / 100.0).abs() < 1e-12
                && stage == Stage::Formation { left: 0.0, working_days: 100.0 }
        );
        assert_eq!(formed_in_one_step(400, 0.0, 100.0, 60.0, 1.0).0, 0.0);
        // A site at its capacity (150 %) takes no more bone.
        assert!((formed_in_one_step(400, 100.0, 100.0, 149.99, 1.0).0 - 0.01).abs() < 1e-9);
    }
}
