//! `index.html`: one self-contained page per run directory (no script, style, font or image from
//! anywhere else: the plots are inline SVG, so the page alone shows everything): the end-of-run
//! table, the calibration targets beside the model, the plots, the final-day effects and contrasts
//! on the main metrics, and links to every file.
//!
//! A short inline script counts the plots that rendered (laid out with a width) into
//! `data-plots-rendered` on `<body>`, beside `data-plots` (how many there are), so a headless
//! browser can check the page.

use super::plots::{Figure, Labels};
use super::report::{final_contrasts, final_rows, heading, pairing, readable, with_interval};
use crate::analysis::series::{Groups, metric_index};
use crate::analysis::{TargetResult, effects::effect};
use crate::config::Config;
use crate::record::{RunRecord, unit};
use std::fmt::Write;

/// The metrics of the page's effects and contrasts tables after the headline readouts (every
/// metric is in `effects.csv` and `contrasts.csv`).
const MAIN_METRICS: [&str; 11] = [
    "spine_bmd",
    "hip_bmd",
    "bone_density",
    "ctx_pct",
    "p1np_pct",
    "bone_mass",
    "osteoclasts",
    "mean_ros",
    "mean_atp",
    "mitophagy_events",
    "remodelling_space",
];

/// The columns of the page's effects and contrasts tables: the headline readouts, then the rest of
/// [`MAIN_METRICS`].
fn main_metrics(config: &Config) -> Vec<&'static str> {
    let mut metrics = config.comparison.headline_metrics();
    metrics.extend(MAIN_METRICS.iter().filter(|m| !metrics.contains(m)).collect::<Vec<_>>());
    metrics
}

/// `s` with HTML's special characters escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub(crate) const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1240px;padding:0 1em;color:#222}\
h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:1em 0}\
td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.met{color:#067d3e;font-weight:bold}.missed{color:#b3261e;font-weight:bold}figure{margin:1.5em 0}\
svg.plot{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555}";

pub(crate) const SCRIPT: &str = "addEventListener('load',function(){var i=document.querySelectorAll('svg.plot'),n=0;\
for(var k=0;k<i.length;k++){if(i[k].getBoundingClientRect().width>0&&i[k].childElementCount>0)n++}\
document.body.dataset.plotsRendered=n});";

/// `svg` as an inline element of the page, titled `title` (escaped): HTML needs no namespace
/// on inline SVG, and the page then names no address at all.
pub(crate) fn inline_svg(svg: &str, title: &str) -> String {
    let svg = svg.trim_start_matches(|c| c != '<').replace(" xmlns=\"http://www.w3.org/2000/svg\"", "");
    svg.replacen("<svg ", &format!("<svg class=\"plot\" role=\"img\" aria-label=\"{title}\" "), 1)
        .trim_end()
        .to_string()
}

/// The page.
pub fn index_html(
    config: &Config,
    runs: &[RunRecord],
    figures: &[Figure],
    svgs: &[String],
    targets: &[TargetResult],
    labels: &Labels,
    files: &[&str],
) -> String {
    let mut h = String::new();
    let title = escape(&format!("bmu-sim · {}", labels.config));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n"
    );
    let _ = writeln!(h, "<body data-plots=\"{}\" data-plots-rendered=\"0\">", figures.len());
    let _ = writeln!(h, "<h1>{title}</h1>\n<p class=\"sub\">{}</p>", escape(&labels.conditions()));
    let rows = final_rows(config, runs);
    let headline = config.comparison.headline();
    let name = readable(headline);
    let title = name[..1].to_uppercase() + &name[1..];
    let _ = writeln!(h, "<h2>{}</h2>\n<p>{}</p>", escape(&title), escape(&heading(config, &rows)));
    let _ = writeln!(
        h,
        "<table>\n<tr><th>scenario</th><th>{} ({})</th><th>effect vs {}</th></tr>",
        escape(&name),
        escape(unit(headline)),
        escape(&config.comparison.reference_scenario)
    );
    for r in &rows {
        let effect = r.effect.as_ref().map_or("reference".into(), |e| with_interval(e, 2));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            escape(&r.scenario),
            with_interval(&r.value, 2),
            escape(&effect)
        );
    }
    h += "</table>\n";
    if !targets.is_empty() {
        h += "<h2>Targets</h2>\n<p>Each target is the range the effect vs the reference should lie in; it is met when the model's mean effect does (<a href=\"targets.csv\">targets.csv</a>). A fitted target was used to calibrate the model; a held-out one never was.</p>\n";
        h += "<table>\n<tr><th>scenario</th><th>metric</th><th>day</th><th>target</th><th>model (95 % interval)</th><th></th><th>role</th><th>source</th></tr>\n";
        for t in targets {
            let model = t.diff.map_or_else(|| "not recorded".into(), |d| with_interval(&d, 2));
            let unit = if t.target.relative { " %" } else { "" };
            let verdict = if t.met { "<span class=\"met\">met</span>" } else { "<span class=\"missed\">missed</span>" };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{} to {}{unit}</td><td class=\"n\">{}</td><td>{verdict}</td><td>{}</td><td>{}</td></tr>",
                escape(&t.scenario),
                t.target.metric,
                t.day,
                t.target.low,
                t.target.high,
                escape(&model),
                if t.target.held_out { "held out" } else { "fitted" },
                escape(&t.target.source)
            );
        }
        h += "</table>\n";
    }
    h += "<h2>Plots</h2>\n";
    for (f, svg) in figures.iter().zip(svgs) {
        let (file, png) = (format!("plots/{}.svg", f.stem), format!("plots/{}.png", f.stem));
        let title = escape(&f.title);
        let _ = writeln!(
            h,
            "<figure>\n{}\n<figcaption>{title} (<a href=\"{file}\">SVG</a>, <a href=\"{png}\">PNG</a>)</figcaption></figure>",
            inline_svg(svg, &title)
        );
    }
    effects_table(&mut h, config, runs);
    contrasts_table(&mut h, config, runs);
    uncertainty_table(&mut h, config, runs);
    h += "<h2>Files</h2>\n<ul>\n";
    for f in files {
        let _ = writeln!(h, "<li><a href=\"{f}\">{f}</a></li>");
    }
    let _ = write!(h, "</ul>\n<script>{SCRIPT}</script>\n</body>\n</html>\n");
    h
}

