//! Calibration targets beside the model: each `[[target]]`'s effect at its day (the nearest
//! recorded one; for a biopsy index, the biopsy year that holds the day; none when the run stops
//! before it, e.g. shortened with `--set days=…`), and whether it is met. A target is met when the
//! effect's mean lies in [low, high]; its interval is reported beside it for judgement. A
//! `relative` target states the effect in % of the reference's mean: 100·(x_s − x_ref)/mean(x_ref),
//! paired as the effect is. Under a sweep every target is evaluated at every sweep point.

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
            let r = config.reference_variant(point);
            let read = (target.day <= config.days).then(|| values(&groups, target, v, r)).flatten();
            let (day, diff) = match read {
                Some((day, a, b)) => (day, Some(difference(config, target, &a, &b))),
                None => (target.day, None),
            };
            let met = diff.is_some_and(|d| (target.low..=target.high).contains(&d.mean));
            results.push(TargetResult { target, scenario: config.scenarios[v].name.clone(), day, diff, met });
        }
    }
    results
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
    let j = groups.days(r).iter().position(|&d| d == day)?;
    Some((day, groups.values(v, i, m), groups.values(r, j, m)))
}

/// The effect of `a` vs the reference `b`, in % of the reference's mean for a relative target.
fn difference(config: &Config, target: &Target, a: &[f64], b: &[f64]) -> Difference {
    let d = effects::difference(config, a, b);
    if !target.relative {
        return d;
    }
    let b = crate::analysis::stats::defined(b);
    let scale = 100.0 / (b.iter().sum::<f64>() / b.len() as f64);
    Difference { n: d.n, mean: d.mean * scale, ci_lo: d.ci_lo * scale, ci_hi: d.ci_hi * scale }
}
