//! CSV writers for `timeseries.csv`, `summary.csv` and `runs.csv`.
//!
//! The columns come from [`METRICS`] and [`Sample::values`], so a new metric appears in every
//! table without a change here. Output is byte-identical for identical records: numbers are
//! written with Rust's `{}` formatting (shortest round-trip), a non-finite value is written as an
//! empty field (never `NaN` or `inf`), and wall-clock time is never written.
//!
//! [`Sample::values`]: crate::record::Sample::values

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::analysis::series::summary;
use crate::record::{BIOPSY, METRICS, RunRecord};

/// Writes `timeseries.csv`: header `scenario,replicate,day,<METRICS…>`, then one row per run per
/// sample, in the order of `runs` and of each run's samples.
pub fn write_timeseries<W: Write>(runs: &[RunRecord], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec!["scenario", "replicate", "day"];
    header.extend(METRICS);
    out.write_record(&header).map_err(io::Error::from)?;
    let mut buf = String::new();
    for run in runs {
        let replicate = run.replicate.to_string();
        for sample in &run.samples {
            out.write_field(&run.scenario).map_err(io::Error::from)?;
            out.write_field(&replicate).map_err(io::Error::from)?;
            write_f64(&mut out, &mut buf, sample.day)?;
            for v in sample.values() {
                write_f64(&mut out, &mut buf, v)?;
            }
            out.write_record(None::<&[u8]>).map_err(io::Error::from)?;
        }
    }
    out.flush()
}

/// Writes `summary.csv`: header `scenario,day,metric,n,mean,sd,ci_lo,ci_hi`, then for each
/// scenario (in the order first seen in `runs`), for each recorded day, for each metric in
/// [`METRICS`] order, the [`summary`] of that metric across the scenario's replicates where it is
/// defined (`n` of them; an undefined value, a mean over no cells, is left out, and with none the
/// row's statistics are empty); `ci_lo` is clamped at 0 for a metric that cannot be negative
/// ([`NON_NEGATIVE`](crate::record::NON_NEGATIVE)).
///
/// Returns an [`io::ErrorKind::InvalidData`] error (before writing anything) if two runs of one
/// scenario do not record the same list of days.
pub fn write_summary<W: Write>(runs: &[RunRecord], w: W) -> io::Result<()> {
    let groups = group_by_scenario(runs);
    for (scenario, members) in &groups {
        check_same_days(scenario, members)?;
    }
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["scenario", "day", "metric", "n", "mean", "sd", "ci_lo", "ci_hi"]).map_err(io::Error::from)?;
    let mut buf = String::new();
    let mut column = Vec::new();
    for (scenario, members) in &groups {
        let Some(first) = members.first() else {
            continue;
        };
        for (i, sample) in first.samples.iter().enumerate() {
            // In bounds: check_same_days verified every member has the same sample count.
            let values: Vec<_> = members.iter().map(|r| r.samples[i].values()).collect();
            for (m, metric) in METRICS.iter().enumerate() {
                column.clear();
                column.extend(values.iter().map(|v| v[m]));
                let s = summary(&column, m);
                out.write_field(scenario).map_err(io::Error::from)?;
                write_f64(&mut out, &mut buf, sample.day)?;
                out.write_field(metric).map_err(io::Error::from)?;
                out.write_field(s.n.to_string()).map_err(io::Error::from)?;
                for x in [s.mean, s.sd, s.ci_lo, s.ci_hi] {
                    write_f64(&mut out, &mut buf, x)?;
                }
                out.write_record(None::<&[u8]>).map_err(io::Error::from)?;
            }
        }
    }
    out.flush()
}

/// Writes `runs.csv`: header `scenario,replicate,seed,bmus_started,bmus_completed,`
/// `osteoclasts_formed,osteoclasts_died,final_bone_density`, then one row per run.
///
/// Counts are of the cancellous sites over the recorded period: `osteoclasts_formed` counts
/// fusions of precursors only, not the osteoclasts a BMU opens with, while `osteoclasts_died`
/// counts every death, so died can exceed formed. `final_bone_density` is the last sample's
/// `bone_density` (empty if the run has no samples).
/// `wall_seconds` is deliberately not written, so the file is identical across machines.
pub fn write_runs<W: Write>(runs: &[RunRecord], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record([
        "scenario",
        "replicate",
        "seed",
        "bmus_started",
        "bmus_completed",
        "osteoclasts_formed",
        "osteoclasts_died",
        "final_bone_density",
    ])
    .map_err(io::Error::from)?;
    let mut buf = String::new();
    for run in runs {
        out.write_field(&run.scenario).map_err(io::Error::from)?;
        let counts = [
            u64::from(run.replicate),
            run.seed,
            run.bmus_started,
            run.bmus_completed,
            run.osteoclasts_formed,
            run.osteoclasts_died,
        ];
        for c in counts {
            out.write_field(c.to_string()).map_err(io::Error::from)?;
        }
        let last = run.samples.last().map_or(f64::NAN, |s| s.bone_density);
        write_f64(&mut out, &mut buf, last)?;
        out.write_record(None::<&[u8]>).map_err(io::Error::from)?;
    }
    out.flush()
}

