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
//!   with its 95 % interval ([`write_effects`], statistics in [`crate::analysis::effects`](mod@crate::analysis::effects));
//! - `contrasts.csv` — with `[[contrast]]`s: each contrast (a − b, or (a − b) − (c − d)) per day
//!   and metric, with its paired 95 % interval ([`write_contrasts`], statistics in
//!   [`crate::analysis::contrasts`](mod@crate::analysis::contrasts));
//! - `targets.csv` — with `[[target]]`s: each calibration target beside the model's effect
//!   ([`write_targets`]);
//! - `sweep.csv` — with a `[sweep]`: every sweep point's index, values and name suffix
//!   ([`write_sweep`]);
//! - `plots/*.svg`, `plots/*.png` and `index.html` — unless `plots = false` ([`plots`], [`html`]).
//!
//! Everything in it but the manifest's `command`, `timestamp` and `wall_seconds` is
//! deterministic: the same binary, config and seed give byte-identical files on any machine,
//! thread count and split into shards (no NaN, shortest round-trip numbers). While a run works
//! the directory holds its finished units (the run-directory store, [`crate::store`]); the results
//! are written into a hidden directory and renamed into place, so no result file is ever
//! half-written ([`Study::publish`](crate::study::Study::publish)). The file names are [`crate::store`]'s (`TIMESERIES_CSV`, …).
//!
//! - [`tables`]: the CSV writers.
//! - [`manifest`]: writes `manifest.json`.
//! - [`bundle`]: everything a finished ensemble writes, as one run directory.
//! - [`comparison`]: `effects.csv`, `contrasts.csv`, `targets.csv`, `sweep.csv`; [`report`]: the end-of-run table;
//!   [`plots`]: the figures; [`html`]: `index.html`.

pub mod bundle;
pub mod comparison;
pub mod html;
pub mod manifest;
pub mod plots;
pub mod report;
pub mod tables;

pub use comparison::{write_contrasts, write_effects, write_sweep, write_targets, write_trial};
pub use manifest::{Manifest, SteadyStateRecord, write_manifest};
pub use tables::{write_histomorphometry, write_runs, write_summary, write_timeseries};
