//! Sharded runs (docs/model.md §6): `run --shard I/N` runs the units whose index is I modulo N into a
//! directory the shards share, `merge` joins them into results byte-identical to a run in one
//! piece for any N, lists what is missing or damaged, and a different config, split or an
//! unsharded run is refused.

use crate::common::*;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Two scenarios × two sweep points × two replicates = 8 units, with a target, in a second.
pub const STUDY: &str = "seed = 5\nreplicates = 2\ndays = 20\nspinup_days = 10\nrecord_every_days = 5\nreference = \"wt\"\n\
[params]\nsites = 4\ndt_days = 0.25\nmitochondria_per_cell = 20\n\
[[scenario]]\nname = \"wt\"\n[[scenario]]\nname = \"ko\"\n[[scenario.intervention]]\nkind = \"pink1_knockout\"\n\
[sweep]\nhypoxia = [0.5, 2]\n\
[[target]]\nscenario = \"ko\"\nmetric = \"bone_density\"\nday = 20\nlow = -5\nhigh = 5\n";

/// The study config in `tmp`, and its run in one piece.
pub fn study(tmp: &TempDir) -> (String, PathBuf) {
    let config = tmp.write("study.toml", STUDY).to_str().expect("utf-8").to_string();
    let whole = run_ok(tmp, &config, "whole", &[]);
    (config, whole)
}

/// `run CONFIG --out DIR --shard SHARD --quiet`.
pub fn shard(tmp: &TempDir, config: &str, dir: &Path, shard: &str) -> Run {
    bmu(tmp.path(), &["run", config, "--out", dir.to_str().expect("utf-8"), "--shard", shard, "--quiet"])
}

/// The unit files in `dir/units`, sorted.
pub fn unit_files(dir: &Path) -> Vec<String> {
    entries(&dir.join("units")).into_iter().filter(|n| n.ends_with(".unit")).collect()
}

#[test]
fn merged_shards_are_byte_identical_to_a_run_in_one_piece_for_any_n() {
    let tmp = TempDir::new("shards");
    let (config, whole) = study(&tmp);
    for n in [1, 2, 3, 8, 11] {
        let dir = tmp.join(&format!("sharded-{n}"));
        if n == 3 {
            // Started together, as an array's tasks are: the first sets the directory up.
            let children: Vec<_> = (0..n)
                .map(|i| {
                    let args = ["run", &config, "--out", dir.to_str().unwrap(), "--shard", &format!("{i}/{n}"), "-q"];
                    Command::new(BIN).args(args).current_dir(tmp.path()).stdout(Stdio::null()).spawn().expect("spawn")
                })
                .collect();
            for mut c in children {
                assert!(c.wait().expect("wait").success(), "a shard started alongside the others failed");
            }
        } else {
            for i in 0..n {
                let r = shard(&tmp, &config, &dir, &format!("{i}/{n}")).ok();
                assert!(r.stdout.contains(&format!("shard {i}/{n}")), "{}", r.stdout);
            }
        }
        assert_eq!(unit_files(&dir).len(), 8, "{n} shards did not write every unit");
        assert!(!dir.join("timeseries.csv").exists(), "a shard wrote results before the merge");
        let merged = bmu(tmp.path(), &["merge", dir.to_str().unwrap()]).ok();
        assert!(merged.stdout.contains("wrote"), "{}", merged.stdout);
        assert_same_results(&whole, &dir);
    }
    let again = bmu(tmp.path(), &["merge", tmp.join("sharded-2").to_str().unwrap()]).ok();
    assert!(again.stdout.contains("nothing to do"), "{}", again.stdout);
}

