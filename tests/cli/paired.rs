//! Paired effects read from a finished run's `timeseries.csv` and `histomorphometry.csv`: each
//! scenario's replicate r minus the reference's replicate r (common random numbers), and the mean
//! of those differences with its 95 % t interval over replicates.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A mean paired difference with its 95 % interval.
#[derive(Clone, Copy, Debug)]
pub struct Effect {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// t(0.975, df) for df = 1…12.
const T975: [f64; 12] = [
    12.706204736174705,
    4.302652729749464,
    3.1824463052837095,
    2.7764451051977934,
    2.5705818356363155,
    2.446911848791681,
    2.3646242515927844,
    2.3060041352041662,
    2.2621571627982053,
    2.2281388519649385,
    2.200985160082949,
    2.1788128296672284,
];

/// Mean and 95 % t interval of per-replicate values.
pub fn effect(xs: &[f64]) -> Effect {
    let n = xs.len() as f64;
    assert!(xs.len() >= 2 && xs.len() <= T975.len() + 1, "{} replicates", xs.len());
    let mean = xs.iter().sum::<f64>() / n;
    let sd = (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
    let half = T975[xs.len() - 2] * sd / n.sqrt();
    Effect { mean, lo: mean - half, hi: mean + half }
}

/// One finished run of a config, read as paired effects against `reference`.
pub struct Paired {
    pub dir: PathBuf,
    pub reference: &'static str,
    pub replicates: usize,
}

impl Paired {
    /// Run `config` with `--set`s into the tests' temporary directory (named `tag` and this
    /// process), plots off.
    pub fn run(config: &str, tag: &str, reference: &'static str, sets: &[&str]) -> Paired {
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
        let dir = tmp.join(format!("{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut args =
            vec!["run", config, "--out", dir.to_str().expect("utf-8 path"), "--quiet", "--set", "plots=false"];
        for s in sets {
            args.extend(["--set", s]);
        }
        bmu(tmp, &args).ok();
        let replicates =
            sets.iter().find_map(|s| s.strip_prefix("replicates=")).map_or(0, |r| r.parse().expect("replicates"));
        Paired { dir, reference, replicates }
    }

    /// Paired differences `scenario − reference` of a `timeseries.csv` metric, per recorded day,
    /// one per replicate.
    pub fn diffs(&self, scenario: &str, metric: &str) -> BTreeMap<i64, Vec<f64>> {
        let pairs = self.pairs("timeseries.csv", "day", scenario, metric);
        pairs.into_iter().map(|(d, xs)| (d, xs.iter().map(|(x, r)| x - r).collect())).collect()
    }

    /// `(scenario, reference)` values of `metric` in `file`, per value of the column `by`, one
    /// pair per replicate.
    fn pairs(&self, file: &str, by: &str, scenario: &str, metric: &str) -> BTreeMap<i64, Vec<(f64, f64)>> {
        let (h, rows) = csv(&self.dir.join(file));
        let (sc, rep, at, m) = (col(&h, "scenario"), col(&h, "replicate"), col(&h, by), col(&h, metric));
        // An empty field is an undefined value (a rate at day 0, a mean over no cells): NaN.
        let value = |r: &Vec<String>| match r[m].as_str() {
            "" => f64::NAN,
            x => x.parse::<f64>().unwrap_or_else(|_| panic!("{metric} `{x}`")),
        };
        let key = |r: &Vec<String>| r[at].parse::<f64>().expect(by).round() as i64;
        let reference: BTreeMap<(String, i64), f64> =
            rows.iter().filter(|r| r[sc] == self.reference).map(|r| ((r[rep].clone(), key(r)), value(r))).collect();
        let mut pairs: BTreeMap<i64, Vec<(f64, f64)>> = BTreeMap::new();
        for r in rows.iter().filter(|r| r[sc] == scenario) {
            pairs.entry(key(r)).or_default().push((value(r), reference[&(r[rep].clone(), key(r))]));
        }
        assert!(!pairs.is_empty(), "no rows for scenario {scenario} in {file}");
        assert!(pairs.values().all(|xs| xs.len() == self.replicates), "{scenario}: not {} replicates", self.replicates);
        pairs
    }

    /// The effect on `metric` at the recorded day nearest `day`.
    pub fn at(&self, scenario: &str, metric: &str, day: i64) -> Effect {
        let diffs = self.diffs(scenario, metric);
        let (_, xs) = diffs.iter().min_by_key(|(d, _)| (**d - day).abs()).expect("days");
        effect(xs)
    }

    /// The effect on `metric` averaged over recorded days in [from, to].
    pub fn over(&self, scenario: &str, metric: &str, from: i64, to: i64) -> Effect {
        let diffs = self.diffs(scenario, metric);
        let windows: Vec<&Vec<f64>> = diffs.range(from..=to).map(|(_, xs)| xs).collect();
        let per_replicate: Vec<f64> =
            (0..self.replicates).map(|r| windows.iter().map(|xs| xs[r]).sum::<f64>() / windows.len() as f64).collect();
        effect(&per_replicate)
    }

    /// Per replicate, the least-squares slope (per year) of the paired difference in `metric` over
    /// recorded days in [from, to]: its mean and 95 % interval.
    pub fn trend(&self, scenario: &str, metric: &str, from: i64, to: i64) -> Effect {
        let diffs = self.diffs(scenario, metric);
        let points: Vec<(f64, &Vec<f64>)> = diffs.range(from..=to).map(|(d, xs)| (*d as f64 / 365.0, xs)).collect();
        let t_mean = points.iter().map(|p| p.0).sum::<f64>() / points.len() as f64;
        let sxx: f64 = points.iter().map(|p| (p.0 - t_mean).powi(2)).sum();
        let slopes: Vec<f64> = (0..self.replicates)
            .map(|r| {
                let y_mean = points.iter().map(|p| p.1[r]).sum::<f64>() / points.len() as f64;
                points.iter().map(|p| (p.0 - t_mean) * (p.1[r] - y_mean)).sum::<f64>() / sxx
            })
            .collect();
        effect(&slopes)
    }

    /// The effect on a biopsy index (`histomorphometry.csv`) in recorded year `year`, in % of the
    /// reference's mean.
    pub fn biopsy_pct(&self, scenario: &str, index: &str, year: i64) -> Effect {
        let pairs = &self.pairs("histomorphometry.csv", "year", scenario, index)[&year];
        let scale = 100.0 * pairs.len() as f64 / pairs.iter().map(|(_, r)| r).sum::<f64>();
        effect(&pairs.iter().map(|(x, r)| (x - r) * scale).collect::<Vec<_>>())
    }

    /// The effect of scenario `a` against scenario `b` (both paired with the same replicates) on
    /// `metric` at the recorded day nearest `day`.
    pub fn between(&self, a: &str, b: &str, metric: &str, day: i64) -> Effect {
        let (da, db) = (self.diffs(a, metric), self.diffs(b, metric));
        let (d, xs) = da.iter().min_by_key(|(d, _)| (**d - day).abs()).expect("days");
        let ys = &db[d];
        effect(&xs.iter().zip(ys).map(|(x, y)| x - y).collect::<Vec<_>>())
    }
}
