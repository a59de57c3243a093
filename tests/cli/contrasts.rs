//! `[[contrast]]` tables and the `headline` key: `contrasts.csv` against the paired differences
//! of `timeseries.csv` (a difference, and an interaction), the printed table and the page, the
//! key honoured in the table, page and figures, and bad ones refused before anything is written.

use crate::common::*;
use crate::figures::{FIVE, mean_half, points, series};

/// An interaction and a plain difference, the latter the same as an effect against placebo.
const CONTRASTS: &str = "[[contrast]]\nname = \"interaction\"\na = \"teriparatide\"\nb = \"placebo\"\n\
c = \"denosumab\"\nd = \"alendronate\"\n[[contrast]]\na = \"denosumab\"\nb = \"placebo\"\n";

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 * (1.0 + a.abs() + b.abs())
}

#[test]
fn contrasts_are_paired_differences_of_the_timeseries() {
    let tmp = TempDir::new("contrasts");
    let config = tmp.write("five.toml", format!("{FIVE}{CONTRASTS}"));
    let dir = tmp.join("out");
    let r = bmu(tmp.path(), &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap()]).ok();
    let (h, rows) = csv(&dir.join("contrasts.csv"));
    assert_eq!(h.join(","), "contrast,expression,day,metric,n,mean_diff,ci_lo,ci_hi");
    let num = |s: &str| s.parse::<f64>().unwrap_or_else(|_| panic!("`{s}`"));
    for metric in ["spine_bmd", "bone_density", "osteoclasts"] {
        let v = series(&dir, metric);
        let at = |s: &str, day: i64| &v[&(s.to_string(), day)];
        for r in rows.iter().filter(|r| r[0] == "interaction" && r[3] == metric) {
            assert_eq!(r[1], "(teriparatide - placebo) - (denosumab - alendronate)");
            let day = num(&r[2]) as i64;
            let (a, b, c, d) =
                (at("teriparatide", day), at("placebo", day), at("denosumab", day), at("alendronate", day));
            let x: Vec<f64> = (0..3).map(|i| (a[i] - b[i]) - (c[i] - d[i])).collect();
            let (mean, half) = mean_half(&x);
            assert_eq!(r[4], "3", "{r:?}");
            assert!(close(num(&r[5]), mean), "{r:?} vs {mean}");
            assert!(close(num(&r[6]), mean - half) && close(num(&r[7]), mean + half), "{r:?} vs ± {half}");
        }
    }
    // A difference against placebo is the effect, to the byte.
    let (_, effects) = csv(&dir.join("effects.csv"));
    let plain: Vec<_> = rows.iter().filter(|r| r[0] == "denosumab - placebo").map(|r| r[2..].to_vec()).collect();
    let want: Vec<_> = effects.iter().filter(|r| r[0] == "denosumab").map(|r| [&r[2..4], &r[4..]].concat()).collect();
    assert_eq!(plain, want);
    let metrics = csv(&dir.join("timeseries.csv")).0.len() - 3;
    assert_eq!(rows.len(), 2 * 7 * metrics, "two contrasts, every day and metric");
    // Printed, on the page, and drawn in the effects figure.
    assert!(r.stdout.contains("contrasts of spine BMD at day 60"), "{}", r.stdout);
    assert!(r.stdout.lines().any(|l| l.starts_with("interaction ")), "{}", r.stdout);
    let v = bmu(tmp.path(), &["validate", config.to_str().unwrap()]).ok();
    assert!(v.stdout.contains("contrast interaction: (teriparatide - placebo) - (denosumab - alendronate)"));
    assert!(v.stdout.contains("contrast denosumab - placebo: denosumab - placebo"), "{}", v.stdout);
    let page = read(&dir.join("index.html"));
    assert!(page.contains("<h2>Contrasts at the last recorded day</h2>") && page.contains("contrasts.csv"));
    assert!(page.contains("<td>(teriparatide - placebo) - (denosumab - alendronate)</td>"));
    let drawn = points(&read(&dir.join("plots/effects.svg")));
    let last = drawn.iter().rfind(|p| p.series == "interaction").expect("the interaction is drawn");
    let row = rows.iter().find(|r| r[0] == "interaction" && r[2] == "60" && r[3] == "spine_bmd").expect("row");
    assert_eq!(last.mean, Some(num(&row[5])));
}

