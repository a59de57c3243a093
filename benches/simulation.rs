//! Speed of the mitochondrial kernel and of the whole model. Run: `cargo bench --bench simulation`
//! (figures and how to read them: docs/performance.md). Throughputs are mitochondrion-updates
//! (mitochondria × sub-steps).
//!
//! - `kernel/exact`: one 3-hour cell step of the exact process (the default) on the same 1000
//!   steady-state cells (no throughput: its work is events, ~106 per cell here).
//! - `kernel/pooled`: the same with fusion's fast limit (`fusion_instant`), run on the pooled state.
//! - `kernel/{ecs,plain_loop}`: one cell step of the sub-step scheme (three hourly sub-steps, all six rules) of 1000
//!   steady-state cells × ~108 mitochondria on one thread: through the bevy_ecs system, and as a plain
//!   loop over a `Vec` of cells calling the same per-cell function with the same streams.
//! - `cell_step/{individual,counts}/N`: the same system at N mitochondria per cell (cells × N ≈ 10⁶
//!   mitochondria), in each representation, on one thread: where the count representation overtakes.
//! - `threads/{1,2}`: the system on 10⁴ cells × 1000 mitochondria, on one and two threads.
//! - `ensemble/{1,2}`: eight replicates of a 100-site tissue for 60 days, on one and two threads.
//! - `fixed_cost/step`: one whole cell step of a one-site tissue whose only cell is one circulating
//!   precursor with one mitochondrion: the per-step schedule overhead.
//! - `tissue/year`: one simulated year of a 200-site tissue at baseline parameters.

use bevy_ecs::prelude::*;
use bmu_sim::config::{BoneLaw, Config, Hypothesis, Params, Scenario};
use bmu_sim::model::{CellId, Knobs, MitoReadout, Mitochondria, Streams};
use bmu_sim::processes::mitochondria::{Rules, Scratch, fresh, readout, step_cell};
use bmu_sim::sim::{Setup, Simulation, mitochondrial_schedule, world_with_rules};
use bmu_sim::{ensemble, steady_state};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The sub-step scheme at hourly sub-steps, three per 3-hour cell step.
fn hourly(mitochondria_per_cell: u32, count_from: u32) -> Params {
    Params {
        dt_days: 0.125,
        mito_exact: false,
        mitochondria_per_cell,
        count_mitochondria_from: count_from,
        ..Params::default()
    }
}

fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("thread pool")
}

/// `cells` cells: copies of the steady-state reservoir, or fresh cells when `steady` is false.
fn cell_world(params: &Params, cells: usize, steady: bool) -> (World, u64) {
    let small = Params { mitochondria_per_cell: 10, ..params.clone() };
    let st = steady_state::untreated(if steady { params } else { &small });
    let mut world = world_with_rules(params, &st, Streams::new(1, 0));
    let knobs = Knobs::untreated(params);
    let mut mitochondria = 0;
    for i in 0..cells {
        let m = if steady { st.reservoir[i % st.reservoir.len()].clone() } else { fresh(params) };
        mitochondria += m.len() as u64;
        world.spawn((CellId(i as u64), readout::read(&m, &knobs), m));
    }
    (world, mitochondria * u64::from(params.mito_substeps().0))
}

fn kernel(c: &mut Criterion) {
    let params = hourly(100, u32::MAX);
    let (mut world, updates) = cell_world(&params, 1000, true);
    let mut g = c.benchmark_group("kernel");
    g.throughput(Throughput::Elements(updates));
    let one = pool(1);
    let mut schedule = mitochondrial_schedule();
    g.bench_function("ecs", |b| b.iter(|| one.install(|| schedule.run(&mut world))));
    let streams = Streams::new(1, 0);
    let rules = Rules::new(&Knobs::untreated(&params));
    let mut cells: Vec<(u64, Mitochondria, MitoReadout)> = world
        .query::<(&CellId, &Mitochondria, &MitoReadout)>()
        .iter(&world)
        .map(|(id, m, r)| (id.0, m.clone(), *r))
        .collect();
    let mut scratch = Scratch::default();
    let mut step = 0;
    g.bench_function("plain_loop", |b| {
        b.iter(|| {
            let mut removed = 0;
            for (id, m, r) in cells.iter_mut() {
                removed += step_cell(&rules, &streams, *id, step, (m, r), &mut scratch);
            }
            step += u64::from(rules.substeps);
            black_box(removed)
        })
    });
    g.finish();
}