#[test]
fn merge_lists_missing_and_damaged_units_and_merges_once_they_are_redone() {
    let tmp = TempDir::new("merge-missing");
    let (config, whole) = study(&tmp);
    let dir = tmp.join("sharded");
    shard(&tmp, &config, &dir, "0/3").ok();
    shard(&tmp, &config, &dir, "2/3").ok();
    // Shard 0 owns units 0, 3 and 6; damage unit 3's file as a full disk or a bad node might.
    let damaged = dir.join("units/000003.unit");
    let bytes = read_bytes(&damaged);
    fs::write(&damaged, &bytes[..bytes.len() / 2]).expect("truncate");
    let r = bmu(tmp.path(), &["merge", dir.to_str().unwrap()]).code(6);
    for unit in ["000001", "000004", "000007"] {
        assert!(r.stderr.contains(&format!("unit {unit} (")) && r.stderr.contains("missing"), "{unit}: {}", r.stderr);
    }
    assert!(r.stderr.contains("unit 000003 (") && r.stderr.contains("damaged"), "{}", r.stderr);
    assert!(r.stderr.contains("0/3, 1/3") && r.stderr.contains("4 of 8 units"), "{}", r.stderr);
    assert_eq!(entries(&dir), ["units"], "a failed merge wrote results");
    let redo = shard(&tmp, &config, &dir, "0/3").ok();
    assert!(redo.stdout.contains("1 unit(s) run, 2 done before"), "{}", redo.stdout);
    shard(&tmp, &config, &dir, "1/3").ok();
    bmu(tmp.path(), &["merge", dir.to_str().unwrap()]).ok();
    assert_same_results(&whole, &dir);
}

#[test]
fn shards_refuse_another_config_another_split_and_a_run_in_one_piece() {
    let tmp = TempDir::new("shard-refusals");
    let config = tmp.write("study.toml", STUDY);
    let config = config.to_str().unwrap();
    let dir = tmp.join("sharded");
    let d = dir.to_str().unwrap();
    shard(&tmp, config, &dir, "0/2").ok();
    let before = tree(&dir);
    let other = bmu(tmp.path(), &["run", config, "--out", d, "--shard", "1/2", "--seed", "9"]).code(4);
    assert!(other.stderr.contains("another config"), "{}", other.stderr);
    let split = bmu(tmp.path(), &["run", config, "--out", d, "--shard", "1/3"]).code(4);
    assert!(split.stderr.contains("2 shards"), "{}", split.stderr);
    for extra in [&[][..], &["--resume"]] {
        let mut args = vec!["run", config, "--out", d];
        args.extend_from_slice(extra);
        let whole = bmu(tmp.path(), &args).code(4);
        assert!(whole.stderr.contains("--shard I/2"), "{}", whole.stderr);
    }
    bmu(tmp.path(), &["run", config, "--out", d, "--shard", "1/2", "--force"]).code(2);
    assert!(tree(&dir) == before, "a refused run changed the shared directory");
}

#[test]
fn the_slurm_array_variables_choose_the_shard() {
    let tmp = TempDir::new("shard-env");
    let config = tmp.write("study.toml", STUDY);
    let dir = tmp.join("sharded");
    let with_env = |id: &str, extra: &[&str]| {
        let mut args = vec!["run", config.to_str().unwrap(), "--out", dir.to_str().unwrap(), "-q"];
        args.extend_from_slice(extra);
        let out = Command::new(BIN)
            .args(args)
            .current_dir(tmp.path())
            .env("SLURM_ARRAY_TASK_ID", id)
            .env("SLURM_ARRAY_TASK_COUNT", "2")
            .output()
            .expect("spawn");
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    assert_eq!(with_env("1", &[]).0, Some(0));
    assert_eq!(unit_files(&dir), ["000001.unit", "000003.unit", "000005.unit", "000007.unit"]);
    let (code, stderr) = with_env("2", &[]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("SLURM_ARRAY_TASK_ID=2"), "{stderr}");
    assert_eq!(with_env("2", &["--shard", "0/2"]).0, Some(0), "--shard comes before the environment");
    assert_eq!(unit_files(&dir).len(), 8);
    assert_eq!(with_env("0", &["--force"]).0, Some(2), "a shard may not --force");
}

#[test]
fn merge_refuses_what_holds_no_units() {
    let tmp = TempDir::new("merge-refusals");
    fs::create_dir(tmp.join("mine")).expect("mkdir");
    fs::write(tmp.join("mine/thesis.tex"), "precious").expect("write");
    for dir in ["mine", "missing"] {
        let r = bmu(tmp.path(), &["merge", dir]).code(4);
        assert!(r.stderr.starts_with("bmu-sim: error: ") && r.stderr.contains(dir), "{}", r.stderr);
    }
    assert_eq!(entries(&tmp.join("mine")), ["thesis.tex"]);
}
