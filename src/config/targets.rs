//! Calibration targets: the `[[target]]` tables of a config (docs/plots.md, "Calibration
//! targets"), read once into [`Target`]s.
//!
//! Instead of a band, a target may give the trial's estimate of the effect with its uncertainty,
//! `estimate` with either `se` (its standard error) or `ci95 = [lo, hi]` (its 95 % interval, which
//! must hold the estimate). [low, high] is then that interval (estimate ± 1.96·se from `se`), so a
//! target is met, as a band is, when the model's mean effect lies in it; the estimate and its
//! error are kept for fits that weigh each target by its error (`inference::distance`). A
//! target is either a band or an estimate: mixing the two, or giving both `se` and `ci95`, is
//! refused, as is an `estimate` without its error or an error without its estimate.
//!
//! A target's `day` is read at the nearest recorded day. `metric` is one of the recorded metrics
//! (`timeseries.csv`) or a biopsy index (`histomorphometry.csv`, read for the biopsy year that
//! holds `day`: day 1095 is year 3). `relative = true` states the range as % of the reference's
//! mean (activation frequency −36 % rather than −0.29 per site-year). `from_baseline = true` reads
//! the scenario's change from its own day 0 instead of its difference from the reference, as a
//! trial arm without a control reports it (an open-label extension); it needs a recorded metric,
//! since the biopsy has no day 0. Under a `[sweep]` every target is evaluated at every sweep point.

use super::keys::did_you_mean;
use super::located::{Doc, Locations};
use super::{ConfigError, Scenario};
use crate::record::{BIOPSY, METRICS};
use toml::Spanned;
use toml::de::DeValue;

/// "The effect of `scenario` vs the reference on `metric` at `day` should lie in [low, high]."
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    /// A scenario as written in the config (under a sweep: at every point).
    pub scenario: String,
    /// One of [`METRICS`] or [`BIOPSY`].
    pub metric: &'static str,
    pub day: f64,
    /// The range is in % of the reference's mean, not in the metric's units.
    pub relative: bool,
    /// The effect is the scenario's change from its own day 0, not its difference from the
    /// reference (`from_baseline = true`).
    pub from_baseline: bool,
    pub low: f64,
    pub high: f64,
    /// Where the range comes from (free text).
    pub source: String,
    /// A trial the model was not fitted to (`held_out = true`): reported beside the others and
    /// never fitted (`bmu-sim fit` leaves it out).
    pub held_out: bool,
    /// The trial's estimate and its error, when the target gives them instead of a band;
    /// [`low`](Self::low), [`high`](Self::high) are then its 95 % interval.
    pub trial: Option<Trial>,
}

/// The standard normal's 97.5 % quantile: a 95 % interval is estimate ± Z95·se.
pub const Z95: f64 = 1.959_963_984_540_054;

/// A trial's estimate of an effect with its standard error.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    pub estimate: f64,
    /// The standard error: `se` as given, or (hi − lo) / (2·Z95) from `ci95`.
    pub se: f64,
    /// Which form the config gave (the resolved config writes it back the same way).
    pub given: Spread,
}

/// How a trial's uncertainty was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spread {
    /// `se`: the interval is estimate ± Z95·se.
    StandardError,
    /// `ci95 = [lo, hi]`: the interval as published (it may be asymmetric).
    Interval95,
}

/// The keys that state a target's range, with the spans of their values, as read.
#[derive(Default)]
struct Given {
    low: Option<(f64, Span)>,
    high: Option<(f64, Span)>,
    estimate: Option<(f64, Span)>,
    se: Option<(f64, Span)>,
    ci95: Option<((f64, f64), Span)>,
}

type Span = std::ops::Range<usize>;

