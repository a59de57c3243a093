//! The plots of a run directory (`plots/*.svg` and `.png`), drawn from the in-memory results:
//!
//! - `bone_density`: ensemble mean per scenario over time (years) with its 95 % band, and beside
//!   it the lumbar-spine DXA readout `spine_bmd` when the config has cortical sites (first when
//!   the config's targets use it: `Comparison::headline`);
//! - `cells`: osteoclasts, mean ROS, mean ATP and mitophagy flux over time, with bands;
//! - `biopsy`: the virtual biopsy per year: activation frequency, eroded and formed bone per BMU,
//!   remodelling space, turnover (mean and 95 % interval);
//! - `sweep` (with a `[sweep]`): bone density at the sweep day against the first swept key, per
//!   scenario, with 95 % intervals (log axis for `scale = "log"`).
//!
//! Bands are drawn for up to [`MAX_BANDS`] scenarios; beyond that only the means, so the lines
//! stay readable. [`render`] draws a [`Figure`]; here the figures are built.

pub mod bars;
pub mod corner;
pub mod render;

use crate::analysis::Groups;
use crate::analysis::series::{biopsy_band, metric_band, metric_index, sweep_response};
use crate::config::sweep::Scale;
use crate::config::{Config, DAYS_PER_YEAR};
use crate::record::{BIOPSY, RunRecord};

/// Most scenarios whose 95 % bands are drawn in one panel.
pub const MAX_BANDS: usize = 4;

/// One curve of a panel.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {
    pub x: Vec<f64>,
    pub mean: Vec<f64>,
    pub lo: Vec<f64>,
    pub hi: Vec<f64>,
    /// Index into the figure's colours.
    pub colour: usize,
    pub dashed: bool,
    /// Markers with interval bars instead of a band.
    pub points: bool,
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

/// What every figure says about the run. `subtitle` carries the run's conditions (replicates,
/// pairing and, once configs name one, the mitophagy hypothesis in force).
#[derive(Clone, Debug, PartialEq)]
pub struct Labels {
    /// Names the config.
    pub config: String,
    pub subtitle: String,
}

fn band_series(band: crate::analysis::Band, colour: usize, dashed: bool, points: bool, per_year: bool) -> Series {
    let x = if per_year { band.x.iter().map(|d| d / DAYS_PER_YEAR).collect() } else { band.x };
    Series { x, mean: band.mean, lo: band.lo, hi: band.hi, colour, dashed, points }
}

fn legend(config: &Config) -> Vec<(String, usize, bool)> {
    config.scenarios.iter().enumerate().map(|(v, s)| (s.name.clone(), v, false)).collect()
}

fn figure(
    stem: &'static str,
    what: &str,
    labels: &Labels,
    panels: Vec<Panel>,
    legend: Vec<(String, usize, bool)>,
) -> Figure {
    let columns = if panels.len() > 1 { 2 } else { 1 };
    let rows = panels.len().div_ceil(columns) as u32;
    let (width, plots) = if columns == 1 { (1000, 480) } else { (1200, 380 * rows) };
    let mut f = Figure {
        stem,
        title: format!("{what} · {}", labels.config),
        subtitle: labels.subtitle.clone(),
        panels,
        columns,
        size: (width, 0),
        legend,
    };
    f.size.1 = 68 + plots + 16 + 24 * f.legend_rows();
    f
}

/// A panel of metric `name` over time for every scenario.
fn time_panel(config: &Config, groups: &Groups, name: &str, title: &str, y_label: &str) -> Panel {
    let m = metric_index(name);
    let series =
        (0..config.scenarios.len()).map(|v| band_series(metric_band(groups, v, m), v, false, false, true)).collect();
    Panel {
        title: title.into(),
        x_label: "time (years)".into(),
        y_label: y_label.into(),
        log_x: false,
        integer_x: false,
        series,
    }
}

