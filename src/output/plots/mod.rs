//! The plots of a run directory (`plots/*.svg` and `.png`), drawn from the in-memory results:
//!
//! - `bone_density`: the headline readouts (`Comparison::headline_metrics`), then cancellous bone
//!   density and, when the config has cortical sites, the lumbar-spine DXA readout `spine_bmd`
//!   and the same at the low and high plausible cancellous share: ensemble mean per scenario over
//!   time (years) with its 95 % band;
//! - `effects` (with a scenario besides the reference): each scenario's paired effect against the
//!   reference over time on the headline readouts, with its 95 % interval, and every
//!   `[[contrast]]`;
//! - `trial` (with a `[population]`, each replicate a patient): on the first headline readout at
//!   the last recorded day, each patient's change from baseline as a dot per arm, the arm's
//!   mean ± SD beside them, dashed lines at ± the least significant change and a faint zero line
//!   ([`trial`]);
//! - `markers`: the bone turnover markers CTX (`ctx_pct`) and P1NP (`p1np_pct`) over time;
//! - `cells`: osteoclasts, mean ROS, mean ATP and mitophagy flux over time, with bands;
//! - `biopsy`: the virtual biopsy per year: activation frequency, eroded and formed bone per BMU,
//!   remodelling space, turnover (mean and 95 % interval);
//! - `sweep` (with a `[sweep]`): bone density at the sweep day against the first swept key, per
//!   scenario, with 95 % intervals (log axis for `scale = "log"`).
//!
//! Every curve has its band: up to [`MAX_BANDS`] share a panel, more become small multiples
//! ([`time`]). A scenario's own intervention windows are shaded in its colour on the panels over
//! time. [`render`] draws a [`Figure`] (and writes the data it is drawn from into the SVG); here
//! the figures are built.

pub mod bars;
pub mod corner;
pub mod render;
pub mod time;
pub mod trial;

use crate::analysis::Groups;
use crate::analysis::series::{biopsy_band, metric_index, sweep_response};
use crate::config::Config;
use crate::config::sweep::Scale;
use crate::record::{BIOPSY, RunRecord};

/// Most curves whose 95 % bands share one panel; more are drawn as small multiples.
pub const MAX_BANDS: usize = 4;

/// Pixels of one panel of small multiples.
const SMALL_PANEL: (u32, u32) = (300, 270);

/// One curve of a panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    /// What the curve is (a scenario, a contrast); empty for a zero line.
    pub label: String,
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
    /// Index into the figure's colours.
    pub colour: usize,
    pub dashed: bool,
    /// Markers with interval bars instead of a band.
    pub points: bool,
    /// Drawn in grey behind the others: the reference, or the zero line of an effect.
    pub faint: bool,
    /// With `points`: small translucent markers never joined by a line (one per patient).
    pub scatter: bool,
}

/// One chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub log_x: bool,
    /// Tick labels on whole numbers only (years).
    pub integer_x: bool,
    pub series: Vec<Series>,
    /// The metric drawn (a column of `timeseries.csv`), if one is.
    pub metric: &'static str,
    /// Shaded x intervals (start, end, colour): intervention windows.
    pub windows: Vec<(f64, f64, usize)>,
    /// The y range, when the panels of a row share one.
    pub y_range: Option<(f64, f64)>,
    /// Named x ticks (an arm's name at its position) instead of numbers, when there are any.
    pub x_ticks: Vec<(f64, String)>,
}

/// One image: a title, a subtitle, panels on a grid and a shared legend.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    /// File name without extension, under `plots/`.
    pub stem: &'static str,
    pub title: String,
    pub subtitle: String,
    pub panels: Vec<Panel>,
    pub columns: usize,
    pub size: (u32, u32),
    /// (label, colour, dashed) per legend entry.
    pub legend: Vec<(String, usize, bool)>,
}

impl Figure {
    /// Rows of the legend: as many entries per row as fit.
    pub fn legend_rows(&self) -> u32 {
        let per_row = (self.size.0 / self.legend_width()).max(1) as usize;
        self.legend.len().div_ceil(per_row) as u32
    }

    /// Pixels per legend entry: room for the longest label.
    pub fn legend_width(&self) -> u32 {
        let longest = self.legend.iter().map(|(l, _, _)| l.chars().count()).max().unwrap_or(0) as u32;
        (60 + 8 * longest).min(self.size.0 - 40)
    }
}

/// What every figure says about the run: its config, and its conditions for the subtitle.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Labels {
    /// Names the config.
    pub config: String,
    /// The mitophagy hypothesis, or hypotheses, the scenarios run under.
    pub hypothesis: String,
    pub replicates: u32,
    pub seed: u64,
    /// Every scenario draws independent streams (`common_random_numbers = false`).
    pub independent: bool,
}

impl Labels {
    /// The run's conditions: the hypothesis, how many `units` (replicates per scenario, patients
    /// per arm), the seed, what the curves `show`, and the pairing when it is not the default.
    pub fn subtitle(&self, units: &str, show: &str) -> String {
        let mut s = format!("{}; {} {units}, seed {}; {show}", self.hypothesis, self.replicates, self.seed);
        if self.independent {
            s += "; independent streams per scenario";
        }
        s
    }

    /// The subtitle of every figure but the trial's: replicates, mean and 95 % interval.
    pub fn conditions(&self) -> String {
        self.subtitle("replicate(s) per scenario", "mean and 95 % interval")
    }
}

fn band_series(band: crate::analysis::Band, label: &str, colour: usize, dashed: bool) -> Series {
    let (x, mean, lo, hi) = (band.x, band.mean, band.lo, band.hi);
    Series { label: label.into(), x, mean, lo, hi, colour, dashed, points: true, ..Series::default() }
}

