//! The fit file: TOML text → a validated [`Spec`], once, with errors that name the file, line,
//! column and key. Every config is loaded and every target, prior and setting is checked against
//! them before any run.

use super::{DEFAULT_NARROWED, DEFAULT_QUANTILE};
use crate::config::keys::did_you_mean;
use crate::config::{Config, ConfigError, Overrides, Scenario, Target};
use crate::design_file::{self, RawParameter};
use crate::inference::{Observed, Priors, Settings};
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The top-level keys of a fit file.
const FIELDS: &[&str] = &[
    "configs",
    "particles",
    "populations",
    "batch",
    "quantile",
    "final_tolerance",
    "min_acceptance",
    "max_evaluations",
    "seed",
    "narrowed_below",
    "parameter",
    "target",
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    configs: Spanned<Vec<Spanned<String>>>,
    particles: Spanned<usize>,
    populations: Spanned<u32>,
    max_evaluations: Spanned<u64>,
    batch: Option<Spanned<usize>>,
    quantile: Option<Spanned<f64>>,
    final_tolerance: Option<Spanned<f64>>,
    min_acceptance: Option<Spanned<f64>>,
    seed: Option<Spanned<u64>>,
    narrowed_below: Option<Spanned<f64>>,
    #[serde(default)]
    parameter: Vec<RawParameter>,
    #[serde(default)]
    target: Vec<RawTarget>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    scenario: Spanned<String>,
    metric: Spanned<String>,
    day: Option<Spanned<f64>>,
}

/// One fitted target: a `[[target]]` of one of the configs, with the data it is fitted to.
#[derive(Clone, Debug, PartialEq)]
pub struct Fitted {
    /// Index into [`Spec::configs`].
    pub config: usize,
    /// The target as the config states it.
    pub target: Target,
    /// The data: the trial's estimate and standard error, or a band's midpoint and half-width.
    pub observed: Observed,
    /// `scenario:metric@day`, with the config's file stem first when the fit has several configs.
    pub label: String,
}

/// A validated fit file.
#[derive(Clone, Debug)]
pub struct Spec {
    /// The file, as named.
    pub source: String,
    /// Its text, copied next to the results.
    pub text: String,
    /// The configs whose targets are fitted jointly, as read, and their file names as written.
    pub configs: Vec<Config>,
    pub config_names: Vec<String>,
    /// One prior per free parameter, named by its key.
    pub priors: Priors,
    pub targets: Vec<Fitted>,
    /// The sampler's settings (its seed: the file's, or the first config's).
    pub settings: Settings,
    /// A parameter is "narrowed" when its posterior 95 % width is below this fraction of its
    /// prior's (both on the prior's scale).
    pub narrowed_below: f64,
}

impl Spec {
    /// Read and validate the file at `path`; its `configs` are relative to the file's directory.
    pub fn load(path: &Path) -> Result<Spec, ConfigError> {
        let (source, text, base) = design_file::read(path)?;
        Spec::parse(&source, text, base)
    }

    /// Validate fit text; `source` names it in errors, `base` is where the configs are found.
    pub fn parse(source: &str, text: String, base: &Path) -> Result<Spec, ConfigError> {
        let err = |span: &Range<usize>, key: &str, message: String| ConfigError::at(source, &text, span, key, message);
        let raw: RawFile = design_file::parse(source, &text, FIELDS)?;
        let mut configs = Vec::new();
        let mut config_names = Vec::new();
        for (i, name) in raw.configs.get_ref().iter().enumerate() {
            let at = format!("configs[{i}]");
            let config = Config::load(&base.join(name.get_ref()), &Overrides::default())
                .map_err(|e| err(&name.span(), &at, format!("the config does not load: {e}")))?;
            let refuse = |why: &str| Err(err(&name.span(), &at, why.to_string()));
            if config.sweep.is_some() {
                return refuse("the config has a [sweep]: a fit sets its own parameter points");
            }
            if config.replicates < 2 {
                return refuse("a fit needs replicates >= 2 to count the model's own spread");
            }
            configs.push(config);
            config_names.push(name.get_ref().clone());
        }
        if configs.is_empty() {
            return Err(err(&raw.configs.span(), "configs", "name at least one config".into()));
        }
        let targets = fitted(&raw, &configs, &config_names).map_err(|(span, key, why)| err(&span, &key, why))?;
        let scenarios: Vec<&Scenario> = (0..configs.len())
            .flat_map(|c| needed(&configs[c], &targets, c).into_iter().map(move |s| (c, s)))
            .map(|(c, s)| &configs[c].scenarios[s])
            .collect();
        let priors = design_file::priors(source, &text, &raw.parameter, &scenarios)?;
        let settings = settings(&raw, configs[0].seed).map_err(|(span, key, why)| err(&span, key, why))?;
        let narrowed_below = raw.narrowed_below.as_ref().map_or(DEFAULT_NARROWED, |n| *n.get_ref());
        if !(narrowed_below > 0.0 && narrowed_below <= 1.0) {
            let span = raw.narrowed_below.as_ref().map_or(0..0, Spanned::span);
            return Err(err(&span, "narrowed_below", "expected a fraction in (0, 1]".into()));
        }
        Ok(Spec { source: source.to_string(), text, configs, config_names, priors, targets, settings, narrowed_below })
    }
}