#[test]
fn the_headline_key_leads_the_table_page_and_figures() {
    let tmp = TempDir::new("headline-key");
    let config = tmp.write("five.toml", FIVE);
    let dir = tmp.join("out");
    let set = "headline=[\"osteoclasts\", \"bone_density\"]";
    let r = bmu(tmp.path(), &["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--set", set]).ok();
    assert!(r.stdout.starts_with("osteoclasts at day 60"), "the key overrides the target's spine_bmd:\n{}", r.stdout);
    let page = read(&dir.join("index.html"));
    assert!(page.contains("<h2>Osteoclasts</h2>"));
    let th = |m: &str| page.find(&format!("<th>{m}</th>")).unwrap_or_else(|| panic!("no {m} column"));
    assert!(th("osteoclasts") < th("bone_density") && th("bone_density") < th("spine_bmd"), "headline columns first");
    let density = points(&read(&dir.join("plots/bone_density.svg")));
    let order: Vec<&str> = density.iter().map(|p| p.metric.as_str()).fold(Vec::new(), |mut v, m| {
        if !v.contains(&m) {
            v.push(m);
        }
        v
    });
    assert_eq!(order, ["osteoclasts", "bone_density", "spine_bmd", "spine_bmd_low_w", "spine_bmd_high_w", "hip_bmd"]);
    let effects = points(&read(&dir.join("plots/effects.svg")));
    assert!(effects.iter().all(|p| ["osteoclasts", "bone_density"].contains(&p.metric.as_str())));
    assert!(read(&dir.join("config.toml")).contains("headline = [\"osteoclasts\", \"bone_density\"]"));
    let v = bmu(tmp.path(), &["validate", config.to_str().unwrap(), "--set", set]).ok();
    assert!(v.stdout.contains("headline readout(s): osteoclasts, bone_density"), "{}", v.stdout);
}

#[test]
fn a_bad_headline_or_contrast_is_refused_with_its_place_and_nothing_written() {
    let tmp = TempDir::new("bad-contrast");
    // (what is appended, the line of the culprit within it, its column, key, message)
    let cases = [
        ("headline = [\"spine_bmd\", \"mean_atpp\"]\n", 1, 26, "headline[1]", "did you mean `mean_atp`?"),
        ("headline = [\"eroded_pct\"]\n", 1, 13, "headline[0]", "unknown metric"),
        ("[[contrast]]\na = \"denosumab\"\nb = \"placbo\"\n", 3, 5, "contrast[0].b", "did you mean `placebo`?"),
        (
            "[[contrast]]\na = \"denosumab\"\nb = \"placebo\"\nc = \"alendronate\"\n",
            1,
            1,
            "contrast[0].d",
            "`c` and `d`",
        ),
    ];
    for (n, (extra, at, column, key, hint)) in cases.into_iter().enumerate() {
        // A top-level key goes first (after FIVE it would fall into its last table).
        let top = extra.starts_with("headline");
        let text = if top { format!("{extra}{FIVE}") } else { format!("{FIVE}{extra}") };
        let config = tmp.write(&format!("bad{n}.toml"), &text);
        let out = tmp.join(&format!("out{n}"));
        let r = bmu(tmp.path(), &["run", config.to_str().unwrap(), "--out", out.to_str().unwrap()]).code(3);
        let line = if top { at } else { FIVE.lines().count() + at };
        let want = format!("bad{n}.toml:{line}:{column}: key `{key}`");
        assert!(r.stderr.contains(&want) && r.stderr.contains(hint), "want `{want}` and `{hint}`:\n{}", r.stderr);
        assert!(!out.exists(), "nothing is written");
        bmu(tmp.path(), &["validate", config.to_str().unwrap()]).code(3);
    }
}
