//! What a config will cost before it runs: wall time, peak memory and output size, so that
//! `bmu-sim validate` can print them and `bmu-sim run` can refuse what this machine cannot finish
//! ([`Estimate::exceeds`]).
//!
//! A deliberately simple model of the current code. Per run (one scenario at one replicate), with
//! `m` = `mitochondria_per_cell`, `Ω` = `population_scale`, `T` = `spinup_days + days`:
//!
//! ```text
//! all     = sites + cortical_sites                             every site, cancellous and cortical
//! cells   = CELLS_PER_SITE · (sites + r_cort · cortical_sites) · Ω + K   osteoclasts and precursors
//!                                                              at sites, and the K circulating ones
//! per_day = EXACT_CELL_DAY + m · EXACT_MITO_DAY (· INSTANT_FUSION)   one cell-day, exact process
//!                                                              (with `fusion_instant`)
//!         = subs_per_day · (CELL_SUBSTEP + m · MITO_UPDATE)    with sub-steps (`mito_exact = false`)
//! cpu     = T/dt_days · all · SITE_STEP  +  T · cells · per_day
//!         (+ once per scenario: STEADY_STATE_CELL_DAYS · per_day)
//! wall    = max(Σ cpu / (min(threads, runs) · PARALLEL_EFFICIENCY), the costliest run)
//! world   = all · SITE_BYTES + cells · (CELL_BYTES + m · MITO_BYTES)
//! peak    = BASE_BYTES + min(threads, runs) · largest world + runs · samples · SAMPLE_BYTES
//! output  = all_runs · samples · TIMESERIES_ROW_BYTES + scenarios · samples · metrics · SUMMARY_ROW_BYTES
//!         + (scenarios − references) · samples · metrics · EFFECT_ROW_BYTES
//!         + all_runs · RUNS_ROW_BYTES + FIXED_OUTPUT_BYTES
//!         + with plots: PLOT_BYTES + scenarios · samples · panels · PLOT_POINT_BYTES
//!                       (+ with more than MAX_BANDS scenarios: scenarios · panels · SMALL_PANEL_BYTES)
//! ```
//!
//! The output is the run directory as published, whatever share of the runs (a shard, what is
//! left to resume) the time and memory are estimated for: the shard or resumed run that finishes
//! last publishes all of it.
//!
//! A scenario that shares another's spin-up (`ensemble::spinup_group`) counts only its recorded
//! days in T. `samples` is the rows each run records (every `record_every_days`, plus day 0 and the last day);
//! `subs_per_day` the mitochondrial sub-steps per day (`mito_dt_hours`, see `Params::mito_substeps`);
//! a cortical site holds r_cort (`cortical_activation_ratio`, at most 1 counted) times a
//! cancellous site's cells, as it starts that many BMUs; K is `precursor_pool_cells`.
//!
//! **Calibration.** The constants were fitted to single-thread runs of this code on the project's
//! 2-core machine (`/usr/bin/time`: wall and peak RSS), each a variation of the embedded baseline
//! (Ω = 1, dt 0.125 d, hourly mitochondria) with one replicate and no spin-up unless said. The
//! time constants, on 2026-11-30: 200 sites × 1 year at m = 10, 100, 200 (0.49–0.52, 1.14–1.28,
//! 1.42–1.71 s, with 0.164–0.168 osteoclasts and precursors per site besides the 64 circulating
//! precursors: `MITO_UPDATE`, `CELL_SUBSTEP`, `CELLS_PER_SITE`); 1000 sites × 1 year (2.03–2.14 s);
//! one replicate of the baseline, 12 years on 1000 sites (19.2 s, estimated 20.3 s); 1 site × 1
//! day at m = 10, 100, 200 (0.13, 0.47, 0.61 s: the steady-state burn-in). Earlier: 200 sites ×
//! 1 year at Ω = 4 (4.8 s); 10⁵ and 10⁶ quiescent sites (`SITE_STEP`; 130 MB: `SITE_BYTES`);
//! 1000 sites opening a BMU at once (11 060 cells) at m = 100 and 1000 (8.9 and 29 MB:
//! `CELL_BYTES`, `MITO_BYTES`); the tables of those runs (row sizes). The exact process, on
//! 2026-12-07 (user time, the machine at load 5–7): 200 sites × 1 year at m = 10, 100, 200
//! (0.35, 1.77, 3.53 s: `EXACT_MITO_DAY`, `EXACT_CELL_DAY`); one replicate of the baseline (35.4 s,
//! estimated 37 s). With `fusion_instant`, on 2026-12-07 (one thread, one replicate, 3 years,
//! alternating): 11.1 and 10.2 s against 19.2 and 20.1 s without (`INSTANT_FUSION`).
//! Estimates of tissues like the baseline are within a factor of two; the limits only catch what
//! is far out of reach. Cell numbers assume the baseline tissue's turnover (2 activations per site and year): a tissue
//! without activation is overestimated (10⁶ quiescent sites for 2 days: 7 s and 204 MB estimated,
//! 0.6 s and 130 MB measured), and one opening every site at once (`pulse_at_start`, up to 11
//! cells per site and Ω at first) is underestimated (`configs/komarova2003.toml` at 4 replicates:
//! 0.9 s estimated, 4.5 s measured, as its pulse of ~4400 osteoclasts at one site dies out).
//!
//! **Recalibrating** after the model or its speed changes: run `bmu-sim run CONFIG --threads 1`
//! under `/usr/bin/time -v` for a few configs like those above, compare the wall time (also in
//! the run's `manifest.json`) and peak RSS with `bmu-sim validate CONFIG --threads 1`, and scale
//! the constant of the term that dominates each run (mitochondria: `MITO_UPDATE`; many cells with
//! few mitochondria: `CELL_SUBSTEP`; many quiescent sites: `SITE_STEP`).

