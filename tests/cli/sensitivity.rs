//! `bmu-sim sensitivity`: a small Morris screen and Sobol design on a tiny config find the
//! influential parameter and give exactly 0 to one the outputs cannot depend on, write the same
//! bytes on 1 and 2 threads and in shards (by hand and by `bmu-sim slurm`'s scripts), and refuse
//! a bad file before any run.

use crate::common::*;
use crate::errors::located;

/// Two scenarios, 30 sites, a month of spin-up and a month recorded: about a second a design.
const TINY: &str = "replicates = 2\ndays = 30\nspinup_days = 30\nrecord_every_days = 15\n\
[params]\nsites = 30\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"untreated\"\n\
[[scenario]]\nname = \"menopause\"\n[[scenario.intervention]]\nkind = \"estrogen_loss\"\nstart_day = 0\n";

/// `damage_per_day` drives cell ROS; no scenario gives denosumab, so its RANKL block is inert.
const PARAMETERS: &str = "[[parameter]]\nkey = \"damage_per_day\"\nlow = 1.0\nhigh = 4.0\nscale = \"log\"\n\
[[parameter]]\nkey = \"denosumab_rankl_block\"\nlow = 0.5\nhigh = 0.9\n";

const ROS: &str = "[[output]]\nmetric = \"mean_ros\"\nscenario = \"untreated\"\nday = 30\n";
const EFFECT: &str = "[[output]]\nmetric = \"bone_density\"\nscenario = \"menopause\"\neffect_vs = \"untreated\"\n";

const MORRIS: &str = "config = \"tiny.toml\"\nmethod = \"morris\"\ntrajectories = 3\n";

/// Run `sensitivity FILE --out OUT --quiet ARGS` in `tmp`, which must succeed; returns OUT.
fn analyse(tmp: &TempDir, file: &str, out: &str, args: &[&str]) -> std::path::PathBuf {
    let dir = tmp.join(out);
    let mut all = vec!["sensitivity", file, "--out", dir.to_str().expect("utf-8"), "--quiet"];
    all.extend_from_slice(args);
    bmu(tmp.path(), &all).ok();
    dir
}

/// The `column` of `sensitivity.csv` for `output` and `parameter`.
fn index(dir: &std::path::Path, output: &str, parameter: &str, column: &str) -> f64 {
    let (header, rows) = csv(&dir.join("sensitivity.csv"));
    let row = rows.iter().find(|r| r[0] == output && r[1] == parameter).expect("a row per output and parameter");
    row[col(&header, column)].parse().expect("a number")
}

#[test]
fn morris_finds_the_influential_parameter_and_exactly_nothing_in_an_inert_one() {
    let tmp = TempDir::new("sens-morris");
    tmp.write("tiny.toml", TINY);
    tmp.write("s.toml", format!("{MORRIS}{PARAMETERS}{ROS}{EFFECT}"));
    let one = analyse(&tmp, "s.toml", "one", &["--threads", "1"]);
    let files = ["config.toml", "manifest.json", "plots", "points.csv", "sensitivity.csv", "sensitivity.toml"];
    assert_eq!(entries(&one), files);
    assert_eq!(entries(&one.join("plots")), ["sensitivity.svg"]);
    let ros = "mean_ros:untreated@30";
    assert!(index(&one, ros, "damage_per_day", "mu_star") > 0.0);
    assert!(index(&one, ros, "damage_per_day", "mu") > 0.0, "more damage, more ROS");
    assert_eq!(index(&one, ros, "denosumab_rankl_block", "mu_star"), 0.0);
    assert_eq!(index(&one, ros, "denosumab_rankl_block", "sigma"), 0.0);
    let effect = "bone_density:menopause-untreated@30";
    assert_eq!(index(&one, effect, "denosumab_rankl_block", "mu_star"), 0.0);
    let (header, points) = csv(&one.join("points.csv"));
    assert_eq!(header, ["point", "damage_per_day", "denosumab_rankl_block", ros, effect]);
    assert_eq!(points.len(), 3 * (2 + 1), "r(d + 1) design points");
    let two = analyse(&tmp, "s.toml", "two", &["--threads", "2"]);
    assert_same_results(&one, &two);
    let again = bmu(tmp.path(), &["sensitivity", "s.toml", "--out", "two", "--resume"]).ok();
    assert!(again.stdout.contains("nothing to do"), "{}", again.stdout);
}

#[test]
fn sobol_gives_an_inert_parameter_a_total_index_of_exactly_zero() {
    let tmp = TempDir::new("sens-sobol");
    tmp.write("tiny.toml", TINY);
    let head = "config = \"tiny.toml\"\nmethod = \"sobol\"\nrows = 4\nresamples = 50\n";
    tmp.write("s.toml", format!("{head}{PARAMETERS}{ROS}"));
    let dir = analyse(&tmp, "s.toml", "out", &[]);
    let ros = "mean_ros:untreated@30";
    assert!(index(&dir, ros, "damage_per_day", "st") > 0.0);
    assert_eq!(index(&dir, ros, "denosumab_rankl_block", "st"), 0.0);
    assert_eq!(index(&dir, ros, "denosumab_rankl_block", "s1"), 0.0);
    assert_eq!(csv(&dir.join("points.csv")).1.len(), 4 * (2 + 2), "n(d + 2) design points");
}

