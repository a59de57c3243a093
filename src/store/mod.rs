//! The run-directory store: where a run keeps its plan and its finished units while it works,
//! and how its results are published once every unit is in (docs/model.md §2, §6). It knows the
//! layout of a run directory and how to write into it safely; what the result files contain is
//! [`crate::output`]'s business.
//!
//! - [`dir`]: open, claim, resume and publish a run directory ([`RunDir`]);
//! - [`plan`]: `units/plan.json`, what the units belong to ([`Plan`]);
//! - [`units`]: which units of a shard are pending, running them into the store, gathering them;
//! - [`unit_file`]: one unit's exact, checksummed encoding;
//! - [`file`](mod@file), [`temp`], [`path`]: single files written atomically, hidden temporaries, and
//!   paths resolved before anything is touched.

pub mod dir;
mod error;
pub mod file;
pub mod path;
pub mod plan;
#[cfg(test)]
pub(crate) mod scratch;
pub mod temp;
pub mod unit_file;
pub mod units;

pub use dir::{Claim, Opened, RunDir};
pub use error::OutputError;
pub use file::PendingFile;
pub use plan::Plan;

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
/// File name of the contrasts table (`[[contrast]]`).
pub const CONTRASTS_CSV: &str = "contrasts.csv";
/// File name of the sweep points table.
pub const SWEEP_CSV: &str = "sweep.csv";
/// Directory of the plots.
pub const PLOTS_DIR: &str = "plots";
/// File name of the run's web page.
pub const INDEX_HTML: &str = "index.html";
/// File name of the parameter against stochastic split of a run drawing from a posterior.
pub const UNCERTAINTY_CSV: &str = "uncertainty.csv";
/// File name of a virtual trial's endpoints (`[population]`).
pub const TRIAL_CSV: &str = "trial.csv";

/// Every result a run directory may hold but its manifest: what publishing new results removes
/// when they do not include it.
pub const RESULT_NAMES: [&str; 13] = [
    TIMESERIES_CSV,
    SUMMARY_CSV,
    RUNS_CSV,
    HISTOMORPHOMETRY_CSV,
    CONFIG_TOML,
    EFFECTS_CSV,
    TARGETS_CSV,
    CONTRASTS_CSV,
    SWEEP_CSV,
    UNCERTAINTY_CSV,
    TRIAL_CSV,
    PLOTS_DIR,
    INDEX_HTML,
];
