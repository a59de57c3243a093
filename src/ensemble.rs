//! Ensembles: every (scenario, replicate) run of a config, in parallel with rayon, merged in
//! canonical order (scenarios as in the config, replicates ascending). A run's result depends only
//! on the config, the seed and the replicate, never on the thread that ran it.

use crate::config::{Config, Scenario};
use crate::model::{SteadyState, Streams};
use crate::record::RunRecord;
use crate::sim::Simulation;
use crate::steady_state;
use crate::Error;
use rayon::prelude::*;
use std::time::Instant;

/// The results of a whole config.
pub struct Ensemble {
    pub runs: Vec<RunRecord>,
    /// The untreated mitochondrial steady state of each scenario, in config order.
    pub steady: Vec<SteadyState>,
}

/// Below this baseline differentiation probability precursors practically never fuse; such a
/// parameter set is refused rather than simulated.
pub const MIN_P_DIFF: f64 = 1e-4;

/// Run one replicate of one scenario.
pub fn run_one(config: &Config, scenario: &Scenario, steady: &SteadyState, replicate: u32) -> RunRecord {
    let start = Instant::now();
    let streams = Streams::new(config.seed, replicate);
    let sim = Simulation::new(scenario, steady, streams, config.spinup_days);
    let (samples, counters) = sim.run(config.days, config.record_every_days);
    RunRecord {
        scenario: scenario.name.clone(),
        replicate,
        seed: streams.seed(),
        samples,
        bmus_started: counters.bmus_started,
        bmus_completed: counters.bmus_completed,
        osteoclasts_formed: counters.osteoclasts_formed,
        osteoclasts_died: counters.osteoclasts_died,
        wall_seconds: start.elapsed().as_secs_f64(),
    }
}

/// Run every scenario × replicate of `config` on `threads` threads. `on_done` is called after
/// each run (in completion order, for progress reports only).
pub fn run(config: &Config, threads: usize, on_done: &(dyn Fn(&RunRecord) + Sync)) -> Result<Ensemble, Error> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.max(1))
        .build()
        .map_err(|e| Error::Runtime(format!("cannot start {threads} threads: {e}")))?;
    pool.install(|| {
        let steady: Vec<SteadyState> = config.scenarios.par_iter().map(|s| steady_state::untreated(&s.params)).collect();
        for (s, st) in config.scenarios.iter().zip(&steady) {
            if st.p_diff.is_nan() || st.p_diff < MIN_P_DIFF {
                return Err(Error::Model(format!(
                    "scenario `{}`: the untreated differentiation probability is {:.2e} (ROS {:.3}, ATP {:.3}); precursors would never fuse: check the diff_* and mitochondrial parameters",
                    s.name, st.p_diff, st.ros, st.atp
                )));
            }
        }
        let jobs: Vec<(usize, u32)> =
            (0..config.scenarios.len()).flat_map(|s| (0..config.replicates).map(move |r| (s, r))).collect();
        let runs = jobs
            .par_iter()
            .map(|&(s, r)| {
                let record = run_one(config, &config.scenarios[s], &steady[s], r);
                on_done(&record);
                record
            })
            .collect();
        Ok(Ensemble { runs, steady })
    })
}
