//! Ensembles: every (scenario, replicate) run of a config, in parallel with rayon, merged in
//! canonical order (scenarios as in the config, replicates ascending). A run's result depends only
//! on the config, the seed and the replicate, never on the thread, shard or order that ran it.
//!
//! The work is split into [`Unit`]s, one per scenario (at one sweep point) and replicate, numbered
//! `index = scenario · replicates + replicate` in canonical order (docs/model.md §6). A [`Shard`]
//! `i/n` owns the units with `index % n == i`; [`run_units`] runs any set of units and hands each
//! result over as it finishes, so a run can keep them on disk (`crate::units`).
//!
//! Every scenario is measured against one untreated reference, the config's `[params]`
//! (docs/model.md §1.4): its mitochondrial steady state (D0, A0, p_diff0) is computed once and shared,
//! so a scenario that changes a mitochondrial parameter shows its effect on fates instead of
//! having it normalised away.

use crate::Error;
use crate::config::posterior::PER_DRAW;
use crate::config::{Config, Intervention, Posterior, Scenario, Value};
use crate::model::streams::mix;
use crate::model::{Process, SteadyState, Streams};
use crate::record::RunRecord;
use crate::sim::{Setup, Simulation};
use crate::steady_state;
use rand::RngExt;
use rayon::prelude::*;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

mod unit;
pub use unit::{Shard, Unit, unit_count, units};

/// The results of a whole config.
#[derive(Debug)]
pub struct Ensemble {
    pub runs: Vec<RunRecord>,
    /// The untreated reference's mitochondrial steady state, shared by every scenario.
    pub untreated_state: SteadyState,
}

/// Below this baseline differentiation probability precursors practically never fuse; such a
/// parameter set is refused rather than simulated.
pub const MIN_P_DIFF: f64 = 1e-4;

/// The untreated reference of `config`, or why it cannot be simulated.
pub fn untreated_state(config: &Config) -> Result<SteadyState, Error> {
    let st = steady_state::untreated(&config.reference);
    if st.p_diff.is_nan() || st.p_diff < MIN_P_DIFF {
        return Err(Error::Model(format!(
            "the untreated differentiation probability of [params] is {:.2e} (ROS {:.3}, ATP {:.3}); precursors would never fuse: check the diff_* and mitochondrial parameters",
            st.p_diff, st.ros, st.atp
        )));
    }
    Ok(st)
}

/// The seed whose streams `config.scenarios[scenario]` draws from: the master seed under common
/// random numbers (replicate r shares its streams across scenarios), otherwise the master seed
/// mixed with the scenario's index, so every scenario's streams are independent.
pub fn stream_seed(config: &Config, scenario: usize) -> u64 {
    if config.comparison.common_random_numbers {
        config.seed
    } else {
        mix(config.seed ^ mix(0x5CE7_A210 ^ scenario as u64))
    }
}

/// Cell steps of `scenario`'s spin-up and of its recorded period.
fn steps(config: &Config, scenario: &Scenario) -> (u64, u64) {
    let dt = scenario.params.dt_days;
    ((config.spinup_days / dt).round() as u64, (config.days / dt).round() as u64)
}

/// Cell steps the whole ensemble takes: what `steps_done` of [`run`] counts up to.
pub fn total_steps(config: &Config) -> u64 {
    steps_of(config, &units(config).collect::<Vec<_>>())
}

/// The scenario whose spin-up `config.scenarios[s]` shares: the first scenario whose spin-up is
/// identical to its own under common random numbers (the same parameters and the same
/// interventions before day 0, none of its others starting before day 0), or `s` itself.
/// Scenarios of one group start from one [`DayZero`](crate::sim::DayZero) per replicate.
pub fn spinup_group(config: &Config, s: usize) -> usize {
    let before_day_zero = |i: usize| {
        let scenario = &config.scenarios[i];
        let early: Vec<&Intervention> = scenario.interventions.iter().filter(|v| v.start_day < 0.0).collect();
        (&scenario.params, early)
    };
    if !config.comparison.common_random_numbers {
        return s;
    }
    let own = before_day_zero(s);
    (0..s).find(|&i| before_day_zero(i) == own).unwrap_or(s)
}

