//! Bisphosphonate bound to bone: the drug binds hydroxyapatite on bone surfaces while it is given,
//! is taken up by the osteoclasts that resorb those surfaces (apoptosis ↑, activity ↓) and lowers
//! BMU activation; it leaves bone only as bone is resorbed, so its effect fades slowly, over
//! years, after the last dose.
//!
//! Rule, per step Δt, tissue-wide:
//! ```text
//! dL/dt = k_bind · dose · (1 − L) − ν · L          L ∈ [0, 1], the surfaces' bound load
//! ν     = k_res · Σ a_i / Ω / (100 · sites)         fraction of the tissue's bone resorbed per day
//! apoptosis B = 1 + (fold − 1) · L · a_i,  activity × (1 − c_a · L),  activation × (1 − c_act · L)
//! ```
//! ν uses the previous step's census, over the cancellous sites (Σ and `sites` leave the cortical
//! ones out): L is the load of the cancellous surfaces, where most of the drug binds and where
//! the biopsy and `bone_density` look; cortical osteoclasts meet the same L. At a turnover of
//! 25 %/year the load halves in ~2.8 years once dosing stops (alendronate's skeletal retention is
//! measured in years).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | k_bind | `bisphosphonate_binding_per_day` | 0.01 | /day at full dose | calibrated (docs/calibration.md) |
//! | fold | `bisphosphonate_apoptosis_fold` | 1.3 | × | 4–24× apoptotic osteoclasts in vitro (Hughes 1995 JBMR \[V\]); lower at the clinical dose, calibrated with the FIT target (docs/calibration.md) |
//! | c_a | `bisphosphonate_activity_loss` | 0.05 | — | calibrated with the FIT target (docs/calibration.md) |
//! | c_act | `bisphosphonate_activation_loss` | 0.45 | — | activation −36–38 % on alendronate (Heaney & Yates 1997 \[S\]); calibrated |

use crate::config::{BoneLaw, Params};
use crate::model::{Knobs, SiteCensus};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::prelude::{Res, ResMut, Resource};

/// The bisphosphonate bound to the tissue's bone surfaces.
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct BoundBisphosphonate {
    /// L, in [0, 1].
    pub load: f64,
}

/// Dosing binds drug to bone, resorption releases it; the bound load acts on osteoclasts.
pub fn bind_bisphosphonate(census: Res<SiteCensus>, mut bound: ResMut<BoundBisphosphonate>, mut knobs: ResMut<Knobs>) {
    let params = &knobs.params;
    let (activity_loss, activation_loss) = (params.bisphosphonate_activity_loss, params.bisphosphonate_activation_loss);
    let cancellous = census.activity.iter().take(params.sites as usize);
    let resorbed_per_day = params.resorption_pct_per_osteoclast_day * cancellous.sum::<f64>()
        / params.population_scale
        / (100.0 * f64::from(params.sites));
    let (gain, loss) = (params.bisphosphonate_binding_per_day * knobs.bisphosphonate_dose, resorbed_per_day);
    if gain + loss > 0.0 {
        // Exact for rates constant over the step: L relaxes to gain/(gain + loss).
        let target = gain / (gain + loss);
        bound.load = target + (bound.load - target) * (-(gain + loss) * params.dt_days).exp();
    }
    let l = bound.load;
    knobs.bisphosphonate = l;
    knobs.osteoclast_activity *= 1.0 - activity_loss * l;
    knobs.activation *= 1.0 - activation_loss * l;
}

/// This process's systems, in their phases.
pub struct BisphosphonatePlugin;

impl Plugin for BisphosphonatePlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(BoundBisphosphonate::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(bind_bisphosphonate.in_set(Phase::BindDrug));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{one_system_world, run_steps, set_census};

    #[test]
    fn bisphosphonate_binds_while_dosed_and_leaves_only_with_resorption() {
        let (mut world, mut schedule) = one_system_world((set_knobs, bind_bisphosphonate).chain());
        world.insert_resource(BoundBisphosphonate::default());
        // 10 sites each with activity 2: ν = 0.45·20/1/1000 = 0.009 /day.
        set_census(&mut world, vec![2; 10], vec![2.0; 10], vec![0; 10]);
        let dosing = Intervention {
            kind: Kind::Bisphosphonate,
            start_day: 0.0,
            end_day: f64::MAX,
            ramp_days: 0.0,
            strength: 1.0,
            target: None,
        };
        world.resource_mut::<Regimen>().interventions = vec![dosing];
        run_steps(&mut world, &mut schedule, 10_000);
        // Steady load k/(k + ν) = 0.01/0.019.
        let load = world.resource::<BoundBisphosphonate>().load;
        assert!((load - 0.01 / 0.019).abs() < 1e-6, "{load}");
        let knobs = world.resource::<Knobs>();
        let activation_loss = Params::default().bisphosphonate_activation_loss;
        assert!(
            (knobs.bisphosphonate - load).abs() < 1e-12
                && (knobs.activation - (1.0 - activation_loss * load)).abs() < 1e-12
        );
        // Stopped: 100 days of resorption at ν = 0.009 leave e^(−0.9) of it.
        world.resource_mut::<Regimen>().interventions.clear();
        run_steps(&mut world, &mut schedule, 1000);
        let left = world.resource::<BoundBisphosphonate>().load;
        assert!((left / load - (-0.9f64).exp()).abs() < 1e-6, "{left} of {load}");
        // Without resorption nothing leaves, and cortical resorption (sites after the first
        // `sites`) does not release it.
        set_census(&mut world, vec![0; 10], vec![0.0; 10], vec![0; 10]);
        world.resource_mut::<SiteCensus>().activity.extend([5.0; 3]);
        world.resource_mut::<Regimen>().params.cortical_sites = 3;
        run_steps(&mut world, &mut schedule, 1000);
        assert_eq!(world.resource::<BoundBisphosphonate>().load, left);
    }

    use crate::config::{Intervention, Kind, Params};
    use crate::processes::interventions::{Regimen, set_knobs};
    use bevy_ecs::prelude::IntoScheduleConfigs;
}