/// Writes `histomorphometry.csv`: header `scenario,replicate,year,<BIOPSY…>`, then one row per
/// run per recorded year, in the order of `runs`.
pub fn write_histomorphometry<W: Write>(runs: &[RunRecord], w: W) -> io::Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec!["scenario", "replicate", "year"];
    header.extend(BIOPSY);
    out.write_record(&header).map_err(io::Error::from)?;
    let mut buf = String::new();
    for run in runs {
        for row in &run.biopsy {
            out.write_field(&run.scenario).map_err(io::Error::from)?;
            out.write_field(run.replicate.to_string()).map_err(io::Error::from)?;
            out.write_field(row.year.to_string()).map_err(io::Error::from)?;
            for v in row.values() {
                write_f64(&mut out, &mut buf, v)?;
            }
            out.write_record(None::<&[u8]>).map_err(io::Error::from)?;
        }
    }
    out.flush()
}

/// Writes one f64 field: `{}` Display when finite, empty otherwise.
pub(super) fn write_f64<W: Write>(out: &mut csv::Writer<W>, buf: &mut String, x: f64) -> io::Result<()> {
    buf.clear();
    if x.is_finite() {
        // Formatting into a String cannot fail.
        let _ = write!(buf, "{x}");
    }
    out.write_field(buf.as_bytes()).map_err(io::Error::from)
}

/// Groups runs by scenario name, scenarios in the order first seen, runs in their given order.
fn group_by_scenario(runs: &[RunRecord]) -> Vec<(&str, Vec<&RunRecord>)> {
    let mut groups: Vec<(&str, Vec<&RunRecord>)> = Vec::new();
    for run in runs {
        match groups.iter_mut().find(|(name, _)| *name == run.scenario) {
            Some((_, members)) => members.push(run),
            None => groups.push((&run.scenario, vec![run])),
        }
    }
    groups
}

