//! The figures over time, read back from the data each SVG carries (`<metadata>`): a band on
//! every one of five arms (small multiples), the headline readout first, the paired effect over
//! time equal to the paired differences of `timeseries.csv`, and the arms' own intervention
//! windows shaded.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Five arms on a small tissue with cortical sites, the trials' readout as a target (so
/// `spine_bmd` leads), two arms stopping inside the run: a few seconds.
pub const FIVE: &str = "seed = 4\nreplicates = 3\ndays = 60\nspinup_days = 30\nrecord_every_days = 10\n\
reference = \"placebo\"\n[params]\nsites = 10\ncortical_sites = 10\nmitochondria_per_cell = 20\n\
[[intervention]]\nkind = \"estrogen_loss\"\nstart_day = -30\n\
[[scenario]]\nname = \"placebo\"\n\
[[scenario]]\nname = \"denosumab\"\n[[scenario.intervention]]\nkind = \"denosumab\"\n\
[[scenario]]\nname = \"alendronate\"\n[[scenario.intervention]]\nkind = \"bisphosphonate\"\n\
[[scenario]]\nname = \"teriparatide\"\n[[scenario.intervention]]\nkind = \"teriparatide\"\nend_day = 30\n\
[[scenario]]\nname = \"denosumab_stop\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nend_day = 40\n\
[[target]]\nscenario = \"denosumab\"\nmetric = \"spine_bmd\"\nday = 60\nlow = 0\nhigh = 20\n";

pub const ARMS: [&str; 5] = ["placebo", "denosumab", "alendronate", "teriparatide", "denosumab_stop"];

/// Okabe–Ito, the plots' first five colours, in scenario order.
const COLOURS: [&str; 5] = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00"];

/// One plotted point: (panel, metric, series, faint, x in years, mean, lo, hi).
#[derive(Debug, Clone)]
pub struct Point {
    pub panel: usize,
    pub metric: String,
    pub series: String,
    pub faint: bool,
    pub x: f64,
    pub mean: Option<f64>,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

/// The CSV of the `<metadata id="ID">` element of an SVG, without its header.
fn metadata<'a>(svg: &'a str, id: &str) -> Vec<Vec<&'a str>> {
    let open = format!("<metadata id=\"{id}\">");
    let start = svg.find(&open).unwrap_or_else(|| panic!("no {open}")) + open.len();
    let end = start + svg[start..].find("</metadata>").expect("closed metadata");
    svg[start..end].trim().lines().skip(1).map(|l| l.split(',').collect()).collect()
}

fn opt(s: &str) -> Option<f64> {
    (!s.is_empty()).then(|| s.parse().unwrap_or_else(|_| panic!("`{s}` is not a number")))
}

/// Every point a figure is drawn from.
pub fn points(svg: &str) -> Vec<Point> {
    metadata(svg, "bmu-sim-data")
        .into_iter()
        .map(|r| Point {
            panel: r[0].parse().expect("panel"),
            metric: r[1].into(),
            series: r[2].into(),
            faint: r[3] == "true",
            x: r[4].parse().expect("x"),
            mean: opt(r[5]),
            lo: opt(r[6]),
            hi: opt(r[7]),
        })
        .collect()
}

/// (scenario, day) → per-replicate values of `metric` from timeseries.csv.
pub fn series(dir: &Path, metric: &str) -> BTreeMap<(String, i64), Vec<f64>> {
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let (sc, day, m) = (col(&h, "scenario"), col(&h, "day"), col(&h, metric));
    let mut out: BTreeMap<(String, i64), Vec<f64>> = BTreeMap::new();
    for r in rows {
        let v = opt(&r[m]).unwrap_or(f64::NAN);
        out.entry((r[sc].clone(), r[day].parse::<f64>().expect("day") as i64)).or_default().push(v);
    }
    out
}

/// Mean and Student-t 95 % half width of `d` (three values: t with 2 degrees of freedom).
pub fn mean_half(d: &[f64]) -> (f64, f64) {
    assert_eq!(d.len(), 3, "three replicates");
    let mean = d.iter().sum::<f64>() / 3.0;
    let sd = (d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    (mean, 4.302652729749464 * sd / 3f64.sqrt())
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + a.abs() + b.abs())
}