/// Units that start from one day 0: `units` (in canonical order) grouped by spin-up group and
/// replicate, each group in the order of its first unit.
fn tasks(config: &Config, units: &[Unit]) -> Vec<Vec<Unit>> {
    let groups: Vec<usize> = (0..config.scenarios.len()).map(|s| spinup_group(config, s)).collect();
    let mut tasks: Vec<Vec<Unit>> = Vec::new();
    let mut at = std::collections::HashMap::new();
    for u in units {
        let key = (groups[u.scenario], u.replicate);
        let i = *at.entry(key).or_insert_with(|| {
            tasks.push(Vec::new());
            tasks.len() - 1
        });
        tasks[i].push(*u);
    }
    tasks
}

/// Spin up the group of `task`'s units once at their replicate, then run each unit's scenario
/// from that day 0, handing each record to `done`; once `stop` is raised no further unit starts.
fn run_task(
    config: &Config,
    reference: &SteadyState,
    task: &[Unit],
    steps_done: &AtomicU64,
    stop: &AtomicBool,
    mut done: impl FnMut(&Unit, RunRecord) -> Result<(), Error>,
) -> Result<u64, Error> {
    let Some(first) = task.first() else { return Ok(0) };
    let start = Instant::now();
    // With a posterior, the replicate's draw (the same in every scenario, so a group's spin-ups
    // stay identical) sets θ in each scenario it runs.
    // In a virtual trial the replicate is a patient, the same in every scenario, drawn after it.
    let drawn = |s: usize| {
        let scenario = match &config.posterior {
            Some(p) => std::borrow::Cow::Owned(posterior_draw(p, &config.scenarios[s], config.seed, first.replicate)),
            None => std::borrow::Cow::Borrowed(&config.scenarios[s]),
        };
        match &config.population {
            Some(population) => {
                let params = crate::patients::patient(population, &scenario.params, config.seed, first.replicate);
                std::borrow::Cow::Owned(Scenario { params, ..scenario.into_owned() })
            }
            None => scenario,
        }
    };
    let setup = Setup { law: config.bone_law, reference: &config.reference, steady: reference };
    let group = spinup_group(config, first.scenario);
    let streams = Streams::new(stream_seed(config, group), first.replicate);
    let mut spun = Simulation::new(setup, &drawn(group), streams, config.spinup_days);
    spun.spin_up(steps_done);
    let day_zero = spun.day_zero();
    let spinup_share = start.elapsed().as_secs_f64() / task.len() as f64;
    let mut finished = 0;
    for u in task {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let start = Instant::now();
        let scenario = drawn(u.scenario);
        let streams = Streams::new(stream_seed(config, u.scenario), u.replicate);
        let sim = Simulation::from_day_zero(setup, &scenario, streams, &day_zero);
        let record = sim.record(config.days, config.record_every_days, steps_done);
        let record = RunRecord {
            scenario: scenario.name.clone(),
            replicate: u.replicate,
            seed: streams.seed(),
            wall_seconds: spinup_share + start.elapsed().as_secs_f64(),
            ..record
        };
        done(u, record)?;
        finished += 1;
    }
    Ok(finished)
}

/// `scenario` with the θ replicate `replicate` draws from `posterior`: particle j ~ w from the
/// stream (seed, ⌊replicate / PER_DRAW⌋, [`Process::Posterior`]), the same in every scenario
/// (config/posterior.rs).
pub fn posterior_draw(posterior: &Posterior, scenario: &Scenario, seed: u64, replicate: u32) -> Scenario {
    let mut rng = Streams::new(seed, replicate / PER_DRAW).stream(Process::Posterior, 0, 0);
    let u: f64 = rng.random();
    let mut cumulative = 0.0;
    let last = posterior.particles.len().saturating_sub(1);
    let j = posterior.particles.iter().position(|(w, _)| {
        cumulative += w;
        u < cumulative
    });
    let mut s = scenario.clone();
    if let Some((_, theta)) = posterior.particles.get(j.unwrap_or(last)) {
        for (k, &x) in posterior.parameters.iter().zip(theta) {
            // Every particle was checked against every scenario when the config was read.
            let _ = s.params.set(k, Value::Float(x));
        }
    }
    s
}

/// Cell steps the given units take in all, each group's spin-up counted once per replicate:
/// what `steps_done` of [`run_units`] counts up to.
pub fn steps_of(config: &Config, units: &[Unit]) -> u64 {
    let of = |u: &Unit| steps(config, &config.scenarios[u.scenario]);
    tasks(config, units).iter().map(|task| of(&task[0]).0 + task.iter().map(|u| of(u).1).sum::<u64>()).sum()
}