/// The scenarios (indices into `config.scenarios`) that config `c`'s fitted targets need: theirs
/// and the reference they are measured against, in config order.
pub fn needed(config: &Config, targets: &[Fitted], c: usize) -> Vec<usize> {
    let mine = |name: &str| targets.iter().any(|t| t.config == c && t.target.scenario == name);
    (0..config.scenarios.len())
        .filter(|&s| {
            let name = config.scenarios[s].name.as_str();
            mine(name) || name == config.comparison.reference_scenario
        })
        .collect()
}

type Located = (Range<usize>, String, String);

/// The targets the file fits: those its `[[target]]` rows name, or every target of every config.
fn fitted(raw: &RawFile, configs: &[Config], names: &[String]) -> Result<Vec<Fitted>, Located> {
    let all: Vec<(usize, &Target)> = configs
        .iter()
        .enumerate()
        // A held-out trial is never fitted.
        .flat_map(|(c, config)| config.comparison.targets.iter().filter(|t| !t.held_out).map(move |t| (c, t)))
        .collect();
    let chosen: Vec<(usize, &Target)> = if raw.target.is_empty() {
        all.clone()
    } else {
        let mut chosen = Vec::new();
        for (n, row) in raw.target.iter().enumerate() {
            let day = row.day.as_ref().map(|d| *d.get_ref());
            let matches: Vec<(usize, &Target)> = all
                .iter()
                .copied()
                .filter(|(_, t)| t.scenario == *row.scenario.get_ref() && t.metric == row.metric.get_ref())
                .filter(|(_, t)| day.is_none_or(|d| t.day == d))
                .collect();
            if matches.is_empty() {
                let produced = all.iter().map(|(_, t)| t.scenario.as_str());
                let hint = did_you_mean(row.scenario.get_ref(), produced);
                let listed: Vec<String> =
                    all.iter().map(|(_, t)| format!("{}:{}@{}", t.scenario, t.metric, t.day)).collect();
                let why = format!("no named config has this [[target]]{hint}; they have {}", listed.join(", "));
                return Err((row.scenario.span(), format!("target[{n}].scenario"), why));
            }
            chosen.extend(matches);
        }
        chosen
    };
    if chosen.is_empty() {
        return Err((raw.configs.span(), "configs".into(), "no named config has a [[target]] to fit".into()));
    }
    let mut targets = Vec::new();
    for (c, t) in chosen {
        let at = raw.configs.get_ref()[c].span();
        if t.day > configs[c].days {
            let why = format!(
                "its target {}:{}@{} lies past the config's {} recorded days",
                t.scenario, t.metric, t.day, configs[c].days
            );
            return Err((at, format!("configs[{c}]"), why));
        }
        let observed = match t.trial {
            Some(trial) => Observed { value: trial.estimate, se: trial.se },
            None => Observed { value: (t.low + t.high) / 2.0, se: (t.high - t.low) / 2.0 },
        };
        if !(observed.se > 0.0 && observed.se.is_finite()) {
            let why = format!("its target {}:{} has no spread (a band of zero width)", t.scenario, t.metric);
            return Err((at, format!("configs[{c}]"), why));
        }
        let stem = Path::new(&names[c]).file_stem().map_or(String::new(), |s| format!("{}/", s.to_string_lossy()));
        let prefix = if configs.len() > 1 { stem } else { String::new() };
        let label = format!("{prefix}{}:{}@{}", t.scenario, t.metric, crate::config::sweep::number(t.day));
        targets.push(Fitted { config: c, target: t.clone(), observed, label });
    }
    Ok(targets)
}

