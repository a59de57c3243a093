//! The figures over time: readouts per scenario (`bone_density`, `cells`) and the paired effect
//! of each scenario against the reference (`effects`), every curve with its 95 % band and every
//! scenario's own intervention windows shaded.
//!
//! Up to [`MAX_BANDS`] curves share a panel, one panel per readout. With more, the figure turns
//! into small multiples: a row per readout, a panel per curve with its band, the reference (or,
//! for effects, the zero line) drawn faintly behind it in every panel, and one y range per row so
//! the panels of a row compare directly.

use super::{Figure, Labels, MAX_BANDS, Panel, Series, figure};
use crate::analysis::contrasts::{contrast_at, label};
use crate::analysis::effects::effect;
use crate::analysis::series::{Groups, metric_band, metric_index};
use crate::analysis::{Band, Difference};
use crate::config::{Config, DAYS_PER_YEAR};
use crate::output::report::readable;
use crate::record::unit;

/// Most panels in a row of small multiples; more curves wrap onto further rows.
pub const MAX_COLUMNS: usize = 5;

/// One curve over time (days), with its label, colour and shaded windows (days).
#[derive(Clone, Debug)]
struct Curve {
    label: String,
    colour: usize,
    band: Band,
    windows: Vec<(f64, f64)>,
}

/// One readout of a figure: its curves and what is drawn faintly behind each in small multiples.
struct Row {
    metric: &'static str,
    /// Panel title when the curves share a panel.
    title: String,
    /// Prefix of a small multiple's title.
    short: String,
    y_label: String,
    curves: Vec<Curve>,
    /// The reference curve (readouts, itself among `curves`) or the zero line (effects, with an
    /// empty label): drawn faintly behind every small multiple, and the zero line also behind
    /// the curves when they share a panel.
    behind: Curve,
}

/// The share of the recorded period a single dose is marked over.
const SINGLE_DOSE_MARK: f64 = 0.02;

/// The windows (days, clipped to the recorded period) of scenario `v`'s interventions that not
/// every scenario shares: a background common to all of them is no contrast to mark. A regimen's
/// window is its dosing period, to the end of the last dose's interval (a single dose: a mark),
/// not its whole `[start_day, end_day)`; the drug acts beyond it as its kinetics say.
fn windows(config: &Config, v: usize) -> Vec<(f64, f64)> {
    let mine = &config.scenarios[v].interventions;
    mine.iter()
        .filter(|i| !config.scenarios.iter().all(|s| s.interventions.contains(i)))
        .map(|i| {
            let end = match i.dosing {
                Some(d) if d.doses > 1 => d.last_day(i.start_day) + d.every_days,
                Some(_) => i.start_day + SINGLE_DOSE_MARK * config.days,
                None => i.end_day,
            };
            (i.start_day.max(0.0), end.min(config.days))
        })
        .filter(|(a, b)| a < b)
        .collect()
}

/// A readout's title, short name and axis label.
fn describe(metric: &'static str) -> (String, String, String) {
    let (title, short) = match metric {
        "bone_density" => ("Cancellous bone density", "cancellous"),
        "spine_bmd" => ("Lumbar-spine DXA (spine_bmd): cancellous and cortical", "spine BMD"),
        "spine_bmd_low_w" => ("Lumbar-spine DXA at the low cancellous share", "spine BMD, low w"),
        "spine_bmd_high_w" => ("Lumbar-spine DXA at the high cancellous share", "spine BMD, high w"),
        "hip_bmd" => ("Total-hip DXA (hip_bmd)", "hip BMD"),
        "qct_vbmd" => ("Vertebral trabecular vBMD (QCT)", "QCT vBMD"),
        "ctx_pct" => ("Resorption marker CTX (ctx_pct)", "CTX"),
        "p1np_pct" => ("Formation marker P1NP (p1np_pct)", "P1NP"),
        "osteoclasts" => ("Osteoclasts", "osteoclasts"),
        "mean_ros" => ("Mean ROS of precursors and osteoclasts", "ROS"),
        "mean_atp" => ("Mean ATP of precursors and osteoclasts", "ATP"),
        "mitophagy_events" => ("Mitophagy flux", "mitophagy"),
        _ => ("", ""),
    };
    let name = readable(metric);
    let title = if title.is_empty() { name[..1].to_uppercase() + &name[1..] } else { title.to_string() };
    let short = if short.is_empty() { name.clone() } else { short.to_string() };
    let y_label = match metric {
        "osteoclasts" => "osteoclasts per site (/Ω)".to_string(),
        "mitophagy_events" => "mitochondria removed per cell-day".to_string(),
        "mean_atp" => "ATP (fraction of full)".to_string(),
        "mean_ros" => "ROS (model units)".to_string(),
        _ => format!("{name} ({})", unit(metric)),
    };
    (title, short, y_label)
}

