//! The picture of a virtual trial (`[population]`: each replicate a patient), what `trial.csv`
//! reports drawn patient by patient: on the first headline readout at the last recorded day (the
//! trial's endpoint), each patient's change from baseline as a dot, the dots of an arm side by
//! side at its name, the arm's mean ± SD beside them, dashed lines at ± the least significant
//! change (`responder_change_pct`, the responder threshold) and a faint line at 0.
//!
//! The dots of an arm are spread sideways by the patient's index alone (the fractional parts of
//! p × the golden ratio, evenly spread and never repeating): the same run gives the same picture.

use super::{Figure, Labels, Panel, Series, figure};
use crate::analysis::series::{Groups, metric_index};
use crate::analysis::stats::{defined, summarize};
use crate::analysis::trial::changes;
use crate::config::{Config, DAYS_PER_YEAR};
use crate::output::report::readable;

/// Arm k's patients lie within k + [`DOTS_CENTRE`] ± [`DOTS_WIDTH`] / 2 (x: one unit per arm),
/// its mean ± SD at k + [`MEAN_OFFSET`], to the right of them.
const DOTS_CENTRE: f64 = -0.08;
const DOTS_WIDTH: f64 = 0.34;
const MEAN_OFFSET: f64 = 0.2;
/// How far (x units) the lines at ± LSC and 0 reach beyond the outer arms.
const LINE_MARGIN: f64 = 0.5;
/// The golden ratio's fractional part: p × it, modulo 1, spreads patients evenly.
const GOLDEN: f64 = 0.618_033_988_749_895;

/// Patient `p`'s sideways offset from the centre of its arm's dots.
fn jitter(p: usize) -> f64 {
    ((p as f64 * GOLDEN).fract() - 0.5) * DOTS_WIDTH
}

/// A horizontal line at `y` across every arm.
fn line(label: &str, y: f64, arms: usize, dashed: bool) -> Series {
    Series {
        label: label.into(),
        x: vec![-LINE_MARGIN, arms.saturating_sub(1) as f64 + LINE_MARGIN],
        mean: vec![y; 2],
        lo: vec![f64::NAN; 2],
        hi: vec![f64::NAN; 2],
        dashed,
        faint: true,
        ..Series::default()
    }
}

