//! `bmu-sim fit FILE`: ABC-SMC calibration of chosen parameters to the `[[target]]`s of one or
//! more configs at once, every model evaluation run as ordinary ensemble units (issue 16,
//! point 2; docs/inference.md).
//!
//! ```toml
//! configs = ["tiny.toml"]        # relative to this file; their targets are fitted jointly
//! particles = 40                 # N per population
//! populations = 4                # at most
//! max_evaluations = 400          # at most
//! final_tolerance = 0.5          # optional: stop once ε reaches this (default 0)
//! min_acceptance = 0.05          # optional: stop once N / candidates falls below this (default 0)
//! quantile = 0.5                 # optional: ε_t = this quantile of the last distances
//! batch = 40                     # optional: evaluations between saved states (default N)
//! seed = 7                       # optional (default: the first config's)
//! narrowed_below = 0.5           # optional: "narrowed" below this fraction of the prior's width
//! [[parameter]]                  # as in a sensitivity file
//! key = "damage_per_day"
//! low = 1.0
//! high = 4.0
//! scale = "log"
//! [[target]]                     # optional: fit only these targets (default: all of every config)
//! scenario = "menopause"
//! metric = "bone_density"
//! day = 3650                     # optional, when a config has several
//! ```
//!
//! - [`file`](mod@file): the file → a validated [`Spec`];
//! - [`evaluate`]: one evaluation's configs, the targets read back with the model's spread, ρ;
//! - [`fitting`]: the fit in its directory (state, kept evaluations, units), run and resumed;
//! - [`report`], [`page`]: `posterior.csv`, `fit.csv`, `predictive.csv` and `index.html`.

pub mod evaluate;
pub mod file;
pub mod fitting;
pub mod page;
pub mod report;

pub use file::Spec;
pub use fitting::{Fitting, Opened};

use crate::Error;
use crate::output::plots::corner;
use crate::provenance::Provenance;
use crate::store::{INDEX_HTML, MANIFEST_JSON, OutputError, PLOTS_DIR};
use report::{Marginal, Predictive};
use std::path::Path;

/// α when the file gives none: each tolerance is the median of the last distances (Del Moral
/// 2012 use 0.5–0.9; 0.5 halves the accepted set each population).
pub const DEFAULT_QUANTILE: f64 = 0.5;
/// A parameter is "narrowed" when its posterior 95 % interval is below this fraction of its
/// prior's (on the prior's scale) unless the file says otherwise.
pub const DEFAULT_NARROWED: f64 = 0.5;
/// File names of the results.
pub const POSTERIOR_CSV: &str = "posterior.csv";
pub const FIT_CSV: &str = "fit.csv";
pub const PREDICTIVE_CSV: &str = "predictive.csv";
pub const FIT_TOML: &str = "fit.toml";
/// Stem of the corner plot under `plots/`.
pub const CORNER_STEM: &str = "corner";

/// What produced a fit's directory, written as `manifest.json`.
#[derive(serde::Serialize, Clone, Debug, PartialEq)]
pub struct Manifest {
    /// Version of bmu-sim that wrote the directory.
    pub bmu_sim_version: String,
    /// The command line after the program name.
    pub command: Vec<String>,
    /// The fit file as given.
    pub fit_file: String,
    /// [`fitting::key`]: the fit file and its configs' resolved text, hashed.
    pub fit_key: String,
    /// Each config as named, with its `Config::hash`.
    pub configs: Vec<(String, String)>,
    /// The sampler's master seed.
    pub seed: u64,
    /// Model evaluations (proposals run) and populations.
    pub evaluations: u64,
    pub populations: usize,
    /// Why the sampler stopped.
    pub stopped: String,
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// What the command prints: each parameter and each target.
pub struct Summary {
    pub marginals: Vec<Marginal>,
    pub predictive: Vec<Predictive>,
}

/// Write every result of a stopped fit into the empty directory `dir`.
pub fn write(dir: &Path, fitting: &Fitting, command: &[String], provenance: Provenance) -> Result<Summary, Error> {
    let (spec, sampler) = (&fitting.spec, fitting.sampler());
    let last = sampler
        .populations()
        .last()
        .ok_or_else(|| Error::Runtime("the fit stopped before its first population was complete".into()))?;
    let mut evaluations = Vec::new();
    for p in &last.particles {
        let e = fitting.evaluation(p.id)?;
        evaluations.push(e.ok_or_else(|| Error::Runtime(format!("evaluation {} is missing", p.id)))?);
    }
    let marginals = report::marginals(spec, last);
    let predictive = report::predictive(spec, last, &evaluations);
    let put = |name: &str, bytes: &[u8]| {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|source| OutputError::Io { path, source })
    };
    let mut csv = Vec::new();
    report::write_posterior(spec, sampler.populations(), &mut csv).map_err(|e| OutputError::io(dir, e))?;
    put(POSTERIOR_CSV, &csv)?;
    let mut csv = Vec::new();
    report::write_fit(&marginals, &mut csv).map_err(|e| OutputError::io(dir, e))?;
    put(FIT_CSV, &csv)?;
    let mut csv = Vec::new();
    report::write_predictive(&predictive, &mut csv).map_err(|e| OutputError::io(dir, e))?;
    put(PREDICTIVE_CSV, &csv)?;
    put(FIT_TOML, spec.text.as_bytes())?;
    let points: Vec<(Vec<f64>, f64)> = last.particles.iter().map(|p| (p.unit.clone(), p.weight)).collect();
    let title = format!("Posterior of {} ({} particles, population {})", spec.source, points.len(), last.generation);
    let svg = corner::svg(&title, spec.priors.list(), &points)
        .map_err(|e| Error::Runtime(format!("cannot draw {PLOTS_DIR}/{CORNER_STEM}.svg: {e}")))?;
    let plots = dir.join(PLOTS_DIR);
    std::fs::create_dir(&plots).map_err(|e| OutputError::io(&plots, e))?;
    let plot = format!("{PLOTS_DIR}/{CORNER_STEM}.svg");
    put(&plot, svg.as_bytes())?;
    let files = [POSTERIOR_CSV, FIT_CSV, PREDICTIVE_CSV, plot.as_str(), FIT_TOML, MANIFEST_JSON];
    let html = page::index_html(&spec.source, sampler, &marginals, &predictive, (&plot, &svg), &files);
    put(INDEX_HTML, html.as_bytes())?;
    let manifest = Manifest {
        bmu_sim_version: env!("CARGO_PKG_VERSION").into(),
        command: command.to_vec(),
        fit_file: spec.source.clone(),
        fit_key: fitting::key(spec),
        configs: spec.config_names.iter().zip(&spec.configs).map(|(n, c)| (n.clone(), c.hash())).collect(),
        seed: spec.settings.seed,
        evaluations: sampler.evaluations(),
        populations: sampler.populations().len(),
        stopped: page::stop_reason(sampler.stopped()).into(),
        provenance,
    };
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Runtime(format!("manifest: {e}")))?;
    put(MANIFEST_JSON, &json)?;
    Ok(Summary { marginals, predictive })
}