/// The exact process (the default) on the same 1000 steady-state cells, one 3-hour cell step,
/// and the same in fusion's fast limit.
fn exact(c: &mut Criterion) {
    let one = pool(1);
    for (name, fusion_instant) in [("kernel/exact", false), ("kernel/pooled", true)] {
        let params = Params { mito_exact: true, fusion_instant, ..hourly(100, u32::MAX) };
        let (mut world, _) = cell_world(&params, 1000, true);
        let mut schedule = mitochondrial_schedule();
        c.bench_function(name, |b| b.iter(|| one.install(|| schedule.run(&mut world))));
    }
}

fn cell_step(c: &mut Criterion) {
    let mut g = c.benchmark_group("cell_step");
    g.sample_size(20);
    let one = pool(1);
    for n in [100u32, 300, 1000, 3000, 10_000] {
        for (name, count_from) in [("individual", u32::MAX), ("counts", 1)] {
            let params = hourly(n, count_from);
            let (mut world, updates) = cell_world(&params, (1_000_000 / n) as usize, false);
            let mut schedule = mitochondrial_schedule();
            // Two days to leave the all-healthy start.
            for _ in 0..16 {
                one.install(|| schedule.run(&mut world));
            }
            g.throughput(Throughput::Elements(updates));
            g.bench_function(BenchmarkId::new(name, n), |b| b.iter(|| one.install(|| schedule.run(&mut world))));
        }
    }
    g.finish();
}

fn threads(c: &mut Criterion) {
    let params = hourly(1000, u32::MAX);
    let (mut world, updates) = cell_world(&params, 10_000, false);
    let mut schedule = mitochondrial_schedule();
    let mut g = c.benchmark_group("threads");
    g.sample_size(10);
    g.throughput(Throughput::Elements(updates));
    for n in [1, 2] {
        let p = pool(n);
        g.bench_function(BenchmarkId::from_parameter(n), |b| b.iter(|| p.install(|| schedule.run(&mut world))));
    }
    g.finish();
}

fn ensembles(c: &mut Criterion) {
    let text = "seed = 1\nreplicates = 8\ndays = 60\nrecord_every_days = 30\nplots = false\n[params]\nsites = 100\ndt_days = 0.125\n";
    let config = Config::parse("bench", text, &Default::default()).expect("a valid config");
    let mut g = c.benchmark_group("ensemble");
    g.sample_size(10);
    for n in [1, 2] {
        g.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                black_box(ensemble::run(&config, n, &std::sync::atomic::AtomicU64::new(0)).expect("runs").runs.len())
            })
        });
    }
    g.finish();
}

/// An untreated scenario on `params`.
fn untreated_scenario(params: &Params) -> Scenario {
    Scenario {
        name: "bench".into(),
        description: String::new(),
        hypothesis: Hypothesis::default(),
        params: params.clone(),
        interventions: vec![],
    }
}

fn fixed_cost(c: &mut Criterion) {
    let params = Params {
        sites: 1,
        activation_per_site_per_year: 0.0,
        precursor_pool_cells: 1,
        mitochondria_per_cell: 1,
        ..Params::default()
    };
    let scenario = untreated_scenario(&params);
    let steady = steady_state::untreated(&params);
    let mut sim = Simulation::new(
        Setup { law: BoneLaw::Coupled, reference: &params, steady: &steady },
        &scenario,
        Streams::new(1, 0),
        0.0,
    );
    c.bench_function("fixed_cost/step", |b| b.iter(|| sim.step()));
}

fn tissue(c: &mut Criterion) {
    let params = Params { sites: 200, ..Params::default() };
    let scenario = untreated_scenario(&params);
    let steady = steady_state::untreated(&params);
    let mut g = c.benchmark_group("tissue");
    g.sample_size(10);
    g.bench_function("year", |b| {
        b.iter(|| {
            let mut sim = Simulation::new(
                Setup { law: BoneLaw::Coupled, reference: &params, steady: &steady },
                &scenario,
                Streams::new(1, 0),
                0.0,
            );
            for _ in 0..(365.0 / params.dt_days) as usize {
                sim.step();
            }
            black_box(sim.world_mut().entities().len())
        })
    });
    g.finish();
}

criterion_group!(benches, kernel, exact, cell_step, threads, ensembles, fixed_cost, tissue);
criterion_main!(benches);
