//! Calibration targets beside the model: each `[[target]]`'s effect at its day (the nearest
//! recorded one; for a biopsy index, the biopsy year that holds the day; none when the run stops
//! before it, e.g. shortened with `--set days=…`), and whether it is met. A target is met when the
//! effect's mean lies in [low, high] and, when the band claims a direction (it lies on one side of
//! 0, as `low = 0` for "more bone" does), the effect's 95 % interval excludes 0 as well: an effect
//! whose sign the replicates do not resolve meets no direction. Without an interval (one
//! replicate) the mean alone decides. A
//! `relative` target states the effect in % of the reference's mean: 100·(x_s − x_ref)/mean(x_ref),
//! paired as the effect is. A `from_baseline` target reads the scenario's change from its own day 0
//! instead, x_s(day) − x_s(0), always paired replicate by replicate (in % of its day-0 mean when
//! also `relative`). Under a sweep every target is evaluated at every sweep point.

use super::effects::{self, Difference};
use super::series::{Groups, metric_index};
use crate::config::{Config, DAYS_PER_YEAR, Target};
use crate::record::{BIOPSY, RunRecord};

/// One target at one sweep point.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult<'a> {
    pub target: &'a Target,
    /// The scenario run (with its sweep point).
    pub scenario: String,
    /// The recorded day the effect was read at (a biopsy year's last day), or the target's own
    /// day when nothing was recorded.
    pub day: f64,
    /// The model's effect (`None`: nothing recorded, or the run stopped before the target's day).
    pub diff: Option<Difference>,
    pub met: bool,
}

/// Every target, at every sweep point, in config order.
pub fn evaluate<'a>(config: &'a Config, runs: &[RunRecord]) -> Vec<TargetResult<'a>> {
    let groups = Groups::new(config, runs);
    let mut results = Vec::new();
    for target in &config.comparison.targets {
        let base = config.base_scenarios().iter().position(|s| s.name == target.scenario).unwrap_or(0);
        for point in 0..config.points() {
            let v = base * config.points() + point;
            let r = if target.from_baseline { v } else { config.reference_variant(point) };
            let read = (target.day <= config.days).then(|| values(&groups, target, v, r)).flatten();
            let (day, diff) = match read {
                Some((day, a, b)) => (day, Some(difference(config, target, &a, &b))),
                None => (target.day, None),
            };
            let met = diff.is_some_and(|d| meets(target, &d));
            results.push(TargetResult { target, scenario: config.scenarios[v].name.clone(), day, diff, met });
        }
    }
    results
}

/// Whether effect `d` meets `target`: its mean in the band, and its sign resolved when the band
/// claims one.
fn meets(target: &Target, d: &Difference) -> bool {
    let direction = target.low >= 0.0 || target.high <= 0.0;
    let unresolved = d.ci_lo <= 0.0 && d.ci_hi >= 0.0;
    (target.low..=target.high).contains(&d.mean) && !(direction && unresolved)
}

/// The day read, and the target metric's value in every replicate of scenario `v` and of the
/// reference `r`.
fn values(groups: &Groups, target: &Target, v: usize, r: usize) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    if let Some(b) = BIOPSY.iter().position(|m| *m == target.metric) {
        let year = (target.day / DAYS_PER_YEAR).ceil().max(1.0) as u32;
        let of = |v: usize| -> Vec<f64> {
            let row = |run: &&RunRecord| run.biopsy.iter().find(|row| row.year == year).map(|row| row.values()[b]);
            groups.runs[v].iter().filter_map(row).collect()
        };
        let (a, b) = (of(v), of(r));
        return (!a.is_empty() && !b.is_empty()).then_some((f64::from(year) * DAYS_PER_YEAR, a, b));
    }
    let m = metric_index(target.metric);
    let i = groups.nearest(v, Some(target.day))?;
    let day = *groups.days(v).get(i)?;
    let j = groups.days(r).iter().position(|&d| d == if target.from_baseline { 0.0 } else { day })?;
    Some((day, groups.values(v, i, m), groups.values(r, j, m)))
}

