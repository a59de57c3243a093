//! Writing a run's results to disk.
//!
//! An output directory holds:
//!
//! - `timeseries.csv` — one row per run per recorded day: `scenario,replicate,day` and every
//!   metric in [`METRICS`](crate::record::METRICS) order ([`write_timeseries`]);
//! - `summary.csv` — per scenario, day and metric: n, mean, sd and the Student-t 95 % confidence
//!   interval across replicates ([`write_summary`]);
//! - `runs.csv` — one row per run: seed, event counters and final bone density ([`write_runs`]);
//! - `histomorphometry.csv` — the virtual biopsy, one row per run per recorded year
//!   ([`write_histomorphometry`]);
//! - `manifest.json` — version, command line, config hash, seed, scenarios, bone law, dependency
//!   versions, the untreated reference's mitochondrial steady state, and when, how fast and from
//!   which git commit it was made ([`write_manifest`]);
//! - `config.toml` — the resolved config the run used;
//! - `effects.csv` — each scenario's difference from the reference scenario per day and metric,
//!   with its 95 % interval ([`write_effects`], statistics in [`crate::analysis::effects`]);
//! - `targets.csv` — with `[[target]]`s: each calibration target beside the model's effect
//!   ([`write_targets`]);
//! - `sweep.csv` — with a `[sweep]`: every sweep point's index, values and name suffix
//!   ([`write_sweep`]);
//! - `plots/*.svg`, `plots/*.png` and `index.html` — unless `plots = false` ([`plots`], [`html`]).
//!
//! Everything in it but the manifest's `command`, `timestamp` and `wall_seconds` is
//! deterministic: the same binary, config and seed give byte-identical files on any machine,
//! thread count and split into shards (no NaN, shortest round-trip numbers). While a run works
//! the directory holds its finished units (`units/`, [`RunDir`]); the results are written into a
//! hidden directory and renamed into place, so no result file is ever half-written; single files
//! are written the same way ([`PendingFile`]).
//!
//! - [`stats`]: mean, sd and confidence intervals.
//! - [`tables`]: the CSV writers.
//! - [`manifest`]: `manifest.json` and the config hash.
//! - [`bundle`]: everything a finished ensemble writes, as one run directory.
//! - [`path`]: output paths resolved and checked before any work.
//! - [`dir`]: run directories (units while running, results when done); [`plan`]: what their
//!   units belong to; [`unit_file`]: one unit's result, exactly; [`temp`]: hidden temporaries;
//!   [`file`](mod@file): atomic output files.
//! - [`comparison`]: `effects.csv`, `targets.csv`, `sweep.csv`; [`report`]: the end-of-run table;
//!   [`plots`]: the figures; [`html`]: `index.html`.

pub mod bundle;
pub mod comparison;
pub mod dir;
mod error;
pub mod file;
pub mod html;
pub mod manifest;
pub mod path;
pub mod plan;
pub mod plots;
pub mod report;
#[cfg(test)]
mod scratch;
pub mod stats;
pub mod tables;
pub mod temp;
pub mod unit_file;

pub use comparison::{write_effects, write_sweep, write_targets};
pub use dir::{Claim, Opened, RunDir};
pub use error::OutputError;
pub use file::PendingFile;
pub use manifest::{Manifest, Provenance, SteadyStateRecord, fnv1a64_hex, write_manifest};
pub use plan::Plan;
pub use stats::{Summary, summarize, t_quantile_975};
pub use tables::{write_histomorphometry, write_runs, write_summary, write_timeseries};

/// File name of the per-sample table in an output directory.
pub const TIMESERIES_CSV: &str = "timeseries.csv";
/// File name of the across-replicate summary table.
pub const SUMMARY_CSV: &str = "summary.csv";
/// File name of the per-run table.
pub const RUNS_CSV: &str = "runs.csv";
/// File name of the virtual biopsy table.
pub const HISTOMORPHOMETRY_CSV: &str = "histomorphometry.csv";
/// File name of the provenance manifest.
pub const MANIFEST_JSON: &str = "manifest.json";
/// File name of the resolved config copy.
pub const CONFIG_TOML: &str = "config.toml";
/// File name of the effects table.
pub const EFFECTS_CSV: &str = "effects.csv";
/// File name of the calibration targets table.
pub const TARGETS_CSV: &str = "targets.csv";
/// File name of the sweep points table.
pub const SWEEP_CSV: &str = "sweep.csv";
/// Directory of the plots.
pub const PLOTS_DIR: &str = "plots";
/// File name of the run's web page.
pub const INDEX_HTML: &str = "index.html";

/// Every result a run directory may hold but its manifest: what publishing new results removes
/// when they do not include it.
pub const RESULT_NAMES: [&str; 10] = [
    TIMESERIES_CSV,
    SUMMARY_CSV,
    RUNS_CSV,
    HISTOMORPHOMETRY_CSV,
    CONFIG_TOML,
    EFFECTS_CSV,
    TARGETS_CSV,
    SWEEP_CSV,
    PLOTS_DIR,
    INDEX_HTML,
];
