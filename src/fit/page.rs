//! The fit's `index.html`: one page that needs nothing outside its directory, as a run's: what was
//! fitted and how far, each parameter's interval, each target's data beside the posterior
//! predictive, the corner plot and links to every file.

use super::report::{Marginal, Predictive};
use crate::inference::{Sampler, Stop};
use crate::output::html::{SCRIPT, STYLE, escape, inline_svg};
use std::fmt::Write;

/// Why the sampler stopped, in words.
pub fn stop_reason(stop: Option<Stop>) -> &'static str {
    match stop {
        Some(Stop::MaxGenerations) => "the last population allowed is done",
        Some(Stop::MinTolerance) => "the final tolerance is met",
        Some(Stop::ToleranceStalled) => "the tolerance stopped falling",
        Some(Stop::Budget) => "the evaluation budget is spent",
        Some(Stop::AcceptanceFloor) => "the acceptance rate fell below its floor",
        None => "not stopped",
    }
}

/// The page. `plot` is the corner plot's path and its SVG, drawn inline.
pub fn index_html(
    source: &str,
    sampler: &Sampler,
    marginals: &[Marginal],
    predictive: &[Predictive],
    plot: (&str, &str),
    files: &[&str],
) -> String {
    let mut h = String::new();
    let title = escape(&format!("bmu-sim fit · {source}"));
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n"
    );
    let _ = writeln!(h, "<body data-plots=\"1\" data-plots-rendered=\"0\">\n<h1>{title}</h1>");
    let pops = sampler.populations();
    let last = pops.last();
    let _ = writeln!(
        h,
        "<p class=\"sub\">ABC-SMC: {} populations of {} particles, {} model evaluations; stopped because {}; final tolerance {} (root mean square z-score), ESS {:.1}.</p>",
        pops.len(),
        last.map_or(0, |g| g.particles.len()),
        sampler.evaluations(),
        stop_reason(sampler.stopped()),
        last.and_then(|g| g.tolerance).map_or("none".into(), |e| format!("{e:.4}")),
        last.map_or(0.0, |g| g.ess())
    );
    h += "<h2>Parameters</h2>\n<p>Posterior median and 95 % interval; <em>narrowed</em> when the interval is a small fraction of the prior's width on the prior's scale (<a href=\"fit.csv\">fit.csv</a>).</p>\n";
    h += "<table>\n<tr><th>parameter</th><th>prior</th><th>median</th><th>95 % interval</th><th>width / prior's</th><th></th></tr>\n";
    for m in marginals {
        let verdict = if m.narrowed {
            "<span class=\"met\">narrowed</span>"
        } else {
            "<span class=\"missed\">not narrowed</span>"
        };
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{} to {}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.4} to {:.4}</td><td class=\"n\">{:.2}</td><td>{verdict}</td></tr>",
            escape(&m.parameter),
            m.prior_low,
            m.prior_high,
            m.median,
            m.low,
            m.high,
            m.width_fraction
        );
    }
    h += "</table>\n<h2>Targets</h2>\n<p>The data (estimate ± se, or a band's midpoint ± half-width) beside the posterior predictive of the model's replicate mean (<a href=\"predictive.csv\">predictive.csv</a>).</p>\n";
    h += "<table>\n<tr><th>target</th><th>data</th><th>predictive median</th><th>95 % interval</th></tr>\n";
    for p in predictive {
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td class=\"n\">{:.3} ± {:.3}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.3} to {:.3}</td></tr>",
            escape(&p.target),
            p.data,
            p.data_se,
            p.median,
            p.low,
            p.high
        );
    }
    let (file, svg) = plot;
    let _ = writeln!(
        h,
        "</table>\n<h2>Posterior</h2>\n<figure>\n{}\n<figcaption>Each parameter's posterior (diagonal) and each pair's particles, over the whole prior (<a href=\"{file}\">SVG</a>, <a href=\"posterior.csv\">posterior.csv</a>).</figcaption></figure>",
        inline_svg(svg, "corner plot")
    );
    h += "<h2>Files</h2>\n<ul>\n";
    for f in files {
        let _ = writeln!(h, "<li><a href=\"{f}\">{f}</a></li>");
    }
    let _ = write!(h, "</ul>\n<script>{SCRIPT}</script>\n</body>\n</html>\n");
    h
}