/// A difference as a table cell: `mean [lo, hi]`, and `(n = k of R)` when fewer than the R
/// replicates define it (the metric was undefined, no cells, in the others).
fn cell(config: &Config, d: &crate::analysis::Difference) -> String {
    let fewer = (2..config.replicates as usize).contains(&d.n);
    let of = if fewer { format!(" (n = {} of {})", d.n, config.replicates) } else { String::new() };
    with_interval(d, 3) + &of
}

/// One table row: a name, optional further text cells, then numeric cells.
fn row(h: &mut String, text: &[&str], numbers: &[String]) {
    h.push_str("<tr>");
    for t in text {
        let _ = write!(h, "<td>{}</td>", escape(t));
    }
    for c in numbers {
        let _ = write!(h, "<td class=\"n\">{}</td>", escape(c));
    }
    h.push_str("</tr>\n");
}

/// A header row over `first` text columns and `metrics`.
fn header(h: &mut String, first: &[&str], metrics: &[&str]) {
    h.push_str("<table>\n<tr>");
    for c in first.iter().chain(metrics) {
        let _ = write!(h, "<th>{c}</th>");
    }
    h.push_str("</tr>\n");
}

/// The final-day effects on [`main_metrics`], one row per non-reference scenario.
fn effects_table(h: &mut String, config: &Config, runs: &[RunRecord]) {
    if config.scenarios.len() < 2 {
        return; // nothing to compare with the reference
    }
    let groups = Groups::new(config, runs);
    let _ = writeln!(
        h,
        "<h2>Effects at the last recorded day</h2>\n<p>Difference from `{}` ({}), mean and 95 % interval; every metric and day is in <a href=\"effects.csv\">effects.csv</a>.</p>",
        escape(&config.comparison.reference_scenario),
        pairing(config)
    );
    let metrics = main_metrics(config);
    header(h, &["scenario"], &metrics);
    for (v, s) in config.scenarios.iter().enumerate() {
        let Some(i) = groups.nearest(v, None) else { continue };
        let cells: Vec<String> = metrics
            .iter()
            .filter_map(|m| effect(config, &groups, v, i, metric_index(m)))
            .map(|e| cell(config, &e.diff))
            .collect();
        if !cells.is_empty() {
            row(h, &[&s.name], &cells);
        }
    }
    h.push_str("</table>\n");
}

/// The final-day contrasts on [`main_metrics`], one row per contrast (and sweep point).
fn contrasts_table(h: &mut String, config: &Config, runs: &[RunRecord]) {
    if config.comparison.contrasts.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>Contrasts at the last recorded day</h2>\n<p>Each <code>[[contrast]]</code>: a difference of two scenarios, or a difference of differences (an interaction), {}, mean and 95 % interval; every metric and day is in <a href=\"contrasts.csv\">contrasts.csv</a>.</p>",
        pairing(config)
    );
    let metrics = main_metrics(config);
    header(h, &["contrast", "expression"], &metrics);
    let columns: Vec<Vec<_>> = metrics.iter().map(|m| final_contrasts(config, runs, metric_index(m))).collect();
    for (k, c) in columns.first().map_or(&[][..], |c| &c[..]).iter().enumerate() {
        let cells: Vec<String> = columns.iter().filter_map(|col| col.get(k)).map(|x| cell(config, &x.diff)).collect();
        row(h, &[&c.contrast, &c.expression], &cells);
    }
    h.push_str("</table>\n");
}

/// With `posterior = "path"`: which part of each effect's spread is the parameters' and which the
/// model's own (`uncertainty.csv`).
fn uncertainty_table(h: &mut String, config: &Config, runs: &[RunRecord]) {
    let splits = crate::analysis::uncertainty::splits(config, runs);
    if splits.is_empty() {
        return;
    }
    h.push_str("<h2>Parameter and stochastic uncertainty</h2>\n<p>Each pair of replicates drew its parameters from the posterior; the spread of each effect over replicates, split into the part between draws (the parameters) and within them (the model's own) (<a href=\"uncertainty.csv\">uncertainty.csv</a>).</p>\n");
    h.push_str("<table>\n<tr><th>scenario</th><th>metric</th><th>day</th><th>mean effect</th><th>sd, parameters</th><th>sd, stochastic</th><th>parameter share</th><th>draws</th></tr>\n");
    for s in &splits {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.0} %</td><td class=\"n\">{}</td></tr>",
            escape(&s.scenario),
            s.metric,
            s.day,
            s.mean,
            s.parameter_sd,
            s.stochastic_sd,
            100.0 * s.parameter_share,
            s.draws
        );
    }
    h.push_str("</table>\n");
}