use crate::config::Config;
use crate::ensemble::spinup_group;
use crate::record::METRICS;
use std::fmt;

/// Precursors and osteoclasts alive per site and unit of Ω, on average (0.164 in the baseline
/// tissue; the circulating precursors are counted apart).
pub const CELLS_PER_SITE: f64 = 0.165;
/// Seconds per site per cell step (activation, bone, observation).
pub const SITE_STEP: f64 = 30e-9;
/// Seconds per cell per mitochondrial sub-step, whatever its mitochondria (readout, schedule).
pub const CELL_SUBSTEP: f64 = 400e-9;
/// Seconds per mitochondrion per sub-step (damage, fusion, mitophagy, biogenesis).
pub const MITO_UPDATE: f64 = 4e-9;
/// The exact process (`mito_exact`): seconds per cell-day whatever its mitochondria (histogram,
/// readout, schedule), and per mitochondrion-day (~8.5 events, each O(H)).
pub const EXACT_CELL_DAY: f64 = 3e-6;
pub const EXACT_MITO_DAY: f64 = 0.3e-6;
/// The share of `EXACT_MITO_DAY` left when fusion runs in its fast limit (`fusion_instant`).
pub const INSTANT_FUSION: f64 = 0.5;
/// Cell-days of the untreated steady-state burn-in, once per scenario (200 cells × 60 days, see
/// `steady_state.rs`).
pub const STEADY_STATE_CELL_DAYS: f64 = 12_000.0;
/// Speed-up per thread when runs are spread over several threads.
pub const PARALLEL_EFFICIENCY: f64 = 0.9;
/// Bytes of the program itself (code, runtime, thread stacks in use).
pub const BASE_BYTES: f64 = 8e6;
/// Bytes per site (entity, bone, census).
pub const SITE_BYTES: f64 = 128.0;
/// Bytes per cell besides its mitochondria.
pub const CELL_BYTES: f64 = 210.0;
/// Bytes per mitochondrion (one byte each, with the vectors' spare capacity).
pub const MITO_BYTES: f64 = 2.0;
/// Bytes per recorded sample held in memory until the end of the ensemble.
pub const SAMPLE_BYTES: f64 = 16.0 * 8.0;
/// Bytes per row of `timeseries.csv` (measured 213–246).
pub const TIMESERIES_ROW_BYTES: f64 = 250.0;
/// Bytes per row of `summary.csv` (measured 76–88).
pub const SUMMARY_ROW_BYTES: f64 = 90.0;
/// Bytes per row of `runs.csv`.
pub const RUNS_ROW_BYTES: f64 = 64.0;
/// Bytes per row of `effects.csv` (measured 85).
pub const EFFECT_ROW_BYTES: f64 = 90.0;
/// Bytes of the manifest, the resolved config, the page and the tables' headers.
pub const FIXED_OUTPUT_BYTES: f64 = 15e3;
/// Bytes of the four figures (`bone_density`, `effects`, `cells`, `biopsy`) as SVG and PNG, and
/// of their copies inline in `index.html`, whatever the run (fitted to configs/smoke.toml and a
/// reduced configs/treatments.toml, 2026-12-07: 0.73–4.3 MB of plots and page).
pub const PLOT_BYTES: f64 = 715e3;
/// Bytes per scenario, recorded day and time panel: its mean and band in the SVG, the page's copy
/// and the SVG's data (fitted as [`PLOT_BYTES`]).
pub const PLOT_POINT_BYTES: f64 = 130.0;
/// Bytes per panel of small multiples (more than [`MAX_BANDS`](crate::output::plots::MAX_BANDS)
/// scenarios: a panel per scenario and readout, each with its own axes; fitted as [`PLOT_BYTES`]).
pub const SMALL_PANEL_BYTES: f64 = 54e3;
/// `run` refuses a config estimated to take longer than this (a week).
pub const MAX_WALL_SECONDS: f64 = 7.0 * 86_400.0;

