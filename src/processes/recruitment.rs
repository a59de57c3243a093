//! Recruitment of osteoclast precursors to active BMUs, and their commitment: fusion into an
//! osteoclast, or death.
//!
//! Rule, per active BMU per step Δt, with x1 = N1/Ω and x2 = max(N2, ½)/Ω from the census:
//! ```text
//! F = Ω · α1 · x1^g11 · x2^g21 · π(RANKL) · f_om            (kernel formation, events/day)
//! π(R) = (1 + K_L) · R / (K_L + R)                            (RANK occupancy, 1 at R = 1)
//! new precursors ~ Poisson(F · Δt / p_diff0)                   (0 when N1 = 0: absorbing)
//! after commitment_days:  osteoclast with probability min(1, p_diff(ROS, ATP) · (φ/φ0)^h_form),
//!                         otherwise death
//! p_diff(R, A) = p_max · R^n/(K_up^n + R^n) · K_dn^m/(K_dn^m + R^m) · A/(K_atp + A)
//! ```
//! Dividing by the untreated mean p_diff0 makes M_form = E\[p_diff\]/p_diff0 = 1 at steady state;
//! with `neutral_mitochondria` every precursor differentiates with p_diff0 exactly, so with
//! `commitment_days = 0` osteoclasts form as a Poisson process of rate F: the kernel itself.
//! x2 is floored at half a cell so a BMU that lost every osteoblast never divides by zero; f_om is
//! 1 but while osteomorphs re-fuse (`osteomorphs.rs`).
//!
//! Recruits come from circulation: K circulating precursors (monocyte lineage) carry
//! mitochondria that follow the same rules in the environment in force, and each recruit copies
//! one drawn at random. So a recruit's mitochondria reflect the RANKL, ROS and interventions of
//! the moment (docs/model.md §1.4); the pool starts from the untreated steady state.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | α1, g11, g21 | `alpha1_per_day`, `g11`, `g21` | 3, 0.5, −0.5 | /day, — | Komarova 2003 |
//! | Ω | `population_scale` | 1 | agents per model cell | system size |
//! | — | `commitment_days` | 1 | days | precursor fusion takes ~days in culture \[U\] |
//! | K | `precursor_pool_cells` | 64 | cells | enough for the pool's mean state to be known to ~0.5 % \[C\] |
//! | K_L | `rankl_half_saturation` | 0.1 | × untreated RANKL | occupancy form of Lemaire 2004's π_L [V code]; value \[U\], calibrated with estrogen loss and denosumab |
//! | p_max | `diff_max` | 0.9 | — | \[U\] |
//! | K_up, n | `diff_ros_half_up`, `diff_hill_up` | 0.8, 2 | ROS units, — | moderate ROS drives NFATc1 (Lee 2005 \[V\] direction); K_up near the untreated ROS (≈ 0.87), so differentiation follows mitochondrial ROS as the knock-outs show (Jang 2023 \[V abstract\]); size calibrated with the mitophagy and menopause targets (docs/calibration.md) |
//! | K_dn, m | `diff_ros_half_down`, `diff_hill_down` | 2.0, 4 | ROS units, — | too much ROS kills precursors \[U\] |
//! | K_atp | `diff_atp_half` | 0.1 | ATP units | fusion needs energy (Ishii 2009 \[V\] direction) |
//! | h_form | `mitophagy_differentiation_gain` | 0 | — | review hypothesis: mitophagy promotes differentiation (`config/hypotheses.rs`); φ, φ0 the precursor's and the reference's mitophagy flux |

