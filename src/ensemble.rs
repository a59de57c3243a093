//! Ensembles: every (scenario, replicate) run of a config, in parallel with rayon, merged in
//! canonical order (scenarios as in the config, replicates ascending). A run's result depends only
//! on the config, the seed and the replicate, never on the thread that ran it.
//!
//! Every scenario is measured against one untreated reference, the config's `[params]`
//! (DESIGN.md §1.4): its mitochondrial steady state (D0, A0, p_diff0) is computed once and shared,
//! so a scenario that changes a mitochondrial parameter shows its effect on fates instead of
//! having it normalised away.

use crate::Error;
use crate::config::{Config, Scenario};
use crate::model::streams::mix;
use crate::model::{SteadyState, Streams};
use crate::record::RunRecord;
use crate::sim::{Setup, Simulation};
use crate::steady_state;
use rayon::prelude::*;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

/// The results of a whole config.
pub struct Ensemble {
    pub runs: Vec<RunRecord>,
    /// The untreated reference's mitochondrial steady state, shared by every scenario.
    pub reference: SteadyState,
}

/// Below this baseline differentiation probability precursors practically never fuse; such a
/// parameter set is refused rather than simulated.
pub const MIN_P_DIFF: f64 = 1e-4;

/// The untreated reference of `config`, or why it cannot be simulated.
pub fn reference(config: &Config) -> Result<SteadyState, Error> {
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

/// Cell steps one run of `scenario` takes, spin-up included (as [`Simulation::run`] counts them).
pub fn steps_per_run(config: &Config, scenario: &Scenario) -> u64 {
    let dt = scenario.params.dt_days;
    (config.spinup_days / dt).round() as u64 + (config.days / dt).round() as u64
}

/// Cell steps the whole ensemble takes: what `steps_done` of [`run`] counts up to.
pub fn total_steps(config: &Config) -> u64 {
    config.scenarios.iter().map(|s| steps_per_run(config, s) * u64::from(config.replicates)).sum()
}

/// Run one replicate of `config.scenarios[s]`, adding its steps to `steps_done` as it goes.
pub fn run_one(
    config: &Config,
    s: usize,
    reference: &SteadyState,
    replicate: u32,
    steps_done: &AtomicU64,
) -> RunRecord {
    let start = Instant::now();
    let scenario = &config.scenarios[s];
    let streams = Streams::new(stream_seed(config, s), replicate);
    let setup = Setup { law: config.bone_law, reference: &config.reference, steady: reference };
    let sim = Simulation::new(setup, scenario, streams, config.spinup_days);
    let record = sim.run(config.days, config.record_every_days, steps_done);
    RunRecord {
        scenario: scenario.name.clone(),
        replicate,
        seed: streams.seed(),
        wall_seconds: start.elapsed().as_secs_f64(),
        ..record
    }
}

/// Run every scenario × replicate of `config` on `threads` threads. Every run adds its cell
/// steps to `steps_done` as it goes, up to [`total_steps`] in all: watch it from another thread
/// for progress reports.
pub fn run(config: &Config, threads: usize, steps_done: &AtomicU64) -> Result<Ensemble, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {threads} threads: {e}")))?;
    pool.install(|| {
        let reference = reference(config)?;
        // The units of work, (scenario, replicate) with the scenario index running over every
        // sweep point: unit u = s · replicates + r (DESIGN.md §6).
        let jobs: Vec<(usize, u32)> =
            (0..config.scenarios.len()).flat_map(|s| (0..config.replicates).map(move |r| (s, r))).collect();
        let runs = jobs.par_iter().map(|&(s, r)| run_one(config, s, &reference, r, steps_done)).collect();
        Ok(Ensemble { runs, reference })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use std::sync::atomic::Ordering;

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
}