/// The effect of `a` vs the reference `b`, in % of the reference's mean for a relative target.
fn difference(config: &Config, target: &Target, a: &[f64], b: &[f64]) -> Difference {
    let d = if target.from_baseline { effects::paired(a, b) } else { effects::difference(config, a, b) };
    if !target.relative {
        return d;
    }
    let b = crate::analysis::stats::defined(b);
    let scale = 100.0 / (b.iter().sum::<f64>() / b.len() as f64);
    Difference { n: d.n, mean: d.mean * scale, ci_lo: d.ci_lo * scale, ci_hi: d.ci_hi * scale }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn band(low: f64, high: f64) -> Target {
        Target {
            scenario: "s".into(),
            metric: "bone_density",
            day: 0.0,
            relative: false,
            from_baseline: false,
            low,
            high,
            source: String::new(),
            held_out: false,
            trial: None,
        }
    }

    fn effect(mean: f64, ci_lo: f64, ci_hi: f64) -> Difference {
        Difference { n: 4, mean, ci_lo, ci_hi }
    }

    #[test]
    fn a_direction_is_met_only_when_the_interval_excludes_zero() {
        let more_bone = band(0.0, f64::INFINITY);
        assert!(meets(&more_bone, &effect(1.8, 0.8, 2.8)));
        assert!(!meets(&more_bone, &effect(0.9, -0.2, 1.9)), "sign unresolved");
        assert!(!meets(&more_bone, &effect(-0.5, -1.0, 0.0)), "mean outside");
        let less_bone = band(-100.0, 0.0);
        assert!(!meets(&less_bone, &effect(-0.6, -1.4, 0.3)));
        assert!(meets(&less_bone, &effect(-1.6, -2.5, -0.7)));
        // One replicate: no interval, the mean decides.
        assert!(meets(&less_bone, &effect(-0.6, f64::NAN, f64::NAN)));
    }

    #[test]
    fn a_band_across_zero_is_met_by_its_mean_whatever_the_interval() {
        let near_baseline = band(-1.0, 3.0);
        assert!(meets(&near_baseline, &effect(0.5, -2.0, 3.0)));
        assert!(!meets(&near_baseline, &effect(3.2, 2.9, 3.5)));
        let clinical = band(6.0, 12.0);
        assert!(meets(&clinical, &effect(11.0, 10.7, 11.3)));
    }

    #[test]
    fn a_from_baseline_target_reads_the_arms_own_change_from_day_0() {
        use crate::config::Overrides;
        use crate::record::Sample;
        let target = "[[target]]\nscenario = \"drug\"\nmetric = \"bone_density\"\nday = 30\nlow = 2\nhigh = 5\n";
        let text = format!(
            "replicates = 3\ndays = 30\n[[scenario]]\nname = \"placebo\"\n[[scenario]]\nname = \"drug\"\n{target}from_baseline = true\n"
        );
        let config = Config::parse("t.toml", &text, &Overrides::default()).unwrap();
        let run = |scenario: &str, replicate: u32, at_30: f64| {
            let sample = |day: f64, x: f64| Sample { day, bone_density: x, ..Sample::default() };
            RunRecord {
                scenario: scenario.into(),
                replicate,
                samples: vec![sample(0.0, 100.0), sample(30.0, at_30)],
                ..RunRecord::default()
            }
        };
        // The drug's changes 3, 4, 5 (mean 4); placebo's −10 would make the effect 14.
        let runs: Vec<RunRecord> = (0..3)
            .map(|r| run("placebo", r, 90.0))
            .chain((0..3).map(|r| run("drug", r, 103.0 + f64::from(r))))
            .collect();
        let result = &evaluate(&config, &runs)[0];
        let d = result.diff.as_ref().expect("an effect");
        assert_eq!((d.n, d.mean), (3, 4.0));
        assert!(result.met && d.ci_lo < 4.0 && d.ci_hi > 4.0);
        assert!(config.resolved_toml().contains("from_baseline = true\n"), "the resolved config keeps it");
        // The biopsy has no day 0: refused at the key.
        let biopsy = text.replace("metric = \"bone_density\"", "metric = \"turnover_pct_per_year\"");
        let e = Config::parse("t.toml", &biopsy, &Overrides::default()).unwrap_err();
        assert_eq!((e.key.as_str(), e.line), ("target[0].from_baseline", 13), "{e}");
    }
}