/// The estimated cost of running a config.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    /// Scenarios × replicates.
    pub runs: u64,
    /// Threads that would work at once: the threads asked for, at most one per run.
    pub threads: usize,
    /// Processor time, all threads together.
    pub cpu_seconds: f64,
    pub wall_seconds: f64,
    pub peak_bytes: f64,
    pub output_bytes: f64,
}

/// Rows one run of a scenario records, as `Simulation::run` samples them.
fn samples(config: &Config, dt: f64) -> f64 {
    let total = (config.days / dt).round() as u64;
    let every = ((config.record_every_days / dt).round() as u64).max(1);
    (total / every + 1 + u64::from(!total.is_multiple_of(every))) as f64
}

impl Estimate {
    /// The cost of running every scenario and replicate of `config` on `threads` threads.
    pub fn of(config: &Config, threads: usize) -> Estimate {
        Estimate::of_runs(config, threads, crate::ensemble::unit_count(config))
    }

    /// The cost of running `runs` of the scenario × replicate runs of `config` (a shard's share,
    /// or what is left to resume), spread evenly over the scenarios, on `threads` threads.
    pub fn of_runs(config: &Config, threads: usize, runs: u64) -> Estimate {
        let all = crate::ensemble::unit_count(config).max(1);
        let replicates = f64::from(config.replicates) * runs as f64 / all as f64;
        let threads = threads.clamp(1, runs.max(1).try_into().unwrap_or(usize::MAX));
        let (mut cpu, mut costliest, mut world, mut rows) = (0.0, 0.0f64, 0.0f64, 0.0);
        for (i, s) in config.scenarios.iter().enumerate() {
            let p = &s.params;
            let sites = f64::from(p.sites) + f64::from(p.cortical_sites);
            let busy = f64::from(p.sites) + p.cortical_activation_ratio.min(1.0) * f64::from(p.cortical_sites);
            let m = f64::from(p.mitochondria_per_cell);
            let cells = CELLS_PER_SITE * busy * p.population_scale + f64::from(p.precursor_pool_cells);
            let per_cell_day = if p.mito_exact {
                EXACT_CELL_DAY + m * EXACT_MITO_DAY * if p.fusion_instant { INSTANT_FUSION } else { 1.0 }
            } else {
                f64::from(p.mito_substeps().0) / p.dt_days * (CELL_SUBSTEP + m * MITO_UPDATE)
            };
            // A scenario that shares another's spin-up runs only its recorded days.
            let shared = spinup_group(config, i) != i;
            let days = config.days + if shared { 0.0 } else { config.spinup_days };
            let steps = days / p.dt_days;
            let run = steps * sites * SITE_STEP + days * cells * per_cell_day;
            cpu += replicates * run + STEADY_STATE_CELL_DAYS * per_cell_day;
            if replicates > 0.0 {
                costliest = costliest.max(run);
            }
            world = world.max(sites * SITE_BYTES + cells * (CELL_BYTES + m * MITO_BYTES));
            rows += samples(config, p.dt_days);
        }
        let parallel = if threads > 1 { threads as f64 * PARALLEL_EFFICIENCY } else { 1.0 };
        let per_run_rows = rows * replicates;
        let scenarios = config.scenarios.len().max(1) as f64;
        let compared = rows * (scenarios - config.points() as f64).max(0.0) / scenarios;
        let cortical = config.scenarios.iter().any(|s| s.params.cortical_sites > 0);
        // Time panels per scenario: the density readouts, the effects, four of cells.
        let density = if cortical { 2.0 } else { 1.0 };
        let panels = density + 5.0;
        let small = if config.scenarios.len() > crate::output::plots::MAX_BANDS { scenarios * panels } else { 0.0 };
        let plots =
            if config.plots { PLOT_BYTES + small * SMALL_PANEL_BYTES + rows * panels * PLOT_POINT_BYTES } else { 0.0 };
        let output = rows * f64::from(config.replicates) * TIMESERIES_ROW_BYTES
            + rows * METRICS.len() as f64 * SUMMARY_ROW_BYTES
            + compared * METRICS.len() as f64 * EFFECT_ROW_BYTES
            + all as f64 * RUNS_ROW_BYTES
            + FIXED_OUTPUT_BYTES
            + plots;
        Estimate {
            runs,
            threads,
            cpu_seconds: cpu,
            wall_seconds: (cpu / parallel).max(costliest),
            peak_bytes: BASE_BYTES + threads as f64 * world + per_run_rows * SAMPLE_BYTES,
            output_bytes: output,
        }
    }

