//! `bmu-sim sensitivity FILE`: Morris screening or Sobol indices of chosen outputs over chosen
//! parameter ranges, every design point run as ordinary ensemble units (issue 16, point 3;
//! docs/inference.md).
//!
//! ```toml
//! config = "smoke.toml"          # relative to this file; must have no [sweep]
//! method = "morris"              # trajectories, levels (default 4) | "sobol": rows, resamples (default 1000)
//! trajectories = 10
//! [[parameter]]                  # a real-valued key of `bmu-sim params`, inside its accepted range
//! key = "damage_per_day"
//! low = 1.0
//! high = 4.0
//! scale = "log"                  # or "uniform" (default)
//! [[output]]                     # a recorded metric of a scenario of the config
//! metric = "bone_density"
//! scenario = "menopause"
//! effect_vs = "untreated"        # optional: the difference from this scenario (same replicates)
//! day = 3650                     # optional: read at the nearest recorded day (default: the last)
//! ```
//!
//! - [`file`](mod@file): the file → a validated [`Spec`];
//! - [`design`]: the design's points as the scenarios of one config, and the outputs read back;
//! - [`report`]: the indices, `sensitivity.csv` and `points.csv`.
//!
//! The results directory holds `sensitivity.csv`, `points.csv`, `plots/sensitivity.svg` (μ* or
//! ST per output), `sensitivity.toml` (the file as given), `config.toml` (the resolved config
//! the design perturbs) and `manifest.json`, published as a run's are.

pub mod design;
pub mod file;
pub mod report;

pub use file::{Method, Output, Spec};

use crate::Error;
use crate::config::Config;
use crate::ensemble::Ensemble;
use crate::output::plots::bars::{self, BarPanel};
use crate::provenance::Provenance;
use crate::store::{CONFIG_TOML, MANIFEST_JSON, OutputError, PLOTS_DIR};
use report::Index;
use std::path::Path;

/// File name of the indices table.
pub const SENSITIVITY_CSV: &str = "sensitivity.csv";
/// File name of the design points table.
pub const POINTS_CSV: &str = "points.csv";
/// File name of the copy of the sensitivity file.
pub const SENSITIVITY_TOML: &str = "sensitivity.toml";
/// Stem of the bar plot under `plots/`.
pub const PLOT_STEM: &str = "sensitivity";

/// A sensitivity analysis: the file, its design points and the config that runs them.
#[derive(Clone, Debug)]
pub struct Analysis {
    pub spec: Spec,
    /// Every design point in θ, in evaluation order.
    pub points: Vec<Vec<f64>>,
    /// The config whose scenarios are every needed scenario at every point ([`design::config`]).
    pub config: Config,
}

/// One output's indices, as the command prints them.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub output: String,
    /// (parameter, index) in the file's order.
    pub indices: Vec<(String, Index)>,
}

impl Analysis {
    /// The analysis of a validated file: its design points and their config.
    pub fn new(spec: Spec) -> Result<Analysis, Error> {
        let points = spec.method.points(&spec.priors);
        let config = design::config(&spec, &points)?;
        Ok(Analysis { spec, points, config })
    }

    /// Compute the indices from the design's runs and write every result into the empty
    /// directory `dir` (a study's staging directory).
    pub fn write(
        &self,
        dir: &Path,
        ensemble: &Ensemble,
        command: &[String],
        provenance: Provenance,
    ) -> Result<Vec<Finding>, Error> {
        let spec = &self.spec;
        let (outputs, days) = design::outputs(spec, &self.config, &ensemble.runs, self.points.len());
        let labels: Vec<String> = spec.outputs.iter().zip(&days).map(|(o, &d)| design::label(spec, o, d)).collect();
        let indices = report::indices(spec, &outputs, &labels)?;
        let put = |name: &str, bytes: &[u8]| {
            let path = dir.join(name);
            std::fs::write(&path, bytes).map_err(|source| OutputError::Io { path, source })
        };
        let table = |name: &str, bytes: std::io::Result<Vec<u8>>| {
            let path = dir.join(name);
            bytes.map_err(|source| OutputError::Io { path, source }).and_then(|b| put(name, &b))
        };
        let mut csv = Vec::new();
        table(SENSITIVITY_CSV, report::write_indices(spec, &labels, &indices, &mut csv).map(|()| csv))?;
        let mut csv = Vec::new();
        table(POINTS_CSV, report::write_points(spec, &self.points, &labels, &outputs, &mut csv).map(|()| csv))?;
        put(SENSITIVITY_TOML, spec.text.as_bytes())?;
        put(CONFIG_TOML, spec.config.resolved_toml().as_bytes())?;
        let svg = bars::svg(&self.title(), &self.panels(&labels, &indices))
            .map_err(|e| Error::Runtime(format!("cannot draw {PLOTS_DIR}/{PLOT_STEM}.svg: {e}")))?;
        let plots = dir.join(PLOTS_DIR);
        std::fs::create_dir(&plots).map_err(|source| OutputError::Io { path: plots.clone(), source })?;
        put(&format!("{PLOTS_DIR}/{PLOT_STEM}.svg"), svg.as_bytes())?;
        let manifest = crate::output::bundle::manifest(&self.config, ensemble, command, provenance);
        let mut json = Vec::new();
        table(MANIFEST_JSON, crate::output::write_manifest(&manifest, &mut json).map(|()| json))?;
        let params = spec.priors.list().iter().map(|p| p.name.clone());
        Ok(labels
            .into_iter()
            .zip(indices)
            .map(|(output, row)| Finding { output, indices: params.clone().zip(row).collect() })
            .collect())
    }

    fn title(&self) -> String {
        let (what, size) = match &self.spec.method {
            Method::Morris(_) => ("Morris μ*", format!("{} evaluations", self.points.len())),
            Method::Sobol { resamples, .. } => {
                ("Sobol total index ST", format!("{} evaluations, {resamples} resamples", self.points.len()))
            }
        };
        format!("{what} of {} ({size}, {} replicates)", self.spec.source, self.config.replicates)
    }

    fn panels(&self, labels: &[String], indices: &[Vec<Index>]) -> Vec<BarPanel> {
        let x_label = match self.spec.method {
            Method::Morris(_) => "μ*: mean |elementary effect| over the whole range",
            Method::Sobol { .. } => "ST with its 95 % bootstrap interval",
        };
        labels
            .iter()
            .zip(indices)
            .map(|(label, row)| BarPanel {
                caption: label.clone(),
                x_label: x_label.to_string(),
                bars: self
                    .spec
                    .priors
                    .list()
                    .iter()
                    .zip(row)
                    .map(|(p, i)| (p.name.clone(), i.bar().0, i.bar().1))
                    .collect(),
            })
            .collect()
    }
}
