//! The sensitivity file: TOML text → a validated [`Spec`], once, with errors that name the file,
//! line, column and key. Everything is checked against the config it names before any run.

use crate::config::sweep::{MAX_POINTS, MAX_RUNS};
use crate::config::{Config, ConfigError, Overrides, Scenario};
use crate::design_file::{self, RawParameter};
use crate::inference::{MorrisDesign, Priors, SobolDesign, sobol};
use crate::model::{Process, Streams};
use crate::record::METRICS;
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// Grid levels of a Morris design when the file gives none (Saltelli 2008 §3.3 advises 4).
pub const DEFAULT_LEVELS: usize = 4;
/// Bootstrap resamples of a Sobol design when the file gives none.
pub const DEFAULT_RESAMPLES: usize = 1000;
/// Most bootstrap resamples a file may ask for.
pub const MAX_RESAMPLES: usize = 100_000;

/// The top-level keys of a sensitivity file.
const FIELDS: &[&str] = &["config", "method", "trajectories", "levels", "rows", "resamples", "parameter", "output"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    config: Spanned<String>,
    method: Spanned<String>,
    trajectories: Option<Spanned<usize>>,
    levels: Option<Spanned<usize>>,
    rows: Option<Spanned<usize>>,
    resamples: Option<Spanned<usize>>,
    #[serde(default)]
    parameter: Vec<RawParameter>,
    #[serde(default)]
    output: Vec<RawOutput>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    metric: Spanned<String>,
    scenario: Spanned<String>,
    effect_vs: Option<Spanned<String>>,
    day: Option<Spanned<f64>>,
}

/// The design a file asks for.
#[derive(Clone, Debug, PartialEq)]
pub enum Method {
    Morris(MorrisDesign),
    Sobol { design: SobolDesign, resamples: usize },
}

impl Method {
    /// Its name in the file and in `sensitivity.csv`.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Morris(_) => "morris",
            Method::Sobol { .. } => "sobol",
        }
    }

    /// Model evaluations (design points).
    pub fn evaluations(&self) -> usize {
        match self {
            Method::Morris(d) => d.evaluations(),
            Method::Sobol { design, .. } => design.evaluations(),
        }
    }

    /// Every design point in θ, in evaluation order.
    pub fn points(&self, priors: &Priors) -> Vec<Vec<f64>> {
        // The priors were built with one entry per parameter, as the design was.
        match self {
            Method::Morris(d) => d.points(priors),
            Method::Sobol { design, .. } => design.points(priors),
        }
        .unwrap_or_default()
    }
}

/// One output: a metric of a scenario (or its difference from another) at a day.
#[derive(Clone, Debug, PartialEq)]
pub struct Output {
    pub metric: &'static str,
    /// Index into the config's scenarios.
    pub scenario: usize,
    /// The scenario it is taken against, if it is an effect.
    pub effect_vs: Option<usize>,
    /// The day asked for (read at the nearest recorded day); `None`: the last recorded day.
    pub day: Option<f64>,
}

/// A validated sensitivity file.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// The file, as named.
    pub source: String,
    /// Its text, copied next to the results.
    pub text: String,
    /// The config the design perturbs, as read.
    pub config: Config,
    pub method: Method,
    /// One prior per parameter, named by its key.
    pub priors: Priors,
    pub outputs: Vec<Output>,
}

impl Spec {
    /// Read and validate the file at `path`; its `config` is relative to the file's directory.
    pub fn load(path: &Path) -> Result<Spec, ConfigError> {
        let (source, text, base) = design_file::read(path)?;
        Spec::parse(&source, text, base)
    }

    /// Read the file at `path`, but name it, and the config it names relative to it, as `shown`
    /// names it: as the first shard of its design read it (`bmu-sim merge` finds the file by an
    /// absolute path, and must write what a design run in one piece writes).
    pub fn load_as(path: &Path, shown: &str) -> Result<Spec, ConfigError> {
        let (_, text, base) = design_file::read(path)?;
        let mut spec = Spec::parse(shown, text, base)?;
        if let Ok(rest) = Path::new(&spec.config.source).strip_prefix(base) {
            spec.config.source = Path::new(shown).parent().unwrap_or(Path::new("")).join(rest).display().to_string();
        }
        Ok(spec)
    }