/// A pool of `threads` worker threads.
fn pool(threads: usize) -> Result<rayon::ThreadPool, Error> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {threads} threads: {e}")))
}

/// Run every scenario × replicate of `config` on `threads` threads, in memory. Every run adds its
/// cell steps to `steps_done` as it goes, up to [`total_steps`] in all: watch it from another
/// thread for progress reports.
pub fn run(config: &Config, threads: usize, steps_done: &AtomicU64) -> Result<Ensemble, Error> {
    let reference = untreated_state(config)?;
    let all: Vec<Unit> = units(config).collect();
    let runs = std::sync::Mutex::new(vec![None; all.len()]);
    run_units(config, &reference, &all, threads, steps_done, &AtomicBool::new(false), |u, r| {
        runs.lock().map_err(|_| Error::Runtime("a worker thread failed".into()))?[u.index as usize] = Some(r);
        Ok(())
    })?;
    let runs = runs.into_inner().map_err(|_| Error::Runtime("a worker thread failed".into()))?;
    Ok(Ensemble { runs: runs.into_iter().flatten().collect(), untreated_state: reference })
}

/// How far [`run_units`] got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// Units run and handed over.
    pub finished: u64,
    /// `stop` was raised before every unit had started: the rest were left.
    pub stopped: bool,
}