impl Given {
    /// [low, high] and the trial, or the error: located at the value that contradicts the others
    /// or lacks its partner, under its key.
    fn resolve(self, doc: &Doc, prefix: &str, table: &Span) -> Result<(f64, f64, Option<Trial>), ConfigError> {
        let err = |key: &str, span: &Span, message: &str| doc.err(span, &format!("{prefix}.{key}"), message);
        let spans = [
            ("estimate", self.estimate.as_ref().map(|e| &e.1)),
            ("se", self.se.as_ref().map(|e| &e.1)),
            ("ci95", self.ci95.as_ref().map(|e| &e.1)),
        ];
        let Some((first, first_span)) =
            spans.into_iter().filter_map(|(k, s)| s.map(|s| (k, s))).min_by_key(|(_, s)| s.start)
        else {
            return match (self.low, self.high) {
                (Some((low, _)), Some((high, _))) if low <= high => Ok((low, high, None)),
                _ => Err(err(
                    "low",
                    table,
                    "every [[target]] needs `low` and `high` with low <= high, or `estimate` with `se` or `ci95`",
                )),
            };
        };
        if self.low.is_some() || self.high.is_some() {
            let message =
                "a target is a band (`low`, `high`) or a trial's estimate (`estimate` with `se` or `ci95`), not both";
            return Err(err(first, first_span, message));
        }
        let Some((estimate, estimate_span)) = self.estimate else {
            return Err(err(first, first_span, &format!("`{first}` needs the `estimate` it is the error of")));
        };
        match (self.se, self.ci95) {
            (Some((_, se_span)), Some((_, ci_span))) => {
                let (key, span) = if se_span.start > ci_span.start { ("se", se_span) } else { ("ci95", ci_span) };
                Err(err(key, &span, "give the estimate's `se` or its `ci95`, not both"))
            }
            (None, None) => Err(err(
                "estimate",
                &estimate_span,
                "`estimate` needs its error: `se` (standard error) or `ci95` ([lo, hi])",
            )),
            (Some((se, span)), None) => {
                if se <= 0.0 {
                    return Err(err("se", &span, "a standard error must be > 0"));
                }
                let trial = Trial { estimate, se, given: Spread::StandardError };
                Ok((estimate - Z95 * se, estimate + Z95 * se, Some(trial)))
            }
            (None, Some(((lo, hi), span))) => {
                if !(lo < hi && (lo..=hi).contains(&estimate)) {
                    return Err(err(
                        "ci95",
                        &span,
                        &format!("expected [lo, hi] with lo < hi holding the estimate {estimate}"),
                    ));
                }
                let trial = Trial { estimate, se: (hi - lo) / (2.0 * Z95), given: Spread::Interval95 };
                Ok((lo, hi, Some(trial)))
            }
        }
    }
}

