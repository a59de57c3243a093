//! Osteomorphs: while RANKL is blocked (denosumab), osteoclasts do not simply die; they fission
//! into osteomorphs that accumulate in the marrow and re-fuse into osteoclasts once RANKL returns
//! (McDonald et al. 2021 Cell 184:1330). Stopping denosumab releases the accumulated load as a
//! burst of activation and osteoclast formation: the rebound that loses the drug's gain.
//!
//! Rule, per step Δt, tissue-wide, with b = clamp(1 − RANKL/RANKL°, 0, 1) the share of the
//! untreated RANKL signal that is blocked:
//! ```text
//! dM/dt = a · b − r · (1 − b) · M                    M ≥ 0, the osteomorph load
//! activation × (1 + M),   osteoclast formation × (1 + M)
//! ```
//! The load builds linearly while RANKL is blocked and is spent over ~1/r days after it returns.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | a | `osteomorph_accrual_per_day` | 0.0005 | load /day | calibrated to the loss of denosumab's gain within 2 years of stopping (docs/calibration.md) |
//! | r | `osteomorph_release_per_day` | 0.01 | /day | calibrated; the rebound peaks within a year of stopping (Cummings 2018 \[U\]) |

use crate::config::{BoneLaw, Params};
use crate::model::Knobs;
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::prelude::{ResMut, Resource};

/// The osteomorphs waiting in the marrow.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct Osteomorphs {
    /// M ≥ 0 (0 when RANKL was never blocked).
    pub load: f64,
}

/// Osteomorphs accrue while RANKL is blocked and re-fuse when it returns.
pub fn accrue_osteomorphs(mut osteomorphs: ResMut<Osteomorphs>, mut knobs: ResMut<Knobs>) {
    let params = &knobs.params;
    let blocked = knobs.rankl_blocked;
    let (accrual, release) =
        (params.osteomorph_accrual_per_day * blocked, params.osteomorph_release_per_day * (1.0 - blocked));
    let m = osteomorphs.load;
    // Exact for rates constant over the step: M relaxes to accrual/release.
    osteomorphs.load = match release > 0.0 {
        true => accrual / release + (m - accrual / release) * (-release * params.dt_days).exp(),
        false => m + accrual * params.dt_days,
    };
    knobs.activation *= 1.0 + osteomorphs.load;
    knobs.osteoclast_formation *= 1.0 + osteomorphs.load;
}

/// This process's systems, in their phases.
pub struct OsteomorphPlugin;

impl Plugin for OsteomorphPlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(Osteomorphs::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(accrue_osteomorphs.in_set(Phase::Osteomorphs));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Params;
    use crate::processes::testing::{one_system_world, run_steps};

    #[test]
    fn osteomorphs_build_while_rankl_is_blocked_and_are_spent_when_it_returns() {
        let (mut world, mut schedule) = one_system_world(accrue_osteomorphs);
        world.insert_resource(Osteomorphs::default());
        let untreated = world.resource::<Knobs>().clone();
        let set = |world: &mut World, rankl: f64| {
            *world.resource_mut::<Knobs>() = Knobs { rankl_blocked: (1.0 - rankl).clamp(0.0, 1.0), ..untreated.clone() }
        };
        // Untreated: nothing accrues, the knobs are untouched.
        set(&mut world, 1.0);
        schedule.run(&mut world);
        assert_eq!((world.resource::<Osteomorphs>().load, world.resource::<Knobs>().activation), (0.0, 1.0));
        // RANKL fully blocked for 1000 days (Δt = 0.1): M = a·1000, no release.
        let p = Params::default();
        for _ in 0..10_000 {
            set(&mut world, 0.0);
            schedule.run(&mut world);
        }
        let built = world.resource::<Osteomorphs>().load;
        assert!((built - 1000.0 * p.osteomorph_accrual_per_day).abs() < 1e-9, "{built}");
        assert!((world.resource::<Knobs>().activation - (1.0 + built)).abs() < 1e-9, "activation × (1 + M)");
        // RANKL back: released at r /day, 1/r days leave e^(−1) of it.
        for _ in 0..(10.0 / p.osteomorph_release_per_day).round() as usize {
            set(&mut world, 1.0);
            run_steps(&mut world, &mut schedule, 1);
        }
        let left = world.resource::<Osteomorphs>().load;
        assert!((left - built * (-1.0f64).exp()).abs() < 1e-9, "{left}");
    }

    use bevy_ecs::prelude::World;
}