fn legend(config: &Config) -> Vec<(String, usize, bool)> {
    config.scenarios.iter().enumerate().map(|(v, s)| (s.name.clone(), v, false)).collect()
}

/// What the subtitle of a figure with shaded intervention windows says of them.
const SHADING: &str = "; shaded: each scenario's intervention period, in its colour";

/// A figure of `panels` on `columns` columns: one wide panel, a two-column grid, or small
/// multiples on more columns.
fn figure(
    stem: &'static str,
    what: &str,
    labels: &Labels,
    panels: Vec<Panel>,
    columns: usize,
    legend: Vec<(String, usize, bool)>,
) -> Figure {
    let columns = columns.clamp(1, panels.len().max(1));
    let rows = panels.len().div_ceil(columns) as u32;
    let (width, plots) = match columns {
        1 => (1000, 480 * rows),
        2 => (1200, 380 * rows),
        n => ((n as u32 * SMALL_PANEL.0).max(1200), SMALL_PANEL.1 * rows),
    };
    let shaded = panels.iter().any(|p| !p.windows.is_empty());
    let mut f = Figure {
        stem,
        title: format!("{what} · {}", labels.config),
        subtitle: labels.conditions() + if shaded { SHADING } else { "" },
        panels,
        columns,
        size: (width, 0),
        legend,
    };
    f.size.1 = 68 + plots + 16 + 24 * f.legend_rows();
    f
}

/// A panel of biopsy indices per year for every scenario (the second one dashed, hollow), each
/// scenario's markers dodged sideways a little so their intervals do not hide each other.
fn biopsy_panel(config: &Config, groups: &Groups, names: &[&str], title: &str, y_label: &str) -> Panel {
    let mut series = Vec::new();
    let n = (config.scenarios.len() * names.len()) as f64;
    for v in 0..config.scenarios.len() {
        for (k, name) in names.iter().enumerate() {
            let b = BIOPSY.iter().position(|x| x == name).unwrap_or(0);
            let mut s = band_series(biopsy_band(groups, v, b), &config.scenarios[v].name, v, k > 0);
            let dodge = 0.5 * ((v * names.len() + k) as f64 + 0.5 - n / 2.0) / n.max(1.0);
            s.x.iter_mut().for_each(|x| *x += dodge);
            series.push(s);
        }
    }
    Panel {
        title: title.into(),
        x_label: "year".into(),
        y_label: y_label.into(),
        integer_x: true,
        series,
        ..Panel::default()
    }
}

/// Every figure of a run.
pub fn figures(config: &Config, runs: &[RunRecord], labels: &Labels) -> Vec<Figure> {
    let groups = Groups::new(config, runs);
    let headline = config.comparison.headline_metrics();
    let spine = config.scenarios.iter().any(|s| s.params.cortical_sites > 0);
    let mut density = headline.clone();
    for m in ["bone_density", "spine_bmd", "spine_bmd_low_w", "spine_bmd_high_w", "hip_bmd"] {
        if !density.contains(&m) && (m == "bone_density" || spine) {
            density.push(m);
        }
    }
    let mut out = vec![time::readouts("bone_density", "Bone density", config, &groups, &density, labels)];
    out.extend(time::effects(config, &groups, &headline, labels));
    out.extend(trial::trial(config, &groups, labels));
    let markers = ["ctx_pct", "p1np_pct"];
    out.push(time::readouts("markers", "Bone turnover markers", config, &groups, &markers, labels));
    let cells = ["osteoclasts", "mean_ros", "mean_atp", "mitophagy_events"];
    out.push(time::readouts("cells", "Cells and mitochondria", config, &groups, &cells, labels));
    if runs.iter().any(|r| !r.biopsy.is_empty()) {
        let biopsy = vec![
            biopsy_panel(
                config,
                &groups,
                &["activation_per_site_per_year"],
                "Activation frequency (Ac.f)",
                "BMUs per site per year",
            ),
            biopsy_panel(
                config,
                &groups,
                &["eroded_pct", "formed_pct"],
                "Eroded (solid) and formed (dashed) per BMU",
                "% of site bone",
            ),
            biopsy_panel(config, &groups, &["remodelling_space_pct"], "Remodelling space", "% of bone"),
            biopsy_panel(config, &groups, &["turnover_pct_per_year"], "Turnover (BFR/BV)", "% per year"),
        ];
        out.push(figure("biopsy", "Virtual biopsy per year", labels, biopsy, 2, legend(config)));
    }
    if let Some(sweep) = &config.sweep {
        let (curves, day) = sweep_response(config, sweep, &groups, metric_index("bone_density"));
        let axis = &sweep.axes[0];
        let series = curves
            .iter()
            .enumerate()
            .map(|(c, r)| Series {
                label: r.label.clone(),
                x: r.points.iter().map(|p| p.0).collect(),
                mean: r.points.iter().map(|p| p.1.mean).collect(),
                lo: r.points.iter().map(|p| p.1.ci_lo).collect(),
                hi: r.points.iter().map(|p| p.1.ci_hi).collect(),
                colour: c,
                points: true,
                ..Series::default()
            })
            .collect();
        let panel = Panel {
            title: format!("Bone density at day {day} against {} (mean, 95 % interval)", axis.key),
            x_label: format!("{}{}", axis.key, if axis.scale == Scale::Log { " (log scale)" } else { "" }),
            y_label: format!("bone density at day {day} (% of day 0)"),
            log_x: axis.scale == Scale::Log,
            integer_x: axis.integer,
            series,
            ..Panel::default()
        };
        let legend = curves.iter().enumerate().map(|(c, r)| (r.label.clone(), c, false)).collect();
        out.push(figure("sweep", "Parameter sweep", labels, vec![panel], 1, legend));
    }
    out
}
