//! Resorption: each osteoclast's activity follows its ATP supply (proton pumps and cathepsin K
//! secretion need ATP), and each BMU erodes bone for its osteoclasts' activity.
//!
//! Rule, per osteoclast and per active BMU per step Δt, under the coupled law (the tissue's) and
//! the published one (Komarova 2003, for the single-cycle check):
//! ```text
//! a_i = (A_i / A0)^e_atp · (φ_i / φ0)^h_res · f_bp   (1 with neutral mitochondria; f_bp: bisphosphonate)
//! coupled:       ΔE = k_res · Σ_i a_i / Ω · Δt          every osteoclast erodes, no threshold
//! komarova2003:  ΔE = k1 · (Σ_i a_i / Ω − x̄1)+ · Δt     only activity above steady state
//! ```
//! ΔE is taken from the site's mineralised matrix (mineral removed in proportion) and never
//! exceeds it; under the coupled law it is also released as coupling signal (`coupling.rs`).
//! The form of a_i is the one place to change if ATP depletion should raise resorption
//! (Tfam loss, Miyazaki 2012, cited in the seed review).
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | e_atp | `resorption_atp_exponent` | 0.2 | — | PGC-1β loss impairs resorption (Zhang 2018 JBMR \[V\] direction); size calibrated with the mitophagy direction targets (docs/calibration.md) |
//! | h_res | `mitophagy_resorption_gain` | 0 | — | review hypothesis: mitophagy raises resorption (`config/hypotheses.rs`) |
//! | k_res | `resorption_pct_per_osteoclast_day` | 0.45 | % of site bone per model cell per day | sized so a BMU erodes ~40 % of its site \[C\] |
//! | k1 | `k1_pct_per_cell_day` | 0.24 | % per model cell per day | Komarova 2003 |
//! | x̄1 | from the kernel | 1.0607 | model cells | Komarova 2003 |

use crate::config::BoneLaw;
use crate::config::Params;
use crate::model::{Bmu, Bone, Knobs, MitoReadout, Osteoclast, Site, SiteCensus, SteadyState};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule};
use bevy_ecs::prelude::{Query, Res};

/// a_i of the module rule (before the knob f_bp).
pub fn resorption_activity(p: &Params, steady: &SteadyState, cell: &MitoReadout) -> f64 {
    if p.neutral_mitochondria || steady.atp <= 0.0 {
        return 1.0;
    }
    let energy = (cell.atp.max(0.0) / steady.atp).powf(p.resorption_atp_exponent);
    let flux = steady.mitophagy_factor(cell, p.mitophagy_resorption_gain);
    let a = energy * flux;
    if a.is_finite() { a.min(1e3) } else { 1e3 }
}

/// Each osteoclast's activity from its ATP, times the knob (bisphosphonate lowers it).
pub fn rate_resorption_activity(
    knobs: Res<Knobs>,
    steady: Res<SteadyState>,
    mut cells: Query<(&mut Osteoclast, &MitoReadout)>,
) {
    let params = &knobs.params;
    for (mut oc, readout) in &mut cells {
        oc.activity = resorption_activity(params, &steady, readout) * knobs.osteoclast_activity;
    }
}

/// Erode bone for the osteoclasts' activity under the coupled law: every osteoclast erodes, and
/// what it erodes is released as coupling signal.
pub fn resorb_matrix(knobs: Res<Knobs>, census: Res<SiteCensus>, mut sites: Query<(&Site, &mut Bone, &mut Bmu)>) {
    let params = &knobs.params;
    for (site, mut bone, mut bmu) in &mut sites {
        let x1 = census.activity[site.index as usize] / params.population_scale;
        let dz = erode(&mut bone, params.resorption_pct_per_osteoclast_day * x1 * params.dt_days);
        bmu.eroded += dz;
        bmu.released += dz;
    }
}