use crate::config::BoneLaw;
use crate::config::Params;
use crate::model::streams::{Stream, chance, threshold};
use crate::model::{
    AtSite, Bmu, CellId, Circulating, Clock, Cortical, Counters, Knobs, MitoReadout, Mitochondria, Osteoclast,
    Precursor, PrecursorPool, Process, Site, SiteCensus, SteadyState, Streams,
};
use crate::processes::MAX_BIRTHS_PER_STEP;
use crate::processes::mitochondria::{self, readout};
use crate::processes::{Phase, Plugin};
use bevy_ecs::prelude::{Bundle, Commands, Entity, Has, Query, Res, ResMut, With};
use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};
use bevy_ecs::system::SystemParam;
use rand::RngExt;
use rand_distr::Poisson;

/// π(RANKL): RANK occupancy relative to the untreated adult's (1 at RANKL = 1).
pub fn rank_occupancy(p: &Params, rankl: f64) -> f64 {
    let k = p.rankl_half_saturation;
    (1.0 + k) * rankl.max(0.0) / (k + rankl.max(0.0))
}

/// Under the review hypothesis a precursor's mitophagy flux promotes its differentiation:
/// (φ/φ0)^h_form (1 otherwise, and with neutral mitochondria).
pub fn mitophagy_differentiation(p: &Params, steady: &SteadyState, cell: &MitoReadout) -> f64 {
    if p.neutral_mitochondria {
        return 1.0;
    }
    steady.mitophagy_factor(cell, p.mitophagy_differentiation_gain)
}

/// The differentiation probability p_diff(ROS, ATP) of the module rule.
pub fn differentiation_probability(p: &Params, ros: f64, atp: f64) -> f64 {
    let hill = |x: f64, k: f64, n: f64| {
        let xn = x.max(0.0).powf(n);
        xn / (k.powf(n) + xn)
    };
    let up = hill(ros, p.diff_ros_half_up, p.diff_hill_up);
    let down = 1.0 - hill(ros, p.diff_ros_half_down, p.diff_hill_down);
    let energy = if atp > 0.0 { atp / (p.diff_atp_half + atp) } else { 0.0 };
    (p.diff_max * up * down * energy).clamp(0.0, 1.0)
}

/// The circulating precursors, as the recruiting systems see them.
#[derive(SystemParam)]
pub struct Circulation<'w, 's> {
    pool: Res<'w, PrecursorPool>,
    cells: Query<'w, 's, &'static Mitochondria, With<Circulating>>,
}

impl Circulation<'_, '_> {
    /// The mitochondria of a circulating precursor drawn with `rng` (healthy mitochondria if the pool
    /// is empty).
    fn draw(&self, rng: &mut Stream, params: &Params) -> Mitochondria {
        let pool = &self.pool.0;
        let drawn = (!pool.is_empty()).then(|| pool[rng.random_range(0..pool.len())]);
        match drawn.and_then(|e| self.cells.get(e).ok()) {
            Some(m) => m.clone(),
            None => mitochondria::fresh(params),
        }
    }
}

/// The K circulating precursors a run starts with: copies of the untreated steady state's cells,
/// ids 0..K (so the counter of new cells starts at K).
pub fn circulating_precursors(
    knobs: &Knobs,
    steady: &SteadyState,
) -> Vec<(CellId, Circulating, MitoReadout, Mitochondria)> {
    let params = &knobs.params;
    let reservoir = &steady.reservoir;
    (0..params.precursor_pool_cells)
        .map(|id| {
            let mito = match reservoir.len() {
                0 => mitochondria::fresh(params),
                n => reservoir[id as usize % n].clone(),
            };
            (CellId(u64::from(id)), Circulating, readout::read(&mito, knobs), mito)
        })
        .collect()
}

/// A new cell of the osteoclast lineage at `site` (cortical or not: its id comes from that
/// site's id space), its mitochondria copied from a circulating precursor drawn at random.
pub fn new_cell(
    counters: &mut Counters,
    (site, cortical): (u32, bool),
    circulation: &Circulation,
    streams: &Streams,
    knobs: &Knobs,
) -> impl Bundle + use<> {
    let params = &knobs.params;
    let id = counters.new_cell_id(cortical);
    let mut rng: Stream = streams.stream(Process::Inheritance, id, 0);
    let mito = circulation.draw(&mut rng, params);
    (CellId(id), AtSite(site), readout::read(&mito, knobs), mito)
}