/// A panel of biopsy indices per year for every scenario (the second one dashed, hollow), each
/// scenario's markers dodged sideways a little so their intervals do not hide each other.
fn biopsy_panel(config: &Config, groups: &Groups, names: &[&str], title: &str, y_label: &str) -> Panel {
    let mut series = Vec::new();
    let n = (config.scenarios.len() * names.len()) as f64;
    for v in 0..config.scenarios.len() {
        for (k, name) in names.iter().enumerate() {
            let b = BIOPSY.iter().position(|x| x == name).unwrap_or(0);
            let mut s = band_series(biopsy_band(groups, v, b), v, k > 0, true, false);
            let dodge = 0.5 * ((v * names.len() + k) as f64 + 0.5 - n / 2.0) / n.max(1.0);
            s.x.iter_mut().for_each(|x| *x += dodge);
            series.push(s);
        }
    }
    Panel {
        title: title.into(),
        x_label: "year".into(),
        y_label: y_label.into(),
        log_x: false,
        integer_x: true,
        series,
    }
}

/// Every figure of a run.
pub fn figures(config: &Config, runs: &[RunRecord], labels: &Labels) -> Vec<Figure> {
    let groups = Groups::new(config, runs);
    let mut density = time_panel(config, &groups, "bone_density", "", "bone density (% of day 0)");
    let spine = config.scenarios.iter().any(|s| s.params.cortical_sites > 0);
    let what = if spine { "Cancellous bone density" } else { "Bone density" };
    density.title = if density.series.len() <= MAX_BANDS {
        format!("{what} (ensemble mean, 95 % band)")
    } else {
        format!("{what} (mean; bands for up to {MAX_BANDS} scenarios)")
    };
    let mut panels = vec![density];
    if spine {
        let title = "Lumbar-spine DXA (spine_bmd): cancellous and cortical";
        panels.push(time_panel(config, &groups, "spine_bmd", title, "spine BMD (% of day 0)"));
        // The readout the config's targets use leads.
        if config.comparison.headline() == "spine_bmd" {
            panels.reverse();
        }
    }
    let mut out = vec![figure("bone_density", "Bone density", labels, panels, legend(config))];
    let cells = vec![
        time_panel(config, &groups, "osteoclasts", "Osteoclasts", "osteoclasts per site (/Ω)"),
        time_panel(config, &groups, "mean_ros", "Mean ROS of precursors and osteoclasts", "ROS (model units)"),
        time_panel(config, &groups, "mean_atp", "Mean ATP of precursors and osteoclasts", "ATP (fraction of full)"),
        time_panel(config, &groups, "mitophagy_events", "Mitophagy flux", "mitochondria removed per cell-day"),
    ];
    out.push(figure("cells", "Cells and mitochondria", labels, cells, legend(config)));
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
        out.push(figure("biopsy", "Virtual biopsy per year", labels, biopsy, legend(config)));
    }
    if let Some(sweep) = &config.sweep {
        let (curves, day) = sweep_response(config, sweep, &groups, metric_index("bone_density"));
        let axis = &sweep.axes[0];
        let series = curves
            .iter()
            .enumerate()
            .map(|(c, r)| Series {
                x: r.points.iter().map(|p| p.0).collect(),
                mean: r.points.iter().map(|p| p.1.mean).collect(),
                lo: r.points.iter().map(|p| p.1.ci_lo).collect(),
                hi: r.points.iter().map(|p| p.1.ci_hi).collect(),
                colour: c,
                dashed: false,
                points: true,
            })
            .collect();
        let panel = Panel {
            title: format!("Bone density at day {day} against {} (mean, 95 % interval)", axis.key),
            x_label: format!("{}{}", axis.key, if axis.scale == Scale::Log { " (log scale)" } else { "" }),
            y_label: format!("bone density at day {day} (% of day 0)"),
            log_x: axis.scale == Scale::Log,
            integer_x: axis.integer,
            series,
        };
        let legend = curves.iter().enumerate().map(|(c, r)| (r.label.clone(), c, false)).collect();
        out.push(figure("sweep", "Parameter sweep", labels, vec![panel], legend));
    }
    out
}
