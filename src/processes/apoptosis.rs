//! Osteoclast apoptosis: the kernel's removal hazard, raised by failing mitochondria
//! (cytochrome c release from damaged mitochondria, ATP collapse), estrogen (FasL) and bisphosphonates.
//!
//! Rule, per osteoclast per step Δt:
//! ```text
//! M_apo = max(0, 1 + c_dep · (D − D0) + c_atp · (A0 − A)) · (φ/φ0)^−h_apo · E · B
//! B     = 1 + (fold − 1) · ℓ_bp · a
//! P(death) = 1 − exp(−β1 · M_apo · Δt)
//! ```
//! D, A are the cell's depolarised fraction and ATP, D0 and A0 their untreated steady values; with
//! `neutral_mitochondria` the bracket and the flux factor are 1. φ, φ0 are the cell's and the
//! reference's mitophagy flux; h_apo is 0 but under the review hypothesis. Bisphosphonate is taken up in proportion to the
//! cell's resorption activity a (it binds bone mineral and is released by resorbing osteoclasts).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | β1 | `beta1_per_day` | 0.2 | /day | Komarova 2003 |
//! | c_dep | `apoptosis_depolarised_gain` | 0.1 | per unit fraction | cytochrome-c release \[U\]; small, so that a mitophagy defect acts through ROS and formation rather than by killing osteoclasts (calibrated, docs/calibration.md) |
//! | c_atp | `apoptosis_atp_gain` | 0 | per ATP unit | off at the defaults (calibrated with c_dep); kept as a key for experiments \[U\] |
//! | h_apo | `mitophagy_survival_gain` | 0 | — | review hypothesis: mitophagy keeps osteoclasts alive (`config/hypotheses.rs`) |
//! | E | knob | 1 | — | estrogen → FasL (Nakamura 2007 Cell \[V\]) |
//! | fold | `bisphosphonate_apoptosis_fold` | 1.2 | × | 4–24× more apoptotic osteoclasts (Hughes 1995 JBMR \[V\]); the hazard fold is calibrated with the alendronate target |

use crate::config::BoneLaw;
use crate::config::Params;
use crate::model::streams::{chance, hazard_to_probability, threshold};
use crate::model::{CellId, Clock, Cortical, Counters, Knobs, MitoReadout, Osteoclast, Process, SteadyState, Streams};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Commands, Entity, Has, Query, Res, ResMut};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};

/// M_apo of the module rule.
pub fn apoptosis_multiplier(knobs: &Knobs, steady: &SteadyState, cell: &MitoReadout, activity: f64) -> f64 {
    mitochondrial_apoptosis(&knobs.params, steady, cell)
        * knobs.estrogen_apoptosis
        * bisphosphonate_factor(knobs, activity)
}

/// The mitochondrial part of M_apo: max(0, 1 + c_dep·(D − D0) + c_atp·(A0 − A))·(φ/φ0)^−h_apo
/// (1 with neutral mitochondria).
pub fn mitochondrial_apoptosis(p: &Params, steady: &SteadyState, cell: &MitoReadout) -> f64 {
    if p.neutral_mitochondria {
        return 1.0;
    }
    let d = p.apoptosis_depolarised_gain * (cell.depolarised - steady.depolarised);
    let a = p.apoptosis_atp_gain * (steady.atp - cell.atp);
    let flux = steady.mitophagy_factor(cell, -p.mitophagy_survival_gain);
    (1.0 + d + a).max(0.0) * flux
}

/// B = 1 + (fold − 1)·ℓ_bp·a: bisphosphonate taken up in proportion to resorption activity a.
pub fn bisphosphonate_factor(knobs: &Knobs, activity: f64) -> f64 {
    let p = &knobs.params;
    1.0 + (p.bisphosphonate_apoptosis_fold - 1.0) * knobs.bisphosphonate * activity
}

