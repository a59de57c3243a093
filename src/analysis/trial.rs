//! Trial endpoints of a virtual trial (`[population]`: each replicate a patient): per arm and
//! recorded day, on each headline readout, what a trial reports.
//!
//! Rule, for arm a with patients i = 1…n and change from baseline Δ_i = x_i(t) − x_i(0) (for a
//! readout in % of day 0, as the clinical ones are, x_i(0) = 100 and Δ_i is in points):
//! ```text
//! mean ± SD          Δ̄_a,  s_a = √(Σ (Δ_i − Δ̄_a)² / (n − 1))
//! responders         gained_a = #{Δ_i ≥ LSC}/n,   lost_a = #{Δ_i ≤ −LSC}/n
//! a − reference      Δ̄_a − Δ̄_ref with Welch's 95 % interval, as between two trial arms of
//!                    different patients (effects.csv has the paired, same-patient difference)
//! ```
//! Undefined values (NaN) are left out and `patients` counts the rest.
//!
//! | symbol | key | default | unit | source |
//! |---|---|---|---|---|
//! | LSC | `responder_change_pct` | 3 | points of % of day 0 | least significant change of spine DXA at 95 % confidence, ~2.8 % (ISCD precision assessment \[R\]) |

use super::effects::welch;
use super::series::{Groups, metric_index};
use crate::analysis::stats::{defined, summarize};
use crate::config::Config;
use crate::record::RunRecord;

/// One arm's endpoints on one readout at one recorded day.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub scenario: String,
    pub metric: &'static str,
    pub day: f64,
    pub patients: usize,
    pub mean_change: f64,
    pub sd_change: f64,
    /// Shares of patients whose change reached +LSC and −LSC.
    pub gained: f64,
    pub lost: f64,
    /// This arm's mean change minus the reference arm's, with Welch's 95 % interval.
    pub difference: f64,
    pub difference_lo: f64,
    pub difference_hi: f64,
}

/// Each patient's change from baseline Δ_i = x_i(t) − x_i(0) on metric `m` (index into
/// `METRICS`) in arm `v` at recorded sample `i`, in replicate (patient) order; an undefined value
/// stays NaN, so position `p` is always patient `p` (the endpoints leave NaN out, the plot draws
/// no dot). Sample 0 is day 0.
pub fn changes(groups: &Groups, v: usize, i: usize, m: usize) -> Vec<f64> {
    let baseline = groups.values(v, 0, m);
    groups.values(v, i, m).iter().zip(&baseline).map(|(x, x0)| x - x0).collect()
}

/// Every arm's endpoints on every headline readout at every recorded day (none without a
/// `[population]`).
pub fn endpoints(config: &Config, runs: &[RunRecord]) -> Vec<Endpoint> {
    if config.population.is_none() {
        return Vec::new();
    }
    let groups = Groups::new(config, runs);
    let lsc = config.reference.responder_change_pct;
    let r = config.reference_variant(0);
    let mut out = Vec::new();
    for metric in config.comparison.headline_metrics() {
        let m = metric_index(metric);
        for (v, s) in config.scenarios.iter().enumerate() {
            for (i, day) in groups.days(v).into_iter().enumerate() {
                let change = |v: usize, i: usize| defined(&changes(&groups, v, i, m));
                let delta = change(v, i);
                let reference = groups.days(r).iter().position(|&d| d == day).map(|j| change(r, j)).unwrap_or_default();
                let summary = summarize(&delta);
                let n = delta.len();
                let share = |hit: &dyn Fn(f64) -> bool| delta.iter().filter(|&&d| hit(d)).count() as f64 / n as f64;
                let versus = welch(&delta, &reference);
                out.push(Endpoint {
                    scenario: s.name.clone(),
                    metric,
                    day,
                    patients: n,
                    mean_change: summary.mean,
                    sd_change: summary.sd,
                    gained: share(&|d| d >= lsc),
                    lost: share(&|d| d <= -lsc),
                    difference: versus.mean,
                    difference_lo: versus.ci_lo,
                    difference_hi: versus.ci_hi,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides};
    use crate::record::{Sample, densities_at};

    fn run(scenario: &str, replicate: u32, density: f64) -> RunRecord {
        densities_at(scenario, replicate, &[(0.0, 100.0), (30.0, density)])
    }

    #[test]
    fn endpoints_are_the_arms_changes_their_spread_and_responders() {
        let text = "replicates = 4\n[population]\nosteoblast_work = { mean = 1, sd = 0.1 }\n\
                    [[scenario]]\nname = \"placebo\"\n[[scenario]]\nname = \"drug\"\n";
        let config = Config::parse("t.toml", text, &Overrides::default()).unwrap();
        let runs: Vec<RunRecord> = [99.0, 101.0, 98.0, 102.0]
            .iter()
            .enumerate()
            .map(|(r, &x)| run("placebo", r as u32, x))
            .chain([104.0, 102.0, 106.0, 100.0].iter().enumerate().map(|(r, &x)| run("drug", r as u32, x)))
            .collect();
        let e = endpoints(&config, &runs);
        let drug = e.iter().find(|e| e.scenario == "drug" && e.day == 30.0).unwrap();
        // Changes 4, 2, 6, 0: mean 3, SD √(20/3); 6 and 4 reach +3, none −3.
        assert!((drug.mean_change - 3.0).abs() < 1e-12 && (drug.sd_change - (20.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!((drug.patients, drug.gained, drug.lost), (4, 0.5, 0.0));
        // Against placebo (mean 0): 3, with Welch's interval around it.
        assert!((drug.difference - 3.0).abs() < 1e-12 && drug.difference_lo < 3.0 && drug.difference_hi > 3.0);
        let placebo = e.iter().find(|e| e.scenario == "placebo" && e.day == 30.0).unwrap();
        assert_eq!((placebo.gained, placebo.lost, placebo.difference), (0.0, 0.0, 0.0));
        // Without a population there are no patients and no endpoints.
        let plain = Config::parse("t.toml", "replicates = 4\n[[scenario]]\nname = \"a\"\n", &Overrides::default());
        assert!(endpoints(&plain.unwrap(), &runs).is_empty());
    }

    #[test]
    fn a_change_is_from_the_patients_own_day_0_in_any_unit() {
        let text = "replicates = 2\nheadline = [\"osteoclasts\"]\n[population]\nosteoblast_work = { mean = 1, sd = 0.1 }\n\
                    [[scenario]]\nname = \"placebo\"\n";
        let config = Config::parse("t.toml", text, &Overrides::default()).unwrap();
        let patient = |replicate: u32, before: f64, after: f64| {
            let sample = |day: f64, x: f64| Sample { day, osteoclasts: x, ..Sample::default() };
            RunRecord {
                scenario: "placebo".into(),
                replicate,
                samples: vec![sample(0.0, before), sample(30.0, after)],
                ..RunRecord::default()
            }
        };
        let runs = [patient(0, 0.2, 0.5), patient(1, 0.4, 0.3)];
        let groups = Groups::new(&config, &runs);
        let m = metric_index("osteoclasts");
        let d = changes(&groups, 0, 1, m);
        assert!((d[0] - 0.3).abs() < 1e-15 && (d[1] + 0.1).abs() < 1e-15, "{d:?}");
    }
}
