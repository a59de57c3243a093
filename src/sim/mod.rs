//! Builds one run's World and schedules and steps them: the only file that wires processes.
//!
//! A cell step of `dt_days` runs the mitochondrial schedule once (its one system takes every cell
//! through the step's `n` sub-steps of `dt_days / n`, see `processes/mitochondria`), then the
//! cell schedule: every process ([`PLUGINS`]) adds its resources to the world and its systems to
//! the phases of a step ([`Phase`]), and this file only orders the phases. Which systems a
//! process adds depends on the config's bone law (the resorption, formation, cycle and coupling
//! plugins say how).
//!
//! Every system of both schedules is ordered, and ambiguity detection is an error, so two
//! systems can never touch the same data in an unspecified order.

mod day_zero;

pub use day_zero::DayZero;

use crate::config::{BoneLaw, Params, Scenario};
use crate::model::{
    Bone, Clock, CompletedBmus, Cortical, Counters, Knobs, MitophagyCount, PrecursorPool, Site, SteadyState, Streams,
};
use crate::observe::{Observer, Sites, Tracker, Trail};
use crate::processes::interventions::ScenarioRules;
use crate::processes::mitochondria::step_mitochondria;
use crate::processes::{PLUGINS, Phase, activation, recruitment};
use crate::record::RunRecord;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};
use bevy_ecs::system::RunSystemOnce;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
struct MitochondrialStep;

#[derive(ScheduleLabel, Debug, Clone, PartialEq, Eq, Hash)]
struct CellStep;

fn strict(label: impl ScheduleLabel) -> Schedule {
    let mut s = Schedule::new(label);
    s.set_executor(SingleThreadedExecutor::default());
    s.set_build_settings(ScheduleBuildSettings { ambiguity_detection: LogLevel::Error, ..Default::default() });
    s
}

/// The mitochondrial sub-steps of one cell step, for every cell; advances `Clock::mito_step`.
pub fn mitochondrial_schedule() -> Schedule {
    let mut s = strict(MitochondrialStep);
    s.add_systems(step_mitochondria);
    s
}

/// One cell step under `law`: every process adds its systems to its phases, run in
/// [`Phase::ORDER`].
pub fn cell_schedule(law: BoneLaw) -> Schedule {
    let mut s = strict(CellStep);
    for pair in Phase::ORDER.windows(2) {
        s.configure_sets(pair[0].before(pair[1]));
    }
    for plugin in PLUGINS {
        plugin.add_systems(&mut s, law);
    }
    s
}

/// A world holding the resources every rule reads, untreated, with `params` as its own
/// reference.
pub fn world_with_rules(params: &Params, steady: &SteadyState, streams: Streams) -> World {
    let rules = ScenarioRules::new(params.clone(), Vec::new(), &streams);
    world_of(rules, params, steady, streams)
}

/// A world holding the resources every rule reads: `rules` measured against the `reference`
/// parameters and their steady state.
fn world_of(rules: ScenarioRules, reference: &Params, steady: &SteadyState, streams: Streams) -> World {
    let mut world = World::new();
    world.insert_resource(Knobs::untreated(&rules.params));
    world.insert_resource(rules);
    world.insert_resource(steady.clone());
    world.insert_resource(streams);
    world.insert_resource(Clock::default());
    world.insert_resource(Counters::default());
    world.insert_resource(MitophagyCount::default());
    for plugin in PLUGINS {
        plugin.add_resources(&mut world, reference);
    }
    world
}

/// What every run of a config shares: its bone law and its untreated reference (docs/model.md §1.4).
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    pub law: BoneLaw,
    /// The reference parameters: the config's `[params]`.
    pub reference: &'a Params,
    /// The reference's mitochondrial steady state (D0, A0, p_diff0 and the cells new pools copy).
    pub steady: &'a SteadyState,
}

