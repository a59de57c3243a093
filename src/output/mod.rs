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
//! - `config.toml` — the resolved config the run used.
//!
//! Everything in it but the manifest's `command`, `timestamp` and `wall_seconds` is
//! deterministic: the same binary, config and seed give byte-identical files on any machine and
//! thread count (no NaN, shortest round-trip numbers). The directory is built in a hidden staging
//! directory and renamed into place on success ([`Staging`]), so it is either complete or absent;
//! single files are written the same way ([`PendingFile`]).
//!
//! - [`stats`]: mean, sd and confidence intervals.
//! - [`tables`]: the CSV writers.
//! - [`manifest`]: `manifest.json` and the config hash.
//! - [`bundle`]: everything a finished ensemble writes, as one run directory.
//! - [`path`]: output paths resolved and checked before any work.
//! - [`dir`]: atomic output directories; [`file`](mod@file): atomic output files.

pub mod bundle;
pub mod dir;
mod error;
pub mod file;
pub mod manifest;
pub mod path;
#[cfg(test)]
mod scratch;
pub mod stats;
pub mod tables;

pub use dir::Staging;
pub use error::OutputError;
pub use file::PendingFile;
pub use manifest::{Manifest, Provenance, SteadyStateRecord, fnv1a64_hex, write_manifest};
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