/// Read the `[[target]]` tables, checking scenario names and metrics.
pub(super) fn read(
    doc: &Doc,
    v: &Spanned<DeValue>,
    scenarios: &[Scenario],
    at: &mut Locations,
) -> Result<Vec<Target>, ConfigError> {
    let list = v.get_ref().as_array().ok_or_else(|| doc.err(&v.span(), "target", "expected [[target]] tables"))?;
    let mut targets = Vec::new();
    for (n, t) in list.iter().enumerate() {
        let prefix = format!("target[{n}]");
        let mut target = Target {
            scenario: String::new(),
            metric: "",
            day: f64::NAN,
            relative: false,
            from_baseline: false,
            low: f64::NAN,
            high: f64::NAN,
            source: String::new(),
            held_out: false,
            trial: None,
        };
        let mut given = Given::default();
        let mut baseline_at = None;
        for (k, v) in Doc::entries(doc.table(t, &prefix)?) {
            let key = format!("{prefix}.{}", k.get_ref());
            match k.get_ref().as_ref() {
                "scenario" => {
                    let name = doc.string(v, &key)?;
                    if !scenarios.iter().any(|s| s.name == name) {
                        let known: Vec<&str> = scenarios.iter().map(|s| s.name.as_str()).collect();
                        return Err(doc.err(
                            &v.span(),
                            &key,
                            format!(
                                "unknown scenario `{name}`{}; the config has {}",
                                did_you_mean(&name, known.iter().copied()),
                                known.join(", ")
                            ),
                        ));
                    }
                    target.scenario = name;
                    at.insert(key.clone(), doc.err(&v.span(), &key, ""));
                }
                "metric" => {
                    let name = doc.string(v, &key)?;
                    target.metric = METRICS.iter().chain(&BIOPSY).find(|m| **m == name).ok_or_else(|| {
                        let known = format!("{}, {}", METRICS.join(", "), BIOPSY.join(", "));
                        let hint = did_you_mean(&name, METRICS.iter().chain(&BIOPSY).copied());
                        doc.err(&v.span(), &key, format!("unknown metric `{name}`{hint}; known: {known}"))
                    })?;
                }
                "day" => {
                    target.day = doc.float(v, &key, 0.0)?;
                    at.insert(key.clone(), doc.err(&v.span(), &key, ""));
                }
                "relative" => target.relative = doc.switch(v, &key)?,
                "from_baseline" => {
                    target.from_baseline = doc.switch(v, &key)?;
                    baseline_at = Some(v.span());
                }
                "low" => given.low = Some((doc.float(v, &key, f64::MIN)?, v.span())),
                "high" => given.high = Some((doc.float(v, &key, f64::MIN)?, v.span())),
                "estimate" => given.estimate = Some((doc.float(v, &key, f64::MIN)?, v.span())),
                "se" => given.se = Some((doc.float(v, &key, f64::MIN)?, v.span())),
                "ci95" => {
                    let pair = v.get_ref().as_array().filter(|a| a.len() == 2);
                    let pair = pair.ok_or_else(|| doc.err(&v.span(), &key, "expected [lo, hi]"))?;
                    let (lo, hi) = (doc.float(&pair[0], &key, f64::MIN)?, doc.float(&pair[1], &key, f64::MIN)?);
                    given.ci95 = Some(((lo, hi), v.span()));
                }
                "source" => target.source = doc.string(v, &key)?,
                "held_out" => target.held_out = doc.switch(v, &key)?,
                other => {
                    let fields = [
                        "scenario",
                        "metric",
                        "day",
                        "relative",
                        "from_baseline",
                        "low",
                        "high",
                        "estimate",
                        "se",
                        "ci95",
                        "source",
                        "held_out",
                    ];
                    let hint = did_you_mean(other, fields);
                    return Err(doc.err(&k.span(), &key, format!("unknown key{hint}; expected {}", fields.join(", "))));
                }
            }
        }
        for (missing, what) in [
            (target.scenario.is_empty(), "scenario"),
            (target.metric.is_empty(), "metric"),
            (target.day.is_nan(), "day"),
        ] {
            if missing {
                return Err(doc.err(
                    &t.span(),
                    &format!("{prefix}.{what}"),
                    format!("every [[target]] needs `{what}`"),
                ));
            }
        }
        if let Some(span) = baseline_at.filter(|_| target.from_baseline && BIOPSY.contains(&target.metric)) {
            let key = format!("{prefix}.from_baseline");
            let what = format!("`{}` is a biopsy index, and the biopsy has no day 0 to change from", target.metric);
            return Err(doc.err(&span, &key, what));
        }
        (target.low, target.high, target.trial) = given.resolve(doc, &prefix, &t.span())?;
        targets.push(target);
    }
    Ok(targets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};

    const SCENARIOS: &str = "days = 100\n[[scenario]]\nname = \"placebo\"\n[[scenario]]\nname = \"drug\"\n";
    /// The line the target's range keys start on (after `SCENARIOS` and the target's header).
    const RANGE_LINE: usize = 10;

    fn parse(range: &str) -> Result<Config, ConfigError> {
        let text = format!("{SCENARIOS}[[target]]\nscenario = \"drug\"\nmetric = \"bone_density\"\nday = 90\n{range}");
        Config::parse("t.toml", &text, &Overrides::default())
    }

    fn round_trip(config: &Config) {
        let again = Config::parse("t.toml", &config.resolved_toml(), &Overrides::default()).expect("resolved parses");
        assert_eq!(again.comparison.targets, config.comparison.targets);
    }

    #[test]
    fn a_band_reads_as_before() {
        let c = parse("low = 6.0\nhigh = 12.0\n").unwrap();
        let t = &c.comparison.targets[0];
        assert_eq!((t.low, t.high, t.trial), (6.0, 12.0, None));
        assert!(c.resolved_toml().contains("relative = false\nlow = 6.0\nhigh = 12.0\nsource = \"\"\n"));
        round_trip(&c);
    }

    #[test]
    fn an_estimate_with_its_error_gives_its_95_interval() {
        let c = parse("estimate = 9.0\nse = 1.5\n").unwrap();
        let t = &c.comparison.targets[0];
        assert_eq!(t.trial, Some(Trial { estimate: 9.0, se: 1.5, given: Spread::StandardError }));
        assert_eq!((t.low, t.high), (9.0 - Z95 * 1.5, 9.0 + Z95 * 1.5));
        round_trip(&c);
        // A published interval stays as published, asymmetric or not; its se is its width / 2·Z95.
        let c = parse("estimate = 9.0\nci95 = [5, 11.0]\n").unwrap();
        let t = &c.comparison.targets[0];
        assert_eq!((t.low, t.high), (5.0, 11.0));
        let trial = t.trial.unwrap();
        assert_eq!((trial.estimate, trial.given), (9.0, Spread::Interval95));
        assert!((trial.se - 6.0 / (2.0 * Z95)).abs() < 1e-15);
        round_trip(&c);
    }

    /// Contradictory or incomplete ranges are refused at the offending value, under its key.
    #[test]
    fn contradictory_or_incomplete_ranges_are_located() {
        let cases = [
            ("low = 1\nhigh = 2\nestimate = 1.5\nse = 0.1\n", 2, 12, "estimate", "not both"),
            ("se = 0.1\nlow = 1\nhigh = 2\n", 0, 6, "se", "not both"),
            ("estimate = 1.5\nse = 0.1\nci95 = [1, 2]\n", 2, 8, "ci95", "not both"),
            ("estimate = 1.5\nci95 = [1, 2]\nse = 0.1\n", 2, 6, "se", "not both"),
            ("estimate = 1.5\n", 0, 12, "estimate", "needs its error"),
            ("se = 0.5\n", 0, 6, "se", "needs the `estimate`"),
            ("ci95 = [1, 2]\n", 0, 8, "ci95", "needs the `estimate`"),
            ("estimate = 1.5\nse = 0\n", 1, 6, "se", "must be > 0"),
            ("estimate = 1.5\nci95 = [2, 1]\n", 1, 8, "ci95", "lo < hi"),
            ("estimate = 3\nci95 = [1, 2]\n", 1, 8, "ci95", "holding the estimate 3"),
            ("estimate = 1.5\nci95 = [1, 2, 3]\n", 1, 8, "ci95", "expected [lo, hi]"),
            ("estimate = 1.5\nci95 = [1, \"2\"]\n", 1, 12, "ci95", "expected a finite number, found the string \"2\""),
        ];
        for (range, line, column, key, message) in cases {
            let e = parse(range).expect_err(range);
            assert_eq!(
                (e.file.as_str(), e.line, e.column, e.key.as_str()),
                ("t.toml", RANGE_LINE + line, column, format!("target[0].{key}").as_str()),
                "{range:?}: {e}"
            );
            assert!(e.message.contains(message), "{range:?}: {e}");
        }
        let e = parse("source = \"none\"\n").unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("target[0].low", RANGE_LINE - 4));
        assert!(e.message.contains("or `estimate` with `se` or `ci95`"), "{e}");
    }
}