    /// Why this machine should not start the run, if it should not: more memory than is
    /// available (when known), or more than [`MAX_WALL_SECONDS`].
    pub fn exceeds(&self, available_memory: Option<f64>) -> Option<String> {
        if let Some(available) = available_memory
            && self.peak_bytes > available
        {
            return Some(format!(
                "this run would need about {} of memory; {} is available",
                bytes(self.peak_bytes),
                bytes(available)
            ));
        }
        (self.wall_seconds > MAX_WALL_SECONDS).then(|| {
            format!(
                "this run would take about {}; the limit is {}",
                duration(self.wall_seconds),
                duration(MAX_WALL_SECONDS)
            )
        })
    }
}

impl fmt::Display for Estimate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "about {} on {} thread(s) ({} of processor time), {} of memory at peak, {} of output",
            duration(self.wall_seconds),
            self.threads,
            duration(self.cpu_seconds),
            bytes(self.peak_bytes),
            bytes(self.output_bytes)
        )
    }
}

/// Memory this machine has available for a new process (Linux `MemAvailable`); `None` where it
/// cannot tell.
pub fn available_memory() -> Option<f64> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024.0)
}

/// A duration for people: `0.4 s`, `12 s`, `7 min`, `3.2 h`, `4.5 days`.
pub fn duration(seconds: f64) -> String {
    match seconds {
        s if s < 10.0 => format!("{s:.1} s"),
        s if s < 120.0 => format!("{s:.0} s"),
        s if s < 7200.0 => format!("{:.0} min", s / 60.0),
        s if s < 172_800.0 => format!("{:.1} h", s / 3600.0),
        s => format!("{:.1} days", s / 86_400.0),
    }
}

