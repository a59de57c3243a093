//! Cortical sites and the lumbar-spine readout: cortical sites leave every cancellous output as it
//! was (the same streams, the same sums), and `spine_bmd` weights the two compartments as
//! `spine_cancellous_share` says.

use crate::common::*;
use std::path::Path;

/// Placebo and denosumab for two years, paired under common random numbers.
const DENOSUMAB: &str = "seed = 11\nreplicates = 2\ndays = 730\nspinup_days = 365\nrecord_every_days = 73\n\
[params]\nsites = 60\ndt_days = 0.125\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"placebo\"\n\
[[scenario]]\nname = \"denosumab\"\n[[scenario.intervention]]\nkind = \"denosumab\"\nstart_day = 0\n";

/// A CSV table: header and rows.
type Table = (Vec<String>, Vec<Vec<String>>);

/// The columns that read cortical sites too: the spine at its three shares, the hip and the markers.
const WHOLE_TISSUE: [&str; 6] = ["spine_bmd", "spine_bmd_low_w", "spine_bmd_high_w", "hip_bmd", "ctx_pct", "p1np_pct"];

/// `timeseries.csv` with the [`WHOLE_TISSUE`] columns taken out, and those columns.
fn without_spine(dir: &Path) -> (Table, Vec<Vec<String>>) {
    let (mut h, mut rows) = csv(&dir.join("timeseries.csv"));
    let mut taken = Vec::new();
    for name in WHOLE_TISSUE {
        let i = col(&h, name);
        h.remove(i);
        taken.push(rows.iter_mut().map(|r| r.remove(i)).collect());
    }
    ((h, rows), taken)
}

/// Column `name` of `timeseries.csv` as numbers.
fn column(dir: &Path, name: &str) -> Vec<f64> {
    let (h, rows) = csv(&dir.join("timeseries.csv"));
    let i = col(&h, name);
    rows.iter().map(|r| r[i].parse().unwrap_or_else(|_| panic!("{name}: `{}`", r[i]))).collect()
}

/// Mean effect (denosumab − placebo, paired by replicate) on `metric` at `day`, from effects.csv.
fn effect(dir: &Path, metric: &str, day: &str) -> f64 {
    let (h, rows) = csv(&dir.join("effects.csv"));
    let (d, m, e) = (col(&h, "day"), col(&h, "metric"), col(&h, "mean_diff"));
    let row = rows.iter().find(|r| r[d] == day && r[m] == metric).unwrap_or_else(|| panic!("no {metric} at {day}"));
    row[e].parse().expect("a number")
}

#[test]
#[ignore = "validation tier (minutes): cargo test --release -- --include-ignored"]
fn cortical_sites_leave_the_cancellous_outputs_as_they_were_and_dilute_the_spines_gain() {
    let tmp = TempDir::new("spine");
    let config = tmp.write("denosumab.toml", DENOSUMAB);
    let config = config.to_str().unwrap();
    let cancellous = run_ok(&tmp, config, "cancellous", &[]);
    let spine = run_ok(&tmp, config, "spine", &["--set", "cortical_sites=60"]);
    let cortical =
        run_ok(&tmp, config, "cortical", &["--set", "cortical_sites=60", "--set", "spine_cancellous_share=0"]);

    // Without cortical sites the spine is the cancellous density at every share, to the last digit.
    let ((h, rows), taken) = without_spine(&cancellous);
    let bd = col(&h, "bone_density");
    for (name, column) in WHOLE_TISSUE.iter().zip(&taken).take(3) {
        assert!(rows.iter().zip(column).all(|(r, s)| r[bd] == *s), "{name} != bone_density");
    }

    // Cortical sites take their own streams and stay out of every cancellous readout: the biopsy,
    // the runs' tallies and every other column are byte for byte the same.
    for f in ["histomorphometry.csv", "runs.csv"] {
        assert!(read_bytes(&cancellous.join(f)) == read_bytes(&spine.join(f)), "{f} changed with cortical sites");
    }
    assert_eq!(without_spine(&spine).0, (h, rows), "a cancellous column changed with cortical sites");

    // With w = 0 the spine is the cortical density alone; with w = 0.25 it lies between the two,
    // where the weighting puts it.
    let (bone, mixed, cortical_density) =
        (column(&spine, "bone_density"), column(&spine, "spine_bmd"), column(&cortical, "spine_bmd"));
    assert_eq!(bone, column(&cortical, "bone_density"));
    for ((b, s), c) in bone.iter().zip(&mixed).zip(&cortical_density) {
        assert!((s - (0.25 * b + 0.75 * c)).abs() < 1e-9, "{s} is not 0.25·{b} + 0.75·{c}");
        assert!(b.min(*c) - 1e-9 <= *s && *s <= b.max(*c) + 1e-9, "{s} outside [{b}, {c}]");
    }
    // Denosumab fills the cancellous remodelling space; slowly remodelling cortical bone gains
    // little, so the spine gains less than cancellous bone, more than cortical bone.
    let (gain, spine_gain, cortical_gain) = (
        effect(&spine, "bone_density", "730"),
        effect(&spine, "spine_bmd", "730"),
        effect(&cortical, "spine_bmd", "730"),
    );
    eprintln!("denosumab at 2 years: cancellous {gain:+.2}, spine {spine_gain:+.2}, cortical {cortical_gain:+.2}");
    assert!(gain > 2.0, "denosumab gains cancellous bone: {gain}");
    assert!(cortical_gain < spine_gain && spine_gain < gain, "{cortical_gain} < {spine_gain} < {gain}");
    assert!(spine_gain > 0.0, "{spine_gain}");
}