/// One run of one scenario at one replicate.
pub struct Simulation {
    world: World,
    mitochondria: Schedule,
    cells: Schedule,
    spinup_steps: u64,
    /// The cell step, days (a run's parameters never change).
    dt_days: f64,
    /// Cancellous sites, for the biopsy.
    sites: u32,
    /// The turnover of the spin-up's last `marker_window_days`: the markers' day-0 baseline.
    trail: Trail,
}

impl Simulation {
    /// Build the tissue: `sites` cancellous and then `cortical_sites` cortical quiescent sites of
    /// intact bone (or all starting a BMU with `pulse_at_start`) and the circulating precursors,
    /// `spinup_days` before day 0.
    pub fn new(setup: Setup, scenario: &Scenario, streams: Streams, spinup_days: f64) -> Simulation {
        let p = &scenario.params;
        let rules = ScenarioRules::new(p.clone(), scenario.interventions.clone(), &streams);
        let mut world = world_of(rules, setup.reference, setup.steady, streams);
        let spinup_steps = (spinup_days / p.dt_days).round() as u64;
        world.resource_mut::<Clock>().day = (0.0 - spinup_steps as f64) * p.dt_days;
        let pool: Vec<Entity> =
            world.spawn_batch(recruitment::circulating_precursors(&Knobs::untreated(p), setup.steady)).collect();
        world.resource_mut::<Counters>().next_cell_id = pool.len() as u64;
        world.insert_resource(PrecursorPool(pool));
        let bone =
            |fraction: f64| Bone { matrix: 100.0, osteoid: 0.0, mineral: 100.0 * fraction, resorbed: 0.0, formed: 0.0 };
        let (cancellous, cortical) = (bone(p.initial_mineral_fraction), bone(p.initial_cortical_mineral_fraction));
        world.spawn_batch((0..p.sites).map(|index| (Site { index }, cancellous)));
        if p.cortical_sites > 0 {
            // Not even an empty batch without cortical sites: it would still add an archetype,
            // and a tissue without cortical sites stays exactly the World it was before they
            // existed (bevy meets archetypes in an order taken from a hash of them all).
            world.spawn_batch((p.sites..p.sites + p.cortical_sites).map(|index| (Site { index }, cortical, Cortical)));
        }
        if p.pulse_at_start {
            // Running a system on a fresh World cannot fail: every resource it reads is present.
            let _ = world.run_system_once(activation::activate_every_site);
        }
        let (dt_days, sites) = (p.dt_days, p.sites);
        Simulation {
            world,
            mitochondria: mitochondrial_schedule(),
            cells: cell_schedule(setup.law),
            spinup_steps,
            dt_days,
            sites,
            trail: Trail::default(),
        }
    }

    /// `scenario` from a tissue at the end of its spin-up (see [`DayZero`]): the spin-up must
    /// have been that of `scenario`, or one identical to it before day 0.
    pub fn from_day_zero(setup: Setup, scenario: &Scenario, streams: Streams, start: &DayZero) -> Simulation {
        let p = &scenario.params;
        let rules = ScenarioRules::new(p.clone(), scenario.interventions.clone(), &streams);
        let mut world = world_of(rules, setup.reference, setup.steady, streams);
        start.restore(&mut world);
        let spinup_steps = world.resource::<Clock>().step;
        Simulation {
            world,
            mitochondria: mitochondrial_schedule(),
            cells: cell_schedule(setup.law),
            spinup_steps,
            dt_days: p.dt_days,
            sites: p.sites,
            trail: start.trail.clone(),
        }
    }

    /// The tissue as it is now, to start scenarios from (after [`Self::spin_up`]).
    pub fn day_zero(&mut self) -> DayZero {
        let mut kept = DayZero::of(&mut self.world);
        kept.trail = self.trail.clone();
        kept
    }

    /// Advance one cell step.
    pub fn step(&mut self) {
        self.mitochondria.run(&mut self.world);
        self.cells.run(&mut self.world);
        let dt = self.dt_days;
        let mut clock = self.world.resource_mut::<Clock>();
        clock.step += 1;
        clock.day = (clock.step as f64 - self.spinup_steps as f64) * dt;
        self.world.clear_trackers();
    }

