//! CSV writers for the comparison files: `effects.csv`, `contrasts.csv`, `targets.csv` and
//! `sweep.csv`.
//! Numbers as in every table (shortest round trip; a missing interval is an empty field).

use super::tables::write_f64;
use crate::analysis::trial::Endpoint;
use crate::analysis::{ContrastEffect, Effect, TargetResult};
use crate::config::Sweep;
use crate::record::METRICS;
use std::io::{self, Write};

fn field<W: Write>(out: &mut csv::Writer<W>, s: &str) -> io::Result<()> {
    out.write_field(s).map_err(io::Error::from)
}

fn end<W: Write>(out: &mut csv::Writer<W>) -> io::Result<()> {
    out.write_record(None::<&[u8]>).map_err(io::Error::from)
}

/// Writes `effects.csv`: `scenario,reference,day,metric,n,mean_diff,ci_lo,ci_hi`, one row per
/// effect in the given order.
pub fn write_effects<W: Write>(effects: &[Effect], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["scenario", "reference", "day", "metric", "n", "mean_diff", "ci_lo", "ci_hi"])
        .map_err(io::Error::from)?;
    let mut buf = String::new();
    for e in effects {
        field(&mut out, &e.scenario)?;
        field(&mut out, &e.reference)?;
        write_f64(&mut out, &mut buf, e.day)?;
        field(&mut out, METRICS[e.metric])?;
        field(&mut out, &e.diff.n.to_string())?;
        for x in [e.diff.mean, e.diff.ci_lo, e.diff.ci_hi] {
            write_f64(&mut out, &mut buf, x)?;
        }
        end(&mut out)?;
    }
    out.flush()
}

/// Writes `contrasts.csv`: `contrast,expression,day,metric,n,mean_diff,ci_lo,ci_hi`, one row per
/// contrast (with its sweep point), day and metric in the given order; `expression` is
/// `a - b` or `(a - b) - (c - d)`, `n` the replicates (pairs) every term defines.
pub fn write_contrasts<W: Write>(contrasts: &[ContrastEffect], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["contrast", "expression", "day", "metric", "n", "mean_diff", "ci_lo", "ci_hi"])
        .map_err(io::Error::from)?;
    let mut buf = String::new();
    for c in contrasts {
        field(&mut out, &c.contrast)?;
        field(&mut out, &c.expression)?;
        write_f64(&mut out, &mut buf, c.day)?;
        field(&mut out, METRICS[c.metric])?;
        field(&mut out, &c.diff.n.to_string())?;
        for x in [c.diff.mean, c.diff.ci_lo, c.diff.ci_hi] {
            write_f64(&mut out, &mut buf, x)?;
        }
        end(&mut out)?;
    }
    out.flush()
}

/// Writes `targets.csv`: `scenario,metric,day,unit,low,high,effect,ci_lo,ci_hi,met,role,source`, one row per
/// target and sweep point; `scenario` is the scenario run (with its sweep point), `day` the
/// recorded day the effect was read at, `unit` is `%` for a relative target (range and effect in %
/// of the reference's mean) and otherwise the metric's unit ([`unit`](crate::record::unit): the
/// range and effect are differences in it), `met` is `true` or `false`, `role` is `fitted` or
/// `held out` (a trial the model was not fitted to).
pub fn write_targets<W: Write>(results: &[TargetResult], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "scenario", "metric", "day", "unit", "low", "high", "effect", "ci_lo", "ci_hi", "met", "role", "source",
    ])
    .map_err(io::Error::from)?;
    let mut buf = String::new();
    for r in results {
        let t = r.target;
        let d = r.diff.map_or([f64::NAN; 3], |d| [d.mean, d.ci_lo, d.ci_hi]);
        field(&mut out, &r.scenario)?;
        field(&mut out, t.metric)?;
        write_f64(&mut out, &mut buf, r.day)?;
        field(&mut out, if t.relative { "%" } else { crate::record::unit(t.metric) })?;
        for x in [t.low, t.high] {
            write_f64(&mut out, &mut buf, x)?;
        }
        for x in d {
            write_f64(&mut out, &mut buf, x)?;
        }
        field(&mut out, if r.met { "true" } else { "false" })?;
        field(&mut out, if t.held_out { "held out" } else { "fitted" })?;
        field(&mut out, &t.source)?;
        end(&mut out)?;
    }
    out.flush()
}

/// Writes `sweep.csv`: `point,<key>…`, one row per sweep point with its values, and `label`, the
/// suffix its scenarios carry after `@`.
pub fn write_sweep<W: Write>(sweep: &Sweep, w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    field(&mut out, "point")?;
    for a in &sweep.axes {
        field(&mut out, a.key)?;
    }
    field(&mut out, "label")?;
    end(&mut out)?;
    let mut buf = String::new();
    for (p, values) in sweep.points.iter().enumerate() {
        field(&mut out, &p.to_string())?;
        for &x in values {
            write_f64(&mut out, &mut buf, x)?;
        }
        field(&mut out, &sweep.label(p))?;
        end(&mut out)?;
    }
    out.flush()
}

/// Writes `trial.csv`: `scenario,metric,day,patients,mean_change,sd_change,gained,lost,
/// difference,difference_lo,difference_hi`, one row per arm, headline readout and recorded day.
pub fn write_trial<W: Write>(endpoints: &[Endpoint], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let header = ["scenario", "metric", "day", "patients", "mean_change", "sd_change", "gained", "lost"];
    out.write_record(header.iter().chain(&["difference", "difference_lo", "difference_hi"]))
        .map_err(io::Error::from)?;
    let mut buf = String::new();
    for e in endpoints {
        field(&mut out, &e.scenario)?;
        field(&mut out, e.metric)?;
        write_f64(&mut out, &mut buf, e.day)?;
        field(&mut out, &e.patients.to_string())?;
        for x in [e.mean_change, e.sd_change, e.gained, e.lost, e.difference, e.difference_lo, e.difference_hi] {
            write_f64(&mut out, &mut buf, x)?;
        }
        end(&mut out)?;
    }
    out.flush()
}