fn series(curve: &Curve, faint: bool, panel_windows: bool) -> (Series, Vec<(f64, f64, usize)>) {
    let years = |d: &f64| d / DAYS_PER_YEAR;
    let s = Series {
        label: curve.label.clone(),
        x: curve.band.x.iter().map(years).collect(),
        mean: curve.band.mean.clone(),
        lo: curve.band.lo.clone(),
        hi: curve.band.hi.clone(),
        colour: curve.colour,
        faint,
        ..Series::default()
    };
    let w = if panel_windows {
        curve.windows.iter().map(|(a, b)| (years(a), years(b), curve.colour)).collect()
    } else {
        vec![]
    };
    (s, w)
}

/// The smallest and largest of every finite mean and bound of `curves`.
fn y_range<'a>(curves: impl Iterator<Item = &'a Curve>) -> Option<(f64, f64)> {
    let values = curves.flat_map(|c| c.band.mean.iter().chain(&c.band.lo).chain(&c.band.hi)).copied();
    let (lo, hi) =
        values.filter(|v| v.is_finite()).fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)));
    lo.is_finite().then_some((lo, hi))
}

/// The panels of `rows`, and how many columns they are laid out on.
fn panels(rows: Vec<Row>) -> (Vec<Panel>, usize) {
    let blank = || Panel::default();
    let x_label = "time (years)".to_string();
    if rows.iter().all(|r| r.curves.len() <= MAX_BANDS) {
        let panels: Vec<Panel> = rows
            .into_iter()
            .map(|r| {
                let mut p =
                    Panel { title: r.title, x_label: x_label.clone(), y_label: r.y_label, metric: r.metric, ..blank() };
                if r.behind.label.is_empty() {
                    p.series.push(series(&r.behind, true, false).0);
                }
                for c in &r.curves {
                    let (s, w) = series(c, false, true);
                    p.series.push(s);
                    p.windows.extend(w);
                }
                p
            })
            .collect();
        let columns = if panels.len() > 1 { 2 } else { 1 };
        return (panels, columns);
    }
    let columns = rows.iter().map(|r| r.curves.len()).max().unwrap_or(1).min(MAX_COLUMNS);
    let mut panels = Vec::new();
    for r in rows {
        let range = y_range(r.curves.iter().chain(std::iter::once(&r.behind)));
        for c in &r.curves {
            let mut p = Panel {
                title: format!("{}: {}", r.short, c.label),
                x_label: x_label.clone(),
                y_label: r.y_label.clone(),
                metric: r.metric,
                y_range: range,
                ..blank()
            };
            if c.label != r.behind.label {
                p.series.push(series(&r.behind, true, false).0);
            }
            let (s, w) = series(c, false, true);
            p.series.push(s);
            p.windows = w;
            panels.push(p);
        }
        while panels.len() % columns != 0 {
            panels.push(blank());
        }
    }
    (panels, columns)
}

/// A band of differences over days.
fn difference_band(points: impl Iterator<Item = (f64, Difference)>) -> Band {
    let mut band = Band::default();
    for (day, d) in points {
        band.x.push(day);
        band.mean.push(d.mean);
        band.lo.push(d.ci_lo);
        band.hi.push(d.ci_hi);
    }
    band
}

