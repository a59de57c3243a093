//! Tests of run directories (`dir.rs`).

use super::super::scratch::Scratch;
use super::*;
use crate::config::{Config, Overrides};
use std::time::SystemTime;

/// The plan of a tiny config with `replicates` replicates, split into `shards`.
fn plan(replicates: u32, shards: u32) -> Plan {
    let text = format!("replicates = {replicates}\ndays = 1\n");
    let config = Config::parse("a.toml", &text, &Overrides::default()).expect("valid");
    Plan::new(&config, shards, SystemTime::now())
}

fn ready(opened: Result<Opened, OutputError>) -> RunDir {
    match opened.expect("opens") {
        Opened::Ready(dir) => *dir,
        Opened::Finished(p) => panic!("{} was taken as finished", p.display()),
    }
}

fn refusal(opened: Result<Opened, OutputError>) -> String {
    match opened {
        Err(e) => e.to_string(),
        Ok(_) => panic!("accepted"),
    }
}

/// Publish a manifest (of `hash`) and `names`, each holding `body`.
fn publish(dir: RunDir, hash: &str, names: &[&str], body: &str) -> PathBuf {
    dir.publish(|staging| -> Result<(), OutputError> {
        for name in names {
            fs::write(staging.join(name), body).expect("write");
        }
        let manifest = format!("{{\"bmu_sim_version\": \"0\", \"config_hash\": \"{hash}\"}}");
        fs::write(staging.join(MANIFEST_JSON), manifest).expect("write");
        Ok(())
    })
    .expect("publish")
}

#[test]
fn a_new_run_takes_its_directory_and_a_second_one_is_sent_to_resume() {
    let root = Scratch::new();
    let out = root.path("run");
    let dir = ready(RunDir::open(&out, plan(2, 1), Claim::New));
    assert_eq!(Plan::from_json(&fs::read(out.join("units/plan.json")).expect("plan")), Some(dir.plan().clone()));
    dir.write_unit("000001", b"unit").expect("write");
    assert_eq!(dir.read_unit("000001").expect("read").as_deref(), Some(&b"unit"[..]));
    assert_eq!(dir.read_unit("000000").expect("read"), None);
    assert!(refusal(RunDir::open(&out, plan(2, 1), Claim::New)).contains("--resume"));
    let killed = out.join("units").join(".000000.unit~localhost~4999999".replace("localhost", temp::host()));
    fs::write(&killed, "half a unit").expect("write");
    let again = ready(RunDir::open(&out.join("."), plan(2, 1), Claim::Continue));
    assert!(!killed.exists(), "what a killed run left in units/ was not swept");
    assert_eq!(again.plan(), dir.plan(), "continuing keeps the first plan (its start time)");
    assert_eq!(root.entries(), ["run"]);
    let mut inside =
        fs::read_dir(out.join("units")).expect("units").map(|e| e.expect("e").file_name()).collect::<Vec<_>>();
    inside.sort();
    assert_eq!(inside, ["000001.unit", "plan.json"], "no temporary left behind");
}

#[test]
fn another_config_or_split_is_refused_and_force_starts_over() {
    let root = Scratch::new();
    let out = root.path("run");
    ready(RunDir::open(&out, plan(2, 3), Claim::Continue)).write_unit("000000", b"x").expect("write");
    let other = refusal(RunDir::open(&out, plan(5, 3), Claim::Continue));
    assert!(other.contains("another config") && other.contains("a.toml"), "{other}");
    let split = refusal(RunDir::open(&out, plan(2, 4), Claim::Continue));
    assert!(split.contains("3 shards") && split.contains("--shard I/3"), "{split}");
    let whole = refusal(RunDir::open(&out, plan(2, 1), Claim::Continue));
    assert!(whole.contains("merge"), "{whole}");
    let fresh = ready(RunDir::open(&out, plan(5, 1), Claim::Force));
    assert_eq!(fresh.plan().shards, 1);
    assert_eq!(fresh.read_unit("000000").expect("read"), None, "--force started over");
    assert_eq!(root.entries(), ["run"]);
}

