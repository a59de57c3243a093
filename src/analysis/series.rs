//! Runs grouped by scenario, and what the plots and tables read from them: per-day means with
//! their 95 % interval, per-year biopsy means, the sweep response.

use crate::analysis::stats::{Summary, defined, summarize};
use crate::config::Config;
use crate::config::sweep::Sweep;
use crate::record::{BIOPSY_NON_NEGATIVE, METRICS, NON_NEGATIVE, RunRecord};

/// The runs of every entry of [`Config::scenarios`], in that order, each in replicate order.
pub struct Groups<'a> {
    pub runs: Vec<Vec<&'a RunRecord>>,
}

impl<'a> Groups<'a> {
    pub fn new(config: &Config, runs: &'a [RunRecord]) -> Groups<'a> {
        let mut groups: Vec<Vec<&RunRecord>> = config.scenarios.iter().map(|_| Vec::new()).collect();
        for run in runs {
            if let Some(v) = config.scenarios.iter().position(|s| s.name == run.scenario) {
                groups[v].push(run);
            }
        }
        for g in &mut groups {
            g.sort_by_key(|r| r.replicate);
        }
        Groups { runs: groups }
    }

    /// The days recorded by scenario `v` (its first replicate's).
    pub fn days(&self, v: usize) -> Vec<f64> {
        self.runs[v].first().map_or_else(Vec::new, |r| r.samples.iter().map(|s| s.day).collect())
    }

    /// Metric `m` (index into [`METRICS`]) of every replicate of scenario `v` at sample `i`.
    pub fn values(&self, v: usize, i: usize, m: usize) -> Vec<f64> {
        self.runs[v].iter().filter_map(|r| r.samples.get(i)).map(|s| s.values()[m]).collect()
    }

    /// Index of the recorded sample of scenario `v` nearest to `day` (the last one for `None`).
    pub fn nearest(&self, v: usize, day: Option<f64>) -> Option<usize> {
        let days = self.days(v);
        match day {
            None => days.len().checked_sub(1),
            Some(d) => (0..days.len()).min_by(|&a, &b| (days[a] - d).abs().total_cmp(&(days[b] - d).abs())),
        }
    }
}

/// Summary of metric `m` over the replicates where it is defined (`n` counts those), its interval
/// clamped at 0 for a metric that cannot be negative ([`NON_NEGATIVE`]).
pub fn summary(values: &[f64], m: usize) -> Summary {
    let mut s = summarize(&defined(values));
    if NON_NEGATIVE[m] && s.ci_lo < 0.0 {
        s.ci_lo = 0.0;
    }
    s
}

/// A curve over time with its 95 % band.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    /// Days, or years for biopsy indices.
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
}

impl Band {
    fn push(&mut self, x: f64, s: Summary) {
        self.x.push(x);
        self.mean.push(s.mean);
        self.lo.push(s.ci_lo);
        self.hi.push(s.ci_hi);
    }
}

/// Metric `m` of scenario `v` over time: the ensemble mean with its 95 % band.
pub fn metric_band(groups: &Groups, v: usize, m: usize) -> Band {
    let mut band = Band::default();
    for (i, day) in groups.days(v).into_iter().enumerate() {
        band.push(day, summary(&groups.values(v, i, m), m));
    }
    band
}

/// Biopsy index `b` (index into [`BIOPSY`](crate::record::BIOPSY)) of scenario `v` per recorded year, mean and 95 %
/// band over the replicates that measured it that year (a year without the index is skipped).
pub fn biopsy_band(groups: &Groups, v: usize, b: usize) -> Band {
    let mut band = Band::default();
    let years = groups.runs[v].first().map_or_else(Vec::new, |r| r.biopsy.iter().map(|row| row.year).collect());
    for year in years {
        let xs: Vec<f64> = groups.runs[v]
            .iter()
            .filter_map(|r| r.biopsy.iter().find(|row| row.year == year))
            .map(|row| row.values()[b])
            .collect();
        let xs = defined(&xs);
        if !xs.is_empty() {
            let mut s = summarize(&xs);
            if BIOPSY_NON_NEGATIVE[b] {
                s.ci_lo = s.ci_lo.max(0.0);
            }
            band.push(f64::from(year), s);
        }
    }
    band
}

/// One curve of the sweep plot: a scenario (and the values of every key but the first) against
/// the first swept key.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// The scenario as written, and `key=value` of the other keys when there are several.
    pub label: String,
    /// (value of the first key, summary of the metric at the sweep day), in point order.
    pub points: Vec<(f64, Summary)>,
}

/// Metric `m` at the sweep's day (nearest recorded; default the last) of every scenario against
/// the first swept key; and the day read.
pub fn sweep_response(config: &Config, sweep: &Sweep, groups: &Groups, m: usize) -> (Vec<Response>, f64) {
    let mut curves: Vec<Response> = Vec::new();
    let mut day_read = f64::NAN;
    for v in 0..config.scenarios.len() {
        let (base, point) = config.variant(v);
        let values = &sweep.points[point];
        let mut label = config.base_scenarios()[base].name.clone();
        if sweep.mode == crate::config::sweep::Mode::Grid {
            for (axis, x) in sweep.axes.iter().zip(values).skip(1) {
                label += &format!(", {}={}", axis.key, axis.label(*x));
            }
        }
        let Some(i) = groups.nearest(v, sweep.day) else { continue };
        day_read = groups.days(v)[i];
        let s = summary(&groups.values(v, i, m), m);
        match curves.iter_mut().find(|c| c.label == label) {
            Some(c) => c.points.push((values[0], s)),
            None => curves.push(Response { label, points: vec![(values[0], s)] }),
        }
    }
    for c in &mut curves {
        c.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    (curves, day_read)
}

/// Index of `metric` in [`METRICS`].
pub fn metric_index(metric: &str) -> usize {
    METRICS.iter().position(|m| *m == metric).unwrap_or(0)
}