fn day(x_years: f64) -> i64 {
    (x_years * 365.0).round() as i64
}

#[test]
fn every_arm_has_its_band_its_effect_and_its_windows() {
    let tmp = TempDir::new("figures");
    let config = tmp.write("five.toml", FIVE);
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);

    // Bands for all five arms, spine_bmd first, the reference faint in every other panel.
    let density = read(&dir.join("plots/bone_density.svg"));
    let plotted = points(&density);
    assert_eq!(plotted[0].metric, "spine_bmd", "the headline readout leads the first figure");
    for (arm, colour) in ARMS.iter().zip(COLOURS) {
        let own: Vec<&Point> =
            plotted.iter().filter(|p| p.metric == "spine_bmd" && p.series == *arm && !p.faint).collect();
        assert_eq!(own.len(), 7, "{arm}: days 0..=60 by 10");
        let banded = own.iter().filter(|p| matches!((p.lo, p.hi), (Some(lo), Some(hi)) if lo < hi)).count();
        assert!(banded >= 5, "{arm} has a band: {own:?}");
        let polygons =
            density.lines().filter(|l| l.starts_with("<polygon") && l.contains(&format!("fill=\"{colour}\""))).count();
        assert!(polygons >= 2, "{arm}'s band is drawn on both readouts ({polygons})");
        if *arm != "placebo" {
            let panel = own[0].panel;
            assert!(
                plotted.iter().any(|p| p.panel == panel && p.faint && p.series == "placebo"),
                "{arm}: placebo behind"
            );
        }
    }

    // The paired effect over time: each arm minus placebo, replicate by replicate.
    let effects = points(&read(&dir.join("plots/effects.svg")));
    let spine = series(&dir, "spine_bmd");
    let mut checked = 0;
    for p in effects.iter().filter(|p| !p.faint) {
        assert_eq!(p.metric, "spine_bmd");
        let (a, b) = (&spine[&(p.series.clone(), day(p.x))], &spine[&("placebo".into(), day(p.x))]);
        let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
        let (mean, half) = mean_half(&d);
        assert!(close(p.mean.expect("defined"), mean), "{p:?} vs {mean}");
        assert!(close(p.lo.expect("lo"), mean - half) && close(p.hi.expect("hi"), mean + half), "{p:?} vs ± {half}");
        checked += 1;
    }
    assert_eq!(checked, 4 * 7, "four arms, seven days");

    // Windows: teriparatide to day 30, denosumab_stop to day 40, the shared background not at all.
    let windows = metadata(&density, "bmu-sim-windows");
    let of = |arm: &str| -> Vec<(i64, i64)> {
        windows
            .iter()
            .filter(|w| w[1] == arm)
            .map(|w| (day(w[2].parse().unwrap()), day(w[3].parse().unwrap())))
            .collect()
    };
    // Five readouts: spine_bmd, bone_density, the spine at the low and high cancellous share and
    // the hip.
    assert_eq!(of("teriparatide"), [(0, 30); 5], "one per readout");
    assert_eq!(of("denosumab_stop"), [(0, 40); 5]);
    assert_eq!(of("denosumab"), [(0, 60); 5]);
    assert!(of("placebo").is_empty(), "the background every arm shares is not shaded");
    let shaded = density.lines().filter(|l| l.starts_with("<rect") && l.contains("opacity=\"0.07\"")).count();
    assert_eq!(shaded, 20, "four arms, five readouts, one wash each");
    // Undefined is a gap: mitophagy flux at day 0 (no cell-days before it) is drawn from nothing.
    let cells = points(&read(&dir.join("plots/cells.svg")));
    let flux: Vec<&Point> = cells.iter().filter(|p| p.metric == "mitophagy_events" && !p.faint).collect();
    assert_eq!(flux.len(), 5 * 7);
    assert!(flux.iter().all(|p| (p.x == 0.0) == p.mean.is_none()), "undefined at day 0 only: {flux:?}");
    assert!(
        read(&dir.join("plots/cells.svg"))
            .contains("<metadata id=\"bmu-sim-windows\">\npanel,series,start,end\n1,denosumab,0,")
    );
}
