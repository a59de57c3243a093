//! Oxidative stress amplifies RANKL signalling: oxidants raise TNF and RANKL-driven
//! osteoclastogenesis, so the loss of thiol antioxidants after estrogen loss drives osteoclasts,
//! and antioxidants (N-acetylcysteine, ascorbate) abolish ovariectomy bone loss (Lean et al. 2003
//! JCI 112:915; Lee et al. 2005 Blood 106:852). The oxidative state is read from the circulating
//! precursors, whose mitochondria live in the environment in force.
//!
//! Rule, per step, tissue-wide:
//! ```text
//! RANKL ← RANKL · (ROS̄ / ROS0)^g          ROS̄: mean ROS of the circulating precursors
//! ```
//! 1 at the untreated reference (ROS̄ = ROS0, up to the pool's sampling noise) and with neutral
//! mitochondria. RANKL itself adds NADPH-oxidase ROS (`mitochondria/readout.rs`); the loop's gain
//! at the defaults, g·r_rankl/ROS0 ≈ 0.24, is well below 1, so it settles.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | g | `rankl_ros_gain` | 1 | — | direction Lean 2003 \[V\]; size calibrated with the menopause and antioxidant targets (docs/calibration.md) |
//! | ROS0 | reference steady state | | ROS units | `steady_state.rs` |

use crate::config::BoneLaw;
use crate::model::{Circulating, Knobs, MitoReadout, SteadyState};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Query, Res, ResMut, With};

/// Scale RANKL by the circulating precursors' oxidative stress.
pub fn amplify_rankl_by_oxidative_stress(
    steady: Res<SteadyState>,
    mut knobs: ResMut<Knobs>,
    pool: Query<&MitoReadout, With<Circulating>>,
) {
    let params = &mut knobs.params;
    let (n, ros) = pool.iter().fold((0.0, 0.0), |(n, s), r| (n + 1.0, s + r.ros));
    if params.neutral_mitochondria || n == 0.0 || steady.ros <= 0.0 || params.rankl_ros_gain == 0.0 {
        return;
    }
    params.rankl *= (ros / n / steady.ros).powf(params.rankl_ros_gain);
}

/// This process's systems, in their phases.
pub struct OxidativeStressPlugin;

impl Plugin for OxidativeStressPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(amplify_rankl_by_oxidative_stress.in_set(Phase::OxidativeStress));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{one_system_world, steady};

    fn rankl_with(pool_ros: &[f64], gain: f64) -> f64 {
        let (mut world, mut schedule) = one_system_world(amplify_rankl_by_oxidative_stress);
        world.resource_mut::<Knobs>().params.rankl_ros_gain = gain;
        for &ros in pool_ros {
            world.spawn((MitoReadout { atp: 0.6, depolarised: 0.1, ros, mitophagy: 0.5 }, Circulating));
        }
        schedule.run(&mut world);
        world.resource::<Knobs>().params.rankl
    }

    #[test]
    fn oxidised_precursors_raise_rankl_and_the_reference_leaves_it_alone() {
        let ros0 = steady().ros;
        assert_eq!(rankl_with(&[ros0, ros0], 1.0), 1.0);
        // Mean ROS 1.5·ROS0: RANKL × 1.5 at g = 1, × 1.5² at g = 2; none at g = 0.
        assert!((rankl_with(&[ros0, 2.0 * ros0], 1.0) - 1.5).abs() < 1e-12);
        assert!((rankl_with(&[ros0, 2.0 * ros0], 2.0) - 2.25).abs() < 1e-12);
        assert_eq!(rankl_with(&[ros0, 2.0 * ros0], 0.0), 1.0);
        assert!(rankl_with(&[0.5 * ros0], 1.0) < 1.0, "antioxidants lower it");
    }
}
