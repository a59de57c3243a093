//! Calibration targets beside the model: each `[[target]]`'s effect at its day (the nearest
//! recorded one; none when the run stops before it, e.g. shortened with `--set days=…`), and
//! whether it is met. A target is met when the effect's mean lies in
//! [low, high]; its interval is reported beside it for judgement. Under a sweep every target is
//! evaluated at every sweep point.

use super::effects::{Effect, effect};
use super::series::{Groups, metric_index};
use crate::config::{Config, Target};
use crate::record::RunRecord;

/// One target at one sweep point.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetResult<'a> {
    pub target: &'a Target,
    /// The model's effect at the recorded day nearest the target's (`None`: nothing recorded, or
    /// the run stopped before the target's day).
    pub effect: Option<Effect>,
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
            let effect = (target.day <= config.days)
                .then(|| groups.nearest(v, Some(target.day)))
                .flatten()
                .and_then(|i| effect(config, &groups, v, i, metric_index(target.metric)));
            let met = effect.as_ref().is_some_and(|e| (target.low..=target.high).contains(&e.diff.mean));
            results.push(TargetResult { target, effect, met });
        }
    }
    results
}