/// The sampler's settings, each checked where the file gives it.
fn settings(raw: &RawFile, default_seed: u64) -> Result<Settings, (Range<usize>, &'static str, String)> {
    let particles = *raw.particles.get_ref();
    let settings = Settings {
        particles,
        batch: raw.batch.as_ref().map_or(particles, |b| *b.get_ref()),
        quantile: raw.quantile.as_ref().map_or(DEFAULT_QUANTILE, |q| *q.get_ref()),
        max_generations: *raw.populations.get_ref(),
        min_tolerance: raw.final_tolerance.as_ref().map_or(0.0, |t| *t.get_ref()),
        min_tolerance_change: 0.0,
        max_evaluations: *raw.max_evaluations.get_ref(),
        min_acceptance: raw.min_acceptance.as_ref().map_or(0.0, |a| *a.get_ref()),
        seed: raw.seed.as_ref().map_or(default_seed, |s| *s.get_ref()),
    };
    let span = |v: &Option<Spanned<f64>>| v.as_ref().map_or(0..0, Spanned::span);
    let checks: [(bool, Range<usize>, &'static str, &str); 7] = [
        (particles < 2, raw.particles.span(), "particles", "at least 2"),
        (settings.max_generations == 0, raw.populations.span(), "populations", "at least 1"),
        (settings.batch == 0, raw.batch.as_ref().map_or(0..0, Spanned::span), "batch", "at least 1"),
        (
            !(settings.quantile > 0.0 && settings.quantile < 1.0),
            span(&raw.quantile),
            "quantile",
            "a fraction in (0, 1)",
        ),
        (
            !(settings.min_tolerance >= 0.0 && settings.min_tolerance.is_finite()),
            span(&raw.final_tolerance),
            "final_tolerance",
            "a finite number >= 0 (in standard errors)",
        ),
        (
            !(0.0..1.0).contains(&settings.min_acceptance),
            span(&raw.min_acceptance),
            "min_acceptance",
            "a fraction in [0, 1)",
        ),
        (
            settings.max_evaluations < particles as u64,
            raw.max_evaluations.span(),
            "max_evaluations",
            "at least `particles`",
        ),
    ];
    match checks.into_iter().find(|c| c.0) {
        Some((_, span, key, expected)) => Err((span, key, format!("expected {expected}"))),
        None => Ok(settings),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Value;
    use crate::fit::evaluate;
    use crate::inference::ProposalId;

    fn shipped() -> Spec {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs/fit/menopause_fit.toml");
        Spec::load(&path).expect("the shipped fit file is valid")
    }

    /// A band target is fitted as its midpoint ± its half-width, with the file's defaults filled in.
    #[test]
    fn the_shipped_file_reads_with_its_band_as_midpoint_and_half_width() {
        let spec = shipped();
        assert_eq!(spec.priors.dim(), 2);
        assert_eq!(spec.targets.len(), 1);
        let t = &spec.targets[0];
        assert_eq!((t.observed.value, t.observed.se), (-5.5, 1.5));
        assert_eq!(t.label, "menopause:spine_bmd@730");
        let s = &spec.settings;
        assert_eq!((s.particles, s.batch, s.quantile, s.seed), (10, 10, DEFAULT_QUANTILE, 5));
        assert_eq!((s.min_tolerance, s.min_acceptance), (0.0, 0.0));
        assert_eq!(spec.narrowed_below, DEFAULT_NARROWED);
    }

    /// An evaluation's config runs only the needed scenarios, each with θ set, under its own
    /// seed, and a different candidate gets a different seed.
    #[test]
    fn an_evaluation_sets_theta_in_every_needed_scenario() {
        let spec = shipped();
        let theta = [2.5, 0.95];
        let id = ProposalId { generation: 1, index: 3 };
        let seed = evaluate::seed(spec.settings.seed, id);
        let run = evaluate::config(&spec, 0, &theta, seed).expect("runs");
        assert_eq!(run.seed, seed);
        assert_ne!(seed, evaluate::seed(spec.settings.seed, ProposalId { generation: 1, index: 4 }));
        assert_ne!(seed, evaluate::seed(spec.settings.seed, ProposalId { generation: 2, index: 3 }));
        let names: Vec<&str> = run.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["premenopausal", "menopause"]);
        for s in &run.scenarios {
            assert_eq!(s.params.get("estrogen_loss_rankl"), Some(Value::Float(2.5)));
            assert_eq!(s.params.get("estrogen_loss_osteoblast_work"), Some(Value::Float(0.95)));
        }
        assert_eq!(run.reference, spec.configs[0].reference, "θ never moves the untreated reference");
        assert_eq!(run.comparison.targets.len(), 1);
    }
}
