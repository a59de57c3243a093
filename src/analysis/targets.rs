//! Calibration targets beside the model: each `[[target]]`'s effect at its day (the nearest
//! recorded one; for a biopsy index, the biopsy year that holds the day; none when the run stops
//! before it, e.g. shortened with `--set days=…`), and whether it is met. A target is met when the
//! effect's mean lies in [low, high] and, when the band claims a direction (it lies on one side of
//! 0, as `low = 0` for "more bone" does), the effect's 95 % interval excludes 0 as well: an effect
//! whose sign the replicates do not resolve meets no direction. Without an interval (one
//! replicate) the mean alone decides. A
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

#[cfg(test)]
mod tests {
    use super::*;

    fn band(low: f64, high: f64) -> Target {
        Target {
            scenario: "s".into(),
            metric: "bone_density",
            day: 0.0,
            relative: false,
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
}
