//! Mineralisation: osteoid gains most of its mineral within days (primary), then mineralised
//! matrix slowly approaches full mineral over years (secondary). Antiresorptives therefore raise
//! density twice: by refilling the remodelling space, then by letting older bone mineralise.
//!
//! Rule, per site per step Δt (days):
//! ```text
//! moved    = osteoid · (1 − exp(−k_p · Δt));   osteoid −= moved;   mineral += m_p · moved
//! mineral += (matrix − osteoid − mineral) · (1 − exp(−k_s · Δt / 365))
//! bone_density ∝ Σ_sites mineral             (= bone mass × mineral fraction)
//! ```
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | m_p | `primary_mineral_fraction` | 0.7 | of full | primary mineralisation gives ~70 % of final mineral \[U\] |
//! | k_p | `osteoid_mineralization_per_day` | 0.1 | /day | ~10-day mineralisation lag \[U\] |
//! | k_s | `secondary_mineralization_per_year` | 0.3 | /year | secondary mineralisation over years \[U\] |
//! | — | `initial_mineral_fraction` | 0.858 | of full | the stationary mean under the default turnover (`bmu-sim calibrate`, docs/calibration.md) |
//! | — | `initial_cortical_mineral_fraction` | 0.967 | of full | the cortical sites' stationary mean, fitted by `bmu-sim calibrate` (docs/calibration.md); the closed form 1 − (1 − m_p)·ν/(ν + k_s) at a cortical turnover ν ≈ 0.03 /year \[U\] gives ≈ 0.973 |

use crate::config::BoneLaw;
use crate::config::DAYS_PER_YEAR;
use crate::model::Bone;
use crate::model::Knobs;
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Query, Res};

/// Osteoid mineralises; mineralised matrix matures.
pub fn mineralize_bone(knobs: Res<Knobs>, mut sites: Query<&mut Bone>) {
    let params = &knobs.params;
    let primary = -(-params.osteoid_mineralization_per_day * params.dt_days).exp_m1();
    let secondary = -(-params.secondary_mineralization_per_year * params.dt_days / DAYS_PER_YEAR).exp_m1();
    for mut bone in &mut sites {
        let moved = bone.osteoid * primary;
        bone.osteoid -= moved;
        bone.mineral += params.primary_mineral_fraction * moved;
        let room = (bone.matrix - bone.osteoid - bone.mineral).max(0.0);
        bone.mineral += room * secondary;
    }
}

/// This process's systems, in their phases.
pub struct MineralizationPlugin;

impl Plugin for MineralizationPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(mineralize_bone.in_set(Phase::Mineralization));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::one_system_world;

    #[test]
    fn osteoid_mineralises_fast_then_slowly_to_full() {
        let (mut world, mut schedule) = one_system_world(mineralize_bone);
        let e = world.spawn(Bone { matrix: 110.0, osteoid: 10.0, mineral: 90.0, resorbed: 0.0, formed: 0.0 }).id();
        for _ in 0..300 {
            schedule.run(&mut world); // 30 days
        }
        let b = *world.get::<Bone>(e).unwrap();
        assert!(b.osteoid < 10.0 * (-3.0f64).exp() + 1e-9, "primary within weeks: {}", b.osteoid);
        assert!(b.mineral > 96.0 && b.mineral < 98.0, "mostly primary so far: {}", b.mineral);
        for _ in 0..(365 * 10 * 10) {
            schedule.run(&mut world); // 10 more years
        }
        let b = *world.get::<Bone>(e).unwrap();
        assert!(b.mineral > 109.0 && b.mineral <= 110.0 + 1e-9, "secondary towards full: {}", b.mineral);
    }
}