/// Checks that all runs of one scenario recorded the same days (same count, equal values).
fn check_same_days(scenario: &str, members: &[&RunRecord]) -> io::Result<()> {
    let Some((first, rest)) = members.split_first() else {
        return Ok(());
    };
    for run in rest {
        let same = run.samples.len() == first.samples.len()
            && run.samples.iter().zip(&first.samples).all(|(a, b)| a.day == b.day);
        if !same {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!(
                    "scenario {scenario:?}: replicate {} recorded different days ({} samples) \
                     from replicate {} ({} samples); cannot summarise across replicates",
                    run.replicate,
                    run.samples.len(),
                    first.replicate,
                    first.samples.len()
                ),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{BiopsyRow, Sample};

    fn sample(day: f64, density: f64) -> Sample {
        Sample { day, bone_density: density, bone_mass: 100.0, ..Sample::default() }
    }

    fn run(scenario: &str, replicate: u32, densities: &[f64]) -> RunRecord {
        RunRecord {
            scenario: scenario.to_string(),
            replicate,
            seed: 1000 + u64::from(replicate),
            samples: densities.iter().enumerate().map(|(i, &d)| sample(i as f64 * 0.5, d)).collect(),
            biopsy: (1..=densities.len().min(2) as u32)
                .map(|year| BiopsyRow {
                    year,
                    eroded_pct: 40.0,
                    formed_pct: 39.5,
                    balance_pct: -0.5,
                    reversal_days: f64::NAN,
                    ..BiopsyRow::default()
                })
                .collect(),
            bmus_started: 7,
            bmus_completed: 5,
            osteoclasts_formed: 40,
            osteoclasts_died: 38,
            wall_seconds: 12.345,
        }
    }

    fn text(f: impl FnOnce(&mut Vec<u8>) -> io::Result<()>) -> String {
        let mut v = Vec::new();
        f(&mut v).expect("write failed");
        String::from_utf8(v).expect("utf8")
    }

    fn runs() -> Vec<RunRecord> {
        vec![
            run("baseline", 0, &[100.0, 99.0, 98.0]),
            run("baseline", 1, &[100.0, 97.0, 96.0]),
            run("ovx", 0, &[100.0, 90.0, f64::NAN]),
        ]
    }

    #[test]
    fn timeseries_header_and_rows() {
        let t = text(|w| write_timeseries(&runs(), w));
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(lines[0], format!("scenario,replicate,day,{}", METRICS.join(",")));
        assert_eq!(lines.len(), 1 + 3 + 3 + 3);
        assert!(lines[2].starts_with("baseline,0,0.5,99,100,0,"), "{}", lines[2]);
        // NaN is written as an empty field.
        assert!(lines[9].starts_with("ovx,0,1,,100,"), "{}", lines[9]);
        assert!(!t.contains("NaN") && !t.contains("inf"));
        for l in &lines {
            assert_eq!(l.split(',').count(), 3 + METRICS.len());
        }
    }

    #[test]
    fn summary_header_rows_and_values() {
        let t = text(|w| write_summary(&runs(), w));
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(lines[0], "scenario,day,metric,n,mean,sd,ci_lo,ci_hi");
        assert_eq!(lines.len(), 1 + 2 * 3 * METRICS.len());
        // Day 0.5, bone_density: 99 and 97 → mean 98, sd √2, half width t(1)·√2/√2 = t(1).
        let t1 = 12.706204736174705;
        let want = format!("baseline,0.5,bone_density,2,98,{},{},{}", 2f64.sqrt(), 98.0 - t1, 98.0 + t1);
        assert_eq!(lines[1 + METRICS.len()], want);
        // Constant metric: sd 0, interval collapses.
        assert_eq!(lines[2], "baseline,0,bone_mass,2,100,0,100,100");
        // A single replicate, undefined: n = 0 and empty fields, never "NaN" or 0.
        let last_density = lines.iter().find(|l| l.starts_with("ovx,1,bone_density,")).expect("row");
        assert_eq!(*last_density, "ovx,1,bone_density,0,,,,");
        assert!(!t.contains("NaN"));
    }

    #[test]
    fn summary_leaves_undefined_values_out_and_counts_the_rest() {
        let mut rs = runs();
        rs.push(run("baseline", 2, &[100.0, f64::NAN, 90.0]));
        let t = text(|w| write_summary(&rs, w));
        let row = t.lines().find(|l| l.starts_with("baseline,0.5,bone_density,")).expect("row");
        let t1 = 12.706204736174705;
        assert_eq!(row, format!("baseline,0.5,bone_density,2,98,{},{},{}", 2f64.sqrt(), 98.0 - t1, 98.0 + t1));
        assert!(t.lines().any(|l| l.starts_with("baseline,1,bone_density,3,")));
    }

    #[test]
    fn summary_groups_non_contiguous_scenarios_in_first_seen_order() {
        let rs = vec![run("b", 0, &[1.0]), run("a", 0, &[2.0]), run("b", 1, &[3.0])];
        let t = text(|w| write_summary(&rs, w));
        let density: Vec<_> = t.lines().filter(|l| l.contains(",bone_density,")).collect();
        assert_eq!(
            density,
            [
                // 2 − 12.706… would be below 0: bone density cannot be, so the bound is 0.
                "b,0,bone_density,2,2,1.4142135623730951,0,14.706204736174705",
                "a,0,bone_density,1,2,0,2,2"
            ]
        );
    }

    #[test]
    fn summary_rejects_mismatched_days() {
        let mut rs = runs();
        rs[1].samples.pop();
        let err = write_summary(&rs, Vec::new()).expect_err("length mismatch");
        assert_eq!(err.kind(), io::ErrorKind::InvalidData);
        assert!(err.to_string().contains("baseline"));
        let mut rs = runs();
        rs[1].samples[2].day = 1.25;
        assert!(write_summary(&rs, Vec::new()).is_err());
        // Nothing is written on error.
        let mut v = Vec::new();
        assert!(write_summary(&rs, &mut v).is_err());
        assert!(v.is_empty());
    }

    #[test]
    fn runs_table() {
        let mut rs = runs();
        rs.push(run("empty", 3, &[]));
        rs[0].scenario = "with,comma".to_string();
        let t = text(|w| write_runs(&rs, w));
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(
            lines[0],
            "scenario,replicate,seed,bmus_started,bmus_completed,osteoclasts_formed,osteoclasts_died,final_bone_density"
        );
        assert_eq!(lines.len(), 5);
        assert_eq!(lines[1], "\"with,comma\",0,1000,7,5,40,38,98");
        assert_eq!(lines[2], "baseline,1,1001,7,5,40,38,96");
        assert_eq!(lines[3], "ovx,0,1000,7,5,40,38,");
        assert_eq!(lines[4], "empty,3,1003,7,5,40,38,");
        assert!(!t.contains("12.345"));
    }

    #[test]
    fn histomorphometry_table() {
        let t = text(|w| write_histomorphometry(&runs(), w));
        let lines: Vec<_> = t.lines().collect();
        assert_eq!(lines[0], format!("scenario,replicate,year,{}", BIOPSY.join(",")));
        assert_eq!(lines.len(), 1 + 2 + 2 + 2);
        assert_eq!(lines[1], "baseline,0,1,0,0,,0,40,39.5,-0.5,0,0", "a year without the index is an empty field");
        assert!(lines[6].starts_with("ovx,0,2,"));
    }

    #[test]
    fn empty_input_writes_headers_only() {
        assert_eq!(text(|w| write_runs(&[], w)).lines().count(), 1);
        assert_eq!(text(|w| write_summary(&[], w)).lines().count(), 1);
        assert_eq!(text(|w| write_timeseries(&[], w)).lines().count(), 1);
        assert_eq!(text(|w| write_histomorphometry(&[], w)).lines().count(), 1);
    }

    #[test]
    fn output_is_deterministic() {
        let a = text(|w| write_summary(&runs(), w));
        let b = text(|w| write_summary(&runs(), w));
        assert_eq!(a, b);
    }
}
