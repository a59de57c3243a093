//! Coupling of formation to resorption (`bone_law = "coupled"`, Parfitt's BMU): the matrix the
//! osteoclasts erode releases coupling factors (TGF-β, IGF-1; Tang 2009, Crane & Cao 2014) that
//! recruit the osteoblast team which will refill the cavity after the reversal phase. Recruitment
//! per unit of erosion saturates as the tissue's osteoclastic drive rises, so cavities that are
//! deeper because osteoclasts live longer, are more numerous or more active are refilled less
//! completely.
//!
//! Rule, per BMU in resorption per step Δt (ΔE: bone eroded this step, `resorption.rs`):
//! ```text
//! team += Poisson(Ω·α2·ΔE/k_res · R)        (= Poisson(α2·Σa_i·Δt·R) while nothing limits erosion)
//! w     = k_res/(Ω·α2)                      bone each team osteoblast lays down (% of site bone),
//!                                           times M_ob (formation.rs)
//! ```
//! and for the tissue, per step, from the knobs and the circulating precursors (pool means
//! D̄, Ā, p̄ of depolarised fraction, ATP and differentiation probability):
//! ```text
//! M_form = p̄/p_diff0,  M_apo = 1 + c_dep·(D̄ − D0) + c_atp·(A0 − Ā),  ā = (Ā/A0)^e_atp
//! κ = x̄1(α1·π(RANKL)·f_om·M_form, β1·E·B·M_apo) · k_res · ā · f_bp  /  x̄1(α1°·π(RANKL°), β1°) · k_res°
//! R = (1 + s)/(1 + s·κ)
//! ```
//! κ is the osteoclastic drive: the kernel's steady-state erosion rate (Komarova's x̄1, which
//! scales as formation over removal) relative to the untreated reference of the config (°).
//!
//! **Balance, by construction.** Team births are a Poisson process whose compensator is
//! Ω·α2·R·∫dE/k_res, so E\[team\] = Ω·α2·R·E\[eroded\]/k_res whatever the distribution of cavity
//! depths, and E\[formed\] = w·M_ob·E\[team\] = M_ob·R·E\[eroded\]. At the untreated reference κ = 1
//! (exactly with neutral mitochondria; up to the pool's sampling noise, a few 0.1 %, otherwise),
//! R = 1 and M_ob = 1: every BMU's expected balance is zero. No parameter is fitted to make it so.
//! Raised drive (R < 1) or weaker osteoblasts (M_ob < 1) give negative balance; stimulated
//! osteoblasts (M_ob > 1) or a lowered drive (R > 1) positive. The saturation is in the drive,
//! not in each BMU's own depth: a nonlinearity in a BMU's random depth would bias the reference
//! balance by its variance (cavity depths vary ±40 % between BMUs), which no closed form removes.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | α2 | `alpha2_per_day` | 4 | osteoblasts per osteoclast-day | Komarova 2003 (osteoblast recruitment by osteoclasts, g12 = 1) |
//! | k_res | `resorption_pct_per_osteoclast_day` | 0.45 | % of site bone per model osteoclast per day | sized so a BMU erodes ~40 % of its site (README, "the tissue") \[C\] |
//! | s | `refill_saturation` | 0.05 | — | saturation of osteoblast recruitment; refill falls to 1/(1 + s/(1+s)·(κ−1)) \[U\]; the intervention scenarios calibrate it |
//! | c_dep, c_atp, e_atp | see `apoptosis.rs`, `resorption.rs` | | | |
//! | p_diff0, D0, A0 | reference steady state | | | `steady_state.rs` |

use crate::config::BoneLaw;
use crate::config::Params;
use crate::model::streams::Stream;
use crate::model::{Bmu, Circulating, Clock, Knobs, MitoReadout, Process, Site, Stage, SteadyState, Streams};
use crate::processes::MAX_BIRTHS_PER_STEP;
use crate::processes::apoptosis::{bisphosphonate_factor, mitochondrial_apoptosis};
use crate::processes::recruitment::{differentiation_probability, mitophagy_differentiation, rank_occupancy};
use crate::processes::resorption::resorption_activity;
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::prelude::{Query, Res, ResMut, Resource, With};
use rand::RngExt;
use rand_distr::Poisson;

/// The tissue's osteoclastic drive and the refill it leaves, this step.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct Coupling {
    /// The untreated reference's steady-state erosion rate, x̄1°·k_res°.
    pub reference_drive: f64,
    /// κ, the drive relative to the reference.
    pub drive: f64,
    /// R, osteoblasts recruited per unit of erosion relative to the reference.
    pub refill: f64,
}

impl Coupling {
    /// The coupling of a config whose untreated reference is `reference`, before any step.
    pub fn of(reference: &Params) -> Coupling {
        let mut kernel = reference.kernel();
        kernel.alpha1 *= rank_occupancy(reference, reference.rankl);
        let (x1_bar, _) = kernel.steady_state();
        Coupling { reference_drive: x1_bar * reference.resorption_pct_per_osteoclast_day, drive: 1.0, refill: 1.0 }
    }
}