#[test]
fn publishing_moves_the_results_in_and_retires_the_units() {
    let root = Scratch::new();
    let out = root.path("run");
    let dir = ready(RunDir::open(&out, plan(2, 1), Claim::New));
    let hash = dir.plan().config_hash.clone();
    dir.write_unit("000000", b"x").expect("write");
    assert_eq!(publish(dir, &hash, &["timeseries.csv", "sweep.csv"], "first"), out);
    let mut names: Vec<String> =
        fs::read_dir(&out).expect("read").map(|e| e.expect("e").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["manifest.json", "sweep.csv", "timeseries.csv"]);
    // Finished: continuing it is nothing to do, a new run is refused, another config too.
    assert!(matches!(RunDir::open(&out, plan(2, 1), Claim::Continue), Ok(Opened::Finished(_))));
    assert!(matches!(RunDir::open(&out, plan(2, 1), Claim::New), Err(OutputError::Exists(_))));
    assert!(refusal(RunDir::open(&out, plan(3, 1), Claim::Continue)).contains("another config"));
    // Replacing it: the old results stay until the new ones are published, then stale ones go.
    fs::write(out.join("notes.txt"), "the user's").expect("write");
    let dir = ready(RunDir::open(&out, plan(3, 1), Claim::Force));
    assert_eq!(fs::read_to_string(out.join("sweep.csv")).expect("old results kept"), "first");
    let hash = dir.plan().config_hash.clone();
    publish(dir, &hash, &["timeseries.csv", "plots"], "second");
    assert!(!out.join("sweep.csv").exists() && !out.join("units").exists());
    assert!(!out.join("notes.txt").exists(), "--force replaces the directory whole, as it always has");
    assert_eq!(fs::read_to_string(out.join("timeseries.csv")).expect("read"), "second");
}

#[test]
fn a_failed_publication_keeps_the_units() {
    let root = Scratch::new();
    let out = root.path("run");
    let dir = ready(RunDir::open(&out, plan(2, 1), Claim::New));
    dir.write_unit("000000", b"x").expect("write");
    let failed = dir.publish(|staging| {
        fs::write(staging.join("timeseries.csv"), "half").expect("write");
        Err(OutputError::io(staging, io::Error::from(io::ErrorKind::StorageFull)))
    });
    assert!(failed.is_err());
    let mut names: Vec<String> =
        fs::read_dir(&out).expect("read").map(|e| e.expect("e").file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(names, ["units"], "no result and no temporary under a final name");
    let dir = ready(RunDir::open(&out, plan(2, 1), Claim::Continue));
    assert_eq!(dir.read_unit("000000").expect("read").as_deref(), Some(&b"x"[..]));
}

#[test]
fn other_directories_and_files_are_never_taken() {
    let root = Scratch::new();
    let mine = root.mkdir("mine");
    fs::write(mine.join("thesis.tex"), "precious").expect("write");
    fs::write(root.path("file"), "a file").expect("write");
    let bogus = root.mkdir("bogus");
    fs::create_dir(bogus.join("units")).expect("mkdir");
    fs::write(bogus.join("units/plan.json"), "{}").expect("write");
    for claim in [Claim::New, Claim::Continue, Claim::Force] {
        for target in [mine.clone(), mine.join("."), root.path("file"), bogus.clone()] {
            let err = refusal(RunDir::open(&target, plan(2, 1), claim));
            assert!(err.contains("refusing"), "{}: {err}", target.display());
        }
    }
    assert_eq!(fs::read_to_string(mine.join("thesis.tex")).expect("read"), "precious");
    assert_eq!(root.entries(), ["bogus", "file", "mine"], "nothing created");
    assert!(matches!(
        RunDir::open(&root.path("no-such-parent/run"), plan(2, 1), Claim::New),
        Err(OutputError::NoParent(_))
    ));
}

#[test]
fn shards_starting_together_share_the_first_plan() {
    let root = Scratch::new();
    let out = root.mkdir("run");
    // Another shard is setting the directory up right now: its temporary does not make it taken.
    fs::create_dir(out.join(".units.new~other-node~1")).expect("mkdir");
    let first = plan(2, 2);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let (out, first) = (out.clone(), first.clone());
            std::thread::spawn(move || ready(RunDir::open(&out, first, Claim::Continue)).plan().clone())
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().expect("thread"), first);
    }
}

#[test]
fn the_default_directory_never_replaces_anything() {
    let root = Scratch::new();
    let parent = root.path("out");
    let first = ready(RunDir::open_default(&parent, "smoke", plan(2, 1), Claim::New));
    let second = ready(RunDir::open_default(&parent, "smoke", plan(2, 1), Claim::New));
    assert_eq!((first.shown(), second.shown()), (parent.join("smoke").as_path(), parent.join("smoke-2").as_path()));
    let resumed = ready(RunDir::open_default(&parent, "smoke", plan(2, 1), Claim::Continue));
    assert_eq!(resumed.shown(), parent.join("smoke"));
}
