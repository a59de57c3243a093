//! The mitochondrial layer: every precursor and osteoclast carries its own mitochondria, each a
//! discrete health level h ∈ {0..H} (a membrane-potential proxy, after Patel et al. 2013 PLoS
//! Comput Biol 9:e1003108) and a PINK1 tag. One mitochondrial sub-step runs, in this order:
//!
//! 1. [`damage`]: ROS-driven loss of health;
//! 2. [`fusion`]: selective fusion–fission among polarised mitochondria;
//! 3. [`pink1_parkin`]: PINK1 tagging of depolarised mitochondria, Parkin-dependent removal;
//! 4. [`receptor_mitophagy`]: BNIP3/NIX/FUNDC1 removal, weakly selective;
//! 5. [`biogenesis`]: PGC-1β-driven renewal towards a ROS-dependent target count;
//! 6. [`readout`]: the cell's ATP, depolarised fraction and ROS, which the next sub-step and the
//!    cell fates read.
//!
//! By default (`mito_exact = true`) [`exact`] runs these rules as one continuous-time Markov
//! process per cell, sampled exactly, with no sub-step at all. The sub-step scheme of the rule
//! files (`mito_exact = false`) is kept for the convergence study: its sub-step is
//! `dt_days / ceil(24·dt_days / mito_dt_hours)`, and it is first order in it (at 1 h the
//! depolarised share is 8 % low and ATP 12 % high against its limit; docs/numerics.md).
//!
//! Each rule file holds its rule as maths and a function over one cell's mitochondria, in both
//! representations of [`Mitochondria`]: one byte per mitochondrion (the reference) or counts per health
//! level and tag, whose transitions are binomial and hypergeometric draws with the same hazards
//! (each file says why its draws are exact). [`step_mitochondria`] is the one system: it takes
//! every cell that has mitochondria through all sub-steps of a cell step, cells in parallel
//! (rayon), each from its own streams `(process, cell id, sub-step)`, and adds the mitophagy
//! tallies in cell-id order, so results do not depend on the number of threads.

pub mod biogenesis;
pub mod damage;
pub mod exact;
pub mod fusion;
pub mod pink1_parkin;
pub mod readout;
pub mod receptor_mitophagy;
mod swar;

#[cfg(test)]
mod equivalence;

use crate::config::Params;
use crate::model::counts::Binomial;
use crate::model::draws::ByteOdds;
use crate::model::streams::{Hits, hazard_to_probability};
use crate::model::{CellId, Clock, Cortical, Knobs, MitoReadout, Mitochondria, MitophagyCount, Process, Streams};
use bevy_ecs::prelude::{Has, Query, Res, ResMut};
use biogenesis::Biogenesis;
use damage::Damage;
use exact::Exact;
use pink1_parkin::Parkin;
use rayon::prelude::*;
use readout::Readout;
use receptor_mitophagy::Receptors;

/// A new cell's mitochondria: N0 mitochondria at full health. The exact process reads only a
/// cell's histogram, so under it cells are counted (the same results bit for bit, and O(H)
/// rather than O(N) work a cell step to read and write them); under the sub-step scheme
/// `count_mitochondria_from` chooses.
pub fn fresh(params: &Params) -> Mitochondria {
    let (n, top) = (params.mitochondria_per_cell, params.health_levels);
    if params.mito_exact || n >= params.count_mitochondria_from {
        Mitochondria::counted(n, top as u8, top)
    } else {
        Mitochondria::uniform(n as usize, top as u8)
    }
}

/// Every rule of a sub-step, prepared once per cell step from the parameters and the knobs.
pub struct Rules {
    pub substeps: u32,
    dt: f64,
    top: usize,
    damage: Damage,
    fusion_floor: u8,
    log_stay_out: f64,
    join: Binomial,
    parkin: Parkin,
    parkin_odds: ByteOdds,
    parkin_removal: Binomial,
    receptors: Receptors,
    biogenesis: Biogenesis,
    readout: Readout,
    /// The exact continuous-time process, when `mito_exact` asks for it instead of sub-steps.
    exact: Option<Exact>,
}

impl Rules {
    pub fn new(knobs: &Knobs) -> Rules {
        let params = &knobs.params;
        let (substeps, dt) = params.mito_substeps();
        let join = hazard_to_probability(params.fusion_per_hour * 24.0, dt);
        let parkin = Parkin::new(knobs, dt);
        Rules {
            substeps,
            dt,
            top: params.health_levels as usize,
            damage: Damage::new(params, dt),
            fusion_floor: params.fusion_threshold as u8,
            log_stay_out: Hits::log_miss(1.0 - join),
            join: Binomial::new(join),
            parkin_odds: ByteOdds::new(parkin.removal),
            parkin_removal: Binomial::new(parkin.removal),
            parkin,
            receptors: Receptors::new(knobs, dt),
            biogenesis: Biogenesis::new(knobs, dt),
            readout: Readout::new(knobs),
            exact: params.mito_exact.then(|| Exact::new(knobs)),
        }
    }
}