/// Erode bone under the published law (Komarova 2003): only activity above steady state erodes.
pub fn resorb_above_steady_state(
    knobs: Res<Knobs>,
    census: Res<SiteCensus>,
    mut sites: Query<(&Site, &mut Bone, &mut Bmu)>,
) {
    let params = &knobs.params;
    let (x1_bar, _) = params.kernel().steady_state();
    for (site, mut bone, mut bmu) in &mut sites {
        let x1 = census.activity[site.index as usize] / params.population_scale;
        bmu.eroded += erode(&mut bone, params.k1_pct_per_cell_day * (x1 - x1_bar).max(0.0) * params.dt_days);
    }
}

/// Take up to `wanted` from the site's mineralised matrix, its mineral in proportion; returns
/// what was taken.
fn erode(bone: &mut Bone, wanted: f64) -> f64 {
    let mineralised = bone.matrix - bone.osteoid;
    let dz = wanted.min(mineralised.max(0.0));
    if dz > 0.0 {
        bone.mineral -= dz * bone.mineral / mineralised;
        bone.matrix -= dz;
        bone.resorbed += dz;
        return dz;
    }
    0.0
}

/// This process's systems, in their phases.
pub struct ResorptionPlugin;

impl Plugin for ResorptionPlugin {
    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw) {
        schedule.add_systems(rate_resorption_activity.in_set(Phase::Activity));
        match law {
            BoneLaw::Coupled => schedule.add_systems(resorb_matrix.in_set(Phase::Resorption)),
            BoneLaw::Komarova2003 => schedule.add_systems(resorb_above_steady_state.in_set(Phase::Resorption)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, one_system_world, set_census, steady};

    #[test]
    fn less_atp_means_less_resorption_per_cell() {
        let p = Params { resorption_atp_exponent: 1.0, ..Params::default() };
        let s = steady();
        let cell = |atp: f64, mitophagy: f64| MitoReadout { atp, depolarised: 0.1, ros: 0.5, mitophagy };
        assert!((resorption_activity(&p, &s, &cell(s.atp, s.mitophagy)) - 1.0).abs() < 1e-12);
        assert!(resorption_activity(&p, &s, &cell(s.atp * 0.5, s.mitophagy)) < 0.6);
        assert!(resorption_activity(&p, &s, &cell(s.atp * 1.2, s.mitophagy)) > 1.1);
        // Under the review hypothesis more mitophagy means more resorption: (2)^0.5.
        let review = Params { mitophagy_resorption_gain: 0.5, ..p.clone() };
        assert!((resorption_activity(&review, &s, &cell(s.atp, 2.0 * s.mitophagy)) - 2f64.sqrt()).abs() < 1e-12);
        assert_eq!(
            resorption_activity(&p, &s, &cell(s.atp, 2.0 * s.mitophagy)),
            1.0,
            "not under the knock-out evidence"
        );
        let neutral = Params { neutral_mitochondria: true, ..p };
        assert_eq!(resorption_activity(&neutral, &s, &cell(0.0, 0.0)), 1.0);
    }

    #[test]
    fn each_osteoclast_activity_follows_its_atp() {
        for (neutral, expected) in [(false, [0.5, 1.0, 1.5]), (true, [1.0; 3])] {
            let (mut world, mut schedule) = one_system_world(rate_resorption_activity);
            world.resource_mut::<Knobs>().params.neutral_mitochondria = neutral;
            world.resource_mut::<Knobs>().params.resorption_atp_exponent = 1.0;
            // A0 = 0.6, e_atp = 1: a = A/0.6.
            let cells = [0.3, 0.6, 0.9].map(|atp| {
                world
                    .spawn((
                        Osteoclast { activity: 7.0 },
                        MitoReadout { atp, depolarised: 0.1, ros: 0.5, mitophagy: 0.5 },
                    ))
                    .id()
            });
            schedule.run(&mut world);
            for (e, a) in cells.into_iter().zip(expected) {
                assert!((world.get::<Osteoclast>(e).unwrap().activity - a).abs() < 1e-12);
            }
        }
    }

    /// Sites: 0 active with 11 osteoclasts, 1 active with 1, 2 quiescent, 3 active with almost no
    /// mineralised matrix; one step under the coupled or the published law. Returns the bones
    /// and BMUs.
    fn resorb_under(coupled: bool) -> ([Bone; 4], [Option<Bmu>; 4]) {
        let (mut world, mut schedule) =
            if coupled { one_system_world(resorb_matrix) } else { one_system_world(resorb_above_steady_state) };
        set_census(&mut world, vec![11, 1, 11, 1000], vec![11.0, 1.0, 11.0, 1000.0], vec![0; 4]);
        let sites = [(0, BONE, true), (1, BONE, true), (2, BONE, false), (3, THIN, true)].map(|(index, b, active)| {
            let e = world.spawn((Site { index }, b)).id();
            if active {
                world.entity_mut(e).insert(bmu(300));
            }
            e
        });
        schedule.run(&mut world);
        (sites.map(|e| *world.get::<Bone>(e).unwrap()), sites.map(|e| world.get::<Bmu>(e).copied()))
    }

    const BONE: Bone = Bone { matrix: 100.0, osteoid: 10.0, mineral: 80.0, resorbed: 1.0, formed: 0.0 };
    const THIN: Bone = Bone { matrix: 10.5, osteoid: 10.0, mineral: 0.5, resorbed: 1.0, formed: 0.0 };

    /// Site 0 lost `dz` of mineralised matrix (mineral 80/90 of it), and its BMU counts it (and,
    /// under the coupled law, releases it as coupling signal).
    fn eroded_by(bone: Bone, bmu: Bmu, dz: f64, released: f64) {
        let want = Bone { matrix: 100.0 - dz, mineral: 80.0 - dz * 80.0 / 90.0, resorbed: 1.0 + dz, ..BONE };
        for (field, a, b) in [
            ("matrix", bone.matrix, want.matrix),
            ("mineral", bone.mineral, want.mineral),
            ("resorbed", bone.resorbed, want.resorbed),
            ("eroded", bmu.eroded, dz),
            ("released", bmu.released, released),
        ] {
            assert!((a - b).abs() < 1e-12, "{field}: {a} vs {b}");
        }
        assert_eq!(bone.osteoid, 10.0, "osteoid is not resorbed");
    }

    #[test]
    fn the_published_law_resorbs_only_activity_above_steady_state() {
        let (bones, bmus) = resorb_under(false);
        // x̄1 = 15·√0.005 = 1.0606602; Δz = k1·(11 − x̄1)·Δt = 0.24 · 9.9393398 · 0.1 = 0.2385442.
        let dz = 0.24 * (11.0 - 15.0 * 0.005f64.sqrt()) * 0.1;
        assert!((dz - 0.2385442).abs() < 1e-7);
        eroded_by(bones[0], bmus[0].unwrap(), dz, 0.0);
        assert_eq!((bones[1], bones[2]), (BONE, BONE), "below x̄1 or without a BMU nothing happens");
        // Δz would be 0.24·998.9·0.1 ≈ 24, but only 0.5 is mineralised: all of it, and its mineral, goes.
        assert!(
            (bones[3].matrix - 10.0).abs() < 1e-12
                && bones[3].mineral.abs() < 1e-12
                && (bones[3].resorbed - 1.5).abs() < 1e-12
        );
    }

    #[test]
    fn under_the_coupled_law_every_osteoclast_erodes() {
        let (bones, bmus) = resorb_under(true);
        // Δz = k_res·Σa/Ω·Δt = 0.45 · 11 · 0.1 = 0.495, and 0.045 for a single osteoclast: no threshold.
        eroded_by(bones[0], bmus[0].unwrap(), 0.495, 0.495);
        eroded_by(bones[1], bmus[1].unwrap(), 0.045, 0.045);
        assert_eq!(bones[2], BONE);
        assert!((bmus[3].unwrap().eroded - 0.5).abs() < 1e-12, "erosion stops with the mineralised matrix");
    }
}
