//! `bmu-sim fit`: ABC-SMC on a tiny config recovers a parameter from targets the model itself
//! produced at a known value; a fit killed (`kill -9`) part-way and resumed writes the same
//! posterior, byte for byte, as one never interrupted; a bad fit file is refused before any run.

use crate::common::*;
use crate::errors::located;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The known value of `estrogen_loss_rankl` the data are made at (the prior is 1 to 4).
const TRUTH: f64 = 2.0;

/// Two scenarios, 30 sites, a month of spin-up and a month recorded.
fn tiny(replicates: u32, seed: u64, targets: &str) -> String {
    format!(
        "seed = {seed}\nreplicates = {replicates}\ndays = 30\nspinup_days = 30\nrecord_every_days = 15\n\
[params]\nsites = 30\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"untreated\"\n\
[[scenario]]\nname = \"menopause\"\n[scenario.params]\nestrogen_loss_rankl = {TRUTH}\n\
[[scenario.intervention]]\nkind = \"estrogen_loss\"\nstart_day = 0\n{targets}"
    )
}

/// The data: the menopause effects on cell ROS and bone density at day 30 from a run of 8
/// replicates at [`TRUTH`] (its own seed), as targets with the run's 95 % intervals.
fn targets_from_the_model(tmp: &TempDir) -> String {
    tmp.write("truth.toml", tiny(8, 99, ""));
    let dir = run_ok(tmp, "truth.toml", "truth", &[]);
    let (header, rows) = csv(&dir.join("effects.csv"));
    let mut targets = String::new();
    for metric in ["mean_ros", "bone_density"] {
        let row = rows.iter().find(|r| r[0] == "menopause" && r[2] == "30" && r[3] == metric).expect("effect row");
        let at = |c: &str| row[col(&header, c)].clone();
        targets += &format!(
            "[[target]]\nscenario = \"menopause\"\nmetric = \"{metric}\"\nday = 30\nestimate = {}\nci95 = [{}, {}]\nsource = \"the model at {TRUTH}\"\n",
            at("mean_diff"),
            at("ci_lo"),
            at("ci_hi")
        );
    }
    targets
}

const FIT: &str = "configs = [\"tiny.toml\"]\nparticles = 20\npopulations = 3\nmax_evaluations = 200\n\
[[parameter]]\nkey = \"estrogen_loss_rankl\"\nlow = 1.0\nhigh = 4.0\n";

/// `fit f.toml --out OUT --quiet ARGS` in `tmp`, which must succeed; returns OUT.
fn fit(tmp: &TempDir, out: &str, args: &[&str]) -> std::path::PathBuf {
    let dir = tmp.join(out);
    let mut all = vec!["fit", "f.toml", "--out", dir.to_str().expect("utf-8"), "--quiet"];
    all.extend_from_slice(args);
    bmu(tmp.path(), &all).ok();
    dir
}

/// The `column` of `file`'s row whose first field is `first`.
fn cell(file: &Path, first: &str, column: &str) -> String {
    let (header, rows) = csv(file);
    let row = rows.iter().find(|r| r[0] == first).unwrap_or_else(|| panic!("no row {first} in {}", file.display()));
    row[col(&header, column)].clone()
}

#[test]
fn a_fit_to_the_models_own_targets_recovers_the_parameter() {
    let tmp = TempDir::new("fit-recover");
    let targets = targets_from_the_model(&tmp);
    tmp.write("tiny.toml", tiny(3, 7, &targets));
    tmp.write("f.toml", FIT);
    let out = fit(&tmp, "out", &[]);
    let files = ["fit.csv", "fit.toml", "index.html", "manifest.json", "plots", "posterior.csv", "predictive.csv"];
    assert_eq!(entries(&out), files);
    assert_eq!(entries(&out.join("plots")), ["corner.svg"]);
    let fit_csv = out.join("fit.csv");
    let number = |c: &str| cell(&fit_csv, "estrogen_loss_rankl", c).parse::<f64>().expect("a number");
    let (low, high) = (number("low95"), number("high95"));
    assert!(low <= TRUTH && TRUTH <= high, "truth {TRUTH} outside the 95 % interval {low} to {high}");
    assert_eq!(cell(&fit_csv, "estrogen_loss_rankl", "narrowed"), "true", "interval {low} to {high}");
    assert!(number("width_fraction") < 0.5);
    let predictive = out.join("predictive.csv");
    for target in ["menopause:mean_ros@30", "menopause:bone_density@30"] {
        let x = |c: &str| cell(&predictive, target, c).parse::<f64>().expect("a number");
        let (data, se) = (x("data"), x("data_se"));
        // The predictive interval reaches the data's own 95 % interval.
        assert!(x("low95") <= data + 2.0 * se && data - 2.0 * se <= x("high95"), "{target}");
    }
    let (header, rows) = csv(&out.join("posterior.csv"));
    assert_eq!(header, ["generation", "tolerance", "particle", "weight", "distance", "estrogen_loss_rankl"]);
    assert_eq!(rows.len(), 3 * 20, "every particle of every population");
}

