//! Tiny hand-built worlds for the process unit tests.

use crate::config::Params;
use crate::model::{CellId, Clock, Counters, MitoReadout, Mitochondria, MitophagyCount, SiteCensus, SteadyState, Streams};
use crate::processes::interventions::untreated;
use bevy_ecs::prelude::{Bundle, IntoScheduleConfigs, Schedule, World};
use bevy_ecs::schedule::{ScheduleBuildSettings, LogLevel};
use std::sync::Arc;

/// A world with default parameters, untreated knobs and fixed streams, and a schedule holding
/// `systems` (ambiguity detection on).
pub fn one_system_world<M>(systems: impl IntoScheduleConfigs<bevy_ecs::system::ScheduleSystem, M>) -> (World, Schedule) {
    let params = Params::default();
    let mut world = World::new();
    world.insert_resource(untreated(&params));
    world.insert_resource(params);
    world.insert_resource(Clock::default());
    world.insert_resource(Streams::new(42, 0));
    world.insert_resource(Counters::default());
    world.insert_resource(MitophagyCount::default());
    world.insert_resource(SiteCensus::default());
    world.insert_resource(steady());
    let mut schedule = Schedule::default();
    schedule.set_build_settings(ScheduleBuildSettings { ambiguity_detection: LogLevel::Error, ..Default::default() });
    schedule.add_systems(systems);
    (world, schedule)
}

/// A cell with the given mitochondria and ROS.
pub fn cell(id: u64, units: Vec<u8>, ros: f64) -> impl Bundle {
    (CellId(id), Mitochondria { units }, MitoReadout { atp: 0.6, depolarised: 0.1, ros })
}

/// A plausible steady state for fate tests.
pub fn steady() -> SteadyState {
    SteadyState { depolarised: 0.1, atp: 0.6, ros: 0.5, p_diff: 0.5, mitochondria_per_cell: 100.0, reservoir: Arc::new(vec![]) }
}
