//! Tiny hand-built worlds for the process unit tests.

use crate::config::Params;
use crate::model::{Bmu, Bone, CellId, Clock, Knobs, MitoReadout, Mitochondria, SiteCensus, SteadyState, Streams};
use crate::processes::interventions::ScenarioRules;
use crate::sim::world_with_rules;
use bevy_ecs::prelude::{Bundle, Component, IntoScheduleConfigs, Schedule, With, World};
use bevy_ecs::schedule::{LogLevel, ScheduleBuildSettings};
use std::sync::Arc;

/// A world with default parameters, untreated knobs and fixed streams, and a schedule holding
/// `systems` (ambiguity detection on).
pub fn one_system_world<M>(
    systems: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>,
) -> (World, Schedule) {
    let world = world_with_rules(&Params::default(), &steady(), Streams::new(42, 0));
    let mut schedule = Schedule::default();
    schedule.set_build_settings(ScheduleBuildSettings { ambiguity_detection: LogLevel::Error, ..Default::default() });
    schedule.add_systems(systems);
    (world, schedule)
}

/// A cell with the given mitochondria and ROS.
pub fn cell(id: u64, bytes: Vec<u8>, ros: f64) -> impl Bundle {
    (CellId(id), Mitochondria::Individual(bytes), MitoReadout { atp: 0.6, depolarised: 0.1, ros, mitophagy: 0.5 })
}

/// A plausible steady state for fate tests.
pub fn steady() -> SteadyState {
    SteadyState {
        depolarised: 0.1,
        atp: 0.6,
        ros: 0.5,
        mitophagy: 0.5,
        p_diff: 0.5,
        mitochondria_per_cell: 100.0,
        reservoir: Arc::new(vec![]),
    }
}

/// Intact bone: matrix 100, mineral 95, no osteoid.
pub fn bone() -> Bone {
    Bone { matrix: 100.0, osteoid: 0.0, mineral: 95.0, resorbed: 0.0, formed: 0.0 }
}

/// A fresh BMU with `osteoblasts`.
pub fn bmu(osteoblasts: u32) -> Bmu {
    Bmu::new(osteoblasts)
}

/// Fill the census by hand (one entry per site) and set `sites` to match, in the run's parameters
/// and in today's knobs.
pub fn set_census(world: &mut World, osteoclasts: Vec<u32>, activity: Vec<f64>, precursors: Vec<u32>) {
    assert!(osteoclasts.len() == activity.len() && activity.len() == precursors.len());
    let sites = osteoclasts.len() as u32;
    world.resource_mut::<ScenarioRules>().params.sites = sites;
    world.resource_mut::<Knobs>().params.sites = sites;
    *world.resource_mut::<SiteCensus>() = SiteCensus { osteoclasts, activity, precursors };
}

/// Entities carrying component `C`.
pub fn count<C: Component>(world: &mut World) -> usize {
    world.query_filtered::<(), With<C>>().iter(world).count()
}

/// Run `schedule` `n` times, advancing `Clock.step` (which keys the streams) after each run.
pub fn run_steps(world: &mut World, schedule: &mut Schedule, n: u64) {
    for _ in 0..n {
        schedule.run(world);
        world.resource_mut::<Clock>().step += 1;
    }
}