/// Osteoclasts die with the kernel hazard times M_apo.
pub fn kill_osteoclasts(
    knobs: Res<Knobs>,
    steady: Res<SteadyState>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut counters: ResMut<Counters>,
    osteoclasts: Query<(Entity, &CellId, &Osteoclast, &MitoReadout, Has<Cortical>)>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    for (entity, id, oc, readout, cortical) in &osteoclasts {
        let m = apoptosis_multiplier(&knobs, &steady, readout, oc.activity);
        let p = hazard_to_probability(params.beta1_per_day * m, params.dt_days);
        let mut rng = streams.stream(Process::Apoptosis, id.0, clock.step);
        if chance(&mut rng, threshold(p)) {
            commands.entity(entity).despawn();
            counters.osteoclasts_died += u64::from(!cortical);
        }
    }
}

/// This process's systems, in their phases.
pub struct ApoptosisPlugin;

impl Plugin for ApoptosisPlugin {
    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems(kill_osteoclasts.in_set(Phase::Apoptosis));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Knobs;
    use crate::processes::testing::{cell, count, one_system_world, steady};

    #[test]
    fn more_damage_means_more_apoptosis_and_neutral_means_one() {
        let p = Params { apoptosis_depolarised_gain: 2.0, apoptosis_atp_gain: 1.0, ..Params::default() };
        let knobs = Knobs::untreated(&p);
        let s = steady();
        let at_rest = MitoReadout { atp: s.atp, depolarised: s.depolarised, ros: s.ros, mitophagy: 0.5 };
        let damaged = MitoReadout { atp: s.atp - 0.3, depolarised: s.depolarised + 0.3, ros: 1.0, mitophagy: 0.5 };
        assert!((apoptosis_multiplier(&knobs, &s, &at_rest, 1.0) - 1.0).abs() < 1e-12);
        let m = apoptosis_multiplier(&knobs, &s, &damaged, 1.0);
        assert!((m - (1.0 + 2.0 * 0.3 + 0.3)).abs() < 1e-12, "{m}");
        let neutral = Knobs::untreated(&Params { neutral_mitochondria: true, ..p.clone() });
        assert_eq!(apoptosis_multiplier(&neutral, &s, &damaged, 1.0), 1.0);
        let treated = Knobs { bisphosphonate: 1.0, ..neutral };
        let fold = p.bisphosphonate_apoptosis_fold;
        assert!((apoptosis_multiplier(&treated, &s, &damaged, 1.0) - fold).abs() < 1e-12);
    }

    #[test]
    fn death_fraction_in_one_step_matches_the_hazard() {
        // (bisphosphonate, activity, M_apo): untreated 1; B = 1 + (fold − 1)·1·a: fold at a = 1,
        // (1 + fold)/2 at a = ½.
        let fold = Params::default().bisphosphonate_apoptosis_fold;
        for (bp, activity, m) in [(0.0, 1.0, 1.0), (1.0, 1.0, fold), (1.0, 0.5, 0.5 * (1.0 + fold))] {
            let (mut world, mut schedule) = one_system_world(kill_osteoclasts);
            world.resource_mut::<Knobs>().params.neutral_mitochondria = bp > 0.0;
            world.resource_mut::<Knobs>().bisphosphonate = bp;
            let n = 100_000;
            // Readouts at the steady state's ATP 0.6 and depolarised 0.1: the bracket is 1 even when not neutral.
            for id in 0..n {
                world.spawn((cell(id, vec![], 0.5), Osteoclast { activity }));
            }
            schedule.run(&mut world);
            // P = 1 − exp(−β1·M·Δt), sd √(n·P·(1 − P)).
            let p = -(-0.2 * m * 0.1f64).exp_m1();
            let (mean, sd) = (n as f64 * p, (n as f64 * p * (1.0 - p)).sqrt());
            let died = world.resource::<Counters>().osteoclasts_died;
            assert!((died as f64 - mean).abs() < 5.0 * sd, "M {m}: {died} vs {mean} ± {sd}");
            assert_eq!(count::<Osteoclast>(&mut world) as u64, n - died);
        }
    }
}
