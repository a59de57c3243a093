//! The end-of-run table: each scenario's final headline readout (`Comparison::headline`: the
//! metric the config's targets use, such as `spine_bmd`, else `bone_density`) with its 95 %
//! interval and its effect against the reference scenario with its interval, as printed on stdout
//! and shown at the top of `index.html`; then each `[[contrast]]` on the same readout.

use crate::analysis::contrasts::{ContrastEffect, contrast_at};
use crate::analysis::series::{Groups, metric_index, summary};
use crate::analysis::{Difference, effects::effect};
use crate::config::Config;
use crate::record::{RunRecord, unit};
use std::io::{self, Write};

/// One scenario's line of the table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub scenario: String,
    pub day: f64,
    /// The headline readout.
    pub value: Difference,
    /// `None` for the reference itself.
    pub effect: Option<Difference>,
}

/// The table's rows, in config order.
pub fn final_rows(config: &Config, runs: &[RunRecord]) -> Vec<Row> {
    let groups = Groups::new(config, runs);
    let m = metric_index(config.comparison.headline());
    let mut rows = Vec::new();
    for (v, s) in config.scenarios.iter().enumerate() {
        let Some(i) = groups.nearest(v, None) else { continue };
        let d = summary(&groups.values(v, i, m), m);
        let (lo, hi) = if d.n < 2 { (f64::NAN, f64::NAN) } else { (d.ci_lo, d.ci_hi) };
        let value = Difference { n: d.n, mean: d.mean, ci_lo: lo, ci_hi: hi };
        let effect = effect(config, &groups, v, i, m).map(|e| e.diff);
        rows.push(Row { scenario: s.name.clone(), day: groups.days(v)[i], value, effect });
    }
    rows
}

/// Every contrast (at every sweep point) on metric `m` at the last day its `a` scenario recorded.
pub fn final_contrasts(config: &Config, runs: &[RunRecord], m: usize) -> Vec<ContrastEffect> {
    let groups = Groups::new(config, runs);
    let mut out = Vec::new();
    for contrast in &config.comparison.contrasts {
        for point in 0..config.points() {
            let a = config.base_scenarios().iter().position(|s| s.name == contrast.a).unwrap_or(0);
            let Some(i) = groups.nearest(a * config.points() + point, None) else { continue };
            out.extend(contrast_at(config, &groups, contrast, point, i, m));
        }
    }
    out
}

/// `mean [lo, hi]` to `digits` decimals, `mean (n = 1: no interval)`, or `undefined (n = 0)`
/// when no replicate defines it.
pub fn with_interval(d: &Difference, digits: usize) -> String {
    if !d.mean.is_finite() {
        format!("undefined (n = {})", d.n)
    } else if d.ci_lo.is_finite() && d.ci_hi.is_finite() {
        format!("{:.digits$} [{:.digits$}, {:.digits$}]", d.mean, d.ci_lo, d.ci_hi)
    } else if d.n == 1 {
        format!("{:.digits$} (n = 1: no interval)", d.mean)
    } else {
        format!("{:.digits$}", d.mean)
    }
}

/// How the effects were computed, in words.
pub fn pairing(config: &Config) -> &'static str {
    if config.comparison.common_random_numbers {
        "paired by replicate (common random numbers)"
    } else {
        "independent streams (Welch interval)"
    }
}

/// A metric's name for people: `spine_bmd` is "spine BMD", `bone_density` "bone density", the
/// markers and QCT as the clinic names them.
pub fn readable(metric: &str) -> String {
    match metric {
        "ctx_pct" => "CTX".into(),
        "p1np_pct" => "P1NP".into(),
        "qct_vbmd" => "QCT vBMD".into(),
        _ => metric.replace('_', " ").replace("bmd", "BMD"),
    }
}

/// The heading line of the table.
pub fn heading(config: &Config, rows: &[Row]) -> String {
    let day = rows.first().map_or(0.0, |r| r.day);
    let metric = config.comparison.headline();
    format!(
        "{} at day {day} ({}): mean and 95 % interval over {} replicate(s); effect vs `{}`, {}",
        readable(metric),
        unit(metric),
        config.replicates,
        config.comparison.reference_scenario,
        pairing(config)
    )
}

/// Writes the table as aligned text.
pub fn write_final_table(config: &Config, runs: &[RunRecord], out: &mut dyn Write) -> io::Result<()> {
    let rows = final_rows(config, runs);
    writeln!(out, "{}", heading(config, &rows))?;
    let width = rows.iter().map(|r| r.scenario.chars().count()).max().unwrap_or(8).max(8);
    let cells: Vec<(String, String)> = rows
        .iter()
        .map(|r| (with_interval(&r.value, 3), r.effect.as_ref().map_or("(reference)".into(), |e| with_interval(e, 3))))
        .collect();
    let middle = cells.iter().map(|c| c.0.chars().count()).max().unwrap_or(12).max(12);
    writeln!(
        out,
        "{:width$}  {:middle$}  effect vs {}",
        "scenario",
        readable(config.comparison.headline()),
        config.comparison.reference_scenario
    )?;
    for (r, (value, effect)) in rows.iter().zip(cells) {
        writeln!(out, "{:width$}  {value:middle$}  {effect}", r.scenario)?;
    }
    let contrasts = final_contrasts(config, runs, metric_index(config.comparison.headline()));
    if let Some(first) = contrasts.first() {
        writeln!(
            out,
            "contrasts of {} at day {}, {}:",
            readable(config.comparison.headline()),
            first.day,
            pairing(config)
        )?;
        let width = contrasts.iter().map(|c| c.contrast.chars().count()).max().unwrap_or(8);
        let middle = contrasts.iter().map(|c| c.expression.chars().count()).max().unwrap_or(8);
        for c in &contrasts {
            writeln!(out, "{:width$}  {:middle$}  {}", c.contrast, c.expression, with_interval(&c.diff, 3))?;
        }
    }
    Ok(())
}