/// `plots/trial`: every patient's change at the endpoint, per arm; `None` without a
/// `[population]` (or without a recorded day).
pub fn trial(config: &Config, groups: &Groups, labels: &Labels) -> Option<Figure> {
    config.population.as_ref()?;
    let metric = *config.comparison.headline_metrics().first()?;
    let m = metric_index(metric);
    let lsc = config.reference.responder_change_pct;
    let arms = config.scenarios.len();
    let r = config.reference_variant(0);
    let day = *groups.days(r).last()?;
    let mut series = vec![line("", 0.0, arms, false), line("+LSC", lsc, arms, true), line("-LSC", -lsc, arms, true)];
    let mut ticks = Vec::new();
    for (v, s) in config.scenarios.iter().enumerate() {
        let Some(i) = groups.nearest(v, None) else { continue };
        let delta = changes(groups, v, i, m);
        let k = v as f64;
        ticks.push((k, s.name.clone()));
        let none = vec![f64::NAN; delta.len()];
        series.push(Series {
            label: s.name.clone(),
            x: (0..delta.len()).map(|p| k + DOTS_CENTRE + jitter(p)).collect(),
            mean: delta.clone(),
            lo: none.clone(),
            hi: none,
            colour: v,
            points: true,
            scatter: true,
            ..Series::default()
        });
        let summary = summarize(&defined(&delta));
        series.push(Series {
            label: format!("{}: mean ± SD", s.name),
            x: vec![k + MEAN_OFFSET],
            mean: vec![summary.mean],
            lo: vec![summary.mean - summary.sd],
            hi: vec![summary.mean + summary.sd],
            colour: v,
            points: true,
            ..Series::default()
        });
    }
    let short = readable(metric);
    let years = format!("{}", (day / DAYS_PER_YEAR * 10.0).round() / 10.0);
    let panel = Panel {
        title: format!("Each patient's change (dots), each arm's mean ± SD (bars); dashed: ± {lsc} points (LSC)"),
        x_label: "arm".into(),
        y_label: format!("change in {short} from baseline (points)"),
        series,
        metric,
        x_ticks: ticks,
        ..Panel::default()
    };
    let legend = config.scenarios.iter().enumerate().map(|(v, s)| (s.name.clone(), v, false)).collect();
    let what = format!("Virtual trial: {short} at year {years} (day {day})");
    let mut f = figure("trial", &what, labels, vec![panel], 1, legend);
    // The run's conditions, as a trial states them.
    f.subtitle = labels.subtitle("patients per arm", "mean and SD");
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Overrides;
    use crate::record::{RunRecord, densities_at};

    fn run(scenario: &str, replicate: u32, density: f64) -> RunRecord {
        densities_at(scenario, replicate, &[(0.0, 100.0), (365.25, 100.0), (730.5, density)])
    }

    /// Per arm: the patients' day-730.5 values, and by hand their changes' mean and sum of squares
    /// about it (−1, 1, −2, 2: 0 and 10; 4, 2, 6, 0: 3 and 20).
    const ARMS: [(&str, [f64; 4], f64, f64); 2] =
        [("placebo", [99.0, 101.0, 98.0, 102.0], 0.0, 10.0), ("drug", [104.0, 102.0, 106.0, 100.0], 3.0, 20.0)];

    fn config(population: &str) -> Config {
        let text =
            format!("replicates = 4\n{population}[[scenario]]\nname = \"placebo\"\n[[scenario]]\nname = \"drug\"\n");
        Config::parse("t.toml", &text, &Overrides::default()).unwrap()
    }

    #[test]
    fn a_dot_per_patient_per_arm_its_mean_and_sd_and_the_lsc_lines() {
        let trial_config = config("[population]\nosteoblast_work = { mean = 1, sd = 0.1 }\n");
        let runs: Vec<RunRecord> = ARMS
            .iter()
            .flat_map(|(arm, xs, _, _)| xs.iter().enumerate().map(move |(r, &x)| run(arm, r as u32, x)))
            .collect();
        let labels = Labels { config: "t.toml".into(), ..Labels::default() };
        let f = trial(&trial_config, &Groups::new(&trial_config, &runs), &labels).expect("a trial figure");
        assert_eq!(f.stem, "trial");
        assert!(f.title.contains("bone density at year 2"), "{}", f.title);
        let panel = &f.panels[0];
        assert_eq!(panel.metric, "bone_density");
        assert_eq!(panel.x_ticks, [(0.0, "placebo".to_string()), (1.0, "drug".to_string())]);
        for (k, (arm, xs, m, ss)) in ARMS.iter().enumerate() {
            let dots = panel.series.iter().find(|s| s.label == *arm).expect("the arm's dots");
            let want: Vec<f64> = xs.iter().map(|x| x - 100.0).collect();
            assert_eq!(dots.mean, want, "{arm}: one dot per patient, its change at the last day");
            assert!(dots.points && dots.scatter && dots.colour == k);
            assert!(dots.x.iter().all(|x| (x - k as f64).abs() < 0.5), "{arm}: dots beside their arm");
            let mut x = dots.x.clone();
            x.sort_by(f64::total_cmp);
            x.dedup();
            assert_eq!(x.len(), 4, "{arm}: no two dots on top of each other");
            let mean = panel.series.iter().find(|s| s.label == format!("{arm}: mean ± SD")).expect("mean");
            let sd = (ss / 3.0).sqrt();
            assert!((mean.mean[0] - m).abs() < 1e-12 && (mean.hi[0] - m - sd).abs() < 1e-12, "{arm}: {mean:?}");
            assert!((mean.lo[0] - m + sd).abs() < 1e-12);
        }
        let at = |label: &str| panel.series.iter().find(|s| s.label == label).expect(label).clone();
        let (plus, minus, zero) = (at("+LSC"), at("-LSC"), at(""));
        assert_eq!((plus.mean, minus.mean, zero.mean), (vec![3.0; 2], vec![-3.0; 2], vec![0.0; 2]));
        assert!(plus.dashed && minus.dashed && plus.faint && !zero.dashed && zero.faint);
        assert_eq!(plus.x, [-0.5, 1.5], "across both arms");
        // The drawing carries what it is drawn from: 8 dots, 2 means, 3 lines of 2 points.
        let svg = super::super::render::svg_with_data(&f).expect("svg");
        assert_eq!(svg.matches(",bone_density,drug,false,").count(), 4, "{svg}");
        assert!(svg.contains(",bone_density,+LSC,true,-0.5,3,,\n"));
        // Without a population there are no patients and no picture.
        let plain = config("");
        assert!(trial(&plain, &Groups::new(&plain, &runs), &labels).is_none());
    }
}
