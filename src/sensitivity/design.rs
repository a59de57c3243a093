//! A design as ordinary ensemble units: the config whose scenarios are every output scenario at
//! every design point, and the outputs read back from its runs.
//!
//! Design point p of scenario s is the scenario `<s>-p<p>`, with every design key set to the
//! point's value, in point-major order (`scenarios[p · k + j]` for the j-th of the k scenarios the
//! outputs name). Unit `(p · k + j) · replicates + r` is therefore stable for a given file, and a
//! study of this config runs on threads and resumes like any run. Common random numbers are
//! switched on, so replicate r draws the same streams at every point: a parameter the outputs do
//! not depend on gives bit-identical runs, and its Morris effects are exactly 0. As under a
//! `[sweep]`, the design sets scenario parameters and never the untreated `[params]` reference.
//!
//! Why not a `[sweep]`: a sweep's zip mode refuses a key that repeats a value, and a Morris
//! trajectory repeats the grid's values by construction; sweep names carry values, design names
//! carry the point's index (the values are in `points.csv`).

use super::file::{Output, Spec};
use crate::Error;
use crate::analysis::Groups;
use crate::analysis::stats::{defined, defined_pairs, summarize};
use crate::config::{Config, ConfigError, Overrides, Value};
use crate::record::{METRICS, RunRecord};

/// The scenarios (indices into the spec's config) the outputs need, in first-use order.
pub fn needed(spec: &Spec) -> Vec<usize> {
    let mut used: Vec<usize> = Vec::new();
    for o in &spec.outputs {
        for s in std::iter::once(o.scenario).chain(o.effect_vs) {
            if !used.contains(&s) {
                used.push(s);
            }
        }
    }
    used
}

/// The config that runs every design point, checked as any config is (it reads back from its
/// resolved text, as a resumed run reads it from its plan).
pub fn config(spec: &Spec, points: &[Vec<f64>]) -> Result<Config, Error> {
    let base = &spec.config;
    let mut design = base.clone();
    design.source.clone_from(&spec.source);
    design.sweep = None;
    design.comparison.common_random_numbers = true;
    design.comparison.targets.clear();
    design.plots = false;
    design.scenarios = Vec::with_capacity(points.len() * needed(spec).len());
    for (p, theta) in points.iter().enumerate() {
        for &s in &needed(spec) {
            let mut scenario = base.scenarios[s].clone();
            scenario.name = format!("{}-p{p}", scenario.name);
            for (prior, &x) in spec.priors.list().iter().zip(theta) {
                // Every value lies inside a range checked against every needed scenario.
                let _ = scenario.params.set(&prior.name, Value::Float(x));
            }
            design.scenarios.push(scenario);
        }
    }
    design.comparison.reference_scenario = design.scenarios.first().map(|s| s.name.clone()).unwrap_or_default();
    // The text is generated: its lines mean nothing to the user, the scenario and key do.
    Config::parse(&spec.source, &design.resolved_toml(), &Overrides::default()).map_err(|e| {
        let message = format!("the design makes a config that cannot run: {}", e.message);
        Error::Config(ConfigError { line: 0, column: 0, message, ..e })
    })
}

/// An output's label in the tables: `metric:scenario[-reference]@day`, with the day read.
pub fn label(spec: &Spec, output: &Output, day: f64) -> String {
    let name = |s: usize| spec.config.scenarios[s].name.as_str();
    let versus = output.effect_vs.map_or(String::new(), |r| format!("-{}", name(r)));
    format!("{}:{}{versus}@{}", output.metric, name(output.scenario), crate::config::sweep::number(day))
}

/// Each output at each point (`outputs[o][p]`): the mean over replicates of the metric at the
/// recorded day nearest the asked one, or for an effect the mean paired difference from the
/// reference scenario; replicates where the metric is undefined (no cells: NaN) are left out, as
/// in `summary.csv` and `effects.csv`. Also the day each output was read at.
pub fn outputs(spec: &Spec, design: &Config, runs: &[RunRecord], points: usize) -> (Vec<Vec<f64>>, Vec<f64>) {
    let groups = Groups::new(design, runs);
    let used = needed(spec);
    let k = used.len();
    let at = |s: usize| used.iter().position(|&u| u == s).unwrap_or(0);
    let mut days = Vec::new();
    let values = spec
        .outputs
        .iter()
        .map(|o| {
            let m = METRICS.iter().position(|n| *n == o.metric).unwrap_or(0);
            let sample = groups.nearest(at(o.scenario), o.day).unwrap_or(0);
            days.push(groups.days(at(o.scenario)).get(sample).copied().unwrap_or(f64::NAN));
            let values = |v: usize| groups.values(v, sample, m);
            (0..points)
                .map(|p| {
                    let y = values(p * k + at(o.scenario));
                    match o.effect_vs {
                        None => summarize(&defined(&y)).mean,
                        Some(r) => {
                            let (a, b) = defined_pairs(&y, &values(p * k + at(r)));
                            let d: Vec<f64> = a.iter().zip(&b).map(|(a, b)| a - b).collect();
                            summarize(&d).mean
                        }
                    }
                })
                .collect()
        })
        .collect();
    (values, days)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sensitivity::Analysis;
    use std::path::Path;

    #[test]
    fn every_point_is_each_needed_scenario_with_its_values_under_common_random_numbers() {
        let text = "config = \"smoke.toml\"\nmethod = \"morris\"\ntrajectories = 2\n\
                    [[parameter]]\nkey = \"damage_per_day\"\nlow = 1.0\nhigh = 3.0\n\
                    [[output]]\nmetric = \"mean_ros\"\nscenario = \"pink1_knockout\"\neffect_vs = \"untreated\"\n";
        let configs = Path::new(env!("CARGO_MANIFEST_DIR")).join("configs");
        let spec = Spec::parse("s.toml", text.into(), &configs).expect("valid");
        let analysis = Analysis::new(spec).expect("runs");
        let (c, points) = (&analysis.config, &analysis.points);
        assert_eq!(points.len(), 2 * 2);
        assert_eq!(c.scenarios.len(), points.len() * 2);
        assert!(c.comparison.common_random_numbers && c.sweep.is_none() && c.comparison.targets.is_empty());
        assert_eq!(c.reference, analysis.spec.config.reference, "the design never moves the reference");
        for (p, theta) in points.iter().enumerate() {
            for (j, name) in ["pink1_knockout", "untreated"].iter().enumerate() {
                let s = &c.scenarios[p * 2 + j];
                assert_eq!(s.name, format!("{name}-p{p}"));
                assert_eq!(s.params.get("damage_per_day"), Some(Value::Float(theta[0])));
            }
        }
    }
}