/// Reusable buffers of one worker.
#[derive(Default)]
pub struct Scratch {
    pool: Vec<u8>,
    removed: Vec<u32>,
    candidates: Vec<usize>,
}

/// Take one cell through the sub-steps `first_step..first_step + rules.substeps`; returns the
/// mitochondria removed by mitophagy.
pub fn step_cell(
    rules: &Rules,
    streams: &Streams,
    id: u64,
    first_step: u64,
    cell: (&mut Mitochondria, &mut MitoReadout),
    scratch: &mut Scratch,
) -> u64 {
    let (mito, readout) = cell;
    if let Some(exact) = &rules.exact {
        let days = rules.dt * f64::from(rules.substeps);
        return exact.run(mito, readout, days, &mut streams.of(Process::Mitochondria, id).at(first_step));
    }
    let [damage, fusion, parkin, receptors, biogenesis] =
        [Process::Damage, Process::Fusion, Process::Parkin, Process::Receptor, Process::Biogenesis]
            .map(|p| streams.of(p, id));
    let mut removed = 0;
    for step in first_step..first_step + u64::from(rules.substeps) {
        let p_damage = rules.damage.probability(readout.ros);
        match mito {
            Mitochondria::Individual(bytes) => {
                damage::damage_individual(bytes, ByteOdds::new(p_damage), &mut damage.at(step));
                fusion::fuse_individual(
                    bytes,
                    rules.fusion_floor,
                    rules.log_stay_out,
                    &mut fusion.at(step),
                    &mut scratch.pool,
                );
                removed += pink1_parkin::tag_and_clear_individual(
                    bytes,
                    &rules.parkin,
                    rules.parkin_odds,
                    &mut parkin.at(step),
                    &mut scratch.removed,
                );
                removed += receptor_mitophagy::clear_individual(
                    bytes,
                    &rules.receptors,
                    &mut receptors.at(step),
                    &mut scratch.candidates,
                );
            }
            Mitochondria::Counts(bins) => {
                damage::damage_counts(bins, rules.top, &Binomial::new(p_damage), &mut damage.at(step));
                fusion::fuse_counts(bins, rules.top, rules.fusion_floor as usize, &rules.join, &mut fusion.at(step));
                removed += pink1_parkin::tag_and_clear_counts(
                    bins,
                    rules.top,
                    &rules.parkin,
                    &rules.parkin_removal,
                    &mut parkin.at(step),
                );
                removed += receptor_mitophagy::clear_counts(bins, rules.top, &rules.receptors, &mut receptors.at(step));
            }
        }
        let new = rules.biogenesis.new_mitochondria(mito.len(), readout.ros, &mut biogenesis.at(step));
        rules.biogenesis.add(mito, new);
        *readout = rules.readout.read(mito);
    }
    removed
}

/// Mitochondrion-sub-steps a parallel task should hold at least, so scheduling stays a small cost.
const WORK_PER_TASK: usize = 1 << 15;

/// Every cell with mitochondria, whatever else it is, through the sub-steps of one cell step. The
/// mitophagy tally leaves out the cells at cortical sites (`MitophagyCount` is the cancellous
/// sites' and the circulation's).
pub fn step_mitochondria(
    knobs: Res<Knobs>,
    streams: Res<Streams>,
    mut clock: ResMut<Clock>,
    mut mitophagy: ResMut<MitophagyCount>,
    mut cells: Query<(&CellId, &mut Mitochondria, &mut MitoReadout, Has<Cortical>)>,
) {
    let rules = Rules::new(&knobs);
    let mut batch: Vec<(u64, &mut Mitochondria, &mut MitoReadout, bool)> =
        cells.iter_mut().map(|(id, m, r, cortical)| (id.0, m.into_inner(), r.into_inner(), cortical)).collect();
    batch.sort_unstable_by_key(|cell| cell.0);
    let mitochondria: usize = batch.iter().map(|cell| cell.1.len()).sum();
    let min_cells = (WORK_PER_TASK * batch.len()).div_ceil(mitochondria.max(1) * rules.substeps as usize).max(1);
    let first = clock.mito_step;
    let removed: Vec<u64> = batch
        .par_iter_mut()
        .with_min_len(min_cells)
        .map_init(Scratch::default, |scratch, (id, mito, readout, cortical)| {
            let removed = step_cell(&rules, &streams, *id, first, (mito, readout), scratch);
            if *cortical { 0 } else { removed }
        })
        .collect();
    mitophagy.removed += removed.iter().sum::<u64>();
    clock.mito_step += u64::from(rules.substeps);
}