    /// Spin up, then run `days`: [`Self::spin_up`] then [`Self::record`].
    pub fn run(mut self, days: f64, every: f64, steps_done: &AtomicU64) -> RunRecord {
        self.spin_up(steps_done);
        self.record(days, every, steps_done)
    }

    /// Run the spin-up, up to day 0, adding 1 to `steps_done` after every cell step, and keep
    /// the turnover of its last steps for the markers (only read: the tissue is the same).
    pub fn spin_up(&mut self, steps_done: &AtomicU64) {
        let trail = Trail::new(&self.world.resource::<ScenarioRules>().params);
        let from = self.spinup_steps.saturating_sub(trail.capacity() as u64);
        let sites = Sites::of(&mut self.world);
        let mut markers = None;
        while self.world.resource::<Clock>().step < self.spinup_steps {
            if self.world.resource::<Clock>().step == from {
                markers = Some(Tracker::start(&mut self.world, &sites, trail.clone()));
            }
            self.step();
            if let Some(m) = markers.as_mut() {
                m.track(&mut self.world, &sites);
            }
            steps_done.fetch_add(1, Ordering::Relaxed);
        }
        self.trail = markers.map_or(trail, |m| m.trail);
    }

    /// From day 0, run `days`, sampling every `every` days (day 0 included) and tracking the
    /// virtual biopsy every step. Returns the samples, the biopsy and the counters of the
    /// recorded period (in a record with no scenario name yet). Adds 1 to `steps_done` after
    /// every cell step, for progress reports (see `ensemble::steps_of`).
    pub fn record(mut self, days: f64, every: f64, steps_done: &AtomicU64) -> RunRecord {
        let dt = self.dt_days;
        let counters = *self.world.resource::<Counters>();
        *self.world.resource_mut::<Counters>() = Counters {
            next_cell_id: counters.next_cell_id,
            cortical_cells: counters.cortical_cells,
            ..Counters::default()
        };
        *self.world.resource_mut::<MitophagyCount>() = MitophagyCount::default();
        self.world.resource_mut::<CompletedBmus>().0.clear();
        for mut bone in self.world.query::<&mut Bone>().iter_mut(&mut self.world) {
            bone.resorbed = 0.0;
            bone.formed = 0.0;
        }
        let mut observer = Observer::at_day_zero(&mut self.world, std::mem::take(&mut self.trail));
        let total = (days / dt).round() as u64;
        let every_steps = ((every / dt).round() as u64).max(1);
        let mut samples = Vec::with_capacity((total / every_steps + 2) as usize);
        for k in 0..=total {
            if k % every_steps == 0 || k == total {
                samples.push(observer.observe(&mut self.world));
            }
            if k < total {
                self.step();
                observer.track(&mut self.world);
                steps_done.fetch_add(1, Ordering::Relaxed);
            }
        }
        let counters = *self.world.resource::<Counters>();
        RunRecord {
            samples,
            biopsy: observer.biopsy(self.sites),
            bmus_started: counters.bmus_started,
            bmus_completed: counters.bmus_completed,
            osteoclasts_formed: counters.osteoclasts_formed,
            osteoclasts_died: counters.osteoclasts_died,
            ..RunRecord::default()
        }
    }

    /// The World, for tests and benches.
    pub fn world_mut(&mut self) -> &mut World {
        &mut self.world
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_fully_ordered() {
        let mut world = world_with_rules(
            &Params::default(),
            &crate::steady_state::untreated(&Params::default()),
            Streams::new(1, 0),
        );
        for mut s in [mitochondrial_schedule(), cell_schedule(BoneLaw::Coupled), cell_schedule(BoneLaw::Komarova2003)] {
            s.initialize(&mut world).expect("no ambiguities, no cycles");
        }
    }
}