/// Spawn `cell` as `kind` (precursor or osteoclast), with the [`Cortical`] marker if its site
/// has it.
pub fn spawn_cell(commands: &mut Commands, cell: impl Bundle, kind: impl Bundle, cortical: bool) {
    if cortical {
        commands.spawn((cell, kind, Cortical));
    } else {
        commands.spawn((cell, kind));
    }
}

/// Active BMUs with osteoclasts recruit precursors at the kernel's formation rate.
pub fn recruit_precursors(
    knobs: Res<Knobs>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    census: Res<SiteCensus>,
    steady: Res<SteadyState>,
    circulation: Circulation,
    mut counters: ResMut<Counters>,
    bmus: Query<(&Site, &Bmu, Has<Cortical>)>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    let omega = params.population_scale;
    let kernel = params.kernel();
    for (site, bmu, cortical) in &bmus {
        let n1 = census.osteoclasts[site.index as usize];
        if n1 == 0 {
            continue;
        }
        let x1 = n1 as f64 / omega;
        let x2 = (bmu.osteoblasts as f64).max(0.5) / omega;
        let rate = omega
            * kernel.osteoclast_formation(x1, x2)
            * rank_occupancy(params, params.rankl)
            * knobs.osteoclast_formation;
        let mean = (rate * params.dt_days / steady.p_diff).min(MAX_BIRTHS_PER_STEP);
        let Ok(poisson) = Poisson::new(mean) else { continue };
        let mut rng = streams.stream(Process::Recruitment, site.index as u64, clock.step);
        let n = rng.sample(poisson) as u64;
        for _ in 0..n {
            let cell = new_cell(&mut counters, (site.index, cortical), &circulation, &streams, &knobs);
            spawn_cell(&mut commands, cell, Precursor { age_days: 0.0 }, cortical);
        }
    }
}

/// Precursors that have waited `commitment_days` fuse into an osteoclast with p_diff, or die.
pub fn commit_precursors(
    knobs: Res<Knobs>,
    steady: Res<SteadyState>,
    clock: Res<Clock>,
    streams: Res<Streams>,
    mut counters: ResMut<Counters>,
    mut precursors: Query<(Entity, &CellId, &mut Precursor, &MitoReadout, Has<Cortical>)>,
    mut commands: Commands,
) {
    let params = &knobs.params;
    for (entity, id, mut precursor, readout, cortical) in &mut precursors {
        if precursor.age_days + 1e-9 < params.commitment_days {
            precursor.age_days += params.dt_days;
            continue;
        }
        let p = if params.neutral_mitochondria {
            steady.p_diff
        } else {
            (differentiation_probability(params, readout.ros, readout.atp)
                * mitophagy_differentiation(params, &steady, readout))
            .min(1.0)
        };
        let mut rng = streams.stream(Process::Differentiation, id.0, clock.step);
        if chance(&mut rng, threshold(p)) {
            commands.entity(entity).remove::<Precursor>().insert(Osteoclast { activity: 1.0 });
            counters.osteoclasts_formed += u64::from(!cortical);
        } else {
            commands.entity(entity).despawn();
        }
    }
}

/// This process's systems, in their phases.
pub struct RecruitmentPlugin;

impl Plugin for RecruitmentPlugin {
    fn add_resources(&self, world: &mut World, _: &Params) {
        world.insert_resource(PrecursorPool::default());
    }

