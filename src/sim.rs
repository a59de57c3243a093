//! Builds one run's World and schedules and steps them: the only file that wires processes.
//!
//! A cell step of `dt_days` runs the mitochondrial schedule once (its one system takes every cell
//! through the step's `n` sub-steps of `dt_days / n`, see `processes/mitochondria`), then the
//! cell schedule in five ordered phases:
//!
//! | phase | systems, in order |
//! |---|---|
//! | `Knobs` | apply_interventions |
//! | `Census` | rate_resorption_activity, take_census, complete_bmus |
//! | `Bone` | resorb_matrix, form_osteoid, mineralize_bone |
//! | `Cells` | turn_over_osteoblasts, kill_osteoclasts, recruit_precursors, commit_precursors |
//! | `Sites` | activate_bmus |
//!
//! Every system of both schedules is ordered, and ambiguity detection is an error, so two
//! systems can never touch the same data in an unspecified order.

use crate::config::{Params, Scenario};
use crate::model::{Bone, Clock, Counters, MitophagyCount, Site, SiteCensus, SteadyState, Streams};
use crate::observe::{Observer, Reference};
use crate::processes::interventions::{Interventions, apply_interventions, untreated};
use crate::processes::mitochondria::step_mitochondria;
use crate::processes::{
    activation, apoptosis, census, completion, formation, mineralization, osteoblasts, recruitment, resorption,
};
use crate::record::Sample;
use bevy_ecs::prelude::*;
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings, ScheduleLabel, SingleThreadedExecutor};

/// The phases of a cell step, run in declaration order.
#[derive(SystemSet, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    Knobs,
    Census,
    Bone,
    Cells,
    Sites,
}

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

/// One cell step.
pub fn cell_schedule() -> Schedule {
    let mut s = strict(CellStep);
    s.configure_sets((Phase::Knobs, Phase::Census, Phase::Bone, Phase::Cells, Phase::Sites).chain());
    s.add_systems(apply_interventions.in_set(Phase::Knobs));
    s.add_systems(
        (resorption::rate_resorption_activity, census::take_census, completion::complete_bmus).chain().in_set(Phase::Census),
    );
    s.add_systems((resorption::resorb_matrix, formation::form_osteoid, mineralization::mineralize_bone).chain().in_set(Phase::Bone));
    s.add_systems(
        (
            osteoblasts::turn_over_osteoblasts,
            apoptosis::kill_osteoclasts,
            recruitment::recruit_precursors,
            recruitment::commit_precursors,
        )
            .chain()
            .in_set(Phase::Cells),
    );
    s.add_systems(activation::activate_bmus.in_set(Phase::Sites));
    s
}

/// A world holding the resources every rule reads.
pub fn world_with_rules(params: &Params, steady: &SteadyState, streams: Streams) -> World {
    let mut world = World::new();
    world.insert_resource(untreated(params));
    world.insert_resource(params.clone());
    world.insert_resource(steady.clone());
    world.insert_resource(streams);
    world.insert_resource(Clock::default());
    world.insert_resource(Counters::default());
    world.insert_resource(MitophagyCount::default());
    world.insert_resource(SiteCensus::default());
    world.insert_resource(Interventions::default());
    world
}

/// One run of one scenario at one replicate.
pub struct Simulation {
    world: World,
    mitochondria: Schedule,
    cells: Schedule,
    spinup_steps: u64,
}

impl Simulation {
    /// Build the tissue: `sites` quiescent sites of intact bone (or all starting a BMU with
    /// `pulse_at_start`), `spinup_days` before day 0.
    pub fn new(scenario: &Scenario, steady: &SteadyState, streams: Streams, spinup_days: f64) -> Simulation {
        let p = &scenario.params;
        let mut world = world_with_rules(p, steady, streams);
        world.insert_resource(Interventions(scenario.interventions.clone()));
        let spinup_steps = (spinup_days / p.dt_days).round() as u64;
        world.resource_mut::<Clock>().day = (0.0 - spinup_steps as f64) * p.dt_days;
        let mineral = 100.0 * p.initial_mineral_fraction;
        for index in 0..p.sites {
            let bone = Bone { matrix: 100.0, osteoid: 0.0, mineral, resorbed: 0.0, formed: 0.0 };
            let entity = world.spawn((Site { index }, bone)).id();
            if p.pulse_at_start {
                let env = untreated(p);
                let mut counters = *world.resource::<Counters>();
                let mut commands = world.commands();
                activation::open_bmu(&mut commands, &mut counters, (entity, &Site { index }, &bone), (p, steady, &streams, &env));
                world.flush();
                world.insert_resource(counters);
            }
        }
        Simulation { world, mitochondria: mitochondrial_schedule(), cells: cell_schedule(), spinup_steps }
    }

    /// Advance one cell step.
    pub fn step(&mut self) {
        self.mitochondria.run(&mut self.world);
        self.cells.run(&mut self.world);
        let dt = self.world.resource::<Params>().dt_days;
        let mut clock = self.world.resource_mut::<Clock>();
        clock.step += 1;
        clock.day = (clock.step as f64 - self.spinup_steps as f64) * dt;
    }

    /// Spin up, then run `days`, sampling every `every` days (day 0 included). Returns the
    /// samples and the counters of the recorded period.
    pub fn run(mut self, days: f64, every: f64) -> (Vec<Sample>, Counters) {
        let dt = self.world.resource::<Params>().dt_days;
        for _ in 0..self.spinup_steps {
            self.step();
        }
        let counters = *self.world.resource::<Counters>();
        *self.world.resource_mut::<Counters>() = Counters { next_cell_id: counters.next_cell_id, ..Counters::default() };
        *self.world.resource_mut::<MitophagyCount>() = MitophagyCount::default();
        for mut bone in self.world.query::<&mut Bone>().iter_mut(&mut self.world) {
            bone.resorbed = 0.0;
            bone.formed = 0.0;
        }
        let mut observer = Observer::new(Reference::of(&mut self.world));
        let total = (days / dt).round() as u64;
        let every_steps = ((every / dt).round() as u64).max(1);
        let mut samples = Vec::with_capacity((total / every_steps + 2) as usize);
        for k in 0..=total {
            if k % every_steps == 0 || k == total {
                samples.push(observer.observe(&mut self.world));
            }
            if k < total {
                self.step();
            }
        }
        (samples, *self.world.resource::<Counters>())
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
        let mut world = world_with_rules(&Params::default(), &crate::steady_state::untreated(&Params::default()), Streams::new(1, 0));
        for mut s in [mitochondrial_schedule(), cell_schedule()] {
            s.initialize(&mut world).expect("no ambiguities, no cycles");
        }
    }
}