/// A size for people, in decimal units: `512 B`, `3.1 kB`, `60 MB`, `2.4 GB`.
pub fn bytes(b: f64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"];
    let (mut x, mut unit) = (b, 0);
    while x >= 1000.0 && unit + 1 < units.len() {
        x /= 1000.0;
        unit += 1;
    }
    if unit == 0 { format!("{x:.0} B") } else { format!("{x:.1} {}", units[unit]) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;

    /// A 100-site config, 4 replicates of 100 days, with `--set` overrides.
    fn config(sets: &[&str]) -> Config {
        let mut overrides = Overrides::default();
        for pair in sets {
            overrides.push(pair);
        }
        let text = "replicates = 4\ndays = 100\nrecord_every_days = 10\n[params]\nsites = 100\n";
        Config::parse("test", text, &overrides).expect("valid config")
    }

    #[test]
    fn the_embedded_baseline_is_estimated_near_its_measured_cost() {
        let baseline = Config::baseline(&Overrides::default()).expect("baseline");
        let one = Estimate::of(&baseline, 1);
        // Measured: 35.4 s of processor time per replicate, one thread, exact process
        // (2026-12-07; 19.2 s with hourly sub-steps on 2026-11-30), 20 replicates.
        let per_run = one.cpu_seconds / 20.0;
        assert!((24.0..50.0).contains(&per_run), "{per_run} s per replicate");
        let two = Estimate::of(&baseline, 2);
        assert!((two.wall_seconds / one.wall_seconds - 1.0 / 1.8).abs() < 1e-9);
        assert!(two.peak_bytes < 50e6 && (0.3e6..3e6).contains(&two.output_bytes), "{two}");
        assert_eq!(baseline.scenarios.len() as u64 * 20, two.runs);
        // Measured with fusion's fast limit and 40 mitochondria per cell (2026-12-07, two threads):
        // 114 s wall, 227 s of processor time for the 20 replicates.
        let mut overrides = Overrides::default();
        overrides.push("fusion_instant=true");
        overrides.push("mitochondria_per_cell=40");
        let fast = Estimate::of(&Config::baseline(&overrides).expect("baseline"), 2);
        assert!((80.0..160.0).contains(&fast.wall_seconds), "{fast}");
    }

    #[test]
    fn cost_grows_with_each_input() {
        let base = Estimate::of(&config(&[]), 1);
        for extra in [
            "mitochondria_per_cell=200",
            "population_scale=2",
            "sites=200",
            "dt_days=0.05",
            "days=200",
            "cortical_sites=100",
        ] {
            let bigger = Estimate::of(&config(&[extra]), 1);
            assert!(bigger.cpu_seconds > base.cpu_seconds, "{extra}: {bigger} vs {base}");
        }
        // A cortical site costs a cancellous one's site step, and r_cort of its cells.
        let (cortical, cancellous) =
            (Estimate::of(&config(&["cortical_sites=100"]), 1), Estimate::of(&config(&["sites=200"]), 1));
        assert!(cortical.cpu_seconds < 0.5 * (base.cpu_seconds + cancellous.cpu_seconds), "{cortical}");
        // The tables grow with the rows (the plots' fixed bytes aside).
        let (tables, finer) =
            (Estimate::of(&config(&["plots=false"]), 1), config(&["record_every_days=0.5", "plots=false"]));
        let finer = Estimate::of(&finer, 1);
        assert!(finer.output_bytes > 2.0 * tables.output_bytes, "{finer} vs {tables}");
        assert!(Estimate::of(&config(&["record_every_days=0.5"]), 1).output_bytes > base.output_bytes);
        let threads = Estimate::of(&config(&[]), 64);
        assert_eq!(threads.threads, 4, "no more threads than runs");
        let share = Estimate::of_runs(&config(&[]), 1, 1);
        assert_eq!(share.runs, 1);
        assert!(share.cpu_seconds < base.cpu_seconds, "{share}");
        assert_eq!(share.output_bytes, base.output_bytes, "a share publishes the whole run's output");
        assert!(threads.peak_bytes > base.peak_bytes);
    }

    #[test]
    fn the_output_estimate_counts_effects_and_plots() {
        // Measured on 2026-12-07: configs/smoke.toml writes 852 kB; with a row a day for 480 days
        // on 10 sites, 4.59 MB (effects.csv 0.82 MB, plots and page 1.45 MB).
        let smoke = concat!(env!("CARGO_MANIFEST_DIR"), "/configs/smoke.toml");
        let load = |sets: &[&str]| {
            let mut o = Overrides::default();
            sets.iter().for_each(|s| o.push(s));
            Config::load(std::path::Path::new(smoke), &o).expect("smoke")
        };
        let within = |got: f64, measured: f64| (0.75..1.33).contains(&(got / measured));
        let small = Estimate::of(&load(&[]), 2).output_bytes;
        assert!(within(small, 852e3), "{small}");
        let daily = load(&["record_every_days=1", "sites=10", "spinup_days=0", "days=480"]);
        let big = Estimate::of(&daily, 2).output_bytes;
        assert!(within(big, 4.59e6), "{big}");
        let mut no_plots = daily.clone();
        no_plots.plots = false;
        assert!(big - Estimate::of(&no_plots, 2).output_bytes > 0.4e6, "plots are counted");
    }

    #[test]
    fn samples_match_the_recorded_rows() {
        // Days 0, 10, …, 100: 11 rows; with days = 105 a last row at 105 too.
        assert_eq!(samples(&config(&[]), 0.1), 11.0);
        assert_eq!(samples(&config(&["days=105"]), 0.1), 12.0);
    }

    #[test]
    fn limits_refuse_what_the_machine_cannot_finish() {
        let small = Estimate::of(&config(&[]), 2);
        assert_eq!(small.exceeds(Some(1e9)), None);
        assert_eq!(small.exceeds(None), None);
        let memory = small.exceeds(Some(1e6)).expect("1 MB is too little");
        assert!(memory.contains("memory") && memory.contains("1.0 MB"), "{memory}");
        let long = Estimate::of(&config(&["sites=10000000", "days=30000"]), 2);
        let why = long.exceeds(None).expect("too long");
        assert!(why.contains("days") && why.contains("limit"), "{why}");
    }

    #[test]
    fn human_units() {
        assert_eq!(duration(0.42), "0.4 s");
        assert_eq!(duration(75.0), "75 s");
        assert_eq!(duration(420.0), "7 min");
        assert_eq!(duration(3.0 * 86_400.0), "3.0 days");
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(3_100.0), "3.1 kB");
        assert_eq!(bytes(2.4e9), "2.4 GB");
    }
}