    /// Validate sensitivity text; `source` names it in errors, `base` is where `config` is found.
    pub fn parse(source: &str, text: String, base: &Path) -> Result<Spec, ConfigError> {
        let err = |span: &Range<usize>, key: &str, message: String| ConfigError::at(source, &text, span, key, message);
        let raw: RawFile = design_file::parse(source, &text, FIELDS)?;
        let config = Config::load(&base.join(raw.config.get_ref()), &Overrides::default())
            .map_err(|e| err(&raw.config.span(), "config", format!("the config does not load: {e}")))?;
        if config.sweep.is_some() {
            let why = "the config has a [sweep]: a sensitivity design sets its own parameter points".to_string();
            return Err(err(&raw.config.span(), "config", why));
        }
        let names: Vec<&str> = config.scenarios.iter().map(|s| s.name.as_str()).collect();
        let mut outputs = Vec::new();
        for (n, o) in raw.output.iter().enumerate() {
            let at = |k: &str| format!("output[{n}].{k}");
            let metric = METRICS.iter().find(|m| **m == o.metric.get_ref()).ok_or_else(|| {
                let why = format!("unknown metric; the recorded ones are {}", METRICS.join(", "));
                err(&o.metric.span(), &at("metric"), why)
            })?;
            let scenario = |s: &Spanned<String>, k: &str| {
                names.iter().position(|n| n == s.get_ref()).ok_or_else(|| {
                    err(&s.span(), &at(k), format!("unknown scenario; the config has {}", names.join(", ")))
                })
            };
            let index = scenario(&o.scenario, "scenario")?;
            let effect_vs = o.effect_vs.as_ref().map(|s| scenario(s, "effect_vs")).transpose()?;
            if effect_vs == Some(index) {
                return Err(err(&o.scenario.span(), &at("effect_vs"), "an effect against itself is 0".into()));
            }
            if let Some(day) = &o.day
                && !(0.0..=config.days).contains(day.get_ref())
            {
                let why = format!("expected a day from 0 to the config's {} recorded days", config.days);
                return Err(err(&day.span(), &at("day"), why));
            }
            outputs.push(Output { metric, scenario: index, effect_vs, day: o.day.as_ref().map(|d| *d.get_ref()) });
        }
        if outputs.is_empty() {
            return Err(err(&(0..0), "output", "give at least one [[output]]".into()));
        }
        let used: Vec<usize> = outputs.iter().flat_map(|o| std::iter::once(o.scenario).chain(o.effect_vs)).collect();
        let scenarios: Vec<&Scenario> = used.iter().map(|&s| &config.scenarios[s]).collect();
        let priors = design_file::priors(source, &text, &raw.parameter, &scenarios)?;
        let d = priors.dim();
        let method = method(&raw, d, config.seed).map_err(|(span, key, why)| err(&span, key, why))?;
        let points = method.evaluations();
        let runs = (points as u64).saturating_mul(used.len() as u64).saturating_mul(u64::from(config.replicates));
        if points > MAX_POINTS || runs > MAX_RUNS {
            let why = format!("the design makes {points} points and {runs} runs; at most {MAX_POINTS} and {MAX_RUNS}");
            return Err(err(&raw.method.span(), "method", why));
        }
        Ok(Spec { source: source.to_string(), text, config, method, priors, outputs })
    }
}

type Located = (Range<usize>, &'static str, String);

/// The method and its size, drawn from the config's seed.
fn method(raw: &RawFile, d: usize, seed: u64) -> Result<Method, Located> {
    let given = |v: &Option<Spanned<usize>>| v.as_ref().map(|v| *v.get_ref());
    let stray = |keys: [(&'static str, &Option<Spanned<usize>>); 2]| -> Result<(), Located> {
        match keys.into_iter().find_map(|(k, v)| v.as_ref().map(|v| (k, v.span()))) {
            Some((k, span)) => Err((span, k, format!("`{k}` is not a setting of method `{}`", raw.method.get_ref()))),
            None => Ok(()),
        }
    };
    let settings = |e: crate::inference::InferenceError| (raw.method.span(), "method", e.to_string());
    match raw.method.get_ref().as_str() {
        "morris" => {
            stray([("rows", &raw.rows), ("resamples", &raw.resamples)])?;
            let r = given(&raw.trajectories).ok_or_else(|| {
                (raw.method.span(), "trajectories", "method = \"morris\" needs `trajectories`".into())
            })?;
            let mut rng = Streams::new(seed, 0).stream(Process::Sensitivity, 0, 0);
            let levels = given(&raw.levels).unwrap_or(DEFAULT_LEVELS);
            // Refused here, with the file's position, before the design's size is drawn.
            if r > MAX_POINTS || levels > MAX_POINTS {
                return Err((raw.method.span(), "method", format!("at most {MAX_POINTS} trajectories and levels")));
            }
            MorrisDesign::new(d, r, levels, &mut rng).map(Method::Morris).map_err(settings)
        }
        "sobol" => {
            stray([("trajectories", &raw.trajectories), ("levels", &raw.levels)])?;
            let rows = given(&raw.rows)
                .ok_or_else(|| (raw.method.span(), "rows", "method = \"sobol\" needs `rows`".into()))?;
            let resamples = given(&raw.resamples).unwrap_or(DEFAULT_RESAMPLES);
            if resamples > MAX_RESAMPLES {
                return Err((raw.method.span(), "resamples", format!("at most {MAX_RESAMPLES} resamples")));
            }
            if d > sobol::MAX_PARAMETERS {
                return Err((raw.method.span(), "method", format!("at most {} parameters", sobol::MAX_PARAMETERS)));
            }
            let scramble = (crate::model::streams::mix(seed) >> 32) as u32;
            let design = SobolDesign::new(d, rows, scramble).map_err(settings)?;
            Ok(Method::Sobol { design, resamples })
        }
        other => {
            Err((raw.method.span(), "method", format!("unknown method `{other}`; expected \"morris\" or \"sobol\"")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every shipped sensitivity file (a `method` key) in `configs/sensitivity/` loads, with its
    /// config; the other files there are the configs they name, which load with them.
    #[test]
    fn every_shipped_sensitivity_file_loads() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/sensitivity");
        let mut loaded = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if text.lines().any(|l| l.starts_with("method =")) {
                let spec = Spec::load(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                assert!(spec.method.evaluations() > 0 && !spec.outputs.is_empty(), "{}", path.display());
                loaded += 1;
            }
        }
        assert!(loaded >= 4, "the smoke, treatments, menopause and PINK1 screens: {loaded}");
    }
}