/// The mitochondrial fate multipliers (M_form, M_apo, ā) at the mean state of `cells` (1, 1, 1
/// with neutral mitochondria or no cells).
fn mean_fate_multipliers<'a>(
    p: &Params,
    steady: &SteadyState,
    cells: impl Iterator<Item = &'a MitoReadout>,
) -> (f64, f64, f64) {
    let (mut n, mut p_diff) = (0.0, 0.0);
    let mut mean = MitoReadout { atp: 0.0, depolarised: 0.0, ros: 0.0, mitophagy: 0.0 };
    for r in cells {
        n += 1.0;
        p_diff += differentiation_probability(p, r.ros, r.atp);
        (mean.atp, mean.depolarised, mean.ros, mean.mitophagy) =
            (mean.atp + r.atp, mean.depolarised + r.depolarised, mean.ros + r.ros, mean.mitophagy + r.mitophagy);
    }
    if p.neutral_mitochondria || n == 0.0 {
        return (1.0, 1.0, 1.0);
    }
    // The per-cell rules at the mean state: exact for M_apo (linear in D and A) and for the
    // energy term of the activity with e_atp = 1; p_diff is averaged cell by cell, as p_diff0 is.
    let mean = MitoReadout {
        atp: mean.atp / n,
        depolarised: mean.depolarised / n,
        ros: mean.ros / n,
        mitophagy: mean.mitophagy / n,
    };
    let m_form = p_diff / n / steady.p_diff * mitophagy_differentiation(p, steady, &mean);
    (m_form, mitochondrial_apoptosis(p, steady, &mean), resorption_activity(p, steady, &mean))
}

/// Measure the drive κ and the refill R it leaves.
pub fn gauge_osteoclastic_drive(
    knobs: Res<Knobs>,
    steady: Res<SteadyState>,
    mut coupling: ResMut<Coupling>,
    pool: Query<&MitoReadout, With<Circulating>>,
) {
    let params = &knobs.params;
    let (m_form, m_apo, activity) = mean_fate_multipliers(params, &steady, pool.iter());
    let mut kernel = params.kernel();
    kernel.alpha1 *= rank_occupancy(params, params.rankl) * knobs.osteoclast_formation * m_form;
    kernel.beta1 *= knobs.estrogen_apoptosis * bisphosphonate_factor(&knobs, activity) * m_apo;
    let (x1_bar, _) = kernel.steady_state();
    let drive = x1_bar * params.resorption_pct_per_osteoclast_day * activity * knobs.osteoclast_activity
        / coupling.reference_drive;
    let drive = if drive.is_finite() { drive.max(0.0) } else { f64::MAX };
    let s = params.refill_saturation;
    coupling.drive = drive;
    coupling.refill = (1.0 + s) / (1.0 + s * drive);
}

/// Osteoblasts recruited per % of site bone eroded, at refill R = 1: Ω·α2/k_res (0 if either is 0).
pub fn osteoblasts_per_pct_eroded(p: &Params) -> f64 {
    let k_res = p.resorption_pct_per_osteoclast_day;
    if k_res > 0.0 { p.population_scale * p.alpha2_per_day / k_res } else { 0.0 }
}

/// The matrix released by erosion recruits the BMU's osteoblast team.
pub fn recruit_osteoblast_team(
    knobs: Res<Knobs>,
    coupling: Res<Coupling>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut bmus: Query<(&Site, &mut Bmu)>,
) {
    let params = &knobs.params;
    let per_pct = osteoblasts_per_pct_eroded(params) * coupling.refill;
    for (site, mut bmu) in &mut bmus {
        let released = std::mem::take(&mut bmu.released);
        if bmu.stage != Stage::Resorption || released <= 0.0 {
            continue;
        }
        let Ok(poisson) = Poisson::new((per_pct * released).min(MAX_BIRTHS_PER_STEP)) else { continue };
        let mut rng: Stream = streams.stream(Process::TeamRecruitment, site.index as u64, clock.step);
        let n = rng.sample(poisson).min(f64::from(u32::MAX / 2)) as u32;
        bmu.team = bmu.team.saturating_add(n);
        bmu.osteoblasts = bmu.osteoblasts.saturating_add(n);
    }
}

/// This process's systems, in their phases.
pub struct CouplingPlugin;

impl Plugin for CouplingPlugin {
    fn add_resources(&self, world: &mut World, reference: &Params) {
        world.insert_resource(Coupling::of(reference));
    }

