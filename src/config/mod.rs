//! Scenario configs: TOML text → a validated [`Config`], once, with errors that name the file,
//! line, column and key.
//!
//! ```toml
//! bone_law = "coupled"      # or "komarova2003" (the published single-cycle law)
//! hypothesis = "knockout_evidence"   # or "review": what mitophagy does (config/hypotheses.rs)
//! seed = 1                  # master seed; replicate r uses the same streams in every scenario
//! replicates = 20
//! years = 10                # or days = …; recorded period after the spin-up
//! spinup_years = 5          # or spinup_days = …; simulated before day 0, not recorded
//! record_every_days = 30    # one timeseries row per run this often
//! [params]                  # overrides of the defaults for every scenario (see `bmu-sim params`);
//!                           # also the untreated reference every scenario is measured against
//! sites = 500
//! [[scenario]]
//! name = "untreated"
//! [scenario.params]         # overrides for this scenario only
//! [[scenario.intervention]] # named knob on a time window, see interventions.rs
//! kind = "denosumab"
//! start_day = 0
//! end_day = 1095
//! ```
//! With no `[[scenario]]` the config runs one scenario named `baseline`. How scenarios are
//! compared (`reference`, `common_random_numbers`, `[[target]]`) is in [`comparison`]; parameter
//! sweeps (`[sweep]`) in [`sweep`]; `plots = false` switches the plots and `index.html` off.

pub mod comparison;
pub mod contrasts;
pub mod dosing;
mod dosing_reader;
mod headline;
pub mod hypotheses;
pub mod interventions;
pub mod keys;
mod located;
mod overrides;
pub mod params;
pub mod population;
pub mod posterior;
mod reader;
mod resolved;
pub mod sweep;
pub mod targets;
mod values;
pub mod warnings;

/// Days in a simulated year: `years` keys, per-year rates and yearly readouts all use it.
pub const DAYS_PER_YEAR: f64 = 365.0;

pub use comparison::Comparison;
pub use dosing::{Agent, Dosing};
pub use hypotheses::Hypothesis;
pub use interventions::{Change, Intervention, Kind};
pub use located::ConfigError;
pub use overrides::Overrides;
pub use params::{PARAMS, ParamSpec, Params, Range, Value};
pub use population::Population;
pub use posterior::Posterior;
pub use sweep::Sweep;
pub use targets::{Spread, Target, Trial};
pub use warnings::Warning;

use std::path::Path;

/// The embedded baseline, run by `bmu-sim run` without a config.
pub const BASELINE_TOML: &str = include_str!("../../configs/baseline.toml");
/// The name under which errors and manifests refer to the embedded baseline.
pub const BASELINE_NAME: &str = "<embedded configs/baseline.toml>";

/// How a site's bone changes under its BMU (docs/model.md §1.2).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, bevy_ecs::prelude::Resource)]
pub enum BoneLaw {
    /// Parfitt's coupled cycle: every osteoclast erodes, an osteoblast team recruited by what was
    /// eroded refills the cavity after a reversal delay (`processes/coupling.rs`). The tissue law.
    #[default]
    Coupled,
    /// Komarova et al. 2003: dz/dt = −k1·(x1 − x̄1)+ + k2·(x2 − x̄2)+, for the single-cycle check.
    Komarova2003,
}

impl BoneLaw {
    /// Every law, with its config name.
    pub const ALL: [(BoneLaw, &'static str); 2] =
        [(BoneLaw::Coupled, "coupled"), (BoneLaw::Komarova2003, "komarova2003")];

    pub fn from_name(name: &str) -> Option<BoneLaw> {
        BoneLaw::ALL.iter().find(|(_, n)| *n == name).map(|(l, _)| *l)
    }

    pub fn name(self) -> &'static str {
        BoneLaw::ALL.iter().find(|(l, _)| *l == self).map_or("?", |(_, n)| n)
    }
}

/// One scenario: its name, its parameters and its interventions.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// The mitophagy hypothesis in force (its keys are set in `params`).
    pub hypothesis: Hypothesis,
    pub params: Params,
    pub interventions: Vec<Intervention>,
}

