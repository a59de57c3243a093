//! `bmu-sim slurm`: the array and merge scripts it writes run the shards and the merge, by hand
//! and on a real Slurm cluster (`.ci/cluster start` sets one up on this machine; `.ci/run` does,
//! and requires this test to find it with `BMU_SIM_REQUIRE_CLUSTER=1`), with results byte-identical
//! to a run in one piece.

use crate::common::*;
use crate::shards::study;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The longest the cluster may take for the array and the merge.
const PATIENCE: Duration = Duration::from_secs(600);

#[test]
fn the_scripts_run_the_shards_and_then_the_merge() {
    let tmp = TempDir::new("slurm-scripts");
    let (config, whole) = study(&tmp);
    let dir = tmp.join("study");
    let r =
        bmu(tmp.path(), &["slurm", &config, "--out", dir.to_str().unwrap(), "--shards", "3", "--time", "0:10:00"]).ok();
    assert!(r.stdout.contains("sbatch --parsable") && r.stdout.contains("--dependency=afterany:"), "{}", r.stdout);
    let scripts = tmp.join("study-slurm");
    let array = read(&scripts.join("array.sbatch"));
    for line in ["#SBATCH --array=0-2", "#SBATCH --time=0:10:00", "--shard \"${SLURM_ARRAY_TASK_ID}/3\""] {
        assert!(array.contains(line), "no `{line}` in\n{array}");
    }
    assert_eq!(entries(&dir), ["units"], "the run directory is set up for 3 shards");
    run_by_hand(&scripts, 3);
    assert_same_results(&whole, &dir);
    let again = bmu(tmp.path(), &["slurm", &config, "--out", dir.to_str().unwrap(), "--shards", "3"]).ok();
    assert!(again.stdout.contains("nothing to submit"), "{}", again.stdout);
}

/// Run the array job in `scripts` as Slurm would, task by task (out of order) with only the task
/// id set, then the merge job.
pub fn run_by_hand(scripts: &Path, tasks: u32) {
    for task in (0..tasks).rev() {
        let status = Command::new("bash")
            .arg(scripts.join("array.sbatch"))
            .env("SLURM_ARRAY_TASK_ID", task.to_string())
            .env_remove("SLURM_ARRAY_TASK_COUNT")
            .status()
            .expect("bash");
        assert!(status.success(), "array task {task} failed");
    }
    let merged = Command::new("bash").arg(scripts.join("merge.sbatch")).status().expect("bash");
    assert!(merged.success(), "the merge job failed");
}

/// Whether a Slurm controller answers here.
fn slurm_answers() -> bool {
    Command::new("sinfo").arg("-h").output().is_ok_and(|o| o.status.success())
}

/// The jobs among `ids` that Slurm still has queued or running.
fn queued(ids: &str) -> String {
    let out = Command::new("squeue").args(["-h", "-o", "%i %T", "-j", ids]).output().expect("squeue");
    // A job the controller has already forgotten is an invalid id to squeue: it is not queued.
    if out.status.success() { String::from_utf8_lossy(&out.stdout).trim().to_string() } else { String::new() }
}

#[test]
fn a_slurm_cluster_runs_the_array_and_then_the_merge() {
    if !slurm_answers() {
        assert!(
            std::env::var("BMU_SIM_REQUIRE_CLUSTER").is_err(),
            "BMU_SIM_REQUIRE_CLUSTER is set but no Slurm controller answers (bash .ci/cluster start; export SLURM_CONF=…)"
        );
        eprintln!("skipped: no Slurm controller answers here (`bash .ci/cluster start` sets one up)");
        return;
    }
    let tmp = TempDir::new("slurm");
    let (config, whole) = study(&tmp);
    let dir = tmp.join("study");
    let args = ["slurm", &config, "--out", dir.to_str().unwrap(), "--shards", "3", "--submit"];
    let r = bmu(tmp.path(), &args).ok();
    let words: Vec<&str> = r.stdout.split_whitespace().collect();
    let after = |word: &str| words.windows(3).find(|w| w[0] == word && w[1] == "job").map(|w| w[2].to_string());
    let (array, merge) = (after("array"), after("merge"));
    let ids = format!("{},{}", array.expect("an array job id"), merge.clone().expect("a merge job id"));
    let start = Instant::now();
    while !queued(&ids).is_empty() {
        assert!(start.elapsed() < PATIENCE, "jobs {ids} still queued after {PATIENCE:?}: {}", queued(&ids));
        std::thread::sleep(Duration::from_secs(1));
    }
    let logs = tmp.join("study-slurm/logs");
    let log = |name: &str| std::fs::read_to_string(logs.join(name)).unwrap_or_else(|e| format!("({e})"));
    let merged = log("merge.log");
    assert!(
        dir.join("manifest.json").is_file(),
        "the merge job did not finish the run:\n{merged}\n{}",
        log("shard-0.log")
    );
    for shard in 0..3 {
        assert!(Path::new(&logs.join(format!("shard-{shard}.log"))).is_file(), "no log of shard {shard}");
    }
    assert!(merged.contains("wrote"), "{merged}");
    assert_same_results(&whole, &dir);
}