/// Run `units` on `threads` threads, handing each result to `done` as soon as it is finished (in
/// no particular order). Once `stop` is raised no further unit starts; those already running
/// finish and are handed over. The first error of `done` stops the run and is returned.
pub fn run_units(
    config: &Config,
    reference: &SteadyState,
    units: &[Unit],
    threads: usize,
    steps_done: &AtomicU64,
    stop: &AtomicBool,
    done: impl Fn(&Unit, RunRecord) -> Result<(), Error> + Sync,
) -> Result<Progress, Error> {
    let finished = AtomicU64::new(0);
    let tasks = tasks(config, units);
    pool(threads)?.install(|| {
        tasks.par_iter().with_max_len(1).try_for_each(|task| -> Result<(), Error> {
            if stop.load(Ordering::SeqCst) {
                return Ok(());
            }
            let n = run_task(config, reference, task, steps_done, stop, &done)?;
            finished.fetch_add(n, Ordering::Relaxed);
            Ok(())
        })
    })?;
    let finished = finished.into_inner();
    Ok(Progress { finished, stopped: finished < units.len() as u64 })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use std::sync::atomic::Ordering;

    /// Draws follow the posterior's weights (a 1 : 3 posterior, 4000 draws: within 4 standard
    /// errors), pairs of replicates share a draw, and the draw sets θ in the scenario.
    #[test]
    fn posterior_draws_follow_the_weights_in_pairs() {
        let posterior = Posterior {
            file: String::new(),
            hash: String::new(),
            parameters: vec!["estrogen_loss_rankl"],
            particles: vec![(0.25, vec![1.25]), (0.75, vec![3.5])],
        };
        let scenario = config("days = 3\n[params]\nsites = 2\n").scenarios[0].clone();
        let theta = |r: u32| match posterior_draw(&posterior, &scenario, 11, r).params.get("estrogen_loss_rankl") {
            Some(Value::Float(x)) => x,
            other => panic!("{other:?}"),
        };
        let n = 4000u32;
        let low = (0..n).filter(|g| theta(g * PER_DRAW) == 1.25).count() as f64 / f64::from(n);
        let se = (0.25f64 * 0.75 / f64::from(n)).sqrt();
        assert!((low - 0.25).abs() < 4.0 * se, "{low}");
        assert!((0..n).all(|g| theta(g * PER_DRAW) == theta(g * PER_DRAW + 1)));
    }

    #[test]
    fn steps_done_counts_up_to_total_steps() {
        let text = "replicates = 2\ndays = 3\nspinup_days = 1\n[params]\nsites = 2\n[[scenario]]\nname = \"a\"\n\
                    [[scenario]]\nname = \"b\"\n[scenario.params]\ndt_days = 0.25\n";
        let config = Config::parse("test", text, &Overrides::default()).expect("valid");
        let steps = AtomicU64::new(0);
        run(&config, 2, &steps).expect("runs");
        assert_eq!(total_steps(&config), 2 * (40 + 16));
        assert_eq!(steps.load(Ordering::Relaxed), total_steps(&config));
    }

    fn config(text: &str) -> Config {
        Config::parse("test", text, &Overrides::default()).expect("valid")
    }

    #[test]
    fn units_number_scenarios_then_replicates_and_shards_split_them_exactly() {
        let c = config("replicates = 3\ndays = 1\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n");
        let all: Vec<Unit> = units(&c).collect();
        assert_eq!(all.len(), 6);
        assert_eq!(all[4], Unit { index: 4, scenario: 1, replicate: 1 });
        assert_eq!(all[4].id(), "000004");
        for n in 1..=7 {
            for u in &all {
                let owners = (0..n).filter(|&i| Shard::new(i, n).expect("shard").owns(u)).count();
                assert_eq!(owners, 1, "unit {} under {n} shards", u.index);
            }
        }
    }

    #[test]
    fn shards_parse_as_i_of_n() {
        assert_eq!("2/5".parse::<Shard>(), Ok(Shard { index: 2, count: 5 }));
        assert_eq!(Shard { index: 2, count: 5 }.to_string(), "2/5");
        for bad in ["5/5", "0/0", "1", "-1/3", "a/b", "1/2/3", ""] {
            let e = bad.parse::<Shard>().expect_err(bad);
            assert!(!e.is_empty());
        }
    }

    #[test]
    fn a_raised_stop_starts_no_unit_and_results_do_not_depend_on_the_set_run() {
        let c = config("replicates = 2\ndays = 2\n[params]\nsites = 2\n");
        let reference = untreated_state(&c).expect("untreated state");
        let all: Vec<Unit> = units(&c).collect();
        let steps = AtomicU64::new(0);
        let stopped = run_units(&c, &reference, &all, 2, &steps, &AtomicBool::new(true), |_, _| Ok(())).expect("ok");
        assert_eq!(stopped, Progress { finished: 0, stopped: true });
        let got = std::sync::Mutex::new(Vec::new());
        let only_last = &all[1..];
        let progress = run_units(&c, &reference, only_last, 1, &steps, &AtomicBool::new(false), |u, r| {
            got.lock().expect("lock").push((u.index, r));
            Ok(())
        })
        .expect("ok");
        assert_eq!(progress, Progress { finished: 1, stopped: false });
        let whole = run(&c, 2, &steps).expect("whole");
        let (index, alone) = got.into_inner().expect("lock").pop().expect("one");
        assert_eq!(index, 1);
        assert_eq!(alone.samples, whole.runs[1].samples, "a unit run alone differs from the same unit in the ensemble");
    }

    #[test]
    fn a_run_from_a_shared_day_zero_is_the_run_with_its_own_spin_up() {
        // Two scenarios sharing their spin-up, each run as a unit of the ensemble (from the
        // group's day 0) and alone with its own spin-up straight through, replicate by replicate.
        let c = config(
            "replicates = 4\ndays = 60\nspinup_days = 90\nrecord_every_days = 30\n[params]\nsites = 30\n\
             precursor_pool_cells = 6\n[[scenario]]\nname = \"a\"\n[[scenario]]\nname = \"b\"\n\
             [[scenario.intervention]]\nkind = \"estrogen_loss\"\nstart_day = 0\n",
        );
        assert_eq!(spinup_group(&c, 1), 0);
        let steps = AtomicU64::new(0);
        let shared = run(&c, 2, &steps).expect("runs");
        assert_eq!(steps.load(Ordering::Relaxed), total_steps(&c), "each spin-up counted once");
        assert_eq!(total_steps(&c), 4 * (900 + 2 * 600));
        let reference = untreated_state(&c).expect("untreated state");
        let setup = Setup { law: c.bone_law, reference: &c.reference, steady: &reference };
        for u in units(&c) {
            let streams = Streams::new(stream_seed(&c, u.scenario), u.replicate);
            let alone =
                Simulation::new(setup, &c.scenarios[u.scenario], streams, c.spinup_days).run(c.days, 30.0, &steps);
            let from_day_zero = &shared.runs[u.index as usize];
            // Debug prints every float exactly (and NaN as NaN, which == would not match).
            let run = |r: &RunRecord| format!("{:?} {:?}", r.samples, r.biopsy);
            assert_eq!(run(from_day_zero), run(&alone), "unit {}", u.index);
        }
    }
}