/// A validated config: everything a run needs and nothing unchecked.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Where it came from (a path, or [`BASELINE_NAME`]).
    pub source: String,
    pub seed: u64,
    pub replicates: u32,
    pub days: f64,
    pub spinup_days: f64,
    pub record_every_days: f64,
    pub bone_law: BoneLaw,
    /// The config's mitophagy hypothesis: the reference's, and each scenario's unless it names
    /// its own.
    pub hypothesis: Hypothesis,
    /// The untreated reference: the `[params]` table (with `--set` overrides), before any
    /// scenario's own overrides or interventions. Every scenario's fates and coupling are measured
    /// against it (docs/model.md §1.4).
    pub reference: Params,
    /// What runs: every scenario, and under a [`Sweep`] every scenario at every sweep point
    /// (scenario-major; [`Config::variant`] tells which is which).
    pub scenarios: Vec<Scenario>,
    /// The reference scenario, common random numbers and calibration targets.
    pub comparison: Comparison,
    /// Write `plots/` and `index.html` (config key `plots`, default true).
    pub plots: bool,
    /// The parameter sweep, if the config has one.
    pub sweep: Option<Sweep>,
    /// `posterior = "path"`: each replicate's parameters drawn from a fit's posterior.
    pub posterior: Option<Posterior>,
    /// `[population]`: each replicate a patient drawn from it (a virtual trial).
    pub population: Option<Population>,
}

impl Config {
    /// Read and validate a config file.
    pub fn load(path: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
        Config::load_checked(path, overrides).map(|(config, _)| config)
    }

    /// [`load`](Self::load), with the [`warnings`] about what its run cannot honour.
    pub fn load_checked(path: &Path, overrides: &Overrides) -> Result<(Config, Vec<Warning>), ConfigError> {
        let name = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|e| ConfigError::io(&name, &e))?;
        Config::from_bytes_checked(&name, bytes, overrides)
    }

    /// Validate config bytes as a file holds them (UTF-8, no NUL); `source` names them in errors.
    pub fn from_bytes(source: &str, bytes: Vec<u8>, overrides: &Overrides) -> Result<Config, ConfigError> {
        Config::from_bytes_checked(source, bytes, overrides).map(|(config, _)| config)
    }

    /// [`from_bytes`](Self::from_bytes), with the [`warnings`].
    pub fn from_bytes_checked(
        source: &str,
        bytes: Vec<u8>,
        overrides: &Overrides,
    ) -> Result<(Config, Vec<Warning>), ConfigError> {
        let text = located::decode(source, bytes)?;
        Config::parse_checked(source, &text, overrides)
    }

    /// The embedded baseline with overrides applied, with the [`warnings`].
    pub fn baseline_checked(overrides: &Overrides) -> Result<(Config, Vec<Warning>), ConfigError> {
        Config::parse_checked(BASELINE_NAME, BASELINE_TOML, overrides)
    }

    /// The embedded baseline with overrides applied.
    pub fn baseline(overrides: &Overrides) -> Result<Config, ConfigError> {
        Config::baseline_checked(overrides).map(|(config, _)| config)
    }

    /// Validate config text; `source` names it in errors.
    pub fn parse(source: &str, text: &str, overrides: &Overrides) -> Result<Config, ConfigError> {
        Config::parse_checked(source, text, overrides).map(|(config, _)| config)
    }

    /// [`parse`](Self::parse), with the [`warnings`] about what its run cannot honour.
    pub fn parse_checked(
        source: &str,
        text: &str,
        overrides: &Overrides,
    ) -> Result<(Config, Vec<Warning>), ConfigError> {
        let (mut config, mut locations, written) = reader::read(source, text)?;
        overrides.apply(&mut config, &mut locations)?;
        sweep::expand(&mut config, &mut locations)?;
        reader::check(&config, &locations)?;
        comparison::check(&mut config, &locations)?;
        posterior::check(&config, &locations)?;
        population::check(&config, &locations)?;
        let warnings = warnings::find(&config, &written, &locations);
        Ok((config, warnings))
    }

    /// The scenarios as written (before a sweep sets its keys).
    pub fn base_scenarios(&self) -> &[Scenario] {
        self.sweep.as_ref().map_or(&self.scenarios, |s| &s.scenarios)
    }

    /// Sweep points (1 without a sweep).
    pub fn points(&self) -> usize {
        self.sweep.as_ref().map_or(1, |s| s.points.len())
    }

    /// (index in [`base_scenarios`](Self::base_scenarios), sweep point) of `scenarios[v]`.
    pub fn variant(&self, v: usize) -> (usize, usize) {
        (v / self.points(), v % self.points())
    }

    /// Index in `scenarios` of the reference scenario at sweep point `point`.
    pub fn reference_variant(&self, point: usize) -> usize {
        let base = self.base_scenarios().iter().position(|s| s.name == self.comparison.reference_scenario).unwrap_or(0);
        base * self.points() + point
    }

    /// The fully resolved config as TOML: every parameter of every scenario, explicit. Reading it
    /// back gives the same `Config` (but for `source`).
    pub fn resolved_toml(&self) -> String {
        resolved::to_toml(self)
    }

    /// Hash (FNV-1a 64, hex) of the resolved config without its source line: equal for equal
    /// runs, whatever path the config was read from.
    pub fn hash(&self) -> String {
        crate::provenance::fnv1a64_hex(resolved::body(self).as_bytes())
    }
}
