//! `index.html`: one page per run directory that needs nothing outside it (no script or style
//! from elsewhere; images by relative links into `plots/`): the end-of-run table, the calibration
//! targets beside the model, the plots, the final-day effects on the main metrics, and links to
//! every file.
//!
//! A short inline script counts the plots that loaded and rendered (`naturalWidth > 0`) into
//! `data-plots-rendered` on `<body>`, beside `data-plots` (how many there are), so a headless
//! browser can check the page.

use super::plots::{Figure, Labels};
use super::report::{final_rows, heading, pairing, readable, with_interval};
use crate::analysis::series::{Groups, metric_index};
use crate::analysis::{TargetResult, effects::effect};
use crate::config::Config;
use crate::record::{RunRecord, unit};
use std::fmt::Write;

/// The metrics of the page's effects table (every metric is in `effects.csv`).
const MAIN_METRICS: [&str; 8] = [
    "spine_bmd",
    "bone_density",
    "bone_mass",
    "osteoclasts",
    "mean_ros",
    "mean_atp",
    "mitophagy_events",
    "remodelling_space",
];

/// `s` with HTML's special characters escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub(crate) const STYLE: &str = "body{font-family:sans-serif;margin:2em auto;max-width:1240px;padding:0 1em;color:#222}\
h1{margin-bottom:.2em}.sub{color:#555;margin-top:0}table{border-collapse:collapse;margin:1em 0}\
td,th{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}\
.met{color:#067d3e;font-weight:bold}.missed{color:#b3261e;font-weight:bold}figure{margin:1.5em 0}\
img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#555}";

pub(crate) const SCRIPT: &str = "addEventListener('load',function(){var i=document.querySelectorAll('img.plot'),n=0;\
for(var k=0;k<i.length;k++){if(i[k].complete&&i[k].naturalWidth>0)n++}document.body.dataset.plotsRendered=n});";

/// The page.
pub fn index_html(
    config: &Config,
    runs: &[RunRecord],
    figures: &[Figure],
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
    let _ = writeln!(h, "<h1>{title}</h1>\n<p class=\"sub\">{}</p>", escape(&labels.subtitle));
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
        h += "<h2>Calibration targets</h2>\n<p>Each target is the range the effect vs the reference should lie in; it is met when the model's mean effect does (<a href=\"targets.csv\">targets.csv</a>).</p>\n";
        h += "<table>\n<tr><th>scenario</th><th>metric</th><th>day</th><th>target</th><th>model (95 % interval)</th><th></th><th>source</th></tr>\n";
        for t in targets {
            let model = t.diff.map_or_else(|| "not recorded".into(), |d| with_interval(&d, 2));
            let unit = if t.target.relative { " %" } else { "" };
            let verdict = if t.met { "<span class=\"met\">met</span>" } else { "<span class=\"missed\">missed</span>" };
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{} to {}{unit}</td><td class=\"n\">{}</td><td>{verdict}</td><td>{}</td></tr>",
                escape(&t.scenario),
                t.target.metric,
                t.day,
                t.target.low,
                t.target.high,
                escape(&model),
                escape(&t.target.source)
            );
        }
        h += "</table>\n";
    }
    h += "<h2>Plots</h2>\n";
    for f in figures {
        let (svg, png) = (format!("plots/{}.svg", f.stem), format!("plots/{}.png", f.stem));
        let _ = writeln!(
            h,
            "<figure><a href=\"{svg}\"><img class=\"plot\" src=\"{svg}\" width=\"{}\" height=\"{}\" alt=\"{}\"></a>\n<figcaption>{} (<a href=\"{svg}\">SVG</a>, <a href=\"{png}\">PNG</a>)</figcaption></figure>",
            f.size.0,
            f.size.1,
            escape(&f.title),
            escape(&f.title)
        );
    }
    effects_table(&mut h, config, runs);
    uncertainty_table(&mut h, config, runs);
    h += "<h2>Files</h2>\n<ul>\n";
    for f in files {
        let _ = writeln!(h, "<li><a href=\"{f}\">{f}</a></li>");
    }
    let _ = write!(h, "</ul>\n<script>{SCRIPT}</script>\n</body>\n</html>\n");
    h
}

/// The final-day effects on [`MAIN_METRICS`], one row per non-reference scenario.
fn effects_table(h: &mut String, config: &Config, runs: &[RunRecord]) {
    let groups = Groups::new(config, runs);
    let _ = writeln!(
        h,
        "<h2>Effects at the last recorded day</h2>\n<p>Difference from `{}` ({}), mean and 95 % interval; every metric and day is in <a href=\"effects.csv\">effects.csv</a>.</p>",
        escape(&config.comparison.reference_scenario),
        pairing(config)
    );
    h.push_str("<table>\n<tr><th>scenario</th>");
    for m in MAIN_METRICS {
        let _ = write!(h, "<th>{m}</th>");
    }
    h.push_str("</tr>\n");
    for (v, s) in config.scenarios.iter().enumerate() {
        let Some(i) = groups.nearest(v, None) else { continue };
        let cells: Vec<String> = MAIN_METRICS
            .iter()
            .filter_map(|m| effect(config, &groups, v, i, metric_index(m)))
            .map(|e| {
                // Fewer pairs than replicates: the metric was undefined (no cells) in the others.
                let fewer = (2..config.replicates as usize).contains(&e.diff.n);
                let of = if fewer { format!(" (n = {} of {})", e.diff.n, config.replicates) } else { String::new() };
                with_interval(&e.diff, 3) + &of
            })
            .collect();
        if cells.is_empty() {
            continue;
        }
        let _ = write!(h, "<tr><td>{}</td>", escape(&s.name));
        for c in cells {
            let _ = write!(h, "<td class=\"n\">{}</td>", escape(&c));
        }
        h.push_str("</tr>\n");
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
