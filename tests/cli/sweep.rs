//! Parameter sweeps: grid and zip expansion, log spacing, variant names, `sweep.csv`, effects at
//! the same sweep point, the sweep plot, the resolved config's round trip, and refusals.

use crate::common::*;
use crate::errors::{refused, refused_with};

const BASE: &str = "seed = 5\nreplicates = 2\ndays = 20\nspinup_days = 10\nrecord_every_days = 10\n\
[params]\nsites = 4\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"wt\"\n[[scenario]]\nname = \"ko\"\n[[scenario.intervention]]\nkind = \"pink1_knockout\"\n";

/// The scenario names `validate` lists, in order.
fn validated_names(tmp: &TempDir, config: &str) -> Vec<String> {
    let path = tmp.write("sweep.toml", config);
    let out = bmu(tmp.path(), &["validate", path.to_str().unwrap()]).ok().stdout;
    out.lines()
        .filter_map(|l| l.trim().strip_prefix("scenario "))
        .map(|l| l.split(':').next().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn grid_and_zip_expand_every_scenario_at_every_point() {
    let tmp = TempDir::new("sweep-expand");
    let grid = validated_names(
        &tmp,
        &format!("{BASE}[sweep]\nhypoxia = [0.5, 1, 2]\nparkin_per_day = {{ values = [2, 8] }}\n"),
    );
    let want: Vec<String> = ["wt", "ko"]
        .iter()
        .flat_map(|s| {
            ["0.5", "1", "2"]
                .iter()
                .flat_map(move |h| ["2", "8"].map(move |p| format!("{s}@hypoxia={h}+parkin_per_day={p}")))
        })
        .collect();
    assert_eq!(grid, want, "grid: scenario-major, the first key slowest");
    let zip = validated_names(
        &tmp,
        &format!("{BASE}[sweep]\nmode = \"zip\"\nhypoxia = [0.5, 1, 2]\nparkin_per_day = [2, 4, 8]\n"),
    );
    assert_eq!(zip.len(), 2 * 3, "zip: one point per position: {zip:?}");
    assert_eq!(zip[4], "ko@hypoxia=1+parkin_per_day=4");
    let counted = validated_names(&tmp, &format!("{BASE}[sweep]\nsites = {{ start = 2, stop = 8, num = 4 }}\n"));
    assert_eq!(
        counted[..4],
        ["wt@sites=2", "wt@sites=4", "wt@sites=6", "wt@sites=8"],
        "an integer key, linear spacing"
    );
}

#[test]
fn a_sweep_run_writes_points_effects_and_its_plot() {
    let tmp = TempDir::new("sweep-run");
    let config = tmp.write("sweep.toml", format!("reference = \"wt\"\n{BASE}[sweep]\nday = 10\nparkin_per_day = {{ start = 0.5, stop = 16, num = 6, scale = \"log\" }}\n"));
    let dir = run_ok(&tmp, config.to_str().unwrap(), "out", &[]);
    let mut files = RUN_FILES.to_vec();
    files.push("sweep.csv");
    files.sort();
    assert_eq!(entries(&dir), files);
    let (h, rows) = csv(&dir.join("sweep.csv"));
    assert_eq!(h, ["point", "parkin_per_day", "label"]);
    let values: Vec<f64> = rows.iter().map(|r| r[1].parse().expect("number")).collect();
    assert_eq!((values[0], values[5]), (0.5, 16.0), "the ends are exact");
    for w in values.windows(2) {
        assert!((w[1] / w[0] - 2.0).abs() < 1e-12, "log spacing: {values:?}");
    }
    let written: Vec<&str> = rows.iter().map(|r| r[1].as_str()).collect();
    assert_eq!(written, ["0.5", "1", "2", "4", "8", "16"], "log points are written as the numbers they stand for");
    assert_eq!(rows.iter().map(|r| r[0].as_str()).collect::<Vec<_>>(), ["0", "1", "2", "3", "4", "5"]);
    assert_eq!(rows[2][2], "parkin_per_day=2");

    let (h, ts) = csv(&dir.join("timeseries.csv"));
    let sc = col(&h, "scenario");
    let mut names: Vec<&str> = ts.iter().map(|r| r[sc].as_str()).collect();
    names.dedup();
    assert_eq!(names.len(), 12, "2 scenarios x 6 points: {names:?}");
    assert_eq!(names[0], "wt@parkin_per_day=0.5");
    let (_, effects) = csv(&dir.join("effects.csv"));
    for e in &effects {
        let (scenario, reference) =
            (e[0].split_once('@').expect("a variant"), e[1].split_once('@').expect("a variant"));
        assert_eq!((scenario.0, reference.0), ("ko", "wt"), "{e:?}");
        assert_eq!(scenario.1, reference.1, "an effect is taken at the same sweep point: {e:?}");
    }
    let metrics = csv(&dir.join("timeseries.csv")).0.len() - 3;
    assert_eq!(effects.len(), 6 * 3 * metrics, "6 knock-out variants x 3 days x every metric");

    let svg = read(&dir.join("plots/sweep.svg"));
    assert!(
        svg.contains("parkin_per_day (log scale)") && svg.contains("at day 10"),
        "the sweep plot names its axis and day"
    );
    for tick in ["0.5", "1", "2", "4", "8", "16"] {
        assert!(svg.contains(&format!("\n{tick}\n</text>")), "the log axis is labelled at the swept value {tick}");
    }
    assert!(read(&dir.join("index.html")).contains("plots/sweep.svg"), "index.html shows the sweep plot");

    let again = run_ok(&tmp, dir.join("config.toml").to_str().unwrap(), "again", &[]);
    for f in ["sweep.csv", "effects.csv", "timeseries.csv"] {
        assert!(read_bytes(&dir.join(f)) == read_bytes(&again.join(f)), "{f} differs when re-run from config.toml");
    }
}

#[test]
fn bad_sweeps_are_refused_where_they_are_written() {
    let cases: [(&str, &str, &str, &str); 7] = [
        ("unknown", "no_such = [1, 2]\n", "sweep.no_such", "unknown key"),
        ("switch", "pink1_tagging = [1, 2]\n", "sweep.pink1_tagging", "is a switch"),
        ("range", "diff_max = [0.5, 1.5]\n", "sweep.diff_max", "value 1.5 is refused in scenario `wt`"),
        ("log", "hypoxia = { start = 0, stop = 2, num = 3, scale = \"log\" }\n", "sweep.hypoxia", "needs start > 0"),
        ("twice", "hypoxia = [1, 2, 1]\n", "sweep.hypoxia", "given twice"),
        ("integer", "sites = [2, 2.5]\n", "sweep.sites", "whole number"),
        (
            "zip",
            "mode = \"zip\"\nhypoxia = [1, 2]\nparkin_per_day = [1, 2, 3]\n",
            "sweep.parkin_per_day",
            "as many values",
        ),
    ];
    for (name, sweep, key, message) in cases {
        let e = refused(name, format!("{BASE}[sweep]\n{sweep}").as_bytes());
        assert_eq!(e.key.as_deref(), Some(key), "{name}: {e:?}");
        assert!(e.line >= 17, "{name}: located in the [sweep] table: {e:?}");
        assert!(e.message.contains(message), "{name}: {}", e.message);
    }
    let huge: String = ["hypoxia", "parkin_per_day", "receptor_per_day", "damage_per_day"]
        .iter()
        .map(|k| format!("{k} = {{ start = 1, stop = 100, num = 100 }}\n"))
        .collect();
    let e = refused("size", format!("{BASE}[sweep]\n{huge}").as_bytes());
    assert_eq!((e.line, e.key.as_deref()), (16, Some("sweep")), "{e:?}");
    assert!(e.message.contains("100000000 point(s)") && e.message.contains("at most"), "{}", e.message);
    let e = refused_with(
        "set-swept",
        format!("{BASE}[sweep]\nhypoxia = [1, 2]\n").as_bytes(),
        &["--set", "hypoxia=3"],
        Some("--set hypoxia=3"),
    );
    assert_eq!(e.key.as_deref(), Some("hypoxia"), "{e:?}");
    assert!(e.message.contains("swept"), "{}", e.message);
}