/// The links from mitochondria to fates, each shown on a small world of steady-state cells run
/// through the full mitochondrial sub-step.
#[cfg(test)]
mod tests {
    use crate::config::Params;
    use crate::model::{CellId, Knobs, MitoReadout, Mitochondria, Streams};
    use crate::processes::apoptosis::apoptosis_multiplier;
    use crate::processes::resorption::resorption_activity;
    use crate::sim::{mitochondrial_schedule, world_with_rules};
    use crate::steady_state;
    use bevy_ecs::prelude::World;

    /// Run 100 steady-state cells for `days` under `params`, untreated; mean (D, ATP, ROS, N,
    /// M_apo, activity) at the end, fates measured against the default steady state with strong
    /// energy couplings (c_dep = 2, c_atp = 1, e_atp = 1), so that their direction shows.
    fn evolve(params: &Params, days: f64) -> [f64; 6] {
        let reference = Params {
            mitochondria_per_cell: 50,
            apoptosis_depolarised_gain: 2.0,
            apoptosis_atp_gain: 1.0,
            resorption_atp_exponent: 1.0,
            ..Params::default()
        };
        let steady = steady_state::untreated(&reference);
        let mut world: World = world_with_rules(params, &steady, Streams::new(9, 0));
        for (i, m) in steady.reservoir.iter().take(100).enumerate() {
            world.spawn((
                CellId(i as u64),
                m.clone(),
                MitoReadout { atp: steady.atp, depolarised: steady.depolarised, ros: steady.ros, mitophagy: 0.5 },
            ));
        }
        let mut schedule = mitochondrial_schedule();
        for _ in 0..(days / params.dt_days).round() as u64 {
            schedule.run(&mut world);
        }
        let mut sums = [0.0; 6];
        let mut q = world.query::<(&Mitochondria, &MitoReadout)>();
        for (m, r) in q.iter(&world) {
            let fates = [
                r.depolarised,
                r.atp,
                r.ros,
                m.len() as f64,
                apoptosis_multiplier(&Knobs::untreated(&reference), &steady, r, 1.0),
                resorption_activity(&reference, &steady, r),
            ];
            for (s, x) in sums.iter_mut().zip(fates) {
                *s += x / 100.0;
            }
        }
        sums
    }

    fn base() -> Params {
        Params { mitochondria_per_cell: 50, ..Params::default() }
    }

    #[test]
    fn more_damage_means_more_apoptosis_and_less_resorption() {
        let p = base();
        let calm = evolve(&p, 5.0);
        let harsh = Params { damage_per_day: 6.0, ..p };
        let damaged = evolve(&harsh, 5.0);
        assert!(damaged[0] > calm[0] + 0.02, "depolarised {} vs {}", damaged[0], calm[0]);
        assert!(damaged[4] > calm[4] * 1.1, "apoptosis multiplier {} vs {}", damaged[4], calm[4]);
        assert!(damaged[5] < calm[5] * 0.9, "resorption activity {} vs {}", damaged[5], calm[5]);
        assert!((calm[4] - 1.0).abs() < 0.1 && (calm[5] - 1.0).abs() < 0.1, "untreated cells stay near 1: {calm:?}");
    }

    #[test]
    fn without_pink1_damaged_mitochondria_pile_up_and_ros_rises() {
        let p = base();
        let wild = evolve(&p, 10.0);
        let ko = evolve(&Params { pink1_tagging: false, ..p.clone() }, 10.0);
        // The receptors keep clearing without PINK1 (McWilliams 2018), so the depolarised share
        // rises by about two thirds (0.21 → 0.35), not several-fold.
        assert!(ko[0] > 1.4 * wild[0], "depolarised share {} vs {}", ko[0], wild[0]);
        assert!(ko[2] > wild[2] + 0.05, "ROS {} vs {}", ko[2], wild[2]);
    }

    #[test]
    fn biogenesis_keeps_the_count_near_its_target() {
        let p = base();
        let s = evolve(&p, 10.0);
        let target = 50.0 * (1.0 + p.biogenesis_ros_gain * s[2]);
        assert!((s[3] / target - 1.0).abs() < 0.15, "count {} vs target {target}", s[3]);
        let starved = Params { biogenesis_per_day: 0.0, ..p.clone() };
        assert!(evolve(&starved, 10.0)[3] < 0.5 * s[3], "no biogenesis, the population shrinks");
    }
}