/// Every scenario's curve of `metric`, and the reference's (first sweep point) to draw behind.
fn readout_row(config: &Config, groups: &Groups, metric: &'static str) -> Row {
    let m = metric_index(metric);
    let curves: Vec<Curve> = (0..config.scenarios.len())
        .map(|v| Curve {
            label: config.scenarios[v].name.clone(),
            colour: v,
            band: metric_band(groups, v, m),
            windows: windows(config, v),
        })
        .collect();
    let behind = curves[config.reference_variant(0)].clone();
    let (title, short, y_label) = describe(metric);
    let title = if curves.len() <= MAX_BANDS { format!("{title} (mean, 95 % band)") } else { title };
    Row { metric, title, short, y_label, curves, behind }
}

/// A figure of readouts over time, one row per metric.
pub fn readouts(
    stem: &'static str,
    what: &str,
    config: &Config,
    groups: &Groups,
    metrics: &[&'static str],
    labels: &Labels,
) -> Figure {
    let rows = metrics.iter().map(|m| readout_row(config, groups, m)).collect();
    let (panels, columns) = panels(rows);
    let legend = config.scenarios.iter().enumerate().map(|(v, s)| (s.name.clone(), v, false)).collect();
    figure(stem, what, labels, panels, columns, legend)
}

/// The paired effect over time of every scenario against the reference on each of `metrics`, and
/// of every `[[contrast]]` (a row of its own per metric); `None` without a scenario to compare.
pub fn effects(config: &Config, groups: &Groups, metrics: &[&'static str], labels: &Labels) -> Option<Figure> {
    let mut rows = Vec::new();
    let zero = |band: &Band| Curve {
        label: String::new(),
        colour: 0,
        band: Band {
            x: band.x.clone(),
            mean: vec![0.0; band.x.len()],
            lo: vec![f64::NAN; band.x.len()],
            hi: vec![f64::NAN; band.x.len()],
        },
        windows: vec![],
    };
    for &metric in metrics {
        let m = metric_index(metric);
        let curves: Vec<Curve> = (0..config.scenarios.len())
            .filter_map(|v| {
                let days = groups.days(v).len();
                let band =
                    difference_band((0..days).filter_map(|i| effect(config, groups, v, i, m)).map(|e| (e.day, e.diff)));
                (!band.x.is_empty()).then(|| Curve {
                    label: config.scenarios[v].name.clone(),
                    colour: v,
                    band,
                    windows: windows(config, v),
                })
            })
            .collect();
        let Some(first) = curves.first() else { continue };
        let (title, short, _) = describe(metric);
        let y_label = format!("difference ({})", unit(metric));
        let behind = zero(&first.band);
        let vs = &config.comparison.reference_scenario;
        let title = format!("{title}: effect vs {vs}");
        rows.push(Row { metric, title, short: format!("{short} vs {vs}"), y_label: y_label.clone(), curves, behind });
        let contrasts: Vec<Curve> = config
            .comparison
            .contrasts
            .iter()
            .enumerate()
            .flat_map(|(k, c)| (0..config.points()).map(move |p| (k, c, p)))
            .map(|(k, c, point)| {
                let a =
                    config.base_scenarios().iter().position(|s| s.name == c.a).unwrap_or(0) * config.points() + point;
                let days = groups.days(a).len();
                let points = (0..days).filter_map(|i| contrast_at(config, groups, c, point, i, m));
                let band = difference_band(points.map(|x| (x.day, x.diff)));
                Curve { label: label(config, c, point), colour: config.scenarios.len() + k, band, windows: vec![] }
            })
            .collect();
        if let Some(first) = contrasts.first() {
            let behind = zero(&first.band);
            let title = format!("{}: contrasts", describe(metric).0);
            rows.push(Row { metric, title, short: short.clone(), y_label, curves: contrasts, behind });
        }
    }
    if rows.is_empty() {
        return None;
    }
    let (panels, columns) = panels(rows);
    let mut legend: Vec<(String, usize, bool)> = (0..config.scenarios.len())
        .filter(|&v| v != config.reference_variant(config.variant(v).1))
        .map(|v| (config.scenarios[v].name.clone(), v, false))
        .collect();
    legend.extend(
        config.comparison.contrasts.iter().enumerate().map(|(k, c)| (c.label(), config.scenarios.len() + k, false)),
    );
    let pairing = if config.comparison.common_random_numbers { "paired by replicate" } else { "Welch" };
    let what = format!("Effects over time ({pairing}, 95 % interval)");
    Some(figure("effects", &what, labels, panels, columns, legend))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve(label: &str, colour: usize, level: f64) -> Curve {
        let band =
            Band { x: vec![0.0, 365.0], mean: vec![level; 2], lo: vec![level - 1.0; 2], hi: vec![level + 1.0; 2] };
        Curve { label: label.into(), colour, band, windows: vec![(0.0, 100.0)] }
    }

    fn row(n: usize) -> Row {
        let curves: Vec<Curve> = (0..n).map(|i| curve(&format!("s{i}"), i, i as f64)).collect();
        let behind = curves[0].clone();
        Row { metric: "bone_density", title: "t".into(), short: "b".into(), y_label: "y".into(), curves, behind }
    }

    #[test]
    fn a_regimen_is_marked_over_its_doses_a_window_over_its_days() {
        let text = "years = 5\n[[scenario]]\nname = \"placebo\"\n\
                    [[scenario]]\nname = \"teriparatide\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\n\
                    dose = 20\nevery_days = 1\ndoses = 730\n\
                    [[scenario]]\nname = \"zoledronate\"\n[[scenario.intervention]]\nkind = \"bisphosphonate\"\n\
                    agent = \"zoledronate\"\ndose = 5\nstart_day = 100\n\
                    [[scenario]]\nname = \"window\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nend_day = 400\n";
        let config = Config::parse("t.toml", text, &crate::config::Overrides::default()).unwrap();
        assert_eq!(windows(&config, 1), [(0.0, 730.0)], "730 daily doses cover days 0 to 730");
        let single = 100.0 + SINGLE_DOSE_MARK * config.days;
        assert_eq!(windows(&config, 2), [(100.0, single)], "one infusion is a mark, not the whole run");
        assert_eq!(windows(&config, 3), [(0.0, 400.0)]);
    }

    #[test]
    fn four_curves_share_a_panel_five_become_small_multiples() {
        let (shared, columns) = panels(vec![row(4), row(4)]);
        assert_eq!((shared.len(), columns), (2, 2));
        assert_eq!(shared[0].series.len(), 4, "every curve, and the reference only once");
        assert!(shared[0].series.iter().all(|s| !s.faint));
        assert_eq!(shared[0].windows.len(), 4, "each curve's window, in its colour");

        let (small, columns) = panels(vec![row(5), row(5)]);
        assert_eq!((small.len(), columns), (10, MAX_COLUMNS));
        for (p, panel) in small.iter().enumerate() {
            let own: Vec<&Series> = panel.series.iter().filter(|s| !s.faint).collect();
            assert_eq!(own.len(), 1, "one curve per panel, with its band");
            assert_eq!(own[0].label, format!("s{}", p % 5));
            assert_eq!(
                panel.series.iter().filter(|s| s.faint).count(),
                usize::from(p % 5 != 0),
                "the reference behind"
            );
            assert_eq!(panel.y_range, Some((-1.0, 5.0)), "one y range per row");
            assert_eq!(panel.windows, [(0.0, 100.0 / DAYS_PER_YEAR, p % 5)]);
        }
        let (wrapped, columns) = panels(vec![row(7)]);
        assert_eq!((wrapped.len(), columns), (10, MAX_COLUMNS), "7 panels and 3 blanks on two rows");
        assert!(wrapped[7..].iter().all(|p| p.series.is_empty()));
    }
}
