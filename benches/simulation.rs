//! Speed of the mitochondrial kernel and of the whole model. Run: `cargo bench --bench simulation`.
//!
//! - `mitochondria/substep`: one full mitochondrial sub-step (damage, fusion, PINK1/Parkin,
//!   receptors, biogenesis, readout) of 1000 cells × 100 units through the bevy_ecs schedule;
//!   throughput in mitochondrion-updates.
//! - `damage/ecs` vs `damage/plain_vec`: the damage rule alone, as the ECS system and as a plain
//!   loop over `Vec<Vec<u8>>` with the same streams and arithmetic: the ECS overhead ratio.
//! - `tissue/year`: one simulated year of a 200-site tissue at baseline parameters.

use bmu_sim::config::{BoneLaw, Hypothesis, Params, Scenario};
use bmu_sim::model::streams::{Hits, hazard_to_probability};
use bmu_sim::model::{CellId, Clock, MitoReadout, Mitochondria, Process, Streams};
use bmu_sim::processes::mitochondria::damage_mitochondria;
use bmu_sim::sim::{Setup, Simulation, mitochondrial_schedule, world_with_rules};
use bmu_sim::steady_state;
use bevy_ecs::prelude::*;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

const CELLS: usize = 1000;

fn cell_world(params: &Params) -> World {
    let steady = steady_state::untreated(params);
    let mut world = world_with_rules(params, &steady, Streams::new(1, 0));
    for (i, mito) in steady.reservoir.iter().cycle().take(CELLS).enumerate() {
        world.spawn((CellId(i as u64), mito.clone(), MitoReadout { atp: steady.atp, depolarised: steady.depolarised, ros: steady.ros }));
    }
    world
}

fn mitochondria(c: &mut Criterion) {
    let params = Params::default();
    let mut world = cell_world(&params);
    let units: usize = world.query::<&Mitochondria>().iter(&world).map(|m| m.units.len()).sum();
    let mut schedule = mitochondrial_schedule();
    let mut g = c.benchmark_group("mitochondria");
    g.throughput(Throughput::Elements(units as u64));
    g.bench_function("substep", |b| {
        b.iter(|| {
            schedule.run(&mut world);
            world.resource_mut::<Clock>().mito_step += 1;
        })
    });
    g.finish();

    let mut g = c.benchmark_group("damage");
    g.throughput(Throughput::Elements(units as u64));
    let mut world = cell_world(&params);
    let mut damage = Schedule::default();
    damage.add_systems(damage_mitochondria);
    g.bench_function("ecs", |b| {
        b.iter(|| {
            damage.run(&mut world);
            world.resource_mut::<Clock>().mito_step += 1;
        })
    });
    let mut cells: Vec<(u64, Vec<u8>, f64)> = world
        .query::<(&CellId, &Mitochondria, &MitoReadout)>()
        .iter(&world)
        .map(|(id, m, r)| (id.0, m.units.clone(), r.ros))
        .collect();
    let streams = Streams::new(1, 0);
    let (_, dt) = params.mito_substeps();
    let mut step = 0u64;
    g.bench_function("plain_vec", |b| {
        b.iter(|| {
            for (id, units, ros) in cells.iter_mut() {
                let rate = params.damage_per_day * (1.0 + params.damage_ros_gain * *ros);
                let mut rng = streams.stream(Process::Damage, *id, step);
                for i in Hits::new(&mut rng, units.len(), hazard_to_probability(rate, dt)) {
                    units[i] -= u8::from(Mitochondria::health(units[i]) > 0);
                }
            }
            step += 1;
            black_box(&cells);
        })
    });
    g.finish();
}

fn tissue(c: &mut Criterion) {
    let params = Params { sites: 200, ..Params::default() };
    let scenario = Scenario {
        name: "bench".into(),
        description: String::new(),
        hypothesis: Hypothesis::default(),
        params: params.clone(),
        interventions: vec![],
    };
    let steady = steady_state::untreated(&params);
    let mut g = c.benchmark_group("tissue");
    g.sample_size(10);
    g.bench_function("year", |b| {
        b.iter(|| {
            let setup = Setup { law: BoneLaw::Coupled, reference: &params, steady: &steady };
            let mut sim = Simulation::new(setup, &scenario, Streams::new(1, 0), 0.0);
            for _ in 0..(365.0 / params.dt_days) as usize {
                sim.step();
            }
            black_box(sim.world_mut().entities().len())
        })
    });
    g.finish();
}

criterion_group!(benches, mitochondria, tissue);
criterion_main!(benches);