#[test]
fn shards_and_the_slurm_scripts_give_the_indices_of_a_design_run_in_one_piece() {
    let tmp = TempDir::new("sens-shards");
    tmp.write("tiny.toml", TINY);
    tmp.write("s.toml", format!("{MORRIS}{PARAMETERS}{ROS}{EFFECT}"));
    let whole = analyse(&tmp, "s.toml", "whole", &["--threads", "1"]);
    // By hand: two shards, then `merge`, which reads the design file from the plan.
    let shard = |dir: &str, s: &str| bmu(tmp.path(), &["sensitivity", "s.toml", "--out", dir, "--shard", s, "--quiet"]);
    let first = shard("by-hand", "1/2").ok();
    assert!(first.stdout.contains("bmu-sim merge by-hand"), "{}", first.stdout);
    let early = bmu(tmp.path(), &["merge", "by-hand"]).code(6);
    assert!(early.stderr.contains("0/2"), "the missing shard is named: {}", early.stderr);
    shard("by-hand", "0/2").ok();
    bmu(tmp.path(), &["merge", "by-hand", "--quiet"]).ok();
    assert_same_results(&whole, &tmp.join("by-hand"));
    // A design file that changed after its shards ran is not merged.
    shard("changed", "0/1").ok();
    tmp.write("s.toml", format!("{}{PARAMETERS}{ROS}{EFFECT}", MORRIS.replace('3', "4")));
    let changed = bmu(tmp.path(), &["merge", "changed"]).code(1);
    assert!(changed.stderr.contains("no longer makes the design"), "{}", changed.stderr);
    tmp.write("s.toml", format!("{MORRIS}{PARAMETERS}{ROS}{EFFECT}"));
    // The scripts `slurm --sensitivity` writes, run by hand as the cluster would.
    let dir = tmp.join("slurm");
    let dir = dir.to_str().expect("utf-8");
    bmu(tmp.path(), &["slurm", "--sensitivity", "s.toml", "--out", dir, "--shards", "3"]).ok();
    let scripts = tmp.join("slurm-slurm");
    let array = read(&scripts.join("array.sbatch"));
    assert!(array.contains(" sensitivity ") && array.contains("/s.toml --out"), "{array}");
    crate::slurm::run_by_hand(&scripts, 3);
    assert_same_results(&whole, &tmp.join("slurm"));
    bmu(tmp.path(), &["slurm", "--sensitivity", "s.toml", "tiny.toml", "--out", dir, "--shards", "3"]).code(2);
}

/// `file` (with `§` where the error must be located) is refused with exit code 3, one line that
/// names the file, the position and a key ending in `key`, and nothing is written.
fn refused(name: &str, marked: &str, key: &str) -> String {
    let tmp = TempDir::new(name);
    tmp.write("tiny.toml", TINY);
    let at = marked.find('§').expect("a § marker");
    let text = marked.replace('§', "");
    tmp.write("s.toml", &text);
    let run = bmu(tmp.path(), &["sensitivity", "s.toml", "--out", "out"]).code(3);
    assert!(!tmp.join("out").exists(), "{name}: a refused file created its output directory");
    assert_eq!(entries(tmp.path()), ["s.toml", "tiny.toml"], "{name}: files left behind");
    let e = located(&run.stderr, "s.toml");
    assert_eq!((e.line, e.col), line_col(&text, at), "{name}: {e:?}");
    let got = e.key.unwrap_or_default();
    assert!(got.ends_with(key), "{name}: key `{got}` should name `{key}`");
    e.message
}

#[test]
fn a_bad_file_is_refused_before_any_run() {
    let unknown = format!("{MORRIS}§seeds = 3\n{PARAMETERS}{ROS}");
    refused("sens-top-key", &unknown, "seeds");
    let key = format!("{MORRIS}[[parameter]]\nkey = §\"damage_per_year\"\nlow = 1.0\nhigh = 2.0\n{ROS}");
    refused("sens-param-key", &key, "parameter[0].key");
    let range = format!("{MORRIS}{}{ROS}", PARAMETERS.replace("high = 0.9", "high = §1.5"));
    let message = refused("sens-range", &range, "parameter[1].high");
    assert!(message.contains("between 0 and 1"), "{message}");
    let metric = format!("{MORRIS}{PARAMETERS}{}", ROS.replace("\"mean_ros\"", "§\"mean_rose\""));
    refused("sens-metric", &metric, "output[0].metric");
    let scenario = format!("{MORRIS}{PARAMETERS}{ROS}{}", EFFECT.replace("\"untreated\"", "§\"untreatd\""));
    refused("sens-scenario", &scenario, "output[1].effect_vs");
    let stray = format!("{MORRIS}rows = §4\n{PARAMETERS}{ROS}");
    refused("sens-stray", &stray, "rows");
}