    fn add_systems(&self, schedule: &mut Schedule, law: BoneLaw) {
        schedule.add_systems(gauge_osteoclastic_drive.in_set(Phase::Drive));
        if law == BoneLaw::Coupled {
            schedule.add_systems(recruit_osteoblast_team.in_set(Phase::Coupling));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Knobs;
    use crate::processes::testing::{one_system_world, steady};

    fn drive_with(knobs: Knobs, pool: &[MitoReadout]) -> Coupling {
        let (mut world, mut schedule) = one_system_world(gauge_osteoclastic_drive);
        world.insert_resource(Coupling::of(&Params::default()));
        world.insert_resource(knobs);
        for r in pool {
            world.spawn((*r, Circulating));
        }
        schedule.run(&mut world);
        *world.resource::<Coupling>()
    }

    #[test]
    fn the_reference_has_drive_one_and_full_refill() {
        let p = Params::default();
        let s = steady();
        // A pool whose mean state is the reference steady state (D0, A0, and p_diff0 at its ROS).
        let at_reference = MitoReadout { atp: s.atp, depolarised: s.depolarised, ros: s.ros, mitophagy: 0.5 };
        let reference = SteadyState { p_diff: differentiation_probability(&p, s.ros, s.atp), ..s };
        let (mut world, mut schedule) = one_system_world(gauge_osteoclastic_drive);
        world.insert_resource(reference);
        world.insert_resource(Coupling::of(&p));
        world.spawn_batch((0..4).map(|_| (at_reference, Circulating)));
        schedule.run(&mut world);
        let c = *world.resource::<Coupling>();
        assert!((c.drive - 1.0).abs() < 1e-12 && (c.refill - 1.0).abs() < 1e-12, "{c:?}");
        let neutral = Params { neutral_mitochondria: true, ..p.clone() };
        assert_eq!(drive_with(Knobs::untreated(&neutral), &[]).drive, 1.0);
    }

    #[test]
    fn longer_lived_more_numerous_or_more_active_osteoclasts_raise_the_drive() {
        let p = Params { neutral_mitochondria: true, ..Params::default() };
        // x̄1 ∝ α1/β1 for the published exponents (γ = −1): each change doubles the drive.
        for changed in [
            Params { beta1_per_day: 0.1, ..p.clone() },
            Params { alpha1_per_day: 6.0, ..p.clone() },
            Params { resorption_pct_per_osteoclast_day: 0.9, ..p.clone() },
        ] {
            let c = drive_with(Knobs::untreated(&changed), &[]);
            assert!((c.drive - 2.0).abs() < 1e-9, "{c:?}");
            // R = (1 + s)/(1 + 2s).
            let s = p.refill_saturation;
            assert!((c.refill - (1.0 + s) / (1.0 + 2.0 * s)).abs() < 1e-9, "{c:?}");
        }
        let c = drive_with(Knobs::untreated(&Params { rankl: 0.0, ..p.clone() }), &[]);
        assert!(c.drive == 0.0 && (c.refill - (1.0 + p.refill_saturation)).abs() < 1e-12, "no RANKL, no drive: {c:?}");
        let estrogen = Knobs { estrogen_apoptosis: 0.5, ..Knobs::untreated(&p) };
        assert!(drive_with(estrogen, &[]).drive > 1.9, "halved apoptosis doubles the drive");
    }

    #[test]
    fn damaged_circulating_precursors_lower_the_drive() {
        let p = Params::default();
        let s = steady();
        let damaged = MitoReadout { atp: s.atp * 0.7, depolarised: s.depolarised + 0.2, ros: 0.5, mitophagy: 0.5 };
        let c = drive_with(Knobs::untreated(&p), &[damaged; 8]);
        assert!(
            c.drive < 0.8 && c.refill > 1.0,
            "less ATP, more depolarised: shorter-lived, weaker osteoclasts: {c:?}"
        );
    }

    #[test]
    fn erosion_recruits_the_team_in_proportion_to_refill() {
        for refill in [1.0, 0.5] {
            let (mut world, mut schedule) = one_system_world(recruit_osteoblast_team);
            world.insert_resource(Coupling { reference_drive: 1.0, drive: 1.0, refill });
            let n = 2000;
            for index in 0..n {
                let mut bmu = Bmu::new(212);
                bmu.released = 0.45;
                world.spawn((Site { index }, bmu));
            }
            // Not in resorption: its released matrix is dropped, nobody is recruited.
            let mut late = Bmu::new(212);
            (late.released, late.stage) = (0.45, Stage::Reversal { left: 1.0 });
            let late = world.spawn((Site { index: n }, late)).id();
            schedule.run(&mut world);
            // Ω·α2/k_res = 4/0.45 per %: 0.45 % recruits Poisson(4·R) osteoblasts; n BMUs: mean 4nR, sd √(4nR).
            let team: u32 = world.query::<&Bmu>().iter(&world).map(|b| b.team).sum();
            let mean = 4.0 * f64::from(n) * refill;
            assert!((f64::from(team) - mean).abs() < 5.0 * mean.sqrt(), "R {refill}: {team} vs {mean}");
            assert!(world.query::<&Bmu>().iter(&world).all(|b| b.released == 0.0 && b.osteoblasts == 212 + b.team));
            assert_eq!(world.get::<Bmu>(late).unwrap().team, 0);
        }
    }
}