/// Evaluations kept on disk in `out`'s working directory.
fn evaluations(out: &Path) -> usize {
    std::fs::read_dir(out.join("fitting/evaluations"))
        .map_or(0, |d| d.flatten().filter(|e| e.file_name().to_string_lossy().ends_with(".json")).count())
}

#[test]
fn a_fit_killed_part_way_and_resumed_writes_the_same_posterior() {
    let tmp = TempDir::new("fit-resume");
    let targets = targets_from_the_model(&tmp);
    tmp.write("tiny.toml", tiny(2, 7, &targets));
    tmp.write("f.toml", FIT.replace("particles = 20", "particles = 8").replace("populations = 3", "populations = 2"));
    let whole = fit(&tmp, "whole", &["--threads", "1"]);
    for (name, after) in [("early", 3), ("late", 14)] {
        let out = tmp.join(name);
        let mut child = Command::new(BIN)
            .args(["fit", "f.toml", "--out", out.to_str().expect("utf-8"), "--quiet", "--threads", "2"])
            .current_dir(tmp.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn bmu-sim");
        let start = Instant::now();
        while evaluations(&out) < after
            && child.try_wait().expect("try_wait").is_none()
            && start.elapsed() < Duration::from_secs(120)
        {
            std::thread::sleep(Duration::from_millis(2));
        }
        child.kill().expect("kill -9");
        let _ = child.wait();
        assert!(!out.join("posterior.csv").exists(), "{name}: the fit finished before it was killed");
        let resumed = fit(&tmp, name, &["--resume", "--threads", "1"]);
        for file in ["posterior.csv", "fit.csv", "predictive.csv", "plots/corner.svg"] {
            assert_eq!(read_bytes(&resumed.join(file)), read_bytes(&whole.join(file)), "{name}: {file}");
        }
        assert!(!resumed.join("fitting").exists(), "{name}: the working directory stayed");
    }
    let again = bmu(tmp.path(), &["fit", "f.toml", "--out", "whole", "--resume"]).ok();
    assert!(again.stdout.contains("nothing to do"), "{}", again.stdout);
}

/// `marked` (with `§` where the error must be located) is refused with exit code 3, one line that
/// names the file, the position and a key ending in `key`, and nothing is written.
fn refused(name: &str, marked: &str, key: &str) -> String {
    let tmp = TempDir::new(name);
    tmp.write("tiny.toml", tiny(2, 7, TARGET));
    let at = marked.find('§').expect("a § marker");
    let text = marked.replace('§', "");
    tmp.write("f.toml", &text);
    let run = bmu(tmp.path(), &["fit", "f.toml", "--out", "out"]).code(3);
    assert_eq!(entries(tmp.path()), ["f.toml", "tiny.toml"], "{name}: files left behind");
    let e = located(&run.stderr, "f.toml");
    assert_eq!((e.line, e.col), line_col(&text, at), "{name}: {e:?}");
    let got = e.key.unwrap_or_default();
    assert!(got.ends_with(key), "{name}: key `{got}` should name `{key}`");
    e.message
}

const TARGET: &str =
    "[[target]]\nscenario = \"menopause\"\nmetric = \"mean_ros\"\nday = 30\nestimate = 0.7\nse = 0.1\n";

#[test]
fn a_bad_fit_file_is_refused_before_any_run() {
    let message = refused("fit-top-key", &FIT.replace("populations", "§population"), "population");
    assert!(message.contains("did you mean `populations`"), "{message}");
    let message = refused(
        "fit-param-key",
        &FIT.replace("\"estrogen_loss_rankl\"", "§\"estrogen_los_rankl\""),
        "parameter[0].key",
    );
    assert!(message.contains("did you mean `estrogen_loss_rankl`"), "{message}");
    let message = refused("fit-range", &FIT.replace("low = 1.0", "low = §-1.0"), "parameter[0].low");
    assert!(message.contains("> 0"), "{message}");
    let missing = format!("{FIT}[[target]]\nscenario = §\"menopaus\"\nmetric = \"mean_ros\"\n");
    let message = refused("fit-target", &missing, "target[0].scenario");
    assert!(message.contains("did you mean `menopause`"), "{message}");
    let day = format!("{FIT}[[target]]\nscenario = §\"menopause\"\nmetric = \"mean_ros\"\nday = 31\n");
    refused("fit-target-day", &day, "target[0].scenario");
    refused("fit-particles", &FIT.replace("particles = 20", "particles = §1"), "particles");
    refused("fit-config", &FIT.replace("[\"tiny.toml\"]", "[§\"tine.toml\"]"), "configs[0]");
}