    fn add_systems(&self, schedule: &mut Schedule, _: BoneLaw) {
        schedule.add_systems((recruit_precursors, commit_precursors).chain().in_set(Phase::Recruitment));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processes::testing::{bmu, cell, count, one_system_world, run_steps, set_census};
    use bevy_ecs::prelude::{IntoScheduleConfigs, Schedule, World};

    #[test]
    fn differentiation_is_a_bell_in_ros_and_needs_atp() {
        let p = Params::default();
        let at = |r| differentiation_probability(&p, r, 0.6);
        assert!(at(0.05) < at(0.5), "rising arm");
        assert!(at(5.0) < at(0.5), "falling arm");
        assert_eq!(differentiation_probability(&p, 0.5, 0.0), 0.0);
        assert!(differentiation_probability(&p, 0.5, 0.1) < at(0.5));
        assert!((0.0..=1.0).contains(&at(0.7)));
    }

    /// `n` BMUs of 212 osteoblasts whose census shows `n1` osteoclasts each, no precursors.
    fn bmus(n: u32, n1: u32) -> (World, Schedule) {
        let (mut world, schedule) = one_system_world((recruit_precursors, commit_precursors).chain());
        world.spawn_batch((0..n).map(|index| (Site { index }, bmu(212))));
        set_census(&mut world, vec![n1; n as usize], vec![n1 as f64; n as usize], vec![0; n as usize]);
        (world, schedule)
    }

    #[test]
    fn a_bmu_without_osteoclasts_recruits_nothing() {
        let (mut world, mut schedule) = bmus(10, 0);
        run_steps(&mut world, &mut schedule, 50);
        assert_eq!(count::<CellId>(&mut world), 0);
        assert_eq!(world.resource::<Counters>().next_cell_id, 0);
    }

    #[test]
    fn neutral_instant_commitment_forms_osteoclasts_at_the_kernel_rate() {
        let (n, steps) = (1000, 20);
        let (mut world, mut schedule) = bmus(n, 11);
        let mut knobs = world.resource_mut::<Knobs>();
        let p = &mut knobs.params;
        (p.neutral_mitochondria, p.commitment_days) = (true, 0.0);
        run_steps(&mut world, &mut schedule, steps);
        // F = α1·x1^g11·x2^g21 = 3·√(11/212) = 0.68336 /day per BMU (Ω = 1). Recruits are
        // Poisson(F·Δt/p_diff), each fusing with p_diff = 0.5: osteoclasts Poisson(F·Δt).
        // 1000 BMUs × 20 steps × 0.1 day: mean 1366.7, sd 37.0.
        let mean = f64::from(n) * steps as f64 * 0.1 * 3.0 * (11.0f64 / 212.0).sqrt();
        let formed = world.resource::<Counters>().osteoclasts_formed as f64;
        assert!((formed - mean).abs() < 5.0 * mean.sqrt(), "{formed} vs {mean}");
        assert_eq!(count::<Osteoclast>(&mut world) as f64, formed);
        assert_eq!(count::<Precursor>(&mut world), 0, "all committed at once");
    }

    #[test]
    fn precursors_wait_for_commitment_then_fuse_or_die() {
        for (p_diff, fused) in [(1.0, 1), (0.0, 0)] {
            let (mut world, mut schedule) = one_system_world(commit_precursors);
            world.resource_mut::<Knobs>().params.neutral_mitochondria = true;
            world.resource_mut::<SteadyState>().p_diff = p_diff;
            let e = world.spawn((cell(1, vec![10; 100], 0.5), Precursor { age_days: 0.0 })).id();
            // commitment_days = 1, Δt = 0.1: ten steps of waiting, committed on the 11th.
            run_steps(&mut world, &mut schedule, 10);
            let age = world.get::<Precursor>(e).expect("still waiting").age_days;
            assert!((age - 1.0).abs() < 1e-9, "{age}");
            run_steps(&mut world, &mut schedule, 1);
            assert_eq!(count::<Precursor>(&mut world), 0);
            assert_eq!(count::<Osteoclast>(&mut world), fused);
            assert_eq!(world.get_entity(e).is_ok(), fused == 1, "a failed precursor is despawned");
            assert_eq!(world.resource::<Counters>().osteoclasts_formed, fused as u64);
        }
    }
}
